//! `doctor`'s report: what the database file is, and what a user (or a
//! cron job) runs with. The database part is read by `ops::doctor`; the
//! setup part (where the path came from, the config file, the variables)
//! is the binary's to fill in, since the library reads no environment.
//! The problems and the cron line follow from both, here, pure.

use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

/// What the file at the database path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// No file there.
    Missing,
    /// A file of 0 bytes.
    EmptyFile,
    /// An SQLite database with nothing in it.
    EmptyDatabase,
    /// Not SQLite, or another program's database (`detail` says which).
    Foreign,
    /// An xaas database from a newer xaas.
    Newer,
    /// An xaas database this xaas can use (its version or an older one).
    Xaas,
    /// A file that could not be read (`detail` says why).
    Unreadable,
}

/// How the file keeps its journal (the header's file format bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Journal {
    Wal,
    Rollback,
}

/// Which of SQLite's checks ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// `integrity_check`: every page, every index against its table.
    Integrity,
    /// `quick_check`: every page, without comparing indexes (large files,
    /// unless `--full`).
    Quick,
}

/// A check's verdict: `ok`, or what SQLite said was wrong (its first lines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    pub ok: bool,
    pub errors: Vec<String>,
}

/// Rows in each table; `None` for a table an older schema does not have yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub customers: Option<u64>,
    pub services: Option<u64>,
    pub records: Option<u64>,
    pub history: Option<u64>,
    pub usage: Option<u64>,
    pub open_tasks: Option<u64>,
}

/// The latest import: from the import log; in a database older than
/// the log, from the history (an import writes entries for renewals,
/// corrections and attribute changes, all with one time stamp).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastImport {
    /// Local RFC 3339.
    pub at: String,
    pub author: String,
    /// History entries it wrote (known for a database older than the
    /// import log only).
    pub changes: Option<u64>,
    /// The file and its rows, from the import log (schema V8).
    pub file: Option<Logged>,
}

/// An import as the log keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Logged {
    /// `services` or `usage`.
    pub kind: String,
    /// As the user named it.
    pub file: String,
    pub rows: u64,
    pub rejected: u64,
}

/// One team setting as in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub key: &'static str,
    pub value: String,
    pub default: bool,
}

/// What `ops::doctor::examine` found in the database file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Database {
    #[serde(serialize_with = "path_text")]
    pub path: PathBuf,
    pub kind: Kind,
    /// For `Foreign` and `Unreadable`: what it is, or why it cannot be read.
    pub detail: Option<String>,
    /// Bytes of the file, and of its -wal file when there is one.
    pub size: Option<u64>,
    pub wal_size: Option<u64>,
    /// `user_version`, for any SQLite file.
    pub schema: Option<i64>,
    /// The newest schema version this xaas knows.
    pub schema_latest: i64,
    pub journal: Option<Journal>,
    pub check: Option<Check>,
    pub counts: Option<Counts>,
    pub last_import: Option<LastImport>,
    pub settings: Vec<Setting>,
    /// What this user cannot write, for an xaas database: every command
    /// opens it for writing (WAL), so either stops them all.
    pub read_only: Option<ReadOnly>,
}

/// The database file, or the folder it is in, cannot be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadOnly {
    File,
    Folder,
}

impl Database {
    /// A report on `path` with nothing found yet.
    pub fn new(path: &Path, kind: Kind, schema_latest: i64) -> Database {
        Database {
            path: path.to_path_buf(),
            kind,
            detail: None,
            size: None,
            wal_size: None,
            schema: None,
            schema_latest,
            read_only: None,
            journal: None,
            check: None,
            counts: None,
            last_import: None,
            settings: Vec::new(),
        }
    }
}

/// Where the database path came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathSource {
    /// `--db PATH`.
    Flag,
    /// `XAAS_DB`.
    Env,
    /// The default place (the `directories` data folder).
    Default,
}

/// The personal config file, as this run found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigFile {
    /// None without a home folder (and no `XAAS_CONFIG`).
    #[serde(serialize_with = "opt_path_text")]
    pub path: Option<PathBuf>,
    /// Named by `XAAS_CONFIG` rather than found in the default place.
    pub named: bool,
    pub exists: bool,
    /// Why it cannot be used, as the commands would say it.
    pub error: Option<String>,
}

/// What this run resolved, and the environment it read: the binary's part
/// of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    pub db_source: PathSource,
    pub config: ConfigFile,
    /// `en` or `zh`.
    pub lang: &'static str,
    pub author: String,
    /// What `--mine` means.
    pub mine: Option<String>,
    /// The day commands judge on (`--today`, `XAAS_TODAY` or the clock).
    pub today: String,
    /// Why `XAAS_TODAY` cannot be used, if it cannot.
    pub today_error: Option<String>,
    /// The variables xaas reads, with their values (`None`: unset).
    #[serde(serialize_with = "vars_map")]
    pub vars: Vec<(&'static str, Option<String>)>,
    pub stdout_terminal: bool,
    /// This binary, absolute.
    #[serde(serialize_with = "path_text")]
    pub binary: PathBuf,
    /// The database path, absolute.
    #[serde(serialize_with = "path_text")]
    pub db_absolute: PathBuf,
}

