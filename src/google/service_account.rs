//! A service account key: an RS256 JWT assertion signed with it, traded at the
//! file's `token_uri` (the `jwt-bearer` grant), as golang.org/x/oauth2/google does.

use super::credentials_file::CredentialsFile;
use super::{AccessToken, cached, post_form};
use crate::error::Result;
use crate::jwt::{Algorithm, SigningKey, sign};
use crate::time::Timestamp;
use serde_json::json;

/// How long the assertion is good for (the most Google accepts).
const ASSERTION_SECONDS: i64 = 3600;

/// A token for the service account in `file` (a [`CredentialsFile::ServiceAccount`]).
pub fn token(file: &CredentialsFile, scopes: &[&str]) -> Result<AccessToken> {
    let CredentialsFile::ServiceAccount { client_email, private_key_id, private_key, token_uri } = file else {
        return Err(crate::error::Error::new("not a service_account file"));
    };
    let scope = scopes.join(" ");
    let key_id = private_key_id.as_deref().unwrap_or("");
    cached("google-service-account", &[client_email, key_id, token_uri, &scope], || {
        let key = SigningKey::from_pem(private_key.expose(), "private_key")?;
        let assertion = assertion(client_email, private_key_id.as_deref(), &scope, token_uri, &key, Timestamp::now())?;
        let what = format!("service account {client_email} at {}", crate::http::host_of(token_uri));
        post_form(
            token_uri,
            &[("assertion", &assertion), ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")],
            &what,
            &[&assertion],
        )
    })
}

/// The signed assertion: header `{alg, typ, kid}` and claims `{iss, scope, aud,
/// exp, iat}`, in the order Go's oauth2/jws writes them.
///
/// ```
/// use kubecred::google::service_account::assertion;
/// use kubecred::jwt::SigningKey;
/// use kubecred::time::Timestamp;
/// let key = SigningKey::from_pem(&std::fs::read_to_string("tests/data/jwt/rsa-pkcs8.pem").unwrap(), "k")?;
/// let jwt = assertion("sa@p.iam.gserviceaccount.com", Some("k1"), "s", "https://oauth2.googleapis.com/token", &key, Timestamp(0))?;
/// let claims = jwt.split('.').nth(1).unwrap();
/// use base64::Engine;
/// let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(claims).unwrap();
/// assert_eq!(String::from_utf8(claims).unwrap(),
///     r#"{"iss":"sa@p.iam.gserviceaccount.com","scope":"s","aud":"https://oauth2.googleapis.com/token","exp":3600,"iat":0}"#);
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn assertion(
    client_email: &str,
    key_id: Option<&str>,
    scope: &str,
    audience: &str,
    key: &SigningKey,
    now: Timestamp,
) -> Result<String> {
    let mut header = json!({"alg": "RS256", "typ": "JWT"});
    if let Some(id) = key_id {
        header["kid"] = id.into();
    }
    let claims = json!({
        "iss": client_email,
        "scope": scope,
        "aud": audience,
        "exp": now.0 + ASSERTION_SECONDS,
        "iat": now.0,
    });
    sign(&header, &claims, key, Algorithm::Rs256)
}
