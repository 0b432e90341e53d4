//! The messages of completions, man, doctor and backup, each written
//! once, in English, ready to move to the message catalogue.

use std::path::Path;

use xaas::doctor::{
    Check, CheckKind, ConfigFile, Counts, Database, Journal, Kind, LastImport, PathSource, Problem,
    Setting,
};

use super::output;

pub fn no_folder(dir: &Path) -> String {
    format!(
        "there is no folder `{}`\nhint: create it first (mkdir -p), or name an existing folder",
        dir.display()
    )
}

pub fn wrote_pages(n: usize, dir: &Path) -> String {
    format!("wrote {n} man pages to `{}`", dir.display())
}

// doctor: the report's titles and labels.

pub fn database() -> String {
    "Database".into()
}
pub fn path() -> String {
    "path".into()
}
pub fn file() -> String {
    "file".into()
}
pub fn schema() -> String {
    "schema".into()
}
pub fn journal() -> String {
    "journal mode".into()
}
pub fn check() -> String {
    "integrity".into()
}
pub fn counts() -> String {
    "rows".into()
}
pub fn last_import() -> String {
    "last import".into()
}
pub fn settings() -> String {
    "Team settings (xaas settings)".into()
}
pub fn setup() -> String {
    "Setup".into()
}
pub fn config_file() -> String {
    "config file".into()
}
pub fn language() -> String {
    "language".into()
}
pub fn author() -> String {
    "author".into()
}
pub fn today() -> String {
    "today".into()
}
pub fn stdout() -> String {
    "stdout".into()
}
pub fn binary() -> String {
    "binary".into()
}
pub fn environment() -> String {
    "Environment (the variables xaas reads)".into()
}
pub fn cron() -> String {
    "Cron (weekdays at 8:00; add with `crontab -e`)".into()
}
pub fn healthy() -> String {
    "No problem found".into()
}
pub fn problems(n: usize) -> String {
    format!("Problems ({n})")
}

// doctor: the report's values.

/// The path as given, where it came from, and where a relative one is.
pub fn path_from(path: &Path, absolute: &Path, source: PathSource) -> String {
    let from = match source {
        PathSource::Flag => "from --db",
        PathSource::Env => "from XAAS_DB",
        PathSource::Default => "the default place; --db or XAAS_DB name another",
    };
    if path.is_absolute() {
        format!("{} ({from})", path.display())
    } else {
        format!(
            "{} ({from})\n= {} from here\n(cron starts in your home folder)",
            path.display(),
            absolute.display()
        )
    }
}

pub fn file_state(d: &Database) -> String {
    let size = match (d.size, d.wal_size) {
        (Some(s), Some(w)) if w > 0 => format!("{}, and {} in its -wal file", bytes(s), bytes(w)),
        (Some(s), _) => bytes(s),
        (None, _) => String::new(),
    };
    let detail = d.detail.as_deref().unwrap_or("");
    match d.kind {
        Kind::Missing => "not there".into(),
        Kind::EmptyFile => "0 bytes: an empty file".into(),
        Kind::EmptyDatabase => format!("{size}: an SQLite database with nothing in it"),
        Kind::Foreign => format!("{size}: not an xaas database ({detail})"),
        Kind::Newer => format!("{size}: an xaas database from a newer xaas"),
        Kind::Xaas => format!("{size}: an xaas database"),
        Kind::Unreadable if size.is_empty() => format!("cannot be read: {detail}"),
        Kind::Unreadable => format!("{size}: cannot be read: {detail}"),
    }
}

/// `12.3 MB`: sizes for people (powers of 1,000, as `ls -lh --si`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

pub fn schema_version(v: i64, latest: i64) -> String {
    match v.cmp(&latest) {
        std::cmp::Ordering::Equal => format!("version {v}, the newest this xaas knows"),
        std::cmp::Ordering::Less if v == 0 => "version 0: no xaas schema".into(),
        std::cmp::Ordering::Less => format!(
            "version {v}; this xaas knows up to {latest} and\nupgrades it on the next command that opens it"
        ),
        std::cmp::Ordering::Greater => {
            format!("version {v}; this xaas knows only up to {latest}")
        }
    }
}

pub fn journal_mode(j: Journal) -> String {
    match j {
        Journal::Wal => "wal".into(),
        Journal::Rollback => {
            "delete (a rollback journal); the next xaas\ncommand that opens it switches it to wal"
                .into()
        }
    }
}

pub fn check_result(c: &Check) -> String {
    let how = match c.kind {
        CheckKind::Integrity => "integrity_check",
        CheckKind::Quick => "quick_check, as the file is large;\n--full runs integrity_check",
    };
    if c.ok {
        format!("ok ({how})")
    } else {
        format!("FAILED ({how}):\n{}", c.errors.join("\n"))
    }
}

