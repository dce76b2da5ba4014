//! A format-neutral tree of the parsed hook file, with a span on every node.
//!
//! webhook reads every hook file, `.json` included, with a YAML 1.1 parser, so hookctl
//! does the same: one YAML event parser builds this tree for JSON and YAML alike. Scalars
//! keep their raw text and whether they were quoted; turning them into booleans, numbers
//! or strings the way webhook does is the job of [`crate::config::yaml11`].

use serde_json::{Map, Number, Value};

use super::positions::Span;
use super::yaml11::{resolve, Resolved};

/// One node of the parsed document.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: NodeValue,
    /// Where the node stands in the file. For an alias (`*name`), the alias itself.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum NodeValue {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A scalar as written: its decoded text and whether it was quoted.
#[derive(Debug, Clone)]
pub struct Scalar {
    pub text: String,
    /// `true` for plain (unquoted) scalars, the only ones YAML retypes.
    pub plain: bool,
    /// An explicit tag such as `!!str`, if any, as `handle` + `suffix`.
    pub tag: Option<String>,
}

/// One `key: value` pair of a mapping, in file order (duplicates kept).
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
    /// Whether the pair was brought in by a `<<` merge key rather than written here.
    pub merged: bool,
}

impl Node {
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            NodeValue::Scalar(s) => super::yaml11::resolve(s).kind_name(),
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "an object",
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            NodeValue::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar key, as used for key matching.
    pub fn key_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// The JSON value webhook's YAML-to-JSON step makes of this node, for checking a hook
    /// file against the JSON Schema.
    ///
    /// Scalars resolve as in YAML 1.1 (`yes` is `true`, `0755` is 493); later duplicate
    /// keys replace earlier ones; keys that are numbers or booleans become their text.
    /// Infinite and NaN numbers, which JSON cannot hold, keep the text written (`.inf`);
    /// a list or object used as a key, which webhook refuses, becomes its JSON text.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Scalar(s) => scalar_to_json(s),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut map = Map::new();
                for entry in entries {
                    map.insert(key_to_json(&entry.key), entry.value.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

fn scalar_to_json(scalar: &Scalar) -> Value {
    match resolve(scalar) {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => match i64::try_from(i) {
            Ok(i) => Value::from(i),
            Err(_) => u64::try_from(i).map_or(Value::Null, Value::from),
        },
        Resolved::Float(f) => Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(scalar.text.clone())),
        Resolved::Str(s) => Value::String(s),
    }
}

fn key_to_json(key: &Node) -> String {
    match &key.value {
        NodeValue::Scalar(s) => resolve(s).to_webhook_string(),
        _ => key.to_json().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::parse::parse;

    fn json_of(text: &str) -> serde_json::Value {
        parse(text).unwrap().root.unwrap().to_json()
    }

    #[test]
    fn yaml_scalars_resolve_as_in_yaml_1_1() {
        let value = json_of("- id: yes\n  code: 0755\n  x: 1.5\n  w: ~\n  z: '0755'\n");
        assert_eq!(
            value,
            json!([{"id": true, "code": 493, "x": 1.5, "w": null, "z": "0755"}])
        );
    }

    #[test]
    fn json_text_keeps_its_types() {
        let value = json_of(r#"[{"id": "a", "n": 201, "b": false, "l": [1, "2"]}]"#);
        assert_eq!(
            value,
            json!([{"id": "a", "n": 201, "b": false, "l": [1, "2"]}])
        );
    }

    #[test]
    fn later_duplicate_keys_win_and_scalar_keys_become_text() {
        // `y` is a YAML 1.1 boolean, so as a key it becomes the text `true`.
        let value = json_of("a: 1\na: 2\n1: one\ny: t\n");
        assert_eq!(value, json!({"a": 2, "1": "one", "true": "t"}));
    }

    #[test]
    fn non_finite_numbers_keep_their_text() {
        assert_eq!(
            json_of("[.inf, -.Inf, .nan]"),
            json!([".inf", "-.Inf", ".nan"])
        );
    }
}
