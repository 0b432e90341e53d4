//! `xaas today`: the worklist, most important first, each row with its
//! points and why.

use super::*;

/// Eleven customers, one service each, around TODAY (2026-11-23); health
/// set by hand (a calibration as of 2026-10-01 on active ratios 0.1 …
/// 1.0: danger below score 20, fair below 50), records written on the
/// days a CSM would have.
fn book(env: &Env) {
    env.file(
        "book.csv",
        "customer_id,customer_name,csm,service_id,service_type,expiry_date,amount,accounts
C1,甲方科技,张伟,S_hot,subscription,2026-12-05,500000,100
C2,乙方医院,王芳,S_calm,subscription,2026-12-05,1000,100
C3,丙方学院,王芳,S_fair,basic,2027-01-10,2000,100
C4,丁方物流,张伟,S_grace,basic,2026-11-10,3000,
C5,戊方能源,张伟,S_lapsed,basic,2026-10-20,4000,
C6,己方制造,王芳,S_far,basic,2027-03-01,5000,
C7,庚方证券,李娜,S_risk,managed,2027-02-15,6000,
C8,辛方银行,李娜,S_closed,basic,2026-12-01,7000,
C9,壬方电力,李娜,S_a,basic,2026-12-20,8000,
C10,癸方零售,李娜,S_b,basic,2026-12-21,9000,
C11,子方物流,张伟,S_c,basic,2027-02-01,10000,
",
    );
    env.on(BOOK_START).xaas("import book.csv").ok();
    env.on("2026-11-20")
        .xaas("followup set --service S_calm --status no_risk --note 续约意向明确")
        .ok();
    env.on("2026-11-18")
        .xaas("followup set --service S_risk --status at_risk --note 预算紧张")
        .ok();
    env.xaas("followup set --service S_closed --status not_renewing --reason budget")
        .ok();
    env.on("2026-10-20")
        .xaas("log add C3 --service S_fair --note 季度回访")
        .ok();
    env.sql(
        "INSERT INTO calibrations(made_at, as_of, sample, weights, danger_pct, fair_pct,
                                  danger_below, fair_below, distributions)
         VALUES ('2026-10-01T09:00:00+08:00', '2026-10-01', 40, '1,1,1,1', 10, 40, 20.0, 50.0,
                 '[[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0],[],[],[]]')",
    );
    // S_hot's usage dropped from 75 % active on Oct 1 to 5 % on Nov 15.
    env.sql(
        "INSERT INTO usage(service_id, day, accounts, active_users)
         VALUES ('S_hot', '2026-10-01', 100, 75), ('S_hot', '2026-11-15', 100, 5)",
    );
    env.sql(
        "INSERT INTO indicators(service_id, day, active_ratio)
         VALUES ('S_hot', '2026-11-15', 0.05), ('S_calm', '2026-11-15', 0.95),
                ('S_fair', '2026-11-15', 0.35)",
    );
}

