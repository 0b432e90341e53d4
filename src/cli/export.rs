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
use super::interrupt;
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
    // Excel and WPS need the BOM to read UTF-8; a pipe or a terminal does
    // not want it.
    let bom = format != Format::Json && (a.bom || to_file.is_some() || stdout_is_a_file());
    let (mut sink, temp): (Box<dyn Write>, _) = match to_file {
        Some(path) => {
            let tmp = temp_beside(path)?;
            let w = std::io::BufWriter::with_capacity(256 * 1024, tmp.reopen()?);
            (Box::new(w) as Box<dyn Write>, Some((tmp, path)))
        }
        None => (output::stdout(), None),
    };
    if bom {
        sink.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut out = Out::new(sink, format, ctx.lang, cells::service_fields())?;
    // A customer's cells are built once for the run of its services.
    let mut customer: Option<(Rc<Customer>, Vec<Cell>)> = None;
    let written = ops::export::services(
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
    )
    .and_then(|()| out.finish());
    // A full disk or a size limit is named with the file it hit.
    let n = match (&temp, written) {
        (Some((_, path)), Err(e)) if is_io(&e) => {
            return Err(e.context(format!("cannot write `{path}`")))
        }
        (_, written) => written?,
    };
    if let Some((tmp, path)) = temp {
        let at = tmp.path().to_path_buf();
        tmp.persist(path)
            .with_context(|| format!("cannot write `{path}`"))?;
        interrupt::keep(&at);
        eprintln!(
            "wrote {} service{} to `{path}`",
            output::thousands(n),
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A temporary file in the target's folder, renamed over the target when
/// the export is complete: a reader never sees half a file, Ctrl-C leaves
/// none behind, and an existing file keeps its permissions.
fn temp_beside(path: &str) -> Result<tempfile::NamedTempFile> {
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
    let existing = std::fs::metadata(path).ok();
    if existing
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        bail!("cannot write `{path}`: the file is read-only; nothing written");
    }
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("cannot write `{path}`: {}", e.kind()))?;
    interrupt::remove_on_interrupt(tmp.path());
    if let Some(mode) = existing
        .map(|m| m.permissions())
        .or_else(new_file_permissions)
    {
        std::fs::set_permissions(tmp.path(), mode)
            .with_context(|| format!("cannot write `{path}`"))?;
    }
    Ok(tmp)
}

/// What a new file gets: readable by all, as a shell redirect makes it
/// (the temporary file itself is private).
fn new_file_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Whether standard output is a regular file (`> list.csv`), not a pipe
/// or a terminal.
fn stdout_is_a_file() -> bool {
    std::fs::metadata("/dev/stdout").is_ok_and(|m| m.is_file())
}

fn is_io(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.is::<std::io::Error>() || c.is::<csv::Error>())
}
