//! `due`: open services expiring soon, most urgent first.

use chrono::NaiveDate;

use crate::columns::Col;
use crate::db::{query, Db};
use crate::error::Error;
use crate::filter::{Due, Filters, Page, ServiceSort};
use crate::view::ServiceView;

use super::filters;

/// The matching due services, by days left then id unless `sort` says
/// otherwise, streamed to `each`.
pub fn services<E: From<Error>>(
    db: &Db,
    f: &Filters,
    due: Due,
    sort: Option<&ServiceSort>,
    today: NaiveDate,
    each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    let read = query::Reading::load(db.sql(), today)?;
    let most_urgent = ServiceSort {
        keys: vec![(Col::DaysLeft, false)],
    };
    let order = query::service_order(Some(sort.unwrap_or(&most_urgent)));
    let f = &filters::resolve(db, f)?;
    query::for_each_service(db.sql(), f, Some(due), &order, Page::default(), &read, each)
}
