//! `stats`: the renewal figures.

use chrono::NaiveDate;

use crate::db::{settings, stats, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::stats::{Dim, Period, Stats};

/// Every figure over the services matching `f`, split by `by`.
pub fn compute(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    today: NaiveDate,
) -> Result<Stats> {
    stats::compute(db, f, by, period, settings::as_of(db.conn(), today)?)
}
