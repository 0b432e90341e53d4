//! A service's terms: the current one, as stored, and a renewal by hand.

use chrono::NaiveDate;

use crate::clock::AsOf;
use crate::date::from_iso;
use crate::status::Status;
use crate::window::{days_left, Window};

/// A service's current term, as stored.
#[derive(Clone, Debug)]
pub struct Term {
    pub service_id: String,
    pub customer_id: String,
    pub start_date: Option<String>,
    pub expiry_date: String,
    pub amount: Option<i64>,
    pub status: Status,
}

impl Term {
    /// Rules 1 and 11 on the stored term: `pending` once in the window,
    /// `lapsed` once past the grace days.
    pub fn effective(&self, at: AsOf) -> Status {
        match from_iso(&self.expiry_date) {
            Some(e) => Status::effective_on(self.status, days_left(e, at.today), at.grace_days),
            None => Status::effective(self.status, Window::Normal),
        }
    }
}

/// A renewal by hand, as `xaas renew` records it.
#[derive(Clone, Debug)]
pub struct Renewal {
    pub old: Term,
    /// What the old term showed when it closed (a derived status too).
    pub was: Status,
    pub start: NaiveDate,
    pub until: NaiveDate,
    pub amount: Option<i64>,
}
