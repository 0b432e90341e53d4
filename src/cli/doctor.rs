//! `xaas doctor [--full]`

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use chrono::Local;
use clap::Args;

use xaas::doctor::{ConfigFile, Kind, PathSource, Report, Setup};
use xaas::labels::Lang;
use xaas::ops;

use super::output::{self, Format};
use super::shell_msg as msg;
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
    let env = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
    let setup = Setup {
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
    let report = Report::new(ops::doctor::examine(&ctx.db_path, a.full), setup);
    let mut w = output::stdout();
    if ctx.format() == Format::Json {
        serde_json::to_writer_pretty(&mut w, &report)?;
        writeln!(w)?;
    } else {
        write_text(&mut w, &report)?;
    }
    w.flush()?;
    if report.healthy {
        return Ok(ExitCode::SUCCESS);
    }
    // The report said it all on stdout; stderr says why the exit is 1, for
    // a script or cron that only keeps that.
    let lines: Vec<String> = report
        .problems
        .iter()
        .map(|p| msg::problem_with_hint(p, &report.database.path))
        .collect();
    Err(anyhow::anyhow!(lines.join("\n")))
}

fn write_text(w: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let d = &r.database;
    let s = &r.setup;
    let mut section = Section::new(w);
    section.title(&msg::database())?;
    section.line(
        &msg::path(),
        &msg::path_from(&d.path, &s.db_absolute, s.db_source),
    )?;
    section.line(&msg::file(), &msg::file_state(d))?;
    if let Some(v) = d.schema {
        section.line(&msg::schema(), &msg::schema_version(v, d.schema_latest))?;
    }
    if let Some(j) = d.journal {
        section.line(&msg::journal(), &msg::journal_mode(j))?;
    }
    if let Some(c) = &d.check {
        section.line(&msg::check(), &msg::check_result(c))?;
    }
    if let Some(c) = &d.counts {
        section.line(&msg::counts(), &msg::count_list(c))?;
    }
    if d.kind == Kind::Xaas {
        section.line(
            &msg::last_import(),
            &msg::import_line(d.last_import.as_ref()),
        )?;
    }
    if !d.settings.is_empty() {
        section.title(&msg::settings())?;
        for st in &d.settings {
            section.line(st.key, &msg::setting_value(st))?;
        }
    }
    section.title(&msg::setup())?;
    section.line(&msg::config_file(), &msg::config_state(&s.config))?;
    section.line(&msg::language(), s.lang)?;
    section.line(&msg::author(), &s.author)?;
    section.line("--mine", &msg::mine(s.mine.as_deref()))?;
    section.line(&msg::today(), &s.today)?;
    section.line(&msg::stdout(), &msg::terminal(s.stdout_terminal))?;
    section.line(&msg::binary(), &s.binary.to_string_lossy())?;
    section.title(&msg::environment())?;
    for (k, v) in &s.vars {
        section.line(k, &msg::var_value(v.as_deref()))?;
    }
    section.title(&msg::cron())?;
    section.text(&r.cron)?;
    section.text(&msg::cron_silence())?;
    section.text(&msg::cron_environment())?;
    if r.healthy {
        section.title(&msg::healthy())?;
    } else {
        section.title(&msg::problems(r.problems.len()))?;
        for p in &r.problems {
            section.text(&msg::problem_with_hint(p, &d.path))?;
        }
    }
    Ok(())
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
