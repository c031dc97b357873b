//! The aliyun CLI config (`~/.aliyun/config.json`) step of the Alibaba Cloud
//! credential chain, every mode, in-process against fakes that check the RPC
//! signatures they receive.

mod alibaba_chain_support;
mod common;

use alibaba_chain_support::*;
use kubecred::alibaba::chain::{self, ChainRequest};
use serde_json::{Value, json};

fn write_config(world: &World, current: &str, profiles: Value) -> std::path::PathBuf {
    world
        .home
        .write(".aliyun/config.json", &json!({"current": current, "profiles": profiles, "meta_path": ""}).to_string())
}

fn ak(name: &str, id: &str, secret: &str) -> Value {
    json!({"name": name, "mode": "AK", "access_key_id": id, "access_key_secret": secret, "region_id": "cn-beijing"})
}

#[test]
fn current_profile_profile_name_and_alibaba_cloud_profile() {
    let world = World::new("ali-cli-select");
    write_config(&world, "b", json!([ak("a", "LTAI-a", "x"), ak("b", "LTAI-b", "y"), ak("c", "LTAI-c", "z")]));
    assert_eq!(world.resolve(&request(), &[]).unwrap().access_key_id, "LTAI-b");
    let named = ChainRequest { profile_name: Some("a".into()), ..request() };
    assert_eq!(world.resolve(&named, &[("ALIBABA_CLOUD_PROFILE", "c")]).unwrap().access_key_id, "LTAI-a");
    assert_eq!(world.resolve(&request(), &[("ALIBABA_CLOUD_PROFILE", "c")]).unwrap().access_key_id, "LTAI-c");
    assert_eq!(world.resolve(&request(), &[]).unwrap().source, "aliyun-cli");
    // The environment comes first...
    let env_ak = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e")];
    assert_eq!(world.resolve(&request(), &env_ak).unwrap().access_key_id, "LTAI-env");
    // ...unless ignored.
    let ignore = ChainRequest { ignore_env_credentials: true, ..request() };
    assert_eq!(world.resolve(&ignore, &env_ak).unwrap().access_key_id, "LTAI-b");
    // An unknown profile is an error, not a fall-through.
    let unknown = ChainRequest { profile_name: Some("nope".into()), ..request() };
    let err = world.resolve(&unknown, &[]).unwrap_err();
    assert!(err.contains("config.json: no profile named \"nope\""), "{err}");
    // The profile's region is offered to the command.
    let region = chain::profile_region(&request(), &world.env(&[])).unwrap();
    assert_eq!(region.as_deref(), Some("cn-beijing"));
}

#[test]
fn ignore_aliyun_cli_credentials_moves_on_to_the_credentials_file() {
    let world = World::new("ali-cli-ignore");
    write_config(&world, "default", json!([ak("default", "LTAI-cli", "x")]));
    world.home.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = y\n",
    );
    let ignore = ChainRequest { ignore_aliyun_cli_credentials: true, ..request() };
    let found = world.resolve(&ignore, &[]).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("LTAI-ini", "credentials-file"));
    assert_eq!(
        world.resolve(&request(), &[("ACK_RAM_TOOL_IGNORE_ALIYUN_CLI_CREDENTIALS", "1")]).unwrap().access_key_id,
        "LTAI-ini"
    );
}

#[test]
fn unconfigured_current_profile_is_an_error() {
    let world = World::new("ali-cli-unconfigured");
    write_config(&world, "default", json!([{"name": "default", "mode": ""}]));
    let err = world.resolve(&request(), &[]).unwrap_err();
    assert!(err.contains("profile \"default\": no mode: the profile is not configured yet"), "{err}");
    world.home.write(".aliyun/config.json", "{not json");
    let err = world.resolve(&request(), &[]).unwrap_err();
    assert!(err.contains("config.json: not valid JSON"), "{err}");
}

