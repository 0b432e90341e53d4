//! The write side of import: one row at a time inside the caller's
//! transaction. Customers are upserted only when the customer id changes
//! from the previous row; into an empty database rows are inserted without
//! lookups and the secondary indexes are built once at the end.

use std::borrow::Cow;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, Statement, ToSql};
use rustc_hash::{FxHashMap, FxHashSet};

use super::history::{append, NewEntry};
use super::renewal;
use super::sql::{self, args, Arg, Conn, Sql};
use crate::clock::AsOf;
use crate::columns::{Col, Home, CUSTOMER_ATTRS, TRACKED};
use crate::customer::Customer;
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::history::{Actor, Kind};
use crate::money::Cents;
use crate::msg::import as im;
use crate::renewal::Term;
use crate::sheet::{BadRow, Header, Item, Row, ServiceRow};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub new: u64,
    pub updated: u64,
    pub renewed: u64,
    pub corrected: u64,
    /// Services only: an earlier expiry than a renewal recorded here
    /// (rule 4): the renewal stands.
    pub stale: u64,
    pub unchanged: u64,
    /// Services only: in the database, not in the file (left alone).
    pub absent: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub customers: Counts,
    pub services: Counts,
    /// First warnings (a customer whose attributes differ between rows).
    pub warnings: Vec<String>,
    pub warning_count: u64,
    /// The first services whose expiry the file moved earlier.
    pub corrected: Vec<String>,
    /// The first services whose row was stale (rule 4).
    pub stale: Vec<String>,
    /// The first services in the database that the file does not name.
    pub absent: Vec<String>,
}

/// The columns of `services` that import writes besides the key: the
/// customer it belongs to, then the registry's service columns.
fn service_cols() -> impl Iterator<Item = Col> {
    std::iter::once(Col::CustomerId).chain(Col::of(Home::Service).filter(|&c| c != Col::ServiceId))
}

/// A stored value as the history shows it: amounts in yuan.
fn text_of(col: Col, v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) if col == Col::Amount => Some(Cents::from(*i).to_string()),
        Value::Integer(i) => Some(i.to_string()),
        Value::Text(t) => Some(t.clone()),
        Value::Real(r) => Some(r.to_string()),
        Value::Blob(_) => None,
    }
}

fn owned(v: Val<'_>) -> Value {
    match v {
        Val::Null => Value::Null,
        Val::Text(t) => Value::Text(t.to_string()),
        Val::Date(d) => Value::Text(iso(d)),
        Val::Int(i) => Value::Integer(i),
    }
}

/// The columns that make a term: a stale row leaves them alone.
const TERM_COLS: [Col; 3] = [Col::StartDate, Col::ExpiryDate, Col::Amount];

/// A cell on its way to SQLite, borrowed where it can be.
#[derive(Debug, PartialEq)]
enum Val<'a> {
    Null,
    Text(&'a str),
    Date(NaiveDate),
    Int(i64),
}

impl ToSql for Val<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Val::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Val::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Val::Date(d) => ToSqlOutput::Owned(Value::Text(iso(*d))),
            Val::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
        })
    }
}

impl Arg for Val<'_> {
    fn value(&self) -> sql::Value<'_> {
        match self {
            Val::Null => sql::Value::Null,
            Val::Text(s) => sql::Value::Text(Cow::Borrowed(s)),
            Val::Date(d) => sql::Value::Text(Cow::Owned(iso(*d))),
            Val::Int(i) => sql::Value::Int(*i),
        }
    }
}

/// A value read through `sql` as SQLite's, which the comparisons use.
fn lite_value(v: sql::Value<'_>) -> Value {
    match v {
        sql::Value::Null => Value::Null,
        sql::Value::Int(i) => Value::Integer(i),
        sql::Value::Real(r) => Value::Real(r),
        sql::Value::Text(t) => Value::Text(t.into_owned()),
        sql::Value::Blob(b) => Value::Blob(b.into_owned()),
    }
}

/// One field of a row in COPY's text format.
fn copy_field(out: &mut Vec<u8>, v: &Val) {
    match v {
        Val::Null => out.extend_from_slice(b"\\N"),
        Val::Text(t) => copy_text(out, t),
        Val::Date(d) => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
    }
}

pub(crate) fn copy_text(out: &mut Vec<u8>, t: &str) {
    if !t
        .bytes()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.extend_from_slice(t.as_bytes());
        return;
    }
    for b in t.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b => out.push(b),
        }
    }
}

impl Val<'_> {
    fn same_as(&self, v: &Value) -> bool {
        match (self, v) {
            (Val::Null, Value::Null) => true,
            (Val::Text(a), Value::Text(b)) => a == b,
            (Val::Date(a), Value::Text(b)) => iso(*a) == *b,
            (Val::Int(a), Value::Integer(b)) => a == b,
            _ => false,
        }
    }
}

fn opt(s: &Option<String>) -> Val<'_> {
    s.as_deref().map_or(Val::Null, Val::Text)
}

fn service_val<'a>(s: &'a ServiceRow, customer_id: &'a str, c: Col) -> Val<'a> {
    match c {
        Col::CustomerId => Val::Text(customer_id),
        Col::ServiceType => Val::Text(s.service_type.id()),
        Col::Product => opt(&s.product),
        Col::StartDate => s.start_date.map_or(Val::Null, Val::Date),
        Col::ExpiryDate => Val::Date(s.expiry_date),
        Col::Amount => s.amount.map_or(Val::Null, |a| Val::Int(a.stored())),
        Col::Accounts => s.accounts.map_or(Val::Null, Val::Int),
        Col::RunStatus => s.run_status.map_or(Val::Null, |r| Val::Text(r.id())),
        Col::RenewalOf => opt(&s.renewal_of),
        _ => unreachable!("not a service column: {c:?}"),
    }
}

fn customer_val(c: &Customer, col: Col) -> Val<'_> {
    c.get(col).map_or(Val::Null, Val::Text)
}

