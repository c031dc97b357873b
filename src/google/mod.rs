//! Google Cloud: OAuth 2.0 access tokens for GKE from Application Default
//! Credentials, found and used as google-auth and golang.org/x/oauth2/google do
//! (and so gke-gcloud-auth-plugin `--use_application_default_credentials`):
//!
//! 1. the file named by `GOOGLE_APPLICATION_CREDENTIALS`;
//! 2. gcloud's ADC file, `$CLOUDSDK_CONFIG/application_default_credentials.json`
//!    (default `~/.config/gcloud/`);
//! 3. the GCE metadata server (`GCE_METADATA_HOST` moves it; `NO_GCE_CHECK=true`
//!    turns it off).
//!
//! Each file type has its module; [`impersonation`] turns any of them into a
//! token of another service account. Tokens cost a call, so they are cached
//! like every other credential ([`crate::cache`]).

pub mod authorized_user;
pub mod credentials_file;
pub mod external_account;
pub mod gcloud;
pub mod impersonation;
pub mod metadata;
pub mod service_account;
pub mod token_reply;

use crate::env::Env;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::time::Timestamp;
use credentials_file::CredentialsFile;
use std::path::PathBuf;

/// The scopes gke-gcloud-auth-plugin asks for.
pub const SCOPES: &[&str] =
    &["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/userinfo.email"];

/// The largest credentials file read (a service account key is about 2 KiB).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// An access token and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: Secret,
    pub expires: Timestamp,
}

/// What the command asks for.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    /// `--impersonate-service-account`: the email of the service account whose token to print.
    pub impersonate: Option<String>,
}

/// An access token for the Application Default Credentials, impersonating
/// `request.impersonate` when given.
pub fn application_default_token(env: &Env, request: &TokenRequest) -> Result<AccessToken> {
    let scopes: Vec<&str> = SCOPES.to_vec();
    let token = match find_file(env)? {
        Some((path, file)) => {
            crate::debug!("Google credentials from {} ({})", path.display(), kind(&file));
            token_for_file(env, &file, &scopes)
                .map_err(|e| e.context(format!("credentials file {}", path.display())))?
        }
        None => {
            if env.is_true("NO_GCE_CHECK") {
                return Err(Error::new(
                    "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS or run \
                     `gcloud auth application-default login` (NO_GCE_CHECK turns off the metadata server)",
                ));
            }
            metadata::token(env, &scopes).map_err(|e| {
                e.context(
                    "no Google credentials file (GOOGLE_APPLICATION_CREDENTIALS, gcloud's \
                     application_default_credentials.json), and the metadata server failed",
                )
            })?
        }
    };
    match request.impersonate.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(token),
        Some(email) => {
            let url = impersonation::url_for(email)?;
            impersonation::generate(&token, &url, &[], 3600, &scopes)
                .map_err(|e| e.context(format!("--impersonate-service-account {email}")))
        }
    }
}

/// A token for what `file` describes.
fn token_for_file(env: &Env, file: &CredentialsFile, scopes: &[&str]) -> Result<AccessToken> {
    match file {
        CredentialsFile::ServiceAccount { .. } => service_account::token(file, scopes),
        CredentialsFile::AuthorizedUser { .. } => authorized_user::token(file),
        CredentialsFile::ExternalAccount(account) => external_account::token(env, account, scopes),
        CredentialsFile::Impersonated { impersonation_url, delegates, source } => {
            // golang.org/x/oauth2/google asks for the same scopes for the source.
            let source_token = token_for_file(env, source, scopes)
                .map_err(|e| e.context(format!("source_credentials ({})", kind(source))))?;
            impersonation::generate(&source_token, impersonation_url, delegates, 3600, scopes)
        }
    }
}

fn kind(file: &CredentialsFile) -> &'static str {
    match file {
        CredentialsFile::ServiceAccount { .. } => "service_account",
        CredentialsFile::AuthorizedUser { .. } => "authorized_user",
        CredentialsFile::ExternalAccount(_) => "external_account",
        CredentialsFile::Impersonated { .. } => "impersonated_service_account",
    }
}

