//! Checking a signature someone else computed against the payload, the way webhook
//! checks it, and naming the likely cause when it does not match.
//!
//! The engine's diagnosis (`rules::signature::diagnose`) covers what can be read from the
//! signature text alone: another algorithm, upper-case hex, a missing or foreign prefix.
//! This module adds what needs the payload and the secret: the same signature over a
//! slightly different body (a final line break, re-serialised JSON, a form wrapping) or a
//! slightly different secret (a final line break). The expected value is never shown.

use std::borrow::Cow;
use std::io;

use subtle::ConstantTimeEq;

use crate::rules::signature::{check_hmac, diagnose};

use super::scheme::{Encoding, Key, MacJob, Plan, Planned};
use super::stream::{digest_bytes, shape_body, BodyShape};

/// The engine's closing hint when it found nothing specific; dropped when we do.
const GENERIC_HINT: &str = "the signature is well formed but does not match";

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The indices of the plan's signatures that accept the text.
    pub accepted_by: Vec<usize>,
    /// Likely causes of the mismatch; empty when a signature accepts the text.
    pub hints: Vec<String>,
}

/// The payload as it was signed.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    pub payload: &'a [u8],
    pub shape: BodyShape,
    /// webhook reads the request as multipart, so it signs zero bytes.
    pub is_multipart: bool,
}

impl Signed<'_> {
    fn body(&self) -> Cow<'_, [u8]> {
        if self.is_multipart {
            return Cow::Borrowed(b"");
        }
        shape_body(self.payload, self.shape)
    }
}

/// Checks `given` against every signature of `plan`.
pub fn verify(plan: &Plan, signed: Signed, given: &str) -> Verdict {
    let body = signed.body();
    let accepted_by: Vec<usize> = plan
        .signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| accepts(s, &s.job.key, &body, given))
        .map(|(i, _)| i)
        .collect();
    if !accepted_by.is_empty() {
        return Verdict {
            accepted_by,
            hints: Vec::new(),
        };
    }

    // Diagnose against the signatures the text seems meant for, by prefix.
    let meant: Vec<&Planned> = plan
        .signatures
        .iter()
        .filter(|s| {
            matches!(s.encoding, Encoding::Hex { .. })
                && given.starts_with(s.job.algorithm.prefix())
        })
        .collect();
    let meant = if meant.is_empty() {
        plan.signatures.iter().collect()
    } else {
        meant
    };
    let mut hints = Vec::new();
    for s in &meant {
        for hint in hints_for(s, signed, &body, given) {
            let hint = if meant.len() > 1 {
                format!("{} ({}): {hint}", s.scheme, s.placement.name())
            } else {
                hint
            };
            if !hints.contains(&hint) {
                hints.push(hint);
            }
        }
    }
    Verdict {
        accepted_by: Vec::new(),
        hints,
    }
}

