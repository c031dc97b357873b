//! Running a kubeconfig user's exec credential plugin, as kubectl does: the
//! plugin gets `KUBERNETES_EXEC_INFO`, its `env` on top of ours, no terminal,
//! and answers with an ExecCredential on stdout.

use crate::child;
use crate::error::{Error, Result};
use crate::kube::exec_credential::ApiVersion;
use crate::kube::kubeconfig::Exec;
use std::process::{Command, Stdio};

/// What a plugin hands back.
pub enum PluginCredential {
    Token(String),
    ClientCertificate { cert_pem: Vec<u8>, key_pem: Vec<u8> },
}

/// Runs `exec` and reads its credential; `cluster` is `spec.cluster` of
/// `KUBERNETES_EXEC_INFO` when the kubeconfig asks for provideClusterInfo.
pub fn run(exec: &Exec, cluster: Option<&serde_json::Value>) -> Result<PluginCredential> {
    let what = format!("exec plugin {}", exec.command);
    // kubecred never gives a plugin a terminal; kubectl refuses `Always` without one too.
    if exec.interactive_mode.as_deref() == Some("Always") {
        return Err(Error::new(format!(
            "{what}: interactiveMode Always needs a terminal, and kubecred runs plugins without one"
        )));
    }
    // As client-go: the version is checked before anything runs (v1alpha1 went in 1.24).
    if ![ApiVersion::V1, ApiVersion::V1Beta1].iter().any(|v| v.as_str() == exec.api_version) {
        return Err(Error::new(format!(
            "{what}: invalid apiVersion {:?} (client.authentication.k8s.io/v1 or v1beta1)",
            exec.api_version
        )));
    }
    let mut info = serde_json::json!({
        "kind": "ExecCredential",
        "apiVersion": exec.api_version,
        "spec": {"interactive": false},
    });
    if let Some(cluster) = cluster {
        info["spec"]["cluster"] = cluster.clone();
    }
    let mut command = Command::new(&exec.command);
    command
        .args(&exec.args)
        .envs(exec.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("KUBERNETES_EXEC_INFO", info.to_string())
        .stdin(Stdio::null());
    let output = child::run(&mut command, child::Stderr::Capture, &what)?;
    if !output.status.success() {
        return Err(Error::new(output.describe_failure(&what, &output.stderr_first_line(200))));
    }
    parse_reply(&output.stdout, &exec.api_version, &what)
}

/// The credential in a plugin's ExecCredential reply, which must carry
/// `api_version` (`what` names the plugin in errors).
///
/// ```
/// use kubecred::kube::exec_plugin::{PluginCredential, parse_reply};
/// let reply = br#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"abc"}}"#;
/// let credential = parse_reply(reply, "client.authentication.k8s.io/v1", "exec plugin p").unwrap();
/// assert!(matches!(credential, PluginCredential::Token(token) if token == "abc"));
/// ```
pub fn parse_reply(stdout: &[u8], api_version: &str, what: &str) -> Result<PluginCredential> {
    let reply = crate::json::parse(stdout, &format!("{what}: its output"))?;
    if reply.get("apiVersion").and_then(serde_json::Value::as_str) != Some(api_version) {
        return Err(Error::new(format!("{what}: its ExecCredential has another apiVersion than {api_version}")));
    }
    let status = reply.get("status").ok_or_else(|| Error::new(format!("{what}: its ExecCredential has no status")))?;
    let text = |key: &str| status.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty());
    match (text("token"), text("clientCertificateData"), text("clientKeyData")) {
        (Some(token), _, _) => Ok(PluginCredential::Token(token.to_string())),
        (None, Some(cert), Some(key)) => Ok(PluginCredential::ClientCertificate {
            cert_pem: cert.as_bytes().to_vec(),
            key_pem: key.as_bytes().to_vec(),
        }),
        _ => {
            Err(Error::new(format!("{what}: its ExecCredential has neither a token nor a client certificate and key")))
        }
    }
}
