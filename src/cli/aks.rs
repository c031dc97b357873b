//! `kubecred aks get-token --server-id ID --login MODE`: what `kubelogin
//! get-token` does for its non-interactive logins (workloadidentity, spn, msi),
//! printing what kubelogin prints. The `kubelogin` drop-in grammar
//! ([`super::compat::kubelogin`]) parses with the same code.
//!
//! Flags win over environment variables (kubelogin lets the variables win;
//! see docs/aks.md for why kubecred does not).

use crate::azure::authority::Cloud;
use crate::azure::{Login, TokenRequest, get_token};
use crate::cli::common::{CacheFlags, print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::exec_credential::{ApiVersion, ExecCredential};
use std::ffi::OsString;

pub const USAGE: &str = "\
Usage: kubecred aks get-token --server-id ID --login workloadidentity|spn|msi [flags]

Prints an ExecCredential with an Entra ID access token for the AKS cluster's
server application, as `kubelogin get-token` does (cached until 15 minutes
before it expires).

Flags (a flag wins over its variables):
      --server-id ID               the server application id (required; scope ID/.default)
  -l, --login MODE                 workloadidentity, spn or msi (AAD_LOGIN_METHOD)
      --client-id ID               application id (AZURE_CLIENT_ID, AAD_SERVICE_PRINCIPAL_CLIENT_ID);
                                   msi: a user-assigned identity
  -t, --tenant-id ID               tenant GUID or domain (AZURE_TENANT_ID)
      --client-secret SECRET       spn (AZURE_CLIENT_SECRET, AAD_SERVICE_PRINCIPAL_CLIENT_SECRET)
      --client-certificate PEM     spn: certificate and RSA key in one PEM file
                                   (AZURE_CLIENT_CERTIFICATE_PATH, AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE)
      --federated-token-file PATH  workloadidentity (AZURE_FEDERATED_TOKEN_FILE)
      --authority-host URL         Entra ID host (workloadidentity: AZURE_AUTHORITY_HOST)
  -e, --environment NAME           AzurePublicCloud (default), AzureChinaCloud, AzureUSGovernmentCloud
      --identity-resource-id ID    msi: a user-assigned identity by resource id
      --use-azurerm-env-vars       read ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH, ARM_TENANT_ID
      --disable-environment-override
                                   read no variables
      --no-cache, --cache-dir DIR  kubecred's token cache
  -v, --v LEVEL                    5 or more: debug lines on stderr (never a secret)
msi: AZURE_POD_IDENTITY_AUTHORITY_HOST moves the metadata endpoint (to 169.254.169.254 or loopback only).
";

/// `kubecred aks ...`
pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some("get-token") => run_get_token(rest, Grammar::Native),
        Some("--help" | "-h" | "help") | None => print_stdout(USAGE),
        Some(other) => Err(Error::usage(format!("kubecred aks: unknown command {other:?} (get-token)"))),
    }
}

/// Whose flags are being read: kubelogin's own `--cache-dir` names its
/// authentication-record directory, not a token cache, and is ignored there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Native,
    Kubelogin,
}

impl Grammar {
    fn command(self) -> &'static str {
        match self {
            Grammar::Native => "kubecred aks get-token",
            Grammar::Kubelogin => "kubelogin get-token (kubecred)",
        }
    }
}

/// Parses `args`, gets the token and prints the ExecCredential.
pub fn run_get_token(args: Vec<OsString>, grammar: Grammar) -> Result<()> {
    let Some(flags) = parse(args, grammar)? else { return print_stdout(USAGE) };
    let env = Env::from_process();
    let request = resolve(&flags, &env)?;
    crate::debug!("aks get-token: {request:?}");
    let token = get_token(&request, &env)?;
    let api_version = ApiVersion::from_env()?.unwrap_or(ApiVersion::V1Beta1);
    print_stdout(&exec_credential_json(api_version, &token.token, token.expires_on))
}

/// The ExecCredential as kubelogin prints it: Go's `json.Encoder` output of
/// client-go's type (compact, a newline after, `spec.interactive` always
/// present because that field has no `omitempty`).
///
/// ```
/// use kubecred::kube::exec_credential::ApiVersion;
/// let printed = kubecred::cli::aks::exec_credential_json(ApiVersion::V1, "t", kubecred::time::Timestamp(0));
/// assert_eq!(printed, "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":false},\"status\":{\"expirationTimestamp\":\"1970-01-01T00:00:00Z\",\"token\":\"t\"}}\n");
/// ```
pub fn exec_credential_json(api_version: ApiVersion, token: &str, expires: crate::time::Timestamp) -> String {
    let mut credential = ExecCredential::token(api_version, token.to_string(), expires);
    credential.spec_interactive = Some(false);
    format!("{}\n", crate::json::to_string(&credential.to_value(), 0))
}

/// The flags as given (`None`: not given).
#[derive(Default)]
pub struct Flags {
    pub server_id: Option<String>,
    pub login: Option<String>,
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_certificate: Option<String>,
    pub federated_token_file: Option<String>,
    pub authority_host: Option<String>,
    pub environment: Option<String>,
    pub identity_resource_id: Option<String>,
    pub use_azurerm_env_vars: bool,
    pub disable_environment_override: bool,
}

