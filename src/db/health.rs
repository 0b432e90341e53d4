//! Usage read back as indicators, calibrations stored and found, and the
//! terms a calibration or a backtest judges (SPEC "Usage and health").

use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Statement};

use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::health::{Calibration, Health, Indicators, Usage, FRESH_DAYS, LEAD_DAYS, TREND_DAYS};

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

/// The latest usage row of `service` dated on or before `day`.
fn latest_on(conn: &Connection, service: &str, day: NaiveDate) -> Result<Option<Usage>> {
    Ok(conn
        .prepare_cached(
            "SELECT day, accounts, active_users, key_actions, features_used FROM usage
             WHERE service_id = ?1 AND day <= ?2 ORDER BY day DESC LIMIT 1",
        )?
        .query_row(params![service, iso(day)], usage_row)
        .optional()?)
}

/// The service's indicators from usage dated on or before `day` only: its
/// latest row then, and for the trend the latest row at most 45 days
/// older than that row's day − 90. None without any row (a row older than
/// 45 days is returned; `Indicators::fresh_on` judges it).
pub(crate) fn indicators_on(
    conn: &Connection,
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
        .prepare_cached("SELECT accounts FROM services WHERE service_id = ?1")?
        .query_row([service], |r| r.get(0))
        .optional()?
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
}

