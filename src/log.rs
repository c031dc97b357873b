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
            eprintln!("kubecred: debug: {}", format_args!($($arg)*));
        }
    };
}

/// Prints an informational line on stderr at `--log-level info` and above.
#[macro_export]
macro_rules! info {
    ($($arg:tt)*) => {
        if $crate::log::enabled($crate::log::Level::Info) {
            eprintln!("kubecred: {}", format_args!($($arg)*));
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
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
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
    fn url_without_query_unchanged() {
        assert_eq!(redact_url("https://h/path"), "https://h/path");
    }
}
