//! `kubecred cache run -- COMMAND [ARGS...]`: any exec credential plugin's
//! ExecCredential, cached until shortly before its `status.expirationTimestamp`.
//!
//! * Key: the command and its arguments, the apiVersion (and `spec.cluster`,
//!   when kubectl passes it) of `KUBERNETES_EXEC_INFO`, the working directory,
//!   and the plugin-relevant environment ([`keyed_variable`]). Values are only
//!   hashed into the file name, never stored.
//! * Stored: the reply exactly as printed, so a cached run prints the same bytes.
//! * Not stored: a reply that is not an ExecCredential of the requested
//!   version with a token or a certificate and an expiry, or that expires
//!   within the refresh margin ([`super::Freshness::ExecCredential`]); a
//!   failing plugin's output. Both are passed through unchanged.
//! * Parallel cold runs queue on the entry's lock; the first runs the plugin,
//!   the rest find its entry when they get the lock.
//! * The plugin gets our stdin and stderr, so interactive plugins (a browser
//!   login, a prompt) work as when kubectl runs them directly.

use super::{Entry, Freshness, cached_about};
use crate::child;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::ffi::OsString;
use std::process::{Command, Stdio};

/// The cache namespace (and file name label) of plugin entries.
pub const NAMESPACE: &str = "plugin";

/// Prefixes of variables that steer which identity a plugin hands out.
const KEYED_PREFIXES: &[&str] = &[
    "KUBE",
    "AWS_",
    "GOOGLE_",
    "CLOUDSDK_",
    "AZURE_",
    "AAD_",
    "ARM_",
    "ALIBABA_CLOUD_",
    "ALICLOUD_",
    "OCI_",
    "VAULT_",
];

/// Variables keyed by name: whose files and programs the plugin finds.
const KEYED_NAMES: &[&str] = &["HOME", "PATH", "USER", "LOGNAME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"];

/// What the plugin did, for the caller to print and exit with.
#[derive(Debug)]
pub struct Reply {
    pub stdout: Vec<u8>,
    /// The plugin's exit status (0 for a cached reply).
    pub status: i32,
}

/// True for an environment variable that is part of the key: the prefixes and
/// names above, and any named in `KUBECRED_CACHE_ENV` (comma-separated), but
/// not kubecred's own `KUBECRED_*` settings. `KUBERNETES_EXEC_INFO` is keyed
/// separately (its `spec.interactive` changes with the terminal, not the identity).
///
/// ```
/// use kubecred::cache::plugin::keyed_variable;
/// assert!(keyed_variable("AWS_PROFILE", None));
/// assert!(keyed_variable("KUBECONFIG", None));
/// assert!(!keyed_variable("KUBERNETES_EXEC_INFO", None));
/// assert!(!keyed_variable("KUBECRED_CACHE_DIR", None));
/// assert!(!keyed_variable("SSH_AUTH_SOCK", None));
/// assert!(keyed_variable("TENANT", Some("X,TENANT")));
/// ```
pub fn keyed_variable(name: &str, extra: Option<&str>) -> bool {
    // kubecred's own settings (cache directory, test clock) decide nothing about
    // the plugin's identity; KUBECRED_CACHE_ENV does decide the key's make-up.
    if name == "KUBERNETES_EXEC_INFO" || (name.starts_with("KUBECRED_") && name != "KUBECRED_CACHE_ENV") {
        return false;
    }
    KEYED_PREFIXES.iter().any(|p| name.starts_with(p))
        || KEYED_NAMES.contains(&name)
        || extra.is_some_and(|list| list.split(',').any(|n| n.trim() == name))
}

/// The part of `KUBERNETES_EXEC_INFO` that is keyed, and the apiVersion the
/// reply must carry: its `apiVersion` and `spec.cluster`; the whole text when it
/// is not JSON.
///
/// ```
/// use kubecred::cache::plugin::exec_info_key;
/// let info = r#"{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}"#;
/// let (key, version) = exec_info_key(Some(info));
/// assert_eq!(version.as_deref(), Some("client.authentication.k8s.io/v1"));
/// let quiet = r#"{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
/// assert_eq!(exec_info_key(Some(quiet)).0, key);
/// ```
pub fn exec_info_key(raw: Option<&str>) -> (String, Option<String>) {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return (String::new(), None);
    };
    let Ok(value) = serde_json::from_str::<Value>(raw) else {
        return (raw.to_string(), None);
    };
    let version = value.get("apiVersion").and_then(Value::as_str).map(str::to_string);
    let cluster = value.get("spec").and_then(|s| s.get("cluster")).cloned().unwrap_or(Value::Null);
    (json!({"apiVersion": version, "cluster": cluster}).to_string(), version)
}

