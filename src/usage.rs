//! A usage sheet (使用情况): one row per service and day, with its metrics
//! (SPEC "Usage and health"). Pure: the header mapped to the usage
//! columns, each record typed and checked on its own; `db::usage` writes
//! the rows and checks what needs the database (the service exists, the
//! (service, day) is not on an earlier line).
//!
//! Columns besides the known ones are decided by their values: a column
//! whose first non-empty value is a number is a custom metric, kept in
//! `custom` as `{header: number}`; one whose first value is text is
//! ignored and reported. A column of the service list (`customer_id`,
//! `amount`, …) is ignored whatever it holds: it describes the service,
//! not its use.

use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Number, Value};

use crate::columns::{header_key, Col};
use crate::date::parse_date;
use crate::error::Result;
use crate::health::Usage;
use crate::msg::{self, import as im, usage as um};
use crate::sheet::{cell_value, clip, lossy, BadRow, Records};

/// A known column of a usage sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageCol {
    ServiceId,
    Date,
    Accounts,
    ActiveUsers,
    KeyActions,
    FeaturesUsed,
}

impl UsageCol {
    pub const ALL: [UsageCol; 6] = [
        UsageCol::ServiceId,
        UsageCol::Date,
        UsageCol::Accounts,
        UsageCol::ActiveUsers,
        UsageCol::KeyActions,
        UsageCol::FeaturesUsed,
    ];

    /// The metrics, in the order of `UsageRow::metrics` and of the
    /// `usage` table's columns.
    pub const METRICS: [UsageCol; 4] = [
        UsageCol::Accounts,
        UsageCol::ActiveUsers,
        UsageCol::KeyActions,
        UsageCol::FeaturesUsed,
    ];

    /// English header and SQL column name (`date` is stored as `day`).
    pub const fn id(self) -> &'static str {
        match self {
            UsageCol::ServiceId => "service_id",
            UsageCol::Date => "date",
            UsageCol::Accounts => "accounts",
            UsageCol::ActiveUsers => "active_users",
            UsageCol::KeyActions => "key_actions",
            UsageCol::FeaturesUsed => "features_used",
        }
    }

    pub const fn zh(self) -> &'static str {
        match self {
            UsageCol::ServiceId => "服务ID",
            UsageCol::Date => "日期",
            UsageCol::Accounts => "开通账号数",
            UsageCol::ActiveUsers => "活跃用户数",
            UsageCol::KeyActions => "核心功能使用次数",
            UsageCol::FeaturesUsed => "使用功能数",
        }
    }

    /// Other headers taken for the column.
    const fn aliases(self) -> &'static [&'static str] {
        match self {
            UsageCol::Date => &["day", "month", "月份", "统计日期"],
            _ => &[],
        }
    }

    /// Matches a header cell as the service list does (`columns`):
    /// English id or Chinese name, case, spaces, `_` and `-` ignored.
    pub fn from_header(h: &str) -> Option<UsageCol> {
        let key = header_key(h);
        UsageCol::ALL.into_iter().find(|c| {
            header_key(c.id()) == key
                || header_key(c.zh()) == key
                || c.aliases().iter().any(|a| header_key(a) == key)
        })
    }

    /// The metric's place in `METRICS` (and `UsageRow::metrics`).
    pub fn metric_index(self) -> usize {
        UsageCol::METRICS
            .iter()
            .position(|&m| m == self)
            .expect("a metric")
    }
}

/// What a column outside the known ones turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Other {
    /// No value yet.
    Undecided,
    /// A custom metric: its first value, on this line, is a number.
    Number { line: u64 },
    /// Its first value is not a number: ignored.
    Text,
    /// A column of the service list: ignored.
    ServiceList,
}

#[derive(Clone, Debug)]
struct OtherCol {
    at: usize,
    name: Arc<str>,
    kind: Other,
}

