//! The worklist's candidates (`xaas today`): every open service in the
//! window, read in one pass with what scoring needs.
//!
//! On a large book the pass is two: the window's expiry range cut in two
//! halves, each read on a connection of its own in a thread of its own,
//! with the file memory-mapped (each B-tree page is then read by a memory
//! access, not a system call; the candidates' services, customers and
//! indicators are spread over every page of those tables).

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use super::health::{stored, stored_of, Stored, INDICATOR_COLUMNS};
use super::query::{where_clause, where_clause_on, Where};
use super::sql::{args, Conn, Kind, Sql};
use super::Db;
use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::filter::{Due, Filters};
use crate::health::Health;
use crate::money::Cents;
use crate::status::Status;
use crate::window::days_left;
use crate::worklist::Candidate;

/// Days ahead the worklist looks: the follow-up window.
const AHEAD: u32 = 90;

/// Below this many services in the window, one thread is quicker.
const SPLIT_FROM: u64 = 20_000;

/// How much of the file a reading thread maps: none. Mapping saved about
/// a third of the SQL time, but every mapped page counted in the peak RSS
/// (1.4 GB on the 1M book with usage), as `due` found before.
const MMAP_BYTES: i64 = 0;

/// The open services (rule 9) matching `f` with 0..=90 days left or
/// expired within the grace days, each given to `each` (on the connection
/// it was read on) with its stored indicators when `indicators` (else
/// `None`: no join). What `each` returns is kept, in no particular order.
///
/// Health is left unknown and `last_record_at` is the stored latest
/// record: `each` judges both as of the day (`health::Rater`,
/// `records::last_record_on`).
pub(crate) fn candidates<T: Send>(
    db: &Db,
    f: &Filters,
    at: AsOf,
    indicators: bool,
    each: impl Fn(&Connection, Candidate, Option<Stored>) -> Result<Option<T>> + Sync,
) -> Result<Vec<T>> {
    candidates_split(db, f, at, indicators, each, SPLIT_FROM)
}

fn candidates_split<T: Send>(
    db: &Db,
    f: &Filters,
    at: AsOf,
    indicators: bool,
    each: impl Fn(&Connection, Candidate, Option<Stored>) -> Result<Option<T>> + Sync,
    split_from: u64,
) -> Result<Vec<T>> {
    let (first, last) = bounds(at);
    let conn = db.conn()?;
    let mut found = Vec::new();
    if !large(conn, first, last, split_from)? {
        read(conn, f, at, (first, last), indicators, &each, &mut found)?;
        return Ok(found);
    }
    // Unfiltered, room for every service in the window at once: a vector
    // that grows copies what it holds each time, and there are many.
    let n = if f.is_empty() {
        in_window(conn, first, last)?
    } else {
        0
    };
    found.reserve(n);
    let mid = first + (last - first) / 2;
    let below = (first, mid.pred_opt().unwrap_or(mid));
    let from = (mid, last);
    let each = &each;
    let (mine, theirs) = (reader(db)?, reader(db)?);
    std::thread::scope(|scope| -> Result<()> {
        let upper = scope.spawn(move || -> Result<Vec<T>> {
            let mut upper = Vec::with_capacity(n / 2 + n / 8);
            read(&theirs, f, at, from, indicators, each, &mut upper)?;
            Ok(upper)
        });
        read(&mine, f, at, below, indicators, each, &mut found)?;
        found.extend(upper.join().expect("the reading thread does not panic")?);
        Ok(())
    })?;
    Ok(found)
}

