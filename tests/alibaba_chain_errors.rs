//! Failures of the Alibaba Cloud credential chain: bad and hostile STS replies,
//! expired credentials, metadata v1/v2 fallbacks, nothing found. Every error is
//! one line, names where, and carries no secret.

mod alibaba_chain_support;
mod common;

use alibaba_chain_support::*;
use kubecred::alibaba::chain::ChainRequest;
use serde_json::json;

const SOURCE: [(&str, &str); 3] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-source"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "source-secret"),
    ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
];

fn sts_world(label: &str, config: serde_json::Value) -> World {
    let mut world = World::new(label);
    world.start_sts(config);
    world
}

#[test]
fn wrong_secret_gets_signature_mismatch_without_the_echoed_token() {
    // A profile with a security token whose secret STS does not know: STS's
    // SignatureDoesNotMatch message echoes its string to sign, token included.
    let world = sts_world(
        "ali-err-sig",
        json!({
            "keys": {"STS.src": {"secret": "the-real-secret", "token": "source-token"}},
            "roles": {ROLE_ARN: role_credentials(FUTURE)},
        }),
    );
    world.home.write(
        ".aliyun/config.json",
        &json!({"current": "r", "profiles": [{"name": "r", "mode": "RamRoleArn",
        "access_key_id": "STS.src", "access_key_secret": "source-secret", "sts_token": "source-token",
        "ram_role_arn": ROLE_ARN, "ram_session_name": "ses"}]})
        .to_string(),
    );
    let err = world.resolve(&request(), &[]).unwrap_err();
    assert!(err.contains("STS AssumeRole for acs:ram::1234567890123456:role/kube-admin at 127.0.0.1:"), "{err}");
    assert!(err.contains("HTTP 400 SignatureDoesNotMatch") && err.contains("[string to sign omitted]"), "{err}");
    assert!(err.contains("aliyun CLI config") && err.contains("profile \"r\""), "{err}");
    assert!(!err.contains('\n'));
    assert_no_secrets(&err);
}

#[test]
fn sts_refusals_and_broken_replies_are_one_clear_line() {
    let world = sts_world("ali-err-role", json!({"keys": {"LTAI-source": {"secret": "source-secret", "token": null}}}));
    let err = world.resolve(&request(), &SOURCE).unwrap_err();
    assert!(err.contains("HTTP 403 NoPermission: You are not authorized to do this action."), "{err}");
    assert!(err.contains("(request id "), "{err}");

    for (status, content_type, body, expected) in [
        (
            502,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "HTTP 502, reply is not JSON (text/html)",
        ),
        (500, "text/plain", "", "HTTP 500 with an empty reply"),
        (200, "application/json", "{\"RequestId\":\"x\"}", "reply has no Credentials"),
        (
            200,
            "application/json",
            "{\"Credentials\":{\"AccessKeyId\":\"a\",\"AccessKeySecret\":\"b\"}}",
            "reply has no Expiration",
        ),
        (200, "text/html", "<html>captive portal</html>", "HTTP 200, reply is not JSON (text/html)"),
    ] {
        let world = sts_world(
            "ali-err-reply",
            json!({"force_reply": {"status": status, "content_type": content_type, "body": body}}),
        );
        let err = world.resolve(&request(), &SOURCE).unwrap_err();
        assert!(err.starts_with("environment: STS AssumeRole for "), "{err}");
        assert!(err.contains(expected), "{expected}: {err}");
        assert!(!err.contains("captive") && !err.contains("Bad Gateway"), "{err}");
    }
}

#[test]
fn expired_credentials_from_sts_are_refused() {
    let world = sts_world(
        "ali-err-expired",
        json!({
            "keys": {"LTAI-source": {"secret": "source-secret", "token": null}},
            "roles": {ROLE_ARN: role_credentials(PAST)},
        }),
    );
    let err = world.resolve(&request(), &SOURCE).unwrap_err();
    assert!(err.contains("the credentials returned expired at 2001-01-01T00:00:00Z"), "{err}");
    assert_no_secrets(&err);
}

#[test]
fn every_assume_role_call_has_a_fresh_nonce() {
    let world = sts_world(
        "ali-err-nonce",
        json!({
            "keys": {"LTAI-source": {"secret": "source-secret", "token": null}},
            "roles": {ROLE_ARN: role_credentials(FUTURE)},
        }),
    );
    // The fake refuses a nonce it has seen; distinct session names keep any cache out of the way.
    for session in ["one", "two", "three"] {
        let env = [SOURCE[0], SOURCE[1], SOURCE[2], ("ALIBABA_CLOUD_ROLE_SESSION_NAME", session)];
        world.resolve(&request(), &env).unwrap();
    }
    assert_eq!(world.sts_log().iter().filter(|e| e["result"] == "ok").count(), 3);
}

