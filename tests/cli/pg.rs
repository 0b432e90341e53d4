//! A throwaway PostgreSQL server for team mode's tests, started once per
//! test process (the first `server()` call) and gone when it ends.
//!
//! The binaries: `XAAS_TEST_PG_BIN`, else the newest
//! /usr/lib/postgresql/*/bin, else `pg_config --bindir`. `initdb` makes a
//! cluster in a fresh temporary folder (trust authentication, superuser
//! `xaas_admin`, UTF8, no locale); `postgres` listens on a free loopback
//! port and a socket in that folder, with durability off (fsync,
//! synchronous_commit, full_page_writes). PostgreSQL refuses to run as
//! root, so as root both run as the `postgres` OS user.
//!
//! Statics are never dropped: a watchdog shell started beside the server
//! waits for this process to end, then stops the server (SIGINT, a fast
//! shutdown) and removes the folder.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The cluster's superuser, whom every test connects as: named as the
/// harness's `XAAS_USER`, so that the author PostgreSQL records (the login)
/// is the one tests expect.
pub const ADMIN: &str = "tester";

/// What `Env::new()` does when the binary has no `team init` yet (exit 2,
/// "unrecognized subcommand", before the PostgreSQL engine lands). true:
/// it panics saying so, and every team-mode test fails with that reason.
/// false: it warns on stderr and goes on with the empty database, so a test
/// runs until its first command fails (to try the harness itself).
pub const MISSING_TEAM_INIT_IS_FATAL: bool = true;

/// Held while `xaas team init` runs: the roles it creates are the
/// server's, and two inits creating them at once would race.
pub static TEAM_INIT: Mutex<()> = Mutex::new(());

/// How long the server may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Server {
    pub port: u16,
    /// The temporary folder: `data/` (the cluster), the socket,
    /// `server.log`.
    pub dir: PathBuf,
    /// The postmaster's process id.
    pub pid: u32,
    /// From the first `server()` call to the first connection accepted
    /// (initdb included).
    pub started_in: Duration,
    /// A connection to `postgres` as `ADMIN`, for CREATE DATABASE.
    admin: Mutex<postgres::Client>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// The process's server, started on the first call.
pub fn server() -> &'static Server {
    SERVER.get_or_init(start)
}

impl Server {
    /// The URL xaas is given for `db` (`--db`/`XAAS_DB`).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{ADMIN}@127.0.0.1:{}/{db}", self.port)
    }

    /// A new connection to `db` as `ADMIN`.
    pub fn connect(&self, db: &str) -> postgres::Client {
        connect(self.port, db).unwrap_or_else(|e| panic!("cannot connect to `{db}`: {e}"))
    }

    /// A new empty database, `t_<pid>_<n>`; gives its name.
    pub fn create_database(&self) -> String {
        let name = format!(
            "t_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        self.admin
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {}", message(&e)));
        name
    }

    /// Rows of a query on `db`, every value as the server writes it as
    /// text (NULL as "∅"), as `Env::sql` gives them for a file.
    pub fn sql(&self, db: &str, q: &str) -> Vec<Vec<String>> {
        let rows = self
            .connect(db)
            .simple_query(q)
            .unwrap_or_else(|e| panic!("{q}\n{}", message(&e)));
        rows.into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => Some(
                    (0..r.len())
                        .map(|i| r.get(i).unwrap_or("∅").to_string())
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }
}

/// The server's own message when it sent one.
fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    }
}

fn connect(port: u16, db: &str) -> Result<postgres::Client, postgres::Error> {
    postgres::Client::connect(
        &format!("host=127.0.0.1 port={port} user={ADMIN} dbname={db} connect_timeout=5"),
        postgres::NoTls,
    )
}

const INSTALL: &str = "team mode's tests need PostgreSQL's server binaries \
    (initdb, postgres): install them (`apt-get install -y postgresql`), or \
    set XAAS_TEST_PG_BIN to the folder that holds them";

