//! Messages: usage.

use super::messages;

messages! {}
