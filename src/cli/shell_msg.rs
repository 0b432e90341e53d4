//! The messages of completions, man, doctor and backup, each written
//! once, in English, ready to move to the message catalogue.

use std::path::Path;

pub fn no_folder(dir: &Path) -> String {
    format!(
        "there is no folder `{}`\nhint: create it first (mkdir -p), or name an existing folder",
        dir.display()
    )
}

pub fn wrote_pages(n: usize, dir: &Path) -> String {
    format!("wrote {n} man pages to `{}`", dir.display())
}
