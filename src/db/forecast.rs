//! What the forecast learns from and replays: past terms with a known
//! outcome and their status 30 days before expiry (`samples`), and the
//! status and renewal entries of the terms of a span (`events`), each
//! read in one pass over its tables.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use super::query::where_clause;
use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::error::Result;
use crate::filter::Filters;
use crate::forecast::{lead_day, Event, Sample};
use crate::money::Cents;
use crate::stats::{Dim, Period};
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
    // Renewed terms in the order they were recorded (a plain scan), each
    // service and expiry once (the first recorded).
    let mut stmt = conn.prepare(
        "SELECT service_id, expiry_date, substr(closed_at, 1, 10) FROM terms
         WHERE +expiry_date < ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([&today])?;
    let mut seen: HashSet<(String, NaiveDate)> = HashSet::new();
    while let Some(r) = rows.next()? {
        let service = r.get_ref(0)?.as_str()?;
        let expiry_text = r.get_ref(1)?.as_str()?;
        let Some(expiry) = from_iso(expiry_text) else {
            continue;
        };
        if !seen.insert((service.to_string(), expiry)) {
            continue;
        }
        let known_on = r.get_ref(2)?.as_str_or_null()?.and_then(from_iso);
        // Renewed by the day its status is read: nothing to forecast.
        if known_on.is_some_and(|d| d <= lead_day(expiry)) {
            continue;
        }
        out.push(Sample {
            expiry,
            known_on: known_on.unwrap_or(expiry),
            status: status_of(service, expiry_text),
            renewed: true,
        });
    }
    // Current terms lost: `not_renewing` (known the day it was set: the
    // few such services through the status index), or lapsed (rule 11;
    // the rest from the expiry index alone).
    let mut stmt = conn.prepare(
        "SELECT service_id, substr(status_changed_at, 1, 10) FROM services
         WHERE status = 'not_renewing'",
    )?;
    let mut set_on: HashMap<String, NaiveDate> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(day) = r.get_ref(1)?.as_str_or_null()?.and_then(from_iso) {
            set_on.insert(r.get(0)?, day);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT service_id, expiry_date, status FROM services
         WHERE expiry_date < ?1 AND (status IS NULL OR status <> 'renewed')",
    )?;
    let mut rows = stmt.query([&today])?;
    while let Some(r) = rows.next()? {
        let service = r.get_ref(0)?.as_str()?;
        let expiry_text = r.get_ref(1)?.as_str()?;
        let Some(expiry) = from_iso(expiry_text) else {
            continue;
        };
        let stored = Status::from_db(r.get_ref(2)?.as_str_or_null()?);
        let left = crate::window::days_left(expiry, at.today);
        let known_on = match Status::effective_on(stored, left, at.grace_days) {
            Status::NotRenewing => set_on.get(service).copied().unwrap_or(expiry),
            Status::Lapsed => expiry
                .checked_add_days(Days::new(u64::from(at.grace_days) + 1))
                .unwrap_or(expiry),
            _ => continue,
        };
        out.push(Sample {
            expiry,
            known_on,
            status: status_of(service, expiry_text),
            renewed: false,
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

/// A term expiring in the period: its effective status today
/// (`Renewed` for a renewed term), amount, and the split's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Due {
    pub(crate) status: Status,
    pub(crate) amount: Cents,
    pub(crate) group: Option<String>,
}

/// The terms of the renewal cohort (as `outcomes::cohort` reads them:
/// current terms expiring in the period not renewed through
/// `renewal_of`, and renewed terms, each service and expiry once), with
/// only what the forecast needs. The customer's values are today's: the
/// caller reads through `outcomes::cohort` when a split or filtered
/// column has changed (rule 5) or `--health` is wanted.
pub(crate) fn due(
    conn: &Connection,
    f: &Filters,
    period: Period,
    at: AsOf,
    by: Option<Dim>,
) -> Result<Vec<Due>> {
    let group = match by {
        None => "NULL".to_string(),
        Some(Dim::ServiceType) => "s.service_type".to_string(),
        Some(d) => format!("c.{}", d.column().map_or("customer_id", |c| c.id())),
    };
    let join = if f.is_empty() && by.is_none_or(|d| d == Dim::ServiceType) {
        ""
    } else {
        " JOIN customers c ON c.customer_id = s.customer_id"
    };

    let mut out = Vec::new();
    // Current terms.
    let mut w = where_clause(f, None, at);
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("s.expiry_date BETWEEN {from} AND {to}"));
    w.push("(s.status IS NULL OR s.status <> 'renewed')".into());
    let sql = format!(
        "SELECT s.expiry_date, s.amount, s.status, {group} FROM services s{join}{}",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(w.params())?;
    while let Some(r) = rows.next()? {
        let Some(expiry) = from_iso(r.get_ref(0)?.as_str()?) else {
            continue;
        };
        let stored = Status::from_db(r.get_ref(2)?.as_str_or_null()?);
        let left = crate::window::days_left(expiry, at.today);
        out.push(Due {
            status: Status::effective_on(stored, left, at.grace_days),
            amount: r
                .get::<_, Option<i64>>(1)?
                .map(Cents::from)
                .unwrap_or_default(),
            group: r.get(3)?,
        });
    }
    // Renewed terms, each service and expiry once (the first recorded);
    // a term needs its service only to be filtered or split.
    let mut w = where_clause(f, None, at);
    let terms_join = if w.is_empty() && by.is_none() {
        String::new()
    } else {
        format!(" JOIN services s ON s.service_id = t.service_id{join}")
    };
    let from = w.param(iso(period.from));
    let to = w.param(iso(period.to));
    w.push(format!("t.expiry_date BETWEEN {from} AND {to}"));
    let sql = format!(
        "SELECT t.service_id, t.expiry_date, t.amount, {group}
         FROM terms t{terms_join}{} ORDER BY t.id",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(w.params())?;
    let mut seen: HashSet<(String, String)> = HashSet::new();
    while let Some(r) = rows.next()? {
        if !seen.insert((r.get(0)?, r.get(1)?)) {
            continue;
        }
        out.push(Due {
            status: Status::Renewed,
            amount: r
                .get::<_, Option<i64>>(2)?
                .map(Cents::from)
                .unwrap_or_default(),
            group: r.get(3)?,
        });
    }
    Ok(out)
}
