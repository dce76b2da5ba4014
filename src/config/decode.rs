//! Turn the parsed [`Node`] tree into the hook model, the way webhook's loader reads it.
//!
//! webhook matches keys case-insensitively, ignores unknown keys, converts scalars given
//! for string fields into text and rejects the whole file on any other type mismatch.
//! This module reproduces that reading and reports, as diagnostics, every place where the
//! file relies on it: unknown or misspelt keys, keys that only match by case, duplicate
//! keys, retyped scalars and type errors.

use super::checks;
use super::model::{
    is_credential_name, Field, Hook, Match, MatchKind, Parameter, ResponseHeader, Secret,
    TriggerRule, TriggerRuleKind,
};
use super::node::{Entry, Node, NodeValue, Scalar};
use super::positions::Span;
use super::suggest::closest;
use super::yaml11::{resolve, Resolved};
use crate::diagnostic::Diagnostic;

/// The keys webhook reads in a hook object, in lower case. These lists are the model's
/// vocabulary: the schema test checks that `schema/hooks.schema.json` documents exactly
/// these keys at each level.
pub const HOOK_KEYS: &[&str] = &[
    "id",
    "execute-command",
    "command-working-directory",
    "response-message",
    "response-headers",
    "include-command-output-in-response",
    "include-command-output-in-response-on-error",
    "pass-arguments-to-command",
    "pass-environment-to-command",
    "pass-file-to-command",
    "parse-parameters-as-json",
    "trigger-rule",
    "trigger-rule-mismatch-http-response-code",
    "trigger-signature-soft-failures",
    "incoming-payload-content-type",
    "success-http-response-code",
    "http-methods",
];
/// Keys of hookctl's own that webhook ignores and the validator accepts.
pub const ALLOW_KEY: &str = "x-hookctl-allow";
/// The keys of a parameter (webhook's argument) object.
pub const PARAMETER_KEYS: &[&str] = &["source", "name", "envname", "base64decode"];
/// The keys of a `response-headers` entry.
pub const HEADER_KEYS: &[&str] = &["name", "value"];
/// The operators of a trigger rule object, in the order webhook tries them.
pub const RULE_KEYS: &[&str] = &["and", "or", "not", "match"];
/// The keys of a match object.
pub const MATCH_KEYS: &[&str] = &["type", "regex", "secret", "value", "parameter", "ip-range"];

/// Every key webhook reads, at any level, for suggestions.
pub fn all_known_keys() -> impl Iterator<Item = &'static str> {
    HOOK_KEYS
        .iter()
        .chain(PARAMETER_KEYS)
        .chain(HEADER_KEYS)
        .chain(RULE_KEYS)
        .chain(MATCH_KEYS)
        .copied()
}

/// The hooks webhook would load from a tree, and what the reading relied on.
#[derive(Debug, Default)]
pub struct Decoded {
    pub hooks: Vec<Hook>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes the root of a hook file (`None` for an empty file).
pub fn decode(root: Option<&Node>) -> Decoded {
    let mut decoder = Decoder::default();
    let hooks = match root {
        Some(node) => decoder.hook_list(node),
        None => Vec::new(),
    };
    Decoded {
        hooks,
        diagnostics: decoder.diagnostics,
    }
}

/// Appends one RFC 6901 token to a JSON pointer.
pub fn pointer_join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    if token.contains(['~', '/']) {
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        out.push_str(token);
    }
    out
}

#[derive(Default)]
struct Decoder {
    diagnostics: Vec<Diagnostic>,
}

/// The entries of one object that webhook assigns to its known fields.
struct Fields<'n> {
    /// Field name, the entry webhook assigns to it, and the entry's JSON pointer.
    chosen: Vec<(&'static str, &'n Entry, String)>,
}

impl<'n> Fields<'n> {
    fn entry(&self, key: &str) -> Option<&(&'static str, &'n Entry, String)> {
        self.chosen.iter().find(|(name, _, _)| *name == key)
    }

    fn get(&self, key: &str) -> Option<(&'n Node, &str)> {
        self.entry(key).map(|(_, e, p)| (&e.value, p.as_str()))
    }

    /// The entry if present and not `null`, which webhook treats as absent.
    fn present(&self, key: &str) -> Option<(&'n Node, &str)> {
        self.get(key).filter(|(n, _)| !is_null(n))
    }

    fn key_span(&self, key: &str) -> Option<Span> {
        self.entry(key).map(|(_, e, _)| e.key.span)
    }

