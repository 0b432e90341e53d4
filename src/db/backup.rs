//! `backup`: a consistent copy of the database with SQLite's online
//! backup, taken a slice of pages at a time while others go on writing,
//! then checked and counted before the caller puts it in place.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use super::doctor::{check, counts};
use super::Db;
use crate::doctor::{Check, CheckKind, Counts};
use crate::error::{Error, Result};

/// Pages copied per step (4 MiB at SQLite's default page size)...
const PAGES: i32 = 1024;
/// ...and the pause after each, so that a writer waiting for the lock
/// (a rollback-journal database) gets it between slices.
const PAUSE: Duration = Duration::from_millis(5);
/// A write by another connection restarts the copy; after this many
/// restarts the rest is copied in one step (in WAL mode that blocks no
/// writer; in rollback mode a writer waits, up to its busy timeout).
const RESTARTS: u32 = 3;

/// What was copied, checked in the copy itself.
pub struct Copied {
    pub check: Check,
    pub counts: Counts,
    /// How often a write by someone else made the copy start over.
    pub restarts: u32,
}

/// Copies `db` into the file at `to` (an empty file, or none) and checks
/// the copy with `integrity_check`; a copy that fails it is an error.
/// Errors name the file as `shown` (the user's name for it, not the
/// temporary file's).
pub(crate) fn copy(db: &Db, to: &Path, shown: &str) -> Result<Copied> {
    let mut dest = Connection::open(to).map_err(|e| cannot_write(shown, e))?;
    // The copy is not in place until the caller renames it: no journal to
    // roll back, and the caller syncs the file once at the end.
    dest.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .map_err(|e| cannot_write(shown, e))?;
    let restarts = {
        let backup = Backup::new(db.conn()?, &mut dest).map_err(|e| cannot_write(shown, e))?;
        run(&backup).map_err(|e| match e {
            Error::Sqlite(s) => cannot_write(shown, s),
            e => e.at(&db.path),
        })?
    };
    let check = check(&dest, CheckKind::Integrity)?;
    if !check.ok {
        return Err(Error::Refused(crate::msg::shell::backup_check_failed(
            shown,
            check.errors.join("\n"),
        )));
    }
    let counts = counts(&dest)?;
    dest.close().map_err(|(_, e)| cannot_write(shown, e))?;
    Ok(Copied {
        check,
        counts,
        restarts,
    })
}

/// Steps to the end; returns how often the copy restarted.
fn run(backup: &Backup) -> Result<u32> {
    let mut restarts = 0;
    let mut left = i32::MAX;
    loop {
        let pages = if restarts >= RESTARTS { -1 } else { PAGES };
        match backup.step(pages)? {
            StepResult::Done => return Ok(restarts),
            // The source's busy handler has waited its timeout already.
            StepResult::Busy | StepResult::Locked => return Err(Error::Busy { path: None }),
            _ => {}
        }
        let now = backup.progress().remaining;
        if now > left {
            restarts += 1;
        }
        left = now;
        std::thread::sleep(PAUSE);
    }
}

fn cannot_write(shown: &str, e: rusqlite::Error) -> Error {
    Error::Invalid(crate::msg::shell::backup_cannot_write(shown, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Open;

    /// A backup taken before this xaas upgrades an older file keeps the
    /// old version, in the copy and in the file.
    #[test]
    fn an_older_database_is_copied_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch(super::super::schema::VERSIONS[0]).unwrap();
        c.execute_batch(
            "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');
             PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(c);
        let db = Db::open(&path, Open::AsItIs).unwrap();
        let to = dir.path().join("copy.db");
        let copied = copy(&db, &to, "copy.db").unwrap();
        assert!(copied.check.ok);
        assert_eq!(copied.counts.customers, Some(1));
        assert_eq!(copied.counts.usage, None, "no usage table in version 1");
        let version = |p: &Path| -> i64 {
            Connection::open(p)
                .unwrap()
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        drop(db);
        assert_eq!((version(&path), version(&to)), (1, 1));
    }

    #[test]
    fn an_empty_file_is_no_database_to_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.db");
        std::fs::write(&path, "").unwrap();
        let e = Db::open(&path, Open::AsItIs).err().unwrap();
        assert!(matches!(e, Error::Foreign { .. }), "{e}");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        let e = Db::open(&dir.path().join("none.db"), Open::AsItIs)
            .err()
            .unwrap();
        assert!(matches!(e, Error::NoDatabase(_)), "{e}");
    }
}
