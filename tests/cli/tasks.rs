//! `xaas tasks`: tasks by hand and from the rules, synced as the days go
//! by (`--today` moving through a season of the example book).
//!
//! In the example book (services.csv): S00004 expires 2026-12-24, so its
//! kickoff falls on 2026-09-25 and its second touch on 2026-11-24; S00034
//! expires 2027-01-02 (kickoff 2026-10-04); S00019 expires 2027-01-29
//! (kickoff 2026-10-31) and started 2026-07-31 (revisit 2026-08-30).

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};

use super::*;

/// (rule, service or customer, due): a task as the rules see it.
type Key = (String, String, String);

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Every task stored, as keys.
fn stored(env: &Env) -> BTreeSet<Key> {
    env.sql("SELECT coalesce(rule, 'manual'), coalesce(service_id, customer_id), due FROM tasks")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

/// What `tasks plan --days N` says on `on`, as keys.
fn planned(env: &Env, on: &str, days: u32) -> BTreeSet<Key> {
    let json = env
        .on(on)
        .xaas(&format!("tasks plan --days {days} --json"))
        .ok()
        .json();
    json.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap_or("").to_string();
            let target = match t["service_id"].as_str() {
                Some(id) => id.to_string(),
                None => s("customer_id"),
            };
            (s("rule"), target, s("due"))
        })
        .collect()
}

/// The tasks one `tasks sync` on `on` created.
fn sync(env: &Env, on: &str) -> BTreeSet<Key> {
    let before = stored(env);
    env.on(on).xaas("tasks sync").ok();
    stored(env).difference(&before).cloned().collect()
}

fn key(rule: &str, target: &str, due: &str) -> Key {
    (rule.into(), target.into(), due.into())
}

/// Tasks and their history, as stored: equal dumps, nothing changed.
fn tasks_dump(env: &Env) -> String {
    let mut out = env.dump();
    for t in ["tasks", "task_sync"] {
        for row in env.sql(&format!("SELECT * FROM {t} ORDER BY 1")) {
            out.push_str(&format!("{t}|{}\n", row.join("|")));
        }
    }
    out
}

fn id_of(env: &Env, rule: &str, target: &str) -> String {
    env.one(&format!(
        "SELECT id FROM tasks WHERE coalesce(rule, 'manual') = '{rule}'
         AND coalesce(service_id, customer_id) = '{target}' ORDER BY id DESC LIMIT 1"
    ))
}

fn status_of_task(env: &Env, id: &str) -> String {
    env.one(&format!("SELECT status FROM tasks WHERE id = {id}"))
}

#[test]
fn daily_syncs_make_each_rules_task_once_on_its_day_as_the_plan_said() {
    let env = Env::new();
    env.import_examples();
    // The first sync catches up 30 days: S00019's revisit (2026-08-30) is
    // in, the kickoffs due since 2026-08-21 too.
    let first = sync(&env, "2026-09-20");
    assert!(
        first.contains(&key("revisit", "S00019", "2026-08-30")),
        "{first:?}"
    );
    assert!(first
        .iter()
        .all(|k| ("2026-08-21"..="2026-09-20").contains(&k.2.as_str())));
    let plan = planned(&env, "2026-09-20", 30);
    assert!(
        plan.contains(&key("kickoff", "S00004", "2026-09-25")),
        "{plan:?}"
    );
    assert!(plan.contains(&key("monthly_touch", "C0004", "2026-10-20")));
    let mut made = BTreeSet::new();
    let mut d = day("2026-09-21");
    while d <= day("2026-10-20") {
        let today = iso(d);
        let new = sync(&env, &today);
        for k in &new {
            assert_eq!(k.2, today, "a daily sync makes only the day's tasks: {k:?}");
        }
        // Run twice, nothing changes, and it says nothing (cron).
        let before = tasks_dump(&env);
        env.on(&today)
            .xaas("tasks sync")
            .ok()
            .stdout_empty()
            .stderr_empty();
        assert_eq!(tasks_dump(&env), before, "a second sync on {today}");
        made.extend(new);
        d = d + Days::new(1);
    }
    assert_eq!(made, plan, "the plan is what the daily syncs made");
    // Each rule's task once: one kickoff for S00004, on its day.
    assert_eq!(
        env.sql("SELECT due, status FROM tasks WHERE rule = 'kickoff' AND service_id = 'S00004'"),
        [["2026-09-25", "open"]]
    );
    assert_eq!(
        env.one("SELECT count(*) FROM tasks WHERE rule = 'monthly_touch' AND key = '2026-10'"),
        "15",
        "every customer, none touched in October"
    );
    // Every task created is one history entry.
    assert_eq!(
        env.one("SELECT count(*) FROM history WHERE kind = 'task_created'"),
        env.one("SELECT count(*) FROM tasks")
    );
    assert_eq!(
        env.one("SELECT DISTINCT source FROM history WHERE kind = 'task_created'"),
        "sync"
    );
}

