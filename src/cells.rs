//! Output cells: typed values that render as text (CSV, TSV, tables, in
//! either language) or as JSON. The service-list row is built here, once,
//! from the column registry, for every command that prints services.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::budget::{BudgetState, Cycle};
use crate::columns::{Col, CUSTOMER_COLUMNS};
use crate::customer::Customer;
use crate::date::iso;
use crate::history::{Entry, Kind};
use crate::labels::Lang;
use crate::lead::{Lead, LeadStatus};
use crate::money::Cents;
use crate::outcome::OutcomeRow;
use crate::record::Record;
use crate::risk::{Risk, RiskState};
use crate::status::Status;
use crate::task::{NewTask, Task};
use crate::view::{CustomerSummary, ServiceView};
use crate::worklist::{Item, Row, TaskItem};

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Money(Cents),
    Date(NaiveDate),
    /// An enum value: English id and Chinese label.
    Label(&'static str, &'static str),
    /// Several values: joined by commas in text, an array in JSON.
    List(Vec<String>),
    /// A score, to one decimal place in text and in JSON.
    Score(f64),
}

impl Cell {
    pub fn text(&self, lang: Lang) -> Cow<'_, str> {
        match self {
            Cell::Null => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Int(i) => Cow::Owned(i.to_string()),
            Cell::Money(c) => Cow::Owned(c.to_string()),
            Cell::Date(d) => Cow::Owned(iso(*d)),
            Cell::Label(id, zh) => Cow::Borrowed(if lang == Lang::Zh { zh } else { id }),
            Cell::List(v) => Cow::Owned(v.join(",")),
            Cell::Score(_) => {
                let mut out = String::new();
                self.write_text(lang, &mut out);
                Cow::Owned(out)
            }
        }
    }

    /// Appends the text to `out` without allocating (numbers and dates are
    /// formatted in place): the hot path of CSV and TSV.
    pub fn write_text(&self, lang: Lang, out: &mut String) {
        match self {
            Cell::Null => {}
            Cell::Text(s) => out.push_str(s),
            Cell::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
            Cell::Money(c) => c.push_to(out),
            Cell::Date(d) => crate::date::push_iso(*d, out),
            Cell::Label(id, zh) => out.push_str(if lang == Lang::Zh { zh } else { id }),
            Cell::List(v) => {
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(x);
                }
            }
            Cell::Score(x) => {
                let t = tenths(*x);
                if t < 0 {
                    out.push('-');
                }
                out.push_str(itoa::Buffer::new().format(t.unsigned_abs() / 10));
                out.push('.');
                out.push(char::from(b'0' + (t.unsigned_abs() % 10) as u8));
            }
        }
    }

    /// JSON keeps English ids; amounts are numbers in yuan.
    pub fn json(&self) -> Json {
        match self {
            Cell::Null => Json::Null,
            Cell::Text(s) => Json::String(s.clone()),
            Cell::Int(i) => Json::from(*i),
            Cell::Money(c) => Json::from(c.yuan()),
            Cell::Date(d) => Json::String(iso(*d)),
            Cell::Label(id, _) => Json::String((*id).to_string()),
            Cell::List(v) => Json::from(v.clone()),
            // The number the text shows: 62.46 is 62.5 in either.
            Cell::Score(x) => Json::from(tenths(*x) as f64 / 10.0),
        }
    }

    fn opt(s: &Option<String>) -> Cell {
        s.as_ref().map_or(Cell::Null, |s| Cell::Text(s.clone()))
    }

    /// What the cell is in a workbook (`-o FILE.xlsx`), decided here for
    /// every kind: text stays text (ids and phone numbers are never
    /// numbers, a leading `=` is never a formula), amounts and counts are
    /// numbers, days are dates. A new column needs nothing more.
    pub fn xlsx(&self, lang: Lang) -> XlsxValue<'_> {
        match self {
            Cell::Null => XlsxValue::Empty,
            Cell::Text(s) => XlsxValue::Text(xlsx_text(s)),
            Cell::Int(i) => XlsxValue::Number(*i as f64, NumberFormat::Count),
            Cell::Money(c) => XlsxValue::Number(c.yuan(), NumberFormat::Amount),
            Cell::Date(d) => XlsxValue::Date(*d),
            Cell::Label(..) | Cell::List(_) => XlsxValue::Text(self.text(lang)),
            Cell::Score(x) => XlsxValue::Number(tenths(*x) as f64 / 10.0, NumberFormat::Tenths),
        }
    }
}

