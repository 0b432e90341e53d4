//! `xaas history SERVICE|CUSTOMER`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells::{self, Cell};
use xaas::ops;

use super::output::{self, pick, Format, Out};
use super::Ctx;

/// Every status and term change of a service or a customer, oldest first
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// A service id, or a customer id or unique part of a name
    #[arg(value_name = "SERVICE|CUSTOMER")]
    pub target: String,
}

const TABLE: &[&str] = &[
    "at",
    "service_id",
    "kind",
    "from",
    "to",
    "author",
    "source",
    "reason",
    "note",
];

pub fn run(ctx: &Ctx, a: HistoryArgs) -> Result<ExitCode> {
    let db = ctx.open_read()?;
    let entries = ops::history::of(&db, &a.target)?;
    let format = ctx.format();
    if entries.is_empty() && format == Format::Table {
        eprintln!("{}", xaas::msg::show::no_changes_yet(&a.target));
    }
    let (fields, idx) = pick(format, cells::history_fields(), TABLE);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    for e in &entries {
        let mut cells = cells::history_cells(e);
        if format == Format::Table {
            let at = output::short_time(&e.at);
            cells[0] = Cell::Text(at);
        }
        out.picked(&cells, &idx)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
