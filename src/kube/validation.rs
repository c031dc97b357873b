//! client-go's checks of the user and cluster a command would use
//! (clientcmd's ConfirmUsable), worded as kubectl words them. They run before
//! any request, and every problem found is reported at once.

use crate::kube::kubeconfig::{Cluster, User};
use std::path::Path;

/// Problems with the user `name` resolves to (after the command-line overrides).
pub fn user_problems(name: &str, user: &User) -> Vec<String> {
    let mut problems = Vec::new();
    let mut methods = Vec::new();
    if user.token.is_some() {
        methods.push("token");
    }
    if user.username.is_some() || user.password.is_some() {
        methods.push("basicAuth");
    }
    if user.client_certificate.is_some() || user.client_certificate_data.is_some() {
        if user.client_certificate.is_some() && user.client_certificate_data.is_some() {
            problems.push(format!(
                "client-cert-data and client-cert are both specified for {name}. client-cert-data will override."
            ));
        }
        if user.client_key.is_some() && user.client_key_data.is_some() {
            problems.push(format!(
                "client-key-data and client-key are both specified for {name}; client-key-data will override"
            ));
        }
        if user.client_key.is_none() && user.client_key_data.is_none() {
            problems.push(format!(
                "client-key-data or client-key must be specified for {name} to use the clientCert authentication method."
            ));
        }
        for (what, path) in [("client-cert", &user.client_certificate), ("client-key", &user.client_key)] {
            if let Some(path) = path
                && let Err(e) = std::fs::File::open(Path::new(path))
            {
                problems.push(format!("unable to read {what} {path} for {name} due to {e}"));
            }
        }
    }
    if let Some(exec) = &user.exec {
        if user.auth_provider.is_some() {
            problems.push(format!("authProvider cannot be provided in combination with an exec plugin for {name}"));
        }
        if exec.command.is_empty() {
            problems.push(format!("command must be specified for {name} to use exec authentication plugin"));
        }
        if exec.api_version.is_empty() {
            problems.push(format!("apiVersion must be specified for {name} to use exec authentication plugin"));
        }
        if exec.env.iter().any(|(n, _)| n.is_empty()) {
            problems.push(format!("env variable name must be specified for {name} to use exec authentication plugin"));
        }
        match exec.interactive_mode.as_deref() {
            None => {
                problems.push(format!("interactiveMode must be specified for {name} to use exec authentication plugin"))
            }
            Some("Never" | "IfAvailable" | "Always") => {}
            Some(other) => problems.push(format!("invalid interactiveMode for {name}: {other:?}")),
        }
    }
    if methods.len() > 1 {
        problems.push(format!(
            "more than one authentication method found for {name}; found [{}], only one is allowed",
            methods.join(" ")
        ));
    }
    let extra = user.impersonate_uid.is_some()
        || !user.impersonate_groups.is_empty()
        || !user.impersonate_user_extra.is_empty();
    if extra && user.impersonate.is_none() {
        problems.push(format!("requesting uid, groups or user-extra for {name} without impersonating a user"));
    }
    problems
}

/// Problems with the cluster `name` resolves to (after the overrides).
pub fn cluster_problems(name: &str, cluster: &Cluster) -> Vec<String> {
    let mut problems = Vec::new();
    if cluster.certificate_authority.is_some() && cluster.certificate_authority_data.is_some() {
        problems.push(format!(
            "certificate-authority-data and certificate-authority are both specified for {name}. certificate-authority-data will override."
        ));
    }
    if let Some(path) = &cluster.certificate_authority
        && let Err(e) = std::fs::File::open(Path::new(path))
    {
        problems.push(format!("unable to read certificate-authority {path} for {name} due to {e}"));
    }
    problems
}

/// kubectl's "Error in configuration" line for `problems`, or `None`.
pub fn summary(problems: &[String]) -> Option<String> {
    match problems {
        [] => None,
        [one] => Some(format!("error in configuration: {one}")),
        many => Some(format!("error in configuration: {}", many.join("; "))),
    }
}
