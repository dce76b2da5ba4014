//! XML bodies, read the way webhook reads them: Go's `encoding/xml` tokenizer feeding
//! the map conventions of the mxj library (version 1, no type casting).
//!
//! The map: the document's first element is the only key; attributes become keys
//! prefixed `-`; an element with attributes or children and text keeps its text under
//! `#text`; a repeated child becomes a list; an empty element is `""`; namespace
//! prefixes are dropped (`xmlns:p` becomes `-p`); text is trimmed of tabs, CR, LF,
//! backspace and spaces. One mxj quirk is kept on purpose: when text comes *before* the
//! first child, the element's value is that text and its children are lost.
//!
//! Only the first element is read; anything after it is never looked at, so trailing
//! junk is not an error, exactly as in webhook. The tokenizer is hand-written because
//! webhook's result depends on where Go splits text into tokens (a comment or CDATA
//! section starts a new text token) and on stopping after the first element.
//!
//! Known gap: error texts follow Go's for the common cases (unexpected EOF, mismatched
//! tags, bad entities, encodings other than UTF-8); rarer malformed input may be
//! reported with a different message, though always as an error.
//! Tracked: docs/limitations.md#xml-error-texts

use super::json::MAX_DEPTH;
use super::value::{Map, Value};

/// Decodes `body` into webhook's payload map, or returns the text webhook logs after
/// `error parsing XML payload: `.
pub fn decode(body: &[u8]) -> Result<Map, String> {
    let mut tokens = Tokenizer {
        data: body,
        pos: 0,
        line: 1,
        open: Vec::new(),
    };
    let mut stack: Vec<Element> = Vec::new();
    loop {
        let token = match tokens.next() {
            Ok(token) => token,
            Err(TokenError::Eof) => return Err("EOF".into()),
            Err(TokenError::Syntax(message)) => {
                return Err(format!("xml.Decoder.Token() - {message}"));
            }
        };
        match token {
            Token::Start { name, attrs } => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "hookctl reads XML nested at most {MAX_DEPTH} levels deep \
                         (webhook has no limit)"
                    ));
                }
                stack.push(Element::new(name, attrs));
            }
            Token::End => {
                let done = stack.pop().expect("the tokenizer checks nesting");
                let (key, value) = done.finish();
                match stack.last_mut() {
                    None => return Ok(Map::from([(key, value)])),
                    Some(parent) => parent.add_child(key, value),
                }
            }
            Token::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.add_text(text);
                }
            }
            Token::Other => {}
        }
    }
}

/// An element being read: mxj's `n` (the element's own value, once text arrives) and
/// `na` (attributes and children).
struct Element {
    key: String,
    text_value: Option<String>,
    members: Map,
}

impl Element {
    fn new(name: String, attrs: Vec<(String, String)>) -> Element {
        let members = attrs
            .into_iter()
            .map(|(k, v)| (format!("-{k}"), Value::String(v)))
            .collect();
        Element {
            key: name,
            text_value: None,
            members,
        }
    }

    fn add_text(&mut self, text: String) {
        let trimmed = text.trim_matches(['\t', '\r', '\x08', '\n', ' ']);
        if trimmed.is_empty() {
            return;
        }
        if self.members.is_empty() {
            self.text_value = Some(trimmed.to_string());
        } else {
            self.members
                .insert("#text".into(), Value::String(trimmed.to_string()));
        }
    }

    fn add_child(&mut self, key: String, value: Value) {
        match self.members.get_mut(&key) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = std::mem::replace(existing, Value::Null);
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                self.members.insert(key, value);
            }
        }
    }

    fn finish(self) -> (String, Value) {
        let value = match self.text_value {
            Some(text) => Value::String(text),
            None if self.members.is_empty() => Value::String(String::new()),
            None => Value::Object(self.members),
        };
        (self.key, value)
    }
}

enum Token {
    /// A start tag (also emitted for `<a/>`, followed by `End`), with local names.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    End,
    Text(String),
    /// Comments, processing instructions and directives.
    Other,
}

