//! The only place that speaks SQL: opening, the schema, and one module
//! per kind of work. Reads take a `&impl Sql` (the database's, or a
//! transaction's); every write goes through `Db::change`.

pub(crate) mod asof;
pub(crate) mod backup;
pub(crate) mod budgets;
pub(crate) mod digest;
pub(crate) mod doctor;
pub(crate) mod followup;
pub(crate) mod forecast;
pub(crate) mod health;
pub(crate) mod history;
pub mod imports;
mod items;
pub(crate) mod kpi;
pub(crate) mod leads;
pub mod load;
pub(crate) mod outcomes;
#[cfg(feature = "team")]
pub(crate) mod pg;
mod probe;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod renewal;
pub(crate) mod risks;
pub(crate) mod schema;
pub(crate) mod settings;
pub(crate) mod sql;
pub(crate) mod stats;
pub(crate) mod tasks;
#[cfg(feature = "team")]
pub mod team;
pub(crate) mod usage;
pub(crate) mod worklist;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Place, Result};
use crate::msg::storage as m;
use probe::Found;
use sql::{Conn, Sql};

/// An open database, at a known path.
pub struct Db {
    conn: Conn,
    path: PathBuf,
    /// Set by `as_of`: the views every connection of a read installs.
    overlay: Option<asof::Overlay>,
    /// Set when the file is a team snapshot: read only.
    snapshot: Option<Snapshot>,
}

/// A write in progress on either engine (`Db::change`).
pub(crate) struct Change<'db> {
    conn: &'db Conn,
    discard: Cell<bool>,
}

impl Change<'_> {
    /// Roll back at the end instead of committing (a dry run, or an
    /// import refused as a whole), while still returning what was found.
    pub(crate) fn discard(&self) {
        self.discard.set(true);
    }
}

impl std::ops::Deref for Change<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

/// Either write runs statements like a connection.
macro_rules! sql_through {
    ($t:ty, $inner:ident) => {
        impl Sql for $t {
            fn kind(&self) -> sql::Kind {
                self.$inner().kind()
            }
            fn batch(&self, q: &str) -> Result<()> {
                self.$inner().batch(q)
            }
            fn execute(&self, q: &str, args: &[&dyn sql::Arg]) -> Result<u64> {
                Sql::execute(self.$inner(), q, args)
            }
            fn each(
                &self,
                q: &str,
                args: &[&dyn sql::Arg],
                f: &mut dyn FnMut(&sql::Row) -> Result<()>,
            ) -> Result<()> {
                self.$inner().each(q, args, f)
            }
        }
    };
}
sql_through!(Change<'_>, connection);

impl Change<'_> {
    fn connection(&self) -> &Conn {
        self.conn
    }
}

/// Whether a missing file is to be created (import) or is an error (all
/// else: a cron job looking in the wrong place must be loud).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    CreateIfMissing,
    MustExist,
    /// Must exist, and is opened as it is: an older schema is not
    /// upgraded, a rollback journal not switched to WAL (`backup` copies
    /// the file as it was, say before a new xaas upgrades it).
    AsItIs,
}

