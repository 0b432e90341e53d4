//! `xaas show CUSTOMER`

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use serde_json::{json, Value};

use xaas::budget::BudgetState;
use xaas::cells::{self, Cell};
use xaas::customer::Customer;
use xaas::date::iso;
use xaas::labels::Lang;
use xaas::msg::show as m;
use xaas::ops;
use xaas::ops::show::Card;
use xaas::record::Record;
use xaas::service::ServiceType;
use xaas::task::Task;

use super::output::{self, pick, Format, Out};
use super::Ctx;

/// A customer: attributes, counts by window / status / type, services, open risks and leads, budget, records, open tasks
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
    // Before accounts: a narrow terminal drops accounts (an input of
    // health) first.
    "health",
    "accounts",
];

pub fn run(ctx: &Ctx, a: ShowArgs) -> Result<ExitCode> {
    let db = ctx.open_read()?;
    let card = ops::show::customer(&db, &a.customer, ctx.clock.today)?;
    let mut w = output::stdout();
    match ctx.format() {
        Format::Json => {
            serde_json::to_writer_pretty(&mut w, &to_json(&card, ctx.clock.today))?;
            writeln!(w)?;
        }
        format @ (Format::Tsv | Format::Csv) => {
            let mut out = Out::new(w, format, ctx.lang, cells::service_fields())?;
            for s in &card.services {
                out.row(&cells::service_cells(s.clone()))?;
            }
            out.finish()?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Table => write_table(&mut w, &card, ctx.lang, ctx.clock.today)?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn to_json(card: &Card, today: NaiveDate) -> Value {
    let counts = |items: Vec<(&'static str, u64)>| -> Value {
        Value::Object(
            items
                .into_iter()
                .map(|(k, n)| (k.to_string(), json!(n)))
                .collect(),
        )
    };
    let c = &card.counts;
    json!({
        "customer": customer_json(&card.customer),
        "counts": {
            "by_window": counts(c.by_window.iter().map(|(w, n)| (w.id(), *n)).collect()),
            "by_status": counts(c.by_status.iter().map(|(s, n)| (s.id(), *n)).collect()),
            "by_type": counts(c.by_type.iter().map(|(t, n)| (t.id(), *n)).collect()),
        },
        "services": card.services.iter().map(|s| {
            cells::object(&cells::service_fields(), &cells::service_cells(s.clone()))
        }).collect::<Vec<_>>(),
        "records": card.records.iter().map(|r| {
            cells::object(&cells::record_fields(), &cells::record_cells(r))
        }).collect::<Vec<_>>(),
        "risks": card.risks.iter().map(|r| {
            cells::object(&cells::risk_fields(), &cells::risk_cells(r))
        }).collect::<Vec<_>>(),
        "leads": card.leads.iter().map(|l| {
            cells::object(&cells::lead_fields(), &cells::lead_cells(l))
        }).collect::<Vec<_>>(),
        "budget": card.budget.as_ref().map(|b| {
            cells::object(&cells::budget_fields(), &cells::budget_cells(b))
        }),
        "tasks": card.tasks.iter().map(|t| {
            cells::object(&cells::task_fields(), &cells::task_cells(t, today, Lang::En))
        }).collect::<Vec<_>>(),
    })
}

/// The card, the counts, the services by type, the latest records, the
/// open tasks.
fn write_table(w: &mut dyn Write, card: &Card, lang: Lang, today: NaiveDate) -> Result<()> {
    write!(w, "{}", customer_card(&card.customer, lang))?;
    let line = |lead: String, items: Vec<(&str, u64)>| {
        let body: Vec<String> = items.into_iter().map(|(k, n)| format!("{k} {n}")).collect();
        output::items_line(&lead, &body, 2)
    };
    let c = &card.counts;
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        line(
            m::by_window(),
            c.by_window
                .iter()
                .map(|(x, n)| (x.label(lang), *n))
                .collect()
        )
    )?;
    writeln!(
        w,
        "{}",
        line(
            m::by_status(),
            c.by_status
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(x, n)| (x.label(lang), *n))
                .collect()
        )
    )?;
    writeln!(
        w,
        "{}",
        line(
            m::by_type(),
            c.by_type.iter().map(|(x, n)| (x.label(lang), *n)).collect()
        )
    )?;
    let (cols, idx) = pick(Format::Table, cells::service_fields(), SERVICE_COLS);
    for &kind in ServiceType::ALL {
        let rows: Vec<Vec<String>> = card
            .services
            .iter()
            .filter(|s| s.service_type == kind)
            .map(|s| {
                let cells = cells::service_cells(s.clone());
                idx.iter()
                    .map(|&i| output::table_text(&cells[i], lang))
                    .collect()
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(w, "\n{}", type_title(kind, rows.len()))?;
        writeln!(w, "{}", output::render(&output::table(&cols, lang, rows)))?;
    }
    write_work(w, card, lang)?;
    if !card.records.is_empty() {
        writeln!(w, "\n{}", m::recent_records())?;
        writeln!(w, "{}", output::render(&recent_table(&card.records, lang)))?;
    }
    if !card.tasks.is_empty() {
        writeln!(w, "\n{}", m::open_tasks(card.tasks.len()))?;
        writeln!(
            w,
            "{}",
            output::render(&tasks_table(&card.tasks, lang, today))
        )?;
    }
    Ok(())
}

/// Open risks and leads as tables, then the budget in a line.
fn write_work(w: &mut dyn Write, card: &Card, lang: Lang) -> Result<()> {
    let section = |w: &mut dyn Write,
                   title: fn(usize) -> String,
                   fields: Vec<cells::Field>,
                   keys: &[&str],
                   rows: Vec<Vec<Cell>>|
     -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let (cols, idx) = pick(Format::Table, fields, keys);
        let text = rows
            .iter()
            .map(|r| {
                idx.iter()
                    .map(|&i| output::table_text(&r[i], lang))
                    .collect()
            })
            .collect();
        writeln!(w, "\n{}", title(rows.len()))?;
        writeln!(w, "{}", output::render(&output::table(&cols, lang, text)))?;
        Ok(())
    };
    section(
        w,
        m::open_risks,
        cells::risk_fields(),
        &[
            "id",
            "service_id",
            "kind",
            "status",
            "owner",
            "created",
            "note",
            "plan",
        ],
        card.risks.iter().map(cells::risk_cells).collect(),
    )?;
    section(
        w,
        m::open_leads,
        cells::lead_fields(),
        &[
            "id",
            "service_id",
            "product",
            "amount",
            "status",
            "created",
            "note",
        ],
        card.leads.iter().map(cells::lead_cells).collect(),
    )?;
    if let Some(b) = &card.budget {
        let state = b.state();
        let on = match state {
            BudgetState::Pending => None,
            BudgetState::Submitted => b.submitted,
            BudgetState::Passed | BudgetState::Failed => b.result_date,
        };
        let on = on.map(|d| format!(" {}", iso(d))).unwrap_or_default();
        writeln!(
            w,
            "\n{}",
            m::budget_line(iso(b.budget_date), state.label(lang), on)
        )?;
    }
    Ok(())
}

fn tasks_table(tasks: &[Task], lang: Lang, today: NaiveDate) -> comfy_table::Table {
    let keys = ["id", "due", "when", "service_id", "rule", "title"];
    let (cols, idx) = pick(Format::Table, cells::task_fields(), &keys);
    let rows = tasks
        .iter()
        .map(|t| {
            let cells = cells::task_cells(t, today, lang);
            idx.iter()
                .map(|&i| output::table_text(&cells[i], lang))
                .collect()
        })
        .collect();
    output::table(&cols, lang, rows)
}

/// `Subscription services (3)`: a type's services and how many.
fn type_title(kind: ServiceType, n: usize) -> String {
    match kind {
        ServiceType::Subscription => m::subscription_services(n),
        ServiceType::Managed => m::managed_services(n),
        ServiceType::Basic => m::basic_services(n),
    }
}

fn customer_cells(c: &Customer) -> Vec<(cells::Field, Cell)> {
    cells::customer_fields()
        .into_iter()
        .zip(cells::customer_attr_cells(c))
        .collect()
}

fn customer_json(c: &Customer) -> serde_json::Value {
    serde_json::Value::Object(
        customer_cells(c)
            .into_iter()
            .map(|(f, v)| (f.key.to_string(), v.json()))
            .collect(),
    )
}

/// The customer's attributes as a short card.
fn customer_card(c: &Customer, lang: Lang) -> String {
    let mut s = format!("{}  {}\n", c.id, c.name);
    let attrs: Vec<String> = customer_cells(c)
        .into_iter()
        .skip(2)
        .filter(|(_, v)| *v != Cell::Null)
        .map(|(f, v)| format!("{}: {}", f.header(lang), v.text(lang)))
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
                    _ => output::table_text(&cells[i], lang),
                })
                .collect()
        })
        .collect();
    output::table(&cols, lang, rows)
}
