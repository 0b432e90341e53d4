//! Arguments shared by every command, and the context they resolve to.

mod due;
mod export;
mod filters;
mod followup;
mod health;
mod history;
mod import;
mod interrupt;
mod list;
mod log;
mod outcomes;
mod outfile;
mod output;
mod prompt;
mod renew;
mod settings;
mod show;
mod stats;
mod tasks;
mod today;
mod usage;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{Local, NaiveDate, TimeZone};
use clap::{Args, Parser, Subcommand, ValueEnum};

use xaas::clock::Clock;
use xaas::db::{Db, Open};
use xaas::labels::Lang;

/// Follow up every subscription renewal, 90 and 30 days before expiry.
#[derive(Parser, Debug)]
#[command(name = "xaas", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Database file [default: ~/.local/share/xaas/xaas.db]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "XAAS_DB",
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,
    /// Act as of this day (YYYY-MM-DD) instead of today [env: XAAS_TODAY]
    #[arg(long, global = true, help_heading = "Global options", value_name = "DATE", value_parser = parse_day)]
    pub today: Option<NaiveDate>,
    /// Language of labels and headers [default: from LANG]
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub lang: Option<LangArg>,
    /// Output format [default: auto: a table on a terminal, TSV when piped;
    /// export writes CSV]
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub format: Option<output::FormatArg>,
    /// Same as --format csv
    #[arg(long, global = true, help_heading = "Global options", conflicts_with_all = ["format", "json"])]
    pub csv: bool,
    /// Same as --format json
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        conflicts_with = "format"
    )]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Import(import::ImportArgs),
    List(list::ListArgs),
    Show(show::ShowArgs),
    Due(due::DueArgs),
    Export(export::ExportArgs),
    Followup(followup::FollowupArgs),
    Log(log::LogArgs),
    Renew(renew::RenewArgs),
    History(history::HistoryArgs),
    Stats(stats::StatsArgs),
    Outcomes(outcomes::OutcomesArgs),
    Settings(settings::SettingsArgs),
    Health(health::HealthArgs),
    Today(today::TodayArgs),
    Usage(usage::UsageArgs),
    Tasks(tasks::TasksArgs),
}

/// A usage error found after clap (exit 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// An error, then a line on what it left undone (or did not do).
#[derive(Debug)]
pub struct Then {
    pub error: anyhow::Error,
    pub note: String,
}

impl std::fmt::Display for Then {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", message(&self.error), self.note)
    }
}

impl std::error::Error for Then {}

/// The error and its causes joined by `: `, each said once: a message that
/// already quotes its cause (tempfile's PersistError shows its I/O error
/// and gives it again as its source) is not followed by it a second time.
/// A file size limit is called that, not "File too large".
pub fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        if let Some(t) = cause.downcast_ref::<Then>() {
            // Its own message, then its note, on the next line.
            push_cause(&mut out, &message(&t.error));
            out.push('\n');
            out.push_str(&t.note);
            break;
        }
        let text = match os_error(cause) {
            Some(io) if is_file_too_large(io) => "file size limit exceeded (ulimit -f)".to_string(),
            _ => cause.to_string(),
        };
        push_cause(&mut out, &text);
    }
    out
}

fn push_cause(out: &mut String, text: &str) {
    if out.contains(text) {
        return;
    }
    if !out.is_empty() {
        out.push_str(": ");
    }
    out.push_str(text);
}

/// The I/O error a cause is, or the one a csv error carries (and prints
/// as itself).
pub fn os_error<'a>(c: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    if let Some(io) = c.downcast_ref::<std::io::Error>() {
        return Some(io);
    }
    if let Some(csv::ErrorKind::Io(io)) = c.downcast_ref::<csv::Error>().map(csv::Error::kind) {
        return Some(io);
    }
    None
}

fn is_file_too_large(io: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        io.raw_os_error() == Some(libc::EFBIG)
    }
    #[cfg(not(unix))]
    {
        let _ = io;
        false
    }
}

/// What every command needs, resolved once.
pub struct Ctx {
    pub db_path: PathBuf,
    pub clock: Clock,
    pub lang: Lang,
    /// As given: `export` treats no format as CSV, the rest as auto.
    pub format_arg: Option<output::FormatArg>,
}

