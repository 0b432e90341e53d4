//! The indicators of the work around renewals (seed 001), each as
//! (numerator, denominator), for `stats` to show: `db::kpi` counts them.

use chrono::NaiveDate;

use super::filters;
use crate::db::{kpi, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::stats::Period;

/// A rate's parts: (numerator, denominator); the rate is `null` when the
/// denominator is 0.
pub type Ratio = (u64, u64);

/// Over the items that started in the period, in their state as of
/// `today`, of the customers the filters select.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// 风险处置完成率: risks closed / raised.
    pub risk_completion: Ratio,
    /// 风险处置成功率: risks resolved / closed.
    pub risk_success: Ratio,
    /// 线索闭环率: leads validated, invalid or converted / entered.
    pub lead_closure: Ratio,
    /// 线索转换率: leads converted / entered.
    pub lead_conversion: Ratio,
    /// 按时跟进率: customers whose budget was submitted / whose budget
    /// date fell in the period.
    pub budget_on_time: Ratio,
    /// 预算通过率: customers whose budget passed / was submitted.
    pub budget_pass: Ratio,
}

pub fn work(db: &Db, f: &Filters, period: Period, today: NaiveDate) -> Result<Work> {
    let f = filters::resolve(db, f)?;
    db.read(|c| {
        Ok(Work {
            risk_completion: kpi::risk_completion(c, &f, period, today)?,
            risk_success: kpi::risk_success(c, &f, period, today)?,
            lead_closure: kpi::lead_closure(c, &f, period, today)?,
            lead_conversion: kpi::lead_conversion(c, &f, period, today)?,
            budget_on_time: kpi::budget_on_time(c, &f, period, today)?,
            budget_pass: kpi::budget_pass(c, &f, period, today)?,
        })
    })
}
