//! What `doctor` reads from a database file: what it is (`probe`), then,
//! for an xaas database, its check, counts, last import and settings
//! through a read-only connection that creates nothing beside the file.
//! Nothing here creates, migrates or writes a database.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::probe::{self, Found};
use super::schema::LATEST;
use crate::doctor::{
    Check, CheckKind, Counts, Database, Journal, Kind, LastImport, Logged, Setting, TeamDatabase,
};
use crate::error::{Error, Result};
use crate::history::Via;

/// Above this size `integrity_check` (which compares every index with
/// its table) gives way to `quick_check`, unless the full one is asked for.
pub const QUICK_ABOVE: u64 = 256 << 20;

/// At most this many of the check's complaints are kept.
const CHECK_LINES: u32 = 20;

/// The team database at `address`, examined: whether it connects, its
/// schema version, the login and its roles. A fault is in the report,
/// never an error; nothing is created or written.
pub(crate) fn examine_team(address: &str) -> TeamDatabase {
    let mut db = TeamDatabase {
        #[cfg(feature = "team")]
        address: super::pg::shown(address),
        #[cfg(not(feature = "team"))]
        address: address.to_string(),
        connected: false,
        error: None,
        schema: None,
        schema_latest: LATEST,
        login: None,
        roles: Vec::new(),
    };
    #[cfg(feature = "team")]
    {
        let conn = match super::pg::connect(address) {
            Ok(s) => super::sql::Conn::Pg(Box::new(std::cell::RefCell::new(s))),
            Err(e) => {
                db.error = Some(e.to_string());
                return db;
            }
        };
        db.connected = true;
        if let Err(e) = fill_team(&mut db, &conn) {
            db.error = Some(e.to_string());
        }
    }
    db
}

#[cfg(feature = "team")]
fn fill_team(db: &mut TeamDatabase, conn: &super::sql::Conn) -> Result<()> {
    use super::sql::{args, Sql};
    use crate::doctor::Role;
    let (login, superuser, csm, lead) = conn.row(
        "SELECT CAST(current_user AS TEXT),
                coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false),
                CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xaas_csm')
                     THEN pg_has_role(current_user, 'xaas_csm', 'MEMBER') ELSE false END,
                CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'xaas_lead')
                     THEN pg_has_role(current_user, 'xaas_lead', 'MEMBER') ELSE false END",
        args![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<bool>(1)?,
                r.get::<bool>(2)?,
                r.get::<bool>(3)?,
            ))
        },
    )?;
    db.login = Some(login);
    // A superuser is a member of every role: that one says it all.
    let (csm, lead) = (csm && !superuser, lead && !superuser);
    for (has, role) in [
        (csm, Role::XaasCsm),
        (lead, Role::XaasLead),
        (superuser, Role::Superuser),
    ] {
        if has {
            db.roles.push(role);
        }
    }
    let meta: bool = conn.one("SELECT to_regclass('xaas_meta') IS NOT NULL", args![])?;
    if meta {
        let v: Option<String> = conn.row_opt(
            "SELECT value FROM xaas_meta WHERE key = 'schema_version'",
            args![],
            |r| r.get(0),
        )?;
        db.schema = v.and_then(|v| v.parse().ok());
    }
    Ok(())
}

/// The file at `path`, examined; a fault is a `kind`, never an error.
pub(crate) fn examine(path: &Path, full: bool) -> Database {
    let mut db = Database::new(path, Kind::Missing, LATEST);
    if let Err(e) = fill(&mut db, path, full) {
        db.kind = Kind::Unreadable;
        db.detail = Some(e.to_string());
    }
    db
}