/// The header of a usage sheet, and what each other column has turned
/// out to be so far (see the module's note): it reads the rows in file
/// order.
#[derive(Clone, Debug)]
pub struct UsageHeader {
    /// The cells as written in the file.
    pub names: Vec<String>,
    index: [Option<usize>; 6],
    others: Vec<OtherCol>,
    /// Usage is of days that have passed: a later date is refused.
    today: NaiveDate,
}

/// How many header cells an error message shows.
const SHOWN: usize = 30;

impl UsageHeader {
    pub fn parse(cells: Vec<String>, today: NaiveDate) -> Result<UsageHeader, String> {
        let mut index = [None; 6];
        let mut others: Vec<OtherCol> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let name = cell.trim().trim_start_matches('\u{feff}').trim();
            if let Some(c) = UsageCol::from_header(name) {
                if let Some(j) = index[c as usize].replace(i) {
                    return Err(twice(c.id(), j, i));
                }
                continue;
            }
            if name.is_empty() {
                continue;
            }
            if let Some(o) = others.iter().find(|o| *o.name == *name) {
                return Err(twice(name, o.at, i));
            }
            let kind = if Col::from_header(name).is_some() {
                Other::ServiceList
            } else {
                Other::Undecided
            };
            others.push(OtherCol {
                at: i,
                name: key(name).into(),
                kind,
            });
        }
        let missing: Vec<String> = [UsageCol::ServiceId, UsageCol::Date]
            .into_iter()
            .filter(|&c| index[c as usize].is_none())
            .map(|c| im::import_column_name(c.id(), c.zh()))
            .collect();
        let found = || {
            let shown: Vec<String> = cells.iter().take(SHOWN).map(|c| clip(c)).collect();
            shown.join(", ")
        };
        if !missing.is_empty() {
            return Err(um::usage_missing(
                missing.len(),
                missing.join(", "),
                found(),
            ));
        }
        let metric = UsageCol::METRICS
            .iter()
            .any(|&c| index[c as usize].is_some())
            || others.iter().any(|o| o.kind == Other::Undecided);
        if !metric {
            let names: Vec<String> = UsageCol::METRICS
                .iter()
                .map(|c| im::import_column_name(c.id(), c.zh()))
                .collect();
            return Err(um::usage_no_metric_column(names.join(", "), found()));
        }
        Ok(UsageHeader {
            names: cells,
            index,
            others,
            today,
        })
    }

    pub fn has(&self, c: UsageCol) -> bool {
        self.index[c as usize].is_some()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The column's name as the file writes it.
    pub fn name_of(&self, c: UsageCol) -> &str {
        self.index[c as usize].map_or(c.id(), |i| self.names[i].trim())
    }

    /// Whether the file has columns that may be custom metrics.
    pub fn may_have_custom(&self) -> bool {
        self.others
            .iter()
            .any(|o| matches!(o.kind, Other::Undecided | Other::Number { .. }))
    }

    /// The custom metrics kept so far, in file order.
    pub fn custom(&self) -> Vec<String> {
        self.others
            .iter()
            .filter(|o| matches!(o.kind, Other::Number { .. }))
            .map(|o| o.name.to_string())
            .collect()
    }

    /// The columns ignored, each with why, in file order.
    pub fn ignored(&self) -> Vec<(String, &'static str)> {
        self.others
            .iter()
            .filter_map(|o| {
                let why = match o.kind {
                    Other::Number { .. } => return None,
                    Other::Undecided => msg::pick("empty", "为空"),
                    Other::Text => msg::pick("not numbers", "不是数字"),
                    Other::ServiceList => msg::pick("a service-list column", "服务清单的列"),
                };
                Some((o.name.to_string(), why))
            })
            .collect()
    }

    /// Validates one record (from `Records`, so text) into a typed row,
    /// which keeps the record. An other column's first value decides what
    /// it is, whether or not the rest of its row is good.
    pub fn row(&mut self, line: u64, rec: csv::ByteRecord) -> Result<UsageRow, BadRow> {
        if rec.len() != self.len() {
            return Err(bad_row(
                line,
                &rec,
                "-",
                "",
                im::import_cell_count(rec.len(), self.len()),
            ));
        }
        for o in &mut self.others {
            if o.kind == Other::Undecided {
                let v = text(&rec, o.at);
                if !v.is_empty() {
                    o.kind = if parse_number(v).is_ok() {
                        Other::Number { line }
                    } else {
                        Other::Text
                    };
                }
            }
        }
        let cells = Cells {
            header: self,
            line,
            rec: &rec,
        };
        let typed = cells.typed()?;
        Ok(UsageRow {
            line,
            service_id: typed.0,
            day: typed.1,
            metrics: typed.2,
            custom: typed.3,
            raw: rec,
        })
    }
}

