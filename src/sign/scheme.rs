//! Signing schemes: what bytes a sender's MAC covers, with which key, and how the result
//! is written into a header or query parameter.
//!
//! A [`Plan`] lists every signature a request needs ([`Planned`]) plus the headers that
//! go with them (Scalr's `Date`, Slack's timestamp). Plans come from a sender preset
//! ([`provider_plan`]), from plain options ([`plain_plan`]) or from a hook's trigger rule
//! (`sign::hook`). Computing the MACs is `sign::stream`'s job.

use std::fmt;

use base64::Engine as _;

use crate::config::model::Algorithm;
use crate::rules::signature::HmacStream;

/// An HMAC key. Its `Debug` never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Key(Vec<u8>);

impl Key {
    pub fn new(bytes: Vec<u8>) -> Key {
        Key(bytes)
    }

    /// The key bytes, for computing MACs. Never print them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The key as text, as webhook's matches take it (every key but Standard Webhooks'
    /// decoded one is text).
    pub fn as_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// One MAC over `before`, the body, then `after`.
#[derive(Clone, Debug)]
pub struct MacJob {
    pub algorithm: Algorithm,
    pub key: Key,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

impl MacJob {
    /// A MAC over the body alone.
    pub fn body(algorithm: Algorithm, key: Key) -> MacJob {
        MacJob {
            algorithm,
            key,
            before: Vec::new(),
            after: Vec::new(),
        }
    }

    /// Whether the MAC covers the body and nothing else (what `payload-hmac-*` checks).
    pub fn is_body_only(&self) -> bool {
        self.before.is_empty() && self.after.is_empty()
    }

    /// A MAC ready to be fed the body: `before` is already in.
    pub fn start(&self) -> HmacStream {
        let mut mac = HmacStream::new(self.algorithm, self.key.expose());
        mac.update(&self.before);
        mac
    }
}

/// How a MAC is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Lower-case hex, after the algorithm's prefix (`sha256=`) or bare.
    Hex { prefix: bool },
    /// Slack: `v0=<hex>`.
    SlackV0,
    /// Stripe: `t=<timestamp>,v1=<hex>`.
    Stripe { timestamp: u64 },
    /// Standard Webhooks: `v1,<base64>`.
    StandardWebhooks,
}

impl Encoding {
    pub fn render(self, algorithm: Algorithm, mac: &[u8]) -> String {
        let hex = hex::encode(mac);
        match self {
            Encoding::Hex { prefix: true } => format!("{}{hex}", algorithm.prefix()),
            Encoding::Hex { prefix: false } => hex,
            Encoding::SlackV0 => format!("v0={hex}"),
            Encoding::Stripe { timestamp } => format!("t={timestamp},v1={hex}"),
            Encoding::StandardWebhooks => {
                format!(
                    "v1,{}",
                    base64::engine::general_purpose::STANDARD.encode(mac)
                )
            }
        }
    }
}

/// Where a signature is sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Placement {
    Header(String),
    Query(String),
}

impl Placement {
    pub fn name(&self) -> &str {
        match self {
            Placement::Header(name) | Placement::Query(name) => name,
        }
    }
}

/// One signature of a request.
#[derive(Debug, Clone)]
pub struct Planned {
    pub job: MacJob,
    pub encoding: Encoding,
    pub placement: Placement,
    /// What checks it, as shown to people: `payload-hmac-sha256`, `Slack v0`, ...
    pub scheme: String,
    /// Whether one of webhook's match types can check it.
    pub is_verifiable: bool,
    /// The JSON pointer of the match it satisfies, when it comes from a hook.
    pub match_pointer: Option<String>,
}

/// Every signature of a request and the headers that go with them.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub signatures: Vec<Planned>,
    /// Headers the signatures depend on (`Date`, timestamps), in the order to send them.
    pub headers: Vec<(String, String)>,
    /// Things to tell the user on stderr.
    pub notes: Vec<String>,
}

impl Plan {
    pub fn jobs(&self) -> Vec<MacJob> {
        self.signatures.iter().map(|s| s.job.clone()).collect()
    }
}

