//! STS calls: AssumeRole (signed) and AssumeRoleWithWebIdentity (unsigned).
//!
//! Both are Query-protocol POSTs to the regional STS endpoint
//! ([`endpoint::sts_api_url`]) and answer in XML. Results go through the
//! credential cache, keyed on everything that decides them.

use crate::aws::credentials::Credentials;
use crate::aws::providers::cached_credentials;
use crate::aws::sigv4::{self, Scope};
use crate::aws::{endpoint, xml};
use crate::error::{Error, Result};
use crate::http::{self, Request};
use crate::time::Timestamp;
use std::path::Path;

const VERSION: &str = "2011-06-15";
const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";
/// The most bytes of a web identity token file kubecred reads.
const MAX_TOKEN_BYTES: u64 = 64 << 10;

/// Parameters of an AssumeRole call.
#[derive(Debug, Clone)]
pub struct AssumeRole<'a> {
    pub role_arn: &'a str,
    /// Empty: botocore's default, `botocore-session-<unix time>`, made at call time
    /// (so that the cache key does not change every second).
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration_seconds: Option<u32>,
    /// Region whose STS endpoint is called (see `endpoint::sts_api_url`).
    pub region: &'a str,
    /// The profile's `mfa_serial`: a code is asked for on the terminal when the call is made.
    pub mfa: Option<Mfa<'a>>,
}

/// An MFA device whose code AssumeRole must carry.
#[derive(Debug, Clone, Copy)]
pub struct Mfa<'a> {
    pub serial: &'a str,
    /// The profile, for messages.
    pub profile: &'a str,
}

/// Calls STS AssumeRole with `source` and returns the role's credentials.
pub fn assume_role(source: &Credentials, params: &AssumeRole) -> Result<Credentials> {
    let url = format!("{}/", endpoint::sts_api_url(params.region));
    let duration = params.duration_seconds.map(|d| d.to_string());
    let key = [
        "AssumeRole",
        params.role_arn,
        &source.access_key_id,
        params.external_id.unwrap_or(""),
        params.session_name,
        duration.as_deref().unwrap_or(""),
        params.region,
        &url,
        params.mfa.map_or("", |m| m.serial),
    ];
    cached_credentials("aws-sts", &key, "assume-role", || {
        let token_code = match params.mfa {
            Some(mfa) => Some(crate::aws::mfa::token_code(mfa.serial, mfa.profile)?),
            None => None,
        };
        let session_name = session_name_or_default(params.session_name);
        let mut form = vec![
            ("Action", "AssumeRole"),
            ("Version", VERSION),
            ("RoleArn", params.role_arn),
            ("RoleSessionName", session_name.as_str()),
        ];
        if let Some(external_id) = params.external_id {
            form.push(("ExternalId", external_id));
        }
        if let Some(duration) = &duration {
            form.push(("DurationSeconds", duration));
        }
        if let (Some(mfa), Some(code)) = (params.mfa, &token_code) {
            form.push(("SerialNumber", mfa.serial));
            form.push(("TokenCode", code));
        }
        let body = crate::encoding::form(&form);
        let mut headers = vec![("Content-Type".to_string(), FORM.to_string())];
        let scope = Scope { credentials: source, region: params.region, service: "sts", time: Timestamp::now() };
        sigv4::sign_request(&scope, "POST", &url, &mut headers, body.as_bytes());
        let mut request = Request::new("POST", &url).body(body).retry(true);
        request.headers = headers;
        let what = format!("STS AssumeRole for {} at {}", params.role_arn, http::host_of(&url));
        credentials_from_reply(&http::send(&request).map_err(|e| e.context(&what))?, &what, "assume-role")
    })
}

/// Parameters of an AssumeRoleWithWebIdentity call.
#[derive(Debug, Clone)]
pub struct WebIdentity<'a> {
    pub role_arn: &'a str,
    /// Empty: `botocore-session-<unix time>`, as for [`AssumeRole`].
    pub session_name: &'a str,
    /// Read again on every call: the token is rotated underneath us.
    pub token_file: &'a Path,
    pub region: &'a str,
}

