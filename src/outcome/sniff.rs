//! Go's `http.DetectContentType`, which picks the `Content-Type` of every webhook
//! response that does not set one: the first 512 bytes are compared with the WHATWG
//! MIME-sniffing signatures Go 1.19 knows (HTML tags, `<?xml`, PDF, PostScript, byte
//! order marks, common image, audio, video, font and archive formats), and anything
//! left is `text/plain; charset=utf-8` unless it holds binary control bytes, which
//! makes it `application/octet-stream`.

/// The content type Go's server would send for a body starting with `data`.
pub fn detect_content_type(data: &[u8]) -> &'static str {
    let data = &data[..data.len().min(512)];
    let first_non_space = data
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(data.len());
    for tag in HTML_TAGS {
        if is_html(&data[first_non_space..], tag) {
            return "text/html; charset=utf-8";
        }
    }
    if data[first_non_space..].starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    for (mask, pattern, content_type) in MASKED {
        if matches_masked(data, mask, pattern) {
            return content_type;
        }
    }
    if is_mp4(data) {
        return "video/mp4";
    }
    for (prefix, content_type) in EXACT_AFTER_MP4 {
        if data.starts_with(prefix) {
            return content_type;
        }
    }
    if data[first_non_space..].iter().any(|&b| is_binary(b)) {
        return "application/octet-stream";
    }
    "text/plain; charset=utf-8"
}

/// Tags that make a body HTML, matched case-insensitively and followed by a space or
/// `>`.
const HTML_TAGS: [&[u8]; 17] = [
    b"<!DOCTYPE HTML",
    b"<HTML",
    b"<HEAD",
    b"<SCRIPT",
    b"<IFRAME",
    b"<H1",
    b"<DIV",
    b"<FONT",
    b"<TABLE",
    b"<A",
    b"<STYLE",
    b"<TITLE",
    b"<B",
    b"<BODY",
    b"<BR",
    b"<P",
    b"<!--",
];

/// Signatures Go checks before MP4, in its order, as (mask, pattern, type); an exact
/// prefix has a mask of all ones.
const MASKED: [(&[u8], &[u8], &str); 19] = [
    (b"\xFF\xFF\xFF\xFF\xFF", b"%PDF-", "application/pdf"),
    (
        b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
        b"%!PS-Adobe-",
        "application/postscript",
    ),
    (
        b"\xFF\xFF\x00\x00",
        b"\xFE\xFF\x00\x00",
        "text/plain; charset=utf-16be",
    ),
    (
        b"\xFF\xFF\x00\x00",
        b"\xFF\xFE\x00\x00",
        "text/plain; charset=utf-16le",
    ),
    (
        b"\xFF\xFF\xFF\x00",
        b"\xEF\xBB\xBF\x00",
        "text/plain; charset=utf-8",
    ),
    (b"\xFF\xFF\xFF\xFF", b"\x00\x00\x01\x00", "image/x-icon"),
    (b"\xFF\xFF\xFF\xFF", b"\x00\x00\x02\x00", "image/x-icon"),
    (b"\xFF\xFF", b"BM", "image/bmp"),
    (b"\xFF\xFF\xFF\xFF\xFF\xFF", b"GIF87a", "image/gif"),
    (b"\xFF\xFF\xFF\xFF\xFF\xFF", b"GIF89a", "image/gif"),
    (
        b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF",
        b"RIFF\x00\x00\x00\x00WEBPVP",
        "image/webp",
    ),
    (
        b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
        b"\x89PNG\x0D\x0A\x1A\x0A",
        "image/png",
    ),
    (b"\xFF\xFF\xFF", b"\xFF\xD8\xFF", "image/jpeg"),
    (
        b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
        b"FORM\x00\x00\x00\x00AIFF",
        "audio/aiff",
    ),
    (b"\xFF\xFF\xFF", b"ID3", "audio/mpeg"),
    (b"\xFF\xFF\xFF\xFF\xFF", b"OggS\x00", "application/ogg"),
    (
        b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
        b"MThd\x00\x00\x00\x06",
        "audio/midi",
    ),
    (
        b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
        b"RIFF\x00\x00\x00\x00AVI ",
        "video/avi",
    ),
    (
        b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
        b"RIFF\x00\x00\x00\x00WAVE",
        "audio/wave",
    ),
];

