//! `usage import`: a usage sheet loaded like a service list (encodings,
//! headers, bad rows, all or nothing, --skip-invalid, --rejects,
//! --dry-run, idempotent per (service, day)), and the indicators of the
//! services it touched refreshed.

use super::*;

const HEAD: &str = "service_id,date,accounts,active_users,key_actions,features_used";

fn sheet(head: &str, rows: &[&str]) -> String {
    let mut s = String::from(head);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

fn usage(rows: &[&str]) -> String {
    sheet(HEAD, rows)
}

/// The usage and indicators tables, rounded: equal dumps, equal data.
fn dump(env: &Env) -> String {
    let mut out = String::new();
    for row in env.sql("SELECT * FROM usage ORDER BY 1, 2") {
        out.push_str(&format!("usage|{}\n", row.join("|")));
    }
    for row in rounded(env.sql(
        "SELECT service_id, day, active_ratio, actions_per_account,
                features_used, active_trend FROM indicators ORDER BY 1",
    )) {
        out.push_str(&format!("indicators|{}\n", row.join("|")));
    }
    out
}

/// The rows with every decimal value rounded to 9 places (as SQLite's
/// `round(x, 9)`; PostgreSQL has no `round` of a double to places).
fn rounded(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| match v.parse::<f64>() {
                    Ok(f) if v.contains('.') => {
                        format!("{f:.9}").parse::<f64>().unwrap().to_string()
                    }
                    _ => v,
                })
                .collect()
        })
        .collect()
}

/// The examples, and the database closed: its file as it stays.
fn book() -> Env {
    let env = Env::new();
    env.import_examples();
    env
}

const ROWS: [&str; 5] = [
    "S00001,2026-07-31,100,30,500,5",
    "S00001,2026-10-31,100,40,800,6",
    "S00016,2026-10-15,,69,276,3",
    "S00031,2026-09-30,50,10,,",
    "S00031,2026-10-31,50,5,100,2",
];

#[test]
fn english_and_chinese_gbk_headers_give_the_same_rows() {
    let en = book();
    en.file("u.csv", usage(&ROWS));
    en.xaas("usage import u.csv")
        .ok()
        .stdout_empty()
        .stderr_has("imported `u.csv` (UTF-8, `,`-separated): 5 rows")
        .stderr_has("usage:    5 new, 0 updated, 0 unchanged, 0 rejected")
        .stderr_has("services: 3 touched");
    // doctor names the last import of a file (a team's doctor reports
    // the server, its schema and the login instead).
    if !en.is_pg() {
        let last = &en.xaas("doctor --json").ok().json()["database"]["last_import"];
        assert_eq!(last["file"]["kind"], "usage");
        assert_eq!(last["file"]["file"], "u.csv");
        assert_eq!(last["file"]["rows"], 5);
    }

    let zh = book();
    let text = sheet(
        "服务ID,日期,开通账号数,活跃用户数,核心功能使用次数,使用功能数",
        &[
            "S00001,2026年7月,100,30,500,5",
            "S00001,2026年10月31日,100,40,800,6",
            "S00016,2026/10/15,,69,276,3",
            "S00031,2026/9,50,10,,",
            "S00031,2026-10,50,5,100,2",
        ],
    )
    .replace('\n', "\r\n");
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    zh.file("zh.csv", bytes);
    zh.xaas("usage import zh.csv").ok().stderr_has("(GBK,");
    assert_eq!(dump(&zh), dump(&en));
    // The GBK file over the English import changes nothing.
    en.file("zh.csv", encoding_rs::GBK.encode(&text).0);
    en.xaas("usage import zh.csv")
        .ok()
        .stderr_has("0 new, 0 updated, 5 unchanged");
}

#[test]
fn tsv_and_stdin() {
    let env = book();
    env.file("u.tsv", usage(&ROWS[..2]).replace(',', "\t"));
    env.xaas("usage import u.tsv")
        .ok()
        .stderr_has("tab-separated");
    env.xaas_in("usage import -", usage(&ROWS[2..]).as_bytes())
        .ok()
        .stderr_has("3 new");
    assert_eq!(env.one("SELECT count(*) FROM usage"), "5");
}

