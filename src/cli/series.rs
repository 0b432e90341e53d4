//! `xaas stats --series week|month`: the renewal cohort per period, as a
//! table with sparklines, CSV/TSV rows, or a JSON array.

use std::io::Write;

use anyhow::Result;

use xaas::cells::{Cell, Field};
use xaas::date::iso;
use xaas::labels::Lang;
use xaas::msg::series as m;
use xaas::stats::series::{sparkline, Figure, Series, SeriesRow, COLUMNS};
use xaas::stats::{AMOUNT_RATE, LOGO_RATE};

use super::output::{self, thousands, Format, Out};
use super::stats::{group_name, money, percent};

pub fn print(s: &Series, format: Format, lang: Lang) -> Result<()> {
    match format {
        Format::Json => {
            let mut w = output::stdout();
            serde_json::to_writer_pretty(&mut w, &s.to_json())?;
            writeln!(w)?;
            w.flush()?;
        }
        Format::Csv | Format::Tsv => delimited(s, format, lang)?,
        Format::Table => table(s, lang)?,
    }
    Ok(())
}

/// One row per period (and group): from, to, the group, then `COLUMNS`.
fn delimited(s: &Series, format: Format, lang: Lang) -> Result<()> {
    let mut fields = vec![
        Field {
            key: "from",
            zh: "起始日",
        },
        Field {
            key: "to",
            zh: "截止日",
        },
    ];
    if let Some(by) = s.by {
        fields.push(Field {
            key: by.id(),
            zh: by.label_zh(),
        });
    }
    fields.extend(COLUMNS.iter().map(|&(key, zh)| Field { key, zh }));
    let mut out = Out::new(output::stdout(), format, lang, fields)?;
    for r in &s.rows {
        let mut cells = vec![Cell::Date(r.period.from), Cell::Date(r.period.to)];
        if s.by.is_some() {
            cells.push(Cell::Text(r.group.clone().unwrap_or_default()));
        }
        cells.extend(r.figures().into_iter().map(|f| match f {
            Figure::Count(n) => Cell::Int(n as i64),
            Figure::Amount(a) => Cell::Money(a),
            Figure::Rate(None) => Cell::Null,
            Figure::Rate(Some(r)) => Cell::Text(serde_json::json!(r).to_string()),
        }));
        out.row(&cells)?;
    }
    out.finish()?;
    Ok(())
}

/// The table: a title, one line per period (and group), then the logo
/// and amount rates as sparklines, one block per period.
fn table(s: &Series, lang: Lang) -> Result<()> {
    let mut w = output::stdout();
    writeln!(
        w,
        "{}\n",
        m::series_title(
            s.unit.label(lang),
            iso(s.span.from),
            iso(s.span.to),
            iso(s.as_of)
        )
    )?;
    let mut fields = vec![Field {
        key: "period",
        zh: "周期",
    }];
    if let Some(by) = s.by {
        fields.push(Field {
            key: by.id(),
            zh: by.label_zh(),
        });
    }
    for (key, zh) in [
        ("due", "到期"),
        ("renewed", "已续费"),
        ("lost", "流失"),
        ("open", "跟进中"),
        ("logo", "续约率"),
        ("amount", "续费率"),
        ("touch", "翻动率"),
        ("at_risk", "风险金额"),
    ] {
        fields.push(Field { key, zh });
    }
    // With a split, a period is named on its first group's line only.
    let rows = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = &r.cohort;
            let again = i > 0 && s.rows[i - 1].period == r.period;
            let mut row = vec![if again {
                String::new()
            } else {
                s.unit.name_of(r.period)
            }];
            if s.by.is_some() {
                row.push(group_name(r.group.as_deref().unwrap_or_default()));
            }
            row.extend([
                thousands(f.due_terms),
                thousands(f.renewed_terms),
                thousands(f.lost_terms),
                thousands(f.open_terms),
                percent(f.logo_rate()),
                percent(f.amount_rate()),
                percent(r.touch.rate()),
                money(r.at_risk.amount),
            ]);
            row
        })
        .collect();
    let mut t = output::table(&fields, lang, rows);
    let first = usize::from(s.by.is_some()) + 1;
    for i in first..fields.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    writeln!(w, "{}\n", output::render(&t))?;
    // The sparklines: per group with a split, each a line per rate.
    let names = [LOGO_RATE.name.get(lang), AMOUNT_RATE.name.get(lang)];
    let width = names
        .iter()
        .map(|n| output::display_width(n))
        .max()
        .unwrap_or(0);
    for group in s.groups() {
        let rows: Vec<&SeriesRow> = s.rows.iter().filter(|r| r.group == group).collect();
        let indent = match &group {
            Some(g) => {
                writeln!(w, "{}:", group_name(g))?;
                "  "
            }
            None => "",
        };
        let logo: Vec<Option<f64>> = rows.iter().map(|r| r.cohort.logo_rate()).collect();
        let amount: Vec<Option<f64>> = rows.iter().map(|r| r.cohort.amount_rate()).collect();
        for (name, rates) in names.iter().zip([logo, amount]) {
            writeln!(
                w,
                "{indent}{}  {}",
                output::pad(name, width),
                sparkline(&rates)
            )?;
        }
    }
    writeln!(w, "{}", m::series_gap_note())?;
    w.flush()?;
    Ok(())
}
