//! What risks, leads and budget cycles share in the database: stored
//! days read back, and the history entry each of their changes writes.

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use super::history::{append_item, NewEntry};
use crate::date::from_iso;
use crate::error::Result;
use crate::history::{Actor, Kind};

/// A stored ISO day; anything else is an error naming it, not a guess.
pub(crate) fn day(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    let s = r.get_ref(i)?.as_str()?;
    from_iso(s).ok_or_else(|| bad(i, s))
}

/// A stored ISO day, or NULL.
pub(crate) fn day_opt(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get_ref(i)?.as_str_or_null()? {
        None => Ok(None),
        Some(s) => from_iso(s).map(Some).ok_or_else(|| bad(i, s)),
    }
}

fn bad(i: usize, s: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        crate::msg::values::not_a_stored_day(s).into(),
    )
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

pub(crate) fn record(conn: &Connection, c: &Change, who: &Actor) -> Result<()> {
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
