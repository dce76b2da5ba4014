//! One function per match type, each returning webhook's `(bool, error)` together with
//! what can safely be shown about it.
//!
//! The parameter is read first for every type except `ip-whitelist` and
//! `scalr-signature`; when reading fails, the match returns that error whatever its
//! type, exactly as webhook does.

use std::time::{SystemTime, UNIX_EPOCH};

use subtle::ConstantTimeEq;

use crate::config::model::{redact, Algorithm, Match, MatchKind, Parameter, Source};
use crate::request::parameter::{describe, extract, ExtractError};
use crate::request::quote::go_quote;
use crate::request::{Context, Value};

use super::signature::{self, hmac_hex, HmacError};
use super::{date, net, regex, suggest, ErrorClass, RuleError};

/// How long a shown value may be before it is cut.
const SHOWN_CHARS: usize = 80;

/// The result of one match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchOutcome {
    pub ok: bool,
    pub error: Option<RuleError>,
    pub parameter: Option<String>,
    pub value: Option<String>,
    pub expected: Option<String>,
    pub diagnosis: Vec<String>,
}

impl MatchOutcome {
    fn fail(mut self, class: ErrorClass, message: String) -> MatchOutcome {
        self.ok = false;
        self.error = Some(RuleError { class, message });
        self
    }
}

/// Evaluates one match; deprecation warnings go to `log`.
pub fn evaluate(
    m: &Match,
    context: &Context,
    now: SystemTime,
    log: &mut Vec<String>,
) -> MatchOutcome {
    match m.kind {
        MatchKind::IpWhitelist => return ip_whitelist(m, context),
        MatchKind::ScalrSignature => return scalr_signature(m, context, now),
        _ => {}
    }
    let absent = Parameter::default();
    let parameter = m.parameter.as_ref().unwrap_or(&absent);
    let outcome = MatchOutcome {
        parameter: Some(describe(parameter)),
        ..MatchOutcome::default()
    };
    let argument = match extract(parameter, context) {
        Ok(argument) => argument,
        Err(error) => return fetch_failure(outcome, parameter, context, error),
    };
    match m.kind {
        MatchKind::Value => value(m, parameter, &argument, outcome),
        MatchKind::Regex => regex(m, parameter, &argument, outcome),
        MatchKind::Hmac {
            algorithm,
            deprecated,
        } => {
            if deprecated {
                log.push(deprecation_warning(algorithm));
            }
            hmac(m, algorithm, &argument, context, outcome)
        }
        _ => unknown(m, parameter, &argument, outcome),
    }
}

/// `value`: the text equals `value`, compared in constant time.
pub fn value(
    m: &Match,
    parameter: &Parameter,
    argument: &str,
    mut out: MatchOutcome,
) -> MatchOutcome {
    out.ok = bool::from(argument.as_bytes().ct_eq(m.value().as_bytes()));
    out.value = Some(shown(parameter, argument));
    out.expected = Some(shown(parameter, m.value()));
    if out.ok {
        return out;
    }
    if argument.trim() == m.value().trim() {
        out.diagnosis
            .push("the texts differ only in surrounding spaces".into());
    } else if argument.eq_ignore_ascii_case(m.value()) {
        out.diagnosis
            .push("the texts differ only in case; webhook compares exactly".into());
    } else if same_number(argument, m.value()) {
        out.diagnosis.push(
            "both are the same number, but webhook compares the number's text as sent".into(),
        );
    }
    out
}

/// `regex`: Go's pattern found anywhere in the text.
pub fn regex(
    m: &Match,
    parameter: &Parameter,
    argument: &str,
    mut out: MatchOutcome,
) -> MatchOutcome {
    out.value = Some(shown(parameter, argument));
    out.expected = Some(m.regex().to_string());
    match regex::compile_cached(m.regex()) {
        Ok(re) => {
            out.ok = re.is_match(argument);
            if !out.ok && !m.regex().starts_with('^') && !m.regex().ends_with('$') {
                out.diagnosis
                    .push("the pattern is searched anywhere in the text".into());
            }
            out
        }
        Err(error) => out.fail(ErrorClass::Other, error),
    }
}

