//! Streams what `stats` folds: customers (with the customer filters), the
//! matching services, their renewed terms, and who was followed up. No
//! join and no per-service query: customers are looked up in memory.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::sql::{self, args, Kind, Sql, Value};
use super::Db;
use rustc_hash::FxHashMap;

use super::health::Walk;
use super::query::{where_clause, Reading};
use crate::clock::AsOf;
use crate::columns::Col;
use crate::date::{from_iso_bytes, iso};
use crate::error::Result;
use crate::filter::Filters;
use crate::money::Cents;
use crate::service::ServiceType;
use crate::stats::series::{Series, SeriesFold, Unit};
use crate::stats::{CustomerKey, Dim, Fold, Period, Sink, Stats, NO_VALUE};
use crate::status::{Reason, Status};

/// Names to small numbers, in first-seen order.
#[derive(Clone, Default)]
struct Names {
    index: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, name: Option<&str>) -> u32 {
        let name = name.filter(|s| !s.is_empty()).unwrap_or(NO_VALUE);
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.to_string(), i);
        self.names.push(name.to_string());
        i
    }
}

/// The customer column a split groups by: the CSM column, read once
/// more, when the split is not by a customer attribute (unused then).
fn dim_column(by: Option<Dim>) -> String {
    let col = by.and_then(Dim::column).unwrap_or(Col::Csm);
    format!("c.{}", col.id())
}

/// The figures over the services matching `f`. The services are read in
/// two halves on two threads (each with its own connection) when their
/// ids can be split; the halves' folds are merged.
pub(crate) fn compute(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    read: &Reading,
) -> Result<Stats> {
    compute_split(db, f, by, period, read, SPLIT_FROM)
}

fn compute_split(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    read: &Reading,
    split_from: i64,
) -> Result<Stats> {
    let Ok(conn) = db.conn() else {
        return compute_on(db.sql(), f, by, period, read);
    };
    let at = read.at;
    let (customer_filters, _) = f.split();
    let mut cs = Customers::load(conn, &customer_filters, by, at)?;
    touched(conn, period, &mut cs)?;
    let fold = Fold::new(at, period, by, cs.keys.clone(), cs.groups.names.len());
    let fold = fold_all(db, f, period, &cs, read, fold, split_from)?;
    Ok(fold.finish(&cs.csms.names, &cs.groups.names))
}

/// `compute` on either engine, on one connection, without SQLite's
/// shortcuts (the CSM index, the indicators walked, two threads): what a
/// team database runs.
fn compute_on(
    conn: &impl Sql,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    read: &Reading,
) -> Result<Stats> {
    let (customer_filters, service_filters) = f.split();
    let mut cs = Customers::load_any(conn, &customer_filters, by, read.at)?;
    touched_any(conn, period, &mut cs)?;
    let mut fold = Fold::new(read.at, period, by, cs.keys.clone(), cs.groups.names.len());
    scan_services_any(conn, &service_filters, &cs, read, &mut fold)?;
    renewed_terms_any(conn, &service_filters, period, &cs, read, &mut fold)?;
    Ok(fold.finish(&cs.csms.names, &cs.groups.names))
}

/// The figures of `compute` per period of `unit` over `span` (each term
/// in the period its expiry falls in), in the same one pass.
pub(crate) fn series(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    span: Period,
    unit: Unit,
    read: &Reading,
) -> Result<Series> {
    let at = read.at;
    let (customer_filters, _) = f.split();
    let cs = match db.conn() {
        Ok(conn) => Customers::load(conn, &customer_filters, by, at)?,
        Err(_) => Customers::load_any(db.sql(), &customer_filters, by, at)?,
    };
    let fold = Fold::new(at, span, by, cs.keys.clone(), cs.groups.names.len());
    let sink = SeriesFold::new(fold, unit);
    let sink = fold_all(db, f, span, &cs, read, sink, SPLIT_FROM)?;
    let touched = touched_by_period(db.sql(), sink.periods(), &cs)?;
    Ok(sink.finish(&cs.groups.names, touched))
}

