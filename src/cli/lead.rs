//! `xaas lead add|set|list`: upsell leads (增购线索).

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use xaas::cells;
use xaas::date::iso;
use xaas::history::{Actor, Via};
use xaas::lead::LeadStatus;
use xaas::money::Cents;
use xaas::msg::{commands as m, show};
use xaas::ops::lead::{self as leads, NewLead};

use super::filters::CustomerFilterArgs;
use super::items::{about, nonblank, parse_id, print};
use super::Ctx;

/// Upsell leads: entered, then validated or invalid, and converted
#[derive(Args, Debug)]
pub struct LeadArgs {
    #[command(subcommand)]
    pub command: LeadCommand,
}

#[derive(Subcommand, Debug)]
pub enum LeadCommand {
    Add(AddArgs),
    Set(SetArgs),
    List(ListArgs),
}

/// Enter a lead spotted today
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// What the customer may buy
    #[arg(long, value_name = "TEXT", value_parser = nonblank)]
    pub product: String,
    /// Expected amount: 12000, 12,000.00 or ¥12000
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = Cents::parse)]
    pub amount: Option<Cents>,
    /// The need, and where it came from
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true, value_parser = nonblank)]
    pub note: String,
    /// The lead grows this service of the customer
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Who enters it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Move a lead on, today: validated, invalid or converted (invalid and converted are final)
#[derive(Args, Debug)]
pub struct SetArgs {
    /// The lead's id, as `lead list` shows it
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// validated, invalid or converted (已验证, 无效, 已转商机)
    #[arg(long, value_parser = LeadStatus::parse_settable)]
    pub status: LeadStatus,
    /// The amount now known: 12000, 12,000.00 or ¥12000
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = Cents::parse)]
    pub amount: Option<Cents>,
    /// Who moves it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Leads of the customers the filters select, in the order they were entered
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only open leads (entered or validated)
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub filters: CustomerFilterArgs,
}

pub fn run(ctx: &Ctx, a: LeadArgs) -> Result<ExitCode> {
    match a.command {
        LeadCommand::Add(a) => add(ctx, a),
        LeadCommand::Set(a) => set(ctx, a),
        LeadCommand::List(a) => list(ctx, a),
    }
    .map(|()| ExitCode::SUCCESS)
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let new = NewLead {
        customer: a.customer,
        service: a.service,
        product: a.product,
        amount: a.amount,
        note: a.note,
    };
    let l = leads::add(&mut ctx.open()?, &new, &who)?;
    let about = about(l.service_id.as_deref());
    let amount = l.amount.map(m::lead_amount).unwrap_or_default();
    println!(
        "{}",
        m::lead_added(
            l.id,
            &l.customer_id,
            &l.customer_name,
            about,
            &l.product,
            amount,
            iso(l.entered)
        )
    );
    Ok(())
}

fn set(ctx: &Ctx, a: SetArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let (before, after) = leads::set(&mut ctx.open()?, a.id, a.status, a.amount, &who)?;
    let amount = match (before.amount, after.amount) {
        (b, Some(n)) if b != Some(n) => {
            m::amount_change(b.map_or_else(m::no_value_word, |b| b.to_string()), n)
        }
        _ => String::new(),
    };
    println!(
        "{}",
        m::lead_moved(
            after.id,
            &after.customer_id,
            &after.customer_name,
            before.status.label(ctx.lang),
            after.status.label(ctx.lang),
            amount
        )
    );
    Ok(())
}

const TABLE: &[&str] = &[
    "id",
    "customer_name",
    "product",
    "amount",
    "status",
    "created",
    "closed",
    "note",
];

fn list(ctx: &Ctx, a: ListArgs) -> Result<()> {
    let f = a.filters.to_filters(&ctx.me)?;
    let found = leads::list(&ctx.open_read()?, &f, a.open)?;
    let none = if a.open {
        show::no_open_leads()
    } else {
        show::no_leads()
    };
    print(
        ctx,
        cells::lead_fields(),
        TABLE,
        found.iter().map(cells::lead_cells),
        &none,
    )
}
