//! The credentials SDKs' INI file, `~/.alibabacloud/credentials` (or
//! `ALIBABA_CLOUD_CREDENTIALS_FILE`, or `--profile-file`), one section per profile:
//!
//! ```ini
//! [default]
//! type = access_key              # or sts, ram_role_arn, ecs_ram_role,
//! access_key_id = LTAI...        #    oidc_role_arn, credentials_uri, external
//! access_key_secret = ...
//! ```
//!
//! Each section becomes an aliyun CLI [`Profile`] (as ack-ram-tool maps them), so
//! both files share one resolver.

use crate::alibaba::cli_config::{Config, Profile};
use crate::error::{Error, Result};
use std::path::Path;

/// The most bytes read from a credentials file.
const MAX_BYTES: u64 = crate::files::MAX_CONFIG_BYTES;

/// One `[section]` and its `key = value` lines, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub values: Vec<(String, String)>,
}

impl Section {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Parses INI text: `[name]` headers, `key = value` lines, `#`/`;` comments (whole
/// lines, or after a value when preceded by a space), quotes around values removed.
/// Lines before the first header and lines without `=` are ignored.
///
/// ```
/// let sections = kubecred::alibaba::credentials_file::parse_ini("[a]\nx = \"1\" # note\n[b]\ny=2\n");
/// assert_eq!(sections[0].get("x"), Some("1"));
/// assert_eq!(sections[1].get("y"), Some("2"));
/// ```
pub fn parse_ini(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.split_once(']')).map(|(name, _)| name) {
            sections.push(Section { name: name.trim().to_string(), values: Vec::new() });
            continue;
        }
        let (Some(section), Some((key, value))) = (sections.last_mut(), line.split_once('=')) else {
            continue;
        };
        let value = strip_comment(value.trim());
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        section.values.push((key.trim().to_string(), value.to_string()));
    }
    sections
}

fn strip_comment(value: &str) -> &str {
    // ok: `at` is where an ASCII marker starts, a char boundary within `value`.
    [" #", " ;", "\t#", "\t;"].iter().filter_map(|marker| value.find(marker)).min().map_or(value, |at| &value[..at])
}

/// Reads `path` and returns the profile of section `name` as a one-profile [`Config`].
pub fn load(path: &Path, name: &str) -> Result<Config> {
    let shown = path.display();
    let bytes = crate::files::read_bounded(path, MAX_BYTES)
        .map_err(|e| Error::new(format!("credentials file {shown}: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::new(format!("credentials file {shown}: not UTF-8 text")))?;
    let sections = parse_ini(&text);
    let section = sections
        .iter()
        .rev()
        .find(|s| s.name == name)
        .ok_or_else(|| Error::new(format!("credentials file {shown}: no section [{name}]")))?;
    let profile = to_profile(section).map_err(|e| e.context(format!("credentials file {shown} [{name}]")))?;
    Ok(Config { current: name.to_string(), profiles: vec![profile] })
}

/// Maps a section's `type` onto an aliyun CLI mode and its keys onto profile fields.
pub fn to_profile(section: &Section) -> Result<Profile> {
    let get = |key: &str| section.get(key).unwrap_or("").to_string();
    let either = |a: &str, b: &str| section.get(a).or_else(|| section.get(b)).unwrap_or("").to_string();
    let kind = get("type");
    let mode = match kind.as_str() {
        "access_key" => "AK",
        "sts" => "StsToken",
        "ram_role_arn" => "RamRoleArn",
        "ecs_ram_role" => "EcsRamRole",
        "oidc_role_arn" => "OIDC",
        "credentials_uri" => "CredentialsURI",
        "external" => "External",
        "" => return Err(Error::new("no type")),
        other => {
            return Err(Error::new(format!(
                "type {other} is not supported (supported: access_key, sts, ram_role_arn, ecs_ram_role, \
                 oidc_role_arn, credentials_uri, external)"
            )));
        }
    };
    Ok(Profile {
        name: section.name.clone(),
        mode: mode.to_string(),
        access_key_id: get("access_key_id"),
        access_key_secret: get("access_key_secret"),
        sts_token: either("security_token", "sts_token"),
        sts_region: get("sts_region"),
        ram_role_name: get("role_name"),
        ram_role_arn: get("role_arn"),
        ram_session_name: get("role_session_name"),
        external_id: get("external_id"),
        expired_seconds: get("role_session_expiration").parse().unwrap_or(0),
        process_command: get("process_command"),
        credentials_uri: get("credentials_uri"),
        oidc_provider_arn: get("oidc_provider_arn"),
        oidc_token_file: either("oidc_token_file_path", "oidc_token_file"),
        ..Profile::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_comments_and_quotes() {
        let text = "stray = 1\n; comment\n[default]\ntype = access_key\naccess_key_id = 'a#b' ; trailing\n\
                    bad line\n[ other ]\ntype=sts\nsts_token=t\n";
        let sections = parse_ini(text);
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].get("access_key_id"), Some("a#b"));
        assert_eq!(sections[1].name, "other");
        assert_eq!(to_profile(&sections[1]).unwrap().sts_token, "t");
    }

    #[test]
    fn types_map_to_modes() {
        let section = |kind: &str| Section { name: "s".into(), values: vec![("type".into(), kind.into())] };
        assert_eq!(to_profile(&section("oidc_role_arn")).unwrap().mode, "OIDC");
        assert_eq!(to_profile(&section("ecs_ram_role")).unwrap().mode, "EcsRamRole");
        assert!(to_profile(&section("rsa_key_pair")).unwrap_err().message().contains("not supported"));
        assert_eq!(to_profile(&Section::default()).unwrap_err().message(), "no type");
    }
}