/// Rows of TSV stdout as maps from header to cell.
fn parsed(stdout: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = stdout.lines();
    let Some(header) = lines.next() else {
        return vec![];
    };
    let header: Vec<&str> = header.split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    id: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| r["service_id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn a_danger_untouched_valuable_service_due_soon_comes_first_and_says_why() {
    let env = Env::new();
    book(&env);
    let run = env.xaas("today").ok().stderr_empty();
    assert_eq!(
        run.ids(),
        ["S_hot", "S_grace", "S_b", "S_a", "S_c", "S_fair", "S_risk", "S_calm"]
    );
    let rows = parsed(&run.stdout);
    let points_why = |id: &str| {
        let r = row(&rows, id);
        (r["points"].as_str(), r["why"].as_str())
    };
    // 12 days 30, danger 30, pending 10, untouched 20, top 10 % 20.
    assert_eq!(
        points_why("S_hot"),
        ("110", "12 d · danger · untouched · top 10%")
    );
    let hot = row(&rows, "S_hot");
    assert_eq!(
        (
            hot["customer_name"].as_str(),
            hot["csm"].as_str(),
            hot["amount"].as_str(),
            hot["status"].as_str(),
            hot["health"].as_str(),
            hot["days_left"].as_str()
        ),
        ("甲方科技", "张伟", "500000.00", "pending", "danger", "12")
    );
    // Healthy, no risk, touched 3 days ago, small: only its 12 days.
    assert_eq!(points_why("S_calm"), ("30", "12 d"));
    assert_eq!(row(&rows, "S_calm")["health"], "healthy");
    // Expired within the grace days: 40, and no usage: unknown.
    assert_eq!(
        points_why("S_grace"),
        ("80", "13 d overdue · health unknown · untouched")
    );
    // Tied at 80 with S_grace: fewer days left goes first.
    assert_eq!(
        points_why("S_b"),
        ("80", "28 d · health unknown · untouched · top 30%")
    );
    // 48 days 20, fair 15, pending 10, a record 34 days ago 10.
    assert_eq!(
        points_why("S_fair"),
        ("55", "48 d · fair · last record 34 d ago")
    );
    assert_eq!(
        points_why("S_risk"),
        ("40", "84 d · health unknown · at_risk")
    );
    // Not on the list: lapsed, beyond 90 days, closed.
    for id in ["S_lapsed", "S_far", "S_closed"] {
        assert!(!run.ids().contains(&id.to_string()), "{id}");
    }
    env.xaas("today --lang zh")
        .ok()
        .stdout_has("12天 · 危险 · 未跟进 · 金额前10%");
}

#[test]
fn json_and_csv_carry_ids_scores_and_why() {
    let env = Env::new();
    book(&env);
    let json = env.xaas("today --json --limit 2").ok().json();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let hot = &rows[0];
    assert_eq!(hot["points"], 110);
    assert_eq!(hot["customer_id"], "C1");
    assert_eq!(hot["expiry_date"], "2026-12-05");
    assert_eq!(hot["window"], "within_30");
    assert_eq!(hot["health"], "danger");
    assert_eq!(hot["health_score"], 0.0);
    assert_eq!(hot["amount"], 500000.0);
    assert_eq!(hot["last_followup_at"], serde_json::Value::Null);
    assert_eq!(hot["why"], "12 d · danger · untouched · top 10%");
    env.xaas("today --json --lang zh")
        .ok()
        .stdout_has("\"why\":\"12 d · danger · untouched · top 10%\"");
    assert_eq!(env.xaas("today --limit 0").ok().ids().len(), 8, "0 is all");
    env.xaas("today --csv --limit 1")
        .ok()
        .stdout_starts_with(
            "points,customer_id,customer_name,service_id,product,expiry_date,days_left,window,health,health_score,status,amount,csm,last_followup_at,why,task_id,task\n110,C1,甲方科技,S_hot,",
        )
        .stderr_has("1 of 8 shown");
}

#[test]
fn mine_is_my_candidates_and_the_top_shares_are_theirs() {
    let env = Env::new();
    book(&env);
    let run = env.xaas_with(&[("XAAS_CSM", "张伟")], "today --mine").ok();
    assert_eq!(run.ids(), ["S_hot", "S_grace", "S_c"]);
    // Among 3 amounts the top 30 % is the largest alone: S_c is not in it.
    assert_eq!(
        row(&parsed(&run.stdout), "S_c")["why"],
        "70 d · health unknown · untouched"
    );
    env.xaas("today --mine").fails(2).stderr_has("XAAS_CSM");
    env.xaas_with(&[("XAAS_CSM", "nobody")], "today --mine")
        .fails(1)
        .stderr_has("no customer has csm `nobody`");
    // Other filters narrow the candidates too.
    assert_eq!(
        env.xaas("today --csm 李娜 --window within_30").ok().ids(),
        ["S_b", "S_a"]
    );
}

#[test]
fn cron_with_nothing_to_do_prints_nothing_at_all() {
    let env = Env::new();
    book(&env);
    let nothing = "today --search nowhere";
    env.xaas(nothing).ok().stdout_empty().stderr_empty();
    env.xaas(&format!("{nothing} --format table"))
        .ok()
        .stdout_empty()
        .stderr_empty();
    let r = env
        .xaas(&format!("{nothing} --csv"))
        .ok()
        .stdout_starts_with("points,customer_id,");
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    env.xaas(&format!("{nothing} --json"))
        .ok()
        .stdout_is("[]\n")
        .stderr_empty();
    // A day with nothing in the window at all.
    env.on("2025-01-01")
        .xaas("today")
        .ok()
        .stdout_empty()
        .stderr_empty();
    // No database is loud, not silent.
    if env.file_only("removes the database file") {
        return;
    }
    std::fs::remove_file(&env.db).unwrap();
    env.xaas("today").fails(1).stderr_has("no database");
}

#[test]
fn a_past_today_shifts_windows_health_and_records() {
    let env = Env::new();
    book(&env);
    // On Nov 1 the calibration was in force, and S_hot's usage then (75 %
    // active on Oct 1) was healthy: the drop on Nov 15 had not happened.
    let run = env.on("2026-11-01").xaas("today").ok();
    let rows = parsed(&run.stdout);
    let hot = row(&rows, "S_hot");
    assert_eq!(
        (
            hot["days_left"].as_str(),
            hot["health"].as_str(),
            hot["health_score"].as_str()
        ),
        ("34", "healthy", "70.0")
    );
    assert_eq!(hot["why"], "34 d · untouched · top 10%");
    // S_lapsed was 12 days past expiry, within the grace days; S_c was
    // 92 days out.
    assert_eq!(
        row(&rows, "S_lapsed")["why"],
        "12 d overdue · health unknown · untouched"
    );
    assert!(!run.ids().contains(&"S_c".to_string()));
    // S_calm's record of Nov 20 was not written yet: untouched.
    let calm = row(&rows, "S_calm");
    assert_eq!(calm["last_followup_at"], "");
    assert!(calm["why"].ends_with("untouched"), "{}", calm["why"]);
    // S_fair's record of Oct 20 was there: 12 days old.
    assert_eq!(
        row(&rows, "S_fair")["last_followup_at"].get(..10),
        Some("2026-10-20")
    );
    // Before the first calibration, every band is unknown.
    let run = env.on("2026-09-20").xaas("today").ok();
    assert!(parsed(&run.stdout).iter().all(|r| r["health"] == "unknown"));
}

#[test]
fn the_table_fits_80_columns_with_the_why_whole_enough_to_read() {
    let env = Env::new();
    book(&env);
    let out = env
        .xaas_with(&[("COLUMNS", "80")], "today --format table")
        .ok()
        .stderr_empty()
        .stdout;
    for line in out.lines() {
        let w = unicode_width::UnicodeWidthStr::width(line);
        assert!(w <= 80, "{w} columns: {line:?}");
    }
    for id in ["S_hot", "500000.00", "S_grace", "danger", "untouched"] {
        assert!(out.contains(id), "{id} broken:\n{out}");
    }
    // The days and the band are in the why: their columns give way first.
    assert!(!out.contains("days"), "{out}");
    let wide = env
        .xaas_with(&[("COLUMNS", "200")], "today --format table")
        .ok()
        .stdout;
    assert!(wide.lines().next().unwrap().contains("days_left"), "{wide}");
    assert!(
        wide.contains("12 d · danger · untouched · top 10%"),
        "{wide}"
    );
}

/// `--health` keeps the rows of the bands named, like every other filter;
/// the bands of the rows shown add up to the whole list.
#[test]
fn the_health_filter_keeps_the_rows_of_its_bands() {
    let env = Env::new();
    book(&env);
    let all = parsed(&env.xaas("today").ok().stdout);
    let mut seen = 0;
    for band in ["danger", "fair", "healthy", "unknown"] {
        let want: Vec<&str> = all
            .iter()
            .filter(|r| r["health"] == band)
            .map(|r| r["service_id"].as_str())
            .collect();
        let run = env.xaas(&format!("today --health {band}")).ok();
        assert_eq!(run.ids(), want, "{band}");
        seen += want.len();
    }
    assert_eq!(seen, all.len());
    assert!(all.iter().any(|r| r["health"] == "danger"));
    let danger: Vec<String> = all
        .iter()
        .filter(|r| r["health"] == "danger")
        .map(|r| r["service_id"].clone())
        .collect();
    assert_eq!(env.xaas("today --health 危险").ok().ids(), danger);
}

/// A page is the first rows of the whole list, tasks and services alike,
/// and says how many there are in all.
#[test]
fn a_page_is_the_head_of_the_whole_list() {
    let env = Env::new();
    env.import_examples();
    env.on("2026-10-20").xaas("tasks sync").ok();
    env.on("2026-11-01")
        .xaas("tasks add C0001 --due 2026-11-10 --title 报价")
        .ok();
    let all = env.xaas("today --limit 0 --format tsv").ok();
    let all: Vec<&str> = all.stdout.lines().collect();
    let n = all.len() - 1;
    assert!(n > 20, "tasks and services: {n}");
    assert!(all.iter().any(|l| l.contains("task #")), "tasks are rows");
    for limit in [1, 5, 13, n] {
        let run = env
            .xaas(&format!("today --limit {limit} --format tsv"))
            .ok();
        let page: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(page, all[..=limit], "--limit {limit}");
        if limit < n {
            run.stderr_has(&format!("{limit} of {n} shown"));
        }
    }
    // The default page is 50 rows.
    let default = env.xaas("today --format tsv").ok();
    assert_eq!(default.stdout.lines().count() - 1, n.min(50));
    // One CSM's tasks and services: a page is the head of their list too.
    let all = env.xaas("today --csm 张伟 --limit 0 --format tsv").ok();
    let all: Vec<&str> = all.stdout.lines().collect();
    let n = all.len() - 1;
    assert!(all.iter().any(|l| l.contains("task #")), "张伟 has tasks");
    assert!(
        all[1..].iter().all(|l| l.contains("张伟")),
        "only 张伟's rows"
    );
    for limit in [1, 3, n] {
        let run = env
            .xaas(&format!("today --csm 张伟 --limit {limit} --format tsv"))
            .ok();
        let page: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(page, all[..=limit], "张伟 --limit {limit}");
    }
}
