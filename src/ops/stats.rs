//! `stats`: the renewal figures.

use chrono::NaiveDate;

use crate::db::{settings, stats, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::stats::{Dim, Period, Stats};

use super::filters;

/// Every figure over the services matching `f`, split by `by`.
pub fn compute(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    today: NaiveDate,
) -> Result<Stats> {
    let at = settings::as_of(db.conn(), today)?;
    stats::compute(db, &filters::resolve(db, f)?, by, period, at)
}
