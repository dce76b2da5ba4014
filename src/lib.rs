//! hookctl: prove webhook (adnanh/webhook) hook configurations before they reach
//! production.

pub mod config;
pub mod request;

#[cfg(test)]
mod testing;