impl<'c> Store<'c> {
    pub(crate) fn new(conn: &'c Connection) -> Result<Store<'c>> {
        Ok(Store {
            put: conn.prepare(
                "INSERT INTO indicators(service_id, day, active_ratio, actions_per_account, features_used, active_trend)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(service_id) DO UPDATE SET day = excluded.day,
                   active_ratio = excluded.active_ratio, actions_per_account = excluded.actions_per_account,
                   features_used = excluded.features_used, active_trend = excluded.active_trend
                 WHERE (day, active_ratio, actions_per_account, features_used, active_trend)
                   IS NOT (excluded.day, excluded.active_ratio, excluded.actions_per_account,
                           excluded.features_used, excluded.active_trend)",
            )?,
            recent: conn.prepare(
                "SELECT day, accounts, active_users, key_actions, features_used FROM usage
                 WHERE service_id = ?1 ORDER BY day DESC",
            )?,
            accounts: conn.prepare("SELECT accounts FROM services WHERE service_id = ?1")?,
            rows: Vec::new(),
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

    /// Stores `ind` as the service's indicators; an unchanged row is not
    /// rewritten.
    pub(crate) fn put(&mut self, service: &str, ind: &Indicators) -> Result<()> {
        let [a, b, c, d] = ind.values;
        self.put
            .execute(params![service, ind.day.map(iso), a, b, c, d])?;
        Ok(())
    }
}

/// The stored indicators of a row read with `INDICATOR_COLUMNS` from `at`.
pub(crate) fn stored(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Option<Indicators>> {
    let Some(day) = r.get_ref(at)?.as_str_or_null()?.and_then(from_iso) else {
        return Ok(None);
    };
    Ok(Some(Indicators {
        day: Some(day),
        values: [
            r.get(at + 1)?,
            r.get(at + 2)?,
            r.get(at + 3)?,
            r.get(at + 4)?,
        ],
    }))
}

/// The columns `stored` reads, from `indicators i` joined on the service.
pub(crate) const INDICATOR_COLUMNS: &str =
    "i.day, i.active_ratio, i.actions_per_account, i.features_used, i.active_trend";

/// The newest stored indicator day: a read as of an earlier day cannot
/// use the stored indicators of services with usage after it.
pub(crate) fn newest_day(conn: &Connection) -> Result<Option<NaiveDate>> {
    let d: Option<String> = conn.query_row("SELECT max(day) FROM indicators", [], |r| r.get(0))?;
    Ok(d.as_deref().and_then(from_iso))
}

/// Health as a read as of `day` shows it: under the calibration in force
/// that day, from each service's stored indicators, or, where those come
/// from usage dated after `day`, from the usage up to `day`. Made once
/// per command; asked once per service.
pub(crate) struct HealthOn {
    day: NaiveDate,
    calibration: Option<Calibration>,
    /// Some stored indicators come from usage dated after `day`.
    later_usage: bool,
}

impl HealthOn {
    pub(crate) fn new(conn: &Connection, day: NaiveDate) -> Result<HealthOn> {
        let calibration = calibration_on(conn, day)?;
        let later_usage = calibration.is_some() && newest_day(conn)?.is_some_and(|d| d > day);
        Ok(HealthOn {
            day,
            calibration,
            later_usage,
        })
    }

    /// Whether any service can be other than unknown: without a
    /// calibration a read need not join the indicators at all.
    pub(crate) fn needs_indicators(&self) -> bool {
        self.calibration.is_some()
    }

    /// The health of `service`, given its stored indicators (read with
    /// `INDICATOR_COLUMNS`).
    pub(crate) fn of(
        &self,
        conn: &Connection,
        service: &str,
        stored: Option<Indicators>,
    ) -> Result<Health> {
        let Some(cal) = &self.calibration else {
            return Ok(Health::UNKNOWN);
        };
        let ind = match stored {
            Some(i) if self.later_usage && i.day.is_some_and(|d| d > self.day) => {
                indicators_on(conn, service, self.day)?
            }
            other => other,
        };
        Ok(Health::of(Some(cal), ind, self.day))
    }
}

/// Stores a calibration and gives it its number.
pub(crate) fn save(conn: &Connection, c: &mut Calibration) -> Result<()> {
    let w: Vec<String> = c.weights.iter().map(|x| x.to_string()).collect();
    let dist = serde_json::to_string(&c.distributions)
        .map_err(|e| Error::Invalid(format!("calibration: {e}")))?;
    conn.execute(
        "INSERT INTO calibrations(made_at, as_of, sample, weights, danger_pct, fair_pct, danger_below, fair_below, distributions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
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
    c.id = conn.last_insert_rowid();
    Ok(())
}

/// The calibration in force on `day`: the newest made as of that day or
/// earlier. None before the first.
pub(crate) fn calibration_on(conn: &Connection, day: NaiveDate) -> Result<Option<Calibration>> {
    let row = conn
        .prepare_cached(
            "SELECT id, made_at, as_of, sample, weights, danger_pct, fair_pct, danger_below, fair_below, distributions
             FROM calibrations WHERE as_of <= ?1 ORDER BY as_of DESC, id DESC LIMIT 1",
        )?
        .query_row([iso(day)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, f64>(7)?,
                r.get::<_, f64>(8)?,
                r.get::<_, String>(9)?,
            ))
        })
        .optional()?;
    let Some((
        id,
        made_at,
        as_of,
        sample,
        weights,
        danger_pct,
        fair_pct,
        danger_below,
        fair_below,
        dist,
    )) = row
    else {
        return Ok(None);
    };
    let bad =
        |what: &str| Error::Invalid(format!("calibration {id}: stored {what} cannot be read"));
    Ok(Some(Calibration {
        id,
        made_at,
        as_of: from_iso(&as_of).ok_or_else(|| bad("date"))?,
        sample: sample as usize,
        weights: crate::health::parse_weights(&weights).map_err(|_| bad("weights"))?,
        danger_pct,
        fair_pct,
        distributions: serde_json::from_str(&dist).map_err(|_| bad("distributions"))?,
        danger_below,
        fair_below,
    }))
}

/// The sample of a calibration as of `day`: every term whose renewal was
/// recorded before `day` and whose expiry − 90 is on or before it (and,
/// for a backtest, that expired before `day`), each with its indicators
/// 90 days before expiry (usage then or earlier, at most 45 days old).
/// Terms without such usage are left out.
pub(crate) fn renewed_sample(
    conn: &Connection,
    day: NaiveDate,
    expired_before_day: bool,
) -> Result<Vec<Indicators>> {
    let last_expiry = if expired_before_day {
        minus(day, 1)
    } else {
        day.checked_add_days(Days::new(LEAD_DAYS as u64))
            .unwrap_or(day)
    };
    let mut stmt = conn.prepare(
        "SELECT service_id, expiry_date FROM terms
         WHERE new_expiry IS NOT NULL AND substr(closed_at, 1, 10) < ?1 AND expiry_date <= ?2",
    )?;
    let terms: Vec<(String, String)> = stmt
        .query_map(params![iso(day), iso(last_expiry)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
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
pub(crate) fn customer_of(conn: &Connection, service: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.customer_name FROM services s JOIN customers c USING (customer_id)
             WHERE s.service_id = ?1",
        )?
        .query_row([service], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, Open};

    /// `refresh` reads only the rows it needs and picks them in Rust;
    /// `indicators_on` picks them in SQL. Same results, on histories with
    /// gaps, missing values and rows without accounts.
    #[test]
    fn refresh_stores_what_indicators_on_finds() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("x.db"), Open::CreateIfMissing).unwrap();
        let c = &db.conn;
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
                .flatten();
            assert_eq!(got, want, "{id}");
            with_trend += usize::from(want.is_some_and(|w| w.values[3].is_some()));
        }
        assert!(with_trend > 20, "the trend is exercised: {with_trend}");
        // `refresh` again writes nothing.
        let before = c.total_changes();
        refresh(c, &ids).unwrap();
        assert_eq!(c.total_changes(), before);
    }
}
