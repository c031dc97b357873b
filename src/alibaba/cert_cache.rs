//! The ACK client-certificate cache, in ack-ram-tool's own directory and file
//! names so that both tools share it: `{cluster}-exec-auth-credential-{api}` and,
//! when a role, profile or profile file is given, `-{sha1 of those}`, then `.json`;
//! the file holds the ExecCredential as printed. Written through
//! [`crate::secret_files`] under a lock, so parallel cold starts make one API
//! call; read only from a directory that is ours alone, and trusted only as far
//! as its certificate and Container Service's limits allow.

use crate::error::Result;
use crate::kube::exec_credential::{ApiVersion, ExecCredential};
use crate::time::Timestamp;
use serde_json::{Map, Value};
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

/// The longest temporary certificate Container Service grants (`--expiration 72h`).
const MAX_TEMPORARY_LIFETIME: i64 = 72 * 3600;

/// Entries larger than this are not read (a certificate and key are a few KiB).
const MAX_ENTRY_BYTES: u64 = 1 << 20;

/// What the cached certificate was asked for; an entry must fit it.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    /// `--expiration`: zero asks for the long-lived certificate.
    pub lifetime: Duration,
    pub api_version: ApiVersion,
}

/// True when a certificate expiring at `expires`, asked for `requested`, should
/// still be used at `now`.
pub fn is_fresh(expires: Timestamp, requested: Duration, now: Timestamp) -> bool {
    let margin = (requested.as_secs() as i64 / 5).max(MIN_REFRESH_MARGIN);
    expires.0 - now.0 > margin
}

/// The cached credential at `path` if its directory and the file are ours
/// alone (see [`crate::secret_files`]), it is an entry as we and ack-ram-tool
/// write them ([`trusted_expiry`]), and it is fresh.
pub fn load(path: &Path, wanted: Wanted, now: Timestamp) -> Option<String> {
    let dir = path.parent()?;
    if !dir.exists() {
        return None;
    }
    if let Err(why) = crate::secret_files::check_dir(dir) {
        crate::debug!("certificate cache: not using it: {why}");
        return None;
    }
    let bytes = match crate::secret_files::read_private(path, MAX_ENTRY_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return None,
        Err(e) => {
            crate::debug!("certificate cache: {e}");
            return None;
        }
    };
    let expires = match trusted_expiry(&bytes, wanted, now) {
        Ok(expires) => expires,
        Err(why) => {
            crate::debug!("certificate cache: ignoring {}: {why}", path.display());
            return None;
        }
    };
    if !is_fresh(expires, wanted.lifetime, now) {
        crate::debug!("certificate cache: {} is due for renewal", path.display());
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// When a cache file's certificate stops being usable, if the file is one to
/// trust: an ExecCredential of the wanted apiVersion with exactly the fields
/// ack-ram-tool and kubecred write, whose expiry is no later than its
/// certificate's `notAfter`, and, for a temporary certificate, no later than
/// the longest lifetime Container Service grants from `now`. Otherwise why not
/// (never quoting the file).
///
/// ```
/// use kubecred::alibaba::cert_cache::{trusted_expiry, Wanted};
/// use kubecred::kube::exec_credential::ApiVersion;
/// use kubecred::time::Timestamp;
/// let cert = include_str!("../../tests/data/certificate/short-lived.pem");
/// let file = serde_json::json!({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1beta1",
///     "spec": {"interactive": false}, "status": {"expirationTimestamp": "2026-11-30T15:00:00Z",
///     "clientCertificateData": cert, "clientKeyData": "K"}}).to_string();
/// let wanted = Wanted { lifetime: std::time::Duration::from_secs(3 * 3600), api_version: ApiVersion::V1Beta1 };
/// let now = Timestamp::parse_rfc3339("2026-11-30T12:00:00Z").unwrap();
/// assert_eq!(trusted_expiry(file.as_bytes(), wanted, now).unwrap().to_rfc3339(), "2026-11-30T15:00:00Z");
/// ```
pub fn trusted_expiry(bytes: &[u8], wanted: Wanted, now: Timestamp) -> std::result::Result<Timestamp, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|_| "not JSON")?;
    let top = only_fields(&value, &["kind", "apiVersion", "spec", "status"], "the document")?;
    if top.get("kind").and_then(Value::as_str) != Some("ExecCredential") {
        return Err("not an ExecCredential".into());
    }
    if top.get("apiVersion").and_then(Value::as_str) != Some(wanted.api_version.as_str()) {
        return Err(format!("not a {} ExecCredential", wanted.api_version.as_str()));
    }
    if let Some(spec) = top.get("spec") {
        let spec = only_fields(spec, &["interactive"], "spec")?;
        if spec.get("interactive").is_some_and(|v| !v.is_boolean()) {
            return Err("spec.interactive is not a boolean".into());
        }
    }
    let status = only_fields(top.get("status").unwrap_or(&Value::Null), STATUS_FIELDS, "status")?;
    let text = |name: &str| status.get(name).and_then(Value::as_str).ok_or(format!("status.{name} is not a string"));
    let certificate = text("clientCertificateData")?;
    text("clientKeyData")?;
    let expires = Timestamp::parse_rfc3339(text("expirationTimestamp")?)
        .map_err(|_| "status.expirationTimestamp is not an RFC 3339 time")?;
    let validity = crate::certificate::validity_of_pem(certificate.as_bytes())
        .ok_or("status.clientCertificateData holds no readable certificate")?;
    if expires > validity.not_after {
        return Err("its expiry is later than its certificate's notAfter".into());
    }
    if !wanted.lifetime.is_zero() && expires.0 - now.0 > MAX_TEMPORARY_LIFETIME {
        return Err("its expiry is later than any temporary certificate Container Service grants (72h)".into());
    }
    Ok(expires)
}

