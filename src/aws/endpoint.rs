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
