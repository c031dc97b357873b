//! `eks update-kubeconfig` rewriting an existing kubeconfig that holds what a
//! careless writer would break: DEL and C1 control characters (go-yaml refuses
//! them raw), `!!binary` values, integers beyond 2^53, and fields kubecred does
//! not know. Real kubectl must still load the result and see the same values.

mod common;

use common::*;
use std::path::Path;

const EXISTING: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: old\n  cluster:\n    server: https://old.example\n    x-vendor: {nested: [1, 2], flag: true}\ncontexts:\n- name: old\n  context: {cluster: old, user: old, namespace: team}\ncurrent-context: old\npreferences: {}\nusers:\n- name: old\n  user:\n    username: \"del\\x7fc1\\u0085\\u009fend\"\n    password: pw\nx-binary: !!binary aGVsbG8=\nx-big: 123456789012345678901234567890\nx-beyond-2-53: 9007199254740993\nx-octal: 0123\n";

#[test]
fn rewriting_keeps_what_kubectl_reads() {
    let dir = TempDir::new("kubeconfig-rewrite");
    let pki = Pki::create(&dir.join("pki"));
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "demo", "--endpoint", "https://127.0.0.1:6443", "--ca", pki.ca_cert.to_str().unwrap()],
    );
    let config = dir.write("kube/config", EXISTING);
    let out = run(kubecred(dir.path())
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_ENDPOINT_URL_EKS", eks.url("http"))
        .args(["eks", "update-kubeconfig", "--name", "demo", "--region", "us-west-2", "--kubeconfig"])
        .arg(&config));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&config).unwrap();
    for kept in [
        "x-binary: !!binary aGVsbG8=",
        "x-big: 123456789012345678901234567890",
        "x-beyond-2-53: 9007199254740993",
        "x-octal: 0123",
        "x-vendor:",
        "\\u007f",
        "\\u0085",
        "\\u009f",
    ] {
        assert!(text.contains(kept), "lost {kept:?}:\n{text}");
    }
    assert!(!text.contains('\u{7f}') && !text.contains('\u{85}') && !text.contains('\u{9f}'), "raw controls:\n{text}");

    let kubectl = Path::new("/usr/bin/kubectl");
    if !kubectl.is_file() {
        eprintln!("skipped the kubectl half: {} is not installed", kubectl.display());
        return;
    }
    let view = |file: &Path| {
        let out = run(command_for(kubectl, dir.path())
            .args(["config", "view", "--raw", "-o", "json", "--kubeconfig"])
            .arg(file));
        assert!(out.status.success(), "kubectl cannot load {}: {}", file.display(), stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let before = view(&dir.write("before", EXISTING));
    let after = view(&config);
    let user = |v: &serde_json::Value| v["users"].as_array().unwrap().iter().find(|u| u["name"] == "old").cloned();
    assert_eq!(user(&before), user(&after), "the old user reads the same");
    assert_eq!(user(&after).unwrap()["user"]["username"], "del\u{7f}c1\u{85}\u{9f}end");
    let contexts = after["contexts"].as_array().unwrap();
    assert!(contexts.iter().any(|c| c["name"] == "old" && c["context"]["namespace"] == "team"), "{after}");
    assert!(contexts.iter().any(|c| c["name"].as_str().unwrap().ends_with("cluster/demo")), "{after}");
}
