//! `kubecred ack get-credential`: a client certificate from a fake Container
//! Service that checks ROA signatures with the official SDK, cached in
//! ack-ram-tool's files, used by real kubectl against a kube-apiserver stand-in
//! that accepts the certificate.

mod common;

use common::*;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const KEY: &str = "LTAI5tEXAMPLEKEYID";
const SECRET: &str = "EXAMPLEsecretEXAMPLEsecret12";
const CLUSTER: &str = "c5b9a0d3e1f2";

struct Setup {
    dir: TempDir,
    pki: Pki,
    cs: Fake,
}

fn setup(extra: &[&str]) -> Setup {
    let dir = TempDir::new("ack-cred");
    let pki = Pki::create(&dir.join("pki"));
    let cs = start_fake_cs(&pki, CLUSTER, "https://127.0.0.1:6443", &format!("{KEY}:{SECRET}"), extra);
    Setup { dir, pki, cs }
}

impl Setup {
    fn cache_dir(&self) -> PathBuf {
        self.dir.join("cache")
    }

    fn command(&self, extra: &[&str]) -> Command {
        let mut cmd = kubecred(self.dir.path());
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
            .env("ALIBABA_CLOUD_CS_ENDPOINT", self.cs.url("http"))
            .args(["ack", "get-credential", "-c", CLUSTER, "--credential-cache-dir"])
            .arg(self.cache_dir())
            .args(extra);
        cmd
    }

    fn fake(&self, path: &str) -> serde_json::Value {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.cs.port)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        serde_json::from_str(reply.split_once("\r\n\r\n").unwrap().1).unwrap()
    }

    fn calls(&self) -> u64 {
        self.fake("/_count")["count"].as_u64().unwrap()
    }
}

