//! `risk add|plan|close|list`: each write in one transaction, checked by
//! the rules of `risk` before anything is written.

use super::{filters, items};
use crate::db::{risks, Db};
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::history::Actor;
use crate::risk::{NewRisk, Risk, RiskOutcome, RiskState};

/// Records a risk raised today. Without an owner, whoever raised it owns
/// it until the plan says otherwise.
pub fn add(db: &mut Db, r: &NewRisk, who: &Actor) -> Result<Risk> {
    db.change(|tx| {
        let (customer, service) =
            items::customer_and_service(tx, &r.customer, r.service.as_deref())?;
        let owner = r.owner.as_deref().unwrap_or(&who.author);
        risks::insert(
            tx,
            &risks::Raise {
                customer_id: &customer.id,
                service_id: service.as_deref(),
                kind: r.kind,
                owner: Some(owner),
                note: &r.note,
            },
            who,
        )
    })
}

/// Writes the response plan (应对方案) of an open risk; returns its state
/// before, and the risk.
pub fn plan(db: &mut Db, id: i64, plan: &str, who: &Actor) -> Result<(RiskState, Risk)> {
    db.change(|tx| {
        let r = risks::get(tx, id)?;
        r.check_plan(who.today).map_err(Error::Refused)?;
        Ok((r.state(), risks::plan(tx, &r, plan, who)?))
    })
}

/// Closes an open risk with its outcome; returns its state before, and
/// the risk.
pub fn close(
    db: &mut Db,
    id: i64,
    outcome: RiskOutcome,
    note: &str,
    who: &Actor,
) -> Result<(RiskState, Risk)> {
    db.change(|tx| {
        let r = risks::get(tx, id)?;
        r.check_close(who.today).map_err(Error::Refused)?;
        Ok((r.state(), risks::close(tx, &r, outcome, note, who)?))
    })
}

/// The risks of the customers the filters select (open ones only with
/// `open_only`), in the order they were raised.
pub fn list(db: &Db, f: &Filters, open_only: bool) -> Result<Vec<Risk>> {
    let f = filters::resolve(db, f)?;
    risks::list(db.sql(), &f, open_only)
}