/// A cell's value in a workbook (`Cell::xlsx`).
#[derive(Clone, Debug, PartialEq)]
pub enum XlsxValue<'a> {
    Empty,
    /// A string cell, whatever it looks like.
    Text(Cow<'a, str>),
    Number(f64, NumberFormat),
    /// A real date, shown `yyyy-mm-dd`.
    Date(NaiveDate),
}

/// How a number cell is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberFormat {
    /// Whole numbers as they are.
    Count,
    /// Yuan with two decimals and thousands grouped: `1,234.50`.
    Amount,
    /// One decimal, as a score shows.
    Tenths,
}

impl NumberFormat {
    /// The spreadsheet's number format code.
    pub fn code(self) -> &'static str {
        match self {
            NumberFormat::Count => "0",
            NumberFormat::Amount => "#,##0.00",
            NumberFormat::Tenths => "0.0",
        }
    }
}

/// The date format of date cells.
pub const XLSX_DATE_FORMAT: &str = "yyyy-mm-dd";

/// A text as a workbook's string cell. It is never a formula there, so
/// it needs no guard, except the one import takes off: a text that
/// starts with `'` and then a formula character (`'=x`) gets one more
/// `'`, so that it reads back as itself (`sheet::cell_value`).
pub fn xlsx_text(s: &str) -> Cow<'_, str> {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// A score in tenths, halves away from zero: what a score cell shows.
fn tenths(x: f64) -> i64 {
    (x * 10.0).round() as i64
}

/// A column of output: JSON key / English header, and Chinese header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub zh: &'static str,
}

impl Field {
    pub fn header(&self, lang: Lang) -> &'static str {
        if lang == Lang::Zh {
            self.zh
        } else {
            self.key
        }
    }
}

impl From<Col> for Field {
    fn from(c: Col) -> Field {
        Field {
            key: c.id(),
            zh: c.zh(),
        }
    }
}

/// A row as a JSON object: each field's key and its cell's JSON value.
pub fn object(fields: &[Field], cells: &[Cell]) -> Json {
    Json::Object(
        fields
            .iter()
            .zip(cells)
            .map(|(f, c)| (f.key.to_string(), c.json()))
            .collect(),
    )
}

/// The service list's columns: import headers, derived, `renewal_of`.
pub fn service_fields() -> Vec<Field> {
    Col::ALL.iter().map(|&c| c.into()).collect()
}

fn label<T: Copy>(v: Option<T>, id: fn(T) -> &'static str, zh: fn(T) -> &'static str) -> Cell {
    v.map_or(Cell::Null, |v| Cell::Label(id(v), zh(v)))
}

/// One service's cells, in `service_fields` order: its customer's, then
/// its own.
pub fn service_cells(s: ServiceView) -> Vec<Cell> {
    let mut cells = customer_attr_cells(&s.customer);
    cells.extend(service_own_cells(s));
    cells
}

/// The cells after the customer's, in registry order. The service is
/// taken, its text moved into the cells (a million-row export copies no
/// string twice).
pub fn service_own_cells(mut s: ServiceView) -> Vec<Cell> {
    let status = (s.status != Status::Unset).then_some(s.status);
    let text = |v: &mut Option<String>| v.take().map_or(Cell::Null, Cell::Text);
    Col::ALL[CUSTOMER_COLUMNS..]
        .iter()
        .map(|col| match col {
            Col::ServiceId => Cell::Text(std::mem::take(&mut s.service_id)),
            Col::ServiceType => Cell::Label(s.service_type.id(), s.service_type.label_zh()),
            Col::Product => text(&mut s.product),
            Col::StartDate => s.start_date.map_or(Cell::Null, Cell::Date),
            Col::ExpiryDate => Cell::Date(s.expiry_date),
            Col::Amount => s.amount.map_or(Cell::Null, Cell::Money),
            Col::Accounts => s.accounts.map_or(Cell::Null, Cell::Int),
            Col::RunStatus => label(s.run_status, |r| r.id(), |r| r.label_zh()),
            Col::DaysLeft => Cell::Int(s.days_left),
            Col::Window => Cell::Label(s.window.id(), s.window.label_zh()),
            Col::Status => label(status, |r| r.id(), |r| r.label_zh()),
            Col::StatusChangedAt => text(&mut s.status_changed_at),
            Col::LastFollowupAt => text(&mut s.last_followup_at),
            Col::RenewalOf => text(&mut s.renewal_of),
            Col::Reason => label(s.reason, |r| r.id(), |r| r.label_zh()),
            Col::ReasonDetail => text(&mut s.reason_detail),
            Col::LastNote => text(&mut s.last_note),
            Col::PreviousExpiry => s.previous_expiry.map_or(Cell::Null, Cell::Date),
            Col::PreviousAmount => s.previous_amount.map_or(Cell::Null, Cell::Money),
            Col::Health => Cell::Label(s.health.band.id(), s.health.band.label_zh()),
            Col::HealthScore => s.health.score.map_or(Cell::Null, Cell::Score),
            // The customer's columns come first (see `customer_attr_cells`).
            _ => Cell::Null,
        })
        .collect()
}