#[test]
fn a_month_means_its_last_day() {
    let env = book();
    env.file(
        "m.csv",
        usage(&[
            "S00001,2026-02,10,1,,",
            "S00001,2026/4,10,1,,",
            "S00001,2026年6月,10,1,,",
            "S00001,2026.9,10,1,,",
            "S00016,2024年2月,10,1,,",
            "S00016,2026-10-05,10,1,,",
        ]),
    );
    env.xaas("usage import m.csv").ok();
    assert_eq!(
        env.one("SELECT string_agg(day, ' ' ORDER BY service_id, day) FROM usage"),
        "2026-02-28 2026-04-30 2026-06-30 2026-09-30 2024-02-29 2026-10-05"
    );
    // The month still running would be dated after today: refused, with why.
    env.file("now.csv", usage(&["S00001,2026-11,10,1,,"]));
    env.xaas("usage import now.csv").fails(1).stderr_has(
        "line 2, column date, value `2026-11`: 2026-11-30 is after today (2026-11-23): usage is of days that have passed; a month means its last day",
    );
}

#[test]
fn each_kind_of_bad_row_fails_the_whole_import_and_leaves_the_file_alone() {
    let cases = [
        ("S99999,2026-10-31,10,1,,", "line 3, column service_id, value `S99999`: names no service"),
        ("S00001,2026-10-31,10,-1,,", "line 3, column active_users, value `-1`: `-1` is negative"),
        ("S00001,2026-10-31,10,1,2.5,", "line 3, column key_actions, value `2.5`: `2.5` is not a whole number"),
        ("S00001,2026-10-31,10,11,,", "line 3, column active_users, value `11`: is more than the row's accounts (10)"),
        ("S00002,2026-10-31,10,1,,", "line 3, column date, value `2026-10-31`: duplicate: service S00002 already has a row for 2026-10-31 on an earlier line"),
        ("S00001,2026-02-30,10,1,,", "line 3, column date, value `2026-02-30`: `2026-02-30` is not a real date"),
        ("S00001,2026-12-01,10,1,,", "line 3, column date, value `2026-12-01`: 2026-12-01 is after today"),
        ("S00001,,10,1,,", "line 3, column date: date is required"),
        ("S00001,2026-10-31,,,,", "line 3, column accounts: no metric"),
        ("S00001,2026-10-31,10", "line 3, column -: has 3 cells, the header has 6"),
        ("S00001,2026-10-31,ten,1,,", "line 3, column accounts, value `ten`: `ten` is not a number"),
    ];
    // Into an empty usage table (inserted without lookups), and into one
    // with rows (looked up).
    for earlier in [None, Some("S00003,2026-09-30,10,2,,")] {
        let env = book();
        if let Some(row) = earlier {
            env.file("first.csv", usage(&[row]));
            env.xaas("usage import first.csv").ok();
        }
        let before = env.db_bytes();
        let was = dump(&env);
        let imports = env.sql("SELECT * FROM imports ORDER BY 1");
        for (row, expect) in cases {
            env.file("bad.csv", usage(&["S00002,2026-10-31,10,1,,", row]));
            env.xaas("usage import bad.csv")
                .fails(1)
                .stderr_has(expect)
                .stderr_has("error: 1 bad row in `bad.csv`")
                .stderr_has("nothing was written: the import is all or nothing");
            assert_eq!(dump(&env), was, "{row}");
        }
        assert!(
            env.db_bytes() == before,
            "the database file is byte-for-byte unchanged ({earlier:?})"
        );
        assert_eq!(env.sql("SELECT * FROM imports ORDER BY 1"), imports);
    }
}

