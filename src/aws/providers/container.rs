//! Container credentials: ECS task roles and EKS Pod Identity.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on `http://169.254.170.2`;
//! else `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole URL, allowed (as in
//! botocore) only over https or to a loopback address, 169.254.170.2,
//! 169.254.170.23 or fd00:ec2::23, so a planted variable cannot send the
//! authorization token elsewhere. The `Authorization` header comes from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch: it is
//! rotated) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use crate::aws::credentials::Credentials;
use crate::aws::providers::{cached_credentials, credentials_from_json};
use crate::digest::sha256_hex;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http::{self, Request, Route};
use std::net::IpAddr;

const ECS_ENDPOINT: &str = "http://169.254.170.2";
const ALLOWED_HOSTS: &[&str] = &["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];
const MAX_TOKEN_BYTES: u64 = 16 << 10;

/// Credentials from the container endpoint; `Ok(None)` when neither URI variable is set.
pub fn load(env: &Env) -> Result<Option<Credentials>> {
    let url = match (env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
        (Some(relative), _) => format!("{ECS_ENDPOINT}/{}", relative.trim_start_matches('/')),
        (None, Some(full)) => {
            check_full_uri(full)?;
            full.to_string()
        }
        (None, None) => return Ok(None),
    };
    let token = authorization_token(env)?;
    let token_digest = token.as_deref().map(|t| sha256_hex(t.as_bytes())).unwrap_or_default();
    let shown = crate::log::redact_url(&url);
    cached_credentials("aws-container", &[&url, &token_digest], "container", || {
        let mut request = Request::new("GET", &url).header("Accept", "application/json").route(Route::Metadata);
        if let Some(token) = &token {
            request = request.header("Authorization", token.as_str());
        }
        let what = format!("container credentials from {shown}");
        let reply = http::send(&request).map_err(|e| e.context(&what))?;
        if !reply.is_success() {
            return Err(Error::new(format!("{what}: HTTP {}", reply.status)));
        }
        let document = crate::json::parse(&reply.body, &what)?;
        credentials_from_json(&document, "Token", true, &what, "container")
    })
    .map(Some)
}

/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` first, then `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
fn authorization_token(env: &Env) -> Result<Option<String>> {
    let token = match env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => {
            crate::files::read_token_file(path.as_ref(), MAX_TOKEN_BYTES, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")?
        }
        None => match env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            Some(token) => token.to_string(),
            None => return Ok(None),
        },
    };
    if token.contains(['\r', '\n']) {
        return Err(Error::new("the container authorization token holds a line break"));
    }
    Ok(Some(token))
}

/// Refuses full URIs that could leak the token: plain http to a host that is
/// not loopback or one of the ECS/EKS link-local addresses.
pub fn check_full_uri(url: &str) -> Result<()> {
    let refuse = |why: &str| {
        Error::new(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI {}: {why}; it must be https, or http to a loopback address or one of {}",
            crate::log::redact_url(url),
            ALLOWED_HOSTS.join(", ")
        ))
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(refuse("not an absolute URL"));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => return Ok(()),
        "http" => {}
        _ => return Err(refuse("unsupported scheme")),
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(refuse("user information is not allowed"));
    }
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').map_or(bracketed, |(h, _)| h),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    let ip = host.parse::<IpAddr>().ok();
    let allowed = host.eq_ignore_ascii_case("localhost")
        || ip.is_some_and(|ip| ip.is_loopback() || ALLOWED_HOSTS.iter().any(|a| a.parse() == Ok(ip)));
    if allowed { Ok(()) } else { Err(refuse("host not allowed")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://127.9.9.9/x",
            "http://localhost/x",
            "http://[::1]:80/x",
            "http://169.254.170.2/v2/credentials/abc",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/x",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://169.254.169.254/latest",
            "http://example.com/x",
            "http://127.0.0.1.evil.com/x",
            "http://user@127.0.0.1/x",
            "ftp://127.0.0.1/x",
            "127.0.0.1/x",
            "http://[fd00:ec2::254]/x",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }
}
