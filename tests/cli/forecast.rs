//! `forecast` and `forecast --backtest`: a small book worked by hand to
//! the cent, and a generated season whose renewal behaviour by status is
//! known, so the rates learned from the history must come out in its
//! order.

use super::gen_book::Rng;
use super::*;

use chrono::{Datelike, Days, Months, NaiveDate};
use xaas::db::{Db, Open};
use xaas::followup::Request;
use xaas::history::{Actor, Via};
use xaas::ops::followup::{set, Target};
use xaas::record::Notes;
use xaas::status::Status;

const HEAD: &str = "customer_id,customer_name,csm,service_id,service_type,expiry_date,amount\n";

/// The hand-worked book (today 2026-11-23):
/// - P01…P20 (1,000.00 each) expired 2026-06-15, `no_risk` since
///   2026-05-01; P01…P15 renewed on 2026-06-10, the others lapsed:
///   no_risk learns 15 / 20 = 0.75.
/// - Q1, Q2 (1,000.00) expired 2026-07-15, `at_risk` since 2026-06-01;
///   Q1 renewed, Q2 not renewing: at_risk has 2 samples, below 20, so
///   its default 0.20 applies; pending has none (default 0.50).
/// - In the default period (2026-11-23 … 2027-02-21): F1 10,000.01
///   no_risk, F2 3,333.33 at_risk, F3 5,000.00 pending (no status), F4
///   2,000.00 renewed, F5 1,500.00 not renewing; F6 expires later.
fn small() -> Env {
    let env = Env::new();
    let mut csv = String::from(HEAD);
    for i in 1..=20 {
        csv += &format!("C1,华宇,张伟,P{i:02},subscription,2026-06-15,1000.00\n");
    }
    csv += "C1,华宇,张伟,Q1,subscription,2026-07-15,1000.00\n";
    csv += "C1,华宇,张伟,Q2,subscription,2026-07-15,1000.00\n";
    csv += "C1,华宇,张伟,F1,subscription,2026-12-10,10000.01\n";
    csv += "C2,远景,王芳,F2,subscription,2027-01-05,3333.33\n";
    csv += "C1,华宇,张伟,F3,managed,2027-02-01,5000.00\n";
    csv += "C2,远景,王芳,F4,subscription,2026-12-20,2000.00\n";
    csv += "C2,远景,王芳,F5,subscription,2026-12-01,1500.00\n";
    csv += "C2,远景,王芳,F6,subscription,2027-06-01,9000.00\n";
    let list = env.file("list.csv", csv);
    env.on("2026-04-01").xaas(&format!("import {list}")).ok();
    let p: Vec<String> = (1..=20).map(|i| format!("--service P{i:02}")).collect();
    env.on("2026-05-01")
        .xaas(&format!("followup set {} --status no_risk", p.join(" ")))
        .ok();
    let mut renewals = String::from(HEAD);
    for i in 1..=15 {
        renewals += &format!("C1,华宇,张伟,P{i:02},subscription,2027-06-15,1000.00\n");
    }
    let renewals = env.file("renewals.csv", renewals);
    env.on("2026-06-10")
        .xaas(&format!("import {renewals}"))
        .ok();
    env.on("2026-06-01")
        .xaas("followup set --service Q1 --service Q2 --status at_risk")
        .ok();
    env.on("2026-07-01")
        .xaas("renew Q1 --until 2027-07-15")
        .ok();
    env.on("2026-07-10")
        .xaas("followup set --service Q2 --status not_renewing --reason budget")
        .ok();
    env.xaas("followup set --service F1 --status no_risk").ok();
    env.xaas("followup set --service F2 --status at_risk").ok();
    env.xaas("followup set --service F5 --status not_renewing --reason budget")
        .ok();
    env.xaas("renew F4 --until 2027-12-20").ok();
    env
}

