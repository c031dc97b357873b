//! Alibaba Cloud credentials, as every source in the chain yields them.

use crate::secret::Secret;
use crate::time::Timestamp;

/// An AccessKey pair, with a security token and expiry when from STS.
///
/// `Debug` never shows the secret or the security token (they are [`Secret`]s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
    /// When STS credentials stop working; `None` for long-term AccessKeys.
    pub expiration: Option<Timestamp>,
    /// Which source produced them, for `--log-level debug` and error messages.
    pub source: &'static str,
}
