//! `xaas report -o FILE.html`: one self-contained page whose figures are
//! those of `stats --by csm`, escaped, in Chinese with --lang zh.

use super::*;

use scraper::{Html, Selector};
use serde_json::Value;

/// Three customers around TODAY: CSM `<b>&"` (a name to escape) with C1
/// (renewed S1, S2 due soon), 王芳 with C2 (S3 lost for budget, S4
/// lapsed, S5) and C3 (S6); C3's name is markup too.
fn fixture() -> Env {
    let env = Env::new();
    let head = "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount\n";
    let rows = [
        r#"C1,甲,"<b>&""",KA,S1,subscription,2026-06-30,1000"#,
        r#"C1,甲,"<b>&""",KA,S2,managed,2026-12-10,500"#,
        "C2,乙,王芳,B,S3,basic,2025-11-24,200",
        "C2,乙,王芳,B,S4,basic,2025-11-23,300",
        "C2,乙,王芳,B,S5,subscription,2027-06-01,100",
        "C3,<i>丙</i>,王芳,,S6,subscription,2028-01-01,50",
    ];
    env.file("a.csv", format!("{head}{}\n", rows.join("\n")));
    env.xaas("import a.csv").ok();
    env.file(
        "b.csv",
        format!("{head}C1,甲,\"<b>&\"\"\",KA,S1,subscription,2027-06-30,1500\n"),
    );
    env.xaas("import b.csv").ok();
    env.xaas("followup set --service S3 --status not_renewing --reason budget")
        .ok();
    env.xaas("log add C1 --note 回访").ok();
    env
}

fn read(env: &Env, name: &str) -> String {
    std::fs::read_to_string(env.dir.path().join(name)).unwrap()
}

/// The page parsed, after checking it parses without an error and asks
/// for nothing outside itself.
fn parse(page: &str) -> Html {
    let doc = Html::parse_document(page);
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    for bad in [
        "http://", "https://", "src=", "href=", "<script", "url(", "@import",
    ] {
        assert!(!page.contains(bad), "`{bad}` in the page");
    }
    doc
}

fn texts(doc: &Html, css: &str) -> Vec<Vec<String>> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| e.text().map(str::to_string).collect())
        .collect()
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(v: &Value) -> String {
    v.as_f64()
        .map_or("–".into(), |r| format!("{:.1}%", r * 100.0))
}

#[test]
fn each_csm_has_the_rates_stats_gives_them() {
    let env = fixture();
    env.xaas("report -o r.html")
        .ok()
        .stdout_empty()
        .stderr_is("wrote the report to r.html\n");
    let page = read(&env, "r.html");
    let doc = parse(&page);
    let stats = env.xaas("stats --by csm --json").ok().json();
    let rows = texts(&doc, "tr.csm");
    let groups = stats["groups"].as_object().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (row, (name, g)) in rows.iter().zip(groups) {
        let touch = &stats["touch"][name];
        assert_eq!(
            row,
            &[
                name.clone(),
                thousands(g["customers"]["total"].as_u64().unwrap()),
                percent(&touch["rate"]),
                percent(&g["renewal"]["logo_rate"]),
                percent(&g["renewal"]["amount_rate"]),
            ],
        );
    }
    // The fixture's own figures, so the comparison is not vacuous: C1's
    // CSM touched and renewed C1 (1500 for 1000 due); 王芳 touched C2
    // (the status change) of two and lost S3.
    assert_eq!(rows[0], ["<b>&\"", "1", "100.0%", "100.0%", "150.0%"]);
    assert_eq!(rows[1], ["王芳", "2", "50.0%", "0.0%", "0.0%"]);
    // The header and the overview.
    assert!(page.contains("as of 2026-11-23"), "as-of day missing");
    assert!(page.contains("scope: every service"));
    let tiles = texts(&doc, ".tile");
    assert!(
        tiles.contains(&vec!["6".into(), "services".into()]),
        "{tiles:?}"
    );
    assert!(
        tiles.contains(&vec!["3".into(), "customers".into()]),
        "{tiles:?}"
    );
    // The reason, its count and amount.
    assert!(
        page.contains(">budget<") && page.contains("1 · ¥200"),
        "reason missing"
    );
    // The forecast: `forecast`'s own figures for the next 90 days.
    let fc = env.xaas("forecast --json").ok().json();
    let total = &fc;
    let whole = |v: &serde_json::Value| {
        let yuan = v
            .as_f64()
            .unwrap_or_else(|| panic!("a number: {v} in {fc}"));
        format!("{:.0}", yuan.round())
    };
    assert!(!page.contains("Not available yet"));
    assert!(page.contains("range 181 – 319"), "forecast range missing");
    for key in ["expected", "low", "high"] {
        let n = whole(&total[key]);
        assert!(page.contains(&n), "forecast {key} {n} missing");
    }
}

