//! The command line: which grammar argv[0] selects, and dispatch to commands.
//!
//! Each command family has its own file and parses its own flags with lexopt;
//! [`common`] holds the flag helpers and the flags every family shares.

pub mod ack;
pub mod ack_kubeconfig;
pub mod aks;
pub mod cache_cmd;
pub mod common;
pub mod compat;
pub mod completion;
pub mod create;
pub mod doctor;
pub mod doctor_check;
pub mod doctor_kube;
pub mod eks;
pub mod eks_exec_info;
pub mod eks_get_token;
pub mod eks_update_kubeconfig;
pub mod gke;

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
  kubecred aks get-token --server-id ID --login workloadidentity|spn|msi
  kubecred create token SA [-n NS] [--duration D] [--audience A]...
  kubecred create kubeconfig SA [-n NS] --output-file PATH
  kubecred gke get-token [--impersonate-service-account EMAIL]
  kubecred doctor [--profile P] [--region R] [--kubeconfig F] [--check]
  kubecred cache list|clear [--kind aws|alibaba|ack-cert|plugin]
  kubecred cache run -- COMMAND [ARGS...]
  kubecred compat aws|aws-iam-authenticator|ack-ram-tool|gke-gcloud-auth-plugin ARGS...
  kubecred completion bash|zsh|fish

Run `kubecred COMMAND --help` for a command's flags. `kubecred --version` prints the version.
";

/// The grammar a program name selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Native,
    Aws,
    AwsIamAuthenticator,
    AckRamTool,
    GkeGcloudAuthPlugin,
    Kubelogin,
}

impl Grammar {
    /// Only the file name of argv[0] counts, without a `.exe` suffix.
    pub fn from_argv0(argv0: &OsStr) -> Grammar {
        let name = program_name(argv0);
        match name.as_str() {
            "aws" => Grammar::Aws,
            "aws-iam-authenticator" => Grammar::AwsIamAuthenticator,
            "ack-ram-tool" => Grammar::AckRamTool,
            "gke-gcloud-auth-plugin" => Grammar::GkeGcloudAuthPlugin,
            "kubelogin" => Grammar::Kubelogin,
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

/// The line printed for `error`: prefixed with the program's name, unless the
/// message already names it (`kubecred eks: ...`) or a drop-in grammar
/// (`aws (kubecred): ...`, also under `kubecred compat aws`).
///
/// ```
/// use kubecred::cli::error_line;
/// use kubecred::error::Error;
/// let argv0 = std::ffi::OsStr::new("/usr/bin/kubecred");
/// assert_eq!(error_line(argv0, &Error::new("boom")), "kubecred: boom");
/// assert_eq!(error_line(argv0, &Error::usage("kubecred eks: no command")), "kubecred eks: no command");
/// let aws = std::ffi::OsStr::new("aws");
/// assert_eq!(error_line(aws, &Error::usage("aws (kubecred): bad")), "aws (kubecred): bad");
/// assert_eq!(error_line(argv0, &Error::usage("aws (kubecred): bad")), "aws (kubecred): bad");
/// ```
pub fn error_line(argv0: &OsStr, error: &Error) -> String {
    let name = program_name(argv0);
    let message = error.message();
    let names_grammar = message.split_once(": ").is_some_and(|(head, _)| head.ends_with(" (kubecred)"));
    match message.strip_prefix(name.as_str()) {
        Some(rest) if rest.starts_with([' ', ':']) => message.to_string(),
        _ if names_grammar => message.to_string(),
        _ => format!("{name}: {message}"),
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
        Some("aks") => aks::run(rest),
        Some("create") => create::run(rest),
        Some("gke") => gke::run(rest),
        Some("compat") => compat::run_named(rest),
        Some("completion") => completion::run(rest),
        Some("cache") => cache_cmd::run(rest),
        Some("doctor") => doctor::run(rest),
        Some("--version" | "-V" | "version") => common::print_stdout(&version_text()),
        Some("--help" | "-h" | "help") => common::print_stdout(USAGE),
        _ => Err(Error::usage(format!(
            "unknown command {:?}; run `kubecred --help` for the list",
            first.to_string_lossy()
        ))),
    }
}

/// `kubecred 0.1.0 (x86_64-unknown-linux-musl)`: the version and the target triple it was built for.
pub fn version_text() -> String {
    format!("kubecred {} ({})\n", env!("CARGO_PKG_VERSION"), env!("KUBECRED_TARGET"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_from_file_name_only() {
        assert_eq!(Grammar::from_argv0(OsStr::new("/usr/local/bin/aws")), Grammar::Aws);
        assert_eq!(Grammar::from_argv0(OsStr::new("aws-iam-authenticator")), Grammar::AwsIamAuthenticator);
        assert_eq!(Grammar::from_argv0(OsStr::new("./ack-ram-tool")), Grammar::AckRamTool);
        assert_eq!(Grammar::from_argv0(OsStr::new("/usr/local/bin/kubelogin")), Grammar::Kubelogin);
        assert_eq!(Grammar::from_argv0(OsStr::new("/opt/aws/kubecred")), Grammar::Native);
        assert_eq!(Grammar::from_argv0(OsStr::new("")), Grammar::Native);
    }
}
