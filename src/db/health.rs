//! Usage read back as indicators, calibrations stored and found, and the
//! terms a calibration or a backtest judges (SPEC "Usage and health").

use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Statement};

use super::query::Where;
use super::sql::{args, Sql};
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::health::{
    Band, Calibration, Health, Indicators, Usage, FRESH_DAYS, LEAD_DAYS, TREND_DAYS,
};

fn minus(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_sub_days(Days::new(days as u64)).unwrap_or(d)
}

fn usage_row(r: &rusqlite::Row) -> rusqlite::Result<Usage> {
    Ok(Usage {
        day: r.get_ref(0)?.as_str().ok().and_then(from_iso),
        accounts: r.get(1)?,
        active_users: r.get(2)?,
        key_actions: r.get(3)?,
        features_used: r.get(4)?,
    })
}

/// `usage_row` over either engine's row.
fn usage_of(r: &super::sql::Row) -> Result<Usage> {
    Ok(Usage {
        day: r.get::<Option<String>>(0)?.as_deref().and_then(from_iso),
        accounts: r.get(1)?,
        active_users: r.get(2)?,
        key_actions: r.get(3)?,
        features_used: r.get(4)?,
    })
}

/// The latest usage row of `service` dated on or before `day`.
fn latest_on(conn: &impl Sql, service: &str, day: NaiveDate) -> Result<Option<Usage>> {
    conn.row_opt(
        "SELECT day, accounts, active_users, key_actions, features_used FROM usage
             WHERE service_id = ?1 AND day <= ?2 ORDER BY day DESC LIMIT 1",
        args![service, iso(day)],
        usage_of,
    )
}

/// The service's indicators from usage dated on or before `day` only: its
/// latest row then, and for the trend the latest row at most 45 days
/// older than that row's day − 90. None without any row (a row older than
/// 45 days is returned; `Indicators::fresh_on` judges it).
pub(crate) fn indicators_on(
    conn: &impl Sql,
    service: &str,
    day: NaiveDate,
) -> Result<Option<Indicators>> {
    let Some(latest) = latest_on(conn, service, day)? else {
        return Ok(None);
    };
    let row_day = latest.day.unwrap_or(day);
    let back = minus(row_day, TREND_DAYS);
    let earlier = latest_on(conn, service, back)?
        .filter(|e| e.day.is_some_and(|d| (back - d).num_days() <= FRESH_DAYS));
    let accounts: Option<i64> = conn
        .row_opt(
            "SELECT accounts FROM services WHERE service_id = ?1",
            args![service],
            |r| r.get(0),
        )?
        .flatten();
    Ok(Some(Indicators::from_usage(
        &latest,
        earlier.as_ref(),
        accounts,
    )))
}

/// Stores each service's indicators as of its latest usage row, for reads
/// (see the `indicators` table). Loads use a `Store` of their own.
#[cfg(test)]
pub(crate) fn refresh(conn: &Connection, services: &[String]) -> Result<()> {
    Store::new(conn)?.refresh(services)
}

/// Writes the stored indicators, its statements prepared once for the
/// many services of an import.
pub(crate) struct Store<'c> {
    put: Statement<'c>,
    recent: Statement<'c>,
    accounts: Statement<'c>,
    rows: Vec<Usage>,
    /// The newest calibration: the one a read of today finds in force.
    newest: Option<Calibration>,
}

impl<'c> Store<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Store<'c>> {
        Ok(Store {
            put: conn.prepare(
                "INSERT INTO indicators(service_id, day, active_ratio, actions_per_account, features_used, active_trend,
                                        cal, score, band)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(service_id) DO UPDATE SET day = excluded.day,
                   active_ratio = excluded.active_ratio, actions_per_account = excluded.actions_per_account,
                   features_used = excluded.features_used, active_trend = excluded.active_trend,
                   cal = excluded.cal, score = excluded.score, band = excluded.band
                 WHERE (day, active_ratio, actions_per_account, features_used, active_trend, cal, score, band)
                   IS NOT (excluded.day, excluded.active_ratio, excluded.actions_per_account,
                           excluded.features_used, excluded.active_trend,
                           excluded.cal, excluded.score, excluded.band)",
            )?,
            recent: conn.prepare(
                "SELECT day, accounts, active_users, key_actions, features_used FROM usage
                 WHERE service_id = ?1 ORDER BY day DESC",
            )?,
            accounts: conn.prepare("SELECT accounts FROM services WHERE service_id = ?1")?,
            rows: Vec::new(),
            newest: calibration_on(conn, LAST_DAY)?,
        })
    }

    /// Stores each service's indicators as of its latest usage row.
    pub(crate) fn refresh(&mut self, services: &[String]) -> Result<()> {
        for s in services {
            let accounts: Option<i64> = self
                .accounts
                .query_row([s], |r| r.get(0))
                .optional()?
                .flatten();
            self.refresh_one(s, accounts)?;
        }
        Ok(())
    }

    /// Stores one service's indicators as of its latest usage row, given
    /// its `accounts`; reads only the rows `Indicators::from_history`
    /// looks at.
    pub(crate) fn refresh_one(&mut self, service: &str, accounts: Option<i64>) -> Result<()> {
        self.rows.clear();
        let mut found = self.recent.query([service])?;
        let mut oldest_needed: Option<NaiveDate> = None;
        while let Some(r) = found.next()? {
            let u = usage_row(r)?;
            match (oldest_needed, u.day) {
                (None, Some(d)) => oldest_needed = Some(minus(d, TREND_DAYS + FRESH_DAYS)),
                (Some(o), Some(d)) if d < o => break,
                _ => {}
            }
            self.rows.push(u);
        }
        drop(found);
        self.rows.reverse();
        match Indicators::from_history(&self.rows, accounts) {
            Some(ind) => self.put(service, &ind),
            None => Ok(()),
        }
    }

    /// Stores `ind` as the service's indicators, judged under the newest
    /// calibration; an unchanged row is not rewritten.
    pub(crate) fn put(&mut self, service: &str, ind: &Indicators) -> Result<()> {
        let [a, b, c, d] = ind.values;
        let (cal, score, band) = match (&self.newest, ind.day) {
            (Some(cal), Some(day)) => {
                let h = Health::of(Some(cal), Some(*ind), day);
                (Some(cal.id), h.score, Some(h.band.id()))
            }
            _ => (None, None, None),
        };
        self.put.execute(params![
            service,
            ind.day.map(iso),
            a,
            b,
            c,
            d,
            cal,
            score,
            band
        ])?;
        Ok(())
    }
}

