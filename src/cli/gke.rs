//! `kubecred gke get-token`: an ExecCredential with a Google access token from
//! Application Default Credentials, for GKE clusters (what
//! `gke-gcloud-auth-plugin --use_application_default_credentials` prints).

use super::common::{CacheFlags, NetworkFlags, print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::google::TokenRequest;
use crate::kube::exec_credential::ApiVersion;
use crate::time::Timestamp;
use serde_json::json;
use std::ffi::OsString;

const HELP: &str = "\
Usage: kubecred gke get-token [--impersonate-service-account EMAIL] [flags]

Prints an ExecCredential holding a Google OAuth 2.0 access token for GKE, from
Application Default Credentials, in google-auth's order: the file named by
GOOGLE_APPLICATION_CREDENTIALS, gcloud's application_default_credentials.json
(CLOUDSDK_CONFIG, default ~/.config/gcloud), then the GCE metadata server
(GCE_METADATA_HOST moves it; NO_GCE_CHECK=true turns it off). Files of type
service_account, authorized_user, external_account (file and url sources) and
impersonated_service_account are supported. The apiVersion echoes
KUBERNETES_EXEC_INFO (v1beta1 without it).

Flags:
  --impersonate-service-account EMAIL   print a token of this service account, got with the
                                        ADC identity (IAM Credentials generateAccessToken)
  --debug                               log each step on stderr
  --ca-bundle FILE                      trust these CA certificates (PEM)
  --cli-connect-timeout S, --cli-read-timeout S
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some("get-token") => get_token_command(rest),
        Some("--help" | "-h" | "help") => print_stdout("Usage: kubecred gke get-token [flags]\n"),
        None => Err(Error::usage("kubecred gke: no command given (get-token)")),
        Some(other) => Err(Error::usage(format!("kubecred gke: unknown command {other:?} (get-token)"))),
    }
}

fn get_token_command(args: Vec<OsString>) -> Result<()> {
    const COMMAND: &str = "kubecred gke get-token";
    let mut parser = lexopt::Parser::from_args(args);
    let mut request = TokenRequest::default();
    let mut network = NetworkFlags::default();
    let mut cache = CacheFlags::default();
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Long(name) => name.to_string(),
            lexopt::Arg::Short('h') => return print_stdout(&format!("{HELP}{}", CacheFlags::HELP)),
            other => return Err(unexpected(other, COMMAND)),
        };
        match name.as_str() {
            "impersonate-service-account" => {
                request.impersonate = Some(string_value(&mut parser, "--impersonate-service-account")?)
            }
            "debug" => crate::log::set_level(crate::log::Level::Debug),
            "help" => return print_stdout(&format!("{HELP}{}", CacheFlags::HELP)),
            _ if network.parse(&name, &mut parser)? || cache.parse(&name, &mut parser)? => {}
            _ => return Err(unknown_flag(&name, COMMAND)),
        }
    }
    network.apply();
    cache.apply();
    let api_version = ApiVersion::from_env()?.unwrap_or(ApiVersion::V1Beta1);
    let token = crate::google::application_default_token(&Env::from_process(), &request)?;
    print_stdout(&format!("{}\n", exec_credential_json(api_version, token.token.expose(), Some(token.expires))))
}

/// The ExecCredential as gke-gcloud-auth-plugin prints it: indented four
/// spaces, `spec.interactive` false, no newline at the end, and no
/// `expirationTimestamp` for a token of unknown expiry.
pub fn exec_credential_json(api_version: ApiVersion, token: &str, expires: Option<Timestamp>) -> String {
    let mut status = serde_json::Map::new();
    if let Some(expires) = expires {
        status.insert("expirationTimestamp".into(), expires.to_rfc3339().into());
    }
    status.insert("token".into(), token.into());
    let credential = json!({
        "kind": "ExecCredential",
        "apiVersion": api_version.as_str(),
        "spec": {"interactive": false},
        "status": status,
    });
    crate::json::to_string(&credential, 4)
}
