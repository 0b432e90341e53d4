//! `settings`: the team's rules, read and set.

use crate::db::{settings, Db};
use crate::error::Result;
use crate::history::Actor;
use crate::settings::{Key, Settings};

/// Every setting, defaults filled in.
pub fn all(db: &Db) -> Result<Settings> {
    settings::load(db.sql())
}

/// Sets `key` to a value checked with `Key::check`; returns the value
/// before and after.
pub fn set(db: &mut Db, key: Key, value: &str, who: &Actor) -> Result<(String, String)> {
    let value = key.check(value).map_err(crate::Error::Invalid)?;
    all(db)?
        .check_with(key, &value)
        .map_err(crate::Error::Invalid)?;
    let before = db.change(|tx| settings::set(tx, key, &value, who))?;
    Ok((before, value))
}
