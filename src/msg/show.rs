//! Messages: show.

use super::messages;

messages! {}
