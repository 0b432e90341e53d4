//! `xaas report -o FILE.html [FILTERS]`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::msg::report as m;
use xaas::ops;

use super::filters::FilterArgs;
use super::outfile::OutFile;
use super::Ctx;

/// A report to look at: one self-contained HTML page with charts (windows, statuses, monthly rates, reasons, each CSM, health, forecast)
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The page to write (atomically; replaced if it exists)
    #[arg(short, long, value_name = "FILE.html")]
    pub output: String,
    #[command(flatten)]
    pub filters: FilterArgs,
}

pub fn run(ctx: &Ctx, a: ReportArgs) -> Result<ExitCode> {
    let f = a.filters.to_filters(&ctx.me)?;
    // Opened first: a file that cannot be written stops the command
    // before it reads.
    let file = OutFile::create(&a.output)?;
    let db = ctx.open_read()?;
    let page = ops::report::html(&db, &f, ctx.clock.today)?;
    file.writer()?
        .write_all(page.as_bytes())
        .map_err(|e| file.error(e))?;
    file.commit()?;
    eprintln!("{}", m::report_wrote(&a.output));
    Ok(ExitCode::SUCCESS)
}
