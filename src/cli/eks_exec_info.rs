//! Which ExecCredential apiVersion `eks get-token` answers, decided from
//! `KUBERNETES_EXEC_INFO` the way the AWS CLI's `discover_api_version` does
//! (awscli/customizations/eks/get_token.py): v1 and v1beta1 are echoed;
//! v1alpha1 is echoed with a deprecation warning; anything else — malformed
//! JSON, an unknown version, no apiVersion — falls back to v1beta1 with a
//! warning, so an odd client still gets a token it most likely understands.
//! The warnings are the AWS CLI's own sentences.

use crate::kube::exec_credential::ApiVersion;
use serde_json::Value;

const ALPHA: &str = "client.authentication.k8s.io/v1alpha1";

/// The version to answer in, as written in the document, and what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The document's shape (v1alpha1 tokens have the v1beta1 fields).
    pub version: ApiVersion,
    /// The `apiVersion` string printed.
    pub label: &'static str,
    /// One line for stderr.
    pub warning: Option<String>,
}

impl Discovered {
    fn plain(version: ApiVersion) -> Discovered {
        Discovered { version, label: version.as_str(), warning: None }
    }

    fn fallback(warning: String) -> Discovered {
        Discovered { warning: Some(warning), ..Discovered::plain(ApiVersion::V1Beta1) }
    }
}

/// Decides from the raw value of `KUBERNETES_EXEC_INFO` (`None` when unset).
pub fn discover(raw: Option<&str>) -> Discovered {
    let beta = ApiVersion::V1Beta1.as_str();
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Discovered::plain(ApiVersion::V1Beta1);
    };
    let Ok(document) = crate::json::parse(raw.as_bytes(), "KUBERNETES_EXEC_INFO") else {
        return Discovered::fallback(format!(
            "Error parsing KUBERNETES_EXEC_INFO, defaulting to {beta}. This is likely a bug in your Kubernetes client. Please update your Kubernetes client."
        ));
    };
    match document.get("apiVersion").and_then(Value::as_str) {
        Some(text) if text == ApiVersion::V1.as_str() => Discovered::plain(ApiVersion::V1),
        Some(text) if text == beta => Discovered::plain(ApiVersion::V1Beta1),
        Some(ALPHA) => Discovered {
            version: ApiVersion::V1Beta1,
            label: ALPHA,
            warning: Some(format!(
                "Kubeconfig user entry is using deprecated API version {ALPHA}. Run 'aws eks update-kubeconfig' to update."
            )),
        },
        _ => Discovered::fallback(format!(
            "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to {beta}. This is likely due to an outdated AWS CLI. Please update your AWS CLI."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_the_aws_cli_discovers_them() {
        assert_eq!(discover(None), Discovered::plain(ApiVersion::V1Beta1));
        assert_eq!(discover(Some("")), Discovered::plain(ApiVersion::V1Beta1));
        let v1 =
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
        assert_eq!(discover(Some(v1)), Discovered::plain(ApiVersion::V1));
        let alpha = discover(Some(r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#));
        assert_eq!(alpha.label, ALPHA);
        assert!(alpha.warning.unwrap().starts_with("Kubeconfig user entry is using deprecated API version"));
        for odd in ["{", "[1]", "{}", r#"{"apiVersion":"client.authentication.k8s.io/v2"}"#, r#"{"apiVersion":7}"#] {
            let d = discover(Some(odd));
            assert_eq!((d.version, d.label), (ApiVersion::V1Beta1, ApiVersion::V1Beta1.as_str()), "{odd}");
            let warning = d.warning.unwrap();
            assert!(warning.contains("defaulting to client.authentication.k8s.io/v1beta1"), "{odd}");
            assert!(!warning.contains('\n'));
        }
        assert!(discover(Some("{")).warning.unwrap().starts_with("Error parsing KUBERNETES_EXEC_INFO"));
    }
}
