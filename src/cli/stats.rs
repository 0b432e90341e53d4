//! `xaas stats`: the renewal dashboard.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use serde_json::Value;

use xaas::cells::{Cell, Field};
use xaas::date::iso;
use xaas::health::Band;
use xaas::labels::Lang;
use xaas::money::Cents;
use xaas::msg::stats as m;
use xaas::ops;
use xaas::ratio::Quantity;
use xaas::service::ServiceType;
use xaas::stats::series::Unit;
use xaas::stats::{Dim, Figures, Period, Stats};
use xaas::status::{Reason, Status};
use xaas::window::Window;

use super::explain;
use super::filters::FilterArgs;
use super::output::{self, thousands, Format, Out};
use super::{parse_day, Ctx, UsageError};

/// Renewal figures: windows, statuses, the renewal cohort and its rates, reasons, touch rate
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Split every figure by: csm, tier, industry, region, department, distributor, service_type
    #[arg(long, value_parser = super::choice::Choice::<Dim>::new())]
    pub by: Option<Dim>,
    /// Print every rate with its formula and the two counts it divides
    /// (with --json: an `explain` array beside the figures)
    #[arg(long)]
    pub explain: bool,
    /// One row per period of the cohort's span, each with the terms
    /// expiring in it: week (ISO, Monday to Sunday) or month (calendar);
    /// the first and last are clipped to --from/--to
    #[arg(long, value_name = "PERIOD", value_parser = super::choice::Choice::<Unit>::new(), conflicts_with = "explain")]
    pub series: Option<Unit>,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// The renewal cohort's span, shared by `stats` and `outcomes`.
#[derive(Args, Debug)]
pub struct PeriodArgs {
    /// First expiry day of the renewal cohort [default: a year before --to, plus a day]
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// Last expiry day of the renewal cohort [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub to: Option<NaiveDate>,
}

impl PeriodArgs {
    pub fn period(&self, today: NaiveDate) -> Result<Period> {
        Ok(Period::between(self.from, self.to, today).map_err(UsageError)?)
    }
}

