//! `kubecred eks ...`: dispatch to get-token and update-kubeconfig.

use crate::error::{Error, Result};
use std::ffi::OsString;

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some("get-token") => super::eks_get_token::run(rest),
        Some("update-kubeconfig") => super::eks_update_kubeconfig::run(rest),
        Some("--help" | "-h" | "help") => super::common::print_stdout(
            "Usage: kubecred eks get-token|update-kubeconfig [flags]\n\n\
             get-token prints an ExecCredential with an EKS token (as aws eks get-token);\n\
             update-kubeconfig adds the cluster and a user that runs kubecred to a kubeconfig.\n\n\
             Run `kubecred eks COMMAND --help` for a command's flags.\n",
        ),
        None => Err(super::common::missing_subcommand("kubecred eks", "get-token, update-kubeconfig")),
        Some(other) => {
            Err(Error::usage(format!("kubecred eks: unknown command {other:?} (get-token, update-kubeconfig)")))
        }
    }
}
