//! The Alibaba Cloud RPC signature (signature version 1.0, HMAC-SHA1), as STS
//! `AssumeRole` and the other RPC-style APIs take it.
//!
//! The parameters (query and form body together, without `Signature`) are
//! percent-encoded (RFC 3986), sorted by name and joined as a query string; the
//! string to sign is `METHOD&%2F&` + the percent-encoding of that query; the
//! signature is base64(HMAC-SHA1(secret + "&", string to sign)).
//!
//! ```
//! use kubecred::alibaba::rpc;
//! let params = vec![("b".to_string(), "x y".to_string()), ("a".to_string(), "1".to_string())];
//! assert_eq!(rpc::string_to_sign("GET", &params), "GET&%2F&a%3D1%26b%3Dx%2520y");
//! ```

use crate::alibaba::credentials::Credentials;
use crate::encoding::uri_encode;
use crate::time::Timestamp;
use base64::Engine;

/// The API parameters of one RPC call, before the common ones are added.
pub type Params = Vec<(String, String)>;

/// `name=value` pairs, percent-encoded and sorted by name (then value).
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().map(|(name, value)| (uri_encode(name, false), uri_encode(value, false))).collect();
    encoded.sort();
    encoded.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

/// `METHOD&%2F&` + the percent-encoded canonical query.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    format!("{method}&%2F&{}", uri_encode(&canonical_query(params), false))
}

/// base64(HMAC-SHA1(`secret&`, `string_to_sign`)).
pub fn signature(string_to_sign: &str, access_key_secret: &str) -> String {
    let key = format!("{access_key_secret}&");
    base64::engine::general_purpose::STANDARD
        .encode(crate::digest::hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()))
}

/// Adds the common parameters (`Format=JSON`, `AccessKeyId`, `SignatureMethod`,
/// `SignatureVersion`, `SignatureNonce`, `Timestamp`, `SecurityToken` when the
/// credentials have one) to `params`, then `Signature`, for an HTTP `method` call.
pub fn sign(method: &str, mut params: Params, credentials: &Credentials, now: Timestamp, nonce: &str) -> Params {
    params.retain(|(name, _)| name != "Signature");
    let common = [
        ("Format", "JSON"),
        ("AccessKeyId", credentials.access_key_id.as_str()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
    ];
    params.extend(common.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    params.push(("Timestamp".to_string(), now.to_rfc3339()));
    if let Some(token) = &credentials.security_token {
        params.push(("SecurityToken".to_string(), token.expose().to_string()));
    }
    let signature = signature(&string_to_sign(method, &params), credentials.access_key_secret.expose());
    params.push(("Signature".to_string(), signature));
    params
}

/// A fresh random nonce (32 hex digits), for `SignatureNonce`.
pub fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).is_err() {
        // No system randomness: the nonce only has to be unique, so time and
        // process id (hashed) serve.
        let seed = format!("{:?}-{}", std::time::SystemTime::now(), std::process::id());
        // ok: a SHA-256 digest has 32 bytes.
        bytes.copy_from_slice(&crate::digest::sha256(seed.as_bytes())[..16]);
    }
    crate::encoding::hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn canonical_query_sorts_and_encodes() {
        assert_eq!(canonical_query(&p(&[("b", "*~ +/"), ("A", "é")])), "A=%C3%A9&b=%2A~%20%2B%2F");
    }

    #[test]
    fn sign_adds_common_parameters_once() {
        let creds = Credentials {
            access_key_id: "AK".into(),
            access_key_secret: "SK".into(),
            security_token: Some("TOKEN".into()),
            expiration: None,
            source: "test",
        };
        let signed = sign("POST", p(&[("Action", "AssumeRole"), ("Signature", "old")]), &creds, Timestamp(0), "n");
        let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.iter().filter(|n| **n == "Signature").count(), 1);
        assert!(names.contains(&"SecurityToken") && names.contains(&"Timestamp"));
        assert_eq!(
            signed.iter().find(|(n, _)| n == "Timestamp").map(|(_, v)| v.as_str()),
            Some("1970-01-01T00:00:00Z")
        );
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(new_nonce(), new_nonce());
        assert_eq!(new_nonce().len(), 32);
    }
}
