use super::*;
use crate::msg::in_lang;
use crate::stats::Tally;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Two CSMs (one with a name to escape), a year of months, reasons.
fn sample() -> Data {
    let mut total = Figures {
        services: Tally {
            count: 6,
            amount: Cents(265_000),
        },
        customers: 3,
        by_window: [2, 1, 0, 3],
        window_amount: [Cents(50_000), Cents(50_000), Cents(0), Cents(165_000)],
        due_customers: 2,
        renewed_customers: 1,
        due_terms: 3,
        due_amount: Cents(150_000),
        renewed_amount: Cents(150_000),
        customers_by_band: [1, 0, 1, 1],
        ..Figures::default()
    };
    total.by_status[Status::NotRenewing as usize] = 1;
    total.by_status[Status::Pending as usize] = 5;
    total.reasons[Reason::Budget as usize] = Tally {
        count: 1,
        amount: Cents(20_000),
    };
    total.touch = vec![
        (
            "<b>&\"".into(),
            Touch {
                customers: 2,
                touched: 1,
            },
        ),
        (
            "张伟".into(),
            Touch {
                customers: 1,
                touched: 1,
            },
        ),
    ];
    let a = Figures {
        customers: 2,
        due_customers: 1,
        renewed_customers: 1,
        ..Figures::default()
    };
    let b = Figures {
        customers: 1,
        due_customers: 1,
        ..Figures::default()
    };
    let months = (0..12)
        .map(|k| MonthRates {
            month: d("2025-12-01").checked_add_months(Months::new(k)).unwrap(),
            due_customers: if k == 3 { 0 } else { 4 },
            renewed_customers: u64::from(k % 5),
            due_amount: Cents(if k == 3 { 0 } else { 10_000 }),
            renewed_amount: Cents(2_500 * i128::from(k % 6)),
        })
        .collect();
    Data {
        as_of: d("2026-11-23"),
        period: Period::year_to(d("2026-11-23")),
        scope: vec![("csm".into(), "<b>&\"".into())],
        total,
        by_csm: vec![("<b>&\"".into(), a), ("张伟".into(), b)],
        months,
        forecast: None,
    }
}

use chrono::Months;

fn parse_errors(page: &str) -> Vec<String> {
    scraper::Html::parse_document(page)
        .errors
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn the_page_parses_without_an_error_and_fetches_nothing() {
    let page = render(&sample());
    assert_eq!(parse_errors(&page), Vec::<String>::new());
    // The check can fail: a stray end tag is an error.
    assert!(!parse_errors("<!DOCTYPE html><html><body></span></body></html>").is_empty());
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..40]);
    for bad in [
        "http://", "https://", "src=", "href=", "<script", "@import", "url(",
    ] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
}

#[test]
fn names_from_the_book_are_escaped() {
    let page = render(&sample());
    assert!(!page.contains("<b>&\""), "a raw name in the page");
    assert!(
        page.contains("&lt;b&gt;&amp;&quot;"),
        "escaped name missing"
    );
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("tr.csm td:first-child").unwrap();
    let names: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(names, ["<b>&\"", "张伟"]);
}

#[test]
fn each_csm_has_their_rates_as_percentages() {
    let doc = scraper::Html::parse_document(&render(&sample()));
    let sel = scraper::Selector::parse("tr.csm").unwrap();
    let rows: Vec<Vec<String>> = doc
        .select(&sel)
        .map(|r| r.text().map(str::to_string).collect())
        .collect();
    // name, customers, touch rate, logo rate, amount rate (no due amount).
    assert_eq!(rows[0], ["<b>&\"", "2", "50.0%", "100.0%", "–"]);
    assert_eq!(rows[1], ["张伟", "1", "100.0%", "0.0%", "–"]);
}

