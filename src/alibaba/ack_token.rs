//! The ACK bearer token (`k8s-ack-v2.`): a V3-signed STS GetCallerIdentity
//! request, written down rather than sent. The cluster's authenticator replays
//! it to STS, so every header the signature covers travels in the token.

use crate::alibaba::credentials::Credentials;
use crate::alibaba::v3::{SignedRequest, authorization};
use crate::digest::sha256_hex;
use crate::time::Timestamp;
use base64::Engine;
use serde_json::{Map, Value, json};

pub const TOKEN_PREFIX: &str = "k8s-ack-v2.";

/// The token is good for 15 minutes; ack-ram-tool tells kubectl 10, to renew in time.
pub const TOKEN_LIFETIME_SECONDS: i64 = 10 * 60;

/// The user agent carried in the token (not signed; ack-ram-tool puts its own there).
pub const USER_AGENT: &str = concat!("kubecred/", env!("CARGO_PKG_VERSION"));

/// Builds the token for `cluster_id` with `credentials` at `now`.
pub fn ack_token(credentials: &Credentials, cluster_id: &str, now: Timestamp) -> String {
    let query = vec![("ACKClusterId".to_string(), cluster_id.to_string())];
    let mut headers = vec![
        ("x-acs-version".to_string(), "2015-04-01".to_string()),
        ("x-acs-action".to_string(), "GetCallerIdentity".to_string()),
        ("x-acs-date".to_string(), now.to_rfc3339()),
        ("x-acs-content-sha256".to_string(), sha256_hex(b"")),
    ];
    if let Some(token) = &credentials.security_token {
        headers.push(("x-acs-security-token".to_string(), token.expose().to_string()));
    }
    let payload_hash = sha256_hex(b"");
    let request =
        SignedRequest { method: "POST", path: "/", query: &query, headers: &headers, payload_hash: &payload_hash };
    let auth = authorization(&request, &credentials.access_key_id, credentials.access_key_secret.expose());
    headers.push(("Authorization".to_string(), auth));
    headers.push(("user-agent".to_string(), USER_AGENT.to_string()));
    // Go marshals maps with their keys sorted; the authenticator does not care,
    // but matching ack-ram-tool byte for byte makes the two tools' tokens comparable.
    headers.sort();
    let headers: Map<String, Value> = headers.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    let document = json!({
        "clusterId": cluster_id,
        "method": "POST",
        "path": "/",
        "query": {"ACKClusterId": cluster_id},
        "headers": Value::Object(headers),
    });
    format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(document.to_string()))
}

/// The expiry kubectl is told: 10 minutes from `now`, never after the credentials expire.
pub fn token_expiration(credentials: &Credentials, now: Timestamp) -> Timestamp {
    let by_lifetime = now.plus_seconds(TOKEN_LIFETIME_SECONDS);
    credentials.expiration.map_or(by_lifetime, |expiry| expiry.min(by_lifetime))
}
