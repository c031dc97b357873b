//! Alibaba Cloud's V3 signature, ACS3-HMAC-SHA256.
//!
//! Its shape is SigV4's without the derived key: a canonical request over the
//! method, path, sorted query, the signed headers (every `x-acs-*`, `host` and
//! `content-type` the request carries) and the payload hash; the string to sign
//! is the algorithm name and the request's SHA-256; the signature is
//! HMAC-SHA256 with the AccessKey secret.

use crate::digest::{hmac_sha256, sha256_hex};
use crate::encoding::{hex, uri_encode};

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The request as the signer sees it.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    /// Every header the request carries; the signer picks the ones it signs.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body (also sent as `x-acs-content-sha256`).
    pub payload_hash: &'a str,
}

/// True for the headers the V3 algorithm signs.
fn is_signed(lower_name: &str) -> bool {
    lower_name.starts_with("x-acs-") || lower_name == "host" || lower_name == "content-type"
}

/// The canonical request, and the `;`-joined signed header names.
pub fn canonical_request(request: &SignedRequest) -> (String, String) {
    let mut query: Vec<(String, String)> =
        request.query.iter().map(|(k, v)| (uri_encode(k, false), uri_encode(v, false))).collect();
    query.sort();
    let query = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(n, _)| is_signed(n))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed = headers.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");
    let path = if request.path.is_empty() { "/" } else { request.path };
    let canonical =
        format!("{}\n{path}\n{query}\n{canonical_headers}\n{signed}\n{}", request.method, request.payload_hash);
    (canonical, signed)
}

/// The `Authorization` header value for `request`, signed with the given key.
pub fn authorization(request: &SignedRequest, access_key_id: &str, access_key_secret: &str) -> String {
    let (canonical, signed) = canonical_request(request);
    let string_to_sign = format!("{ALGORITHM}\n{}", sha256_hex(canonical.as_bytes()));
    let signature = hex(&hmac_sha256(access_key_secret.as_bytes(), string_to_sign.as_bytes()));
    format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed},Signature={signature}")
}
