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

/// Notes that a cached entry under `namespace` was used.
pub fn cache_hit(namespace: &str) {
    RECORDING.with(|r| {
        if let Some(record) = r.borrow_mut().as_mut() {
            record.cache_hits.push(namespace.to_string());
        }
    });
}

/// Runs `f` and returns what it recorded.
pub fn record<T>(f: impl FnOnce() -> T) -> (T, Record) {
    RECORDING.with(|r| *r.borrow_mut() = Some(Record::default()));
    let result = f();
    let record = RECORDING.with(|r| r.borrow_mut().take()).unwrap_or_default();
    (result, record)
}
