//! `xaas import FILE|-`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use xaas::db::{Db, Open};
use xaas::history::{Actor, Via};
use xaas::msg::{common, import as m, xlsx};
use xaas::ops::import::{self, Event, Options, Report};
use xaas::sheet::{self, BadRow, Encoding, Sheet};

use super::outfile::OutFile;
use super::{Ctx, Then};

/// Load a service list (CSV/TSV in UTF-8 or GBK, or a workbook: xlsx, xls, ods; English or Chinese headers)
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file, or `-` for standard input
    pub file: String,
    /// The sheet of a workbook to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// auto, utf-8 or gbk
    #[arg(long, default_value = "auto")]
    pub encoding: Encoding,
    /// Field delimiter: one character, or `tab` [default: from the extension or header]
    #[arg(long, value_parser = sheet::parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Import the good rows and report the bad ones (default: all or nothing)
    #[arg(long)]
    pub skip_invalid: bool,
    /// Write the bad rows to this CSV file, with a `reason` column
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<String>,
    /// Check the file and print the summary without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// Who the history entries name [default: $XAAS_USER, else `author` of
    /// the config file, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

pub fn run(ctx: &Ctx, a: ImportArgs) -> Result<ExitCode> {
    let sheet = Sheet::open(&a.file, a.encoding, a.delimiter, a.sheet.as_deref())?;
    let size = std::fs::metadata(&a.file)
        .map(|m| m.len())
        .ok()
        .filter(|_| a.file != "-");
    // Checked (and opened) first: a rejects file that cannot be written
    // stops the import before it starts (and before a database is made).
    let mut watch = Watch::new(a.rejects.as_deref())?;
    let mut db = Db::open(&ctx.db_path, Open::CreateIfMissing)?;
    let who = Actor::new(ctx.author(a.author.as_deref()), &ctx.clock, Via::Import);
    watch.show_progress(size);
    let report = import::run(
        &mut db,
        sheet,
        Options {
            skip_invalid: a.skip_invalid,
            dry_run: a.dry_run,
        },
        who,
        &mut |ev| watch.on(ev),
    );
    let report = watch.end(report)?;
    print_report(&a.file, &report, &a)?;
    let failed = report.rejected > 0 && !a.skip_invalid;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What an import shows and saves while it runs: the progress bar on a
/// terminal, and the bad rows in `--rejects`. Shared by `import` and
/// `usage import`.
pub(super) struct Watch {
    bar: Option<ProgressBar>,
    rejects: Option<RejectsFile>,
    rejects_failed: bool,
}

impl Watch {
    /// Opens the rejects file first: one that cannot be written stops the
    /// import before it starts.
    pub(super) fn new(rejects: Option<&str>) -> Result<Watch> {
        Ok(Watch {
            bar: None,
            rejects: rejects.map(RejectsFile::create).transpose()?,
            rejects_failed: false,
        })
    }

    pub(super) fn show_progress(&mut self, size: Option<u64>) {
        self.bar = progress_bar(size);
    }

    /// One event of the import. A bad row that cannot be saved stops it:
    /// rolled back, rather than written without its rejects.
    pub(super) fn on(&mut self, ev: Event) -> xaas::Result<()> {
        if let (Event::Progress { bytes }, Some(b)) = (&ev, &self.bar) {
            b.set_position(*bytes);
        }
        let Some(r) = self.rejects.as_mut() else {
            return Ok(());
        };
        let saved = match ev {
            Event::Progress { .. } => Ok(()),
            Event::Header(names) => r.header(names),
            Event::Bad(b) => r.push(b),
            Event::Done => r.finish(),
        };
        self.rejects_failed |= saved.is_err();
        saved
    }

    /// Clears the bar; a failed import says that nothing was imported,
    /// and why when it was the rejects file.
    pub(super) fn end<T>(self, report: xaas::Result<T>) -> Result<T> {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
        let failed = self.rejects_failed;
        Ok(report.map_err(|e| {
            let note = if failed {
                m::import_nothing_imported_rejects()
            } else {
                m::import_nothing_imported()
            };
            Then {
                error: e.into(),
                note,
            }
        })?)
    }
}

/// The bad rows of an import, the first few named: an error when they
/// stopped it, skipped with `--skip-invalid`. Shared with `usage import`.
pub(super) fn bad_rows(
    e: &mut impl Write,
    file: &str,
    rejected: u64,
    shown: &[BadRow],
    skip_invalid: bool,
) -> std::io::Result<()> {
    if rejected == 0 {
        return Ok(());
    }
    writeln!(e, "{}", m::import_bad_rows(skip_invalid, rejected, file))?;
    for b in shown {
        writeln!(e, "  {b}")?;
    }
    if rejected > shown.len() as u64 {
        writeln!(e, "  {}", m::import_and_more(rejected - shown.len() as u64))?;
    }
    Ok(())
}

/// "imported `FILE` (UTF-8, `,`-separated): N rows", or "checked" when
/// nothing was written. Shared with `usage import`.
pub(super) fn read_line(
    e: &mut impl Write,
    file: &str,
    committed: bool,
    encoding: &str,
    delimiter: u8,
    sheet: Option<&str>,
    rows: u64,
) -> std::io::Result<()> {
    if let Some(sheet) = sheet {
        return writeln!(e, "{}", xlsx::sheet_read(committed, file, sheet, rows));
    }
    let separated = match delimiter {
        b'\t' => m::import_tab_separated(),
        d => m::import_separated_by(d as char),
    };
    writeln!(
        e,
        "{}",
        m::import_read(committed, file, encoding, separated, rows)
    )
}

pub(super) fn progress_bar(size: Option<u64>) -> Option<ProgressBar> {
    let size = size.filter(|&s| s > 4 * 1024 * 1024)?;
    if !super::stderr_is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template(&m::import_progress_template()).expect("valid template"),
    );
    Some(bar)
}

