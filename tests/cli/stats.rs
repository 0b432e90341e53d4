use super::*;

use serde_json::{json, Value};

/// Three customers, six services, around TODAY (2026-11-23; the default
/// cohort is 2025-11-24 … 2026-11-23):
/// C1 张伟 KA: S1 subscription 2026-06-30 1000 (renewed by import to
///   2027-06-30 at 1500), S2 managed 2026-12-10 500;
/// C2 王芳 B: S3 basic 2025-11-24 200 (the cohort's first day; lost for
///   budget), S4 basic 2025-11-23 300 (the day before; open a year past
///   its expiry, so lapsed), S5 subscription 2027-06-01 100;
/// C3 王芳, no tier: S6 subscription 2028-01-01 50.
fn fixture() -> Env {
    let env = Env::new();
    let head = "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount\n";
    let rows = [
        "C1,甲,张伟,KA,S1,subscription,2026-06-30,1000",
        "C1,甲,张伟,KA,S2,managed,2026-12-10,500",
        "C2,乙,王芳,B,S3,basic,2025-11-24,200",
        "C2,乙,王芳,B,S4,basic,2025-11-23,300",
        "C2,乙,王芳,B,S5,subscription,2027-06-01,100",
        "C3,丙,王芳,,S6,subscription,2028-01-01,50",
    ];
    env.file("a.csv", format!("{head}{}\n", rows.join("\n")));
    env.xaas("import a.csv").ok();
    env.file(
        "b.csv",
        format!("{head}C1,甲,张伟,KA,S1,subscription,2027-06-30,1500\n"),
    );
    env.xaas("import b.csv").ok();
    env.xaas("followup set --service S3 --status not_renewing --reason budget")
        .ok();
    env.xaas("log add C1 --note 回访").ok();
    env
}

/// `xaas stats --json ARGS`.
fn stats(env: &Env, args: &str) -> Value {
    env.xaas(&format!("stats --json {args}")).ok().json()
}

#[test]
fn every_figure_of_the_fixture() {
    let env = fixture();
    let s = stats(&env, "");
    assert_eq!(s["as_of"], "2026-11-23");
    assert_eq!(
        s["services"],
        json!({"total": 6, "amount": 2650.0,
               "by_type": {"subscription": 3, "managed": 1, "basic": 2},
               "by_window": {"expired": 2, "within_30": 1, "within_90": 0, "normal": 3},
               "by_status": {"none": 3, "pending": 1, "identifying_risk": 0, "at_risk": 0,
                             "no_risk": 0, "renewing": 0, "suspended": 0,
                             "not_renewing": 1, "renewed": 0, "lapsed": 1}})
    );
    assert_eq!(
        s["customers"],
        json!({"total": 3, "by_window": {"expired": 1, "within_30": 1, "within_90": 0, "normal": 1}})
    );
    assert_eq!(
        s["renewal"],
        json!({"from": "2025-11-24", "to": "2026-11-23",
               "due_terms": 2, "renewed_terms": 1, "open_terms": 0,
               "due_customers": 2, "renewed_customers": 1, "logo_rate": 0.5,
               "due_amount": 1200.0, "renewed_amount": 1500.0, "amount_rate": 1.25,
               "lost_terms": 1, "lapsed_terms": 0, "lost_amount": 200.0,
               "suspended_terms": 0})
    );
    assert_eq!(s["reasons"]["budget"], json!({"count": 1, "amount": 200.0}));
    assert_eq!(s["reasons"]["other"], json!({"count": 0, "amount": 0.0}));
    assert_eq!(s["reasons"].as_object().unwrap().len(), 6);
    assert_eq!(
        s["touch"],
        json!({"张伟": {"customers": 1, "touched": 1, "rate": 1.0},
               "王芳": {"customers": 2, "touched": 1, "rate": 0.5}})
    );
    assert!(s.get("groups").is_none());
}

