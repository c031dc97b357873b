//! `kubecred eks update-kubeconfig` against a fake EKS DescribeCluster: the
//! merged file keeps every other entry, kubectl loads it, and its exec user
//! (kubecred) authenticates against the EKS-verifying kube-apiserver stand-in.

mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[test]
fn merges_keeps_other_entries_and_kubectl_uses_it() {
    let dir = TempDir::new("eks-update");
    let pki = Pki::create(&dir.join("pki"));
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_eks",
            "--option",
            "eks_cluster=demo",
            "--option",
            &format!("eks_secrets=AKIDEXAMPLE:{SECRET}"),
        ],
    );
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "demo", "--endpoint", &api.url("https"), "--ca", pki.ca_cert.to_str().unwrap()],
    );
    let config = dir.write(
        "kube/config",
        "apiVersion: v1\nclusters:\n- cluster: {server: \"https://gke.example\", extensions: [{name: x, extension: {k: v}}]}\n  name: gke\ncontexts:\n- context: {cluster: gke, user: gke}\n  name: gke\ncurrent-context: gke\nkind: Config\npreferences: {colors: true}\nusers:\n- name: gke\n  user:\n    auth-provider: {name: gcp, config: {cmd-path: /usr/bin/gcloud}}\n",
    );
    let update = |extra: &[&str]| {
        run(kubecred(dir.path())
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_ENDPOINT_URL_EKS", eks.url("http"))
            .args(["eks", "update-kubeconfig", "--name", "demo", "--region", "us-west-2", "--kubeconfig"])
            .arg(&config)
            .args(extra))
    };
    let dry = update(&["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("auth-provider"), "{}", stdout(&dry));
    assert!(!std::fs::read_to_string(&config).unwrap().contains("demo"), "--dry-run writes nothing");

    let out = update(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("Added new context arn:aws:eks:us-west-2:123456789012:cluster/demo to {}\n", config.display())
    );
    assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&config).unwrap();
    for kept in ["auth-provider", "cmd-path: /usr/bin/gcloud", "extensions", "colors: true", "https://gke.example"] {
        assert!(text.contains(kept), "lost {kept}: {text}");
    }
    let again = update(&["--alias", "demo"]);
    assert!(stdout(&again).starts_with("Added new context demo"), "{}", stdout(&again));
    let again = update(&["--alias", "demo"]);
    assert!(stdout(&again).starts_with("Updated context demo"), "{}", stdout(&again));

    for kubectl in ["/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.31"] {
        if !Path::new(kubectl).is_file() {
            continue;
        }
        let view = run(command_for(Path::new(kubectl), dir.path()).args([
            "config",
            "view",
            "--kubeconfig",
            config.to_str().unwrap(),
            "-o",
            "jsonpath={.contexts[*].name}",
        ]));
        assert!(view.status.success(), "{}", stderr(&view));
        assert!(stdout(&view).contains("gke") && stdout(&view).contains("demo"), "{}", stdout(&view));
        let get = run(command_for(Path::new(kubectl), dir.path())
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .args(["--kubeconfig", config.to_str().unwrap(), "get", "--raw", "/api/v1/namespaces"]));
        assert!(get.status.success(), "{kubectl}: {}", stderr(&get));
    }
}

#[test]
fn errors_are_clear() {
    let dir = TempDir::new("eks-update-errors");
    let out = run(kubecred(dir.path()).args(["eks", "update-kubeconfig", "--region", "us-west-2"]));
    assert_eq!(out.status.code(), Some(2));
    let pki = Pki::create(&dir.join("pki"));
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "demo", "--endpoint", "https://127.0.0.1:1", "--ca", pki.ca_cert.to_str().unwrap()],
    );
    let out = run(kubecred(dir.path())
        .env("AWS_ACCESS_KEY_ID", "A")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWS_ENDPOINT_URL_EKS", eks.url("http"))
        .args(["eks", "update-kubeconfig", "--name", "other", "--region", "us-west-2", "--kubeconfig"])
        .arg(dir.join("config")));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("No cluster found"), "{}", stderr(&out));
    assert!(!dir.join("config").exists(), "nothing written");
    let broken = dir.write("broken", "clusters: [\n");
    let out = run(kubecred(dir.path())
        .env("AWS_ACCESS_KEY_ID", "A")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWS_ENDPOINT_URL_EKS", eks.url("http"))
        .args(["eks", "update-kubeconfig", "--name", "demo", "--region", "us-west-2", "--kubeconfig"])
        .arg(&broken));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "clusters: [\n", "a broken file is left alone");
}

/// A kubeconfig kept elsewhere behind the user's own link is rewritten where it
/// lives, as kubectl and the AWS CLI do; a link another user planted is
/// replaced instead of followed.
#[test]
fn own_links_are_written_through_and_foreign_ones_replaced() {
    use std::os::unix::fs::MetadataExt;
    let dir = TempDir::new("eks-update-link");
    let pki = Pki::create(&dir.join("pki"));
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "demo", "--endpoint", "https://127.0.0.1:6443", "--ca", pki.ca_cert.to_str().unwrap()],
    );
    let update = |config: &Path| {
        run(kubecred(dir.path())
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_ENDPOINT_URL_EKS", eks.url("http"))
            .args(["eks", "update-kubeconfig", "--name", "demo", "--region", "us-west-2", "--kubeconfig"])
            .arg(config))
    };
    let real = dir.write("dotfiles/kubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\n");
    std::fs::create_dir_all(dir.join("kube")).unwrap();
    let link = dir.join("kube/config");
    std::os::unix::fs::symlink("../dotfiles/kubeconfig", &link).unwrap();
    let out = update(&link);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the user's link was replaced");
    assert!(std::fs::read_to_string(&real).unwrap().contains("cluster/demo"));
    assert_eq!(std::fs::metadata(&real).unwrap().mode() & 0o777, 0o600);

    // The same link, but another user's: kubecred writes its own file in its place.
    if std::fs::metadata("/proc/self").unwrap().uid() == 0 {
        let planted = dir.join("planted-config");
        std::os::unix::fs::symlink("dotfiles/kubeconfig", &planted).unwrap();
        std::os::unix::fs::lchown(&planted, Some(65534), Some(65534)).unwrap();
        let before = std::fs::read_to_string(&real).unwrap();
        let out = update(&planted);
        assert!(out.status.success(), "{}", stderr(&out));
        let meta = std::fs::symlink_metadata(&planted).unwrap();
        assert!(meta.is_file() && meta.uid() == 0 && meta.mode() & 0o777 == 0o600);
        assert_eq!(std::fs::read_to_string(&real).unwrap(), before, "written through another user's link");
    }
}
