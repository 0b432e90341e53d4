//! The write side of `usage import`: one row at a time inside the
//! caller's transaction, then the indicators of every service whose usage
//! changed.
//!
//! A service's rows usually come together, services in ascending order.
//! While they do ("rising"), a (service, day) on an earlier line can only
//! be in the current run of rows, and each service's indicators are
//! stored when its run ends: from the rows in hand into an empty table,
//! else from the table.
//!
//! Into an empty `usage` table rows are inserted without a lookup, 64 a
//! statement while rising; after, the primary key catches a repeat.
//! Otherwise each row is looked up and inserted, updated or left alone;
//! once the ids have gone down, a repeat is told by 64-bit hashes: of the
//! keys seen since, and of what the rising runs held (a service whose run
//! held all its stored rows by its id alone, else each key), so a sorted
//! file keeps no more than 8 bytes a service. The services changed after
//! the ids went down are refreshed at the end.

use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Statement};
use rustc_hash::FxHashSet;

use super::health;
use super::sql::{args, Conn, Kind, Sql};
use crate::date::push_iso;
use crate::error::{Error, Result};
use crate::health::{Indicators, Usage};
use crate::msg::usage as um;
use crate::sheet::BadRow;
use crate::usage::{Counts, UsageCol, UsageHeader, UsageRow};

/// The run of rows of one service.
struct Run {
    id: String,
    /// None: no such service. Some(accounts) otherwise.
    service: Option<Option<i64>>,
    /// A row of it was new or updated.
    changed: bool,
}

pub(crate) struct Loader<'c> {
    /// The table was empty at the start.
    bulk: bool,
    /// The metric columns the file has, in table order.
    metrics: Vec<UsageCol>,
    /// The file may have custom metrics (other columns).
    custom: bool,
    service_col: String,
    date_col: String,
    insert: Statement<'c>,
    /// Bulk mode, while rising: `CHUNK` rows in one statement, whose
    /// cursor stays at the end of the table between them (no descent
    /// from the root for each row).
    insert_chunk: Statement<'c>,
    chunk: Vec<Pending>,
    /// How many of `chunk` hold rows to insert.
    chunked: usize,
    get: Statement<'c>,
    update: Statement<'c>,
    service: Statement<'c>,
    indicators: health::Store<'c>,
    run: Option<Run>,
    /// Service ids have only gone up so far: every run is all of its
    /// service's rows in the file.
    rising: bool,
    /// Bulk mode, while rising: the current run's rows.
    rows: Vec<Usage>,
    /// While rising: the current run's days,
    days: Vec<NaiveDate>,
    /// which have only gone up.
    ascending: bool,
    count: Statement<'c>,
    /// Outside bulk mode, while rising: hashes of the services whose run
    /// held every stored row of theirs,
    complete: Vec<u64>,
    /// and of the (service, day) keys of the other runs. Sorted when the
    /// ids go down.
    partial: Vec<u64>,
    /// Outside bulk mode, once the ids have gone down: hashes of the
    /// (service, day) keys seen since.
    keys: FxHashSet<u64>,
    /// Hashes of the services whose usage changed while rising (a
    /// vector: a service has one run then).
    touched_rising: Vec<u64>,
    /// After the ids stopped rising: hashes of the services whose usage
    /// changed, to refresh at the end.
    pending: FxHashSet<u64>,
    pending_ids: Vec<String>,
    day: String,
    counts: Counts,
}

/// Rows per statement of a bulk load.
const CHUNK: usize = 64;

/// A row waiting in a chunk (its strings reused from chunk to chunk).
#[derive(Default)]
struct Pending {
    id: String,
    day: String,
    metrics: [Option<i64>; 4],
    custom: Option<String>,
}

