//! The report to look at (`xaas report -o FILE.html`): one self-contained
//! HTML page — inline CSS, inline SVG charts, no script, nothing fetched —
//! rendered from a plain `Data` by a pure function. Every text is in the
//! language of this run (`msg::lang`); every value from the book (names,
//! reasons) goes through maud, which escapes it.

use chrono::{Datelike, NaiveDate};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::columns::Col;
use crate::date::iso;
use crate::filter::Filters;
use crate::health::Band;
use crate::labels::Lang;
use crate::money::Cents;
use crate::msg::{self, report as m};
use crate::stats::{Figures, Period, Touch, NO_VALUE};
use crate::status::{Reason, Status};
use crate::window::Window;

mod svg;

use svg::{Bar, Group};

/// One month of the renewal cohort: the terms expiring in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthRates {
    /// The month's first day.
    pub month: NaiveDate,
    pub due_customers: u64,
    pub renewed_customers: u64,
    pub due_amount: Cents,
    pub renewed_amount: Cents,
}

impl MonthRates {
    pub fn logo_rate(&self) -> Option<f64> {
        rate(self.renewed_customers as f64, self.due_customers as f64)
    }

    pub fn amount_rate(&self) -> Option<f64> {
        rate(self.renewed_amount.0 as f64, self.due_amount.0 as f64)
    }
}

fn rate(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// What the forecast says of the terms expiring in a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForecastSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub renewed: Cents,
    pub lost: Cents,
    /// The open terms' expected amount, and its low–high range.
    pub expected: Cents,
    pub low: Cents,
    pub high: Cents,
}

/// Everything the report shows.
#[derive(Clone, Debug)]
pub struct Data {
    pub as_of: NaiveDate,
    /// The renewal cohort the rates are over.
    pub period: Period,
    /// The filters, as (name, values) in words (`scope_of`).
    pub scope: Vec<(String, String)>,
    pub total: Figures,
    /// Per CSM (`stats --by csm`'s groups), in name order.
    pub by_csm: Vec<(String, Figures)>,
    /// Oldest first.
    pub months: Vec<MonthRates>,
    pub forecast: Option<ForecastSummary>,
}

impl Data {
    /// Whether there is nothing to chart: no service and no term.
    pub fn is_empty(&self) -> bool {
        self.total.services.count == 0 && self.total.due_terms == 0
    }
}

/// The filters in words, for the header: each filter's name and its
/// values joined (`csm`: `张伟, 王芳`).
pub fn scope_of(f: &Filters) -> Vec<(String, String)> {
    let lang = msg::lang();
    let word = |en: &str, zh: &str| -> String {
        match lang {
            Lang::En => en.to_string(),
            Lang::Zh => zh.to_string(),
        }
    };
    let mut out = Vec::new();
    let mut push = |name: String, values: Vec<String>| {
        if !values.is_empty() {
            out.push((name, values.join(", ")));
        }
    };
    push(word("customer", "客户"), f.customer.clone());
    push(word("search", "搜索"), f.search.clone());
    for (col, values) in &f.attrs {
        push(col_name(*col, lang), values.clone());
    }
    push(
        word("service_type", "服务类型"),
        f.service_type
            .iter()
            .map(|t| t.label(lang).into())
            .collect(),
    );
    push(
        word("window", "到期窗口"),
        f.window.iter().map(|w| w.label(lang).into()).collect(),
    );
    push(
        word("status", "续费状态"),
        f.status.iter().map(|s| s.label(lang).into()).collect(),
    );
    push(
        word("run_status", "运行状态"),
        f.run_status.iter().map(|s| s.label(lang).into()).collect(),
    );
    push(
        word("expires_after", "到期日不早于"),
        f.expires_after.map(iso).into_iter().collect(),
    );
    push(
        word("expires_before", "到期日不晚于"),
        f.expires_before.map(iso).into_iter().collect(),
    );
    push(
        word("health", "健康度"),
        f.health.iter().map(|b| b.label(lang).into()).collect(),
    );
    out
}

fn col_name(c: Col, lang: Lang) -> String {
    match lang {
        Lang::En => c.id().to_string(),
        Lang::Zh => c.zh().to_string(),
    }
}

// Colours readable on white and on paper, told apart in grey too.
const BLUE: &str = "#2f6fb3";
const ORANGE: &str = "#d9822b";
const GREEN: &str = "#3f9142";
const GREY: &str = "#8a96a3";
const RED: &str = "#c23b3b";
const AMBER: &str = "#e0b43a";

const CSS: &str = r#"
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1f2933;line-height:1.45;
 font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","WenQuanYi Micro Hei",sans-serif}
