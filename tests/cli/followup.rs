use super::*;

/// `cmd` as of `day`.
fn on(env: &Env, day: &str, args: &[&str]) -> Run {
    let mut all = vec!["--today", day];
    all.extend_from_slice(args);
    env.run(&all)
}

/// (service, kind, from, to, source) of a history, oldest first.
fn history(env: &Env, day: &str, of: &str) -> Vec<[String; 5]> {
    let out = on(env, day, &["history", of, "--json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            [s("service_id"), s("kind"), s("from"), s("to"), s("source")]
        })
        .collect()
}

fn h(service: &str, kind: &str, from: &str, to: &str, source: &str) -> [String; 5] {
    [service, kind, from, to, source].map(str::to_string)
}

/// Record ids and their services, newest first.
fn records(env: &Env, day: &str, of: &str) -> Vec<(String, String)> {
    let out = on(env, day, &["log", "list", of, "--json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let services: Vec<&str> = r["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            (
                r["status"].as_str().unwrap_or("").to_string(),
                services.join(","),
            )
        })
        .collect()
}

fn due(env: &Env, day: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["due"];
    all.extend_from_slice(args);
    ids(&on(env, day, &all).ok().stdout)
}

fn status_of(env: &Env, service: &str) -> String {
    env.one(&format!(
        "SELECT coalesce(status, '∅') FROM services WHERE service_id = '{service}'"
    ))
}

