//! Typed access to a kubeconfig's YAML tree, with kubectl's strictness: Go's
//! JSON decoder refuses a number or a boolean where a string field is, and
//! text where a boolean is. Errors name the source and the field's path
//! (`users[alice].user.token`), never its value.

use crate::error::{Error, Result};
use crate::kube::kubeconfig::Named;
use crate::kube::yaml_node::{Mapping, Node};
use serde_json::Value;

/// One mapping of the kubeconfig, and where it is.
pub struct Fields<'a> {
    map: Option<&'a Mapping>,
    source: &'a str,
    path: String,
}

impl<'a> Fields<'a> {
    pub fn new(node: &'a Node, source: &'a str, path: String) -> Fields<'a> {
        Fields { map: node.as_map(), source, path }
    }

    /// The top-level mapping.
    pub fn of(top: &'a Mapping, source: &'a str) -> Fields<'a> {
        Fields { map: Some(top), source, path: String::new() }
    }

    fn where_(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    fn wrong(&self, key: &str, found: &Node, expected: &str) -> Error {
        Error::new(format!("{}: {}: {} where {expected} is expected", self.source, self.where_(key), found.kind()))
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        self.map.and_then(|m| m.get(key)).filter(|v| **v != Node::Null)
    }

    /// A string field; empty counts as unset, as in Go.
    pub fn text(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Text(s)) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Some(other) => Err(self.wrong(key, other, "text")),
        }
    }

    pub fn boolean(&self, key: &str) -> Result<bool> {
        match self.get(key) {
            None => Ok(false),
            Some(Node::Bool(b)) => Ok(*b),
            Some(other) => Err(self.wrong(key, other, "true or false")),
        }
    }

    /// A `*-data` field: base64 text, checked on load as Go's decoder does.
    pub fn data(&self, key: &str) -> Result<Option<String>> {
        let text = self.text(key)?;
        if let Some(text) = &text {
            crate::kube::kubeconfig::decode_data(text, &format!("{}: {}", self.source, self.where_(key)))?;
        }
        Ok(text)
    }

    pub fn object(&self, key: &str) -> Result<Option<Fields<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(node @ Node::Map(_)) => Ok(Some(Fields::new(node, self.source, self.where_(key)))),
            Some(other) => Err(self.wrong(key, other, "a mapping")),
        }
    }

    fn list(&self, key: &str) -> Result<&'a [Node]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Node::List(items)) => Ok(items),
            Some(other) => Err(self.wrong(key, other, "a list")),
        }
    }

    pub fn objects(&self, key: &str) -> Result<Vec<Fields<'a>>> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Node::Map(_) | Node::Null => Ok(Fields::new(item, self.source, format!("{}[{i}]", self.where_(key)))),
                other => Err(self.wrong(&format!("{key}[{i}]"), other, "a mapping")),
            })
            .collect()
    }

    pub fn texts(&self, key: &str) -> Result<Vec<String>> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Node::Text(s) => Ok(s.clone()),
                other => Err(self.wrong(&format!("{key}[{i}]"), other, "text")),
            })
            .collect()
    }

    /// A `map[string][]string` field (`as-user-extra`).
    pub fn text_lists(&self, key: &str) -> Result<Vec<(String, Vec<String>)>> {
        let Some(inner) = self.object(key)? else { return Ok(Vec::new()) };
        let names: Vec<String> = inner.map.map(|m| m.keys().map(String::from).collect()).unwrap_or_default();
        names.into_iter().map(|name| Ok((name.clone(), inner.texts(&name)?))).collect()
    }

    /// The `extension` of the entry called `name` in the `extensions` list.
    pub fn extension(&self, name: &str) -> Result<Option<Value>> {
        for entry in self.objects("extensions")? {
            if entry.text("name")?.as_deref() == Some(name) {
                return Ok(entry.get("extension").cloned().map(Node::into_json));
            }
        }
        Ok(None)
    }
}

/// Takes `key: [{name: N, INNER: {...}}, ...]` out of the top-level mapping
/// and reads each entry's `INNER` with `read`, freeing the entry once read, so
/// that a large kubeconfig is never held twice. A name given twice in one list
/// is refused, as kubectl's list-to-map conversion refuses it.
pub fn take_named_list<T: Default>(
    top: &mut Mapping,
    source: &str,
    key: &str,
    inner: &str,
    read: impl Fn(&Fields) -> Result<T>,
) -> Result<Vec<Named<T>>> {
    let items = match top.take(key) {
        None | Some(Node::Null) => return Ok(Vec::new()),
        Some(Node::List(items)) => items,
        Some(other) => return Err(Fields { map: None, source, path: String::new() }.wrong(key, &other, "a list")),
    };
    // As `objects`: every entry must be a mapping before any is read.
    if let Some((i, other)) = items.iter().enumerate().find(|(_, item)| !matches!(item, Node::Map(_) | Node::Null)) {
        return Err(Fields { map: None, source, path: String::new() }.wrong(
            &format!("{key}[{i}]"),
            other,
            "a mapping",
        ));
    }
    let mut out: Vec<Named<T>> = Vec::with_capacity(items.len());
    let mut names = std::collections::HashSet::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        // The entry's path (`users[3]`) is written out only for an error:
        // a kubeconfig may hold tens of thousands of entries.
        let entry = Fields::new(&item, source, String::new());
        let name = match entry.text("name") {
            Ok(name) => name,
            Err(_) => Fields::new(&item, source, format!("{key}[{i}]")).text("name")?,
        }
        .ok_or_else(|| Error::new(format!("{source}: an entry of {key} has no name")))?;
        let scoped = Fields { map: entry.map, source, path: format!("{key}[{name}]") };
        let read_item = match scoped.object(inner)? {
            Some(fields) => read(&fields)?,
            None => T::default(),
        };
        if !names.insert(name.clone()) {
            return Err(Error::new(format!("{source}: {key}: duplicate name {name:?}")));
        }
        out.push(Named { name, item: read_item });
    }
    Ok(out)
}
