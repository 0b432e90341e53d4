//! `history`: a service's or a customer's changes.

use crate::db::history::{self, Subject};
use crate::db::{query, Db};
use crate::error::Result;
use crate::history::Entry;

/// A service id, else a customer (id or unique part of a name): its
/// history, oldest first.
pub fn of(db: &Db, target: &str) -> Result<Vec<Entry>> {
    let conn = db.sql();
    if history::is_service(conn, target)? {
        return history::list(conn, Subject::Service(target));
    }
    let c = query::find_customer(conn, target)?;
    history::list(conn, Subject::Customer(&c.id))
}
