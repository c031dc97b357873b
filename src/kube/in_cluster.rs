//! The Pod's own ServiceAccount, as client-go's in-cluster config reads it,
//! and when kubectl uses it: only when the kubeconfig (with the overrides)
//! says nothing beyond the defaults, and the Pod's variables and token are there.

use crate::env::Env;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Where the in-cluster ServiceAccount's files are mounted.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

fn file(name: &str) -> PathBuf {
    Path::new(SERVICE_ACCOUNT_DIR).join(name)
}

/// client-go's `Possible()`: both variables set and the token file a file.
pub fn possible(env: &Env) -> bool {
    env.get("KUBERNETES_SERVICE_HOST").is_some()
        && env.get("KUBERNETES_SERVICE_PORT").is_some()
        && std::fs::metadata(file("token")).is_ok_and(|m| !m.is_dir())
}

/// What the Pod's files say: server, token, CA (when it holds certificates).
pub struct InCluster {
    pub server: String,
    pub token: String,
    pub ca_pem: Option<Vec<u8>>,
}

pub fn read(env: &Env) -> Result<InCluster> {
    let (Some(host), Some(port)) = (env.get("KUBERNETES_SERVICE_HOST"), env.get("KUBERNETES_SERVICE_PORT")) else {
        return Err(Error::new("not in a Pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not both set"));
    };
    let token = crate::files::read_token_file(&file("token"), 1 << 20, "in-cluster ServiceAccount token")?;
    // As client-go: a CA file that does not load is skipped, not fatal.
    let ca_pem = crate::files::read_bounded(&file("ca.crt"), 1 << 20)
        .ok()
        .filter(|pem| String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----"));
    let host = if host.contains(':') { format!("[{host}]") } else { host.to_string() };
    Ok(InCluster { server: format!("https://{host}:{port}"), token, ca_pem })
}

/// The namespace a Pod works in: `POD_NAMESPACE`, else the ServiceAccount's, else `default`.
pub fn namespace(env: &Env) -> String {
    if let Some(namespace) = env.get("POD_NAMESPACE") {
        return namespace.to_string();
    }
    // A namespace name is at most 63 characters; anything longer there is ignored.
    crate::files::read_bounded(&file("namespace"), 1024)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string())
}
