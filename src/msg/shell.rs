//! Messages: shell.

use super::messages;

messages! {}
