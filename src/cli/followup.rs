//! `xaas followup set`: move services through the renewal states.

use std::process::ExitCode;

use anyhow::Result;
use clap::{ArgGroup, Args, Subcommand};
use rusqlite::TransactionBehavior;

use xaas::db::{followup as store, query};
use xaas::followup::{plan_customers, plan_services, summary, Notes, Request};
use xaas::history::{Actor, Source};
use xaas::status::{Reason, Status};
use xaas::window::Window;
use xaas::Error;

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
    };
    let who = Actor::new(author(a.author.as_deref()), &ctx.clock, Source::Manual);
    let today = ctx.clock.today;
    let mut db = ctx.open()?;
    let tx = db
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let plan = if a.services.is_empty() {
        let mut customers = Vec::new();
        for q in &a.customers {
            let c = query::find_customer(&tx, q)?;
            if !customers.iter().any(|(id, _)| *id == c.id) {
                customers.push((c.id, c.name));
            }
        }
        let ids: Vec<String> = customers.iter().map(|(id, _)| id.clone()).collect();
        let services = store::candidates_of_customers(&tx, &ids)?;
        plan_customers(&customers, &services, a.window, &req, today)
    } else {
        let services = store::candidates_of_services(&tx, &a.services)?;
        plan_services(&services, &req, today)
    };
    let changes = plan.map_err(|refused| {
        let n = refused.len();
        Error::Refused(format!(
            "nothing changed; {n} refused:\n{}",
            refused
                .iter()
                .map(|r| format!("  {r}"))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    })?;
    store::apply(&tx, &changes, &notes, &who)?;
    tx.commit()?;
    for line in summary(&changes, ctx.lang) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

fn both_labels(s: Status) -> String {
    format!("{:<17} {}", s.id(), s.label_zh())
}
