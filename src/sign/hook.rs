//! The signatures a hook checks, wherever they sit in its trigger rule (under `and`,
//! `or` or `not`), the secret for each, and the plan that satisfies them all.
//!
//! When several matches read the same header or query parameter, their values are sent
//! as one comma-separated list with prefixes (`sha1=…,sha256=…`): with a comma webhook
//! keeps exactly the parts that carry its match's prefix, so every match finds its own.

use std::collections::HashMap;

use crate::config::load::{load_path, LoadError};
use crate::config::model::{Algorithm, Hook, Match, MatchKind, Source};
use crate::lint::walk::matches;
use crate::rules::matchers::is_sensitive;

use super::scheme::{scalr, Encoding, Key, MacJob, Moment, Placement, Plan, Planned};
use super::secret::SecretSource;

/// Headers whose senders write bare hex (no `sha256=`); hookctl does the same for them.
const BARE_HEX_HEADERS: [&str; 3] = [
    "X-Forgejo-Signature",
    "X-Gitea-Signature",
    "X-Gogs-Signature",
];

/// A signature match of a hook and what it needs.
#[derive(Debug, Clone)]
pub struct SignatureMatch<'a> {
    pub m: &'a Match,
    pub target: Target,
    /// Under an odd number of `not`s: a correct signature makes the match false.
    pub negated: bool,
}

/// What a signature match reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `payload-hmac-*`: a hex HMAC of the body in a header or query parameter.
    Hmac {
        algorithm: Algorithm,
        placement: Placement,
    },
    /// `scalr-signature`: the `X-Signature` and `Date` headers.
    Scalr,
    /// A signature no request can carry, and why.
    Unplaceable(String),
}

impl SignatureMatch<'_> {
    pub fn pointer(&self) -> &str {
        &self.m.pointer
    }

    /// The match as shown to people: type, where it reads, pointer.
    pub fn describe(&self) -> String {
        let place = match &self.target {
            Target::Hmac {
                placement: Placement::Header(name),
                ..
            } => format!(" on header {name}"),
            Target::Hmac {
                placement: Placement::Query(name),
                ..
            } => format!(" on query parameter {name}"),
            _ => String::new(),
        };
        format!("{}{place} at {}", self.m.type_text(), self.pointer())
    }
}

/// Every signature match of `hook`, in file order.
pub fn signature_matches(hook: &Hook) -> Vec<SignatureMatch<'_>> {
    matches(std::slice::from_ref(hook))
        .into_iter()
        .filter_map(|site| {
            let target = match site.m.kind {
                MatchKind::Hmac { algorithm, .. } => hmac_target(site.m, algorithm),
                MatchKind::ScalrSignature => Target::Scalr,
                _ => return None,
            };
            Some(SignatureMatch {
                m: site.m,
                target,
                negated: site.negated,
            })
        })
        .collect()
}

fn hmac_target(m: &Match, algorithm: Algorithm) -> Target {
    let Some(parameter) = &m.parameter else {
        return Target::Unplaceable("the match has no `parameter`, so it reads nothing".into());
    };
    let name = parameter.name().to_string();
    match parameter.source() {
        Some(Source::Header) => Target::Hmac {
            algorithm,
            placement: Placement::Header(name),
        },
        Some(Source::Query) => Target::Hmac {
            algorithm,
            placement: Placement::Query(name),
        },
        Some(Source::Payload) => Target::Unplaceable(
            "it reads the signature from the payload, which the signature itself covers".into(),
        ),
        _ => Target::Unplaceable(format!(
            "it reads the signature from source `{}`, which a request cannot set to a \
             signature of its own body",
            parameter.source_text()
        )),
    }
}

/// Splits off the matches no request can satisfy, with the reason for each.
pub fn placeable<'a>(found: Vec<SignatureMatch<'a>>) -> (Vec<SignatureMatch<'a>>, Vec<String>) {
    let mut notes = Vec::new();
    let kept = found
        .into_iter()
        .filter(|site| {
            let Target::Unplaceable(why) = &site.target else {
                return true;
            };
            notes.push(format!("{}: {why}", site.describe()));
            false
        })
        .collect();
    (kept, notes)
}