fn twice(name: &str, a: usize, b: usize) -> String {
    im::import_column_twice(name, a + 1, b + 1)
}

/// A column's name as a custom metric's key, which is stored: clipped as
/// `sheet::clip` clips it in English, whatever language the run speaks.
fn key(name: &str) -> String {
    const MAX: usize = 60;
    let n = name.chars().count();
    if n <= MAX {
        name.to_string()
    } else {
        let head: String = name.chars().take(MAX).collect();
        format!("{head}… ({n} characters)")
    }
}

/// A cell's value as a row reads it (see `sheet::cell_value`).
fn text(rec: &csv::ByteRecord, i: usize) -> &str {
    std::str::from_utf8(rec.get(i).unwrap_or_default())
        .map(cell_value)
        .unwrap_or_default()
}

fn bad_row(line: u64, rec: &csv::ByteRecord, column: &str, value: &str, reason: String) -> BadRow {
    BadRow {
        line,
        column: column.to_string(),
        value: value.to_string(),
        reason,
        cells: lossy(rec),
    }
}

/// The custom metrics of a row, by name, ascending.
pub type Custom = Vec<(Arc<str>, Number)>;

type Typed = (String, NaiveDate, [Option<i64>; 4], Custom);

/// One record, read against the header.
struct Cells<'a> {
    header: &'a UsageHeader,
    line: u64,
    rec: &'a csv::ByteRecord,
}

impl Cells<'_> {
    fn bad(&self, column: &str, value: &str, reason: String) -> BadRow {
        bad_row(self.line, self.rec, column, value, reason)
    }

    fn get(&self, c: UsageCol) -> Option<&str> {
        let v = text(self.rec, self.header.index[c as usize]?);
        (!v.is_empty()).then_some(v)
    }

    fn required(&self, c: UsageCol) -> Result<&str, BadRow> {
        self.get(c).ok_or_else(|| {
            self.bad(
                self.header.name_of(c),
                "",
                im::import_required(msg::pick(c.id(), c.zh())),
            )
        })
    }

    fn typed(&self) -> Result<Typed, BadRow> {
        let h = self.header;
        let id = self.required(UsageCol::ServiceId)?;
        if id.chars().any(char::is_control) {
            return Err(self.bad(
                h.name_of(UsageCol::ServiceId),
                &id.escape_debug().to_string(),
                im::import_control_in_id(),
            ));
        }
        let date = self.required(UsageCol::Date)?;
        let name = h.name_of(UsageCol::Date);
        let (day, month) = parse_day_or_month(date).map_err(|e| self.bad(name, date, e))?;
        if day > h.today {
            return Err(self.bad(
                name,
                date,
                if month {
                    um::usage_future_month(day, h.today)
                } else {
                    um::usage_future_day(day, h.today)
                },
            ));
        }
        let mut metrics = [None; 4];
        for c in UsageCol::METRICS {
            if let Some(v) = self.get(c) {
                let n = parse_count(v).map_err(|e| self.bad(h.name_of(c), v, e))?;
                metrics[c.metric_index()] = Some(n);
            }
        }
        let mut custom: Custom = Vec::new();
        for o in &h.others {
            let Other::Number { line } = o.kind else {
                continue;
            };
            let v = text(self.rec, o.at);
            if v.is_empty() {
                continue;
            }
            let n = parse_number(v)
                .map_err(|_| self.bad(&o.name, v, um::usage_custom_not_number(&o.name, line)))?;
            custom.push((Arc::clone(&o.name), n));
        }
        custom.sort_by(|a, b| a.0.cmp(&b.0));
        if metrics.iter().all(Option::is_none) && custom.is_empty() {
            let first = UsageCol::METRICS
                .iter()
                .filter_map(|&c| h.index[c as usize].map(|i| (i, h.name_of(c).to_string())))
                .chain(
                    h.others
                        .iter()
                        .filter(|o| o.kind != Other::ServiceList)
                        .map(|o| (o.at, o.name.to_string())),
                )
                .min();
            let column = first.map_or("-".to_string(), |(_, n)| n);
            return Err(self.bad(&column, "", um::usage_no_metric()));
        }
        let [accounts, active, ..] = metrics;
        if let (Some(a), Some(n)) = (accounts, active) {
            if n > a {
                return Err(self.bad(
                    h.name_of(UsageCol::ActiveUsers),
                    &n.to_string(),
                    um::usage_active_over_accounts(a),
                ));
            }
        }
        Ok((id.to_string(), day, metrics, custom))
    }
}

