//! `kubecred doctor`: each chain explained source by source, the kubeconfig's
//! users, no network without --check, and never a secret.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

const ROLE: &str = "arn:aws:iam::123456789012:role/doctor";

fn doctor(home: &Path, args: &[&str]) -> std::process::Output {
    run(kubecred(home).arg("doctor").args(args))
}

fn ok(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    stdout(out)
}

/// The lines of section `title` (up to the next unindented line).
fn section<'a>(report: &'a str, title: &str) -> Vec<&'a str> {
    let mut lines = report.lines().skip_while(|l| !l.starts_with(title));
    let mut out: Vec<&str> = lines.next().into_iter().collect();
    out.extend(lines.take_while(|l| l.starts_with("  ")));
    out
}

#[test]
fn without_credentials_every_source_says_why_it_was_skipped() {
    let home = TempDir::new("doctor-empty");
    let report = ok(&doctor(home.path(), &["--region", "us-east-1"]));
    let aws = section(&report, "AWS chain (profile default, region us-east-1):");
    let names: Vec<&str> = aws[1..10].iter().map(|l| l.trim().split(": ").next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "environment variables",
            "assume-role profile",
            "web identity",
            "SSO",
            "credentials file",
            "credential_process",
            "config file",
            "container credentials",
            "instance metadata"
        ],
        "{report}"
    );
    assert!(aws[1..10].iter().all(|l| l.contains(": skipped (")), "{report}");
    assert!(aws[10].starts_with("  => no credentials: no AWS credentials found"), "{report}");
    let alibaba = section(&report, "Alibaba Cloud chain (region cn-hangzhou):");
    assert_eq!(alibaba.len(), 6, "{report}");
    assert!(alibaba[1].starts_with("  environment: skipped ("), "{report}");
    assert!(
        alibaba[4].starts_with("  ECS instance RAM role: skipped (ALIBABA_CLOUD_ECS_METADATA_DISABLED)"),
        "{report}"
    );
    assert!(report.contains("Kubernetes (no kubeconfig file found):"), "{report}");
}

/// `kubecred eks get-token --profile r` through the counting STS, so that the
/// role's credentials are in the cache.
fn assume_role_setup(home: &TempDir, sts: &Fake) -> Command {
    home.write("aws/config", &format!("[profile r]\nrole_arn = {ROLE}\nsource_profile = base\nregion = us-east-1\n"));
    home.write(
        "aws/credentials",
        "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = PLANTED-FILE-SECRET-KEY\n",
    );
    let mut cmd = kubecred(home.path());
    cmd.env("AWS_CONFIG_FILE", home.join("aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws/credentials"))
        .env("AWS_ENDPOINT_URL_STS", sts.url("http"));
    cmd
}

fn sts_calls(sts: &Fake) -> u32 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sts.port)).unwrap();
    stream.write_all(b"GET /count HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply.split("\r\n\r\n").nth(1).unwrap_or_default().trim().parse().unwrap()
}

#[test]
fn a_cached_role_is_used_offline_and_an_uncached_one_needs_check() {
    let home = TempDir::new("doctor-role");
    let sts = Fake::start("counting_sts.py", &[]);
    // Nothing cached yet: doctor says a call is needed, and makes none.
    let report = ok(&run(assume_role_setup(&home, &sts).args(["doctor", "--profile", "r"])));
    let aws = section(&report, "AWS chain (profile r, region us-east-1):");
    assert_eq!(aws[1], "  environment variables: skipped (--profile was given)", "{report}");
    assert!(aws[2].starts_with("  assume-role profile: applies, but needs a network call"), "{report}");
    assert!(aws[3..].iter().all(|l| l.ends_with(": not reached")), "{report}");
    assert_eq!(sts_calls(&sts), 0);
    // After get-token the role's credentials are cached; doctor uses them, still offline.
    ok(&run(assume_role_setup(&home, &sts).args(["eks", "get-token", "--cluster-name", "c", "--profile", "r"])));
    assert_eq!(sts_calls(&sts), 1);
    let report = ok(&run(assume_role_setup(&home, &sts).args(["doctor", "--profile", "r"])));
    let aws = section(&report, "AWS chain (profile r, region us-east-1):");
    assert!(
        aws[2].starts_with(&format!(
            "  assume-role profile: used: access key id ASIAFAKE00000001, from assume-role, role {ROLE}, expires "
        )),
        "{report}"
    );
    assert!(aws[2].ends_with(", from kubecred's cache (aws-sts)"), "{report}");
    assert_eq!(sts_calls(&sts), 1, "doctor made no call");
    // --check calls GetCallerIdentity with them.
    let report = ok(&run(assume_role_setup(&home, &sts).args(["doctor", "--profile", "r", "--check"])));
    assert!(
        report.contains(
            "  check: STS GetCallerIdentity: account 123456789012, arn arn:aws:sts::123456789012:assumed-role/doctor/checked\n"
        ),
        "{report}"
    );
    assert_eq!(sts_calls(&sts), 2);
}

