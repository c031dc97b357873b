//! `ack-ram-tool [global flags] credential-plugin [global flags] COMMAND [flags]`:
//! ack-ram-tool's flags are kubecred's own for `kubecred ack`, so the command
//! words are taken out and the flags passed on, wherever they stood.

use super::utf8_args;
use crate::error::{Error, Result};
use std::ffi::OsString;

const PROGRAM: &str = "ack-ram-tool (kubecred)";

/// ack-ram-tool's global flags that take a value (cobra allows them anywhere).
const VALUE_FLAGS: &[&str] = &[
    "--region-id",
    "--profile-file",
    "--profile-name",
    "--log-level",
    "--role-arn",
    "--credential-type",
    "-c",
    "--cluster-id",
    "--api-version",
    "--expiration",
    "--credential-cache-dir",
    "-m",
    "--mode",
    "--output-file",
];

const HELP: &str = "\
Usage: ack-ram-tool credential-plugin get-token|get-credential|get-kubeconfig --cluster-id ID [flags]

kubecred's stand-in for ack-ram-tool: only these credential-plugin commands, printed as it prints.
Run `ack-ram-tool credential-plugin COMMAND --help` for a command's flags.
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let args = utf8_args(args, PROGRAM)?;
    let mut words: Vec<String> = Vec::new();
    let mut flags: Vec<OsString> = Vec::new();
    let mut rest = args.into_iter();
    while let Some(arg) = rest.next() {
        if arg == "--version" || arg == "version" && words.is_empty() {
            return crate::cli::common::print_stdout(&format!(
                "kubecred/{} (as ack-ram-tool: credential-plugin)\n",
                env!("CARGO_PKG_VERSION")
            ));
        }
        if arg.starts_with('-') {
            let takes_value = VALUE_FLAGS.contains(&arg.as_str());
            flags.push(arg.into());
            if takes_value && let Some(value) = rest.next() {
                flags.push(value.into());
            }
        } else {
            words.push(arg);
        }
    }
    match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["credential-plugin", sub @ ("get-token" | "get-credential" | "get-kubeconfig")] => {
            let mut native: Vec<OsString> = vec![OsString::from(*sub)];
            native.extend(flags);
            crate::cli::ack::run(native)
        }
        // A command's own help comes from `kubecred ack COMMAND --help` above.
        _ if flags.iter().any(|f| f == "--help" || f == "-h") || words == ["help"] => {
            crate::cli::common::print_stdout(HELP)
        }
        [] => Err(Error::usage(format!("{PROGRAM}: no command given (credential-plugin get-token ...)"))),
        _ => Err(Error::usage(format!(
            "{PROGRAM}: `ack-ram-tool {}` is not available: kubecred implements only `credential-plugin get-token|get-credential|get-kubeconfig`",
            words.join(" ")
        ))),
    }
}
