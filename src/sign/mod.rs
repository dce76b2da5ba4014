//! `hookctl sign`: the signatures senders put on a request, computed over a payload, the
//! headers and query parameters a hook's trigger rule expects, ready-to-send test
//! requests, and the check of a signature someone else computed.
//!
//! The module owns the signing schemes ([`scheme`]), where secrets come from
//! ([`secret`]), one streaming pass over a payload of any size ([`stream`]), the signature
//! matches of a hook ([`hook`]), verification with a diagnosis ([`verify`]) and the shapes
//! a result is written in ([`render`], [`request`]). It does not compute HMACs itself
//! (that is `rules::signature`, shared with the engine), read hook files (`config`) or
//! parse arguments (`cli::sign`).

pub mod body;
pub mod clock;
pub mod hook;
pub mod render;
pub mod request;
pub mod scheme;
pub mod secret;
pub mod stream;
pub mod verify;

pub use scheme::{Encoding, MacJob, Placement, Plan, Planned, Provider};
pub use stream::{digest_bytes, digest_reader, Digested};
