//! End to end: real kubectl runs kubecred as its exec plugin against a local
//! HTTPS kube-apiserver stand-in that verifies EKS tokens the way
//! aws-iam-authenticator does (tests/fakes/auth_eks.py), signature recomputed.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// /usr/bin/kubectl and the versioned ones the image carries.
fn kubectls() -> Vec<PathBuf> {
    let mut found = vec![PathBuf::from("/usr/bin/kubectl")];
    for v in ["1.27", "1.30", "1.33"] {
        found.push(PathBuf::from(format!("/usr/lib/google-cloud-sdk/bin/kubectl.{v}")));
    }
    found.retain(|p| p.is_file());
    assert!(!found.is_empty(), "no kubectl on this machine");
    found
}

struct Cluster {
    _dir: TempDir,
    api: Fake,
    pki: Pki,
    log: PathBuf,
}

fn start_cluster(cluster_id: &str) -> Cluster {
    let dir = TempDir::new("eks-e2e");
    let pki = Pki::create(&dir.join("pki"));
    let log = dir.join("api.log");
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_eks",
            "--option",
            &format!("eks_cluster={cluster_id}"),
            "--option",
            &format!("eks_secrets=AKIDEXAMPLE:{SECRET}"),
            "--log",
            log.to_str().unwrap(),
        ],
    );
    Cluster { _dir: dir, api, pki, log }
}

fn kubeconfig(cluster: &Cluster, api_version: &str, secret: &str, cluster_name: &str) -> String {
    let interactive = if api_version.ends_with("/v1") { "\n      interactiveMode: Never" } else { "" };
    format!(
        r#"apiVersion: v1
kind: Config
clusters:
- name: eks
  cluster:
    server: {server}
    certificate-authority: {ca}
users:
- name: eks-user
  user:
    exec:
      apiVersion: {api_version}
      command: {kubecred}
      args: ["eks", "get-token", "--cluster-name", "{cluster_name}", "--region", "us-west-2"]
      env:
      - name: AWS_ACCESS_KEY_ID
        value: AKIDEXAMPLE
      - name: AWS_SECRET_ACCESS_KEY
        value: "{secret}"{interactive}
contexts:
- name: eks
  context: {{cluster: eks, user: eks-user}}
current-context: eks
"#,
        server = cluster.api.url("https"),
        ca = cluster.pki.ca_cert.display(),
        kubecred = kubecred_path().display(),
    )
}

fn kubectl_get(kubectl: &Path, home: &Path, config: &Path) -> std::process::Output {
    run(command_for(kubectl, home).args([
        "--kubeconfig",
        config.to_str().unwrap(),
        "get",
        "--raw",
        "/api/v1/namespaces",
    ]))
}

#[test]
fn kubectl_authenticates_with_kubecred_tokens_v1_and_v1beta1() {
    let cluster = start_cluster("demo");
    let home = TempDir::new("eks-e2e-home");
    for kubectl in kubectls() {
        for api_version in ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] {
            let config = home.write("config.yaml", &kubeconfig(&cluster, api_version, SECRET, "demo"));
            let out = kubectl_get(&kubectl, home.path(), &config);
            assert!(out.status.success(), "{} {api_version}: {}", kubectl.display(), stderr(&out));
            assert!(stdout(&out).contains("NamespaceList"));
        }
    }
    let log = std::fs::read_to_string(&cluster.log).unwrap();
    assert!(log.contains("arn:aws:iam::123456789012:user/AKIDEXAMPLE"), "{log}");
}

#[test]
fn apiserver_refuses_wrong_cluster_and_wrong_secret() {
    let cluster = start_cluster("demo");
    let home = TempDir::new("eks-e2e-neg");
    let kubectl = &kubectls()[0];
    let v1 = "client.authentication.k8s.io/v1";
    let wrong_cluster = home.write("wrong-cluster.yaml", &kubeconfig(&cluster, v1, SECRET, "other-cluster"));
    assert!(!kubectl_get(kubectl, home.path(), &wrong_cluster).status.success());
    let wrong_secret = home.write("wrong-secret.yaml", &kubeconfig(&cluster, v1, "not-the-secret", "demo"));
    assert!(!kubectl_get(kubectl, home.path(), &wrong_secret).status.success());
    let log = std::fs::read_to_string(&cluster.log).unwrap();
    assert!(log.contains("signature does not match"), "{log}");
    assert!(!log.contains("\"user\": \"arn"), "{log}");
}