#[test]
fn in_chinese_every_title_is_chinese_and_the_page_says_so() {
    let page = in_lang(Lang::Zh, || render(&sample()));
    assert!(page.contains("<html lang=\"zh-CN\">"), "{}", &page[..80]);
    for zh in [
        "续费报告",
        "截至 2026-11-23",
        "到期窗口",
        "续费状态",
        "月度续约率与续费率",
        "不续费原因",
        "预算原因",
        "客户健康度",
        "危险",
        "续费预测",
        "暂不可用",
        "30天内过期",
        "12月",
        "翻动率",
    ] {
        assert!(page.contains(zh), "{zh} missing");
    }
    for en in [
        "Renewal report",
        "Expiry windows",
        "logo rate",
        "within_30",
        ">Dec<",
    ] {
        assert!(!page.contains(en), "{en} in the Chinese page");
    }
    assert_eq!(parse_errors(&page), Vec::<String>::new());
}

#[test]
fn an_empty_book_says_there_is_nothing_yet() {
    let data = Data {
        total: Figures::default(),
        by_csm: vec![],
        months: vec![],
        scope: vec![],
        ..sample()
    };
    let page = render(&data);
    assert!(page.contains("Nothing yet"), "{page}");
    assert!(page.contains("scope: every service"));
    assert!(!page.contains("<svg"));
    assert_eq!(parse_errors(&page), Vec::<String>::new());
}

#[test]
fn a_forecast_is_drawn_when_given() {
    let data = Data {
        forecast: Some(ForecastSummary {
            from: d("2026-11-24"),
            to: d("2027-02-21"),
            renewed: Cents(100_000),
            lost: Cents(20_000),
            expected: Cents(300_000),
            low: Cents(250_000),
            high: Cents(350_000),
        }),
        ..sample()
    };
    let page = render(&data);
    assert!(!page.contains("Not available yet"));
    assert!(page.contains("range 2,500 – 3,500"), "range missing");
    assert!(page.contains(">3,000<"), "expected amount missing");
}

#[test]
fn a_month_with_nothing_due_is_a_gap_in_the_lines() {
    let page = render(&sample());
    // Twelve months, one without a due customer: 11 points per series.
    assert_eq!(page.matches("<circle").count(), 22);
    // Dec 2025 … Nov 2026: the year under January only (the first
    // month's would touch it).
    assert!(page.contains(">Dec<") && page.contains(">2026<"));
    assert!(!page.contains(">2025<"));
}

#[test]
fn amounts_are_whole_yuan_grouped() {
    assert_eq!(yuan(Cents(123_456_789)), "1,234,568");
    assert_eq!(yuan(Cents(0)), "0");
    assert_eq!(yuan(Cents(-150_000)), "-1,500");
    assert_eq!(count(200_000u64), "200,000");
    assert_eq!(count(999u64), "999");
    assert_eq!(yuan(Cents(99_949)), "999");
    assert_eq!(percent(Some(0.5)), "50.0%");
    assert_eq!(percent(None), "–");
    assert_eq!(compact_yuan(Cents(40_702_630_000), Lang::En), "407.0M");
    assert_eq!(compact_yuan(Cents(40_702_630_000), Lang::Zh), "4.07亿");
    assert_eq!(compact_yuan(Cents(5_000_000), Lang::Zh), "5.0万");
    assert_eq!(compact_yuan(Cents(999_900), Lang::Zh), "9,999");
    assert_eq!(compact_yuan(Cents(123_400_000_000), Lang::En), "1.23B");
}

#[test]
fn the_scope_names_each_filter_in_the_language_of_the_run() {
    let mut f = Filters {
        window: vec![Window::Within30],
        ..Filters::default()
    };
    f.attr(Col::Csm, vec!["张伟".into(), "王芳".into()]);
    assert_eq!(
        scope_of(&f),
        [
            ("csm".to_string(), "张伟, 王芳".to_string()),
            ("window".into(), "within_30".into())
        ]
    );
    let zh = in_lang(Lang::Zh, || scope_of(&f));
    assert_eq!(
        zh[0],
        ("客户经营接口人".to_string(), "张伟, 王芳".to_string())
    );
    assert_eq!(zh[1], ("到期窗口".to_string(), "30天内过期".to_string()));
    assert!(scope_of(&Filters::default()).is_empty());
}
