//! Library errors. Every variant is a runtime error (exit 1 at the edge);
//! usage errors belong to the CLI.

use std::path::PathBuf;

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
    #[error("no database at `{}`\nhint: run `xaas import FILE` first, or point --db / XAAS_DB at the right file", .0.display())]
    NoDatabase(PathBuf),
    #[error("database `{}` has schema version {found}, but this xaas knows versions up to {supported}\nhint: upgrade xaas; it will not touch a newer database", path.display())]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// The cause follows in the error chain (printed as `context: cause`).
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value of an unexpected type.
    #[error("database value: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
}

fn spread_message(spreads: &[crate::followup::Spread]) -> String {
    let lines: Vec<String> = spreads.iter().map(|s| format!("  {s}")).collect();
    format!(
        "the services to change lie in more than one window; nothing changed:\n{}\nhint: say which with --window W (repeatable), or --window all",
        lines.join("\n")
    )
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
