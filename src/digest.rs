//! The Monday digest (`xaas digest`): what a CSM, or the lead, should know
//! about the book this week, in one mail. Pure: `ops::digest` gathers the
//! rows, this module folds them into figures; the CLI writes the text.
//!
//! Two kinds of figure:
//! - *as of today* (stock): the open services due within 30 and 90 days,
//!   expired but not yet lost, untouched in their window, at risk; the
//!   open tasks past their due day;
//! - *in the period* (flow): terms renewed (the renewal recorded in it),
//!   terms lost (set `not_renewing` in it, or lapsed in it: `grace_days`
//!   after expiry), customers followed up (the touch rate). Each also for
//!   the previous period of the same length, for the change.

use chrono::{Days, NaiveDate};
use serde_json::{json, Map, Value};

use crate::date::iso;
use crate::money::Cents;
use crate::stats::{Period, Tally, Touch};
use crate::status::{Reason, Status};
use crate::window::days_left;
use crate::worklist::Neglect;

/// The default period: the 7 days ending today.
pub const DEFAULT_DAYS: u64 = 7;

/// How many of the largest renewals, losses and oldest tasks are named.
pub const NAMED: usize = 3;

/// The period a digest covers and the one before it, of the same length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    pub now: Period,
    pub before: Period,
}

impl Periods {
    /// From `since` (default: 6 days before `today`) to `today`, and the
    /// same number of days just before. `since` after `today` is an error
    /// (the message to give).
    pub fn new(since: Option<NaiveDate>, today: NaiveDate) -> Result<Periods, String> {
        let from = since.unwrap_or_else(|| back(today, DEFAULT_DAYS - 1));
        if from > today {
            return Err(crate::msg::digest::since_after_today(iso(from), iso(today)));
        }
        let days = (today - from).num_days() as u64 + 1;
        let before = Period {
            from: back(from, days),
            to: back(from, 1),
        };
        Ok(Periods {
            now: Period { from, to: today },
            before,
        })
    }

    /// Which of the two periods holds `day`, if either.
    pub fn which(&self, day: NaiveDate) -> Option<When> {
        if self.now.contains(day) {
            Some(When::Now)
        } else if self.before.contains(day) {
            Some(When::Before)
        } else {
            None
        }
    }

    /// The first day of the previous period to the last of this one.
    pub fn both(&self) -> Period {
        Period {
            from: self.before.from,
            to: self.now.to,
        }
    }
}

fn back(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

/// The period an event fell in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Now,
    Before,
}

/// The expiry days whose terms lapse (are lost, rule 11: on expiry +
/// `grace_days` + 1) within `p`.
pub fn lapsing_expiries(p: Period, grace_days: u32) -> Period {
    let g = u64::from(grace_days) + 1;
    Period {
        from: back(p.from, g),
        to: back(p.to, g),
    }
}

/// The day a term that expires on `expiry` is lost if still open.
pub fn lapse_day(expiry: NaiveDate, grace_days: u32) -> NaiveDate {
    expiry
        .checked_add_days(Days::new(u64::from(grace_days) + 1))
        .unwrap_or(NaiveDate::MAX)
}

/// The open services of the window as of today: due soon, expired but not
/// lost yet, untouched, at risk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// 0..=30 days left (`due --within 30`).
    pub within_30: Tally,
    /// 0..=90 days left, the 30 included (`due --within 90`).
    pub within_90: Tally,
    /// Expired, still open: lost after `grace_days` unless renewed or
    /// closed (`due --within 0 --overdue` less those due today).
    pub expired: Tally,
    /// Of all those, no follow-up record since they entered their window
    /// (`due --within 90 --overdue --untouched`).
    pub untouched: Tally,
    /// Of all those, status `at_risk`.
    pub at_risk: Tally,
}

