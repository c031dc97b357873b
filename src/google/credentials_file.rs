//! Application Default Credentials files: what `gcloud auth application-default
//! login`, the IAM console and workload identity federation write, as
//! google-auth reads them. Parsing is pure (and fuzzed); fetching a token from
//! what a file says is in the sibling modules.

use crate::error::{Error, Result};
use crate::secret::Secret;
use serde_json::Value;

/// The token endpoint service accounts and users use when their file names none.
pub const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

/// What a credentials file holds; its secrets are [`Secret`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsFile {
    /// `service_account`: a key that signs a JWT for the `jwt-bearer` grant.
    ServiceAccount { client_email: String, private_key_id: Option<String>, private_key: Secret, token_uri: String },
    /// `authorized_user`: a user's refresh token (`gcloud auth application-default login`).
    AuthorizedUser { client_id: String, client_secret: Secret, refresh_token: Secret, token_uri: String },
    /// `external_account`: workload identity federation, a subject token traded at STS.
    ExternalAccount(ExternalAccount),
    /// `impersonated_service_account`: source credentials that impersonate a service account.
    Impersonated { impersonation_url: String, delegates: Vec<String>, source: Box<CredentialsFile> },
}

/// A workload identity federation configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalAccount {
    pub audience: String,
    pub subject_token_type: String,
    pub token_url: String,
    pub impersonation_url: Option<String>,
    /// `service_account_impersonation.token_lifetime_seconds` (default 3600).
    pub token_lifetime_seconds: u64,
    pub source: SubjectTokenSource,
    /// `workforce_pool_user_project`, sent to STS for workforce pools.
    pub workforce_pool_user_project: Option<String>,
}

/// Where the subject token comes from, and how it is written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectTokenSource {
    File { path: String, format: SubjectTokenFormat },
    Url { url: String, headers: Vec<(String, String)>, format: SubjectTokenFormat },
}

/// `credential_source.format`: the whole text, or one field of a JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectTokenFormat {
    Text,
    Json { field: String },
}

/// How deep `impersonated_service_account` may nest its source credentials.
const MAX_NESTING: usize = 4;

/// Parses a credentials file; `what` names it in errors, which name fields, never values.
///
/// ```
/// use kubecred::google::credentials_file::{parse, CredentialsFile};
/// let file = br#"{"type": "authorized_user", "client_id": "c", "client_secret": "s", "refresh_token": "r"}"#;
/// let CredentialsFile::AuthorizedUser { token_uri, .. } = parse(file, "ADC file")? else { panic!() };
/// assert_eq!(token_uri, "https://oauth2.googleapis.com/token");
/// assert!(parse(br#"{"type": "gdch_service_account"}"#, "ADC file").is_err());
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn parse(bytes: &[u8], what: &str) -> Result<CredentialsFile> {
    let value = crate::json::parse(bytes, what)?;
    from_value(&value, what, 0)
}

