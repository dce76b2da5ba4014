//! hookctl: prove webhook (adnanh/webhook) hook configurations before they reach
//! production.

pub mod config;
pub mod outcome;
pub mod request;
pub mod rules;

#[cfg(test)]
mod testing;
