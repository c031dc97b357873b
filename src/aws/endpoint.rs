//! Where AWS calls go, and which STS host an EKS token names.
//!
//! OWNER: the EKS token work (issue 3): partitions, legacy global STS, overrides;
//! FIPS and dual-stack (issue 14).

use crate::aws::sts_options::StsOptions;
use crate::error::{Error, Result};

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

/// The URL STS API calls (AssumeRole...) go to: an override, else the host the
/// token would name for `region` with this run's FIPS and dual-stack settings
/// (regional even under `legacy`: the regional hosts serve every region).
pub fn sts_api_url(region: &str) -> String {
    let options = StsOptions { legacy: false, ..crate::aws::sts_options::current() };
    match sts_host(region, options) {
        Ok(host) if !has_override("sts") => format!("https://{host}"),
        _ => api_base_url("sts", region),
    }
}

fn has_override(service: &str) -> bool {
    let specific = format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase().replace('-', "_"));
    [specific.as_str(), "AWS_ENDPOINT_URL"].iter().any(|name| std::env::var(name).is_ok_and(|v| !v.is_empty()))
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
/// `sts.amazonaws.com` (signed for us-east-1, as botocore does) only under
/// `legacy` for the regions botocore maps to it, and never with FIPS or dual-stack.
pub fn sts_token_endpoint(region: &str, options: StsOptions) -> Result<StsTokenEndpoint> {
    if options.legacy && !options.fips && !options.dualstack && LEGACY_GLOBAL_STS_REGIONS.contains(&region) {
        return Ok(global_sts_token_endpoint());
    }
    Ok(StsTokenEndpoint { host: sts_host(region, options)?, signing_region: region.to_string() })
}

/// The regional STS host, as botocore's endpoint rules spell it: FIPS as
/// `sts-fips.`, dual-stack under `api.aws`. Only the commercial and GovCloud
/// partitions have such hosts for STS (botocore spells names for the others
/// too, which nothing answers), so elsewhere asking for one is an error.
fn sts_host(region: &str, options: StsOptions) -> Result<String> {
    let suffix = dns_suffix(region);
    let govcloud = region.starts_with("us-gov-");
    if (options.fips || options.dualstack) && suffix != "amazonaws.com" {
        let what = match (options.fips, options.dualstack) {
            (true, true) => "FIPS dual-stack",
            (true, false) => "FIPS",
            _ => "dual-stack",
        };
        return Err(Error::new(format!(
            "region {region} has no {what} STS endpoint (FIPS and dual-stack STS hosts exist in the aws and aws-us-gov partitions); unset AWS_USE_FIPS_ENDPOINT/use_fips_endpoint or AWS_USE_DUALSTACK_ENDPOINT/use_dualstack_endpoint"
        )));
    }
    Ok(match (options.fips, options.dualstack) {
        (false, false) => format!("sts.{region}.{suffix}"),
        // GovCloud's STS endpoints are FIPS endpoints already.
        (true, false) if govcloud => format!("sts.{region}.{suffix}"),
        (true, false) => format!("sts-fips.{region}.{suffix}"),
        (false, true) => format!("sts.{region}.api.aws"),
        (true, true) => format!("sts-fips.{region}.api.aws"),
    })
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

    #[test]
    fn token_hosts_per_partition() {
        let env = StsOptions::default();
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
            assert_eq!(sts_token_endpoint(region, env).unwrap().host, host);
        }
    }

    #[test]
    fn legacy_global_only_for_listed_regions() {
        let env = StsOptions { legacy: true, ..StsOptions::default() };
        let global = sts_token_endpoint("eu-west-1", env).unwrap();
        assert_eq!((global.host.as_str(), global.signing_region.as_str()), ("sts.amazonaws.com", "us-east-1"));
        assert_eq!(sts_token_endpoint("af-south-1", env).unwrap().host, "sts.af-south-1.amazonaws.com");
        assert_eq!(sts_token_endpoint("cn-north-1", env).unwrap().host, "sts.cn-north-1.amazonaws.com.cn");
    }

    /// The hosts botocore's endpoint rules give (checked against botocore 1.43).
    #[test]
    fn fips_and_dualstack_hosts() {
        let (fips, dual) = (
            StsOptions { fips: true, ..StsOptions::default() },
            StsOptions { dualstack: true, ..StsOptions::default() },
        );
        let both = StsOptions { fips: true, dualstack: true, legacy: true };
        for (region, options, host) in [
            ("us-east-1", fips, "sts-fips.us-east-1.amazonaws.com"),
            ("eu-west-1", dual, "sts.eu-west-1.api.aws"),
            ("eu-west-1", both, "sts-fips.eu-west-1.api.aws"),
            ("us-gov-west-1", fips, "sts.us-gov-west-1.amazonaws.com"),
            ("us-gov-west-1", dual, "sts.us-gov-west-1.api.aws"),
            ("us-gov-east-1", both, "sts-fips.us-gov-east-1.api.aws"),
        ] {
            let endpoint = sts_token_endpoint(region, options).unwrap();
            assert_eq!((endpoint.host.as_str(), endpoint.signing_region.as_str()), (host, region));
        }
        let legacy_fips = StsOptions { legacy: true, fips: true, dualstack: false };
        assert_eq!(sts_token_endpoint("eu-west-1", legacy_fips).unwrap().host, "sts-fips.eu-west-1.amazonaws.com");
        for region in ["cn-north-1", "us-iso-east-1", "eusc-de-east-1"] {
            let e = sts_token_endpoint(region, fips).unwrap_err();
            assert!(e.message().starts_with(&format!("region {region} has no FIPS STS endpoint")), "{e}");
            assert!(sts_token_endpoint(region, dual).unwrap_err().message().contains("dual-stack"));
        }
    }
}
