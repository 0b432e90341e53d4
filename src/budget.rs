//! Budgets (预算管理, seed 001's budget process): the day a customer
//! makes its budget (预算制定时间), whether the renewal was submitted into
//! it, and whether it passed. One cycle per customer and budget date:
//! the customer's `budget_date` names the current one; earlier cycles
//! stay, so a date that passed unsubmitted still counts. Pure: states and
//! rules; `db::budgets` stores the cycles.

use chrono::NaiveDate;

use crate::date::iso;
use crate::msg::work as msg;
use crate::spelling::labelled_enum;

labelled_enum!(
    /// What the customer's budget decided for the renewal.
    BudgetResult, "budget result", "预算结果", {
        Passed = "passed", "已通过", "通过";
        Failed = "failed", "未通过", "不通过";
    }
);

labelled_enum!(
    /// Where a budget cycle is.
    BudgetState, "budget status", "预算状态", {
        Pending = "pending", "待提交";
        Submitted = "submitted", "已提交";
        Passed = "passed", "已通过";
        Failed = "failed", "未通过";
    }
);

impl From<BudgetResult> for BudgetState {
    fn from(r: BudgetResult) -> BudgetState {
        match r {
            BudgetResult::Passed => BudgetState::Passed,
            BudgetResult::Failed => BudgetState::Failed,
        }
    }
}

/// One budget cycle, with its customer's name and CSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub id: i64,
    pub customer_id: String,
    pub customer_name: String,
    pub csm: Option<String>,
    pub budget_date: NaiveDate,
    pub submitted: Option<NaiveDate>,
    pub result: Option<BudgetResult>,
    pub result_date: Option<NaiveDate>,
    /// The day the cycle was opened (its date set).
    pub created: NaiveDate,
    pub author: String,
}

impl Cycle {
    pub fn state(&self) -> BudgetState {
        match (self.result, self.submitted) {
            (Some(r), _) => r.into(),
            (None, Some(_)) => BudgetState::Submitted,
            (None, None) => BudgetState::Pending,
        }
    }

    /// Whether a new budget date moves this cycle (the customer's meeting
    /// was rescheduled) rather than opening another: so while its date
    /// has not passed and no result is in. A cycle whose date passed is
    /// history, submitted or missed, and a new date is the next cycle.
    pub fn moves_with_new_date(&self, today: NaiveDate) -> bool {
        self.budget_date >= today && self.result.is_none()
    }
}

/// The cycle `budget submit` submits: the current one (at the customer's
/// budget date), not yet submitted, and not submitted before it existed.
pub fn pick_for_submit<'a>(
    customer: &str,
    current: Option<&'a Cycle>,
    today: NaiveDate,
) -> Result<&'a Cycle, String> {
    let Some(c) = current else {
        return Err(no_date(customer));
    };
    if let Some(on) = c.submitted {
        return Err(msg::budget_already_submitted(
            customer,
            iso(c.budget_date),
            iso(on),
        ));
    }
    if today < c.created {
        return Err(msg::budget_submit_before_set(
            iso(c.budget_date),
            customer,
            iso(c.created),
            iso(today),
        ));
    }
    Ok(c)
}

/// The cycle `budget result` decides: the latest submitted one without a
/// result (a later budget date may already be set). `cycles` are the
/// customer's, latest budget date first.
pub fn pick_for_result<'a>(
    customer: &str,
    cycles: &'a [Cycle],
    today: NaiveDate,
) -> Result<&'a Cycle, String> {
    let waiting = cycles
        .iter()
        .find(|c| c.submitted.is_some() && c.result.is_none());
    let Some(c) = waiting else {
        return Err(match cycles.first() {
            None => no_date(customer),
            Some(c) => match (c.result, c.result_date) {
                (Some(r), on) => msg::budget_has_result(
                    customer,
                    iso(c.budget_date),
                    r.label(crate::msg::lang()),
                    on.map_or_else(msg::unknown_day, iso),
                ),
                (None, _) => msg::budget_not_submitted(customer, iso(c.budget_date)),
            },
        });
    };
    match c.submitted {
        Some(on) if today < on => Err(msg::budget_result_before_submit(
            customer,
            iso(c.budget_date),
            iso(on),
            iso(today),
        )),
        _ => Ok(c),
    }
}

