//! Workload identity federation (`external_account`): a subject token from a
//! file or URL, traded at STS (RFC 8693 token exchange) for a Google access
//! token, then, when the file says so, for a service account's token.

use super::credentials_file::{ExternalAccount, SubjectTokenFormat, SubjectTokenSource};
use super::{AccessToken, SCOPES, cached, impersonation, post_form};
use crate::env::Env;
use crate::error::{Error, Result};

/// Subject tokens are JWTs or SAML assertions: a few KiB.
const MAX_SUBJECT_BYTES: u64 = 64 * 1024;

/// A token for `account`.
pub fn token(env: &Env, account: &ExternalAccount, scopes: &[&str]) -> Result<AccessToken> {
    let source = match &account.source {
        SubjectTokenSource::File { path, .. } => format!("file {path}"),
        SubjectTokenSource::Url { url, .. } => format!("url {url}"),
    };
    // Impersonation needs only cloud-platform from STS; the service account's token gets the scopes.
    let sts_scopes: Vec<&str> = if account.impersonation_url.is_some() { vec![SCOPES[0]] } else { scopes.to_vec() };
    let sts_scope = sts_scopes.join(" ");
    let impersonation_url = account.impersonation_url.as_deref().unwrap_or("");
    let key = [account.audience.as_str(), &account.token_url, &source, impersonation_url, &scopes.join(" ")];
    cached("google-external-account", &key, || {
        let subject = subject_token(env, &account.source)?;
        let sts = exchange(account, &subject, &sts_scope)?;
        match &account.impersonation_url {
            None => Ok(sts),
            Some(url) => impersonation::generate(&sts, url, &[], account.token_lifetime_seconds, scopes),
        }
    })
}

fn exchange(account: &ExternalAccount, subject: &str, scope: &str) -> Result<AccessToken> {
    let options = account
        .workforce_pool_user_project
        .as_ref()
        .map(|project| crate::json::to_string(&serde_json::json!({"userProject": project}), 0));
    let mut form = vec![
        ("audience", account.audience.as_str()),
        ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
        ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
        ("scope", scope),
        ("subject_token", subject),
        ("subject_token_type", account.subject_token_type.as_str()),
    ];
    if let Some(options) = &options {
        form.push(("options", options));
    }
    let what = format!("STS token exchange at {}", crate::http::host_of(&account.token_url));
    post_form(&account.token_url, &form, &what, &[subject])
}

/// The subject token the source holds.
fn subject_token(env: &Env, source: &SubjectTokenSource) -> Result<String> {
    let (text, format, what) = match source {
        SubjectTokenSource::File { path, format } => {
            let path = env.expand_home(path);
            let what = format!("credential_source file {}", path.display());
            let bytes =
                crate::files::read_bounded(&path, MAX_SUBJECT_BYTES).map_err(|e| Error::new(format!("{what}: {e}")))?;
            (bytes, format, what)
        }
        SubjectTokenSource::Url { url, headers, format } => {
            let what = format!("credential_source url {}", crate::log::redact_url(url));
            let mut request = crate::http::Request::new("GET", url.as_str());
            for (name, value) in headers {
                request = request.header(name.as_str(), value.as_str());
            }
            let response = crate::http::send(&request).map_err(|e| e.context(&what))?;
            if !response.is_success() {
                return Err(Error::new(format!("{what}: HTTP {}", response.status)));
            }
            (response.body, format, what)
        }
    };
    let token = parse_subject(&text, format).map_err(|why| Error::new(format!("{what}: {why}")))?;
    if token.is_empty() {
        return Err(Error::new(format!("{what}: the subject token is empty")));
    }
    Ok(token)
}

/// The subject token in a source's bytes: the whole text trimmed, or a JSON field.
///
/// ```
/// use kubecred::google::credentials_file::SubjectTokenFormat;
/// use kubecred::google::external_account::parse_subject;
/// assert_eq!(parse_subject(b"eyJ.a.b\n", &SubjectTokenFormat::Text).unwrap(), "eyJ.a.b");
/// let json = SubjectTokenFormat::Json { field: "id_token".into() };
/// assert_eq!(parse_subject(br#"{"id_token": "eyJ.c.d"}"#, &json).unwrap(), "eyJ.c.d");
/// assert!(parse_subject(br#"{"other": 1}"#, &json).is_err());
/// ```
pub fn parse_subject(bytes: &[u8], format: &SubjectTokenFormat) -> std::result::Result<String, String> {
    let token = match format {
        SubjectTokenFormat::Text => {
            std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?.trim().to_string()
        }
        SubjectTokenFormat::Json { field } => {
            let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| "not JSON".to_string())?;
            crate::json::str_field(&value, field)
                .ok_or_else(|| format!("no string field {field:?}"))?
                .trim()
                .to_string()
        }
    };
    // It is sent in a form; control characters mean a broken source.
    if token.chars().any(char::is_control) {
        return Err("the subject token holds control characters".into());
    }
    Ok(token)
}
