//! Tasks in the database: writing them, each change with its history
//! entry; reading them for `tasks list`, `today` and `show`; and the
//! snapshots of services and customers the rules of `task` are applied to.
//!
//! Every function runs on either engine (`Sql`). Where SQLite streams
//! rows into a callback that writes on the same connection, PostgreSQL
//! reads them all first (`each_then`): its connection is busy until the
//! last row.

use chrono::NaiveDate;

use super::history::{append_item, NewEntry};
use super::items::{day_or, stored};
use super::query::{status_sql, Where};
use super::sql::{args, Arg, Kind as Engine, Row, Sql, Value};
use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::history::{Actor, Kind};
use crate::money::Cents;
use crate::status::Status;
use crate::task::{
    budget_task, budget_task_gone, monthly_task, service_task, service_task_gone, CustomerFacts,
    Gone, Month, NewTask, Offsets, Rule, ServiceFacts, Span, Task, TaskFilter, TaskStatus,
};
use crate::worklist::TaskService;

/// A task's columns, `t.` and its customer's `c.`, in `task_from` order.
const COLUMNS: &str = "t.id, t.customer_id, c.customer_name, c.csm, t.service_id, t.rule, t.key,
    t.title, t.due, t.original_due, t.status, t.created_at, t.closed_at, t.author, t.note";

const FROM: &str = " FROM tasks t JOIN customers c ON c.customer_id = t.customer_id";

/// A stored ISO date; anything else is an error naming the column.
fn date(r: &Row, i: usize) -> Result<NaiveDate> {
    day_or(r, i, |s| crate::msg::values::stored_date_unreadable(s))
}

/// Stored text, or NULL, as `&str` for the rules' parsers.
fn text_opt(r: &Row, i: usize) -> Result<Option<String>> {
    r.get(i)
}

fn task_from(r: &Row) -> Result<Task> {
    Ok(Task {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        csm: r.get(3)?,
        service_id: r.get(4)?,
        rule: Rule::from_db(text_opt(r, 5)?.as_deref()),
        key: r.get(6)?,
        title: r.get(7)?,
        due: date(r, 8)?,
        original_due: date(r, 9)?,
        status: stored(r, 10, TaskStatus::from_id)?,
        created: r.get(11)?,
        closed: r.get(12)?,
        author: r.get(13)?,
        note: r.get(14)?,
    })
}

/// Each row made into a `T` by `map`, then given to `f`, which may run
/// statements on `conn`: streamed on SQLite, read whole first on
/// PostgreSQL (whose connection is busy until its last row).
fn each_then<T>(
    conn: &impl Sql,
    sql: &str,
    args: &[&dyn Arg],
    mut map: impl FnMut(&Row) -> Result<T>,
    mut f: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    match conn.kind() {
        Engine::Lite => conn.each(sql, args, &mut |r| f(map(r)?)),
        Engine::Pg => {
            for t in conn.rows(sql, args, map)? {
                f(t)?;
            }
            Ok(())
        }
    }
}

/// The task a history entry is about.
struct About<'a> {
    id: i64,
    rule: Rule,
    customer_id: &'a str,
    service_id: Option<&'a str>,
    key: Option<&'a str>,
}

