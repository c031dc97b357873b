//! The grammars of the tools kubecred stands in for, selected by argv[0]'s file
//! name (a link named `aws`, `aws-iam-authenticator` or `ack-ram-tool`) or by
//! `kubecred compat NAME ...`. Each translates its command line into kubecred's
//! own commands and prints what the original prints.

pub mod ack_ram_tool;
pub mod aws;
pub mod aws_iam_authenticator;
pub mod aws_options;
pub mod gke_gcloud_auth_plugin;
pub mod kubelogin;

use crate::cli::Grammar;
use crate::error::{Error, Result};
use std::ffi::OsString;

/// Runs `args` (argv[0] excluded) in `grammar`.
pub fn run(grammar: Grammar, args: Vec<OsString>) -> Result<()> {
    match grammar {
        Grammar::Aws => aws::run(args),
        Grammar::AwsIamAuthenticator => aws_iam_authenticator::run(args),
        Grammar::AckRamTool => ack_ram_tool::run(args),
        Grammar::GkeGcloudAuthPlugin => gke_gcloud_auth_plugin::run(args),
        Grammar::Kubelogin => kubelogin::run(args),
        Grammar::Native => crate::cli::run_native(args),
    }
}

/// `kubecred compat NAME ARGS...`
pub fn run_named(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let name = args.next().and_then(|n| n.into_string().ok()).unwrap_or_default();
    let grammar = match name.as_str() {
        "--help" | "-h" | "help" => {
            return crate::cli::common::print_stdout(
                "Usage: kubecred compat aws|aws-iam-authenticator|ack-ram-tool ARGS...\n\n\
                 Runs ARGS in that tool's grammar, as a link named like the tool does.\n",
            );
        }
        "aws" => Grammar::Aws,
        "aws-iam-authenticator" => Grammar::AwsIamAuthenticator,
        "ack-ram-tool" => Grammar::AckRamTool,
        "gke-gcloud-auth-plugin" => Grammar::GkeGcloudAuthPlugin,
        "kubelogin" => Grammar::Kubelogin,
        other => {
            return Err(Error::usage(format!(
                "kubecred compat: unknown grammar {other:?} (aws, aws-iam-authenticator, ack-ram-tool, gke-gcloud-auth-plugin, kubelogin)"
            )));
        }
    };
    run(grammar, args.collect())
}

/// Splits `--name=value` into its parts (the AWS CLI and cobra accept both forms).
pub fn split_equals(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((name, value)) if name.starts_with("--") => (name, Some(value)),
        _ => (arg, None),
    }
}

/// Command-line words as UTF-8, or a usage error.
pub fn utf8_args(args: Vec<OsString>, program: &str) -> Result<Vec<String>> {
    args.into_iter()
        .map(|a| a.into_string().map_err(|_| Error::usage(format!("{program}: an argument is not valid UTF-8"))))
        .collect()
}

/// Takes the value of `flag` from `inline` (`--flag=value`) or the next word.
pub fn take_value(
    flag: &str,
    inline: Option<&str>,
    rest: &mut std::vec::IntoIter<String>,
    program: &str,
) -> Result<String> {
    match inline {
        Some(value) => Ok(value.to_string()),
        None => rest.next().ok_or_else(|| Error::usage(format!("{program}: {flag} needs a value"))),
    }
}
