//! Arguments shared by every command, and the context they resolve to.

mod backup;
mod budget;
mod choice;
mod completions;
mod config;
mod defaults;
mod dest;
mod digest;
mod doctor;
mod due;
mod explain;
mod export;
mod filters;
mod followup;
mod forecast;
mod health;
mod history;
mod import;
mod interrupt;
mod items;
mod lead;
mod list;
mod log;
mod man;
mod outcomes;
mod outfile;
mod output;
pub mod parse_error;
mod prompt;
mod renew;
mod report;
mod risk;
mod series;
mod settings;
mod show;
mod stats;
mod tasks;
#[cfg(feature = "team")]
mod team;
mod today;
mod usage;
mod xlsx;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Local, NaiveDate};
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
    /// Language of labels and headers [default: `lang` of the config file,
    /// else from LANG]
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
    Forecast(forecast::ForecastArgs),
    Report(report::ReportArgs),
    Settings(settings::SettingsArgs),
    Health(health::HealthArgs),
    Today(today::TodayArgs),
    Usage(usage::UsageArgs),
    Risk(risk::RiskArgs),
    Lead(lead::LeadArgs),
    Budget(budget::BudgetArgs),
    Tasks(tasks::TasksArgs),
    Digest(digest::DigestArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
    Doctor(doctor::DoctorArgs),
    Backup(backup::BackupArgs),
    #[cfg(feature = "team")]
    Team(team::TeamArgs),
    #[cfg(feature = "team")]
    Snapshot(team::SnapshotArgs),
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
            Some(io) if is_file_too_large(io) => xaas::msg::common::file_too_large(),
            // A bare OS error (the cause of a message that named the file).
            Some(io) if cause.downcast_ref::<std::io::Error>().is_some() => {
                xaas::msg::common::os_error(io)
            }
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
        out.push_str(xaas::msg::pick(": ", "："));
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
    /// Who a write names without `--author` (`defaults::author`).
    pub author: String,
    /// What `--mine` means, and where it could have been said.
    pub me: Me,
}

/// `--mine`'s CSM (`defaults::my_csm`), and the config file to name when
/// there is none.
pub struct Me {
    pub csm: Option<String>,
    pub config: Option<PathBuf>,
}

impl Ctx {
    /// The edge: reads the environment, the config file and the clock,
    /// once, and resolves them with the flags.
    fn new(g: &Global) -> Result<Ctx> {
        let db_path = match &g.db {
            Some(p) => p.clone(),
            None => default_db_path()?,
        };
        let vars = defaults::Vars::from_env();
        let place = config::place(vars.config.as_deref(), config::default_dir());
        let file = match &place {
            Some(p) => config::load(p)?,
            None => config::Config::default(),
        };
        let config_path = place.map(|p| p.path().to_path_buf());
        Ctx::resolve(g, db_path, &vars, &file, config_path, Local::now())
    }

    /// The context from values read elsewhere (`Ctx::new`).
    fn resolve(
        g: &Global,
        db_path: PathBuf,
        vars: &defaults::Vars,
        file: &config::Config,
        config_path: Option<PathBuf>,
        now: DateTime<Local>,
    ) -> Result<Ctx> {
        let today = defaults::today(g.today, vars)?;
        let flag_lang = g.lang.map(|l| match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        });
        let format_arg = if g.json {
            Some(output::FormatArg::Json)
        } else if g.csv {
            Some(output::FormatArg::Csv)
        } else {
            g.format
        };
        Ok(Ctx {
            db_path,
            clock: defaults::clock(today, now),
            lang: defaults::lang(flag_lang, file, vars),
            format_arg,
            author: defaults::author(file, vars),
            me: Me {
                csm: defaults::my_csm(file, vars),
                config: config_path,
            },
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

    /// Opens the database for a command that only reads: it sees the book
    /// as it stood at the end of `--today` (SPEC "Point in time").
    pub fn open_read(&self) -> Result<Db> {
        Ok(self.open()?.as_of(self.clock.today)?)
    }

    /// The author of what a command writes: `--author`, else the default
    /// (`XAAS_USER`, the config file's `author`, the login name).
    pub fn author(&self, flag: Option<&str>) -> String {
        flag.map_or_else(|| self.author.clone(), str::to_string)
    }
}

fn default_db_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "xaas")
        .with_context(xaas::msg::files::file_no_home)?;
    Ok(dirs.data_dir().join("xaas.db"))
}

pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    xaas::date::parse_date(s)
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Sets the language of messages before the arguments are parsed, so
/// that clap's errors and the config file's speak it: `--lang` as
/// written, else the config file's `lang` (unreadable: ignored here; the
/// parse that follows reports it), else the locale.
pub fn early_lang() {
    let args: Vec<String> = std::env::args().collect();
    let flag = args.iter().enumerate().find_map(|(i, a)| {
        let v = match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        }?;
        match v {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    });
    let vars = defaults::Vars::from_env();
    let file = config::place(vars.config.as_deref(), config::default_dir())
        .and_then(|p| config::load(&p).ok())
        .unwrap_or_default();
    xaas::msg::set_lang(defaults::lang(flag, &file, &vars));
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    // The shell's commands need no database, and run whatever the config
    // file or the environment say.
    let command = match cli.command {
        Command::Completions(a) => return completions::run(a),
        Command::Man(a) => return man::run(a),
        Command::Doctor(a) => return doctor::run(&cli.global, a),
        other => other,
    };
    let ctx = Ctx::new(&cli.global)?;
    xaas::msg::set_lang(ctx.lang);
    if ctx.format_arg == Some(output::FormatArg::Md) && !matches!(command, Command::Digest(_)) {
        return Err(UsageError(xaas::msg::digest::md_digest_only()).into());
    }
    dispatch(&ctx, command).map_err(|e| name_database(e, &ctx.db_path))
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
        Command::Forecast(a) => forecast::run(ctx, a),
        Command::Report(a) => report::run(ctx, a),
        Command::Settings(a) => settings::run(ctx, a),
        Command::Health(a) => health::run(ctx, a),
        Command::Today(a) => today::run(ctx, a),
        Command::Usage(a) => usage::run(ctx, a),
        Command::Risk(a) => risk::run(ctx, a),
        Command::Lead(a) => lead::run(ctx, a),
        Command::Budget(a) => budget::run(ctx, a),
        Command::Tasks(a) => tasks::run(ctx, a),
        Command::Digest(a) => digest::run(ctx, a),
        Command::Backup(a) => backup::run(ctx, a),
        #[cfg(feature = "team")]
        Command::Team(a) => team::run(ctx, a),
        #[cfg(feature = "team")]
        Command::Snapshot(a) => team::snapshot(ctx, a),
        Command::Completions(_) | Command::Man(_) | Command::Doctor(_) => {
            unreachable!("run without a context")
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }

    /// `Ctx::resolve` wires the rules of `defaults` to the flags: the
    /// flag's language beats the file's, the file's author and csm apply
    /// when no variable names them, and `--today` dates the clock.
    #[test]
    fn the_context_takes_flags_then_variables_then_the_file() {
        use super::config::{Config, FileLang, Name};
        use super::defaults::Vars;
        use chrono::TimeZone;
        let file = Config {
            csm: Some(Name("王芳".into())),
            author: Some(Name("wang.fang".into())),
            lang: Some(FileLang(xaas::labels::Lang::Zh)),
        };
        let vars = Vars {
            login: Some("wf".into()),
            locale: Some("en_US.UTF-8".into()),
            ..Vars::default()
        };
        let now = chrono::Local
            .with_ymd_and_hms(2026, 3, 4, 9, 30, 0)
            .unwrap();
        let g = super::Global {
            db: None,
            today: super::parse_day("2026-11-23").ok(),
            lang: None,
            format: None,
            csv: false,
            json: false,
        };
        let path = Some(std::path::PathBuf::from("/h/config.toml"));
        let ctx = super::Ctx::resolve(&g, "x.db".into(), &vars, &file, path.clone(), now).unwrap();
        assert_eq!(ctx.lang, xaas::labels::Lang::Zh, "the file beats LANG");
        assert_eq!(ctx.author(None), "wang.fang");
        assert_eq!(ctx.author(Some("李娜")), "李娜");
        assert_eq!(ctx.me.csm.as_deref(), Some("王芳"));
        assert_eq!(ctx.me.config, path);
        assert_eq!(ctx.clock.today.to_string(), "2026-11-23");
        let en = super::Global {
            lang: Some(super::LangArg::En),
            ..g
        };
        let ctx = super::Ctx::resolve(&en, "x.db".into(), &vars, &file, None, now).unwrap();
        assert_eq!(ctx.lang, xaas::labels::Lang::En, "the flag beats the file");
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