#[test]
fn kubeconfig_users_are_described_and_checked() {
    let home = TempDir::new("doctor-kube");
    let pki = Pki::create(&home.join("pki"));
    let api = start_apiserver(&pki, &["--auth", "auth_static", "--option", "tokens=PLANTED-BEARER-TOKEN"]);
    let config = home.write(
        "kubeconfig",
        &format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\n    certificate-authority: pki/ca.crt\ncontexts:\n- name: main\n  context: {{cluster: fake, user: admin, namespace: team}}\ncurrent-context: main\nusers:\n- name: admin\n  user:\n    token: PLANTED-BEARER-TOKEN\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sh\n      args: [--password, PLANTED-ARG-SECRET]\n      env: [{{name: SECRET, value: PLANTED-ENV-SECRET}}]\n      interactiveMode: Never\n- name: gone\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: no-such-plugin-anywhere\n- name: cert\n  user:\n    client-certificate-data: UExBTlRFRC1DRVJU\n    client-key-data: UExBTlRFRC1LRVk=\n- name: basic\n  user:\n    username: u\n    password: PLANTED-PASSWORD\n",
            api.url("https")
        ),
    );
    let out = doctor(home.path(), &["--kubeconfig", config.to_str().unwrap()]);
    let report = ok(&out);
    let kube = section(&report, "Kubernetes (kubeconfig ");
    assert!(
        kube[1].starts_with(&format!(
            "  current context: main: cluster fake ({}), namespace team, user admin",
            api.url("https")
        )),
        "{report}"
    );
    assert_eq!(kube[2], "  user admin: token", "{report}");
    assert!(kube[3].starts_with("  user plugin: exec sh (found at /"), "{report}");
    assert!(kube[3].contains("apiVersion client.authentication.k8s.io/v1; interactiveMode Never"), "{report}");
    assert!(kube[4].contains("exec no-such-plugin-anywhere (NOT FOUND on PATH"), "{report}");
    assert_eq!(kube[5], "  user cert: certificate", "{report}");
    assert_eq!(kube[6], "  user basic: basic", "{report}");
    assert_eq!(kube.len(), 7, "no network line without --check: {report}");
    for secret in
        ["PLANTED-BEARER-TOKEN", "PLANTED-ARG-SECRET", "PLANTED-ENV-SECRET", "UExBTlRFRC1", "PLANTED-PASSWORD"]
    {
        assert!(!report.contains(secret) && !stderr(&out).contains(secret), "{secret}: {report}");
    }
    let out = doctor(home.path(), &["--kubeconfig", config.to_str().unwrap(), "--check"]);
    let report = ok(&out);
    assert!(report.contains("/version: HTTP 200, gitVersion "), "{report}");
    assert!(!report.contains("PLANTED-BEARER-TOKEN"), "{report}");
}

