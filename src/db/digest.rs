//! What `xaas digest` reads besides the worklist's window and the tasks:
//! the terms renewed, set `not_renewing` or lapsed in a span of days, and
//! the customers followed up in it. Each read is bounded by the span (the
//! renewals by when they were recorded, the losses by the status change or
//! the expiry), so a week's digest reads a week's rows.

use super::sql::{args, Kind, Row, Sql};
use chrono::{Days, NaiveDate};

use super::query::{customer_where_on, where_clause_on};
use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::digest::{lapse_day, Lost, Term};
use crate::error::Result;
use crate::filter::Filters;
use crate::money::Cents;
use crate::stats::Period;
use crate::status::{Reason, Status};
use crate::window::days_left;

/// A stamp (`2026-11-23T09:30:00+08:00`) or a day, bounded to the days
/// of `p`: from its first day to before the day after its last (text
/// order is date order for the stamps' leading day).
fn stamp_bounds(p: Period) -> (String, String) {
    let after =
        p.to.checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
    (iso(p.from), iso(after))
}

fn day(r: &Row, i: usize) -> Result<NaiveDate> {
    let s: String = r.get(i)?;
    from_iso(s.get(..10).unwrap_or(&s))
        .ok_or_else(|| crate::Error::Invalid(crate::msg::values::stored_date_unreadable(&s)))
}

/// SQLite's `CROSS JOIN` (a join in the order written) and `+` (an
/// expression no index serves), or PostgreSQL's plain forms.
fn cross(conn: &impl Sql) -> (&'static str, &'static str) {
    match conn.kind() {
        Kind::Lite => ("CROSS JOIN", "+"),
        Kind::Pg => ("JOIN", ""),
    }
}

/// The rows of `sql` made by `f`.
fn rows_of<T>(
    conn: &impl Sql,
    sql: String,
    w: &super::query::Where,
    f: impl FnMut(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    let sql = super::sql::for_engine(conn.kind(), &sql).into_owned();
    conn.rows(&sql, &w.args(), f)
}

/// The service's and customer's columns every term row starts with, after
/// its day.
const NAMES: &str = "s.service_id, s.customer_id, c.customer_name, s.product";

fn term(r: &Row, amount: Option<i64>, new_amount: Option<i64>, lost: Option<Lost>) -> Result<Term> {
    Ok(Term {
        day: day(r, 0)?,
        service_id: r.get(1)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        product: r.get(4)?,
        amount: amount.map(Cents::from),
        new_amount: new_amount.map(Cents::from),
        lost,
    })
}

/// Terms closed as renewed whose renewal was recorded in `p` (each
/// service and expiry once, as the cohort counts them), of services
/// matching `f`; the day is the renewal's.
pub(crate) fn renewed(conn: &impl Sql, f: &Filters, p: Period, at: AsOf) -> Result<Vec<Term>> {
    let mut w = where_clause_on(conn.kind(), f, None, at);
    let (from, after) = stamp_bounds(p);
    let lo = w.param(from);
    let hi = w.param(after);
    w.push(format!("t.closed_at >= {lo} AND t.closed_at < {hi}"));
    // The first row of its service and expiry, found through the
    // service's terms (`+` keeps SQLite off the expiry index, where all
    // of a day's renewals share a key): a look-up per renewal of the
    // period, where grouping every term read them all (0.1 s at 36k).
    let (cross, plus) = cross(conn);
    w.push(format!(
        "NOT EXISTS (SELECT 1 FROM terms e WHERE e.service_id = t.service_id
                     AND {plus}e.expiry_date = t.expiry_date AND e.id < t.id)"
    ));
    let sql = format!(
        "SELECT t.closed_at, {NAMES}, t.amount, t.new_amount
         FROM terms t {cross} services s ON s.service_id = t.service_id
         {cross} customers c ON c.customer_id = s.customer_id{}",
        w.sql()
    );
    rows_of(conn, sql, &w, |r| term(r, r.get(5)?, r.get(6)?, None))
}

