//! Health in the read commands (issue #13 item 4): the `health` and
//! `health_score` columns, `--health`, and the `health` block of `stats`,
//! as of `--today`.
//!
//! The book is the examples with a calibration and indicators written
//! straight into the database (no `usage import` yet), their scores
//! worked out by hand below.

use super::*;
use serde_json::{json, Value};

/// The calibration in force from 2026-06-30: active_ratio's distribution
/// is 0.1, 0.2, …, 1.0 and features_used's 2, 4, 6 (the other two have
/// none and drop out), equal weights; below 20 is danger, below 50 fair.
///
/// Indicators (today 2026-11-23), score = mean of the two percentiles:
/// - S00001 (C0001) 2026-11-01: ratio 0.05 → 0, features 1 → 0: 0.0 danger
/// - S00016 (C0001) 2026-11-01: 0.85 → 80, 6 → 100: 90.0 healthy
/// - S00002 (C0002) 2026-11-10: 0.35 → 30, 2 → 33.3: 31.7 fair
/// - S00017 (C0002) 2026-11-10: 0.95 → 90, 6 → 100: 95.0 healthy
/// - S00039 (C0009) 2026-11-20: 0.75 → 70, 4 → 66.7: 68.3 healthy
/// - S00010 (C0010) 2026-09-01: 0.9, 6, 83 days old: unknown (95.0 while
///   at most 45 days old, up to 2026-10-16)
///
/// So C0001 is danger (its worst known band), C0002 fair, C0009 healthy,
/// the other 12 customers unknown; healthy rate 1 / 3.
///
/// S00001's usage: 2026-10-01 60 of 100 active, 6 features (as of
/// 2026-10-15: 60 and 100, score 80.0 healthy), then 2026-11-01 5 of 100
/// and 1 feature (the stored row).
/// Runs several statements: through the server on PostgreSQL, else on
/// the file.
fn batch(env: &Env, sql: &str) {
    if env.is_pg() {
        env.sql(sql);
    } else {
        rusqlite::Connection::open(&env.db)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    }
}

fn fixture() -> Env {
    let env = Env::new();
    env.import_examples();
    batch(
        &env,
        "INSERT INTO calibrations(made_at, as_of, sample, weights, danger_pct, fair_pct,
                                  danger_below, fair_below, distributions)
         VALUES ('2026-07-01T09:00:00+08:00', '2026-06-30', 30, '1,1,1,1', 10, 40, 20.0, 50.0,
                 '[[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0],[],[2,4,6],[]]');
         INSERT INTO usage(service_id, day, accounts, active_users, key_actions, features_used) VALUES
           ('S00001', '2026-10-01', 100, 60, NULL, 6),
           ('S00001', '2026-11-01', 100, 5, NULL, 1);
         INSERT INTO indicators(service_id, day, active_ratio, actions_per_account, features_used, active_trend) VALUES
           ('S00001', '2026-11-01', 0.05, NULL, 1, NULL),
           ('S00016', '2026-11-01', 0.85, NULL, 6, NULL),
           ('S00002', '2026-11-10', 0.35, NULL, 2, NULL),
           ('S00017', '2026-11-10', 0.95, NULL, 6, NULL),
           ('S00039', '2026-11-20', 0.75, NULL, 4, NULL),
           ('S00010', '2026-09-01', 0.9, NULL, 6, NULL);",
    );
    env
}

/// (service_id, health, health_score) of every service `line` prints as
/// CSV whose band is known, in its order; and how many are unknown.
fn known(env: &Env, line: &str) -> (Vec<(String, String, String)>, usize) {
    let out = env.xaas(line).ok().stdout;
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let h = r.headers().unwrap().clone();
    let at = |k: &str| h.iter().position(|x| x == k).unwrap();
    let (id, band, score) = (at("service_id"), at("health"), at("health_score"));
    let mut rows = Vec::new();
    let mut unknown = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[band] == "unknown" {
            assert_eq!(&rec[score], "", "an unknown band has no score");
            unknown += 1;
        } else {
            rows.push((
                rec[id].to_string(),
                rec[band].to_string(),
                rec[score].to_string(),
            ));
        }
    }
    (rows, unknown)
}

