//! `xaas renew SERVICE --until DATE [--amount X]`

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use xaas::date::iso;
use xaas::history::{Actor, Via};
use xaas::money::Cents;
use xaas::msg::commands as m;
use xaas::ops;
use xaas::status::Status;

use super::{parse_day, Ctx};

/// Record a renewal by hand: close the current term as renewed, open the next
#[derive(Args, Debug)]
pub struct RenewArgs {
    /// The service renewed
    pub service: String,
    /// The new term's expiry date (must be after the current one)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: NaiveDate,
    /// The new term's amount [default: the current amount]
    #[arg(long, value_name = "AMOUNT", value_parser = Cents::parse)]
    pub amount: Option<Cents>,
    /// Who recorded it [default: $XAAS_USER, else `author` of
    /// the config file, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

pub fn run(ctx: &Ctx, a: RenewArgs) -> Result<ExitCode> {
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Renew);
    let mut db = ctx.open()?;
    let r = ops::renew::renew(&mut db, &a.service, a.until, a.amount, &who)?;
    let money = |c: Option<i64>| c.map_or("-".to_string(), |c| Cents::from(c).to_string());
    println!(
        "{}",
        m::renewed_line(
            &r.old.service_id,
            r.was.label(ctx.lang),
            Status::Renewed.label(ctx.lang),
            iso(r.start),
            iso(r.until),
            money(r.old.amount),
            money(r.amount)
        )
    );
    Ok(ExitCode::SUCCESS)
}
