//! `printf` as Go 1.19 formats it.
//!
//! gotmpl's `printf` matches Go for most directives, so this wrapper hands it the whole
//! call unless a directive falls into one of the cases measured to differ: `%v` of a
//! float (Go writes `1e+06`), `%q` of a string or a character (Go escapes characters that
//! are not printable and honours precision), and `%x` of a string with the space or `#`
//! flag or a precision. Then the format is split into directives, the differing ones are
//! formatted here and the others are still formatted by gotmpl, one at a time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gotmpl::{Template, Value};

use super::gofmt::{self, Spec};

/// One piece of a format string.
#[derive(Debug, Clone, PartialEq)]
enum Piece<'a> {
    Literal(&'a str),
    /// `%...v`: the whole directive text, its flags, and the verb (`None` when the format
    /// ends after `%`; `Some('%')` for `%%`).
    Directive {
        text: &'a str,
        spec: Spec,
        verb: Option<char>,
    },
}

/// Go's `printf`, delegating to gotmpl's built-in where that is exact.
#[derive(Default)]
pub(crate) struct Printf {
    /// `{{ printf (index . 0) (index . 1) ... }}` for each number of arguments.
    calls: Mutex<HashMap<usize, Arc<Template>>>,
}

impl Printf {
    pub(crate) fn call(&self, args: &[Value]) -> gotmpl::Result<Value> {
        let Some(Value::String(format)) = args.first() else {
            return self.builtin(args);
        };
        let rest = &args[1..];
        let Some(pieces) = parse(format) else {
            return self.builtin(args);
        };
        if !pieces_need_help(&pieces, rest) {
            return self.builtin(args);
        }
        self.piecewise(&pieces, rest)
    }

