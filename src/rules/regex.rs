//! Regular expressions with Go's `regexp` syntax and meaning, compiled with the Rust
//! `regex` crate (both are RE2: linear time, leftmost-first).
//!
//! The pattern is translated token by token, because the two dialects differ in ways
//! that change results: Go's `\d`, `\w`, `\s` and `\b` are ASCII-only; `\Q…\E`,
//! octal escapes and a `{` that does not start a repeat are Go syntax; inside `[...]`
//! Go reads `[`, `&&`, `--` and `~~` as plain characters; and Go rejects what Rust
//! accepts (`a**`, `x{1001}`, `(?<name>`, `(?x)`, `\u0041`, `\p{greek}`). A pattern
//! Go rejects fails here with Go's error text, e.g.
//! ``error parsing regexp: missing argument to repetition operator: `*` ``.
//!
//! Known gap: a repetition right after a flag group (`a(?i)*`) is accepted by Go and
//! rejected here, and Unicode classes use the `regex` crate's (newer) tables. Why: both
//! are far from anything a hook would use. Tracked: docs/limitations.md#regex-dialect

use regex::Regex;

/// Go's Unicode general categories for `\p{..}`.
const CATEGORIES: [&str; 36] = [
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
    "Z", "Zl", "Zp", "Zs",
];

/// Go 1.19's Unicode script names (Unicode 13), case-sensitive.
#[rustfmt::skip]
const SCRIPTS: [&str; 156] = [
    "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese",
    "Bamum", "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille",
    "Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham",
    "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform", "Cypriot", "Cyrillic", "Deseret",
    "Devanagari", "Dives_Akuru", "Dogra", "Duployan", "Egyptian_Hieroglyphs", "Elbasan",
    "Elymaic", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek", "Gujarati",
    "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran",
    "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi",
    "Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada", "Katakana", "Kayah_Li",
    "Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha",
    "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani", "Makasar",
    "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin",
    "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi",
    "Mongolian", "Mro", "Multani", "Myanmar", "Nabataean", "Nandinagari", "New_Tai_Lue", "Newa",
    "Nko", "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic",
    "Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian",
    "Old_Turkic", "Oriya", "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau",
    "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic", "Samaritan", "Saurashtra",
    "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng",
    "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham",
    "Tai_Viet", "Takri", "Tamil", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh",
    "Tirhuta", "Ugaritic", "Vai", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
];

const POSIX_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Compiles `pattern` as Go's `regexp.Compile` would read it. The error is Go's text.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    let translated = translate(pattern).map_err(|e| format!("error parsing regexp: {e}"))?;
    Regex::new(&translated).map_err(|e| rust_error(pattern, &e))
}

/// [`compile`], remembering recent patterns. webhook compiles the pattern at every
/// request; the result depends only on the pattern, so reusing it changes nothing but
/// the time a request takes.
pub fn compile_cached(pattern: &str) -> Result<Regex, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    /// Enough for every pattern of a large hook file; past it the cache starts over.
    const CAPACITY: usize = 1024;
    static CACHE: OnceLock<Mutex<HashMap<String, Result<Regex, String>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let lock = || {
        cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(found) = lock().get(pattern) {
        return found.clone();
    }
    let compiled = compile(pattern);
    let mut map = lock();
    if map.len() >= CAPACITY {
        map.clear();
    }
    map.insert(pattern.to_string(), compiled.clone());
    compiled
}

/// The Rust pattern with the same meaning as the Go `pattern`, or Go's error without
/// its `error parsing regexp: ` prefix.
pub fn translate(pattern: &str) -> Result<String, String> {
    let mut t = Translator {
        src: pattern,
        pos: 0,
        out: String::new(),
        depth: 0,
    };
    t.run()?;
    Ok(t.out)
}

fn go_error(code: &str, expr: &str) -> String {
    format!("{code}: `{expr}`")
}