fn is_duplicate_key(e: &crate::Error) -> bool {
    matches!(e, crate::Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

fn hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A service as stored: the file's columns, then start, amount, status.
type StoredService = (Vec<Value>, Option<String>, Option<i64>, Option<String>);

/// Outcome of one row, for the counts.
enum Did {
    New,
    Updated,
    Renewed,
    Corrected,
    Stale,
    Unchanged,
}

/// The statements of a load, per engine: SQLite's prepared once on its
/// connection (the hot path, as it always was); PostgreSQL's as text,
/// which the session prepares once and keeps.
// One per import, never moved in a loop: SQLite's statements stay inline.
#[allow(clippy::large_enum_variant)]
enum Stmts<'c> {
    Lite(LiteStmts<'c>),
    Pg(Texts),
}

struct LiteStmts<'c> {
    insert_customer: Statement<'c>,
    update_customer: Statement<'c>,
    get_customer: Statement<'c>,
    insert_service: Statement<'c>,
    update_service: Statement<'c>,
    update_attributes: Option<Statement<'c>>,
    get_service: Statement<'c>,
    exists_service: Statement<'c>,
}

/// The statements' text, for the columns this file has.
struct Texts {
    insert_customer: String,
    update_customer: String,
    get_customer: String,
    insert_service: String,
    update_service: String,
    update_attributes: Option<String>,
    get_service: String,
}

/// A first import into an empty book on PostgreSQL: the rows gathered
/// here and loaded through COPY at the end (`Loader::finish`), customers
/// first (services refer to them).
#[derive(Default)]
struct CopyIn {
    /// Each customer once, as its last row gave it.
    customers: Vec<Arc<Customer>>,
    customer_at: FxHashMap<String, usize>,
    /// The services' rows in COPY's text format.
    services: Vec<u8>,
    /// The service ids written: a repeat is a bad row.
    service_ids: FxHashSet<Box<str>>,
    /// The services went to the server while the file was read
    /// (`Loader::stream`): only the customers are left for the end.
    streamed: bool,
}

pub(crate) struct Loader<'c> {
    conn: &'c Conn,
    st: Stmts<'c>,
    /// PostgreSQL's first import: rows gathered for COPY.
    copy: Option<CopyIn>,
    who: Actor,
    /// The day and rules a closed term's status is judged on.
    at: AsOf,
    /// Both tables were empty at the start: no lookups, indexes built last
    /// (SQLite), or the rows loaded through COPY (PostgreSQL).
    bulk: bool,
    /// In bulk mode, the secondary indexes of `services` (name, SQL) to
    /// build at the end.
    indexes: Vec<(String, String)>,
    customer_cols: Vec<Col>,
    /// Where `budget_date` is among `customer_cols`, when the file has it:
    /// a change moves the customer's budget cycles (`db::budgets`).
    budget_at: Option<usize>,
    service_cols: Vec<Col>,
    /// The service's columns but its term's, for a stale row.
    attribute_cols: Vec<Col>,
    has_start: bool,
    /// Outside bulk mode, 64-bit hashes of the ids seen in this file: 8
    /// bytes an id, not the id. A hit is confirmed against the database.
    /// In bulk mode the table's primary key does that job for free.
    seen_services: FxHashSet<u64>,
    /// Rows written: as many services of the file, each once (a repeat
    /// is a bad row), all stored now.
    written: u64,
    seen_customers: FxHashSet<u64>,
    /// Outside bulk mode, the stored ids that are digits with leading
    /// zeros (`000123`), hashed without them (with their table): a file's
    /// all-digit id that hits one may be that id as a spreadsheet left it
    /// (`zeros_dropped`). Loaded once; empty for ids like `C0001`.
    padded: FxHashSet<u64>,
    /// The longest of those ids.
    padded_len: usize,
    /// Bulk mode: the last service id, while ids have only gone up. A
    /// larger id cannot be in the (empty at start) table yet.
    rising: Option<String>,
    prev: Option<(u64, Arc<Customer>)>,
    /// Services whose accounts this file changed: their stored indicators
    /// use the service's accounts where a usage row has none.
    accounts_changed: Vec<String>,
    /// PostgreSQL outside bulk mode: the stored services and customers of
    /// the batch being written (`prefetch`), `None` for those not stored;
    /// each taken once, so what a row wrote is read again from the table.
    cached_services: FxHashMap<String, Option<StoredService>>,
    cached_customers: FxHashMap<String, Option<Vec<Value>>>,
    pub summary: Summary,
}

const MAX_WARNINGS: usize = 20;

/// How many services the summary names in each list.
const MAX_LISTED: usize = 20;

