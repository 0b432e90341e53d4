//! Read queries: filters as SQL with bound parameters, services streamed
//! row by row, customers with aggregates.

use std::rc::Rc;

use chrono::{Days, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, Row};

use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::model::{RunStatus, ServiceType};
use crate::money::Cents;
use crate::status::{Reason, Status};
use crate::view::{Customer, CustomerSummary, ServiceView};
use crate::window::Window;

/// A WHERE clause and its parameters, over `services s JOIN customers c`.
#[derive(Debug, Default)]
pub struct Where {
    parts: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    pub fn push(&mut self, sql: String) {
        self.parts.push(sql);
    }

    /// Binds a value; returns its placeholder.
    pub fn param(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    /// `(sql(?1) OR sql(?2) ...)` over the values; nothing when empty.
    pub fn any_of(&mut self, values: &[String], sql: impl Fn(&str) -> String) {
        if values.is_empty() {
            return;
        }
        let ors: Vec<String> = values.iter().map(|v| sql(&self.param(v.clone()))).collect();
        self.push(format!("({})", ors.join(" OR ")));
    }

    /// The conditions as one boolean expression (`1` when there are none).
    pub fn expr(&self) -> String {
        if self.parts.is_empty() {
            "1".into()
        } else {
            self.parts.join(" AND ")
        }
    }

    pub fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }

    pub fn params(&self) -> rusqlite::ParamsFromIter<std::slice::Iter<'_, Value>> {
        rusqlite::params_from_iter(self.params.iter())
    }
}

const OPEN_IDS: &str = "'pending','identifying_risk','at_risk','no_risk','renewing'";

fn day(d: NaiveDate, n: u64) -> String {
    iso(d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX))
}

/// Rule 9 in SQL: the effective status is open.
fn open_sql(w: &mut Where, today: NaiveDate) -> String {
    let t90 = w.param(day(today, 90));
    format!("(s.status IN ({OPEN_IDS}) OR (s.status IS NULL AND s.expiry_date <= {t90}))")
}

/// The effective status (rule 1) in SQL.
fn status_sql(w: &mut Where, st: Status, today: NaiveDate) -> String {
    match st {
        Status::Pending => {
            let t90 = w.param(day(today, 90));
            format!("(s.status = 'pending' OR (s.status IS NULL AND s.expiry_date <= {t90}))")
        }
        Status::None => {
            let t90 = w.param(day(today, 90));
            format!("(s.status IS NULL AND s.expiry_date > {t90})")
        }
        other => format!("s.status = {}", w.param(other.id().to_string())),
    }
}

/// What `due` adds to the filters.
#[derive(Clone, Copy, Debug, Default)]
pub struct Due {
    pub within: u32,
    pub overdue: bool,
    /// Only services with no follow-up record since entering the window.
    pub untouched: bool,
}

/// Builds the WHERE clause of the filters (and `due`, if given).
pub fn where_clause(f: &Filters, due: Option<Due>, today: NaiveDate) -> Where {
    let mut w = Where::default();
    w.any_of(&f.customer, |p| format!("s.customer_id = {p}"));
    w.any_of(&f.search, |p| {
        format!("(instr(lower(c.customer_name), lower({p})) > 0 OR instr(lower(c.customer_id), lower({p})) > 0)")
    });
    w.any_of(&f.csm, |p| format!("c.csm = {p}"));
    w.any_of(&f.tier, |p| format!("c.tier = {p}"));
    w.any_of(&f.industry, |p| format!("c.industry = {p}"));
    w.any_of(&f.region, |p| format!("c.region = {p}"));
    w.any_of(&f.department, |p| format!("c.department = {p}"));
    w.any_of(&f.distributor, |p| format!("c.distributor_type = {p}"));
    let ids = |v: &[&'static str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    w.any_of(
        &ids(&f.service_type.iter().map(|t| t.id()).collect::<Vec<_>>()),
        |p| format!("s.service_type = {p}"),
    );
    w.any_of(
        &ids(&f.run_status.iter().map(|t| t.id()).collect::<Vec<_>>()),
        |p| format!("s.run_status = {p}"),
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
        let ors: Vec<String> = f
            .status
            .iter()
            .map(|&s| status_sql(&mut w, s, today))
            .collect();
        w.push(format!("({})", ors.join(" OR ")));
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
        let open = open_sql(&mut w, today);
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
            w.push(format!(
                "(s.last_followup_at IS NULL OR substr(s.last_followup_at, 1, 10) < \
                 CASE WHEN s.expiry_date <= {t30} THEN date(s.expiry_date, '-30 days') ELSE date(s.expiry_date, '-90 days') END)"
            ));
        }
    }
    w
}