/// kubelogin flags that only its interactive or other logins use: accepted
/// (a kubeconfig written for kubelogin may carry them) and ignored.
const IGNORED_VALUE_FLAGS: &[&str] = &[
    "client-certificate-password",
    "username",
    "password",
    "timeout",
    "subscription",
    "azure-pipelines-service-connection-id",
    "redirect-url",
    "login-hint",
    "token-cache-dir",
];

/// Parses the flags; `None` when help was asked for.
pub fn parse(args: Vec<OsString>, grammar: Grammar) -> Result<Option<Flags>> {
    let command = grammar.command();
    let mut flags = Flags::default();
    let mut cache = CacheFlags::default();
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Short('l') => "login".to_string(),
            lexopt::Arg::Short('t') => "tenant-id".to_string(),
            lexopt::Arg::Short('e') => "environment".to_string(),
            lexopt::Arg::Short('s') => "subscription".to_string(),
            lexopt::Arg::Short('v') => "v".to_string(),
            lexopt::Arg::Short('h') => return Ok(None),
            lexopt::Arg::Long(name) => name.to_string(),
            other => return Err(unexpected(other, command)),
        };
        let flag = format!("--{name}");
        let slot = match name.as_str() {
            "server-id" => Some(&mut flags.server_id),
            "login" => Some(&mut flags.login),
            "client-id" => Some(&mut flags.client_id),
            "tenant-id" => Some(&mut flags.tenant_id),
            "client-secret" => Some(&mut flags.client_secret),
            "client-certificate" => Some(&mut flags.client_certificate),
            "federated-token-file" => Some(&mut flags.federated_token_file),
            "authority-host" => Some(&mut flags.authority_host),
            "environment" => Some(&mut flags.environment),
            "identity-resource-id" => Some(&mut flags.identity_resource_id),
            _ => None,
        };
        if let Some(slot) = slot {
            *slot = Some(string_value(&mut parser, &flag)?);
            continue;
        }
        match name.as_str() {
            "use-azurerm-env-vars" => flags.use_azurerm_env_vars = bool_value(&mut parser, &flag)?,
            "disable-environment-override" => flags.disable_environment_override = bool_value(&mut parser, &flag)?,
            // kubecred never asks for instance metadata discovery: there is nothing to disable.
            "disable-instance-discovery" => {
                bool_value(&mut parser, &flag)?;
            }
            "legacy" | "pop-enabled" => {
                if bool_value(&mut parser, &flag)? {
                    return Err(Error::usage(format!("{command}: {flag} is not supported by kubecred")));
                }
            }
            "pop-claims" => {
                string_value(&mut parser, &flag)?;
                return Err(Error::usage(format!(
                    "{command}: PoP tokens (--pop-claims) are not supported by kubecred"
                )));
            }
            "cache-dir" if grammar == Grammar::Kubelogin => {
                string_value(&mut parser, &flag)?;
            }
            ignored if IGNORED_VALUE_FLAGS.contains(&ignored) => {
                string_value(&mut parser, &flag)?;
            }
            // klog's verbosity, as kubelogin takes it: 5 and up (where kubelogin
            // logs its options) turns kubecred's debug lines on.
            "v" => {
                let level = string_value(&mut parser, &flag)?;
                let level: u32 =
                    level.parse().map_err(|_| Error::usage(format!("{flag}: expected a number, got {level:?}")))?;
                if level >= 5 {
                    crate::log::set_level(crate::log::Level::Debug);
                }
            }
            "help" => return Ok(None),
            _ if grammar == Grammar::Native && cache.parse(&name, &mut parser)? => {}
            _ => return Err(unknown_flag(&name, command)),
        }
    }
    cache.apply();
    Ok(Some(flags))
}

/// A pflag boolean: `--flag` or `--flag=true|false`.
fn bool_value(parser: &mut lexopt::Parser, flag: &str) -> Result<bool> {
    match parser.optional_value() {
        None => Ok(true),
        Some(value) => match value.to_str() {
            Some("true" | "1" | "t" | "T" | "TRUE" | "True") => Ok(true),
            Some("false" | "0" | "f" | "F" | "FALSE" | "False") => Ok(false),
            _ => Err(Error::usage(format!("{flag}: expected true or false"))),
        },
    }
}

