//! What a credential chain decided about each source it passed over, and
//! whether the cache served what it found: logged at debug level always, and
//! recorded for `kubecred doctor`, which explains a chain by running it
//! rather than by keeping a second copy of its order and rules.
//!
//! Chains call [`skipped`] with the source's name (one of their `SOURCES`)
//! and the reason, which must carry no secret (names of variables, files,
//! profiles; never values).

use std::cell::RefCell;

/// One source a chain passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// `AWS` or `Alibaba Cloud`.
    pub chain: &'static str,
    pub source: &'static str,
    pub why: String,
}

/// What was recorded while [`record`] ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub skips: Vec<Skip>,
    /// Cache namespaces whose entries were used instead of a call.
    pub cache_hits: Vec<String>,
    /// Chains that were trying their sources when recording ended: an error
    /// then came from a source, not from the chain's own set-up (a missing
    /// profile, an unreadable config file).
    pub walking: Vec<&'static str>,
}

thread_local! {
    static RECORDING: RefCell<Option<Record>> = const { RefCell::new(None) };
}

/// Notes that `chain` passed over `source` because of `why`.
///
/// ```
/// use kubecred::trail::{record, skipped};
/// let ((), record) = record(|| skipped("AWS", "web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set"));
/// assert_eq!(record.skips[0].source, "web identity");
/// ```
pub fn skipped(chain: &'static str, source: &'static str, why: impl Into<String>) {
    let why = why.into();
    crate::debug!("{chain} chain: {source}: skipped ({why})");
    RECORDING.with(|r| {
        if let Some(record) = r.borrow_mut().as_mut() {
            record.skips.push(Skip { chain, source, why });
        }
    });
}

/// Notes that `chain` starts (`true`) or stops (`false`) trying its sources.
///
/// ```
/// use kubecred::trail::{record, walking};
/// let ((), record) = record(|| walking("AWS", true));
/// assert_eq!(record.walking, ["AWS"]);
/// ```
pub fn walking(chain: &'static str, on: bool) {
    RECORDING.with(|r| {
        if let Some(record) = r.borrow_mut().as_mut() {
            record.walking.retain(|c| *c != chain);
            if on {
                record.walking.push(chain);
            }
        }
    });
}

/// Notes that a cached entry under `namespace` was used.
///
/// ```
/// let ((), record) = kubecred::trail::record(|| kubecred::trail::cache_hit("aws-sts"));
/// assert_eq!(record.cache_hits, ["aws-sts"]);
/// ```
pub fn cache_hit(namespace: &str) {
    RECORDING.with(|r| {
        if let Some(record) = r.borrow_mut().as_mut() {
            record.cache_hits.push(namespace.to_string());
        }
    });
}

/// Runs `f` and returns what it recorded (nothing is recorded outside `record`).
///
/// ```
/// use kubecred::trail::{record, skipped};
/// skipped("AWS", "SSO", "not recorded");
/// let (n, record) = record(|| 7);
/// assert_eq!((n, record.skips.len()), (7, 0));
/// ```
pub fn record<T>(f: impl FnOnce() -> T) -> (T, Record) {
    RECORDING.with(|r| *r.borrow_mut() = Some(Record::default()));
    let result = f();
    let record = RECORDING.with(|r| r.borrow_mut().take()).unwrap_or_default();
    (result, record)
}
