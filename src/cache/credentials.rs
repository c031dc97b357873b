//! Caching cloud credentials: one wrapper over [`cached`](super::cached) for
//! the AWS and Alibaba sides, which differ only in how their credentials are
//! written into an entry.

use super::{Entry, Freshness, cached_about};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde_json::Value;

/// Credentials that can live in the cache.
pub trait CachedCredentials: Sized {
    /// The entry's payload.
    fn to_payload(&self) -> Value;
    /// The inverse of [`to_payload`](Self::to_payload); `source` names the provider.
    fn from_payload(payload: &Value, source: &'static str) -> Option<Self>;
    fn expiration(&self) -> Option<Timestamp>;
}

/// Role credentials for `key_parts` under `namespace` from the cache while they
/// have more than 15 minutes left, else from `fetch` (and then cached).
/// `key_parts` must hold everything that decides the credentials.
pub fn cached_credentials<C: CachedCredentials>(
    namespace: &str,
    key_parts: &[&str],
    source: &'static str,
    fetch: impl FnOnce() -> Result<C>,
) -> Result<C> {
    let about = format!("{} ({source})", super::about::describe(namespace, key_parts));
    let entry = cached_about(namespace, key_parts, &about, Freshness::RoleCredentials, || {
        let credentials = fetch()?;
        Ok(Entry {
            payload: credentials.to_payload(),
            // Credentials without an expiry are never fresh: they are fetched every time.
            expires: credentials.expiration().unwrap_or_else(Timestamp::now),
            issued: None,
        })
    })?;
    C::from_payload(&entry.payload, source).ok_or_else(|| Error::new(format!("{namespace}: unreadable cache entry")))
}
