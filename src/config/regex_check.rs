//! Whether webhook can compile a `regex` pattern, and how to fix it when it cannot.
//!
//! webhook compiles the pattern with Go's `regexp` at every request, so a pattern Go
//! rejects makes the rule fail with a 500 on every delivery. Whether Go accepts a
//! pattern is decided by the engine's Go-syntax translator ([`crate::rules::regex`]),
//! the same code that evaluates `regex` matches, so validate and simulate always agree.

/// What is wrong with a pattern, from webhook's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexProblem {
    /// Go's regexp rejects the pattern: every evaluation is an error. `why` is Go's
    /// message without its `error parsing regexp: ` prefix; `help` says how to fix it.
    Invalid { why: String, help: &'static str },
}

/// Checks one pattern; `None` when Go compiles it.
pub fn check(pattern: &str) -> Option<RegexProblem> {
    let Err(message) = crate::rules::regex::compile_cached(pattern) else {
        return None;
    };
    let why = message
        .trim_start_matches("error parsing regexp: ")
        .to_string();
    Some(RegexProblem::Invalid {
        help: help_for(&why),
        why,
    })
}

/// Advice for each kind of error Go's regexp parser reports.
fn help_for(why: &str) -> &'static str {
    const ADVICE: &[(&str, &str)] = &[
        (
            "missing argument to repetition operator",
            "put what should repeat before the operator (`.*`), or match a literal `*`, `+` \
             or `?` with a class such as `[*]`",
        ),
        (
            "invalid nested repetition operator",
            "keep one repetition operator (`*`, `+`, `?` or `{n,m}`), optionally followed by `?` \
             for a lazy match",
        ),
        (
            "invalid repeat count",
            "use a count of at most 1000, or `+` for no upper bound",
        ),
        (
            "`(?<`",
            "write the group as `(?P<name>...)`: webhook 2.8.0 is built with Go 1.19, which \
             does not know `(?<name>...)`",
        ),
        (
            "`(?x",
            "remove `x` from the flags and write the pattern without the spaces and comments \
             it allowed",
        ),
        (
            "invalid or unsupported Perl syntax",
            "use only the flags Go knows: `i`, `m`, `s` and `U`",
        ),
        (
            "missing closing )",
            "close the group with `)`, or match a literal `(` with `[(]`",
        ),
        (
            "unexpected )",
            "remove the `)`, or match a literal `)` with `[)]`",
        ),
        (
            "missing closing ]",
            "close the class with `]`, or escape a literal `[` with a backslash",
        ),
        (
            "invalid escape sequence",
            "remove the backslash, or double it to match a backslash",
        ),
    ];
    ADVICE.iter().find(|(key, _)| why.contains(key)).map_or(
        "rewrite the pattern in Go's RE2 syntax (see https://pkg.go.dev/regexp/syntax)",
        |(_, a)| a,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(pattern: &str) -> &'static str {
        match check(pattern) {
            Some(RegexProblem::Invalid { help, .. }) => help,
            None => panic!("{pattern} should be rejected"),
        }
    }

    #[test]
    fn go_rejects_these_with_a_fix() {
        assert!(help("*").contains("`.*`"));
        assert!(help("a**").contains("keep one repetition operator"));
        assert!(help("a{1001}").contains("at most 1000"));
        assert!(help("(?x)a").contains("remove `x`"));
        assert!(help("(?s-x)a").contains("remove `x`") || help("(?s-x)a").contains("flags"));
        assert!(help("(?<n>a)").starts_with("write the group as `(?P<name>...)`"));
        assert!(help("(a").starts_with("close the group"));
        assert!(help("a)").starts_with("remove the `)`"));
        assert!(help("\\8").contains("backslash"));
    }

    #[test]
    fn go_accepts_these() {
        for p in [
            "^refs/heads/(main|master)$",
            "(?i)deploy",
            "(?P<n>a)",
            "\\d+",
            "a{2,5}",
            "\\Q.\\E",
        ] {
            assert_eq!(check(p), None, "{p}");
        }
    }

    #[test]
    fn the_message_is_gos() {
        let Some(RegexProblem::Invalid { why, .. }) = check("a**") else {
            panic!()
        };
        assert_eq!(why, "invalid nested repetition operator: `**`");
    }
}
