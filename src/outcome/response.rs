//! The HTTP response webhook sends, built the way Go's `ResponseWriter` builds it.
//!
//! webhook sets headers, maybe calls `WriteHeader`, and writes a body in one piece; Go
//! then decides the rest. `Writer` reproduces those decisions: header changes after
//! the status is written are lost, a 1xx status goes out as an interim response before
//! a `200`, 204 and 304 carry no body, `Content-Type` is sniffed from the body when
//! unset, names are canonical, and bodies over 2048 bytes are sent chunked.

use std::collections::BTreeMap;

use crate::request::canonical_header_key;

use super::sniff::detect_content_type;

/// Go's response buffer: a body that fits is sent with `Content-Length`.
const BUFFER_BYTES: usize = 2048;

/// A response as webhook (through Go's server) sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The final status.
    pub status: u16,
    /// A 1xx status sent before the final response.
    pub interim: Option<u16>,
    /// Header fields with canonical names: those webhook set, sorted by name, then the
    /// sniffed `Content-Type` when Go added one. `Date`, `Content-Length` and
    /// `Transfer-Encoding` are left to [`Response::framing`].
    pub headers: Vec<(String, String)>,
    /// The body bytes sent (empty when the status allows none, and for `HEAD`).
    pub body: Vec<u8>,
    pub framing: Framing,
}

/// How the body is delimited on an HTTP/1.1 connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length` with this value.
    Length(usize),
    /// `Transfer-Encoding: chunked` (bodies over 2048 bytes).
    Chunked,
    /// No body and no length header (1xx, 204, 304).
    None,
}

impl Response {
    /// The reason phrase of the final status.
    pub fn reason(&self) -> &'static str {
        status_text(self.status).unwrap_or("")
    }

    /// The first value of a header, by canonical name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let wanted = canonical_header_key(name);
        self.headers
            .iter()
            .find(|(n, _)| *n == wanted)
            .map(|(_, v)| v.as_str())
    }

    /// A response with fixed headers and body, for answers Go gives itself.
    pub(crate) fn fixed(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let headers = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let framing = if body.is_empty() && status == 301 {
            Framing::Length(0)
        } else {
            frame(body)
        };
        Response {
            status,
            interim: None,
            headers,
            body: body.to_vec(),
            framing,
        }
    }
}

/// Go 1.19's reason phrases; webhook uses a configured status only when Go has one.
pub fn status_text(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

/// Go's `ResponseWriter` as webhook's handler uses it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Writer {
    headers: BTreeMap<String, String>,
    status: Option<u16>,
    interim: Option<u16>,
    body: Vec<u8>,
}

impl Writer {
    /// `w.Header().Set(name, value)`; ignored once the status is written.
    pub fn set_header(&mut self, name: &str, value: &str) {
        if self.status.is_none() {
            self.headers
                .insert(canonical_header_key(name), value.to_string());
        }
    }

    /// `w.WriteHeader(code)`: a 1xx code is sent at once as an interim response.
    pub fn write_header(&mut self, code: u16) {
        if self.status.is_some() {
            return;
        }
        if (100..200).contains(&code) {
            self.interim = Some(code);
        } else {
            self.status = Some(code);
        }
    }

    /// Go's automatic `100 Continue`, sent when the handler first reads the body of a
    /// request that asked for it.
    pub fn send_continue(&mut self) {
        if self.status.is_none() {
            self.interim.get_or_insert(100);
        }
    }

    /// `fmt.Fprint(w, body)`.
    pub fn write(&mut self, data: &[u8]) {
        self.status.get_or_insert(200);
        self.body.extend_from_slice(data);
    }

