//! The book as of a day (SPEC "Reports for the team lead", point in
//! time): everything dated after the day is taken back out, for reads.
//!
//! One mechanism for every read command. On opening for a read as of a
//! day after which something was written, temporary views named like the
//! tables (`services`, `customers`, `terms`, `records`, `history`, ...)
//! shadow them on that connection: SQLite resolves an unqualified name in
//! `temp` first, so every query in `db` reads the past book unchanged.
//! The views are the stored rows with the later changes undone:
//!
//! - Rows whose values moved later (a service's status, term, amount or
//!   follow-ups; a customer's owner or tier; a setting) come from a small
//!   table of their values on the day, computed here by undoing the later
//!   history entries newest first: each entry knows the value it replaced,
//!   and a renewal's closed term keeps the term it replaced.
//! - Rows that arrived later (services and customers imported, records,
//!   terms, history entries, tasks, risks, leads, budget cycles,
//!   calibrations) are filtered out by their own date.
//!
//! An entry is dated by the `--today` it was written under, so a write
//! back-filled under a past day shows in the views of that day. Nothing
//! dated after the day means no views at all, and reads as before.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};

use super::sql::{args, Kind as Engine, Sql};

use crate::columns::Col;
use crate::date::iso;
use crate::error::Result;
use crate::history::Kind;
use crate::money::Cents;
use crate::status::Status;

/// A stored value, owned (the overlay keeps rows past their statement).
type Value = super::sql::Value<'static>;

/// `sql` with its `main.` (and `temp.`) names in the engine's schemas:
/// the stored tables past the views of the past, and the overlay's own.
fn on(conn: &impl Sql, sql: &str) -> String {
    match conn.kind() {
        Engine::Lite => sql.to_string(),
        Engine::Pg => sql.replace("main.", "public.").replace("temp.", "pg_temp."),
    }
}

fn owned(v: super::sql::Value<'_>) -> Value {
    use std::borrow::Cow;
    match v {
        super::sql::Value::Null => Value::Null,
        super::sql::Value::Int(i) => Value::Int(i),
        super::sql::Value::Real(r) => Value::Real(r),
        super::sql::Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
        super::sql::Value::Blob(b) => Value::Blob(Cow::Owned(b.into_owned())),
    }
}

fn text_of(s: String) -> Value {
    Value::Text(std::borrow::Cow::Owned(s))
}

/// What a connection needs to show the book as of a day: computed once,
/// installed on every connection a read opens (a second reading thread
/// too).
#[derive(Debug)]
pub(crate) struct Overlay {
    day: String,
    next: String,
    shadows: Vec<Shadow>,
}

/// A table whose later-changed rows are replaced and later-added rows
/// hidden.
#[derive(Debug)]
struct Shadow {
    table: &'static str,
    key: &'static str,
    /// Columns that never change after a row is written: read from the
    /// stored row itself, so that their indexes still serve.
    fixed: &'static [&'static str],
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    gone: Vec<Value>,
}

/// Whether anything is dated on or after ?1 (the day after the day read).
const LATE: &str = "SELECT EXISTS (SELECT 1 FROM history WHERE at >= ?1)
             OR EXISTS (SELECT 1 FROM records WHERE at >= ?1)
             OR EXISTS (SELECT 1 FROM imports WHERE at >= ?1)
             OR EXISTS (SELECT 1 FROM calibrations WHERE made_at >= ?1)";

/// Whether anything is dated after `day`; if so, the overlay for it.
pub(crate) fn overlay(conn: &impl Sql, day: NaiveDate) -> Result<Option<Overlay>> {
    let Some(after) = day.checked_add_days(Days::new(1)) else {
        return Ok(None);
    };
    let next = iso(after);
    let late: bool = conn.one(LATE, args![next])?;
    if !late {
        return Ok(None);
    }
    let entries = late_entries(conn, &next)?;
    let arrivals: bool = conn.one(
        "SELECT EXISTS (SELECT 1 FROM imports WHERE at >= ?1)",
        args![next],
    )?;
    let sv = services(conn, &next, &entries, arrivals)?;
    let shadows = vec![
        sv,
        customers(conn, &next, &entries, arrivals)?,
        settings(conn, &next, &entries)?,
    ];
    Ok(Some(Overlay {
        day: iso(day),
        next,
        shadows,
    }))
}

