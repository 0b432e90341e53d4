//! Read queries: filters as SQL with bound parameters, services streamed
//! row by row, customers with aggregates.

use std::rc::Rc;

use chrono::{Days, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, Row};

use super::health::{Prefetched, Rater, Walk};
use super::sql::{args, Arg, Conn, Kind, Sql};
use crate::clock::AsOf;
use crate::columns::{count_home, Col, Home, CUSTOMER_COLUMNS};
use crate::customer::{literal_chars, tier_rank, Customer, Lookup, Named, Suggestions, TIERS};
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::filter::{
    same_value, spellings_range, CustomerKey, CustomerSort, Due, Filters, Page, ServiceSort,
};
use crate::health::Band;
use crate::money::Cents;
use crate::service::{RunStatus, ServiceType};
use crate::status::{Reason, Status};
use crate::view::{CustomerSummary, ServiceView};
use crate::window::Window;

/// What a read as of one day needs, each loaded once per command: the
/// team's rules then and the health calibration then.
pub(crate) struct Reading {
    pub(crate) at: AsOf,
    pub(crate) rater: Rater,
}

impl Reading {
    pub(crate) fn load(conn: &impl super::sql::Sql, today: NaiveDate) -> Result<Reading> {
        Ok(Reading {
            at: super::settings::as_of(conn, today)?,
            rater: Rater::load(conn, today)?,
        })
    }
}

/// A WHERE clause and its parameters, over `services s JOIN customers c`,
/// in the SQL of one engine (`Where::on`; SQLite's by default).
#[derive(Debug)]
pub(crate) struct Where {
    parts: Vec<String>,
    params: Vec<Value>,
    kind: Kind,
}

impl Default for Where {
    fn default() -> Where {
        Where::on(Kind::Lite)
    }
}

/// A bound value as either engine takes it.
impl Arg for Value {
    fn value(&self) -> super::sql::Value<'_> {
        use super::sql::Value as V;
        use std::borrow::Cow;
        match self {
            Value::Null => V::Null,
            Value::Integer(i) => V::Int(*i),
            Value::Real(r) => V::Real(*r),
            Value::Text(t) => V::Text(Cow::Borrowed(t)),
            Value::Blob(b) => V::Blob(Cow::Borrowed(b)),
        }
    }
}

impl Where {
    /// An empty clause in the SQL of `kind`.
    pub(crate) fn on(kind: Kind) -> Where {
        Where {
            parts: Vec::new(),
            params: Vec::new(),
            kind,
        }
    }

    pub(crate) fn push(&mut self, sql: String) {
        self.parts.push(sql);
    }

    /// Binds a value; returns its placeholder.
    pub(crate) fn param(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    /// `expr` is one of the values; nothing when there are none. Two or
    /// more are bound as one JSON array, so any number fits in one
    /// parameter (an `OR` per value stops at SQLite's expression depth of
    /// 1000, and a parameter per value at 32766).
    pub(crate) fn in_list(&mut self, expr: &str, values: &[String]) {
        match values {
            [] => {}
            [one] => {
                let p = self.param(one.clone());
                self.push(format!("{expr} = {p}"));
            }
            _ => {
                let list = self.list(values);
                self.push(format!("{expr} IN {list}"));
            }
        }
    }

    /// Binds the values as one JSON array; returns a subquery of them, for
    /// the right of an `IN`.
    pub(crate) fn list(&mut self, values: &[String]) -> String {
        let json = serde_json::to_string(values).expect("strings serialise");
        let p = self.param(json);
        match self.kind {
            Kind::Lite => format!("(SELECT value FROM json_each({p}))"),
            Kind::Pg => format!("(SELECT json_array_elements_text(CAST({p} AS json)))"),
        }
    }

    /// `sql(?1) OR sql(?2) ...` over the values, for conditions other than
    /// equality; nothing when empty. The ORs nest as a balanced tree, so
    /// their depth grows with the logarithm of their number.
    pub(crate) fn any_of(&mut self, values: &[String], sql: impl Fn(&str) -> String) {
        if values.is_empty() {
            return;
        }
        let ors: Vec<String> = values.iter().map(|v| sql(&self.param(v.clone()))).collect();
        self.push(balanced_or(&ors));
    }

    /// The conditions as one boolean expression (`1` when there are none).
    pub(crate) fn expr(&self) -> String {
        if self.parts.is_empty() {
            self.truth(true).into()
        } else {
            self.joined()
        }
    }

    /// A constant condition in this engine's SQL (PostgreSQL wants a
    /// boolean where SQLite takes 1 and 0).
    fn truth(&self, yes: bool) -> &'static str {
        match (self.kind, yes) {
            (Kind::Lite, true) => "1",
            (Kind::Lite, false) => "0",
            (Kind::Pg, true) => "TRUE",
            (Kind::Pg, false) => "FALSE",
        }
    }

    fn joined(&self) -> String {
        match self.kind {
            Kind::Lite => self.parts.join(" AND "),
            // A constant pushed as SQLite's 0 or 1 (`Rater::narrow`).
            Kind::Pg => self
                .parts
                .iter()
                .map(|p| match p.as_str() {
                    "0" => "FALSE",
                    "1" => "TRUE",
                    p => p,
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        }
    }

    /// No condition at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub(crate) fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.joined())
        }
    }

    pub(crate) fn params(&self) -> rusqlite::ParamsFromIter<std::slice::Iter<'_, Value>> {
        rusqlite::params_from_iter(self.params.iter())
    }

    /// The parameters, for `Sql`'s calls (either engine).
    pub(crate) fn args(&self) -> Vec<&dyn Arg> {
        self.params.iter().map(|v| v as &dyn Arg).collect()
    }
}

/// `(a OR b)`, `((a OR b) OR (c OR d))`, …: depth log2 of the count.
fn balanced_or(terms: &[String]) -> String {
    match terms {
        [one] => format!("({one})"),
        _ => {
            let (a, b) = terms.split_at(terms.len() / 2);
            format!("({} OR {})", balanced_or(a), balanced_or(b))
        }
    }
}

/// `d` + `n` days as stored text, at most 9999-12-31: the last day ISO
/// text orders correctly (a later one would sort before 2026).
fn day(d: NaiveDate, n: u64) -> String {
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a real date");
    iso(d.checked_add_days(Days::new(n)).unwrap_or(last).min(last))
}

/// Spans of days_left on which rules 1 and 11 give one status per stored
/// status, earliest expiry first: past the grace days, within them, the
/// two follow-up windows, and beyond. Each is (first, last) days_left,
/// `None` for unbounded; an empty span (grace 0) is left out.
fn phases(grace_days: u32) -> Vec<(Option<i64>, Option<i64>)> {
    let g = i64::from(grace_days);
    let mut p = vec![(None, Some(-g - 1))];
    if g > 0 {
        p.push((Some(-g), Some(-1)));
    }
    p.extend([(Some(0), Some(30)), (Some(31), Some(90)), (Some(91), None)]);
    p
}

