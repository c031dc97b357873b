//! AWS credentials, as every provider in the chain yields them.

use crate::secret::Secret;
use crate::time::Timestamp;

/// An access key pair, with a session token and expiry when temporary.
///
/// `Debug` never shows the secret or the session token (they are [`Secret`]s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    /// When temporary credentials stop working; `None` for long-term keys.
    pub expiration: Option<Timestamp>,
    /// Which provider produced them, for `--debug` and error messages.
    pub source: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let c = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "SECRETSECRET".into(),
            session_token: Some("TOKENTOKEN".into()),
            expiration: None,
            source: "env",
        };
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("SECRETSECRET") && !shown.contains("TOKENTOKEN"));
    }
}
