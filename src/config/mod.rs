//! The hook file: parsing with positions, webhook's reading of values, and the model.

pub mod model;
pub mod node;
pub mod parse;
pub mod positions;
pub mod yaml11;
pub mod checks;
pub mod decode;
pub mod suggest;
pub mod load;
pub mod regex_check;
pub mod validate;
