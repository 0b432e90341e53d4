//! `stats --series week|month`: the renewal cohort per period, whose rows
//! add up to `stats` over the same span.

use super::gen_book::{generate, write};
use super::*;

use serde_json::{json, Value};

/// A generated book after a season: the first list imported on
/// 2024-12-31, each month's renewals on that month's last day (terms not
/// renewed lapse), then, today, three open services set at risk, one not
/// renewing, and follow-up records for two customers.
fn season() -> (Env, Vec<(String, f64)>) {
    let env = Env::new();
    let book = generate(300, 11, false);
    let dir = env.dir.path().join("book");
    write(&book, &dir).unwrap();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    env.on("2024-12-31")
        .xaas(&format!("import {}", path("services.csv")))
        .ok();
    for (month, _, end) in &book.renewals {
        // Dated no later than the day the test reads on (a renewal dated
        // after it is not in the book as of that day).
        let day = end.to_string().min(TODAY.to_string());
        env.run(&[
            "--today",
            &day,
            "import",
            &path(&format!("renewals-{month}.csv")),
        ])
        .ok();
    }
    let due = env.xaas("due --within 90 --json").ok().json();
    let due = due.as_array().unwrap();
    assert!(due.len() > 10, "{}", due.len());
    let at_risk: Vec<(String, f64)> = due[..3]
        .iter()
        .map(|s| {
            (
                s["service_id"].as_str().unwrap().to_string(),
                s["amount"].as_f64().unwrap(),
            )
        })
        .collect();
    for (id, _) in &at_risk {
        env.xaas(&format!("followup set --service {id} --status at_risk"))
            .ok();
    }
    let id = due[4]["service_id"].as_str().unwrap();
    env.xaas(&format!(
        "followup set --service {id} --status not_renewing --reason budget"
    ))
    .ok();
    let first = due[5]["customer_id"].as_str().unwrap();
    let other = if first == "C00001" {
        "C00002"
    } else {
        "C00001"
    };
    for c in [first, other] {
        env.xaas(&format!("log add {c} --note 回访")).ok();
    }
    (env, at_risk)
}

const SPAN: &str = "--from 2025-01-01 --to 2027-02-28";

/// The renewal block's figures that add up across periods.
const ADDITIVE: &[&str] = &[
    "due_terms",
    "renewed_terms",
    "open_terms",
    "lost_terms",
    "lapsed_terms",
    "suspended_terms",
    "due_amount",
    "renewed_amount",
    "lost_amount",
];

/// Each additive figure summed over `rows`.
fn sums<'a>(rows: impl Iterator<Item = &'a Value> + Clone) -> Value {
    let mut m = serde_json::Map::new();
    for k in ADDITIVE {
        let total: f64 = rows
            .clone()
            .map(|r| r["renewal"][k].as_f64().unwrap())
            .sum();
        m.insert(k.to_string(), json!((total * 100.0).round() / 100.0));
    }
    Value::Object(m)
}

fn additive(renewal: &Value) -> Value {
    let mut m = serde_json::Map::new();
    for k in ADDITIVE {
        let v = renewal[k].as_f64().unwrap();
        m.insert(k.to_string(), json!((v * 100.0).round() / 100.0));
    }
    Value::Object(m)
}