#[test]
fn a_custom_metric_that_turns_to_text_is_a_bad_row() {
    let env = book();
    env.file(
        "c.csv",
        sheet(
            "service_id,date,active_users,logins",
            &[
                "S00001,2026-09-30,1,",
                "S00001,2026-10-31,1,7",
                "S00002,2026-10-31,1,many",
            ],
        ),
    );
    env.xaas("usage import c.csv").fails(1).stderr_has(
        "line 4, column logins, value `many`: is not a number, and column `logins` is a custom metric (its first value, on line 3, is a number)",
    );
    assert_eq!(env.one("SELECT count(*) FROM usage"), "0");
}

#[test]
fn skip_invalid_writes_the_good_rows_and_saves_the_rejects() {
    let env = book();
    env.file(
        "mixed.csv",
        usage(&[
            "S00001,2026-10-31,100,40,800,6",
            "NOPE,2026-10-31,100,40,800,6",
            "S00016,2026-10-31,100,101,,",
            "S00031,2026-10-31,100,50,,",
        ]),
    );
    env.xaas("usage import mixed.csv --skip-invalid --rejects rejects.csv")
        .ok()
        .stderr_has("skipped: 2 bad rows in `mixed.csv`")
        .stderr_has("usage:    2 new, 0 updated, 0 unchanged, 2 rejected")
        .stderr_has("services: 2 touched");
    assert_eq!(
        env.one("SELECT string_agg(service_id, ',' ORDER BY service_id) FROM usage"),
        "S00001,S00031"
    );
    assert_eq!(
        env.one("SELECT string_agg(service_id, ',' ORDER BY service_id) FROM indicators"),
        "S00001,S00031"
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
        .starts_with("NOPE,2026-10-31,100,40,800,6,\"line 3, column service_id: names no service"));
    assert!(lines
        .next()
        .unwrap()
        .starts_with("S00016,2026-10-31,100,101,,,\"line 4, column active_users: is more than"));
    assert_eq!(lines.next(), None);
    // Fixed, the rejects import like any usage sheet.
    env.file(
        "fixed.csv",
        saved.replace("NOPE", "S00046").replace(",101,", ",99,"),
    );
    env.xaas("usage import fixed.csv").ok().stderr_has("2 new");
    assert_eq!(env.one("SELECT count(*) FROM usage"), "4");
}

#[test]
fn dry_run_writes_nothing() {
    let env = book();
    env.file("u.csv", usage(&ROWS));
    let before = (
        env.db_bytes(),
        dump(&env),
        env.sql("SELECT * FROM imports ORDER BY 1"),
    );
    env.xaas("usage import u.csv --dry-run")
        .ok()
        .stderr_has("checked `u.csv`")
        .stderr_has("5 new")
        .stderr_has("dry run: nothing was written");
    assert!(
        (
            env.db_bytes(),
            dump(&env),
            env.sql("SELECT * FROM imports ORDER BY 1")
        ) == before,
        "byte-for-byte"
    );
}

#[test]
fn re_import_changes_nothing_and_a_changed_value_updates_its_row() {
    let env = book();
    env.file("u.csv", usage(&ROWS));
    env.xaas("usage import u.csv").ok();
    let was = dump(&env);
    env.xaas("usage import u.csv")
        .ok()
        .stderr_has("usage:    0 new, 0 updated, 5 unchanged, 0 rejected")
        .stderr_has("services: 0 touched");
    assert_eq!(dump(&env), was);

    // One value changed, one row added: the rest stays.
    let mut rows = ROWS.to_vec();
    rows[1] = "S00001,2026-10-31,100,20,800,6";
    rows.push("S00046,2026-10-31,10,5,,");
    env.file("u2.csv", usage(&rows));
    env.xaas("usage import u2.csv")
        .ok()
        .stderr_has("usage:    1 new, 1 updated, 4 unchanged, 0 rejected")
        .stderr_has("services: 2 touched");
    assert_eq!(
        env.sql("SELECT active_users FROM usage WHERE service_id = 'S00001' ORDER BY day"),
        [["30"], ["20"]]
    );
    assert_eq!(
        rounded(
            env.sql(
                "SELECT active_ratio, active_trend FROM indicators WHERE service_id = 'S00001'"
            )
        ),
        [["0.2", "-0.1"]]
    );

    // A file of fewer columns leaves the others alone.
    env.file(
        "few.csv",
        sheet("service_id,date,active_users", &["S00001,2026-10-31,25"]),
    );
    env.xaas("usage import few.csv")
        .ok()
        .stderr_has("1 updated");
    assert_eq!(
        env.sql("SELECT accounts, active_users, key_actions, features_used FROM usage WHERE service_id = 'S00001' AND day = '2026-10-31'"),
        [["100", "25", "800", "6"]]
    );
}

