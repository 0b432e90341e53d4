//! The expiry window (到期状态): how close a service is to its expiry.

use chrono::{Days, NaiveDate};

use crate::spelling::labelled_enum;

labelled_enum!(
    /// Ordered most urgent first, so `min` is a customer's worst window.
    Window, "window", "到期窗口", {
        Expired = "expired", "已过期";
        Within30 = "within_30", "30天内过期", "30";
        Within90 = "within_90", "90天内过期", "90";
        Normal = "normal", "正常";
    }
);

/// Days from `today` to `expiry`: 0 on the day it expires, negative after.
pub fn days_left(expiry: NaiveDate, today: NaiveDate) -> i64 {
    (expiry - today).num_days()
}

impl Window {
    pub fn from_days_left(days: i64) -> Window {
        match days {
            ..0 => Window::Expired,
            0..=30 => Window::Within30,
            31..=90 => Window::Within90,
            _ => Window::Normal,
        }
    }

    pub fn classify(expiry: NaiveDate, today: NaiveDate) -> Window {
        Window::from_days_left(days_left(expiry, today))
    }

    /// In the follow-up window: the 90 days before expiry, and after it.
    pub fn in_followup(self) -> bool {
        self != Window::Normal
    }

    /// The expiry dates in this window, as inclusive bounds (None = open).
    pub fn expiry_bounds(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let plus = |n: u64| today.checked_add_days(Days::new(n));
        match self {
            Window::Expired => (None, today.pred_opt()),
            Window::Within30 => (Some(today), plus(30)),
            Window::Within90 => (plus(31), plus(90)),
            Window::Normal => (plus(91), None),
        }
    }

    /// The day a service with this expiry entered its current window:
    /// expiry − 90 days, or − 30 once within 30 days (and after expiry).
    pub fn entered_on(expiry: NaiveDate, today: NaiveDate) -> NaiveDate {
        let back = match Window::classify(expiry, today) {
            Window::Normal | Window::Within90 => 90,
            Window::Within30 | Window::Expired => 30,
        };
        expiry - Days::new(back)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn boundaries_are_exactly_the_specs() {
        assert_eq!(Window::from_days_left(-1), Window::Expired);
        assert_eq!(Window::from_days_left(0), Window::Within30);
        assert_eq!(Window::from_days_left(30), Window::Within30);
        assert_eq!(Window::from_days_left(31), Window::Within90);
        assert_eq!(Window::from_days_left(90), Window::Within90);
        assert_eq!(Window::from_days_left(91), Window::Normal);
        assert_eq!(Window::from_days_left(i64::MIN), Window::Expired);
    }

    #[test]
    fn classify_counts_calendar_days() {
        let today = d("2026-11-23");
        assert_eq!(days_left(d("2026-11-22"), today), -1);
        assert_eq!(Window::classify(d("2026-11-22"), today), Window::Expired);
        assert_eq!(Window::classify(d("2026-11-23"), today), Window::Within30);
        assert_eq!(Window::classify(d("2026-12-23"), today), Window::Within30);
        assert_eq!(Window::classify(d("2026-12-24"), today), Window::Within90);
        assert_eq!(Window::classify(d("2027-02-21"), today), Window::Within90);
        assert_eq!(Window::classify(d("2027-02-22"), today), Window::Normal);
    }

    #[test]
    fn bounds_agree_with_classify() {
        let today = d("2026-11-23");
        for offset in -3i64..100 {
            let expiry = today + chrono::Duration::days(offset);
            let w = Window::classify(expiry, today);
            for other in Window::ALL {
                let (lo, hi) = other.expiry_bounds(today);
                let inside = lo.is_none_or(|lo| expiry >= lo) && hi.is_none_or(|hi| expiry <= hi);
                assert_eq!(inside, *other == w, "offset {offset}, window {other}");
            }
        }
    }

    #[test]
    fn worst_window_is_the_minimum() {
        let worst = [Window::Normal, Window::Within30, Window::Within90]
            .into_iter()
            .min();
        assert_eq!(worst, Some(Window::Within30));
    }

    #[test]
    fn parses_ids_labels_and_kebab() {
        assert_eq!(Window::parse("within-30"), Ok(Window::Within30));
        assert_eq!(Window::parse("WITHIN_90"), Ok(Window::Within90));
        assert_eq!(Window::parse("已过期"), Ok(Window::Expired));
        assert_eq!(Window::parse("ｗｉｔｈｉｎ－３０"), Ok(Window::Within30));
        assert_eq!(Window::parse("within—90"), Ok(Window::Within90));
        assert!(Window::parse("soon").unwrap_err().contains("within_30"));
    }

    #[test]
    fn entered_on_moves_to_thirty_days_inside_thirty() {
        let today = d("2026-11-23");
        assert_eq!(Window::entered_on(d("2027-01-31"), today), d("2026-11-02"));
        assert_eq!(Window::entered_on(d("2026-12-01"), today), d("2026-11-01"));
        assert_eq!(Window::entered_on(d("2026-11-20"), today), d("2026-10-21"));
    }
}
