//! Every endpoint kubecred calls, answered with every kind of broken reply:
//! HTML error pages and captive portals, empty bodies, 4xx/5xx with and without
//! a body, junk bytes, truncated or wrongly typed JSON, deep nesting, a reply
//! larger than kubecred reads. Each ends with exit status 1 and one line on
//! stderr that names the endpoint (or the call) and the problem.

mod common;

use common::*;
use std::process::{Command, Output};

const MODES: &[&str] = &[
    "html-502",
    "html-200",
    "empty-200",
    "empty-500",
    "bare-404",
    "json-403",
    "junk-200",
    "truncated-200",
    "wrong-types-200",
    "deep-200",
    "huge-200",
];

/// What the line must say for each kind of reply, besides naming the endpoint.
fn problem_words(mode: &str) -> &'static [&'static str] {
    match mode {
        "html-502" => &["502"],
        "empty-500" => &["500"],
        // (IMDS answers a role listing with 404 when no role is attached: the chain goes on.)
        "bare-404" => &["404", "no IAM role attached"],
        // ...or the refusal's own words, as kubectl prints a Status message.
        "json-403" => &["403", "denied by policy"],
        "huge-200" => &["larger than"],
        // A 200 that is not the document: the line says what is wrong with it.
        _ => &[
            "not valid JSON",
            "not JSON",
            "not XML",
            "no ",
            "lacks",
            "not a",
            "invalid",
            "not an",
            "expected",
            "without",
            "empty",
        ],
    }
}

/// One endpoint: its name, words that must name it in the error, and the
/// kubecred command that calls it at `base` (an `http://127.0.0.1:PORT` URL).
struct Endpoint {
    name: &'static str,
    names: &'static [&'static str],
    command: fn(&TempDir, &str) -> Command,
}

fn ack(home: &TempDir, command: &str) -> Command {
    let mut cmd = kubecred(home.path());
    cmd.args(["ack", command, "-c", "c0123456789abcdef", "--region-id", "cn-hangzhou"]);
    cmd
}

const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        name: "AWS STS AssumeRole",
        names: &["AssumeRole"],
        command: |home, base| {
            let mut cmd = eks_get_token(home.path());
            cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
                .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
                .env("AWS_ENDPOINT_URL_STS", base)
                .args(["--role-arn", "arn:aws:iam::123456789012:role/deploy"]);
            cmd
        },
    },
    Endpoint {
        name: "AWS STS AssumeRoleWithWebIdentity",
        names: &["AssumeRoleWithWebIdentity"],
        command: |home, base| {
            let token = home.write("web-identity-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYSJ9.c2ln");
            let mut cmd = eks_get_token(home.path());
            cmd.env("AWS_WEB_IDENTITY_TOKEN_FILE", token)
                .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
                .env("AWS_ENDPOINT_URL_STS", base);
            cmd
        },
    },
    Endpoint {
        name: "AWS container credentials",
        names: &["container"],
        command: |home, base| {
            let mut cmd = eks_get_token(home.path());
            cmd.env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{base}/v2/credentials/abc"))
                .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-authorization-token");
            cmd
        },
    },
    Endpoint {
        name: "AWS instance metadata",
        names: &["instance metadata", "IMDS"],
        command: |home, base| {
            let mut cmd = eks_get_token(home.path());
            cmd.env("AWS_EC2_METADATA_DISABLED", "false").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", base);
            cmd
        },
    },
    Endpoint {
        name: "AWS SSO GetRoleCredentials",
        names: &["GetRoleCredentials"],
        command: |home, base| {
            home.write(
                ".aws/config",
                "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n\
                 [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
            );
            let name = sha1_smol::Sha1::from("corp").digest().to_string();
            home.write(
                &format!(".aws/sso/cache/{name}.json"),
                r#"{"accessToken":"sso-access-token-value","expiresAt":"2099-01-01T00:00:00Z","region":"us-east-1"}"#,
            );
            let mut cmd = eks_get_token(home.path());
            cmd.env("AWS_CONFIG_FILE", home.join(".aws/config"))
                .env("AWS_ENDPOINT_URL_SSO", base)
                .args(["--profile", "sso"]);
            cmd
        },
    },
    Endpoint {
        name: "EKS DescribeCluster",
        names: &["DescribeCluster"],
        command: |home, base| {
            let mut cmd = kubecred(home.path());
            cmd.args(["eks", "update-kubeconfig", "--name", "prod", "--region", "us-east-1", "--kubeconfig"])
                .arg(home.join("kubeconfig"))
                .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
                .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
                .env("AWS_ENDPOINT_URL_EKS", base);
            cmd
        },
    },
    Endpoint {
        name: "Alibaba STS AssumeRole",
        names: &["AssumeRole"],
        command: |home, base| {
            let mut cmd = ack(home, "get-token");
            cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEXAMPLE")
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "alibaba-secret-example")
                .env("ALIBABA_CLOUD_STS_ENDPOINT", base)
                .args(["--role-arn", "acs:ram::1234567890123456:role/ack-admin"]);
            cmd
        },
    },
    Endpoint {
        name: "Alibaba STS AssumeRoleWithOIDC",
        names: &["AssumeRoleWithOIDC"],
        command: |home, base| {
            let token = home.write("oidc-token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYSJ9.c2ln");
            let mut cmd = ack(home, "get-token");
            cmd.env("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1234567890123456:role/rrsa")
                .env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c0123")
                .env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token)
                .env("ALIBABA_CLOUD_STS_ENDPOINT", base);
            cmd
        },
    },
    Endpoint {
        name: "Alibaba credentials URI",
        names: &["ALIBABA_CLOUD_CREDENTIALS_URI", "credentials URI"],
        command: |home, base| {
            let mut cmd = ack(home, "get-token");
            cmd.env("ALIBABA_CLOUD_CREDENTIALS_URI", format!("{base}/credentials"));
            cmd
        },
    },
    Endpoint {
        name: "Alibaba ECS metadata",
        names: &["metadata at 127.0.0.1:", "metadata: 127.0.0.1:"],
        command: |home, base| {
            let mut cmd = ack(home, "get-token");
            cmd.env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "false")
                .env("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", base)
                .env("ALIBABA_CLOUD_ECS_METADATA", "ack-node-role");
            cmd
        },
    },
    Endpoint {
        name: "Container Service DescribeClusterUserKubeconfig",
        names: &["DescribeClusterUserKubeconfig"],
        command: |home, base| {
            let mut cmd = ack(home, "get-credential");
            cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEXAMPLE")
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "alibaba-secret-example")
                .env("ALIBABA_CLOUD_CS_ENDPOINT", base);
            cmd
        },
    },
    Endpoint {
        name: "Kubernetes TokenRequest",
        names: &["token", "TokenRequest"],
        command: |home, base| {
            let config = home.write(
                "kubeconfig",
                &format!(
                    "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"{base}\"}}\n\
                     users:\n- name: u\n  user: {{token: admin-bearer-token}}\ncontexts:\n- name: x\n  \
                     context: {{cluster: c, user: u, namespace: ci}}\ncurrent-context: x\n"
                ),
            );
            let mut cmd = kubecred(home.path());
            cmd.args(["create", "token", "builder"]).env("KUBECONFIG", config);
            cmd
        },
    },
];

