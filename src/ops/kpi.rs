//! The indicators of the work around renewals (seed 001), each as
//! (numerator, denominator), for `stats` to show: `db::kpi` counts them.

use chrono::NaiveDate;

use super::filters;
use crate::db::sql::Sql;
use crate::db::{kpi, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::kpi::Work;
use crate::stats::Period;

/// Over the items that started in the period, in their state as of
/// `today`, of the customers the filters select.
pub fn work(db: &Db, f: &Filters, period: Period, today: NaiveDate) -> Result<Work> {
    let f = filters::resolve(db, f)?;
    work_of(db, &f, period, today)
}

/// `work` for filters already resolved (a group of `stats --by`).
pub(crate) fn work_of(db: &Db, f: &Filters, period: Period, today: NaiveDate) -> Result<Work> {
    match db.conn() {
        // SQLite: one read transaction for the seven counts.
        Ok(_) => db.read(|c| work_on(c, f, period, today)),
        Err(_) => work_on(db.sql(), f, period, today),
    }
}

fn work_on(c: &impl Sql, f: &Filters, period: Period, today: NaiveDate) -> Result<Work> {
    Ok(Work {
        risk_completion: kpi::risk_completion(c, f, period, today)?,
        risk_success: kpi::risk_success(c, f, period, today)?,
        lead_closure: kpi::lead_closure(c, f, period, today)?,
        lead_conversion: kpi::lead_conversion(c, f, period, today)?,
        budget_on_time: kpi::budget_on_time(c, f, period, today)?,
        budget_pass: kpi::budget_pass(c, f, period, today)?,
        task_on_time: kpi::task_on_time(c, f, period, today)?,
    })
}
