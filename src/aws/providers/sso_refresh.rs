//! Renewing an `sso_session` access token the way botocore's SSOTokenProvider
//! does, so that kubectl keeps working past the token's hour without a browser:
//! when the cached token has less than 15 minutes left and the cache file holds
//! a refresh token and an unexpired client registration, SSO OIDC `CreateToken`
//! (grant `refresh_token`, unsigned JSON to `https://oidc.REGION.amazonaws.com/token`,
//! or `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL`) returns a new one, which
//! is written back to the same cache file with botocore's fields, so the AWS
//! CLI and kubecred go on sharing it. Legacy (`sso_start_url` only) profiles
//! are never refreshed, as in botocore.

use crate::aws::endpoint::dns_suffix;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http::{self, Request};
use crate::time::Timestamp;
use serde_json::{Map, Value, json};
use std::path::Path;

/// botocore refreshes a token this close to its expiry.
pub const REFRESH_WINDOW_SECONDS: i64 = 15 * 60;

/// What the refresh needs besides the cache document.
pub struct Session<'a> {
    pub start_url: &'a str,
    pub region: &'a str,
}

/// A renewed access token and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    pub access_token: String,
    pub expires: Timestamp,
}

/// Refreshes the token of `cache` (the parsed file at `path`). `Ok(None)` when
/// the file holds no usable refresh token or registration (then only
/// `aws sso login` helps); an error when the CreateToken call fails.
pub fn refresh(env: &Env, path: &Path, cache: &Value, session: &Session, now: Timestamp) -> Result<Option<Refreshed>> {
    let text = |name: &str| cache.get(name).and_then(Value::as_str).filter(|v| !v.is_empty());
    let (Some(refresh_token), Some(client_id), Some(client_secret), Some(registration)) =
        (text("refreshToken"), text("clientId"), text("clientSecret"), text("registrationExpiresAt"))
    else {
        crate::debug!("SSO token in {}: no refresh token or client registration to renew it", path.display());
        return Ok(None);
    };
    match Timestamp::parse_rfc3339(registration.strip_suffix("UTC").unwrap_or(registration)) {
        Ok(at) if at > now => {}
        _ => {
            crate::debug!("SSO token in {}: the client registration expired or is unreadable", path.display());
            return Ok(None);
        }
    }
    let url = format!("{}/token", oidc_url(env, session.region));
    let body = json!({
        "clientId": client_id,
        "clientSecret": client_secret,
        "grantType": "refresh_token",
        "refreshToken": refresh_token,
    });
    let what = format!("SSO OIDC CreateToken at {}", http::host_of(&url));
    let request = Request::new("POST", &url).header("Content-Type", "application/json").body(body.to_string());
    let reply = http::send(&request).map_err(|e| e.context(&what))?;
    if !reply.is_success() {
        return Err(Error::new(format!("{what}: HTTP {}", reply.status)));
    }
    let document = crate::json::parse(&reply.body, &what)?;
    let access_token = document
        .get("accessToken")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::new(format!("{what}: no accessToken in the reply")))?;
    let expires_in = document
        .get("expiresIn")
        .and_then(Value::as_i64)
        .filter(|s| *s > 0)
        .ok_or_else(|| Error::new(format!("{what}: no expiresIn in the reply")))?;
    let expires = Timestamp(now.0.saturating_add(expires_in));
    // botocore's fields, in its order; the new refresh token when one came back.
    let mut written = Map::new();
    written.insert("startUrl".into(), session.start_url.into());
    written.insert("region".into(), session.region.into());
    written.insert("accessToken".into(), access_token.into());
    written.insert("expiresAt".into(), expires.to_rfc3339().into());
    written.insert("clientId".into(), client_id.into());
    written.insert("clientSecret".into(), client_secret.into());
    written.insert("registrationExpiresAt".into(), registration.into());
    if let Some(rotated) = document.get("refreshToken").and_then(Value::as_str) {
        written.insert("refreshToken".into(), rotated.into());
    }
    // A token that cannot be saved still serves this call; the next one refreshes again.
    if let Err(e) = crate::secret_files::write_private(path, Value::Object(written).to_string().as_bytes()) {
        crate::debug!("SSO token refreshed but not saved: {}", e.message());
    }
    crate::debug!("SSO token in {} refreshed, valid until {}", path.display(), expires.to_rfc3339());
    Ok(Some(Refreshed { access_token: access_token.to_string(), expires }))
}

/// `https://oidc.REGION.amazonaws.com`, or `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL`.
fn oidc_url(env: &Env, region: &str) -> String {
    match env.get("AWS_ENDPOINT_URL_SSO_OIDC").or_else(|| env.get("AWS_ENDPOINT_URL")) {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("https://oidc.{region}.{}", dns_suffix(region)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_refresh_with() {
        let env = Env::default();
        let session = Session { start_url: "https://d-1.awsapps.com/start", region: "us-east-1" };
        let path = Path::new("/nonexistent/cache.json");
        let now = Timestamp(1_800_000_000);
        let bare = json!({"accessToken": "t", "expiresAt": "2001-01-01T00:00:00Z"});
        assert_eq!(refresh(&env, path, &bare, &session, now).unwrap(), None);
        let lapsed = json!({"accessToken": "t", "refreshToken": "r", "clientId": "c", "clientSecret": "s",
                            "registrationExpiresAt": "2001-01-01T00:00:00Z"});
        assert_eq!(refresh(&env, path, &lapsed, &session, now).unwrap(), None);
        assert_eq!(oidc_url(&env, "cn-north-1"), "https://oidc.cn-north-1.amazonaws.com.cn");
    }
}
