//! `kubelogin get-token [flags]`: kubelogin's flags for its non-interactive
//! logins (workloadidentity, spn, msi) through [`crate::cli::aks`], printing
//! what kubelogin prints. Every other kubelogin command (convert-kubeconfig,
//! remove-cache-dir, ...) is a usage error saying what kubecred implements.

use crate::cli::aks::{Grammar, run_get_token};
use crate::error::{Error, Result};
use std::ffi::OsString;

const PROGRAM: &str = "kubelogin (kubecred)";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let first = args.next();
    match first.as_ref().and_then(|a| a.to_str()) {
        Some("get-token") => run_get_token(args.collect(), Grammar::Kubelogin),
        Some("--version" | "version") => crate::cli::common::print_stdout(&format!(
            "kubecred/{} (as kubelogin: get-token)\n",
            env!("CARGO_PKG_VERSION")
        )),
        None => Err(Error::usage(format!("{PROGRAM}: no command given (get-token --server-id ID --login MODE)"))),
        Some(other) => Err(Error::usage(format!(
            "{PROGRAM}: `kubelogin {}` is not available: kubecred implements only `get-token` (workloadidentity, spn, msi)",
            other.escape_debug()
        ))),
    }
}
