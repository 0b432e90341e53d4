//! `xaas tasks add|list|done|snooze|plan|sync`: what to do, and when.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use xaas::cells;
use xaas::date::iso;
use xaas::history::{Actor, Via};
use xaas::labels::Lang;
use xaas::msg::commands as m;
use xaas::ops::tasks::{self, Add, Synced};
use xaas::task::{check_snooze, counts_line, Gone, Rule, Task, TaskFilter, TaskStatus};

use super::filters::CustomerFilterArgs;
use super::output::{self, pick, Format, Out};
use super::{parse_day, prompt, stderr_is_terminal, Ctx, UsageError};

/// Tasks: to-dos by hand, and the renewal rules' (kickoff, second touch, revisit, monthly visit, resume)
#[derive(Args, Debug)]
pub struct TasksArgs {
    #[command(subcommand)]
    pub command: TasksCommand,
}

#[derive(Subcommand, Debug)]
pub enum TasksCommand {
    Add(AddArgs),
    List(ListArgs),
    Done(DoneArgs),
    Snooze(SnoozeArgs),
    Plan(PlanArgs),
    Sync(SyncArgs),
}

/// Add a task by hand, for a customer or one of its services
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// The task is about this service of the customer
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// The day it is due
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub due: NaiveDate,
    /// What to do (asked for on a terminal when missing)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub title: Option<String>,
    /// Who adds it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Tasks, by due day: the open ones unless --all or --status says otherwise
#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: CustomerFilterArgs,
    /// Only tasks about this service (repeatable)
    #[arg(long = "service", value_name = "ID")]
    pub services: Vec<String>,
    /// Only tasks of this rule (repeatable): manual, kickoff, second_touch, revisit, monthly_touch, budget, resume
    #[arg(long, value_parser = super::choice::Choice::<Rule>::new())]
    pub rule: Vec<Rule>,
    /// Only tasks in this status (repeatable): open, done, closed [default: open]
    #[arg(long, value_parser = super::choice::Choice::<TaskStatus>::new(), conflicts_with = "all")]
    pub status: Vec<TaskStatus>,
    /// Only open tasks past their due day
    #[arg(long, conflicts_with_all = ["all", "status"])]
    pub overdue: bool,
    /// Every task: done and closed ones too
    #[arg(long)]
    pub all: bool,
}

/// Mark a task done; a note becomes a follow-up record
#[derive(Args, Debug)]
pub struct DoneArgs {
    /// The task's id (as `tasks list` shows it)
    pub id: i64,
    /// What was done: written as a follow-up record of the task's customer (and service)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Who did it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Move an open task to a later day
#[derive(Args, Debug)]
pub struct SnoozeArgs {
    /// The task's id (as `tasks list` shows it)
    pub id: i64,
    /// The new due day (after today)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: NaiveDate,
    /// Who moved it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// What `tasks sync` would create through today + N days, without writing
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Days ahead of today (at most 366)
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=366))]
    pub days: u32,
}

/// Make the rules' tasks due since the last sync (at most 30 days back) through today, and close those that no longer apply
///
/// Idempotent: one task per rule, service or customer, and term or month;
/// run twice, the second run changes nothing. Prints what it did, and
/// nothing when it did nothing (for cron).
#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Who the tasks are written by [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

