//! STS calls: AssumeRole (signed) and AssumeRoleWithWebIdentity (unsigned).
//!
//! OWNER: the credential-chain work (issue 3).

use crate::aws::credentials::Credentials;
use crate::error::{Error, Result};

/// Parameters of an AssumeRole call.
#[derive(Debug, Clone)]
pub struct AssumeRole<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration_seconds: Option<u32>,
    /// Region whose STS endpoint is called (see `endpoint::sts_api_url`).
    pub region: &'a str,
}

/// Calls STS AssumeRole with `source` and returns the role's credentials.
pub fn assume_role(_source: &Credentials, params: &AssumeRole) -> Result<Credentials> {
    Err(Error::new(format!("assuming role {}: STS AssumeRole is not implemented yet", params.role_arn)))
}
