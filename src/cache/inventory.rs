//! The cache made visible and clearable (`kubecred cache list|clear`): the
//! entries in kubecred's own directory and the ACK certificates in
//! ack-ram-tool's, with what each is for and how long it has left — never
//! their contents.
//!
//! Only files named as entries are considered, and only when they pass the
//! same trust rules as when they are used ([`crate::secret_files`]): a file
//! owned by another user is reported, never read or removed. Lock files stay
//! on clear: removing one that another process holds would let a third take
//! a second lock on a new file, and an empty lock file costs nothing.

use super::store::{MAX_ENTRY_BYTES, decode_any};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use std::path::{Path, PathBuf};

/// Kinds of entries, as `--kind` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Aws,
    Alibaba,
    AckCert,
    Plugin,
}

impl Kind {
    /// Parses `--kind`.
    ///
    /// ```
    /// use kubecred::cache::inventory::Kind;
    /// assert_eq!(Kind::parse("ack-cert"), Some(Kind::AckCert));
    /// assert_eq!(Kind::parse("gcp"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "aws" => Some(Kind::Aws),
            "alibaba" => Some(Kind::Alibaba),
            "ack-cert" => Some(Kind::AckCert),
            "plugin" => Some(Kind::Plugin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Aws => "aws",
            Kind::Alibaba => "alibaba",
            Kind::AckCert => "ack-cert",
            Kind::Plugin => "plugin",
        }
    }

    /// The kind of a kubecred entry by its namespace (the file name's label).
    fn of_namespace(label: &str) -> Option<Kind> {
        if label.starts_with("aws-") {
            Some(Kind::Aws)
        } else if label.starts_with("alibaba-") {
            Some(Kind::Alibaba)
        } else if label == super::plugin::NAMESPACE {
            Some(Kind::Plugin)
        } else {
            None
        }
    }
}

/// One entry file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    /// What it is for (role ARN, cluster id, plugin command), or why it cannot be read.
    pub about: String,
    pub expires: Option<Timestamp>,
    pub path: PathBuf,
    /// False for another user's file: reported, never removed.
    pub ours: bool,
}

impl Item {
    /// `kind<TAB>about<TAB>time left<TAB>path`, as `kubecred cache list` prints it.
    ///
    /// ```
    /// use kubecred::cache::inventory::{Item, Kind};
    /// use kubecred::time::Timestamp;
    /// let item = Item { kind: Kind::Aws, about: "aws-imds http://169.254.169.254 (instance-metadata)".into(),
    ///     expires: Some(Timestamp(4000)), path: "/c/aws-imds-0.json".into(), ours: true };
    /// assert_eq!(item.line(Timestamp(400)),
    ///     "aws\taws-imds http://169.254.169.254 (instance-metadata)\t1h0m0s left\t/c/aws-imds-0.json");
    /// ```
    pub fn line(&self, now: Timestamp) -> String {
        let left = match self.expires {
            Some(at) if at.0 > now.0 => {
                format!("{} left", crate::duration::format(std::time::Duration::from_secs((at.0 - now.0) as u64)))
            }
            Some(_) => "expired".to_string(),
            None => "-".to_string(),
        };
        // One line per entry whatever a directory or command name holds (tabs, newlines, escapes).
        let plain = |text: &str| -> String { text.chars().map(|c| if c.is_control() { '?' } else { c }).collect() };
        format!("{}\t{}\t{left}\t{}", self.kind.as_str(), plain(&self.about), plain(&self.path.display().to_string()))
    }
}

/// The entries in `cache_dir` (kubecred's) and `cert_dir` (ACK certificates),
/// sorted by path; a directory that is missing holds none. `Err` only for a
/// directory kubecred would not use (not ours alone) or cannot read.
///
/// ```
/// use kubecred::cache::inventory::{clear, list, Kind};
/// # let dir = std::env::temp_dir().join(format!("kubecred-doc-inventory-{}", std::process::id()));
/// let name = format!("plugin-{}.json", "0".repeat(64));
/// kubecred::secret_files::write_private(&dir.join(&name), br#"{"format":"kubecred-cache-v1","key":"x"}"#)?;
/// let items = list(Some(&dir), None)?;
/// assert_eq!((items.len(), items[0].kind), (1, Kind::Plugin));
/// assert!(items[0].about.starts_with("unusable: "), "{}", items[0].about);
/// assert_eq!(clear(Some(&dir), None, Some(Kind::Aws))?.len(), 0);
/// assert_eq!(clear(Some(&dir), None, None)?.len(), 1);
/// assert!(list(Some(&dir), None)?.is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn list(cache_dir: Option<&Path>, cert_dir: Option<&Path>) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    if let Some(dir) = cache_dir {
        for path in entry_files(dir)? {
            if let Some(item) = kubecred_item(&path) {
                items.push(item);
            }
        }
    }
    if let Some(dir) = cert_dir {
        for path in entry_files(dir)? {
            if let Some(item) = ack_cert_item(&path) {
                items.push(item);
            }
        }
    }
    items.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(items)
}

