//! Hostile input at the command line: huge, truncated, junk and wrongly typed
//! files and variables. Each ends with exit status 1 or 2 and one line on stderr
//! that names the file or variable, and never a panic.

mod common;

use common::*;
use std::process::Command;

fn one_clear_line(label: &str, out: &std::process::Output, needle: &str) {
    let err = stderr(out);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{label}: status {:?}: {err}", out.status);
    assert_eq!(err.lines().count(), 1, "{label}: {err}");
    assert!(err.contains(needle), "{label}: wanted {needle:?} in {err}");
    assert!(!err.contains("panicked") && stdout(out).is_empty(), "{label}");
}

/// A 100 MB file that costs no disk (sparse).
fn huge(dir: &TempDir, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().set_len(100 << 20).unwrap();
    path
}

fn aws(home: &TempDir) -> Command {
    eks_get_token(home.path())
}

fn ack(home: &TempDir) -> Command {
    let mut cmd = kubecred(home.path());
    cmd.args(["ack", "get-token", "-c", "c1"]);
    cmd
}

#[test]
fn huge_files_are_refused_without_reading_them() {
    let home = TempDir::new("hostile-huge");
    let big = huge(&home, "big");
    one_clear_line("AWS config", &run(aws(&home).env("AWS_CONFIG_FILE", &big)), "larger than");
    one_clear_line("AWS credentials", &run(aws(&home).env("AWS_SHARED_CREDENTIALS_FILE", &big)), "big");
    one_clear_line(
        "web identity token",
        &run(aws(&home)
            .env("AWS_WEB_IDENTITY_TOKEN_FILE", &big)
            .env("AWS_ROLE_ARN", "arn:aws:iam::1:role/r")
            .env("AWS_ENDPOINT_URL_STS", closed_port_url())),
        "larger than",
    );
    one_clear_line(
        "CA bundle",
        &run(aws(&home)
            .env("AWS_ACCESS_KEY_ID", "A")
            .env("AWS_SECRET_ACCESS_KEY", "s")
            .env("AWS_ENDPOINT_URL_STS", "https://127.0.0.1:9")
            .args(["--role-arn", "arn:aws:iam::1:role/r", "--ca-bundle"])
            .arg(&big)),
        "CA bundle",
    );
    one_clear_line("Alibaba credentials file", &run(ack(&home).arg("--profile-file").arg(&big)), "larger than");
    let big_json = huge(&home, "config.json");
    one_clear_line("aliyun CLI config", &run(ack(&home).arg("--profile-file").arg(&big_json)), "larger than");
}

#[test]
fn junk_and_truncated_files_name_the_file() {
    let home = TempDir::new("hostile-junk");
    let junk = home.dir_file("junk", &[0xff, 0xfe, 0x00, 0x41, 0x0a]);
    one_clear_line("AWS config, invalid UTF-8", &run(aws(&home).env("AWS_CONFIG_FILE", &junk)), "junk");
    let truncated = home.write("truncated", "[profile x\nregion = us-east-1\n");
    one_clear_line(
        "AWS config, truncated section",
        &run(aws(&home).env("AWS_CONFIG_FILE", &truncated).env("AWS_PROFILE", "x")),
        "truncated",
    );
    let json = home.write("cli.json", "{\"current\": \"a\", \"profiles\": [");
    one_clear_line("aliyun CLI config, truncated", &run(ack(&home).arg("--profile-file").arg(&json)), "cli.json");
    let wrong = home.write("wrong.json", "{\"current\": 5, \"profiles\": {\"a\": 1}}");
    one_clear_line("aliyun CLI config, wrong types", &run(ack(&home).arg("--profile-file").arg(&wrong)), "wrong.json");
}

