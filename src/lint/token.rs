//! Which `value` matches compare a credential: the lint rules' view of "this expected
//! value is as secret as an HMAC key".
//!
//! The model's `Match::compares_token` looks for credential words anywhere in the
//! parameter name, so `head_commit.author.name` counts as a token because it contains
//! `auth`, and `design.id` because it contains `sig`. Lint rules decide about security
//! with this stricter test instead, which looks at whole words of the last path step.

use crate::config::model::{Match, MatchKind};

/// Words that name a credential when they are a whole word of a parameter name.
const WORDS: [&str; 11] = [
    "apikey",
    "auth",
    "authorization",
    "key",
    "passphrase",
    "passwd",
    "password",
    "secret",
    "sig",
    "signature",
    "token",
];

/// Whether this is a `value` match whose parameter names a credential (`X-Gitlab-Token`,
/// `token`, `Authorization`, `X-Api-Key`, `access_token`).
pub fn is_token_match(m: &Match) -> bool {
    let Some(p) = &m.parameter else {
        return false;
    };
    m.kind == MatchKind::Value && is_credential_name(p.name())
}

/// Whether the last step of a parameter name (`a.b.token`) is a credential word, or made of
/// words one of which is (`X-Gitlab-Token`, `access_token`, `apiKey`).
pub fn is_credential_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    words(last).iter().any(|w| WORDS.contains(&w.as_str()))
}

/// Splits at `-`, `_`, spaces and lower-to-upper case changes, in lower case.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            out.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    out.extend((!current.is_empty()).then_some(current));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_headers_and_fields_are_tokens() {
        for name in [
            "X-Gitlab-Token",
            "token",
            "Authorization",
            "X-Api-Key",
            "access_token",
            "apiKey",
            "X-Webhook-Secret",
            "data.auth.token",
        ] {
            assert!(is_credential_name(name), "{name}");
        }
    }

    #[test]
    fn words_that_merely_contain_a_credential_word_are_not() {
        for name in [
            "head_commit.author.name",
            "design.id",
            "monkey",
            "keyword",
            "token.count_total",
            "ref",
            "X-GitHub-Event",
        ] {
            assert!(!is_credential_name(name), "{name}");
        }
    }
}
