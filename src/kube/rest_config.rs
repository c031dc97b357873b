//! What a request to the cluster needs, built from the resolved kubeconfig as
//! client-go builds its rest.Config: user credentials and TLS settings only for
//! an https server (kubectl sends no credentials over plain http), every
//! credential the user has (a token and a client certificate are both
//! presented), a tokenFile read in preference to an inline token, the exec
//! plugin only when nothing else identifies the user.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::client_config::{Overrides, Resolved};
use crate::kube::in_cluster;
use crate::kube::kubeconfig::{self, Exec};
use base64::Engine;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::time::Duration;

/// Everything a request to the cluster needs.
#[derive(Clone, Default)]
pub struct RestConfig {
    pub server: String,
    pub cluster_name: String,
    pub ca_pem: Option<Vec<u8>>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
    pub proxy_url: Option<String>,
    pub credentials: Credentials,
    pub namespace: String,
    pub request_timeout: Option<Duration>,
    pub impersonation: Option<Impersonation>,
}

/// How requests authenticate; several may apply at once, as in client-go.
#[derive(Clone, Default)]
pub struct Credentials {
    pub bearer: Option<String>,
    pub basic: Option<(String, String)>,
    /// PEM certificate chain and key.
    pub client_certificate: Option<(Vec<u8>, Vec<u8>)>,
    /// Run only when none of the others is there.
    pub exec: Option<ExecRun>,
}

/// An exec plugin and, with provideClusterInfo, the `spec.cluster` it is told.
#[derive(Clone, Debug)]
pub struct ExecRun {
    pub exec: Exec,
    pub cluster: Option<Value>,
}

/// The Impersonate-* headers.
#[derive(Clone, Debug, Default)]
pub struct Impersonation {
    pub user: String,
    pub uid: Option<String>,
    pub groups: Vec<String>,
    pub extra: Vec<(String, Vec<String>)>,
}

fn read_file(path: &str, what: &str) -> Result<Vec<u8>> {
    crate::files::read_bounded(Path::new(path), 1 << 20).map_err(|e| Error::new(format!("{what} {path}: {e}")))
}

/// The server URL requests are built on: kubectl's REST client keeps only
/// scheme, host and path, so a query or fragment is dropped.
fn clean_server(server: &str) -> String {
    let end = server.find(['?', '#']).unwrap_or(server.len());
    server[..end].trim_end_matches('/').to_string()
}

/// The host as client-go's rest.Config holds it (and tells exec plugins):
/// the query and fragment go only when the URL has a path beyond `/`.
fn config_host(server: &str) -> &str {
    let after_scheme = server.find("://").map_or(0, |i| i + 3);
    let path = server[after_scheme..].find('/').map(|i| i + after_scheme);
    match (path, server.find(['?', '#'])) {
        (Some(p), Some(cut)) if cut > p + 1 => &server[..cut],
        _ => server,
    }
}

pub fn from_kubeconfig(resolved: &Resolved, overrides: &Overrides) -> Result<RestConfig> {
    let cluster = &resolved.cluster;
    let user = &resolved.user;
    let Some(server) = cluster.server.clone() else {
        // kubectl would try http://localhost:8080 here; kubecred says what is missing instead.
        return Err(Error::new(match &resolved.context_name {
            Some(name) => format!("context {name:?}: cluster {:?} has no server", resolved.cluster_name),
            None => "no cluster configuration: pass --kubeconfig or --server, set KUBECONFIG, create ~/.kube/config, or run in a Pod".to_string(),
        }));
    };
    let mut config = RestConfig {
        server: clean_server(&server),
        cluster_name: resolved.cluster_name.clone(),
        proxy_url: cluster.proxy_url.clone(),
        request_timeout: overrides.request_timeout,
        impersonation: user.impersonate.clone().map(|name| Impersonation {
            user: name,
            uid: user.impersonate_uid.clone(),
            groups: user.impersonate_groups.clone(),
            extra: user.impersonate_user_extra.clone(),
        }),
        ..RestConfig::default()
    };
    if !server.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) {
        return Ok(config);
    }
    config.ca_pem = match (&cluster.certificate_authority_data, &cluster.certificate_authority) {
        (Some(data), _) => Some(kubeconfig::decode_data(data, "certificate-authority-data")?),
        (None, Some(path)) => Some(read_file(path, "certificate-authority")?),
        (None, None) => None,
    };
    config.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify;
    if config.insecure_skip_tls_verify && config.ca_pem.is_some() {
        return Err(Error::new("specifying a root certificates file with the insecure flag is not allowed"));
    }
    config.tls_server_name = cluster.tls_server_name.clone();
    config.credentials = user_credentials(&resolved.user_name, user)?;
    let described =
        exec_cluster(config_host(&server), &config, cluster.disable_compression, cluster.exec_extension.clone());
    if let Some(run) = config.credentials.exec.as_mut().filter(|run| run.exec.provide_cluster_info) {
        run.cluster = Some(described);
    }
    Ok(config)
}