/// The expiry of a plugin's reply if it is an ExecCredential worth caching:
/// kind ExecCredential, of `api_version` when one was asked for, with a
/// token or a client certificate and key, and a parseable
/// `status.expirationTimestamp`.
///
/// ```
/// use kubecred::cache::plugin::reply_expiry;
/// let reply = br#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1",
///     "status":{"token":"t","expirationTimestamp":"2030-01-01T00:00:00Z"}}"#;
/// assert!(reply_expiry(reply, Some("client.authentication.k8s.io/v1beta1")).is_some());
/// assert_eq!(reply_expiry(reply, Some("client.authentication.k8s.io/v1")), None);
/// assert_eq!(reply_expiry(br#"{"kind":"ExecCredential","status":{"token":"t"}}"#, None), None);
/// ```
pub fn reply_expiry(stdout: &[u8], api_version: Option<&str>) -> Option<Timestamp> {
    let value: Value = serde_json::from_slice(stdout).ok()?;
    if value.get("kind").and_then(Value::as_str) != Some("ExecCredential") {
        return None;
    }
    let version = value.get("apiVersion").and_then(Value::as_str)?;
    if api_version.is_some_and(|wanted| wanted != version) {
        return None;
    }
    let status = value.get("status")?;
    let text = |name: &str| status.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
    if text("token").is_none() && (text("clientCertificateData").is_none() || text("clientKeyData").is_none()) {
        return None;
    }
    Timestamp::parse_rfc3339(text("expirationTimestamp")?).ok()
}

/// Runs `command` (program, then arguments) through the cache, with this
/// process's environment and working directory.
///
/// ```no_run
/// let command = ["gke-gcloud-auth-plugin".into()];
/// let reply = kubecred::cache::plugin::run(&command)?;
/// assert_eq!(reply.status, 0);
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn run(command: &[OsString]) -> Result<Reply> {
    let Some((program, args)) = command.split_first() else {
        return Err(Error::usage("kubecred cache run: no command given (kubecred cache run -- COMMAND [ARGS...])"));
    };
    let words: Option<Vec<&str>> = command.iter().map(|w| w.to_str()).collect();
    let cwd = std::env::current_dir().ok();
    let cwd_text = cwd.as_ref().and_then(|d| d.to_str());
    let (Some(words), Some(cwd_text)) = (words, cwd_text) else {
        crate::debug!("cache run: the command or working directory is not UTF-8; not caching");
        return run_plugin(program, args);
    };
    let extra = std::env::var("KUBECRED_CACHE_ENV").ok();
    let mut variables: Vec<String> = std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value)))
        .filter(|(name, _)| keyed_variable(name, extra.as_deref()))
        .map(|(name, value)| format!("{name}={}", value.to_string_lossy()))
        .collect();
    variables.sort();
    let exec_info = std::env::var("KUBERNETES_EXEC_INFO").ok();
    let (info_key, api_version) = exec_info_key(exec_info.as_deref());
    let mut parts: Vec<&str> = vec![cwd_text, &info_key];
    parts.push("--");
    parts.extend(words.iter().copied());
    parts.push("--");
    parts.extend(variables.iter().map(String::as_str));
    let about = format!("plugin {} (in {cwd_text})", super::about::command_line(&words));

    // The plugin's own reply when it is not to be cached (it failed, or carries no expiry).
    let passed_through: RefCell<Option<Reply>> = RefCell::new(None);
    let entry = cached_about(NAMESPACE, &parts, &about, Freshness::ExecCredential, || {
        let reply = run_plugin(program, args)?;
        let expires = (reply.status == 0).then(|| reply_expiry(&reply.stdout, api_version.as_deref())).flatten();
        match (expires, std::str::from_utf8(&reply.stdout)) {
            (Some(expires), Ok(text)) => Ok(Entry { payload: json!({"stdout": text}), expires, issued: None }),
            _ => {
                crate::debug!("cache run: not caching (exit status {}, or no ExecCredential expiry)", reply.status);
                *passed_through.borrow_mut() = Some(reply);
                Err(Error::new("the plugin's reply is passed through"))
            }
        }
    });
    if let Some(reply) = passed_through.into_inner() {
        return Ok(reply);
    }
    let entry = entry?;
    let text = entry.payload.get("stdout").and_then(Value::as_str).unwrap_or_default();
    Ok(Reply { stdout: text.as_bytes().to_vec(), status: 0 })
}

/// Runs the plugin with our stdin and stderr; its stdout is kept (bounded).
fn run_plugin(program: &OsString, args: &[OsString]) -> Result<Reply> {
    let what = format!("kubecred cache run: {}", program.to_string_lossy());
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::inherit());
    let finished = child::run(&mut command, child::Stderr::Inherit, &what)?;
    let status = match finished.status.code() {
        Some(code) => code,
        // As a shell reports it: 128 plus the signal.
        None => 128 + std::os::unix::process::ExitStatusExt::signal(&finished.status).unwrap_or(0),
    };
    Ok(Reply { stdout: finished.stdout, status })
}
