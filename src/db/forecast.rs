//! What the forecast learns from and replays: past terms with a known
//! outcome and their status 30 days before expiry (`samples`), and the
//! status and renewal entries of the terms of a span (`events`), each
//! read in one pass over its tables.

use std::collections::{HashMap, HashSet};

use super::sql::{args, Kind, Sql};
use chrono::{Days, NaiveDate};

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
pub(crate) fn samples(conn: &impl Sql, at: AsOf) -> Result<Vec<Sample>> {
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
    // (`+`: SQLite reads the table in id order, not by the expiry index.)
    let sql = match conn.kind() {
        Kind::Lite => {
            "SELECT service_id, expiry_date, substr(closed_at, 1, 10) FROM terms
         WHERE +expiry_date < ?1 ORDER BY id"
        }
        Kind::Pg => {
            "SELECT service_id, expiry_date, substr(closed_at, 1, 10) FROM terms
         WHERE expiry_date < ?1 ORDER BY id"
        }
    };
    let mut seen: HashSet<(String, NaiveDate)> = HashSet::new();
    conn.each(sql, args![today], &mut |r| {
        let service: String = r.get(0)?;
        let expiry_text: String = r.get(1)?;
        let Some(expiry) = from_iso(&expiry_text) else {
            return Ok(());
        };
        if !seen.insert((service.clone(), expiry)) {
            return Ok(());
        }
        let known_on = r.get::<Option<String>>(2)?.as_deref().and_then(from_iso);
        // Renewed by the day its status is read: nothing to forecast.
        if known_on.is_some_and(|d| d <= lead_day(expiry)) {
            return Ok(());
        }
        out.push(Sample {
            expiry,
            known_on: known_on.unwrap_or(expiry),
            status: status_of(&service, &expiry_text),
            renewed: true,
        });
        Ok(())
    })?;
    // Current terms lost: `not_renewing` (known the day it was set: the
    // few such services through the status index), or lapsed (rule 11;
    // the rest from the expiry index alone).
    let mut set_on: HashMap<String, NaiveDate> = HashMap::new();
    conn.each(
        "SELECT service_id, substr(status_changed_at, 1, 10) FROM services
         WHERE status = 'not_renewing'",
        args![],
        &mut |r| {
            if let Some(day) = r.get::<Option<String>>(1)?.as_deref().and_then(from_iso) {
                set_on.insert(r.get(0)?, day);
            }
            Ok(())
        },
    )?;
    conn.each(
        "SELECT service_id, expiry_date, status FROM services
         WHERE expiry_date < ?1 AND (status IS NULL OR status <> 'renewed')",
        args![today],
        &mut |r| {
            let service: String = r.get(0)?;
            let expiry_text: String = r.get(1)?;
            let Some(expiry) = from_iso(&expiry_text) else {
                return Ok(());
            };
            let stored = Status::from_db(r.get::<Option<String>>(2)?.as_deref());
            let left = crate::window::days_left(expiry, at.today);
            let known_on = match Status::effective_on(stored, left, at.grace_days) {
                Status::NotRenewing => set_on.get(&service).copied().unwrap_or(expiry),
                Status::Lapsed => expiry
                    .checked_add_days(Days::new(u64::from(at.grace_days) + 1))
                    .unwrap_or(expiry),
                _ => return Ok(()),
            };
            out.push(Sample {
                expiry,
                known_on,
                status: status_of(&service, &expiry_text),
                renewed: false,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// Per service, (term expiry, status) of the last status entry of each
/// term dated on or before its expiry − 30 days, in date order (a later
/// one of the same term after an earlier).
fn statuses_before_lead(conn: &impl Sql) -> Result<HashMap<String, Vec<(String, Status)>>> {
    let sql = match conn.kind() {
        Kind::Lite => {
            "SELECT service_id, term_expiry, to_value FROM history
         WHERE kind = 'status' AND term_expiry IS NOT NULL
           AND substr(at, 1, 10) <= date(term_expiry, '-30 days')
         ORDER BY substr(at, 1, 10), id"
        }
        Kind::Pg => {
            "SELECT service_id, term_expiry, to_value FROM history
         WHERE kind = 'status' AND term_expiry IS NOT NULL
           AND substr(at, 1, 10) <= to_char(CAST(term_expiry AS date) - 30, 'YYYY-MM-DD')
         ORDER BY substr(at, 1, 10), id"
        }
    };
    let mut out: HashMap<String, Vec<(String, Status)>> = HashMap::new();
    conn.each(sql, args![], &mut |r| {
        let service: String = r.get(0)?;
        let expiry: String = r.get(1)?;
        let to = Status::from_db(r.get::<Option<String>>(2)?.as_deref());
        let v = out.entry(service).or_default();
        match v.iter_mut().find(|(e, _)| *e == expiry) {
            Some(slot) => slot.1 = to,
            None => v.push((expiry, to)),
        }
        Ok(())
    })?;
    Ok(out)
}

/// The status and renewal entries of the terms expiring in `span`, per
/// service and term expiry, in date order (one pass over the history).
pub(crate) fn events(
    conn: &impl Sql,
    span: Period,
) -> Result<HashMap<(String, String), Vec<Event>>> {
    let mut out: HashMap<(String, String), Vec<Event>> = HashMap::new();
    conn.each(
        "SELECT service_id, term_expiry, substr(at, 1, 10), kind, to_value FROM history
         WHERE kind IN ('status', 'renewal') AND term_expiry BETWEEN ?1 AND ?2
         ORDER BY substr(at, 1, 10), id",
        args![iso(span.from), iso(span.to)],
        &mut |r| {
            let Some(day) = r.get::<String>(2)?.parse::<NaiveDate>().ok() else {
                return Ok(());
            };
            let to = match r.get::<String>(3)?.as_str() {
                "renewal" => Status::Renewed,
                _ => Status::from_db(r.get::<Option<String>>(4)?.as_deref()),
            };
            out.entry((r.get(0)?, r.get(1)?))
                .or_default()
                .push(Event { day, to });
            Ok(())
        },
    )?;
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
    conn: &impl Sql,
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
    let sql = super::sql::for_engine(conn.kind(), &sql).into_owned();
    conn.each(&sql, &w.args(), &mut |r| {
        let Some(expiry) = from_iso(&r.get::<String>(0)?) else {
            return Ok(());
        };
        let stored = Status::from_db(r.get::<Option<String>>(2)?.as_deref());
        let left = crate::window::days_left(expiry, at.today);
        out.push(Due {
            status: Status::effective_on(stored, left, at.grace_days),
            amount: r
                .get::<Option<i64>>(1)?
                .map(Cents::from)
                .unwrap_or_default(),
            group: r.get(3)?,
        });
        Ok(())
    })?;
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
    let sql = super::sql::for_engine(conn.kind(), &sql).into_owned();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    conn.each(&sql, &w.args(), &mut |r| {
        if !seen.insert((r.get(0)?, r.get(1)?)) {
            return Ok(());
        }
        out.push(Due {
            status: Status::Renewed,
            amount: r
                .get::<Option<i64>>(2)?
                .map(Cents::from)
                .unwrap_or_default(),
            group: r.get(3)?,
        });
        Ok(())
    })?;
    Ok(out)
}
