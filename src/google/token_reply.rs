//! Replies of Google's token endpoints: the OAuth 2.0 token endpoint and STS
//! (`access_token`, `expires_in`), IAM Credentials `generateAccessToken`
//! (`accessToken`, `expireTime`), and their error replies. Pure functions (fuzzed).

use crate::error::{Error, Result};
use crate::google::AccessToken;
use crate::secret::Secret;
use crate::time::Timestamp;
use serde_json::Value;

/// Access tokens are opaque, but never this long; a longer one is a broken reply.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// An OAuth 2.0 token reply received at `now`.
///
/// ```
/// use kubecred::google::token_reply::oauth;
/// use kubecred::time::Timestamp;
/// let token = oauth(br#"{"access_token": "ya29.x", "expires_in": 3599, "token_type": "Bearer"}"#, Timestamp(0), "token endpoint")?;
/// assert_eq!(token.expires, Timestamp(3599));
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn oauth(body: &[u8], now: Timestamp, what: &str) -> Result<AccessToken> {
    let reply = crate::json::parse(body, what)?;
    let token = token_field(&reply, "access_token", what)?;
    let seconds = match reply.get("expires_in") {
        Some(Value::Number(n)) => n.as_i64(),
        // Some servers send the number as a string.
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|s| (0..=366 * 86400).contains(s))
    .ok_or_else(|| Error::new(format!("{what}: the reply has no usable expires_in")))?;
    Ok(AccessToken { token: Secret::new(token), expires: now.plus_seconds(seconds) })
}

/// A `generateAccessToken` reply: `{"accessToken": ..., "expireTime": RFC 3339}`.
///
/// ```
/// use kubecred::google::token_reply::generated;
/// let token = generated(br#"{"accessToken": "ya29.i", "expireTime": "2026-12-01T12:00:00Z"}"#, "IAM Credentials")?;
/// assert_eq!(token.expires.to_rfc3339(), "2026-12-01T12:00:00Z");
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn generated(body: &[u8], what: &str) -> Result<AccessToken> {
    let reply = crate::json::parse(body, what)?;
    let token = token_field(&reply, "accessToken", what)?;
    let expires = crate::json::str_field(&reply, "expireTime")
        .and_then(|t| Timestamp::parse_rfc3339(t).ok())
        .ok_or_else(|| Error::new(format!("{what}: the reply has no usable expireTime")))?;
    Ok(AccessToken { token: Secret::new(token), expires })
}

fn token_field(reply: &Value, key: &str, what: &str) -> Result<String> {
    let token = crate::json::str_field(reply, key).unwrap_or("");
    if token.is_empty() {
        return Err(Error::new(format!("{what}: the reply has no {key}")));
    }
    // It goes into an Authorization header: printable ASCII only.
    if token.len() > MAX_TOKEN_BYTES || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::new(format!("{what}: the reply's {key} is not a usable token")));
    }
    Ok(token.to_string())
}

/// One line for a failed call: the status, and the reply's error code and
/// description when it has them (OAuth's `error`/`error_description`, or
/// Google APIs' `error.status`/`error.message`), cut short and with every one
/// of `secrets` (what we sent) removed.
///
/// ```
/// use kubecred::google::token_reply::error_line;
/// let body = br#"{"error": "invalid_grant", "error_description": "Bad Request"}"#;
/// assert_eq!(error_line("token endpoint oauth2.googleapis.com", 400, body, &[]),
///     "token endpoint oauth2.googleapis.com: HTTP 400: invalid_grant: Bad Request");
/// ```
pub fn error_line(what: &str, status: u16, body: &[u8], secrets: &[&str]) -> String {
    let reply: Option<Value> = serde_json::from_slice(body).ok();
    let (code, message) = match reply.as_ref().map(|r| r.get("error")) {
        Some(Some(Value::String(code))) => (
            Some(code.clone()),
            reply.as_ref().and_then(|r| crate::json::str_field(r, "error_description")).map(str::to_string),
        ),
        Some(Some(error @ Value::Object(_))) => (
            crate::json::str_field(error, "status").map(str::to_string),
            crate::json::str_field(error, "message").map(str::to_string),
        ),
        _ => (None, None),
    };
    let mut line = format!("{what}: HTTP {status}");
    for mut part in [code, message].into_iter().flatten() {
        // Redact before cutting, so that no prefix of a secret survives the cut.
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            part = part.replace(secret, "<redacted>");
        }
        let part: String = part.chars().take(200).collect();
        line.push_str(": ");
        line.push_str(&part);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_replies_are_errors() {
        let now = Timestamp(100);
        for body in [
            &br#"{}"#[..],
            br#"{"access_token": ""}"#,
            br#"{"access_token": "a b", "expires_in": 1}"#,
            br#"{"access_token": "x", "expires_in": -1}"#,
            br#"{"access_token": "x"}"#,
            b"<html>",
        ] {
            assert!(oauth(body, now, "t").is_err(), "{}", String::from_utf8_lossy(body));
        }
        assert_eq!(oauth(br#"{"access_token":"x","expires_in":"60"}"#, now, "t").unwrap().expires, Timestamp(160));
        assert!(generated(br#"{"accessToken":"x","expireTime":"soon"}"#, "t").is_err());
    }

    #[test]
    fn error_lines_quote_no_secret() {
        let body = br#"{"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "token ya29.SECRET is bad"}}"#;
        let line = error_line("IAM", 403, body, &["ya29.SECRET"]);
        assert_eq!(line, "IAM: HTTP 403: PERMISSION_DENIED: token <redacted> is bad");
        assert_eq!(error_line("x", 502, b"<html>bad gateway</html>", &[]), "x: HTTP 502");
    }
}