/// The words of a table's line that has `id`.
fn words(table: &str, id: &str) -> Vec<String> {
    let line = table
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == id))
        .unwrap_or_else(|| panic!("no {id} in {table}"));
    let from = line.split_whitespace().position(|w| w == id).unwrap();
    line.split_whitespace()
        .skip(from)
        .map(str::to_string)
        .collect()
}

fn rows(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn every_service_view_shows_the_band_and_the_score() {
    let env = fixture();
    let expected = rows(&[
        ("S00001", "danger", "0.0"),
        ("S00002", "fair", "31.7"),
        ("S00016", "healthy", "90.0"),
        ("S00017", "healthy", "95.0"),
        ("S00039", "healthy", "68.3"),
    ]);
    assert_eq!(known(&env, "export"), (expected.clone(), 45));
    assert_eq!(
        known(
            &env,
            "list --services --limit 0 --sort service_id --format csv"
        ),
        (expected, 45)
    );
    // The last two columns of the service list, after the outcome ones.
    let csv = env.xaas("export").ok().stdout;
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",previous_expiry,previous_amount,health,health_score"),
        "{csv}"
    );
    let zh = env.xaas("export --lang zh").ok().stdout;
    assert!(
        zh.lines()
            .next()
            .unwrap()
            .ends_with(",上期金额,健康度,健康分"),
        "{zh}"
    );
    assert!(zh.contains(",危险,0.0\n") && zh.contains(",一般,31.7\n") && zh.contains(",未知,\n"));
    // JSON: the band's id and the score as a number, null when unknown.
    let all = env.xaas("export --json").ok().json();
    let by_id = |id: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (&by_id("S00002")["health"], &by_id("S00002")["health_score"]),
        (&json!("fair"), &json!(31.7))
    );
    assert_eq!(
        (&by_id("S00031")["health"], &by_id("S00031")["health_score"]),
        (&json!("unknown"), &Value::Null)
    );
    // due, in its order (days left).
    assert_eq!(
        known(&env, "due --within 60 --csv").0,
        rows(&[
            ("S00002", "fair", "31.7"),
            ("S00039", "healthy", "68.3"),
            ("S00016", "healthy", "90.0"),
            ("S00017", "healthy", "95.0"),
        ])
    );
    // show: JSON, CSV and the table.
    let card = env.xaas("show C0001 --json").ok().json();
    let bands: Vec<(String, Value)> = card["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["service_id"].as_str().unwrap().to_string(),
                s["health_score"].clone(),
            )
        })
        .collect();
    assert!(bands.contains(&("S00001".into(), json!(0.0))), "{bands:?}");
    assert!(bands.contains(&("S00016".into(), json!(90.0))), "{bands:?}");
    assert!(bands.contains(&("S00031".into(), Value::Null)), "{bands:?}");
    assert_eq!(known(&env, "show C0001 --csv").0.len(), 2);
    let show = env
        .xaas_with(&[("COLUMNS", "120")], "show C0001 --format table")
        .ok()
        .stdout_has("health")
        .stdout;
    assert_eq!(
        words(&show, "S00016")[6..],
        ["normal", "50000.00", "healthy", "138"]
    );
    let show = env
        .xaas_with(&[("COLUMNS", "120")], "show C0001 --format table --lang zh")
        .ok()
        .stdout_has("健康度")
        .stdout;
    assert_eq!(words(&show, "S00001")[7..], ["49000.00", "危险", "119"]);
    let due = env
        .xaas_with(&[("COLUMNS", "120")], "due --within 5 --format table")
        .ok()
        .stdout_has("health")
        .stdout;
    assert_eq!(words(&due, "S00002").last().unwrap(), "fair");
}

