//! The catalog of checks that `validate` runs: structure (HK1xx), matching (HK2xx) and
//! execution and responses (HK4xx). Codes are stable and never reused.

use crate::diagnostic::{check_catalog, Check};

check_catalog! {
    SYNTAX_ERROR = "HK100" "syntax-error" Error
        "the file is not valid YAML or JSON, so webhook cannot load it";
    TOP_LEVEL_NOT_LIST = "HK101" "top-level-not-list" Error
        "the file must hold a list of hooks";
    DUPLICATE_HOOK_ID = "HK102" "duplicate-hook-id" Error
        "two hooks in one file share an id; webhook serves only the first";
    HOOK_NOT_OBJECT = "HK103" "hook-not-object" Error
        "an entry of the hook list is not an object";
    WRONG_TYPE = "HK104" "wrong-type" Error
        "a field has a type webhook cannot decode, so the whole file fails to load";
    UNKNOWN_KEY = "HK105" "unknown-key" Warning
        "a key webhook does not know; it is silently ignored";
    MISSPELT_KEY = "HK106" "misspelt-key" Error
        "a key that looks like a misspelling of a known field, which webhook ignores";
    MISSING_HOOK_ID = "HK107" "missing-hook-id" Error
        "a hook without an `id`, reachable only at the bare prefix URL";
    MISSING_EXECUTE_COMMAND = "HK108" "missing-execute-command" Error
        "a hook without an `execute-command`, which fails at every request";
    EMPTY_HOOK_ID = "HK109" "empty-hook-id" Error
        "a hook whose `id` is empty";
    DUPLICATE_KEY = "HK110" "duplicate-key" Warning
        "a key written twice in one object; webhook keeps only one of them";
    RETYPED_VALUE = "HK111" "retyped-value" Warning
        "an unquoted value that YAML 1.1 reads as something other than the text written";
    EXTRA_DOCUMENT = "HK112" "extra-document" Warning
        "a second YAML document, which webhook ignores";
    DUPLICATE_HOOK_ID_ACROSS_FILES = "HK113" "duplicate-hook-id-across-files" Error
        "two hook files define the same id, so webhook refuses to start";
    KEY_CASE_MISMATCH = "HK114" "key-case-mismatch" Warning
        "a key that matches a field only because webhook ignores case";
    NO_HOOKS = "HK115" "no-hooks" Warning
        "the file holds no hooks; webhook aborts when no hook is loaded";
    NULL_HOOK = "HK116" "null-hook" Warning
        "a `null` entry in the hook list, which webhook loads as an empty hook";
    TEMPLATE_NOT_RENDERED = "HK117" "template-not-rendered" Warning
        "`{{ ... }}` in a value of a file webhook does not render as a template";
    TRIGGER_RULE_WITHOUT_OPERATOR = "HK120" "trigger-rule-without-operator" Error
        "a trigger rule object with none of `and`, `or`, `not`, `match`: always false";
    SEVERAL_OPERATORS = "HK121" "several-operators" Error
        "a trigger rule object with more than one operator; webhook uses only the first";
    EMPTY_AND = "HK122" "empty-and" Warning
        "an empty `and`, which is always true";
    EMPTY_OR = "HK123" "empty-or" Error
        "an empty `or`, which is never true";
    UNKNOWN_MATCH_TYPE = "HK200" "unknown-match-type" Error
        "a match `type` webhook does not know; the match is never true";
    UNKNOWN_PARAMETER_SOURCE = "HK201" "unknown-parameter-source" Error
        "a parameter `source` webhook does not know; lookups always fail";
    MISSING_MATCH_FIELD = "HK202" "missing-match-field" Error
        "a match without the field its type needs (`parameter`, `value`, `regex`, ...)";
    MISSING_PARAMETER_NAME = "HK203" "missing-parameter-name" Error
        "a parameter whose source needs a `name` but has none";
    INVALID_REGEX = "HK204" "invalid-regex" Error
        "a regex that Go's RE2 engine rejects; the rule errors at every request";
    INVALID_IP_RANGE = "HK206" "invalid-ip-range" Error
        "an `ip-range` entry that is not an IP address or CIDR block";
    UNKNOWN_REQUEST_KEY = "HK207" "unknown-request-key" Error
        "a `request` parameter other than `method` or `remote-addr`";
    DOTTED_JSON_PARAMETER = "HK208" "dotted-json-parameter" Error
        "a dotted `parse-parameters-as-json` name, which webhook never decodes and which \
         makes it answer 500 when the value holds a JSON object";
    UNPARSED_CONTENT_TYPE = "HK209" "unparsed-content-type" Warning
        "an `incoming-payload-content-type` no body parser of webhook recognises";
    IPV6_WITHOUT_PREFIX = "HK210" "ipv6-without-prefix" Warning
        "an IPv6 address in `ip-range` without a prefix, which webhook reads as a /32 net";
    JSON_PARAMETER_SOURCE = "HK211" "json-parameter-source" Warning
        "a `parse-parameters-as-json` source other than header, url, query or payload";
    DEPRECATED_MATCH_TYPE = "HK212" "deprecated-match-type" Warning
        "a `payload-hash-*` type, a deprecated alias webhook warns about at every request";
    UNEXPANDED_PLACEHOLDER = "HK300" "unexpanded-placeholder" Error
        "a secret written as `${VAR}`, `$VAR` or `%VAR%`, which webhook never expands";
    EXAMPLE_SECRET = "HK301" "example-secret" Warning
        "a secret that looks like an example value left in place";
    UNKNOWN_STATUS_CODE = "HK400" "unknown-status-code" Warning
        "a status code Go has no text for; webhook answers 200 instead";
    HTTP_METHOD_NEVER_MATCHES = "HK401" "http-method-never-matches" Error
        "an `http-methods` entry that can never equal a request method";
    OUTPUT_ON_ERROR_WITHOUT_CAPTURE = "HK402" "output-on-error-without-capture" Warning
        "`include-command-output-in-response-on-error` without output capture has no effect";
    RESPONSE_MESSAGE_IGNORED = "HK403" "response-message-ignored" Warning
        "a `response-message` webhook never sends, because the command output is sent instead";
}

/// Finds a check by code (`HK105`) or name (`unknown-key`), ignoring case.
pub fn find(code_or_name: &str) -> Option<Check> {
    ALL.iter()
        .find(|c| c.code.eq_ignore_ascii_case(code_or_name) || c.name == code_or_name)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<_> = ALL.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<_> = ALL.iter().map(|c| c.name).collect();
        assert!(names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }
}
