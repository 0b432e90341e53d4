//! Messages: health.

use super::messages;

messages! {}
