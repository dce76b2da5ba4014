//! Quoting in the rendered text: the `\'` that `js` writes, and inserted values that
//! break the string around them.

use super::checks;
use super::source_map::SourceMap;
use super::Rendered;
use crate::config::parse::parse;
use crate::config::positions::Span;
use crate::diagnostic::Diagnostic;

/// Where a quoted scalar may start: after these characters, blanks skipped.
fn may_open_quote(prev: Option<u8>) -> bool {
    matches!(
        prev,
        None | Some(b'\n' | b'[' | b'{' | b',' | b':' | b'-' | b'?')
    )
}

/// Replaces each `\'` that an action wrote inside a double-quoted string by `'`.
///
/// `js` escapes `'` as `\'`. webhook's YAML reader (yaml.v2) accepts that escape in a
/// double-quoted scalar and reads `'`, but strict JSON and YAML 1.2 readers, hookctl's
/// included, reject it. The map records each removed backslash. Returns an info note
/// at the first such action.
pub(crate) fn unescape_js_quotes(text: &mut String, map: &mut SourceMap) -> Option<Diagnostic> {
    let found = js_quote_escapes(text, map);
    let first = *found.first()?;
    let action = map.action_at(first).unwrap_or(Span::at(0));
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for at in &found {
        kept.push_str(&text[from..*at]);
        from = at + 1;
    }
    kept.push_str(&text[from..]);
    *text = kept;
    map.remove_bytes(&found);
    let count = found.len();
    let times = if count == 1 {
        String::new()
    } else {
        format!(" ({count} times in this file)")
    };
    let msg = format!(
        "`js` writes `'` as `\\'`{times}, which only webhook's YAML reader accepts inside \
         double quotes; hookctl reads it as `'` as webhook does"
    );
    Some(
        Diagnostic::new(checks::JS_ESCAPED_QUOTE, action, "", msg).with_note(
            None,
            "strict JSON tools (jq, editors, schema validators) reject the rendered file",
        ),
    )
}

/// Offsets of the backslash of every action-written `\'` inside a double-quoted string.
fn js_quote_escapes(text: &str, map: &SourceMap) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut prev: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' if may_open_quote(prev) => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        if bytes.get(i + 1) == Some(&b'\'') && map.action_at(i).is_some() {
                            found.push(i);
                        }
                        i += 1;
                    }
                    i += 1;
                }
                prev = Some(b'"');
            }
            b'\'' if may_open_quote(prev) => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' && bytes.get(i + 1) != Some(&b'\'') {
                        break;
                    }
                    i += if bytes[i] == b'\'' { 2 } else { 1 };
                }
                prev = Some(b'\'');
            }
            b'#' if prev.is_none() || text[..i].ends_with([' ', '\t']) => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b' ' | b'\t' | b'\r' => {}
            b'\n' => prev = None,
            _ => prev = Some(b),
        }
        i += 1;
    }
    found
}

/// When the rendered text does not parse, finds the action whose value broke it: the
/// nearest action before the error whose output, replaced by plain letters, lets the
/// text parse (or fail further on).
pub(crate) fn breaking_action(rendered: &Rendered, error_offset: usize) -> Option<Diagnostic> {
    let upto = Span::new(0, (error_offset + 1).min(rendered.text.len()));
    let mut candidates = rendered.map.actions_in(upto);
    candidates.retain(|(_, out)| {
        let value = &rendered.text[out.start..out.end];
        value.contains(|c: char| !(c.is_alphanumeric() || " -_./+=@~".contains(c)))
    });
    for (action, out) in candidates.iter().rev().take(16) {
        let mut text = rendered.text.clone();
        text.replace_range(out.start..out.end, "x");
        // With the value gone, the text parses, or parses further than before.
        let fixed = match parse(&text) {
            Ok(_) => true,
            Err(e) if e.offset > out.start => e.offset + out.len() - 1 > error_offset,
            Err(_) => false,
        };
        if fixed {
            return Some(diagnostic(rendered, *action, *out));
        }
    }
    None
}

fn diagnostic(rendered: &Rendered, action: Span, out: Span) -> Diagnostic {
    let value = &rendered.text[out.start..out.end];
    let quoted = out.start > 0 && rendered.text.as_bytes()[out.start - 1] == b'"';
    let suspects: &[char] = if quoted {
        &['"', '\\', '\n', '\r', '\t']
    } else {
        &[
            '\n', '"', '\'', ':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@',
            '`',
        ]
    };
    let culprit = suspects
        .iter()
        .copied()
        .find(|c| value.contains(*c))
        .or_else(|| value.chars().find(|c| !c.is_alphanumeric()))
        .unwrap_or('?');
    let shown = match culprit {
        '\n' => "a line break".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        c => format!("`{c}`"),
    };
    let msg = format!(
        "the value inserted here contains {shown}, which breaks the JSON or YAML around it"
    );
    let help = if quoted {
        "escape the value for a double-quoted string: end the action with `| js`"
    } else {
        "put the action inside double quotes and end it with `| js`: \
         `\"{{ getenv \\\"NAME\\\" | js }}\"`"
    };
    Diagnostic::new(checks::TEMPLATE_BREAKS_QUOTING, action, "", msg)
        .with_note(
            None,
            "webhook renders the template first and then parses the result, so inserted text \
             must be escaped for where it lands",
        )
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::source_map::Origin;

    fn map_with_action(text: &str, action: Span) -> SourceMap {
        let mut map = SourceMap::new(100);
        map.push(action.start, Origin::Literal { source: 0 });
        map.push(action.len(), Origin::Action { span: action });
        map.push(text.len() - action.end, Origin::Literal { source: 50 });
        map
    }

    #[test]
    fn only_action_output_in_double_quotes_is_fixed() {
        let mut text = r#"[{"a": "x\'y", "b": 'p\'q', "c": "\'"}]"#.to_string();
        let action = Span::new(8, 12);
        let mut map = map_with_action(&text, action);
        let note = unescape_js_quotes(&mut text, &mut map).unwrap();
        assert_eq!(text, r#"[{"a": "x'y", "b": 'p\'q', "c": "\'"}]"#);
        assert_eq!(note.span, action);
        assert_eq!(map.rendered_len(), text.len());
        assert_eq!(map.source_offset(text.find("\"b\"").unwrap()), 53);
    }

    #[test]
    fn comments_and_plain_scalars_are_left_alone() {
        let text = "# it\\'s\n- id: it\\'s \"a\\'b\"\n";
        let map = map_with_action(text, Span::new(0, text.len()));
        let found = js_quote_escapes(text, &map);
        assert!(found.is_empty(), "{found:?}");
    }
}
