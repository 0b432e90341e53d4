//! Messages: import.

use super::messages;

messages! {}