/// Exact prefixes Go checks after MP4, in its order.
const EXACT_AFTER_MP4: [(&[u8], &str); 11] = [
    (b"\x1A\x45\xDF\xA3", "video/webm"),
    (b"\x00\x01\x00\x00", "font/ttf"),
    (b"OTTO", "font/otf"),
    (b"ttcf", "font/collection"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
    (b"\x1F\x8B\x08", "application/x-gzip"),
    (b"PK\x03\x04", "application/zip"),
    (b"Rar!\x1A\x07\x00", "application/x-rar-compressed"),
    (b"Rar!\x1A\x07\x01\x00", "application/x-rar-compressed"),
    (b"\x00\x61\x73\x6D", "application/wasm"),
];

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_binary(b: u8) -> bool {
    b <= 0x08 || b == 0x0b || (0x0e..=0x1a).contains(&b) || (0x1c..=0x1f).contains(&b)
}

fn is_html(data: &[u8], tag: &[u8]) -> bool {
    if data.len() < tag.len() + 1 {
        return false;
    }
    let same = tag.iter().zip(data).all(|(&t, &d)| {
        let d = if t.is_ascii_uppercase() { d & 0xDF } else { d };
        t == d
    });
    same && matches!(data[tag.len()], b' ' | b'>')
}

fn matches_masked(data: &[u8], mask: &[u8], pattern: &[u8]) -> bool {
    data.len() >= pattern.len()
        && pattern
            .iter()
            .zip(mask)
            .zip(data)
            .all(|((&p, &m), &d)| d & m == p)
}

/// Go's `mp4Sig`: an `ftyp` box whose brands include `mp4`.
fn is_mp4(data: &[u8]) -> bool {
    if data.len() < 12 {
        return false;
    }
    let size = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
    if data.len() < size || !size.is_multiple_of(4) || &data[4..8] != b"ftyp" {
        return false;
    }
    (8..size)
        .step_by(4)
        .filter(|&st| st != 12)
        .any(|st| data.get(st..st + 3) == Some(b"mp4"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_like_go() {
        assert_eq!(
            detect_content_type(b"<html><body>x</body></html>"),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            detect_content_type(b"  \n<!doctype html>"),
            "text/html; charset=utf-8"
        );
        assert_eq!(detect_content_type(b"<b>bold"), "text/html; charset=utf-8");
        assert_eq!(detect_content_type(b"<bx"), "text/plain; charset=utf-8");
        assert_eq!(
            detect_content_type(b"<?xml version=\"1.0\"?><a/>"),
            "text/xml; charset=utf-8"
        );
        assert_eq!(detect_content_type(b"%PDF-1.4 x"), "application/pdf");
        assert_eq!(
            detect_content_type(b"\x00\x01binary"),
            "application/octet-stream"
        );
        assert_eq!(
            detect_content_type(b"{\"a\":1}"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            detect_content_type(b"h\xc3\xa9llo \xe2\x9c\x93"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(detect_content_type(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(
            detect_content_type(b"\x1f\x8b\x08\x00"),
            "application/x-gzip"
        );
        assert_eq!(
            detect_content_type(b"\xef\xbb\xbfhi"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            detect_content_type(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
            "video/mp4"
        );
    }

    #[test]
    fn only_the_first_512_bytes_count() {
        let mut data = vec![b'a'; 512];
        data.push(0);
        assert_eq!(detect_content_type(&data), "text/plain; charset=utf-8");
    }
}
