//! `tasks add|list|done|snooze|plan|sync`: a CSM's tasks, by hand and
//! from the rules.

use chrono::NaiveDate;

use crate::db::sql::{Kind as Engine, Sql};
use crate::db::{followup, query, records, settings, tasks, Db};
use crate::error::{Error, Result};
use crate::followup::Change;
use crate::history::Actor;
use crate::record::{NewRecord, Notes};
use crate::status::Status;
use crate::task::{
    check_later, check_made_by, check_open, default_resume_on, resume_task, sync_span, Doing, Gone,
    NewTask, Offsets, Rule, Span, Task, TaskFilter, TaskStatus,
};

use super::filters;

/// A task to add by hand.
#[derive(Clone, Debug)]
pub struct Add {
    /// Customer id, or a unique part of its name.
    pub customer: String,
    /// A service of that customer it is about (None: the customer).
    pub service: Option<String>,
    pub due: NaiveDate,
    pub title: String,
}

/// Writes a manual task, if the service (if any) is the customer's.
pub fn add(db: &mut Db, a: Add, who: &Actor) -> Result<Task> {
    db.change(|tx| {
        let customer = query::find_customer(tx, &a.customer)?;
        if let Some(id) = &a.service {
            let found = followup::candidates_of_services(tx, std::slice::from_ref(id))?;
            if let Some(s) = found.iter().find(|s| s.customer_id != customer.id) {
                return Err(Error::Refused(crate::msg::work::task_not_their_service(
                    &s.service_id,
                    &customer.id,
                    &customer.name,
                    &s.customer_id,
                    &s.customer_name,
                )));
            }
        }
        let t = NewTask {
            rule: Rule::Manual,
            customer_id: customer.id,
            customer_name: customer.name,
            service_id: a.service,
            key: None,
            due: a.due,
            title: a.title,
        };
        let id = tasks::insert(tx, &t, who)?
            .ok_or_else(|| Error::Invalid(crate::msg::work::manual_task_duplicate()))?;
        tasks::find(tx, id)
    })
}

/// Tasks matching `q` (customer attributes checked against the book, as
/// every filter is), by due day.
pub fn list(db: &Db, mut q: TaskFilter) -> Result<Vec<Task>> {
    q.filters = filters::resolve(db, &q.filters)?;
    // A service nobody has is an error, not an empty list.
    if !q.services.is_empty() {
        followup::candidates_of_services(db.sql(), &q.services)?;
    }
    tasks::list(db.sql(), &q)
}

/// A task done, and the follow-up record its note became.
#[derive(Clone, Debug)]
pub struct Done {
    pub task: Task,
    pub record: Option<i64>,
}

/// Marks an open task done; a note becomes a follow-up record of the
/// task's customer (about its service, if it has one), as `log add`
/// writes one.
pub fn done(db: &mut Db, id: i64, note: Option<String>, who: &Actor) -> Result<Done> {
    db.change(|tx| {
        let task = tasks::find(tx, id)?;
        check_open(&task, Doing::Done).map_err(Error::Refused)?;
        check_made_by(&task, who.today, Doing::Done).map_err(Error::Refused)?;
        let record = match &note {
            Some(n) => Some(records::insert_record(
                tx,
                &NewRecord {
                    customer_id: task.customer_id.clone(),
                    services: task.service_id.iter().cloned().collect(),
                    at: who.at.clone(),
                    author: who.author.clone(),
                    status: None,
                    notes: Notes {
                        note: Some(n.clone()),
                        ..Notes::default()
                    },
                },
            )?),
            None => None,
        };
        tasks::end(tx, &task, TaskStatus::Done, note.as_deref(), None, who)?;
        Ok(Done {
            task: tasks::find(tx, id)?,
            record,
        })
    })
}

/// Moves an open task to `until` (checked to be after today by the
/// caller: `task::check_snooze`). Returns the task and its due day before.
pub fn snooze(db: &mut Db, id: i64, until: NaiveDate, who: &Actor) -> Result<(Task, NaiveDate)> {
    db.change(|tx| {
        let task = tasks::find(tx, id)?;
        check_open(&task, Doing::Snoozed).map_err(Error::Refused)?;
        check_made_by(&task, who.today, Doing::Snoozed).map_err(Error::Refused)?;
        check_later(&task, until).map_err(Error::Refused)?;
        tasks::snooze(tx, &task, until, who)?;
        Ok((tasks::find(tx, id)?, task.due))
    })
}

