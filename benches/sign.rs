//! How fast `hookctl sign` signs a large payload, against the sha2 crate's raw speed.
//!
//! Run with `cargo bench --bench sign`. The payload is 100 MB written once to a temporary
//! file (so it is read from the page cache); divan reports MB/s. The goal is streaming
//! signing at no less than 80% of raw SHA-256 over the same bytes in memory.
//! `bench/sign.sh` measures the whole process and its peak memory.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::Bencher;
use hookctl::config::model::Algorithm;
use hookctl::sign::scheme::Key;
use hookctl::sign::stream::BodyShape;
use hookctl::sign::{digest_bytes, digest_reader, MacJob};
use sha2::Digest;

const SIZE: usize = 100 * 1024 * 1024;

fn main() {
    divan::main();
}

fn payload() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        (0..SIZE)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect()
    })
}

/// The payload as a file, written once and kept until the process ends.
fn payload_file() -> &'static PathBuf {
    static FILE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &FILE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let path = dir.path().join("payload.bin");
            File::create(&path)
                .and_then(|mut f| f.write_all(payload()))
                .expect("writing the payload");
            (dir, path)
        })
        .1
}

fn job(algorithm: Algorithm) -> MacJob {
    MacJob::body(algorithm, Key::new(b"It's a Secret to Everybody".to_vec()))
}

/// The baseline: SHA-256 of the bytes in memory, no HMAC, no I/O.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sha2_raw_sha256_in_memory(bencher: Bencher) {
    let bytes = payload();
    bencher
        .counter(BytesCount::new(SIZE))
        .bench(|| divan::black_box(sha2::Sha256::digest(divan::black_box(bytes))));
}

/// What `hookctl sign` does: HMAC-SHA256, streamed from the file in chunks.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sign_sha256_streamed_from_file(bencher: Bencher) {
    let path = payload_file();
    let jobs = [job(Algorithm::Sha256)];
    bencher.counter(BytesCount::new(SIZE)).bench(|| {
        let file = File::open(path).expect("the payload file");
        divan::black_box(digest_reader(file, BodyShape::Raw, &jobs).expect("signing"))
    });
}

/// The hmac crate alone over the bytes in memory: what HMAC costs over raw SHA-256.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn hmac_crate_sha256_in_memory(bencher: Bencher) {
    use hmac::{KeyInit, Mac};
    let bytes = payload();
    bencher.counter(BytesCount::new(SIZE)).bench(|| {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"key").expect("any key");
        mac.update(divan::black_box(bytes));
        divan::black_box(mac.finalize().into_bytes())
    });
}

/// HMAC-SHA256 over the bytes in memory: the streaming pass without I/O.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sign_sha256_in_memory(bencher: Bencher) {
    let bytes = payload();
    let jobs = [job(Algorithm::Sha256)];
    bencher
        .counter(BytesCount::new(SIZE))
        .bench(|| divan::black_box(digest_bytes(bytes, &jobs)));
}

/// The GitHub preset: HMAC-SHA1 and HMAC-SHA256 in the same pass.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn sign_github_sha1_and_sha256_streamed(bencher: Bencher) {
    let path = payload_file();
    let jobs = [job(Algorithm::Sha1), job(Algorithm::Sha256)];
    bencher.counter(BytesCount::new(SIZE)).bench(|| {
        let file = File::open(path).expect("the payload file");
        divan::black_box(digest_reader(file, BodyShape::Raw, &jobs).expect("signing"))
    });
}