impl<'c> Loader<'c> {
    /// Prepares the statements for the columns this file has. `conn` is
    /// the open transaction.
    pub(crate) fn new(conn: &'c Conn, header: &Header, who: Actor, at: AsOf) -> Result<Loader<'c>> {
        let customer_cols: Vec<Col> = std::iter::once(Col::CustomerName)
            .chain(CUSTOMER_ATTRS)
            .filter(|&c| header.has(c))
            .collect();
        let service_cols: Vec<Col> = service_cols().filter(|&c| header.has(c)).collect();
        let names = |cols: &[Col]| cols.iter().map(|c| c.id()).collect::<Vec<_>>();
        let marks = |n: usize| {
            (1..=n)
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sets = |cols: &[Col]| {
            cols.iter()
                .enumerate()
                .map(|(i, c)| format!("{} = ?{}", c.id(), i + 2))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let cn = names(&customer_cols);
        let sn = names(&service_cols);
        let pg = conn.kind() == sql::Kind::Pg;
        let empty: bool = conn.one(
            "SELECT NOT EXISTS (SELECT 1 FROM services) AND NOT EXISTS (SELECT 1 FROM customers)",
            args![],
        )?;
        // PostgreSQL's first import goes through COPY, unless a row can
        // reach back to an earlier one of the file (a renewal_of, a budget
        // cycle): then row by row, looking up what is written.
        let copy = pg && empty && !header.has(Col::RenewalOf) && !header.has(Col::BudgetDate);
        let bulk = empty && (copy || !pg);
        // The schema is the one list of indexes: dropped here as it
        // defines them, rebuilt by `finish` from the same text.
        let indexes = if bulk && !pg {
            service_indexes(conn.lite()?)?
        } else if copy {
            pg_deferred(conn)?
        } else {
            Vec::new()
        };
        for (name, _) in &indexes {
            match name.strip_prefix("fk:") {
                Some(fk) => {
                    conn.batch(&format!("ALTER TABLE services DROP CONSTRAINT \"{fk}\""))?
                }
                None => conn.batch(&format!("DROP INDEX \"{name}\""))?,
            }
        }
        let (padded, padded_len) = if bulk {
            (FxHashSet::default(), 0)
        } else {
            padded_ids(conn)?
        };
        // The day a row arrived, for the book as of an earlier day (a
        // literal: the same for every row, the binding positions stay the
        // columns'). The first list is the book the tool started from: it
        // has always been there.
        let added = if empty {
            "NULL".to_string()
        } else {
            format!("'{}'", iso(at.today))
        };
        // A stale row's term (start, expiry, amount) is ignored.
        let attribute_cols: Vec<Col> = service_cols
            .iter()
            .copied()
            .filter(|c| !TERM_COLS.contains(c))
            .collect();
        let texts = Texts {
            insert_customer: format!(
                "INSERT INTO customers(customer_id, {}, added) VALUES ({}, {})",
                cn.join(", "),
                marks(cn.len() + 1),
                added
            ),
            update_customer: format!(
                "UPDATE customers SET {} WHERE customer_id = ?1",
                sets(&customer_cols)
            ),
            get_customer: format!(
                "SELECT {} FROM customers WHERE customer_id = ?1",
                cn.join(", ")
            ),
            insert_service: format!(
                "INSERT INTO services(service_id, {}, added) VALUES ({}, {})",
                sn.join(", "),
                marks(sn.len() + 1),
                added
            ),
            update_service: format!(
                "UPDATE services SET {} WHERE service_id = ?1",
                sets(&service_cols)
            ),
            update_attributes: (!attribute_cols.is_empty()).then(|| {
                format!(
                    "UPDATE services SET {} WHERE service_id = ?1",
                    sets(&attribute_cols)
                )
            }),
            get_service: format!(
                "SELECT {}, start_date, amount, status FROM services WHERE service_id = ?1",
                sn.join(", ")
            ),
        };
        let st = match conn {
            Conn::Lite(c) => Stmts::Lite(LiteStmts {
                insert_customer: c.prepare(&texts.insert_customer)?,
                update_customer: c.prepare(&texts.update_customer)?,
                get_customer: c.prepare(&texts.get_customer)?,
                insert_service: c.prepare(&texts.insert_service)?,
                update_service: c.prepare(&texts.update_service)?,
                update_attributes: match &texts.update_attributes {
                    Some(t) => Some(c.prepare(t)?),
                    None => None,
                },
                get_service: c.prepare(&texts.get_service)?,
                exists_service: c.prepare("SELECT 1 FROM services WHERE service_id = ?1")?,
            }),
            #[cfg(feature = "team")]
            Conn::Pg(_) => Stmts::Pg(texts),
        };
        Ok(Loader {
            conn,
            st,
            copy: copy.then(CopyIn::default),
            who,
            at,
            bulk,
            indexes,
            has_start: header.has(Col::StartDate),
            budget_at: customer_cols.iter().position(|&c| c == Col::BudgetDate),
            customer_cols,
            service_cols,
            attribute_cols,
            seen_services: FxHashSet::default(),
            written: 0,
            seen_customers: FxHashSet::default(),
            padded,
            padded_len,
            rising: (bulk && !pg).then(String::new),
            prev: None,
            accounts_changed: Vec::new(),
            cached_services: FxHashMap::default(),
            cached_customers: FxHashMap::default(),
            summary: Summary::default(),
        })
    }

    /// On PostgreSQL outside bulk mode, reads the stored services and
    /// customers of the batch's rows in one statement each, instead of a
    /// round trip for each row. (SQLite reads its own pages: nothing to do.)
    pub(crate) fn prefetch(&mut self, items: &[Item]) -> Result<()> {
        let Stmts::Pg(_) = &self.st else {
            return Ok(());
        };
        if self.bulk {
            return Ok(());
        }
        self.cached_services.clear();
        self.cached_customers.clear();
        for i in items {
            if let Item::Row(r) = i {
                self.cached_services.insert(r.service.id.clone(), None);
                self.cached_customers.insert(r.customer.id.clone(), None);
            }
        }
        if self.cached_services.is_empty() {
            return Ok(());
        }
        let list = |m: &[&String]| serde_json::to_string(m).expect("strings serialise");
        let ids = list(&self.cached_services.keys().collect::<Vec<_>>());
        let (n, sn) = (self.service_cols.len(), self.service_col_list());
        let mut found = Vec::new();
        self.conn.each(
            &format!(
                "SELECT service_id, {sn}, start_date, amount, status FROM services
                 WHERE service_id IN (SELECT json_array_elements_text(CAST(?1 AS json)))"
            ),
            args![ids],
            &mut |r| {
                let v = (1..=n)
                    .map(|i| Ok(lite_value(r.value(i)?)))
                    .collect::<Result<_>>()?;
                let id: String = r.get(0)?;
                found.push((id, (v, r.get(n + 1)?, r.get(n + 2)?, r.get(n + 3)?)));
                Ok(())
            },
        )?;
        for (id, stored) in found {
            self.cached_services.insert(id, Some(stored));
        }
        let ids = list(&self.cached_customers.keys().collect::<Vec<_>>());
        let cn: String = self
            .customer_cols
            .iter()
            .map(|c| format!(", {}", c.id()))
            .collect();
        let n = self.customer_cols.len();
        let mut found = Vec::new();
        self.conn.each(
            &format!(
                "SELECT customer_id{cn} FROM customers
                 WHERE customer_id IN (SELECT json_array_elements_text(CAST(?1 AS json)))"
            ),
            args![ids],
            &mut |r| {
                let v = (1..=n)
                    .map(|i| Ok(lite_value(r.value(i)?)))
                    .collect::<Result<_>>()?;
                found.push((r.get::<String>(0)?, v));
                Ok(())
            },
        )?;
        for (id, stored) in found {
            self.cached_customers.insert(id, Some(stored));
        }
        Ok(())
    }

    fn service_col_list(&self) -> String {
        self.service_cols
            .iter()
            .map(|c| c.id())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Writes one row. A row that breaks a rule needing the database (a
    /// duplicate id, an unknown `renewal_of`) comes back as a bad row and
    /// writes nothing.
    pub(crate) fn apply(&mut self, row: &Row) -> Result<Result<(), BadRow>> {
        let s = &row.service;
        if self.seen_before(&s.id)? {
            return Ok(Err(self.bad(
                row,
                Col::ServiceId,
                &s.id,
                &im::import_duplicate_service(),
            )));
        }
        if !self.padded.is_empty() {
            if let Some(bad) = self.zeros_dropped(row)? {
                return Ok(Err(bad));
            }
        }
        let renews = match &s.renewal_of {
            Some(old) => match renewal::current_term(self.conn, old)? {
                Some(t) => Some(t),
                None => {
                    return Ok(Err(self.bad(
                        row,
                        Col::RenewalOf,
                        old,
                        &im::import_unknown_renewal_of(),
                    )))
                }
            },
            None => None,
        };
        self.customer(row)?;
        let did = self.service(row)?;
        self.written += 1;
        let c = &mut self.summary.services;
        match did {
            Did::New => c.new += 1,
            Did::Updated => c.updated += 1,
            Did::Renewed => c.renewed += 1,
            Did::Corrected => c.corrected += 1,
            Did::Stale => c.stale += 1,
            Did::Unchanged => c.unchanged += 1,
        }
        if let Some(old) = renews {
            // A renewal changes another service: read it again.
            self.cached_services.clear();
            let expiry = iso(s.expiry_date);
            let amount = s.amount.map(Cents::stored);
            // Renewed here already (by hand, or by a later expiry): the new
            // service is linked to that renewal, not a second one.
            if let Some(before) = renewal::renewed_into(self.conn, &old)? {
                if expiry <= old.expiry_date {
                    renewal::link(self.conn, &s.id, &before)?;
                    return Ok(Ok(()));
                }
            }
            if renewal::renewed_by(self.conn, &old, &s.id, &expiry, amount, &self.who, self.at)? {
                self.summary.services.renewed += 1;
            }
        }
        Ok(Ok(()))
    }

    /// A row whose customer or service id is a stored id less its
    /// leading zeros (`123` where the database has `000123` and no
    /// `123`): a spreadsheet dropped them, and the row would add a
    /// customer or service that is not new. Refused, naming the stored id.
    fn zeros_dropped(&mut self, row: &Row) -> Result<Option<BadRow>> {
        let ids = [
            (Col::CustomerId, Table::Customers, row.customer.id.as_str()),
            (Col::ServiceId, Table::Services, row.service.id.as_str()),
        ];
        for (col, table, id) in ids {
            let digits = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
            if !digits || id.starts_with('0') || !self.padded.contains(&padded_hash(table, id)) {
                continue;
            }
            let exists = |id: &str| -> Result<bool> {
                Ok(self
                    .conn
                    .row_opt(table.exists_sql(), args![id], |_| Ok(()))?
                    .is_some())
            };
            if exists(id)? {
                continue;
            }
            let mut padded = String::with_capacity(self.padded_len);
            for _ in id.len()..self.padded_len {
                padded.insert(0, '0');
                let candidate = format!("{padded}{id}");
                if exists(&candidate)? {
                    let reason = crate::msg::xlsx::zeros_dropped(&candidate);
                    return Ok(Some(self.bad(row, col, id, &reason)));
                }
            }
        }
        Ok(None)
    }

    /// A service id on a row the reader refused: in the file, so not
    /// absent.
    pub(crate) fn saw_service(&mut self, id: &str) {
        if !self.bulk {
            self.seen_services.insert(hash(id));
        }
    }

    /// Whether this service id was on an earlier row of this file: every
    /// row is checked before anything of it is written.
    fn seen_before(&mut self, id: &str) -> Result<bool> {
        if let Some(cp) = &self.copy {
            return Ok(cp.service_ids.contains(id));
        }
        if self.bulk {
            if let Some(last) = &mut self.rising {
                if id > last.as_str() {
                    last.clear();
                    last.push_str(id);
                    return Ok(false);
                }
                self.rising = None;
            }
            return self.exists_service(id);
        }
        Ok(!self.seen_services.insert(hash(id)) && self.exists_service(id)?)
    }

    fn exists_service(&mut self, id: &str) -> Result<bool> {
        match &mut self.st {
            Stmts::Lite(l) => Ok(l.exists_service.exists([id])?),
            Stmts::Pg(_) => Ok(self
                .conn
                .row_opt(
                    "SELECT 1 FROM services WHERE service_id = ?1",
                    args![id],
                    |_| Ok(()),
                )?
                .is_some()),
        }
    }

    fn bad(&self, row: &Row, col: Col, value: &str, reason: &str) -> BadRow {
        BadRow {
            line: row.line,
            column: col.id().to_string(),
            value: value.to_string(),
            reason: reason.to_string(),
            cells: row.cells(),
        }
    }

    fn warn(&mut self, msg: String) {
        self.summary.warning_count += 1;
        if self.summary.warnings.len() < MAX_WARNINGS {
            self.summary.warnings.push(msg);
        }
    }

    fn customer(&mut self, row: &Row) -> Result<()> {
        let c = &row.customer;
        let h = hash(&c.id);
        if let Some((ph, prev)) = &self.prev {
            if *ph == h && prev.id == c.id {
                if !Arc::ptr_eq(prev, c) && **prev != **c {
                    let prev = Arc::clone(prev);
                    self.warn(im::import_customer_differs_prev(row.line, &c.id));
                    self.write_customer(c, true)?;
                    self.budget_moved(&c.id, prev.get(Col::BudgetDate), c.get(Col::BudgetDate))?;
                    self.prev = Some((h, Arc::clone(c)));
                }
                return Ok(());
            }
        }
        // In bulk mode the primary key tells a first sighting from a repeat.
        let first_sight = if self.bulk {
            let known = self
                .copy
                .as_ref()
                .is_some_and(|cp| cp.customer_at.contains_key(&c.id));
            let written = if known {
                Err(None)
            } else {
                self.write_customer(c, false).map_err(Some)
            };
            match written {
                Ok(()) => {
                    self.budget_moved(&c.id, None, c.get(Col::BudgetDate))?;
                    self.summary.customers.new += 1;
                    self.prev = Some((h, Arc::clone(c)));
                    return Ok(());
                }
                Err(None) => false,
                Err(Some(e)) if is_duplicate_key(&e) => false,
                Err(Some(e)) => return Err(e),
            }
        } else {
            self.seen_customers.insert(h)
        };
        let did = {
            let cols = self.customer_cols.clone();
            let stored = self.get_customer(&c.id)?;
            match stored {
                None => {
                    self.write_customer(c, false)?;
                    self.budget_moved(&c.id, None, c.get(Col::BudgetDate))?;
                    Did::New
                }
                Some(v)
                    if cols
                        .iter()
                        .zip(&v)
                        .all(|(&col, v)| customer_val(c, col).same_as(v)) =>
                {
                    Did::Unchanged
                }
                Some(v) => {
                    if !first_sight {
                        self.warn(im::import_customer_differs_earlier(row.line, &c.id));
                    }
                    let changes: Vec<(Col, Option<String>, Option<String>)> = cols
                        .iter()
                        .zip(&v)
                        .filter(|(col, _)| TRACKED.contains(col))
                        .filter(|(&col, v)| !customer_val(c, col).same_as(v))
                        .map(|(&col, v)| (col, text_of(col, v), c.get(col).map(str::to_string)))
                        .collect();
                    self.attributes(&c.id, "", None, &changes)?;
                    self.write_customer(c, true)?;
                    let old = self.budget_at.and_then(|i| match &v[i] {
                        Value::Text(t) => Some(t.as_str()),
                        _ => None,
                    });
                    self.budget_moved(&c.id, old, c.get(Col::BudgetDate))?;
                    Did::Updated
                }
            }
        };
        if first_sight {
            let n = &mut self.summary.customers;
            match did {
                Did::New => n.new += 1,
                Did::Unchanged => n.unchanged += 1,
                _ => n.updated += 1,
            }
        }
        self.prev = Some((h, Arc::clone(c)));
        Ok(())
    }

    fn write_customer(&mut self, c: &Arc<Customer>, update: bool) -> Result<()> {
        if let Some(cp) = &mut self.copy {
            match cp.customer_at.get(&c.id) {
                Some(&i) => cp.customers[i] = Arc::clone(c),
                None => {
                    cp.customer_at.insert(c.id.clone(), cp.customers.len());
                    cp.customers.push(Arc::clone(c));
                }
            }
            return Ok(());
        }
        match &mut self.st {
            Stmts::Lite(l) => {
                let stmt = if update {
                    &mut l.update_customer
                } else {
                    &mut l.insert_customer
                };
                stmt.raw_bind_parameter(1, &c.id)?;
                for (i, &col) in self.customer_cols.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 2, customer_val(c, col))?;
                }
                stmt.raw_execute()?;
            }
            Stmts::Pg(t) => {
                let sql = if update {
                    &t.update_customer
                } else {
                    &t.insert_customer
                };
                let vals: Vec<Val> = self
                    .customer_cols
                    .iter()
                    .map(|&col| customer_val(c, col))
                    .collect();
                let mut a: Vec<&dyn Arg> = vec![&c.id];
                a.extend(vals.iter().map(|v| v as &dyn Arg));
                self.conn.execute(sql, &a)?;
            }
        }
        Ok(())
    }

    /// The stored customer's values of `customer_cols`.
    fn get_customer(&mut self, id: &str) -> Result<Option<Vec<Value>>> {
        let n = self.customer_cols.len();
        if let Some(cp) = &self.copy {
            return Ok(cp.customer_at.get(id).map(|&i| {
                let c = &cp.customers[i];
                self.customer_cols
                    .iter()
                    .map(|&col| owned(customer_val(c, col)))
                    .collect()
            }));
        }
        if let Some(hit) = self.cached_customers.remove(id) {
            return Ok(hit);
        }
        match &mut self.st {
            Stmts::Lite(l) => Ok(l
                .get_customer
                .query_row([id], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .optional()?),
            Stmts::Pg(t) => self.conn.row_opt(&t.get_customer, args![id], |r| {
                (0..n).map(|i| Ok(lite_value(r.value(i)?))).collect()
            }),
        }
    }

    /// A budget date the file gives that differs from the one before (a
    /// file without the column changes none): the customer's budget
    /// cycles follow, with their history entry.
    fn budget_moved(&mut self, id: &str, old: Option<&str>, new: Option<&str>) -> Result<()> {
        if self.budget_at.is_none() || old == new {
            return Ok(());
        }
        let day = |d: Option<&str>| d.and_then(from_iso);
        super::budgets::date_changed(self.conn, id, day(old), day(new), &self.who)
    }

    /// One `attribute` entry per changed column (the column in the note).
    fn attributes(
        &mut self,
        customer_id: &str,
        service_id: &str,
        term_expiry: Option<&str>,
        changes: &[(Col, Option<String>, Option<String>)],
    ) -> Result<()> {
        for (col, from, to) in changes {
            append(
                self.conn,
                &NewEntry {
                    kind: Kind::Attribute,
                    service_id,
                    customer_id,
                    term_expiry,
                    from: from.as_deref(),
                    to: to.as_deref(),
                    reason: None,
                    note: Some(col.id()),
                },
                &self.who,
            )?;
        }
        Ok(())
    }

    /// An expiry correction of the current term, in the history.
    fn correct(&mut self, old: &Term, new_expiry: &str) -> Result<()> {
        append(
            self.conn,
            &NewEntry {
                kind: Kind::ExpiryCorrection,
                service_id: &old.service_id,
                customer_id: &old.customer_id,
                term_expiry: Some(&old.expiry_date),
                from: Some(&old.expiry_date),
                to: Some(new_expiry),
                reason: None,
                note: None,
            },
            &self.who,
        )?;
        if self.summary.corrected.len() < MAX_LISTED {
            self.summary.corrected.push(old.service_id.clone());
        }
        Ok(())
    }

    /// A stale row: every column the file has but the term's.
    fn write_attributes(&mut self, s: &ServiceRow, customer_id: &str) -> Result<()> {
        let cols = &self.attribute_cols;
        match &mut self.st {
            Stmts::Lite(l) => {
                let Some(stmt) = &mut l.update_attributes else {
                    return Ok(());
                };
                stmt.raw_bind_parameter(1, &s.id)?;
                for (i, &col) in cols.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 2, service_val(s, customer_id, col))?;
                }
                stmt.raw_execute()?;
            }
            Stmts::Pg(t) => {
                let Some(sql) = &t.update_attributes else {
                    return Ok(());
                };
                pg_service(self.conn, sql, s, customer_id, cols)?;
            }
        }
        Ok(())
    }

    fn write_service(&mut self, s: &ServiceRow, customer_id: &str, update: bool) -> Result<()> {
        if let (Some(cp), false) = (&mut self.copy, update) {
            cp.service_ids.insert(s.id.as_str().into());
            let out = &mut cp.services;
            copy_text(out, &s.id);
            for &col in &self.service_cols {
                out.push(b'\t');
                copy_field(out, &service_val(s, customer_id, col));
            }
            out.push(b'\n');
            return Ok(());
        }
        match &mut self.st {
            Stmts::Lite(l) => {
                let stmt = if update {
                    &mut l.update_service
                } else {
                    &mut l.insert_service
                };
                stmt.raw_bind_parameter(1, &s.id)?;
                for (i, &col) in self.service_cols.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 2, service_val(s, customer_id, col))?;
                }
                stmt.raw_execute()?;
            }
            Stmts::Pg(t) => {
                let sql = if update {
                    &t.update_service
                } else {
                    &t.insert_service
                };
                pg_service(self.conn, sql, s, customer_id, &self.service_cols)?;
            }
        }
        Ok(())
    }

