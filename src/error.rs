//! Library errors. Every variant is a runtime error (exit 1 at the edge);
//! usage errors belong to the CLI.

use std::path::PathBuf;

use crate::msg::storage as msg;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A customer, service or record that is not in the database.
    #[error("{0}")]
    NotFound(String),
    /// A rule of the renewal state machine, or of the data, said no.
    #[error("{0}")]
    Refused(String),
    /// A customer-wide `followup set` whose services lie in several windows:
    /// which window was meant must be said (rule 10).
    #[error("{}", spread_message(.0))]
    ChooseWindow(Vec<crate::followup::Spread>),
    /// Input that could not be read as what it claims to be.
    #[error("{0}")]
    Invalid(String),
    #[error("{}", msg::no_database(.0.display()))]
    NoDatabase(PathBuf),
    /// A file at the database path with no database in it (0 bytes, or an
    /// SQLite file with no tables): a command that reads is refused, so
    /// that a truncated database is loud, not an empty book.
    #[error("{}", msg::empty_database(.0.display()))]
    EmptyDatabase(PathBuf),
    #[error("{}", msg::schema_too_new(path.display(), found, supported))]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// Another process held the database's lock longer than the busy
    /// timeout. The path is filled in where it is known (`Error::at`).
    #[error("{}", busy_message(.path.as_deref()))]
    Busy { path: Option<PathBuf> },
    /// An SQLite file of another program, or no SQLite file at all
    /// (`what` says which, in a few words): refused untouched.
    #[error("{}", msg::foreign(path.display(), what))]
    Foreign { path: PathBuf, what: String },
    /// The database file, or the folder it is in, cannot be written.
    #[error("{}", read_only_message(path, *place))]
    ReadOnly { path: PathBuf, place: Place },
    /// The cause follows in the error chain (printed as `context: cause`).
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// Any other SQLite failure (a busy database is `Busy`: see `From`).
    #[error("{}", msg::database_error(.0))]
    Sqlite(#[source] rusqlite::Error),
    /// A team database (PostgreSQL) refused or failed, said as xaas says
    /// it: a role the login lacks, a lost connection, the server's words.
    #[error("{0}")]
    Team(String),
    /// Another login changed what this change read (team mode): nothing
    /// was written. Exit 3. Holds what the others wrote meanwhile.
    #[error("{}", conflict_message(.0))]
    Conflict(Vec<Collision>),
    /// A stored value of an unexpected type.
    #[error("{}", msg::database_value(.0))]
    Value(#[from] rusqlite::types::FromSqlError),
}

/// What cannot be written: the database file, or the folder it is in
/// (where SQLite creates the -wal and -shm files next to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    File,
    Folder,
}

impl From<rusqlite::Error> for Error {
    /// A busy database is its own fault, wherever it shows: at the open,
    /// at a write's first statement, or at a read of a database that
    /// another process is writing in rollback-journal mode.
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) => Error::Busy { path: None },
            _ => Error::Sqlite(e),
        }
    }
}

/// Another login's change that landed while this one was being made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub service: String,
    pub what: String,
    pub to: Option<String>,
    pub author: String,
    pub at: String,
}

fn conflict_message(others: &[Collision]) -> String {
    if others.is_empty() {
        return crate::msg::team::changed_meanwhile(crate::msg::team::collision_unknown());
    }
    let lines: Vec<String> = others
        .iter()
        .map(|c| {
            let to = c.to.as_deref().unwrap_or("-");
            crate::msg::team::collision(&c.service, &c.what, to, &c.author, &c.at)
        })
        .collect();
    crate::msg::team::changed_meanwhile(lines.join("\n"))
}

fn busy_message(path: Option<&std::path::Path>) -> String {
    let db = match path {
        Some(p) => msg::database_at(p.display()),
        None => msg::the_database(),
    };
    msg::busy(db)
}

fn read_only_message(path: &std::path::Path, place: Place) -> String {
    let p = path.display();
    match place {
        Place::File => msg::read_only_file(p),
        Place::Folder => {
            let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
                Some(d) => d.display().to_string(),
                None => ".".to_string(),
            };
            msg::read_only_folder(p, dir)
        }
    }
}

fn spread_message(spreads: &[crate::followup::Spread]) -> String {
    let lines: Vec<String> = spreads.iter().map(|s| format!("  {s}")).collect();
    msg::choose_window(lines.join("\n"))
}

impl Error {
    /// This error, naming the database at `path` where it did not yet
    /// (a busy database found by a read knows no path).
    pub fn at(self, path: &std::path::Path) -> Error {
        match self {
            Error::Busy { path: None } => Error::Busy {
                path: Some(path.to_path_buf()),
            },
            e => e,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