#[test]
fn a_sync_after_a_skipped_week_makes_the_missed_tasks_once() {
    let env = Env::new();
    env.import_examples();
    sync(&env, "2026-09-20");
    // Skipped from 09-21 to 09-27: the plan on 09-20 for the week ahead
    // is what the sync on 09-28 makes, less 09-28's own.
    let week = planned(&env, "2026-09-20", 7);
    let caught = sync(&env, "2026-09-28");
    let missed: BTreeSet<Key> = caught
        .iter()
        .filter(|k| k.2.as_str() < "2026-09-28")
        .cloned()
        .collect();
    assert_eq!(missed, week);
    assert!(caught.contains(&key("kickoff", "S00004", "2026-09-25")));
    assert!(sync(&env, "2026-09-28").is_empty(), "once");
    // Two months later: at most 30 days back. The October and November
    // monthly touches: only November's (2026-11-20) is within 30 days of
    // 2026-11-28.
    let late = sync(&env, "2026-11-28");
    assert!(
        late.iter().all(|k| k.2.as_str() >= "2026-10-29"),
        "{late:?}"
    );
    assert!(late.contains(&key("monthly_touch", "C0001", "2026-11-20")));
    assert!(!late.contains(&key("monthly_touch", "C0001", "2026-10-20")));
    assert!(!stored(&env).contains(&key("monthly_touch", "C0001", "2026-10-20")));
}

#[test]
fn a_renewal_or_a_closed_service_closes_its_automatic_tasks_but_never_a_resume() {
    let env = Env::new();
    env.import_examples();
    sync(&env, "2026-10-04");
    let kickoff = id_of(&env, "kickoff", "S00034");
    env.on("2026-10-10")
        .xaas("renew S00034 --until 2028-01-02")
        .ok();
    env.on("2026-10-10")
        .xaas("tasks sync")
        .ok()
        .stdout_has("closed, no longer applying (renewed 1)")
        .stdout_has(&format!("#{kickoff}"));
    assert_eq!(status_of_task(&env, &kickoff), "closed");
    assert_eq!(
        env.sql(
            "SELECT service_id, from_value, to_value, source, note FROM history
             WHERE kind = 'task_closed'"
        ),
        [[
            "S00034",
            "open",
            "closed",
            "sync",
            &format!("#{kickoff} kickoff: renewed")
        ]]
    );
    // S00019: its kickoff (10-31) made, then the service suspended: the
    // kickoff closes, the resume task stays, sync after sync.
    sync(&env, "2026-10-31");
    let kickoff = id_of(&env, "kickoff", "S00019");
    env.on("2026-11-01")
        .xaas("followup set --service S00019 --status suspended --resume-on 2027-09-01")
        .ok()
        .stdout_has("resume task #")
        .stdout_has("for S00019 due 2027-09-01");
    let resume = id_of(&env, "resume", "S00019");
    env.on("2026-11-01")
        .xaas("tasks sync")
        .ok()
        .stdout_has("suspended 1");
    assert_eq!(status_of_task(&env, &kickoff), "closed");
    sync(&env, "2026-11-20");
    assert_eq!(status_of_task(&env, &resume), "open");
    // A manual task is never closed by a sync either.
    env.on("2026-11-20")
        .xaas("tasks add C0004 --service S00019 --due 2026-11-21 --title 确认明年预算")
        .ok();
    let manual = id_of(&env, "manual", "S00019");
    sync(&env, "2026-11-21");
    assert_eq!(status_of_task(&env, &manual), "open");
    // Lapsed: S00001 (expired 2026-11-22) lapses on 12-23; its second
    // touch, still open, closes then and not before.
    sync(&env, "2026-12-22");
    let second = id_of(&env, "second_touch", "S00001");
    assert_eq!(status_of_task(&env, &second), "open");
    env.on("2026-12-23")
        .xaas("tasks sync")
        .ok()
        .stdout_has("lapsed");
    assert_eq!(status_of_task(&env, &second), "closed");
}

