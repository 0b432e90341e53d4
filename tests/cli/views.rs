use super::*;

/// Services expiring at the window boundaries around TODAY (2026-11-23).
fn boundaries(env: &Env) {
    let rows = [
        ("S_m1", "2026-11-22"),
        ("S_0", "2026-11-23"),
        ("S_30", "2026-12-23"),
        ("S_31", "2026-12-24"),
        ("S_90", "2027-02-21"),
        ("S_91", "2027-02-22"),
    ];
    let mut csv = String::from(
        "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount\n",
    );
    for (i, (id, d)) in rows.iter().enumerate() {
        let (csm, tier) = if i % 2 == 0 {
            ("张伟", "KA")
        } else {
            ("王芳", "B")
        };
        csv.push_str(&format!("C{i},客户{i},{csm},{tier},{id},basic,{d},100\n"));
    }
    env.file("b.csv", csv);
    env.xaas("import b.csv").ok();
}

#[test]
fn due_takes_exactly_the_window_boundaries() {
    let env = Env::new();
    boundaries(&env);
    let due = |args: &str| env.xaas(&format!("due {args}")).ok().ids();
    assert_eq!(due("--within 30"), ["S_0", "S_30"]);
    assert_eq!(due("--within 30 --overdue"), ["S_m1", "S_0", "S_30"]);
    assert_eq!(due("--within 0"), ["S_0"]);
    assert_eq!(due("--within 90"), ["S_0", "S_30", "S_31", "S_90"]);
    env.xaas("due --within -1").fails(2).stderr_has("--within");
}

#[test]
fn window_filter_takes_exactly_its_days() {
    let env = Env::new();
    boundaries(&env);
    let list = |w: &str| {
        env.xaas(&format!("list --services --window {w}"))
            .ok()
            .ids()
    };
    assert_eq!(list("expired"), ["S_m1"]);
    assert_eq!(list("within_30"), ["S_0", "S_30"]);
    assert_eq!(list("within-90"), ["S_31", "S_90"]);
    assert_eq!(list("正常"), ["S_91"]);
    env.xaas("list --window soon")
        .fails(2)
        .stderr_has("within_30 (30天内过期)");
}

#[test]
fn status_filter_sees_derived_pending() {
    let env = Env::new();
    boundaries(&env);
    let list = |s: &str| {
        env.xaas(&format!("list --services --status {s}"))
            .ok()
            .ids()
    };
    assert_eq!(list("pending"), ["S_m1", "S_0", "S_30", "S_31", "S_90"]);
    assert_eq!(list("none"), ["S_91"]);
    assert!(list("at-risk").is_empty());
}

#[test]
fn repeated_filters_or_and_different_filters_and() {
    let env = Env::new();
    boundaries(&env);
    let list = |args: &str| env.xaas(&format!("list --services {args}")).ok().ids();
    assert_eq!(list("--csm 张伟"), ["S_m1", "S_30", "S_90"]);
    assert_eq!(list("--csm 张伟 --csm 王芳").len(), 6);
    assert_eq!(list("--csm 张伟 --window within_30"), ["S_30"]);
    assert_eq!(
        list("--tier B --window within_30 --window expired"),
        ["S_0"]
    );
    assert_eq!(
        list("--expires-after 2026-11-23 --expires-before 2026-12-24"),
        ["S_0", "S_30", "S_31"]
    );
    assert_eq!(list("--search 客户3"), ["S_31"]);
    let mine = env
        .xaas_with(&[("XAAS_CSM", "王芳")], "due --within 90 --mine")
        .ok()
        .ids();
    assert_eq!(mine, ["S_0", "S_31"]);
    env.xaas("due --mine").fails(2).stderr_has("XAAS_CSM");
}