/// `candidates` on PostgreSQL: every candidate with its stored
/// indicators when `indicators`, collected (the caller judges them after,
/// on the same connection).
pub(crate) fn candidates_pg(
    conn: &impl Sql,
    f: &Filters,
    at: AsOf,
    indicators: bool,
) -> Result<Vec<(Candidate, Option<Stored>)>> {
    let (first, last) = bounds(at);
    let due = Due {
        within: AHEAD,
        overdue: true,
        untouched: false,
    };
    let mut w: Where = where_clause_on(conn.kind(), f, Some(due), at);
    let lo = w.param(iso(first));
    let hi = w.param(iso(last));
    w.push(format!("s.expiry_date BETWEEN {lo} AND {hi}"));
    let (cols, join) = if indicators {
        (
            format!(", {INDICATOR_COLUMNS}"),
            " LEFT JOIN indicators i ON i.service_id = s.service_id",
        )
    } else {
        (String::new(), "")
    };
    let (customer_cols, customers) = if f.split().0.is_empty() {
        ("NULL, NULL", "")
    } else {
        (
            "c.customer_name, c.csm",
            " JOIN customers c ON c.customer_id = s.customer_id",
        )
    };
    let sql = super::sql::for_engine(
        conn.kind(),
        &format!(
            "SELECT s.service_id, s.customer_id, {customer_cols}, s.product, s.expiry_date,
                    s.amount, s.status, s.last_followup_at{cols}
             FROM services s{customers}{join}{}",
            w.sql()
        ),
    )
    .into_owned();
    conn.rows(&sql, &w.args(), |r| {
        let expiry_date = expiry(&r.get::<String>(5)?)?;
        let stored_status = Status::from_db(r.get::<Option<String>>(7)?.as_deref());
        let status = Status::effective_on(
            stored_status,
            days_left(expiry_date, at.today),
            at.grace_days,
        );
        let ind = if indicators { stored_of(r, 9)? } else { None };
        let c = Candidate {
            service_id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get::<Option<String>>(2)?.unwrap_or_default(),
            csm: r.get(3)?,
            product: r.get(4)?,
            expiry_date,
            amount: r.get::<Option<i64>>(6)?.map(Cents::from),
            status,
            last_record_at: r.get(8)?,
            health: Health::UNKNOWN,
        };
        Ok((c, ind))
    })
}

