//! What risks, leads, budget cycles and tasks share in the database:
//! stored days and labels read back, the history entry each of their
//! changes writes, and the filters' SQL made fit for PostgreSQL.

use chrono::NaiveDate;

use super::history::{append_item, NewEntry};
use super::sql::{Row, Sql, Value};
use crate::date::from_iso;
use crate::error::{Error, Result};
use crate::history::{Actor, Kind};

/// A stored ISO day; anything else is an error naming it, not a guess.
pub(crate) fn day(r: &Row, i: usize) -> Result<NaiveDate> {
    day_or(r, i, |s| crate::msg::values::not_a_stored_day(s))
}

/// `day`, with the error said by `msg`.
pub(crate) fn day_or(r: &Row, i: usize, msg: fn(&str) -> String) -> Result<NaiveDate> {
    match r.value(i)? {
        Value::Text(s) => from_iso(&s).ok_or_else(|| bad(i, msg(&s))),
        v => Err(bad(i, msg(&format!("{v:?}")))),
    }
}

/// A stored ISO day, or NULL.
pub(crate) fn day_opt(r: &Row, i: usize) -> Result<Option<NaiveDate>> {
    match r.value(i)? {
        Value::Null => Ok(None),
        _ => day(r, i).map(Some),
    }
}

/// A stored enum value; an unknown one is an error naming it, not a guess.
pub(crate) fn stored<T>(r: &Row, i: usize, from_id: fn(&str) -> Option<T>) -> Result<T> {
    let s: String = r.get(i)?;
    from_id(&s).ok_or_else(|| bad(i, crate::msg::values::unknown_stored_value(&s)))
}

/// `stored`, or NULL.
pub(crate) fn stored_opt<T>(
    r: &Row,
    i: usize,
    from_id: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    match r.value(i)? {
        Value::Null => Ok(None),
        _ => stored(r, i, from_id).map(Some),
    }
}

fn bad(i: usize, said: String) -> Error {
    Error::Invalid(crate::msg::storage::database_value(format!(
        "column {i}: {said}"
    )))
}

/// One change of an item, in the history: `service` '' for a customer's
/// own item, as attribute entries have it.
pub(crate) struct Change<'a> {
    pub kind: Kind,
    /// None only for a budget date change that left no cycle behind.
    pub item: Option<i64>,
    pub customer_id: &'a str,
    pub service_id: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub(crate) fn record(conn: &impl Sql, c: &Change, who: &Actor) -> Result<()> {
    append_item(
        conn,
        &NewEntry {
            kind: c.kind,
            service_id: c.service_id.unwrap_or(""),
            customer_id: c.customer_id,
            term_expiry: None,
            from: c.from,
            to: c.to,
            reason: None,
            note: c.note,
        },
        c.item,
        who,
    )
}
