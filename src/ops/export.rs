//! `export`: the service list, every matching service.

use chrono::NaiveDate;

use crate::db::{query, Db};
use crate::error::Error;
use crate::filter::{Filters, Page, ServiceSort};
use crate::view::ServiceView;

use super::filters;

/// The services of `customers` (ids or unique parts of names; none: all)
/// that match `f`, by id unless `sort` says otherwise, streamed to `each`.
pub fn services<E: From<Error>>(
    db: &Db,
    customers: &[String],
    f: &Filters,
    sort: Option<&ServiceSort>,
    today: NaiveDate,
    each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    let mut f = filters::resolve(db, f)?;
    for c in customers {
        f.customer.push(query::find_customer(db.sql(), c)?.id);
    }
    let order = query::service_order(sort);
    let read = query::Reading::load(db.sql(), today)?;
    query::for_each_service(db.sql(), &f, None, &order, Page::default(), &read, each)
}
