//! Risks (风险): raised, planned and closed, each step a `risk` entry in
//! the history naming the risk; listed with the customer filters; a bad
//! value or an impossible step changes nothing.

use super::*;

/// (kind, service_id, from, to, note, item_id) of a customer's history
/// entries of `kind`, oldest first.
pub fn items(env: &Env, of: &str, kind: &str) -> Vec<[String; 5]> {
    // As of a day after every write of the tests that use it.
    let v = env
        .on("2030-01-01")
        .xaas(&format!("history {of} --json"))
        .ok()
        .json();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| {
            let s = |k: &str| match &e[k] {
                serde_json::Value::Null => "∅".to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            [s("service_id"), s("from"), s("to"), s("note"), s("item_id")]
        })
        .collect()
}

pub fn row<const N: usize>(cells: [&str; N]) -> [String; N] {
    cells.map(str::to_string)
}

#[test]
fn a_risk_is_raised_planned_and_closed_with_its_history() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-11-20")
        .xaas("risk add C0004 --service S00004 --kind delivery --note EDR误报多，客户抱怨")
        .ok()
        .stdout_is("risk #1 for C0004 金盾物流有限公司 about S00004: delivery, owner tester, raised 2026-11-20\n");
    env.on("2026-11-21")
        .xaas("risk add 金盾 --kind 商务 --note 预算收紧 --owner 王芳")
        .ok()
        .stdout_is("risk #2 for C0004 金盾物流有限公司: business, owner 王芳, raised 2026-11-21\n");
    env.on("2026-11-25")
        .xaas("risk plan 1 --note 每周例会调优策略")
        .ok()
        .stdout_is("risk #1 (C0004 金盾物流有限公司): open → planned\n");
    env.on("2026-12-01")
        .xaas("risk close '#1' --outcome resolved --note 误报降到每天3条")
        .ok()
        .stdout_is("risk #1 (C0004 金盾物流有限公司): planned → resolved, closed 2026-12-01\n");
    assert_eq!(
        env.sql("SELECT id, customer_id, coalesce(service_id, '∅'), kind, owner, plan, planned, outcome, outcome_note, raised, closed, author FROM risks ORDER BY id"),
        [
            row(["1", "C0004", "S00004", "delivery", "tester", "每周例会调优策略", "2026-11-25", "resolved", "误报降到每天3条", "2026-11-20", "2026-12-01", "tester"]),
            row(["2", "C0004", "∅", "business", "王芳", "∅", "∅", "∅", "∅", "2026-11-21", "∅", "tester"]),
        ]
    );
    assert_eq!(
        items(&env, "C0004", "risk"),
        [
            row([
                "S00004",
                "∅",
                "open",
                "#1 delivery: EDR误报多，客户抱怨",
                "1"
            ]),
            row(["", "∅", "open", "#2 business: 预算收紧", "2"]),
            row([
                "S00004",
                "open",
                "planned",
                "#1 plan: 每周例会调优策略",
                "1"
            ]),
            row(["S00004", "planned", "resolved", "#1 误报降到每天3条", "1"]),
        ]
    );
    // The service's own history has its risk too, dated as written.
    assert_eq!(
        env.sql("SELECT substr(at, 1, 10), source FROM history WHERE kind = 'risk' AND item_id = 1 ORDER BY id"),
        [
            row(["2026-11-20", "manual"]),
            row(["2026-11-25", "manual"]),
            row(["2026-12-01", "manual"]),
        ]
    );
    assert_eq!(items(&env, "S00004", "risk").len(), 3);
    // A second plan replaces the first; the history keeps both.
    env.on("2026-11-26")
        .xaas("risk plan 2 --note 找销售谈折扣")
        .ok();
    env.on("2026-11-27")
        .xaas("risk plan 2 --note 申请总部资源")
        .ok()
        .stdout_is("risk #2 (C0004 金盾物流有限公司): planned → planned\n");
    assert_eq!(
        env.one("SELECT plan || ' ' || planned FROM risks WHERE id = 2"),
        "申请总部资源 2026-11-27"
    );
    assert_eq!(items(&env, "C0004", "risk").len(), 6);
}

