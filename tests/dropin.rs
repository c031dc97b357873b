//! kubecred under the names of the tools it replaces: links named `aws`,
//! `aws-iam-authenticator` and `ack-ram-tool` accept those grammars and print
//! what those tools print; checked against the real AWS CLI, and end to end with
//! a kubeconfig the real `aws eks update-kubeconfig` wrote.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A directory with links named like the old tools, pointing at kubecred.
fn links(dir: &TempDir) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in ["aws", "aws-iam-authenticator", "ack-ram-tool"] {
        std::os::unix::fs::symlink(kubecred_path(), bin.join(name)).unwrap();
    }
    bin
}

fn aws_cli() -> Option<PathBuf> {
    let out = Command::new("sh").args(["-c", "command -v aws"]).output().ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    path.is_file().then_some(path)
}

fn keyed(mut cmd: Command) -> Command {
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").env("AWS_SECRET_ACCESS_KEY", SECRET);
    cmd
}

/// The output with the two moment-dependent values (token, expiry) blanked.
fn masked(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut out = String::new();
            for field in line.split('\t') {
                if !out.is_empty() || line.starts_with('\t') {
                    out.push('\t');
                }
                if field.starts_with("k8s-aws-v1.") || (field.len() == 20 && field.ends_with('Z')) {
                    out.push('*');
                } else if let Some((key, _)) = field
                    .split_once("\": \"")
                    .filter(|(k, _)| k.ends_with("token") || k.ends_with("expirationTimestamp"))
                {
                    out.push_str(key);
                    out.push_str("\": *");
                } else {
                    out.push_str(field);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

#[test]
fn aws_link_prints_what_the_aws_cli_prints() {
    let Some(aws) = aws_cli() else {
        eprintln!("skipped: no aws CLI");
        return;
    };
    let dir = TempDir::new("dropin-aws");
    let bin = links(&dir);
    let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let lines: [(&[&str], Option<&str>); 4] = [
        (&["--region", "us-east-1", "eks", "get-token", "--cluster-name", "demo"], None),
        (&["eks", "--output", "text", "get-token", "--cluster-name", "demo", "--region", "us-east-1"], None),
        (
            &["eks", "get-token", "--cluster-name=demo", "--region=eu-west-1", "--output", "json", "--color", "off"],
            Some(v1),
        ),
        (&["--output", "text", "eks", "get-token", "--region", "ap-south-1", "--cluster-id", "abc-123"], Some(v1)),
    ];
    for (args, exec_info) in lines {
        let run_one = |program: &Path| {
            let mut cmd = keyed(command_for(program, dir.path()));
            cmd.args(args);
            if let Some(info) = exec_info {
                cmd.env("KUBERNETES_EXEC_INFO", info);
            }
            let out = run(&mut cmd);
            assert!(out.status.success(), "{} {args:?}: {}", program.display(), stderr(&out));
            stdout(&out)
        };
        let ours = run_one(&bin.join("aws"));
        let theirs = run_one(&aws);
        assert_eq!(masked(&ours), masked(&theirs), "{args:?}");
    }
}

#[test]
fn aws_link_refuses_other_commands_in_one_line() {
    let dir = TempDir::new("dropin-aws-other");
    let bin = links(&dir);
    for args in [
        &["s3", "ls"][..],
        &["eks", "list-clusters"],
        &[],
        &["eks", "get-token", "--cluster-name", "x", "--query", "status"],
    ] {
        let out = run(keyed(command_for(&bin.join("aws"), dir.path())).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
    let out = run(keyed(command_for(&bin.join("aws"), dir.path())).args(["s3", "ls"]));
    assert!(
        stderr(&out).contains("kubecred implements only `aws eks get-token` and `aws eks update-kubeconfig`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn aws_iam_authenticator_link_prints_compact_json_or_the_token() {
    let dir = TempDir::new("dropin-authn");
    let bin = links(&dir);
    let out = run(keyed(command_for(&bin.join("aws-iam-authenticator"), dir.path()))
        .env("KUBECRED_TEST_NOW", "2026-11-24T13:34:04Z")
        .args(["token", "-i", "demo"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // The shape its Go code prints (pkg/token FormatJSON: json.Marshal, then Println).
    let expected_start = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2026-11-24T13:48:04Z","token":"k8s-aws-v1."#;
    assert!(text.starts_with(expected_start), "{text}");
    assert!(text.ends_with("\"}}\n"));
    let token_only = run(keyed(command_for(&bin.join("aws-iam-authenticator"), dir.path())).args([
        "token",
        "--cluster-id=demo",
        "--region",
        "eu-west-1",
        "--token-only",
        "--cache",
    ]));
    let token = stdout(&token_only);
    assert!(token.starts_with("k8s-aws-v1.") && token.ends_with('\n') && token.lines().count() == 1, "{token}");
    for args in [&["token"][..], &["verify", "-i", "x"], &["token", "-i", "x", "--forward-session-name", "-s", "n"]] {
        let out = run(keyed(command_for(&bin.join("aws-iam-authenticator"), dir.path())).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn ack_ram_tool_link_takes_its_global_flags_anywhere() {
    let dir = TempDir::new("dropin-ack");
    let bin = links(&dir);
    let keyed_ack = |program: &Path| {
        let mut cmd = command_for(program, dir.path());
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
            .env("KUBECRED_TEST_NOW", "1795000000");
        cmd
    };
    let native = run(keyed_ack(&kubecred_path()).args(["ack", "get-token", "-c", "c1"]));
    assert!(native.status.success(), "{}", stderr(&native));
    for args in [
        &["credential-plugin", "get-token", "--cluster-id", "c1"][..],
        &["--region-id", "cn-beijing", "credential-plugin", "-y", "get-token", "-c", "c1", "--log-level", "error"],
        &["credential-plugin", "--api-version", "v1beta1", "get-token", "--cluster-id=c1"],
    ] {
        let out = run(keyed_ack(&bin.join("ack-ram-tool")).args(args));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&native), "{args:?}");
    }
    let out = run(keyed_ack(&bin.join("ack-ram-tool")).args(["rrsa", "enable", "-c", "c1"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("credential-plugin"), "{}", stderr(&out));
    // The same grammar without a link.
    let out =
        run(keyed_ack(&kubecred_path()).args(["compat", "ack-ram-tool", "credential-plugin", "get-token", "-c", "c1"]));
    assert_eq!(stdout(&out), stdout(&native));
}

#[test]
fn a_kubeconfig_written_by_the_real_aws_cli_works_with_kubecred_as_aws() {
    let Some(aws) = aws_cli() else {
        eprintln!("skipped: no aws CLI");
        return;
    };
    let dir = TempDir::new("dropin-e2e");
    let bin = links(&dir);
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
    let kubeconfig = written_by_the_aws_cli(&aws, &dir, &eks, &[]);
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(text.contains("command: aws"), "{text}");
    let out = run(&mut kubectl_get_namespaces(&bin, &dir, &kubeconfig));
    assert!(out.status.success(), "kubectl: {}", stderr(&out));
    assert!(stdout(&out).contains("NamespaceList"));
}

/// `aws eks update-kubeconfig --name demo --region us-west-2 EXTRA...` by the
/// real AWS CLI against `eks`, into DIR/kubeconfig.
fn written_by_the_aws_cli(aws: &Path, dir: &TempDir, eks: &Fake, extra: &[&str]) -> PathBuf {
    let kubeconfig = dir.join("kubeconfig");
    let written = run(keyed(command_for(aws, dir.path()))
        .args([
            "eks",
            "update-kubeconfig",
            "--name",
            "demo",
            "--region",
            "us-west-2",
            "--endpoint-url",
            &eks.url("http"),
        ])
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .args(extra));
    assert!(written.status.success(), "aws update-kubeconfig: {}", stderr(&written));
    kubeconfig
}

/// Real kubectl, with the links in `bin` first on PATH.
fn kubectl_get_namespaces(bin: &Path, dir: &TempDir, kubeconfig: &Path) -> Command {
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut cmd = keyed(command_for(Path::new("/usr/bin/kubectl"), dir.path()));
    cmd.env("PATH", path).arg("--kubeconfig").arg(kubeconfig).args(["get", "--raw", "/api/v1/namespaces"]);
    cmd
}

/// The AWS CLI writes `--role R` (argparse's abbreviation of `--role-arn`) into
/// the exec args; kubecred as `aws` reads it, assumes R and signs with R's keys,
/// the only ones the cluster knows here.
#[test]
fn a_role_arn_kubeconfig_written_by_the_real_aws_cli_works_with_kubecred_as_aws() {
    let Some(aws) = aws_cli() else {
        eprintln!("skipped: no aws CLI");
        return;
    };
    let role = "arn:aws:iam::123456789012:role/eks-admin";
    // fake_aws.py --deterministic derives the keys AssumeRole hands out from the request.
    let digest = sha1_smol::Sha1::from(format!("ASIASTS|AssumeRole|{role}|AKIDEXAMPLE|EKSGetTokenAuth|None"))
        .digest()
        .to_string();
    let role_key = format!("ASIASTS{}", digest[..12].to_ascii_uppercase());
    let dir = TempDir::new("dropin-e2e-role");
    let bin = links(&dir);
    let pki = Pki::create(&dir.join("pki"));
    let secrets = format!("eks_secrets={role_key}:s{digest}");
    let api = start_apiserver(&pki, &["--auth", "auth_eks", "--option", "eks_cluster=demo", "--option", &secrets]);
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "demo", "--endpoint", &api.url("https"), "--ca", pki.ca_cert.to_str().unwrap()],
    );
    let sts = Fake::start("fake_aws.py", &["--deterministic", "--key", &format!("AKIDEXAMPLE={SECRET}")]);
    let kubeconfig = written_by_the_aws_cli(&aws, &dir, &eks, &["--role-arn", role]);
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(text.contains("- --role\n") && text.contains(role), "{text}");
    let out = run(kubectl_get_namespaces(&bin, &dir, &kubeconfig).env("AWS_ENDPOINT_URL_STS", sts.url("http")));
    assert!(out.status.success(), "kubectl: {}", stderr(&out));
    assert!(stdout(&out).contains("NamespaceList"));
}

#[test]
fn aws_link_update_kubeconfig_writes_a_kubecred_user() {
    let dir = TempDir::new("dropin-update");
    let bin = links(&dir);
    let pki = Pki::create(&dir.join("pki"));
    let eks = Fake::start(
        "fake_eks.py",
        &["--name", "demo", "--endpoint", "https://127.0.0.1:6443", "--ca", pki.ca_cert.to_str().unwrap()],
    );
    let config = dir.join("config");
    let out = run(keyed(command_for(&bin.join("aws"), dir.path()))
        .args([
            "--region",
            "us-west-2",
            "eks",
            "update-kubeconfig",
            "--name",
            "demo",
            "--endpoint-url",
            &eks.url("http"),
            "--kubeconfig",
        ])
        .arg(&config));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("- get-token") && text.contains("- us-west-2"), "{text}");
}
