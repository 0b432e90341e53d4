//! `xaas export [CUSTOMER...] [FILTERS] [-o FILE] [--bom]`

use std::process::ExitCode;
use std::rc::Rc;

use anyhow::Result;
use clap::Args;

use xaas::cells::{self, Cell};
use xaas::customer::Customer;
use xaas::filter::ServiceSort;
use xaas::ops;

use super::dest::{Dest, What};
use super::filters::FilterArgs;
use super::output::{Format, FormatArg};
use super::Ctx;

/// The service list (服务清单) for spreadsheets: CSV unless --format says otherwise, xlsx with -o FILE.xlsx
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Customers to export (id or a unique part of the name) [default: all]
    pub customers: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Write to FILE (atomically): xlsx when it ends in .xlsx, else CSV with a BOM for Excel/WPS
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
    /// Start standard output with a UTF-8 BOM too
    #[arg(long)]
    pub bom: bool,
    /// Order by FIELD (`-FIELD` descending) [default: service_id]
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true, value_parser = ServiceSort::services)]
    pub sort: Option<ServiceSort>,
}

pub fn run(ctx: &Ctx, a: ExportArgs) -> Result<ExitCode> {
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open_read()?;
    // A file format, not a view: CSV unless --format/--json says otherwise.
    let format = match ctx.format_arg {
        None | Some(FormatArg::Auto) => Format::Csv,
        Some(other) => other.resolve(),
    };
    // Excel and WPS need the BOM to read UTF-8; a pipe or a terminal does
    // not want it.
    let bom = a.bom || stdout_is_a_file();
    let dest = Dest::new(a.output.as_deref(), ctx, format, bom)?;
    let written = (|| {
        let mut out = dest.out(ctx.lang, cells::service_fields(), What::Services)?;
        // A customer's cells are built once for the run of its services.
        let mut customer: Option<(Rc<Customer>, Vec<Cell>)> = None;
        ops::export::services(
            &db,
            &a.customers,
            &f,
            a.sort.as_ref(),
            ctx.clock.today,
            |s| {
                if !customer
                    .as_ref()
                    .is_some_and(|(c, _)| Rc::ptr_eq(c, &s.customer))
                {
                    customer = Some((s.customer.clone(), cells::customer_attr_cells(&s.customer)));
                }
                let head = &customer.as_ref().expect("set above").1;
                out.row2(head, &cells::service_own_cells(s))?;
                Ok::<(), anyhow::Error>(())
            },
        )?;
        out.finish()
    })();
    dest.finish(written, What::Services)?;
    Ok(ExitCode::SUCCESS)
}

/// Whether standard output is a regular file (`> list.csv`), not a pipe
/// or a terminal.
fn stdout_is_a_file() -> bool {
    std::fs::metadata("/dev/stdout").is_ok_and(|m| m.is_file())
}
