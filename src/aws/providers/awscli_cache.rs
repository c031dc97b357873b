//! The AWS CLI's own cache of assumed roles, `~/.aws/cli/cache/KEY.json`, read
//! so that an MFA code entered once in the AWS CLI also serves kubectl.
//!
//! KEY is botocore's (`AssumeRoleCredentialFetcher._create_cache_key`): the hex
//! SHA-1 of `json.dumps(args, sort_keys=True)` over the AssumeRole arguments —
//! `RoleArn`, and `ExternalId`, `SerialNumber`, `DurationSeconds` (a number),
//! `RoleSessionName` when configured (a generated session name is left out).
//! The file holds the AssumeRole response; botocore reuses it while more than
//! 15 minutes remain, and so does kubecred. kubecred only reads this cache.

use crate::aws::credentials::Credentials;
use crate::env::Env;
use crate::time::Timestamp;
use serde_json::Value;
use std::path::PathBuf;

/// botocore's expiry window for cached role credentials.
const EXPIRY_WINDOW_SECONDS: i64 = 15 * 60;

/// The AssumeRole arguments botocore's key covers.
#[derive(Debug, Clone, Copy)]
pub struct RoleArgs<'a> {
    pub role_arn: &'a str,
    pub external_id: Option<&'a str>,
    pub serial_number: Option<&'a str>,
    pub duration_seconds: Option<u32>,
    /// Only a configured `role_session_name`.
    pub session_name: Option<&'a str>,
}

/// botocore's cache key (the file name without `.json`).
pub fn cache_key(args: &RoleArgs) -> String {
    // Sorted by key, as `sort_keys=True`; Python's default separators.
    let mut fields: Vec<(&str, String)> = vec![("RoleArn", python_string(args.role_arn))];
    if let Some(v) = args.external_id {
        fields.push(("ExternalId", python_string(v)));
    }
    if let Some(v) = args.serial_number {
        fields.push(("SerialNumber", python_string(v)));
    }
    if let Some(v) = args.duration_seconds {
        fields.push(("DurationSeconds", v.to_string()));
    }
    if let Some(v) = args.session_name.filter(|v| !v.is_empty()) {
        fields.push(("RoleSessionName", python_string(v)));
    }
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    sha1_smol::Sha1::from(format!("{{{}}}", body.join(", "))).digest().to_string()
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`: every
/// non-ASCII character as `\uXXXX`, in UTF-16 surrogate pairs above U+FFFF).
fn python_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Python escapes everything outside ' '..='~'.
            c if !(' '..='~').contains(&c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Still-valid credentials the AWS CLI cached for `args`, if any.
pub fn load(env: &Env, args: &RoleArgs) -> Option<Credentials> {
    let dir = cache_dir(env)?;
    let path = dir.join(format!("{}.json", cache_key(args)));
    if !path.exists() {
        return None;
    }
    // Role credentials from a file: only one the AWS CLI wrote for this user (0600,
    // theirs) in a directory nobody else can write, like kubecred's own cache.
    if let Err(why) = crate::secret_files::check_dir(&dir) {
        crate::debug!("AWS CLI cache: not using it: {why}");
        return None;
    }
    let bytes = crate::secret_files::read_private(&path, crate::json::MAX_JSON_BYTES as u64).ok()??;
    let document = crate::json::parse(&bytes, &path.display().to_string()).ok()?;
    let credentials = document.get("Credentials")?;
    let text = |name: &str| credentials.get(name).and_then(Value::as_str).filter(|v| !v.is_empty()).map(str::to_string);
    // botocore writes `2026-12-01T12:20:25UTC` (strftime's %Z) or ISO 8601 with an offset.
    let written = text("Expiration")?;
    let expiration = Timestamp::parse_rfc3339(written.strip_suffix("UTC").unwrap_or(&written)).ok()?;
    if expiration.0 - Timestamp::now().0 < EXPIRY_WINDOW_SECONDS {
        crate::debug!("AWS CLI cache {}: expires too soon, not used", path.display());
        return None;
    }
    crate::debug!("assumed role from the AWS CLI cache {}", path.display());
    Some(Credentials {
        access_key_id: text("AccessKeyId")?,
        secret_access_key: text("SecretAccessKey")?.into(),
        session_token: Some(text("SessionToken")?.into()),
        expiration: Some(expiration),
        source: "aws-cli-cache",
    })
}

fn cache_dir(env: &Env) -> Option<PathBuf> {
    Some(env.home()?.join(".aws/cli/cache"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys computed with botocore's own code (json.dumps + sha1) for these arguments.
    #[test]
    fn keys_match_botocore() {
        let base = RoleArgs {
            role_arn: "arn:aws:iam::123456789012:role/admin",
            external_id: None,
            serial_number: None,
            duration_seconds: None,
            session_name: None,
        };
        assert_eq!(cache_key(&base), "85df843ebbf3964c64e26d66d796d302b1a7a5ff");
        let full = RoleArgs {
            external_id: Some("ext"),
            serial_number: Some("arn:aws:iam::123456789012:mfa/me"),
            duration_seconds: Some(3600),
            session_name: Some("sé"),
            ..base
        };
        assert_eq!(cache_key(&full), "84d2199b2af3b87222369d9aa09074844544530b");
        assert_eq!(python_string("a\u{7f}\u{1F600}\"\n"), r#""a\u007f\ud83d\ude00\"\n""#);
    }
}
