//! Seed 001's indicators of the work around renewals, each as its
//! (numerator, denominator) over a period: the items that started in
//! [from, to] (risks raised, leads entered, budget dates), in their state
//! as of `today` (a close, a conversion or a submission dated after it
//! does not count yet). The customer filters apply (`--csm`, `--tier`, …,
//! matched as they are now); the service filters do not: these items
//! belong to a customer. The caller resolves the filter values
//! (`ops::filters::resolve`) as for every other read.

use super::sql::Sql;
use chrono::NaiveDate;

use super::query::customer_where;
use crate::date::iso;
use crate::error::Result;
use crate::filter::Filters;
use crate::lead::LeadStatus;
use crate::risk::RiskOutcome;
use crate::stats::Period;
use crate::task::TaskStatus;

/// 风险处置完成率: risks closed / risks raised.
pub(crate) fn risk_completion(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::RISKS;
    q.pair(conn, f, p, today, |t| q.count(&closed(t)), |_| q.all())
}

/// 风险处置成功率: risks resolved / risks closed.
pub(crate) fn risk_success(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::RISKS;
    let resolved = |t: &str| {
        format!(
            "{} AND r.outcome = '{}'",
            closed(t),
            RiskOutcome::Resolved.id()
        )
    };
    q.pair(
        conn,
        f,
        p,
        today,
        |t| q.count(&resolved(t)),
        |t| q.count(&closed(t)),
    )
}

fn closed(today: &str) -> String {
    format!("r.outcome IS NOT NULL AND r.closed <= {today}")
}

/// 线索闭环率: leads validated, invalid or converted / leads entered.
pub(crate) fn lead_closure(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::LEADS;
    q.pair(
        conn,
        f,
        p,
        today,
        |t| q.count(&format!("l.closed <= {t}")),
        |_| q.all(),
    )
}

/// 线索转换率: leads converted / leads entered.
pub(crate) fn lead_conversion(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::LEADS;
    let converted = |t: &str| {
        format!(
            "l.status = '{}' AND l.converted <= {t}",
            LeadStatus::Converted.id()
        )
    };
    q.pair(conn, f, p, today, |t| q.count(&converted(t)), |_| q.all())
}

/// 按时跟进率: customers whose budget was submitted on time (every cycle
/// of theirs in the period by its budget date) / customers whose budget
/// date fell in the period.
pub(crate) fn budget_on_time(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::BUDGETS;
    // On time: every cycle of the customer's in the period submitted by
    // its budget date (a late or missed one is not made good by another).
    let on_time = |t: &str| {
        format!(
            "{} - {}",
            q.all(),
            q.count(&format!(
                "NOT coalesce({} AND b.submitted <= b.budget_date, FALSE)",
                submitted(t)
            ))
        )
    };
    q.pair(conn, f, p, today, on_time, |_| q.all())
}

/// 预算通过率: customers whose budget passed / customers whose budget was
/// submitted (budget dates in the period).
pub(crate) fn budget_pass(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::BUDGETS;
    let passed = |t: &str| {
        format!(
            "{} AND b.result = '{}' AND b.result_date <= {t}",
            submitted(t),
            crate::budget::BudgetResult::Passed.id()
        )
    };
    q.pair(
        conn,
        f,
        p,
        today,
        |t| q.count(&passed(t)),
        |t| q.count(&submitted(t)),
    )
}

/// task_on_time: tasks done by their due day (a snooze moves it) / tasks
/// due in the period, less those a sync closed as no longer applying by
/// then (withdrawn, not missed).
pub(crate) fn task_on_time(
    conn: &impl Sql,
    f: &Filters,
    p: Period,
    today: NaiveDate,
) -> Result<(u64, u64)> {
    let q = Items::TASKS;
    let on_time = |t: &str| {
        format!(
            "k.status = '{}' AND substr(k.closed_at, 1, 10) <= k.due AND substr(k.closed_at, 1, 10) <= {t}",
            TaskStatus::Done.id()
        )
    };
    let counted = |t: &str| {
        format!(
            "NOT (k.status = '{}' AND substr(k.closed_at, 1, 10) <= {t})",
            TaskStatus::Closed.id()
        )
    };
    q.pair(
        conn,
        f,
        p,
        today,
        |t| q.count(&on_time(t)),
        |t| q.count(&counted(t)),
    )
}

fn submitted(today: &str) -> String {
    format!("b.submitted <= {today}")
}

