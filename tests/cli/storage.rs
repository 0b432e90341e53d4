//! Storage faults (SPEC "Storage"): a file xaas did not create is refused
//! untouched, and each fault says what it is (not an xaas database, a
//! newer version, a read-only file or folder, busy), never one message for
//! all. Each case checks the exit code, the message, and that the folder
//! holding the database is byte for byte as it was: no -wal, -shm or
//! -journal left next to a file xaas refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;

/// Every file in `dir`, with its bytes.
pub(super) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

#[track_caller]
pub(super) fn assert_untouched(before: &BTreeMap<String, Vec<u8>>, dir: &Path, what: &str) {
    let after = snapshot(dir);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&after), names(before), "{what}: files next to it");
    for (name, bytes) in before {
        assert!(after[name] == *bytes, "{what}: `{name}` changed");
    }
}

/// A fresh folder `name` in the test's folder.
pub(super) fn folder(env: &Env, name: &str) -> PathBuf {
    let dir = env.dir.path().join(name);
    std::fs::create_dir(&dir).unwrap();
    dir
}

/// `xaas --db DB LINE`.
fn on_db(env: &Env, db: &Path, line: &str) -> Run {
    env.exec(&with_db(db, line), b"", &[])
}

/// `--db DB` and LINE split as a shell would.
fn with_db(db: &Path, line: &str) -> Vec<String> {
    let mut args = vec!["--db".to_string(), db.to_string_lossy().into_owned()];
    args.extend(split(line));
    args
}

/// What each command is refused with: the reads, and the writes (import
/// creates a missing file, so it is checked too).
fn commands() -> Vec<String> {
    vec![
        "due --within 30".into(),
        "list".into(),
        format!("import {}", examples().display()),
        "followup set --service S00004 --status at_risk --note hi".into(),
        "stats".into(),
    ]
}

/// A browser's bookmarks, as an SQLite file of another program.
fn bookmarks(path: &Path, journal: &str, user_version: i64) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", journal).unwrap();
    c.pragma_update(None, "user_version", user_version).unwrap();
    c.execute_batch(
        "CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, title TEXT, url TEXT);
         INSERT INTO moz_bookmarks (title, url) VALUES ('xaas', 'https://example.com');",
    )
    .unwrap();
}

#[test]
fn a_file_of_another_program_is_refused_untouched() {
    type Make = fn(&Path);
    let cases: &[(&str, Make)] = &[
        ("bookmarks, rollback journal", |p| bookmarks(p, "delete", 0)),
        // As Firefox keeps places.sqlite: WAL, a user_version of its own.
        ("bookmarks, WAL", |p| bookmarks(p, "wal", 77)),
        // Another program's tables at a version number xaas also uses.
        ("bookmarks at user_version 3", |p| bookmarks(p, "delete", 3)),
        ("an SQLite file with a user_version and no tables", |p| {
            let c = rusqlite::Connection::open(p).unwrap();
            c.pragma_update(None, "user_version", 5).unwrap();
        }),
        ("a text file", |p| {
            std::fs::write(p, "just some notes\n").unwrap()
        }),
        ("a short binary file", |p| {
            std::fs::write(p, [0u8, 1, 2]).unwrap()
        }),
    ];
    for (what, make) in cases {
        for line in commands() {
            let env = Env::new();
            let dir = folder(&env, "other");
            let db = dir.join("bookmarks.sqlite");
            make(&db);
            let before = snapshot(&dir);
            on_db(&env, &db, &line)
                .fails(1)
                .stderr_has(&format!("`{}` is not an xaas database", db.display()))
                .stderr_has("hint:");
            assert_untouched(&before, &dir, &format!("{what}, `{line}`"));
        }
    }
}

#[test]
fn a_newer_database_is_refused_with_its_bytes_identical() {
    for journal in ["wal", "delete"] {
        let env = Env::new();
        env.import_examples();
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.pragma_update(None, "journal_mode", journal).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let dir = folder(&env, "newer");
        let db = dir.join("xaas.db");
        std::fs::copy(&env.db, &db).unwrap();
        let before = snapshot(&dir);
        for line in commands() {
            on_db(&env, &db, &line)
                .fails(1)
                .stderr_has(&format!("`{}` has schema version 99", db.display()))
                .stderr_has("upgrade xaas")
                .stderr_lacks("not an xaas database");
            assert_untouched(&before, &dir, &format!("{journal}, `{line}`"));
        }
    }
}

/// An empty file (a database truncated, or made by `touch`) is refused by
/// a command that reads: read as an empty book, `due` in cron would stay
/// silent for good. An import makes it a database.
#[test]
fn an_empty_file_is_refused_by_a_read_and_made_a_database_by_an_import() {
    let env = Env::new();
    std::fs::write(&env.db, "").unwrap();
    env.xaas("due --within 30")
        .fails(1)
        .stdout_empty()
        .stderr_has("is empty: there is no xaas database in it");
    assert_eq!(std::fs::metadata(&env.db).unwrap().len(), 0);
    env.import_examples();
    assert_eq!(env.one("SELECT count(*) FROM services"), "50");
}

/// The busy timeout for these tests: the real one (10 s) is for people.
const QUICK: [(&str, &str); 1] = [("XAAS_BUSY_TIMEOUT_MS", "300")];

