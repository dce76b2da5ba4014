//! Committed shell completions.
