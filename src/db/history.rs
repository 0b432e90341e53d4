//! The history table: appended to by every change, never rewritten (the
//! schema's triggers refuse it), read oldest first.

use super::sql::{args, Sql};
use crate::error::Result;
use std::collections::HashMap;

use crate::columns::Col;
use crate::date::from_iso;
use crate::history::{Actor, AttrChange, Entry, Kind, Via};
use crate::status::Reason;

/// One entry to append.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    pub kind: Kind,
    pub service_id: &'a str,
    pub customer_id: &'a str,
    pub term_expiry: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub fn append(conn: &impl Sql, e: &NewEntry, who: &Actor) -> Result<()> {
    append_item(conn, e, None, who)
}

/// An entry about one risk, lead, budget cycle or task (`item`), so that the
/// item's whole story can be read back by its id.
pub fn append_item(conn: &impl Sql, e: &NewEntry, item: Option<i64>, who: &Actor) -> Result<()> {
    conn.execute(
        "INSERT INTO history(kind, service_id, customer_id, term_expiry, from_value, to_value, at, author, source, reason, note, item_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        args![
        e.kind.id(),
        e.service_id,
        e.customer_id,
        e.term_expiry,
        e.from,
        e.to,
        who.at,
        who.author,
        who.source.id(),
        e.reason,
        e.note,
        item
    ],
    )?;
    Ok(())
}

/// The changes of these customer attributes recorded by imports, per
/// customer, oldest first.
pub(crate) fn customer_changes(
    conn: &impl Sql,
    col: Col,
) -> Result<HashMap<String, Vec<AttrChange>>> {
    let mut out: HashMap<String, Vec<AttrChange>> = HashMap::new();
    conn.each(
        "SELECT customer_id, substr(at, 1, 10), from_value, to_value FROM history
         WHERE kind = 'attribute' AND service_id = '' AND note = ?1
         ORDER BY customer_id, substr(at, 1, 10), id",
        args![col.id()],
        &mut |r| {
            let day: String = r.get(1)?;
            let Some(day) = from_iso(&day) else {
                return Ok(());
            };
            out.entry(r.get(0)?).or_default().push(AttrChange {
                day,
                from: r.get(2)?,
                to: r.get(3)?,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// Whether an import ever changed this customer attribute.
/// What others wrote to the history after entry `mark`, newest first (a
/// few): the other side of a conflict. Called after the failed change
/// rolled back, so none of it is this one's; a setting is named by its
/// key, a customer's attribute by the customer.
pub(crate) fn changed_since(
    conn: &super::sql::Conn,
    mark: i64,
) -> Result<Vec<crate::error::Collision>> {
    Sql::rows(
        conn,
        "SELECT CASE WHEN service_id <> '' THEN service_id
                     WHEN customer_id <> '' THEN customer_id
                     ELSE coalesce(note, '') END,
                kind, to_value, author, at FROM history
          WHERE id > ?1 ORDER BY id DESC LIMIT 5",
        super::sql::args![mark],
        |r| {
            Ok(crate::error::Collision {
                service: r.get(0)?,
                what: r.get(1)?,
                to: r.get(2)?,
                author: r.get(3)?,
                at: r.get(4)?,
            })
        },
    )
}

pub(crate) fn has_changes(conn: &impl Sql, col: Col) -> Result<bool> {
    conn.one(
        "SELECT EXISTS (SELECT 1 FROM history
         WHERE kind = 'attribute' AND service_id = '' AND note = ?1)",
        args![col.id()],
    )
}

/// The values a customer attribute had before a recorded change.
pub(crate) fn past_values(conn: &impl Sql, col: Col) -> Result<Vec<String>> {
    conn.rows(
        "SELECT DISTINCT from_value FROM history
         WHERE kind = 'attribute' AND service_id = '' AND note = ?1 AND from_value IS NOT NULL",
        args![col.id()],
        |r| r.get(0),
    )
}

/// Whose history to read.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    Service(&'a str),
    Customer(&'a str),
}

/// Whether `id` names a service (else `history` looks for a customer).
pub(crate) fn is_service(conn: &impl Sql, id: &str) -> Result<bool> {
    conn.one(
        "SELECT EXISTS (SELECT 1 FROM services WHERE service_id = ?1)",
        args![id],
    )
}

/// Rule 5's order: by the entry's local date, then as written.
pub fn list(conn: &impl Sql, of: Subject) -> Result<Vec<Entry>> {
    let (column, id) = match of {
        Subject::Service(id) => ("h.service_id", id),
        Subject::Customer(id) => ("h.customer_id", id),
    };
    let sql = format!(
        "SELECT h.id, h.at, h.kind, h.service_id, h.customer_id, coalesce(c.customer_name, ''),
                h.term_expiry, h.from_value, h.to_value, h.author, h.source, h.reason, h.note,
                h.item_id
         FROM history h LEFT JOIN customers c ON c.customer_id = h.customer_id
         WHERE {column} = ?1
         ORDER BY substr(h.at, 1, 10), h.id"
    );
    conn.rows(&sql, args![id], entry)
}

fn entry(r: &super::sql::Row) -> Result<Entry> {
    let text = |i: usize| -> Result<String> { r.get(i) };
    let reason: Option<String> = r.get(11)?;
    Ok(Entry {
        id: r.get(0)?,
        at: text(1)?,
        kind: Kind::parse(&text(2)?).unwrap_or(Kind::Status),
        service_id: text(3)?,
        customer_id: text(4)?,
        customer_name: text(5)?,
        term_expiry: r.get(6)?,
        from: r.get(7)?,
        to: r.get(8)?,
        author: text(9)?,
        source: Via::parse(&text(10)?).unwrap_or(Via::Manual),
        reason: reason.and_then(|s| Reason::parse(&s).ok()),
        note: r.get(12)?,
        item_id: r.get(13)?,
    })
}