#[test]
fn sts_token_ram_role_arn_and_chainable_profiles() {
    let mut world = World::new("ali-cli-roles");
    let second_role = "acs:ram::1234567890123456:role/second";
    world.start_sts(json!({
        "keys": {
            "LTAI-source": {"secret": "source-secret", "token": null},
            "STS.src": {"secret": "source-secret", "token": "source-token"},
            "STS.role-key": {"secret": "role-secret", "token": "role-security-token"},
        },
        "roles": {
            ROLE_ARN: role_credentials(FUTURE),
            second_role: {"AccessKeyId": "STS.second", "AccessKeySecret": "second-secret",
                          "SecurityToken": "second-token", "Expiration": FUTURE},
        },
    }));
    write_config(
        &world,
        "role",
        json!([
            ak("base", "LTAI-source", "source-secret"),
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.src", "access_key_secret": "source-secret",
             "sts_token": "source-token"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-source", "access_key_secret": "source-secret",
             "ram_role_arn": ROLE_ARN, "ram_session_name": "cli-session", "expired_seconds": 900, "external_id": "ext-1"},
            {"name": "role-with-token", "mode": "RamRoleArn", "access_key_id": "STS.src", "access_key_secret": "source-secret",
             "sts_token": "source-token", "ram_role_arn": ROLE_ARN, "ram_session_name": "s2"},
            {"name": "chain1", "mode": "ChainableRamRoleArn", "source_profile": "sts", "ram_role_arn": ROLE_ARN,
             "ram_session_name": "c1"},
            {"name": "chain2", "mode": "ChainableRamRoleArn", "source_profile": "chain1", "ram_role_arn": second_role,
             "ram_session_name": "c2"},
            {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": ROLE_ARN},
        ]),
    );

    let found = world.resolve(&request(), &[]).unwrap();
    assert_eq!((found.access_key_id.as_str(), found.source), ("STS.role-key", "assume-role"));
    let sts = world.resolve(&ChainRequest { profile_name: Some("sts".into()), ..request() }, &[]).unwrap();
    assert_eq!(sts.security_token.as_ref().map(kubecred::secret::Secret::expose), Some("source-token"));
    let with_token = world.resolve(&ChainRequest { profile_name: Some("role-with-token".into()), ..request() }, &[]);
    assert_eq!(with_token.unwrap().access_key_id, "STS.role-key");
    let chained = world.resolve(&ChainRequest { profile_name: Some("chain2".into()), ..request() }, &[]).unwrap();
    assert_eq!(chained.access_key_id, "STS.second");

    let log = world.sts_log();
    assert!(log.iter().all(|entry| entry["result"] == "ok"), "{log:?}");
    let first = &log[0];
    assert_eq!((first["session"].as_str(), first["duration"].as_str()), (Some("cli-session"), Some("900")));
    assert_eq!(first["external_id"], "ext-1");
    // chain2 = AssumeRole(second) signed with the credentials of AssumeRole(ROLE_ARN) signed with "sts".
    let keys: Vec<&str> = log.iter().filter_map(|e| e["key"].as_str()).collect();
    assert_eq!(keys, ["LTAI-source", "STS.src", "STS.src", "STS.role-key"]);

    let err = world.resolve(&ChainRequest { profile_name: Some("loop".into()), ..request() }, &[]).unwrap_err();
    assert!(err.contains("nest too deeply"), "{err}");
}

