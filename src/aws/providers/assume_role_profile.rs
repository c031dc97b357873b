//! Profiles that assume a role: `role_arn` with either `source_profile` (whose
//! credentials may come from any profile provider, or from assuming yet another
//! role) or `credential_source` (`Environment`, `Ec2InstanceMetadata`,
//! `EcsContainer`), plus `external_id`, `role_session_name`, `duration_seconds`
//! and `mfa_serial` (the AWS CLI's cached role credentials first, else a code
//! asked for on the terminal; see [`awscli_cache`] and `aws::mfa`).
//!
//! Chains of source profiles are followed; visiting a profile twice is a cycle,
//! except a profile naming itself when it holds static keys (botocore allows
//! keys and role settings in one profile).

use crate::aws::chain;
use crate::aws::credentials::Credentials;
use crate::aws::profile::Profile;
use crate::aws::providers::{Context, awscli_cache, container, environment, imds};
use crate::aws::sts::{self, AssumeRole, Mfa};
use crate::error::{Error, Result};

/// Assumes the profile's role; `Ok(None)` when the profile does not assume one
/// (or is a web identity profile, which [`super::web_identity`] handles).
pub fn load(ctx: &Context, profile: &str) -> Result<Option<Credentials>> {
    match ctx.config.profile(profile) {
        Some(settings) if assumes_role(settings) => {
            let mut visited = vec![profile.to_string()];
            assume(ctx, profile, &mut visited).map(Some)
        }
        _ => Ok(None),
    }
}

fn assumes_role(settings: &Profile) -> bool {
    settings.has("role_arn") && !settings.has("web_identity_token_file")
}

fn has_static_keys(settings: &Profile) -> bool {
    settings.has("aws_access_key_id") || settings.has("aws_secret_access_key")
}

fn assume(ctx: &Context, name: &str, visited: &mut Vec<String>) -> Result<Credentials> {
    let describe = || ctx.config.describe(name, "role_arn");
    let settings = ctx.config.profile(name).ok_or_else(|| Error::new(format!("profile {name} does not exist")))?;
    let role_arn = settings.get("role_arn").unwrap_or_default();
    // As botocore: a duration that is not a number is ignored.
    let duration_seconds = settings.get("duration_seconds").and_then(|d| d.trim().parse().ok());
    let mfa_serial = settings.get("mfa_serial");
    if mfa_serial.is_some() {
        // A code entered once in the AWS CLI: its cached role credentials serve here too.
        let args = awscli_cache::RoleArgs {
            role_arn,
            external_id: settings.get("external_id"),
            serial_number: mfa_serial,
            duration_seconds,
            session_name: settings.get("role_session_name"),
        };
        if let Some(found) = awscli_cache::load(ctx.env, &args) {
            return Ok(found);
        }
    }
    let source = match (settings.get("source_profile"), settings.get("credential_source")) {
        (Some(_), Some(_)) => {
            return Err(Error::new(format!("{}: has both source_profile and credential_source", describe())));
        }
        (None, None) => {
            return Err(Error::new(format!("{}: role_arn needs source_profile or credential_source", describe())));
        }
        (None, Some(credential_source)) => from_credential_source(ctx, credential_source, name)?,
        (Some(source_profile), None) => {
            check_source_profile(ctx, name, source_profile, visited)?;
            visited.push(source_profile.to_string());
            from_source_profile(ctx, source_profile, visited)?
        }
    };
    let params = AssumeRole {
        role_arn,
        session_name: settings.get("role_session_name").unwrap_or(""),
        external_id: settings.get("external_id"),
        duration_seconds,
        region: ctx.region,
        mfa: mfa_serial.map(|serial| Mfa { serial, profile: name }),
    };
    crate::debug!("profile {name}: assuming {role_arn} with credentials from {}", source.source);
    sts::assume_role(&source, &params).map_err(|e| e.context(format!("profile {name}")))
}

fn check_source_profile(ctx: &Context, parent: &str, source: &str, visited: &[String]) -> Result<()> {
    let Some(settings) = ctx.config.profile(source) else {
        return Err(Error::new(format!(
            "{}: source_profile {source} does not exist",
            ctx.config.describe(parent, "source_profile")
        )));
    };
    if !visited.iter().any(|v| v == source) || (source == parent && has_static_keys(settings)) {
        return Ok(());
    }
    Err(Error::new(format!(
        "{}: source_profile {source} makes a cycle ({} -> {source})",
        ctx.config.describe(parent, "source_profile"),
        visited.join(" -> ")
    )))
}

/// A source profile's credentials: its own keys or other providers, else its own role.
fn from_source_profile(ctx: &Context, name: &str, visited: &mut Vec<String>) -> Result<Credentials> {
    let settings = ctx.config.profile(name).ok_or_else(|| Error::new(format!("profile {name} does not exist")))?;
    if has_static_keys(settings) || !assumes_role(settings) {
        let sealed = Context { explicit_profile: true, ..*ctx };
        let mut tried = Vec::new();
        return chain::profile_providers(&sealed, name, &mut tried)?.ok_or_else(|| {
            Error::new(format!("source profile {name} has no credentials (tried: {})", tried.join(", ")))
        });
    }
    assume(ctx, name, visited)
}

fn from_credential_source(ctx: &Context, source: &str, profile: &str) -> Result<Credentials> {
    let found = match source {
        "Environment" => environment::load(ctx.env)?,
        "EcsContainer" => container::load(ctx.env)?,
        "Ec2InstanceMetadata" => match imds::load(ctx.env)? {
            imds::Outcome::Credentials(c) => Some(c),
            imds::Outcome::Unavailable(why) => {
                crate::debug!("instance metadata: {why}");
                None
            }
        },
        other => {
            return Err(Error::new(format!(
                "{}: credential_source {other} is not one of Environment, Ec2InstanceMetadata, EcsContainer",
                ctx.config.describe(profile, "credential_source")
            )));
        }
    };
    found.ok_or_else(|| {
        Error::new(format!(
            "{}: credential_source {source} found no credentials",
            ctx.config.describe(profile, "credential_source")
        ))
    })
}
