//! Service account impersonation: IAM Credentials `generateAccessToken`,
//! called with a token of the source identity.

use super::{AccessToken, cached, check_url};
use crate::env::Env;
use crate::error::{Error, Result};

/// IAM Credentials, unless gcloud's endpoint override for it is set.
const DEFAULT_ENDPOINT: &str = "https://iamcredentials.googleapis.com/";

/// The `generateAccessToken` URL for the service account `email`
/// (`CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS` moves it, as in gcloud).
///
/// ```
/// let url = kubecred::google::impersonation::url_for("deploy@p.iam.gserviceaccount.com")?;
/// assert_eq!(url, "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/deploy@p.iam.gserviceaccount.com:generateAccessToken");
/// assert!(kubecred::google::impersonation::url_for("a/../b").is_err());
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn url_for(email: &str) -> Result<String> {
    let valid = !email.is_empty()
        && email.len() <= 256
        && email.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-' | b'_'));
    if !valid {
        return Err(Error::usage(format!("{email:?} is not a service account email")));
    }
    let env = Env::from_process();
    let base =
        env.get("CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS").filter(|v| !v.is_empty()).unwrap_or(DEFAULT_ENDPOINT);
    Ok(format!("{}/v1/projects/-/serviceAccounts/{email}:generateAccessToken", base.trim_end_matches('/')))
}

/// A token of the service account behind `url`, got with `source`'s token.
pub fn generate(
    source: &AccessToken,
    url: &str,
    delegates: &[String],
    lifetime_seconds: u64,
    scopes: &[&str],
) -> Result<AccessToken> {
    let what = format!("impersonation at {}", crate::http::host_of(url));
    check_url(url, &what)?;
    let source_hash = crate::digest::sha256_hex(source.token.expose().as_bytes());
    let lifetime = format!("{lifetime_seconds}s");
    let delegate_list = delegates.join(",");
    let scope = scopes.join(" ");
    cached("google-impersonated", &[url, &delegate_list, &lifetime, &scope, &source_hash], || {
        let mut body = serde_json::Map::new();
        if !delegates.is_empty() {
            body.insert("delegates".into(), delegates.into());
        }
        body.insert("lifetime".into(), lifetime.clone().into());
        body.insert("scope".into(), scopes.into());
        let request = crate::http::Request::new("POST", url)
            .header("Authorization", format!("Bearer {}", source.token.expose()))
            .header("Content-Type", "application/json")
            .body(crate::json::to_string(&serde_json::Value::Object(body), 0))
            .retry(true);
        let response = crate::http::send(&request).map_err(|e| e.context(&what))?;
        if !response.is_success() {
            return Err(Error::new(super::token_reply::error_line(
                &what,
                response.status,
                &response.body,
                &[source.token.expose()],
            )));
        }
        super::token_reply::generated(&response.body, &what)
    })
}
