//! Where AWS calls go, and which STS host an EKS token names.
//!
//! OWNER: the EKS token work (issue 3): partitions, legacy global STS, overrides.

/// Base URL (no trailing slash) for API calls to `service` in `region`,
/// honouring `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`.
pub fn api_base_url(service: &str, region: &str) -> String {
    let specific = format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase().replace('-', "_"));
    for name in [specific.as_str(), "AWS_ENDPOINT_URL"] {
        if let Some(url) = std::env::var(name).ok().filter(|v| !v.is_empty()) {
            return url.trim_end_matches('/').to_string();
        }
    }
    format!("https://{service}.{region}.{}", dns_suffix(region))
}

/// The URL STS API calls (AssumeRole...) go to.
pub fn sts_api_url(region: &str) -> String {
    api_base_url("sts", region)
}

/// The partition's DNS suffix for `region`.
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" }
}

/// The STS host an EKS token names: always the partition's public host, never an
/// override, because the cluster's authenticator checks it. The global
/// `sts.amazonaws.com` only with `AWS_STS_REGIONAL_ENDPOINTS=legacy`.
pub fn sts_token_host(region: &str, env: &crate::env::Env) -> String {
    if env.get("AWS_STS_REGIONAL_ENDPOINTS").is_some_and(|v| v.eq_ignore_ascii_case("legacy"))
        && LEGACY_GLOBAL_STS_REGIONS.contains(&region)
    {
        return "sts.amazonaws.com".to_string();
    }
    format!("sts.{region}.{}", dns_suffix(region))
}

/// The regions for which botocore's `legacy` mode uses the global STS endpoint.
const LEGACY_GLOBAL_STS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];
