//! gcloud's own login, as gke-gcloud-auth-plugin uses it without
//! `--use_application_default_credentials`: `gcloud config config-helper
//! --format=json` prints the active account's access token and its expiry.
//! kubecred runs the gcloud on PATH exactly as the plugin does, and caches what
//! it prints (gcloud is a Python program: a run costs about a second).

use crate::env::Env;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde_json::Value;
use std::process::{Command, Stdio};

/// The plugin's flags that reach gcloud.
#[derive(Debug, Clone, Default)]
pub struct GcloudArgs {
    pub project: Option<String>,
    pub account: Option<String>,
    pub impersonate: Option<String>,
}

impl GcloudArgs {
    /// `--project=P --account=A --impersonate-service-account=S`, in the plugin's order.
    pub fn extra(&self) -> Vec<String> {
        let mut extra = Vec::new();
        for (flag, value) in [
            ("--project", &self.project),
            ("--account", &self.account),
            ("--impersonate-service-account", &self.impersonate),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                extra.push(format!("{flag}={value}"));
            }
        }
        extra
    }
}

/// A token and, when gcloud gave one, its expiry. `CLOUDSDK_AUTH_ACCESS_TOKEN`
/// is the token itself, with no expiry, as the plugin takes it.
pub fn token(env: &Env, args: &GcloudArgs) -> Result<(String, Option<Timestamp>)> {
    if let Some(token) = env.get("CLOUDSDK_AUTH_ACCESS_TOKEN").filter(|t| !t.is_empty()) {
        crate::debug!("Google token from CLOUDSDK_AUTH_ACCESS_TOKEN");
        return Ok((token.to_string(), None));
    }
    let extra = args.extra();
    // What gcloud answers depends on its configuration: key the cache on it too.
    let config_dir = env
        .get("CLOUDSDK_CONFIG")
        .filter(|v| !v.is_empty())
        .map(|d| env.expand_home(d))
        .or_else(|| env.home().map(|h| h.join(".config/gcloud")))
        .unwrap_or_default();
    let active = env
        .get("CLOUDSDK_ACTIVE_CONFIG_NAME")
        .map(str::to_string)
        .or_else(|| std::fs::read_to_string(config_dir.join("active_config")).ok())
        .unwrap_or_else(|| "default".into());
    let active = active.trim().to_string();
    let properties =
        std::fs::read(config_dir.join("configurations").join(format!("config_{active}"))).unwrap_or_default();
    let properties_hash = crate::digest::sha256_hex(&properties);
    let config_shown = config_dir.to_string_lossy().into_owned();
    let key = [extra.join(" "), config_shown, active, properties_hash];
    let key: Vec<&str> = key.iter().map(String::as_str).collect();
    let token = super::cached("google-gcloud", &key, || {
        let (token, expires) = run_config_helper(&extra)?;
        let expires =
            expires.ok_or_else(|| Error::new("gcloud config config-helper: no token_expiry in its output"))?;
        Ok(super::AccessToken { token: crate::secret::Secret::new(token), expires })
    })?;
    Ok((token.token.expose().to_string(), Some(token.expires)))
}

fn run_config_helper(extra: &[String]) -> Result<(String, Option<Timestamp>)> {
    let mut command = Command::new("gcloud");
    command.args(["config", "config-helper", "--format=json"]).args(extra).stdin(Stdio::null());
    let what = "gcloud config config-helper";
    let finished = crate::child::run(&mut command, crate::child::Stderr::Capture, what)?;
    if !finished.status.success() {
        return Err(Error::new(finished.describe_failure(what, &finished.stderr_first_line(300))));
    }
    parse_config_helper(&finished.stdout, &|path| crate::files::read_bounded(std::path::Path::new(path), 64 * 1024))
}

/// The token in config-helper's JSON: `credential.access_token`, with
/// `credential.token_expiry`; a configured `auth/authorization_token_file`
/// joins its content as `iam-TOKEN^CONTENT`, as the plugin does.
///
/// ```
/// use kubecred::google::gcloud::parse_config_helper;
/// let out = br#"{"credential": {"access_token": "ya29.g", "token_expiry": "2026-12-01T12:00:00Z"}, "configuration": {"properties": {}}}"#;
/// let (token, expiry) = parse_config_helper(out, &|_| unreachable!())?;
/// assert_eq!((token.as_str(), expiry.unwrap().to_rfc3339()), ("ya29.g", "2026-12-01T12:00:00Z".to_string()));
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn parse_config_helper(
    stdout: &[u8],
    read_file: &dyn Fn(&str) -> std::io::Result<Vec<u8>>,
) -> Result<(String, Option<Timestamp>)> {
    let what = "gcloud config config-helper";
    let value = crate::json::parse(stdout, what)?;
    let credential = value.get("credential").unwrap_or(&Value::Null);
    let token = crate::json::str_field(credential, "access_token").unwrap_or("");
    if token.is_empty() {
        return Err(Error::new(format!("{what} returned an empty access token")));
    }
    let expires = match crate::json::str_field(credential, "token_expiry") {
        Some(text) => Some(
            Timestamp::parse_rfc3339(text).map_err(|_| Error::new(format!("{what}: token_expiry is not a time")))?,
        ),
        None => None,
    };
    let token_file = value
        .pointer("/configuration/properties/auth/authorization_token_file")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty());
    let token = match token_file {
        None => token.to_string(),
        Some(path) => {
            let bytes = read_file(path).map_err(|e| {
                Error::new(format!("gcloud sets auth/authorization_token_file, but {path} cannot be read: {e}"))
            })?;
            format!("iam-{token}^{}", String::from_utf8_lossy(&bytes))
        }
    };
    if token.len() > super::token_reply::MAX_TOKEN_BYTES || token.chars().any(char::is_control) {
        return Err(Error::new(format!("{what}: the token is not usable in an Authorization header")));
    }
    Ok((token, expires))
}