#[test]
fn an_export_with_health_imports_back_unchanged() {
    let env = fixture();
    for lang in ["en", "zh"] {
        let before = env.dump();
        let csv = env.xaas(&format!("export --lang {lang}")).ok().stdout;
        env.xaas_in("import -", csv.as_bytes()).ok();
        assert_eq!(env.dump(), before, "{lang}");
        env.xaas(&format!("export --lang {lang}"))
            .ok()
            .stdout_is(&csv);
    }
    // Only the two columns (and the others derived) named: still ignored.
    env.file(
        "h.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date,health,health_score\n\
         C9,新客户,S9,basic,2027-01-01,healthy,99.9\n",
    );
    env.xaas("import h.csv").ok();
    assert_eq!(
        known(&env, "export --customer C9"),
        (vec![], 1),
        "a band comes from usage, never from a file"
    );
}

#[test]
fn stale_usage_no_calibration_and_a_day_before_the_usage_are_unknown() {
    let env = fixture();
    let band = |day: &str, id: &str| -> (String, String) {
        let all = env.on(day).xaas("export --json").ok().json();
        let s = all
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_id"] == id)
            .unwrap()
            .clone();
        (
            s["health"].as_str().unwrap().to_string(),
            s["health_score"].to_string(),
        )
    };
    let b = |x: &str, y: &str| (x.to_string(), y.to_string());
    // S00010's row of 2026-09-01 is fresh for 45 days.
    assert_eq!(band("2026-10-16", "S00010"), b("healthy", "95.0"));
    assert_eq!(band("2026-10-17", "S00010"), b("unknown", "null"));
    assert_eq!(band(TODAY, "S00010"), b("unknown", "null"));
    // A past --today reads the usage up to that day, not the stored row
    // of a later one: S00001 was healthy on 2026-10-15.
    assert_eq!(band(TODAY, "S00001"), b("danger", "0.0"));
    assert_eq!(band("2026-10-15", "S00001"), b("healthy", "80.0"));
    assert_eq!(band("2026-11-01", "S00001"), b("danger", "0.0"));
    // Before its first usage row, and before the stored row of a service
    // without usage rows (written here straight): unknown.
    assert_eq!(band("2026-09-30", "S00001"), b("unknown", "null"));
    assert_eq!(band("2026-10-15", "S00016"), b("unknown", "null"));
    // Before the first calibration, every band is unknown.
    assert_eq!(known(&env, "--today 2026-06-29 export"), (vec![], 50));
    assert_eq!(
        known(&env, "--today 2026-10-15 export"),
        (
            rows(&[("S00001", "healthy", "80.0"), ("S00010", "healthy", "95.0")]),
            48
        )
    );
}

