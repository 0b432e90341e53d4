//! `xaas followup set`: move services through the renewal states.

use std::process::ExitCode;

use anyhow::Result;
use clap::{ArgGroup, Args, Subcommand};

use xaas::followup::{summary, Request};
use xaas::history::{Actor, Via};
use xaas::ops::followup::{self, Target};
use xaas::record::Notes;
use xaas::status::{Reason, Status};
use xaas::window::Window;

use super::{author, prompt, Ctx};

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
/// window (only window W with --window). With --service: exactly those
/// services, closed ones too. All or nothing: if any service is refused,
/// nothing changes. Every call writes a follow-up record.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("target").required(true).multiple(true).args(["customers", "services"])))]
pub struct SetArgs {
    /// Customer id, or a part of the name that matches one customer
    #[arg(value_name = "CUSTOMER")]
    pub customers: Vec<String>,
    /// Set this service (repeatable) instead of a customer's services
    #[arg(long = "service", value_name = "ID", conflicts_with_all = ["customers", "window"])]
    pub services: Vec<String>,
    /// New status: identifying_risk, at_risk, no_risk, renewing, suspended, not_renewing, pending (id, kebab or Chinese)
    #[arg(long, value_parser = Status::parse)]
    pub status: Option<Status>,
    /// Only services in this window: expired, within_30, within_90
    #[arg(long, value_parser = Window::parse)]
    pub window: Option<Window>,
    /// Why not renewing: budget, satisfaction, business, operations, needs, other
    #[arg(long, value_parser = Reason::parse)]
    pub reason: Option<Reason>,
    /// The sub-reason, in free text
    #[arg(long, value_name = "TEXT")]
    pub reason_detail: Option<String>,
    /// What the customer said
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Who followed up [default: $XAAS_USER, else the login name]
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
        None => prompt::choose("Status", "--status STATUS", SETTABLE, both_labels)?,
    };
    let mut reason = a.reason;
    // Without a terminal the library refuses and names --reason (rule 3).
    if to == Status::NotRenewing && reason.is_none() && prompt::interactive() {
        reason = Some(prompt::choose(
            "Why will they not renew?",
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
    let who = Actor::new(author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let target = if a.services.is_empty() {
        Target::Customers {
            queries: a.customers,
            only: a.window,
        }
    } else {
        Target::Services(a.services)
    };
    let mut db = ctx.open()?;
    let changes = followup::set(&mut db, &target, &req, &notes, &who)?;
    for line in summary(&changes, ctx.lang) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

fn both_labels(s: Status) -> String {
    format!("{:<17} {}", s.id(), s.label_zh())
}