/// What stops xaas (or a cron job) from working, one per fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Missing,
    EmptyFile,
    EmptyDatabase,
    Foreign {
        what: String,
    },
    Newer {
        found: i64,
        supported: i64,
    },
    Unreadable {
        error: String,
    },
    CheckFailed {
        kind: CheckKind,
        errors: Vec<String>,
    },
    Config {
        error: String,
    },
    Today {
        error: String,
    },
    ReadOnly {
        place: ReadOnly,
    },
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub healthy: bool,
    pub problems: Vec<Problem>,
    pub database: Database,
    pub setup: Setup,
    /// A crontab line to copy.
    pub cron: String,
}

impl Report {
    pub fn new(database: Database, setup: Setup) -> Report {
        let problems = problems(&database, &setup);
        let cron = cron_line(&setup);
        Report {
            healthy: problems.is_empty(),
            problems,
            database,
            setup,
            cron,
        }
    }
}

/// Every fault the report shows, the database's first.
pub fn problems(db: &Database, setup: &Setup) -> Vec<Problem> {
    let detail = || db.detail.clone().unwrap_or_default();
    let mut out = Vec::new();
    match db.kind {
        Kind::Missing => out.push(Problem::Missing),
        Kind::EmptyFile => out.push(Problem::EmptyFile),
        Kind::EmptyDatabase => out.push(Problem::EmptyDatabase),
        Kind::Foreign => out.push(Problem::Foreign { what: detail() }),
        Kind::Newer => out.push(Problem::Newer {
            found: db.schema.unwrap_or_default(),
            supported: db.schema_latest,
        }),
        Kind::Unreadable => out.push(Problem::Unreadable { error: detail() }),
        Kind::Xaas => {}
    }
    if let Some(place) = db.read_only {
        out.push(Problem::ReadOnly { place });
    }
    if let Some(c) = db.check.as_ref().filter(|c| !c.ok) {
        out.push(Problem::CheckFailed {
            kind: c.kind,
            errors: c.errors.clone(),
        });
    }
    if let Some(e) = &setup.config.error {
        out.push(Problem::Config { error: e.clone() });
    }
    if let Some(e) = &setup.today_error {
        out.push(Problem::Today { error: e.clone() });
    }
    out
}

/// `0 8 * * 1-5 XAAS_DB=/abs/x.db /abs/xaas due --within 30`: weekdays at
/// 8, this binary on this database, with what cron's bare environment
/// lacks and this run had (another config file, the time zone, Chinese).
pub fn cron_line(setup: &Setup) -> String {
    let var = |name: &str| {
        setup
            .vars
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.clone())
    };
    let mut words = vec![format!(
        "XAAS_DB={}",
        cron_word(&setup.db_absolute.to_string_lossy())
    )];
    if setup.config.named {
        if let Some(p) = &setup.config.path {
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            words.push(format!("XAAS_CONFIG={}", cron_word(&abs.to_string_lossy())));
        }
    }
    if let Some(tz) = var("TZ") {
        words.push(format!("TZ={}", cron_word(&tz)));
    }
    words.push(cron_word(&setup.binary.to_string_lossy()));
    if setup.lang == "zh" {
        words.push("--lang zh".into());
    }
    words.push("due --within 30".into());
    format!("0 8 * * 1-5 {}", words.join(" "))
}

/// A word for the shell cron runs (single-quoted when it needs to be),
/// with `%` escaped: cron turns a bare one into a newline, even in quotes.
pub fn cron_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%=".contains(c));
    let quoted = if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    };
    quoted.replace('%', r"\%")
}

/// A role the login has on a team database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    XaasCsm,
    XaasLead,
    Superuser,
}

/// What `ops::doctor::examine_team` found at a team database's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamDatabase {
    /// The address as given (a password in it shown as `***`).
    pub address: String,
    pub connected: bool,
    /// Why it could not connect, or could not be read.
    pub error: Option<String>,
    /// The schema version in `xaas_meta`; `None`: no xaas book there.
    pub schema: Option<i64>,
    pub schema_latest: i64,
    /// The login connected.
    pub login: Option<String>,
    /// Its roles (none: empty).
    pub roles: Vec<Role>,
}

/// What stops xaas from working on a team database, one per fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TeamProblem {
    CannotConnect { error: String },
    NoSchema,
    Newer { found: i64, supported: i64 },
    Older { found: i64, supported: i64 },
    Config { error: String },
    Today { error: String },
}

/// The whole report on a team database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamReport {
    pub healthy: bool,
    pub problems: Vec<TeamProblem>,
    pub database: TeamDatabase,
    pub setup: Setup,
    /// A crontab line to copy (`XAAS_DB` set to the address).
    pub cron: String,
}

