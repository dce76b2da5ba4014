//! A format-neutral tree of the parsed hook file, with a span on every node.
//!
//! webhook reads every hook file, `.json` included, with a YAML 1.1 parser, so hookctl
//! does the same: one YAML event parser builds this tree for JSON and YAML alike. Scalars
//! keep their raw text and whether they were quoted; turning them into booleans, numbers
//! or strings the way webhook does is the job of [`crate::config::yaml11`].

use super::positions::Span;

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
}
