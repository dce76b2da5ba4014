//! The values webhook holds for a request: headers, query, payload and everything inside.
//!
//! webhook keeps these as Go `interface{}` values. [`Value`] mirrors the shapes that
//! can occur there, including one Go oddity: a map that is a *typed nil*
//! ([`Value::NilObject`]). It appears when `parse-parameters-as-json` decodes the text
//! `null`, or when a multipart JSON file part fails to decode. Such a value prints as
//! `null` (not `<nil>`) and a path through it is "not found" (not "no parameters").

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON object as Go holds it. Keys are unique and kept in byte order, which is also
/// the order Go's `json.Marshal` writes them in.
pub type Map = BTreeMap<String, Value>;

/// One value of a request, as webhook sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A JSON number, kept as the literal text of the request (`1.50`, `1e3`).
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Map),
    /// A Go map that is nil: prints as `null`, and no key is found in it.
    NilObject,
}

impl Value {
    /// The word for the value's shape, used in diagnoses ("a list", "an object").
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null | Value::NilObject => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::NilObject => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(text) => match text.parse::<serde_json::Number>() {
                Ok(number) => number.serialize(serializer),
                Err(_) => serializer.serialize_str(text),
            },
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    out.serialize_entry(key, value)?;
                }
                out.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_serialize_with_their_literal_text() {
        let mut map = Map::new();
        map.insert("f".into(), Value::Number("1.50".into()));
        map.insert("big".into(), Value::Number("12345678901234567890".into()));
        let text = serde_json::to_string(&Value::Object(map)).unwrap();
        assert_eq!(text, r#"{"big":12345678901234567890,"f":1.50}"#);
    }

    #[test]
    fn nil_object_serializes_as_null() {
        assert_eq!(serde_json::to_string(&Value::NilObject).unwrap(), "null");
    }
}
