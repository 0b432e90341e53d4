//! Closing a term as renewed: the one path for an import that extends an
//! expiry, an imported `renewal_of`, and `xaas renew`.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::history::{append, NewEntry};
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::history::{Actor, Kind};
use crate::money::Cents;
use crate::status::{check_renewal, next_term_start, Status};
use crate::window::Window;

/// A service's current term, as stored.
#[derive(Clone, Debug)]
pub struct Term {
    pub service_id: String,
    pub customer_id: String,
    pub start_date: Option<String>,
    pub expiry_date: String,
    pub amount: Option<i64>,
    pub status: Status,
}

impl Term {
    /// Rule 1 on the stored term: `pending` once in the window.
    pub fn effective(&self, today: NaiveDate) -> Status {
        let window =
            from_iso(&self.expiry_date).map_or(Window::Normal, |e| Window::classify(e, today));
        Status::effective(self.status, window)
    }
}

pub fn current_term(conn: &Connection, service_id: &str) -> Result<Option<Term>> {
    Ok(conn
        .prepare_cached(
            "SELECT customer_id, start_date, expiry_date, amount, status FROM services WHERE service_id = ?1",
        )?
        .query_row([service_id], |r| {
            Ok(Term {
                service_id: service_id.to_string(),
                customer_id: r.get(0)?,
                start_date: r.get(1)?,
                expiry_date: r.get(2)?,
                amount: r.get(3)?,
                status: Status::from_db(r.get::<_, Option<String>>(4)?.as_deref()),
            })
        })
        .optional()?)
}

fn amount_text(a: Option<i64>) -> String {
    a.map_or("-".into(), |c| Cents(c).to_string())
}

fn close_term(
    conn: &Connection,
    old: &Term,
    new_expiry: &str,
    new_amount: Option<i64>,
    renewed_by: Option<&str>,
    who: &Actor,
) -> Result<()> {
    let before = old.effective(who.today);
    conn.prepare_cached(
        "INSERT INTO terms(service_id, start_date, expiry_date, amount, status_before, new_expiry, new_amount, renewed_by, closed_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        old.service_id,
        old.start_date,
        old.expiry_date,
        old.amount,
        before.to_db(),
        new_expiry,
        new_amount,
        renewed_by,
        who.at,
        who.source.id()
    ])?;
    let by = renewed_by.map_or(String::new(), |b| format!("by {b}; "));
    let note = format!(
        "{by}was {before}; amount {} → {}",
        amount_text(old.amount),
        amount_text(new_amount)
    );
    append(
        conn,
        &NewEntry {
            kind: Kind::Renewal,
            service_id: &old.service_id,
            customer_id: &old.customer_id,
            term_expiry: Some(&old.expiry_date),
            from: Some(&old.expiry_date),
            to: Some(new_expiry),
            reason: None,
            note: Some(&note),
        },
        who,
    )
}

/// Rule 4, by a later expiry: the old term closes as renewed, and the
/// service starts its new term with no status. The caller has already
/// written (or is about to write) the new expiry, start and amount.
pub fn extend(
    conn: &Connection,
    old: &Term,
    new_expiry: &str,
    new_amount: Option<i64>,
    who: &Actor,
) -> Result<()> {
    close_term(conn, old, new_expiry, new_amount, None, who)?;
    // A service renewed through `renewal_of` stays renewed for good.
    conn.prepare_cached(
        "UPDATE services SET status = NULL, status_changed_at = NULL, reason = NULL
         WHERE service_id = ?1 AND (status IS NULL OR status <> 'renewed')",
    )?
    .execute([&old.service_id])?;
    Ok(())
}

/// Rule 4, by `renewal_of`: `by` renews `old`, whose term closes as
/// renewed and whose status becomes `renewed` for good. Idempotent.
pub fn renewed_by(
    conn: &Connection,
    old: &Term,
    by: &str,
    by_expiry: &str,
    by_amount: Option<i64>,
    who: &Actor,
) -> Result<bool> {
    if old.status == Status::Renewed {
        return Ok(false);
    }
    close_term(conn, old, by_expiry, by_amount, Some(by), who)?;
    conn.prepare_cached(
        "UPDATE services SET status = 'renewed', status_changed_at = ?2, reason = NULL WHERE service_id = ?1",
    )?
    .execute(params![old.service_id, who.at])?;
    Ok(true)
}

/// A renewal by hand, as `xaas renew` records it.
#[derive(Clone, Debug)]
pub struct Renewal {
    pub old: Term,
    pub start: NaiveDate,
    pub until: NaiveDate,
    pub amount: Option<i64>,
}

/// Rules 4 and 8 by hand: the current term closes as renewed and the next
/// starts the day after it, through the same path as an import renewal.
/// `amount` None keeps the current amount.
pub fn renew(
    conn: &Connection,
    service_id: &str,
    until: NaiveDate,
    amount: Option<Cents>,
    who: &Actor,
) -> Result<Renewal> {
    let old = current_term(conn, service_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "no service `{service_id}`\nhint: `xaas list --services --search TEXT` finds a customer's services"
        ))
    })?;
    let expiry = from_iso(&old.expiry_date).ok_or_else(|| {
        Error::Invalid(format!("stored expiry `{}` is not a date", old.expiry_date))
    })?;
    check_renewal(expiry, until).map_err(|e| Error::Refused(format!("{service_id}: {e}")))?;
    let start = next_term_start(expiry);
    let amount = amount.map(|c| c.0).or(old.amount);
    conn.prepare_cached(
        "UPDATE services SET start_date = ?2, expiry_date = ?3, amount = ?4 WHERE service_id = ?1",
    )?
    .execute(params![service_id, iso(start), iso(until), amount])?;
    extend(conn, &old, &iso(until), amount, who)?;
    Ok(Renewal {
        old,
        start,
        until,
        amount,
    })
}