#[test]
fn the_cohort_boundary_day_is_in_and_the_day_before_out() {
    let env = fixture();
    let s = stats(&env, "--from 2025-11-23");
    assert_eq!(s["renewal"]["due_terms"], 3);
    assert_eq!(s["renewal"]["due_amount"], 1500.0);
    assert_eq!(
        s["renewal"]["open_terms"], 0,
        "S4 lapsed: a year past its expiry"
    );
    assert_eq!(s["renewal"]["lapsed_terms"], 1);
    assert_eq!(s["renewal"]["lost_terms"], 2);
    assert_eq!(s["renewal"]["lost_amount"], 500.0);
    let s = stats(&env, "--from 2025-11-25 --to 2026-06-29");
    assert_eq!(s["renewal"]["due_terms"], 0);
    assert_eq!(s["renewal"]["logo_rate"], Value::Null);
    assert_eq!(s["renewal"]["amount_rate"], Value::Null);
    env.xaas("stats --from 2026-12-01 --to 2026-11-01")
        .fails(2)
        .stderr_has("--from 2026-12-01 is after --to");
}

#[test]
fn splits_add_up_to_the_totals() {
    let env = fixture();
    for by in ["csm", "tier", "service_type", "region"] {
        let s = stats(&env, &format!("--by {by}"));
        let groups = s["groups"].as_object().unwrap();
        let sum = |path: &[&str]| -> f64 {
            groups
                .values()
                .map(|g| path.iter().fold(g, |v, k| &v[*k]).as_f64().unwrap())
                .sum()
        };
        let total = |path: &[&str]| path.iter().fold(&s, |v, k| &v[*k]).as_f64().unwrap();
        for path in [
            &["services", "total"][..],
            &["services", "amount"],
            &["renewal", "due_terms"],
            &["renewal", "due_amount"],
            &["renewal", "renewed_amount"],
            &["reasons", "budget", "amount"],
        ] {
            assert_eq!(sum(path), total(path), "--by {by}: {path:?}");
        }
    }
    let s = stats(&env, "--by tier");
    let names: Vec<&String> = s["groups"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["(none)", "B", "KA"]);
    assert_eq!(s["groups"]["KA"]["renewal"]["logo_rate"], 1.0);
    assert_eq!(s["groups"]["B"]["renewal"]["logo_rate"], 0.0);
    assert_eq!(s["groups"]["B"]["renewal"]["amount_rate"], 0.0);
    assert!(s["groups"]["KA"].get("as_of").is_none());
    let s = stats(&env, "--by csm");
    assert_eq!(s["groups"]["王芳"]["services"]["total"], 4);
    assert_eq!(s["groups"]["王芳"]["customers"]["total"], 2);
    assert_eq!(
        s["groups"]["张伟"]["touch"],
        json!({"张伟": {"customers": 1, "touched": 1, "rate": 1.0}})
    );
}

#[test]
fn filters_narrow_every_figure() {
    let env = fixture();
    let s = stats(&env, "--csm 张伟");
    assert_eq!(s["services"]["total"], 2);
    assert_eq!(s["customers"]["total"], 1);
    assert_eq!(s["renewal"]["due_terms"], 1);
    assert_eq!(s["renewal"]["amount_rate"], 1.5);
    let s = stats(&env, "--service-type basic");
    assert_eq!(s["services"]["total"], 2);
    assert_eq!(s["renewal"]["renewed_terms"], 0);
    let s = stats(&env, "--status pending");
    assert_eq!(s["services"]["total"], 1);
    let s = stats(&env, "--status lapsed");
    assert_eq!(s["services"]["total"], 1);
    assert_eq!(s["services"]["amount"], 300.0);
}

#[test]
fn an_empty_database_gives_zeros_and_nulls() {
    let env = Env::new();
    env.file(
        "h.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\n",
    );
    env.xaas("import h.csv").ok();
    let s = stats(&env, "--by csm");
    assert_eq!(s["services"]["total"], 0);
    assert_eq!(s["renewal"]["logo_rate"], Value::Null);
    assert_eq!(s["renewal"]["amount_rate"], Value::Null);
    assert_eq!(s["touch"], json!({}));
    assert_eq!(s["groups"], json!({}));
    env.xaas("stats --format table")
        .ok()
        .stdout_has("0 services");
}