impl Overlay {
    /// Creates the views on `conn` (once per connection).
    pub(crate) fn install(&self, conn: &impl Sql) -> Result<()> {
        for s in &self.shadows {
            s.install(conn)?;
        }
        let (day, next) = (&self.day, &self.next);
        // Dates and stamps are ISO text: safe as literals.
        let views = format!(
            "CREATE TEMP VIEW terms AS SELECT * FROM main.terms WHERE closed_at < '{next}';
             CREATE TEMP VIEW records AS SELECT * FROM main.records WHERE at < '{next}';
             CREATE TEMP VIEW record_services AS SELECT * FROM main.record_services
                 WHERE record_id NOT IN (SELECT id FROM main.records WHERE at >= '{next}');
             CREATE TEMP VIEW history AS SELECT * FROM main.history WHERE at < '{next}';
             CREATE TEMP VIEW imports AS SELECT * FROM main.imports WHERE at < '{next}';
             CREATE TEMP VIEW calibrations AS SELECT * FROM main.calibrations WHERE made_at < '{next}';
             {TASKS}
             {RISKS}
             {LEADS}
             {BUDGETS}"
        )
        .replace("{next}", next)
        .replace("{day}", day);
        conn.batch(&on(conn, &views))
    }
}

/// A task written later is hidden; one done, closed or snoozed later is
/// open, with the due day it had (and no note: a task gets one when it
/// ends).
const TASKS: &str = "
CREATE TEMP VIEW tasks AS SELECT t.id, t.customer_id, t.service_id, t.rule, t.key, t.title,
    coalesce((SELECT h.from_value FROM main.history h
              WHERE h.kind = 'task_snoozed' AND h.item_id = t.id AND h.at >= '{next}'
              ORDER BY h.id LIMIT 1), t.due) AS due,
    t.original_due,
    CASE WHEN t.closed_at >= '{next}' THEN 'open' ELSE t.status END AS status,
    t.created_at,
    CASE WHEN t.closed_at >= '{next}' THEN NULL ELSE t.closed_at END AS closed_at,
    t.author,
    CASE WHEN t.closed_at >= '{next}' THEN NULL ELSE t.note END AS note
FROM main.tasks t WHERE t.created_at < '{next}';";

/// A risk raised later is hidden; a plan or an outcome recorded later is
/// not there yet.
const RISKS: &str = "
CREATE TEMP VIEW risks AS SELECT r.id, r.customer_id, r.service_id, r.kind, r.owner, r.note,
    CASE WHEN r.planned > '{day}' THEN NULL ELSE r.plan END AS plan,
    CASE WHEN r.planned > '{day}' THEN NULL ELSE r.planned END AS planned,
    CASE WHEN r.closed > '{day}' THEN NULL ELSE r.outcome END AS outcome,
    CASE WHEN r.closed > '{day}' THEN NULL ELSE r.outcome_note END AS outcome_note,
    r.raised,
    CASE WHEN r.closed > '{day}' THEN NULL ELSE r.closed END AS closed,
    r.author
FROM main.risks r WHERE r.raised <= '{day}';";

/// A lead entered later is hidden; a later move is undone (the status it
/// left, from the history).
const LEADS: &str = "
CREATE TEMP VIEW leads AS SELECT l.id, l.customer_id, l.service_id, l.product, l.amount, l.note,
    coalesce((SELECT h.from_value FROM main.history h
              WHERE h.kind = 'lead' AND h.item_id = l.id AND h.at >= '{next}' AND h.from_value IS NOT NULL
              ORDER BY h.id LIMIT 1), l.status) AS status,
    l.entered,
    CASE WHEN l.closed > '{day}' THEN NULL ELSE l.closed END AS closed,
    CASE WHEN l.converted > '{day}' THEN NULL ELSE l.converted END AS converted,
    l.author
