//! AWS Signature Version 4: header signing for API calls, query presigning for
//! the EKS token.
//!
//! The steps follow the published algorithm: canonical request, string to sign
//! over its SHA-256, a signing key derived per day/region/service, HMAC-SHA256.

use crate::aws::credentials::Credentials;
use crate::digest::{hmac_sha256, sha256_hex};
use crate::encoding::{hex, parse_query, uri_encode};
use crate::time::Timestamp;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Who signs, for which region and service, at what time.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    pub service: &'a str,
    pub time: Timestamp,
}

impl Scope<'_> {
    fn credential_scope(&self) -> String {
        format!("{}/{}/{}/aws4_request", self.time.to_amz_day(), self.region, self.service)
    }

    fn signing_key(&self) -> [u8; 32] {
        let secret = format!("AWS4{}", self.credentials.secret_access_key.expose());
        let k_date = hmac_sha256(secret.as_bytes(), self.time.to_amz_day().as_bytes());
        let k_region = hmac_sha256(&k_date, self.region.as_bytes());
        let k_service = hmac_sha256(&k_region, self.service.as_bytes());
        hmac_sha256(&k_service, b"aws4_request")
    }

    fn sign(&self, canonical_request: &str) -> String {
        let string_to_sign = format!(
            "{ALGORITHM}\n{}\n{}\n{}",
            self.time.to_amz_date(),
            self.credential_scope(),
            sha256_hex(canonical_request.as_bytes())
        );
        hex(&hmac_sha256(&self.signing_key(), string_to_sign.as_bytes()))
    }
}

/// The parts of a URL that signing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// `https://host[:port]`
    pub origin: String,
    /// The `Host` header value: host, with the port when it is not the scheme's default.
    pub host: String,
    /// The path as written in the URL (already percent-encoded), `/` when empty.
    pub path: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
}

impl UrlParts {
    /// Splits an absolute `http(s)://` URL.
    pub fn parse(url: &str) -> Option<UrlParts> {
        let (scheme, rest) = url.split_once("://")?;
        let default_port = match scheme.to_ascii_lowercase().as_str() {
            "https" => "443",
            "http" => "80",
            _ => return None,
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = match before_query.find('/') {
            Some(i) => (&before_query[..i], &before_query[i..]),
            None => (before_query, "/"),
        };
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let host = match authority.rsplit_once(':') {
            Some((h, port)) if port == default_port => h,
            _ => authority,
        };
        Some(UrlParts {
            origin: format!("{scheme}://{authority}"),
            host: host.to_ascii_lowercase(),
            path: path.to_string(),
            query: parse_query(query),
        })
    }
}

/// Canonical query string: names and values encoded, sorted by name then value.
fn canonical_query(query: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        query.iter().map(|(n, v)| (uri_encode(n, false), uri_encode(v, false))).collect();
    encoded.sort();
    encoded.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&")
}

/// Canonical URI: the path normalized (RFC 3986 dot segments removed, empty
/// segments collapsed), then its segments encoded once more (every service but S3).
fn canonical_path(path: &str) -> String {
    uri_encode(&normalize_path(path), true)
}

/// `/a/./b/../c//` becomes `/a/c/`; a trailing slash stays.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = segments.last().is_some() && (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/.."));
    let mut out = String::with_capacity(path.len() + 1);
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if trailing || out.is_empty() {
        out.push('/');
    }
    out
}

/// Canonical headers (lower-case names, trimmed values with inner runs of spaces
/// folded, sorted) and the signed-headers list.
fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut lowered: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect();
    lowered.sort_by(|a, b| a.0.cmp(&b.0));
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in lowered {
        match merged.last_mut() {
            Some((last, values)) if *last == name => {
                values.push(',');
                values.push_str(&value);
            }
            _ => merged.push((name, value)),
        }
    }
    let canonical = merged.iter().map(|(n, v)| format!("{n}:{v}\n")).collect::<String>();
    let signed = merged.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");
    (canonical, signed)
}

