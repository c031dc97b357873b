//! kubecred's Alibaba Cloud RPC signer against signatures the official Python
//! SDKs computed (tests/data/alibaba-rpc/signatures.json, written by
//! scripts/alibaba-rpc-reference.py with aliyun-python-sdk-core and
//! alibabacloud-openapi-util for fixed keys, times and nonces).

mod alibaba_chain_support;
mod common;

use kubecred::alibaba::credentials::Credentials;
use kubecred::alibaba::rpc;
use kubecred::time::Timestamp;
use serde_json::Value;

fn fixtures() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/alibaba-rpc/signatures.json");
    serde_json::from_slice(&std::fs::read(path).expect("read fixtures")).expect("fixtures are JSON")
}

fn pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .expect("pairs")
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].as_str().unwrap().to_string()))
        .collect()
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key].as_str().unwrap_or_else(|| panic!("{key} in {case}"))
}

#[test]
fn canonical_string_and_signature_match_the_sdks() {
    let fixtures = fixtures();
    let cases = fixtures["canonical"].as_array().unwrap();
    assert!(cases.len() >= 3);
    for case in cases {
        let mut params = pairs(&case["params"]);
        // Order must not matter: the signer sorts.
        params.reverse();
        let string_to_sign = rpc::string_to_sign(text(case, "method"), &params);
        assert_eq!(string_to_sign, text(case, "string_to_sign"), "{}", text(case, "name"));
        assert_eq!(
            rpc::signature(&string_to_sign, text(case, "access_key_secret")),
            text(case, "signature"),
            "{}",
            text(case, "name")
        );
    }
}

#[test]
fn signed_requests_match_the_sdks() {
    let fixtures = fixtures();
    for case in fixtures["sign"].as_array().unwrap() {
        let name = text(case, "name");
        let credentials = Credentials {
            access_key_id: text(case, "access_key_id").to_string(),
            access_key_secret: text(case, "access_key_secret").into(),
            security_token: case["security_token"].as_str().map(kubecred::secret::Secret::from),
            expiration: None,
            source: "test",
        };
        let now = Timestamp::parse_rfc3339(text(case, "timestamp")).unwrap();
        let mut signed =
            rpc::sign(text(case, "method"), pairs(&case["params"]), &credentials, now, text(case, "nonce"));
        let signature = signed.iter().position(|(n, _)| n == "Signature").map(|at| signed.remove(at).1);
        assert_eq!(signature.as_deref(), Some(text(case, "signature")), "{name}");
        signed.sort();
        assert_eq!(signed, pairs(&case["signed_params"]), "{name}");
    }
}

/// The fake STS the chain tests rely on must itself agree with the official SDK:
/// it accepts what aliyun-python-sdk-core signs (GET and POST) and refuses a wrong secret.
#[test]
fn fake_sts_agrees_with_the_official_sdk() {
    use alibaba_chain_support::*;
    let mut world = World::new("ali-rpc-fake-check");
    world.start_sts(serde_json::json!({
        "keys": {"LTAI-sdk": {"secret": "sdk-secret", "token": null}},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    let host = world.sts_url().trim_start_matches("http://").to_string();
    let script = common::repo_root().join("tests/fakes/sdk_assume_role.py");
    let run = |secret: &str| {
        let output = std::process::Command::new("python3")
            .args([script.to_str().unwrap(), &host, "LTAI-sdk", secret, ROLE_ARN])
            .output()
            .expect("run python3");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert_eq!(run("sdk-secret"), "STS.role-key\nSTS.role-key\n");
    assert_eq!(run("not-the-secret"), "ERROR SignatureDoesNotMatch\nERROR SignatureDoesNotMatch\n");
}