    /// The stored service: its `service_cols`, then start, amount, status.
    fn get_service(&mut self, id: &str) -> Result<Option<StoredService>> {
        let n = self.service_cols.len();
        if let Some(hit) = self.cached_services.remove(id) {
            return Ok(hit);
        }
        match &mut self.st {
            Stmts::Lite(l) => Ok(l
                .get_service
                .query_row([id], |r| {
                    let v = (0..n)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<_>>()?;
                    Ok((v, r.get(n)?, r.get(n + 1)?, r.get(n + 2)?))
                })
                .optional()?),
            Stmts::Pg(t) => self.conn.row_opt(&t.get_service, args![id], |r| {
                let v = (0..n)
                    .map(|i| Ok(lite_value(r.value(i)?)))
                    .collect::<Result<_>>()?;
                Ok((v, r.get(n)?, r.get(n + 1)?, r.get(n + 2)?))
            }),
        }
    }

    fn service(&mut self, row: &Row) -> Result<Did> {
        let s = &row.service;
        let cid = row.customer.id.as_str();
        if self.bulk {
            // Not in the database before this import; a repeat was caught above.
            self.write_service(s, cid, false)?;
            return Ok(Did::New);
        }
        let stored = self.get_service(&s.id)?;
        let Some((values, start, amount, status)) = stored else {
            self.write_service(s, cid, false)?;
            return Ok(Did::New);
        };
        let same = self
            .service_cols
            .iter()
            .zip(&values)
            .all(|(&c, v)| service_val(s, cid, c).same_as(v));
        if same {
            return Ok(Did::Unchanged);
        }
        let accounts_at = self.service_cols.iter().position(|&c| c == Col::Accounts);
        if accounts_at.is_some_and(|i| !service_val(s, cid, Col::Accounts).same_as(&values[i])) {
            self.accounts_changed.push(s.id.clone());
        }
        let ei = self
            .service_cols
            .iter()
            .position(|&c| c == Col::ExpiryDate)
            .expect("required");
        let Value::Text(old_expiry) = &values[ei] else {
            unreachable!("expiry_date is NOT NULL TEXT")
        };
        let new_expiry = iso(s.expiry_date);
        let changes = self.tracked_changes(s, cid, &values, new_expiry != *old_expiry);
        self.attributes(cid, &s.id, Some(old_expiry), &changes)?;
        let old = Term {
            service_id: s.id.clone(),
            customer_id: cid.to_string(),
            start_date: start,
            expiry_date: old_expiry.clone(),
            amount,
            status: crate::status::Status::from_db(status.as_deref()),
        };
        let renewed_upto = renewal::last_closed_expiry(self.conn, &s.id)?;
        if new_expiry < *old_expiry && renewed_upto.as_ref().is_some_and(|r| new_expiry <= *r) {
            // Rule 4: the platform's list lags behind a renewal recorded
            // here. The renewal stands; the row's other values apply.
            self.write_attributes(s, cid)?;
            if self.summary.stale.len() < MAX_LISTED {
                self.summary.stale.push(s.id.clone());
            }
            return Ok(Did::Stale);
        }
        // A later expiry on a renewed term that has not started yet (the
        // platform a day off from a renewal recorded early) corrects it.
        let not_started = old
            .start_date
            .as_deref()
            .and_then(from_iso)
            .is_some_and(|d| d > self.at.today);
        let corrects_renewal = new_expiry > *old_expiry && not_started && renewed_upto.is_some();
        self.write_service(s, cid, true)?;
        if corrects_renewal {
            self.correct(&old, &new_expiry)?;
            return Ok(Did::Corrected);
        }
        match new_expiry.cmp(&old.expiry_date) {
            std::cmp::Ordering::Greater => {
                self.renew(s, &old, &new_expiry)?;
                Ok(Did::Renewed)
            }
            std::cmp::Ordering::Less => {
                self.correct(&old, &new_expiry)?;
                Ok(Did::Corrected)
            }
            std::cmp::Ordering::Equal => Ok(Did::Updated),
        }
    }

