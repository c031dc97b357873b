//! Which kube-apiserver to talk to, and as whom, resolved as kubectl does:
//! `--kubeconfig`, else the `KUBECONFIG` list (merged first-wins, missing files
//! skipped), else `~/.kube/config`, else the in-cluster ServiceAccount; then the
//! command-line overrides.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::kubeconfig::{self, Cluster, Context, Exec, Kubeconfig, Named, User};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the in-cluster ServiceAccount's files are mounted.
pub const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// kubectl's global flags that steer the client configuration.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
    pub server: Option<String>,
    pub token: Option<String>,
    pub certificate_authority: Option<PathBuf>,
    pub insecure_skip_tls_verify: bool,
    pub request_timeout: Option<Duration>,
    pub impersonate: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub impersonate_uid: Option<String>,
}

/// How requests authenticate.
#[derive(Clone)]
pub enum Auth {
    None,
    Bearer(String),
    Basic { username: String, password: String },
    ClientCertificate { cert_pem: Vec<u8>, key_pem: Vec<u8> },
    Exec(Exec),
}

/// Everything a request to the cluster needs.
#[derive(Clone)]
pub struct RestConfig {
    pub server: String,
    pub cluster_name: String,
    pub ca_pem: Option<Vec<u8>>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
    pub proxy_url: Option<String>,
    pub auth: Auth,
    pub namespace: String,
    pub request_timeout: Option<Duration>,
    pub impersonate: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub impersonate_uid: Option<String>,
}

/// Loads and merges the kubeconfig files (or the in-cluster config) and applies `overrides`.
pub fn load(overrides: &Overrides, env: &Env) -> Result<RestConfig> {
    let (merged, loaded) = load_merged(overrides, env)?;
    if loaded.is_empty() {
        if overrides.server.is_some() {
            return from_parts(Cluster::default(), User::default(), Context::default(), "cluster", overrides);
        }
        return in_cluster(overrides, env);
    }
    let context_name = overrides.context.clone().or_else(|| merged.current_context.clone());
    let context = match &context_name {
        Some(name) => find(&merged.contexts, name)
            .cloned()
            .ok_or_else(|| Error::new(format!("context {name:?} not found in the kubeconfig")))?,
        None => Context::default(),
    };
    let cluster_name = overrides.cluster.clone().or_else(|| context.cluster.clone()).unwrap_or_default();
    let user_name = overrides.user.clone().or_else(|| context.user.clone()).unwrap_or_default();
    let cluster = find(&merged.clusters, &cluster_name).cloned().unwrap_or_default();
    let user = find(&merged.users, &user_name).cloned().unwrap_or_default();
    if cluster.server.is_none() && overrides.server.is_none() {
        return Err(Error::new(match context_name {
            Some(name) => format!("context {name:?}: cluster {cluster_name:?} has no server"),
            None => "the kubeconfig has no current context; pass --context or --server".to_string(),
        }));
    }
    from_parts(cluster, user, context, &cluster_name, overrides)
}

