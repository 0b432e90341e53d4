//! The files xaas writes besides the database (`export -o`, `import
//! --rejects`) and the database itself, when the file system says no: a
//! full disk, a file size limit, a file the user may not write. Each error
//! names the file and says its cause once; nothing is left half done.
//!
//! /dev/full (every write fails with ENOSPC) is reached through a link in
//! the test's folder: a regression that renamed over the path would
//! replace the link, never the device (these tests may run as root).

use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use super::*;

/// The binary under `ulimit -f` of `bytes`.
pub fn limited(env: &Env, bytes: u64) -> Command {
    let mut c = env.std_cmd();
    // SAFETY: only setrlimit(2), async-signal-safe, between fork and exec.
    unsafe {
        c.pre_exec(move || {
            let l = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &l) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c
}

/// The binary with umask `mask`.
fn with_umask(env: &Env, mask: libc::mode_t) -> Command {
    let mut c = env.std_cmd();
    // SAFETY: only umask(2), async-signal-safe, between fork and exec.
    unsafe {
        c.pre_exec(move || {
            libc::umask(mask);
            Ok(())
        });
    }
    c
}

pub fn is_root() -> bool {
    // SAFETY: geteuid(2) cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Temporary files of xaas left in `dir`.
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("xaas-tmp") || n.starts_with(".tmp"))
        .collect()
}

pub fn integrity(env: &Env) -> String {
    env.one("PRAGMA integrity_check")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o7777
}

/// `n` rows, every other one bad (an expiry that is no date).
fn half_bad(n: usize) -> String {
    let mut csv = String::from("customer_id,customer_name,service_id,service_type,expiry_date\n");
    for i in 0..n {
        let expiry = if i % 2 == 1 { "someday" } else { "2027-01-01" };
        csv.push_str(&format!(
            "X{:05},客户X{:05},X{i:06},basic,{expiry}\n",
            i / 2,
            i / 2
        ));
    }
    csv
}

#[test]
fn rejects_that_cannot_be_saved_roll_the_import_back() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    symlink("/dev/full", env.dir.path().join("full.csv")).unwrap();
    // A few bad rows fail when the rejects are flushed at the end, many
    // while the rows stream: either way before the commit.
    for (name, n) in [("few.csv", 4), ("many.csv", 30_000)] {
        env.file(name, half_bad(n));
        env.xaas(&format!("import {name} --skip-invalid --rejects full.csv"))
            .fails(1)
            .stderr_is(
                "error: cannot write `full.csv`: No space left on device (os error 28)\n\
                 nothing was imported: the bad rows could not be saved (the import is all or nothing)\n",
            );
        assert_eq!(env.dump(), before, "{name}");
    }
    // A rejects file its user may not write stops the import before it
    // starts.
    let ro = env.file("ro.csv", "old");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    env.xaas("import few.csv --skip-invalid --rejects ro.csv")
        .fails(1)
        .stderr_is("error: cannot write `ro.csv`: the file is read-only; nothing written\n");
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
    assert_eq!(env.dump(), before);
    // ... and before it makes a database.
    let fresh = Env::new();
    fresh.file("few.csv", half_bad(4));
    fresh
        .run(&["import", "few.csv", "--skip-invalid", "--rejects", &ro])
        .fails(1)
        .stderr_has("the file is read-only");
    assert!(!fresh.db.exists());
    // Saved, they are complete and in place, with no temporary file left.
    env.xaas("import many.csv --skip-invalid --rejects rejects.csv")
        .ok()
        .stderr_has("15000 rejected");
    let saved = std::fs::read_to_string(env.dir.path().join("rejects.csv")).unwrap();
    assert_eq!(saved.lines().count(), 15_001);
    assert_eq!(leftovers(env.dir.path()), NONE);
}