fn from_value(value: &Value, what: &str, depth: usize) -> Result<CredentialsFile> {
    if !value.is_object() {
        return Err(Error::new(format!("{what}: not a JSON object")));
    }
    let text = |key: &str| -> Option<String> { crate::json::str_field(value, key).map(str::to_string) };
    let need = |key: &str| -> Result<String> {
        text(key).filter(|v| !v.is_empty()).ok_or_else(|| Error::new(format!("{what}: no {key}")))
    };
    let kind = text("type").ok_or_else(|| Error::new(format!("{what}: no type")))?;
    match kind.as_str() {
        "service_account" => Ok(CredentialsFile::ServiceAccount {
            client_email: need("client_email")?,
            private_key_id: text("private_key_id").filter(|v| !v.is_empty()),
            private_key: Secret::new(need("private_key")?),
            token_uri: text("token_uri").filter(|v| !v.is_empty()).unwrap_or_else(|| DEFAULT_TOKEN_URI.into()),
        }),
        "authorized_user" => Ok(CredentialsFile::AuthorizedUser {
            client_id: need("client_id")?,
            client_secret: Secret::new(need("client_secret")?),
            refresh_token: Secret::new(need("refresh_token")?),
            token_uri: text("token_uri").filter(|v| !v.is_empty()).unwrap_or_else(|| DEFAULT_TOKEN_URI.into()),
        }),
        "external_account" => external_account(value, what).map(CredentialsFile::ExternalAccount),
        "impersonated_service_account" => {
            if depth >= MAX_NESTING {
                return Err(Error::new(format!("{what}: source_credentials nested more than {MAX_NESTING} deep")));
            }
            let source =
                value.get("source_credentials").ok_or_else(|| Error::new(format!("{what}: no source_credentials")))?;
            let delegates = match value.get("delegates") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|d| d.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Error::new(format!("{what}: delegates must be strings")))?,
                Some(_) => return Err(Error::new(format!("{what}: delegates is not a list"))),
            };
            Ok(CredentialsFile::Impersonated {
                impersonation_url: need("service_account_impersonation_url")?,
                delegates,
                source: Box::new(from_value(source, &format!("{what}: source_credentials"), depth + 1)?),
            })
        }
        other => Err(Error::new(format!(
            "{what}: credentials of type {other:?} are not supported (supported: service_account, \
             authorized_user, external_account, impersonated_service_account)"
        ))),
    }
}

fn external_account(value: &Value, what: &str) -> Result<ExternalAccount> {
    let text = |key: &str| crate::json::str_field(value, key).filter(|v| !v.is_empty()).map(str::to_string);
    let need = |key: &str| text(key).ok_or_else(|| Error::new(format!("{what}: no {key}")));
    let source = value.get("credential_source").ok_or_else(|| Error::new(format!("{what}: no credential_source")))?;
    let lifetime = match value.get("service_account_impersonation").and_then(|v| v.get("token_lifetime_seconds")) {
        None | Some(Value::Null) => 3600,
        Some(v) => v
            .as_u64()
            .filter(|s| (600..=43200).contains(s))
            .ok_or_else(|| Error::new(format!("{what}: token_lifetime_seconds must be 600 to 43200")))?,
    };
    Ok(ExternalAccount {
        audience: need("audience")?,
        subject_token_type: need("subject_token_type")?,
        token_url: text("token_url").unwrap_or_else(|| "https://sts.googleapis.com/v1/token".into()),
        impersonation_url: text("service_account_impersonation_url"),
        token_lifetime_seconds: lifetime,
        source: subject_source(source, what)?,
        workforce_pool_user_project: text("workforce_pool_user_project"),
    })
}

