//! `xaas doctor [--full]`

use std::cmp::Ordering;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use chrono::Local;
use clap::Args;

use xaas::doctor::{
    CheckKind, ConfigFile, Counts, Database, Journal, Kind, PathSource, Problem, ReadOnly, Report,
    Role, Setup, TeamProblem, TeamReport,
};
use xaas::labels::Lang;
use xaas::msg::{shell as msg, storage};
use xaas::ops;

use super::output::{self, Format};
use super::{config, defaults, Ctx, Global};

/// Check the database and the setup (path, schema, integrity, counts, variables) and give a cron line to copy; never creates or changes the database
#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// Run SQLite's full integrity_check even on a large file (above 256 MiB
    /// the quicker quick_check runs, which skips comparing indexes)
    #[arg(long)]
    pub full: bool,
}

/// The variables xaas (and the libraries it uses) read, in the order shown.
const VARS: &[&str] = &[
    "XAAS_DB",
    "XAAS_CONFIG",
    "XAAS_USER",
    "XAAS_CSM",
    "XAAS_TODAY",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    "TZ",
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "USER",
    "LOGNAME",
    "COLUMNS",
];

/// Resolves what a command would, but reports a bad config file or a bad
/// `XAAS_TODAY` instead of stopping at it.
pub fn run(g: &Global, a: DoctorArgs) -> Result<ExitCode> {
    let db_path = match &g.db {
        Some(p) => p.clone(),
        None => super::default_db_path()?,
    };
    let mut vars = defaults::Vars::from_env();
    let place = config::place(vars.config.as_deref(), config::default_dir());
    let (file, config_error) = match &place {
        Some(p) => match config::load(p) {
            Ok(c) => (c, None),
            Err(e) => (config::Config::default(), Some(super::message(&e))),
        },
        None => (config::Config::default(), None),
    };
    let today_error = defaults::today(g.today, &vars).err().map(|e| e.0);
    if today_error.is_some() {
        vars.today = None;
    }
    let config_path = place.as_ref().map(|p| p.path().to_path_buf());
    let ctx = Ctx::resolve(g, db_path, &vars, &file, config_path, Local::now())?;
    xaas::msg::set_lang(ctx.lang);
    let env = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
    // A team database: examined over the network, its address as given.
    let team = ops::doctor::is_team(&ctx.db_path.to_string_lossy())
        .then(|| ops::doctor::examine_team(&ctx.db_path.to_string_lossy()));
    let mut setup = Setup {
        db_source: match (&g.db, env("XAAS_DB")) {
            (None, _) => PathSource::Default,
            // clap takes `--db` over XAAS_DB: the same path is either.
            (Some(p), Some(v)) if p.as_os_str() == v.as_str() => PathSource::Env,
            (Some(_), _) => PathSource::Flag,
        },
        config: ConfigFile {
            exists: place.as_ref().is_some_and(|p| p.path().is_file()),
            named: matches!(place, Some(config::Place::Named(_))),
            path: ctx.me.config.clone(),
            error: config_error,
        },
        lang: match ctx.lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        },
        author: ctx.author.clone(),
        mine: ctx.me.csm.clone(),
        today: ctx.clock.today.to_string(),
        today_error,
        vars: VARS.iter().map(|k| (*k, env(k))).collect(),
        stdout_terminal: std::io::stdout().is_terminal(),
        binary: std::env::current_exe()
            .ok()
            .and_then(|p| std::path::absolute(p).ok())
            .unwrap_or_else(|| "xaas".into()),
        db_absolute: std::path::absolute(&ctx.db_path).unwrap_or_else(|_| ctx.db_path.clone()),
    };
    if let Some(team) = team {
        setup.db_absolute = team.address.clone().into();
        // Never a password, wherever an address is shown.
        for (k, v) in &mut setup.vars {
            if *k == "XAAS_DB" {
                *v = v.as_deref().map(ops::doctor::shown);
            }
        }
        return run_team(&ctx, TeamReport::new(team, setup));
    }
    let report = Report::new(ops::doctor::examine(&ctx.db_path, a.full), setup);
    let lines: Vec<String> = report
        .problems
        .iter()
        .map(|p| problem_text(p, &report.database.path))
        .collect();
    emit(
        &ctx,
        &report,
        |w| write_text(w, &report),
        report.healthy,
        lines,
    )
}

