//! Taking apart and converting [`yaml_node`] trees without recursion. A
//! kubeconfig may nest as deeply as kubectl reads (10 000 levels); one call
//! per level would need more stack than a container or a thread may have.
//!
//! [`yaml_node`]: crate::kube::yaml_node

use crate::kube::yaml_node::{Key, List, Mapping, Node, scalar_json};
use serde_json::{Map, Value};

impl Drop for List {
    fn drop(&mut self) {
        dismantle(std::mem::take(&mut self.items).into_iter());
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        dismantle(std::mem::take(&mut self.entries).into_iter().map(|(_, value)| value));
    }
}

/// Drops `nodes`: leaves at once, collections after their children have been
/// moved out onto a heap stack, so no drop goes more than two calls deep.
fn dismantle(nodes: impl Iterator<Item = Node>) {
    // Allocated only when some node has children of its own.
    let mut pending: Vec<Node> = nodes.filter(Node::has_children).collect();
    while let Some(mut node) = pending.pop() {
        match &mut node {
            Node::List(list) => pending.extend(std::mem::take(&mut list.items).into_iter().filter(Node::has_children)),
            Node::Map(map) => pending.extend(
                std::mem::take(&mut map.entries).into_iter().map(|(_, value)| value).filter(Node::has_children),
            ),
            _ => {}
        }
    }
}

/// A collection being converted: what is done, and what is left.
enum Open {
    List(Vec<Value>, std::vec::IntoIter<Node>),
    Map(Map<String, Value>, std::vec::IntoIter<(Key, Node)>, Option<String>),
}

/// The tree as JSON, children converted before their parents, in order.
pub fn to_json(root: Node) -> Value {
    let mut open: Vec<Open> = Vec::new();
    let mut next = root;
    loop {
        // Go down: a scalar is done at once, a collection is opened.
        let mut done = scalar_json(&mut next);
        match next {
            Node::List(list) => {
                let items = list.into_vec();
                open.push(Open::List(Vec::with_capacity(items.len()), items.into_iter()));
            }
            Node::Map(map) => open.push(Open::Map(Map::new(), map.into_entries().into_iter(), None)),
            _ => {}
        }
        // Go up: hand the finished value to its parent, until one has a child left.
        loop {
            let Some(parent) = open.last_mut() else { return done.unwrap_or(Value::Null) };
            let child = match parent {
                Open::List(values, rest) => {
                    values.extend(done.take());
                    rest.next()
                }
                Open::Map(values, rest, key) => {
                    if let (Some(value), Some(key)) = (done.take(), key.take()) {
                        values.insert(key, value);
                    }
                    rest.next().map(|(name, value)| {
                        *key = Some(name.into_owned());
                        value
                    })
                }
            };
            match child {
                Some(child) => {
                    next = child;
                    break;
                }
                None => {
                    done = open.pop().map(|finished| match finished {
                        Open::List(values, _) => Value::Array(values),
                        Open::Map(values, ..) => Value::Object(values),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::yaml_node::Mapping;

    fn nested(depth: usize) -> Node {
        let mut node = Node::Text("leaf".into());
        for i in 0..depth {
            node = if i % 2 == 0 {
                Node::List(List::new(vec![Node::Null, node]))
            } else {
                Node::Map(Mapping::from_unique(vec![("k".into(), node), ("n".into(), Node::Bool(true))]))
            };
        }
        node
    }

    #[test]
    fn deep_trees_convert_and_drop_on_a_small_stack() {
        // 64 KiB of stack: a recursive drop or conversion of 100 000 levels would overflow it.
        let json = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| {
                drop(nested(100_000));
                let json = nested(100_000).into_json();
                let mut depth = 0;
                let mut at = &json;
                while let Some(inner) = at.get(1).or_else(|| at.get("k")) {
                    depth += 1;
                    at = inner;
                }
                let leaf = at.clone();
                std::mem::forget(json); // serde_json's own drop recurses
                (depth, leaf)
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(json, (100_000, Value::String("leaf".into())));
    }

    #[test]
    fn order_and_values_survive() {
        let map = Mapping::from_unique(vec![
            ("z".into(), Node::List(List::new(vec![Node::Number(1.into()), Node::Map(Mapping::default())]))),
            ("a".into(), Node::Verbatim("0123".into())),
            ("m".into(), nested(3)),
        ]);
        let text = serde_json::to_string(&Node::Map(map).into_json()).unwrap();
        assert_eq!(
            text,
            r#"{"z":[1,{}],"a":{"\u0000kubecred-verbatim":"0123"},"m":[null,{"k":[null,"leaf"],"n":true}]}"#
        );
        assert_eq!(Node::Null.into_json(), Value::Null);
    }
}
