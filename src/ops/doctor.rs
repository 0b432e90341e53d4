//! `doctor`: the database file examined, read-only: never created,
//! migrated or written, whatever it turns out to be.

use std::path::Path;

use crate::db::doctor;
use crate::doctor::{Database, TeamDatabase};

/// What the file at `path` is and holds. `full` runs `integrity_check`
/// however large the file (else `quick_check` above `QUICK_ABOVE`).
pub fn examine(path: &Path, full: bool) -> Database {
    doctor::examine(path, full)
}

/// Whether `db` names a team database (PostgreSQL) rather than a file.
pub fn is_team(db: &str) -> bool {
    #[cfg(feature = "team")]
    return crate::db::pg::is_address(db);
    #[cfg(not(feature = "team"))]
    {
        let _ = db;
        false
    }
}

/// What the team database at `address` is, and who this login is there:
/// read only, never initialised or written.
pub fn examine_team(address: &str) -> TeamDatabase {
    doctor::examine_team(address)
}

/// A team database's address as it may be printed: a password in it as
/// `***` (any other text as it is).
pub fn shown(address: &str) -> String {
    #[cfg(feature = "team")]
    return crate::db::pg::shown(address);
    #[cfg(not(feature = "team"))]
    address.to_string()
}
