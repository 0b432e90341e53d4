//! Follow-up writes and reads: the services a `followup set` may touch,
//! applying its plan, and follow-up records.

use rusqlite::{params, Connection, Row};

use super::history::{append, NewEntry};
use super::query::Where;
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::followup::{Candidate, Change, FollowupRecord, NewRecord, Notes, RecordFilter};
use crate::history::{Actor, Kind};
use crate::status::{Reason, Status};

const CANDIDATE: &str =
    "SELECT s.service_id, s.customer_id, c.customer_name, s.expiry_date, s.status
     FROM services s JOIN customers c ON c.customer_id = s.customer_id";

fn candidate(r: &Row) -> rusqlite::Result<Candidate> {
    let expiry: String = r.get(3)?;
    Ok(Candidate {
        service_id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        expiry: from_iso(&expiry).unwrap_or(chrono::NaiveDate::MIN),
        stored: Status::from_db(r.get_ref(4)?.as_str_or_null()?),
    })
}

/// Every service of these customers, by customer then expiry.
pub fn candidates_of_customers(conn: &Connection, ids: &[String]) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CANDIDATE} WHERE s.customer_id = ?1 ORDER BY s.expiry_date, s.service_id"
    ))?;
    let mut out = Vec::new();
    for id in ids {
        for c in stmt.query_map([id], candidate)? {
            out.push(c?);
        }
    }
    Ok(out)
}

/// These services, in the order named; every unknown id is reported.
pub fn candidates_of_services(conn: &Connection, ids: &[String]) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached(&format!("{CANDIDATE} WHERE s.service_id = ?1"))?;
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match stmt.query_map([id], candidate)?.next() {
            Some(c) => {
                let c = c?;
                if !out.iter().any(|o: &Candidate| o.service_id == c.service_id) {
                    out.push(c);
                }
            }
            None => missing.push(id.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(Error::NotFound(format!(
            "no service {}\nhint: `xaas show CUSTOMER` lists a customer's services",
            missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(out)
}

/// Applies a checked plan: one record per customer naming its services,
/// the new statuses, and a history entry for every real change. The
/// caller holds the transaction. Returns the record ids.
pub fn apply(
    conn: &Connection,
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

fn set_one(conn: &Connection, c: &Change, notes: &Notes, who: &Actor) -> Result<()> {
    // The reason belongs to a not-renewing service only (stats count it).
    let reason = (c.to == Status::NotRenewing)
        .then_some(notes.reason)
        .flatten()
        .map(Reason::id);
    if !c.is_real() {
        if reason.is_some() {
            conn.prepare_cached("UPDATE services SET reason = ?2 WHERE service_id = ?1")?
                .execute(params![c.service_id, reason])?;
        }
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE services SET status = ?2, status_changed_at = ?3, reason = ?4 WHERE service_id = ?1",
    )?
    .execute(params![c.service_id, c.to.to_db(), who.at, reason])?;
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

/// Writes a record and moves `last_followup_at` of the services it names
/// (all of the customer's when it names none) up to its time.
pub fn insert_record(conn: &Connection, r: &NewRecord) -> Result<i64> {
    let n = &r.notes;
    conn.prepare_cached(
        "INSERT INTO records(customer_id, at, author, sales, sales_contact, background, satisfaction, reason, reason_detail, note, status_change)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        r.customer_id,
        r.at,
        r.author,
        n.sales,
        n.sales_contact,
        n.background,
        n.satisfaction,
        n.reason.map(Reason::id),
        n.reason_detail,
        n.note,
        r.status.and_then(Status::to_db),
    ])?;
    let id = conn.last_insert_rowid();
    let later = "(last_followup_at IS NULL OR last_followup_at < ?2)";
    if r.services.is_empty() {
        conn.prepare_cached(&format!(
            "UPDATE services SET last_followup_at = ?2 WHERE customer_id = ?1 AND {later}"
        ))?
        .execute(params![r.customer_id, r.at])?;
    }
    for s in &r.services {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO record_services(record_id, service_id) VALUES (?1, ?2)",
        )?
        .execute(params![id, s])?;
        conn.prepare_cached(&format!(
            "UPDATE services SET last_followup_at = ?2 WHERE service_id = ?1 AND {later}"
        ))?
        .execute(params![s, r.at])?;
    }
    Ok(id)
}

/// Records matching the filter, newest first.
pub fn list_records(conn: &Connection, f: &RecordFilter) -> Result<Vec<FollowupRecord>> {
    let mut w = Where::default();
    if let Some(c) = &f.customer {
        w.any_of(std::slice::from_ref(c), |p| format!("r.customer_id = {p}"));
    }
    w.any_of(&f.services, |p| {
        format!("r.id IN (SELECT record_id FROM record_services WHERE service_id = {p})")
    });
    if let Some(d) = f.since {
        let p = w.param(iso(d));
        w.push(format!("substr(r.at, 1, 10) >= {p}"));
    }
    if let Some(d) = f.until {
        let p = w.param(iso(d));
        w.push(format!("substr(r.at, 1, 10) <= {p}"));
    }
    w.any_of(&f.author, |p| format!("r.author = {p}"));
    w.any_of(&f.csm, |p| format!("c.csm = {p}"));
    let reasons: Vec<String> = f.reason.iter().map(|r| r.id().to_string()).collect();
    w.any_of(&reasons, |p| format!("r.reason = {p}"));
    let limit = f.limit.map_or(String::new(), |l| format!(" LIMIT {l}"));
    let sql = format!(
        "SELECT r.id, r.at, r.customer_id, c.customer_name, c.csm, r.author, r.status_change,
                r.sales, r.sales_contact, r.background, r.satisfaction, r.reason, r.reason_detail, r.note,
                (SELECT group_concat(service_id, char(31)) FROM
                    (SELECT service_id FROM record_services WHERE record_id = r.id ORDER BY service_id))
         FROM records r JOIN customers c ON c.customer_id = r.customer_id{}
         ORDER BY r.at DESC, r.id DESC{limit}",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(w.params(), record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn record(r: &Row) -> rusqlite::Result<FollowupRecord> {
    let services: Option<String> = r.get(14)?;
    Ok(FollowupRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        csm: r.get(4)?,
        author: r.get(5)?,
        status: super::label(r, 6, Status::parse)?,
        services: services
            .map(|s| s.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
        notes: Notes {
            sales: r.get(7)?,
            sales_contact: r.get(8)?,
            background: r.get(9)?,
            satisfaction: r.get(10)?,
            reason: super::label(r, 11, Reason::parse)?,
            reason_detail: r.get(12)?,
            note: r.get(13)?,
        },
    })
}
