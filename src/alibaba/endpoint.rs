//! Where Alibaba Cloud calls go: STS, Container Service, ECS metadata.
//!
//! OWNER: the Alibaba credential-chain work (issue 4). Overrides take a host or
//! a URL; `http://` is allowed (tests, private gateways).

/// `ALIBABA_CLOUD_STS_ENDPOINT`, else `https://sts.{region}.aliyuncs.com`.
pub fn sts_base_url(region_id: &str) -> String {
    from_env("ALIBABA_CLOUD_STS_ENDPOINT").unwrap_or_else(|| format!("https://sts.{region_id}.aliyuncs.com"))
}

/// `ALIBABA_CLOUD_CS_ENDPOINT`, else `https://cs.{region}.aliyuncs.com`.
pub fn cs_base_url(region_id: &str) -> String {
    from_env("ALIBABA_CLOUD_CS_ENDPOINT").unwrap_or_else(|| format!("https://cs.{region_id}.aliyuncs.com"))
}

/// `ALIBABA_CLOUD_ECS_METADATA_ENDPOINT`, else `http://100.100.100.200`.
pub fn metadata_base_url() -> String {
    from_env("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT").unwrap_or_else(|| "http://100.100.100.200".to_string())
}

/// A host or URL from `name`, as a base URL without a trailing slash.
fn from_env(name: &str) -> Option<String> {
    let value = std::env::var(name).ok().filter(|v| !v.trim().is_empty())?;
    let value = value.trim().trim_end_matches('/');
    Some(if value.contains("://") { value.to_string() } else { format!("https://{value}") })
}