#[test]
fn resume_defaults_to_the_next_window_and_a_new_date_replaces_the_old() {
    let env = Env::new();
    env.import_examples();
    // S00019 expires 2027-01-29: a year later less 90 days is 2027-10-31.
    env.on("2026-11-01")
        .xaas("followup set --service S00019 --status suspended")
        .ok()
        .stdout_has("resume task #1 for S00019 due 2027-10-31");
    env.on("2026-11-02")
        .xaas("followup set --service S00019 --status suspended --resume-on 2027-09-01")
        .ok()
        .stdout_has("resume task #2 for S00019 due 2027-09-01 (replaces #1)");
    assert_eq!(
        env.sql("SELECT id, due, status FROM tasks ORDER BY id"),
        [["1", "2027-10-31", "closed"], ["2", "2027-09-01", "open"]]
    );
    // The same date again: no second task.
    env.on("2026-11-03")
        .xaas("followup set --service S00019 --status suspended --resume-on 2027-09-01")
        .ok()
        .stdout_lacks("resume task");
    // A customer-wide suspension gives each service its own date.
    env.on("2026-11-23")
        .xaas("followup set C0009 --status suspended --window within_30")
        .ok();
    assert_eq!(
        env.sql(
            "SELECT service_id, due FROM tasks WHERE customer_id = 'C0009' ORDER BY service_id"
        ),
        [["S00009", "2027-08-28"], ["S00039", "2027-08-27"]]
    );
}

#[test]
fn done_snooze_and_add_by_hand() {
    let env = Env::new();
    env.import_examples();
    env.xaas("tasks add 金盾 --service S00004 --due 2026-11-25 --title '发续费报价'")
        .ok()
        .stdout_is("task #1 for C0004 金盾物流有限公司 about S00004, due 2026-11-25: 发续费报价\n");
    env.xaas("tasks add C0004 --due 2026-11-20 --title '-- 季度复盘'")
        .ok()
        .stdout_has("task #2 for C0004 金盾物流有限公司, due 2026-11-20: -- 季度复盘");
    env.xaas("tasks list --overdue")
        .ok()
        .stdout_has("-- 季度复盘")
        .stdout_lacks("发续费报价");
    env.xaas("tasks snooze 1 --until 2026-12-01")
        .ok()
        .stdout_is(
            "task #1 moved from 2026-11-25 to 2026-12-01 (C0004 金盾物流有限公司: 发续费报价)\n",
        );
    assert_eq!(
        env.sql("SELECT due, original_due FROM tasks WHERE id = 1"),
        [["2026-12-01", "2026-11-25"]]
    );
    env.xaas("tasks done 1 --note 报价已发，客户走流程")
        .ok()
        .stdout_is("task #1 done (C0004 金盾物流有限公司: 发续费报价); record #1 written\n");
    // The note is a follow-up record, as `log add` writes one.
    let log = env.xaas("log list C0004 --json").ok().json();
    assert_eq!(log[0]["note"], "报价已发，客户走流程");
    assert_eq!(log[0]["services"], serde_json::json!(["S00004"]));
    assert_eq!(log[0]["author"], "tester");
    assert_ne!(
        env.one("SELECT coalesce(last_followup_at, '∅') FROM services WHERE service_id = 'S00004'"),
        "∅"
    );
    env.xaas("tasks done 2").ok().stdout_lacks("record");
    assert_eq!(
        env.one("SELECT count(*) FROM records"),
        "1",
        "no note, no record"
    );
    let all = env.xaas("tasks list --all --json").ok().json();
    let rows = all.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["status"], "done");
    assert_eq!(rows[1]["note"], "报价已发，客户走流程");
    env.xaas("tasks list").ok().stdout_empty();
    env.xaas("tasks list --csv").ok().stdout_starts_with(
        "id,due,when,customer_id,customer_name,csm,service_id,rule,title,status,",
    );
    assert_eq!(
        env.sql("SELECT kind, service_id, from_value, to_value FROM history ORDER BY id"),
        [
            ["task_created", "S00004", "∅", "2026-11-25"],
            ["task_created", "", "∅", "2026-11-20"],
            ["task_snoozed", "S00004", "2026-11-25", "2026-12-01"],
            ["task_done", "S00004", "open", "done"],
            ["task_done", "", "open", "done"],
        ]
    );
    env.xaas("history C0004")
        .ok()
        .stdout_has("task_snoozed")
        .stdout_has("#1 manual: 报价已发，客户走流程");
}