/// Stores each service's indicators as of its latest usage row, on either
/// engine (a `Store` keeps SQLite's statements prepared, for its loads).
pub(crate) fn refresh_any(conn: &impl Sql, services: &[String]) -> Result<()> {
    let newest = calibration_on(conn, LAST_DAY)?;
    for s in services {
        let accounts: Option<i64> = conn
            .row_opt(
                "SELECT accounts FROM services WHERE service_id = ?1",
                args![s],
                |r| r.get(0),
            )?
            .flatten();
        let mut rows = conn.rows(
            "SELECT day, accounts, active_users, key_actions, features_used FROM usage
             WHERE service_id = ?1 ORDER BY day DESC",
            args![s],
            usage_of,
        )?;
        let oldest = rows
            .first()
            .and_then(|u| u.day)
            .map(|d| minus(d, TREND_DAYS + FRESH_DAYS));
        if let Some(o) = oldest {
            if let Some(cut) = rows.iter().position(|u| u.day.is_some_and(|d| d < o)) {
                rows.truncate(cut);
            }
        }
        rows.reverse();
        if let Some(ind) = Indicators::from_history(&rows, accounts) {
            put_any(conn, newest.as_ref(), s, &ind)?;
        }
    }
    Ok(())
}

/// `Store::put` on either engine, judged under `newest`.
pub(crate) fn put_any(
    conn: &impl Sql,
    newest: Option<&Calibration>,
    service: &str,
    ind: &Indicators,
) -> Result<()> {
    let [a, b, c, d] = ind.values;
    let (cal, score, band) = match (newest, ind.day) {
        (Some(cal), Some(day)) => {
            let h = Health::of(Some(cal), Some(*ind), day);
            (Some(cal.id), h.score, Some(h.band.id()))
        }
        _ => (None, None, None),
    };
    conn.execute(
        "INSERT INTO indicators(service_id, day, active_ratio, actions_per_account, features_used, active_trend,
                                cal, score, band)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(service_id) DO UPDATE SET day = excluded.day,
           active_ratio = excluded.active_ratio, actions_per_account = excluded.actions_per_account,
           features_used = excluded.features_used, active_trend = excluded.active_trend,
           cal = excluded.cal, score = excluded.score, band = excluded.band
         WHERE (indicators.day, indicators.active_ratio, indicators.actions_per_account,
                indicators.features_used, indicators.active_trend,
                indicators.cal, indicators.score, indicators.band)
           IS DISTINCT FROM (excluded.day, excluded.active_ratio, excluded.actions_per_account,
                   excluded.features_used, excluded.active_trend,
                   excluded.cal, excluded.score, excluded.band)",
        args![service, ind.day.map(iso), a, b, c, d, cal, score, band],
    )?;
    Ok(())
}

/// Judges every stored row under `cal` (`judge_all`), on either engine:
/// on PostgreSQL the rule runs in Rust and the rows are written back in
/// batches.
pub(crate) fn judge_all_any(conn: &super::sql::Conn, cal: &Calibration) -> Result<()> {
    if conn.kind() == super::sql::Kind::Lite {
        return judge_all(conn.lite()?, cal);
    }
    let rows: Vec<(String, Option<String>, [Option<f64>; 4])> = conn.rows(
        "SELECT service_id, day, active_ratio, actions_per_account, features_used, active_trend
         FROM indicators",
        args![],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
            ))
        },
    )?;
    let judged: Vec<(&str, Option<f64>, &'static str)> = rows
        .iter()
        .map(|(id, day, values)| {
            let ind = Indicators {
                day: day.as_deref().and_then(from_iso),
                values: *values,
            };
            let h = match ind.day {
                Some(d) => Health::of(Some(cal), Some(ind), d),
                None => Health::UNKNOWN,
            };
            (id.as_str(), h.score, h.band.id())
        })
        .collect();
    for chunk in judged.chunks(1000) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let at = 2 + 3 * i;
                format!(
                    "(CAST(?{} AS TEXT), CAST(?{} AS DOUBLE PRECISION), CAST(?{} AS TEXT))",
                    at,
                    at + 1,
                    at + 2
                )
            })
            .collect();
        let sql = format!(
            "UPDATE indicators AS i SET cal = ?1, score = v.score, band = v.band
             FROM (VALUES {}) AS v(id, score, band) WHERE i.service_id = v.id",
            values.join(", ")
        );
        let mut a: Vec<&dyn super::sql::Arg> = vec![&cal.id];
        for (id, score, band) in chunk {
            a.push(id);
            a.push(score);
            a.push(band);
        }
        conn.execute(&sql, &a)?;
    }
    Ok(())
}

