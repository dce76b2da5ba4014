//! The single integration-test binary: one module per subcommand, shared helpers in
//! `support`.

mod completions;
mod schema;
mod serve;
mod simulate;
mod support;
mod validate;