fn no_date(customer: &str) -> String {
    msg::no_budget_date(customer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cycle(date: &str) -> Cycle {
        Cycle {
            id: 1,
            customer_id: "C1".into(),
            customer_name: "华宇".into(),
            csm: None,
            budget_date: day(date),
            submitted: None,
            result: None,
            result_date: None,
            created: day("2026-10-01"),
            author: "me".into(),
        }
    }

    #[test]
    fn a_cycle_moves_until_its_date_passes_or_its_result_is_in() {
        let today = day("2026-11-23");
        let mut c = cycle("2026-11-23");
        assert!(
            c.moves_with_new_date(today),
            "the day itself has not passed"
        );
        c.submitted = Some(day("2026-11-01"));
        assert!(c.moves_with_new_date(today), "submitted: the meeting moved");
        c.result = Some(BudgetResult::Passed);
        assert!(!c.moves_with_new_date(today), "decided: the next cycle");
        assert!(!cycle("2026-11-22").moves_with_new_date(today), "missed");
    }

    #[test]
    fn states_follow_submission_and_result() {
        let mut c = cycle("2027-03-01");
        assert_eq!(c.state(), BudgetState::Pending);
        c.submitted = Some(day("2026-12-01"));
        assert_eq!(c.state(), BudgetState::Submitted);
        c.result = Some(BudgetResult::Failed);
        assert_eq!(c.state(), BudgetState::Failed);
        assert_eq!(BudgetResult::parse("通过"), Ok(BudgetResult::Passed));
    }

    #[test]
    fn submit_takes_the_current_cycle_once() {
        let today = day("2026-11-23");
        assert!(pick_for_submit("C1", None, today)
            .unwrap_err()
            .starts_with("C1 has no budget date; nothing changed"));
        let c = cycle("2027-03-01");
        assert_eq!(pick_for_submit("C1", Some(&c), today), Ok(&c));
        let e = pick_for_submit("C1", Some(&c), day("2026-09-30")).unwrap_err();
        assert!(e.contains("was set on 2026-10-01"), "{e}");
        let mut done = c.clone();
        done.submitted = Some(day("2026-11-20"));
        let e = pick_for_submit("C1", Some(&done), today).unwrap_err();
        assert!(
            e.starts_with("the budget of C1 for 2027-03-01 was already submitted on 2026-11-20"),
            "{e}"
        );
    }

    #[test]
    fn a_result_goes_to_the_latest_submitted_cycle_waiting_for_one() {
        let today = day("2026-11-23");
        assert!(pick_for_result("C1", &[], today)
            .unwrap_err()
            .contains("no budget date"));
        let mut next = cycle("2027-03-01");
        next.id = 2;
        let mut this = cycle("2026-03-01");
        this.submitted = Some(day("2026-02-01"));
        // Next year's date is set, this year's result still to come.
        let cycles = [next.clone(), this.clone()];
        assert_eq!(pick_for_result("C1", &cycles, today).unwrap().id, 1);
        let e = pick_for_result("C1", &[next.clone()], today).unwrap_err();
        assert!(e.contains("for 2027-03-01 is not submitted yet"), "{e}");
        this.result = Some(BudgetResult::Passed);
        this.result_date = Some(day("2026-03-10"));
        let e = pick_for_result("C1", &[this.clone()], today).unwrap_err();
        assert!(
            e.contains("already has its result: passed on 2026-03-10"),
            "{e}"
        );
        let mut early = cycle("2027-03-01");
        early.submitted = Some(day("2026-11-23"));
        let e = pick_for_result("C1", &[early], day("2026-11-22")).unwrap_err();
        assert!(e.contains("cannot come on 2026-11-22"), "{e}");
    }
}