#[test]
fn the_forecast_of_a_small_book_is_worked_to_the_cent() {
    let env = small();
    let j = env.xaas("forecast --json").ok().json();
    assert_eq!(j["from"], "2026-11-23");
    assert_eq!(j["to"], "2027-02-21");
    assert_eq!(j["due"]["terms"], 5);
    assert_eq!(j["renewed"]["amount"], 2000.0);
    assert_eq!(j["lost"]["amount"], 1500.0);
    assert_eq!(j["open"]["terms"], 3);
    assert_eq!(j["open"]["amount"], 18333.34);
    // 1,000,001 × 0.75 + 333,333 × 0.20 + 500,000 × 0.50 = 1,066,667.35 cents.
    assert_eq!(j["expected"], 10666.67);
    // The same with each rate's 80 % Wilson ends: no_risk 15/20 →
    // 0.6102–0.8518; the defaults as 20 samples: 0.1102–0.3353,
    // 0.3623–0.6377.
    assert_eq!(j["low"], 8281.17);
    assert_eq!(j["high"], 12824.5);
    assert_eq!(j["projected"]["expected"], 12666.67);
    let r = &j["rates"];
    assert_eq!(r["no_risk"]["rate"], 0.75);
    assert_eq!(r["no_risk"]["samples"], 20);
    assert_eq!(r["no_risk"]["renewed"], 15);
    assert_eq!(r["no_risk"]["default"], false);
    assert_eq!(r["no_risk"]["low"], 0.6102);
    assert_eq!(r["at_risk"]["samples"], 2);
    assert_eq!(r["at_risk"]["renewed"], 1);
    assert_eq!(r["at_risk"]["default"], true);
    assert_eq!(r["at_risk"]["rate"], 0.2);
    assert_eq!(r["pending"]["samples"], 0);
    assert_eq!(r["pending"]["default"], true);
    assert_eq!(r["renewing"]["rate"], 0.9);
    assert_eq!(r["no_risk"]["expected"], 7500.01);

    // The table says which rates are defaults, and fits 80 columns.
    let t = env
        .xaas_with(&[("COLUMNS", "80")], "forecast --format table")
        .ok();
    let t = t
        .stdout_has("10,666.67")
        .stdout_has("80% range 8,281.17 – 12,824.50")
        .stdout_has("20.0% *")
        .stdout_has("* default: below 20 samples");
    for line in t.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let csv = env.xaas("forecast --format csv").ok();
    csv.stdout_has("(all),expected,10666.67")
        .stdout_has("(all),rate.no_risk.samples,20")
        .stdout_has("(all),rate.at_risk.default,true");
}

#[test]
fn a_split_shares_the_rates_and_adds_up() {
    let env = small();
    let j = env.xaas("forecast --by csm --json").ok().json();
    let g = &j["groups"];
    assert_eq!(g["王芳"]["expected"], 666.67);
    assert_eq!(g["王芳"]["renewed"]["amount"], 2000.0);
    assert_eq!(g["张伟"]["expected"], 10000.01);
    assert_eq!(g["张伟"]["open"]["terms"], 2);
    let by_type = env.xaas("forecast --by service_type --json").ok().json();
    assert_eq!(by_type["groups"]["managed"]["expected"], 2500.0);
    // A filter keeps the book's rates.
    let one = env.xaas("forecast --csm 王芳 --json").ok().json();
    assert_eq!(one["expected"], 666.67);
    assert_eq!(one["rates"]["no_risk"]["samples"], 20);
    // Rule 5: after 华宇 moves to 王芳, its terms that expired before
    // still count for 张伟.
    let moved = env.file(
        "moved.csv",
        "customer_id,customer_name,csm,service_id,service_type,expiry_date\n\
         C1,华宇,王芳,F6,subscription,2027-06-01\n",
    );
    env.on("2026-09-01").xaas(&format!("import {moved}")).ok();
    let past = env
        .xaas("forecast --from 2026-06-01 --to 2026-07-31 --by csm --json")
        .ok()
        .json();
    assert_eq!(past["groups"]["张伟"]["renewed"]["amount"], 16000.0);
    assert_eq!(past["groups"]["张伟"]["lost"]["terms"], 6);
    assert!(past["groups"].get("王芳").is_none(), "{past:#}");
    let now = env.xaas("forecast --by csm --json").ok().json();
    assert_eq!(now["groups"]["王芳"]["expected"], 10666.67);
}

