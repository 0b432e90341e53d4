//! Input that is wrong never goes in with exit 0 (issue #12): each bad
//! value names its line, column and value, and leaves the database byte
//! for byte as it was.

use super::*;

const HEAD: &str = "customer_id,customer_name,service_id,service_type,expiry_date,amount,accounts";

/// An environment with the examples imported and the log checkpointed
/// into the main file, so that an untouched database keeps its bytes.
fn settled() -> Env {
    let env = Env::new();
    env.import_examples();
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(c);
    env
}

/// Runs `import FILE` on `bytes` and checks that it fails with `expect`
/// on stderr, and that nothing changed.
#[track_caller]
fn refused(env: &Env, bytes: &[u8], expect: &str) {
    let before = std::fs::read(&env.db).unwrap();
    let dump = env.dump();
    env.file("bad.csv", bytes);
    let r = env.xaas("import bad.csv").fails(1);
    assert!(
        r.stderr.contains(expect),
        "expected `{expect}` in:\n{}",
        r.stderr
    );
    assert_eq!(env.dump(), dump);
    assert_eq!(std::fs::read(&env.db).unwrap(), before, "{expect}");
}

fn rows(rows: &[&str]) -> String {
    let mut s = format!("{HEAD}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

#[test]
fn lenient_values_are_bad_rows_naming_line_column_and_value() {
    let env = settled();
    let good = "C9,乙,S9,basic,2026-12-01,1,";
    let cases = [
        ("C1,甲,S1,basic,2026-12-01,\"1,5\",", "line 3, column amount, value `1,5`: `1,5` is not an amount: a comma must separate groups of three digits"),
        ("C1,甲,S1,basic,2026-12-01,\"12,50\",", "line 3, column amount, value `12,50`"),
        ("C1,甲,S1,basic,2026-12-01,\"1,2,3\",", "line 3, column amount, value `1,2,3`"),
        ("C1,甲,S1,basic,2026-12-01,50000000000000000,", "line 3, column amount, value `50000000000000000`: amount `50000000000000000` is above the limit of 1,000,000,000,000 yuan"),
        ("C1,甲,S1,basic,2026-12-01,1000000000000.01,", "line 3, column amount, value `1000000000000.01`"),
        ("C1,甲,S1,basic,2026-06-01 garbage,1,", "line 3, column expiry_date, value `2026-06-01 garbage`"),
        ("C1,甲,S1,basic,2026-06-01 12:30,1,", "line 3, column expiry_date, value `2026-06-01 12:30`"),
        ("C1,甲,S1,basic,1899-12-31,1,", "line 3, column expiry_date, value `1899-12-31`: `1899-12-31` is not a date this tool takes: the year must be between 1900 and 2199"),
        ("C1,甲,S1,basic,2026-12-01,1,\"1,5\"", "line 3, column accounts, value `1,5`"),
        ("C1,甲,\"S1\nS2\",basic,2026-12-01,1,", "line 3, column service_id, value `S1\\nS2`: an id cannot hold a control character"),
        ("\"C\t1\",甲,S1,basic,2026-12-01,1,", "line 3, column customer_id, value `C\\t1`"),
    ];
    for (row, expect) in cases {
        refused(&env, rows(&[good, row]).as_bytes(), expect);
    }
    // The whole cell and the documented forms still read.
    env.file(
        "ok.csv",
        rows(&[
            "C1,甲,S1,basic,2026/12/01 0:00,\"1,000,000,000,000\",\"1,200\"",
            "C2,乙,S2,basic,2026年12月1日,\"￥12,000.50\",12",
        ]),
    );
    env.xaas("import ok.csv").ok();
    assert_eq!(
        env.sql("SELECT service_id, expiry_date, amount, accounts FROM services WHERE service_id IN ('S1','S2') ORDER BY 1"),
        [
            ["S1", "2026-12-01", "100000000000000", "1200"],
            ["S2", "2026-12-01", "1200050", "12"]
        ]
    );
}

/// 1,500 rows: more than the 64 KiB sample that decides the encoding.
fn long_utf8() -> Vec<u8> {
    let mut s = format!("{HEAD}\n");
    for i in 0..1500 {
        s.push_str(&format!(
            "N{i},华宇科技有限公司,T{i},basic,2027-01-01,1000,\n"
        ));
    }
    s.into_bytes()
}

#[test]
fn one_encoding_from_the_first_byte_to_the_last() {
    let env = settled();
    // A stray byte past the sample.
    let mut stray = long_utf8();
    stray.extend_from_slice("X1,华宇".as_bytes());
    stray.push(0xFF);
    stray.extend_from_slice(b",X1,basic,2027-01-01,1000,\n");
    refused(
        &env,
        &stray,
        "line 1502, column customer_name, value `华宇\u{FFFD}`: at byte 6 of the cell, 0xFF is not valid UTF-8",
    );
    // A NUL past the sample.
    let mut nul = long_utf8();
    nul.extend_from_slice(b"X1,a\0b,X1,basic,2027-01-01,1000,\n");
    refused(
        &env,
        &nul,
        "line 1502, column customer_name, value `a\0b`: at byte 1 of the cell, a NUL byte",
    );
    // A GBK row after UTF-8 rows.
    let mut gbk_row = long_utf8();
    gbk_row.extend_from_slice(
        &encoding_rs::GB18030
            .encode("X1,华宇,X1,basic,2027-01-01,1000,\n")
            .0,
    );
    refused(&env, &gbk_row, "line 1502, column customer_name");
    // A UTF-8 row after GBK rows.
    let mut utf8_row = encoding_rs::GB18030
        .encode(&String::from_utf8(long_utf8()).unwrap())
        .0
        .into_owned();
    utf8_row.extend_from_slice("X1,华宇,X1,basic,2027-01-01,1000,\n".as_bytes());
    refused(
        &env,
        &utf8_row,
        "line 1502, column customer_name, value `华宇`: at byte 0 of the cell, this cell is UTF-8 but the file is GBK",
    );
    // One UTF-8 cell in an otherwise GBK row.
    let mut utf8_cell = encoding_rs::GB18030
        .encode(&String::from_utf8(long_utf8()).unwrap())
        .0
        .into_owned();
    utf8_cell.extend_from_slice(&encoding_rs::GB18030.encode("X1,").0);
    utf8_cell.extend_from_slice("测试客户".as_bytes());
    utf8_cell.extend_from_slice(
        &encoding_rs::GB18030
            .encode(",X1,basic,2027-01-01,1000,云WAF\n")
            .0,
    );
    refused(
        &env,
        &utf8_cell,
        "line 1502, column customer_name, value `测试客户`: at byte 0 of the cell, this cell is UTF-8 but the file is GBK",
    );
    // Latin-1: refused as a whole, with the way out.
    let latin1: Vec<u8> = rows(&["X1,Société Générale,X1,basic,2027-01-01,1000,"])
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    refused(&env, &latin1, "is neither UTF-8 nor GBK text");
    // Overlong UTF-8 for `/`.
    let mut overlong = rows(&["X1,华宇,X1,basic,2027-01-01,1000,"]).into_bytes();
    overlong.extend_from_slice(b"X2,a\xC0\xAFb,X2,basic,2027-01-01,1000,\n");
    refused(&env, &overlong, "line 3, column customer_name, value `a\u{FFFD}\u{FFFD}b`: at byte 1 of the cell, 0xC0 is not valid UTF-8");
}

#[test]
fn bad_values_on_the_command_line_are_usage_errors() {
    let env = settled();
    let before = std::fs::read(&env.db).unwrap();
    for (line, expect) in [
        (
            "due --within 30 --today \"2026-03-15 junk\"",
            "`2026-03-15 junk` is not a date",
        ),
        (
            "list --expires-after \"2026-01-01 x\"",
            "`2026-01-01 x` is not a date",
        ),
        (
            "renew S00001 --until 2027-12-01 --amount 92233720368547758.07",
            "is above the limit",
        ),
        (
            "renew S00001 --until 2027-12-01 --amount 1,5",
            "a comma must separate groups of three digits",
        ),
        (
            "renew S00001 --until \"2027-12-01 junk\"",
            "`2027-12-01 junk` is not a date",
        ),
    ] {
        env.xaas(line).fails(2).stderr_has(expect);
    }
    env.xaas_with(&[("XAAS_TODAY", "2026-03-15junk")], "due --within 30")
        .fails(2)
        .stderr_has("XAAS_TODAY: `2026-03-15junk` is not a date");
    // The flag beats the environment, even a bad one.
    env.xaas_with(
        &[("XAAS_TODAY", "2026-03-15 junk")],
        "--today 2026-11-23 list --limit 1",
    )
    .ok();
    // A window past year 9999 lists every open service, not none.
    let all = env.xaas("due --within 400000 --format tsv").ok().ids();
    let huge = env.xaas("due --within 4294967295 --format tsv").ok().ids();
    assert!(!all.is_empty());
    assert_eq!(huge, all);
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
}

#[test]
fn sums_of_large_stored_amounts_do_not_overflow() {
    let env = settled();
    // Amounts written before the bound existed: 2^62 cents each, whose
    // sum overflowed a 64-bit integer into a negative figure.
    let n: i128 = env
        .one("SELECT count(*) FROM services WHERE customer_id = 'C0001'")
        .parse()
        .unwrap();
    env.sql("UPDATE services SET amount = 4611686018427387904 WHERE customer_id = 'C0001'");
    let total = n * 4_611_686_018_427_387_904;
    let yuan = format!("{}.{:02}", total / 100, total % 100);
    let list = env.xaas("list --customer C0001 --format tsv").ok().stdout;
    assert!(list.contains(&format!("\t{yuan}\t")), "{yuan} in {list}");
    assert!(!list.contains("\t-"), "{list}");
    // JSON numbers are doubles: exact to the cent up to 2^53 cents (90
    // trillion yuan), close beyond; never wrapped around.
    let stats = env.xaas("stats --customer C0001 --json").ok().json();
    let amount = stats["services"]["amount"].as_f64().unwrap();
    let exact = total as f64 / 100.0;
    assert!((amount - exact).abs() / exact < 1e-12, "{amount} vs {yuan}");
}

#[test]
fn words_that_look_like_numbers_are_guarded_as_text() {
    let env = Env::new();
    env.file(
        "n.csv",
        rows(&[
            "C1,-inf,S1,basic,2027-01-01,1,",
            "C2,+NaN,S2,basic,2027-01-01,1,",
            "C3,-Infinity,S3,basic,2027-01-01,1,",
            "C4,-12.50,S4,basic,2027-01-01,1,",
        ]),
    );
    env.xaas("import n.csv").ok();
    let dump = env.dump();
    let out = env.xaas("export --csv").ok().stdout;
    for guarded in ["C1,'-inf,", "C2,'+NaN,", "C3,'-Infinity,", "C4,-12.50,"] {
        assert!(out.contains(guarded), "{guarded} in {out}");
    }
    env.xaas_in("import -", out.as_bytes()).ok();
    assert_eq!(env.dump(), dump);
}
