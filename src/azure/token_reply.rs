//! Reading what a token service answers: Entra ID's token endpoint (OAuth 2.0
//! JSON) and the instance metadata identity endpoint (the same shape, with the
//! numbers as strings and an absolute `expires_on`).
//!
//! Errors are one line naming the source and the HTTP status, with the OAuth
//! `error` code and the first sentence of `error_description` (which carries
//! the AADSTS code: `AADSTS7000215: Invalid client secret provided.`). They
//! never quote the access token, and drop the trace and correlation ids that
//! follow the first sentence.
//!
//! ```
//! use kubecred::azure::token_reply::{parse, ReplyKind};
//! use kubecred::time::Timestamp;
//! let body = br#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAi.x.y"}"#;
//! let token = parse(ReplyKind::Entra, 200, body, Timestamp(1000), "Entra ID")?;
//! assert_eq!((token.token.as_str(), token.expires_on), ("eyJ0eXAi.x.y", Timestamp(4599)));
//! let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret...\r\nTrace ID: 1"}"#;
//! let message = parse(ReplyKind::Entra, 401, body, Timestamp(0), "Entra ID").unwrap_err().to_string();
//! assert_eq!(message, "Entra ID answered HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.");
//! # Ok::<(), kubecred::error::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde_json::Value;

/// The longest access token taken (Entra tokens with many group claims reach a few KiB).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// The longest lifetime believed: no Entra or managed identity token lasts longer than a few days.
pub const MAX_LIFETIME_SECONDS: i64 = 7 * 86_400;

/// Which service answered: decides how the expiry is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// `{authority}/{tenant}/oauth2/v2.0/token`: `expires_in` (seconds, a number).
    Entra,
    /// IMDS `/metadata/identity/oauth2/token`: `expires_on` (Unix seconds) and
    /// `expires_in`, both usually strings.
    Imds,
}

/// A bearer token and when it expires; `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    pub expires_on: Timestamp,
    /// When it was issued by the server's clock, if the reply says (IMDS: `expires_on - expires_in`).
    pub issued: Option<Timestamp>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken").field("token", &"<redacted>").field("expires_on", &self.expires_on).finish()
    }
}

/// Reads a reply of HTTP `status` from `source` (words naming the service and
/// its endpoint), received at `now`.
pub fn parse(kind: ReplyKind, status: u16, body: &[u8], now: Timestamp, source: &str) -> Result<AccessToken> {
    let document = crate::json::parse(body, source).ok();
    if !(200..300).contains(&status) {
        return Err(Error::new(format!("{source} answered HTTP {status}{}", describe_error(document.as_ref()))));
    }
    let document = document.ok_or_else(|| Error::new(format!("{source} answered HTTP {status} with no JSON")))?;
    let token = match document.get("access_token") {
        Some(Value::String(token)) if plausible_token(token) => token.clone(),
        Some(Value::String(_)) => return Err(Error::new(format!("{source}: the access_token is not a bearer token"))),
        _ => {
            return Err(Error::new(format!(
                "{source}: the reply has no access_token{}",
                describe_error(Some(&document))
            )));
        }
    };
    if let Some(kind) = document.get("token_type").and_then(Value::as_str)
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(Error::new(format!("{source}: token_type {:?}, expected Bearer", short(kind))));
    }
    let expires_in = seconds(&document, "expires_in", source)?;
    let expires_on = if kind == ReplyKind::Imds { seconds(&document, "expires_on", source)? } else { None };
    let (expires, issued) = match (expires_on, expires_in) {
        (Some(on), Some(lifetime)) => (Timestamp(on), Some(Timestamp(on.saturating_sub(lifetime)))),
        (Some(on), None) => (Timestamp(on), None),
        (None, Some(lifetime)) => (now.plus_seconds(lifetime), None),
        (None, None) => return Err(Error::new(format!("{source}: the reply says neither expires_in nor expires_on"))),
    };
    if expires <= now {
        return Err(Error::new(format!("{source}: the token expired at {}", expires.to_rfc3339())));
    }
    if expires.0 - now.0 > MAX_LIFETIME_SECONDS {
        return Err(Error::new(format!("{source}: the token claims to last until {}", expires.to_rfc3339())));
    }
    Ok(AccessToken { token, expires_on: expires, issued })
}