/// The matching services (in two halves on two threads when there are
/// enough) and the renewed terms expiring in `period`, into `sink`.
///
/// Every matching service, not only those expiring in `period`: which
/// customers count (touch rates, groups) depends on all of them, and
/// reading the span's services by the expiry index, plus the customer
/// index for who has a service, measured slower on the 1M book (1.9-2.9 s
/// against 1.1 s) than this one sequential scan.
fn fold_all<S: Sink>(
    db: &Db,
    f: &Filters,
    period: Period,
    cs: &Customers,
    read: &Reading,
    mut sink: S,
    split_from: i64,
) -> Result<S> {
    let (_, service_filters) = f.split();
    let Ok(conn) = db.conn() else {
        // PostgreSQL: one pass on the one connection.
        let conn = db.sql();
        scan_services_any(conn, &service_filters, cs, read, &mut sink)?;
        renewed_terms_any(conn, &service_filters, period, cs, read, &mut sink)?;
        return Ok(sink);
    };
    match split_point(conn, split_from)? {
        None => scan_services(conn, &service_filters, Half::All, cs, read, &mut sink)?,
        Some(mid) => {
            let mut upper = sink.empty_like();
            let (filters, mid, upper_ref) = (&service_filters, mid.as_str(), &mut upper);
            let c = db.reader()?;
            std::thread::scope(|scope| -> Result<()> {
                let other = scope.spawn(move || -> Result<()> {
                    scan_services(&c, filters, Half::From(mid), cs, read, upper_ref)
                });
                let mine = scan_services(conn, filters, Half::Below(mid), cs, read, &mut sink);
                other.join().expect("the scan thread does not panic")?;
                mine
            })?;
            sink.merge(upper);
        }
    }
    renewed_terms(conn, &service_filters, period, cs, read, &mut sink)?;
    Ok(sink)
}

/// Each (period, customer) with a follow-up record dated (locally) in
/// that period, for the customers that pass the filters; a pair may
/// repeat.
fn touched_by_period(
    conn: &impl Sql,
    periods: &[Period],
    cs: &Customers,
) -> Result<Vec<(u32, u32)>> {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut find = Lookup::new(cs);
    conn.each(
        "SELECT customer_id, substr(at, 1, 10) FROM records WHERE substr(at, 1, 10) BETWEEN ?1 AND ?2",
        args![iso(first.from), iso(last.to)],
        &mut |r| {
            let Some(c) = find.get(text(r, 0)?.as_bytes()) else {
                return Ok(());
            };
            let Some(day) = from_iso_bytes(text(r, 1)?.as_bytes()) else {
                return Ok(());
            };
            let p = periods.partition_point(|p| p.to < day);
            if p < periods.len() {
                out.push((p as u32, c));
            }
            Ok(())
        },
    )?;
    Ok(out)
}

/// A text column of either engine's row, borrowed (empty when NULL).
fn text<'r>(r: &'r sql::Row, i: usize) -> Result<std::borrow::Cow<'r, str>> {
    Ok(match r.value(i)? {
        Value::Text(t) => t,
        Value::Null => std::borrow::Cow::Borrowed(""),
        other => std::borrow::Cow::Owned(match other {
            Value::Int(i) => i.to_string(),
            Value::Real(x) => x.to_string(),
            _ => String::new(),
        }),
    })
}

/// `touched` on either engine.
fn touched_any(conn: &impl Sql, period: Period, cs: &mut Customers) -> Result<()> {
    let mut found = Vec::new();
    let mut find = Lookup::new(cs);
    conn.each(
        "SELECT DISTINCT customer_id FROM records WHERE substr(at, 1, 10) BETWEEN ?1 AND ?2",
        args![iso(period.from), iso(period.to)],
        &mut |r| {
            if let Some(i) = find.get(text(r, 0)?.as_bytes()) {
                found.push(i);
            }
            Ok(())
        },
    )?;
    for i in found {
        cs.keys[i as usize].touched = true;
    }
    Ok(())
}

/// One row of the PostgreSQL scans, read before anything is looked up
/// (the connection streams the rows): the customer, the type and expiry,
/// two amounts, the stored status and reason, and the band's inputs.
struct Scanned {
    c: u32,
    t: ServiceType,
    expiry: NaiveDate,
    amounts: (Option<Cents>, Option<Cents>),
    status: Option<String>,
    reason: Option<String>,
    id: String,
    stored: Option<super::health::Stored>,
}

/// Rows of `sql` (customer_id, service_type, expiry date first) of the
/// customers that pass the filters, as `Scanned` from `take`.
fn scan_any(
    conn: &impl Sql,
    sql: &str,
    w: &super::query::Where,
    cs: &Customers,
    mut take: impl FnMut(u32, ServiceType, NaiveDate, &sql::Row) -> Result<Option<Scanned>>,
) -> Result<Vec<Scanned>> {
    let sql = super::sql::for_engine(conn.kind(), sql).into_owned();
    let mut find = Lookup::new(cs);
    let mut out = Vec::new();
    conn.each(&sql, &w.args(), &mut |r| {
        let Some(c) = find.get(text(r, 0)?.as_bytes()) else {
            return Ok(());
        };
        let Some(expiry) = from_iso_bytes(text(r, 2)?.as_bytes()) else {
            return Ok(());
        };
        let t = text(r, 1)?;
        let t = ServiceType::from_id(&t).ok_or_else(|| {
            crate::Error::Invalid(crate::msg::values::unknown_stored_service_type(&t))
        })?;
        out.extend(take(c, t, expiry, r)?);
        Ok(())
    })?;
    Ok(out)
}

