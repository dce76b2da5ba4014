//! Parse hook-file text into a [`Node`] tree with spans, as webhook's YAML 1.1 reader would.
//!
//! Anchors and aliases are expanded (an alias node keeps the span of the alias), `<<`
//! merge keys are expanded the way yaml.v2 does, and only the first document of a
//! multi-document stream is kept, because webhook ignores the rest.

use std::collections::HashMap;

use saphyr_parser::{
    Event, Parser, ScalarStyle, ScanError, Span as YamlSpan, SpannedEventReceiver,
};

use super::node::{Entry, Node, NodeValue, Scalar};
use super::positions::{CharOffsets, Span};

/// How many values aliases may copy in one file; a real hook file needs a few hundred.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// The number of nodes in a tree, for counting what an alias copies.
fn size(node: &Node) -> usize {
    match &node.value {
        NodeValue::Scalar(_) => 1,
        NodeValue::Seq(items) => 1 + items.iter().map(size).sum::<usize>(),
        NodeValue::Map(entries) => {
            1 + entries
                .iter()
                .map(|e| size(&e.key) + size(&e.value))
                .sum::<usize>()
        }
    }
}

/// How deep collections may nest. yaml.v2 gives up at the same depth.
pub const MAX_DEPTH: usize = 10_000;

/// Which reader produced the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Strict JSON: what any JSON tool reads the same way.
    Json,
    /// YAML: block YAML, or JSON that only a YAML parser accepts (comments, trailing
    /// commas, `key: value` pairs inside a list).
    Yaml,
}

/// The result of parsing one text.
#[derive(Debug)]
pub struct Parsed {
    pub reader: Reader,
    /// The first document's root, or `None` for an empty stream.
    pub root: Option<Node>,
    /// Where a second document starts, if the stream has more than one.
    pub extra_document: Option<Span>,
}

/// A syntax error with the byte offset where the parser gave up.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Parses `text` (valid UTF-8; a leading byte-order mark is skipped).
///
/// Text that starts like JSON is read with a strict JSON parser first: for valid JSON it
/// gives the same tree as webhook's YAML reader, far faster and without the YAML
/// scanner's habit of buffering a whole flow collection. Anything else, or JSON that
/// only YAML accepts, goes through the YAML parser as in webhook.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    if !looks_like_json(text) || !reads_alike(text) {
        return parse_yaml(text);
    }
    match json::parse(text) {
        Ok(root) => Ok(Parsed {
            reader: Reader::Json,
            root: Some(root),
            extra_document: None,
        }),
        // webhook's reader decides, and its error is the one webhook would log.
        Err(_) => parse_yaml(text),
    }
}

/// Whether strict JSON readers and yaml.v2 agree on this text. They differ on a few
/// escapes and characters (`\/` and surrogate `\u` escapes, which yaml.v2 refuses;
/// tabs and C1 control characters); a text holding any of them takes the YAML path,
/// whose rules follow yaml.v2.
fn reads_alike(text: &str) -> bool {
    let b = text.as_bytes();
    if b.contains(&b'\t') || text.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)) {
        return false;
    }
    !b.windows(3)
        .any(|w| w[0] == b'\\' && (w[1] == b'/' || (w[1] == b'u' && matches!(w[2], b'd' | b'D'))))
}

fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'[' | b'{'))
}

fn parse_yaml(text: &str) -> Result<Parsed, SyntaxError> {
    let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[skip..];
    if let Some(offset) = unsupported_version(body) {
        return Err(SyntaxError {
            offset: offset + skip,
            message: "webhook reads only YAML 1.1 and refuses other `%YAML` versions".into(),
        });
    }
    let offsets = CharOffsets::new(body);
    let mut builder = Builder::new(text, &offsets, skip);
    let mut parser = Parser::new_from_str(body);
    let result = parser.load(&mut builder, true);
    if let Some(err) = builder.error.take() {
        return Err(err);
    }
    if let Err(e) = result {
        let err = scan_error(&e, &offsets, skip);
        // webhook stops reading after the first document, so later errors do not count.
        let later = builder
            .extra_document
            .is_some_and(|d| err.offset >= d.start);
        if !later {
            return Err(err);
        }
    }
    Ok(Parsed {
        reader: Reader::Yaml,
        root: builder.root,
        extra_document: builder.extra_document,
    })
}

