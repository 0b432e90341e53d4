//! The harness both targets share: tests/cli (the file engine) and
//! tests/team (PostgreSQL) compile this file, each with its `ENGINE`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Which database every command of a target runs on (`crate::ENGINE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// One SQLite file, `Env::db`.
    File,
    /// A database of its own per `Env` on the throwaway server of
    /// `crate::pg`, set up by `xaas team init`.
    Postgres,
}

pub const TODAY: &str = "2026-11-23";

/// The day the example book is imported on.
pub const BOOK_START: &str = "2026-01-01";

/// What an empty `ids(..)` compares with.
pub const NONE: [&str; 0] = [];

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/services.csv")
}

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The SQLite file (file engine). On PostgreSQL no command uses it: the
    /// database is `db_arg()`.
    pub db: PathBuf,
    /// On PostgreSQL: the test's database, `t_<pid>_<n>`, and its URL.
    pg: Option<(String, String)>,
}

/// One finished run of the binary. The assertions take and give back
/// `self`, so they chain; each failure shows the command line, its exit
/// code, stdout and stderr, at the caller's line.
pub struct Run {
    /// The command as a shell would show it, `xaas` first.
    pub line: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    fn check(&self, holds: bool, what: impl std::fmt::Display) {
        if !holds {
            panic!(
                "{what}\n$ {}\nexit {}\n--- stdout\n{}\n--- stderr\n{}",
                self.line, self.code, self.stdout, self.stderr
            );
        }
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        self.check(self.code == 0, "expected success");
        self
    }

    #[track_caller]
    pub fn fails(self, code: i32) -> Run {
        self.check(self.code == code, format_args!("expected exit {code}"));
        self
    }

    #[track_caller]
    pub fn stdout_has(self, s: &str) -> Run {
        self.check(self.stdout.contains(s), format_args!("stdout lacks {s:?}"));
        self
    }

    #[track_caller]
    pub fn stdout_lacks(self, s: &str) -> Run {
        self.check(!self.stdout.contains(s), format_args!("stdout has {s:?}"));
        self
    }

    #[track_caller]
    pub fn stderr_has(self, s: &str) -> Run {
        self.check(self.stderr.contains(s), format_args!("stderr lacks {s:?}"));
        self
    }

    #[track_caller]
    pub fn stderr_lacks(self, s: &str) -> Run {
        self.check(!self.stderr.contains(s), format_args!("stderr has {s:?}"));
        self
    }

    /// Stdout is exactly `s`, final newline included.
    #[track_caller]
    pub fn stdout_is(self, s: &str) -> Run {
        self.check(self.stdout == s, format_args!("stdout is not {s:?}"));
        self
    }

    /// Stderr is exactly `s`, final newline included.
    #[track_caller]
    pub fn stderr_is(self, s: &str) -> Run {
        self.check(self.stderr == s, format_args!("stderr is not {s:?}"));
        self
    }

    #[track_caller]
    pub fn stdout_starts_with(self, s: &str) -> Run {
        self.check(
            self.stdout.starts_with(s),
            format_args!("stdout does not start with {s:?}"),
        );
        self
    }

    #[track_caller]
    pub fn stdout_empty(self) -> Run {
        self.stdout_is("")
    }

    #[track_caller]
    pub fn stderr_empty(self) -> Run {
        self.stderr_is("")
    }

    /// The service_id column of stdout as TSV.
    pub fn ids(&self) -> Vec<String> {
        ids(&self.stdout)
    }

    /// Stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        match serde_json::from_str(&self.stdout) {
            Ok(v) => v,
            Err(e) => {
                self.check(false, format_args!("stdout is not JSON: {e}"));
                unreachable!()
            }
        }
    }
}

/// Commands as of one day: `env.on("2026-09-25").xaas("due --within 90")`
/// runs `xaas --today 2026-09-25 due --within 90`.
pub struct On<'a> {
    env: &'a Env,
    day: &'a str,
}

impl On<'_> {
    #[track_caller]
    pub fn xaas(&self, line: &str) -> Run {
        let mut args = vec!["--today".to_string(), self.day.to_string()];
        args.extend(split(line));
        self.env.exec(&args, b"", &[])
    }
}

/// `line` split as a shell would split it.
#[track_caller]
pub(crate) fn split(line: &str) -> Vec<String> {
    shell_words::split(line).unwrap_or_else(|e| panic!("cannot split `{line}`: {e}"))
}

impl Default for Env {
    fn default() -> Env {
        Env::new()
    }
}