/// `scan_services` on either engine, on one connection: every matching
/// service read first, then rated.
fn scan_services_any(
    conn: &impl Sql,
    f: &Filters,
    cs: &Customers,
    read: &Reading,
    fold: &mut impl Sink,
) -> Result<()> {
    let rater = &read.rater;
    let mut w = where_clause(f, None, read.at);
    rater.narrow(&mut w, &f.health);
    let rates = rater.rates();
    let sql = format!(
        "SELECT s.customer_id, s.service_type, s.expiry_date, s.amount, s.status, s.reason, s.service_id{} FROM services s{}{}",
        rater.columns(),
        rater.join(),
        w.sql()
    );
    let rows = scan_any(conn, &sql, &w, cs, |c, t, expiry, r| {
        Ok(Some(Scanned {
            c,
            t,
            expiry,
            amounts: (r.get::<Option<i64>>(3)?.map(Cents::from), None),
            status: r.get(4)?,
            reason: r.get(5)?,
            id: r.get(6)?,
            stored: if rates {
                super::health::stored_of(r, 7)?
            } else {
                None
            },
        }))
    })?;
    for s in rows {
        if rates {
            let id = s.id;
            let band = rater.health(conn, s.stored, || Ok(id))?.band;
            if !f.health.is_empty() && !f.health.contains(&band) {
                continue;
            }
            fold.band(s.c, s.t, band);
        }
        fold.service(
            s.c,
            s.t,
            s.expiry,
            s.amounts.0,
            Status::from_db(s.status.as_deref()),
            s.reason.as_deref().and_then(|r| Reason::parse(r).ok()),
        );
    }
    Ok(())
}

/// `renewed_terms` on either engine: each (service, expiry) once, the
/// first by id, chosen in SQL.
fn renewed_terms_any(
    conn: &impl Sql,
    f: &Filters,
    period: Period,
    cs: &Customers,
    read: &Reading,
    fold: &mut impl Sink,
) -> Result<()> {
    let rater = &read.rater;
    let mut w = where_clause(f, None, read.at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    let by_band = !f.health.is_empty();
    let (join, health) = if by_band {
        rater.narrow(&mut w, &f.health);
        (rater.join(), rater.columns())
    } else {
        ("", String::new())
    };
    let first = match conn.kind() {
        Kind::Pg => format!(
            "SELECT DISTINCT ON (service_id, expiry_date) service_id, expiry_date, amount, new_amount FROM terms
             WHERE expiry_date BETWEEN {from} AND {to} ORDER BY service_id, expiry_date, id"
        ),
        Kind::Lite => format!(
            "SELECT service_id, expiry_date, amount, new_amount FROM terms
             WHERE id IN (SELECT min(id) FROM terms WHERE expiry_date BETWEEN {from} AND {to}
                          GROUP BY service_id, expiry_date)"
        ),
    };
    let sql = format!(
        "SELECT s.customer_id, s.service_type, t.expiry_date, t.amount, t.new_amount, s.service_id{health}
         FROM ({first}) t JOIN services s ON s.service_id = t.service_id{join}{}",
        w.sql()
    );
    let rows = scan_any(conn, &sql, &w, cs, |c, t, expiry, r| {
        Ok(Some(Scanned {
            c,
            t,
            expiry,
            amounts: (
                r.get::<Option<i64>>(3)?.map(Cents::from),
                r.get::<Option<i64>>(4)?.map(Cents::from),
            ),
            status: None,
            reason: None,
            id: r.get(5)?,
            stored: if by_band && rater.rates() {
                super::health::stored_of(r, 6)?
            } else {
                None
            },
        }))
    })?;
    for s in rows {
        if by_band {
            let id = s.id;
            if !f
                .health
                .contains(&rater.health(conn, s.stored, || Ok(id))?.band)
            {
                continue;
            }
        }
        fold.renewed_term(s.c, s.t, s.expiry, s.amounts.0, s.amounts.1);
    }
    Ok(())
}

/// Followed up in the period: a record dated (locally) within it.
fn touched(conn: &Connection, period: Period, cs: &mut Customers) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT customer_id FROM records WHERE substr(at, 1, 10) BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([iso(period.from), iso(period.to)])?;
    let mut found = Vec::new();
    let mut find = Lookup::new(cs);
    while let Some(r) = rows.next()? {
        if let Some(i) = find.get(r.get_ref(0)?.as_bytes()?) {
            found.push(i);
        }
    }
    for i in found {
        cs.keys[i as usize].touched = true;
    }
    Ok(())
}

