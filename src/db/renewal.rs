//! Closing a term as renewed: the one path for an import that extends an
//! expiry, an imported `renewal_of`, and `xaas renew`.

use chrono::NaiveDate;

use super::history::{append, NewEntry};
use super::sql::{args, Sql};
use crate::clock::AsOf;
use crate::date::iso;
use crate::error::Result;
use crate::history::{Actor, Kind};
use crate::money::Cents;
use crate::renewal::Term;
use crate::status::Status;

pub(crate) fn current_term(conn: &impl Sql, service_id: &str) -> Result<Option<Term>> {
    conn.row_opt(
        "SELECT customer_id, start_date, expiry_date, amount, status FROM services WHERE service_id = ?1",
        args![service_id],
        |r| {
            Ok(Term {
                service_id: service_id.to_string(),
                customer_id: r.get(0)?,
                start_date: r.get(1)?,
                expiry_date: r.get(2)?,
                amount: r.get(3)?,
                status: Status::from_db(r.get::<Option<String>>(4)?.as_deref()),
            })
        },
    )
}

/// The latest expiry of a term of this service that xaas closed as
/// renewed, if any.
pub(crate) fn last_closed_expiry(conn: &impl Sql, service_id: &str) -> Result<Option<String>> {
    conn.one(
        "SELECT max(expiry_date) FROM terms WHERE service_id = ?1",
        args![service_id],
    )
}

/// When `current` itself came from a renewal recorded here, the term
/// that renewal closed: (expiry, amount).
pub(crate) fn renewed_into(
    conn: &impl Sql,
    current: &Term,
) -> Result<Option<(String, Option<i64>)>> {
    conn.row_opt(
        "SELECT expiry_date, amount FROM terms WHERE service_id = ?1 AND new_expiry = ?2
         ORDER BY id DESC LIMIT 1",
        args![current.service_id, current.expiry_date],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A service the platform lists as the renewal of a term renewed here
/// already: it shows that term as its previous one, and nothing is
/// renewed a second time.
pub(crate) fn link(conn: &impl Sql, service_id: &str, term: &(String, Option<i64>)) -> Result<()> {
    conn.execute(
        "UPDATE services SET previous_expiry = ?2, previous_amount = ?3 WHERE service_id = ?1",
        args![service_id, term.0, term.1],
    )?;
    Ok(())
}

fn amount_text(a: Option<i64>) -> String {
    a.map_or("-".into(), |c| Cents::from(c).to_string())
}

fn close_term(
    conn: &impl Sql,
    old: &Term,
    new_expiry: &str,
    new_amount: Option<i64>,
    renewed_by: Option<&str>,
    who: &Actor,
    at: AsOf,
) -> Result<()> {
    // What the term showed when it closed: a derived pending or lapsed too.
    let before = old.effective(at);
    conn.execute(
        "INSERT INTO terms(service_id, start_date, expiry_date, amount, status_before, new_expiry, new_amount, renewed_by, closed_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        args![
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
        ],
    )?;
    // The service that carries the new term shows this one as its previous.
    conn.execute(
        "UPDATE services SET previous_expiry = ?2, previous_amount = ?3 WHERE service_id = ?1",
        args![
            renewed_by.unwrap_or(&old.service_id),
            old.expiry_date,
            old.amount
        ],
    )?;
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
pub(crate) fn extend(
    conn: &impl Sql,
    old: &Term,
    new_expiry: &str,
    new_amount: Option<i64>,
    who: &Actor,
    at: AsOf,
) -> Result<()> {
    close_term(conn, old, new_expiry, new_amount, None, who, at)?;
    // A service renewed through `renewal_of` stays renewed for good.
    conn.execute(
        "UPDATE services SET status = NULL, status_changed_at = NULL, reason = NULL, reason_detail = NULL
         WHERE service_id = ?1 AND (status IS NULL OR status <> 'renewed')",
        args![old.service_id],
    )?;
    Ok(())
}

/// Rule 4, by `renewal_of`: `by` renews `old`, whose term closes as
/// renewed and whose status becomes `renewed` for good. Idempotent.
pub(crate) fn renewed_by(
    conn: &impl Sql,
    old: &Term,
    by: &str,
    by_expiry: &str,
    by_amount: Option<i64>,
    who: &Actor,
    at: AsOf,
) -> Result<bool> {
    if old.status == Status::Renewed {
        return Ok(false);
    }
    close_term(conn, old, by_expiry, by_amount, Some(by), who, at)?;
    conn.execute(
        "UPDATE services SET status = 'renewed', status_changed_at = ?2, reason = NULL, reason_detail = NULL
         WHERE service_id = ?1",
        args![old.service_id, who.at],
    )?;
    Ok(true)
}

/// Rules 4 and 8 by hand: the service's next term, from `start` to
/// `until`, replaces the current one, which closes as renewed (the same
/// path as an import renewal).
pub(crate) fn start_next_term(
    conn: &impl Sql,
    old: &Term,
    start: NaiveDate,
    until: NaiveDate,
    amount: Option<i64>,
    who: &Actor,
    at: AsOf,
) -> Result<()> {
    conn.execute(
        "UPDATE services SET start_date = ?2, expiry_date = ?3, amount = ?4 WHERE service_id = ?1",
        args![old.service_id, iso(start), iso(until), amount],
    )?;
    extend(conn, old, &iso(until), amount, who, at)
}