impl Env {
    /// A fresh database: a file path not yet made (file engine), or a new
    /// database on the test server with `xaas team init` run (PostgreSQL).
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("xaas.db");
        let pg = match crate::ENGINE {
            Engine::File => None,
            Engine::Postgres => {
                let server = crate::pg::server();
                let name = server.create_database();
                let url = server.url(&name);
                Some((name, url))
            }
        };
        let env = Env { dir, db, pg };
        if env.is_pg() {
            env.team_init();
        }
        env
    }

    pub fn engine(&self) -> Engine {
        crate::ENGINE
    }

    pub fn is_pg(&self) -> bool {
        self.engine() == Engine::Postgres
    }

    /// What `--db`/`XAAS_DB` names: the file's path, or
    /// `postgres://tester@127.0.0.1:PORT/t_<pid>_<n>`.
    pub fn db_arg(&self) -> String {
        match &self.pg {
            Some((_, url)) => url.clone(),
            None => self.db.to_string_lossy().into_owned(),
        }
    }

    /// True, saying so on stderr, when this test runs on PostgreSQL and
    /// checks what only a file has (`reason`): `if env.file_only("..") {
    /// return; }`. Written past libtest's capture, so a run shows it.
    pub fn file_only(&self, reason: &str) -> bool {
        if !self.is_pg() {
            return false;
        }
        let thread = std::thread::current();
        let test = thread.name().unwrap_or("a test");
        let _ = writeln!(
            std::io::stderr(),
            "{test}: skipped on PostgreSQL: {reason} (file engine only)"
        );
        true
    }

    /// The database file's bytes (file engine); None on PostgreSQL, where
    /// there is no file (compare `dump()`s there).
    pub fn db_bytes(&self) -> Option<Vec<u8>> {
        match self.pg {
            Some(_) => None,
            None => Some(std::fs::read(&self.db).unwrap()),
        }
    }

    /// `xaas team init` on this test's fresh database, once, by
    /// `Env::new()` (see `pg::MISSING_TEAM_INIT_IS_FATAL`).
    fn team_init(&self) {
        // The roles are the server's, not one database's: two inits at
        // once would race to create them.
        let _one_at_a_time = crate::pg::TEAM_INIT
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let r = self.xaas("team init");
        if r.code == 2 && r.stderr.contains("unrecognized subcommand") {
            let why = "`xaas team init` is not a command of this xaas yet \
                       (the PostgreSQL engine has not landed): team-mode tests cannot run";
            if crate::pg::MISSING_TEAM_INIT_IS_FATAL {
                panic!("{why}\n$ {}\nexit 2\n--- stderr\n{}", r.line, r.stderr);
            }
            let _ = writeln!(std::io::stderr(), "warning: {why}; going on");
            return;
        }
        r.ok();
    }

    /// The binary with no XAAS_* or locale from the caller's environment.
    pub fn cmd(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_cmd())
    }

    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("xaas"));
        for (k, _) in std::env::vars() {
            if k.starts_with("XAAS_")
                || k.starts_with("XDG_")
                || k.starts_with("LC_")
                || k == "LANG"
                || k == "NO_COLOR"
                || k.starts_with("PG")
            {
                c.env_remove(k);
            }
        }
        c.env("XAAS_DB", self.db_arg())
            .env("XAAS_TODAY", TODAY)
            .env("XAAS_USER", "tester")
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path());
        c
    }

    /// `xaas LINE`, LINE split as a shell would (quotes group words).
    #[track_caller]
    pub fn xaas(&self, line: &str) -> Run {
        self.exec(&split(line), b"", &[])
    }

    /// `xaas LINE` reading `stdin`.
    #[track_caller]
    pub fn xaas_in(&self, line: &str, stdin: &[u8]) -> Run {
        self.exec(&split(line), stdin, &[])
    }

    /// `xaas LINE` with some more environment variables set.
    #[track_caller]
    pub fn xaas_with(&self, vars: &[(&str, &str)], line: &str) -> Run {
        self.exec(&split(line), b"", vars)
    }

    /// Commands as of `day` (`--today day`).
    pub fn on<'a>(&'a self, day: &'a str) -> On<'a> {
        On { env: self, day }
    }

    /// The binary with arguments built at run time.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(args, b"")
    }

    pub fn run_in(&self, args: &[&str], stdin: &[u8]) -> Run {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        self.exec(&args, stdin, &[])
    }

    /// `xaas LINE` with some variables set and some removed (the
    /// harness's own `XAAS_USER`, to see what the author falls back to).
    #[track_caller]
    pub fn xaas_env(&self, set: &[(&str, &str)], unset: &[&str], line: &str) -> Run {
        self.exec_unset(&split(line), b"", set, unset)
    }

    /// Writes the personal config file where xaas looks for it with this
    /// test's HOME (`~/.config/xaas/config.toml`); gives its path.
    pub fn config(&self, text: &str) -> String {
        let dir = self.dir.path().join(".config/xaas");
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("config.toml");
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    pub(crate) fn exec(&self, args: &[String], stdin: &[u8], vars: &[(&str, &str)]) -> Run {
        self.exec_unset(args, stdin, vars, &[])
    }

    fn exec_unset(
        &self,
        args: &[String],
        stdin: &[u8],
        vars: &[(&str, &str)],
        unset: &[&str],
    ) -> Run {
        let mut cmd = self.cmd();
        for k in unset {
            cmd.env_remove(k);
        }
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out: Output = cmd.args(args).write_stdin(stdin.to_vec()).output().unwrap();
        let mut line = vec!["xaas"];
        line.extend(args.iter().map(String::as_str));
        Run {
            line: shell_words::join(line),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `cmd` (from `std_cmd`, adjusted: a limit, another user) with
    /// `args`, run to its end; killed by a signal, its exit is -1.
    pub fn run_std(&self, mut cmd: std::process::Command, args: &[&str]) -> Run {
        let out = cmd
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let mut line = vec!["xaas"];
        line.extend(args);
        Run {
            line: shell_words::join(line),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p.to_string_lossy().into_owned()
    }

    /// The example list, imported as of `BOOK_START`: the book exists on
    /// every day a test reads it (a read as of a day before an import
    /// does not see what it brought).
    pub fn import_examples(&self) -> Run {
        self.run(&[
            "--today",
            BOOK_START,
            "import",
            examples().to_str().unwrap(),
        ])
        .ok()
    }

    /// Rows of a query, every value as text (NULL as "∅").
    /// On PostgreSQL through the simple query protocol: values as the
    /// server writes them as text.
    pub fn sql(&self, q: &str) -> Vec<Vec<String>> {
        if let Some((name, _)) = &self.pg {
            return crate::pg::server().sql(name, q);
        }
        let c = rusqlite::Connection::open(&self.db).unwrap();
        let mut st = c.prepare(q).unwrap();
        let n = st.column_count();
        st.query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "∅".to_string(),
                        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                        rusqlite::types::ValueRef::Real(f) => f.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        rusqlite::types::ValueRef::Blob(_) => "<blob>".to_string(),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    pub fn one(&self, q: &str) -> String {
        self.sql(q).remove(0).remove(0)
    }

    /// Everything stored, in a fixed order: equal dumps, equal data.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for t in [
            "customers",
            "services",
            "terms",
            "history",
            "records",
            "record_services",
            "risks",
            "leads",
            "budgets",
        ] {
            for row in self.sql(&format!("SELECT * FROM {t} ORDER BY 1, 2")) {
                out.push_str(t);
                out.push('|');
                out.push_str(&row.join("|"));
                out.push('\n');
            }
        }
        out
    }
}

impl Env {
    pub fn import_examples_raw(&self) -> Run {
        self.run(&["import", examples().to_str().unwrap()])
    }

    /// The log checkpointed into the main file, so that a command that
    /// writes nothing leaves the file's bytes as they are.
    pub fn settle(&self) {
        if self.is_pg() {
            return;
        }
        let c = rusqlite::Connection::open(&self.db).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }

    /// `line` fails with exit `code` and `expect` on stderr, and the
    /// database file is byte for byte what it was (on PostgreSQL: its
    /// `dump()` is).
    #[track_caller]
    pub fn refused(&self, line: &str, code: i32, expect: &str) -> Run {
        if self.is_pg() {
            let before = self.dump();
            let r = self.xaas(line).fails(code).stderr_has(expect);
            assert_eq!(self.dump(), before, "`{line}` changed the database");
            return r;
        }
        self.settle();
        let before = std::fs::read(&self.db).unwrap();
        let r = self.xaas(line).fails(code).stderr_has(expect);
        assert_eq!(
            std::fs::read(&self.db).unwrap(),
            before,
            "`{line}` changed the database"
        );
        r
    }
}

/// The service_id column of TSV output.
pub fn ids(tsv: &str) -> Vec<String> {
    let mut lines = tsv.lines();
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let col = header.split('\t').position(|h| h == "service_id").unwrap();
    lines
        .map(|l| l.split('\t').nth(col).unwrap().to_string())
        .collect()
}
