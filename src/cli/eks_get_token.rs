//! `kubecred eks get-token`: an ExecCredential holding an EKS token.

use crate::aws::chain::{self, ChainRequest};
use crate::aws::sts_options::{self, StsOptions};
use crate::aws::{endpoint, region, sts, token};
use crate::cli::common::{CacheFlags, NetworkFlags, print_stdout, string_value, unexpected, unknown_flag};
use crate::cli::eks_exec_info;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::exec_credential::{ApiVersion, ExecCredential};
use crate::time::Timestamp;
use std::ffi::OsString;

const COMMAND: &str = "kubecred eks get-token";

const USAGE: &str = "\
Usage: kubecred eks get-token (--cluster-name NAME | --cluster-id ID) [flags]

Prints an ExecCredential with a bearer token for the EKS cluster NAME.

Flags:
  --cluster-name NAME       cluster name (this or --cluster-id is required)
  --cluster-id ID           cluster id instead of the name (EKS local clusters on Outposts)
  --region REGION           else AWS_REGION, AWS_DEFAULT_REGION, the profile's region
  --role-arn ARN            assume this role first (session name EKSGetTokenAuth)
  --session-name NAME       the session name for --role-arn
  --profile NAME            AWS profile (else AWS_DEFAULT_PROFILE, AWS_PROFILE, default)
  --output json|text        output format (default json)
  --debug                   log requests and chain decisions on stderr (no secrets)
  --ca-bundle PATH          PEM bundle of trust roots for AWS calls
  --cli-connect-timeout S   connect timeout in seconds (0: none)
  --cli-read-timeout S      read timeout in seconds (0: none)
  --no-cache                neither read nor write the credential cache
  --cache-dir DIR           credential cache directory (else KUBECRED_CACHE_DIR,
                            $XDG_CACHE_HOME/kubecred, ~/.kube/cache/kubecred)
";

/// Output formats of `aws eks get-token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Json,
    Text,
}

/// Everything the command line says.
#[derive(Debug, Default)]
pub struct GetTokenArgs {
    pub cluster_name: Option<String>,
    pub cluster_id: Option<String>,
    pub region: Option<String>,
    pub role_arn: Option<String>,
    pub profile: Option<String>,
    pub output: Option<Output>,
    pub debug: bool,
    /// With `--role-arn`: the session name (default `EKSGetTokenAuth`) and external id.
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    /// The region when nothing names one (aws-iam-authenticator uses us-east-1).
    pub default_region: Option<&'static str>,
    pub network: NetworkFlags,
    pub cache: CacheFlags,
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut parsed = GetTokenArgs::default();
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Long(name) => name.to_string(),
            lexopt::Arg::Short('h') => return print_stdout(USAGE),
            other => return Err(unexpected(other, COMMAND)),
        };
        let mut value = |flag: &str| string_value(&mut parser, flag);
        match name.as_str() {
            "cluster-name" => parsed.cluster_name = Some(value("--cluster-name")?),
            "cluster-id" => parsed.cluster_id = Some(value("--cluster-id")?),
            "region" => parsed.region = Some(value("--region")?),
            "role-arn" => parsed.role_arn = Some(value("--role-arn")?),
            "session-name" => parsed.role_session_name = Some(value("--session-name")?),
            "profile" => parsed.profile = Some(value("--profile")?),
            "output" => parsed.output = Some(parse_output(&value("--output")?)?),
            "debug" => parsed.debug = true,
            "help" => return print_stdout(USAGE),
            _ if parsed.network.parse(&name, &mut parser)? => {}
            _ if parsed.cache.parse(&name, &mut parser)? => {}
            _ => return Err(unknown_flag(&name, COMMAND)),
        }
    }
    let output = get_token(&parsed, &Env::from_process())?;
    print_stdout(&output)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

fn parse_output(text: &str) -> Result<Output> {
    match text {
        "json" => Ok(Output::Json),
        "text" => Ok(Output::Text),
        other => Err(Error::usage(format!("--output: expected json or text, got {other:?}"))),
    }
}

/// Resolves credentials and region, signs the token and renders the output in
/// the apiVersion the AWS CLI would answer `KUBERNETES_EXEC_INFO` with.
pub fn get_token(args: &GetTokenArgs, env: &Env) -> Result<String> {
    let exec_info = std::env::var("KUBERNETES_EXEC_INFO").ok();
    let discovered = eks_exec_info::discover(exec_info.as_deref());
    let credential = exec_credential(args, env, discovered.version)?;
    // As the AWS CLI: said once the token is made.
    if let Some(warning) = &discovered.warning {
        eprintln!("{warning}");
    }
    Ok(render(&credential, args.output.unwrap_or(Output::Json), discovered.label))
}

