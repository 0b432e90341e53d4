//! Messages: commands.

use super::messages;

messages! {}
