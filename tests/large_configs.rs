//! Configuration files as organisations generate them (issue 16): tens of
//! thousands of AWS profiles, kubeconfigs with thousands of contexts, aliyun
//! configs with thousands of profiles are read (up to 64 MiB each); a file over
//! that bound is refused with one line that names it and the bound.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const LIMIT: &str = "67108864 bytes (64 MiB)";

/// A file of 64 MiB and one byte that costs no disk (sparse).
fn over_the_limit(dir: &TempDir, name: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::File::create(&path).unwrap().set_len((64 << 20) + 1).unwrap();
    path
}

fn refused(label: &str, out: &std::process::Output, file: &Path) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{label}: {err}");
    assert_eq!(err.lines().count(), 1, "{label}: {err}");
    assert!(err.contains(&file.display().to_string()), "{label}: the file is not named: {err}");
    assert!(err.contains(LIMIT), "{label}: the limit is not named: {err}");
    assert!(stdout(out).is_empty(), "{label}");
}

/// 40 000 profiles (about 4 MB), the one used last, with static keys.
fn aws_config(profiles: usize) -> String {
    let mut text = String::with_capacity(profiles * 100);
    for i in 0..profiles - 1 {
        text.push_str(&format!(
            "[profile acct-{i:06}-admin]\nsso_session = corp\nsso_account_id = {}\nregion = eu-west-1\n\n",
            100_000_000_000u64 + i as u64
        ));
    }
    text.push_str(
        "[profile last]\naws_access_key_id = AKIAEXAMPLELAST00001\naws_secret_access_key = notARealSecretKeyLast\n",
    );
    text.push_str("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n");
    text
}

