//! Where a listing goes (`export`, `list`, `due`, `outcomes`): standard
//! output in its format, or `-o FILE`, written whole or not at all
//! (`OutFile`): a workbook when FILE ends in `.xlsx`, else CSV (or the
//! `--format` given), with a BOM for Excel and WPS.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use xaas::cells::Field;
use xaas::labels::Lang;
use xaas::msg::{self, xlsx as m};

use super::outfile::OutFile;
use super::output::{self, Format, FormatArg, Out};
use super::xlsx::XlsxSink;
use super::{Ctx, UsageError};

pub struct Dest {
    to: To,
}

enum To {
    Stdout {
        format: Format,
        bom: bool,
    },
    Text {
        file: OutFile,
        path: String,
        format: Format,
    },
    Xlsx {
        file: OutFile,
        path: String,
    },
}

/// What the rows are: for "wrote N … to FILE" and a workbook's sheet name.
#[derive(Clone, Copy, Debug)]
pub enum What {
    Services,
    Due,
    Customers,
    Terms,
}

impl What {
    /// The rows' noun (services say theirs in `files::file_wrote`).
    fn words(self, n: u64) -> &'static str {
        let one = n == 1;
        match self {
            What::Services | What::Due => {
                msg::pick(if one { "service" } else { "services" }, "服务")
            }
            What::Customers => msg::pick(if one { "customer" } else { "customers" }, "客户"),
            What::Terms => msg::pick(if one { "term" } else { "terms" }, "服务期"),
        }
    }

    fn sheet(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            What::Services => ("services", "服务清单"),
            What::Due => ("due", "到期服务"),
            What::Customers => ("customers", "客户"),
            What::Terms => ("outcomes", "续费结果"),
        };
        if lang == Lang::Zh {
            zh
        } else {
            en
        }
    }
}

/// Whether `-o` names a workbook.
fn is_xlsx(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

impl Dest {
    /// `output` as `-o` gave it (`-` or none: standard output, in
    /// `stdout`'s format, with a BOM when `bom`). A file is opened now:
    /// one that cannot be written stops the command before it reads.
    pub fn new(output: Option<&str>, ctx: &Ctx, stdout: Format, bom: bool) -> Result<Dest> {
        let Some(path) = output.filter(|o| *o != "-") else {
            return Ok(Dest {
                to: To::Stdout {
                    format: stdout,
                    bom: bom && stdout != Format::Json,
                },
            });
        };
        let given = ctx.format_arg.filter(|f| *f != FormatArg::Auto);
        let to = if is_xlsx(path) {
            if let Some(f) = given {
                let name = format!("{f:?}").to_lowercase();
                return Err(UsageError(m::format_with_xlsx(name)).into());
            }
            To::Xlsx {
                file: OutFile::create(path)?,
                path: path.to_string(),
            }
        } else {
            // A file format, not a view: CSV unless --format says otherwise.
            To::Text {
                file: OutFile::create(path)?,
                path: path.to_string(),
                format: given.map_or(Format::Csv, FormatArg::resolve),
            }
        };
        Ok(Dest { to })
    }

    /// The format of the rows as `pick` and the views see it: a workbook
    /// takes every column, as CSV does.
    pub fn format(&self) -> Format {
        match &self.to {
            To::Stdout { format, .. } | To::Text { format, .. } => *format,
            To::Xlsx { .. } => Format::Csv,
        }
    }

    /// The writer of the rows, the header in `lang`.
    pub fn out(&self, lang: Lang, fields: Vec<Field>, what: What) -> Result<Out> {
        let bom = |w: &mut dyn Write, format: Format| -> std::io::Result<()> {
            if format != Format::Json {
                w.write_all(b"\xEF\xBB\xBF")?;
            }
            Ok(())
        };
        match &self.to {
            To::Stdout { format, bom: b } => {
                let w = output::stdout();
                // At the first byte out: an error before leaves stdout empty.
                let w: Box<dyn Write> = if *b && *format != Format::Json {
                    Box::new(output::BomFirst::new(w))
                } else {
                    w
                };
                Out::new(w, *format, lang, fields)
            }
            To::Text { file, format, .. } => {
                // Excel and WPS need the BOM to read UTF-8.
                let mut w: Box<dyn Write> = Box::new(std::io::BufWriter::with_capacity(
                    256 * 1024,
                    file.writer()?,
                ));
                bom(&mut w, *format).map_err(|e| file.error(e))?;
                Out::new(w, *format, lang, fields)
            }
            To::Xlsx { file, path } => {
                let dir = Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let sink = XlsxSink::new(file.writer()?, dir, what.sheet(lang), lang, &fields)
                    .map_err(|e| named(file, e))?;
                Ok(Out::xlsx(sink, lang, fields))
            }
        }
    }

    /// Ends the command's output: a file is put in place once `written`
    /// (the rows' count) says every row is in, and stderr says so; an
    /// error names the file, which is left as it was.
    pub fn finish(self, written: Result<u64>, what: What) -> Result<()> {
        let (file, path) = match self.to {
            To::Stdout { .. } => return written.map(|_| ()),
            To::Text { file, path, .. } | To::Xlsx { file, path } => (file, path),
        };
        let n = written.map_err(|e| named(&file, e))?;
        file.commit()?;
        let shown = output::thousands(n);
        let line = match what {
            What::Services | What::Due => msg::files::file_wrote(n, shown, path),
            _ => m::wrote(shown, what.words(n), path),
        };
        eprintln!("{line}");
        Ok(())
    }
}

/// An error while writing `file`: an I/O error (a full disk, a size
/// limit) names the file it hit.
fn named(file: &OutFile, e: anyhow::Error) -> anyhow::Error {
    match io_error(e) {
        Ok(io) => file.error(io).into(),
        Err(other) => other,
    }
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
