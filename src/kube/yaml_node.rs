//! A YAML document as kubectl's decoder sees it after YAML 1.1 resolution
//! (see [`yaml11`]): the JSON data model, kept small. A kubeconfig of tens of
//! thousands of entries is a tree of as many mappings, so a mapping is a plain
//! list of entries (keys already made unique by the reader) rather than a hash
//! map per node, and a node is 32 bytes. Nesting may be as deep as kubectl
//! allows (10 000 levels), so trees are dropped and converted without
//! recursion (see [`yaml_node_walk`]).
//!
//! [`yaml11`]: crate::kube::yaml11
//! [`yaml_node_walk`]: crate::kube::yaml_node_walk

use serde_json::{Map, Number, Value};
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(Number),
    Text(String),
    /// A scalar to be written back exactly as it was read (`!!binary ...`,
    /// `0123`); only [`yaml11::read_preserving`] makes these.
    ///
    /// [`yaml11::read_preserving`]: crate::kube::yaml11::read_preserving
    Verbatim(String),
    List(List),
    Map(Mapping),
}

/// A sequence's items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct List {
    pub(super) items: Vec<Node>,
}

/// A mapping's entries in the order their keys first appeared; each key once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    pub(super) entries: Vec<(Key, Node)>,
}

/// A mapping key. The keys kubeconfigs are made of are held as constants,
/// without an allocation each.
pub type Key = Cow<'static, str>;

macro_rules! known_keys {
    ($($key:literal)*) => {
        /// `text` as a [`Key`].
        pub fn key(text: String) -> Key {
            match text.as_str() {
                $($key => Cow::Borrowed($key),)*
                _ => Cow::Owned(fitted(text)),
            }
        }
    };
}

known_keys! {
    "apiVersion" "kind" "preferences" "clusters" "users" "contexts" "current-context" "extensions" "extension"
    "name" "cluster" "user" "context" "namespace"
    "server" "certificate-authority" "certificate-authority-data" "insecure-skip-tls-verify" "tls-server-name"
    "proxy-url" "disable-compression"
    "client-certificate" "client-certificate-data" "client-key" "client-key-data" "token" "tokenFile"
    "username" "password" "as" "as-uid" "as-groups" "as-user-extra" "auth-provider" "config"
    "exec" "command" "args" "env" "value" "interactiveMode" "provideClusterInfo" "installHint"
}

/// The parser's string without the spare room it reserves while scanning
/// (over a hundred bytes a scalar): a large kubeconfig holds a great many.
pub fn fitted(mut text: String) -> String {
    text.shrink_to_fit();
    text
}

/// The key of a one-entry JSON object that stands for a [`Node::Verbatim`]
/// scalar in [`Node::into_json`].
pub const VERBATIM: &str = "\u{0}kubecred-verbatim";

impl Node {
    /// What the node is, as an error message names it ("a number where text is expected").
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Number(_) => "a number",
            Node::Bool(_) => "true or false",
            Node::Text(_) | Node::Verbatim(_) => "text",
            Node::List(_) => "a list",
            Node::Map(_) => "a mapping",
            Node::Null => "null",
        }
    }

    pub fn as_map(&self) -> Option<&Mapping> {
        match self {
            Node::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The node as JSON; a verbatim scalar becomes `{VERBATIM: "its YAML"}`.
    pub fn into_json(self) -> Value {
        crate::kube::yaml_node_walk::to_json(self)
    }

    /// Whether the node holds other nodes (which its drop must then take apart).
    pub(super) fn has_children(&self) -> bool {
        match self {
            Node::List(list) => !list.items.is_empty(),
            Node::Map(map) => !map.entries.is_empty(),
            _ => false,
        }
    }
}

/// A scalar as JSON, `None` for a list or mapping.
pub(super) fn scalar_json(node: &mut Node) -> Option<Value> {
    Some(match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Number(n) => Value::Number(n.clone()),
        Node::Text(text) => Value::String(std::mem::take(text)),
        Node::Verbatim(yaml) => {
            let mut map = Map::new();
            map.insert(VERBATIM.to_string(), Value::String(std::mem::take(yaml)));
            Value::Object(map)
        }
        Node::List(_) | Node::Map(_) => return None,
    })
}

impl List {
    pub fn new(items: Vec<Node>) -> List {
        List { items }
    }

    pub fn into_vec(mut self) -> Vec<Node> {
        std::mem::take(&mut self.items)
    }
}

impl std::ops::Deref for List {
    type Target = [Node];

    fn deref(&self) -> &[Node] {
        &self.items
    }
}

impl Mapping {
    /// Entries whose keys are already distinct (the reader's job).
    pub(crate) fn from_unique(entries: Vec<(Key, Node)>) -> Mapping {
        Mapping { entries }
    }

    /// The value of `key`. Mappings are searched in order: kubeconfig mappings
    /// are small, and each is asked for a fixed set of keys.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes `key` and gives its value, so that a reader can consume a large
    /// list and free it entry by entry.
    pub fn take(&mut self, key: &str) -> Option<Node> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(at).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    pub(crate) fn into_entries(mut self) -> Vec<(Key, Node)> {
        std::mem::take(&mut self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_convertible() {
        assert_eq!(std::mem::size_of::<Node>(), 32, "a node stays small: large kubeconfigs hold millions");
        let map = Mapping::from_unique(vec![
            ("a".into(), Node::Verbatim("!!binary aGk=".into())),
            ("b".into(), Node::List(List::new(vec![Node::Bool(true), Node::Null, Node::Number(7.into())]))),
        ]);
        assert_eq!(
            Node::Map(map).into_json(),
            serde_json::json!({"a": {VERBATIM: "!!binary aGk="}, "b": [true, null, 7]})
        );
    }

    #[test]
    fn kubeconfig_keys_are_constants() {
        assert!(matches!(key("server".to_string()), Cow::Borrowed("server")));
        let other = key(String::with_capacity(160) + "x-extra");
        assert!(matches!(&other, Cow::Owned(text) if text == "x-extra" && text.capacity() < 160));
    }

    #[test]
    fn take_removes_the_entry() {
        let mut map = Mapping::from_unique(vec![
            ("users".into(), Node::List(List::new(vec![Node::Null]))),
            ("b".into(), Node::Null),
        ]);
        assert_eq!(map.take("users"), Some(Node::List(List::new(vec![Node::Null]))));
        assert_eq!(map.get("users"), None);
        assert_eq!(map.take("none"), None);
        assert_eq!(map.keys().collect::<Vec<_>>(), vec!["b"]);
    }
}