#[test]
fn other_numeric_columns_are_kept_as_custom_metrics() {
    let env = book();
    env.file(
        "c.csv",
        sheet(
            "service_id,date,active_users,logins,备注,客户ID,tickets,nps",
            &[
                "S00001,2026-09-30,10,12,正常,C0001,,-20",
                "S00001,2026-10-31,10,\"1,500\",,C0001,3,8.5",
            ],
        ),
    );
    env.xaas("usage import c.csv")
        .ok()
        .stderr_has("note: kept as custom metrics (columns of numbers): logins, tickets, nps")
        .stderr_has("note: ignored columns: 备注 (not numbers), 客户ID (a service-list column)");
    assert_eq!(
        env.sql("SELECT custom FROM usage ORDER BY day"),
        [
            [r#"{"logins":12,"nps":-20}"#],
            [r#"{"logins":1500,"nps":8.5,"tickets":3}"#]
        ]
    );
    // Another file's custom metrics join those stored; the same values
    // again change nothing.
    env.file(
        "d.csv",
        sheet(
            "service_id,date,tickets",
            &["S00001,2026-09-30,4", "S00001,2026-10-31,3"],
        ),
    );
    env.xaas("usage import d.csv")
        .ok()
        .stderr_has("0 new, 1 updated, 1 unchanged");
    assert_eq!(
        env.one("SELECT custom FROM usage WHERE day = '2026-09-30'"),
        r#"{"logins":12,"nps":-20,"tickets":4}"#
    );
}

#[test]
fn indicators_are_refreshed_with_the_values_by_hand() {
    let env = book();
    env.file("u.csv", usage(&ROWS));
    env.xaas("usage import u.csv").ok();
    // S00001: 40 of 100 accounts, 800 key actions, 6 features on
    // 2026-10-31; 90 days before is 2026-08-02, and the row of 2026-07-31
    // (2 days older) had 30 of 100: trend +0.1.
    // S00016: no accounts on the row: the service's 138; 69/138 = 0.5,
    // 276/138 = 2; no row 90 days before.
    // S00031: 5 of 50 on 2026-10-31; 2026-09-30 is 31 days before, not 90.
    assert_eq!(
        dump(&env)
            .lines()
            .filter(|l| l.starts_with("indicators"))
            .collect::<Vec<_>>(),
        [
            "indicators|S00001|2026-10-31|0.4|8|6|0.1",
            "indicators|S00016|2026-10-15|0.5|2|3|∅",
            "indicators|S00031|2026-10-31|0.1|2|2|∅",
        ]
    );
    assert_eq!(
        env.one("SELECT accounts FROM services WHERE service_id = 'S00016'"),
        "138"
    );

    // A later month in another file: refreshed from the stored rows.
    // 2026-11-15 − 90 = 2026-08-17: the 2026-07-31 row is 17 days older.
    env.file("nov.csv", usage(&["S00001,2026-11-15,100,20,300,4"]));
    env.xaas("usage import nov.csv")
        .ok()
        .stderr_has("services: 1 touched");
    assert_eq!(
        rounded(env.sql("SELECT day, active_ratio, actions_per_account, features_used, active_trend FROM indicators WHERE service_id = 'S00001'")),
        [["2026-11-15", "0.2", "3", "4", "-0.1"]]
    );
}

/// S00016's usage row has no accounts, so its indicators use the
/// service's; a service list that changes them changes the indicators.
#[test]
fn a_service_list_that_changes_accounts_refreshes_the_indicators_that_use_them() {
    let env = book();
    env.file("u.csv", usage(&ROWS));
    env.xaas("usage import u.csv").ok();
    let ratios = || {
        rounded(env.sql(
            "SELECT service_id, active_ratio, actions_per_account
             FROM indicators ORDER BY 1",
        ))
    };
    let before = ratios();
    let list = std::fs::read_to_string(examples()).unwrap();
    // 138 accounts → 276: 69/276 = 0.25, 276/276 = 1.
    let changed = list.replace(",50000.00,138,normal", ",50000.00,276,normal");
    assert_ne!(changed, list, "the row of S00016 is in the examples");
    env.file("later.csv", changed);
    env.xaas("import later.csv").ok();
    let after = ratios();
    assert_eq!(after[1], ["S00016", "0.25", "1"]);
    assert_eq!(before[1], ["S00016", "0.5", "2"]);
    // The others keep theirs.
    assert_eq!((&after[0], &after[2]), (&before[0], &before[2]));
}

#[test]
fn rows_in_any_order_give_the_same_indicators() {
    // By service (ids rising), by month (ids going up and down), and
    // backwards: into an empty table and over rows already there.
    let by_service = [
        "S00001,2026-06-30,100,50,,",
        "S00001,2026-07-31,100,30,500,5",
        "S00001,2026-10-31,100,40,800,6",
        "S00016,2026-07-15,,20,,",
        "S00016,2026-10-15,,69,276,3",
        "S00031,2026-07-31,50,25,,",
        "S00031,2026-10-31,50,5,100,2",
    ];
    let mut by_month = by_service.to_vec();
    by_month.sort_by_key(|r| r.split(',').nth(1).unwrap().to_string());
    let mut backwards = by_service.to_vec();
    backwards.reverse();
    let want = {
        let env = book();
        env.file("u.csv", usage(&by_service));
        env.xaas("usage import u.csv").ok();
        dump(&env)
    };
    for rows in [&by_month, &backwards] {
        let env = book();
        env.file("u.csv", usage(rows));
        env.xaas("usage import u.csv")
            .ok()
            .stderr_has("services: 3 touched");
        assert_eq!(dump(&env), want, "{rows:?}");
        // In two halves: the second over rows already stored.
        let env = book();
        let (a, b) = rows.split_at(3);
        env.file("a.csv", usage(a));
        env.file("b.csv", usage(b));
        env.xaas("usage import a.csv").ok();
        env.xaas("usage import b.csv").ok();
        assert_eq!(dump(&env), want, "{rows:?} in two");
    }
}

#[test]
fn header_and_database_errors_come_before_any_row() {
    let env = book();
    env.file("h.csv", "服务ID,活跃用户数\nS00001,3\n");
    env.xaas("usage import h.csv")
        .fails(1)
        .stderr_has("missing required column: date (日期)");
    env.file(
        "n.csv",
        "service_id,date,customer_id\nS00001,2026-10-31,C0001\n",
    );
    env.xaas("usage import n.csv").fails(1).stderr_has(
        "no metric column: expected at least one of accounts (开通账号数), active_users (活跃用户数)",
    );
    // A column that might hold numbers, but holds text: no metric on any row.
    env.file("t.csv", "service_id,date,note\nS00001,2026-10-31,x\n");
    env.xaas("usage import t.csv")
        .fails(1)
        .stderr_has("line 2, column note: no metric")
        .stderr_has("note: ignored columns: note (not numbers)");
    let none = Env::new();
    if none.file_only("no database file yet: a team database is made by `team init`") {
        return;
    }
    none.file("u.csv", usage(&ROWS));
    none.xaas("usage import u.csv")
        .fails(1)
        .stderr_has("no database at");
    assert!(!none.db.exists(), "no database is made for usage");
}

#[test]
fn a_repeat_is_caught_in_any_order() {
    let files: [&[&str]; 2] = [
        // Service ids going down: the repeat is on another run.
        &[
            "S00002,2026-10-31,10,1,,",
            "S00001,2026-10-31,10,1,,",
            "S00002,2026-10-31,10,2,,",
        ],
        // Days going down within a service's run.
        &[
            "S00003,2026-10-31,10,1,,",
            "S00003,2026-09-30,10,1,,",
            "S00003,2026-10-31,10,1,,",
        ],
    ];
    for earlier in [None, Some("S00009,2026-09-30,10,2,,")] {
        for rows in files {
            let env = book();
            if let Some(row) = earlier {
                env.file("first.csv", usage(&[row]));
                env.xaas("usage import first.csv").ok();
            }
            let was = dump(&env);
            env.file("dup.csv", usage(rows));
            env.xaas("usage import dup.csv")
                .fails(1)
                .stderr_has("line 4, column date, value `2026-10-31`: duplicate");
            assert_eq!(dump(&env), was);
            env.xaas("usage import dup.csv --skip-invalid")
                .ok()
                .stderr_has("2 new, 0 updated, 0 unchanged, 1 rejected");
        }
    }
}

#[test]
fn a_first_load_in_chunks_equals_a_load_row_by_row() {
    // 50 services × 4 months with a custom metric: into an empty table
    // rows go in 64 at a time; backwards, or over a stored row, one by one.
    let mut rows = Vec::new();
    for s in 1..=50 {
        for (m, day) in ["2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"]
            .iter()
            .enumerate()
        {
            rows.push(format!(
                "S{s:05},{day},{},{},{},{},{}",
                100 + s,
                (s * 7 + m * 13) % 100,
                s * m,
                m + 1,
                s + m
            ));
        }
    }
    let head = format!("{HEAD},logins");
    let file = |rows: &[String]| {
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        sheet(&head, &refs)
    };
    let chunked = book();
    chunked.file("u.csv", file(&rows));
    chunked
        .xaas("usage import u.csv")
        .ok()
        .stderr_has("200 new")
        .stderr_has("services: 50 touched");
    let want = dump(&chunked);
    assert_eq!(chunked.one("SELECT count(*) FROM indicators"), "50");

    let backwards = book();
    let mut rev = rows.clone();
    rev.reverse();
    backwards.file("u.csv", file(&rev));
    backwards
        .xaas("usage import u.csv")
        .ok()
        .stderr_has("services: 50 touched");
    assert_eq!(dump(&backwards), want);

    let over = book();
    over.file("one.csv", file(&rows[5..6]));
    over.xaas("usage import one.csv").ok();
    over.file("u.csv", file(&rows));
    over.xaas("usage import u.csv")
        .ok()
        .stderr_has("199 new, 0 updated, 1 unchanged")
        .stderr_has("services: 50 touched");
    assert_eq!(dump(&over), want);
}

#[test]
fn a_repeat_after_the_ids_go_down_is_told_from_a_stored_row() {
    let env = book();
    env.file(
        "first.csv",
        usage(&[
            "S00001,2026-08-31,10,1,,",
            "S00001,2026-09-30,10,1,,",
            "S00002,2026-08-31,10,1,,",
            "S00002,2026-09-30,10,1,,",
        ]),
    );
    env.xaas("usage import first.csv").ok();
    env.file(
        "again.csv",
        usage(&[
            // S00001's run holds every stored row of it; S00002's does not.
            "S00001,2026-08-31,10,1,,",
            "S00001,2026-09-30,10,1,,",
            "S00002,2026-09-30,10,1,,",
            // The ids go down.
            "S00001,2026-10-31,10,1,,",
            "S00002,2026-08-31,10,1,,",
            "S00001,2026-09-30,10,1,,",
            "S00002,2026-09-30,10,1,,",
            "S00001,2026-10-31,10,1,,",
        ]),
    );
    let r = env
        .xaas("usage import again.csv --skip-invalid")
        .ok()
        .stderr_has("usage:    1 new, 0 updated, 4 unchanged, 3 rejected")
        .stderr_has("services: 1 touched");
    for line in [7, 8, 9] {
        assert!(
            r.stderr.contains(&format!("line {line}, column date")),
            "{line}: {}",
            r.stderr
        );
    }
    assert!(!r.stderr.contains("line 6,"), "{}", r.stderr);
}