    /// Rule 4 by a later expiry: the old term closes as renewed; the new
    /// one starts on the file's start_date, else the day after the old.
    fn renew(&mut self, s: &ServiceRow, old: &Term, new_expiry: &str) -> Result<()> {
        let new_amount = if self.service_cols.contains(&Col::Amount) {
            s.amount.map(Cents::stored)
        } else {
            old.amount
        };
        if !self.has_start {
            let next = old
                .expiry_date
                .parse::<NaiveDate>()
                .ok()
                .and_then(|d| d.checked_add_days(Days::new(1)))
                .map(iso);
            self.conn.execute(
                "UPDATE services SET start_date = ?2 WHERE service_id = ?1",
                args![s.id, next],
            )?;
        }
        renewal::extend(self.conn, old, new_expiry, new_amount, &self.who, self.at)
    }

    /// What the row changes in the tracked columns, for the history (rule
    /// 5); with a new or corrected term, the amount is the term's.
    fn tracked_changes(
        &self,
        s: &ServiceRow,
        cid: &str,
        stored: &[Value],
        term_moves: bool,
    ) -> Vec<(Col, Option<String>, Option<String>)> {
        self.service_cols
            .iter()
            .zip(stored)
            .filter(|(col, _)| TRACKED.contains(col) && !(term_moves && **col == Col::Amount))
            .filter(|(&col, v)| !service_val(s, cid, col).same_as(v))
            .map(|(&col, v)| {
                (
                    col,
                    text_of(col, v),
                    text_of(col, &owned(service_val(s, cid, col))),
                )
            })
            .collect()
    }

