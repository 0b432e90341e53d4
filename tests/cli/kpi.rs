//! The seed-001 indicators in `stats`: counted by hand on a small book,
//! in the JSON, per CSM, and in `--explain`.

use super::*;

fn kpi(env: &Env, args: &str) -> serde_json::Value {
    env.xaas(&format!("stats --json {args}")).ok().json()["kpi"].clone()
}

#[test]
fn each_indicator_counts_the_items_that_started_in_the_period() {
    let env = Env::new();
    env.import_examples();
    let on = |day: &str, line: &str| {
        env.on(day).xaas(line).ok();
    };
    // Risks: 张伟's C0001 raises three, closes two (one resolved); 刘洋's
    // C0004 raises one, still open.
    on(
        "2026-10-01",
        "risk add C0001 --kind delivery --note 交付延期",
    );
    on(
        "2026-10-02",
        "risk add C0001 --kind business --note 预算紧张",
    );
    on(
        "2026-10-03",
        "risk add C0001 --kind satisfaction --note 误报多",
    );
    on(
        "2026-10-04",
        "risk add C0004 --kind business --note 换供应商",
    );
    on(
        "2026-10-10",
        "risk close 1 --outcome resolved --note 已交付",
    );
    on(
        "2026-10-11",
        "risk close 2 --outcome failed --note 预算取消",
    );
    // Leads: three for C0001: one converted, one invalid, one entered.
    on("2026-10-05", "lead add C0001 --product EDR --note 扩容");
    on("2026-10-05", "lead add C0001 --product WAF --note 新站点");
    on("2026-10-05", "lead add C0001 --product SOC --note 托管");
    on("2026-10-20", "lead set 1 --status converted");
    on("2026-10-21", "lead set 2 --status invalid");
    // Budgets: C0001's date in the period, submitted and passed; C0004's
    // date in the period, never submitted.
    on("2026-09-01", "budget set C0001 --date 2026-10-15");
    on("2026-09-01", "budget set C0004 --date 2026-10-20");
    on("2026-10-01", "budget submit C0001");
    on("2026-10-16", "budget result C0001 --passed");

    let k = kpi(&env, "");
    let counts = |name: &str| k["counts"][name].clone();
    assert_eq!(counts("risk_completion"), serde_json::json!([2, 4]));
    assert_eq!(k["risk_completion"], 0.5);
    assert_eq!(counts("risk_success"), serde_json::json!([1, 2]));
    assert_eq!(counts("lead_closure"), serde_json::json!([2, 3]));
    assert_eq!(counts("lead_conversion"), serde_json::json!([1, 3]));
    assert_eq!(counts("budget_on_time"), serde_json::json!([1, 2]));
    assert_eq!(counts("budget_pass"), serde_json::json!([1, 1]));
    assert_eq!(k["budget_pass"], 1.0);

    // Per CSM: 刘洋 has one open risk and a missed budget; the groups add
    // up to the total.
    let groups = env.xaas("stats --json --by csm").ok().json()["groups"].clone();
    assert_eq!(
        groups["刘洋"]["kpi"]["counts"]["risk_completion"],
        serde_json::json!([0, 1])
    );
    assert_eq!(groups["刘洋"]["kpi"]["budget_on_time"], 0.0);
    assert_eq!(
        groups["张伟"]["kpi"]["counts"]["risk_completion"],
        serde_json::json!([2, 3])
    );
    assert_eq!(
        groups["李娜"]["kpi"]["risk_success"],
        serde_json::Value::Null,
        "0 / 0"
    );

    // Each figure is a count of rows the lists show (for the period
    // 2025-11-24 … 2026-11-23, as of today).
    let rows = |line: &str| -> Vec<serde_json::Value> {
        env.xaas(&format!("{line} --json"))
            .ok()
            .json()
            .as_array()
            .unwrap()
            .clone()
    };
    let in_period = |r: &serde_json::Value, key: &str| {
        r[key]
            .as_str()
            .is_some_and(|d| ("2025-11-24"..="2026-11-23").contains(&d))
    };
    let risks: Vec<_> = rows("risk list")
        .into_iter()
        .filter(|r| in_period(r, "created"))
        .collect();
    let closed = risks.iter().filter(|r| !r["closed"].is_null()).count();
    let resolved = risks.iter().filter(|r| r["status"] == "resolved").count();
    assert_eq!(
        counts("risk_completion"),
        serde_json::json!([closed, risks.len()])
    );
    assert_eq!(
        counts("risk_success"),
        serde_json::json!([resolved, closed])
    );
    let leads: Vec<_> = rows("lead list")
        .into_iter()
        .filter(|r| in_period(r, "created"))
        .collect();
    let moved = leads.iter().filter(|r| r["status"] != "entered").count();
    let converted = leads.iter().filter(|r| r["status"] == "converted").count();
    assert_eq!(
        counts("lead_closure"),
        serde_json::json!([moved, leads.len()])
    );
    assert_eq!(
        counts("lead_conversion"),
        serde_json::json!([converted, leads.len()])
    );
    let cycles: Vec<_> = rows("budget list")
        .into_iter()
        .filter(|r| in_period(r, "budget_date"))
        .collect();
    let customers = |keep: &dyn Fn(&serde_json::Value) -> bool| {
        let mut ids: Vec<&str> = cycles
            .iter()
            .filter(|r| keep(r))
            .map(|r| r["customer_id"].as_str().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    let late = |r: &serde_json::Value| {
        r["submitted"]
            .as_str()
            .is_none_or(|s| s > r["budget_date"].as_str().unwrap())
    };
    let all = customers(&|_| true);
    assert_eq!(
        counts("budget_on_time"),
        serde_json::json!([all - customers(&late), all])
    );
    let submitted = customers(&|r| !r["submitted"].is_null());
    let passed = customers(&|r| r["status"] == "passed");
    assert_eq!(
        counts("budget_pass"),
        serde_json::json!([passed, submitted])
    );

    // A filter on services leaves them out: items belong to customers.
    let services = kpi(&env, "--window within_30");
    assert_eq!(services["risk_completion"], serde_json::Value::Null);
    assert_eq!(
        services["counts"]["risk_completion"],
        serde_json::json!([0, 0])
    );

    // A period that started after them: nothing started, every rate null.
    let later = kpi(&env, "--from 2026-11-01 --to 2026-11-23");
    assert_eq!(later["risk_completion"], serde_json::Value::Null);
    assert_eq!(later["counts"]["lead_closure"], serde_json::json!([0, 0]));

    // --explain gives the same counts, as an equation.
    env.xaas("stats --explain --format table")
        .ok()
        .stdout_has("risks closed / risks raised")
        .stdout_has("= 2 / 4")
        .stdout_has("= 50.0%");
    // The dashboard shows them.
    env.xaas("stats --format table")
        .ok()
        .stdout_has("risk_completion")
        .stdout_has("(2 / 4)");
    // As of a day before the closings, the risks raised then were open.
    let before = kpi(&env, "--today 2026-10-09 --from 2026-09-01 --to 2026-10-09");
    assert_eq!(
        before["counts"]["risk_completion"],
        serde_json::json!([0, 4])
    );
}

/// task_on_time: done by the due day (a snooze moves it) over the tasks
/// due in the period; a late one, an open one and a snoozed one on time.
#[test]
fn tasks_done_by_their_due_day_over_the_tasks_due() {
    let env = Env::new();
    env.import_examples();
    let on = |day: &str, line: &str| {
        env.on(day).xaas(line).ok();
    };
    on(
        "2026-10-01",
        "tasks add C0001 --due 2026-10-10 --title 报价",
    );
    on(
        "2026-10-01",
        "tasks add C0001 --due 2026-10-12 --title 盖章",
    );
    on(
        "2026-10-01",
        "tasks add C0004 --due 2026-10-15 --title 回访",
    );
    on(
        "2026-10-01",
        "tasks add C0004 --due 2026-10-20 --title 催款",
    );
    on("2026-10-09", "tasks done 1"); // on time
    on("2026-10-14", "tasks done 2"); // two days late
    on("2026-10-14", "tasks snooze 3 --until 2026-10-25");
    on("2026-10-24", "tasks done 3"); // on time after the snooze
                                      // Task 4 stays open.
    let k = env
        .xaas("stats --json --from 2026-10-01 --to 2026-10-31")
        .ok()
        .json()["kpi"]
        .clone();
    assert_eq!(k["counts"]["task_on_time"], serde_json::json!([2, 4]));
    assert_eq!(k["task_on_time"], 0.5);
    // The same from the rows `tasks list --all` shows.
    let tasks = env.xaas("tasks list --all --json").ok().json();
    let tasks = tasks.as_array().unwrap();
    let due: Vec<_> = tasks
        .iter()
        .filter(|t| {
            t["due"]
                .as_str()
                .is_some_and(|d| ("2026-10-01"..="2026-10-31").contains(&d))
        })
        .collect();
    let on_time = due
        .iter()
        .filter(|t| {
            t["status"] == "done"
                && t["closed"].as_str().unwrap()[..10] <= *t["due"].as_str().unwrap()
        })
        .count();
    assert_eq!((on_time, due.len()), (2, 4));
    // As of 2026-10-13, only task 1 was done: 1 of the 4 known.
    let k = env
        .on("2026-10-13")
        .xaas("stats --json --from 2026-10-01 --to 2026-10-31")
        .ok()
        .json()["kpi"]
        .clone();
    assert_eq!(k["counts"]["task_on_time"], serde_json::json!([1, 4]));
}

/// The budget rule: a customer's budget date less `task_budget_days`
/// (60) makes a `budget` task once.
#[test]
fn a_budget_date_makes_its_task_sixty_days_before() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-11-01")
        .xaas("budget set C0004 --date 2027-01-20")
        .ok();
    let plan = env
        .on("2026-11-01")
        .xaas("tasks plan --days 30 --format tsv")
        .ok()
        .stdout;
    let budget: Vec<&str> = plan.lines().filter(|l| l.contains("\tbudget\t")).collect();
    assert_eq!(budget.len(), 1, "{plan}");
    assert!(budget[0].starts_with("2026-11-21\t"), "{plan}");
    env.on("2026-11-21").xaas("tasks sync").ok();
    env.on("2026-11-21").xaas("tasks sync").ok().stdout_empty();
    let n = env.one("SELECT count(*) FROM tasks WHERE rule = 'budget' AND customer_id = 'C0004' AND due = '2026-11-21'");
    assert_eq!(n, "1");
    // Submitted: the next sync closes it. A moved date closes the other's.
    env.on("2026-11-01")
        .xaas("budget set C0001 --date 2027-01-25")
        .ok();
    env.on("2026-11-26").xaas("tasks sync").ok();
    env.on("2026-11-27").xaas("budget submit C0004").ok();
    env.on("2026-11-27")
        .xaas("budget set C0001 --date 2027-03-01")
        .ok();
    env.on("2026-11-28")
        .xaas("tasks sync")
        .ok()
        .stdout_has("2 tasks closed, no longer applying (budget submitted 1, budget date moved 1)");
    let open = env.one("SELECT count(*) FROM tasks WHERE rule = 'budget' AND status = 'open'");
    assert_eq!(open, "0");
}

/// What a snooze and the task offsets refuse; nothing changes.
#[test]
fn a_snooze_moves_later_and_the_second_touch_stays_after_the_kickoff() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-10-01")
        .xaas("tasks add C0001 --due 2026-10-20 --title 报价")
        .ok();
    let state = || {
        (
            env.dump(),
            env.sql("SELECT * FROM tasks ORDER BY id"),
            env.sql("SELECT * FROM settings ORDER BY key"),
        )
    };
    let before = state();
    env.on("2026-10-02")
        .xaas("tasks snooze 1 --until 2026-10-15")
        .fails(1)
        .stderr_has("is due 2026-10-20; 2026-10-15 is not later");
    env.on("2026-09-30")
        .xaas("tasks done 1")
        .fails(1)
        .stderr_has("was made on 2026-10-01");
    env.xaas("settings task_second_touch_days 95")
        .fails(2)
        .stderr_has("task_second_touch_days (95) would not be after task_kickoff_days (90)");
    assert_eq!(state(), before, "nothing written");
    env.on("2026-10-02")
        .xaas("tasks snooze 1 --until 2026-10-25")
        .ok();
}

/// A task's history entries name it (as a risk's, lead's or budget's
/// do); a service nobody has is an error in `tasks list`, not an empty list.
#[test]
fn task_entries_name_their_task_and_an_unknown_service_is_loud() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-10-01")
        .xaas("tasks add C0001 --due 2026-10-20 --title 报价")
        .ok();
    env.on("2026-10-02").xaas("tasks done 1").ok();
    env.on("2026-10-20").xaas("tasks sync").ok();
    let unnamed =
        env.one("SELECT count(*) FROM history WHERE kind LIKE 'task%' AND item_id IS NULL");
    assert_eq!(unnamed, "0");
    let done = env.sql(
        "SELECT kind, item_id FROM history WHERE kind LIKE 'task%' AND item_id = 1 ORDER BY id",
    );
    assert_eq!(done, [["task_created", "1"], ["task_done", "1"]]);
    env.xaas("tasks list --service S99999")
        .fails(1)
        .stderr_has("S99999");
}