const CUSTOMER_COLUMNS: &str =
    "c.customer_id, c.customer_name, c.industry, c.region, c.size, c.tier, \
    c.department, c.distributor_type, c.csm, c.sales, c.sales_contact";

/// A service's own columns, in `service_at`'s order.
const SERVICE_OWN_COLUMNS: &str =
    "s.service_id, s.service_type, s.product, s.start_date, s.expiry_date, s.amount, s.accounts, \
    s.run_status, s.renewal_of, s.status, s.reason, s.status_changed_at, s.last_followup_at";

const FROM: &str = " FROM services s JOIN customers c ON c.customer_id = s.customer_id";

fn customer_from(r: &Row, at: usize) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(at)?,
        name: r.get(at + 1)?,
        industry: r.get(at + 2)?,
        region: r.get(at + 3)?,
        size: r.get(at + 4)?,
        tier: r.get(at + 5)?,
        department: r.get(at + 6)?,
        distributor_type: r.get(at + 7)?,
        csm: r.get(at + 8)?,
        sales: r.get(at + 9)?,
        sales_contact: r.get(at + 10)?,
    })
}

/// A service from its own columns starting at `at`, with its customer.
fn service_at(
    r: &Row,
    at: usize,
    customer: Rc<Customer>,
    today: NaiveDate,
) -> rusqlite::Result<ServiceView> {
    let text = |i: usize| -> rusqlite::Result<Option<String>> { r.get(at + i) };
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get_ref(at + i)?.as_str_or_null()?.and_then(from_iso))
    };
    Ok(ServiceView {
        customer,
        service_id: r.get(at)?,
        service_type: ServiceType::parse(r.get_ref(at + 1)?.as_str()?)
            .unwrap_or(ServiceType::Basic),
        product: text(2)?,
        start_date: date(3)?,
        expiry_date: date(4)?.unwrap_or(NaiveDate::MIN),
        amount: r.get::<_, Option<i64>>(at + 5)?.map(Cents),
        accounts: r.get(at + 6)?,
        run_status: super::label(r, at + 7, RunStatus::parse)?,
        renewal_of: text(8)?,
        stored_status: Status::from_db(r.get_ref(at + 9)?.as_str_or_null()?),
        reason: super::label(r, at + 10, Reason::parse)?,
        status_changed_at: text(11)?,
        last_followup_at: text(12)?,
        days_left: 0,
        window: Window::Normal,
        status: Status::None,
    }
    .derive(today))
}

/// A sort key for service rows: a whitelisted column, `-` for descending.
pub fn service_order(sort: Option<&str>) -> Result<String> {
    let Some(sort) = sort else {
        return Ok("s.service_id".into());
    };
    let mut keys = Vec::new();
    for key in sort.split(',') {
        let (desc, name) = match key.trim().strip_prefix('-') {
            Some(n) => (" DESC", n),
            None => ("", key.trim()),
        };
        let col = match name {
            "service_id" => "s.service_id",
            "customer_id" => "s.customer_id",
            "customer_name" | "name" => "c.customer_name",
            "expiry_date" | "expiry" | "days_left" | "window" => "s.expiry_date",
            "start_date" => "s.start_date",
            "amount" => "s.amount",
            "accounts" => "s.accounts",
            "service_type" | "type" => "s.service_type",
            "product" => "s.product",
            "status" => "s.status",
            "run_status" => "s.run_status",
            "csm" => "c.csm",
            "tier" => "c.tier",
            "region" => "c.region",
            "industry" => "c.industry",
            _ => {
                return Err(Error::Invalid(format!(
                    "cannot sort by `{name}`; use one of: service_id, customer_id, customer_name, expiry_date, days_left, start_date, amount, accounts, service_type, product, status, run_status, csm, tier, region, industry (prefix `-` for descending)"
                )))
            }
        };
        keys.push(format!("{col}{desc}"));
    }
    keys.push("s.service_id".into());
    Ok(keys.join(", "))
}

/// Page bounds; `None` limit is all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Page {
    pub limit: Option<u64>,
    pub offset: u64,
}

impl Page {
    fn sql(&self) -> String {
        match (self.limit, self.offset) {
            (None, 0) => String::new(),
            (None, o) => format!(" LIMIT -1 OFFSET {o}"),
            (Some(l), o) => format!(" LIMIT {l} OFFSET {o}"),
        }
    }
}

