//! The `settings` table: read whole, written one key at a time with a
//! `setting` entry in the history.

use chrono::NaiveDate;

use super::history::{append, NewEntry};
use super::sql::{args, Sql};
use crate::clock::AsOf;
use crate::error::Result;
use crate::history::{Actor, Kind};
use crate::settings::{Key, Settings};

/// The day a command judges on, with the rules of this book.
pub(crate) fn as_of(conn: &impl Sql, today: NaiveDate) -> Result<AsOf> {
    Ok(AsOf::new(today, &load(conn)?))
}

pub(crate) fn load(conn: &impl Sql) -> Result<Settings> {
    let stored = conn.rows("SELECT key, value FROM settings", args![], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(Settings::from_stored(stored))
}

/// Stores a checked value; a real change is a history entry (from → to).
/// Returns the value before.
pub(crate) fn set(conn: &impl Sql, key: Key, value: &str, who: &Actor) -> Result<String> {
    let stored: Option<String> = conn.row_opt(
        "SELECT value FROM settings WHERE key = ?1",
        args![key.id()],
        |r| r.get(0),
    )?;
    let before = stored.unwrap_or_else(|| key.default_value().to_string());
    if before == value {
        return Ok(before);
    }
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        args![key.id(), value],
    )?;
    append(
        conn,
        &NewEntry {
            kind: Kind::Setting,
            service_id: "",
            customer_id: "",
            term_expiry: None,
            from: Some(&before),
            to: Some(value),
            reason: None,
            note: Some(key.id()),
        },
        who,
    )?;
    Ok(before)
}
