//! Payload signatures: webhook's `payload-hmac-*` check, and a diagnosis of why a
//! signature failed that never reveals the expected value.
//!
//! webhook computes lower-case hex HMAC over the raw body (zero bytes for multipart) and
//! compares it, in constant time, with the candidates taken from the signature text:
//! without a comma, the text minus one leading `sha256=` (or `sha1=`, `sha512=`); with
//! commas, only the parts that start with that prefix, prefix removed.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::ConstantTimeEq;

use crate::config::model::Algorithm;

const ALGORITHMS: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

/// Why a signature match failed; `Display` gives webhook's error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HmacError {
    /// An empty `secret`: an error of class "other", never a soft failure.
    EmptySecret,
    /// No candidate matched: a signature error.
    Mismatch {
        candidates: Vec<String>,
        empty_body: bool,
    },
}

impl std::fmt::Display for HmacError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HmacError::EmptySecret => f.write_str("signature validation secret can not be empty"),
            HmacError::Mismatch {
                candidates,
                empty_body,
            } => {
                write!(f, "invalid payload signatures [{}]", candidates.join(" "))?;
                if *empty_body {
                    f.write_str(" on empty payload")?;
                }
                Ok(())
            }
        }
    }
}

/// Lower-case hex HMAC of `message` with `key`.
pub fn hmac_hex(algorithm: Algorithm, key: &[u8], message: &[u8]) -> String {
    let mut mac = HmacStream::new(algorithm, key);
    mac.update(message);
    hex::encode(mac.finalize())
}

/// An HMAC fed piece by piece, so a body never has to be held in memory at once
/// (`hookctl sign` streams large payloads through it). [`hmac_hex`] is this in one step.
#[derive(Clone)]
pub enum HmacStream {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    // Boxed: the SHA-512 state is about twice the size of the others.
    Sha512(Box<Hmac<Sha512>>),
}

impl HmacStream {
    pub fn new(algorithm: Algorithm, key: &[u8]) -> HmacStream {
        fn keyed<M: KeyInit>(key: &[u8]) -> M {
            <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
        }
        match algorithm {
            Algorithm::Sha1 => HmacStream::Sha1(keyed(key)),
            Algorithm::Sha256 => HmacStream::Sha256(keyed(key)),
            Algorithm::Sha512 => HmacStream::Sha512(Box::new(keyed(key))),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            HmacStream::Sha1(mac) => mac.update(bytes),
            HmacStream::Sha256(mac) => mac.update(bytes),
            HmacStream::Sha512(mac) => mac.update(bytes),
        }
    }

    /// The MAC bytes (20, 32 or 64 of them).
    pub fn finalize(self) -> Vec<u8> {
        match self {
            HmacStream::Sha1(mac) => mac.finalize().into_bytes().to_vec(),
            HmacStream::Sha256(mac) => mac.finalize().into_bytes().to_vec(),
            HmacStream::Sha512(mac) => mac.finalize().into_bytes().to_vec(),
        }
    }
}

/// The candidates webhook compares, from the signature text.
pub fn candidates(text: &str, prefix: &str) -> Vec<String> {
    if !text.contains(',') {
        return vec![text.strip_prefix(prefix).unwrap_or(text).to_string()];
    }
    text.split(',')
        .filter_map(|part| part.strip_prefix(prefix))
        .map(str::to_string)
        .collect()
}

/// webhook's check of a `payload-hmac-*` match.
pub fn check_hmac(
    algorithm: Algorithm,
    secret: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), HmacError> {
    if secret.is_empty() {
        return Err(HmacError::EmptySecret);
    }
    let candidates = candidates(signature, algorithm.prefix());
    let expected = hmac_hex(algorithm, secret.as_bytes(), body);
    let matched = candidates
        .iter()
        .any(|c| bool::from(c.as_bytes().ct_eq(expected.as_bytes())));
    if matched {
        return Ok(());
    }
    Err(HmacError::Mismatch {
        candidates,
        empty_body: body.is_empty(),
    })
}

/// A signature as it may be shown: the prefix and the first 7 hex digits of each part.
pub fn truncate(signature: &str) -> String {
    if signature.is_empty() {
        return "\"\"".into();
    }
    let parts: Vec<String> = signature.split(',').map(truncate_part).collect();
    parts.join(",")
}

fn truncate_part(part: &str) -> String {
    let (prefix, digits) = match part.find('=') {
        Some(i) if i < 12 => part.split_at(i + 1),
        _ => ("", part),
    };
    if digits.chars().count() <= 7 {
        return part.to_string();
    }
    let head: String = digits.chars().take(7).collect();
    format!("{prefix}{head}…")
}

