//! The hook file model: every field webhook 2.8 reads, each with the place it came from.
//!
//! Values hold what webhook would see after its YAML 1.1 reading and conversions (so
//! `id: y` is the id `true`). Absent fields are `None`; the accessors return webhook's
//! defaults (`""`, `false`, `0`) so the engine never has to repeat them.

use std::fmt;

use super::positions::Span;

/// A value together with where it was written and its JSON pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub span: Span,
    pub pointer: String,
}

/// One loaded hook file.
#[derive(Debug, Clone)]
pub struct HookFile {
    /// The path as the user gave it (`-` for standard input).
    pub path: String,
    pub text: String,
    /// Whether the text is strict JSON, or needed webhook's YAML reader.
    pub reader: super::parse::Reader,
    pub hooks: Vec<Hook>,
}

/// One entry of a hook file.
#[derive(Debug, Clone, Default)]
pub struct Hook {
    pub span: Span,
    pub pointer: String,
    pub id: Option<Field<String>>,
    pub execute_command: Option<Field<String>>,
    pub command_working_directory: Option<Field<String>>,
    pub response_message: Option<Field<String>>,
    pub response_headers: Vec<ResponseHeader>,
    pub include_command_output_in_response: Option<Field<bool>>,
    pub include_command_output_in_response_on_error: Option<Field<bool>>,
    pub pass_arguments_to_command: Vec<Parameter>,
    pub pass_environment_to_command: Vec<Parameter>,
    pub pass_file_to_command: Vec<Parameter>,
    pub parse_parameters_as_json: Vec<Parameter>,
    pub trigger_rule: Option<TriggerRule>,
    pub trigger_rule_mismatch_http_response_code: Option<Field<i64>>,
    pub trigger_signature_soft_failures: Option<Field<bool>>,
    pub incoming_payload_content_type: Option<Field<String>>,
    pub success_http_response_code: Option<Field<i64>>,
    pub http_methods: Vec<Field<String>>,
    /// hookctl's own `x-hookctl-allow` key (webhook ignores it): lint rules suppressed
    /// for this hook.
    pub lint_allow: Vec<Field<String>>,
    /// The entry is `null` (reported as such): webhook loads it as an empty hook, and
    /// nothing else about it needs reporting.
    pub null: bool,
    /// Keys that are present but hold a type webhook cannot decode (already reported as a
    /// type error), so that checks for a missing value leave them alone.
    pub mistyped: Vec<&'static str>,
}

fn text(field: &Option<Field<String>>) -> &str {
    field.as_ref().map_or("", |f| f.value.as_str())
}

fn flag(field: &Option<Field<bool>>) -> bool {
    field.as_ref().is_some_and(|f| f.value)
}

fn number(field: &Option<Field<i64>>) -> i64 {
    field.as_ref().map_or(0, |f| f.value)
}

impl Hook {
    pub fn id(&self) -> &str {
        text(&self.id)
    }
    pub fn execute_command(&self) -> &str {
        text(&self.execute_command)
    }
    pub fn command_working_directory(&self) -> &str {
        text(&self.command_working_directory)
    }
    pub fn response_message(&self) -> &str {
        text(&self.response_message)
    }
    pub fn incoming_payload_content_type(&self) -> &str {
        text(&self.incoming_payload_content_type)
    }
    pub fn captures_output(&self) -> bool {
        flag(&self.include_command_output_in_response)
    }
    pub fn captures_output_on_error(&self) -> bool {
        flag(&self.include_command_output_in_response_on_error)
    }
    pub fn has_soft_signature_failures(&self) -> bool {
        flag(&self.trigger_signature_soft_failures)
    }
    /// The configured success code; 0 means "not set" (webhook then answers 200).
    pub fn success_code(&self) -> i64 {
        number(&self.success_http_response_code)
    }
    /// The configured mismatch code; 0 means "not set" (webhook then answers 200).
    pub fn mismatch_code(&self) -> i64 {
        number(&self.trigger_rule_mismatch_http_response_code)
    }
}

