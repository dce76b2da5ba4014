//! Between hyper and the engine: a hyper request becomes a [`Request`] as webhook would
//! read it, and the engine's [`Response`] goes out with the framing it chose.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};

use crate::outcome::{Framing, Response};
use crate::request::{canonical_header_key, Request};

/// A response body: one piece with a known length (`Content-Length`), or one piece of
/// unknown length, which hyper sends chunked to HTTP/1.1 clients and unframed, closing
/// the connection, to HTTP/1.0 clients, as Go does.
#[derive(Debug)]
pub struct ServeBody {
    data: Option<Bytes>,
    known_length: bool,
}

impl ServeBody {
    pub fn fixed(data: impl Into<Bytes>) -> ServeBody {
        ServeBody {
            data: Some(data.into()),
            known_length: true,
        }
    }

    pub fn chunked(data: impl Into<Bytes>) -> ServeBody {
        ServeBody {
            data: Some(data.into()),
            known_length: false,
        }
    }
}

impl Body for ServeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(
            self.data
                .take()
                .filter(|d| !d.is_empty())
                .map(|d| Ok(Frame::data(d))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.data.as_ref().is_none_or(Bytes::is_empty)
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, self.known_length) {
            (Some(d), true) => SizeHint::with_exact(d.len() as u64),
            (None, true) => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}

/// The engine's view of a request hyper read.
pub fn to_engine(parts: &hyper::http::request::Parts, body: Vec<u8>, remote: &str) -> Request {
    let uri = &parts.uri;
    let target = if uri.scheme().is_some() {
        uri.to_string()
    } else {
        uri.path_and_query()
            .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string())
    };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                canonical_header_key(name.as_str()),
                String::from_utf8_lossy(value.as_bytes())
                    .trim_matches([' ', '\t'])
                    .to_string(),
            )
        })
        .collect();
    Request {
        method: parts.method.as_str().to_string(),
        target: path.to_string(),
        query: query.to_string(),
        headers,
        remote_addr: remote.to_string(),
        body,
    }
}

/// The hyper response for the engine's `response`, to a request made with `method`.
///
/// Known gap: a configured 1xx status (`response.interim` other than Go's automatic
/// `100 Continue`) is not sent; only the final response goes out. Why: hyper offers a
/// server no way to send an interim response. Tracked:
/// docs/limitations.md#serve-interim-status
pub fn to_hyper(response: &Response, method: &str) -> hyper::Response<ServeBody> {
    let body = Bytes::from(response.body.clone());
    let body = match response.framing {
        Framing::Chunked => ServeBody::chunked(body),
        Framing::Length(_) | Framing::None => ServeBody::fixed(body),
    };
    let mut out = hyper::Response::new(body);
    *out.status_mut() = hyper::StatusCode::from_u16(response.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(reason) = crate::outcome::response::status_text(response.status) {
        out.extensions_mut()
            .insert(hyper::ext::ReasonPhrase::from_static(reason.as_bytes()));
    }
    let headers = out.headers_mut();
    for (name, value) in &response.headers {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    // A HEAD answer has no body but announces the length the GET body would have.
    if let (Framing::Length(n), "HEAD") = (response.framing, method) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(n));
    }
    out
}

/// A plain answer hookctl gives itself (413, 503, health, metrics).
pub fn plain(
    status: u16,
    content_type: &str,
    body: impl Into<Bytes>,
) -> hyper::Response<ServeBody> {
    let mut out = hyper::Response::new(ServeBody::fixed(body));
    *out.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = HeaderValue::from_str(content_type) {
        out.headers_mut().insert(hyper::header::CONTENT_TYPE, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_requests_with_canonical_names() {
        let req = hyper::Request::builder()
            .method("POST")
            .uri("/hooks/a%2Fb?x=1&y")
            .header("x-hub-signature", "sha1=00")
            .header("X-Multi", "v1")
            .header("x-multi", "v2")
            .body(())
            .unwrap();
        let (parts, ()) = req.into_parts();
        let r = to_engine(&parts, b"{}".to_vec(), "127.0.0.1:1");
        assert_eq!(
            (r.target.as_str(), r.query.as_str()),
            ("/hooks/a%2Fb", "x=1&y")
        );
        assert_eq!(r.header("X-Hub-Signature"), Some("sha1=00"));
        assert_eq!(r.header_values("x-multi").collect::<Vec<_>>(), ["v1", "v2"]);
        assert_eq!(r.headers[0].0, "X-Hub-Signature");
    }

    #[test]
    fn framing_follows_the_engine() {
        let response = Response {
            status: 418,
            interim: None,
            headers: vec![("X-Custom".into(), "1".into())],
            body: vec![b'a'; 3000],
            framing: Framing::Chunked,
        };
        let out = to_hyper(&response, "POST");
        assert_eq!(out.status(), 418);
        assert_eq!(out.body().size_hint().exact(), None);
        assert_eq!(
            out.extensions()
                .get::<hyper::ext::ReasonPhrase>()
                .map(|r| r.as_bytes()),
            Some(&b"I'm a teapot"[..])
        );
        let head = Response {
            body: Vec::new(),
            framing: Framing::Length(5),
            ..response
        };
        let out = to_hyper(&head, "HEAD");
        assert_eq!(out.headers()[CONTENT_LENGTH], "5");
    }
}
