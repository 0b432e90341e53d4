//! Health against a book with a known answer (`examples/gen_book.rs`):
//! the generated propensity shapes usage and decides renewals, so a sound
//! score separates renewed from lost, and usage shuffled across services
//! must not.

use super::gen_book::{generate, write};
use super::*;

/// A season of the generated book in a fresh database: the first list,
/// the usage, then each month's renewals imported on that month's last
/// day (when xaas records them).
fn season(shuffle: bool) -> Env {
    let env = Env::new();
    let book = generate(1000, 42, shuffle);
    let dir = env.dir.path().join("book");
    write(&book, &dir).unwrap();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    env.on("2024-12-31")
        .xaas(&format!("import {}", path("services.csv")))
        .ok();
    // Usage runs to 2026-11-30: imported once that day has passed.
    env.run(&[
        "--today",
        "2026-11-30",
        "usage",
        "import",
        &path("usage.csv"),
    ])
    .ok();
    for (month, _, end) in &book.renewals {
        env.run(&[
            "--today",
            &end.to_string(),
            "import",
            &path(&format!("renewals-{month}.csv")),
        ])
        .ok();
    }
    env
}

fn backtest(env: &Env) -> serde_json::Value {
    env.on("2026-11-30")
        .xaas("health backtest --from 2026-01-01 --to 2026-06-30 --json")
        .ok()
        .json()
}

#[test]
fn the_score_separates_renewed_from_lost_on_the_generated_book() {
    let env = season(false);
    env.on("2026-11-30")
        .xaas("health calibrate --as-of 2026-01-01")
        .ok()
        .stdout_has("calibration 1 as of 2026-01-01");
    let b = backtest(&env);
    let auc = b["auc"].as_f64().unwrap();
    assert!(auc >= 0.75, "AUC {auc}: {b:#}");
    let rate = |band: &str| b["bands"][band]["loss_rate"].as_f64().unwrap();
    assert!(
        rate("danger") >= 2.0 * rate("healthy"),
        "danger {} vs healthy {}",
        rate("danger"),
        rate("healthy")
    );
    let c = &b["confusion"];
    let sum: u64 = ["tp", "fp", "fn", "tn"]
        .iter()
        .map(|k| c[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, b["terms"].as_u64().unwrap());
    let lost: u64 = ["danger", "fair", "healthy", "unknown"]
        .iter()
        .map(|k| b["bands"][k]["lost"].as_u64().unwrap())
        .sum();
    assert_eq!(lost, b["lost"].as_u64().unwrap());
    // Judged and not judged (still open or suspended) are the cohort
    // `outcomes` lists for the period.
    let cohort = env
        .on("2026-11-30")
        .xaas("outcomes --from 2026-01-01 --to 2026-06-30 --format csv")
        .ok()
        .stdout
        .lines()
        .count() as u64
        - 1;
    let not_judged = b["not_judged"].as_u64().unwrap();
    assert_eq!(b["terms"].as_u64().unwrap() + not_judged, cohort);
    // A period not over yet says how much of it is not judged.
    env.on("2026-11-30")
        .xaas("health backtest --from 2026-11-01 --to 2026-11-30")
        .ok()
        .stdout_has("of the period not closed yet (open or suspended) are not judged");

    // No leakage: usage dated after each term's T−90, however wild,
    // changes nothing in the backtest.
    let mut late = String::from("service_id,date,active_users,key_actions,features_used\n");
    let minus_89 = if env.is_pg() {
        "to_char(CAST(expiry_date AS date) - 89, 'YYYY-MM-DD')"
    } else {
        "date(expiry_date, '-89 days')"
    };
    for row in env.sql(&format!(
        "SELECT * FROM (SELECT service_id, {minus_89} AS d FROM terms
         UNION SELECT service_id, {minus_89} FROM services) AS t
         WHERE d <= '2026-11-30'",
    )) {
        late.push_str(&format!("{},{},0,0,1\n", row[0], row[1]));
    }
    let file = env.file("late.csv", late);
    env.run(&["--today", "2026-11-30", "usage", "import", &file])
        .ok();
    assert_eq!(backtest(&env), b);
}

#[test]
fn shuffled_usage_predicts_nothing() {
    let env = season(true);
    let b = backtest(&env);
    let auc = b["auc"].as_f64().unwrap();
    assert!(auc <= 0.6, "AUC {auc} on shuffled usage: {b:#}");
}

/// `today`'s first page judges the health of only the services that can
/// still make it (`worklist::first`): it must be the head of the whole
/// list, with real bands, for the team, one CSM and a past day.
#[test]
fn a_first_page_is_the_head_of_the_whole_worklist_with_health() {
    let env = season(false);
    env.on("2026-06-30").xaas("health calibrate").ok();
    // The busiest CSM, a tie broken by the name's bytes (as both engines
    // would not agree on the order of Chinese names).
    let csm = env
        .sql("SELECT csm, count(*) FROM customers GROUP BY csm")
        .into_iter()
        .max_by(|a, b| {
            let n = |r: &Vec<String>| r[1].parse::<u64>().unwrap();
            n(a).cmp(&n(b)).then(b[0].as_bytes().cmp(a[0].as_bytes()))
        })
        .map(|r| r[0].clone())
        .unwrap();
    for (day, extra) in [
        ("2026-11-30", String::new()),
        ("2026-11-30", format!("--csm {csm}")),
        ("2026-08-15", String::new()),
    ] {
        let all = env
            .on(day)
            .xaas(&format!("today --limit 0 --format tsv {extra}"))
            .ok();
        let all: Vec<&str> = all.stdout.lines().collect();
        let n = all.len() - 1;
        assert!(n > 50, "{day} {extra}: {n} rows");
        for band in ["danger", "healthy"] {
            assert!(
                all.iter().any(|l| l.contains(band)),
                "{day} {extra}: no {band}"
            );
        }
        for limit in [1, 7, 50] {
            let page = env
                .on(day)
                .xaas(&format!("today --limit {limit} --format tsv {extra}"))
                .ok()
                .stderr_has(&format!("{limit} of {n} shown"));
            let page: Vec<&str> = page.stdout.lines().collect();
            assert_eq!(page, all[..=limit], "{day} {extra} --limit {limit}");
        }
    }
}
