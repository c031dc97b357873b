//! EKS DescribeCluster: the endpoint and CA a kubeconfig needs.

use crate::aws::credentials::Credentials;
use crate::aws::endpoint;
use crate::aws::sigv4::{self, Scope};
use crate::error::{Error, Result};
use crate::http::{self, Request};
use crate::time::Timestamp;

/// What update-kubeconfig takes from the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInfo {
    pub arn: String,
    pub endpoint: String,
    pub certificate_authority_data: String,
}

/// `GET /clusters/NAME` on `endpoint_url`, else the region's EKS endpoint
/// (`AWS_ENDPOINT_URL_EKS` moves it).
pub fn describe_cluster(
    credentials: &Credentials,
    region: &str,
    name: &str,
    endpoint_url: Option<&str>,
) -> Result<ClusterInfo> {
    let base =
        endpoint_url.map_or_else(|| endpoint::api_base_url("eks", region), |u| u.trim_end_matches('/').to_string());
    let url = format!("{base}/clusters/{}", crate::encoding::uri_encode(name, false));
    let mut headers = Vec::new();
    let scope = Scope { credentials, region, service: "eks", time: Timestamp::now() };
    sigv4::sign_request(&scope, "GET", &url, &mut headers, b"");
    let mut request = Request::new("GET", &url);
    request.headers = headers;
    let what = format!("EKS DescribeCluster {name} at {}", http::host_of(&url));
    let response = http::send(&request).map_err(|e| e.context(&what))?;
    parse_reply(response.status, &response.body, &what)
}

/// The cluster in a DescribeCluster reply with HTTP `status` (`what` names the
/// call in errors).
///
/// ```
/// let body = br#"{"cluster": {"arn": "arn:aws:eks:us-east-1:1:cluster/a", "endpoint": "https://A.gr7.us-east-1.eks.amazonaws.com", "certificateAuthority": {"data": "Q0E="}}}"#;
/// let info = kubecred::aws::eks_api::parse_reply(200, body, "EKS").unwrap();
/// assert_eq!(info.certificate_authority_data, "Q0E=");
/// let err = kubecred::aws::eks_api::parse_reply(404, br#"{"message": "No cluster found for name: a."}"#, "EKS").unwrap_err();
/// assert_eq!(err.message(), "EKS: HTTP 404: No cluster found for name: a.");
/// ```
pub fn parse_reply(status: u16, body: &[u8], what: &str) -> Result<ClusterInfo> {
    let reply = crate::json::parse(body, what);
    if !(200..300).contains(&status) {
        let message = reply
            .ok()
            .and_then(|v| v.get("message").or_else(|| v.get("Message")).and_then(|m| m.as_str()).map(str::to_string))
            .unwrap_or_else(|| "no error message".to_string());
        let message: String = message.chars().take(500).collect();
        return Err(Error::new(crate::error::one_line(format!("{what}: HTTP {status}: {message}"))));
    }
    let reply = reply?;
    let cluster = reply.get("cluster").ok_or_else(|| Error::new(format!("{what}: the reply has no cluster")))?;
    let text =
        |pointer: &str| cluster.pointer(pointer).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_string);
    Ok(ClusterInfo {
        arn: text("/arn").ok_or_else(|| Error::new(format!("{what}: the cluster has no arn")))?,
        endpoint: text("/endpoint")
            .ok_or_else(|| Error::new(format!("{what}: the cluster has no endpoint yet (is it still creating?)")))?,
        certificate_authority_data: text("/certificateAuthority/data")
            .ok_or_else(|| Error::new(format!("{what}: the cluster has no certificate authority data")))?,
    })
}
