//! The CSM's worklist (`xaas today`): which open services to work on
//! first, and why. Pure: the candidates come from `db::worklist`.
//!
//! Points (SPEC "Usage and health", seed 004's priority: soon due,
//! unhealthy, valuable, not followed up), summed per service:
//!
//! | part | points |
//! |---|---|
//! | window | expired within the grace days 40, 0–30 days left 30, 31–60 20, 61–90 10 |
//! | health | danger 30, fair 15, unknown 10, healthy 0 |
//! | status | at_risk 20, pending or identifying_risk 10, no_risk and renewing 0 |
//! | neglect | untouched in its window 20, else last record more than 30 days ago 10 |
//! | value | amount in the top 10 % of the candidates' amounts 20, top 30 % 10 |
//!
//! Most points first; ties by days left, then amount (largest first,
//! none last), then service id.
//!
//! Open tasks due today or overdue are rows of their own (SPEC "The CSM's
//! work"): `task_points` (a task due today 60, overdue 80), ordered with
//! the services by the same keys, the days being how far past due.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::clock::AsOf;
use crate::date::from_iso;
use crate::health::{Band, Health};
use crate::labels::Lang;
use crate::money::Cents;
use crate::status::Status;
use crate::task::{when, Rule, Task};
use crate::window::{days_left, Window};

/// Points for how soon the term expires; `None` outside the worklist's
/// window (more than 90 days left, or expired beyond the grace days).
pub fn window_points(days_left: i64, grace_days: u32) -> Option<u32> {
    match days_left {
        d if d < -i64::from(grace_days) => None,
        ..0 => Some(40),
        0..=30 => Some(30),
        31..=60 => Some(20),
        61..=90 => Some(10),
        _ => None,
    }
}

pub fn health_points(band: Band) -> u32 {
    match band {
        Band::Danger => 30,
        Band::Fair => 15,
        Band::Unknown => 10,
        Band::Healthy => 0,
    }
}

pub fn status_points(status: Status) -> u32 {
    match status {
        Status::AtRisk => 20,
        Status::Pending | Status::IdentifyingRisk => 10,
        _ => 0,
    }
}

/// How long a service has gone without a follow-up record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neglect {
    /// No record since it entered its current window (expiry − 90 days,
    /// or − 30 once within 30 days and after expiry): `due --untouched`.
    Untouched,
    /// Its last record, this many days ago.
    LastRecord(i64),
}

/// Records more than this many days old count as neglect.
pub const QUIET_DAYS: i64 = 30;

impl Neglect {
    /// From the day of the service's latest record (as of `today`).
    pub fn of(expiry: NaiveDate, today: NaiveDate, last_record: Option<NaiveDate>) -> Neglect {
        match last_record {
            Some(d) if d >= Window::entered_on(expiry, today) => {
                Neglect::LastRecord((today - d).num_days())
            }
            _ => Neglect::Untouched,
        }
    }

    pub fn points(self) -> u32 {
        match self {
            Neglect::Untouched => 20,
            Neglect::LastRecord(d) if d > QUIET_DAYS => 10,
            Neglect::LastRecord(_) => 0,
        }
    }
}

/// Where an amount stands among the candidates' amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Top10,
    Top30,
    Other,
}

impl Value {
    pub fn points(self) -> u32 {
        match self {
            Value::Top10 => 20,
            Value::Top30 => 10,
            Value::Other => 0,
        }
    }
}

/// The amounts that make the top 10 % and 30 %. An amount is in the top
/// p % when more than (100 − p) % of the candidates' amounts are at or
/// below it: it is at least the k-th largest amount, k = ⌈p % × n⌉ over
/// the n candidates that have an amount (of 10 distinct amounts the
/// largest is the top 10 %, the three largest the top 30 %; an amount
/// equal to the k-th largest is in too). A candidate without an amount is
/// in neither and not counted in n.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shares {
    pub top10: Option<Cents>,
    pub top30: Option<Cents>,
}

impl Shares {
    /// From the candidates' amounts, in any order.
    pub fn of(mut amounts: Vec<Cents>) -> Shares {
        amounts.sort_unstable();
        // The smallest amount with more than (100 − p) % of them at or
        // below it: at sorted index ⌊(100 − p) × n / 100⌋.
        let at = |p: usize| amounts.get((100 - p) * amounts.len() / 100).copied();
        Shares {
            top10: at(10),
            top30: at(30),
        }
    }