FROM main.leads l WHERE l.entered <= '{day}';";

/// A budget cycle opened later is hidden; a submission or result recorded
/// later is not there yet.
const BUDGETS: &str = "
CREATE TEMP VIEW budgets AS SELECT b.id, b.customer_id, b.budget_date,
    CASE WHEN b.submitted > '{day}' THEN NULL ELSE b.submitted END AS submitted,
    CASE WHEN b.result_date > '{day}' THEN NULL ELSE b.result END AS result,
    CASE WHEN b.result_date > '{day}' THEN NULL ELSE b.result_date END AS result_date,
    b.created, b.author
FROM main.budgets b WHERE substr(b.created, 1, 10) <= '{day}';";

impl Shadow {
    fn install(&self, conn: &impl Sql) -> Result<()> {
        let (t, k) = (self.table, self.key);
        if self.rows.is_empty() && self.gone.is_empty() {
            return Ok(());
        }
        let made = match conn.kind() {
            Engine::Lite => format!(
                "CREATE TEMP TABLE asof_{t} AS SELECT {} FROM main.{t} WHERE 0;
                 CREATE UNIQUE INDEX temp.asof_{t}_key ON asof_{t}({k});
                 CREATE TEMP TABLE gone_{t}(k PRIMARY KEY) WITHOUT ROWID;",
                self.columns.join(", ")
            ),
            Engine::Pg => format!(
                "CREATE TEMP TABLE asof_{t} AS SELECT {} FROM public.{t} WHERE false;
                 CREATE UNIQUE INDEX asof_{t}_key ON asof_{t}({k});
                 CREATE TEMP TABLE gone_{t}(k TEXT PRIMARY KEY);",
                self.columns.join(", ")
            ),
        };
        conn.batch(&made)?;
        let marks: Vec<String> = (1..=self.columns.len()).map(|i| format!("?{i}")).collect();
        let put = format!(
            "INSERT INTO asof_{t}({}) VALUES ({})",
            self.columns.join(", "),
            marks.join(", ")
        );
        for row in &self.rows {
            let values: Vec<&dyn super::sql::Arg> =
                row.iter().map(|v| v as &dyn super::sql::Arg).collect();
            conn.execute(&put, &values)?;
        }
        let hide = format!("INSERT INTO gone_{t}(k) VALUES (?1) ON CONFLICT DO NOTHING");
        for key in &self.gone {
            conn.execute(&hide, args![key])?;
        }
        let all = table_columns(conn, t)?;
        let cols: Vec<String> = all
            .iter()
            .map(|c| {
                if !self.columns.contains(c) || c == k || self.fixed.contains(&c.as_str()) {
                    format!("m.{c}")
                } else {
                    format!("CASE WHEN a.{k} IS NULL THEN m.{c} ELSE a.{c} END AS {c}")
                }
            })
            .collect();
        let view = format!(
            "CREATE TEMP VIEW {t} AS SELECT {} FROM main.{t} m
             LEFT JOIN temp.asof_{t} a ON a.{k} = m.{k}
             WHERE m.{k} NOT IN (SELECT k FROM temp.gone_{t})",
            cols.join(", ")
        );
        conn.batch(&on(conn, &view))
    }
}

/// The columns of the stored table `table`, in order.
fn table_columns(conn: &impl Sql, table: &str) -> Result<Vec<String>> {
    let sql = match conn.kind() {
        Engine::Lite => "SELECT name FROM pragma_table_info(?1, 'main') ORDER BY cid",
        Engine::Pg => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name = CAST(?1 AS TEXT) ORDER BY ordinal_position"
        }
    };
    conn.rows(sql, args![table], |r| r.get(0))
}

/// A history entry dated after the day.
#[derive(Debug)]
struct Late {
    kind: Option<Kind>,
    service_id: String,
    customer_id: String,
    from: Option<String>,
    note: Option<String>,
}

