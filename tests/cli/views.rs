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
    let f = env.file("b.csv", csv);
    env.run(&["import", &f]).ok();
}

#[test]
fn due_takes_exactly_the_window_boundaries() {
    let env = Env::new();
    boundaries(&env);
    assert_eq!(
        ids(&env.run(&["due", "--within", "30"]).ok().stdout),
        ["S_0", "S_30"]
    );
    assert_eq!(
        ids(&env.run(&["due", "--within", "30", "--overdue"]).ok().stdout),
        ["S_m1", "S_0", "S_30"]
    );
    assert_eq!(
        ids(&env.run(&["due", "--within", "0"]).ok().stdout),
        ["S_0"]
    );
    assert_eq!(
        ids(&env.run(&["due", "--within", "90"]).ok().stdout),
        ["S_0", "S_30", "S_31", "S_90"]
    );
    let r = env.run(&["due", "--within", "-1"]).fails(2);
    assert!(r.stderr.contains("--within"), "{}", r.stderr);
}

#[test]
fn window_filter_takes_exactly_its_days() {
    let env = Env::new();
    boundaries(&env);
    let list = |w: &str| ids(&env.run(&["list", "--services", "--window", w]).ok().stdout);
    assert_eq!(list("expired"), ["S_m1"]);
    assert_eq!(list("within_30"), ["S_0", "S_30"]);
    assert_eq!(list("within-90"), ["S_31", "S_90"]);
    assert_eq!(list("正常"), ["S_91"]);
    let r = env.run(&["list", "--window", "soon"]).fails(2);
    assert!(r.stderr.contains("within_30 (30天内过期)"), "{}", r.stderr);
}

#[test]
fn status_filter_sees_derived_pending() {
    let env = Env::new();
    boundaries(&env);
    let list = |s: &str| ids(&env.run(&["list", "--services", "--status", s]).ok().stdout);
    assert_eq!(list("pending"), ["S_m1", "S_0", "S_30", "S_31", "S_90"]);
    assert_eq!(list("none"), ["S_91"]);
    assert!(list("at-risk").is_empty());
}

#[test]
fn repeated_filters_or_and_different_filters_and() {
    let env = Env::new();
    boundaries(&env);
    let list = |args: &[&str]| {
        let mut a = vec!["list", "--services"];
        a.extend_from_slice(args);
        ids(&env.run(&a).ok().stdout)
    };
    assert_eq!(list(&["--csm", "张伟"]), ["S_m1", "S_30", "S_90"]);
    assert_eq!(list(&["--csm", "张伟", "--csm", "王芳"]).len(), 6);
    assert_eq!(list(&["--csm", "张伟", "--window", "within_30"]), ["S_30"]);
    assert_eq!(
        list(&[
            "--tier",
            "B",
            "--window",
            "within_30",
            "--window",
            "expired"
        ]),
        ["S_0"]
    );
    assert_eq!(
        list(&[
            "--expires-after",
            "2026-11-23",
            "--expires-before",
            "2026-12-24"
        ]),
        ["S_0", "S_30", "S_31"]
    );
    assert_eq!(list(&["--search", "客户3"]), ["S_31"]);
    let mine = env
        .cmd()
        .env("XAAS_CSM", "王芳")
        .args(["due", "--within", "90", "--mine"])
        .output()
        .unwrap();
    assert_eq!(
        ids(&String::from_utf8(mine.stdout).unwrap()),
        ["S_0", "S_31"]
    );
    let r = env.run(&["due", "--mine"]).fails(2);
    assert!(r.stderr.contains("XAAS_CSM"), "{}", r.stderr);
}

#[test]
fn cron_with_nothing_due_prints_nothing_at_all() {
    let env = Env::new();
    boundaries(&env);
    let r = env
        .run(&["due", "--within", "30", "--region", "nowhere"])
        .ok();
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
    let r = env
        .run(&[
            "due", "--within", "30", "--region", "nowhere", "--format", "table",
        ])
        .ok();
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
    let r = env
        .run(&["due", "--within", "30", "--region", "nowhere", "--csv"])
        .ok();
    assert!(r.stdout.starts_with("customer_id,customer_name,") && r.stdout.lines().count() == 1);
    let r = env
        .run(&["due", "--within", "30", "--region", "nowhere", "--json"])
        .ok();
    assert_eq!(r.stdout.trim(), "[]");
}