/// Removes the entries of `kind` (all kinds when `None`) that are ours, and
/// returns them. Example: see [`list`].
pub fn clear(cache_dir: Option<&Path>, cert_dir: Option<&Path>, kind: Option<Kind>) -> Result<Vec<Item>> {
    let mut removed = Vec::new();
    for item in list(cache_dir, cert_dir)? {
        if kind.is_some_and(|k| k != item.kind) || !item.ours {
            continue;
        }
        match std::fs::remove_file(&item.path) {
            Ok(()) => removed.push(item),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::new(format!("removing {}: {e}", item.path.display()))),
        }
    }
    Ok(removed)
}

/// The `*.json` files of `dir`, if it is one kubecred trusts.
fn entry_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    crate::secret_files::check_dir(dir)?;
    let reading = |e: std::io::Error| Error::new(format!("reading the directory {}: {e}", dir.display()));
    let mut files = Vec::new();
    for dirent in std::fs::read_dir(dir).map_err(reading)? {
        let path = dirent.map_err(reading)?.path();
        if path.extension().is_some_and(|x| x == "json") {
            files.push(path);
        }
    }
    Ok(files)
}

/// `label-<64 hex>.json`, as [`super::store::Key`] names files.
fn kubecred_item(path: &Path) -> Option<Item> {
    let stem = path.file_stem()?.to_str()?;
    let (label, hash) = stem.rsplit_once('-')?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let kind = Kind::of_namespace(label)?;
    let (about, expires) = match read(path) {
        Err(why) => (why, None),
        Ok(bytes) => match decode_any(&bytes) {
            Ok((stored_hash, _)) if stored_hash != hash => ("unusable: written for another key".into(), None),
            Ok((_, stored)) => {
                let about = stored.about.unwrap_or_else(|| format!("{label} (written before entries said what for)"));
                (about, Some(stored.entry.expires))
            }
            Err(why) => (format!("unusable: {why}"), None),
        },
    };
    Some(Item { kind, about, expires, path: path.to_path_buf(), ours: owned_by_us(path) })
}

/// `{cluster}-exec-auth-credential-{api}[-sha1].json`, as ack-ram-tool names them.
fn ack_cert_item(path: &Path) -> Option<Item> {
    let stem = path.file_stem()?.to_str()?;
    let (cluster, rest) = stem.split_once("-exec-auth-credential-")?;
    let api = rest.split('-').next().unwrap_or(rest);
    let mut about = format!("cluster {cluster} ({api})");
    if rest.len() > api.len() {
        about.push_str(", for a role or profile");
    }
    let expires = match read(path) {
        Err(why) => {
            about = why;
            None
        }
        Ok(bytes) => expiry_of_exec_credential(&bytes),
    };
    Some(Item { kind: Kind::AckCert, about, expires, path: path.to_path_buf(), ours: owned_by_us(path) })
}

/// `status.expirationTimestamp` of an ExecCredential document, if it has one.
fn expiry_of_exec_credential(bytes: &[u8]) -> Option<Timestamp> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let text = value.get("status")?.get("expirationTimestamp")?.as_str()?;
    Timestamp::parse_rfc3339(text).ok()
}

/// True when this user owns the file (or link) itself: then removing it
/// touches nothing of anyone else's, whatever its mode or contents.
fn owned_by_us(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.uid() == crate::secret_files::trust::euid())
}

/// The file's bytes when it is ours to read; else why not.
fn read(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("unreadable: {e}"))?;
    if meta.file_type().is_symlink() {
        return Err("a symbolic link, not followed".into());
    }
    if let Some(why) = crate::secret_files::trust::foreign_file(&meta) {
        return Err(format!("not trusted: {why}"));
    }
    match crate::secret_files::read_private(path, MAX_ENTRY_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err("unreadable (larger than an entry can be)".into()),
        Err(e) => Err(format!("unreadable: {}", e.message())),
    }
}
