//! Random and mutated inputs for every reader of untrusted bytes: none may panic.
//!
//! A small deterministic generator keeps the runs repeatable; the recorded fixtures are
//! mutated byte by byte so the readers see inputs close to real ones.

use super::{form, http, json, mime, multipart, xml};
use crate::outcome::command::go_base64_decode;
use crate::outcome::route::route;
use crate::outcome::{handle, Mode, ServerConfig};
use crate::rules::{date, regex};

/// xorshift64*: deterministic and good enough to shake parsers.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Bytes drawn mostly from characters that mean something to the readers.
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        const MEANINGFUL: &[u8] =
            b"{}[]<>\"'\\/:;,=&%?.-+*()|^$ \r\n\t0123456789aAzZ!#@_~xXuUpPqQeE";
        (0..len)
            .map(|_| {
                if self.below(4) == 0 {
                    self.next() as u8
                } else {
                    MEANINGFUL[self.below(MEANINGFUL.len())]
                }
            })
            .collect()
    }

    fn mutate(&mut self, base: &[u8]) -> Vec<u8> {
        let mut data = base.to_vec();
        for _ in 0..=self.below(8) {
            if data.is_empty() {
                break;
            }
            let at = self.below(data.len());
            match self.below(3) {
                0 => data[at] = self.next() as u8,
                1 => {
                    data.remove(at);
                }
                _ => data.insert(at, self.bytes(1)[0]),
            }
        }
        if self.below(3) == 0 {
            data.truncate(self.below(data.len() + 1));
        }
        data
    }
}

fn feed(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = http::parse(data);
    let _ = json::decode_first(data).map(|v| json::marshal(&v));
    let _ = xml::decode(data);
    let _ = multipart::read_form("multipart/form-data; boundary=XX", data, 1 << 20);
    let _ = form::parse_query(data);
    let _ = mime::parse_media_type(&text);
    let _ = regex::compile(&text);
    let _ = date::parse(&text);
    let _ = go_base64_decode(&text);
    let _ = route("hooks", &text);
}

#[test]
fn random_inputs_never_panic() {
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    for _ in 0..1_500 {
        let len = noise.below(200);
        let data = noise.bytes(len);
        feed(&data);
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/requests");
    let mut noise = Noise(42);
    let samples: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "http"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    let extra: [&[u8]; 4] = [
        b"--XX\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\r\n\r\n{}\r\n\
          --XX--\r\n",
        b"<?xml version=\"1.0\"?><a x=\"1\"><b>t</b><![CDATA[c]]><!-- c --></a>",
        b"^(?i)a{2,3}[[:alpha:]\\d-]\\Q.\\E(?P<n>x)|\\p{Greek}$",
        b"Thu 07 Sep 2017 06:30:04 UTC",
    ];
    for base in samples.iter().map(Vec::as_slice).chain(extra) {
        for _ in 0..100 {
            feed(&noise.mutate(base));
        }
    }
}

#[test]
fn mutated_requests_go_through_the_whole_engine() {
    let hooks: Vec<_> = [
        "application/json",
        "application/x-www-form-urlencoded",
        "text/xml",
    ]
    .iter()
    .enumerate()
    .map(|(i, ct)| {
        let json = serde_json::json!({
            "id": format!("h{i}"), "execute-command": "/bin/true",
            "incoming-payload-content-type": ct,
            "parse-parameters-as-json": [{"source": "payload", "name": "payload"}],
            "pass-arguments-to-command": [{"source": "payload", "name": "commits.0.id"},
                {"source": "entire-payload"}, {"source": "entire-headers"}],
            "pass-file-to-command": [{"source": "payload", "name": "ref", "base64decode": true}],
            "trigger-rule": {"or": [
                {"match": {"type": "payload-hmac-sha256", "secret": "s",
                    "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}},
                {"not": {"match": {"type": "regex", "regex": "^refs/(heads|tags)/",
                    "parameter": {"source": "payload", "name": "ref"}}}},
                {"match": {"type": "ip-whitelist", "ip-range": "127.0.0.1 ::1/128"}},
                {"match": {"type": "scalr-signature", "secret": "s"}}
            ]}
        });
        crate::testing::hook_at(&json, &format!("/{i}"))
    })
    .collect();
    let config = ServerConfig::default();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/requests/github-push.http"
    );
    let base = http::parse(&std::fs::read(path).unwrap()).unwrap();
    let mut noise = Noise(7);
    for i in 0..300 {
        let mut request = base.clone().with_body(noise.mutate(&base.body));
        request.target = format!("/hooks/h{}", i % 3);
        let _ = handle(&hooks, &request, &config, Mode::Plan);
    }
}
