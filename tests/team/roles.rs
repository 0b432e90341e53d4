//! SPEC "Team mode", roles and authors: `xaas_csm` reads everything and
//! writes follow-ups; `xaas_lead` also imports and changes settings; a
//! command the role may not run fails (exit 1) naming the role it needs;
//! the author of every write is the connected login.

use crate::race::push_examples;
use crate::*;

/// Makes `login` a login role of the test server (once: roles are the
/// server's, shared by every test's database).
fn login(name: &str) {
    let mut c = crate::pg::server().connect("postgres");
    c.batch_execute(&format!(
        "DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
                CREATE ROLE {name} LOGIN;
            END IF;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$"
    ))
    .unwrap_or_else(|e| panic!("CREATE ROLE {name}: {e}"));
}

/// This test's database as `name` sees it: the harness's address with
/// the login swapped (`postgres://tester@...` → `postgres://NAME@...`).
fn url_as(env: &Env, name: &str) -> String {
    let url = env.db_arg();
    let ours = format!("postgres://{}@", crate::pg::ADMIN);
    assert!(url.starts_with(&ours), "{url}");
    url.replacen(&ours, &format!("postgres://{name}@"), 1)
}

#[test]
fn a_csm_follows_up_in_their_own_name_and_only_a_lead_changes_settings_or_imports() {
    let env = Env::new();
    push_examples(&env);
    login("amy");
    login("lee");
    env.xaas("team grant amy --csm").ok();
    env.xaas("team grant lee --lead").ok();
    let amy = url_as(&env, "amy");
    let lee = url_as(&env, "lee");
    let as_amy = |line: &str| env.xaas_with(&[("XAAS_DB", &amy), ("XAAS_USER", "mallory")], line);

    // A CSM reads.
    as_amy("history S00002").ok();
    as_amy("log list").ok();
    // And follows up, in her own name whatever she says.
    as_amy("followup set --service S00002 --status at_risk --note 'called them' --author mallory")
        .ok()
        .stdout_has("→ at_risk (S00002)");
    assert_eq!(
        env.sql(
            "SELECT author FROM history WHERE kind = 'status' AND service_id = 'S00002'
             ORDER BY id DESC LIMIT 1"
        ),
        [["amy"]]
    );
    assert_eq!(
        env.sql("SELECT author, note FROM records ORDER BY id DESC LIMIT 1"),
        [["amy", "called them"]]
    );
    as_amy("history S00002")
        .ok()
        .stdout_has("amy")
        .stdout_lacks("mallory");

    // Settings and imports are the lead's: refused, naming the role,
    // and nothing written.
    let before = env.dump();
    let settings = env.one("SELECT count(*) FROM settings");
    as_amy("settings grace_days 20")
        .fails(1)
        .stderr_has("xaas_lead");
    assert_eq!(env.dump(), before);
    assert_eq!(env.one("SELECT count(*) FROM settings"), settings);

    // The lead may, and the change is the lead's.
    env.xaas_with(
        &[("XAAS_DB", &lee), ("XAAS_USER", "mallory")],
        "settings grace_days 20",
    )
    .ok();
    assert_eq!(
        env.sql("SELECT value FROM settings WHERE key = 'grace_days'"),
        [["20"]]
    );
    assert_eq!(
        env.sql(
            "SELECT author, to_value FROM history WHERE kind = 'setting' ORDER BY id DESC LIMIT 1"
        ),
        [["lee", "20"]]
    );

    let before = env.dump();
    let file = env.file("more.csv", std::fs::read(examples()).unwrap());
    as_amy(&format!("import {file}"))
        .fails(1)
        .stderr_has("xaas_lead");
    assert_eq!(env.dump(), before);
}

#[test]
fn a_csm_logs_a_call_in_her_own_name() {
    let env = Env::new();
    push_examples(&env);
    login("amy");
    env.xaas("team grant amy --csm").ok();
    let amy = url_as(&env, "amy");
    env.xaas_with(
        &[("XAAS_DB", &amy), ("XAAS_USER", "mallory")],
        "log add C0002 --note 'sent the quote' --author mallory",
    )
    .ok();
    assert_eq!(
        env.sql("SELECT author FROM records WHERE note = 'sent the quote'"),
        [["amy"]]
    );
    env.xaas_with(&[("XAAS_DB", &amy)], "log list")
        .ok()
        .stdout_has("sent the quote")
        .stdout_has("amy")
        .stdout_lacks("mallory");
}
