use super::*;

/// (service, kind, from, to, source) of a history, oldest first.
fn history(env: &Env, day: &str, of: &str) -> Vec<[String; 5]> {
    let v = env
        .on(day)
        .xaas(&format!("history {of} --json"))
        .ok()
        .json();
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

/// (status, services) of each record, newest first.
fn records(env: &Env, day: &str, of: &str) -> Vec<(String, String)> {
    let v = env
        .on(day)
        .xaas(&format!("log list {of} --json"))
        .ok()
        .json();
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

fn status_of(env: &Env, service: &str) -> String {
    env.one(&format!(
        "SELECT coalesce(status, '∅') FROM services WHERE service_id = '{service}'"
    ))
}

/// C0004's open services expiring within 90 days.
const DUE: &str = "due --within 90 --customer C0004";
/// The same, less those with a follow-up since they entered their window.
const UNTOUCHED: &str = "due --within 90 --untouched --customer C0004";

/// One CSM's season with 金盾物流 (C0004) and 天成能源 (C0006), the date
/// moving forward: services enter the window as pending, are followed,
/// one renewed by import, one by `renew`, one lost with a reason, one
/// suspended; history, log and due agree at every step.
///
/// C0004 has S00004 (expires 2026-12-24), S00034 (2027-01-02), S00019
/// (2027-01-29) and S00049; C0006 has S00021 (2027-02-14). Each method is
/// one step of the season and asserts what that day shows; each
/// `season_*` test replays the steps before its own, so a failing step
/// is named by its test.
struct Season {
    env: Env,
}

impl Season {
    fn new() -> Season {
        let env = Env::new();
        env.import_examples();
        Season { env }
    }

    /// 2026-09-20: S00004 is 95 days out: no status yet, and none can be set.
    fn sep_20_too_early(&self) -> &Self {
        let (env, day) = (&self.env, "2026-09-20");
        assert_eq!(env.on(day).xaas(DUE).ok().ids(), NONE);
        let before = env.dump();
        env.on(day)
            .xaas("followup set --service S00004 --status at_risk")
            .fails(1)
            .stderr_has("95 days left");
        assert_eq!(env.dump(), before, "a refusal changes nothing");
        self
    }

    /// 2026-09-25: 90 days out, S00004 is pending without anyone doing
    /// anything; the first touch makes it identifying_risk.
    fn sep_25_first_touch(&self) -> &Self {
        let (env, day) = (&self.env, "2026-09-25");
        let on = env.on(day);
        assert_eq!(on.xaas(UNTOUCHED).ok().ids(), ["S00004"]);
        assert_eq!(
            on.xaas("list --services --status pending --customer C0004")
                .ok()
                .ids(),
            ["S00004"]
        );
        assert!(
            history(env, day, "S00004").is_empty(),
            "derived pending is no history"
        );

        on.xaas("followup set C0004 --status identifying-risk --note 提醒续费，客户在走预算")
            .ok()
            .stdout_is("1 service of 金盾物流有限公司: pending → identifying_risk (S00004)\n");
        assert_eq!(on.xaas(UNTOUCHED).ok().ids(), NONE);
        assert_eq!(on.xaas(DUE).ok().ids(), ["S00004"], "still open");
        assert_eq!(
            history(env, day, "C0004"),
            [h(
                "S00004",
                "status",
                "pending",
                "identifying_risk",
                "manual"
            )]
        );
        assert_eq!(
            records(env, day, "C0004"),
            [("identifying_risk".into(), "S00004".into())]
        );
        self
    }

    /// 2026-10-10: S00034 entered the window too; both set at once.
    fn oct_10_both_no_risk(&self) -> &Self {
        let (env, day) = (&self.env, "2026-10-10");
        let on = env.on(day);
        assert_eq!(on.xaas(UNTOUCHED).ok().ids(), ["S00034"]);
        on.xaas("followup set 金盾 --status no_risk")
            .ok()
            .stdout_is(
                "1 service of 金盾物流有限公司: identifying_risk → no_risk (S00004)\n\
             1 service of 金盾物流有限公司: pending → no_risk (S00034)\n",
            );
        assert_eq!(records(env, day, "C0004").len(), 2);
        assert_eq!(history(env, day, "C0004").len(), 3);
        self
    }

    /// 2026-11-24: S00004 is within 30 days: the second touch is due.
    /// S00019 entered the 90-day window on 2026-10-31.
    fn nov_24_second_touch(&self) -> &Self {
        let (env, day) = (&self.env, "2026-11-24");
        let on = env.on(day);
        assert_eq!(on.xaas(UNTOUCHED).ok().ids(), ["S00004", "S00019"]);
        assert_eq!(
            on.xaas("due --within 30 --untouched --customer C0004")
                .ok()
                .ids(),
            ["S00004"]
        );
        on.xaas("log add C0004 --service S00004 --note 第二次触达，合同走流程 --satisfaction 满意")
            .ok()
            .stdout_has("about S00004");
        assert_eq!(on.xaas(UNTOUCHED).ok().ids(), ["S00019"]);
        assert_eq!(records(env, day, "C0004")[0], ("".into(), "S00004".into()));
        assert_eq!(
            history(env, day, "C0004").len(),
            3,
            "a log entry is not a status change"
        );
        self
    }

    /// 2026-11-24: setting the status a service already has: a record, no
    /// history.
    fn nov_24_same_status_again(&self) -> &Self {
        let (env, day) = (&self.env, "2026-11-24");
        env.on(day)
            .xaas("followup set --service S00034 --status no_risk")
            .ok()
            .stdout_has("still no_risk");
        assert_eq!(records(env, day, "C0004").len(), 4);
        assert_eq!(history(env, day, "C0004").len(), 3);
        self
    }

    /// 2026-12-01: S00004 renewed by import (later expiry, new amount),
    /// S00034 by hand (amount kept).
    fn dec_01_renewals(&self) -> &Self {
        let (env, day) = (&self.env, "2026-12-01");
        let on = env.on(day);
        let examples = std::fs::read_to_string(examples()).unwrap();
        let header = examples.lines().next().unwrap();
        let line = examples
            .lines()
            .find(|l| l.contains(",S00004,"))
            .unwrap()
            .replace("2026-12-24,300000.00", "2027-12-24,320000.00");
        env.file("renewed.csv", format!("{header}\n{line}\n"));
        on.xaas("import renewed.csv").ok();
        assert_eq!(
            status_of(env, "S00004"),
            "∅",
            "the new term starts with no status"
        );
        assert_eq!(on.xaas(DUE).ok().ids(), ["S00034", "S00019"]);
        assert_eq!(
            env.sql("SELECT expiry_date, amount, status_before, new_expiry, new_amount, source FROM terms WHERE service_id = 'S00004'"),
            [["2026-12-24", "30000000", "no_risk", "2027-12-24", "32000000", "import"]]
        );

        on.xaas("renew S00034 --until 2028-01-02")
            .ok()
            .stdout_has("new term 2027-01-03 to 2028-01-02, amount 98000.00 → 98000.00");
        assert_eq!(
            env.sql(
                "SELECT start_date, expiry_date, amount FROM services WHERE service_id = 'S00034'"
            ),
            [["2027-01-03", "2028-01-02", "9800000"]]
        );
        assert_eq!(on.xaas(DUE).ok().ids(), ["S00019"]);
        self
    }

    /// 2026-12-01: S00019 is lost, with a reason; then the customer has
    /// nothing open, and its history tells the season so far.
    fn dec_01_a_loss(&self) -> &Self {
        let (env, day) = (&self.env, "2026-12-01");
        let on = env.on(day);
        let before = env.dump();
        on.xaas("followup set --service S00019 --status not_renewing")
            .fails(1)
            .stderr_has("--reason");
        assert_eq!(env.dump(), before);
        on.xaas("followup set --service S00019 --status 不续费 --reason 预算原因 --reason-detail 明年预算砍半")
            .ok();
        assert_eq!(
            env.one("SELECT reason FROM services WHERE service_id = 'S00019'"),
            "budget"
        );
        assert_eq!(on.xaas(DUE).ok().ids(), NONE);

        let before = env.dump();
        on.xaas("followup set C0004 --status at_risk")
            .fails(1)
            .stderr_has("no open service in the follow-up window")
            .stderr_has("S00019 is not_renewing");
        assert_eq!(env.dump(), before);
        on.xaas("log list --reason budget --json")
            .ok()
            .stdout_has("明年预算砍半");

        assert_eq!(
            history(env, day, "C0004"),
            [
                h("S00004", "status", "pending", "identifying_risk", "manual"),
                h("S00004", "status", "identifying_risk", "no_risk", "manual"),
                h("S00034", "status", "pending", "no_risk", "manual"),
                h("S00004", "renewal", "2026-12-24", "2027-12-24", "import"),
                h("S00034", "renewal", "2027-01-02", "2028-01-02", "renew"),
                h("S00019", "status", "pending", "not_renewing", "manual"),
            ]
        );
        self
    }

    /// 2026-12-01: 天成能源's S00021 is put off to next year.
    fn dec_01_a_suspension(&self) -> &Self {
        let (env, day) = (&self.env, "2026-12-01");
        let on = env.on(day);
        let c4 = history(env, day, "C0004");
        on.xaas("followup set --service S00021 --status suspended --note 明年再采购")
            .ok();
        let due = on.xaas("due --within 90").ok().ids();
        assert!(!due.contains(&"S00021".to_string()), "{due:?}");
        assert_eq!(history(env, day, "C0004"), c4, "another customer's change");
        self
    }

    /// 2026-12-15: the lost service comes back, named with --service;
    /// status, its time and the last follow-up travel in exports.
    fn dec_15_the_loss_comes_back(&self) -> &Self {
        let (env, day) = (&self.env, "2026-12-15");
        let on = env.on(day);
        on.xaas("followup set --service S00019 --status renewing")
            .ok();
        assert_eq!(
            env.one("SELECT coalesce(reason, '∅') FROM services WHERE service_id = 'S00019'"),
            "∅"
        );
        assert_eq!(on.xaas(DUE).ok().ids(), ["S00019"]);
        assert_eq!(
            history(env, day, "S00019").last().unwrap(),
            &h("S00019", "status", "not_renewing", "renewing", "manual")
        );

        let v = on.xaas("export --customer C0004 --format json").ok().json();
        let service = |id: &str| {
            v.as_array()
                .unwrap()
                .iter()
                .find(|s| s["service_id"] == id)
                .unwrap()
        };
        let s19 = service("S00019");
        assert_eq!(s19["status"], "renewing");
        assert!(s19["status_changed_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-15T"));
        assert!(s19["last_followup_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-15T"));
        let s04 = service("S00004");
        assert_eq!(s04["status"], serde_json::Value::Null);
        assert_eq!(s04["expiry_date"], "2027-12-24");
        self
    }
}

#[test]
fn season_2026_09_20_is_too_early_for_a_status() {
    Season::new().sep_20_too_early();
}

#[test]
fn season_2026_09_25_a_service_is_pending_by_itself_and_gets_its_first_touch() {
    Season::new().sep_20_too_early().sep_25_first_touch();
}

#[test]
fn season_2026_10_10_a_second_service_joins_and_both_are_set_at_once() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk();
}

#[test]
fn season_2026_11_24_the_second_touch_is_due_and_logged() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk()
        .nov_24_second_touch();
}