const STATUS_FIELDS: &[&str] = &["expirationTimestamp", "clientCertificateData", "clientKeyData"];

/// `value` as an object holding no field but `allowed` ones.
fn only_fields<'v>(
    value: &'v Value,
    allowed: &[&str],
    what: &str,
) -> std::result::Result<&'v Map<String, Value>, String> {
    let map = value.as_object().ok_or(format!("{what} is not a JSON object"))?;
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(_) => Err(format!("{what} has a field neither ack-ram-tool nor kubecred writes")),
        None => Ok(map),
    }
}

/// Stores `text`; failing to is logged, not fatal (a read-only home still works).
pub fn store(path: &Path, text: &str) {
    if let Err(e) = crate::secret_files::write_private(path, text.as_bytes()) {
        crate::debug!("certificate cache: not stored: {e}");
    }
}

/// Runs `fetch` under the cache's lock, re-reading the cache first, so that
/// parallel cold starts make one call. Without a directory that is ours alone,
/// or without a usable lock, it just fetches, and stores nothing.
pub fn get_or_fetch(
    path: &Path,
    wanted: Wanted,
    now: Timestamp,
    fetch: impl FnOnce() -> Result<ExecCredential>,
) -> Result<String> {
    if let Some(text) = load(path, wanted, now) {
        return Ok(text);
    }
    let print = |credential: ExecCredential| format!("{}\n", crate::json::to_string(&credential.to_value(), 1));
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Err(why) = crate::secret_files::create_private_dir(dir) {
        crate::debug!("certificate cache: not using it: {why}");
        return Ok(print(fetch()?));
    }
    let lock_path = path.with_extension("json.lock");
    let lock = crate::secret_files::lock(&lock_path);
    if let Err(e) = &lock {
        crate::debug!("certificate cache: {e}; not storing");
        return Ok(print(fetch()?));
    }
    if let Some(text) = load(path, wanted, now) {
        return Ok(text);
    }
    let text = print(fetch()?);
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
