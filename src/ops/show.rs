//! `show`: one customer with its services, latest records and open tasks.

use chrono::NaiveDate;

use crate::customer::Customer;
use crate::db::{query, records, tasks, Db};
use crate::error::Result;
use crate::record::{Record, RecordFilter};
use crate::task::{Task, TaskFilter, TaskStatus};
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
    /// The open tasks, by due day.
    pub tasks: Vec<Task>,
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
    let mut mine = TaskFilter {
        statuses: vec![TaskStatus::Open],
        ..TaskFilter::default()
    };
    mine.filters.customer = vec![customer.id.clone()];
    let tasks = tasks::list(conn, &mine)?;
    Ok(Card {
        tasks,
        counts: Breakdown::of(&services),
        customer,
        services,
        records,
    })
}
