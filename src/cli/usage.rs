//! `xaas usage import FILE|-`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use xaas::history::{Actor, Via};
use xaas::msg::{import as im, usage as m};
use xaas::ops::usage::{self, Options, Report};
use xaas::sheet::{self, Encoding, Sheet};

use super::import::{bad_rows, read_line, Watch};
use super::Ctx;

/// Usage of each service by day (active users, key actions, features), which health is computed from
#[derive(Args, Debug)]
pub struct UsageArgs {
    #[command(subcommand)]
    pub command: UsageCommand,
}

#[derive(Subcommand, Debug)]
pub enum UsageCommand {
    /// Load a usage sheet: one row per service and day (CSV/TSV in UTF-8 or GBK, or a workbook; English or Chinese headers)
    Import(UsageImportArgs),
}

#[derive(Args, Debug)]
pub struct UsageImportArgs {
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
}

pub fn run(ctx: &Ctx, a: UsageArgs) -> Result<ExitCode> {
    match a.command {
        UsageCommand::Import(a) => import(ctx, a),
    }
}

fn import(ctx: &Ctx, a: UsageImportArgs) -> Result<ExitCode> {
    let sheet = Sheet::open(&a.file, a.encoding, a.delimiter, a.sheet.as_deref())?;
    let size = std::fs::metadata(&a.file)
        .map(|m| m.len())
        .ok()
        .filter(|_| a.file != "-");
    // Checked (and opened) first, as `import` does: a rejects file that
    // cannot be written stops the import before it starts.
    let mut watch = Watch::new(a.rejects.as_deref())?;
    // Usage names services: there must be a database with them.
    let mut db = ctx.open()?;
    watch.show_progress(size);
    let report = usage::import(
        &mut db,
        sheet,
        Options {
            skip_invalid: a.skip_invalid,
            dry_run: a.dry_run,
            size,
        },
        &Actor::new(ctx.author(None), &ctx.clock, Via::Import),
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

fn print_report(file: &str, r: &Report, a: &UsageImportArgs) -> Result<()> {
    let mut e = std::io::stderr().lock();
    if !r.custom.is_empty() {
        writeln!(e, "{}", m::usage_custom_note(r.custom.join(", ")))?;
    }
    if !r.ignored.is_empty() {
        let ignored: Vec<String> = r
            .ignored
            .iter()
            .map(|(name, why)| m::usage_ignored_column(name, why))
            .collect();
        writeln!(e, "{}", m::usage_ignored_note(ignored.join(", ")))?;
    }
    let failed = r.rejected > 0 && !a.skip_invalid;
    bad_rows(&mut e, file, r.rejected, &r.bad, a.skip_invalid)?;
    let c = &r.counts;
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
        m::usage_counts_line(c.new, c.updated, c.unchanged, r.rejected)
    )?;
    let services = if r.committed {
        m::usage_services_refreshed(c.services)
    } else {
        m::usage_services_to_refresh(c.services)
    };
    writeln!(e, "{services}")?;
    if failed {
        writeln!(e, "{}", im::import_all_or_nothing())?;
    } else if a.dry_run {
        writeln!(e, "{}", im::import_dry_run())?;
    }
    Ok(())
}
