//! Messages: xlsx.

use super::messages;

messages! {}
