//! `stats`: the renewal figures.

use chrono::NaiveDate;

use crate::columns::{Col, TRACKED};
use crate::db::{history, outcomes, query, stats, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::stats::series::{Series, Unit};
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
    let read = query::Reading::load(db.sql(), today)?;
    let f = filters::resolve(db, f)?;
    let mut s = stats::compute(db, &f, by, period, &read)?;
    let split = by.and_then(Dim::column);
    if recount(db, &f, split)? {
        let rows = outcomes::cohort(db.sql(), &f, period, &read, split)?;
        s.recount_cohort(&rows);
    }
    // The seed-001 indicators: of the customers selected, and per group
    // of a customer column. Items belong to a customer, not to a service:
    // a filter on services (or a split by type) leaves them empty, not
    // counted over customers the filter did not select.
    let (_, on_services) = f.split();
    let by_service = !Filters {
        customer: vec![],
        ..on_services
    }
    .is_empty();
    if by_service {
        return Ok(s);
    }
    s.total.work = super::kpi::work_of(db, &f, period, today)?;
    if let Some(col) = split {
        for (name, g) in &mut s.groups {
            let mut gf = f.clone();
            gf.attr(col, vec![name.clone()]);
            g.work = super::kpi::work_of(db, &gf, period, today)?;
        }
    }
    Ok(s)
}

/// Rule 5: when the split's column or a filtered one has changed for some
/// customer, the cohort is counted from its rows, each with the
/// customer's values on its expiry day.
fn recount(db: &Db, f: &Filters, split: Option<Col>) -> Result<bool> {
    let changed =
        |c: Col| -> Result<bool> { Ok(TRACKED.contains(&c) && history::has_changes(db.sql(), c)?) };
    let mut recount = match split {
        Some(c) => changed(c)?,
        None => false,
    };
    for (c, _) in &f.attrs {
        recount = recount || changed(*c)?;
    }
    Ok(recount)
}

/// `stats --series`: the renewal cohort of each period of `unit` over
/// `span` (the terms expiring in it), its touch rate and open amount at
/// risk, all as of `today`, split by `by`; the periods' figures add up to
/// `compute`'s over the same span. One pass over the services, as
/// `compute` makes (and, when rule 5 asks for it, one over the cohort's
/// rows).
pub fn series(
    db: &Db,
    f: &Filters,
    by: Option<Dim>,
    span: Period,
    unit: Unit,
    today: NaiveDate,
) -> Result<Series> {
    let read = query::Reading::load(db.sql(), today)?;
    let f = filters::resolve(db, f)?;
    let mut s = stats::series(db, &f, by, span, unit, &read)?;
    let split = by.and_then(Dim::column);
    if recount(db, &f, split)? {
        let rows = outcomes::cohort(db.sql(), &f, span, &read, split)?;
        s.recount_cohort(&rows);
    }
    Ok(s)
}
