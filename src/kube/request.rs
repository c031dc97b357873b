//! Sending one request to kube-apiserver with a [`RestConfig`]'s TLS settings,
//! credentials and impersonation headers.

use crate::error::{Error, Result};
use crate::http::{self, Request, Response, TlsOverrides};
use crate::kube::client_config::RestConfig;
use crate::kube::exec_plugin::{self, PluginCredential};
use base64::Engine;

/// Sends `method path` with a JSON `body` (when not empty).
pub fn send(config: &RestConfig, method: &'static str, path: &str, body: Vec<u8>) -> Result<Response> {
    if config.server.is_empty() {
        return Err(Error::new("no server to send the request to"));
    }
    let mut tls = TlsOverrides {
        ca_pem: config.ca_pem.clone(),
        client_identity: None,
        insecure_skip_verify: config.insecure_skip_tls_verify,
        server_name: config.tls_server_name.clone(),
        proxy_url: config.proxy_url.clone(),
    };
    let mut request = Request::new(method, format!("{}{path}", config.server)).header("Accept", "application/json");
    let credentials = &config.credentials;
    let mut bearer = credentials.bearer.clone();
    tls.client_identity = credentials.client_certificate.clone();
    if let Some(run) = &credentials.exec {
        match exec_plugin::run(&run.exec, run.cluster.as_ref())? {
            PluginCredential::Token(token) => bearer = Some(token),
            PluginCredential::ClientCertificate { cert_pem, key_pem } => {
                tls.client_identity = Some((cert_pem, key_pem))
            }
        }
    }
    if let Some(token) = bearer {
        request = request.header("Authorization", format!("Bearer {token}"));
    } else if let Some((username, password)) = &credentials.basic {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        request = request.header("Authorization", format!("Basic {encoded}"));
    }
    if let Some(who) = &config.impersonation {
        request = request.header("Impersonate-User", who.user.clone());
        if let Some(uid) = &who.uid {
            request = request.header("Impersonate-Uid", uid.clone());
        }
        for group in &who.groups {
            request = request.header("Impersonate-Group", group.clone());
        }
        for (key, values) in &who.extra {
            // client-go escapes the key as a URL path segment would be.
            let header = format!("Impersonate-Extra-{}", crate::encoding::uri_encode(key, false));
            for value in values {
                request = request.header(header.clone(), value.clone());
            }
        }
    }
    if !body.is_empty() {
        request = request.header("Content-Type", "application/json").body(body);
    }
    if let Some(timeout) = config.request_timeout {
        let mut settings = http::settings();
        settings.read_timeout = timeout;
        http::configure(settings);
    }
    http::send(&request.tls(tls))
}

/// A Kubernetes `Status` error reply (HTTP `status`, `body`) as kubectl words it.
///
/// ```
/// use kubecred::kube::request::status_message;
/// let body = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"serviceaccounts \"x\" not found","reason":"NotFound","code":404}"#;
/// assert_eq!(status_message(404, body), r#"serviceaccounts "x" not found"#);
/// assert_eq!(status_message(502, b"<html>Bad Gateway</html>"), "the server answered HTTP 502");
/// ```
pub fn status_message(status: u16, body: &[u8]) -> String {
    if status == 401 {
        return "You must be logged in to the server (Unauthorized)".to_string();
    }
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(serde_json::Value::as_str).map(str::to_string));
    crate::error::one_line(match message {
        Some(message) => message.chars().take(500).collect(),
        None => format!("the server answered HTTP {status}"),
    })
}
