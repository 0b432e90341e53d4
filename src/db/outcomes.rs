//! The renewal cohort's terms, row by row: current terms expiring in the
//! period (not renewed through `renewal_of`), and terms closed as renewed
//! (each service and expiry once), with the same filters as `stats`. The
//! reason detail and last note are the service list's own columns.

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use super::query::{customer_columns, where_clause};
use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::error::Result;
use crate::filter::Filters;
use crate::money::Cents;
use crate::outcome::{Outcome, OutcomeRow};
use crate::stats::Period;
use crate::status::{Reason, Status};

/// Every term of the cohort matching `f`, by expiry then service.
pub(crate) fn cohort(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
) -> Result<Vec<OutcomeRow>> {
    let mut out = current_terms(conn, f, period, at)?;
    out.extend(renewed_terms(conn, f, period, at)?);
    out.sort_by(|a, b| (a.expiry_date, &a.service_id).cmp(&(b.expiry_date, &b.service_id)));
    Ok(out)
}

fn current_terms(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
) -> Result<Vec<OutcomeRow>> {
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("s.expiry_date BETWEEN {from} AND {to}"));
    // A term renewed through `renewal_of` is counted from `terms`.
    w.push("(s.status IS NULL OR s.status <> 'renewed')".into());
    let sql = format!(
        "SELECT {}, s.service_id, s.product, s.expiry_date, s.amount, s.status, s.reason,
                s.reason_detail, s.last_note
         FROM services s JOIN customers c ON c.customer_id = s.customer_id{}",
        customer_columns(),
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(w.params(), |r| {
        let base = super::query::customer_from(r, 0)?;
        let n = crate::columns::CUSTOMER_COLUMNS;
        let expiry = date(r, n + 2)?;
        let status = Status::from_db(r.get_ref(n + 4)?.as_str_or_null()?);
        let left = crate::window::days_left(expiry, at.today);
        let outcome = Outcome::of(Status::effective_on(status, left, at.grace_days));
        let not_renewing = outcome == Outcome::NotRenewing;
        Ok(OutcomeRow {
            csm: base.csm().map(str::to_string),
            customer_id: base.id,
            customer_name: base.name,
            service_id: r.get(n)?,
            product: r.get(n + 1)?,
            expiry_date: expiry,
            amount: r.get::<_, Option<i64>>(n + 3)?.map(Cents),
            outcome,
            new_expiry: None,
            new_amount: None,
            reason: if not_renewing {
                super::label(r, n + 5, Reason::parse)?
            } else {
                None
            },
            reason_detail: if not_renewing { r.get(n + 6)? } else { None },
            last_note: r.get(n + 7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn renewed_terms(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
) -> Result<Vec<OutcomeRow>> {
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("t.expiry_date BETWEEN {from} AND {to}"));
    w.push("t.id IN (SELECT min(id) FROM terms GROUP BY service_id, expiry_date)".into());
    let sql = format!(
        "SELECT {}, s.service_id, s.product, t.expiry_date, t.amount, t.new_expiry, t.new_amount,
                s.last_note
         FROM terms t JOIN services s ON s.service_id = t.service_id
              JOIN customers c ON c.customer_id = s.customer_id{}",
        customer_columns(),
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(w.params(), |r| {
        let base = super::query::customer_from(r, 0)?;
        let n = crate::columns::CUSTOMER_COLUMNS;
        Ok(OutcomeRow {
            csm: base.csm().map(str::to_string),
            customer_id: base.id,
            customer_name: base.name,
            service_id: r.get(n)?,
            product: r.get(n + 1)?,
            expiry_date: date(r, n + 2)?,
            amount: r.get::<_, Option<i64>>(n + 3)?.map(Cents),
            outcome: Outcome::Renewed,
            new_expiry: r.get_ref(n + 4)?.as_str_or_null()?.and_then(from_iso),
            new_amount: r.get::<_, Option<i64>>(n + 5)?.map(Cents),
            reason: None,
            reason_detail: None,
            last_note: r.get(n + 6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn date(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    Ok(r.get_ref(i)?.as_str()?.parse().unwrap_or(NaiveDate::MIN))
}
