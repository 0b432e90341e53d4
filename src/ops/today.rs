//! `today`: the CSM's worklist, most important first.

use chrono::NaiveDate;

use crate::clock::AsOf;
use crate::date::iso;
use crate::db::{health, records, settings, tasks, worklist, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::worklist::{finish, merge, Item, Row, TaskItem};

use super::filters;

/// The worklist as a command shows it.
#[derive(Clone, Debug)]
pub struct Worklist {
    /// Most important first, at most `limit` of them.
    pub items: Vec<Row>,
    /// How many are on the list in all.
    pub total: usize,
    /// The day and rules it was judged on (a task row shows its
    /// service's status as of then).
    pub at: AsOf,
}

/// The open services in the window matching `f`, scored and ordered as of
/// `today` (`worklist::Item::score`, `worklist::finish`): health under the calibration in force that
/// day, neglect from the records dated up to it. With them, as rows of
/// their own, the open tasks due that day or before of the customers `f`
/// selects (`worklist::TaskItem`); a filter on services (`--window`,
/// `--status`, `--health`, …) leaves the tasks out: they are not services.
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
    let mut total = items.len();
    let mut due = Vec::new();
    if !f.narrows_services() {
        // A page needs at most its length of each kind, in order.
        let (found, all) = tasks::due_by(conn, &f, today, limit)?;
        total += all;
        for (task, service) in found {
            due.extend(TaskItem::score(task, service, at));
        }
    }
    if let Some(n) = limit {
        items.truncate(n);
    }
    let mut rows = merge(items, due);
    if let Some(n) = limit {
        rows.truncate(n);
    }
    worklist::names(
        conn,
        rows.iter_mut().filter_map(|r| match r {
            Row::Service(i) => Some(&mut i.candidate),
            Row::Task(_) => None,
        }),
    )?;
    Ok(Worklist {
        items: rows,
        total,
        at,
    })
}
