//! Typed access to a kubeconfig's JSON form, with kubectl's strictness: Go's
//! JSON decoder refuses a number or a boolean where a string field is, and
//! text where a boolean is. Errors name the source and the field's path
//! (`users[alice].user.token`), never its value.

use crate::error::{Error, Result};
use crate::kube::kubeconfig::Named;
use serde_json::{Map, Value};

/// One mapping of the kubeconfig, and where it is.
pub struct Fields<'a> {
    map: Option<&'a Map<String, Value>>,
    source: &'a str,
    path: String,
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Number(_) => "a number",
        Value::Bool(_) => "true or false",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
        Value::Null => "null",
    }
}

impl<'a> Fields<'a> {
    pub fn new(value: &'a Value, source: &'a str, path: String) -> Fields<'a> {
        Fields { map: value.as_object(), source, path }
    }

    fn where_(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    fn wrong(&self, key: &str, found: &Value, expected: &str) -> Error {
        Error::new(format!("{}: {}: {} where {expected} is expected", self.source, self.where_(key), kind(found)))
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.and_then(|m| m.get(key)).filter(|v| !v.is_null())
    }

    /// A string field; empty counts as unset, as in Go.
    pub fn text(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Some(other) => Err(self.wrong(key, other, "text")),
        }
    }

    pub fn boolean(&self, key: &str) -> Result<bool> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
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
            Some(value @ Value::Object(_)) => Ok(Some(Fields::new(value, self.source, self.where_(key)))),
            Some(other) => Err(self.wrong(key, other, "a mapping")),
        }
    }

    fn list(&self, key: &str) -> Result<&'a [Value]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.wrong(key, other, "a list")),
        }
    }

    pub fn objects(&self, key: &str) -> Result<Vec<Fields<'a>>> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(_) | Value::Null => {
                    Ok(Fields::new(item, self.source, format!("{}[{i}]", self.where_(key))))
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
                Value::String(s) => Ok(s.clone()),
                other => Err(self.wrong(&format!("{key}[{i}]"), other, "text")),
            })
            .collect()
    }

    /// A `map[string][]string` field (`as-user-extra`).
    pub fn text_lists(&self, key: &str) -> Result<Vec<(String, Vec<String>)>> {
        let Some(inner) = self.object(key)? else { return Ok(Vec::new()) };
        let names: Vec<String> = inner.map.map(|m| m.keys().cloned().collect()).unwrap_or_default();
        names.into_iter().map(|name| Ok((name.clone(), inner.texts(&name)?))).collect()
    }

    /// The `extension` of the entry called `name` in the `extensions` list.
    pub fn extension(&self, name: &str) -> Result<Option<Value>> {
        for entry in self.objects("extensions")? {
            if entry.text("name")?.as_deref() == Some(name) {
                return Ok(entry.get("extension").cloned());
            }
        }
        Ok(None)
    }

    /// `key: [{name: N, INNER: {...}}, ...]`; a name given twice in one list is
    /// refused, as kubectl's list-to-map conversion refuses it.
    pub fn named_list<T: Default>(
        &self,
        key: &str,
        inner: &str,
        read: impl Fn(&Fields<'a>) -> Result<T>,
    ) -> Result<Vec<Named<T>>> {
        let items = self.list(key)?;
        let mut out: Vec<Named<T>> = Vec::with_capacity(items.len());
        let mut names = std::collections::HashSet::with_capacity(items.len());
        // As `objects`: every entry must be a mapping before any is read.
        if let Some((i, other)) =
            items.iter().enumerate().find(|(_, item)| !matches!(item, Value::Object(_) | Value::Null))
        {
            return Err(self.wrong(&format!("{key}[{i}]"), other, "a mapping"));
        }
        for (i, item) in items.iter().enumerate() {
            // The entry's path (`users[3]`) is written out only for an error:
            // a kubeconfig may hold tens of thousands of entries.
            let entry = Fields::new(item, self.source, String::new());
            let name = match entry.text("name") {
                Ok(name) => name,
                Err(_) => Fields::new(item, self.source, format!("{}[{i}]", self.where_(key))).text("name")?,
            }
            .ok_or_else(|| Error::new(format!("{}: an entry of {key} has no name", self.source)))?;
            let scoped = Fields { map: entry.map, source: self.source, path: format!("{key}[{name}]") };
            let item = match scoped.object(inner)? {
                Some(fields) => read(&fields)?,
                None => T::default(),
            };
            if !names.insert(name.clone()) {
                return Err(Error::new(format!("{}: {key}: duplicate name {name:?}", self.source)));
            }
            out.push(Named { name, item });
        }
        Ok(out)
    }
}