/// Where a `%YAML` directive other than 1.1 starts, if the first document has one.
fn unsupported_version(body: &str) -> Option<usize> {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("%YAML") {
            let version = rest.split_whitespace().next().unwrap_or("");
            return (version != "1.1").then_some(offset);
        }
        if !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('%')) {
            return None;
        }
        offset += line.len();
    }
    None
}

fn scan_error(err: &ScanError, offsets: &CharOffsets, skip: usize) -> SyntaxError {
    let offset = offsets.byte(err.marker().index()) + skip;
    // Known gap: the YAML parser stops at about 256 nested levels where yaml.v2 allows
    // 10,000. Why: no real hook file nests that deep (a trigger rule would need over 100
    // levels). Tracked: docs/limitations.md#nesting-depth
    let message = if err.info() == "recursion limit exceeded" {
        "lists and objects nest too deeply (hookctl reads at most 255 levels)".into()
    } else {
        err.info().into()
    };
    SyntaxError { offset, message }
}

/// A collection being built, with the span where it started.
enum Open {
    Seq(Vec<Node>, usize, usize),
    Map(Vec<Node>, usize, usize),
}

struct Builder<'a> {
    /// The whole text, byte-order mark included, as spans count it.
    text: &'a str,
    offsets: &'a CharOffsets,
    skip: usize,
    stack: Vec<Open>,
    /// Anchored nodes with their size in nodes, so aliases can be counted before use.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes copied so far by expanding aliases.
    expanded: usize,
    documents: usize,
    root: Option<Node>,
    extra_document: Option<Span>,
    error: Option<SyntaxError>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, offsets: &'a CharOffsets, skip: usize) -> Self {
        Builder {
            text,
            offsets,
            skip,
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
            documents: 0,
            root: None,
            extra_document: None,
            error: None,
        }
    }

    fn span(&self, span: &YamlSpan) -> Span {
        let start = self.offsets.byte(span.start.index()) + self.skip;
        let end = self.offsets.byte(span.end.index()) + self.skip;
        Span::new(start, end)
    }

    fn in_first_document(&self) -> bool {
        self.documents == 1 && self.error.is_none()
    }

    fn open(&mut self, open: Open, anchor: usize) {
        if self.stack.len() >= MAX_DEPTH {
            let offset = match &open {
                Open::Seq(_, start, _) | Open::Map(_, start, _) => *start,
            };
            self.error = Some(SyntaxError {
                offset,
                message: format!("lists and objects nest deeper than {MAX_DEPTH} levels"),
            });
            return;
        }
        let _ = anchor;
        self.stack.push(open);
    }

    fn close(&mut self, end: usize) {
        let Some(open) = self.stack.pop() else { return };
        let node = match open {
            Open::Seq(items, start, anchor) => (
                Node {
                    value: NodeValue::Seq(items),
                    span: Span::new(start, end),
                },
                anchor,
            ),
            Open::Map(flat, start, anchor) => {
                let entries = pair_up(flat);
                if let Some(offset) = bad_merge(&entries) {
                    self.error = Some(SyntaxError {
                        offset,
                        message: "a `<<` merge key needs an object or a list of objects as its \
                                  value"
                            .into(),
                    });
                    return;
                }
                let entries = expand_merges(entries);
                (
                    Node {
                        value: NodeValue::Map(entries),
                        span: Span::new(start, end),
                    },
                    anchor,
                )
            }
        };
        self.finish(node.0, node.1);
    }

    /// Whether the next node handed to the open collection is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Open::Map(items, _, _)) if items.len() % 2 == 0)
    }

    /// yaml.v2 (libyaml) wants an implicit key on one line; our parser accepts a plain
    /// key that runs on, which is how `// comment` lines in JSON slip through.
    fn check_key(&mut self, span: Span) {
        let written = &self.text[span.start..span.end];
        if !written.contains('\n') || self.is_explicit_key(span.start) {
            return;
        }
        let message = if written.starts_with("//") || written.starts_with("/*") {
            "`//` and `/* */` comments are not allowed; this text is read as a key that runs \
             onto the next line"
        } else {
            "a key must fit on one line, but this one runs onto the next line"
        };
        self.error = Some(SyntaxError {
            offset: span.start,
            message: message.into(),
        });
    }

    /// Whether the innermost open collection is a flow one (`[...]` or `{...}`); a block
    /// collection cannot sit inside a flow one, so the innermost decides.
    fn in_flow(&self) -> bool {
        let start = match self.stack.last() {
            Some(Open::Seq(_, start, _) | Open::Map(_, start, _)) => *start,
            None => return false,
        };
        matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'))
    }

    /// yaml.v2 refuses a `:` followed by anything but a space inside an unquoted value
    /// in `[...]` or `{...}` (`{a:b}`, `[http://x]`), where our parser reads it as text.
    fn check_flow_colon(&mut self, span: Span) {
        let written = &self.text[span.start..span.end];
        let bytes = written.as_bytes();
        let colon = bytes.iter().enumerate().position(|(i, &b)| {
            b == b':' && bytes.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace())
        });
        if let Some(i) = colon {
            self.error = Some(SyntaxError {
                offset: span.start + i,
                message: "found unexpected ':' in an unquoted value inside `[...]` or `{...}`"
                    .into(),
            });
        }
    }

    /// yaml.v2 does not know the `\/` escape that JSON and YAML 1.2 allow.
    fn check_escapes(&mut self, span: Span) {
        let bytes = &self.text.as_bytes()[span.start..span.end];
        let mut i = 0;
        while i + 1 < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            if bytes[i + 1] == b'/' {
                self.error = Some(SyntaxError {
                    offset: span.start + i,
                    message: "found unknown escape character `\\/`".into(),
                });
                return;
            }
            i += 2;
        }
    }

    /// Whether the key at `start` follows a `?`, YAML's rarely used explicit-key marker.
    fn is_explicit_key(&self, start: usize) -> bool {
        self.text[..start].trim_end().ends_with('?')
    }

    /// Records an anchored node and hands the node to its parent.
    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size(&node)));
        }
        match self.stack.last_mut() {
            Some(Open::Seq(items, _, _)) | Some(Open::Map(items, _, _)) => items.push(node),
            None => self.root = Some(node),
        }
    }

    fn alias(&mut self, id: usize, span: Span) {
        let Some((target, count)) = self.anchors.get(&id) else {
            self.error = Some(SyntaxError {
                offset: span.start,
                message: "unknown alias".into(),
            });
            return;
        };
        // An alias of an alias of ... ("billion laughs") grows exponentially; yaml.v2
        // refuses such documents as excessive aliasing, and so do we, before copying.
        self.expanded += count;
        if self.expanded > MAX_ALIAS_NODES {
            self.error = Some(SyntaxError {
                offset: span.start,
                message: format!(
                    "aliases expand to more than {MAX_ALIAS_NODES} values (excessive aliasing)"
                ),
            });
            return;
        }
        let mut node = target.clone();
        node.span = span;
        self.finish(node, 0);
    }
}

