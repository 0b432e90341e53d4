//! Integration tests: the real binary on a temporary database, with a
//! fixed `--today` and a hermetic environment.

mod followup;
mod import;
mod stats;
mod views;

use std::path::{Path, PathBuf};
use std::process::Output;

pub const TODAY: &str = "2026-11-23";

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/services.csv")
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Default for Env {
    fn default() -> Env {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("xaas.db");
        Env { dir, db }
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
            {
                c.env_remove(k);
            }
        }
        c.env("XAAS_DB", &self.db)
            .env("XAAS_TODAY", TODAY)
            .env("XAAS_USER", "tester")
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(args, b"")
    }

    pub fn run_in(&self, args: &[&str], stdin: &[u8]) -> Run {
        let out: Output = self
            .cmd()
            .args(args)
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap();
        Run {
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

    pub fn import_examples(&self) -> Run {
        self.run(&["import", examples().to_str().unwrap()]).ok()
    }

    /// Rows of a query, every value as text (NULL as "∅").
    pub fn sql(&self, q: &str) -> Vec<Vec<String>> {
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