fn print_report(file: &str, r: &Report, a: &ImportArgs) -> Result<()> {
    let mut e = std::io::stderr().lock();
    if !r.unknown_columns.is_empty() {
        writeln!(
            e,
            "{}",
            m::import_unknown_columns(r.unknown_columns.join(", "))
        )?;
    }
    for w in &r.summary.warnings {
        writeln!(e, "{}", common::warning_line(w))?;
    }
    if r.summary.warning_count > r.summary.warnings.len() as u64 {
        let more = m::import_and_more(r.summary.warning_count - r.summary.warnings.len() as u64);
        writeln!(e, "{}", common::warning_line(more))?;
    }
    let failed = r.rejected > 0 && !a.skip_invalid;
    bad_rows(&mut e, file, r.rejected, &r.bad, a.skip_invalid)?;
    let c = &r.summary.customers;
    let s = &r.summary.services;
    read_line(
        &mut e,
        file,
        r.committed,
        r.encoding,
        r.delimiter,
        r.sheet.as_deref(),
        r.rows,
    )?;
    writeln!(
        e,
        "{}",
        m::import_customers_line(c.new, c.updated, c.unchanged)
    )?;
    writeln!(
        e,
        "{}",
        m::import_services_line(
            s.new,
            s.updated,
            s.renewed,
            s.corrected,
            s.stale,
            s.unchanged,
            r.rejected
        )
    )?;
    let sm = &r.summary;
    if s.stale > 0 {
        let ids = listed(&sm.stale, s.stale);
        writeln!(e, "{}", m::import_stale_line(s.stale, ids))?;
    }
    if s.corrected > 0 {
        let ids = listed(&sm.corrected, s.corrected);
        writeln!(e, "{}", m::import_corrected_line(s.corrected, ids))?;
    }
    if s.absent > 0 {
        let ids = listed(&sm.absent, s.absent);
        writeln!(e, "{}", m::import_absent_line(s.absent, ids))?;
    }
    if failed {
        writeln!(e, "{}", m::import_all_or_nothing())?;
    } else if a.dry_run {
        writeln!(e, "{}", m::import_dry_run())?;
    }
    Ok(())
}

/// The first ids of a list of `count`, then how many more.
fn listed(first: &[String], count: u64) -> String {
    let mut out = first.join(", ");
    if count > first.len() as u64 {
        out.push_str(", ");
        out.push_str(&m::import_and_more(count - first.len() as u64));
    }
    out
}

/// The bad rows as CSV, their cells then a `reason` column, written
/// whole (see `OutFile`) when every row is in, before the import commits.
pub(super) struct RejectsFile {
    file: Option<OutFile>,
    w: csv::Writer<std::io::BufWriter<std::fs::File>>,
    /// The header's cells: a shorter bad row is padded to them, so that
    /// its reason stays in the `reason` column.
    width: usize,
}

impl RejectsFile {
    /// A CSV file for Excel or WPS to open (UTF-8 with a BOM, whatever the
    /// encoding of the file imported), fixed there and imported again.
    pub(super) fn create(path: &str) -> Result<RejectsFile> {
        let file = OutFile::create(path)?;
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file.writer()?);
        out.write_all(b"\xEF\xBB\xBF").map_err(|e| file.error(e))?;
        // A bad row may have more or fewer cells than the header.
        let w = csv::WriterBuilder::new().flexible(true).from_writer(out);
        Ok(RejectsFile {
            file: Some(file),
            w,
            width: 0,
        })
    }

    pub(super) fn header(&mut self, names: &[String]) -> xaas::Result<()> {
        self.width = names.len();
        let r = self
            .w
            .write_record(names.iter().map(String::as_str).chain(["reason"]));
        self.check(r)
    }

    pub(super) fn push(&mut self, b: &BadRow) -> xaas::Result<()> {
        let reason = m::import_bad_row(b.line, &b.column, &b.reason);
        let pad = self.width.saturating_sub(b.cells.len());
        let cells = b.cells.iter().map(String::as_str);
        let r = self.w.write_record(
            cells
                .chain(std::iter::repeat_n("", pad))
                .chain([reason.as_str()]),
        );
        self.check(r)
    }

    /// Flushed, on disk and in place; an error names the file.
    pub(super) fn finish(&mut self) -> xaas::Result<()> {
        let r = self.w.flush().map_err(csv::Error::from);
        self.check(r)?;
        match self.file.take() {
            Some(f) => f.commit(),
            None => Ok(()),
        }
    }

    fn check(&self, r: csv::Result<()>) -> xaas::Result<()> {
        let Err(e) = r else { return Ok(()) };
        let io = match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => std::io::Error::other(format!("{other:?}")),
        };
        let file = self.file.as_ref().expect("not finished");
        Err(file.error(io))
    }
}
