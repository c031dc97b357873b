//! `kubecred ack ...`: what `ack-ram-tool credential-plugin` does.

use crate::alibaba::ack_token;
use crate::alibaba::chain::{self, ChainRequest};
use crate::cli::common::{print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::exec_credential::{ApiVersion, ExecCredential};
use crate::time::Timestamp;
use std::ffi::OsString;

const USAGE: &str = "\
Usage: kubecred ack get-token -c CLUSTER_ID [flags]

Prints an ExecCredential with an ACK token (k8s-ack-v2) for the cluster.

Flags:
  -c, --cluster-id ID              cluster id (required)
      --api-version v1|v1beta1     ExecCredential version (KUBERNETES_EXEC_INFO wins; default v1beta1)
      --region-id ID               region for STS calls (default cn-hangzhou)
      --profile-file PATH          aliyun CLI config.json, or a credentials file
      --profile-name NAME          aliyun CLI profile
      --ignore-env-credentials     skip credentials in the environment
      --ignore-aliyun-cli-credentials
                                   skip the aliyun CLI config
      --credential-type TYPE       auto (the chain), imds or ecs-role (the ECS instance role only)
      --role-arn ARN               assume this RAM role with the credentials found
      --log-level info|debug|error log level on stderr (no secrets at any level)
  -y, --assume-yes                 accepted for ack-ram-tool compatibility
";

/// The flags every `kubecred ack` command takes.
#[derive(Debug, Default)]
pub struct AckArgs {
    pub cluster_id: Option<String>,
    pub api_version: Option<ApiVersion>,
    pub chain: ChainRequest,
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some("get-token") => {
            let Some(parsed) = parse(rest, "kubecred ack get-token")? else { return print_stdout(USAGE) };
            print_stdout(&get_token(&parsed, &Env::from_process(), Timestamp::now())?)
        }
        Some(cmd @ ("get-credential" | "get-kubeconfig")) => {
            Err(Error::usage(format!("kubecred ack {cmd}: not available in this build yet (get-token is)")))
        }
        Some("--help" | "-h" | "help") | None => print_stdout(USAGE),
        Some(other) => Err(Error::usage(format!(
            "kubecred ack: unknown command {other:?} (get-token, get-credential, get-kubeconfig)"
        ))),
    }
}

/// Parses the flags; `None` when help was asked for.
pub fn parse(args: Vec<OsString>, command: &str) -> Result<Option<AckArgs>> {
    let mut parsed = AckArgs {
        chain: ChainRequest { region_id: "cn-hangzhou".into(), ..ChainRequest::default() },
        ..AckArgs::default()
    };
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Short('c') => "cluster-id".to_string(),
            lexopt::Arg::Short('y') => "assume-yes".to_string(),
            lexopt::Arg::Short('h') => return Ok(None),
            lexopt::Arg::Long(name) => name.to_string(),
            other => return Err(unexpected(other, command)),
        };
        let mut value = |flag: &str| string_value(&mut parser, flag);
        match name.as_str() {
            "cluster-id" => parsed.cluster_id = Some(value("--cluster-id")?),
            "api-version" => {
                let text = value("--api-version")?;
                parsed.api_version = Some(ApiVersion::parse(&text).map_err(|e| Error::usage(e.message().to_string()))?);
            }
            "region-id" => parsed.chain.region_id = value("--region-id")?,
            "profile-file" => parsed.chain.profile_file = Some(value("--profile-file")?.into()),
            "profile-name" => parsed.chain.profile_name = Some(value("--profile-name")?),
            "ignore-env-credentials" => parsed.chain.ignore_env_credentials = true,
            "ignore-aliyun-cli-credentials" => parsed.chain.ignore_aliyun_cli_credentials = true,
            "credential-type" => parsed.chain.credential_type = Some(value("--credential-type")?),
            "role-arn" => parsed.chain.role_arn = Some(value("--role-arn")?),
            "log-level" => set_log_level(&value("--log-level")?)?,
            "assume-yes" => {}
            "help" => return Ok(None),
            _ => return Err(unknown_flag(&name, command)),
        }
    }
    if parsed.cluster_id.as_deref().is_none_or(str::is_empty) {
        return Err(Error::usage(format!("{command}: --cluster-id (-c) is required")));
    }
    Ok(Some(parsed))
}

fn set_log_level(level: &str) -> Result<()> {
    let level = match level {
        "debug" => crate::log::Level::Debug,
        "info" => crate::log::Level::Info,
        "error" => crate::log::Level::Error,
        other => return Err(Error::usage(format!("--log-level: expected info, debug or error, got {other:?}"))),
    };
    crate::log::set_level(level);
    Ok(())
}

/// The ExecCredential as ack-ram-tool prints it: JSON indented one space.
pub fn get_token(args: &AckArgs, env: &Env, now: Timestamp) -> Result<String> {
    let cluster_id = args.cluster_id.as_deref().unwrap_or_default();
    let api_version = ApiVersion::from_env()?.or(args.api_version).unwrap_or(ApiVersion::V1Beta1);
    let credentials = chain::resolve(&args.chain, env)?;
    crate::debug!("credentials from {}", credentials.source);
    let credential = ExecCredential {
        api_version,
        spec_interactive: Some(false),
        expiration: Some(ack_token::token_expiration(&credentials, now)),
        token: Some(ack_token::ack_token(&credentials, cluster_id, now)),
        client_certificate_data: None,
        client_key_data: None,
    };
    Ok(format!("{}\n", crate::json::to_string(&credential.to_value(), 1)))
}
