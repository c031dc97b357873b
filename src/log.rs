//! Diagnostics on stderr, at a level set once from the command line.
//!
//! stdout belongs to the credential, so every message goes to stderr. Nothing
//! logged may carry a secret: log names, hosts, paths and status codes, and pass
//! URLs through [`redact_url`] first.

use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    Error = 0,
    Info = 1,
    Debug = 2,
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Error as u8);

/// Sets the level for the rest of the process.
pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

/// True when messages at `level` are printed.
pub fn enabled(level: Level) -> bool {
    LEVEL.load(Ordering::Relaxed) >= level as u8
}

/// Prints a debug line on stderr when `--debug` / `--log-level debug` is on.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::Level::Debug) {
            eprintln!("kubecred: debug: {}", $crate::log::redact_userinfo(&format!($($arg)*)));
        }
    };
}

/// Prints an informational line on stderr at `--log-level info` and above.
#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::Level::Info) {
            eprintln!("kubecred: {}", $crate::log::redact_userinfo(&format!($($arg)*)));
        }
    };
}

/// Query parameters whose values are secrets or signatures.
const SECRET_PARAMS: &[&str] = &[
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-credential",
    "signature",
    "securitytoken",
    "accesskeyid",
    "accesskeysecret",
    "webidentitytoken",
    "oidctoken",
    "token",
];

/// Returns `url` with the values of secret query parameters replaced by `REDACTED`.
///
/// ```
/// # use kubecred::log::redact_url;
/// assert_eq!(
///     redact_url("https://sts.amazonaws.com/?Action=A&X-Amz-Signature=abc"),
///     "https://sts.amazonaws.com/?Action=A&X-Amz-Signature=REDACTED"
/// );
/// ```
pub fn redact_url(url: &str) -> String {
    let url = redact_userinfo(url);
    let Some((base, query)) = url.split_once('?') else {
        return url.into_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_param(name) => format!("{name}=REDACTED"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// `text` with the password of every URL in it (`scheme://user:password@host`)
/// shown as `***`. Every error message and log line passes through here, so a
/// proxy or endpoint URL quoted by any layer (ours, ureq's) keeps its password.
///
/// ```
/// # use kubecred::log::redact_userinfo;
/// assert_eq!(
///     redact_userinfo("proxy http://bob:hunter2@proxy.local:3128 refused"),
///     "proxy http://bob:***@proxy.local:3128 refused"
/// );
/// assert_eq!(redact_userinfo("https://h/p?a=b"), "https://h/p?a=b");
/// ```
pub fn redact_userinfo(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends where a path, query, fragment or the surrounding text begins.
        let end = tail.find(|c: char| {
            matches!(c, '/' | '?' | '#') || c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`')
        });
        let authority = &tail[..end.unwrap_or(tail.len())];
        match authority.rfind('@').map(|i| (&authority[..i], &authority[i..])) {
            Some((userinfo, host)) => {
                match userinfo.split_once(':') {
                    Some((user, _password)) => {
                        out.push_str(user);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(host);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority.len()..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// True for header or parameter names whose values must never be logged.
pub fn is_secret_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_PARAMS.contains(&lower.as_str())
        || lower == "authorization"
        || lower.contains("token")
        || lower.contains("secret")
        || lower.contains("password")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_only_secret_values() {
        let url = "https://h/?Action=GetCallerIdentity&X-Amz-Security-Token=s3cr3t&X-Amz-Date=20200101T000000Z";
        let out = redact_url(url);
        assert!(!out.contains("s3cr3t"));
        assert!(out.contains("X-Amz-Date=20200101T000000Z"));
        assert!(out.contains("Action=GetCallerIdentity"));
    }

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(redact_url("http://u:p@127.0.0.1:1/x?token=t"), "http://u:***@127.0.0.1:1/x?token=REDACTED");
        assert_eq!(
            redact_userinfo("a https://u:p%40ss@h1 and http://v:w@h2/ and \"http://x:y@h3\""),
            "a https://u:***@h1 and http://v:***@h2/ and \"http://x:***@h3\""
        );
        // A raw @ in the password: everything up to the last @ of the authority is hidden.
        assert_eq!(redact_userinfo("http://u:p@ss@host"), "http://u:***@host");
        assert_eq!(redact_userinfo("http://user@host"), "http://user@host");
        assert_eq!(redact_userinfo("mail a@b, no url"), "mail a@b, no url");
        assert_eq!(redact_userinfo("http://u:p@"), "http://u:***@");
        assert_eq!(redact_userinfo("://:@"), "://:***@");
    }

    #[test]
    fn url_without_query_unchanged() {
        assert_eq!(redact_url("https://h/path"), "https://h/path");
    }
}