#[test]
fn cron_with_nothing_due_prints_nothing_at_all() {
    let env = Env::new();
    boundaries(&env);
    let nothing = "due --within 30 --search nowhere";
    env.xaas(nothing).ok().stdout_empty().stderr_empty();
    env.xaas(&format!("{nothing} --format table"))
        .ok()
        .stdout_empty()
        .stderr_empty();
    let r = env
        .xaas(&format!("{nothing} --csv"))
        .ok()
        .stdout_starts_with("customer_id,customer_name,");
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    env.xaas(&format!("{nothing} --json"))
        .ok()
        .stdout_is("[]\n");
}

#[test]
fn json_and_csv_carry_the_same_rows() {
    let env = Env::new();
    env.import_examples();
    let csv_out = env.xaas("export").ok().stdout;
    let json_out = env.xaas("export --json").ok().stdout;
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(&json_out).unwrap();
    let mut rdr = csv::Reader::from_reader(csv_out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 50);
    assert_eq!(rows.len(), 50);
    for (rec, obj) in records.iter().zip(&rows) {
        assert_eq!(
            obj.keys().map(String::as_str).collect::<Vec<_>>(),
            headers.iter().collect::<Vec<_>>()
        );
        for (h, v) in headers.iter().zip(rec) {
            let j = &obj[h];
            let as_text = match j {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) if h == "amount" => {
                    format!("{:.2}", n.as_f64().unwrap())
                }
                other => other.to_string(),
            };
            assert_eq!(as_text, v, "{h}");
        }
    }
    assert_eq!(rows[0]["status"], "pending");
    assert!(
        rows.iter().any(|r| r["status"].is_null()),
        "no status is null"
    );
}

#[test]
fn export_then_import_changes_nothing_in_either_language() {
    for lang in ["en", "zh"] {
        let env = Env::new();
        env.import_examples();
        let dump = env.dump();
        let export = format!("export --lang {lang}");
        let first = env.xaas(&export).ok().stdout;
        env.xaas_in("import -", first.as_bytes())
            .ok()
            .stderr_has("50 unchanged");
        assert_eq!(env.dump(), dump, "{lang}");
        // Into an empty database and out again: the same bytes.
        let other = Env::new();
        other.xaas_in("import -", first.as_bytes()).ok();
        other.xaas(&export).ok().stdout_is(&first);
        if lang == "zh" {
            assert!(first.starts_with("客户ID,客户名称,"));
            assert!(first.contains(",待跟进,") && first.contains(",30天内过期,"));
        }
    }
}

#[test]
fn a_name_with_comma_and_quotes_survives() {
    let env = Env::new();
    env.import_examples();
    env.xaas("export C0011")
        .ok()
        .stdout_has("C0011,\"\"\"蓝天\"\"电子, 有限公司\",");
    let v = env.xaas("show 蓝天 --json").ok().json();
    assert_eq!(v["customer"]["customer_name"], "\"蓝天\"电子, 有限公司");
}

