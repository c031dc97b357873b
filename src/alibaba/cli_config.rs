//! The aliyun CLI's `~/.aliyun/config.json`: its profiles, and the credentials
//! each mode yields.
//!
//! Modes: `AK`, `StsToken`, `RamRoleArn` (AssumeRole with the profile's keys),
//! `EcsRamRole`, `RamRoleArnWithRoleName` (AssumeRole with the instance role),
//! `ChainableRamRoleArn` (AssumeRole with another profile's credentials),
//! `CredentialsURI`, `OIDC` and `External` (a program that prints a profile as
//! JSON). The `~/.alibabacloud/credentials` file maps its sections onto the same
//! profiles (see [`crate::alibaba::credentials_file`]).

use crate::alibaba::credentials::Credentials;
use crate::alibaba::endpoint;
use crate::alibaba::providers::{self, credentials_uri, ecs_metadata, oidc};
use crate::alibaba::sts::{self, AssumeRole};
use crate::env::Env;
use crate::error::{Error, Result};
use serde_json::Value;
use std::path::Path;

/// One profile, with the fields the credential modes use.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub mode: String,
    pub access_key_id: String,
    pub access_key_secret: String,
    pub sts_token: String,
    pub sts_region: String,
    pub ram_role_name: String,
    pub ram_role_arn: String,
    pub ram_session_name: String,
    pub external_id: String,
    pub source_profile: String,
    pub expired_seconds: u32,
    pub region_id: String,
    pub process_command: String,
    pub credentials_uri: String,
    pub oidc_provider_arn: String,
    pub oidc_token_file: String,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile").field("name", &self.name).field("mode", &self.mode).finish_non_exhaustive()
    }
}

/// A whole config file: the profiles and which one is current.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub current: String,
    pub profiles: Vec<Profile>,
}

impl Config {
    /// Reads an aliyun CLI config file.
    pub fn load(path: &Path) -> Result<Config> {
        let shown = path.display().to_string();
        let bytes = crate::files::read_bounded(path, crate::files::MAX_CONFIG_BYTES)
            .map_err(|e| Error::new(format!("aliyun CLI config {shown}: {e}")))?;
        Config::parse(&bytes, &shown)
    }

    /// Parses the JSON of an aliyun CLI config; `source` names it for errors.
    pub fn parse(bytes: &[u8], source: &str) -> Result<Config> {
        let value = crate::json::parse_bounded(
            bytes,
            &format!("aliyun CLI config {source}"),
            crate::files::MAX_CONFIG_BYTES as usize,
        )?;
        let current = crate::json::str_field(&value, "current").unwrap_or("").to_string();
        let profiles = match value.get("profiles") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().map(Profile::from_json).collect(),
            Some(_) => return Err(Error::new(format!("aliyun CLI config {source}: \"profiles\" is not a list"))),
        };
        Ok(Config { current: if current.is_empty() { "default".to_string() } else { current }, profiles })
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }
}

impl Profile {
    /// A profile from its JSON object (unknown fields ignored; wrong types read as unset).
    pub fn from_json(value: &Value) -> Profile {
        let text = |key: &str| crate::json::str_field(value, key).unwrap_or("").trim().to_string();
        let seconds = value.get("expired_seconds").and_then(Value::as_u64).unwrap_or(0);
        Profile {
            name: text("name"),
            mode: text("mode"),
            access_key_id: text("access_key_id"),
            access_key_secret: text("access_key_secret"),
            sts_token: text("sts_token"),
            sts_region: text("sts_region"),
            ram_role_name: text("ram_role_name"),
            ram_role_arn: text("ram_role_arn"),
            ram_session_name: text("ram_session_name"),
            external_id: text("external_id"),
            source_profile: text("source_profile"),
            expired_seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
            region_id: text("region_id"),
            process_command: text("process_command"),
            credentials_uri: text("credentials_uri"),
            oidc_provider_arn: text("oidc_provider_arn"),
            oidc_token_file: text("oidc_token_file"),
        }
    }
}

/// What resolving a profile needs besides the profile.
pub struct Resolver<'a> {
    pub env: &'a Env,
    /// The command's region, for STS when the profile names no `sts_region`.
    pub region_id: &'a str,
    /// Names the file in messages and the credentials' source.
    pub origin: &'static str,
}