fn user_credentials(name: &str, user: &kubeconfig::User) -> Result<Credentials> {
    // A readable tokenFile wins over an inline token, as client-go's file token source does.
    let from_file = match &user.token_file {
        Some(path) => match crate::files::read_token_file(Path::new(path), 1 << 20, "tokenFile") {
            Ok(token) => Some(token),
            Err(_) if user.token.is_some() => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let bearer = from_file.or_else(|| user.token.clone());
    let basic = user.username.clone().map(|name| (name, user.password.clone().unwrap_or_default()));
    if bearer.is_some() && basic.is_some() {
        return Err(Error::new("username/password or bearer token may be set, but not both"));
    }
    let part = |data: &Option<String>, path: &Option<String>, what: &str| -> Result<Option<Vec<u8>>> {
        match (data, path) {
            (Some(data), _) => Ok(Some(kubeconfig::decode_data(data, &format!("{what}-data"))?)),
            (None, Some(path)) => Ok(Some(read_file(path, what)?)),
            (None, None) => Ok(None),
        }
    };
    let cert = part(&user.client_certificate_data, &user.client_certificate, "client-certificate")?;
    let key = part(&user.client_key_data, &user.client_key, "client-key")?;
    let client_certificate = match (cert, key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        _ => None,
    };
    let identified = bearer.is_some() || basic.is_some() || client_certificate.is_some();
    let exec = user.exec.clone().filter(|_| !identified).map(|exec| ExecRun { exec, cluster: None });
    if let (false, None, Some(provider)) = (identified, &exec, &user.auth_provider) {
        return Err(Error::new(format!("user {name:?}: auth-provider {provider:?} is not supported by kubecred")));
    }
    if !identified && exec.is_none() {
        // kubectl prompts for a username and password here, and fails without a terminal.
        return Err(Error::new(format!(
            "user {name:?} has no credentials for an https server (kubectl would prompt for a username and password; kubecred never prompts)"
        )));
    }
    Ok(Credentials { bearer, basic, client_certificate, exec })
}

/// `spec.cluster` of KUBERNETES_EXEC_INFO, as client-go's ConfigToExecCluster fills it.
fn exec_cluster(host: &str, config: &RestConfig, disable_compression: bool, extension: Option<Value>) -> Value {
    let mut cluster = Map::new();
    cluster.insert("server".into(), json!(host));
    if let Some(name) = &config.tls_server_name {
        cluster.insert("tls-server-name".into(), json!(name));
    }
    if config.insecure_skip_tls_verify {
        cluster.insert("insecure-skip-tls-verify".into(), json!(true));
    }
    if let Some(pem) = &config.ca_pem {
        cluster
            .insert("certificate-authority-data".into(), json!(base64::engine::general_purpose::STANDARD.encode(pem)));
    }
    if let Some(proxy) = &config.proxy_url {
        cluster.insert("proxy-url".into(), json!(proxy));
    }
    if disable_compression {
        cluster.insert("disable-compression".into(), json!(true));
    }
    // client-go always writes `config`, null without the extension.
    cluster.insert("config".into(), extension.unwrap_or(Value::Null));
    Value::Object(cluster)
}

/// The Pod's ServiceAccount, with the overrides client-go lets through (server, token, CA file).
pub fn in_cluster(overrides: &Overrides, env: &Env) -> Result<RestConfig> {
    let pod = in_cluster::read(env)?;
    let ca_pem = match &overrides.certificate_authority {
        Some(path) => Some(read_file(&path.to_string_lossy(), "certificate authority")?),
        None => pod.ca_pem,
    };
    Ok(RestConfig {
        server: clean_server(overrides.server.as_deref().unwrap_or(&pod.server)),
        cluster_name: "in-cluster".into(),
        ca_pem,
        credentials: Credentials {
            bearer: Some(overrides.token.clone().unwrap_or(pod.token)),
            ..Credentials::default()
        },
        request_timeout: overrides.request_timeout,
        ..RestConfig::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_lose_a_query_only_after_a_path() {
        assert_eq!(clean_server("https://h:1/"), "https://h:1");
        assert_eq!(clean_server("https://h:1/base/?x=1#f"), "https://h:1/base");
        assert_eq!(clean_server("https://h:1?x=1"), "https://h:1");
        assert_eq!(config_host("https://h:1/?x=1"), "https://h:1/?x=1");
        assert_eq!(config_host("https://h:1/base/?x=1"), "https://h:1/base/");
    }
}
