//! `xaas man [-o DIR]`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory};

use super::outfile::OutFile;
use xaas::msg::shell as msg;

use super::Cli;

/// Print the man page (roff), or write one page per command into a folder
#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write xaas.1 and a page per command (xaas-import.1, …) into this
    /// existing folder instead
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

pub fn run(a: ManArgs) -> Result<ExitCode> {
    let Some(dir) = a.output else {
        // Rendered whole first, so that a closed pipe ends it quietly.
        let page = render(&clap_mangen::Man::new(Cli::command()))?;
        let mut out = std::io::stdout().lock();
        out.write_all(&page)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    if !dir.is_dir() {
        return Err(xaas::Error::Refused(msg::man_no_folder(dir.display())).into());
    }
    // Built, so that each command knows its full name (`xaas-import`).
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut written = 0;
    write_pages(&cmd, &dir, &mut written)?;
    eprintln!("{}", msg::man_wrote_pages(written, dir.display()));
    Ok(ExitCode::SUCCESS)
}

/// The page of `cmd` and of each of its commands, as clap_mangen's
/// `generate_to` would name them, each written whole or not at all.
fn write_pages(cmd: &clap::Command, dir: &Path, written: &mut usize) -> Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    let man = clap_mangen::Man::new(cmd.clone());
    let path = dir.join(man.get_filename());
    let file = OutFile::create(&path.to_string_lossy())?;
    let mut w = file.writer()?;
    w.write_all(&render(&man)?).map_err(|e| file.error(e))?;
    file.commit()?;
    *written += 1;
    Ok(())
}

fn render(man: &clap_mangen::Man) -> Result<Vec<u8>> {
    let mut page = Vec::new();
    man.render(&mut page)?;
    Ok(page)
}