impl<'input> SpannedEventReceiver<'input> for Builder<'_> {
    fn on_event(&mut self, ev: Event<'input>, span: YamlSpan) {
        let span = self.span(&span);
        if let Event::DocumentStart(explicit) = ev {
            // After a `...` that ends the first document, yaml.v2 wants `---`; whatever
            // comes later it never reads.
            if !explicit && self.documents == 1 && self.error.is_none() {
                self.error = Some(SyntaxError {
                    offset: span.start,
                    message: "did not find expected <document start>: a document after `...` \
                              must begin with `---`"
                        .into(),
                });
            }
            self.documents += 1;
            if self.documents == 2 {
                self.extra_document = Some(span);
            }
            return;
        }
        if !self.in_first_document() {
            return;
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    self.check_key(span);
                }
                match style {
                    ScalarStyle::Plain if self.in_flow() => self.check_flow_colon(span),
                    ScalarStyle::DoubleQuoted => self.check_escapes(span),
                    _ => {}
                }
                let scalar = Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                    tag: tag.map(|t| tag_text(&t)),
                };
                self.finish(
                    Node {
                        value: NodeValue::Scalar(scalar),
                        span,
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Open::Seq(Vec::new(), span.start, anchor), anchor)
            }
            Event::MappingStart(anchor, _) => {
                self.open(Open::Map(Vec::new(), span.start, anchor), anchor)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span.end),
            Event::Alias(id) => self.alias(id, span),
            _ => {}
        }
    }
}