/// The services whose effective status (rules 1 and 11) satisfies
/// `wanted`, in SQL generated from `Status::effective_on` itself: for each
/// stored status, the spans of days_left in which it shows as a wanted
/// status (adjacent spans merged into one expiry range).
pub(crate) fn status_sql(w: &mut Where, at: AsOf, wanted: impl Fn(Status) -> bool) -> String {
    status_sql_on("s.status", w, at, true, wanted)
}

/// `status_sql` over `column`, an expression of `s.status`.
///
/// `bounded`: repeat the expiry bounds outside the OR, where SQLite reads
/// them as a range of the expiry index (unless the caller has its own
/// range: two make it read every row twice).
fn status_sql_on(
    column: &str,
    w: &mut Where,
    at: AsOf,
    bounded: bool,
    wanted: impl Fn(Status) -> bool,
) -> String {
    let spans = phases(at.grace_days);
    let day_of = |d: i64| -> NaiveDate {
        at.today
            .checked_add_signed(chrono::Duration::days(d))
            .unwrap_or(if d < 0 {
                NaiveDate::MIN
            } else {
                NaiveDate::MAX
            })
    };
    let mut ors = Vec::new();
    let (mut earliest, mut latest) = (i64::MAX, i64::MIN);
    for &stored in Status::ALL {
        let shown: Vec<bool> = spans
            .iter()
            .map(|&(lo, hi)| {
                let sample = lo.or(hi).unwrap_or(0);
                wanted(Status::effective_on(stored, sample, at.grace_days))
            })
            .collect();
        if !shown.contains(&true) {
            continue;
        }
        let stored_sql = match stored.to_db() {
            None => format!("{column} IS NULL"),
            Some(id) => format!("{column} = {}", w.param(id.to_string())),
        };
        // The earliest and latest expiry any wanted status can have.
        let first = shown.iter().position(|&x| x).expect("one is shown");
        let last = shown.iter().rposition(|&x| x).expect("one is shown");
        earliest = earliest.min(spans[first].0.unwrap_or(i64::MIN));
        latest = latest.max(spans[last].1.unwrap_or(i64::MAX));
        if shown.iter().all(|&x| x) {
            ors.push(stored_sql);
            continue;
        }
        let mut ranges = Vec::new();
        let mut i = 0;
        while i < shown.len() {
            if !shown[i] {
                i += 1;
                continue;
            }
            let first = i;
            while i + 1 < shown.len() && shown[i + 1] {
                i += 1;
            }
            let mut and = Vec::new();
            if let Some(lo) = spans[first].0 {
                and.push(format!("s.expiry_date >= {}", w.param(iso(day_of(lo)))));
            }
            if let Some(hi) = spans[i].1 {
                and.push(format!("s.expiry_date <= {}", w.param(iso(day_of(hi)))));
            }
            ranges.push(and.join(" AND "));
            i += 1;
        }
        ors.push(format!("({stored_sql} AND ({}))", ranges.join(" OR ")));
    }
    if ors.is_empty() {
        return w.truth(false).into();
    }
    // The bounds again, outside the OR, where SQLite can read them as a
    // range of the expiry index: `due` and `list` walk only the services
    // that can qualify, not the lapsed ones before them.
    let mut bounds = Vec::new();
    if bounded && earliest > i64::MIN {
        bounds.push(format!(
            "s.expiry_date >= {}",
            w.param(iso(day_of(earliest)))
        ));
    }
    if bounded && latest < i64::MAX {
        bounds.push(format!("s.expiry_date <= {}", w.param(iso(day_of(latest)))));
    }
    bounds.push(format!("({})", ors.join(" OR ")));
    format!("({})", bounds.join(" AND "))
}

/// The filters, and the cohort's rule on terms closed as renewed: those
/// that expired in the period, each service and expiry once (`t`).
/// The renewed terms expiring in `period`, sorted by service, expiry and
/// id (so the first of a (service, expiry) is the one to count, and the
/// services are looked up in key order), as the `FROM` of a query over
/// `t` and `s`, with the filters' `WHERE` on the services.
pub(crate) fn renewed_terms_sorted(
    f: &Filters,
    period: crate::stats::Period,
    at: AsOf,
) -> (String, Where) {
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    let terms = format!(
        " FROM (SELECT service_id, expiry_date, amount, new_amount FROM terms
                WHERE expiry_date BETWEEN {from} AND {to}
                ORDER BY service_id, expiry_date, id) t
          CROSS JOIN services s ON s.service_id = t.service_id"
    );
    (terms, w)
}

pub(crate) fn renewed_terms_in(f: &Filters, period: crate::stats::Period, at: AsOf) -> Where {
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("t.expiry_date BETWEEN {from} AND {to}"));
    w.push("t.id IN (SELECT min(id) FROM terms GROUP BY service_id, expiry_date)".into());
    w
}

/// Rule 9 in SQL: the effective status is open.
fn open_sql(w: &mut Where, at: AsOf, bounded: bool) -> String {
    // Most stored statuses are open, so this narrows little: `+` keeps
    // SQLite from reading the services through the status index (a
    // multi-index OR, 2× slower for `due --sort`) instead of the expiry
    // range that comes with it.
    // (PostgreSQL has no unary `+` on text, nor SQLite's planner.)
    let column = match w.kind {
        Kind::Lite => "+s.status",
        Kind::Pg => "s.status",
    };
    status_sql_on(column, w, at, bounded, Status::is_open)
}

/// Builds the WHERE clause of the filters (and `due`, if given), but for
/// `--health`: a band is derived in Rust (`Rater`), so readers that take
/// it narrow with `Rater::narrow` and keep the rows whose band is wanted.
pub(crate) fn where_clause(f: &Filters, due: Option<Due>, at: AsOf) -> Where {
    where_clause_on(Kind::Lite, f, due, at)
}

