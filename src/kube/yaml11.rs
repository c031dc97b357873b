//! Kubeconfig YAML read the way kubectl reads it: sigs.k8s.io/yaml turns the
//! text into JSON with go-yaml v2 (YAML 1.1), and the JSON is then decoded into
//! typed fields. So `yes`/`on`/`n` are booleans, `0123` is an (octal) number,
//! `<<: *base` merges a mapping, and a key given twice keeps its last value.
//!
//! Built from saphyr-parser's events with an explicit stack rather than
//! recursion, so that nesting is bounded (kubectl gives up at 10 000 levels)
//! before any tree exists, and alias expansion is bounded too.

use crate::error::{Error, Result};
use crate::kube::yaml_node::{Key, List, Mapping, Node, fitted, key};
use crate::kube::yaml11_scalar::{scalar, verbatim_scalar};
use kubecred_yaml_events::{Event, ScalarStyle};
use std::collections::HashMap;

/// How deeply collections may nest (go-yaml's limit, which kubectl inherits).
pub const MAX_DEPTH: usize = 10_000;

/// How deeply collections may nest in a file kubecred rewrites. The AWS CLI's
/// `update-kubeconfig` gives up far sooner (PyYAML recurses, and Python stops
/// at 1000 calls), and the writer recurses too.
pub const MAX_REWRITE_DEPTH: usize = 1_000;

/// How many nodes alias expansion may produce in one file (alias bombs).
const MAX_ALIAS_NODES: usize = 100_000;

/// A mapping with more keys than this finds a repeated key through a hash
/// index rather than by looking through its entries.
const INDEXED_FROM: usize = 16;

/// A mapping key as read: text, or the merge key `<<`.
enum KeyRead {
    Text(Key),
    Merge,
}

/// A mapping being read: its entries so far and, once it is large, where each key is.
#[derive(Default)]
struct OpenMapping {
    entries: Vec<(Key, Node)>,
    index: Option<HashMap<Key, usize>>,
}

