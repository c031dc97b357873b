//! The Alibaba Cloud credential chain, in ack-ram-tool's order.
//!
//! 1. Environment (skipped by `--ignore-env-credentials` or a `--profile-file`),
//!    first match wins: AccessKey + security token; RRSA/OIDC
//!    (`ALIBABA_CLOUD_ROLE_ARN` + `_OIDC_PROVIDER_ARN` + `_OIDC_TOKEN_FILE`); AccessKey
//!    (assuming `ALIBABA_CLOUD_ROLE_ARN` when set); `ALIBABA_CLOUD_CREDENTIALS_URI`;
//!    `ALIBABA_CLOUD_ECS_METADATA` (instance role by name); `ALIBABA_CLOUD_CREDENTIALS_FILE`.
//! 2. The aliyun CLI config (`--profile-file X.json`, else `~/.aliyun/config.json` when it
//!    exists; skipped by `--ignore-aliyun-cli-credentials`): the profile named by
//!    `--profile-name`, else `ALIBABA_CLOUD_PROFILE`, else the file's `current`.
//! 3. The credentials file (`--profile-file` not ending in `.json`, else
//!    `~/.alibabacloud/credentials`), section `ALIBABA_CLOUD_PROFILE` or `default`.
//! 4. Where ack-ram-tool stops with "no credentials", kubecred asks the ECS metadata
//!    service for the instance's role (unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`).
//!
//! `--credential-type imds` (or `ecs-role`) skips all this for the instance role.
//! Once a source is chosen its failure is final, as in ack-ram-tool. `--role-arn`
//! then assumes that role with whatever the chain found. ack-ram-tool's
//! `ACK_RAM_TOOL_*` variables stand in for its flags.

use crate::alibaba::cli_config::{Config, Resolver};
use crate::alibaba::credentials::Credentials;
use crate::alibaba::providers::{self, credentials_uri, ecs_metadata, oidc};
use crate::alibaba::sts::{self, AssumeRole};
use crate::alibaba::{credentials_file, endpoint};
use crate::env::Env;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The global flags that steer the chain.
#[derive(Debug, Clone, Default)]
pub struct ChainRequest {
    /// `--region-id`: picks the STS endpoint (empty: the central `sts.aliyuncs.com`).
    pub region_id: String,
    /// `--profile-file`: an aliyun CLI config when it ends in `.json`, else a credentials file.
    pub profile_file: Option<PathBuf>,
    /// `--profile-name`: the aliyun CLI profile to use.
    pub profile_name: Option<String>,
    pub ignore_env_credentials: bool,
    pub ignore_aliyun_cli_credentials: bool,
    /// `--role-arn`: assume this RAM role with the credentials the chain found.
    pub role_arn: Option<String>,
    /// ack-ram-tool's `--credential-type`: `auto` (the chain) or `imds` / `ecs-role`
    /// (the ECS instance RAM role only). `None`: `ACK_RAM_TOOL_CREDENTIAL_TYPE`, else auto.
    pub credential_type: Option<String>,
}

/// Walks the chain and returns the credentials of the first source that applies
/// (then assumes `role_arn` with them, when given).
pub fn resolve(request: &ChainRequest, env: &Env) -> Result<Credentials> {
    let found = find(&Settings::new(request, env), env)?;
    crate::debug!("Alibaba Cloud credentials from {} (AccessKey id {})", found.source, found.access_key_id);
    let Some(role_arn) = request.role_arn.as_ref().filter(|arn| !arn.trim().is_empty()) else {
        return Ok(found);
    };
    let call = AssumeRole {
        sts_url: endpoint::sts_url(env, &request.region_id)?,
        role_arn: role_arn.trim().to_string(),
        session_name: providers::env::session_name(env),
        ..AssumeRole::default()
    };
    sts::assume_role_cached(&found, &call).map_err(|e| e.context("--role-arn"))
}

/// The `region_id` of the aliyun CLI profile the chain would read, if it would read one.
pub fn profile_region(request: &ChainRequest, env: &Env) -> Result<Option<String>> {
    let settings = Settings::new(request, env);
    let Some(path) = settings.cli_config_path(env).filter(|_| !settings.ignore_cli) else {
        return Ok(None);
    };
    if !path.exists() {
        return Ok(None);
    }
    let config = Config::load(&path)?;
    let name = settings.cli_profile_name(env, &config);
    Ok(config.profile(&name).map(|p| p.region_id.clone()).filter(|r| !r.is_empty()))
}

/// The request with ack-ram-tool's rules and variables applied.
struct Settings {
    region_id: String,
    credential_type: String,
    profile_file: Option<PathBuf>,
    profile_name: Option<String>,
    ignore_env: bool,
    ignore_cli: bool,
}