/// The kubeconfig files kubectl would read (`--kubeconfig`, else `KUBECONFIG`,
/// else `~/.kube/config`) merged first-wins, and the files that were there.
/// (`kubecred doctor` shows every user without resolving one.)
///
/// ```
/// use kubecred::kube::client_config::{Overrides, load_merged};
/// # let dir = std::env::temp_dir().join(format!("kubecred-doc-merged-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let file = dir.join("config");
/// std::fs::write(&file, "apiVersion: v1\nkind: Config\nusers:\n- name: me\n  user: {token: t}\n").unwrap();
/// let overrides = Overrides { kubeconfig: Some(file.clone()), ..Overrides::default() };
/// let (config, files) = load_merged(&overrides, &kubecred::env::Env::default())?;
/// assert_eq!((config.users[0].name.as_str(), files), ("me", vec![file]));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn load_merged(overrides: &Overrides, env: &Env) -> Result<(Kubeconfig, Vec<PathBuf>)> {
    let files: Vec<PathBuf> = match (&overrides.kubeconfig, env.get("KUBECONFIG")) {
        (Some(path), _) => vec![path.clone()],
        (None, Some(list)) => list.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
        (None, None) => env.home().map(|h| h.join(".kube/config")).into_iter().collect(),
    };
    let mut merged = Kubeconfig::default();
    let mut loaded = Vec::new();
    for path in &files {
        let bytes = match crate::files::read_bounded(path, kubeconfig::MAX_KUBECONFIG_BYTES as u64) {
            Ok(bytes) => bytes,
            // kubectl skips missing files in KUBECONFIG, but not a missing --kubeconfig.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && overrides.kubeconfig.is_none() => continue,
            Err(e) => return Err(Error::new(format!("kubeconfig {}: {e}", path.display()))),
        };
        let shown = path.display().to_string();
        let text = String::from_utf8(bytes).map_err(|_| Error::new(format!("kubeconfig {shown}: not UTF-8 text")))?;
        let mut config = kubeconfig::parse(&text, &format!("kubeconfig {shown}"))?;
        resolve_relative_paths(&mut config, path.parent().unwrap_or(Path::new(".")));
        merge_first_wins(&mut merged, config);
        loaded.push(path.clone());
    }
    Ok((merged, loaded))
}

fn find<'a, T>(items: &'a [Named<T>], name: &str) -> Option<&'a T> {
    items.iter().find(|n| n.name == name).map(|n| &n.item)
}

/// kubectl's merge: the first file to name a cluster, user or context wins, and
/// the first current-context set wins.
fn merge_first_wins(into: &mut Kubeconfig, from: Kubeconfig) {
    if into.current_context.as_deref().unwrap_or_default().is_empty() {
        into.current_context = from.current_context;
    }
    fn add<T>(into: &mut Vec<Named<T>>, from: Vec<Named<T>>) {
        for item in from {
            if !into.iter().any(|n| n.name == item.name) {
                into.push(item);
            }
        }
    }
    add(&mut into.clusters, from.clusters);
    add(&mut into.users, from.users);
    add(&mut into.contexts, from.contexts);
}

/// File references in a kubeconfig are relative to the file itself.
fn resolve_relative_paths(config: &mut Kubeconfig, dir: &Path) {
    let resolve = |path: &mut Option<String>| {
        if let Some(p) = path.as_mut().filter(|p| !p.is_empty() && !Path::new(p.as_str()).is_absolute()) {
            *p = dir.join(&*p).to_string_lossy().into_owned();
        }
    };
    for cluster in &mut config.clusters {
        resolve(&mut cluster.item.certificate_authority);
    }
    for user in &mut config.users {
        resolve(&mut user.item.client_certificate);
        resolve(&mut user.item.client_key);
        resolve(&mut user.item.token_file);
        if let Some(exec) = user.item.exec.as_mut().filter(|e| e.command.contains('/')) {
            let mut command = Some(exec.command.clone());
            resolve(&mut command);
            exec.command = command.unwrap_or_default();
        }
    }
}

fn read_file(path: &str, what: &str) -> Result<Vec<u8>> {
    crate::files::read_bounded(Path::new(path), 1 << 20).map_err(|e| Error::new(format!("{what} {path}: {e}")))
}