/// Judges every stored row under `cal` (after `health calibrate`, when
/// it is the newest), in one statement: the rule is Rust's, called from
/// SQL. The band index is built again after, not kept up to date row by
/// row.
pub(crate) fn judge_all(conn: &Connection, cal: &Calibration) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    // The band is asked right after the score, of the same row: judged
    // once, remembered for that second call.
    let judge = cal.clone();
    let last = std::sync::Mutex::new(None::<(Indicators, Health)>);
    let health = move |ctx: &rusqlite::functions::Context| -> rusqlite::Result<Health> {
        let day: String = ctx.get(0)?;
        let ind = Indicators {
            day: from_iso(&day),
            values: [ctx.get(1)?, ctx.get(2)?, ctx.get(3)?, ctx.get(4)?],
        };
        let mut last = last.lock().expect("not poisoned");
        if let Some((seen, h)) = *last {
            if seen == ind {
                return Ok(h);
            }
        }
        let h = match ind.day {
            Some(d) => Health::of(Some(&judge), Some(ind), d),
            None => Health::UNKNOWN,
        };
        *last = Some((ind, h));
        Ok(h)
    };
    let health = std::sync::Arc::new(health);
    let h = std::sync::Arc::clone(&health);
    conn.create_scalar_function("xaas_score", 5, flags, move |ctx| Ok(h(ctx)?.score))?;
    conn.create_scalar_function("xaas_band", 5, flags, move |ctx| Ok(health(ctx)?.band.id()))?;
    let args = "day, active_ratio, actions_per_account, features_used, active_trend";
    let done = conn.execute_batch(&format!(
        "DROP INDEX IF EXISTS indicators_band;
         UPDATE indicators SET cal = {}, score = xaas_score({args}), band = xaas_band({args});
         CREATE INDEX indicators_band ON indicators(cal, band, day);",
        cal.id
    ));
    conn.remove_function("xaas_score", 5)?;
    conn.remove_function("xaas_band", 5)?;
    Ok(done?)
}

/// The last day a calibration can be as of: the one in force on it is the
/// newest.
const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("a real date"),
};

/// Stored indicators, and the health they were judged to have when
/// written: under which calibration, and as of their own day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Stored {
    pub(crate) ind: Indicators,
    pub(crate) judged: Option<(i64, Health)>,
}

/// The stored row read with `INDICATOR_COLUMNS` from `at`.
pub(crate) fn stored(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Option<Stored>> {
    let Some(day) = r.get_ref(at)?.as_str_or_null()?.and_then(from_iso) else {
        return Ok(None);
    };
    let ind = Indicators {
        day: Some(day),
        values: [
            r.get(at + 1)?,
            r.get(at + 2)?,
            r.get(at + 3)?,
            r.get(at + 4)?,
        ],
    };
    let cal: Option<i64> = r.get(at + 5)?;
    let band = r.get_ref(at + 7)?.as_str_or_null()?.and_then(Band::from_id);
    let judged = match (cal, band) {
        (Some(cal), Some(band)) => Some((
            cal,
            Health {
                band,
                score: r.get(at + 6)?,
            },
        )),
        _ => None,
    };
    Ok(Some(Stored { ind, judged }))
}

/// `stored` over either engine's row.
pub(crate) fn stored_of(r: &super::sql::Row, at: usize) -> Result<Option<Stored>> {
    let Some(day) = r.get::<Option<String>>(at)?.as_deref().and_then(from_iso) else {
        return Ok(None);
    };
    let ind = Indicators {
        day: Some(day),
        values: [
            r.get(at + 1)?,
            r.get(at + 2)?,
            r.get(at + 3)?,
            r.get(at + 4)?,
        ],
    };
    let cal: Option<i64> = r.get(at + 5)?;
    let band = r
        .get::<Option<String>>(at + 7)?
        .as_deref()
        .and_then(Band::from_id);
    let judged = match (cal, band) {
        (Some(cal), Some(band)) => Some((
            cal,
            Health {
                band,
                score: r.get(at + 6)?,
            },
        )),
        _ => None,
    };
    Ok(Some(Stored { ind, judged }))
}

/// The columns `stored` reads, from `indicators i` joined on the service.
pub(crate) const INDICATOR_COLUMNS: &str =
    "i.day, i.active_ratio, i.actions_per_account, i.features_used, i.active_trend, i.cal, i.score, i.band";

/// Health as the read commands show it as of one day, under the
/// calibration in force then (found once per command, its distributions
/// read only if a row needs judging). A stored row judged under that
/// calibration and dated on or before the day is taken as judged (fresh
/// or not as of the day); any other row is judged from its indicators,
/// or, when dated after the day (a past `--today`), from its usage up to
/// that day, so no later usage leaks in.
#[derive(Clone, Debug)]
pub(crate) struct Rater {
    today: NaiveDate,
    cal: Option<i64>,
    full: std::sync::OnceLock<Calibration>,
    /// Every stored row was judged under `cal` and is dated on or before
    /// the day: SQL can select a band by itself (`narrow`).
    current: bool,
}

impl Rater {
    pub(crate) fn load(conn: &impl Sql, today: NaiveDate) -> Result<Rater> {
        let cal = calibration_id_on(conn, today)?;
        let current = match cal {
            Some(id) => all_judged_under(conn, id, today)?,
            None => false,
        };
        Ok(Rater {
            today,
            cal,
            full: std::sync::OnceLock::new(),
            current,
        })
    }

    /// Whether a band can be known at all: without a calibration every
    /// service's is `unknown`, and rows need no join.
    pub(crate) fn rates(&self) -> bool {
        self.cal.is_some()
    }

    /// Whether `narrow` alone selects the rows of the wanted bands (no
    /// band to judge in Rust): without a calibration, or when every
    /// stored row is judged under it and dated on or before the day.
    pub(crate) fn decides(&self) -> bool {
        !self.rates() || self.current
    }

    /// What follows `FROM services s …` for `columns` (nothing without a
    /// calibration): one primary-key lookup a row.
    pub(crate) fn join(&self) -> &'static str {
        if self.rates() {
            " LEFT JOIN indicators i ON i.service_id = s.service_id"
        } else {
            ""
        }
    }

    /// The columns `rate` reads, after a comma (none without a
    /// calibration): `INDICATOR_COLUMNS`.
    pub(crate) fn columns(&self) -> String {
        if self.rates() {
            format!(", {INDICATOR_COLUMNS}")
        } else {
            String::new()
        }
    }

    /// Narrows `w` (over the `join`) to the rows that can have one of the
    /// `wanted` bands, none wanted being all. When the rater `decides`,
    /// to exactly those rows: none without a calibration unless `unknown`
    /// is wanted; else by the stored band, fresh as of the day. Otherwise
    /// (some rows to judge in Rust, with `rate`), when `unknown` is not
    /// wanted, to the rows with a stored row at most 45 days old or later.
    pub(crate) fn narrow(&self, w: &mut Where, wanted: &[Band]) {
        self.narrow_by(w, wanted, false)
    }

    /// `narrow`, for a count of the stored rows alone: SQL that reads the
    /// band index. (`narrow`'s keeps SQLite reading the services first,
    /// in their order: a first page in expiry order is then found in the
    /// first few hundred services, not after sorting every match.)
    pub(crate) fn narrow_indexed(&self, w: &mut Where, wanted: &[Band]) {
        self.narrow_by(w, wanted, true)
    }

    fn narrow_by(&self, w: &mut Where, wanted: &[Band], indexed: bool) {
        if wanted.is_empty() {
            return;
        }
        let unknown = wanted.contains(&Band::Unknown);
        let Some(cal) = self.cal else {
            if !unknown {
                w.push("FALSE".into());
            }
            return;
        };
        if !self.current {
            if !unknown {
                let oldest = w.param(iso(minus(self.today, FRESH_DAYS)));
                w.push(format!("i.day >= {oldest}"));
            }
            return;
        }
        let oldest = w.param(iso(minus(self.today, FRESH_DAYS)));
        let mut any = Vec::new();
        let known: Vec<String> = wanted
            .iter()
            .filter(|b| b.is_known())
            .map(|b| w.param(b.id().to_string()))
            .collect();
        if !known.is_empty() {
            let band = format!(
                "i.cal = {cal} AND i.band IN ({}) AND i.day >= {oldest}",
                known.join(", ")
            );
            // Not null-rejecting, so the join stays a LEFT JOIN, read in
            // the services' order.
            any.push(if indexed {
                format!("({band})")
            } else {
                format!("coalesce({band}, FALSE)")
            });
        }
        if unknown {
            let u = w.param(Band::Unknown.id().to_string());
            any.push(format!(
                "i.service_id IS NULL OR i.day < {oldest} OR i.band = {u}"
            ));
        }
        w.push(format!("({})", any.join(" OR ")));
    }

    /// The health of the row read with `columns` from `at`, whose
    /// service id is at `id` (unknown without a calibration, when nothing
    /// was read).
    pub(crate) fn rate(
        &self,
        conn: &Connection,
        r: &rusqlite::Row,
        at: usize,
        id: usize,
    ) -> Result<Health> {
        if !self.rates() {
            return Ok(Health::UNKNOWN);
        }
        self.health(conn, stored(r, at)?, || r.get(id))
    }

    /// The health of a service from its stored row; `id` gives its id
    /// when the row is dated after the day.
    pub(crate) fn health(
        &self,
        conn: &impl Sql,
        row: Option<Stored>,
        id: impl FnOnce() -> rusqlite::Result<String>,
    ) -> Result<Health> {
        let Some(cal) = self.cal else {
            return Ok(Health::UNKNOWN);
        };
        let mut ind = row.map(|r| r.ind);
        let dated = ind.and_then(|i| i.day);
        if dated.is_some_and(|d| d > self.today) {
            ind = indicators_on(conn, &id()?, self.today)?;
        } else if let Some((under, h)) = row.and_then(|r| r.judged) {
            if under == cal {
                let fresh = ind.and_then(|i| i.fresh_on(self.today)).is_some();
                return Ok(if fresh { h } else { Health::UNKNOWN });
            }
        }
        Ok(Health::of(
            Some(self.calibration(conn, cal)?),
            ind,
            self.today,
        ))
    }

    /// The calibration in force, read the first time a row needs it.
    fn calibration(&self, conn: &impl Sql, id: i64) -> Result<&Calibration> {
        if let Some(c) = self.full.get() {
            return Ok(c);
        }
        let c = calibration(conn, id)?;
        Ok(self.full.get_or_init(|| c))
    }
}