impl<'a> About<'a> {
    fn task(t: &'a Task) -> About<'a> {
        About {
            id: t.id,
            rule: t.rule,
            customer_id: &t.customer_id,
            service_id: t.service_id.as_deref(),
            key: t.key.as_deref(),
        }
    }
}

/// The history entry of a change of a task (`#12 kickoff` and `note` in
/// its note): a customer's task names no service (`''`), as customer
/// attribute entries do; a task of a term names the term's expiry.
fn entry(
    conn: &impl Sql,
    kind: Kind,
    t: &About,
    (from, to): (Option<&str>, Option<&str>),
    note: &str,
    who: &Actor,
) -> Result<()> {
    let note = format!("#{} {}{note}", t.id, t.rule.id());
    append_item(
        conn,
        &NewEntry {
            kind,
            service_id: t.service_id.unwrap_or(""),
            customer_id: t.customer_id,
            term_expiry: t.key.filter(|_| t.rule.keyed_by_term()),
            from,
            to,
            reason: None,
            note: Some(&note),
        },
        Some(t.id),
        who,
    )
}

/// Writes a task and its `task_created` entry. A rule's task that is
/// there already (open, done or closed: the unique key) is not written
/// again: `None`.
pub(crate) fn insert(conn: &impl Sql, t: &NewTask, who: &Actor) -> Result<Option<i64>> {
    let Some(id) = insert_quietly(conn, t, who)? else {
        return Ok(None);
    };
    let about = About {
        id,
        rule: t.rule,
        customer_id: &t.customer_id,
        service_id: t.service_id.as_deref(),
        key: t.key.as_deref(),
    };
    let due = iso(t.due);
    let title = format!(": {}", t.title);
    let change = (None, Some(due.as_str()));
    entry(conn, Kind::TaskCreated, &about, change, &title, who)?;
    Ok(Some(id))
}

/// A task's row, unless its rule's task is there already (the unique
/// key); `?6` is the due day, also the original one.
macro_rules! insert_task {
    () => {
        "INSERT INTO tasks(customer_id, service_id, rule, key, title, due, original_due,
                           status, created_at, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 'open', ?7, ?8)
         ON CONFLICT DO NOTHING"
    };
}

/// `insert` without the history entry: a batch writes its entries after
/// its tasks, in one statement (`created_entries`).
fn insert_quietly(conn: &impl Sql, t: &NewTask, who: &Actor) -> Result<Option<i64>> {
    conn.row_opt(
        concat!(insert_task!(), " RETURNING id"),
        args![
            t.customer_id,
            t.service_id,
            t.rule.to_db(),
            t.key,
            t.title,
            iso(t.due),
            who.at,
            who.author
        ],
        |r| r.get(0),
    )
}

/// Many tasks written at once (a first sync makes one per customer and
/// service due in 30 days: hundreds of thousands on a large book): each
/// as `insert` writes it, and their `task_created` entries after them in
/// one statement, the same as `entry` would write one by one (a test
/// holds the two to the same rows), in task order.
pub(crate) struct Batch {
    /// The last task id before the batch: ids only grow (no task is
    /// ever deleted), so the batch's tasks are the ones after it.
    after: i64,
}

impl Batch {
    pub(crate) fn start(conn: &impl Sql) -> Result<Batch> {
        let after = conn.one("SELECT coalesce(max(id), 0) FROM tasks", args![])?;
        Ok(Batch { after })
    }

    /// Writes the task unless there already (see `insert`).
    /// (No `RETURNING`: SQLite buffers its rows, a cost on hundreds of
    /// thousands of tasks; the batch needs no id.)
    pub(crate) fn insert(&self, conn: &impl Sql, t: &NewTask, who: &Actor) -> Result<bool> {
        let n = conn.execute(
            insert_task!(),
            args![
                t.customer_id,
                t.service_id,
                t.rule.to_db(),
                t.key,
                t.title,
                iso(t.due),
                who.at,
                who.author
            ],
        )?;
        Ok(n == 1)
    }

    /// The history entries of the batch's tasks.
    pub(crate) fn finish(self, conn: &impl Sql, who: &Actor) -> Result<()> {
        let by_term: Vec<String> = Rule::ALL
            .iter()
            .filter(|r| r.keyed_by_term())
            .map(|r| format!("'{}'", r.id()))
            .collect();
        // `entry`'s note: `#12 kickoff: title`.
        conn.execute(
            &format!(
                "INSERT INTO history(kind, service_id, customer_id, term_expiry, from_value, to_value,
                                     at, author, source, reason, note, item_id)
                 SELECT ?2, coalesce(service_id, ''), customer_id,
                        CASE WHEN rule IN ({}) THEN key END, NULL, due, ?3, ?4, ?5, NULL,
                        '#' || id || ' ' || coalesce(rule, '{}') || ': ' || title, id
                 FROM tasks WHERE id > ?1 ORDER BY id",
                by_term.join(", "),
                Rule::Manual.id()
            ),
            args![
                self.after,
                Kind::TaskCreated.id(),
                who.at,
                who.author,
                who.source.id()
            ],
        )?;
        Ok(())
    }
}

