//! Follow-up records (跟进记录): writing one, and listing them.

use rusqlite::{params, Connection, Row};

use super::query::Where;
use crate::date::iso;
use crate::error::Result;
use crate::record::{NewRecord, Notes, Record, RecordFilter};
use crate::status::{Reason, Status};

/// Writes a record and moves `last_followup_at` of the services it names
/// (all of the customer's when it names none) up to its time.
pub(crate) fn insert_record(conn: &Connection, r: &NewRecord) -> Result<i64> {
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
    // The latest note is the service list's `last_note` (a back-dated
    // record does not replace a newer one).
    if let Some(note) = &n.note {
        let newer = "(last_note_at IS NULL OR last_note_at <= ?2)";
        if r.services.is_empty() {
            conn.prepare_cached(&format!(
                "UPDATE services SET last_note = ?3, last_note_at = ?2 WHERE customer_id = ?1 AND {newer}"
            ))?
            .execute(params![r.customer_id, r.at, note])?;
        }
        for s in &r.services {
            conn.prepare_cached(&format!(
                "UPDATE services SET last_note = ?3, last_note_at = ?2 WHERE service_id = ?1 AND {newer}"
            ))?
            .execute(params![s, r.at, note])?;
        }
    }
    Ok(id)
}

/// The time of the latest record about `service` (naming it, or naming
/// no service of its customer) dated on or before `day`: what the
/// service's `last_followup_at` was at the end of that day.
pub(crate) fn last_record_on(
    conn: &Connection,
    customer_id: &str,
    service_id: &str,
    day: chrono::NaiveDate,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT max(r.at) FROM records r
             WHERE r.customer_id = ?1 AND substr(r.at, 1, 10) <= ?3
               AND (EXISTS (SELECT 1 FROM record_services x WHERE x.record_id = r.id AND x.service_id = ?2)
                    OR NOT EXISTS (SELECT 1 FROM record_services x WHERE x.record_id = r.id))",
        )?
        .query_row(params![customer_id, service_id, iso(day)], |r| r.get(0))?)
}

/// Records matching the filter, newest first.
pub(crate) fn list_records(conn: &Connection, f: &RecordFilter) -> Result<Vec<Record>> {
    let mut w = Where::default();
    if let Some(c) = &f.customer {
        w.in_list("r.customer_id", std::slice::from_ref(c));
    }
    if !f.services.is_empty() {
        let list = w.list(&f.services);
        w.push(format!(
            "r.id IN (SELECT record_id FROM record_services WHERE service_id IN {list})"
        ));
    }
    if let Some(d) = f.since {
        let p = w.param(iso(d));
        w.push(format!("substr(r.at, 1, 10) >= {p}"));
    }
    if let Some(d) = f.until {
        let p = w.param(iso(d));
        w.push(format!("substr(r.at, 1, 10) <= {p}"));
    }
    w.in_list("r.author", &f.author);
    w.in_list("c.csm", &f.csm);
    let reasons: Vec<String> = f.reason.iter().map(|r| r.id().to_string()).collect();
    w.in_list("r.reason", &reasons);
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

fn record(r: &Row) -> rusqlite::Result<Record> {
    let services: Option<String> = r.get(14)?;
    Ok(Record {
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
