//! The on-disk credential cache, shared by the AWS and Alibaba sides.
//!
//! kubectl runs the exec plugin for every command; credentials that cost a
//! network call (assumed roles, web identity, SSO, instance and container
//! credentials, ACK certificates) are kept on disk so that one call serves
//! every run until the credential nears its expiry. Providers wrap their fetch
//! in [`cached`]:
//!
//! ```no_run
//! use kubecred::cache::{cached, Entry, Freshness};
//! # fn call_sts() -> kubecred::error::Result<Entry> { unimplemented!() }
//! let entry = cached("aws-assume-role", &["arn:aws:iam::1:role/r", "AKIA...", "us-east-1"],
//!     Freshness::RoleCredentials, call_sts)?;
//! # Ok::<(), kubecred::error::Error>(())
//! ```
//!
//! * Where: see [`location`]; `--no-cache` and `--cache-dir` reach here through [`configure`].
//! * How: one file per key, named by the SHA-256 of the namespace and key parts
//!   ([`store`]); directory 0700, files 0600 written through
//!   [`crate::secret_files`]. A fresh entry is read without any lock. Otherwise the
//!   caller takes an advisory lock on the key's lock file, looks again (another
//!   process may have just fetched it), and only then calls `fetch`: 32
//!   parallel cold starts cost one network call.
//! * When: see [`freshness`].
//! * Failure: the cache never makes a command fail. An unusable location (no
//!   HOME, a read-only file system, a directory others may write) or a broken
//!   entry is logged at debug level and the credential is fetched as if there
//!   were no cache.

pub mod about;
pub mod credentials;
pub mod freshness;
pub mod inventory;
pub mod location;
pub mod plugin;
pub mod store;

pub use credentials::{CachedCredentials, cached_credentials};

use crate::error::Result;
use crate::time::Timestamp;
use freshness::{Stamps, Verdict, judge};
use std::cell::RefCell;
use std::path::PathBuf;
use store::{Key, Store};

/// When a cached entry is still good enough to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Role and instance credentials: used while more than 15 minutes remain.
    RoleCredentials,
    /// Certificates: refreshed when less than max(20 % of the lifetime, 10 min) remains.
    Certificate,
    /// Another plugin's ExecCredential (`kubecred cache run`): used while more
    /// than max(10 % of the lifetime, 1 min) remains.
    ExecCredential,
}

/// A cached value and the time it stops being valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub payload: serde_json::Value,
    /// When it stops working, as the server said.
    pub expires: Timestamp,
    /// When it was issued, by the server's clock, if known (a certificate's
    /// NotBefore, or the `Date` of the reply). It guards against a local clock
    /// that runs behind the server's (see [`freshness`]); leave `None` rather than
    /// filling in our own clock.
    pub issued: Option<Timestamp>,
}

/// How this process uses the cache, from `--no-cache`, `--cache-dir` and the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheSettings {
    /// `--no-cache`: always fetch, never read or write entries.
    pub disabled: bool,
    /// `--cache-dir`: overrides the environment (see [`location`]).
    pub dir: Option<PathBuf>,
}

thread_local! {
    static SETTINGS: RefCell<CacheSettings> = RefCell::new(CacheSettings::default());
}

/// Sets how the cache is used for the rest of the process (as `http::configure`).
pub fn configure(settings: CacheSettings) {
    SETTINGS.with(|s| *s.borrow_mut() = settings);
}

/// The current settings.
pub fn settings() -> CacheSettings {
    SETTINGS.with(|s| s.borrow().clone())
}

/// The directory entries go to, or `None` when the cache is off or has no place.
pub fn directory() -> Option<PathBuf> {
    let settings = settings();
    if settings.disabled {
        return None;
    }
    // Unit tests elsewhere in the crate run chains in-process: they must neither
    // read nor write the real user's cache. (Integration tests run the binary.)
    if cfg!(test) && settings.dir.is_none() {
        return None;
    }
    location::from_process(settings.dir.as_deref())
}