#[test]
fn names_from_the_book_are_escaped_in_the_page_and_its_scope() {
    let env = fixture();
    env.run(&[
        "report", "-o", "r.html", "--csm", "<b>&\"", "--search", "<i>",
    ])
    .ok();
    let page = read(&env, "r.html");
    let doc = parse(&page);
    assert!(!page.contains("<b>&\""), "a raw CSM name");
    assert!(!page.contains("<i>"), "raw markup from a filter");
    assert!(page.contains("&lt;b&gt;&amp;&quot;"));
    let scope = texts(&doc, "p.scope").concat().concat();
    assert_eq!(scope, "scope: search = <i> · csm = <b>&\"");
    // No customer has both: nothing matches, and the page says so.
    assert!(page.contains("Nothing yet"), "{page}");
    // The CSM alone: only their row.
    env.run(&["report", "-o", "r.html", "--csm", "<b>&\""]).ok();
    let doc = parse(&read(&env, "r.html"));
    let names: Vec<String> = texts(&doc, "tr.csm td:first-child").concat();
    assert_eq!(names, ["<b>&\""]);
}

#[test]
fn in_chinese_every_title_and_label_is_chinese() {
    let env = fixture();
    env.xaas("--lang zh report -o 报告.html")
        .ok()
        .stderr_is("报告已写入 报告.html\n");
    let page = read(&env, "报告.html");
    parse(&page);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    for zh in [
        "续费报告",
        "截至 2026-11-23",
        "范围：全部服务",
        "到期窗口",
        "30天内过期",
        "续费状态",
        "不续费",
        "月度续约率与续费率",
        "不续费原因",
        "预算原因",
        "各客户经营接口人",
        "翻动率",
        "客户健康度",
        "续费预测",
    ] {
        assert!(page.contains(zh), "`{zh}` missing");
    }
    for en in [
        "Renewal report",
        "logo rate",
        "within_30",
        "not_renewing",
        "budget<",
        "as of",
    ] {
        assert!(!page.contains(en), "`{en}` in the Chinese page");
    }
}

#[test]
fn an_empty_book_gives_a_page_saying_there_is_nothing_yet() {
    let env = Env::new();
    env.file(
        "h.csv",
        "customer_id,customer_name,csm,tier,service_id,service_type,expiry_date,amount\n",
    );
    env.xaas("import h.csv").ok();
    env.xaas("report -o r.html").ok();
    let page = read(&env, "r.html");
    parse(&page);
    assert!(page.contains("Nothing yet"), "{page}");
    assert!(!page.contains("<svg"));
    env.xaas("--lang zh report -o r.html").ok();
    assert!(read(&env, "r.html").contains("暂无数据"));
}

#[test]
fn a_missing_folder_is_a_clear_error_and_an_existing_page_is_replaced_whole() {
    let env = fixture();
    env.xaas("report -o nowhere/r.html").fails(1).stderr_is(
        "error: cannot write `nowhere/r.html`: there is no folder `nowhere`\n\
         hint: create it first, or name a file in an existing folder\n",
    );
    assert!(!env.dir.path().join("nowhere").exists());
    // As `export -o`: the page is replaced, through a temporary file
    // that does not stay behind.
    env.file("r.html", "old");
    env.xaas("report -o r.html").ok();
    assert!(read(&env, "r.html").starts_with("<!DOCTYPE html>"));
    let left: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("xaas-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // -o is required.
    env.xaas("report").fails(2);
}

/// The page as a browser sees it, when a headless Chromium is installed
/// (`apt-get install chromium`): it loads without a console error, at a
/// phone's width too. Skipped, with a note, when there is none.
#[test]
fn chromium_renders_the_page_without_an_error() {
    let Some(browser) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("note: no chromium installed; the page was not rendered");
        return;
    };
    let env = fixture();
    env.xaas("--lang zh report -o r.html").ok();
    let page = env.dir.path().join("r.html");
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=390,2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .env("HOME", env.dir.path())
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(dom.contains("续费报告"), "the page did not load:\n{log}");
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:?}");
}