/// What the previous token allows a following repetition operator to do.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    /// Start of the pattern or of a group, or after `|`: nothing to repeat.
    Nothing,
    Atom,
    /// A repetition operator starting at this byte offset.
    Repeat(usize),
}

struct Translator<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    depth: usize,
}

impl Translator<'_> {
    fn run(&mut self) -> Result<(), String> {
        let mut last = Last::Nothing;
        while let Some(c) = self.peek() {
            let start = self.pos;
            last = match c {
                '(' => self.open_group(last)?,
                ')' => self.close_group()?,
                '|' => {
                    self.bump();
                    self.out.push('|');
                    Last::Nothing
                }
                '*' | '+' | '?' => self.repetition(start, last)?,
                '{' => match self.repeat_count()? {
                    Some(text) => self.repeat_braces(start, &text, last)?,
                    None => {
                        self.bump();
                        self.out.push_str(r"\{");
                        Last::Atom
                    }
                },
                '[' => {
                    self.class()?;
                    Last::Atom
                }
                '\\' => self.escape()?,
                '^' | '$' | '.' => {
                    self.bump();
                    self.out.push_str(&format!("(?:{c})"));
                    Last::Atom
                }
                _ => {
                    self.bump();
                    push_literal(&mut self.out, c);
                    Last::Atom
                }
            };
        }
        if self.depth > 0 {
            return Err(go_error("missing closing )", self.src));
        }
        Ok(())
    }

    fn open_group(&mut self, last: Last) -> Result<Last, String> {
        let rest = &self.src[self.pos..];
        if !rest.starts_with("(?") {
            self.bump();
            self.depth += 1;
            self.out.push('(');
            return Ok(Last::Nothing);
        }
        if rest.len() > 4 && rest[2..].starts_with("P<") {
            let Some(end) = rest.find('>') else {
                return Err(go_error("invalid named capture", rest));
            };
            let name = &rest[4..end];
            if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
                return Err(go_error("invalid named capture", &rest[..=end]));
            }
            // Names are dropped: Go allows a name twice, Rust does not, and nothing
            // here reads the groups.
            self.pos += end + 1;
            self.depth += 1;
            self.out.push('(');
            return Ok(Last::Nothing);
        }
        self.flags(last)
    }

    /// `(?flags)` or `(?flags:` with Go's flags `imsU` and one `-`.
    fn flags(&mut self, last: Last) -> Result<Last, String> {
        let start = self.pos;
        self.pos += 2;
        let mut negated = false;
        let mut saw_flag = false;
        let mut text = String::new();
        while let Some(c) = self.bump() {
            match c {
                'i' | 'm' | 's' | 'U' => {
                    saw_flag = true;
                    text.push(c);
                }
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                    text.push(c);
                }
                ':' | ')' if !negated || saw_flag => {
                    if c == ':' {
                        self.depth += 1;
                        self.out.push_str(&format!("(?{text}:"));
                        return Ok(Last::Nothing);
                    }
                    if !text.is_empty() {
                        self.out.push_str(&format!("(?{text})"));
                    }
                    return Ok(last);
                }
                _ => break,
            }
        }
        Err(go_error(
            "invalid or unsupported Perl syntax",
            &self.src[start..self.pos],
        ))
    }

    fn close_group(&mut self) -> Result<Last, String> {
        if self.depth == 0 {
            return Err(go_error("unexpected )", self.src));
        }
        self.bump();
        self.depth -= 1;
        self.out.push(')');
        Ok(Last::Atom)
    }

    fn repetition(&mut self, start: usize, last: Last) -> Result<Last, String> {
        let op = self.bump().expect("peeked");
        let mut text = op.to_string();
        if self.peek() == Some('?') {
            self.bump();
            text.push('?');
        }
        self.check_repeat(start, last)?;
        self.out.push_str(&text);
        Ok(Last::Repeat(start))
    }

    fn repeat_braces(&mut self, start: usize, text: &str, last: Last) -> Result<Last, String> {
        let (min, max) = parse_counts(text);
        let max = max.flatten();
        let too_big = min.is_none_or(|n| n > 1000) || max.is_some_and(|m| m > 1000);
        if too_big || max.is_some_and(|m| Some(m) < min) {
            return Err(go_error("invalid repeat count", text));
        }
        self.pos += text.len();
        let mut op = text.to_string();
        if self.peek() == Some('?') {
            self.bump();
            op.push('?');
        }
        self.check_repeat(start, last)?;
        self.out.push_str(&op);
        Ok(Last::Repeat(start))
    }

    fn check_repeat(&self, start: usize, last: Last) -> Result<(), String> {
        match last {
            Last::Repeat(previous) => Err(go_error(
                "invalid nested repetition operator",
                &self.src[previous..self.pos],
            )),
            Last::Nothing => Err(go_error(
                "missing argument to repetition operator",
                &self.src[start..self.pos],
            )),
            Last::Atom => Ok(()),
        }
    }

    /// The text of a Go repeat `{n}`, `{n,}` or `{n,m}` at the current position, or
    /// `None` when the `{` is a literal.
    fn repeat_count(&self) -> Result<Option<String>, String> {
        let rest = &self.src[self.pos..];
        let Some(end) = rest.find('}') else {
            return Ok(None);
        };
        let inner = &rest[1..end];
        let (min, max) = match inner.split_once(',') {
            Some((min, max)) => (min, Some(max)),
            None => (inner, None),
        };
        // Go reads a count with a leading zero as no count at all, so `{` is literal.
        let digits = |s: &str| {
            !s.is_empty()
                && s.bytes().all(|c| c.is_ascii_digit())
                && !(s.len() > 1 && s.starts_with('0'))
        };
        if !digits(min) || max.is_some_and(|m| !m.is_empty() && !digits(m)) {
            return Ok(None);
        }
        Ok(Some(rest[..=end].to_string()))
    }

    fn escape(&mut self) -> Result<Last, String> {
        let start = self.pos;
        let rest = &self.src[start..];
        let Some(c) = rest[1..].chars().next() else {
            return Err(go_error("trailing backslash at end of expression", ""));
        };
        let assertion = match c {
            'A' => Some(r"\A"),
            'z' => Some(r"\z"),
            'b' => Some(r"(?-u:\b)"),
            'B' => Some(r"(?-u:\B)"),
            _ => None,
        };
        if let Some(text) = assertion {
            self.pos += 2;
            self.out.push_str(&format!("(?:{text})"));
            return Ok(Last::Atom);
        }
        match c {
            'C' => Err(go_error("invalid escape sequence", r"\C")),
            'Q' => {
                let body = &rest[2..];
                let (literal, len) = match body.find(r"\E") {
                    Some(end) => (&body[..end], end + 4),
                    None => (body, body.len() + 2),
                };
                self.pos += len;
                literal.chars().for_each(|c| push_literal(&mut self.out, c));
                Ok(Last::Atom)
            }
            'p' | 'P' => {
                let class = self.unicode_class()?;
                self.out.push_str(&class);
                Ok(Last::Atom)
            }
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
                self.pos += 2;
                let negated = c.is_ascii_uppercase();
                let set = perl_class(c);
                self.out
                    .push_str(&format!("[{}{set}]", if negated { "^" } else { "" }));
                Ok(Last::Atom)
            }
            _ => {
                let c = self.escaped_char()?;
                push_literal(&mut self.out, c);
                Ok(Last::Atom)
            }
        }
    }

    /// Go's `parseEscape`: a single escaped character.
    fn escaped_char(&mut self) -> Result<char, String> {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.bump() else {
            return Err(go_error("trailing backslash at end of expression", ""));
        };
        let invalid = |t: &Self| Err(go_error("invalid escape sequence", &t.src[start..t.pos]));
        match c {
            'a' => Ok('\x07'),
            'f' => Ok('\x0c'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            'v' => Ok('\x0b'),
            '0'..='7' => {
                let next_is_octal = self.peek().is_some_and(|n| ('0'..='7').contains(&n));
                if c != '0' && !next_is_octal {
                    return invalid(self);
                }
                let mut value = c as u32 - '0' as u32;
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ '0'..='7') => {
                            self.bump();
                            value = value * 8 + (d as u32 - '0' as u32);
                        }
                        _ => break,
                    }
                }
                Ok(char::from_u32(value).expect("octal escapes stay below 0o777"))
            }
            'x' => self.hex_escape(start),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(c),
            _ => invalid(self),
        }
    }

    fn hex_escape(&mut self, start: usize) -> Result<char, String> {
        let invalid = |t: &Self| Err(go_error("invalid escape sequence", &t.src[start..t.pos]));
        if self.peek() == Some('{') {
            self.bump();
            let mut value: u32 = 0;
            let mut digits = 0;
            loop {
                let Some(c) = self.bump() else {
                    return invalid(self);
                };
                if c == '}' {
                    break;
                }
                let Some(d) = c.to_digit(16) else {
                    return invalid(self);
                };
                value = value * 16 + d;
                digits += 1;
                if value > 0x10ffff {
                    return invalid(self);
                }
            }
            if digits == 0 {
                return invalid(self);
            }
            return char::from_u32(value).map_or_else(|| invalid(self), Ok);
        }
        let hi = self.bump().and_then(|c| c.to_digit(16));
        let lo = self.bump().and_then(|c| c.to_digit(16));
        match (hi, lo) {
            (Some(hi), Some(lo)) => Ok(char::from_u32(hi * 16 + lo).expect("a byte value")),
            _ => invalid(self),
        }
    }

    /// `\pL`, `\p{Greek}`, `\P{^Lu}` with Go's names; returns the Rust class text.
    fn unicode_class(&mut self) -> Result<String, String> {
        let start = self.pos;
        let rest = &self.src[start..];
        let mut negated = rest.as_bytes()[1] == b'P';
        let (seq, name) = if rest[2..].starts_with('{') {
            let Some(end) = rest.find('}') else {
                return Err(go_error("invalid character class range", rest));
            };
            (&rest[..=end], &rest[3..end])
        } else {
            let len = 2 + rest[2..].chars().next().map_or(0, char::len_utf8);
            (&rest[..len], &rest[2..len])
        };
        self.pos += seq.len();
        let name = match name.strip_prefix('^') {
            Some(stripped) => {
                negated = !negated;
                stripped
            }
            None => name,
        };
        let p = if negated { 'P' } else { 'p' };
        if name == "Any" {
            return Ok(if negated {
                r"[^\x{0}-\x{10FFFF}]".into()
            } else {
                r"[\x{0}-\x{10FFFF}]".into()
            });
        }
        if CATEGORIES.contains(&name) {
            return Ok(format!(r"\{p}{{{name}}}"));
        }
        if SCRIPTS.contains(&name) {
            return Ok(format!(r"\{p}{{sc={name}}}"));
        }
        Err(go_error("invalid character class range", seq))
    }

    /// A bracketed class, rebuilt item by item with every character escaped.
    fn class(&mut self) -> Result<(), String> {
        let start = self.pos;
        let missing = |t: &Self| go_error("missing closing ]", &t.src[start..]);
        self.bump();
        let mut out = String::from("[");
        if self.peek() == Some('^') {
            self.bump();
            out.push('^');
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(missing(self));
            };
            if c == ']' && !first {
                self.bump();
                break;
            }
            first = false;
            if let Some(item) = self.class_set_item()? {
                out.push_str(&item);
                continue;
            }
            let item_start = self.pos;
            let lo = self
                .class_char()
                .map_err(|e| if e.is_empty() { missing(self) } else { e })?;
            let rest = &self.src[self.pos..];
            if rest.starts_with('-') && rest.len() > 1 && !rest[1..].starts_with(']') {
                self.bump();
                let hi = self
                    .class_char()
                    .map_err(|e| if e.is_empty() { missing(self) } else { e })?;
                if hi < lo {
                    let text = &self.src[item_start..self.pos];
                    return Err(go_error("invalid character class range", text));
                }
                out.push_str(&format!(r"\x{{{:X}}}-\x{{{:X}}}", lo as u32, hi as u32));
            } else {
                out.push_str(&format!(r"\x{{{:X}}}", lo as u32));
            }
        }
        out.push(']');
        self.out.push_str(&out);
        Ok(())
    }

    /// A POSIX, Perl or Unicode class inside brackets, as Rust class text.
    fn class_set_item(&mut self) -> Result<Option<String>, String> {
        let rest = &self.src[self.pos..];
        if let Some(inner) = rest.strip_prefix("[:") {
            if let Some(end) = inner.find(":]") {
                let whole = &rest[..end + 4];
                let name = &rest[2..end + 2];
                let bare = name.strip_prefix('^').unwrap_or(name);
                if !POSIX_CLASSES.contains(&bare) {
                    return Err(go_error("invalid character class range", whole));
                }
                self.pos += whole.len();
                return Ok(Some(whole.to_string()));
            }
        }
        if !rest.starts_with('\\') {
            return Ok(None);
        }
        match rest[1..].chars().next() {
            Some(c @ ('d' | 'w' | 's')) => {
                self.pos += 2;
                Ok(Some(perl_class(c).to_string()))
            }
            Some(c @ ('D' | 'W' | 'S')) => {
                self.pos += 2;
                Ok(Some(format!("[^{}]", perl_class(c))))
            }
            Some('p' | 'P') => self.unicode_class().map(Some),
            _ => Ok(None),
        }
    }

    /// One character of a class: literal or escaped. An empty error means the pattern
    /// ended.
    fn class_char(&mut self) -> Result<char, String> {
        match self.peek() {
            None => Err(String::new()),
            Some('\\') => self.escaped_char(),
            Some(_) => Ok(self.bump().expect("peeked")),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
}

/// Go's ASCII-only Perl classes, as class contents.
fn perl_class(c: char) -> &'static str {
    match c.to_ascii_lowercase() {
        'd' => "0-9",
        'w' => "0-9A-Za-z_",
        _ => r"\t\n\x0C\r ",
    }
}