impl OpenMapping {
    /// go-yaml v2 keeps the last value of a key given twice, where the key first stood.
    fn insert(&mut self, key: Key, value: Node) {
        let found = match &self.index {
            Some(index) => index.get(&key).copied(),
            None => self.entries.iter().position(|(k, _)| *k == key),
        };
        if let Some(at) = found {
            self.entries[at].1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEXED_FROM {
            self.index = Some(self.entries.iter().enumerate().map(|(at, (k, _))| (k.clone(), at)).collect());
        }
    }

    fn finish(mut self) -> Mapping {
        self.entries.shrink_to_fit();
        Mapping::from_unique(self.entries)
    }
}

enum Frame {
    Sequence { items: Vec<Node>, anchor: usize, nodes: usize },
    Mapping { map: OpenMapping, key: Option<KeyRead>, anchor: usize, nodes: usize },
}

/// The first document of `text`, `None` when there is none (an empty or
/// comment-only file, which kubectl reads as an empty kubeconfig).
pub fn read(text: &str, source: &str) -> Result<Option<Node>> {
    build(text, source, false)
}

/// As [`read`], for a file kubecred rewrites: keys stay as written (`n:` is
/// not `false:`), and a tagged scalar (`!!binary ...`) or a number whose text
/// JSON would not give back (`0123`, an integer beyond 2^64) is a
/// [`Node::Verbatim`], so that the writer puts it back as it was.
pub fn read_preserving(text: &str, source: &str) -> Result<Option<Node>> {
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

fn build(text: &str, source: &str, preserve: bool) -> Result<Option<Node>> {
    let max_bytes = crate::kube::kubeconfig::MAX_KUBECONFIG_BYTES;
    if text.len() > max_bytes {
        let limit = crate::files::describe_limit(max_bytes as u64);
        return Err(Error::new(format!("{source}: larger than {limit}, refusing to read it")));
    }
    let max_depth = if preserve { MAX_REWRITE_DEPTH } else { MAX_DEPTH };
    check_printable(text, source)?;
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        first: None,
        documents: 0,
        preserve,
        max_depth,
    };
    let mut failure = None;
    kubecred_yaml_events::for_each(text, &mut |event, span| match builder.event(event) {
        Ok(()) => true,
        Err(why) => {
            failure = Some(Error::new(format!("{source}: line {}: {why}", span.start.line())));
            false
        }
    })
    .map_err(|e| {
        Error::new(format!(
            "{source}: not valid YAML (line {}, column {}: {})",
            e.marker().line(),
            e.marker().col() + 1,
            e.info()
        ))
    })?;
    if let Some(failure) = failure {
        return Err(failure);
    }
    if builder.documents > 1 {
        return Err(Error::new(format!("{source}: holds more than one YAML document")));
    }
    Ok(builder.first)
}

fn too_deep(max_depth: usize) -> String {
    format!("nested deeper than {max_depth} levels, refusing to read it")
}

struct Builder {
    preserve: bool,
    max_depth: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    /// The first document; later ones are read (so that a syntax error in them
    /// is reported as such) and counted, not kept.
    first: Option<Node>,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event) -> std::result::Result<(), String> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let is_key = matches!(self.stack.last(), Some(Frame::Mapping { key: None, .. }));
                let is_merge_key = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                let node = match (self.preserve, is_key) {
                    // A rewritten file keeps its keys as written (`n:` stays `n:`, not `false:`).
                    (true, true) => Some(Node::Text(text.to_string())),
                    (true, false) => verbatim_scalar(&text, style, tag.as_deref()),
                    (false, _) => None,
                }
                .unwrap_or_else(|| scalar(text, style, tag.as_deref()));
                self.deliver(node, anchor, 1, is_merge_key)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= self.max_depth {
                    return Err(too_deep(self.max_depth));
                }
                self.stack.push(match event {
                    Event::SequenceStart(..) => Frame::Sequence { items: Vec::new(), anchor, nodes: 1 },
                    _ => Frame::Mapping { map: OpenMapping::default(), key: None, anchor, nodes: 1 },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, nodes) = match self.stack.pop() {
                    Some(Frame::Sequence { mut items, anchor, nodes }) => {
                        items.shrink_to_fit();
                        (Node::List(List::new(items)), anchor, nodes)
                    }
                    Some(Frame::Mapping { map, anchor, nodes, .. }) => (Node::Map(map.finish()), anchor, nodes),
                    None => return Err("unbalanced collection".into()),
                };
                self.deliver(node, anchor, nodes, false)?;
            }
            Event::Alias(id) => {
                let (node, nodes) = self.anchors.get(&id).cloned().ok_or("an alias names no anchor")?;
                self.alias_nodes += nodes;
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(format!("aliases expand to more than {MAX_ALIAS_NODES} nodes, refusing to read it"));
                }
                self.deliver(node, 0, nodes, false)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Puts a finished node into its parent (or makes it a document).
    fn deliver(
        &mut self,
        node: Node,
        anchor: usize,
        nodes: usize,
        is_merge_key: bool,
    ) -> std::result::Result<(), String> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), nodes));
        }
        match self.stack.last_mut() {
            None => {
                self.documents += 1;
                if self.first.is_none() {
                    self.first = Some(node);
                }
            }
            Some(Frame::Sequence { items, nodes: total, .. }) => {
                *total += nodes;
                items.push(fitted_node(node));
            }
            Some(Frame::Mapping { map, key, nodes: total, .. }) => {
                *total += nodes;
                match key.take() {
                    None if is_merge_key => *key = Some(KeyRead::Merge),
                    None => *key = Some(KeyRead::Text(key_text(node)?)),
                    Some(KeyRead::Text(name)) => map.insert(name, fitted_node(node)),
                    Some(KeyRead::Merge) => merge(map, node)?,
                }
            }
        }
        Ok(())
    }
}

