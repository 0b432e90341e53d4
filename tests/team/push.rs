//! `team push` and `snapshot` (SPEC "Team mode"): a file's book moved to
//! the team database reads back the same; a snapshot of the team database
//! reads offline and refuses writes.

use super::*;

/// A file book with follow-ups, records and a setting, beside the test's
/// team database: its path.
fn file_book(env: &Env) -> String {
    let file = env.dir.path().join("solo.db");
    let f = file.to_str().unwrap().to_string();
    let on = |line: &str| env.xaas_with(&[("XAAS_DB", &f)], line).ok();
    on(&format!(
        "--today {BOOK_START} import {}",
        examples().display()
    ));
    on("followup set --service S00004 --status identifying_risk --note 'asked for a quote'");
    on("followup set --service S00002 --status at_risk --reason budget --note 'budget cut, 预算削减'");
    on("log add C0001 --note 'visited;\ttab and\nnewline' --at 2026-11-20");
    on("settings grace_days 20");
    f
}

#[test]
fn a_pushed_book_exports_as_the_file_does() {
    let env = Env::new();
    let file = file_book(&env);
    env.xaas(&format!("team push --from {file}"))
        .ok()
        .stderr_has("services: 50");
    let solo = |line: &str| env.xaas_with(&[("XAAS_DB", &file)], line).ok().stdout;
    for line in [
        "export",
        "list --services",
        "due --within 90",
        "show C0001",
        "history C0001",
        "settings",
        "stats --json",
    ] {
        assert_eq!(env.xaas(line).ok().stdout, solo(line), "`{line}` differs");
    }
    // The authors the file recorded are kept (the pusher owns the schema).
    assert_eq!(
        env.one("SELECT count(*) FROM history WHERE author = 'tester' AND kind = 'status'"),
        "2"
    );
    // New ids follow the pushed ones.
    let pushed: usize = env.one("SELECT count(*) FROM records").parse().unwrap();
    env.xaas("log add C0002 --note again").ok();
    assert_eq!(
        env.one("SELECT count(DISTINCT id) FROM records"),
        (pushed + 1).to_string()
    );
}

#[test]
fn push_fills_only_an_empty_team_database() {
    let env = Env::new();
    let file = file_book(&env);
    env.xaas(&format!("team push --from {file}")).ok();
    let before = env.dump();
    env.xaas(&format!("team push --from {file}"))
        .fails(1)
        .stderr_has("already holds a book");
    assert_eq!(env.dump(), before);
}

#[test]
fn a_snapshot_reads_offline_and_refuses_writes() {
    let env = Env::new();
    env.import_examples();
    env.xaas("followup set --service S00004 --status no_risk --note fine")
        .ok();
    let snap = env.dir.path().join("snap.db");
    let s = snap.to_str().unwrap().to_string();
    env.xaas(&format!("snapshot -o {s}"))
        .ok()
        .stderr_has("read-only");
    let meta = std::fs::metadata(&snap).unwrap();
    assert!(
        meta.permissions().readonly(),
        "the snapshot file is read-only"
    );
    let offline = |line: &str| env.xaas_with(&[("XAAS_DB", &s)], line);
    for line in ["list", "show C0002", "due --within 90", "history S00004"] {
        assert_eq!(
            offline(line).ok().stdout,
            env.xaas(line).ok().stdout,
            "`{line}`"
        );
    }
    offline("followup set --service S00004 --status at_risk --reason budget --note x")
        .fails(1)
        .stderr_has("is a snapshot of")
        .stderr_has(&env.db_arg());
    // A second snapshot to the same name is refused, the first kept.
    env.xaas(&format!("snapshot -o {s}"))
        .fails(1)
        .stderr_has("exists");
    offline("due --within 90").ok().stdout_has("S00004");
}

#[test]
fn team_commands_need_a_team_database() {
    let env = Env::new();
    let file = env.dir.path().join("solo.db");
    let f = file.to_str().unwrap();
    env.xaas_with(&[("XAAS_DB", f)], "team init")
        .fails(1)
        .stderr_has("works on a team database");
    env.xaas_with(&[("XAAS_DB", f)], "snapshot -o x.db")
        .fails(1)
        .stderr_has("works on a team database");
}

#[test]
fn an_address_with_a_password_is_refused_before_connecting() {
    let env = Env::new();
    env.xaas_with(
        &[("XAAS_DB", "postgres://amy:s3cret@127.0.0.1:1/x")],
        "list",
    )
    .fails(1)
    .stderr_has("carries a password")
    .stderr_lacks("s3cret@");
}
