//! RRSA / OIDC: a ServiceAccount token file exchanged for role credentials
//! with STS `AssumeRoleWithOIDC` (what ACK's RRSA injects into pods as
//! `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
//! `ALIBABA_CLOUD_OIDC_TOKEN_FILE`).

use crate::alibaba::credentials::Credentials;
use crate::alibaba::providers;
use crate::alibaba::sts::{self, AssumeRoleWithOidc};
use crate::error::Result;
use std::path::PathBuf;

/// What an OIDC source is configured with.
#[derive(Debug, Clone)]
pub struct OidcRole {
    pub sts_url: String,
    pub role_arn: String,
    pub oidc_provider_arn: String,
    pub token_file: PathBuf,
    pub session_name: String,
    /// 0 leaves STS's default (3600 s).
    pub duration_seconds: u32,
}

/// The most bytes an OIDC token file may hold.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Reads the token and assumes the role (cached per role, provider, token and endpoint).
pub fn credentials(role: &OidcRole) -> Result<Credentials> {
    let token = read_token(&role.token_file)?;
    let duration = role.duration_seconds.to_string();
    let token_file = role.token_file.display().to_string();
    // The token decides whose credentials these are; a fingerprint keys on it
    // without putting it on disk.
    let token_fingerprint = providers::fingerprint(&token);
    let key = [
        role.sts_url.as_str(),
        role.role_arn.as_str(),
        role.oidc_provider_arn.as_str(),
        role.session_name.as_str(),
        duration.as_str(),
        token_file.as_str(),
        token_fingerprint.as_str(),
    ];
    providers::cached("alibaba-oidc", &key, "oidc", || {
        sts::assume_role_with_oidc(&AssumeRoleWithOidc {
            sts_url: role.sts_url.clone(),
            role_arn: role.role_arn.clone(),
            oidc_provider_arn: role.oidc_provider_arn.clone(),
            oidc_token: token.clone(),
            session_name: role.session_name.clone(),
            duration_seconds: role.duration_seconds,
            policy: None,
        })
    })
}

fn read_token(path: &std::path::Path) -> Result<String> {
    crate::files::read_token_file(path, MAX_TOKEN_BYTES, "OIDC token file")
}
