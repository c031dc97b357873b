//! Long-term keys written in a profile: `aws_access_key_id`,
//! `aws_secret_access_key` and optionally `aws_session_token` (or
//! `aws_security_token`). botocore looks in the credentials file first and in
//! the config file later in the chain, with `credential_process` in between.

use crate::aws::credentials::Credentials;
use crate::aws::profile::{AwsConfig, Origin};
use crate::error::{Error, Result};

/// The keys `profile` has in the file `origin`; `Ok(None)` when it has none,
/// an error when only one half of the pair is there.
pub fn load(config: &AwsConfig, profile: &str, origin: Origin) -> Result<Option<Credentials>> {
    let Some(settings) = config.profile(profile) else {
        return Ok(None);
    };
    let get = |key: &str| settings.get_from(key, origin);
    let file = match origin {
        Origin::Config => &config.config_path,
        Origin::Credentials => &config.credentials_path,
    };
    let (id, secret) = match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (None, None) => return Ok(None),
        (Some(id), Some(secret)) => (id, secret),
        (Some(_), None) => return Err(partial(profile, file, "aws_secret_access_key")),
        (None, Some(_)) => return Err(partial(profile, file, "aws_access_key_id")),
    };
    Ok(Some(Credentials {
        access_key_id: id.to_string(),
        secret_access_key: secret.into(),
        session_token: get("aws_session_token").or_else(|| get("aws_security_token")).map(crate::secret::Secret::from),
        expiration: None,
        source: match origin {
            Origin::Config => "config-file",
            Origin::Credentials => "shared-credentials-file",
        },
    }))
}

fn partial(profile: &str, file: &std::path::Path, missing: &str) -> Error {
    Error::new(format!("profile {profile} in {}: {missing} is missing (keys come in pairs)", file.display()))
}
