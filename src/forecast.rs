//! The renewal forecast (`xaas forecast`): what the terms expiring in a
//! period will bring, from the rate at which past terms renewed given the
//! status they were in 30 days before their expiry. Pure: `db::forecast`
//! reads the samples and the terms, the CLI prints what comes out.
//!
//! - A **sample** is a past term with a known outcome (renewed, or lost:
//!   `not_renewing` or lapsed) and its status on expiry − 30 days (the
//!   last status entry of that term dated on or before it; none: pending).
//! - A status's **rate** is renewed / samples of that status; below
//!   `MIN_SAMPLES` samples it is that status's `default_rate`.
//! - Each open term is expected to bring its amount × its status's rate;
//!   the low and high ends take each rate's 80 % Wilson interval.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::{json, Map, Value};

use crate::date::iso;
use crate::money::Cents;
use crate::stats::{Dim, Period};
use crate::status::Status;

/// How many days before its expiry a term's status is read to learn from.
pub const LEAD_DAYS: u64 = 30;
/// The default period: today and the next 90 days.
pub const DEFAULT_DAYS: u64 = 90;
/// Below this many samples a status's rate is its default.
pub const MIN_SAMPLES: u64 = 20;
/// The normal quantile of an 80 % two-sided interval.
pub const Z80: f64 = 1.2816;

/// The statuses the forecast rates: the open ones (rule 9).
pub const RATED: [Status; 5] = [
    Status::Pending,
    Status::IdentifyingRisk,
    Status::AtRisk,
    Status::NoRisk,
    Status::Renewing,
];

/// The rate a status gets below `MIN_SAMPLES` samples: renewing 0.90,
/// no_risk 0.80, identifying_risk 0.50, pending 0.50, at_risk 0.20 (the
/// team's rule of thumb, in the README).
pub fn default_rate(s: Status) -> f64 {
    match s {
        Status::Renewing => 0.90,
        Status::NoRisk => 0.80,
        Status::AtRisk => 0.20,
        _ => 0.50,
    }
}

/// The Wilson score interval of `k` successes in `n` trials at normal
/// quantile `z`: (low, high). No trials: (0, 1).
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    interval(k as f64 / n as f64, n, z)
}

/// Wilson's interval around a proportion `p` of `n` trials.
fn interval(p: f64, n: u64, z: f64) -> (f64, f64) {
    let n = n as f64;
    let z2 = z * z;
    let den = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / den;
    let half = z / den * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The status an open term is rated by: a term with no status yet is
/// pending (rule 1); a closed one is not rated.
pub fn rated_as(s: Status) -> Option<Status> {
    match s {
        Status::Unset => Some(Status::Pending),
        s if s.is_open() => Some(s),
        _ => None,
    }
}

/// A past term with a known outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    pub expiry: NaiveDate,
    /// The day its outcome was known: the renewal's, the `not_renewing`'s,
    /// or the lapse's (expiry + grace_days + 1).
    pub known_on: NaiveDate,
    /// Its status on expiry − `LEAD_DAYS`.
    pub status: Status,
    pub renewed: bool,
}

/// One status's rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub status: Status,
    /// Samples, and the renewed among them.
    pub samples: u64,
    pub renewed: u64,
    /// The rate used: renewed / samples, or the default.
    pub rate: f64,
    pub low: f64,
    pub high: f64,
    pub default: bool,
}

/// A status's rate from (status, renewed) samples: its own share renewed
/// with its Wilson interval, or below `MIN_SAMPLES` its default, whose
/// interval is that of `MIN_SAMPLES` samples at the default rate.
pub fn rate(status: Status, samples: impl IntoIterator<Item = (Status, bool)>) -> Rate {
    let (mut n, mut k) = (0u64, 0u64);
    for (s, renewed) in samples {
        if s == status {
            n += 1;
            k += u64::from(renewed);
        }
    }
    if n < MIN_SAMPLES {
        let p = default_rate(status);
        let (low, high) = interval(p, MIN_SAMPLES, Z80);
        return Rate {
            status,
            samples: n,
            renewed: k,
            rate: p,
            low,
            high,
            default: true,
        };
    }
    let (low, high) = wilson(k, n, Z80);
    Rate {
        status,
        samples: n,
        renewed: k,
        rate: k as f64 / n as f64,
        low,
        high,
        default: false,
    }
}

