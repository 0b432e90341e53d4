//! `xaas backup -o FILE [--force]`

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::db::{Db, Open};
use xaas::msg::shell as msg;
use xaas::ops;
use xaas::Error;

use super::outfile::OutFile;
use super::{doctor, output, Ctx};

/// Copy the database consistently while others may write (SQLite's online backup), checked before it is put in place
#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The copy to write (a new file unless --force)
    #[arg(short, long, value_name = "FILE")]
    pub output: String,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Ctx, a: BackupArgs) -> Result<ExitCode> {
    let name = a.output.as_str();
    // As it is: a backup taken before a new xaas upgrades the file keeps
    // the old version.
    let db = Db::open(&ctx.db_path, Open::AsItIs)?;
    if name == "-" {
        return Err(Error::Refused(msg::backup_not_a_file(name)).into());
    }
    let existing = std::fs::metadata(name).ok();
    if let Some(m) = &existing {
        if same_file(m, db.path()) {
            return Err(Error::Refused(msg::backup_onto_itself(name)).into());
        }
        if !m.is_file() {
            return Err(Error::Refused(msg::backup_not_a_file(name)).into());
        }
        if !a.force {
            return Err(Error::Refused(msg::backup_exists(name)).into());
        }
    }
    let out = OutFile::create(name)?;
    let Some(temp) = out.temp_path() else {
        return Err(Error::Refused(msg::backup_not_a_file(name)).into());
    };
    if existing.is_none() {
        out.set_mode(mode(db.path()))?;
    }
    let copied = ops::backup::copy(&db, temp, name)?;
    let size = std::fs::metadata(temp).map(|m| m.len()).unwrap_or(0);
    out.commit()?;
    eprintln!(
        "{}",
        msg::backup_done(
            db.path().display(),
            name,
            output::size(size),
            doctor::counts_text(&copied.counts)
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// Whether `m` is the file at `path`.
fn same_file(m: &std::fs::Metadata, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).is_ok_and(|p| p.dev() == m.dev() && p.ino() == m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (m, path);
        false
    }
}

/// The database's permission bits (0600 as xaas creates it).
fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).map_or(0o600, |m| m.mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}