/// `list`'s columns: the customer's attributes, then its aggregates.
pub fn customer_fields() -> Vec<Field> {
    let mut f: Vec<Field> = Col::ALL[..CUSTOMER_COLUMNS]
        .iter()
        .map(|&c| c.into())
        .collect();
    f.extend([
        field("services", "服务数"),
        Col::Amount.into(),
        field("nearest_expiry", "最近到期"),
        field("worst_window", "最紧到期状态"),
        field("open", "待办服务"),
        Col::Health.into(),
    ]);
    f
}

/// A customer's columns, in registry order.
pub fn customer_attr_cells(c: &Customer) -> Vec<Cell> {
    Col::ALL[..CUSTOMER_COLUMNS]
        .iter()
        .map(|&col| c.get(col).map_or(Cell::Null, |v| Cell::Text(v.to_string())))
        .collect()
}

pub fn customer_cells(s: &CustomerSummary) -> Vec<Cell> {
    let mut cells = customer_attr_cells(&s.customer);
    cells.extend([
        Cell::Int(s.services as i64),
        Cell::Money(s.amount),
        s.nearest_expiry.map_or(Cell::Null, Cell::Date),
        label(s.worst_window, |w| w.id(), |w| w.label_zh()),
        Cell::Int(s.open as i64),
        Cell::Label(s.health.id(), s.health.label_zh()),
    ]);
    cells
}

const fn field(key: &'static str, zh: &'static str) -> Field {
    Field { key, zh }
}

