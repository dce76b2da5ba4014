//! Reading a `multipart/form-data` body as Go's `Request.ParseMultipartForm` does.
//!
//! This follows Go's `mime/multipart` reader rather than a general-purpose decoder,
//! because webhook's payload depends on its quirks: a preamble before the first
//! boundary is skipped, a body whose first boundary line ends in a bare LF switches the
//! reader to LF line endings, a boundary counts only when followed by `--`, spaces or a
//! line end, a part without a form name is skipped, a part is a *file* exactly when its
//! `Content-Disposition` has a non-empty `filename`, and memory limits produce
//! `multipart: message too large`. Errors carry Go's texts, which webhook logs.
//!
//! Known gap: parts sent with `Content-Transfer-Encoding: quoted-printable` are kept
//! encoded, where Go decodes them. Why: no webhook sender uses that encoding.
//! Tracked: docs/limitations.md#multipart-quoted-printable

use std::collections::BTreeMap;

use super::canonical_header_key;
use super::mime::parse_media_type;
use super::quote::go_quote;

/// The error text of Go's `multipart.ErrMessageTooLarge`.
pub const TOO_LARGE: &str = "multipart: message too large";

/// A parsed form: text fields and file parts by name, each in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    pub values: BTreeMap<String, Vec<String>>,
    pub files: BTreeMap<String, Vec<FilePart>>,
}

/// A part with a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    pub filename: String,
    /// The part's header fields with canonical names, in the order sent.
    pub headers: Vec<(String, String)>,
    pub content: Vec<u8>,
}

impl FilePart {
    /// Every value of the part's `Content-Type` header field.
    pub fn content_types(&self) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "Content-Type")
            .map(|(_, v)| v.as_str())
    }
}

/// Reads `body` with the boundary from `content_type` (the request's own header) and
/// Go's memory budget `max_memory`. The error is the text webhook logs after
/// `error parsing multipart form: `.
pub fn read_form(content_type: &str, body: &[u8], max_memory: i64) -> Result<Form, String> {
    let boundary = boundary(content_type)?;
    let mut reader = Reader::new(body, &boundary);
    let mut budget = Budget::new(max_memory);
    let mut form = Form::default();
    let mut parts_left = 1000;
    while let Some(part) = reader.next_part()? {
        if parts_left == 0 {
            return Err(TOO_LARGE.into());
        }
        parts_left -= 1;
        let (name, filename) = form_name(&part.headers);
        if name.is_empty() {
            continue;
        }
        budget.take(name.len() as i64 + 200)?;
        let content = reader.part_body()?;
        if filename.is_empty() {
            budget.take(content.len() as i64)?;
            let text = String::from_utf8_lossy(&content).into_owned();
            form.values.entry(name).or_default().push(text);
            continue;
        }
        budget.take_file(&part.headers, content.len() as i64)?;
        let file = FilePart {
            filename,
            headers: part.headers,
            content,
        };
        form.files.entry(name).or_default().push(file);
    }
    Ok(form)
}

/// The boundary of a request `Content-Type`, with Go's errors.
fn boundary(content_type: &str) -> Result<String, String> {
    let not_multipart = || "request Content-Type isn't multipart/form-data".to_string();
    let media = parse_media_type(content_type).map_err(|_| not_multipart())?;
    if media.essence != "multipart/form-data" {
        return Err(not_multipart());
    }
    let boundary = media.params.get("boundary");
    boundary
        .cloned()
        .ok_or_else(|| "no multipart boundary param in Content-Type".into())
}

/// The form name and file name of a part; empty when Go would not see one.
fn form_name(headers: &[(String, String)]) -> (String, String) {
    let disposition = headers.iter().find(|(n, _)| n == "Content-Disposition");
    let Some(Ok(media)) = disposition.map(|(_, v)| parse_media_type(v)) else {
        return (String::new(), String::new());
    };
    if media.essence != "form-data" {
        return (String::new(), String::new());
    }
    let name = media.params.get("name").cloned().unwrap_or_default();
    let filename = media.params.get("filename").cloned().unwrap_or_default();
    (name, filename)
}

/// Go's accounting of how much of a form it keeps in memory.
struct Budget {
    /// Bytes of file content that may stay in memory; larger files spill to disk.
    file_bytes: i64,
    /// Bytes of everything held in memory, with 10 MiB reserved for text fields.
    total_bytes: i64,
}

impl Budget {
    fn new(max_memory: i64) -> Budget {
        let file_bytes = if max_memory == i64::MAX {
            max_memory - 1
        } else {
            max_memory
        };
        let total = max_memory.wrapping_add(10 << 20);
        let total_bytes = match total {
            t if t > 0 => t,
            _ if max_memory < 0 => 0,
            _ => i64::MAX,
        };
        Budget {
            file_bytes,
            total_bytes,
        }
    }

    fn take(&mut self, bytes: i64) -> Result<(), String> {
        self.total_bytes -= bytes;
        if self.total_bytes < 0 {
            return Err(TOO_LARGE.into());
        }
        Ok(())
    }

