//! `xaas list [--services] [FILTERS]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells;
use xaas::filter::{CustomerSort, Page, ServiceSort};
use xaas::msg::files as m;
use xaas::ops;

use super::dest::{Dest, What};
use super::filters::FilterArgs;
use super::output::{self, pick};
use super::Ctx;

/// Customers with their services' figures (or, with --services, one row per service)
#[derive(Args, Debug)]
pub struct ListArgs {
    /// One row per matching service instead of one per customer
    #[arg(long)]
    pub services: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Rows to show (0 for all)
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
    /// Rows to skip
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Order by FIELD (`-FIELD` descending) [default: most urgent first;
    /// expiry_date with --services]
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Write to FILE (atomically): xlsx when it ends in .xlsx, else CSV with a BOM for Excel/WPS
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
}

/// A terminal's share of the service row; files and pipes get it all.
pub const SERVICE_TABLE: &[&str] = &[
    "customer_name",
    "service_id",
    "product",
    "expiry_date",
    "days_left",
    "window",
    "status",
    "run_status",
    "amount",
    "health",
];

const CUSTOMER_TABLE: &[&str] = &[
    "customer_id",
    "customer_name",
    "csm",
    "tier",
    "services",
    "amount",
    "nearest_expiry",
    "worst_window",
    "open",
    "health",
];

pub fn run(ctx: &Ctx, a: ListArgs) -> Result<ExitCode> {
    let f = a.filters.to_filters(&ctx.me)?;
    let page = Page {
        limit: (a.limit > 0).then_some(a.limit),
        offset: a.offset,
    };
    let today = ctx.clock.today;
    let (shown, total) = if a.services {
        // Sort keys differ for services and customers: checked here, once
        // we know which (a usage error either way).
        let sort = a
            .sort
            .as_deref()
            .map(ServiceSort::services)
            .transpose()
            .map_err(usage)?;
        let db = ctx.open_read()?;
        let dest = Dest::new(a.output.as_deref(), ctx, ctx.format(), false)?;
        let (fields, idx) = pick(dest.format(), cells::service_fields(), SERVICE_TABLE);
        let mut total = 0;
        let written = (|| {
            let mut out = dest.out(ctx.lang, fields, What::Services)?;
            total = ops::list::services(&db, &f, sort.as_ref(), page, today, |s| {
                out.picked(&cells::service_cells(s), &idx)
            })?
            .1;
            out.finish()
        })();
        let shown = *written.as_ref().unwrap_or(&0);
        dest.finish(written, What::Services)?;
        (shown, total)
    } else {
        let sort = a
            .sort
            .as_deref()
            .map(CustomerSort::customers)
            .transpose()
            .map_err(usage)?;
        let db = ctx.open_read()?;
        let dest = Dest::new(a.output.as_deref(), ctx, ctx.format(), false)?;
        let (rows, total) = ops::list::customers(&db, &f, sort.as_ref(), page, today)?;
        let (fields, idx) = pick(dest.format(), cells::customer_fields(), CUSTOMER_TABLE);
        let written = (|| {
            let mut out = dest.out(ctx.lang, fields, What::Customers)?;
            for r in &rows {
                out.picked(&cells::customer_cells(r), &idx)?;
            }
            out.finish()
        })();
        let shown = *written.as_ref().unwrap_or(&0);
        dest.finish(written, What::Customers)?;
        (shown, total)
    };
    if let Some(note) = page_note(shown, total, a.offset) {
        eprintln!("{note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// What stderr says when the rows shown are not all that matched: how
/// many of how many, which ones when they do not start at the first, and
/// whether more follow. Nothing when everything matching was shown (or
/// nothing matched).
fn page_note(shown: u64, total: u64, offset: u64) -> Option<String> {
    if total == 0 || (offset == 0 && shown >= total) {
        return None;
    }
    let n = output::thousands;
    if shown == 0 {
        return Some(m::file_page_past_end(n(shown), n(total), n(offset)));
    }
    let last = offset + shown;
    let range = if offset > 0 && shown == 1 {
        m::file_page_range_one(n(last))
    } else if offset > 0 {
        m::file_page_range(n(offset + 1), n(last))
    } else {
        String::new()
    };
    let more = if last < total {
        m::file_page_more()
    } else {
        String::new()
    };
    Some(m::file_page_shown(n(shown), n(total), range, more))
}

fn usage(e: String) -> super::UsageError {
    super::UsageError(m::file_bad_sort(e))
}
