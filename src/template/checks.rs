//! The catalog of checks about templated hook files (HK6xx). Codes are stable and never
//! reused.

use crate::diagnostic::check_catalog;

check_catalog! {
    TEMPLATE_SYNTAX_ERROR = "HK600" "template-syntax-error" Error
        "the file is not a valid Go template, so webhook -template cannot load it";
    TEMPLATE_EXECUTION_ERROR = "HK601" "template-execution-error" Error
        "rendering the template fails, so webhook -template cannot load the file";
    EMPTY_TEMPLATE_SECRET = "HK602" "empty-template-secret" Error
        "a secret or token that the template renders empty with the given inputs";
    TEMPLATE_BREAKS_QUOTING = "HK603" "template-breaks-quoting" Error
        "a value inserted by the template breaks the JSON or YAML around it";
    PER_REQUEST_TEMPLATE_DATA = "HK604" "per-request-template-data" Warning
        "a template reads `.payload` or other data, but webhook renders with no data at all";
    TEMPLATE_FUNCTION_UNAVAILABLE = "HK605" "template-function-unavailable" Error
        "a template function that the target webhook release does not define";
    JS_ESCAPED_QUOTE = "HK606" "js-escaped-quote" Info
        "`js` wrote `\\'`, which only webhook's YAML reader accepts inside double quotes";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_in_the_template_range() {
        let codes: Vec<_> = ALL.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        assert!(codes.iter().all(|c| c.starts_with("HK6")));
        let clash = crate::config::checks::ALL
            .iter()
            .any(|c| codes.contains(&c.code) || ALL.iter().any(|t| t.name == c.name));
        assert!(!clash);
    }
}
