//! The environment step of the Alibaba Cloud credential chain, in-process,
//! against the fake STS (which checks every RPC signature it receives) and the
//! fake metadata service.

mod alibaba_chain_support;
mod common;

use alibaba_chain_support::*;
use kubecred::alibaba::chain::ChainRequest;
use serde_json::json;

#[test]
fn access_key_from_each_name_ack_ram_tool_reads() {
    let world = World::new("ali-env-names");
    for (id, secret, token) in [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_ACCESS_KEY_STS_TOKEN"),
        ("ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_SECURITY_TOKEN"),
        ("ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECURITY_TOKEN"),
    ] {
        let found = world.resolve(&request(), &[(id, "LTAI-env"), (secret, "env-secret")]).unwrap();
        assert_eq!(
            (found.access_key_id.as_str(), found.security_token.as_ref().map(kubecred::secret::Secret::expose)),
            ("LTAI-env", None),
            "{id}"
        );
        assert_eq!(found.source, "environment");
        let with_token = world.resolve(&request(), &[(id, "STS.env"), (secret, "s"), (token, "tok")]).unwrap();
        assert_eq!(with_token.security_token.as_ref().map(kubecred::secret::Secret::expose), Some("tok"), "{token}");
    }
}

#[test]
fn ignore_env_credentials_skips_the_environment() {
    let world = World::new("ali-env-ignore");
    let ignoring = ChainRequest { ignore_env_credentials: true, ..request() };
    let err =
        world.resolve(&ignoring, &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "a"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "b")]);
    let err = err.unwrap_err();
    assert!(err.starts_with("no Alibaba Cloud credentials found; tried: environment (ignored)"), "{err}");
    assert!(err.contains(".aliyun/config.json (missing)") && err.contains("ECS instance RAM role (disabled)"), "{err}");
    // ack-ram-tool's variable does the same as the flag.
    let err = world
        .resolve(
            &request(),
            &[
                ("ACK_RAM_TOOL_IGNORE_ENV_CREDENTIALS", "true"),
                ("ALICLOUD_ACCESS_KEY", "a"),
                ("ALICLOUD_SECRET_KEY", "b"),
            ],
        )
        .unwrap_err();
    assert!(err.contains("environment (ignored)"), "{err}");
}

#[test]
fn access_key_with_role_arn_assumes_the_role_with_a_valid_signature() {
    let mut world = World::new("ali-env-role");
    world.start_sts(json!({
        "keys": {"LTAI-source": {"secret": "source-secret", "token": null}},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    let found = world
        .resolve(
            &request(),
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-source"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "source-secret"),
                ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
                ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "env-session"),
            ],
        )
        .unwrap();
    assert_eq!(found.access_key_id, "STS.role-key");
    assert_eq!(found.security_token.as_ref().map(kubecred::secret::Secret::expose), Some("role-security-token"));
    assert_eq!(found.expiration.map(|t| t.to_rfc3339()).as_deref(), Some(FUTURE));
    let log = world.sts_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["result"], "ok", "{log:?}");
    assert_eq!((log[0]["action"].as_str(), log[0]["session"].as_str()), (Some("AssumeRole"), Some("env-session")));
    assert_eq!(log[0]["method"], "POST");
    // Laid out as the Go credentials SDK does: the API's parameters in the form body.
    assert_eq!(log[0]["body_names"], json!(["RoleArn", "RoleSessionName"]));
    assert_eq!(
        log[0]["query_names"],
        json!([
            "AccessKeyId",
            "Action",
            "Format",
            "Signature",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "Version"
        ])
    );
    assert_eq!(log[0]["content_type"], "application/x-www-form-urlencoded");
}

#[test]
fn security_token_in_the_environment_wins_over_role_arn() {
    // ack-ram-tool: AccessKey + token is used as it is, ALIBABA_CLOUD_ROLE_ARN notwithstanding.
    let world = World::new("ali-env-sts");
    let found = world
        .resolve(
            &request(),
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.k"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"),
                ("ALIBABA_CLOUD_SECURITY_TOKEN", "t"),
                ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
            ],
        )
        .unwrap();
    assert_eq!(found.access_key_id, "STS.k");
}