#[test]
fn the_health_filter_keeps_services_of_the_bands_named() {
    let env = fixture();
    let ids = |line: &str| env.xaas(line).ok().ids();
    assert_eq!(ids("list --services --health danger"), ["S00001"]);
    // Repeated, it ORs; Chinese labels and any case are accepted.
    assert_eq!(
        ids("list --services --health 一般 --health DANGER --sort service_id"),
        ["S00001", "S00002"]
    );
    assert_eq!(
        ids("due --within 60 --health healthy"),
        ["S00039", "S00016", "S00017"]
    );
    assert_eq!(ids("export --format tsv --health unknown").len(), 45);
    // With other filters: they AND.
    assert_eq!(
        ids("export --format tsv --health healthy --csm 王芳"),
        ["S00017"]
    );
    assert_eq!(
        ids("export --format tsv --health healthy --window within_30"),
        ["S00039"]
    );
    // A page of the kept rows, and how many were kept in all.
    env.xaas("list --services --health fair --health danger --limit 1")
        .ok()
        .stderr_is("1 of 2 shown; use --limit/--offset for more\n");
    assert_eq!(
        ids("list --services --health fair --health danger --limit 1 --offset 1"),
        ["S00002"]
    );
    env.xaas("list --services --health fair --health danger --limit 1 --offset 1")
        .ok()
        .stderr_is("1 of 2 shown (2)\n");
    env.xaas("list --services --health healthy --offset 5")
        .ok()
        .stdout_empty()
        .stderr_is("0 of 3 shown (--offset 5 is past the end)\n");
    // Counted with another filter too (a join, not the walk of the book).
    env.xaas("list --services --health healthy --tier KA --limit 1")
        .ok()
        .stderr_is("1 of 3 shown; use --limit/--offset for more\n");
    env.xaas("list --services --health healthy --window within_90 --limit 1")
        .ok()
        .stderr_is("1 of 2 shown; use --limit/--offset for more\n");
    env.xaas("list --services --health unknown --limit 10 --sort=-amount")
        .ok()
        .stderr_is("10 of 45 shown; use --limit/--offset for more\n");
    // As of a past day: the bands of that day.
    assert_eq!(
        ids("--today 2026-10-15 list --services --health healthy --sort service_id"),
        ["S00001", "S00010"]
    );
    // A band that is not one is a usage error naming the bands.
    env.xaas("list --health sick")
        .fails(2)
        .stderr_has("danger (危险)")
        .stdout_empty();
}

#[test]
fn list_keeps_customers_by_their_worst_known_band() {
    let env = fixture();
    let list = env.xaas("list --json --limit 0").ok().json();
    let band = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["customer_id"] == id)
            .unwrap()["health"]
            .clone()
    };
    assert_eq!(
        band("C0001"),
        json!("danger"),
        "danger beats healthy and unknown"
    );
    assert_eq!(band("C0002"), json!("fair"));
    assert_eq!(
        band("C0009"),
        json!("healthy"),
        "its unknown services hide nothing"
    );
    assert_eq!(band("C0010"), json!("unknown"), "stale usage says nothing");
    let customers = |line: &str| -> Vec<String> {
        let out = env.xaas(line).ok().stdout;
        out.lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    // C0002 has a healthy service, but its band is fair; C0001 has no
    // fair service and is not listed as fair.
    assert_eq!(customers("list --health fair"), ["C0002"]);
    assert_eq!(customers("list --health healthy"), ["C0009"]);
    assert_eq!(
        customers("list --health healthy --health danger --sort customer_id"),
        ["C0001", "C0009"]
    );
    // The band over the services matching the other filters: C0001's
    // basic service alone is healthy.
    assert_eq!(
        customers("list --health healthy --service-type basic"),
        ["C0001"]
    );
    // The aggregates are over those services, every band of them.
    let c = env.xaas("list --health fair --json").ok().json();
    assert_eq!(
        (c[0]["services"].clone(), c[0]["open"].clone()),
        (json!(4), json!(4))
    );
    env.xaas("list --health unknown --limit 5")
        .ok()
        .stderr_is("5 of 12 shown; use --limit/--offset for more\n");
    env.xaas_with(&[("COLUMNS", "80")], "list --limit 3 --format table")
        .ok()
        .stdout_has("health")
        .stdout_has("danger");
}

/// `stats --json` with `args`.
fn stats(env: &Env, args: &str) -> Value {
    env.xaas(&format!("stats --json {args}")).ok().json()
}

