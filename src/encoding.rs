//! Percent-encoding and hex, as the signing algorithms define them.
//!
//! AWS SigV4 and Alibaba's RPC, ROA and V3 signers all use RFC 3986 encoding:
//! every byte except `A-Z a-z 0-9 - _ . ~` becomes `%XX` with upper-case hex.

/// Percent-encodes `text`; `/` is kept when `keep_slash` (for URI paths).
///
/// ```
/// use kubecred::encoding::uri_encode;
/// assert_eq!(uri_encode("a b*~/c", false), "a%20b%2A~%2Fc");
/// assert_eq!(uri_encode("/a b/c", true), "/a%20b/c");
/// ```
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX_UPPER[usize::from(byte >> 4)] as char);
            out.push(HEX_UPPER[usize::from(byte & 15)] as char);
        }
    }
    out
}

/// `name=value` pairs joined by `&`, both sides percent-encoded as [`uri_encode`]
/// does: a form body (`application/x-www-form-urlencoded`) or a query string.
///
/// ```
/// use kubecred::encoding::form;
/// assert_eq!(form(&[("A", "a b/+="), ("B", "x")]), "A=a%20b%2F%2B%3D&B=x");
/// assert_eq!(form::<&str, String>(&[]), "");
/// ```
pub fn form<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&uri_encode(name.as_ref(), false));
        out.push('=');
        out.push_str(&uri_encode(value.as_ref(), false));
    }
    out
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`, as in form bodies).
/// Malformed escapes are kept literally; invalid UTF-8 is replaced.
pub fn uri_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string into decoded `(name, value)` pairs, in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (uri_decode(name, false), uri_decode(value, false))
        })
        .collect()
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex, as SigV4 and ACS3 print digests and signatures.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX_LOWER[usize::from(b >> 4)] as char);
        out.push(HEX_LOWER[usize::from(b & 15)] as char);
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        for s in ["", "plain", "a b&c=d/é~*+", "%zz", "100%"] {
            assert_eq!(uri_decode(&uri_encode(s, false), false), s);
        }
    }

    #[test]
    fn decode_keeps_malformed_escapes() {
        assert_eq!(uri_decode("100%", false), "100%");
        assert_eq!(uri_decode("%4", false), "%4");
        assert_eq!(uri_decode("%zz", false), "%zz");
        assert_eq!(uri_decode("a+b", true), "a b");
        assert_eq!(uri_decode("a+b", false), "a+b");
    }

    #[test]
    fn query_pairs() {
        assert_eq!(
            parse_query("Action=Get&Empty=&Flag&x=%2F"),
            vec![
                ("Action".into(), "Get".into()),
                ("Empty".into(), "".into()),
                ("Flag".into(), "".into()),
                ("x".into(), "/".into())
            ]
        );
    }

    #[test]
    fn hex_lower() {
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
    }
}
