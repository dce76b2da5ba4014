//! The single integration-test binary: one module per subcommand, shared helpers in
//! `support`.

mod completions;
mod lint;
mod schema;
mod simulate;
mod support;
mod template;
mod validate;