/// The rates of the `RATED` statuses, in that order.
#[derive(Clone, Debug, PartialEq)]
pub struct Rates(pub Vec<Rate>);

impl Rates {
    /// Learned from the samples whose outcome was known by `day` of terms
    /// that expired before it.
    pub fn learn(samples: &[Sample], day: NaiveDate) -> Rates {
        let known = || {
            samples
                .iter()
                .filter(move |s| s.expiry < day && s.known_on <= day)
                .map(|s| (s.status, s.renewed))
        };
        Rates(RATED.iter().map(|&st| rate(st, known())).collect())
    }

    pub fn of(&self, s: Status) -> Option<&Rate> {
        self.0.iter().find(|r| r.status == s)
    }
}

/// A count and an amount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u64,
    pub amount: Cents,
}

impl Tally {
    fn add(&mut self, amount: Cents) {
        self.count += 1;
        self.amount += amount;
    }
}

/// Where a term of the period stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Renewed,
    /// `not_renewing` or lapsed.
    Lost,
    /// Suspended: closed for the term, neither renewed nor lost.
    Suspended,
    /// Open in this (effective) status.
    Open(Status),
}

/// The figures of one group of terms (or of all).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub renewed: Tally,
    pub lost: Tally,
    pub suspended: Tally,
    pub open: Tally,
    /// Open terms by rated status, in `RATED` order.
    pub open_by_status: [Tally; 5],
    /// Σ amount × rate over the open terms, in (fractional) cents.
    expected: f64,
    low: f64,
    high: f64,
}

impl Figures {
    pub fn add(&mut self, state: State, amount: Cents, rates: &Rates) {
        match state {
            State::Renewed => self.renewed.add(amount),
            State::Lost => self.lost.add(amount),
            State::Suspended => self.suspended.add(amount),
            State::Open(s) => {
                let s = rated_as(s).unwrap_or(Status::Pending);
                self.open.add(amount);
                if let Some(i) = RATED.iter().position(|&r| r == s) {
                    self.open_by_status[i].add(amount);
                }
                if let Some(r) = rates.of(s) {
                    let a = amount.0 as f64;
                    self.expected += a * r.rate;
                    self.low += a * r.low;
                    self.high += a * r.high;
                }
            }
        }
    }

    /// The expected amount of the open terms, to the cent.
    pub fn expected(&self) -> Cents {
        Cents(self.expected.round() as i128)
    }

    pub fn low(&self) -> Cents {
        Cents(self.low.round() as i128)
    }

    pub fn high(&self) -> Cents {
        Cents(self.high.round() as i128)
    }

    /// Renewed so far plus the expected amount of the open terms, and its
    /// range: what the period is forecast to bring.
    pub fn projected(&self) -> (Cents, Cents, Cents) {
        let r = self.renewed.amount;
        (r + self.expected(), r + self.low(), r + self.high())
    }

    /// Due terms: every term expiring in the period.
    pub fn due(&self) -> Tally {
        let mut t = self.renewed;
        for x in [self.lost, self.suspended, self.open] {
            t.count += x.count;
            t.amount += x.amount;
        }
        t
    }
}

/// The forecast for one period.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    pub as_of: NaiveDate,
    pub period: Period,
    pub by: Option<Dim>,
    pub rates: Rates,
    pub total: Figures,
    /// By the split's value, in value order (`stats::NO_VALUE` for none).
    pub groups: Vec<(String, Figures)>,
}

/// The default period: `today` and the next `DEFAULT_DAYS` days.
pub fn default_period(today: NaiveDate) -> Period {
    Period {
        from: today,
        to: today
            .checked_add_days(Days::new(DEFAULT_DAYS))
            .unwrap_or(today),
    }
}

