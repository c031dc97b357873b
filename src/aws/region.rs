//! Which region a command works in: `--region`, then `AWS_REGION`,
//! `AWS_DEFAULT_REGION`, then the profile's `region`.

use crate::aws::chain::{self, ChainRequest};
use crate::env::Env;
use crate::error::{Error, Result};

pub fn resolve(flag: Option<&str>, env: &Env, request: &ChainRequest) -> Result<String> {
    resolve_optional(flag, env, request)?.ok_or_else(|| {
        Error::new(
            "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in the profile in ~/.aws/config",
        )
    })
}

/// Like [`resolve`], with `Ok(None)` when nothing names a region (for
/// `eks get-token`, which then signs for the global STS endpoint as the AWS CLI does).
pub fn resolve_optional(flag: Option<&str>, env: &Env, request: &ChainRequest) -> Result<Option<String>> {
    if let Some(region) = flag.filter(|r| !r.is_empty()) {
        return validate(region, "--region").map(Some);
    }
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(region) = env.get(name) {
            return validate(region, name).map(Some);
        }
    }
    match chain::profile_region(request, env)? {
        Some(region) => validate(&region, "the profile's region").map(Some),
        None => Ok(None),
    }
}

/// A region becomes part of a host name (see [`crate::region_name`]).
fn validate(region: &str, source: &str) -> Result<String> {
    crate::region_name::check(region, source, "us-east-1").map_err(Error::usage)?;
    Ok(region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_validation() {
        let request = ChainRequest::default();
        let env = Env::from_pairs(&[("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(resolve(Some("ap-south-1"), &env, &request).unwrap(), "ap-south-1");
        assert_eq!(resolve(None, &env, &request).unwrap(), "eu-west-1");
        let env = Env::from_pairs(&[("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(resolve(None, &env, &request).unwrap(), "us-west-2");
        assert_eq!(
            resolve_optional(None, &Env::from_pairs(&[("HOME", "/nonexistent-kubecred")]), &request).unwrap(),
            None
        );
        for bad in ["us east 1", "US-EAST-1", "a.b", "-x", "evil.com/"] {
            assert!(resolve(Some(bad), &env, &request).is_err(), "{bad}");
        }
    }
}
