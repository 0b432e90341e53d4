//! `show`: one customer with its services and latest records.

use chrono::NaiveDate;

use crate::customer::Customer;
use crate::db::{query, records, Db};
use crate::error::Result;
use crate::record::{Record, RecordFilter};
use crate::view::{Breakdown, ServiceView};

/// Records shown with a customer; `log list CUSTOMER` has them all.
const RECENT: u64 = 5;

/// What `show` prints.
#[derive(Clone, Debug)]
pub struct Card {
    pub customer: Customer,
    /// By type, then expiry.
    pub services: Vec<ServiceView>,
    pub counts: Breakdown,
    /// The latest records, newest first.
    pub records: Vec<Record>,
}

/// A customer by id or a unique part of its name.
pub fn customer(db: &Db, q: &str, today: NaiveDate) -> Result<Card> {
    let conn = db.conn();
    let customer = query::find_customer(conn, q)?;
    let services = query::services_of(conn, &customer.id, &query::Reading::load(conn, today)?)?;
    let records = records::list_records(
        conn,
        &RecordFilter {
            customer: Some(customer.id.clone()),
            limit: Some(RECENT),
            ..RecordFilter::default()
        },
    )?;
    Ok(Card {
        counts: Breakdown::of(&services),
        customer,
        services,
        records,
    })
}
