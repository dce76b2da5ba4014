//! Whether a `regex` pattern behaves under Go's RE2 (which webhook uses) as written.
//!
//! webhook compiles the pattern at every request, so a pattern Go rejects makes the
//! rule fail with a 500 on every delivery. We parse with `regex-syntax` and then look
//! for the constructs where Go and Rust's engine disagree.

use regex_syntax::ast::{self, Ast};

/// What is wrong with a pattern, from webhook's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexProblem {
    /// Go's regexp rejects the pattern: every evaluation is an error.
    Invalid(String),
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
        Err(err) => return Some(RegexProblem::Invalid(err.kind().to_string())),
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
        let msg = "Go rejects a repetition of a repetition (`a**`, `a*+`): invalid nested \
                   repetition operator";
        return Some(RegexProblem::Invalid(msg.into()));
    }
    let ast::RepetitionKind::Range(range) = &rep.op.kind else {
        return None;
    };
    let max = match range {
        ast::RepetitionRange::Exactly(n) | ast::RepetitionRange::AtLeast(n) => *n,
        ast::RepetitionRange::Bounded(_, n) => *n,
    };
    (max > 1000).then(|| RegexProblem::Invalid("Go rejects repeat counts above 1000".into()))
}

fn group_problem(group: &ast::Group) -> Option<RegexProblem> {
    match &group.kind {
        ast::GroupKind::CaptureName {
            starts_with_p: false,
            ..
        } => {
            let msg = "`(?<name>...)` needs Go 1.22; webhook 2.8.0 is built with Go 1.19, \
                       which rejects it (write `(?P<name>...)`)";
            Some(RegexProblem::Invalid(msg.into()))
        }
        ast::GroupKind::NonCapturing(flags) => flags_problem(flags),
        _ => None,
    }
}

fn flags_problem(flags: &ast::Flags) -> Option<RegexProblem> {
    flags.items.iter().find_map(|item| match item.kind {
        ast::FlagsItemKind::Flag(ast::Flag::IgnoreWhitespace) => Some(RegexProblem::Invalid(
            "Go does not support the `x` flag".into(),
        )),
        ast::FlagsItemKind::Flag(ast::Flag::CRLF) => Some(RegexProblem::Invalid(
            "Go does not support the `R` flag".into(),
        )),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_rejects_these() {
        for p in ["*", "a**", "a{1001}", "(?x)a", "(?<n>a)", "(a"] {
            assert!(matches!(check(p), Some(RegexProblem::Invalid(_))), "{p}");
        }
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
