//! Checks the test harness itself: the fake kube-apiserver authenticates, and
//! real kubectl can talk to it.

mod common;

use common::*;

#[test]
fn fake_apiserver_checks_bearer_tokens_with_real_kubectl() {
    let dir = TempDir::new("harness");
    let pki = Pki::create(&dir.join("pki"));
    let log = dir.join("api.log");
    let api = start_apiserver(
        &pki,
        &["--auth", "auth_static", "--option", "tokens=good-token", "--log", log.to_str().unwrap()],
    );
    let kubeconfig = |token: &str| {
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    certificate-authority: {}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            api.url("https"),
            pki.ca_cert.display()
        )
    };
    let good = dir.write("good.yaml", &kubeconfig("good-token"));
    let out = run(command_for(std::path::Path::new("kubectl"), dir.path()).args([
        "--kubeconfig",
        good.to_str().unwrap(),
        "get",
        "--raw",
        "/api/v1/namespaces",
    ]));
    assert!(out.status.success(), "kubectl failed: {}", stderr(&out));
    assert!(stdout(&out).contains("NamespaceList"));

    let bad = dir.write("bad.yaml", &kubeconfig("wrong-token"));
    let out = run(command_for(std::path::Path::new("kubectl"), dir.path()).args([
        "--kubeconfig",
        bad.to_str().unwrap(),
        "get",
        "--raw",
        "/api/v1/namespaces",
    ]));
    assert!(!out.status.success());
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("token not in the static list"), "{logged}");
}