/// `{"name": ..., "value": ...}` in `response-headers`.
#[derive(Debug, Clone, Default)]
pub struct ResponseHeader {
    pub span: Span,
    pub pointer: String,
    pub name: Option<Field<String>>,
    pub value: Option<Field<String>>,
}

impl ResponseHeader {
    pub fn name(&self) -> &str {
        text(&self.name)
    }
    pub fn value(&self) -> &str {
        text(&self.value)
    }
}

/// A reference to a value in a request (webhook's "Argument"): used in the `pass-*`
/// lists, `parse-parameters-as-json` and a match's `parameter`.
#[derive(Debug, Clone, Default)]
pub struct Parameter {
    pub span: Span,
    pub pointer: String,
    pub source: Option<Field<String>>,
    pub name: Option<Field<String>>,
    pub envname: Option<Field<String>>,
    pub base64decode: Option<Field<bool>>,
    /// Keys that are present but hold a type webhook cannot decode (already reported as a
    /// type error), so that checks for a missing value leave them alone.
    pub mistyped: Vec<&'static str>,
}

impl Parameter {
    /// The source as written (webhook compares it exactly, case-sensitively).
    pub fn source_text(&self) -> &str {
        text(&self.source)
    }
    pub fn source(&self) -> Option<Source> {
        Source::parse(self.source_text())
    }
    pub fn name(&self) -> &str {
        text(&self.name)
    }
    pub fn envname(&self) -> &str {
        text(&self.envname)
    }
    pub fn base64decode(&self) -> bool {
        flag(&self.base64decode)
    }
}

/// Where a parameter is read from. Anything else is an error at request time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Header,
    /// `url`, and its alias `query`.
    Query,
    Payload,
    RawRequestBody,
    Request,
    String,
    EntirePayload,
    EntireHeaders,
    EntireQuery,
}

impl Source {
    /// Every spelling webhook 2.8 accepts, sorted.
    pub const NAMES: [&'static str; 10] = [
        "entire-headers",
        "entire-payload",
        "entire-query",
        "header",
        "payload",
        "query",
        "raw-request-body",
        "request",
        "string",
        "url",
    ];

    pub fn parse(text: &str) -> Option<Source> {
        Some(match text {
            "header" => Source::Header,
            "url" | "query" => Source::Query,
            "payload" => Source::Payload,
            "raw-request-body" => Source::RawRequestBody,
            "request" => Source::Request,
            "string" => Source::String,
            "entire-payload" => Source::EntirePayload,
            "entire-headers" => Source::EntireHeaders,
            "entire-query" => Source::EntireQuery,
            _ => return None,
        })
    }

    /// Whether the source reads the parameter's `name` at all.
    pub fn uses_name(self) -> bool {
        !matches!(
            self,
            Source::RawRequestBody
                | Source::EntirePayload
                | Source::EntireHeaders
                | Source::EntireQuery
        )
    }
}

/// A node of a trigger rule.
#[derive(Debug, Clone)]
pub struct TriggerRule {
    pub span: Span,
    pub pointer: String,
    pub kind: TriggerRuleKind,
}

#[derive(Debug, Clone)]
pub enum TriggerRuleKind {
    And(Vec<TriggerRule>),
    Or(Vec<TriggerRule>),
    Not(Box<TriggerRule>),
    Match(Box<Match>),
    /// An object with none of `and`, `or`, `not`, `match`: webhook evaluates it as false.
    Empty,
}

/// The HMAC hash of a signature match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// The prefix webhook strips from a signature (`sha256=`).
    pub fn prefix(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1=",
            Algorithm::Sha256 => "sha256=",
            Algorithm::Sha512 => "sha512=",
        }
    }
}

/// What a match checks, from its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    Value,
    Regex,
    /// `payload-hmac-*`, or with `deprecated` the `payload-hash-*` aliases.
    Hmac {
        algorithm: Algorithm,
        deprecated: bool,
    },
    IpWhitelist,
    ScalrSignature,
    /// A type webhook does not know: never true.
    Unknown,
}

