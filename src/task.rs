//! Tasks (任务): what a CSM has to do on a day, written by hand or made by
//! `tasks sync` from the rules of seeds 001 and 004. Pure: the rules are
//! functions of a day and a snapshot of a service or a customer, with the
//! offsets of the team settings; `db::tasks` reads the snapshots and
//! writes what the rules say.
//!
//! | rule | due | key (one task per rule, target and key) |
//! |---|---|---|
//! | `kickoff` | expiry − `task_kickoff_days` (90), open services | the term's expiry |
//! | `second_touch` | expiry − `task_second_touch_days` (30), open services | the term's expiry |
//! | `revisit` | start + `task_revisit_days` (30), services not closed | the term's expiry |
//! | `monthly_touch` | day `task_monthly_touch_day` (20) of each month, live customers without a record that month | the month |
//! | `budget` | budget date − `task_budget_days` (60), live customers | the budget date |
//! | `resume` | the `--resume-on` date of a suspended service | that date |

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::date::{from_iso, iso};
use crate::filter::Filters;
use crate::labels::Lang;
use crate::msg::work as msg;
use crate::settings::{Key, Settings};
use crate::spelling::labelled_enum;
use crate::status::Status;
use crate::window::days_left;

labelled_enum!(
    /// Where a task comes from: a CSM (`manual`, stored as NULL) or a rule.
    Rule, "task rule", "任务规则", {
        Manual = "manual", "手动";
        Kickoff = "kickoff", "续费启动";
        SecondTouch = "second_touch", "二次触达";
        Revisit = "revisit", "上线回访";
        MonthlyTouch = "monthly_touch", "月度拜访";
        Budget = "budget", "预算跟进";
        Resume = "resume", "恢复跟进";
    }
);

labelled_enum!(
    /// `closed`: an automatic task `tasks sync` found no longer applies.
    TaskStatus, "task status", "任务状态", {
        Open = "open", "待办";
        Done = "done", "已完成";
        Closed = "closed", "已关闭";
    }
);

impl Rule {
    /// Stored form: NULL for a manual task.
    pub fn to_db(self) -> Option<&'static str> {
        match self {
            Rule::Manual => None,
            r => Some(r.id()),
        }
    }

    pub fn from_db(s: Option<&str>) -> Rule {
        s.and_then(Rule::from_id).unwrap_or(Rule::Manual)
    }

    /// The rules `tasks sync` applies to services, and closes when they no
    /// longer apply (a resume task is never closed: the service is
    /// suspended on purpose).
    pub const OF_SERVICES: &'static [Rule] = &[Rule::Kickoff, Rule::SecondTouch, Rule::Revisit];

    /// The rules whose key is the term's expiry date.
    pub fn keyed_by_term(self) -> bool {
        Rule::OF_SERVICES.contains(&self)
    }
}

/// Days back `tasks sync` catches up when it was not run.
pub const CATCH_UP_DAYS: u64 = 30;

/// The offsets of the rules, from the team settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offsets {
    pub kickoff_days: u32,
    pub second_touch_days: u32,
    pub revisit_days: u32,
    /// 1 to 28: every month has that day.
    pub monthly_touch_day: u32,
    pub budget_days: u32,
}

impl Offsets {
    pub fn new(s: &Settings) -> Offsets {
        // `Key::check` let only whole numbers in; a default stands in for
        // anything else a newer build may have stored.
        let n = |k: Key| {
            s.get(k)
                .parse()
                .unwrap_or_else(|_| k.default_value().parse().unwrap_or(0))
        };
        Offsets {
            kickoff_days: n(Key::TaskKickoffDays),
            second_touch_days: n(Key::TaskSecondTouchDays),
            revisit_days: n(Key::TaskRevisitDays),
            monthly_touch_day: n(Key::TaskMonthlyTouchDay).clamp(1, 28),
            budget_days: n(Key::TaskBudgetDays),
        }
    }
}

impl Default for Offsets {
    fn default() -> Offsets {
        Offsets::new(&Settings::default())
    }
}

fn minus(d: NaiveDate, days: u32) -> Option<NaiveDate> {
    d.checked_sub_days(Days::new(u64::from(days)))
}

fn plus(d: NaiveDate, days: u32) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(u64::from(days)))
}

/// `kickoff`: start the renewal flow, `task_kickoff_days` before expiry.
pub fn kickoff_on(expiry: NaiveDate, o: &Offsets) -> Option<NaiveDate> {
    minus(expiry, o.kickoff_days)
}

