//! `kubecred doctor --check`: calls that prove the credentials work — STS
//! GetCallerIdentity for the AWS chain's, `/version` for the kubeconfig's
//! current context. What they print names identities, never credentials.

use crate::aws::credentials::Credentials;
use crate::aws::sigv4::{self, Scope};
use crate::aws::{endpoint, xml};
use crate::error::{Error, Result};
use crate::http::{self, Request};
use crate::time::Timestamp;

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// `account A, arn ARN` for the caller of `credentials`, from STS in `region`.
pub fn aws_caller_identity(credentials: &Credentials, region: &str) -> Result<String> {
    let url = format!("{}/", endpoint::sts_api_url(region));
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let mut headers = vec![("Content-Type".to_string(), FORM.to_string())];
    let scope = Scope { credentials, region, service: "sts", time: Timestamp::now() };
    sigv4::sign_request(&scope, "POST", &url, &mut headers, body.as_bytes());
    let mut request = Request::new("POST", &url).body(body);
    request.headers = headers;
    let what = format!("STS at {}", http::host_of(&url));
    let reply = http::send(&request).map_err(|e| e.context(&what))?;
    let text = String::from_utf8_lossy(&reply.body);
    if !reply.is_success() {
        let code = xml::error(&text).map(|(code, _)| code).unwrap_or_default();
        return Err(Error::new(format!("{what}: HTTP {} {code}", reply.status)));
    }
    let field = |name: &str| xml::element(&text, name).map(|v| printable(&v)).unwrap_or_else(|| "?".into());
    Ok(format!("account {}, arn {}", field("Account"), field("Arn")))
}

/// `account A, arn ARN` for the caller of Alibaba Cloud `credentials`, from
/// STS GetCallerIdentity (RPC-signed) for `region_id`.
pub fn alibaba_caller_identity(
    credentials: &crate::alibaba::credentials::Credentials,
    env: &crate::env::Env,
    region_id: &str,
) -> Result<String> {
    use crate::alibaba::rpc;
    let base = crate::alibaba::endpoint::sts_url(env, region_id)?;
    let params = vec![
        ("Action".to_string(), "GetCallerIdentity".to_string()),
        ("Version".to_string(), "2015-04-01".to_string()),
    ];
    let query = rpc::sign("POST", params, credentials, Timestamp::now(), &rpc::new_nonce());
    let url = format!("{}/?{}", base.trim_end_matches('/'), crate::encoding::form(&query));
    let request = Request::new("POST", url.as_str()).header("Accept", "application/json");
    let host = http::host_of(&url);
    let what = format!("STS GetCallerIdentity at {host}");
    let reply = http::send(&request).map_err(|e| e.context(&what))?;
    if !reply.is_success() {
        // STS's error may echo the string it signed, security token included: never shown.
        let mut secrets = vec![credentials.access_key_secret.expose()];
        secrets.extend(credentials.security_token.as_ref().map(crate::secret::Secret::expose));
        return Err(crate::alibaba::sts::reply_error(&what, &host, &reply, &secrets));
    }
    let value: serde_json::Value = crate::json::parse(&reply.body, &what)?;
    let field = |name: &str| printable(value.get(name).and_then(serde_json::Value::as_str).unwrap_or("?"));
    Ok(format!("account {}, arn {}", field("AccountId"), field("Arn")))
}

/// `HTTP 200, gitVersion V` from the apiserver of the current context.
pub fn kube_version(kubeconfig: Option<&std::path::Path>, env: &crate::env::Env) -> Result<String> {
    let overrides =
        crate::kube::client_config::Overrides { kubeconfig: kubeconfig.map(Into::into), ..Default::default() };
    let config = crate::kube::client_config::load(&overrides, env)?;
    let reply = crate::kube::request::send(&config, "GET", "/version", Vec::new())?;
    if !reply.is_success() {
        return Err(Error::new(format!("{}/version: HTTP {}", config.server, reply.status)));
    }
    let value: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
    let version = printable(value.get("gitVersion").and_then(serde_json::Value::as_str).unwrap_or("?"));
    Ok(format!("{}/version: HTTP {}, gitVersion {version}", config.server, reply.status))
}

/// A server's words as one short line (no control characters, at most 200 characters).
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}