/// Services of `f` set `not_renewing` in `p` and still so: the day is the
/// status change's, the reason the one given with it (none: `other`, as
/// `stats` counts it).
pub(crate) fn not_renewing(conn: &impl Sql, f: &Filters, p: Period, at: AsOf) -> Result<Vec<Term>> {
    let mut w = where_clause_on(conn.kind(), f, None, at);
    let (from, after) = stamp_bounds(p);
    let lo = w.param(from);
    let hi = w.param(after);
    w.push("s.status = 'not_renewing'".into());
    w.push(format!(
        "s.status_changed_at >= {lo} AND s.status_changed_at < {hi}"
    ));
    let (cross, _) = cross(conn);
    let sql = format!(
        "SELECT s.status_changed_at, {NAMES}, s.amount, s.reason
         FROM services s {cross} customers c ON c.customer_id = s.customer_id{}",
        w.sql()
    );
    rows_of(conn, sql, &w, |r| {
        let reason = r
            .get::<Option<String>>(6)?
            .and_then(|x| Reason::parse(&x).ok())
            .unwrap_or(Reason::Other);
        term(r, r.get(5)?, None, Some(Lost::NotRenewing(reason)))
    })
}

/// Services of `f` expiring in `expiries` whose term is lapsed as of
/// `at` (rule 11: still open `grace_days` after expiry); the day is the
/// one it was lost on, expiry + grace_days + 1.
pub(crate) fn lapsed(
    conn: &impl Sql,
    f: &Filters,
    expiries: Period,
    at: AsOf,
) -> Result<Vec<Term>> {
    let mut w = where_clause_on(conn.kind(), f, None, at);
    let lo = w.param(iso(expiries.from));
    let hi = w.param(iso(expiries.to));
    w.push(format!("s.expiry_date BETWEEN {lo} AND {hi}"));
    let (cross, _) = cross(conn);
    let sql = format!(
        "SELECT s.expiry_date, {NAMES}, s.amount, s.status
         FROM services s {cross} customers c ON c.customer_id = s.customer_id{}",
        w.sql()
    );
    let rows = rows_of(conn, sql, &w, |r| {
        let expiry = day(r, 0)?;
        let stored = Status::from_db(r.get::<Option<String>>(6)?.as_deref());
        let status = Status::effective_on(stored, days_left(expiry, at.today), at.grace_days);
        if status != Status::Lapsed {
            return Ok(None);
        }
        let mut t = term(r, r.get(5)?, None, Some(Lost::Lapsed))?;
        t.day = lapse_day(expiry, at.grace_days);
        Ok(Some(t))
    })?;
    Ok(rows.into_iter().flatten().collect())
}

/// How many customers the customer filters of `f` select.
pub(crate) fn customers(conn: &impl Sql, f: &Filters) -> Result<u64> {
    let w = customer_where_on(conn.kind(), f);
    let sql = format!("SELECT count(*) FROM customers c{}", w.sql());
    let n: i64 = conn.row(&sql, &w.args(), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Each follow-up record dated in `p`: its customer and day, to `each`.
pub(crate) fn records_in(
    conn: &impl Sql,
    p: Period,
    mut each: impl FnMut(&str, NaiveDate),
) -> Result<()> {
    let (from, after) = stamp_bounds(p);
    conn.each(
        "SELECT customer_id, at FROM records WHERE at >= ?1 AND at < ?2",
        args![from, after],
        &mut |r| {
            let d = day(r, 1)?;
            each(&r.get::<String>(0)?, d);
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_of_days_bounds_stamps_of_any_time_and_offset() {
        let p = Period {
            from: "2026-11-17".parse().unwrap(),
            to: "2026-11-23".parse().unwrap(),
        };
        let (lo, hi) = stamp_bounds(p);
        let inside = |s: &str| lo.as_str() <= s && s < hi.as_str();
        assert!(inside("2026-11-17T00:00:00+08:00"));
        assert!(inside("2026-11-23T23:59:59-05:00"));
        assert!(inside("2026-11-23"));
        assert!(!inside("2026-11-24T00:00:00+08:00"));
        assert!(!inside("2026-11-16T23:59:59+08:00"));
    }
}