/// The secrets the user gave for a hook.
#[derive(Debug, Clone, Default)]
pub struct SecretChoice {
    /// A secret for every match without one of its own.
    pub default: Option<SecretSource>,
    /// Secrets for single matches, by the match's JSON pointer.
    pub by_pointer: Vec<(String, SecretSource)>,
    /// Use the secrets written in the hook file for matches given none.
    pub use_file_secrets: bool,
}

/// Why a hook cannot be signed for.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("no hook has the id `{id}` in {files}")]
    UnknownHook {
        id: String,
        files: String,
        known: Vec<String>,
    },
    #[error("{files} holds {} hooks; name one with --hook", known.len())]
    HookNotNamed { files: String, known: Vec<String> },
    #[error(
        "hook `{0}` has no signature match (payload-hmac-*, payload-hash-* or scalr-signature)"
    )]
    NoSignatureMatch(String),
    #[error("hook `{hook}` has no signature match a request can satisfy")]
    NothingToSign { hook: String, reasons: Vec<String> },
    #[error("no secret was given for {}", .0.join(", "))]
    NoSecret(Vec<String>, Vec<String>),
    #[error("`{pointer}` is not a signature match of hook `{hook}`")]
    UnknownPointer {
        pointer: String,
        hook: String,
        known: Vec<String>,
    },
    #[error(
        "the hook file gives its signature matches {count} different secrets, so one secret \
         cannot satisfy them all"
    )]
    DifferentSecrets { count: usize, known: Vec<String> },
}

impl HookError {
    /// Advice for the user.
    pub fn help(&self) -> Option<String> {
        match self {
            HookError::UnknownHook { known, .. } | HookError::HookNotNamed { known, .. } => {
                Some(format!("hook ids in the file: {}", ticks(known)))
            }
            HookError::NoSignatureMatch(_) => Some(
                "this hook accepts unsigned requests; `hookctl simulate` sends it one, and \
                 `hookctl lint` flags it"
                    .into(),
            ),
            HookError::NoSecret(_, hints) => {
                let mut help = "give the secret with --secret-env VAR or --secret-file PATH, \
                                or sign with the secrets written in the hook file with \
                                --use-file-secrets"
                    .to_string();
                for hint in hints {
                    help.push_str("; ");
                    help.push_str(hint);
                }
                Some(help)
            }
            HookError::NothingToSign { reasons, .. } => Some(reasons.join("; ")),
            HookError::UnknownPointer { known, .. } => {
                Some(format!("the hook's signature matches: {}", ticks(known)))
            }
            HookError::DifferentSecrets { known, .. } => Some(format!(
                "give one secret per match as POINTER=VAR, e.g. --secret-env '{}=SECRET_VAR', \
                 for the matches {}",
                known.first().map_or("", String::as_str),
                ticks(known)
            )),
            _ => None,
        }
    }
}

