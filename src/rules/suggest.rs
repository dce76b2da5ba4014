//! Hints for a parameter that was not found: a corrected path that does exist
//! (`commits.id` → `commits.0.id`), the deepest part of the path that exists, or
//! similar names among the request's headers and query values.

use crate::config::model::{Parameter, Source};
use crate::request::parameter::{lookup, lookup_in_map, parse_index};
use crate::request::{canonical_header_key, Context, Map, Value};

/// How many nodes the search for a corrected path may visit.
const SEARCH_BUDGET: usize = 2_000;

/// Hints for `parameter`, which webhook reported missing with `remaining` left of its
/// path.
pub fn missing_hints(parameter: &Parameter, context: &Context, remaining: &str) -> Vec<String> {
    let name = parameter.name();
    match parameter.source() {
        Some(Source::Payload) => match &context.payload {
            None => vec![no_payload_hint(context)],
            Some(map) => path_hints("payload", name, map, remaining),
        },
        Some(Source::Header) => {
            let canonical = canonical_header_key(name);
            let mut hints = Vec::new();
            let path = |n: &str| n.split_once('.').map(|(_, p)| p.to_string());
            if path(name).is_some() && path(name) != path(&canonical) {
                hints.push(format!(
                    "webhook canonicalises the whole name, path included, to `{canonical}`, so \
                     a key with upper-case letters after the first `.` cannot be reached"
                ));
            }
            hints.extend(path_hints(
                "headers",
                &canonical,
                &context.headers,
                remaining,
            ));
            hints
        }
        Some(Source::Query) => path_hints("query", name, &context.query, remaining),
        _ => Vec::new(),
    }
}

fn no_payload_hint(context: &Context) -> String {
    let ct = &context.content_type;
    let decodable = ["json", "x-www-form-urlencoded", "xml"]
        .iter()
        .any(|k| ct.contains(k));
    if decodable || context.is_multipart {
        format!("the body could not be decoded as `{ct}`, so there is no payload (see the log)")
    } else if ct.is_empty() {
        "the request has no Content-Type, so webhook decodes no payload".into()
    } else {
        format!(
            "webhook decodes no payload for Content-Type `{ct}` (it looks for `json`, \
             `x-www-form-urlencoded` or `xml`, case-sensitively, or a `multipart/form-data;` \
             prefix); set `incoming-payload-content-type` to override"
        )
    }
}

fn path_hints(what: &str, key: &str, map: &Map, remaining: &str) -> Vec<String> {
    let mut hints = Vec::new();
    let root = Value::Object(map.clone());
    if let Some(fixed) = repair(&root, key) {
        hints.push(format!("did you mean `{fixed}`?"));
    }
    let prefix = key
        .strip_suffix(remaining)
        .and_then(|p| p.strip_suffix('.'))
        .unwrap_or("");
    if prefix.is_empty() {
        hints.push(available_keys(what, map));
        return hints;
    }
    if let Ok(node) = lookup_in_map(prefix, Some(map)) {
        hints.push(format!("`{prefix}` exists: {}", describe_node(node)));
    }
    hints
}

fn available_keys(what: &str, map: &Map) -> String {
    if map.is_empty() {
        return format!("the {what} is empty");
    }
    let names: Vec<String> = map.keys().take(12).map(|k| format!("`{k}`")).collect();
    let more = if map.len() > 12 {
        format!(" and {} more", map.len() - 12)
    } else {
        String::new()
    };
    format!("the {what} has {}{more}", names.join(", "))
}

fn describe_node(node: &Value) -> String {
    match node {
        Value::Array(items) => {
            format!(
                "a list of {} items; reach an item by its index, like `.0`",
                items.len()
            )
        }
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(12).map(|k| format!("`{k}`")).collect();
            format!("an object with keys {}", keys.join(", "))
        }
        other => format!("{}, which has no keys", other.kind_name()),
    }
}

/// A path close to `key` that exists in `root`, when there is one and it differs.
pub fn repair(root: &Value, key: &str) -> Option<String> {
    let segments: Vec<&str> = key.split('.').collect();
    let mut budget = SEARCH_BUDGET;
    let found = search(root, &segments, &mut budget)?.join(".");
    let resolves = lookup(&found, root).is_ok();
    (found != key && resolves).then_some(found)
}

