//! The moment a command runs, read once in `main` and passed down.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// `today` for windows and cohorts, `now` for the timestamps a command
/// writes. The library never reads the system clock.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub today: NaiveDate,
    pub now: DateTime<FixedOffset>,
}

impl Clock {
    /// `now` as local RFC 3339 text, seconds precision.
    pub fn stamp(&self) -> String {
        self.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }
}