/// Whether every stored row was judged under calibration `cal` and is
/// dated on or before `day`: a handful of seeks in the band index.
fn all_judged_under(conn: &impl Sql, cal: i64, day: NaiveDate) -> Result<bool> {
    let later: Vec<String> = Band::ALL
        .iter()
        .map(|b| {
            format!(
                "NOT EXISTS (SELECT 1 FROM indicators WHERE cal = ?1 AND band = '{}' AND day > ?2)",
                b.id()
            )
        })
        .collect();
    let sql = format!(
        "SELECT NOT EXISTS (SELECT 1 FROM indicators WHERE cal IS NULL)
            AND NOT EXISTS (SELECT 1 FROM indicators WHERE cal < ?1)
            AND NOT EXISTS (SELECT 1 FROM indicators WHERE cal > ?1)
            AND NOT EXISTS (SELECT 1 FROM indicators WHERE cal = ?1 AND band IS NULL)
            AND {}",
        later.join(" AND ")
    );
    conn.one(&sql, args![cal, iso(day)])
}

/// The stored indicators of services read in ascending id order, walked
/// beside them front to back: a whole-book export in id order reads the
/// table once, as it reads the services, instead of a lookup a row (which
/// costs three times as much: the export's budget with usage is 1.25× its
/// time without).
pub(crate) struct Walk<'s> {
    rows: rusqlite::Rows<'s>,
    /// The row ahead of the last id asked for: its service id, its
    /// indicators. Empty before the first and after the last.
    id: Vec<u8>,
    ahead: Option<Option<Stored>>,
    started: bool,
}

impl<'s> Walk<'s> {
    /// What `new` runs: the stored rows `condition` (a WHERE clause over
    /// `i`, or nothing) selects, by service id.
    pub(crate) fn sql(condition: &str) -> String {
        format!(
            "SELECT i.service_id, {INDICATOR_COLUMNS} FROM indicators i{condition} ORDER BY i.service_id"
        )
    }

