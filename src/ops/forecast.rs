//! `forecast`: what the terms of a period will bring, and `forecast
//! --backtest`: what it would have said of past months.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::columns::{Col, TRACKED};
use crate::db::{forecast as store, history, outcomes, query, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::forecast::{
    made_on, months, state_of, state_on, Backtest, Backtested, Figures, Forecast, Rates,
};
use crate::money::Cents;
use crate::outcome::Outcome;
use crate::stats::{Dim, Period, NO_VALUE};

/// The forecast for the terms matching `f` that expire in `period`, split
/// by `by`. The rates are learned from the whole book (every past term
/// with a known outcome), whatever the filters: the groups of a split
/// share them, so they add up to the total.
pub fn forecast(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    today: NaiveDate,
) -> Result<Forecast> {
    let read = query::Reading::load(db.sql(), today)?;
    let f = super::filters::resolve(db, f)?;
    let samples = store::samples(db.sql(), read.at)?;
    let rates = Rates::learn(&samples, today);
    let mut total = Figures::default();
    let mut groups: BTreeMap<String, Figures> = BTreeMap::new();
    for t in due(db, &f, by, period, &read)? {
        let state = state_of(t.status);
        total.add(state, t.amount, &rates);
        if by.is_some() {
            let name = t
                .group
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| NO_VALUE.to_string());
            groups.entry(name).or_default().add(state, t.amount, &rates);
        }
    }
    Ok(Forecast {
        as_of: today,
        period,
        by,
        rates,
        total,
        groups: groups.into_iter().collect(),
    })
}

/// For each month of `span` (a past span), the forecast as made 30 days
/// before the month's first day (rates from the terms that expired and
/// were decided before that day, statuses on that day from the history),
/// beside the renewed amount of the month's terms as of `today`.
pub fn backtest(db: &Db, f: &Filters, span: Period, today: NaiveDate) -> Result<Backtest> {
    let read = query::Reading::load(db.sql(), today)?;
    let f = super::filters::resolve(db, f)?;
    let samples = store::samples(db.sql(), read.at)?;
    let events = store::events(db.sql(), span)?;
    let rows = outcomes::cohort(db.sql(), &f, span, &read, None)?;
    let none = Vec::new();
    let out = months(span)
        .into_iter()
        .map(|period| {
            let as_of = made_on(period);
            let rates = Rates::learn(&samples, as_of);
            let mut then = Figures::default();
            let mut actual = Cents::default();
            for r in rows.iter().filter(|r| period.contains(r.expiry_date)) {
                let amount = r.amount.unwrap_or_default();
                if r.outcome == Outcome::Renewed {
                    actual += amount;
                }
                let key = (r.service_id.clone(), crate::date::iso(r.expiry_date));
                let ev = events.get(&key).unwrap_or(&none);
                then.add(state_on(ev, as_of), amount, &rates);
            }
            Backtested {
                period,
                as_of,
                rates,
                then,
                actual,
            }
        })
        .collect();
    Ok(Backtest { span, rows: out })
}

/// The period's terms, as `stats` counts them: read lean, or, when the
/// split's or a filtered column has changed for some customer (rule 5: a
/// term counts for the customer's values on its expiry day) or
/// `--health` is wanted, from the cohort's rows.
fn due(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    period: Period,
    read: &query::Reading,
) -> Result<Vec<store::Due>> {
    let changed =
        |c: Col| -> Result<bool> { Ok(TRACKED.contains(&c) && history::has_changes(db.sql(), c)?) };
    let mut exact = !f.health.is_empty();
    for c in by
        .and_then(Dim::column)
        .into_iter()
        .chain(f.attrs.iter().map(|(c, _)| *c))
    {
        exact = exact || changed(c)?;
    }
    if !exact {
        return store::due(db.sql(), f, period, read.at, by);
    }
    let rows = outcomes::cohort(db.sql(), f, period, read, by.and_then(Dim::column))?;
    Ok(rows
        .into_iter()
        .map(|r| store::Due {
            status: r.status,
            amount: r.amount.unwrap_or_default(),
            group: match by {
                Some(Dim::ServiceType) => Some(r.service_type.id().to_string()),
                _ => r.group,
            },
        })
        .collect())
}
