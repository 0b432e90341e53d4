//! `xaas health calibrate | backtest | explain`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use xaas::date::iso;
use xaas::health::{Backtest, Band, Calibration};
use xaas::labels::Lang;
use xaas::msg::commands as m;
use xaas::ops;

use super::output::{self, Format};
use super::stats::PeriodArgs;
use super::{parse_day, Ctx, UsageError};

/// Health from usage: calibrate on renewed terms, measure it, explain it
#[derive(Args, Debug)]
pub struct HealthArgs {
    #[command(subcommand)]
    pub command: HealthCommand,
}

#[derive(Subcommand, Debug)]
pub enum HealthCommand {
    /// Fit the score on terms renewed before a day and store it, numbered
    Calibrate {
        /// Use only renewals recorded, and usage dated, before this day [default: today]
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        as_of: Option<NaiveDate>,
    },
    /// How well health 90 days before expiry foretold the terms closed in a period
    Backtest {
        #[command(flatten)]
        period: PeriodArgs,
    },
    /// Each indicator of a service: value, percentile, weight
    Explain {
        /// The service
        service: String,
    },
}

pub fn run(ctx: &Ctx, a: HealthArgs) -> Result<ExitCode> {
    match a.command {
        HealthCommand::Calibrate { as_of } => {
            text_or_json(ctx, "health calibrate")?;
            let as_of = as_of.unwrap_or(ctx.clock.today);
            if as_of > ctx.clock.today {
                // It would not be in force before that day, and would be
                // fitted on what is known today.
                return Err(UsageError(m::as_of_after_today(as_of, ctx.clock.today)).into());
            }
            let mut db = ctx.open()?;
            let c = ops::health::calibrate(&mut db, as_of, &ctx.clock)?;
            if ctx.format() == Format::Json {
                print_json(&calibration_json(&c))?;
            } else {
                println!("{}", calibration_line(&c));
            }
        }
        HealthCommand::Backtest { period } => {
            text_or_json(ctx, "health backtest")?;
            let period = period.period(ctx.clock.today)?;
            let db = ctx.open_read()?;
            let b = ops::health::backtest(&db, period, ctx.clock.today)?;
            if ctx.format() == Format::Json {
                print_json(&b.to_json())?;
            } else {
                print!("{}", backtest_text(&b, ctx.lang));
            }
        }
        HealthCommand::Explain { service } => {
            text_or_json(ctx, "health explain")?;
            let db = ctx.open_read()?;
            let e = ops::health::explain(&db, &service, ctx.clock.today)?;
            if ctx.format() == Format::Json {
                print_json(&explain_json(&e))?;
            } else {
                print!("{}", explain_text(&e, ctx.lang));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// These commands print text (on a terminal or not) or JSON: a table
/// format asked for by name is refused, not ignored.
fn text_or_json(ctx: &Ctx, command: &str) -> Result<()> {
    use output::FormatArg;
    match ctx.format_arg {
        Some(f @ (FormatArg::Csv | FormatArg::Tsv)) => {
            let format = if f == FormatArg::Csv { "CSV" } else { "TSV" };
            Err(UsageError(m::text_or_json(command, format)).into())
        }
        _ => Ok(()),
    }
}

fn explain_json(e: &ops::health::Explained) -> serde_json::Value {
    let parts: Vec<serde_json::Value> = e
        .parts
        .iter()
        .flatten()
        .map(|p| {
            serde_json::json!({
                "indicator": p.indicator.id(),
                "value": p.value,
                "percentile": p.percentile,
                "weight": p.weight,
            })
        })
        .collect();
    serde_json::json!({
        "service_id": e.service_id,
        "customer_name": e.customer_name,
        "today": iso(e.today),
        "usage_day": e.indicators.and_then(|i| i.day).map(iso),
        "fresh": e.fresh,
        "calibration": e.calibration.as_ref().map(calibration_json),
        "health": e.health.band.id(),
        "health_score": e.health.score,
        "parts": parts,
    })
}

fn print_json(v: &serde_json::Value) -> Result<()> {
    let mut w = output::stdout();
    serde_json::to_writer_pretty(&mut w, v)?;
    writeln!(w)?;
    w.flush()?;
    Ok(())
}

fn calibration_json(c: &Calibration) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "made_at": c.made_at,
        "as_of": iso(c.as_of),
        "sample": c.sample,
        "weights": c.weights,
        "danger_pct": c.danger_pct,
        "fair_pct": c.fair_pct,
        "danger_below": c.danger_below,
        "fair_below": c.fair_below,
    })
}

fn calibration_line(c: &Calibration) -> String {
    m::calibrated(
        c.id,
        iso(c.as_of),
        c.sample,
        c.danger_below,
        c.fair_below,
        c.danger_pct,
        c.fair_pct,
    )
}

/// `s` right-aligned in `width` display columns.
fn right(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

fn rate(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
}

fn backtest_text(b: &Backtest, lang: Lang) -> String {
    let mut s = m::backtest_title(
        iso(b.from),
        iso(b.to),
        b.terms,
        b.lost,
        iso(b.calibration.as_of),
        b.calibration.sample,
    );
    s.push('\n');
    if b.not_judged > 0 {
        s.push_str(&m::not_judged(b.not_judged));
        s.push('\n');
    }
    s.push('\n');
    let head = match lang {
        Lang::En => ["band", "terms", "lost", "loss rate"],
        Lang::Zh => ["健康度", "服务期", "流失", "流失率"],
    };
    // Display widths, not characters: a Chinese label is two columns each.
    let row = |cells: [&str; 4]| {
        format!(
            "{} {} {} {}\n",
            output::pad(cells[0], 10),
            right(cells[1], 7),
            right(cells[2], 7),
            right(cells[3], 10)
        )
    };
    s.push_str(&row(head));
    for &band in Band::ALL {
        let c = b.bands[band as usize];
        s.push_str(&row([
            band.label(lang),
            &c.terms.to_string(),
            &c.lost.to_string(),
            &rate(c.loss_rate()),
        ]));
    }
    let c = b.confusion;
    s.push('\n');
    s.push_str(&m::danger_foretold(
        m::hits(c.tp),
        m::false_alarms(c.fp),
        c.fn_,
        c.tn,
    ));
    s.push('\n');
    s.push_str(&m::precision_recall(
        rate(b.precision()),
        rate(b.recall()),
        b.auc.map_or("-".into(), |a| format!("{a:.3}")),
    ));
    s.push('\n');
    s
}

fn explain_text(e: &ops::health::Explained, lang: Lang) -> String {
    let mut s = m::health_of(
        &e.service_id,
        &e.customer_name,
        iso(e.today),
        e.health.band.label(lang),
    );
    if let Some(score) = e.health.score {
        s.push_str(&m::health_score(score));
    }
    s.push('\n');
    match (&e.indicators, &e.calibration) {
        (None, _) => {
            s.push_str(&m::no_usage());
            s.push('\n');
        }
        (Some(i), _) if !e.fresh => {
            s.push_str(&m::stale_usage(
                i.day.map(iso).unwrap_or_default(),
                xaas::health::FRESH_DAYS,
            ));
            s.push('\n');
        }
        (Some(_), None) => {
            s.push_str(&m::no_calibration(iso(e.today)));
            s.push('\n');
        }
        (Some(i), Some(c)) => {
            s.push_str(&m::usage_and_calibration(
                i.day.map(iso).unwrap_or_default(),
                c.id,
                iso(c.as_of),
                c.sample,
                c.danger_below,
                c.fair_below,
            ));
            s.push('\n');
            let row = |cells: [&str; 4]| {
                format!(
                    "{} {} {} {}\n",
                    output::pad(cells[0], 20),
                    right(cells[1], 10),
                    right(cells[2], 10),
                    right(cells[3], 7)
                )
            };
            s.push_str(&row(match lang {
                Lang::En => ["indicator", "value", "percentile", "weight"],
                Lang::Zh => ["指标", "值", "分位", "权重"],
            }));
            for p in e.parts.iter().flatten() {
                s.push_str(&row([
                    p.indicator.label(lang),
                    &p.value.map_or("-".into(), |v| format!("{v:.3}")),
                    &p.percentile.map_or("-".into(), |v| format!("{v:.1}")),
                    &format!("{:.2}", p.weight),
                ]));
            }
        }
    }
    s
}
