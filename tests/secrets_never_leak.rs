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

const BEARER: &str = "PLANTED-bearer-6h7i";
const PASSWORD: &str = "PLANTED-password-8j9k";
const PLUGIN_TOKEN: &str = "PLANTED-plugin-token-0l1m";
const ECS_METADATA_TOKEN: &str = "PLANTED-ecs-metadata-token-2n3o";
const OIDC_TOKEN: &str = "PLANTED-oidc-token-4p5q";

const ALL: &[&str] = &[
    AWS_SECRET,
    AWS_SESSION,
    WEB_TOKEN,
    CONTAINER_TOKEN,
    SSO_TOKEN,
    ALI_SECRET,
    ALI_TOKEN,
    BEARER,
    PASSWORD,
    PLUGIN_TOKEN,
    ECS_METADATA_TOKEN,
    OIDC_TOKEN,
];

fn check(label: &str, out: &Output) {
    let err = stderr(out);
    let stdout = stdout(out);
    for secret in ALL {
        assert!(!err.contains(secret), "{label}: stderr leaks {secret}:\n{err}");
        assert!(!stdout.contains(secret), "{label}: stdout carries {secret} in plain text");
    }
    assert!(!err.contains("panicked"), "{label}: {err}");
    // Private keys: kubecred prints one only inside the credential on stdout.
    assert!(!err.contains("PRIVATE KEY"), "{label}: stderr carries a private key");
    // Whatever credential stdout carries is not repeated on stderr.
    for word in stdout.split(|c: char| c == '"' || c.is_whitespace()).filter(|w| w.len() >= 20) {
        assert!(!err.contains(word), "{label}: stderr repeats the credential");
    }
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
    let out = run(eks_get_token(home.path())
        .env("AWS_ENDPOINT_URL_STS", &sts)
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
        .arg("--debug"));
    assert!(out.status.success(), "{}", stderr(&out));
    check("web identity", &out);
    for (label, value) in
        [("container ok", CONTAINER_TOKEN), ("container refused", "wrong-PLANTED-container-token-5a6b")]
    {
        let out = run(eks_get_token(home.path())
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{sts}/container/creds"))
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", value)
            .arg("--debug"));
        check(label, &out);
    }
    let out = run(eks_get_token(home.path())
        .env("AWS_EC2_METADATA_DISABLED", "false")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &sts)
        .arg("--debug"));
    assert!(out.status.success(), "{}", stderr(&out));
    check("instance metadata", &out);
    // The fake's IMDSv2 session token starts so.
    assert!(!stderr(&out).contains("imds-session-token-"), "the IMDSv2 token is logged");
    let home2 = TempDir::new("secrets-sso");
    home2.write(".aws/config", "[profile s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n");
    let name = sha1_smol::Sha1::from("https://x.awsapps.com/start").digest().to_string();
    home2.write(&format!(".aws/sso/cache/{name}.json"), &format!(r#"{{"accessToken":"{SSO_TOKEN}","expiresAt":"2099-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://x.awsapps.com/start"}}"#));
    let out = run(eks_get_token(home2.path())
        .env("AWS_CONFIG_FILE", home2.join(".aws/config"))
        .env("AWS_ENDPOINT_URL_SSO", &sts)
        .args(["--profile", "s", "--debug"]));
    check("sso", &out);
    let process = home.write_script("creds.sh", &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{AWS_SECRET}\"}}'\necho 'oops {AWS_SECRET}' >&2\nexit 3\n"));
    home.write("config", &format!("[default]\ncredential_process = {}\n", process.display()));
    let out = run(eks_get_token(home.path()).env("AWS_CONFIG_FILE", home.join("config")).arg("--debug"));
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
    let get_credential = |cs_endpoint: &str| {
        ali(kubecred(home.path()).env("ALIBABA_CLOUD_CS_ENDPOINT", cs_endpoint).args([
            "ack",
            "get-credential",
            "-c",
            "c1",
            "--log-level",
            "debug",
        ]))
    };
    let closed = closed_port_url();
    check("ack get-credential unreachable", &get_credential(&closed));
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
    // The ECS instance role: the metadata token and the role's credentials.
    let expires = "2099-01-01T00:00:00Z";
    let metadata_config = home.write(
        "metadata.json",
        &serde_json::json!({"mode": "v2-required", "token": ECS_METADATA_TOKEN, "roles": {"node": {
            "Code": "Success", "AccessKeyId": "STS.PLANTED", "AccessKeySecret": ALI_SECRET,
            "SecurityToken": ALI_TOKEN, "Expiration": expires, "LastUpdated": "2026-11-30T00:00:00Z"}}})
        .to_string(),
    );
    let metadata = Fake::start("fake_ecs_metadata.py", &[metadata_config.to_str().unwrap()]);
    for role in ["node", "absent"] {
        let out = run(kubecred(home.path())
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "false")
            .env("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", metadata.url("http"))
            .env("ALIBABA_CLOUD_ECS_METADATA", role)
            .args(["ack", "get-token", "-c", "c1", "--log-level", "debug"]));
        assert_eq!(out.status.success(), role == "node", "{}", stderr(&out));
        check(&format!("ECS metadata role {role}"), &out);
    }
    // RRSA: the OIDC token goes to STS, which refuses it.
    let refusing = Fake::start("bad_replies.py", &["json-403"]);
    let oidc = home.write("oidc-token", OIDC_TOKEN);
    let out = run(kubecred(home.path())
        .env("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/rrsa")
        .env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/ack-rrsa")
        .env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &oidc)
        .env("ALIBABA_CLOUD_STS_ENDPOINT", refusing.url("http"))
        .args(["ack", "get-token", "-c", "c1", "--log-level", "debug"]));
    check("RRSA refused", &out);
    // get-credential: the client key is on stdout, inside the credential, only.
    let pki = Pki::create(&home.join("pki"));
    let cs = start_fake_cs(&pki, "c1", "https://127.0.0.1:6443", &format!("LTAIPLANTED:{ALI_SECRET}"), &[]);
    let out = get_credential(&cs.url("http"));
    assert!(out.status.success() && stdout(&out).contains("PRIVATE KEY"), "{}", stderr(&out));
    check("ack get-credential", &out);
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

