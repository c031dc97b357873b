//! `mfa_serial` on an assume-role profile: kubecred reuses what the AWS CLI
//! cached in ~/.aws/cli/cache (a file botocore itself writes here, under its own
//! key), and without it and without a terminal fails on one line saying how to
//! warm that cache. kubecred runs under `setsid`, so it has no terminal.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

const SOURCE: &str = "AKIDSOURCE=source-secret-value-0123456789";
const CONFIG: &str = "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n\
                      mfa_serial = arn:aws:iam::123456789012:mfa/me\nduration_seconds = 3600\nregion = us-east-1\n\n\
                      [profile base]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = source-secret-value-0123456789\n";

fn sealed(program: &Path, home: &TempDir, fake: &Fake) -> Command {
    let mut cmd = command_for(program, home.path());
    cmd.env("AWS_CONFIG_FILE", home.join(".aws/config")).env("AWS_ENDPOINT_URL_STS", fake.url("http"));
    cmd
}

/// `kubecred eks get-token --profile mfa` without a controlling terminal.
fn get_token(home: &TempDir, fake: &Fake) -> std::process::Output {
    run(sealed(Path::new("setsid"), home, fake).arg("-w").arg(kubecred_path()).args([
        "eks",
        "get-token",
        "--cluster-name",
        "demo",
        "--profile",
        "mfa",
    ]))
}

fn assume_role_calls(fake: &Fake) -> Vec<serde_json::Value> {
    let log = fake.get_json("/_log");
    log.as_array().unwrap().iter().filter(|e| e["action"] == "AssumeRole").cloned().collect()
}

fn signer(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
    let token = doc["status"]["token"].as_str().unwrap().strip_prefix("k8s-aws-v1.").unwrap();
    let url = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token).unwrap();
    let url = String::from_utf8(url).unwrap();
    let credential = url.split("X-Amz-Credential=").nth(1).unwrap();
    credential.split("%2F").next().unwrap().to_string()
}

#[test]
fn role_credentials_botocore_cached_after_an_mfa_code_serve_kubecred() {
    let fake = Fake::start("fake_aws.py", &["--key", SOURCE]);
    let home = TempDir::new("mfa-cache");
    home.write(".aws/config", CONFIG);
    let warmed = run(sealed(Path::new("python3"), &home, &fake)
        .arg(repo_root().join("tests/fakes/botocore_mfa_cache.py"))
        .args(["mfa", "123456"]));
    assert!(warmed.status.success(), "botocore: {}", stderr(&warmed));
    let botocore_key = stdout(&warmed).trim().to_string();
    assert!(botocore_key.starts_with("ASIASTS"), "{botocore_key}");
    let calls = assume_role_calls(&fake);
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0]["serial_number"].as_str(), calls[0]["token_code"].as_str()),
        (Some("arn:aws:iam::123456789012:mfa/me"), Some("123456"))
    );

    assert_eq!(signer(&get_token(&home, &fake)), botocore_key);
    assert_eq!(assume_role_calls(&fake).len(), 1, "kubecred called STS instead of using the AWS CLI's cache");
}

#[test]
fn without_a_cache_or_a_terminal_the_error_says_how_to_warm_the_cache() {
    let fake = Fake::start("fake_aws.py", &["--key", SOURCE]);
    let home = TempDir::new("mfa-none");
    home.write(".aws/config", CONFIG);
    // A cache entry about to expire is not used (botocore's 15-minute window).
    let soon = kubecred::time::Timestamp(kubecred::time::Timestamp::now().0 + 600).to_rfc3339();
    let key = "36cb7b4dfac6d25573d3a58386ddc41df0795b31";
    home.write(
        &format!(".aws/cli/cache/{key}.json"),
        &format!(r#"{{"Credentials": {{"AccessKeyId": "ASIASOON", "SecretAccessKey": "x", "SessionToken": "y", "Expiration": "{soon}"}}}}"#),
    );
    let out = get_token(&home, &fake);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("MFA code for arn:aws:iam::123456789012:mfa/me"), "{err}");
    assert!(err.contains("aws sts get-caller-identity --profile mfa"), "{err}");
    assert!(!err.contains("source-secret-value"), "{err}");
    assert!(assume_role_calls(&fake).is_empty());
}

/// With a terminal (a pseudo-terminal from `script`), the code is asked for on
/// it and sent with the AssumeRole call; the token goes to stdout as ever.
#[test]
fn with_a_terminal_the_code_is_asked_for() {
    use std::io::Write;
    let fake = Fake::start("fake_aws.py", &["--key", SOURCE]);
    let home = TempDir::new("mfa-tty");
    home.write(".aws/config", CONFIG);
    let command = format!("{} eks get-token --cluster-name demo --profile mfa", kubecred_path().display());
    let mut child = sealed(Path::new("script"), &home, &fake)
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"654321\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text} {}", stderr(&out));
    assert!(
        text.contains("Enter MFA code for arn:aws:iam::123456789012:mfa/me: ") && text.contains("k8s-aws-v1."),
        "{text}"
    );
    let calls = assume_role_calls(&fake);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["token_code"], "654321");
}
