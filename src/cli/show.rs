//! `xaas show CUSTOMER`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde_json::json;

use xaas::cells::{self, Cell};
use xaas::customer::Customer;
use xaas::labels::Lang;
use xaas::ops;
use xaas::record::Record;
use xaas::service::ServiceType;

use super::output::{self, pick, Format, Out};
use super::Ctx;

/// A customer: attributes, counts by window / status / type, services, records
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
}

const SERVICE_COLS: &[&str] = &[
    "service_id",
    "product",
    "expiry_date",
    "days_left",
    "window",
    "status",
    "run_status",
    "amount",
    "accounts",
];

pub fn run(ctx: &Ctx, a: ShowArgs) -> Result<ExitCode> {
    let db = ctx.open()?;
    let ops::show::Card {
        customer: c,
        services,
        counts,
        records,
    } = ops::show::customer(&db, &a.customer, ctx.clock.today)?;
    let lang = ctx.lang;
    match ctx.format() {
        Format::Json => {
            let fields = cells::service_fields();
            let svc: Vec<serde_json::Value> = services
                .iter()
                .map(|s| {
                    let cells = cells::service_cells(s);
                    serde_json::Value::Object(
                        fields
                            .iter()
                            .zip(&cells)
                            .map(|(f, c)| (f.key.to_string(), c.json()))
                            .collect(),
                    )
                })
                .collect();
            let obj = json!({
                "customer": customer_json(&c),
                "counts": {
                    "by_window": counts.by_window.iter().map(|(w, n)| (w.id().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                    "by_status": counts.by_status.iter().map(|(s, n)| (s.id().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                    "by_type": counts.by_type.iter().map(|(t, n)| (t.id().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                },
                "services": svc,
                "records": records.iter().map(|r| {
                    serde_json::Value::Object(
                        cells::record_fields()
                            .iter()
                            .zip(cells::record_cells(r))
                            .map(|(f, c)| (f.key.to_string(), c.json()))
                            .collect(),
                    )
                }).collect::<Vec<_>>(),
            });
            let mut w = output::stdout();
            serde_json::to_writer_pretty(&mut w, &obj)?;
            writeln!(w)?;
        }
        Format::Tsv | Format::Csv => {
            let mut out = Out::new(
                output::stdout(),
                ctx.format(),
                lang,
                cells::service_fields(),
            )?;
            for s in &services {
                out.row(&cells::service_cells(s))?;
            }
            out.finish()?;
        }
        Format::Table => {
            let mut w = output::stdout();
            write!(w, "{}", card(&c, lang))?;
            let zh = lang == Lang::Zh;
            let line = |title: &str, items: Vec<(String, u64)>| {
                let body: Vec<String> =
                    items.into_iter().map(|(k, n)| format!("{k} {n}")).collect();
                format!("{title}: {}\n", body.join(" · "))
            };
            writeln!(w)?;
            write!(
                w,
                "{}",
                line(
                    if zh {
                        "服务到期统计"
                    } else {
                        "by window"
                    },
                    counts
                        .by_window
                        .iter()
                        .map(|(x, n)| (x.label(lang).to_string(), *n))
                        .collect()
                )
            )?;
            write!(
                w,
                "{}",
                line(
                    if zh {
                        "续费跟进状态"
                    } else {
                        "by status"
                    },
                    counts
                        .by_status
                        .iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(x, n)| (x.label(lang).to_string(), *n))
                        .collect()
                )
            )?;
            write!(
                w,
                "{}",
                line(
                    if zh { "服务购买情况" } else { "by type" },
                    counts
                        .by_type
                        .iter()
                        .map(|(x, n)| (x.label(lang).to_string(), *n))
                        .collect()
                )
            )?;
            let (cols, idx) = pick(Format::Table, cells::service_fields(), SERVICE_COLS);
            for t in ServiceType::ALL {
                let rows: Vec<Vec<String>> = services
                    .iter()
                    .filter(|s| s.service_type == *t)
                    .map(|s| {
                        let cells = cells::service_cells(s);
                        idx.iter()
                            .map(|&i| cells[i].text(lang).into_owned())
                            .collect()
                    })
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let title = match (t, zh) {
                    (ServiceType::Subscription, false) => "Subscription services",
                    (ServiceType::Managed, false) => "Managed security services",
                    (ServiceType::Basic, false) => "Basic maintenance",
                    (ServiceType::Subscription, true) => "订阅服务",
                    (ServiceType::Managed, true) => "安全托管服务",
                    (ServiceType::Basic, true) => "基础服务",
                };
                writeln!(w, "\n{title} ({})", rows.len())?;
                writeln!(w, "{}", output::table(&cols, lang, rows))?;
            }
            if !records.is_empty() {
                writeln!(
                    w,
                    "\n{}",
                    if zh {
                        "最近跟进记录"
                    } else {
                        "Recent follow-ups"
                    }
                )?;
                writeln!(w, "{}", recent_table(&records, lang))?;
            }
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn customer_cells(c: &Customer) -> Vec<(&'static str, &'static str, Cell)> {
    cells::customer_fields()
        .into_iter()
        .zip(cells::customer_attr_cells(c))
        .map(|(f, cell)| (f.key, f.zh, cell))
        .collect()
}

fn customer_json(c: &Customer) -> serde_json::Value {
    serde_json::Value::Object(
        customer_cells(c)
            .into_iter()
            .map(|(k, _, v)| (k.to_string(), v.json()))
            .collect(),
    )
}

/// The customer's attributes as a short card.
fn card(c: &Customer, lang: Lang) -> String {
    let mut s = format!("{}  {}\n", c.id, c.name);
    let attrs: Vec<String> = customer_cells(c)
        .into_iter()
        .skip(2)
        .filter(|(_, _, v)| *v != Cell::Null)
        .map(|(k, zh, v)| {
            format!(
                "{}: {}",
                if lang == Lang::Zh { zh } else { k },
                v.text(lang)
            )
        })
        .collect();
    for chunk in attrs.chunks(4) {
        s.push_str(&format!("  {}\n", chunk.join(" · ")));
    }
    s
}

fn recent_table(records: &[Record], lang: Lang) -> comfy_table::Table {
    let keys = ["at", "author", "services", "status", "reason", "note"];
    let (cols, idx) = pick(Format::Table, cells::record_fields(), &keys);
    let rows = records
        .iter()
        .map(|r| {
            let cells = cells::record_cells(r);
            idx.iter()
                .zip(&cols)
                .map(|(&i, f)| match f.key {
                    "at" => output::short_time(&r.at),
                    _ => cells[i].text(lang).into_owned(),
                })
                .collect()
        })
        .collect();
    output::table(&cols, lang, rows)
}
