//! SIGKILL at any moment (`kill -9`, the OOM killer): the database is as
//! it was before the import or as it is after it, never in between, and
//! `PRAGMA integrity_check` says ok; `export -o` leaves the old file or the
//! whole new one, and the temporary file a killed export leaves is removed
//! by the next export of that file.
//!
//! The kills land at fractions of a measured whole run, so they follow the
//! machine's speed; for a first import also just after the reading thread
//! ends, while the secondary indexes dropped for the bulk load are built
//! (src/db/load.rs). A kill that lands after the run has finished must
//! find the after state.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::files::{integrity, leftovers};
use super::*;

/// `n` services of `n / 2` customers expiring in `year`: the same ids with
/// a later year are renewals.
pub(super) fn services(n: usize, year: u32) -> String {
    let mut csv = String::from(
        "customer_id,customer_name,csm,tier,service_id,service_type,product,expiry_date,amount\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "C{:05},客户{:05}有限公司,张伟,KA,S{i:06},subscription,云WAF,{year}-12-{:02},{}\n",
            i / 2,
            i / 2,
            1 + i % 28,
            12000 + i % 7 * 1000
        ));
    }
    csv
}

/// What an import decides, without the clock's time of day: how many
/// services, terms and history entries, and one hash of them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct State {
    services: usize,
    terms: usize,
    history: usize,
    hash: u64,
}

fn state(env: &Env) -> State {
    let tables = env.db.exists()
        && env.one("SELECT count(*) FROM sqlite_master WHERE name = 'services'") == "1";
    if env.db.exists() {
        assert_eq!(integrity(env), "ok");
    }
    let rows = |q: &str| if tables { env.sql(q) } else { Vec::new() };
    let customers = rows("SELECT * FROM customers ORDER BY customer_id");
    let services = rows(
        "SELECT service_id, customer_id, service_type, product, start_date, expiry_date,
                amount, accounts, run_status, renewal_of, status, reason
         FROM services ORDER BY service_id",
    );
    let terms = rows(
        "SELECT service_id, start_date, expiry_date, amount, status_before, new_expiry,
                new_amount, renewed_by, source
         FROM terms ORDER BY service_id, expiry_date",
    );
    let history = rows(
        "SELECT kind, service_id, customer_id, term_expiry, from_value, to_value, author, source
         FROM history ORDER BY id",
    );
    let mut h = DefaultHasher::new();
    (&customers, &services, &terms, &history).hash(&mut h);
    State {
        services: services.len(),
        terms: terms.len(),
        history: history.len(),
        hash: h.finish(),
    }
}

/// A new folder holding a copy of `base`'s database.
fn copy_of(base: &Env) -> Env {
    let env = Env::new();
    for end in ["", "-wal"] {
        let from = format!("{}{end}", base.db.display());
        if Path::new(&from).exists() {
            std::fs::copy(&from, format!("{}{end}", env.db.display())).unwrap();
        }
    }
    env
}

#[derive(Clone, Copy, Debug)]
enum At {
    /// This long after the start.
    After(Duration),
    /// This long after the reading thread (`xaas-read`) has ended: the
    /// last rows are being written, then the indexes built.
    AfterReading(Duration),
}

/// Runs `args` and SIGKILLs it `at`; returns whether it had finished (and
/// succeeded) first.
fn kill(env: &Env, args: &[&str], at: At) -> bool {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wait = match at {
        At::After(d) => d,
        At::AfterReading(d) => {
            until_reading_ends(&mut child);
            d
        }
    };
    std::thread::sleep(wait);
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert!(
        status.success() || status.code().is_none(),
        "{args:?} failed: {status}"
    );
    status.success()
}

