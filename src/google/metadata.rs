//! The GCE metadata server (Compute Engine, GKE workload identity, Cloud Run):
//! the default service account's token.

use super::{AccessToken, cached};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::time::Timestamp;

/// Where the metadata server answers on every Google Cloud machine.
pub const DEFAULT_HOST: &str = "169.254.169.254";

/// `GCE_METADATA_HOST` (host or host:port), else [`DEFAULT_HOST`].
///
/// ```
/// use kubecred::env::Env;
/// use kubecred::google::metadata::host;
/// assert_eq!(host(&Env::default()).unwrap(), "169.254.169.254");
/// assert_eq!(host(&Env::from_pairs(&[("GCE_METADATA_HOST", "127.0.0.1:8080")])).unwrap(), "127.0.0.1:8080");
/// assert!(host(&Env::from_pairs(&[("GCE_METADATA_HOST", "evil.example/x#")])).is_err());
/// ```
pub fn host(env: &Env) -> Result<String> {
    let Some(host) = env.get("GCE_METADATA_HOST").map(str::trim).filter(|h| !h.is_empty()) else {
        return Ok(DEFAULT_HOST.to_string());
    };
    let valid = host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if !valid {
        return Err(Error::new(format!("GCE_METADATA_HOST {host:?} is not a host or host:port")));
    }
    Ok(host.to_string())
}

/// The default service account's token, with `scopes`.
pub fn token(env: &Env, scopes: &[&str]) -> Result<AccessToken> {
    let host = host(env)?;
    let scope_list = scopes.join(",");
    cached("google-metadata", &[&host, &scope_list], || {
        let url = format!(
            "http://{host}/computeMetadata/v1/instance/service-accounts/default/token?scopes={}",
            crate::encoding::uri_encode(&scope_list, false)
        );
        let what = format!("GCE metadata server at {host}");
        let request = crate::http::Request::new("GET", url)
            .header("Metadata-Flavor", "Google")
            .route(crate::http::Route::Metadata);
        let response = crate::http::send(&request).map_err(|e| e.context(&what))?;
        if !response.is_success() {
            return Err(Error::new(super::token_reply::error_line(&what, response.status, &response.body, &[])));
        }
        super::token_reply::oauth(&response.body, Timestamp::now(), &what)
    })
}
