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
    db.write(|tx| {
        let old = renewal::current_term(tx, service_id)?.ok_or_else(|| {
            Error::NotFound(format!(
                "no service `{service_id}`\nhint: `xaas list --services --search TEXT` finds a customer's services"
            ))
        })?;
        let expiry = from_iso(&old.expiry_date).ok_or_else(|| {
            Error::Invalid(format!("stored expiry `{}` is not a date", old.expiry_date))
        })?;
        check_renewal(expiry, until).map_err(|e| Error::Refused(format!("{service_id}: {e}")))?;
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