    /// What goes on the wire once the handler returns.
    pub fn finish(self, method: &str) -> Response {
        let status = self.status.unwrap_or(200);
        let allows_body = !matches!(status, 100..=199 | 204 | 304);
        let body = if allows_body { self.body } else { Vec::new() };
        let mut headers: Vec<(String, String)> = self
            .headers
            .into_iter()
            .filter(|(name, _)| !name.is_empty() && name.bytes().all(crate::request::is_token_byte))
            .filter(|(name, _)| !(status == 304 && name == "Content-Type"))
            .map(|(name, value)| (name, value.replace(['\r', '\n'], " ").trim().to_string()))
            .collect();
        let has_type = headers.iter().any(|(n, _)| n == "Content-Type");
        if allows_body && !has_type && !body.is_empty() {
            headers.push(("Content-Type".into(), detect_content_type(&body).into()));
        }
        // Go announces a length for HEAD only when the handler wrote bytes.
        let framing = if allows_body && !(method == "HEAD" && body.is_empty()) {
            frame(&body)
        } else {
            Framing::None
        };
        let body = if method == "HEAD" { Vec::new() } else { body };
        Response {
            status,
            interim: self.interim,
            headers,
            body,
            framing,
        }
    }
}

// Known gap: framing assumes HTTP/1.1; Go sends a long body to an HTTP/1.0 client
// unframed and closes the connection. Why: `Request` does not keep the version, and
// only the framing differs. Tracked: docs/limitations.md#http10-framing
fn frame(body: &[u8]) -> Framing {
    if body.len() > BUFFER_BYTES {
        Framing::Chunked
    } else {
        Framing::Length(body.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_and_frames() {
        let mut w = Writer::default();
        w.write(b"<html><body>x</body></html>");
        let r = w.finish("POST");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(r.framing, Framing::Length(27));
        let mut w = Writer::default();
        w.write(&[b'a'; 2049]);
        assert_eq!(w.finish("POST").framing, Framing::Chunked);
        let mut w = Writer::default();
        w.write(&[b'a'; 2048]);
        assert_eq!(w.finish("POST").framing, Framing::Length(2048));
    }

    #[test]
    fn empty_bodies_get_no_content_type() {
        let r = Writer::default().finish("POST");
        assert_eq!(
            (r.status, r.headers.len(), r.framing),
            (200, 0, Framing::Length(0))
        );
    }

    #[test]
    fn headers_after_the_status_are_lost() {
        let mut w = Writer::default();
        w.set_header("x-custom", "1");
        w.write_header(500);
        w.set_header("Content-Type", "text/plain; charset=utf-8");
        w.write(b"{}");
        let r = w.finish("POST");
        assert_eq!(
            r.headers,
            [
                ("X-Custom".to_string(), "1".to_string()),
                ("Content-Type".into(), "text/plain; charset=utf-8".into()),
            ]
        );
    }

    #[test]
    fn status_rules() {
        let mut w = Writer::default();
        w.set_header("Content-Type", "application/json");
        w.write_header(304);
        w.write(b"body");
        let r = w.finish("POST");
        assert_eq!((r.status, r.body.len(), r.framing), (304, 0, Framing::None));
        assert!(r.headers.is_empty());
        let mut w = Writer::default();
        w.write_header(100);
        w.write(b"after");
        let r = w.finish("POST");
        assert_eq!((r.interim, r.status), (Some(100), 200));
        let mut w = Writer::default();
        w.write_header(204);
        w.write(b"x");
        assert_eq!(w.finish("POST").headers, []);
        assert_eq!(status_text(299), None);
        assert_eq!(status_text(418), Some("I'm a teapot"));
    }

    #[test]
    fn head_drops_the_body_but_keeps_the_type() {
        let mut w = Writer::default();
        w.write(b"out\n");
        let r = w.finish("HEAD");
        assert!(r.body.is_empty());
        assert_eq!(r.header("Content-Type"), Some("text/plain; charset=utf-8"));
        assert_eq!(r.framing, Framing::Length(4));
        let mut w = Writer::default();
        w.write_header(405);
        assert_eq!(w.finish("HEAD").framing, Framing::None);
    }
}