fn hash(v: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// The hash of a (service, day) key.
fn key_hash(service: &str, day: NaiveDate) -> u64 {
    hash((service, day))
}

fn is_duplicate_key(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

/// A stored row: the file's metric columns, and the custom object.
type Stored = (Vec<Option<i64>>, Option<String>);

/// What a row did.
enum Did {
    New,
    Updated,
    Unchanged,
}

impl<'c> Loader<'c> {
    /// Prepares the statements for the columns this file has. `conn` is
    /// the open transaction.
    pub(crate) fn new(conn: &'c Connection, header: &UsageHeader) -> Result<Loader<'c>> {
        let metrics: Vec<UsageCol> = UsageCol::METRICS
            .into_iter()
            .filter(|&c| header.has(c))
            .collect();
        let custom = header.may_have_custom();
        let mut cols: Vec<&str> = metrics.iter().map(|c| c.id()).collect();
        if custom {
            cols.push("custom");
        }
        let marks: Vec<String> = (3..cols.len() + 3).map(|i| format!("?{i}")).collect();
        let sets: Vec<String> = cols
            .iter()
            .zip(&marks)
            .map(|(c, m)| format!("{c} = {m}"))
            .collect();
        let bulk: bool =
            conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM usage)", [], |r| r.get(0))?;
        let list = |v: &[&str]| {
            if v.is_empty() {
                String::new()
            } else {
                format!(", {}", v.join(", "))
            }
        };
        let one_row = format!("(?{})", ", ?".repeat(cols.len() + 1));
        Ok(Loader {
            bulk,
            insert: conn.prepare(&format!(
                "INSERT INTO usage(service_id, day{}) VALUES (?1, ?2{})",
                list(&cols),
                list(&marks.iter().map(String::as_str).collect::<Vec<_>>())
            ))?,
            insert_chunk: conn.prepare(&format!(
                "INSERT INTO usage(service_id, day{}) VALUES {}",
                list(&cols),
                vec![one_row; CHUNK].join(", ")
            ))?,
            chunk: (0..CHUNK).map(|_| Pending::default()).collect(),
            chunked: 0,
            get: conn.prepare(&format!(
                "SELECT 1{} FROM usage WHERE service_id = ?1 AND day = ?2",
                list(&cols)
            ))?,
            update: conn.prepare(&format!(
                "UPDATE usage SET {} WHERE service_id = ?1 AND day = ?2",
                if sets.is_empty() {
                    "day = day".to_string()
                } else {
                    sets.join(", ")
                }
            ))?,
            service: conn.prepare("SELECT accounts FROM services WHERE service_id = ?1")?,
            indicators: health::Store::new(conn)?,
            metrics,
            custom,
            service_col: header.name_of(UsageCol::ServiceId).to_string(),
            date_col: header.name_of(UsageCol::Date).to_string(),
            run: None,
            rising: true,
            rows: Vec::new(),
            days: Vec::new(),
            ascending: true,
            count: conn.prepare("SELECT count(*) FROM usage WHERE service_id = ?1")?,
            complete: Vec::new(),
            partial: Vec::new(),
            keys: FxHashSet::default(),
            touched_rising: Vec::new(),
            pending: FxHashSet::default(),
            pending_ids: Vec::new(),
            day: String::with_capacity(10),
            counts: Counts::default(),
        })
    }

    /// Writes one row. A row that breaks a rule needing the database (no
    /// such service, a (service, day) on an earlier line) comes back as a
    /// bad row and writes nothing.
    pub(crate) fn apply(&mut self, row: &UsageRow) -> Result<Result<(), BadRow>> {
        if self.run.as_ref().is_none_or(|r| r.id != row.service_id) {
            self.start_run(&row.service_id)?;
        }
        let run = self.run.as_ref().expect("started");
        if run.service.is_none() {
            return Ok(Err(row.bad(
                &self.service_col,
                &row.service_id,
                um::usage_no_service(),
            )));
        }
        self.day.clear();
        push_iso(row.day, &mut self.day);
        // While rising, only this run has rows of this service so far.
        if self.rising && self.run_has(row.day) {
            return Ok(Err(self.repeat(row)));
        }
        let did = if self.bulk && self.rising {
            self.add_to_chunk(row)?;
            Did::New
        } else if self.bulk {
            match self.write(row, None, false) {
                Ok(()) => Did::New,
                Err(Error::Sqlite(e)) if is_duplicate_key(&e) => return Ok(Err(self.repeat(row))),
                Err(e) => return Err(e),
            }
        } else {
            let stored = self.stored(row)?;
            if !self.rising {
                let key = key_hash(&row.service_id, row.day);
                let again = !self.keys.insert(key);
                // Stored now, if on an earlier line.
                if stored.is_some() && (again || self.rising_had(&row.service_id, key)) {
                    return Ok(Err(self.repeat(row)));
                }
            }
            match stored {
                None => {
                    self.write(row, None, false)?;
                    Did::New
                }
                Some((values, custom)) => {
                    let new_custom = if self.custom {
                        row.custom_json(custom.as_deref())
                    } else {
                        None
                    };
                    let same = self
                        .metrics
                        .iter()
                        .zip(&values)
                        .all(|(&c, v)| row.metrics[c.metric_index()] == *v)
                        && new_custom == custom;
                    if same {
                        Did::Unchanged
                    } else {
                        self.write(row, new_custom.as_deref(), true)?;
                        Did::Updated
                    }
                }
            }
        };
        if self.rising {
            if self.days.last().is_some_and(|&d| d > row.day) {
                self.ascending = false;
            }
            self.days.push(row.day);
        }
        match did {
            Did::New => self.counts.new += 1,
            Did::Updated => self.counts.updated += 1,
            Did::Unchanged => {
                self.counts.unchanged += 1;
                return Ok(Ok(()));
            }
        }
        let run = self.run.as_mut().expect("started");
        if !run.changed {
            run.changed = true;
            let h = hash(run.id.as_str());
            if self.rising {
                self.touched_rising.push(h);
            } else if self.pending.insert(h) {
                self.pending_ids.push(run.id.clone());
            }
        }
        if self.rising && self.bulk {
            self.rows.push(row.usage());
        }
        Ok(Ok(()))
    }

    /// While rising: whether this run already has a row of `day`.
    fn run_has(&self, day: NaiveDate) -> bool {
        match self.days.last() {
            None => false,
            Some(&last) if self.ascending && last < day => false,
            _ => self.days.contains(&day),
        }
    }

    /// Outside bulk mode, once the ids have gone down: whether a rising
    /// run had the stored key (`key`, of `service`).
    fn rising_had(&self, service: &str, key: u64) -> bool {
        self.complete.binary_search(&hash(service)).is_ok()
            || self.partial.binary_search(&key).is_ok()
    }

    /// Bulk mode: the row into the chunk, which is written when full.
    fn add_to_chunk(&mut self, row: &UsageRow) -> Result<()> {
        let p = &mut self.chunk[self.chunked];
        p.id.clear();
        p.id.push_str(&row.service_id);
        p.day.clear();
        p.day.push_str(&self.day);
        p.metrics = row.metrics;
        p.custom = if self.custom {
            row.custom_json(None)
        } else {
            None
        };
        self.chunked += 1;
        if self.chunked == CHUNK {
            let per_row = 2 + self.metrics.len() + usize::from(self.custom);
            let stmt = &mut self.insert_chunk;
            for (i, p) in self.chunk.iter().enumerate() {
                let at = i * per_row;
                bind_pending(stmt, at, p, &self.metrics, self.custom)?;
            }
            stmt.raw_execute()?;
            self.chunked = 0;
        }
        Ok(())
    }

    /// Writes the rows of a chunk that is not full, one by one.
    fn flush_chunk(&mut self) -> Result<()> {
        for p in &self.chunk[..self.chunked] {
            bind_pending(&mut self.insert, 0, p, &self.metrics, self.custom)?;
            self.insert.raw_execute()?;
        }
        self.chunked = 0;
        Ok(())
    }

    fn repeat(&self, row: &UsageRow) -> BadRow {
        row.bad(
            &self.date_col,
            &self.day,
            um::usage_duplicate_day(&row.service_id, &self.day),
        )
    }

    /// The stored row of this (service, day): the file's metric columns
    /// and the custom object.
    fn stored(&mut self, row: &UsageRow) -> Result<Option<Stored>> {
        let n = self.metrics.len();
        let custom = self.custom;
        Ok(self
            .get
            .query_row([row.service_id.as_str(), self.day.as_str()], |r| {
                let v = (0..n)
                    .map(|i| r.get::<_, Option<i64>>(i + 1))
                    .collect::<rusqlite::Result<_>>()?;
                let c = if custom { r.get(n + 1)? } else { None };
                Ok((v, c))
            })
            .optional()?)
    }

    /// Inserts the row, or updates the stored one with `custom` (the
    /// stored custom object merged with the row's).
    fn write(&mut self, row: &UsageRow, custom: Option<&str>, update: bool) -> Result<()> {
        let stmt = if update {
            &mut self.update
        } else {
            &mut self.insert
        };
        stmt.raw_bind_parameter(1, row.service_id.as_str())?;
        stmt.raw_bind_parameter(2, self.day.as_str())?;
        let mut at = 3;
        for &c in &self.metrics {
            stmt.raw_bind_parameter(at, row.metrics[c.metric_index()])?;
            at += 1;
        }
        if self.custom {
            if update {
                stmt.raw_bind_parameter(at, custom)?;
            } else {
                stmt.raw_bind_parameter(at, row.custom_json(None))?;
            }
        }
        stmt.raw_execute()?;
        Ok(())
    }

    /// Ends the current run and starts one for `id`, looking the service
    /// up once for all its rows.
    fn start_run(&mut self, id: &str) -> Result<()> {
        if let Some(prev) = self.end_run()? {
            if id <= prev.as_str() && self.rising {
                self.rising = false;
                // From now on the primary key tells a repeat,
                self.flush_chunk()?;
                // or these do.
                self.complete.sort_unstable();
                self.partial.sort_unstable();
            }
        }
        let service: Option<Option<i64>> = self.service.query_row([id], |r| r.get(0)).optional()?;
        self.run = Some(Run {
            id: id.to_string(),
            service,
            changed: false,
        });
        Ok(())
    }

    /// While rising, stores the indicators of the run that ends, whose
    /// rows are now all in. Returns its service id.
    fn end_run(&mut self) -> Result<Option<String>> {
        let Some(run) = self.run.take() else {
            return Ok(None);
        };
        if self.rising && !self.bulk && !self.days.is_empty() {
            // What a repeat after the ids go down is checked against.
            let h = hash(run.id.as_str());
            let all: bool = self.days.len() >= 2 && {
                let n: i64 = self.count.query_row([run.id.as_str()], |r| r.get(0))?;
                n == self.days.len() as i64
            };
            if all {
                self.complete.push(h);
            } else {
                let id = run.id.as_str();
                self.partial
                    .extend(self.days.iter().map(|&d| key_hash(id, d)));
            }
        }
        if self.rising && run.changed {
            let accounts = run.service.flatten();
            if self.bulk {
                // Into an empty table, the run's rows are all of them.
                self.rows.sort_by_key(|u| u.day);
                if let Some(ind) = Indicators::from_history(&self.rows, accounts) {
                    self.indicators.put(&run.id, &ind)?;
                }
            } else {
                self.indicators.refresh_one(&run.id, accounts)?;
            }
        }
        self.rows.clear();
        self.days.clear();
        self.ascending = true;
        Ok(Some(run.id))
    }

    /// Stores the indicators not stored yet (when `refresh`), and returns
    /// the counts.
    pub(crate) fn finish(mut self, refresh: bool) -> Result<Counts> {
        self.flush_chunk()?;
        if refresh {
            self.end_run()?;
            self.pending_ids.sort_unstable();
            self.indicators.refresh(&self.pending_ids)?;
        }
        // Each service touched while rising has one run: no repeats.
        self.touched_rising.sort_unstable();
        let later = self
            .pending
            .iter()
            .filter(|h| self.touched_rising.binary_search(h).is_err())
            .count();
        self.counts.services = (self.touched_rising.len() + later) as u64;
        Ok(self.counts)
    }
}

/// Binds a waiting row at parameters `at + 1 …` of `stmt`.
fn bind_pending(
    stmt: &mut Statement,
    at: usize,
    p: &Pending,
    metrics: &[UsageCol],
    custom: bool,
) -> Result<()> {
    stmt.raw_bind_parameter(at + 1, p.id.as_str())?;
    stmt.raw_bind_parameter(at + 2, p.day.as_str())?;
    let mut i = at + 3;
    for &c in metrics {
        stmt.raw_bind_parameter(i, p.metrics[c.metric_index()])?;
        i += 1;
    }
    if custom {
        stmt.raw_bind_parameter(i, p.custom.as_deref())?;
    }
    Ok(())
}

/// `usage import` on either engine: SQLite's `Loader` as it is, or the
/// PostgreSQL one.
// One loader a whole import, on the stack: no box to follow a row.
#[allow(clippy::large_enum_variant)]
pub(crate) enum AnyLoader<'c> {
    Lite(Loader<'c>),
    Pg(PgLoader<'c>),
}

impl<'c> AnyLoader<'c> {
    pub(crate) fn new(conn: &'c Conn, header: &UsageHeader) -> Result<AnyLoader<'c>> {
        Ok(match conn.kind() {
            Kind::Lite => AnyLoader::Lite(Loader::new(conn.lite()?, header)?),
            Kind::Pg => AnyLoader::Pg(PgLoader::new(conn, header)?),
        })
    }

    pub(crate) fn apply(&mut self, row: &UsageRow) -> Result<Result<(), BadRow>> {
        match self {
            AnyLoader::Lite(l) => l.apply(row),
            AnyLoader::Pg(l) => l.apply(row),
        }
    }

    pub(crate) fn finish(self, refresh: bool) -> Result<Counts> {
        match self {
            AnyLoader::Lite(l) => l.finish(refresh),
            AnyLoader::Pg(l) => l.finish(refresh),
        }
    }
}

/// Rows a COPY into an empty table sends at once.
const COPY_ROWS: usize = 1 << 14;

/// The PostgreSQL side of `usage import`: into an empty table, new rows
/// go in by COPY, a repeat told by the hashes of the keys seen; else each
/// row is looked up and inserted, updated or left alone. The services
/// whose usage changed have their indicators refreshed at the end.
pub(crate) struct PgLoader<'c> {
    conn: &'c Conn,
    bulk: bool,
    metrics: Vec<UsageCol>,
    custom: bool,
    insert_sql: String,
    get_sql: String,
    update_sql: String,
    copy_sql: String,
    service_col: String,
    date_col: String,
    /// The current run: its service id, and whether the service exists.
    run: Option<(String, bool)>,
    seen: FxHashSet<u64>,
    changed: FxHashSet<String>,
    /// Bulk mode: COPY text waiting, and how many rows it holds.
    copy: Vec<u8>,
    copied: usize,
    day: String,
    counts: Counts,
}

impl<'c> PgLoader<'c> {
    fn new(conn: &'c Conn, header: &UsageHeader) -> Result<PgLoader<'c>> {
        let metrics: Vec<UsageCol> = UsageCol::METRICS
            .into_iter()
            .filter(|&c| header.has(c))
            .collect();
        let custom = header.may_have_custom();
        let mut cols: Vec<&str> = metrics.iter().map(|c| c.id()).collect();
        if custom {
            cols.push("custom");
        }
        let marks: Vec<String> = (3..cols.len() + 3).map(|i| format!("?{i}")).collect();
        let sets: Vec<String> = cols
            .iter()
            .zip(&marks)
            .map(|(c, m)| format!("{c} = {m}"))
            .collect();
        let list = |v: &[&str]| {
            if v.is_empty() {
                String::new()
            } else {
                format!(", {}", v.join(", "))
            }
        };
        let bulk: bool = conn.one("SELECT NOT EXISTS (SELECT 1 FROM usage)", args![])?;
        Ok(PgLoader {
            conn,
            bulk,
            insert_sql: format!(
                "INSERT INTO usage(service_id, day{}) VALUES (?1, ?2{})",
                list(&cols),
                list(&marks.iter().map(String::as_str).collect::<Vec<_>>())
            ),
            get_sql: format!(
                "SELECT 1{} FROM usage WHERE service_id = ?1 AND day = ?2",
                list(&cols)
            ),
            update_sql: format!(
                "UPDATE usage SET {} WHERE service_id = ?1 AND day = ?2",
                if sets.is_empty() {
                    "day = day".to_string()
                } else {
                    sets.join(", ")
                }
            ),
            copy_sql: format!("COPY usage (service_id, day{}) FROM STDIN", list(&cols)),
            metrics,
            custom,
            service_col: header.name_of(UsageCol::ServiceId).to_string(),
            date_col: header.name_of(UsageCol::Date).to_string(),
            run: None,
            seen: FxHashSet::default(),
            changed: FxHashSet::default(),
            copy: Vec::new(),
            copied: 0,
            day: String::with_capacity(10),
            counts: Counts::default(),
        })
    }

    fn apply(&mut self, row: &UsageRow) -> Result<Result<(), BadRow>> {
        if self.run.as_ref().is_none_or(|r| r.0 != row.service_id) {
            let exists: bool = self.conn.one(
                "SELECT EXISTS (SELECT 1 FROM services WHERE service_id = ?1)",
                args![row.service_id.as_str()],
            )?;
            self.run = Some((row.service_id.clone(), exists));
        }
        if !self.run.as_ref().expect("started").1 {
            return Ok(Err(row.bad(
                &self.service_col,
                &row.service_id,
                um::usage_no_service(),
            )));
        }
        self.day.clear();
        push_iso(row.day, &mut self.day);
        if !self.seen.insert(key_hash(&row.service_id, row.day)) {
            return Ok(Err(row.bad(
                &self.date_col,
                &self.day,
                um::usage_duplicate_day(&row.service_id, &self.day),
            )));
        }
        let did = if self.bulk {
            self.add_to_copy(row)?;
            Did::New
        } else {
            let n = self.metrics.len();
            let custom = self.custom;
            let stored: Option<Stored> = self.conn.row_opt(
                &self.get_sql,
                args![row.service_id.as_str(), self.day.as_str()],
                |r| {
                    let v = (0..n)
                        .map(|i| r.get::<Option<i64>>(i + 1))
                        .collect::<Result<_>>()?;
                    let c = if custom { r.get(n + 1)? } else { None };
                    Ok((v, c))
                },
            )?;
            match stored {
                None => {
                    let c = if self.custom {
                        row.custom_json(None)
                    } else {
                        None
                    };
                    self.write(&self.insert_sql, row, c.as_deref())?;
                    Did::New
                }
                Some((values, custom)) => {
                    let new_custom = if self.custom {
                        row.custom_json(custom.as_deref())
                    } else {
                        None
                    };
                    let same = self
                        .metrics
                        .iter()
                        .zip(&values)
                        .all(|(&c, v)| row.metrics[c.metric_index()] == *v)
                        && new_custom == custom;
                    if same {
                        Did::Unchanged
                    } else {
                        self.write(&self.update_sql, row, new_custom.as_deref())?;
                        Did::Updated
                    }
                }
            }
        };
        match did {
            Did::New => self.counts.new += 1,
            Did::Updated => self.counts.updated += 1,
            Did::Unchanged => {
                self.counts.unchanged += 1;
                return Ok(Ok(()));
            }
        }
        if !self.changed.contains(row.service_id.as_str()) {
            self.changed.insert(row.service_id.clone());
        }
        Ok(Ok(()))
    }

    /// Inserts or updates the row with `sql`, its custom object `custom`.
    fn write(&self, sql: &str, row: &UsageRow, custom: Option<&str>) -> Result<()> {
        let mut a: Vec<&dyn super::sql::Arg> = vec![&row.service_id, &self.day];
        for &c in &self.metrics {
            a.push(&row.metrics[c.metric_index()]);
        }
        if self.custom {
            a.push(&custom);
        }
        self.conn.execute(sql, &a)?;
        Ok(())
    }

    /// Bulk mode: the row as COPY text, sent when enough have gathered.
    fn add_to_copy(&mut self, row: &UsageRow) -> Result<()> {
        use std::io::Write;
        super::load::copy_text(&mut self.copy, &row.service_id);
        self.copy.push(b'\t');
        self.copy.extend_from_slice(self.day.as_bytes());
        for &c in &self.metrics {
            self.copy.push(b'\t');
            match row.metrics[c.metric_index()] {
                Some(v) => {
                    let _ = write!(self.copy, "{v}");
                }
                None => self.copy.extend_from_slice(b"\\N"),
            }
        }
        if self.custom {
            self.copy.push(b'\t');
            match row.custom_json(None) {
                Some(j) => super::load::copy_text(&mut self.copy, &j),
                None => self.copy.extend_from_slice(b"\\N"),
            }
        }
        self.copy.push(b'\n');
        self.copied += 1;
        if self.copied >= COPY_ROWS {
            self.flush_copy()?;
        }
        Ok(())
    }

    fn flush_copy(&mut self) -> Result<()> {
        if self.copied == 0 {
            return Ok(());
        }
        let data = std::mem::take(&mut self.copy);
        self.conn.copy_in(&self.copy_sql, |w| {
            w.write_all(&data)
                .map_err(|e| Error::Team(format!("COPY: {e}")))
        })?;
        self.copy = data;
        self.copy.clear();
        self.copied = 0;
        Ok(())
    }

    fn finish(mut self, refresh: bool) -> Result<Counts> {
        self.flush_copy()?;
        let mut ids: Vec<String> = self.changed.into_iter().collect();
        ids.sort_unstable();
        if refresh {
            health::refresh_any(self.conn, &ids)?;
        }
        self.counts.services = ids.len() as u64;
        Ok(self.counts)
    }
}
