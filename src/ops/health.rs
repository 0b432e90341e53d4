//! `health calibrate | backtest | explain`.

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::db::{health, outcomes, query, settings, Db};
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::health::{
    parse_weights, Backtest, Calibration, Health, Indicators, Judged, Part, LEAD_DAYS,
};
use crate::msg::health as msg;
use crate::settings::Key;
use crate::stats::Period;

/// The team's weights and band percentiles, as settings hold them.
fn rules(db: &Db) -> Result<([f64; 4], u32, u32)> {
    let s = settings::load(db.sql())?;
    let weights = parse_weights(s.get(Key::HealthWeights)).map_err(Error::Invalid)?;
    let pct = |k: Key| -> Result<u32> {
        s.get(k)
            .parse()
            .map_err(|_| Error::Invalid(msg::not_a_percentile(k.id())))
    };
    Ok((
        weights,
        pct(Key::HealthDangerPct)?,
        pct(Key::HealthFairPct)?,
    ))
}

/// Fits a calibration as of `as_of` on the renewed terms and stores it,
/// numbered and dated.
pub fn calibrate(db: &mut Db, as_of: NaiveDate, clock: &Clock) -> Result<Calibration> {
    let (weights, danger, fair) = rules(db)?;
    db.change(|tx| {
        let sample = health::renewed_sample(tx, as_of, false)?;
        let mut c = Calibration::fit(&sample, as_of, weights, danger, fair)
            .map_err(|e| Error::Refused(msg::calibrate_refused(e)))?;
        c.made_at = clock.stamp();
        health::save(tx, &mut c)?;
        if health::is_newest(tx, c.id)? {
            health::judge_all_any(tx, &c)?;
        }
        Ok(c)
    })
}

/// Judges every term that closed in `period` (renewed, or lost) by its
/// health 90 days before expiry, under a calibration fitted only on terms
/// renewed and expired before the period, from usage on or before each
/// term's T−90.
pub fn backtest(db: &Db, period: Period, today: NaiveDate) -> Result<Backtest> {
    let (weights, danger, fair) = rules(db)?;
    match db.kind() {
        // One read transaction: hundreds of thousands of lookups, one lock.
        crate::db::sql::Kind::Lite => {
            db.read(|conn| backtest_in(conn, period, today, weights, danger, fair))
        }
        // PostgreSQL: on the one connection.
        crate::db::sql::Kind::Pg => backtest_in(db.sql(), period, today, weights, danger, fair),
    }
}

fn backtest_in(
    conn: &impl crate::db::sql::Sql,
    period: Period,
    today: NaiveDate,
    weights: [f64; 4],
    danger: u32,
    fair: u32,
) -> Result<Backtest> {
    let sample = health::renewed_sample(conn, period.from, true)?;
    let mut cal = Calibration::fit(&sample, period.from, weights, danger, fair)
        .map_err(|e| Error::Refused(msg::backtest_refused(e, period.from)))?;
    cal.made_at = "backtest".into();
    let read = query::Reading::load(conn, today)?;
    let rows = outcomes::cohort(conn, &Filters::default(), period, &read, None)?;
    let closed = |r: &crate::outcome::OutcomeRow| {
        r.outcome.is_lost() || r.outcome == crate::outcome::Outcome::Renewed
    };
    let not_judged = rows.iter().filter(|r| !closed(r)).count() as u64;
    let mut terms: Vec<(String, NaiveDate, bool)> = rows
        .into_iter()
        .filter(|r| closed(r))
        .map(|r| {
            let lost = r.outcome.is_lost();
            (
                r.service_id,
                r.expiry_date - chrono::Duration::days(LEAD_DAYS),
                lost,
            )
        })
        .collect();
    // In key order: the usage lookups go front to back through the table.
    terms.sort_unstable();
    let mut judged = Vec::with_capacity(terms.len());
    for (service, t90, lost) in terms {
        let ind = health::indicators_on(conn, &service, t90)?;
        judged.push(Judged {
            health: Health::of(Some(&cal), ind, t90),
            lost,
        });
    }
    let mut b = Backtest::count(period.from, period.to, cal, &judged);
    b.not_judged = not_judged;
    Ok(b)
}

/// What `health explain` shows.
#[derive(Clone, Debug)]
pub struct Explained {
    pub service_id: String,
    pub customer_name: String,
    pub today: NaiveDate,
    pub indicators: Option<Indicators>,
    /// False when the latest usage is older than 45 days.
    pub fresh: bool,
    pub calibration: Option<Calibration>,
    pub parts: Option<[Part; 4]>,
    pub health: Health,
}

pub fn explain(db: &Db, service_id: &str, today: NaiveDate) -> Result<Explained> {
    let conn = db.sql();
    let customer_name = health::customer_of(conn, service_id)?
        .ok_or_else(|| Error::NotFound(crate::msg::values::no_service(service_id)))?;
    let indicators = health::indicators_on(conn, service_id, today)?;
    let fresh = indicators.and_then(|i| i.fresh_on(today)).is_some();
    let calibration = health::calibration_on(conn, today)?;
    let parts = calibration
        .as_ref()
        .zip(indicators.filter(|_| fresh))
        .map(|(c, i)| c.parts(&i));
    let health = Health::of(calibration.as_ref(), indicators, today);
    Ok(Explained {
        service_id: service_id.to_string(),
        customer_name,
        today,
        indicators,
        fresh,
        calibration,
        parts,
        health,
    })
}
