//! The on-disk credential cache, shared by the AWS and Alibaba sides.
//!
//! OWNER: the cache work (issue 6). Today [`cached`] always fetches; the
//! interface is what providers call.

use crate::error::Result;
use crate::time::Timestamp;

/// When a cached entry is still good enough to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Role and instance credentials: used while more than 15 minutes remain.
    RoleCredentials,
    /// Certificates: refreshed when less than max(20 % of the lifetime, 10 min) remains.
    Certificate,
}

/// A cached value and the time it stops being valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub payload: serde_json::Value,
    pub expires: Timestamp,
    /// When it was issued, if known (for the certificate rule).
    pub issued: Option<Timestamp>,
}

/// Returns the cached entry for `key_parts` under `namespace` if it is fresh,
/// else calls `fetch`, stores its result, and returns it. `key_parts` must hold
/// everything that determines the value (role ARN, source identity, region...).
pub fn cached(
    _namespace: &str,
    _key_parts: &[&str],
    _freshness: Freshness,
    fetch: impl FnOnce() -> Result<Entry>,
) -> Result<Entry> {
    fetch()
}
