//! JSON as webhook's Go code reads and writes it.
//!
//! Reading follows `json.Decoder.Decode` with `UseNumber`: only the first value of the
//! input is read and anything after it is ignored (`12x` reads `12`), numbers keep their
//! literal text, invalid UTF-8 inside strings becomes U+FFFD (one per byte), and errors
//! carry Go's texts (`unexpected EOF`, `invalid character 'x' looking for beginning of
//! value`), because webhook logs them.
//!
//! Writing follows `json.Marshal`: keys in byte order, no spaces, `<`, `>`, `&`, U+2028
//! and U+2029 escaped, and control characters escaped as Go 1.19 does (`\u0008`, not
//! `\b`).

use std::fmt;

use super::quote::go_quote_byte;
use super::value::{Map, Value};

/// How deeply lists and objects may nest.
// Known gap: Go's decoder allows 10,000 levels; hookctl stops at 1,000, because its
// values are walked recursively (printing, comparing, dropping) and deeper values
// could overflow a thread's stack. Why: no webhook sender nests payloads that deep.
// Tracked: docs/limitations.md#payload-depth
pub const MAX_DEPTH: usize = 1_000;

/// A decoding failure, holding Go's error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

/// Reads the first JSON value of `input` into a Go `interface{}`.
pub fn decode_first(input: &[u8]) -> Result<Value, JsonError> {
    Parser { input, pos: 0 }.parse()
}