#[test]
fn export_to_a_file_has_a_bom_and_guards_formulas() {
    let env = Env::new();
    env.file("g.csv", "customer_id,customer_name,service_id,service_type,expiry_date\nC1,=cmd|' /C calc'!A0,S1,basic,2027-01-01\n");
    env.xaas("import g.csv").ok();
    env.xaas("export -o list.csv")
        .ok()
        .stderr_has("wrote 1 service to");
    let bytes = std::fs::read(env.dir.path().join("list.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("C1,'=cmd|' /C calc'!A0,,"), "{text}");
    // Stdout has no BOM and no guard unless asked.
    env.xaas("export").ok().stdout_starts_with("customer_id");
    env.xaas("export --bom").ok().stdout_starts_with("\u{feff}");
    // The guard comes off again on import.
    let dump = env.dump();
    env.xaas("import list.csv").ok();
    assert_eq!(env.dump(), dump);
}

#[test]
fn list_aggregates_customers_and_says_when_it_stops() {
    let env = Env::new();
    env.import_examples();
    let v = env
        .xaas("list --limit 3 --json")
        .ok()
        .stderr_is("3 of 15 shown; use --limit/--offset for more\n")
        .json();
    // Most urgent first: the longest-expired open service leads. C0008's
    // (expired 2026-05-07) lapsed after the 30 grace days: no longer open.
    assert_eq!(v[0]["customer_id"], "C0001");
    assert_eq!(v[0]["worst_window"], "expired");
    assert_eq!(v[0]["nearest_expiry"], "2026-11-13");
    let all = env.xaas("list --limit 0 --json").ok().json();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 15);
    let c1 = all.iter().find(|c| c["customer_id"] == "C0001").unwrap();
    assert_eq!(
        (
            c1["services"].as_u64(),
            c1["amount"].as_f64(),
            c1["open"].as_u64()
        ),
        (Some(4), Some(224000.0), Some(4))
    );
    assert_eq!(c1["nearest_expiry"], "2026-11-13");
    let page2 = env.xaas("list --limit 3 --offset 3 --json").ok().json();
    assert_eq!(page2[0]["customer_id"], all[3]["customer_id"]);
    let by_amount = env.xaas("list --sort -amount --limit 1 --json").ok().json();
    let max = all
        .iter()
        .map(|c| c["amount"].as_f64().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(by_amount[0]["amount"].as_f64(), Some(max));
}

#[test]
fn show_counts_by_window_status_and_type() {
    let env = Env::new();
    env.import_examples();
    let v = env.xaas("show C0001 --json").ok().json();
    assert_eq!(v["counts"]["by_window"]["expired"], 2);
    assert_eq!(v["counts"]["by_window"]["within_30"], 1);
    assert_eq!(v["counts"]["by_status"]["pending"], 4);
    assert_eq!(v["counts"]["by_type"]["subscription"], 2);
    assert_eq!(v["services"].as_array().unwrap().len(), 4);
    env.xaas_with(&[("COLUMNS", "100")], "show 华宇 --format table --lang zh")
        .ok()
        .stdout_starts_with("C0001  华宇科技有限公司")
        .stdout_has("服务到期统计: 已过期 2 · 30天内过期 1")
        .stdout_has("订阅服务 (2)");
}

#[test]
fn unknown_and_ambiguous_customers_are_errors() {
    let env = Env::new();
    env.import_examples();
    env.xaas("show C9999")
        .fails(1)
        .stderr_has("no customer `C9999`");
    env.xaas("show 有限公司")
        .fails(1)
        .stderr_has("matches more than one customer")
        .stderr_has("C0001  华宇科技有限公司");
}

#[test]
fn a_missing_database_is_loud() {
    let env = Env::new();
    if env.file_only("a missing SQLite file (a team database exists once `team init` ran)") {
        return;
    }
    for cmd in ["list", "due --within 30", "export", "show C1"] {
        env.xaas(cmd)
            .fails(1)
            .stderr_has("no database at")
            .stderr_has("xaas.db")
            .stdout_empty();
    }
    assert!(
        !env.db.exists(),
        "a read command must not create the database"
    );
}

#[test]
fn global_flags_go_before_or_after_the_subcommand() {
    let env = Env::new();
    env.import_examples();
    let a = env
        .xaas("--format csv --today 2026-12-01 due --within 5")
        .ok()
        .stdout;
    env.xaas("due --within 5 --today 2026-12-01 --format csv")
        .ok()
        .stdout_is(&a);
    assert!(a.lines().count() > 1, "{a}");
    env.xaas("list --format xml")
        .fails(2)
        .stderr_has("tsv")
        .stderr_has("json");
}

#[test]
fn a_bad_sort_key_is_a_usage_error_naming_the_keys() {
    let env = Env::new();
    env.import_examples();
    let before = env.dump();
    env.xaas("list --sort colour")
        .fails(2)
        .stderr_has("cannot sort customers by `colour`")
        .stderr_has("nearest_expiry")
        .stdout_empty();
    env.xaas("list --services --sort=-colour")
        .fails(2)
        .stderr_has("cannot sort services by `colour`")
        .stderr_has("expiry_date");
    env.xaas("export --sort product,colour")
        .fails(2)
        .stderr_has("`colour`");
    // A key of one listing is no key of the other.
    env.xaas("list --sort product").fails(2);
    let ids = env
        .xaas("list --services --sort=-amount,service_id --limit 3")
        .ok()
        .ids();
    let expected: Vec<String> = env
        .sql("SELECT service_id FROM services ORDER BY amount DESC, service_id LIMIT 3")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(env.dump(), before);
}

#[test]
fn tables_fit_80_columns_without_breaking_ids_dates_or_amounts() {
    let env = Env::new();
    env.import_examples();
    for cmd in [
        "show C0009 --format table",
        "list --limit 5 --format table",
        "due --within 20 --format table",
        "list --services --limit 10 --format table --lang zh",
    ] {
        let out = env.xaas_with(&[("COLUMNS", "80")], cmd).ok().stdout;
        for line in out.lines() {
            let w = unicode_width::UnicodeWidthStr::width(line);
            assert!(w <= 80, "{cmd}: {w} columns: {line:?}");
            assert_eq!(line, line.trim_end(), "{cmd}: trailing spaces");
        }
        // Every expiry date and amount of the rows is whole on its line.
        let tsv = env
            .xaas(&cmd.replace("--format table", "--format tsv"))
            .ok()
            .stdout;
        let mut lines = tsv.lines();
        let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
        for row in lines {
            let cells: Vec<&str> = row.split('\t').collect();
            for key in [
                "expiry_date",
                "到期时间",
                "nearest_expiry",
                "service_id",
                "服务ID",
            ] {
                if let Some(i) = header.iter().position(|h| *h == key) {
                    assert!(out.contains(cells[i]), "{cmd}: `{}` broken", cells[i]);
                }
            }
        }
    }
    // Health (no usage here: unknown) before accounts, which gives way.
    let show = env
        .xaas_with(&[("COLUMNS", "80")], "show C0009 --format table")
        .ok()
        .stderr_has("note: accounts left out to fit 80 columns")
        .stdout;
    assert!(
        show.contains("S00039  EDR订阅 2026-11-25 2    within_30 pending normal 48000.00 unknown"),
        "{show}"
    );
    env.xaas_with(&[("COLUMNS", "100")], "show C0009 --format table")
        .ok()
        .stderr_empty()
        .stdout_has("48000.00 unknown 181");
}

#[test]
fn a_page_past_the_first_says_which_rows_of_how_many() {
    let env = Env::new();
    env.import_examples();
    // 15 customers, 50 services in the examples.
    env.xaas("list --offset 100 --limit 5")
        .ok()
        .stdout_empty()
        .stderr_is("0 of 15 shown (--offset 100 is past the end)\n");
    env.xaas("list --offset 100 --limit 5 --sort tier")
        .ok()
        .stderr_is("0 of 15 shown (--offset 100 is past the end)\n");
    env.xaas("list --offset 10 --limit 5")
        .ok()
        .stderr_is("5 of 15 shown (11–15)\n");
    env.xaas("list --offset 5 --limit 5")
        .ok()
        .stderr_is("5 of 15 shown (6–10); use --limit/--offset for more\n");
    env.xaas("list --offset 14 --limit 0")
        .ok()
        .stderr_is("1 of 15 shown (15)\n");
    env.xaas("list --services --offset 45 --limit 10")
        .ok()
        .stderr_is("5 of 50 shown (46–50)\n");
    env.xaas("list --services --offset 50")
        .ok()
        .stderr_is("0 of 50 shown (--offset 50 is past the end)\n");
    // Nothing matched: nothing to say.
    env.xaas("list --offset 3 --tier C --region 西北")
        .ok()
        .stderr_empty();
}

#[test]
fn export_to_a_missing_folder_names_the_folder() {
    let env = Env::new();
    env.import_examples();
    env.xaas("export -o nodir/list.csv")
        .fails(1)
        .stderr_has("there is no folder `nodir`")
        .stderr_lacks(".tmp");
    env.xaas("import nofile.csv")
        .fails(1)
        .stderr_is("error: cannot open `nofile.csv`: No such file or directory (os error 2)\n");
}

/// A service list of `n` services of `n / 2` customers.
pub fn many_services(n: usize) -> String {
    let mut csv = String::from(
        "customer_id,customer_name,csm,tier,service_id,service_type,product,expiry_date,amount\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "C{:05},客户{:05}有限公司,张伟,KA,S{i:06},subscription,云WAF,2026-12-{:02},12000\n",
            i / 2,
            i / 2,
            1 + i % 28
        ));
    }
    csv
}

