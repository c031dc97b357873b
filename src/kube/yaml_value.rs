//! Any YAML document as a JSON value, so that a kubeconfig can be edited
//! without losing what kubecred does not model (extensions, auth providers,
//! preferences...). Read as kubectl reads it (YAML 1.1, see [`yaml11`]), keys
//! in their order, aliases expanded (bounded); tagged scalars (`!!binary`) and
//! numbers JSON cannot write back as they were are kept verbatim.
//!
//! [`yaml11`]: crate::kube::yaml11

use crate::error::Result;
use serde_json::{Map, Value};

/// Parses `text` (YAML or JSON); an empty document is an empty mapping.
pub fn parse(text: &str, source: &str) -> Result<Value> {
    match crate::kube::yaml11::read_preserving(text, source)?.map(crate::kube::yaml_node::Node::into_json) {
        None | Some(Value::Null) => Ok(Value::Object(Map::new())),
        Some(root) => Ok(root),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_kubecred_does_not_model() {
        let text = "apiVersion: v1\nusers:\n- name: gke\n  user:\n    auth-provider: {name: gcp, config: {cmd-path: /bin/gcloud}}\npreferences: {colors: true}\nn: 3\nnum: 0x10\n";
        let value = parse(text, "t").unwrap();
        assert_eq!(value["users"][0]["user"]["auth-provider"]["name"], "gcp");
        assert_eq!(value["preferences"]["colors"], true);
        assert_eq!(value["n"], 3, "keys stay as written");
        assert_eq!(value["num"][crate::kube::yaml_node::VERBATIM], "0x10");
        assert_eq!(parse("", "t").unwrap(), serde_json::json!({}));
    }
}