/// The time in an HTTP `Date` header (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37
/// GMT`, the only form servers may send), by the server's clock: when a token
/// endpoint issued its token. The cache compares lifetimes with it, so that a
/// local clock running behind the server's cannot keep a token past its end.
///
/// ```
/// use kubecred::azure::token_reply::parse_http_date;
/// use kubecred::time::Timestamp;
/// assert_eq!(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), Some(Timestamp(1_700_000_000)));
/// assert_eq!(parse_http_date("Tuesday, 14-Nov-23 22:13:20 GMT"), None);
/// ```
pub fn parse_http_date(text: &str) -> Option<Timestamp> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let [_weekday, day, month, year, time, "GMT"] = words.as_slice() else { return None };
    let number = |t: &str, digits: usize| {
        (t.len() == digits && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse::<u32>().ok()).flatten()
    };
    let mut clock = time.split(':');
    let (hour, minute, second) = (number(clock.next()?, 2)?, number(clock.next()?, 2)?, number(clock.next()?, 2)?);
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let (day, year) = (number(day, 2)?, number(year, 4)?);
    if clock.next().is_some() || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let civil = crate::time::Civil { year: i64::from(year), month, day, hour, minute, second };
    Some(Timestamp::from_civil(&civil))
}

/// `: CODE: first sentence of the description`, or `` when there is neither.
fn describe_error(document: Option<&Value>) -> String {
    let Some(document) = document else { return " (not a JSON reply)".to_string() };
    let code = document.get("error").and_then(Value::as_str).map(short);
    let description = document.get("error_description").and_then(Value::as_str).map(first_sentence);
    match (code, description) {
        (Some(code), Some(description)) if !description.is_empty() => format!(": {code}: {description}"),
        (Some(code), _) => format!(": {code}"),
        (None, Some(description)) if !description.is_empty() => format!(": {description}"),
        _ => String::new(),
    }
}

/// Up to the first `. ` or line break, at most 200 characters: the AADSTS
/// code and what it means, without the trace ids and timestamps after it.
fn first_sentence(text: &str) -> String {
    // ok: both cuts are at ASCII characters, so at character boundaries.
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    let line = &text[..end];
    let line = match line.find(". ") {
        Some(dot) => &line[..=dot],
        None => line,
    };
    short(line.trim())
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(200).collect();
    if out.len() < text.len() {
        out.push_str("...");
    }
    out
}

/// A bearer token goes into an `Authorization` header: visible ASCII, bounded.
fn plausible_token(token: &str) -> bool {
    !token.is_empty() && token.len() <= MAX_TOKEN_BYTES && token.bytes().all(|b| b.is_ascii_graphic())
}

/// A whole number of seconds given as a JSON number or a string of digits.
fn seconds(document: &Value, field: &str, source: &str) -> Result<Option<i64>> {
    let bad = || Error::new(format!("{source}: {field} is not a whole number of seconds"));
    match document.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().filter(|s| *s >= 0).map(Some).ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok().filter(|s| *s >= 0).map(Some).ok_or_else(bad),
        Some(_) => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_700_000_000);

    #[test]
    fn imds_strings_and_absolute_expiry() {
        let body = br#"{"access_token":"abc","client_id":"c","expires_in":"86399","expires_on":"1700086399","ext_expires_in":"86399","not_before":"1700000000","resource":"6dae42f8-4368-4678-94ff-3960e28e3630","token_type":"Bearer"}"#;
        let token = parse(ReplyKind::Imds, 200, body, NOW, "IMDS").unwrap();
        assert_eq!(token.expires_on, Timestamp(1_700_086_399));
        assert_eq!(token.issued, Some(Timestamp(1_700_000_000)));
        assert!(!format!("{token:?}").contains("abc"));
    }

    #[test]
    fn errors_are_one_line_and_quote_no_token() {
        let cases: &[(u16, &[u8], &str)] = &[
            (
                400,
                br#"{"error":"invalid_request","error_description":"Identity not found"}"#,
                "HTTP 400: invalid_request: Identity not found",
            ),
            (500, b"<html>oops</html>", "HTTP 500 (not a JSON reply)"),
            (200, br#"{"access_token":"secret-token","expires_in":"soon"}"#, "expires_in is not a whole number"),
            (200, br#"{"access_token":"secret token","expires_in":1}"#, "not a bearer token"),
            (200, br#"{"access_token":"secret-token","token_type":"pop","expires_in":60}"#, "token_type \"pop\""),
            (200, br#"{"access_token":"secret-token","expires_in":0}"#, "the token expired"),
            (200, br#"{"access_token":"secret-token","expires_in":99999999}"#, "claims to last"),
            (200, br#"{"access_token":"secret-token"}"#, "neither expires_in nor expires_on"),
            (200, br#"{"error":"x"}"#, "no access_token: x"),
        ];
        for (status, body, expected) in cases {
            let message = parse(ReplyKind::Entra, *status, body, NOW, "Entra ID").unwrap_err().to_string();
            assert!(message.contains(expected), "{message}");
            assert!(!message.contains("secret") && !message.contains('\n'), "{message}");
        }
    }
}
