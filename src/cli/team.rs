//! `xaas team init|grant|push` and `xaas snapshot -o FILE` (SPEC "Team
//! mode"): the database is the team's PostgreSQL address (--db/XAAS_DB).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use xaas::msg::team as msg;
use xaas::ops::team::{self, Copied, Init, Role};

use super::Ctx;

/// Set up and fill the team's PostgreSQL database (--db postgres://LOGIN@HOST/DATABASE)
#[derive(Args, Debug)]
pub struct TeamArgs {
    #[command(subcommand)]
    pub command: TeamCommand,
}

#[derive(Subcommand, Debug)]
pub enum TeamCommand {
    /// Create the schema and the roles xaas_csm and xaas_lead (as the database's owner)
    Init,
    /// Give a PostgreSQL login the CSM's or the lead's role
    Grant(GrantArgs),
    /// Copy a file database into the empty team database
    Push(PushArgs),
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("role").required(true).multiple(false)))]
pub struct GrantArgs {
    /// The PostgreSQL login
    pub login: String,
    /// Reads everything; writes follow-ups, records, tasks, risks, leads, budgets
    #[arg(long, group = "role")]
    pub csm: bool,
    /// Also imports, renews, changes settings and loads usage
    #[arg(long, group = "role")]
    pub lead: bool,
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// The file database to copy
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
}

/// Write the team database into a read-only local file, to read offline
#[derive(Args, Debug)]
pub struct SnapshotArgs {
    /// The new file
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

pub fn run(ctx: &Ctx, a: TeamArgs) -> Result<ExitCode> {
    let address = ctx.db_path.display().to_string();
    match a.command {
        TeamCommand::Init => {
            let said = match team::init(&ctx.db_path)? {
                Init::Created => msg::init_created(&address),
                Init::AlreadyThere => msg::init_there(&address),
            };
            eprintln!("{said}");
        }
        TeamCommand::Grant(g) => {
            let role = if g.lead { Role::Lead } else { Role::Csm };
            team::grant(&ctx.db_path, &g.login, role)?;
            eprintln!("{}", msg::granted(&g.login, role.name()));
        }
        TeamCommand::Push(p) => {
            let copied = team::push(&ctx.db_path, &p.from)?;
            eprintln!("{}", msg::pushed(&address));
            say(&copied);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn snapshot(ctx: &Ctx, a: SnapshotArgs) -> Result<ExitCode> {
    let at = ctx.clock.stamp();
    let copied = team::snapshot(&ctx.db_path, &a.output, &at)?;
    eprintln!("{}", msg::snapshot_written(a.output.display()));
    say(&copied);
    Ok(ExitCode::SUCCESS)
}

fn say(copied: &Copied) {
    for (table, rows) in copied {
        eprintln!("{}", msg::copied(table, rows));
    }
}