/// One CSM's season with 金盾物流 (C0004) and 天成能源 (C0006), the date
/// moving forward: services enter the window as pending, are followed,
/// one renewed by import, one by `renew`, one lost with a reason, one
/// suspended; history, log and due agree at every step.
#[test]
fn a_renewal_season() {
    let env = Env::new();
    env.import_examples();
    let c4 = ["--customer", "C0004"];

    // 2026-09-20: S00004 (expires 2026-12-24) is 95 days out: no status yet.
    let day = "2026-09-20";
    assert_eq!(
        due(&env, day, &["--within", "90", "--customer", "C0004"]),
        Vec::<String>::new()
    );
    let before = env.dump();
    let r = on(
        &env,
        day,
        &[
            "followup",
            "set",
            "--service",
            "S00004",
            "--status",
            "at_risk",
        ],
    )
    .fails(1);
    assert!(r.stderr.contains("95 days left"), "{}", r.stderr);
    assert_eq!(env.dump(), before, "a refusal changes nothing");

    // 2026-09-25: 90 days out, it is pending without anyone doing anything.
    let day = "2026-09-25";
    let untouched = ["--within", "90", "--untouched", "--customer", "C0004"];
    assert_eq!(due(&env, day, &untouched), ["S00004"]);
    let pending = on(
        &env,
        day,
        &["list", "--services", "--status", "pending", c4[0], c4[1]],
    )
    .ok();
    assert_eq!(ids(&pending.stdout), ["S00004"]);
    assert!(
        history(&env, day, "S00004").is_empty(),
        "derived pending is no history"
    );

    let r = on(
        &env,
        day,
        &[
            "followup",
            "set",
            "C0004",
            "--status",
            "identifying-risk",
            "--note",
            "提醒续费，客户在走预算",
        ],
    )
    .ok();
    assert_eq!(
        r.stdout.trim(),
        "1 service of 金盾物流有限公司: pending → identifying_risk"
    );
    assert_eq!(due(&env, day, &untouched), Vec::<String>::new());
    assert_eq!(
        due(&env, day, &["--within", "90", "--customer", "C0004"]),
        ["S00004"],
        "still open"
    );
    assert_eq!(
        history(&env, day, "C0004"),
        [h(
            "S00004",
            "status",
            "pending",
            "identifying_risk",
            "manual"
        )]
    );
    assert_eq!(
        records(&env, day, "C0004"),
        [("identifying_risk".into(), "S00004".into())]
    );

    // 2026-10-10: S00034 (2027-01-02) entered too; both set at once.
    let day = "2026-10-10";
    assert_eq!(due(&env, day, &untouched), ["S00034"]);
    let r = on(
        &env,
        day,
        &["followup", "set", "金盾", "--status", "no_risk"],
    )
    .ok();
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        [
            "1 service of 金盾物流有限公司: identifying_risk → no_risk",
            "1 service of 金盾物流有限公司: pending → no_risk",
        ]
    );
    assert_eq!(records(&env, day, "C0004").len(), 2);
    assert_eq!(history(&env, day, "C0004").len(), 3);

    // 2026-11-24: S00004 is within 30 days: the second touch is due.
    // S00019 (2027-01-29) entered the 90-day window on 2026-10-31.
    let day = "2026-11-24";
    assert_eq!(due(&env, day, &untouched), ["S00004", "S00019"]);
    assert_eq!(
        due(
            &env,
            day,
            &["--within", "30", "--untouched", "--customer", "C0004"]
        ),
        ["S00004"]
    );
    let r = on(
        &env,
        day,
        &[
            "log",
            "add",
            "C0004",
            "--service",
            "S00004",
            "--note",
            "第二次触达，合同走流程",
            "--satisfaction",
            "满意",
        ],
    )
    .ok();
    assert!(r.stdout.contains("about S00004"), "{}", r.stdout);
    assert_eq!(due(&env, day, &untouched), ["S00019"]);
    assert_eq!(records(&env, day, "C0004")[0], ("".into(), "S00004".into()));
    assert_eq!(
        history(&env, day, "C0004").len(),
        3,
        "a log entry is not a status change"
    );

    // Setting the status it already has: a record, no history.
    let r = on(
        &env,
        day,
        &[
            "followup",
            "set",
            "--service",
            "S00034",
            "--status",
            "no_risk",
        ],
    )
    .ok();
    assert!(r.stdout.contains("still no_risk"), "{}", r.stdout);
    assert_eq!(records(&env, day, "C0004").len(), 4);
    assert_eq!(history(&env, day, "C0004").len(), 3);

    // 2026-12-01: S00004 renewed by import (later expiry, new amount).
    let day = "2026-12-01";
    let line = std::fs::read_to_string(examples())
        .unwrap()
        .lines()
        .find(|l| l.contains(",S00004,"))
        .unwrap()
        .replace("2026-12-24,300000.00", "2027-12-24,320000.00");
    let header = std::fs::read_to_string(examples())
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let f = env.file("renewed.csv", format!("{header}\n{line}\n"));
    on(&env, day, &["import", &f]).ok();
    assert_eq!(
        status_of(&env, "S00004"),
        "∅",
        "the new term starts with no status"
    );
    assert_eq!(
        due(&env, day, &["--within", "90", "--customer", "C0004"]),
        ["S00034", "S00019"]
    );
    assert_eq!(
        env.sql("SELECT expiry_date, amount, status_before, new_expiry, new_amount, source FROM terms WHERE service_id = 'S00004'"),
        [["2026-12-24", "30000000", "no_risk", "2027-12-24", "32000000", "import"]]
    );

    // S00034 renewed by hand, amount kept.
    let r = on(&env, day, &["renew", "S00034", "--until", "2028-01-02"]).ok();
    assert!(
        r.stdout
            .contains("new term 2027-01-03 to 2028-01-02, amount 98000.00 → 98000.00"),
        "{}",
        r.stdout
    );
    assert_eq!(
        env.sql("SELECT start_date, expiry_date, amount FROM services WHERE service_id = 'S00034'"),
        [["2027-01-03", "2028-01-02", "9800000"]]
    );
    assert_eq!(
        due(&env, day, &["--within", "90", "--customer", "C0004"]),
        ["S00019"]
    );

    // S00019 is lost, with a reason; then the customer has nothing open.
    let before = env.dump();
    let r = on(
        &env,
        day,
        &[
            "followup",
            "set",
            "--service",
            "S00019",
            "--status",
            "not_renewing",
        ],
    )
    .fails(1);
    assert!(r.stderr.contains("--reason"), "{}", r.stderr);
    assert_eq!(env.dump(), before);
    on(
        &env,
        day,
        &[
            "followup",
            "set",
            "--service",
            "S00019",
            "--status",
            "不续费",
            "--reason",
            "预算原因",
            "--reason-detail",
            "明年预算砍半",
        ],
    )
    .ok();
    assert_eq!(
        env.one("SELECT reason FROM services WHERE service_id = 'S00019'"),
        "budget"
    );
    assert_eq!(
        due(&env, day, &["--within", "90", "--customer", "C0004"]),
        Vec::<String>::new()
    );
    let before = env.dump();
    let r = on(
        &env,
        day,
        &["followup", "set", "C0004", "--status", "at_risk"],
    )
    .fails(1);
    assert!(
        r.stderr.contains("no open service in the follow-up window"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("S00019 is not_renewing"), "{}", r.stderr);
    assert_eq!(env.dump(), before);
    let r = on(&env, day, &["log", "list", "--reason", "budget", "--json"]).ok();
    assert!(r.stdout.contains("明年预算砍半"), "{}", r.stdout);

    // 天成能源's S00021 (2027-02-14) is put off to next year.
    on(
        &env,
        day,
        &[
            "followup",
            "set",
            "--service",
            "S00021",
            "--status",
            "suspended",
            "--note",
            "明年再采购",
        ],
    )
    .ok();
    assert!(!due(&env, day, &["--within", "90"]).contains(&"S00021".to_string()));

    assert_eq!(
        history(&env, day, "C0004"),
        [
            h("S00004", "status", "pending", "identifying_risk", "manual"),
            h("S00004", "status", "identifying_risk", "no_risk", "manual"),
            h("S00034", "status", "pending", "no_risk", "manual"),
            h("S00004", "renewal", "2026-12-24", "2027-12-24", "import"),
            h("S00034", "renewal", "2027-01-02", "2028-01-02", "renew"),
            h("S00019", "status", "pending", "not_renewing", "manual"),
        ]
    );

    // 2026-12-15: the lost service comes back, named with --service.
    let day = "2026-12-15";
    on(
        &env,
        day,
        &[
            "followup",
            "set",
            "--service",
            "S00019",
            "--status",
            "renewing",
        ],
    )
    .ok();
    assert_eq!(
        env.one("SELECT coalesce(reason, '∅') FROM services WHERE service_id = 'S00019'"),
        "∅"
    );
    assert_eq!(
        due(&env, day, &["--within", "90", "--customer", "C0004"]),
        ["S00019"]
    );
    assert_eq!(
        history(&env, day, "S00019").last().unwrap(),
        &h("S00019", "status", "not_renewing", "renewing", "manual")
    );

    // Status, its time and the last follow-up travel in exports.
    let out = on(
        &env,
        day,
        &["export", "--customer", "C0004", "--format", "json"],
    )
    .ok()
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s19 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_id"] == "S00019")
        .unwrap();
    assert_eq!(s19["status"], "renewing");
    assert!(s19["status_changed_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-12-15T"));
    assert!(s19["last_followup_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-12-15T"));
    let s04 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_id"] == "S00004")
        .unwrap();
    assert_eq!(s04["status"], serde_json::Value::Null);
    assert_eq!(s04["expiry_date"], "2027-12-24");
}