#[test]
fn the_months_add_up_to_stats_over_the_same_span() {
    let (env, at_risk) = season();
    let whole = env.xaas(&format!("stats --json {SPAN}")).ok().json();
    let r = &whole["renewal"];
    // A real season: renewals, lapses, the one not renewing, open terms.
    assert!(r["due_terms"].as_u64().unwrap() > 200, "{r}");
    assert!(r["renewed_terms"].as_u64().unwrap() > 50, "{r}");
    assert!(r["lapsed_terms"].as_u64().unwrap() > 20, "{r}");
    assert!(r["lost_terms"].as_u64() > r["lapsed_terms"].as_u64(), "{r}");
    assert!(r["open_terms"].as_u64().unwrap() > 10, "{r}");
    let series = env
        .xaas(&format!("stats --series month --json {SPAN}"))
        .ok()
        .json();
    let rows = series.as_array().unwrap();
    assert_eq!(rows.len(), 26, "2025-01 … 2027-02");
    assert_eq!(sums(rows.iter()), additive(r));
    // Every month's rates are its own counts'.
    for row in rows {
        let n = &row["renewal"];
        let (due, renewed) = (n["due_customers"].as_u64(), n["renewed_customers"].as_u64());
        match due.unwrap() {
            0 => assert_eq!(n["logo_rate"], Value::Null),
            d => assert_eq!(
                n["logo_rate"].as_f64().unwrap(),
                renewed.unwrap() as f64 / d as f64
            ),
        }
    }
    // The services set at risk today, each open in the month it expires.
    let terms: u64 = rows
        .iter()
        .map(|r| r["at_risk_terms"].as_u64().unwrap())
        .sum();
    let amount: f64 = rows
        .iter()
        .map(|r| r["at_risk_amount"].as_f64().unwrap())
        .sum();
    assert_eq!(terms, 3);
    let want: f64 = at_risk.iter().map(|(_, a)| a).sum();
    assert_eq!(amount, want);
    // Touch: the customers followed up today (the status changes are
    // records too), in November 2026 only, as `stats` counts them there.
    let customers = whole["customers"]["total"].as_u64().unwrap();
    let nov = env
        .xaas("stats --json --from 2026-11-01 --to 2026-11-30")
        .ok()
        .json();
    let nov: u64 = nov["touch"]
        .as_object()
        .unwrap()
        .values()
        .map(|t| t["touched"].as_u64().unwrap())
        .sum();
    assert!(
        nov >= 5,
        "{nov}: two logged, four set, some may share a customer"
    );
    for row in rows {
        let touched = if row["from"] == "2026-11-01" { nov } else { 0 };
        assert_eq!(
            row["touch"],
            json!({"customers": customers, "touched": touched,
                   "rate": touched as f64 / customers as f64}),
            "{}",
            row["from"]
        );
    }
    // The weeks add up to the same.
    let weeks = env
        .xaas(&format!("stats --series week --json {SPAN}"))
        .ok()
        .json();
    assert_eq!(sums(weeks.as_array().unwrap().iter()), additive(r));
}

#[test]
fn split_by_csm_each_groups_months_add_up_to_its_stats_group() {
    let (env, _) = season();
    let whole = env
        .xaas(&format!("stats --json --by csm {SPAN}"))
        .ok()
        .json();
    let series = env
        .xaas(&format!("stats --series month --by csm --json {SPAN}"))
        .ok()
        .json();
    let rows = series.as_array().unwrap();
    let groups = whole["groups"].as_object().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(rows.len(), 26 * 3, "every month × every CSM");
    // Groups in byte order: 张 (E5 BC A0) before 李 (E6 9D 8E) and 王 (E7 8E 8B).
    assert_eq!(rows[0]["csm"], "张伟");
    assert_eq!(rows[1]["csm"], "李娜");
    for (csm, g) in groups {
        let mine = rows.iter().filter(|r| r["csm"] == csm.as_str());
        assert!(g["renewal"]["due_terms"].as_u64().unwrap() > 50, "{csm}");
        assert_eq!(sums(mine), additive(&g["renewal"]), "{csm}");
    }
    assert_eq!(sums(rows.iter()), additive(&whole["renewal"]));
}

/// Services expiring on given days, in a fresh book.
fn book(days: &[&str]) -> Env {
    let env = Env::new();
    let mut csv = String::from(
        "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount\n",
    );
    for (i, day) in days.iter().enumerate() {
        csv.push_str(&format!(
            "C{i},客户{i},张伟,KA,S{i},subscription,{day},{}\n",
            100 * (i + 1)
        ));
    }
    env.file("a.csv", csv);
    env.xaas("import a.csv").ok();
    env
}

#[test]
fn weeks_run_monday_to_sunday_and_the_first_and_last_are_clipped() {
    // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
    let env = book(&["2026-11-29", "2026-11-30", "2026-12-08"]);
    let s = env
        .xaas("stats --series week --from 2026-11-25 --to 2026-12-08 --json")
        .ok()
        .json();
    let spans: Vec<(&str, &str, u64)> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["from"].as_str().unwrap(),
                r["to"].as_str().unwrap(),
                r["renewal"]["due_terms"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("2026-11-25", "2026-11-29", 1),
            ("2026-11-30", "2026-12-06", 1),
            ("2026-12-07", "2026-12-08", 1),
        ]
    );
    assert_eq!(s[0]["renewal"]["due_amount"], 100.0);
    assert_eq!(s[1]["renewal"]["due_amount"], 200.0);
    // Months: the span's first and last months clipped to it.
    let m = env
        .xaas("stats --series month --from 2026-11-25 --to 2026-12-08 --csv")
        .ok();
    let lines: Vec<&str> = m.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("2026-11-25,2026-11-30,2,0,0,0,0,2,2,0,0.0,300.00,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2026-12-01,2026-12-08,1,"),
        "{}",
        lines[2]
    );
}

