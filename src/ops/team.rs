//! `team init`, `team grant`, `team push` and `snapshot`: each names the
//! team database by the address given as the database.

use std::path::Path;

use crate::db::team;
use crate::error::{Error, Result};

pub use team::{Copied, Init, Role};

/// The address of the team database, or an error saying `command` needs
/// one (a file path was given).
fn address<'a>(db: &'a Path, command: &str) -> Result<&'a str> {
    db.to_str()
        .filter(|p| crate::db::pg::is_address(p))
        .ok_or_else(|| Error::Invalid(crate::msg::team::needs_team(command)))
}

pub fn init(db: &Path) -> Result<Init> {
    team::init(address(db, "team init")?)
}

pub fn grant(db: &Path, login: &str, role: Role) -> Result<()> {
    team::grant(address(db, "team grant")?, login, role)
}

pub fn push(db: &Path, from: &Path) -> Result<Copied> {
    team::push(from, address(db, "team push")?)
}

/// `at` is when the snapshot is taken, as the file will say.
pub fn snapshot(db: &Path, to: &Path, at: &str) -> Result<Copied> {
    team::snapshot(address(db, "snapshot")?, to, at)
}