#[test]
fn a_file_size_limit_is_named_and_leaves_nothing_behind() {
    let env = Env::new();
    env.file("many.csv", super::views::many_services(3000));
    env.xaas("import many.csv").ok();
    // The export is larger than the limit: no SIGXFSZ (exit 153, not a
    // word), no temporary file, no half a list.
    env.run_std(limited(&env, 128 * 1024), &["export", "-o", "list.csv"])
        .fails(1)
        .stderr_is("error: cannot write `list.csv`: file size limit exceeded (ulimit -f)\n");
    assert!(!env.dir.path().join("list.csv").exists());
    env.run_std(
        limited(&env, 128 * 1024),
        &["export", "--json", "-o", "list.json"],
    )
    .fails(1)
    .stderr_is("error: cannot write `list.json`: file size limit exceeded (ulimit -f)\n");
    assert_eq!(leftovers(env.dir.path()), NONE);
    // The database reaches the limit during an import: rolled back.
    if env.file_only("a file size limit binds the database file's writes") {
        return;
    }
    let before = env.dump();
    env.file("more.csv", super::views::many_services(20_000));
    let db = env.db.to_string_lossy().into_owned();
    env.run_std(limited(&env, 256 * 1024), &["import", "more.csv"])
        .fails(1)
        .stderr_is(&format!(
            "error: cannot write database `{db}`: file size limit exceeded (ulimit -f)\n\
             nothing was imported (the import is all or nothing)\n"
        ));
    assert_eq!(integrity(&env), "ok");
    assert_eq!(env.dump(), before);
    // So is a first import into a new database.
    let fresh = Env::new();
    fresh.file("more.csv", super::views::many_services(20_000));
    fresh
        .run_std(limited(&fresh, 256 * 1024), &["import", "more.csv"])
        .fails(1)
        .stderr_has("file size limit exceeded (ulimit -f)");
    assert_eq!(integrity(&fresh), "ok");
    assert_eq!(fresh.one("SELECT count(*) FROM services"), "0");
    fresh.xaas("import more.csv").ok();
    // A limit so low that the new database's schema or journal cannot be
    // written names the database too, not SQLite's "Error code 778".
    for kb in [20, 50, 80] {
        let tiny = Env::new();
        tiny.file("more.csv", super::views::many_services(20_000));
        let db = tiny.db.to_string_lossy().into_owned();
        tiny.run_std(limited(&tiny, kb * 1024), &["import", "more.csv"])
            .fails(1)
            .stderr_has(&format!(
                "error: cannot write database `{db}`: file size limit exceeded (ulimit -f)"
            ))
            .stderr_lacks("Error code");
    }
}

#[test]
fn a_full_disk_is_named_and_a_device_is_written_in_place() {
    let env = Env::new();
    env.import_examples();
    let full = env.dir.path().join("full.csv");
    let null = env.dir.path().join("null.csv");
    symlink("/dev/full", &full).unwrap();
    symlink("/dev/null", &null).unwrap();
    env.xaas("export -o full.csv")
        .fails(1)
        .stderr_is("error: cannot write `full.csv`: No space left on device (os error 28)\n");
    env.xaas("export -o null.csv")
        .ok()
        .stderr_is("wrote 50 services to `null.csv`\n");
    for link in [&full, &null] {
        assert!(std::fs::symlink_metadata(link)
            .unwrap()
            .file_type()
            .is_symlink());
    }
    assert_eq!(leftovers(env.dir.path()), NONE);
}

#[test]
fn each_cause_is_said_once() {
    let env = Env::new();
    env.import_examples();
    std::fs::create_dir(env.dir.path().join("d")).unwrap();
    env.xaas("export -o d")
        .fails(1)
        .stderr_is("error: cannot write `d`: it is a folder; nothing written\n");
    env.file("few.csv", half_bad(4));
    env.xaas("import few.csv --skip-invalid --rejects d")
        .fails(1)
        .stderr_is("error: cannot write `d`: it is a folder; nothing written\n");
    env.xaas("import d")
        .fails(1)
        .stderr_is("error: cannot read `d`: Is a directory (os error 21)\n");
    env.xaas("import nofile.csv")
        .fails(1)
        .stderr_is("error: cannot open `nofile.csv`: No such file or directory (os error 2)\n");
}

