//! `today`: the CSM's worklist, most important first.

use chrono::NaiveDate;

use crate::clock::AsOf;
use crate::db::health::{Rater, Stored};
use crate::db::sql::{Kind, Sql};
use crate::db::{health, settings, tasks, worklist, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::worklist::{finish, first, merge, Candidate, Item, Row, TaskItem};

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
    let conn = db.sql();
    let at = settings::as_of(conn, today)?;
    let f = filters::resolve(db, f)?;
    let health = health::Rater::load(conn, today)?;
    let (mut items, all) = match limit {
        // A first page: ranked from the expiry index, health judged only
        // for the services that can still make the page.
        Some(n) if f.health.is_empty() && !f.narrows_services() => {
            let customers = match f.split().0.is_empty() {
                true => None,
                false => Some(worklist::customer_ids(conn, &f)?),
            };
            // Room for the whole window at once: a vector that grows
            // copies what it holds each time (room not used is not touched).
            let mut items = Vec::with_capacity(worklist::window_size(conn, at)?);
            worklist::in_window_bare(conn, customers.as_ref(), at, |mut c| {
                worklist::record_as_of(conn, &mut c, today)?;
                items.extend(Item::score(c, at));
                Ok(())
            })?;
            let all = items.len();
            let page = first(items, n, |i| {
                let stored = match health.rates() {
                    true => worklist::indicators_of(conn, &i.candidate.service_id)?,
                    false => None,
                };
                let id = i.candidate.service_id.clone();
                i.judged(health.health(conn, stored, || Ok(id))?);
                Ok::<(), crate::Error>(())
            })?;
            (page, all)
        }
        _ => {
            let rates = health.rates();
            let mut items = match db.kind() {
                Kind::Lite => worklist::candidates(db, &f, at, rates, |conn, c, ind| {
                    judge_on(conn, &health, &f, at, today, c, ind)
                })?,
                Kind::Pg => {
                    let mut items = Vec::new();
                    for (c, ind) in worklist::candidates_pg(conn, &f, at, rates)? {
                        items.extend(judge_on(conn, &health, &f, at, today, c, ind)?);
                    }
                    items
                }
            };
            finish(&mut items);
            let all = items.len();
            (items, all)
        }
    };
    let mut total = all;
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

/// A candidate judged as of `today`: its health (none when `f` wants
/// other bands), its latest record then, and its score.
fn judge_on(
    conn: &impl Sql,
    health: &Rater,
    f: &Filters,
    at: AsOf,
    today: NaiveDate,
    mut c: Candidate,
    ind: Option<Stored>,
) -> Result<Option<Item>> {
    let id = c.service_id.clone();
    c.health = health.health(conn, ind, || Ok(id))?;
    if !f.health.is_empty() && !f.health.contains(&c.health.band) {
        return Ok(None);
    }
    worklist::record_as_of(conn, &mut c, today)?;
    Ok(Item::score(c, at))
}
