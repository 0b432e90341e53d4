//! The renewal cohort's terms, row by row: current terms expiring in the
//! period (not renewed through `renewal_of`), and terms closed as renewed
//! (each service and expiry once), with the same filters as `stats`. The
//! reason detail and last note are the service list's own columns.

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use std::collections::HashMap;

use super::history;
use super::query::{customer_columns, renewed_terms_in, where_clause};
use crate::clock::AsOf;
use crate::columns::{Col, TRACKED};
use crate::customer::Customer;
use crate::date::{from_iso, iso};
use crate::error::Result;
use crate::filter::Filters;
use crate::history::{value_on, AttrChange};
use crate::money::Cents;
use crate::outcome::{Outcome, OutcomeRow};
use crate::service::ServiceType;
use crate::stats::Period;
use crate::status::{Reason, Status};

/// Every term of the cohort matching `f`, by expiry then service. A term
/// counts for the customer's attributes on its expiry day (rule 5): the
/// CSM and tier it shows, and the customer filters it must pass.
///
/// `group`: a customer column whose value (on the expiry day) each row
/// carries, for a split.
pub(crate) fn cohort(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
    group: Option<Col>,
) -> Result<Vec<OutcomeRow>> {
    let mut changes: HashMap<Col, HashMap<String, Vec<AttrChange>>> = HashMap::new();
    for col in [Col::Csm, Col::Tier]
        .into_iter()
        .chain(group)
        .chain(f.attrs.iter().map(|(c, _)| *c))
        .filter(|c| TRACKED.contains(c))
    {
        if let std::collections::hash_map::Entry::Vacant(e) = changes.entry(col) {
            e.insert(history::customer_changes(conn, col)?);
        }
    }
    // Filters on an attribute that has changed are matched per term below.
    let (on_expiry, on_now): (Vec<_>, Vec<_>) = f
        .attrs
        .iter()
        .cloned()
        .partition(|(c, _)| changes.get(c).is_some_and(|m| !m.is_empty()));
    let sql_filters = Filters {
        attrs: on_now,
        ..f.clone()
    };
    let judge = AtExpiry {
        changes,
        on_expiry,
        group,
    };
    let mut out = current_terms(conn, &sql_filters, period, at, &judge)?;
    out.extend(renewed_terms(conn, &sql_filters, period, at, &judge)?);
    out.sort_by(|a, b| (a.expiry_date, &a.service_id).cmp(&(b.expiry_date, &b.service_id)));
    Ok(out)
}

/// A term's customer attributes on its expiry day (rule 5).
struct AtExpiry {
    changes: HashMap<Col, HashMap<String, Vec<AttrChange>>>,
    /// Filters matched on the expiry day's values.
    on_expiry: Vec<(Col, Vec<String>)>,
    group: Option<Col>,
}

impl AtExpiry {
    /// Fills the row's CSM, tier and group as of its expiry from the
    /// customer as stored now; false when a filter leaves the row out.
    fn apply(&self, customer: &Customer, row: &mut OutcomeRow) -> bool {
        let none = Vec::new();
        let on = |col: Col| -> Option<String> {
            let ch = self
                .changes
                .get(&col)
                .and_then(|m| m.get(&customer.id))
                .unwrap_or(&none);
            value_on(customer.get(col), ch, row.expiry_date).map(str::to_string)
        };
        let passes = self
            .on_expiry
            .iter()
            .all(|(col, wanted)| on(*col).is_some_and(|v| wanted.contains(&v)));
        if passes {
            row.csm = on(Col::Csm);
            row.tier = on(Col::Tier);
            row.group = self.group.and_then(on);
        }
        passes
    }
}

fn current_terms(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
    judge: &AtExpiry,
) -> Result<Vec<OutcomeRow>> {
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("s.expiry_date BETWEEN {from} AND {to}"));
    // A term renewed through `renewal_of` is counted from `terms`.
    w.push("(s.status IS NULL OR s.status <> 'renewed')".into());
    let sql = format!(
        "SELECT {}, s.service_id, s.product, s.expiry_date, s.amount, s.status, s.reason,
                s.reason_detail, s.last_note, s.service_type
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
        let mut row = OutcomeRow {
            csm: None,
            tier: None,
            customer_id: base.id.clone(),
            customer_name: base.name.clone(),
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
            service_type: service_type(r, n + 8)?,
            group: None,
        };
        Ok(judge.apply(&base, &mut row).then_some(row))
    })?;
    let mut out = Vec::new();
    for r in rows {
        out.extend(r?);
    }
    Ok(out)
}

fn renewed_terms(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
    judge: &AtExpiry,
) -> Result<Vec<OutcomeRow>> {
    let w = renewed_terms_in(f, period, at);
    let sql = format!(
        "SELECT {}, s.service_id, s.product, t.expiry_date, t.amount, t.new_expiry, t.new_amount,
                s.last_note, s.service_type
         FROM terms t JOIN services s ON s.service_id = t.service_id
              JOIN customers c ON c.customer_id = s.customer_id{}",
        customer_columns(),
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(w.params(), |r| {
        let base = super::query::customer_from(r, 0)?;
        let n = crate::columns::CUSTOMER_COLUMNS;
        let mut row = OutcomeRow {
            csm: None,
            tier: None,
            customer_id: base.id.clone(),
            customer_name: base.name.clone(),
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
            service_type: service_type(r, n + 7)?,
            group: None,
        };
        Ok(judge.apply(&base, &mut row).then_some(row))
    })?;
    let mut out = Vec::new();
    for r in rows {
        out.extend(r?);
    }
    Ok(out)
}

fn service_type(r: &Row, i: usize) -> rusqlite::Result<ServiceType> {
    let s = r.get_ref(i)?.as_str()?;
    ServiceType::from_id(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown stored service type `{s}`").into(),
        )
    })
}

fn date(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    Ok(r.get_ref(i)?.as_str()?.parse().unwrap_or(NaiveDate::MIN))
}