    /// A walk over the rows of `stmt`, prepared from `sql(..)`.
    pub(crate) fn new(
        stmt: &'s mut rusqlite::Statement<'_>,
        params: impl rusqlite::Params,
    ) -> Result<Walk<'s>> {
        Ok(Walk {
            rows: stmt.query(params)?,
            id: Vec::new(),
            ahead: None,
            started: false,
        })
    }

    fn advance(&mut self) -> Result<()> {
        self.started = true;
        self.ahead = None;
        if let Some(r) = self.rows.next()? {
            self.id.clear();
            self.id.extend_from_slice(r.get_ref(0)?.as_bytes()?);
            self.ahead = Some(stored(r, 1)?);
        }
        Ok(())
    }

    /// The stored row of service `id`, which sorts after every id asked
    /// for before (byte order, as SQLite's `ORDER BY`).
    pub(crate) fn get(&mut self, id: &[u8]) -> Result<Option<Stored>> {
        if !self.started {
            self.advance()?;
        }
        while let Some(ind) = self.ahead {
            match self.id.as_slice().cmp(id) {
                std::cmp::Ordering::Less => self.advance()?,
                std::cmp::Ordering::Equal => return Ok(ind),
                std::cmp::Ordering::Greater => return Ok(None),
            }
        }
        Ok(None)
    }
}

/// Distributions as stored: per indicator a u32 count, then its values as
/// little-endian f64. Read back by a copy, where JSON took ~0.2 s to parse
/// for a sample of 150k terms on every read command.
fn pack(d: &[Vec<f64>; 4]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + 8 * d.iter().map(Vec::len).sum::<usize>());
    for values in d {
        out.extend_from_slice(&(values.len() as u32).to_le_bytes());
        for v in values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// `pack`'s bytes back, or JSON text (`[[...],[...],[...],[...]]`, as a
/// hand-made fixture writes them); None when neither reads.
fn unpack(v: rusqlite::types::ValueRef) -> Option<[Vec<f64>; 4]> {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Text(t) => serde_json::from_slice(t).ok(),
        ValueRef::Blob(mut b) => {
            let mut out: [Vec<f64>; 4] = Default::default();
            for values in &mut out {
                let (n, rest) = b.split_first_chunk::<4>()?;
                let n = u32::from_le_bytes(*n) as usize;
                let bytes = rest.get(..n.checked_mul(8)?)?;
                *values = bytes
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes")))
                    .collect();
                b = &rest[n * 8..];
            }
            b.is_empty().then_some(out)
        }
        _ => None,
    }
}

/// `unpack` over either engine's value.
fn unpack_value(v: super::sql::Value) -> Option<[Vec<f64>; 4]> {
    use super::sql::Value;
    use rusqlite::types::ValueRef;
    match &v {
        Value::Text(t) => unpack(ValueRef::Text(t.as_bytes())),
        // A hand-made fixture's JSON text, stored as bytes on PostgreSQL.
        Value::Blob(b) => unpack(ValueRef::Blob(b)).or_else(|| serde_json::from_slice(b).ok()),
        _ => None,
    }
}

/// Stores a calibration and gives it its number.
pub(crate) fn save(conn: &impl Sql, c: &mut Calibration) -> Result<()> {
    let w: Vec<String> = c.weights.iter().map(|x| x.to_string()).collect();
    let dist = pack(&c.distributions);
    c.id = conn.one(
        "INSERT INTO calibrations(made_at, as_of, sample, weights, danger_pct, fair_pct, danger_below, fair_below, distributions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        args![
            c.made_at,
            iso(c.as_of),
            c.sample as i64,
            w.join(","),
            c.danger_pct,
            c.fair_pct,
            c.danger_below,
            c.fair_below,
            dist
        ],
    )?;
    Ok(())
}

/// The number of the calibration in force on `day`: the newest made as of
/// that day or earlier. None before the first.
fn calibration_id_on(conn: &impl Sql, day: NaiveDate) -> Result<Option<i64>> {
    conn.row_opt(
        // Not whole rows sorted: they would read every calibration's
        // distributions (megabytes each).
        "SELECT id FROM calibrations WHERE as_of <= ?1 ORDER BY as_of DESC, id DESC LIMIT 1",
        args![iso(day)],
        |r| r.get(0),
    )
}

/// The calibration in force on `day` (see `calibration_id_on`).
pub(crate) fn calibration_on(conn: &impl Sql, day: NaiveDate) -> Result<Option<Calibration>> {
    match calibration_id_on(conn, day)? {
        Some(id) => Ok(Some(calibration(conn, id)?)),
        None => Ok(None),
    }
}

/// Whether `cal` is the newest calibration: the one in force from its day on.
pub(crate) fn is_newest(conn: &impl Sql, cal: i64) -> Result<bool> {
    Ok(calibration_id_on(conn, LAST_DAY)? == Some(cal))
}

/// Calibration number `id`, which exists.
fn calibration(conn: &impl Sql, id: i64) -> Result<Calibration> {
    let row = conn.row(
        "SELECT id, made_at, as_of, sample, weights, danger_pct, fair_pct, danger_below, fair_below, distributions
             FROM calibrations WHERE id = ?1",
        args![id],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<i64>(3)?,
                r.get::<String>(4)?,
                r.get::<u32>(5)?,
                r.get::<u32>(6)?,
                r.get::<f64>(7)?,
                r.get::<f64>(8)?,
                unpack_value(r.value(9)?),
            ))
        },
    )?;
    let (id, made_at, as_of, sample, weights, danger_pct, fair_pct, danger_below, fair_below, dist) =
        row;
    use crate::msg::health as msg;
    let bad = |say: fn(i64) -> String| Error::Invalid(say(id));
    Ok(Calibration {
        id,
        made_at,
        as_of: from_iso(&as_of).ok_or_else(|| bad(msg::calibration_date_unreadable))?,
        sample: sample as usize,
        weights: crate::health::parse_weights(&weights)
            .map_err(|_| bad(msg::calibration_weights_unreadable))?,
        danger_pct,
        fair_pct,
        distributions: dist.ok_or_else(|| bad(msg::calibration_distributions_unreadable))?,
        danger_below,
        fair_below,
    })
}