#[test]
fn risk_list_takes_the_customer_filters_and_open() {
    let env = Env::new();
    env.import_examples();
    env.xaas("risk add C0004 --kind delivery --note 响应慢")
        .ok();
    env.xaas("risk add C0001 --kind satisfaction --note 对报告不满")
        .ok();
    env.xaas("risk add C0001 --kind business --note 换了采购")
        .ok();
    env.xaas("risk close 2 --outcome failed --note 客户坚持")
        .ok();
    let ids = |line: &str| -> Vec<String> {
        let out = env.xaas(line).ok().stdout;
        out.lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("risk list"), ["1", "2", "3"]);
    assert_eq!(ids("risk list --open"), ["1", "3"]);
    assert_eq!(ids("risk list --csm 张伟"), ["2", "3"]);
    assert_eq!(ids("risk list --csm 张伟 --open"), ["3"]);
    assert_eq!(
        ids("risk list --customer C0004 --customer C0001"),
        ["1", "2", "3"]
    );
    assert_eq!(ids("risk list --search 金盾"), ["1"]);
    assert_eq!(ids("risk list --tier KA"), ["2", "3"]);
    let mine = env
        .xaas_with(&[("XAAS_CSM", "刘洋")], "risk list --mine")
        .ok()
        .stdout;
    assert_eq!(mine.lines().count(), 2, "{mine}");
    // A CSM nobody is is loud, as everywhere.
    env.xaas("risk list --csm 张三")
        .fails(1)
        .stderr_has("no customer has csm `张三`; known: ");
    // Service filters are not theirs: a usage error.
    env.xaas("risk list --window within_30")
        .fails(2)
        .stderr_has("--window");
    // Every format: CSV's header, Chinese labels, JSON objects.
    env.xaas("risk list --csv --open")
        .ok()
        .stdout_starts_with("id,customer_id,customer_name,csm,service_id,kind,status,owner,created,note,plan,planned,closed,outcome_note,author\n1,C0004,金盾物流有限公司,刘洋,,delivery,open,tester,2026-11-23,响应慢,,,,,tester\n");
    env.xaas("risk list --csv --lang zh --customer C0001")
        .ok()
        .stdout_has("风险ID,客户ID,客户名称,客户经营接口人,服务ID,风险类型,处置状态")
        .stdout_has("2,C0001,华宇科技有限公司,张伟,,满意度,处置失败,");
    let v = env.xaas("risk list --json --customer C0001").ok().json();
    assert_eq!(v[0]["id"], 2);
    assert_eq!(v[0]["service_id"], serde_json::Value::Null);
    assert_eq!(v[0]["kind"], "satisfaction");
    assert_eq!(v[0]["status"], "failed");
    assert_eq!(v[0]["created"], "2026-11-23");
    assert_eq!(v[0]["closed"], "2026-11-23");
    assert_eq!(v[0]["outcome_note"], "客户坚持");
    // Nothing to list: nothing piped, `[]` in JSON, a word on a terminal.
    env.xaas("risk list --customer C0002").ok().stdout_empty();
    env.xaas("risk list --customer C0002 --json")
        .ok()
        .stdout_is("[]\n");
    env.xaas("risk list --customer C0002 --format table --open")
        .ok()
        .stdout_empty()
        .stderr_is("no open risks\n");
}

#[test]
fn bad_risk_input_exits_2_or_1_and_changes_nothing() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-11-20")
        .xaas("risk add C0004 --kind delivery --note 响应慢")
        .ok();
    env.on("2026-11-21")
        .xaas("risk close 1 --outcome resolved --note 已解决")
        .ok();
    env.xaas("risk add C0004 --kind satisfaction --note 不满")
        .ok();
    // Usage errors (2): the value is named with the choices.
    env.refused(
        "risk add C0004 --kind legal --note x",
        2,
        "unknown risk kind `legal`; expected one of: delivery (交付), satisfaction (满意度), business (商务)",
    );
    env.refused(
        "risk close 2 --outcome maybe --note x",
        2,
        "unknown risk outcome `maybe`; expected one of: resolved (处置成功), failed (处置失败)",
    );
    env.refused("risk add C0004 --note x", 2, "--kind <KIND>");
    env.refused("risk close 2 --outcome failed", 2, "--note <TEXT>");
    env.refused("risk add C0004 --kind delivery --note '  '", 2, "is blank");
    env.refused("risk plan abc --note x", 2, "`abc` is not an id");
    // Runtime errors (1): what is wrong, and what to do.
    env.refused(
        "risk plan 99 --note x",
        1,
        "no risk #99\nhint: `xaas risk list`",
    );
    env.refused(
        "risk close 1 --outcome failed --note 又坏了",
        1,
        "risk #1 is already closed: resolved on 2026-11-21; it cannot be closed again",
    );
    env.refused(
        "risk plan 1 --note 再议",
        1,
        "risk #1 is already closed: resolved on 2026-11-21; a plan is for an open risk",
    );
    env.refused(
        "--today 2026-11-22 risk close 2 --outcome failed --note x",
        1,
        "risk #2 was raised on 2026-11-23; it cannot be closed on 2026-11-22 (check --today)",
    );
    env.refused(
        "risk add C0004 --service S00009 --kind delivery --note x",
        1,
        "S00009 is not a service of C0004 (金盾物流有限公司); it belongs to C0009 (恒信证券股份有限公司)",
    );
    env.refused(
        "risk add C0004 --service S99999 --kind delivery --note x",
        1,
        "no service `S99999`",
    );
    env.refused(
        "risk add 不存在的客户 --kind delivery --note x",
        1,
        "no customer `不存在的客户`",
    );
    assert_eq!(env.one("SELECT count(*) FROM risks"), "2");
    assert_eq!(
        env.one("SELECT count(*) FROM history WHERE kind = 'risk'"),
        "3"
    );
}