impl MatchKind {
    /// Every `type` webhook 2.8 knows, sorted.
    pub const NAMES: [&'static str; 10] = [
        "ip-whitelist",
        "payload-hash-sha1",
        "payload-hash-sha256",
        "payload-hash-sha512",
        "payload-hmac-sha1",
        "payload-hmac-sha256",
        "payload-hmac-sha512",
        "regex",
        "scalr-signature",
        "value",
    ];

    pub fn parse(text: &str) -> MatchKind {
        let hmac = |algorithm, deprecated| MatchKind::Hmac {
            algorithm,
            deprecated,
        };
        match text {
            "value" => MatchKind::Value,
            "regex" => MatchKind::Regex,
            "payload-hmac-sha1" => hmac(Algorithm::Sha1, false),
            "payload-hmac-sha256" => hmac(Algorithm::Sha256, false),
            "payload-hmac-sha512" => hmac(Algorithm::Sha512, false),
            "payload-hash-sha1" => hmac(Algorithm::Sha1, true),
            "payload-hash-sha256" => hmac(Algorithm::Sha256, true),
            "payload-hash-sha512" => hmac(Algorithm::Sha512, true),
            "ip-whitelist" => MatchKind::IpWhitelist,
            "scalr-signature" => MatchKind::ScalrSignature,
            _ => MatchKind::Unknown,
        }
    }

    /// Whether webhook reads the match's `parameter` for this type.
    pub fn uses_parameter(self) -> bool {
        !matches!(self, MatchKind::IpWhitelist | MatchKind::ScalrSignature)
    }
}

/// A leaf of a trigger rule.
#[derive(Debug, Clone)]
pub struct Match {
    pub span: Span,
    pub pointer: String,
    pub kind: MatchKind,
    pub type_: Option<Field<String>>,
    pub parameter: Option<Parameter>,
    pub value: Option<Field<String>>,
    pub regex: Option<Field<String>>,
    pub secret: Option<Field<Secret>>,
    pub ip_range: Option<Field<String>>,
    /// Keys that are present but hold a type webhook cannot decode (already reported as a
    /// type error), so that checks for a missing value leave them alone.
    pub mistyped: Vec<&'static str>,
}

impl Match {
    pub fn type_text(&self) -> &str {
        text(&self.type_)
    }
    pub fn value(&self) -> &str {
        text(&self.value)
    }
    pub fn regex(&self) -> &str {
        text(&self.regex)
    }
    pub fn ip_range(&self) -> &str {
        text(&self.ip_range)
    }
    /// Whether this is a `value` match on a parameter named like a credential (a token,
    /// key or password), so its expected value is as secret as an HMAC key.
    pub fn compares_token(&self) -> bool {
        let Some(p) = &self.parameter else {
            return false;
        };
        self.kind == MatchKind::Value && is_credential_name(p.name())
    }

    /// The secret, or `""` when none is set (which webhook refuses at request time).
    pub fn secret(&self) -> &str {
        self.secret.as_ref().map_or("", |f| f.value.expose())
    }
}

/// Whether a parameter name looks like it holds a credential (a token, key or password).
pub fn is_credential_name(name: &str) -> bool {
    const WORDS: [&str; 7] = [
        "token",
        "secret",
        "key",
        "password",
        "auth",
        "signature",
        "sig",
    ];
    let name = name.to_ascii_lowercase();
    WORDS.iter().any(|w| name.contains(w))
}

/// A shared key for signatures. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The secret itself, for computing signatures. Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A form that is safe to show: the length and, for long secrets, the first two
    /// characters.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

/// Masks a secret value for display.
pub fn redact(secret: &str) -> String {
    let count = secret.chars().count();
    if count == 0 {
        return "(empty)".into();
    }
    if count < 12 {
        return format!("({count} characters, hidden)");
    }
    let head: String = secret.chars().take(2).collect();
    format!("{head}… ({count} characters, hidden)")
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}
