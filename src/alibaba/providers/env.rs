//! AccessKeys from environment variables, under every name ack-ram-tool reads:
//! the credentials SDKs' `ALIBABA_CLOUD_*`, the old Go SDK's `ALICLOUD_*`, and the
//! aliyun CLI's and credentials CLI's `ALIBABACLOUD_*` / `ALICLOUD_*_ID`.
//!
//! ```
//! use kubecred::alibaba::providers::env::access_key;
//! use kubecred::env::Env;
//! let env = Env::from_pairs(&[("ALICLOUD_ACCESS_KEY", "LTAI1"), ("ALICLOUD_SECRET_KEY", "s")]);
//! assert_eq!(access_key(&env).map(|c| c.access_key_id), Some("LTAI1".to_string()));
//! ```

use crate::alibaba::credentials::Credentials;
use crate::env::Env;
use crate::secret::Secret;

/// Names for the AccessKey id, first set wins (ack-ram-tool's order).
pub const ACCESS_KEY_ID: &[&str] =
    &["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "ALIBABACLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_ID"];

/// Names for the AccessKey secret.
pub const ACCESS_KEY_SECRET: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_SECRET_KEY",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY_SECRET",
];

/// Names for the STS security token.
pub const SECURITY_TOKEN: &[&str] = &[
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALICLOUD_ACCESS_KEY_STS_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
];

/// Names for the role session name used by AssumeRole and AssumeRoleWithOIDC.
pub const ROLE_SESSION_NAME: &[&str] = &["ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALICLOUD_ROLE_SESSION_NAME"];

/// The first of `names` that is set.
pub fn first(env: &Env, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| env.get(name)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// An AccessKey pair (with its security token when one is set), if both halves are set.
pub fn access_key(env: &Env) -> Option<Credentials> {
    Some(Credentials {
        access_key_id: first(env, ACCESS_KEY_ID)?,
        access_key_secret: first(env, ACCESS_KEY_SECRET)?.into(),
        security_token: first(env, SECURITY_TOKEN).map(Secret::from),
        expiration: None,
        source: "environment",
    })
}

/// The role session name from the environment, else `kubecred`.
pub fn session_name(env: &Env) -> String {
    first(env, ROLE_SESSION_NAME).unwrap_or_else(|| "kubecred".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_names_win_over_old_ones() {
        let env = Env::from_pairs(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "new"),
            ("ALICLOUD_ACCESS_KEY", "old"),
            ("ALIBABACLOUD_ACCESS_KEY_SECRET", "s"),
            ("ALICLOUD_SECURITY_TOKEN", "t"),
        ]);
        let creds = access_key(&env).unwrap();
        assert_eq!(
            (creds.access_key_id.as_str(), creds.security_token.as_ref().map(crate::secret::Secret::expose)),
            ("new", Some("t"))
        );
        assert_eq!(access_key(&Env::from_pairs(&[("ALICLOUD_ACCESS_KEY", "x")])), None);
        assert_eq!(session_name(&Env::default()), "kubecred");
    }
}
