//! Azure (AKS): Entra ID access tokens for a cluster's server application, as
//! kubelogin's `get-token` obtains them for its non-interactive logins.
//!
//! * [`authority`]: the clouds' login hosts, checks on tenants and authority hosts.
//! * [`client_credentials`]: the v2.0 token endpoint's client-credentials grant.
//! * [`workload_identity`], [`service_principal`] (secret or
//!   [`certificate_assertion`]), [`managed_identity`]: one file per login.
//! * [`token_reply`]: reading what the token services answer.
//!
//! [`get_token`] picks the login and keeps the token in kubecred's cache.

pub mod authority;
pub mod certificate_assertion;
pub mod client_credentials;
pub mod managed_identity;
pub mod service_principal;
pub mod token_reply;
pub mod workload_identity;

use crate::cache::{Entry, Freshness, cached};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use authority::Authority;
use managed_identity::Identity;
use serde_json::json;
use std::path::PathBuf;
use token_reply::AccessToken;

/// kubelogin's `--login` modes that kubecred serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    WorkloadIdentity,
    ServicePrincipal,
    ManagedIdentity,
}

impl Login {
    /// The `--login` word.
    pub fn name(self) -> &'static str {
        match self {
            Login::WorkloadIdentity => "workloadidentity",
            Login::ServicePrincipal => "spn",
            Login::ManagedIdentity => "msi",
        }
    }
}

/// Everything a token depends on, resolved from flags and environment.
#[derive(Clone, Default)]
pub struct TokenRequest {
    pub login: Option<Login>,
    pub server_id: String,
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_certificate: Option<PathBuf>,
    pub federated_token_file: Option<PathBuf>,
    /// The authority host (already chosen among flag, variable and `--environment`).
    pub authority_host: String,
    /// `msi`: a user-assigned identity by ARM resource id.
    pub identity_resource_id: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("login", &self.login)
            .field("server_id", &self.server_id)
            .field("client_id", &self.client_id)
            .field("tenant_id", &self.tenant_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .field("client_certificate", &self.client_certificate)
            .field("federated_token_file", &self.federated_token_file)
            .field("authority_host", &self.authority_host)
            .field("identity_resource_id", &self.identity_resource_id)
            .finish()
    }
}

/// The token for `request`: from the cache while more than 15 minutes remain,
/// else from Entra ID or the metadata service (and then cached). The cache key
/// holds the mode, tenant, client id, server id, authority and the token file
/// path or certificate thumbprint, never a secret.
pub fn get_token(request: &TokenRequest, env: &Env) -> Result<AccessToken> {
    let login = request.login.ok_or_else(|| Error::usage("--login is required (workloadidentity, spn or msi)"))?;
    if request.server_id.trim().is_empty() {
        return Err(Error::usage("--server-id is required"));
    }
    if request.server_id.chars().any(char::is_control) {
        return Err(Error::usage("--server-id: control characters are not allowed"));
    }
    let scope = client_credentials::scope(&request.server_id);
    match login {
        Login::ManagedIdentity => {
            let identity = match (&request.client_id, &request.identity_resource_id) {
                (Some(id), _) => Identity::ClientId(id.clone()),
                (None, Some(id)) => Identity::ResourceId(id.clone()),
                (None, None) => Identity::System,
            };
            // Checks the variable before anything is cached under it.
            let endpoint = managed_identity::endpoint(env, &scope, &identity)?;
            let key = ["msi", endpoint.as_str()];
            cache(&key, || managed_identity::token(env, &scope, &identity))
        }
        Login::WorkloadIdentity => {
            let client_id = required(&request.client_id, "--client-id (or AZURE_CLIENT_ID)", login)?;
            let tenant = required(&request.tenant_id, "--tenant-id (or AZURE_TENANT_ID)", login)?;
            let file = request.federated_token_file.as_ref().ok_or_else(|| {
                Error::usage("workloadidentity: --federated-token-file (or AZURE_FEDERATED_TOKEN_FILE) is required")
            })?;
            let authority = Authority::new(&request.authority_host, tenant)?;
            let path = file.display().to_string();
            let key = ["workloadidentity", tenant, client_id, &request.server_id, authority.host(), &path];
            cache(&key, || workload_identity::token(&authority, client_id, &request.server_id, file))
        }
        Login::ServicePrincipal => {
            let client_id = required(&request.client_id, "--client-id (or AZURE_CLIENT_ID)", login)?;
            let tenant = required(&request.tenant_id, "--tenant-id (or AZURE_TENANT_ID)", login)?;
            let authority = Authority::new(&request.authority_host, tenant)?;
            let host = authority.host();
            // A certificate wins over a secret, as in kubelogin.
            if let Some(path) = &request.client_certificate {
                let certificate = certificate_assertion::ClientCertificate::load(path)?;
                let thumbprint = certificate.thumbprint_sha256();
                let key = ["spn-certificate", tenant, client_id, &request.server_id, host, &thumbprint];
                return cache(&key, || {
                    service_principal::token_with_certificate(&authority, client_id, &request.server_id, &certificate)
                });
            }
            let secret = request.client_secret.as_deref().filter(|s| !s.is_empty()).ok_or_else(|| {
                Error::usage(
                    "spn: --client-secret (or AZURE_CLIENT_SECRET) or --client-certificate (or AZURE_CLIENT_CERTIFICATE_PATH) is required",
                )
            })?;
            let key = ["spn-secret", tenant, client_id, &request.server_id, host];
            cache(&key, || service_principal::token_with_secret(&authority, client_id, &request.server_id, secret))
        }
    }
}

fn required<'a>(value: &'a Option<String>, what: &str, login: Login) -> Result<&'a str> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Error::usage(format!("{}: {what} is required", login.name())))
}

/// [`cached`] for access tokens (namespace `azure-token`).
fn cache(key: &[&str], fetch: impl FnOnce() -> Result<AccessToken>) -> Result<AccessToken> {
    let entry = cached("azure-token", key, Freshness::RoleCredentials, || {
        let token = fetch()?;
        Ok(Entry {
            payload: json!({"token": token.token, "expiresOn": token.expires_on.0}),
            expires: token.expires_on,
            issued: token.issued,
        })
    })?;
    let token = entry.payload.get("token").and_then(|t| t.as_str());
    let expires = entry.payload.get("expiresOn").and_then(|t| t.as_i64());
    match (token, expires) {
        (Some(token), Some(expires)) => {
            Ok(AccessToken { token: token.to_string(), expires_on: Timestamp(expires), issued: entry.issued })
        }
        _ => Err(Error::new("azure-token: unreadable cache entry")),
    }
}