#[test]
fn a_lock_held_in_rollback_mode_makes_reads_and_writes_busy() {
    // A first import writes in rollback mode (no WAL), holding the lock
    // that readers need too.
    let env = Env::new();
    env.import_examples();
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.pragma_update(None, "journal_mode", "delete").unwrap();
    // Read before locking: closing any descriptor of the file would drop
    // this process's POSIX locks on it, the transaction's included.
    let before = std::fs::read(&env.db).unwrap();
    c.execute_batch("BEGIN EXCLUSIVE").unwrap();
    for line in [
        "due --within 30",
        "list",
        "followup set --service S00004 --status at_risk --note hi",
    ] {
        env.xaas_with(&QUICK, line)
            .fails(1)
            .stderr_has(&format!("database `{}` is busy", env.db.display()))
            .stderr_has("another xaas command")
            .stderr_has("wait for it")
            .stderr_lacks("not an xaas database");
    }
    c.execute_batch("COMMIT").unwrap();
    drop(c);
    assert!(
        std::fs::read(&env.db).unwrap() == before,
        "the file changed"
    );
}

#[test]
fn a_write_lock_held_in_wal_mode_makes_writes_busy_and_lets_reads_run() {
    let env = Env::new();
    env.import_examples();
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    env.xaas_with(&QUICK, "due --within 90").ok();
    env.xaas_with(
        &QUICK,
        "followup set --service S00004 --status at_risk --note hi",
    )
    .fails(1)
    .stderr_has(&format!("database `{}` is busy", env.db.display()))
    .stderr_has("wait for it");
    c.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        env.one("SELECT count(*) FROM records"),
        "0",
        "nothing written"
    );
}

/// How to run xaas so that file permissions bind it: as this user, or,
/// when the tests run as root (whom no permission stops), as `nobody`
/// through `setpriv`. `None` (with a note on stderr) when neither works:
/// the read-only cases cannot be checked here.
pub(super) fn unprivileged(env: &Env) -> Option<Vec<String>> {
    let probe = folder(env, "permission-probe");
    set_mode(&probe, 0o555);
    let bound = std::fs::File::create(probe.join("x")).is_err();
    set_mode(&probe, 0o755);
    std::fs::remove_dir_all(&probe).unwrap();
    if bound {
        return Some(Vec::new());
    }
    // Root: hand the test's folder to nobody and run as nobody.
    let prefix: Vec<String> = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
    ]
    .map(String::from)
    .to_vec();
    chown_all(env.dir.path(), 65534);
    let works = as_user(env, &prefix, &["--version".to_string()]).code == 0;
    if !works {
        eprintln!(
            "skipped: running as root, where file permissions do not bind, and \
             `setpriv` cannot run xaas as nobody"
        );
        return None;
    }
    Some(prefix)
}

/// `xaas ARGS` run through `prefix` (empty: directly).
pub(super) fn as_user(env: &Env, prefix: &[String], args: &[String]) -> Run {
    let inner = env.std_cmd();
    let mut cmd = match prefix.split_first() {
        None => env.std_cmd(),
        Some((program, rest)) => {
            let mut c = std::process::Command::new(program);
            c.args(rest).arg(inner.get_program());
            for (k, v) in inner.get_envs() {
                match v {
                    Some(v) => c.env(k, v),
                    None => c.env_remove(k),
                };
            }
            if let Some(d) = inner.get_current_dir() {
                c.current_dir(d);
            }
            c
        }
    };
    let out = cmd.args(args).output().unwrap();
    let mut line = vec!["xaas"];
    line.extend(args.iter().map(String::as_str));
    Run {
        line: shell_words::join(line),
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub(super) fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown_all(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            chown_all(&e.unwrap().path(), uid);
        }
    }
}

#[test]
fn a_read_only_file_is_named_as_such() {
    let env = Env::new();
    env.import_examples();
    let dir = folder(&env, "data");
    let db = dir.join("xaas.db");
    std::fs::rename(&env.db, &db).unwrap();
    let Some(prefix) = unprivileged(&env) else {
        return;
    };
    set_mode(&db, 0o444);
    let before = snapshot(&dir);
    for line in commands() {
        as_user(&env, &prefix, &with_db(&db, &line))
            .fails(1)
            .stderr_has(&format!("database `{}` is a read-only file", db.display()))
            .stderr_has("chmod u+w")
            .stderr_lacks("not an xaas database");
        assert_untouched(&before, &dir, &line);
    }
}

#[test]
fn a_read_only_folder_is_named_as_such() {
    let env = Env::new();
    env.import_examples();
    let dir = folder(&env, "data");
    let db = dir.join("xaas.db");
    std::fs::rename(&env.db, &db).unwrap();
    let Some(prefix) = unprivileged(&env) else {
        return;
    };
    set_mode(&dir, 0o555);
    let before = snapshot(&dir);
    let new = dir.join("new.db");
    let import_new = format!("import {}", examples().display());
    for (db, line) in commands()
        .into_iter()
        .map(|line| (&db, line))
        .chain([(&new, import_new)])
    {
        as_user(&env, &prefix, &with_db(db, &line))
            .fails(1)
            .stderr_has(&format!(
                "database `{}` is in a read-only folder",
                db.display()
            ))
            .stderr_has("chmod u+w")
            .stderr_lacks("not an xaas database");
        assert_untouched(&before, &dir, &line);
    }
    set_mode(&dir, 0o755);
}
