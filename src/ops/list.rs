//! `list`: customers with figures over their matching services, or the
//! services themselves.

use chrono::NaiveDate;

use crate::db::{query, Db};
use crate::error::{Error, Result};
use crate::filter::{CustomerSort, Filters, Page, ServiceSort};
use crate::view::{CustomerSummary, ServiceView};

use super::filters;

/// A page of customers, most urgent first unless `sort` says otherwise,
/// and how many match in all.
pub fn customers(
    db: &Db,
    f: &Filters,
    sort: Option<&CustomerSort>,
    page: Page,
    today: NaiveDate,
) -> Result<(Vec<CustomerSummary>, u64)> {
    let read = query::Reading::load(db.sql(), today)?;
    let f = filters::resolve(db, f)?;
    query::list_customers(db.sql(), &f, sort, page, &read)
}

/// A page of services (by expiry unless `sort` says otherwise) streamed to
/// `each`; returns how many were shown and how many match in all.
pub fn services<E: From<Error>>(
    db: &Db,
    f: &Filters,
    sort: Option<&ServiceSort>,
    page: Page,
    today: NaiveDate,
    mut each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(u64, u64), E> {
    let by_expiry = ServiceSort {
        keys: vec![(crate::columns::Col::ExpiryDate, false)],
    };
    let order = query::service_order(Some(sort.unwrap_or(&by_expiry)));
    let read = query::Reading::load(db.sql(), today)?;
    let f = &filters::resolve(db, f)?;
    let mut shown = 0;
    query::for_each_service(db.sql(), f, None, &order, page, &read, |s| {
        shown += 1;
        each(s)
    })?;
    let total = if page.limit.is_some_and(|l| shown >= l) || page.offset > 0 {
        query::count_services(db.sql(), f, &read)?
    } else {
        shown
    };
    Ok((shown, total))
}
