//! The `client.authentication.k8s.io` ExecCredential: what kubectl sends an exec
//! plugin in `KUBERNETES_EXEC_INFO`, and what the plugin prints on stdout.

use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde_json::{Map, Value, json};

/// The ExecCredential API versions kubectl speaks today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    V1Beta1,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "client.authentication.k8s.io/v1",
            ApiVersion::V1Beta1 => "client.authentication.k8s.io/v1beta1",
        }
    }

    /// Accepts the full group/version or just `v1` / `v1beta1` (as `--api-version` does).
    pub fn parse(text: &str) -> Result<ApiVersion> {
        match text {
            "client.authentication.k8s.io/v1" | "v1" => Ok(ApiVersion::V1),
            "client.authentication.k8s.io/v1beta1" | "v1beta1" => Ok(ApiVersion::V1Beta1),
            other => Err(Error::new(format!(
                "unsupported ExecCredential apiVersion {other:?}: kubecred speaks client.authentication.k8s.io/v1 and v1beta1"
            ))),
        }
    }

    /// The version kubectl asked for in `KUBERNETES_EXEC_INFO`, if it set it.
    pub fn from_env() -> Result<Option<ApiVersion>> {
        match std::env::var_os("KUBERNETES_EXEC_INFO") {
            None => Ok(None),
            Some(raw) => {
                let raw = raw.to_str().ok_or_else(|| Error::new("KUBERNETES_EXEC_INFO is not valid UTF-8"))?;
                if raw.trim().is_empty() {
                    return Ok(None);
                }
                parse_exec_info(raw).map(Some)
            }
        }
    }
}

/// Reads the apiVersion out of a `KUBERNETES_EXEC_INFO` document.
pub fn parse_exec_info(raw: &str) -> Result<ApiVersion> {
    let value = crate::json::parse(raw.as_bytes(), "KUBERNETES_EXEC_INFO")?;
    let version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("KUBERNETES_EXEC_INFO: no apiVersion string"))?;
    ApiVersion::parse(version).map_err(|e| e.context("KUBERNETES_EXEC_INFO"))
}

/// What a plugin hands back: a bearer token or a client certificate, with an expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecCredential {
    pub api_version: ApiVersion,
    /// `spec` as the anchor tool prints it: `None` prints `{}`, `Some(b)` prints `{"interactive": b}`.
    pub spec_interactive: Option<bool>,
    pub expiration: Option<Timestamp>,
    pub token: Option<String>,
    pub client_certificate_data: Option<String>,
    pub client_key_data: Option<String>,
}

impl ExecCredential {
    /// A bearer-token credential.
    pub fn token(api_version: ApiVersion, token: String, expiration: Timestamp) -> ExecCredential {
        ExecCredential {
            api_version,
            spec_interactive: None,
            expiration: Some(expiration),
            token: Some(token),
            client_certificate_data: None,
            client_key_data: None,
        }
    }

    /// The JSON document, keys in the order kubectl's own types (and the anchors) print them.
    pub fn to_value(&self) -> Value {
        let spec = match self.spec_interactive {
            None => json!({}),
            Some(interactive) => json!({ "interactive": interactive }),
        };
        let mut status = Map::new();
        if let Some(expiration) = self.expiration {
            status.insert("expirationTimestamp".into(), Value::String(expiration.to_rfc3339()));
        }
        for (key, field) in [
            ("token", &self.token),
            ("clientCertificateData", &self.client_certificate_data),
            ("clientKeyData", &self.client_key_data),
        ] {
            if let Some(v) = field {
                status.insert(key.into(), Value::String(v.clone()));
            }
        }
        json!({
            "kind": "ExecCredential",
            "apiVersion": self.api_version.as_str(),
            "spec": spec,
            "status": Value::Object(status),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_info_versions() {
        let v1 =
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
        assert_eq!(parse_exec_info(v1).unwrap(), ApiVersion::V1);
        let beta = r#"{"apiVersion":"client.authentication.k8s.io/v1beta1","spec":{}}"#;
        assert_eq!(parse_exec_info(beta).unwrap(), ApiVersion::V1Beta1);
        let alpha = r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#;
        assert!(parse_exec_info(alpha).unwrap_err().message().contains("v1alpha1"));
        assert!(parse_exec_info("{").is_err());
        assert!(parse_exec_info("{}").is_err());
    }

    #[test]
    fn token_document_key_order() {
        let cred = ExecCredential::token(ApiVersion::V1Beta1, "k8s-aws-v1.abc".into(), Timestamp(1_440_938_160));
        assert_eq!(
            crate::json::to_string(&cred.to_value(), 0),
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2015-08-30T12:36:00Z","token":"k8s-aws-v1.abc"}}"#
        );
    }
}