    /// Builds the indexes a bulk load left out, or finds the absent
    /// services.
    pub(crate) fn finish(mut self) -> Result<Summary> {
        if let Some(cp) = self.copy.take() {
            self.copy_in(cp)?;
        }
        if !self.indexes.is_empty() {
            if self.conn.kind() == sql::Kind::Lite {
                self.conn.batch("PRAGMA threads = 2")?;
            }
            for (_, sql) in &self.indexes {
                self.conn.batch(sql)?;
            }
        }
        if !self.accounts_changed.is_empty() {
            match self.conn.lite() {
                Ok(c) => super::health::Store::new(c)?.refresh(&self.accounts_changed)?,
                Err(_) => super::health::refresh_any(self.conn, &self.accounts_changed)?,
            }
        }
        if !self.bulk {
            // As many stored as the file wrote: they are the same services.
            let stored: u64 = self.conn.one("SELECT count(*) FROM services", args![])?;
            if stored != self.written {
                self.absent()?;
            }
        }
        Ok(self.summary)
    }

    /// Whether the services can go to the server as the file is read
    /// (`stream`): PostgreSQL's first import with the foreign key to
    /// `customers` dropped (`pg_deferred`), the customers loaded after.
    pub(crate) fn streams(&self) -> bool {
        self.copy.is_some() && self.indexes.iter().any(|(n, _)| n.starts_with("fk:"))
    }