fn tag_text(tag: &saphyr_parser::Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

fn pair_up(flat: Vec<Node>) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(flat.len() / 2);
    let mut it = flat.into_iter();
    while let (Some(key), Some(value)) = (it.next(), it.next()) {
        entries.push(Entry {
            key,
            value,
            merged: false,
        });
    }
    entries
}

/// Replaces each `<<` entry by the entries it merges, where the `<<` stands, as yaml.v2
/// does: it merges in place, so a key written before the `<<` is overridden by the
/// merged value and a key written after it wins. Of a list of mappings the earlier ones
/// win. (YAML 1.1 says explicit keys always win; yaml.v2 does not follow that.)
fn expand_merges(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        if !is_merge(&entry) {
            out.push(entry);
            continue;
        }
        let maps = match entry.value.value {
            NodeValue::Seq(maps) => maps.into_iter().rev().collect(),
            _ => vec![entry.value],
        };
        for map in maps {
            if let NodeValue::Map(merged) = map.value {
                out.extend(merged.into_iter().map(|e| Entry { merged: true, ..e }));
            }
        }
    }
    out
}

/// Where a `<<` merge has a value yaml.v2 refuses (not a mapping or a list of mappings).
fn bad_merge(entries: &[Entry]) -> Option<usize> {
    let is_map = |n: &Node| matches!(n.value, NodeValue::Map(_));
    entries.iter().filter(|e| is_merge(e)).find_map(|e| {
        let ok = match &e.value.value {
            NodeValue::Map(_) => true,
            NodeValue::Seq(items) => items.iter().all(is_map),
            NodeValue::Scalar(_) => false,
        };
        (!ok).then_some(e.value.span.start)
    })
}

fn is_merge(entry: &Entry) -> bool {
    matches!(&entry.key.value, NodeValue::Scalar(s) if s.plain && s.text == "<<")
}

/// The strict JSON reader, producing the same [`Node`] tree as the YAML one.
mod json {
    use jsonc_parser::ast::{ObjectPropName, Value};
    use jsonc_parser::{parse_to_ast, CollectOptions, CommentCollectionStrategy, ParseOptions};

    use super::{Entry, Node, NodeValue, Scalar, Span, SyntaxError};

    pub fn parse(text: &str) -> Result<Node, SyntaxError> {
        let collect = CollectOptions {
            comments: CommentCollectionStrategy::Off,
            tokens: false,
        };
        let strict = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let result = parse_to_ast(text, &collect, &strict).map_err(|e| {
            let message = match e.kind().to_string().as_str() {
                "Maximum nesting depth exceeded" => {
                    "lists and objects nest too deeply (hookctl reads at most 512 levels)".into()
                }
                other => lower_first(other),
            };
            SyntaxError {
                offset: e.range().start,
                message,
            }
        })?;
        let value = result.value.ok_or_else(|| SyntaxError {
            offset: 0,
            message: "the file holds no JSON value".into(),
        })?;
        Ok(node(value))
    }

    fn lower_first(s: &str) -> String {
        let mut chars = s.chars();
        chars
            .next()
            .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
    }

    fn scalar(text: impl Into<String>, plain: bool, start: usize, end: usize) -> Node {
        let value = NodeValue::Scalar(Scalar {
            text: text.into(),
            plain,
            tag: None,
        });
        Node {
            value,
            span: Span::new(start, end),
        }
    }