/// Fills in the customer name, CSM and product of candidates read
/// without them (an empty name), one lookup per candidate.
pub(crate) fn names<'a>(
    conn: &impl Sql,
    candidates: impl Iterator<Item = &'a mut Candidate>,
) -> Result<()> {
    let cross = match conn.kind() {
        Kind::Lite => "CROSS JOIN",
        Kind::Pg => "JOIN",
    };
    let sql = format!(
        "SELECT c.customer_name, c.csm, s.product
         FROM services s {cross} customers c ON c.customer_id = s.customer_id
         WHERE s.service_id = ?1"
    );
    for c in candidates.filter(|c| c.customer_name.is_empty()) {
        let (name, csm, product) = conn.row(&sql, args![c.service_id.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        c.customer_name = name;
        c.csm = csm;
        c.product = product;
    }
    Ok(())
}

/// The open services (rule 9) of the window, as the expiry index holds
/// them (schema V9), each given to `each`: no name, product or health,
/// read from the index alone; only those of `customers` when given. For
/// a first page (`worklist::first`), which then reads the rest of the few
/// it needs.
///
/// On PostgreSQL the window is read whole first, then given to `each`
/// (which may look things up on the same connection).
pub(crate) fn in_window_bare(
    conn: &Conn,
    customers: Option<&rustc_hash::FxHashSet<String>>,
    at: AsOf,
    mut each: impl FnMut(Candidate) -> Result<()>,
) -> Result<()> {
    match conn.kind() {
        Kind::Lite => in_window_bare_lite(conn.lite()?, customers, at, each),
        Kind::Pg => {
            for c in in_window_bare_pg(conn, customers, at)? {
                each(c)?;
            }
            Ok(())
        }
    }
}

/// `in_window_bare` on PostgreSQL: the open services of the window,
/// collected.
fn in_window_bare_pg(
    conn: &impl Sql,
    customers: Option<&rustc_hash::FxHashSet<String>>,
    at: AsOf,
) -> Result<Vec<Candidate>> {
    let (first, last) = bounds(at);
    let rows = conn.rows(
        "SELECT service_id, customer_id, expiry_date, amount, status, last_followup_at
         FROM services WHERE expiry_date BETWEEN ?1 AND ?2",
        args![iso(first), iso(last)],
        |r| {
            let customer: String = r.get(1)?;
            if customers.is_some_and(|set| !set.contains(&customer)) {
                return Ok(None);
            }
            let expiry_date = expiry(&r.get::<String>(2)?)?;
            let stored_status = Status::from_db(r.get::<Option<String>>(4)?.as_deref());
            let status = Status::effective_on(
                stored_status,
                days_left(expiry_date, at.today),
                at.grace_days,
            );
            if !status.is_open() {
                return Ok(None);
            }
            Ok(Some(Candidate {
                service_id: r.get(0)?,
                customer_id: customer,
                customer_name: String::new(),
                csm: None,
                product: None,
                expiry_date,
                amount: r.get::<Option<i64>>(3)?.map(Cents::from),
                status,
                last_record_at: r.get(5)?,
                health: Health::UNKNOWN,
            }))
        },
    )?;
    Ok(rows.into_iter().flatten().collect())
}

fn in_window_bare_lite(
    conn: &Connection,
    customers: Option<&rustc_hash::FxHashSet<String>>,
    at: AsOf,
    mut each: impl FnMut(Candidate) -> Result<()>,
) -> Result<()> {
    let (first, last) = bounds(at);
    let by = super::asof::indexed_by(conn, "services", "services_expiry")?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT service_id, customer_id, expiry_date, amount, status, last_followup_at
         FROM services{by} WHERE expiry_date BETWEEN ?1 AND ?2"
    ))?;
    let mut rows = stmt.query([iso(first), iso(last)])?;
    while let Some(r) = rows.next()? {
        let customer = r.get_ref(1)?.as_str()?;
        if customers.is_some_and(|set| !set.contains(customer)) {
            continue;
        }
        let expiry_date = expiry(r.get_ref(2)?.as_str()?)?;
        let stored_status = Status::from_db(r.get_ref(4)?.as_str_or_null()?);
        let status = Status::effective_on(
            stored_status,
            days_left(expiry_date, at.today),
            at.grace_days,
        );
        if !status.is_open() {
            continue;
        }
        each(Candidate {
            service_id: r.get(0)?,
            customer_id: customer.to_string(),
            customer_name: String::new(),
            csm: None,
            product: None,
            expiry_date,
            amount: r.get::<_, Option<i64>>(3)?.map(Cents::from),
            status,
            last_record_at: r.get(5)?,
            health: Health::UNKNOWN,
        })?;
    }
    Ok(())
}

/// A candidate's latest record as of `today`: one dated after a past
/// `--today` was not there yet.
pub(crate) fn record_as_of(conn: &impl Sql, c: &mut Candidate, today: NaiveDate) -> Result<()> {
    let day = c
        .last_record_at
        .as_deref()
        .and_then(|t| t.get(..10))
        .and_then(from_iso);
    if day.is_some_and(|d| d > today) {
        c.last_record_at =
            super::records::last_record_on(conn, &c.customer_id, &c.service_id, today)?;
    }
    Ok(())
}

/// How many services expire in the worklist's window, open or not.
pub(crate) fn window_size(conn: &impl Sql, at: AsOf) -> Result<usize> {
    let (first, last) = bounds(at);
    in_window(conn, first, last)
}

/// The customers the customer filters of `f` select.
pub(crate) fn customer_ids(conn: &impl Sql, f: &Filters) -> Result<rustc_hash::FxHashSet<String>> {
    let w = super::query::customer_where_on(conn.kind(), f);
    let sql = super::sql::for_engine(
        conn.kind(),
        &format!("SELECT c.customer_id FROM customers c{}", w.sql()),
    )
    .into_owned();
    let mut ids = rustc_hash::FxHashSet::default();
    conn.each(&sql, &w.args(), &mut |r| {
        ids.insert(r.get::<String>(0)?);
        Ok(())
    })?;
    Ok(ids)
}

