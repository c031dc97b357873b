//! Which region a command works in: `--region`, then `AWS_REGION`,
//! `AWS_DEFAULT_REGION`, then the profile's `region`.

use crate::aws::chain::{self, ChainRequest};
use crate::env::Env;
use crate::error::{Error, Result};

pub fn resolve(flag: Option<&str>, env: &Env, request: &ChainRequest) -> Result<String> {
    if let Some(region) = flag.filter(|r| !r.is_empty()) {
        return Ok(region.to_string());
    }
    if let Some(region) = env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION")) {
        return Ok(region.to_string());
    }
    if let Some(region) = chain::profile_region(request, env)? {
        return Ok(region);
    }
    Err(Error::new(
        "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in the profile in ~/.aws/config",
    ))
}