/// The day a status is read on to learn from a term expiring on `expiry`.
pub fn lead_day(expiry: NaiveDate) -> NaiveDate {
    expiry
        .checked_sub_days(Days::new(LEAD_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// The calendar months the span touches, each clipped to it.
pub fn months(span: Period) -> Vec<Period> {
    let mut out = Vec::new();
    let mut first = NaiveDate::from_ymd_opt(span.from.year(), span.from.month(), 1)
        .expect("the first of a month");
    while first <= span.to {
        let next = first + Months::new(1);
        let last = next - Days::new(1);
        out.push(Period {
            from: first.max(span.from),
            to: last.min(span.to),
        });
        first = next;
    }
    out
}

/// The default backtest span: the six full months before today's month.
pub fn default_backtest(today: NaiveDate) -> Period {
    let this = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a first");
    Period {
        from: this - Months::new(6),
        to: this - Days::new(1),
    }
}

/// A status or renewal entry of a term: its day, and the status it set
/// (`Renewed` for a renewal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub day: NaiveDate,
    pub to: Status,
}

/// Where a term stood at the end of `day`, from its entries in date
/// order: renewed once a renewal is dated by then, else as its last
/// status entry by then set it, else pending (in the window, not yet
/// followed up). A backtest's day is 30 days or more before the expiry,
/// so nothing has lapsed yet.
pub fn state_on(events: &[Event], day: NaiveDate) -> State {
    if events
        .iter()
        .any(|e| e.day <= day && e.to == Status::Renewed)
    {
        return State::Renewed;
    }
    let last = events.iter().rev().find(|e| e.day <= day);
    state_of(last.map_or(Status::Pending, |e| e.to))
}

/// A term's state from its effective status.
pub fn state_of(s: Status) -> State {
    match s {
        Status::Renewed => State::Renewed,
        Status::NotRenewing | Status::Lapsed => State::Lost,
        Status::Suspended => State::Suspended,
        open => State::Open(open),
    }
}

/// One period of a backtest: the forecast as made on `as_of` (30 days
/// before the period), and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtested {
    pub period: Period,
    pub as_of: NaiveDate,
    pub rates: Rates,
    /// The terms as they stood on `as_of`.
    pub then: Figures,
    /// The renewed amount of the period's terms, as of today.
    pub actual: Cents,
}

impl Backtested {
    /// The forecast: renewed by then plus the open terms' expected amount.
    pub fn expected(&self) -> Cents {
        self.then.projected().0
    }

    pub fn low(&self) -> Cents {
        self.then.projected().1
    }

    pub fn high(&self) -> Cents {
        self.then.projected().2
    }

    /// actual − expected.
    pub fn error(&self) -> Cents {
        Cents(self.actual.0 - self.expected().0)
    }

    /// The error as a share of the actual amount (`None` when it is 0).
    pub fn error_pct(&self) -> Option<f64> {
        (self.actual.0 != 0).then(|| self.error().0 as f64 / self.actual.0 as f64)
    }

    /// Whether the actual amount fell in the range; `None` for a month
    /// with nothing forecast and nothing renewed (no terms: no test).
    pub fn hit(&self) -> Option<bool> {
        (self.high().0 != 0 || self.actual.0 != 0)
            .then(|| self.low() <= self.actual && self.actual <= self.high())
    }
}

/// A backtest over the months of a past span.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtest {
    pub span: Period,
    pub rows: Vec<Backtested>,
}

impl Backtest {
    /// The mean absolute percentage error over the periods with an actual
    /// amount.
    pub fn mape(&self) -> Option<f64> {
        let errs: Vec<f64> = self
            .rows
            .iter()
            .filter_map(|r| r.error_pct().map(f64::abs))
            .collect();
        (!errs.is_empty()).then(|| errs.iter().sum::<f64>() / errs.len() as f64)
    }

    pub fn hits(&self) -> usize {
        self.rows.iter().filter(|r| r.hit() == Some(true)).count()
    }

    /// The months with something to test (`hit` not `None`).
    pub fn scored(&self) -> usize {
        self.rows.iter().filter(|r| r.hit().is_some()).count()
    }
}

