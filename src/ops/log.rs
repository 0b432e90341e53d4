//! `log add` and `log list`: follow-up records.

use crate::columns::Col;
use crate::customer::Customer;
use crate::db::{followup, query, records, Db};
use crate::error::{Error, Result};
use crate::record::{check_services_are_theirs, NewRecord, Notes, Record, RecordFilter};

use super::filters;

/// A record to write, as the CSM gave it.
#[derive(Clone, Debug)]
pub struct Add {
    /// Customer id, or a unique part of its name.
    pub customer: String,
    /// Services of that customer it is about (none: the whole customer).
    pub services: Vec<String>,
    /// Local RFC 3339.
    pub at: String,
    pub author: String,
    pub notes: Notes,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Added {
    pub id: i64,
    pub customer: Customer,
    pub services: Vec<String>,
    pub at: String,
}

/// Writes one record, if every service it names is the customer's.
pub fn add(db: &mut Db, a: Add) -> Result<Added> {
    db.change(|tx| {
        let customer = query::find_customer(tx, &a.customer)?;
        let services = followup::candidates_of_services(tx, &a.services)?;
        check_services_are_theirs(&customer, &services).map_err(Error::Refused)?;
        let record = NewRecord {
            customer_id: customer.id.clone(),
            services: services.into_iter().map(|s| s.service_id).collect(),
            at: a.at,
            author: a.author,
            status: None,
            notes: a.notes,
        };
        let id = records::insert_record(tx, &record)?;
        Ok(Added {
            id,
            customer,
            services: record.services,
            at: record.at,
        })
    })
}

/// Records matching the filter, newest first; `customer` may be a unique
/// part of a name.
pub fn list(db: &Db, mut f: RecordFilter) -> Result<Vec<Record>> {
    f.csm = filters::attr_values(db, Col::Csm, &f.csm)?;
    if let Some(q) = &f.customer {
        f.customer = Some(query::find_customer(db.sql(), q)?.id);
    }
    records::list_records(db.sql(), &f)
}
