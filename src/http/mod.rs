//! The one HTTP client every provider and API call goes through.
//!
//! Blocking, one ureq agent per process, built on first use so that commands
//! that need no network (a token signed from environment credentials) pay for no
//! TLS set-up. Every status code comes back as a [`Response`]; only transport
//! failures are errors, and those name the host and what went wrong.

mod anchored;
mod anchored_tls;
pub mod metadata;
mod proxy;
mod retry;
mod server_name;
mod tls;

pub use proxy::{NoProxyRule, ProxyConfig, parse_no_proxy};

use crate::env::Env;
use crate::error::{Error, Result};
use std::cell::RefCell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Why [`send`] refuses every request after [`set_offline`]; callers may look for it.
pub const OFFLINE_REASON: &str = "kubecred doctor makes no network call without --check";

static OFFLINE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes every later [`send`] fail at once without touching the network
/// (`kubecred doctor` without `--check` walks the chains this way).
///
/// ```
/// use kubecred::http::{OFFLINE_REASON, Request, send, set_offline};
/// set_offline(true);
/// let e = send(&Request::new("GET", "http://127.0.0.1:9/")).unwrap_err();
/// assert!(e.message().ends_with(OFFLINE_REASON));
/// set_offline(false);
/// ```
pub fn set_offline(offline: bool) {
    OFFLINE.store(offline, std::sync::atomic::Ordering::Relaxed);
}

/// The most bytes kubecred reads from any one reply.
pub const MAX_RESPONSE_BYTES: u64 = 8 << 20;

/// Process-wide network settings, from flags and environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// A PEM bundle of trust roots that replaces the system ones.
    pub ca_bundle: Option<PathBuf>,
    pub proxy: ProxyConfig,
}

impl Default for Settings {
    /// Timeouts that suit a plugin kubectl waits on; no bundle, no proxy.
    fn default() -> Settings {
        Settings {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(10),
            ca_bundle: None,
            proxy: ProxyConfig::default(),
        }
    }
}

impl Settings {
    /// The defaults with what the environment says: `AWS_CA_BUNDLE`, else
    /// `SSL_CERT_FILE`, and the proxy variables. The one place they are read.
    pub fn from_env(env: &Env) -> Settings {
        Settings {
            ca_bundle: env.get("AWS_CA_BUNDLE").or_else(|| env.get("SSL_CERT_FILE")).map(PathBuf::from),
            proxy: ProxyConfig::from_env(env),
            ..Settings::default()
        }
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
    /// Whether a transient failure may be retried; `None`: only for GET, HEAD and PUT.
    pub retry: Option<bool>,
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
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            route: Route::Api,
            retry: None,
            tls: None,
        }
    }

    /// Allows (or forbids) retrying this request, e.g. a POST that is safe to repeat.
    pub fn retry(mut self, retry: bool) -> Request {
        self.retry = Some(retry);
        self
    }

    fn retryable(&self) -> bool {
        self.retry.unwrap_or(matches!(self.method, "GET" | "HEAD" | "PUT"))
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
    static SETTINGS: RefCell<Option<Settings>> = const { RefCell::new(None) };
    /// Agents built so far, by what distinguishes them; most runs build one.
    static AGENTS: RefCell<Vec<(AgentKey, ureq::Agent)>> = const { RefCell::new(Vec::new()) };
}

#[derive(PartialEq, Eq)]
struct AgentKey {
    route: Route,
    proxy: Option<String>,
}

/// Sets the network settings; call before the first request.
pub fn configure(settings: Settings) {
    SETTINGS.with(|s| *s.borrow_mut() = Some(settings));
    AGENTS.with(|agents| agents.borrow_mut().clear());
}

/// The current settings (from the environment until [`configure`] is called).
pub fn settings() -> Settings {
    SETTINGS.with(|s| s.borrow_mut().get_or_insert_with(|| Settings::from_env(&Env::from_process())).clone())
}

/// Sends `request` and reads the whole reply, retrying transient failures of
/// retryable requests (see [`Request::retry`]).
pub fn send(request: &Request) -> Result<Response> {
    let host = host_of(&request.url);
    if OFFLINE.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(Error::new(format!("{host}: not contacted: {OFFLINE_REASON}")));
    }
    if std::env::var_os("KUBECRED_TEST_LOOPBACK_ONLY").is_some() && !is_loopback_host(&host) {
        return Err(Error::new(format!("request to {host} refused: KUBECRED_TEST_LOOPBACK_ONLY allows only loopback")));
    }
    let settings = settings();
    let started = Instant::now();
    let mut attempt = 1;
    loop {
        crate::debug!("{} {}", request.method, crate::log::redact_url(&request.url));
        let outcome = send_once(request, &settings, &host);
        let transient = match &outcome {
            Ok(reply) => retry::is_retryable_status(reply.status, &reply.body),
            Err(failure) => failure.transient,
        };
        if let Ok(reply) = &outcome {
            crate::debug!("{} {} -> {}", request.method, host, reply.status);
        }
        if !transient || !request.retryable() || attempt >= retry::MAX_ATTEMPTS {
            return outcome.map_err(|failure| failure.error);
        }
        let wait = retry::backoff(attempt);
        if started.elapsed() + wait > retry::MAX_ELAPSED {
            return outcome.map_err(|failure| failure.error);
        }
        crate::debug!("{} {}: transient failure, retry {attempt} in {} ms", request.method, host, wait.as_millis());
        std::thread::sleep(wait);
        attempt += 1;
    }
}

