//! What a file is, found without writing to it or next to it. `Db::open`
//! asks before it opens a file read-write (which switches on WAL and
//! migrates), so that a file xaas did not create, or one from a newer
//! xaas, is refused with its bytes as they were.
//!
//! How a file is read:
//! - its first 100 bytes with plain file reads: no bytes is a new
//!   database; bytes that do not start as SQLite's do are not SQLite;
//! - a rollback-journal database (or a WAL one with its -wal file present)
//!   through a read-only connection, which takes the usual locks (so a
//!   writer holding them makes this busy, not "foreign") and creates no
//!   file;
//! - a WAL database without its -wal file as `immutable`: a read-only
//!   connection would create the -wal and -shm files and leave them
//!   behind. Without a -wal file nobody is writing in WAL mode, and the
//!   file holds the whole database.
//! - A hot journal (a writer crashed midway) can only be rolled back by a
//!   read-write connection: then one reads, as any SQLite program would,
//!   which restores the last committed state.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::schema::LATEST;
use crate::error::{Error, Result};
use crate::msg::storage as m;

/// What `probe` found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// No bytes, or an SQLite database with nothing in it (version 0, no
    /// table): to be made an xaas database.
    Empty,
    /// An xaas database of this version or an older one.
    Ours,
    /// An xaas database from a newer xaas, at this schema version.
    Newer(i64),
    /// Anything else, in a few words.
    Foreign(String),
}

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's extended code for a hot journal a read-only connection
/// cannot roll back.
const READONLY_ROLLBACK: i32 = rusqlite::ffi::SQLITE_READONLY | (3 << 8);

/// Call before any connection of this process to `path` is open: closing
/// a file drops every POSIX lock the process holds on it.
pub(super) fn probe(path: &Path) -> Result<Found> {
    let header = header(path)?;
    if header.is_empty() {
        return Ok(Found::Empty);
    }
    if header.len() < 100 || !header.starts_with(MAGIC) {
        return Ok(Found::Foreign(m::db_not_sqlite()));
    }
    let first = read_only(path, is_wal(&header)).and_then(|c| contents(&c));
    let found = match first {
        Err(e) if e.sqlite_error().map(|f| f.extended_code) == Some(READONLY_ROLLBACK) => {
            let rw = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, rw).and_then(|c| {
                c.busy_timeout(super::busy_timeout())?;
                contents(&c)
            })
        }
        other => other,
    };
    match found {
        Ok(c) => Ok(c.classify()),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Ok(Found::Foreign(m::db_unreadable_sqlite()))
        }
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::CannotOpen) => Err(cannot_open(path, e)),
        Err(e) => Err(e.into()),
    }
}

/// Bytes 18 and 19 of the header: the file format versions, 2 in WAL mode.
pub(super) fn is_wal(header: &[u8]) -> bool {
    header.len() >= 20 && (header[18] == 2 || header[19] == 2)
}

/// A read-only connection that creates no file beside the database (see
/// the module's note): `immutable` for a WAL database without its -wal
/// file. `wal` is what the header says (`is_wal`). A hot journal makes
/// its first read fail with SQLite's READONLY_ROLLBACK: `probe` first.
pub(super) fn read_only(path: &Path, wal: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if wal && !beside(path, "-wal").exists() {
        let uri = immutable_uri(path).map_err(|e| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(e.to_string()),
            )
        })?;
        Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    conn.busy_timeout(super::busy_timeout())?;
    Ok(conn)
}

fn cannot_open(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Invalid(m::db_cannot_open(path.display(), e))
}

/// The first 100 bytes (fewer if the file is shorter).
pub(super) fn header(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut bytes))
        .map_err(|e| Error::io(m::db_cannot_read(path.display()), e))?;
    Ok(bytes)
}

/// `path` with `suffix` appended: its -wal, -shm or -journal file.
pub(super) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// What the schema says, read in one statement (one read transaction).
struct Contents {
    version: i64,
    entries: i64,
    tables: i64,
    /// The first few table names, comma-separated.
    some_tables: Option<String>,
    services: bool,
}

fn contents(conn: &Connection) -> rusqlite::Result<Contents> {
    conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version),
                (SELECT count(*) FROM sqlite_schema),
                (SELECT count(*) FROM sqlite_schema WHERE type = 'table'),
                (SELECT group_concat(name, ', ') FROM
                    (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name LIMIT 3)),
                EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'services')",
        [],
        |r| {
            Ok(Contents {
                version: r.get(0)?,
                entries: r.get(1)?,
                tables: r.get(2)?,
                some_tables: r.get(3)?,
                services: r.get(4)?,
            })
        },
    )
}

impl Contents {
    /// Ours: a known version and the `services` table. New: version 0
    /// and nothing in the schema. Anything else belongs to another program
    /// (a newer xaas keeps `services`: a higher version with it is ours,
    /// from the future).
    fn classify(&self) -> Found {
        match self.version {
            0 if self.entries == 0 => Found::Empty,
            1..=LATEST if self.services => Found::Ours,
            v if v > LATEST && self.services => Found::Newer(v),
            v => Found::Foreign(match &self.some_tables {
                None => m::db_no_table(v),
                Some(names) if self.tables > 3 => m::db_other_program_more(names, self.tables - 3),
                Some(names) if self.tables == 1 => m::db_other_program_table(names),
                Some(names) => m::db_other_program_tables(names),
            }),
        }
    }
}

/// `path` as an SQLite URI, read-only and immutable: no lock, no -wal or
/// -shm file. See the module's note for when that is sound.
fn immutable_uri(path: &Path) -> std::io::Result<String> {
    let abs = std::path::absolute(path)?;
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        abs.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = {
        let s = abs.to_string_lossy().replace('\\', "/");
        if s.starts_with('/') {
            s.into_bytes()
        } else {
            format!("/{s}").into_bytes()
        }
    };
    let mut uri = String::from("file://");
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_odd_path_is_escaped_in_the_uri() {
        let uri = immutable_uri(Path::new("/tmp/a b?c#d%e/x.db")).unwrap();
        assert_eq!(uri, "file:///tmp/a%20b%3Fc%23d%25e/x.db?immutable=1");
    }

    #[test]
    fn a_hot_journal_is_rolled_back_before_the_file_is_judged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        drop(super::super::Db::open(&path, super::super::Open::CreateIfMissing).unwrap());
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=DELETE; PRAGMA cache_size=1; BEGIN;
             CREATE TABLE junk(x);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
             INSERT INTO junk SELECT randomblob(3000) FROM n;",
        )
        .unwrap();
        // The writer "crashes": its files as they are now, under another
        // name, with no one holding a lock on them.
        let crashed = dir.path().join("crashed.db");
        std::fs::copy(&path, &crashed).unwrap();
        std::fs::copy(beside(&path, "-journal"), beside(&crashed, "-journal")).unwrap();
        assert_eq!(probe(&crashed).unwrap(), Found::Ours);
        assert!(!beside(&crashed, "-journal").exists(), "rolled back");
        let c = Connection::open(&crashed).unwrap();
        let junk: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'junk'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(junk, 0);
    }

    #[test]
    fn a_wal_database_is_read_through_the_uri_of_an_odd_path() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a b?c#d%e");
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("x.db");
        drop(super::super::Db::open(&path, super::super::Open::CreateIfMissing).unwrap());
        assert!(!beside(&path, "-wal").exists());
        assert_eq!(probe(&path).unwrap(), Found::Ours);
        assert!(!beside(&path, "-wal").exists() && !beside(&path, "-shm").exists());
    }
}
