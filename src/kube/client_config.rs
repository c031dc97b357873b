//! Which kube-apiserver to talk to, as whom and in which namespace, resolved
//! as kubectl resolves it (client-go's deferred loading client config): the
//! merged kubeconfig files (see [`loading_rules`]) with the command-line
//! overrides, checked as kubectl checks them; the Pod's ServiceAccount only
//! when that says nothing beyond the defaults.
//!
//! [`loading_rules`]: crate::kube::loading_rules

use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::kubeconfig::{Cluster, Context, Kubeconfig, Named, User};
use crate::kube::{in_cluster, loading_rules, rest_config, validation};
use std::path::PathBuf;
use std::time::Duration;

pub use crate::kube::in_cluster::SERVICE_ACCOUNT_DIR;
pub use crate::kube::rest_config::{Credentials, ExecRun, Impersonation, RestConfig};

/// The server kubectl falls back to when nothing names one.
const LEGACY_DEFAULT_SERVER: &str = "http://localhost:8080";

/// kubectl's global flags that steer the client configuration.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
    pub server: Option<String>,
    pub tls_server_name: Option<String>,
    pub token: Option<String>,
    pub certificate_authority: Option<PathBuf>,
    pub insecure_skip_tls_verify: bool,
    pub request_timeout: Option<Duration>,
    pub impersonate: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub impersonate_uid: Option<String>,
}

/// The context, user and cluster a command uses, with the overrides applied.
pub struct Resolved {
    /// The context named by --context or current-context, if any.
    pub context_name: Option<String>,
    /// That context as the kubeconfig has it (`None`: it does not exist).
    pub context: Option<Context>,
    pub user_name: String,
    pub user: User,
    pub cluster_name: String,
    pub cluster: Cluster,
    /// `-n`, else the context's namespace.
    pub namespace: Option<String>,
}

/// Loads and merges the kubeconfig files (or the in-cluster config) and applies `overrides`.
pub fn load(overrides: &Overrides, env: &Env) -> Result<RestConfig> {
    let merged = loading_rules::load(overrides.kubeconfig.as_deref(), env)?;
    let resolved = resolve(&merged, overrides)?;
    resolved.check()?;
    let namespace = namespace(&resolved, overrides, env);
    let mut config = if is_default(&resolved, overrides, env) && in_cluster::possible(env) {
        rest_config::in_cluster(overrides, env)?
    } else {
        rest_config::from_kubeconfig(&resolved, overrides)?
    };
    config.namespace = namespace;
    Ok(config)
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
    loading_rules::load_with_files(overrides.kubeconfig.as_deref(), env)
}

fn find<'a, T>(items: &'a [Named<T>], name: &str) -> Option<&'a T> {
    items.iter().find(|n| n.name == name).map(|n| &n.item)
}

/// client-go's getContext/getAuthInfo/getCluster: a name given on the command
/// line must exist; one from the kubeconfig may be missing (then empty).
pub fn resolve(merged: &Kubeconfig, overrides: &Overrides) -> Result<Resolved> {
    let context_name = overrides.context.clone().or_else(|| merged.current_context.clone());
    let context = context_name.as_deref().and_then(|name| find(&merged.contexts, name)).cloned();
    if let (Some(name), None) = (&overrides.context, &context) {
        return Err(Error::new(format!("context {name:?} does not exist")));
    }
    let in_context = context.clone().unwrap_or_default();
    let user_name = overrides.user.clone().or(in_context.user).unwrap_or_default();
    let mut user = match (find(&merged.users, &user_name), &overrides.user) {
        (Some(user), _) => user.clone(),
        (None, Some(name)) => return Err(Error::new(format!("auth info {name:?} does not exist"))),
        (None, None) => User::default(),
    };
    let cluster_name = overrides.cluster.clone().or(in_context.cluster).unwrap_or_default();
    let mut cluster = match (find(&merged.clusters, &cluster_name), &overrides.cluster) {
        (Some(cluster), _) => cluster.clone(),
        (None, Some(name)) => return Err(Error::new(format!("cluster {name:?} does not exist"))),
        (None, None) => Cluster::default(),
    };
    apply_user_overrides(&mut user, overrides);
    apply_cluster_overrides(&mut cluster, overrides);
    let namespace = overrides.namespace.clone().filter(|n| !n.is_empty()).or(in_context.namespace);
    Ok(Resolved { context_name, context, user_name, user, cluster_name, cluster, namespace })
}

