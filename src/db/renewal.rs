//! Closing a term as renewed: the one path for an import that extends an
//! expiry, an imported `renewal_of`, and `xaas renew`.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::status::Status;

/// Who writes a change, when, and through what.
#[derive(Clone, Debug)]
pub struct Actor {
    pub author: String,
    pub at: String,
    pub source: &'static str,
}

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

/// A history entry; the table is append-only.
#[allow(clippy::too_many_arguments)]
pub fn append_history(
    conn: &Connection,
    kind: &str,
    term: &Term,
    from: Option<&str>,
    to: Option<&str>,
    who: &Actor,
    reason: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO history(kind, service_id, customer_id, term_expiry, from_value, to_value, at, author, source, reason, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        kind,
        term.service_id,
        term.customer_id,
        term.expiry_date,
        from,
        to,
        who.at,
        who.author,
        who.source,
        reason,
        note
    ])?;
    Ok(())
}

fn amount_text(a: Option<i64>) -> String {
    a.map_or("-".into(), |c| crate::money::Cents(c).to_string())
}

fn close_term(
    conn: &Connection,
    old: &Term,
    new_expiry: &str,
    new_amount: Option<i64>,
    renewed_by: Option<&str>,
    who: &Actor,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO terms(service_id, start_date, expiry_date, amount, status_before, new_expiry, new_amount, renewed_by, closed_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        old.service_id,
        old.start_date,
        old.expiry_date,
        old.amount,
        old.status.to_db(),
        new_expiry,
        new_amount,
        renewed_by,
        who.at,
        who.source
    ])?;
    let note = match renewed_by {
        Some(by) => format!(
            "renewed by {by}; amount {} → {}",
            amount_text(old.amount),
            amount_text(new_amount)
        ),
        None => format!(
            "amount {} → {}",
            amount_text(old.amount),
            amount_text(new_amount)
        ),
    };
    append_history(
        conn,
        "renewal",
        old,
        Some(&old.expiry_date),
        Some(new_expiry),
        who,
        None,
        Some(&note),
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
