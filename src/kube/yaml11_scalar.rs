//! Scalars as go-yaml v2 (YAML 1.1) resolves them, for [`yaml11`]: only plain
//! scalars are typed; `yes`/`off`/`y` are booleans, `0123` octal, `0x1f` hex,
//! `1_000` a thousand.
//!
//! [`yaml11`]: crate::kube::yaml11

use crate::kube::yaml_node::Node;
use kubecred_yaml_events::{ScalarStyle, Tag};
use serde_json::Number;
use std::borrow::Cow;

/// A scalar resolved as YAML 1.1 (go-yaml v2): only plain scalars are typed.
pub fn scalar(text: Cow<str>, style: ScalarStyle, tag: Option<&Tag>) -> Node {
    // `!!str 0123` and `!!binary ...` stay text; other tags resolve as usual.
    let is_text = tag.is_some_and(|tag| matches!(tag.suffix.as_str(), "str" | "binary"));
    if is_text || style != ScalarStyle::Plain {
        return Node::Text(text.into_owned());
    }
    // Most scalars are text: the parser's string is moved, not copied.
    resolve_typed(&text).unwrap_or_else(|| Node::Text(text.into_owned()))
}

/// A [`Node::Verbatim`] for a scalar JSON cannot carry as written, else `None`.
pub fn verbatim_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Option<Node> {
    let yaml = match tag {
        Some(tag) if !(tag.is_yaml_core_schema() && tag.suffix == "str") => {
            let shown = match tag.handle.as_str() {
                "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
                "!" => format!("!{}", tag.suffix),
                handle => format!("!<{handle}{}>", tag.suffix),
            };
            let text = if style == ScalarStyle::Plain {
                text.to_string()
            } else {
                crate::kube::kubeconfig_writer::scalar(text)
            };
            format!("{shown} {text}")
        }
        None if style == ScalarStyle::Plain => match resolve_typed(text) {
            Some(Node::Number(n)) if n.to_string() != text => text.to_string(),
            _ => return None,
        },
        _ => return None,
    };
    Some(Node::Verbatim(yaml))
}

/// go-yaml v2's resolve table for plain scalars; `None` for one that is text.
fn resolve_typed(text: &str) -> Option<Node> {
    // Names, URLs and keys are most of a kubeconfig: anything longer than the
    // longest word in the table below that does not start like a number is text.
    let numeric_start = text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'));
    if text.len() > 5 && !numeric_start {
        return None;
    }
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Node::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Node::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Node::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => {
            // Not representable in JSON; sigs.k8s.io/yaml fails on it, and so does a string field.
            Node::Number(Number::from(0))
        }
        _ => {
            if !numeric_start {
                return None;
            }
            let plain: String = text.chars().filter(|&c| c != '_').collect();
            if let Some(n) = go_parse_int(&plain) {
                return Some(Node::Number(n));
            }
            match plain.parse::<f64>().ok().filter(|_| is_yaml_float(&plain)).and_then(Number::from_f64) {
                Some(n) => Node::Number(n),
                None => return None,
            }
        }
    })
}

/// strconv.ParseInt/ParseUint with base 0: `0x`, `0o`, `0b` prefixes and a
/// leading `0` for octal.
fn go_parse_int(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        let value = i64::try_from(magnitude).ok().map(|v| -v).or((magnitude == 1 << 63).then_some(i64::MIN))?;
        Some(Number::from(value))
    } else {
        Some(Number::from(magnitude))
    }
}

/// go-yaml v2's float syntax: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn read(text: &str) -> Value {
        crate::kube::yaml11::read(text, "t").unwrap().unwrap().into_json()
    }

    #[test]
    fn yaml_1_1_scalars() {
        let v =
            read("a: yes\nb: off\nc: 0123\nd: 0x1f\ne: 1e3\nf: '0123'\ng: !!str 12\nh: 1_000\ni: v1\nj: ~\nk: -0b11\n");
        assert_eq!(
            v,
            json!({"a": true, "b": false, "c": 83, "d": 31, "e": 1000.0, "f": "0123", "g": "12", "h": 1000, "i": "v1", "j": null, "k": -3})
        );
    }
}