/// What a usage import did (or, rolled back, would have done) to the
/// `usage` table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Services with a new or updated row: their indicators refreshed.
    pub services: u64,
}

/// A valid row of a usage sheet.
#[derive(Clone, Debug)]
pub struct UsageRow {
    pub line: u64,
    pub service_id: String,
    pub day: NaiveDate,
    /// accounts, active_users, key_actions, features_used (`METRICS`);
    /// None for an empty cell or a column the file lacks.
    pub metrics: [Option<i64>; 4],
    pub custom: Custom,
    /// The cells as read, for `--rejects` if the database refuses the row.
    pub raw: csv::ByteRecord,
}

impl UsageRow {
    pub fn cells(&self) -> Vec<String> {
        lossy(&self.raw)
    }

    /// The row's metrics as the health model reads them.
    pub fn usage(&self) -> Usage {
        let [accounts, active_users, key_actions, features_used] = self.metrics;
        Usage {
            day: Some(self.day),
            accounts,
            active_users,
            key_actions,
            features_used,
        }
    }

    /// The bad row this row is, for a rule the database checks.
    pub fn bad(&self, column: &str, value: &str, reason: String) -> BadRow {
        bad_row(self.line, &self.raw, column, value, reason)
    }

    /// The `custom` object as stored: `stored` (if any) with this row's
    /// custom metrics set, keys in order. None when both are empty.
    pub fn custom_json(&self, stored: Option<&str>) -> Option<String> {
        if self.custom.is_empty() {
            return stored.map(str::to_string);
        }
        let mut all: Vec<(String, Value)> = stored
            .and_then(|s| serde_json::from_str::<Map<String, Value>>(s).ok())
            .map(|m| m.into_iter().collect())
            .unwrap_or_default();
        for (k, n) in &self.custom {
            match all.iter_mut().find(|(name, _)| name.as_str() == &**k) {
                Some((_, v)) => *v = Value::Number(n.clone()),
                None => all.push((k.to_string(), Value::Number(n.clone()))),
            }
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let map: Map<String, Value> = all.into_iter().collect();
        Some(Value::Object(map).to_string())
    }
}

/// A row of a usage sheet: typed and valid, or bad with what is wrong.
pub enum Item {
    Row(Box<UsageRow>),
    Bad(Box<BadRow>),
}

/// The rows of a usage sheet after its header, in file order; an error
/// ends them (reading failed midway). The header is theirs: it learns
/// what the other columns are as it reads (`UsageHeader::row`).
pub struct UsageRows {
    pub header: UsageHeader,
    records: Records,
}

impl UsageRows {
    /// The rows of `records`, whose header is read as a usage sheet's.
    pub fn new(records: Records, today: NaiveDate) -> Result<UsageRows> {
        let header = UsageHeader::parse(records.header.clone(), today)
            .map_err(|e| records.header_error(e))?;
        Ok(UsageRows { header, records })
    }
}

impl Iterator for UsageRows {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        let (line, rec) = match self.records.next()? {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(match rec {
            Err(bad) => Item::Bad(Box::new(bad)),
            Ok(rec) => match self.header.row(line, rec) {
                Ok(r) => Item::Row(Box::new(r)),
                Err(b) => Item::Bad(Box::new(b)),
            },
        }))
    }
}