#[test]
fn certificate_is_printed_cached_in_ack_ram_tool_files_and_reused() {
    let s = setup(&[]);
    let out = run(&mut s.command(&[]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["spec"]["interactive"], false);
    let pem = std::fs::read_to_string(&s.pki.client_cert).unwrap();
    assert_eq!(v["status"]["clientCertificateData"], pem.as_str());
    assert!(v["status"]["clientKeyData"].as_str().unwrap().contains("PRIVATE KEY"));
    assert!(text.starts_with("{\n \"kind\": \"ExecCredential\""));
    assert_eq!(s.fake("/_last")["TemporaryDurationMinutes"], "180");

    let file = s.cache_dir().join(format!("{CLUSTER}-exec-auth-credential-v1beta1.json"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    for _ in 0..3 {
        assert_eq!(stdout(&run(&mut s.command(&[]))), text);
    }
    assert_eq!(s.calls(), 1, "warm calls use the cache");

    std::fs::write(&file, "{ corrupt").unwrap();
    assert!(run(&mut s.command(&[])).status.success());
    assert_eq!(s.calls(), 2, "a corrupt file is refetched");
}

#[test]
fn renewed_when_less_than_the_margin_remains() {
    // The fake hands out certificates that expire in 9 minutes: under the 10-minute floor.
    let s = setup(&["--expire-in", "540"]);
    for _ in 0..2 {
        assert!(run(&mut s.command(&["--expiration", "15m"])).status.success());
    }
    assert_eq!(s.calls(), 2);
    assert_eq!(s.fake("/_last")["TemporaryDurationMinutes"], "15");
}

#[test]
fn parallel_cold_starts_make_one_call() {
    let s = setup(&[]);
    let children: Vec<_> =
        (0..32).map(|_| s.command(&[]).stdout(std::process::Stdio::piped()).spawn().unwrap()).collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(s.calls(), 1);
}

#[test]
fn a_read_only_cache_directory_costs_only_the_cache() {
    let s = setup(&[]);
    std::fs::create_dir_all(s.cache_dir()).unwrap();
    std::fs::set_permissions(s.cache_dir(), std::fs::Permissions::from_mode(0o500)).unwrap();
    // As root, permissions do not stop writes; a read-only bind mount would. Check both that
    // the command works and that it never fails because of the cache.
    let out = run(&mut s.command(&[]));
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::set_permissions(s.cache_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let blocked = s.dir.write("not-a-dir", "file");
    let out = run(s.command(&[]).arg("--credential-cache-dir").arg(blocked.join("sub")));
    assert!(out.status.success(), "a cache path that cannot exist: {}", stderr(&out));
}

#[test]
fn long_lived_and_bad_expirations() {
    let s = setup(&[]);
    assert!(run(&mut s.command(&["--expiration", "0"])).status.success());
    assert!(s.fake("/_last").get("TemporaryDurationMinutes").is_none());
    for bad in ["10m", "73h", "5", "-1h"] {
        let out = run(&mut s.command(&["--expiration", bad]));
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1);
    }
}

#[test]
fn api_errors_are_one_clear_line() {
    for (mode, want) in [("403", "no RAM permission"), ("html", "HTTP 502"), ("empty", "not valid JSON")] {
        let s = setup(&["--mode", mode]);
        let out = run(&mut s.command(&[]));
        assert_eq!(out.status.code(), Some(1), "{mode}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want) && err.contains(CLUSTER), "{mode}: {err}");
        assert!(!err.contains(SECRET));
    }
    let s = setup(&[]);
    let out = run(s.command(&[]).args(["--cluster-id", "c-missing"]));
    assert!(stderr(&out).contains("no such cluster"), "{}", stderr(&out));
}

#[test]
fn kubectl_uses_the_certificate() {
    let s = setup(&[]);
    let api = start_apiserver(&s.pki, &[]);
    for version in ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] {
        let interactive = if version.ends_with("/v1") { "\n      interactiveMode: Never" } else { "" };
        let config = s.dir.write(
            "kubeconfig",
            &format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: ack\n  cluster:\n    server: {}\n    certificate-authority: {}\nusers:\n- name: ack\n  user:\n    exec:\n      apiVersion: {version}\n      command: {}\n      args: [ack, get-credential, -c, {CLUSTER}, --credential-cache-dir, {}]\n      env:\n      - {{name: ALIBABA_CLOUD_ACCESS_KEY_ID, value: {KEY}}}\n      - {{name: ALIBABA_CLOUD_ACCESS_KEY_SECRET, value: {SECRET}}}\n      - {{name: ALIBABA_CLOUD_CS_ENDPOINT, value: \"{}\"}}{interactive}\ncontexts:\n- name: ack\n  context: {{cluster: ack, user: ack}}\ncurrent-context: ack\n",
                api.url("https"),
                s.pki.ca_cert.display(),
                kubecred_path().display(),
                s.cache_dir().display(),
                s.cs.url("http"),
            ),
        );
        let out = run(command_for(Path::new("/usr/bin/kubectl"), s.dir.path()).args([
            "--kubeconfig",
            config.to_str().unwrap(),
            "get",
            "--raw",
            "/api/v1/namespaces",
        ]));
        assert!(out.status.success(), "{version}: {}", stderr(&out));
        assert!(stdout(&out).contains("NamespaceList"));
    }
}

#[test]
fn get_kubeconfig_writes_exec_users_that_kubectl_runs() {
    let dir = TempDir::new("ack-kubeconfig");
    let pki = Pki::create(&dir.join("pki"));
    let api = start_apiserver(&pki, &[]);
    let cs = start_fake_cs(&pki, CLUSTER, &api.url("https"), &format!("{KEY}:{SECRET}"), &[]);
    let with_env = |mut cmd: Command| {
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
            .env("ALIBABA_CLOUD_CS_ENDPOINT", cs.url("http"));
        cmd
    };
    let output_file = dir.join("out/kubeconfig");
    let cache = dir.join("cache");
    let out = run(with_env(kubecred(dir.path()))
        .args(["ack", "get-kubeconfig", "-c", CLUSTER, "--region-id", "cn-beijing", "--expiration", "1h"])
        .arg("--credential-cache-dir")
        .arg(&cache)
        .arg("--output-file")
        .arg(&output_file));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_eq!(std::fs::metadata(&output_file).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&output_file).unwrap();
    assert!(!text.contains("client-key-data"), "no certificate is written: {text}");
    assert!(
        text.contains("- get-credential")
            && text.contains("- 1h0m0s")
            && text.contains("- cn-beijing")
            && text.contains("interactiveMode: Never"),
        "{text}"
    );

    let view = run(command_for(Path::new("/usr/bin/kubectl"), dir.path()).args([
        "config",
        "view",
        "--kubeconfig",
        output_file.to_str().unwrap(),
        "-o",
        "json",
    ]));
    assert!(view.status.success(), "{}", stderr(&view));
    let out = run(with_env(command_for(Path::new("/usr/bin/kubectl"), dir.path())).args([
        "--kubeconfig",
        output_file.to_str().unwrap(),
        "get",
        "--raw",
        "/api/v1/namespaces",
    ]));
    assert!(out.status.success(), "kubectl with the written kubeconfig: {}", stderr(&out));

    // Token mode prints to stdout.
    let out = run(with_env(kubecred(dir.path())).args(["ack", "get-kubeconfig", "-c", CLUSTER, "-m", "token"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("- get-token"));
    let bad = run(with_env(kubecred(dir.path())).args(["ack", "get-kubeconfig", "-c", CLUSTER, "-m", "magic"]));
    assert_eq!(bad.status.code(), Some(2));
}
