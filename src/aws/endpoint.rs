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

/// The partition's DNS suffix for `region` (botocore's partitions.json; the
/// commercial partition for anything it does not name, as botocore falls back).
pub fn dns_suffix(region: &str) -> &'static str {
    const PARTITIONS: &[(&str, &str)] = &[
        ("cn-", "amazonaws.com.cn"),
        ("eusc-", "amazonaws.eu"),
        ("us-iso-", "c2s.ic.gov"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
        ("us-isof-", "csp.hci.ic.gov"),
    ];
    PARTITIONS.iter().find(|(prefix, _)| region.starts_with(prefix)).map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// Where an EKS token points: the STS host, and the region its signature is scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsTokenEndpoint {
    pub host: String,
    pub signing_region: String,
}

/// The STS endpoint an EKS token names: always the partition's public host,
/// never an override, because the cluster's authenticator checks it. The global
/// `sts.amazonaws.com` (signed for us-east-1, as botocore does) only with
/// `AWS_STS_REGIONAL_ENDPOINTS=legacy` for the regions botocore maps to it.
pub fn sts_token_endpoint(region: &str, env: &crate::env::Env) -> StsTokenEndpoint {
    if env.get("AWS_STS_REGIONAL_ENDPOINTS").is_some_and(|v| v.eq_ignore_ascii_case("legacy"))
        && LEGACY_GLOBAL_STS_REGIONS.contains(&region)
    {
        return global_sts_token_endpoint();
    }
    StsTokenEndpoint { host: format!("sts.{region}.{}", dns_suffix(region)), signing_region: region.to_string() }
}

/// The region botocore signs for at the global STS endpoint.
pub const GLOBAL_STS_SIGNING_REGION: &str = "us-east-1";

/// `sts.amazonaws.com`, signed for us-east-1: what the AWS CLI's token names
/// when no region is configured at all.
pub fn global_sts_token_endpoint() -> StsTokenEndpoint {
    StsTokenEndpoint { host: "sts.amazonaws.com".to_string(), signing_region: GLOBAL_STS_SIGNING_REGION.to_string() }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    #[test]
    fn token_hosts_per_partition() {
        let env = Env::default();
        for (region, host) in [
            ("us-east-1", "sts.us-east-1.amazonaws.com"),
            ("cn-north-1", "sts.cn-north-1.amazonaws.com.cn"),
            ("us-gov-west-1", "sts.us-gov-west-1.amazonaws.com"),
            ("us-iso-east-1", "sts.us-iso-east-1.c2s.ic.gov"),
            ("us-isob-east-1", "sts.us-isob-east-1.sc2s.sgov.gov"),
            ("eu-isoe-west-1", "sts.eu-isoe-west-1.cloud.adc-e.uk"),
            ("us-isof-south-1", "sts.us-isof-south-1.csp.hci.ic.gov"),
            ("eusc-de-east-1", "sts.eusc-de-east-1.amazonaws.eu"),
        ] {
            assert_eq!(sts_token_endpoint(region, &env).host, host);
        }
    }

    #[test]
    fn legacy_global_only_for_listed_regions() {
        let env = Env::from_pairs(&[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")]);
        let global = sts_token_endpoint("eu-west-1", &env);
        assert_eq!((global.host.as_str(), global.signing_region.as_str()), ("sts.amazonaws.com", "us-east-1"));
        assert_eq!(sts_token_endpoint("af-south-1", &env).host, "sts.af-south-1.amazonaws.com");
        assert_eq!(sts_token_endpoint("cn-north-1", &env).host, "sts.cn-north-1.amazonaws.com.cn");
    }
}
