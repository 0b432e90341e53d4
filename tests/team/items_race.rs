//! Two writers on one task (SPEC "Team mode", concurrent changes): a
//! task changed by someone else between what `tasks done` read and what
//! it writes is a conflict, exit 3, and nothing of it is written.
//!
//! Deterministic: the test holds its own change of the task open (a
//! transaction with the row updated), starts `xaas tasks done`, waits
//! until the server shows it waiting for that row, then commits.
//! PostgreSQL then fails xaas's REPEATABLE READ update as a
//! serialization failure, which `Db::change` turns into the conflict.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::*;

/// The test database's name, from the address xaas is given.
fn database(env: &Env) -> String {
    env.db_arg().rsplit('/').next().unwrap().to_string()
}

#[test]
fn a_task_changed_meanwhile_is_a_conflict_and_nothing_is_written() {
    let env = Env::new();
    let name = database(&env);
    let server = crate::pg::server();
    // A customer and an open task of it, written directly: this test is
    // about the write, not how the book came to be.
    server
        .connect(&name)
        .batch_execute(
            "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', '甲');
             INSERT INTO tasks(customer_id, title, due, original_due, created_at, author)
             VALUES ('C1', '发续费报价', '2026-11-20', '2026-11-20',
                     '2026-11-01T09:00:00+08:00', 'tester');",
        )
        .unwrap();
    let id = env.one("SELECT id FROM tasks");
    let entries = || env.one("SELECT count(*) FROM history");
    let before = entries();

    // The other user's change, not yet committed.
    let mut other = server.connect(&name);
    let mut tx = other.transaction().unwrap();
    tx.execute(
        "UPDATE tasks SET note = 'done by the other' WHERE id = $1",
        &[&id.parse::<i64>().unwrap()],
    )
    .unwrap();

    let mut child = env
        .std_cmd()
        .args(["tasks", "done", &id])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // xaas has read the task and waits for the row the other holds.
    let mut watch = server.connect(&name);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = watch
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting > 0 {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("xaas ended ({status}) before waiting for the row:\n{err}");
        }
        assert!(Instant::now() < deadline, "xaas never waited for the row");
        std::thread::sleep(Duration::from_millis(20));
    }
    tx.commit().unwrap();

    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr:\n{stderr}");
    assert!(
        stderr.contains("someone else changed this") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    // The other change stands; of this one, nothing: the task still
    // open, no `task_done` entry.
    assert_eq!(
        env.sql(&format!("SELECT status, note FROM tasks WHERE id = {id}")),
        [["open", "done by the other"]]
    );
    assert_eq!(entries(), before);
    // Run again, it sees the change and goes through.
    env.xaas(&format!("tasks done {id}")).ok();
    assert_eq!(
        env.one(&format!("SELECT status FROM tasks WHERE id = {id}")),
        "done"
    );
}
