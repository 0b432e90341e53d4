//! `report`: the figures the HTML report shows, read through the library
//! (`stats`, the cohort's terms), rendered by `report::render`.

use chrono::{Datelike, Months, NaiveDate};

use crate::db::Db;
use crate::error::Result;
use crate::filter::Filters;
use crate::outcome::{Outcome, OutcomeRow};
use crate::report::{self, Data, MonthRates};
use crate::stats::{Dim, Period};

/// How many months the monthly rates go back, the current one included.
pub const MONTHS: u32 = 12;

/// Everything the report shows, over the services matching `f`, as of
/// `today`: the figures of `stats --by csm` over the year to today.
pub fn data(db: &Db, f: &Filters, today: NaiveDate) -> Result<Data> {
    let period = Period::year_to(today);
    let s = super::stats::compute(db, f, Some(Dim::Csm), period, today)?;
    let months = months_interim(db, f, today)?;
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

// interim: replaced by ops::stats::series when merged.
// The cohort's terms of the last `MONTHS` calendar months (to today), read
// once and counted by the month they expire in, as `stats` counts its
// renewal block (customers distinct within a month).
fn months_interim(db: &Db, f: &Filters, today: NaiveDate) -> Result<Vec<MonthRates>> {
    let first = first_of_month(today)
        .checked_sub_months(Months::new(MONTHS - 1))
        .unwrap_or(today);
    let period = Period {
        from: first,
        to: today,
    };
    let rows = super::outcomes::cohort(db, f, period, today)?;
    Ok(by_month(&rows, first, MONTHS as usize))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// `n` months from `first`, each with the rows expiring in it.
fn by_month(rows: &[OutcomeRow], first: NaiveDate, n: usize) -> Vec<MonthRates> {
    let index = |d: NaiveDate| {
        let k = (d.year() - first.year()) * 12 + d.month() as i32 - first.month() as i32;
        usize::try_from(k).ok().filter(|&k| k < n)
    };
    let mut out: Vec<MonthRates> = (0..n)
        .map(|k| MonthRates {
            month: first
                .checked_add_months(Months::new(k as u32))
                .unwrap_or(first),
            ..MonthRates::default()
        })
        .collect();
    let mut due: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut renewed: Vec<Vec<&str>> = vec![Vec::new(); n];
    for r in rows {
        let Some(k) = index(r.expiry_date) else {
            continue;
        };
        out[k].due_amount += r.amount.unwrap_or_default();
        due[k].push(&r.customer_id);
        if r.outcome == Outcome::Renewed {
            out[k].renewed_amount += r.new_amount.unwrap_or_default();
            renewed[k].push(&r.customer_id);
        }
    }
    let distinct = |v: &mut Vec<&str>| {
        v.sort_unstable();
        v.dedup();
        v.len() as u64
    };
    for (k, m) in out.iter_mut().enumerate() {
        m.due_customers = distinct(&mut due[k]);
        m.renewed_customers = distinct(&mut renewed[k]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Cents;
    use crate::service::ServiceType;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(customer: &str, expiry: &str, amount: i64, renewed: Option<i64>) -> OutcomeRow {
        OutcomeRow {
            customer_id: customer.into(),
            customer_name: customer.into(),
            csm: None,
            tier: None,
            service_id: format!("{customer}-{expiry}"),
            service_type: ServiceType::Subscription,
            product: None,
            expiry_date: d(expiry),
            amount: Some(Cents::from(amount)),
            outcome: if renewed.is_some() {
                Outcome::Renewed
            } else {
                Outcome::Open
            },
            new_expiry: None,
            new_amount: renewed.map(Cents::from),
            reason: None,
            reason_detail: None,
            last_note: None,
            group: None,
        }
    }

    #[test]
    fn terms_count_in_the_month_they_expire_in_customers_once() {
        let rows = [
            row("C1", "2026-01-31", 100, Some(150)),
            row("C1", "2026-01-01", 100, None),
            row("C2", "2026-02-01", 300, None),
            row("C3", "2025-12-31", 999, Some(1)), // before the first month
        ];
        let m = by_month(&rows, d("2026-01-01"), 2);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].month, d("2026-01-01"));
        assert_eq!((m[0].due_customers, m[0].renewed_customers), (1, 1));
        assert_eq!(
            (m[0].due_amount, m[0].renewed_amount),
            (Cents(200), Cents(150))
        );
        assert_eq!(m[0].logo_rate(), Some(1.0));
        assert_eq!(m[0].amount_rate(), Some(0.75));
        assert_eq!(m[1].month, d("2026-02-01"));
        assert_eq!((m[1].due_customers, m[1].renewed_customers), (1, 0));
        assert_eq!(m[1].logo_rate(), Some(0.0));
        assert_eq!(by_month(&[], d("2026-01-01"), 3)[2].logo_rate(), None);
    }
}
