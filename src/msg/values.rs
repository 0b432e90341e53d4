//! Messages: values.

use super::messages;

messages! {}
