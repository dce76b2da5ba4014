//! One lint rule per file; see [`super::registry`] for the list.

pub mod array_without_index;
pub mod command_not_found;
pub mod command_with_arguments;
pub mod contradictory_matches;
pub mod ip_whitelist_too_wide;
pub mod multipart_signature;
pub mod not_over_absent_parameter;
pub mod output_returned_to_caller;
pub mod payload_as_argument;
pub mod payload_field_never_sent;
pub mod response_not_json;
pub mod secret_in_plain_text;
pub mod signature_header_mismatch;
pub mod signature_header_never_sent;
pub mod signature_under_or;
pub mod slow_synchronous_hook;
pub mod source_prefix_in_name;
pub mod token_in_query;
pub mod unanchored_regex;
pub mod unauthenticated_hook;
pub mod unsafe_environment_name;
pub mod unverifiable_signature_scheme;
pub mod version_dependent_header;
pub mod weak_signature_algorithm;
pub mod working_directory_lookup;
pub mod yaml_only_json;
