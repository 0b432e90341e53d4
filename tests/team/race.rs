//! SPEC "Team mode", concurrent changes: two users changing the same
//! services at once. Each status change checks the row it read; the one
//! that loses changes nothing and exits 3. No change is ever silently
//! overwritten, and every change that lands has its history entry.

use crate::*;
use std::io::Write;
use std::time::Instant;

/// The example book on this test's database: imported into a file, then
/// copied with `team push` (the same book the file engine's tests import).
pub fn push_examples(env: &Env) {
    let file = env.dir.path().join("book.db");
    let file = file.to_str().unwrap();
    let mut c = env.std_cmd();
    c.env("XAAS_DB", file);
    env.run_std(
        c,
        &[
            "--today",
            BOOK_START,
            "import",
            examples().to_str().unwrap(),
        ],
    )
    .ok();
    env.run(&["team", "push", "--from", file]).ok();
}

/// One call as it ended: its note (which names it), exit code, stdout.
struct Call {
    note: String,
    code: i32,
    stdout: String,
    stderr: String,
}

/// C0002's services in the follow-up window on `TODAY`.
const SERVICES: [&str; 3] = ["S00002", "S00047", "S00017"];
const STATUSES: [&str; 3] = ["identifying_risk", "no_risk", "at_risk"];
const CALLS_EACH: usize = 100;

fn worker(env: &Env, w: usize) -> Vec<Call> {
    (0..CALLS_EACH)
        .map(|i| {
            let note = format!("race w{w} #{i}");
            // The two workers ask for different statuses of the same
            // service at the same step.
            let service = SERVICES[i % SERVICES.len()];
            let status = STATUSES[(i / SERVICES.len() + w) % STATUSES.len()];
            let out = env
                .std_cmd()
                .args(["followup", "set", "--service", service])
                .args(["--status", status, "--note", &note])
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap();
            Call {
                note,
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        })
        .collect()
}

#[test]
fn two_users_changing_the_same_services_lose_nothing_and_conflicts_exit_3() {
    let env = Env::new();
    push_examples(&env);
    let t0 = Instant::now();
    let calls: Vec<Call> = std::thread::scope(|s| {
        let a = s.spawn(|| worker(&env, 0));
        let b = s.spawn(|| worker(&env, 1));
        let mut all = a.join().unwrap();
        all.extend(b.join().unwrap());
        all
    });
    let took = t0.elapsed();

    for c in &calls {
        assert!(
            c.code == 0 || c.code == 3,
            "`{}` exited {}\n--- stdout\n{}\n--- stderr\n{}",
            c.note,
            c.code,
            c.stdout,
            c.stderr
        );
        if c.code == 3 {
            // Who changed it, when, and what it is now.
            assert!(
                c.stderr.contains("nothing was written")
                    && (c.stderr.contains("changed by tester at 2026-")
                        || c.stderr.contains("not in the history yet")),
                "{}",
                c.stderr
            );
        }
    }
    let landed: Vec<&Call> = calls.iter().filter(|c| c.code == 0).collect();
    let moved: Vec<&Call> = landed
        .iter()
        .copied()
        .filter(|c| c.stdout.contains(" → "))
        .collect();
    let conflicts = calls.len() - landed.len();
    let _ = writeln!(
        std::io::stderr(),
        "race: {} calls in {took:?}: {} landed ({} moved a status, {} confirmed one), {conflicts} conflicts (exit 3)",
        calls.len(),
        landed.len(),
        moved.len(),
        landed.len() - moved.len(),
    );
    if let Some(c) = calls.iter().find(|c| c.code == 3) {
        let _ = writeln!(std::io::stderr(), "race: a conflict said:\n{}", c.stderr);
    }
    assert!(
        conflicts > 0,
        "no conflict in {} concurrent calls",
        calls.len()
    );
    assert!(!moved.is_empty());

    // Every call that landed wrote its record, every status it moved its
    // history entry; a call that exited 3 wrote nothing.
    let notes = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = env.sql(q).into_iter().map(|r| r[0].clone()).collect();
        v.sort();
        v
    };
    let mut want_records: Vec<String> = landed.iter().map(|c| c.note.clone()).collect();
    want_records.sort();
    let mut want_history: Vec<String> = moved.iter().map(|c| c.note.clone()).collect();
    want_history.sort();
    assert_eq!(
        notes("SELECT note FROM records WHERE note LIKE 'race %'"),
        want_records
    );
    assert_eq!(
        notes("SELECT note FROM history WHERE kind = 'status' AND note LIKE 'race %'"),
        want_history
    );
    assert_eq!(
        env.one("SELECT count(*) FROM history WHERE kind = 'status'"),
        moved.len().to_string()
    );

    // Each service ends where its last history entry says.
    for s in SERVICES {
        let rows = env.sql(&format!(
            "SELECT s.status, (SELECT h.to_value FROM history h
                                WHERE h.kind = 'status' AND h.service_id = s.service_id
                                ORDER BY h.id DESC LIMIT 1)
             FROM services s WHERE s.service_id = '{s}'"
        ));
        assert_eq!(rows[0][0], rows[0][1], "{s}");
    }
}