/// The entries dated after the day, newest written first: the order to
/// undo them in.
fn late_entries(conn: &impl Sql, next: &str) -> Result<Vec<Late>> {
    let sql = on(
        conn,
        "SELECT kind, service_id, customer_id, from_value, note FROM main.history
         WHERE at >= ?1 AND kind IN ('status', 'renewal', 'expiry_correction', 'attribute', 'setting', 'budget')
         ORDER BY id DESC",
    );
    conn.rows(&sql, args![next], |r| {
        Ok(Late {
            kind: Kind::parse(&r.get::<String>(0)?).ok(),
            service_id: r.get(1)?,
            customer_id: r.get(2)?,
            from: r.get(3)?,
            note: r.get(4)?,
        })
    })
}

/// A table's stored rows by key, with its column names.
struct Rows {
    columns: Vec<String>,
    by_key: HashMap<String, Vec<Value>>,
    order: Vec<String>,
}

impl Rows {
    /// The rows of `keys`: the key and `columns` (`*`: all).
    fn read(
        conn: &impl Sql,
        table: &str,
        key: &str,
        columns: &str,
        keys: &[String],
    ) -> Result<Rows> {
        let columns: Vec<String> = if columns == "*" {
            table_columns(conn, table)?
        } else {
            std::iter::once(key.to_string())
                .chain(columns.split(',').map(|c| c.trim().to_string()))
                .collect()
        };
        let sql = on(
            conn,
            &format!(
                "SELECT {} FROM main.{table} WHERE {key} = ?1",
                columns.join(", ")
            ),
        );
        let n = columns.len();
        let mut by_key = HashMap::new();
        let mut order = Vec::new();
        for k in keys {
            let row = conn.row_opt(&sql, args![k], |r| {
                (0..n)
                    .map(|i| r.value(i).map(owned))
                    .collect::<Result<Vec<_>>>()
            })?;
            if let Some(row) = row {
                by_key.insert(k.clone(), row);
                order.push(k.clone());
            }
        }
        Ok(Rows {
            columns,
            by_key,
            order,
        })
    }

    fn at(&self, col: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == col)
    }

    fn set(&mut self, key: &str, col: &str, v: Value) {
        if let (Some(i), Some(row)) = (self.at(col), self.by_key.get_mut(key)) {
            row[i] = v;
        }
    }

    fn get(&self, key: &str, col: &str) -> Value {
        match (self.at(col), self.by_key.get(key)) {
            (Some(i), Some(row)) => row[i].clone(),
            _ => Value::Null,
        }
    }

    fn into_shadow(
        self,
        table: &'static str,
        key: &'static str,
        fixed: &'static [&'static str],
        gone: Vec<Value>,
    ) -> Shadow {
        let mut by_key = self.by_key;
        let rows = self.order.iter().filter_map(|k| by_key.remove(k)).collect();
        Shadow {
            table,
            key,
            fixed,
            columns: self.columns,
            rows,
            gone,
        }
    }
}

fn text(v: Option<&str>) -> Value {
    v.map_or(Value::Null, |s| text_of(s.to_string()))
}

/// A status as stored: the derived ones (pending, lapsed) are no status.
fn stored_status(id: Option<&str>) -> Value {
    match id.and_then(|s| Status::parse(s).ok()) {
        Some(Status::Pending | Status::Lapsed | Status::Unset) | None => Value::Null,
        Some(s) => text(s.to_db()),
    }
}

/// An attribute entry's value as the column stores it.
fn stored_attribute(col: Col, v: Option<&str>) -> Value {
    let Some(v) = v else { return Value::Null };
    match col {
        Col::Amount => Cents::parse(v).map_or(Value::Null, |c| Value::Int(c.stored())),
        Col::Accounts => v.parse().map_or(text_of(v.to_string()), Value::Int),
        _ => text_of(v.to_string()),
    }
}