/// Whether a rule's task with this key is there already, in any status.
pub(crate) fn exists(conn: &impl Sql, t: &NewTask) -> Result<bool> {
    Ok(conn
        .row_opt(
            "SELECT 1 FROM tasks WHERE rule = ?1 AND customer_id = ?2
             AND coalesce(service_id, '') = ?3 AND key = ?4",
            args![
                t.rule.to_db(),
                t.customer_id,
                t.service_id.as_deref().unwrap_or(""),
                t.key
            ],
            |_| Ok(()),
        )?
        .is_some())
}

pub(crate) fn get(conn: &impl Sql, id: i64) -> Result<Option<Task>> {
    conn.row_opt(
        &format!("SELECT {COLUMNS}{FROM} WHERE t.id = ?1"),
        args![id],
        task_from,
    )
}

/// The task, or an error saying there is none with that id.
pub(crate) fn find(conn: &impl Sql, id: i64) -> Result<Task> {
    get(conn, id)?.ok_or_else(|| Error::NotFound(crate::msg::work::no_task(id)))
}

/// Ends an open task as done (the CSM's note kept) or closed (why, in
/// the history).
pub(crate) fn end(
    conn: &impl Sql,
    t: &Task,
    to: TaskStatus,
    note: Option<&str>,
    why: Option<&str>,
    who: &Actor,
) -> Result<()> {
    conn.execute(
        "UPDATE tasks SET status = ?2, closed_at = ?3, note = coalesce(?4, note) WHERE id = ?1",
        args![t.id, to.id(), who.at, note],
    )?;
    let kind = match to {
        TaskStatus::Closed => Kind::TaskClosed,
        _ => Kind::TaskDone,
    };
    let said = why.or(note).map_or(String::new(), |n| format!(": {n}"));
    let change = (Some(t.status.id()), Some(to.id()));
    entry(conn, kind, &About::task(t), change, &said, who)
}

/// Moves an open task's due day (`original_due` stays).
pub(crate) fn snooze(conn: &impl Sql, t: &Task, until: NaiveDate, who: &Actor) -> Result<()> {
    let until = iso(until);
    conn.execute(
        "UPDATE tasks SET due = ?2 WHERE id = ?1",
        args![t.id, until],
    )?;
    let from = iso(t.due);
    let change = (Some(from.as_str()), Some(until.as_str()));
    entry(conn, Kind::TaskSnoozed, &About::task(t), change, "", who)
}

/// The customer-level filters as SQL over `t` and `c`.
fn customer_where(f: &Filters) -> Where {
    let mut w = Where::default();
    w.in_list("t.customer_id", &f.customer);
    w.any_of(&f.search, |p| {
        format!("(instr(lower(c.customer_name), lower({p})) > 0 OR instr(lower(c.customer_id), lower({p})) > 0)")
    });
    for (col, values) in &f.attrs {
        w.in_list(&format!("c.{}", col.id()), values);
    }
    w
}

/// Tasks matching `q`, by due day, then id.
pub(crate) fn list(conn: &impl Sql, q: &TaskFilter) -> Result<Vec<Task>> {
    let mut w = customer_where(&q.filters);
    w.in_list("t.service_id", &q.services);
    let ids = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
    let (manual, rules): (Vec<Rule>, Vec<Rule>) = q.rules.iter().partition(|r| **r == Rule::Manual);
    let rules = ids(rules.iter().map(|r| r.id()).collect());
    match (manual.is_empty(), rules.is_empty()) {
        (true, true) => {}
        (false, true) => w.push("t.rule IS NULL".into()),
        (true, false) => w.in_list("t.rule", &rules),
        (false, false) => {
            let list = w.list(&rules);
            w.push(format!("(t.rule IS NULL OR t.rule IN {list})"));
        }
    }
    w.in_list(
        "t.status",
        &ids(q.statuses.iter().map(|s| s.id()).collect()),
    );
    if let Some(d) = q.due_until {
        let p = w.param(iso(d));
        w.push(format!("t.due <= {p}"));
    }
    let sql = format!("SELECT {COLUMNS}{FROM}{} ORDER BY t.due, t.id", w.sql());
    conn.rows(
        &super::sql::for_engine(conn.kind(), &sql),
        &w.args(),
        task_from,
    )
}

/// An open task due, with its service's facts when it is about one.
pub(crate) type DueTask = (Task, Option<TaskService>);

