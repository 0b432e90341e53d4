//! What the read commands select: filter values that must exist, customers
//! named loosely, any number of values, and the orders of `--sort`.

use super::*;

const HEAD: &str = "customer_id,customer_name,csm,tier,distributor_type,service_id,service_type,expiry_date,amount\n";

/// A service list of (customer id, name, csm, tier, service id, expiry,
/// amount) rows.
fn import(env: &Env, rows: &[(&str, &str, &str, &str, &str, &str, &str)]) {
    let mut csv = String::from(HEAD);
    for (c, name, csm, tier, s, expiry, amount) in rows {
        csv.push_str(&format!(
            "{c},{name},{csm},{tier},总代A,{s},basic,{expiry},{amount}\n"
        ));
    }
    env.file("rows.csv", csv);
    env.xaas("import rows.csv").ok();
}

#[test]
fn a_filter_value_no_customer_has_is_an_error_listing_the_known_ones() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    for cmd in [
        "list",
        "list --services",
        "due --within 90",
        "export",
        "stats",
        "log list",
    ] {
        env.xaas(&format!("{cmd} --csm liuyang"))
            .fails(1)
            .stderr_has("no customer has csm `liuyang`; known: 刘洋, 张伟, 李娜, 杨磊, 王芳, 陈静")
            .stdout_empty();
    }
    // A typo in XAAS_CSM is loud in cron, not silently empty.
    env.xaas_with(&[("XAAS_CSM", "liuyang")], "due --within 30 --mine")
        .fails(1)
        .stderr_has("no customer has csm `liuyang`")
        .stdout_empty();
    env.xaas("list --tier VIP")
        .fails(1)
        .stderr_has("no customer has tier `VIP`; known: KA, A, B, C");
    for (flag, value) in [
        ("industry", "农业"),
        ("region", "火星"),
        ("department", "深圳办"),
        ("distributor", "总代C"),
    ] {
        env.xaas(&format!("due --{flag} {value}"))
            .fails(1)
            .stderr_has(&format!("`{value}`; known: "));
    }
    // Each value of a repeated flag must exist.
    env.xaas("list --csm 张伟 --csm 张三")
        .fails(1)
        .stderr_has("`张三`");
    assert_eq!(env.dump(), before);
}

#[test]
fn filter_values_match_case_insensitively() {
    let env = Env::new();
    import(
        &env,
        &[
            ("C1", "甲", "Li Na", "KA", "S1", "2026-12-01", "1"),
            ("C2", "乙", "li na", "ka", "S2", "2026-12-02", "1"),
            ("C3", "丙", "张伟", "B", "S3", "2026-12-03", "1"),
        ],
    );
    let ids = |args: &str| env.xaas(&format!("list --services {args}")).ok().ids();
    assert_eq!(ids("--tier Ka"), ["S1", "S2"]);
    assert_eq!(ids("--tier b"), ["S3"]);
    assert_eq!(ids("--csm 'LI NA'"), ["S1", "S2"]);
    assert_eq!(ids("--distributor 总代a"), ["S1", "S2", "S3"]);
    assert_eq!(
        env.xaas_with(&[("XAAS_CSM", "li NA")], "due --within 30 --mine")
            .ok()
            .ids(),
        ["S1", "S2"]
    );
    let v = env.xaas("stats --tier KA --json").ok().json();
    assert_eq!(v["services"]["total"], 2, "{v}");
    env.xaas("log list --csm 'LI NA'").ok();
}

/// 星河学院7 is a part of 星河学院70, and ＡＢＣ 科技 is written in
/// full-width letters.
fn lookalikes(env: &Env) {
    import(
        env,
        &[
            ("C1", "星河学院7", "张伟", "A", "S1", "2026-12-01", "1"),
            ("C2", "星河学院70", "张伟", "A", "S2", "2026-12-02", "1"),
            ("C3", "ＡＢＣ 科技", "张伟", "A", "S3", "2026-12-03", "1"),
            ("C4", "Acme Corp", "张伟", "A", "S4", "2026-12-04", "1"),
        ],
    );
}