#[test]
fn csv_is_long_and_table_is_a_dashboard() {
    let env = fixture();
    let out = env.xaas("stats --csv --by tier").ok().stdout;
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(r.headers().unwrap(), vec!["group", "figure", "value"]);
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let find = |g: &str, f: &str| {
        rows.iter()
            .find(|r| r[0] == g && r[1] == f)
            .map(|r| r[2].clone())
            .unwrap_or_else(|| panic!("{g} {f}"))
    };
    assert_eq!(find("(all)", "services.amount"), "2650.00");
    assert_eq!(find("(all)", "renewal.amount_rate"), "1.25");
    assert_eq!(find("KA", "renewal.renewed_amount"), "1500.00");
    assert_eq!(find("(none)", "renewal.logo_rate"), "");
    assert_eq!(find("(all)", "touch.王芳.touched"), "1");
    env.xaas("stats --format table")
        .ok()
        .stdout_has("6 services")
        .stdout_has("3 customers")
        .stdout_has("expired")
        .stdout_has("50.0%")
        .stdout_has("125.0%")
        .stdout_has("budget 预算原因")
        .stdout_has("████████████████████")
        .stdout_has("张伟");
    env.xaas("stats --format table --lang zh")
        .ok()
        .stdout_has("已过期")
        .stdout_has("续约率");
}

/// Issue #11, item 2 (rule 11): an open term lapses `grace_days` after its
/// expiry, is closed and counted as lost, and can only be closed by hand
/// with an outcome; the grace is a team setting.
#[test]
fn open_terms_lapse_after_the_grace_days() {
    let env = Env::new();
    env.file(
        "l.csv",
        "customer_id,customer_name,csm,service_id,service_type,expiry_date,amount\n\
         C1,甲,张伟,S1,basic,2026-10-14,4000\n\
         C1,甲,张伟,S2,basic,2026-11-03,2000\n\
         C2,乙,王芳,S3,basic,2026-10-01,1000\n\
         C2,乙,王芳,S4,basic,2026-12-01,500\n",
    );
    env.xaas("import l.csv").ok();
    // S1 expired 40 days ago, S3 53: lapsed. S2 (20 days) is still open.
    assert_eq!(
        env.xaas("list --services --status lapsed").ok().ids(),
        ["S3", "S1"]
    );
    assert_eq!(
        env.xaas("due --within 30 --overdue").ok().ids(),
        ["S2", "S4"],
        "due --overdue lists expired open terms within the grace only"
    );
    let r = stats(&env, "")["renewal"].clone();
    assert_eq!(
        (
            &r["due_terms"],
            &r["open_terms"],
            &r["lost_terms"],
            &r["lapsed_terms"]
        ),
        (&json!(3), &json!(1), &json!(2), &json!(2))
    );
    assert_eq!(r["lost_amount"], 5000.0);
    // By hand a lapsed term takes an outcome, not an open status.
    let before = env.dump();
    env.xaas("followup set --service S1 --status at_risk")
        .fails(1)
        .stderr_has("40 days past expiry, beyond the 30 grace days")
        .stderr_has("not_renewing");
    env.xaas("followup set --service S2 --status lapsed")
        .fails(1)
        .stderr_has("derived");
    assert_eq!(env.dump(), before);
    env.xaas("followup set --service S1 --status not_renewing --reason budget")
        .ok()
        .stdout_is("1 service of 甲: lapsed → not_renewing (S1)\n");
    let r = stats(&env, "")["renewal"].clone();
    assert_eq!(
        (&r["lost_terms"], &r["lapsed_terms"]),
        (&json!(2), &json!(1))
    );
    // A late renewal still renews it.
    env.xaas("renew S3 --until 2027-10-01")
        .ok()
        .stdout_has("(lapsed → renewed)");
    // The grace is the team's: 60 days and S3's old term would not have lapsed.
    env.xaas("settings grace_days").ok().stdout_is("30\n");
    env.xaas("settings grace_days 60")
        .ok()
        .stdout_is("grace_days: 30 → 60\n");
    assert_eq!(
        env.sql("SELECT kind, from_value, to_value, note FROM history WHERE kind = 'setting'"),
        [["setting", "30", "60", "grace_days"]]
    );
    assert_eq!(
        env.xaas("due --within 30 --overdue").ok().ids(),
        ["S2", "S4"]
    );
    assert_eq!(env.xaas("list --services --status lapsed").ok().ids(), NONE);
    env.xaas("settings grace_days -3")
        .fails(2)
        .stderr_has("grace_days");
    env.xaas("settings colour 1")
        .fails(2)
        .stderr_has("grace_days")
        .stderr_has("task_kickoff_days");
    let all = env.xaas("settings --json").ok().json();
    assert_eq!(all[0]["key"], "grace_days");
    assert_eq!(all[0]["value"], "60");
    assert_eq!(all[0]["default"], "30");
}