/// One kind of item: its table, the day it started (the period's), the
/// day it was known from (a past `today` does not see it before), and
/// what it counts (each row, or each customer once).
struct Items {
    table: &'static str,
    alias: &'static str,
    start: &'static str,
    known: &'static str,
    counted: &'static str,
}

impl Items {
    const RISKS: Items = Items {
        table: "risks",
        alias: "r",
        start: "r.raised",
        known: "r.raised",
        counted: "r.id",
    };
    const LEADS: Items = Items {
        table: "leads",
        alias: "l",
        start: "l.entered",
        known: "l.entered",
        counted: "l.id",
    };
    /// A customer counts once, whatever its cycles in the period.
    const BUDGETS: Items = Items {
        table: "budgets",
        alias: "b",
        start: "b.budget_date",
        known: "b.created",
        counted: "b.customer_id",
    };

    const TASKS: Items = Items {
        table: "tasks",
        alias: "k",
        start: "k.due",
        known: "substr(k.created_at, 1, 10)",
        counted: "k.id",
    };

    /// A row's own id is counted as a plain count: there is one per row,
    /// and `DISTINCT` would sort them all.
    fn count(&self, cond: &str) -> String {
        if self.counted.ends_with(".id") {
            format!("count(CASE WHEN {cond} THEN 1 END)")
        } else {
            format!("count(DISTINCT CASE WHEN {cond} THEN {} END)", self.counted)
        }
    }

    fn all(&self) -> String {
        if self.counted.ends_with(".id") {
            "count(*)".to_string()
        } else {
            format!("count(DISTINCT {})", self.counted)
        }
    }

