//! The published JSON Schema, `schema/hooks.schema.json`.
//!
//! The schema describes the shapes webhook can load, so it must accept every good hook
//! file, reject documents that make webhook refuse the file, and list exactly the keys,
//! sources and match types the model reads (the drift tests below).

use std::collections::BTreeSet;

use hookctl::config::decode::{HEADER_KEYS, HOOK_KEYS, MATCH_KEYS, PARAMETER_KEYS, RULE_KEYS};
use hookctl::config::model::{MatchKind, Source};
use hookctl::config::parse::parse;
use jsonschema::Validator;
use serde_json::{json, Value};

use crate::support::{hookctl, root, run};

const SCHEMA_FILE: &str = "schema/hooks.schema.json";

/// Folders whose hook files must all be accepted. Missing folders are skipped, so the
/// test does not depend on which fixtures a branch has yet.
const GOOD_FILES: [&str; 3] = [
    "examples",
    "tests/fixtures/hooks/ok",
    "tests/fixtures/schema/ok",
];

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join(SCHEMA_FILE)).expect("the schema is committed");
    serde_json::from_str(&text).expect("the schema is valid JSON")
}

fn validator() -> Validator {
    jsonschema::draft7::new(&schema()).expect("the schema compiles as draft-07")
}

/// Every way `instance` breaks the schema, one line each, or `None` when it is accepted.
fn violations(validator: &Validator, instance: &Value) -> Option<String> {
    let lines: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("  at `{}`: {e}", e.instance_path()))
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A hook file as the JSON value webhook's loader builds from it (YAML 1.1 included).
fn load_as_json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let parsed = parse(&text).unwrap_or_else(|e| panic!("{path} does not parse: {e:?}"));
    parsed.root.map_or(Value::Null, |root| root.to_json())
}

fn files_in_existing(dir: &str) -> Vec<String> {
    if !root().join(dir).is_dir() {
        return Vec::new();
    }
    crate::support::files_in(dir)
}

#[test]
fn schema_is_valid_draft_07_with_metadata() {
    let schema = schema();
    assert!(
        jsonschema::draft7::meta::is_valid(&schema),
        "{SCHEMA_FILE} does not conform to the draft-07 meta-schema"
    );
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        schema["$id"],
        "https://hookctl.dev/schema/hooks.schema.json"
    );
    for key in ["title", "description"] {
        assert!(schema[key].is_string(), "the schema has no `{key}`");
    }
}

