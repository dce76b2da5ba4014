//! Whether a `regex` pattern behaves under Go's RE2 (which webhook uses) as written.
//!
//! webhook compiles the pattern at every request, so a pattern Go rejects makes the
//! rule fail with a 500 on every delivery. We parse with `regex-syntax` and then look
//! for the constructs where Go and Rust's engine disagree.

use regex_syntax::ast::{self, Ast};

/// What is wrong with a pattern, from webhook's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexProblem {
    /// Go's regexp rejects the pattern: every evaluation is an error. `why` completes
    /// "Go cannot compile this regex: ..."; `help` says how to fix it.
    Invalid { why: String, help: &'static str },
    /// Go accepts it but other engines read it differently, or the reverse.
    Dialect(String),
}

/// Checks one pattern; `None` when Go reads it the way it reads everywhere else.
pub fn check(pattern: &str) -> Option<RegexProblem> {
    if pattern.contains("\\Q") {
        let msg = "`\\Q...\\E` quoting works in Go but not in most other engines";
        return Some(RegexProblem::Dialect(msg.into()));
    }
    let ast = match ast::parse::Parser::new().parse(pattern) {
        Ok(ast) => ast,
        Err(err) => {
            return Some(RegexProblem::Invalid {
                why: err.kind().to_string(),
                help: syntax_help(err.kind()),
            })
        }
    };
    let mut problem = None;
    walk(&ast, &mut problem, 0);
    problem
}

fn walk(node: &Ast, problem: &mut Option<RegexProblem>, depth: usize) {
    if problem.is_some() || depth > 500 {
        return;
    }
    match node {
        Ast::Repetition(rep) => {
            if let Some(p) = repetition_problem(rep) {
                *problem = Some(p);
                return;
            }
            walk(&rep.ast, problem, depth + 1);
        }
        Ast::Group(group) => {
            if let Some(p) = group_problem(group) {
                *problem = Some(p);
                return;
            }
            walk(&group.ast, problem, depth + 1);
        }
        Ast::Flags(flags) => *problem = flags_problem(&flags.flags),
        Ast::Alternation(alt) => alt.asts.iter().for_each(|a| walk(a, problem, depth + 1)),
        Ast::Concat(cat) => cat.asts.iter().for_each(|a| walk(a, problem, depth + 1)),
        _ => {}
    }
}

fn repetition_problem(rep: &ast::Repetition) -> Option<RegexProblem> {
    if matches!(*rep.ast, Ast::Repetition(_)) {
        return Some(invalid(
            "nested repetition operator, as in `a**` or `a*+`",
            "keep one repetition operator (`*`, `+`, `?` or `{n,m}`), optionally followed by \
             `?` for a lazy match",
        ));
    }
    let ast::RepetitionKind::Range(range) = &rep.op.kind else {
        return None;
    };
    let max = match range {
        ast::RepetitionRange::Exactly(n) | ast::RepetitionRange::AtLeast(n) => *n,
        ast::RepetitionRange::Bounded(_, n) => *n,
    };
    (max > 1000).then(|| {
        invalid(
            "repeat count above 1000",
            "use a count of at most 1000, or `+` for no upper bound",
        )
    })
}

fn group_problem(group: &ast::Group) -> Option<RegexProblem> {
    match &group.kind {
        ast::GroupKind::CaptureName {
            starts_with_p: false,
            ..
        } => Some(invalid(
            "`(?<name>...)` needs Go 1.22, and webhook 2.8.0 is built with Go 1.19",
            "write the group as `(?P<name>...)`",
        )),
        ast::GroupKind::NonCapturing(flags) => flags_problem(flags),
        _ => None,
    }
}

fn flags_problem(flags: &ast::Flags) -> Option<RegexProblem> {
    flags.items.iter().find_map(|item| match item.kind {
        ast::FlagsItemKind::Flag(ast::Flag::IgnoreWhitespace) => Some(invalid(
            "the `x` flag is not supported",
            "remove `x` from the flags and write the pattern without the spaces and comments \
             it allowed",
        )),
        ast::FlagsItemKind::Flag(ast::Flag::CRLF) => Some(invalid(
            "the `R` flag is not supported",
            "remove `R` from the flags; match `\\r?\\n` explicitly if needed",
        )),
        _ => None,
    })
}

fn invalid(why: &str, help: &'static str) -> RegexProblem {
    RegexProblem::Invalid {
        why: why.into(),
        help,
    }
}

/// How to fix the syntax errors people make most.
fn syntax_help(kind: &ast::ErrorKind) -> &'static str {
    use ast::ErrorKind as E;
    match kind {
        E::RepetitionMissing => {
            "put what should repeat before the operator (`.*`), or match a literal `*`, `+` \
             or `?` with a class such as `[*]`"
        }
        E::GroupUnclosed => "close the group with `)`, or match a literal `(` with `[(]`",
        E::GroupUnopened => "remove the `)`, or match a literal `)` with `[)]`",
        E::ClassUnclosed => "close the class with `]`, or escape a literal `[` with a backslash",
        E::RepetitionCountUnclosed | E::RepetitionCountInvalid => {
            "write the count as `{n}`, `{n,}` or `{n,m}` with n at most m"
        }
        E::EscapeUnrecognized => "remove the backslash, or double it to match a backslash",
        E::FlagUnrecognized => "use only the flags Go knows: `i`, `m`, `s` and `U`",
        _ => "rewrite the pattern in Go's RE2 syntax (see https://pkg.go.dev/regexp/syntax)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_rejects_these() {
        for p in ["*", "a**", "a{1001}", "(?x)a", "(?<n>a)", "(a"] {
            assert!(
                matches!(check(p), Some(RegexProblem::Invalid { .. })),
                "{p}"
            );
        }
    }

    #[test]
    fn invalid_patterns_come_with_a_fix() {
        let help = |p| match check(p) {
            Some(RegexProblem::Invalid { help, .. }) => help,
            other => panic!("{p}: {other:?}"),
        };
        assert!(help("*").contains("`.*`"));
        assert!(help("(a").starts_with("close the group"));
        assert_eq!(help("(?<n>a)"), "write the group as `(?P<name>...)`");
        assert!(help("a{1001}").contains("at most 1000"));
    }

    #[test]
    fn go_accepts_these() {
        for p in [
            "^refs/heads/(main|master)$",
            "(?i)deploy",
            "(?P<n>a)",
            "\\d+",
            "a{2,5}",
        ] {
            assert_eq!(check(p), None, "{p}");
        }
    }
}