/// The value at a dotted JSON path (`renewal.logo_rate`, `touch.王芳.rate`).
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

/// The figures a rate divides, as plain `stats` gives them.
fn counts_in(plain: &Value, figure: &str) -> (f64, f64) {
    let n = |path: &str| {
        at(plain, path)
            .as_f64()
            .unwrap_or_else(|| panic!("no {path}"))
    };
    match figure {
        "renewal.logo_rate" => (n("renewal.renewed_customers"), n("renewal.due_customers")),
        "renewal.amount_rate" => (n("renewal.renewed_amount"), n("renewal.due_amount")),
        "health.healthy_rate" => (
            n("health.customers.healthy"),
            n("health.customers.healthy")
                + n("health.customers.fair")
                + n("health.customers.danger"),
        ),
        kpi if kpi.starts_with("kpi.") => {
            let counts = &at(plain, "kpi.counts")[&kpi[4..]];
            (counts[0].as_f64().unwrap(), counts[1].as_f64().unwrap())
        }
        touch => {
            let csm = touch
                .strip_prefix("touch.")
                .and_then(|t| t.strip_suffix(".rate"))
                .unwrap_or_else(|| panic!("unknown figure {touch}"));
            (
                n(&format!("touch.{csm}.touched")),
                n(&format!("touch.{csm}.customers")),
            )
        }
    }
}

