//! The values the read commands' filters name, checked once against the
//! book by every command that takes them (`list`, `due`, `export`,
//! `stats`, `log list --csm`): a value no customer has is an error, so a
//! typo (in `XAAS_CSM` too) is loud, not an empty list mailed by cron.

use crate::columns::Col;
use crate::customer::tier_rank;
use crate::db::{history, query, Db};
use crate::error::{Error, Result};
use crate::filter::{same_value, Filters};
use crate::msg::values as msg;

/// Known values shown in the error; the rest are counted.
const SHOWN: usize = 20;

/// The filters with each value of a customer attribute (`--csm`,
/// `--tier`, …) replaced by the stored values it names, case ignored.
pub(crate) fn resolve(db: &Db, f: &Filters) -> Result<Filters> {
    let mut out = f.clone();
    for (col, values) in &mut out.attrs {
        *values = attr_values(db, *col, values)?;
    }
    Ok(out)
}

/// The stored values that `wanted` name (each may name several
/// spellings), or an error for the first one no customer has, listing
/// the known values.
pub(crate) fn attr_values(db: &Db, col: Col, wanted: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for w in wanted {
        let found = known_as(db, col, w)?;
        if found.is_empty() {
            return Err(unknown(db, col, w)?);
        }
        for v in found {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    Ok(out)
}

/// The values `wanted` names among the customers' current ones and the
/// ones the history says they had (a former CSM still owns the terms that
/// expired in their time).
fn known_as(db: &Db, col: Col, wanted: &str) -> Result<Vec<String>> {
    let mut found = query::attr_spellings(db.sql(), col, wanted)?;
    for v in history::past_values(db.sql(), col)? {
        if same_value(wanted, &v) && !found.contains(&v) {
            found.push(v);
        }
    }
    Ok(found)
}

fn unknown(db: &Db, col: Col, value: &str) -> Result<Error> {
    let mut known = query::attr_values(db.sql(), col)?;
    for v in history::past_values(db.sql(), col)? {
        if !v.is_empty() && !known.contains(&v) {
            known.push(v);
        }
    }
    known.sort();
    if col == Col::Tier {
        known.sort_by(|a, b| tier_rank(Some(a)).cmp(&tier_rank(Some(b))));
    }
    // The column as the user reads its header.
    let column = crate::msg::pick(col.id(), col.zh());
    let listed = match known.len() {
        0 => msg::no_customer_has_any(column),
        n if n > SHOWN => msg::known_values_and_more(known[..SHOWN].join(", "), n),
        _ => msg::known_values(known.join(", ")),
    };
    Ok(Error::NotFound(msg::no_customer_has(column, value, listed)))
}
