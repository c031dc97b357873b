//! What a cache entry is for, in words that carry no secret: the `about`
//! field `kubecred cache list` shows.
//!
//! Key parts mix names (role ARNs, URLs, access key ids) with values that must
//! never be shown (fingerprints of secrets and tokens, for example). Rather
//! than trusting every caller to say which is which, only parts whose *shape*
//! marks them as public are kept: ARNs, URLs (without userinfo or query),
//! access key ids, account ids and absolute paths. Anything else is left out.

/// The description of an entry under `namespace` keyed by `parts`.
///
/// ```
/// use kubecred::cache::about::describe;
/// let parts = ["AssumeRole", "arn:aws:iam::1:role/r", "AKIAIOSFODNN7EXAMPLE", "", "s", "us-east-1",
///     "https://user:pw@sts.us-east-1.amazonaws.com/?X=secret"];
/// assert_eq!(describe("aws-sts", &parts),
///     "aws-sts arn:aws:iam::1:role/r AKIAIOSFODNN7EXAMPLE https://sts.us-east-1.amazonaws.com/");
/// // A fingerprint or a token is never kept.
/// assert_eq!(describe("alibaba-oidc", &["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]),
///     "alibaba-oidc");
/// ```
pub fn describe(namespace: &str, parts: &[&str]) -> String {
    let mut words = vec![namespace.to_string()];
    words.extend(parts.iter().filter_map(|part| public_form(part)));
    words.join(" ")
}

/// `part` as it may be shown, if its shape says it is not a secret.
fn public_form(part: &str) -> Option<String> {
    let part = part.trim();
    if part.is_empty() || part.len() > 512 || part.chars().any(char::is_control) {
        return None;
    }
    if part.starts_with("arn:") || part.starts_with("acs:ram::") {
        return Some(part.to_string());
    }
    if let Some((scheme, rest)) = part.split_once("://") {
        return url_without_secrets(scheme, rest);
    }
    if is_access_key_id(part) || (part.len() == 12 && part.bytes().all(|b| b.is_ascii_digit())) {
        return Some(part.to_string());
    }
    if part.starts_with('/') && !part.contains(char::is_whitespace) {
        return Some(part.to_string());
    }
    None
}

/// `scheme://host/path`: userinfo, query and fragment dropped.
fn url_without_secrets(scheme: &str, rest: &str) -> Option<String> {
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = authority.rsplit('@').next().unwrap_or_default();
    Some(format!("{scheme}://{host}{path}"))
}

/// AWS (`AKIA…`, `ASIA…`) and Alibaba Cloud (`LTAI…`, `STS.…`) access key ids:
/// public halves of a key pair, shown by the clouds' own consoles and logs.
fn is_access_key_id(part: &str) -> bool {
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let aws = (part.starts_with("AKIA") || part.starts_with("ASIA"))
        && part.len() == 20
        && part.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let alibaba = (part.starts_with("LTAI") && part.len() <= 32 && alnum(part))
        || part.strip_prefix("STS.").is_some_and(|rest| rest.len() <= 64 && alnum(rest));
    aws || alibaba
}

/// A command line for display: each word as given, except values that follow
/// or are attached to a flag whose name says it holds a secret
/// (`--client-secret X`, `--token=X`, `--password X`), shown as `***`.
///
/// ```
/// use kubecred::cache::about::command_line;
/// let words = ["kubelogin", "get-token", "--client-id", "app", "--client-secret", "s3cr3t", "--token=t0k"];
/// assert_eq!(command_line(&words), "kubelogin get-token --client-id app --client-secret *** --token=***");
/// ```
pub fn command_line<S: AsRef<str>>(words: &[S]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut hide_next = false;
    for word in words {
        let word = word.as_ref();
        if hide_next && !word.starts_with('-') {
            out.push("***".into());
            hide_next = false;
            continue;
        }
        hide_next = false;
        match word.split_once('=') {
            Some((flag, _)) if flag.starts_with('-') && secret_flag(flag) => out.push(format!("{flag}=***")),
            _ if word.starts_with('-') && secret_flag(word) => {
                hide_next = true;
                out.push(word.to_string());
            }
            _ => out.push(shell_word(word)),
        }
    }
    out.join(" ")
}

fn secret_flag(flag: &str) -> bool {
    let name = flag.trim_start_matches('-');
    crate::log::is_secret_param(name) || name.to_ascii_lowercase().contains("key")
}

/// A word quoted when it would not read back as one word.
fn shell_word(word: &str) -> String {
    if !word.is_empty() && !word.contains(|c: char| c.is_whitespace() || c.is_control() || "'\"\\$`".contains(c)) {
        return word.to_string();
    }
    let visible: String = word.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    format!("'{}'", visible.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_shapes_are_kept() {
        assert_eq!(public_form("acs:ram::1:role/r").as_deref(), Some("acs:ram::1:role/r"));
        assert_eq!(public_form("http://169.254.169.254").as_deref(), Some("http://169.254.169.254"));
        assert_eq!(public_form("file://x"), None);
        assert_eq!(public_form("123456789012").as_deref(), Some("123456789012"));
        assert_eq!(public_form("LTAI5tExample").as_deref(), Some("LTAI5tExample"));
        assert_eq!(public_form("/var/run/secrets/token").as_deref(), Some("/var/run/secrets/token"));
        for secret in ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "EKSGetTokenAuth", "us-east-1", "3600", "a b"] {
            assert_eq!(public_form(secret), None, "{secret}");
        }
    }

    #[test]
    fn secret_flag_values_are_hidden() {
        assert_eq!(command_line(&["p", "--api-key", "k", "--x", "y"]), "p --api-key *** --x y");
        assert_eq!(command_line(&["p", "--token", "--verbose"]), "p --token --verbose");
        assert_eq!(command_line(&["p", "a b", "it's"]), "p 'a b' 'it'\\''s'");
    }
}
