//! Where Alibaba Cloud calls go: STS, Container Service, ECS metadata.
//!
//! Overrides take a host or a URL; `http://` is allowed (tests, private
//! gateways). The `*_url` functions read an [`Env`]; the `*_base_url` ones are
//! the same over the process environment.
//!
//! ```
//! use kubecred::alibaba::endpoint::sts_url;
//! use kubecred::env::Env;
//! assert_eq!(sts_url(&Env::default(), "cn-beijing").unwrap(), "https://sts.cn-beijing.aliyuncs.com");
//! assert_eq!(sts_url(&Env::default(), "").unwrap(), "https://sts.aliyuncs.com");
//! assert!(sts_url(&Env::default(), "x@evil.example/#").is_err());
//! let env = Env::from_pairs(&[("ALIBABA_CLOUD_STS_ENDPOINT", "http://127.0.0.1:8080/")]);
//! assert_eq!(sts_url(&env, "cn-beijing").unwrap(), "http://127.0.0.1:8080");
//! ```

use crate::env::Env;
use crate::error::{Error, Result};

/// The ECS metadata service, reachable from every ECS instance.
pub const DEFAULT_METADATA_URL: &str = "http://100.100.100.200";

/// The STS endpoint for `region_id`:
/// `ACK_RAM_TOOL_STS_ENDPOINT` or `ALIBABA_CLOUD_STS_ENDPOINT` when set; else
/// `sts.{region}.aliyuncs.com` (`sts-vpc.` when `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`,
/// as the credentials SDKs do), and the central `sts.aliyuncs.com` when no region is
/// known (ack-ram-tool's default). `cn-hangzhou-finance` uses `cn-hangzhou`'s, as
/// ack-ram-tool does.
pub fn sts_url(env: &Env, region_id: &str) -> Result<String> {
    if let Some(url) =
        from_env(env, "ACK_RAM_TOOL_STS_ENDPOINT").or_else(|| from_env(env, "ALIBABA_CLOUD_STS_ENDPOINT"))
    {
        return Ok(url);
    }
    let prefix = if env.is_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED") { "sts-vpc" } else { "sts" };
    Ok(match checked(region_id)? {
        "" => format!("https://{prefix}.aliyuncs.com"),
        "cn-hangzhou-finance" => format!("https://{prefix}.cn-hangzhou.aliyuncs.com"),
        region => format!("https://{prefix}.{region}.aliyuncs.com"),
    })
}

/// `ACK_RAM_TOOL_CS_ENDPOINT` or `ALIBABA_CLOUD_CS_ENDPOINT`, else `https://cs.{region}.aliyuncs.com`
/// (`https://cs.aliyuncs.com` when no region is known).
pub fn cs_url(env: &Env, region_id: &str) -> Result<String> {
    if let Some(url) = from_env(env, "ACK_RAM_TOOL_CS_ENDPOINT").or_else(|| from_env(env, "ALIBABA_CLOUD_CS_ENDPOINT"))
    {
        return Ok(url);
    }
    Ok(match checked(region_id)? {
        "" => "https://cs.aliyuncs.com".to_string(),
        region => format!("https://cs.{region}.aliyuncs.com"),
    })
}

/// An example region id for messages.
pub const EXAMPLE_REGION: &str = "cn-hangzhou";

/// The trimmed region id (empty: none), refused when it could name another host.
/// Where the value comes from is checked again with its setting's name
/// ([`check_region`]); this is the last guard before a URL is made.
fn checked(region_id: &str) -> Result<&str> {
    let region = region_id.trim();
    if !region.is_empty() {
        check_region(region, "region id")?;
    }
    Ok(region)
}

/// `Err` naming `setting` when `region_id` could not be a region id.
pub fn check_region(region_id: &str, setting: &str) -> Result<()> {
    crate::region_name::check(region_id, setting, EXAMPLE_REGION).map_err(Error::new)
}

/// `ALIBABA_CLOUD_ECS_METADATA_ENDPOINT` (or ack-ram-tool's `ALIBABA_CLOUD_IMDS_ENDPOINT`),
/// else `http://100.100.100.200`. A bare host means `http://` here: the metadata
/// service speaks plain HTTP.
pub fn metadata_url(env: &Env) -> String {
    ["ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", "ALIBABA_CLOUD_IMDS_ENDPOINT"]
        .iter()
        .find_map(|name| env.get(name).map(str::trim).filter(|v| !v.is_empty()))
        .map(|value| with_scheme(value, "http"))
        .unwrap_or_else(|| DEFAULT_METADATA_URL.to_string())
}

/// [`sts_url`] over the process environment.
pub fn sts_base_url(region_id: &str) -> Result<String> {
    sts_url(&Env::from_process(), region_id)
}

/// [`cs_url`] over the process environment.
pub fn cs_base_url(region_id: &str) -> Result<String> {
    cs_url(&Env::from_process(), region_id)
}

/// [`metadata_url`] over the process environment.
pub fn metadata_base_url() -> String {
    metadata_url(&Env::from_process())
}

/// A host or URL from `name`, as a base URL without a trailing slash (`https://` for a bare host).
fn from_env(env: &Env, name: &str) -> Option<String> {
    let value = env.get(name)?.trim();
    if value.is_empty() { None } else { Some(with_scheme(value, "https")) }
}

fn with_scheme(value: &str, default_scheme: &str) -> String {
    let value = value.trim_end_matches('/');
    if value.contains("://") { value.to_string() } else { format!("{default_scheme}://{value}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let none = Env::default();
        assert_eq!(sts_url(&none, "cn-hangzhou-finance").unwrap(), "https://sts.cn-hangzhou.aliyuncs.com");
        assert_eq!(cs_url(&none, "ap-southeast-1").unwrap(), "https://cs.ap-southeast-1.aliyuncs.com");
        assert_eq!(metadata_url(&none), "http://100.100.100.200");
        let vpc = Env::from_pairs(&[("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true")]);
        assert_eq!(sts_url(&vpc, "cn-shanghai").unwrap(), "https://sts-vpc.cn-shanghai.aliyuncs.com");
        let set = Env::from_pairs(&[
            ("ALIBABA_CLOUD_STS_ENDPOINT", "sts.example.com"),
            ("ACK_RAM_TOOL_CS_ENDPOINT", "http://127.0.0.1:1/"),
            ("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", "127.0.0.1:9"),
        ]);
        assert_eq!(sts_url(&set, "cn-shanghai").unwrap(), "https://sts.example.com");
        assert_eq!(cs_url(&set, "cn-shanghai").unwrap(), "http://127.0.0.1:1");
        assert_eq!(metadata_url(&set), "http://127.0.0.1:9");
    }

    #[test]
    fn regions_that_would_change_the_host_are_refused() {
        let none = Env::default();
        for bad in ["x@127.0.0.1:1/#", "evil.com", "cn-hangzhou.evil.com", "a/b"] {
            assert!(sts_url(&none, bad).unwrap_err().message().contains("is not a region name"), "{bad}");
            assert!(cs_url(&none, bad).is_err(), "{bad}");
        }
        // An explicit endpoint does not use the region at all.
        let set = Env::from_pairs(&[("ALIBABA_CLOUD_CS_ENDPOINT", "http://127.0.0.1:1")]);
        assert!(cs_url(&set, "cn-hangzhou").is_ok());
    }
}
