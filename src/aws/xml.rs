//! Just enough XML to read STS replies: the text of the first element with a
//! given name, and the `<Error><Code>`/`<Message>` of an error reply.
//!
//! STS replies are small and flat; a full parser would be more code to trust,
//! not less. The scan is linear, bounded by [`MAX_XML_BYTES`], never recursive,
//! and only element text is decoded (the five named entities and numeric ones).
//!
//! ```
//! use kubecred::aws::xml;
//! let reply = "<R xmlns=\"x\"><Credentials><AccessKeyId>AKID</AccessKeyId></Credentials></R>";
//! assert_eq!(xml::element(reply, "AccessKeyId").as_deref(), Some("AKID"));
//! let error = "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no &amp; no</Message></Error></ErrorResponse>";
//! assert_eq!(xml::error(error), Some(("AccessDenied".to_string(), "no & no".to_string())));
//! ```

/// Replies larger than this are not scanned.
pub const MAX_XML_BYTES: usize = 1 << 20;

/// The decoded text of the first `<name>` element (with or without attributes).
/// `None` when absent, unterminated, holding child elements, or when `xml` is too large.
pub fn element(xml: &str, name: &str) -> Option<String> {
    if xml.len() > MAX_XML_BYTES {
        return None;
    }
    let mut from = 0;
    while let Some(found) = xml.get(from..)?.find('<') {
        let open = from + found;
        let after_name = open + 1 + name.len();
        let is_match = xml.get(open + 1..after_name) == Some(name)
            && matches!(xml.as_bytes().get(after_name), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/'));
        if !is_match {
            from = open + 1;
            continue;
        }
        let tag_end = after_name + xml.get(after_name..)?.find('>')?;
        if xml.as_bytes().get(tag_end.checked_sub(1)?) == Some(&b'/') {
            return Some(String::new());
        }
        let body_start = tag_end + 1;
        let close = format!("</{name}>");
        let body_end = body_start + xml.get(body_start..)?.find(&close)?;
        let body = xml.get(body_start..body_end)?;
        if body.contains('<') {
            return None;
        }
        return Some(decode(body));
    }
    None
}

/// `(Code, Message)` of an `<ErrorResponse><Error>` reply, or `None` if `xml` is not one.
pub fn error(xml: &str) -> Option<(String, String)> {
    if !xml.contains("<Error>") && !xml.contains("<Error ") {
        return None;
    }
    let code = element(xml, "Code")?;
    Some((code, element(xml, "Message").unwrap_or_default()))
}

/// Decodes character references; unknown ones are left as written.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').filter(|&end| end <= 12).and_then(|end| {
            let c = match &tail[1..end] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                numeric => {
                    let n = numeric.strip_prefix('#')?;
                    let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements() {
        let x = "<A><Credentials><SessionToken>t&#43;k&#x2F;</SessionToken><Expiration>2026</Expiration></Credentials><Empty/><AccessKeyIdX>no</AccessKeyIdX><AccessKeyId a=\"1\">yes</AccessKeyId></A>";
        assert_eq!(element(x, "SessionToken").as_deref(), Some("t+k/"));
        assert_eq!(element(x, "Expiration").as_deref(), Some("2026"));
        assert_eq!(element(x, "AccessKeyId").as_deref(), Some("yes"));
        assert_eq!(element(x, "Empty").as_deref(), Some(""));
        assert_eq!(element(x, "Credentials"), None, "has children");
        assert_eq!(element(x, "Missing"), None);
        assert_eq!(element("<A>unterminated", "A"), None);
        assert_eq!(element("<A", "A"), None);
        assert_eq!(element("", "A"), None);
        assert_eq!(decode("a &bogus; &amp &#xZZ; &#169;"), "a &bogus; &amp &#xZZ; \u{a9}");
    }

    #[test]
    fn errors() {
        assert_eq!(error("<html><body>503</body></html>"), None);
        assert_eq!(error("<Error><Code>Throttling</Code></Error>"), Some(("Throttling".into(), String::new())));
    }
}