/// Long enough for a cron `due` to wait out an interactive import.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The busy timeout: `BUSY_TIMEOUT`, unless `XAAS_BUSY_TIMEOUT_MS` says
/// otherwise. That variable is for tests, which must not wait 10 s for a
/// lock they hold; it is no user setting and not in `--help`.
pub(crate) fn busy_timeout() -> Duration {
    std::env::var("XAAS_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(BUSY_TIMEOUT)
}

impl Db {
    /// Opens the database at `path`, creating it if `mode` allows. A file
    /// xaas did not create, or one from a newer xaas, is refused before
    /// anything is written (see `probe`); so is a read-only file.
    /// A `postgres://` address instead of a path opens the team database
    /// there (see `pg`).
    pub fn open(path: &Path, mode: Open) -> Result<Db> {
        #[cfg(feature = "team")]
        if let Some(address) = path.to_str().filter(|p| pg::is_address(p)) {
            return team::open(address, mode);
        }
        Db::open_at(path, mode).map_err(|e| named(e, path))
    }

    fn open_at(path: &Path, mode: Open) -> Result<Db> {
        if !path.exists() {
            if mode != Open::CreateIfMissing {
                return Err(Error::NoDatabase(path.to_path_buf()));
            }
            create_private(path)?;
        }
        let as_is = mode == Open::AsItIs;
        match probe::probe(path)? {
            Found::Empty if as_is => {
                return Err(Error::Foreign {
                    path: path.to_path_buf(),
                    what: crate::msg::shell::backup_nothing_in_it(),
                })
            }
            Found::Empty if mode == Open::MustExist => {
                return Err(Error::EmptyDatabase(path.to_path_buf()))
            }
            Found::Empty | Found::Ours => {}
            Found::Newer(found) => {
                return Err(Error::SchemaTooNew {
                    path: path.to_path_buf(),
                    found,
                    supported: schema::LATEST,
                })
            }
            Found::Foreign(what) => {
                return Err(Error::Foreign {
                    path: path.to_path_buf(),
                    what,
                })
            }
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Invalid(m::db_cannot_open(path.display(), e)))?;
        // A snapshot is never in WAL mode: looking for its mark in a WAL
        // file opened read-only would leave -wal and -shm files behind.
        let wal = probe::is_wal(&probe::header(path)?);
        if !wal {
            if let Some(taken) = snapshot_of(&conn)? {
                return Db::open_snapshot(path, taken);
            }
        }
        // SQLite opens a file it may not write read-only, silently. Reads
        // could go on, but in WAL mode they need -wal and -shm files, which
        // a read-only connection leaves behind: refused, said plainly.
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(Error::ReadOnly {
                path: path.to_path_buf(),
                place: Place::File,
            });
        }
        conn.busy_timeout(busy_timeout())?;
        let journal: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| {
                if is_os_error(&e) {
                    os_error(&conn, path, e.into())
                } else {
                    e.into()
                }
            })?;
        if !journal.eq_ignore_ascii_case("wal") && !as_is {
            // A first import may be writing in rollback mode (see
            // `direct_writes_if_empty`): then the switch waits for a later
            // open, and this one works in rollback mode meanwhile. (In a
            // read-only folder the switch fails: no -wal can be created
            // there; `named` says so.)
            match conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())) {
                Err(e) if is_busy(&e) => {}
                other => other?,
            }
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
        let mut db = Db {
            conn: Conn::Lite(conn),
            path: path.to_path_buf(),
            overlay: None,
            snapshot: None,
        };
        if as_is {
            return Ok(db);
        }
        if let Err(e) = schema::migrate(&mut db) {
            return Err(named(os_error(db.conn()?, path, e), path));
        }
        Ok(db)
    }
}

/// Where and when a snapshot file was taken (`team::snapshot`), if this
/// file is one.
fn snapshot_of(conn: &Connection) -> Result<Option<Snapshot>> {
    let marked: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'snapshot')",
        [],
        |r| r.get(0),
    )?;
    if !marked {
        return Ok(None);
    }
    Ok(Some(conn.query_row(
        "SELECT source, taken_at FROM snapshot",
        [],
        |r| {
            Ok(Snapshot {
                source: r.get(0)?,
                taken_at: r.get(1)?,
            })
        },
    )?))
}

/// A team database copied into a file to read offline: opened read-only
/// (no WAL, no migration), every write refused saying what it is.
#[derive(Debug, Clone)]
struct Snapshot {
    source: String,
    taken_at: String,
}

impl Db {
    fn open_snapshot(path: &Path, taken: Snapshot) -> Result<Db> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Invalid(m::db_cannot_open(path.display(), e)))?;
        Ok(Db {
            conn: Conn::Lite(conn),
            path: path.to_path_buf(),
            overlay: None,
            snapshot: Some(taken),
        })
    }

    /// A snapshot is only read: a write says so before it starts.
    fn writable(&self) -> Result<()> {
        match &self.snapshot {
            Some(s) => Err(Error::Refused(crate::msg::team::snapshot_read_only(
                self.path.display(),
                &s.source,
                &s.taken_at,
            ))),
            None => Ok(()),
        }
    }
}

/// SQLite's extended code for a journal (-wal, -journal) it cannot create
/// because the folder is read-only.
const READONLY_DIRECTORY: i32 = rusqlite::ffi::SQLITE_READONLY | (6 << 8);

