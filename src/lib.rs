//! hookctl: prove webhook (adnanh/webhook) hook configurations before they reach
//! production.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod lint;
pub mod outcome;
pub mod request;
pub mod rules;
pub mod server;
pub mod sign;
pub mod template;

#[cfg(test)]
mod testing;