/// The day a backtest's forecast for `period` is made on.
pub fn made_on(period: Period) -> NaiveDate {
    lead_day(period.from)
}

/// Chinese headers of the forecast's columns and figures.
const HEADERS_ZH: &[(&str, &str)] = &[
    ("status", "续费跟进状态"),
    ("rate", "续费率"),
    ("range", "80% 区间"),
    ("low", "下限"),
    ("high", "上限"),
    ("renewed", "已续费"),
    ("samples", "样本数"),
    ("default", "默认值"),
    ("lost", "流失"),
    ("suspended", "挂起"),
    ("open", "跟进中"),
    ("open_terms", "跟进中数"),
    ("open_amount", "跟进中金额"),
    ("expected", "预计续费"),
    ("projected", "预计合计"),
    ("due", "到期"),
    ("month", "月份"),
    ("from", "开始"),
    ("to", "结束"),
    ("made_on", "预测日"),
    ("actual", "实际续费"),
    ("error", "误差"),
    ("error_pct", "误差率"),
    ("in_range", "落在区间内"),
    ("group", "分组"),
    ("figure", "指标"),
    ("value", "数值"),
];

/// The Chinese header of a forecast column (or a split's).
pub fn header_zh(key: &str) -> Option<&'static str> {
    HEADERS_ZH
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, zh)| *zh)
        .or_else(|| Dim::from_id(key).map(Dim::label_zh))
}

fn tally(t: Tally) -> Value {
    json!({"terms": t.count, "amount": t.amount.yuan()})
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Figures {
    /// A group's figures: due, renewed, lost, suspended and open terms
    /// with their amounts; the open terms' expected amount and its range;
    /// renewed + expected (`projected`).
    pub fn to_json(&self) -> Value {
        let (p, pl, ph) = self.projected();
        json!({
            "due": tally(self.due()),
            "renewed": tally(self.renewed),
            "lost": tally(self.lost),
            "suspended": tally(self.suspended),
            "open": tally(self.open),
            "expected": self.expected().yuan(),
            "low": self.low().yuan(),
            "high": self.high().yuan(),
            "projected": {"expected": p.yuan(), "low": pl.yuan(), "high": ph.yuan()},
        })
    }

    /// The expected amount of the open terms in one rated status.
    pub fn expected_of(&self, rates: &Rates, s: Status) -> Cents {
        let i = RATED.iter().position(|&r| r == s);
        match (i, rates.of(s)) {
            (Some(i), Some(r)) => {
                Cents((self.open_by_status[i].amount.0 as f64 * r.rate).round() as i128)
            }
            _ => Cents::default(),
        }
    }
}

impl Rates {
    /// By status: the rate, its range, renewed and samples, whether it is
    /// the default; with `open`, that status's open terms and what they
    /// are expected to bring.
    pub fn to_json(&self, open: Option<&Figures>) -> Value {
        let mut m = Map::new();
        for (i, r) in self.0.iter().enumerate() {
            let mut o = json!({
                "rate": round4(r.rate),
                "low": round4(r.low),
                "high": round4(r.high),
                "renewed": r.renewed,
                "samples": r.samples,
                "default": r.default,
            });
            if let Some(f) = open {
                let t = f.open_by_status.get(i).copied().unwrap_or_default();
                o["open"] = tally(t);
                o["expected"] = json!(f.expected_of(self, r.status).yuan());
            }
            m.insert(r.status.id().to_string(), o);
        }
        Value::Object(m)
    }
}

impl Forecast {
    /// `forecast --json`.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "as_of": iso(self.as_of),
            "from": iso(self.period.from),
            "to": iso(self.period.to),
            "min_samples": MIN_SAMPLES,
        });
        if let (Value::Object(m), Value::Object(f)) = (&mut v, self.total.to_json()) {
            m.extend(f);
            m.insert("rates".into(), self.rates.to_json(Some(&self.total)));
            if let Some(by) = self.by {
                m.insert("by".into(), json!(by.id()));
                let groups: Map<String, Value> = self
                    .groups
                    .iter()
                    .map(|(name, g)| (name.clone(), g.to_json()))
                    .collect();
                m.insert("groups".into(), Value::Object(groups));
            }
        }
        v
    }
}

