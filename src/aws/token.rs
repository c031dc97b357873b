//! The EKS bearer token: a presigned STS GetCallerIdentity URL.
//!
//! The cluster's authenticator (aws-iam-authenticator) decodes the URL, checks
//! its host against the partition's STS hosts, and replays it to STS with the
//! `x-k8s-aws-id` header; the signature therefore covers that header.

use crate::aws::credentials::Credentials;
use crate::aws::sigv4::{Scope, presign_url};
use crate::time::Timestamp;
use base64::Engine;

/// Every EKS token starts with this.
pub const TOKEN_PREFIX: &str = "k8s-aws-v1.";

/// How long the presigned URL is valid for STS; the authenticator refuses more.
pub const PRESIGN_SECONDS: u64 = 60;

/// How long the AWS CLI tells kubectl the token lasts (the authenticator accepts 15 min).
pub const TOKEN_LIFETIME_SECONDS: i64 = 14 * 60;

/// Builds the token for `cluster_id` (the cluster name, or the id of an EKS local
/// cluster on Outposts), signed for `sts_host` in `region` at `now`.
pub fn eks_token(credentials: &Credentials, region: &str, sts_host: &str, cluster_id: &str, now: Timestamp) -> String {
    let scope = Scope { credentials, region, service: "sts", time: now };
    let url = format!("https://{sts_host}/?Action=GetCallerIdentity&Version=2011-06-15");
    let presigned = presign_url(&scope, "GET", &url, &[("x-k8s-aws-id", cluster_id)], PRESIGN_SECONDS);
    format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(presigned))
}

/// The expiry kubectl is told: 14 minutes from `now`, but never after the
/// signing credentials expire.
pub fn token_expiration(credentials: &Credentials, now: Timestamp) -> Timestamp {
    let by_lifetime = now.plus_seconds(TOKEN_LIFETIME_SECONDS);
    match credentials.expiration {
        Some(expiry) if expiry < by_lifetime => expiry,
        _ => by_lifetime,
    }
}