/// The Application Default Credentials file, if there is one, in google-auth's order.
/// A file named by `GOOGLE_APPLICATION_CREDENTIALS` must exist; gcloud's may not.
pub fn find_file(env: &Env) -> Result<Option<(PathBuf, CredentialsFile)>> {
    if let Some(named) = env.get("GOOGLE_APPLICATION_CREDENTIALS").filter(|v| !v.is_empty()) {
        let path = env.expand_home(named);
        let bytes = crate::files::read_bounded(&path, MAX_FILE_BYTES)
            .map_err(|e| Error::new(format!("GOOGLE_APPLICATION_CREDENTIALS {}: {e}", path.display())))?;
        let what = format!("GOOGLE_APPLICATION_CREDENTIALS {}", path.display());
        return Ok(Some((path, credentials_file::parse(&bytes, &what)?)));
    }
    let Some(path) = gcloud_adc_path(env) else { return Ok(None) };
    match crate::files::read_bounded(&path, MAX_FILE_BYTES) {
        Ok(bytes) => {
            let what = format!("gcloud's ADC file {}", path.display());
            Ok(Some((path, credentials_file::parse(&bytes, &what)?)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(format!("gcloud's ADC file {}: {e}", path.display()))),
    }
}

/// `$CLOUDSDK_CONFIG/application_default_credentials.json`, else under `~/.config/gcloud`.
pub fn gcloud_adc_path(env: &Env) -> Option<PathBuf> {
    let dir = match env.get("CLOUDSDK_CONFIG").filter(|v| !v.is_empty()) {
        Some(dir) => env.expand_home(dir),
        None => env.home()?.join(".config/gcloud"),
    };
    Some(dir.join("application_default_credentials.json"))
}

/// POSTs a form to a token endpoint and parses the OAuth reply; `secrets` are
/// the values in the form that must not reach a message.
fn post_form(url: &str, form: &[(&str, &str)], what: &str, secrets: &[&str]) -> Result<AccessToken> {
    check_url(url, what)?;

    let request = crate::http::Request::new("POST", url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(crate::encoding::form(form))
        .retry(true);
    let response = crate::http::send(&request).map_err(|e| e.context(what))?;
    if !response.is_success() {
        return Err(Error::new(token_reply::error_line(what, response.status, &response.body, secrets)));
    }
    token_reply::oauth(&response.body, Timestamp::now(), what)
}

/// Endpoints come from credentials files: http(s) URLs only, and https unless
/// the host is loopback (a local emulator or test), since a token or key goes there.
fn check_url(url: &str, what: &str) -> Result<()> {
    let shown = crate::log::redact_url(url);
    match url.split_once("://") {
        Some(("https", _)) => Ok(()),
        Some(("http", _)) if crate::http::is_loopback_host(&crate::http::host_of(url)) => Ok(()),
        _ => Err(Error::new(format!("{what}: {shown} is not an https:// URL"))),
    }
}

/// Caches what `fetch` returns under `namespace` and `key_parts` (never secrets:
/// hash them first), while more than 15 minutes remain.
pub(crate) fn cached(
    namespace: &str,
    key_parts: &[&str],
    fetch: impl FnOnce() -> Result<AccessToken>,
) -> Result<AccessToken> {
    use crate::cache::{Entry, Freshness};
    let entry = crate::cache::cached(namespace, key_parts, Freshness::RoleCredentials, || {
        let token = fetch()?;
        Ok(Entry {
            payload: serde_json::json!({"access_token": token.token.expose()}),
            expires: token.expires,
            issued: None,
        })
    })?;
    let token = crate::json::str_field(&entry.payload, "access_token")
        .ok_or_else(|| Error::new(format!("{namespace}: unreadable cache entry")))?;
    Ok(AccessToken { token: Secret::new(token), expires: entry.expires })
}