    fn piecewise(&self, pieces: &[Piece<'_>], args: &[Value]) -> gotmpl::Result<Value> {
        let mut out = String::new();
        let mut next = 0;
        for piece in pieces {
            let (text, spec, verb) = match piece {
                Piece::Literal(s) => {
                    out.push_str(s);
                    continue;
                }
                Piece::Directive { text, spec, verb } => (*text, spec, *verb),
            };
            let takes_arg = !matches!(verb, None | Some('%'));
            let arg = if takes_arg { args.get(next) } else { None };
            if arg.is_some() {
                next += 1;
            }
            let formatted = match (verb, arg) {
                (Some(verb), Some(arg)) => match own(verb, spec, arg) {
                    Some(s) => s,
                    None => self.one(&rewrite(text, verb, arg), Some(arg))?,
                },
                _ => self.one(text, None)?,
            };
            out.push_str(&formatted);
        }
        if next < args.len() {
            let mut extra = vec![Value::String("".into())];
            extra.extend_from_slice(&args[next..]);
            out.push_str(&as_text(self.builtin(&extra)?));
        }
        Ok(Value::String(out.into()))
    }

    /// gotmpl's `printf` of one directive.
    fn one(&self, directive: &str, arg: Option<&Value>) -> gotmpl::Result<String> {
        let mut args = vec![Value::String(directive.into())];
        args.extend(arg.cloned());
        self.builtin(&args).map(as_text)
    }

    /// gotmpl's own `printf`, reached through a template that calls it.
    fn builtin(&self, args: &[Value]) -> gotmpl::Result<Value> {
        let template = {
            let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
            match calls.get(&args.len()) {
                Some(t) => Arc::clone(t),
                None => {
                    let operands: Vec<String> =
                        (0..args.len()).map(|i| format!("(index . {i})")).collect();
                    let source = format!("{{{{ printf {} }}}}", operands.join(" "));
                    let t = Arc::new(Template::new("printf").parse(&source)?);
                    calls.insert(args.len(), Arc::clone(&t));
                    t
                }
            }
        };
        let data = Value::List(args.to_vec().into());
        template
            .execute_to_string(&data)
            .map(|s| Value::String(s.into()))
    }
}

fn as_text(v: Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// Whether any directive meets a case where gotmpl's formatting differs from Go's.
fn pieces_need_help(pieces: &[Piece<'_>], args: &[Value]) -> bool {
    let mut next = 0;
    for piece in pieces {
        let Piece::Directive { spec, verb, .. } = piece else {
            continue;
        };
        let Some(verb) = verb.filter(|v| *v != '%') else {
            continue;
        };
        let Some(arg) = args.get(next) else {
            return false;
        };
        next += 1;
        if needs_help(verb, spec, arg) {
            return true;
        }
    }
    false
}

fn needs_help(verb: char, spec: &Spec, arg: &Value) -> bool {
    match (verb, arg) {
        ('v', Value::Float(_)) => !spec.sharp,
        ('q', Value::String(_) | Value::Int(_) | Value::Uint(_)) => true,
        ('x' | 'X', Value::String(_)) => spec.space || spec.sharp || spec.precision.is_some(),
        _ => false,
    }
}

/// The directives formatted here rather than by gotmpl.
fn own(verb: char, spec: &Spec, arg: &Value) -> Option<String> {
    match (verb, arg) {
        ('q', Value::String(s)) => Some(gofmt::q_string(s, spec)),
        ('q', Value::Int(n)) => Some(gofmt::q_rune(i128::from(*n), spec)),
        ('q', Value::Uint(n)) => Some(gofmt::q_rune(i128::from(*n), spec)),
        ('x' | 'X', Value::String(s)) if needs_help(verb, spec, arg) => {
            Some(gofmt::x_string(s, spec, verb == 'X'))
        }
        _ => None,
    }
}

/// `%v` of a float is `%g` in Go, which gotmpl gets right.
fn rewrite(text: &str, verb: char, arg: &Value) -> String {
    if verb == 'v' && matches!(arg, Value::Float(_)) {
        let stem = &text[..text.len() - 1];
        return format!("{stem}g");
    }
    text.to_string()
}

/// Splits a format into literal text and directives, or `None` when it uses argument
/// indexes (`%[2]d`) or `*` widths, which only gotmpl's whole-call handling gets right.
fn parse(format: &str) -> Option<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let bytes = format.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(rel) = format[i..].find('%') else {
            pieces.push(Piece::Literal(&format[i..]));
            break;
        };
        if rel > 0 {
            pieces.push(Piece::Literal(&format[i..i + rel]));
        }
        let start = i + rel;
        let mut j = start + 1;
        let mut spec = Spec::default();
        while let Some(&b) = bytes.get(j) {
            match b {
                b'#' => spec.sharp = true,
                b'0' => spec.zero = !spec.minus,
                b'+' => spec.plus = true,
                b'-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                b' ' => spec.space = true,
                _ => break,
            }
            j += 1;
        }
        if matches!(bytes.get(j), Some(b'[' | b'*')) {
            return None;
        }
        let (width, after) = number(bytes, j)?;
        spec.width = width;
        j = after;
        if bytes.get(j) == Some(&b'.') {
            j += 1;
            if matches!(bytes.get(j), Some(b'[' | b'*')) {
                return None;
            }
            let (precision, after) = number(bytes, j)?;
            spec.precision = Some(precision.unwrap_or(0));
            j = after;
        }
        if bytes.get(j) == Some(&b'[') {
            return None;
        }
        let verb = format[j..].chars().next();
        let end = j + verb.map_or(0, char::len_utf8);
        pieces.push(Piece::Directive {
            text: &format[start..end],
            spec,
            verb,
        });
        i = end;
    }
    Some(pieces)
}

/// Digits at `i`, as Go's `parsenum` reads them; `None` when the number is too large for
/// Go's formatter, which then behaves in ways left to gotmpl.
fn number(bytes: &[u8], mut i: usize) -> Option<(Option<usize>, usize)> {
    let mut n: Option<usize> = None;
    while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        let value = n.unwrap_or(0) * 10 + usize::from(d - b'0');
        if value > 1_000_000 {
            return None;
        }
        n = Some(value);
        i += 1;
    }
    Some((n, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printf(args: &[Value]) -> String {
        as_text(Printf::default().call(args).unwrap())
    }

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn plain_formats_go_to_gotmpl_whole() {
        assert_eq!(
            printf(&[s("%03d|%s|%x"), Value::Int(7), s("a"), Value::Int(255)]),
            "007|a|ff"
        );
        assert_eq!(
            printf(&[s("%[2]d %[1]d"), Value::Int(1), Value::Int(2)]),
            "2 1"
        );
        assert_eq!(
            printf(&[s("%d"), Value::Int(1), Value::Int(2)]),
            "1%!(EXTRA int=2)"
        );
    }

    #[test]
    fn differing_directives_are_formatted_like_go() {
        let args = [
            s("%v|%10.4v|%q|%+q|%q|% X|%d%%|%d"),
            Value::Float(1e21),
            Value::Float(1.23456),
            s("a\u{2028}"),
            s("é"),
            Value::Int(0x1F600),
            s("hi"),
            Value::Int(50),
        ];
        assert_eq!(
            printf(&args),
            "1e+21|     1.235|\"a\\u2028\"|\"\\u00e9\"|'😀'|68 69|50%|%!d(MISSING)"
        );
        assert_eq!(
            printf(&[s("%q"), s("a"), Value::Int(2)]),
            "\"a\"%!(EXTRA int=2)"
        );
    }

    #[test]
    fn parses_directives() {
        let pieces = parse("a%-08.3fb%").unwrap();
        assert_eq!(pieces.len(), 4);
        let Piece::Directive { text, spec, verb } = &pieces[1] else {
            panic!("{pieces:?}")
        };
        assert_eq!((*text, *verb), ("%-08.3f", Some('f')));
        assert!(spec.minus && !spec.zero);
        assert_eq!((spec.width, spec.precision), (Some(8), Some(3)));
        assert_eq!(
            pieces[3],
            Piece::Directive {
                text: "%",
                spec: Spec::default(),
                verb: None
            }
        );
        assert!(parse("%*d").is_none());
    }
}