/// A usage day: a date (`date::parse_date`), or a month (`2026-10`,
/// `2026/10`, `2026.10`, `2026年10月`), which means its last day.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    parse_day_or_month(s).map(|(d, _)| d)
}

/// `parse_day`, and whether the text was a month.
fn parse_day_or_month(s: &str) -> Result<(NaiveDate, bool), String> {
    let t = s.trim();
    if let Some(month) = parse_month(t) {
        return month.map(|d| (d, true));
    }
    parse_date(t).map(|d| (d, false)).map_err(|e| {
        if is_shapeless(t, &e) {
            um::usage_or_month(e)
        } else {
            e
        }
    })
}

/// Whether `e`, what `parse_date(t)` said, is that `t` has no date's
/// shape at all (rather than a year out of range or a day that does not
/// exist): the one error that a month could answer. Told by the text
/// that text with no shape gets, in whichever language the run speaks.
fn is_shapeless(t: &str, e: &str) -> bool {
    const PROBE: &str = "\u{1}";
    let Err(shapeless) = parse_date(PROBE) else {
        return false;
    };
    shapeless
        .split_once(PROBE)
        .is_some_and(|(before, after)| e == format!("{before}{t}{after}"))
}

/// `Some` when `t` has the shape of a month: year and month, no day.
fn parse_month(t: &str) -> Option<Result<NaiveDate, String>> {
    let (y, m) = if let Some(rest) = t.strip_suffix('月') {
        rest.split_once('年')?
    } else {
        let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        let (y, m) = t.split_once(sep)?;
        if m.contains(sep) {
            return None;
        }
        (y, m)
    };
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4..=4) || !digits(m, 1..=2) {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(1900..=2199).contains(&y) {
        return Some(Err(um::usage_month_year(t)));
    }
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    Some(
        next.filter(|_| (1..=12).contains(&m))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| um::usage_not_a_month(t)),
    )
}

/// Counts above this are typos, not usage.
pub const MAX_COUNT: i64 = 1_000_000_000_000;

/// A count (accounts, users, actions, features): a whole number, not
/// negative: `12`, `1,200` (thousands grouped by three), or `12.0` as a
/// spreadsheet may write a whole number.
pub fn parse_count(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = crate::money::ungroup(whole);
    let frac_ok = frac.bytes().all(|b| b.is_ascii_digit());
    let Some(digits) = digits.filter(|_| frac_ok) else {
        return Err(um::usage_count_not_number(s));
    };
    if frac.bytes().any(|b| b != b'0') {
        return Err(um::usage_count_fraction(s));
    }
    let n: i64 = match digits.parse::<u64>() {
        Ok(n) if n <= MAX_COUNT as u64 => n as i64,
        _ => return Err(um::usage_count_too_large(s, MAX_COUNT)),
    };
    if neg && n != 0 {
        return Err(um::usage_count_negative(s));
    }
    Ok(n)
}

/// A custom metric's value: a whole number (`-3`, `1,200`) or a decimal
/// (`0.25`, `1,200.5`), finite.
pub fn parse_number(s: &str) -> Result<Number, String> {
    let t = s.trim();
    let bad = || um::usage_not_a_number(s);
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let whole = if whole.is_empty() && frac.is_some() {
        std::borrow::Cow::Borrowed("0")
    } else {
        crate::money::ungroup(whole).ok_or_else(bad)?
    };
    let sign = if neg { "-" } else { "" };
    match frac {
        None => match format!("{sign}{whole}").parse::<i64>() {
            Ok(n) => Ok(Number::from(n)),
            Err(_) => f64_number(&format!("{sign}{whole}")).ok_or_else(bad),
        },
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            f64_number(&format!("{sign}{whole}.{f}")).ok_or_else(bad)
        }
        Some(_) => Err(bad()),
    }
}

