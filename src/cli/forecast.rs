//! `xaas forecast`: what the terms of a period will bring; `--backtest`:
//! what the forecast said of past months, against what happened.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use xaas::cells::{Cell, Field};
use xaas::date::iso;
use xaas::forecast::{
    default_backtest, default_period, header_zh, Backtest, Figures, Forecast, Rates, LEAD_DAYS,
    MIN_SAMPLES, RATED,
};
use xaas::labels::Lang;
use xaas::money::Cents;
use xaas::msg::forecast as m;
use xaas::ops;
use xaas::stats::{Dim, Period};

use super::filters::FilterArgs;
use super::output::{self, thousands, Format, Out};
use super::stats::{group_name, money, percent, PeriodArgs};
use super::{Ctx, UsageError};

/// Expected renewals of the terms expiring in a period (default: today and the next 90 days), from past renewal rates by status
#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Split the figures by: csm, tier, industry, region, department, distributor, service_type
    #[arg(long, value_parser = super::choice::Choice::<Dim>::new())]
    pub by: Option<Dim>,
    /// For each month from --from to --to (past months; default: the six
    /// before this one), the forecast as made 30 days before the month
    /// against what was renewed
    #[arg(long)]
    pub backtest: bool,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
}

pub fn run(ctx: &Ctx, a: ForecastArgs) -> Result<ExitCode> {
    let today = ctx.clock.today;
    let f = a.filters.to_filters(&ctx.me)?;
    // --from/--to, each defaulting to the mode's own span.
    let span_or = |d: Period| -> Result<Period> {
        Ok(Period::between(
            Some(a.period.from.unwrap_or(d.from)),
            Some(a.period.to.unwrap_or(d.to)),
            today,
        )
        .map_err(UsageError)?)
    };
    if a.backtest {
        if a.by.is_some() {
            return Err(UsageError(m::backtest_no_by()).into());
        }
        let span = span_or(default_backtest(today))?;
        if span.to >= today {
            return Err(UsageError(m::backtest_not_past(iso(span.to), iso(today))).into());
        }
        let db = ctx.open_read()?;
        let b = ops::forecast::backtest(&db, &f, span, today)?;
        print_backtest(&b, ctx.format(), ctx.lang)?;
        return Ok(ExitCode::SUCCESS);
    }
    let period = span_or(default_period(today))?;
    let db = ctx.open_read()?;
    let fc = ops::forecast::forecast(&db, &f, a.by, period, today)?;
    match ctx.format() {
        Format::Json => json(&fc.to_json())?,
        format @ (Format::Csv | Format::Tsv) => long(&fc, format, ctx.lang)?,
        Format::Table => table(&fc, ctx.lang)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn json(v: &serde_json::Value) -> Result<()> {
    let mut w = output::stdout();
    serde_json::to_writer_pretty(&mut w, v)?;
    writeln!(w)?;
    w.flush()?;
    Ok(())
}

fn field(key: &'static str) -> Field {
    Field {
        key,
        zh: header_zh(key).unwrap_or(key),
    }
}

/// A backtested month's figures, after the columns that name it.
const BACKTESTED: &[&str] = &[
    "expected",
    "low",
    "high",
    "actual",
    "error",
    "error_pct",
    "in_range",
];

fn fields(keys: &[&'static str]) -> Vec<Field> {
    keys.iter().map(|&k| field(k)).collect()
}

/// An amount that may be negative (an error), grouped like `money`.
fn signed(c: Cents) -> String {
    if c.0 < 0 {
        format!("-{}", money(Cents(-c.0)))
    } else {
        money(c)
    }
}

/// One row per group and figure, as `stats --format csv`; the rates
/// under the group of all terms.
fn long(fc: &Forecast, format: Format, lang: Lang) -> Result<()> {
    let mut out = Out::new(
        output::stdout(),
        format,
        lang,
        fields(&["group", "figure", "value"]),
    )?;
    let all = xaas::stats::ALL.to_string();
    let mut rows: Vec<(String, String, Cell)> = Vec::new();
    let mut figures = |group: &String, f: &Figures| {
        let (p, pl, ph) = f.projected();
        for (name, t) in [
            ("due", f.due()),
            ("renewed", f.renewed),
            ("lost", f.lost),
            ("suspended", f.suspended),
            ("open", f.open),
        ] {
            rows.push((
                group.clone(),
                format!("{name}_terms"),
                Cell::Int(t.count as i64),
            ));
            rows.push((
                group.clone(),
                format!("{name}_amount"),
                Cell::Money(t.amount),
            ));
        }
        for (name, c) in [
            ("expected", f.expected()),
            ("low", f.low()),
            ("high", f.high()),
            ("projected", p),
            ("projected_low", pl),
            ("projected_high", ph),
        ] {
            rows.push((group.clone(), name.to_string(), Cell::Money(c)));
        }
    };
    figures(&all, &fc.total);
    for (name, g) in &fc.groups {
        figures(name, g);
    }
    for r in &fc.rates.0 {
        let key = |k: &str| format!("rate.{}.{k}", r.status.id());
        rows.push((
            all.clone(),
            format!("rate.{}", r.status.id()),
            ratio(r.rate),
        ));
        rows.push((all.clone(), key("low"), ratio(r.low)));
        rows.push((all.clone(), key("high"), ratio(r.high)));
        rows.push((all.clone(), key("renewed"), Cell::Int(r.renewed as i64)));
        rows.push((all.clone(), key("samples"), Cell::Int(r.samples as i64)));
        rows.push((
            all.clone(),
            key("default"),
            Cell::Text(r.default.to_string()),
        ));
    }
    for (g, figure, v) in rows {
        out.row(&[Cell::Text(g), Cell::Text(figure), v])?;
    }
    out.finish()?;
    Ok(())
}

fn ratio(x: f64) -> Cell {
    Cell::Text(format!("{x:.4}"))
}

/// The summary, the rates by status, and the groups.
fn table(fc: &Forecast, lang: Lang) -> Result<()> {
    let mut w = output::stdout();
    let (from, to) = (iso(fc.period.from), iso(fc.period.to));
    writeln!(w, "{}\n", m::forecast_title(iso(fc.as_of), &from, &to))?;
    let t = &fc.total;
    if t.due().count == 0 {
        writeln!(w, "{}", m::nothing_due(&from, &to))?;
    } else {
        let n = |x: u64| thousands(x);
        writeln!(
            w,
            "{}",
            m::due_line(n(t.due().count), money(t.due().amount))
        )?;
        writeln!(
            w,
            "{}",
            m::renewed_terms_line(n(t.renewed.count), money(t.renewed.amount))
        )?;
        writeln!(w, "{}", m::lost_line(n(t.lost.count), money(t.lost.amount)))?;
        if t.suspended.count > 0 {
            writeln!(
                w,
                "{}",
                m::suspended_line(n(t.suspended.count), money(t.suspended.amount))
            )?;
        }
        writeln!(w, "{}", m::open_line(n(t.open.count), money(t.open.amount)))?;
        writeln!(w, "{}", m::expected_line(money(t.expected())))?;
        writeln!(w, "{}", m::range_line(money(t.low()), money(t.high())))?;
        let (p, pl, ph) = t.projected();
        writeln!(w, "{}", m::projected_line(money(p)))?;
        writeln!(w, "{}", m::range_line(money(pl), money(ph)))?;
    }
    writeln!(w, "\n{}", m::rates_title(LEAD_DAYS))?;
    writeln!(w, "{}", output::render(&rates_table(&fc.rates, t, lang)))?;
    if fc.rates.0.iter().any(|r| r.default) {
        writeln!(w, "{}", m::default_note(MIN_SAMPLES))?;
    }
    if let Some(by) = fc.by {
        writeln!(w, "\n{}", m::groups_title(by.label(lang)))?;
        writeln!(w, "{}", output::render(&groups_table(fc, by, lang)))?;
    }
    w.flush()?;
    Ok(())
}

/// One line per rated status: its rate (marked when the default), range,
/// what it was learned from, and its open terms now.
fn rates_table(rates: &Rates, open: &Figures, lang: Lang) -> comfy_table::Table {
    let rows = rates
        .0
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mark = if r.default { " *" } else { "" };
            vec![
                r.status.label(lang).to_string(),
                format!("{}{mark}", percent(Some(r.rate))),
                format!("{}–{}", percent(Some(r.low)), percent(Some(r.high))),
                thousands(r.renewed),
                thousands(r.samples),
                thousands(open.open_by_status[i].count),
                money(open.expected_of(rates, RATED[i])),
            ]
        })
        .collect();
    let mut t = output::table(
        &fields(&[
            "status", "rate", "range", "renewed", "samples", "open", "expected",
        ]),
        lang,
        rows,
    );
    right(&mut t, 1..7);
    t
}

fn groups_table(fc: &Forecast, by: Dim, lang: Lang) -> comfy_table::Table {
    let rows = fc
        .groups
        .iter()
        .map(|(name, g)| {
            vec![
                group_name(name),
                thousands(g.due().count),
                money(g.renewed.amount),
                money(g.lost.amount),
                money(g.open.amount),
                money(g.expected()),
                format!("{}–{}", money(g.low()), money(g.high())),
            ]
        })
        .collect();
    let mut t = output::table(
        &fields(&[
            by.id(),
            "due",
            "renewed",
            "lost",
            "open",
            "expected",
            "range",
        ]),
        lang,
        rows,
    );
    right(&mut t, 1..7);
    t
}

fn right(t: &mut comfy_table::Table, cols: std::ops::Range<usize>) {
    for i in cols {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

/// A row per month, then the summary line (not in CSV/TSV; in JSON as
/// `mape` and `hits`).
fn print_backtest(b: &Backtest, format: Format, lang: Lang) -> Result<()> {
    if format == Format::Json {
        return json(&b.to_json());
    }
    if format == Format::Table {
        let mut w = output::stdout();
        writeln!(
            w,
            "{}\n",
            m::forecast_backtest_title(iso(b.span.from), iso(b.span.to), LEAD_DAYS)
        )?;
        let rows = b
            .rows
            .iter()
            .map(|r| {
                vec![
                    iso(r.period.from)[..7].to_string(),
                    money(r.expected()),
                    money(r.low()),
                    money(r.high()),
                    money(r.actual),
                    signed(r.error()),
                    percent(r.error_pct()),
                    match r.hit() {
                        Some(true) => m::yes(),
                        Some(false) => m::no(),
                        None => "-".into(),
                    },
                ]
            })
            .collect();
        let mut t = output::table(&fields(&[&["month"][..], BACKTESTED].concat()), lang, rows);
        right(&mut t, 1..7);
        writeln!(w, "{}\n", output::render(&t))?;
        writeln!(
            w,
            "{}",
            m::backtest_summary(percent(b.mape()), b.hits(), b.scored())
        )?;
        w.flush()?;
        return Ok(());
    }
    let mut out = Out::new(
        output::stdout(),
        format,
        lang,
        fields(&[&["from", "to", "made_on"][..], BACKTESTED].concat()),
    )?;
    for r in &b.rows {
        out.row(&[
            Cell::Date(r.period.from),
            Cell::Date(r.period.to),
            Cell::Date(r.as_of),
            Cell::Money(r.expected()),
            Cell::Money(r.low()),
            Cell::Money(r.high()),
            Cell::Money(r.actual),
            Cell::Money(r.error()),
            r.error_pct().map_or(Cell::Null, ratio),
            r.hit().map_or(Cell::Null, |h| Cell::Text(h.to_string())),
        ])?;
    }
    out.finish()?;
    Ok(())
}