/// Hints about a failed `payload-hmac-*` match. `signature` is the text the parameter
/// held; the secret and the expected MAC never appear in the hints.
pub fn diagnose(
    algorithm: Algorithm,
    secret: &str,
    body: &[u8],
    signature: &str,
    multipart: bool,
) -> Vec<String> {
    let prefix = algorithm.prefix();
    let mut hints = Vec::new();
    if multipart {
        hints.push(
            "the request is multipart: webhook does not keep a multipart body, so it \
             computes the HMAC over zero bytes"
                .to_string(),
        );
    }
    if signature.is_empty() {
        hints.push("the signature is empty".into());
        return hints;
    }
    hints.extend(prefix_hints(algorithm, signature));
    let candidates = candidates(signature, prefix);
    if candidates.is_empty() {
        hints.push(format!(
            "no part of the signature starts with `{prefix}`; with commas, webhook keeps \
             only such parts"
        ));
        return hints;
    }
    let before = hints.len();
    for candidate in &candidates {
        hints.extend(candidate_hints(algorithm, secret, body, candidate));
    }
    if hints.len() == before && !secret.is_empty() {
        hints.push(format!(
            "the signature is well formed but does not match the HMAC-{} of the {} body \
             bytes: the secret differs from the sender's, or the body was changed on the way \
             (re-encoded JSON, an added or removed final newline)",
            algorithm.name().to_uppercase(),
            body.len()
        ));
    }
    hints
}

fn prefix_hints(algorithm: Algorithm, signature: &str) -> Vec<String> {
    let prefix = algorithm.prefix();
    let mut hints = Vec::new();
    for part in signature.split(',') {
        if part.starts_with(' ') && part.trim_start().starts_with(prefix) {
            hints.push(format!(
                "a part starts with a space before `{prefix}`, so webhook ignores it; \
                 separate signatures with `,` only"
            ));
        }
        let trimmed = part.trim_start();
        for other in ALGORITHMS.iter().filter(|&&a| a != algorithm) {
            if trimmed.starts_with(other.prefix()) {
                hints.push(format!(
                    "the signature starts with `{}`, but a {} match only strips `{prefix}`",
                    other.prefix(),
                    match_type(algorithm)
                ));
            }
        }
        let upper = trimmed
            .get(..prefix.len())
            .is_some_and(|p| p != prefix && p.eq_ignore_ascii_case(prefix));
        if upper {
            hints.push(format!(
                "the prefix is not lower case; webhook only strips `{prefix}`"
            ));
        }
    }
    hints
}

fn candidate_hints(
    algorithm: Algorithm,
    secret: &str,
    body: &[u8],
    candidate: &str,
) -> Vec<String> {
    let expected_len = hmac_hex(algorithm, b"", b"").len();
    let digits = candidate.split_once('=').map_or(candidate, |(_, d)| d);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
        return vec![format!(
            "`{}` is not a hexadecimal digest",
            truncate(candidate)
        )];
    }
    if secret.is_empty() {
        return Vec::new();
    }
    let mut hints = Vec::new();
    let expected = hmac_hex(algorithm, secret.as_bytes(), body);
    if digits != candidate || digits.len() != expected_len {
        if let Some(other) = other_algorithm(algorithm, secret, body, digits) {
            hints.push(format!(
                "the signature is the HMAC-{} of the body: use `{}`",
                other.name().to_uppercase(),
                match_type(other)
            ));
            return hints;
        }
    }
    if digits.len() != expected_len {
        hints.push(format!(
            "the signature has {} hex digits; HMAC-{} has {expected_len}",
            digits.len(),
            algorithm.name().to_uppercase()
        ));
    } else if digits != digits.to_ascii_lowercase() && digits.eq_ignore_ascii_case(&expected) {
        hints.push(
            "the signature is upper-case hex; webhook compares lower-case hex exactly".into(),
        );
    }
    hints
}

fn other_algorithm(
    algorithm: Algorithm,
    secret: &str,
    body: &[u8],
    digits: &str,
) -> Option<Algorithm> {
    let digits = digits.to_ascii_lowercase();
    ALGORITHMS
        .into_iter()
        .filter(|&a| a != algorithm)
        .find(|&a| hmac_hex(a, secret.as_bytes(), body) == digits)
}