/// Each `explain` entry of `--json --explain`, with the plain figures of
/// its block (the totals, or its group).
fn entries(explained: &Value, plain: &Value) -> Vec<(Value, Value)> {
    let mut out: Vec<(Value, Value)> = explained["explain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e.clone(), plain.clone()))
        .collect();
    if let Some(groups) = explained.get("groups").and_then(Value::as_object) {
        for (name, g) in groups {
            for e in g["explain"].as_array().unwrap() {
                out.push((e.clone(), plain["groups"][name].clone()));
            }
        }
    }
    out
}

/// Issue #14: `stats --explain` prints, for the same filters and period,
/// the numbers plain `stats` prints: every rate, and the two figures it
/// divides, read back from its JSON, its TSV and its table. The fixture
/// has a renewal (above its due amount), a loss, a lapse with `--from
/// 2025-11-23`, and zero denominators (no usage: healthy_rate; a period
/// with nothing due; the `(none)` tier), which are null and `n/a`.
#[test]
fn explain_prints_the_numbers_stats_prints() {
    let env = fixture();
    for args in [
        "",
        "--csm 王芳",
        "--from 2025-11-23",
        "--by tier",
        "--by csm --from 2025-11-23",
        "--from 2025-11-25 --to 2026-06-29",
    ] {
        let plain = stats(&env, args);
        let explained = env
            .xaas(&format!("stats --json --explain {args}"))
            .ok()
            .json();
        // The figures themselves are the same; `explain` is beside them.
        let mut stripped = explained.clone();
        stripped.as_object_mut().unwrap().remove("explain");
        if let Some(groups) = stripped.get_mut("groups").and_then(Value::as_object_mut) {
            for g in groups.values_mut() {
                g.as_object_mut().unwrap().remove("explain");
            }
        }
        assert_eq!(stripped, plain, "{args}");

        let entries = entries(&explained, &plain);
        let mut nulls = 0;
        for (e, block) in &entries {
            let figure = e["figure"].as_str().unwrap();
            let (num, den) = counts_in(block, figure);
            assert_eq!(e["numerator"].as_f64(), Some(num), "{args}: {figure}");
            assert_eq!(e["denominator"].as_f64(), Some(den), "{args}: {figure}");
            assert_eq!(&e["value"], at(block, figure), "{args}: {figure}");
            if den == 0.0 {
                assert_eq!(e["value"], Value::Null, "{args}: {figure}");
                nulls += 1;
            } else {
                assert_eq!(e["value"].as_f64(), Some(num / den), "{args}: {figure}");
            }
        }
        assert!(nulls > 0, "{args}: healthy_rate has no customer with usage");

        // TSV: one row per group and rate, in the JSON's order.
        let tsv = env
            .xaas(&format!("stats --explain --format tsv {args}"))
            .ok()
            .stdout;
        let mut lines = tsv.lines();
        assert_eq!(
            lines.next(),
            Some("group\tfigure\tformula\tnumerator\tdenominator\tvalue")
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), entries.len(), "{args}");
        for (row, (e, _)) in rows.iter().zip(&entries) {
            assert_eq!(row[1], e["figure"], "{args}");
            assert_eq!(row[2], e["formula"], "{args}");
            assert_eq!(row[3].parse::<f64>().ok(), e["numerator"].as_f64());
            assert_eq!(row[4].parse::<f64>().ok(), e["denominator"].as_f64());
            assert_eq!(row[5].parse::<f64>().ok(), e["value"].as_f64(), "{args}");
        }

        // The table: `name = formula = num / den = rate`, same order.
        let table = env
            .xaas(&format!("stats --explain --format table {args}"))
            .ok()
            .stdout;
        assert!(!table.contains("NaN"), "{table}");
        let equations: Vec<Vec<&str>> = table
            .lines()
            .filter(|l| l.contains(" = "))
            .map(|l| l.split(" = ").map(str::trim).collect())
            .collect();
        assert_eq!(equations.len(), entries.len(), "{table}");
        for (eq, (e, _)) in equations.iter().zip(&entries) {
            assert_eq!(eq[1], e["formula"], "{table}");
            let (n, d) = eq[2].split_once(" / ").unwrap();
            let number = |s: &str| s.replace(',', "").parse::<f64>().ok();
            assert_eq!(number(n), e["numerator"].as_f64(), "{table}");
            assert_eq!(number(d), e["denominator"].as_f64(), "{table}");
            let shown = match e["value"].as_f64() {
                Some(v) => format!("{:.1}%", v * 100.0),
                None => "n/a".into(),
            };
            assert_eq!(eq[3], shown, "{table}");
        }
    }
}

#[test]
fn explain_speaks_chinese_with_lang_zh() {
    let env = fixture();
    let run = env
        .xaas("stats --explain --format table --lang zh")
        .ok()
        .stdout_has("截至 2026-11-23");
    // Names are padded to the longest (a KPI's): the equation after them.
    let line = |name: &str| -> String {
        let l = run
            .stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no line {name}:\n{}", run.stdout));
        l.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(
        line("续约率 ").starts_with("续约率 = 已续约客户数 / 到期客户数 ="),
        "{}",
        line("续约率 ")
    );
    assert!(line("风险处置完成率")
        .starts_with("风险处置完成率 = 已关闭风险数 / 登记风险数 = 0 / 0 = 无"));
    run.stdout_has("= 1 / 2 ")
        .stdout_has("= 50.0%")
        .stdout_has("= 续费金额 / 到期金额")
        .stdout_has("= 1,500.00 / 1,200.00")
        .stdout_has("= 125.0%")
        .stdout_has("健康率")
        .stdout_has("= 无")
        .stdout_has("翻动率 王芳");
    env.xaas("stats --explain --format table")
        .ok()
        .stdout_has(" = renewed customers / due customers")
        .stdout_has("risk_completion ");
    let csv = env.xaas("stats --explain --csv --lang zh").ok().stdout;
    assert!(csv.starts_with("分组,指标,公式,分子,分母,数值\n"), "{csv}");
    assert!(
        csv.contains("(all),renewal.amount_rate,续费金额 / 到期金额,1500.00,1200.00,1.25\n"),
        "{csv}"
    );
    // JSON stays English, whatever the language.
    let j = env.xaas("stats --json --explain --lang zh").ok().json();
    assert_eq!(j["explain"][1]["formula"], "renewed amount / due amount");
}