impl Due {
    /// An open service of the window (0..=90 days left, or expired within
    /// the grace days) with its effective status and its latest follow-up
    /// record's day, as of `today`.
    pub fn add(
        &mut self,
        expiry: NaiveDate,
        amount: Option<Cents>,
        status: Status,
        last_record: Option<NaiveDate>,
        today: NaiveDate,
    ) {
        let amount = amount.unwrap_or_default();
        let left = days_left(expiry, today);
        match left {
            ..0 => self.expired.add(amount),
            0..=90 => {
                self.within_90.add(amount);
                if left <= 30 {
                    self.within_30.add(amount);
                }
            }
            _ => return,
        }
        if Neglect::of(expiry, today, last_record) == Neglect::Untouched {
            self.untouched.add(amount);
        }
        if status == Status::AtRisk {
            self.at_risk.add(amount);
        }
    }
}

/// A renewed or lost term, named among the largest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// When the renewal was recorded, or the term was lost.
    pub day: NaiveDate,
    pub service_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub product: Option<String>,
    /// The term's amount (for a renewal, the old term's).
    pub amount: Option<Cents>,
    /// A renewal's new amount (what `renewed_amount` sums).
    pub new_amount: Option<Cents>,
    /// Why it was lost: a reason, or `None` for a lapse.
    pub lost: Option<Lost>,
}

/// Why a term was lost: closed as `not_renewing` (with its reason), or
/// lapsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lost {
    NotRenewing(Reason),
    Lapsed,
}

impl Lost {
    /// Every kind, in the order reasons are listed on a tie.
    pub fn all() -> impl Iterator<Item = Lost> {
        Reason::ALL
            .iter()
            .map(|&r| Lost::NotRenewing(r))
            .chain([Lost::Lapsed])
    }

    /// `budget`, …, `other`, `lapsed`.
    pub fn id(self) -> &'static str {
        match self {
            Lost::NotRenewing(r) => r.id(),
            Lost::Lapsed => Status::Lapsed.id(),
        }
    }

    pub fn label(self, lang: crate::labels::Lang) -> &'static str {
        match self {
            Lost::NotRenewing(r) => r.label(lang),
            Lost::Lapsed => Status::Lapsed.label(lang),
        }
    }

    fn index(self) -> usize {
        match self {
            Lost::NotRenewing(r) => r as usize,
            Lost::Lapsed => Reason::ALL.len(),
        }
    }
}

/// A figure of the period and of the one before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub now: Tally,
    pub before: Tally,
}

impl Change {
    pub fn count_change(&self) -> i128 {
        i128::from(self.now.count) - i128::from(self.before.count)
    }

    pub fn amount_change(&self) -> Cents {
        Cents(self.now.amount.0 - self.before.amount.0)
    }
}

/// Renewals or losses: the two periods' tallies and the period's largest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    pub tally: Change,
    /// The period's largest (by the amount counted), at most `NAMED`.
    pub largest: Vec<Term>,
    /// Losses only: per kind (`Lost::all` order) in the period.
    pub by_kind: Vec<(Lost, Tally)>,
}

impl Flow {
    /// Folds the terms of both periods: renewals count their new amount,
    /// losses the lost term's.
    pub fn fold(terms: Vec<Term>, periods: &Periods) -> Flow {
        let mut flow = Flow::default();
        let mut kinds = [Tally::default(); Reason::ALL.len() + 1];
        let mut mine = Vec::new();
        for t in terms {
            let amount = t.counted();
            match periods.which(t.day) {
                Some(When::Now) => {
                    flow.tally.now.add(amount);
                    if let Some(l) = t.lost {
                        kinds[l.index()].add(amount);
                    }
                    mine.push(t);
                }
                Some(When::Before) => flow.tally.before.add(amount),
                None => {}
            }
        }
        // Largest first; on a tie the earlier, then by service id.
        mine.sort_by(|a, b| {
            (b.counted(), a.day, &a.service_id).cmp(&(a.counted(), b.day, &b.service_id))
        });
        mine.truncate(NAMED);
        flow.largest = mine;
        let mut by_kind: Vec<(Lost, Tally)> = Lost::all()
            .map(|l| (l, kinds[l.index()]))
            .filter(|(_, t)| t.count > 0)
            .collect();
        // Most first, then the larger amount, then the kinds' order.
        by_kind.sort_by(|a, b| (b.1.count, b.1.amount, a.0).cmp(&(a.1.count, a.1.amount, b.0)));
        flow.by_kind = by_kind;
        flow
    }
}