#[test]
fn an_empty_period_and_chinese() {
    let env = small();
    let j = env
        .xaas("forecast --from 2030-01-01 --to 2030-01-31 --json")
        .ok()
        .json();
    assert_eq!(j["due"]["terms"], 0);
    assert_eq!(j["expected"], 0.0);
    env.xaas("forecast --from 2030-01-01 --to 2030-01-31 --format table")
        .ok()
        .stdout_has("no terms expire between 2030-01-01 and 2030-01-31");
    env.xaas("--lang zh forecast --format table")
        .ok()
        .stdout_has("续费预测")
        .stdout_has("跟进中预计续费")
        .stdout_has("跟进中-无风险")
        .stdout_has("* 默认值：样本少于 20 个");
    env.xaas("--lang zh forecast --backtest --from 2026-06-01 --to 2026-07-31 --format table")
        .ok()
        .stdout_has("回测")
        .stdout_has("平均绝对误差率");
    env.xaas("--lang zh forecast --backtest --to 2026-12-31")
        .fails(2)
        .stderr_has("需要已过去的时间段");
    env.xaas("forecast --backtest --by csm")
        .fails(2)
        .stderr_has("--backtest does not split");
}

#[test]
fn the_backtest_of_the_small_book_compares_each_month() {
    let env = small();
    let j = env
        .xaas("forecast --backtest --from 2026-06-01 --to 2026-07-31 --json")
        .ok()
        .json();
    let p = &j["periods"];
    // June, as made on 2026-05-02: nothing learned yet (defaults); the
    // twenty P terms no_risk (0.80): 16,000.00; 15 renewed.
    assert_eq!(p[0]["made_on"], "2026-05-02");
    assert_eq!(p[0]["expected"], 16000.0);
    assert_eq!(p[0]["low"], 13294.21);
    assert_eq!(p[0]["high"], 17795.08);
    assert_eq!(p[0]["actual"], 15000.0);
    assert_eq!(p[0]["error"], -1000.0);
    assert_eq!(p[0]["error_pct"], -0.0667);
    assert_eq!(p[0]["in_range"], true);
    // July, as made on 2026-06-01 (the day Q1 and Q2 went at_risk).
    assert_eq!(p[1]["expected"], 400.0);
    assert_eq!(p[1]["actual"], 1000.0);
    assert_eq!(p[1]["error"], 600.0);
    assert_eq!(p[1]["in_range"], false);
    assert_eq!(j["mape"], 0.3333);
    assert_eq!(j["hits"], 1);
    env.xaas("forecast --backtest --from 2026-06-01 --to 2026-07-31 --format table")
        .ok()
        .stdout_has("2026-06")
        .stdout_has("-1,000.00")
        .stdout_has("-6.7%")
        .stdout_has("mean absolute error 33.3%")
        .stdout_has("1 of 2 months");
    env.xaas("forecast --backtest --from 2026-06-01 --to 2026-07-31 --format csv")
        .ok()
        .stdout_has("from,to,made_on,expected,low,high,actual,error,error_pct,in_range")
        .stdout_has("2026-06-01,2026-06-30,2026-05-02,16000.00,13294.21,17795.08,15000.00,-1000.00,-0.0667,true");
}

/// How likely a term in each status 30-60 days before expiry renews, in
/// the generated season.
const BEHAVIOUR: [(Status, f64); 5] = [
    (Status::Renewing, 0.95),
    (Status::NoRisk, 0.8),
    (Status::IdentifyingRisk, 0.5),
    (Status::AtRisk, 0.2),
    (Status::Pending, 0.6),
];

