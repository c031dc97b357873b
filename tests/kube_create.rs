//! `kubecred create token` and `create kubeconfig` against the kube-apiserver
//! stand-in with a TokenRequest endpoint; kubeconfig loading rules; real kubectl
//! reads and uses what kubecred writes.

mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Cluster {
    dir: TempDir,
    pki: Pki,
    api: Fake,
    log: PathBuf,
}

fn cluster() -> Cluster {
    let dir = TempDir::new("kube-create");
    let pki = Pki::create(&dir.join("pki"));
    let log = dir.join("api.log");
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_static,tokenrequest",
            "--option",
            "tokens=admin-token",
            "--option",
            "service_accounts=default/builder,ci/deployer",
            "--log",
            log.to_str().unwrap(),
        ],
    );
    Cluster { dir, pki, api, log }
}

impl Cluster {
    /// A kubeconfig whose user authenticates with `user` (YAML of the user mapping).
    fn kubeconfig(&self, name: &str, user: &str, namespace: &str) -> PathBuf {
        self.dir.write(
            name,
            &format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\n    certificate-authority: pki/ca.crt\ncontexts:\n- name: main\n  context: {{cluster: fake, user: me, namespace: {namespace}}}\ncurrent-context: main\nusers:\n- name: me\n  user:\n{user}\n",
                self.api.url("https")
            ),
        )
    }

    fn admin(&self) -> PathBuf {
        self.kubeconfig("admin.yaml", "    token: admin-token", "default")
    }

    fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|v: &serde_json::Value| v["method"] == "POST")
            .collect()
    }

    fn kubecred(&self, config: &Path, args: &[&str]) -> std::process::Output {
        run(kubecred(self.dir.path()).arg("create").args(args).arg("--kubeconfig").arg(config))
    }
}

