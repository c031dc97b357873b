//! Alibaba Cloud STS calls: `AssumeRole` (RPC-signed) and `AssumeRoleWithOIDC`
//! (unsigned: the OIDC token is the proof), API version 2015-04-01, JSON replies.
//!
//! Both are POSTs laid out as the Go credentials SDK sends them: the common
//! parameters (action, version, format, time, and for AssumeRole the signature
//! fields) in the query string, the API's own parameters (role, session name,
//! OIDC token...) in a form body; the RPC signature covers both. Errors become one
//! line naming the action, the host, the HTTP status and STS's `Code`/`Message`,
//! with every secret the call carried cut out of the server's text.

use crate::alibaba::credentials::Credentials;
use crate::alibaba::providers;
use crate::alibaba::rpc;
use crate::error::{Error, Result};
use crate::http;
use crate::secret::Secret;
use crate::time::Timestamp;
use serde_json::Value;

/// STS's API version.
pub const VERSION: &str = "2015-04-01";

/// An `AssumeRole` call.
#[derive(Debug, Clone, Default)]
pub struct AssumeRole {
    /// Base URL of STS (see [`crate::alibaba::endpoint::sts_url`]).
    pub sts_url: String,
    pub role_arn: String,
    pub session_name: String,
    /// 900 to the role's maximum; 0 leaves STS's default (3600).
    pub duration_seconds: u32,
    pub external_id: Option<String>,
    pub policy: Option<String>,
}

/// An `AssumeRoleWithOIDC` call.
#[derive(Clone, Default)]
pub struct AssumeRoleWithOidc {
    pub sts_url: String,
    pub role_arn: String,
    pub oidc_provider_arn: String,
    pub oidc_token: String,
    pub session_name: String,
    pub duration_seconds: u32,
    pub policy: Option<String>,
}

impl std::fmt::Debug for AssumeRoleWithOidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRoleWithOidc")
            .field("sts_url", &self.sts_url)
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("oidc_token", &"<redacted>")
            .field("session_name", &self.session_name)
            .finish()
    }
}

/// Calls STS AssumeRole with `source` for `role_arn` and returns the role's
/// credentials (cached). STS is the one for `region_id` (endpoint overrides from
/// the process environment apply).
pub fn assume_role(
    source: &Credentials,
    region_id: &str,
    role_arn: &str,
    session_name: &str,
    duration_seconds: u32,
) -> Result<Credentials> {
    let call = AssumeRole {
        sts_url: crate::alibaba::endpoint::sts_base_url(region_id)?,
        role_arn: role_arn.to_string(),
        session_name: session_name.to_string(),
        duration_seconds,
        ..AssumeRole::default()
    };
    assume_role_cached(source, &call)
}

/// [`assume_role_uncached`] through the credential cache, keyed by everything that
/// determines the result.
pub fn assume_role_cached(source: &Credentials, call: &AssumeRole) -> Result<Credentials> {
    let duration = call.duration_seconds.to_string();
    let source_secret = providers::fingerprint(source.access_key_secret.expose());
    let key = [
        call.sts_url.as_str(),
        call.role_arn.as_str(),
        call.session_name.as_str(),
        duration.as_str(),
        call.external_id.as_deref().unwrap_or(""),
        call.policy.as_deref().unwrap_or(""),
        source.access_key_id.as_str(),
        source_secret.as_str(),
    ];
    providers::cached("alibaba-assume-role", &key, "assume-role", || assume_role_uncached(source, call))
}

/// Calls STS AssumeRole now.
pub fn assume_role_uncached(source: &Credentials, call: &AssumeRole) -> Result<Credentials> {
    validate_session_name(&call.session_name)?;
    let mut body = vec![
        ("RoleArn".to_string(), call.role_arn.clone()),
        ("RoleSessionName".to_string(), call.session_name.clone()),
    ];
    if call.duration_seconds > 0 {
        body.push(("DurationSeconds".to_string(), call.duration_seconds.to_string()));
    }
    if let Some(id) = call.external_id.as_ref().filter(|s| !s.is_empty()) {
        body.push(("ExternalId".to_string(), id.clone()));
    }
    if let Some(policy) = call.policy.as_ref().filter(|s| !s.is_empty()) {
        body.push(("Policy".to_string(), policy.clone()));
    }
    let mut all = vec![("Action".to_string(), "AssumeRole".to_string()), ("Version".to_string(), VERSION.to_string())];
    all.extend(body.iter().cloned());
    // Everything is signed together; what is not the API's own goes in the query.
    let query: Vec<(String, String)> = rpc::sign("POST", all, source, Timestamp::now(), &rpc::new_nonce())
        .into_iter()
        .filter(|pair| !body.contains(pair))
        .collect();
    let mut secrets = vec![source.access_key_secret.expose()];
    secrets.extend(source.security_token.as_ref().map(Secret::expose));
    let what = format!("STS AssumeRole for {}", call.role_arn);
    let reply = post(&call.sts_url, &query, &body, &what, &secrets)?;
    credentials_from_reply(&reply, &what, "assume-role")
}