fn f64_number(s: &str) -> Option<Number> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .and_then(Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-11-23";

    fn header(line: &str) -> UsageHeader {
        UsageHeader::parse(line.split(',').map(String::from).collect(), day(TODAY)).unwrap()
    }

    fn rec(line: &str) -> csv::ByteRecord {
        csv::ByteRecord::from(line.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn headers_in_either_language() {
        let h = header("服务ID,日期,开通账号数,活跃用户数,核心功能使用次数,使用功能数");
        assert!(UsageCol::ALL.iter().all(|&c| h.has(c)));
        let h = header("Service ID,DATE,Active-Users");
        assert!(h.has(UsageCol::ActiveUsers) && !h.has(UsageCol::Accounts));
        assert_eq!(UsageCol::from_header("day"), Some(UsageCol::Date));
        assert_eq!(UsageCol::from_header("月份"), Some(UsageCol::Date));
    }

    #[test]
    fn header_errors_name_what_is_missing() {
        let e =
            UsageHeader::parse(vec!["服务ID".into(), "活跃用户数".into()], day(TODAY)).unwrap_err();
        assert!(e.starts_with("missing required column: date (日期)"), "{e}");
        let e =
            UsageHeader::parse(vec!["service_id".into(), "date".into()], day(TODAY)).unwrap_err();
        assert!(e.starts_with("no metric column"), "{e}");
        // A service-list column is no metric.
        let e = UsageHeader::parse(
            vec!["service_id".into(), "date".into(), "amount".into()],
            day(TODAY),
        )
        .unwrap_err();
        assert!(e.starts_with("no metric column"), "{e}");
        let e = UsageHeader::parse(
            vec!["service_id".into(), "date".into(), "日期".into()],
            day(TODAY),
        )
        .unwrap_err();
        assert!(e.contains("appears twice"), "{e}");
    }

    #[test]
    fn months_mean_their_last_day() {
        for (s, d) in [
            ("2026-10", "2026-10-31"),
            ("2026/2", "2026-02-28"),
            ("2024年2月", "2024-02-29"),
            ("2026.12", "2026-12-31"),
            ("2026-10-05", "2026-10-05"),
            ("2026年10月5日", "2026-10-05"),
        ] {
            assert_eq!(parse_day(s), Ok(day(d)), "{s}");
        }
        assert!(parse_day("2026-13")
            .unwrap_err()
            .contains("not a real month"));
        assert!(parse_day("1800-01").unwrap_err().contains("between 1900"));
        let e = parse_day("Oct 2026").unwrap_err();
        assert!(e.contains("or a month: 2026-10"), "{e}");
        assert!(parse_day("2026-02-30")
            .unwrap_err()
            .contains("not a real date"));
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(parse_count("12"), Ok(12));
        assert_eq!(parse_count("1,200"), Ok(1200));
        assert_eq!(parse_count("12.0"), Ok(12));
        assert_eq!(parse_count("0"), Ok(0));
        assert!(parse_count("-3").unwrap_err().contains("negative"));
        assert!(parse_count("12.5")
            .unwrap_err()
            .contains("not a whole number"));
        assert!(parse_count("1,20").unwrap_err().contains("not a number"));
        assert!(parse_count("abc").unwrap_err().contains("not a number"));
        assert!(parse_count("99999999999999").unwrap_err().contains("typo"));
    }

    #[test]
    fn custom_numbers() {
        assert_eq!(parse_number("-3"), Ok(Number::from(-3)));
        assert_eq!(parse_number("1,200"), Ok(Number::from(1200)));
        assert_eq!(parse_number("0.25").unwrap().as_f64(), Some(0.25));
        assert_eq!(parse_number(".5").unwrap().as_f64(), Some(0.5));
        for bad in ["", "abc", "1.2.3", "1e5", "12%", "-", "1."] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_good_row_is_typed() {
        let mut h = header("service_id,date,accounts,active_users,logins");
        let r = h.row(2, rec("S1,2026-10,100,40,7")).unwrap();
        assert_eq!(r.service_id, "S1");
        assert_eq!(r.day, day("2026-10-31"));
        assert_eq!(r.metrics, [Some(100), Some(40), None, None]);
        assert_eq!(r.custom_json(None).as_deref(), Some(r#"{"logins":7}"#));
        assert_eq!(
            r.custom_json(Some(r#"{"tickets":2,"logins":1}"#))
                .as_deref(),
            Some(r#"{"logins":7,"tickets":2}"#)
        );
        assert_eq!(h.custom(), ["logins"]);
    }

    #[test]
    fn each_bad_cell_names_line_column_and_value() {
        let cases = [
            (
                "S1,2026-02-30,100,40",
                "date",
                "2026-02-30",
                "not a real date",
            ),
            ("S1,2026-12,100,40", "date", "2026-12", "after today"),
            ("S1,2026-11-24,100,40", "date", "2026-11-24", "after today"),
            (",2026-10,100,40", "service_id", "", "required"),
            ("S1,,100,40", "date", "", "required"),
            ("S1,2026-10,-1,0", "accounts", "-1", "negative"),
            ("S1,2026-10,100,4.5", "active_users", "4.5", "whole"),
            (
                "S1,2026-10,100,101",
                "active_users",
                "101",
                "more than the row's accounts",
            ),
            ("S1,2026-10,,", "accounts", "", "no metric"),
        ];
        for (line, col, value, why) in cases {
            let mut h = header("service_id,date,accounts,active_users");
            let b = h.row(7, rec(line)).unwrap_err();
            assert_eq!(
                (b.line, b.column.as_str(), b.value.as_str()),
                (7, col, value),
                "{line}"
            );
            assert!(b.reason.contains(why), "{line}: {}", b.reason);
        }
        let mut h = header("service_id,date,accounts");
        assert!(h
            .row(3, rec("S1,2026-10"))
            .unwrap_err()
            .reason
            .contains("2 cells, the header has 3"));
    }

    #[test]
    fn other_columns_are_decided_by_their_first_value() {
        let mut h = header("service_id,date,active_users,customer_id,note,logins,nps,blank");
        h.row(2, rec("S1,2026-10,4,C1,ok,,,")).unwrap();
        h.row(3, rec("S2,2026-10,4,C2,12,3,-20,")).unwrap();
        // `note` is text from its first value: a number later is ignored;
        // `logins` is a metric from its first value: text later is bad.
        let r = h.row(4, rec("S3,2026-10,4,C3,hello,1.5,,")).unwrap();
        assert_eq!(r.custom.len(), 1);
        let b = h.row(5, rec("S4,2026-10,4,C4,x,many,,")).unwrap_err();
        assert_eq!((b.column.as_str(), b.value.as_str()), ("logins", "many"));
        assert!(b.reason.contains("first value, on line 3"), "{}", b.reason);
        assert_eq!(h.custom(), ["logins", "nps"]);
        assert_eq!(
            h.ignored(),
            [
                ("customer_id".to_string(), "a service-list column"),
                ("note".to_string(), "not numbers"),
                ("blank".to_string(), "empty"),
            ]
        );
    }

    #[test]
    fn a_row_of_only_custom_metrics_is_a_row() {
        let mut h = header("service_id,date,logins");
        let r = h.row(2, rec("S1,2026-10-01,5")).unwrap();
        assert_eq!(r.metrics, [None; 4]);
        let b = h.row(3, rec("S1,2026-10-02,")).unwrap_err();
        assert_eq!(b.column, "logins");
        assert!(b.reason.contains("no metric"));
    }
}
