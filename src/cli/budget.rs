//! `xaas budget set|submit|result|list`: the customer's budget (预算管理).

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand};

use xaas::budget::{BudgetResult, Cycle};
use xaas::cells;
use xaas::date::iso;
use xaas::history::{Actor, Via};
use xaas::msg::{commands as m, show};
use xaas::ops::budget as budgets;

use super::filters::CustomerFilterArgs;
use super::items::print;
use super::{parse_day, Ctx};

/// Budgets: the customer's budget date, the renewal submitted into it, the result
#[derive(Args, Debug)]
pub struct BudgetArgs {
    #[command(subcommand)]
    pub command: BudgetCommand,
}

#[derive(Subcommand, Debug)]
pub enum BudgetCommand {
    Set(SetArgs),
    Submit(SubmitArgs),
    Result(ResultArgs),
    List(ListArgs),
}

/// Set the day the customer makes its budget (预算制定时间)
///
/// While the current date has not passed (and no result is in), a new
/// date reschedules it; once it has passed, the new date is the next
/// budget and the last one stays on the record, submitted or missed.
#[derive(Args, Debug)]
pub struct SetArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// The budget date: 2027-03-01, 2027/3/1 or 2027年3月1日
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub date: NaiveDate,
    /// Who sets it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Record that the renewal was submitted into the customer's budget, today
#[derive(Args, Debug)]
pub struct SubmitArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// Who submitted it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Record whether the submitted budget passed, today
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("result").required(true).args(["passed", "failed"])))]
pub struct ResultArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// The renewal is in the budget (已通过)
    #[arg(long)]
    pub passed: bool,
    /// The renewal is not in the budget (未通过)
    #[arg(long)]
    pub failed: bool,
    /// Who records it [default: $XAAS_USER, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Budget cycles of the customers the filters select, by budget date
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only budgets not yet submitted
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub filters: CustomerFilterArgs,
}

pub fn run(ctx: &Ctx, a: BudgetArgs) -> Result<ExitCode> {
    match a.command {
        BudgetCommand::Set(a) => set(ctx, a),
        BudgetCommand::Submit(a) => submit(ctx, a),
        BudgetCommand::Result(a) => result(ctx, a),
        BudgetCommand::List(a) => list(ctx, a),
    }
    .map(|()| ExitCode::SUCCESS)
}

fn set(ctx: &Ctx, a: SetArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let done = budgets::set(&mut ctx.open()?, &a.customer, a.date, &who)?;
    let c = &done.customer;
    let change = match done.before {
        Some(d) if d == a.date => m::value_unchanged(iso(d)),
        before => format!(
            "{} → {}",
            before.map_or_else(m::no_value_word, iso),
            iso(a.date)
        ),
    };
    println!("{}", m::budget_date_set(&c.id, &c.name, change));
    Ok(())
}

fn submit(ctx: &Ctx, a: SubmitArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let c = budgets::submit(&mut ctx.open()?, &a.customer, &who)?;
    let day = c.submitted.unwrap_or(ctx.clock.today);
    let late = (day - c.budget_date).num_days();
    let late = if late > 0 {
        m::days_late(late)
    } else {
        String::new()
    };
    println!("{}", m::budget_submitted(title(&c), iso(day), late));
    Ok(())
}

fn result(ctx: &Ctx, a: ResultArgs) -> Result<()> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Manual);
    let r = if a.passed {
        BudgetResult::Passed
    } else {
        BudgetResult::Failed
    };
    let c = budgets::result(&mut ctx.open()?, &a.customer, r, &who)?;
    println!(
        "{}",
        m::budget_result(
            title(&c),
            c.state().label(ctx.lang),
            c.result_date.map_or_else(String::new, iso)
        )
    );
    Ok(())
}

/// `budget of C0004 金盾物流有限公司 for 2027-03-01`
fn title(c: &Cycle) -> String {
    m::budget_title(&c.customer_id, &c.customer_name, iso(c.budget_date))
}

const TABLE: &[&str] = &[
    "customer_id",
    "customer_name",
    "csm",
    "budget_date",
    "status",
    "submitted",
    "result_date",
];

fn list(ctx: &Ctx, a: ListArgs) -> Result<()> {
    let f = a.filters.to_filters(&ctx.me)?;
    let found = budgets::list(&ctx.open_read()?, &f, a.open)?;
    let none = if a.open {
        show::no_budgets_to_submit()
    } else {
        show::no_budgets()
    };
    print(
        ctx,
        cells::budget_fields(),
        TABLE,
        found.iter().map(cells::budget_cells),
        &none,
    )
}