fn ticks(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads `files` and finds the hook `id` (the first of that id, as webhook routes); without
/// an id, the only hook of the files.
pub fn find_hook(files: &[String], id: Option<&str>) -> Result<(Hook, Vec<String>), HookError> {
    let mut hooks = Vec::new();
    let mut notes = Vec::new();
    for path in files {
        let loaded = load_path(path)?;
        if loaded.is_rejected_by_webhook() {
            notes.push(format!(
                "warning: webhook would not load `{path}` (run `hookctl validate {path}`); \
                 signing for its hooks as written"
            ));
        }
        hooks.extend(loaded.file.hooks);
    }
    let known: Vec<String> = {
        let mut ids: Vec<String> = hooks.iter().map(|h| h.id().to_string()).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let files = files
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let hook = match id {
        Some(id) => {
            hooks
                .into_iter()
                .find(|h| h.id() == id)
                .ok_or_else(|| HookError::UnknownHook {
                    id: id.to_string(),
                    files,
                    known,
                })?
        }
        None if hooks.len() == 1 => hooks.remove(0),
        None => return Err(HookError::HookNotNamed { files, known }),
    };
    Ok((hook, notes))
}

/// The secret source for each match, in the matches' order.
pub fn assign_secrets(
    hook: &Hook,
    found: &[SignatureMatch],
    choice: &SecretChoice,
) -> Result<Vec<SecretSource>, HookError> {
    let known: Vec<String> = found.iter().map(|s| s.pointer().to_string()).collect();
    for (pointer, _) in &choice.by_pointer {
        if !known.contains(pointer) {
            return Err(HookError::UnknownPointer {
                pointer: pointer.clone(),
                hook: hook.id().to_string(),
                known,
            });
        }
    }
    let mapped: HashMap<&str, &SecretSource> = choice
        .by_pointer
        .iter()
        .map(|(p, s)| (p.as_str(), s))
        .collect();

    // One secret given for several matches whose file secrets differ cannot be right.
    let shared: Vec<&SignatureMatch> = found
        .iter()
        .filter(|s| !mapped.contains_key(s.pointer()))
        .collect();
    if choice.default.is_some() {
        let mut distinct: Vec<&str> = shared.iter().map(|s| s.m.secret()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > 1 {
            return Err(HookError::DifferentSecrets {
                count: distinct.len(),
                known,
            });
        }
    }

    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for site in found {
        let source = if let Some(source) = mapped.get(site.pointer()) {
            (*source).clone()
        } else if let Some(source) = &choice.default {
            source.clone()
        } else if choice.use_file_secrets {
            SecretSource::HookFile {
                pointer: site.pointer().to_string(),
                secret: site
                    .m
                    .secret
                    .as_ref()
                    .map(|f| f.value.clone())
                    .unwrap_or_default(),
            }
        } else {
            missing.push(site.describe());
            continue;
        };
        sources.push(source);
    }
    if !missing.is_empty() {
        let hints = found.iter().filter_map(|s| template_hint(s.m)).collect();
        return Err(HookError::NoSecret(missing, hints));
    }
    Ok(sources)
}

/// For a secret written as a template that reads an environment variable, the flag that
/// reads the same variable.
pub fn template_hint(m: &Match) -> Option<String> {
    let var = template_variable(m.secret())?;
    Some(format!(
        "the secret at `{}` is a template reading `{var}`: try --secret-env {var}",
        m.pointer
    ))
}

/// `X` from a `{{ getenv "X" }}` template.
fn template_variable(text: &str) -> Option<&str> {
    let start = text.find("{{")?;
    let rest = &text[start..];
    let after = &rest[rest.find("getenv")? + "getenv".len()..];
    let quoted = after.trim_start();
    let inner = quoted
        .strip_prefix('"')
        .or_else(|| quoted.strip_prefix('`'))?;
    let end = inner.find(['"', '`'])?;
    Some(&inner[..end])
}

/// What else the hook reads from headers and the query string, as notes for the user:
/// `sign` adds only signatures to a request.
///
/// Known gap: the values of `value` and `regex` matches on headers and query parameters
/// are not put into the test request; the user adds them with `--add-header` or `--url`.
/// Why: several may be alternatives under `or`, a regex has no single value to send, and
/// a token compared by `value` is as secret as an HMAC key. Tracked:
/// docs/limitations.md#sign-other-matches
pub fn other_request_values(hook: &Hook) -> Vec<String> {
    matches(std::slice::from_ref(hook))
        .into_iter()
        .filter(|site| !site.negated)
        .filter_map(|site| {
            let m = site.m;
            let parameter = m.parameter.as_ref()?;
            let name = parameter.name();
            let header = match parameter.source()? {
                Source::Header => true,
                Source::Query => false,
                _ => return None,
            };
            let place = if header { "header" } else { "query parameter" };
            let how = if header { "--add-header" } else { "--url" };
            let wanted = match m.kind {
                MatchKind::Value if m.compares_token() || is_sensitive(name) => {
                    "the token written in the hook file".to_string()
                }
                MatchKind::Value if header => {
                    return Some(format!(
                        "note: the hook also checks header {name}; add it with \
                         --add-header '{name}: {}'",
                        m.value()
                    ));
                }
                MatchKind::Value => format!("`{}`", m.value()),
                MatchKind::Regex => format!("a value matching `{}`", m.regex()),
                _ => return None,
            };
            Some(format!(
                "note: the hook also checks {place} {name} ({wanted}); add it with {how}"
            ))
        })
        .collect()
}

/// How the user wants the `sha256=` prefix: always, never, or as the sender writes it.
pub type PrefixChoice = Option<bool>;

/// The plan for the placeable matches `found`, each signed with the key at the same index
/// of `keys`.
pub fn hook_plan(
    found: &[SignatureMatch],
    keys: &[Key],
    prefix: PrefixChoice,
    at: &Moment,
) -> Plan {
    let mut plan = Plan::default();
    let mut per_place: HashMap<&Placement, usize> = HashMap::new();
    for site in found {
        if let Target::Hmac { placement, .. } = &site.target {
            *per_place.entry(placement).or_default() += 1;
        }
    }
    for (site, key) in found.iter().zip(keys) {
        let pointer = Some(site.pointer().to_string());
        if site.negated {
            plan.notes.push(format!(
                "warning: {} is under `not`, so a correct signature makes it false; the \
                 request carries one anyway",
                site.describe()
            ));
        }
        match &site.target {
            Target::Hmac {
                algorithm,
                placement,
            } => {
                let shared = per_place[placement] > 1;
                let prefix = if shared {
                    true
                } else {
                    prefix.unwrap_or(!is_bare_hex_header(placement))
                };
                plan.signatures.push(Planned {
                    job: MacJob::body(*algorithm, key.clone()),
                    encoding: Encoding::Hex { prefix },
                    placement: placement.clone(),
                    scheme: site.m.type_text().to_string(),
                    is_verifiable: true,
                    match_pointer: pointer,
                });
            }
            Target::Scalr => {
                plan.signatures.push(scalr(key.clone(), &at.date, pointer));
                if !plan.headers.iter().any(|(n, _)| n == "Date") {
                    plan.headers.push(("Date".into(), at.date.clone()));
                }
            }
            // `placeable` has already warned about these.
            Target::Unplaceable(_) => {}
        }
    }
    plan
}

fn is_bare_hex_header(placement: &Placement) -> bool {
    match placement {
        Placement::Header(name) => BARE_HEX_HEADERS
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name)),
        Placement::Query(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::load_text;

    const HOOKS: &str = r#"[
      {"id": "both", "execute-command": "/bin/true", "trigger-rule": {"or": [
        {"match": {"type": "payload-hmac-sha1", "secret": "one",
          "parameter": {"source": "header", "name": "X-Hub-Signature"}}},
        {"not": {"match": {"type": "payload-hmac-sha256", "secret": "two",
          "parameter": {"source": "url", "name": "sig"}}}},
        {"match": {"type": "payload-hash-sha512", "secret": "one",
          "parameter": {"source": "header", "name": "X-Hub-Signature"}}},
        {"match": {"type": "scalr-signature", "secret": "{{ getenv \"SCALR_KEY\" | js }}"}},
        {"match": {"type": "payload-hmac-sha256", "secret": "one",
          "parameter": {"source": "payload", "name": "sig"}}},
        {"match": {"type": "value", "value": "x",
          "parameter": {"source": "header", "name": "X-Gitea-Signature"}}}
      ]}}
    ]"#;

    fn hook() -> Hook {
        load_text("hooks.json", HOOKS.into()).file.hooks.remove(0)
    }

    #[test]
    fn finds_signature_matches_under_every_operator() {
        let hook = hook();
        let found = signature_matches(&hook);
        let described: Vec<String> = found.iter().map(SignatureMatch::describe).collect();
        assert_eq!(
            described,
            [
                "payload-hmac-sha1 on header X-Hub-Signature at /0/trigger-rule/or/0/match",
                "payload-hmac-sha256 on query parameter sig at /0/trigger-rule/or/1/not/match",
                "payload-hash-sha512 on header X-Hub-Signature at /0/trigger-rule/or/2/match",
                "scalr-signature at /0/trigger-rule/or/3/match",
                "payload-hmac-sha256 at /0/trigger-rule/or/4/match",
            ]
        );
        assert!(found[1].negated);
        assert!(matches!(found[4].target, Target::Unplaceable(_)));
    }

    #[test]
    fn one_secret_for_different_file_secrets_is_refused() {
        let hook = hook();
        let (found, _) = placeable(signature_matches(&hook));
        let choice = SecretChoice {
            default: Some(SecretSource::Env("X".into())),
            ..SecretChoice::default()
        };
        let err = assign_secrets(&hook, &found, &choice).unwrap_err();
        assert!(matches!(err, HookError::DifferentSecrets { count: 3, .. }));
        assert!(!err.to_string().contains("two"));
        assert!(err
            .help()
            .unwrap()
            .contains("--secret-env '/0/trigger-rule/or/0/match=SECRET_VAR'"));
    }

    #[test]
    fn mapped_secrets_and_file_secrets_fill_in() {
        let hook = hook();
        let (found, _) = placeable(signature_matches(&hook));
        let choice = SecretChoice {
            by_pointer: vec![(
                "/0/trigger-rule/or/1/not/match".into(),
                SecretSource::Env("B".into()),
            )],
            use_file_secrets: true,
            ..SecretChoice::default()
        };
        let sources = assign_secrets(&hook, &found, &choice).unwrap();
        assert_eq!(sources[1], SecretSource::Env("B".into()));
        assert!(matches!(&sources[0], SecretSource::HookFile { pointer, .. }
                if pointer.ends_with("or/0/match")));

        let unknown = SecretChoice {
            by_pointer: vec![("/0/nope".into(), SecretSource::Env("B".into()))],
            ..SecretChoice::default()
        };
        let err = assign_secrets(&hook, &found, &unknown).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`/0/nope` is not a signature match of hook `both`"
        );
    }

    #[test]
    fn without_a_secret_the_template_variable_is_suggested() {
        let hook = hook();
        let (found, _) = placeable(signature_matches(&hook));
        let err = assign_secrets(&hook, &found, &SecretChoice::default()).unwrap_err();
        assert!(
            err.help().unwrap().contains("try --secret-env SCALR_KEY"),
            "{:?}",
            err.help()
        );
    }

    #[test]
    fn shared_placements_get_prefixed_values() {
        let hook = hook();
        let (found, notes) = placeable(signature_matches(&hook));
        assert!(
            notes[0].contains("which the signature itself covers"),
            "{notes:?}"
        );
        let keys = vec![Key::new(b"k".to_vec()); found.len()];
        let at = Moment {
            date: "Thu 07 Sep 2017 06:30:04 UTC".into(),
            timestamp: 0,
            webhook_id: String::new(),
        };
        let plan = hook_plan(&found, &keys, Some(false), &at);
        let encodings: Vec<Encoding> = plan.signatures.iter().map(|s| s.encoding).collect();
        assert_eq!(
            encodings,
            [
                Encoding::Hex { prefix: true },
                Encoding::Hex { prefix: false },
                Encoding::Hex { prefix: true },
                Encoding::Hex { prefix: false },
            ]
        );
        assert_eq!(plan.headers, [("Date".to_string(), at.date.clone())]);
        assert!(plan.notes.iter().any(|n| n.contains("under `not`")));
    }

    #[test]
    fn names_the_other_header_and_query_values_a_hook_checks() {
        let hooks = r#"[{"id": "h", "execute-command": "/bin/true", "trigger-rule": {"and": [
          {"match": {"type": "value", "value": "push",
            "parameter": {"source": "header", "name": "X-GitHub-Event"}}},
          {"match": {"type": "value", "value": "tok-123",
            "parameter": {"source": "header", "name": "X-Gitlab-Token"}}},
          {"match": {"type": "regex", "regex": "^v[0-9]+$",
            "parameter": {"source": "url", "name": "version"}}},
          {"not": {"match": {"type": "value", "value": "x",
            "parameter": {"source": "header", "name": "X-Skip"}}}},
          {"match": {"type": "value", "value": "main",
            "parameter": {"source": "payload", "name": "ref"}}}
        ]}}]"#;
        let hook = load_text("hooks.json", hooks.into()).file.hooks.remove(0);
        let notes = other_request_values(&hook);
        assert_eq!(
            notes,
            [
                "note: the hook also checks header X-GitHub-Event; add it with --add-header \
                 'X-GitHub-Event: push'",
                "note: the hook also checks header X-Gitlab-Token (the token written in the \
                 hook file); add it with --add-header",
                "note: the hook also checks query parameter version (a value matching \
                 `^v[0-9]+$`); add it with --url",
            ]
        );
    }

    #[test]
    fn reads_template_variables() {
        assert_eq!(template_variable(r#"{{ getenv "A_B" | js }}"#), Some("A_B"));
        assert_eq!(template_variable("{{getenv `X`}}"), Some("X"));
        assert_eq!(template_variable("plain"), None);
    }
}
