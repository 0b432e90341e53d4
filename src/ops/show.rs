//! `show`: one customer with its services, latest records, open risks
//! and leads, budget, and open tasks.

use chrono::NaiveDate;

use crate::budget::Cycle;
use crate::customer::Customer;
use crate::db::{budgets, leads, query, records, risks, tasks, Db};
use crate::error::Result;
use crate::filter::Filters;
use crate::lead::Lead;
use crate::record::{Record, RecordFilter};
use crate::risk::Risk;
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
    /// Open risks and leads, oldest first.
    pub risks: Vec<Risk>,
    pub leads: Vec<Lead>,
    /// The cycle at the customer's budget date, if it has one.
    pub budget: Option<Cycle>,
    /// The open tasks, by due day.
    pub tasks: Vec<Task>,
}

/// A customer by id or a unique part of its name.
pub fn customer(db: &Db, q: &str, today: NaiveDate) -> Result<Card> {
    let customer = query::find_customer(db.sql(), q)?;
    let read = query::Reading::load(db.sql(), today)?;
    let services = query::services_of(db.sql(), &customer.id, &read)?;
    let conn = db.sql();
    let records = records::list_records(
        conn,
        &RecordFilter {
            customer: Some(customer.id.clone()),
            limit: Some(RECENT),
            ..RecordFilter::default()
        },
    )?;
    let only = Filters {
        customer: vec![customer.id.clone()],
        ..Filters::default()
    };
    let mut mine = TaskFilter {
        statuses: vec![TaskStatus::Open],
        ..TaskFilter::default()
    };
    mine.filters.customer = vec![customer.id.clone()];
    let tasks = tasks::list(conn, &mine)?;
    Ok(Card {
        counts: Breakdown::of(&services),
        risks: risks::list(conn, &only, true)?,
        leads: leads::list(conn, &only, true)?,
        budget: budgets::current(conn, &customer.id)?,
        tasks,
        customer,
        services,
        records,
    })
}
