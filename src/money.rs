//! Money as integer cents: no float ever touches a sum.

use std::fmt;

/// An amount in cents (分) of yuan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses `12000`, `12,000.00`, `¥12000`, `￥12,000.5`, `12000元`.
    /// Negative amounts and more than two decimals are refused: a contract
    /// value is never negative, and a third decimal is a typo, not a cent.
    pub fn parse(s: &str) -> Result<Cents, String> {
        let t = s.trim();
        let t = t
            .strip_prefix('¥')
            .or_else(|| t.strip_prefix('￥'))
            .unwrap_or(t);
        let t = t.strip_suffix('元').unwrap_or(t).trim();
        if t.is_empty() {
            return Err(format!("`{s}` is not an amount"));
        }
        if t.starts_with('-') {
            return Err(format!("amount `{s}` is negative"));
        }
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        let int: String = int.chars().filter(|&c| c != ',').collect();
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(&int) || !digits(frac) {
            return Err(format!(
                "`{s}` is not an amount; write it like 12000, 12,000.00 or ¥12000"
            ));
        }
        if frac.len() > 2 {
            return Err(format!("amount `{s}` has more than two decimals"));
        }
        let yuan: i64 = int
            .parse()
            .map_err(|_| format!("amount `{s}` is too large"))?;
        let mut cents: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().unwrap_or(0)
        };
        if frac.len() == 1 {
            cents *= 10;
        }
        yuan.checked_mul(100)
            .and_then(|y| y.checked_add(cents))
            .map(Cents)
            .ok_or_else(|| format!("amount `{s}` is too large"))
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
            i64::MAX,
            i64::MIN + 1,
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