pub fn count_list(c: &Counts) -> String {
    let n = |v: Option<u64>, one: &str, many: &str| match v {
        Some(1) => format!("1 {one}"),
        Some(v) => format!("{} {many}", output::thousands(v)),
        None => format!("no {many} yet (an older schema)"),
    };
    format!(
        "{} · {} · {}\n{} · {} · {}",
        n(c.customers, "customer", "customers"),
        n(c.services, "service", "services"),
        n(c.records, "follow-up record", "follow-up records"),
        n(c.history, "history entry", "history entries"),
        n(c.usage, "usage row", "usage rows"),
        n(c.open_tasks, "open task", "open tasks"),
    )
}

pub fn import_line(last: Option<&LastImport>) -> String {
    match last {
        Some(l) => format!(
            "{} by {}: {} change{} to what was there\n(the file's name and row count are not stored)",
            output::short_time(&l.at),
            l.author,
            output::thousands(l.changes),
            if l.changes == 1 { "" } else { "s" }
        ),
        None => "none in the history (an import that only adds\n\
                 services writes none; the file's name and row\n\
                 count are not stored)"
            .into(),
    }
}

pub fn setting_value(s: &Setting) -> String {
    if s.default {
        format!("{} (default)", s.value)
    } else {
        s.value.clone()
    }
}

pub fn config_state(c: &ConfigFile) -> String {
    let Some(p) = &c.path else {
        return "none: no home folder to look in".into();
    };
    let p = p.display();
    match (&c.error, c.exists, c.named) {
        (Some(e), _, _) => format!("{p}: {e}"),
        (None, true, true) => format!("{p} (named by XAAS_CONFIG)"),
        (None, true, false) => p.to_string(),
        (None, false, _) => format!("{p} (not there: no personal defaults)"),
    }
}

pub fn mine(csm: Option<&str>) -> String {
    match csm {
        Some(c) => c.to_string(),
        None => "none (set XAAS_CSM, or `csm` in the config file)".into(),
    }
}

pub fn terminal(yes: bool) -> String {
    if yes {
        "a terminal: tables by default".into()
    } else {
        "not a terminal: TSV by default".into()
    }
}

pub fn var_value(v: Option<&str>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "(unset)".into(),
    }
}

pub fn cron_silence() -> String {
    "cron mails what a job prints, and `due` prints nothing when nothing is due:\n\
     no mail means nothing was due. A database that is not there is loud\n\
     (exit 1 and an error, which cron mails)."
        .into()
}

pub fn cron_environment() -> String {
    "cron's environment is bare (no LANG, no XAAS_*, a short PATH): the line\n\
     names the database and this binary by absolute path. To see what a job\n\
     sees, run `xaas doctor` from cron once with the same variables."
        .into()
}

/// A problem, then what to do about it.
pub fn problem_with_hint(p: &Problem, path: &Path) -> String {
    let db = path.display();
    match p {
        Problem::Missing => format!(
            "no database at `{db}`\nhint: run `xaas import FILE` first, or point --db / XAAS_DB at the right file (doctor never creates one)"
        ),
        Problem::EmptyFile => format!(
            "`{db}` is an empty file (0 bytes), not an xaas database\nhint: `xaas import FILE` makes it one; if it held your book, restore a backup"
        ),
        Problem::EmptyDatabase => format!(
            "`{db}` is an SQLite database with nothing in it, not an xaas database yet\nhint: `xaas import FILE` makes it one, or point --db / XAAS_DB at the right file"
        ),
        Problem::Foreign { what } => format!(
            "`{db}` is not an xaas database ({what})\nhint: --db / XAAS_DB must name a database that xaas created"
        ),
        Problem::Newer { found, supported } => format!(
            "database `{db}` has schema version {found}, but this xaas knows versions up to {supported}\nhint: upgrade xaas; it will not touch a newer database (doctor left it as it was)"
        ),
        Problem::Unreadable { error } => format!(
            "{error}\nhint: check the file's permissions, and whether another program holds it"
        ),
        Problem::CheckFailed { kind, errors } => {
            let how = match kind {
                CheckKind::Integrity => "integrity_check",
                CheckKind::Quick => "quick_check",
            };
            format!(
                "`{db}` failed SQLite's {how}: {}\nhint: restore the latest backup (`xaas backup -o FILE` makes them); the sqlite3 shell's `.recover` may save what is left",
                errors.first().map_or("", String::as_str)
            )
        }
        Problem::Config { error } | Problem::Today { error } => error.clone(),
    }
}
