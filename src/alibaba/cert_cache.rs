//! The ACK client-certificate cache, in ack-ram-tool's own directory and file
//! names so that both tools share it: `{cluster}-exec-auth-credential-{api}` and,
//! when a role, profile or profile file is given, `-{sha1 of those}`, then `.json`;
//! the file holds the ExecCredential as printed. Written 0600 by rename, under a
//! lock so parallel cold starts make one API call.

use crate::error::Result;
use crate::kube::exec_credential::ExecCredential;
use crate::time::Timestamp;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// ack-ram-tool's default cache directory (relative to HOME).
pub const DEFAULT_DIR: &str = ".kube/cache/ack-ram-tool/credential-plugin";

/// Renew when less than this, or 20 % of the requested lifetime, remains.
const MIN_REFRESH_MARGIN: i64 = 10 * 60;

/// What decides the cache file's name.
pub struct CacheKey<'a> {
    pub cluster_id: &'a str,
    /// The `--api-version` flag's value as given (`v1beta1` by default).
    pub api_version_flag: &'a str,
    pub role_arn: &'a str,
    pub profile_name: &'a str,
    pub credentials_file: &'a str,
    pub aliyun_cli_config: &'a str,
}

/// The cache file for `key` in `dir`.
pub fn file_path(dir: &Path, key: &CacheKey) -> PathBuf {
    let mut name = format!("{}-exec-auth-credential-{}", key.cluster_id, key.api_version_flag);
    let parts = [key.role_arn, key.profile_name, key.credentials_file, key.aliyun_cli_config];
    if parts.iter().any(|p| !p.is_empty()) {
        let mut sha = sha1_smol::Sha1::new();
        for part in parts {
            sha.update(part.as_bytes());
        }
        name.push('-');
        name.push_str(&sha.digest().to_string());
    }
    // A cluster id is the caller's; keep it from naming another directory.
    dir.join(format!("{}.json", name.replace(['/', '\\'], "_")))
}

/// True when a certificate expiring at `expires`, asked for `requested`, should
/// still be used at `now`.
pub fn is_fresh(expires: Timestamp, requested: Duration, now: Timestamp) -> bool {
    let margin = (requested.as_secs() as i64 / 5).max(MIN_REFRESH_MARGIN);
    expires.0 - now.0 > margin
}

/// The cached credential at `path` if it is readable, ours to trust (0600), and fresh.
pub fn load(path: &Path, requested: Duration, now: Timestamp) -> Option<String> {
    let bytes = match crate::cache::read_private(path, 1 << 20) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return None,
        Err(e) => {
            crate::debug!("certificate cache: {e}");
            return None;
        }
    };
    let Some(expires) = expiry(&bytes) else {
        crate::debug!("certificate cache: {} is not a cached ExecCredential; ignoring it", path.display());
        return None;
    };
    if !is_fresh(expires, requested, now) {
        crate::debug!("certificate cache: {} is due for renewal", path.display());
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// When the certificate in a cache file expires; `None` unless the file is an
/// ExecCredential with a certificate, a key and an expiry.
///
/// ```
/// let file = br#"{"status": {"clientCertificateData": "C", "clientKeyData": "K", "expirationTimestamp": "2026-11-30T12:00:00Z"}}"#;
/// let expires = kubecred::alibaba::cert_cache::expiry(file).unwrap();
/// assert_eq!(expires.to_rfc3339(), "2026-11-30T12:00:00Z");
/// ```
pub fn expiry(bytes: &[u8]) -> Option<Timestamp> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let status = value.get("status")?;
    status.get("clientCertificateData")?.as_str()?;
    status.get("clientKeyData")?.as_str()?;
    Timestamp::parse_rfc3339(status.get("expirationTimestamp")?.as_str()?).ok()
}

/// Stores `text`; failing to is logged, not fatal (a read-only home still works).
pub fn store(path: &Path, text: &str) {
    if let Err(e) = crate::cache::write_private(path, text.as_bytes()) {
        crate::debug!("certificate cache: not stored: {e}");
    }
}

/// Runs `fetch` under the cache's lock, re-reading the cache first, so that
/// parallel cold starts make one call; without a usable lock it just fetches.
pub fn get_or_fetch(
    path: &Path,
    requested: Duration,
    now: Timestamp,
    fetch: impl FnOnce() -> Result<ExecCredential>,
) -> Result<String> {
    if let Some(text) = load(path, requested, now) {
        return Ok(text);
    }
    let lock_path = path.with_extension("json.lock");
    let _lock = path
        .parent()
        .and_then(|dir| std::fs::DirBuilder::new().recursive(true).create(dir).ok())
        .and_then(|()| crate::cache::lock(&lock_path).map_err(|e| crate::debug!("certificate cache: {e}")).ok());
    if let Some(text) = load(path, requested, now) {
        return Ok(text);
    }
    let text = format!("{}\n", crate::json::to_string(&fetch()?.to_value(), 1));
    store(path, &text);
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_ack_ram_tool() {
        let key = CacheKey {
            cluster_id: "c1",
            api_version_flag: "v1beta1",
            role_arn: "",
            profile_name: "",
            credentials_file: "",
            aliyun_cli_config: "",
        };
        assert_eq!(file_path(Path::new("/d"), &key), Path::new("/d/c1-exec-auth-credential-v1beta1.json"));
        let key = CacheKey { role_arn: "acs:ram::1:role/r", ..key };
        let expected = sha1_smol::Sha1::from("acs:ram::1:role/r").digest().to_string();
        assert_eq!(
            file_path(Path::new("/d"), &key),
            Path::new(&format!("/d/c1-exec-auth-credential-v1beta1-{expected}.json"))
        );
    }

    #[test]
    fn refresh_margin_is_twenty_percent_or_ten_minutes() {
        let now = Timestamp(1_000_000);
        let three_hours = Duration::from_secs(3 * 3600);
        // 20 % of 3 h = 36 min.
        assert!(is_fresh(now.plus_seconds(36 * 60 + 1), three_hours, now));
        assert!(!is_fresh(now.plus_seconds(36 * 60), three_hours, now));
        // 20 % of 15 min is 3 min: the 10-minute floor applies.
        let fifteen = Duration::from_secs(15 * 60);
        assert!(is_fresh(now.plus_seconds(601), fifteen, now));
        assert!(!is_fresh(now.plus_seconds(600), fifteen, now));
        assert!(!is_fresh(now.plus_seconds(-5), Duration::ZERO, now));
    }
}
