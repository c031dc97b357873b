//! Alibaba Cloud credentials, as every source in the chain yields them.

use crate::time::Timestamp;
use std::fmt;

/// An AccessKey pair, with a security token and expiry when from STS.
///
/// `Debug` never shows the secret or the security token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
    /// When STS credentials stop working; `None` for long-term AccessKeys.
    pub expiration: Option<Timestamp>,
    /// Which source produced them, for `--log-level debug` and error messages.
    pub source: &'static str,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .field("expiration", &self.expiration)
            .field("source", &self.source)
            .finish()
    }
}
