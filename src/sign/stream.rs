//! One pass over a payload that feeds every MAC of a request, a fixed-size chunk at a
//! time, so a payload of any size is signed in constant memory.
//!
//! The payload can be signed as it is, or wrapped the way GitHub's form deliveries wrap
//! it (`payload=` and the URL-encoded bytes); the wrapping is done chunk by chunk too.

use std::borrow::Cow;
use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;

use crate::rules::signature::HmacStream;

use super::scheme::MacJob;

/// How many payload bytes are read at a time.
pub const CHUNK_BYTES: usize = 1 << 20;

/// How the payload becomes the body that is signed and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyShape {
    /// The payload bytes exactly.
    Raw,
    /// `payload=` followed by the URL-encoded payload (`application/x-www-form-urlencoded`).
    Form,
}

/// What one pass over a payload produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digested {
    /// One MAC per job, in the jobs' order.
    pub macs: Vec<Vec<u8>>,
    /// The size of the payload as read.
    pub payload_bytes: u64,
    /// The payload's last byte is a line feed.
    pub ends_with_newline: bool,
    /// The size of the body that was signed (differs from the payload for forms).
    pub body_bytes: u64,
}

/// How many chunk buffers circulate between the reading thread and the hashing one.
const BUFFERS: usize = 4;

/// Signs what `reader` yields, shaped by `shape`, with every job in one pass.
///
/// A second thread reads the next chunks while this one hashes, so reading costs almost
/// no time on top of hashing; at most [`BUFFERS`] chunks are in memory at once.
pub fn digest_reader(
    reader: impl Read + Send,
    shape: BodyShape,
    jobs: &[MacJob],
) -> io::Result<Digested> {
    let mut macs: Vec<HmacStream> = jobs.iter().map(MacJob::start).collect();
    let mut feed = Feed::new(shape);
    let (full_tx, full_rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(BUFFERS);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<u8>>();
    for _ in 0..BUFFERS {
        empty_tx
            .send(vec![0; CHUNK_BYTES])
            .expect("the receiver is alive");
    }
    thread::scope(|scope| {
        scope.spawn(move || read_chunks(reader, empty_rx, full_tx));
        // The reader ends after EOF or an error, which closes `full_rx`.
        for chunk in full_rx {
            let chunk = chunk?;
            feed.chunk(&chunk, &mut macs);
            let _ = empty_tx.send(chunk);
        }
        Ok::<(), io::Error>(())
    })?;
    Ok(feed.finish(macs, jobs))
}

/// Fills the buffers it is given from `reader` and passes them on, until EOF or an error.
fn read_chunks(
    mut reader: impl Read,
    empty: Receiver<Vec<u8>>,
    full: SyncSender<io::Result<Vec<u8>>>,
) {
    while let Ok(mut buf) = empty.recv() {
        buf.resize(CHUNK_BYTES, 0);
        match fill(&mut reader, &mut buf) {
            Ok(0) => return,
            Ok(n) => {
                buf.truncate(n);
                if full.send(Ok(buf)).is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = full.send(Err(e));
                return;
            }
        }
    }
}

/// Reads until `buf` is full or the input ends; pipes hand out a few KiB per read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Signs a body already in memory; the same result as [`digest_reader`] over it.
pub fn digest_bytes(payload: &[u8], jobs: &[MacJob]) -> Digested {
    digest_shaped(payload, BodyShape::Raw, jobs)
}

/// Signs `payload` in memory after shaping it.
pub fn digest_shaped(payload: &[u8], shape: BodyShape, jobs: &[MacJob]) -> Digested {
    let mut macs: Vec<HmacStream> = jobs.iter().map(MacJob::start).collect();
    let mut feed = Feed::new(shape);
    feed.chunk(payload, &mut macs);
    feed.finish(macs, jobs)
}

/// The body `shape` makes of `payload`, for writing it out (the payload itself when raw).
pub fn shape_body(payload: &[u8], shape: BodyShape) -> Cow<'_, [u8]> {
    match shape {
        BodyShape::Raw => Cow::Borrowed(payload),
        BodyShape::Form => {
            let mut body = String::from("payload=");
            body.extend(form_urlencoded::byte_serialize(payload));
            Cow::Owned(body.into_bytes())
        }
    }
}

/// Feeds chunks to the MACs, shaping them on the way, and counts.
struct Feed {
    shape: BodyShape,
    started: bool,
    payload_bytes: u64,
    body_bytes: u64,
    last: Option<u8>,
    scratch: String,
}

impl Feed {
    fn new(shape: BodyShape) -> Feed {
        Feed {
            shape,
            started: false,
            payload_bytes: 0,
            body_bytes: 0,
            last: None,
            scratch: String::new(),
        }
    }

    /// Feeds what comes before the payload, once.
    fn begin(&mut self, macs: &mut [HmacStream]) {
        if self.started {
            return;
        }
        self.started = true;
        if self.shape == BodyShape::Form {
            update(macs, b"payload=");
            self.body_bytes += 8;
        }
    }