impl Ctx {
    fn new(g: &Global) -> Result<Ctx> {
        let db_path = match &g.db {
            Some(p) => p.clone(),
            None => default_db_path()?,
        };
        let now = Local::now();
        // Read here, not by clap: the flag must beat a bad XAAS_TODAY, and
        // a bad XAAS_TODAY must be named as such.
        let today = match g.today {
            Some(d) => Some(d),
            None => match std::env::var("XAAS_TODAY") {
                Ok(v) if !v.trim().is_empty() => Some(parse_day(&v).map_err(|e| {
                    UsageError(format!(
                        "XAAS_TODAY: {e}\nhint: fix or unset XAAS_TODAY, or pass --today"
                    ))
                })?),
                _ => None,
            },
        };
        let clock = match today {
            None => Clock {
                today: now.date_naive(),
                now: now.fixed_offset(),
            },
            // Written records are dated that day, at the clock's time of day.
            Some(day) => {
                let at = day.and_time(now.time());
                let local = Local
                    .from_local_datetime(&at)
                    .earliest()
                    .unwrap_or(now)
                    .fixed_offset();
                Clock {
                    today: day,
                    now: local,
                }
            }
        };
        let lang = match g.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => lang_from_env(),
        };
        let format_arg = if g.json {
            Some(output::FormatArg::Json)
        } else if g.csv {
            Some(output::FormatArg::Csv)
        } else {
            g.format
        };
        Ok(Ctx {
            db_path,
            clock,
            lang,
            format_arg,
        })
    }

    pub fn format(&self) -> output::Format {
        self.format_arg.unwrap_or(output::FormatArg::Auto).resolve()
    }

    /// Opens the database for a command that reads or changes what is
    /// there: a missing file is an error naming the path.
    pub fn open(&self) -> Result<Db> {
        Ok(Db::open(&self.db_path, Open::MustExist)?)
    }
}

fn default_db_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "xaas").context(
        "cannot find a home folder for the default database; pass --db PATH or set XAAS_DB",
    )?;
    Ok(dirs.data_dir().join("xaas.db"))
}

fn lang_from_env() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return if v.starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                };
            }
        }
    }
    Lang::En
}

pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    xaas::date::parse_date(s)
}

/// The author of what a command writes: the flag, `XAAS_USER`, or the
/// login name.
pub fn author(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| std::env::var("XAAS_USER").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("LOGNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Ctx::new(&cli.global)?;
    dispatch(&ctx, cli.command).map_err(|e| name_database(e, &ctx.db_path))
}

/// A busy database found by a read midway knows no path: it is this one.
fn name_database(mut e: anyhow::Error, path: &std::path::Path) -> anyhow::Error {
    if let Some(xaas::error::Error::Busy { path: p @ None }) = e.downcast_mut() {
        *p = Some(path.to_path_buf());
    }
    e
}

fn dispatch(ctx: &Ctx, command: Command) -> Result<ExitCode> {
    match command {
        Command::Import(a) => import::run(ctx, a),
        Command::List(a) => list::run(ctx, a),
        Command::Show(a) => show::run(ctx, a),
        Command::Due(a) => due::run(ctx, a),
        Command::Export(a) => export::run(ctx, a),
        Command::Followup(a) => followup::run(ctx, a),
        Command::Log(a) => log::run(ctx, a),
        Command::Renew(a) => renew::run(ctx, a),
        Command::History(a) => history::run(ctx, a),
        Command::Stats(a) => stats::run(ctx, a),
        Command::Outcomes(a) => outcomes::run(ctx, a),
        Command::Settings(a) => settings::run(ctx, a),
        Command::Health(a) => health::run(ctx, a),
        Command::Today(a) => today::run(ctx, a),
        Command::Usage(a) => usage::run(ctx, a),
        Command::Tasks(a) => tasks::run(ctx, a),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn an_error_says_each_cause_once() {
        // tempfile's PersistError shows its I/O error and gives it again
        // as its source: `{:#}` said it twice.
        let dir = tempfile::tempdir().unwrap();
        let tmp = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
        let e = tmp.persist(dir.path().join("no/such/folder")).unwrap_err();
        let e = anyhow::Error::new(e).context("cannot write `x`");
        let once =
            "cannot write `x`: failed to persist temporary file: No such file or directory (os error 2)";
        assert_eq!(
            format!("{e:#}"),
            format!("{once}: No such file or directory (os error 2)")
        );
        assert_eq!(super::message(&e), once);
        // A file size limit is called that, wherever it is in the chain.
        let big = std::io::Error::from_raw_os_error(libc::EFBIG);
        let e = anyhow::Error::new(csv::Error::from(big)).context("cannot write `x`");
        assert_eq!(
            super::message(&e),
            "cannot write `x`: file size limit exceeded (ulimit -f)"
        );
    }
}