fn check(endpoint: &Endpoint, mode: &str, out: &Output) -> Result<(), String> {
    let err = stderr(out);
    let label = format!("{} / {mode}", endpoint.name);
    if out.status.code() != Some(1) {
        return Err(format!("{label}: status {:?}, stderr {err:?}", out.status));
    }
    if err.lines().count() != 1 || err.contains("panicked") || !stdout(out).is_empty() {
        return Err(format!("{label}: not one line on stderr and nothing on stdout: {err:?}"));
    }
    if !endpoint.names.iter().any(|n| err.contains(n)) {
        return Err(format!("{label}: does not name the endpoint ({:?}): {err:?}", endpoint.names));
    }
    if !problem_words(mode).iter().any(|w| err.contains(w)) {
        return Err(format!("{label}: does not say what is wrong ({:?}): {err:?}", problem_words(mode)));
    }
    for secret in
        ["wJalrXUtnFEMI", "alibaba-secret-example", "sso-access-token-value", "admin-bearer-token", "eyJhbGci"]
    {
        if err.contains(secret) {
            return Err(format!("{label}: a secret in the error: {err:?}"));
        }
    }
    Ok(())
}

#[test]
fn every_endpoint_fails_cleanly_on_every_broken_reply() {
    let servers: Vec<(&str, Fake)> = MODES.iter().map(|m| (*m, Fake::start("bad_replies.py", &[m]))).collect();
    // One thread an endpoint: the cases are independent processes.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let servers = &servers;
        let threads: Vec<_> = ENDPOINTS
            .iter()
            .map(|endpoint| {
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for (mode, server) in servers {
                        let home = TempDir::new("bad-replies");
                        let out = run(&mut (endpoint.command)(&home, &server.url("http")));
                        failures.extend(check(endpoint, mode, &out).err());
                    }
                    failures
                })
            })
            .collect();
        threads.into_iter().flat_map(|t| t.join().expect("endpoint thread")).collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        ENDPOINTS.len() * MODES.len(),
        failures.join("\n")
    );
}
