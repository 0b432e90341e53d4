//! `xaas outcomes`: the rows behind the `renewal` block of `stats`.

use super::*;

use std::collections::BTreeMap;

use serde_json::Value;

/// 3,000 services of 1,000 customers and six CSMs, expiring from 2025-10
/// to 2027-06; then a season: renewals by import and by hand, losses,
/// suspensions, and the open terms left past their grace lapse by
/// themselves.
fn book() -> Env {
    let env = Env::new();
    let csms = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"];
    let head = "customer_id,customer_name,csm,service_id,service_type,expiry_date,amount\n";
    let day0: chrono::NaiveDate = "2025-10-01".parse().unwrap();
    let expiry = |i: usize| day0 + chrono::Duration::days(((i * 37) % 640) as i64);
    let mut a = String::from(head);
    for i in 0..3000 {
        let c = i / 3;
        a.push_str(&format!(
            "C{c:04},客户{c:04},{},S{i:05},{},{},{}\n",
            csms[c % 6],
            ["subscription", "managed", "basic"][i % 3],
            expiry(i),
            1000 + (i % 17) * 250
        ));
    }
    env.file("a.csv", &a);
    env.xaas("import a.csv").ok();
    // Every fifth service that expired is renewed by the platform's list,
    // at a new amount.
    let mut b = String::from(head);
    for i in (0..3000).filter(|i| i % 5 == 0 && expiry(*i) < "2026-11-23".parse().unwrap()) {
        let c = i / 3;
        b.push_str(&format!(
            "C{c:04},客户{c:04},{},S{i:05},{},{},{}\n",
            csms[c % 6],
            ["subscription", "managed", "basic"][i % 3],
            expiry(i) + chrono::Duration::days(365),
            1200 + (i % 13) * 300
        ));
    }
    env.file("b.csv", &b);
    env.xaas("import b.csv").ok();
    // Losses and suspensions among the open in-window services.
    let open = env.xaas("due --within 90 --overdue").ok().ids();
    let pick = |k: usize| -> Vec<String> {
        open.iter()
            .enumerate()
            .filter(|(j, _)| j % 7 == k)
            .map(|(_, id)| format!("--service {id}"))
            .collect()
    };
    env.xaas(&format!(
        "followup set {} --status not_renewing --reason budget --reason-detail 砍预算 --note 明年再说",
        pick(0).join(" ")
    ))
    .ok();
    env.xaas(&format!(
        "followup set {} --status suspended",
        pick(1).join(" ")
    ))
    .ok();
    env.xaas("renew S00002 --until 2027-12-01 --amount 9999")
        .ok();
    // On 2026-06-01 a new CSM took over the first hundred customers: their
    // terms that expired before count for the old owner, later ones for
    // the new (rule 5). The list still has the old terms: stale rows.
    let mut c = String::from(head);
    for (i, line) in a.lines().skip(1).enumerate() {
        if i / 3 < 100 {
            let csm = csms[(i / 3) % 6];
            c.push_str(&line.replacen(&format!(",{csm},"), ",新人,", 1));
        } else {
            c.push_str(line);
        }
        c.push('\n');
    }
    env.file("c.csv", &c);
    env.on("2026-06-01").xaas("import c.csv").ok();
    env
}

/// The figures of the `renewal` block, counted from `outcomes` rows.
fn count(rows: &[Value]) -> BTreeMap<&'static str, f64> {
    let of = |o: &str| rows.iter().filter(|r| r["outcome"] == o).count() as f64;
    let sum = |pred: &dyn Fn(&Value) -> bool, key: &str| -> f64 {
        let cents: i64 = rows
            .iter()
            .filter(|r| pred(r))
            .map(|r| (r[key].as_f64().unwrap_or(0.0) * 100.0).round() as i64)
            .sum();
        cents as f64 / 100.0
    };
    let customers = |pred: &dyn Fn(&Value) -> bool| -> f64 {
        let mut ids: Vec<&str> = rows
            .iter()
            .filter(|r| pred(r))
            .map(|r| r["customer_id"].as_str().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        ids.len() as f64
    };
    let lost = |r: &Value| r["outcome"] == "not_renewing" || r["outcome"] == "lapsed";
    BTreeMap::from([
        ("due_terms", rows.len() as f64),
        ("renewed_terms", of("renewed")),
        ("open_terms", of("open")),
        ("lost_terms", of("not_renewing") + of("lapsed")),
        ("lapsed_terms", of("lapsed")),
        ("suspended_terms", of("suspended")),
        ("due_amount", sum(&|_| true, "amount")),
        (
            "renewed_amount",
            sum(&|r| r["outcome"] == "renewed", "new_amount"),
        ),
        ("lost_amount", sum(&lost, "amount")),
        ("due_customers", customers(&|_| true)),
        (
            "renewed_customers",
            customers(&|r| r["outcome"] == "renewed"),
        ),
    ])
}