#[test]
fn stats_counts_the_customers_list_lists_per_band() {
    let env = fixture();
    let s = stats(&env, "");
    assert_eq!(
        s["health"],
        json!({"customers": {"healthy": 1, "fair": 1, "danger": 1, "unknown": 12},
               "healthy_rate": 1.0 / 3.0})
    );
    // Every figure is the number of rows `list --health BAND` shows, with
    // the same filters, as of the same day, and per group.
    let listed = |args: &str| -> u64 {
        let out = env.xaas(&format!("list --limit 0 {args}")).ok().stdout;
        out.lines().count().saturating_sub(1) as u64
    };
    for (day, filters) in [
        (TODAY, ""),
        (TODAY, "--tier KA"),
        (TODAY, "--window within_90"),
        ("2026-10-15", ""),
        ("2026-06-29", ""),
    ] {
        let day_arg = format!("--today {day} {filters}");
        let s = stats(&env, &day_arg);
        for band in ["healthy", "fair", "danger", "unknown"] {
            assert_eq!(
                s["health"]["customers"][band].as_u64().unwrap(),
                listed(&format!("{day_arg} --health {band}")),
                "{day_arg} {band}"
            );
        }
        let by = stats(&env, &format!("{day_arg} --by csm"));
        for (csm, g) in by["groups"].as_object().unwrap() {
            for band in ["healthy", "fair", "danger", "unknown"] {
                assert_eq!(
                    g["health"]["customers"][band].as_u64().unwrap(),
                    listed(&format!("{day_arg} --csm {csm} --health {band}")),
                    "{day_arg} {csm} {band}"
                );
            }
        }
    }
    // As of 2026-10-15: S00001 (C0001) and S00010 (C0010) healthy.
    let past = stats(&env, "--today 2026-10-15");
    assert_eq!(past["health"]["customers"]["healthy"], 2);
    assert_eq!(past["health"]["healthy_rate"], 1.0);
    // Before the calibration: no customer with usage, no rate.
    let before = stats(&env, "--today 2026-06-29");
    assert_eq!(before["health"]["customers"]["unknown"], 15);
    assert_eq!(before["health"]["healthy_rate"], Value::Null);
    // By type, a customer counts in each type it has: C0001's basic
    // service is healthy, its subscriptions danger.
    let by_type = stats(&env, "--by service_type");
    assert_eq!(
        by_type["groups"]["basic"]["health"]["customers"]["healthy"],
        1
    );
    assert_eq!(
        by_type["groups"]["subscription"]["health"]["customers"]["danger"],
        1
    );
}

#[test]
fn stats_prints_the_health_block_in_every_format() {
    let env = fixture();
    let out = env.xaas("stats --csv --by csm").ok().stdout;
    for row in [
        "(all),health.customers.healthy,1",
        "(all),health.customers.danger,1",
        "(all),health.customers.unknown,12",
        "(all),health.healthy_rate,0.3333333333333333",
        "张伟,health.customers.danger,1",
        "张伟,health.healthy_rate,0.0",
        "陈静,health.healthy_rate,",
    ] {
        assert!(out.lines().any(|l| l == row), "{row}\n{out}");
    }
    env.xaas("stats --format table")
        .ok()
        .stdout_has("customers by health: healthy 1 · fair 1 · danger 1 · unknown 12")
        .stdout_has("healthy rate 健康率        33.3%   (1 / 3 with a known band)");
    env.xaas("stats --format table --lang zh")
        .ok()
        .stdout_has("客户健康度: 健康 1 · 一般 1 · 危险 1 · 未知 12")
        .stdout_has("健康率");
    env.xaas_with(&[("COLUMNS", "140")], "stats --format table --by csm")
        .ok()
        .stdout_has("healthy rate");
}

#[test]
fn stats_and_outcomes_with_the_health_filter_count_services_of_that_band() {
    let env = fixture();
    let s = stats(&env, "--health healthy");
    assert_eq!(s["services"]["total"], 3, "S00016, S00017, S00039");
    assert_eq!(s["services"]["amount"], 294000.0);
    // A customer with a healthy service, over its healthy services only.
    assert_eq!(s["customers"]["total"], 3);
    assert_eq!(s["health"]["customers"]["healthy"], 3);
    // The cohort: S00001 (danger) and S00002 (fair) expired in it, open.
    let danger = stats(&env, "--health danger");
    assert_eq!(danger["renewal"]["due_terms"], 1);
    assert_eq!(danger["renewal"]["open_terms"], 1);
    let out = env.xaas("outcomes --health danger --csv").ok().stdout;
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains(",S00001,"), "{out}");
    assert_eq!(stats(&env, "--health healthy")["renewal"]["due_terms"], 0);
    env.xaas("outcomes --health healthy").ok().stdout_empty();
}

