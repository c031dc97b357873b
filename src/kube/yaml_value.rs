//! Any YAML document as a JSON value, so that a kubeconfig can be edited
//! without losing what kubecred does not model (extensions, auth providers,
//! preferences...). Keys keep their order; aliases are expanded (bounded).

use crate::error::{Error, Result};
use saphyr::{Scalar, Yaml};
use serde_json::{Map, Value};

/// Parses `text` (YAML or JSON); an empty document is an empty mapping.
pub fn parse(text: &str, source: &str) -> Result<Value> {
    let documents = crate::kube::kubeconfig::load_documents(text, source)?;
    match documents.as_slice() {
        [] => Ok(Value::Object(Map::new())),
        [root] => to_value(root, source, 0),
        _ => Err(Error::new(format!("{source}: holds more than one YAML document"))),
    }
}

fn to_value(node: &Yaml, source: &str, depth: usize) -> Result<Value> {
    if depth > 100 {
        return Err(Error::new(format!("{source}: nested too deeply")));
    }
    Ok(match node {
        Yaml::Value(scalar) => scalar_value(scalar),
        Yaml::Sequence(items) => {
            Value::Array(items.iter().map(|i| to_value(i, source, depth + 1)).collect::<Result<_>>()?)
        }
        Yaml::Mapping(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::Value(scalar) => match scalar_value(scalar) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    },
                    _ => return Err(Error::new(format!("{source}: a mapping key is not a scalar"))),
                };
                out.insert(key, to_value(value, source, depth + 1)?);
            }
            Value::Object(out)
        }
        Yaml::Tagged(_, inner) => to_value(inner, source, depth + 1)?,
        _ => Value::Null,
    })
}

fn scalar_value(scalar: &Scalar) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::from(*i),
        Scalar::FloatingPoint(f) => serde_json::Number::from_f64(f.into_inner()).map_or(Value::Null, Value::Number),
        Scalar::String(s) => Value::String(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_kubecred_does_not_model() {
        let text = "apiVersion: v1\nusers:\n- name: gke\n  user:\n    auth-provider: {name: gcp, config: {cmd-path: /bin/gcloud}}\npreferences: {colors: true}\nn: 3\n";
        let value = parse(text, "t").unwrap();
        assert_eq!(value["users"][0]["user"]["auth-provider"]["name"], "gcp");
        assert_eq!(value["preferences"]["colors"], true);
        assert_eq!(value["n"], 3);
        assert_eq!(parse("", "t").unwrap(), serde_json::json!({}));
    }
}