#[test]
fn ecs_ram_role_and_ram_role_arn_with_role_name() {
    let mut world = World::new("ali-cli-ecs");
    world.start_metadata(json!({"mode": "v2", "token": "tok", "roles": {"NodeRole": instance_credentials(FUTURE)}}));
    world.start_sts(json!({
        "keys": {"STS.instance-key": {"secret": "instance-secret", "token": "instance-token"}},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    write_config(
        &world,
        "ecs",
        json!([
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": ""},
            {"name": "ecs-role", "mode": "RamRoleArnWithRoleName", "ram_role_name": "NodeRole", "ram_role_arn": ROLE_ARN,
             "ram_session_name": "from-ecs"},
        ]),
    );
    let found = world.resolve(&request(), &[]).unwrap();
    assert_eq!(found.access_key_id, "STS.instance-key");
    let paths: Vec<String> = world
        .metadata_log()
        .iter()
        .map(|e| format!("{} {}", e["method"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        paths[..3],
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/",
            "GET /latest/meta-data/ram/security-credentials/NodeRole"
        ]
    );
    let assumed = world.resolve(&ChainRequest { profile_name: Some("ecs-role".into()), ..request() }, &[]).unwrap();
    assert_eq!(assumed.access_key_id, "STS.role-key");
    assert_eq!(world.sts_log()[0]["result"], "ok");
}

#[test]
fn credentials_uri_oidc_and_external_profiles() {
    let mut world = World::new("ali-cli-misc");
    world.start_sts(json!({
        "oidc": {"provider_arn": OIDC_PROVIDER_ARN, "token": OIDC_TOKEN},
        "roles": {ROLE_ARN: role_credentials(FUTURE)},
    }));
    world.start_metadata(json!({"static": {"/uri": {"body": {"Code": "Success", "AccessKeyId": "STS.uri",
        "AccessKeySecret": "u", "SecurityToken": "t", "Expiration": FUTURE}}}}));
    let token_file = world.home.write("oidc-token", OIDC_TOKEN);
    let program = world.home.write(
        "external.py",
        "import json\nprint('some banner')\nprint(json.dumps({'mode': 'StsToken', 'access_key_id': 'STS.ext', \
         'access_key_secret': 'e', 'sts_token': 'et'}))\n",
    );
    let failing = world.home.write("fail.py", "import sys\nsys.exit(3)\n");
    write_config(
        &world,
        "uri",
        json!([
            {"name": "uri", "mode": "CredentialsURI", "credentials_uri": format!("{}/uri", world.metadata_url())},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": ROLE_ARN, "oidc_provider_arn": OIDC_PROVIDER_ARN,
             "oidc_token_file": token_file, "ram_session_name": "cli-oidc"},
            {"name": "ext", "mode": "External", "process_command": format!("python3 {}", program.display())},
            {"name": "ext-fail", "mode": "External", "process_command": format!("python3 {}", failing.display())},
        ]),
    );
    let profile = |name: &str| ChainRequest { profile_name: Some(name.into()), ..request() };
    assert_eq!(world.resolve(&request(), &[]).unwrap().access_key_id, "STS.uri");
    let oidc = world.resolve(&profile("oidc"), &[]).unwrap();
    assert_eq!(oidc.access_key_id, "STS.role-key");
    assert_eq!(world.sts_log()[0]["session"], "cli-oidc");
    let ext = world.resolve(&profile("ext"), &[]).unwrap();
    assert_eq!(
        (ext.access_key_id.as_str(), ext.security_token.as_ref().map(kubecred::secret::Secret::expose)),
        ("STS.ext", Some("et"))
    );
    let err = world.resolve(&profile("ext-fail"), &[]).unwrap_err();
    assert!(err.contains("process_command python3 failed (exit status: 3)"), "{err}");
}

#[test]
fn profile_file_json_is_an_aliyun_cli_config_and_skips_the_environment() {
    let world = World::new("ali-cli-profile-file");
    let path = world
        .home
        .write("elsewhere/aliyun.json", &json!({"current": "x", "profiles": [ak("x", "LTAI-file", "s")]}).to_string());
    let request = ChainRequest { profile_file: Some(path), ..request() };
    let env_ak = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e")];
    assert_eq!(world.resolve(&request, &env_ak).unwrap().access_key_id, "LTAI-file");
    let missing = ChainRequest { profile_file: Some(world.home.join("missing.json")), ..request };
    let err = world.resolve(&missing, &[]).unwrap_err();
    assert!(err.contains("missing.json") && err.contains("No such file"), "{err}");
}
