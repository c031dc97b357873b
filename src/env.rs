//! A snapshot of the environment variables kubecred reads.
//!
//! Providers read variables through an [`Env`] rather than `std::env`, so that
//! tests can run a chain in-process with any environment, in parallel, without
//! touching the process's own.

use std::collections::HashMap;
use std::path::PathBuf;

/// Environment variables by name; empty values count as unset (as the SDKs treat them).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// The process's environment (variables that are not UTF-8 are left out).
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// An environment holding exactly `pairs`.
    ///
    /// ```
    /// let env = kubecred::env::Env::from_pairs(&[("AWS_REGION", "eu-west-1"), ("EMPTY", "")]);
    /// assert_eq!(env.get("AWS_REGION"), Some("eu-west-1"));
    /// assert_eq!(env.get("EMPTY"), None);
    /// ```
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Env {
        Env { vars: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() }
    }

    /// The value of `name`, if set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// True when `name` is `true`, `1` or `yes` (any case), as the SDKs read switches.
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
    }

    /// `$HOME`, if set.
    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME").map(PathBuf::from)
    }

    /// Expands a leading `~/` against `$HOME` (as the AWS and Alibaba tools do for paths in config).
    pub fn expand_home(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), self.home()) {
            (Some(rest), Some(home)) => home.join(rest),
            _ if path == "~" => self.home().unwrap_or_else(|| PathBuf::from(path)),
            _ => PathBuf::from(path),
        }
    }

    /// `$NAME` and `${NAME}` replaced by the variable's value, as Python's
    /// `os.path.expandvars` does (botocore applies it to AWS_CONFIG_FILE and
    /// AWS_SHARED_CREDENTIALS_FILE): NAME is ASCII letters, digits and `_`; an
    /// unset variable is left as written.
    pub fn expand_vars(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let (name, written) = match after.strip_prefix('{') {
                Some(braced) => match braced.find('}') {
                    Some(end) => (&braced[..end], end + 2),
                    None => ("", 0),
                },
                None => {
                    let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                    (&after[..end], end)
                }
            };
            match self.get(name).filter(|_| !name.is_empty()) {
                Some(value) => out.push_str(value),
                None => out.push_str(&rest[at..at + 1 + written]),
            }
            rest = &after[written..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_and_home() {
        let env = Env::from_pairs(&[("A", "TRUE"), ("B", "0"), ("HOME", "/home/u")]);
        assert!(env.is_true("A"));
        assert!(!env.is_true("B") && !env.is_true("C"));
        assert_eq!(env.expand_home("~/.aws/config"), PathBuf::from("/home/u/.aws/config"));
        assert_eq!(env.expand_home("/etc/x"), PathBuf::from("/etc/x"));
    }

    #[test]
    fn variables_expand_as_python_expandvars() {
        let env = Env::from_pairs(&[("HOME", "/home/u"), ("D", "/d"), ("A_1", "x")]);
        assert_eq!(env.expand_vars("$HOME/.aws/config"), "/home/u/.aws/config");
        assert_eq!(env.expand_vars("${D}/c-$A_1.$A_1"), "/d/c-x.x");
        assert_eq!(env.expand_vars("$UNSET/a ${UNSET} ${} $ ${open"), "$UNSET/a ${UNSET} ${} $ ${open");
        assert_eq!(env.expand_vars("a$$D"), "a$/d");
        assert_eq!(env.expand_vars("é$D"), "é/d");
    }
}