#[test]
fn without_a_calibration_every_band_is_unknown() {
    let env = Env::new();
    env.import_examples();
    assert_eq!(known(&env, "export"), (vec![], 50));
    env.xaas("list --services --health danger")
        .ok()
        .stdout_empty()
        .stderr_empty();
    assert_eq!(
        env.xaas("export --format tsv --health unknown")
            .ok()
            .ids()
            .len(),
        50
    );
    let s = stats(&env, "");
    assert_eq!(
        s["health"],
        json!({"customers": {"healthy": 0, "fair": 0, "danger": 0, "unknown": 15},
               "healthy_rate": null})
    );
    assert_eq!(stats(&env, "--health fair")["services"]["total"], 0);
}

/// `health explain`: each indicator's value, percentile and weight, as
/// text or JSON; S00001 had 5 of 100 active (below every renewed
/// customer's 0.1..1.0: percentile 0) and 1 feature (below 2, 4, 6: 0).
#[test]
fn explain_gives_each_indicator_as_text_or_json() {
    let env = fixture();
    env.xaas("health explain S00001")
        .ok()
        .stdout_has("S00001 (")
        .stdout_has("danger, score 0.0")
        .stdout_has("danger below 20.0, fair below 50.0");
    let j = env.xaas("health explain S00001 --json").ok().json();
    assert_eq!(j["health"], "danger");
    assert_eq!(j["health_score"], 0.0);
    assert_eq!(j["usage_day"], "2026-11-01");
    assert_eq!(j["calibration"]["as_of"], "2026-06-30");
    let parts = j["parts"].as_array().unwrap();
    let part = |id: &str| parts.iter().find(|p| p["indicator"] == id).unwrap().clone();
    assert_eq!(part("active_ratio")["value"], 0.05);
    assert_eq!(part("active_ratio")["percentile"], 0.0);
    assert_eq!(part("features_used")["value"], 1.0);
    assert_eq!(
        part("actions_per_account")["value"],
        serde_json::Value::Null
    );
    env.xaas("health explain S00001 --csv")
        .fails(2)
        .stderr_has("prints text or JSON");
    env.xaas("health explain S99999").fails(1);
}

/// What the team rules refuse, and when health uses a change.
#[test]
fn health_settings_and_calibrations_that_make_no_sense_are_refused() {
    let env = fixture();
    let snapshot = || {
        (
            env.db_bytes(),
            env.dump(),
            env.sql("SELECT * FROM settings ORDER BY 1"),
            env.sql("SELECT id, as_of FROM calibrations ORDER BY 1"),
            env.sql("SELECT service_id, cal, band FROM indicators ORDER BY 1"),
        )
    };
    let before = snapshot();
    env.xaas("settings health_weights 0,0,0,0")
        .fails(2)
        .stderr_has("not all zero");
    env.xaas("settings health_danger_pct 50")
        .fails(2)
        .stderr_has("health_danger_pct (50) would be above health_fair_pct (40)");
    env.xaas("health calibrate --as-of 2026-12-01")
        .fails(2)
        .stderr_has("--as-of 2026-12-01 is after today (2026-11-23)");
    env.xaas("health backtest --csv")
        .fails(2)
        .stderr_has("health backtest prints text or JSON");
    assert_eq!(snapshot(), before, "nothing written");
    env.xaas("settings health_fair_pct 60")
        .ok()
        .stderr_has("from the next `xaas health calibrate`");
    env.xaas("settings health_danger_pct 50").ok();
}
