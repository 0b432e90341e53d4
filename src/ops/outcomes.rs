//! `outcomes`: the renewal cohort's terms and what became of each.

use chrono::NaiveDate;

use crate::db::{outcomes, query, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::outcome::OutcomeRow;
use crate::stats::Period;

/// Every term `stats` counts in its `renewal` block for the same filters
/// and period, by expiry.
pub fn cohort(db: &Db, f: &Filters, period: Period, today: NaiveDate) -> Result<Vec<OutcomeRow>> {
    let f = super::filters::resolve(db, f)?;
    outcomes::cohort(
        db.sql(),
        &f,
        period,
        &query::Reading::load(db.sql(), today)?,
        None,
    )
}