/// ` INDEXED BY index` on SQLite, unless a read as of a past day put a
/// view named `table` over it (see `asof::indexed_by`); nothing on
/// PostgreSQL, whose planner has no such hint.
fn indexed_by(conn: &impl Sql, table: &str, index: &str) -> Result<String> {
    if conn.kind() == Engine::Pg {
        return Ok(String::new());
    }
    let shadowed: bool = conn.one(
        "SELECT EXISTS (SELECT 1 FROM temp.sqlite_schema WHERE name = ?1)",
        args![table],
    )?;
    Ok(if shadowed {
        String::new()
    } else {
        format!(" INDEXED BY {index}")
    })
}

/// `CROSS JOIN` where SQLite must keep the join order it is told;
/// PostgreSQL takes no `ON` after `CROSS JOIN` (and plans the order
/// itself).
fn cross_join(conn: &impl Sql) -> &'static str {
    match conn.kind() {
        Engine::Lite => "CROSS JOIN",
        Engine::Pg => "JOIN",
    }
}

/// The open tasks due on or before `day` of the customers `f` selects,
/// each with its service (if it is about one), in the worklist's order:
/// the `first` of them (all without), and how many there are.
pub(crate) fn due_by(
    conn: &impl Sql,
    f: &Filters,
    day: NaiveDate,
    first: Option<usize>,
) -> Result<(Vec<DueTask>, usize)> {
    // The customer filters as a set of ids, read once, rather than a
    // join per task; the open tasks in due order from their own index, so
    // that a page stops after its rows (`ORDER BY` sorts only ties of a day).
    let mut w = customer_where(f);
    let mine = if w.is_empty() {
        String::new()
    } else {
        format!(
            " AND t.customer_id IN (SELECT c.customer_id FROM customers c{})",
            w.sql()
        )
    };
    let p = w.param(iso(day));
    let open = format!("t.status = 'open' AND t.due <= {p}{mine}");
    let by = indexed_by(conn, "tasks", "tasks_open_due")?;
    let kind = conn.kind();
    let total: i64 = conn.one(
        &super::sql::for_engine(
            kind,
            &format!("SELECT count(*) FROM tasks t{by} WHERE {open}"),
        ),
        &w.args(),
    )?;
    // The worklist's order among tasks (`worklist::Row::order`): most
    // overdue first, then the service's amount (largest first, none
    // last), then the id; only the first rows when a page is asked.
    let limit = first.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let sql = format!(
        "SELECT {COLUMNS}, s.product, s.expiry_date, s.status, s.amount, s.last_followup_at
         FROM tasks t{by}
         {} customers c ON c.customer_id = t.customer_id
         LEFT JOIN services s ON s.service_id = t.service_id
         WHERE {open}
         ORDER BY t.due, s.amount IS NULL, s.amount DESC, t.id{limit}",
        cross_join(conn)
    );
    let rows = conn.rows(&super::sql::for_engine(kind, &sql), &w.args(), |r| {
        let task = task_from(r)?;
        let service = match r.value(16)? {
            Value::Null => None,
            _ => Some(TaskService {
                product: r.get(15)?,
                expiry_date: date(r, 16)?,
                stored: Status::from_db(text_opt(r, 17)?.as_deref()),
                amount: r.get::<Option<i64>>(18)?.map(Cents::from),
                last_followup_at: r.get(19)?,
            }),
        };
        Ok((task, service))
    })?;
    Ok((rows, usize::try_from(total).unwrap_or(0)))
}

/// What the last `tasks sync` did: the day it ran for, and the last
/// follow-up record it saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    pub day: Option<NaiveDate>,
    pub record_mark: i64,
}

pub(crate) fn last_synced(conn: &impl Sql) -> Result<Synced> {
    let found: Option<(String, i64)> = conn.row_opt(
        "SELECT last_day, record_mark FROM task_sync WHERE id = 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(found.map_or(Synced::default(), |(d, mark)| Synced {
        day: from_iso(&d),
        record_mark: mark,
    }))
}

/// Stores the day synced (never moving it back: a sync under an earlier
/// `--today` does not make the next one redo days) and the record mark.
pub(crate) fn mark_synced(conn: &impl Sql, day: NaiveDate, record_mark: i64) -> Result<()> {
    let later = match conn.kind() {
        Engine::Lite => "max(last_day, excluded.last_day)",
        Engine::Pg => "greatest(task_sync.last_day, excluded.last_day)",
    };
    conn.execute(
        &format!(
            "INSERT INTO task_sync(id, last_day, record_mark) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET last_day = {later},
                                           record_mark = excluded.record_mark"
        ),
        args![iso(day), record_mark],
    )?;
    Ok(())
}