/// Sender presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    /// Bitbucket Cloud: `X-Hub-Signature: sha256=<hex>`
    Bitbucket,
    /// Forgejo: `X-Forgejo-Signature: <hex>` (HMAC-SHA256, no prefix)
    Forgejo,
    /// Gitea: `X-Gitea-Signature: <hex>` (HMAC-SHA256, no prefix)
    Gitea,
    /// GitHub: `X-Hub-Signature: sha1=<hex>` and `X-Hub-Signature-256: sha256=<hex>`
    Github,
    /// Gogs: `X-Gogs-Signature: <hex>` (HMAC-SHA256, no prefix)
    Gogs,
    /// Scalr: `X-Signature` (HMAC-SHA1 over the body and the Date) and `Date`
    Scalr,
    /// Slack: `X-Slack-Signature: v0=<hex>` and `X-Slack-Request-Timestamp`
    Slack,
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`
    StandardWebhooks,
    /// Stripe: `Stripe-Signature: t=<timestamp>,v1=<hex>`
    Stripe,
}

impl Provider {
    /// Whether webhook's match types can check what this sender sends.
    pub fn is_verifiable(self) -> bool {
        !matches!(
            self,
            Provider::Slack | Provider::StandardWebhooks | Provider::Stripe
        )
    }
}

/// The time values a scheme may put into what it signs.
#[derive(Debug, Clone)]
pub struct Moment {
    /// Scalr's `Date` header, in webhook's layout.
    pub date: String,
    /// Unix seconds, for Slack, Stripe and Standard Webhooks.
    pub timestamp: u64,
    /// Standard Webhooks' message id.
    pub webhook_id: String,
}

/// Why a preset cannot sign with the secret it was given. Never holds the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error(
        "a Standard Webhooks secret is `whsec_` followed by base64, and the part after \
         `whsec_` is not valid base64"
    )]
    StandardWebhooksSecret,
}

/// The signatures and headers `provider` sends.
pub fn provider_plan(provider: Provider, secret: &str, at: &Moment) -> Result<Plan, SchemeError> {
    let key = || Key::new(secret.as_bytes().to_vec());
    let hex = |algorithm: Algorithm, header: &str, prefix: bool| Planned {
        job: MacJob::body(algorithm, key()),
        encoding: Encoding::Hex { prefix },
        placement: Placement::Header(header.into()),
        scheme: format!("payload-hmac-{}", algorithm.name()),
        is_verifiable: true,
        match_pointer: None,
    };
    let mut plan = Plan::default();
    match provider {
        Provider::Github => {
            plan.signatures = vec![
                hex(Algorithm::Sha1, "X-Hub-Signature", true),
                hex(Algorithm::Sha256, "X-Hub-Signature-256", true),
            ];
        }
        Provider::Gitea => {
            plan.signatures = vec![hex(Algorithm::Sha256, "X-Gitea-Signature", false)]
        }
        Provider::Forgejo => {
            plan.signatures = vec![hex(Algorithm::Sha256, "X-Forgejo-Signature", false)];
        }
        Provider::Gogs => plan.signatures = vec![hex(Algorithm::Sha256, "X-Gogs-Signature", false)],
        Provider::Bitbucket => {
            plan.signatures = vec![hex(Algorithm::Sha256, "X-Hub-Signature", true)]
        }
        Provider::Scalr => {
            plan.signatures = vec![scalr(key(), &at.date, None)];
            plan.headers.push(("Date".into(), at.date.clone()));
        }
        Provider::Slack => {
            plan.headers
                .push(("X-Slack-Request-Timestamp".into(), at.timestamp.to_string()));
            plan.signatures = vec![unverifiable(
                MacJob {
                    before: format!("v0:{}:", at.timestamp).into_bytes(),
                    ..MacJob::body(Algorithm::Sha256, key())
                },
                Encoding::SlackV0,
                "X-Slack-Signature",
                "Slack v0",
            )];
        }
        Provider::Stripe => {
            plan.signatures = vec![unverifiable(
                MacJob {
                    before: format!("{}.", at.timestamp).into_bytes(),
                    ..MacJob::body(Algorithm::Sha256, key())
                },
                Encoding::Stripe {
                    timestamp: at.timestamp,
                },
                "Stripe-Signature",
                "Stripe v1",
            )];
        }
        Provider::StandardWebhooks => {
            plan.headers
                .push(("webhook-id".into(), at.webhook_id.clone()));
            plan.headers
                .push(("webhook-timestamp".into(), at.timestamp.to_string()));
            plan.signatures = vec![unverifiable(
                MacJob {
                    before: format!("{}.{}.", at.webhook_id, at.timestamp).into_bytes(),
                    ..MacJob::body(Algorithm::Sha256, standard_webhooks_key(secret)?)
                },
                Encoding::StandardWebhooks,
                "webhook-signature",
                "Standard Webhooks v1",
            )];
        }
    }
    Ok(plan)
}

/// A plain HMAC of the body in one header; the header defaults to GitHub's name for the
/// algorithm (`X-Hub-Signature-512` for SHA-512, which no sender uses).
pub fn plain_plan(algorithm: Algorithm, header: Option<&str>, prefix: bool, secret: &str) -> Plan {
    let header = header.map_or_else(|| default_header(algorithm).to_string(), str::to_string);
    Plan {
        signatures: vec![Planned {
            job: MacJob::body(algorithm, Key::new(secret.as_bytes().to_vec())),
            encoding: Encoding::Hex { prefix },
            placement: Placement::Header(header),
            scheme: format!("payload-hmac-{}", algorithm.name()),
            is_verifiable: true,
            match_pointer: None,
        }],
        ..Plan::default()
    }
}

/// The header a plain signature goes in when none is named.
pub fn default_header(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Sha1 => "X-Hub-Signature",
        Algorithm::Sha256 => "X-Hub-Signature-256",
        Algorithm::Sha512 => "X-Hub-Signature-512",
    }
}

/// Scalr's `X-Signature`: bare hex HMAC-SHA1 over the body followed by the `Date` value.
pub fn scalr(key: Key, date: &str, match_pointer: Option<String>) -> Planned {
    Planned {
        job: MacJob {
            after: date.as_bytes().to_vec(),
            ..MacJob::body(Algorithm::Sha1, key)
        },
        encoding: Encoding::Hex { prefix: false },
        placement: Placement::Header("X-Signature".into()),
        scheme: "scalr-signature".into(),
        is_verifiable: true,
        match_pointer,
    }
}

fn unverifiable(job: MacJob, encoding: Encoding, header: &str, scheme: &str) -> Planned {
    Planned {
        job,
        encoding,
        placement: Placement::Header(header.into()),
        scheme: scheme.into(),
        is_verifiable: false,
        match_pointer: None,
    }
}

/// Standard Webhooks keys are the base64 after `whsec_` (the prefix is optional).
fn standard_webhooks_key(secret: &str) -> Result<Key, SchemeError> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map(Key::new)
        .map_err(|_| SchemeError::StandardWebhooksSecret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment() -> Moment {
        Moment {
            date: "Thu 07 Sep 2017 06:30:04 UTC".into(),
            timestamp: 1_614_265_330,
            webhook_id: "msg_p5jXN8AQM9LWM0D4loKWxJek".into(),
        }
    }

    fn sign_one(plan: &Plan, body: &[u8]) -> Vec<String> {
        crate::sign::digest_bytes(body, &plan.jobs())
            .macs
            .iter()
            .zip(&plan.signatures)
            .map(|(mac, s)| s.encoding.render(s.job.algorithm, mac))
            .collect()
    }

    #[test]
    fn github_sends_both_headers_with_prefixes() {
        let plan = provider_plan(Provider::Github, "secret", &moment()).unwrap();
        let names: Vec<_> = plan.signatures.iter().map(|s| s.placement.name()).collect();
        assert_eq!(names, ["X-Hub-Signature", "X-Hub-Signature-256"]);
        assert_eq!(
            sign_one(&plan, br#"{"a": "z"}"#),
            [
                "sha1=b17e04cbb22afa8ffbff8796fc1894ed27badd9e",
                "sha256=f417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89"
            ]
        );
    }

    #[test]
    fn gitea_family_sends_bare_hex() {
        for (provider, header) in [
            (Provider::Gitea, "X-Gitea-Signature"),
            (Provider::Forgejo, "X-Forgejo-Signature"),
            (Provider::Gogs, "X-Gogs-Signature"),
        ] {
            let plan = provider_plan(provider, "secret", &moment()).unwrap();
            assert_eq!(plan.signatures[0].placement.name(), header);
            assert_eq!(
                sign_one(&plan, br#"{"a": "z"}"#),
                ["f417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89"]
            );
        }
    }

    #[test]
    fn standard_webhooks_refuses_a_secret_that_is_not_base64_without_showing_it() {
        let err = provider_plan(Provider::StandardWebhooks, "whsec_%%%%", &moment()).unwrap_err();
        assert!(!err.to_string().contains("%%%%"));
    }

    #[test]
    fn keys_do_not_show_in_debug() {
        let plan = plain_plan(Algorithm::Sha256, None, true, "hunter2-secret");
        assert!(!format!("{plan:?}").contains("hunter2"));
        assert_eq!(plan.signatures[0].placement.name(), "X-Hub-Signature-256");
    }
}