enum TokenError {
    Eof,
    Syntax(String),
}

/// Go's `xml.Decoder` in strict mode, reduced to what mxj needs.
struct Tokenizer<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
    /// Open elements as (prefix, local name); `None` marks a pending self-close.
    open: Vec<(String, String, bool)>,
}

impl Tokenizer<'_> {
    fn next(&mut self) -> Result<Token, TokenError> {
        if let Some(last) = self.open.last_mut() {
            if last.2 {
                self.open.pop();
                return Ok(Token::End);
            }
        }
        let Some(b) = self.getc() else {
            if self.open.is_empty() {
                return Err(TokenError::Eof);
            }
            return Err(self.syntax("unexpected EOF"));
        };
        if b != b'<' {
            self.pos -= 1;
            self.unline(b);
            return self.text(None, false).map(Token::Text);
        }
        match self.must_getc()? {
            b'/' => self.end_tag(),
            b'?' => self.processing_instruction(),
            b'!' => self.bang(),
            _ => {
                self.pos -= 1;
                self.start_tag()
            }
        }
    }

    fn end_tag(&mut self) -> Result<Token, TokenError> {
        let Some((prefix, local)) = self.name()? else {
            return Err(self.syntax("expected element name after </"));
        };
        self.space();
        if self.must_getc()? != b'>' {
            return Err(self.syntax(&format!("invalid characters between </{local} and >")));
        }
        match self.open.pop() {
            None => Err(self.syntax(&format!("unexpected end element </{local}>"))),
            Some((_, open_local, _)) if open_local != local => {
                Err(self.syntax(&format!("element <{open_local}> closed by </{local}>")))
            }
            Some((open_prefix, _, _)) if open_prefix != prefix => Err(self.syntax(&format!(
                "element <{local}> in space {open_prefix} closed by </{local}> in space {prefix}"
            ))),
            Some(_) => Ok(Token::End),
        }
    }

    fn start_tag(&mut self) -> Result<Token, TokenError> {
        let Some((prefix, local)) = self.name()? else {
            return Err(self.syntax("expected element name after <"));
        };
        let mut attrs = Vec::new();
        let mut empty = false;
        loop {
            self.space();
            match self.must_getc()? {
                b'/' => {
                    if self.must_getc()? != b'>' {
                        return Err(self.syntax("expected /> in element"));
                    }
                    empty = true;
                    break;
                }
                b'>' => break,
                _ => self.pos -= 1,
            }
            let Some((_, attr)) = self.name()? else {
                return Err(self.syntax("expected attribute name in element"));
            };
            self.space();
            if self.must_getc()? != b'=' {
                return Err(self.syntax("attribute name without = in element"));
            }
            self.space();
            let quote = self.must_getc()?;
            if quote != b'"' && quote != b'\'' {
                return Err(self.syntax("unquoted or missing attribute value in element"));
            }
            let value = self.text(Some(quote), false)?;
            attrs.push((attr, value));
        }
        self.open.push((prefix, local.clone(), empty));
        Ok(Token::Start { name: local, attrs })
    }

    fn processing_instruction(&mut self) -> Result<Token, TokenError> {
        let Some((_, target)) = self.name()? else {
            return Err(self.syntax("expected target name after <?"));
        };
        let start = self.pos;
        loop {
            if self.must_getc()? == b'?' && self.data.get(self.pos) == Some(&b'>') {
                self.pos += 1;
                break;
            }
        }
        if target == "xml" {
            let content = String::from_utf8_lossy(&self.data[start..self.pos - 2]).into_owned();
            check_declaration(&content).map_err(TokenError::Syntax)?;
        }
        Ok(Token::Other)
    }

    /// After `<!`: a comment, a CDATA section or a directive such as `<!DOCTYPE>`.
    fn bang(&mut self) -> Result<Token, TokenError> {
        match self.must_getc()? {
            b'-' => {
                if self.must_getc()? != b'-' {
                    return Err(self.syntax("invalid sequence <!- not part of <!--"));
                }
                let (mut b0, mut b1) = (0u8, 0u8);
                loop {
                    let b = self.must_getc()?;
                    if b0 == b'-' && b1 == b'-' {
                        if b != b'>' {
                            return Err(
                                self.syntax(r#"invalid sequence "--" not allowed in comments"#)
                            );
                        }
                        return Ok(Token::Other);
                    }
                    (b0, b1) = (b1, b);
                }
            }
            b'[' => {
                for expected in b"CDATA[" {
                    if self.must_getc()? != *expected {
                        return Err(self.syntax("invalid <![ sequence"));
                    }
                }
                self.text(None, true).map(Token::Text)
            }
            _ => self.directive(),
        }
    }

    fn directive(&mut self) -> Result<Token, TokenError> {
        let mut quote = 0u8;
        let mut depth = 0usize;
        loop {
            let b = self.must_getc()?;
            if quote == 0 && b == b'>' && depth == 0 {
                return Ok(Token::Other);
            }
            match b {
                _ if quote != 0 && b == quote => quote = 0,
                _ if quote != 0 => {}
                b'\'' | b'"' => quote = b,
                b'>' => depth -= 1,
                b'<' if self.data[self.pos..].starts_with(b"!--") => {
                    self.pos += 3;
                    let (mut b0, mut b1) = (0u8, 0u8);
                    loop {
                        let c = self.must_getc()?;
                        if b0 == b'-' && b1 == b'-' && c == b'>' {
                            break;
                        }
                        (b0, b1) = (b1, c);
                    }
                }
                b'<' => depth += 1,
                _ => {}
            }
        }
    }

    /// Reads text up to `<` (or the quote of an attribute value, or `]]>` for CDATA),
    /// decoding entities and turning CR LF and lone CR into LF.
    fn text(&mut self, quote: Option<u8>, cdata: bool) -> Result<String, TokenError> {
        let mut out: Vec<u8> = Vec::new();
        let (mut b0, mut b1) = (0u8, 0u8);
        loop {
            let Some(b) = self.getc() else {
                if cdata {
                    return Err(self.syntax("unexpected EOF in CDATA section"));
                }
                if quote.is_some() {
                    return Err(self.syntax("unexpected EOF"));
                }
                break;
            };
            if b0 == b']' && b1 == b']' && b == b'>' {
                if cdata {
                    out.truncate(out.len() - 2);
                    break;
                }
                return Err(self.syntax("unescaped ]]> not in CDATA section"));
            }
            if b == b'<' && !cdata {
                if quote.is_some() {
                    return Err(self.syntax("unescaped < inside quoted string"));
                }
                self.pos -= 1;
                break;
            }
            if Some(b) == quote {
                break;
            }
            if b == b'&' && !cdata {
                self.entity(&mut out)?;
                (b0, b1) = (0, 0);
                continue;
            }
            if b == b'\r' {
                out.push(b'\n');
            } else if !(b1 == b'\r' && b == b'\n') {
                out.push(b);
            }
            (b0, b1) = (b1, b);
        }
        self.check_chars(out)
    }

    fn entity(&mut self, out: &mut Vec<u8>) -> Result<(), TokenError> {
        let start = self.pos;
        let end = self.data[start..]
            .iter()
            .position(|&c| c == b';')
            .map(|i| start + i);
        let candidate = end.map(|e| &self.data[start..e]).filter(|t| t.len() <= 64);
        let decoded = candidate.and_then(decode_entity);
        if let (Some(text), Some(end)) = (decoded, end) {
            out.extend_from_slice(text.as_bytes());
            self.pos = end + 1;
            return Ok(());
        }
        let shown = match candidate {
            Some(name) => format!("&{};", String::from_utf8_lossy(name)),
            None => {
                let stop = self.data[start..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric() && !b"#_:.-".contains(c))
                    .map_or(self.data.len(), |i| start + i);
                format!(
                    "&{} (no semicolon)",
                    String::from_utf8_lossy(&self.data[start..stop])
                )
            }
        };
        Err(self.syntax(&format!("invalid character entity {shown}")))
    }

    fn check_chars(&self, bytes: Vec<u8>) -> Result<String, TokenError> {
        let text = String::from_utf8(bytes).map_err(|_| self.syntax("invalid UTF-8"))?;
        if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
            return Err(self.syntax(&format!("illegal character code U+{:04X}", c as u32)));
        }
        Ok(text)
    }

    /// Reads a name as `(prefix, local)`; `None` when no name starts here.
    fn name(&mut self) -> Result<Option<(String, String)>, TokenError> {
        let start = self.pos;
        while let Some(&c) = self.data.get(self.pos) {
            if c < 0x80 && !is_name_byte(c) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            if self.pos == self.data.len() {
                return Err(self.syntax("unexpected EOF"));
            }
            return Ok(None);
        }
        let raw = String::from_utf8_lossy(&self.data[start..self.pos]).into_owned();
        if !is_xml_name(&raw) {
            return Err(self.syntax(&format!("invalid XML name: {raw}")));
        }
        Ok(Some(match raw.find(':') {
            Some(i) if i >= 1 && i < raw.len() - 1 => {
                (raw[..i].to_string(), raw[i + 1..].to_string())
            }
            _ => (String::new(), raw),
        }))
    }

    fn space(&mut self) {
        while let Some(&c) = self.data.get(self.pos) {
            if !matches!(c, b' ' | b'\r' | b'\n' | b'\t') {
                break;
            }
            self.getc();
        }
    }

    fn getc(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn unline(&mut self, b: u8) {
        if b == b'\n' {
            self.line -= 1;
        }
    }

    fn must_getc(&mut self) -> Result<u8, TokenError> {
        self.getc().ok_or_else(|| self.syntax("unexpected EOF"))
    }

    fn syntax(&self, message: &str) -> TokenError {
        TokenError::Syntax(format!("XML syntax error on line {}: {message}", self.line))
    }
}