/// `<<: *base` or `<<: [*a, *b]`, as go-yaml v2 applies it: in document order
/// (keys after it win, keys before it lose), earlier list entries winning.
fn merge(map: &mut OpenMapping, node: Node) -> std::result::Result<(), String> {
    let sources = match node {
        Node::Map(source) => vec![source],
        Node::List(items) => items
            .into_vec()
            .into_iter()
            .rev()
            .map(|item| match item {
                Node::Map(source) => Ok(source),
                _ => Err("a merge key (<<) list holds something other than mappings".to_string()),
            })
            .collect::<std::result::Result<_, _>>()?,
        _ => return Err("a merge key (<<) names something other than a mapping".into()),
    };
    for source in sources {
        for (key, value) in source.into_entries() {
            map.insert(key, value);
        }
    }
    Ok(())
}

/// A mapping key as sigs.k8s.io/yaml writes it into JSON.
fn key_text(node: Node) -> std::result::Result<Key, String> {
    match node {
        Node::Text(text) => Ok(key(text)),
        Node::Null => Ok(Key::Borrowed("null")),
        Node::Bool(b) => Ok(Key::Borrowed(if b { "true" } else { "false" })),
        Node::Number(n) => Ok(Key::Owned(n.to_string())),
        _ => Err("a mapping key is not a scalar".into()),
    }
}

/// A value as it is kept: text without the parser's spare room.
fn fitted_node(node: Node) -> Node {
    match node {
        Node::Text(text) => Node::Text(fitted(text)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::yaml_node::VERBATIM;
    use serde_json::{Value, json};

    fn json(text: &str) -> Value {
        read(text, "t").unwrap().unwrap().into_json()
    }

    #[test]
    fn merge_keys_and_duplicates() {
        let v = json(
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
    fn large_mappings_keep_first_positions_and_last_values() {
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: late\nbase: &b {k5: merged, new: 1}\n<<: *b\nk7: after\n");
        let v = json(&text);
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!((keys.len(), keys[3].as_str(), keys[40].as_str(), keys[41].as_str()), (42, "k3", "base", "new"));
        assert_eq!(
            (&v["k3"], &v["k5"], &v["k7"], &v["k39"]),
            (&json!("late"), &json!("merged"), &json!("after"), &json!(39))
        );
    }

    #[test]
    fn preserving_keeps_tags_and_numbers_as_written() {
        let v = read_preserving(
            "a: !!binary aGVsbG8=\nb: 123456789012345678901234567890\nc: 0123\nd: 12\ne: !custom 'x y'\nn: 1\n",
            "t",
        )
        .unwrap()
        .unwrap()
        .into_json();
        assert_eq!(v["a"][VERBATIM], "!!binary aGVsbG8=");
        assert_eq!(v["b"][VERBATIM], "123456789012345678901234567890");
        assert_eq!(v["c"][VERBATIM], "0123");
        assert_eq!(v["d"], 12);
        assert_eq!(v["e"][VERBATIM], "!custom \"x y\"");
        assert_eq!(v["n"], 1, "keys stay as written");
        // A verbatim scalar is still a scalar: merging it is refused, as PyYAML and go-yaml refuse it.
        let merged = read_preserving("a: &s 0123\nb:\n  <<: *s\n", "f").unwrap_err().to_string();
        assert_eq!(merged, "f: line 3: a merge key (<<) names something other than a mapping");
    }

    #[test]
    fn empty_and_bounded() {
        assert_eq!(read("", "t").unwrap(), None);
        let raw_del = read("a: x\nb: \"y\u{7f}\"\n", "f").unwrap_err().to_string();
        assert_eq!(raw_del, "f: line 2: control characters are not allowed");
        assert!(read("a: \"\\u007f \u{85} \u{e9}\"\n", "f").is_ok(), "escaped, NEL and text are fine");
        assert_eq!(read("# only a comment\n", "t").unwrap(), None);
        let deep = format!("{}x", "- ".repeat(30_000));
        let message = read(&deep, "kubeconfig /k").unwrap_err().to_string();
        assert!(message.starts_with("kubeconfig /k: line 1: nested deeper than 10000 levels"), "{message}");
        let fine = format!("{}x", "- ".repeat(2_000));
        assert!(read(&fine, "t").is_ok());
        let rewritten = read_preserving(&fine, "kubeconfig /r").unwrap_err().to_string();
        assert!(rewritten.starts_with("kubeconfig /r: line 1: nested deeper than 1000 levels"), "{rewritten}");
    }
}
