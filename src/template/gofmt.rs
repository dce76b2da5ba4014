//! Go's formatting of template values where gotmpl's differs from Go 1.19.
//!
//! Measured against webhook 2.8.0 (Go 1.19): gotmpl prints floats with Rust's notation
//! (`1000000` where Go writes `1e+06`), lets `%q` through non-printable characters that
//! Go escapes, leaves non-printable characters alone in `js`, and refuses several
//! arguments to `html`, `js` and `urlquery` where Go joins them like `print`. These
//! functions reproduce Go's `fmt`, `strconv.Quote` and `text/template` escapers for the
//! values a hook template can produce.

use std::fmt::Write;
use std::sync::LazyLock;

use gotmpl::Value;

/// `fmt.Sprint(v)` of one value (`%v`).
pub(crate) fn value(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Float(f) => float(*f),
        Value::String(s) => s.to_string(),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(value).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Map(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", value(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        other => other.to_string(),
    }
}

/// `fmt.Sprint(args...)`: a space between two operands when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&value(arg));
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln(args...)`: spaces between all operands and a final newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let parts: Vec<String> = args.iter().map(value).collect();
    parts.join(" ") + "\n"
}

/// How text/template's escapers read their arguments (`evalArgs`): one string as it is,
/// anything else through `fmt.Sprint`, with a missing value written `<no value>`.
pub(crate) fn escaper_argument(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let args: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Nil => Value::String("<no value>".into()),
            other => other.clone(),
        })
        .collect();
    sprint(&args)
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest digits
/// that read back the same value, in exponent form when the decimal exponent is below -4
/// or at least 6 (`1e+06`, `1.5e-05`), plain otherwise (`100000.5`).
pub(crate) fn float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    // Rust's `{:e}` gives the same shortest digits as Go, as `d.ddde<exp>`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.unsigned_abs());
    }
    // Rust's `{}` prints the same shortest digits without an exponent.
    format!("{f}")
}

/// Whether Go's `unicode.IsPrint` holds: letters, marks, numbers, punctuation, symbols
/// and the ASCII space.
//
// Known gap: the Unicode tables are those of the `regex` crate, newer than Go 1.19's
// Unicode 13, so characters assigned since then count as printable here. Why: no table of
// Unicode 13 is at hand, and such characters are rare in hook files.
// Tracked: docs/templates.md#unicode-tables
pub(crate) fn is_print(c: char) -> bool {
    static GRAPHIC: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[\p{L}\p{M}\p{N}\p{P}\p{S}]$").expect("a valid character class")
    });
    if c.is_ascii() {
        return c == ' ' || c.is_ascii_graphic();
    }
    let mut buf = [0u8; 4];
    GRAPHIC.is_match(c.encode_utf8(&mut buf))
}

/// text/template's `js`.
pub(crate) fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if c.is_ascii() || is_print(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out
}

/// text/template's `html`.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// text/template's `urlquery` (Go's `url.QueryEscape`).
pub(crate) fn urlquery(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `strconv.Quote` (or `QuoteToASCII` with `ascii`), with `quote` as the delimiter.
pub(crate) fn quote(s: &str, quote: char, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        escaped_char(&mut out, c, quote, ascii);
    }
    out.push(quote);
    out
}

fn escaped_char(out: &mut String, c: char, quote: char, ascii: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    let printable = if ascii {
        c.is_ascii() && is_print(c)
    } else {
        is_print(c)
    };
    if printable {
        out.push(c);
        return;
    }
    let code = c as u32;
    let _ = match c {
        '\u{7}' => write!(out, "\\a"),
        '\u{8}' => write!(out, "\\b"),
        '\u{c}' => write!(out, "\\f"),
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        '\u{b}' => write!(out, "\\v"),
        _ if code < 0x20 || code == 0x7f => write!(out, "\\x{code:02x}"),
        _ if code < 0x10000 => write!(out, "\\u{code:04x}"),
        _ => write!(out, "\\U{code:08x}"),
    };
}

/// `strconv.CanBackquote`: the string can be written as a Go raw string.
fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c >= ' ' || c == '\t') && c != '\u{7f}')
}

/// Flags, width and precision of one `%` directive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spec {
    pub plus: bool,
    pub minus: bool,
    pub sharp: bool,
    pub space: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub precision: Option<usize>,
}

impl Spec {
    /// Pads `s` to the width, counting characters, as Go's `fmt.pad` does.
    fn pad(&self, s: String) -> String {
        let len = s.chars().count();
        let Some(width) = self.width.filter(|w| *w > len) else {
            return s;
        };
        let fill = width - len;
        if self.minus {
            return s + &" ".repeat(fill);
        }
        let pad = if self.zero { "0" } else { " " };
        pad.repeat(fill) + &s
    }
}

/// `%q` of a string.
pub(crate) fn q_string(s: &str, spec: &Spec) -> String {
    let s: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    if spec.sharp && can_backquote(&s) {
        return spec.pad(format!("`{s}`"));
    }
    spec.pad(quote(&s, '"', spec.plus))
}

/// `%q` of an integer: a quoted character.
pub(crate) fn q_rune(code: i128, spec: &Spec) -> String {
    let c = u32::try_from(code)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}');
    let mut out = String::from('\'');
    escaped_char(&mut out, c, '\'', spec.plus);
    out.push('\'');
    spec.pad(out)
}

/// `%x` / `%X` of a string, with Go's handling of the space and `#` flags and of
/// precision (a number of bytes).
pub(crate) fn x_string(s: &str, spec: &Spec, upper: bool) -> String {
    let bytes = s.as_bytes();
    let bytes = &bytes[..spec.precision.map_or(bytes.len(), |p| p.min(bytes.len()))];
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if spec.space && i > 0 {
            out.push(' ');
        }
        if spec.sharp && (spec.space || i == 0) {
            out.push_str(if upper { "0X" } else { "0x" });
        }
        let _ = if upper {
            write!(out, "{b:02X}")
        } else {
            write!(out, "{b:02x}")
        };
    }
    spec.pad(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        let cases = [
            (1e21, "1e+21"),
            (1e6, "1e+06"),
            (123456789.5, "1.234567895e+08"),
            (100000.5, "100000.5"),
            (0.00001, "1e-05"),
            (0.0001, "0.0001"),
            (1.5, "1.5"),
            (2.0, "2"),
            (-1e-100, "-1e-100"),
            (1.5e300, "1.5e+300"),
        ];
        for (f, want) in cases {
            assert_eq!(float(f), want, "{f}");
        }
    }

    #[test]
    fn print_spaces_only_between_non_strings() {
        let args = [
            Value::Float(1.5),
            Value::Float(2.5),
            Value::String("a".into()),
            Value::Float(1e6),
            Value::Nil,
            Value::Bool(true),
        ];
        assert_eq!(sprint(&args), "1.5 2.5a1e+06 <nil> true");
        assert_eq!(sprintln(&args[..3]), "1.5 2.5 a\n");
        assert_eq!(
            escaper_argument(&[Value::Int(1), Value::Nil]),
            "1<no value>"
        );
    }

    #[test]
    fn escapers_match_go() {
        let s = "a'b\"c\\d<e>&=f`g\u{1}\u{a0}\u{2028}\u{300}😀\u{E0001}";
        assert_eq!(
            js(s),
            "a\\'b\\\"c\\\\d\\u003Ce\\u003E\\u0026\\u003Df`g\\u0001\\u00A0\\u2028\u{300}😀\\uE0001"
        );
        assert_eq!(html("a'b\"<&>\0"), "a&#39;b&#34;&lt;&amp;&gt;\u{FFFD}");
        assert_eq!(urlquery("a b&c=d/é~"), "a+b%26c%3Dd%2F%C3%A9~");
    }

    #[test]
    fn quoting_matches_strconv() {
        let s = "a\u{2028}b\u{a0}c\u{feff}d\u{7f}e\u{1}f\u{300}g😀h\u{E0001}j\u{10FFFF}k";
        assert_eq!(
            quote(s, '"', false),
            "\"a\\u2028b\\u00a0c\\ufeffd\\x7fe\\x01f\u{300}g😀h\\U000e0001j\\U0010ffffk\""
        );
        assert_eq!(
            quote(s, '"', true),
            "\"a\\u2028b\\u00a0c\\ufeffd\\x7fe\\x01f\\u0300g\\U0001f600h\\U000e0001j\\U0010ffffk\""
        );
        let spec = Spec {
            width: Some(10),
            precision: Some(2),
            ..Spec::default()
        };
        assert_eq!(q_string("abc", &spec), "      \"ab\"");
        assert_eq!(q_rune(0x1F600, &Spec::default()), "'😀'");
        assert_eq!(q_rune(-1, &Spec::default()), "'\u{FFFD}'");
        let hex = Spec {
            space: true,
            ..Spec::default()
        };
        assert_eq!(x_string("hi", &hex, true), "68 69");
    }
}
