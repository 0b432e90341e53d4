//! Messages: followup.

use super::messages;

messages! {}
