//! The AWS credential chain through the binary, each provider against the local
//! fake in tests/fakes/fake_aws.py (STS with SigV4 checked by botocore, IMDSv2,
//! container credentials, SSO). The token's X-Amz-Credential shows which
//! credentials signed it: the fake hands out ASIASTS…, ASIAIMDS…, ASIACONT…, ASIASSO… keys.

mod common;

use base64::Engine;
use common::*;
use std::process::Command;

const SOURCE_KEY: &str = "AKIDSOURCE";
const SOURCE_SECRET: &str = "source-secret-value-0123456789";

fn fake(args: &[&str]) -> Fake {
    let mut all =
        vec!["--key", "AKIDSOURCE=source-secret-value-0123456789", "--key", "AKIDFILE=file-secret-0123456789"];
    all.extend_from_slice(args);
    Fake::start("fake_aws.py", &all)
}

/// A sealed get-token command whose AWS calls go to `fake`.
fn get_token(home: &TempDir, fake: &Fake) -> Command {
    let mut cmd = kubecred(home.path());
    cmd.env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_ENDPOINT_URL_STS", fake.url("http"))
        .env("AWS_ENDPOINT_URL_SSO", fake.url("http"))
        .args(["eks", "get-token", "--cluster-name", "demo", "--region", "us-east-1"]);
    cmd
}

/// The access key id that signed the token on stdout.
fn signer(out: &std::process::Output) -> String {
    assert!(out.status.success(), "kubecred failed: {}", stderr(out));
    let v: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
    let token = v["status"]["token"].as_str().unwrap().strip_prefix("k8s-aws-v1.").unwrap();
    let url = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).unwrap()).unwrap();
    let credential = kubecred::encoding::parse_query(url.split_once('?').unwrap().1)
        .into_iter()
        .find(|(n, _)| n == "X-Amz-Credential")
        .unwrap()
        .1;
    credential.split('/').next().unwrap().to_string()
}

fn fails_with(out: &std::process::Output, needle: &str) {
    assert_eq!(out.status.code(), Some(1), "stdout: {} stderr: {}", stdout(out), stderr(out));
    assert!(stdout(out).is_empty());
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(needle), "wanted {needle:?} in {err}");
    assert!(!err.contains(SOURCE_SECRET) && !err.contains("file-secret"), "{err}");
}

#[test]
fn role_arn_flag_assumes_the_role_with_environment_credentials() {
    let fake = fake(&[]);
    let home = TempDir::new("chain-rolearn");
    let out = run(get_token(&home, &fake)
        .env("AWS_ACCESS_KEY_ID", SOURCE_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET)
        .args(["--role-arn", "arn:aws:iam::123456789012:role/eks"]));
    assert!(signer(&out).starts_with("ASIASTS"));
    let denied = run(get_token(&home, &fake)
        .env("AWS_ACCESS_KEY_ID", SOURCE_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET)
        .args(["--role-arn", "arn:aws:iam::123456789012:role/deny"]));
    fails_with(&denied, "AccessDenied");
    for bad in ["html", "empty", "junk"] {
        let out = run(get_token(&home, &fake)
            .env("AWS_ACCESS_KEY_ID", SOURCE_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET)
            .args(["--role-arn", &format!("arn:aws:iam::123456789012:role/{bad}")]));
        fails_with(&out, "127.0.0.1");
    }
}

#[test]
fn files_credentials_then_process_then_config() {
    let fake = fake(&[]);
    let home = TempDir::new("chain-files");
    home.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret-0123456789\n",
    );
    assert_eq!(signer(&run(&mut get_token(&home, &fake))), "AKIDFILE");

    let script = home.write_script(
        "bin/creds.sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"p\", \"SessionToken\": \"t\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n",
    );
    let home2 = TempDir::new("chain-process");
    home2.write(".aws/config", &format!("[profile dev]\ncredential_process = {} --flag\n", script.display()));
    assert_eq!(signer(&run(get_token(&home2, &fake).args(["--profile", "dev"]))), "AKIDPROCESS");

    let home3 = TempDir::new("chain-config");
    home3.write(".aws/config", "[profile ops]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n");
    assert_eq!(signer(&run(get_token(&home3, &fake).env("AWS_PROFILE", "ops"))), "AKIDCONFIG");
}

#[test]
fn assume_role_profiles_chain_and_detect_cycles() {
    let fake = fake(&[]);
    let home = TempDir::new("chain-profiles");
    home.write(
        ".aws/credentials",
        "[base]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret-0123456789\n",
    );
    home.write(
        ".aws/config",
        "[profile first]\nrole_arn = arn:aws:iam::123456789012:role/first\nsource_profile = base\nexternal_id = ext-1\n\n\
         [profile second]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = first\nrole_session_name = mine\n\n\
         [profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop-b\n\n\
         [profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop-a\n\n\
         [profile from-env]\nrole_arn = arn:aws:iam::123456789012:role/env\ncredential_source = Environment\n",
    );
    assert!(signer(&run(get_token(&home, &fake).args(["--profile", "second"]))).starts_with("ASIASTS"));
    let cycle = run(get_token(&home, &fake).args(["--profile", "loop-a"]));
    fails_with(&cycle, "loop");
    let from_env = run(get_token(&home, &fake)
        .env("AWS_ACCESS_KEY_ID", SOURCE_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET)
        .args(["--profile", "from-env"]));
    assert!(signer(&from_env).starts_with("ASIASTS"));
}

