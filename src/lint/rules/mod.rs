//! One lint rule per file; see [`super::registry`] for the list.

pub mod secret_in_plain_text;
pub mod signature_header_mismatch;
pub mod source_prefix_in_name;
pub mod unanchored_regex;
pub mod unauthenticated_hook;
pub mod unverifiable_signature_scheme;
pub mod version_dependent_header;
pub mod weak_signature_algorithm;