impl Term {
    /// What the term counts for: a renewal's new amount, a loss's amount.
    pub fn counted(&self) -> Cents {
        match self.lost {
            Some(_) => self.amount,
            None => self.new_amount,
        }
        .unwrap_or_default()
    }
}

/// An open task past its due day, among the oldest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateTask {
    pub id: i64,
    pub due: NaiveDate,
    pub customer_id: String,
    pub customer_name: String,
    pub service_id: Option<String>,
    /// In English and Chinese (an automatic task's title is made in the
    /// reader's language).
    pub title_en: String,
    pub title_zh: String,
}

/// The open tasks past due: how many, and the oldest few.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overdue {
    pub count: u64,
    pub oldest: Vec<LateTask>,
}

/// Customers followed up in each period (the touch rate, as `stats`
/// counts it: a follow-up record dated in the period, over the customers
/// selected).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    pub now: Touch,
    pub before: Touch,
}

impl Touched {
    /// The change of the rate, in points of a fraction (0.125 is 12.5
    /// points); `None` when either rate is.
    pub fn change(&self) -> Option<f64> {
        Some(self.now.rate()? - self.before.rate()?)
    }
}

/// Everything a digest says.
#[derive(Clone, Debug, PartialEq)]
pub struct Digest {
    pub periods: Periods,
    /// The CSMs the digest is for (`--mine`, `--csm`), as stored.
    pub csm: Vec<String>,
    pub grace_days: u32,
    pub due: Due,
    pub renewed: Flow,
    pub lost: Flow,
    pub overdue: Overdue,
    pub touch: Touched,
}

impl Digest {
    /// Nothing to say, so nothing is printed (cron mails nothing): no open
    /// service due within 90 days or expired within the grace days, no
    /// term renewed or lost in the period, no open task past due. The
    /// touch rate alone, and what happened only in the previous period,
    /// are not news.
    pub fn is_empty(&self) -> bool {
        self.due.within_90.count == 0
            && self.due.expired.count == 0
            && self.renewed.tally.now.count == 0
            && self.lost.tally.now.count == 0
            && self.overdue.count == 0
    }

    pub fn to_json(&self) -> Value {
        let tally = |t: Tally| json!({"count": t.count, "amount": yuan(t.amount)});
        let change = |c: &Change| {
            json!({
                "count": c.now.count,
                "amount": yuan(c.now.amount),
                "previous": tally(c.before),
                "change": {"count": c.count_change(), "amount": yuan(c.amount_change())},
            })
        };
        let term = |t: &Term| {
            let mut m = Map::new();
            m.insert("day".into(), json!(iso(t.day)));
            m.insert("service_id".into(), json!(t.service_id));
            m.insert("customer_id".into(), json!(t.customer_id));
            m.insert("customer_name".into(), json!(t.customer_name));
            m.insert("product".into(), json!(t.product));
            m.insert("amount".into(), json!(t.amount.map(Cents::yuan)));
            match t.lost {
                None => {
                    m.insert("new_amount".into(), json!(t.new_amount.map(Cents::yuan)));
                }
                Some(l) => {
                    m.insert("reason".into(), json!(l.id()));
                }
            }
            Value::Object(m)
        };
        let mut renewed = change(&self.renewed.tally);
        renewed["largest"] = self.renewed.largest.iter().map(term).collect();
        let mut lost = change(&self.lost.tally);
        lost["reasons"] = Value::Object(
            Lost::all()
                .map(|l| {
                    let t = self
                        .lost
                        .by_kind
                        .iter()
                        .find(|(k, _)| *k == l)
                        .map_or(Tally::default(), |(_, t)| *t);
                    (l.id().to_string(), tally(t))
                })
                .collect(),
        );
        lost["largest"] = self.lost.largest.iter().map(term).collect();
        let touch =
            |t: Touch| json!({"customers": t.customers, "touched": t.touched, "rate": t.rate()});
        let mut touched = touch(self.touch.now);
        touched["previous"] = touch(self.touch.before);
        touched["change"] = json!(self.touch.change());
        json!({
            "from": iso(self.periods.now.from),
            "to": iso(self.periods.now.to),
            "previous": {"from": iso(self.periods.before.from), "to": iso(self.periods.before.to)},
            "csm": self.csm,
            "empty": self.is_empty(),
            "due": {
                "within_30": tally(self.due.within_30),
                "within_90": tally(self.due.within_90),
                "expired": tally(self.due.expired),
                "untouched": tally(self.due.untouched),
                "at_risk": tally(self.due.at_risk),
            },
            "grace_days": self.grace_days,
            "renewed": renewed,
            "lost": lost,
            "overdue_tasks": {
                "count": self.overdue.count,
                "oldest": self.overdue.oldest.iter().map(|t| json!({
                    "id": t.id,
                    "due": iso(t.due),
                    "customer_id": t.customer_id,
                    "customer_name": t.customer_name,
                    "service_id": t.service_id,
                    "title": t.title_en,
                })).collect::<Vec<_>>(),
            },
            "touch": touched,
        })
    }
}