/// The flags and the variables combined into a request (a flag wins).
pub fn resolve(flags: &Flags, env: &Env) -> Result<TokenRequest> {
    let none = Env::default();
    let env = if flags.disable_environment_override { &none } else { env };
    let var = |names: &[&str]| names.iter().find_map(|n| env.get(n)).map(str::to_string);
    let arm = flags.use_azurerm_env_vars;
    let pick = |flag: &Option<String>, names: &[&str], arm_name: &str| {
        let names: Vec<&str> = if arm { vec![arm_name] } else { names.to_vec() };
        flag.clone().filter(|v| !v.is_empty()).or_else(|| var(&names))
    };
    let login = match flags.login.clone().or_else(|| var(&["AAD_LOGIN_METHOD"])).as_deref() {
        None | Some("") => None,
        Some("workloadidentity") => Some(Login::WorkloadIdentity),
        Some("spn") => Some(Login::ServicePrincipal),
        Some("msi") => Some(Login::ManagedIdentity),
        Some(other) => {
            return Err(Error::usage(format!(
                "--login {other:?}: kubecred serves workloadidentity, spn and msi (use kubelogin for interactive logins)"
            )));
        }
    };
    let workload = login == Some(Login::WorkloadIdentity);
    // As kubelogin: AZURE_CLIENT_ID wins over AAD_SERVICE_PRINCIPAL_CLIENT_ID, and so on.
    let client_id = pick(&flags.client_id, &["AZURE_CLIENT_ID", "AAD_SERVICE_PRINCIPAL_CLIENT_ID"], "ARM_CLIENT_ID");
    let client_secret = pick(
        &flags.client_secret,
        &["AZURE_CLIENT_SECRET", "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET"],
        "ARM_CLIENT_SECRET",
    );
    let certificate = pick(
        &flags.client_certificate,
        &["AZURE_CLIENT_CERTIFICATE_PATH", "AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE"],
        "ARM_CLIENT_CERTIFICATE_PATH",
    );
    let tenant_id = pick(&flags.tenant_id, &["AZURE_TENANT_ID"], "ARM_TENANT_ID");
    // kubelogin reads these two variables only for workload identity (the webhook sets them).
    let workload_var = |name: &str| if workload { var(&[name]) } else { None };
    let federated_token_file =
        flags.federated_token_file.clone().or_else(|| workload_var("AZURE_FEDERATED_TOKEN_FILE"));
    let cloud = Cloud::parse(flags.environment.as_deref().unwrap_or("AzurePublicCloud"))?;
    let authority_host = flags
        .authority_host
        .clone()
        .filter(|v| !v.is_empty())
        .or_else(|| workload_var("AZURE_AUTHORITY_HOST"))
        .unwrap_or_else(|| cloud.login_host().to_string());
    Ok(TokenRequest {
        login,
        server_id: flags.server_id.clone().unwrap_or_default(),
        client_id,
        tenant_id,
        client_secret,
        client_certificate: certificate.map(Into::into),
        federated_token_file: federated_token_file.filter(|f| !f.is_empty()).map(Into::into),
        authority_host,
        identity_resource_id: flags.identity_resource_id.clone().filter(|v| !v.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(args: &[&str], grammar: Grammar) -> Result<Flags> {
        parse(args.iter().map(OsString::from).collect(), grammar).map(|f| f.expect("not help"))
    }

    #[test]
    fn flags_win_over_variables() {
        let env = Env::from_pairs(&[
            ("AZURE_CLIENT_ID", "env-client"),
            ("AAD_SERVICE_PRINCIPAL_CLIENT_ID", "aad-client"),
            ("AZURE_TENANT_ID", "env-tenant"),
            ("AZURE_AUTHORITY_HOST", "https://env.example/"),
            ("AZURE_FEDERATED_TOKEN_FILE", "/env/token"),
        ]);
        let given = flags(&["--server-id", "s", "-l", "workloadidentity", "--client-id=flag-client"], Grammar::Native);
        let request = resolve(&given.unwrap(), &env).unwrap();
        assert_eq!(request.client_id.as_deref(), Some("flag-client"));
        assert_eq!(request.tenant_id.as_deref(), Some("env-tenant"));
        assert_eq!(request.authority_host, "https://env.example/");
        assert_eq!(request.federated_token_file.as_deref(), Some(std::path::Path::new("/env/token")));
        // Outside workload identity, AZURE_AUTHORITY_HOST and the token file variable are not read.
        let given = flags(&["--server-id", "s", "-l", "spn", "-e", "AzureChinaCloud"], Grammar::Native).unwrap();
        let request = resolve(&given, &env).unwrap();
        assert_eq!(request.authority_host, "https://login.chinacloudapi.cn/");
        assert_eq!((request.client_id.as_deref(), request.federated_token_file), (Some("env-client"), None));
        let given = flags(&["--server-id", "s", "-l", "spn", "--disable-environment-override"], Grammar::Native);
        assert_eq!(resolve(&given.unwrap(), &env).unwrap().client_id, None);
    }

    #[test]
    fn kubelogin_flags_and_refusals() {
        let given =
            flags(&["--login", "spn", "--cache-dir", "/x", "--timeout", "30s", "--legacy=false"], Grammar::Kubelogin);
        assert!(given.is_ok());
        for args in [&["--legacy"][..], &["--pop-enabled"], &["--bogus"], &["--legacy=maybe"]] {
            assert_eq!(flags(args, Grammar::Kubelogin).err().map(|e| e.exit_code()), Some(2), "{args:?}");
        }
        let given = flags(&["-l", "devicecode"], Grammar::Native).unwrap();
        assert!(resolve(&given, &Env::default()).unwrap_err().message().contains("devicecode"));
    }
}
