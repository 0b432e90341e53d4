//! The worklist's candidates (`xaas today`): every open service in the
//! window, read in one pass with what scoring needs.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use super::health::{stored, INDICATOR_COLUMNS};
use super::query::where_clause;
use crate::clock::AsOf;
use crate::date::{from_iso, iso};
use crate::error::{Error, Result};
use crate::filter::{Due, Filters};
use crate::health::{Health, Indicators};
use crate::money::Cents;
use crate::status::Status;
use crate::window::days_left;
use crate::worklist::Candidate;

/// Days ahead the worklist looks: the follow-up window.
const AHEAD: u32 = 90;

/// Streams the open services (rule 9) matching `f` with 0..=90 days left
/// or expired within the grace days, to `each`, with their stored
/// indicators when `indicators` (else `None`: no join). Health is left
/// unknown and `last_record_at` is the stored latest record: the caller
/// judges both as of the day (`health::HealthOn`, `records::last_record_on`).
pub(crate) fn candidates(
    conn: &Connection,
    f: &Filters,
    at: AsOf,
    indicators: bool,
    mut each: impl FnMut(Candidate, Option<Indicators>),
) -> Result<()> {
    let due = Due {
        within: AHEAD,
        overdue: true,
        untouched: false,
    };
    let mut w = where_clause(f, Some(due), at);
    // Rule 11 leaves the lapsed out already; as a range of the expiry
    // index this bound also keeps SQLite from walking past them.
    let first = at
        .today
        .checked_sub_days(Days::new(u64::from(at.grace_days)))
        .unwrap_or(NaiveDate::MIN);
    let p = w.param(iso(first));
    w.push(format!("s.expiry_date >= {p}"));
    let (cols, join) = if indicators {
        (
            format!(", {INDICATOR_COLUMNS}"),
            " LEFT JOIN indicators i ON i.service_id = s.service_id",
        )
    } else {
        (String::new(), "")
    };
    let sql = format!(
        "SELECT s.service_id, s.customer_id, c.customer_name, c.csm, s.product, s.expiry_date,
                s.amount, s.status, s.last_followup_at{cols}
         FROM services s JOIN customers c ON c.customer_id = s.customer_id{join}{}",
        w.sql()
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(w.params())?;
    while let Some(r) = rows.next()? {
        let expiry = r.get_ref(5)?.as_str()?;
        let expiry_date = from_iso(expiry).ok_or_else(|| {
            Error::Invalid(format!("stored expiry date `{expiry}` cannot be read"))
        })?;
        let stored_status = Status::from_db(r.get_ref(7)?.as_str_or_null()?);
        let status = Status::effective_on(
            stored_status,
            days_left(expiry_date, at.today),
            at.grace_days,
        );
        let ind = if indicators { stored(r, 9)? } else { None };
        each(
            Candidate {
                service_id: r.get(0)?,
                customer_id: r.get(1)?,
                customer_name: r.get(2)?,
                csm: r.get(3)?,
                product: r.get(4)?,
                expiry_date,
                amount: r.get::<_, Option<i64>>(6)?.map(Cents::from),
                status,
                last_record_at: r.get(8)?,
                health: Health::UNKNOWN,
            },
            ind,
        );
    }
    Ok(())
}