fn figures(renewal: &Value) -> BTreeMap<&'static str, f64> {
    [
        "due_terms",
        "renewed_terms",
        "open_terms",
        "lost_terms",
        "lapsed_terms",
        "suspended_terms",
        "due_amount",
        "renewed_amount",
        "lost_amount",
        "due_customers",
        "renewed_customers",
    ]
    .into_iter()
    .map(|k| (k, renewal[k].as_f64().unwrap()))
    .collect()
}

#[test]
fn every_figure_of_stats_is_a_count_of_outcomes_rows() {
    let env = book();
    for period in ["", "--from 2026-06-01 --to 2026-12-31"] {
        let stats = env.xaas(&format!("stats --json {period}")).ok().json();
        let rows = env.xaas(&format!("outcomes --json {period}")).ok().json();
        let rows = rows.as_array().unwrap();
        let counted = count(rows);
        assert_eq!(figures(&stats["renewal"]), counted, "{period}");
        // The book has every outcome in it, so the check means something.
        for o in ["renewed", "not_renewing", "lapsed", "suspended", "open"] {
            assert!(rows.iter().any(|r| r["outcome"] == o), "no {o} row");
        }
        // And customers reassigned in the period, whose terms count for
        // either owner.
        assert!(rows.iter().any(|r| r["csm"] == "新人"));
        assert!(
            !period.is_empty()
                || rows
                    .iter()
                    .any(|r| r["customer_id"].as_str().unwrap() < "C0100" && r["csm"] != "新人")
        );
        // Filtered by CSM (a term matches its owner on its expiry day).
        for csm in ["新人", "张伟"] {
            let s = env
                .xaas(&format!("stats --json --csm {csm} {period}"))
                .ok()
                .json();
            let mine = env
                .xaas(&format!("outcomes --json --csm {csm} {period}"))
                .ok()
                .json();
            assert_eq!(
                figures(&s["renewal"]),
                count(mine.as_array().unwrap()),
                "--csm {csm} {period}"
            );
        }
        // Split by CSM: each group's figures are the counts of its rows.
        let by = env
            .xaas(&format!("stats --json --by csm {period}"))
            .ok()
            .json();
        for (csm, group) in by["groups"].as_object().unwrap() {
            let mine: Vec<Value> = rows
                .iter()
                .filter(|r| r["csm"] == csm.as_str())
                .cloned()
                .collect();
            assert_eq!(figures(&group["renewal"]), count(&mine), "{csm} {period}");
        }
    }
}

