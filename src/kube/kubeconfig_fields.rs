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
    place: Place<'a>,
}

/// Where a mapping is (`users[alice].user.exec`), written out only for an
/// error: a kubeconfig may hold tens of thousands of entries, each read
/// through several mappings.
enum Place<'a> {
    Top,
    /// `key` of the mapping at the first place.
    Key(&'a Place<'a>, &'a str),
    /// Entry `index` of the list `key` of the mapping at the first place.
    Index(&'a Place<'a>, &'a str, usize),
    /// The entry of a top-level list (`users`) with this name.
    Named(&'a str, &'a str),
}

impl Place<'_> {
    fn render(&self) -> String {
        match self {
            Place::Top => String::new(),
            Place::Key(parent, key) => join(parent, key),
            Place::Index(parent, key, index) => format!("{}[{index}]", join(parent, key)),
            Place::Named(list, name) => format!("{list}[{name}]"),
        }
    }
}

/// `parent.key`, or `key` at the top.
fn join(parent: &Place, key: &str) -> String {
    match parent {
        Place::Top => key.to_string(),
        _ => format!("{}.{key}", parent.render()),
    }
}

impl<'a> Fields<'a> {
    /// The top-level mapping.
    pub fn of(top: &'a Mapping, source: &'a str) -> Fields<'a> {
        Fields { map: Some(top), source, place: Place::Top }
    }

    fn where_(&self, key: &str) -> String {
        join(&self.place, key)
    }

    fn wrong(&self, key: &str, found: &Node, expected: &str) -> Error {
        Error::new(format!("{}: {}: {} where {expected} is expected", self.source, self.where_(key), found.kind()))
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        self.map.and_then(|m| m.get(key)).filter(|v| !matches!(v, Node::Null))
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

    pub fn object<'s>(&'s self, key: &'s str) -> Result<Option<Fields<'s>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Map(map)) => {
                Ok(Some(Fields { map: Some(map), source: self.source, place: Place::Key(&self.place, key) }))
            }
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

    pub fn objects<'s>(&'s self, key: &'s str) -> Result<Vec<Fields<'s>>> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Node::Map(_) | Node::Null => {
                    Ok(Fields { map: item.as_map(), source: self.source, place: Place::Index(&self.place, key, i) })
                }
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
/// that a large kubeconfig is never held twice. Names are not checked for
/// repeats here (see [`refuse_repeated_names`]).
pub fn take_named_list<T: Default>(
    top: &mut Mapping,
    source: &str,
    key: &str,
    inner: &str,
    read: impl Fn(&Fields) -> Result<T>,
) -> Result<Vec<Named<T>>> {
    let items = match top.take(key) {
        None | Some(Node::Null) => return Ok(Vec::new()),
        Some(Node::List(items)) => items.into_vec(),
        Some(other) => return Err(Fields { map: None, source, place: Place::Top }.wrong(key, &other, "a list")),
    };
    // As `objects`: every entry must be a mapping before any is read.
    if let Some((i, other)) = items.iter().enumerate().find(|(_, item)| !matches!(item, Node::Map(_) | Node::Null)) {
        return Err(Fields { map: None, source, place: Place::Top }.wrong(&format!("{key}[{i}]"), other, "a mapping"));
    }
    let mut out: Vec<Named<T>> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let entry = Fields { map: item.as_map(), source, place: Place::Index(&Place::Top, key, i) };
        let name = entry.text("name")?.ok_or_else(|| Error::new(format!("{source}: an entry of {key} has no name")))?;
        let named = Fields { map: entry.map, source, place: Place::Named(key, &name) };
        let read_item = match named.object(inner)? {
            Some(fields) => read(&fields)?,
            None => T::default(),
        };
        out.push(Named { name, item: read_item });
    }
    Ok(out)
}

/// A name given twice in one list is refused, as kubectl's conversion of the
/// lists into maps refuses it; that comes after decoding, so a wrongly typed
/// field anywhere is reported first.
pub fn refuse_repeated_names<T>(entries: &[Named<T>], source: &str, key: &str) -> Result<()> {
    let mut names = std::collections::HashSet::with_capacity(entries.len());
    match entries.iter().find(|entry| !names.insert(entry.name.as_str())) {
        Some(entry) => Err(Error::new(format!("{source}: {key}: duplicate name {:?}", entry.name))),
        None => Ok(()),
    }
}
