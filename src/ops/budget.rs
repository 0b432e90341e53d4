//! `budget set|submit|result|list`: each write in one transaction,
//! checked by the rules of `budget` before anything is written.

use chrono::NaiveDate;

use super::filters;
use crate::budget::{pick_for_result, pick_for_submit, BudgetResult, Cycle};
use crate::customer::Customer;
use crate::db::{budgets, query, Db};
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::history::Actor;

/// What `budget set` did: the customer, its budget date before, and the
/// cycle now current.
#[derive(Clone, Debug)]
pub struct DateSet {
    pub customer: Customer,
    pub before: Option<NaiveDate>,
    pub cycle: Option<Cycle>,
}

/// Sets a customer's budget date (预算制定时间); its budget cycles
/// follow (see `db::budgets::date_changed`). The same date again changes
/// nothing.
pub fn set(db: &mut Db, customer: &str, date: NaiveDate, who: &Actor) -> Result<DateSet> {
    db.change(|tx| {
        let customer = query::find_customer(tx, customer)?;
        let before = budgets::set_date(tx, &customer.id, date, who)?;
        let cycle = budgets::current(tx, &customer.id)?;
        Ok(DateSet {
            customer,
            before,
            cycle,
        })
    })
}

/// Submits the renewal into the customer's current budget cycle, today.
pub fn submit(db: &mut Db, customer: &str, who: &Actor) -> Result<Cycle> {
    db.change(|tx| {
        let customer = query::find_customer(tx, customer)?;
        let current = budgets::current(tx, &customer.id)?;
        let c =
            pick_for_submit(&customer.id, current.as_ref(), who.today).map_err(Error::Refused)?;
        budgets::submit(tx, c, who)
    })
}

/// Records the result of the customer's submitted budget, today.
pub fn result(db: &mut Db, customer: &str, result: BudgetResult, who: &Actor) -> Result<Cycle> {
    db.change(|tx| {
        let customer = query::find_customer(tx, customer)?;
        let cycles = budgets::of_customer(tx, &customer.id)?;
        let c = pick_for_result(&customer.id, &cycles, who.today).map_err(Error::Refused)?;
        budgets::decide(tx, c, result, who)
    })
}

/// The budget cycles of the customers the filters select (only those not
/// yet submitted with `open_only`), by budget date.
pub fn list(db: &Db, f: &Filters, open_only: bool) -> Result<Vec<Cycle>> {
    let f = filters::resolve(db, f)?;
    budgets::list(db.sql(), &f, open_only)
}
