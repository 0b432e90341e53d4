//! What the forecast learns from and replays: past terms with a known
//! outcome and their status 30 days before expiry (`samples`), and the
//! status and renewal entries of the terms of a span (`events`), each
//! read in one pass over its tables.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::error::Result;
use crate::forecast::{lead_day, Event, Sample};
use crate::stats::Period;
use crate::status::Status;

/// Every term that expired before `at.today` with a known outcome, and
/// its status on expiry − 30 days: renewed terms (from `terms`, each
/// service and expiry once; those renewed by that day are left out:
/// nothing was left to forecast), and current terms lost (`not_renewing`
/// or lapsed, rule 11). The statuses come from one pass over the status
/// entries, the terms from one over `terms` and `services`.
pub(crate) fn samples(conn: &Connection, at: AsOf) -> Result<Vec<Sample>> {
    let before = statuses_before_lead(conn)?;
    // No entry by then: pending (rule 1; 30 days before expiry is in the
    // window).
    let status_of = |service: &str, expiry: &str| -> Status {
        match before
            .get(service)
            .and_then(|v| v.iter().find(|(x, _)| x == expiry))
        {
            Some((_, s)) if *s != Status::Unset => *s,
            _ => Status::Pending,
        }
    };
    let today = iso(at.today);
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT service_id, expiry_date, substr(closed_at, 1, 10), NULL FROM terms
         WHERE expiry_date < ?1 AND id IN (SELECT min(id) FROM terms GROUP BY service_id, expiry_date)
         UNION ALL
         SELECT service_id, expiry_date, substr(status_changed_at, 1, 10), coalesce(status, '')
         FROM services WHERE expiry_date < ?1 AND (status IS NULL OR status <> 'renewed')",
    )?;
    let mut rows = stmt.query([&today])?;
    while let Some(r) = rows.next()? {
        let service = r.get_ref(0)?.as_str()?;
        let expiry_text = r.get_ref(1)?.as_str()?;
        let Some(expiry) = from_iso(expiry_text) else {
            continue;
        };
        let changed = r.get_ref(2)?.as_str_or_null()?.and_then(from_iso);
        let (known_on, renewed) = match r.get_ref(3)?.as_str_or_null()? {
            // A renewed term: known when it closed.
            None => match changed {
                Some(day) if day <= lead_day(expiry) => continue,
                Some(day) => (day, true),
                None => (expiry, true),
            },
            Some(stored) => {
                let stored = Status::from_db((!stored.is_empty()).then_some(stored));
                let left = crate::window::days_left(expiry, at.today);
                match Status::effective_on(stored, left, at.grace_days) {
                    Status::NotRenewing => (changed.unwrap_or(expiry), false),
                    Status::Lapsed => (
                        expiry
                            .checked_add_days(Days::new(u64::from(at.grace_days) + 1))
                            .unwrap_or(expiry),
                        false,
                    ),
                    _ => continue,
                }
            }
        };
        out.push(Sample {
            expiry,
            known_on,
            status: status_of(service, expiry_text),
            renewed,
        });
    }
    Ok(out)
}

/// Per service, (term expiry, status) of the last status entry of each
/// term dated on or before its expiry − 30 days, in date order (a later
/// one of the same term after an earlier).
fn statuses_before_lead(conn: &Connection) -> Result<HashMap<String, Vec<(String, Status)>>> {
    let mut stmt = conn.prepare(
        "SELECT service_id, term_expiry, to_value FROM history
         WHERE kind = 'status' AND term_expiry IS NOT NULL
           AND substr(at, 1, 10) <= date(term_expiry, '-30 days')
         ORDER BY substr(at, 1, 10), id",
    )?;
    let mut out: HashMap<String, Vec<(String, Status)>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let service: String = r.get(0)?;
        let expiry: String = r.get(1)?;
        let to = Status::from_db(r.get_ref(2)?.as_str_or_null()?);
        let v = out.entry(service).or_default();
        match v.iter_mut().find(|(e, _)| *e == expiry) {
            Some(slot) => slot.1 = to,
            None => v.push((expiry, to)),
        }
    }
    Ok(out)
}

/// The status and renewal entries of the terms expiring in `span`, per
/// service and term expiry, in date order (one pass over the history).
pub(crate) fn events(
    conn: &Connection,
    span: Period,
) -> Result<HashMap<(String, String), Vec<Event>>> {
    let mut stmt = conn.prepare(
        "SELECT service_id, term_expiry, substr(at, 1, 10), kind, to_value FROM history
         WHERE kind IN ('status', 'renewal') AND term_expiry BETWEEN ?1 AND ?2
         ORDER BY substr(at, 1, 10), id",
    )?;
    let mut out: HashMap<(String, String), Vec<Event>> = HashMap::new();
    let mut rows = stmt.query([iso(span.from), iso(span.to)])?;
    while let Some(r) = rows.next()? {
        let Some(day) = r.get_ref(2)?.as_str()?.parse::<NaiveDate>().ok() else {
            continue;
        };
        let to = match r.get_ref(3)?.as_str()? {
            "renewal" => Status::Renewed,
            _ => Status::from_db(r.get_ref(4)?.as_str_or_null()?),
        };
        out.entry((r.get(0)?, r.get(1)?))
            .or_default()
            .push(Event { day, to });
    }
    Ok(out)
}