    /// (numerator, denominator): SQL counts given `today`'s placeholder.
    fn pair(
        &self,
        conn: &impl Sql,
        f: &Filters,
        p: Period,
        today: NaiveDate,
        num: impl Fn(&str) -> String,
        den: impl Fn(&str) -> String,
    ) -> Result<(u64, u64)> {
        let mut w = customer_where(f);
        // Without a customer filter, every item counts: no join to read.
        let join = if w.is_empty() {
            String::new()
        } else {
            format!(
                " JOIN customers c ON c.customer_id = {}.customer_id",
                self.alias
            )
        };
        let (from, to, t) = (
            w.param(iso(p.from)),
            w.param(iso(p.to)),
            w.param(iso(today)),
        );
        w.push(format!("{} BETWEEN {from} AND {to}", self.start));
        w.push(format!("{} <= {t}", self.known));
        let (table, alias) = (self.table, self.alias);
        let sql = format!(
            "SELECT {}, {} FROM {table} {alias}{join}{}",
            num(&t),
            den(&t),
            w.sql()
        );
        let sql = super::sql::for_engine(conn.kind(), &sql).into_owned();
        conn.row(&sql, &w.args(), |r| Ok((r.get(0)?, r.get(1)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Col;
    use crate::db::{Db, Open};

    /// Three customers (C1 and C2 of 张伟, C3 of 王芳), counted by hand
    /// for the period 2026-10-01 … 2026-10-31 as of 2026-11-23.
    fn book() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn().unwrap()
            .execute_batch(
                "INSERT INTO customers(customer_id, customer_name, csm) VALUES
                   ('C1', '甲', '张伟'), ('C2', '乙', '张伟'), ('C3', '丙', '王芳');
                 INSERT INTO risks(customer_id, kind, note, raised, outcome, closed, author) VALUES
                   -- in the period: raised 5, closed 3 by today (1 later), resolved 2
                   ('C1', 'delivery', 'a', '2026-10-01', 'resolved', '2026-10-05', 'me'),
                   ('C1', 'business', 'b', '2026-10-10', 'failed', '2026-11-01', 'me'),
                   ('C2', 'delivery', 'c', '2026-10-31', 'resolved', '2026-11-20', 'me'),
                   ('C3', 'satisfaction', 'd', '2026-10-15', NULL, NULL, 'me'),
                   ('C3', 'delivery', 'e', '2026-10-20', 'resolved', '2026-11-24', 'me'),
                   -- outside it
                   ('C1', 'delivery', 'f', '2026-09-30', 'resolved', '2026-10-02', 'me'),
                   ('C2', 'delivery', 'g', '2026-11-01', NULL, NULL, 'me');
                 INSERT INTO leads(customer_id, product, note, status, entered, closed, converted, author) VALUES
                   -- in the period: entered 4, closed 3, converted 1 (another after today)
                   ('C1', 'EDR', 'a', 'converted', '2026-10-02', '2026-10-03', '2026-10-20', 'me'),
                   ('C1', 'WAF', 'b', 'invalid', '2026-10-05', '2026-10-06', NULL, 'me'),
                   ('C2', 'EDR', 'c', 'validated', '2026-10-30', '2026-11-02', NULL, 'me'),
                   ('C3', 'MDR', 'd', 'converted', '2026-10-31', '2026-11-24', '2026-11-24', 'me'),
                   ('C3', 'MDR', 'e', 'entered', '2026-09-01', NULL, NULL, 'me');
                 INSERT INTO budgets(customer_id, budget_date, submitted, result, result_date, created, author) VALUES
                   -- dates in the period: C1 twice (counted once), C2, C3
                   ('C1', '2026-10-01', '2026-09-20', 'passed', '2026-10-10', '2026-09-01', 'me'),
                   ('C1', '2026-10-30', NULL, NULL, NULL, '2026-10-02', 'me'),
                   ('C2', '2026-10-15', '2026-10-01', 'failed', '2026-10-20', '2026-09-01', 'me'),
                   ('C3', '2026-10-20', NULL, NULL, NULL, '2026-09-01', 'me'),
                   -- outside it
                   ('C3', '2026-11-20', '2026-11-01', 'passed', '2026-11-10', '2026-09-01', 'me');",
            )
            .unwrap();
        (dir, db)
    }

    fn october() -> Period {
        Period {
            from: "2026-10-01".parse().unwrap(),
            to: "2026-10-31".parse().unwrap(),
        }
    }

    fn today() -> NaiveDate {
        "2026-11-23".parse().unwrap()
    }

    #[test]
    fn each_indicator_counts_what_started_in_the_period_as_of_today() {
        let (_dir, db) = book();
        let c = db.conn().unwrap();
        let all = Filters::default();
        let (p, t) = (october(), today());
        assert_eq!(risk_completion(c, &all, p, t).unwrap(), (3, 5));
        assert_eq!(risk_success(c, &all, p, t).unwrap(), (2, 3));
        assert_eq!(lead_closure(c, &all, p, t).unwrap(), (3, 4));
        assert_eq!(lead_conversion(c, &all, p, t).unwrap(), (1, 4));
        // C1 missed its second cycle (2026-10-30): only C2 was on time.
        assert_eq!(budget_on_time(c, &all, p, t).unwrap(), (1, 3));
        assert_eq!(budget_pass(c, &all, p, t).unwrap(), (1, 2));
    }

    /// A submission after the budget date is not on time.
    #[test]
    fn a_late_submission_is_not_on_time() {
        let (_dir, db) = book();
        let c = db.conn().unwrap();
        rusqlite::Connection::execute_batch(
            c,
            "INSERT INTO customers(customer_id, customer_name, csm) VALUES ('C4', '丁', '王芳');
             INSERT INTO budgets(customer_id, budget_date, submitted, created, author)
               VALUES ('C4', '2026-10-10', '2026-10-12', '2026-09-01', 'me');",
        )
        .unwrap();
        let all = Filters::default();
        assert_eq!(budget_on_time(c, &all, october(), today()).unwrap(), (1, 4));
        // Still submitted: it counts for budget_pass's denominator.
        assert_eq!(budget_pass(c, &all, october(), today()).unwrap(), (1, 3));
    }

    #[test]
    fn customer_filters_narrow_and_a_past_today_sees_less() {
        let (_dir, db) = book();
        let c = db.conn().unwrap();
        let mut zhang = Filters::default();
        zhang.attr(Col::Csm, vec!["张伟".into()]);
        let p = october();
        assert_eq!(risk_completion(c, &zhang, p, today()).unwrap(), (3, 3));
        assert_eq!(lead_conversion(c, &zhang, p, today()).unwrap(), (1, 3));
        assert_eq!(budget_on_time(c, &zhang, p, today()).unwrap(), (1, 2));
        let c3 = Filters {
            customer: vec!["C3".into()],
            ..Filters::default()
        };
        assert_eq!(risk_success(c, &c3, p, today()).unwrap(), (0, 0));
        assert_eq!(budget_pass(c, &c3, p, today()).unwrap(), (0, 0));
        // As of 2026-10-25: the risks raised by then, closed by then.
        let day: NaiveDate = "2026-10-25".parse().unwrap();
        let all = Filters::default();
        assert_eq!(risk_completion(c, &all, p, day).unwrap(), (1, 4));
        assert_eq!(lead_closure(c, &all, p, day).unwrap(), (2, 2));
        assert_eq!(budget_pass(c, &all, p, day).unwrap(), (1, 2));
    }
}