main{max-width:1120px;margin:0 auto;padding:20px}
h1{font-size:1.6rem;margin:0 0 .2rem}
h2{font-size:1.2rem;margin:0 0 .4rem;padding-bottom:.2rem;border-bottom:2px solid #d9e2ec}
h3{font-size:.95rem;margin:.6rem 0 .3rem;color:#334e68}
p{margin:.2rem 0}
.meta{color:#52606d}
.note{color:#52606d;font-size:.9rem}
.empty{border:1px solid #d9e2ec;border-radius:6px;padding:14px;margin:16px 0}
section{margin:26px 0;break-inside:avoid}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(135px,1fr));gap:10px;margin-top:10px}
.tile{border:1px solid #d9e2ec;border-radius:6px;padding:8px 12px}
.tile b{display:block;font-size:1.35rem;font-variant-numeric:tabular-nums}
.tile span{color:#52606d;font-size:.9rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:8px 28px}
svg.chart{display:block;width:100%;height:auto;max-width:500px;overflow:visible}
svg.chart text{fill:#1f2933}
.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.9rem}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px;
 -webkit-print-color-adjust:exact;print-color-adjust:exact}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.88rem;margin-top:.3rem;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid #e4e7eb;text-align:right;white-space:nowrap}
th{color:#334e68;font-weight:600}
th:first-child,td:first-child{text-align:left}
footer{margin:30px 0 10px;color:#7b8794;font-size:.8rem}
@media (max-width:600px){
 main{padding:12px}
 h1{font-size:1.3rem}
 .pair{grid-template-columns:1fr}
 .tiles{grid-template-columns:1fr 1fr}
}
@media print{
 main{max-width:none;padding:0}
 section{break-inside:avoid;page-break-inside:avoid}
 h2,h3{break-after:avoid}
 footer{break-before:avoid}
 .scroll{overflow:visible}
 svg.chart{max-width:17cm}
}
"#;

/// The whole page.
pub fn render(d: &Data) -> String {
    let lang = msg::lang();
    let html_lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let scope = if d.scope.is_empty() {
        m::scope_all()
    } else {
        let parts: Vec<String> = d.scope.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        m::scope(parts.join(" · "))
    };
    let page = html! {
        (DOCTYPE)
        html lang=(html_lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (m::report_title()) " · " (iso(d.as_of)) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    header {
                        h1 { (m::report_title()) }
                        p.meta { (m::as_of(iso(d.as_of))) " · " (m::cohort(iso(d.period.from), iso(d.period.to))) }
                        p.meta.scope { (scope) }
                    }
                    @if d.is_empty() {
                        p.empty { (m::empty()) }
                    } @else {
                        (overview(d, lang))
                        (windows(&d.total, lang))
                        (statuses(&d.total, lang))
                        (months(d, lang))
                        (reasons(&d.total, lang))
                        (csms(d))
                        (health(&d.total, lang))
                        (forecast(d))
                    }
                    footer { (m::footer(env!("CARGO_PKG_VERSION"))) }
                }
            }
        }
    };
    page.into_string()
}

/// `12.3%`, or `–` with no denominator.
pub fn percent(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{:.1}%", r * 100.0))
}

/// Whole yuan with thousands separators: `12,345`.
pub fn yuan(c: Cents) -> String {
    let whole = (c.0 + 50).div_euclid(100);
    let sign = if whole < 0 { "-" } else { "" };
    format!("{sign}{}", count(whole.unsigned_abs()))
}

/// A count with thousands separators: `200,000`.
pub fn count(n: impl Into<u128>) -> String {
    let s = n.into().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// An amount short enough for a tile: `407.0M`, `4.07亿`, `40,702.6万`;
/// below ten thousand yuan, as `yuan` writes it.
pub fn compact_yuan(c: Cents, lang: Lang) -> String {
    let y = c.0 as f64 / 100.0;
    let steps: &[(f64, &str, usize)] = match lang {
        Lang::En => &[(1e9, "B", 2), (1e6, "M", 1), (1e4, "K", 1)],
        Lang::Zh => &[(1e8, "亿", 2), (1e4, "万", 1)],
    };
    for &(unit, word, decimals) in steps {
        if y.abs() >= unit {
            return format!("{:.*}{word}", decimals, y / unit);
        }
    }
    yuan(c)
}

fn touch_total(touch: &[(String, Touch)]) -> Touch {
    touch.iter().fold(Touch::default(), |a, (_, t)| Touch {
        customers: a.customers + t.customers,
        touched: a.touched + t.touched,
    })
}

fn group_name(name: &str) -> String {
    if name == NO_VALUE {
        msg::stats::no_value_group()
    } else {
        name.to_string()
    }
}

fn legend(items: &[(String, &'static str)]) -> Markup {
    html! {
        ul.legend {
            @for (name, color) in items {
                li { i style={"background:" (color)} {} (name) }
            }
        }
    }
}

fn overview(d: &Data, lang: Lang) -> Markup {
    let t = &d.total;
    let tiles = [
        (m::tile_services(), count(t.services.count)),
        (m::tile_customers(), count(t.customers)),
        (m::tile_amount(), compact_yuan(t.services.amount, lang)),
        (m::logo_rate(), percent(t.logo_rate())),
        (m::amount_rate(), percent(t.amount_rate())),
        (
            m::report_touch_rate(),
            percent(touch_total(&t.touch).rate()),
        ),
        (m::healthy_rate(), percent(t.healthy_rate())),
    ];
    html! {
        section #overview {
            h2 { (m::overview()) }
            div.tiles {
                @for (label, value) in &tiles {
                    div.tile { b { (value) } span { (label) } }
                }
            }
        }
    }
}

fn windows(t: &Figures, lang: Lang) -> Markup {
    let colors = [RED, ORANGE, AMBER, GREEN];
    let count: Vec<Bar> = Window::ALL
        .iter()
        .map(|&w| Bar {
            label: w.label(lang).into(),
            value: t.by_window[w as usize] as f64,
            text: count(t.by_window[w as usize]),
            color: colors[w as usize],
        })
        .collect();
    let amount: Vec<Bar> = Window::ALL
        .iter()
        .map(|&w| Bar {
            label: w.label(lang).into(),
            value: t.window_amount[w as usize].0 as f64,
            text: yuan(t.window_amount[w as usize]),
            color: colors[w as usize],
        })
        .collect();
    html! {
        section #windows {
            h2 { (m::windows()) }
            div.pair {
                div { h3 { (m::windows_count()) } (svg::hbars(&m::windows_count(), &count, None)) }
                div { h3 { (m::windows_amount()) } (svg::hbars(&m::windows_amount(), &amount, None)) }
            }
        }
    }
}

fn status_color(s: Status) -> &'static str {
    match s {
        Status::Renewed => GREEN,
        Status::NotRenewing | Status::Lapsed => RED,
        Status::AtRisk | Status::Suspended => ORANGE,
        Status::Unset => GREY,
        _ => BLUE,
    }
}

fn statuses(t: &Figures, lang: Lang) -> Markup {
    let bars: Vec<Bar> = Status::ALL
        .iter()
        .filter(|&&s| t.by_status[s as usize] > 0)
        .map(|&s| Bar {
            label: s.label(lang).into(),
            value: t.by_status[s as usize] as f64,
            text: count(t.by_status[s as usize]),
            color: status_color(s),
        })
        .collect();
    html! {
        section #statuses {
            h2 { (m::statuses()) }
            h3 { (m::statuses_count()) }
            (svg::hbars(&m::statuses_count(), &bars, None))
        }
    }
}

/// `Dec` or `12月`, and the year under each January and under the first
/// month unless a January follows too closely (the years would touch).
fn month_label(d: NaiveDate, first: bool, lang: Lang) -> (String, Option<String>) {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let label = match lang {
        Lang::En => EN[d.month0() as usize].to_string(),
        Lang::Zh => format!("{}月", d.month()),
    };
    let year = ((first && d.month() <= 10) || d.month() == 1).then(|| d.year().to_string());
    (label, year)
}

fn months(d: &Data, lang: Lang) -> Markup {
    let x: Vec<(String, Option<String>)> = d
        .months
        .iter()
        .enumerate()
        .map(|(i, r)| month_label(r.month, i == 0, lang))
        .collect();
    let series = [
        (
            m::logo_rate(),
            BLUE,
            d.months.iter().map(MonthRates::logo_rate).collect(),
        ),
        (
            m::amount_rate(),
            ORANGE,
            d.months.iter().map(MonthRates::amount_rate).collect(),
        ),
    ];
    let keys: Vec<(String, &'static str)> = series.iter().map(|s| (s.0.clone(), s.1)).collect();
    html! {
        section #months {
            h2 { (m::months()) }
            p.note { (m::months_note()) }
            @if d.months.is_empty() {
                p.note { (m::no_data()) }
            } @else {
                (legend(&keys))
                (svg::lines(&m::months(), &x, &series))
                div.scroll {
                    table {
                        thead { tr {
                            th { (m::month()) }
                            th { (m::due_customers()) }
                            th { (m::renewed_customers()) }
                            th { (m::logo_rate()) }
                            th { (m::due_amount()) }
                            th { (m::renewed_amount()) }
                            th { (m::amount_rate()) }
                        } }
                        tbody {
                            @for r in &d.months {
                                tr {
                                    td { (r.month.format("%Y-%m").to_string()) }
                                    td { (count(r.due_customers)) }
                                    td { (count(r.renewed_customers)) }
                                    td { (percent(r.logo_rate())) }
                                    td { (yuan(r.due_amount)) }
                                    td { (yuan(r.renewed_amount)) }
                                    td { (percent(r.amount_rate())) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn reasons(t: &Figures, lang: Lang) -> Markup {
    let bars: Vec<Bar> = Reason::ALL
        .iter()
        .filter(|&&r| t.reasons[r as usize].count > 0)
        .map(|&r| {
            let tally = t.reasons[r as usize];
            Bar {
                label: r.label(lang).into(),
                value: tally.count as f64,
                text: format!("{} · ¥{}", count(tally.count), yuan(tally.amount)),
                color: RED,
            }
        })
        .collect();
    html! {
        section #reasons {
            h2 { (m::reasons()) }
            @if bars.is_empty() {
                p.note { (m::reasons_none()) }
            } @else {
                p.note { (m::reasons_note()) }
                (svg::hbars(&m::reasons(), &bars, None))
            }
        }
    }
}

/// One CSM's row: name, customers, touch rate, logo rate, amount rate.
struct CsmRow {
    name: String,
    customers: u64,
    touch: Option<f64>,
    logo: Option<f64>,
    amount: Option<f64>,
}

fn csm_rows(d: &Data) -> Vec<CsmRow> {
    let mut names: Vec<&str> = d.by_csm.iter().map(|(n, _)| n.as_str()).collect();
    for (n, _) in &d.total.touch {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let f = d.by_csm.iter().find(|(n, _)| n == name).map(|(_, f)| f);
            let touch = d
                .total
                .touch
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| *t)
                .unwrap_or_default();
            CsmRow {
                name: group_name(name),
                customers: f.map_or(touch.customers, |f| f.customers),
                touch: touch.rate(),
                logo: f.and_then(Figures::logo_rate),
                amount: f.and_then(Figures::amount_rate),
            }
        })
        .collect()
}

fn csms(d: &Data) -> Markup {
    let rows = csm_rows(d);
    let series = [
        (m::report_touch_rate(), GREEN),
        (m::logo_rate(), BLUE),
        (m::amount_rate(), ORANGE),
    ];
    let groups: Vec<Group> = rows
        .iter()
        .map(|r| Group {
            label: r.name.clone(),
            values: [r.touch, r.logo, r.amount]
                .into_iter()
                .map(|v| (v, percent(v)))
                .collect(),
        })
        .collect();
    let keys: Vec<(String, &'static str)> = series.to_vec();
    html! {
        section #csms {
            h2 { (m::csms()) }
            p.note { (m::csms_note()) }
            @if rows.is_empty() {
                p.note { (m::no_data()) }
            } @else {
                div.pair {
                    div {
                        (legend(&keys))
                        (svg::grouped(&m::csms(), &series, &groups, 1.0))
                    }
                    div.scroll {
                        table {
                            thead { tr {
                                th { (m::csm()) }
                                th { (m::customers_col()) }
                                th { (m::report_touch_rate()) }
                                th { (m::logo_rate()) }
                                th { (m::amount_rate()) }
                            } }
                            tbody {
                                @for r in &rows {
                                    tr.csm {
                                        td { (r.name) }
                                        td { (count(r.customers)) }
                                        td { (percent(r.touch)) }
                                        td { (percent(r.logo)) }
                                        td { (percent(r.amount)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn health(t: &Figures, lang: Lang) -> Markup {
    let color = |b: Band| match b {
        Band::Danger => RED,
        Band::Fair => AMBER,
        Band::Healthy => GREEN,
        Band::Unknown => GREY,
    };
    let bars: Vec<Bar> = Band::ALL
        .iter()
        .map(|&b| Bar {
            label: b.label(lang).into(),
            value: t.customers_by_band[b as usize] as f64,
            text: count(t.customers_by_band[b as usize]),
            color: color(b),
        })
        .collect();
    html! {
        section #health {
            h2 { (m::health()) }
            p.note { (m::health_note()) " · " (m::healthy_rate()) " " (percent(t.healthy_rate())) }
            (svg::hbars(&m::health(), &bars, None))
        }
    }
}

fn forecast(d: &Data) -> Markup {
    html! {
        section #forecast {
            h2 { (m::forecast()) }
            @match &d.forecast {
                None => p.note { (m::forecast_missing()) },
                Some(f) => {
                    p.note { (m::forecast_period(iso(f.from), iso(f.to))) }
                    (svg::hbars(&m::forecast(), &[
                        Bar { label: m::forecast_renewed(), value: f.renewed.0 as f64, text: yuan(f.renewed), color: GREEN },
                        Bar { label: m::forecast_lost(), value: f.lost.0 as f64, text: yuan(f.lost), color: RED },
                        Bar { label: m::forecast_expected(), value: f.expected.0 as f64, text: yuan(f.expected), color: BLUE },
                    ], Some(f.high.0 as f64)))
                    p.note { (m::forecast_expected()) ": " (m::forecast_range(yuan(f.low), yuan(f.high))) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
