//! A service's terms: the current one, as stored, and a renewal by hand.

use chrono::NaiveDate;

use crate::date::from_iso;
use crate::status::Status;
use crate::window::Window;

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
    /// Rule 1 on the stored term: `pending` once in the window.
    pub fn effective(&self, today: NaiveDate) -> Status {
        let window =
            from_iso(&self.expiry_date).map_or(Window::Normal, |e| Window::classify(e, today));
        Status::effective(self.status, window)
    }
}

/// A renewal by hand, as `xaas renew` records it.
#[derive(Clone, Debug)]
pub struct Renewal {
    pub old: Term,
    pub start: NaiveDate,
    pub until: NaiveDate,
    pub amount: Option<i64>,
}
