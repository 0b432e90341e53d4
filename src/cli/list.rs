//! `xaas list [--services] [FILTERS]`

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::db::query::{self, Page};
use xaas::record::{self, Field};

use super::filters::FilterArgs;
use super::output::{self, Format, Out};
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
    /// Order by FIELD (`-FIELD` descending) [default: most urgent first]
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    pub sort: Option<String>,
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
];

/// Fields and a picker for the table's narrower set of columns.
pub fn pick(format: Format, fields: Vec<Field>, table_keys: &[&str]) -> (Vec<Field>, Vec<usize>) {
    if format != Format::Table {
        let all = (0..fields.len()).collect();
        return (fields, all);
    }
    let idx: Vec<usize> = table_keys
        .iter()
        .filter_map(|k| fields.iter().position(|f| f.key == *k))
        .collect();
    (idx.iter().map(|&i| fields[i]).collect(), idx)
}

pub fn run(ctx: &Ctx, a: ListArgs) -> Result<ExitCode> {
    let db = ctx.open()?;
    let f = a.filters.to_filters()?;
    let page = Page {
        limit: (a.limit > 0).then_some(a.limit),
        offset: a.offset,
    };
    let format = ctx.format();
    let today = ctx.clock.today;
    let (shown, total) = if a.services {
        let order = query::service_order(a.sort.as_deref().or(Some("expiry_date")))?;
        let (fields, idx) = pick(format, record::service_fields(), SERVICE_TABLE);
        let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
        query::for_each_service(&db.conn, &f, None, &order, page, today, |s| {
            let cells = record::service_cells(&s);
            out.row(&idx.iter().map(|&i| cells[i].clone()).collect::<Vec<_>>())?;
            Ok::<(), anyhow::Error>(())
        })?;
        let shown = out.finish()?;
        let total = if page.limit.is_some_and(|l| shown >= l) || a.offset > 0 {
            query::count_services(&db.conn, &f, today)?
        } else {
            shown
        };
        (shown, total)
    } else {
        let (rows, total) = query::list_customers(&db.conn, &f, a.sort.as_deref(), page, today)?;
        let (fields, idx) = pick(format, record::customer_fields(), CUSTOMER_TABLE);
        let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
        for r in &rows {
            let cells = record::customer_cells(r);
            out.row(&idx.iter().map(|&i| cells[i].clone()).collect::<Vec<_>>())?;
        }
        (out.finish()?, total)
    };
    if shown < total {
        eprintln!(
            "{} of {} shown; use --limit/--offset for more",
            output::thousands(shown),
            output::thousands(total)
        );
    }
    Ok(ExitCode::SUCCESS)
}
