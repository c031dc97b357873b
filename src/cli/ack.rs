//! `kubecred ack ...`: what `ack-ram-tool credential-plugin` does.

use crate::alibaba::chain::{self, ChainRequest};
use crate::alibaba::{ack_token, cert_cache, cs};
use crate::cli::common::{CacheFlags, print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::exec_credential::{ApiVersion, ExecCredential};
use crate::kube::kubeconfig;
use crate::time::Timestamp;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

const USAGE: &str = "\
Usage: kubecred ack get-token|get-credential|get-kubeconfig -c CLUSTER_ID [flags]

get-token prints an ExecCredential with an ACK token (k8s-ack-v2) for the cluster;
get-credential one with a client certificate from Container Service (cached);
get-kubeconfig the cluster's kubeconfig with users that run kubecred.

Run `kubecred ack COMMAND --help` for a command's flags.
";

/// The flags every `kubecred ack` command takes, for each command's help.
const COMMON_FLAGS: &str = "\
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
      --no-cache, --cache-dir DIR  kubecred's credential cache for role/STS/metadata credentials
";

/// The help of one `kubecred ack` command: what it does, its own flags, then the common ones.
fn command_usage(sub: &str) -> String {
    let (what, own) = match sub {
        "get-token" => ("Prints an ExecCredential with an ACK token (k8s-ack-v2) for the cluster.\n", ""),
        "get-credential" => (
            "Prints an ExecCredential with a client certificate from Container Service, cached in\n\
             ack-ram-tool's directory until max(20 %, 10 min) of its lifetime remains.\n",
            "      --expiration DURATION        certificate lifetime, 15m to 72h (default 3h0m0s; 0: long-lived)\n\
             \x20     --credential-cache-dir DIR   default ~/.kube/cache/ack-ram-tool/credential-plugin\n\
             \x20     --private-address            ask for the cluster's private API server address\n",
        ),
        _ => (
            "Prints the cluster's kubeconfig with users that run kubecred.\n",
            "  -m, --mode MODE                  cert|certificate (get-credential users, default) or token|ram-authenticator-token\n\
             \x20     --output-file PATH           write it there (0600, atomically) instead of printing it\n\
             \x20     --expiration, --credential-cache-dir, --private-address as for get-credential\n",
        ),
    };
    format!("Usage: kubecred ack {sub} -c CLUSTER_ID [flags]\n\n{what}\n{COMMON_FLAGS}{own}")
}

/// The flags every `kubecred ack` command takes.
#[derive(Debug, Default)]
pub struct AckArgs {
    pub cluster_id: Option<String>,
    pub api_version: Option<ApiVersion>,
    pub chain: ChainRequest,
    /// get-credential: the certificate's lifetime (`--expiration`, default 3h; 0: long-lived).
    pub expiration: Option<Duration>,
    pub cache_dir: Option<PathBuf>,
    pub private_address: bool,
    /// get-kubeconfig: `-m/--mode` and `--output-file`.
    pub mode: Option<String>,
    pub output_file: Option<PathBuf>,
    /// The global flags as given, to carry into the exec users get-kubeconfig writes.
    pub global_flags: Vec<String>,
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some("get-token") => {
            let Some(parsed) = parse(rest, "kubecred ack get-token")? else {
                return print_stdout(&command_usage("get-token"));
            };
            print_stdout(&get_token(&parsed, &Env::from_process(), Timestamp::now())?)
        }
        Some("get-credential") => {
            let Some(parsed) = parse(rest, "kubecred ack get-credential")? else {
                return print_stdout(&command_usage("get-credential"));
            };
            print_stdout(&get_credential(&parsed, &Env::from_process(), Timestamp::now())?)
        }
        Some("get-kubeconfig") => {
            let Some(parsed) = parse(rest, "kubecred ack get-kubeconfig")? else {
                return print_stdout(&command_usage("get-kubeconfig"));
            };
            super::ack_kubeconfig::get_kubeconfig(&parsed, &Env::from_process())
        }
        Some("--help" | "-h" | "help") => print_stdout(USAGE),
        None => Err(super::common::missing_subcommand("kubecred ack", "get-token, get-credential, get-kubeconfig")),
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
    let mut cache = CacheFlags::default();
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Short('c') => "cluster-id".to_string(),
            lexopt::Arg::Short('y') => "assume-yes".to_string(),
            lexopt::Arg::Short('m') => "mode".to_string(),
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
            "region-id" | "profile-file" | "profile-name" | "credential-type" | "role-arn" => {
                let given = value(&format!("--{name}"))?;
                parsed.global_flags.extend([format!("--{name}"), given.clone()]);
                match name.as_str() {
                    "region-id" => {
                        if !given.trim().is_empty() {
                            crate::alibaba::endpoint::check_region(given.trim(), "--region-id")
                                .map_err(|e| Error::usage(e.message().to_string()))?;
                        }
                        parsed.chain.region_id = given;
                    }
                    "profile-file" => parsed.chain.profile_file = Some(given.into()),
                    "profile-name" => parsed.chain.profile_name = Some(given),
                    "credential-type" => parsed.chain.credential_type = Some(given),
                    _ => parsed.chain.role_arn = Some(given),
                }
            }
            "ignore-env-credentials" => {
                parsed.chain.ignore_env_credentials = true;
                parsed.global_flags.push("--ignore-env-credentials".into());
            }
            "ignore-aliyun-cli-credentials" => {
                parsed.chain.ignore_aliyun_cli_credentials = true;
                parsed.global_flags.push("--ignore-aliyun-cli-credentials".into());
            }
            "mode" => parsed.mode = Some(value("--mode")?),
            "output-file" => parsed.output_file = Some(value("--output-file")?.into()),
            "log-level" => set_log_level(&value("--log-level")?)?,
            "expiration" => parsed.expiration = Some(crate::duration::parse(&value("--expiration")?)?),
            "credential-cache-dir" => parsed.cache_dir = Some(value("--credential-cache-dir")?.into()),
            "private-address" => parsed.private_address = true,
            "assume-yes" => {}
            "help" => return Ok(None),
            _ if cache.parse(&name, &mut parser)? => {}
            _ => return Err(unknown_flag(&name, command)),
        }
    }
    cache.apply();
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

