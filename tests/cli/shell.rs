//! The shell: completion scripts, man pages, `doctor` and `backup`.

use super::*;

/// A program of the machine's, if it is installed.
fn installed(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

#[test]
fn completions_name_the_commands_for_each_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        env.xaas(&format!("completions {shell}"))
            .ok()
            .stdout_has("followup")
            .stdout_has("import")
            .stdout_has("doctor")
            .stderr_empty();
    }
    env.xaas("completions tcsh")
        .fails(2)
        .stderr_has("possible values: bash");
    // No database is needed, nor made.
    assert!(!env.db.exists());
}

#[test]
fn bash_loads_the_completion_script() {
    if !installed("bash") {
        eprintln!("skipped: no bash");
        return;
    }
    let env = Env::new();
    let script = env.xaas("completions bash").ok().stdout;
    let file = env.file("xaas.bash", script);
    let out = std::process::Command::new("bash")
        .args(["-c", &format!("source '{file}' && complete -p xaas")])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("-F _xaas xaas"), "{said}");
}

/// The first line that is no string definition of the preamble
/// (`.ie`/`.el`, which clap_mangen puts first for apostrophes).
fn first_macro(page: &str) -> &str {
    page.lines()
        .find(|l| !l.starts_with(".ie ") && !l.starts_with(".el "))
        .unwrap_or("")
}

#[test]
fn the_man_page_is_roff_and_names_the_commands() {
    let env = Env::new();
    let page = env.xaas("man").ok().stderr_empty().stdout;
    assert!(first_macro(&page).starts_with(".TH xaas 1"), "{page}");
    for c in ["import", "followup", "completions", "doctor"] {
        assert!(page.contains(c), "the page lacks {c}");
    }
    if installed("man") {
        let file = env.file("xaas.1", &page);
        let out = std::process::Command::new("man")
            .args(["-l", &file])
            .env("MANPAGER", "cat")
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("SYNOPSIS"), "{text}");
    }
}

#[test]
fn man_writes_a_page_per_command_into_a_folder() {
    let env = Env::new();
    let dir = env.dir.path().join("man1");
    std::fs::create_dir(&dir).unwrap();
    env.run(&["man", "-o", dir.to_str().unwrap()])
        .ok()
        .stdout_empty()
        .stderr_has("man pages to");
    let page = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    assert!(first_macro(&page("xaas.1")).starts_with(".TH xaas 1"));
    assert!(first_macro(&page("xaas-import.1")).starts_with(".TH xaas-import 1"));
    assert!(first_macro(&page("xaas-followup-set.1")).starts_with(".TH xaas-followup-set 1"));
    assert!(!dir.join("xaas-help.1").exists());
    assert_eq!(super::files::leftovers(&dir), NONE);
    // A folder that is not there is named, not made.
    env.xaas("man -o nowhere")
        .fails(1)
        .stderr_has("there is no folder `nowhere`");
    assert!(!env.dir.path().join("nowhere").exists());
}

/// `xaas --db DB doctor ARGS…`, with the harness's environment.
fn doctor(env: &Env, db: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--db", db.to_str().unwrap(), "doctor"];
    all.extend(args);
    env.run(&all)
}