/// Whether `given` is accepted for `s` over `body` with `key`, as webhook would decide
/// for its match types (prefix stripping, comma lists) and exactly for the others.
fn accepts(s: &Planned, key: &Key, body: &[u8], given: &str) -> bool {
    let job = MacJob {
        key: key.clone(),
        ..s.job.clone()
    };
    if let (Encoding::Hex { .. }, true, Some(secret)) =
        (s.encoding, job.is_body_only(), key.as_text())
    {
        return check_hmac(job.algorithm, secret, body, given).is_ok();
    }
    let mac = digest_bytes(body, std::slice::from_ref(&job))
        .macs
        .remove(0);
    let expected = s.encoding.render(job.algorithm, &mac);
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

fn hints_for(s: &Planned, signed: Signed, body: &[u8], given: &str) -> Vec<String> {
    let key = &s.job.key;
    let mut specific = Vec::new();
    body_variants(signed, |why, variant| {
        if accepts(s, key, variant, given) {
            specific.push(why);
        }
    });
    for (why, variant) in key_variants(key) {
        if accepts(s, &variant, body, given) {
            specific.push(why.to_string());
        }
    }
    specific.extend(text_hints(s, key, body, given));

    let mut hints = match (s.encoding, s.job.is_body_only(), key.as_text()) {
        (Encoding::Hex { .. }, true, Some(secret)) => {
            diagnose(s.job.algorithm, secret, body, given, signed.is_multipart)
        }
        _ => Vec::new(),
    };
    if !specific.is_empty() {
        hints.retain(|h| !h.starts_with(GENERIC_HINT));
    }
    hints.extend(specific);
    if hints.is_empty() {
        hints.push(format!(
            "the text does not match the {} signature of the {}-byte body: the secret differs \
             from the sender's, or the body changed on the way",
            s.scheme,
            body.len()
        ));
    }
    hints
}

/// Shows `visit` each body a sender may have signed instead of this one, with what it
/// would mean. One variant is in memory at a time.
fn body_variants(signed: Signed, mut visit: impl FnMut(String, &[u8])) {
    let payload = signed.payload;
    if signed.is_multipart {
        let why = "the signature covers the multipart body, but webhook signs zero bytes for a \
                   multipart request, so no signature of the body can match there";
        visit(why.into(), payload);
        return;
    }
    let mut shaped = |why: String, p: &[u8]| visit(why, &shape_body(p, signed.shape));
    if let Some(trimmed) = payload
        .strip_suffix(b"\r\n")
        .or_else(|| payload.strip_suffix(b"\n"))
    {
        let why = "the signature matches the payload without its final line break: the file \
                   ends with one that the sender did not sign (editors add one; sign the exact \
                   bytes that are sent)";
        shaped(why.into(), trimmed);
    }
    let mut added = payload.to_vec();
    added.push(b'\n');
    let why = "the signature matches the payload with a line break added at the end: the \
               sender signed a final line break that this file lacks";
    shaped(why.into(), &added);
    drop(added);
    json_forms(payload, |style, json| {
        let why = format!(
            "the signature matches the same JSON written {style}: the body was re-serialised \
             between the sender and this file; sign and send the exact bytes"
        );
        shaped(why, json);
    });
    let (why, other) = match signed.shape {
        BodyShape::Raw => (
            "the signature covers `payload=` and the URL-encoded payload, as GitHub's form \
             deliveries send it: sign with --form",
            BodyShape::Form,
        ),
        BodyShape::Form => (
            "the signature covers the payload itself, not its form encoding: sign without --form",
            BodyShape::Raw,
        ),
    };
    visit(why.into(), &shape_body(payload, other));
}

/// Writes a JSON value in one style.
type WriteJson = fn(&serde_json::Value) -> Vec<u8>;

/// Shows `visit` the payload re-serialised the common ways, each with and without a final
/// line break, if it is JSON and differs (key order and number texts are kept as written).
fn json_forms(payload: &[u8], mut visit: impl FnMut(&str, &[u8])) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(payload) else {
        return;
    };
    let styles: [(&str, WriteJson); 4] = [
        ("compactly (no spaces)", |v| {
            serde_json::to_vec(v).unwrap_or_default()
        }),
        ("pretty-printed", |v| {
            serde_json::to_vec_pretty(v).unwrap_or_default()
        }),
        ("pretty-printed with four spaces", |v| {
            write_json(v, serde_json::ser::PrettyFormatter::with_indent(b"    "))
        }),
        ("on one line with spaces after `,` and `:`", |v| {
            write_json(v, SpacedFormatter)
        }),
    ];
    for (style, write) in styles {
        let mut json = write(&value);
        if json != payload {
            visit(style, &json);
        }
        json.push(b'\n');
        if json != payload {
            visit(style, &json);
        }
    }
}

fn write_json(value: &serde_json::Value, formatter: impl serde_json::ser::Formatter) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    let _ = serde::Serialize::serialize(value, &mut ser);
    out
}

/// One line, `", "` and `": "` separators: Python's `json.dumps` default.
struct SpacedFormatter;

impl serde_json::ser::Formatter for SpacedFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

/// Keys a sender may have used instead of this one.
fn key_variants(key: &Key) -> Vec<(&'static str, Key)> {
    let bytes = key.expose();
    let mut variants = Vec::new();
    let mut with_newline = bytes.to_vec();
    with_newline.push(b'\n');
    variants.push((
        "the signature was made with the secret followed by a line break: the sender's copy \
         of the secret ends with one (saved with `echo` or an editor)",
        Key::new(with_newline),
    ));
    let trimmed = bytes.trim_ascii_end();
    if trimmed.len() != bytes.len() {
        variants.push((
            "the signature was made with the secret without its trailing white space: this \
             copy of the secret ends with a line break or spaces that the sender's lacks",
            Key::new(trimmed.to_vec()),
        ));
    }
    variants
}