/// Calls STS AssumeRoleWithOIDC now (the OIDC provider caches around it).
pub fn assume_role_with_oidc(call: &AssumeRoleWithOidc) -> Result<Credentials> {
    validate_session_name(&call.session_name)?;
    let query = vec![
        ("Action".to_string(), "AssumeRoleWithOIDC".to_string()),
        ("Version".to_string(), VERSION.to_string()),
        ("Format".to_string(), "JSON".to_string()),
        ("Timestamp".to_string(), Timestamp::now().to_rfc3339()),
    ];
    let mut body = vec![
        ("RoleArn".to_string(), call.role_arn.clone()),
        ("OIDCProviderArn".to_string(), call.oidc_provider_arn.clone()),
        ("OIDCToken".to_string(), call.oidc_token.clone()),
        ("RoleSessionName".to_string(), call.session_name.clone()),
    ];
    if call.duration_seconds > 0 {
        body.push(("DurationSeconds".to_string(), call.duration_seconds.to_string()));
    }
    if let Some(policy) = call.policy.as_ref().filter(|s| !s.is_empty()) {
        body.push(("Policy".to_string(), policy.clone()));
    }
    let what = format!("STS AssumeRoleWithOIDC for {}", call.role_arn);
    let reply = post(&call.sts_url, &query, &body, &what, &[call.oidc_token.as_str()])?;
    credentials_from_reply(&reply, &what, "oidc")
}

/// STS requires 2 to 64 characters of letters, digits and `.@-_`; say so before calling.
fn validate_session_name(name: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_');
    if (2..=64).contains(&name.len()) && name.chars().all(allowed) {
        Ok(())
    } else {
        Err(Error::new(format!("role session name {name:?} is invalid: STS wants 2 to 64 letters, digits or . @ - _")))
    }
}

/// POSTs `query` in the URL and `body` as a form to `base_url`, and returns the
/// parsed JSON of a 2xx reply.
fn post(
    base_url: &str,
    query: &[(String, String)],
    body: &[(String, String)],
    what: &str,
    secrets: &[&str],
) -> Result<Value> {
    let url = format!("{}/?{}", base_url.trim_end_matches('/'), crate::encoding::form(query));
    let request = http::Request::new("POST", url.as_str())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(crate::encoding::form(body));
    let host = http::host_of(&url);
    let response = http::send(&request).map_err(|e| e.context(what))?;
    let parsed = crate::json::parse(&response.body, &format!("{what} at {host}"));
    match parsed {
        Ok(value) if response.is_success() => Ok(value),
        _ => Err(reply_error(what, &host, &response, secrets)),
    }
}

/// One line for a failed STS reply: the status, and `Code: Message (request id)`
/// when the body is STS's JSON error; never the body's raw text otherwise.
pub fn reply_error(what: &str, host: &str, response: &http::Response, secrets: &[&str]) -> Error {
    let status = response.status;
    let content_type = response.header("content-type").unwrap_or("no content type");
    let body = &response.body;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Error::new(format!("{what} at {host} failed: HTTP {status} with an empty reply"));
    }
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Error::new(format!("{what} at {host} failed: HTTP {status}, reply is not JSON ({content_type})"));
    };
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let (code, message, request_id) = (text("Code"), text("Message"), text("RequestId"));
    if code.is_empty() && message.is_empty() {
        return Error::new(format!("{what} at {host} failed: HTTP {status}, JSON reply without Code or Message"));
    }
    let mut line = format!("{what} at {host} failed: HTTP {status} {}", scrub(&code, secrets));
    let message = scrub(&message, secrets);
    if !message.is_empty() {
        line.push_str(": ");
        line.push_str(&message);
    }
    if !request_id.is_empty() {
        line.push_str(&format!(" (request id {})", scrub(&request_id, secrets)));
    }
    Error::new(line)
}

/// Cuts what a server message must not carry into our output: the string it
/// signed (SignatureDoesNotMatch echoes it, security token included), any secret
/// of the call, and anything past a sane length.
fn scrub(message: &str, secrets: &[&str]) -> String {
    const MAX: usize = 300;
    let lower = message.to_ascii_lowercase();
    let mut text = match lower.find("string to sign") {
        // ok: ASCII lower-casing keeps byte offsets, so `at` is a char boundary of `message`.
        Some(at) => format!("{} [string to sign omitted]", message[..at].trim_end()),
        None => message.to_string(),
    };
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret, "REDACTED");
    }
    if text.len() > MAX {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("...");
    }
    text
}

fn credentials_from_reply(reply: &Value, what: &str, source: &'static str) -> Result<Credentials> {
    let object = reply.get("Credentials").ok_or_else(|| Error::new(format!("{what}: reply has no Credentials")))?;
    providers::parse_credentials(object, what, source, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, content_type: &str, body: &str) -> http::Response {
        http::Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn errors_are_one_clear_line_without_secrets() {
        let json = r#"{"RequestId":"R-1","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3Dtok-123456"}"#;
        let e = reply_error("STS AssumeRole for r", "sts.x", &response(400, "application/json", json), &["tok-123456"]);
        assert_eq!(
            e.message(),
            "STS AssumeRole for r at sts.x failed: HTTP 400 SignatureDoesNotMatch: Specified signature is not \
             matched with our calculation. server [string to sign omitted] (request id R-1)"
        );
        let html = response(502, "text/html", "<html><body>Bad gateway</body></html>");
        assert_eq!(
            reply_error("STS", "h", &html, &[]).message(),
            "STS at h failed: HTTP 502, reply is not JSON (text/html)"
        );
        assert_eq!(
            reply_error("STS", "h", &response(500, "x", " \n"), &[]).message(),
            "STS at h failed: HTTP 500 with an empty reply"
        );
        let echo = r#"{"Code":"InvalidParameter","Message":"bad token secret-abcdef"}"#;
        let e = reply_error("STS", "h", &response(400, "application/json", echo), &["secret-abcdef"]);
        assert!(!e.message().contains("secret-abcdef") && e.message().contains("REDACTED"));
    }

    #[test]
    fn session_names() {
        assert!(validate_session_name("kubecred").is_ok());
        assert!(validate_session_name("a b").is_err());
        assert!(validate_session_name("x").is_err());
    }
}