/// `where_clause` in the SQL of `kind`.
pub(crate) fn where_clause_on(kind: Kind, f: &Filters, due: Option<Due>, at: AsOf) -> Where {
    let today = at.today;
    let mut w = Where::on(kind);
    w.in_list("s.customer_id", &f.customer);
    w.any_of(&f.search, |p| search_sql(kind, p));
    for (col, values) in &f.attrs {
        w.in_list(&format!("c.{}", col.id()), values);
    }
    let ids = |v: &[&'static str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    w.in_list(
        "s.service_type",
        &ids(&f.service_type.iter().map(|t| t.id()).collect::<Vec<_>>()),
    );
    w.in_list(
        "s.run_status",
        &ids(&f.run_status.iter().map(|t| t.id()).collect::<Vec<_>>()),
    );
    if !f.window.is_empty() {
        let mut ors = Vec::new();
        for win in &f.window {
            let (lo, hi) = win.expiry_bounds(today);
            let mut and = Vec::new();
            if let Some(lo) = lo {
                and.push(format!("s.expiry_date >= {}", w.param(iso(lo))));
            }
            if let Some(hi) = hi {
                and.push(format!("s.expiry_date <= {}", w.param(iso(hi))));
            }
            ors.push(format!("({})", and.join(" AND ")));
        }
        w.push(format!("({})", ors.join(" OR ")));
    }
    if !f.status.is_empty() {
        let sql = status_sql(&mut w, at, |s| f.status.contains(&s));
        w.push(sql);
    }
    if let Some(d) = f.expires_after {
        let p = w.param(iso(d));
        w.push(format!("s.expiry_date >= {p}"));
    }
    if let Some(d) = f.expires_before {
        let p = w.param(iso(d));
        w.push(format!("s.expiry_date <= {p}"));
    }
    if let Some(due) = due {
        // `due` bounds the expiry itself, just below.
        let open = open_sql(&mut w, at, false);
        w.push(open);
        let hi = w.param(day(today, u64::from(due.within)));
        w.push(format!("s.expiry_date <= {hi}"));
        if !due.overdue {
            let lo = w.param(iso(today));
            w.push(format!("s.expiry_date >= {lo}"));
        }
        if due.untouched {
            // Entered the current window: expiry − 90, or − 30 once within 30.
            let t30 = w.param(day(today, 30));
            let before = |n: u32| match kind {
                Kind::Lite => format!("date(s.expiry_date, '-{n} days')"),
                Kind::Pg => {
                    format!("to_char(CAST(s.expiry_date AS date) - {n}, 'YYYY-MM-DD')")
                }
            };
            w.push(format!(
                "(s.last_followup_at IS NULL OR substr(s.last_followup_at, 1, 10) < \
                 CASE WHEN s.expiry_date <= {t30} THEN {} ELSE {} END)",
                before(30),
                before(90)
            ));
        }
    }
    w
}

/// `--search`: the customer's name or id holds the text, case ignored.
fn search_sql(kind: Kind, p: &str) -> String {
    let instr = match kind {
        Kind::Lite => "instr",
        Kind::Pg => "strpos",
    };
    format!("({instr}(lower(c.customer_name), lower({p})) > 0 OR {instr}(lower(c.customer_id), lower({p})) > 0)")
}

/// The customer filters (`--customer`, `--search`, `--csm` and the other
/// attributes) over `customers c`: what selects risks, leads and budget
/// cycles, which belong to a customer (a service is optional on them), so
/// the service filters do not apply to them.
pub(crate) fn customer_where(f: &Filters) -> Where {
    customer_where_on(Kind::Lite, f)
}

/// `customer_where` in the SQL of `kind`.
pub(crate) fn customer_where_on(kind: Kind, f: &Filters) -> Where {
    let mut w = Where::on(kind);
    w.in_list("c.customer_id", &f.customer);
    w.any_of(&f.search, |p| search_sql(kind, p));
    for (col, values) in &f.attrs {
        w.in_list(&format!("c.{}", col.id()), values);
    }
    w
}

/// The customer's columns, `c.`-qualified, in registry order.
pub(crate) fn customer_columns() -> String {
    Col::of(Home::Customer)
        .map(|c| format!("c.{}", c.id()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a service row holds besides the registry's service columns: its
/// renewal state, written by follow-ups and renewals.
const STATE: [&str; 8] = [
    "status",
    "reason",
    "status_changed_at",
    "last_followup_at",
    "reason_detail",
    "last_note",
    "previous_expiry",
    "previous_amount",
];

/// A service's own columns, in `service_at`'s order: the registry's, then
/// the state.
fn service_columns() -> String {
    Col::of(Home::Service)
        .map(Col::id)
        .chain(STATE)
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

const SERVICE_COLUMNS: usize = count_home(Home::Service);

/// At most this many services' indicators are read ahead for `due`
/// (about 20 MB); beyond, they are joined.
const PREFETCH_CAP: usize = 300_000;

/// How many columns `service_columns()` has.
const OWN_COLUMNS: usize = SERVICE_COLUMNS + STATE.len();

/// Where a service column is in `service_columns()`.
const fn pos(c: Col) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < Col::ALL.len() {
        let x = Col::ALL[i];
        if x as u8 == c as u8 {
            return n;
        }
        if x.home() as u8 == Home::Service as u8 {
            n += 1;
        }
        i += 1;
    }
    panic!("not a service column")
}

const FROM: &str = " FROM services s JOIN customers c ON c.customer_id = s.customer_id";

/// A customer from its columns starting at `at`, in registry order.
pub(crate) fn customer_from(r: &Row, at: usize) -> rusqlite::Result<Customer> {
    let mut c = Customer {
        id: r.get(at)?,
        name: r.get(at + 1)?,
        ..Customer::default()
    };
    for (i, slot) in c.attrs.iter_mut().enumerate() {
        *slot = r.get(at + 2 + i)?;
    }
    Ok(c)
}

/// A stored enum value; an unknown one is an error naming it, not a guess.
pub(crate) fn stored<T>(r: &Row, i: usize, from_id: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let s = r.get_ref(i)?.as_str()?;
    from_id(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            crate::msg::values::unknown_stored_value(s).into(),
        )
    })
}

/// A service from its own columns starting at `at`, with its customer.
fn service_at(
    r: &Row,
    at: usize,
    customer: Rc<Customer>,
    as_of: AsOf,
) -> rusqlite::Result<ServiceView> {
    const ID: usize = pos(Col::ServiceId);
    const TYPE: usize = pos(Col::ServiceType);
    const PRODUCT: usize = pos(Col::Product);
    const START: usize = pos(Col::StartDate);
    const EXPIRY: usize = pos(Col::ExpiryDate);
    const AMOUNT: usize = pos(Col::Amount);
    const ACCOUNTS: usize = pos(Col::Accounts);
    const RUN: usize = pos(Col::RunStatus);
    const RENEWAL_OF: usize = pos(Col::RenewalOf);
    const STATE_AT: usize = SERVICE_COLUMNS;
    let text = |i: usize| -> rusqlite::Result<Option<String>> { r.get(at + i) };
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get_ref(at + i)?.as_str_or_null()?.and_then(from_iso))
    };
    Ok(ServiceView {
        customer,
        service_id: r.get(at + ID)?,
        service_type: stored(r, at + TYPE, ServiceType::from_id)?,
        product: text(PRODUCT)?,
        start_date: date(START)?,
        expiry_date: date(EXPIRY)?.unwrap_or(NaiveDate::MIN),
        amount: r.get::<_, Option<i64>>(at + AMOUNT)?.map(Cents::from),
        accounts: r.get(at + ACCOUNTS)?,
        run_status: super::label(r, at + RUN, RunStatus::parse)?,
        renewal_of: text(RENEWAL_OF)?,
        stored_status: Status::from_db(r.get_ref(at + STATE_AT)?.as_str_or_null()?),
        reason: super::label(r, at + STATE_AT + 1, Reason::parse)?,
        status_changed_at: text(STATE_AT + 2)?,
        last_followup_at: text(STATE_AT + 3)?,
        reason_detail: text(STATE_AT + 4)?,
        last_note: text(STATE_AT + 5)?,
        previous_expiry: date(STATE_AT + 6)?,
        previous_amount: r.get::<_, Option<i64>>(at + STATE_AT + 7)?.map(Cents::from),
        days_left: 0,
        window: Window::Normal,
        status: Status::Unset,
        // Read after, by `Rater::rate`.
        health: crate::health::Health::UNKNOWN,
    }
    .derive(as_of))
}