    fn node(value: Value<'_>) -> Node {
        match value {
            Value::StringLit(s) => scalar(s.value, false, s.range.start, s.range.end),
            Value::NumberLit(n) => scalar(n.value, true, n.range.start, n.range.end),
            Value::BooleanLit(b) => scalar(
                if b.value { "true" } else { "false" },
                true,
                b.range.start,
                b.range.end,
            ),
            Value::NullKeyword(n) => scalar("null", true, n.range.start, n.range.end),
            Value::Array(a) => Node {
                span: Span::new(a.range.start, a.range.end),
                value: NodeValue::Seq(a.elements.into_iter().map(node).collect()),
            },
            Value::Object(o) => Node {
                span: Span::new(o.range.start, o.range.end),
                value: NodeValue::Map(o.properties.into_iter().map(entry).collect()),
            },
        }
    }

    fn entry(prop: jsonc_parser::ast::ObjectProp<'_>) -> Entry {
        let key = match prop.name {
            ObjectPropName::String(s) => scalar(s.value, false, s.range.start, s.range.end),
            ObjectPropName::Word(w) => scalar(w.value, true, w.range.start, w.range.end),
        };
        Entry {
            key,
            value: node(prop.value),
            merged: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        parse(text).unwrap().root.unwrap()
    }

    #[test]
    fn json_values_have_spans() {
        let text = r#"[{"id": "a", "n": 1}]"#;
        let node = root(text);
        let NodeValue::Seq(items) = &node.value else {
            panic!()
        };
        let NodeValue::Map(entries) = &items[0].value else {
            panic!()
        };
        let id = &entries[0].value;
        assert_eq!(&text[id.span.start..id.span.end], "\"a\"");
        assert!(!id.as_scalar().unwrap().plain);
        assert!(entries[1].value.as_scalar().unwrap().plain);
    }

    #[test]
    fn strict_json_uses_the_json_reader() {
        assert_eq!(parse("[{\"id\": 1}]").unwrap().reader, Reader::Json);
        assert_eq!(parse("[{\"id\": 1,}]").unwrap().reader, Reader::Yaml);
        assert_eq!(parse("- id: 1").unwrap().reader, Reader::Yaml);
    }

    #[test]
    fn comments_and_trailing_commas_parse_like_webhook() {
        let node = root("# c\n[{\"id\":\"c\",},]\n");
        let NodeValue::Seq(items) = &node.value else {
            panic!()
        };
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            text += &format!("a{i}: &a{i} [{refs}]\n");
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("excessive aliasing"), "{err:?}");
    }

    #[test]
    fn aliases_point_at_their_use() {
        let text = "- id: a\n  execute-command: &c /bin/true\n- id: b\n  execute-command: *c\n";
        let node = root(text);
        let NodeValue::Seq(items) = &node.value else {
            panic!()
        };
        let NodeValue::Map(entries) = &items[1].value else {
            panic!()
        };
        let cmd = &entries[1].value;
        assert_eq!(cmd.as_scalar().unwrap().text, "/bin/true");
        assert_eq!(&text[cmd.span.start..cmd.span.end], "*c");
    }

    #[test]
    fn merge_keys_expand() {
        let node = root("- <<: {a: 1, b: 2}\n  b: 3\n");
        let NodeValue::Seq(items) = &node.value else {
            panic!()
        };
        let NodeValue::Map(entries) = &items[0].value else {
            panic!()
        };
        let keys: Vec<_> = entries.iter().map(|e| e.key.key_text().unwrap()).collect();
        assert_eq!(keys, ["a", "b", "b"]);
    }

    /// The entries of the first hook of a YAML list.
    fn first_entries(text: &str) -> Vec<Entry> {
        let NodeValue::Seq(mut items) = root(text).value else {
            panic!()
        };
        let NodeValue::Map(entries) = items.remove(0).value else {
            panic!()
        };
        entries
    }

