//! What the Alibaba credential-chain tests share: a temporary HOME, the fake STS
//! and metadata services (tests/fakes/fake_alibaba_sts.py, fake_ecs_metadata.py)
//! and an [`Env`] that points every endpoint at loopback.
//!
//! The chain runs in-process (`kubecred::alibaba::chain::resolve`) with an Env
//! built here: STS goes to the fake or to a closed loopback port, and the
//! metadata service is switched off and pointed at a closed port unless a test
//! starts the fake one. Nothing can reach 100.100.100.200.
#![allow(dead_code)]

use crate::common::{Fake, TempDir, closed_port_url};
use kubecred::alibaba::chain::{self, ChainRequest};
use kubecred::alibaba::credentials::Credentials;
use kubecred::env::Env;
use serde_json::{Value, json};

pub const ROLE_ARN: &str = "acs:ram::1234567890123456:role/kube-admin";
pub const OIDC_PROVIDER_ARN: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";
pub const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-payload.sig";
pub const FUTURE: &str = "2099-01-01T00:00:00Z";
pub const PAST: &str = "2001-01-01T00:00:00Z";

/// The credentials STS hands out for [`ROLE_ARN`] unless a test says otherwise.
pub fn role_credentials(expiration: &str) -> Value {
    json!({"AccessKeyId": "STS.role-key", "AccessKeySecret": "role-secret",
           "SecurityToken": "role-security-token", "Expiration": expiration})
}

/// Instance-role credentials as the metadata service returns them.
pub fn instance_credentials(expiration: &str) -> Value {
    json!({"Code": "Success", "AccessKeyId": "STS.instance-key", "AccessKeySecret": "instance-secret",
           "SecurityToken": "instance-token", "Expiration": expiration, "LastUpdated": "2024-01-01T00:00:00Z"})
}

pub struct World {
    pub home: TempDir,
    sts: Option<Fake>,
    metadata: Option<Fake>,
    closed: String,
}

impl World {
    pub fn new(label: &str) -> World {
        World { home: TempDir::new(label), sts: None, metadata: None, closed: closed_port_url() }
    }

    /// Starts the fake STS with `config` (its request log is added).
    pub fn start_sts(&mut self, mut config: Value) {
        config["log"] = json!(self.home.join("sts.jsonl"));
        let path = self.home.write("sts-config.json", &config.to_string());
        self.sts = Some(Fake::start("fake_alibaba_sts.py", &[path.to_str().unwrap()]));
    }

    /// Starts the fake metadata service with `config`, and turns the metadata source on.
    pub fn start_metadata(&mut self, mut config: Value) {
        config["log"] = json!(self.home.join("metadata.jsonl"));
        let path = self.home.write("metadata-config.json", &config.to_string());
        self.metadata = Some(Fake::start("fake_ecs_metadata.py", &[path.to_str().unwrap()]));
    }

    pub fn sts_url(&self) -> String {
        self.sts.as_ref().map_or_else(|| self.closed.clone(), |f| f.url("http"))
    }

    pub fn metadata_url(&self) -> String {
        self.metadata.as_ref().map_or_else(|| self.closed.clone(), |f| f.url("http"))
    }

    /// HOME, loopback endpoints, metadata off unless its fake runs; then `extra`
    /// (an empty value unsets a default).
    pub fn env(&self, extra: &[(&str, &str)]) -> Env {
        let home = self.home.path().to_str().unwrap().to_string();
        let mut pairs: Vec<(String, String)> = vec![
            ("HOME".into(), home),
            ("ALIBABA_CLOUD_STS_ENDPOINT".into(), self.sts_url()),
            ("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT".into(), self.metadata_url()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED".into(), if self.metadata.is_some() { "" } else { "true" }.into()),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Env::from_pairs(&refs)
    }

    pub fn resolve(&self, request: &ChainRequest, extra: &[(&str, &str)]) -> Result<Credentials, String> {
        chain::resolve(request, &self.env(extra)).map_err(|e| e.message().to_string())
    }

    pub fn sts_log(&self) -> Vec<Value> {
        read_log(&self.home.join("sts.jsonl"))
    }

    pub fn metadata_log(&self) -> Vec<Value> {
        read_log(&self.home.join("metadata.jsonl"))
    }
}

fn read_log(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).expect("log line is JSON"))
        .collect()
}

/// A request for region cn-hangzhou and nothing else set.
pub fn request() -> ChainRequest {
    ChainRequest { region_id: "cn-hangzhou".into(), ..ChainRequest::default() }
}

/// Asserts that no secret of these tests appears in `message`.
pub fn assert_no_secrets(message: &str) {
    for secret in ["role-secret", "role-security-token", "source-secret", "source-token", "instance-secret", OIDC_TOKEN]
    {
        assert!(!message.contains(secret), "secret {secret:?} in message: {message}");
    }
}