/// The SQL a service list column sorts by: its column, or for the tier
/// `customer::tier_rank` (the business order, then the text).
fn sort_columns(c: Col) -> Vec<String> {
    match c {
        Col::CustomerId => vec!["s.customer_id".into()],
        Col::DaysLeft | Col::Window => vec!["s.expiry_date".into()],
        Col::Tier => vec![tier_rank_sql("c.tier"), "c.tier".into()],
        c if c.home() == Home::Customer => vec![format!("c.{}", c.id())],
        c => vec![format!("s.{}", c.id())],
    }
}

/// `customer::tier_rank` of a column, as SQL: the place in `TIERS` (ASCII
/// case ignored: they are capitals), then other tiers, then none. One
/// `upper` a row: a `WHEN upper(..)` per tier sorts a million rows 30%
/// slower.
pub(crate) fn tier_rank_sql(col: &str) -> String {
    let whens: String = TIERS
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" WHEN '{t}' THEN {i}"))
        .collect();
    format!(
        "CASE upper(coalesce({col}, '')) WHEN '' THEN {}{whens} ELSE {} END",
        TIERS.len() + 1,
        TIERS.len()
    )
}

/// ORDER BY for services: the keys, then the service id (None: by id).
pub(crate) fn service_order(sort: Option<&ServiceSort>) -> String {
    let mut keys = Vec::new();
    for &(c, desc) in sort.map_or(&[][..], |s| &s.keys) {
        let dir = if desc { " DESC" } else { "" };
        keys.extend(sort_columns(c).into_iter().map(|k| format!("{k}{dir}")));
    }
    keys.push("s.service_id".into());
    keys.join(", ")
}

/// Streams the matching services, in `order` (an SQL ORDER BY, as from
/// `service_order`), to `each`.
///
/// When neither the filters nor the order need the customers' columns,
/// services are read alone and each customer is looked up once per run of
/// its services (they are usually listed customer by customer) instead of
/// joined to every row: an export of a million services does a third of
/// the lookups.
///
/// `--health` is matched here, on each row's band, and the page counted
/// over the rows it keeps; the walk stops once the page is full.
pub(crate) fn for_each_service<E: From<Error>>(
    conn: &Conn,
    f: &Filters,
    due: Option<Due>,
    order: &str,
    page: Page,
    read: &Reading,
    each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    match conn.kind() {
        Kind::Lite => each_service_lite(conn.lite()?, f, due, order, page, read, each),
        Kind::Pg => each_service(conn, f, due, order, page, read, each),
    }
}

