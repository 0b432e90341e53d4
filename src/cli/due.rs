//! `xaas due --within N [--overdue] [--untouched] [FILTERS]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells::{self, Cell};
use xaas::columns::Col;
use xaas::filter::{Due, ServiceSort};
use xaas::ops;
use xaas::service::RunStatus;

use super::dest::{Dest, What};
use super::filters::FilterArgs;
use super::list::SERVICE_TABLE;
use super::output::{self, pick};
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
    /// Order by FIELD (`-FIELD` descending) [default: days_left, then service_id]
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true, value_parser = ServiceSort::services)]
    pub sort: Option<ServiceSort>,
    /// Write to FILE (atomically): xlsx when it ends in .xlsx, else CSV with a BOM for Excel/WPS
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
}

pub fn run(ctx: &Ctx, a: DueArgs) -> Result<ExitCode> {
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open_read()?;
    let dest = Dest::new(a.output.as_deref(), ctx, ctx.format(), false)?;
    let format = dest.format();
    let due = Due {
        within: a.within,
        overdue: a.overdue,
        untouched: a.untouched,
    };
    let (fields, idx) = pick(format, cells::service_fields(), SERVICE_TABLE);
    let run_status = Col::ALL
        .iter()
        .position(|&c| c == Col::RunStatus)
        .expect("a column of the list");
    let written = (|| {
        let mut out = dest.out(ctx.lang, fields, What::Due)?;
        ops::due::services(&db, &f, due, a.sort.as_ref(), ctx.clock.today, |s| {
            let abnormal = s.run_status == Some(RunStatus::Abnormal);
            let mut cells = cells::service_cells(s);
            if format == output::Format::Table && abnormal {
                // Abnormal run status is what a CSM must fix before renewal talk.
                cells[run_status] = Cell::Text(format!("⚠ {}", cells[run_status].text(ctx.lang)));
            }
            out.picked(&cells, &idx)?;
            Ok::<(), anyhow::Error>(())
        })?;
        out.finish()
    })();
    dest.finish(written, What::Due)?;
    Ok(ExitCode::SUCCESS)
}