/// `payload-hmac-*` (and the deprecated `payload-hash-*`).
pub fn hmac(
    m: &Match,
    algorithm: Algorithm,
    argument: &str,
    context: &Context,
    mut out: MatchOutcome,
) -> MatchOutcome {
    out.value = Some(signature::truncate(argument));
    let body = &context.raw_body;
    match signature::check_hmac(algorithm, m.secret(), body, argument) {
        Ok(()) => {
            out.ok = true;
            out
        }
        Err(HmacError::EmptySecret) => {
            out.diagnosis.push(
                "the match has no secret; webhook refuses to check a signature without one, \
                 even inside a soft-failing `or`"
                    .into(),
            );
            out.fail(ErrorClass::Other, HmacError::EmptySecret.to_string())
        }
        Err(error) => {
            out.diagnosis.push(format!(
                "checked the HMAC-{} of the raw body ({} bytes) against {}",
                algorithm.name().to_uppercase(),
                body.len(),
                out.parameter.as_deref().unwrap_or("the parameter")
            ));
            let hints =
                signature::diagnose(algorithm, m.secret(), body, argument, context.is_multipart);
            out.diagnosis.extend(hints);
            out.fail(ErrorClass::Signature, error.to_string())
        }
    }
}

/// `ip-whitelist`: the peer address inside one of the ranges.
pub fn ip_whitelist(m: &Match, context: &Context) -> MatchOutcome {
    let mut out = MatchOutcome {
        parameter: Some("peer address".into()),
        value: Some(context.remote_addr.clone()),
        expected: Some(m.ip_range().to_string()),
        ..MatchOutcome::default()
    };
    match net::check_ip_whitelist(&context.remote_addr, m.ip_range()) {
        Ok(check) => {
            out.ok = check.admitted_by.is_some();
            if m.ip_range().trim().is_empty() {
                out.diagnosis
                    .push("the ip-range is empty, so no address is admitted".into());
            }
            for entry in m.ip_range().split_whitespace() {
                if entry.contains(':') && !entry.contains('/') {
                    out.diagnosis.push(format!(
                        "`{entry}` has no prefix length: webhook appends `/32` even to IPv6 \
                         addresses, so it stands for a whole /32 network"
                    ));
                }
            }
            out
        }
        Err(error) => {
            if m.ip_range().contains(',') {
                out.diagnosis
                    .push("separate ranges with spaces; webhook does not split on commas".into());
            }
            out.fail(ErrorClass::Other, error.to_string())
        }
    }
}

/// `scalr-signature`: HMAC-SHA1 of the body and the `Date` header, and a date at most
/// 300 s away from `now`.
pub fn scalr_signature(m: &Match, context: &Context, now: SystemTime) -> MatchOutcome {
    let mut out = MatchOutcome {
        parameter: Some("headers X-Signature and Date".into()),
        ..MatchOutcome::default()
    };
    let (Some(provided), Some(date)) = (
        context.headers.get("X-Signature"),
        context.headers.get("Date"),
    ) else {
        out.diagnosis.push(
            "the request lacks the X-Signature or Date header, so webhook treats the match as \
             not satisfied"
                .into(),
        );
        return out;
    };
    if m.secret().is_empty() {
        return out.fail(
            ErrorClass::Other,
            "signature validation signing key can not be empty".into(),
        );
    }
    let (Value::String(provided), Value::String(date)) = (provided, date) else {
        let message = "interface conversion: interface {} is map[string]interface {}, not string";
        return out.fail(ErrorClass::Panic, message.into());
    };
    out.value = Some(format!(
        "X-Signature {}, Date {}",
        signature::truncate(provided),
        go_quote(date)
    ));
    let mut message = context.raw_body.clone();
    message.extend_from_slice(date.as_bytes());
    let expected = hmac_hex(Algorithm::Sha1, m.secret().as_bytes(), &message);
    if !bool::from(provided.as_bytes().ct_eq(expected.as_bytes())) {
        out.diagnosis
            .extend(scalr_hints(m, context, provided, &expected));
        return out.fail(
            ErrorClass::Signature,
            format!("invalid payload signature {provided}"),
        );
    }
    let instant = match date::parse(date) {
        Ok(instant) => instant,
        Err(error) => {
            out.diagnosis.push(format!(
                "webhook reads the Date with the layout `{}`",
                date::LAYOUT
            ));
            return out.fail(ErrorClass::Other, error);
        }
    };
    let delta =
        seconds_since_epoch(now) - (instant.seconds as f64 + f64::from(instant.nanos) / 1e9);
    if delta.abs() > 300.0 {
        let when = if delta > 0.0 { "old" } else { "ahead" };
        out.diagnosis.push(format!(
            "the Date is {:.0} s {when}; webhook allows 300 s either way",
            delta.abs()
        ));
        return out.fail(
            ErrorClass::Signature,
            "invalid payload signature outdated".into(),
        );
    }
    out.ok = true;
    out
}