/// An error on the database at `path`, with the fault named: a busy
/// database gets its path, SQLite failing to create a file in the folder
/// becomes a read-only folder.
fn named(e: Error, path: &Path) -> Error {
    match e {
        Error::Sqlite(s)
            if s.sqlite_error().map(|f| f.extended_code) == Some(READONLY_DIRECTORY) =>
        {
            Error::ReadOnly {
                path: path.to_path_buf(),
                place: Place::Folder,
            }
        }
        e => e.at(path),
    }
}

impl Db {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection, for the code written for SQLite only: on a
    /// team database that is an error saying the command does not run
    /// there yet.
    pub(crate) fn conn(&self) -> Result<&Connection> {
        self.conn.lite()
    }

    /// The connection, for reads on either engine.
    pub(crate) fn sql(&self) -> &Conn {
        &self.conn
    }

    /// Which engine this database is on.
    pub(crate) fn kind(&self) -> sql::Kind {
        self.conn.kind()
    }

    /// From now on, reads see the book as it stood at the end of `day`
    /// (see `asof`): for the commands that only read. Nothing dated after
    /// the day, nothing changes.
    pub fn as_of(mut self, day: chrono::NaiveDate) -> Result<Db> {
        if self.kind() == sql::Kind::Pg {
            // One connection: the views go on it, as on SQLite's first.
            if let Some(o) = asof::overlay(&self.conn, day)? {
                o.install(&self.conn)?;
            }
            return Ok(self);
        }
        let conn = self.conn.lite()?;
        let overlay = asof::overlay(conn, day).map_err(|e| named(e, &self.path))?;
        if let Some(o) = &overlay {
            o.install(conn).map_err(|e| named(e, &self.path))?;
        }
        self.overlay = overlay;
        Ok(self)
    }

    /// Another connection for a reading thread, read-only, seeing what
    /// this one sees.
    pub(crate) fn reader(&self) -> Result<Connection> {
        self.conn.lite()?;
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        c.busy_timeout(busy_timeout())?;
        if let Some(o) = &self.overlay {
            o.install(&c)?;
        }
        Ok(c)
    }