pub fn run(ctx: &Ctx, a: TasksArgs) -> Result<ExitCode> {
    match a.command {
        TasksCommand::Add(a) => add(ctx, a),
        TasksCommand::List(a) => list(ctx, a),
        TasksCommand::Done(a) => done(ctx, a),
        TasksCommand::Snooze(a) => snooze(ctx, a),
        TasksCommand::Plan(a) => plan(ctx, a),
        TasksCommand::Sync(a) => sync(ctx, a),
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<ExitCode> {
    let title = match a.title.as_deref().map(str::trim) {
        Some("") => return Err(UsageError(m::blank_title()).into()),
        Some(t) => t.to_string(),
        None => prompt::text(&xaas::msg::prompt::ask_title(), "--title TEXT", false)?
            .ok_or_else(|| UsageError(m::title_needed()))?,
    };
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let mut db = ctx.open()?;
    let t = tasks::add(
        &mut db,
        Add {
            customer: a.customer,
            service: a.service,
            due: a.due,
            title,
        },
        &who,
    )?;
    let about = super::items::about(t.service_id.as_deref());
    println!(
        "{}",
        m::task_added(
            t.label(),
            &t.customer_id,
            &t.customer_name,
            about,
            iso(t.due),
            &t.title
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// The table's share of a task's columns (the status too when it is not
/// always `open`); files and pipes get them all. On a narrow terminal the
/// title wraps, and the CSM goes first.
const TABLE: &[&str] = &[
    "id",
    "due",
    "when",
    "customer_name",
    "service_id",
    "rule",
    "title",
    "csm",
];

fn list(ctx: &Ctx, a: ListArgs) -> Result<ExitCode> {
    let today = ctx.clock.today;
    let statuses = if !a.status.is_empty() {
        a.status
    } else if a.all {
        Vec::new()
    } else {
        vec![TaskStatus::Open]
    };
    let q = TaskFilter {
        filters: a.filters.to_filters(&ctx.me)?,
        services: a.services,
        rules: a.rule,
        statuses,
        due_until: a.overdue.then(|| today.pred_opt().unwrap_or(today)),
    };
    let only_open = q.statuses == [TaskStatus::Open];
    let db = ctx.open_read()?;
    let found = tasks::list(&db, q)?;
    let mut table = TABLE.to_vec();
    if !only_open {
        table.insert(TABLE.len() - 1, "status");
    }
    print_tasks(ctx, &found, &table)
}

fn print_tasks(ctx: &Ctx, found: &[Task], table: &[&str]) -> Result<ExitCode> {
    let format = ctx.format();
    let lang = text_lang(ctx, format);
    let (fields, idx) = pick(format, cells::task_fields(), table);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    for t in found {
        out.picked(&cells::task_cells(t, ctx.clock.today, lang), &idx)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// JSON keys and values stay English; text cells follow `--lang`.
fn text_lang(ctx: &Ctx, format: Format) -> Lang {
    if format == Format::Json {
        Lang::En
    } else {
        ctx.lang
    }
}

fn done(ctx: &Ctx, a: DoneArgs) -> Result<ExitCode> {
    let note = a
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let mut db = ctx.open()?;
    let d = tasks::done(&mut db, a.id, note, &who)?;
    let t = &d.task;
    let record = d.record.map_or(String::new(), m::record_written);
    println!(
        "{}{record}",
        m::task_done(
            t.label(),
            &t.customer_id,
            &t.customer_name,
            t.title(ctx.lang)
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn snooze(ctx: &Ctx, a: SnoozeArgs) -> Result<ExitCode> {
    check_snooze(a.until, ctx.clock.today)
        .map_err(|e| UsageError(m::invalid_flag_value("--until", e)))?;
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let mut db = ctx.open()?;
    let (t, was) = tasks::snooze(&mut db, a.id, a.until, &who)?;
    println!(
        "{}",
        m::task_moved(
            t.label(),
            iso(was),
            iso(t.due),
            &t.customer_id,
            &t.customer_name,
            t.title(ctx.lang)
        )
    );
    Ok(ExitCode::SUCCESS)
}

const PLAN_TABLE: &[&str] = &[
    "due",
    "when",
    "rule",
    "customer_name",
    "service_id",
    "title",
];

fn plan(ctx: &Ctx, a: PlanArgs) -> Result<ExitCode> {
    let db = ctx.open_read()?;
    let today = ctx.clock.today;
    let p = tasks::plan(&db, today, a.days)?;
    let format = ctx.format();
    let lang = text_lang(ctx, format);
    let (fields, idx) = pick(format, cells::plan_fields(), PLAN_TABLE);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    for t in &p.tasks {
        out.picked(&cells::plan_cells(t, today, lang), &idx)?;
    }
    out.finish()?;
    if stderr_is_terminal() {
        match p.span {
            Some(s) => eprintln!(
                "{}",
                m::plan(iso(s.last), p.tasks.len(), iso(s.first), iso(s.last))
            ),
            None => eprintln!("{}", m::nothing_to_plan()),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn sync(ctx: &Ctx, a: SyncArgs) -> Result<ExitCode> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Sync);
    let mut db = ctx.open()?;
    let s = tasks::sync(&mut db, &who)?;
    let lines = sync_summary(&s, ctx.lang);
    if lines.is_empty() {
        // Cron mails any output: a quiet day says nothing.
        if stderr_is_terminal() {
            eprintln!("{}", m::nothing_to_sync());
        }
    }
    for l in lines {
        println!("{l}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Closed tasks named in the summary; the rest are counted.
const SHOWN: usize = 20;

/// `12 tasks created (kickoff 3, monthly_touch 9) for 2026-10-24 … 2026-11-23`
/// and `2 tasks closed, no longer applying (renewed 2): #4, #9`; nothing
/// when nothing changed.
fn sync_summary(s: &Synced, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !s.created.is_empty() {
        let by_rule = counts_line(&s.created, |r| r.label(lang).to_string());
        let days = s.span.map_or(String::new(), |sp| {
            format!("{} … {}", iso(sp.first), iso(sp.last))
        });
        out.push(m::created(s.created.len(), by_rule, days));
    }
    if !s.closed.is_empty() {
        let n = s.closed.len();
        let gone: Vec<Gone> = s.closed.iter().map(|(_, g)| *g).collect();
        let why = counts_line(&gone, |g| g.text(lang));
        let mut ids: Vec<String> = s
            .closed
            .iter()
            .take(SHOWN)
            .map(|(t, _)| t.label())
            .collect();
        if n > SHOWN {
            ids.push(format!("… {}", n - SHOWN));
        }
        out.push(m::closed(n, why, ids.join(", ")));
    }
    out
}