fn yuan(c: Cents) -> Value {
    json!(c.yuan())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn p(from: &str, to: &str) -> Period {
        Period {
            from: d(from),
            to: d(to),
        }
    }

    #[test]
    fn the_default_period_is_the_seven_days_ending_today_and_the_seven_before() {
        let ps = Periods::new(None, d("2026-11-23")).unwrap();
        assert_eq!(ps.now, p("2026-11-17", "2026-11-23"));
        assert_eq!(ps.before, p("2026-11-10", "2026-11-16"));
        assert_eq!(ps.both(), p("2026-11-10", "2026-11-23"));
    }

    #[test]
    fn since_sets_the_start_and_the_previous_period_has_the_same_length() {
        let ps = Periods::new(Some(d("2026-11-01")), d("2026-11-30")).unwrap();
        assert_eq!(ps.before, p("2026-10-02", "2026-10-31"));
        let one = Periods::new(Some(d("2026-11-23")), d("2026-11-23")).unwrap();
        assert_eq!(one.now, p("2026-11-23", "2026-11-23"));
        assert_eq!(one.before, p("2026-11-22", "2026-11-22"));
        assert!(Periods::new(Some(d("2026-11-24")), d("2026-11-23")).is_err());
    }

    #[test]
    fn which_period_a_day_falls_in() {
        let ps = Periods::new(None, d("2026-11-23")).unwrap();
        assert_eq!(ps.which(d("2026-11-17")), Some(When::Now));
        assert_eq!(ps.which(d("2026-11-16")), Some(When::Before));
        assert_eq!(ps.which(d("2026-11-10")), Some(When::Before));
        assert_eq!(ps.which(d("2026-11-09")), None);
        assert_eq!(ps.which(d("2026-11-24")), None);
    }

    #[test]
    fn a_term_lapses_grace_days_and_one_after_expiry() {
        assert_eq!(lapse_day(d("2026-10-01"), 30), d("2026-11-01"));
        // Lost on 11-17 … 11-23: expired 10-17 … 10-23.
        assert_eq!(
            lapsing_expiries(p("2026-11-17", "2026-11-23"), 30),
            p("2026-10-17", "2026-10-23")
        );
        let e = lapsing_expiries(p("2026-11-17", "2026-11-23"), 0);
        assert_eq!(lapse_day(e.from, 0), d("2026-11-17"));
    }

    #[test]
    fn due_counts_each_open_service_in_its_windows() {
        let today = d("2026-11-23");
        let mut due = Due::default();
        let c = |y: i64| Some(Cents::from(y * 100));
        // 30 days left, untouched, at risk.
        due.add(d("2026-12-23"), c(100), Status::AtRisk, None, today);
        // 31 days left, a record since its window opened (2026-10-02).
        due.add(
            d("2026-12-24"),
            c(200),
            Status::Pending,
            Some(d("2026-10-02")),
            today,
        );
        // today: 0 days left, a record before its 30-day window.
        due.add(
            d("2026-11-23"),
            None,
            Status::Pending,
            Some(d("2026-10-23")),
            today,
        );
        // expired yesterday, touched within its last 30 days.
        due.add(
            d("2026-11-22"),
            c(50),
            Status::AtRisk,
            Some(d("2026-10-23")),
            today,
        );
        // 91 days left: not the digest's.
        due.add(d("2027-02-22"), c(999), Status::Unset, None, today);
        assert_eq!(
            due.within_30,
            Tally {
                count: 2,
                amount: Cents(10_000)
            }
        );
        assert_eq!(
            due.within_90,
            Tally {
                count: 3,
                amount: Cents(30_000)
            }
        );
        assert_eq!(
            due.expired,
            Tally {
                count: 1,
                amount: Cents(5_000)
            }
        );
        assert_eq!(
            due.untouched,
            Tally {
                count: 2,
                amount: Cents(10_000)
            }
        );
        assert_eq!(
            due.at_risk,
            Tally {
                count: 2,
                amount: Cents(15_000)
            }
        );
    }

    fn term(day: &str, id: &str, amount: i64, lost: Option<Lost>) -> Term {
        Term {
            day: d(day),
            service_id: id.into(),
            customer_id: "C1".into(),
            customer_name: "n".into(),
            product: None,
            amount: Some(Cents::from(amount)),
            new_amount: Some(Cents::from(amount * 2)),
            lost,
        }
    }

    #[test]
    fn a_flow_counts_both_periods_names_the_largest_and_tallies_reasons() {
        let ps = Periods::new(None, d("2026-11-23")).unwrap();
        let budget = Some(Lost::NotRenewing(Reason::Budget));
        let sat = Some(Lost::NotRenewing(Reason::Satisfaction));
        let lost = Flow::fold(
            vec![
                term("2026-11-20", "S1", 100, budget),
                term("2026-11-21", "S2", 300, Some(Lost::Lapsed)),
                term("2026-11-17", "S3", 300, sat),
                term("2026-11-18", "S4", 50, budget),
                term("2026-11-12", "S5", 70, budget),
                term("2026-11-01", "S6", 70, budget),
            ],
            &ps,
        );
        assert_eq!(
            lost.tally.now,
            Tally {
                count: 4,
                amount: Cents(750)
            }
        );
        assert_eq!(
            lost.tally.before,
            Tally {
                count: 1,
                amount: Cents(70)
            }
        );
        assert_eq!(lost.tally.count_change(), 3);
        assert_eq!(lost.tally.amount_change(), Cents(680));
        // 300 twice: the earlier first.
        let ids: Vec<&str> = lost.largest.iter().map(|t| t.service_id.as_str()).collect();
        assert_eq!(ids, ["S3", "S2", "S1"]);
        // Budget twice first; a tie of one each, the larger amount first,
        // then the kinds' order.
        let kinds: Vec<(&str, u64)> = lost
            .by_kind
            .iter()
            .map(|(k, t)| (k.id(), t.count))
            .collect();
        assert_eq!(kinds, [("budget", 2), ("satisfaction", 1), ("lapsed", 1)]);
        // Renewals count their new amount.
        let renewed = Flow::fold(vec![term("2026-11-20", "S1", 100, None)], &ps);
        assert_eq!(renewed.tally.now.amount, Cents(200));
        assert!(renewed.by_kind.is_empty());
    }

    #[test]
    fn the_touch_rate_changes_in_points() {
        let t = Touched {
            now: Touch {
                customers: 8,
                touched: 3,
            },
            before: Touch {
                customers: 8,
                touched: 1,
            },
        };
        assert_eq!(t.change(), Some(0.25));
        assert_eq!(Touched::default().change(), None);
    }

    #[test]
    fn a_digest_with_only_a_touch_rate_or_last_week_is_empty() {
        let ps = Periods::new(None, d("2026-11-23")).unwrap();
        let mut g = Digest {
            periods: ps,
            csm: vec![],
            grace_days: 30,
            due: Due::default(),
            renewed: Flow::default(),
            lost: Flow::default(),
            overdue: Overdue::default(),
            touch: Touched {
                now: Touch {
                    customers: 3,
                    touched: 2,
                },
                before: Touch::default(),
            },
        };
        g.renewed.tally.before.count = 4;
        assert!(g.is_empty());
        g.overdue.count = 1;
        assert!(!g.is_empty());
        g.overdue.count = 0;
        g.due.expired.count = 1;
        assert!(!g.is_empty());
        assert_eq!(g.to_json()["empty"], json!(false));
    }
}
