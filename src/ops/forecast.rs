//! `forecast`: what the terms of a period will bring, and `forecast
//! --backtest`: what it would have said of past months.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::db::{forecast as store, outcomes, query, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::forecast::{
    made_on, months, state_of, state_on, Backtest, Backtested, Figures, Forecast, Rates, State,
};
use crate::money::Cents;
use crate::outcome::{Outcome, OutcomeRow};
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
    let read = query::Reading::load(db.conn(), today)?;
    let f = super::filters::resolve(db, f)?;
    let samples = store::samples(db.conn(), read.at)?;
    let rates = Rates::learn(&samples, today);
    let rows = outcomes::cohort(db.conn(), &f, period, &read, by.and_then(Dim::column))?;
    let mut total = Figures::default();
    let mut groups: BTreeMap<String, Figures> = BTreeMap::new();
    for r in &rows {
        let state = state_now(r);
        let amount = r.amount.unwrap_or_default();
        total.add(state, amount, &rates);
        if let Some(dim) = by {
            groups
                .entry(group_of(r, dim))
                .or_default()
                .add(state, amount, &rates);
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
    let read = query::Reading::load(db.conn(), today)?;
    let f = super::filters::resolve(db, f)?;
    let samples = store::samples(db.conn(), read.at)?;
    let events = store::events(db.conn(), span)?;
    let rows = outcomes::cohort(db.conn(), &f, span, &read, None)?;
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

/// Where a term of the cohort stands today.
fn state_now(r: &OutcomeRow) -> State {
    match r.outcome {
        Outcome::Renewed => State::Renewed,
        Outcome::NotRenewing | Outcome::Lapsed => State::Lost,
        Outcome::Suspended => State::Suspended,
        Outcome::Open => state_of(r.status),
    }
}

fn group_of(r: &OutcomeRow, dim: Dim) -> String {
    match dim {
        Dim::ServiceType => r.service_type.id().to_string(),
        _ => r
            .group
            .clone()
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| NO_VALUE.to_string()),
    }
}