fn apply_user_overrides(user: &mut User, overrides: &Overrides) {
    let set = |field: &mut Option<String>, value: &Option<String>| {
        if let Some(value) = value.clone().filter(|v| !v.is_empty()) {
            *field = Some(value);
        }
    };
    set(&mut user.token, &overrides.token);
    set(&mut user.impersonate, &overrides.impersonate);
    set(&mut user.impersonate_uid, &overrides.impersonate_uid);
    if !overrides.impersonate_groups.is_empty() {
        user.impersonate_groups = overrides.impersonate_groups.clone();
    }
}

/// As client-go: `--certificate-authority` or `--insecure-skip-tls-verify`
/// replace all of the kubeconfig's trust settings, and `--server` drops its
/// tls-server-name (which belonged to the other server).
fn apply_cluster_overrides(cluster: &mut Cluster, overrides: &Overrides) {
    if let Some(server) = overrides.server.clone().filter(|s| !s.is_empty()) {
        cluster.server = Some(server);
    }
    if overrides.insecure_skip_tls_verify || overrides.certificate_authority.is_some() {
        cluster.insecure_skip_tls_verify = overrides.insecure_skip_tls_verify;
        cluster.certificate_authority =
            overrides.certificate_authority.as_ref().map(|p| p.to_string_lossy().into_owned());
        cluster.certificate_authority_data = None;
    }
    if overrides.tls_server_name.is_some() || overrides.server.is_some() {
        cluster.tls_server_name = overrides.tls_server_name.clone().filter(|n| !n.is_empty());
    }
}

impl Resolved {
    /// client-go's ConfirmUsable, all problems in one line.
    pub fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        if let (Some(name), None) = (&self.context_name, &self.context) {
            problems.push(format!("context was not found for specified context: {name}"));
        }
        problems.extend(validation::user_problems(&self.user_name, &self.user));
        problems.extend(validation::cluster_problems(&self.cluster_name, &self.cluster));
        match validation::summary(&problems) {
            Some(message) => Err(Error::new(message)),
            None => Ok(()),
        }
    }
}

/// Whether the configuration says no more than kubectl's built-in default (a
/// plain-http localhost:8080 with nothing else), the case where kubectl turns
/// to the Pod's ServiceAccount. Over plain http no credentials or TLS settings
/// are used, so only what applies to every request counts.
fn is_default(resolved: &Resolved, overrides: &Overrides, env: &Env) -> bool {
    let default_server = env.get("KUBERNETES_MASTER").unwrap_or(LEGACY_DEFAULT_SERVER);
    resolved.cluster.server.as_deref().unwrap_or(default_server) == default_server
        && resolved.user.impersonate.is_none()
        && overrides.request_timeout.is_none()
        && resolved.cluster.proxy_url.is_none()
        && !resolved.cluster.disable_compression
}

/// client-go's deferred Namespace(): `-n`, else the context's namespace, else
/// (when in a Pod, and the context did not say `default` itself) the Pod's.
fn namespace(resolved: &Resolved, overrides: &Overrides, env: &Env) -> String {
    if let Some(namespace) = overrides.namespace.clone().filter(|n| !n.is_empty()) {
        return namespace;
    }
    let namespace = resolved.namespace.clone().unwrap_or_else(|| "default".to_string());
    let explicit = resolved.context.as_ref().is_some_and(|c| c.namespace.is_some());
    if !in_cluster::possible(env) || namespace != "default" || explicit {
        return namespace;
    }
    in_cluster::namespace(env)
}
