//! `xaas risk add|plan|close|list`: risks to a renewal (风险).

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use xaas::cells;
use xaas::date::iso;
use xaas::history::{Actor, Via};
use xaas::msg::{commands as m, show};
use xaas::ops::risk as risks;
use xaas::risk::{NewRisk, Risk, RiskKind, RiskOutcome};

use super::filters::CustomerFilterArgs;
use super::items::{about, nonblank, parse_id, print};
use super::Ctx;

/// Risks to a renewal: delivery, satisfaction, business (交付/满意度/商务)
#[derive(Args, Debug)]
pub struct RiskArgs {
    #[command(subcommand)]
    pub command: RiskCommand,
}

#[derive(Subcommand, Debug)]
pub enum RiskCommand {
    Add(AddArgs),
    Plan(PlanArgs),
    Close(CloseArgs),
    List(ListArgs),
}

/// Record a risk raised today, for a customer or one of its services
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// The risk is about this service of the customer [default: the whole customer]
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// delivery, satisfaction or business (交付, 满意度, 商务)
    #[arg(long, value_parser = super::choice::Choice::<RiskKind>::new())]
    pub kind: RiskKind,
    /// What the risk is
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true, value_parser = nonblank)]
    pub note: String,
    /// Who handles it [default: the author]
    #[arg(long, value_name = "NAME", value_parser = nonblank)]
    pub owner: Option<String>,
    /// Who records it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Write the response plan of an open risk (应对方案); a new plan replaces the last
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The risk's id, as `risk list` shows it
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// The plan
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true, value_parser = nonblank)]
    pub note: String,
    /// Who writes it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Close an open risk with its outcome, today
#[derive(Args, Debug)]
pub struct CloseArgs {
    /// The risk's id, as `risk list` shows it
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// resolved or failed (处置成功, 处置失败)
    #[arg(long, value_parser = super::choice::Choice::<RiskOutcome>::new())]
    pub outcome: RiskOutcome,
    /// How it ended
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true, value_parser = nonblank)]
    pub note: String,
    /// Who closes it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Risks of the customers the filters select, in the order they were raised
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only open risks (no outcome yet)
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub filters: CustomerFilterArgs,
}

pub fn run(ctx: &Ctx, a: RiskArgs) -> Result<ExitCode> {
    match a.command {
        RiskCommand::Add(a) => add(ctx, a),
        RiskCommand::Plan(a) => plan(ctx, a),
        RiskCommand::Close(a) => close(ctx, a),
        RiskCommand::List(a) => list(ctx, a),
    }
    .map(|()| ExitCode::SUCCESS)
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let new = NewRisk {
        customer: a.customer,
        service: a.service,
        kind: a.kind,
        note: a.note,
        owner: a.owner,
    };
    let r = risks::add(&mut ctx.open()?, &new, &who)?;
    let about = about(r.service_id.as_deref());
    println!(
        "{}",
        m::risk_added(
            r.id,
            &r.customer_id,
            &r.customer_name,
            about,
            r.kind.label(ctx.lang),
            r.owner.as_deref().unwrap_or("-"),
            iso(r.raised)
        )
    );
    Ok(())
}

fn plan(ctx: &Ctx, a: PlanArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let (before, r) = risks::plan(&mut ctx.open()?, a.id, &a.note, &who)?;
    println!(
        "{}",
        m::state_change(title(&r), before.label(ctx.lang), r.state().label(ctx.lang))
    );
    Ok(())
}

fn close(ctx: &Ctx, a: CloseArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let (before, r) = risks::close(&mut ctx.open()?, a.id, a.outcome, &a.note, &who)?;
    println!(
        "{}",
        m::risk_closed(
            title(&r),
            before.label(ctx.lang),
            r.state().label(ctx.lang),
            r.closed.map_or_else(String::new, iso)
        )
    );
    Ok(())
}

/// `risk #3 (C0004 金盾物流有限公司)`
fn title(r: &Risk) -> String {
    m::risk_title(r.id, &r.customer_id, &r.customer_name)
}

const TABLE: &[&str] = &[
    "id",
    "customer_name",
    "service_id",
    "kind",
    "status",
    "owner",
    "created",
    "note",
    "plan",
];

fn list(ctx: &Ctx, a: ListArgs) -> Result<()> {
    let f = a.filters.to_filters(&ctx.me)?;
    let found = risks::list(&ctx.open_read()?, &f, a.open)?;
    let none = if a.open {
        show::no_open_risks()
    } else {
        show::no_risks()
    };
    print(
        ctx,
        cells::risk_fields(),
        TABLE,
        found.iter().map(cells::risk_cells),
        &none,
    )
}
