//! Every command at its most verbose level, with recognisable secrets planted in
//! every credential source, on success and error paths: no secret reaches stderr,
//! and stdout carries nothing but the credential.

mod common;

use common::*;
use std::process::{Command, Output};

const AWS_SECRET: &str = "PLANTED-aws-secret-7f3a";
const AWS_SESSION: &str = "PLANTED-aws-session-9b1c";
const WEB_TOKEN: &str = "PLANTED-web-identity-2d4e";
const CONTAINER_TOKEN: &str = "PLANTED-container-token-5a6b";
const SSO_TOKEN: &str = "PLANTED-sso-token-8c9d";
const ALI_SECRET: &str = "PLANTED-ali-secret-1e2f";
const ALI_TOKEN: &str = "PLANTED-ali-sts-token-3g4h";

const ALL: &[&str] = &[AWS_SECRET, AWS_SESSION, WEB_TOKEN, CONTAINER_TOKEN, SSO_TOKEN, ALI_SECRET, ALI_TOKEN];

fn check(label: &str, out: &Output) {
    let err = stderr(out);
    let stdout = stdout(out);
    for secret in ALL {
        assert!(!err.contains(secret), "{label}: stderr leaks {secret}:\n{err}");
        assert!(!stdout.contains(secret), "{label}: stdout carries {secret} in plain text");
    }
    assert!(!err.contains("panicked"), "{label}: {err}");
}

fn aws_env(cmd: &mut Command) -> &mut Command {
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDPLANTED")
        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
        .env("AWS_SESSION_TOKEN", AWS_SESSION)
        .args(["eks", "get-token", "--cluster-name", "demo", "--region", "us-east-1", "--debug"])
}

#[test]
fn aws_paths_at_debug_level() {
    let fake = Fake::start(
        "fake_aws.py",
        &[
            "--key",
            &format!("AKIDPLANTED={AWS_SECRET}"),
            "--web-token",
            "PLANTED",
            "--sso-token",
            SSO_TOKEN,
            "--container-token",
            CONTAINER_TOKEN,
        ],
    );
    let home = TempDir::new("secrets-aws");
    let sts = fake.url("http");
    check("env", &run(aws_env(&mut kubecred(home.path()))));
    for role in ["ok", "deny", "html"] {
        let out = run(aws_env(&mut kubecred(home.path()))
            .env("AWS_ENDPOINT_URL_STS", &sts)
            .args(["--role-arn", &format!("arn:aws:iam::123456789012:role/{role}")]));
        check(&format!("role {role}"), &out);
    }
    let token = home.write("web-token", WEB_TOKEN);
    let out = run(kubecred(home.path())
        .env("AWS_ENDPOINT_URL_STS", &sts)
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
        .args(["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1", "--debug"]));
    assert!(out.status.success(), "{}", stderr(&out));
    check("web identity", &out);
    for (label, value) in
        [("container ok", CONTAINER_TOKEN), ("container refused", "wrong-PLANTED-container-token-5a6b")]
    {
        let out = run(kubecred(home.path())
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{sts}/container/creds"))
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", value)
            .args(["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1", "--debug"]));
        check(label, &out);
    }
    let home2 = TempDir::new("secrets-sso");
    home2.write(".aws/config", "[profile s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n");
    let name = sha1_smol::Sha1::from("https://x.awsapps.com/start").digest().to_string();
    home2.write(&format!(".aws/sso/cache/{name}.json"), &format!(r#"{{"accessToken":"{SSO_TOKEN}","expiresAt":"2099-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://x.awsapps.com/start"}}"#));
    let out = run(kubecred(home2.path())
        .env("AWS_CONFIG_FILE", home2.join(".aws/config"))
        .env("AWS_ENDPOINT_URL_SSO", &sts)
        .args(["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1", "--profile", "s", "--debug"]));
    check("sso", &out);
    let process = home.write("creds.sh", &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{AWS_SECRET}\"}}'\necho 'oops {AWS_SECRET}' >&2\nexit 3\n"));
    std::fs::set_permissions(&process, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    home.write("config", &format!("[default]\ncredential_process = {}\n", process.display()));
    let out = run(kubecred(home.path()).env("AWS_CONFIG_FILE", home.join("config")).args([
        "eks",
        "get-token",
        "--cluster-name",
        "c",
        "--region",
        "us-east-1",
        "--debug",
    ]));
    assert!(!out.status.success());
    check("credential_process failing", &out);
}

#[test]
fn alibaba_paths_at_debug_level() {
    let home = TempDir::new("secrets-ali");
    let ali = |cmd: &mut Command| -> Output {
        run(cmd
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIPLANTED")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ALI_SECRET)
            .env("ALIBABA_CLOUD_SECURITY_TOKEN", ALI_TOKEN))
    };
    check("ack get-token", &ali(kubecred(home.path()).args(["ack", "get-token", "-c", "c1", "--log-level", "debug"])));
    let closed = closed_port_url();
    check(
        "ack get-credential unreachable",
        &ali(kubecred(home.path()).env("ALIBABA_CLOUD_CS_ENDPOINT", &closed).args([
            "ack",
            "get-credential",
            "-c",
            "c1",
            "--log-level",
            "debug",
        ])),
    );
    check(
        "ack role unreachable",
        &ali(kubecred(home.path()).env("ALIBABA_CLOUD_STS_ENDPOINT", &closed).args([
            "ack",
            "get-token",
            "-c",
            "c1",
            "--role-arn",
            "acs:ram::1:role/r",
            "--log-level",
            "debug",
        ])),
    );
    let links = home.join("bin");
    std::fs::create_dir_all(&links).unwrap();
    std::os::unix::fs::symlink(kubecred_path(), links.join("ack-ram-tool")).unwrap();
    check(
        "ack-ram-tool link",
        &ali(command_for(&links.join("ack-ram-tool"), home.path()).args([
            "credential-plugin",
            "get-token",
            "-c",
            "c1",
            "--log-level",
            "debug",
        ])),
    );
}
