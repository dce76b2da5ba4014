//! What webhook knows about a request once it has read it: the values that parameters
//! are looked up in.

use super::value::Map;

/// The request values a hook's parameters and trigger rule see.
///
/// Built by [`super::payload::decode`]. Header names are canonical (`X-Hub-Signature`)
/// and hold the first value sent; the query holds the first value of each name;
/// `payload` is `None` when webhook has no payload map (unsupported content type, or a
/// body that failed to decode), which `entire-payload` shows as `null`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    pub method: String,
    /// The peer as `ip:port`.
    pub remote_addr: String,
    pub headers: Map,
    pub query: Map,
    pub payload: Option<Map>,
    /// The body bytes webhook kept: the whole body, or nothing for a multipart request.
    /// Signatures are computed over these bytes.
    pub raw_body: Vec<u8>,
    /// The content type that chose the body parser (`incoming-payload-content-type`
    /// when the hook sets one, else the request's `Content-Type`).
    pub content_type: String,
    /// Whether the body was read as `multipart/form-data` (and so not kept).
    pub is_multipart: bool,
}