    /// Loads the services through one COPY while `next` feeds the rows
    /// (a batch a call, `false` once there are no more): each batch's
    /// rows are on their way while the next is read. An error of `next`
    /// abandons the COPY (the transaction then rolls back).
    pub(crate) fn stream(&mut self, mut next: impl FnMut(&mut Self) -> Result<bool>) -> Result<()> {
        let conn = self.conn;
        let sql = format!(
            "COPY services (service_id{}) FROM STDIN",
            copy_cols(&self.service_cols)
        );
        conn.copy_in(&sql, |w| loop {
            let more = next(self)?;
            let cp = self.copy.as_mut().expect("streams in COPY mode");
            if !more || cp.services.len() >= 1 << 16 {
                w.write_all(&cp.services).map_err(copy_failed)?;
                cp.services.clear();
            }
            if !more {
                cp.streamed = true;
                return Ok(());
            }
        })?;
        Ok(())
    }

    /// PostgreSQL's first import: the customers, then the services,
    /// through COPY.
    fn copy_in(&self, cp: CopyIn) -> Result<()> {
        let cols = copy_cols;
        let failed = copy_failed;
        let customer_cols = &self.customer_cols;
        self.conn.copy_in(
            &format!(
                "COPY customers (customer_id{}) FROM STDIN",
                cols(customer_cols)
            ),
            |w| {
                let mut out = Vec::with_capacity(1 << 16);
                for c in &cp.customers {
                    copy_text(&mut out, &c.id);
                    for &col in customer_cols {
                        out.push(b'\t');
                        copy_field(&mut out, &customer_val(c, col));
                    }
                    out.push(b'\n');
                    if out.len() >= 1 << 16 {
                        w.write_all(&out).map_err(failed)?;
                        out.clear();
                    }
                }
                w.write_all(&out).map_err(failed)
            },
        )?;
        if cp.streamed {
            return Ok(());
        }
        self.conn.copy_in(
            &format!(
                "COPY services (service_id{}) FROM STDIN",
                cols(&self.service_cols)
            ),
            |w| {
                for chunk in cp.services.chunks(1 << 16) {
                    w.write_all(chunk).map_err(failed)?;
                }
                Ok(())
            },
        )?;
        Ok(())
    }

