//! The Container Service API call kubecred makes: DescribeClusterUserKubeconfig,
//! which returns a kubeconfig holding a client certificate for the caller.

use crate::alibaba::credentials::Credentials;
use crate::alibaba::{endpoint, roa, rpc};
use crate::encoding::uri_encode;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http::{self, Request};
use crate::kube::kubeconfig::{self, Kubeconfig};
use crate::time::Timestamp;

const VERSION: &str = "2015-12-15";

/// What the API returns: a kubeconfig (YAML) and when its certificate expires.
#[derive(Clone)]
pub struct UserKubeconfig {
    pub config: String,
    pub expiration: Option<Timestamp>,
}

/// Calls `GET /k8s/{cluster_id}/user_config` on the region's CS endpoint.
/// `minutes` is the certificate's lifetime (`None`: the long-lived certificate).
pub fn describe_cluster_user_kubeconfig(
    credentials: &Credentials,
    env: &Env,
    region_id: &str,
    cluster_id: &str,
    private_ip: bool,
    minutes: Option<u32>,
) -> Result<UserKubeconfig> {
    let base = endpoint::cs_url(env, region_id)?;
    let path = format!("/k8s/{}/user_config", uri_encode(cluster_id, false));
    let mut query = vec![("PrivateIpAddress".to_string(), private_ip.to_string())];
    if let Some(minutes) = minutes {
        query.push(("TemporaryDurationMinutes".to_string(), minutes.to_string()));
    }
    let headers = roa::signed_headers(credentials, "GET", &path, &query, VERSION, Timestamp::now(), &rpc::new_nonce());
    let url = format!("{base}{path}?{}", crate::encoding::form(&query));
    let mut request = Request::new("GET", &url).retry(false); // the nonce makes a replay fail
    request.headers = headers;
    let host = http::host_of(&url);
    let what = format!("Container Service DescribeClusterUserKubeconfig for cluster {cluster_id} at {host}");
    let response = http::send(&request).map_err(|e| e.context(&what))?;
    if !response.is_success() {
        return Err(Error::new(format!("{what}: {}", describe_failure(response.status, &response.body))));
    }
    parse_reply(&response.body, &what)
}

/// The kubeconfig and certificate expiry in a DescribeClusterUserKubeconfig
/// reply (`what` names the call in errors).
///
/// ```
/// let body = br#"{"config": "apiVersion: v1\nkind: Config\n", "expiration": "2026-11-30T12:00:00Z"}"#;
/// let reply = kubecred::alibaba::cs::parse_reply(body, "CS").unwrap();
/// assert_eq!(reply.expiration.unwrap().to_rfc3339(), "2026-11-30T12:00:00Z");
/// ```
pub fn parse_reply(body: &[u8], what: &str) -> Result<UserKubeconfig> {
    let reply = crate::json::parse(body, what)?;
    let config = reply
        .get("config")
        .and_then(serde_json::Value::as_str)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::new(format!("{what}: the reply has no config")))?
        .to_string();
    let expiration = match reply.get("expiration").and_then(serde_json::Value::as_str) {
        Some(text) => Some(Timestamp::parse_rfc3339(text).map_err(|e| e.context(format!("{what}: expiration")))?),
        None => None,
    };
    Ok(UserKubeconfig { config, expiration })
}

/// The current user's client certificate and key, as PEM text, in the
/// kubeconfig a reply holds (`source` names that kubeconfig in errors).
pub fn client_certificate(config: &Kubeconfig, source: &str) -> Result<(String, String)> {
    let user = config.current_user().ok_or_else(|| Error::new(format!("{source}: no user")))?;
    let pem = |field: &Option<String>, what: &str| -> Result<String> {
        let data = field.as_deref().ok_or_else(|| Error::new(format!("{source}: the user has no {what}")))?;
        let bytes = kubeconfig::decode_data(data, &format!("{source}: {what}"))?;
        String::from_utf8(bytes).map_err(|_| Error::new(format!("{source}: {what} is not PEM text")))
    };
    Ok((pem(&user.client_certificate_data, "client-certificate-data")?, pem(&user.client_key_data, "client-key-data")?))
}

/// One line for a CS error reply: `{"code": ..., "message": ...}` or just the status.
pub fn describe_failure(status: u16, body: &[u8]) -> String {
    let parsed = serde_json::from_slice::<serde_json::Value>(body).ok();
    // CS writes `code`/`message`; gateways in front of it write `Code`/`Message`.
    let field = |names: [&str; 2]| {
        let value = parsed.as_ref()?;
        let text = names.iter().find_map(|n| value.get(*n).and_then(serde_json::Value::as_str))?;
        Some(text.chars().take(300).collect::<String>())
    };
    let detail = match (field(["code", "Code"]), field(["message", "Message"])) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code,
        _ if body.is_empty() => "empty reply".to_string(),
        _ => "the reply is not a Container Service error document".to_string(),
    };
    let hint = match status {
        403 => "no RAM permission (the caller needs cs:DescribeClusterUserKubeconfig on this cluster); ",
        404 => "no such cluster in this region; ",
        _ => "",
    };
    crate::error::one_line(format!("HTTP {status}: {hint}{detail}"))
}