    fn chunk(&mut self, chunk: &[u8], macs: &mut [HmacStream]) {
        self.begin(macs);
        if chunk.is_empty() {
            return;
        }
        self.payload_bytes += chunk.len() as u64;
        self.last = chunk.last().copied();
        match self.shape {
            BodyShape::Raw => {
                update(macs, chunk);
                self.body_bytes += chunk.len() as u64;
            }
            // The encoding works byte by byte, so chunk boundaries do not matter.
            BodyShape::Form => {
                self.scratch.clear();
                self.scratch.extend(form_urlencoded::byte_serialize(chunk));
                update(macs, self.scratch.as_bytes());
                self.body_bytes += self.scratch.len() as u64;
            }
        }
    }

    fn finish(mut self, mut macs: Vec<HmacStream>, jobs: &[MacJob]) -> Digested {
        self.begin(&mut macs);
        let macs = macs
            .into_iter()
            .zip(jobs)
            .map(|(mut mac, job)| {
                mac.update(&job.after);
                mac.finalize()
            })
            .collect();
        Digested {
            macs,
            payload_bytes: self.payload_bytes,
            ends_with_newline: self.last == Some(b'\n'),
            body_bytes: self.body_bytes,
        }
    }
}

fn update(macs: &mut [HmacStream], bytes: &[u8]) {
    for mac in macs {
        mac.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::Algorithm;
    use crate::rules::signature::hmac_hex;
    use crate::sign::scheme::Key;

    fn jobs() -> Vec<MacJob> {
        [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
            .into_iter()
            .map(|a| MacJob::body(a, Key::new(b"secret".to_vec())))
            .collect()
    }

    /// A reader that hands out at most `step` bytes per call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn streaming_equals_one_shot_hmac_at_any_chunking() {
        let payload: Vec<u8> = (0..CHUNK_BYTES * 2 + 17).map(|i| (i * 31) as u8).collect();
        for step in [1, 7, 4096, CHUNK_BYTES, usize::MAX] {
            let d = digest_reader(
                Trickle(&payload[..20_000.min(payload.len())], step),
                BodyShape::Raw,
                &jobs(),
            )
            .unwrap();
            assert_eq!(
                hex::encode(&d.macs[1]),
                hmac_hex(Algorithm::Sha256, b"secret", &payload[..20_000])
            );
        }
        let d = digest_reader(&payload[..], BodyShape::Raw, &jobs()).unwrap();
        for (mac, job) in d.macs.iter().zip(jobs()) {
            assert_eq!(
                hex::encode(mac),
                hmac_hex(job.algorithm, b"secret", &payload)
            );
        }
        assert_eq!(d.payload_bytes, payload.len() as u64);
        assert_eq!(d.body_bytes, payload.len() as u64);
    }

    /// A reader that fails after handing out some bytes.
    struct Broken(usize);

    impl Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.0.min(buf.len());
            self.0 -= n;
            Ok(n)
        }
    }

    #[test]
    fn read_errors_end_the_pass() {
        let err = digest_reader(Broken(CHUNK_BYTES * 5 + 3), BodyShape::Raw, &jobs()).unwrap_err();
        assert_eq!(err.to_string(), "disk on fire");
    }

    #[test]
    fn empty_payloads_sign_zero_bytes() {
        let d = digest_reader(io::empty(), BodyShape::Raw, &jobs()).unwrap();
        assert_eq!(
            hex::encode(&d.macs[0]),
            "25af6174a0fcecc4d346680a72b7ce644b9a88e8"
        );
        assert!(!d.ends_with_newline);
        assert_eq!(d.body_bytes, 0);
    }

    #[test]
    fn form_shape_streams_the_same_bytes_it_writes() {
        let payload = "{\n  \"ref\": \"refs/heads/main\", \"x\": \"a+b ~*\"\n}\n".as_bytes();
        let body = shape_body(payload, BodyShape::Form);
        assert!(body.starts_with(b"payload=%7B%0A++%22ref%22%3A+"));
        let streamed = digest_reader(Trickle(payload, 3), BodyShape::Form, &jobs()).unwrap();
        assert_eq!(streamed.macs, digest_bytes(&body, &jobs()).macs);
        assert_eq!(streamed, digest_shaped(payload, BodyShape::Form, &jobs()));
        assert!(streamed.ends_with_newline);
        assert_eq!(streamed.payload_bytes, payload.len() as u64);
        assert_eq!(streamed.body_bytes, body.len() as u64);
    }

    #[test]
    fn before_and_after_surround_the_body() {
        let job = MacJob {
            before: b"v0:1:".to_vec(),
            after: b"!".to_vec(),
            ..MacJob::body(Algorithm::Sha256, Key::new(b"k".to_vec()))
        };
        let d = digest_bytes(b"body", &[job]);
        assert_eq!(
            hex::encode(&d.macs[0]),
            hmac_hex(Algorithm::Sha256, b"k", b"v0:1:body!")
        );
    }
}
