//! Budgets (预算管理): the customer's budget date from `budget set` or the
//! import column `budget_date` (预算制定时间), a cycle per date, submitted
//! and decided; exports carry the date; re-imports without the column
//! keep it.

use super::risks::{items, row};
use super::*;

/// The examples with a budget date column (header `name`) appended:
/// `dates` gives some customers a cell, the rest an empty one.
fn with_budget(name: &str, dates: &[(&str, &str)]) -> String {
    let text = std::fs::read_to_string(examples()).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{},{name}\n", lines.next().unwrap());
    for l in lines {
        let customer = l.split(',').next().unwrap();
        let date = dates
            .iter()
            .find(|(c, _)| *c == customer)
            .map_or("", |(_, d)| *d);
        out.push_str(&format!("{l},{date}\n"));
    }
    out
}

fn budget_dates(env: &Env) -> Vec<[String; 2]> {
    env.sql(
        "SELECT customer_id, budget_date FROM customers WHERE budget_date IS NOT NULL ORDER BY 1",
    )
    .into_iter()
    .map(|r| [r[0].clone(), r[1].clone()])
    .collect()
}

fn cycles(env: &Env) -> Vec<Vec<String>> {
    env.sql("SELECT id, customer_id, budget_date, coalesce(submitted, '∅'), coalesce(result, '∅'), coalesce(result_date, '∅'), created FROM budgets ORDER BY id")
}

#[test]
fn import_reads_the_budget_date_in_either_language_and_export_carries_it() {
    let env = Env::new();
    env.import_examples();
    env.file(
        "budget.csv",
        with_budget(
            "budget_date",
            &[("C0004", "2027/3/1"), ("C0001", "2027年4月1日")],
        ),
    );
    env.xaas("import budget.csv")
        .ok()
        .stderr_has("customers: 0 new, 2 updated, 13 unchanged");
    assert_eq!(
        budget_dates(&env),
        [row(["C0001", "2027-04-01"]), row(["C0004", "2027-03-01"])]
    );
    // In file order: C0001's rows come first.
    assert_eq!(
        cycles(&env),
        [
            row(["1", "C0001", "2027-04-01", "∅", "∅", "∅", "2026-11-23"]),
            row(["2", "C0004", "2027-03-01", "∅", "∅", "∅", "2026-11-23"]),
        ]
    );
    assert_eq!(
        env.sql("SELECT customer_id, service_id, coalesce(from_value, '∅'), to_value, note, item_id, source FROM history WHERE kind = 'budget' ORDER BY id"),
        [
            row(["C0001", "", "∅", "2027-04-01", "budget_date", "1", "import"]),
            row(["C0004", "", "∅", "2027-03-01", "budget_date", "2", "import"]),
        ]
    );

    // The export has it right after sales_contact, in either language.
    let csv = env.xaas("export --csv").ok().stdout;
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header[..13],
        [
            "customer_id",
            "customer_name",
            "industry",
            "region",
            "size",
            "tier",
            "department",
            "distributor_type",
            "csm",
            "sales",
            "sales_contact",
            "budget_date",
            "service_id"
        ]
    );
    assert!(csv.contains(",刘洋,吴敏,13337405251,2027-03-01,S00004,"));
    let zh = env.xaas("export --csv --lang zh").ok().stdout;
    assert!(
        zh.starts_with("客户ID,客户名称,行业,区域,规模,客户等级,归属部门,总代业绩类型,客户经营接口人,销售,销售联系方式,预算制定时间,服务ID,"),
        "{}",
        zh.lines().next().unwrap()
    );
    let v = env.xaas("export --json --customer C0001").ok().json();
    assert_eq!(v[0]["budget_date"], "2027-04-01");
    let v = env.xaas("list --json --customer C0002").ok().json();
    assert_eq!(v[0]["budget_date"], serde_json::Value::Null);

    // A re-import without the column keeps the dates, as it keeps any
    // attribute whose column it lacks; an export imports back unchanged.
    let before = env.dump();
    env.import_examples().stderr_has("15 unchanged");
    assert_eq!(env.dump(), before);
    env.file("back.csv", &csv);
    env.xaas("import back.csv").ok();
    env.file("back-zh.csv", &zh);
    env.xaas("import back-zh.csv").ok();
    assert_eq!(env.dump(), before);

    // A new date before the old one has come moves its cycle (the
    // meeting was rescheduled); an empty cell clears the date, and the
    // cycle still to come goes with it.
    env.file(
        "moved.csv",
        with_budget("Budget Date", &[("C0004", "2027-03-15")]),
    );
    env.on("2026-12-01").xaas("import moved.csv").ok();
    assert_eq!(budget_dates(&env), [row(["C0004", "2027-03-15"])]);
    assert_eq!(
        cycles(&env),
        [row([
            "2",
            "C0004",
            "2027-03-15",
            "∅",
            "∅",
            "∅",
            "2026-11-23"
        ])]
    );
    assert_eq!(
        items(&env, "C0004", "budget"),
        [
            row(["", "∅", "2027-03-01", "budget_date", "2"]),
            row(["", "2027-03-01", "2027-03-15", "budget_date", "2"]),
        ]
    );
    assert_eq!(
        items(&env, "C0001", "budget"),
        [
            row(["", "∅", "2027-04-01", "budget_date", "1"]),
            row(["", "2027-04-01", "∅", "budget_date", "1"]),
        ]
    );
    assert_eq!(
        env.one(
            "SELECT string_agg(source, ',') FROM
                (SELECT DISTINCT source FROM history WHERE kind = 'budget') d"
        ),
        "import"
    );
}

