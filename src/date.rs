//! Dates as spreadsheets write them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

use crate::msg::values as msg;

/// Years a service list can hold: anything outside is a typo (`0226`,
/// `20266`), not a contract.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Parses `2026-11-23`, `2026/11/23`, `2026/1/5`, `2026.1.5` and
/// `2026年11月23日`: the whole text, nothing before or after, except a
/// midnight time (`2026/11/23 0:00`, `00:00:00`) as Excel adds to a date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let bad = || msg::not_a_date(s);
    let t = s.trim();
    let t = match t.split_once(' ') {
        Some((d, time)) if is_midnight(time.trim()) => d,
        Some(_) => return Err(bad()),
        None => t,
    };
    let parts: Option<[&str; 3]> = if let Some(rest) = t.strip_suffix('日') {
        rest.split_once('年').and_then(|(y, md)| {
            let (m, d) = md.split_once('月')?;
            Some([y, m, d])
        })
    } else {
        let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'));
        sep.and_then(|sep| {
            let mut it = t.split(sep);
            let p = [it.next()?, it.next()?, it.next()?];
            it.next().is_none().then_some(p)
        })
    };
    let [y, m, d] = parts.ok_or_else(bad)?;
    let num = |p: &str, max_len: usize| -> Result<u32, String> {
        let ok = !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit());
        if ok {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
    let y = y as i32;
    if !YEARS.contains(&y) {
        return Err(msg::year_out_of_range(s, YEARS.start(), YEARS.end()));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| msg::not_a_real_date(s))
}

/// `0:00`, `00:00` or `00:00:00`: the time Excel writes after a date.
fn is_midnight(t: &str) -> bool {
    let zeros = |p: &str, min: usize| (min..=2).contains(&p.len()) && p.bytes().all(|b| b == b'0');
    match t.split(':').collect::<Vec<_>>()[..] {
        [h, m] => zeros(h, 1) && zeros(m, 2),
        [h, m, s] => zeros(h, 1) && zeros(m, 2) && zeros(s, 2),
        _ => false,
    }
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
        None => Err(msg::not_a_time(s)),
    }
}

fn local(
    n: NaiveDateTime,
    now: DateTime<FixedOffset>,
    s: &str,
) -> Result<DateTime<FixedOffset>, String> {
    n.and_local_timezone(*now.offset())
        .single()
        .ok_or_else(|| msg::not_a_real_time(s))
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
        assert_eq!(parse_date("2026-11-23 00:00:00"), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_date("1900-01-01"), Ok(ymd(1900, 1, 1)));
        assert_eq!(parse_date("2199-12-31"), Ok(ymd(2199, 12, 31)));
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
            "2026-06-01 garbage",
            "2026-06-01 12:00",
            "2026-06-01 0:00 x",
            "2026-06-01x",
            "x2026-06-01",
            "2026--06-01",
            "2026-06/01",
            "2026年6月1",
            "2026年6月1日日",
            "1899-12-31",
            "2200-01-01",
            "0226-01-01",
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