/// The id of the latest follow-up record (0 when none).
pub(crate) fn last_record(conn: &impl Sql) -> Result<i64> {
    conn.one("SELECT coalesce(max(id), 0) FROM records", args![])
}

/// The services and their customers, for the rules (`service_facts`).
fn service_facts_sql(conn: &impl Sql, by: &str) -> String {
    format!(
        "SELECT s.service_id, s.customer_id, c.customer_name, s.start_date,
                s.expiry_date, s.status
         FROM services s {} customers c ON c.customer_id = s.customer_id
         WHERE s.{by} BETWEEN ?1 AND ?2",
        cross_join(conn)
    )
}

fn service_facts(r: &Row) -> Result<ServiceFacts> {
    Ok(ServiceFacts {
        service_id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        start_date: text_opt(r, 3)?.as_deref().and_then(from_iso),
        expiry: date(r, 4)?,
        stored: Status::from_db(text_opt(r, 5)?.as_deref()),
    })
}

/// Every task the rules ask for with its due day in `span`, given to
/// `each` (which may write on the same connection), whether it exists
/// already or not: services by the expiry dates (or start dates) that
/// put a rule's day in the span, customers once per touch month.
pub(crate) fn for_each_due(
    conn: &impl Sql,
    span: Span,
    at: AsOf,
    o: &Offsets,
    mut each: impl FnMut(NewTask) -> Result<()>,
) -> Result<()> {
    let by_expiry = [
        (Rule::Kickoff, span.plus(o.kickoff_days)),
        (Rule::SecondTouch, span.plus(o.second_touch_days)),
    ];
    let by_expiry_sql = service_facts_sql(conn, "expiry_date");
    for (rule, expiries) in by_expiry {
        each_then(
            conn,
            &by_expiry_sql,
            args![iso(expiries.first), iso(expiries.last)],
            service_facts,
            |s| match service_task(rule, &s, span, o, at.grace_days) {
                Some(t) => each(t),
                None => Ok(()),
            },
        )?;
    }
    // No index on the start date: one pass over the services (a day's
    // revisits are few, but an index would cost every import).
    let starts = span.minus(o.revisit_days);
    each_then(
        conn,
        &service_facts_sql(conn, "start_date"),
        args![iso(starts.first), iso(starts.last)],
        service_facts,
        |s| match service_task(Rule::Revisit, &s, span, o, at.grace_days) {
            Some(t) => each(t),
            None => Ok(()),
        },
    )?;
    for month in span.touch_months(o) {
        let day = AsOf {
            today: month.touch_day(o),
            ..at
        };
        for_each_customer(conn, month, day, |c| {
            match monthly_task(&c, month, span, o) {
                Some(t) => each(t),
                None => Ok(()),
            }
        })?;
    }
    // Budgets: the customers whose budget date less `task_budget_days`
    // falls in the span, live as of today.
    let dates = span.plus(o.budget_days);
    let mut w = Where::default();
    let live = status_sql(&mut w, at, |s| {
        !matches!(s, Status::NotRenewing | Status::Lapsed)
    });
    let from = w.param(iso(dates.first));
    let to = w.param(iso(dates.last));
    let sql = format!(
        "SELECT c.customer_id, c.customer_name,
                EXISTS (SELECT 1 FROM services s WHERE s.customer_id = c.customer_id AND {live}),
                c.budget_date
         FROM customers c WHERE c.budget_date BETWEEN {from} AND {to}"
    );
    each_then(
        conn,
        &sql,
        &w.args(),
        |r| {
            Ok(CustomerFacts {
                customer_id: r.get(0)?,
                customer_name: r.get(1)?,
                live: r.get(2)?,
                touched: false,
                budget_date: text_opt(r, 3)?.as_deref().and_then(from_iso),
            })
        },
        |c| match budget_task(&c, span, o) {
            Some(t) => each(t),
            None => Ok(()),
        },
    )
}