/// `log list`'s columns.
pub fn record_fields() -> Vec<Field> {
    vec![
        field("id", "记录ID"),
        field("at", "跟进时间"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::Csm.into(),
        field("services", "服务ID"),
        field("author", "记录人"),
        Col::Status.into(),
        field("reason", "不续约原因"),
        field("reason_detail", "原因说明"),
        field("note", "跟进情况"),
        Col::Sales.into(),
        Col::SalesContact.into(),
        field("background", "项目背景"),
        field("satisfaction", "满意度"),
    ]
}

pub fn record_cells(r: &Record) -> Vec<Cell> {
    let n = &r.notes;
    vec![
        Cell::Int(r.id),
        Cell::Text(r.at.clone()),
        Cell::Text(r.customer_id.clone()),
        Cell::Text(r.customer_name.clone()),
        Cell::opt(&r.csm),
        Cell::List(r.services.clone()),
        Cell::Text(r.author.clone()),
        label(r.status, |s| s.id(), |s| s.label_zh()),
        label(n.reason, |s| s.id(), |s| s.label_zh()),
        Cell::opt(&n.reason_detail),
        Cell::opt(&n.note),
        Cell::opt(&n.sales),
        Cell::opt(&n.sales_contact),
        Cell::opt(&n.background),
        Cell::opt(&n.satisfaction),
    ]
}

/// `outcomes`' columns.
pub fn outcome_fields() -> Vec<Field> {
    vec![
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::Csm.into(),
        Col::ServiceId.into(),
        Col::Product.into(),
        Col::ExpiryDate.into(),
        Col::Amount.into(),
        field("outcome", "结果"),
        field("new_expiry", "新到期时间"),
        field("new_amount", "新金额"),
        Col::Reason.into(),
        Col::ReasonDetail.into(),
        Col::LastNote.into(),
    ]
}

pub fn outcome_cells(r: &OutcomeRow) -> Vec<Cell> {
    vec![
        Cell::Text(r.customer_id.clone()),
        Cell::Text(r.customer_name.clone()),
        Cell::opt(&r.csm),
        Cell::Text(r.service_id.clone()),
        Cell::opt(&r.product),
        Cell::Date(r.expiry_date),
        r.amount.map_or(Cell::Null, Cell::Money),
        Cell::Label(r.outcome.id(), r.outcome.label_zh()),
        r.new_expiry.map_or(Cell::Null, Cell::Date),
        r.new_amount.map_or(Cell::Null, Cell::Money),
        label(r.reason, |x| x.id(), |x| x.label_zh()),
        Cell::opt(&r.reason_detail),
        Cell::opt(&r.last_note),
    ]
}

/// `today`'s columns.
pub fn worklist_fields() -> Vec<Field> {
    vec![
        field("points", "优先分"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::ServiceId.into(),
        Col::Product.into(),
        Col::ExpiryDate.into(),
        Col::DaysLeft.into(),
        Col::Window.into(),
        field("health", "健康度"),
        field("health_score", "健康分"),
        Col::Status.into(),
        Col::Amount.into(),
        Col::Csm.into(),
        Col::LastFollowupAt.into(),
        field("why", "原因"),
        field("task_id", "任务ID"),
        field("task", "任务内容"),
    ]
}

/// A worklist row (a service or a task), as `worklist_fields` says.
pub fn worklist_row_cells(r: Row, lang: Lang, at: crate::clock::AsOf) -> Vec<Cell> {
    match r {
        Row::Service(i) => {
            let mut cells = worklist_cells(i, lang);
            cells.extend([Cell::Null, Cell::Null]);
            cells
        }
        Row::Task(t) => worklist_task_cells(t, lang, at),
    }
}

/// A task's row of the worklist: its service's columns when it is about
/// one (health is the service rows' business: left empty), the why, the
/// task's id and title.
fn worklist_task_cells(i: TaskItem, lang: Lang, at: crate::clock::AsOf) -> Vec<Cell> {
    let why = i.why(lang);
    let days = i.days_left(at.today);
    let status = i.status(at);
    let title = i.task.title(lang);
    let t = i.task;
    let s = i.service;
    let text = |v: Option<String>| v.map_or(Cell::Null, Cell::Text);
    let window = days.map(crate::window::Window::from_days_left);
    vec![
        Cell::Int(i64::from(i.points)),
        Cell::Text(t.customer_id),
        Cell::Text(t.customer_name),
        text(t.service_id),
        text(s.as_ref().and_then(|s| s.product.clone())),
        s.as_ref().map_or(Cell::Null, |s| Cell::Date(s.expiry_date)),
        days.map_or(Cell::Null, Cell::Int),
        label(window, |w| w.id(), |w| w.label_zh()),
        Cell::Null,
        Cell::Null,
        label(status, |s| s.id(), |s| s.label_zh()),
        s.as_ref()
            .and_then(|s| s.amount)
            .map_or(Cell::Null, Cell::Money),
        text(t.csm),
        text(s.and_then(|s| s.last_followup_at)),
        Cell::Text(why),
        Cell::Int(t.id),
        Cell::Text(title),
    ]
}

/// A worklist row, `why` in `lang`; the health score as every view shows
/// it. The item is taken, its text moved into the cells.
fn worklist_cells(i: Item, lang: Lang) -> Vec<Cell> {
    let why = i.why(lang);
    let c = i.candidate;
    let text = |v: Option<String>| v.map_or(Cell::Null, Cell::Text);
    let window = crate::window::Window::from_days_left(i.facts.days_left);
    vec![
        Cell::Int(i64::from(i.points.total())),
        Cell::Text(c.customer_id),
        Cell::Text(c.customer_name),
        Cell::Text(c.service_id),
        text(c.product),
        Cell::Date(c.expiry_date),
        Cell::Int(i.facts.days_left),
        Cell::Label(window.id(), window.label_zh()),
        Cell::Label(c.health.band.id(), c.health.band.label_zh()),
        c.health.score.map_or(Cell::Null, Cell::Score),
        Cell::Label(c.status.id(), c.status.label_zh()),
        c.amount.map_or(Cell::Null, Cell::Money),
        text(c.csm),
        text(c.last_record_at),
        Cell::Text(why),
    ]
}

/// `tasks list`'s columns (and a task in `show`): the JSON keys the SPEC
/// names (`id`, `customer_id`, `service_id`, `rule`, `status`, `due`,
/// `created`, `closed`, `note`) and the rest.
pub fn task_fields() -> Vec<Field> {
    vec![
        field("id", "任务ID"),
        field("due", "截止日期"),
        field("when", "距今"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::Csm.into(),
        Col::ServiceId.into(),
        field("rule", "任务类型"),
        field("title", "任务内容"),
        field("status", "任务状态"),
        field("original_due", "原截止日期"),
        field("created", "创建时间"),
        field("closed", "关闭时间"),
        field("author", "创建人"),
        field("note", "备注"),
    ]
}

/// A task's cells as of `today`, its title and `when` in `lang`.
pub fn task_cells(t: &Task, today: NaiveDate, lang: Lang) -> Vec<Cell> {
    let when = t.when(today, lang);
    vec![
        Cell::Int(t.id),
        Cell::Date(t.due),
        if when.is_empty() {
            Cell::Null
        } else {
            Cell::Text(when)
        },
        Cell::Text(t.customer_id.clone()),
        Cell::Text(t.customer_name.clone()),
        Cell::opt(&t.csm),
        Cell::opt(&t.service_id),
        Cell::Label(t.rule.id(), t.rule.label_zh()),
        Cell::Text(t.title(lang)),
        Cell::Label(t.status.id(), t.status.label_zh()),
        Cell::Date(t.original_due),
        Cell::Text(t.created.clone()),
        Cell::opt(&t.closed),
        Cell::Text(t.author.clone()),
        Cell::opt(&t.note),
    ]
}

/// `tasks plan`'s columns: a task a sync would make.
pub fn plan_fields() -> Vec<Field> {
    vec![
        field("due", "截止日期"),
        field("when", "距今"),
        field("rule", "任务类型"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::ServiceId.into(),
        field("title", "任务内容"),
    ]
}

pub fn plan_cells(t: &NewTask, today: NaiveDate, lang: Lang) -> Vec<Cell> {
    vec![
        Cell::Date(t.due),
        Cell::Text(crate::task::when((today - t.due).num_days(), lang)),
        Cell::Label(t.rule.id(), t.rule.label_zh()),
        Cell::Text(t.customer_id.clone()),
        Cell::Text(t.customer_name.clone()),
        Cell::opt(&t.service_id),
        Cell::Text(crate::task::auto_title(
            t.rule,
            t.service_id.as_deref(),
            t.key.as_deref(),
            lang,
        )),
    ]
}

/// `history`'s columns.
pub fn history_fields() -> Vec<Field> {
    vec![
        field("at", "时间"),
        field("kind", "类型"),
        Col::ServiceId.into(),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        field("term_expiry", "服务期到期"),
        field("from", "原值"),
        field("to", "新值"),
        field("author", "操作人"),
        field("source", "来源"),
        field("reason", "不续约原因"),
        field("note", "备注"),
        field("item_id", "事项ID"),
    ]
}

pub fn history_cells(e: &Entry) -> Vec<Cell> {
    let (from, to) = match e.statuses() {
        // Statuses travel as labels; expiry dates as text.
        Some((f, t)) => (
            Cell::Label(f.id(), f.label_zh()),
            Cell::Label(t.id(), t.label_zh()),
        ),
        None => (item_state(e.kind, &e.from), item_state(e.kind, &e.to)),
    };
    vec![
        Cell::Text(e.at.clone()),
        Cell::Label(e.kind.id(), e.kind.label_zh()),
        Cell::Text(e.service_id.clone()),
        Cell::Text(e.customer_id.clone()),
        Cell::Text(e.customer_name.clone()),
        Cell::opt(&e.term_expiry),
        from,
        to,
        Cell::Text(e.author.clone()),
        Cell::Label(e.source.id(), e.source.label_zh()),
        label(e.reason, |s| s.id(), |s| s.label_zh()),
        Cell::opt(&e.note),
        e.item_id.map_or(Cell::Null, Cell::Int),
    ]
}

/// A risk's, lead's or budget cycle's state in its history entry, as a
/// label (both languages); anything else (a budget date) as text.
fn item_state(kind: Kind, v: &Option<String>) -> Cell {
    let Some(s) = v.as_deref() else {
        return Cell::Null;
    };
    let found = match kind {
        Kind::Risk => RiskState::from_id(s).map(|x| (x.id(), x.label_zh())),
        Kind::Lead => LeadStatus::from_id(s).map(|x| (x.id(), x.label_zh())),
        Kind::Budget => BudgetState::from_id(s).map(|x| (x.id(), x.label_zh())),
        _ => None,
    };
    found.map_or_else(|| Cell::Text(s.to_string()), |(id, zh)| Cell::Label(id, zh))
}

fn day(d: Option<NaiveDate>) -> Cell {
    d.map_or(Cell::Null, Cell::Date)
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// `risk list`'s columns (and a risk in `show --json`).
pub fn risk_fields() -> Vec<Field> {
    vec![
        field("id", "风险ID"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::Csm.into(),
        Col::ServiceId.into(),
        field("kind", "风险类型"),
        field("status", "处置状态"),
        field("owner", "负责人"),
        field("created", "提出日期"),
        field("note", "风险描述"),
        field("plan", "应对方案"),
        field("planned", "方案日期"),
        field("closed", "关闭日期"),
        field("outcome_note", "处置说明"),
        field("author", "记录人"),
    ]
}

pub fn risk_cells(r: &Risk) -> Vec<Cell> {
    let state = r.state();
    vec![
        Cell::Int(r.id),
        text(&r.customer_id),
        text(&r.customer_name),
        Cell::opt(&r.csm),
        Cell::opt(&r.service_id),
        Cell::Label(r.kind.id(), r.kind.label_zh()),
        Cell::Label(state.id(), state.label_zh()),
        Cell::opt(&r.owner),
        Cell::Date(r.raised),
        text(&r.note),
        Cell::opt(&r.plan),
        day(r.planned),
        day(r.closed),
        Cell::opt(&r.outcome_note),
        text(&r.author),
    ]
}

/// `lead list`'s columns (and a lead in `show --json`).
pub fn lead_fields() -> Vec<Field> {
    vec![
        field("id", "线索ID"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::Csm.into(),
        Col::ServiceId.into(),
        Col::Product.into(),
        Col::Amount.into(),
        field("status", "线索状态"),
        field("created", "录入日期"),
        field("closed", "闭环日期"),
        field("converted", "转商机日期"),
        field("note", "线索说明"),
        field("author", "记录人"),
    ]
}

pub fn lead_cells(l: &Lead) -> Vec<Cell> {
    vec![
        Cell::Int(l.id),
        text(&l.customer_id),
        text(&l.customer_name),
        Cell::opt(&l.csm),
        Cell::opt(&l.service_id),
        text(&l.product),
        l.amount.map_or(Cell::Null, Cell::Money),
        Cell::Label(l.status.id(), l.status.label_zh()),
        Cell::Date(l.entered),
        day(l.closed),
        day(l.converted),
        text(&l.note),
        text(&l.author),
    ]
}

/// `budget list`'s columns (and the budget in `show --json`).
pub fn budget_fields() -> Vec<Field> {
    vec![
        field("id", "预算ID"),
        Col::CustomerId.into(),
        Col::CustomerName.into(),
        Col::Csm.into(),
        Col::BudgetDate.into(),
        field("status", "预算状态"),
        field("submitted", "提交日期"),
        field("result_date", "结果日期"),
        field("created", "登记日期"),
        field("author", "记录人"),
    ]
}

pub fn budget_cells(c: &Cycle) -> Vec<Cell> {
    let state = c.state();
    vec![
        Cell::Int(c.id),
        text(&c.customer_id),
        text(&c.customer_name),
        Cell::opt(&c.csm),
        Cell::Date(c.budget_date),
        Cell::Label(state.id(), state.label_zh()),
        day(c.submitted),
        day(c.result_date),
        Cell::Date(c.created),
        text(&c.author),
    ]
}

/// The first characters a spreadsheet reads as the start of a formula
/// (or that hide one: a quote, a tab, a carriage return).
pub const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\'', '\t', '\r'];

/// Against formula injection in CSV and TSV: a text cell starting with one
/// of `FORMULA_START` that is not a plain decimal number gets a leading
/// `'` (import strips it again, so every value round-trips).
pub fn guard(s: &str) -> Cow<'_, str> {
    // Every FORMULA_START character is ASCII: one byte to look at, on the
    // hot path of every CSV and TSV cell.
    let risky = s
        .as_bytes()
        .first()
        .is_some_and(|&b| b.is_ascii() && FORMULA_START.contains(&char::from(b)));
    if risky && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// An optional sign, digits, optional decimals: what a spreadsheet reads
/// as a number and nothing else (`-inf`, `+NaN`, `1e5` are not).
fn is_plain_number(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = t.split_once('.').unwrap_or((t, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_quotes_formulas_but_not_numbers() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("@cmd"), "'@cmd");
        assert_eq!(guard("+86 138"), "'+86 138");
        assert_eq!(guard("-5"), "-5");
        assert_eq!(guard("-12.50"), "-12.50");
        assert_eq!(guard("+8613800000000"), "+8613800000000");
        assert_eq!(guard("华宇"), "华宇");
        for text in [
            "-inf",
            "+NaN",
            "-Infinity",
            "-",
            "+",
            "-1e5",
            "-12.",
            "'quoted",
            "\tx",
            "\rx",
        ] {
            assert_eq!(guard(text), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn each_kind_of_cell_has_its_workbook_type() {
        let text = |s: &str| XlsxValue::Text(Cow::Owned(s.to_string()));
        assert_eq!(Cell::Text("000123".into()).xlsx(Lang::En), text("000123"));
        assert_eq!(
            Cell::Text("=SUM(A1)".into()).xlsx(Lang::En),
            text("=SUM(A1)")
        );
        assert_eq!(Cell::Text("-5".into()).xlsx(Lang::En), text("-5"));
        assert_eq!(Cell::Text("'=x".into()).xlsx(Lang::En), text("''=x"));
        assert_eq!(Cell::Text("'quoted".into()).xlsx(Lang::En), text("'quoted"));
        assert_eq!(
            Cell::Money(Cents(123_450)).xlsx(Lang::En),
            XlsxValue::Number(1234.5, NumberFormat::Amount)
        );
        assert_eq!(
            Cell::Int(12).xlsx(Lang::En),
            XlsxValue::Number(12.0, NumberFormat::Count)
        );
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Cell::Date(day).xlsx(Lang::En), XlsxValue::Date(day));
        assert_eq!(
            Cell::Label("within_30", "30天内过期").xlsx(Lang::Zh),
            text("30天内过期")
        );
        assert_eq!(Cell::Null.xlsx(Lang::En), XlsxValue::Empty);
        assert_eq!(
            Cell::Score(62.46).xlsx(Lang::En),
            XlsxValue::Number(62.5, NumberFormat::Tenths)
        );
    }

    #[test]
    fn cells_render_per_language_and_json() {
        let c = Cell::Label("within_30", "30天内过期");
        assert_eq!(c.text(Lang::Zh), "30天内过期");
        assert_eq!(c.text(Lang::En), "within_30");
        assert_eq!(c.json(), Json::from("within_30"));
        assert_eq!(Cell::Money(Cents(1_200_050)).text(Lang::En), "12000.50");
        assert_eq!(Cell::Money(Cents(1_200_050)).json(), Json::from(12000.5));
        assert_eq!(Cell::Null.json(), Json::Null);
        // Scores to one decimal, the same in text and JSON.
        for (x, text, json) in [
            (62.46, "62.5", 62.5),
            (100.0, "100.0", 100.0),
            (0.04, "0.0", 0.0),
            (31.666_666, "31.7", 31.7),
            (0.25, "0.3", 0.3),
        ] {
            let mut out = String::new();
            Cell::Score(x).write_text(Lang::En, &mut out);
            assert_eq!(
                (Cell::Score(x).text(Lang::Zh), out.as_str()),
                (text.into(), text)
            );
            assert_eq!(Cell::Score(x).json(), Json::from(json));
        }
    }
}