#[test]
fn doctor_reports_a_healthy_database() {
    let env = Env::new();
    env.import_examples();
    // A renewal by import: history entries stamped with that import.
    let renewed = std::fs::read_to_string(examples())
        .unwrap()
        .lines()
        .map(|l| {
            if l.contains(",S00039,") {
                l.replace("2026-11-25", "2027-11-25")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = env.file("renewed.csv", renewed + "\n");
    env.run(&["import", &file]).ok();
    env.xaas("tasks add C0001 --due 2026-12-01 --title call")
        .ok();
    let r = env.xaas("doctor").ok().stderr_empty();
    for s in [
        "ok (integrity_check)",
        "customers 15 · services 50",
        "open tasks 1\n",
        "journal mode",
        "grace_days",
        "30 (default)",
        "(from XAAS_DB)",
        "No problem found",
    ] {
        assert!(r.stdout.contains(s), "lacks {s:?}\n{}", r.stdout);
    }
    let j = env.xaas("doctor --json").ok().json();
    let d = &j["database"];
    assert_eq!(j["healthy"], true);
    assert_eq!(j["problems"], serde_json::json!([]));
    assert_eq!(d["kind"], "xaas");
    assert_eq!(d["schema"], d["schema_latest"]);
    assert_eq!(d["schema"].to_string(), env.one("PRAGMA user_version"));
    assert_eq!(d["journal"], "wal");
    assert_eq!(d["check"]["kind"], "integrity");
    assert_eq!(d["check"]["ok"], true);
    let count = |q: &str| env.one(q).parse::<u64>().unwrap();
    let c = &d["counts"];
    assert_eq!(c["customers"], count("SELECT count(*) FROM customers"));
    assert_eq!(c["services"], count("SELECT count(*) FROM services"));
    assert_eq!(c["records"], count("SELECT count(*) FROM records"));
    assert_eq!(c["history"], count("SELECT count(*) FROM history"));
    assert_eq!(c["usage"], 0);
    assert_eq!(c["open_tasks"], 1);
    // The last import as logged: the second file, its rows; a dry run
    // and a refused file are not imports that wrote.
    assert_eq!(d["last_import"]["author"], "tester");
    assert_eq!(d["last_import"]["file"]["file"], file.as_str());
    assert_eq!(d["last_import"]["file"]["kind"], "services");
    assert_eq!(d["last_import"]["file"]["rows"], 50);
    assert_eq!(d["last_import"]["file"]["rejected"], 0);
    env.run(&["import", "--dry-run", &examples().to_string_lossy()])
        .ok();
    env.file("bad.csv", "customer_id,service_id\nC1,\n");
    env.xaas("import bad.csv").fails(1);
    let again = env.xaas("doctor --json").ok().json();
    assert_eq!(again["database"]["last_import"], d["last_import"]);
    assert!(
        r.stdout.contains(&format!("`{file}`, 50 rows (0 skipped)")),
        "{}",
        r.stdout
    );
    assert_eq!(
        d["size"].as_u64().unwrap(),
        std::fs::metadata(&env.db).unwrap().len()
    );
    let s = &j["setup"];
    assert_eq!(s["db_source"], "env");
    assert_eq!(s["vars"]["XAAS_USER"], "tester");
    assert_eq!(s["vars"]["LANG"], serde_json::Value::Null);
    assert_eq!(s["stdout_terminal"], false);
    let bin = assert_cmd::cargo::cargo_bin("xaas");
    assert_eq!(
        j["cron"],
        format!(
            "0 8 * * 1-5 XAAS_DB={} {} due --within 30",
            env.db.display(),
            bin.display()
        )
    );
    // --db beats XAAS_DB, and says so.
    let j = doctor(&env, &env.db, &["--json"]).ok().json();
    assert_eq!(j["setup"]["db_source"], "env", "the same path as XAAS_DB");
    let copy = env.dir.path().join("copy.db");
    env.settle();
    std::fs::copy(&env.db, &copy).unwrap();
    let j = doctor(&env, &copy, &["--json"]).ok().json();
    assert_eq!(j["setup"]["db_source"], "flag");
    assert!(j["cron"].as_str().unwrap().contains("copy.db"));
}

#[test]
fn doctor_never_creates_a_missing_database() {
    let env = Env::new();
    let data = super::storage::folder(&env, "data");
    let db = data.join("xaas.db");
    doctor(&env, &db, &[])
        .fails(1)
        .stdout_has("not there")
        .stdout_has("Problems (1)")
        .stderr_has(&format!("no database at `{}`", db.display()))
        .stderr_has("hint: run `xaas import FILE` first");
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), 0);
    // Nor the default one, nor its folder.
    let r = env
        .xaas_env(&[], &["XAAS_DB"], "doctor --json")
        .fails(1)
        .json();
    assert_eq!(r["setup"]["db_source"], "default");
    let default = env.dir.path().join(".local/share/xaas/xaas.db");
    assert_eq!(r["database"]["path"], default.to_str().unwrap());
    assert_eq!(r["problems"][0]["problem"], "missing");
    assert!(!env.dir.path().join(".local").exists());
}

#[test]
fn doctor_reports_an_empty_file_and_leaves_it_empty() {
    let env = Env::new();
    let data = super::storage::folder(&env, "data");
    let db = data.join("xaas.db");
    std::fs::write(&db, "").unwrap();
    let before = super::storage::snapshot(&data);
    let j = doctor(&env, &db, &["--json"])
        .fails(1)
        .stderr_has("is an empty file (0 bytes)")
        .json();
    assert_eq!(j["database"]["kind"], "empty_file");
    assert_eq!(j["database"]["size"], 0);
    super::storage::assert_untouched(&before, &data, "doctor");
    // An SQLite database with nothing in it is no xaas database either.
    std::fs::remove_file(&db).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0; VACUUM;")
        .unwrap();
    let before = super::storage::snapshot(&data);
    doctor(&env, &db, &[])
        .fails(1)
        .stdout_has("an SQLite database with nothing in it")
        .stderr_has("not an xaas database yet");
    super::storage::assert_untouched(&before, &data, "doctor");
}

#[test]
fn doctor_names_a_newer_version_and_leaves_it_alone() {
    let env = Env::new();
    env.import_examples();
    let data = super::storage::folder(&env, "data");
    let db = data.join("xaas.db");
    {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    std::fs::rename(&env.db, &db).unwrap();
    let _ = std::fs::remove_file(env.dir.path().join("xaas.db-wal"));
    let _ = std::fs::remove_file(env.dir.path().join("xaas.db-shm"));
    let before = super::storage::snapshot(&data);
    let r = doctor(&env, &db, &[])
        .fails(1)
        .stdout_has("version 99; this xaas knows only up to")
        .stderr_has("has schema version 99, but this xaas knows versions up to");
    assert!(r.stdout.contains("from a newer xaas"), "{}", r.stdout);
    let j = doctor(&env, &db, &["--json"]).fails(1).json();
    assert_eq!(j["database"]["schema"], 99);
    assert_eq!(j["problems"][0]["problem"], "newer");
    assert_eq!(j["problems"][0]["found"], 99);
    super::storage::assert_untouched(&before, &data, "doctor");
}

#[test]
fn doctor_names_a_file_of_another_program() {
    let env = Env::new();
    let data = super::storage::folder(&env, "data");
    let db = data.join("places.sqlite");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);")
        .unwrap();
    let text = data.join("notes.txt");
    std::fs::write(
        &text,
        "not a database at all, just some words of text\n".repeat(4),
    )
    .unwrap();
    let before = super::storage::snapshot(&data);
    doctor(&env, &db, &[]).fails(1).stderr_has(
        "is not an xaas database (an SQLite database of another program: table moz_places)",
    );
    doctor(&env, &text, &[])
        .fails(1)
        .stderr_has("is not an xaas database (not an SQLite file)");
    super::storage::assert_untouched(&before, &data, "doctor");
}

#[test]
fn doctor_fails_a_damaged_index() {
    let env = Env::new();
    env.import_examples();
    // The index now claims another column: every row is missing from it.
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema
                SET sql = 'CREATE INDEX services_customer ON services(service_type)'
              WHERE name = 'services_customer';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    let r = env
        .xaas("doctor")
        .fails(1)
        .stdout_has("FAILED (integrity_check)")
        .stderr_has("failed SQLite's integrity_check: row 1 missing from index services_customer");
    assert!(r.stdout.contains("hint: restore the latest backup"));
    let j = env.xaas("doctor --json").fails(1).json();
    assert_eq!(j["database"]["check"]["ok"], false);
    assert_eq!(j["problems"][0]["problem"], "check_failed");
    assert_eq!(
        j["database"]["check"]["errors"].as_array().unwrap().len(),
        20
    );
}

#[test]
fn doctor_reports_a_bad_config_file_and_today_instead_of_stopping() {
    let env = Env::new();
    env.import_examples();
    env.config("lang = \"fr\"\n");
    let r = env
        .xaas_with(&[("XAAS_TODAY", "soon")], "doctor --json")
        .fails(1);
    let j = r.json();
    assert_eq!(j["problems"][0]["problem"], "config");
    assert!(j["problems"][0]["error"].as_str().unwrap().contains("fr"));
    assert_eq!(j["problems"][1]["problem"], "today");
    assert_eq!(j["setup"]["config"]["exists"], true);
    assert_eq!(j["database"]["kind"], "xaas");
    // Other commands stop at the file (exit 2); doctor names it and goes on.
    env.xaas("list").fails(2);
}

#[test]
fn doctor_carries_chinese_and_another_config_into_the_cron_line() {
    let env = Env::new();
    env.import_examples();
    let cfg = env.file("team.toml", "author = \"王芳\"\n");
    let j = env
        .xaas_with(
            &[
                ("LANG", "zh_CN.UTF-8"),
                ("XAAS_CONFIG", &cfg),
                ("TZ", "Asia/Shanghai"),
            ],
            "doctor --json",
        )
        .ok()
        .json();
    assert_eq!(j["setup"]["lang"], "zh");
    assert_eq!(j["setup"]["author"], "tester");
    assert_eq!(j["setup"]["config"]["named"], true);
    let cron = j["cron"].as_str().unwrap();
    assert!(
        cron.contains(&format!("XAAS_CONFIG={cfg} TZ=Asia/Shanghai ")),
        "{cron}"
    );
    assert!(cron.ends_with(" --lang zh due --within 30"), "{cron}");
}

/// What a database holds, as a count of services and one hash of every
/// customer, service, term and history entry; its integrity check first.
fn fingerprint(db: &Path) -> (usize, u64) {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{}", db.display());
    let mut h = DefaultHasher::new();
    let mut services = 0;
    for (t, order) in [
        ("customers", "customer_id"),
        ("services", "service_id"),
        ("terms", "id"),
        ("history", "id"),
    ] {
        let mut st = c
            .prepare(&format!("SELECT * FROM {t} ORDER BY {order}"))
            .unwrap();
        let n = st.column_count();
        let rows: Vec<Vec<String>> = st
            .query_map([], |r| {
                (0..n).map(|i| Ok(format!("{:?}", r.get_ref(i)?))).collect()
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        if t == "services" {
            services = rows.len();
        }
        rows.hash(&mut h);
    }
    (services, h.finish())
}

/// Waits until `child`'s reading thread (`xaas-read`) runs: the import has
/// begun its transaction. Gives up after 10 s, when the child ends, or
/// when there is no /proc to look in.
fn until_reading(child: &mut std::process::Child) {
    let tasks = format!("/proc/{}/task", child.id());
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(10) {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        let Ok(dir) = std::fs::read_dir(&tasks) else {
            return;
        };
        if dir.filter_map(|t| t.ok()).any(|t| {
            std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == "xaas-read")
        }) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn a_backup_taken_during_a_big_import_holds_the_state_before_or_after_it() {
    let env = Env::new();
    let small = env.file("small.csv", super::kill::services(1_000, 2026));
    env.run(&["import", &small]).ok();
    let before = fingerprint(&env.db);
    let before_csv = env.xaas("export").ok().stdout;
    // 50,000 services: the 1,000 there renewed to 2027, 49,000 new.
    let big = env.file("big.csv", super::kill::services(50_000, 2027));
    let mut import = env
        .std_cmd()
        .args(["import", &big])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    until_reading(&mut import);
    // Backups one after another until the import has ended: each copy is
    // whole, and holds one state or the other.
    let mut copies = Vec::new();
    let mut during = 0;
    loop {
        let running = import.try_wait().unwrap().is_none();
        let copy = env.dir.path().join(format!("copy{}.db", copies.len()));
        env.run(&["backup", "-o", copy.to_str().unwrap()])
            .ok()
            .stderr_has("integrity_check ok");
        if running && import.try_wait().unwrap().is_none() {
            during += 1;
        }
        copies.push(copy);
        if !running {
            break;
        }
        // Room for the import on a machine of two cores.
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    let out = import.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = fingerprint(&env.db);
    assert_eq!((before.0, after.0), (1_000, 50_000));
    let (mut befores, mut afters) = (0, 0);
    for copy in &copies {
        let found = fingerprint(copy);
        if found == before {
            befores += 1;
        } else {
            assert_eq!(found, after, "{} is neither state", copy.display());
            afters += 1;
        }
    }
    eprintln!(
        "{} backups, {during} begun and ended while the import ran: {befores} before, {afters} after",
        copies.len()
    );
    assert!(during > 0, "no backup ran while the import did");
    assert!(
        afters > 0,
        "the last backup, after the import, has its rows"
    );
    // The first copy, taken while the import ran, exports as the book did
    // before it; the last exports as the book does now.
    let export = |copy: &Path| {
        env.run(&["--db", copy.to_str().unwrap(), "export"])
            .ok()
            .stdout
    };
    if fingerprint(&copies[0]) == before {
        assert_eq!(export(&copies[0]), before_csv);
    }
    assert_eq!(
        export(copies.last().unwrap()),
        env.xaas("export").ok().stdout
    );
    assert_eq!(super::files::leftovers(env.dir.path()), NONE);
}

#[test]
fn backup_writes_a_private_checked_copy_and_replaces_only_with_force() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_examples();
    env.xaas("backup -o copy.db")
        .ok()
        .stdout_empty()
        .stderr_has("to `copy.db` (")
        .stderr_has("integrity_check ok")
        .stderr_has("customers 15 · services 50");
    let copy = env.dir.path().join("copy.db");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&copy), mode(&env.db), "as private as the database");
    assert_eq!(mode(&copy), 0o600);
    assert_eq!(fingerprint(&copy), fingerprint(&env.db));
    // The copy is an xaas database like any other.
    env.run(&["--db", copy.to_str().unwrap(), "doctor"]).ok();
    // An existing file is kept without --force, whatever it holds.
    std::fs::write(&copy, "keep me").unwrap();
    env.xaas("backup -o copy.db")
        .fails(1)
        .stderr_has("`copy.db` exists; nothing written")
        .stderr_has("hint: pass --force");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "keep me");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o640)).unwrap();
    env.xaas("backup -o copy.db --force").ok();
    assert_eq!(fingerprint(&copy), fingerprint(&env.db));
    assert_eq!(mode(&copy), 0o640, "a replaced file keeps its mode");
    // Never onto the database itself, nor into a folder, a device or stdout.
    let db = env.db.to_str().unwrap();
    env.refused(
        &format!("backup -o {db} --force"),
        1,
        "is the database itself",
    );
    env.xaas("backup -o . --force")
        .fails(1)
        .stderr_has("a backup is a file");
    env.xaas("backup -o /dev/null --force")
        .fails(1)
        .stderr_has("a backup is a file");
    env.xaas("backup -o -")
        .fails(1)
        .stderr_has("a backup is a file");
    assert_eq!(super::files::leftovers(env.dir.path()), NONE);
}