/// Checks `<?xml ...?>` as Go does: version 1.0 only, and no encoding but UTF-8.
fn check_declaration(content: &str) -> Result<(), String> {
    if let Some(version) = declaration_param(content, "version") {
        if version != "1.0" {
            let quoted = super::quote::go_quote(&version);
            return Err(format!(
                "xml: unsupported version {quoted}; only version 1.0 is supported"
            ));
        }
    }
    if let Some(encoding) = declaration_param(content, "encoding") {
        if !encoding.is_empty() && !encoding.eq_ignore_ascii_case("utf-8") {
            let quoted = super::quote::go_quote(&encoding);
            return Err(format!(
                "xml: encoding {quoted} declared but Decoder.CharsetReader is nil"
            ));
        }
    }
    Ok(())
}

fn declaration_param(content: &str, name: &str) -> Option<String> {
    let at = content.find(name)?;
    let rest = content[at + name.len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

fn decode_entity(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "lt" => Some("<".into()),
            "gt" => Some(">".into()),
            "amp" => Some("&".into()),
            "apos" => Some("'".into()),
            "quot" => Some("\"".into()),
            _ => None,
        };
    };
    if code > 0x10ffff {
        return None;
    }
    Some(char::from_u32(code).unwrap_or('\u{fffd}').to_string())
}

fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x09 | 0x0a | 0x0d | 0x20..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-')
}

fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let first_ok = first.is_alphabetic() || first == '_' || first == ':';
    first_ok && chars.all(|c| c.is_alphanumeric() || "_:.-\u{b7}".contains(c) || !c.is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::json::marshal;

    fn json(xml: &str) -> String {
        marshal(&Value::Object(decode(xml.as_bytes()).unwrap()))
    }

    fn err(xml: &str) -> String {
        decode(xml.as_bytes()).unwrap_err()
    }

    #[test]
    fn follows_mxj_conventions() {
        assert_eq!(
            json(r#"<a x="1"><b>t</b><b>u</b></a>"#),
            r#"{"a":{"-x":"1","b":["t","u"]}}"#
        );
        assert_eq!(json("<a><b/></a>"), r#"{"a":{"b":""}}"#);
        assert_eq!(
            json(r#"<a x="1">t</a>"#),
            r##"{"a":{"#text":"t","-x":"1"}}"##
        );
        assert_eq!(json("<a><![CDATA[<x>]]></a>"), r#"{"a":"\u003cx\u003e"}"#);
    }

    #[test]
    fn reads_the_upstream_example() {
        let xml = concat!(
            r#"<app><users><user id="1" name="Jeff"/><user id="2" name="Sally"/></users>"#,
            r#"<messages><message id="1">Hello!!</message></messages></app>"#
        );
        let expected = concat!(
            r##"{"app":{"messages":{"message":{"#text":"Hello!!","-id":"1"}},"##,
            r##""users":{"user":[{"-id":"1","-name":"Jeff"},{"-id":"2","-name":"Sally"}]}}}"##
        );
        assert_eq!(json(xml), expected);
    }

    #[test]
    fn drops_namespace_prefixes() {
        let xml = r#"<p:root xmlns:p="urn:x" xmlns="urn:d" p:a="1"><p:c>v</p:c></p:root>"#;
        assert_eq!(
            json(xml),
            r#"{"root":{"-a":"1","-p":"urn:x","-xmlns":"urn:d","c":"v"}}"#
        );
    }

    #[test]
    fn skips_the_prolog_and_ignores_what_follows_the_root() {
        let xml = "\u{feff}<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"x\">]>\n<!-- c -->\
            <a>1</a><b>2</b> junk <<<";
        assert_eq!(json(xml), r#"{"a":"1"}"#);
    }

    #[test]
    fn text_before_the_first_child_wins() {
        assert_eq!(json("<a>x<b/>y</a>"), r#"{"a":"x"}"#);
        assert_eq!(json("<a><b/>x</a>"), r##"{"a":{"#text":"x","b":""}}"##);
        assert_eq!(json("<a>x<!--c-->y</a>"), r#"{"a":"y"}"#);
    }

    #[test]
    fn decodes_entities_and_line_ends() {
        assert_eq!(
            json("<a>&lt;&#65;&#x42;&amp;\r\nz</a>"),
            r#"{"a":"\u003cAB\u0026\nz"}"#
        );
    }

    #[test]
    fn reports_errors_like_go() {
        assert_eq!(err(""), "EOF");
        assert_eq!(err("   "), "EOF");
        assert_eq!(
            err("<a>"),
            "xml.Decoder.Token() - XML syntax error on line 1: unexpected EOF"
        );
        assert_eq!(
            err("<a>\n</b>"),
            "xml.Decoder.Token() - XML syntax error on line 2: element <a> closed by </b>"
        );
        assert_eq!(
            err("<a>&nbsp;</a>"),
            "xml.Decoder.Token() - XML syntax error on line 1: invalid character entity &nbsp;"
        );
        assert_eq!(
            err(r#"<?xml version="1.0" encoding="ISO-8859-1"?><a/>"#),
            concat!(
                r#"xml.Decoder.Token() - xml: encoding "ISO-8859-1" declared "#,
                "but Decoder.CharsetReader is nil"
            )
        );
        assert_eq!(
            err("<a b=1/>"),
            "xml.Decoder.Token() - XML syntax error on line 1: \
             unquoted or missing attribute value in element"
        );
    }

    #[test]
    fn known_gap_payload_depth() {
        let xml = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        let map = decode(xml.as_bytes()).unwrap();
        assert!(marshal(&Value::Object(map)).len() > MAX_DEPTH * 6);
        let deeper = "<a>".repeat(MAX_DEPTH + 1);
        assert!(decode(deeper.as_bytes())
            .unwrap_err()
            .starts_with("hookctl reads XML"));
    }
}
