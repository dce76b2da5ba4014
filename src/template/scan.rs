//! Where the actions (`{{ ... }}`) of a template stand in its source.
//!
//! gotmpl's parse tree gives each node the offset of its first token, not the extent of
//! the action around it. This scanner finds every `{{ ... }}` (comments included) the way
//! Go's lexer delimits them, so a node can be widened to the whole action for
//! diagnostics and for the source map. It runs only on templates that already parsed,
//! so it does not report syntax errors; on broken input it stops at the end of the text.

use crate::config::positions::Span;

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

/// One `{{ ... }}` in the template source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Action {
    /// From the first `{` to after the last `}`, trim markers included.
    pub span: Span,
    /// The first word inside the action (`if`, `else`, `getenv`, ...), empty for comments
    /// and actions that start with something else.
    pub keyword: String,
    /// The word after `else` (`if` in `{{ else if ... }}`), empty otherwise.
    pub else_keyword: String,
}

/// Every action of `source`, in source order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Actions {
    actions: Vec<Action>,
    /// What Go's lexer rejects and gotmpl's accepts or reports elsewhere.
    problems: Vec<(Span, String)>,
}

impl Actions {
    pub(crate) fn scan(source: &str) -> Actions {
        let mut actions = Vec::new();
        let mut problems = Vec::new();
        let mut pos = 0;
        while let Some(found) = source[pos..].find(LEFT) {
            let start = pos + found;
            let (end, problem) = action_end(source, start);
            problems.extend(problem);
            let inner_end = if source[..end].ends_with(RIGHT) && end >= start + 4 {
                end - RIGHT.len()
            } else {
                end
            };
            let inner = &source[start + LEFT.len()..inner_end.max(start + LEFT.len())];
            let (keyword, else_keyword) = keywords(inner);
            actions.push(Action {
                span: Span::new(start, end),
                keyword,
                else_keyword,
            });
            pos = end.max(start + LEFT.len());
        }
        let mut scanned = Actions { actions, problems };
        scanned.nesting(source.len());
        scanned.problems.sort_by_key(|(span, _)| span.start);
        scanned
    }

    /// Lexical and nesting errors in source order: strings that run past the end of a
    /// line, misplaced comments, and `{{end}}`s that do not match.
    pub(crate) fn problems(&self) -> &[(Span, String)] {
        &self.problems
    }

    /// Checks that every `if`, `with`, `range`, `define` and `block` has its `end`.
    fn nesting(&mut self, source_len: usize) {
        let mut open: Vec<&Action> = Vec::new();
        let mut problems = Vec::new();
        for action in &self.actions {
            match action.keyword.as_str() {
                "if" | "with" | "range" | "define" | "block" => open.push(action),
                "end" if open.pop().is_none() => {
                    problems.push((action.span, "unexpected `{{end}}`".to_string()))
                }
                "else" if open.is_empty() => {
                    problems.push((action.span, "unexpected `{{else}}`".to_string()))
                }
                _ => {}
            }
        }
        if let Some(unclosed) = open.pop() {
            let msg = format!(
                "`{{{{{}}}}}` has no `{{{{end}}}}`: the file ends first",
                unclosed.keyword
            );
            problems.push((unclosed.span, msg));
        }
        let _ = source_len;
        self.problems.extend(problems);
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter()
    }

    /// The action that contains byte `offset`, if any.
    pub(crate) fn at(&self, offset: usize) -> Option<&Action> {
        let i = self.actions.partition_point(|a| a.span.start <= offset);
        let action = self.actions.get(i.checked_sub(1)?)?;
        (offset < action.span.end).then_some(action)
    }

    /// The span of the action containing `offset`, or an empty span there.
    pub(crate) fn span_at(&self, offset: usize) -> Span {
        self.at(offset).map_or(Span::at(offset), |a| a.span)
    }
}