fn parse_counts(text: &str) -> (Option<u32>, Option<Option<u32>>) {
    let inner = &text[1..text.len() - 1];
    match inner.split_once(',') {
        Some((min, "")) => (min.parse().ok(), Some(None)),
        Some((min, max)) => (min.parse().ok(), Some(max.parse().ok().or(Some(u32::MAX)))),
        None => (inner.parse().ok(), None),
    }
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || !c.is_ascii() || c == ' ' {
        out.push(c);
    } else {
        out.push_str(&format!(r"\x{{{:X}}}", c as u32));
    }
}

/// A failure the translation did not foresee (such as a pattern too large), in Go's
/// error shape.
fn rust_error(pattern: &str, error: &regex::Error) -> String {
    match error {
        regex::Error::CompiledTooBig(_) => {
            format!("error parsing regexp: expression too large: `{pattern}`")
        }
        _ => format!("error parsing regexp: invalid regular expression: `{pattern}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(pattern: &str, text: &str) -> bool {
        compile(pattern).unwrap().is_match(text)
    }

    fn err(pattern: &str) -> String {
        compile(pattern).unwrap_err()
    }

    #[test]
    fn matches_anywhere_like_go() {
        assert!(is_match("b+", "abbbc"));
        assert!(!is_match("^ref$", "xref"));
        assert!(is_match("(?i)REF", "ref"));
        assert!(is_match("^refs/heads/(main|master)$", "refs/heads/main"));
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert!(!is_match(r"\d", "٣"));
        assert!(!is_match(r"\w", "é"));
        assert!(!is_match(r"\s", "\u{a0}"));
        assert!(!is_match(r"\s", "\x0b"));
        assert!(is_match(r"[\d]", "7"));
        assert!(is_match(r"[^\D]", "7"));
        assert!(!is_match(r"\bé", "é"));
        assert!(is_match(r"é\ba", "éa"));
        assert!(is_match(r"(?i)\w", "\u{212a}"));
    }

    #[test]
    fn go_only_syntax_is_translated() {
        assert!(is_match(r"\Qa.b\E", "a.b"));
        assert!(!is_match(r"\Qa.b\E", "axb"));
        assert!(is_match(r"\141", "a"));
        assert!(is_match(r"\0", "\0"));
        assert!(is_match("a{,3}", "a{,3}"));
        assert!(is_match("x{", "x{"));
        assert!(is_match("a{01}", "a{01}"));
        assert!(is_match("^a{2,}$", "aaa"));
        assert!(is_match("[a[b]", "["));
        assert!(is_match("[a&&b]", "&"));
        assert!(is_match("[]a]", "]"));
        assert!(is_match("[--/]", "."));
        assert!(is_match(r"\<", "<"));
        assert!(is_match("(?P<n>a)(?P<n>b)", "ab"));
        assert!(is_match("^*a", "a"));
        assert!(is_match(r"\p{Greek}+", "αβ"));
        assert!(is_match(r"\p{^Greek}", "a"));
        assert!(is_match(r"[\p{Lu}]", "A"));
        assert!(is_match("[[:alpha:]]", "a"));
    }

    #[test]
    fn go_rejections_have_go_texts() {
        assert_eq!(
            err("*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            err("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            err("a*+"),
            "error parsing regexp: invalid nested repetition operator: `*+`"
        );
        assert_eq!(
            err("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            err("a{2,1}"),
            "error parsing regexp: invalid repeat count: `{2,1}`"
        );
        assert_eq!(
            err("(?<n>a)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"
        );
        assert_eq!(
            err("(?x)a"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"
        );
        assert_eq!(
            err("(?P<>a)"),
            "error parsing regexp: invalid named capture: `(?P<>`"
        );
        assert_eq!(
            err(r"\u0041"),
            r"error parsing regexp: invalid escape sequence: `\u`"
        );
        assert_eq!(
            err(r"\1"),
            r"error parsing regexp: invalid escape sequence: `\1`"
        );
        assert_eq!(
            err("a\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(err("[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            err("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(err("(a"), "error parsing regexp: missing closing ): `(a`");
        assert_eq!(err("a)"), "error parsing regexp: unexpected ): `a)`");
        assert_eq!(
            err(r"\p{greek}"),
            r"error parsing regexp: invalid character class range: `\p{greek}`"
        );
        assert_eq!(
            err("[[:foo:]]"),
            "error parsing regexp: invalid character class range: `[:foo:]`"
        );
        assert_eq!(
            err("(|*)"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
    }

    #[test]
    fn unicode_classes_take_go_names_only() {
        let latn = err(r"\p{Latn}");
        assert_eq!(
            latn,
            r"error parsing regexp: invalid character class range: `\p{Latn}`"
        );
        assert!(is_match(r"\p{Old_Italic}", "\u{10300}"));
        assert!(is_match(r"\P{Han}", "a"));
        assert!(compile(r"\p{Cn}").is_err());
    }

    #[test]
    fn flags_and_groups() {
        assert!(is_match("(?i:A)b", "ab"));
        assert!(!is_match("(?i:A)b", "aB"));
        assert!(is_match("(?s).", "\n"));
        assert!(!is_match(".", "\n"));
        assert!(is_match("(?m)^b$", "a\nb\nc"));
        assert!(is_match("(?U)a+", "aaa"));
        assert!(is_match("a(?)b", "ab"));
        assert_eq!(
            err("(?i-)a"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"
        );
    }
}
