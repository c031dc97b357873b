//! The HTTP layer against local endpoints: private CAs trusted three ways,
//! a recording CONNECT proxy and NO_PROXY, a silent endpoint that must time out,
//! a flaky one that must be retried. Settings are per thread, so each test
//! configures its own.

mod common;

use common::*;
use kubecred::env::Env;
use kubecred::http::{self, Request, Route, Settings};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A plain HTTP server on loopback that answers the n-th request with
/// `replies[min(n, last)]`; returns its URL and a request counter.
fn canned(replies: Vec<&'static str>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let body = replies[n.min(replies.len() - 1)];
            let status = body.split_once('|').map_or("200 OK", |(s, _)| s);
            let body = body.split_once('|').map_or(body, |(_, b)| b);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, count)
}

fn tls_endpoint(dir: &TempDir) -> (Fake, Pki) {
    let pki = Pki::create(&dir.join("pki"));
    let api = Fake::start(
        "kube_apiserver.py",
        &["--cert", pki.server_cert.to_str().unwrap(), "--key", pki.server_key.to_str().unwrap()],
    );
    (api, pki)
}

#[test]
fn private_ca_trusted_by_flag_and_both_variables_and_refused_without() {
    let dir = TempDir::new("http-ca");
    let (api, pki) = tls_endpoint(&dir);
    let url = format!("{}/version", api.url("https"));
    let ca = pki.ca_cert.to_str().unwrap();
    for settings in [
        Settings { ca_bundle: Some(pki.ca_cert.clone()), ..Settings::default() },
        Settings::from_env(&Env::from_pairs(&[("AWS_CA_BUNDLE", ca)])),
        Settings::from_env(&Env::from_pairs(&[("SSL_CERT_FILE", ca)])),
    ] {
        http::configure(settings);
        let reply = http::send(&Request::new("GET", &url)).expect("trusted");
        assert_eq!(reply.status, 401, "TLS worked and the fake answered");
    }
    http::configure(Settings::default());
    let error = http::send(&Request::new("GET", &url)).unwrap_err();
    let message = error.message();
    assert!(message.contains(&format!("127.0.0.1:{}", api.port)), "{message}");
    assert!(message.contains("unknown issuer"), "{message}");
    assert!(!message.contains('\n'));
}

#[test]
fn a_bundle_without_certificates_is_a_clear_error() {
    let dir = TempDir::new("http-badca");
    let junk = dir.write("junk.pem", "not a certificate");
    http::configure(Settings { ca_bundle: Some(junk.clone()), ..Settings::default() });
    let error = http::send(&Request::new("GET", "https://127.0.0.1:9/")).unwrap_err();
    assert!(error.message().contains("junk.pem") && error.message().contains("no PEM certificates"), "{error}");
}

#[test]
fn https_goes_through_the_connect_proxy_with_basic_auth_unless_no_proxy_says_otherwise() {
    let dir = TempDir::new("http-proxy");
    let (api, pki) = tls_endpoint(&dir);
    let log = dir.join("proxy.log");
    let proxy = Fake::start("connect_proxy.py", &["--log", log.to_str().unwrap(), "--require-auth", "user:p@ss"]);
    let proxy_url = format!("http://user:p%40ss@127.0.0.1:{}", proxy.port);
    let url = format!("{}/version", api.url("https"));
    let env = |no_proxy: &str| {
        let mut settings = Settings::from_env(&Env::from_pairs(&[("HTTPS_PROXY", &proxy_url), ("NO_PROXY", no_proxy)]));
        settings.ca_bundle = Some(pki.ca_cert.clone());
        settings
    };

    http::configure(env("example.com"));
    assert_eq!(http::send(&Request::new("GET", &url)).unwrap().status, 401);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains(&format!("\"target\": \"127.0.0.1:{}\"", api.port)), "{logged}");
    assert!(logged.contains("\"authorized\": true"), "{logged}");

    for bypass in ["127.0.0.0/8", "127.0.0.1", "*"] {
        http::configure(env(bypass));
        assert_eq!(http::send(&Request::new("GET", &url)).unwrap().status, 401);
    }
    http::configure(env(""));
    assert_eq!(http::send(&Request::new("GET", &url).route(Route::Metadata)).unwrap().status, 401);
    let lines = std::fs::read_to_string(&log).unwrap().lines().count();
    assert_eq!(lines, 1, "NO_PROXY and the metadata route bypass the proxy");
}

#[test]
fn a_silent_endpoint_times_out_within_the_configured_time() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    http::configure(Settings { read_timeout: Duration::from_millis(300), ..Settings::default() });
    let started = Instant::now();
    let error = http::send(&Request::new("POST", &url)).unwrap_err();
    assert!(error.message().contains("timed out"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

#[test]
fn a_trickling_endpoint_is_cut_off_by_the_body_timeout() {
    // Headers at once, then one body byte every 100 ms, never finishing: no
    // single read waits long, so only a bound on the whole body ends it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let _ = stream.read(&mut [0u8; 4096]);
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
                while stream.write_all(b"x").is_ok() {
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
        }
    });
    http::configure(Settings {
        connect_timeout: Duration::from_millis(300),
        read_timeout: Duration::from_millis(300),
        ..Settings::default()
    });
    let started = Instant::now();
    let error = http::send(&Request::new("GET", &url).retry(false)).unwrap_err();
    assert!(error.message().contains("timed out"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[test]
fn a_flaky_endpoint_is_retried_and_the_last_error_reported() {
    let (url, count) = canned(vec!["503 Service Unavailable|busy", "503 Service Unavailable|busy", "200 OK|fine"]);
    http::configure(Settings::default());
    let reply = http::send(&Request::new("GET", &url)).unwrap();
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"fine"[..]));
    assert_eq!(count.load(Ordering::SeqCst), 3);

    let (url, count) = canned(vec!["503 Service Unavailable|down"]);
    let reply = http::send(&Request::new("GET", &url)).unwrap();
    assert_eq!(reply.status, 503, "after the last try the last reply is returned");
    assert_eq!(count.load(Ordering::SeqCst), 3, "bounded number of tries");

    let (url, count) = canned(vec!["503 Service Unavailable|down"]);
    assert_eq!(http::send(&Request::new("POST", &url)).unwrap().status, 503);
    assert_eq!(count.load(Ordering::SeqCst), 1, "a POST is not retried unless the caller says so");
    let (url, count) = canned(vec!["400 Bad Request|<Error><Code>Throttling</Code></Error>", "200 OK|ok"]);
    assert_eq!(http::send(&Request::new("POST", &url).retry(true)).unwrap().status, 200);
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[test]
fn connection_refused_is_one_line_naming_the_host() {
    http::configure(Settings::default());
    let url = closed_port_url();
    let error = http::send(&Request::new("GET", &url)).unwrap_err();
    assert!(error.message().contains(url.trim_start_matches("http://")), "{error}");
    assert!(!error.message().contains('\n'));
}
