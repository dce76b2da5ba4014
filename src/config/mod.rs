//! The hook file: parsing with positions, webhook's reading of values, and the model.

pub mod checks;
pub mod decode;
pub mod load;
pub mod model;
pub mod node;
pub mod parse;
pub mod positions;
pub mod regex_check;
pub mod suggest;
pub mod validate;
pub mod yaml11;
