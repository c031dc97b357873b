//! Kubeconfig YAML read the way kubectl reads it: sigs.k8s.io/yaml turns the
//! text into JSON with go-yaml v2 (YAML 1.1), and the JSON is then decoded into
//! typed fields. So `yes`/`on`/`n` are booleans, `0123` is an (octal) number,
//! `<<: *base` merges a mapping, and a key given twice keeps its last value.
//!
//! Built from saphyr-parser's events with an explicit stack rather than
//! recursion, so that nesting is bounded (kubectl gives up at 10 000 levels)
//! before any tree exists, and alias expansion is bounded too.

use crate::error::{Error, Result};
use crate::kube::yaml11_scalar::{scalar, verbatim_scalar};
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// How deeply collections may nest (go-yaml's limit, which kubectl inherits).
pub const MAX_DEPTH: usize = 10_000;

/// How many nodes alias expansion may produce in one file (alias bombs).
const MAX_ALIAS_NODES: usize = 100_000;

/// A mapping key: text, or the merge key `<<`.
enum Key {
    Text(String),
    Merge,
}

enum Frame {
    Sequence { items: Vec<Value>, anchor: usize, nodes: usize },
    Mapping { map: Map<String, Value>, key: Option<Key>, anchor: usize, nodes: usize },
}

/// The key of a one-entry mapping that stands for a scalar to be written back
/// exactly as it was read (see [`to_json_preserving`]).
pub const VERBATIM: &str = "\u{0}kubecred-verbatim";

/// The first document of `text` as JSON, `None` when there is none (an empty
/// or comment-only file, which kubectl reads as an empty kubeconfig).
pub fn to_json(text: &str, source: &str) -> Result<Option<Value>> {
    build(text, source, false)
}

/// As [`to_json`], for a file kubecred rewrites: a tagged scalar (`!!binary
/// ...`) and a number whose text JSON would not give back (`0123`, an integer
/// beyond 2^64) become `{VERBATIM: "their YAML"}`, so the writer puts them back
/// as they were.
pub fn to_json_preserving(text: &str, source: &str) -> Result<Option<Value>> {
    build(text, source, true)
}

/// go-yaml's reader refuses characters YAML does not count as printable (DEL,
/// the C1 controls...) anywhere in the file; so does kubectl, and so does this.
fn check_printable(text: &str, source: &str) -> Result<()> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Printable ASCII (nearly every kubeconfig) is checked a byte at a time.
    if body.bytes().all(|b| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~')) {
        return Ok(());
    }
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
            && c != '\u{feff}'
    };
    match body.find(|c: char| !printable(c)) {
        None => Ok(()),
        Some(at) => {
            let line = body[..at].matches('\n').count() + 1;
            Err(Error::new(format!("{source}: line {line}: control characters are not allowed")))
        }
    }
}

fn build(text: &str, source: &str, preserve: bool) -> Result<Option<Value>> {
    check_printable(text, source)?;
    let mut builder =
        Builder { stack: Vec::new(), anchors: HashMap::new(), alias_nodes: 0, documents: Vec::new(), preserve };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            Error::new(format!(
                "{source}: not valid YAML (line {}, column {}: {})",
                e.marker().line(),
                e.marker().col() + 1,
                e.info()
            ))
        })?;
        builder.event(event).map_err(|why| Error::new(format!("{source}: line {}: {why}", span.start.line())))?;
    }
    let mut documents = builder.documents.into_iter();
    let first = documents.next();
    if documents.next().is_some() {
        return Err(Error::new(format!("{source}: holds more than one YAML document")));
    }
    Ok(first)
}

/// Only the depth check of [`to_json`], for readers that build their own tree.
pub fn check_depth(text: &str, source: &str) -> Result<()> {
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        // Syntax errors are left to the reader, which words them.
        let Ok((event, span)) = event else { return Ok(()) };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Err(Error::new(format!("{source}: line {}: {}", span.start.line(), too_deep())));
        }
    }
    Ok(())
}

fn too_deep() -> String {
    format!("nested deeper than {MAX_DEPTH} levels, refusing to read it")
}

struct Builder {
    preserve: bool,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    alias_nodes: usize,
    documents: Vec<Value>,
}

