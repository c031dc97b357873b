//! IAM Identity Center (SSO) profiles.
//!
//! A profile names `sso_account_id` and `sso_role_name`, and either an
//! `sso_session` (whose `[sso-session NAME]` section holds `sso_start_url` and
//! `sso_region`) or, the legacy way, `sso_start_url` and `sso_region` itself.
//! `aws sso login` leaves an access token in `~/.aws/sso/cache/SHA1.json`, where
//! SHA1 is the hex SHA-1 of the session name (or of the start URL, legacy).
//! GetRoleCredentials trades it for role credentials. kubecred never logs in;
//! it renews an `sso_session` token that is about to expire as botocore does
//! ([`sso_refresh`]); when the token is missing, or expired past renewal, it
//! says to run `aws sso login`.

use crate::aws::credentials::Credentials;
use crate::aws::endpoint::dns_suffix;
use crate::aws::profile::Profile;
use crate::aws::providers::{Context, cached_credentials, sso_refresh};
use crate::encoding::uri_encode;
use crate::error::{Error, Result};
use crate::http::{self, Request};
use crate::time::Timestamp;
use serde_json::Value;
use std::path::PathBuf;

/// The settings one SSO profile resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SsoConfig {
    start_url: String,
    region: String,
    account_id: String,
    role_name: String,
    session: Option<String>,
}

/// Role credentials for an SSO profile; `Ok(None)` when `profile` is not one.
pub fn load(ctx: &Context, profile: &str) -> Result<Option<Credentials>> {
    let Some(settings) = ctx.config.profile(profile) else {
        return Ok(None);
    };
    if !settings.has("sso_account_id") && !settings.has("sso_role_name") {
        return Ok(None);
    }
    let where_ = format!("profile {profile} in {}", ctx.config.config_path.display());
    let sso = resolve_config(ctx, settings).map_err(|e| e.context(&where_))?;
    let endpoint = portal_url(ctx, &sso.region);
    let key =
        [sso.session.as_deref().unwrap_or(""), &sso.start_url, &sso.account_id, &sso.role_name, &sso.region, &endpoint];
    cached_credentials("aws-sso", &key, "sso", || {
        let token = cached_token(ctx, &sso, profile)?;
        get_role_credentials(&endpoint, &sso, &token, profile)
    })
    .map(Some)
}

fn resolve_config(ctx: &Context, settings: &Profile) -> Result<SsoConfig> {
    let mut start_url = settings.get("sso_start_url").map(str::to_string);
    let mut region = settings.get("sso_region").map(str::to_string);
    let session = settings.get("sso_session").map(str::to_string);
    if let Some(name) = &session {
        let section = ctx
            .config
            .sso_session(name)
            .ok_or_else(|| Error::new(format!("sso_session {name}: no [sso-session {name}] section")))?;
        for (key, slot) in [("sso_start_url", &mut start_url), ("sso_region", &mut region)] {
            if let Some(value) = section.get(key) {
                if slot.as_deref().is_some_and(|v| v != value) {
                    return Err(Error::new(format!("{key} differs between the profile and [sso-session {name}]")));
                }
                *slot = Some(value.to_string());
            }
        }
    }
    let mut missing = Vec::new();
    let mut need = |key: &'static str, value: Option<String>| {
        if value.is_none() {
            missing.push(key);
        }
        value.unwrap_or_default()
    };
    let config = SsoConfig {
        account_id: need("sso_account_id", settings.get("sso_account_id").map(str::to_string)),
        role_name: need("sso_role_name", settings.get("sso_role_name").map(str::to_string)),
        start_url: need("sso_start_url", start_url),
        region: need("sso_region", region),
        session,
    };
    if !missing.is_empty() {
        return Err(Error::new(format!("configured for SSO but missing {}", missing.join(", "))));
    }
    // The SSO bearer token goes to portal.sso.REGION: the region must not be able to name another host.
    crate::region_name::check(&config.region, "sso_region", "us-east-1").map_err(Error::new)?;
    Ok(config)
}

/// `https://portal.sso.REGION.amazonaws.com`, or `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL`.
fn portal_url(ctx: &Context, region: &str) -> String {
    match ctx.env.get("AWS_ENDPOINT_URL_SSO").or_else(|| ctx.env.get("AWS_ENDPOINT_URL")) {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("https://portal.sso.{region}.{}", dns_suffix(region)),
    }
}

/// The file `aws sso login` writes the token to.
pub fn token_cache_file(home: &std::path::Path, session_or_start_url: &str) -> PathBuf {
    let name = sha1_smol::Sha1::from(session_or_start_url.as_bytes()).digest().to_string();
    home.join(".aws/sso/cache").join(format!("{name}.json"))
}