#[test]
fn rrsa_oidc_variables_call_assume_role_with_oidc() {
    let mut world = World::new("ali-env-oidc");
    world.start_sts(json!({
        "oidc": {"provider_arn": OIDC_PROVIDER_ARN, "token": OIDC_TOKEN},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    let token_file = world.home.write("var/run/secrets/tokens/oidc-token", &format!("{OIDC_TOKEN}\n"));
    let vars = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
        ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER_ARN),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.to_str().unwrap()),
    ];
    let found = world.resolve(&request(), &vars).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("STS.role-key", "oidc"));
    let log = world.sts_log();
    assert_eq!((log[0]["action"].as_str(), log[0]["result"].as_str()), (Some("AssumeRoleWithOIDC"), Some("ok")));
    assert_eq!(log[0]["session"], "kubecred");
    // The OIDC token travels in the body, never in the URL.
    assert_eq!(log[0]["query_names"], json!(["Action", "Format", "Timestamp", "Version"]));
    assert_eq!(log[0]["body_names"], json!(["OIDCProviderArn", "OIDCToken", "RoleArn", "RoleSessionName"]));

    // A token STS refuses: one line, no token in it.
    std::fs::write(&token_file, "eyJ.wrong-token.x").unwrap();
    let err = world.resolve(&request(), &vars).unwrap_err();
    assert!(
        err.contains("AssumeRoleWithOIDC") && err.contains("HTTP 400 AuthenticationFail.OIDCToken.Invalid"),
        "{err}"
    );
    assert!(!err.contains("wrong-token"), "{err}");

    // A missing token file is named.
    let missing = world.home.join("nope");
    let err = world
        .resolve(&request(), &[vars[0], vars[1], ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", missing.to_str().unwrap())])
        .unwrap_err();
    assert!(err.contains("OIDC token file") && err.contains("nope"), "{err}");
}

#[test]
fn credentials_uri_variable() {
    let mut world = World::new("ali-env-uri");
    world.start_metadata(json!({"static": {
        "/creds": {"body": {"Code": "Success", "AccessKeyId": "STS.uri", "AccessKeySecret": "uri-secret",
                            "SecurityToken": "uri-token", "Expiration": FUTURE}},
        "/failing": {"body": {"Code": "Failed"}},
    }}));
    let uri = format!("{}/creds", world.metadata_url());
    let found = world.resolve(&request(), &[("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)]).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("STS.uri", "credentials-uri"));
    let failing = format!("{}/failing", world.metadata_url());
    let err = world.resolve(&request(), &[("ALIBABA_CLOUD_CREDENTIALS_URI", &failing)]).unwrap_err();
    assert!(err.contains("Code is \"Failed\""), "{err}");
}

#[test]
fn ecs_metadata_role_variable_uses_metadata_v2() {
    let mut world = World::new("ali-env-ecs");
    world.start_metadata(
        json!({"mode": "v2-required", "token": "tok-1", "roles": {"NodeRole": instance_credentials(FUTURE)}}),
    );
    let found = world.resolve(&request(), &[("ALIBABA_CLOUD_ECS_METADATA", "NodeRole")]).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("STS.instance-key", "ecs-metadata"));
    let log = world.metadata_log();
    assert_eq!(log[0]["method"], "PUT");
    assert_eq!(log[0]["ttl"], "21600");
    // The role was named: no listing, and the token came along.
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[1]["path"], "/latest/meta-data/ram/security-credentials/NodeRole");
    assert_eq!(log[1]["token"], "tok-1");
}

#[test]
fn credentials_file_variable_is_read_in_the_environment_step() {
    let world = World::new("ali-env-file");
    let file = world.home.write(
        "elsewhere/creds.ini",
        "[default]\ntype = access_key\naccess_key_id = LTAI-default\naccess_key_secret = x\n\
         [ci]\ntype = sts\naccess_key_id = STS.ci\naccess_key_secret = y\nsecurity_token = z\n",
    );
    let path = file.to_str().unwrap();
    let found = world.resolve(&request(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", path)]).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("LTAI-default", "credentials-file"));
    let found = world
        .resolve(&request(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", path), ("ALIBABA_CLOUD_PROFILE", "ci")])
        .unwrap();
    assert_eq!(found.security_token.as_ref().map(kubecred::secret::Secret::expose), Some("z"));
    // An unreadable file named here is passed over (as ack-ram-tool does).
    let err = world.resolve(&request(), &[("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent/x")]).unwrap_err();
    assert!(err.starts_with("no Alibaba Cloud credentials found"), "{err}");
}