#[test]
fn refusals_name_the_choices_and_leave_the_file_as_it_was() {
    let env = Env::new();
    env.import_examples();
    sync(&env, "2026-11-23");
    let open = id_of(&env, "kickoff", "S00019");
    env.xaas(&format!("tasks done {open}")).ok();
    // The file's bytes; on PostgreSQL every table's rows, the tasks too.
    let bytes = || {
        (
            env.db_bytes(),
            env.dump(),
            env.sql("SELECT * FROM tasks ORDER BY id"),
            env.sql("SELECT * FROM task_sync"),
        )
    };
    let before = bytes();
    let refused = [
        (
            "tasks list --rule visit",
            2,
            "expected one of: manual (手动), kickoff (续费启动), second_touch (二次触达), revisit (上线回访), monthly_touch (月度拜访), budget (预算跟进), resume (恢复跟进)",
        ),
        (
            "tasks list --status finished",
            2,
            "expected one of: open (待办), done (已完成), closed (已关闭)",
        ),
        ("tasks list --overdue --all", 2, "cannot be used with"),
        ("tasks plan --days 367", 2, "367 is not in 0..=366"),
        ("tasks done 999", 1, "no task #999"),
        ("tasks done abc", 2, "invalid value 'abc'"),
        ("tasks snooze 999 --until 2026-12-01", 1, "no task #999"),
        (&format!("tasks done {open}")[..], 1, "is already done"),
        (
            &format!("tasks snooze {open} --until 2026-12-01")[..],
            1,
            "only an open task can be snoozed",
        ),
        ("tasks snooze 1 --until 2026-11-23", 2, "is not after today (2026-11-23)"),
        ("tasks snooze 1 --until 2026-02-30", 2, "not a real date"),
        ("tasks add C9999 --due 2026-12-01 --title x", 1, "no customer `C9999`"),
        (
            "tasks add C0004 --service S00001 --due 2026-12-01 --title x",
            1,
            "S00001 is not a service of C0004",
        ),
        ("tasks add C0004 --service S99999 --due 2026-12-01 --title x", 1, "no service `S99999`"),
        ("tasks add C0004 --due 2026-12-01 --title ' '", 2, "--title is blank"),
        ("tasks add C0004 --due 2026-12-01", 2, "pass --title TEXT"),
        ("tasks add C0004 --title x", 2, "--due"),
        (
            "followup set --service S00004 --status at_risk --resume-on 2027-09-01",
            2,
            "--resume-on goes with --status suspended",
        ),
        (
            "followup set --service S00004 --status suspended --resume-on 2026-11-01",
            2,
            "is before today",
        ),
    ];
    for (line, code, says) in refused {
        env.xaas(line).fails(code).stderr_has(says).stdout_empty();
        assert!(bytes() == before, "`{line}` changed the database file");
    }
}

#[test]
fn today_lists_the_tasks_due_as_rows_of_their_own() {
    let env = Env::new();
    env.import_examples();
    sync(&env, "2026-11-20");
    env.on("2026-11-20")
        .xaas("tasks add C0004 --due 2026-11-21 --title 明天的事")
        .ok();
    let rows = env
        .on("2026-11-23")
        .xaas("today --customer C0004 --json")
        .ok()
        .json();
    let whys: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["why"].as_str().unwrap())
        .collect();
    let touch = id_of(&env, "monthly_touch", "C0004");
    let manual = id_of(&env, "manual", "C0004");
    assert!(
        whys.contains(&format!("task #{touch} monthly_touch · 3 d overdue").as_str()),
        "{whys:?}"
    );
    assert!(
        whys.contains(&format!("task #{manual} · 2 d overdue · 明天的事").as_str()),
        "{whys:?}"
    );
    let task_row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["task_id"].as_i64().map(|i| i.to_string()) == Some(touch.clone()))
        .unwrap();
    assert_eq!(task_row["points"], 80);
    assert_eq!(task_row["service_id"], serde_json::Value::Null);
    assert_eq!(task_row["task"], "monthly visit, 2026-11");
    // A task due later is not on today's list; one due today is.
    env.on("2026-11-20")
        .xaas("today --customer C0004 --json")
        .ok()
        .stdout_lacks("明天的事")
        .stdout_has("monthly_touch · due today");
    // Filters on services leave tasks out; customer filters keep them.
    env.on("2026-11-23")
        .xaas("today --customer C0004 --window within_30 --json")
        .ok()
        .stdout_lacks("\"why\":\"task");
    env.on("2026-11-23")
        .xaas("today --csm 刘洋 --lang zh --format tsv")
        .ok()
        .stdout_has(&format!("任务 #{touch} 月度拜访 · 逾期3天"));
    // Done, it is off the list.
    env.on("2026-11-23")
        .xaas(&format!("tasks done {touch}"))
        .ok();
    env.on("2026-11-23")
        .xaas("today --customer C0004")
        .ok()
        .stdout_lacks("monthly_touch");
}