/// The default and the bounds of `--expiration` (the API takes 15 to 4320 minutes).
const DEFAULT_CERTIFICATE_LIFETIME: Duration = Duration::from_secs(3 * 3600);
const CERTIFICATE_MINUTES: std::ops::RangeInclusive<u64> = 15..=4320;

/// A client-certificate ExecCredential, from the cache when fresh, else from
/// Container Service DescribeClusterUserKubeconfig.
pub fn get_credential(args: &AckArgs, env: &Env, now: Timestamp) -> Result<String> {
    certificate_minutes(args)?;
    let cluster_id = args.cluster_id.as_deref().unwrap_or_default();
    let requested = args.expiration.unwrap_or(DEFAULT_CERTIFICATE_LIFETIME);
    let api_version = ApiVersion::from_env()?.or(args.api_version).unwrap_or(ApiVersion::V1Beta1);
    let fetch = || -> Result<ExecCredential> {
        let (config, expiration, source) = cluster_kubeconfig(args, env)?;
        let (cert_pem, key_pem) = cs::client_certificate(&config, &source)?;
        let expiration = expiration.ok_or_else(|| Error::new(format!("{source}: the reply has no expiration")))?;
        Ok(ExecCredential {
            api_version,
            spec_interactive: Some(false),
            expiration: Some(expiration),
            token: None,
            client_certificate_data: Some(cert_pem),
            client_key_data: Some(key_pem),
        })
    };
    let dir = args.cache_dir.clone().or_else(|| env.home().map(|home| home.join(cert_cache::DEFAULT_DIR)));
    let Some(dir) = dir else {
        crate::debug!("certificate cache: no HOME and no --credential-cache-dir; not caching");
        return Ok(format!("{}\n", crate::json::to_string(&fetch()?.to_value(), 1)));
    };
    let profile_file = args.chain.profile_file.as_ref().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let is_cli_config = profile_file.ends_with(".json");
    let version_flag = match api_version {
        ApiVersion::V1 => "v1",
        ApiVersion::V1Beta1 => "v1beta1",
    };
    let key = cert_cache::CacheKey {
        cluster_id,
        api_version_flag: version_flag,
        role_arn: args.chain.role_arn.as_deref().unwrap_or_default(),
        profile_name: args.chain.profile_name.as_deref().unwrap_or_default(),
        credentials_file: if is_cli_config { "" } else { &profile_file },
        aliyun_cli_config: if is_cli_config { &profile_file } else { "" },
    };
    let wanted = cert_cache::Wanted { lifetime: requested, api_version };
    cert_cache::get_or_fetch(&cert_cache::file_path(&dir, &key), wanted, now, fetch)
}

/// `--expiration` as the API's TemporaryDurationMinutes (`None`: the long-lived certificate).
pub fn certificate_minutes(args: &AckArgs) -> Result<Option<u32>> {
    let requested = args.expiration.unwrap_or(DEFAULT_CERTIFICATE_LIFETIME);
    match requested.as_secs() / 60 {
        _ if requested.is_zero() => Ok(None),
        m if CERTIFICATE_MINUTES.contains(&m) => Ok(Some(m as u32)),
        _ => Err(Error::usage(format!(
            "--expiration: {} is outside 15m0s to 72h0m0s (or 0 for the long-lived certificate)",
            crate::duration::format(requested)
        ))),
    }
}

/// The cluster's kubeconfig from Container Service DescribeClusterUserKubeconfig,
/// the expiry of the certificate in it, and words naming it for errors.
pub fn cluster_kubeconfig(args: &AckArgs, env: &Env) -> Result<(kubeconfig::Kubeconfig, Option<Timestamp>, String)> {
    let cluster_id = args.cluster_id.as_deref().unwrap_or_default();
    let minutes = certificate_minutes(args)?;
    let credentials = chain::resolve(&args.chain, env)?;
    crate::debug!("credentials from {}", credentials.source);
    let reply = cs::describe_cluster_user_kubeconfig(
        &credentials,
        env,
        &args.chain.region_id,
        cluster_id,
        args.private_address,
        minutes,
    )?;
    let source = format!("the kubeconfig Container Service returned for cluster {cluster_id}");
    let config = kubeconfig::parse(&reply.config, &source)?;
    Ok((config, reply.expiration, source))
}