/// `second_touch`: remind customer and sales (seed 001), before expiry.
pub fn second_touch_on(expiry: NaiveDate, o: &Offsets) -> Option<NaiveDate> {
    minus(expiry, o.second_touch_days)
}

/// `revisit`: a visit after go-live (seed 004), after the term's start.
pub fn revisit_on(start: NaiveDate, o: &Offsets) -> Option<NaiveDate> {
    plus(start, o.revisit_days)
}

/// `budget`: prepare the customer's budget, before its budget date.
pub fn budget_on(budget_date: NaiveDate, o: &Offsets) -> Option<NaiveDate> {
    minus(budget_date, o.budget_days)
}

/// A suspended service's resume date when `--resume-on` gives none: its
/// next 90-day window, a year after this term's expiry (Feb 29 is
/// followed by Feb 28).
pub fn default_resume_on(expiry: NaiveDate) -> NaiveDate {
    expiry
        .checked_add_months(Months::new(12))
        .and_then(|d| minus(d, 90))
        .unwrap_or(expiry)
}

/// A calendar month, the key of a monthly touch (`2026-11`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// `monthly_touch`: its day in this month (1 to 28, so every month
    /// has it).
    pub fn touch_day(self, o: &Offsets) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, o.monthly_touch_day.clamp(1, 28))
            .unwrap_or(NaiveDate::MIN)
    }

    /// `2026-11`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn parse(key: &str) -> Option<Month> {
        let (y, m) = key.split_once('-')?;
        let m = Month {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&m.month).then_some(m)
    }
}

/// The days a sync (or a plan) makes tasks for, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Span {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last
    }

    /// The months whose touch day falls in the span, in order.
    pub fn touch_months(&self, o: &Offsets) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = Month::of(self.first);
        while m.first_day() <= self.last {
            if self.contains(m.touch_day(o)) {
                out.push(m);
            }
            m = m.next();
        }
        out
    }

    /// The span shifted by `days` (a due day's span as the expiry dates
    /// that give it).
    pub fn plus(&self, days: u32) -> Span {
        Span {
            first: plus(self.first, days).unwrap_or(NaiveDate::MAX),
            last: plus(self.last, days).unwrap_or(NaiveDate::MAX),
        }
    }

    pub fn minus(&self, days: u32) -> Span {
        Span {
            first: minus(self.first, days).unwrap_or(NaiveDate::MIN),
            last: minus(self.last, days).unwrap_or(NaiveDate::MIN),
        }
    }
}

/// What `tasks sync` on `today` catches up on, and `tasks plan --days
/// ahead` previews: from the day of the last sync (run again: what was
/// imported since then on that day counts), at most `CATCH_UP_DAYS` back,
/// through `today + ahead`. `None` when a sync already ran for a later
/// day.
pub fn sync_span(last_synced: Option<NaiveDate>, today: NaiveDate, ahead: u32) -> Option<Span> {
    let floor = today
        .checked_sub_days(Days::new(CATCH_UP_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let first = last_synced.map_or(floor, |l| l.max(floor));
    let last = plus(today, ahead).unwrap_or(NaiveDate::MAX);
    (first <= last).then_some(Span { first, last })
}

/// A service as the rules see it: its current term and stored status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFacts {
    pub service_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub start_date: Option<NaiveDate>,
    pub expiry: NaiveDate,
    pub stored: Status,
}

impl ServiceFacts {
    /// Rules 1 and 11: what the service shows on `day`.
    pub fn status_on(&self, day: NaiveDate, grace_days: u32) -> Status {
        Status::effective_on(self.stored, days_left(self.expiry, day), grace_days)
    }
}

/// A customer as the rules see it, for one month: whether it still has a
/// live service (one not lost: neither `not_renewing` nor lapsed), and
/// whether a follow-up record is dated in that month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerFacts {
    pub customer_id: String,
    pub customer_name: String,
    pub live: bool,
    pub touched: bool,
    pub budget_date: Option<NaiveDate>,
}

/// A task a rule (or a CSM) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTask {
    pub rule: Rule,
    pub customer_id: String,
    pub customer_name: String,
    pub service_id: Option<String>,
    /// What makes a rule's task unique (None for a manual task).
    pub key: Option<String>,
    pub due: NaiveDate,
    pub title: String,
}

