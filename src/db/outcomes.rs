//! The renewal cohort's terms, row by row: current terms expiring in the
//! period (not renewed through `renewal_of`), and terms closed as renewed
//! (each service and expiry once), with the same filters as `stats`. The
//! reason detail and last note are the service list's own columns.

use chrono::NaiveDate;

use std::collections::HashMap;

use super::history;
use super::query::{customer_columns, renewed_terms_in, where_clause, Reading, Where};
use super::sql::{Row, Sql};
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
///
/// `--health` keeps the terms of services whose band today is wanted, as
/// `stats` reads the services.
pub(crate) fn cohort(
    conn: &impl Sql,
    f: &Filters,
    period: Period,
    read: &Reading,
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
    let mut out = current_terms(conn, &sql_filters, period, read, &judge)?;
    out.extend(renewed_terms(conn, &sql_filters, period, read, &judge)?);
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

/// What both kinds of term select first: the customer, then the service's
/// id, product and type, the term's expiry and amount; the rest follows.
const HEAD: &str = "s.service_id, s.product, s.service_type";

/// A row from `HEAD` and the term's expiry and amount (at `n + 3` and
/// `n + 4`, after the customer's `n` columns), with the outcome and its
/// details still to fill in.
fn head(r: &Row, outcome: Outcome) -> Result<(Customer, OutcomeRow)> {
    let base = customer_from(r, 0)?;
    let n = crate::columns::CUSTOMER_COLUMNS;
    let row = OutcomeRow {
        csm: None,
        tier: None,
        customer_id: base.id.clone(),
        customer_name: base.name.clone(),
        service_id: r.get(n)?,
        product: r.get(n + 1)?,
        service_type: {
            let t: String = r.get(n + 2)?;
            ServiceType::from_id(&t).ok_or_else(|| {
                crate::Error::Invalid(crate::msg::values::unknown_stored_service_type(&t))
            })?
        },
        expiry_date: date(r, n + 3)?,
        amount: r.get::<Option<i64>>(n + 4)?.map(Cents::from),
        outcome,
        status: Status::Renewed,
        new_expiry: None,
        new_amount: None,
        reason: None,
        reason_detail: None,
        last_note: None,
        group: None,
    };
    Ok((base, row))
}

/// The rows of `sql` (its own columns first, `n` of them, then
/// `read.rater`'s when `--health` is wanted) that `row` makes, less those
/// whose service's band is not wanted.
fn kept(
    conn: &impl Sql,
    sql: &str,
    w: &Where,
    f: &Filters,
    read: &Reading,
    n: usize,
    mut row: impl FnMut(&Row) -> Result<Option<OutcomeRow>>,
) -> Result<Vec<OutcomeRow>> {
    let sql = super::sql::for_engine(conn.kind(), sql).into_owned();
    let by_band = !f.health.is_empty() && read.rater.rates();
    // The rows first, then their bands: on PostgreSQL nothing else runs
    // while rows stream (and a band may need a lookup).
    let mut found = Vec::new();
    conn.each(&sql, &w.args(), &mut |r| {
        let stored = if by_band {
            super::health::stored_of(r, n)?
        } else {
            None
        };
        if let Some(row) = row(r)? {
            found.push((row, stored));
        }
        Ok(())
    })?;
    if f.health.is_empty() {
        return Ok(found.into_iter().map(|(row, _)| row).collect());
    }
    let mut out = Vec::new();
    for (row, stored) in found {
        let id = row.service_id.clone();
        let band = if by_band {
            read.rater.health(conn, stored, || Ok(id))?.band
        } else {
            crate::health::Band::Unknown
        };
        if f.health.contains(&band) {
            out.push(row);
        }
    }
    Ok(out)
}

/// A customer from its columns starting at `at`, in registry order.
fn customer_from(r: &Row, at: usize) -> Result<Customer> {
    let mut c = Customer {
        id: r.get(at)?,
        name: r.get(at + 1)?,
        ..Customer::default()
    };
    for (i, slot) in c.attrs.iter_mut().enumerate() {
        *slot = r.get(at + 2 + i)?;
    }
    Ok(c)
}

/// The join and columns `kept` reads health from, when `--health` wants
/// them.
fn health_sql(f: &Filters, read: &Reading, w: &mut Where) -> (&'static str, String) {
    if f.health.is_empty() {
        return ("", String::new());
    }
    read.rater.narrow(w, &f.health);
    (read.rater.join(), read.rater.columns())
}

fn current_terms(
    conn: &impl Sql,
    f: &Filters,
    period: Period,
    read: &Reading,
    judge: &AtExpiry,
) -> Result<Vec<OutcomeRow>> {
    let at: AsOf = read.at;
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("s.expiry_date BETWEEN {from} AND {to}"));
    // A term renewed through `renewal_of` is counted from `terms`.
    w.push("(s.status IS NULL OR s.status <> 'renewed')".into());
    let (join, health) = health_sql(f, read, &mut w);
    let sql = format!(
        "SELECT {}, {HEAD}, s.expiry_date, s.amount, s.status, s.reason, s.reason_detail, s.last_note{health}
         FROM services s JOIN customers c ON c.customer_id = s.customer_id{join}{}",
        customer_columns(),
        w.sql()
    );
    let own = crate::columns::CUSTOMER_COLUMNS + 9;
    kept(conn, &sql, &w, f, read, own, |r| {
        let n = crate::columns::CUSTOMER_COLUMNS + 5;
        let (base, mut row) = head(r, Outcome::Open)?;
        let status = Status::from_db(r.get::<Option<String>>(n)?.as_deref());
        let left = crate::window::days_left(row.expiry_date, at.today);
        row.status = Status::effective_on(status, left, at.grace_days);
        row.outcome = Outcome::of(row.status);
        if row.outcome == Outcome::NotRenewing {
            row.reason = r
                .get::<Option<String>>(n + 1)?
                .and_then(|x| Reason::parse(&x).ok());
            row.reason_detail = r.get(n + 2)?;
        }
        row.last_note = r.get(n + 3)?;
        Ok(judge.apply(&base, &mut row).then_some(row))
    })
}

fn renewed_terms(
    conn: &impl Sql,
    f: &Filters,
    period: Period,
    read: &Reading,
    judge: &AtExpiry,
) -> Result<Vec<OutcomeRow>> {
    let mut w = renewed_terms_in(f, period, read.at);
    let (join, health) = health_sql(f, read, &mut w);
    let sql = format!(
        "SELECT {}, {HEAD}, t.expiry_date, t.amount, t.new_expiry, t.new_amount, s.last_note{health}
         FROM terms t JOIN services s ON s.service_id = t.service_id
              JOIN customers c ON c.customer_id = s.customer_id{join}{}",
        customer_columns(),
        w.sql()
    );
    let own = crate::columns::CUSTOMER_COLUMNS + 8;
    kept(conn, &sql, &w, f, read, own, |r| {
        let n = crate::columns::CUSTOMER_COLUMNS + 5;
        let (base, mut row) = head(r, Outcome::Renewed)?;
        row.new_expiry = r.get::<Option<String>>(n)?.as_deref().and_then(from_iso);
        row.new_amount = r.get::<Option<i64>>(n + 1)?.map(Cents::from);
        row.last_note = r.get(n + 2)?;
        Ok(judge.apply(&base, &mut row).then_some(row))
    })
}

fn date(r: &Row, i: usize) -> Result<NaiveDate> {
    Ok(r.get::<String>(i)?.parse().unwrap_or(NaiveDate::MIN))
}