#[test]
fn show_lists_the_customers_open_tasks() {
    let env = Env::new();
    env.import_examples();
    sync(&env, "2026-10-04");
    sync(&env, "2026-11-24");
    let json = env.on("2026-11-24").xaas("show C0004 --json").ok().json();
    let tasks = json["tasks"].as_array().unwrap();
    let shape: Vec<(String, String, String)> = tasks
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().map_or("null".to_string(), str::to_string);
            (s("rule"), s("service_id"), s("due"))
        })
        .collect();
    let t = |r: &str, s: &str, d: &str| (r.to_string(), s.to_string(), d.to_string());
    assert_eq!(
        shape,
        [
            t("monthly_touch", "null", "2026-09-20"),
            t("kickoff", "S00004", "2026-09-25"),
            t("kickoff", "S00034", "2026-10-04"),
            t("kickoff", "S00019", "2026-10-31"),
            t("monthly_touch", "null", "2026-11-20"),
            t("second_touch", "S00004", "2026-11-24"),
        ]
    );
    for k in [
        "id",
        "customer_id",
        "service_id",
        "rule",
        "status",
        "due",
        "created",
        "closed",
        "note",
    ] {
        assert!(tasks[0].get(k).is_some(), "no `{k}` in {}", tasks[0]);
    }
    assert_eq!(tasks[0]["status"], "open");
    assert_eq!(tasks[0]["customer_id"], "C0004");
    assert_eq!(tasks[0]["closed"], serde_json::Value::Null);
    env.on("2026-11-24")
        .xaas("show C0004 --format table")
        .ok()
        .stdout_has("Open tasks (6)")
        .stdout_has("remind customer and sales: S00004 expires 2026-12-24");
    env.on("2026-11-24")
        .xaas("show C0004 --format table --lang zh")
        .ok()
        .stdout_has("待办任务 (6)")
        .stdout_has("提醒客户与销售：S00004 2026-12-24 到期");
}

#[test]
fn monthly_touch_for_live_customers_without_a_record_that_month() {
    let env = Env::new();
    env.import_examples();
    env.xaas("settings task_monthly_touch_day 28").ok();
    // C0013 was visited in February; C0001's services have all lapsed by
    // then (no visit for a customer that is gone).
    env.on("2027-02-10")
        .xaas("log add C0013 --note 节后拜访")
        .ok();
    let made = sync(&env, "2027-02-28");
    let touched: BTreeSet<&str> = made
        .iter()
        .filter(|k| k.0 == "monthly_touch")
        .map(|k| {
            assert_eq!(k.2, "2027-02-28", "{k:?}");
            k.1.as_str()
        })
        .collect();
    assert!(touched.contains("C0005"), "{touched:?}");
    assert!(!touched.contains("C0013"), "visited on 02-10");
    assert!(!touched.contains("C0001"), "every service lapsed");
    // A record later that month: the next sync closes the touch.
    let id = id_of(&env, "monthly_touch", "C0005");
    env.on("2027-02-28")
        .xaas("log add C0005 --note 电话拜访")
        .ok();
    env.on("2027-02-28")
        .xaas("tasks sync")
        .ok()
        .stdout_is(&format!(
            "1 task closed, no longer applying (touched this month 1): #{id}\n"
        ));
    assert_eq!(status_of_task(&env, &id), "closed");
}