impl NewTask {
    fn of_service(rule: Rule, s: &ServiceFacts, due: NaiveDate) -> NewTask {
        let key = iso(s.expiry);
        NewTask {
            rule,
            customer_id: s.customer_id.clone(),
            customer_name: s.customer_name.clone(),
            title: auto_title(rule, Some(&s.service_id), Some(&key), Lang::En),
            service_id: Some(s.service_id.clone()),
            key: Some(key),
            due,
        }
    }

    fn of_customer(rule: Rule, c: &CustomerFacts, key: String, due: NaiveDate) -> NewTask {
        NewTask {
            rule,
            customer_id: c.customer_id.clone(),
            customer_name: c.customer_name.clone(),
            title: auto_title(rule, None, Some(&key), Lang::En),
            service_id: None,
            key: Some(key),
            due,
        }
    }

    /// (rule, service or customer, due): what tells two plans apart.
    pub fn target(&self) -> &str {
        self.service_id.as_deref().unwrap_or(&self.customer_id)
    }
}

/// The task `rule` asks of the service with its due day in `span`, if
/// the rule applies: kickoff and second touch to open services (rule 9)
/// as of their day, a revisit to a service not closed for the term.
pub fn service_task(
    rule: Rule,
    s: &ServiceFacts,
    span: Span,
    o: &Offsets,
    grace_days: u32,
) -> Option<NewTask> {
    let due = match rule {
        Rule::Kickoff => kickoff_on(s.expiry, o)?,
        Rule::SecondTouch => second_touch_on(s.expiry, o)?,
        Rule::Revisit => revisit_on(s.start_date?, o)?,
        _ => return None,
    };
    if !span.contains(due) {
        return None;
    }
    let status = s.status_on(due, grace_days);
    let applies = match rule {
        Rule::Revisit => !status.is_closed(),
        _ => status.is_open(),
    };
    applies.then(|| NewTask::of_service(rule, s, due))
}

/// `monthly_touch` of `month`, when its day is in `span`, for a live
/// customer without a record that month.
pub fn monthly_task(c: &CustomerFacts, month: Month, span: Span, o: &Offsets) -> Option<NewTask> {
    let due = month.touch_day(o);
    (span.contains(due) && c.live && !c.touched)
        .then(|| NewTask::of_customer(Rule::MonthlyTouch, c, month.key(), due))
}

/// `budget`, when the customer (live) has a budget date whose task day is
/// in `span`.
pub fn budget_task(c: &CustomerFacts, span: Span, o: &Offsets) -> Option<NewTask> {
    let date = c.budget_date?;
    let due = budget_on(date, o)?;
    (span.contains(due) && c.live).then(|| NewTask::of_customer(Rule::Budget, c, iso(date), due))
}

/// `resume`: pick up a suspended service again on `on`.
pub fn resume_task(
    service_id: &str,
    customer_id: &str,
    customer_name: &str,
    on: NaiveDate,
) -> NewTask {
    let key = iso(on);
    NewTask {
        rule: Rule::Resume,
        customer_id: customer_id.to_string(),
        customer_name: customer_name.to_string(),
        title: auto_title(Rule::Resume, Some(service_id), Some(&key), Lang::En),
        service_id: Some(service_id.to_string()),
        key: Some(key),
        due: on,
    }
}

/// Why an open automatic task no longer applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gone {
    /// The term it was for ended in a renewal (a later expiry).
    Renewed,
    /// The term's expiry was corrected to an earlier day.
    Corrected,
    /// The service is closed for the term (suspended, not renewing,
    /// renewed, lapsed).
    Closed(Status),
    /// The customer has a follow-up record in the month (monthly touch).
    Touched,
    /// The budget of that date was submitted (budget).
    Submitted,
    /// The customer's budget date is another now, or none (budget).
    Moved,
}

impl Gone {
    pub fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (Gone::Renewed, Lang::En) => "renewed".into(),
            (Gone::Renewed, Lang::Zh) => "已续费".into(),
            (Gone::Corrected, Lang::En) => "expiry corrected".into(),
            (Gone::Corrected, Lang::Zh) => "到期日更正".into(),
            (Gone::Closed(s), _) => s.label(lang).into(),
            (Gone::Touched, Lang::En) => "touched this month".into(),
            (Gone::Touched, Lang::Zh) => "本月已跟进".into(),
            (Gone::Submitted, Lang::En) => "budget submitted".into(),
            (Gone::Submitted, Lang::Zh) => "预算已提交".into(),
            (Gone::Moved, Lang::En) => "budget date moved".into(),
            (Gone::Moved, Lang::Zh) => "预算日期已变".into(),
        }
    }
}

