//! What `risk`, `lead` and `budget` share: the customer a CUSTOMER
//! argument names, and the service an item may be about.

use crate::customer::Customer;
use crate::db::{followup, query, Change};
use crate::error::{Error, Result};

/// The customer (id, or a unique part of a name), and `service` checked
/// to be one of its services.
pub(super) fn customer_and_service(
    tx: &Change,
    customer: &str,
    service: Option<&str>,
) -> Result<(Customer, Option<String>)> {
    let c = query::find_customer(tx, customer)?;
    let Some(id) = service else {
        return Ok((c, None));
    };
    let s = followup::candidates_of_services(tx, &[id.to_string()])?.remove(0);
    if s.customer_id != c.id {
        return Err(Error::Refused(crate::msg::work::item_not_their_service(
            &s.service_id,
            &c.id,
            &c.name,
            &s.customer_id,
            &s.customer_name,
        )));
    }
    Ok((c, Some(s.service_id)))
}
