//! `xaas export [CUSTOMER...] [FILTERS] [-o FILE] [--bom]`

use std::io::Write;
use std::process::ExitCode;
use std::rc::Rc;

use anyhow::Result;
use clap::Args;

use xaas::cells::{self, Cell};
use xaas::customer::Customer;
use xaas::filter::ServiceSort;
use xaas::ops;

use super::filters::FilterArgs;
use super::outfile::OutFile;
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
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open()?;
    // A file format, not a view: CSV unless --format/--json says otherwise.
    let format = match ctx.format_arg {
        None | Some(FormatArg::Auto) => Format::Csv,
        Some(other) => other.resolve(),
    };
    let to_file = a.output.as_deref().filter(|o| *o != "-");
    // Excel and WPS need the BOM to read UTF-8; a pipe or a terminal does
    // not want it.
    let bom = format != Format::Json && (a.bom || to_file.is_some() || stdout_is_a_file());
    let file = to_file.map(OutFile::create).transpose()?;
    let mut sink: Box<dyn Write> = match &file {
        Some(f) => Box::new(std::io::BufWriter::with_capacity(256 * 1024, f.writer()?)),
        None => output::stdout(),
    };
    let written = (|| {
        if bom {
            sink.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut out = Out::new(sink, format, ctx.lang, cells::service_fields())?;
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
    let Some(file) = file else {
        written?;
        return Ok(ExitCode::SUCCESS);
    };
    // A full disk or a size limit is named with the file it hit; the
    // temporary file goes with `file`.
    let n = match written {
        Err(e) => match io_error(e) {
            Ok(io) => return Err(file.error(io).into()),
            Err(other) => return Err(other),
        },
        Ok(n) => n,
    };
    file.commit()?;
    let path = to_file.expect("a file");
    eprintln!(
        "{}",
        xaas::msg::files::file_wrote(n, output::thousands(n), path)
    );
    Ok(ExitCode::SUCCESS)
}

/// Whether standard output is a regular file (`> list.csv`), not a pipe
/// or a terminal.
fn stdout_is_a_file() -> bool {
    std::fs::metadata("/dev/stdout").is_ok_and(|m| m.is_file())
}

/// The I/O error that ended a write (the csv and JSON writers wrap
/// theirs), or the error as it was.
fn io_error(e: anyhow::Error) -> Result<std::io::Error, anyhow::Error> {
    let e = match e.downcast::<std::io::Error>() {
        Ok(io) => return Ok(io),
        Err(e) => e,
    };
    if e.downcast_ref::<serde_json::Error>()
        .is_some_and(|j| j.is_io())
    {
        if let Ok(j) = e.downcast::<serde_json::Error>() {
            return Ok(j.into());
        }
        unreachable!("checked above");
    }
    let csv_io = e
        .downcast_ref::<csv::Error>()
        .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(_)));
    if csv_io {
        if let Ok(c) = e.downcast::<csv::Error>() {
            if let csv::ErrorKind::Io(io) = c.into_kind() {
                return Ok(io);
            }
        }
        unreachable!("checked above");
    }
    Err(e)
}