fn match_type(algorithm: Algorithm) -> String {
    format!("payload-hmac-{}", algorithm.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"a": "z"}"#;
    const SHA1: &str = "b17e04cbb22afa8ffbff8796fc1894ed27badd9e";
    const SHA256: &str = "f417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89";

    #[test]
    fn upstream_reference_vectors() {
        let key = b"secret";
        assert_eq!(hmac_hex(Algorithm::Sha1, key, BODY), SHA1);
        assert_eq!(hmac_hex(Algorithm::Sha256, key, BODY), SHA256);
        assert_eq!(
            hmac_hex(Algorithm::Sha512, key, BODY),
            "4ab17cc8ec668ead8bf498f87f8f32848c04d5ca3c9bcfcd3db9363f0deb44e5\
             80b329502a7fdff633d4d8fca301cc5c94a55a2fec458c675fb0ff2655898324"
        );
        assert_eq!(
            hmac_hex(Algorithm::Sha1, key, b""),
            "25af6174a0fcecc4d346680a72b7ce644b9a88e8"
        );
        assert_eq!(
            hmac_hex(Algorithm::Sha256, key, b""),
            "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169"
        );
        assert_eq!(
            hmac_hex(Algorithm::Sha512, key, b""),
            "b0e9650c5faf9cd8ae02276671545424104589b3656731ec193b25d01b07561c\
             27637c2d4d68389d6cf5007a8632c26ec89ba80a01c77a6cdd389ec28db43901"
        );
    }

    #[test]
    fn candidates_follow_webhook() {
        assert_eq!(candidates("sha1=ab", "sha1="), ["ab"]);
        assert_eq!(candidates("ab", "sha1="), ["ab"]);
        assert_eq!(candidates("sha1=x,sha1=y", "sha1="), ["x", "y"]);
        assert_eq!(candidates("sha1=x, sha1=y,z", "sha1="), ["x"]);
        assert!(candidates("a,b", "sha1=").is_empty());
    }

    #[test]
    fn checks_like_webhook() {
        let check = |sig: &str| check_hmac(Algorithm::Sha1, "secret", BODY, sig);
        assert!(check(SHA1).is_ok());
        assert!(check(&format!("sha1={SHA1}")).is_ok());
        assert!(check(&format!("sha1=bad,sha1={SHA1}")).is_ok());
        let spaced = check(&format!("sha1=bad, sha1={SHA1}")).unwrap_err();
        assert_eq!(spaced.to_string(), "invalid payload signatures [bad]");
        assert!(check(&format!("SHA1={SHA1}")).is_err());
        assert!(check(&SHA1.to_uppercase()).is_err());
        assert_eq!(
            check("").unwrap_err().to_string(),
            "invalid payload signatures []"
        );
        let empty = check_hmac(Algorithm::Sha1, "secret", b"", "x").unwrap_err();
        assert_eq!(
            empty.to_string(),
            "invalid payload signatures [x] on empty payload"
        );
        let no_secret = check_hmac(Algorithm::Sha1, "", BODY, SHA1).unwrap_err();
        assert_eq!(
            no_secret.to_string(),
            "signature validation secret can not be empty"
        );
        assert_eq!(
            check_hmac(Algorithm::Sha256, "secret", BODY, "a,b")
                .unwrap_err()
                .to_string(),
            "invalid payload signatures []"
        );
    }

    #[test]
    fn diagnoses_common_mistakes() {
        let d = |alg, sig: &str| diagnose(alg, "secret", BODY, sig, false).join("\n");
        assert!(d(Algorithm::Sha256, &format!("sha1={SHA1}")).contains("starts with `sha1=`"));
        assert!(d(Algorithm::Sha256, &format!("sha1={SHA1}")).contains("use `payload-hmac-sha1`"));
        assert!(d(Algorithm::Sha1, &SHA1.to_uppercase()).contains("upper-case hex"));
        assert!(d(Algorithm::Sha1, &format!("SHA1={SHA1}")).contains("not lower case"));
        let spaced = d(Algorithm::Sha1, &format!("sha1=x, sha1={SHA1}"));
        assert!(spaced.contains("starts with a space"));
        assert!(d(Algorithm::Sha1, "zz").contains("not a hexadecimal digest"));
        assert!(
            d(Algorithm::Sha1, &"0".repeat(40)).contains("does not match the HMAC-SHA1 of the 10")
        );
        let all = d(Algorithm::Sha1, &format!("sha256={SHA256}"));
        assert!(!all.contains(SHA1) && !all.contains("secret"));
        assert!(diagnose(Algorithm::Sha1, "s", b"", "x", true)[0].contains("multipart"));
    }

    #[test]
    fn truncates_for_display() {
        assert_eq!(truncate(&format!("sha256={SHA256}")), "sha256=f417af3…");
        assert_eq!(truncate(SHA1), "b17e04c…");
        assert_eq!(
            truncate("sha1=abc,sha1=0123456789"),
            "sha1=abc,sha1=0123456…"
        );
        assert_eq!(truncate(""), "\"\"");
    }
}
