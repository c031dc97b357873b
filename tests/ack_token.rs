//! `kubecred ack get-token`: output as ack-ram-tool prints it, exit codes, and
//! real kubectl using it as an exec plugin against a kube-apiserver stand-in that
//! verifies the ACK token with the official SDK's signer (tests/fakes/auth_ack.py).

mod common;

use common::*;
use std::path::{Path, PathBuf};

const KEY: &str = "LTAI5tEXAMPLEKEYID";
const SECRET: &str = "EXAMPLEsecretEXAMPLEsecret12";

fn with_keys(cmd: &mut std::process::Command) -> &mut std::process::Command {
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY).env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
}

#[test]
fn output_is_indented_one_space_with_interactive_false() {
    let home = TempDir::new("ack-out");
    let out = run(with_keys(&mut kubecred(home.path())).env("KUBECRED_TEST_NOW", "2026-11-24T13:34:04Z").args([
        "ack",
        "get-token",
        "-c",
        "c123",
        "--api-version",
        "v1",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("{\n \"kind\": \"ExecCredential\",\n \"apiVersion\": \"client.authentication.k8s.io/v1\",\n \"spec\": {\n  \"interactive\": false\n },\n \"status\": {\n  \"expirationTimestamp\": \"2026-11-24T13:44:04Z\",\n  \"token\": \"k8s-ack-v2."), "{text}");
    assert!(text.ends_with("\"\n }\n}\n"), "{text:?}");

    // KUBERNETES_EXEC_INFO wins over --api-version.
    let out = run(with_keys(&mut kubecred(home.path()))
        .env("KUBERNETES_EXEC_INFO", r#"{"apiVersion":"client.authentication.k8s.io/v1beta1"}"#)
        .args(["ack", "get-token", "--cluster-id", "c123", "--api-version", "v1"]));
    assert!(stdout(&out).contains("client.authentication.k8s.io/v1beta1"));
}

#[test]
fn security_token_is_carried_and_signed() {
    let home = TempDir::new("ack-sts");
    let out = run(with_keys(&mut kubecred(home.path()))
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "CAIS-security-token")
        .env("KUBECRED_TEST_NOW", "2026-11-24T13:34:04Z")
        .args(["ack", "get-token", "-c", "c123"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let token = v["status"]["token"].as_str().unwrap().strip_prefix("k8s-ack-v2.").unwrap();
    use base64::Engine;
    let doc: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::STANDARD.decode(token).unwrap()).unwrap();
    assert_eq!(doc["headers"]["x-acs-security-token"], "CAIS-security-token");
    assert!(doc["headers"]["Authorization"].as_str().unwrap().contains("x-acs-security-token;x-acs-version"));
}

#[test]
fn usage_errors_and_missing_credentials() {
    let home = TempDir::new("ack-usage");
    for args in [
        &["ack", "get-token"][..],
        &["ack", "get-token", "-c", "x", "--api-version", "v2"],
        &["ack", "get-token", "-c", "x", "--bogus"],
        &["ack", "nope"],
    ] {
        let out = run(with_keys(&mut kubecred(home.path())).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1);
    }
    let out = run(kubecred(home.path()).args(["ack", "get-token", "-c", "x"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    let out =
        run(with_keys(&mut kubecred(home.path())).args(["ack", "get-token", "-c", "x", "--ignore-env-credentials"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains(SECRET));
}

fn kubectls() -> Vec<PathBuf> {
    let mut found =
        vec![PathBuf::from("/usr/bin/kubectl"), PathBuf::from("/usr/lib/google-cloud-sdk/bin/kubectl.1.28")];
    found.retain(|p| p.is_file());
    found
}

#[test]
fn kubectl_authenticates_with_kubecred_ack_tokens() {
    let dir = TempDir::new("ack-e2e");
    let pki = Pki::create(&dir.join("pki"));
    let log = dir.join("api.log");
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_ack",
            "--option",
            "ack_cluster=c5b9a0d3e1f2",
            "--option",
            &format!("ack_secrets={KEY}:{SECRET}"),
            "--log",
            log.to_str().unwrap(),
        ],
    );
    let config = |api_version: &str, cluster: &str, secret: &str| {
        let interactive = if api_version.ends_with("/v1") { "\n      interactiveMode: Never" } else { "" };
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: ack\n  cluster:\n    server: {}\n    certificate-authority: {}\nusers:\n- name: ack\n  user:\n    exec:\n      apiVersion: {api_version}\n      command: {}\n      args: [ack, get-token, --cluster-id, {cluster}, --log-level, error]\n      env:\n      - {{name: ALIBABA_CLOUD_ACCESS_KEY_ID, value: {KEY}}}\n      - {{name: ALIBABA_CLOUD_ACCESS_KEY_SECRET, value: \"{secret}\"}}{interactive}\ncontexts:\n- name: ack\n  context: {{cluster: ack, user: ack}}\ncurrent-context: ack\n",
            api.url("https"),
            pki.ca_cert.display(),
            kubecred_path().display()
        )
    };
    let get = |kubectl: &Path, file: &Path| {
        run(command_for(kubectl, dir.path()).args([
            "--kubeconfig",
            file.to_str().unwrap(),
            "get",
            "--raw",
            "/api/v1/namespaces",
        ]))
    };
    for kubectl in kubectls() {
        for version in ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] {
            let file = dir.write("ok.yaml", &config(version, "c5b9a0d3e1f2", SECRET));
            let out = get(&kubectl, &file);
            assert!(out.status.success(), "{} {version}: {}", kubectl.display(), stderr(&out));
        }
    }
    let kubectl = &kubectls()[0];
    let wrong_cluster = dir.write("wc.yaml", &config("client.authentication.k8s.io/v1", "other", SECRET));
    assert!(!get(kubectl, &wrong_cluster).status.success());
    let wrong_secret = dir.write("ws.yaml", &config("client.authentication.k8s.io/v1", "c5b9a0d3e1f2", "wrong"));
    assert!(!get(kubectl, &wrong_secret).status.success());
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains(&format!("ack:{KEY}")), "{logged}");
    assert!(logged.contains("another cluster") && logged.contains("signature does not match"), "{logged}");
}
