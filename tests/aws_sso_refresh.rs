//! Renewing an expired `sso_session` token with SSO OIDC CreateToken, against
//! the fake in tests/fakes/fake_aws.py, and side by side with the AWS CLI: both
//! refresh the same cache file and leave the same fields in it.

mod common;

use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const ACCESS_TOKEN: &str = "sso-access-token-value";
const REFRESH_TOKEN: &str = "sso-refresh-token-value";
const CONFIG: &str = "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n\n\
                      [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";

fn fake() -> Fake {
    Fake::start("fake_aws.py", &["--sso-token", ACCESS_TOKEN, "--sso-refresh-token", REFRESH_TOKEN])
}

/// HOME with the profile and an expired token whose refresh data is as given.
fn home_with_expired_token(label: &str, registration_expires: &str) -> (TempDir, PathBuf) {
    let home = TempDir::new(label);
    home.write(".aws/config", CONFIG);
    let name = sha1_smol::Sha1::from("corp").digest().to_string();
    let cache = home.write(
        &format!(".aws/sso/cache/{name}.json"),
        &format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "expired-access-token", "expiresAt": "2001-01-01T00:00:00Z", "clientId": "client-id", "clientSecret": "client-secret-value", "registrationExpiresAt": "{registration_expires}", "refreshToken": "{REFRESH_TOKEN}"}}"#
        ),
    );
    (home, cache)
}

fn get_token(program: &Path, home: &TempDir, fake: &Fake) -> std::process::Output {
    run(command_for(program, home.path())
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env("AWS_ENDPOINT_URL_SSO", fake.url("http"))
        .env("AWS_ENDPOINT_URL_SSO_OIDC", fake.url("http"))
        .args(["eks", "get-token", "--cluster-name", "demo", "--profile", "sso"]))
}

fn cache_document(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn an_expired_sso_session_token_is_refreshed_and_written_back() {
    let fake = fake();
    let (home, cache) = home_with_expired_token("sso-refresh", "2099-01-01T00:00:00Z");
    let out = get_token(&kubecred_path(), &home, &fake);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = cache_document(&cache);
    assert_eq!(doc["accessToken"], ACCESS_TOKEN);
    assert_eq!(doc["refreshToken"], format!("{REFRESH_TOKEN}-rotated"));
    assert!(doc["expiresAt"].as_str().unwrap() > "2026-", "{doc}");
    assert_eq!(std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o600);
    let log = fake.get_json("/_log");
    let calls: Vec<&str> = log.as_array().unwrap().iter().filter_map(|e| e["path"].as_str()).collect();
    assert_eq!(calls, ["/token", "/federation/credentials"], "{log}");
}

#[test]
fn an_expired_registration_means_aws_sso_login() {
    let fake = fake();
    let (home, _) = home_with_expired_token("sso-refresh-lapsed", "2001-01-02T00:00:00Z");
    let out = get_token(&kubecred_path(), &home, &fake);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("aws sso login --profile sso"), "{err}");
    assert!(!err.contains(REFRESH_TOKEN) && !err.contains("client-secret-value"), "{err}");
}

#[test]
fn the_aws_cli_refreshes_the_same_way() {
    if !std::process::Command::new("aws").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: the aws CLI is not installed");
        return;
    }
    let fake = fake();
    let mut documents = Vec::new();
    for program in [kubecred_path(), PathBuf::from("aws")] {
        let (home, cache) = home_with_expired_token("sso-refresh-both", "2099-01-01T00:00:00Z");
        let out = get_token(&program, &home, &fake);
        assert!(out.status.success(), "{}: {}", program.display(), stderr(&out));
        let mut doc = cache_document(&cache);
        doc.as_object_mut().unwrap().remove("expiresAt");
        documents.push(doc);
    }
    assert_eq!(documents[0], documents[1]);
}