#[test]
fn the_default_span_is_stats_year_up_to_today() {
    let env = book(&["2025-11-24", "2026-11-23", "2026-11-24"]);
    let s = env.xaas("stats --series month --json").ok().json();
    let rows = s.as_array().unwrap();
    assert_eq!(rows.len(), 13);
    assert_eq!(
        (&rows[0]["from"], &rows[0]["to"]),
        (&json!("2025-11-24"), &json!("2025-11-30"))
    );
    assert_eq!(
        (&rows[12]["from"], &rows[12]["to"]),
        (&json!("2026-11-01"), &json!("2026-11-23"))
    );
    assert_eq!(rows[0]["renewal"]["due_terms"], 1, "the span's first day");
    assert_eq!(rows[12]["renewal"]["due_terms"], 1, "today, not tomorrow");
}

#[test]
fn json_rows_have_the_renewal_block_of_stats() {
    let env = book(&["2026-11-10", "2026-12-20"]);
    env.xaas("followup set --service S1 --status at_risk").ok();
    let stats = env.xaas("stats --json").ok().json();
    let s = env
        .xaas("stats --series month --by tier --from 2026-11-01 --to 2026-12-31 --json")
        .ok()
        .json();
    let rows = s.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "from",
            "to",
            "tier",
            "renewal",
            "touch",
            "open_amount",
            "at_risk_terms",
            "at_risk_amount"
        ]
    );
    let want: Vec<&String> = stats["renewal"].as_object().unwrap().keys().collect();
    for r in rows {
        let got: Vec<&String> = r["renewal"].as_object().unwrap().keys().collect();
        assert_eq!(got, want);
    }
    assert_eq!(rows[0]["tier"], "KA");
    assert_eq!(rows[0]["renewal"]["from"], "2026-11-01");
    assert_eq!(rows[1]["renewal"]["to"], "2026-12-31");
    assert_eq!(rows[1]["renewal"]["open_terms"], 1);
    assert_eq!(rows[1]["open_amount"], 200.0);
    assert_eq!(rows[1]["at_risk_terms"], 1);
    assert_eq!(rows[1]["at_risk_amount"], 200.0);
    assert_eq!(rows[0]["renewal"]["logo_rate"], 0.0);
    // Setting S1's status wrote a record: its customer was followed up.
    assert_eq!(
        rows[0]["touch"],
        json!({"customers": 2, "touched": 1, "rate": 0.5})
    );
    assert_eq!(rows[1]["touch"]["touched"], 0);
}

#[test]
fn the_table_has_sparklines_with_gaps_and_chinese_headers() {
    let env = book(&["2026-09-10", "2026-11-10"]);
    let t = env
        .xaas("stats --series month --from 2026-09-01 --to 2026-11-30 --format table")
        .ok()
        .stdout_has("renewal cohort by month, expiring 2026-09-01 … 2026-11-30")
        .stdout_has(" 2026-10 ")
        .stdout_has("(a blank: no term due in that period)");
    // September and November due (both lapsed or open: 0 %), October none.
    let logo = t
        .stdout
        .lines()
        .find(|l| l.starts_with("logo_rate"))
        .unwrap();
    assert!(logo.ends_with("▁ ▁"), "{logo:?}");
    env.xaas("--lang zh stats --series month --from 2026-09-01 --to 2026-11-30 --format table")
        .ok()
        .stdout_has("续费趋势（按月")
        .stdout_has("周期")
        .stdout_has("续约率")
        .stdout_has("风险金额");
    env.xaas("--lang zh stats --series week --by csm --csv")
        .ok()
        .stdout_starts_with("起始日,截止日,客户经营接口人,到期,已续费,流失,");
    // On an 80-column terminal nothing is left out.
    env.xaas_with(
        &[("COLUMNS", "80")],
        "stats --series week --by csm --format table",
    )
    .ok()
    .stderr_empty();
}