#[test]
fn web_identity_from_environment() {
    let fake = fake(&["--web-token", "eyJraWQiOi"]);
    let home = TempDir::new("chain-web");
    let token = home.write("token", "eyJraWQiOi.payload.signature");
    let out = run(get_token(&home, &fake)
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
        .env("AWS_ROLE_SESSION_NAME", "pod"));
    assert!(signer(&out).starts_with("ASIASTS"));
    let missing = run(get_token(&home, &fake)
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", home.join("absent"))
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"));
    fails_with(&missing, "absent");
}

#[test]
fn sso_session_profile_with_cached_token() {
    let fake = fake(&["--sso-token", "sso-access-token-value"]);
    let home = TempDir::new("chain-sso");
    home.write(
        ".aws/config",
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let missing = run(get_token(&home, &fake).args(["--profile", "sso"]));
    fails_with(&missing, "aws sso login");
    let name = sha1_smol::Sha1::from("corp").digest().to_string();
    let cache = |expires: &str| {
        home.write(
            &format!(".aws/sso/cache/{name}.json"),
            &format!(r#"{{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":"sso-access-token-value","expiresAt":"{expires}"}}"#),
        );
    };
    cache("2001-01-01T00:00:00Z");
    fails_with(&run(get_token(&home, &fake).args(["--profile", "sso"])), "aws sso login");
    cache("2099-01-01T00:00:00Z");
    assert!(signer(&run(get_token(&home, &fake).args(["--profile", "sso"]))).starts_with("ASIASSO"));

    // The token decides whose roles are used: not one another user could have put there.
    use std::os::unix::fs::PermissionsExt;
    let uncached = || {
        let mut cmd = get_token(&home, &fake);
        cmd.args(["--profile", "sso", "--no-cache"]);
        cmd
    };
    let dir = home.path().join(".aws/sso/cache");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let shared = run(&mut uncached());
    fails_with(&shared, "its directory is not this user's alone");
    assert!(!stderr(&shared).contains("sso-access-token-value"));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = dir.join(format!("{name}.json"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
    fails_with(&run(&mut uncached()), "lets group or others write to it");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(signer(&run(&mut uncached())).starts_with("ASIASSO"));
}

#[test]
fn container_credentials_with_token_file() {
    let fake = fake(&["--container-token", "container-auth-token"]);
    let home = TempDir::new("chain-container");
    let token = home.write("auth-token", "container-auth-token\n");
    let out = run(get_token(&home, &fake)
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/container/creds", fake.url("http")))
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token));
    assert!(signer(&out).starts_with("ASIACONT"));
    let remote = run(get_token(&home, &fake).env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://198.51.100.7/creds"));
    fails_with(&remote, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
}

#[test]
fn container_bad_replies_are_clear() {
    for mode in ["403", "junk", "html", "empty"] {
        let fake = fake(&["--container", mode]);
        let home = TempDir::new("chain-container-bad");
        let out = run(get_token(&home, &fake)
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/container/creds", fake.url("http"))));
        fails_with(&out, "127.0.0.1");
    }
}

#[test]
fn instance_metadata_v2() {
    let fake = fake(&[]);
    let home = TempDir::new("chain-imds");
    let out = run(get_token(&home, &fake)
        .env_remove("AWS_EC2_METADATA_DISABLED")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.url("http")));
    assert!(signer(&out).starts_with("ASIAIMDS"));
    for mode in ["junk", "html", "norole"] {
        let bad = Fake::start("fake_aws.py", &["--imds", mode]);
        let out = run(get_token(&home, &bad)
            .env_remove("AWS_EC2_METADATA_DISABLED")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", bad.url("http")));
        assert_eq!(out.status.code(), Some(1), "{mode}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{mode}: {}", stderr(&out));
    }
}

#[test]
fn nothing_found_lists_what_was_tried() {
    let home = TempDir::new("chain-none");
    let out = run(&mut eks_get_token(home.path()));
    fails_with(&out, "tried:");
    assert!(stderr(&out).contains("instance metadata"));
}

/// `--session-name` names the session of `--role-arn` (native grammar, and the
/// `aws` grammar with an abbreviation); without it, EKSGetTokenAuth.
#[test]
fn session_name_for_role_arn() {
    let fake = fake(&[]);
    let home = TempDir::new("chain-session-name");
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(kubecred_path(), bin.join("aws")).unwrap();
    let role = "arn:aws:iam::123456789012:role/named";
    for (program, args) in [
        (kubecred_path(), vec!["eks", "get-token", "--session-name", "native-session"]),
        (bin.join("aws"), vec!["eks", "get-token", "--sess", "aws-session"]),
        (kubecred_path(), vec!["eks", "get-token"]),
    ] {
        let out = run(command_for(&program, home.path())
            .env("AWS_ACCESS_KEY_ID", SOURCE_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET)
            .env("AWS_ENDPOINT_URL_STS", fake.url("http"))
            .args(&args)
            .args(["--cluster-name", "demo", "--region", "us-east-1", "--role-arn", role]));
        assert!(signer(&out).starts_with("ASIASTS"));
    }
    let names: Vec<String> = fake
        .get_json("/_log")
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "AssumeRole")
        .map(|e| e["session_name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["native-session", "aws-session", "EKSGetTokenAuth"]);
}
