//! `xaas log add` and `xaas log list`: follow-up records (跟进记录).

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use xaas::cells;
use xaas::date::parse_moment;
use xaas::msg::{commands as m, prompt as ask};
use xaas::ops::log::{self as records, Add};
use xaas::record::{check_not_after_today, Notes, RecordFilter};
use xaas::status::Reason;

use super::output::{self, pick, Format, Out};
use super::{parse_day, prompt, Ctx, UsageError};

/// Follow-up records: what the customer said, and why
#[derive(Args, Debug)]
pub struct LogArgs {
    #[command(subcommand)]
    pub command: LogCommand,
}

#[derive(Subcommand, Debug)]
pub enum LogCommand {
    Add(AddArgs),
    List(ListArgs),
}

/// Record a follow-up with a customer (optionally about some services)
#[derive(Args, Debug)]
pub struct AddArgs {
    /// Customer id, or a part of the name that matches one customer
    pub customer: String,
    /// The record is about this service (repeatable) [default: the whole customer]
    #[arg(long = "service", value_name = "ID")]
    pub services: Vec<String>,
    /// What was said or done (asked for on a terminal when missing)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Sales name (销售)
    #[arg(long)]
    pub sales: Option<String>,
    /// Sales contact (销售联系方式)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub sales_contact: Option<String>,
    /// Project background: pain points, why they bought (项目背景)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub background: Option<String>,
    /// What pleases the customer and what does not (满意度)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub satisfaction: Option<String>,
    /// Non-renewal reason: budget, satisfaction, business, operations, needs, other
    #[arg(long, value_parser = super::choice::Choice::<Reason>::new())]
    pub reason: Option<Reason>,
    /// The sub-reason, in free text
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub reason_detail: Option<String>,
    /// When it happened: 2026-11-20 15:00, RFC 3339, or a date [default: now]
    #[arg(long, value_name = "DATETIME")]
    pub at: Option<String>,
    /// Who followed up [default: $XAAS_USER, else `author` of
    /// the config file, else the login name]
    #[arg(long)]
    pub author: Option<String>,
}

/// Follow-up records, newest first
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only this customer (id, or a part of the name that matches one)
    pub customer: Option<String>,
    /// Only records about this service (repeatable)
    #[arg(long = "service", value_name = "ID")]
    pub services: Vec<String>,
    /// From this day on (inclusive)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<NaiveDate>,
    /// Up to this day (inclusive)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: Option<NaiveDate>,
    /// Written by this author (repeatable)
    #[arg(long)]
    pub author: Vec<String>,
    /// With this non-renewal reason (repeatable)
    #[arg(long, value_parser = super::choice::Choice::<Reason>::new())]
    pub reason: Vec<Reason>,
    /// Of customers of this CSM (repeatable)
    #[arg(long)]
    pub csm: Vec<String>,
    /// Shorthand for --csm $XAAS_CSM (else `csm` of the config file)
    #[arg(long)]
    pub mine: bool,
    /// At most N records
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
}

pub fn run(ctx: &Ctx, a: LogArgs) -> Result<ExitCode> {
    match a.command {
        LogCommand::Add(a) => add(ctx, a),
        LogCommand::List(a) => list(ctx, a),
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<ExitCode> {
    let at = match &a.at {
        Some(s) => parse_moment(s, ctx.clock.now)
            .and_then(|at| {
                // The day it was here: a moment given in another offset is
                // judged on this clock's local date.
                let here = at.with_timezone(ctx.clock.now.offset()).date_naive();
                check_not_after_today(here, ctx.clock.today).map(|()| at)
            })
            .map_err(|e| UsageError(m::invalid_flag_value("--at", e)))?,
        None => ctx.clock.now,
    };
    let mut notes = Notes {
        sales: a.sales,
        sales_contact: a.sales_contact,
        background: a.background,
        satisfaction: a.satisfaction,
        reason: a.reason,
        reason_detail: a.reason_detail,
        note: a.note,
    }
    .without_blanks();
    if notes.note.is_none() {
        if prompt::interactive() {
            notes.note = prompt::text(&ask::ask_note(), "--note TEXT", !notes.is_empty())?;
        } else if notes.is_empty() {
            return Err(prompt::missing(
                &ask::record_needs_text(),
                &ask::note_or_other(),
            ));
        }
    }
    let mut db = ctx.open()?;
    let added = records::add(
        &mut db,
        Add {
            customer: a.customer,
            services: a.services,
            at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            author: ctx.author(a.author.as_deref()),
            notes,
        },
    )?;
    let about = if added.services.is_empty() {
        String::new()
    } else {
        m::about_service(added.services.join(", "))
    };
    println!(
        "{}",
        m::record_added(
            added.id,
            &added.customer.id,
            &added.customer.name,
            about,
            &added.at
        )
    );
    Ok(ExitCode::SUCCESS)
}

const TABLE: &[&str] = &[
    "id",
    "at",
    "customer_name",
    "services",
    "author",
    "status",
    "reason",
    "note",
];

fn list(ctx: &Ctx, a: ListArgs) -> Result<ExitCode> {
    let mut csm = a.csm;
    if a.mine {
        csm.push(super::filters::my_csm(&ctx.me)?);
    }
    let f = RecordFilter {
        customer: a.customer,
        services: a.services,
        since: a.since,
        until: a.until,
        author: a.author,
        reason: a.reason,
        csm,
        limit: a.limit,
    };
    let db = ctx.open_read()?;
    let records = records::list(&db, f)?;
    let format = ctx.format();
    let (fields, idx) = pick(format, cells::record_fields(), TABLE);
    let mut out = Out::new(output::stdout(), format, ctx.lang, fields)?;
    for r in &records {
        let mut cells = cells::record_cells(r);
        if format == Format::Table {
            // Minutes are enough on screen; files keep the full stamp.
            let at = output::short_time(&r.at);
            cells[1] = cells::Cell::Text(at);
        }
        out.picked(&cells, &idx)?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
