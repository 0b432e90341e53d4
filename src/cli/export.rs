//! `xaas export [CUSTOMER...] [FILTERS] [-o FILE] [--bom]`

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

use anyhow::{bail, Context, Result};
use clap::Args;

use xaas::cells::{self, Cell};
use xaas::customer::Customer;
use xaas::filter::ServiceSort;
use xaas::ops;

use super::filters::FilterArgs;
use super::output::{self, Format, FormatArg, Out};
use super::Ctx;

/// The service list (服务清单) for spreadsheets: CSV unless --format says otherwise
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Customers to export (id or a unique part of the name) [default: all]
    pub customers: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Write to FILE (atomically; CSV gets a BOM for Excel/WPS)
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
    let f = a.filters.to_filters()?;
    let db = ctx.open()?;
    // A file format, not a view: CSV unless --format/--json says otherwise.
    let format = match ctx.format_arg {
        None | Some(FormatArg::Auto) => Format::Csv,
        Some(other) => other.resolve(),
    };
    let to_file = a.output.as_deref().filter(|o| *o != "-");
    let bom = format != Format::Json && (a.bom || to_file.is_some());
    let (mut sink, temp): (Box<dyn Write>, _) = match to_file {
        Some(path) => {
            let dir = Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if !dir.is_dir() {
                bail!(
                    "cannot write `{path}`: there is no folder `{}`\nhint: create it first, or name a file in an existing folder",
                    dir.display()
                );
            }
            // Written beside the target, then renamed over it: a reader
            // never sees half a file.
            let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
                anyhow::anyhow!("cannot write in `{}`: {}", dir.display(), e.kind())
            })?;
            let w = std::io::BufWriter::with_capacity(256 * 1024, tmp.reopen()?);
            (Box::new(w), Some((tmp, path)))
        }
        None => (output::stdout(), None),
    };
    if bom {
        sink.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut out = Out::new(sink, format, ctx.lang, cells::service_fields())?;
    if temp.is_some() {
        out = out.guarded();
    }
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
            out.row2(head, &cells::service_own_cells(&s))?;
            Ok::<(), anyhow::Error>(())
        },
    )?;
    let n = out.finish()?;
    if let Some((tmp, path)) = temp {
        tmp.persist(path)
            .with_context(|| format!("cannot write `{path}`"))?;
        eprintln!(
            "wrote {} service{} to `{path}`",
            output::thousands(n),
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