    /// The keys of `decoded` that are present and not `null`, yet gave no value: their
    /// type was wrong, which has been reported already.
    fn mistyped(&self, decoded: &[(&'static str, bool)]) -> Vec<&'static str> {
        decoded
            .iter()
            .filter(|(key, ok)| !ok && self.present(key).is_some())
            .map(|(key, _)| *key)
            .collect()
    }
}

/// What a type error is about: the value of a key, or one entry of the list under a key.
#[derive(Debug, Clone, Copy)]
enum Subject<'a> {
    Key(&'a str),
    EntryOf(&'a str),
}

impl Subject<'_> {
    fn describe(self) -> String {
        match self {
            Subject::Key(key) => format!("`{key}`"),
            Subject::EntryOf(key) => format!("each entry of `{key}`"),
        }
    }
}

fn is_null(node: &Node) -> bool {
    matches!(&node.value, NodeValue::Scalar(s) if resolve(s) == Resolved::Null)
}

impl Decoder {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn hook_list(&mut self, root: &Node) -> Vec<Hook> {
        match &root.value {
            NodeValue::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.hook(item, &format!("/{i}")))
                .collect(),
            _ if is_null(root) => Vec::new(),
            _ => {
                let d = Diagnostic::new(
                    checks::TOP_LEVEL_NOT_LIST,
                    root.span,
                    "",
                    format!(
                        "the file holds {}, but webhook expects a list of hooks",
                        root.kind_name()
                    ),
                )
                .with_help(match &root.value {
                    NodeValue::Map(_) => {
                        "wrap the hook in a list: `[ {...} ]` in JSON, or start \
                                          it with `- ` in YAML"
                    }
                    _ => "write the hooks as a list of objects",
                });
                self.push(d);
                Vec::new()
            }
        }
    }

    fn hook(&mut self, node: &Node, pointer: &str) -> Option<Hook> {
        let entries = match &node.value {
            NodeValue::Map(entries) => entries,
            _ if is_null(node) => {
                let msg = "this entry is `null`; webhook loads it as a hook with no id and \
                           no command";
                let d = Diagnostic::new(checks::NULL_HOOK, node.span, pointer, msg)
                    .with_help("remove the empty entry (a lone `-` in YAML, or `null` in JSON)");
                self.push(d);
                return Some(Hook {
                    span: node.span,
                    pointer: pointer.into(),
                    null: true,
                    ..Hook::default()
                });
            }
            _ => {
                let msg = format!("a hook must be an object, found {}", node.kind_name());
                let help = match &node.value {
                    NodeValue::Seq(_) => {
                        "remove the extra list level: each hook is an object directly in the \
                         top-level list"
                    }
                    _ => "write the hook as an object with at least `id` and `execute-command`",
                };
                let d = Diagnostic::new(checks::HOOK_NOT_OBJECT, node.span, pointer, msg)
                    .with_note(None, "webhook refuses to load the whole file")
                    .with_help(help);
                self.push(d);
                return None;
            }
        };
        let f = self.fields(entries, pointer, HOOK_KEYS);
        let hook = Hook {
            span: node.span,
            pointer: pointer.into(),
            id: self.string(&f, "id"),
            execute_command: self.string(&f, "execute-command"),
            command_working_directory: self.string(&f, "command-working-directory"),
            response_message: self.string(&f, "response-message"),
            response_headers: self.list(&f, "response-headers", Self::response_header),
            include_command_output_in_response: self
                .boolean(&f, "include-command-output-in-response"),
            include_command_output_in_response_on_error: self
                .boolean(&f, "include-command-output-in-response-on-error"),
            pass_arguments_to_command: self.list(&f, "pass-arguments-to-command", Self::parameter),
            pass_environment_to_command: self.list(
                &f,
                "pass-environment-to-command",
                Self::parameter,
            ),
            pass_file_to_command: self.list(&f, "pass-file-to-command", Self::parameter),
            parse_parameters_as_json: self.list(&f, "parse-parameters-as-json", Self::parameter),
            trigger_rule: self.trigger_rule_field(&f),
            trigger_rule_mismatch_http_response_code: self
                .integer(&f, "trigger-rule-mismatch-http-response-code"),
            trigger_signature_soft_failures: self.boolean(&f, "trigger-signature-soft-failures"),
            incoming_payload_content_type: self.string(&f, "incoming-payload-content-type"),
            success_http_response_code: self.integer(&f, "success-http-response-code"),
            http_methods: self.list(&f, "http-methods", Self::string_node),
            mistyped: Vec::new(),
            null: false,
            lint_allow: self.lint_allow(entries, pointer),
        };
        let mistyped = f.mistyped(&[
            ("id", hook.id.is_some()),
            ("execute-command", hook.execute_command.is_some()),
        ]);
        Some(Hook { mistyped, ..hook })
    }

    /// Assigns entries to known keys as encoding/json does (ignoring case; of several
    /// spellings the one sorting last byte-wise wins, of exact repeats the last), and
    /// reports unknown, misspelt, case-mismatched and duplicate keys.
    fn fields<'n>(
        &mut self,
        entries: &'n [Entry],
        pointer: &str,
        known: &[&'static str],
    ) -> Fields<'n> {
        let mut groups: Vec<Vec<&'n Entry>> = vec![Vec::new(); known.len()];
        for entry in entries {
            let key = entry.key.key_text().unwrap_or("");
            match known.iter().position(|k| k.eq_ignore_ascii_case(key)) {
                Some(i) => groups[i].push(entry),
                None => self.unknown_key(entry, key, pointer, known),
            }
        }
        let mut chosen = Vec::with_capacity(entries.len());
        for (name, group) in known.iter().zip(groups).filter(|(_, g)| !g.is_empty()) {
            let winner = winning_entry(&group);
            let key = winner.key.key_text().unwrap_or("");
            self.report_losers(&group, winner, pointer);
            if key != *name {
                let msg = format!("key `{key}` matches `{name}` only because webhook ignores case");
                let d = Diagnostic::new(checks::KEY_CASE_MISMATCH, winner.key.span, pointer, msg)
                    .with_help(format!("write it as `{name}`, as other tools expect"));
                self.push(d);
            }
            chosen.push((*name, winner, pointer_join(pointer, key)));
        }
        Fields { chosen }
    }

    /// The rule names in `x-hookctl-allow`, a list of strings (or one string).
    fn lint_allow(&mut self, entries: &[Entry], pointer: &str) -> Vec<Field<String>> {
        let Some(entry) = entries.iter().find(|e| e.key.key_text() == Some(ALLOW_KEY)) else {
            return Vec::new();
        };
        let pointer = pointer_join(pointer, ALLOW_KEY);
        match &entry.value.value {
            NodeValue::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    self.string_node(n, &format!("{pointer}/{i}"), Subject::EntryOf(ALLOW_KEY))
                })
                .collect(),
            _ => self
                .string_node(&entry.value, &pointer, Subject::Key(ALLOW_KEY))
                .into_iter()
                .collect(),
        }
    }

    fn report_losers(&mut self, group: &[&Entry], winner: &Entry, pointer: &str) {
        for entry in group.iter().filter(|e| !std::ptr::eq(**e, winner)) {
            // A merged key that the mapping itself overrides is what `<<` is for.
            if entry.merged {
                continue;
            }
            let key = entry.key.key_text().unwrap_or("");
            let d = if winner.merged {
                let msg = format!("key `{key}` is overridden by a `<<` merge that comes after it");
                Diagnostic::new(checks::DUPLICATE_KEY, entry.key.span, pointer, msg)
                    .with_note(
                        Some(winner.key.span),
                        "webhook uses this merged value: its YAML reader applies `<<` where \
                         it stands, so later keys win",
                    )
                    .with_help("put the `<<` line first, above the keys that override it")
            } else {
                let msg = format!("key `{key}` is written more than once in this object");
                Diagnostic::new(checks::DUPLICATE_KEY, entry.key.span, pointer, msg)
                    .with_note(
                        Some(winner.key.span),
                        "webhook uses this one and ignores the other",
                    )
                    .with_help("remove the duplicate")
            };
            self.push(d);
        }
    }

    fn unknown_key(&mut self, entry: &Entry, key: &str, pointer: &str, known: &[&'static str]) {
        if key == ALLOW_KEY && known == HOOK_KEYS {
            return;
        }
        let ptr = pointer_join(pointer, key);
        if let Some(suggestion) = closest(key, known.iter().copied()) {
            let msg = format!("unknown key `{key}`; webhook ignores it");
            let d = Diagnostic::new(checks::MISSPELT_KEY, entry.key.span, &ptr, msg)
                .with_help(format!("did you mean `{suggestion}`?"));
            self.push(d);
            return;
        }
        let mut msg = format!("unknown key `{key}`; webhook ignores it");
        let elsewhere = all_known_keys().find(|k| k.eq_ignore_ascii_case(key));
        if let Some(k) = elsewhere {
            msg = format!("key `{k}` does not belong in this object; webhook ignores it here");
        }
        let d = Diagnostic::new(checks::UNKNOWN_KEY, entry.key.span, &ptr, msg)
            .with_help(format!("known keys here: {}", sorted_list(known)));
        self.push(d);
    }

    fn wrong_type(&mut self, node: &Node, pointer: &str, subject: Subject, expected: &str) {
        let found = node.kind_name();
        let msg = format!("{} must be {expected}, found {found}", subject.describe());
        let mut d = Diagnostic::new(checks::WRONG_TYPE, node.span, pointer, msg).with_note(
            None,
            "webhook refuses to load the whole file when a value has the wrong type",
        );
        if let Some(help) = type_help(node, subject, expected) {
            d = d.with_help(help);
        }
        self.push(d);
    }

    fn string(&mut self, f: &Fields, key: &str) -> Option<Field<String>> {
        let (node, pointer) = f.get(key)?;
        let pointer = pointer.to_string();
        self.string_node(node, &pointer, Subject::Key(key))
    }

    /// A string field: any scalar is converted as ghodss/yaml does; `null` is absent.
    fn string_node(
        &mut self,
        node: &Node,
        pointer: &str,
        subject: Subject,
    ) -> Option<Field<String>> {
        self.text_node(node, pointer, subject, false)
    }

    /// A string field whose value is a secret: decoded like any other, but diagnostics
    /// never show the text.
    fn secret_string(&mut self, f: &Fields, key: &str) -> Option<Field<String>> {
        let (node, pointer) = f.get(key)?;
        let pointer = pointer.to_string();
        self.text_node(node, &pointer, Subject::Key(key), true)
    }

    fn text_node(
        &mut self,
        node: &Node,
        pointer: &str,
        subject: Subject,
        secret: bool,
    ) -> Option<Field<String>> {
        let NodeValue::Scalar(scalar) = &node.value else {
            self.wrong_type(node, pointer, subject, "a string");
            return None;
        };
        let resolved = resolve(scalar);
        if resolved == Resolved::Null {
            return None;
        }
        let value = resolved.to_webhook_string();
        if value != scalar.text {
            let kind = resolved.kind_name();
            let (msg, help) = if secret {
                let msg = format!(
                    "this secret is read by webhook as {kind}, so webhook uses other text than \
                     is written here"
                );
                (msg, "quote it to keep the text as written".to_string())
            } else {
                let msg = format!(
                    "`{}` is read by webhook as {kind} and becomes the string `{value}`",
                    scalar.text
                );
                (
                    msg,
                    format!("quote it to keep the text: \"{}\"", scalar.text),
                )
            };
            let d = Diagnostic::new(checks::RETYPED_VALUE, node.span, pointer, msg).with_help(help);
            self.push(d);
        }
        Some(Field {
            value,
            span: node.span,
            pointer: pointer.into(),
        })
    }

    fn boolean(&mut self, f: &Fields, key: &str) -> Option<Field<bool>> {
        let (node, pointer) = f.get(key)?;
        let pointer = pointer.to_string();
        self.boolean_node(node, &pointer, key)
    }

    fn boolean_node(&mut self, node: &Node, pointer: &str, field: &str) -> Option<Field<bool>> {
        let resolved = node.as_scalar().map(resolve);
        match resolved {
            Some(Resolved::Null) => None,
            Some(Resolved::Bool(b)) => Some(Field {
                value: b,
                span: node.span,
                pointer: pointer.into(),
            }),
            _ => {
                self.wrong_type(node, pointer, Subject::Key(field), "a boolean");
                None
            }
        }
    }

    /// An integer field: JSON numbers with no fraction are accepted, as encoding/json
    /// does after ghodss/yaml turned `201.0` into `201`.
    fn integer(&mut self, f: &Fields, key: &str) -> Option<Field<i64>> {
        let (node, pointer) = f.get(key)?;
        let pointer = pointer.to_string();
        let value = match node.as_scalar().map(resolve) {
            Some(Resolved::Null) => return None,
            Some(Resolved::Int(i)) => i64::try_from(i).ok(),
            Some(Resolved::Float(x)) if x.fract() == 0.0 && x.abs() < 9.2e18 => Some(x as i64),
            _ => None,
        };
        match value {
            Some(value) => Some(Field {
                value,
                span: node.span,
                pointer,
            }),
            None => {
                self.wrong_type(node, &pointer, Subject::Key(key), "an integer");
                None
            }
        }
    }

    fn list<T>(
        &mut self,
        f: &Fields,
        key: &str,
        item: impl Fn(&mut Self, &Node, &str, Subject) -> Option<T>,
    ) -> Vec<T> {
        let Some((node, pointer)) = f.get(key) else {
            return Vec::new();
        };
        let pointer = pointer.to_string();
        match &node.value {
            NodeValue::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    item(self, n, &format!("{pointer}/{i}"), Subject::EntryOf(key))
                })
                .collect(),
            _ if is_null(node) => Vec::new(),
            _ => {
                self.wrong_type(node, &pointer, Subject::Key(key), "a list");
                Vec::new()
            }
        }
    }

    fn object<'n>(
        &mut self,
        node: &'n Node,
        pointer: &str,
        subject: Subject,
    ) -> Option<&'n [Entry]> {
        match &node.value {
            NodeValue::Map(entries) => Some(entries),
            _ if is_null(node) => Some(&[]),
            _ => {
                self.wrong_type(node, pointer, subject, "an object");
                None
            }
        }
    }

    fn response_header(
        &mut self,
        node: &Node,
        pointer: &str,
        subject: Subject,
    ) -> Option<ResponseHeader> {
        let entries = self.object(node, pointer, subject)?;
        let f = self.fields(entries, pointer, HEADER_KEYS);
        Some(ResponseHeader {
            span: node.span,
            pointer: pointer.into(),
            name: self.string(&f, "name"),
            value: self.string(&f, "value"),
        })
    }

    fn parameter(&mut self, node: &Node, pointer: &str, subject: Subject) -> Option<Parameter> {
        let entries = self.object(node, pointer, subject)?;
        let f = self.fields(entries, pointer, PARAMETER_KEYS);
        let parameter = Parameter {
            span: node.span,
            pointer: pointer.into(),
            source: self.string(&f, "source"),
            name: self.string(&f, "name"),
            envname: self.string(&f, "envname"),
            base64decode: self.boolean(&f, "base64decode"),
            mistyped: Vec::new(),
        };
        let mistyped = f.mistyped(&[
            ("source", parameter.source.is_some()),
            ("name", parameter.name.is_some()),
        ]);
        Some(Parameter {
            mistyped,
            ..parameter
        })
    }

    fn trigger_rule_field(&mut self, f: &Fields) -> Option<TriggerRule> {
        let (node, pointer) = f.present("trigger-rule")?;
        let pointer = pointer.to_string();
        self.trigger_rule(node, &pointer, Subject::Key("trigger-rule"))
    }

    /// A rules object. webhook decodes every operator present (so type errors anywhere
    /// fail the file) but evaluates only the first of `and`, `or`, `not`, `match`.
    fn trigger_rule(
        &mut self,
        node: &Node,
        pointer: &str,
        subject: Subject,
    ) -> Option<TriggerRule> {
        let entries = self.object(node, pointer, subject)?;
        let f = self.fields(entries, pointer, RULE_KEYS);
        let present: Vec<&str> = RULE_KEYS
            .iter()
            .copied()
            .filter(|k| f.present(k).is_some())
            .collect();
        let mut kinds: Vec<TriggerRuleKind> = Vec::new();
        for key in &present {
            let (child, child_ptr) = f.present(key).expect("filtered on presence");
            let child_ptr = child_ptr.to_string();
            if let Some(kind) = self.operator(key, child, &child_ptr) {
                kinds.push(kind);
            }
        }
        self.check_operator_count(&f, &present, node, pointer);
        let kind = if present.is_empty() {
            TriggerRuleKind::Empty
        } else {
            kinds.into_iter().next()?
        };
        Some(TriggerRule {
            span: node.span,
            pointer: pointer.into(),
            kind,
        })
    }

    fn operator(&mut self, key: &str, node: &Node, pointer: &str) -> Option<TriggerRuleKind> {
        match key {
            "and" | "or" => {
                let NodeValue::Seq(items) = &node.value else {
                    self.wrong_type(node, pointer, Subject::Key(key), "a list of rules");
                    return None;
                };
                let rules = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| {
                        self.trigger_rule(n, &format!("{pointer}/{i}"), Subject::EntryOf(key))
                    })
                    .collect();
                Some(if key == "and" {
                    TriggerRuleKind::And(rules)
                } else {
                    TriggerRuleKind::Or(rules)
                })
            }
            "not" => {
                let inner = self.trigger_rule(node, pointer, Subject::Key("not"))?;
                Some(TriggerRuleKind::Not(Box::new(inner)))
            }
            _ => Some(TriggerRuleKind::Match(Box::new(
                self.match_rule(node, pointer)?,
            ))),
        }
    }

    fn check_operator_count(&mut self, f: &Fields, present: &[&str], node: &Node, pointer: &str) {
        if present.is_empty() {
            let msg = "this trigger rule has none of `and`, `or`, `not`, `match`, so webhook \
                       evaluates it as false";
            let d = Diagnostic::new(
                checks::TRIGGER_RULE_WITHOUT_OPERATOR,
                node.span,
                pointer,
                msg,
            )
            .with_help(without_operator_help(node));
            self.push(d);
            return;
        }
        let first = present[0];
        for ignored in &present[1..] {
            let span = f.key_span(ignored).unwrap_or(node.span);
            let msg = format!(
                "`{ignored}` is ignored because this object also has `{first}`, which webhook \
                 evaluates instead"
            );
            let help = format!(
                "keep one operator per object; to require both, nest them: \
                 {{\"and\": [{{\"{first}\": ...}}, {{\"{ignored}\": ...}}]}}"
            );
            let ptr = pointer_join(pointer, ignored);
            let d = Diagnostic::new(checks::SEVERAL_OPERATORS, span, &ptr, msg).with_help(help);
            self.push(d);
        }
    }

    fn match_rule(&mut self, node: &Node, pointer: &str) -> Option<Match> {
        let entries = self.object(node, pointer, Subject::Key("match"))?;
        let f = self.fields(entries, pointer, MATCH_KEYS);
        let type_ = self.string(&f, "type");
        let kind = MatchKind::parse(type_.as_ref().map_or("", |t| t.value.as_str()));
        let parameter = f.present("parameter").and_then(|(n, p)| {
            let p = p.to_string();
            self.parameter(n, &p, Subject::Key("parameter"))
        });
        let secret = self.secret_string(&f, "secret").map(|s| Field {
            value: Secret::new(s.value),
            span: s.span,
            pointer: s.pointer,
        });
        // A `value` compared with a token is as secret as an HMAC key.
        let value = match &parameter {
            Some(p) if kind == MatchKind::Value && is_credential_name(p.name()) => {
                self.secret_string(&f, "value")
            }
            _ => self.string(&f, "value"),
        };
        let m = Match {
            span: node.span,
            pointer: pointer.into(),
            kind,
            type_,
            parameter,
            value,
            regex: self.string(&f, "regex"),
            secret,
            ip_range: self.string(&f, "ip-range"),
            mistyped: Vec::new(),
        };
        let mistyped = f.mistyped(&[
            ("type", m.type_.is_some()),
            ("parameter", m.parameter.is_some()),
            ("value", m.value.is_some()),
            ("regex", m.regex.is_some()),
            ("secret", m.secret.is_some()),
            ("ip-range", m.ip_range.is_some()),
        ]);
        Some(Match { mistyped, ..m })
    }
}