/// How deep `ChainableRamRoleArn` and `External` may nest before it is a loop.
const MAX_DEPTH: usize = 8;

impl Resolver<'_> {
    /// The credentials `profile` (from `config`) yields.
    pub fn credentials(&self, config: &Config, profile: &Profile) -> Result<Credentials> {
        self.resolve(config, profile, 0).map_err(|e| e.context(format!("profile {:?}", profile.name)))
    }

    fn resolve(&self, config: &Config, p: &Profile, depth: usize) -> Result<Credentials> {
        if depth > MAX_DEPTH {
            return Err(Error::new("profiles nest too deeply (a source_profile loop?)"));
        }
        crate::debug!("{}: profile {:?}, mode {}", self.origin, p.name, p.mode);
        match p.mode.as_str() {
            "" => Err(Error::new("no mode: the profile is not configured yet (aliyun configure)")),
            "AK" => self.access_key(p, false),
            "StsToken" => self.access_key(p, true),
            "RamRoleArn" => {
                let source = self.access_key(p, !p.sts_token.is_empty())?;
                self.assume(p, &source)
            }
            "EcsRamRole" => ecs_metadata::credentials(self.env, Some(&p.ram_role_name)),
            "RamRoleArnWithRoleName" => {
                let source = ecs_metadata::credentials(self.env, Some(&p.ram_role_name))?;
                self.assume(p, &source)
            }
            "ChainableRamRoleArn" => {
                let name = require(&p.source_profile, "source_profile")?;
                let source_profile = config
                    .profile(name)
                    .ok_or_else(|| Error::new(format!("source_profile {name:?} is not in the file")))?;
                let source = self
                    .resolve(config, source_profile, depth + 1)
                    .map_err(|e| e.context(format!("source profile {name:?}")))?;
                self.assume(p, &source)
            }
            "CredentialsURI" => {
                let uri = Some(p.credentials_uri.clone())
                    .filter(|u| !u.is_empty())
                    .or_else(|| self.env.get("ALIBABA_CLOUD_CREDENTIALS_URI").map(str::to_string));
                credentials_uri::credentials(&uri.ok_or_else(|| Error::new("no credentials_uri"))?)
            }
            "OIDC" => oidc::credentials(&oidc::OidcRole {
                sts_url: self.sts_url(p)?,
                role_arn: require(&p.ram_role_arn, "ram_role_arn")?.to_string(),
                oidc_provider_arn: require(&p.oidc_provider_arn, "oidc_provider_arn")?.to_string(),
                token_file: self.env.expand_home(require(&p.oidc_token_file, "oidc_token_file")?),
                session_name: self.session_name(p),
                duration_seconds: p.expired_seconds,
            }),
            "External" => {
                let produced = run_external(require(&p.process_command, "process_command")?)?;
                let produced = Profile { name: p.name.clone(), ..produced };
                self.resolve(config, &produced, depth + 1).map_err(|e| e.context("profile printed by process_command"))
            }
            other => Err(Error::new(format!(
                "mode {other} is not supported (supported: AK, StsToken, RamRoleArn, EcsRamRole, \
                 RamRoleArnWithRoleName, ChainableRamRoleArn, CredentialsURI, OIDC, External)"
            ))),
        }
    }

    fn access_key(&self, p: &Profile, with_token: bool) -> Result<Credentials> {
        Ok(Credentials {
            access_key_id: require(&p.access_key_id, "access_key_id")?.to_string(),
            access_key_secret: require(&p.access_key_secret, "access_key_secret")?.into(),
            security_token: if with_token { Some(require(&p.sts_token, "sts_token")?.into()) } else { None },
            expiration: None,
            source: self.origin,
        })
    }

    fn assume(&self, p: &Profile, source: &Credentials) -> Result<Credentials> {
        let call = AssumeRole {
            sts_url: self.sts_url(p)?,
            role_arn: require(&p.ram_role_arn, "ram_role_arn")?.to_string(),
            session_name: self.session_name(p),
            duration_seconds: p.expired_seconds,
            external_id: Some(p.external_id.clone()).filter(|s| !s.is_empty()),
            policy: None,
        };
        sts::assume_role_cached(source, &call)
    }

    /// The profile's `sts_region` decides the STS endpoint (as the aliyun CLI does), else the command's region.
    fn sts_url(&self, p: &Profile) -> Result<String> {
        if p.sts_region.is_empty() {
            return endpoint::sts_url(self.env, self.region_id);
        }
        endpoint::check_region(&p.sts_region, &format!("profile {:?}: sts_region", p.name))?;
        endpoint::sts_url(self.env, &p.sts_region)
    }

    fn session_name(&self, p: &Profile) -> String {
        if p.ram_session_name.is_empty() { providers::env::session_name(self.env) } else { p.ram_session_name.clone() }
    }
}

