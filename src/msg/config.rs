//! Messages: config.

use super::messages;

messages! {}