#[test]
fn season_2026_11_24_the_same_status_again_is_a_record_not_history() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk()
        .nov_24_second_touch()
        .nov_24_same_status_again();
}

#[test]
fn season_2026_12_01_one_renewed_by_import_one_by_hand() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk()
        .nov_24_second_touch()
        .nov_24_same_status_again()
        .dec_01_renewals();
}

#[test]
fn season_2026_12_01_one_lost_with_a_reason() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk()
        .nov_24_second_touch()
        .nov_24_same_status_again()
        .dec_01_renewals()
        .dec_01_a_loss();
}

#[test]
fn season_2026_12_01_one_suspended_leaves_due() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk()
        .nov_24_second_touch()
        .nov_24_same_status_again()
        .dec_01_renewals()
        .dec_01_a_loss()
        .dec_01_a_suspension();
}

#[test]
fn season_2026_12_15_the_lost_service_comes_back_and_exports_say_so() {
    Season::new()
        .sep_20_too_early()
        .sep_25_first_touch()
        .oct_10_both_no_risk()
        .nov_24_second_touch()
        .nov_24_same_status_again()
        .dec_01_renewals()
        .dec_01_a_loss()
        .dec_01_a_suspension()
        .dec_15_the_loss_comes_back();
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
    // Its open services lie in two windows: which one is meant must be said.
    env.xaas("followup set C0002 --status at_risk")
        .fails(2)
        .stderr_has("C0002 (中科智联信息技术有限公司): within_30 1, within_90 2")
        .stderr_has("--window");
    env.xaas("followup set C0002 --window all --status at_risk")
        .ok()
        .stdout_is(
            "3 services of 中科智联信息技术有限公司: pending → at_risk (S00002, S00047, S00017)\n",
        );
    assert_eq!(status_of(&env, "S00032"), "suspended");
    env.xaas("followup set C0002 --window within_90 --status no_risk")
        .ok()
        .stdout_is("2 services of 中科智联信息技术有限公司: at_risk → no_risk (S00047, S00017)\n");
    assert_eq!(status_of(&env, "S00002"), "at_risk");
    assert_eq!(status_of(&env, "S00017"), "no_risk");
    // By Chinese label, author from the flag, in Chinese output.
    env.xaas("--lang zh followup set --service S00002 --status 跟进中-无风险 --author 王芳")
        .ok()
        .stdout_is(
            "中科智联信息技术有限公司 的 1 个服务: 跟进中-有风险 → 跟进中-无风险（S00002）\n",
        );
    // On a team database the author is the login, whatever the flag says
    // (SPEC "Team mode").
    let author = if env.is_pg() { "tester" } else { "王芳" };
    assert_eq!(
        env.sql("SELECT author, source FROM history ORDER BY id DESC LIMIT 1"),
        [[author, "manual"]]
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
        .stderr_has("S00001 is not a service of C0009")
        .stderr_has("it belongs to C0001");
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
    if env.is_pg() {
        // On a team database every author is the login (SPEC "Team mode").
        assert_eq!(notes("--author tester"), ["three", "two", "one"]);
        assert_eq!(notes("--author 王芳"), NONE);
    } else {
        assert_eq!(notes("--author 王芳"), ["two"]);
    }
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
    env.xaas("followup set C0001 --window within_30 --status at_risk --note 预算紧张")
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

#[test]
fn a_record_from_the_future_or_with_nothing_in_it_is_refused() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    env.xaas("log add C0009 --note 明天再说 --at 2026-11-24")
        .fails(2)
        .stderr_has("--at")
        .stderr_has("2026-11-24 is after today (2026-11-23)");
    env.xaas("log add C0009 --note 回访 --at '2026-11-24 09:00'")
        .fails(2);
    env.xaas("log add C0009 --note '  '")
        .fails(2)
        .stderr_has("--note");
    env.xaas("log add C0009 --note '' --satisfaction ''")
        .fails(2);
    assert_eq!(env.dump(), before, "nothing was written");
    // Today, at any hour, is fine; blanks beside a note are dropped.
    env.xaas("log add C0009 --note 回访 --at '2026-11-23 18:00' --sales ' '")
        .ok();
    assert_eq!(env.one("SELECT coalesce(sales, '∅') FROM records"), "∅");
    // Both of C0009's due services were touched today: none is untouched.
    env.xaas("due --within 30 --untouched --customer C0009")
        .ok()
        .stdout_empty();
}

/// Issue #11, item 3: a customer-wide call meant the service due in 3 days
/// and closed two expired ones and one 84 days out as well.
#[test]
fn a_customer_wide_call_across_windows_asks_which_and_names_what_it_changed() {
    let env = Env::new();
    env.file(
        "c.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date,amount\n\
         C1,星河学院,S1,basic,2026-11-26,1000\n\
         C1,星河学院,S2,basic,2026-11-01,80000\n\
         C1,星河学院,S3,basic,2026-11-05,90000\n\
         C1,星河学院,S4,basic,2027-02-15,147000\n\
         C2,远山医院,S5,basic,2027-06-01,5000\n\
         C3,青川银行,S6,basic,2026-12-01,7000\n",
    );
    env.xaas("import c.csv").ok();
    let before = env.dump();
    env.xaas("followup set C1 --status not-renewing --reason 预算")
        .fails(2)
        .stderr_has("C1 (星河学院): expired 2, within_30 1, within_90 1")
        .stderr_has("--window")
        .stdout_empty();
    assert_eq!(env.dump(), before, "nothing changed");
    env.xaas("followup set C1 --window within_30 --status not-renewing --reason 预算")
        .ok()
        .stdout_is("1 service of 星河学院: pending → not_renewing (S1)\n");
    assert_eq!(
        env.sql("SELECT service_id, coalesce(status, '∅') FROM services WHERE customer_id = 'C1' ORDER BY 1"),
        [["S1", "not_renewing"], ["S2", "∅"], ["S3", "∅"], ["S4", "∅"]]
    );
    // Windows repeat; the output names every service.
    env.xaas("followup set C1 --window expired --window within_90 --status at_risk")
        .ok()
        .stdout_is("3 services of 星河学院: pending → at_risk (S2, S3, S4)\n");
    // C2 has nothing in the window: refused, unless skipped and named.
    env.xaas("followup set C3 C2 --status no_risk")
        .fails(1)
        .stderr_has("C2 (远山医院) has no open service in the follow-up window");
    env.xaas("followup set C3 C2 --status no_risk --skip-missing")
        .ok()
        .stdout_is("1 service of 青川银行: pending → no_risk (S6)\n")
        .stderr_has("skipped: C2 (远山医院) has no open service");
    env.xaas("followup set --service S5 --status no_risk --skip-missing")
        .fails(2);
}

/// What a trial season found: notes that start with `-`, a moment given in
/// another offset, and a term reopened past its grace days.
#[test]
fn rough_edges_of_the_trial_season() {
    let env = Env::new();
    env.import_examples();
    env.xaas("log add C0009 --note '-10% 降价要求'").ok();
    env.xaas(
        "followup set --service S00039 --status at-risk --note '-降价 20%' --reason-detail '-x'",
    )
    .ok();
    assert_eq!(
        env.sql("SELECT note FROM records ORDER BY id"),
        [["-10% 降价要求"], ["-降价 20%"]]
    );
    // 2026-11-24 01:00 at +08:00 is still 2026-11-23 on this UTC clock.
    env.xaas("log add C0009 --note 夜里回电 --at 2026-11-24T01:00:00+08:00")
        .ok();
    // S00008 expired 2026-05-07: suspended, it may not be reopened (an open
    // status would lapse at once); an outcome is still fine.
    env.xaas("followup set --service S00008 --status suspended")
        .ok();
    env.xaas("followup set --service S00008 --status at-risk")
        .fails(1)
        .stderr_has("beyond the 30 grace days");
    env.xaas(
        "followup set --service S00008 --status not-renewing --reason budget --reason-detail 没钱",
    )
    .ok();
    // A renewal clears the outcome: no reason or its detail on the new term.
    env.xaas("renew S00008 --until 2027-05-07").ok();
    assert_eq!(
        env.sql("SELECT coalesce(status, '∅'), coalesce(reason, '∅'), coalesce(reason_detail, '∅') FROM services WHERE service_id = 'S00008'"),
        [["∅", "∅", "∅"]]
    );
    // The dashboard's lines break between items, never inside one.
    let out = env
        .xaas_with(&[("COLUMNS", "64")], "stats --format table")
        .ok()
        .stdout;
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 64,
            "{line:?}"
        );
    }
    assert!(
        out.contains("\n  suspended 0"),
        "the cohort line wraps between items: {out}"
    );
}
