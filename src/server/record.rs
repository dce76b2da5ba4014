//! `--record DIR`: every incoming request saved as a raw HTTP/1.1 file that
//! `hookctl simulate --request` reads back.
//!
//! A file is named `<UTC time>-<request id>-<hook id or route>.http`, built only from
//! ASCII letters, digits, `-`, `_` and `.`, and created with `create_new` directly in
//! `DIR`, so no request can name a path outside it or overwrite a file. Files are
//! readable by their owner only: they hold whatever the sender sent, signatures
//! included.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::request::Request;

/// Writes `request` into `dir`; returns the file written.
pub fn record(
    dir: &Path,
    request: &Request,
    request_id: &str,
    label: &str,
) -> std::io::Result<PathBuf> {
    let stamp = super::log::rfc3339_now().replace([':', '.'], "");
    let base = format!("{stamp}-{}-{}", safe(request_id), safe(label));
    let bytes = raw_http(request);
    for attempt in 0..100u32 {
        let name = if attempt == 0 {
            format!("{base}.http")
        } else {
            format!("{base}-{attempt}.http")
        };
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(dir.join(&name));
        match opened {
            Ok(mut file) => {
                file.write_all(&bytes)?;
                return Ok(dir.join(name));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "no free file name",
    ))
}

/// The request as HTTP/1.1 bytes: the head as received (with a Host header added when
/// there was none), and the body with a `Content-Length` in place of any chunked
/// coding, since the body is already de-chunked.
pub fn raw_http(request: &Request) -> Vec<u8> {
    let mut out = format!("{} {} HTTP/1.1\r\n", request.method, request.request_uri()).into_bytes();
    if request.header("Host").is_none() {
        out.extend_from_slice(b"Host: localhost\r\n");
    }
    for (name, value) in &request.headers {
        let framing = name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding");
        if !framing {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
    }
    let framed = request.header("Content-Length").is_some()
        || request.header("Transfer-Encoding").is_some()
        || !request.body.is_empty();
    if framed {
        out.extend_from_slice(format!("Content-Length: {}\r\n", request.body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&request.body);
    out
}

/// `text` reduced to a safe, short file name part.
fn safe(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if cleaned.is_empty() {
        "_".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::http;

    #[test]
    fn recorded_requests_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let request = Request::new("POST", "/hooks/a%2F..%2Fb?x=1")
            .with_header("Host", "h")
            .with_header("Transfer-Encoding", "chunked")
            .with_header("X-Hub-Signature", "sha1=00")
            .with_body(b"{\"a\":1}".to_vec());
        let path = record(dir.path(), &request, "../../etc", "../passwd").unwrap();
        assert_eq!(path.parent().unwrap(), dir.path());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains('/') && name.ends_with("-______etc-___passwd.http"));

        let back = http::parse(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back.request_uri(), request.request_uri());
        assert_eq!(back.body, request.body);
        assert_eq!(back.header("x-hub-signature"), Some("sha1=00"));
        assert_eq!(back.header("transfer-encoding"), None);

        let again = record(dir.path(), &request, "../../etc", "../passwd").unwrap();
        assert_ne!(again, path);
    }
}