impl Builder {
    fn event(&mut self, event: Event) -> std::result::Result<(), String> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let is_key = matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. }));
                let is_merge_key = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                let value = match (self.preserve, is_key) {
                    // A rewritten file keeps its keys as written (`n:` stays `n:`, not `false:`).
                    (true, true) => Some(Value::String(text.to_string())),
                    (true, false) => verbatim_scalar(&text, style, tag.as_deref()),
                    (false, _) => None,
                }
                .unwrap_or_else(|| scalar(text, style, tag.as_deref()));
                self.deliver(value, anchor, 1, is_merge_key)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(too_deep());
                }
                self.stack.push(match event {
                    Event::SequenceStart(..) => Frame::Sequence { items: Vec::new(), anchor, nodes: 1 },
                    _ => Frame::Mapping { map: Map::new(), key: None, anchor, nodes: 1 },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, nodes) = match self.stack.pop() {
                    Some(Frame::Sequence { items, anchor, nodes }) => (Value::Array(items), anchor, nodes),
                    Some(Frame::Mapping { map, anchor, nodes, .. }) => (Value::Object(map), anchor, nodes),
                    None => return Err("unbalanced collection".into()),
                };
                self.deliver(value, anchor, nodes, false)?;
            }
            Event::Alias(id) => {
                let (value, nodes) = self.anchors.get(&id).cloned().ok_or("an alias names no anchor")?;
                self.alias_nodes += nodes;
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(format!("aliases expand to more than {MAX_ALIAS_NODES} nodes, refusing to read it"));
                }
                self.deliver(value, 0, nodes, false)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Puts a finished node into its parent (or makes it a document).
    fn deliver(
        &mut self,
        value: Value,
        anchor: usize,
        nodes: usize,
        is_merge_key: bool,
    ) -> std::result::Result<(), String> {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        match self.stack.last_mut() {
            None => self.documents.push(value),
            Some(Frame::Sequence { items, nodes: total, .. }) => {
                *total += nodes;
                items.push(value);
            }
            Some(Frame::Mapping { map, key, nodes: total, .. }) => {
                *total += nodes;
                match key.take() {
                    None if is_merge_key => *key = Some(Key::Merge),
                    None => *key = Some(Key::Text(key_text(value)?)),
                    Some(Key::Text(name)) => {
                        // go-yaml v2 keeps the last value of a key given twice.
                        map.insert(name, value);
                    }
                    Some(Key::Merge) => merge(map, value)?,
                }
            }
        }
        Ok(())
    }
}

/// `<<: *base` or `<<: [*a, *b]`, as go-yaml v2 applies it: in document order
/// (keys after it win, keys before it lose), earlier list entries winning.
fn merge(map: &mut Map<String, Value>, value: Value) -> std::result::Result<(), String> {
    let sources = match value {
        Value::Object(source) => vec![source],
        Value::Array(items) => items
            .into_iter()
            .rev()
            .map(|item| match item {
                Value::Object(source) => Ok(source),
                _ => Err("a merge key (<<) list holds something other than mappings".to_string()),
            })
            .collect::<std::result::Result<_, _>>()?,
        _ => return Err("a merge key (<<) names something other than a mapping".into()),
    };
    for source in sources {
        map.extend(source);
    }
    Ok(())
}

/// A mapping key as sigs.k8s.io/yaml writes it into JSON.
fn key_text(value: Value) -> std::result::Result<String, String> {
    match value {
        Value::String(text) => Ok(text),
        Value::Null => Ok("null".into()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err("a mapping key is not a scalar".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Value {
        to_json(text, "t").unwrap().unwrap()
    }

    #[test]
    fn merge_keys_and_duplicates() {
        let v = read(
            "base: &b {p: 1, q: 2}\nm:\n  <<: *b\n  q: 3\nlate:\n  q: 3\n  <<: *b\nlist:\n  <<: [{p: first}, {p: second, z: 1}]\ndup: {k: a, k: b}\ny: key\n",
        );
        assert_eq!(v["m"], json!({"p": 1, "q": 3}));
        assert_eq!(v["late"], json!({"q": 2, "p": 1}));
        assert_eq!(v["list"], json!({"p": "first", "z": 1}));
        // go-yaml v2 reads the key `y` as the boolean true, as kubectl does.
        assert_eq!(v["true"], "key");
        assert_eq!(v["dup"], json!({"k": "b"}));
    }

    #[test]
    fn preserving_keeps_tags_and_numbers_as_written() {
        let v = to_json_preserving(
            "a: !!binary aGVsbG8=\nb: 123456789012345678901234567890\nc: 0123\nd: 12\ne: !custom 'x y'\n",
            "t",
        )
        .unwrap()
        .unwrap();
        assert_eq!(v["a"][VERBATIM], "!!binary aGVsbG8=");
        assert_eq!(v["b"][VERBATIM], "123456789012345678901234567890");
        assert_eq!(v["c"][VERBATIM], "0123");
        assert_eq!(v["d"], 12);
        assert_eq!(v["e"][VERBATIM], "!custom \"x y\"");
    }

    #[test]
    fn empty_and_bounded() {
        assert_eq!(to_json("", "t").unwrap(), None);
        let raw_del = to_json("a: x\nb: \"y\u{7f}\"\n", "f").unwrap_err().to_string();
        assert_eq!(raw_del, "f: line 2: control characters are not allowed");
        assert!(to_json("a: \"\\u007f \u{85} \u{e9}\"\n", "f").is_ok(), "escaped, NEL and text are fine");
        assert_eq!(to_json("# only a comment\n", "t").unwrap(), None);
        let deep = format!("{}x", "- ".repeat(30_000));
        let message = to_json(&deep, "kubeconfig /k").unwrap_err().to_string();
        assert!(message.starts_with("kubeconfig /k: line 1: nested deeper than 10000 levels"), "{message}");
        assert!(check_depth(&deep, "f").is_err());
        let fine = format!("{}x", "- ".repeat(2_000));
        assert!(to_json(&fine, "t").is_ok() && check_depth(&fine, "t").is_ok());
    }
}