    pub fn value(&self, amount: Option<Cents>) -> Value {
        let at_least = |t: Option<Cents>| amount.zip(t).is_some_and(|(a, t)| a >= t);
        if at_least(self.top10) {
            Value::Top10
        } else if at_least(self.top30) {
            Value::Top30
        } else {
            Value::Other
        }
    }
}

/// The points of each part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Points {
    pub window: u32,
    pub health: u32,
    pub status: u32,
    pub neglect: u32,
    pub value: u32,
}

impl Points {
    pub fn total(&self) -> u32 {
        self.window + self.health + self.status + self.neglect + self.value
    }
}

/// What a service is scored on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub days_left: i64,
    pub band: Band,
    pub status: Status,
    pub neglect: Neglect,
    pub value: Value,
}

impl Facts {
    /// The points, or `None` when the service is not on the worklist
    /// (outside the window, or closed: rule 9).
    pub fn points(&self, grace_days: u32) -> Option<Points> {
        if !self.status.is_open() {
            return None;
        }
        Some(Points {
            window: window_points(self.days_left, grace_days)?,
            health: health_points(self.band),
            status: status_points(self.status),
            neglect: self.neglect.points(),
            value: self.value.points(),
        })
    }

    /// Why, part by part, for each part that scored: days left (or
    /// overdue), the band unless healthy, the status unless pending (the
    /// default, in the status column; a risk is named), the neglect, the
    /// value: `12 d · danger · untouched · top 10%`.
    pub fn why(&self, lang: Lang) -> String {
        use std::fmt::Write as _;
        let zh = lang == Lang::Zh;
        let mut out = String::with_capacity(64);
        let d = self.days_left;
        // Writing to a String does not fail.
        let _ = match (zh, d < 0) {
            (false, false) => write!(out, "{d} d"),
            (false, true) => write!(out, "{} d overdue", -d),
            (true, false) => write!(out, "{d}天"),
            (true, true) => write!(out, "逾期{}天", -d),
        };
        let mut part = |p: &str| {
            out.push_str(" · ");
            out.push_str(p);
        };
        match self.band {
            Band::Healthy => {}
            Band::Unknown => part(if zh {
                "健康度未知"
            } else {
                "health unknown"
            }),
            b => part(b.label(lang)),
        }
        if matches!(self.status, Status::AtRisk | Status::IdentifyingRisk) {
            part(self.status.label(lang));
        }
        match self.neglect {
            Neglect::Untouched => part(if zh { "未跟进" } else { "untouched" }),
            Neglect::LastRecord(n) if n > QUIET_DAYS => part(&if zh {
                format!("{n}天未跟进")
            } else {
                format!("last record {n} d ago")
            }),
            Neglect::LastRecord(_) => {}
        }
        match self.value {
            Value::Top10 => part(if zh { "金额前10%" } else { "top 10%" }),
            Value::Top30 => part(if zh { "金额前30%" } else { "top 30%" }),
            Value::Other => {}
        }
        out
    }
}

/// An open service in the window, as read (before scoring).
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub service_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub csm: Option<String>,
    pub product: Option<String>,
    pub expiry_date: NaiveDate,
    pub amount: Option<Cents>,
    /// The effective status (rule 1: pending derived).
    pub status: Status,
    /// The time of its latest follow-up record (on or before today).
    pub last_record_at: Option<String>,
    pub health: Health,
}

/// A row of the worklist: a candidate with its points and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub candidate: Candidate,
    pub facts: Facts,
    pub points: Points,
}

impl Item {
    pub fn why(&self, lang: Lang) -> String {
        self.facts.why(lang)
    }
}

/// Most points first; ties by days left, amount (largest first, none
/// last), service id.
fn order(a: &Item, b: &Item) -> Ordering {
    b.points
        .total()
        .cmp(&a.points.total())
        .then(a.facts.days_left.cmp(&b.facts.days_left))
        .then(b.candidate.amount.cmp(&a.candidate.amount))
        .then_with(|| a.candidate.service_id.cmp(&b.candidate.service_id))
}