/// The offset just after the right delimiter of the action starting at `start`, and
/// the first problem Go's lexer would find in it.
fn action_end(source: &str, start: usize) -> (usize, Option<(Span, String)>) {
    let bytes = source.as_bytes();
    let mut i = start + LEFT.len();
    if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(|b| is_space(*b)) {
        i += 2;
    }
    if source[i..].starts_with("/*") {
        return comment_end(source, start, i);
    }
    let mut problem = None;
    let first_token = i + (source[i..].len() - source[i..].trim_start().len());
    if source[first_token..].starts_with("/*") {
        let msg = "a comment must start right after `{{` (or `{{- `); \
                   Go reads `/` here as an unexpected character";
        problem = Some((Span::new(first_token, first_token + 2), msg.to_string()));
    }
    while i < bytes.len() {
        if bytes[i..].starts_with(RIGHT.as_bytes()) {
            return (i + RIGHT.len(), problem);
        }
        let literal = i;
        let closed;
        (i, closed) = match bytes[i] {
            b'"' => skip_quoted(bytes, i, b'"'),
            b'\'' => skip_quoted(bytes, i, b'\''),
            b'`' => match source[i + 1..].find('`') {
                Some(r) => (i + 1 + r + 1, true),
                None => (bytes.len(), false),
            },
            _ => (i + 1, true),
        };
        if !closed && problem.is_none() {
            let what = match bytes[literal] {
                b'"' => "this string is not closed on its line",
                b'\'' => "this character constant is not closed on its line",
                _ => "this raw string is never closed",
            };
            problem = Some((Span::new(literal, i.max(literal + 1)), what.to_string()));
        }
    }
    let unclosed = (
        Span::new(start, start + LEFT.len()),
        "this action is never closed with `}}`".into(),
    );
    (source.len(), problem.or(Some(unclosed)))
}

/// The end of a `{{/* ... */}}` comment that starts at `open`.
fn comment_end(source: &str, start: usize, open: usize) -> (usize, Option<(Span, String)>) {
    let Some(close) = source[open + 2..].find("*/").map(|c| open + 2 + c + 2) else {
        let problem = (
            Span::new(start, source.len()),
            "this comment is never closed".into(),
        );
        return (source.len(), Some(problem));
    };
    let rest = &source[close..];
    if rest.starts_with(RIGHT) {
        return (close + RIGHT.len(), None);
    }
    if rest.starts_with(" -}}") || rest.starts_with("\t-}}") || rest.starts_with("\n-}}") {
        return (close + 4, None);
    }
    let end = rest
        .find(RIGHT)
        .map_or(source.len(), |r| close + r + RIGHT.len());
    let msg = "a comment must end right before `}}` (or ` -}}`)";
    (end, Some((Span::new(start, end), msg.into())))
}

/// The offset after the closing `quote` of the literal opening at `i`, and whether it
/// was closed; a line break ends an unterminated literal, as in Go's lexer.
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8) -> (usize, bool) {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) != Some(&b'\n') => i += 2,
            b'\n' => return (i, false),
            b if b == quote => return (i + 1, true),
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn keywords(inner: &str) -> (String, String) {
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let (first, rest) = word(inner);
    let second = if first == "else" { word(rest).0 } else { "" };
    (first.to_string(), second.to_string())
}

/// The leading identifier of `text` after blanks, and what follows it.
fn word(text: &str) -> (&str, &str) {
    let text = text.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8));
    let len = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    (&text[..len], &text[len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(source: &str) -> Vec<&str> {
        Actions::scan(source)
            .iter()
            .map(|a| &source[a.span.start..a.span.end])
            .collect()
    }

    #[test]
    fn finds_actions_comments_and_trim_markers() {
        let src = "a {{ x }} b {{- /* c }} */ -}} {{- if .A -}}";
        assert_eq!(
            spans(src),
            ["{{ x }}", "{{- /* c }} */ -}}", "{{- if .A -}}"]
        );
    }

    #[test]
    fn delimiters_inside_literals_do_not_end_an_action() {
        let src = "{{ print \"}}\" `a}}\nb` '}' }}x{{ \"\\\"}}\" }}";
        assert_eq!(
            spans(src),
            ["{{ print \"}}\" `a}}\nb` '}' }}", "{{ \"\\\"}}\" }}"]
        );
    }

    #[test]
    fn finds_the_action_around_an_offset() {
        let src = "ab{{ x }}cd{{y}}";
        let actions = Actions::scan(src);
        assert_eq!(actions.at(5).unwrap().span, Span::new(2, 9));
        assert!(actions.at(9).is_none());
        assert_eq!(actions.span_at(12), Span::new(11, 16));
        assert_eq!(actions.span_at(1), Span::at(1));
    }

    #[test]
    fn records_keywords() {
        let actions = Actions::scan("{{- else with .X }}{{ if 1 }}{{ else }}");
        let words: Vec<_> = actions
            .iter()
            .map(|a| (a.keyword.as_str(), a.else_keyword.as_str()))
            .collect();
        assert_eq!(words, [("else", "with"), ("if", ""), ("else", "")]);
    }

    #[test]
    fn unterminated_input_ends_at_the_end_of_the_text() {
        assert_eq!(spans("x {{ y"), ["{{ y"]);
        assert_eq!(spans("{{/* y"), ["{{/* y"]);
    }
}