fn search(node: &Value, segments: &[&str], budget: &mut usize) -> Option<Vec<String>> {
    let Some(first) = segments.first() else {
        return Some(Vec::new());
    };
    *budget = budget.checked_sub(1)?;
    match node {
        Value::Object(map) => search_map(map, segments, budget),
        Value::Array(items) => match parse_index(first) {
            Some(i) => {
                let item = items.get(usize::try_from(i).ok()?)?;
                prepend(first.to_string(), search(item, &segments[1..], budget))
            }
            None => items
                .iter()
                .take(3)
                .enumerate()
                .find_map(|(i, item)| prepend(i.to_string(), search(item, segments, budget))),
        },
        _ => None,
    }
}

fn search_map(map: &Map, segments: &[&str], budget: &mut usize) -> Option<Vec<String>> {
    // A literal key containing dots wins, as in webhook's lookup.
    for n in (1..=segments.len()).rev() {
        let literal = segments[..n].join(".");
        if let Some(value) = map.get(&literal) {
            if let Some(rest) = search(value, &segments[n..], budget) {
                return prepend(literal, Some(rest));
            }
        }
    }
    let wanted = segments[0];
    let mut close: Vec<(&String, &Value)> =
        map.iter().filter(|(k, _)| is_close(k, wanted)).collect();
    close.sort_by_key(|(k, _)| distance(&k.to_lowercase(), &wanted.to_lowercase()));
    close
        .into_iter()
        .find_map(|(k, v)| prepend(k.clone(), search(v, &segments[1..], budget)))
}

fn prepend(head: String, rest: Option<Vec<String>>) -> Option<Vec<String>> {
    let mut rest = rest?;
    rest.insert(0, head);
    Some(rest)
}

fn is_close(candidate: &str, wanted: &str) -> bool {
    let (a, b) = (candidate.to_lowercase(), wanted.to_lowercase());
    let limit = if b.chars().count() <= 3 { 1 } else { 2 };
    a == b || distance(&a, &b) <= limit
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::json::decode_first;

    fn value(text: &str) -> Value {
        decode_first(text.as_bytes()).unwrap()
    }

    #[test]
    fn repairs_list_steps_and_near_misses() {
        let v = value(r#"{"commits":[{"id":"a"},{"id":"b"}],"Ref":"x","repository":{"name":"n"}}"#);
        assert_eq!(repair(&v, "commits.id").as_deref(), Some("commits.0.id"));
        assert_eq!(repair(&v, "ref").as_deref(), Some("Ref"));
        assert_eq!(
            repair(&v, "repositry.name").as_deref(),
            Some("repository.name")
        );
        assert_eq!(repair(&v, "commits.0.id"), None);
        assert_eq!(repair(&v, "nothing.like.this"), None);
    }

    #[test]
    fn hints_name_the_deepest_existing_part() {
        let ctx = Context {
            payload: match value(r#"{"commits":[{"id":"a"}]}"#) {
                Value::Object(m) => Some(m),
                _ => None,
            },
            ..Context::default()
        };
        let param = crate::testing::parameter(r#"{"source":"payload","name":"commits.id"}"#);
        let hints = missing_hints(&param, &ctx, "id");
        assert_eq!(hints[0], "did you mean `commits.0.id`?");
        assert!(hints[1].starts_with("`commits` exists: a list of 1 items"));
        let param = crate::testing::parameter(r#"{"source":"payload","name":"nope"}"#);
        assert_eq!(
            missing_hints(&param, &ctx, "nope"),
            ["the payload has `commits`"]
        );
    }

    #[test]
    fn explains_an_absent_payload() {
        let ctx = Context {
            content_type: "text/plain".into(),
            ..Context::default()
        };
        let param = crate::testing::parameter(r#"{"source":"payload","name":"a"}"#);
        assert!(missing_hints(&param, &ctx, "a")[0].contains("Content-Type `text/plain`"));
    }

    #[test]
    fn suggests_similar_headers() {
        let mut ctx = Context::default();
        ctx.headers
            .insert("X-Hub-Signature-256".into(), Value::String("s".into()));
        let param =
            crate::testing::parameter(r#"{"source":"header","name":"X-Hub-Signature-265"}"#);
        let hints = missing_hints(&param, &ctx, "X-Hub-Signature-265");
        assert_eq!(hints[0], "did you mean `X-Hub-Signature-256`?");
    }

    #[test]
    fn levenshtein() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "ab"), 2);
    }
}