    fn take_file(&mut self, headers: &[(String, String)], size: i64) -> Result<(), String> {
        let header_size: i64 = 400
            + headers
                .iter()
                .map(|(n, v)| n.len() as i64 + 200 + v.len() as i64)
                .sum::<i64>();
        self.take(header_size + 200 + 100)?;
        // A file larger than the budget goes to a temporary file and costs no memory.
        if size <= self.file_bytes {
            self.file_bytes -= size;
            self.total_bytes -= size;
        }
        Ok(())
    }
}

/// A part's header, read before its body.
struct PartHead {
    headers: Vec<(String, String)>,
}

/// Go's `multipart.Reader` over a body held in memory.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    nl: &'static [u8],
    dash: Vec<u8>,
    parts_read: usize,
    /// Whether the current part's body is still to be read (or skipped).
    in_part: bool,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8], boundary: &str) -> Reader<'a> {
        let dash = format!("--{boundary}").into_bytes();
        Reader {
            data,
            pos: 0,
            nl: b"\r\n",
            dash,
            parts_read: 0,
            in_part: false,
        }
    }

    fn next_part(&mut self) -> Result<Option<PartHead>, String> {
        // Go drains an unread part and ignores any error doing so; the missing boundary
        // then shows up as the end of the body.
        if self.in_part && self.part_body().is_err() {
            self.pos = self.data.len();
        }
        let mut expect_new_part = false;
        loop {
            let (line, complete) = self.read_line();
            if !complete {
                if self.is_final_boundary(line) {
                    return Ok(None);
                }
                return Err("multipart: NextPart: EOF".into());
            }
            if self.is_delimiter_line(line) {
                self.parts_read += 1;
                let head = self.part_head()?;
                self.in_part = head.is_some();
                return Ok(head);
            }
            if self.is_final_boundary(line) {
                return Ok(None);
            }
            let text = String::from_utf8_lossy(line);
            if expect_new_part {
                return Err(format!(
                    "multipart: expecting a new Part; got line {}",
                    go_quote(&text)
                ));
            }
            if self.parts_read == 0 {
                continue;
            }
            if line == self.nl {
                expect_new_part = true;
                continue;
            }
            return Err(format!(
                "multipart: unexpected line in Next(): {}",
                go_quote(&text)
            ));
        }
    }

    /// The next line including its LF, and whether it had one.
    fn read_line(&mut self) -> (&'a [u8], bool) {
        let rest = &self.data[self.pos..];
        match rest.iter().position(|&c| c == b'\n') {
            Some(i) => {
                self.pos += i + 1;
                (&rest[..=i], true)
            }
            None => {
                self.pos = self.data.len();
                (rest, false)
            }
        }
    }

    fn is_delimiter_line(&mut self, line: &[u8]) -> bool {
        let Some(rest) = line.strip_prefix(self.dash.as_slice()) else {
            return false;
        };
        let rest = skip_linear_space(rest);
        // Some senders end lines with a bare LF; Go switches to that on the first part.
        if self.parts_read == 0 && rest == b"\n" {
            self.nl = b"\n";
        }
        rest == self.nl
    }

    fn is_final_boundary(&self, line: &[u8]) -> bool {
        let Some(rest) = line.strip_prefix(self.dash.as_slice()) else {
            return false;
        };
        let Some(rest) = rest.strip_prefix(b"--") else {
            return false;
        };
        let rest = skip_linear_space(rest);
        rest.is_empty() || rest == self.nl
    }

    /// Reads a part's header block. The end of the body inside it ends the form, as
    /// Go's reader reports plain EOF there.
    fn part_head(&mut self) -> Result<Option<PartHead>, String> {
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let (line, complete) = self.read_line();
            let line = trim_line_end(line);
            if line.is_empty() {
                if !complete {
                    return Ok(None);
                }
                return Ok(Some(PartHead { headers }));
            }
            let text = String::from_utf8_lossy(line).into_owned();
            if headers.is_empty() && text.starts_with([' ', '\t']) {
                return Err(format!("malformed MIME header initial line: {text}"));
            }
            if text.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1 = format!("{} {}", last.1, text.trim());
                }
                continue;
            }
            let Some((name, value)) = text.split_once(':') else {
                return Err(format!("malformed MIME header line: {text}"));
            };
            if !name.is_empty() {
                headers.push((canonical_header_key(name), value.trim().to_string()));
            }
            if !complete {
                return Ok(None);
            }
        }
    }

    /// Reads the current part's body up to the boundary that ends it.
    fn part_body(&mut self) -> Result<Vec<u8>, String> {
        self.in_part = false;
        let start = self.pos;
        let mut search = start;
        if self.data[start..].starts_with(&self.dash) {
            match after_prefix(&self.data[start..], self.dash.len()) {
                Boundary::Yes => return Ok(Vec::new()),
                Boundary::No => search = start + self.dash.len(),
                Boundary::Unknown => return Err("unexpected EOF".into()),
            }
        }
        let mut needle = self.nl.to_vec();
        needle.extend_from_slice(&self.dash);
        loop {
            let Some(i) = find(&self.data[search..], &needle).map(|i| i + search) else {
                return Err("unexpected EOF".into());
            };
            match after_prefix(&self.data[i..], needle.len()) {
                Boundary::Yes => {
                    self.pos = i;
                    return Ok(self.data[start..i].to_vec());
                }
                Boundary::No => search = i + needle.len(),
                Boundary::Unknown => return Err("unexpected EOF".into()),
            }
        }
    }
}