/// Mistakes in how the text is written, for what the engine's diagnosis does not cover.
fn text_hints(s: &Planned, key: &Key, body: &[u8], given: &str) -> Vec<String> {
    let mut hints = Vec::new();
    let prefix = s.job.algorithm.prefix();
    if let Encoding::Hex { .. } = s.encoding {
        if let Some(once) = given.strip_prefix(prefix).filter(|g| g.starts_with(prefix)) {
            if accepts(s, key, body, once) {
                hints.push(format!(
                    "the signature carries `{prefix}` twice; send it once"
                ));
            }
        }
    }
    let webhook_reads_it = matches!(s.encoding, Encoding::Hex { .. }) && s.job.is_body_only();
    if webhook_reads_it {
        return hints;
    }
    if given != given.to_ascii_lowercase() && accepts(s, key, body, &given.to_ascii_lowercase()) {
        hints.push(format!(
            "the signature is upper-case hex; {} compares lower-case hex exactly",
            s.scheme
        ));
    }
    for foreign in ["sha1=", "sha256=", "sha512="] {
        if let Some(rest) = given.strip_prefix(foreign) {
            if accepts(s, key, body, rest) {
                hints.push(format!(
                    "remove the `{foreign}` prefix: {} compares the value exactly",
                    s.scheme
                ));
            }
        }
    }
    if s.encoding == Encoding::SlackV0 && accepts(s, key, body, &format!("v0={given}")) {
        hints.push("add the `v0=` prefix Slack sends".into());
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::Algorithm;
    use crate::sign::scheme::{plain_plan, provider_plan, Moment, Provider};

    const SECRET: &str = "It's a Secret to Everybody";
    const HELLO_256: &str =
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    fn raw(payload: &[u8]) -> Signed<'_> {
        Signed {
            payload,
            shape: BodyShape::Raw,
            is_multipart: false,
        }
    }

    fn check(payload: &[u8], given: &str) -> Verdict {
        verify(
            &plain_plan(Algorithm::Sha256, None, true, SECRET),
            raw(payload),
            given,
        )
    }

    fn hints(payload: &[u8], given: &str) -> String {
        let verdict = check(payload, given);
        assert!(verdict.accepted_by.is_empty());
        verdict.hints.join("\n")
    }

    #[test]
    fn accepts_what_webhook_accepts() {
        assert_eq!(check(b"Hello, World!", HELLO_256).accepted_by, [0]);
        assert_eq!(check(b"Hello, World!", &HELLO_256[7..]).accepted_by, [0]);
        assert_eq!(
            check(b"Hello, World!", &format!("sha1=x,{HELLO_256}")).accepted_by,
            [0]
        );
    }

    #[test]
    fn names_a_final_line_break_on_either_side() {
        let h = hints(b"Hello, World!\n", HELLO_256);
        assert!(h.contains("without its final line break"), "{h}");
        assert!(!h.contains(GENERIC_HINT), "{h}");
        let h = hints(b"Hello, World", "sha256=whatever");
        assert!(h.contains("not a hexadecimal digest"), "{h}");
    }

    #[test]
    fn names_re_serialised_json() {
        let compact = br#"{"a":"z","n":[1,2.50]}"#;
        let mac = crate::rules::signature::hmac_hex(Algorithm::Sha256, SECRET.as_bytes(), compact);
        let pretty = b"{\n  \"a\": \"z\",\n  \"n\": [\n    1,\n    2.50\n  ]\n}\n";
        let h = hints(pretty, &format!("sha256={mac}"));
        assert!(h.contains("written compactly"), "{h}");
        let spaced = br#"{"a": "z", "n": [1, 2.50]}"#;
        let h = hints(spaced, &format!("sha256={mac}"));
        assert!(h.contains("written compactly"), "{h}");
    }

    #[test]
    fn names_a_secret_with_a_line_break() {
        let mac = crate::rules::signature::hmac_hex(
            Algorithm::Sha256,
            format!("{SECRET}\n").as_bytes(),
            b"Hello, World!",
        );
        let h = hints(b"Hello, World!", &mac);
        assert!(h.contains("secret followed by a line break"), "{h}");
        assert!(!h.contains(SECRET));
    }

    #[test]
    fn names_other_algorithms_case_and_prefixes() {
        let sha1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";
        assert!(hints(b"Hello, World!", sha1).contains("use `payload-hmac-sha1`"));
        let upper = format!("sha256={}", HELLO_256[7..].to_uppercase());
        assert!(hints(b"Hello, World!", &upper).contains("upper-case hex"));
        let twice = format!("sha256={HELLO_256}");
        assert!(hints(b"Hello, World!", &twice).contains("carries `sha256=` twice"));
        let form = hints(b"Hello, World!", "sha256=0000");
        assert!(form.contains("hex digits"), "{form}");
    }

    #[test]
    fn names_a_form_wrapping() {
        let body = shape_body(b"{\"a\": 1}", BodyShape::Form);
        let mac = crate::rules::signature::hmac_hex(Algorithm::Sha256, SECRET.as_bytes(), &body);
        assert!(hints(b"{\"a\": 1}", &mac).contains("sign with --form"));
    }

    #[test]
    fn checks_schemes_webhook_cannot_check() {
        let at = Moment {
            date: String::new(),
            timestamp: 1_531_420_618,
            webhook_id: String::new(),
        };
        let plan = provider_plan(Provider::Slack, "8f742231b10e8888abcd99yyyzzz85a5", &at).unwrap();
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&\
            team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&\
            user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&\
            response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F\
            397700885554%2F96rGlfmibIGlgcZRskXaIFfN&\
            trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let published = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        assert_eq!(verify(&plan, raw(body), published).accepted_by, [0]);
        let bare = verify(&plan, raw(body), &published[3..]);
        assert!(bare.hints.join("\n").contains("add the `v0=` prefix"));
    }
}