/// A failed try, and whether trying again might help.
struct Failure {
    error: Error,
    transient: bool,
}

fn send_once(request: &Request, settings: &Settings, host: &str) -> Result<Response, Failure> {
    let permanent = |error: Error| Failure { error, transient: false };
    let proxy = match (request.route, &request.tls) {
        (Route::Metadata, _) => None,
        (Route::Api, Some(TlsOverrides { proxy_url: Some(url), .. })) => Some(url.clone()),
        (Route::Api, _) => settings.proxy.proxy_for(&request.url).map(str::to_string),
    };
    let mut url = request.url.clone();
    let mut pinned = None;
    if let Some(name) = request.tls.as_ref().and_then(|t| t.server_name.as_deref()) {
        if proxy.is_some() {
            return Err(permanent(Error::new(format!("{host}: tls-server-name through a proxy is not supported"))));
        }
        let (readdressed, real_authority) = server_name::readdress(&request.url, name)
            .ok_or_else(|| permanent(Error::new(format!("{host}: not a URL kubecred can address"))))?;
        url = readdressed;
        pinned = Some(server_name::PinnedName { name: name.to_string(), real_authority });
    }
    let agent = agent_for(request, settings, proxy.clone(), pinned, host).map_err(permanent)?;
    let mut builder = ureq::http::Request::builder().method(request.method).uri(&url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let http_request = builder
        .body(request.body.clone())
        .map_err(|e| permanent(Error::new(format!("invalid request to {host}: {e}"))))?;
    // Say which proxy it went through: a refused connection is then the proxy's, not the server's.
    let target = match &proxy {
        Some(proxy) => format!("{host} through proxy {}", crate::log::redact_url(proxy)),
        None => host.to_string(),
    };
    let mut reply = agent.run(http_request).map_err(|e| transport_failure(&target, e))?;
    let status = reply.status().as_u16();
    let headers = reply
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = reply.body_mut().with_config().limit(MAX_RESPONSE_BYTES).read_to_vec().map_err(|e| match e {
        ureq::Error::BodyExceedsLimit(_) => {
            permanent(Error::new(format!("{host}: reply larger than {MAX_RESPONSE_BYTES} bytes, refusing to read it")))
        }
        other => transport_failure(&target, other),
    })?;
    Ok(Response { status, headers, body })
}

/// The agent for this request: shared per route and proxy, or built for one
/// destination's TLS settings.
fn agent_for(
    request: &Request,
    settings: &Settings,
    proxy: Option<String>,
    pinned: Option<server_name::PinnedName>,
    host: &str,
) -> Result<ureq::Agent> {
    if request.tls.is_some() {
        return build_agent(settings, request.route, request.tls.as_ref(), proxy.as_deref(), pinned, host);
    }
    let key = AgentKey { route: request.route, proxy };
    if let Some(agent) = AGENTS.with(|agents| agents.borrow().iter().find(|(k, _)| *k == key).map(|(_, a)| a.clone())) {
        return Ok(agent);
    }
    let agent = build_agent(settings, request.route, None, key.proxy.as_deref(), None, host)?;
    AGENTS.with(|agents| agents.borrow_mut().push((key, agent.clone())));
    Ok(agent)
}

fn build_agent(
    settings: &Settings,
    route: Route,
    overrides: Option<&TlsOverrides>,
    proxy: Option<&str>,
    pinned: Option<server_name::PinnedName>,
    host: &str,
) -> Result<ureq::Agent> {
    let tls = tls::config(settings, overrides, host)?;
    let anchored = tls::anchored(settings, overrides)?;
    let (connect, read) = match route {
        Route::Api => (settings.connect_timeout, settings.read_timeout),
        // A laptop has no metadata service: find out fast.
        Route::Metadata => {
            (settings.connect_timeout.min(Duration::from_secs(1)), settings.read_timeout.min(Duration::from_secs(5)))
        }
    };
    let proxy = match proxy {
        Some(url) => Some(
            ureq::Proxy::new(url)
                .map_err(|_| Error::new(format!("proxy {}: not a valid proxy URL", crate::log::redact_url(url))))?,
        ),
        None => None,
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("kubecred/", env!("CARGO_PKG_VERSION")))
        .timeout_connect(Some(connect))
        .timeout_recv_response(Some(read))
        .timeout_recv_body(Some(read))
        // The whole call, however the time is spent, so a trickling server cannot hang kubectl.
        .timeout_global(Some(connect + read + read))
        .tls_config(tls)
        .proxy(proxy)
        .build();
    Ok(anchored_tls::agent(config, anchored, pinned))
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

fn transport_failure(host: &str, error: ureq::Error) -> Failure {
    if let Some(tls_error) = tls::rustls_error(&error) {
        return Failure {
            error: Error::new(format!("request to {host} failed: {}", tls::describe(tls_error))),
            transient: false,
        };
    }
    let (why, transient) = match &error {
        ureq::Error::Timeout(what) => (format!("timed out ({what})"), true),
        ureq::Error::HostNotFound => ("host not found".to_string(), false),
        ureq::Error::ConnectionFailed => ("connection failed".to_string(), true),
        ureq::Error::ConnectProxyFailed(why) => (format!("the proxy refused the connection ({why})"), false),
        ureq::Error::Io(io) => (io.to_string(), true),
        other => (other.to_string(), false),
    };
    Failure { error: Error::new(format!("request to {host} failed: {why}")), transient }
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
