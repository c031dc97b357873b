//! The TokenRequest API: a ServiceAccount token minted by kube-apiserver.

use crate::error::{Error, Result};
use crate::kube::client_config::RestConfig;
use crate::kube::request;
use crate::time::Timestamp;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// What to ask for.
#[derive(Debug, Clone, Default)]
pub struct TokenRequestSpec {
    pub audiences: Vec<String>,
    /// `None`: the server's default lifetime.
    pub duration: Option<Duration>,
    /// `(kind, name, uid)` of the object the token is bound to.
    pub bound_object: Option<(String, String, Option<String>)>,
}

/// The server's answer: the whole TokenRequest object, and its token and expiry.
pub struct IssuedToken {
    pub object: Value,
    pub token: String,
    pub expiration: Option<Timestamp>,
}

/// The request body kubectl sends.
pub fn body(spec: &TokenRequestSpec) -> Value {
    let mut inner = Map::new();
    inner.insert("audiences".into(), if spec.audiences.is_empty() { Value::Null } else { json!(spec.audiences) });
    if let Some(duration) = spec.duration {
        inner.insert("expirationSeconds".into(), json!(duration.as_secs()));
    }
    if let Some((kind, name, uid)) = &spec.bound_object {
        let mut bound = Map::new();
        bound.insert("kind".into(), json!(kind));
        bound.insert("apiVersion".into(), json!("v1"));
        bound.insert("name".into(), json!(name));
        if let Some(uid) = uid {
            bound.insert("uid".into(), json!(uid));
        }
        inner.insert("boundObjectRef".into(), Value::Object(bound));
    }
    json!({
        "kind": "TokenRequest",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "spec": Value::Object(inner),
        "status": {"token": "", "expirationTimestamp": null},
    })
}

/// client-go's IsValidPathSegmentName: what may not be a name in a request path.
fn path_segment_problem(name: &str) -> Option<&'static str> {
    match name {
        "." => Some("may not be '.'"),
        ".." => Some("may not be '..'"),
        _ if name.contains('/') => Some("may not contain '/'"),
        _ if name.contains('%') => Some("may not contain '%'"),
        _ => None,
    }
}

/// POSTs a TokenRequest for ServiceAccount `name` in `config.namespace`.
pub fn create(config: &RestConfig, name: &str, spec: &TokenRequestSpec) -> Result<IssuedToken> {
    if let Some(why) = path_segment_problem(&config.namespace) {
        return Err(Error::new(format!("failed to create token: invalid namespace {:?}: [{why}]", config.namespace)));
    }
    if let Some(why) = path_segment_problem(name) {
        return Err(Error::new(format!("failed to create token: invalid resource name {name:?}: [{why}]")));
    }
    let mut path = format!(
        "/api/v1/namespaces/{}/serviceaccounts/{}/token",
        crate::encoding::uri_encode(&config.namespace, false),
        crate::encoding::uri_encode(name, false)
    );
    // As client-go: --request-timeout also tells the server how long it may take.
    if let Some(timeout) = config.request_timeout {
        path.push_str(&format!(
            "?timeout={}",
            crate::encoding::uri_encode(&crate::duration::go_string(timeout), false)
        ));
    }
    // kubectl words every failure of this call so.
    let response = request::send(config, "POST", &path, body(spec).to_string().into_bytes())
        .map_err(|e| e.context("failed to create token"))?;
    if !response.is_success() {
        let message = request::status_message(response.status, &response.body);
        return Err(Error::new(format!("failed to create token: {message}")));
    }
    parse_reply(&response.body)
}

/// The token and its expiry from a TokenRequest reply body.
pub fn parse_reply(body: &[u8]) -> Result<IssuedToken> {
    let object = crate::json::parse(body, "the TokenRequest reply")?;
    let status = object.get("status");
    let token = status
        .and_then(|s| s.get("token"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::new("the TokenRequest reply holds no token"))?
        .to_string();
    let expiration = status
        .and_then(|s| s.get("expirationTimestamp"))
        .and_then(Value::as_str)
        .and_then(|t| Timestamp::parse_rfc3339(t).ok());
    Ok(IssuedToken { object, token, expiration })
}
