//! `xaas outcomes [FILTERS] [--from D --to D]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells;
use xaas::ops;

use super::filters::FilterArgs;
use super::output::{self, pick, Out};
use super::stats::PeriodArgs;
use super::Ctx;

/// The renewal cohort's terms and what became of each: the rows behind `stats`
#[derive(Args, Debug)]
pub struct OutcomesArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// A terminal's share of the row; files and pipes get it all.
const TABLE: &[&str] = &[
    "customer_name",
    "csm",
    "service_id",
    "expiry_date",
    "amount",
    "outcome",
    "new_amount",
    "reason",
    "last_note",
];

pub fn run(ctx: &Ctx, a: OutcomesArgs) -> Result<ExitCode> {
    let period = a.period.period(ctx.clock.today)?;
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open()?;
    let rows = ops::outcomes::cohort(&db, &f, period, ctx.clock.today)?;
    let format = ctx.format();
    let (fields, idx) = pick(format, cells::outcome_fields(), TABLE);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    for r in &rows {
        out.picked(&cells::outcome_cells(r), &idx)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
