use super::*;

const HEAD: &str =
    "customer_id,customer_name,service_id,service_type,expiry_date,amount,start_date";

fn csv(rows: &[&str]) -> String {
    let mut s = String::from(HEAD);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

#[test]
fn imports_the_examples_and_counts() {
    let env = Env::new();
    env.import_examples()
        .stderr_has("customers: 15 new, 0 updated, 0 unchanged")
        .stderr_has("services:  50 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 0 unchanged, 0 rejected")
        // Data goes to stdout, messages to stderr.
        .stdout_empty();
    assert_eq!(env.one("SELECT count(*) FROM services"), "50");
    assert_eq!(
        env.sql("SELECT customer_name, csm FROM customers WHERE customer_id='C0011'"),
        [["\"蓝天\"电子, 有限公司", "杨磊"]]
    );
}

#[test]
fn every_date_and_amount_format_is_read() {
    let env = Env::new();
    env.file(
        "formats.csv",
        csv(&[
            "C1,甲,S1,subscription,2026-11-23,12000,2025/11/24",
            "C1,甲,S2,XaaS订阅,2026/11/23,\"12,000.00\",",
            "C1,甲,S3,安全托管,2026/1/5,¥12000,",
            "C1,甲,S4,basic,2026年11月23日,￥6800.5,",
        ]),
    );
    env.xaas("import formats.csv").ok();
    assert_eq!(
        env.sql("SELECT service_id, service_type, expiry_date, amount, start_date FROM services ORDER BY 1"),
        [
            ["S1", "subscription", "2026-11-23", "1200000", "2025-11-24"],
            ["S2", "subscription", "2026-11-23", "1200000", "∅"],
            ["S3", "managed", "2026-01-05", "1200000", "∅"],
            ["S4", "basic", "2026-11-23", "680050", "∅"],
        ]
    );
}

/// The examples with Chinese headers and values, CRLF, encoded as GBK.
fn examples_as_gbk() -> Vec<u8> {
    let text = std::fs::read_to_string(examples()).unwrap();
    let zh_header = "客户ID,客户名称,行业,区域,规模,客户等级,归属部门,总代业绩类型,客户经营接口人,销售,销售联系方式,服务ID,服务类型,产品名称,开始时间,到期时间,金额,开通账号数,运行状态";
    let mut lines = vec![zh_header.to_string()];
    for line in text.lines().skip(1) {
        lines.push(
            line.replace(",subscription,", ",XaaS订阅,")
                .replace(",managed,", ",安全托管,")
                .replace(",basic,", ",基础维保,")
                .replace(",normal", ",正常")
                .replace(",abnormal", ",异常"),
        );
    }
    let crlf = lines.join("\r\n") + "\r\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(&crlf);
    assert!(!bad);
    bytes.into_owned()
}

#[test]
fn gbk_crlf_with_chinese_headers_gives_the_same_rows() {
    let en = Env::new();
    en.import_examples();
    let zh = Env::new();
    zh.file("zh.csv", examples_as_gbk());
    zh.on(BOOK_START)
        .xaas("import zh.csv")
        .ok()
        .stderr_has("(GBK,");
    assert_eq!(zh.dump(), en.dump());
    // And the GBK file over the English import changes nothing.
    en.file("zh.csv", examples_as_gbk());
    en.xaas("import zh.csv").ok().stderr_has("50 unchanged");
}

#[test]
fn utf8_bom_tsv_and_stdin() {
    let env = Env::new();
    let body = csv(&["C1,甲,S1,basic,2026-12-01,1,"]);
    env.file("bom.csv", format!("\u{feff}{body}"));
    env.xaas("import bom.csv").ok();
    assert_eq!(env.one("SELECT customer_id FROM customers"), "C1");

    let tsv = body.replace(',', "\t").replace("S1", "S2");
    env.file("list.tsv", &tsv);
    env.xaas("import list.tsv").ok();
    env.file("list.txt", tsv.replace("S2", "S3"));
    env.xaas("import list.txt").ok();
    env.xaas_in("import -", body.replace("S1", "S4").as_bytes())
        .ok();
    assert_eq!(
        env.one("SELECT string_agg(service_id, ',' ORDER BY service_id) FROM services"),
        "S1,S2,S3,S4"
    );
}

#[test]
fn each_kind_of_bad_row_fails_the_whole_import_and_leaves_the_file_alone() {
    let env = Env::new();
    env.import_examples();
    let before = env.db_bytes();
    let dump = env.dump();
    let cases = [
        (
            "C1,甲,S1,basic,2026-02-30,1,",
            "line 2, column expiry_date, value `2026-02-30`",
        ),
        (
            "C1,甲,S1,hardware,2026-02-01,1,",
            "line 2, column service_type, value `hardware`",
        ),
        (
            "C1,甲,S1,basic,2026-02-01,12.345,",
            "line 2, column amount, value `12.345`",
        ),
        ("C1,甲,S1,basic,2026-02-01,-3,", "amount `-3` is negative"),
        (
            "C1,,S1,basic,2026-02-01,1,",
            "line 2, column customer_name: customer_name is required",
        ),
        (
            "C1,甲,S1,basic,2026-02-01,1,2026-03-01",
            "starts after it expires",
        ),
        ("C1,甲,S1,basic", "has 4 cells, the header has 7"),
    ];
    for (row, expect) in cases {
        env.file("bad.csv", csv(&["C9,乙,S9,basic,2026-12-01,1,", row]));
        let r = env
            .xaas("import bad.csv")
            .fails(1)
            .stderr_has("nothing was written");
        let msg = r.stderr.replace("line 3", "line 2");
        assert!(msg.contains(expect), "{row}: {}", r.stderr);
        assert_eq!(env.dump(), dump, "{row}");
    }
    // A valid row, then its duplicate.
    env.file(
        "dup.csv",
        csv(&[
            "C1,甲,S00001,basic,2027-02-01,1,",
            "C1,甲,S00001,basic,2027-03-01,1,",
        ]),
    );
    env.xaas("import dup.csv")
        .fails(1)
        .stderr_has("line 3, column service_id, value `S00001`: duplicate service_id");
    env.file("ren.csv", "customer_id,customer_name,service_id,service_type,expiry_date,renewal_of\nC1,甲,S7,basic,2027-01-01,NOPE\n");
    env.xaas("import ren.csv")
        .fails(1)
        .stderr_has("column renewal_of, value `NOPE`: names no service");
    assert_eq!(env.dump(), dump);
    assert_eq!(
        env.db_bytes(),
        before,
        "the database file is byte-for-byte unchanged"
    );
}

#[test]
fn a_duplicate_in_a_fresh_database_is_caught_too() {
    let env = Env::new();
    env.file(
        "dup.csv",
        csv(&[
            "C1,甲,S2,basic,2027-02-01,1,",
            "C2,乙,S1,basic,2027-02-01,1,",
            "C3,丙,S2,basic,2027-03-01,1,",
        ]),
    );
    env.xaas("import dup.csv")
        .fails(1)
        .stderr_has("line 4, column service_id, value `S2`: duplicate");
    assert_eq!(env.one("SELECT count(*) FROM services"), "0");
}

#[test]
fn missing_required_columns_are_named_before_any_row() {
    let env = Env::new();
    env.file("h.csv", "客户ID,客户名称,服务ID\nC1,甲,S1\n");
    env.xaas("import h.csv")
        .fails(1)
        .stderr_has("missing required columns: service_type (服务类型), expiry_date (到期时间)");
}

#[test]
fn unknown_columns_are_reported_once_and_ignored() {
    let env = Env::new();
    env.file("u.csv", "customer_id,customer_name,service_id,service_type,expiry_date,colour\nC1,甲,S1,basic,2027-01-01,red\nC1,甲,S2,basic,2027-01-01,blue\n");
    let r = env.xaas("import u.csv").ok();
    assert_eq!(r.stderr.matches("colour").count(), 1, "{}", r.stderr);
    assert_eq!(env.one("SELECT count(*) FROM services"), "2");
}

#[test]
fn skip_invalid_writes_the_good_rows_and_saves_the_rejects() {
    let env = Env::new();
    env.file(
        "mixed.csv",
        csv(&[
            "C1,甲,S1,basic,2027-01-01,1,",
            "C1,甲,S2,basic,not-a-date,1,",
            "C2,乙,S3,managed,2027-01-01,x,",
            "C2,乙,S4,managed,2027-01-01,5,",
        ]),
    );
    env.xaas("import mixed.csv --skip-invalid --rejects rejects.csv")
        .ok()
        .stderr_has("2 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 0 unchanged, 2 rejected");
    assert_eq!(
        env.one("SELECT string_agg(service_id, ',' ORDER BY service_id) FROM services"),
        "S1,S4"
    );
    let saved = std::fs::read_to_string(env.dir.path().join("rejects.csv")).unwrap();
    let mut lines = saved.lines();
    assert_eq!(
        lines.next(),
        Some(format!("\u{feff}{HEAD},reason").as_str())
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("C1,甲,S2,basic,not-a-date,1,,\"line 3, column expiry_date"));
    assert!(lines
        .next()
        .unwrap()
        .starts_with("C2,乙,S3,managed,2027-01-01,x,,\"line 4, column amount"));
    assert_eq!(lines.next(), None);
    // Fixed, the rejects import like any service list.
    env.file(
        "fixed.csv",
        saved
            .replace("not-a-date", "2027-01-01")
            .replace(",x,", ",7,"),
    );
    env.xaas("import fixed.csv").ok();
    assert_eq!(env.one("SELECT count(*) FROM services"), "4");
}

#[test]
fn rejects_keep_rows_of_any_width_with_the_reason_in_its_column() {
    let env = Env::new();
    env.file(
        "ragged.csv",
        csv(&[
            "C1,甲,S1,basic,2027-01-01,1,",
            "C1,甲,S2",
            "C2,乙,S3,managed,2027-01-01,5,,extra",
        ]),
    );
    env.xaas("import ragged.csv --skip-invalid --rejects r.csv")
        .ok()
        .stderr_has("2 rejected");
    let saved = std::fs::read_to_string(env.dir.path().join("r.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(saved.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2, "{saved}");
    // The short row is padded: its reason is under `reason`.
    let width = HEAD.split(',').count();
    assert_eq!(rows[0].len(), width + 1);
    assert_eq!(&rows[0][2], "S2");
    assert!(rows[0][width].starts_with("line 3"), "{saved}");
    assert!(rows[1].iter().any(|c| c == "extra"), "{saved}");
    assert_eq!(env.one("SELECT count(*) FROM services"), "1");
}

#[test]
fn dry_run_writes_nothing() {
    let env = Env::new();
    env.import_examples();
    let dump = env.dump();
    env.file("n.csv", csv(&["C1,甲,S1,basic,2027-01-01,1,"]));
    env.xaas("import n.csv --dry-run")
        .ok()
        .stderr_has("dry run: nothing was written")
        .stderr_has("1 new");
    assert_eq!(env.dump(), dump);
}

#[test]
fn re_import_is_a_no_op() {
    let env = Env::new();
    env.import_examples();
    let dump = env.dump();
    env.import_examples()
        .stderr_has("customers: 0 new, 0 updated, 15 unchanged")
        .stderr_has("0 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 50 unchanged")
        .stderr_lacks("absent");
    assert_eq!(env.dump(), dump);
}

#[test]
fn a_later_expiry_is_a_renewal_and_an_earlier_one_a_correction() {
    let env = Env::new();
    env.file(
        "a.csv",
        csv(&[
            "C1,甲,S1,basic,2026-12-01,10000,2025-12-02",
            "C1,甲,S2,basic,2026-12-10,500,",
        ]),
    );
    env.xaas("import a.csv").ok();
    env.file(
        "b.csv",
        csv(&[
            "C1,甲,S1,basic,2027-12-01,12000,2026-12-02",
            "C1,甲,S2,basic,2026-12-05,500,",
        ]),
    );
    env.xaas("import b.csv")
        .ok()
        .stderr_has("0 new, 0 updated, 1 renewed, 1 corrected");
    assert_eq!(
        env.sql("SELECT service_id, start_date, expiry_date, amount, status_before, new_expiry, new_amount, source FROM terms"),
        [["S1", "2025-12-02", "2026-12-01", "1000000", "pending", "2027-12-01", "1200000", "import"]]
    );
    assert_eq!(
        env.sql("SELECT kind, service_id, from_value, to_value, author, source FROM history ORDER BY id"),
        [
            ["renewal", "S1", "2026-12-01", "2027-12-01", "tester", "import"],
            ["expiry_correction", "S2", "2026-12-10", "2026-12-05", "tester", "import"],
        ]
    );
    assert_eq!(
        env.one("SELECT expiry_date || ' ' || amount FROM services WHERE service_id='S1'"),
        "2027-12-01 1200000"
    );
    // History is dated as of --today.
    assert!(env.one("SELECT at FROM history LIMIT 1").starts_with(TODAY));
}

#[test]
fn renewal_of_marks_the_old_service_renewed_for_good() {
    let env = Env::new();
    env.file("a.csv", csv(&["C1,甲,S1,basic,2026-12-01,10000,"]));
    env.xaas("import a.csv").ok();
    env.file(
        "b.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date,amount,renewal_of\nC1,甲,S2,basic,2027-12-01,15000,S1\n",
    );
    env.xaas("import b.csv")
        .ok()
        .stderr_has("1 new, 0 updated, 1 renewed");
    assert_eq!(
        env.one("SELECT status FROM services WHERE service_id='S1'"),
        "renewed"
    );
    assert_eq!(
        env.sql("SELECT service_id, amount, new_amount, renewed_by FROM terms"),
        [["S1", "1000000", "1500000", "S2"]]
    );
    let dump = env.dump();
    env.xaas("import b.csv")
        .ok()
        .stderr_has("0 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 1 unchanged");
    assert_eq!(env.dump(), dump);
}

#[test]
fn an_empty_cell_clears_and_an_absent_column_keeps() {
    let env = Env::new();
    env.file("a.csv", "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,product\nC1,甲,张伟,KA,S1,basic,2027-01-01,SASE\n");
    env.xaas("import a.csv").ok();
    env.file("b.csv", "customer_id,customer_name,csm,service_id,service_type,expiry_date\nC1,甲,,S1,basic,2027-01-01\n");
    env.xaas("import b.csv").ok();
    assert_eq!(env.sql("SELECT csm, tier FROM customers"), [["∅", "KA"]]);
    assert_eq!(env.one("SELECT product FROM services"), "SASE");
}

#[test]
fn differing_customer_attributes_warn_and_the_last_row_wins() {
    let env = Env::new();
    env.file("a.csv", "customer_id,customer_name,tier,service_id,service_type,expiry_date\nC1,甲,A,S1,basic,2027-01-01\nC1,甲,B,S2,basic,2027-01-01\n");
    env.xaas("import a.csv")
        .ok()
        .stderr_has("warning: line 3: customer C1 has other attributes");
    assert_eq!(env.one("SELECT tier FROM customers"), "B");
}

#[test]
fn the_formula_guard_is_stripped_on_import() {
    let env = Env::new();
    env.file("g.csv", csv(&["C1,'=HYPERLINK(1),S1,basic,2027-01-01,1,"]));
    env.xaas("import g.csv").ok();
    assert_eq!(
        env.one("SELECT customer_name FROM customers"),
        "=HYPERLINK(1)"
    );
}

#[cfg(unix)]
#[test]
fn the_database_is_private_and_its_folder_made() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    if env.file_only("the SQLite file's mode and folder") {
        return;
    }
    let nested = env.dir.path().join("a/b/xaas.db");
    let f = env.file("a.csv", csv(&["C1,甲,S1,basic,2027-01-01,1,"]));
    env.run(&["--db", nested.to_str().unwrap(), "import", &f])
        .ok();
    let mode = std::fs::metadata(&nested).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn the_default_database_lives_in_the_data_dir() {
    let env = Env::new();
    if env.file_only("with no XAAS_DB the database is the default file") {
        return;
    }
    let f = env.file("a.csv", csv(&["C1,甲,S1,basic,2027-01-01,1,"]));
    env.cmd()
        .env_remove("XAAS_DB")
        .args(["import", &f])
        .assert()
        .success();
    assert!(env.dir.path().join(".local/share/xaas/xaas.db").exists());
}

#[test]
fn two_imports_started_together_both_land() {
    let env = Env::new();
    // 300 services of one customer: CA's are SA0000…SA0299.
    let rows = |id: &str, name: &str| -> String {
        let rows: Vec<String> = (0..300)
            .map(|i| format!("{id},{name},S{}{i:04},basic,2027-01-01,1,", &id[1..]))
            .collect();
        csv(&rows.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let a = env.file("a.csv", rows("CA", "甲"));
    let b = env.file("b.csv", rows("CB", "乙"));
    let spawn = |f: &str| {
        let mut c = env.std_cmd();
        c.args(["import", f])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (pa, pb) = (spawn(&a), spawn(&b));
    assert!(pa.wait_with_output().unwrap().status.success());
    assert!(pb.wait_with_output().unwrap().status.success());
    assert_eq!(env.one("SELECT count(*) FROM services"), "600");
}

#[test]
fn a_newer_schema_is_refused() {
    let env = Env::new();
    if env.file_only("sets the schema version in the SQLite file (user_version)") {
        return;
    }
    env.import_examples();
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    env.import_examples_raw()
        .fails(1)
        .stderr_has("schema version 99")
        .stderr_has("upgrade xaas");
}

#[test]
fn hostile_files_give_clear_errors_not_panics() {
    let env = Env::new();
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..100_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("random.bin", noise, 1, "error:"),
        ("empty.csv", Vec::new(), 1, "is empty"),
        ("header.csv", format!("{HEAD}\n").into_bytes(), 0, "0 rows"),
        (
            "huge.csv",
            vec![b'x'; 10 * 1024 * 1024],
            1,
            "missing required columns",
        ),
        (
            "huge_cell.csv",
            format!(
                "{HEAD}\nC1,{},S1,basic,2027-01-01,1,\n",
                "名".repeat(3_500_000)
            )
            .into_bytes(),
            0,
            "1 new",
        ),
        ("utf16.csv", vec![0xFF, 0xFE, b'a', 0], 1, "UTF-16"),
    ];
    for (name, bytes, code, expect) in cases {
        env.file(name, bytes);
        let r = env
            .run(&["import", name])
            .fails(code)
            .stderr_has(expect)
            .stderr_lacks("panicked");
        assert!(r.stderr.len() < 2000, "{name}: the message echoes too much");
    }
}

#[test]
fn a_missing_file_is_named() {
    let env = Env::new();
    env.xaas("import no/such.csv")
        .fails(1)
        .stderr_has("cannot open `no/such.csv`");
}

#[test]
fn a_first_import_leaves_the_database_in_wal_mode() {
    let env = Env::new();
    if env.file_only("SQLite's journal mode") {
        return;
    }
    env.import_examples();
    assert_eq!(env.one("PRAGMA journal_mode"), "wal");
    // A failed first import rolls back through the rollback journal.
    let env = Env::new();
    env.file(
        "bad.csv",
        "customer_id,customer_name,service_id,service_type,expiry_date\nC1,a,S1,basic,2027-01-01\nC1,a,S2,basic,never\n",
    );
    env.xaas("import bad.csv").fails(1);
    assert_eq!(env.one("SELECT count(*) FROM services"), "0");
    assert_eq!(env.one("PRAGMA journal_mode"), "wal");
}

#[test]
fn every_guarded_value_round_trips_through_export_and_import() {
    let env = Env::new();
    env.file(
        "g.csv",
        format!(
            "{HEAD},product\n\
             C1,''quoted,S1,basic,2027-01-01,1,,'\tTab\n\
             C2,\"'\rCR\",S2,basic,2027-01-01,1,,'=SUM(A1)\n\
             C3,'plain,S3,basic,2027-01-01,1,,'@x\n"
        ),
    );
    env.xaas("import g.csv").ok();
    assert_eq!(
        env.sql("SELECT customer_name, product FROM customers JOIN services USING (customer_id) ORDER BY 1"),
        [["\rCR", "=SUM(A1)"], ["'plain", "@x"], ["'quoted", "\tTab"]]
    );
    let dump = env.dump();
    let exported = env.xaas("export").ok().stdout;
    env.xaas_in("import -", exported.as_bytes())
        .ok()
        .stderr_has("3 unchanged");
    assert_eq!(env.dump(), dump);
}

#[test]
fn line_numbers_are_the_files_lines_crlf_lf_or_cr() {
    // Line 3 is bad; the name on line 4 spans lines 4 and 5 (quoted); line
    // 6 is blank; line 7 is bad.
    let lines = [
        HEAD,
        "C1,甲,S1,basic,2027-01-01,1,",
        "C1,甲,S2,basic,not-a-date,1,",
        "C2,\"乙",
        "公司\",S3,basic,2027-01-01,1,",
        "",
        "C3,丙,S4,basic,2027-01-01,x,",
    ];
    for eol in ["\r\n", "\n", "\r"] {
        let env = Env::new();
        env.file("l.csv", lines.join(eol) + eol);
        env.xaas("import l.csv")
            .fails(1)
            .stderr_has("line 3, column expiry_date, value `not-a-date`")
            .stderr_has("line 7, column amount, value `x`");
        env.xaas("import l.csv --skip-invalid --rejects r.csv")
            .ok()
            .stderr_has(
                "2 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 0 unchanged, 2 rejected",
            );
        let saved = std::fs::read_to_string(env.dir.path().join("r.csv")).unwrap();
        let rows: Vec<&str> = saved.lines().collect();
        assert_eq!(rows.len(), 3, "{eol:?}: {saved}");
        assert_eq!(
            rows[0],
            format!("\u{feff}{HEAD},reason"),
            "{eol:?}: a BOM for Excel"
        );
        assert!(
            rows[1].starts_with("C1,甲,S2,basic,not-a-date,1,,\"line 3, column expiry_date"),
            "{eol:?}: {saved}"
        );
        assert!(
            rows[2].starts_with("C3,丙,S4,basic,2027-01-01,x,,\"line 7, column amount"),
            "{eol:?}: {saved}"
        );
        if eol != "\r" {
            // The cell spanning two lines is stored as written.
            assert_eq!(
                env.one("SELECT customer_name FROM customers WHERE customer_id = 'C2'"),
                format!("乙{eol}公司")
            );
        }
    }
}

#[test]
fn rows_of_empty_cells_are_skipped_like_blank_lines() {
    let env = Env::new();
    let rows = [
        HEAD,
        "C1,甲,S1,basic,2027-01-01,1,",
        ",,,,,,",
        " , ,\t,,  ,,",
        "C1,甲,S2,basic,2027-01-01,1,",
        "\u{3000},,,,,,",
        ",,,,,,",
        ",,,,,,",
    ];
    env.file("e.csv", rows.join("\r\n") + "\r\n");
    env.xaas("import e.csv")
        .ok()
        .stderr_has(": 2 rows")
        .stderr_has(
            "services:  2 new, 0 updated, 0 renewed, 0 corrected, 0 stale, 0 unchanged, 0 rejected",
        );
    assert_eq!(env.one("SELECT count(*) FROM services"), "2");
    // A bad row after them still names its own line.
    env.file(
        "f.csv",
        rows.join("\n") + "\nC2,乙,S3,basic,someday,1,\n,,,,,,\n",
    );
    env.xaas("import f.csv")
        .fails(1)
        .stderr_has("1 bad row in")
        .stderr_has("line 9, column expiry_date, value `someday`");
}

#[test]
fn a_damaged_workbook_is_refused_with_a_way_out() {
    let env = Env::new();
    let zip: &[u8] =
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xeeh^\x01\x00\x00[Content_Types].xml";
    let ole: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00\x00\x00\x00\x00";
    let text = csv(&["C1,甲,S1,basic,2027-01-01,1,"]);
    let cases: [(&str, &[u8]); 7] = [
        ("list.xlsx", zip),
        ("list.XLSX", text.as_bytes()),
        ("old.xls", ole),
        ("sheet.ods", zip),
        ("saved-as-csv-by-name.csv", zip),
        ("noext", ole),
        ("pk.csv", b"PK\x03\x04customer_id,customer_name\n"),
    ];
    for (name, bytes) in cases {
        env.file(name, bytes);
        env.run(&["import", name])
            .fails(1)
            .stderr_has(&format!("`{name}` cannot be read as a workbook"))
            .stderr_has("save it again as .xlsx")
            .stderr_lacks("missing required")
            .stderr_lacks("NUL");
    }
    env.xaas_in("import -", zip)
        .fails(1)
        .stderr_has("`<stdin>` cannot be read as a workbook");
    assert!((!env.is_pg() && !env.db.exists()) || env.one("SELECT count(*) FROM services") == "0");
}

#[test]
fn the_summary_names_the_corrected_and_the_absent_services() {
    let env = Env::new();
    let ids: Vec<String> = (1..=25).map(|i| format!("S{i:02}")).collect();
    let rows: Vec<String> = ids
        .iter()
        .map(|id| format!("C1,甲,{id},basic,2027-01-01,1,"))
        .collect();
    env.file(
        "a.csv",
        csv(&rows.iter().map(String::as_str).collect::<Vec<_>>()),
    );
    // Nothing was in the database: nothing is absent.
    env.xaas("import a.csv")
        .ok()
        .stderr_lacks("absent")
        .stderr_lacks("corrected:");
    env.file(
        "b.csv",
        csv(&[
            "C1,甲,S01,basic,2026-12-01,1,",
            "C1,甲,S02,basic,2027-01-01,1,",
            "C1,甲,S03,basic,2027-01-01,bad,",
            "C1,甲,S05,basic,2026-12-31,1,",
            "C1,甲,S99,basic,2027-01-01,1,",
        ]),
    );
    let dump = env.dump();
    // S03 is on a bad line of the file: not absent. S04, S06…S25 are.
    let absent = "  absent:    21 (in the database, not in this file; left alone): S04, S06, S07, S08, S09, S10, S11, S12, S13, S14, S15, S16, S17, S18, S19, S20, S21, S22, S23, S24, … and 1 more\n";
    let corrected = "  corrected: 2 (the stored expiry corrected; in the history): S01, S05\n";
    env.xaas("import b.csv --dry-run --skip-invalid")
        .ok()
        .stderr_has(corrected)
        .stderr_has(absent);
    assert_eq!(env.dump(), dump);
    env.xaas("import b.csv --skip-invalid")
        .ok()
        .stderr_has(
            "services:  1 new, 0 updated, 0 renewed, 2 corrected, 0 stale, 1 unchanged, 1 rejected",
        )
        .stderr_has(corrected)
        .stderr_has(absent);
    // Absent services are never deleted.
    assert_eq!(env.one("SELECT count(*) FROM services"), "26");
    // The first file again: only the service the second one added.
    env.xaas("import a.csv")
        .ok()
        .stderr_has("  absent:    1 (in the database, not in this file; left alone): S99\n");
}

/// Issue #11, item 4 (rule 5): a reassignment or an account drop has a
/// date; a first import writes no such entry.
#[test]
fn changed_attributes_are_kept_in_the_history() {
    let env = Env::new();
    env.import_examples();
    assert_eq!(
        env.one("SELECT count(*) FROM history"),
        "0",
        "a first import writes none"
    );
    let list = std::fs::read_to_string(examples())
        .unwrap()
        .replace(
            ",张伟,赵强,13694923749,S00001,subscription,SASE,2026-05-24,2026-11-22,49000.00,119,",
            ",王芳,赵强,13694923749,S00001,subscription,SASE,2026-05-24,2026-11-22,49000.00,80,",
        )
        .replace(",张伟,", ",王芳,")
        .replace(
            "S00016,basic,基础维保,2025-01-07,2027-01-06,50000.00",
            "S00016,basic,基础维保,2025-01-07,2027-01-06,45000.00",
        );
    env.file("again.csv", &list);
    env.on("2026-12-01").xaas("import again.csv").ok();
    let entries = env.sql(
        "SELECT service_id, note, from_value, to_value, source, substr(at, 1, 10) FROM history
         WHERE kind = 'attribute' AND customer_id = 'C0001' ORDER BY id",
    );
    assert_eq!(
        entries,
        [
            ["", "csm", "张伟", "王芳", "import", "2026-12-01"],
            ["S00001", "accounts", "119", "80", "import", "2026-12-01"],
            [
                "S00016",
                "amount",
                "50000.00",
                "45000.00",
                "import",
                "2026-12-01"
            ],
        ]
    );
    let h = env
        .on("2026-12-01")
        .xaas("history C0001 --json")
        .ok()
        .json();
    assert!(h
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "attribute" && e["note"] == "csm"));
    // Every customer of 张伟 was reassigned: one entry each.
    let reassigned =
        env.one("SELECT count(*) FROM history WHERE kind = 'attribute' AND note = 'csm'");
    assert_eq!(
        reassigned,
        env.one("SELECT count(*) FROM customers WHERE csm = '王芳'")
            .parse::<i64>()
            .map(|all| all - 3)
            .unwrap()
            .to_string(),
        "王芳 had 3 customers before"
    );
    // The same list again changes nothing and writes nothing more.
    let before = env.dump();
    env.on("2026-12-02").xaas("import again.csv").ok();
    assert_eq!(env.dump(), before);
}
