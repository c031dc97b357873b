//! Go's duration syntax (`3h0m0s`, `90m`, `1.5h`, `300ms`), as kubectl's
//! `--duration` and ack-ram-tool's `--expiration` take it.

use crate::error::{Error, Result};
use std::time::Duration;

/// Parses a Go duration. Negative durations are refused (no flag here means one);
/// `0` is zero.
///
/// ```
/// use kubecred::duration::parse;
/// use std::time::Duration;
/// assert_eq!(parse("3h0m0s").unwrap(), Duration::from_secs(3 * 3600));
/// assert_eq!(parse("1.5h").unwrap(), Duration::from_secs(5400));
/// assert_eq!(parse("90s").unwrap(), Duration::from_secs(90));
/// assert!(parse("10").is_err() && parse("-1h").is_err() && parse("").is_err());
/// ```
pub fn parse(text: &str) -> Result<Duration> {
    let bad = |why: &str| Error::usage(format!("invalid duration {:?}: {why} (like 3h0m0s, 90m, 300s)", clip(text)));
    let s = text.trim();
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.starts_with('-') {
        return Err(bad("negative"));
    }
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    if rest.is_empty() {
        return Err(bad("empty"));
    }
    let mut total_nanos: u128 = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(bad("expected a number"));
        }
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let unit_nanos: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(bad("missing unit")),
            _ => return Err(bad("unknown unit")),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad("number too large"))? };
        let mut nanos = whole.checked_mul(unit_nanos).ok_or_else(|| bad("too large"))?;
        let mut scale = unit_nanos;
        for digit in fraction.bytes().take(18) {
            scale /= 10;
            nanos += u128::from(digit - b'0') * scale;
        }
        total_nanos = total_nanos.checked_add(nanos).ok_or_else(|| bad("too large"))?;
        rest = after;
    }
    // Go durations are int64 nanoseconds.
    if total_nanos > i64::MAX as u128 {
        return Err(bad("too large"));
    }
    Ok(Duration::from_nanos(total_nanos as u64))
}

/// Formats whole seconds as Go prints them: `3h0m0s`, `15m0s`, `45s`, `0s`.
pub fn format(duration: Duration) -> String {
    let secs = duration.as_secs();
    match (secs / 3600, secs / 60 % 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// Any duration as Go's `Duration.String()` prints it (`500ms`, `1.5s`,
/// `1m0.25s`, `2h0m0s`): what client-go sends as a request's `?timeout=`.
pub fn go_string(duration: Duration) -> String {
    let (secs, nanos) = (duration.as_secs(), duration.subsec_nanos());
    if secs == 0 {
        let fraction = |value: u32, digits: usize| -> String {
            let (whole, rest) = (value / 10u32.pow(digits as u32), value % 10u32.pow(digits as u32));
            let rest = format!("{rest:0digits$}");
            let rest = rest.trim_end_matches('0');
            if rest.is_empty() { whole.to_string() } else { format!("{whole}.{rest}") }
        };
        return match nanos {
            0 => "0s".to_string(),
            n if n < 1_000 => format!("{n}ns"),
            n if n < 1_000_000 => format!("{}\u{b5}s", fraction(n, 3)),
            n => format!("{}ms", fraction(n, 6)),
        };
    }
    let seconds = match format!("{:09}", nanos).trim_end_matches('0') {
        "" => (secs % 60).to_string(),
        digits => format!("{}.{digits}", secs % 60),
    };
    match (secs / 3600, secs / 60 % 60) {
        (0, 0) => format!("{seconds}s"),
        (0, m) => format!("{m}m{seconds}s"),
        (h, m) => format!("{h}h{m}m{seconds}s"),
    }
}

fn clip(text: &str) -> &str {
    text.char_indices().nth(32).map_or(text, |(i, _)| &text[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_strings() {
        for (nanos, want) in [
            (0, "0s"),
            (999, "999ns"),
            (1_500, "1.5\u{b5}s"),
            (500_000_000, "500ms"),
            (1_250_000, "1.25ms"),
            (1_500_000_000, "1.5s"),
            (30_000_000_000, "30s"),
            (60_250_000_000, "1m0.25s"),
            (7_200_000_000_000, "2h0m0s"),
        ] {
            assert_eq!(go_string(Duration::from_nanos(nanos)), want);
        }
    }

    #[test]
    fn go_syntax() {
        assert_eq!(parse("0").unwrap(), Duration::ZERO);
        assert_eq!(parse("0s").unwrap(), Duration::ZERO);
        assert_eq!(parse("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse("72h").unwrap(), Duration::from_secs(72 * 3600));
        assert_eq!(parse("1m0.5s").unwrap(), Duration::from_millis(60_500));
        assert_eq!(parse("300ms").unwrap(), Duration::from_millis(300));
        assert_eq!(parse("2µs").unwrap(), Duration::from_micros(2));
        assert_eq!(parse(".5h").unwrap(), Duration::from_secs(1800));
        for bad in ["", "h", "1", "1x", "1h-1m", "1..5h", "-5m", "9999999999999h", "1 h"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn format_round_trips_whole_seconds() {
        for secs in [0, 1, 59, 60, 61, 3599, 3600, 10_800, 259_200, 86_399] {
            let d = Duration::from_secs(secs);
            assert_eq!(parse(&format(d)).unwrap(), d, "{}", format(d));
        }
        assert_eq!(format(Duration::from_secs(10_800)), "3h0m0s");
        assert_eq!(format(Duration::from_secs(900)), "15m0s");
    }
}