/// Which services one scan reads, by service id.
#[derive(Clone, Copy)]
enum Half<'a> {
    All,
    Below(&'a str),
    From(&'a str),
}

/// The matching services into the fold, each with its band when there is
/// a calibration (the indicators joined, `--health` matched on the band).
fn scan_services(
    conn: &Connection,
    f: &Filters,
    half: Half,
    cs: &Customers,
    read: &Reading,
    fold: &mut impl Sink,
) -> Result<()> {
    let rater = &read.rater;
    let mut w = where_clause(f, None, read.at);
    rater.narrow(&mut w, &f.health);
    match half {
        Half::All => {}
        Half::Below(mid) => {
            let p = w.param(mid.to_string());
            w.push(format!("s.service_id < {p}"));
        }
        Half::From(mid) => {
            let p = w.param(mid.to_string());
            w.push(format!("s.service_id >= {p}"));
        }
    }
    // Without filters on the services (customers' are applied in memory)
    // the services are read in id order, their primary key's, and the
    // indicators walked beside them (`Walk`), not looked up row by row.
    let rates = rater.rates();
    let walk = rates && f.is_empty();
    let (columns, join, order) = if walk {
        (String::new(), "", " ORDER BY s.service_id")
    } else {
        (rater.columns(), rater.join(), "")
    };
    let sql = format!(
        "SELECT s.customer_id, s.service_type, s.expiry_date, s.amount, s.status, s.reason, s.service_id{columns} FROM services s{join}{}{order}",
        w.sql()
    );
    let (range, bound) = match half {
        Half::All => ("", None),
        Half::Below(mid) => (" WHERE i.service_id < ?1", Some(mid)),
        Half::From(mid) => (" WHERE i.service_id >= ?1", Some(mid)),
    };
    let mut walk_stmt = if walk {
        Some(conn.prepare(&Walk::sql(range))?)
    } else {
        None
    };
    let mut walk = walk_stmt
        .as_mut()
        .map(|stmt| Walk::new(stmt, rusqlite::params_from_iter(bound)))
        .transpose()?;
    each_row(conn, &sql, &w, cs, |c, t, expiry, r| {
        if rates {
            let band = match &mut walk {
                Some(walk) => {
                    let ind = walk.get(r.get_ref(6)?.as_bytes()?)?;
                    rater.health(conn, ind, || r.get(6))?.band
                }
                None => rater.rate(conn, r, 7, 6)?.band,
            };
            if !f.health.is_empty() && !f.health.contains(&band) {
                return Ok(());
            }
            fold.band(c, t, band);
        }
        fold.service(
            c,
            t,
            expiry,
            r.get::<_, Option<i64>>(3)?.map(Cents::from),
            Status::from_db(r.get_ref(4)?.as_str_or_null()?),
            super::label(r, 5, Reason::parse)?,
        );
        Ok(())
    })
}

/// Rows whose first three columns are customer_id, service_type and an
/// expiry date: each of a customer that passes the filters, to `each`.
fn each_row(
    conn: &Connection,
    sql: &str,
    w: &super::query::Where,
    cs: &Customers,
    mut each: impl FnMut(u32, ServiceType, NaiveDate, &rusqlite::Row) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(w.params())?;
    let mut find = Lookup::new(cs);
    while let Some(r) = rows.next()? {
        let Some(c) = find.get(r.get_ref(0)?.as_bytes()?) else {
            continue;
        };
        let Some(expiry) = from_iso_bytes(r.get_ref(2)?.as_bytes()?) else {
            continue;
        };
        let t = r.get_ref(1)?.as_str()?;
        let t = ServiceType::from_id(t).ok_or_else(|| {
            crate::Error::Invalid(crate::msg::values::unknown_stored_service_type(t))
        })?;
        each(c, t, expiry, r)?;
    }
    Ok(())
}

/// Renewed terms of the matching services, each (service, expiry) once.
fn renewed_terms(
    conn: &Connection,
    f: &Filters,
    period: Period,
    cs: &Customers,
    read: &Reading,
    fold: &mut impl Sink,
) -> Result<()> {
    let rater = &read.rater;
    let (terms, mut w) = super::query::renewed_terms_sorted(f, period, read.at);
    // `--health`: the terms of services whose band today is wanted.
    let by_band = !f.health.is_empty();
    let (join, health) = if by_band {
        rater.narrow(&mut w, &f.health);
        (rater.join(), rater.columns())
    } else {
        ("", String::new())
    };
    let sql = format!(
        "SELECT s.customer_id, s.service_type, t.expiry_date, t.amount, t.new_amount, s.service_id{health}
         {terms}{join}{}",
        w.sql()
    );
    // Each (service, expiry) once: the first of its run in this order.
    let mut last: (Vec<u8>, Option<NaiveDate>) = (Vec::new(), None);
    each_row(conn, &sql, &w, cs, |c, t, expiry, r| {
        let service = r.get_ref(5)?.as_bytes()?;
        if last.1 == Some(expiry) && last.0 == service {
            return Ok(());
        }
        last = (service.to_vec(), Some(expiry));
        if by_band && !f.health.contains(&rater.rate(conn, r, 6, 5)?.band) {
            return Ok(());
        }
        fold.renewed_term(
            c,
            t,
            expiry,
            r.get::<_, Option<i64>>(3)?.map(Cents::from),
            r.get::<_, Option<i64>>(4)?.map(Cents::from),
        );
        Ok(())
    })
}

/// Below this many services one thread is quicker than two.
const SPLIT_FROM: i64 = 50_000;

/// A service id near the middle of the stored ones, when there are enough
/// services for two threads to pay off. Any value splits correctly (`<`
/// and `>=`); a good one splits evenly.
fn split_point(conn: &Connection, split_from: i64) -> Result<Option<String>> {
    let one = |sql: &str| -> Result<Option<String>> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let (Some(lo), Some(hi)) = (
        one("SELECT min(service_id) FROM services")?,
        one("SELECT max(service_id) FROM services")?,
    ) else {
        return Ok(None);
    };
    // A small table does not need two threads: is there a row that far?
    let big: Option<String> = conn
        .query_row(
            "SELECT service_id FROM services ORDER BY service_id LIMIT 1 OFFSET ?1",
            [split_from],
            |r| r.get(0),
        )
        .optional()?;
    if big.is_none() {
        return Ok(None);
    }
    Ok(midpoint(&lo, &hi))
}

/// Between `lo` and `hi`: after their common prefix, the decimal middle of
/// equal-length digit runs (`S00000001`…`S01000000` → `S00500000`), else
/// the middle of the next bytes. None when there is no ASCII middle.
fn midpoint(lo: &str, hi: &str) -> Option<String> {
    if !lo.is_ascii() || !hi.is_ascii() || lo >= hi {
        return None;
    }
    let p = lo
        .bytes()
        .zip(hi.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&lo[p..], &hi[p..]);
    let digits = |s: &str| !s.is_empty() && s.len() <= 18 && s.bytes().all(|c| c.is_ascii_digit());
    if a.len() == b.len() && digits(a) && digits(b) {
        let (x, y): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
        return Some(format!("{}{:0w$}", &lo[..p], x + (y - x) / 2, w = a.len()));
    }
    let x = a.bytes().next().unwrap_or(0);
    let y = b.bytes().next()?;
    let m = x + (y - x) / 2;
    (m > x).then(|| format!("{}{}", &lo[..p], char::from(m)))
}

/// Every customer in id order: its id, whether it passes the customer
/// filters (so the services' lookups always find their customer: a
/// foreign key), and its CSM and group as numbers.
struct Customers {
    ids: SortedIds,
    wanted: Vec<bool>,
    keys: Vec<CustomerKey>,
    csms: Names,
    groups: Names,
}

impl Customers {
    fn load(conn: &Connection, f: &Filters, by: Option<Dim>, at: AsOf) -> Result<Customers> {
        if f.is_empty() && by.and_then(Dim::column).is_none_or(|c| c == Col::Csm) {
            return Customers::load_csms(conn);
        }
        Customers::scan(conn, f, by, at)
    }

    /// `load` on either engine: every customer, the filters as a flag,
    /// sorted here in byte order (PostgreSQL's collation may not be).
    fn load_any(conn: &impl Sql, f: &Filters, by: Option<Dim>, at: AsOf) -> Result<Customers> {
        let w = where_clause(f, None, at);
        let pass = if w.is_empty() {
            "1".to_string()
        } else {
            format!("CASE WHEN {} THEN 1 ELSE 0 END", w.expr())
        };
        let sql = format!(
            "SELECT c.customer_id, c.{}, {}, {pass} FROM customers c",
            Col::Csm.id(),
            dim_column(by),
        );
        let sql = super::sql::for_engine(conn.kind(), &sql).into_owned();
        let mut read: Vec<(String, Option<String>, Option<String>, bool)> = Vec::new();
        conn.each(&sql, &w.args(), &mut |r| {
            read.push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
            Ok(())
        })?;
        read.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut cs = Customers {
            ids: SortedIds::default(),
            wanted: Vec::with_capacity(read.len()),
            keys: Vec::with_capacity(read.len()),
            csms: Names::default(),
            groups: Names::default(),
        };
        for (id, csm, group, pass) in &read {
            cs.ids.push(id.as_bytes());
            cs.wanted.push(*pass);
            let (csm, group) = if *pass {
                (cs.csms.id(csm.as_deref()), cs.groups.id(group.as_deref()))
            } else {
                (0, 0)
            };
            cs.keys.push(CustomerKey {
                csm,
                group,
                touched: false,
            });
        }
        Ok(cs)
    }

    /// Every customer from the table, with the filters as a flag.
    fn scan(conn: &Connection, f: &Filters, by: Option<Dim>, at: AsOf) -> Result<Customers> {
        let w = where_clause(f, None, at);
        // In primary-key order: SQLite's BINARY collation is byte order,
        // which the binary search below relies on.
        let mut stmt = conn.prepare(&format!(
            "SELECT c.customer_id, c.{}, {}, coalesce({}, 0) FROM customers c ORDER BY c.customer_id",
            Col::Csm.id(),
            dim_column(by),
            w.expr()
        ))?;
        let mut rows = stmt.query(w.params())?;
        let mut cs = Customers {
            ids: SortedIds::default(),
            wanted: Vec::new(),
            keys: Vec::new(),
            csms: Names::default(),
            groups: Names::default(),
        };
        while let Some(r) = rows.next()? {
            cs.ids.push(r.get_ref(0)?.as_bytes()?);
            let pass = r.get::<_, bool>(3)?;
            cs.wanted.push(pass);
            // Names only of customers that count, so no empty group shows.
            let (csm, group) = if pass {
                (
                    cs.csms.id(r.get_ref(1)?.as_str_or_null()?),
                    cs.groups.id(r.get_ref(2)?.as_str_or_null()?),
                )
            } else {
                (0, 0)
            };
            cs.keys.push(CustomerKey {
                csm,
                group,
                touched: false,
            });
        }
        Ok(cs)
    }

    /// Every customer with its CSM, which is also the group when there is
    /// one. The CSM index covers these two columns in a third of the
    /// table's pages; it is read in CSM order, so the ids are sorted here.
    fn load_csms(conn: &Connection) -> Result<Customers> {
        let mut stmt = conn.prepare(&format!(
            "SELECT customer_id, {} FROM customers",
            Col::Csm.id()
        ))?;
        let mut rows = stmt.query([])?;
        let mut text = Vec::new();
        // (the id's first 8 bytes as a number, start, end, csm): ids of
        // 8 bytes or fewer sort on the number alone.
        let mut read: Vec<(u64, u32, u32, u32)> = Vec::new();
        let mut csms = Names::default();
        // The index lists each CSM's customers together: one lookup a run.
        let mut last: Option<(String, u32)> = None;
        while let Some(r) = rows.next()? {
            let start = text.len() as u32;
            let id = r.get_ref(0)?.as_bytes()?;
            text.extend_from_slice(id);
            let name = r.get_ref(1)?.as_str_or_null()?;
            let csm = match (&last, name) {
                (Some((n, i)), Some(name)) if n == name => *i,
                _ => {
                    let i = csms.id(name);
                    last = name.map(|n| (n.to_string(), i));
                    i
                }
            };
            read.push((prefix(id), start, text.len() as u32, csm));
        }
        let id = |&(_, a, b, _): &(u64, u32, u32, u32)| &text[a as usize..b as usize];
        read.sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| id(x).cmp(id(y))));
        let mut cs = Customers {
            ids: SortedIds::default(),
            wanted: vec![true; read.len()],
            keys: Vec::with_capacity(read.len()),
            groups: csms.clone(),
            csms,
        };
        for r in &read {
            cs.ids.push(id(r));
            cs.keys.push(CustomerKey {
                csm: r.3,
                group: r.3,
                touched: false,
            });
        }
        Ok(cs)
    }
}