/// The sample of a calibration as of `day`: every term whose renewal was
/// recorded before `day` and whose expiry − 90 is on or before it (and,
/// for a backtest, that expired before `day`), each with its indicators
/// 90 days before expiry (usage then or earlier, at most 45 days old).
/// Terms without such usage are left out.
pub(crate) fn renewed_sample(
    conn: &impl Sql,
    day: NaiveDate,
    expired_before_day: bool,
) -> Result<Vec<Indicators>> {
    let last_expiry = if expired_before_day {
        minus(day, 1)
    } else {
        day.checked_add_days(Days::new(LEAD_DAYS as u64))
            .unwrap_or(day)
    };
    let terms: Vec<(String, String)> = conn.rows(
        // In key order, so the lookups below go front to back through
        // the usage table (each page read once, not once per term).
        "SELECT service_id, expiry_date FROM terms
         WHERE new_expiry IS NOT NULL AND substr(closed_at, 1, 10) < ?1 AND expiry_date <= ?2
         ORDER BY service_id, expiry_date",
        args![iso(day), iso(last_expiry)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut out = Vec::with_capacity(terms.len());
    for (service, expiry) in terms {
        let Some(expiry) = from_iso(&expiry) else {
            continue;
        };
        let t90 = minus(expiry, LEAD_DAYS);
        if let Some(ind) = indicators_on(conn, &service, t90)?.and_then(|i| i.fresh_on(t90)) {
            out.push(ind);
        }
    }
    Ok(out)
}

/// The name of the customer of `service`; None when there is no such
/// service.
pub(crate) fn customer_of(conn: &impl Sql, service: &str) -> Result<Option<String>> {
    conn.row_opt(
        "SELECT c.customer_name FROM services s JOIN customers c USING (customer_id)
         WHERE s.service_id = ?1",
        args![service],
        |r| r.get(0),
    )
}

/// The stored indicators of the services expiring in a span, read in id
/// order before a read that wants them in expiry order (`due`): looked up
/// row by row in that order, each lookup reads a page of the table at
/// random.
pub(crate) struct Prefetched {
    /// The span, as stored text.
    from: String,
    to: String,
    /// By service id; a service of the span without a row is absent.
    rows: rustc_hash::FxHashMap<Box<str>, Stored>,
}

impl Prefetched {
    /// The indicators of the services expiring in [`from`, `to`] (no
    /// lower bound without `from`); None when there are more than `cap`
    /// such services (the caller joins instead).
    pub(crate) fn load(
        conn: &Connection,
        from: Option<NaiveDate>,
        to: NaiveDate,
        cap: usize,
    ) -> Result<Option<Prefetched>> {
        let (from, to) = (from.map(iso).unwrap_or_default(), iso(to));
        let span = "SELECT service_id FROM services WHERE expiry_date BETWEEN ?1 AND ?2";
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM ({span})"),
            [&from, &to],
            |r| r.get(0),
        )?;
        if n as usize > cap {
            return Ok(None);
        }
        // The span's ids sorted first, so the lookups go front to back.
        let mut stmt = conn.prepare(&format!(
            "WITH d AS MATERIALIZED ({span} ORDER BY service_id)
             SELECT i.service_id, {INDICATOR_COLUMNS} FROM d CROSS JOIN indicators i
             ON i.service_id = d.service_id"
        ))?;
        let mut rows = stmt.query([&from, &to])?;
        let mut found = rustc_hash::FxHashMap::default();
        found.reserve(n as usize);
        while let Some(r) = rows.next()? {
            if let Some(ind) = stored(r, 1)? {
                found.insert(r.get_ref(0)?.as_str()?.into(), ind);
            }
        }
        Ok(Some(Prefetched {
            from,
            to,
            rows: found,
        }))
    }

    /// The stored indicators of service `id`, which expires on `expiry`
    /// (stored text): from those read before when in the span, else
    /// looked up.
    pub(crate) fn get(&self, conn: &Connection, id: &str, expiry: &str) -> Result<Option<Stored>> {
        if self.from.as_str() <= expiry && expiry <= self.to.as_str() {
            return Ok(self.rows.get(id).copied());
        }
        Ok(conn
            .prepare_cached(&format!(
                "SELECT {INDICATOR_COLUMNS} FROM indicators i WHERE i.service_id = ?1"
            ))?
            .query_row([id], |r| stored(r, 0))
            .optional()?
            .flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, Open};

    /// Rows judged when written read as rows judged when read, and the
    /// SQL of `narrow` selects exactly the services of the wanted bands,
    /// on the day of the rows and later; a past day judges in Rust.
    #[test]
    fn judged_rows_read_as_judged_when_read_and_sql_selects_their_bands() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let c = db.conn().unwrap();
        c.execute_batch("INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');")
            .unwrap();
        let mut seed = 11u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut sample = Vec::new();
        for _ in 0..60 {
            sample.push(Indicators {
                day: Some(day("2026-01-01")),
                values: [
                    Some(next(100) as f64 / 100.0),
                    Some(next(50) as f64),
                    (next(4) > 0).then(|| next(10) as f64),
                    None,
                ],
            });
        }
        let mut cal =
            Calibration::fit(&sample, day("2026-06-01"), [1.0, 1.0, 1.0, 0.0], 10, 40).unwrap();
        save(c, &mut cal).unwrap();
        let mut ids = Vec::new();
        for i in 0..300 {
            let id = format!("S{i:03}");
            c.execute(
                "INSERT INTO services(service_id, customer_id, service_type, expiry_date)
                 VALUES (?1, 'C1', 'basic', '2027-01-01')",
                [&id],
            )
            .unwrap();
            // One in ten without usage.
            if next(10) > 0 {
                let d = day("2026-08-01") + chrono::Days::new(next(110));
                c.execute(
                    "INSERT INTO indicators(service_id, day, active_ratio, actions_per_account, features_used)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        id,
                        iso(d),
                        (next(5) > 0).then(|| next(100) as f64 / 100.0),
                        (next(5) > 0).then(|| next(60) as f64),
                        (next(5) > 0).then(|| next(12) as f64)
                    ],
                )
                .unwrap();
            }
            ids.push(id);
        }
        let before = Rater::load(c, day("2026-11-20")).unwrap();
        assert!(!before.decides(), "rows not judged yet");
        judge_all(c, &cal).unwrap();
        let row = |id: &str| -> Option<Stored> {
            c.query_row(
                &format!("SELECT {INDICATOR_COLUMNS} FROM indicators i WHERE service_id = ?1"),
                [id],
                |r| stored(r, 0),
            )
            .optional()
            .unwrap()
            .flatten()
        };
        for (today, decides) in [
            ("2026-11-20", true),
            ("2026-12-20", true),
            ("2026-10-01", false),
        ] {
            let today = day(today);
            let rater = Rater::load(c, today).unwrap();
            assert_eq!(rater.decides(), decides, "{today}");
            let mut by_band: std::collections::HashMap<Band, Vec<String>> = Default::default();
            for id in &ids {
                let r = row(id);
                let want = match r.map(|r| r.ind) {
                    // No usage rows behind it: nothing known that day.
                    Some(i) if i.day.unwrap() > today => Health::UNKNOWN,
                    ind => Health::of(Some(&cal), ind, today),
                };
                let got = rater.health(c, r, || Ok(id.clone())).unwrap();
                assert_eq!(got, want, "{id} on {today}");
                by_band.entry(want.band).or_default().push(id.clone());
            }
            assert!(by_band.len() >= 3, "{today}: {:?}", by_band.keys());
            if !decides {
                continue;
            }
            for wanted in [
                &[Band::Danger][..],
                &[Band::Fair, Band::Healthy],
                &[Band::Unknown],
                &[Band::Danger, Band::Unknown],
            ] {
                let mut w = Where::default();
                rater.narrow(&mut w, wanted);
                let sql = format!(
                    "SELECT s.service_id FROM services s{}{} ORDER BY s.service_id",
                    rater.join(),
                    w.sql()
                );
                let got: Vec<String> = c
                    .prepare(&sql)
                    .unwrap()
                    .query_map(w.params(), |r| r.get(0))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                let mut want: Vec<String> = wanted
                    .iter()
                    .flat_map(|b| by_band.get(b).cloned().unwrap_or_default())
                    .collect();
                want.sort();
                assert_eq!(got, want, "{wanted:?} on {today}");
            }
        }
        // A calibration as of an earlier day is not the newest: rows stay
        // judged under the newest, and a write judges under it too.
        let mut older = cal.clone();
        older.as_of = day("2026-02-01");
        save(c, &mut older).unwrap();
        assert!(!is_newest(c, older.id).unwrap() && is_newest(c, cal.id).unwrap());
        let mut store = Store::new(c).unwrap();
        let ind = row("S001").map(|r| r.ind).unwrap_or(sample[0]);
        store.put("S001", &ind).unwrap();
        drop(store);
        assert_eq!(row("S001").unwrap().judged.map(|j| j.0), Some(cal.id));
        assert!(Rater::load(c, day("2026-11-20")).unwrap().decides());
    }

    /// `refresh` reads only the rows it needs and picks them in Rust;
    /// `indicators_on` picks them in SQL. Same results, on histories with
    /// gaps, missing values and rows without accounts.
    #[test]
    fn refresh_stores_what_indicators_on_finds() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let c = db.conn().unwrap();
        c.execute_batch("INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');")
            .unwrap();
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let mut ids = Vec::new();
        for s in 0..200 {
            let id = format!("S{s:03}");
            let accounts = (next(4) > 0).then(|| next(200) as i64);
            c.execute(
                "INSERT INTO services(service_id, customer_id, service_type, expiry_date, accounts)
                 VALUES (?1, 'C1', 'basic', '2027-01-01', ?2)",
                params![id, accounts],
            )
            .unwrap();
            let mut day = start;
            for _ in 0..next(12) {
                day = day + chrono::Days::new(1 + next(70));
                let opt = |v: u64, n: &mut dyn FnMut(u64) -> u64| (n(5) > 0).then_some(v as i64);
                let acc = opt(next(100) + 1, &mut next);
                let active = opt(next(100), &mut next);
                let keys = opt(next(5000), &mut next);
                let feats = opt(next(20), &mut next);
                c.execute(
                    "INSERT INTO usage(service_id, day, accounts, active_users, key_actions, features_used)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, iso(day), acc, active, keys, feats],
                )
                .unwrap();
            }
            ids.push(id);
        }
        refresh(c, &ids).unwrap();
        // Not NaiveDate::MAX: its ISO text sorts before every stored day.
        assert_eq!(iso(NaiveDate::MAX), "+262142-12-31");
        let far = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let mut with_trend = 0;
        for id in &ids {
            let want = indicators_on(c, id, far).unwrap();
            let got = c
                .query_row(
                    &format!("SELECT {INDICATOR_COLUMNS} FROM indicators i WHERE service_id = ?1"),
                    [id],
                    |r| stored(r, 0),
                )
                .optional()
                .unwrap()
                .flatten()
                .map(|s| s.ind);
            assert_eq!(got, want, "{id}");
            with_trend += usize::from(want.is_some_and(|w| w.values[3].is_some()));
        }
        assert!(with_trend > 20, "the trend is exercised: {with_trend}");
        // `refresh` again writes nothing.
        let before = c.total_changes();
        refresh(c, &ids).unwrap();
        assert_eq!(c.total_changes(), before);
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// S1, S3 and S5 have stored indicators; S3's and S5's rows are
    /// dated after 2026-10-15, and only S3 has usage rows behind them.
    fn book() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        db.conn().unwrap()
            .execute_batch(
                "INSERT INTO calibrations(made_at, as_of, sample, weights, danger_pct, fair_pct,
                                          danger_below, fair_below, distributions)
                 VALUES ('x', '2026-01-01', 30, '1,1,1,1', 10, 40, 20.0, 50.0, '[[0.2,0.4,0.6,0.8,1.0],[],[],[]]');
                 INSERT INTO indicators(service_id, day, active_ratio) VALUES
                   ('S1', '2026-10-01', 0.1), ('S3', '2026-11-01', 0.9), ('S5', '2026-11-02', 0.5);
                 INSERT INTO usage(service_id, day, accounts, active_users) VALUES
                   ('S3', '2026-10-10', 10, 5), ('S3', '2026-11-01', 10, 9);",
            )
            .unwrap();
        (dir, db)
    }

    #[test]
    fn a_walk_finds_the_rows_of_ids_asked_in_order() {
        let (_dir, db) = book();
        let mut stmt = db.conn().unwrap().prepare(&Walk::sql("")).unwrap();
        let mut walk = Walk::new(&mut stmt, []).unwrap();
        let ratio = |w: &mut Walk, id: &str| w.get(id.as_bytes()).unwrap().map(|s| s.ind.values[0]);
        assert_eq!(ratio(&mut walk, "S0"), None, "before the first");
        assert_eq!(ratio(&mut walk, "S1"), Some(Some(0.1)));
        assert_eq!(ratio(&mut walk, "S2"), None, "a gap");
        assert_eq!(ratio(&mut walk, "S3"), Some(Some(0.9)));
        assert_eq!(ratio(&mut walk, "S4"), None);
        assert_eq!(ratio(&mut walk, "S5"), Some(Some(0.5)));
        assert_eq!(ratio(&mut walk, "S6"), None, "after the last");
        assert_eq!(ratio(&mut walk, "S7"), None);
    }

    #[test]
    fn a_past_day_reads_usage_up_to_it_not_the_later_stored_row() {
        let (_dir, db) = book();
        let conn = db.conn().unwrap();
        let stored = |id: &str| -> Option<Stored> {
            let mut stmt = conn
                .prepare(&Walk::sql(" WHERE i.service_id >= ?1"))
                .unwrap();
            let mut walk = Walk::new(&mut stmt, [id]).unwrap();
            walk.get(id.as_bytes()).unwrap()
        };
        let band = |today: &str, id: &str| -> Band {
            let rater = Rater::load(conn, day(today)).unwrap();
            rater
                .health(conn, stored(id), || Ok(id.to_string()))
                .unwrap()
                .band
        };
        // Today: the stored rows (S1 0.1 danger, S3 0.9 healthy, S5 0.5 fair).
        assert_eq!(band("2026-11-10", "S1"), Band::Danger);
        assert_eq!(band("2026-11-10", "S3"), Band::Healthy);
        assert_eq!(band("2026-11-10", "S5"), Band::Fair);
        // On 2026-10-15 S3 had 5 of 10 active (fair); S5 had no usage.
        assert_eq!(band("2026-10-15", "S3"), Band::Fair);
        assert_eq!(band("2026-10-15", "S5"), Band::Unknown);
        assert_eq!(band("2026-10-15", "S1"), Band::Danger);
        // Before the calibration, nothing is known.
        assert_eq!(band("2025-12-31", "S1"), Band::Unknown);
    }

    #[test]
    fn read_ahead_for_a_span_then_looked_up_outside_it() {
        let (_dir, db) = book();
        let conn = db.conn().unwrap();
        conn.execute_batch(
            "INSERT INTO customers(customer_id, customer_name) VALUES ('C1', 'n');
             INSERT INTO services(service_id, customer_id, service_type, expiry_date) VALUES
               ('S1', 'C1', 'basic', '2026-12-01'), ('S2', 'C1', 'basic', '2026-12-02'),
               ('S3', 'C1', 'basic', '2026-12-03'), ('S5', 'C1', 'basic', '2027-06-01');",
        )
        .unwrap();
        let p = Prefetched::load(conn, Some(day("2026-12-01")), day("2026-12-31"), 10)
            .unwrap()
            .unwrap();
        let ratio =
            |id: &str, expiry: &str| p.get(conn, id, expiry).unwrap().map(|s| s.ind.values[0]);
        assert_eq!(ratio("S1", "2026-12-01"), Some(Some(0.1)));
        assert_eq!(ratio("S2", "2026-12-02"), None, "in the span, no row");
        assert_eq!(ratio("S3", "2026-12-03"), Some(Some(0.9)));
        assert_eq!(
            ratio("S5", "2027-06-01"),
            Some(Some(0.5)),
            "outside: looked up"
        );
        assert!(
            Prefetched::load(conn, None, day("2026-12-31"), 2)
                .unwrap()
                .is_none(),
            "three services are more than the cap"
        );
    }

    #[test]
    fn narrowing_keeps_the_rows_that_can_have_a_wanted_band() {
        let (_dir, db) = book();
        let rater = Rater::load(db.conn().unwrap(), day("2026-11-20")).unwrap();
        let sql = |wanted: &[Band]| {
            let mut w = Where::default();
            rater.narrow(&mut w, wanted);
            w.sql()
        };
        assert_eq!(sql(&[]), "");
        assert_eq!(sql(&[Band::Danger, Band::Unknown]), "");
        assert_eq!(sql(&[Band::Danger]), " WHERE i.day >= ?1");
        let none = Rater::load(db.conn().unwrap(), day("2025-12-31")).unwrap();
        assert!(!none.rates() && none.join().is_empty());
        let mut w = Where::default();
        none.narrow(&mut w, &[Band::Healthy]);
        assert_eq!(w.sql(), " WHERE FALSE");
    }

    #[test]
    fn distributions_pack_and_unpack_exactly() {
        use rusqlite::types::ValueRef;
        let d = [
            vec![0.1, 0.25, 1.0 / 3.0],
            vec![],
            vec![-0.5],
            vec![f64::MAX, 7.0],
        ];
        let bytes = pack(&d);
        assert_eq!(unpack(ValueRef::Blob(&bytes)), Some(d.clone()));
        assert_eq!(
            unpack(ValueRef::Blob(&bytes[..bytes.len() - 1])),
            None,
            "cut short"
        );
        assert_eq!(
            unpack(ValueRef::Text(b"[[0.1,0.25],[],[-0.5],[7.0]]")),
            Some([vec![0.1, 0.25], vec![], vec![-0.5], vec![7.0]])
        );
    }
}
