//! The credential providers of the AWS chain, one file per kind, and what they
//! share: the context they read, the cache wrapper, and reading credentials
//! out of the JSON documents that metadata services and tools hand out.

pub mod assume_role_profile;
pub mod awscli_cache;
pub mod container;
pub mod environment;
pub mod imds;
pub mod process;
pub mod sso;
pub mod sso_refresh;
pub mod static_profile;
pub mod web_identity;

use crate::aws::credentials::Credentials;
use crate::aws::profile::AwsConfig;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde_json::{Map, Value};

/// What every provider may read.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub env: &'a Env,
    pub config: &'a AwsConfig,
    /// The region STS calls go to.
    pub region: &'a str,
    /// `--profile` was given: providers that read credentials from environment
    /// variables stand aside, as in botocore.
    pub explicit_profile: bool,
}

pub use crate::cache::cached_credentials;

impl crate::cache::CachedCredentials for Credentials {
    fn to_payload(&self) -> Value {
        to_payload(self)
    }

    fn from_payload(payload: &Value, source: &'static str) -> Option<Credentials> {
        from_payload(payload, source)
    }

    fn expiration(&self) -> Option<Timestamp> {
        self.expiration
    }
}

/// Credentials as a cache payload (the same field names as the AWS JSON documents).
pub fn to_payload(credentials: &Credentials) -> Value {
    let mut map = Map::new();
    map.insert("AccessKeyId".into(), credentials.access_key_id.clone().into());
    map.insert("SecretAccessKey".into(), credentials.secret_access_key.expose().into());
    if let Some(token) = &credentials.session_token {
        map.insert("SessionToken".into(), token.expose().into());
    }
    if let Some(expiration) = credentials.expiration {
        map.insert("Expiration".into(), expiration.to_rfc3339().into());
    }
    Value::Object(map)
}

/// The inverse of [`to_payload`].
pub fn from_payload(payload: &Value, source: &'static str) -> Option<Credentials> {
    let text = |name: &str| payload.get(name).and_then(Value::as_str).map(str::to_string);
    Some(Credentials {
        access_key_id: text("AccessKeyId")?,
        secret_access_key: text("SecretAccessKey")?.into(),
        session_token: text("SessionToken").map(crate::secret::Secret::from),
        expiration: match text("Expiration") {
            Some(t) => Some(Timestamp::parse_rfc3339(&t).ok()?),
            None => None,
        },
        source,
    })
}

/// Reads `{AccessKeyId, SecretAccessKey, <token_field>, Expiration}` from a JSON
/// document served by a metadata service or printed by a tool. `what` names the
/// document for errors, which name missing fields, never values.
pub fn credentials_from_json(
    document: &Value,
    token_field: &str,
    expiration_required: bool,
    what: &str,
    source: &'static str,
) -> Result<Credentials> {
    let field = |name: &str| -> Result<Option<String>> {
        match document.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::new(format!("{what}: {name} is not a string"))),
        }
    };
    let required = |name: &str| field(name)?.ok_or_else(|| Error::new(format!("{what}: no {name} in the reply")));
    if !document.is_object() {
        return Err(Error::new(format!("{what}: expected a JSON object")));
    }
    let expiration = match field("Expiration")? {
        Some(text) => Some(Timestamp::parse_rfc3339(&text).map_err(|e| e.context(format!("{what}: Expiration")))?),
        None if expiration_required => return Err(Error::new(format!("{what}: no Expiration in the reply"))),
        None => None,
    };
    Ok(Credentials {
        access_key_id: required("AccessKeyId")?,
        secret_access_key: required("SecretAccessKey")?.into(),
        session_token: field(token_field)?.map(crate::secret::Secret::from),
        expiration,
        source,
    })
}

/// Fails when `credentials` have already expired.
pub fn ensure_unexpired(credentials: Credentials, what: &str) -> Result<Credentials> {
    match credentials.expiration {
        Some(at) if at <= Timestamp::now() => {
            Err(Error::new(format!("{what}: the credentials expired at {}", at.to_rfc3339())))
        }
        _ => Ok(credentials),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trip() {
        let c = Credentials {
            access_key_id: "AKID".into(),
            secret_access_key: "S".into(),
            session_token: Some("T".into()),
            expiration: Some(Timestamp(1_800_000_000)),
            source: "x",
        };
        assert_eq!(from_payload(&to_payload(&c), "x"), Some(c));
        assert_eq!(from_payload(&serde_json::json!({"AccessKeyId": "A"}), "x"), None);
    }

    #[test]
    fn json_documents() {
        let doc = serde_json::json!({"AccessKeyId": "A", "SecretAccessKey": "SECRET", "Token": "T", "Expiration": "2030-01-01T00:00:00Z"});
        let c = credentials_from_json(&doc, "Token", true, "doc", "x").unwrap();
        assert_eq!(c.session_token.as_ref().map(crate::secret::Secret::expose), Some("T"));
        let doc = serde_json::json!({"AccessKeyId": "A", "SecretAccessKey": 5});
        let e = credentials_from_json(&doc, "Token", false, "doc", "x").unwrap_err();
        assert_eq!(e.message(), "doc: SecretAccessKey is not a string");
        let doc = serde_json::json!({"SecretAccessKey": "SECRET"});
        let e = credentials_from_json(&doc, "Token", false, "doc", "x").unwrap_err();
        assert_eq!(e.message(), "doc: no AccessKeyId in the reply");
        assert!(credentials_from_json(&serde_json::json!([1]), "Token", false, "doc", "x").is_err());
    }
}