/// A service's stored indicators row (`None`: no usage imported).
pub(crate) fn indicators_of(conn: &impl Sql, service_id: &str) -> Result<Option<Stored>> {
    let sql = format!("SELECT {INDICATOR_COLUMNS} FROM indicators i WHERE i.service_id = ?1");
    Ok(conn
        .row_opt(&sql, args![service_id], |r| stored_of(r, 0))?
        .flatten())
}

/// The first and last expiry day of the worklist's window: expired within
/// the grace days, up to `AHEAD` days left.
fn bounds(at: AsOf) -> (NaiveDate, NaiveDate) {
    let first = at
        .today
        .checked_sub_days(Days::new(u64::from(at.grace_days)))
        .unwrap_or(NaiveDate::MIN);
    let last = at
        .today
        .checked_add_days(Days::new(u64::from(AHEAD)))
        .unwrap_or(NaiveDate::MAX);
    (first, last)
}

fn expiry(text: &str) -> Result<NaiveDate> {
    from_iso(text)
        .ok_or_else(|| Error::Invalid(crate::msg::values::stored_expiry_date_unreadable(text)))
}

/// Whether the window holds enough services for two threads to pay off
/// (a walk of the expiry index, stopping at `SPLIT_FROM`).
fn large(conn: &Connection, first: NaiveDate, last: NaiveDate, split_from: u64) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM services WHERE expiry_date BETWEEN ?1 AND ?2 LIMIT 1 OFFSET ?3",
    )?;
    let at = i64::try_from(split_from).unwrap_or(i64::MAX);
    Ok(stmt.exists(rusqlite::params![iso(first), iso(last), at])?)
}

