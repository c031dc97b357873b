//! The AWS credential chain, in botocore's order.
//!
//! OWNER: the credential-chain work (issue 3). Today only the environment
//! provider is here; the profile, web identity, SSO, process, container and
//! instance-metadata providers each get a file under `src/aws/providers/`.

use crate::aws::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, Result};

/// What the caller knows that steers the chain.
#[derive(Debug, Clone, Default)]
pub struct ChainRequest {
    /// `--profile`; else `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, `default`.
    pub profile: Option<String>,
    /// The region the command resolved, for STS calls the chain makes.
    pub region: Option<String>,
}

/// Walks the chain and returns the first credentials found.
pub fn resolve(_request: &ChainRequest, env: &Env) -> Result<Credentials> {
    from_environment(env).ok_or_else(|| Error::new("no AWS credentials found (tried: environment)"))
}

/// The region the profile names (`region` in ~/.aws/config), if any.
pub fn profile_region(_request: &ChainRequest, _env: &Env) -> Result<Option<String>> {
    Ok(None)
}

fn from_environment(env: &Env) -> Option<Credentials> {
    let var = |name: &str| env.get(name).map(str::to_string);
    Some(Credentials {
        access_key_id: var("AWS_ACCESS_KEY_ID")?,
        secret_access_key: var("AWS_SECRET_ACCESS_KEY")?,
        session_token: var("AWS_SESSION_TOKEN").or_else(|| var("AWS_SECURITY_TOKEN")),
        expiration: None,
        source: "environment",
    })
}