#[test]
fn a_first_import_with_chinese_headers_opens_the_cycles() {
    let env = Env::new();
    env.file(
        "zh.csv",
        with_budget("预算制定时间", &[("C0009", "2027-01-15 0:00")]),
    );
    env.xaas("import zh.csv").ok();
    assert_eq!(budget_dates(&env), [row(["C0009", "2027-01-15"])]);
    assert_eq!(
        cycles(&env),
        [row([
            "1",
            "C0009",
            "2027-01-15",
            "∅",
            "∅",
            "∅",
            "2026-11-23"
        ])]
    );
    env.xaas("budget list --csv")
        .ok()
        .stdout_is("id,customer_id,customer_name,csm,budget_date,status,submitted,result_date,created,author\n1,C0009,恒信证券股份有限公司,刘洋,2027-01-15,pending,,,2026-11-23,tester\n");
}

#[test]
fn a_bad_budget_date_is_a_bad_row_and_nothing_is_written() {
    let env = Env::new();
    env.import_examples();
    env.file(
        "bad.csv",
        with_budget("budget_date", &[("C0004", "2027-02-30")]),
    );
    let r = env.refused(
        "import bad.csv",
        1,
        "column budget_date, value `2027-02-30`",
    );
    assert!(r.stderr.contains("is not a real date"), "{}", r.stderr);
    assert_eq!(env.one("SELECT count(*) FROM budgets"), "0");
}