/// Signs an API request in place: adds `X-Amz-Date`, `X-Amz-Security-Token`
/// (for temporary credentials) and `Authorization`. `headers` must not hold
/// `Host`; it is taken from `url` and signed.
pub fn sign_request(scope: &Scope, method: &str, url: &str, headers: &mut Vec<(String, String)>, body: &[u8]) {
    let parts = UrlParts::parse(url).unwrap_or(UrlParts {
        origin: String::new(),
        host: String::new(),
        path: "/".into(),
        query: Vec::new(),
    });
    headers.push(("X-Amz-Date".into(), scope.time.to_amz_date()));
    if let Some(token) = &scope.credentials.session_token {
        headers.push(("X-Amz-Security-Token".into(), token.expose().to_string()));
    }
    let mut to_sign = headers.clone();
    to_sign.push(("host".into(), parts.host.clone()));
    let (canonical, signed) = canonical_headers(&to_sign);
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical}\n{signed}\n{}",
        canonical_path(&parts.path),
        canonical_query(&parts.query),
        sha256_hex(body)
    );
    let signature = scope.sign(&canonical_request);
    headers.push((
        "Authorization".into(),
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={signed}, Signature={signature}",
            scope.credentials.access_key_id,
            scope.credential_scope()
        ),
    ));
}

/// Presigns `method url` in the query string, signing `host` plus `extra_headers`
/// (which the eventual sender must send), valid for `expires_seconds`. Returns
/// the full URL with the `X-Amz-*` parameters added.
pub fn presign_url(
    scope: &Scope,
    method: &str,
    url: &str,
    extra_headers: &[(&str, &str)],
    expires_seconds: u64,
) -> String {
    let Some(parts) = UrlParts::parse(url) else {
        return url.to_string();
    };
    let mut to_sign: Vec<(String, String)> =
        extra_headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    to_sign.push(("host".into(), parts.host.clone()));
    let (canonical, signed) = canonical_headers(&to_sign);
    let mut query = parts.query.clone();
    query.push(("X-Amz-Algorithm".into(), ALGORITHM.into()));
    query
        .push(("X-Amz-Credential".into(), format!("{}/{}", scope.credentials.access_key_id, scope.credential_scope())));
    query.push(("X-Amz-Date".into(), scope.time.to_amz_date()));
    query.push(("X-Amz-Expires".into(), expires_seconds.to_string()));
    query.push(("X-Amz-SignedHeaders".into(), signed.clone()));
    if let Some(token) = &scope.credentials.session_token {
        query.push(("X-Amz-Security-Token".into(), token.expose().to_string()));
    }
    // A presigned GET has an empty body, and (outside S3) its hash is signed like any other.
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical}\n{signed}\n{}",
        canonical_path(&parts.path),
        canonical_query(&query),
        sha256_hex(b"")
    );
    let signature = scope.sign(&canonical_request);
    query.push(("X-Amz-Signature".into(), signature));
    let path = if parts.path.is_empty() { "/" } else { parts.path.as_str() };
    let encoded: Vec<String> =
        query.iter().map(|(n, v)| format!("{}={}", uri_encode(n, false), uri_encode(v, false))).collect();
    format!("{}{}?{}", parts.origin, path, encoded.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_credentials() -> Credentials {
        // The AWS documentation's example key pair.
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            expiration: None,
            source: "test",
        }
    }

    // aws-sig-v4-test-suite "get-vanilla" (Apache-2.0, see tests/data/sigv4/NOTICE).
    #[test]
    fn get_vanilla() {
        let creds = example_credentials();
        let scope =
            Scope { credentials: &creds, region: "us-east-1", service: "service", time: Timestamp(1_440_938_160) };
        let mut headers = Vec::new();
        sign_request(&scope, "GET", "https://example.amazonaws.com/", &mut headers, b"");
        let auth = headers.iter().find(|(n, _)| n == "Authorization").map(|(_, v)| v.as_str());
        assert_eq!(
            auth,
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
    }

    #[test]
    fn url_parts() {
        let p = UrlParts::parse("https://sts.amazonaws.com:443/?Action=GetCallerIdentity&Version=2011-06-15").unwrap();
        assert_eq!(p.host, "sts.amazonaws.com");
        assert_eq!(p.path, "/");
        assert_eq!(p.query.len(), 2);
        let p = UrlParts::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(p.host, "127.0.0.1:8080");
        assert_eq!(p.path, "/");
        assert!(UrlParts::parse("ftp://x/").is_none());
    }
}
