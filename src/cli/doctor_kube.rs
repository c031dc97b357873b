//! `kubecred doctor`'s kubeconfig section: the current context, its cluster
//! and namespace, and every user's kind — for exec users whether the command
//! is found, its apiVersion and interactiveMode. Only names, paths and kinds
//! are printed: never a token, a password, key data or an exec env value.

use super::doctor::DoctorArgs;
use crate::env::Env;
use crate::kube::client_config::{self, Overrides};
use crate::kube::kubeconfig::{Exec, User};
use std::path::{Path, PathBuf};

pub fn section(args: &DoctorArgs, env: &Env, out: &mut String) {
    let overrides = Overrides { kubeconfig: args.kubeconfig.clone(), ..Overrides::default() };
    let (config, files) = match client_config::load_merged(&overrides, env) {
        Ok(loaded) => loaded,
        Err(e) => {
            out.push_str(&format!("Kubernetes:\n  kubeconfig: failing: {e}\n"));
            return;
        }
    };
    let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    if shown.is_empty() {
        out.push_str("Kubernetes (no kubeconfig file found):\n");
        let in_cluster = Path::new(client_config::SERVICE_ACCOUNT_DIR).join("token").exists();
        out.push_str(if in_cluster {
            "  in-cluster ServiceAccount token found\n"
        } else {
            "  no kubeconfig and no in-cluster ServiceAccount\n"
        });
        return;
    }
    out.push_str(&format!("Kubernetes (kubeconfig {}):\n", printable(&shown.join(", "))));
    match config.current_context.as_deref().filter(|c| !c.is_empty()) {
        None => out.push_str("  current context: none\n"),
        Some(name) => match config.contexts.iter().find(|c| c.name == name) {
            None => out.push_str(&format!("  current context: {} (not defined in the kubeconfig)\n", printable(name))),
            Some(context) => {
                let c = &context.item;
                let cluster = c.cluster.as_deref().unwrap_or("(none)");
                let server = config
                    .clusters
                    .iter()
                    .find(|n| Some(n.name.as_str()) == c.cluster.as_deref())
                    .and_then(|n| n.item.server.as_deref())
                    .map(crate::log::redact_url)
                    .unwrap_or_else(|| "no server".into());
                let line = format!(
                    "current context: {name}: cluster {cluster} ({server}), namespace {}, user {}",
                    c.namespace.as_deref().unwrap_or("default"),
                    c.user.as_deref().unwrap_or("(none)")
                );
                out.push_str(&format!("  {}\n", printable(&line)));
            }
        },
    }
    for user in &config.users {
        let line = format!("user {}: {}", user.name, describe_user(&user.item, env));
        out.push_str(&format!("  {}\n", printable(&line)));
    }
    if args.check {
        let line = match super::doctor_check::kube_version(args.kubeconfig.as_deref(), env) {
            Ok(version) => format!("  check: {version}\n"),
            Err(e) => format!("  check: apiserver /version failed: {e}\n"),
        };
        out.push_str(&line);
    }
}

/// The kinds of credential a user holds (`token`, `tokenFile PATH`,
/// `certificate`, `basic`, `exec ...`), without their values.
///
/// ```
/// use kubecred::cli::doctor_kube::describe_user;
/// use kubecred::kube::kubeconfig::User;
/// let user = User { token: Some("secret".into()), ..User::default() };
/// assert_eq!(describe_user(&user, &kubecred::env::Env::default()), "token");
/// assert_eq!(describe_user(&User::default(), &kubecred::env::Env::default()), "no credentials");
/// ```
pub fn describe_user(user: &User, env: &Env) -> String {
    let mut kinds = Vec::new();
    if user.token.is_some() {
        kinds.push("token".to_string());
    }
    if let Some(file) = &user.token_file {
        kinds.push(format!("tokenFile {file}"));
    }
    if user.client_certificate_data.is_some() || user.client_certificate.is_some() {
        kinds.push("certificate".to_string());
    }
    if user.username.is_some() || user.password.is_some() {
        kinds.push("basic".to_string());
    }
    if let Some(exec) = &user.exec {
        kinds.push(describe_exec(exec, env));
    }
    if kinds.is_empty() { "no credentials".to_string() } else { kinds.join(" + ") }
}

fn describe_exec(exec: &Exec, env: &Env) -> String {
    let found = match find_command(&exec.command, env) {
        Some(path) => format!("found at {}", path.display()),
        None => "NOT FOUND on PATH".to_string(),
    };
    // Arguments are left out: some plugins take secrets as arguments.
    format!(
        "exec {} ({found}; apiVersion {}; interactiveMode {}; {} argument(s), {} env variable(s))",
        exec.command,
        if exec.api_version.is_empty() { "(none)" } else { &exec.api_version },
        exec.interactive_mode.as_deref().unwrap_or("IfAvailable (default)"),
        exec.args.len(),
        exec.env.len()
    )
}

/// Where `command` is: itself when it names a path, else the first match on PATH.
fn find_command(command: &str, env: &Env) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
    if command.is_empty() {
        return None;
    }
    if command.contains('/') {
        let path = PathBuf::from(command);
        return executable(&path).then_some(path);
    }
    env.get("PATH")?.split(':').filter(|d| !d.is_empty()).map(|d| Path::new(d).join(command)).find(|p| executable(p))
}

/// Names from a kubeconfig as one line of plain text: control characters
/// (a terminal escape in a user name) are shown as `?`.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}
