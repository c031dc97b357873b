//! Web identity (EKS IRSA and the like): `AWS_WEB_IDENTITY_TOKEN_FILE`,
//! `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`, each falling back to the profile's
//! `web_identity_token_file`, `role_arn`, `role_session_name`. The variables are
//! ignored under `--profile`, as in botocore.

use crate::aws::credentials::Credentials;
use crate::aws::providers::Context;
use crate::aws::sts::{self, WebIdentity};
use crate::error::{Error, Result};

/// Assumes the role with the token file's token; `Ok(None)` when no token file is configured.
pub fn load(ctx: &Context, profile: &str) -> Result<Option<Credentials>> {
    let settings = ctx.config.profile(profile);
    let setting = |variable: &str, key: &str| -> Option<String> {
        let from_env = if ctx.explicit_profile { None } else { ctx.env.get(variable) };
        from_env.or_else(|| settings.and_then(|p| p.get(key))).map(str::to_string)
    };
    let Some(token_file) = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file") else {
        return Ok(None);
    };
    let role_arn = setting("AWS_ROLE_ARN", "role_arn").ok_or_else(|| {
        Error::new(format!(
            "web identity token file {token_file} is configured (for profile {profile}) but no role is: set AWS_ROLE_ARN or role_arn"
        ))
    })?;
    let session_name = setting("AWS_ROLE_SESSION_NAME", "role_session_name").unwrap_or_default();
    let token_file = ctx.env.expand_home(&token_file);
    let params =
        WebIdentity { role_arn: &role_arn, session_name: &session_name, token_file: &token_file, region: ctx.region };
    sts::assume_role_with_web_identity(&params).map(Some)
}
