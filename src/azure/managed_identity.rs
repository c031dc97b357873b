//! Managed identity (`msi` login): a token from the instance metadata service's
//! identity endpoint, as azidentity's ManagedIdentityCredential asks for it on a
//! VM or an AKS node: `GET http://169.254.169.254/metadata/identity/oauth2/token
//! ?api-version=2018-02-01&resource=RESOURCE` with `Metadata: true`, plus
//! `client_id` (or `msi_res_id`) for a user-assigned identity.
//!
//! `AZURE_POD_IDENTITY_AUTHORITY_HOST` moves the endpoint (AAD pod identity's
//! NMI, tests), but only to the metadata address or a loopback host: the reply
//! is a bearer token, and the request says which identity to impersonate.
//!
//! ```
//! use kubecred::azure::managed_identity::{endpoint, Identity};
//! use kubecred::env::Env;
//! let url = endpoint(&Env::default(), "api://server/.default", &Identity::ClientId("c1".into()))?;
//! assert_eq!(url, "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&client_id=c1&resource=api%3A%2F%2Fserver");
//! let moved = Env::from_pairs(&[("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://evil.example/")]);
//! assert!(endpoint(&moved, "x/.default", &Identity::System).is_err());
//! # Ok::<(), kubecred::error::Error>(())
//! ```

use super::token_reply::{self, AccessToken, ReplyKind};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http::{Request, Route, send};
use crate::time::Timestamp;

/// The metadata service's address.
pub const IMDS_HOST: &str = "http://169.254.169.254";
/// The variable azure-identity and MSAL read to move it.
pub const HOST_VARIABLE: &str = "AZURE_POD_IDENTITY_AUTHORITY_HOST";

/// Which managed identity to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// The system-assigned identity (or the only user-assigned one).
    System,
    /// A user-assigned identity by client id.
    ClientId(String),
    /// A user-assigned identity by ARM resource id.
    ResourceId(String),
}

/// The endpoint URL with its query, keys sorted as Go's `url.Values.Encode` does.
pub fn endpoint(env: &Env, scope: &str, identity: &Identity) -> Result<String> {
    let base = match env.get(HOST_VARIABLE) {
        Some(host) => check_host(host)?,
        None => IMDS_HOST.to_string(),
    };
    // IMDS speaks resources (v1 tokens), not scopes.
    let resource = scope.strip_suffix("/.default").unwrap_or(scope);
    let mut query = vec![("api-version", "2018-02-01".to_string())];
    match identity {
        Identity::System => {}
        Identity::ClientId(id) => query.push(("client_id", id.clone())),
        Identity::ResourceId(id) => query.push(("msi_res_id", id.clone())),
    }
    query.push(("resource", resource.to_string()));
    Ok(format!("{base}/metadata/identity/oauth2/token?{}", crate::encoding::form(&query)))
}

/// `http://169.254.169.254[:port]` or `http(s)://LOOPBACK[:port]`, without a trailing slash.
fn check_host(host: &str) -> Result<String> {
    let bad = || {
        Error::usage(format!(
            "{HOST_VARIABLE}: {host:?} is neither the metadata address 169.254.169.254 nor a loopback host"
        ))
    };
    let trimmed = host.trim_end_matches('/');
    let (scheme, authority) = trimmed.split_once("://").ok_or_else(bad)?;
    let clean = !authority.is_empty()
        && authority.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'));
    let imds = authority == "169.254.169.254"
        || authority.strip_prefix("169.254.169.254:").is_some_and(|p| p.parse::<u16>().is_ok());
    match scheme {
        "http" | "https" if clean && (crate::http::is_loopback_host(authority) || (imds && scheme == "http")) => {
            Ok(trimmed.to_string())
        }
        _ => Err(bad()),
    }
}

/// Asks the metadata service for a token for `scope`.
pub fn token(env: &Env, scope: &str, identity: &Identity) -> Result<AccessToken> {
    let url = endpoint(env, scope, identity)?;
    let base = url.split_once('?').map_or(url.as_str(), |(b, _)| b).to_string();
    let request = Request::new("GET", &url).header("Metadata", "true").route(Route::Metadata);
    let reply = send(&request).map_err(|e| e.context("managed identity: instance metadata identity endpoint"))?;
    let source = format!("managed identity: instance metadata identity endpoint {base}");
    token_reply::parse(ReplyKind::Imds, reply.status, &reply.body, Timestamp::now(), &source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_it_may_move_to() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1/",
            "https://[::1]:9",
            "http://169.254.169.254",
            "http://169.254.169.254:80/",
        ] {
            assert!(check_host(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://169.254.169.254.evil.com",
            "http://127.0.0.1@evil.com",
            "http://127.0.0.1/x?y",
            "127.0.0.1",
            "https://169.254.169.254",
        ] {
            assert!(check_host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resource_id_goes_as_msi_res_id() {
        let id = Identity::ResourceId("/subscriptions/s/rg/x".into());
        let url = endpoint(&Env::default(), "6dae42f8-4368-4678-94ff-3960e28e3630/.default", &id).unwrap();
        assert!(
            url.ends_with("msi_res_id=%2Fsubscriptions%2Fs%2Frg%2Fx&resource=6dae42f8-4368-4678-94ff-3960e28e3630"),
            "{url}"
        );
    }
}
