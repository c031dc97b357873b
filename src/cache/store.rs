//! Cache entries on disk: one file per key, named by a hash of the key, and a
//! lock file beside it.
//!
//! An entry file is compact JSON:
//!
//! ```json
//! {"format":"kubecred-cache-v1","key":"<sha256 hex>","about":"aws-sts assume-role arn:aws:iam::1:role/r",
//!  "fetched":1700000000,"issued":null,"expires":1700003600,"payload":{...}}
//! ```
//!
//! `about` (optional; older entries lack it) says what the entry is for, for
//! `kubecred cache list`: built only from key parts that are not secret (see
//! [`super::about`]). It is additive, so the format marker stays: a kubecred
//! that predates it reads such entries and ignores the field.
//!
//! `key` repeats the hash in the file name, so a file copied or renamed from
//! another key is not used. Anything that does not parse as this exact format
//! (a truncated file, another program's, an older kubecred's) is ignored and
//! replaced on the next store. The directory must be owned by the effective
//! user (or root) and not writable by group or others, and entries must be
//! owned by the effective user and private to them: otherwise they are not
//! trusted (see [`crate::secret_files`]).

use super::freshness::Stamps;
use crate::cache::Entry;
use crate::error::Result;
use crate::secret_files::{Lock, LockFile, check_dir, create_private_dir, read_private, write_private};
use crate::time::Timestamp;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The format marker every entry file starts with; a new layout gets a new marker.
pub const FORMAT: &str = "kubecred-cache-v1";
/// Entries larger than this are not read (certificates with keys are a few KiB).
pub const MAX_ENTRY_BYTES: u64 = 1 << 20;

/// What identifies one cached value: a hash of the namespace and every key part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The namespace with anything but `[A-Za-z0-9_-]` replaced, to keep file names readable.
    label: String,
    hash: String,
}

impl Key {
    /// Hashes `namespace` and `parts`, each prefixed by its length so that no two
    /// different lists (`["ab", "c"]`, `["a", "bc"]`) hash alike.
    pub fn new(namespace: &str, parts: &[&str]) -> Key {
        let mut input = Vec::with_capacity(64);
        for item in std::iter::once(namespace).chain(parts.iter().copied()) {
            input.extend_from_slice(&(item.len() as u64).to_be_bytes());
            input.extend_from_slice(item.as_bytes());
        }
        let label = namespace
            .chars()
            .take(40)
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        Key { label, hash: crate::digest::sha256_hex(&input) }
    }

    pub fn hash(&self) -> &str {
        &self.hash
    }

    fn file_name(&self, suffix: &str) -> String {
        format!("{}-{}.{suffix}", self.label, self.hash)
    }
}

/// A stored entry and when we stored it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub entry: Entry,
    /// Our clock when the entry was stored.
    pub fetched: Timestamp,
    /// What the entry is for, in words without secrets (absent in older entries).
    pub about: Option<String>,
}

impl Stored {
    pub fn stamps(&self) -> Stamps {
        Stamps { expires: self.entry.expires, issued: self.entry.issued, fetched: self.fetched }
    }
}

/// The cache directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn entry_path(&self, key: &Key) -> PathBuf {
        self.dir.join(key.file_name("json"))
    }

    pub fn lock_path(&self, key: &Key) -> PathBuf {
        self.dir.join(key.file_name("lock"))
    }

    /// The entry for `key`, or `None` when there is none that can be trusted
    /// (missing, unreadable, corrupt, another user's, or in a directory that is
    /// not ours alone).
    pub fn load(&self, key: &Key) -> Option<Stored> {
        if !self.dir.exists() {
            return None;
        }
        if let Err(why) = check_dir(&self.dir) {
            crate::debug!("cache: not using it: {why}");
            return None;
        }
        let path = self.entry_path(key);
        let bytes = match read_private(&path, MAX_ENTRY_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return None,
            Err(e) => {
                crate::debug!("cache: {e}");
                return None;
            }
        };
        match decode(&bytes, key) {
            Ok(stored) => Some(stored),
            Err(why) => {
                crate::debug!("cache: ignoring {}: {why}", path.display());
                None
            }
        }
    }

    /// Creates the directory (mode 0700) if missing and takes the lock for `key`.
    ///
    /// `Err` when the directory is unusable: it cannot be created, it is not
    /// ours alone (see [`check_dir`]), or no lock file can be made there (a
    /// read-only file system, or a link planted at the lock's name).
    /// `Ok(None)` when all that is fine but the file system cannot lock: entries
    /// can still be stored (they are renamed into place), only without the
    /// guarantee of a single fetch.
    pub fn lock(&self, key: &Key) -> Result<Option<Lock>> {
        create_private_dir(&self.dir)?;
        match LockFile::open(&self.lock_path(key))?.lock() {
            Ok(lock) => Ok(Some(lock)),
            Err(e) => {
                crate::debug!("cache: {e}; going on without the lock");
                Ok(None)
            }
        }
    }

    /// Writes the entry for `key` atomically (mode 0600), with `about` saying
    /// what it is for (no secrets: it is shown by `kubecred cache list`).
    pub fn save(&self, key: &Key, entry: &Entry, fetched: Timestamp, about: &str) -> Result<()> {
        write_private(&self.entry_path(key), encode(key, entry, fetched, Some(about)).as_bytes())
    }
}

