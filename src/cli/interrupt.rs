//! What Ctrl-C leaves behind: a prompt hides the cursor, `export -o` and
//! `import --rejects` write a temporary file (see `outfile`). One handler
//! shows the cursor again, removes those files, and stops as an
//! interrupted program does (exit 130). SIGKILL cannot be caught: the
//! next write of the same file removes what a killed run left.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

static LEFTOVERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Installs the handler (once per process).
pub fn guard() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| stop());
    });
}

/// Stops as an interrupted program does. Called by the handler, and by a
/// prompt whose read the signal interrupted (which may come first): only
/// the first caller speaks and exits, the other waits for that exit.
pub fn stop() -> ! {
    static STOPPING: AtomicBool = AtomicBool::new(false);
    if STOPPING.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
    let term = console::Term::stderr();
    if term.is_term() {
        let _ = term.show_cursor();
    }
    if let Ok(files) = LEFTOVERS.lock() {
        for f in files.iter() {
            let _ = std::fs::remove_file(f);
        }
    }
    eprintln!("{}", xaas::msg::prompt::interrupted_nothing_changed());
    std::process::exit(130);
}

/// Removes `path` if the command is interrupted before `keep` is called.
pub fn remove_on_interrupt(path: &Path) {
    guard();
    if let Ok(mut files) = LEFTOVERS.lock() {
        files.push(path.to_path_buf());
    }
}

/// `path` is finished (renamed into place): no longer to be removed.
pub fn keep(path: &Path) {
    if let Ok(mut files) = LEFTOVERS.lock() {
        files.retain(|f| f != path);
    }
}
