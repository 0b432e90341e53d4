//! `xaas outcomes [FILTERS] [--from D --to D]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells;
use xaas::ops;

use super::dest::{Dest, What};
use super::filters::FilterArgs;
use super::output::pick;
use super::stats::PeriodArgs;
use super::Ctx;

/// The renewal cohort's terms and what became of each: the rows behind `stats`
#[derive(Args, Debug)]
pub struct OutcomesArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Write to FILE (atomically): xlsx when it ends in .xlsx, else CSV with a BOM for Excel/WPS
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
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
    let db = ctx.open_read()?;
    let dest = Dest::new(a.output.as_deref(), ctx, ctx.format(), false)?;
    let rows = ops::outcomes::cohort(&db, &f, period, ctx.clock.today)?;
    let (fields, idx) = pick(dest.format(), cells::outcome_fields(), TABLE);
    let written = (|| {
        let mut out = dest.out(ctx.lang, fields, What::Terms)?;
        for r in &rows {
            out.picked(&cells::outcome_cells(r), &idx)?;
        }
        out.finish()
    })();
    dest.finish(written, What::Terms)?;
    Ok(ExitCode::SUCCESS)
}