#[test]
fn backup_of_a_missing_database_is_an_error_and_writes_nothing() {
    let env = Env::new();
    env.xaas("backup -o copy.db")
        .fails(1)
        .stderr_has(&format!("no database at `{}`", env.db.display()));
    assert!(!env.db.exists());
    assert!(!env.dir.path().join("copy.db").exists());
    assert_eq!(super::files::leftovers(env.dir.path()), NONE);
}

#[test]
fn backup_into_a_folder_it_cannot_write_names_the_folder() {
    let env = Env::new();
    env.import_examples();
    env.xaas("backup -o nowhere/copy.db")
        .fails(1)
        .stderr_has("there is no folder `nowhere`");
    let out = super::storage::folder(&env, "locked");
    let Some(prefix) = super::storage::unprivileged(&env) else {
        return;
    };
    super::storage::set_mode(&out, 0o555);
    let target = out.join("copy.db");
    let line = vec![
        "backup".to_string(),
        "-o".to_string(),
        target.to_string_lossy().into_owned(),
    ];
    super::storage::as_user(&env, &prefix, &line)
        .fails(1)
        .stderr_has(&format!("cannot write `{}`", target.display()))
        .stderr_has(&format!(
            "cannot create a temporary file in `{}`",
            out.display()
        ));
    super::storage::set_mode(&out, 0o755);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}