impl TeamReport {
    /// `setup.db_absolute` is taken to be the address.
    pub fn new(database: TeamDatabase, setup: Setup) -> TeamReport {
        let mut problems = Vec::new();
        match (&database.error, database.schema) {
            (Some(e), _) if !database.connected => {
                problems.push(TeamProblem::CannotConnect { error: e.clone() })
            }
            (_, None) | (_, Some(0)) => problems.push(TeamProblem::NoSchema),
            (_, Some(v)) if v > database.schema_latest => problems.push(TeamProblem::Newer {
                found: v,
                supported: database.schema_latest,
            }),
            (_, Some(v)) if v < database.schema_latest => problems.push(TeamProblem::Older {
                found: v,
                supported: database.schema_latest,
            }),
            _ => {}
        }
        if let Some(e) = &setup.config.error {
            problems.push(TeamProblem::Config { error: e.clone() });
        }
        if let Some(e) = &setup.today_error {
            problems.push(TeamProblem::Today { error: e.clone() });
        }
        let cron = cron_line(&setup);
        TeamReport {
            healthy: problems.is_empty(),
            problems,
            database,
            setup,
            cron,
        }
    }
}

fn path_text<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// The variables as one JSON object, in their order.
fn vars_map<S: Serializer>(
    vars: &[(&'static str, Option<String>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(vars.len()))?;
    for (k, v) in vars {
        m.serialize_entry(k, v)?;
    }
    m.end()
}

fn opt_path_text<S: Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => path_text(p, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(db: &str, bin: &str, vars: Vec<(&'static str, Option<String>)>) -> Setup {
        Setup {
            db_source: PathSource::Env,
            config: ConfigFile {
                path: None,
                named: false,
                exists: false,
                error: None,
            },
            lang: "en",
            author: "tester".into(),
            mine: None,
            today: "2026-11-23".into(),
            today_error: None,
            vars,
            stdout_terminal: false,
            binary: bin.into(),
            db_absolute: db.into(),
        }
    }

    #[test]
    fn a_cron_word_survives_the_shell_and_cron() {
        assert_eq!(cron_word("/usr/local/bin/xaas"), "/usr/local/bin/xaas");
        assert_eq!(cron_word("/home/li na/x.db"), "'/home/li na/x.db'");
        assert_eq!(cron_word("/srv/it's.db"), r"'/srv/it'\''s.db'");
        assert_eq!(cron_word("/srv/100%.db"), r"/srv/100\%.db");
        assert_eq!(cron_word("/srv/a b%.db"), r"'/srv/a b\%.db'");
        assert_eq!(cron_word("/数据/x.db"), "'/数据/x.db'");
        assert_eq!(cron_word(""), "''");
    }

    #[test]
    fn the_cron_line_carries_what_cron_lacks() {
        let s = setup("/data/x.db", "/usr/bin/xaas", vec![("TZ", None)]);
        assert_eq!(
            cron_line(&s),
            "0 8 * * 1-5 XAAS_DB=/data/x.db /usr/bin/xaas due --within 30"
        );
        let mut s = setup(
            "/data/x.db",
            "/opt/my tools/xaas",
            vec![("TZ", Some("Asia/Shanghai".into()))],
        );
        s.lang = "zh";
        s.config = ConfigFile {
            path: Some("/etc/xaas.toml".into()),
            named: true,
            exists: true,
            error: None,
        };
        assert_eq!(
            cron_line(&s),
            "0 8 * * 1-5 XAAS_DB=/data/x.db XAAS_CONFIG=/etc/xaas.toml TZ=Asia/Shanghai \
             '/opt/my tools/xaas' --lang zh due --within 30"
        );
    }

    #[test]
    fn each_fault_is_one_problem() {
        let s = setup("/x.db", "/xaas", Vec::new());
        let mut db = Database::new(Path::new("/x.db"), Kind::Xaas, 7);
        assert_eq!(problems(&db, &s), Vec::new());
        db.check = Some(Check {
            kind: CheckKind::Quick,
            ok: false,
            errors: vec!["page 3 is never used".into()],
        });
        let mut s2 = s.clone();
        s2.today_error = Some("XAAS_TODAY: bad".into());
        let found = problems(&db, &s2);
        assert_eq!(found.len(), 2);
        assert!(matches!(
            found[0],
            Problem::CheckFailed {
                kind: CheckKind::Quick,
                ..
            }
        ));
        let mut newer = Database::new(Path::new("/x.db"), Kind::Newer, 7);
        newer.schema = Some(9);
        assert_eq!(
            problems(&newer, &s),
            vec![Problem::Newer {
                found: 9,
                supported: 7
            }]
        );
        let r = Report::new(Database::new(Path::new("/x.db"), Kind::Missing, 7), s);
        assert!(!r.healthy);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["problems"][0]["problem"], "missing");
        assert_eq!(json["database"]["kind"], "missing");
    }
}
