//! The INI dialect of `~/.aws/config` and `~/.aws/credentials`, read the way
//! botocore reads it (Python's `configparser.RawConfigParser`):
//!
//! - `[name]` starts a section; a name may not appear twice in one file.
//! - `key = value` or `key: value`, split at the first `=` or `:`; keys are
//!   lower-cased, keys and values trimmed; a key may not appear twice in a section.
//! - Lines starting with `#` or `;` are comments; there are no inline comments,
//!   so `a = b # c` has the value `b # c`.
//! - A line indented deeper than its key continues the key's value on a new
//!   line. A value that starts with such a line (`s3 =` followed by indented
//!   `k = v` lines) is a nested sub-section; see [`nested`].
//!
//! ```
//! let text = "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n";
//! let sections = kubecred::aws::ini::parse(text, "config").unwrap();
//! assert_eq!(sections[0].name, "profile dev");
//! assert_eq!(sections[0].get("region"), Some("eu-west-1"));
//! let s3 = kubecred::aws::ini::nested(sections[0].get("s3").unwrap());
//! assert_eq!(s3, vec![("addressing_style".to_string(), "path".to_string())]);
//! ```

use crate::error::{Error, Result};

/// One `[section]` and its keys, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The text between the brackets, trimmed.
    pub name: String,
    /// The 1-based line of the header, for messages.
    pub line: usize,
    pub entries: Vec<(String, String)>,
}

impl Section {
    /// The value of `key` (keys are stored lower-cased).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Parses `text`; `source` names the file in errors (with the line number).
pub fn parse(text: &str, source: &str) -> Result<Vec<Section>> {
    let mut sections: Vec<Section> = Vec::new();
    // The names seen so far: organisations generate files with tens of
    // thousands of sections, so a name is looked up once, not compared with each.
    let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // Indentation of the key whose value deeper-indented lines continue.
    let mut open_value_indent: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let at = |what: &str| Error::new(format!("{source} line {number}: {what}"));
        let line = raw.trim_end_matches('\r');
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') || content.starts_with(';') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let continues = open_value_indent.is_some_and(|key_indent| indent > key_indent);
        if let (true, Some((_, value))) = (continues, sections.last_mut().and_then(|s| s.entries.last_mut())) {
            value.push('\n');
            value.push_str(content);
            continue;
        }
        if let Some(name) = section_header(content) {
            if !names.insert(name) {
                return Err(at(&format!("section [{name}] appears a second time")));
            }
            sections.push(Section { name: name.to_string(), line: number, entries: Vec::new() });
            open_value_indent = None;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(at("a setting before the first [section] header"));
        };
        let Some(split) = content.bytes().position(|b| b == b'=' || b == b':') else {
            return Err(at("expected `key = value`, a [section] header or a comment"));
        };
        let key = content[..split].trim().to_ascii_lowercase();
        let value = content[split + 1..].trim().to_string();
        if key.is_empty() {
            return Err(at("a setting without a name"));
        }
        if section.get(&key).is_some() {
            return Err(at(&format!("`{key}` appears a second time in [{}]", section.name)));
        }
        section.entries.push((key, value));
        open_value_indent = Some(indent);
    }
    Ok(sections)
}

/// `[name]` → `name`. As in configparser, text after the closing bracket is ignored.
fn section_header(content: &str) -> Option<&str> {
    let inner = content.strip_prefix('[')?;
    let end = inner.rfind(']')?;
    let name = inner[..end].trim();
    (!name.is_empty()).then_some(name)
}

/// The `k = v` pairs of a nested value (one that began on the line after its key).
/// Lines without `=` are skipped.
pub fn nested(value: &str) -> Vec<(String, String)> {
    value
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Splits a section name such as `profile "my dev"` into words the way Python's
/// `shlex.split` does for the simple cases (whitespace, single and double quotes,
/// backslash escapes). `None` when a quote is left open.
pub fn split_words(text: &str) -> Option<Vec<String>> {
    if !text.contains(['\'', '"', '\\']) {
        // Nothing quoted or escaped (almost every name): words between whitespace.
        return Some(text.split_whitespace().map(str::to_string).collect());
    }
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => current.push(other),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            escaped @ ('"' | '\\' | '$' | '`') => current.push(escaped),
                            other => {
                                current.push('\\');
                                current.push(other);
                            }
                        },
                        other => current.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                current.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            other => {
                in_word = true;
                current.push(other);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_comments() {
        let text = "# top\n[default]\nAWS_Access_Key_ID = AKID\n; note\naws_secret_access_key: a=b # not a comment\n\n[profile x] ; trailing\nregion=us-east-1\n";
        let s = parse(text, "f").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].get("aws_access_key_id"), Some("AKID"));
        assert_eq!(s[0].get("aws_secret_access_key"), Some("a=b # not a comment"));
        assert_eq!(s[1].name, "profile x");
        assert_eq!(s[1].line, 7);
        assert_eq!(s[1].get("region"), Some("us-east-1"));
    }

    #[test]
    fn continuation_and_nested() {
        let text = "[default]\ns3 =\n    max_concurrent_requests = 20\n\n    addressing_style = path\nregion = x\nlong = a\n  b\n";
        let s = parse(text, "f").unwrap();
        let s3 = s[0].get("s3").unwrap();
        assert!(s3.starts_with('\n'));
        assert_eq!(nested(s3).len(), 2);
        assert_eq!(s[0].get("region"), Some("x"));
        assert_eq!(s[0].get("long"), Some("a\nb"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("k = v\n", "~/.aws/config").unwrap_err();
        assert_eq!(e.message(), "~/.aws/config line 1: a setting before the first [section] header");
        let e = parse("[a]\nnot a setting\n", "f").unwrap_err();
        assert!(e.message().starts_with("f line 2: expected"), "{e}");
        let e = parse("[a]\n[a]\n", "f").unwrap_err();
        assert!(e.message().contains("line 2") && e.message().contains("[a]"));
        let e = parse("[a]\nk=1\nK=2\n", "f").unwrap_err();
        assert!(e.message().contains("line 3") && e.message().contains("`k`"));
    }

    #[test]
    fn errors_never_echo_values() {
        let e = parse("[a]\nSECRETVALUE\n", "f").unwrap_err();
        assert!(!e.message().contains("SECRETVALUE"));
    }

    #[test]
    fn words() {
        assert_eq!(split_words("profile  dev").unwrap(), vec!["profile", "dev"]);
        assert_eq!(split_words("profile \"my dev\"").unwrap(), vec!["profile", "my dev"]);
        assert_eq!(split_words("profile 'a b' c").unwrap(), vec!["profile", "a b", "c"]);
        assert_eq!(split_words("a\\ b").unwrap(), vec!["a b"]);
        assert!(split_words("profile \"open").is_none());
        assert_eq!(split_words("").unwrap(), Vec::<String>::new());
    }
}