fn require<'a>(value: &'a str, field: &str) -> Result<&'a str> {
    if value.is_empty() { Err(Error::new(format!("{field} is not set"))) } else { Ok(value) }
}

/// Runs an `External` profile's command (split on whitespace, no shell) and reads
/// the profile it prints on stdout as JSON. Its stderr passes through to ours;
/// its stdout never reaches ours (that is the credential's).
fn run_external(command: &str) -> Result<Profile> {
    let mut words = command.split_whitespace();
    let program = words.next().ok_or_else(|| Error::new("process_command is empty"))?;
    let mut command = std::process::Command::new(program);
    command.args(words).stdin(std::process::Stdio::null());
    let output = crate::child::run(&mut command, crate::child::Stderr::Inherit, &format!("process_command {program}"))?;
    if !output.status.success() {
        return Err(Error::new(format!("process_command {program} failed ({})", output.status)));
    }
    let stdout = &output.stdout;
    // Some programs print more than the JSON; take the outermost object.
    let start = stdout.iter().position(|&b| b == b'{');
    let end = stdout.iter().rposition(|&b| b == b'}');
    let json = match (start, end) {
        // ok: both are positions in stdout and start < end.
        (Some(start), Some(end)) if start < end => &stdout[start..=end],
        _ => return Err(Error::new(format!("process_command {program} printed no JSON object"))),
    };
    let value = crate::json::parse(json, &format!("output of process_command {program}"))?;
    let profile = Profile::from_json(&value);
    if profile.mode.is_empty() {
        return Err(Error::new(format!("output of process_command {program} has no \"mode\"")));
    }
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_profiles_and_current() {
        let text = br#"{"current":"work","profiles":[{"name":"work","mode":"AK","access_key_id":"a",
            "access_key_secret":"b","region_id":"cn-beijing","expired_seconds":900},{"name":"x","mode":5}]}"#;
        let config = Config::parse(text, "test").unwrap();
        assert_eq!(config.current, "work");
        let work = config.profile("work").unwrap();
        assert_eq!((work.region_id.as_str(), work.expired_seconds), ("cn-beijing", 900));
        assert_eq!(config.profile("x").unwrap().mode, "");
        assert_eq!(Config::parse(b"{}", "t").unwrap().current, "default");
        assert!(Config::parse(br#"{"profiles":{}}"#, "t").is_err());
    }

    #[test]
    fn static_modes() {
        let env = Env::default();
        let resolver = Resolver { env: &env, region_id: "cn-hangzhou", origin: "aliyun-cli" };
        let config = Config::default();
        let ak = Profile {
            name: "p".into(),
            mode: "AK".into(),
            access_key_id: "a".into(),
            access_key_secret: "b".into(),
            ..Profile::default()
        };
        assert_eq!(resolver.credentials(&config, &ak).unwrap().security_token, None);
        let sts = Profile { mode: "StsToken".into(), ..ak.clone() };
        let err = resolver.credentials(&config, &sts).unwrap_err();
        assert_eq!(err.message(), "profile \"p\": sts_token is not set");
        let odd = Profile { mode: "CloudSSO".into(), ..ak };
        assert!(resolver.credentials(&config, &odd).unwrap_err().message().contains("mode CloudSSO is not supported"));
    }

    #[test]
    fn sts_region_of_the_profile_picks_sts() {
        let env = Env::default();
        let resolver = Resolver { env: &env, region_id: "cn-hangzhou", origin: "aliyun-cli" };
        let with_region = Profile { sts_region: "cn-shenzhen".into(), ..Profile::default() };
        assert_eq!(resolver.sts_url(&with_region).unwrap(), "https://sts.cn-shenzhen.aliyuncs.com");
        assert_eq!(resolver.sts_url(&Profile::default()).unwrap(), "https://sts.cn-hangzhou.aliyuncs.com");
    }
}