impl Backtested {
    pub fn to_json(&self) -> Value {
        json!({
            "from": iso(self.period.from),
            "to": iso(self.period.to),
            "made_on": iso(self.as_of),
            "expected": self.expected().yuan(),
            "low": self.low().yuan(),
            "high": self.high().yuan(),
            "actual": self.actual.yuan(),
            "error": self.error().yuan(),
            "error_pct": self.error_pct().map(round4),
            "in_range": self.hit(),
            "then": self.then.to_json(),
            "rates": self.rates.to_json(None),
        })
    }
}

impl Backtest {
    /// `forecast --backtest --json`.
    pub fn to_json(&self) -> Value {
        json!({
            "from": iso(self.span.from),
            "to": iso(self.span.to),
            "periods": self.rows.iter().map(Backtested::to_json).collect::<Vec<_>>(),
            "mape": self.mape().map(round4),
            "hits": self.hits(),
            "scored": self.scored(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-5
    }

    #[test]
    fn wilson_matches_known_values() {
        // 80 %: worked from the formula by hand.
        let (lo, hi) = wilson(5, 10, Z80);
        assert!(close(lo, 0.3122) && close(hi, 0.6878), "{lo} {hi}");
        let (lo, hi) = wilson(8, 10, Z80);
        assert!(close(lo, 0.6016) && close(hi, 0.9138), "{lo} {hi}");
        // 95 %: Newcombe (1998), table I: 81/263 → 0.2553–0.3662,
        // 0/10 → 0–0.2775.
        let (lo, hi) = wilson(81, 263, 1.959964);
        assert!(close(lo, 0.2553) && close(hi, 0.3662), "{lo} {hi}");
        let (lo, hi) = wilson(0, 10, 1.959964);
        assert!(close(lo, 0.0) && close(hi, 0.2775), "{lo} {hi}");
        let (lo, hi) = wilson(20, 20, Z80);
        assert!(close(hi, 1.0) && close(lo, 0.9241), "{lo} {hi}");
        assert_eq!(wilson(0, 0, Z80), (0.0, 1.0));
    }

    #[test]
    fn a_rate_below_twenty_samples_is_the_default() {
        let few = vec![(Status::AtRisk, true); 19];
        let r = rate(Status::AtRisk, few.clone());
        assert!(r.default && r.rate == 0.20 && r.samples == 19 && r.renewed == 19);
        assert!(r.low < 0.20 && r.high > 0.20);
        let mut enough = few;
        enough.push((Status::AtRisk, false));
        enough.push((Status::NoRisk, false));
        let r = rate(Status::AtRisk, enough);
        assert!(!r.default && r.samples == 20 && r.renewed == 19);
        assert!(close(r.rate, 0.95));
    }

    #[test]
    fn rates_learn_only_what_was_known_on_the_day() {
        let s = |e: &str, k: &str, renewed| Sample {
            expiry: d(e),
            known_on: d(k),
            status: Status::NoRisk,
            renewed,
        };
        let mut samples = vec![s("2026-01-10", "2026-01-05", true); 20];
        samples.push(s("2026-02-10", "2026-02-01", false));
        samples.push(s("2026-01-10", "2026-03-01", false));
        let r = Rates::learn(&samples, d("2026-02-15"));
        let nr = r.of(Status::NoRisk).unwrap();
        assert_eq!((nr.samples, nr.renewed), (21, 20));
        let r = Rates::learn(&samples, d("2026-01-10"));
        assert_eq!(r.of(Status::NoRisk).unwrap().samples, 0);
        assert_eq!(r.0.len(), RATED.len());
    }

    #[test]
    fn figures_sum_amount_times_rate() {
        let rates = Rates(vec![
            Rate {
                status: Status::Pending,
                samples: 40,
                renewed: 20,
                rate: 0.5,
                low: 0.4,
                high: 0.6,
                default: false,
            },
            Rate {
                status: Status::AtRisk,
                samples: 3,
                renewed: 1,
                rate: 0.2,
                low: 0.1,
                high: 0.3,
                default: true,
            },
        ]);
        let mut f = Figures::default();
        f.add(State::Open(Status::Unset), Cents(10_001), &rates);
        f.add(State::Open(Status::AtRisk), Cents(30_000), &rates);
        f.add(State::Renewed, Cents(5_000), &rates);
        f.add(State::Lost, Cents(7_000), &rates);
        f.add(State::Suspended, Cents(1_000), &rates);
        // 10001 × 0.5 + 30000 × 0.2 = 11000.5 → 11001 (half away).
        assert_eq!(f.expected(), Cents(11_001));
        assert_eq!(f.low(), Cents(7_000)); // 4000.4 + 3000
        assert_eq!(f.high(), Cents(15_001)); // 6000.6 + 9000
        assert_eq!(f.open.count, 2);
        assert_eq!(f.open_by_status[0].amount, Cents(10_001));
        assert_eq!(f.projected().0, Cents(16_001));
        assert_eq!(f.due().count, 5);
        assert_eq!(f.due().amount, Cents(53_001));
    }

    #[test]
    fn a_term_stands_as_its_entries_left_it() {
        let e = |day: &str, to| Event { day: d(day), to };
        let ev = [
            e("2026-01-05", Status::AtRisk),
            e("2026-02-01", Status::NotRenewing),
            e("2026-02-20", Status::Renewed),
        ];
        assert_eq!(state_on(&ev, d("2026-01-04")), State::Open(Status::Pending));
        assert_eq!(state_on(&ev, d("2026-01-05")), State::Open(Status::AtRisk));
        assert_eq!(state_on(&ev, d("2026-02-10")), State::Lost);
        assert_eq!(state_on(&ev, d("2026-03-01")), State::Renewed);
        assert_eq!(state_on(&[], d("2026-03-01")), State::Open(Status::Pending));
        assert_eq!(state_of(Status::Suspended), State::Suspended);
    }

    #[test]
    fn months_clip_the_span() {
        let m = months(Period {
            from: d("2026-01-15"),
            to: d("2026-03-10"),
        });
        assert_eq!(m.len(), 3);
        assert_eq!((m[0].from, m[0].to), (d("2026-01-15"), d("2026-01-31")));
        assert_eq!((m[1].from, m[1].to), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!((m[2].from, m[2].to), (d("2026-03-01"), d("2026-03-10")));
        assert_eq!(made_on(m[1]), d("2026-01-02"));
        let b = default_backtest(d("2026-11-23"));
        assert_eq!((b.from, b.to), (d("2026-05-01"), d("2026-10-31")));
        let p = default_period(d("2026-11-23"));
        assert_eq!(p.to, d("2027-02-21"));
    }

    #[test]
    fn a_backtested_period_says_its_error_and_whether_it_hit() {
        let rates = Rates(vec![rate(Status::Pending, vec![])]);
        let mut then = Figures::default();
        then.add(State::Renewed, Cents(1_000), &rates);
        then.add(State::Open(Status::Pending), Cents(10_000), &rates);
        let b = Backtested {
            period: default_period(d("2026-01-01")),
            as_of: d("2025-12-02"),
            rates,
            then,
            actual: Cents(7_000),
        };
        // No samples: pending's default 0.5, range 0.3623–0.6377 (20
        // samples at 0.5).
        assert_eq!(b.expected(), Cents(6_000));
        assert_eq!((b.low(), b.high()), (Cents(4_623), Cents(7_377)));
        assert_eq!(b.error(), Cents(1_000));
        assert!(close(b.error_pct().unwrap(), 1.0 / 7.0));
        assert_eq!(b.hit(), Some(true), "{:?} {:?}", b.low(), b.high());
        let t = Backtest {
            span: b.period,
            rows: vec![b],
        };
        assert!(close(t.mape().unwrap(), 1.0 / 7.0));
        assert_eq!(t.hits(), 1);
    }
}