/// Calls STS AssumeRoleWithWebIdentity (unsigned) with the token in `params.token_file`.
pub fn assume_role_with_web_identity(params: &WebIdentity) -> Result<Credentials> {
    let url = format!("{}/", endpoint::sts_api_url(params.region));
    let file = params.token_file.to_string_lossy();
    let key = ["AssumeRoleWithWebIdentity", params.role_arn, params.session_name, &file, params.region, &url];
    cached_credentials("aws-sts", &key, "web-identity", || {
        let token = read_token_file(params.token_file)?;
        let session_name = session_name_or_default(params.session_name);
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", VERSION),
            ("RoleArn", params.role_arn),
            ("RoleSessionName", session_name.as_str()),
            ("WebIdentityToken", token.as_str()),
        ];
        let request =
            Request::new("POST", &url).header("Content-Type", FORM).body(crate::encoding::form(&form)).retry(true);
        let what = format!("STS AssumeRoleWithWebIdentity for {} at {}", params.role_arn, http::host_of(&url));
        credentials_from_reply(&http::send(&request).map_err(|e| e.context(&what))?, &what, "web-identity")
    })
}

/// botocore's default session name when none is configured.
fn session_name_or_default(name: &str) -> String {
    if name.is_empty() { format!("botocore-session-{}", Timestamp::now().0) } else { name.to_string() }
}

fn read_token_file(path: &Path) -> Result<String> {
    crate::files::read_token_file(path, MAX_TOKEN_BYTES, "web identity token file")
}

/// The `<Credentials>` of a successful reply, or an error naming the STS error code.
fn credentials_from_reply(reply: &http::Response, what: &str, source: &'static str) -> Result<Credentials> {
    let text = String::from_utf8_lossy(&reply.body);
    if !reply.is_success() {
        return Err(Error::new(format!("{what}: {}", describe_failure(reply.status, &text))));
    }
    let field = |name: &str| {
        xml::element(&text, name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::new(format!("{what}: the reply (HTTP {}) has no {name}", reply.status)))
    };
    let expiration = Timestamp::parse_rfc3339(&field("Expiration")?).map_err(|e| e.context(what))?;
    Ok(Credentials {
        access_key_id: field("AccessKeyId")?,
        secret_access_key: field("SecretAccessKey")?.into(),
        session_token: Some(field("SessionToken")?.into()),
        expiration: Some(expiration),
        source,
    })
}

/// `HTTP 403 AccessDenied: message`, or the status alone when the body is not an STS error.
pub fn describe_failure(status: u16, body: &str) -> String {
    crate::error::one_line(describe_reply(status, body))
}

fn describe_reply(status: u16, body: &str) -> String {
    match xml::error(body) {
        Some((code, message)) => {
            let message: String = message.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(300).collect();
            if message.is_empty() {
                format!("HTTP {status} {code}")
            } else {
                format!("HTTP {status} {code}: {message}")
            }
        }
        None if body.trim().is_empty() => format!("HTTP {status} with an empty body"),
        None => format!("HTTP {status} (the reply is not an STS error document)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_described_without_bodies() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: x is not\n authorized</Message></Error></ErrorResponse>";
        assert_eq!(describe_failure(403, xml), "HTTP 403 AccessDenied: User: x is not authorized");
        assert_eq!(describe_failure(502, "<html>SECRET</html>"), "HTTP 502 (the reply is not an STS error document)");
        assert_eq!(describe_failure(500, ""), "HTTP 500 with an empty body");
    }

    #[test]
    fn form_encoding() {
        assert_eq!(crate::encoding::form(&[("A", "a b/+="), ("B", "x")]), "A=a%20b%2F%2B%3D&B=x");
    }
}
