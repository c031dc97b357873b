//! `gke-gcloud-auth-plugin` (argv[0], or `kubecred compat gke-gcloud-auth-plugin`):
//! the flags of kubernetes/cloud-provider-gcp's plugin, as the kubeconfigs
//! `gcloud container clusters get-credentials` writes pass them, printing byte
//! for byte what the plugin prints (an ExecCredential, always v1beta1, indented
//! four spaces, no final newline): with `--use_application_default_credentials`
//! a token from Application Default Credentials, else gcloud's own login
//! (`gcloud config config-helper`, see [`crate::google::gcloud`]).

use super::{split_equals, take_value, utf8_args};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::google::TokenRequest;
use crate::kube::exec_credential::ApiVersion;
use std::ffi::OsString;

/// Names the program in the few messages `take_value` and `utf8_args` word.
const PROGRAM: &str = "gke-gcloud-auth-plugin";

/// The plugin's flags that take a value (pflag; klog's included) and are only
/// read in modes kubecred does not run (Edge Cloud), or only steer logging.
const IGNORED_WITH_VALUE: &[&str] = &[
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
      --account string                        Optional account to use for gcloud config command
      --project string                        Parent project of the Cluster.
      --version                               print the version and quit
Without --use_application_default_credentials the token comes from
`gcloud config config-helper --format=json` (the gcloud on PATH), or from
CLOUDSDK_AUTH_ACCESS_TOKEN when set. Accepted and ignored: --location, --cluster,
--configuration and klog's logging flags. See `kubecred gke get-token --help` for
Application Default Credentials.
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let words = utf8_args(args, PROGRAM)?;
    let mut use_adc = false;
    let mut request = TokenRequest::default();
    let mut gcloud = crate::google::gcloud::GcloudArgs::default();
    let mut rest = words.into_iter();
    while let Some(word) = rest.next() {
        let (flag, inline) = split_equals(&word);
        match flag {
            "--use_application_default_credentials" => use_adc = parse_bool(flag, inline)?,
            "--impersonate_service_account" => {
                request.impersonate = Some(take_value(flag, inline, &mut rest, PROGRAM)?);
            }
            "--account" => gcloud.account = Some(take_value(flag, inline, &mut rest, PROGRAM)?),
            "--project" => gcloud.project = Some(take_value(flag, inline, &mut rest, PROGRAM)?),
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
    let env = Env::from_process();
    if !use_adc {
        gcloud.impersonate = request.impersonate;
        let (token, expires) = crate::google::gcloud::token(&env, &gcloud)?;
        return crate::cli::common::print_stdout(&crate::cli::gke::exec_credential_json(
            ApiVersion::V1Beta1,
            &token,
            expires,
        ));
    }
    let token = crate::google::application_default_token(&env, &request)?;
    crate::cli::common::print_stdout(&crate::cli::gke::exec_credential_json(
        ApiVersion::V1Beta1,
        token.token.expose(),
        Some(token.expires),
    ))
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
