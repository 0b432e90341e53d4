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

/// The day a read or a rule is judged on, with the team rule that shapes
/// derived statuses on that day (rule 11's grace before a lapse).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    pub today: NaiveDate,
    pub grace_days: u32,
}

impl AsOf {
    pub fn new(today: NaiveDate, settings: &crate::settings::Settings) -> AsOf {
        AsOf {
            today,
            grace_days: settings.grace_days(),
        }
    }

    /// With the default settings (tests, and books that changed none).
    pub fn with_defaults(today: NaiveDate) -> AsOf {
        AsOf::new(today, &crate::settings::Settings::default())
    }
}