/// Whether an open budget task (key: the budget date) still applies on
/// `today`: not once that budget was submitted, nor when the customer's
/// budget date is another now.
pub fn budget_task_gone(
    key: &str,
    budget_date: Option<&str>,
    submitted: Option<&str>,
    today: NaiveDate,
) -> Option<Gone> {
    if submitted.is_some_and(|d| d <= iso(today).as_str()) {
        return Some(Gone::Submitted);
    }
    (budget_date != Some(key)).then_some(Gone::Moved)
}

/// Whether an open task of a service rule (key: the term's expiry) still
/// applies on `today` to the service whose current term ends on `expiry`
/// with status `stored`: not when the service has moved to another term,
/// nor when it is closed for this one.
pub fn service_task_gone(
    rule: Rule,
    key: &str,
    expiry: NaiveDate,
    stored: Status,
    today: NaiveDate,
    grace_days: u32,
) -> Option<Gone> {
    if !rule.keyed_by_term() {
        return None;
    }
    let term = from_iso(key)?;
    if term < expiry {
        return Some(Gone::Renewed);
    }
    if term > expiry {
        return Some(Gone::Corrected);
    }
    let status = Status::effective_on(stored, days_left(expiry, today), grace_days);
    status.is_closed().then_some(Gone::Closed(status))
}

/// The title of an automatic task, from its rule, service and key.
pub fn auto_title(rule: Rule, service: Option<&str>, key: Option<&str>, lang: Lang) -> String {
    let s = service.unwrap_or("");
    let k = key.unwrap_or("");
    match (rule, lang) {
        (Rule::Kickoff, Lang::En) => format!("start the renewal: {s} expires {k}"),
        (Rule::Kickoff, Lang::Zh) => format!("启动续费：{s} {k} 到期"),
        (Rule::SecondTouch, Lang::En) => {
            format!("remind customer and sales: {s} expires {k}")
        }
        (Rule::SecondTouch, Lang::Zh) => format!("提醒客户与销售：{s} {k} 到期"),
        (Rule::Revisit, Lang::En) => format!("revisit {s} a month after go-live"),
        (Rule::Revisit, Lang::Zh) => format!("上线后回访：{s}"),
        (Rule::MonthlyTouch, Lang::En) => format!("monthly visit, {k}"),
        (Rule::MonthlyTouch, Lang::Zh) => format!("{k} 月度拜访"),
        (Rule::Budget, Lang::En) => format!("prepare the budget due {k}"),
        (Rule::Budget, Lang::Zh) => format!("预算准备（预算制定时间 {k}）"),
        (Rule::Resume, Lang::En) => format!("pick up the renewal of {s} again (suspended)"),
        (Rule::Resume, Lang::Zh) => format!("恢复续费跟进：{s}（挂起）"),
        (Rule::Manual, _) => String::new(),
    }
}

/// What `tasks list` (and `show`) select.
#[derive(Clone, Debug, Default)]
pub struct TaskFilter {
    /// Customer ids, `--search` and customer attributes (the rest of
    /// `Filters` is about services: not used here).
    pub filters: Filters,
    pub services: Vec<String>,
    pub rules: Vec<Rule>,
    /// None: every status.
    pub statuses: Vec<TaskStatus>,
    /// Only tasks due on or before this day.
    pub due_until: Option<NaiveDate>,
}

/// A task as read back, with its customer's name and CSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub csm: Option<String>,
    pub service_id: Option<String>,
    pub rule: Rule,
    pub key: Option<String>,
    /// As stored: the CSM's words, or an automatic task's English title.
    pub title: String,
    pub due: NaiveDate,
    pub original_due: NaiveDate,
    pub status: TaskStatus,
    pub created: String,
    pub closed: Option<String>,
    pub author: String,
    pub note: Option<String>,
}

impl Task {
    /// The title in `lang`: an automatic task's is made from its rule, a
    /// manual one's is the CSM's.
    pub fn title(&self, lang: Lang) -> String {
        match self.rule {
            Rule::Manual => self.title.clone(),
            r => auto_title(r, self.service_id.as_deref(), self.key.as_deref(), lang),
        }
    }