/// What a sync would make, and for which days.
#[derive(Clone, Debug)]
pub struct Plan {
    /// None: a sync already ran for a later day than any asked.
    pub span: Option<Span>,
    /// By due day, rule, then service or customer.
    pub tasks: Vec<NewTask>,
}

/// What `tasks sync` run on each day from `today` to `today + days`
/// would create, written nowhere (closing is not previewed).
pub fn plan(db: &Db, today: NaiveDate, days: u32) -> Result<Plan> {
    match db.kind() {
        // One read transaction: one snapshot, the lock taken once.
        Engine::Lite => db.read(|conn| plan_on(conn, today, days)),
        Engine::Pg => plan_on(db.sql(), today, days),
    }
}

fn plan_on(conn: &impl Sql, today: NaiveDate, days: u32) -> Result<Plan> {
    let set = settings::load(conn)?;
    let at = settings::as_of(conn, today)?;
    let o = Offsets::new(&set);
    let span = sync_span(tasks::last_synced(conn)?.day, today, days);
    let mut out = Vec::new();
    if let Some(span) = span {
        tasks::for_each_due(conn, span, at, &o, |t| {
            if !tasks::exists(conn, &t)? {
                out.push(t);
            }
            Ok(())
        })?;
    }
    out.sort_by(|a, b| {
        (a.due, a.rule, a.target(), &a.customer_id).cmp(&(
            b.due,
            b.rule,
            b.target(),
            &b.customer_id,
        ))
    });
    Ok(Plan { span, tasks: out })
}

/// What a sync did.
#[derive(Clone, Debug, Default)]
pub struct Synced {
    /// The days it made tasks for (None: a sync already ran for a later
    /// day).
    pub span: Option<Span>,
    /// The rule of each task created.
    pub created: Vec<Rule>,
    /// Each task closed, and why.
    pub closed: Vec<(Task, Gone)>,
}

/// `tasks sync` as of `who.today`, in one transaction: closes the open
/// automatic tasks that no longer apply, then makes every rule's task due
/// from the last sync's day (at most `task::CATCH_UP_DAYS` back) through
/// today that is not there yet. Run again, it changes nothing.
pub fn sync(db: &mut Db, who: &Actor) -> Result<Synced> {
    db.change(|tx| {
        let set = settings::load(tx)?;
        let at = settings::as_of(tx, who.today)?;
        let o = Offsets::new(&set);
        let last = tasks::last_synced(tx)?;
        let mut done = Synced::default();
        for s in tasks::stale(tx, at, last.record_mark)? {
            let why = s.gone.text(crate::labels::Lang::En);
            tasks::end(tx, &s.task, TaskStatus::Closed, None, Some(&why), who)?;
            done.closed.push((s.task, s.gone));
        }
        done.span = sync_span(last.day, who.today, 0);
        if let Some(span) = done.span {
            let batch = tasks::Batch::start(tx)?;
            tasks::for_each_due(tx, span, at, &o, |t| {
                if batch.insert(tx, &t, who)? {
                    done.created.push(t.rule);
                }
                Ok(())
            })?;
            batch.finish(tx, who)?;
        }
        let mark = tasks::last_record(tx)?;
        tasks::mark_synced(tx, who.today, mark)?;
        Ok(done)
    })
}

/// A resume task made by `followup set --status suspended`.
#[derive(Clone, Debug)]
pub struct Resumed {
    pub task: Task,
    /// Open resume tasks of the same service it replaced (closed).
    pub replaced: Vec<i64>,
}

/// The resume tasks of the services a `followup set` suspended, due on
/// `on` (else each service's `task::default_resume_on`), in the caller's
/// transaction. A service suspended again with another date keeps one
/// open resume task: the new one; the same date again makes none.
pub(crate) fn resume(
    tx: &impl Sql,
    changes: &[Change],
    on: Option<NaiveDate>,
    who: &Actor,
) -> Result<Vec<Resumed>> {
    let mut out = Vec::new();
    for c in changes.iter().filter(|c| c.to == Status::Suspended) {
        let day = on.unwrap_or_else(|| default_resume_on(c.term_expiry));
        let t = resume_task(&c.service_id, &c.customer_id, &c.customer_name, day);
        let Some(id) = tasks::insert(tx, &t, who)? else {
            continue;
        };
        let mut replaced = Vec::new();
        for old in tasks::open_resumes(tx, &c.customer_id, &c.service_id, id)? {
            let why = format!("replaced by #{id}");
            tasks::end(tx, &old, TaskStatus::Closed, None, Some(&why), who)?;
            replaced.push(old.id);
        }
        out.push(Resumed {
            task: tasks::find(tx, id)?,
            replaced,
        });
    }
    Ok(out)
}
