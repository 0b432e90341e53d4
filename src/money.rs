//! Money as integer cents: no float ever touches a sum.

use std::fmt;

use crate::msg::values as msg;

/// An amount in cents (分) of yuan, or a sum of them. One amount read from
/// input is at most `MAX_YUAN`, so it is stored as an SQLite integer; sums
/// are 128-bit, so no book of any size overflows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i128);

/// The largest amount accepted (inclusive): 10^12 yuan. No contract comes
/// near it; a value beyond it is a typo or a pasted account number.
pub const MAX_YUAN: i128 = 1_000_000_000_000;

impl From<i64> for Cents {
    /// A stored amount.
    fn from(c: i64) -> Cents {
        Cents(i128::from(c))
    }
}

impl Cents {
    /// Parses `12000`, `12,000.00`, `¥12000`, `￥12,000.5`, `12000元`.
    /// Negative amounts, more than two decimals, separators that do not
    /// group thousands (`1,5` is a decimal comma, not fifteen) and amounts
    /// above `MAX_YUAN` are refused: a contract value is never negative,
    /// and each of the others is a typo, not a value.
    pub fn parse(s: &str) -> Result<Cents, String> {
        let t = s.trim();
        let t = t
            .strip_prefix('¥')
            .or_else(|| t.strip_prefix('￥'))
            .unwrap_or(t);
        let t = t.strip_suffix('元').unwrap_or(t).trim();
        if t.is_empty() {
            return Err(msg::not_an_amount(s));
        }
        if t.starts_with('-') {
            return Err(msg::amount_negative(s));
        }
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        let not_amount = || msg::amount_like(s);
        let int = ungroup(int).ok_or_else(|| {
            if int.contains(',') {
                msg::amount_comma(s)
            } else {
                not_amount()
            }
        })?;
        if int.is_empty() || !digits(frac) {
            return Err(not_amount());
        }
        if frac.len() > 2 {
            return Err(msg::amount_decimals(s));
        }
        let too_large = || msg::amount_too_large(s);
        // 13 digits hold MAX_YUAN; a longer run of digits is too large
        // before it is parsed.
        if int.trim_start_matches('0').len() > 13 {
            return Err(too_large());
        }
        let yuan: i128 = int.parse().map_err(|_| not_amount())?;
        let mut cents: i128 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| not_amount())?
        };
        if frac.len() == 1 {
            cents *= 10;
        }
        let c = yuan * 100 + cents;
        if c > MAX_YUAN * 100 {
            return Err(too_large());
        }
        Ok(Cents(c))
    }

    /// The value to store: one amount, within `MAX_YUAN`, fits an SQLite
    /// integer.
    pub fn stored(self) -> i64 {
        i64::try_from(self.0).expect("one amount is within MAX_YUAN")
    }

    /// The amount in yuan, for JSON numbers.
    pub fn yuan(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl Cents {
    /// Appends `12000.00` to `out` without the formatting machinery: the
    /// hot path of a million-row export.
    pub fn push_to(self, out: &mut String) {
        if self.0 < 0 {
            out.push('-');
        }
        let a = self.0.unsigned_abs();
        out.push_str(itoa::Buffer::new().format(a / 100));
        out.push('.');
        let c = (a % 100) as u8;
        out.push(char::from(b'0' + c / 10));
        out.push(char::from(b'0' + c % 10));
    }
}

/// The digits of a whole number written plainly (`12000`) or with commas
/// between groups of three (`12,000`, `1,234,567`); None for anything
/// else, such as a decimal comma (`1,5`) or a stray one (`1,2,3`).
pub fn ungroup(s: &str) -> Option<std::borrow::Cow<'_, str>> {
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if !s.contains(',') {
        return digits(s).then_some(std::borrow::Cow::Borrowed(s));
    }
    let mut groups = s.split(',');
    let first = groups.next()?;
    let ok = digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g));
    ok.then(|| std::borrow::Cow::Owned(s.replace(',', "")))
}

impl fmt::Display for Cents {
    /// `12000.00`: what spreadsheets read back as the same number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

impl std::ops::AddAssign for Cents {
    fn add_assign(&mut self, o: Cents) {
        self.0 += o.0;
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        iter.fold(Cents(0), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_to_writes_what_display_writes() {
        for c in [
            0,
            5,
            99,
            100,
            1_200_050,
            12,
            -7,
            -1_234_567,
            i128::MAX,
            i128::MIN + 1,
        ] {
            let mut s = String::new();
            Cents(c).push_to(&mut s);
            assert_eq!(s, Cents(c).to_string(), "{c}");
        }
    }

    #[test]
    fn parses_every_documented_format() {
        assert_eq!(Cents::parse("12000"), Ok(Cents(1_200_000)));
        assert_eq!(Cents::parse("12,000.00"), Ok(Cents(1_200_000)));
        assert_eq!(Cents::parse("¥12000"), Ok(Cents(1_200_000)));
        assert_eq!(Cents::parse("￥1,234,567.8"), Ok(Cents(123_456_780)));
        assert_eq!(Cents::parse(" 6800.5 "), Ok(Cents(680_050)));
        assert_eq!(Cents::parse("0.07"), Ok(Cents(7)));
        assert_eq!(Cents::parse("3000元"), Ok(Cents(300_000)));
        assert_eq!(Cents::parse("1,000,000,000,000"), Ok(Cents(MAX_YUAN * 100)));
        assert_eq!(Cents::parse("0001,000"), Err("`0001,000` is not an amount: a comma must separate groups of three digits (12,000); for decimals write a point (1.5)".into()));
    }

    #[test]
    fn sums_of_the_largest_amounts_do_not_overflow() {
        let max = Cents::parse("1000000000000").unwrap();
        let total: Cents = std::iter::repeat_n(max, 1_000_000).sum();
        assert_eq!(total.to_string(), "1000000000000000000.00");
        assert_eq!(max.stored(), 100_000_000_000_000);
    }

    #[test]
    fn grouping_is_by_three() {
        assert_eq!(ungroup("1,234,567").as_deref(), Some("1234567"));
        assert_eq!(ungroup("12").as_deref(), Some("12"));
        for bad in ["1,5", "12,50", "1,2,3", "", ",", "1,,000", "1234,567"] {
            assert_eq!(ungroup(bad), None, "{bad}");
        }
    }

    #[test]
    fn refuses_what_is_not_money() {
        for bad in [
            "",
            "abc",
            "12.345",
            "-5",
            "1.2.3",
            "¥",
            "12 000",
            "99999999999999999999",
            "1,5",
            "12,50",
            "1,2,3",
            ",500",
            "1,0000",
            "1000,000",
            "12,000,",
            "1000000000000.01",
            "50000000000000000",
        ] {
            assert!(Cents::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn formats_with_two_decimals() {
        assert_eq!(Cents(1_200_000).to_string(), "12000.00");
        assert_eq!(Cents(5).to_string(), "0.05");
        assert_eq!(Cents(-150).to_string(), "-1.50");
        assert_eq!(Cents(123).yuan(), 1.23);
    }
}