/// Each customer as the rules see it in `month`, judged on `day`: live
/// (a service neither `not_renewing` nor lapsed on that day) and touched
/// (a record dated in the month).
fn for_each_customer(
    conn: &impl Sql,
    month: Month,
    day: AsOf,
    each: impl FnMut(CustomerFacts) -> Result<()>,
) -> Result<()> {
    let mut w = Where::default();
    let live = status_sql(&mut w, day, |s| {
        !matches!(s, Status::NotRenewing | Status::Lapsed)
    });
    let from = w.param(iso(month.first_day()));
    let to = w.param(iso(month.next().first_day()));
    let sql = format!(
        "SELECT c.customer_id, c.customer_name,
                EXISTS (SELECT 1 FROM services s WHERE s.customer_id = c.customer_id AND {live}),
                EXISTS (SELECT 1 FROM records r WHERE r.customer_id = c.customer_id
                        AND r.at >= {from} AND r.at < {to})
         FROM customers c"
    );
    each_then(
        conn,
        &sql,
        &w.args(),
        |r| {
            Ok(CustomerFacts {
                customer_id: r.get(0)?,
                customer_name: r.get(1)?,
                live: r.get(2)?,
                touched: r.get(3)?,
                budget_date: None,
            })
        },
        each,
    )
}

/// An open automatic task that no longer applies, and why.
#[derive(Clone, Debug)]
pub struct Stale {
    pub task: Task,
    pub gone: Gone,
}