#[test]
fn create_token_prints_the_token_and_sends_what_kubectl_sends() {
    let c = cluster();
    let out = c.kubecred(
        &c.admin(),
        &[
            "token",
            "builder",
            "--duration",
            "1h30m",
            "--audience",
            "vault",
            "--audience",
            "sts",
            "--bound-object-kind",
            "Pod",
            "--bound-object-name",
            "web-0",
            "--bound-object-uid",
            "u-1",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out);
    assert!(
        token.starts_with("minted-") && !token.ends_with('\n'),
        "no newline when stdout is not a terminal: {token:?}"
    );
    let sent: serde_json::Value = serde_json::from_str(c.requests()[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["spec"]["expirationSeconds"], 5400);
    assert_eq!(sent["spec"]["audiences"], serde_json::json!(["vault", "sts"]));
    assert_eq!(
        sent["spec"]["boundObjectRef"],
        serde_json::json!({"kind": "Pod", "apiVersion": "v1", "name": "web-0", "uid": "u-1"})
    );
    assert_eq!(c.requests()[0]["path"], "/api/v1/namespaces/default/serviceaccounts/builder/token");

    let name = c.kubecred(&c.admin(), &["token", "deployer", "-n", "ci", "-o", "name"]);
    assert_eq!(stdout(&name), "tokenrequest.authentication.k8s.io/deployer\n");
    let json = c.kubecred(&c.admin(), &["token", "builder", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["kind"], "TokenRequest");
    let yaml = c.kubecred(&c.admin(), &["token", "builder", "-o", "yaml"]);
    assert!(
        stdout(&yaml).contains("kind: TokenRequest\n") && stdout(&yaml).contains("  token: minted-"),
        "{}",
        stdout(&yaml)
    );
}

#[test]
fn server_errors_are_kubectl_like_lines() {
    let c = cluster();
    let out = c.kubecred(&c.admin(), &["token", "ghost"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "kubecred: failed to create token: serviceaccounts \"ghost\" not found");
    let out = c.kubecred(&c.admin(), &["token", "builder", "--duration", "5m"]);
    assert!(stderr(&out).contains("may not specify a duration less than 10 minutes"), "{}", stderr(&out));
    let wrong = c.kubeconfig("wrong.yaml", "    token: wrong-token", "default");
    let out = c.kubecred(&wrong, &["token", "builder"]);
    assert!(stderr(&out).contains("You must be logged in to the server (Unauthorized)"), "{}", stderr(&out));
}

#[test]
fn bad_command_lines_send_nothing() {
    let c = cluster();
    for args in [
        &["token"][..],
        &["token", "builder", "--duration", "-1h"],
        &["token", "builder", "--duration", "ten minutes"],
        &["token", "builder", "--bound-object-name", "x"],
        &["token", "builder", "--bound-object-kind", "Deployment", "--bound-object-name", "x"],
        &["token", "builder", "--bound-object-kind", "Pod"],
        &["token", "builder", "-o", "wide"],
        &["kubeconfig", "builder"],
    ] {
        let out = c.kubecred(&c.admin(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1);
    }
    assert!(c.requests().is_empty(), "no request was sent");
    let junk = c.dir.write("junk.yaml", "clusters: [unclosed\n  token: secret-in-junk");
    let out = c.kubecred(&junk, &["token", "builder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("junk.yaml") && !stderr(&out).contains("secret-in-junk"), "{}", stderr(&out));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    let bomb = c.dir.write("bomb.yaml", &bomb);
    assert_eq!(c.kubecred(&bomb, &["token", "builder"]).status.code(), Some(1));
    assert!(c.requests().is_empty());
}

#[test]
fn create_kubeconfig_writes_a_file_kubectl_uses() {
    let c = cluster();
    let out_file = c.dir.join("shared/kube/config");
    let out = run(kubecred(c.dir.path())
        .args(["create", "kubeconfig", "deployer", "-n", "ci", "--output-file"])
        .arg(&out_file)
        .arg("--kubeconfig")
        .arg(c.admin()));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_eq!(std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        text.contains("namespace: ci")
            && text.contains("token: minted-")
            && text.contains("certificate-authority-data:"),
        "{text}"
    );
    for kubectl in ["/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.29"] {
        if !Path::new(kubectl).is_file() {
            continue;
        }
        let view = run(command_for(Path::new(kubectl), c.dir.path()).args([
            "config",
            "view",
            "--kubeconfig",
            out_file.to_str().unwrap(),
        ]));
        assert!(view.status.success(), "{kubectl}: {}", stderr(&view));
        let get = run(command_for(Path::new(kubectl), c.dir.path()).args([
            "--kubeconfig",
            out_file.to_str().unwrap(),
            "get",
            "--raw",
            "/api/v1/namespaces",
        ]));
        assert!(get.status.success(), "{kubectl}: {}", stderr(&get));
    }
    let used = std::fs::read_to_string(&c.log).unwrap();
    assert!(used.contains("system:serviceaccount:ci:deployer"), "the minted token authenticated: {used}");
}

#[test]
fn loading_rules_merge_first_wins_and_resolve_relative_paths() {
    let c = cluster();
    // The first file names the context and a wrong user; the second defines the cluster (relative CA).
    let first = c.dir.write("a/first.yaml", "current-context: main\ncontexts:\n- name: main\n  context: {cluster: fake, user: me}\nusers:\n- name: me\n  user: {token: admin-token}\n");
    std::fs::create_dir_all(c.dir.join("b/certs")).unwrap();
    std::fs::copy(&c.pki.ca_cert, c.dir.join("b/certs/ca.crt")).unwrap();
    let second = c.dir.write(
        "b/second.yaml",
        &format!("current-context: ignored\nclusters:\n- name: fake\n  cluster: {{server: \"{}\", certificate-authority: certs/ca.crt}}\nusers:\n- name: me\n  user: {{token: wrong-token}}\n", c.api.url("https")),
    );
    let list = format!("{}:{}:{}", first.display(), c.dir.join("missing.yaml").display(), second.display());
    let out = run(kubecred(c.dir.path()).env("KUBECONFIG", &list).args(["create", "token", "builder"]));
    assert!(out.status.success(), "{}", stderr(&out));
    // --token and --server override the files.
    let out = run(kubecred(c.dir.path()).env("KUBECONFIG", &list).args([
        "create",
        "token",
        "builder",
        "--token",
        "wrong-token",
    ]));
    assert!(stderr(&out).contains("Unauthorized"), "{}", stderr(&out));
    let out = run(kubecred(c.dir.path())
        .args([
            "create",
            "token",
            "builder",
            "--token",
            "admin-token",
            "--server",
            &c.api.url("https"),
            "--certificate-authority",
        ])
        .arg(&c.pki.ca_cert));
    assert!(out.status.success(), "no kubeconfig at all, flags only: {}", stderr(&out));
}

#[test]
fn users_with_client_certificates_and_exec_plugins() {
    let c = cluster();
    let cert = c.kubeconfig(
        "cert.yaml",
        &format!(
            "    client-certificate: {}\n    client-key: {}",
            c.pki.client_cert.display(),
            c.pki.client_key.display()
        ),
        "default",
    );
    assert!(c.kubecred(&cert, &["token", "builder"]).status.success());
    let mismatched = c.kubeconfig(
        "mismatch.yaml",
        &format!(
            "    client-certificate: {}\n    client-key: {}",
            c.pki.client_cert.display(),
            c.pki.server_key.display()
        ),
        "default",
    );
    let out = c.kubecred(&mismatched, &["token", "builder"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    c.dir.write_script(
        "plugin.sh",
        "#!/bin/sh\necho \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/exec-info\"\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"'\"$TOKEN\"'\"}}'\n",
    );
    let exec = c.kubeconfig(
        "exec.yaml",
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./plugin.sh\n      env: [{name: TOKEN, value: admin-token}]\n      interactiveMode: Never",
        "default",
    );
    let out = c.kubecred(&exec, &["token", "builder"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let info = std::fs::read_to_string(c.dir.join("exec-info")).unwrap();
    assert!(info.contains("client.authentication.k8s.io/v1"), "{info}");
}

#[test]
fn in_cluster_service_account() {
    let c = cluster();
    let sa = c.dir.join("sa");
    std::fs::create_dir_all(&sa).unwrap();
    std::fs::write(sa.join("token"), "admin-token\n").unwrap();
    std::fs::copy(&c.pki.ca_cert, sa.join("ca.crt")).unwrap();
    std::fs::write(sa.join("namespace"), "ci").unwrap();
    // A private mount namespace puts the files where a Pod has them.
    let script = r#"set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/secrets/kubernetes.io/serviceaccount
mount --bind "$1" /run/secrets/kubernetes.io/serviceaccount
shift
exec "$@""#;
    let out = run(Command::new("unshare")
        .args(["-m", "--", "sh", "-c", script, "sh"])
        .arg(&sa)
        .arg("env")
        .arg("-i")
        .arg(format!("HOME={}", c.dir.join("nohome").display()))
        .arg("KUBERNETES_SERVICE_HOST=127.0.0.1")
        .arg(format!("KUBERNETES_SERVICE_PORT={}", c.api.port))
        .arg(kubecred_path())
        .args(["create", "token", "deployer", "-o", "name"]));
    if stderr(&out).contains("unshare failed") {
        eprintln!("skipped: no mount namespaces: {}", stderr(&out));
        return;
    }
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "tokenrequest.authentication.k8s.io/deployer\n");
    assert!(c.requests()[0]["path"].as_str().unwrap().contains("/namespaces/ci/"), "namespace from the mounted file");
}

#[test]
fn tls_server_name_is_the_name_verified() {
    let c = cluster();
    let with_name = |name: &str| {
        c.dir.write(
            "sni.yaml",
            &format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\n    certificate-authority: pki/ca.crt\n    tls-server-name: {name}\ncontexts:\n- name: main\n  context: {{cluster: fake, user: me}}\ncurrent-context: main\nusers:\n- name: me\n  user: {{token: admin-token}}\n",
                c.api.url("https")
            ),
        )
    };
    let ok = c.kubecred(&with_name("localhost"), &["token", "builder"]);
    assert!(ok.status.success(), "the certificate names localhost: {}", stderr(&ok));
    let wrong = c.kubecred(&with_name("kubernetes.default.svc"), &["token", "builder"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("does not name this host"), "{}", stderr(&wrong));
}

#[test]
fn kubeconfig_server_override_and_kubecred_as_an_exec_plugin() {
    let dir = TempDir::new("kube-plugin");
    let pki = Pki::create(&dir.join("pki"));
    let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let log = dir.join("api.log");
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_eks,tokenrequest",
            "--option",
            "eks_cluster=demo",
            "--option",
            &format!("eks_secrets=AKIDEXAMPLE:{secret}"),
            "--option",
            "service_accounts=default/builder",
            "--log",
            log.to_str().unwrap(),
        ],
    );
    // The user is kubecred itself, minting an EKS token.
    let config = dir.write(
        "config",
        &format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: eks\n  cluster: {{server: \"{}\", certificate-authority: pki/ca.crt}}\ncontexts:\n- name: eks\n  context: {{cluster: eks, user: eks}}\ncurrent-context: eks\nusers:\n- name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {}\n      args: [eks, get-token, --cluster-name, demo, --region, us-west-2]\n      env: [{{name: AWS_ACCESS_KEY_ID, value: AKIDEXAMPLE}}, {{name: AWS_SECRET_ACCESS_KEY, value: \"{secret}\"}}]\n",
            api.url("https"),
            kubecred_path().display()
        ),
    );
    let out_file = dir.join("out");
    let out = run(kubecred(dir.path())
        .args(["create", "kubeconfig", "builder", "--server", "https://kubernetes.example:6443", "--kubeconfig"])
        .arg(&config)
        .arg("--output-file")
        .arg(&out_file));
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(written.contains("server: https://kubernetes.example:6443"), "{written}");
    assert!(std::fs::read_to_string(&log).unwrap().contains("arn:aws:iam::123456789012:user/AKIDEXAMPLE"));
}
