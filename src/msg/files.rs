//! Messages: files.

use super::messages;

messages! {}