/// Streams the matching services, in `order` (an SQL ORDER BY from
/// `service_order`, or `due`'s days_left order), to `each`.
///
/// When neither the filters nor the order need the customers' columns,
/// services are read alone and each customer is looked up once per run of
/// its services (they are usually listed customer by customer) instead of
/// joined to every row: an export of a million services does a third of
/// the lookups.
pub fn for_each_service<E: From<Error>>(
    conn: &Connection,
    f: &Filters,
    due: Option<Due>,
    order: &str,
    page: Page,
    today: NaiveDate,
    mut each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    let sqlite = |e: rusqlite::Error| E::from(Error::from(e));
    let (customer_filters, _) = f.split();
    let w = where_clause(f, due, today);
    let order_needs_customers = order.split(',').any(|k| k.trim().starts_with("c."));
    if !customer_filters.is_empty() || order_needs_customers {
        let sql = format!(
            "SELECT {CUSTOMER_COLUMNS}, {SERVICE_OWN_COLUMNS}{FROM}{} ORDER BY {order}{}",
            w.sql(),
            page.sql()
        );
        let mut stmt = conn.prepare(&sql).map_err(sqlite)?;
        let mut rows = stmt.query(w.params()).map_err(sqlite)?;
        while let Some(r) = rows.next().map_err(sqlite)? {
            let c = Rc::new(customer_from(r, 0).map_err(sqlite)?);
            each(service_at(r, 11, c, today).map_err(sqlite)?)?;
        }
        return Ok(());
    }
    let sql = format!(
        "SELECT s.customer_id, {SERVICE_OWN_COLUMNS} FROM services s{} ORDER BY {order}{}",
        w.sql(),
        page.sql()
    );
    let mut stmt = conn.prepare(&sql).map_err(sqlite)?;
    let mut rows = stmt.query(w.params()).map_err(sqlite)?;
    let mut lookup = conn
        .prepare_cached(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.customer_id = ?1"
        ))
        .map_err(sqlite)?;
    let mut last = Rc::new(Customer::default());
    while let Some(r) = rows.next().map_err(sqlite)? {
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
        each(service_at(r, 1, Rc::clone(&last), today).map_err(sqlite)?)?;
    }
    Ok(())
}

/// `due`'s order: days_left, then service_id.
pub const DUE_ORDER: &str = "s.expiry_date, s.service_id";

pub fn count_services(conn: &Connection, f: &Filters, today: NaiveDate) -> Result<u64> {
    let w = where_clause(f, None, today);
    let sql = format!("SELECT count(*){FROM}{}", w.sql());
    Ok(conn.query_row(&sql, w.params(), |r| r.get(0))?)
}

/// Customer sort fields for `list --sort`.
fn customer_sort(sort: &str) -> Result<Vec<(String, bool)>> {
    let mut keys = Vec::new();
    for key in sort.split(',') {
        let (desc, name) = match key.trim().strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, key.trim()),
        };
        match name {
            "customer_id" | "id" | "customer_name" | "name" | "csm" | "tier" | "industry" | "region" | "department"
            | "services" | "amount" | "nearest_expiry" | "worst_window" | "open" | "urgency" => {}
            _ => {
                return Err(Error::Invalid(format!(
                    "cannot sort customers by `{name}`; use one of: urgency, customer_id, customer_name, csm, tier, industry, region, department, services, amount, nearest_expiry, worst_window, open (prefix `-` for descending)"
                )))
            }
        }
        keys.push((name.to_string(), desc));
    }
    Ok(keys)
}

fn compare(a: &CustomerSummary, b: &CustomerSummary, key: &str) -> std::cmp::Ordering {
    let (x, y) = (&a.customer, &b.customer);
    match key {
        "customer_id" | "id" => x.id.cmp(&y.id),
        "customer_name" | "name" => x.name.cmp(&y.name),
        "csm" => x.csm.cmp(&y.csm),
        "tier" => x.tier.cmp(&y.tier),
        "industry" => x.industry.cmp(&y.industry),
        "region" => x.region.cmp(&y.region),
        "department" => x.department.cmp(&y.department),
        "services" => a.services.cmp(&b.services),
        "amount" => a.amount.cmp(&b.amount),
        "nearest_expiry" => a.nearest_expiry.cmp(&b.nearest_expiry),
        "worst_window" => a.worst_window.cmp(&b.worst_window),
        "open" => a.open.cmp(&b.open),
        _ => a.urgency_key().cmp(&b.urgency_key()),
    }
}