    /// The stored services whose id this file did not name, in one scan
    /// of the table against the hashes of the ids seen (a hash collision
    /// could hide one absent service, never make one up).
    fn absent(&mut self) -> Result<()> {
        let sql = match self.conn.kind() {
            sql::Kind::Lite => "SELECT service_id FROM services ORDER BY service_id",
            sql::Kind::Pg => "SELECT service_id FROM services ORDER BY service_id COLLATE \"C\"",
        };
        let (seen, summary) = (&self.seen_services, &mut self.summary);
        self.conn.each(sql, args![], &mut |r| {
            let sql::Value::Text(id) = r.value(0)? else {
                return Ok(());
            };
            if !seen.contains(&hash(&id)) {
                summary.services.absent += 1;
                if summary.absent.len() < MAX_LISTED {
                    summary.absent.push(id.into_owned());
                }
            }
            Ok(())
        })
    }
}

/// A service's row written on PostgreSQL: `sql` binds the id, then `cols`.
fn pg_service(
    conn: &Conn,
    sql: &str,
    s: &ServiceRow,
    customer_id: &str,
    cols: &[Col],
) -> Result<()> {
    let vals: Vec<Val> = cols
        .iter()
        .map(|&col| service_val(s, customer_id, col))
        .collect();
    let mut a: Vec<&dyn Arg> = vec![&s.id];
    a.extend(vals.iter().map(|v| v as &dyn Arg));
    conn.execute(sql, &a)?;
    Ok(())
}

/// The two tables whose ids a spreadsheet may strip of leading zeros.
#[derive(Clone, Copy)]
enum Table {
    Customers,
    Services,
}

impl Table {
    fn exists_sql(self) -> &'static str {
        match self {
            Table::Customers => "SELECT 1 FROM customers WHERE customer_id = ?1",
            Table::Services => "SELECT 1 FROM services WHERE service_id = ?1",
        }
    }
}

/// An id less its leading zeros, with its table, hashed.
fn padded_hash(table: Table, stripped: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (table as u8).hash(&mut h);
    stripped.hash(&mut h);
    h.finish()
}

/// The stored ids that are digits with leading zeros, hashed without
/// them (`padded_hash`), and the longest one's length: a range of each
/// primary key (ids starting with `0`), nothing read when there are none.
fn padded_ids(conn: &Conn) -> Result<(FxHashSet<u64>, usize)> {
    let mut set = FxHashSet::default();
    let mut longest = 0;
    for (table, sql) in [
        (
            Table::Customers,
            "SELECT customer_id FROM customers WHERE customer_id >= '0' AND customer_id < '1'",
        ),
        (
            Table::Services,
            "SELECT service_id FROM services WHERE service_id >= '0' AND service_id < '1'",
        ),
    ] {
        conn.each(sql, args![], &mut |r| {
            let sql::Value::Text(id) = r.value(0)? else {
                return Ok(());
            };
            if !id.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(());
            }
            let stripped = id.trim_start_matches('0');
            if !stripped.is_empty() {
                set.insert(padded_hash(table, stripped));
                longest = longest.max(id.len());
            }
            Ok(())
        })?;
    }
    Ok((set, longest))
}

/// `, col` for each column, after the id in a COPY's column list.
fn copy_cols(cols: &[Col]) -> String {
    cols.iter().map(|c| format!(", {}", c.id())).collect()
}

fn copy_failed(e: std::io::Error) -> Error {
    Error::Team(format!("COPY: {e}"))
}

/// The key of the advisory lock PostgreSQL's imports take in turn.
const IMPORT_LOCK: i64 = 0x7861_6173_696d_7074; // "xaasimpt"

/// PostgreSQL: imports into one book take turns, from before the
/// transaction (and its snapshot) begins. A first import drops and
/// rebuilds the indexes of `services` (`pg_deferred`): two at once would
/// wait on each other's reads (a deadlock), and one that waited inside
/// its transaction would still see the tables as they were before the
/// other's (empty, with indexes that are gone). Held until `end_turn` or
/// the end of the session. Nothing on SQLite (its writes take turns).
pub(crate) fn take_turn(conn: &Conn) -> Result<()> {
    if conn.kind() == sql::Kind::Pg {
        conn.batch(&format!("SELECT pg_advisory_lock({IMPORT_LOCK})"))?;
    }
    Ok(())
}

pub(crate) fn end_turn(conn: &Conn) -> Result<()> {
    if conn.kind() == sql::Kind::Pg {
        conn.batch(&format!("SELECT pg_advisory_unlock({IMPORT_LOCK})"))?;
    }
    Ok(())
}

/// PostgreSQL's first import, when the login owns `services`: its
/// secondary indexes and foreign keys (a foreign key's name prefixed
/// `fk:`), each with the statement that makes it again, to drop before
/// COPY and make after it in the same transaction: built once from the
/// loaded rows, checked in one join, instead of row by row. Another
/// login keeps them (only the owner may drop them).
fn pg_deferred(conn: &Conn) -> Result<Vec<(String, String)>> {
    let owner: bool = conn.one(
        "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema()
                        AND tablename = 'services' AND tableowner = session_user)",
        args![],
    )?;
    if !owner {
        return Ok(Vec::new());
    }
    let mut out: Vec<(String, String)> = conn.rows(
        "SELECT c.relname::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = 'services'::regclass AND NOT i.indisunique
          ORDER BY 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let fks: Vec<(String, String)> = conn.rows(
        "SELECT conname::text, pg_get_constraintdef(oid)
           FROM pg_constraint WHERE conrelid = 'services'::regclass AND contype = 'f'
          ORDER BY 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    out.extend(fks.into_iter().map(|(name, def)| {
        let sql = format!("ALTER TABLE services ADD CONSTRAINT \"{name}\" {def}");
        (format!("fk:{name}"), sql)
    }));
    Ok(out)
}

/// The secondary indexes of `services` as the schema created them.
fn service_indexes(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'index' AND tbl_name = 'services' AND sql IS NOT NULL ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
