//! `doctor`: the database file examined, read-only: never created,
//! migrated or written, whatever it turns out to be.

use std::path::Path;

use crate::db::doctor;
use crate::doctor::Database;

/// What the file at `path` is and holds. `full` runs `integrity_check`
/// however large the file (else `quick_check` above `QUICK_ABOVE`).
pub fn examine(path: &Path, full: bool) -> Database {
    doctor::examine(path, full)
}