#[test]
fn json_and_csv_carry_the_same_rows() {
    let env = Env::new();
    env.import_examples();
    let csv_out = env.run(&["export"]).ok().stdout;
    let json_out = env.run(&["export", "--json"]).ok().stdout;
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
        let first = env.run(&["export", "--lang", lang]).ok().stdout;
        let r = env.run_in(&["import", "-"], first.as_bytes()).ok();
        assert!(r.stderr.contains("50 unchanged"), "{lang}: {}", r.stderr);
        assert_eq!(env.dump(), dump, "{lang}");
        // Into an empty database and out again: the same bytes.
        let other = Env::new();
        other.run_in(&["import", "-"], first.as_bytes()).ok();
        assert_eq!(
            other.run(&["export", "--lang", lang]).ok().stdout,
            first,
            "{lang}"
        );
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
    let out = env.run(&["export", "C0011"]).ok().stdout;
    assert!(
        out.contains("C0011,\"\"\"蓝天\"\"电子, 有限公司\","),
        "{out}"
    );
    let r = env.run(&["show", "蓝天", "--json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["customer"]["customer_name"], "\"蓝天\"电子, 有限公司");
}

#[test]
fn export_to_a_file_has_a_bom_and_guards_formulas() {
    let env = Env::new();
    let f = env.file("g.csv", "customer_id,customer_name,service_id,service_type,expiry_date\nC1,=cmd|' /C calc'!A0,S1,basic,2027-01-01\n");
    env.run(&["import", &f]).ok();
    let out = env.dir.path().join("list.csv");
    let r = env.run(&["export", "-o", out.to_str().unwrap()]).ok();
    assert!(r.stderr.contains("wrote 1 service to"), "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("C1,'=cmd|' /C calc'!A0,,"), "{text}");
    // Stdout has no BOM and no guard unless asked.
    assert!(env.run(&["export"]).ok().stdout.starts_with("customer_id"));
    assert!(env
        .run(&["export", "--bom"])
        .ok()
        .stdout
        .starts_with('\u{feff}'));
    // The guard comes off again on import.
    let dump = env.dump();
    env.run(&["import", out.to_str().unwrap()]).ok();
    assert_eq!(env.dump(), dump);
}

#[test]
fn list_aggregates_customers_and_says_when_it_stops() {
    let env = Env::new();
    env.import_examples();
    let r = env.run(&["list", "--limit", "3", "--json"]).ok();
    assert_eq!(
        r.stderr.trim(),
        "3 of 15 shown; use --limit/--offset for more"
    );
    let v: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    // Most urgent first: the longest-expired open service leads.
    assert_eq!(v[0]["customer_id"], "C0008");
    assert_eq!(v[0]["worst_window"], "expired");
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["list", "--limit", "0", "--json"]).ok().stdout).unwrap();
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
    let page2: Vec<serde_json::Value> = serde_json::from_str(
        &env.run(&["list", "--limit", "3", "--offset", "3", "--json"])
            .ok()
            .stdout,
    )
    .unwrap();
    assert_eq!(page2[0]["customer_id"], all[3]["customer_id"]);
    let by_amount: Vec<serde_json::Value> = serde_json::from_str(
        &env.run(&["list", "--sort", "-amount", "--limit", "1", "--json"])
            .ok()
            .stdout,
    )
    .unwrap();
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
    let v: serde_json::Value =
        serde_json::from_str(&env.run(&["show", "C0001", "--json"]).ok().stdout).unwrap();
    assert_eq!(v["counts"]["by_window"]["expired"], 2);
    assert_eq!(v["counts"]["by_window"]["within_30"], 1);
    assert_eq!(v["counts"]["by_status"]["pending"], 4);
    assert_eq!(v["counts"]["by_type"]["subscription"], 2);
    assert_eq!(v["services"].as_array().unwrap().len(), 4);
    let t = env
        .cmd()
        .env("COLUMNS", "100")
        .args(["show", "华宇", "--format", "table", "--lang", "zh"])
        .output()
        .unwrap();
    let t = String::from_utf8(t.stdout).unwrap();
    assert!(t.starts_with("C0001  华宇科技有限公司"), "{t}");
    assert!(t.contains("服务到期统计: 已过期 2 · 30天内过期 1"), "{t}");
    assert!(t.contains("订阅服务 (2)"), "{t}");
}

#[test]
fn unknown_and_ambiguous_customers_are_errors() {
    let env = Env::new();
    env.import_examples();
    let r = env.run(&["show", "C9999"]).fails(1);
    assert!(r.stderr.contains("no customer `C9999`"), "{}", r.stderr);
    let r = env.run(&["show", "有限公司"]).fails(1);
    assert!(
        r.stderr.contains("matches more than one customer")
            && r.stderr.contains("C0001  华宇科技有限公司"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_database_is_loud() {
    let env = Env::new();
    for cmd in [
        &["list"][..],
        &["due", "--within", "30"],
        &["export"],
        &["show", "C1"],
    ] {
        let r = env.run(cmd).fails(1);
        assert!(
            r.stderr.contains("no database at") && r.stderr.contains("xaas.db"),
            "{cmd:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
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
        .run(&[
            "--format",
            "csv",
            "--today",
            "2026-12-01",
            "due",
            "--within",
            "5",
        ])
        .ok()
        .stdout;
    let b = env
        .run(&[
            "due",
            "--within",
            "5",
            "--today",
            "2026-12-01",
            "--format",
            "csv",
        ])
        .ok()
        .stdout;
    assert_eq!(a, b);
    assert!(a.lines().count() > 1);
    let r = env.run(&["list", "--format", "xml"]).fails(2);
    assert!(
        r.stderr.contains("tsv") && r.stderr.contains("json"),
        "{}",
        r.stderr
    );
}