#[test]
fn a_budget_is_set_moved_submitted_and_decided() {
    let env = Env::new();
    env.import_examples();
    let on = |day: &str, line: &str| env.on(day).xaas(line).ok();
    on("2026-11-23", "budget set C0004 --date 2027-03-01")
        .stdout_is("budget date of C0004 金盾物流有限公司: none → 2027-03-01\n");
    on("2026-11-24", "budget set 金盾 --date 2027/3/1")
        .stdout_is("budget date of C0004 金盾物流有限公司: 2027-03-01 (unchanged)\n");
    // Rescheduled before the day: the same cycle.
    on("2026-12-01", "budget set C0004 --date 2027-03-15")
        .stdout_is("budget date of C0004 金盾物流有限公司: 2027-03-01 → 2027-03-15\n");
    on("2026-12-05", "budget submit C0004")
        .stdout_is("budget of C0004 金盾物流有限公司 for 2027-03-15: submitted 2026-12-05\n");
    on("2027-03-20", "budget result C0004 --passed")
        .stdout_is("budget of C0004 金盾物流有限公司 for 2027-03-15: passed 2027-03-20\n");
    // Next year's budget: a cycle of its own, the last one kept.
    on("2027-03-20", "budget set C0004 --date 2028-03-01")
        .stdout_is("budget date of C0004 金盾物流有限公司: 2027-03-15 → 2028-03-01\n");
    on("2028-03-10", "budget submit C0004").stdout_is(
        "budget of C0004 金盾物流有限公司 for 2028-03-01: submitted 2028-03-10 (9 days after the budget date)\n",
    );
    on("2028-03-12", "budget result C0004 --failed")
        .stdout_is("budget of C0004 金盾物流有限公司 for 2028-03-01: failed 2028-03-12\n");
    assert_eq!(
        cycles(&env),
        [
            row([
                "1",
                "C0004",
                "2027-03-15",
                "2026-12-05",
                "passed",
                "2027-03-20",
                "2026-11-23"
            ]),
            row([
                "2",
                "C0004",
                "2028-03-01",
                "2028-03-10",
                "failed",
                "2028-03-12",
                "2027-03-20"
            ]),
        ]
    );
    assert_eq!(
        items(&env, "C0004", "budget"),
        [
            row(["", "∅", "2027-03-01", "budget_date", "1"]),
            row(["", "2027-03-01", "2027-03-15", "budget_date", "1"]),
            row(["", "pending", "submitted", "budget of 2027-03-15", "1"]),
            row(["", "submitted", "passed", "budget of 2027-03-15", "1"]),
            row(["", "2027-03-15", "2028-03-01", "budget_date", "2"]),
            row(["", "pending", "submitted", "budget of 2028-03-01", "2"]),
            row(["", "submitted", "failed", "budget of 2028-03-01", "2"]),
        ]
    );
    // A date that passed unsubmitted stays on the record as missed.
    on("2026-11-23", "budget set C0001 --date 2026-12-01");
    on("2026-12-10", "budget set C0001 --date 2027-12-01");
    env.on("2030-01-01").xaas("budget list --open --customer C0001 --format tsv")
        .ok()
        .stdout_is("id\tcustomer_id\tcustomer_name\tcsm\tbudget_date\tstatus\tsubmitted\tresult_date\tcreated\tauthor\n\
                    3\tC0001\t华宇科技有限公司\t张伟\t2026-12-01\tpending\t\t\t2026-11-23\ttester\n\
                    4\tC0001\t华宇科技有限公司\t张伟\t2027-12-01\tpending\t\t\t2026-12-10\ttester\n");
    env.on("2030-01-01")
        .xaas("budget list --csm 刘洋 --format tsv --lang zh")
        .ok()
        .stdout_has("\t2027-03-15\t已通过\t")
        .stdout_has("\t2028-03-01\t未通过\t");
}

