//! `kubecred eks get-token`: tokens identical to botocore's for fixed keys and
//! time, output laid out as the AWS CLI prints it, exit codes for bad input.

mod common;

use common::*;

fn golden() -> serde_json::Value {
    let text = std::fs::read_to_string(repo_root().join("tests/data/eks/golden-tokens.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn token_of(stdout: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stdout).expect("stdout is JSON");
    v["status"]["token"].as_str().unwrap().to_string()
}

#[test]
fn tokens_match_botocore_for_fixed_keys_and_time() {
    let golden = golden();
    let home = TempDir::new("golden");
    for case in golden["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut cmd = kubecred(home.path());
        cmd.env("KUBECRED_TEST_NOW", golden["time"].as_str().unwrap())
            .env("AWS_ACCESS_KEY_ID", golden["access_key_id"].as_str().unwrap())
            .env("AWS_SECRET_ACCESS_KEY", golden["secret_access_key"].as_str().unwrap())
            .args(["eks", "get-token", "--region", case["region"].as_str().unwrap()]);
        if let Some(token) = case["token"].as_str() {
            cmd.env("AWS_SESSION_TOKEN", token);
        }
        if case["legacy"].as_bool().unwrap() {
            cmd.env("AWS_STS_REGIONAL_ENDPOINTS", "legacy");
        }
        let cluster = case["cluster"].as_str().unwrap();
        if name == "outposts-id" {
            cmd.args(["--cluster-id", cluster]);
        } else {
            cmd.args(["--cluster-name", cluster]);
        }
        let out = run(&mut cmd);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(token_of(&stdout(&out)), case["expected"].as_str().unwrap(), "case {name}");
    }
}

#[test]
fn expiry_is_fourteen_minutes_and_api_version_is_echoed() {
    let home = TempDir::new("expiry");
    for (exec_info, expected) in [
        (None, "client.authentication.k8s.io/v1beta1"),
        (
            Some(
                r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#,
            ),
            "client.authentication.k8s.io/v1",
        ),
        (
            Some(r#"{"apiVersion":"client.authentication.k8s.io/v1beta1","spec":{}}"#),
            "client.authentication.k8s.io/v1beta1",
        ),
    ] {
        let mut cmd = kubecred(home.path());
        cmd.env("KUBECRED_TEST_NOW", "2026-11-24T13:34:04Z")
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .args(["eks", "get-token", "--cluster-name", "demo", "--region", "us-east-1"]);
        if let Some(info) = exec_info {
            cmd.env("KUBERNETES_EXEC_INFO", info);
        }
        let out = run(&mut cmd);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.ends_with("}\n\n"), "awscli layout ends with a blank line: {text:?}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["apiVersion"], expected);
        assert_eq!(v["kind"], "ExecCredential");
        assert_eq!(v["status"]["expirationTimestamp"], "2026-11-24T13:48:04Z");
    }
}

#[test]
fn v1alpha1_is_answered_in_kind_with_the_aws_cli_deprecation_warning() {
    let home = TempDir::new("alpha");
    let out = run(kubecred(home.path())
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("KUBERNETES_EXEC_INFO", r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#)
        .args(["eks", "get-token", "--cluster-name", "demo", "--region", "us-east-1"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["apiVersion"], "client.authentication.k8s.io/v1alpha1");
    assert_eq!(
        stderr(&out),
        "Kubeconfig user entry is using deprecated API version client.authentication.k8s.io/v1alpha1. Run 'aws eks update-kubeconfig' to update.\n"
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let home = TempDir::new("usage");
    for args in [
        &["eks", "get-token", "--region", "us-east-1"][..],
        &["eks", "get-token", "--cluster-name", "c", "--bogus"],
        &["eks", "get-token", "--cluster-name", "c", "--output", "xml"],
        &["eks", "get-token", "--cluster-name"],
        &["eks", "get-token", "--cluster-name", "c", "--cluster-id", "i"],
        &["nonsense"],
    ] {
        let out = run(kubecred(home.path()).env("AWS_ACCESS_KEY_ID", "A").env("AWS_SECRET_ACCESS_KEY", "s").args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn no_region_signs_for_global_sts_and_missing_credentials_are_clear_errors() {
    let home = TempDir::new("missing");
    let out = run(kubecred(home.path()).env("AWS_ACCESS_KEY_ID", "A").env("AWS_SECRET_ACCESS_KEY", "s").args([
        "eks",
        "get-token",
        "--cluster-name",
        "c",
    ]));
    // As the AWS CLI: no region anywhere means the global endpoint, signed for us-east-1.
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let token = doc["status"]["token"].as_str().unwrap().strip_prefix("k8s-aws-v1.").unwrap();
    let url = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token).unwrap();
    let url = String::from_utf8(url).unwrap();
    assert!(url.starts_with("https://sts.amazonaws.com/?"), "{url}");
    assert!(url.contains("%2Fus-east-1%2Fsts%2Faws4_request"), "{url}");
    let out = run(&mut eks_get_token(home.path()));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no AWS credentials found"), "{}", stderr(&out));
}

#[test]
fn text_output_matches_awscli_layout() {
    let home = TempDir::new("text");
    let out = run(kubecred(home.path())
        .env("KUBECRED_TEST_NOW", "2026-11-24T13:34:04Z")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .args(["eks", "get-token", "--cluster-name", "demo", "--region", "us-east-1", "--output", "text"]));
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "client.authentication.k8s.io/v1beta1\tExecCredential");
    assert!(lines[1].starts_with("STATUS\t2026-11-24T13:48:04Z\tk8s-aws-v1."), "{text}");
}

/// `--role-arn` through an STS stand-in served over TLS with a private CA: the
/// CA trusted with `--ca-bundle` or `AWS_CA_BUNDLE`, refused without it. (The
/// network client end to end, which the aarch64 run repeats under emulation.)
#[test]
fn role_arn_through_sts_over_tls_with_a_private_ca() {
    use base64::Engine;
    let home = TempDir::new("eks-tls-sts");
    let pki = Pki::create(&home.join("pki"));
    let sts = Fake::start(
        "counting_sts.py",
        &["--cert", pki.server_cert.to_str().unwrap(), "--key", pki.server_key.to_str().unwrap()],
    );
    let get_token = |extra: &[&str], env: &[(&str, &std::path::Path)]| {
        let mut cmd = eks_get_token(home.path());
        cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .env("AWS_ENDPOINT_URL_STS", sts.url("https"))
            .args(["--role-arn", "arn:aws:iam::123456789012:role/tls", "--no-cache"])
            .args(extra);
        for (name, value) in env {
            cmd.env(name, value);
        }
        run(&mut cmd)
    };
    let ca = pki.ca_cert.to_str().unwrap();
    for out in [get_token(&["--ca-bundle", ca], &[]), get_token(&[], &[("AWS_CA_BUNDLE", &pki.ca_cert)])] {
        assert!(out.status.success(), "{}", stderr(&out));
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token_of(&stdout(&out)).trim_start_matches("k8s-aws-v1."))
            .unwrap();
        let url = String::from_utf8(url).unwrap();
        assert!(url.contains("X-Amz-Credential=ASIAFAKE"), "signed with the role's keys: {url}");
        assert!(url.contains("X-Amz-Security-Token="), "{url}");
    }
    let out = get_token(&[], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown issuer"), "{}", stderr(&out));
}

/// FIPS and dual-stack choose the token's host and the host of kubecred's own
/// STS calls (the loopback-only guard of the tests names the host it refused).
#[test]
fn fips_and_dualstack_choose_the_sts_hosts() {
    let home = TempDir::new("fips");
    let host_of = |out: &std::process::Output| {
        let doc: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
        let token = doc["status"]["token"].as_str().unwrap().strip_prefix("k8s-aws-v1.").unwrap();
        let url = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token).unwrap();
        String::from_utf8(url).unwrap().split('/').nth(2).unwrap().to_string()
    };
    let config = home.write(".aws/config", "[default]\nuse_dualstack_endpoint = true\n");
    for (env, host) in [
        (&[("AWS_USE_FIPS_ENDPOINT", "true")][..], "sts-fips.us-east-1.amazonaws.com"),
        (&[("AWS_USE_DUALSTACK_ENDPOINT", "TRUE")][..], "sts.us-east-1.api.aws"),
        (
            &[("AWS_USE_FIPS_ENDPOINT", "true"), ("AWS_CONFIG_FILE", config.to_str().unwrap())][..],
            "sts-fips.us-east-1.api.aws",
        ),
    ] {
        let out = run(eks_get_token(home.path())
            .env("AWS_ACCESS_KEY_ID", "A")
            .env("AWS_SECRET_ACCESS_KEY", "s")
            .envs(env.iter().copied()));
        assert!(out.status.success(), "{env:?}: {}", stderr(&out));
        assert_eq!(host_of(&out), host, "{env:?}");
    }
    let out = run(eks_get_token(home.path())
        .env("AWS_ACCESS_KEY_ID", "A")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWS_USE_FIPS_ENDPOINT", "true")
        .args(["--role-arn", "arn:aws:iam::123456789012:role/r"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("at sts-fips.us-east-1.amazonaws.com:"), "{}", stderr(&out));
    let out = run(kubecred(home.path())
        .env("AWS_ACCESS_KEY_ID", "A")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWS_USE_FIPS_ENDPOINT", "true")
        .args(["eks", "get-token", "--cluster-name", "c", "--region", "cn-north-1"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(stderr(&out).contains("region cn-north-1 has no FIPS STS endpoint"), "{}", stderr(&out));
}

/// aws-iam-authenticator refuses tokens over 4096 bytes: say so, on one line.
#[test]
fn a_token_over_4096_bytes_is_warned_about() {
    let home = TempDir::new("long-token");
    let long = "a".repeat(3000);
    let out = run(eks_get_token(home.path())
        .env("AWS_ACCESS_KEY_ID", "A")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .env("AWS_SESSION_TOKEN", &long));
    assert!(out.status.success());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("more than the 4096") && !err.contains(&long), "{err}");
    let short = run(eks_get_token(home.path()).env("AWS_ACCESS_KEY_ID", "A").env("AWS_SECRET_ACCESS_KEY", "s"));
    assert!(stderr(&short).is_empty());
}
