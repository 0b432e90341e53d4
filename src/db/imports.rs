//! The log of imports that wrote (`imports`, schema V8): `doctor` names
//! the last one — when, who, which file, how many rows.

use rusqlite::{Connection, OptionalExtension};

use super::sql::{args, Sql};

use crate::error::Result;
use crate::history::Actor;

/// What was imported: a service list or a usage sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Services,
    Usage,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Services => "services",
            Kind::Usage => "usage",
        }
    }
}

/// One import that wrote, as logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub at: String,
    pub author: String,
    pub kind: String,
    pub file: String,
    pub rows: u64,
    pub rejected: u64,
}

/// Logs an import inside its own transaction, so a rolled-back import
/// leaves no entry.
pub(crate) fn log(
    tx: &impl Sql,
    who: &Actor,
    kind: Kind,
    file: &str,
    rows: u64,
    rejected: u64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO imports (at, author, kind, file, rows, rejected) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        args![who.at, who.author, kind.id(), file, rows as i64, rejected as i64],
    )?;
    Ok(())
}

/// The newest logged import; `None` when there is none, or the database
/// is older than the log (schema V8) and `doctor` did not migrate it.
pub(crate) fn last(conn: &Connection) -> Result<Option<Logged>> {
    let table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'imports')",
        [],
        |r| r.get(0),
    )?;
    if !table {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT at, author, kind, file, rows, rejected FROM imports ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok(Logged {
                    at: r.get(0)?,
                    author: r.get(1)?,
                    kind: r.get(2)?,
                    file: r.get(3)?,
                    rows: r.get::<_, i64>(4)? as u64,
                    rejected: r.get::<_, i64>(5)? as u64,
                })
            },
        )
        .optional()?)
}
