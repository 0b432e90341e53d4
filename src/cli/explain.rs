//! `stats --explain` on screen and in files: each rate as an equation,
//! `logo_rate = renewed customers / due customers = 41 / 57 = 71.9%`, or
//! one row per group and rate (CSV/TSV). JSON is `stats`' own object with
//! `explain` arrays (`Stats::to_json_explained`).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use xaas::cells::{Cell, Field};
use xaas::date::iso;
use xaas::labels::Lang;
use xaas::msg::stats as m;
use xaas::ratio::{Explained, Quantity};
use xaas::stats::Stats;

use super::output::{self, display_width, pad, thousands, Format, Out};

/// One row per group and rate: the figure's JSON path, the formula in the
/// chosen language, the counts as `stats --csv` writes figures, and the
/// rate as a fraction (empty on a zero denominator).
pub fn delimited(stats: &Stats, format: Format, lang: Lang) -> Result<()> {
    let field = |key, zh| Field { key, zh };
    let fields = vec![
        field("group", "分组"),
        field("figure", "指标"),
        field("formula", "公式"),
        field("numerator", "分子"),
        field("denominator", "分母"),
        field("value", "数值"),
    ];
    let mut out = Out::new(output::stdout(), format, lang, fields)?;
    for (group, rows) in stats.explain_rows() {
        for e in rows {
            out.row(&[
                Cell::Text(group.clone()),
                Cell::Text(e.figure.clone()),
                Cell::Text(e.formula(lang)),
                Cell::Text(plain(e.numerator)),
                Cell::Text(plain(e.denominator)),
                e.value
                    .map_or(Cell::Null, |v| Cell::Text(json!(v).to_string())),
            ])?;
        }
    }
    out.finish()?;
    Ok(())
}

/// A count or an amount as files write them: `41`, `1500.00`.
fn plain(q: Quantity) -> String {
    match q {
        Quantity::Count(n) => n.to_string(),
        Quantity::Amount(c) => c.to_string(),
    }
}

/// A count or an amount for people: `1,234`, `1,500.00`.
fn readable(q: Quantity) -> String {
    match q {
        Quantity::Count(n) => thousands(n),
        Quantity::Amount(c) => {
            let s = c.to_string();
            let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
            format!("{}.{frac}", thousands(int.parse().unwrap_or(0)))
        }
    }
}

/// `71.9%`, or `n/a` on a zero denominator (a dash would read as minus
/// at the end of an equation).
fn rate(v: Option<f64>) -> String {
    v.map_or_else(m::not_available, |r| format!("{:.1}%", r * 100.0))
}

/// The equations, aligned at their `=` signs; with `--by`, the totals
/// then each group under its name.
pub fn table(stats: &Stats, lang: Lang) -> Result<()> {
    let mut w = output::stdout();
    writeln!(
        w,
        "{}",
        m::explain_title(
            iso(stats.as_of),
            iso(stats.period.from),
            iso(stats.period.to)
        )
    )?;
    let groups = stats.explain_rows();
    let lines: Vec<Vec<[String; 4]>> = groups
        .iter()
        .map(|(_, rows)| rows.iter().map(|e| parts(e, lang)).collect())
        .collect();
    let widths = widths(lines.iter().flatten());
    let indent = if stats.by.is_some() { "  " } else { "" };
    for ((name, _), lines) in groups.iter().zip(&lines) {
        writeln!(w)?;
        match stats.by {
            Some(_) if name == xaas::stats::ALL => writeln!(w, "{}", m::all_groups())?,
            Some(by) => writeln!(w, "{} {}", by.label(lang), super::stats::group_name(name))?,
            None => {}
        }
        for l in lines {
            writeln!(w, "{indent}{}", equation(l, &widths))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Name, formula, counts, rate: the four parts of an equation.
fn parts(e: &Explained, lang: Lang) -> [String; 4] {
    [
        e.label(lang),
        e.formula(lang),
        format!("{} / {}", readable(e.numerator), readable(e.denominator)),
        rate(e.value),
    ]
}

/// The widest of each of the first three parts.
fn widths<'a>(lines: impl Iterator<Item = &'a [String; 4]>) -> [usize; 3] {
    let mut w = [0; 3];
    for l in lines {
        for (i, part) in l.iter().take(3).enumerate() {
            w[i] = w[i].max(display_width(part));
        }
    }
    w
}

fn equation(l: &[String; 4], w: &[usize; 3]) -> String {
    format!(
        "{} = {} = {} = {}",
        pad(&l[0], w[0]),
        pad(&l[1], w[1]),
        pad(&l[2], w[2]),
        l[3]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equations_align_by_display_width() {
        let a = [
            "续约率".to_string(),
            "已续约客户数 / 到期客户数".to_string(),
            "1 / 2".to_string(),
            "50.0%".to_string(),
        ];
        let b = [
            "touch_rate 张伟".to_string(),
            "x / y".to_string(),
            "1,500.00 / 0.00".to_string(),
            rate(None),
        ];
        let w = widths([&a, &b].into_iter());
        let (ea, eb) = (equation(&a, &w), equation(&b, &w));
        assert_eq!(ea.find(" = ").map(|i| display_width(&ea[..i])), Some(15));
        assert_eq!(eb.find(" = ").map(|i| display_width(&eb[..i])), Some(15));
        assert!(eb.ends_with("= 1,500.00 / 0.00 = n/a"), "{eb}");
        assert_eq!(display_width(&ea) - 5, display_width(&eb) - 3);
    }

    #[test]
    fn counts_and_amounts_for_people_and_for_files() {
        let amount = Quantity::Amount(xaas::money::Cents(123_456_700));
        assert_eq!(readable(amount), "1,234,567.00");
        assert_eq!(plain(amount), "1234567.00");
        assert_eq!(readable(Quantity::Count(12_345)), "12,345");
        assert_eq!(rate(Some(0.719_298)), "71.9%");
    }
}