/// How many services expire in the window, open or not (the expiry index
/// alone).
fn in_window(conn: &impl Sql, first: NaiveDate, last: NaiveDate) -> Result<usize> {
    let n: i64 = conn.one(
        "SELECT count(*) FROM services WHERE expiry_date BETWEEN ?1 AND ?2",
        args![iso(first), iso(last)],
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A connection for one reading thread: read-only.
fn reader(db: &Db) -> Result<Connection> {
    let c = db.reader()?;
    c.pragma_update(None, "mmap_size", MMAP_BYTES)?;
    Ok(c)
}

/// The candidates expiring within `(first, last)` (inclusive), through
/// `each` into `out`.
fn read<T>(
    conn: &Connection,
    f: &Filters,
    at: AsOf,
    (first, last): (NaiveDate, NaiveDate),
    indicators: bool,
    each: &impl Fn(&Connection, Candidate, Option<Stored>) -> Result<Option<T>>,
    out: &mut Vec<T>,
) -> Result<()> {
    let due = Due {
        within: AHEAD,
        overdue: true,
        untouched: false,
    };
    let mut w: Where = where_clause(f, Some(due), at);
    // Rule 11 leaves the lapsed out already; the bounds make the range of
    // the expiry index read first.
    let lo = w.param(iso(first));
    let hi = w.param(iso(last));
    let (cols, join) = if indicators {
        (
            format!(", {INDICATOR_COLUMNS}"),
            " LEFT JOIN indicators i ON i.service_id = s.service_id",
        )
    } else {
        (String::new(), "")
    };
    // The customers are read only when a filter is on them: the rows
    // shown get their names afterwards (`names`), a page of them, where
    // reading every candidate's customer was a fifth of the time.
    let (customer_cols, customers) = if f.split().0.is_empty() {
        ("NULL, NULL", "")
    } else {
        (
            "c.customer_name, c.csm",
            " CROSS JOIN customers c ON c.customer_id = s.customer_id",
        )
    };
    // The window's ids sorted first: the services, their indicators and
    // (ids following their customers') their customers are then looked up
    // front to back, each page read once, where the expiry order jumps
    // about all three tables (a third of the time, on the 1M book).
    let sql = format!(
        "WITH d AS MATERIALIZED (SELECT service_id FROM services
                                 WHERE expiry_date BETWEEN {lo} AND {hi} ORDER BY service_id)
         SELECT s.service_id, s.customer_id, {customer_cols}, s.product, s.expiry_date,
                s.amount, s.status, s.last_followup_at{cols}
         FROM d CROSS JOIN services s ON s.service_id = d.service_id{customers}{join}{}",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(w.params())?;
    while let Some(r) = rows.next()? {
        let expiry_date = expiry(r.get_ref(5)?.as_str()?)?;
        let stored_status = Status::from_db(r.get_ref(7)?.as_str_or_null()?);
        let status = Status::effective_on(
            stored_status,
            days_left(expiry_date, at.today),
            at.grace_days,
        );
        let ind = if indicators { stored(r, 9)? } else { None };
        let c = Candidate {
            service_id: r.get(0)?,
            customer_id: r.get(1)?,
            customer_name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            csm: r.get(3)?,
            product: r.get(4)?,
            expiry_date,
            amount: r.get::<_, Option<i64>>(6)?.map(Cents::from),
            status,
            last_record_at: r.get(8)?,
            health: Health::UNKNOWN,
        };
        out.extend(each(conn, c, ind)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Open;

    /// 400 services over 200 days around 2026-11-23, every fourth with
    /// indicators, statuses open and closed.
    fn book() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let mut sql = String::from("BEGIN;");
        for c in 0..40 {
            sql.push_str(&format!(
                "INSERT INTO customers(customer_id, customer_name, csm) VALUES ('C{c:03}', 'n{c}', 'csm{}');",
                c % 4
            ));
        }
        for i in 0..400 {
            let status = ["NULL", "'at_risk'", "'not_renewing'", "'no_risk'"][i % 4];
            sql.push_str(&format!(
                "INSERT INTO services(service_id, customer_id, service_type, expiry_date, amount, status)
                 VALUES ('S{i:05}', 'C{:03}', 'basic', date('2026-09-01', '+{} days'), {}, {status});",
                i / 10,
                (i * 7) % 200,
                i * 100
            ));
            if i % 4 == 1 {
                sql.push_str(&format!(
                    "INSERT INTO indicators(service_id, day, active_ratio) VALUES ('S{i:05}', '2026-11-01', 0.{i});"
                ));
            }
        }
        sql.push_str("COMMIT;");
        db.conn().unwrap().execute_batch(&sql).unwrap();
        (dir, db)
    }

    fn read_all(db: &Db, f: &Filters, split_from: u64) -> Vec<(Candidate, Option<Stored>)> {
        let at = AsOf::with_defaults("2026-11-23".parse().unwrap());
        let mut v =
            candidates_split(db, f, at, true, |_, c, i| Ok(Some((c, i))), split_from).unwrap();
        v.sort_by(|a, b| a.0.service_id.cmp(&b.0.service_id));
        v
    }

    #[test]
    fn two_threads_read_what_one_reads() {
        let (_dir, db) = book();
        let mut f = Filters::default();
        let one = read_all(&db, &f, u64::MAX);
        let two = read_all(&db, &f, 10);
        assert_eq!(one, two);
        // Open, and 0..=90 days left or expired within the 30 grace days.
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        assert!(!one.is_empty());
        for (c, _) in &one {
            let d = days_left(c.expiry_date, today);
            assert!((-30..=90).contains(&d), "{} {d}", c.service_id);
            assert!(c.status.is_open(), "{}", c.service_id);
        }
        assert!(one.iter().any(|(_, i)| i.is_some()));
        assert!(one.iter().any(|(c, _)| c.status == Status::Pending));
        f.attr(crate::columns::Col::Csm, vec!["csm1".into()]);
        let mine = read_all(&db, &f, 10);
        assert_eq!(mine, read_all(&db, &f, u64::MAX));
        assert!(!mine.is_empty() && mine.iter().all(|(c, _)| c.csm.as_deref() == Some("csm1")));
    }
}