/// The unexpired access token `aws sso login` cached for this profile.
fn cached_token(ctx: &Context, sso: &SsoConfig, profile: &str) -> Result<String> {
    let home = ctx.env.home().ok_or_else(|| Error::new("SSO: HOME is not set, so ~/.aws/sso/cache is unknown"))?;
    let path = token_cache_file(&home, sso.session.as_deref().unwrap_or(&sso.start_url));
    let login = format!("run `aws sso login --profile {profile}`");
    let shown = path.display();
    // The token decides whose roles we get: only a file of this user's, in a directory only they can write.
    let bytes = match crate::secret_files::read_users_own(&path, crate::json::MAX_JSON_BYTES as u64) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(Error::new(format!("SSO profile {profile}: no cached SSO token ({shown}); {login}"))),
        Err(e) => return Err(Error::new(format!("SSO profile {profile}: {}", e.message()))),
    };
    let (token, expires) = parse_token_cache(&bytes, &shown.to_string())
        .map_err(|e| Error::new(format!("SSO profile {profile}: {}; {login}", e.message())))?;
    let now = Timestamp::now();
    // sso_session tokens are renewed as botocore renews them (see sso_refresh).
    let mut refresh_failure = None;
    if sso.session.is_some() && expires.0 - now.0 < sso_refresh::REFRESH_WINDOW_SECONDS {
        let document = crate::json::parse(&bytes, &shown.to_string())?;
        let session = sso_refresh::Session { start_url: &sso.start_url, region: &sso.region };
        match sso_refresh::refresh(ctx.env, &path, &document, &session, now) {
            Ok(Some(refreshed)) => return Ok(refreshed.access_token),
            Ok(None) => {}
            Err(e) => {
                crate::debug!("SSO token refresh failed: {}", e.message());
                refresh_failure = Some(e);
            }
        }
    }
    if expires <= now {
        let refresh = refresh_failure.map(|e| format!(" and renewing it failed ({})", e.message())).unwrap_or_default();
        return Err(Error::new(format!(
            "SSO profile {profile}: the SSO token in {shown} expired at {}{refresh}; {login}",
            expires.to_rfc3339()
        )));
    }
    Ok(token)
}

/// The access token and its expiry from an `~/.aws/sso/cache/*.json` file (`shown`
/// names it in errors).
///
/// ```
/// let cache = br#"{"accessToken": "t0k3n", "expiresAt": "2030-01-01T00:00:00Z", "region": "us-east-1"}"#;
/// let (token, expires) = kubecred::aws::providers::sso::parse_token_cache(cache, "cache.json").unwrap();
/// assert_eq!((token.as_str(), expires.to_rfc3339().as_str()), ("t0k3n", "2030-01-01T00:00:00Z"));
/// ```
pub fn parse_token_cache(bytes: &[u8], shown: &str) -> Result<(String, Timestamp)> {
    let document = crate::json::parse(bytes, shown)?;
    let token = document.get("accessToken").and_then(Value::as_str).filter(|t| !t.is_empty());
    let expires = document.get("expiresAt").and_then(Value::as_str);
    let (Some(token), Some(expires)) = (token, expires) else {
        return Err(Error::new(format!("{shown} lacks accessToken or expiresAt")));
    };
    // The AWS CLI v1 wrote `2019-01-01T00:00:00UTC`.
    let expires = Timestamp::parse_rfc3339(expires.strip_suffix("UTC").unwrap_or(expires))
        .map_err(|e| e.context(format!("{shown}: expiresAt")))?;
    Ok((token.to_string(), expires))
}

fn get_role_credentials(endpoint: &str, sso: &SsoConfig, token: &str, profile: &str) -> Result<Credentials> {
    let url = format!(
        "{endpoint}/federation/credentials?role_name={}&account_id={}",
        uri_encode(&sso.role_name, false),
        uri_encode(&sso.account_id, false)
    );
    let what = format!("SSO GetRoleCredentials for profile {profile}");
    let reply =
        http::send(&Request::new("GET", url).header("x-amz-sso_bearer_token", token)).map_err(|e| e.context(&what))?;
    if reply.status == 401 || reply.status == 403 {
        return Err(Error::new(format!(
            "{what}: HTTP {}: the SSO token was refused; run `aws sso login --profile {profile}`",
            reply.status
        )));
    }
    if !reply.is_success() {
        return Err(Error::new(format!("{what}: HTTP {}", reply.status)));
    }
    parse_role_credentials(&reply.body, &what)
}

/// Credentials from a GetRoleCredentials reply (`what` names the call in errors).
pub fn parse_role_credentials(body: &[u8], what: &str) -> Result<Credentials> {
    let document = crate::json::parse(body, what)?;
    let role = document
        .get("roleCredentials")
        .ok_or_else(|| Error::new(format!("{what}: no roleCredentials in the reply")))?;
    let text = |name: &str| {
        role.get(name)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Error::new(format!("{what}: no {name} in the reply")))
    };
    let expiration_ms = role
        .get("expiration")
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::new(format!("{what}: no expiration in the reply")))?;
    Ok(Credentials {
        access_key_id: text("accessKeyId")?,
        secret_access_key: text("secretAccessKey")?.into(),
        session_token: Some(text("sessionToken")?.into()),
        expiration: Some(Timestamp(expiration_ms / 1000)),
        source: "sso",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_file_names_match_the_aws_cli() {
        // sha1("my-sso") and sha1("https://d-123.awsapps.com/start"), computed with Python's hashlib.
        let home = std::path::Path::new("/h");
        assert_eq!(
            token_cache_file(home, "my-sso"),
            PathBuf::from("/h/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json")
        );
        assert_eq!(
            token_cache_file(home, "https://d-123.awsapps.com/start"),
            PathBuf::from("/h/.aws/sso/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json")
        );
    }
}