#[test]
fn hostile_environment_values() {
    let home = TempDir::new("hostile-env");
    // As the AWS CLI: an odd KUBERNETES_EXEC_INFO costs a one-line warning and a v1beta1 answer.
    for (label, value) in [
        ("junk", "{not json"),
        ("array", "[1, 2]"),
        ("wrong type", r#"{"apiVersion": 7}"#),
        ("unknown version", r#"{"apiVersion": "client.authentication.k8s.io/v2"}"#),
        ("deep nesting", &("[".repeat(10_000) + &"]".repeat(10_000))),
    ] {
        let out = run(aws(&home)
            .env("AWS_ACCESS_KEY_ID", "A")
            .env("AWS_SECRET_ACCESS_KEY", "s")
            .env("KUBERNETES_EXEC_INFO", value));
        let err = stderr(&out);
        assert!(out.status.success(), "{label}: {err}");
        assert_eq!(err.lines().count(), 1, "{label}: {err}");
        assert!(
            err.contains("KUBERNETES_EXEC_INFO, defaulting to client.authentication.k8s.io/v1beta1"),
            "{label}: {err}"
        );
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(doc["apiVersion"], "client.authentication.k8s.io/v1beta1", "{label}");
    }
    let out = run(aws(&home)
        .env("AWS_ACCESS_KEY_ID", "A")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWS_REGION", "us-east-1\nHost: evil")
        .args(["--region", ""]));
    one_clear_line("region with a newline", &out, "AWS_REGION");
}

#[test]
fn deeply_nested_process_output() {
    let home = TempDir::new("hostile-process");
    let script = home.write_script("p.sh", &format!("#!/bin/sh\nprintf '{}'\n", "[".repeat(100_000)));
    let config = home.write("config", &format!("[default]\ncredential_process = {}\n", script.display()));
    one_clear_line("credential_process", &run(aws(&home).env("AWS_CONFIG_FILE", &config)), "credential_process");
}

/// A kubeconfig (`home`/kubeconfig) whose current user runs `command` as an
/// exec plugin of `api_version`, for a server nothing listens on.
fn exec_user_kubeconfig(home: &TempDir, api_version: &str, command: &std::path::Path) -> std::path::PathBuf {
    home.write(
        "kubeconfig",
        &format!(
            "clusters:\n- name: c\n  cluster: {{server: \"https://127.0.0.1:9\"}}\nusers:\n- name: u\n  user:\n    \
             exec: {{apiVersion: \"{api_version}\", interactiveMode: Never, command: {}}}\ncontexts:\n- name: x\n  \
             context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            command.display()
        ),
    )
}

trait WriteBytes {
    fn dir_file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf;
}

impl WriteBytes for TempDir {
    fn dir_file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = self.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

#[test]
fn hostile_kubeconfigs_name_the_file() {
    let home = TempDir::new("hostile-kubeconfig");
    // Ten levels of nine aliases each: a billion nodes if expanded.
    let mut bomb = String::from("apiVersion: v1\nkind: Config\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("alias bomb", bomb.into_bytes(), "aliases expand to more than"),
        ("deep nesting", format!("clusters: {}\n", "[".repeat(100_000)).into_bytes(), "recursion limit"),
        // 60 KB of block sequences: once a stack overflow (exit 134); kubectl stops at 10000 levels too.
        ("deep block nesting", format!("{}x", "- ".repeat(30_000)).into_bytes(), "nested deeper than 10000"),
        ("invalid UTF-8", b"apiVersion: v1\nclusters: [\xff\xfe]\n".to_vec(), "not UTF-8"),
        ("junk", (0..=255u8).cycle().take(4096).collect(), "not UTF-8"),
        ("truncated", b"clusters:\n- name: c\n  cluster: {server: \"https://10.0.0.1".to_vec(), "not valid YAML"),
        (
            "wrong types",
            b"apiVersion: v1\nclusters: 5\nusers: {a: b}\n".to_vec(),
            "clusters: a number where a list is expected",
        ),
        ("tab indentation", b"apiVersion: v1\n\tkind: Config\n".to_vec(), "tab"),
    ];
    for (label, bytes, problem) in cases {
        let file = home.dir_file(label, &bytes);
        let out = run(kubecred(home.path()).args(["create", "token", "builder"]).env("KUBECONFIG", &file));
        one_clear_line(label, &out, problem);
        one_clear_line(label, &out, &file.display().to_string());
    }
    let big = huge(&home, "big-kubeconfig");
    let out = run(kubecred(home.path()).args(["create", "token", "builder"]).env("KUBECONFIG", &big));
    one_clear_line("huge kubeconfig", &out, "larger than");
    // update-kubeconfig reads the file it merges into; a broken one is named, not overwritten.
    let broken = home.write("merge-into", "clusters: [\n");
    let ca = home.write("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "prod", "--endpoint", "https://127.0.0.1:6443", "--ca", ca.to_str().unwrap()],
    );
    let out = run(kubecred(home.path())
        .args(["eks", "update-kubeconfig", "--name", "prod", "--region", "us-east-1", "--kubeconfig"])
        .arg(&broken)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_ENDPOINT_URL_EKS", eks.url("http")));
    one_clear_line("update-kubeconfig into a broken file", &out, "merge-into");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "clusters: [\n");
}

/// A credential program that prints without end is stopped once it has printed
/// more than kubecred reads, with one line naming it; so is one that fills stderr.
#[test]
fn endless_credential_programs_are_stopped() {
    let home = TempDir::new("hostile-endless");
    let endless = home.write_script("endless.sh", "#!/bin/sh\nexec yes '{\"Version\": 1}'\n");
    let noisy = home.write_script("noisy.sh", "#!/bin/sh\nhead -c 50000000 /dev/zero | tr '\\0' x >&2; exit 1\n");

    for (program, problem) in [(&endless, "printed more than"), (&noisy, "exited with status 1")] {
        let config = home.write("config", &format!("[default]\ncredential_process = {}\n", program.display()));
        let out = run(aws(&home).env("AWS_CONFIG_FILE", &config));
        one_clear_line("credential_process", &out, "credential_process");
        one_clear_line("credential_process", &out, problem);

        let kubeconfig = exec_user_kubeconfig(&home, "client.authentication.k8s.io/v1", program);
        let out = run(kubecred(home.path()).args(["create", "token", "builder"]).env("KUBECONFIG", &kubeconfig));
        one_clear_line("exec plugin", &out, "exec plugin");
        one_clear_line("exec plugin", &out, problem);
    }
    let aliyun = home.write(
        "aliyun.json",
        &format!(
            "{{\"current\": \"ext\", \"profiles\": [{{\"name\": \"ext\", \"mode\": \"External\", \"process_command\": \"{}\"}}]}}",
            endless.display()
        ),
    );
    one_clear_line("aliyun External command", &run(ack(&home).arg("--profile-file").arg(&aliyun)), "printed more than");
}

#[test]
fn exec_users_with_unknown_api_versions_are_refused_before_running() {
    let home = TempDir::new("hostile-exec-version");
    let marker = home.join("ran");
    let plugin = home.write_script("p.sh", &format!("#!/bin/sh\ntouch {}\n", marker.display()));
    for (version, problem) in [
        ("client.authentication.k8s.io/v1alpha1", "invalid apiVersion"),
        ("client.authentication.k8s.io/v2", "invalid apiVersion"),
        ("", "apiVersion must be specified"),
    ] {
        let kubeconfig = exec_user_kubeconfig(&home, version, &plugin);
        let out = run(kubecred(home.path()).args(["create", "token", "builder"]).env("KUBECONFIG", &kubeconfig));
        one_clear_line(version, &out, problem);
        assert!(!marker.exists(), "{version}: the plugin ran");
    }
}
