//! Alibaba Cloud's ROA signature (HMAC-SHA1), which the Container Service API uses.
//!
//! String to sign: the method, `Accept`, `Content-MD5`, `Content-Type` and `Date`
//! lines, then every `x-acs-*` header as `name:value` lines (lower-cased, sorted),
//! then the resource: the path and the query sorted by name, values as they are.
//! `Authorization: acs AccessKeyId:base64(HMAC-SHA1(secret, string))`.

use crate::alibaba::credentials::Credentials;
use crate::digest::hmac_sha1;
use crate::time::Timestamp;
use base64::Engine;

/// The request as the signer sees it.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Decoded query pairs.
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_str())
}

/// The string the signature covers.
pub fn string_to_sign(request: &SignedRequest) -> String {
    let mut out = String::new();
    out.push_str(request.method);
    for name in ["Accept", "Content-MD5", "Content-Type", "Date"] {
        out.push('\n');
        out.push_str(header(request.headers, name));
    }
    out.push('\n');
    let mut acs: Vec<(String, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.as_str()))
        .filter(|(n, _)| n.starts_with("x-acs-"))
        .collect();
    acs.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in acs {
        out.push_str(&name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push_str(request.path);
    let mut query: Vec<&(String, String)> = request.query.iter().collect();
    query.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (name, value)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// `base64(HMAC-SHA1(secret, string_to_sign))`
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// The headers of a signed ROA request for API `version`: `Date`, `Accept`, the
/// signature parameters, the security token for STS credentials, and `Authorization`.
pub fn signed_headers(
    credentials: &Credentials,
    method: &str,
    path: &str,
    query: &[(String, String)],
    version: &str,
    now: Timestamp,
    nonce: &str,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Accept".to_string(), "application/json".to_string()),
        ("Date".to_string(), now.to_http_date()),
        ("x-acs-signature-method".to_string(), "HMAC-SHA1".to_string()),
        ("x-acs-signature-version".to_string(), "1.0".to_string()),
        ("x-acs-signature-nonce".to_string(), nonce.to_string()),
        ("x-acs-version".to_string(), version.to_string()),
    ];
    if let Some(token) = &credentials.security_token {
        headers.push(("x-acs-security-token".to_string(), token.expose().to_string()));
    }
    let request = SignedRequest { method, path, query, headers: &headers };
    let signature = signature(credentials.access_key_secret.expose(), &string_to_sign(&request));
    headers.push(("Authorization".to_string(), format!("acs {}:{signature}", credentials.access_key_id)));
    headers
}
