//! Compares `kubecred eks get-token` with the real AWS CLI on this machine for
//! the same credentials: same document, same URL parameters, apart from the
//! signing time and the signature.

mod common;

use base64::Engine;
use common::*;
use kubecred::encoding::parse_query;
use kubecred::time::Timestamp;

/// Extra environment and arguments of one comparison.
type EnvPairs = &'static [(&'static str, &'static str)];
type Args = &'static [&'static str];

fn aws_available() -> bool {
    std::process::Command::new("aws").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn decoded_url(token: &str) -> String {
    let b64 = token.strip_prefix("k8s-aws-v1.").expect("prefix");
    String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64).unwrap()).unwrap()
}

/// Query parameters without the two that depend on the moment of signing.
fn stable_params(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').unwrap();
    let mut params = parse_query(query);
    params.retain(|(n, _)| n != "X-Amz-Date" && n != "X-Amz-Signature");
    (base.to_string(), params)
}

fn get_token(program: &str, home: &std::path::Path, extra_env: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = if program == "aws" { command_for(std::path::Path::new("aws"), home) } else { kubecred(home) };
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .env("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLE+/=")
        .args(["eks", "get-token"])
        .args(args);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    assert!(out.status.success(), "{program}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn json_output_matches_the_aws_cli() {
    if !aws_available() {
        eprintln!("skipped: the aws CLI is not installed");
        return;
    }
    let home = TempDir::new("awscli");
    let cases: [(EnvPairs, Args); 4] = [
        (&[], &["--cluster-name", "demo", "--region", "us-east-1"]),
        (&[], &["--cluster-name", "demo", "--region", "cn-northwest-1"]),
        (&[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")], &["--cluster-name", "demo", "--region", "eu-west-1"]),
        (
            &[(
                "KUBERNETES_EXEC_INFO",
                r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#,
            )],
            &["--cluster-id", "1234-abcd", "--region", "us-west-2"],
        ),
    ];
    for (env, args) in cases {
        let ours_text = get_token("kubecred", home.path(), env, args);
        let theirs_text = get_token("aws", home.path(), env, args);
        assert!(ours_text.ends_with("}\n\n") && theirs_text.ends_with("}\n\n"));
        let ours: serde_json::Value = serde_json::from_str(&ours_text).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(&theirs_text).unwrap();
        let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&ours), keys(&theirs), "{args:?}");
        assert_eq!(keys(&ours["status"]), keys(&theirs["status"]), "{args:?}");
        assert_eq!(ours["apiVersion"], theirs["apiVersion"]);
        assert_eq!(ours["spec"], theirs["spec"]);
        let expiry = |v: &serde_json::Value| {
            Timestamp::parse_rfc3339(v["status"]["expirationTimestamp"].as_str().unwrap()).unwrap().0
        };
        assert!((expiry(&ours) - expiry(&theirs)).abs() <= 10, "{args:?}");
        let ours_url = decoded_url(ours["status"]["token"].as_str().unwrap());
        let theirs_url = decoded_url(theirs["status"]["token"].as_str().unwrap());
        assert_eq!(stable_params(&ours_url), stable_params(&theirs_url), "{args:?}");
        // Same layout line by line, once the two time-dependent values are set aside.
        let mask = |text: &str| {
            text.lines()
                .map(|l| if l.contains("\"token\"") || l.contains("expirationTimestamp") { "" } else { l })
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(mask(&ours_text), mask(&theirs_text), "{args:?}");
    }
}

#[test]
fn text_output_has_the_aws_cli_layout() {
    if !aws_available() {
        eprintln!("skipped: the aws CLI is not installed");
        return;
    }
    let home = TempDir::new("awscli-text");
    let args = ["--cluster-name", "demo", "--region", "us-east-1", "--output", "text"];
    let ours = get_token("kubecred", home.path(), &[], &args);
    let theirs = get_token("aws", home.path(), &[], &args);
    let shape = |text: &str| {
        text.split('\n')
            .map(|line| {
                line.split('\t')
                    .map(|f| if f.starts_with("k8s-aws-v1.") || f.ends_with('Z') { "*" } else { f })
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&ours), shape(&theirs));
}

/// `KUBERNETES_EXEC_INFO` as the AWS CLI reads it: the apiVersion answered and
/// the warning on stderr, for v1alpha1, unknown versions and malformed values.
#[test]
fn exec_info_versions_and_warnings_match_the_aws_cli() {
    if !aws_available() {
        eprintln!("skipped: the aws CLI is not installed");
        return;
    }
    let home = TempDir::new("awscli-exec-info");
    for info in [
        r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#,
        r#"{"apiVersion":"client.authentication.k8s.io/v2"}"#,
        r#"{"kind":"ExecCredential"}"#,
        "{not json",
    ] {
        let answer = |program: &str| {
            let mut cmd = if program == "aws" {
                command_for(std::path::Path::new("aws"), home.path())
            } else {
                kubecred(home.path())
            };
            cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
                .env("AWS_SECRET_ACCESS_KEY", "secret")
                .env("KUBERNETES_EXEC_INFO", info)
                .args(["eks", "get-token", "--cluster-name", "demo", "--region", "us-east-1"]);
            let out = run(&mut cmd);
            assert!(out.status.success(), "{program} {info}: {}", stderr(&out));
            let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
            (doc["apiVersion"].clone(), stderr(&out))
        };
        assert_eq!(answer("kubecred"), answer("aws"), "{info}");
    }
}