enum Boundary {
    Yes,
    No,
    Unknown,
}

/// Whether a boundary prefix of `len` bytes at the start of `buf` really is one.
fn after_prefix(buf: &[u8], len: usize) -> Boundary {
    match buf.get(len) {
        None => Boundary::Yes,
        Some(b' ' | b'\t' | b'\r' | b'\n') => Boundary::Yes,
        Some(b'-') => match buf.get(len + 1) {
            None => Boundary::Unknown,
            Some(b'-') => Boundary::Yes,
            Some(_) => Boundary::No,
        },
        Some(_) => Boundary::No,
    }
}

fn skip_linear_space(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    bytes
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let end = line
        .iter()
        .rposition(|&c| c != b' ' && c != b'\t')
        .map_or(0, |i| i + 1);
    &line[..end]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = "multipart/form-data; boundary=XX";

    fn body(parts: &[&str]) -> Vec<u8> {
        let mut out = String::new();
        for part in parts {
            out.push_str("--XX\r\n");
            out.push_str(part);
            out.push_str("\r\n");
        }
        out.push_str("--XX--\r\n");
        out.into_bytes()
    }

    fn field(name: &str, value: &str) -> String {
        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
    }

    fn file(name: &str, ct: &str, value: &str) -> String {
        format!(
            "Content-Disposition: form-data; name=\"{name}\"; filename=\"f.json\"\r\n\
             Content-Type: {ct}\r\n\r\n{value}"
        )
    }

    #[test]
    fn reads_fields_and_files() {
        let raw = body(&[
            &field("v", "val1"),
            &field("v", "val2"),
            &file("j", "application/json", r#"{"k":"fromfile"}"#),
            &file("bin", "application/octet-stream", "BINARY"),
        ]);
        let form = read_form(CT, &raw, 1 << 20).unwrap();
        assert_eq!(form.values["v"], ["val1", "val2"]);
        assert_eq!(form.files["j"][0].content, br#"{"k":"fromfile"}"#);
        assert_eq!(
            form.files["j"][0].content_types().collect::<Vec<_>>(),
            ["application/json"]
        );
        assert_eq!(form.files["bin"][0].filename, "f.json");
    }

    #[test]
    fn skips_the_preamble_and_parts_without_a_name() {
        let mut raw = b"preamble line\r\n".to_vec();
        raw.extend(body(&[
            "Content-Disposition: attachment; name=\"x\"\r\n\r\nignored",
            &field("a", "1"),
        ]));
        let form = read_form(CT, &raw, 1 << 20).unwrap();
        assert_eq!(form.values.keys().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn accepts_lf_line_endings() {
        let raw = b"--XX\nContent-Disposition: form-data; name=\"a\"\n\nx\n--XX--\n";
        let form = read_form(CT, raw, 1 << 20).unwrap();
        assert_eq!(form.values["a"], ["x"]);
    }

    #[test]
    fn a_boundary_lookalike_inside_a_value_is_content() {
        let raw = body(&[&field("a", "x\r\n--XXy")]);
        let form = read_form(CT, &raw, 1 << 20).unwrap();
        assert_eq!(form.values["a"], ["x\r\n--XXy"]);
    }

    #[test]
    fn reports_go_errors() {
        let wrong = body(&[&field("a", "1")]);
        assert_eq!(
            read_form("multipart/form-data; boundary=YY", &wrong, 1 << 20).unwrap_err(),
            "multipart: NextPart: EOF"
        );
        assert_eq!(
            read_form("text/plain", &wrong, 1).unwrap_err(),
            "request Content-Type isn't multipart/form-data"
        );
        assert_eq!(
            read_form("multipart/form-data", &wrong, 1).unwrap_err(),
            "no multipart boundary param in Content-Type"
        );
        let cut = b"--XX\r\nContent-Disposition: form-data; name=\"v\"\r\n\r\nval";
        assert_eq!(read_form(CT, cut, 1 << 20).unwrap_err(), "unexpected EOF");
    }

    #[test]
    fn text_fields_share_the_memory_budget() {
        let big = "a".repeat(200);
        let raw = body(&[&field("a", &big)]);
        let limit = -(10 << 20) + 300;
        assert_eq!(read_form(CT, &raw, limit).unwrap_err(), TOO_LARGE);
        assert!(read_form(CT, &raw, limit + 300).is_ok());
    }

    #[test]
    fn a_header_block_cut_by_the_end_ends_the_form() {
        let raw = b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XX\r\n\
            Content-Disposition: form-data; name=\"b\"";
        let form = read_form(CT, raw, 1 << 20).unwrap();
        assert_eq!(form.values.keys().collect::<Vec<_>>(), ["a"]);
    }
}