/// `for_each_service` on either engine, through `Sql` (PostgreSQL's
/// path: SQLite's keeps its own loop, the hot path of `due` and
/// `export`). The rows stream to `each`: it must not use the connection.
/// With a calibration the rows are read first, then judged (a row dated
/// after the day looks its usage up).
fn each_service<E: From<Error>>(
    conn: &impl Sql,
    f: &Filters,
    due: Option<Due>,
    order: &str,
    page: Page,
    read: &Reading,
    mut each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    let (at, rater) = (read.at, &read.rater);
    let mut w = where_clause_on(conn.kind(), f, due, at);
    // Without a calibration, every band is `unknown`.
    rater.narrow(&mut w, &f.health);
    // Bands judged in Rust are matched here, and the page counted here.
    let by_band = !f.health.is_empty() && !rater.decides();
    let (sql_page, mut skip, mut left) = if by_band {
        (Page::default(), page.offset, page.limit)
    } else {
        (page, 0, None)
    };
    let sql = format!(
        "SELECT {}, {}{}{FROM}{}{} ORDER BY {order}{}",
        customer_columns(),
        service_columns(),
        rater.columns(),
        rater.join(),
        w.sql(),
        page_sql(conn.kind(), sql_page)
    );
    let mut failed: Option<E> = None;
    let mut last: Option<Rc<Customer>> = None;
    let rates = rater.rates();
    let mut read_first: Vec<(ServiceView, Option<super::health::Stored>)> = Vec::new();
    let walked = conn.each(&sql, &w.args(), &mut |r| {
        let customer = match &last {
            Some(c) if r.value(0)? == super::sql::Value::Text(c.id.as_str().into()) => Rc::clone(c),
            _ => Rc::new(customer_of_row(r, 0)?),
        };
        last = Some(Rc::clone(&customer));
        let s = service_of_row(r, CUSTOMER_COLUMNS, customer, at)?;
        if rates {
            let stored = super::health::stored_of(r, CUSTOMER_COLUMNS + OWN_COLUMNS)?;
            read_first.push((s, stored));
            return Ok(());
        }
        each(s).map_err(|e| {
            failed = Some(e);
            Error::Invalid(String::new())
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    walked.map_err(E::from)?;
    if left == Some(0) {
        return Ok(());
    }
    for (mut s, stored) in read_first {
        let id = s.service_id.clone();
        let h = rater.health(conn, stored, || Ok(id))?;
        if by_band && !f.health.contains(&h.band) {
            continue;
        }
        if skip > 0 {
            skip -= 1;
            continue;
        }
        s.health = h;
        each(s)?;
        if let Some(n) = &mut left {
            *n -= 1;
            if *n == 0 {
                break;
            }
        }
    }
    Ok(())
}

/// `customer_from` on a row of either engine.
pub(crate) fn customer_of_row(r: &super::sql::Row, at: usize) -> Result<Customer> {
    let mut c = Customer {
        id: r.get(at)?,
        name: r.get(at + 1)?,
        ..Customer::default()
    };
    for (i, slot) in c.attrs.iter_mut().enumerate() {
        *slot = r.get(at + 2 + i)?;
    }
    Ok(c)
}

/// `stored` on a row of either engine.
fn stored_of_row<T>(r: &super::sql::Row, i: usize, from_id: fn(&str) -> Option<T>) -> Result<T> {
    let s: String = r.get(i)?;
    from_id(&s).ok_or_else(|| Error::Invalid(crate::msg::values::unknown_stored_value(&s)))
}

/// `service_at` on a row of either engine.
fn service_of_row(
    r: &super::sql::Row,
    at: usize,
    customer: Rc<Customer>,
    as_of: AsOf,
) -> Result<ServiceView> {
    const ID: usize = pos(Col::ServiceId);
    const TYPE: usize = pos(Col::ServiceType);
    const PRODUCT: usize = pos(Col::Product);
    const START: usize = pos(Col::StartDate);
    const EXPIRY: usize = pos(Col::ExpiryDate);
    const AMOUNT: usize = pos(Col::Amount);
    const ACCOUNTS: usize = pos(Col::Accounts);
    const RUN: usize = pos(Col::RunStatus);
    const RENEWAL_OF: usize = pos(Col::RenewalOf);
    const STATE_AT: usize = SERVICE_COLUMNS;
    let text = |i: usize| -> Result<Option<String>> { r.get(at + i) };
    let date = |i: usize| -> Result<Option<NaiveDate>> {
        Ok(r.get::<Option<String>>(at + i)?
            .as_deref()
            .and_then(from_iso))
    };
    let label = |i: usize| -> Result<Option<String>> { r.get(at + i) };
    Ok(ServiceView {
        customer,
        service_id: r.get(at + ID)?,
        service_type: stored_of_row(r, at + TYPE, ServiceType::from_id)?,
        product: text(PRODUCT)?,
        start_date: date(START)?,
        expiry_date: date(EXPIRY)?.unwrap_or(NaiveDate::MIN),
        amount: r.get::<Option<i64>>(at + AMOUNT)?.map(Cents::from),
        accounts: r.get(at + ACCOUNTS)?,
        run_status: label(RUN)?.and_then(|s| RunStatus::parse(&s).ok()),
        renewal_of: text(RENEWAL_OF)?,
        stored_status: Status::from_db(label(STATE_AT)?.as_deref()),
        reason: label(STATE_AT + 1)?.and_then(|s| Reason::parse(&s).ok()),
        status_changed_at: text(STATE_AT + 2)?,
        last_followup_at: text(STATE_AT + 3)?,
        reason_detail: text(STATE_AT + 4)?,
        last_note: text(STATE_AT + 5)?,
        previous_expiry: date(STATE_AT + 6)?,
        previous_amount: r.get::<Option<i64>>(at + STATE_AT + 7)?.map(Cents::from),
        days_left: 0,
        window: Window::Normal,
        status: Status::Unset,
        health: crate::health::Health::UNKNOWN,
    }
    .derive(as_of))
}

/// `for_each_service` on SQLite, as it always read: the hot path of
/// `due` and `export`, which the benchmark holds to the sqlite3 shell.
fn each_service_lite<E: From<Error>>(
    conn: &Connection,
    f: &Filters,
    due: Option<Due>,
    order: &str,
    page: Page,
    read: &Reading,
    mut each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    let sqlite = |e: rusqlite::Error| E::from(Error::from(e));
    let (customer_filters, _) = f.split();
    let (at, rater) = (read.at, &read.rater);
    let mut w = where_clause(f, due, at);
    // Bands judged in Rust are matched here, and the page counted here.
    let by_band = !f.health.is_empty() && !rater.decides();
    let (sql_page, mut skip, mut left) = if by_band {
        (Page::default(), page.offset, page.limit)
    } else {
        (page, 0, None)
    };
    // A whole book in id order walks the indicators beside the services
    // (`Walk`) instead of joining them.
    let walk = rater.rates() && f.is_empty() && due.is_none() && order == "s.service_id";
    let mut walk_stmt = if walk {
        Some(conn.prepare(&Walk::sql("")).map_err(sqlite)?)
    } else {
        None
    };
    let mut walk = walk_stmt
        .as_mut()
        .map(|stmt| Walk::new(stmt, []))
        .transpose()?;
    // `due` reads its rows in expiry order: the indicators of its span
    // are read first, in id order (unless the span holds too many, or
    // SQL selects the band: it needs them joined).
    let sql_selects_band = rater.decides() && !f.health.is_empty();
    let prefetched = match due {
        Some(d) if walk.is_none() && rater.rates() && !sql_selects_band => {
            let grace = chrono::Duration::days(i64::from(at.grace_days));
            // An open service is at most `grace_days` past its expiry.
            let from = if d.overdue {
                at.today.checked_sub_signed(grace)
            } else {
                Some(at.today)
            };
            let to = at
                .today
                .checked_add_days(Days::new(u64::from(d.within)))
                .unwrap_or(NaiveDate::MAX);
            Prefetched::load(conn, from, to, PREFETCH_CAP)?
        }
        _ => None,
    };
    let (columns, join) = if walk.is_some() || prefetched.is_some() {
        (String::new(), "")
    } else {
        // `--health` narrows through the joined `i.day`; read ahead or
        // walked, the bands in Rust alone decide.
        rater.narrow(&mut w, &f.health);
        (rater.columns(), rater.join())
    };
    // The health of the row whose own columns start at `base` (its
    // health columns follow them), if the row is shown.
    let mut shown = |r: &Row, base: usize| -> Result<Option<crate::health::Health>> {
        let id = base + pos(Col::ServiceId);
        let h = match (&mut walk, &prefetched) {
            (Some(walk), _) => {
                let ind = walk.get(r.get_ref(id)?.as_bytes()?)?;
                rater.health(conn, ind, || r.get(id))?
            }
            (None, Some(p)) => {
                let expiry = r.get_ref(base + pos(Col::ExpiryDate))?.as_str()?;
                let ind = p.get(conn, r.get_ref(id)?.as_str()?, expiry)?;
                rater.health(conn, ind, || r.get(id))?
            }
            (None, None) => rater.rate(conn, r, base + OWN_COLUMNS, id)?,
        };
        if by_band && !f.health.contains(&h.band) {
            return Ok(None);
        }
        if skip > 0 {
            skip -= 1;
            return Ok(None);
        }
        Ok(Some(h))
    };
    let full = |left: &mut Option<u64>| -> bool {
        if let Some(n) = left {
            *n -= 1;
            return *n == 0;
        }
        false
    };
    if left == Some(0) {
        return Ok(());
    }
    // Customer columns are `c.`-qualified, in sort keys as in filters.
    let order_needs_customers = order.contains("c.");
    if !customer_filters.is_empty() || order_needs_customers {
        let sql = format!(
            "SELECT {}, {}{}{FROM}{}{} ORDER BY {order}{}",
            customer_columns(),
            service_columns(),
            columns,
            join,
            w.sql(),
            page_sql(Kind::Lite, sql_page)
        );
        let mut stmt = conn.prepare(&sql).map_err(sqlite)?;
        let mut rows = stmt.query(w.params()).map_err(sqlite)?;
        while let Some(r) = rows.next().map_err(sqlite)? {
            let Some(health) = shown(r, CUSTOMER_COLUMNS)? else {
                continue;
            };
            let c = Rc::new(customer_from(r, 0).map_err(sqlite)?);
            let mut s = service_at(r, CUSTOMER_COLUMNS, c, at).map_err(sqlite)?;
            s.health = health;
            each(s)?;
            if full(&mut left) {
                break;
            }
        }
        return Ok(());
    }
    let sql = format!(
        "SELECT s.customer_id, {}{} FROM services s{}{} ORDER BY {order}{}",
        service_columns(),
        columns,
        join,
        w.sql(),
        page_sql(Kind::Lite, sql_page)
    );
    let mut stmt = conn.prepare(&sql).map_err(sqlite)?;
    let mut rows = stmt.query(w.params()).map_err(sqlite)?;
    let mut lookup = conn
        .prepare_cached(&format!(
            "SELECT {} FROM customers c WHERE c.customer_id = ?1",
            customer_columns()
        ))
        .map_err(sqlite)?;
    let mut last = Rc::new(Customer::default());
    while let Some(r) = rows.next().map_err(sqlite)? {
        let Some(health) = shown(r, 1)? else {
            continue;
        };
        let id = r
            .get_ref(0)
            .map_err(sqlite)?
            .as_str()
            .map_err(|e| sqlite(e.into()))?;
        if id != last.id {
            last = Rc::new(
                lookup
                    .query_row([id], |c| customer_from(c, 0))
                    .map_err(sqlite)?,
            );
        }
        let mut s = service_at(r, 1, Rc::clone(&last), at).map_err(sqlite)?;
        s.health = health;
        each(s)?;
        if full(&mut left) {
            break;
        }
    }
    Ok(())
}

/// How many services match, `--health` included (each matching row's band
/// computed, without building the row, unless SQL selects the bands).
pub(crate) fn count_services(conn: &Conn, f: &Filters, read: &Reading) -> Result<u64> {
    let rater = &read.rater;
    let kind = conn.kind();
    if f.health.is_empty() || rater.decides() {
        let only_known = !f.health.is_empty() && !f.health.contains(&Band::Unknown);
        if only_known && rater.rates() && f.without_health().is_empty() {
            // Known bands of the whole book: their stored rows, in the
            // band index alone (every stored row is a service's; none is
            // ever removed).
            let mut w = Where::on(kind);
            rater.narrow_indexed(&mut w, &f.health);
            let sql = format!("SELECT count(*) FROM indicators i{}", w.sql());
            return conn.one(&sql, &w.args());
        }
    }
    let mut w = where_clause_on(kind, f, None, read.at);
    rater.narrow(&mut w, &f.health);
    if f.health.is_empty() || rater.decides() {
        let join = if f.health.is_empty() {
            ""
        } else {
            rater.join()
        };
        let sql = format!("SELECT count(*){FROM}{join}{}", w.sql());
        return conn.one(&sql, &w.args());
    }
    // The matching services with what their bands are judged from.
    let (customer_filters, _) = f.split();
    let from = if customer_filters.is_empty() {
        " FROM services s"
    } else {
        FROM
    };
    let sql = format!(
        "SELECT s.service_id{}{from}{}{}",
        rater.columns(),
        rater.join(),
        w.sql()
    );
    if kind == Kind::Pg {
        // Bands judged in Rust: the rows read first, then judged.
        let rows = conn.rows(&sql, &w.args(), |r| {
            Ok((r.get::<String>(0)?, super::health::stored_of(r, 1)?))
        })?;
        let mut n = 0;
        for (id, stored) in rows {
            if f.health
                .contains(&rater.health(conn, stored, || Ok(id))?.band)
            {
                n += 1;
            }
        }
        return Ok(n);
    }
    let conn = conn.lite()?;
    if f.without_health().is_empty() {
        // Every service: in id order, the indicators walked beside them
        // (a plan of its own would read the expiry index and look the
        // indicators up in its random order).
        let mut stmt = conn.prepare("SELECT s.service_id FROM services s ORDER BY s.service_id")?;
        let mut rows = stmt.query([])?;
        let mut walk_stmt = conn.prepare(&Walk::sql(""))?;
        let mut walk = Walk::new(&mut walk_stmt, [])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let ind = walk.get(r.get_ref(0)?.as_bytes()?)?;
            if f.health
                .contains(&rater.health(conn, ind, || r.get(0))?.band)
            {
                n += 1;
            }
        }
        return Ok(n);
    }
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(w.params())?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        if f.health.contains(&rater.rate(conn, r, 1, 0)?.band) {
            n += 1;
        }
    }
    Ok(n)
}

fn compare(a: &CustomerSummary, b: &CustomerSummary, key: CustomerKey) -> std::cmp::Ordering {
    match key {
        CustomerKey::Attr(Col::Tier) => {
            tier_rank(a.customer.get(Col::Tier)).cmp(&tier_rank(b.customer.get(Col::Tier)))
        }
        CustomerKey::Attr(c) => a.customer.get(c).cmp(&b.customer.get(c)),
        CustomerKey::Services => a.services.cmp(&b.services),
        CustomerKey::Amount => a.amount.cmp(&b.amount),
        CustomerKey::NearestExpiry => a.nearest_expiry.cmp(&b.nearest_expiry),
        CustomerKey::WorstWindow => a.worst_window.cmp(&b.worst_window),
        CustomerKey::Open => a.open.cmp(&b.open),
        CustomerKey::Urgency => a.urgency_key().cmp(&b.urgency_key()),
    }
}

/// Customers with at least one matching service, with aggregates over
/// those services, and how many there are in all. With `--health`, the
/// customers whose band (the worst known over their services matching the
/// other filters, as `stats` counts them) is wanted, with aggregates over
/// those same services.
pub(crate) fn list_customers(
    conn: &Conn,
    f: &Filters,
    sort: Option<&CustomerSort>,
    page: Page,
    read: &Reading,
) -> Result<(Vec<CustomerSummary>, u64)> {
    if !f.health.is_empty() {
        let mut all = summaries(conn, &f.without_health(), None, read)?;
        all.retain(|c| f.health.contains(&c.health));
        return Ok(sorted_page(all, sort, page));
    }
    match sort {
        None => urgent_customers(conn, f, page, read),
        Some(s) if s.is_urgency() => urgent_customers(conn, f, page, read),
        Some(_) => Ok(sorted_page(summaries(conn, f, None, read)?, sort, page)),
    }
}

/// The page of `all` in `sort`'s order (None: most urgent first), and
/// how many there are.
fn sorted_page(
    mut all: Vec<CustomerSummary>,
    sort: Option<&CustomerSort>,
    page: Page,
) -> (Vec<CustomerSummary>, u64) {
    let keys = sort.map_or(&[(CustomerKey::Urgency, false)][..], |s| &s.keys);
    all.sort_by(|a, b| {
        keys.iter()
            .map(|&(k, desc)| {
                let o = compare(a, b, k);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.customer.id.cmp(&b.customer.id))
    });
    let total = all.len() as u64;
    let page: Vec<_> = all
        .into_iter()
        .skip(page.offset as usize)
        .take(page.limit.map_or(usize::MAX, |l| l as usize))
        .collect();
    (page, total)
}

/// Aggregates per customer over matching services, optionally only for
/// the given customers; ordered by customer id.
fn summaries(
    conn: &Conn,
    f: &Filters,
    only: Option<&[String]>,
    read: &Reading,
) -> Result<Vec<CustomerSummary>> {
    let mut f = f.clone();
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Found through `f`, so already within its customer filter.
        f.customer = ids.to_vec();
    }
    let mut out: Vec<CustomerSummary> = Vec::new();
    for_each_service(
        conn,
        &f,
        None,
        "s.customer_id, s.service_id",
        Page::default(),
        read,
        |s| {
            match out.last_mut() {
                Some(c) if c.customer.id == s.customer.id => c.add(&s),
                _ => {
                    let mut c = CustomerSummary::new((*s.customer).clone());
                    c.add(&s);
                    out.push(c);
                }
            }
            Ok::<(), Error>(())
        },
    )?;
    Ok(out)
}

/// The default order without reading every service: walk the expiry
/// index over open services, then over the rest, collecting customers in
/// the order they first appear, until the page is full.
fn urgent_customers(
    conn: &Conn,
    f: &Filters,
    page: Page,
    read: &Reading,
) -> Result<(Vec<CustomerSummary>, u64)> {
    debug_assert!(f.health.is_empty(), "the walk reads no band");
    let at = read.at;
    let Some(limit) = page.limit else {
        // Everyone from the offset on: read them all, not name them.
        let mut all = summaries(conn, f, None, read)?;
        all.sort_by(|a, b| a.urgency_key().cmp(&b.urgency_key()));
        let total = all.len() as u64;
        all.drain(..all.len().min(page.offset as usize));
        return Ok((all, total));
    };
    let want = (limit + page.offset) as usize;
    let mut order: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for open_only in [true, false] {
        if order.len() >= want {
            break;
        }
        let mut w = where_clause_on(conn.kind(), f, None, at);
        if open_only {
            let open = open_sql(&mut w, at, true);
            w.push(open);
        }
        let sql = format!(
            "SELECT s.customer_id{FROM}{} ORDER BY s.expiry_date, s.customer_id",
            w.sql()
        );
        each_until(conn, &sql, &w.args(), |r| {
            let id: String = r.get(0)?;
            if seen.insert(id.clone()) {
                order.push(id);
            }
            Ok(order.len() < want)
        })?;
    }
    // A walk that stopped short of `want` met every matching customer.
    let met = order.len() as u64;
    let ids: Vec<String> = order.into_iter().skip(page.offset as usize).collect();
    let mut found = summaries(conn, f, Some(&ids), read)?;
    found.sort_by(|a, b| a.urgency_key().cmp(&b.urgency_key()));
    let total = if met < want as u64 {
        met
    } else if f.is_empty() {
        // Every customer has a service: import creates them together.
        conn.one("SELECT count(*) FROM customers", args![])?
    } else {
        let w = where_clause_on(conn.kind(), f, None, at);
        let sql = format!("SELECT count(DISTINCT s.customer_id){FROM}{}", w.sql());
        conn.one(&sql, &w.args())?
    };
    Ok((found, total))
}

/// A customer by its exact id, else as `customer::Lookup` says: an exact
/// name or id (spaces, case and full-width forms ignored), else a unique
/// part of a name. Only the customers holding the query's Chinese
/// characters are read (`customer::literal_chars`); every one when it has
/// none, and when nothing matches, for the names to suggest.
pub(crate) fn find_customer(conn: &impl Sql, query: &str) -> Result<Customer> {
    let by_id_sql = format!(
        "SELECT {} FROM customers c WHERE customer_id = ?1",
        customer_columns()
    );
    let by_id = |id: &str| conn.row_opt(&by_id_sql, args![id], |r| customer_of_row(r, 0));
    if let Some(c) = by_id(query)? {
        return Ok(c);
    }
    let mut lookup = Lookup::new(query);
    let mut w = Where::on(conn.kind());
    for ch in literal_chars(query) {
        let p = w.param(ch.to_string());
        w.push(format!(
            "({instr}(c.customer_name, {p}) > 0 OR {instr}(c.customer_id, {p}) > 0)",
            instr = match conn.kind() {
                Kind::Lite => "instr",
                Kind::Pg => "strpos",
            }
        ));
    }
    if !lookup.is_empty() {
        each_name(conn, &w, |id, name| lookup.offer(id, name))?;
    }
    let list = |found: &[(String, String)]| -> String {
        found
            .iter()
            .map(|(id, name)| format!("\n  {id}  {name}"))
            .collect()
    };
    match lookup.named() {
        Named::One(id) => {
            let id = id.to_string();
            by_id(&id)?.ok_or_else(|| {
                Error::NotFound(crate::msg::values::no_customer(query, String::new()))
            })
        }
        Named::Several(shown, n) => {
            let more = n - shown.len() as u64;
            let more = if more > 0 {
                crate::msg::values::and_more(more)
            } else {
                String::new()
            };
            Err(Error::Refused(crate::msg::values::ambiguous_customer(
                query,
                n,
                list(&shown),
                more,
            )))
        }
        Named::None => {
            let mut close = Suggestions::new(query);
            each_name(conn, &Where::on(conn.kind()), |id, name| {
                close.offer(id, name)
            })?;
            let close = close.into_names();
            let did_you_mean = if close.is_empty() {
                String::new()
            } else {
                crate::msg::values::did_you_mean_customers(list(&close))
            };
            Err(Error::NotFound(crate::msg::values::no_customer(
                query,
                did_you_mean,
            )))
        }
    }
}

/// Every customer's id and name that `w` selects, to `each`.
fn each_name(conn: &impl Sql, w: &Where, mut each: impl FnMut(&str, &str)) -> Result<()> {
    let sql = format!(
        "SELECT c.customer_id, c.customer_name FROM customers c{}",
        w.sql()
    );
    conn.each(&sql, &w.args(), &mut |r| {
        match (r.value(0)?, r.value(1)?) {
            (super::sql::Value::Text(id), super::sql::Value::Text(name)) => each(&id, &name),
            _ => {
                let (id, name): (String, String) = (r.get(0)?, r.get(1)?);
                each(&id, &name)
            }
        }
        Ok(())
    })
}

/// `Sql::each` until `f` returns false.
fn each_until(
    conn: &impl Sql,
    sql: &str,
    args: &[&dyn Arg],
    mut f: impl FnMut(&super::sql::Row) -> Result<bool>,
) -> Result<()> {
    let mut stopped = false;
    let out = conn.each(sql, args, &mut |r| {
        if f(r)? {
            Ok(())
        } else {
            stopped = true;
            Err(Error::Invalid(String::new()))
        }
    });
    match out {
        Err(_) if stopped => Ok(()),
        out => out,
    }
}

/// The values of customer attribute `col` that `wanted` names
/// (`filter::same_value`), as stored: one lookup that stops at the first
/// customer for a value without letters; for one with letters, one range
/// (`filter::spellings_range`), through the index for `csm` and a scan of
/// the customers for the others.
pub(crate) fn attr_spellings(
    conn: &impl super::sql::Sql,
    col: Col,
    wanted: &str,
) -> Result<Vec<String>> {
    use super::sql::{args, Kind};
    debug_assert_eq!(col.home(), Home::Customer);
    let c = col.id();
    let (lo, hi) = spellings_range(wanted);
    if lo == hi {
        let found = conn
            .row_opt(
                &format!("SELECT 1 FROM customers WHERE {c} = ?1 LIMIT 1"),
                args![wanted],
                |_| Ok(()),
            )?
            .is_some();
        return Ok(if found {
            vec![wanted.to_string()]
        } else {
            vec![]
        });
    }
    // The range is one of bytes: PostgreSQL's collation may order otherwise.
    let collate = match conn.kind() {
        Kind::Lite => "",
        Kind::Pg => " COLLATE \"C\"",
    };
    let found: Vec<String> = conn.rows(
        &format!("SELECT DISTINCT {c} FROM customers WHERE {c}{collate} BETWEEN ?1 AND ?2"),
        args![lo, hi],
        |r| r.get(0),
    )?;
    Ok(found
        .into_iter()
        .filter(|v| same_value(wanted, v))
        .collect())
}

/// Every value some customer has in attribute `col`, in byte order.
pub(crate) fn attr_values(conn: &impl super::sql::Sql, col: Col) -> Result<Vec<String>> {
    let c = col.id();
    let mut values: Vec<String> = conn.rows(
        &format!("SELECT DISTINCT {c} FROM customers WHERE {c} <> ''"),
        super::sql::args![],
        |r| r.get(0),
    )?;
    values.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    Ok(values)
}

/// All services of one customer, by type then expiry.
pub(crate) fn services_of(
    conn: &Conn,
    customer_id: &str,
    read: &Reading,
) -> Result<Vec<ServiceView>> {
    let f = Filters {
        customer: vec![customer_id.to_string()],
        ..Default::default()
    };
    let mut out = Vec::new();
    for_each_service(
        conn,
        &f,
        None,
        "s.service_type DESC, s.expiry_date, s.service_id",
        Page::default(),
        read,
        |s| {
            out.push(s);
            Ok::<(), Error>(())
        },
    )?;
    Ok(out)
}

fn page_sql(kind: Kind, p: Page) -> String {
    match (p.limit, p.offset) {
        (None, 0) => String::new(),
        (None, o) if kind == Kind::Pg => format!(" OFFSET {o}"),
        (None, o) => format!(" LIMIT -1 OFFSET {o}"),
        (Some(l), o) => format!(" LIMIT {l} OFFSET {o}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, Open};

    const TODAY: &str = "2026-11-23";

    /// One service per stored status and boundary day (days_left −31 and
    /// −30 around the default 30 grace days, −1, 0, 30, 31, 90, 91), in a
    /// real database.
    fn every_status_at_every_boundary() -> (tempfile::TempDir, Db, Vec<(String, Status, i64)>) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let today: NaiveDate = TODAY.parse().unwrap();
        let mut made = Vec::new();
        db.change(|tx| {
            // SQLite's own `execute`, not `Sql`'s.
            let tx: &rusqlite::Connection = tx.lite()?;
            tx.execute(
                "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n')",
                [],
            )?;
            for (i, &st) in Status::ALL.iter().enumerate() {
                for days in [-31i64, -30, -1, 0, 30, 31, 90, 91] {
                    let id = format!("S{i}_{days}");
                    let expiry = iso(today + chrono::Duration::days(days));
                    tx.execute(
                        "INSERT INTO services(service_id, customer_id, service_type, expiry_date, status)
                         VALUES (?1, 'C1', 'basic', ?2, ?3)",
                        rusqlite::params![id, expiry, st.to_db()],
                    )?;
                    made.push((id, st, days));
                }
            }
            Ok(())
        })
        .unwrap();
        (dir, db, made)
    }

    fn selected(db: &Db, f: &Filters, due: Option<Due>) -> Vec<String> {
        let mut ids = Vec::new();
        for_each_service(
            db.sql(),
            f,
            due,
            "s.service_id",
            Page::default(),
            &Reading::load(db.sql(), TODAY.parse().unwrap()).unwrap(),
            |s| {
                ids.push(s.service_id);
                Ok::<(), Error>(())
            },
        )
        .unwrap();
        ids.sort();
        ids
    }

    #[test]
    fn the_status_filter_is_rule_one_on_every_status_and_boundary() {
        let (_dir, db, made) = every_status_at_every_boundary();
        for &wanted in Status::ALL {
            let f = Filters {
                status: vec![wanted],
                ..Filters::default()
            };
            let mut expected: Vec<String> = made
                .iter()
                .filter(|(_, st, days)| Status::effective_on(*st, *days, 30) == wanted)
                .map(|(id, _, _)| id.clone())
                .collect();
            expected.sort();
            assert_eq!(selected(&db, &f, None), expected, "--status {wanted}");
        }
    }

    #[test]
    fn due_is_rule_nine_on_every_status_and_boundary() {
        let (_dir, db, made) = every_status_at_every_boundary();
        let due = Due {
            within: 90,
            overdue: true,
            untouched: false,
        };
        let mut expected: Vec<String> = made
            .iter()
            .filter(|(_, st, days)| *days <= 90 && Status::effective_on(*st, *days, 30).is_open())
            .map(|(id, _, _)| id.clone())
            .collect();
        expected.sort();
        assert!(!expected.is_empty());
        assert_eq!(selected(&db, &Filters::default(), Some(due)), expected);
    }

    #[test]
    fn any_number_of_values_fit_one_query() {
        let (_dir, db, made) = every_status_at_every_boundary();
        let mut customers: Vec<String> = (0..5000).map(|i| format!("X{i}")).collect();
        customers.push("C1".into());
        let f = Filters {
            customer: customers,
            search: (0..3000)
                .map(|i| format!("no such name {i}"))
                .chain(["n".into()])
                .collect(),
            ..Filters::default()
        };
        assert_eq!(selected(&db, &f, None).len(), made.len());
        assert_eq!(balanced_or(&["a".into()]), "(a)");
        assert_eq!(
            balanced_or(&["a".into(), "b".into(), "c".into()]),
            "((a) OR ((b) OR (c)))"
        );
    }

    #[test]
    fn the_tier_sorts_in_sql_as_tier_rank_says() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let tiers = [
            None,
            Some("C"),
            Some("战略"),
            Some("ka"),
            Some("B"),
            Some(""),
            Some("D"),
            Some("KA"),
            Some("A"),
            Some("a"),
        ];
        for (i, t) in tiers.iter().enumerate() {
            db.conn()
                .unwrap()
                .execute(
                    "INSERT INTO customers(customer_id, customer_name, tier) VALUES (?1, 'n', ?2)",
                    rusqlite::params![format!("C{i}"), t],
                )
                .unwrap();
        }
        let sql = format!(
            "SELECT tier FROM customers c ORDER BY {}, c.tier, c.customer_id",
            tier_rank_sql("c.tier")
        );
        let mut stmt = db.conn().unwrap().prepare(&sql).unwrap();
        let by_sql: Vec<Option<String>> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut by_rule: Vec<(usize, Option<&str>)> = tiers.iter().copied().enumerate().collect();
        by_rule.sort_by_key(|&(i, t)| (tier_rank(t), t.is_some(), i));
        let by_rule: Vec<Option<String>> =
            by_rule.iter().map(|(_, t)| t.map(String::from)).collect();
        assert_eq!(by_sql, by_rule);
    }

    #[test]
    fn sort_keys_become_columns_of_either_table() {
        let sort = ServiceSort::services("-csm,days_left,type").unwrap();
        assert_eq!(
            service_order(Some(&sort)),
            "c.csm DESC, s.expiry_date, s.service_type, s.service_id"
        );
        assert_eq!(service_order(None), "s.service_id");
        let tier = service_order(Some(&ServiceSort::services("-tier").unwrap()));
        assert!(
            tier.starts_with("CASE upper(coalesce(c.tier, ''))"),
            "{tier}"
        );
        assert!(
            tier.ends_with("END DESC, c.tier DESC, s.service_id"),
            "{tier}"
        );
    }
}