/// The first 8 bytes of an id as a big-endian number (zero-padded): the
/// same order as the bytes, where they differ.
fn prefix(id: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = id.len().min(8);
    b[..n].copy_from_slice(&id[..n]);
    u64::from_be_bytes(b)
}

/// Ids in one buffer, in byte order: a few bytes each, no allocation per
/// id, and found by binary search.
#[derive(Default)]
struct SortedIds {
    text: Vec<u8>,
    ends: Vec<u32>,
}

impl SortedIds {
    fn push(&mut self, id: &[u8]) {
        self.text.extend_from_slice(id);
        self.ends.push(self.text.len() as u32);
    }

    fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    fn find(&self, id: &[u8]) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid)?.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

/// Finds customers by id, guessing first that a row's customer is the
/// previous row's or one of the next few in id order: services are
/// usually listed customer by customer, and then nothing is searched.
struct Lookup<'a> {
    cs: &'a Customers,
    last: usize,
}

impl<'a> Lookup<'a> {
    fn new(cs: &'a Customers) -> Lookup<'a> {
        Lookup { cs, last: 0 }
    }

    /// The customer's index, if it passes the customer filters.
    fn get(&mut self, id: &[u8]) -> Option<u32> {
        let ids = &self.cs.ids;
        let i = (self.last..self.last + 4)
            .find(|&i| ids.get(i) == Some(id))
            .or_else(|| ids.find(id))?;
        self.last = i;
        self.cs.wanted[i].then_some(i as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, Open};

    #[test]
    fn two_threads_give_what_one_gives() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let mut sql = String::from("BEGIN;");
        for c in 0..40 {
            let tier = ["KA", "B", "C"][c % 3];
            sql.push_str(&format!(
                "INSERT INTO customers(customer_id, customer_name, csm, tier) VALUES ('C{c:03}', 'n', 'csm{}', '{tier}');",
                c % 4
            ));
        }
        for i in 0..400 {
            let status = ["NULL", "'at_risk'", "'not_renewing'", "'renewed'"][i % 4];
            sql.push_str(&format!(
                "INSERT INTO services(service_id, customer_id, service_type, expiry_date, amount, status, reason)
                 VALUES ('S{i:05}', 'C{:03}', '{}', date('2026-01-01', '+{} days'), {}, {status}, 'budget');",
                i / 10,
                ["subscription", "managed", "basic"][i % 3],
                (i * 7) % 700,
                i * 100
            ));
        }
        // Bands for every third service (each under both halves): a
        // calibration, and indicators of three ratios, one too old.
        sql.push_str(
            "INSERT INTO calibrations(made_at, as_of, sample, weights, danger_pct, fair_pct,
                                      danger_below, fair_below, distributions)
             VALUES ('x', '2026-01-01', 30, '1,1,1,1', 10, 40, 20.0, 50.0, '[[0.2,0.4,0.6,0.8,1.0],[],[],[]]');",
        );
        for i in (0..400).step_by(3) {
            let (day, ratio) = [
                ("2026-11-01", 0.1),
                ("2026-11-20", 0.5),
                ("2026-11-10", 0.9),
                ("2026-01-01", 0.9),
            ][i % 4];
            sql.push_str(&format!(
                "INSERT INTO indicators(service_id, day, active_ratio) VALUES ('S{i:05}', '{day}', {ratio});"
            ));
        }
        sql.push_str("COMMIT;");
        db.conn().unwrap().execute_batch(&sql).unwrap();
        let today = AsOf::with_defaults("2026-11-23".parse().unwrap());
        let period = Period::year_to(today.today);
        for by in [
            None,
            Some(Dim::Tier),
            Some(Dim::ServiceType),
            Some(Dim::Csm),
        ] {
            let f = Filters::default();
            let read = Reading {
                at: today,
                rater: super::super::health::Rater::load(db.conn().unwrap(), today.today).unwrap(),
            };
            let one = compute_split(&db, &f, by, period, &read, i64::MAX).unwrap();
            let two = compute_split(&db, &f, by, period, &read, 10).unwrap();
            assert_eq!(one, two, "{by:?}");
            // What a team database runs gives the same.
            let any = compute_on(db.conn().unwrap(), &f, by, period, &read).unwrap();
            assert_eq!(one, any, "{by:?}");
            let mut bands = f.clone();
            bands.health = vec![crate::health::Band::Danger, crate::health::Band::Unknown];
            assert_eq!(
                compute_split(&db, &bands, by, period, &read, 10).unwrap(),
                compute_on(db.conn().unwrap(), &bands, by, period, &read).unwrap(),
                "{by:?}"
            );
            let mut tiers = f.clone();
            tiers.attr(Col::Tier, vec!["KA".into(), "B".into()]);
            tiers.service_type = vec![ServiceType::ALL[0]];
            assert_eq!(
                compute_split(&db, &tiers, by, period, &read, 10).unwrap(),
                compute_on(db.conn().unwrap(), &tiers, by, period, &read).unwrap(),
                "{by:?}"
            );
            assert_eq!(one.total.services.count, 400);
            // Each customer's worst known band, worked out here.
            let mut expected = [0u64; 4];
            for c in 0..40 {
                let worst = (c * 10..c * 10 + 10)
                    .filter(|i| i % 3 == 0)
                    // The rows above: danger, fair, healthy, then stale.
                    .map(|i| i % 4)
                    .min()
                    .unwrap_or(3);
                expected[worst] += 1;
            }
            assert!(
                expected.iter().filter(|&&n| n > 0).count() >= 2,
                "{expected:?}"
            );
            assert_eq!(one.total.customers_by_band, expected, "{by:?}");
        }
        assert_eq!(
            split_point(db.conn().unwrap(), 10).unwrap().as_deref(),
            Some("S00199")
        );
        assert_eq!(split_point(db.conn().unwrap(), 400).unwrap(), None);
    }

