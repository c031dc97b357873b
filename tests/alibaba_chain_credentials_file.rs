//! The credentials file (`~/.alibabacloud/credentials`, or `--profile-file`) step
//! of the Alibaba Cloud credential chain, each `type`, in-process against fakes
//! that check the RPC signatures they receive.

mod alibaba_chain_support;
mod common;

use alibaba_chain_support::*;
use kubecred::alibaba::chain::ChainRequest;
use serde_json::json;

#[test]
fn every_type_of_section() {
    let mut world = World::new("ali-ini-types");
    world.start_sts(json!({
        "keys": {"LTAI-ini": {"secret": "source-secret", "token": null}},
        "oidc": {"provider_arn": OIDC_PROVIDER_ARN, "token": OIDC_TOKEN},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    world.start_metadata(json!({"mode": "v2", "roles": {"NodeRole": instance_credentials(FUTURE)},
        "static": {"/uri": {"body": {"Code": "Success", "AccessKeyId": "STS.uri", "AccessKeySecret": "u",
                                     "SecurityToken": "t", "Expiration": FUTURE}}}}));
    let token_file = world.home.write("token", OIDC_TOKEN);
    world.home.write(
        ".alibabacloud/credentials",
        &format!(
            "# kubecred test\n[default]\nenable = true\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = source-secret\n\n\
             [sts]\ntype = sts\naccess_key_id = STS.x\naccess_key_secret = y\nsecurity_token = \"z\"\n\
             [role]\ntype = ram_role_arn\naccess_key_id = LTAI-ini\naccess_key_secret = source-secret\n\
             role_arn = {ROLE_ARN}\nrole_session_name = ini-session\n\
             [ecs]\ntype = ecs_ram_role\nrole_name = NodeRole\n\
             [oidc]\ntype = oidc_role_arn\nrole_arn = {ROLE_ARN}\noidc_provider_arn = {OIDC_PROVIDER_ARN}\n\
             oidc_token_file_path = {}\nrole_session_name = ini-oidc\n\
             [uri]\ntype = credentials_uri\ncredentials_uri = {}/uri\n\
             [rsa]\ntype = rsa_key_pair\n",
            token_file.display(),
            world.metadata_url()
        ),
    );
    let section = |name: &str| world.resolve(&request(), &[("ALIBABA_CLOUD_PROFILE", name)]);
    let found = world.resolve(&request(), &[]).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("LTAI-ini", "credentials-file"));
    assert_eq!(section("sts").unwrap().security_token.as_ref().map(kubecred::secret::Secret::expose), Some("z"));
    assert_eq!(section("role").unwrap().access_key_id, "STS.role-key");
    assert_eq!(section("ecs").unwrap().access_key_id, "STS.instance-key");
    assert_eq!(section("oidc").unwrap().access_key_id, "STS.role-key");
    assert_eq!(section("uri").unwrap().access_key_id, "STS.uri");
    let err = section("rsa").unwrap_err();
    assert!(err.contains("[rsa]: type rsa_key_pair is not supported"), "{err}");
    let err = section("nope").unwrap_err();
    assert!(err.contains("credentials: no section [nope]"), "{err}");

    let log = world.sts_log();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|e| e["result"] == "ok"), "{log:?}");
    assert_eq!((log[0]["session"].as_str(), log[1]["session"].as_str()), (Some("ini-session"), Some("ini-oidc")));
}

#[test]
fn profile_file_ini_is_the_only_source() {
    let world = World::new("ali-ini-profile-file");
    world.home.write(
        ".aliyun/config.json",
        &json!({"current": "a", "profiles": [{"name": "a", "mode": "AK",
        "access_key_id": "LTAI-cli", "access_key_secret": "x"}]})
        .to_string(),
    );
    let path =
        world.home.write("my.ini", "[default]\ntype = access_key\naccess_key_id = LTAI-flag\naccess_key_secret = y\n");
    let flagged = ChainRequest { profile_file: Some(path), ..request() };
    let env_ak = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e")];
    assert_eq!(world.resolve(&flagged, &env_ak).unwrap().access_key_id, "LTAI-flag");
    let via_variable = world.home.join("my.ini");
    let found = world.resolve(&request(), &[("ACK_RAM_TOOL_PROFILE_FILE", via_variable.to_str().unwrap())]);
    assert_eq!(found.unwrap().access_key_id, "LTAI-flag");
    let missing = ChainRequest { profile_file: Some(world.home.join("missing.ini")), ..flagged };
    let err = world.resolve(&missing, &[]).unwrap_err();
    assert!(err.starts_with("credentials file ") && err.contains("missing.ini"), "{err}");
}
