//! `lead add|set|list`: each write in one transaction, checked by the
//! rules of `lead` before anything is written.

use super::{filters, items};
use crate::db::{leads, Db};
use crate::error::{Error, Result};
use crate::filter::Filters;
use crate::history::Actor;
use crate::lead::{Lead, LeadStatus};
use crate::money::Cents;

/// A lead to enter, as the CSM gave it.
#[derive(Clone, Debug)]
pub struct NewLead {
    /// Customer id, or a unique part of its name.
    pub customer: String,
    pub service: Option<String>,
    pub product: String,
    pub amount: Option<Cents>,
    pub note: String,
}

/// Enters a lead today.
pub fn add(db: &mut Db, l: &NewLead, who: &Actor) -> Result<Lead> {
    db.change(|tx| {
        let (customer, service) =
            items::customer_and_service(tx, &l.customer, l.service.as_deref())?;
        leads::insert(
            tx,
            &leads::Enter {
                customer_id: &customer.id,
                service_id: service.as_deref(),
                product: &l.product,
                amount: l.amount,
                note: &l.note,
            },
            who,
        )
    })
}

/// Moves a lead to `to` (and gives it `amount`, if any); returns the lead
/// before and after.
pub fn set(
    db: &mut Db,
    id: i64,
    to: LeadStatus,
    amount: Option<Cents>,
    who: &Actor,
) -> Result<(Lead, Lead)> {
    db.change(|tx| {
        let before = leads::get(tx, id)?;
        let m = before.plan_move(to, who.today).map_err(Error::Refused)?;
        let after = leads::apply(tx, &before, &m, amount, who)?;
        Ok((before, after))
    })
}

/// The leads of the customers the filters select (open ones only with
/// `open_only`: entered or validated), in the order they were entered.
pub fn list(db: &Db, f: &Filters, open_only: bool) -> Result<Vec<Lead>> {
    let f = filters::resolve(db, f)?;
    leads::list(db.sql(), &f, open_only)
}
