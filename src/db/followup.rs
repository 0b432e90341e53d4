//! `followup set` in the database: the services it may touch, and
//! applying its plan.

use super::history::{append, NewEntry};
use super::records::insert_record;
use super::sql::{args, Row, Sql};
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::followup::{Candidate, Change};
use crate::history::{Actor, Kind};
use crate::record::{NewRecord, Notes};
use crate::status::{Reason, Status};

const CANDIDATE: &str =
    "SELECT s.service_id, s.customer_id, c.customer_name, s.expiry_date, s.status, s.status_changed_at
     FROM services s JOIN customers c ON c.customer_id = s.customer_id";

fn candidate(r: &Row) -> Result<Candidate> {
    let expiry: String = r.get(3)?;
    let stored: Option<String> = r.get(4)?;
    Ok(Candidate {
        service_id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        expiry: from_iso(&expiry).unwrap_or(chrono::NaiveDate::MIN),
        stored: Status::from_db(stored.as_deref()),
        changed_on: r
            .get::<Option<String>>(5)?
            .and_then(|at| at.get(..10).and_then(from_iso)),
    })
}

/// Every service of these customers, by customer then expiry.
pub(crate) fn candidates_of_customers(conn: &impl Sql, ids: &[String]) -> Result<Vec<Candidate>> {
    let sql = format!("{CANDIDATE} WHERE s.customer_id = ?1 ORDER BY s.expiry_date, s.service_id");
    let mut out = Vec::new();
    for id in ids {
        out.extend(conn.rows(&sql, args![id], candidate)?);
    }
    Ok(out)
}

/// These services, in the order named; every unknown id is reported.
pub(crate) fn candidates_of_services(conn: &impl Sql, ids: &[String]) -> Result<Vec<Candidate>> {
    let sql = format!("{CANDIDATE} WHERE s.service_id = ?1");
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match conn.row_opt(&sql, args![id], candidate)? {
            Some(c) => {
                if !out.iter().any(|o: &Candidate| o.service_id == c.service_id) {
                    out.push(c);
                }
            }
            None => missing.push(id.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(Error::NotFound(crate::msg::values::no_services(
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", "),
        )));
    }
    Ok(out)
}

/// Applies a checked plan: one record per customer naming its services,
/// the new statuses, and a history entry for every real change. The
/// caller holds the transaction. Returns the record ids.
pub(crate) fn apply(
    conn: &impl Sql,
    changes: &[Change],
    notes: &Notes,
    who: &Actor,
) -> Result<Vec<i64>> {
    let mut customers: Vec<&str> = Vec::new();
    for c in changes {
        if !customers.contains(&c.customer_id.as_str()) {
            customers.push(&c.customer_id);
        }
    }
    let mut records = Vec::new();
    for customer in customers {
        let mine: Vec<&Change> = changes
            .iter()
            .filter(|c| c.customer_id == customer)
            .collect();
        records.push(insert_record(
            conn,
            &NewRecord {
                customer_id: customer.to_string(),
                services: mine.iter().map(|c| c.service_id.clone()).collect(),
                at: who.at.clone(),
                author: who.author.clone(),
                status: mine.first().map(|c| c.to),
                notes: notes.clone(),
            },
        )?);
        for c in mine {
            set_one(conn, c, notes, who)?;
        }
    }
    Ok(records)
}

fn set_one(conn: &impl Sql, c: &Change, notes: &Notes, who: &Actor) -> Result<()> {
    // The reason belongs to a not-renewing service only (stats count it).
    let reason = (c.to == Status::NotRenewing)
        .then_some(notes.reason)
        .flatten()
        .map(Reason::id);
    let detail = reason.and(notes.reason_detail.as_deref());
    if !c.is_real() {
        if reason.is_some() {
            conn.execute(
                "UPDATE services SET reason = ?2, reason_detail = ?3 WHERE service_id = ?1",
                args![c.service_id, reason, detail],
            )?;
        }
        return Ok(());
    }
    conn.execute(
        "UPDATE services SET status = ?2, status_changed_at = ?3, reason = ?4, reason_detail = ?5
         WHERE service_id = ?1",
        args![c.service_id, c.to.to_db(), who.at, reason, detail],
    )?;
    append(
        conn,
        &NewEntry {
            kind: Kind::Status,
            service_id: &c.service_id,
            customer_id: &c.customer_id,
            term_expiry: Some(&iso(c.term_expiry)),
            from: Some(c.from.id()),
            to: Some(c.to.id()),
            reason: notes.reason.map(Reason::id),
            note: history_note(notes).as_deref(),
        },
        who,
    )
}

/// The history keeps the sub-reason with the note: both explain the move.
fn history_note(n: &Notes) -> Option<String> {
    let parts: Vec<&str> = [n.reason_detail.as_deref(), n.note.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}