    /// Days past its due day on `today` (negative: days to go).
    pub fn overdue(&self, today: NaiveDate) -> i64 {
        (today - self.due).num_days()
    }

    /// When an open task is due, said from `today`: `3 d overdue`, `due
    /// today`, `in 5 d`. Empty for a task done or closed.
    pub fn when(&self, today: NaiveDate, lang: Lang) -> String {
        if self.status != TaskStatus::Open {
            return String::new();
        }
        when(self.overdue(today), lang)
    }

    /// `#12`, the id a CSM types to `tasks done`.
    pub fn label(&self) -> String {
        format!("#{}", self.id)
    }
}

/// Days overdue (negative: to go) as words.
pub fn when(overdue: i64, lang: Lang) -> String {
    match (overdue, lang) {
        (0, Lang::En) => "due today".into(),
        (0, Lang::Zh) => "今天截止".into(),
        (d, Lang::En) if d > 0 => format!("{d} d overdue"),
        (d, Lang::Zh) if d > 0 => format!("逾期{d}天"),
        (d, Lang::En) => format!("in {} d", -d),
        (d, Lang::Zh) => format!("{}天后", -d),
    }
}

/// A snooze moves a task to a later day: after today.
pub fn check_snooze(until: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if until <= today {
        return Err(msg::snooze_not_after_today(iso(until), iso(today)));
    }
    Ok(())
}

/// A snooze moves an open task to a later day than its due day.
pub fn check_later(t: &Task, until: NaiveDate) -> Result<(), String> {
    if until <= t.due {
        return Err(msg::task_not_later(t.label(), iso(t.due), iso(until), t.id));
    }
    Ok(())
}

/// What is being done to a task, for the refusals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    Done,
    Snoozed,
}

/// Nothing is done to a task on a day before it was made (a past
/// `--today`).
pub fn check_made_by(t: &Task, today: NaiveDate, doing: Doing) -> Result<(), String> {
    let made = t.created.get(..10).unwrap_or("");
    if made > iso(today).as_str() {
        let (task, today) = (t.label(), iso(today));
        return Err(match doing {
            Doing::Done => msg::task_done_before_made(task, made, today),
            Doing::Snoozed => msg::task_snoozed_before_made(task, made, today),
        });
    }
    Ok(())
}

/// Only an open task can be done or snoozed; the message says what it is.
pub fn check_open(t: &Task, doing: Doing) -> Result<(), String> {
    match t.status {
        TaskStatus::Open => Ok(()),
        s => {
            let (task, status) = (t.label(), s.label(crate::msg::lang()));
            let closed = t.closed.as_deref().unwrap_or("-");
            Err(match doing {
                Doing::Done => msg::task_not_open_done(task, status, closed),
                Doing::Snoozed => msg::task_not_open_snoozed(task, status, closed),
            })
        }
    }
}

