//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SECURITY_TOKEN` or `AWS_SESSION_TOKEN` (botocore's EnvProvider takes the
//! older name first when both are set), with an optional
//! `AWS_CREDENTIAL_EXPIRATION`.

use crate::aws::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::time::Timestamp;

/// `Ok(None)` when `AWS_ACCESS_KEY_ID` is unset; an error when only half a key pair is set.
pub fn load(env: &Env) -> Result<Option<Credentials>> {
    let Some(access_key_id) = env.get("AWS_ACCESS_KEY_ID") else {
        return Ok(None);
    };
    let secret = env
        .get("AWS_SECRET_ACCESS_KEY")
        .ok_or_else(|| Error::new("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))?;
    let expiration = match env.get("AWS_CREDENTIAL_EXPIRATION") {
        Some(text) => Some(Timestamp::parse_rfc3339(text).map_err(|e| e.context("AWS_CREDENTIAL_EXPIRATION"))?),
        None => None,
    };
    Ok(Some(Credentials {
        access_key_id: access_key_id.to_string(),
        secret_access_key: secret.into(),
        session_token: env
            .get("AWS_SECURITY_TOKEN")
            .or_else(|| env.get("AWS_SESSION_TOKEN"))
            .map(crate::secret::Secret::from),
        expiration,
        source: "environment",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_halves() {
        assert_eq!(load(&Env::default()).unwrap(), None);
        let env =
            Env::from_pairs(&[("AWS_ACCESS_KEY_ID", "A"), ("AWS_SECRET_ACCESS_KEY", "S"), ("AWS_SECURITY_TOKEN", "T")]);
        let c = load(&env).unwrap().unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.session_token.as_ref().map(crate::secret::Secret::expose)),
            ("A", Some("T"))
        );
        let both = Env::from_pairs(&[
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
            ("AWS_SESSION_TOKEN", "SESSION"),
            ("AWS_SECURITY_TOKEN", "SECURITY"),
        ]);
        assert_eq!(
            load(&both).unwrap().unwrap().session_token.as_ref().map(crate::secret::Secret::expose),
            Some("SECURITY")
        );
        let e = load(&Env::from_pairs(&[("AWS_ACCESS_KEY_ID", "A")])).unwrap_err();
        assert!(e.message().contains("AWS_SECRET_ACCESS_KEY"));
    }
}