#[test]
fn kubernetes_paths_at_debug_level() {
    let dir = TempDir::new("secrets-kube");
    let pki = Pki::create(&dir.join("pki"));
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_static,tokenrequest",
            "--option",
            &format!("tokens={BEARER},{PLUGIN_TOKEN}"),
            "--option",
            "service_accounts=default/builder",
        ],
    );
    let plugin = dir.write_script(
        "plugin.sh",
        &format!(
            "#!/bin/sh\necho '{{\"apiVersion\": \"client.authentication.k8s.io/v1\", \"kind\": \"ExecCredential\", \"status\": {{\"token\": \"{PLUGIN_TOKEN}\"}}}}'\n"
        ),
    );
    let bad_key = base64_encode(&format!("-----BEGIN PRIVATE KEY-----\n{PASSWORD}\n-----END PRIVATE KEY-----\n"));
    let users = [
        ("bearer", format!("token: {BEARER}")),
        ("wrong bearer", format!("token: wrong-{BEARER}")),
        ("basic", format!("username: admin\n    password: {PASSWORD}")),
        (
            "exec",
            format!(
                "exec: {{apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: {}}}",
                plugin.display()
            ),
        ),
        ("bad key", format!("client-certificate-data: {bad_key}\n    client-key-data: {bad_key}")),
    ];
    for (label, user) in users {
        let config = dir.write(
            "kubeconfig",
            &format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"{}\", certificate-authority: pki/ca.crt}}\n\
                 contexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\nusers:\n- name: u\n  user:\n    {user}\n",
                api.url("https")
            ),
        );
        for extra in [&["-o", "json"][..], &["--output-file", "out.kubeconfig"][..]] {
            let command = if extra[0] == "-o" { "token" } else { "kubeconfig" };
            let out = run(kubecred(dir.path())
                .current_dir(dir.path())
                .args(["create", command, "builder", "-v=9", "--kubeconfig"])
                .arg(&config)
                .args(extra));
            check(&format!("create {command} with {label}"), &out);
            let works = matches!(label, "bearer" | "exec");
            assert_eq!(out.status.success(), works, "create {command} with {label}: {}", stderr(&out));
        }
    }
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}
