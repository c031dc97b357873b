//! The OAuth 2.0 client-credentials grant at Entra ID's v2.0 token endpoint,
//! which every non-interactive login but `msi` ends in: the application proves
//! who it is with a client secret, or with a signed JWT (a federated token from
//! Kubernetes, or an assertion signed with the application's certificate).
//!
//! The form is the one MSAL for Go (inside kubelogin) sends, keys sorted as Go's
//! `url.Values.Encode` sorts them:
//!
//! ```
//! use kubecred::azure::client_credentials::{form, ClientAuth};
//! let fields = form("app-id", "6dae42f8-4368-4678-94ff-3960e28e3630", &ClientAuth::Secret("s3cret"));
//! let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
//! assert_eq!(names, ["client_id", "client_secret", "grant_type", "scope"]);
//! assert_eq!(fields[3].1, "6dae42f8-4368-4678-94ff-3960e28e3630/.default openid offline_access profile");
//! ```

use super::authority::Authority;
use super::token_reply::{self, AccessToken, ReplyKind};
use crate::error::Result;
use crate::http::{Request, send};
use crate::time::Timestamp;

/// `client_assertion_type` for a JWT assertion (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How the application authenticates; `Debug` never shows the value.
pub enum ClientAuth<'a> {
    /// `client_secret`.
    Secret(&'a str),
    /// `client_assertion` (a signed JWT) with `client_assertion_type` jwt-bearer.
    Assertion(&'a str),
}

impl std::fmt::Debug for ClientAuth<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ClientAuth::Secret(_) => "Secret(<redacted>)",
            ClientAuth::Assertion(_) => "Assertion(<redacted>)",
        })
    }
}

/// The scope kubelogin asks for: the server id without trailing slashes, with
/// `/.default` appended unless it is there already.
///
/// ```
/// use kubecred::azure::client_credentials::scope;
/// assert_eq!(scope("6dae42f8-4368-4678-94ff-3960e28e3630"), "6dae42f8-4368-4678-94ff-3960e28e3630/.default");
/// assert_eq!(scope("api://my-app/"), "api://my-app/.default");
/// assert_eq!(scope("api://my-app/.default"), "api://my-app/.default");
/// ```
pub fn scope(server_id: &str) -> String {
    let scope = server_id.trim_end_matches('/');
    if scope.ends_with("/.default") { scope.to_string() } else { format!("{scope}/.default") }
}

/// The form fields, in the order they are sent. MSAL for Go adds the OpenID
/// scopes to every request and `client_info=1` to assertion grants; Entra ID
/// ignores both for client credentials, and they are sent to match kubelogin.
pub fn form(client_id: &str, server_id: &str, auth: &ClientAuth) -> Vec<(&'static str, String)> {
    let scope = format!("{} openid offline_access profile", scope(server_id));
    let grant = ("grant_type", "client_credentials".to_string());
    match auth {
        ClientAuth::Secret(secret) => {
            vec![("client_id", client_id.to_string()), ("client_secret", secret.to_string()), grant, ("scope", scope)]
        }
        ClientAuth::Assertion(assertion) => vec![
            ("client_assertion", assertion.to_string()),
            ("client_assertion_type", JWT_BEARER.to_string()),
            ("client_id", client_id.to_string()),
            ("client_info", "1".to_string()),
            grant,
            ("scope", scope),
        ],
    }
}

/// Sends the grant to `authority`'s token endpoint and reads the token.
/// `login` names the login mode in errors (`workload identity`, ...).
pub fn request_token(
    authority: &Authority,
    client_id: &str,
    server_id: &str,
    auth: &ClientAuth,
    login: &str,
) -> Result<AccessToken> {
    let endpoint = authority.token_endpoint();

    let request = Request::new("POST", &endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .header("Accept", "application/json")
        .body(crate::encoding::form(&form(client_id, server_id, auth)))
        // A client-credentials grant changes nothing on the server: repeating it is safe.
        .retry(true);
    let source = format!("{login}: Entra ID token endpoint {endpoint}");
    let reply = send(&request).map_err(|e| e.context(format!("{login}: Entra ID token endpoint")))?;
    let mut token = token_reply::parse(ReplyKind::Entra, reply.status, &reply.body, Timestamp::now(), &source)?;
    // Entra ID says when it issued the token only in the Date header.
    token.issued = reply.header("Date").and_then(token_reply::parse_http_date).filter(|t| *t < token.expires_on);
    Ok(token)
}