#[test]
fn forty_thousand_aws_profiles_are_read() {
    let home = TempDir::new("large-aws");
    let config = home.write("config", &aws_config(40_000));
    assert!(std::fs::metadata(&config).unwrap().len() > 3_800_000);
    let out = run(eks_get_token(home.path()).env("AWS_CONFIG_FILE", &config).args(["--profile", "last"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("k8s-aws-v1."), "{}", stdout(&out));

    // The same profiles in the credentials file, the keys in its last section.
    let mut credentials = String::new();
    for i in 0..40_000 {
        credentials
            .push_str(&format!("[acct-{i:06}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = s{i}\n\n"));
    }
    let credentials = home.write("credentials", &credentials);
    let out = run(eks_get_token(home.path())
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .args(["--profile", "acct-039999"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("k8s-aws-v1."));
}

#[test]
fn aws_files_over_64_mib_are_refused_by_name() {
    let home = TempDir::new("large-aws-over");
    let big = over_the_limit(&home, "config");
    refused("AWS config", &run(eks_get_token(home.path()).env("AWS_CONFIG_FILE", &big)), &big);
    let big = over_the_limit(&home, "credentials");
    refused("AWS credentials", &run(eks_get_token(home.path()).env("AWS_SHARED_CREDENTIALS_FILE", &big)), &big);
}

/// A kubeconfig with `n` clusters, users and contexts, the current one last,
/// whose cluster's server is `server` (the others port 1 of loopback).
fn kubeconfig(n: usize, server: &str) -> String {
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for i in 0..n {
        let server = if i == n - 1 { server } else { "http://127.0.0.1:1" };
        text.push_str(&format!("- name: cluster-{i:05}\n  cluster:\n    server: {server}\n"));
    }
    text.push_str("users:\n");
    for i in 0..n {
        text.push_str(&format!("- name: user-{i:05}\n  user:\n    token: token-{i:05}\n"));
    }
    text.push_str("contexts:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- name: ctx-{i:05}\n  context:\n    cluster: cluster-{i:05}\n    user: user-{i:05}\n    namespace: ns-{i}\n"
        ));
    }
    text.push_str(&format!("current-context: ctx-{:05}\n", n - 1));
    text
}

#[test]
fn a_kubeconfig_with_thousands_of_contexts_is_read() {
    let home = TempDir::new("large-kube");
    // Over the 4 MiB kubecred used to read.
    let server = closed_port_url();
    let file = home.write("config", &kubeconfig(25_000, &server));
    assert!(std::fs::metadata(&file).unwrap().len() > 4 << 20);
    let out = run(kubecred(home.path()).args(["create", "token", "builder"]).env("KUBECONFIG", &file));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Loaded and resolved (the last context's cluster): it failed only at its closed port.
    assert!(err.contains(server.trim_start_matches("http://")) && err.contains("Connection refused"), "{err}");
}

#[test]
fn deeply_nested_kubeconfigs_are_read_and_freed_on_a_small_stack() {
    use std::os::unix::process::CommandExt;
    // kubectl reads nesting up to 10 000 levels. kubecred reads, types and
    // frees such a tree without recursing, so 256 KiB of stack is plenty.
    let home = TempDir::new("deep-kube");
    let server = closed_port_url();
    let mut text = kubeconfig(2, &server);
    text.push_str(&format!("unknown-field:\n{}leaf\n", "- ".repeat(9_000)));
    let file = home.write("config", &text);
    let mut cmd = kubecred(home.path());
    cmd.args(["create", "token", "builder"]).env("KUBECONFIG", &file);
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            libc::getrlimit(libc::RLIMIT_STACK, &mut limit);
            limit.rlim_cur = limit.rlim_max.min(256 * 1024);
            if libc::setrlimit(libc::RLIMIT_STACK, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = run(&mut cmd);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Connection refused"), "read to the end and failed only at the closed port: {err}");
}

#[test]
fn kubeconfigs_over_64_mib_are_refused_by_name() {
    let home = TempDir::new("large-kube-over");
    let big = over_the_limit(&home, "kubeconfig");
    let out = run(kubecred(home.path()).args(["create", "token", "builder"]).env("KUBECONFIG", &big));
    refused("kubeconfig", &out, &big);
}

#[test]
fn aliyun_files_past_the_old_bounds_are_read_and_over_64_mib_refused() {
    use kubecred::alibaba::{cli_config, credentials_file};
    let home = TempDir::new("large-aliyun");
    let profiles: Vec<serde_json::Value> = (0..30_000)
        .map(|i| {
            serde_json::json!({"name": format!("p{i}"), "mode": "AK", "access_key_id": format!("LTAI{i:012}"),
                "access_key_secret": "EXAMPLEsecretEXAMPLEsecret12", "region_id": "cn-beijing"})
        })
        .collect();
    let json = serde_json::json!({"current": "p29999", "profiles": profiles}).to_string();
    assert!(json.len() > 4 << 20);
    let config = cli_config::Config::load(&home.write("config.json", &json)).unwrap();
    assert_eq!(config.profile("p29999").unwrap().access_key_id, "LTAI000000029999");

    let mut ini = String::new();
    for i in 0..30_000 {
        ini.push_str(&format!(
            "[p{i}]\ntype = access_key\naccess_key_id = LTAI{i:012}\naccess_key_secret = EXAMPLEsecret\n\n"
        ));
    }
    assert!(ini.len() > 1 << 20);
    let loaded = credentials_file::load(&home.write("credentials", &ini), "p29999").unwrap();
    assert_eq!(loaded.profiles[0].access_key_id, "LTAI000000029999");

    for name in ["over/config.json", "over/credentials"] {
        let big = over_the_limit(&home, name);
        let message = match name {
            "over/config.json" => cli_config::Config::load(&big).unwrap_err().to_string(),
            _ => credentials_file::load(&big, "default").unwrap_err().to_string(),
        };
        assert!(message.contains(&big.display().to_string()) && message.contains(LIMIT), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    }
    // Through the command line too.
    let big = home.join("over/config.json");
    let out = run(kubecred(home.path()).args(["ack", "get-token", "-c", "c1", "--profile-file"]).arg(&big));
    refused("aliyun CLI config", &out, &big);
}