#[test]
fn a_bad_period_is_a_usage_error_naming_the_choices() {
    let env = book(&["2026-11-10"]);
    env.xaas("stats --series day")
        .fails(2)
        .stderr_has("week")
        .stderr_has("month");
    env.xaas("stats --series month --explain").fails(2);
}

#[test]
fn a_term_counts_for_the_csm_who_owned_the_customer_on_its_expiry() {
    let env = book(&["2026-03-10", "2026-12-01"]);
    // C0 moves from 张伟 to 王芳 today: its March term stays 张伟's.
    env.file(
        "b.csv",
        "customer_id,customer_name,csm,service_id,service_type,expiry_date,amount\n\
         C0,客户0,王芳,S0,subscription,2026-03-10,100\n",
    );
    env.xaas("import b.csv").ok();
    let span = "--from 2026-01-01 --to 2026-12-31";
    let stats = env
        .xaas(&format!("stats --json --by csm {span}"))
        .ok()
        .json();
    let s = env
        .xaas(&format!("stats --series month --by csm --json {span}"))
        .ok()
        .json();
    let rows = s.as_array().unwrap();
    for (csm, g) in stats["groups"].as_object().unwrap() {
        let mine = rows.iter().filter(|r| r["csm"] == csm.as_str());
        assert_eq!(sums(mine), additive(&g["renewal"]), "{csm}");
    }
    let march = |csm: &str| {
        rows.iter()
            .find(|r| r["from"] == "2026-03-01" && r["csm"] == csm)
            .unwrap()
    };
    assert_eq!(march("张伟")["renewal"]["due_terms"], 1);
    assert_eq!(march("张伟")["renewal"]["lapsed_terms"], 1);
    assert_eq!(march("王芳")["renewal"]["due_terms"], 0);
    // Touch goes by today's owner: 王芳 has C0 now.
    assert_eq!(march("王芳")["touch"]["customers"], 1);
}

#[test]
fn with_filters_on_services_or_by_type_the_rows_still_add_up() {
    let (env, _) = season();
    for args in [
        "--by service_type",
        "--window expired",
        "--by tier --status lapsed",
        "--by tier",
    ] {
        let whole = env.xaas(&format!("stats --json {args} {SPAN}")).ok().json();
        let s = env
            .xaas(&format!("stats --series month --json {args} {SPAN}"))
            .ok()
            .json();
        let rows = s.as_array().unwrap();
        assert_eq!(sums(rows.iter()), additive(&whole["renewal"]), "{args}");
        // The groups `stats` shows, every month; touch over the same customers.
        if let Some(groups) = whole["groups"].as_object() {
            let key = args.split_whitespace().nth(1).unwrap();
            for (name, g) in groups {
                let mine: Vec<&Value> = rows.iter().filter(|r| r[key] == name.as_str()).collect();
                assert_eq!(mine.len(), 26, "{args} {name}");
                let touch: u64 = g["touch"]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|t| t["customers"].as_u64().unwrap())
                    .sum();
                assert_eq!(mine[0]["touch"]["customers"], touch, "{args} {name}");
            }
        } else {
            assert_eq!(
                rows[0]["touch"]["customers"], whole["customers"]["total"],
                "{args}"
            );
        }
    }
}

#[test]
fn a_group_with_no_term_in_the_span_still_has_its_rows() {
    let env = Env::new();
    env.file(
        "a.csv",
        "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount\n\
         C1,甲,张伟,KA,S1,subscription,2026-11-10,100\n\
         C2,乙,王芳,B,S2,subscription,2028-01-01,100\n",
    );
    env.xaas("import a.csv").ok();
    let whole = env.xaas("stats --json --by tier").ok().json();
    assert_eq!(whole["groups"].as_object().unwrap().len(), 2);
    let s = env
        .xaas("stats --series month --by tier --json")
        .ok()
        .json();
    let b: Vec<&Value> = s
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["tier"] == "B")
        .collect();
    assert_eq!(b.len(), 13);
    assert_eq!(b[0]["touch"]["customers"], 1);
    assert_eq!(b[12]["renewal"]["due_terms"], 0);
}