#[test]
fn a_customer_resolves_by_id_then_exact_name_then_a_unique_part() {
    let env = Env::new();
    lookalikes(&env);
    let id = |q: &str| -> String {
        env.run(&["show", q, "--json"]).ok().json()["customer"]["customer_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // An exact name wins over the longer names it is a part of.
    assert_eq!(id("星河学院7"), "C1");
    // Case, spaces and full-width forms are ignored.
    assert_eq!(id("星河学院７"), "C1");
    assert_eq!(id("星河 学院7"), "C1");
    assert_eq!(id("abc科技"), "C3");
    assert_eq!(id("ACMECORP"), "C4");
    assert_eq!(id("c2"), "C2");
    // A unique part.
    assert_eq!(id("学院70"), "C2");
    assert_eq!(id("acme"), "C4");
    // Every command that names customers resolves them the same way.
    assert_eq!(env.xaas("export 星河学院7 --format tsv").ok().ids(), ["S1"]);
    env.xaas("log add 星河学院7 --note 提醒续费")
        .ok()
        .stdout_has("for C1 星河学院7");
    env.xaas("followup set 星河学院7 --status no_risk")
        .ok()
        .stdout_has("1 service of 星河学院7");
    env.xaas("history 星河学院7").ok().stdout_has("S1");
}

#[test]
fn an_ambiguous_or_unknown_customer_is_an_error_that_helps() {
    let env = Env::new();
    lookalikes(&env);
    env.xaas("show 星河")
        .fails(1)
        .stderr_has("`星河` matches more than one customer")
        .stderr_has("C1  星河学院7")
        .stderr_has("C2  星河学院70")
        .stderr_lacks("Acme");
    env.xaas("show 星河大学")
        .fails(1)
        .stderr_has("no customer `星河大学`")
        .stderr_has("did you mean")
        .stderr_has("C1  星河学院7");
    env.xaas("show acne-corp")
        .fails(1)
        .stderr_has("did you mean")
        .stderr_has("C4  Acme Corp");
    env.xaas("show 完全无关")
        .fails(1)
        .stderr_has("no customer `完全无关`")
        .stderr_lacks("did you mean");
    env.xaas("export 星河 C4").fails(1).stdout_empty();
}

/// 5,000 customers of one service each: C00001 … C05000.
fn many_customers(env: &Env) -> Vec<String> {
    let mut csv = String::from(HEAD);
    let ids: Vec<String> = (1..=5000).map(|i| format!("C{i:05}")).collect();
    for (i, c) in ids.iter().enumerate() {
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "{c},客户{i},张伟,A,总代A,S{i:05},basic,2027-01-{day:02},100\n"
        ));
    }
    env.file("many.csv", csv);
    env.xaas("import many.csv").ok();
    ids
}

#[test]
fn any_number_of_customers_and_values() {
    let env = Env::new();
    let ids = many_customers(&env);
    let lines = |r: Run| r.stdout.lines().count() - 1;
    assert_eq!(lines(env.xaas("list --limit 0 --format tsv").ok()), 5000);
    assert_eq!(
        lines(env.xaas("list --limit 0 --offset 10 --format tsv").ok()),
        4990
    );
    let mut args = vec!["list", "--services", "--limit", "0", "--format", "tsv"];
    for c in &ids {
        args.extend(["--customer", c.as_str()]);
    }
    assert_eq!(env.run(&args).ok().ids().len(), 5000);
    let mut args = vec!["list", "--limit", "0", "--format", "tsv"];
    for c in &ids {
        args.extend(["--customer", c.as_str()]);
    }
    assert_eq!(lines(env.run(&args).ok()), 5000);
    let mut args = vec!["export", "--format", "tsv"];
    args.extend(ids.iter().map(String::as_str));
    assert_eq!(env.run(&args).ok().ids().len(), 5000);
    let mut args = vec!["due", "--within", "90", "--format", "tsv"];
    for c in &ids[..3000] {
        args.extend(["--customer", c.as_str()]);
    }
    assert_eq!(env.run(&args).ok().ids().len(), 3000);
}

/// Tiers in every order, each with one service in the window.
fn tiers(env: &Env) {
    import(
        env,
        &[
            ("C1", "甲", "张伟", "C", "S1", "2026-12-01", "5"),
            ("C2", "乙", "张伟", "战略", "S2", "2026-12-02", "3"),
            ("C3", "丙", "张伟", "A", "S3", "2026-12-03", "9"),
            ("C4", "丁", "张伟", "", "S4", "2026-12-04", "1"),
            ("C5", "戊", "张伟", "KA", "S5", "2026-12-05", "7"),
            ("C6", "己", "张伟", "B", "S6", "2026-12-06", "2"),
            ("C7", "庚", "张伟", "D", "S7", "2026-12-07", "4"),
        ],
    );
}

#[test]
fn due_takes_sort_and_tiers_sort_in_business_order() {
    let env = Env::new();
    tiers(&env);
    let by_tier = ["S5", "S3", "S6", "S1", "S7", "S2", "S4"];
    let due = |args: &str| env.xaas(&format!("due --within 30 {args}")).ok().ids();
    // The default stays days_left, then service_id.
    assert_eq!(due(""), ["S1", "S2", "S3", "S4", "S5", "S6", "S7"]);
    assert_eq!(due("--sort tier"), by_tier);
    assert_eq!(
        due("--sort=-amount"),
        ["S3", "S5", "S1", "S7", "S2", "S6", "S4"]
    );
    let mut reversed = by_tier;
    reversed.reverse();
    assert_eq!(due("--sort=-tier"), reversed);
    env.xaas("due --sort colour")
        .fails(2)
        .stderr_has("cannot sort services by `colour`");
    assert_eq!(env.xaas("list --services --sort tier").ok().ids(), by_tier);
    assert_eq!(
        env.xaas("export --format tsv --sort tier").ok().ids(),
        by_tier
    );
    let customers: Vec<String> = env
        .xaas("list --sort tier --json")
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["customer_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(customers, ["C5", "C3", "C6", "C1", "C7", "C2", "C4"]);
}
