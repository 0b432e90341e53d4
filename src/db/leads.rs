//! The `leads` table: entering a lead and moving it on, each with a
//! `lead` history entry, and reading them back.

use super::items::{day, day_opt, record, stored, Change};
use super::query::customer_where;
use super::sql::{args, Row, Sql};
use crate::date::iso;
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::history::{Actor, Kind};
use crate::lead::{Lead, LeadMove, LeadStatus};
use crate::money::Cents;

const SELECT: &str = "SELECT l.id, l.customer_id, c.customer_name, c.csm, l.service_id, l.product,
        l.amount, l.note, l.status, l.entered, l.closed, l.converted, l.author
     FROM leads l JOIN customers c ON c.customer_id = l.customer_id";

fn lead(r: &Row) -> Result<Lead> {
    Ok(Lead {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        csm: r.get(3)?,
        service_id: r.get(4)?,
        product: r.get(5)?,
        amount: r.get::<Option<i64>>(6)?.map(Cents::from),
        note: r.get(7)?,
        status: stored(r, 8, LeadStatus::from_id)?,
        entered: day(r, 9)?,
        closed: day_opt(r, 10)?,
        converted: day_opt(r, 11)?,
        author: r.get(12)?,
    })
}

/// What `lead add` writes, its customer and service resolved.
pub(crate) struct Enter<'a> {
    pub customer_id: &'a str,
    pub service_id: Option<&'a str>,
    pub product: &'a str,
    pub amount: Option<Cents>,
    pub note: &'a str,
}

/// Enters a lead today; returns it as stored.
pub(crate) fn insert(conn: &impl Sql, l: &Enter, who: &Actor) -> Result<Lead> {
    let id: i64 = conn.one(
        "INSERT INTO leads(customer_id, service_id, product, amount, note, status, entered, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        args![
            l.customer_id,
            l.service_id,
            l.product,
            l.amount.map(Cents::stored),
            l.note,
            LeadStatus::Entered.id(),
            iso(who.today),
            who.author
        ],
    )?;
    let amount = l.amount.map(|a| format!(" {a}")).unwrap_or_default();
    let note = format!("#{id} {}{amount}: {}", l.product, l.note);
    record(
        conn,
        &Change {
            kind: Kind::Lead,
            item: Some(id),
            customer_id: l.customer_id,
            service_id: l.service_id,
            from: None,
            to: Some(LeadStatus::Entered.id()),
            note: Some(&note),
        },
        who,
    )?;
    get(conn, id)
}

/// A lead by its id; an unknown id is `NotFound`.
pub(crate) fn get(conn: &impl Sql, id: i64) -> Result<Lead> {
    conn.row_opt(&format!("{SELECT} WHERE l.id = ?1"), args![id], lead)?
        .ok_or_else(|| Error::NotFound(crate::msg::work::no_lead(id)))
}

/// Writes a checked move, and a new amount if one is given (the history
/// note says what it was).
pub(crate) fn apply(
    conn: &impl Sql,
    l: &Lead,
    m: &LeadMove,
    amount: Option<Cents>,
    who: &Actor,
) -> Result<Lead> {
    conn.execute(
        "UPDATE leads SET status = ?2, closed = coalesce(?3, closed),
             converted = coalesce(?4, converted), amount = coalesce(?5, amount)
         WHERE id = ?1",
        args![
            l.id,
            m.to.id(),
            m.closed.map(iso),
            m.converted.map(iso),
            amount.map(Cents::stored)
        ],
    )?;
    let mut note = format!("#{}", l.id);
    if let Some(new) = amount.filter(|a| Some(*a) != l.amount) {
        let old = l.amount.map_or_else(|| "none".into(), |a| a.to_string());
        note.push_str(&format!("; amount {old} → {new}"));
    }
    record(
        conn,
        &Change {
            kind: Kind::Lead,
            item: Some(l.id),
            customer_id: &l.customer_id,
            service_id: l.service_id.as_deref(),
            from: Some(m.from.id()),
            to: Some(m.to.id()),
            note: Some(&note),
        },
        who,
    )?;
    get(conn, l.id)
}

/// The leads of the customers the filters select (only open ones with
/// `open_only`), in the order they were entered.
pub(crate) fn list(conn: &impl Sql, f: &Filters, open_only: bool) -> Result<Vec<Lead>> {
    let mut w = customer_where(f);
    if open_only {
        let open: Vec<String> = LeadStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.id().to_string())
            .collect();
        let list = w.list(&open);
        w.push(format!("l.status IN {list}"));
    }
    let sql = format!("{SELECT}{} ORDER BY l.entered, l.id", w.sql());
    conn.rows(&super::sql::for_engine(conn.kind(), &sql), &w.args(), lead)
}
