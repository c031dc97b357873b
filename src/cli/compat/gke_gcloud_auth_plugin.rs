//! `gke-gcloud-auth-plugin` (argv[0], or `kubecred compat gke-gcloud-auth-plugin`):
//! the flags of kubernetes/cloud-provider-gcp's plugin, as the kubeconfigs
//! `gcloud container clusters get-credentials` writes pass them. With
//! `--use_application_default_credentials` it prints byte for byte what the
//! plugin prints (an ExecCredential, always v1beta1, indented four spaces, no
//! final newline). Without it the plugin asks gcloud for its login; kubecred
//! carries no gcloud and says so.

use super::{split_equals, take_value, utf8_args};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::google::TokenRequest;
use crate::kube::exec_credential::ApiVersion;
use std::ffi::OsString;

/// Names the program in the few messages `take_value` and `utf8_args` word.
const PROGRAM: &str = "gke-gcloud-auth-plugin";

/// The plugin's flags that take a value (pflag; klog's included) and are only
/// read in modes kubecred does not run, or only steer logging.
const IGNORED_WITH_VALUE: &[&str] = &[
    "--account",
    "--project",
    "--location",
    "--cluster",
    "--configuration",
    "--log_backtrace_at",
    "--log_dir",
    "--log_file",
    "--log_file_max_size",
    "--stderrthreshold",
    "--vmodule",
    "--v",
    "-v",
];
/// Its boolean flags that only steer logging.
const IGNORED_BOOLEANS: &[&str] =
    &["--add_dir_header", "--alsologtostderr", "--logtostderr", "--one_output", "--skip_headers", "--skip_log_headers"];

const HELP: &str = "\
Usage of gke-gcloud-auth-plugin (kubecred):
      --use_application_default_credentials   Output is an ExecCredential filled with application default credentials.
      --impersonate_service_account string    Impersonate a service account to retrieve tokens for the Cluster.
      --version                               print the version and quit
Accepted and ignored: --account, --project, --location, --cluster, --configuration and klog's
logging flags. Without --use_application_default_credentials the real plugin runs gcloud,
which kubecred does not carry. See `kubecred gke get-token --help` for the credential sources.
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let words = utf8_args(args, PROGRAM)?;
    let mut use_adc = false;
    let mut request = TokenRequest::default();
    let mut rest = words.into_iter();
    while let Some(word) = rest.next() {
        let (flag, inline) = split_equals(&word);
        match flag {
            "--use_application_default_credentials" => use_adc = parse_bool(flag, inline)?,
            "--impersonate_service_account" => {
                request.impersonate = Some(take_value(flag, inline, &mut rest, PROGRAM)?);
            }
            "--version" => return crate::cli::common::print_stdout(&crate::cli::version_text()),
            "--help" | "-h" => return crate::cli::common::print_stdout(HELP),
            f if IGNORED_WITH_VALUE.contains(&f) => {
                take_value(f, inline, &mut rest, PROGRAM)?;
            }
            f if IGNORED_BOOLEANS.contains(&f) => {
                parse_bool(f, inline)?;
            }
            f if f.starts_with('-') && f != "-" => return Err(Error::usage(format!("unknown flag: {f}"))),
            // The plugin ignores words that are not flags.
            _ => {}
        }
    }
    if !use_adc {
        return Err(Error::usage(
            "only --use_application_default_credentials is supported; without it the real plugin runs \
             `gcloud config config-helper`, which kubecred does not carry (add the flag to the \
             kubeconfig's exec args, or use `kubecred gke get-token`)",
        ));
    }
    let token = crate::google::application_default_token(&Env::from_process(), &request)?;
    crate::cli::common::print_stdout(&crate::cli::gke::exec_credential_json(ApiVersion::V1Beta1, &token))
}

/// A pflag boolean: `--flag` or `--flag=true|false|1|0|t|f`.
fn parse_bool(flag: &str, inline: Option<&str>) -> Result<bool> {
    match inline {
        None => Ok(true),
        Some("true" | "TRUE" | "True" | "t" | "T" | "1") => Ok(true),
        Some("false" | "FALSE" | "False" | "f" | "F" | "0") => Ok(false),
        Some(other) => Err(Error::usage(format!("invalid argument {other:?} for {flag}"))),
    }
}
