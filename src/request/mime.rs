//! Go's `mime.ParseMediaType`, used for a multipart request's boundary and for each
//! part's `Content-Disposition` (`form-data; name="x"; filename="y"`).
//!
//! Parameter names are lower-cased, values are tokens or quoted strings, and RFC 2231
//! forms (`name*=utf-8''%C3%A9`, `name*0=`, `name*1=`) are joined as Go joins them.

use std::collections::BTreeMap;

/// A media type (lower case) and its parameters (names lower case).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaType {
    pub essence: String,
    pub params: BTreeMap<String, String>,
}

/// Why a media type could not be read; the texts are Go's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaTypeError {
    pub message: &'static str,
    /// Go still returns the media type when only a parameter was bad.
    pub essence: String,
}

/// Parses a `Content-Type` or `Content-Disposition` value as Go does.
pub fn parse_media_type(text: &str) -> Result<MediaType, MediaTypeError> {
    let base = text.split(';').next().unwrap_or("");
    let essence = base.to_lowercase().trim().to_string();
    if let Err(message) = check_essence(&essence) {
        return Err(MediaTypeError {
            message,
            essence: String::new(),
        });
    }
    let fail = |message| MediaTypeError {
        message,
        essence: essence.clone(),
    };

    let mut params = BTreeMap::new();
    let mut starred: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut rest = &text[base.len()..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let Some((key, value, after)) = consume_param(rest) else {
            if rest.trim() == ";" {
                break;
            }
            return Err(fail("mime: invalid media parameter"));
        };
        let target = match key.split_once('*') {
            Some((base_name, _)) => starred.entry(base_name.to_string()).or_default(),
            None => &mut params,
        };
        if target.insert(key, value).is_some() {
            return Err(MediaTypeError {
                message: "mime: duplicate parameter name",
                essence: String::new(),
            });
        }
        rest = after;
    }
    for (name, pieces) in starred {
        if let Some(value) = join_pieces(&name, &pieces) {
            params.insert(name, value);
        }
    }
    Ok(MediaType { essence, params })
}

fn check_essence(essence: &str) -> Result<(), &'static str> {
    let (kind, rest) = consume_token(essence);
    if kind.is_empty() {
        return Err("mime: no media type");
    }
    if rest.is_empty() {
        return Ok(());
    }
    let Some(rest) = rest.strip_prefix('/') else {
        return Err("mime: expected slash after first token");
    };
    let (subtype, rest) = consume_token(rest);
    if subtype.is_empty() {
        return Err("mime: expected token after slash");
    }
    if !rest.is_empty() {
        return Err("mime: unexpected content after media subtype");
    }
    Ok(())
}

/// Reads `; name=value` and returns the lower-cased name, the value and the rest.
fn consume_param(text: &str) -> Option<(String, String, &str)> {
    let rest = text.trim_start().strip_prefix(';')?.trim_start();
    let (name, rest) = consume_token(rest);
    if name.is_empty() {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let (value, after) = consume_value(rest)?;
    Some((name.to_lowercase(), value, after))
}

fn consume_token(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| !is_token_char(c)).unwrap_or(text.len());
    text.split_at(end)
}

fn consume_value(text: &str) -> Option<(String, &str)> {
    let Some(quoted) = text.strip_prefix('"') else {
        let (token, rest) = consume_token(text);
        return (!token.is_empty()).then(|| (token.to_string(), rest));
    };
    let bytes = quoted.as_bytes();
    let mut value = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                return Some((
                    String::from_utf8_lossy(&value).into_owned(),
                    &quoted[i + 1..],
                ))
            }
            // A backslash only escapes a special character; otherwise it is literal, as
            // old browsers send Windows paths unescaped.
            b'\\'
                if bytes
                    .get(i + 1)
                    .is_some_and(|&c| is_tspecial(char::from(c))) =>
            {
                value.push(bytes[i + 1]);
                i += 1;
            }
            b'\r' | b'\n' => return None,
            c => value.push(c),
        }
        i += 1;
    }
    None
}

/// Joins `name*` or `name*0`, `name*1`, ... as Go does.
fn join_pieces(name: &str, pieces: &BTreeMap<String, String>) -> Option<String> {
    if let Some(value) = pieces.get(&format!("{name}*")) {
        return decode_2231(value);
    }
    let mut joined = String::new();
    let mut valid = false;
    for n in 0.. {
        let simple = format!("{name}*{n}");
        if let Some(value) = pieces.get(&simple) {
            valid = true;
            joined.push_str(value);
            continue;
        }
        let Some(value) = pieces.get(&format!("{simple}*")) else {
            break;
        };
        valid = true;
        if n == 0 {
            joined.push_str(&decode_2231(value).unwrap_or_default());
        } else {
            joined.push_str(&percent_unescape(value).unwrap_or_default());
        }
    }
    valid.then_some(joined)
}

fn decode_2231(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?.to_lowercase();
    let _language = parts.next()?;
    let encoded = parts.next()?;
    if charset != "us-ascii" && charset != "utf-8" {
        return None;
    }
    percent_unescape(encoded)
}

fn percent_unescape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            if !pair.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(pair, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn is_token_char(c: char) -> bool {
    c > ' ' && c < '\x7f' && !is_tspecial(c)
}

fn is_tspecial(c: char) -> bool {
    "()<>@,;:\\\"/[]?=".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(text: &str) -> BTreeMap<String, String> {
        parse_media_type(text).unwrap().params
    }

    #[test]
    fn reads_boundaries_and_dispositions() {
        let ct = parse_media_type("Multipart/Form-Data; Boundary=XX").unwrap();
        assert_eq!(ct.essence, "multipart/form-data");
        assert_eq!(ct.params["boundary"], "XX");
        let cd = parse_media_type(r#"form-data; name="v"; filename="a \"b\".txt""#).unwrap();
        assert_eq!(cd.essence, "form-data");
        assert_eq!(cd.params["name"], "v");
        assert_eq!(cd.params["filename"], r#"a "b".txt"#);
        assert_eq!(
            params(r#"form-data; filename="C:\dev\x.txt""#)["filename"],
            r"C:\dev\x.txt"
        );
    }

    #[test]
    fn accepts_trailing_semicolons_and_empty_quoted_values() {
        assert_eq!(params("form-data; name=a;")["name"], "a");
        assert_eq!(params(r#"form-data; name="""#)["name"], "");
    }

    #[test]
    fn reports_go_errors() {
        let err = |t: &str| parse_media_type(t).unwrap_err().message;
        assert_eq!(err(""), "mime: no media type");
        assert_eq!(err("a/"), "mime: expected token after slash");
        assert_eq!(err("a b"), "mime: expected slash after first token");
        assert_eq!(err("form-data; name"), "mime: invalid media parameter");
        assert_eq!(
            err("form-data; name=a; name=b"),
            "mime: duplicate parameter name"
        );
        assert_eq!(
            parse_media_type("form-data; name=").unwrap_err().essence,
            "form-data"
        );
    }

    #[test]
    fn joins_rfc_2231_values() {
        assert_eq!(
            params("form-data; name*=utf-8''%C3%A9t%C3%A9")["name"],
            "été"
        );
        assert_eq!(params("a/b; t*0=ab; t*1=cd")["t"], "abcd");
        assert_eq!(params("a/b; t*0*=utf-8''%41; t*1*=%42")["t"], "AB");
        assert!(!params("a/b; t*=latin1''x").contains_key("t"));
    }
}
