//! The command line: which grammar argv[0] selects, and dispatch to commands.
//!
//! Each command family has its own file and parses its own flags with lexopt;
//! [`common`] holds the flag helpers and the flags every family shares.

pub mod ack;
pub mod ack_kubeconfig;
pub mod common;
pub mod compat;
pub mod create;
pub mod eks;
pub mod eks_exec_info;
pub mod eks_get_token;
pub mod eks_update_kubeconfig;

use crate::error::{Error, Result};
use std::ffi::{OsStr, OsString};

pub const USAGE: &str = "\
kubecred: short-lived Kubernetes credentials from one static binary

Usage:
  kubecred eks get-token --cluster-name NAME [--region R] [--role-arn ARN] [--profile P]
  kubecred eks update-kubeconfig --name NAME [--region R] [--role-arn ARN] [--kubeconfig PATH]
  kubecred ack get-token --cluster-id ID
  kubecred ack get-credential --cluster-id ID [--expiration 3h0m0s]
  kubecred ack get-kubeconfig --cluster-id ID [--mode cert|token]
  kubecred create token SA [-n NS] [--duration D] [--audience A]...
  kubecred create kubeconfig SA [-n NS] --output-file PATH
  kubecred compat aws|aws-iam-authenticator|ack-ram-tool ARGS...

Run `kubecred COMMAND --help` for a command's flags. `kubecred --version` prints the version.
";

/// The grammar a program name selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Native,
    Aws,
    AwsIamAuthenticator,
    AckRamTool,
}

impl Grammar {
    /// Only the file name of argv[0] counts, without a `.exe` suffix.
    pub fn from_argv0(argv0: &OsStr) -> Grammar {
        let name = program_name(argv0);
        match name.as_str() {
            "aws" => Grammar::Aws,
            "aws-iam-authenticator" => Grammar::AwsIamAuthenticator,
            "ack-ram-tool" => Grammar::AckRamTool,
            _ => Grammar::Native,
        }
    }
}

/// The file name of argv[0], for messages and grammar selection.
pub fn program_name(argv0: &OsStr) -> String {
    let name = std::path::Path::new(argv0).file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_else(|| "kubecred".to_string());
    match name.strip_suffix(".exe") {
        Some(stem) => stem.to_string(),
        None if name.is_empty() => "kubecred".to_string(),
        None => name,
    }
}

/// Runs the command line `args` (argv[0] excluded).
pub fn run(argv0: &OsStr, args: Vec<OsString>) -> Result<()> {
    compat::run(Grammar::from_argv0(argv0), args)
}

/// kubecred's own grammar.
pub fn run_native(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let Some(first) = args.next() else {
        return Err(Error::usage("no command given; run `kubecred --help` for the list"));
    };
    let rest: Vec<OsString> = args.collect();
    match first.to_str() {
        Some("eks") => eks::run(rest),
        Some("ack") => ack::run(rest),
        Some("create") => create::run(rest),
        Some("compat") => compat::run_named(rest),
        Some("--version" | "-V" | "version") => common::print_stdout(&version_text()),
        Some("--help" | "-h" | "help") => common::print_stdout(USAGE),
        _ => Err(Error::usage(format!(
            "unknown command {:?}; run `kubecred --help` for the list",
            first.to_string_lossy()
        ))),
    }
}

/// `kubecred 0.1.0 (x86_64-unknown-linux-musl)`
pub fn version_text() -> String {
    format!(
        "kubecred {} ({}-{}-{})\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS,
        if cfg!(target_env = "musl") {
            "musl"
        } else if cfg!(target_env = "gnu") {
            "gnu"
        } else {
            "other"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_from_file_name_only() {
        assert_eq!(Grammar::from_argv0(OsStr::new("/usr/local/bin/aws")), Grammar::Aws);
        assert_eq!(Grammar::from_argv0(OsStr::new("aws-iam-authenticator")), Grammar::AwsIamAuthenticator);
        assert_eq!(Grammar::from_argv0(OsStr::new("./ack-ram-tool")), Grammar::AckRamTool);
        assert_eq!(Grammar::from_argv0(OsStr::new("/opt/aws/kubecred")), Grammar::Native);
        assert_eq!(Grammar::from_argv0(OsStr::new("")), Grammar::Native);
    }
}