impl Settings {
    fn new(request: &ChainRequest, env: &Env) -> Settings {
        let profile_file =
            request.profile_file.clone().or_else(|| env.get("ACK_RAM_TOOL_PROFILE_FILE").map(|p| env.expand_home(p)));
        let profile_name = request.profile_name.clone().filter(|n| !n.is_empty()).or_else(|| {
            ["ACK_RAM_TOOL_PROFILE_NAME", "ACK_RAM_TOOL_PROFIL_ENAME"]
                .iter()
                .find_map(|n| env.get(n))
                .map(str::to_string)
        });
        // A credentials file named on the command line is the only source (ack-ram-tool).
        let ini_given = profile_file.as_ref().is_some_and(|p| !is_json(p));
        let credential_type = request
            .credential_type
            .clone()
            .or_else(|| env.get("ACK_RAM_TOOL_CREDENTIAL_TYPE").map(str::to_string))
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        Settings {
            region_id: request.region_id.clone(),
            credential_type,
            ignore_env: request.ignore_env_credentials
                || env.is_true("ACK_RAM_TOOL_IGNORE_ENV_CREDENTIALS")
                || ini_given,
            ignore_cli: request.ignore_aliyun_cli_credentials
                || env.is_true("ACK_RAM_TOOL_IGNORE_ALIYUN_CLI_CREDENTIALS")
                || ini_given,
            profile_file,
            profile_name,
        }
    }

    fn cli_config_path(&self, env: &Env) -> Option<PathBuf> {
        match &self.profile_file {
            Some(path) if is_json(path) => Some(path.clone()),
            Some(_) => None,
            None => env.home().map(|home| home.join(".aliyun/config.json")),
        }
    }

    fn cli_profile_name(&self, env: &Env, config: &Config) -> String {
        self.profile_name
            .clone()
            .or_else(|| env.get("ALIBABA_CLOUD_PROFILE").map(str::to_string))
            .unwrap_or_else(|| config.current.clone())
    }
}

fn is_json(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".json")
}

