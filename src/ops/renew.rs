//! `renew`: a renewal recorded by hand.

use chrono::NaiveDate;

use crate::date::from_iso;
use crate::db::{renewal, settings, Db};
use crate::error::{Error, Result};
use crate::history::Actor;
use crate::money::Cents;
use crate::renewal::Renewal;
use crate::status::{check_renewal, next_term_start};

/// Rules 4 and 8 by hand: the current term closes as renewed and the next
/// starts the day after it. `amount` None keeps the current amount.
pub fn renew(
    db: &mut Db,
    service_id: &str,
    until: NaiveDate,
    amount: Option<Cents>,
    who: &Actor,
) -> Result<Renewal> {
    db.change(|tx| {
        let old = renewal::current_term(tx, service_id)?
            .ok_or_else(|| Error::NotFound(crate::msg::values::no_service(service_id)))?;
        let expiry = from_iso(&old.expiry_date).ok_or_else(|| {
            Error::Invalid(crate::msg::values::stored_expiry_not_a_date(
                &old.expiry_date,
            ))
        })?;
        check_renewal(expiry, until)
            .map_err(|e| Error::Refused(crate::msg::followup::renew_refused(service_id, e)))?;
        let start = next_term_start(expiry);
        let amount = amount.map(Cents::stored).or(old.amount);
        let at = settings::as_of(tx, who.today)?;
        renewal::start_next_term(tx, &old, start, until, amount, who, at)?;
        Ok(Renewal {
            was: old.effective(at),
            old,
            start,
            until,
            amount,
        })
    })
}