#[test]
fn unreachable_sts_and_role_arn_flag() {
    let world = World::new("ali-err-unreachable");
    let err = world.resolve(&request(), &SOURCE).unwrap_err();
    assert!(err.contains("request to 127.0.0.1:") && err.contains("failed"), "{err}");

    let mut world = World::new("ali-err-role-arn");
    world.start_sts(json!({
        "keys": {"LTAI-plain": {"secret": "source-secret", "token": null}},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    let flag = ChainRequest { role_arn: Some(ROLE_ARN.into()), ..request() };
    let plain = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-plain"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "source-secret")];
    let found = world.resolve(&flag, &plain).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("STS.role-key", "assume-role"));
    let other = ChainRequest { role_arn: Some("acs:ram::1:role/none".into()), ..request() };
    let err = world.resolve(&other, &plain).unwrap_err();
    assert!(
        err.starts_with("--role-arn: STS AssumeRole for acs:ram::1:role/none") && err.contains("NoPermission"),
        "{err}"
    );
}

#[test]
fn metadata_v1_fallback_and_imdsv1_disabled() {
    let mut world = World::new("ali-err-imds-v1");
    world.start_metadata(json!({"mode": "v1-only", "roles": {"NodeRole": instance_credentials(FUTURE)}}));
    let found = world.resolve(&request(), &[]).unwrap();
    assert_eq!(found.access_key_id, "STS.instance-key");
    assert!(world.metadata_log().iter().filter(|e| e["method"] == "GET").all(|e| e["token"].is_null()));
    let err = world
        .resolve(&request(), &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"), ("ALIBABA_CLOUD_ECS_METADATA", "NodeRole")]);
    let err = err.unwrap_err();
    assert!(err.contains("ECS metadata token (v1 disabled by ALIBABA_CLOUD_IMDSV1_DISABLED): HTTP 404"), "{err}");
}

#[test]
fn metadata_failures() {
    let mut world = World::new("ali-err-imds");
    world.start_metadata(json!({"mode": "v2", "roles": {
        "Expired": instance_credentials(PAST),
        "Broken": {"Code": "Failed"},
    }}));
    let err = world.resolve(&request(), &[("ALIBABA_CLOUD_ECS_METADATA", "Expired")]).unwrap_err();
    assert!(err.contains("ECS instance RAM role Expired (metadata at 127.0.0.1:"), "{err}");
    assert!(err.contains("): the credentials returned expired at 2001-01-01T00:00:00Z"), "{err}");
    let err = world.resolve(&request(), &[("ALIBABA_CLOUD_ECS_METADATA", "Broken")]).unwrap_err();
    assert!(err.contains("Code is \"Failed\""), "{err}");
    let err = world.resolve(&request(), &[("ALIBABA_CLOUD_ECS_METADATA", "Absent")]).unwrap_err();
    assert!(
        err.contains("ECS instance RAM role Absent (metadata at 127.0.0.1:") && err.contains("): HTTP 404"),
        "{err}"
    );
    // Switched off, the named role is an error rather than a request.
    let err = world.resolve(
        &request(),
        &[("ALIBABA_CLOUD_ECS_METADATA", "Absent"), ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")],
    );
    assert!(err.unwrap_err().contains("disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED"));

    let mut bare = World::new("ali-err-imds-none");
    bare.start_metadata(json!({"mode": "v2", "roles": {}}));
    let err = bare.resolve(&request(), &[]).unwrap_err();
    assert!(err.starts_with("no Alibaba Cloud credentials found; tried: environment, "), "{err}");
    assert!(err.contains("no RAM role is attached to this instance"), "{err}");
}

#[test]
fn credential_type_imds_goes_straight_to_the_instance_role() {
    let mut world = World::new("ali-err-imds-type");
    world.start_metadata(json!({"mode": "v2", "roles": {"NodeRole": instance_credentials(FUTURE)}}));
    let env_ak = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e")];
    let imds = ChainRequest { credential_type: Some("imds".into()), ..request() };
    assert_eq!(world.resolve(&imds, &env_ak).unwrap().access_key_id, "STS.instance-key");
    let variable = [env_ak[0], env_ak[1], ("ACK_RAM_TOOL_CREDENTIAL_TYPE", "ecs-role")];
    assert_eq!(world.resolve(&request(), &variable).unwrap().access_key_id, "STS.instance-key");
    let auto = ChainRequest { credential_type: Some("auto".into()), ..request() };
    assert_eq!(world.resolve(&auto, &env_ak).unwrap().access_key_id, "LTAI-env");
}