/// A closed term as `terms` holds it.
struct Closed {
    start: Value,
    expiry: Value,
    amount: Value,
    status_before: Option<String>,
}

/// The closed terms the services of `rows` need, read in one pass: those
/// closed after the day by (service, expiry), and each service's latest
/// closed on or before it (its previous term then).
struct Terms {
    closed_later: HashMap<(String, String), Closed>,
    last_before: HashMap<String, Closed>,
}

impl Terms {
    fn read(conn: &impl Sql, next: &str, rows: &Rows) -> Result<Terms> {
        let mut closed_later = HashMap::new();
        let mut last_before: HashMap<String, Closed> = HashMap::new();
        let sql = on(
            conn,
            "SELECT service_id, start_date, expiry_date, amount, status_before,
                    CASE WHEN closed_at >= ?1 THEN 1 ELSE 0 END
             FROM main.terms ORDER BY id",
        );
        conn.each(&sql, args![next], &mut |r| {
            let super::sql::Value::Text(service) = r.value(0)? else {
                return Ok(());
            };
            if !rows.by_key.contains_key(service.as_ref()) {
                return Ok(());
            }
            let service = service.into_owned();
            let t = Closed {
                start: owned(r.value(1)?),
                expiry: owned(r.value(2)?),
                amount: owned(r.value(3)?),
                status_before: r.get(4)?,
            };
            if r.get::<bool>(5)? {
                let expiry = match &t.expiry {
                    Value::Text(e) => e.to_string(),
                    _ => return Ok(()),
                };
                closed_later.insert((service, expiry), t);
            } else {
                let later = |old: &Closed| match (&t.expiry, &old.expiry) {
                    (Value::Text(a), Value::Text(b)) => a >= b,
                    _ => true,
                };
                if last_before.get(&service).is_none_or(later) {
                    last_before.insert(service, t);
                }
            }
            Ok(())
        })?;
        Ok(Terms {
            closed_later,
            last_before,
        })
    }
}

/// The time and reason of the latest status entry on or before the day,
/// by (service, term expiry), for the services in `of`: one pass over
/// the status entries (their own index).
fn last_status(
    conn: &impl Sql,
    next: &str,
    of: &HashSet<String>,
) -> Result<HashMap<(String, String), (Value, Value)>> {
    let mut out = HashMap::new();
    if of.is_empty() {
        return Ok(out);
    }
    let by = match conn.kind() {
        Engine::Lite => " INDEXED BY history_status",
        Engine::Pg => "",
    };
    let sql = on(
        conn,
        &format!(
            "SELECT service_id, term_expiry, at, reason FROM main.history{by}
             WHERE kind = 'status' AND at < ?1 ORDER BY id"
        ),
    );
    conn.each(&sql, args![next], &mut |r| {
        let service: String = r.get(0)?;
        if of.contains(&service) {
            let expiry: Option<String> = r.get(1)?;
            out.insert(
                (service, expiry.unwrap_or_default()),
                (owned(r.value(2)?), owned(r.value(3)?)),
            );
        }
        Ok(())
    })?;
    Ok(out)
}

/// The columns of a service that a later change can have moved: its
/// term, its state and follow-ups, and the tracked columns of the list.
const UNDONE: &str = "customer_id, start_date, expiry_date, amount, accounts, run_status, product,
    status, status_changed_at, reason, reason_detail, last_followup_at, last_note, last_note_at,
    previous_expiry, previous_amount";