#[test]
fn a_multi_service_call_is_all_or_nothing_and_lists_each_refusal() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    // S00002 expires today (ok), S00030 in 2028 and S00029 in 400 days.
    env.xaas("followup set --service S00002 --service S00030 --service S00029 --status at_risk")
        .fails(1)
        .stderr_has("nothing changed; 2 refused")
        .stderr_has("S00030")
        .stderr_has("S00029 (明德实验中学): outside the follow-up window: 400 days left");
    assert_eq!(env.dump(), before);
    env.xaas("followup set --service S00002 --service NOPE --status at_risk")
        .fails(1)
        .stderr_has("no service `NOPE`");
    // One customer without an open in-window service stops the others.
    env.xaas("followup set C0002 C0015 --window within_30 --status no_risk")
        .fails(1)
        .stderr_has("C0015 (润泽水务有限公司) has no open service in window within_30");
    assert_eq!(env.dump(), before);
}

#[test]
fn renewed_is_never_set_by_hand_and_renew_refuses_an_earlier_date() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    env.xaas("followup set C0002 --status renewed")
        .fails(1)
        .stderr_has("xaas renew");
    env.xaas("renew S00002 --until 2026-11-23")
        .fails(1)
        .stderr_has("not after the current expiry 2026-11-23");
    env.xaas("renew S99999 --until 2027-11-23")
        .fails(1)
        .stderr_has("no service `S99999`");
    env.xaas("renew S00002 --until soon")
        .fails(2)
        .stderr_has("--until");
    assert_eq!(env.dump(), before);
}

#[test]
fn without_a_terminal_missing_values_name_their_flag() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    env.xaas("followup set C0002")
        .fails(2)
        .stderr_has("--status");
    let r = env.xaas("followup set --status at_risk").fails(2);
    assert!(
        r.stderr.contains("CUSTOMER") || r.stderr.contains("--service"),
        "{}",
        r.stderr
    );
    env.xaas("log add C0002").fails(2).stderr_has("--note");
    env.xaas("followup set C0002 --status lost")
        .fails(2)
        .stderr_has("not_renewing (不续费)");
    assert_eq!(env.dump(), before);
}

