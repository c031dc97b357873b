//! The sources of the Alibaba Cloud credential chain, one file each, and what
//! they share: the cache wrapper and the credentials JSON every service speaks
//! (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`).

pub mod credentials_uri;
pub mod ecs_metadata;
pub mod env;
pub mod oidc;

use crate::alibaba::credentials::Credentials;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::time::Timestamp;
use serde_json::{Value, json};

/// Credentials through the on-disk cache (see [`crate::cache::cached_credentials`]).
pub use crate::cache::cached_credentials as cached;

impl crate::cache::CachedCredentials for Credentials {
    fn to_payload(&self) -> Value {
        to_json(self)
    }

    fn from_payload(payload: &Value, source: &'static str) -> Option<Credentials> {
        from_json(payload, source)
    }

    fn expiration(&self) -> Option<Timestamp> {
        self.expiration
    }
}

/// The cache payload for `credentials`.
pub fn to_json(credentials: &Credentials) -> Value {
    json!({
        "AccessKeyId": credentials.access_key_id,
        "AccessKeySecret": credentials.access_key_secret.expose(),
        "SecurityToken": credentials.security_token.as_ref().map(Secret::expose),
        "Expiration": credentials.expiration.map(Timestamp::to_rfc3339),
    })
}

/// Credentials from a cache payload written by [`to_json`].
pub fn from_json(value: &Value, source: &'static str) -> Option<Credentials> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    Some(Credentials {
        access_key_id: text("AccessKeyId")?,
        access_key_secret: text("AccessKeySecret")?.into(),
        security_token: text("SecurityToken").map(Secret::from),
        expiration: match text("Expiration") {
            Some(when) => Some(Timestamp::parse_rfc3339(&when).ok()?),
            None => None,
        },
        source,
    })
}

/// Reads the credentials object a service returned (STS's `Credentials`, the
/// metadata service's and a credentials URI's whole reply). `what` names the
/// service for errors; `require_expiration` is true for everything from STS.
pub fn parse_credentials(
    object: &Value,
    what: &str,
    source: &'static str,
    require_expiration: bool,
) -> Result<Credentials> {
    let field = |key: &str| object.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let missing = |key: &str| Error::new(format!("{what}: reply has no {key}"));
    let expiration = match field("Expiration") {
        Some(text) => Some(
            Timestamp::parse_rfc3339(text)
                .map_err(|_| Error::new(format!("{what}: reply has an unreadable Expiration {text:?}")))?,
        ),
        None if require_expiration => return Err(missing("Expiration")),
        None => None,
    };
    let credentials = Credentials {
        access_key_id: field("AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?.to_string(),
        access_key_secret: field("AccessKeySecret").ok_or_else(|| missing("AccessKeySecret"))?.into(),
        security_token: field("SecurityToken").map(Secret::from),
        expiration,
        source,
    };
    ensure_unexpired(credentials, what)
}

/// Refuses credentials whose expiry has passed (a stale cache, a clock far off, a broken server).
pub fn ensure_unexpired(credentials: Credentials, what: &str) -> Result<Credentials> {
    match credentials.expiration {
        Some(when) if when <= Timestamp::now() => Err(Error::new(format!(
            "{what}: the credentials returned expired at {} (check the clock and the source)",
            when.to_rfc3339()
        ))),
        _ => Ok(credentials),
    }
}

/// A short digest of a secret, for cache keys that must change when it does
/// without holding it.
pub fn fingerprint(secret: &str) -> String {
    // ok: the hex of a SHA-256 digest has 64 ASCII characters.
    crate::digest::sha256_hex(secret.as_bytes())[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        let creds = Credentials {
            access_key_id: "STS.a".into(),
            access_key_secret: "s".into(),
            security_token: Some("t".into()),
            expiration: Some(Timestamp(4_000_000_000)),
            source: "x",
        };
        assert_eq!(from_json(&to_json(&creds), "x"), Some(creds.clone()));
        let long_term = Credentials { security_token: None, expiration: None, ..creds };
        assert_eq!(from_json(&to_json(&long_term), "x"), Some(long_term));
        assert_eq!(from_json(&json!({"AccessKeyId": "a"}), "x"), None);
    }

    #[test]
    fn parse_checks_fields_and_expiry() {
        let good = json!({"AccessKeyId": "a", "AccessKeySecret": "b", "SecurityToken": "c",
                          "Expiration": "2096-01-01T00:00:00Z"});
        assert!(parse_credentials(&good, "STS", "sts", true).is_ok());
        let old = json!({"AccessKeyId": "a", "AccessKeySecret": "b", "Expiration": "2001-01-01T00:00:00Z"});
        let err = parse_credentials(&old, "STS", "sts", true).unwrap_err();
        assert!(err.message().contains("expired at 2001-01-01T00:00:00Z"), "{err}");
        let no_exp = json!({"AccessKeyId": "a", "AccessKeySecret": "b"});
        assert!(parse_credentials(&no_exp, "STS", "sts", true).unwrap_err().message().contains("no Expiration"));
        assert!(parse_credentials(&no_exp, "URI", "uri", false).is_ok());
    }
}