/// Counts per rule (or reason), in a fixed order, for a summary line:
/// `kickoff 3, monthly_touch 12`.
pub fn counts_line<T: Copy + Ord>(items: &[T], show: impl Fn(T) -> String) -> String {
    let mut sorted = items.to_vec();
    sorted.sort();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&x| x == sorted[i]).count();
        parts.push(format!("{} {j}", show(sorted[i])));
        i += j;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn o() -> Offsets {
        Offsets::default()
    }

    fn span(a: &str, b: &str) -> Span {
        Span {
            first: d(a),
            last: d(b),
        }
    }

    fn day(s: &str) -> Span {
        span(s, s)
    }

    fn svc(expiry: &str, start: Option<&str>, stored: Status) -> ServiceFacts {
        ServiceFacts {
            service_id: "S1".into(),
            customer_id: "C1".into(),
            customer_name: "甲".into(),
            start_date: start.map(d),
            expiry: d(expiry),
            stored,
        }
    }

    fn cust(live: bool, touched: bool) -> CustomerFacts {
        CustomerFacts {
            customer_id: "C1".into(),
            customer_name: "甲".into(),
            live,
            touched,
            budget_date: None,
        }
    }

    /// The days in [a, b] on which `rule` gives the service a task.
    fn days_of(rule: Rule, s: &ServiceFacts, a: &str, b: &str) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut x = d(a);
        while x <= d(b) {
            if let Some(t) = service_task(rule, s, day(&iso(x)), &o(), 30) {
                assert_eq!(t.due, x);
                out.push(x);
            }
            x = x.succ_opt().unwrap();
        }
        out
    }

    #[test]
    fn offsets_come_from_the_settings() {
        assert_eq!(
            o(),
            Offsets {
                kickoff_days: 90,
                second_touch_days: 30,
                revisit_days: 30,
                monthly_touch_day: 20,
                budget_days: 60,
            }
        );
        let s = Settings::from_stored([
            ("task_kickoff_days".to_string(), "60".to_string()),
            ("task_monthly_touch_day".to_string(), "28".to_string()),
        ]);
        let o = Offsets::new(&s);
        assert_eq!((o.kickoff_days, o.monthly_touch_day), (60, 28));
        assert_eq!(o.second_touch_days, 30);
    }

    #[test]
    fn kickoff_falls_on_expiry_less_90_and_only_there() {
        // 2026-12-24 − 90 = 2026-09-25.
        let s = svc("2026-12-24", None, Status::Unset);
        assert_eq!(kickoff_on(s.expiry, &o()), Some(d("2026-09-25")));
        assert_eq!(
            days_of(Rule::Kickoff, &s, "2026-09-24", "2026-09-26"),
            [d("2026-09-25")]
        );
        assert!(service_task(Rule::Kickoff, &s, day("2026-09-24"), &o(), 30).is_none());
        assert!(service_task(Rule::Kickoff, &s, day("2026-09-26"), &o(), 30).is_none());
        let t = service_task(Rule::Kickoff, &s, day("2026-09-25"), &o(), 30).unwrap();
        assert_eq!(t.key.as_deref(), Some("2026-12-24"));
        assert_eq!(t.service_id.as_deref(), Some("S1"));
        assert_eq!(t.title, "start the renewal: S1 expires 2026-12-24");
        // Across February: 2027-05-29 − 90 = 2027-02-28 (no Feb 29 in 2027).
        let s = svc("2027-05-29", None, Status::Unset);
        assert_eq!(kickoff_on(s.expiry, &o()), Some(d("2027-02-28")));
        // 2028 is a leap year: 2028-05-29 − 90 = 2028-02-29.
        assert_eq!(kickoff_on(d("2028-05-29"), &o()), Some(d("2028-02-29")));
    }

    #[test]
    fn second_touch_falls_on_expiry_less_30() {
        let s = svc("2026-12-24", None, Status::NoRisk);
        assert_eq!(
            days_of(Rule::SecondTouch, &s, "2026-11-23", "2026-11-25"),
            [d("2026-11-24")]
        );
        // A month end: 2027-03-31 − 30 = 2027-03-01.
        assert_eq!(
            second_touch_on(d("2027-03-31"), &o()),
            Some(d("2027-03-01"))
        );
        assert_eq!(
            second_touch_on(d("2027-03-30"), &o()),
            Some(d("2027-02-28"))
        );
    }

    #[test]
    fn only_open_services_get_kickoff_and_second_touch() {
        for stored in Status::ALL {
            let s = svc("2026-12-24", None, *stored);
            let kickoff = service_task(Rule::Kickoff, &s, day("2026-09-25"), &o(), 30);
            let second = service_task(Rule::SecondTouch, &s, day("2026-11-24"), &o(), 30);
            // Unset is pending in the window, hence open.
            let open = *stored == Status::Unset || stored.is_open();
            assert_eq!(kickoff.is_some(), open, "{stored}");
            assert_eq!(second.is_some(), open, "{stored}");
        }
        // A second touch on the expiry day itself is still open (pending).
        let s = svc("2026-12-24", None, Status::Unset);
        let mut o = o();
        o.second_touch_days = 0;
        assert!(service_task(Rule::SecondTouch, &s, day("2026-12-24"), &o, 0).is_some());
    }

    #[test]
    fn revisit_falls_a_month_after_the_start() {
        let s = svc("2027-01-30", Some("2026-01-31"), Status::Unset);
        // 2026-01-31 + 30 = 2026-03-02 (February has 28 days in 2026).
        assert_eq!(revisit_on(d("2026-01-31"), &o()), Some(d("2026-03-02")));
        assert_eq!(
            days_of(Rule::Revisit, &s, "2026-03-01", "2026-03-03"),
            [d("2026-03-02")]
        );
        // The key is the term: a renewal's next term gets its own.
        let t = service_task(Rule::Revisit, &s, day("2026-03-02"), &o(), 30).unwrap();
        assert_eq!(t.key.as_deref(), Some("2027-01-30"));
        // No start date, no revisit; a closed term, none either.
        assert!(days_of(
            Rule::Revisit,
            &svc("2027-01-30", None, Status::Unset),
            "2026-01-01",
            "2026-12-31"
        )
        .is_empty());
        let lost = svc("2026-04-01", Some("2026-03-01"), Status::NotRenewing);
        assert!(service_task(Rule::Revisit, &lost, day("2026-03-31"), &o(), 30).is_none());
        let fine = svc("2026-04-01", Some("2026-03-01"), Status::AtRisk);
        assert!(service_task(Rule::Revisit, &fine, day("2026-03-31"), &o(), 30).is_some());
    }

    #[test]
    fn monthly_touch_on_its_day_for_live_untouched_customers() {
        let c = cust(true, false);
        let nov = Month::of(d("2026-11-05"));
        assert!(monthly_task(&c, nov, day("2026-11-19"), &o()).is_none());
        let t = monthly_task(&c, nov, day("2026-11-20"), &o()).unwrap();
        assert_eq!(
            (t.due, t.key.as_deref()),
            (d("2026-11-20"), Some("2026-11"))
        );
        assert_eq!(t.service_id, None);
        assert!(monthly_task(&c, nov, day("2026-11-21"), &o()).is_none());
        assert!(monthly_task(&cust(true, true), nov, day("2026-11-20"), &o()).is_none());
        assert!(monthly_task(&cust(false, false), nov, day("2026-11-20"), &o()).is_none());
    }

    #[test]
    fn monthly_touch_day_28_is_in_every_february() {
        let o = Offsets {
            monthly_touch_day: 28,
            ..o()
        };
        let feb = Month {
            year: 2027,
            month: 2,
        };
        assert_eq!(feb.touch_day(&o), d("2027-02-28"));
        assert_eq!(
            Month {
                year: 2028,
                month: 2
            }
            .touch_day(&o),
            d("2028-02-28")
        );
        // Feb 28 to Mar 1: one touch (February's), none for March yet.
        let s = span("2027-02-28", "2027-03-01");
        assert_eq!(s.touch_months(&o), [feb]);
        assert_eq!(span("2027-03-01", "2027-03-27").touch_months(&o), []);
        assert_eq!(span("2027-01-29", "2027-02-27").touch_months(&o), []);
        // Month ends and a year end.
        let o20 = Offsets::default();
        let months = span("2026-11-21", "2027-01-20").touch_months(&o20);
        assert_eq!(
            months.iter().map(|m| m.key()).collect::<Vec<_>>(),
            ["2026-12", "2027-01"]
        );
        assert_eq!(
            Month::parse("2027-01"),
            Some(Month {
                year: 2027,
                month: 1
            })
        );
        assert_eq!(Month::parse("2027-13"), None);
        assert_eq!(
            Month {
                year: 2026,
                month: 12
            }
            .next()
            .key(),
            "2027-01"
        );
    }

    #[test]
    fn budget_falls_60_days_before_the_budget_date() {
        let mut c = cust(true, false);
        assert!(budget_task(&c, span("2000-01-01", "2100-01-01"), &o()).is_none());
        c.budget_date = Some(d("2027-03-01"));
        // 2027-03-01 − 60 = 2026-12-31.
        assert!(budget_task(&c, day("2026-12-30"), &o()).is_none());
        let t = budget_task(&c, day("2026-12-31"), &o()).unwrap();
        assert_eq!(t.key.as_deref(), Some("2027-03-01"));
        assert!(budget_task(&c, day("2027-01-01"), &o()).is_none());
        c.live = false;
        assert!(budget_task(&c, day("2026-12-31"), &o()).is_none());
    }

    #[test]
    fn resume_defaults_to_the_next_window() {
        // A year after expiry, less 90 days.
        assert_eq!(default_resume_on(d("2027-01-29")), d("2027-10-31"));
        // Feb 29 + 1 year is Feb 28, then − 90.
        assert_eq!(default_resume_on(d("2028-02-29")), d("2028-11-30"));
        let t = resume_task("S9", "C9", "乙", d("2027-10-31"));
        assert_eq!(
            (t.rule, t.due, t.key.as_deref()),
            (Rule::Resume, d("2027-10-31"), Some("2027-10-31"))
        );
    }

    #[test]
    fn the_span_catches_up_from_the_last_sync_at_most_30_days() {
        let today = d("2026-11-23");
        assert_eq!(
            sync_span(None, today, 0),
            Some(span("2026-10-24", "2026-11-23"))
        );
        assert_eq!(
            sync_span(Some(d("2026-11-15")), today, 0),
            Some(span("2026-11-15", "2026-11-23"))
        );
        assert_eq!(
            sync_span(Some(d("2026-01-01")), today, 0),
            Some(span("2026-10-24", "2026-11-23"))
        );
        assert_eq!(sync_span(Some(today), today, 0), Some(day("2026-11-23")));
        assert_eq!(sync_span(Some(d("2026-11-24")), today, 0), None);
        assert_eq!(
            sync_span(Some(today), today, 30),
            Some(span("2026-11-23", "2026-12-23"))
        );
        // Shifted spans: the expiry dates whose kickoff falls in it.
        assert_eq!(day("2026-09-25").plus(90), day("2026-12-24"));
        assert_eq!(day("2026-12-24").minus(90), day("2026-09-25"));
    }

    #[test]
    fn a_task_goes_when_its_term_or_status_does() {
        let gone = |rule: Rule, key: &str, expiry: &str, stored: Status, today: &str| {
            service_task_gone(rule, key, d(expiry), stored, d(today), 30)
        };
        let (renewed, today) = ("2027-12-24", "2026-12-01");
        assert_eq!(
            gone(Rule::Kickoff, "2026-12-24", renewed, Status::Unset, today),
            Some(Gone::Renewed)
        );
        assert_eq!(
            gone(
                Rule::SecondTouch,
                "2028-01-24",
                renewed,
                Status::Unset,
                today
            ),
            Some(Gone::Corrected)
        );
        assert_eq!(
            gone(Rule::Revisit, renewed, renewed, Status::Unset, today),
            None
        );
        assert_eq!(
            gone(Rule::Resume, "2026-12-24", renewed, Status::Unset, today),
            None
        );
        assert_eq!(gone(Rule::Manual, "x", renewed, Status::Unset, today), None);
        assert_eq!(
            gone(
                Rule::SecondTouch,
                "2026-12-24",
                "2026-12-24",
                Status::NotRenewing,
                today
            ),
            Some(Gone::Closed(Status::NotRenewing))
        );
        // Lapsed on the day after the grace days, not before.
        let open = |today: &str| {
            gone(
                Rule::SecondTouch,
                "2026-12-24",
                "2026-12-24",
                Status::AtRisk,
                today,
            )
        };
        assert_eq!(open("2027-01-23"), None);
        assert_eq!(open("2027-01-24"), Some(Gone::Closed(Status::Lapsed)));
    }

    #[test]
    fn rules_and_statuses_parse_and_store() {
        assert_eq!(Rule::parse("second-touch"), Ok(Rule::SecondTouch));
        assert_eq!(Rule::parse("月度拜访"), Ok(Rule::MonthlyTouch));
        let e = Rule::parse("visit").unwrap_err();
        assert!(
            e.contains("unknown task rule `visit`") && e.contains("monthly_touch (月度拜访)"),
            "{e}"
        );
        assert!(TaskStatus::parse("finished")
            .unwrap_err()
            .contains("open (待办), done (已完成), closed (已关闭)"));
        for r in Rule::ALL {
            assert_eq!(Rule::from_db(r.to_db()), *r);
        }
        assert_eq!(Rule::Manual.to_db(), None);
    }

    #[test]
    fn when_and_titles_in_both_languages() {
        assert_eq!(when(3, Lang::En), "3 d overdue");
        assert_eq!(when(0, Lang::En), "due today");
        assert_eq!(when(-5, Lang::En), "in 5 d");
        assert_eq!(when(3, Lang::Zh), "逾期3天");
        assert_eq!(when(-5, Lang::Zh), "5天后");
        assert_eq!(
            auto_title(Rule::MonthlyTouch, None, Some("2026-11"), Lang::Zh),
            "2026-11 月度拜访"
        );
        assert_eq!(
            check_snooze(d("2026-11-23"), d("2026-11-23")).unwrap_err(),
            "2026-11-23 is not after today (2026-11-23); a snooze moves a task to a later day"
        );
        assert!(check_snooze(d("2026-11-24"), d("2026-11-23")).is_ok());
        assert_eq!(
            counts_line(&[Rule::Revisit, Rule::Kickoff, Rule::Kickoff], |r| r
                .id()
                .to_string()),
            "kickoff 2, revisit 1"
        );
    }
}