fn scalr_hints(m: &Match, context: &Context, provided: &str, expected: &str) -> Vec<String> {
    if provided != provided.to_ascii_lowercase() && provided.eq_ignore_ascii_case(expected) {
        return vec![
            "the signature is upper-case hex; webhook compares lower-case hex exactly".into(),
        ];
    }
    let body_only = hmac_hex(Algorithm::Sha1, m.secret().as_bytes(), &context.raw_body);
    if provided.eq_ignore_ascii_case(&body_only) {
        return vec![
            "the signature covers the body only; Scalr signs the body followed by the \
                     Date header value"
                .into(),
        ];
    }
    vec![format!(
        "the signature does not match the HMAC-SHA1 of the body ({} bytes) and the Date",
        context.raw_body.len()
    )]
}

/// A type webhook does not know: never true, but the parameter is still read.
pub fn unknown(
    m: &Match,
    parameter: &Parameter,
    argument: &str,
    mut out: MatchOutcome,
) -> MatchOutcome {
    out.value = Some(shown(parameter, argument));
    out.diagnosis.push(format!(
        "match type `{}` is not one webhook knows, so this match is never true",
        m.type_text()
    ));
    out
}

fn fetch_failure(
    mut out: MatchOutcome,
    parameter: &Parameter,
    context: &Context,
    error: ExtractError,
) -> MatchOutcome {
    let class = match &error {
        ExtractError::NotFound(remaining) => {
            out.diagnosis = suggest::missing_hints(parameter, context, remaining);
            ErrorClass::Missing
        }
        ExtractError::IndexPanic { .. } => ErrorClass::Panic,
        ExtractError::NoParameters => {
            out.diagnosis.push(
                "a value on the path is null; webhook reports `no parameters`, which is an \
                 error (500), not a missing value"
                    .into(),
            );
            ErrorClass::Other
        }
        ExtractError::NoSource => {
            out.diagnosis.push(format!(
                "`source` must be one of {}",
                Source::NAMES.map(|n| format!("`{n}`")).join(", ")
            ));
            ErrorClass::Other
        }
        ExtractError::UnsupportedRequestKey(_) => {
            out.diagnosis
                .push("a `request` parameter reads `method` or `remote-addr`".into());
            ErrorClass::Other
        }
    };
    out.fail(class, error.to_string())
}

fn deprecation_warning(algorithm: Algorithm) -> String {
    let name = algorithm.name();
    let separator = if algorithm == Algorithm::Sha1 {
        ';'
    } else {
        ':'
    };
    format!(
        "warn: use of deprecated option payload-hash-{name}{separator} \
         use payload-hmac-{name} instead"
    )
}

/// A value as it may be shown: quoted and cut, or masked when the parameter's name
/// suggests a credential.
pub fn shown(parameter: &Parameter, value: &str) -> String {
    if is_sensitive(parameter.name()) {
        return redact(value);
    }
    let mut text: String = value.chars().take(SHOWN_CHARS).collect();
    if value.chars().count() > SHOWN_CHARS {
        text.push('…');
    }
    go_quote(&text)
}

/// Whether a parameter name looks like it holds a credential.
pub fn is_sensitive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "signature",
        "password",
        "passwd",
        "auth",
        "key",
        "cookie",
    ]
    .iter()
    .any(|word| name.contains(word))
}

fn same_number(a: &str, b: &str) -> bool {
    matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

fn seconds_since_epoch(now: SystemTime) -> f64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(e) => -e.duration().as_secs_f64(),
    }
}