    #[test]
    fn midpoints_split_common_id_schemes() {
        assert_eq!(
            midpoint("S00000001", "S01000000").as_deref(),
            Some("S00500000")
        );
        assert_eq!(midpoint("C1", "C9").as_deref(), Some("C5"));
        assert_eq!(midpoint("A", "a").as_deref(), Some("Q"));
        assert_eq!(midpoint("x", "x"), None);
        assert_eq!(midpoint("服务1", "服务9"), None);
        for (lo, hi) in [
            ("S00000001", "S01000000"),
            ("C1", "C9"),
            ("A", "a"),
            ("SVC-1", "SVC-10"),
        ] {
            let m = midpoint(lo, hi).unwrap();
            assert!(lo < m.as_str() && m.as_str() <= hi, "{lo} {m} {hi}");
        }
    }

    #[test]
    fn the_csm_index_gives_what_the_table_gives() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn()
            .unwrap()
            .execute_batch(
                "INSERT INTO customers(customer_id, customer_name, csm) VALUES
                 ('C3', 'c', '张伟'), ('C10', 'x', '王芳'), ('C1', 'a', '张伟'),
                 ('C2', 'b', NULL), ('客户9', 'd', '');",
            )
            .unwrap();
        let today = AsOf::with_defaults("2026-11-23".parse().unwrap());
        let fast = Customers::load_csms(db.conn().unwrap()).unwrap();
        let slow = Customers::scan(
            db.conn().unwrap(),
            &Filters::default(),
            Some(Dim::Csm),
            today,
        )
        .unwrap();
        let view = |cs: &Customers| -> Vec<(Vec<u8>, String, String)> {
            (0..cs.keys.len())
                .map(|i| {
                    let k = cs.keys[i];
                    (
                        cs.ids.get(i).unwrap().to_vec(),
                        cs.csms.names[k.csm as usize].clone(),
                        cs.groups.names[k.group as usize].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(view(&fast), view(&slow));
        assert_eq!(fast.wanted, [true; 5]);
        // Byte order: C1 < C10 < C2 < C3 < 客户9; no CSM and an empty one alike.
        assert_eq!(view(&fast)[2].1, NO_VALUE);
        assert_eq!(view(&fast)[4].1, NO_VALUE);
    }

    #[test]
    fn customers_are_found_in_order_and_out_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn()
            .unwrap()
            .execute_batch(
                "INSERT INTO customers(customer_id, customer_name, csm, tier) VALUES
                 ('C3', 'c', '张伟', NULL), ('C10', 'x', '王芳', 'KA'), ('C1', 'a', '张伟', 'KA'),
                 ('C2', 'b', NULL, 'B'), ('客户9', 'd', NULL, 'B');",
            )
            .unwrap();
        let mut f = Filters::default();
        f.attr(Col::Tier, vec!["KA".into(), "B".into()]);
        let today = AsOf::with_defaults("2026-11-23".parse().unwrap());
        let cs = Customers::load(db.conn().unwrap(), &f, Some(Dim::Tier), today).unwrap();
        // Byte order: C1 < C10 < C2 < C3 < 客户9.
        assert_eq!(cs.wanted, [true, true, true, false, true]);
        assert_eq!(cs.groups.names, ["KA", "B"]);
        assert_eq!(cs.csms.names, ["张伟", "王芳", NO_VALUE]);
        let mut l = Lookup::new(&cs);
        let found: Vec<Option<u32>> = ["C1", "C1", "C10", "客户9", "C2", "C3", "C9", "C1"]
            .iter()
            .map(|id| l.get(id.as_bytes()))
            .collect();
        assert_eq!(
            found,
            [
                Some(0),
                Some(0),
                Some(1),
                Some(4),
                Some(2),
                None,
                None,
                Some(0)
            ]
        );
    }
}
