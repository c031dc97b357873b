//! EC2 instance metadata (IMDS), version 2 first.
//!
//! `PUT /latest/api/token` (TTL header) for a session token, then
//! `GET /latest/meta-data/iam/security-credentials/` for the role name, then
//! the role's credentials, each GET carrying the token. As botocore decides:
//! when the PUT is answered 403, 404 or 405, or times out after connecting,
//! kubecred falls back to IMDSv1 (no token) unless `AWS_EC2_METADATA_V1_DISABLED`;
//! a 400 is an error. Unlike botocore it does not try IMDSv1 after a failed
//! connection: nothing listens, and a second wait would only slow a laptop down.
//!
//! `AWS_EC2_METADATA_DISABLED=true` switches it off;
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or `..._ENDPOINT_MODE=IPv6`) moves it.
//! Requests use [`Route::Metadata`]: no proxy, short timeouts.

use crate::aws::credentials::Credentials;
use crate::aws::providers::{cached_credentials, credentials_from_json};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http::{self, Request, Route, metadata};

const TOKEN_PATH: &str = "latest/api/token";
const ROLES_PATH: &str = "latest/meta-data/iam/security-credentials/";
const TOKEN_TTL_SECONDS: &str = "21600";

/// Why IMDS yielded nothing, for the "tried" list.
pub enum Outcome {
    Credentials(Credentials),
    Unavailable(String),
}

/// The endpoint IMDS calls go to.
pub fn base_url(env: &Env) -> String {
    if let Some(url) = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
        return url.trim_end_matches('/').to_string();
    }
    match env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
        Some(mode) if mode.eq_ignore_ascii_case("ipv6") => "http://[fd00:ec2::254]".into(),
        _ => "http://169.254.169.254".into(),
    }
}

/// The instance role's credentials, or why there are none. Errors are kept for
/// replies that show a metadata service is there but misbehaves.
pub fn load(env: &Env) -> Result<Outcome> {
    if env.is_true("AWS_EC2_METADATA_DISABLED") {
        return Ok(Outcome::Unavailable("disabled by AWS_EC2_METADATA_DISABLED".into()));
    }
    let base = base_url(env);
    let v1_disabled = env.is_true("AWS_EC2_METADATA_V1_DISABLED");
    let mut unavailable = None;
    let credentials = cached_credentials("aws-imds", &[&base], "instance-metadata", || {
        let token = match session_token(&base)? {
            Token::Granted(token) => Some(token),
            Token::UseV1 if !v1_disabled => None,
            Token::UseV1 => {
                return Err(Error::new(format!(
                    "instance metadata at {base}: no IMDSv2 token and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1"
                )));
            }
            Token::Unreachable(why) => {
                unavailable = Some(why);
                return Err(Error::new("unreachable"));
            }
        };
        let get = |path: &str| {
            let mut request = Request::new("GET", format!("{base}/{path}")).route(Route::Metadata);
            if let Some(token) = &token {
                request = request.header("x-aws-ec2-metadata-token", token.as_str());
            }
            http::send(&request).map_err(|e| e.context("instance metadata"))
        };
        let roles = get(ROLES_PATH)?;
        if roles.status == 404 {
            unavailable = Some(format!("{base}: no IAM role attached to the instance"));
            return Err(Error::new("no role"));
        }
        let role = roles.is_success().then(|| metadata::listed_role(&roles.body)).flatten();
        let Some(role) = role else {
            return Err(Error::new(format!(
                "instance metadata at {base}: listing roles answered HTTP {} without a role name",
                roles.status
            )));
        };
        let what = format!("instance metadata at {base}: credentials of role {role}");
        let reply = get(&format!("{ROLES_PATH}{role}"))?;
        if !reply.is_success() {
            return Err(Error::new(format!("{what}: HTTP {}", reply.status)));
        }
        let document = crate::json::parse(&reply.body, &what)?;
        if let Some(code) = document.get("Code").and_then(serde_json::Value::as_str).filter(|c| *c != "Success") {
            return Err(Error::new(format!("{what}: Code {code}")));
        }
        credentials_from_json(&document, "Token", true, &what, "instance-metadata")
    });
    match (credentials, unavailable) {
        (_, Some(why)) => Ok(Outcome::Unavailable(why)),
        (Ok(credentials), None) => Ok(Outcome::Credentials(credentials)),
        (Err(e), None) => Err(e),
    }
}

enum Token {
    Granted(String),
    UseV1,
    Unreachable(String),
}

fn session_token(base: &str) -> Result<Token> {
    let request = Request::new("PUT", format!("{base}/{TOKEN_PATH}"))
        .header("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
        .route(Route::Metadata);
    let reply = match http::send(&request) {
        Ok(reply) => reply,
        // A reply that never comes after connecting is what a hop limit of 1
        // looks like from a container: botocore then tries IMDSv1.
        Err(e) if is_read_timeout(e.message()) => return Ok(Token::UseV1),
        Err(e) => return Ok(Token::Unreachable(e.message().to_string())),
    };
    match reply.status {
        200 => match metadata::session_token(&reply.body) {
            Some(token) => Ok(Token::Granted(token)),
            None if reply.body.trim_ascii().is_empty() => Ok(Token::UseV1),
            None => Err(Error::new(format!(
                "instance metadata at {base}: the IMDSv2 token reply is not a token ({} bytes)",
                reply.body.len()
            ))),
        },
        400 => Err(Error::new(format!("instance metadata at {base}: the token request was refused (HTTP 400)"))),
        // 403/404/405 mean "no IMDSv2 here"; botocore also falls back after other statuses.
        _ => Ok(Token::UseV1),
    }
}

fn is_read_timeout(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    lower.contains("timed out") && !lower.contains("connect")
}
