//! `xaas due --within N [--overdue] [--untouched] [FILTERS]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::db::query::{self, Due, Page, DUE_ORDER};
use xaas::record;

use super::filters::FilterArgs;
use super::list::{pick, SERVICE_TABLE};
use super::output::{self, Out};
use super::Ctx;

/// Open services expiring within N days, most urgent first (silent when none)
#[derive(Args, Debug)]
pub struct DueArgs {
    /// Days ahead (0 = expiring today)
    #[arg(
        long,
        value_name = "N",
        default_value_t = 30,
        allow_negative_numbers = true
    )]
    pub within: u32,
    /// Also open services already expired
    #[arg(long)]
    pub overdue: bool,
    /// Only services with no follow-up record since entering their window
    #[arg(long)]
    pub untouched: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
}

pub fn run(ctx: &Ctx, a: DueArgs) -> Result<ExitCode> {
    let db = ctx.open()?;
    let f = a.filters.to_filters()?;
    let format = ctx.format();
    let due = Due {
        within: a.within,
        overdue: a.overdue,
        untouched: a.untouched,
    };
    let (fields, idx) = pick(format, record::service_fields(), SERVICE_TABLE);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    query::for_each_service(
        &db.conn,
        &f,
        Some(due),
        DUE_ORDER,
        Page::default(),
        ctx.clock.today,
        |s| {
            let mut cells = record::service_cells(&s);
            if format == output::Format::Table
                && s.run_status == Some(xaas::model::RunStatus::Abnormal)
            {
                // Abnormal run status is what a CSM must fix before renewal talk.
                let i = xaas::columns::EXPORT
                    .iter()
                    .position(|c| *c == xaas::columns::Col::RunStatus)
                    .expect("column");
                cells[i] = record::Cell::Text(format!("⚠ {}", cells[i].text(ctx.lang)));
            }
            out.row(&idx.iter().map(|&i| cells[i].clone()).collect::<Vec<_>>())?;
            Ok::<(), anyhow::Error>(())
        },
    )?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
