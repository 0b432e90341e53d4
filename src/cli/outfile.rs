//! Files the CLI writes besides the database: `export -o FILE` and
//! `import --rejects FILE`. A regular file is written whole or not at all:
//! into a temporary file beside it, `.FILE.xaas-tmp-XXXXXX`, renamed over
//! it when complete. What the user could not write is refused before a
//! byte is written; a replaced file keeps its permissions; every error
//! names the file as the user gave it.
//!
//! A temporary file is removed on an error, on Ctrl-C, and otherwise by the
//! next write of the same FILE: SIGKILL (or a power cut) cannot be caught,
//! so each writer holds an advisory lock (flock) on its temporary file
//! while it lives, and a later writer removes the ones of FILE that nobody
//! holds. A writer running at the same time keeps its own.

use std::fs::{self, File, Metadata, OpenOptions};
use std::path::{Path, PathBuf};

use xaas::error::{Error, Result};
use xaas::msg::files as fm;

use super::interrupt;

/// A file being written; `commit` puts it in place.
pub struct OutFile {
    /// As the user named it, for messages.
    name: String,
    /// What is being written: the temporary file, or a device or pipe.
    file: File,
    /// The temporary file and the path it replaces; `None` for a device, a
    /// pipe or a socket, written in place as a shell's `>` would.
    temp: Option<(tempfile::TempPath, PathBuf)>,
}

impl OutFile {
    /// Checks that `name` may be written and opens what will be written.
    pub fn create(name: &str) -> Result<OutFile> {
        let given = Path::new(name);
        // A link stays a link: the file it names is the one replaced.
        let target = match fs::symlink_metadata(given) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::canonicalize(given).unwrap_or_else(|_| given.to_path_buf())
            }
            _ => given.to_path_buf(),
        };
        let existing = match fs::metadata(&target) {
            Ok(m) if m.is_dir() => return Err(refused(name, fm::file_why_folder())),
            Ok(m) if !m.is_file() => {
                // /dev/stdout, /dev/null, a named pipe: renaming over it
                // would replace the device itself.
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| cannot_write(name, e))?;
                return Ok(OutFile {
                    name: name.into(),
                    file,
                    temp: None,
                });
            }
            Ok(m) => {
                writable(name, &target, &m)?;
                Some(m)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(cannot_write(name, e)),
        };
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(Error::Refused(fm::file_no_folder(name, dir.display())));
        }
        let prefix = temp_prefix(&target);
        remove_stale(dir, &prefix);
        let (file, path) = new_temp(dir, &prefix)
            .map_err(|e| Error::io(fm::file_no_temp(name, dir.display()), e))?;
        interrupt::remove_on_interrupt(&path);
        let out = OutFile {
            name: name.into(),
            file,
            temp: Some((path, target)),
        };
        if let Some(m) = existing {
            out.keep_owner_and_mode(&m)?;
        }
        Ok(out)
    }

    /// A handle to write through (buffer it).
    pub fn writer(&self) -> Result<File> {
        self.file
            .try_clone()
            .map_err(|e| cannot_write(&self.name, e))
    }

    /// The temporary file being written, to be opened by name (SQLite's
    /// backup writes the copy through its own connection); `None` for a
    /// device or a pipe.
    pub fn temp_path(&self) -> Option<&Path> {
        self.temp.as_ref().map(|(t, _)| t.as_ref())
    }

    /// Gives the new file `mode` (a copy of the database is as private as
    /// the database).
    pub fn set_mode(&self, mode: u32) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            self.file
                .set_permissions(fs::Permissions::from_mode(mode & 0o7777))
                .map_err(|e| cannot_write(&self.name, e))?;
        }
        let _ = mode;
        Ok(())
    }

    /// A write error, naming the file.
    pub fn error(&self, e: std::io::Error) -> Error {
        cannot_write(&self.name, e)
    }

    /// Everything is written (and flushed by the caller): on disk, then in
    /// place of the old file.
    pub fn commit(mut self) -> Result<()> {
        let Some((temp, target)) = self.temp.take() else {
            return Ok(());
        };
        self.file
            .sync_all()
            .map_err(|e| cannot_write(&self.name, e))?;
        let at = temp.to_path_buf();
        let done = temp.persist(&target);
        interrupt::keep(&at);
        done.map_err(|e| cannot_write(&self.name, e.error))
    }

    /// A replaced file keeps its mode, and its owner and group where this
    /// user may give them (root may; others may give a group of theirs).
    fn keep_owner_and_mode(&self, old: &Metadata) -> Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let _ = std::os::unix::fs::fchown(&self.file, Some(old.uid()), Some(old.gid()));
            let _ = std::os::unix::fs::fchown(&self.file, None, Some(old.gid()));
            self.file
                .set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
                .map_err(|e| cannot_write(&self.name, e))?;
        }
        #[cfg(not(unix))]
        {
            self.file
                .set_permissions(old.permissions())
                .map_err(|e| cannot_write(&self.name, e))?;
        }
        Ok(())
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        // Not committed: the temporary file goes (TempPath removes it).
        if let Some((temp, _)) = self.temp.take() {
            let at = temp.to_path_buf();
            drop(temp);
            interrupt::keep(&at);
        }
    }
}

