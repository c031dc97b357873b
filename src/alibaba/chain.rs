//! The Alibaba Cloud credential chain, in ack-ram-tool's order.
//!
//! OWNER: the Alibaba credential-chain work (issue 4). Today only the
//! environment source is here.

use crate::alibaba::credentials::Credentials;
use crate::env::Env;
use crate::error::{Error, Result};
use std::path::PathBuf;

/// The global flags that steer the chain.
#[derive(Debug, Clone, Default)]
pub struct ChainRequest {
    pub region_id: String,
    pub profile_file: Option<PathBuf>,
    pub profile_name: Option<String>,
    pub ignore_env_credentials: bool,
    pub ignore_aliyun_cli_credentials: bool,
}

/// Walks the chain and returns the first credentials found.
pub fn resolve(request: &ChainRequest, env: &Env) -> Result<Credentials> {
    if let Some(found) = from_environment(env).filter(|_| !request.ignore_env_credentials) {
        return Ok(found);
    }
    Err(Error::new("no Alibaba Cloud credentials found (tried: environment)"))
}

fn from_environment(env: &Env) -> Option<Credentials> {
    let var = |name: &str| env.get(name).map(str::to_string);
    Some(Credentials {
        access_key_id: var("ALIBABA_CLOUD_ACCESS_KEY_ID")?,
        access_key_secret: var("ALIBABA_CLOUD_ACCESS_KEY_SECRET")?,
        security_token: var("ALIBABA_CLOUD_SECURITY_TOKEN"),
        expiration: None,
        source: "environment",
    })
}