#[test]
fn doctor_speaks_chinese_under_lang_zh() {
    let env = Env::new();
    env.import_examples();
    let r = env.xaas("--lang zh doctor").ok();
    for s in [
        "数据库\n",
        "结构版本",
        "正常（integrity_check）",
        "客户 15 · 服务 50",
        "未发现问题",
    ] {
        assert!(r.stdout.contains(s), "lacks {s:?}\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("No problem found"));
    // From the locale too, and the problems as every command says them.
    let missing = env.dir.path().join("none.db");
    env.xaas_with(
        &[("LANG", "zh_CN.UTF-8")],
        &format!("--db {} doctor", missing.display()),
    )
    .fails(1)
    .stdout_has("问题（1 个）")
    .stderr_has("处没有数据库");
    env.xaas("--lang zh backup -o copy.db")
        .ok()
        .stderr_has("已将")
        .stderr_has("integrity_check 正常");
}

/// A database every command refuses (read-only file, read-only folder)
/// is a problem for `doctor` too; an empty file is refused by a command
/// that reads (not made into an empty book, which would keep cron quiet).
#[test]
fn doctor_names_what_cannot_be_written_and_commands_refuse_an_empty_file() {
    let env = Env::new();
    env.file("empty.db", "");
    env.xaas("--db empty.db due --within 30")
        .fails(1)
        .stderr_has("is empty: there is no xaas database in it");
    assert_eq!(
        std::fs::metadata(env.dir.path().join("empty.db"))
            .unwrap()
            .len(),
        0
    );
    env.import_examples();
    let Some(prefix) = super::storage::unprivileged(&env) else {
        return;
    };
    let db = env.db.to_string_lossy().into_owned();
    let doctor = vec!["--db".to_string(), db.clone(), "doctor".to_string()];
    super::storage::set_mode(&env.db, 0o444);
    super::storage::as_user(&env, &prefix, &doctor)
        .fails(1)
        .stdout_has("is a read-only file");
    super::storage::set_mode(&env.db, 0o644);
    super::storage::set_mode(env.dir.path(), 0o555);
    let r = super::storage::as_user(&env, &prefix, &doctor);
    super::storage::set_mode(env.dir.path(), 0o755);
    r.fails(1).stdout_has("is in a read-only folder");
}

/// A flag that takes one of a closed set completes to its values, which
/// `--help` lists with their Chinese labels; the Chinese forms still parse.
#[test]
fn closed_sets_complete_to_their_values() {
    let env = Env::new();
    let bash = env.xaas("completions bash").ok();
    for v in [
        "identifying_risk",
        "within_30",
        "danger",
        "satisfaction",
        "kickoff",
    ] {
        assert!(bash.stdout.contains(v), "bash completion lacks {v}");
    }
    env.xaas("list --help")
        .ok()
        .stdout_has("at_risk:")
        .stdout_has("跟进中-有风险");
    env.import_examples();
    env.xaas("list --status 跟进中—无风险").ok();
}
