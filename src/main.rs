//! The `xaas` binary: parse, resolve the database and the clock once,
//! dispatch, and turn errors into exit codes (1 runtime, 2 usage, 3 a
//! conflict with another login's change).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// Import parses rows on one thread and frees them on another; glibc's
// malloc serialises that on an arena lock (8% of a 1M-row import).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ignore_file_size_signal();
    cli::early_lang();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return cli::parse_error::report(e),
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                // `xaas export | head` is not an error.
                return ExitCode::SUCCESS;
            }
            let usage = e.downcast_ref::<cli::UsageError>().is_some();
            // Another login changed the same thing first (team mode).
            let conflict = matches!(e.downcast_ref(), Some(xaas::Error::Conflict(_)));
            let line = xaas::msg::common::error_line(cli::message(&e));
            let _ = writeln!(std::io::stderr(), "{line}");
            ExitCode::from(match (usage, conflict) {
                (true, _) => 2,
                (_, true) => 3,
                _ => 1,
            })
        }
    }
}

/// Under `ulimit -f` the kernel kills a process whose write goes past the
/// limit (SIGXFSZ: exit 153, not a word, a temporary file left behind).
/// Ignored, that write fails with EFBIG like any other write error: the
/// error names the file, temporary files are removed, and the exit is 1.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: signal(2) with SIG_IGN installs no handler; it runs first
    // thing in main, and only changes what a file size limit does.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        cli::os_error(c).is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|je| je.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
