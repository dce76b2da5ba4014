//! The list of every lint rule, sorted by code.

use super::rules::*;
use super::LintRule;
use crate::config::checks;
use crate::diagnostic::Check;

/// Every lint rule, sorted by code. Adding a rule means adding its line here.
pub const ALL: &[LintRule] = &[
    version_dependent_header::RULE,
    unanchored_regex::RULE,
    contradictory_matches::RULE,
    not_over_absent_parameter::RULE,
    source_prefix_in_name::RULE,
    array_without_index::RULE,
    payload_field_never_sent::RULE,
    unauthenticated_hook::RULE,
    secret_in_plain_text::RULE,
    token_in_query::RULE,
    ip_whitelist_too_wide::RULE,
    signature_under_or::RULE,
    weak_signature_algorithm::RULE,
    signature_header_mismatch::RULE,
    unverifiable_signature_scheme::RULE,
    signature_header_never_sent::RULE,
    multipart_signature::RULE,
    command_not_found::RULE,
    command_with_arguments::RULE,
    working_directory_lookup::RULE,
    unsafe_environment_name::RULE,
    payload_as_argument::RULE,
    output_returned_to_caller::RULE,
    slow_synchronous_hook::RULE,
    response_not_json::RULE,
    yaml_only_json::RULE,
];

/// Every check a lint run can report: validate's and the lint rules', sorted by code.
pub fn catalog() -> Vec<Check> {
    let mut all: Vec<Check> = checks::ALL.to_vec();
    all.push(super::config::UNKNOWN_RULE_NAME);
    all.extend(crate::template::checks::ALL);
    all.extend(ALL.iter().map(|r| r.check));
    all.sort_by_key(|c| c.code);
    all
}

/// The lint rule with this code or name, if it is one (validate's checks are not).
pub fn find_rule(code_or_name: &str) -> Option<&'static LintRule> {
    ALL.iter()
        .find(|r| r.check.code.eq_ignore_ascii_case(code_or_name) || r.check.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_across_validate_and_lint() {
        let all = catalog();
        let mut codes: Vec<_> = all.iter().map(|c| c.code).collect();
        let mut names: Vec<_> = all.iter().map(|c| c.name).collect();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), all.len(), "duplicate code");
        assert_eq!(names.len(), all.len(), "duplicate name");
    }

    #[test]
    fn registry_is_sorted_and_every_rule_is_documented() {
        let codes: Vec<_> = ALL.iter().map(|r| r.check.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        for rule in ALL {
            for heading in [
                "## What it flags",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(
                    rule.docs.contains(heading),
                    "{} lacks {heading}",
                    rule.check.name
                );
            }
        }
    }
}
