//! The AWS credential chain, in botocore's order:
//!
//! 1. environment variables (skipped under `--profile`),
//! 2. a profile that assumes a role (`role_arn` + `source_profile`/`credential_source`),
//! 3. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` or `web_identity_token_file`),
//! 4. IAM Identity Center (SSO),
//! 5. keys in the credentials file, then `credential_process`, then keys in the config file,
//! 6. container credentials (ECS, EKS Pod Identity),
//! 7. EC2 instance metadata.
//!
//! The first provider that yields credentials wins; a provider that is
//! configured but fails ends the walk with its error (as botocore does), so a
//! broken profile is never silently replaced by some other identity.

use crate::aws::credentials::Credentials;
use crate::aws::profile::{self, AwsConfig, Origin, Profile};
use crate::aws::providers::{
    Context, assume_role_profile, container, environment, imds, process, sso, static_profile, web_identity,
};
use crate::env::Env;
use crate::error::{Error, Result};

/// The sources in chain order, as `--debug` and `kubecred doctor` name them.
pub const SOURCES: &[&str] = &[
    "environment variables",
    "assume-role profile",
    "web identity",
    "SSO",
    "credentials file",
    "credential_process",
    "config file",
    "container credentials",
    "instance metadata",
];

/// Logs (and records for `kubecred doctor`) a source the chain passed over.
fn skipped(source: &'static str, why: impl Into<String>) {
    crate::trail::skipped("AWS", source, why);
}

/// What the caller knows that steers the chain.
#[derive(Debug, Clone, Default)]
pub struct ChainRequest {
    /// `--profile`; else `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, `default`.
    pub profile: Option<String>,
    /// The region the command resolved, for STS calls the chain makes.
    pub region: Option<String>,
}

/// The region STS calls go to when the caller resolved none.
const FALLBACK_STS_REGION: &str = "us-east-1";

/// Walks the chain and returns the first credentials found.
pub fn resolve(request: &ChainRequest, env: &Env) -> Result<Credentials> {
    let selection = profile::select(request.profile.as_deref(), env);
    // Environment credentials need neither file. When no profile is named (so
    // none can be missing), take them before reading and parsing the files: with
    // a few KiB of ~/.aws config that parse costs more than the rest of get-token.
    crate::trail::walking("AWS", true);
    let early = if selection.named { None } else { environment::load(env)? };
    crate::trail::walking("AWS", false);
    if let Some(found) = early {
        crate::debug!("AWS chain: environment variables: used (no profile named)");
        return Ok(found);
    }
    let config = AwsConfig::load_shared(env)?;
    let name = selection.name.as_str();
    if selection.named && config.profile(name).is_none() {
        return Err(Error::new(format!(
            "profile {name} not found in {} or {}",
            config.config_path.display(),
            config.credentials_path.display()
        )));
    }
    let profile_region = config.profile(name).and_then(|p| p.get("region")).map(str::to_string);
    if let Some(region) = &profile_region {
        crate::region_name::check(region, &format!("profile {name}: region"), "us-east-1").map_err(Error::new)?;
    }
    let region = request.region.as_deref().or(profile_region.as_deref()).unwrap_or(FALLBACK_STS_REGION);
    let ctx = Context { env, config: &config, region, explicit_profile: selection.explicit };
    let mut tried = Vec::new();

    crate::debug!("AWS chain: profile {name}, STS region {region}");
    crate::trail::walking("AWS", true);
    if !ctx.explicit_profile {
        tried.push("environment variables".to_string());
        if let Some(found) = environment::load(env)? {
            return Ok(found);
        }
        skipped(SOURCES[0], "AWS_ACCESS_KEY_ID is not set");
    } else {
        skipped(SOURCES[0], "--profile was given");
    }
    tried.push("assume-role profile".into());
    if let Some(found) = assume_role_profile::load(&ctx, name)? {
        return Ok(found);
    }
    skipped(SOURCES[1], format!("profile {name} has no role_arn, or its role is for web identity"));
    if let Some(found) = profile_providers(&ctx, name, &mut tried)? {
        return Ok(found);
    }
    tried.push("container credentials".into());
    if let Some(found) = container::load(env)? {
        return Ok(found);
    }
    skipped(SOURCES[7], "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set");
    match imds::load(env)? {
        imds::Outcome::Credentials(found) => return Ok(found),
        imds::Outcome::Unavailable(why) => {
            skipped(SOURCES[8], why.clone());
            tried.push(format!("instance metadata ({why})"))
        }
    }
    Err(Error::new(format!("no AWS credentials found for profile {name} (tried: {})", tried.join(", "))))
}

/// The providers that read one profile, in chain order: web identity, SSO, the
/// credentials file, `credential_process`, the config file. Also the source of
/// an assume-role profile's `source_profile` credentials. Names go to `tried`.
pub fn profile_providers(ctx: &Context, name: &str, tried: &mut Vec<String>) -> Result<Option<Credentials>> {
    tried.push("web identity".into());
    if let Some(found) = web_identity::load(ctx, name)? {
        return Ok(Some(found));
    }
    skipped(
        SOURCES[2],
        format!("no token file (AWS_WEB_IDENTITY_TOKEN_FILE, or web_identity_token_file in profile {name})"),
    );
    tried.push("SSO".into());
    if let Some(found) = sso::load(ctx, name)? {
        return Ok(Some(found));
    }
    skipped(SOURCES[3], format!("profile {name} has no sso_account_id or sso_role_name"));
    tried.push(format!("credentials file {}", ctx.config.credentials_path.display()));
    if let Some(found) = static_profile::load(ctx.config, name, Origin::Credentials)? {
        return Ok(Some(found));
    }
    skipped(SOURCES[4], format!("no keys for profile {name} in {}", ctx.config.credentials_path.display()));
    tried.push("credential_process".into());
    if let Some(found) = process::load(ctx.config, name)? {
        return Ok(Some(found));
    }
    skipped(SOURCES[5], format!("profile {name} has no credential_process"));
    tried.push(format!("config file {}", ctx.config.config_path.display()));
    let found = static_profile::load(ctx.config, name, Origin::Config)?;
    if found.is_none() {
        skipped(SOURCES[6], format!("no keys for profile {name} in {}", ctx.config.config_path.display()));
    }
    Ok(found)
}

/// The region the profile names (`region` in ~/.aws/config), if any.
pub fn profile_region(request: &ChainRequest, env: &Env) -> Result<Option<String>> {
    Ok(selected_profile(request, env)?.and_then(|p| p.get("region").map(str::to_string)))
}

/// The selected profile's settings (both files merged), if it exists.
pub fn selected_profile(request: &ChainRequest, env: &Env) -> Result<Option<Profile>> {
    let selection = profile::select(request.profile.as_deref(), env);
    Ok(AwsConfig::load_shared(env)?.profile(&selection.name).cloned())
}