/// A term counts for the CSM who owned the customer on its expiry day.
#[test]
fn a_reassignment_leaves_past_terms_with_their_owner() {
    let env = book();
    let rows = env.xaas("outcomes --json").ok().json();
    let rows = rows.as_array().unwrap();
    let mut seen = 0;
    for r in rows
        .iter()
        .filter(|r| r["customer_id"].as_str().unwrap() < "C0100")
    {
        let expiry = r["expiry_date"].as_str().unwrap();
        assert_eq!(r["csm"] == "新人", expiry >= "2026-06-01", "{r}");
        seen += 1;
    }
    assert!(seen > 20, "{seen}");
    // The former owner is still a known --csm value, for the terms of
    // their time.
    let old = rows
        .iter()
        .find(|r| r["customer_id"] == "C0001" && r["expiry_date"].as_str().unwrap() < "2026-06-01")
        .unwrap();
    let owner = old["csm"].as_str().unwrap();
    assert_ne!(owner, "新人");
    let mine = env
        .xaas(&format!("outcomes --csm {owner} --json"))
        .ok()
        .json();
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["service_id"] == old["service_id"]));
    let by = env.xaas("stats --json --by csm").ok().json();
    assert!(
        by["groups"]["新人"]["renewal"]["due_terms"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn each_row_says_what_became_of_the_term_and_why() {
    let env = book();
    let rows = env.xaas("outcomes --json").ok().json();
    let rows = rows.as_array().unwrap();
    let lost = rows
        .iter()
        .find(|r| r["outcome"] == "not_renewing")
        .unwrap();
    assert_eq!(lost["reason"], "budget");
    assert_eq!(lost["reason_detail"], "砍预算");
    assert_eq!(lost["last_note"], "明年再说");
    let renewed = rows
        .iter()
        .find(|r| r["service_id"] == "S00002" && r["outcome"] == "renewed")
        .unwrap();
    assert_eq!(renewed["new_expiry"], "2027-12-01");
    assert_eq!(renewed["new_amount"], 9999.0);
    let lapsed = rows.iter().find(|r| r["outcome"] == "lapsed").unwrap();
    assert_eq!(lapsed["reason"], Value::Null);
    // Filters narrow the rows as they narrow stats.
    let mine = env.xaas("outcomes --csm 张伟 --json").ok().json();
    assert!(mine.as_array().unwrap().iter().all(|r| r["csm"] == "张伟"));
    let csv = env.xaas("outcomes --csv --lang zh").ok().stdout;
    assert!(
        csv.starts_with("客户ID,客户名称,客户经营接口人,服务ID,产品名称,到期时间,金额,结果,"),
        "{csv}"
    );
    assert!(csv.contains(",已流失,"), "{csv}");
}

#[test]
fn export_carries_the_outcome_of_each_service() {
    let env = Env::new();
    env.import_examples();
    env.xaas("followup set --service S00002 --status not_renewing --reason budget --reason-detail 砍预算 --note 客户说明年再议")
        .ok();
    env.xaas("renew S00039 --until 2027-11-25 --amount 50000")
        .ok();
    env.xaas("log add C0009 --note 续约合同已盖章").ok();
    let csv = env.xaas("export --csv").ok().stdout;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let tail: Vec<&str> = header
        .iter()
        .rev()
        .take(8)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "renewal_of",
            "reason",
            "reason_detail",
            "last_note",
            "previous_expiry",
            "previous_amount",
            "health",
            "health_score"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let row = |id: &str| -> Vec<String> {
        let r = rows
            .iter()
            .find(|r| &r[header.iter().position(|h| h == "service_id").unwrap()] == id)
            .unwrap();
        let cells: Vec<String> = r.iter().map(String::from).collect();
        cells[cells.len() - 7..cells.len() - 2].to_vec()
    };
    assert_eq!(
        row("S00002"),
        ["budget", "砍预算", "客户说明年再议", "", ""]
    );
    assert_eq!(
        row("S00039"),
        ["", "", "续约合同已盖章", "2026-11-25", "48000.00"]
    );
    // Derived and outcome columns are ignored on import: the round trip
    // changes nothing.
    let before = env.dump();
    env.file("back.csv", &csv);
    env.xaas("import back.csv").ok();
    assert_eq!(env.dump(), before);
    let zh = env.xaas("export --csv --lang zh").ok().stdout;
    assert!(zh.lines().next().unwrap().ends_with(
        "原服务ID,不续费原因,原因说明,最近跟进内容,上期到期时间,上期金额,健康度,健康分"
    ));
}

/// Issue #11, item 1 (rule 4), as a season: a renewal recorded by hand,
/// then the platform's list that still has the old term. The renewal
/// stands, the history has no correction, and stats and outcomes agree
/// with a count done here.
#[test]
fn a_stale_platform_list_does_not_undo_a_renewal() {
    let env = Env::new();
    env.import_examples();
    let day = "2026-11-24";
    let on = env.on(day);
    on.xaas("renew S00001 --until 2027-11-22 --amount 52000")
        .ok();
    // Renewed early: the new term starts 2026-12-20, after today.
    on.xaas("renew S00046 --until 2027-12-19").ok();
    on.xaas("renew S00039 --until 2027-11-25").ok();
    let count = |sql: &str| env.one(sql);
    let terms_before = count("SELECT count(*) FROM terms");
    assert_eq!(terms_before, "3");

    // The platform's list, a week later, still says 2026-11-22 for S00001
    // (and a new product name); it is a day off on S00046's new term; and
    // it lists a new contract renewing S00039.
    let examples = std::fs::read_to_string(examples()).unwrap();
    let mut stale = examples.replace(
        "S00001,subscription,SASE,2026-05-24,2026-11-22",
        "S00001,subscription,SASE Pro,2026-05-24,2026-11-22",
    );
    stale.push_str("C0009,恒信证券股份有限公司,金融,华东,大型,KA,上海办,直签,刘洋,吴敏,13427508601,S09039,subscription,EDR订阅,2026-11-26,2027-11-25,48000.00,181,normal\n");
    let stale = stale.replace(
        "S00046,subscription,云WAF,2026-06-20,2026-12-19",
        "S00046,subscription,云WAF,2026-12-20,2027-12-20",
    );
    let stale = stale.replacen("run_status\n", "run_status,renewal_of\n", 1);
    let stale: String = stale
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.ends_with("renewal_of") {
                format!("{l}\n")
            } else if l.contains(",S09039,") {
                format!("{l},S00039\n")
            } else {
                format!("{l},\n")
            }
        })
        .collect();
    env.file("platform.csv", &stale);
    let week = "2026-12-01";
    env.on(week)
        .xaas("import platform.csv")
        .ok()
        .stderr_has("2 stale")
        .stderr_has("stale:     2 (an earlier expiry than a renewal recorded here; the renewal stands): S00001, S00039")
        .stderr_has("corrected: 1");
    assert_eq!(
        env.sql("SELECT expiry_date, amount, product, coalesce(status, '∅') FROM services WHERE service_id = 'S00001'"),
        [["2027-11-22", "5200000", "SASE Pro", "∅"]],
        "the renewal stands; the other values apply"
    );
    assert_eq!(
        env.sql("SELECT expiry_date FROM services WHERE service_id = 'S00046'"),
        [["2027-12-20"]],
        "a renewal recorded early is corrected, not renewed again"
    );
    assert_eq!(
        count("SELECT count(*) FROM terms"),
        "3",
        "no second renewal"
    );
    assert_eq!(
        env.sql(
            "SELECT service_id, from_value, to_value FROM history WHERE kind = 'expiry_correction'"
        ),
        [["S00046", "2027-12-19", "2027-12-20"]]
    );
    assert_eq!(
        env.sql("SELECT coalesce(status, '∅'), previous_expiry FROM services WHERE service_id IN ('S00039', 'S09039') ORDER BY service_id"),
        [["∅", "2026-11-25"], ["∅", "2026-11-25"]],
        "the new contract is linked to the renewal recorded here"
    );
    // Stats and outcomes agree with a count done here: the cohort as of
    // the week after holds each renewed term once.
    let w = env.on(week);
    let rows = w.xaas("outcomes --json").ok().json();
    let rows = rows.as_array().unwrap();
    let renewed: Vec<&str> = rows
        .iter()
        .filter(|r| r["outcome"] == "renewed")
        .map(|r| r["service_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        renewed,
        ["S00001", "S00039"],
        "S00046 expires 2026-12-19: not yet in the cohort"
    );
    let due_in_db: usize = count(&format!(
        "SELECT (SELECT count(*) FROM services WHERE expiry_date BETWEEN '2025-12-02' AND '{week}' AND (status IS NULL OR status <> 'renewed'))
              + (SELECT count(*) FROM terms WHERE expiry_date BETWEEN '2025-12-02' AND '{week}')"
    ))
    .parse()
    .unwrap();
    assert_eq!(rows.len(), due_in_db);
    let stats = w.xaas("stats --json").ok().json();
    assert_eq!(stats["renewal"]["due_terms"], rows.len());
    assert_eq!(stats["renewal"]["renewed_terms"], 2);
    assert_eq!(stats["renewal"]["renewed_amount"], 52000.0 + 48000.0);
}
