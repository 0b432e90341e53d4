//! Messages: settings.

use super::messages;

messages! {}