/// The entry encoding/json keeps: among keys that fold to the same field, the spelling
/// that sorts last byte-wise (the intermediate JSON object has sorted keys), and of
/// repeats of one spelling the last (yaml.v2 keeps the last).
fn winning_entry<'n>(group: &[&'n Entry]) -> &'n Entry {
    let mut best = group[0];
    for entry in &group[1..] {
        let (a, b) = (
            best.key.key_text().unwrap_or(""),
            entry.key.key_text().unwrap_or(""),
        );
        if b >= a {
            best = entry;
        }
    }
    best
}

/// What to do with a trigger rule object that has no operator: wrap match fields written
/// directly in it into a `match`, or else add one.
fn without_operator_help(node: &Node) -> &'static str {
    let has_match_keys = match &node.value {
        NodeValue::Map(entries) => entries.iter().any(|e| {
            let key = e.key.key_text().unwrap_or("").to_ascii_lowercase();
            MATCH_KEYS.contains(&key.as_str())
        }),
        _ => false,
    };
    if has_match_keys {
        "move these keys into a `match` object: {\"match\": {\"type\": ..., \"parameter\": ...}}"
    } else {
        "add a `match`, or remove the empty object"
    }
}

/// How to fix a value of the wrong type, when there is one obvious way.
fn type_help(node: &Node, subject: Subject, expected: &str) -> Option<String> {
    match (&node.value, subject, expected) {
        (NodeValue::Scalar(s), _, "an integer" | "a boolean") if fits_unquoted(s, expected) => {
            Some(format!("remove the quotes: {}", s.text))
        }
        (NodeValue::Scalar(_), _, "an integer") => {
            Some("write a whole number, such as 200 or 202".into())
        }
        (NodeValue::Scalar(_), _, "a boolean") => Some("write true or false".into()),
        (NodeValue::Map(_), Subject::Key(key), e) if e.starts_with("a list") => Some(format!(
            "wrap the object in a list: `\"{key}\": [{{...}}]`, or start it with `- ` in YAML"
        )),
        (NodeValue::Seq(_), Subject::Key("not"), _) => Some(
            "`not` takes one rule object, not a list; to negate several rules, put them in \
             an `and` or `or` inside the `not`"
                .into(),
        ),
        (NodeValue::Seq(_), Subject::Key("trigger-rule"), _) => Some(
            "write one rule object; to combine several, put them in an `and` or `or` list".into(),
        ),
        (NodeValue::Seq(_), Subject::Key("execute-command"), _) => Some(
            "webhook runs one program without a shell: put the program here and its \
             arguments in `pass-arguments-to-command`, each as {\"source\": \"string\", \
             \"name\": ...}"
                .into(),
        ),
        (NodeValue::Scalar(s), Subject::EntryOf(key), "an object") if is_parameter_list(key) => {
            Some(format!(
                "write the entry as an object with a `source` and a `name`, such as \
                 {{\"source\": \"payload\", \"name\": \"{}\"}}",
                s.text
            ))
        }
        (NodeValue::Scalar(_), Subject::Key("match"), _) => Some(
            "write the match as an object with a `type`, a `parameter` and the field its \
             type needs, such as `value` or `regex`"
                .into(),
        ),
        _ => None,
    }
}

