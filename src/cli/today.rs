//! `xaas today [--mine] [FILTERS] [--limit N]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells;
use xaas::labels::Lang;
use xaas::ops;

use super::filters::FilterArgs;
use super::output::{self, pick, Format, Out};
use super::Ctx;

/// Your worklist: open services in the window and tasks due, most important first, with points and why (silent when none)
#[derive(Args, Debug)]
pub struct TodayArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Rows to show, most important first (0 for all), as `list` pages
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
}

/// A terminal's share of the row, the why last to wrap; files and pipes
/// get it all.
const TABLE: &[&str] = &[
    "points",
    "customer_name",
    "service_id",
    "days_left",
    "health",
    "status",
    "amount",
    "csm",
    "why",
];

pub fn run(ctx: &Ctx, a: TodayArgs) -> Result<ExitCode> {
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open_read()?;
    let limit = (a.limit > 0).then_some(a.limit);
    let list = ops::today::worklist(&db, &f, ctx.clock.today, limit)?;
    let format = ctx.format();
    // JSON keys and values stay English.
    let lang = if format == Format::Json {
        Lang::En
    } else {
        ctx.lang
    };
    let (fields, idx) = pick(format, cells::worklist_fields(), TABLE);
    // The why says the days and the band too: on a narrow terminal those
    // columns give way before it wraps.
    let mut out =
        Out::new(output::stdout(), format, ctx.lang, fields)?.redundant(&["days_left", "health"]);
    let total = list.total;
    let at = list.at;
    for item in list.items {
        let cells = cells::worklist_row_cells(item, lang, at);
        if format == Format::Table {
            out.picked(&cells, &idx)?;
        } else {
            out.row(&cells)?;
        }
    }
    let shown = out.finish()?;
    if (shown as usize) < total {
        eprintln!(
            "{}",
            xaas::msg::show::rows_shown(output::thousands(shown), output::thousands(total as u64))
        );
    }
    Ok(ExitCode::SUCCESS)
}