/// The file contents for an entry.
pub fn encode(key: &Key, entry: &Entry, fetched: Timestamp, about: Option<&str>) -> String {
    let mut map = Map::new();
    map.insert("format".into(), FORMAT.into());
    map.insert("key".into(), key.hash.clone().into());
    if let Some(about) = about {
        map.insert("about".into(), about.into());
    }
    map.insert("fetched".into(), fetched.0.into());
    map.insert("issued".into(), entry.issued.map_or(Value::Null, |t| t.0.into()));
    map.insert("expires".into(), entry.expires.0.into());
    map.insert("payload".into(), entry.payload.clone());
    crate::json::to_string(&Value::Object(map), 0)
}

/// Parses an entry file; the error says why it is not usable (never its content).
pub fn decode(bytes: &[u8], key: &Key) -> std::result::Result<Stored, &'static str> {
    let (hash, stored) = decode_any(bytes)?;
    if hash != key.hash {
        return Err("written for another key");
    }
    Ok(stored)
}

/// Parses an entry file written for any key, and returns that key's hash with
/// it (`kubecred cache list` knows files, not keys).
pub fn decode_any(bytes: &[u8]) -> std::result::Result<(String, Stored), &'static str> {
    let value: Value = serde_json::from_slice(bytes).map_err(|_| "not valid JSON")?;
    let Value::Object(mut map) = value else {
        return Err("not a JSON object");
    };
    if map.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err("not a kubecred cache entry of this version");
    }
    let hash = map.get("key").and_then(Value::as_str).ok_or("no key")?.to_string();
    let about = match map.get("about") {
        None => None,
        Some(Value::String(about)) => Some(about.clone()),
        Some(_) => return Err("about is not a string"),
    };
    let time = |name: &str| map.get(name).and_then(Value::as_i64).map(Timestamp);
    let fetched = time("fetched").ok_or("no fetched time")?;
    let expires = time("expires").ok_or("no expiry")?;
    let issued = match map.get("issued") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_i64().map(Timestamp).ok_or("issued is not a number")?),
    };
    let payload = map.remove("payload").ok_or("no payload")?;
    Ok((hash, Stored { entry: Entry { payload, expires, issued }, fetched, about }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry() -> Entry {
        Entry { payload: json!({"AccessKeyId": "ASIA", "n": [1, 2]}), expires: Timestamp(5000), issued: None }
    }

    #[test]
    fn keys_depend_on_every_part_and_its_boundaries() {
        let base = Key::new("aws-role", &["arn:aws:iam::1:role/a", "us-east-1"]);
        assert_eq!(base, Key::new("aws-role", &["arn:aws:iam::1:role/a", "us-east-1"]));
        assert_ne!(base, Key::new("aws-role", &["arn:aws:iam::1:role/a", "us-east-2"]));
        assert_ne!(base, Key::new("alibaba-role", &["arn:aws:iam::1:role/a", "us-east-1"]));
        assert_ne!(Key::new("n", &["ab", "c"]), Key::new("n", &["a", "bc"]));
        assert_ne!(Key::new("n", &["a"]), Key::new("na", &[]));
        assert_eq!(base.hash().len(), 64);
    }

    #[test]
    fn file_names_are_safe() {
        let key = Key::new("../evil/ns", &["x"]);
        let name = key.file_name("json");
        assert!(!name.contains('/'), "{name}");
        assert!(name.starts_with("___evil_ns-"), "{name}");
    }

    #[test]
    fn encode_decode_round_trip() {
        let key = Key::new("ns", &["a"]);
        let mut e = entry();
        let text = encode(&key, &e, Timestamp(100), None);
        assert!(text.starts_with(r#"{"format":"kubecred-cache-v1","key":""#), "{text}");
        assert_eq!(
            decode(text.as_bytes(), &key),
            Ok(Stored { entry: e.clone(), fetched: Timestamp(100), about: None })
        );
        e.issued = Some(Timestamp(90));
        let text = encode(&key, &e, Timestamp(100), Some("ns a"));
        let stored = decode(text.as_bytes(), &key).unwrap();
        assert_eq!((stored.entry, stored.about.as_deref()), (e, Some("ns a")));
    }

    #[test]
    fn foreign_and_corrupt_contents_are_refused() {
        let key = Key::new("ns", &["a"]);
        let good = encode(&key, &entry(), Timestamp(100), Some("ns"));
        assert!(decode(&good.as_bytes()[..good.len() - 3], &key).is_err());
        assert!(decode(b"", &key).is_err());
        assert!(decode(b"[1]", &key).is_err());
        assert!(decode(good.replace("cache-v1", "cache-v0").as_bytes(), &key).is_err());
        assert_eq!(decode(good.as_bytes(), &Key::new("ns", &["b"])), Err("written for another key"));
        assert!(decode(good.replace("\"expires\":5000", "\"expires\":\"5000\"").as_bytes(), &key).is_err());
        assert!(decode(good.replace("\"issued\":null", "\"issued\":\"x\"").as_bytes(), &key).is_err());
        assert!(decode(good.replace(",\"payload\"", ",\"other\"").as_bytes(), &key).is_err());
        assert!(decode(good.replace("\"about\":\"ns\"", "\"about\":1").as_bytes(), &key).is_err());
    }
}