impl Item {
    /// A candidate scored as of `at`, all but its value (which needs
    /// every candidate: `finish`); `None` when it is not on the list
    /// (outside the window, or closed).
    pub fn score(c: Candidate, at: AsOf) -> Option<Item> {
        let last = c
            .last_record_at
            .as_deref()
            .and_then(|t| t.get(..10))
            .and_then(from_iso);
        let facts = Facts {
            days_left: days_left(c.expiry_date, at.today),
            band: c.health.band,
            status: c.status,
            neglect: Neglect::of(c.expiry_date, at.today, last),
            value: Value::Other,
        };
        let points = facts.points(at.grace_days)?;
        Some(Item {
            candidate: c,
            facts,
            points,
        })
    }
}

/// Gives each item its value among all their amounts, and orders them
/// most important first.
pub fn finish(items: &mut [Item]) {
    value(items);
    // The service id makes the order total: no two items tie.
    items.sort_unstable_by(order);
}

/// Gives each item its value among all their amounts.
fn value(items: &mut [Item]) {
    let shares = Shares::of(items.iter().filter_map(|i| i.candidate.amount).collect());
    for i in items.iter_mut() {
        i.facts.value = shares.value(i.candidate.amount);
        i.points.value = i.facts.value.points();
    }
}

/// The most points health gives (a service in danger).
fn most_health_points() -> u32 {
    Band::ALL
        .iter()
        .map(|&b| health_points(b))
        .max()
        .unwrap_or(0)
}

impl Item {
    /// The points it would have in the worst health: the most it can
    /// reach, whatever its health turns out to be.
    fn best_case(&self, most_health: u32) -> u32 {
        self.points.total() - self.points.health + most_health
    }

    /// Its health, judged: the band and the points it gives.
    pub fn judged(&mut self, health: Health) {
        self.candidate.health = health;
        self.facts.band = health.band;
        self.points.health = health_points(health.band);
    }
}

/// The first `n` items in `finish`'s order, the health of as few judged
/// as it takes (`judge` gives an item its own, `Item::judged`): taken in
/// order of the points each could reach at worst health, the judging
/// stops once no item left can reach the `n`-th kept. Equal to `finish`
/// after judging every item, then `n` of them (a test holds this).
pub fn first<E>(
    mut items: Vec<Item>,
    n: usize,
    mut judge: impl FnMut(&mut Item) -> Result<(), E>,
) -> Result<Vec<Item>, E> {
    value(&mut items);
    let most = most_health_points();
    items.sort_unstable_by(|a, b| {
        b.best_case(most)
            .cmp(&a.best_case(most))
            .then_with(|| order(a, b))
    });
    let mut kept: Vec<Item> = Vec::with_capacity(n.saturating_add(1).min(items.len()));
    for mut item in items {
        if kept.len() == n {
            // An equal total may still come first by days, amount or id.
            let last = kept.last().map_or(u32::MAX, |l| l.points.total());
            if item.best_case(most) < last {
                break;
            }
        }
        judge(&mut item)?;
        let at = kept.partition_point(|k| order(k, &item) == Ordering::Less);
        if at < n {
            kept.insert(at, item);
            kept.truncate(n);
        }
    }
    Ok(kept)
}

/// Scores the candidates and orders them (`Item::score`, then `finish`).
pub fn rank(candidates: Vec<Candidate>, at: AsOf) -> Vec<Item> {
    let mut items: Vec<Item> = candidates
        .into_iter()
        .filter_map(|c| Item::score(c, at))
        .collect();
    finish(&mut items);
    items
}

/// Points of an open task on the worklist: due today 60, overdue 80
/// (a promise already late outranks most services); `None` before its
/// day. A task is a thing to do today by someone's word (the CSM's, or
/// the SOP's rule), so it sits among the services that most need a call.
pub fn task_points(overdue: i64) -> Option<u32> {
    match overdue {
        ..0 => None,
        0 => Some(60),
        _ => Some(80),
    }
}

/// A task's service, as shown beside the task.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskService {
    pub product: Option<String>,
    pub expiry_date: NaiveDate,
    /// As stored; `TaskItem::status` derives what it shows.
    pub stored: Status,
    pub amount: Option<Cents>,
    pub last_followup_at: Option<String>,
}

/// An open task due on or before the day, as a row of the worklist.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskItem {
    pub task: Task,
    pub service: Option<TaskService>,
    /// Days past its due day (0: due today).
    pub overdue: i64,
    pub points: u32,
}