/// The folder holding initdb and postgres.
fn bin_dir() -> PathBuf {
    let has_initdb = |d: &Path| d.join("initdb").is_file() && d.join("postgres").is_file();
    if let Some(d) = std::env::var_os("XAAS_TEST_PG_BIN") {
        let d = PathBuf::from(d);
        assert!(
            has_initdb(&d),
            "XAAS_TEST_PG_BIN={} has no initdb and postgres; {INSTALL}",
            d.display()
        );
        return d;
    }
    // The newest version first: /usr/lib/postgresql/15/bin, 16, ...
    let mut found: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.to_string();
            let key = version
                .split('.')
                .map(|p| p.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((key, e.path().join("bin")))
        })
        .filter(|(_, d)| has_initdb(d))
        .collect();
    found.sort();
    if let Some((_, d)) = found.pop() {
        return d;
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&d) {
            return d;
        }
    }
    panic!("no PostgreSQL server found; {INSTALL}");
}

/// As root: the uid and gid of the `postgres` OS user, to run as.
fn run_as() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    // SAFETY: a NUL-terminated name; the entry is read at once, before any
    // other getpw* call of this thread.
    let pw = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
    assert!(
        !pw.is_null(),
        "PostgreSQL refuses to run as root, and there is no `postgres` OS user \
         to run it as: install PostgreSQL (`apt-get install -y postgresql`) or \
         create the user (`useradd --system postgres`)"
    );
    // SAFETY: non-null, from getpwnam just above.
    let pw = unsafe { &*pw };
    Some((pw.pw_uid, pw.pw_gid))
}

/// `program` run as `user` (when root), in `dir`, in a process group of
/// its own (a Ctrl-C at the terminal reaches the test, not the server and
/// its watchdog, which then clean up).
fn command(program: &Path, user: Option<(u32, u32)>, dir: &Path) -> Command {
    let mut c = Command::new(program);
    c.current_dir(dir).process_group(0).stdin(Stdio::null());
    if let Some((uid, gid)) = user {
        c.uid(uid).gid(gid);
    }
    c
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Stops the server and removes `dir` once process `test` has ended. The
/// postmaster is read from its pid file then, so a retry on another port
/// needs no second watchdog. Never waited for: it outlives this process
/// by design, and init reaps it.
#[allow(clippy::zombie_processes)]
fn watchdog(dir: &Path) {
    const SCRIPT: &str = r#"
        while kill -0 "$1" 2>/dev/null; do sleep 0.2; done
        pidfile="$2/data/postmaster.pid"
        if [ -f "$pidfile" ]; then
            p=$(head -n 1 "$pidfile")
            if [ -n "$p" ] && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = postgres ]; then
                kill -INT "$p"
                i=0
                while kill -0 "$p" 2>/dev/null && [ "$i" -lt 100 ]; do
                    sleep 0.1
                    i=$((i + 1))
                done
                kill -KILL "$p" 2>/dev/null
            fi
        fi
        rm -rf "$2"
    "#;
    Command::new("sh")
        .args(["-c", SCRIPT, "xaas-pg-watchdog"])
        .arg(std::process::id().to_string())
        .arg(dir)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start the watchdog shell (sh)");
}

fn start() -> Server {
    let t0 = Instant::now();
    let bin = bin_dir();
    let user = run_as();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!("xaas-pg-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    }
    watchdog(&dir);

    let data = dir.join("data");
    let out = command(&bin.join("initdb"), user, &dir)
        .arg("-D")
        .arg(&data)
        .args([
            "-A",
            "trust",
            "-U",
            ADMIN,
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}/initdb: {e}", bin.display()));
    assert!(
        out.status.success(),
        "initdb failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let log_path = dir.join("server.log");
    for attempt in 1.. {
        let port = free_port();
        let log = std::fs::File::create(&log_path).unwrap();
        let mut child = command(&bin.join("postgres"), user, &dir)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(&dir)
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            .args(["-c", "max_connections=200"])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}/postgres: {e}", bin.display()));
        let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let log = log();
                // Another process took the port between bind and start.
                if attempt < 5 && log.contains("could not bind") {
                    break;
                }
                panic!("the test PostgreSQL server exited ({status})\n--- server log\n{log}");
            }
            if let Ok(client) = connect(port, "postgres") {
                return Server {
                    port,
                    dir,
                    pid: child.id(),
                    started_in: t0.elapsed(),
                    admin: Mutex::new(client),
                };
            }
            if t0.elapsed() > READY_TIMEOUT {
                let _ = child.kill();
                panic!(
                    "the test PostgreSQL server accepted no connection on 127.0.0.1:{port} \
                     in {READY_TIMEOUT:?}\n--- server log\n{}",
                    log()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
    unreachable!()
}