fn fill(db: &mut Database, path: &Path, full: bool) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(cannot_read(path, e)),
        Ok(m) if m.is_dir() => {
            db.kind = Kind::Unreadable;
            db.detail = Some(crate::msg::shell::doctor_file_is_folder(path.display()));
            return Ok(());
        }
        Ok(m) => m,
    };
    db.size = Some(meta.len());
    db.wal_size = std::fs::metadata(probe::beside(path, "-wal"))
        .ok()
        .map(|m| m.len());
    if meta.len() == 0 {
        db.kind = Kind::EmptyFile;
        return Ok(());
    }
    let header = probe::header(path)?;
    let wal = probe::is_wal(&header);
    // `probe` first: it rolls back a hot journal, which a read-only
    // connection cannot.
    match probe::probe(path)? {
        Found::Foreign(what) => {
            db.kind = Kind::Foreign;
            db.detail = Some(what);
            return Ok(());
        }
        Found::Empty => {
            db.kind = Kind::EmptyDatabase;
            db.schema = Some(0);
        }
        Found::Newer(v) => {
            db.kind = Kind::Newer;
            db.schema = Some(v);
        }
        Found::Ours => {
            db.kind = Kind::Xaas;
            db.read_only = read_only(path);
        }
    }
    db.journal = Some(if wal { Journal::Wal } else { Journal::Rollback });
    if db.kind != Kind::Xaas {
        return Ok(());
    }
    let conn = probe::read_only(path, wal)?;
    // One snapshot for every read below.
    conn.execute_batch("BEGIN")?;
    db.schema = Some(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?);
    let kind = if full || meta.len() <= QUICK_ABOVE {
        CheckKind::Integrity
    } else {
        CheckKind::Quick
    };
    db.check = Some(check(&conn, kind)?);
    db.counts = Some(counts(&conn)?);
    db.last_import = last_import(&conn)?;
    db.settings = settings(&conn)?;
    Ok(())
}

fn cannot_read(path: &Path, e: std::io::Error) -> Error {
    Error::io(crate::msg::storage::db_cannot_read(path.display()), e)
}

/// SQLite's own check of the file: `ok`, or its first complaints.
pub(crate) fn check(conn: &Connection, kind: CheckKind) -> Result<Check> {
    let pragma = match kind {
        CheckKind::Integrity => "integrity_check",
        CheckKind::Quick => "quick_check",
    };
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}({CHECK_LINES})"))?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let ok = lines.len() == 1 && lines[0] == "ok";
    Ok(Check {
        kind,
        ok,
        errors: if ok { Vec::new() } else { lines },
    })
}

/// Rows of the main tables; a table an older schema lacks is `None`.
pub(crate) fn counts(conn: &Connection) -> Result<Counts> {
    let has = |table: &str| -> Result<bool> {
        Ok(conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?)
    };
    let count = |table: &str, filter: &str| -> Result<Option<u64>> {
        if !has(table)? {
            return Ok(None);
        }
        let n: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table} {filter}"), [], |r| {
                r.get(0)
            })?;
        Ok(Some(n as u64))
    };
    Ok(Counts {
        customers: count("customers", "")?,
        services: count("services", "")?,
        records: count("records", "")?,
        history: count("history", "")?,
        usage: count("usage", "")?,
        open_tasks: count("tasks", "WHERE status = 'open'")?,
    })
}

/// The newest logged import (schema V8); else, in an older database,
/// the newest history entry an import wrote.
fn last_import(conn: &Connection) -> Result<Option<LastImport>> {
    if let Some(l) = super::imports::last(conn)? {
        return Ok(Some(LastImport {
            at: l.at,
            author: l.author,
            changes: None,
            file: Some(Logged {
                kind: l.kind,
                file: l.file,
                rows: l.rows,
                rejected: l.rejected,
            }),
        }));
    }
    let latest: Option<(String, String)> = conn
        .query_row(
            "SELECT at, author FROM history WHERE source = ?1 ORDER BY id DESC LIMIT 1",
            [Via::Import.id()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((at, author)) = latest else {
        return Ok(None);
    };
    let changes: i64 = conn.query_row(
        "SELECT count(*) FROM history WHERE source = ?1 AND at = ?2 AND author = ?3",
        [Via::Import.id(), &at, &author],
        |r| r.get(0),
    )?;
    Ok(Some(LastImport {
        at,
        author,
        changes: Some(changes as u64),
        file: None,
    }))
}

/// Every team setting in force, and whether it is the default.
fn settings(conn: &Connection) -> Result<Vec<Setting>> {
    let stored: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'settings')",
        [],
        |r| r.get(0),
    )?;
    let settings = if stored {
        super::settings::load(conn)?
    } else {
        crate::settings::Settings::default()
    };
    Ok(settings
        .all()
        .iter()
        .map(|(key, value)| Setting {
            key: key.id(),
            value: value.clone(),
            default: value == key.default_value(),
        })
        .collect())
}

/// What of the database this user may not write: the file, else the
/// folder its -wal and -shm files go in (access(2), so root passes).
fn read_only(path: &Path) -> Option<crate::doctor::ReadOnly> {
    use crate::doctor::ReadOnly;
    let folder = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => std::path::PathBuf::from("."),
    };
    if !writable(path) {
        Some(ReadOnly::File)
    } else if !writable(&folder) {
        Some(ReadOnly::Folder)
    } else {
        None
    }
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: a valid NUL-terminated path; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}
