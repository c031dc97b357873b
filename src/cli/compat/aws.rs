//! `aws [global options] eks get-token ...` as the AWS CLI parses it: global
//! options anywhere on the line, `--name value` or `--name=value`, long options
//! abbreviated as argparse allows ([`aws_options`]).

use super::{aws_options, split_equals, take_value, utf8_args};
use crate::cli::common::print_stdout;
use crate::cli::eks_get_token::{GetTokenArgs, Output, get_token};
use crate::env::Env;
use crate::error::{Error, Result};
use std::ffi::OsString;
use std::time::Duration;

const PROGRAM: &str = "aws (kubecred)";

const HELP: &str = "\
usage: aws [options] eks get-token --cluster-name NAME [--role-arn ARN] [--cluster-id ID]
       aws [options] eks update-kubeconfig --name NAME [--kubeconfig PATH] [--alias A]
                     [--user-alias U] [--role-arn ARN] [--dry-run] [--verbose]

kubecred's stand-in for the AWS CLI: only these two commands, printed as the AWS CLI prints them.
options: --region R --profile P --output json|text --debug --ca-bundle PATH
         --cli-connect-timeout S --cli-read-timeout S --endpoint-url URL (update-kubeconfig)
";

/// What the AWS CLI prints for a command kubecred does not implement, in spirit.
fn not_implemented(words: &[String]) -> Error {
    Error::usage(format!(
        "{PROGRAM}: `aws {}` is not available: kubecred implements only `aws eks get-token` and `aws eks update-kubeconfig`",
        words.join(" ")
    ))
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let args = utf8_args(args, PROGRAM)?;
    let mut token = GetTokenArgs::default();
    let mut words: Vec<String> = Vec::new();
    // update-kubeconfig's own options, passed on to the native command.
    let mut update_args: Vec<OsString> = Vec::new();
    let mut endpoint_url: Option<String> = None;
    // Which command's options abbreviations resolve against (argparse knows it
    // once the command words are read; they come before its options).
    let command_options = if args.iter().any(|a| a == "update-kubeconfig") {
        aws_options::UPDATE_KUBECONFIG
    } else {
        aws_options::GET_TOKEN
    };
    let mut rest = args.into_iter();
    while let Some(arg) = rest.next() {
        let (written, inline) = split_equals(&arg);
        let full = aws_options::resolve(written, command_options, PROGRAM)?;
        let name = full.as_str();
        let mut value = |flag: &str| take_value(flag, inline, &mut rest, PROGRAM);
        match name {
            "--version" => {
                return print_stdout(&format!("kubecred/{} (as aws: eks get-token)\n", env!("CARGO_PKG_VERSION")));
            }
            "--region" => token.region = Some(value(name)?),
            "--profile" => token.profile = Some(value(name)?),
            "--output" => token.output = Some(output(&value(name)?)?),
            "--debug" => token.debug = true,
            "--ca-bundle" => token.network.ca_bundle = Some(value(name)?.into()),
            "--cli-read-timeout" => token.network.read_timeout = Some(seconds(name, &value(name)?)?),
            "--cli-connect-timeout" => token.network.connect_timeout = Some(seconds(name, &value(name)?)?),
            // For get-token it moves nothing (no EKS call); update-kubeconfig's DescribeCluster goes there.
            "--endpoint-url" => endpoint_url = Some(value(name)?),
            "--color" => {
                value(name)?;
            }
            "--no-cli-pager" | "--no-paginate" | "--no-cli-auto-prompt" => {}
            // kubecred never turns verification off; it keeps verifying (a stricter, safe reading).
            "--no-verify-ssl" => crate::debug!("--no-verify-ssl ignored: kubecred always verifies TLS"),
            "--query" => return Err(Error::usage(format!("{PROGRAM}: --query is not supported"))),
            "--name" | "--kubeconfig" | "--alias" | "--user-alias" => {
                update_args.extend([OsString::from(name), OsString::from(value(name)?)]);
            }
            "--dry-run" | "--verbose" => update_args.push(OsString::from(name)),
            "--cluster-name" => token.cluster_name = Some(value(name)?),
            "--cluster-id" => token.cluster_id = Some(value(name)?),
            "--role-arn" => token.role_arn = Some(value(name)?),
            "--session-name" => token.role_session_name = Some(value(name)?),
            // Anywhere on the line, as `aws eks get-token help` and `--help` work in the AWS CLI.
            "help" | "--help" | "-h" => return print_stdout(HELP),
            flag if flag.starts_with('-') => {
                return Err(Error::usage(format!("{PROGRAM}: unknown option {flag}")));
            }
            word => words.push(word.to_string()),
        }
    }
    match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["eks", "get-token"] => print_stdout(&get_token(&token, &Env::from_process())?),
        ["eks", "update-kubeconfig"] => {
            for (flag, value) in [
                ("--region", &token.region),
                ("--profile", &token.profile),
                ("--role-arn", &token.role_arn),
                ("--endpoint-url", &endpoint_url),
            ] {
                if let Some(value) = value {
                    update_args.extend([OsString::from(flag), OsString::from(value)]);
                }
            }
            crate::cli::eks_update_kubeconfig::run(update_args)
        }
        [] => Err(Error::usage(format!("{PROGRAM}: no command given (aws eks get-token ...)"))),
        _ => Err(not_implemented(&words)),
    }
}

fn output(text: &str) -> Result<Output> {
    match text {
        "json" => Ok(Output::Json),
        "text" => Ok(Output::Text),
        other => Err(Error::usage(format!("{PROGRAM}: --output {other} is not supported (json, text)"))),
    }
}

fn seconds(flag: &str, text: &str) -> Result<Option<Duration>> {
    let secs: u64 = text.parse().map_err(|_| Error::usage(format!("{flag}: expected whole seconds, got {text:?}")))?;
    Ok(if secs == 0 { None } else { Some(Duration::from_secs(secs)) })
}