/// Services: those imported later hidden; those whose status, term,
/// tracked columns or follow-ups moved later, as they were.
fn services(conn: &impl Sql, next: &str, entries: &[Late], arrivals: bool) -> Result<Shadow> {
    let gone: HashSet<String> = if arrivals {
        ids(
            conn,
            "SELECT service_id FROM main.services WHERE added >= ?1 AND added IS NOT NULL",
            next,
        )?
    } else {
        HashSet::new()
    };
    let mut touched: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |id: &str, touched: &mut Vec<String>| {
        if !gone.contains(id) && seen.insert(id.to_string()) {
            touched.push(id.to_string());
        }
    };
    for e in entries {
        if !e.service_id.is_empty()
            && matches!(
                e.kind,
                Some(Kind::Status | Kind::Renewal | Kind::ExpiryCorrection | Kind::Attribute)
            )
        {
            add(&e.service_id, &mut touched);
        }
    }
    // Services a later record is about (all of its customer's when it
    // names none): their follow-up columns go back.
    let mut followed: HashSet<String> = HashSet::new();
    {
        let later: Vec<(String, Option<String>)> = conn.rows(
            &on(
                conn,
                "SELECT r.customer_id, x.service_id FROM main.records r
                 LEFT JOIN main.record_services x ON x.record_id = r.id WHERE r.at >= ?1",
            ),
            args![next],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let of_customer = on(
            conn,
            "SELECT service_id FROM main.services WHERE customer_id = ?1",
        );
        for (customer, service) in later {
            match service {
                Some(s) => {
                    add(&s, &mut touched);
                    followed.insert(s);
                }
                None => {
                    let all: Vec<String> =
                        conn.rows(&of_customer, args![customer], |r| r.get(0))?;
                    for s in all {
                        add(&s, &mut touched);
                        followed.insert(s);
                    }
                }
            }
        }
    }
    // In key order, so that neighbours share the pages just read.
    touched.sort_unstable();
    let mut rows = Rows::read(conn, "services", "service_id", UNDONE, &touched)?;
    let mut status_moved: HashSet<String> = HashSet::new();
    let mut term_moved: HashSet<String> = HashSet::new();
    let terms = Terms::read(conn, next, &rows)?;
    for e in entries {
        let id = e.service_id.as_str();
        if id.is_empty() || !rows.by_key.contains_key(id) {
            continue;
        }
        match e.kind {
            Some(Kind::Status) => {
                rows.set(id, "status", stored_status(e.from.as_deref()));
                status_moved.insert(id.to_string());
            }
            Some(Kind::Renewal) => {
                let key = (id.to_string(), e.from.clone().unwrap_or_default());
                if let Some(t) = terms.closed_later.get(&key) {
                    rows.set(id, "start_date", t.start.clone());
                    rows.set(id, "expiry_date", t.expiry.clone());
                    rows.set(id, "amount", t.amount.clone());
                    rows.set(id, "status", stored_status(t.status_before.as_deref()));
                }
                status_moved.insert(id.to_string());
                term_moved.insert(id.to_string());
            }
            Some(Kind::ExpiryCorrection) => rows.set(id, "expiry_date", text(e.from.as_deref())),
            Some(Kind::Attribute) => {
                if let Some(col) = e.note.as_deref().and_then(col_named) {
                    rows.set(id, col.id(), stored_attribute(col, e.from.as_deref()));
                }
            }
            _ => {}
        }
    }
    for id in &term_moved {
        let (expiry, amount) = match terms.last_before.get(id) {
            Some(t) => (t.expiry.clone(), t.amount.clone()),
            None => (Value::Null, Value::Null),
        };
        rows.set(id, "previous_expiry", expiry);
        rows.set(id, "previous_amount", amount);
    }
    let last_status = last_status(conn, next, &status_moved)?;
    let why = on(
        conn,
        "SELECT r.reason, r.reason_detail FROM main.records r
         JOIN main.record_services x ON x.record_id = r.id AND x.service_id = ?1
         WHERE r.status_change = 'not_renewing' AND r.at < ?2
         ORDER BY r.at DESC, r.id DESC LIMIT 1",
    );
    let followup = on(
        conn,
        "SELECT max(r.at) FROM main.records r
         WHERE r.customer_id = ?1 AND r.at < ?3
           AND (EXISTS (SELECT 1 FROM main.record_services x WHERE x.record_id = r.id AND x.service_id = ?2)
                OR NOT EXISTS (SELECT 1 FROM main.record_services x WHERE x.record_id = r.id))",
    );
    let note = on(
        conn,
        "SELECT r.note, r.at FROM main.records r
         WHERE r.customer_id = ?1 AND r.at < ?3 AND r.note IS NOT NULL
           AND (EXISTS (SELECT 1 FROM main.record_services x WHERE x.record_id = r.id AND x.service_id = ?2)
                OR NOT EXISTS (SELECT 1 FROM main.record_services x WHERE x.record_id = r.id))
         ORDER BY r.at DESC, r.id DESC LIMIT 1",
    );
    let pair = |r: &super::sql::Row| Ok((owned(r.value(0)?), owned(r.value(1)?)));
    for id in rows.order.clone() {
        let moved = status_moved.contains(&id);
        let heard = followed.contains(&id);
        if moved {
            let expiry = match rows.get(&id, "expiry_date") {
                Value::Text(e) => e.into_owned(),
                _ => String::new(),
            };
            let (at, reason) = last_status
                .get(&(id.clone(), expiry))
                .cloned()
                .unwrap_or((Value::Null, Value::Null));
            rows.set(&id, "status_changed_at", at);
            rows.set(&id, "reason", reason);
        }
        if moved || heard {
            let not_renewing = rows.get(&id, "status") == Value::Text("not_renewing".into());
            let said: Option<(Value, Value)> = if not_renewing {
                conn.row_opt(&why, args![id, next], pair)?
            } else {
                None
            };
            match said {
                Some((reason, detail)) => {
                    if reason != Value::Null {
                        rows.set(&id, "reason", reason);
                    }
                    rows.set(&id, "reason_detail", detail);
                }
                None if !not_renewing => {
                    rows.set(&id, "reason", Value::Null);
                    rows.set(&id, "reason_detail", Value::Null);
                }
                None => {}
            }
        }
        if heard {
            let customer = rows.get(&id, "customer_id");
            let at: Value = conn.row(&followup, args![customer, id, next], |r| {
                r.value(0).map(owned)
            })?;
            rows.set(&id, "last_followup_at", at);
            let (n, n_at) = conn
                .row_opt(&note, args![customer, id, next], pair)?
                .unwrap_or((Value::Null, Value::Null));
            rows.set(&id, "last_note", n);
            rows.set(&id, "last_note_at", n_at);
        }
    }
    let gone = gone.into_iter().map(text_of).collect();
    Ok(rows.into_shadow("services", "service_id", &["customer_id"], gone))
}

/// Customers: those imported later hidden; a tracked column or budget
/// date changed later, as it was.
fn customers(conn: &impl Sql, next: &str, entries: &[Late], arrivals: bool) -> Result<Shadow> {
    let gone: HashSet<String> = if arrivals {
        ids(
            conn,
            "SELECT customer_id FROM main.customers WHERE added >= ?1 AND added IS NOT NULL",
            next,
        )?
    } else {
        HashSet::new()
    };
    let customer_change = |e: &Late| {
        e.service_id.is_empty()
            && match e.kind {
                Some(Kind::Attribute) => true,
                Some(Kind::Budget) => e.note.as_deref() == Some(Col::BudgetDate.id()),
                _ => false,
            }
    };
    let mut keys = Vec::new();
    let mut seen = HashSet::new();
    for e in entries.iter().filter(|e| customer_change(e)) {
        if !gone.contains(&e.customer_id) && seen.insert(e.customer_id.clone()) {
            keys.push(e.customer_id.clone());
        }
    }
    let mut rows = Rows::read(conn, "customers", "customer_id", "*", &keys)?;
    for e in entries.iter().filter(|e| customer_change(e)) {
        if let Some(col) = e.note.as_deref().and_then(col_named) {
            rows.set(&e.customer_id, col.id(), text(e.from.as_deref()));
        }
    }
    let gone = gone.into_iter().map(text_of).collect();
    Ok(rows.into_shadow("customers", "customer_id", &[], gone))
}

/// Settings: a key changed later has the value it had; one first set
/// later was at its default (no row).
fn settings(conn: &impl Sql, next: &str, entries: &[Late]) -> Result<Shadow> {
    let mut keys = Vec::new();
    let mut seen = HashSet::new();
    for e in entries.iter().filter(|e| e.kind == Some(Kind::Setting)) {
        if let Some(k) = &e.note {
            if seen.insert(k.clone()) {
                keys.push(k.clone());
            }
        }
    }
    let mut rows = Rows::read(conn, "settings", "key", "*", &keys)?;
    let mut earliest: HashMap<&str, &Late> = HashMap::new();
    for e in entries.iter().filter(|e| e.kind == Some(Kind::Setting)) {
        if let Some(k) = e.note.as_deref() {
            earliest.insert(k, e);
        }
    }
    let mut gone = Vec::new();
    let ever = on(
        conn,
        "SELECT EXISTS (SELECT 1 FROM main.history WHERE kind = 'setting' AND note = ?1 AND at < ?2)",
    );
    for (k, e) in earliest {
        let set_before: bool = conn.one(&ever, args![k, next])?;
        if set_before {
            rows.set(k, "value", text(e.from.as_deref()));
        } else {
            rows.by_key.remove(k);
            rows.order.retain(|o| o != k);
            gone.push(text_of(k.to_string()));
        }
    }
    Ok(rows.into_shadow("settings", "key", &[], gone))
}

/// The column an attribute entry names (its note).
fn col_named(id: &str) -> Option<Col> {
    Col::ALL.iter().copied().find(|c| c.id() == id)
}

fn ids(conn: &impl Sql, sql: &str, next: &str) -> Result<HashSet<String>> {
    let found: Vec<String> = conn.rows(&on(conn, sql), args![next], |r| r.get(0))?;
    Ok(found.into_iter().collect())
}

/// ` INDEXED BY index`, unless `table` is a view of the past on this
/// connection (a view has no index to name).
pub(crate) fn indexed_by(conn: &impl Sql, table: &str, index: &str) -> Result<String> {
    if conn.kind() == Engine::Pg {
        return Ok(String::new());
    }
    let shadowed: bool = conn.one(
        "SELECT EXISTS (SELECT 1 FROM temp.sqlite_schema WHERE name = ?1)",
        args![table],
    )?;
    Ok(if shadowed {
        String::new()
    } else {
        format!(" INDEXED BY {index}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_undone_is_stored_as_it_was_and_a_derived_one_as_none() {
        assert_eq!(stored_status(Some("at_risk")), text_of("at_risk".into()));
        assert_eq!(stored_status(Some("renewed")), text_of("renewed".into()));
        for derived in ["pending", "lapsed", "none"] {
            assert_eq!(stored_status(Some(derived)), Value::Null, "{derived}");
        }
        assert_eq!(stored_status(None), Value::Null);
    }

    #[test]
    fn an_attribute_undone_is_stored_in_its_columns_type() {
        assert_eq!(
            stored_attribute(Col::Amount, Some("50000.00")),
            Value::Int(5_000_000)
        );
        assert_eq!(
            stored_attribute(Col::Accounts, Some("119")),
            Value::Int(119)
        );
        assert_eq!(
            stored_attribute(Col::Csm, Some("张伟")),
            text_of("张伟".into())
        );
        assert_eq!(stored_attribute(Col::Amount, None), Value::Null);
    }

    #[test]
    fn nothing_written_after_the_day_means_no_views() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("x.db"), crate::db::Open::CreateIfMissing)
            .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(overlay(db.conn().unwrap(), day).unwrap().is_none());
        db.conn()
            .unwrap()
            .execute_batch(
                "INSERT INTO history(kind, service_id, customer_id, at, author, source)
                 VALUES ('setting', '', '', '2026-11-24T09:00:00+08:00', 'a', 'manual')",
            )
            .unwrap();
        assert!(overlay(db.conn().unwrap(), day).unwrap().is_some());
        let next_day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert!(overlay(db.conn().unwrap(), next_day).unwrap().is_none());
    }
}
