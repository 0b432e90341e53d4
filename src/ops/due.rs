//! `due`: open services expiring soon, most urgent first.

use chrono::NaiveDate;

use crate::db::{query, settings, Db};
use crate::error::Error;
use crate::filter::{Due, Filters, Page};
use crate::view::ServiceView;

/// The matching due services, by days left then id, streamed to `each`.
pub fn services<E: From<Error>>(
    db: &Db,
    f: &Filters,
    due: Due,
    today: NaiveDate,
    each: impl FnMut(ServiceView) -> Result<(), E>,
) -> Result<(), E> {
    let at = settings::as_of(db.conn(), today)?;
    query::for_each_service(
        db.conn(),
        f,
        Some(due),
        query::DUE_ORDER,
        Page::default(),
        at,
        each,
    )
}