/// The open automatic tasks that no longer apply on `at.today`: a
/// service task whose term was renewed or corrected, or whose service is
/// closed for the term; a monthly touch whose customer has a record in
/// its month written since the record `record_mark` (the sync before saw
/// the older ones). Never a resume task, never a manual one.
pub(crate) fn stale(conn: &impl Sql, at: AsOf, record_mark: i64) -> Result<Vec<Stale>> {
    // Only what the rule needs for each open task of a service: the
    // few that no longer apply are read whole afterwards.
    let rules: Vec<String> = Rule::OF_SERVICES
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    let mut w = Where::default();
    let list = w.list(&rules);
    let sql = format!(
        "SELECT t.id, t.rule, t.key, s.expiry_date, s.status
         FROM tasks t {} services s ON s.service_id = t.service_id
         WHERE t.status = 'open' AND t.rule IN {list}",
        cross_join(conn)
    );
    let mut gone = Vec::new();
    conn.each(
        &super::sql::for_engine(conn.kind(), &sql),
        &w.args(),
        &mut |r| {
            let rule = Rule::from_db(text_opt(r, 1)?.as_deref());
            let key = text_opt(r, 2)?.unwrap_or_default();
            let expiry = date(r, 3)?;
            let stored = Status::from_db(text_opt(r, 4)?.as_deref());
            if let Some(why) =
                service_task_gone(rule, &key, expiry, stored, at.today, at.grace_days)
            {
                gone.push((r.get::<i64>(0)?, why));
            }
            Ok(())
        },
    )?;
    let mut budgets = Vec::new();
    conn.each(
        &format!(
            "SELECT t.id, t.key, c.budget_date, b.submitted
             FROM tasks t {} customers c ON c.customer_id = t.customer_id
             LEFT JOIN budgets b ON b.customer_id = t.customer_id AND b.budget_date = t.key
             WHERE t.status = 'open' AND t.rule = 'budget'",
            cross_join(conn)
        ),
        args![],
        &mut |r| {
            let why = budget_task_gone(
                text_opt(r, 1)?.as_deref().unwrap_or(""),
                text_opt(r, 2)?.as_deref(),
                text_opt(r, 3)?.as_deref(),
                at.today,
            );
            if let Some(why) = why {
                budgets.push((r.get::<i64>(0)?, why));
            }
            Ok(())
        },
    )?;
    let mut out = Vec::with_capacity(gone.len() + budgets.len());
    for (id, why) in gone.into_iter().chain(budgets) {
        out.push(Stale {
            task: find(conn, id)?,
            gone: why,
        });
    }
    let touched: Vec<(String, String)> = conn.rows(
        "SELECT DISTINCT customer_id, substr(at, 1, 7) FROM records WHERE id > ?1",
        args![record_mark],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let open = format!(
        "SELECT {COLUMNS}{FROM} WHERE t.rule = 'monthly_touch' AND t.customer_id = ?1
         AND coalesce(t.service_id, '') = '' AND t.key = ?2 AND t.status = 'open'"
    );
    for (customer, month) in touched {
        if let Some(task) = conn.row_opt(&open, args![customer, month], task_from)? {
            out.push(Stale {
                task,
                gone: Gone::Touched,
            });
        }
    }
    Ok(out)
}

/// The open resume tasks of a service other than `keep`.
pub(crate) fn open_resumes(
    conn: &impl Sql,
    customer_id: &str,
    service_id: &str,
    keep: i64,
) -> Result<Vec<Task>> {
    conn.rows(
        &format!(
            "SELECT {COLUMNS}{FROM} WHERE t.rule = 'resume' AND t.customer_id = ?1
             AND coalesce(t.service_id, '') = ?2 AND t.status = 'open' AND t.id <> ?3"
        ),
        args![customer_id, service_id, keep],
        task_from,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::db::{Db, Open};
    use crate::history::Via;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn().unwrap()
            .execute_batch(
                "INSERT INTO customers(customer_id, customer_name, csm) VALUES ('C1', '甲', '张伟'), ('C2', '乙', NULL);
                 INSERT INTO services(service_id, customer_id, service_type, start_date, expiry_date, status)
                   VALUES ('S1', 'C1', 'basic', '2026-01-01', '2026-12-24', NULL),
                          ('S2', 'C1', 'basic', '2025-12-25', '2026-12-24', 'suspended'),
                          ('S3', 'C2', 'basic', '2026-10-24', '2027-10-23', NULL);",
            )
            .unwrap();
        (dir, db)
    }

    fn who(day: &str) -> Actor {
        let today: NaiveDate = day.parse().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+08:00")).unwrap();
        Actor::new("me".into(), &Clock { today, now }, Via::Sync)
    }

    fn due(db: &Db, first: &str, last: &str) -> Vec<(Rule, String, String)> {
        let span = Span {
            first: first.parse().unwrap(),
            last: last.parse().unwrap(),
        };
        let at = AsOf::with_defaults(span.last);
        let mut out = Vec::new();
        for_each_due(db.conn().unwrap(), span, at, &Offsets::default(), |t| {
            out.push((t.rule, t.target().to_string(), iso(t.due)));
            Ok(())
        })
        .unwrap();
        out.sort();
        out
    }

    #[test]
    fn the_rules_read_the_services_and_customers_they_need() {
        let (_dir, db) = db();
        // S1 kickoff 09-25 (S2 is suspended: none), S3 revisit 11-23,
        // monthly touches on 10-20 and 11-20.
        assert_eq!(
            due(&db, "2026-09-21", "2026-11-23"),
            [
                (Rule::Kickoff, "S1".into(), "2026-09-25".into()),
                (Rule::Revisit, "S3".into(), "2026-11-23".into()),
                (Rule::MonthlyTouch, "C1".into(), "2026-10-20".into()),
                (Rule::MonthlyTouch, "C1".into(), "2026-11-20".into()),
                (Rule::MonthlyTouch, "C2".into(), "2026-10-20".into()),
                (Rule::MonthlyTouch, "C2".into(), "2026-11-20".into()),
            ]
        );
        // A record in November: no November touch for C2.
        db.conn().unwrap()
            .execute_batch("INSERT INTO records(customer_id, at, author, note) VALUES ('C2', '2026-11-02T10:00:00+08:00', 'me', 'x')")
            .unwrap();
        let nov = due(&db, "2026-11-20", "2026-11-20");
        assert_eq!(
            nov,
            [(Rule::MonthlyTouch, "C1".into(), "2026-11-20".into())]
        );
    }

    #[test]
    fn a_rule_task_is_written_once_and_its_changes_are_history() {
        let (_dir, mut db) = db();
        let t = crate::task::resume_task("S2", "C1", "甲", "2027-09-25".parse().unwrap());
        let w = who("2026-11-23");
        let (first, again) = db
            .change(|tx| Ok((insert(tx, &t, &w)?, insert(tx, &t, &w)?)))
            .unwrap();
        let id = first.unwrap();
        assert_eq!(again, None);
        assert!(exists(db.conn().unwrap(), &t).unwrap());
        let task = find(db.conn().unwrap(), id).unwrap();
        assert_eq!(
            (task.rule, task.status, task.csm.as_deref()),
            (Rule::Resume, TaskStatus::Open, Some("张伟"))
        );
        db.change(|tx| {
            snooze(tx, &task, "2027-10-01".parse().unwrap(), &w)?;
            end(
                tx,
                &find(tx, id)?,
                TaskStatus::Done,
                Some("called"),
                None,
                &w,
            )
        })
        .unwrap();
        let task = find(db.conn().unwrap(), id).unwrap();
        assert_eq!(iso(task.due), "2027-10-01");
        assert_eq!(iso(task.original_due), "2027-09-25");
        assert_eq!(task.note.as_deref(), Some("called"));
        let kinds: Vec<String> = db
            .conn()
            .unwrap()
            .prepare("SELECT kind || ' ' || service_id || ' ' || coalesce(from_value, '-') || ' ' || to_value FROM history ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            kinds,
            [
                "task_created S2 - 2027-09-25",
                "task_snoozed S2 2027-09-25 2027-10-01",
                "task_done S2 open done"
            ]
        );
        assert!(
            matches!(find(db.conn().unwrap(), 99), Err(Error::NotFound(m)) if m.contains("no task #99"))
        );
    }

    #[test]
    fn a_batch_writes_the_history_insert_writes() {
        let (_dir, mut db) = db();
        let w = who("2026-11-23");
        let tasks = [
            crate::task::resume_task("S2", "C1", "甲", "2027-09-25".parse().unwrap()),
            NewTask {
                rule: Rule::Kickoff,
                customer_id: "C1".into(),
                customer_name: "甲".into(),
                service_id: Some("S1".into()),
                key: Some("2026-12-24".into()),
                due: "2026-09-25".parse().unwrap(),
                title: "start".into(),
            },
            NewTask {
                rule: Rule::MonthlyTouch,
                customer_id: "C2".into(),
                customer_name: "乙".into(),
                service_id: None,
                key: Some("2026-11".into()),
                due: "2026-11-20".parse().unwrap(),
                title: "monthly visit, 2026-11".into(),
            },
            NewTask {
                rule: Rule::Manual,
                key: None,
                title: "报价".into(),
                ..crate::task::resume_task("S2", "C1", "甲", "2026-12-01".parse().unwrap())
            },
        ];
        let history = |db: &Db| -> Vec<Vec<Option<String>>> {
            db.conn().unwrap()
                .prepare("SELECT kind, service_id, customer_id, term_expiry, from_value, to_value, at, author, source, reason, note FROM history ORDER BY id")
                .unwrap()
                .query_map([], |r| (0..11).map(|i| r.get(i)).collect())
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        db.change(|tx| {
            for t in &tasks {
                insert(tx, t, &w)?;
            }
            Ok(())
        })
        .unwrap();
        let one_by_one = history(&db);
        let (_dir2, mut db2) = self::db();
        db2.change(|tx| {
            let batch = Batch::start(tx)?;
            for t in &tasks {
                assert!(batch.insert(tx, t, &w)?);
            }
            assert!(!batch.insert(tx, &tasks[0], &w)?, "there already");
            batch.finish(tx, &w)
        })
        .unwrap();
        assert_eq!(history(&db2), one_by_one);
        assert_eq!(one_by_one.len(), 4);
        assert_eq!(
            one_by_one[1][3].as_deref(),
            Some("2026-12-24"),
            "a term's task"
        );
        assert_eq!(one_by_one[3][10].as_deref(), Some("#4 manual: 报价"));
    }

    #[test]
    fn manual_tasks_are_never_duplicates_and_customer_tasks_name_no_service() {
        let (_dir, mut db) = db();
        let t = NewTask {
            rule: Rule::Manual,
            customer_id: "C2".into(),
            customer_name: "乙".into(),
            service_id: None,
            key: None,
            due: "2026-12-01".parse().unwrap(),
            title: "报价".into(),
        };
        let w = who("2026-11-23");
        let ids = db
            .change(|tx| Ok((insert(tx, &t, &w)?, insert(tx, &t, &w)?)))
            .unwrap();
        assert!(ids.0.is_some() && ids.1.is_some() && ids.0 != ids.1);
        let services: Vec<String> = db
            .conn()
            .unwrap()
            .prepare("SELECT service_id FROM history WHERE kind = 'task_created'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(services, ["", ""]);
    }
}