/// Reads the first JSON value of `input` into a Go `map[string]interface{}`.
///
/// `Ok(None)` is the JSON text `null`, which leaves the Go map nil without an error.
pub fn decode_object(input: &[u8]) -> Result<Option<Map>, JsonError> {
    let kind = match decode_first(input)? {
        Value::Object(map) => return Ok(Some(map)),
        Value::Null => return Ok(None),
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::NilObject => return Ok(None),
    };
    Err(JsonError(format!(
        "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    )))
}

/// Writes `value` as Go's `json.Marshal` does.
pub fn marshal(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// Writes an object as Go's `json.Marshal` writes a map; `None` is a nil map (`null`).
pub fn marshal_map(map: Option<&Map>) -> String {
    let mut out = String::new();
    match map {
        Some(map) => write_object(&mut out, map),
        None => out.push_str("null"),
    }
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null | Value::NilObject => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(text) => out.push_str(text),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map),
    }
}

fn write_object(out: &mut String, map: &Map) {
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 || c == '<' || c == '>' || c == '&' => {
                let b = c as u32 as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[b >> 4]));
                out.push(char::from(HEX[b & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// An open list or object while parsing.
enum Frame {
    Array(Vec<Value>),
    Object(Map, String),
}

/// What the parser expects next.
enum Step {
    Value,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,` in an object: a key.
    Key,
    /// After `[`: a value or `]`.
    ElementOrEnd,
    Done(Value),
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn parse(mut self) -> Result<Value, JsonError> {
        self.skip_space();
        if self.pos == self.input.len() {
            return Err(JsonError("EOF".into()));
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut step = Step::Value;
        loop {
            step = match step {
                Step::Value => self.begin_value(&mut stack)?,
                Step::KeyOrEnd => self.key_or_end(&mut stack)?,
                Step::Key => self.key(&mut stack)?,
                Step::ElementOrEnd => self.element_or_end(&mut stack)?,
                Step::Done(value) => match stack.pop() {
                    // Go's decoder stops after the first value, whatever follows it.
                    None => return Ok(value),
                    Some(frame) => self.after_value(&mut stack, frame, value)?,
                },
            };
        }
    }

    fn begin_value(&mut self, stack: &mut Vec<Frame>) -> Result<Step, JsonError> {
        self.skip_space();
        let c = self.peek()?;
        match c {
            b'{' | b'[' => {
                if stack.len() >= MAX_DEPTH {
                    return Err(JsonError(format!(
                        "hookctl reads JSON nested at most {MAX_DEPTH} levels deep \
                         (webhook allows 10000)"
                    )));
                }
                self.pos += 1;
                if c == b'{' {
                    stack.push(Frame::Object(Map::new(), String::new()));
                    Ok(Step::KeyOrEnd)
                } else {
                    stack.push(Frame::Array(Vec::new()));
                    Ok(Step::ElementOrEnd)
                }
            }
            b'"' => Ok(Step::Done(Value::String(self.string()?))),
            b'-' | b'0'..=b'9' => Ok(Step::Done(Value::Number(self.number()?))),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            _ => Err(self.invalid(c, "looking for beginning of value")),
        }
    }

    fn key_or_end(&mut self, stack: &mut Vec<Frame>) -> Result<Step, JsonError> {
        self.skip_space();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(Step::Done(pop_value(stack)));
        }
        self.key(stack)
    }

    fn key(&mut self, stack: &mut [Frame]) -> Result<Step, JsonError> {
        self.skip_space();
        let c = self.peek()?;
        if c != b'"' {
            return Err(self.invalid(c, "looking for beginning of object key string"));
        }
        let key = self.string()?;
        self.skip_space();
        let c = self.peek()?;
        if c != b':' {
            return Err(self.invalid(c, "after object key"));
        }
        self.pos += 1;
        if let Some(Frame::Object(_, pending)) = stack.last_mut() {
            *pending = key;
        }
        Ok(Step::Value)
    }

    fn element_or_end(&mut self, stack: &mut Vec<Frame>) -> Result<Step, JsonError> {
        self.skip_space();
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(Step::Done(pop_value(stack)));
        }
        Ok(Step::Value)
    }

    /// Stores a finished value in its parent and reads the separator after it.
    fn after_value(
        &mut self,
        stack: &mut Vec<Frame>,
        mut frame: Frame,
        value: Value,
    ) -> Result<Step, JsonError> {
        let (close, context) = match &mut frame {
            Frame::Array(items) => {
                items.push(value);
                (b']', "after array element")
            }
            Frame::Object(map, key) => {
                map.insert(std::mem::take(key), value);
                (b'}', "after object key:value pair")
            }
        };
        self.skip_space();
        let c = self.peek()?;
        self.pos += 1;
        if c == close {
            return Ok(Step::Done(frame_value(frame)));
        }
        if c != b',' {
            self.pos -= 1;
            return Err(self.invalid(c, context));
        }
        let next = if matches!(frame, Frame::Array(_)) {
            Step::Value
        } else {
            Step::Key
        };
        stack.push(frame);
        Ok(next)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Step, JsonError> {
        for expected in word.bytes() {
            let c = self.peek()?;
            if c != expected {
                let context = format!("in literal {word} (expecting {})", go_quote_byte(expected));
                return Err(self.invalid(c, &context));
            }
            self.pos += 1;
        }
        Ok(Step::Done(value))
    }

    fn number(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        if self.input[self.pos] == b'-' {
            self.pos += 1;
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(self.invalid(c, "in numeric literal"));
            }
        }
        if self.input[self.pos] == b'0' {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.input.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(self.invalid(c, "after decimal point in numeric literal"));
            }
            self.digits();
        }
        if matches!(self.input.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek()?, b'+' | b'-') {
                self.pos += 1;
            }
            let c = self.peek()?;
            if !c.is_ascii_digit() {
                return Err(self.invalid(c, "in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(String::from_utf8_lossy(&self.input[start..self.pos]).into_owned())
    }

    fn digits(&mut self) {
        while self.input.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    /// Reads a string starting at its opening quote and returns its decoded text.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let start = self.pos;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => break,
                b'\\' => self.escape()?,
                c if c < 0x20 => return Err(self.invalid(c, "in string literal")),
                _ => self.pos += 1,
            }
        }
        let raw = &self.input[start..self.pos];
        self.pos += 1;
        Ok(unquote(raw))
    }

    fn escape(&mut self) -> Result<(), JsonError> {
        self.pos += 1;
        let c = self.peek()?;
        self.pos += 1;
        match c {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(()),
            b'u' => {
                for _ in 0..4 {
                    let h = self.peek()?;
                    if !h.is_ascii_hexdigit() {
                        return Err(self.invalid(h, "in \\u hexadecimal character escape"));
                    }
                    self.pos += 1;
                }
                Ok(())
            }
            _ => {
                self.pos -= 1;
                Err(self.invalid(c, "in string escape code"))
            }
        }
    }

    fn skip_space(&mut self) {
        while self.input.get(self.pos).is_some_and(|&c| is_json_space(c)) {
            self.pos += 1;
        }
    }

    /// The byte at the current position; the end of input mid-value is Go's
    /// `unexpected EOF`.
    fn peek(&self) -> Result<u8, JsonError> {
        self.input
            .get(self.pos)
            .copied()
            .ok_or_else(|| JsonError("unexpected EOF".into()))
    }

    fn invalid(&self, c: u8, context: &str) -> JsonError {
        JsonError(format!("invalid character {} {context}", go_quote_byte(c)))
    }
}

fn pop_value(stack: &mut Vec<Frame>) -> Value {
    frame_value(stack.pop().expect("a bracket was opened"))
}

fn frame_value(frame: Frame) -> Value {
    match frame {
        Frame::Array(items) => Value::Array(items),
        Frame::Object(map, _) => Value::Object(map),
    }
}

fn is_json_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Decodes the inside of a checked string literal as Go does.
fn unquote(raw: &[u8]) -> String {
    // Most strings hold no escape and are valid UTF-8: take them whole.
    if !raw.contains(&b'\\') {
        if let Ok(text) = std::str::from_utf8(raw) {
            return text.to_owned();
        }
    }
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c == b'\\' {
            i = push_escape(&mut out, raw, i);
            continue;
        }
        let width = utf8_width(c).min(raw.len() - i);
        match std::str::from_utf8(&raw[i..i + width]) {
            Ok(s) if width > 0 => {
                out.push_str(s);
                i += width;
            }
            _ => {
                out.push('\u{fffd}');
                i += 1;
            }
        }
    }
    out
}

/// Decodes the escape at `raw[i]` (a backslash) and returns the index after it.
fn push_escape(out: &mut String, raw: &[u8], i: usize) -> usize {
    let simple = match raw[i + 1] {
        b'b' => Some('\x08'),
        b'f' => Some('\x0c'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'u' => None,
        other => Some(char::from(other)),
    };
    if let Some(c) = simple {
        out.push(c);
        return i + 2;
    }
    let first = hex4(&raw[i + 2..i + 6]);
    if (0xd800..0xe000).contains(&first) {
        let pair = raw.get(i + 6..i + 12).filter(|s| s.starts_with(b"\\u"));
        if let Some(second) = pair.and_then(|s| std::str::from_utf8(&s[2..]).ok()) {
            let low = u32::from_str_radix(second, 16).unwrap_or(0);
            if (0xd800..0xdc00).contains(&first) && (0xdc00..0xe000).contains(&low) {
                let c = 0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00);
                out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                return i + 12;
            }
        }
        out.push('\u{fffd}');
        return i + 6;
    }
    out.push(char::from_u32(first).unwrap_or('\u{fffd}'));
    i + 6
}

fn hex4(digits: &[u8]) -> u32 {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 16).ok())
        .unwrap_or(0)
}

fn utf8_width(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &str) -> String {
        decode_first(input.as_bytes()).unwrap_err().0
    }

    fn round(input: &str) -> String {
        marshal(&decode_first(input.as_bytes()).unwrap())
    }

    #[test]
    fn keeps_numbers_as_written() {
        let text = r#"{"z":null,"f":1.50,"big":12345678901234567890,"e":1e3,"n":-0.5E-7}"#;
        assert_eq!(
            round(text),
            r#"{"big":12345678901234567890,"e":1e3,"f":1.50,"n":-0.5E-7,"z":null}"#
        );
    }

    #[test]
    fn reads_only_the_first_value() {
        assert_eq!(round(r#"{"a":1} garbage"#), r#"{"a":1}"#);
        assert_eq!(round(r#"{"a":1}{"a":2}"#), r#"{"a":1}"#);
        assert_eq!(round("[1,2]x"), "[1,2]");
        assert_eq!(round("12 x"), "12");
    }

    #[test]
    fn junk_after_a_scalar_is_ignored_too() {
        assert_eq!(decode_first(b"12x").unwrap(), Value::Number("12".into()));
        assert_eq!(decode_first(br#""a"x"#).unwrap(), Value::String("a".into()));
        assert_eq!(decode_first(b"01").unwrap(), Value::Number("0".into()));
        assert_eq!(decode_first(b"truex").unwrap(), Value::Bool(true));
    }

    #[test]
    fn errors_use_go_texts() {
        assert_eq!(err(""), "EOF");
        assert_eq!(err(" \n\t"), "EOF");
        assert_eq!(err(r#"{"a":"#), "unexpected EOF");
        assert_eq!(err("1."), "unexpected EOF");
        assert_eq!(
            err("\u{feff}{}"),
            "invalid character 'ï' looking for beginning of value"
        );
        assert_eq!(
            err("{,}"),
            "invalid character ',' looking for beginning of object key string"
        );
        assert_eq!(
            err(r#"{"a":1,}"#),
            "invalid character '}' looking for beginning of object key string"
        );
        assert_eq!(err(r#"{"a" 1}"#), "invalid character '1' after object key");
        assert_eq!(
            err(r#"{"a":1 "b"}"#),
            "invalid character '\"' after object key:value pair"
        );
        assert_eq!(err("[1 2]"), "invalid character '2' after array element");
        assert_eq!(
            err("[1,]"),
            "invalid character ']' looking for beginning of value"
        );
        assert_eq!(err("tru"), "unexpected EOF");
        assert_eq!(
            err("trUe"),
            "invalid character 'U' in literal true (expecting 'u')"
        );
        assert_eq!(err("[-x]"), "invalid character 'x' in numeric literal");
        assert_eq!(
            err("[1.x]"),
            "invalid character 'x' after decimal point in numeric literal"
        );
        assert_eq!(
            err("[1e+]"),
            "invalid character ']' in exponent of numeric literal"
        );
        assert_eq!(err("\"a\nb\""), "invalid character '\\n' in string literal");
        assert_eq!(
            err(r#""\q""#),
            "invalid character 'q' in string escape code"
        );
        assert_eq!(
            err(r#""\u12x4""#),
            "invalid character 'x' in \\u hexadecimal character escape"
        );
        assert_eq!(
            err("\x0b[1]"),
            "invalid character '\\v' looking for beginning of value"
        );
    }

    #[test]
    fn decodes_into_a_map_like_go() {
        let e = decode_object(b"\"s\"").unwrap_err().0;
        assert_eq!(
            e,
            "json: cannot unmarshal string into Go value of type map[string]interface {}"
        );
        let e = decode_object(b"[1,2]").unwrap_err().0;
        assert_eq!(
            e,
            "json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        assert_eq!(decode_object(b"null").unwrap(), None);
        let map = decode_object(br#"{"a":1,"a":2}"#).unwrap().unwrap();
        assert_eq!(map["a"], Value::Number("2".into()));
    }

    #[test]
    fn strings_decode_escapes_and_bad_bytes() {
        let v = decode_first(b"\"a\\u00e9\\ud83d\\ude00\\ud800x\xff\xed\xa0\x80\"").unwrap();
        assert_eq!(
            v,
            Value::String("aé😀\u{fffd}x\u{fffd}\u{fffd}\u{fffd}\u{fffd}".into())
        );
        let v = decode_first(br#""\"\\\/\b\f\n\r\t""#).unwrap();
        assert_eq!(v, Value::String("\"\\/\x08\x0c\n\r\t".into()));
    }

    #[test]
    fn marshals_strings_like_go() {
        let v = Value::String("<x>&\u{2028}\u{2029}\x08\x0c\x01\x7fé\"\\\n".into());
        let expected = r#""\u003cx\u003e\u0026\u2028\u2029\u0008\u000c\u0001"#.to_string()
            + "\x7fé\\\"\\\\\\n\"";
        assert_eq!(marshal(&v), expected);
    }

    #[test]
    fn marshals_sorted_keys() {
        assert_eq!(
            round(r#"{"b":1,"a":"<x>&","B":[true,null,{}]}"#),
            r#"{"B":[true,null,{}],"a":"\u003cx\u003e\u0026","b":1}"#
        );
        assert_eq!(marshal_map(None), "null");
    }

    #[test]
    fn known_gap_payload_depth() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        let err = decode_first(deep.as_bytes()).unwrap_err().0;
        assert!(err.starts_with("hookctl reads JSON nested at most 1000 levels"));
        let ok = "[{\"a\":".repeat(MAX_DEPTH / 2) + "1" + &"}]".repeat(MAX_DEPTH / 2);
        assert_eq!(
            marshal(&decode_first(ok.as_bytes()).unwrap()).len(),
            ok.len()
        );
    }
}