/// Waits until the child's reading thread has come and gone (or the child
/// has ended, or 10 s passed, or there is no /proc to look in).
fn until_reading_ends(child: &mut std::process::Child) {
    let tasks = format!("/proc/{}/task", child.id());
    let start = Instant::now();
    let mut seen = false;
    while start.elapsed() < Duration::from_secs(10) {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        let Ok(dir) = std::fs::read_dir(&tasks) else {
            return;
        };
        let reading = dir.filter_map(|t| t.ok()).any(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == "xaas-read")
        });
        if reading {
            seen = true;
        } else if seen {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Runs `import FILE` whole into a copy of `base`, then kills it into
/// other copies at the points `at` gives for that run's duration, and
/// checks every killed copy (one of them also imported again, whole).
/// Returns the whole run's duration and how many kills ended in the
/// before and in the after state.
fn kill_imports(
    base: &Env,
    file: &str,
    at: impl Fn(Duration) -> Vec<At>,
) -> (Duration, usize, usize) {
    let before = state(base);
    let full = copy_of(base);
    let t = Instant::now();
    full.run(&["import", file]).ok();
    let whole = t.elapsed();
    let after = state(&full);
    assert_ne!(before, after);
    let (mut befores, mut afters) = (0, 0);
    for (i, at) in at(whole).into_iter().enumerate() {
        let env = copy_of(base);
        let finished = kill(&env, &["import", file], at);
        let now = state(&env);
        if finished {
            assert_eq!(now, after, "finished before the kill at {at:?}");
        } else {
            assert!(
                now == before || now == after,
                "killed at {at:?}: {now:?}, neither {before:?} nor {after:?}"
            );
        }
        if now == before {
            befores += 1;
        } else {
            afters += 1;
        }
        // xaas opens what the kill left and carries on from there.
        env.xaas("list --limit 1").ok();
        if i == 0 {
            env.run(&["import", file]).ok();
            assert_eq!(state(&env), after);
        }
    }
    (whole, befores, afters)
}

fn fractions(whole: Duration, percents: &[u32]) -> Vec<At> {
    percents
        .iter()
        .map(|&p| At::After(whole * p / 100))
        .collect()
}

#[test]
fn an_import_killed_anywhere_leaves_the_before_or_the_after_state() {
    let t = Instant::now();
    let base = Env::new();
    base.file("first.csv", services(2_000, 2026));
    base.xaas("import first.csv").ok();
    // 2,000 renewals and 18,000 new services.
    let file = base.file("big.csv", services(20_000, 2027));
    // Past 100%: a kill after the end finds the after state.
    let (whole, before, after) =
        kill_imports(&base, &file, |whole| fractions(whole, &[15, 50, 85, 130]));
    eprintln!(
        "import into a filled database: whole run {whole:?}; kills found {before} times the before state, {after} times the after state; {:?} in all",
        t.elapsed()
    );
}

#[test]
fn a_first_import_killed_while_it_builds_the_indexes_leaves_no_half_database() {
    let t = Instant::now();
    let base = Env::new();
    let file = base.file("big.csv", services(30_000, 2027));
    let (whole, before, after) = kill_imports(&base, &file, |whole| {
        let mut at = fractions(whole, &[40]);
        // The reading thread ends some 4,000 rows before the last; the
        // indexes take the last 10-15% of the run.
        at.extend([20, 50, 80].map(|ms| At::AfterReading(Duration::from_millis(ms))));
        at
    });
    eprintln!(
        "first import: whole run {whole:?}; kills found {before} times the before state, {after} times the after state; {:?} in all",
        t.elapsed()
    );
}

#[test]
fn an_export_killed_anywhere_leaves_the_old_file_or_the_whole_new_one() {
    let t = Instant::now();
    let env = Env::new();
    env.file("big.csv", services(20_000, 2027));
    env.xaas("import big.csv").ok();
    let took = Instant::now();
    env.xaas("export -o whole.csv").ok();
    let whole_run = took.elapsed();
    let whole = std::fs::read(env.dir.path().join("whole.csv")).unwrap();
    let list = env.dir.path().join("list.csv");
    let old = b"the old list\n";
    let (mut kept, mut left) = (0, 0);
    for at in fractions(whole_run, &[10, 40, 70, 95, 130]) {
        std::fs::write(&list, old).unwrap();
        let finished = kill(&env, &["export", "-o", "list.csv"], at);
        let now = std::fs::read(&list).unwrap();
        if finished {
            assert!(now == whole, "finished before the kill at {at:?}");
        } else {
            assert!(now == old || now == whole, "killed at {at:?}: half a file");
        }
        kept += usize::from(now == old);
        // SIGKILL cannot be caught: the killed run's temporary file stays
        // until the next export of list.csv.
        left += leftovers(env.dir.path()).len();
    }
    env.xaas("export -o list.csv").ok();
    assert!(std::fs::read(&list).unwrap() == whole);
    assert_eq!(leftovers(env.dir.path()), NONE);
    eprintln!(
        "export: whole run {whole_run:?}; {kept} of 5 kills kept the old file; they left {left} temporary files, removed by the next export; {:?} in all",
        t.elapsed()
    );
}

#[test]
fn an_export_removes_the_temporary_files_a_killed_one_left_but_not_a_live_ones() {
    use std::os::fd::AsRawFd;
    let env = Env::new();
    env.import_examples();
    let dir = env.dir.path();
    let stale = dir.join(".list.csv.xaas-tmp-AbC123");
    let live = dir.join(".list.csv.xaas-tmp-LiVe12");
    let other = dir.join(".other.csv.xaas-tmp-XyZ789");
    for p in [&stale, &live, &other] {
        std::fs::write(p, "half a list").unwrap();
    }
    // A writer at work holds its temporary file locked.
    let busy = std::fs::File::open(&live).unwrap();
    // SAFETY: flock(2) on an open descriptor.
    assert_eq!(
        unsafe { libc::flock(busy.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    env.xaas("export -o list.csv").ok();
    assert!(!stale.exists(), "a killed export's file is removed");
    assert!(live.exists(), "a live export's file is its own");
    assert!(other.exists(), "another file's are not this export's");
    drop(busy);
    env.xaas("export -o list.csv").ok();
    assert!(!live.exists());
    assert!(other.exists());
}
