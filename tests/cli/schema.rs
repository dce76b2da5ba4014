//! The published JSON Schema.