/// Prints a report (JSON or text); when it is not healthy, the exit is 1
/// and stderr says why, for a script or cron that only keeps that (the
/// report said it all on stdout).
fn emit(
    ctx: &Ctx,
    report: &impl serde::Serialize,
    text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    healthy: bool,
    problems: Vec<String>,
) -> Result<ExitCode> {
    let mut w = output::stdout();
    if ctx.format() == Format::Json {
        serde_json::to_writer_pretty(&mut w, report)?;
        writeln!(w)?;
    } else {
        text(&mut w)?;
    }
    w.flush()?;
    if healthy {
        return Ok(ExitCode::SUCCESS);
    }
    Err(anyhow::anyhow!(problems.join("\n")))
}

/// `run` on a team database: the same report and exit, its database
/// part the address, the connection, the schema, the login and its roles.
fn run_team(ctx: &Ctx, report: TeamReport) -> Result<ExitCode> {
    let lines: Vec<String> = report
        .problems
        .iter()
        .map(|p| team_problem_text(p, &report.database.address))
        .collect();
    emit(
        ctx,
        &report,
        |w| write_team_text(w, &report),
        report.healthy,
        lines,
    )
}

fn write_team_text(w: &mut dyn Write, r: &TeamReport) -> std::io::Result<()> {
    let d = &r.database;
    let s = &r.setup;
    let mut out = Section::new(w);
    out.title(&msg::doctor_database())?;
    let address = match s.db_source {
        PathSource::Flag => msg::doctor_path_flag(&d.address),
        PathSource::Env => msg::doctor_path_env(&d.address),
        PathSource::Default => d.address.clone(),
    };
    out.line(&msg::doctor_address(), &address)?;
    out.line(&msg::doctor_file(), &msg::doctor_team())?;
    let connection = match (d.connected, &d.error) {
        (true, None) => msg::doctor_connected(),
        (true, Some(e)) => msg::doctor_unreadable(e),
        (false, _) => msg::doctor_not_connected(),
    };
    out.line(&msg::doctor_connection(), &connection)?;
    if d.connected {
        let text = match d.schema {
            None | Some(0) => msg::doctor_team_schema_none(),
            Some(v) => match v.cmp(&d.schema_latest) {
                Ordering::Equal => msg::doctor_schema_current(v),
                Ordering::Less => msg::doctor_team_schema_older(v, d.schema_latest),
                Ordering::Greater => msg::doctor_schema_newer(v, d.schema_latest),
            },
        };
        out.line(&msg::doctor_schema(), &text)?;
    }
    if let Some(login) = &d.login {
        out.line(&msg::doctor_login(), login)?;
        let roles = if d.roles.is_empty() {
            msg::doctor_roles_none()
        } else {
            d.roles
                .iter()
                .map(|r| match r {
                    Role::XaasCsm => "xaas_csm",
                    Role::XaasLead => "xaas_lead",
                    Role::Superuser => "superuser",
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.line(&msg::doctor_roles(), &roles)?;
    }
    setup_and_cron(&mut out, s, &r.cron)?;
    if r.healthy {
        out.title(&msg::doctor_healthy())?;
    } else {
        out.title(&msg::doctor_problems(r.problems.len()))?;
        for p in &r.problems {
            out.text(&team_problem_text(p, &d.address))?;
        }
    }
    Ok(())
}

/// The setup, the environment and the cron line: the same for a file
/// and a team database.
fn setup_and_cron(out: &mut Section, s: &Setup, cron: &str) -> std::io::Result<()> {
    out.title(&msg::doctor_setup())?;
    out.line(&msg::doctor_config_file(), &config_text(&s.config))?;
    out.line(&msg::doctor_language(), s.lang)?;
    out.line(&msg::doctor_author(), &s.author)?;
    let mine = s.mine.clone().unwrap_or_else(msg::doctor_mine_none);
    out.line("--mine", &mine)?;
    out.line(&msg::doctor_today(), &s.today)?;
    let terminal = if s.stdout_terminal {
        msg::doctor_stdout_terminal()
    } else {
        msg::doctor_stdout_piped()
    };
    out.line(&msg::doctor_stdout(), &terminal)?;
    out.line(&msg::doctor_binary(), &s.binary.to_string_lossy())?;
    out.title(&msg::doctor_environment())?;
    for (k, v) in &s.vars {
        out.line(k, &v.clone().unwrap_or_else(msg::doctor_var_unset))?;
    }
    out.title(&msg::doctor_cron())?;
    out.text(cron)?;
    out.text(&msg::doctor_cron_silence())?;
    out.text(&msg::doctor_cron_environment())?;
    Ok(())
}

/// A team database's problem, then what to do about it, as every command
/// says it.
fn team_problem_text(p: &TeamProblem, address: &str) -> String {
    match p {
        TeamProblem::CannotConnect { error } => error.clone(),
        TeamProblem::NoSchema => xaas::msg::team::not_initialised(address),
        TeamProblem::Newer { found, supported } => {
            storage::schema_too_new(address, found, supported)
        }
        TeamProblem::Older { found, supported } => {
            xaas::msg::team::older_schema(address, found, supported)
        }
        TeamProblem::Config { error } | TeamProblem::Today { error } => error.clone(),
    }
}

fn write_text(w: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let d = &r.database;
    let s = &r.setup;
    let mut out = Section::new(w);
    out.title(&msg::doctor_database())?;
    out.line(&msg::doctor_path(), &path_text(d, s))?;
    out.line(&msg::doctor_file(), &file_text(d))?;
    if let Some(v) = d.schema {
        let text = match v.cmp(&d.schema_latest) {
            Ordering::Equal => msg::doctor_schema_current(v),
            Ordering::Less if v == 0 => msg::doctor_schema_none(),
            Ordering::Less => msg::doctor_schema_older(v, d.schema_latest),
            Ordering::Greater => msg::doctor_schema_newer(v, d.schema_latest),
        };
        out.line(&msg::doctor_schema(), &text)?;
    }
    if let Some(j) = d.journal {
        let text = match j {
            Journal::Wal => "wal".to_string(),
            Journal::Rollback => msg::doctor_journal_rollback(),
        };
        out.line(&msg::doctor_journal(), &text)?;
    }
    if let Some(c) = &d.check {
        let text = match (c.ok, c.kind) {
            (true, CheckKind::Integrity) => msg::doctor_check_ok_full(),
            (true, CheckKind::Quick) => msg::doctor_check_ok_quick(),
            (false, kind) => msg::doctor_check_failed(check_name(kind), c.errors.join("\n")),
        };
        out.line(&msg::doctor_integrity(), &text)?;
    }
    if let Some(c) = &d.counts {
        out.line(&msg::doctor_rows(), &counts_text(c))?;
    }
    if d.kind == Kind::Xaas {
        let text = match &d.last_import {
            Some(l) => match (&l.file, l.changes) {
                (Some(f), _) => msg::doctor_import_file(
                    output::short_time(&l.at),
                    &l.author,
                    &f.file,
                    output::thousands(f.rows),
                    output::thousands(f.rejected),
                ),
                (None, changes) => msg::doctor_import_at(
                    output::short_time(&l.at),
                    &l.author,
                    output::thousands(changes.unwrap_or(0)),
                ),
            },
            None => msg::doctor_import_none(),
        };
        out.line(&msg::doctor_last_import(), &text)?;
    }
    if !d.settings.is_empty() {
        out.title(&msg::doctor_settings())?;
        for st in &d.settings {
            let text = if st.default {
                msg::doctor_setting_default(&st.value)
            } else {
                st.value.clone()
            };
            out.line(st.key, &text)?;
        }
    }
    setup_and_cron(&mut out, s, &r.cron)?;
    if r.healthy {
        out.title(&msg::doctor_healthy())?;
    } else {
        out.title(&msg::doctor_problems(r.problems.len()))?;
        for p in &r.problems {
            out.text(&problem_text(p, &d.path))?;
        }
    }
    Ok(())
}

/// The path as given, where it came from, and where a relative one is.
fn path_text(d: &Database, s: &Setup) -> String {
    let p = d.path.display();
    let from = match s.db_source {
        PathSource::Flag => msg::doctor_path_flag(p),
        PathSource::Env => msg::doctor_path_env(p),
        PathSource::Default => msg::doctor_path_default(p),
    };
    if d.path.is_absolute() {
        from
    } else {
        format!(
            "{from}\n{}",
            msg::doctor_path_relative(s.db_absolute.display())
        )
    }
}

fn file_text(d: &Database) -> String {
    let size = match (d.size, d.wal_size) {
        (Some(n), Some(w)) if w > 0 => msg::doctor_size_with_wal(output::size(n), output::size(w)),
        (Some(n), _) => output::size(n),
        (None, _) => String::new(),
    };
    let detail = d.detail.as_deref().unwrap_or("");
    match d.kind {
        Kind::Missing => msg::doctor_file_missing(),
        Kind::EmptyFile => msg::doctor_file_empty(),
        Kind::EmptyDatabase => msg::doctor_file_empty_database(size),
        Kind::Foreign => msg::doctor_file_foreign(size, detail),
        Kind::Newer => msg::doctor_file_newer(size),
        Kind::Xaas => msg::doctor_file_xaas(size),
        Kind::Unreadable => msg::doctor_file_unreadable(detail),
    }
}

fn check_name(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::Integrity => "integrity_check",
        CheckKind::Quick => "quick_check",
    }
}

/// The rows of each table, for `doctor` and `backup`.
pub fn counts_text(c: &Counts) -> String {
    let n = |v: Option<u64>| v.map_or_else(msg::doctor_count_absent, output::thousands);
    msg::doctor_counts_line(
        n(c.customers),
        n(c.services),
        n(c.records),
        n(c.history),
        n(c.usage),
        n(c.open_tasks),
    )
}

fn config_text(c: &ConfigFile) -> String {
    let Some(p) = &c.path else {
        return msg::doctor_config_none();
    };
    let p = p.display();
    match (&c.error, c.exists, c.named) {
        (Some(e), _, _) => msg::doctor_config_error(p, e),
        (None, true, true) => msg::doctor_config_named(p),
        (None, true, false) => p.to_string(),
        (None, false, _) => msg::doctor_config_absent(p),
    }
}

/// A problem, then what to do about it; a database's as every command
/// says it.
fn problem_text(p: &Problem, path: &Path) -> String {
    let db = path.display();
    match p {
        Problem::Missing => storage::no_database(db),
        Problem::EmptyFile => msg::doctor_problem_empty_file(db),
        Problem::EmptyDatabase => msg::doctor_problem_empty_database(db),
        Problem::Foreign { what } => storage::foreign(db, what),
        Problem::Newer { found, supported } => storage::schema_too_new(db, found, supported),
        Problem::Unreadable { error } => msg::doctor_problem_unreadable(error),
        Problem::CheckFailed { kind, errors } => msg::doctor_problem_check_failed(
            db,
            check_name(*kind),
            errors.first().map_or("", String::as_str),
        ),
        Problem::Config { error } | Problem::Today { error } => error.clone(),
        Problem::ReadOnly { place } => {
            let error = xaas::Error::ReadOnly {
                path: path.to_path_buf(),
                place: match place {
                    ReadOnly::File => xaas::error::Place::File,
                    ReadOnly::Folder => xaas::error::Place::Folder,
                },
            };
            error.to_string()
        }
    }
}

/// Titled blocks of `label  value` lines, labels padded to one width.
struct Section<'a> {
    w: &'a mut dyn Write,
    first: bool,
}

/// The width labels are padded to (terminal columns).
const LABEL: usize = 22;

impl<'a> Section<'a> {
    fn new(w: &'a mut dyn Write) -> Section<'a> {
        Section { w, first: true }
    }

    fn title(&mut self, t: &str) -> std::io::Result<()> {
        if !self.first {
            writeln!(self.w)?;
        }
        self.first = false;
        writeln!(self.w, "{t}")
    }

    fn line(&mut self, label: &str, value: &str) -> std::io::Result<()> {
        let indent = " ".repeat(3 + LABEL.max(output::display_width(label)));
        let value = value.replace('\n', &format!("\n{indent}"));
        writeln!(self.w, "  {} {value}", output::pad(label, LABEL))
    }

    fn text(&mut self, t: &str) -> std::io::Result<()> {
        for l in t.lines() {
            writeln!(self.w, "  {l}")?;
        }
        Ok(())
    }
}
