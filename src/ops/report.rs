//! `report`: the figures the HTML report shows, read through the library
//! (`stats`, the cohort's terms), rendered by `report::render`.

use chrono::{Datelike, Months, NaiveDate};

use crate::db::Db;
use crate::error::Result;
use crate::filter::Filters;
use crate::report::{self, Data, MonthRates};
use crate::stats::series::Unit;
use crate::stats::{Dim, Period};

/// How many months the monthly rates go back, the current one included.
pub const MONTHS: u32 = 12;

/// Everything the report shows, over the services matching `f`, as of
/// `today`: the figures of `stats --by csm` over the year to today.
pub fn data(db: &Db, f: &Filters, today: NaiveDate) -> Result<Data> {
    let period = Period::year_to(today);
    let s = super::stats::compute(db, f, Some(Dim::Csm), period, today)?;
    let months = months_of(db, f, today)?;
    Ok(Data {
        as_of: s.as_of,
        period: s.period,
        scope: report::scope_of(f),
        total: s.total,
        by_csm: s.groups,
        months,
        forecast: Some(forecast_of(db, f, today)?),
    })
}

/// `forecast`'s figures for its default period (the next 90 days).
fn forecast_of(db: &Db, f: &Filters, today: NaiveDate) -> Result<report::ForecastSummary> {
    let period = crate::forecast::default_period(today);
    let fc = super::forecast::forecast(db, f, None, period, today)?;
    let t = &fc.total;
    Ok(report::ForecastSummary {
        from: period.from,
        to: period.to,
        renewed: t.renewed.amount,
        lost: t.lost.amount,
        expected: t.expected(),
        low: t.low(),
        high: t.high(),
    })
}

/// The page, in the language of this run.
pub fn html(db: &Db, f: &Filters, today: NaiveDate) -> Result<String> {
    Ok(report::render(&data(db, f, today)?))
}

/// The renewal cohort of each of the last `MONTHS` calendar months (to
/// today): `stats --series month`'s rows.
fn months_of(db: &Db, f: &Filters, today: NaiveDate) -> Result<Vec<MonthRates>> {
    let first = today.with_day(1).unwrap_or(today);
    let first = first
        .checked_sub_months(Months::new(MONTHS - 1))
        .unwrap_or(first);
    let span = Period {
        from: first,
        to: today,
    };
    let series = super::stats::series(db, f, None, span, Unit::Month, today)?;
    Ok(series
        .rows
        .iter()
        .map(|r| MonthRates {
            month: r.period.from,
            due_customers: r.cohort.due_customers,
            renewed_customers: r.cohort.renewed_customers,
            due_amount: r.cohort.due_amount,
            renewed_amount: r.cohort.renewed_amount,
        })
        .collect())
}