/// A season with known renewal behaviour by status: `n` services
/// expiring 2025-03 … 2026-10, one import; each set (through the
/// library's write path, dated) to a status 34-46 days before expiry by
/// the week of its expiry (pending: left alone), renewed with that
/// status's probability by an import on the last day of its expiry
/// month (two years on), else left to lapse.
fn season(n: usize) -> Env {
    let env = Env::new();
    let mut rng = Rng::new(2026);
    let first = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let span = (NaiveDate::from_ymd_opt(2026, 10, 31).unwrap() - first).num_days() as u64;
    let mut csv = String::from(HEAD);
    // (service, expiry, status, renews)
    let mut book = Vec::new();
    for i in 0..n {
        let expiry = first + Days::new(rng.below(span + 1));
        let (status, p) = BEHAVIOUR[rng.below(5) as usize];
        let renews = rng.unit() < p;
        let id = format!("G{i:05}");
        let csm = ["张伟", "王芳", "李娜"][i % 3];
        let amount = 10_000 + 1_000 * rng.below(50);
        csv += &format!("K{i:05},客户{i},{csm},{id},subscription,{expiry},{amount}.00\n");
        book.push((id, expiry, status, renews));
    }
    let list = env.file("season.csv", csv);
    env.on("2025-01-01").xaas(&format!("import {list}")).ok();
    // Statuses: one write per week of expiry and status.
    let mut db = Db::open(Path::new(&env.db_arg()), Open::MustExist).unwrap();
    let mut batches: std::collections::BTreeMap<(NaiveDate, usize), Vec<String>> =
        Default::default();
    for (id, expiry, status, _) in &book {
        if *status == Status::Pending {
            continue;
        }
        let monday = *expiry - Days::new(u64::from(expiry.weekday().num_days_from_monday()));
        let k = BEHAVIOUR.iter().position(|(s, _)| s == status).unwrap();
        batches
            .entry((monday - Days::new(40), k))
            .or_default()
            .push(id.clone());
    }
    for ((day, k), ids) in batches {
        let who = Actor {
            author: "tester".into(),
            at: format!("{day}T09:00:00+08:00"),
            today: day,
            source: Via::Manual,
        };
        let req = Request {
            to: BEHAVIOUR[k].0,
            reason: None,
        };
        set(
            &mut db,
            &Target::Services(ids),
            &req,
            &Notes::default(),
            None,
            &who,
        )
        .unwrap();
    }
    drop(db);
    // Renewals: one import per month, on its last day.
    let mut month = first;
    while month <= NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() {
        let end = month + Months::new(1) - Days::new(1);
        let mut text =
            String::from("customer_id,customer_name,csm,service_id,service_type,expiry_date\n");
        for (i, (id, expiry, _, renews)) in book.iter().enumerate() {
            if *renews && *expiry >= month && *expiry <= end {
                let csm = ["张伟", "王芳", "李娜"][i % 3];
                text += &format!(
                    "K{i:05},客户{i},{csm},{id},subscription,{}\n",
                    *expiry + Months::new(24)
                );
            }
        }
        let file = env.file(&format!("renewals-{month}.csv"), text);
        env.on(&end.to_string())
            .xaas(&format!("import {file}"))
            .ok();
        month = month + Months::new(1);
    }
    env
}

#[test]
fn rates_learned_from_a_generated_season_follow_its_behaviour() {
    let env = season(1500);
    let j = env.xaas("forecast --json").ok().json();
    let rate = |s: &str| {
        let r = &j["rates"][s];
        assert_eq!(r["default"], false, "{s}: {r}");
        assert!(r["samples"].as_u64().unwrap() >= 150, "{s}: {r}");
        r["rate"].as_f64().unwrap()
    };
    let (renewing, no_risk, identifying, at_risk) = (
        rate("renewing"),
        rate("no_risk"),
        rate("identifying_risk"),
        rate("at_risk"),
    );
    assert!(
        renewing > no_risk && no_risk > identifying && identifying > at_risk,
        "{:#}",
        j["rates"]
    );
    // And near the probabilities they were drawn with.
    for (s, p) in [
        ("renewing", 0.95),
        ("no_risk", 0.8),
        ("identifying_risk", 0.5),
        ("at_risk", 0.2),
        ("pending", 0.6),
    ] {
        let r = rate(s);
        assert!((r - p).abs() < 0.1, "{s}: {r} vs {p}");
    }
    // The backtest prints each month's error; the forecast lands near
    // what happened.
    let b = env
        .xaas("forecast --backtest --from 2026-01-01 --to 2026-06-30 --json")
        .ok()
        .json();
    let periods = b["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 6);
    for p in periods {
        assert!(p["error"].is_number() && p["error_pct"].is_number(), "{p}");
        assert!(p["actual"].as_f64().unwrap() > 0.0, "{p}");
    }
    let mape = b["mape"].as_f64().unwrap();
    assert!(mape < 0.2, "mean absolute error {mape}: {b:#}");
    // The range is the rates' uncertainty only, not the luck of which
    // terms renew: on ~75 terms a month it is often missed. The count
    // says so honestly.
    let hits = periods.iter().filter(|p| p["in_range"] == true).count();
    assert_eq!(b["hits"].as_u64().unwrap() as usize, hits);
    env.xaas("forecast --backtest --from 2026-01-01 --to 2026-06-30 --format table")
        .ok()
        .stdout_has("2026-03")
        .stdout_has("months");
}
