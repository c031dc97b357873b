//! The RAM role of an ECS instance, from the instance metadata service.
//!
//! Metadata v2 first: `PUT /latest/api/token` with
//! `X-aliyun-ecs-metadata-token-ttl-seconds`, then every GET carries
//! `X-aliyun-ecs-metadata-token`. When the token cannot be had, v1 (no token) is
//! tried, unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true` (then the failure is final);
//! `ALIBABA_CLOUD_IMDSV2_DISABLED=true` (ack-ram-tool's switch) skips the token.
//! The role is `ALIBABA_CLOUD_ECS_METADATA` or the profile's, else the one listed
//! at `/latest/meta-data/ram/security-credentials/`.
//! `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` switches all of this off.

use crate::alibaba::credentials::Credentials;
use crate::alibaba::endpoint;
use crate::alibaba::providers;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http::{self, Route, metadata};
use serde_json::Value;

const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/ram/security-credentials/";
/// Six hours, the longest the service grants and what the credentials SDKs ask for.
const TOKEN_TTL_SECONDS: &str = "21600";

/// True when `ALIBABA_CLOUD_ECS_METADATA_DISABLED` switches the metadata service off.
pub fn disabled(env: &Env) -> bool {
    env.is_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
}

/// The role's credentials; `role_name` `None` (or empty) means: ask the service which role.
pub fn credentials(env: &Env, role_name: Option<&str>) -> Result<Credentials> {
    if disabled(env) {
        return Err(Error::new(
            "ECS instance RAM role: metadata service disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED",
        ));
    }
    let base = endpoint::metadata_url(env);
    let named = role_name.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let role_key = named.clone().unwrap_or_default();
    providers::cached("alibaba-ecs-metadata", &[base.as_str(), role_key.as_str()], "ecs-metadata", || {
        let client = Client::new(env, base.clone())?;
        let role = match &named {
            Some(role) => role.clone(),
            None => client.discover_role()?,
        };
        client.role_credentials(&role)
    })
}

struct Client {
    base: String,
    token: Option<String>,
}

impl Client {
    fn new(env: &Env, base: String) -> Result<Client> {
        let token = if env.is_true("ALIBABA_CLOUD_IMDSV2_DISABLED") {
            None
        } else {
            match fetch_token(&base) {
                Ok(token) => Some(token),
                Err(e) if env.is_true("ALIBABA_CLOUD_IMDSV1_DISABLED") => {
                    return Err(e.context("ECS metadata token (v1 disabled by ALIBABA_CLOUD_IMDSV1_DISABLED)"));
                }
                Err(e) => {
                    crate::debug!("ECS metadata token: {e}; trying metadata v1");
                    None
                }
            }
        };
        Ok(Client { base, token })
    }

    fn get(&self, path: &str) -> Result<http::Response> {
        let mut request = http::Request::new("GET", format!("{}{path}", self.base)).route(Route::Metadata);
        if let Some(token) = &self.token {
            request = request.header("X-aliyun-ecs-metadata-token", token.as_str());
        }
        http::send(&request).map_err(|e| e.context("ECS instance RAM role: metadata"))
    }

    fn discover_role(&self) -> Result<String> {
        let response = self.get(ROLES_PATH)?;
        let host = http::host_of(&self.base);
        if response.status == 404 {
            return Err(Error::new(format!(
                "ECS instance RAM role: no RAM role is attached to this instance ({host})"
            )));
        }
        if !response.is_success() {
            return Err(Error::new(format!(
                "ECS instance RAM role: listing roles at {host}: HTTP {}",
                response.status
            )));
        }
        let Some(role) = metadata::listed_role(&response.body) else {
            return Err(Error::new(format!("ECS instance RAM role: metadata at {host} listed no usable role name")));
        };
        crate::debug!("ECS instance RAM role: using role {role}");
        Ok(role)
    }

    fn role_credentials(&self, role: &str) -> Result<Credentials> {
        let what = format!("ECS instance RAM role {role} (metadata at {})", http::host_of(&self.base));
        let path = format!("{ROLES_PATH}{}", crate::encoding::uri_encode(role, false));
        let response = self.get(&path)?;
        if !response.is_success() {
            return Err(Error::new(format!("{what}: HTTP {}", response.status)));
        }
        let reply = crate::json::parse(&response.body, &what)?;
        match reply.get("Code").and_then(Value::as_str) {
            Some("Success") => {}
            Some(code) => return Err(Error::new(format!("{what}: Code is {code:?}, not \"Success\""))),
            None => return Err(Error::new(format!("{what}: reply has no Code"))),
        }
        providers::parse_credentials(&reply, &what, "ecs-metadata", true)
    }
}

fn fetch_token(base: &str) -> Result<String> {
    let request = http::Request::new("PUT", format!("{base}{TOKEN_PATH}"))
        .header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
        .route(Route::Metadata);
    let response = http::send(&request)?;
    if !response.is_success() {
        return Err(Error::new(format!("HTTP {} from {}", response.status, http::host_of(base))));
    }
    metadata::session_token(&response.body)
        .ok_or_else(|| Error::new(format!("{} returned no usable token", http::host_of(base))))
}