impl TaskItem {
    /// The task on the worklist as of `at`; `None` before its day.
    pub fn score(task: Task, service: Option<TaskService>, at: AsOf) -> Option<TaskItem> {
        let overdue = task.overdue(at.today);
        Some(TaskItem {
            points: task_points(overdue)?,
            task,
            service,
            overdue,
        })
    }

    /// `task #12 kickoff · 3 d overdue`; a manual task says its title.
    pub fn why(&self, lang: Lang) -> String {
        let t = &self.task;
        let head = match (t.rule, lang) {
            (Rule::Manual, Lang::En) => format!("task {}", t.label()),
            (Rule::Manual, Lang::Zh) => format!("任务 {}", t.label()),
            (r, Lang::En) => format!("task {} {}", t.label(), r.id()),
            (r, Lang::Zh) => format!("任务 {} {}", t.label(), r.label_zh()),
        };
        let mut out = format!("{head} · {}", when(self.overdue, lang));
        if t.rule == Rule::Manual {
            out.push_str(" · ");
            out.push_str(&t.title);
        }
        out
    }

    /// The service's days left on `today`, when the task is about one.
    pub fn days_left(&self, today: NaiveDate) -> Option<i64> {
        self.service
            .as_ref()
            .map(|s| days_left(s.expiry_date, today))
    }

    /// What the task's service shows on the day (rules 1 and 11).
    pub fn status(&self, at: AsOf) -> Option<Status> {
        self.service.as_ref().map(|s| {
            Status::effective_on(s.stored, days_left(s.expiry_date, at.today), at.grace_days)
        })
    }
}

/// A row of the worklist: an open service in the window, or a task due.
#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    Service(Item),
    Task(TaskItem),
}

impl Row {
    pub fn points(&self) -> u32 {
        match self {
            Row::Service(i) => i.points.total(),
            Row::Task(t) => t.points,
        }
    }

    /// What ties are broken on, after the points: days (to expiry for a
    /// service; for a task, minus the days past due, so the latest task
    /// comes first), amount (largest first, none last), tasks before
    /// services, then the id.
    fn order(&self, other: &Row) -> Ordering {
        let days = |r: &Row| match r {
            Row::Service(i) => i.facts.days_left,
            Row::Task(t) => -t.overdue,
        };
        let amount = |r: &Row| match r {
            Row::Service(i) => i.candidate.amount,
            Row::Task(t) => t.service.as_ref().and_then(|s| s.amount),
        };
        other
            .points()
            .cmp(&self.points())
            .then(days(self).cmp(&days(other)))
            .then(amount(other).cmp(&amount(self)))
            .then_with(|| match (self, other) {
                (Row::Service(a), Row::Service(b)) => {
                    a.candidate.service_id.cmp(&b.candidate.service_id)
                }
                (Row::Task(a), Row::Task(b)) => a.task.id.cmp(&b.task.id),
                (Row::Task(_), Row::Service(_)) => Ordering::Less,
                (Row::Service(_), Row::Task(_)) => Ordering::Greater,
            })
    }
}

