//! Where Entra ID (Azure AD) lives: the login host of each Azure cloud, the
//! checks on a tenant and an authority host before they become parts of a URL,
//! and the token endpoint built from them.
//!
//! ```
//! use kubecred::azure::authority::{Authority, Cloud};
//! let authority = Authority::new(Cloud::AzureChinaCloud.login_host(), "contoso.onmicrosoft.com")?;
//! assert_eq!(authority.token_endpoint(), "https://login.chinacloudapi.cn/contoso.onmicrosoft.com/oauth2/v2.0/token");
//! assert!(Authority::new("https://login.microsoftonline.com/", "evil.com/x?").is_err());
//! assert!(Authority::new("https://user@login.microsoftonline.com/", "t").is_err());
//! # Ok::<(), kubecred::error::Error>(())
//! ```

use crate::error::{Error, Result};

/// The Azure clouds kubelogin's `--environment` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    AzurePublicCloud,
    AzureChinaCloud,
    AzureUSGovernmentCloud,
}

impl Cloud {
    /// Reads an environment name the way kubelogin does: case-insensitive, with
    /// its aliases (`AzureCloud`, `AzurePublic`, `AzureUSGovernment`).
    ///
    /// kubelogin falls back to the public cloud for a name it does not know; a
    /// typo there sends a credential to the wrong cloud, so kubecred refuses it.
    pub fn parse(name: &str) -> Result<Cloud> {
        match name.to_ascii_uppercase().as_str() {
            "AZURECLOUD" | "AZUREPUBLIC" | "AZUREPUBLICCLOUD" => Ok(Cloud::AzurePublicCloud),
            "AZURECHINACLOUD" => Ok(Cloud::AzureChinaCloud),
            "AZUREUSGOVERNMENT" | "AZUREUSGOVERNMENTCLOUD" => Ok(Cloud::AzureUSGovernmentCloud),
            _ => Err(Error::usage(format!(
                "--environment: unknown Azure environment {name:?} (AzurePublicCloud, AzureChinaCloud, AzureUSGovernmentCloud)"
            ))),
        }
    }

    /// The cloud's Entra ID login host, as azure-sdk-for-go's `cloud` package names it.
    pub fn login_host(self) -> &'static str {
        match self {
            Cloud::AzurePublicCloud => "https://login.microsoftonline.com/",
            Cloud::AzureChinaCloud => "https://login.chinacloudapi.cn/",
            Cloud::AzureUSGovernmentCloud => "https://login.microsoftonline.us/",
        }
    }
}

/// A checked authority host and tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// `https://host[:port][/path]`, without a trailing slash.
    host: String,
    tenant: String,
}

impl Authority {
    /// Checks both parts (see [`check_authority_host`] and [`check_tenant`]).
    pub fn new(authority_host: &str, tenant: &str) -> Result<Authority> {
        let host = check_authority_host(authority_host)?;
        check_tenant(tenant)?;
        Ok(Authority { host, tenant: tenant.to_string() })
    }

    /// `{host}/{tenant}/oauth2/v2.0/token`: where a client-credentials grant goes,
    /// and the `aud` of a client assertion.
    pub fn token_endpoint(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.host, self.tenant)
    }

    /// The authority host as it goes into cache keys (no trailing slash).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn tenant(&self) -> &str {
        &self.tenant
    }
}

/// A tenant is a GUID or a domain name (`contoso.onmicrosoft.com`): letters,
/// digits, `-` and `.`, at most 253 characters. Anything else (`@`, `/`, `?`,
/// `#`, `%`, spaces) would change the URL it is put into.
///
/// ```
/// use kubecred::azure::authority::check_tenant;
/// assert!(check_tenant("72f988bf-86f1-41af-91ab-2d7cd011db47").is_ok());
/// assert!(check_tenant("contoso.onmicrosoft.com").is_ok());
/// for bad in ["", "a/b", "a@b", "a?b", "a#b", "..", "-x", "a b", "%2e"] {
///     assert!(check_tenant(bad).is_err(), "{bad}");
/// }
/// ```
pub fn check_tenant(tenant: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    let plausible = !tenant.is_empty()
        && tenant.len() <= 253
        && tenant.chars().all(allowed)
        && !tenant.starts_with(['.', '-'])
        && !tenant.contains("..");
    if plausible {
        Ok(())
    } else {
        Err(Error::usage(format!("tenant id {:?} is neither a GUID nor a domain name", shorten(tenant))))
    }
}

/// An authority host is `https://host[:port][/path][/]` with no user name,
/// query or fragment (`http://` only for a loopback host, as tests and local
/// stand-ins use). Returns it without the trailing slash.
///
/// ```
/// use kubecred::azure::authority::check_authority_host;
/// assert_eq!(check_authority_host("https://login.microsoftonline.com/")?, "https://login.microsoftonline.com");
/// assert_eq!(check_authority_host("http://127.0.0.1:8443")?, "http://127.0.0.1:8443");
/// for bad in ["login.microsoftonline.com", "http://login.microsoftonline.com/", "https://a@b/", "https://h/?x",
///             "https://h/#x", "https:///", "https://h/../x", "ftp://h/"] {
///     assert!(check_authority_host(bad).is_err(), "{bad}");
/// }
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn check_authority_host(url: &str) -> Result<String> {
    let bad = |why: &str| Error::usage(format!("authority host {:?}: {why}", shorten(url)));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("expected https://HOST/"))?;
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    if url.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '@' | '?' | '#' | '\\' | '%')) {
        return Err(bad("user names, queries, fragments, escapes and spaces are not allowed"));
    }
    let host_ok = !authority.is_empty()
        && authority.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'));
    if !host_ok {
        return Err(bad("expected a host name"));
    }
    match scheme {
        "https" => {}
        "http" if crate::http::is_loopback_host(authority) => {}
        "http" => return Err(bad("plain http is allowed only to a loopback host")),
        _ => return Err(bad("expected https://HOST/")),
    }
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(bad("a path with . or .. segments"));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// At most 80 characters of a value for an error message (values here are
/// names and URLs, not secrets; the bound keeps one line readable).
fn shorten(text: &str) -> String {
    if text.chars().count() <= 80 {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(80).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_as_kubelogin_names_them() {
        assert_eq!(Cloud::parse("AzurePublicCloud").unwrap(), Cloud::AzurePublicCloud);
        assert_eq!(Cloud::parse("azurecloud").unwrap(), Cloud::AzurePublicCloud);
        assert_eq!(Cloud::parse("AZUREUSGOVERNMENT").unwrap(), Cloud::AzureUSGovernmentCloud);
        assert_eq!(Cloud::parse("AzureChinaCloud").unwrap().login_host(), "https://login.chinacloudapi.cn/");
        assert_eq!(Cloud::parse("AzureStackCloud").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn token_endpoint_with_and_without_slash() {
        for host in ["https://login.microsoftonline.us", "https://login.microsoftonline.us/"] {
            let a = Authority::new(host, "t1").unwrap();
            assert_eq!(a.token_endpoint(), "https://login.microsoftonline.us/t1/oauth2/v2.0/token");
        }
    }
}
