//! Wall-clock time as whole seconds since the Unix epoch, and the formats the
//! protocols want: RFC 3339 (Kubernetes, AWS JSON), ISO 8601 basic (SigV4),
//! RFC 1123 (HTTP `Date`, Alibaba ROA).
//!
//! Tests fix the clock with `KUBECRED_TEST_NOW` (Unix seconds or RFC 3339), so
//! that signatures and expiry times can be compared with other tools' output.

use crate::error::{Error, Result};

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Civil (proleptic Gregorian, UTC) date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Timestamp {
    /// The current time, or the time fixed by `KUBECRED_TEST_NOW`.
    pub fn now() -> Timestamp {
        let fixed = std::env::var_os("KUBECRED_TEST_NOW");
        if let Some(t) = fixed
            .as_ref()
            .and_then(|v| v.to_str())
            .and_then(|s| s.parse::<i64>().ok().map(Timestamp).or_else(|| Timestamp::parse_rfc3339(s).ok()))
        {
            return t;
        }
        let secs =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Timestamp(secs)
    }

    pub fn plus_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    pub fn civil(self) -> Civil {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil { year, month, day, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60 }
    }

    pub fn from_civil(c: &Civil) -> Timestamp {
        let days = days_from_civil(c.year, c.month, c.day);
        Timestamp(days * 86_400 + i64::from(c.hour) * 3600 + i64::from(c.minute) * 60 + i64::from(c.second))
    }

    /// `2006-01-02T15:04:05Z`
    pub fn to_rfc3339(self) -> String {
        let c = self.civil();
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// `20060102T150405Z`, the SigV4 `X-Amz-Date`.
    pub fn to_amz_date(self) -> String {
        let c = self.civil();
        format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// `20060102`, the SigV4 credential scope date.
    pub fn to_amz_day(self) -> String {
        let c = self.civil();
        format!("{:04}{:02}{:02}", c.year, c.month, c.day)
    }

    /// `Mon, 02 Jan 2006 15:04:05 GMT`, the HTTP `Date` header.
    pub fn to_http_date(self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let c = self.civil();
        let weekday = DAYS[self.0.div_euclid(86_400).rem_euclid(7) as usize];
        format!(
            "{weekday}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            c.day,
            MONTHS[(c.month - 1) as usize],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }

    /// Parses RFC 3339 / ISO 8601 extended times as servers write them:
    /// `2006-01-02T15:04:05Z`, with optional fractional seconds, and a `Z`,
    /// `+hh:mm` or `-hh:mm` offset (a missing offset means UTC). Fractions are
    /// dropped (truncated towards the past).
    pub fn parse_rfc3339(text: &str) -> Result<Timestamp> {
        let bad = || Error::new(format!("invalid time {:?}: expected RFC 3339 like 2006-01-02T15:04:05Z", clip(text)));
        let s = text.trim().as_bytes();
        if s.len() < 19 || !(s[10] == b'T' || s[10] == b't' || s[10] == b' ') {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| -> Result<u32> {
            let part = &s[range];
            if part.iter().all(u8::is_ascii_digit) {
                Ok(part.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
            } else {
                Err(bad())
            }
        };
        if s[4] != b'-' || s[7] != b'-' || s[13] != b':' || s[16] != b':' {
            return Err(bad());
        }
        let civil = Civil {
            year: i64::from(num(0..4)?),
            month: num(5..7)?,
            day: num(8..10)?,
            hour: num(11..13)?,
            minute: num(14..16)?,
            second: num(17..19)?,
        };
        if !(1..=12).contains(&civil.month)
            || civil.day == 0
            || civil.day > days_in_month(civil.year, civil.month)
            || civil.hour > 23
            || civil.minute > 59
            || civil.second > 60
        {
            return Err(bad());
        }
        let mut rest = &s[19..];
        if let Some(b'.') = rest.first() {
            let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return Err(bad());
            }
            rest = &rest[1 + digits..];
        }
        let offset = match rest {
            [] | [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return Err(bad());
                }
                let hours = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
                let minutes = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
                if hours > 23 || minutes > 59 {
                    return Err(bad());
                }
                let total = hours * 3600 + minutes * 60;
                if *sign == b'+' { total } else { -total }
            }
            _ => return Err(bad()),
        };
        Ok(Timestamp(Timestamp::from_civil(&civil).0 - offset))
    }
}

fn clip(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days-from-civil algorithm: exact for the proleptic Gregorian calendar.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Timestamp(1_440_938_160); // 2015-08-30T12:36:00Z, the SigV4 suite's date
        assert_eq!(t.to_rfc3339(), "2015-08-30T12:36:00Z");
        assert_eq!(t.to_amz_date(), "20150830T123600Z");
        assert_eq!(t.to_amz_day(), "20150830");
        assert_eq!(t.to_http_date(), "Sun, 30 Aug 2015 12:36:00 GMT");
        assert_eq!(Timestamp(0).to_http_date(), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn parse_round_trip() {
        for t in [0, 951_782_400, 1_440_938_160, 4_102_444_799, -86_400] {
            let ts = Timestamp(t);
            assert_eq!(Timestamp::parse_rfc3339(&ts.to_rfc3339()).unwrap(), ts);
        }
    }

    #[test]
    fn parse_offsets_and_fractions() {
        let base = Timestamp::parse_rfc3339("2024-02-29T10:00:00Z").unwrap();
        assert_eq!(Timestamp::parse_rfc3339("2024-02-29T10:00:00.123456Z").unwrap(), base);
        assert_eq!(Timestamp::parse_rfc3339("2024-02-29T12:00:00+02:00").unwrap(), base);
        assert_eq!(Timestamp::parse_rfc3339("2024-02-29T09:30:00-00:30").unwrap(), base);
        assert_eq!(Timestamp::parse_rfc3339("2024-02-29T10:00:00").unwrap(), base);
    }

    #[test]
    fn parse_rejects_junk() {
        for s in [
            "",
            "2024-02-30T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01X00:00:00Z",
            "2024-01-01T00:00:00+2",
            "2024-01-01T00:00:00.Z",
            "२०२४-01-01T00:00:00Z",
        ] {
            assert!(Timestamp::parse_rfc3339(s).is_err(), "{s}");
        }
    }
}
