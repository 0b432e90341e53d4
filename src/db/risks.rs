//! The `risks` table: recording a risk, its plan and its outcome, each
//! with a `risk` history entry, and reading them back.

use super::items::{day, day_opt, record, stored, stored_opt, Change};
use super::query::customer_where;
use super::sql::{args, Row, Sql};
use crate::date::iso;
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::history::{Actor, Kind};
use crate::risk::{Risk, RiskKind, RiskOutcome, RiskState};

const SELECT: &str = "SELECT r.id, r.customer_id, c.customer_name, c.csm, r.service_id, r.kind,
        r.owner, r.note, r.plan, r.planned, r.outcome, r.outcome_note, r.raised, r.closed, r.author
     FROM risks r JOIN customers c ON c.customer_id = r.customer_id";

fn risk(r: &Row) -> Result<Risk> {
    Ok(Risk {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        csm: r.get(3)?,
        service_id: r.get(4)?,
        kind: stored(r, 5, RiskKind::from_id)?,
        owner: r.get(6)?,
        note: r.get(7)?,
        plan: r.get(8)?,
        planned: day_opt(r, 9)?,
        outcome: stored_opt(r, 10, RiskOutcome::from_id)?,
        outcome_note: r.get(11)?,
        raised: day(r, 12)?,
        closed: day_opt(r, 13)?,
        author: r.get(14)?,
    })
}

/// What `risk add` writes, its customer and service resolved.
pub(crate) struct Raise<'a> {
    pub customer_id: &'a str,
    pub service_id: Option<&'a str>,
    pub kind: RiskKind,
    pub owner: Option<&'a str>,
    pub note: &'a str,
}

/// Records a risk raised today; returns it as stored.
pub(crate) fn insert(conn: &impl Sql, r: &Raise, who: &Actor) -> Result<Risk> {
    let id: i64 = conn.one(
        "INSERT INTO risks(customer_id, service_id, kind, owner, note, raised, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        args![
            r.customer_id,
            r.service_id,
            r.kind.id(),
            r.owner,
            r.note,
            iso(who.today),
            who.author
        ],
    )?;
    let note = format!("#{id} {}: {}", r.kind.id(), r.note);
    record(
        conn,
        &Change {
            kind: Kind::Risk,
            item: Some(id),
            customer_id: r.customer_id,
            service_id: r.service_id,
            from: None,
            to: Some(RiskState::Open.id()),
            note: Some(&note),
        },
        who,
    )?;
    get(conn, id)
}

/// A risk by its id; an unknown id is `NotFound`.
pub(crate) fn get(conn: &impl Sql, id: i64) -> Result<Risk> {
    conn.row_opt(&format!("{SELECT} WHERE r.id = ?1"), args![id], risk)?
        .ok_or_else(|| Error::NotFound(crate::msg::work::no_risk(id)))
}

/// Writes a checked plan (it replaces an earlier one; the history keeps
/// both).
pub(crate) fn plan(conn: &impl Sql, r: &Risk, plan: &str, who: &Actor) -> Result<Risk> {
    conn.execute(
        "UPDATE risks SET plan = ?2, planned = ?3 WHERE id = ?1",
        args![r.id, plan, iso(who.today)],
    )?;
    let note = format!("#{} plan: {plan}", r.id);
    record(
        conn,
        &Change {
            kind: Kind::Risk,
            item: Some(r.id),
            customer_id: &r.customer_id,
            service_id: r.service_id.as_deref(),
            from: Some(r.state().id()),
            to: Some(RiskState::Planned.id()),
            note: Some(&note),
        },
        who,
    )?;
    get(conn, r.id)
}

/// Writes a checked outcome, closing the risk today.
pub(crate) fn close(
    conn: &impl Sql,
    r: &Risk,
    outcome: RiskOutcome,
    note: &str,
    who: &Actor,
) -> Result<Risk> {
    conn.execute(
        "UPDATE risks SET outcome = ?2, outcome_note = ?3, closed = ?4 WHERE id = ?1",
        args![r.id, outcome.id(), note, iso(who.today)],
    )?;
    let entry = format!("#{} {note}", r.id);
    record(
        conn,
        &Change {
            kind: Kind::Risk,
            item: Some(r.id),
            customer_id: &r.customer_id,
            service_id: r.service_id.as_deref(),
            from: Some(r.state().id()),
            to: Some(outcome.id()),
            note: Some(&entry),
        },
        who,
    )?;
    get(conn, r.id)
}

/// The risks of the customers the filters select (only open ones with
/// `open_only`), in the order they were raised.
pub(crate) fn list(conn: &impl Sql, f: &Filters, open_only: bool) -> Result<Vec<Risk>> {
    let mut w = customer_where(f);
    if open_only {
        w.push("r.outcome IS NULL".into());
    }
    let sql = format!("{SELECT}{} ORDER BY r.raised, r.id", w.sql());
    conn.rows(&super::sql::for_engine(conn.kind(), &sql), &w.args(), risk)
}