    /// Runs `f` in one read transaction: one snapshot for all its
    /// statements, and the shared lock taken once instead of once per
    /// statement (a backtest runs hundreds of thousands of lookups).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .lite()?
            .unchecked_transaction()
            .map_err(|e| named(e.into(), &self.path))?;
        let out = f(&tx).map_err(|e| named(os_error(&tx, &self.path, e), &self.path))?;
        // Nothing was written: ending it either way only drops the lock.
        tx.rollback().map_err(|e| named(e.into(), &self.path))?;
        Ok(out)
    }

    /// The one way to write, on either engine: `f` runs in one
    /// transaction, committed if it returns `Ok` (unless
    /// `Change::discard`), rolled back otherwise. On SQLite it is IMMEDIATE:
    /// nothing can change between what `f` reads and what it writes. On
    /// PostgreSQL it is REPEATABLE READ: a row `f` read and changes that
    /// another login changed meanwhile fails the change as a conflict
    /// (`Error::Conflict`, exit 3), naming the other change; nothing of
    /// this one is written.
    pub(crate) fn change<T>(&mut self, f: impl FnOnce(&Change) -> Result<T>) -> Result<T> {
        self.writable()?;
        let path = &self.path;
        let pg = self.kind() == sql::Kind::Pg;
        let begin = if pg {
            "BEGIN ISOLATION LEVEL REPEATABLE READ"
        } else {
            "BEGIN IMMEDIATE"
        };
        self.conn.batch(begin).map_err(|e| named(e, path))?;
        // The last history entry seen: a conflict names those after it.
        let mark = if pg {
            self.conn
                .one::<i64>("SELECT coalesce(max(id), 0) FROM history", sql::args![])
                .ok()
        } else {
            None
        };
        let change = Change {
            conn: &self.conn,
            discard: Cell::new(false),
        };
        let out = f(&change);
        let end = match &out {
            Ok(_) if !change.discard.get() => self.conn.batch("COMMIT"),
            _ => self.conn.batch("ROLLBACK"),
        };
        let out = out.and_then(|out| end.map(|()| out));
        if out.is_err() && pg {
            // A failed COMMIT may leave the transaction open.
            let _ = self.conn.batch("ROLLBACK");
        }
        match out {
            Err(Error::Conflict(_)) => Err(Error::Conflict(history::changed_since(
                &self.conn,
                mark.unwrap_or(0),
            )?)),
            Err(e) => Err(match self.conn.lite() {
                Ok(c) => named(os_error(c, path, e), path),
                Err(_) => e,
            }),
            Ok(out) => Ok(out),
        }
    }

    /// Before a load into an empty database: a rollback journal instead of
    /// WAL, so that each page is written once, not to the WAL and again at
    /// the checkpoint (the journal stays tiny: new pages need no undo).
    /// Only when no other connection is using the file; returns whether it
    /// switched. `restore_wal` switches back; so does the next open.
    pub(crate) fn direct_writes_if_empty(&self) -> Result<bool> {
        self.direct_writes_if("SELECT NOT EXISTS (SELECT 1 FROM services)")
    }

    /// `direct_writes_if_empty` for a first usage import: the pages of
    /// `usage` are all new.
    pub(crate) fn direct_writes_if_no_usage(&self) -> Result<bool> {
        self.direct_writes_if("SELECT NOT EXISTS (SELECT 1 FROM usage)")
    }

    /// Switches to a rollback journal when `empty_sql` says so.
    fn direct_writes_if(&self, empty_sql: &str) -> Result<bool> {
        let Ok(conn) = self.conn.lite() else {
            return Ok(false);
        };
        let empty: bool = self.conn.one(empty_sql, sql::args![])?;
        if !empty {
            return Ok(false);
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))
            .unwrap_or_default();
        Ok(mode.eq_ignore_ascii_case("delete"))
    }

    /// Back to WAL after `direct_writes_if_empty`; if another process
    /// holds the file now, the next open switches instead.
    pub(crate) fn restore_wal(&self) -> Result<()> {
        let Ok(conn) = self.conn.lite() else {
            return Ok(());
        };
        match conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())) {
            Err(e) if is_busy(&e) => Ok(()),
            Err(e) => Err(named(os_error(conn, &self.path, e.into()), &self.path)),
            Ok(()) => Ok(()),
        }
    }
}

/// A write the file system refused, as the OS said it and naming the
/// database: SQLite says "disk I/O error" and keeps the errno aside (a
/// file size limit is EFBIG), or "database or disk is full" (only a full
/// disk, here: no page limit is set).
fn os_error(conn: &Connection, path: &Path, e: Error) -> Error {
    let Error::Sqlite(se) = &e else { return e };
    let errno = match se.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => libc::ENOSPC,
        // SAFETY: the handle of this open connection, only read.
        Some(rusqlite::ErrorCode::SystemIoFailure) => unsafe {
            rusqlite::ffi::sqlite3_system_errno(conn.handle())
        },
        _ => return e,
    };
    if errno == 0 {
        return e;
    }
    let reading = matches!(se, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_IOERR_READ
            || f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHORT_READ);
    let context = if reading {
        m::db_cannot_read(path.display())
    } else {
        m::db_cannot_write(path.display())
    };
    Error::io(context, std::io::Error::from_raw_os_error(errno))
}

fn is_os_error(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::DiskFull)
    )
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A stored label column read back as its enum; NULL or an unknown value
/// (from a newer build) is `None`.
pub(crate) fn label<T>(
    r: &rusqlite::Row,
    i: usize,
    parse: fn(&str) -> Result<T, String>,
) -> rusqlite::Result<Option<T>> {
    Ok(r.get_ref(i)?.as_str_or_null()?.and_then(|s| parse(s).ok()))
}

/// Creates the file (and its folder) readable by its owner only, before
/// SQLite opens it; SQLite gives its -wal and -shm files the same mode.
fn create_private(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(m::db_cannot_create_folder(dir.display()), e))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).map(drop).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            Error::ReadOnly {
                path: path.to_path_buf(),
                place: Place::Folder,
            }
        }
        _ => Error::io(m::db_cannot_create(path.display()), e),
    })
}
