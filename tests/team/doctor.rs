//! `doctor` on a team database: the address (never a password), whether
//! it connects, its schema version, the login and its roles, and a cron
//! line naming the address; a database it cannot reach, or one with no
//! xaas book, is a problem (exit 1), as a missing file is.

use crate::*;

/// The newest schema version (tests/cli/shell.rs reads it the same way).
fn latest(env: &Env) -> i64 {
    env.xaas("doctor --json").ok().json()["database"]["schema_latest"]
        .as_i64()
        .unwrap()
}

#[test]
fn doctor_reports_the_team_database_its_schema_and_the_login() {
    let env = Env::new();
    let address = env.db_arg();
    let r = env.xaas("doctor").ok().stderr_empty();
    r.stdout_has(&format!("{address} (from XAAS_DB)"))
        .stdout_has("a team database (PostgreSQL)")
        .stdout_has("connects")
        .stdout_has("the newest this xaas knows")
        .stdout_has("login                  tester")
        .stdout_has("roles                  superuser")
        .stdout_has(&format!("XAAS_DB={address} "))
        .stdout_has("No problem found")
        .stdout_lacks("file                   not there")
        .stdout_lacks("from here");
    let j = env.xaas("doctor --json").ok().json();
    assert_eq!(j["healthy"], true);
    let d = &j["database"];
    assert_eq!(d["address"], address.as_str());
    assert_eq!(d["connected"], true);
    assert_eq!(d["schema"], latest(&env));
    assert_eq!(d["login"], "tester");
    assert_eq!(d["roles"], serde_json::json!(["superuser"]));
    assert!(j["cron"]
        .as_str()
        .unwrap()
        .contains(&format!("XAAS_DB={address} ")));
    // In Chinese.
    env.xaas("--lang zh doctor")
        .ok()
        .stdout_has("团队数据库（PostgreSQL）")
        .stdout_has("可以连接")
        .stdout_has("登录名");
}

#[test]
fn a_csm_login_is_shown_with_its_role() {
    let env = Env::new();
    let mut c = crate::pg::server().connect("postgres");
    c.batch_execute(
        "DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doc_amy') THEN
                CREATE ROLE doc_amy LOGIN;
            END IF;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$",
    )
    .unwrap();
    env.xaas("team grant doc_amy --csm").ok();
    let ours = format!("postgres://{}@", crate::pg::ADMIN);
    let amy = env.db_arg().replacen(&ours, "postgres://doc_amy@", 1);
    let j = env.run(&["--db", &amy, "doctor", "--json"]).ok().json();
    assert_eq!(j["database"]["login"], "doc_amy");
    assert_eq!(j["database"]["roles"], serde_json::json!(["xaas_csm"]));
    assert_eq!(j["setup"]["db_source"], "flag");
    env.run(&["--db", &amy, "doctor"])
        .ok()
        .stdout_has(&format!("{amy} (from --db)"))
        .stdout_has("roles                  xaas_csm\n");
}

#[test]
fn a_database_with_no_book_or_no_server_is_a_problem() {
    let env = Env::new();
    let server = crate::pg::server();
    let bare = server.url(&server.create_database());
    let r = env.run(&["--db", &bare, "doctor"]).fails(1);
    r.stdout_has("none: no xaas book here")
        .stdout_has("Problems (1)")
        .stderr_has(&format!("`{bare}` holds no xaas book"))
        .stderr_has("team init");
    let j = env
        .run(&["--db", &bare, "doctor", "--json"])
        .fails(1)
        .json();
    assert_eq!(j["problems"][0]["problem"], "no_schema");
    assert_eq!(j["database"]["connected"], true);

    let nowhere = "postgres://tester@127.0.0.1:1/nothing";
    let r = env.run(&["--db", nowhere, "doctor"]).fails(1);
    r.stdout_has("cannot connect").stderr_has("cannot connect");
    let j = env
        .run(&["--db", nowhere, "doctor", "--json"])
        .fails(1)
        .json();
    assert_eq!(j["problems"][0]["problem"], "cannot_connect");
    assert_eq!(j["database"]["connected"], false);
    assert_eq!(j["database"]["login"], serde_json::Value::Null);

    // A password in the address is refused, and never shown.
    let secret = "postgres://tester:hunter2@127.0.0.1:1/nothing";
    let r = env.run(&["--db", secret, "doctor"]).fails(1);
    assert!(!r.stdout.contains("hunter2"), "{}", r.stdout);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
}
