//! `xaas followup set`: move services through the renewal states.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand};

use xaas::followup::{summary, Request, Spread};
use xaas::history::{Actor, Via};
use xaas::ops::followup::{self, Target};
use xaas::record::Notes;
use xaas::status::{Reason, Status};
use xaas::window::Window;
use xaas::Error;

use xaas::date::iso;
use xaas::msg::{self, commands as m, prompt as ask};
use xaas::ops::tasks::Resumed;

use super::output::pad;
use super::{parse_day, prompt, Ctx, UsageError};

/// Renewal follow-up: set the status of services in the window
#[derive(Args, Debug)]
pub struct FollowupArgs {
    #[command(subcommand)]
    pub command: FollowupCommand,
}

#[derive(Subcommand, Debug)]
pub enum FollowupCommand {
    Set(SetArgs),
}

/// Set the renewal status of customers' open in-window services, or of named services
///
/// With CUSTOMER: every open service of that customer in the follow-up
/// window (only windows W with --window); when they lie in several windows
/// a terminal asks which, and without one it is an error listing them.
/// With --service: exactly those services, closed ones too. All or
/// nothing: if any service is refused, nothing changes. Every call writes a
/// follow-up record, and names every service it changed.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("target").required(true).multiple(true).args(["customers", "services"])))]
pub struct SetArgs {
    /// Customer id, or a part of the name that matches one customer
    #[arg(value_name = "CUSTOMER")]
    pub customers: Vec<String>,
    /// Set this service (repeatable) instead of a customer's services
    #[arg(long = "service", value_name = "ID", conflicts_with_all = ["customers", "window", "skip_missing"])]
    pub services: Vec<String>,
    /// New status: identifying_risk, at_risk, no_risk, renewing, suspended, not_renewing, pending (id, kebab or Chinese)
    #[arg(long, value_parser = super::choice::Choice::<Status>::new())]
    pub status: Option<Status>,
    /// Only services in this window (repeatable): expired, within_30, within_90, or all
    #[arg(long, value_name = "WINDOW", value_parser = parse_windows)]
    pub window: Vec<Vec<Window>>,
    /// Skip (and name) customers with nothing to change instead of refusing the call
    #[arg(long)]
    pub skip_missing: bool,
    /// Why not renewing: budget, satisfaction, business, operations, needs, other
    #[arg(long, value_parser = super::choice::Choice::<Reason>::new())]
    pub reason: Option<Reason>,
    /// The sub-reason, in free text
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub reason_detail: Option<String>,
    /// What the customer said
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// With --status suspended: the day to pick the renewal up again, a
    /// `resume` task [default: a year after expiry, less 90 days]
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub resume_on: Option<NaiveDate>,
    /// Who followed up [default: $XAAS_USER, else `author` of
    /// the config file, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// What a CSM can pick by hand (rule 10), in the SOP's order.
const SETTABLE: &[Status] = &[
    Status::IdentifyingRisk,
    Status::AtRisk,
    Status::NoRisk,
    Status::Renewing,
    Status::Suspended,
    Status::NotRenewing,
    Status::Pending,
];

pub fn run(ctx: &Ctx, a: FollowupArgs) -> Result<ExitCode> {
    match a.command {
        FollowupCommand::Set(s) => set(ctx, s),
    }
}

fn set(ctx: &Ctx, a: SetArgs) -> Result<ExitCode> {
    let to = match a.status {
        Some(s) => s,
        None => prompt::choose(&ask::ask_status(), "--status STATUS", SETTABLE, both_labels)?,
    };
    check_resume_on(a.resume_on, to, ctx.clock.today)?;
    let mut reason = a.reason;
    // Without a terminal the library refuses and names --reason (rule 3).
    if to == Status::NotRenewing && reason.is_none() && prompt::interactive() {
        reason = Some(prompt::choose(
            &ask::ask_why_not_renewing(),
            "--reason REASON",
            Reason::ALL,
            |r| format!("{:<13} {}", r.id(), r.label_zh()),
        )?);
    }
    let req = Request { to, reason };
    let notes = Notes {
        reason,
        reason_detail: a.reason_detail,
        note: a.note,
        ..Notes::default()
    }
    .without_blanks();
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let mut target = if a.services.is_empty() {
        let mut only: Vec<Window> = a.window.into_iter().flatten().collect();
        only.sort();
        only.dedup();
        Target::Customers {
            queries: a.customers,
            only,
            skip_missing: a.skip_missing,
        }
    } else {
        Target::Services(a.services)
    };
    let mut db = ctx.open()?;
    let resume_on = a.resume_on;
    let done = match followup::set(&mut db, &target, &req, &notes, resume_on, &who) {
        Err(Error::ChooseWindow(spreads)) if prompt::interactive() => {
            let windows = choose_windows(&spreads)?;
            if let Target::Customers { only, .. } = &mut target {
                *only = windows;
            }
            followup::set(&mut db, &target, &req, &notes, resume_on, &who)?
        }
        Err(e @ Error::ChooseWindow(_)) => return Err(UsageError(e.to_string()).into()),
        other => other?,
    };
    for line in summary(&done.planned.changes, ctx.lang) {
        println!("{line}");
    }
    for r in &done.resumed {
        println!("{}", resumed_line(r));
    }
    for why in &done.planned.skipped {
        eprintln!("{}", m::skipped_line(why));
    }
    Ok(ExitCode::SUCCESS)
}

/// `--resume-on` belongs to a suspension, on a day not yet past.
fn check_resume_on(on: Option<NaiveDate>, to: Status, today: NaiveDate) -> Result<()> {
    let Some(on) = on else { return Ok(()) };
    if to != Status::Suspended {
        return Err(UsageError(m::resume_on_not_suspended(to)).into());
    }
    if on < today {
        return Err(UsageError(m::resume_on_past(iso(on), iso(today))).into());
    }
    Ok(())
}

/// `resume task #7 for S00019 due 2027-10-31`.
fn resumed_line(r: &Resumed) -> String {
    let t = &r.task;
    let service = t.service_id.as_deref().unwrap_or("");
    let mut line = m::resume_task(t.label(), service, iso(t.due));
    if !r.replaced.is_empty() {
        let ids: Vec<String> = r.replaced.iter().map(|i| format!("#{i}")).collect();
        line.push_str(&m::replaces(ids.join(msg::pick(", ", "、"))));
    }
    line
}

/// `--window all` is every window of the follow-up.
fn parse_windows(s: &str) -> Result<Vec<Window>, String> {
    if s.trim().eq_ignore_ascii_case("all") || s.trim() == "全部" {
        return Ok(Window::ALL
            .iter()
            .copied()
            .filter(|w| w.in_followup())
            .collect());
    }
    Window::parse(s).map(|w| vec![w])
}

/// Asks which of the windows the services lie in was meant (or all).
fn choose_windows(spreads: &[Spread]) -> Result<Vec<Window>> {
    let mut counts: Vec<(Window, usize)> = Vec::new();
    for s in spreads {
        for &(w, n) in &s.windows {
            match counts.iter_mut().find(|(x, _)| *x == w) {
                Some((_, m)) => *m += n,
                None => counts.push((w, n)),
            }
        }
    }
    counts.sort();
    let mut choices: Vec<Option<Window>> = counts.iter().map(|&(w, _)| Some(w)).collect();
    choices.push(None);
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let label = |c: Option<Window>| match c {
        Some(w) => {
            let n = counts.iter().find(|(x, _)| *x == w).map_or(0, |(_, n)| *n);
            format!(
                "{} {} {}",
                pad(w.id(), 10),
                pad(w.label_zh(), 11),
                ask::window_services(n)
            )
        }
        None => format!(
            "{} {} {}",
            pad("all", 10),
            pad("全部", 11),
            ask::window_services_many(total)
        ),
    };
    let picked = prompt::choose(&ask::ask_window(), "--window W", &choices, label)?;
    Ok(match picked {
        Some(w) => vec![w],
        None => counts.into_iter().map(|(w, _)| w).collect(),
    })
}

fn both_labels(s: Status) -> String {
    format!("{:<17} {}", s.id(), s.label_zh())
}