#[test]
fn a_pipe_closed_early_ends_any_output_quietly() {
    use std::io::Read;
    let env = Env::new();
    env.file("many.csv", many_services(3000));
    env.xaas("import many.csv").ok();
    for args in [
        &["export", "--json"][..],
        &["export"],
        &["list", "--services", "--limit", "0", "--json"],
        &["due", "--within", "60", "--format", "csv"],
        &["due", "--within", "60", "--json"],
    ] {
        let mut child = env
            .std_cmd()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is closed here, as `| head -c 16` does.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn export_to_a_file_keeps_its_permissions_and_a_new_one_is_readable() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_examples();
    let mode = |name: &str| {
        std::fs::metadata(env.dir.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    env.xaas("export -o new.csv")
        .ok()
        .stderr_has("wrote 50 services to `new.csv`");
    // 0666 less the umask (files.rs sets one and checks it).
    assert_eq!(mode("new.csv") & 0o600, 0o600);
    let old = env.file("old.csv", "x");
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
    env.xaas("export -o old.csv").ok();
    assert_eq!(mode("old.csv"), 0o640);
    assert!(std::fs::read(&old)
        .unwrap()
        .starts_with(b"\xEF\xBB\xBFcustomer_id,"));
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o444)).unwrap();
    env.xaas("export -o old.csv")
        .fails(1)
        .stderr_has("`old.csv`")
        .stderr_has("read-only");
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("xaas-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    env.xaas("export --help").ok().stdout_has("writes CSV]");
}

#[test]
fn every_csv_and_tsv_output_guards_formulas_and_import_takes_them_back() {
    let env = Env::new();
    env.file(
        "f.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date,product\n\
         C1,'=HYPERLINK(\"http://x\"),S1,basic,2026-12-01,-inf\n\
         C2,+8613800000000,S2,basic,2026-12-02,@SUM(A1)\n",
    );
    env.xaas("import f.csv").ok();
    assert_eq!(
        env.one("SELECT customer_name FROM customers WHERE customer_id = 'C1'"),
        "=HYPERLINK(\"http://x\")"
    );
    let csv = env.xaas("export --csv").ok().stdout;
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains(",'-inf,"), "{csv}");
    assert!(csv.contains(",'@SUM(A1),"), "{csv}");
    // A plain number is no formula: a phone number stays as it is.
    assert!(csv.contains(",+8613800000000,"), "{csv}");
    assert!(!csv.starts_with('\u{feff}'), "no BOM into a pipe");
    let tsv = env.xaas("list --services").ok().stdout;
    assert!(tsv.contains("\t'-inf\t"), "{tsv}");
    let due = env.xaas("due --within 30 --format tsv").ok().stdout;
    assert!(due.contains("'=HYPERLINK"), "{due}");
    // What export wrote imports back unchanged.
    let before = env.dump();
    env.file("back.csv", &csv);
    env.xaas("import back.csv").ok();
    assert_eq!(env.dump(), before);
}

/// Chinese headers wrap every two characters on a narrow terminal, as
/// English ones wrap at their words: at 80 columns `due --lang zh` keeps
/// the amount (a header as wide as `续费跟进状态` no longer squeezes it out).
#[test]
fn chinese_headers_wrap_so_the_amount_stays_at_80_columns() {
    let env = Env::new();
    env.import_examples();
    let r = env
        .xaas_with(
            &[("COLUMNS", "80")],
            "due --within 90 --lang zh --format table",
        )
        .ok()
        .stderr_lacks("金额")
        .stdout_has("49000.00")
        .stdout_has("剩余");
    assert!(
        r.stdout
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80),
        "{}",
        r.stdout
    );
}