#[test]
fn export_never_replaces_a_file_its_user_cannot_write() {
    let env = Env::new();
    env.import_examples();
    if !is_root() {
        // Without root no file of another user can be made; a file of
        // one's own without a write bit is refused in views.rs.
        eprintln!("skipped: needs root to make a file of another user");
        return;
    }
    let nobody = 65534;
    // A world-writable folder (as /tmp without its sticky bit): the folder
    // would let nobody rename over any file in it.
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    for end in ["", "-wal", "-shm"] {
        let p = format!("{}{end}", env.db.display());
        if Path::new(&p).exists() {
            std::os::unix::fs::chown(&p, Some(nobody), Some(nobody)).unwrap();
        }
    }
    let as_nobody = || {
        let mut c = env.std_cmd();
        c.uid(nobody).gid(nobody);
        c
    };
    let theirs = env.dir.path().join("theirs.csv");
    std::fs::write(&theirs, "root's").unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.run_std(as_nobody(), &["export", "-o", "theirs.csv"])
        .fails(1)
        .stderr_is("error: cannot write `theirs.csv`: you may not write this file (Permission denied (os error 13)); nothing written\n");
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "root's");
    assert_eq!(std::fs::metadata(&theirs).unwrap().uid(), 0);
    assert_eq!(mode(&theirs), 0o644);
    // A file their group may write is theirs to replace; it keeps its
    // mode (its owner becomes them: only root may give a file away).
    let shared = env.dir.path().join("shared.csv");
    std::fs::write(&shared, "group's").unwrap();
    std::os::unix::fs::chown(&shared, Some(0), Some(nobody)).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
    env.run_std(as_nobody(), &["export", "-o", "shared.csv"])
        .ok();
    assert!(std::fs::read_to_string(&shared)
        .unwrap()
        .starts_with("\u{feff}customer_id,"));
    assert_eq!(mode(&shared), 0o664);
    assert_eq!(std::fs::metadata(&shared).unwrap().gid(), nobody);
    // Root may write anything, but not a file without a write bit.
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o444)).unwrap();
    env.xaas("export -o theirs.csv")
        .fails(1)
        .stderr_is("error: cannot write `theirs.csv`: the file is read-only; nothing written\n");
    // In a sticky folder (as /tmp), a file anyone may write is still only
    // its owner's to replace: said before anything is written.
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let open = env.dir.path().join("open.csv");
    std::fs::write(&open, "root's").unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o666)).unwrap();
    env.run_std(as_nobody(), &["export", "-o", "open.csv"])
        .fails(1)
        .stderr_has("error: cannot write `open.csv`: it belongs to another user in a sticky folder (like /tmp), where only its owner may replace it");
    assert_eq!(std::fs::read_to_string(&open).unwrap(), "root's");
    assert_eq!(leftovers(env.dir.path()), NONE);
}

#[test]
fn a_replaced_file_keeps_its_mode_owner_and_links_and_a_new_one_follows_the_umask() {
    let env = Env::new();
    env.import_examples();
    let dir = env.dir.path();
    // A new file: 0666 less the umask, as a shell's `>` makes it.
    env.run_std(with_umask(&env, 0o027), &["export", "-o", "new.csv"])
        .ok();
    assert_eq!(mode(&dir.join("new.csv")), 0o640);
    env.run_std(with_umask(&env, 0o002), &["export", "-o", "new2.csv"])
        .ok();
    assert_eq!(mode(&dir.join("new2.csv")), 0o664);
    // An existing one keeps its mode, whatever the umask.
    let old = env.file("old.csv", "x");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o604)).unwrap();
    env.run_std(with_umask(&env, 0o077), &["export", "-o", "old.csv"])
        .ok();
    assert_eq!(mode(Path::new(&old)), 0o604);
    // A link stays a link; the file it names is replaced.
    symlink("old.csv", dir.join("link.csv")).unwrap();
    std::fs::write(&old, "x").unwrap();
    env.xaas("export -o link.csv").ok();
    assert!(std::fs::symlink_metadata(dir.join("link.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&old)
        .unwrap()
        .starts_with("\u{feff}customer_id,"));
    assert_eq!(mode(Path::new(&old)), 0o604);
    // Root replacing another user's file gives it back to them.
    if is_root() {
        std::os::unix::fs::chown(&old, Some(65534), Some(65534)).unwrap();
        env.xaas("export -o old.csv").ok();
        let m = std::fs::metadata(&old).unwrap();
        assert_eq!((m.uid(), m.gid()), (65534, 65534));
    }
    assert_eq!(leftovers(dir), NONE);
}

/// `export C9999 > list.csv`: the BOM comes with the first byte of the
/// list, so an error before it leaves the file (stdout) empty.
#[test]
fn an_export_that_fails_writes_no_bom() {
    let env = Env::new();
    env.import_examples();
    env.xaas("export C9999 --bom").fails(1).stdout_empty();
    let r = env.xaas("export C0001 --bom").ok();
    assert!(
        r.stdout.starts_with("\u{feff}customer_id,"),
        "{:?}",
        &r.stdout[..20]
    );
    assert_eq!(r.stdout.matches('\u{feff}').count(), 1);
}
