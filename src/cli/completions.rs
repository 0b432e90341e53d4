//! `xaas completions SHELL`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

/// Print the shell completion script for bash, zsh, fish or powershell (see the README's "Shell setup")
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell (or elvish)
    pub shell: Shell,
}

pub fn run(a: CompletionsArgs) -> Result<ExitCode> {
    // Made whole first: clap_complete panics on a write error, and
    // `xaas completions bash | head` must end quietly.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "xaas", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
