//! Alibaba Cloud STS calls: AssumeRole (RPC-signed) and AssumeRoleWithOIDC.
//!
//! OWNER: the Alibaba credential-chain work (issue 4).

use crate::alibaba::credentials::Credentials;
use crate::error::{Error, Result};

/// Calls STS AssumeRole with `source` for `role_arn` and returns the role's credentials.
pub fn assume_role(
    _source: &Credentials,
    region_id: &str,
    role_arn: &str,
    session_name: &str,
    duration_seconds: u32,
) -> Result<Credentials> {
    let _ = (region_id, session_name, duration_seconds);
    Err(Error::new(format!("assuming RAM role {role_arn}: STS AssumeRole is not implemented yet")))
}