/// The services (scored, `finish`ed) and the tasks as one list, most
/// important first.
pub fn merge(items: Vec<Item>, tasks: Vec<TaskItem>) -> Vec<Row> {
    let mut rows: Vec<Row> = items.into_iter().map(Row::Service).collect();
    rows.extend(tasks.into_iter().map(Row::Task));
    rows.sort_unstable_by(Row::order);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::iso;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn window_points_at_every_boundary() {
        let g = 30;
        assert_eq!(window_points(-31, g), None, "lapsed: past the grace");
        assert_eq!(window_points(-30, g), Some(40), "the last day of grace");
        assert_eq!(window_points(-1, g), Some(40));
        assert_eq!(window_points(0, g), Some(30));
        assert_eq!(window_points(30, g), Some(30));
        assert_eq!(window_points(31, g), Some(20));
        assert_eq!(window_points(60, g), Some(20));
        assert_eq!(window_points(61, g), Some(10));
        assert_eq!(window_points(90, g), Some(10));
        assert_eq!(window_points(91, g), None);
        // Other grace days, as settings say.
        assert_eq!(window_points(-8, 7), None);
        assert_eq!(window_points(-7, 7), Some(40));
        assert_eq!(window_points(-1, 0), None, "no grace: expired is lapsed");
        assert_eq!(window_points(0, 0), Some(30));
    }

    #[test]
    fn health_points_per_band() {
        assert_eq!(health_points(Band::Danger), 30);
        assert_eq!(health_points(Band::Fair), 15);
        assert_eq!(health_points(Band::Unknown), 10);
        assert_eq!(health_points(Band::Healthy), 0);
    }

    #[test]
    fn status_points_per_status() {
        let expect = [
            (Status::AtRisk, 20),
            (Status::Pending, 10),
            (Status::IdentifyingRisk, 10),
            (Status::NoRisk, 0),
            (Status::Renewing, 0),
        ];
        for (s, p) in expect {
            assert_eq!(status_points(s), p, "{s}");
        }
    }

    #[test]
    fn closed_statuses_are_not_on_the_list() {
        let mut f = facts(10);
        for &s in Status::ALL {
            f.status = s;
            assert_eq!(f.points(30).is_some(), s.is_open(), "{s}");
        }
    }

    #[test]
    fn untouched_is_no_record_since_entering_the_window() {
        let today = day("2026-11-23");
        // 12 days left: within 30, entered on expiry − 30 = 2026-11-05.
        let expiry = day("2026-12-05");
        assert_eq!(Neglect::of(expiry, today, None), Neglect::Untouched);
        assert_eq!(
            Neglect::of(expiry, today, Some(day("2026-11-04"))),
            Neglect::Untouched,
            "a record from the 90-day window does not count inside 30"
        );
        assert_eq!(
            Neglect::of(expiry, today, Some(day("2026-11-05"))),
            Neglect::LastRecord(18)
        );
        // 75 days left: within 90, entered on expiry − 90 = 2026-11-08.
        let expiry = day("2027-02-06");
        assert_eq!(
            Neglect::of(expiry, today, Some(day("2026-11-07"))),
            Neglect::Untouched
        );
        assert_eq!(
            Neglect::of(expiry, today, Some(day("2026-11-08"))),
            Neglect::LastRecord(15)
        );
        // Expired 10 days ago: entered on expiry − 30.
        let expiry = day("2026-11-13");
        assert_eq!(
            Neglect::of(expiry, today, Some(day("2026-10-14"))),
            Neglect::LastRecord(40)
        );
        assert_eq!(
            Neglect::of(expiry, today, Some(day("2026-10-13"))),
            Neglect::Untouched
        );
    }

    #[test]
    fn neglect_points_untouched_then_thirty_days() {
        assert_eq!(Neglect::Untouched.points(), 20);
        assert_eq!(Neglect::LastRecord(0).points(), 0);
        assert_eq!(
            Neglect::LastRecord(30).points(),
            0,
            "30 days is not over 30"
        );
        assert_eq!(Neglect::LastRecord(31).points(), 10);
        // 38 days left: in the window since expiry − 90 = 2026-10-02, so a
        // record can be in it and more than 30 days old.
        let today = day("2026-11-23");
        let expiry = day("2026-12-31");
        let n = |d: &str| Neglect::of(expiry, today, Some(day(d))).points();
        assert_eq!(n("2026-10-24"), 0, "30 days ago");
        assert_eq!(n("2026-10-23"), 10, "31 days ago");
        assert_eq!(n("2026-10-02"), 10, "the day it entered the window");
        assert_eq!(n("2026-10-01"), 20, "before: untouched");
        assert_eq!(Neglect::of(expiry, today, None).points(), 20);
    }

    fn cents(v: &[i128]) -> Vec<Cents> {
        v.iter().map(|&c| Cents(c)).collect()
    }

    #[test]
    fn top_shares_of_ten_distinct_amounts() {
        let s = Shares::of(cents(&[5, 1, 9, 3, 7, 2, 10, 4, 8, 6]));
        assert_eq!(s.top10, Some(Cents(10)));
        assert_eq!(s.top30, Some(Cents(8)));
        let v = |c: i128| s.value(Some(Cents(c)));
        assert_eq!(v(10), Value::Top10);
        assert_eq!(v(9), Value::Top30, "the second largest of 10");
        assert_eq!(v(8), Value::Top30, "the third largest of 10");
        assert_eq!(v(7), Value::Other, "the fourth largest of 10");
        assert_eq!(s.value(None), Value::Other);
        assert_eq!(Value::Top10.points(), 20);
        assert_eq!(Value::Top30.points(), 10);
        assert_eq!(Value::Other.points(), 0);
    }

    #[test]
    fn top_shares_round_up_and_keep_ties() {
        // 25 amounts 1..=25: top 10 % is the 3 largest, top 30 % the 8.
        let s = Shares::of(cents(&(1..=25).collect::<Vec<_>>()));
        assert_eq!((s.top10, s.top30), (Some(Cents(23)), Some(Cents(18))));
        assert_eq!(s.value(Some(Cents(22))), Value::Top30);
        assert_eq!(s.value(Some(Cents(17))), Value::Other);
        // 20 amounts: exactly 2 and 6.
        let s = Shares::of(cents(&(1..=20).collect::<Vec<_>>()));
        assert_eq!((s.top10, s.top30), (Some(Cents(19)), Some(Cents(15))));
        // One candidate is its own top.
        let s = Shares::of(cents(&[42]));
        assert_eq!(s.value(Some(Cents(42))), Value::Top10);
        // Ties with the k-th largest are in: all equal, all top.
        let s = Shares::of(cents(&[5; 7]));
        assert_eq!(s.value(Some(Cents(5))), Value::Top10);
        let s = Shares::of(cents(&[1, 1, 1, 1, 1, 1, 1, 9, 9, 9]));
        assert_eq!(s.value(Some(Cents(9))), Value::Top10);
        assert_eq!(s.value(Some(Cents(1))), Value::Other);
        // Nobody with an amount: no top at all.
        let s = Shares::of(vec![]);
        assert_eq!(s, Shares::default());
        assert_eq!(s.value(Some(Cents(1))), Value::Other);
    }

    #[test]
    fn top_shares_agree_with_more_than_p_percent_at_or_below() {
        for n in 1..=60i128 {
            let amounts: Vec<i128> = (1..=n).map(|k| (k * 7) % 11 + k / 3).collect();
            let s = Shares::of(cents(&amounts));
            for &a in &amounts {
                let at_or_below = amounts.iter().filter(|&&x| x <= a).count() as i128;
                let expect = if 10 * at_or_below > 9 * n {
                    Value::Top10
                } else if 10 * at_or_below > 7 * n {
                    Value::Top30
                } else {
                    Value::Other
                };
                assert_eq!(s.value(Some(Cents(a))), expect, "n {n}, amount {a}");
            }
        }
    }

    fn facts(days_left: i64) -> Facts {
        Facts {
            days_left,
            band: Band::Healthy,
            status: Status::NoRisk,
            neglect: Neglect::LastRecord(3),
            value: Value::Other,
        }
    }

    #[test]
    fn points_add_up_the_parts() {
        let most = Facts {
            days_left: -3,
            band: Band::Danger,
            status: Status::AtRisk,
            neglect: Neglect::Untouched,
            value: Value::Top10,
        };
        assert_eq!(most.points(30).unwrap().total(), 40 + 30 + 20 + 20 + 20);
        assert_eq!(facts(75).points(30).unwrap().total(), 10);
        assert_eq!(facts(91).points(30), None);
    }

    #[test]
    fn why_names_each_part_that_scored() {
        let f = Facts {
            days_left: 12,
            band: Band::Danger,
            status: Status::Pending,
            neglect: Neglect::Untouched,
            value: Value::Top10,
        };
        assert_eq!(f.why(Lang::En), "12 d · danger · untouched · top 10%");
        assert_eq!(f.why(Lang::Zh), "12天 · 危险 · 未跟进 · 金额前10%");
        assert_eq!(facts(40).why(Lang::En), "40 d");
        let f = Facts {
            days_left: -5,
            band: Band::Unknown,
            status: Status::AtRisk,
            neglect: Neglect::LastRecord(31),
            value: Value::Top30,
        };
        assert_eq!(
            f.why(Lang::En),
            "5 d overdue · health unknown · at_risk · last record 31 d ago · top 30%"
        );
        assert_eq!(
            f.why(Lang::Zh),
            "逾期5天 · 健康度未知 · 跟进中-有风险 · 31天未跟进 · 金额前30%"
        );
        let f = Facts {
            band: Band::Fair,
            status: Status::IdentifyingRisk,
            neglect: Neglect::LastRecord(30),
            ..facts(0)
        };
        assert_eq!(f.why(Lang::En), "0 d · fair · identifying_risk");
    }

    fn cand(id: &str, expiry: &str, amount: Option<i128>, band: Band) -> Candidate {
        Candidate {
            service_id: id.into(),
            customer_id: "C1".into(),
            customer_name: "甲".into(),
            csm: None,
            product: None,
            expiry_date: day(expiry),
            amount: amount.map(Cents),
            status: Status::Pending,
            last_record_at: None,
            health: Health { band, score: None },
        }
    }

    /// `first` keeps what judging everything and ordering would, on
    /// random books (days, amounts with ties, statuses, records, bands),
    /// and judges fewer than all when the page is short.
    #[test]
    fn first_equals_every_item_judged_then_ordered() {
        let at = AsOf::with_defaults(day("2026-11-23"));
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let statuses = [
            Status::Pending,
            Status::IdentifyingRisk,
            Status::AtRisk,
            Status::NoRisk,
            Status::Renewing,
        ];
        for round in 0..200 {
            let size = 1 + next(120) as usize;
            let mut cands = Vec::new();
            let mut bands = std::collections::HashMap::new();
            for k in 0..size {
                let id = format!("S{round}_{k:03}");
                let expiry = at.today + chrono::Duration::days(next(125) as i64 - 30);
                let mut c = cand(
                    &id,
                    &iso(expiry),
                    (next(5) > 0).then(|| i128::from(next(8) as u8) * 100),
                    Band::Unknown,
                );
                c.status = statuses[next(5) as usize];
                if next(2) == 0 {
                    c.last_record_at = Some(format!(
                        "{}T09:00:00+08:00",
                        iso(at.today - chrono::Duration::days(next(60) as i64))
                    ));
                }
                bands.insert(id, Band::ALL[next(Band::ALL.len() as u64) as usize]);
                cands.push(c);
            }
            let health = |id: &str| Health {
                band: bands[id],
                score: None,
            };
            let mut every: Vec<Candidate> = cands.clone();
            for c in &mut every {
                c.health = health(&c.service_id);
            }
            let all = rank(every, at);
            let items: Vec<Item> = cands
                .into_iter()
                .filter_map(|c| Item::score(c, at))
                .collect();
            for n in [0, 1, 5, 10, 200] {
                let mut judged = 0;
                let page = first(items.clone(), n, |i| {
                    judged += 1;
                    i.judged(health(&i.candidate.service_id));
                    Ok::<(), ()>(())
                })
                .unwrap();
                let want: Vec<&Item> = all.iter().take(n).collect();
                assert_eq!(
                    page.iter().collect::<Vec<_>>(),
                    want,
                    "round {round}, n {n}"
                );
                if n == 0 {
                    assert_eq!(judged, 0);
                }
            }
        }
    }

    #[test]
    fn rank_orders_by_points_then_days_then_amount_then_id() {
        let at = AsOf::with_defaults(day("2026-11-23"));
        let ranked = rank(
            vec![
                cand("S_far", "2027-02-10", Some(1), Band::Healthy), // 79 d
                cand("S_b", "2026-12-05", Some(4), Band::Healthy),   // 12 d
                cand("S_a", "2026-12-05", Some(4), Band::Healthy),
                cand("S_c", "2026-12-05", Some(3), Band::Healthy),
                cand("S_big", "2026-12-05", Some(900), Band::Healthy),
                cand("S_none", "2026-12-05", None, Band::Healthy),
                cand("S_sooner", "2026-12-04", Some(3), Band::Healthy), // 11 d
                cand("S_danger", "2027-01-20", Some(2), Band::Danger),  // 58 d
                // Not on the list, and not in the shares of amounts.
                cand("S_out", "2027-02-22", Some(1000), Band::Danger), // 91 d
                cand("S_lapsed", "2026-10-23", Some(1000), Band::Danger), // −31 d
            ],
            at,
        );
        let got: Vec<(&str, u32)> = ranked
            .iter()
            .map(|i| (i.candidate.service_id.as_str(), i.points.total()))
            .collect();
        // 7 amounts [1, 2, 3, 3, 4, 4, 900]: the top 10 % is 900 (the
        // largest), the top 30 % the 3 largest (4, 4 and 900).
        assert_eq!(
            got,
            [
                ("S_big", 30 + 10 + 20 + 20),
                ("S_danger", 20 + 30 + 10 + 20),
                ("S_a", 30 + 10 + 20 + 10),
                ("S_b", 70),
                ("S_sooner", 30 + 10 + 20),
                ("S_c", 60),
                ("S_none", 60),
                ("S_far", 10 + 10 + 20),
            ]
        );
        assert_eq!(ranked[0].why(Lang::En), "12 d · untouched · top 10%");
        assert_eq!(ranked[1].why(Lang::En), "58 d · danger · untouched");
    }

    #[test]
    fn rank_reads_the_last_record_day_from_its_timestamp() {
        let at = AsOf::with_defaults(day("2026-11-23"));
        let mut c = cand("S1", "2027-01-20", Some(1), Band::Healthy); // 58 d
        c.last_record_at = Some("2026-10-22T18:00:00+08:00".into()); // 32 d ago
        let item = &rank(vec![c], at)[0];
        assert_eq!(item.facts.neglect, Neglect::LastRecord(32));
        assert_eq!(item.points.neglect, 10);
    }
    fn task(id: i64, rule: Rule, due: &str) -> Task {
        Task {
            id,
            customer_id: "C1".into(),
            customer_name: "甲".into(),
            csm: None,
            service_id: (rule != Rule::MonthlyTouch && rule != Rule::Manual).then(|| "S1".into()),
            rule,
            key: Some("2026-12-24".into()),
            title: "报价".into(),
            due: day(due),
            original_due: day(due),
            status: crate::task::TaskStatus::Open,
            created: "2026-11-01T09:00:00+08:00".into(),
            closed: None,
            author: "me".into(),
            note: None,
        }
    }

    #[test]
    fn a_task_is_on_the_list_from_its_day_on() {
        assert_eq!(task_points(-1), None, "the day before");
        assert_eq!(task_points(0), Some(60), "its day");
        assert_eq!(task_points(1), Some(80), "the day after");
        let at = AsOf::with_defaults(day("2026-11-23"));
        assert!(TaskItem::score(task(1, Rule::Kickoff, "2026-11-24"), None, at).is_none());
        let item = TaskItem::score(task(7, Rule::Kickoff, "2026-11-20"), None, at).unwrap();
        assert_eq!((item.overdue, item.points), (3, 80));
        assert_eq!(item.why(Lang::En), "task #7 kickoff · 3 d overdue");
        assert_eq!(item.why(Lang::Zh), "任务 #7 续费启动 · 逾期3天");
        let manual = TaskItem::score(task(8, Rule::Manual, "2026-11-23"), None, at).unwrap();
        assert_eq!(manual.why(Lang::En), "task #8 · due today · 报价");
        assert_eq!(manual.days_left(at.today), None);
        let with_service = TaskItem::score(
            task(9, Rule::SecondTouch, "2026-11-23"),
            Some(TaskService {
                product: None,
                expiry_date: day("2026-12-23"),
                stored: Status::Unset,
                amount: Some(Cents(5)),
                last_followup_at: None,
            }),
            at,
        )
        .unwrap();
        assert_eq!(with_service.days_left(at.today), Some(30));
        assert_eq!(with_service.status(at), Some(Status::Pending));
    }

    #[test]
    fn tasks_and_services_merge_by_points_then_days() {
        let at = AsOf::with_defaults(day("2026-11-23"));
        let services = rank(
            vec![
                cand("S_hot", "2026-12-05", Some(4), Band::Danger), // 12 d: 30+30+10+20+20 = 110
                cand("S_far", "2027-02-10", Some(1), Band::Healthy), // 79 d: 10+0+10+20 = 40
            ],
            at,
        );
        let tasks = [
            task(1, Rule::Kickoff, "2026-11-23"),      // 60
            task(2, Rule::MonthlyTouch, "2026-11-20"), // 80, 3 d overdue
            task(3, Rule::Manual, "2026-11-22"),       // 80, 1 d overdue
        ]
        .into_iter()
        .filter_map(|t| TaskItem::score(t, None, at))
        .collect();
        let rows = merge(services, tasks);
        let got: Vec<(String, u32)> = rows
            .iter()
            .map(|r| match r {
                Row::Service(i) => (i.candidate.service_id.clone(), r.points()),
                Row::Task(t) => (t.task.label(), r.points()),
            })
            .collect();
        let want = [
            ("S_hot", 110),
            ("#2", 80),
            ("#3", 80),
            ("#1", 60),
            ("S_far", 40),
        ];
        assert_eq!(
            got,
            want.map(|(id, p)| (id.to_string(), p)),
            "the most overdue task first among equals"
        );
    }
}