#[test]
fn no_secret_appears_at_any_log_level() {
    let home = TempDir::new("doctor-secrets");
    let sts = Fake::start("counting_sts.py", &[]);
    home.write("aws/config", "[default]\nregion = us-east-1\n");
    home.write(
        "aws/credentials",
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = PLANTED-FILE-SECRET-KEY\n",
    );
    home.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = LTAIplanted\naccess_key_secret = PLANTED-ALI-FILE-SECRET\n",
    );
    let planted = [
        "PLANTED-ENV-SECRET-KEY",
        "PLANTED-SESSION-TOKEN",
        "PLANTED-FILE-SECRET-KEY",
        "PLANTED-ALI-ENV-SECRET",
        "PLANTED-ALI-STS-TOKEN",
        "PLANTED-ALI-FILE-SECRET",
    ];
    for (with_env, flags) in [(true, vec!["--debug"]), (false, vec!["--debug", "--check"]), (true, vec!["--check"])] {
        let mut cmd = kubecred(home.path());
        cmd.arg("doctor")
            .args(&flags)
            .env("AWS_CONFIG_FILE", home.join("aws/config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws/credentials"))
            .env("AWS_ENDPOINT_URL_STS", sts.url("http"));
        if with_env {
            cmd.env("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE000000")
                .env("AWS_SECRET_ACCESS_KEY", "PLANTED-ENV-SECRET-KEY")
                .env("AWS_SESSION_TOKEN", "PLANTED-SESSION-TOKEN")
                .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "PLANTED-ALI-ENV-SECRET")
                .env("ALIBABA_CLOUD_SECURITY_TOKEN", "PLANTED-ALI-STS-TOKEN");
        }
        let out = run(&mut cmd);
        let report = ok(&out);
        let all = format!("{report}{}", stderr(&out));
        for secret in planted {
            assert!(!all.contains(secret), "{secret} with {flags:?}: {all}");
        }
        let expected = if with_env { "AKIAENVEXAMPLE000000" } else { "AKIAIOSFODNN7EXAMPLE" };
        assert!(report.contains(&format!("used: access key id {expected}, ")), "{report}");
    }
}

#[test]
fn errors_are_placed_where_they_happen() {
    let home = TempDir::new("doctor-errors");
    // A broken source fails in its place.
    let out = run(kubecred(home.path())
        .args(["doctor", "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "AKIAHALF000000000000"));
    let report = ok(&out);
    let aws = section(&report, "AWS chain");
    assert_eq!(
        aws[1], "  environment variables: failing: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
        "{report}"
    );
    assert_eq!(aws[2], "  assume-role profile: not reached", "{report}");
    // A profile that does not exist is the chain's error, not a source's.
    let report = ok(&doctor(home.path(), &["--profile", "ghost", "--region", "us-east-1"]));
    let aws = section(&report, "AWS chain");
    assert!(aws[1..10].iter().all(|l| l.ends_with(": not reached")), "{report}");
    assert!(aws[10].starts_with("  => failing before any source: profile ghost not found in "), "{report}");
    // ack-ram-tool's --credential-type imds: only the instance role is tried.
    let out = run(kubecred(home.path()).args(["doctor"]).env("ACK_RAM_TOOL_CREDENTIAL_TYPE", "imds"));
    let report = ok(&out);
    let alibaba = section(&report, "Alibaba Cloud chain");
    assert_eq!(alibaba[1], "  environment: skipped (credential type imds)", "{report}");
}

#[test]
fn check_asks_alibaba_cloud_sts_who_the_caller_is() {
    let home = TempDir::new("doctor-ali-check");
    let config = serde_json::json!({
        "keys": {"STS.doctor": {"secret": "PLANTED-ALI-SECRET", "token": "PLANTED-ALI-TOKEN"}},
        "log": home.join("sts.jsonl"),
    });
    let path = home.write("sts.json", &config.to_string());
    let sts = Fake::start("fake_alibaba_sts.py", &[path.to_str().unwrap()]);
    let check = |secret: &str| {
        run(kubecred(home.path())
            .args(["doctor", "--check"])
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.doctor")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
            .env("ALIBABA_CLOUD_SECURITY_TOKEN", "PLANTED-ALI-TOKEN")
            .env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url("http")))
    };
    let out = check("PLANTED-ALI-SECRET");
    let report = ok(&out);
    let alibaba = section(&report, "Alibaba Cloud chain");
    assert!(alibaba[1].starts_with("  environment: used: AccessKey id STS.doctor, from environment"), "{report}");
    assert_eq!(
        alibaba.last().unwrap(),
        &"  check: STS GetCallerIdentity: account 1234567890, arn acs:ram::1234567890:user/doctor",
        "{report}"
    );
    // A refused signature: STS echoes its string to sign (the token in it); doctor does not.
    let out = check("WRONG-SECRET");
    let report = ok(&out);
    let last = *section(&report, "Alibaba Cloud chain").last().unwrap();
    assert!(
        last.starts_with("  check: STS GetCallerIdentity failed: ") && last.contains("SignatureDoesNotMatch"),
        "{report}"
    );
    let all = format!("{report}{}", stderr(&out));
    for secret in ["PLANTED-ALI-SECRET", "PLANTED-ALI-TOKEN", "WRONG-SECRET"] {
        assert!(!all.contains(secret), "{secret}: {all}");
    }
}