fn subject_source(source: &Value, what: &str) -> Result<SubjectTokenSource> {
    let what = format!("{what}: credential_source");
    let format = match source.get("format") {
        None | Some(Value::Null) => SubjectTokenFormat::Text,
        Some(format) => match crate::json::str_field(format, "type").unwrap_or("text") {
            "text" => SubjectTokenFormat::Text,
            "json" => SubjectTokenFormat::Json {
                field: crate::json::str_field(format, "subject_token_field_name")
                    .filter(|f| !f.is_empty())
                    .ok_or_else(|| Error::new(format!("{what}: a json format needs subject_token_field_name")))?
                    .to_string(),
            },
            other => return Err(Error::new(format!("{what}: format type {other:?} is not text or json"))),
        },
    };
    if let Some(path) = crate::json::str_field(source, "file").filter(|p| !p.is_empty()) {
        return Ok(SubjectTokenSource::File { path: path.to_string(), format });
    }
    if let Some(url) = crate::json::str_field(source, "url").filter(|u| !u.is_empty()) {
        let headers = match source.get("headers") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| Error::new(format!("{what}: header values must be strings")))?,
            Some(_) => return Err(Error::new(format!("{what}: headers is not an object"))),
        };
        return Ok(SubjectTokenSource::Url { url: url.to_string(), headers, format });
    }
    let kind = if source.get("environment_id").is_some() {
        "an AWS (environment_id) source"
    } else if source.get("executable").is_some() {
        "an executable source"
    } else {
        "a source without file or url"
    };
    Err(Error::new(format!("{what}: {kind} is not supported (supported: file, url)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_and_its_defaults() {
        let sa = br#"{"type":"service_account","client_email":"a@p.iam.gserviceaccount.com","private_key":"K","private_key_id":"id1"}"#;
        let CredentialsFile::ServiceAccount { token_uri, private_key_id, private_key, .. } = parse(sa, "f").unwrap()
        else {
            panic!()
        };
        assert_eq!((token_uri.as_str(), private_key_id.as_deref()), (DEFAULT_TOKEN_URI, Some("id1")));
        assert_eq!(format!("{private_key:?}"), "<redacted>");
        let ext = br#"{"type":"external_account","audience":"//iam.googleapis.com/x","subject_token_type":"urn:ietf:params:oauth:token-type:jwt",
            "credential_source":{"url":"http://127.0.0.1/t","headers":{"Metadata":"True"},"format":{"type":"json","subject_token_field_name":"id_token"}},
            "service_account_impersonation_url":"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/s:generateAccessToken",
            "service_account_impersonation":{"token_lifetime_seconds":1800}}"#;
        let CredentialsFile::ExternalAccount(ext) = parse(ext, "f").unwrap() else { panic!() };
        assert_eq!(ext.token_url, "https://sts.googleapis.com/v1/token");
        assert_eq!(ext.token_lifetime_seconds, 1800);
        assert_eq!(
            ext.source,
            SubjectTokenSource::Url {
                url: "http://127.0.0.1/t".into(),
                headers: vec![("Metadata".into(), "True".into())],
                format: SubjectTokenFormat::Json { field: "id_token".into() }
            }
        );
        let imp = br#"{"type":"impersonated_service_account","service_account_impersonation_url":"u","delegates":["d"],
            "source_credentials":{"type":"authorized_user","client_id":"c","client_secret":"s","refresh_token":"r"}}"#;
        let CredentialsFile::Impersonated { delegates, source, .. } = parse(imp, "f").unwrap() else { panic!() };
        assert_eq!(delegates, ["d"]);
        assert!(matches!(*source, CredentialsFile::AuthorizedUser { .. }));
    }

    #[test]
    fn errors_name_fields_and_never_values() {
        for (file, expected) in [
            (&br#"[]"#[..], "not a JSON object"),
            (br#"{"type":"service_account","client_email":"a"}"#, "no private_key"),
            (br#"{"type":"authorized_user","client_id":"c","client_secret":"SECRET1"}"#, "no refresh_token"),
            (br#"{"type":"external_account","audience":"a","subject_token_type":"t","credential_source":{"environment_id":"aws1"}}"#, "AWS"),
            (br#"{"type":"external_account","audience":"a","subject_token_type":"t","credential_source":{"executable":{}}}"#, "executable"),
            (br#"{"type":"impersonated_service_account","service_account_impersonation_url":"u","source_credentials":{"type":"x"}}"#, "source_credentials: credentials of type \"x\""),
        ] {
            let message = parse(file, "ADC file").unwrap_err().to_string();
            assert!(message.starts_with("ADC file") && message.contains(expected), "{message}");
            assert!(!message.contains("SECRET1"));
        }
        let mut nested =
            r#"{"type":"authorized_user","client_id":"c","client_secret":"s","refresh_token":"r"}"#.to_string();
        for _ in 0..6 {
            nested = format!(
                r#"{{"type":"impersonated_service_account","service_account_impersonation_url":"u","source_credentials":{nested}}}"#
            );
        }
        assert!(parse(nested.as_bytes(), "f").unwrap_err().to_string().contains("nested more than"));
    }
}
