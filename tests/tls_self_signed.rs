//! A server whose certificate is itself the trusted root: the self-signed,
//! `CA:TRUE` certificate `openssl req -x509` makes. kubectl (Go) and the AWS
//! CLI (OpenSSL) accept it when it is the configured CA; so does kubecred, on
//! the Kubernetes, AWS and Alibaba paths, still checking the name it is for.
//! A different self-signed certificate, or one for another name, is refused.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `openssl req -x509` for `names` (subjectAltName entries); returns (cert, key).
fn self_signed(dir: &TempDir, stem: &str, names: &str) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join(&format!("{stem}.crt")), dir.join(&format!("{stem}.key")));
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=kubecred-self-signed", "-addext", &format!("subjectAltName={names}")])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl req -x509 failed");
    (cert, key)
}

/// kube_apiserver.py serving `cert`, minting ServiceAccount tokens for `admin-token` callers.
fn server(cert: &Path, key: &Path) -> Fake {
    Fake::start(
        "kube_apiserver.py",
        &[
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--auth",
            "auth_static,tokenrequest",
            "--option",
            "tokens=admin-token",
            "--option",
            "service_accounts=default/builder",
        ],
    )
}

fn create_token(dir: &TempDir, api: &Fake, ca: &Path, host: &str) -> std::process::Output {
    let config = dir.write(
        "kubeconfig",
        &format!(
            "apiVersion: v1\nclusters:\n- name: c\n  cluster: {{server: \"https://{host}:{}\", certificate-authority: {}}}\n\
             contexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\nusers:\n- name: u\n  user: {{token: admin-token}}\n",
            api.port,
            ca.display()
        ),
    );
    run(kubecred(dir.path()).args(["create", "token", "builder", "--kubeconfig"]).arg(config))
}

#[test]
fn the_trusted_self_signed_certificate_is_accepted_on_the_kube_path() {
    let dir = TempDir::new("tls-self-kube");
    let (cert, key) = self_signed(&dir, "server", "IP:127.0.0.1");
    let (other, _) = self_signed(&dir, "other", "IP:127.0.0.1");
    let api = server(&cert, &key);

    let out = create_token(&dir, &api, &cert, "127.0.0.1");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).is_empty());

    let out = create_token(&dir, &api, &other, "127.0.0.1");
    assert!(stderr(&out).contains("unknown issuer"), "another self-signed certificate is no anchor: {}", stderr(&out));
    let out = create_token(&dir, &api, &cert, "localhost");
    assert!(stderr(&out).contains("does not name this host"), "the name is still checked: {}", stderr(&out));
}

#[test]
fn the_trusted_self_signed_certificate_is_accepted_on_the_aws_and_alibaba_paths() {
    let dir = TempDir::new("tls-self-cloud");
    let (cert, key) = self_signed(&dir, "sts", "IP:127.0.0.1");
    let (other, _) = self_signed(&dir, "other", "IP:127.0.0.1");
    // Any TLS endpoint will do: the STS calls reach it and are answered HTTP 401, not refused by TLS.
    let sts = server(&cert, &key);
    let aws = |ca: &Path| {
        run(eks_get_token(dir.path())
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_ENDPOINT_URL_STS", sts.url("https"))
            .args(["--role-arn", "arn:aws:iam::123456789012:role/r", "--ca-bundle"])
            .arg(ca))
    };
    let alibaba = |ca: &Path| {
        run(kubecred(dir.path())
            .args(["ack", "get-token", "-c", "c1", "--role-arn", "acs:ram::1234567890123456:role/ack-admin"])
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEXAMPLE")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "alibaba-secret-example")
            .env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url("https"))
            .env("SSL_CERT_FILE", ca))
    };
    for (label, run_with) in [("aws", &aws as &dyn Fn(&Path) -> std::process::Output), ("alibaba", &alibaba)] {
        let trusted = run_with(&cert);
        let message = stderr(&trusted);
        assert!(!trusted.status.success(), "{label}: the stand-in mints no credentials");
        assert!(message.contains("HTTP 401") && !message.contains("TLS"), "{label}: TLS was accepted: {message}");
        let refused = stderr(&run_with(&other));
        assert!(refused.contains("unknown issuer"), "{label}: {refused}");
    }
}
