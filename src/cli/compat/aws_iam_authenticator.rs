//! `aws-iam-authenticator token -i CLUSTER [-r ROLE] ...`, printed as it prints:
//! compact JSON (Go's encoding of its ExecCredential), or the token alone with
//! `--token-only`.

use super::{split_equals, take_value, utf8_args};
use crate::cli::common::print_stdout;
use crate::cli::eks_get_token::{GetTokenArgs, exec_credential};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::exec_credential::ApiVersion;
use std::ffi::OsString;

const PROGRAM: &str = "aws-iam-authenticator (kubecred)";

const HELP: &str = "\
Usage: aws-iam-authenticator token -i CLUSTER [flags]

kubecred's stand-in for aws-iam-authenticator: only `token`, printed as it prints.

Flags:
  -i, --cluster-id CLUSTER   the cluster (required)
  -r, --role ARN             assume this role first
  -e, --external-id ID       external id for the role
  -s, --session-name NAME    role session name
      --region R             STS region (default us-east-1)
      --token-only           print the token alone
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let args = utf8_args(args, PROGRAM)?;
    let mut token = GetTokenArgs { default_region: Some("us-east-1"), ..GetTokenArgs::default() };
    let mut command: Option<String> = None;
    let mut token_only = false;
    let mut forward_session_name = false;
    let mut rest = args.into_iter();
    while let Some(arg) = rest.next() {
        let (name, inline) = split_equals(&arg);
        let mut value = |flag: &str| take_value(flag, inline, &mut rest, PROGRAM);
        match name {
            "-i" | "--cluster-id" => token.cluster_name = Some(value(name)?),
            "-r" | "--role" => token.role_arn = Some(value(name)?),
            "-e" | "--external-id" => token.external_id = Some(value(name)?),
            "-s" | "--session-name" => token.role_session_name = Some(value(name)?),
            "--region" => token.region = Some(value(name)?),
            "--token-only" => token_only = true,
            "--forward-session-name" => forward_session_name = true,
            // kubecred always caches role credentials (see `--no-cache`).
            "--cache" => {}
            "-l" | "--log-format" | "-v" | "--log-verbosity" | "-c" | "--config" => {
                value(name)?;
            }
            "version" | "--version" => {
                return print_stdout(&format!(
                    "kubecred/{} (as aws-iam-authenticator: token)\n",
                    env!("CARGO_PKG_VERSION")
                ));
            }
            "-h" | "--help" | "help" => return print_stdout(HELP),
            flag if flag.starts_with('-') => return Err(Error::usage(format!("{PROGRAM}: unknown flag {flag}"))),
            word if command.is_none() => command = Some(word.to_string()),
            word => return Err(Error::usage(format!("{PROGRAM}: unexpected argument {word:?}"))),
        }
    }
    match command.as_deref() {
        Some("token") => {}
        Some(other) => {
            return Err(Error::usage(format!(
                "{PROGRAM}: `{other}` is not available: kubecred implements only `aws-iam-authenticator token`"
            )));
        }
        None => return Err(Error::usage(format!("{PROGRAM}: no command given (token -i CLUSTER)"))),
    }
    if token.cluster_name.is_none() {
        return Err(Error::usage(format!("{PROGRAM}: cluster ID not specified (-i CLUSTER)")));
    }
    if forward_session_name {
        if token.role_session_name.is_some() {
            return Err(Error::usage(format!(
                "{PROGRAM}: cannot specify both --forward-session-name and --session-name"
            )));
        }
        return Err(Error::usage(format!("{PROGRAM}: --forward-session-name is not supported by kubecred")));
    }
    let api_version = ApiVersion::from_env()?.unwrap_or(ApiVersion::V1Beta1);
    let credential = exec_credential(&token, &Env::from_process(), api_version)?;
    if token_only {
        return print_stdout(&format!("{}\n", credential.token.unwrap_or_default()));
    }
    print_stdout(&format!("{}\n", crate::json::to_string(&credential.to_value(), 0)))
}
