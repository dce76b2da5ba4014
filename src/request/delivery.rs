//! A [`Request`] rebuilt from a GitHub webhook delivery, as returned by GitHub's "get a
//! delivery for a repository webhook" API (`{"request": {"headers": {...}, "payload":
//! {...}}, "url": ..., ...}`).
//!
//! GitHub's API returns the payload as parsed JSON, not the bytes it sent. The body is
//! therefore rebuilt: the payload is written compactly with its keys in the order
//! given and its numbers as written, and for a delivery sent as
//! `application/x-www-form-urlencoded` it is wrapped as `payload=<url-encoded JSON>`.
//! This is close to what GitHub sends but not guaranteed byte for byte (escaping of
//! non-ASCII or `/` may differ), so **a signature header in the delivery may not match
//! the rebuilt body**, even with the right secret. Everything that does not depend on
//! the exact bytes (values, headers, trigger rules other than signatures) is reliable.

use serde_json::Value as Json;
use thiserror::Error;

use super::{canonical_header_key, Request, DEFAULT_REMOTE_ADDR};

/// Why a delivery document could not be turned into a request.
#[derive(Debug, Error)]
pub enum DeliveryError {
    #[error("the delivery is not JSON: {0}")]
    NotJson(#[from] serde_json::Error),
    #[error("the delivery has no `request` object")]
    NoRequest,
    #[error("`request.headers` is not an object of strings")]
    BadHeaders,
}

/// Builds the request GitHub sent for a delivery. `target` is the path (and query) to
/// use; when `None`, the path of the delivery's `url` is used, or `/`.
pub fn from_github_delivery(text: &str, target: Option<&str>) -> Result<Request, DeliveryError> {
    let document: Json = serde_json::from_str(text)?;
    let request = document
        .get("request")
        .filter(|r| r.is_object())
        .ok_or(DeliveryError::NoRequest)?;
    let mut headers = read_headers(request.get("headers"))?;
    let payload = request.get("payload").cloned().unwrap_or(Json::Null);
    let json = serde_json::to_string(&payload).expect("a JSON value always serializes");

    let is_form = headers.iter().any(|(n, v)| {
        canonical_header_key(n) == "Content-Type" && v.contains("x-www-form-urlencoded")
    });
    let body = if is_form {
        let encoded: String = form_urlencoded::byte_serialize(json.as_bytes()).collect();
        format!("payload={encoded}")
    } else {
        json
    };

    let url = document.get("url").and_then(Json::as_str).unwrap_or("");
    let (host, path) = split_url(url);
    if !headers
        .iter()
        .any(|(n, _)| canonical_header_key(n) == "Host")
        && !host.is_empty()
    {
        headers.insert(0, ("Host".into(), host.to_string()));
    }
    headers.retain(|(n, _)| canonical_header_key(n) != "Content-Length");
    headers.push(("Content-Length".into(), body.len().to_string()));

    let target = target.unwrap_or(path);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: "POST".into(),
        target: path.into(),
        query: query.into(),
        headers,
        remote_addr: DEFAULT_REMOTE_ADDR.into(),
        body: body.into_bytes(),
    })
}

fn read_headers(headers: Option<&Json>) -> Result<Vec<(String, String)>, DeliveryError> {
    let Some(headers) = headers else {
        return Ok(Vec::new());
    };
    let object = headers.as_object().ok_or(DeliveryError::BadHeaders)?;
    object
        .iter()
        .map(|(name, value)| {
            let value = value.as_str().ok_or(DeliveryError::BadHeaders)?;
            Ok((name.clone(), value.to_string()))
        })
        .collect()
}

/// The host and the path-with-query of an absolute URL; `("", "/")` when there is none.
fn split_url(url: &str) -> (&str, &str) {
    let Some((_, rest)) = url.split_once("://") else {
        return ("", "/");
    };
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DELIVERY: &str = r#"{
      "id": 12345678, "guid": "0b989ba4-242f-11e5-81e1-c7b6966d2516",
      "event": "push", "url": "https://ci.example.com/hooks/deploy?x=1",
      "request": {
        "headers": {
          "X-GitHub-Event": "push",
          "content-type": "application/json",
          "X-Hub-Signature-256": "sha256=00"
        },
        "payload": {"ref": "refs/heads/main", "size": 1.50, "b": [1, "é/"]}
      },
      "response": {"headers": {}, "payload": "ok"}
    }"#;

    #[test]
    fn rebuilds_the_request() {
        let req = from_github_delivery(DELIVERY, None).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.target, "/hooks/deploy");
        assert_eq!(req.query, "x=1");
        assert_eq!(
            req.body,
            r#"{"ref":"refs/heads/main","size":1.50,"b":[1,"é/"]}"#.as_bytes()
        );
        assert_eq!(req.header("host"), Some("ci.example.com"));
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        assert_eq!(
            req.header("Content-Length"),
            Some(req.body.len().to_string().as_str())
        );
    }

    #[test]
    fn form_deliveries_wrap_the_payload() {
        let text = DELIVERY.replace("application/json", "application/x-www-form-urlencoded");
        let req = from_github_delivery(&text, Some("/hooks/other")).unwrap();
        assert!(req
            .body
            .starts_with(b"payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22"));
        assert_eq!(req.target, "/hooks/other");
    }

    #[test]
    fn rejects_documents_without_a_request() {
        assert!(matches!(
            from_github_delivery("{}", None),
            Err(DeliveryError::NoRequest)
        ));
        assert!(matches!(
            from_github_delivery("[", None),
            Err(DeliveryError::NotJson(_))
        ));
        let bad = r#"{"request":{"headers":{"a":1}}}"#;
        assert!(matches!(
            from_github_delivery(bad, None),
            Err(DeliveryError::BadHeaders)
        ));
    }
}
