//! `xaas digest [--since D] [--mine] [FILTERS] [--format md|json]`: the
//! week's renewals as a text to mail (or Markdown, or JSON). Nothing at all
//! when there is nothing in it, so cron mails nothing.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use xaas::date::iso;
use xaas::digest::{Change, Digest, Flow, Overdue, Periods, Term};
use xaas::labels::Lang;
use xaas::money::Cents;
use xaas::msg::digest as m;
use xaas::ops;
use xaas::stats::Tally;

use super::filters::CustomerFilterArgs;
use super::output::{self, display_width, pad, thousands, FormatArg};
use super::stats::money;
use super::{parse_day, Ctx, UsageError};

/// The week in one mail: due, untouched, at risk, renewed and lost (with reasons), tasks past due, touch rate, each change from the week before (silent when empty)
#[derive(Args, Debug)]
pub struct DigestArgs {
    /// First day of the period [default: 6 days before today: the 7 days
    /// ending today]; the previous period, for the changes, has the same
    /// length
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<NaiveDate>,
    // Whose book: the customer filters (the window, status and health
    // ones would cut the digest's own figures).
    #[command(flatten)]
    pub filters: CustomerFilterArgs,
}

/// What the digest is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Markdown,
}

pub fn run(ctx: &Ctx, a: DigestArgs) -> Result<ExitCode> {
    let style = match ctx.format_arg {
        Some(FormatArg::Json) => None,
        Some(FormatArg::Md) => Some(Style::Markdown),
        Some(f @ (FormatArg::Csv | FormatArg::Tsv)) => {
            let name = if f == FormatArg::Csv { "csv" } else { "tsv" };
            return Err(UsageError(m::no_delimited(name)).into());
        }
        // A text whether on a terminal or piped into mail.
        None | Some(FormatArg::Auto | FormatArg::Table) => Some(Style::Plain),
    };
    let periods = Periods::new(a.since, ctx.clock.today).map_err(UsageError)?;
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open_read()?;
    let d = ops::digest::digest(&db, &f, periods)?;
    let mut w = output::stdout();
    match style {
        None => {
            serde_json::to_writer_pretty(&mut w, &d.to_json())?;
            writeln!(w)?;
        }
        Some(_) if d.is_empty() => {}
        Some(Style::Plain) => w.write_all(plain(&d, ctx.lang).as_bytes())?,
        Some(Style::Markdown) => w.write_all(markdown(&d, ctx.lang).as_bytes())?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The widest line of the plain text, in terminal columns (a mail's).
const WIDTH: usize = 80;
/// The plain text's first column: the label, indent included.
const LABEL: usize = 27;

/// The widths of the plain text's other columns: the count
/// (right-aligned), its change, the amount (right-aligned); the amount's
/// change ends the line. At least a small book's, wider when a figure
/// needs it, the same for every row so that the figures line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Grid {
    count: usize,
    change: usize,
    amount: usize,
}

impl Grid {
    fn of<'a>(figures: impl IntoIterator<Item = &'a Figure>) -> Grid {
        let mut g = Grid {
            count: 6,
            change: 9,
            amount: 16,
        };
        for f in figures {
            g.count = g.count.max(display_width(&f.count) + 1);
            g.change = g.change.max(display_width(&f.count_change()));
            g.amount = g.amount.max(display_width(&f.amount) + 1);
        }
        g
    }
}

fn lpad(s: &str, width: usize) -> String {
    format!("{}{s}", " ".repeat(width.saturating_sub(display_width(s))))
}

/// `s` cut to `width` columns, with `…` where it was cut.
fn fit(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// `+3`, `-1`, `±0`.
fn signed_count(n: i128) -> String {
    match n {
        0 => "±0".into(),
        n if n > 0 => format!("+{}", thousands(n as u64)),
        n => format!("-{}", thousands(n.unsigned_abs() as u64)),
    }
}

/// `+60,000.00`, `-1,500.00`, `±0.00`.
fn signed_amount(c: Cents) -> String {
    match c.0 {
        0 => "±0.00".into(),
        n if n > 0 => format!("+{}", money(c)),
        n => format!("-{}", money(Cents(-n))),
    }
}

fn percent(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
}

/// `+12.5`, `-3.0`, `±0.0` (points of a percentage).
fn signed_points(p: f64) -> String {
    let p = (p * 1000.0).round() / 10.0;
    if p == 0.0 {
        "±0.0".into()
    } else if p > 0.0 {
        format!("+{p:.1}")
    } else {
        format!("{p:.1}")
    }
}

/// The title, the CSMs it is for after it.
fn title(d: &Digest) -> String {
    let mut t = m::digest_title(iso(d.periods.now.from), iso(d.periods.now.to));
    if !d.csm.is_empty() {
        t.push_str(" · ");
        t.push_str(&d.csm.join(", "));
    }
    t
}

fn against(d: &Digest) -> String {
    let p = d.periods.before;
    m::against((p.to - p.from).num_days() + 1, iso(p.from), iso(p.to))
}

/// A row of figures: a count and an amount, each with its change if given.
struct Figure {
    label: String,
    count: String,
    count_change: Option<String>,
    amount: String,
    amount_change: Option<String>,
}

impl Figure {
    fn stock(label: String, t: Tally) -> Figure {
        Figure {
            label,
            count: thousands(t.count),
            count_change: None,
            amount: money(t.amount),
            amount_change: None,
        }
    }

    fn flow(label: String, c: &Change) -> Figure {
        Figure {
            label,
            count: thousands(c.now.count),
            count_change: Some(signed_count(c.count_change())),
            amount: money(c.now.amount),
            amount_change: Some(signed_amount(c.amount_change())),
        }
    }

    /// ` (+3)`, or nothing.
    fn count_change(&self) -> String {
        change(&self.count_change)
    }

    fn plain(&self, g: Grid) -> String {
        let line = format!(
            "{}{}{}{}{}",
            pad(&format!("  {}", self.label), LABEL),
            lpad(&self.count, g.count),
            pad(&self.count_change(), g.change),
            lpad(&self.amount, g.amount),
            change(&self.amount_change),
        );
        line.trim_end().to_string()
    }

    fn markdown(&self) -> String {
        let with = |v: &str, c: &Option<String>| match c {
            Some(c) => format!("{v} ({c})"),
            None => v.to_string(),
        };
        format!(
            "| {} | {} | {} |",
            md(&self.label),
            with(&self.count, &self.count_change),
            with(&self.amount, &self.amount_change)
        )
    }
}

/// ` (+3)` after a figure, or nothing.
fn change(c: &Option<String>) -> String {
    c.as_ref().map_or(String::new(), |c| format!(" ({c})"))
}

/// A section's head: its title, and the columns' names over them.
fn head_plain(title: &str, g: Grid) -> String {
    format!(
        "{}{}{}{}",
        pad(title, LABEL),
        lpad(&m::col_count(), g.count),
        " ".repeat(g.change),
        lpad(&m::col_amount(), g.amount)
    )
}

fn open_figures(d: &Digest) -> Vec<Figure> {
    vec![
        Figure::stock(m::due_30(), d.due.within_30),
        Figure::stock(m::due_90(), d.due.within_90),
        Figure::stock(m::expired(), d.due.expired),
        Figure::stock(m::untouched(), d.due.untouched),
        Figure::stock(m::at_risk(), d.due.at_risk),
    ]
}

/// `satisfaction 1 · lapsed 1`.
fn reasons(flow: &Flow, lang: Lang) -> String {
    flow.by_kind
        .iter()
        .map(|(k, t)| format!("{} {}", k.label(lang), thousands(t.count)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A named term: its amount (right-aligned to `width` columns), service,
/// why it was lost (if it was), and whose it is:
/// `49,000.00  S0002  satisfaction · 中科智联 (C0002) · 云WAF`.
fn term_line(t: &Term, lang: Lang, sep: &str, width: usize) -> String {
    let mut whose = format!("{} ({})", t.customer_name, t.customer_id);
    if let Some(p) = t.product.as_deref().filter(|p| !p.is_empty()) {
        whose.push_str(" · ");
        whose.push_str(p);
    }
    let why = t
        .lost
        .map_or(String::new(), |l| format!("{} · ", l.label(lang)));
    let amount = lpad(&money(t.counted()), width);
    format!("{amount}{sep}{}{sep}{why}{whose}", t.service_id)
}

/// The widest amount of the terms named, in columns.
fn amount_width(terms: &[Term]) -> usize {
    terms
        .iter()
        .map(|t| money(t.counted()).len())
        .max()
        .unwrap_or(0)
}

/// `Tasks past due` for a heading: English starts with a capital.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A colon before a value, as each language writes it.
fn colon() -> &'static str {
    xaas::msg::pick(": ", "：")
}

fn task_line(t: &xaas::digest::LateTask, lang: Lang, sep: &str) -> String {
    let title = match lang {
        Lang::En => &t.title_en,
        Lang::Zh => &t.title_zh,
    };
    let about = t
        .service_id
        .as_deref()
        .map_or(String::new(), |s| format!("{s} · "));
    format!(
        "{}{sep}{} {} · {about}{title}",
        iso(t.due),
        t.customer_id,
        t.customer_name
    )
}

/// The touch rate (right-aligned to `width` columns), its change, and its
/// counts.
fn touch_text(d: &Digest, width: usize) -> String {
    let t = d.touch;
    let mut s = lpad(&percent(t.now.rate()), width);
    if let Some(c) = t.change() {
        s.push(' ');
        s.push_str(&m::points(signed_points(c)));
    }
    s.push_str(&m::touch_detail(
        thousands(t.now.touched),
        thousands(t.now.customers),
    ));
    s
}

/// The digest as plain text: no colour, no borders, lines of at most 80
/// columns (a named term or task is cut with `…`).
fn plain(d: &Digest, lang: Lang) -> String {
    let mut out: Vec<String> = vec![
        fit(&title(d), WIDTH),
        fit(&against(d), WIDTH),
        String::new(),
    ];
    let open = open_figures(d);
    let renewed = Figure::flow(m::renewed(), &d.renewed.tally);
    let lost = Figure::flow(m::lost(), &d.lost.tally);
    let g = Grid::of(open.iter().chain([&renewed, &lost]));
    out.push(head_plain(&m::open_title(iso(d.periods.now.to)), g));
    out.extend(open.iter().map(|f| f.plain(g)));
    out.push(String::new());
    out.push(head_plain(&m::since_title(iso(d.periods.now.from)), g));
    let named = |terms: &[Term]| -> Vec<String> {
        let width = amount_width(terms);
        terms
            .iter()
            .map(|t| fit(&format!("      {}", term_line(t, lang, "  ", width)), WIDTH))
            .collect()
    };
    out.push(renewed.plain(g));
    out.extend(named(&d.renewed.largest));
    out.push(lost.plain(g));
    if !d.lost.by_kind.is_empty() {
        out.push(fit(
            &format!("    {}{}", m::by_reason(), reasons(&d.lost, lang)),
            WIDTH,
        ));
    }
    out.extend(named(&d.lost.largest));
    out.push(fit(
        &format!(
            "{}{}",
            pad(&format!("  {}", m::digest_touch_rate()), LABEL),
            touch_text(d, g.count)
        ),
        WIDTH,
    ));
    out.push(String::new());
    out.push(tasks_plain(&d.overdue, g));
    out.extend(
        d.overdue
            .oldest
            .iter()
            .map(|t| fit(&format!("      {}", task_line(t, lang, "  ")), WIDTH)),
    );
    let mut text = out.join("\n");
    text.push('\n');
    text
}

fn tasks_plain(o: &Overdue, g: Grid) -> String {
    format!(
        "{}{}",
        pad(&capital(&m::tasks_past_due()), LABEL),
        lpad(&thousands(o.count), g.count)
    )
}

/// Markdown's special characters in a value, escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(
            ch,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The digest as Markdown: a heading per section, the figures as small
/// tables, the named terms and tasks as lists.
fn markdown(d: &Digest, lang: Lang) -> String {
    let table_head = format!(
        "| | {} | {} |\n|---|---:|---:|",
        m::col_count(),
        m::col_amount()
    );
    let mut out: Vec<String> = vec![
        format!("# {}", md(&title(d))),
        String::new(),
        against(d),
        String::new(),
        format!("## {}", m::open_title(iso(d.periods.now.to))),
        String::new(),
        table_head.clone(),
    ];
    out.extend(open_figures(d).iter().map(Figure::markdown));
    out.push(String::new());
    out.push(format!("## {}", m::since_title(iso(d.periods.now.from))));
    out.push(String::new());
    out.push(table_head);
    out.push(Figure::flow(m::renewed(), &d.renewed.tally).markdown());
    out.push(Figure::flow(m::lost(), &d.lost.tally).markdown());
    out.push(String::new());
    let list = |out: &mut Vec<String>, lead: String, terms: &[Term]| {
        if terms.is_empty() {
            return;
        }
        out.push(lead);
        out.push(String::new());
        out.extend(
            terms
                .iter()
                .map(|t| format!("- {}", md(&term_line(t, lang, " ", 0)))),
        );
        out.push(String::new());
    };
    list(&mut out, m::largest_renewals(), &d.renewed.largest);
    if !d.lost.by_kind.is_empty() {
        out.push(format!(
            "{}{}",
            m::lost_by_reason(),
            md(&reasons(&d.lost, lang))
        ));
        out.push(String::new());
    }
    list(&mut out, m::largest_losses(), &d.lost.largest);
    out.push(format!(
        "{}{}{}",
        capital(&m::digest_touch_rate()),
        colon(),
        touch_text(d, 0)
    ));
    out.push(String::new());
    out.push(format!(
        "## {}{}{}",
        capital(&m::tasks_past_due()),
        colon(),
        thousands(d.overdue.count)
    ));
    if !d.overdue.oldest.is_empty() {
        out.push(String::new());
        out.extend(
            d.overdue
                .oldest
                .iter()
                .map(|t| format!("- {}", md(&task_line(t, lang, " ")))),
        );
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed_count(3), "+3");
        assert_eq!(signed_count(-1234), "-1,234");
        assert_eq!(signed_count(0), "±0");
        assert_eq!(signed_amount(Cents(6_000_000)), "+60,000.00");
        assert_eq!(signed_amount(Cents(-150_050)), "-1,500.50");
        assert_eq!(signed_amount(Cents(0)), "±0.00");
        assert_eq!(signed_points(0.125), "+12.5");
        assert_eq!(signed_points(-0.03), "-3.0");
        assert_eq!(signed_points(0.0001), "±0.0");
    }

    #[test]
    fn a_long_line_is_cut_to_its_width_counting_wide_characters() {
        let s = format!("      {}", "华宇科技有限公司".repeat(10));
        let cut = fit(&s, WIDTH);
        assert_eq!(
            display_width(&cut),
            WIDTH - 1,
            "no half of a wide character"
        );
        assert!(cut.ends_with('…'));
        assert_eq!(fit("short", WIDTH), "short");
    }

    /// A book of a million services: 170k due within 90 days, 17 billion
    /// yuan; a week of 7,000 renewals, 700 million yuan.
    #[test]
    fn rows_of_a_large_book_line_up_within_eighty_columns() {
        let stock = Figure::stock(
            "untouched in their window".into(),
            Tally {
                count: 170_000,
                amount: Cents(1_700_000_000_000),
            },
        );
        let flow = Figure {
            label: "renewed".into(),
            count: thousands(7_000),
            count_change: Some(signed_count(-1_234)),
            amount: money(Cents(70_000_000_000)),
            amount_change: Some(signed_amount(Cents(-10_000_000_000))),
        };
        let g = Grid::of([&stock, &flow]);
        let (a, b) = (stock.plain(g), flow.plain(g));
        assert!(display_width(&b) <= WIDTH, "{b}");
        assert_eq!(a.find("17,"), b.find(" 700,").map(|i| i - 2), "{a}\n{b}");
        let small = Figure::stock("at risk".into(), Tally::default());
        assert_eq!(
            small.plain(Grid::of([&small])),
            "  at risk                       0                     0.00"
        );
    }

    #[test]
    fn markdown_escapes_what_would_format() {
        assert_eq!(md("a|b *c* [d]_e"), "a\\|b \\*c\\* \\[d\\]\\_e");
    }
}