#[test]
fn bad_budget_input_exits_2_or_1_and_changes_nothing() {
    let env = Env::new();
    env.import_examples();
    env.xaas("budget set C0004 --date 2027-03-01").ok();
    env.refused(
        "budget result C0004 --passed --failed",
        2,
        "cannot be used with",
    );
    env.refused("budget result C0004", 2, "--passed");
    env.refused(
        "budget set C0004 --date 2027-02-30",
        2,
        "`2027-02-30` is not a real date",
    );
    env.refused("budget set C0004", 2, "--date <DATE>");
    env.refused(
        "budget submit C0002",
        1,
        "C0002 has no budget date; nothing changed\nhint: `xaas budget set C0002 --date D`",
    );
    env.refused(
        "budget result C0004 --passed",
        1,
        "the budget of C0004 for 2027-03-01 is not submitted yet; nothing changed\nhint: `xaas budget submit C0004` first",
    );
    env.refused(
        "budget set 不存在 --date 2027-01-01",
        1,
        "no customer `不存在`",
    );
    env.xaas("budget submit C0004").ok();
    env.refused(
        "budget submit C0004",
        1,
        "the budget of C0004 for 2027-03-01 was already submitted on 2026-11-23",
    );
    env.refused(
        "--today 2026-11-22 budget result C0004 --failed",
        1,
        "was submitted on 2026-11-23; its result cannot come on 2026-11-22 (check --today)",
    );
    env.xaas("budget result C0004 --failed").ok();
    env.refused(
        "budget result C0004 --passed",
        1,
        "the budget of C0004 for 2027-03-01 already has its result: failed on 2026-11-23",
    );
}

#[test]
fn show_lists_open_risks_and_leads_and_the_budget() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-11-20")
        .xaas("risk add C0004 --service S00004 --kind satisfaction --note 客户嫌报告太晚")
        .ok();
    env.xaas("risk add C0004 --kind business --note 预算收紧")
        .ok();
    env.xaas("risk close 2 --outcome resolved --note 谈妥").ok();
    env.xaas("lead add C0004 --product 云WAF --amount 30000 --note 官网改版")
        .ok();
    env.xaas("lead add C0004 --product EDR --note 扩容").ok();
    env.xaas("lead set 2 --status invalid").ok();
    env.xaas("budget set C0004 --date 2027-03-01").ok();
    env.xaas("budget submit C0004").ok();
    let v = env.xaas("show C0004 --json").ok().json();
    let risks = v["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 1, "only open risks");
    assert_eq!(risks[0]["id"], 1);
    assert_eq!(risks[0]["customer_id"], "C0004");
    assert_eq!(risks[0]["service_id"], "S00004");
    assert_eq!(risks[0]["kind"], "satisfaction");
    assert_eq!(risks[0]["status"], "open");
    assert_eq!(risks[0]["created"], "2026-11-20");
    assert_eq!(risks[0]["closed"], serde_json::Value::Null);
    assert_eq!(risks[0]["note"], "客户嫌报告太晚");
    let leads = v["leads"].as_array().unwrap();
    assert_eq!(leads.len(), 1, "only open leads");
    assert_eq!(leads[0]["id"], 1);
    assert_eq!(leads[0]["service_id"], serde_json::Value::Null);
    assert_eq!(leads[0]["status"], "entered");
    assert_eq!(leads[0]["amount"], 30000.0);
    assert_eq!(leads[0]["created"], "2026-11-23");
    assert_eq!(v["budget"]["budget_date"], "2027-03-01");
    assert_eq!(v["budget"]["status"], "submitted");
    assert_eq!(v["budget"]["submitted"], "2026-11-23");
    assert_eq!(v["customer"]["budget_date"], "2027-03-01");
    // A customer with none of them: empty lists and a null budget.
    let v = env.xaas("show C0002 --json").ok().json();
    assert_eq!(v["risks"], serde_json::json!([]));
    assert_eq!(v["leads"], serde_json::json!([]));
    assert_eq!(v["budget"], serde_json::Value::Null);
    // On a terminal, each in its section.
    env.xaas_with(&[("COLUMNS", "120")], "show C0004 --format table")
        .ok()
        .stdout_has("\nOpen risks (1)\n")
        .stdout_has("客户嫌报告太晚")
        .stdout_has("\nOpen leads (1)\n")
        .stdout_has("\nBudget: 2027-03-01 · submitted 2026-11-23\n");
    env.xaas_with(&[("COLUMNS", "120")], "show C0004 --format table --lang zh")
        .ok()
        .stdout_has("\n未关闭风险 (1)\n")
        .stdout_has("\n预算: 2027-03-01 · 已提交 2026-11-23\n");
}