#[test]
fn customer_mode_leaves_closed_services_and_window_narrows_it() {
    let env = Env::new();
    env.import_examples();
    // C0002: S00002 (today, within_30), S00032 (15 days), S00047 (47), S00017 (52).
    env.xaas("followup set --service S00032 --status suspended")
        .ok();
    env.xaas("followup set C0002 --status at_risk")
        .ok()
        .stdout_is("3 services of 中科智联信息技术有限公司: pending → at_risk\n");
    assert_eq!(status_of(&env, "S00032"), "suspended");
    env.xaas("followup set C0002 --window within_90 --status no_risk")
        .ok()
        .stdout_is("2 services of 中科智联信息技术有限公司: at_risk → no_risk\n");
    assert_eq!(status_of(&env, "S00002"), "at_risk");
    assert_eq!(status_of(&env, "S00017"), "no_risk");
    // By Chinese label, author from the flag, in Chinese output.
    env.xaas("--lang zh followup set --service S00002 --status 跟进中-无风险 --author 王芳")
        .ok()
        .stdout_is("中科智联信息技术有限公司 的 1 个服务: 跟进中-有风险 → 跟进中-无风险\n");
    assert_eq!(
        env.sql("SELECT author, source FROM history ORDER BY id DESC LIMIT 1"),
        [["王芳", "manual"]]
    );
}

#[test]
fn a_record_without_services_touches_the_whole_customer() {
    let env = Env::new();
    env.import_examples();
    let untouched = "due --within 90 --untouched --customer C0009";
    assert_eq!(env.xaas(untouched).ok().ids(), ["S00039", "S00009"]);
    env.xaas("log add C0009 --note 电话沟通 --at '2026-11-20 15:00'")
        .ok();
    // Both entered the 30-day window on 2026-10-26/27: the call counts.
    assert_eq!(env.xaas(untouched).ok().ids(), NONE);
    for row in env.sql("SELECT last_followup_at FROM services WHERE customer_id = 'C0009'") {
        assert!(row[0].starts_with("2026-11-20T15:00:00"), "{row:?}");
    }
    assert_eq!(env.one("SELECT count(*) FROM record_services"), "0");
    env.xaas("log add C0009 --service S00001 --note x")
        .fails(1)
        .stderr_has("S00001 belongs to C0001");
    env.xaas("log add C0009 --note x --at someday")
        .fails(2)
        .stderr_has("--at");
}

#[test]
fn log_list_filters_and_orders_newest_first() {
    let env = Env::new();
    env.import_examples();
    env.xaas("log add C0001 --note one --at '2026-11-01 10:00'")
        .ok();
    env.xaas("log add C0002 --note two --at '2026-11-10 10:00' --author 王芳")
        .ok();
    env.xaas("log add C0001 --note three --reason satisfaction --at '2026-11-20 10:00'")
        .ok();
    // The note column of `log list --csv ARGS`.
    let notes = |args: &str| -> Vec<String> {
        let out = env.xaas(&format!("log list --csv {args}")).ok().stdout;
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "note")
            .unwrap();
        r.records().map(|x| x.unwrap()[col].to_string()).collect()
    };
    assert_eq!(notes(""), ["three", "two", "one"]);
    assert_eq!(notes("C0001"), ["three", "one"]);
    assert_eq!(notes("--since 2026-11-10"), ["three", "two"]);
    assert_eq!(notes("--until 2026-11-10"), ["two", "one"]);
    assert_eq!(notes("--author 王芳"), ["two"]);
    assert_eq!(notes("--reason 满意度原因"), ["three"]);
    assert_eq!(notes("--csm 张伟"), ["three", "one"]);
    assert_eq!(notes("--limit 1"), ["three"]);
    // TSV with nothing: nothing at all; JSON: [].
    env.xaas("log list C0003").ok().stdout_empty();
    env.xaas("log list C0003 --json").ok().stdout_is("[]\n");
    env.xaas("--lang zh log list --csv --limit 1")
        .ok()
        .stdout_starts_with("记录ID,跟进时间,客户ID")
        .stdout_has("满意度原因");
}

#[test]
fn show_lists_recent_records() {
    let env = Env::new();
    env.import_examples();
    env.xaas("followup set C0001 --status at_risk --note 预算紧张")
        .ok();
    let v = env.xaas("show C0001 --json").ok().json();
    let recs = v["records"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["note"], "预算紧张");
    assert_eq!(recs[0]["status"], "at_risk");
    env.xaas("show C0001 --format table")
        .ok()
        .stdout_has("Recent follow-ups")
        .stdout_has("预算紧张");
}