/// The ExecCredential for `args` in `api_version`, before any layout. The AWS
/// files are read once for the region, the STS options and the chain.
pub fn exec_credential(args: &GetTokenArgs, env: &Env, api_version: ApiVersion) -> Result<ExecCredential> {
    crate::aws::profile::session(|| exec_credential_in_session(args, env, api_version))
}

fn exec_credential_in_session(args: &GetTokenArgs, env: &Env, api_version: ApiVersion) -> Result<ExecCredential> {
    if args.debug {
        crate::log::set_level(crate::log::Level::Debug);
    }
    args.network.apply();
    args.cache.apply();
    // As the AWS CLI: the token is bound to exactly one of the two.
    let cluster_id = match (non_empty(&args.cluster_name), non_empty(&args.cluster_id)) {
        (Some(name), None) => name,
        (None, Some(id)) => id,
        (None, None) => return Err(Error::usage(format!("{COMMAND}: --cluster-name (or --cluster-id) is required"))),
        (Some(_), Some(_)) => {
            return Err(Error::usage(format!("{COMMAND}: give --cluster-name or --cluster-id, not both")));
        }
    };
    let profile = args.profile.clone();
    let mut request = ChainRequest { profile, region: None };
    // No region anywhere: the AWS CLI's STS client then uses the global
    // endpoint (sts.amazonaws.com, signed for us-east-1); so does kubecred.
    let region = match region::resolve_optional(args.region.as_deref(), env, &request)? {
        Some(region) => Some(region),
        None => args.default_region.map(str::to_string),
    };
    request.region = region.clone();
    let sts_options = sts_options(env, &request)?;
    sts_options::set_current(sts_options);
    let mut credentials = chain::resolve(&request, env)?;
    crate::debug!("credentials from {}", credentials.source);
    if let Some(role_arn) = &args.role_arn {
        let params = sts::AssumeRole {
            role_arn,
            session_name: args.role_session_name.as_deref().unwrap_or("EKSGetTokenAuth"),
            external_id: args.external_id.as_deref(),
            duration_seconds: None,
            region: region.as_deref().unwrap_or(endpoint::GLOBAL_STS_SIGNING_REGION),
            mfa: None,
        };
        credentials = sts::assume_role(&credentials, &params)?;
    }
    let now = Timestamp::now();
    let sts = match &region {
        Some(region) => endpoint::sts_token_endpoint(region, sts_options)?,
        None => endpoint::global_sts_token_endpoint(),
    };
    let token = token::eks_token(&credentials, &sts.signing_region, &sts.host, cluster_id, now);
    if token.len() > MAX_TOKEN_BYTES {
        eprintln!(
            "kubecred: warning: the token is {} bytes, more than the {MAX_TOKEN_BYTES} the EKS authenticator accepts (a long session token?); the cluster will likely refuse it",
            token.len()
        );
    }
    let expiration = token::token_expiration(&credentials, now);
    Ok(ExecCredential::token(api_version, token, expiration))
}

/// The longest token aws-iam-authenticator accepts.
const MAX_TOKEN_BYTES: usize = 4096;

/// FIPS, dual-stack and legacy-global settings: from the environment, else from
/// the selected profile (read only when some variable leaves a setting open).
fn sts_options(env: &Env, request: &ChainRequest) -> Result<StsOptions> {
    let all_in_env = ["AWS_STS_REGIONAL_ENDPOINTS", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"]
        .iter()
        .all(|name| env.get(name).is_some());
    let profile = if all_in_env { None } else { chain::selected_profile(request, env)? };
    StsOptions::resolve(env, profile.as_ref())
}

/// The AWS CLI's layouts: JSON indented 4, or its text table, each followed by
/// a blank line; `api_version` is the label printed (see [`eks_exec_info`]).
pub fn render(credential: &ExecCredential, output: Output, api_version: &str) -> String {
    match output {
        Output::Json => {
            let mut value = credential.to_value();
            value["apiVersion"] = api_version.into();
            format!("{}\n\n", crate::json::to_string(&value, 4))
        }
        Output::Text => format!(
            "{}\t{}\nSTATUS\t{}\t{}\n\n",
            api_version,
            "ExecCredential",
            credential.expiration.map(Timestamp::to_rfc3339).unwrap_or_default(),
            credential.token.as_deref().unwrap_or_default()
        ),
    }
}
