//! `today`: the CSM's worklist, most important first.

use chrono::NaiveDate;

use crate::date::iso;
use crate::db::{health, records, settings, worklist, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::worklist::{finish, Item};

use super::filters;

/// The worklist as a command shows it.
#[derive(Clone, Debug)]
pub struct Worklist {
    /// Most important first, at most `limit` of them.
    pub items: Vec<Item>,
    /// How many are on the list in all.
    pub total: usize,
}

/// The open services in the window matching `f`, scored and ordered as of
/// `today` (`worklist::Item::score`, `worklist::finish`): health under the calibration in force that
/// day, neglect from the records dated up to it.
///
/// Seam: open tasks due today or overdue join this list as rows of their
/// own when tasks exist (SPEC "The CSM's work"); they are read here, after
/// the services, and `Worklist` gains a second kind of row.
pub fn worklist(db: &Db, f: &Filters, today: NaiveDate, limit: Option<usize>) -> Result<Worklist> {
    let conn = db.conn();
    let at = settings::as_of(conn, today)?;
    let f = filters::resolve(db, f)?;
    let health = health::Rater::load(conn, today)?;
    let day = iso(today);
    let mut items = worklist::candidates(db, &f, at, health.rates(), |conn, mut c, ind| {
        let id = c.service_id.clone();
        c.health = health.health(conn, ind, || Ok(id))?;
        if !f.health.is_empty() && !f.health.contains(&c.health.band) {
            return Ok(None);
        }
        // A record dated after a past `--today` was not there yet.
        let later = c.last_record_at.as_deref().and_then(|t| t.get(..10));
        if later.is_some_and(|d| d > day.as_str()) {
            c.last_record_at = records::last_record_on(conn, &c.customer_id, &c.service_id, today)?;
        }
        Ok(Item::score(c, at))
    })?;
    finish(&mut items);
    let total = items.len();
    if let Some(n) = limit {
        items.truncate(n);
    }
    Ok(Worklist { items, total })
}
