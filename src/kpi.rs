//! The indicators a team lead reports on the work around renewals (seed
//! 001), each a count over a count of the items that started in a period,
//! in their state as of the day. `db::kpi` counts them; `stats` declares
//! each as a `Ratio` (its formula and value) over these counts.

/// A rate's parts: (numerator, denominator); the rate is `null` when the
/// denominator is 0.
pub type Counts = (u64, u64);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// 风险处置完成率: risks closed / raised.
    pub risk_completion: Counts,
    /// 风险处置成功率: risks resolved / closed.
    pub risk_success: Counts,
    /// 线索闭环率: leads validated, invalid or converted / entered.
    pub lead_closure: Counts,
    /// 线索转换率: leads converted / entered.
    pub lead_conversion: Counts,
    /// 按时跟进率: customers whose budget was submitted / whose budget
    /// date fell in the period.
    pub budget_on_time: Counts,
    /// 预算通过率: customers whose budget passed / was submitted.
    pub budget_pass: Counts,
    /// 任务按时完成率: tasks done by their due day / tasks due (less
    /// those withdrawn as no longer applying).
    pub task_on_time: Counts,
}
