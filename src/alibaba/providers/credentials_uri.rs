//! Credentials from a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`, an aliyun CLI
//! `CredentialsURI` profile, a `credentials_uri` section): a GET whose JSON reply
//! holds `Code: "Success"`, `AccessKeyId`, `AccessKeySecret`, `SecurityToken`
//! and `Expiration`.

use crate::alibaba::credentials::Credentials;
use crate::alibaba::providers;
use crate::error::{Error, Result};
use crate::http;
use serde_json::Value;

/// Fetches (or takes from the cache) the credentials that `uri` serves.
pub fn credentials(uri: &str) -> Result<Credentials> {
    providers::cached("alibaba-credentials-uri", &[uri], "credentials-uri", || fetch(uri))
}

fn fetch(uri: &str) -> Result<Credentials> {
    let shown = crate::log::redact_url(uri);
    let what = format!("credentials URI {shown}");
    if !(uri.starts_with("http://") || uri.starts_with("https://")) {
        return Err(Error::new(format!("{what}: not an http:// or https:// URL")));
    }
    let response = http::send(&http::Request::new("GET", uri)).map_err(|e| e.context(&what))?;
    if !response.is_success() {
        return Err(Error::new(format!("{what}: HTTP {}", response.status)));
    }
    let reply = crate::json::parse(&response.body, &what)?;
    if let Some(code) = reply.get("Code").and_then(Value::as_str).filter(|code| *code != "Success") {
        return Err(Error::new(format!("{what}: Code is {code:?}, not \"Success\"")));
    }
    providers::parse_credentials(&reply, &what, "credentials-uri", false)
}
