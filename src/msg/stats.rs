//! Messages: stats.

use super::messages;

messages! {}