fn cannot_write(name: &str, e: std::io::Error) -> Error {
    Error::io(fm::file_cannot_write(name), e)
}

fn refused(name: &str, why: String) -> Error {
    Error::Refused(fm::file_write_refused(name, why))
}

/// `-o` never replaces a file the user could not write: the folder's
/// permission to rename over it is not enough. A file with no write bit
/// at all is read-only to everyone, root included (whom access(2) lets
/// write anything).
fn writable(name: &str, path: &Path, m: &Metadata) -> Result<()> {
    if m.permissions().readonly() {
        return Err(refused(name, fm::file_why_read_only()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| refused(name, fm::file_why_nul()))?;
        // SAFETY: a valid NUL-terminated path; access(2) only reads it.
        if unsafe { libc::access(c.as_ptr(), libc::W_OK) } != 0 {
            let e = std::io::Error::last_os_error();
            return Err(refused(name, fm::file_why_not_yours(e)));
        }
        // A sticky folder (/tmp) lets only a file's owner (or the folder's)
        // replace it, which `-o` does: say so before writing anything.
        use std::os::unix::fs::MetadataExt;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        if let Ok(d) = fs::metadata(dir) {
            if d.mode() & 0o1000 != 0 && me != 0 && m.uid() != me && d.uid() != me {
                return Err(refused(name, fm::file_why_sticky()));
            }
        }
    }
    let _ = path;
    Ok(())
}

/// `.list.csv.xaas-tmp-`: hidden, and recognisably this program's and this
/// file's.
fn temp_prefix(target: &Path) -> String {
    let file = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{file}.xaas-tmp-")
}

/// A new temporary file, locked for as long as it is open. A new file
/// gets what a shell's `>` gives it: 0666 less the umask.
fn new_temp(dir: &Path, prefix: &str) -> std::io::Result<(File, tempfile::TempPath)> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix).rand_bytes(6);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    // A writer cleaning up at this very moment may take the new file for
    // a stale one between its creation and its lock: then it is gone, and
    // another is made.
    let mut tries = 0;
    loop {
        let (file, path) = b.tempfile_in(dir)?.into_parts();
        if (lock(&file).is_ok() && same_file(&file, &path)) || tries == 3 {
            return Ok((file, path));
        }
        // Not ours to remove any more.
        let _ = path.keep();
        tries += 1;
    }
}

/// Removes the temporary files of this target that no live writer holds:
/// those a killed run left.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        let Ok(f) = File::open(&path) else { continue };
        if f.metadata().is_ok_and(|m| m.is_file()) && try_lock(&f) && same_file(&f, &path) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Whether `path` still names the open file `f`.
fn same_file(f: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (f.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = f;
        path.exists()
    }
}

/// Holds `f` for as long as it is open (or this process lives).
fn lock(f: &File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock(2) on an open descriptor.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    let _ = f;
    Ok(())
}

/// Whether nobody holds `f`.
fn try_lock(f: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock(2) on an open descriptor.
        unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = f;
        false
    }
}
