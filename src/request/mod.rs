//! The request side of the engine: an HTTP request as recorded, the values webhook reads
//! from it (headers, query, payload), and the lookup of a parameter in those values.
//!
//! [`Request`] holds the request as it was sent, with no interpretation. [`payload`]
//! turns it into a [`Context`] the way webhook's handler does (first values only, body
//! decoded by content type, `parse-parameters-as-json` applied), and [`parameter`]
//! resolves a hook's parameters against that context. Routing, method checks and
//! responses belong to `outcome`, and trigger rules to `rules`.

pub mod context;
pub mod delivery;
pub mod form;
pub mod http;
pub mod json;
pub mod mime;
pub mod multipart;
pub mod parameter;
pub mod payload;
pub mod quote;
pub mod value;
pub mod xml;

#[cfg(test)]
mod robustness;

pub use context::Context;
pub use value::{Map, Value};

/// The peer address used when a recorded request does not say where it came from.
pub const DEFAULT_REMOTE_ADDR: &str = "127.0.0.1:0";

/// An HTTP request as it was sent, before webhook reads anything from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// The method exactly as sent (webhook never changes its case).
    pub method: String,
    /// The request target before the first `?`, still percent-encoded.
    pub target: String,
    /// Everything after the first `?` of the target, undecoded; empty when there is none.
    pub query: String,
    /// Header fields in the order sent, names spelled as sent, values with surrounding
    /// spaces removed.
    pub headers: Vec<(String, String)>,
    /// The peer as `ip:port` (`[::1]:4711` for IPv6), which webhook's `ip-whitelist`
    /// and `request remote-addr` read.
    pub remote_addr: String,
    /// The body after any chunked transfer coding was removed.
    pub body: Vec<u8>,
}

impl Request {
    /// A request with no headers and no body, from the default peer address.
    pub fn new(method: &str, target: &str) -> Request {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Request {
            method: method.into(),
            target: path.into(),
            query: query.into(),
            remote_addr: DEFAULT_REMOTE_ADDR.into(),
            ..Request::default()
        }
    }

    /// Adds a header field after the existing ones.
    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = body.into();
        self
    }

    /// The first value of a header, matching names the way Go does (canonical form).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).next()
    }

    /// Every value of a header, in the order sent.
    pub fn header_values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        let wanted = canonical_header_key(name);
        self.headers
            .iter()
            .filter(move |(n, _)| canonical_header_key(n) == wanted)
            .map(|(_, v)| v.as_str())
    }

    /// The target with its query, as the request line carried it.
    pub fn request_uri(&self) -> String {
        if self.query.is_empty() {
            self.target.clone()
        } else {
            format!("{}?{}", self.target, self.query)
        }
    }
}

/// Go's `textproto.CanonicalMIMEHeaderKey`: the first letter and every letter after a
/// `-` upper case, the rest lower case (`x-hub-signature` → `X-Hub-Signature`,
/// `x-data.someKey` → `X-Data.somekey`). A name holding any byte that is not allowed in
/// an HTTP token (a space, a non-ASCII letter) is returned unchanged.
pub fn canonical_header_key(name: &str) -> String {
    if !name.bytes().all(is_token_byte) {
        return name.to_string();
    }
    let mut upper = true;
    let bytes: Vec<u8> = name
        .bytes()
        .map(|c| {
            let c = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            upper = c == b'-';
            c
        })
        .collect();
    String::from_utf8(bytes).expect("ASCII stays ASCII")
}

/// Whether `c` may appear in an HTTP token (RFC 7230 `tchar`).
pub fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_like_go() {
        assert_eq!(
            canonical_header_key("x-hub-signature-256"),
            "X-Hub-Signature-256"
        );
        assert_eq!(canonical_header_key("CONTENT-TYPE"), "Content-Type");
        assert_eq!(canonical_header_key("x-data.someKey"), "X-Data.somekey");
        assert_eq!(canonical_header_key("x_y"), "X_y");
        assert_eq!(canonical_header_key("has space"), "has space");
        assert_eq!(canonical_header_key("ünï"), "ünï");
        assert_eq!(canonical_header_key(""), "");
        assert_eq!(canonical_header_key("-a-"), "-A-");
    }

    #[test]
    fn header_lookup_uses_canonical_names_and_first_value() {
        let req = Request::new("POST", "/hooks/x?a=1")
            .with_header("x-multi", "v1")
            .with_header("X-MULTI", "v2");
        assert_eq!(req.header("X-Multi"), Some("v1"));
        assert_eq!(
            req.header_values("x-multi").collect::<Vec<_>>(),
            ["v1", "v2"]
        );
        assert_eq!(req.header("missing"), None);
        assert_eq!(req.target, "/hooks/x");
        assert_eq!(req.query, "a=1");
        assert_eq!(req.request_uri(), "/hooks/x?a=1");
    }
}
