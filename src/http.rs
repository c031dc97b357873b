//! The one HTTP client every provider and API call goes through.
//!
//! Blocking, one ureq agent per process, built on first use so that commands
//! that need no network (a token signed from environment credentials) pay for no
//! TLS set-up. Every status code comes back as a [`Response`]; only transport
//! failures are errors, and those name the host and what went wrong.

use crate::error::{Error, Result};
use std::cell::OnceCell;
use std::path::PathBuf;
use std::time::Duration;

/// The most bytes kubecred reads from any one reply.
pub const MAX_RESPONSE_BYTES: u64 = 8 << 20;

/// Process-wide network settings, from flags and environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// A PEM bundle of trust roots that replaces the system ones.
    pub ca_bundle: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { connect_timeout: Duration::from_secs(5), read_timeout: Duration::from_secs(10), ca_bundle: None }
    }
}

/// Where a request goes, which decides proxying and timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A cloud or cluster API: proxies apply.
    Api,
    /// An instance or container metadata service: never proxied, short timeouts.
    Metadata,
}

/// One HTTP request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub route: Route,
    /// Per-destination TLS settings (a kubeconfig's cluster and user); `None` uses the process-wide ones.
    pub tls: Option<TlsOverrides>,
}

/// TLS settings that belong to one destination rather than the process: a
/// kube-apiserver's CA, the client certificate of a kubeconfig user, and so on.
#[derive(Clone, Default)]
pub struct TlsOverrides {
    /// PEM certificates that replace the trust roots for this destination.
    pub ca_pem: Option<Vec<u8>>,
    /// PEM client certificate chain and private key, presented to the server.
    pub client_identity: Option<(Vec<u8>, Vec<u8>)>,
    /// Skip server certificate verification (kubectl's `insecure-skip-tls-verify`).
    pub insecure_skip_verify: bool,
    /// Verify the server certificate against this name instead of the URL's host.
    pub server_name: Option<String>,
    /// Send through this proxy (a kubeconfig's `proxy-url`) instead of the environment's.
    pub proxy_url: Option<String>,
}

impl std::fmt::Debug for TlsOverrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsOverrides")
            .field("ca_pem", &self.ca_pem.as_ref().map(Vec::len))
            .field("client_identity", &self.client_identity.as_ref().map(|_| "<redacted>"))
            .field("insecure_skip_verify", &self.insecure_skip_verify)
            .field("server_name", &self.server_name)
            .field("proxy_url", &self.proxy_url.as_deref().map(crate::log::redact_url))
            .finish()
    }
}

impl Request {
    pub fn new(method: &'static str, url: impl Into<String>) -> Request {
        Request { method, url: url.into(), headers: Vec::new(), body: Vec::new(), route: Route::Api, tls: None }
    }

    pub fn tls(mut self, tls: TlsOverrides) -> Request {
        self.tls = Some(tls);
        self
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Request {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    pub fn route(mut self, route: Route) -> Request {
        self.route = route;
        self
    }
}

/// A reply of any status.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

thread_local! {
    static SETTINGS: std::cell::RefCell<Settings> = std::cell::RefCell::new(Settings::default());
    static AGENTS: OnceCell<Agents> = const { OnceCell::new() };
}

struct Agents {
    api: ureq::Agent,
    metadata: ureq::Agent,
}

/// Sets the network settings; call before the first request.
pub fn configure(settings: Settings) {
    SETTINGS.with(|s| *s.borrow_mut() = settings);
}

/// The current settings.
pub fn settings() -> Settings {
    SETTINGS.with(|s| s.borrow().clone())
}

/// Sends `request` and reads the whole reply.
pub fn send(request: &Request) -> Result<Response> {
    let host = host_of(&request.url);
    if std::env::var_os("KUBECRED_TEST_LOOPBACK_ONLY").is_some() && !is_loopback_host(&host) {
        return Err(Error::new(format!("request to {host} refused: KUBECRED_TEST_LOOPBACK_ONLY allows only loopback")));
    }
    crate::debug!("{} {}", request.method, crate::log::redact_url(&request.url));
    let response = AGENTS.with(|cell| -> Result<Response> {
        let agents = match cell.get() {
            Some(agents) => agents,
            None => {
                let built = build_agents(&settings())?;
                cell.get_or_init(|| built)
            }
        };
        let one_off;
        let agent = match (&request.tls, request.route) {
            (Some(tls), _) => {
                one_off = agent_with_overrides(&settings(), tls, &host)?;
                &one_off
            }
            (None, Route::Api) => &agents.api,
            (None, Route::Metadata) => &agents.metadata,
        };
        let mut builder = ureq::http::Request::builder().method(request.method).uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request =
            builder.body(request.body.clone()).map_err(|e| Error::new(format!("invalid request to {host}: {e}")))?;
        let mut reply = agent.run(http_request).map_err(|e| transport_error(&host, e))?;
        let status = reply.status().as_u16();
        let headers = reply
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = reply.body_mut().with_config().limit(MAX_RESPONSE_BYTES).read_to_vec().map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => {
                Error::new(format!("{host}: reply larger than {MAX_RESPONSE_BYTES} bytes, refusing to read it"))
            }
            other => transport_error(&host, other),
        })?;
        Ok(Response { status, headers, body })
    })?;
    crate::debug!("{} {} -> {}", request.method, host, response.status);
    Ok(response)
}