/// Whether a quoted scalar would be of the `expected` type without its quotes.
fn fits_unquoted(scalar: &Scalar, expected: &str) -> bool {
    let unquoted = Scalar {
        text: scalar.text.clone(),
        plain: true,
        tag: None,
    };
    match (expected, resolve(&unquoted)) {
        ("an integer", Resolved::Int(_)) => !scalar.plain,
        ("a boolean", Resolved::Bool(_)) => !scalar.plain,
        _ => false,
    }
}

/// The hook keys that hold a list of parameters.
fn is_parameter_list(key: &str) -> bool {
    matches!(
        key,
        "pass-arguments-to-command"
            | "pass-environment-to-command"
            | "pass-file-to-command"
            | "parse-parameters-as-json"
    )
}

fn sorted_list(keys: &[&str]) -> String {
    let mut keys = keys.to_vec();
    keys.sort();
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse::parse;

    fn decoded(text: &str) -> Decoded {
        decode(parse(text).unwrap().root.as_ref())
    }

    fn messages(d: &Decoded) -> Vec<(&'static str, &str)> {
        d.diagnostics
            .iter()
            .map(|d| (d.check.code, d.message.as_str()))
            .collect()
    }

    #[test]
    fn keys_that_override_a_merge_are_not_duplicates() {
        let d = decoded("- <<: {id: a, execute-command: /bin/true}\n  id: b\n");
        assert_eq!(messages(&d), []);
        assert_eq!(d.hooks[0].id(), "b");
    }

    #[test]
    fn a_key_before_a_merge_is_overridden_by_it() {
        // webhook 2.8.0 loads the id `a` here.
        let d = decoded("- id: b\n  <<: {id: a}\n  execute-command: /bin/true\n");
        assert_eq!(d.hooks[0].id(), "a");
        let [(code, msg)] = messages(&d)[..] else {
            panic!("{:?}", messages(&d))
        };
        assert_eq!(code, "HK110");
        assert!(msg.contains("overridden by a `<<` merge"), "{msg}");
    }

    #[test]
    fn type_errors_name_the_key_or_list_they_are_in() {
        let d = decoded(r#"[{"pass-arguments-to-command": ["ref"]}]"#);
        assert_eq!(
            messages(&d),
            [(
                "HK104",
                "each entry of `pass-arguments-to-command` must be an object, found a string"
            )]
        );
        let d = decoded(r#"[{"trigger-rule": {"not": [{"match": {}}]}}]"#);
        assert_eq!(
            messages(&d),
            [("HK104", "`not` must be an object, found a list")]
        );
        let d = decoded(r#"[{"trigger-rule": {"or": ["x"]}}]"#);
        assert_eq!(
            messages(&d),
            [(
                "HK104",
                "each entry of `or` must be an object, found a string"
            )]
        );
    }

    #[test]
    fn keys_with_a_wrong_type_are_remembered_as_mistyped() {
        let text = r#"[{"id": {"name": "x"}, "trigger-rule": {"match":
            {"type": ["value"], "parameter": "ref", "value": null}}}]"#;
        let d = decoded(text);
        let hook = &d.hooks[0];
        assert_eq!(hook.mistyped, ["id"]);
        let Some(TriggerRuleKind::Match(m)) = hook.trigger_rule.as_ref().map(|r| &r.kind) else {
            panic!("{:?}", hook.trigger_rule)
        };
        assert_eq!(m.mistyped, ["type", "parameter"]);
    }

    #[test]
    fn retyped_secrets_and_tokens_are_not_printed() {
        let text = "- trigger-rule:\n    and:\n      - match: {type: payload-hmac-sha1, \
                    secret: 0x7F3A9B2C}\n      - match: {type: value, value: 0755, \
                    parameter: {source: header, name: X-Token}}\n";
        let d = decoded(text);
        assert_eq!(d.diagnostics.len(), 2);
        for diag in &d.diagnostics {
            let shown = format!("{} {:?}", diag.message, diag.help);
            assert!(
                !shown.contains("7F3A") && !shown.contains("0755"),
                "{shown}"
            );
        }
        let d = decoded("- id: 0x1F\n");
        assert!(d.diagnostics[0].message.contains("`0x1F`"));
    }

    #[test]
    fn quotes_are_blamed_only_when_removing_them_helps() {
        let help = |text: &str| {
            let d = decoded(text);
            d.diagnostics[0].help.clone().unwrap()
        };
        assert_eq!(
            help("- success-http-response-code: \"201\"\n"),
            "remove the quotes: 201"
        );
        assert_eq!(
            help("- success-http-response-code: \"Created\"\n"),
            "write a whole number, such as 200 or 202"
        );
        assert_eq!(
            help("- include-command-output-in-response: \"enabled\"\n"),
            "write true or false"
        );
    }

    #[test]
    fn a_rule_object_holding_match_keys_is_told_to_wrap_them() {
        let d = decoded(r#"[{"trigger-rule": {"type": "value"}}]"#);
        let d = d
            .diagnostics
            .iter()
            .find(|d| d.check.code == "HK120")
            .unwrap();
        let help = d.help.as_deref().unwrap();
        assert!(help.starts_with("move these keys into a `match`"), "{help}");
    }
}

#[cfg(test)]
mod reading_tests {
    use super::*;
    use crate::config::parse::parse;

    #[test]
    fn null_parameter_is_absent() {
        let text = r#"[{"id":"a","trigger-rule":{"match":{"type":"value","parameter":null}}}]"#;
        let hooks = decode(parse(text).unwrap().root.as_ref()).hooks;
        let Some(TriggerRuleKind::Match(m)) = hooks[0].trigger_rule.as_ref().map(|r| &r.kind)
        else {
            panic!("a match")
        };
        assert!(m.parameter.is_none());
    }

    #[test]
    fn keys_match_ignoring_case_and_the_lower_case_spelling_wins() {
        let text = r#"[{"Execute-Command": "/a", "execute-command": "/b", "ID": "x"}]"#;
        let decoded = decode(parse(text).unwrap().root.as_ref());
        assert_eq!(decoded.hooks[0].execute_command(), "/b");
        assert_eq!(decoded.hooks[0].id(), "x");
        let codes: Vec<_> = decoded.diagnostics.iter().map(|d| d.check.code).collect();
        assert!(
            codes.contains(&"HK114") && codes.contains(&"HK110"),
            "{codes:?}"
        );
    }

    #[test]
    fn x_hookctl_allow_is_read_and_not_reported() {
        let text = r#"[{"id": "a", "x-hookctl-allow": ["unanchored-regex"]}]"#;
        let decoded = decode(parse(text).unwrap().root.as_ref());
        assert_eq!(decoded.hooks[0].lint_allow[0].value, "unanchored-regex");
        assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
    }
}
