//! Reading JSON that others wrote, and printing JSON the way each anchor tool does.
//!
//! Parsing is bounded: input larger than the caller's limit is refused before
//! serde_json sees it, and errors name the source, never echo its content.

use crate::error::{Error, Result};
use serde_json::Value;

/// The most JSON kubecred reads from any one reply or cache file (configuration
/// files the user writes are bounded by [`crate::files::MAX_CONFIG_BYTES`]).
pub const MAX_JSON_BYTES: usize = 4 << 20;

/// Parses `bytes` as JSON; `source` names the file or endpoint for the error.
pub fn parse(bytes: &[u8], source: &str) -> Result<Value> {
    parse_bounded(bytes, source, MAX_JSON_BYTES)
}

/// As [`parse`], with the caller's bound.
pub fn parse_bounded(bytes: &[u8], source: &str, max_bytes: usize) -> Result<Value> {
    if bytes.len() > max_bytes {
        let limit = crate::files::describe_limit(max_bytes as u64);
        return Err(Error::new(format!("{source}: larger than {limit}, refusing to read it")));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Error::new(format!("{source}: not valid JSON (line {}, column {})", e.line(), e.column())))
}

/// Prints `value` with `indent` spaces per level (0 = compact), keys in insertion order.
///
/// ```
/// let v = serde_json::json!({"b": 1, "a": [true]});
/// assert_eq!(kubecred::json::to_string(&v, 1), "{\n \"b\": 1,\n \"a\": [\n  true\n ]\n}");
/// assert_eq!(kubecred::json::to_string(&v, 0), r#"{"b":1,"a":[true]}"#);
/// ```
pub fn to_string(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_value(&mut out, value, indent, 0);
    out
}

// Written here rather than through serde's PrettyFormatter so that the layout is
// ours to match byte for byte (Python's json.dumps, Go's MarshalIndent).
fn write_value(out: &mut String, value: &Value, indent: usize, depth: usize) {
    let newline = |out: &mut String, depth: usize| {
        if indent > 0 {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent * depth));
        }
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_value(out, item, indent, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(if indent > 0 { ": " } else { ":" });
                write_value(out, item, indent, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The string at `key`, if present and a string.
pub fn str_field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}
