//! Upsell leads (增购线索): entered, validated or found invalid, converted;
//! amounts read as import reads them; each move a `lead` history entry.

use super::risks::{items, row};
use super::*;

#[test]
fn a_lead_is_entered_validated_and_converted_with_its_history() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-11-20")
        .xaas("lead add C0004 --product EDR扩容200点 --amount ¥60,000 --note 新园区上线 --service S00004")
        .ok()
        .stdout_is("lead #1 for C0004 金盾物流有限公司 about S00004: EDR扩容200点, 60000.00, entered 2026-11-20\n");
    env.on("2026-11-20")
        .xaas("lead add 金盾 --product 云WAF --note 官网改版")
        .ok()
        .stdout_is("lead #2 for C0004 金盾物流有限公司: 云WAF, entered 2026-11-20\n");
    env.on("2026-11-23")
        .xaas("lead set 1 --status validated --amount 80000")
        .ok()
        .stdout_is(
            "lead #1 (C0004 金盾物流有限公司): entered → validated; amount 60000.00 → 80000.00\n",
        );
    env.on("2026-12-10")
        .xaas("lead set 1 --status 已转商机")
        .ok()
        .stdout_is("lead #1 (C0004 金盾物流有限公司): validated → converted\n");
    env.on("2026-12-11")
        .xaas("lead set '#2' --status invalid")
        .ok()
        .stdout_is("lead #2 (C0004 金盾物流有限公司): entered → invalid\n");
    assert_eq!(
        env.sql("SELECT id, coalesce(service_id, '∅'), product, coalesce(CAST(amount AS TEXT), '∅'), status, entered, coalesce(closed, '∅'), coalesce(converted, '∅') FROM leads ORDER BY id"),
        [
            row(["1", "S00004", "EDR扩容200点", "8000000", "converted", "2026-11-20", "2026-11-23", "2026-12-10"]),
            row(["2", "∅", "云WAF", "∅", "invalid", "2026-11-20", "2026-12-11", "∅"]),
        ]
    );
    assert_eq!(
        items(&env, "C0004", "lead"),
        [
            row([
                "S00004",
                "∅",
                "entered",
                "#1 EDR扩容200点 60000.00: 新园区上线",
                "1"
            ]),
            row(["", "∅", "entered", "#2 云WAF: 官网改版", "2"]),
            row([
                "S00004",
                "entered",
                "validated",
                "#1; amount 60000.00 → 80000.00",
                "1"
            ]),
            row(["S00004", "validated", "converted", "#1", "1"]),
            row(["", "entered", "invalid", "#2", "2"]),
        ]
    );
    // Listed with amounts in yuan, statuses in either language.
    env.on("2030-01-01").xaas("lead list --csv")
        .ok()
        .stdout_is(
            "id,customer_id,customer_name,csm,service_id,product,amount,status,created,closed,converted,note,author\n\
             1,C0004,金盾物流有限公司,刘洋,S00004,EDR扩容200点,80000.00,converted,2026-11-20,2026-11-23,2026-12-10,新园区上线,tester\n\
             2,C0004,金盾物流有限公司,刘洋,,云WAF,,invalid,2026-11-20,2026-12-11,,官网改版,tester\n",
        );
    env.on("2030-01-01")
        .xaas("lead list --format tsv --lang zh")
        .ok()
        .stdout_has("\t已转商机\t")
        .stdout_has("\t无效\t");
    let v = env.on("2030-01-01").xaas("lead list --json").ok().json();
    assert_eq!(v[0]["amount"], 80000.0);
    assert_eq!(v[1]["amount"], serde_json::Value::Null);
    // Both are closed: no open lead is left.
    env.on("2030-01-01")
        .xaas("lead list --open --json")
        .ok()
        .stdout_is("[]\n");
}

#[test]
fn lead_list_takes_the_customer_filters() {
    let env = Env::new();
    env.import_examples();
    env.xaas("lead add C0004 --product EDR --note a").ok();
    env.xaas("lead add C0001 --product WAF --note b").ok();
    env.xaas("lead add C0001 --product MDR --note c").ok();
    env.xaas("lead set 3 --status validated").ok();
    env.xaas("lead set 2 --status invalid").ok();
    let ids = |line: &str| -> Vec<String> {
        let out = env.xaas(line).ok().stdout;
        out.lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("lead list"), ["1", "2", "3"]);
    assert_eq!(ids("lead list --open"), ["1", "3"]);
    assert_eq!(ids("lead list --csm 张伟"), ["2", "3"]);
    assert_eq!(ids("lead list --csm 张伟 --open"), ["3"]);
    assert_eq!(ids("lead list --customer C0004"), ["1"]);
}

#[test]
fn bad_lead_input_exits_2_or_1_and_changes_nothing() {
    let env = Env::new();
    env.import_examples();
    env.xaas("lead add C0004 --product EDR --amount 1000 --note a")
        .ok();
    env.xaas("lead add C0004 --product WAF --note b").ok();
    env.xaas("lead set 2 --status converted").ok();
    env.refused(
        "lead set 1 --status won",
        2,
        "`won` is not a status a lead can be set to; expected one of: validated (已验证), invalid (无效), converted (已转商机)",
    );
    env.refused(
        "lead set 1 --status entered",
        2,
        "`entered` is not a status",
    );
    env.refused(
        "lead add C0004 --product EDR --amount 1,5 --note a",
        2,
        "`1,5` is not an amount: a comma must separate groups of three digits",
    );
    env.refused(
        "lead add C0004 --product EDR --amount -5 --note a",
        2,
        "amount `-5` is negative",
    );
    env.refused("lead set 1 --amount 5", 2, "--status <STATUS>");
    env.refused("lead add C0004 --product EDR", 2, "--note <TEXT>");
    env.refused("lead add C0004 --product ' ' --note a", 2, "is blank");
    env.refused(
        "lead set 7 --status validated",
        1,
        "no lead #7\nhint: `xaas lead list`",
    );
    env.refused(
        "lead set 2 --status invalid",
        1,
        "lead #2 is converted (since 2026-11-23), which is final; nothing changed",
    );
    env.refused(
        "lead set 2 --status converted",
        1,
        "lead #2 is already converted; nothing changed",
    );
    env.refused(
        "--today 2026-11-22 lead set 1 --status validated",
        1,
        "lead #1 was entered on 2026-11-23; it cannot be set on 2026-11-22 (check --today)",
    );
    env.refused(
        "lead add C0004 --service S00001 --product EDR --note a",
        1,
        "S00001 is not a service of C0004",
    );
    assert_eq!(
        env.sql("SELECT id, status, amount FROM leads ORDER BY id"),
        [["1", "entered", "100000"], ["2", "converted", "∅"]]
    );
}