fn from_parts(
    cluster: Cluster,
    user: User,
    context: Context,
    cluster_name: &str,
    overrides: &Overrides,
) -> Result<RestConfig> {
    let ca_pem =
        match (&overrides.certificate_authority, &cluster.certificate_authority_data, &cluster.certificate_authority) {
            (Some(path), _, _) => Some(read_file(&path.to_string_lossy(), "certificate authority")?),
            (None, Some(data), _) => Some(kubeconfig::decode_data(data, "certificate-authority-data")?),
            (None, None, Some(path)) => Some(read_file(path, "certificate-authority")?),
            (None, None, None) => None,
        };
    let auth = match &overrides.token {
        Some(token) => Auth::Bearer(token.clone()),
        None => user_auth(&user)?,
    };
    let namespace = overrides
        .namespace
        .clone()
        .or(context.namespace)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string());
    Ok(RestConfig {
        server: overrides.server.clone().or(cluster.server).unwrap_or_default().trim_end_matches('/').to_string(),
        cluster_name: cluster_name.to_string(),
        ca_pem,
        insecure_skip_tls_verify: overrides.insecure_skip_tls_verify || cluster.insecure_skip_tls_verify,
        tls_server_name: cluster.tls_server_name,
        proxy_url: cluster.proxy_url,
        auth,
        namespace,
        request_timeout: overrides.request_timeout,
        impersonate: overrides.impersonate.clone(),
        impersonate_groups: overrides.impersonate_groups.clone(),
        impersonate_uid: overrides.impersonate_uid.clone(),
    })
}

fn user_auth(user: &User) -> Result<Auth> {
    let cert = match (&user.client_certificate_data, &user.client_certificate) {
        (Some(data), _) => Some(kubeconfig::decode_data(data, "client-certificate-data")?),
        (None, Some(path)) => Some(read_file(path, "client-certificate")?),
        (None, None) => None,
    };
    let key = match (&user.client_key_data, &user.client_key) {
        (Some(data), _) => Some(kubeconfig::decode_data(data, "client-key-data")?),
        (None, Some(path)) => Some(read_file(path, "client-key")?),
        (None, None) => None,
    };
    Ok(match (cert, key) {
        (Some(cert_pem), Some(key_pem)) => Auth::ClientCertificate { cert_pem, key_pem },
        (Some(_), None) | (None, Some(_)) => {
            return Err(Error::new(
                "the kubeconfig user has a client certificate without its key, or a key without its certificate",
            ));
        }
        (None, None) => match (&user.token, &user.token_file, &user.exec, &user.username) {
            (Some(token), _, _, _) => Auth::Bearer(token.clone()),
            (None, Some(path), _, _) => {
                Auth::Bearer(crate::files::read_token_file(Path::new(path), 1 << 20, "tokenFile")?)
            }
            (None, None, Some(exec), _) => Auth::Exec(exec.clone()),
            (None, None, None, Some(username)) => {
                Auth::Basic { username: username.clone(), password: user.password.clone().unwrap_or_default() }
            }
            _ => Auth::None,
        },
    })
}

/// The Pod's own ServiceAccount, as client-go's InClusterConfig reads it.
fn in_cluster(overrides: &Overrides, env: &Env) -> Result<RestConfig> {
    let (Some(host), Some(port)) = (env.get("KUBERNETES_SERVICE_HOST"), env.get("KUBERNETES_SERVICE_PORT")) else {
        return Err(Error::new(
            "no cluster configuration: pass --kubeconfig or --server, set KUBECONFIG, create ~/.kube/config, or run in a Pod",
        ));
    };
    let dir = Path::new(SERVICE_ACCOUNT_DIR);
    let token = crate::files::read_token_file(&dir.join("token"), 1 << 20, "in-cluster ServiceAccount token")?;
    let ca = read_file(&dir.join("ca.crt").to_string_lossy(), "in-cluster CA")?;
    // A namespace name is at most 63 characters; anything else there is ignored.
    let namespace = crate::files::read_bounded(&dir.join("namespace"), 1024)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let host = if host.contains(':') { format!("[{host}]") } else { host.to_string() };
    let context = Context { namespace, ..Context::default() };
    let cluster = Cluster { server: Some(format!("https://{host}:{port}")), ..Cluster::default() };
    let mut config = from_parts(cluster, User::default(), context, "in-cluster", overrides)?;
    if overrides.certificate_authority.is_none() {
        config.ca_pem = Some(ca);
    }
    if overrides.token.is_none() {
        config.auth = Auth::Bearer(token);
    }
    Ok(config)
}
