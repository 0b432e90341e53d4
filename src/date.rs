//! Dates as spreadsheets write them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// Parses `2026-11-23`, `2026/11/23`, `2026/1/5`, `2026.1.5` and
/// `2026年11月23日`. A time of day after a space (`2026/11/23 0:00`, as
/// Excel adds) is ignored.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let t = t.split_once(' ').map_or(t, |(d, _)| d);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let bad =
        || format!("`{s}` is not a date; write it like 2026-11-23, 2026/11/23 or 2026年11月23日");
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return Err(bad());
    }
    let num = |p: &str| -> Result<u32, String> {
        if p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| format!("`{s}` is not a real date"))
}

/// Reads a stored ISO date quickly; None for anything else.
pub fn from_iso(s: &str) -> Option<NaiveDate> {
    from_iso_bytes(s.as_bytes()).or_else(|| s.parse().ok())
}

/// `from_iso` on raw bytes, `YYYY-MM-DD` only: the hot loops read stored
/// dates without checking them as UTF-8 first.
pub fn from_iso_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?)
}

/// ISO text, as stored and printed.
pub fn iso(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    push_iso(d, &mut s);
    s
}

/// Appends `iso(d)` to `s`.
pub fn push_iso(d: NaiveDate, s: &mut String) {
    use chrono::Datelike;
    // Hand-rolled: chrono's strftime was ~4% of a 1M-row import.
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        s.push_str(&d.format("%Y-%m-%d").to_string());
        return;
    }
    for digit in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
        s.push(char::from(b'0' + digit as u8));
    }
    for (sep, v) in [('-', m), ('-', day)] {
        s.push(sep);
        s.push(char::from(b'0' + (v / 10) as u8));
        s.push(char::from(b'0' + (v % 10) as u8));
    }
}

/// A moment for `--at`: RFC 3339 (`2026-11-20T15:00:00+08:00`), a local
/// `2026-11-20 15:00[:00]` (or with `T`), or a date alone, which takes the
/// time of day of `now`. Local means `now`'s offset.
pub fn parse_moment(s: &str, now: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, String> {
    let t = s.trim();
    if let Ok(m) = DateTime::parse_from_rfc3339(t) {
        return Ok(m);
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return local(n, now, s);
        }
    }
    // A time that did not parse above is wrong, not to be dropped.
    match parse_date(t).ok().filter(|_| !t.contains(':')) {
        Some(d) => local(d.and_time(now.time()), now, s),
        None => Err(format!(
            "`{s}` is not a time; write it like 2026-11-20 15:00, 2026-11-20T15:00:00+08:00 or 2026-11-20"
        )),
    }
}

fn local(
    n: NaiveDateTime,
    now: DateTime<FixedOffset>,
    s: &str,
) -> Result<DateTime<FixedOffset>, String> {
    n.and_local_timezone(*now.offset())
        .single()
        .ok_or_else(|| format!("`{s}` is not a real time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_every_documented_format() {
        assert_eq!(parse_date("2026-11-23"), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_date("2026/11/23"), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_date("2026/1/5"), Ok(ymd(2026, 1, 5)));
        assert_eq!(parse_date("2026年11月23日"), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_date("2026年1月5日"), Ok(ymd(2026, 1, 5)));
        assert_eq!(parse_date(" 2026.1.5 "), Ok(ymd(2026, 1, 5)));
        assert_eq!(parse_date("2026/11/23 0:00"), Ok(ymd(2026, 11, 23)));
    }

    #[test]
    fn from_iso_reads_what_iso_writes() {
        assert_eq!(from_iso("2026-01-05"), Some(ymd(2026, 1, 5)));
        assert_eq!(from_iso("2026-02-30"), None);
        assert_eq!(from_iso("20x6-01-05"), None);
        assert_eq!(from_iso(&iso(ymd(2030, 12, 31))), Some(ymd(2030, 12, 31)));
    }

    #[test]
    fn iso_pads_like_the_spec() {
        assert_eq!(iso(ymd(2026, 1, 5)), "2026-01-05");
        assert_eq!(iso(ymd(999, 12, 31)), "0999-12-31");
        assert_eq!(iso(ymd(2026, 11, 23)), "2026-11-23");
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "",
            "2026",
            "23/11/2026",
            "2026-02-30",
            "2026-13-01",
            "26-11-23",
            "2026-11-23-1",
            "next week",
            "2026-1x-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn moments_in_three_spellings() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T09:30:15+08:00").unwrap();
        let m = |s: &str| parse_moment(s, now).map(|d| d.to_rfc3339());
        assert_eq!(
            m("2026-11-20T15:00:00+08:00").unwrap(),
            "2026-11-20T15:00:00+08:00"
        );
        assert_eq!(m("2026-11-20 15:00").unwrap(), "2026-11-20T15:00:00+08:00");
        assert_eq!(
            m("2026-11-20T15:01:02").unwrap(),
            "2026-11-20T15:01:02+08:00"
        );
        assert_eq!(m("2026/11/20").unwrap(), "2026-11-20T09:30:15+08:00");
        assert!(m("yesterday").unwrap_err().contains("not a time"));
        assert!(m("2026-11-20 25:00").is_err());
    }
}