fn find(settings: &Settings, env: &Env) -> Result<Credentials> {
    crate::trail::walking("Alibaba Cloud", true);
    if matches!(settings.credential_type.as_str(), "imds" | "ecs-role") {
        for source in &SOURCES[..3] {
            crate::trail::skipped("Alibaba Cloud", source, format!("credential type {}", settings.credential_type));
        }
        return ecs_metadata::credentials(env, env.get("ALIBABA_CLOUD_ECS_METADATA"));
    }
    let mut tried = Vec::new();
    if settings.profile_file.is_none() {
        if settings.ignore_env {
            skipped(&mut tried, 0, "--ignore-env-credentials", "environment (ignored)");
        } else if let Some(found) = from_environment(settings, env)? {
            return Ok(found);
        } else {
            skipped(&mut tried, 0, "no ALIBABA_CLOUD_* credential variables are set", "environment");
        }
    } else {
        crate::trail::skipped("Alibaba Cloud", SOURCES[0], "--profile-file was given");
    }

    match settings.cli_config_path(env) {
        _ if settings.ignore_cli => {
            skipped(&mut tried, 1, "--ignore-aliyun-cli-credentials", "aliyun CLI config (ignored)")
        }
        Some(path) if settings.profile_file.is_some() || path.exists() => return from_cli_config(settings, env, &path),
        Some(path) => {
            skipped(&mut tried, 1, format!("{} is missing", path.display()), format!("{} (missing)", path.display()))
        }
        None => skipped(&mut tried, 1, "no HOME", "aliyun CLI config (no HOME)"),
    }

    let (ini, ini_given) = match &settings.profile_file {
        Some(path) if !is_json(path) => (Some(path.clone()), true),
        _ => (env.home().map(|home| home.join(".alibabacloud/credentials")), false),
    };
    match ini {
        Some(path) if ini_given || path.exists() => {
            let section = env.get("ALIBABA_CLOUD_PROFILE").unwrap_or("default");
            return from_credentials_file(settings, env, &path, section);
        }
        Some(path) => {
            skipped(&mut tried, 2, format!("{} is missing", path.display()), format!("{} (missing)", path.display()))
        }
        None => skipped(&mut tried, 2, "no HOME", "credentials file (no HOME)"),
    }

    if ecs_metadata::disabled(env) {
        skipped(&mut tried, 3, "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "ECS instance RAM role (disabled)");
    } else {
        match ecs_metadata::credentials(env, None) {
            Ok(found) => return Ok(found),
            Err(e) => skipped(&mut tried, 3, e.to_string(), format!("ECS instance RAM role ({e})")),
        }
    }
    Err(Error::new(format!("no Alibaba Cloud credentials found; tried: {}", tried.join(", "))))
}

/// The sources in chain order, as `--log-level debug` and `kubecred doctor` name them.
pub const SOURCES: &[&str] = &["environment", "aliyun CLI config", "credentials file", "ECS instance RAM role"];

/// Notes the source `SOURCES[index]` the chain passed over because of `why`
/// (logged, and recorded for `kubecred doctor`), and `tried_as` for the final error.
fn skipped(tried: &mut Vec<String>, index: usize, why: impl Into<String>, tried_as: impl Into<String>) {
    crate::trail::skipped("Alibaba Cloud", SOURCES[index], why);
    tried.push(tried_as.into());
}

/// ack-ram-tool's environment step; `None` when no variable applies.
fn from_environment(settings: &Settings, env: &Env) -> Result<Option<Credentials>> {
    let access_key = providers::env::access_key(env);
    if let Some(found) = access_key.clone().filter(|c| c.security_token.is_some()) {
        crate::debug!("environment: AccessKey with security token");
        return Ok(Some(found));
    }
    let role_arn = env.get("ALIBABA_CLOUD_ROLE_ARN").map(str::trim);
    let provider_arn = env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN").map(str::trim);
    let token_file = env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE");
    if let (Some(role_arn), Some(provider_arn), Some(token_file)) = (role_arn, provider_arn, token_file) {
        crate::debug!("environment: RRSA/OIDC role {role_arn}");
        let role = oidc::OidcRole {
            sts_url: endpoint::sts_url(env, &settings.region_id)?,
            role_arn: role_arn.to_string(),
            oidc_provider_arn: provider_arn.to_string(),
            token_file: env.expand_home(token_file),
            session_name: providers::env::session_name(env),
            duration_seconds: 0,
        };
        return oidc::credentials(&role).map(Some).map_err(|e| e.context("environment (RRSA/OIDC)"));
    }
    if let Some(found) = access_key {
        let Some(role_arn) = role_arn else {
            crate::debug!("environment: AccessKey");
            return Ok(Some(found));
        };
        crate::debug!("environment: AccessKey assuming ALIBABA_CLOUD_ROLE_ARN {role_arn}");
        let call = AssumeRole {
            sts_url: endpoint::sts_url(env, &settings.region_id)?,
            role_arn: role_arn.to_string(),
            session_name: providers::env::session_name(env),
            ..AssumeRole::default()
        };
        return sts::assume_role_cached(&found, &call).map(Some).map_err(|e| e.context("environment"));
    }
    if let Some(uri) = env.get("ALIBABA_CLOUD_CREDENTIALS_URI") {
        return credentials_uri::credentials(uri.trim()).map(Some).map_err(|e| e.context("environment"));
    }
    if let Some(role) = env.get("ALIBABA_CLOUD_ECS_METADATA") {
        return ecs_metadata::credentials(env, Some(role)).map(Some).map_err(|e| e.context("environment"));
    }
    if let Some(path) = env.get("ALIBABA_CLOUD_CREDENTIALS_FILE") {
        let section = env.get("ALIBABA_CLOUD_PROFILE").unwrap_or("default");
        match credentials_file::load(&env.expand_home(path), section) {
            // As ack-ram-tool: an unreadable file named here is passed over, not fatal.
            Err(e) => crate::debug!("ALIBABA_CLOUD_CREDENTIALS_FILE: {e}; trying the next source"),
            Ok(config) => return resolve_config(settings, env, &config, section, "credentials-file").map(Some),
        }
    }
    Ok(None)
}

fn from_cli_config(settings: &Settings, env: &Env, path: &Path) -> Result<Credentials> {
    let shown = path.display();
    let config = Config::load(path)?;
    let name = settings.cli_profile_name(env, &config);
    crate::debug!("aliyun CLI config {shown}: profile {name:?}");
    if config.profile(&name).is_none() {
        return Err(Error::new(format!("aliyun CLI config {shown}: no profile named {name:?}")));
    }
    resolve_config(settings, env, &config, &name, "aliyun-cli")
        .map_err(|e| e.context(format!("aliyun CLI config {shown}")))
}

fn from_credentials_file(settings: &Settings, env: &Env, path: &Path, section: &str) -> Result<Credentials> {
    crate::debug!("credentials file {}: section [{section}]", path.display());
    let config = credentials_file::load(path, section)?;
    resolve_config(settings, env, &config, section, "credentials-file")
        .map_err(|e| e.context(format!("credentials file {}", path.display())))
}

fn resolve_config(
    settings: &Settings,
    env: &Env,
    config: &Config,
    name: &str,
    origin: &'static str,
) -> Result<Credentials> {
    let profile = config.profile(name).ok_or_else(|| Error::new(format!("no profile named {name:?}")))?;
    Resolver { env, region_id: &settings.region_id, origin }.credentials(config, profile)
}