    #[test]
    fn merge_keys_expand_in_place_like_yaml_v2() {
        // webhook 2.8.0 loads the id `a` from `- id: b` followed by `<<: {id: a}`.
        let entries = first_entries("- b: 3\n  <<: {a: 1, b: 2}\n  c: 4\n");
        let got: Vec<_> = entries
            .iter()
            .map(|e| (e.key.key_text().unwrap(), e.merged))
            .collect();
        assert_eq!(got, [("b", false), ("a", true), ("b", true), ("c", false)]);
    }

    #[test]
    fn merge_lists_let_earlier_maps_win() {
        let entries = first_entries("- <<: [{id: x}, {id: a}]\n");
        let last = entries.last().unwrap();
        assert_eq!(last.value.as_scalar().unwrap().text, "x");
    }

    #[test]
    fn merging_a_scalar_is_a_load_error() {
        let text = "- id: a\n  <<: foo\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.offset, text.find("foo").unwrap());
        assert!(err.message.contains("`<<`"), "{err:?}");
    }

    #[test]
    fn a_key_that_runs_onto_the_next_line_is_an_error_like_in_yaml_v2() {
        // webhook 2.8.0: `yaml: line 3: did not find expected ',' or '}'`.
        let text = "[\n  {\n    // deploy\n    \"id\": \"a\"\n  }\n]\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.offset, text.find("//").unwrap());
        assert!(err.message.starts_with("`//`"), "{err:?}");
        assert!(parse("? a\n  b\n: c\n").is_ok());
        assert!(parse("{\"a\": 1,\n \"b\": 2}").is_ok());
    }

    #[test]
    fn yaml_v2_scanner_rules_are_followed() {
        // Each of these fails to load in webhook 2.8.0.
        for (text, at) in [
            ("- {source:payload}\n", "source:"),
            ("- [http://example.com]\n", "http:"),
            ("[{\"id\": \"a\\/b\"}]\n", "\\/"),
        ] {
            let err = parse(text).unwrap_err();
            let colon_or_escape = text.find(at).unwrap() + at.find([':', '\\']).unwrap();
            assert_eq!(err.offset, colon_or_escape, "{text}");
        }
        // And these load.
        for text in [
            "- {a: b, c: \"d:e\"}\n",
            "- id: http://example.com\n",
            "- [a, b:  c]\n",
            "[{\"id\": \"a\\\\/b\"}]\n",
            "- id: a\n---\n- {a:b}\n",
        ] {
            assert!(parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn documents_yaml_v2_refuses_are_errors() {
        let err = parse("%YAML 1.2\n---\n- id: a\n").unwrap_err();
        assert_eq!(err.offset, 0);
        assert!(parse("# c\n%YAML 1.1\n---\n- id: a\n").is_ok());
        let text = "- id: a\n...\n- id: b\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.offset, text.find("- id: b").unwrap());
        assert!(parse("- id: a\n...\n---\n- id: b\n").is_ok());
        assert!(parse("- id: a\n---\n- b\n...\n- c\n").is_ok());
        assert!(parse("- id: a\n---\n- [\n").is_ok());
    }

    #[test]
    fn only_the_first_document_counts() {
        let parsed = parse("- id: a\n---\n- id: b\n").unwrap();
        assert!(parsed.extra_document.is_some());
        let NodeValue::Seq(items) = &parsed.root.unwrap().value else {
            panic!()
        };
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let err = parse("[{\"id\": \"a\"}").unwrap_err();
        assert_eq!(err.offset, 12, "{err:?}");
        assert!(err.message.contains("expected ',' or ']'"), "{err:?}");
        let err = parse("- id: a\n  x: [\n").unwrap_err();
        assert!(err.offset > 10, "{err:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(MAX_DEPTH + 5) + &"]".repeat(MAX_DEPTH + 5);
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nest too deeply"), "{err:?}");
        let yaml = "- ".to_string() + &"[".repeat(300) + &"]".repeat(300);
        let err = parse(&yaml).unwrap_err();
        assert!(err.message.contains("nest too deeply"), "{err:?}");
    }
}