fn build_agents(settings: &Settings) -> Result<Agents> {
    let roots = trust_roots(settings)?;
    let tls = ureq::tls::TlsConfig::builder().root_certs(roots).build();
    let metadata_connect = settings.connect_timeout.min(Duration::from_secs(1));
    Ok(Agents {
        api: agent_with(tls.clone(), settings.connect_timeout, settings.read_timeout),
        metadata: agent_with(tls, metadata_connect, settings.read_timeout.min(Duration::from_secs(5))),
    })
}

/// An agent for one destination with its own TLS settings.
fn agent_with_overrides(settings: &Settings, overrides: &TlsOverrides, host: &str) -> Result<ureq::Agent> {
    if overrides.server_name.is_some() || overrides.proxy_url.is_some() {
        return Err(Error::new(format!("{host}: tls-server-name and proxy-url are not supported yet")));
    }
    let roots = match &overrides.ca_pem {
        Some(pem) => {
            roots_from_pem(pem).ok_or_else(|| Error::new(format!("{host}: no PEM certificates in the CA data")))?
        }
        None => trust_roots(settings)?,
    };
    let mut builder =
        ureq::tls::TlsConfig::builder().root_certs(roots).disable_verification(overrides.insecure_skip_verify);
    if let Some((cert_pem, key_pem)) = &overrides.client_identity {
        let certs: Vec<_> = ureq::tls::parse_pem(cert_pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(Error::new(format!("{host}: the client certificate data holds no PEM certificate")));
        }
        let key = ureq::tls::PrivateKey::from_pem(key_pem)
            .map_err(|_| Error::new(format!("{host}: the client key data holds no usable PEM private key")))?;
        builder = builder.client_cert(Some(ureq::tls::ClientCert::new_with_certs(&certs, key)));
    }
    Ok(agent_with(builder.build(), settings.connect_timeout, settings.read_timeout))
}

fn agent_with(tls: ureq::tls::TlsConfig, connect: Duration, read: Duration) -> ureq::Agent {
    {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("kubecred/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(connect))
            .timeout_recv_response(Some(read))
            .timeout_recv_body(Some(read))
            .tls_config(tls)
            .proxy(None)
            .build();
        ureq::Agent::new_with_config(config)
    }
}

/// Trust roots: an explicit bundle, else the system bundle, else the roots built in.
fn trust_roots(settings: &Settings) -> Result<ureq::tls::RootCerts> {
    let explicit = settings
        .ca_bundle
        .clone()
        .or_else(|| std::env::var_os("AWS_CA_BUNDLE").filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty()).map(PathBuf::from));
    if let Some(path) = explicit {
        return load_bundle(&path);
    }
    for path in SYSTEM_BUNDLES {
        if let Ok(roots) = load_bundle(std::path::Path::new(path)) {
            return Ok(roots);
        }
    }
    Ok(ureq::tls::RootCerts::WebPki)
}

/// Where Debian/Ubuntu/Alpine, RHEL/Fedora, openSUSE and others keep their bundle.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

fn load_bundle(path: &std::path::Path) -> Result<ureq::tls::RootCerts> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| Error::new(format!("CA bundle {shown}: {e}")))?;
    roots_from_pem(&bytes).ok_or_else(|| Error::new(format!("CA bundle {shown}: no PEM certificates in it")))
}

/// Every certificate in a PEM bundle as trust roots; `None` when there is none.
fn roots_from_pem(pem: &[u8]) -> Option<ureq::tls::RootCerts> {
    let certs: Vec<_> = ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect();
    if certs.is_empty() { None } else { Some(ureq::tls::RootCerts::new_with_certs(&certs)) }
}

/// The host (and port) part of `url`, for messages.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    authority.rsplit_once('@').map_or(authority, |(_, h)| h).to_string()
}

/// True for `localhost`, 127.0.0.0/8 and `[::1]`, with or without a port.
pub fn is_loopback_host(host_port: &str) -> bool {
    let host = if let Some(rest) = host_port.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(h, _)| h)
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn transport_error(host: &str, error: ureq::Error) -> Error {
    let why = match &error {
        ureq::Error::Timeout(what) => format!("timed out ({what})"),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    Error::new(format!("request to {host} failed: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_urls() {
        assert_eq!(host_of("https://sts.us-east-1.amazonaws.com/?A=b"), "sts.us-east-1.amazonaws.com");
        assert_eq!(host_of("http://127.0.0.1:8080/path"), "127.0.0.1:8080");
        assert_eq!(host_of("https://user:pw@proxy:3128"), "proxy:3128");
    }

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "127.0.0.1:8080", "127.3.4.5", "[::1]:443", "[::1]"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["169.254.169.254", "100.100.100.200:80", "[fd00:ec2::254]", "sts.amazonaws.com", "10.0.0.1"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}