pub fn run(ctx: &Ctx, a: StatsArgs) -> Result<ExitCode> {
    let period = a.period.period(ctx.clock.today)?;
    let f = a.filters.to_filters(&ctx.me)?;
    let db = ctx.open_read()?;
    if let Some(unit) = a.series {
        let series = ops::stats::series(&db, &f, a.by, period, unit, ctx.clock.today)?;
        super::series::print(&series, ctx.format(), ctx.lang)?;
        return Ok(ExitCode::SUCCESS);
    }
    let stats = ops::stats::compute(&db, &f, a.by, period, ctx.clock.today)?;
    match (ctx.format(), a.explain) {
        (Format::Json, explain) => {
            let json = if explain {
                stats.to_json_explained()
            } else {
                stats.to_json()
            };
            let mut w = output::stdout();
            serde_json::to_writer_pretty(&mut w, &json)?;
            writeln!(w)?;
            w.flush()?;
        }
        (format @ (Format::Csv | Format::Tsv), true) => {
            explain::delimited(&stats, format, ctx.lang)?
        }
        (format @ (Format::Csv | Format::Tsv), false) => long(&stats, format, ctx.lang)?,
        (Format::Table, true) => explain::table(&stats, ctx.lang)?,
        (Format::Table, false) => dashboard(&stats, ctx.lang)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per group and figure.
fn long(stats: &Stats, format: Format, lang: Lang) -> Result<()> {
    let fields = vec![
        Field {
            key: "group",
            zh: "分组",
        },
        Field {
            key: "figure",
            zh: "指标",
        },
        Field {
            key: "value",
            zh: "数值",
        },
    ];
    let mut out = Out::new(output::stdout(), format, lang, fields)?;
    for (group, figure, value) in stats.long_rows() {
        let v = match &value {
            Value::Null => Cell::Null,
            Value::String(s) => Cell::Text(s.clone()),
            // Amounts as the service list writes them: 12000.00.
            Value::Number(n) if figure.ends_with("amount") => {
                Cell::Text(format!("{:.2}", n.as_f64().unwrap_or(0.0)))
            }
            other => Cell::Text(other.to_string()),
        };
        out.row(&[Cell::Text(group), Cell::Text(figure), v])?;
    }
    out.finish()?;
    Ok(())
}

pub(super) fn money(c: Cents) -> String {
    let s = c.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    format!("{}.{frac}", thousands(int.parse().unwrap_or(0)))
}

pub(super) fn percent(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
}

fn field(key: &'static str) -> Field {
    Field {
        key,
        zh: xaas::stats::header_zh(key).unwrap_or(key),
    }
}

fn fields(keys: &[&'static str]) -> Vec<Field> {
    keys.iter().map(|&k| field(k)).collect()
}

/// The compact dashboard: windows, statuses, cohort, reasons, touch.
fn dashboard(s: &Stats, lang: Lang) -> Result<()> {
    let mut w = output::stdout();
    let f = &s.total;
    writeln!(
        w,
        "{}",
        m::as_of_line(
            iso(s.as_of),
            thousands(f.services.count),
            thousands(f.customers)
        )
    )?;
    if !s.groups.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", output::render(&groups_table(s, lang)))?;
    }
    writeln!(w)?;
    writeln!(w, "{}", output::render(&window_strip(f, lang)))?;
    write_statuses(&mut w, f, lang)?;
    write_cohort(&mut w, s)?;
    write_health(&mut w, f, lang)?;
    write_kpis(&mut w, f, lang)?;
    writeln!(w, "\n{}", m::reasons_title())?;
    writeln!(w, "{}\n", output::render(&reasons_table(f, lang)))?;
    write_touch(&mut w, f, lang)?;
    w.flush()?;
    Ok(())
}

/// Services, amounts and customers per window.
fn window_strip(f: &Figures, lang: Lang) -> comfy_table::Table {
    let mut header = vec![String::new()];
    header.extend(Window::ALL.iter().map(|&x| x.label(lang).to_string()));
    let row = |name: String, v: &dyn Fn(usize) -> String| {
        let mut r = vec![name];
        r.extend((0..Window::ALL.len()).map(v));
        r
    };
    let rows = vec![
        row(m::row_services(), &|i| thousands(f.by_window[i])),
        row(m::row_amount(), &|i| money(f.window_amount[i])),
        row(m::row_customers(), &|i| thousands(f.customers_by_window[i])),
    ];
    strip(header, rows)
}

fn write_statuses(w: &mut dyn Write, f: &Figures, lang: Lang) -> Result<()> {
    let statuses: Vec<String> = Status::ALL
        .iter()
        .filter(|&&x| f.by_status[x as usize] > 0)
        .map(|&x| format!("{} {}", x.label(lang), thousands(f.by_status[x as usize])))
        .collect();
    writeln!(
        w,
        "\n{}",
        output::items_line(&m::status_lead(), &statuses, 2)
    )?;
    let types: Vec<String> = ServiceType::ALL
        .iter()
        .map(|&x| format!("{} {}", x.label(lang), thousands(f.by_type[x as usize])))
        .collect();
    writeln!(w, "{}", output::items_line(&m::type_lead(), &types, 2))?;
    Ok(())
}

/// The renewal cohort: due, renewed and open terms, and the two rates
/// with what they divide.
fn write_cohort(w: &mut dyn Write, s: &Stats) -> Result<()> {
    let f = &s.total;
    writeln!(
        w,
        "\n{}",
        m::cohort_title(iso(s.period.from), iso(s.period.to))
    )?;
    let counts = [
        m::due_terms(thousands(f.due_terms)),
        m::renewed_terms(thousands(f.renewed_terms)),
        m::open_terms(thousands(f.open_terms)),
        m::lost_terms(thousands(f.lost_terms), thousands(f.lapsed_terms)),
        m::suspended_terms(thousands(f.suspended_terms)),
    ];
    writeln!(w, "{}", output::items_line("  ", &counts, 2))?;
    writeln!(
        w,
        "{}",
        m::logo_rate_line(
            percent(f.logo_rate()),
            thousands(f.renewed_customers),
            thousands(f.due_customers)
        )
    )?;
    writeln!(
        w,
        "{}",
        m::amount_rate_line(
            percent(f.amount_rate()),
            money(f.renewed_amount),
            money(f.due_amount)
        )
    )?;
    Ok(())
}

/// Customers per health band, and the healthy rate with what it divides.
fn write_health(w: &mut dyn Write, f: &Figures, lang: Lang) -> Result<()> {
    let bands: Vec<String> = [Band::Healthy, Band::Fair, Band::Danger, Band::Unknown]
        .iter()
        .map(|&b| {
            format!(
                "{} {}",
                b.label(lang),
                thousands(f.customers_by_band[b as usize])
            )
        })
        .collect();
    let lead = format!("\n{}", m::health_lead());
    writeln!(w, "{}", output::items_line(&lead, &bands, 2))?;
    writeln!(
        w,
        "{}",
        m::healthy_rate_line(
            percent(f.healthy_rate()),
            thousands(f.customers_by_band[Band::Healthy as usize]),
            thousands(f.rated_customers())
        )
    )?;
    Ok(())
}

/// The seed-001 indicators, each with its counts (`--explain` says what
/// they count).
fn write_kpis(w: &mut dyn Write, f: &Figures, lang: Lang) -> Result<()> {
    writeln!(w, "\n{}", m::kpis_title())?;
    for r in xaas::stats::KPIS {
        let (n, d) = r.counts(f);
        let count = |q: Quantity| match q {
            Quantity::Count(c) => thousands(c),
            Quantity::Amount(a) => money(a),
        };
        writeln!(
            w,
            "  {} {:>7}   ({} / {})",
            output::pad(r.name.get(lang), 22),
            percent(r.value(f)),
            count(n),
            count(d)
        )?;
    }
    Ok(())
}

/// Touch rate per CSM.
fn write_touch(w: &mut dyn Write, f: &Figures, lang: Lang) -> Result<()> {
    writeln!(w, "{}", m::touch_title())?;
    let rows: Vec<Vec<String>> = f
        .touch
        .iter()
        .map(|(csm, x)| {
            vec![
                csm.clone(),
                thousands(x.customers),
                thousands(x.touched),
                percent(x.rate()),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let header = fields(&["csm", "customers", "touched", "rate"]);
        writeln!(w, "{}", output::render(&output::table(&header, lang, rows)))?;
    }
    Ok(())
}

/// A table whose first column names the rows.
fn strip(header: Vec<String>, rows: Vec<Vec<String>>) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING)
        .set_header(header);
    for r in rows {
        t.add_row(r);
    }
    for i in 1..5 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    t
}

/// Ranked by count, with a bar scaled to the largest.
fn reasons_table(f: &Figures, lang: Lang) -> comfy_table::Table {
    const BAR: usize = 20;
    let mut ranked: Vec<(Reason, u64, Cents)> = Reason::ALL
        .iter()
        .map(|&r| (r, f.reasons[r as usize].count, f.reasons[r as usize].amount))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    let max = ranked.first().map_or(0, |r| r.1);
    let rows = ranked
        .into_iter()
        .map(|(r, n, amount)| {
            let len = if max == 0 {
                0
            } else {
                (n as usize * BAR).div_ceil(max as usize)
            };
            vec![
                format!("{} {}", r.id(), r.label_zh()),
                thousands(n),
                "█".repeat(len),
                money(amount),
            ]
        })
        .collect();
    output::table(&fields(&["reason", "count", "", "amount"]), lang, rows)
}

/// A group's name as the tables show it: the group of every service, and
/// that of services with no value in the split's column, in words.
pub fn group_name(name: &str) -> String {
    match name {
        xaas::stats::ALL => m::all_groups(),
        xaas::stats::NO_VALUE => m::no_value_group(),
        other => other.to_string(),
    }
}

/// One line per group: the figures a lead compares across groups.
fn groups_table(s: &Stats, lang: Lang) -> comfy_table::Table {
    let rows = s
        .groups
        .iter()
        .map(|(name, f)| {
            vec![
                group_name(name),
                thousands(f.services.count),
                money(f.services.amount),
                thousands(f.by_window[0]),
                thousands(f.by_window[1]),
                thousands(f.by_window[2]),
                thousands(f.due_terms),
                thousands(f.renewed_terms),
                percent(f.logo_rate()),
                percent(f.amount_rate()),
                percent(f.healthy_rate()),
            ]
        })
        .collect();
    let by = s.by.map_or("group", |d| d.id());
    output::table(
        &fields(&[
            by,
            "services",
            "amount",
            "expired",
            "within_30",
            "within_90",
            "due_terms",
            "renewed",
            "logo_rate",
            "amount_rate",
            "healthy_rate",
        ]),
        lang,
        rows,
    )
}