/// Customers with at least one matching service, with aggregates over
/// those services, and how many there are in all.
pub fn list_customers(
    conn: &Connection,
    f: &Filters,
    sort: Option<&str>,
    page: Page,
    today: NaiveDate,
) -> Result<(Vec<CustomerSummary>, u64)> {
    match sort {
        None | Some("urgency") => urgent_customers(conn, f, page, today),
        Some(s) => {
            let keys = customer_sort(s)?;
            let mut all = summaries(conn, f, None, today)?;
            all.sort_by(|a, b| {
                keys.iter()
                    .map(|(k, desc)| {
                        let o = compare(a, b, k);
                        if *desc {
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
            Ok((page, total))
        }
    }
}

/// Aggregates per customer over matching services, optionally only for
/// the given customers; ordered by customer id.
fn summaries(
    conn: &Connection,
    f: &Filters,
    only: Option<&[String]>,
    today: NaiveDate,
) -> Result<Vec<CustomerSummary>> {
    let mut f = f.clone();
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The page's customers, within the caller's customer filter.
        let wanted: Vec<String> = if f.customer.is_empty() {
            ids.to_vec()
        } else {
            ids.iter()
                .filter(|i| f.customer.contains(i))
                .cloned()
                .collect()
        };
        f.customer = wanted;
    }
    let mut out: Vec<CustomerSummary> = Vec::new();
    for_each_service(
        conn,
        &f,
        None,
        "s.customer_id, s.service_id",
        Page::default(),
        today,
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
    conn: &Connection,
    f: &Filters,
    page: Page,
    today: NaiveDate,
) -> Result<(Vec<CustomerSummary>, u64)> {
    let want = page.limit.map(|l| (l + page.offset) as usize);
    let mut order: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for open_only in [true, false] {
        if want.is_some_and(|n| order.len() >= n) {
            break;
        }
        let mut w = where_clause(f, None, today);
        if open_only {
            let open = open_sql(&mut w, today);
            w.push(open);
        }
        let sql = format!(
            "SELECT s.customer_id{FROM}{} ORDER BY s.expiry_date, s.customer_id",
            w.sql()
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(w.params())?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if seen.insert(id.clone()) {
                order.push(id);
                if want.is_some_and(|n| order.len() >= n) {
                    break;
                }
            }
        }
    }
    let ids: Vec<String> = order.into_iter().skip(page.offset as usize).collect();
    let mut found = summaries(conn, f, Some(&ids), today)?;
    found.sort_by(|a, b| a.urgency_key().cmp(&b.urgency_key()));
    let complete = page.limit.is_none_or(|l| (found.len() as u64) < l);
    let total = if complete {
        page.offset + found.len() as u64
    } else if f.is_empty() {
        // Every customer has a service: import creates them together.
        conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?
    } else {
        let w = where_clause(f, None, today);
        let sql = format!("SELECT count(DISTINCT s.customer_id){FROM}{}", w.sql());
        conn.query_row(&sql, w.params(), |r| r.get(0))?
    };
    Ok((found, total))
}

/// A customer by id, or by a name (or id) fragment that matches exactly
/// one customer.
pub fn find_customer(conn: &Connection, query: &str) -> Result<Customer> {
    let cols = "customer_id, customer_name, industry, region, size, tier, department, distributor_type, csm, sales, sales_contact";
    let mut by_id = conn.prepare_cached(&format!(
        "SELECT {cols} FROM customers WHERE customer_id = ?1"
    ))?;
    if let Some(c) = by_id.query_map([query], |r| customer_from(r, 0))?.next() {
        return Ok(c?);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {cols} FROM customers WHERE instr(lower(customer_name), lower(?1)) > 0 OR lower(customer_id) = lower(?1) ORDER BY customer_id LIMIT 11"
    ))?;
    let found: Vec<Customer> = stmt
        .query_map([query], |r| customer_from(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    match found.len() {
        0 => Err(Error::NotFound(format!(
            "no customer `{query}`\nhint: `xaas list --search TEXT` finds customers by a part of their name"
        ))),
        1 => Ok(found.into_iter().next().expect("one")),
        n => {
            let names: Vec<String> = found.iter().take(10).map(|c| format!("  {}  {}", c.id, c.name)).collect();
            let more = if n > 10 { "\n  …" } else { "" };
            Err(Error::Refused(format!(
                "`{query}` matches more than one customer; name one by its id:\n{}{more}",
                names.join("\n")
            )))
        }
    }
}

/// All services of one customer, by type then expiry.
pub fn services_of(
    conn: &Connection,
    customer_id: &str,
    today: NaiveDate,
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
        today,
        |s| {
            out.push(s);
            Ok::<(), Error>(())
        },
    )?;
    Ok(out)
}
