//! `backup`: a consistent copy of the database, checked and counted.

use std::path::Path;

use crate::db::{backup, Db};
use crate::error::Result;

pub use crate::db::backup::Copied;

/// Copies `db` into the file at `to` while others may write; the copy has
/// passed `integrity_check`. Putting it in place is the caller's; errors
/// name the file as `shown`.
pub fn copy(db: &Db, to: &Path, shown: &str) -> Result<Copied> {
    backup::copy(db, to, shown)
}
