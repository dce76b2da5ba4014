//! A ready-to-send test request: a raw HTTP/1.1 request file, or a curl command.

use super::render::encode_pair;

/// Where a request goes, split from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`.
    pub scheme: String,
    /// `host[:port]`, sent as the `Host` header.
    pub authority: String,
    /// The path, starting with `/`.
    pub path: String,
    /// Everything after `?`, without it; empty when there is none.
    pub query: String,
}

/// Why a URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("URL `{0}` does not start with `http://` or `https://`")]
    Scheme(String),
    #[error("URL `{0}` has no host")]
    NoHost(String),
}

impl Url {
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let (scheme, rest) = text
            .split_once("://")
            .filter(|(s, _)| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
            .ok_or_else(|| UrlError::Scheme(text.into()))?;
        let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
        let (authority, target) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(UrlError::NoHost(text.into()));
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Ok(Url {
            scheme: scheme.to_ascii_lowercase(),
            authority: authority.into(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
            query: query.into(),
        })
    }

    /// The URL webhook serves a hook at: `http://HOST:PORT/PREFIX/ID` (no prefix segment
    /// when the prefix is empty, as with webhook's `-urlprefix ""`).
    pub fn for_hook(host: &str, port: u16, url_prefix: &str, hook_id: &str) -> Url {
        let prefix = url_prefix.trim_matches('/');
        let path = if prefix.is_empty() {
            format!("/{hook_id}")
        } else {
            format!("/{prefix}/{hook_id}")
        };
        Url {
            scheme: "http".into(),
            authority: format!("{host}:{port}"),
            path,
            query: String::new(),
        }
    }

    /// Adds `name=value` to the query, form-encoded.
    pub fn append_query(&mut self, name: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(&encode_pair(name, value));
    }

    /// The request target: path and query.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.target())
    }
}

/// A request without its body.
#[derive(Debug, Clone)]
pub struct TestRequest {
    pub method: String,
    pub url: Url,
    pub content_type: String,
    /// Signature headers and the user's extra headers, in the order to send them.
    pub headers: Vec<(String, String)>,
}

