//! Region names become part of host names (`sts.REGION.amazonaws.com`,
//! `cs.REGION.aliyuncs.com`, `portal.sso.REGION.amazonaws.com`), so a value
//! such as `x@evil.example:443/#` would send a request, with its credentials,
//! to another host. Every setting that names a region is checked here before
//! any request is made.

/// The longest region name accepted; real ones are under 30 characters.
pub const MAX_LEN: usize = 64;

/// Why `value` is not spelled as a region name, if it is not: real AWS and
/// Alibaba Cloud regions are lower-case letters, digits and dashes, starting
/// with a letter (`us-east-1`, `cn-hangzhou-finance`).
///
/// ```
/// use kubecred::region_name::why_not;
/// assert_eq!(why_not("us-gov-west-1"), None);
/// assert_eq!(why_not("cn-hangzhou"), None);
/// assert!(why_not("x@evil.example:443/#").is_some());
/// ```
pub fn why_not(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("it is empty");
    }
    if value.len() > MAX_LEN {
        return Some("it is too long");
    }
    if !value.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("it does not start with a lower-case letter");
    }
    if value.ends_with('-') {
        return Some("it ends with a dash");
    }
    if !value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Some("only lower-case letters, digits and dashes may appear in it");
    }
    None
}

/// `Err` with a one-line message naming `setting` when `value` is not a region
/// name; `example` is a real one from the same cloud.
///
/// ```
/// let message = kubecred::region_name::check("us east 1", "--region", "us-east-1").unwrap_err();
/// assert_eq!(message, "--region: \"us east 1\" is not a region name (like us-east-1): only lower-case letters, digits and dashes may appear in it");
/// ```
pub fn check(value: &str, setting: &str, example: &str) -> Result<(), String> {
    match why_not(value) {
        None => Ok(()),
        Some(why) => {
            let shown: String = value.chars().take(MAX_LEN).collect();
            let more = if shown.len() < value.len() { "..." } else { "" };
            Err(format!("{setting}: {shown:?}{more} is not a region name (like {example}): {why}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_changing_values_are_refused() {
        for bad in [
            "x@127.0.0.1:8443/#",
            "evil.com",
            "us-east-1.evil.com",
            "a/b",
            "a?b",
            "a#b",
            "US-EAST-1",
            "-x",
            "x-",
            "1abc",
            "",
            " us-east-1",
            "cn-hangzhou\n",
            "ü",
        ] {
            assert!(why_not(bad).is_some(), "{bad:?}");
        }
        assert!(why_not(&"a".repeat(MAX_LEN + 1)).is_some());
        for good in ["us-east-1", "eu-isoe-west-1", "cn-north-1", "ap-southeast-1", "cn-hangzhou-finance", "a"] {
            assert_eq!(why_not(good), None, "{good}");
        }
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let message = check(&"a.".repeat(500), "sts_region", "cn-hangzhou").unwrap_err();
        assert!(message.len() < 200, "{message}");
    }
}
