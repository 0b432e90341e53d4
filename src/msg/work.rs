//! Messages: work.

use super::messages;

messages! {}