/// Where curl takes the body from.
#[derive(Debug, Clone, Copy)]
pub enum CurlBody<'a> {
    /// `--data-binary @FILE`.
    File(&'a str),
    /// `--data-binary @-`: the same bytes piped in again.
    Stdin,
    /// The body itself, which must be text (a form body is).
    Inline(&'a str),
}

/// Above this, an inline body goes through `printf` rather than an argument: Linux
/// refuses a single argument longer than 128 KiB.
const INLINE_ARGUMENT_LIMIT: usize = 100_000;

impl TestRequest {
    /// A raw HTTP/1.1 request: CRLF after every head line, then `body` exactly.
    pub fn to_http(&self, body: &[u8]) -> Vec<u8> {
        let mut out = self.http_head(body.len());
        out.extend_from_slice(body);
        out
    }

    /// The head of the HTTP/1.1 request for a body of `body_len` bytes, up to and with the
    /// empty line; the body follows it unchanged.
    pub fn http_head(&self, body_len: usize) -> Vec<u8> {
        let mut fields = vec![
            ("Host".to_string(), self.url.authority.clone()),
            ("User-Agent".to_string(), user_agent()),
            ("Content-Type".to_string(), self.content_type.clone()),
            ("Content-Length".to_string(), body_len.to_string()),
        ];
        // A header the user gave replaces one of ours with the same name.
        fields.retain(|(name, _)| {
            name == "Content-Length"
                || !self
                    .headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(name))
        });
        fields.extend(self.headers.iter().cloned());

        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.url.target()).into_bytes();
        for (name, value) in fields {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// A curl command for a POSIX shell, one option per line.
    pub fn to_curl(&self, body: CurlBody) -> String {
        let mut lines = vec![format!(
            "curl --request {} {}",
            shell_quote(&self.method),
            shell_quote(&self.url.to_string())
        )];
        let has_type = self
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
        if !has_type {
            lines.push(format!(
                "--header {}",
                shell_quote(&format!("Content-Type: {}", self.content_type))
            ));
        }
        for (name, value) in &self.headers {
            lines.push(format!(
                "--header {}",
                shell_quote(&format!("{name}: {value}"))
            ));
        }
        let mut pipe = String::new();
        lines.push(match body {
            CurlBody::File(path) => format!("--data-binary {}", shell_quote(&format!("@{path}"))),
            CurlBody::Stdin => "--data-binary @-".into(),
            CurlBody::Inline(text) if text.len() <= INLINE_ARGUMENT_LIMIT => {
                format!("--data-binary {}", shell_quote(text))
            }
            CurlBody::Inline(text) => {
                pipe = format!("printf '%s' {} | ", shell_quote(text));
                "--data-binary @-".into()
            }
        });
        format!("{pipe}{}\n", lines.join(" \\\n  "))
    }
}

fn user_agent() -> String {
    format!("hookctl/{}", env!("CARGO_PKG_VERSION"))
}

/// `text` in single quotes for a POSIX shell.
pub fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&c));
    if safe {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::http;

    fn request() -> TestRequest {
        let mut url = Url::for_hook("localhost", 9000, "hooks", "deploy");
        url.append_query("sig", "sha256=ab");
        TestRequest {
            method: "POST".into(),
            url,
            content_type: "application/json".into(),
            headers: vec![("X-Hub-Signature".into(), "sha1=00".into())],
        }
    }

    #[test]
    fn splits_urls() {
        let url = Url::parse("https://example.com:8443/hooks/x?a=1#frag").unwrap();
        assert_eq!(url.authority, "example.com:8443");
        assert_eq!(url.target(), "/hooks/x?a=1");
        assert_eq!(Url::parse("http://h").unwrap().target(), "/");
        assert!(Url::parse("example.com/hooks").is_err());
        assert!(Url::parse("http:///x").is_err());
        assert_eq!(Url::for_hook("h", 1, "", "x").target(), "/x");
    }

    #[test]
    fn http_requests_read_back_through_the_simulator() {
        let body = b"{\"a\": \"z\"}\n";
        let raw = request().to_http(body);
        assert!(raw.starts_with(
            b"POST /hooks/deploy?sig=sha256%3Dab HTTP/1.1\r\nHost: localhost:9000\r\n"
        ));
        let parsed = http::parse(&raw).unwrap();
        assert_eq!(parsed.body, body);
        assert_eq!(parsed.header("Content-Length"), Some("11"));
        assert_eq!(parsed.header("x-hub-signature"), Some("sha1=00"));
        assert_eq!(parsed.query, "sig=sha256%3Dab");
    }

    #[test]
    fn user_headers_replace_ours() {
        let mut req = request();
        req.headers
            .push(("user-agent".into(), "GitHub-Hookshot/1".into()));
        let parsed = http::parse(&req.to_http(b"")).unwrap();
        assert_eq!(
            parsed.header_values("User-Agent").collect::<Vec<_>>(),
            ["GitHub-Hookshot/1"]
        );
    }

    #[test]
    fn curl_commands_quote_everything() {
        let curl = request().to_curl(CurlBody::File("it's.json"));
        assert_eq!(
            curl,
            "curl --request POST 'http://localhost:9000/hooks/deploy?sig=sha256%3Dab' \\\n  \
             --header 'Content-Type: application/json' \\\n  \
             --header 'X-Hub-Signature: sha1=00' \\\n  \
             --data-binary '@it'\\''s.json'\n"
        );
        let big = "x".repeat(INLINE_ARGUMENT_LIMIT + 1);
        assert!(request()
            .to_curl(CurlBody::Inline(&big))
            .starts_with("printf '%s' xxx"));
    }
}
