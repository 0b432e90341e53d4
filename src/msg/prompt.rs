//! Messages: prompt.

use super::messages;

messages! {}