#[test]
fn schema_subcommand_prints_the_committed_file() {
    let out = run(hookctl().arg("schema"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let committed = std::fs::read_to_string(root().join(SCHEMA_FILE)).unwrap();
    assert!(
        out.stdout == committed,
        "`hookctl schema` differs from {SCHEMA_FILE}; rebuild, the file is embedded with \
         include_str!"
    );
}

#[test]
fn every_good_hook_file_is_accepted() {
    let validator = validator();
    let files: Vec<String> = GOOD_FILES
        .iter()
        .flat_map(|d| files_in_existing(d))
        .collect();
    assert!(
        files.len() >= 10,
        "expected the examples at least: {files:?}"
    );

    let rejected: Vec<String> = files
        .iter()
        .filter_map(|f| violations(&validator, &load_as_json(f)).map(|v| format!("{f}:\n{v}")))
        .collect();
    assert!(
        rejected.is_empty(),
        "the schema rejects good hook files:\n{}",
        rejected.join("\n")
    );
}

/// Each case is a document webhook loads; the schema must not be stricter.
macro_rules! accepts {
    ($($name:ident: $doc:tt,)*) => {$(
        #[test]
        fn $name() {
            if let Some(v) = violations(&validator(), &json!($doc)) {
                panic!("the schema rejects a document webhook loads:\n{v}");
            }
        }
    )*};
}

accepts! {
    accepts_an_empty_list: [],
    accepts_null_as_an_empty_file: null,
    accepts_a_null_hook: [null],
    accepts_numbers_and_booleans_for_text_fields: [{
        "id": 42,
        "execute-command": true,
        "response-message": 1.5,
        "http-methods": ["POST", 1],
        "response-headers": [{"name": "X-Count", "value": 3}],
        "trigger-rule": {"match": {"type": "value", "value": 1, "parameter": {
            "source": "payload", "name": 0
        }}}
    }],
    accepts_null_for_every_field: [{
        "id": null, "execute-command": null, "command-working-directory": null,
        "response-message": null, "response-headers": null,
        "include-command-output-in-response": null,
        "include-command-output-in-response-on-error": null,
        "pass-arguments-to-command": null, "pass-environment-to-command": null,
        "pass-file-to-command": null, "parse-parameters-as-json": null,
        "trigger-rule": null, "trigger-rule-mismatch-http-response-code": null,
        "trigger-signature-soft-failures": null, "incoming-payload-content-type": null,
        "success-http-response-code": null, "http-methods": null
    }],
    accepts_null_inside_rules_and_parameters: [{
        "pass-arguments-to-command": [null, {"source": null, "name": null}],
        "trigger-rule": {"and": [null, {"not": null}, {"match": {
            "type": null, "parameter": null, "value": null
        }}]}
    }],
    accepts_unknown_and_upper_case_keys: [{
        "ID": "deploy", "Execute-Command": "/bin/true", "stream-command-output": true,
        "trigger-rule": {"match": {"type": "value", "comment": "ignored"}}
    }],
    accepts_a_whole_number_written_as_a_float: [{"success-http-response-code": 201.0}],
    accepts_a_negative_or_unknown_status_code: [{
        "success-http-response-code": 299, "trigger-rule-mismatch-http-response-code": -1
    }],
    // webhook loads these; `hookctl validate` reports them (HK120, HK121).
    accepts_a_trigger_rule_without_operator: [{"trigger-rule": {}}],
    accepts_a_trigger_rule_with_several_operators: [{"trigger-rule": {
        "and": [], "or": [], "not": {"match": {"type": "value"}}
    }}],
    accepts_every_source_and_match_type: [{"trigger-rule": {"or": [
        {"match": {"type": "ip-whitelist", "ip-range": "10.0.0.0/8 ::1/128"}},
        {"match": {"type": "scalr-signature", "secret": "s"}},
        {"match": {"type": "payload-hash-sha1", "secret": "s",
                   "parameter": {"source": "header", "name": "X-Hub-Signature"}}},
        {"match": {"type": "regex", "regex": "^a",
                   "parameter": {"source": "entire-payload"}}},
        {"match": {"type": "value", "value": "POST",
                   "parameter": {"source": "request", "name": "method"}}},
        {"match": {"type": "value", "value": "x",
                   "parameter": {"source": "query", "name": "q"}}}
    ]}}],
}

/// Each case makes webhook refuse the whole file (or is a `source`/`type` it never
/// accepts); the schema must flag it.
macro_rules! rejects {
    ($($name:ident: $doc:tt,)*) => {$(
        #[test]
        fn $name() {
            let doc = json!($doc);
            assert!(
                !validator().is_valid(&doc),
                "the schema accepts a broken document:\n{doc:#}"
            );
        }
    )*};
}

rejects! {
    rejects_a_top_level_object: {"id": "deploy", "execute-command": "/bin/true"},
    rejects_a_top_level_string: "deploy",
    rejects_a_hook_as_a_string: ["deploy"],
    rejects_a_hook_as_a_list: [[{"id": "deploy"}]],
    rejects_an_id_as_an_object: [{"id": {"name": "deploy"}}],
    rejects_a_command_as_a_list: [{"execute-command": ["/bin/echo", "hi"]}],
    rejects_a_status_code_as_a_string: [{"success-http-response-code": "201"}],
    rejects_a_status_code_with_a_fraction: [{"trigger-rule-mismatch-http-response-code": 403.5}],
    rejects_a_flag_as_a_string: [{"include-command-output-in-response": "true"}],
    rejects_a_flag_as_a_number: [{"trigger-signature-soft-failures": 1}],
    rejects_http_methods_as_a_string: [{"http-methods": "POST"}],
    rejects_an_http_method_as_an_object: [{"http-methods": [{"method": "POST"}]}],
    rejects_response_headers_as_an_object: [{"response-headers": {"X-A": "b"}}],
    rejects_a_response_header_value_as_a_list: [{"response-headers": [{
        "name": "X-A", "value": ["b"]
    }]}],
    rejects_pass_arguments_as_an_object: [{"pass-arguments-to-command": {
        "source": "payload", "name": "ref"
    }}],
    rejects_an_argument_as_a_string: [{"pass-environment-to-command": ["ref"]}],
    rejects_base64decode_as_a_string: [{"pass-file-to-command": [{
        "source": "payload", "name": "file", "base64decode": "true"
    }]}],
    rejects_parse_parameters_as_json_as_a_string: [{"parse-parameters-as-json": "payload"}],
    rejects_a_trigger_rule_as_a_list: [{"trigger-rule": [{"match": {"type": "value"}}]}],
    rejects_and_as_an_object: [{"trigger-rule": {"and": {"match": {"type": "value"}}}}],
    rejects_or_as_a_string: [{"trigger-rule": {"or": "match"}}],
    rejects_not_as_a_list: [{"trigger-rule": {"not": [{"match": {"type": "value"}}]}}],
    rejects_match_as_a_list: [{"trigger-rule": {"match": [{"type": "value"}]}}],
    rejects_a_match_parameter_as_a_string: [{"trigger-rule": {"match": {
        "type": "value", "value": "main", "parameter": "ref"
    }}}],
    rejects_a_secret_as_an_object: [{"trigger-rule": {"match": {
        "type": "payload-hmac-sha1", "secret": {"env": "SECRET"}
    }}}],
    rejects_an_error_deep_in_the_tree: [{"trigger-rule": {"and": [{"or": [{"not": {"match": {
        "type": "value", "parameter": {"source": "payload", "name": ["ref"]}
    }}}]}]}}],
    rejects_an_unknown_source: [{"pass-arguments-to-command": [{"source": "body", "name": "a"}]}],
    rejects_a_source_in_the_wrong_case: [{"pass-arguments-to-command": [{
        "source": "Header", "name": "X-A"
    }]}],
    rejects_an_unknown_match_type: [{"trigger-rule": {"match": {"type": "hmac-sha256"}}}],
}

#[test]
fn schema_properties_match_the_keys_webhook_reads() {
    let schema = schema();
    let levels: [(&str, &[&str]); 5] = [
        ("hook", HOOK_KEYS),
        ("argument", PARAMETER_KEYS),
        ("responseHeader", HEADER_KEYS),
        ("rules", RULE_KEYS),
        ("match", MATCH_KEYS),
    ];

    let mut problems = Vec::new();
    for (definition, keys) in levels {
        let properties = &schema["definitions"][definition]["properties"];
        let documented: BTreeSet<&str> = properties
            .as_object()
            .unwrap_or_else(|| panic!("definitions/{definition} has no properties"))
            .keys()
            .map(String::as_str)
            .collect();
        let read: BTreeSet<&str> = keys.iter().copied().collect();
        for key in read.difference(&documented) {
            problems.push(format!(
                "definitions/{definition}: webhook reads `{key}` (src/config/decode.rs) but \
                 the schema does not document it"
            ));
        }
        for key in documented.difference(&read) {
            problems.push(format!(
                "definitions/{definition}: the schema documents `{key}`, which webhook does \
                 not read"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn schema_nests_definitions_where_webhook_does() {
    let schema = schema();
    let expected = [
        ("", "#/definitions/hook"),
        (
            "/definitions/hook/properties/response-headers",
            "#/definitions/responseHeader",
        ),
        (
            "/definitions/hook/properties/pass-arguments-to-command",
            "#/definitions/argument",
        ),
        (
            "/definitions/hook/properties/pass-environment-to-command",
            "#/definitions/argument",
        ),
        (
            "/definitions/hook/properties/pass-file-to-command",
            "#/definitions/argument",
        ),
        (
            "/definitions/hook/properties/parse-parameters-as-json",
            "#/definitions/argument",
        ),
        (
            "/definitions/hook/properties/trigger-rule",
            "#/definitions/rules",
        ),
        ("/definitions/rules/properties/and", "#/definitions/rules"),
        ("/definitions/rules/properties/or", "#/definitions/rules"),
        ("/definitions/rules/properties/not", "#/definitions/rules"),
        ("/definitions/rules/properties/match", "#/definitions/match"),
        (
            "/definitions/match/properties/parameter",
            "#/definitions/argument",
        ),
    ];
    for (pointer, target) in expected {
        let node = schema.pointer(pointer).expect(pointer);
        let node = if pointer.is_empty() {
            &node["items"]
        } else {
            node
        };
        let refs = refs_in(node);
        assert_eq!(refs, [target], "`{pointer}` should refer to {target}");
    }
}

#[test]
fn source_values_match_the_model() {
    let schema = schema();
    let documented = const_values(&schema, "/definitions/argument/properties/source");
    let known: BTreeSet<String> = Source::NAMES.iter().map(|s| s.to_string()).collect();
    assert_same_values("source", &documented, &known);
}

#[test]
fn match_type_values_match_the_model() {
    let schema = schema();
    let documented = const_values(&schema, "/definitions/match/properties/type");
    let known: BTreeSet<String> = MatchKind::NAMES.iter().map(|s| s.to_string()).collect();
    assert_same_values("match type", &documented, &known);
}

#[test]
fn every_property_has_a_title_description_and_valid_examples() {
    let schema = schema();
    let definitions = &schema["definitions"];
    let mut problems = Vec::new();
    for (definition, body) in definitions.as_object().unwrap() {
        check_annotations(
            &format!("definitions/{definition}"),
            body,
            definitions,
            &mut problems,
        );
        for (key, property) in body["properties"].as_object().into_iter().flatten() {
            let at = format!("definitions/{definition}/properties/{key}");
            check_annotations(&at, property, definitions, &mut problems);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_enumerated_value_is_described() {
    let schema = schema();
    for pointer in [
        "/definitions/argument/properties/source",
        "/definitions/match/properties/type",
    ] {
        for branch in schema.pointer(pointer).unwrap()["anyOf"]
            .as_array()
            .unwrap()
        {
            if branch.get("const").is_none() {
                continue;
            }
            for key in ["description", "markdownDescription"] {
                assert!(
                    branch[key].as_str().is_some_and(|d| !d.is_empty()),
                    "{pointer}: `{}` has no {key}",
                    branch["const"]
                );
            }
        }
    }
}

/// Checks the annotations of one subschema and that each of its examples validates.
fn check_annotations(at: &str, node: &Value, definitions: &Value, problems: &mut Vec<String>) {
    for key in ["title", "description"] {
        if node[key].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{at}: no `{key}`"));
        }
    }
    let examples = node["examples"].as_array().filter(|e| !e.is_empty());
    let Some(examples) = examples else {
        problems.push(format!("{at}: no `examples`"));
        return;
    };

    // Validate against the subschema with the definitions in scope for its `$ref`s.
    let mut standalone = node.clone();
    standalone["definitions"] = definitions.clone();
    let validator = jsonschema::draft7::new(&standalone).expect("subschema compiles");
    for example in examples {
        if let Some(v) = violations(&validator, example) {
            problems.push(format!("{at}: example {example} is invalid:\n{v}"));
        }
    }
}

/// Every `$ref` inside `node`, in document order.
fn refs_in(node: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    collect_refs(node, &mut refs);
    refs
}

fn collect_refs(node: &Value, refs: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => refs.push(r.clone()),
                    ("examples", _) => {}
                    _ => collect_refs(value, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

/// The string values a property allows through `const` or `enum`, at any depth.
fn const_values(schema: &Value, pointer: &str) -> BTreeSet<String> {
    let node = schema
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"));
    let mut values = BTreeSet::new();
    collect_consts(node, &mut values);
    values
}

fn collect_consts(node: &Value, values: &mut BTreeSet<String>) {
    let Value::Object(map) = node else { return };
    if let Some(Value::String(c)) = map.get("const") {
        values.insert(c.clone());
    }
    if let Some(Value::Array(items)) = map.get("enum") {
        values.extend(items.iter().filter_map(|v| v.as_str().map(String::from)));
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            collect_consts(branch, values);
        }
    }
}

fn assert_same_values(what: &str, documented: &BTreeSet<String>, known: &BTreeSet<String>) {
    let mut problems = Vec::new();
    for v in known.difference(documented) {
        problems.push(format!(
            "the model knows {what} `{v}` but the schema does not list it"
        ));
    }
    for v in documented.difference(known) {
        problems.push(format!(
            "the schema lists {what} `{v}`, which the model does not know"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