/// Returns the cached entry for `key_parts` under `namespace` if it is fresh,
/// else calls `fetch`, stores its result, and returns it. `key_parts` must hold
/// everything that determines the value (role ARN, source identity, region...).
///
/// Errors come only from `fetch`, and are never cached. The entry's `about`
/// (for `kubecred cache list`) is [`about::describe`] of the key.
pub fn cached(
    namespace: &str,
    key_parts: &[&str],
    freshness: Freshness,
    fetch: impl FnOnce() -> Result<Entry>,
) -> Result<Entry> {
    cached_about(namespace, key_parts, &about::describe(namespace, key_parts), freshness, fetch)
}

/// [`cached`] with the entry's description given; `about` must hold no secret.
///
/// ```no_run
/// use kubecred::cache::{Entry, Freshness, cached_about};
/// # fn run_plugin() -> kubecred::error::Result<Entry> { unimplemented!() }
/// let entry = cached_about("plugin", &["/home/u", "my-plugin"], "plugin my-plugin", Freshness::ExecCredential,
///     run_plugin)?;
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn cached_about(
    namespace: &str,
    key_parts: &[&str],
    about: &str,
    freshness: Freshness,
    fetch: impl FnOnce() -> Result<Entry>,
) -> Result<Entry> {
    let Some(dir) = directory() else {
        crate::debug!("cache: off (--no-cache, or no KUBECRED_CACHE_DIR, XDG_CACHE_HOME or HOME)");
        return fetch();
    };
    let key = Lookup { namespace, parts: key_parts, about };
    cached_in(&Store::new(dir), &key, freshness, Timestamp::now, fetch)
}

/// What [`cached_in`] looks up: the key and the words describing it.
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    pub namespace: &'a str,
    pub parts: &'a [&'a str],
    /// Shown by `kubecred cache list`; no secrets.
    pub about: &'a str,
}

/// [`cached`] with an explicit store and clock (tests use a fake clock).
pub fn cached_in(
    store: &Store,
    lookup: &Lookup,
    freshness: Freshness,
    clock: impl Fn() -> Timestamp,
    fetch: impl FnOnce() -> Result<Entry>,
) -> Result<Entry> {
    let Lookup { namespace, parts: key_parts, about } = *lookup;
    let key = Key::new(namespace, key_parts);
    // Entries are replaced by rename, so reading without the lock sees a whole file.
    if let Some(entry) = fresh_entry(store, namespace, &key, freshness, clock()) {
        return Ok(entry);
    }
    let lock = match store.lock(&key) {
        Ok(lock) => lock,
        Err(e) => {
            crate::debug!("cache: {e}; carrying on without the cache");
            return fetch();
        }
    };
    // Another process may have fetched while we waited for the lock.
    if lock.is_some()
        && let Some(entry) = fresh_entry(store, namespace, &key, freshness, clock())
    {
        return Ok(entry);
    }
    let entry = fetch()?;
    let fetched = clock();
    let stamps = Stamps { expires: entry.expires, issued: entry.issued, fetched };
    match judge(freshness, &stamps, fetched) {
        Verdict::Fresh => match store.save(&key, &entry, fetched, about) {
            Ok(()) => crate::debug!("cache: stored {namespace} entry until {}", entry.expires.to_rfc3339()),
            Err(e) => crate::debug!("cache: {e}; carrying on without the cache"),
        },
        // Storing it would only make the next run fetch again after reading it.
        Verdict::Stale => crate::debug!("cache: not storing {namespace} entry: it is already due for refresh"),
        Verdict::Suspect(why) => crate::debug!("cache: not storing {namespace} entry: {why}"),
    }
    Ok(entry)
}

fn fresh_entry(store: &Store, namespace: &str, key: &Key, freshness: Freshness, now: Timestamp) -> Option<Entry> {
    let stored = store.load(key)?;
    match judge(freshness, &stored.stamps(), now) {
        Verdict::Fresh => {
            crate::debug!("cache: using {namespace} entry until {}", stored.entry.expires.to_rfc3339());
            crate::trail::cache_hit(namespace);
            Some(stored.entry)
        }
        Verdict::Stale => {
            crate::debug!("cache: {namespace} entry {} is due for refresh", key.hash());
            None
        }
        Verdict::Suspect(why) => {
            crate::debug!("cache: {namespace} entry {} is suspect: {why}", key.hash());
            None
        }
    }
}

#[cfg(test)]
mod tests;
