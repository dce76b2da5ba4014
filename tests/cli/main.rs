//! The single integration-test binary: one module per subcommand, shared helpers in
//! `support`.

mod completions;
mod lint;
mod schema;
mod serve;
mod sign;
mod simulate;
mod support;
mod template;
mod validate;
