//! Writing computed signatures: header lines, bare values, or JSON.

use serde::Serialize;

use super::scheme::{Placement, Plan};
use super::stream::Digested;

/// One computed signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureValue {
    pub scheme: String,
    pub algorithm: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    pub value: String,
    /// Whether one of webhook's match types can check it.
    pub verifiable_by_webhook: bool,
    /// The JSON pointer of the hook's match it satisfies.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_pointer: Option<String>,
}

/// Every signature of a request, computed, with the headers that go with them.
#[derive(Debug, Clone)]
pub struct Signatures {
    pub values: Vec<SignatureValue>,
    /// `Date`, timestamps: headers the signatures depend on.
    pub headers: Vec<(String, String)>,
}

impl Signatures {
    /// Writes each MAC of `digested` the way `plan` says.
    pub fn new(plan: &Plan, digested: &Digested) -> Signatures {
        let values = plan
            .signatures
            .iter()
            .zip(&digested.macs)
            .map(|(s, mac)| {
                let (header, query) = match &s.placement {
                    Placement::Header(name) => (Some(name.clone()), None),
                    Placement::Query(name) => (None, Some(name.clone())),
                };
                SignatureValue {
                    scheme: s.scheme.clone(),
                    algorithm: s.job.algorithm.name(),
                    header,
                    query,
                    value: s.encoding.render(s.job.algorithm, mac),
                    verifiable_by_webhook: s.is_verifiable,
                    match_pointer: s.match_pointer.clone(),
                }
            })
            .collect();
        Signatures {
            values,
            headers: plan.headers.clone(),
        }
    }

    /// The header fields to send: one per name, in first-seen order, values for the same
    /// name joined with `,` (webhook splits them again), then the other headers.
    pub fn header_fields(&self) -> Vec<(String, String)> {
        let mut fields = combine(
            self.values
                .iter()
                .filter_map(|v| Some((v.header.as_ref()?, &v.value))),
        );
        fields.extend(self.headers.iter().cloned());
        fields
    }

    /// The query parameters to send, combined like headers.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        combine(
            self.values
                .iter()
                .filter_map(|v| Some((v.query.as_ref()?, &v.value))),
        )
    }
}

fn combine<'a>(items: impl Iterator<Item = (&'a String, &'a String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in items {
        match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(value);
            }
            None => out.push((name.clone(), value.clone())),
        }
    }
    out
}

/// `Name: value` lines, then `?name=value` lines for query parameters (URL-encoded).
pub fn header_lines(signatures: &Signatures) -> String {
    let mut out = String::new();
    for (name, value) in signatures.header_fields() {
        out.push_str(&format!("{name}: {value}\n"));
    }
    for (name, value) in signatures.query_pairs() {
        out.push('?');
        out.push_str(&encode_pair(&name, &value));
        out.push('\n');
    }
    out
}

/// The signature values alone, one line per header or query parameter.
pub fn value_lines(signatures: &Signatures) -> String {
    let mut out = String::new();
    let fields = combine(signatures.values.iter().filter_map(|v| {
        let name = v.header.as_ref().or(v.query.as_ref())?;
        Some((name, &v.value))
    }));
    for (_, value) in fields {
        out.push_str(&value);
        out.push('\n');
    }
    out
}

/// `name=value`, form-encoded as a query string carries it.
pub fn encode_pair(name: &str, value: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish()
}

/// The stable JSON document of `hookctl sign --output json`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub payload: PayloadReport<'a>,
    pub signatures: &'a [SignatureValue],
    pub headers: Vec<NameValue>,
    pub query: Vec<NameValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestReport>,
    pub notes: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct PayloadReport<'a> {
    /// The payload file, `-` for standard input.
    pub path: &'a str,
    pub bytes: u64,
    pub ends_with_newline: bool,
    /// The bytes the signatures cover: the payload, its form encoding, or none
    /// (multipart).
    pub signed_bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct RequestReport {
    pub method: String,
    pub url: String,
    pub content_type: String,
}

impl<'a> JsonReport<'a> {
    pub fn new(
        path: &'a str,
        digested: &Digested,
        signatures: &'a Signatures,
        notes: &'a [String],
    ) -> JsonReport<'a> {
        let pairs = |list: Vec<(String, String)>| {
            list.into_iter()
                .map(|(name, value)| NameValue { name, value })
                .collect()
        };
        JsonReport {
            payload: PayloadReport {
                path,
                bytes: digested.payload_bytes,
                ends_with_newline: digested.ends_with_newline,
                signed_bytes: digested.body_bytes,
            },
            signatures: &signatures.values,
            headers: pairs(signatures.header_fields()),
            query: pairs(signatures.query_pairs()),
            request: None,
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::Algorithm;
    use crate::sign::scheme::{Encoding, Key, MacJob, Planned};
    use crate::sign::stream::digest_bytes;

    fn planned(algorithm: Algorithm, placement: Placement) -> Planned {
        Planned {
            job: MacJob::body(algorithm, Key::new(b"secret".to_vec())),
            encoding: Encoding::Hex { prefix: true },
            placement,
            scheme: format!("payload-hmac-{}", algorithm.name()),
            is_verifiable: true,
            match_pointer: None,
        }
    }

    #[test]
    fn values_for_one_name_are_sent_as_one_list() {
        let plan = Plan {
            signatures: vec![
                planned(Algorithm::Sha1, Placement::Header("X-Sig".into())),
                planned(Algorithm::Sha256, Placement::Header("x-sig".into())),
                planned(Algorithm::Sha256, Placement::Query("sig".into())),
            ],
            headers: vec![("Date".into(), "Thu 07 Sep 2017 06:30:04 UTC".into())],
            notes: Vec::new(),
        };
        let signatures = Signatures::new(&plan, &digest_bytes(br#"{"a": "z"}"#, &plan.jobs()));
        assert_eq!(
            header_lines(&signatures),
            "X-Sig: sha1=b17e04cbb22afa8ffbff8796fc1894ed27badd9e,\
             sha256=f417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89\n\
             Date: Thu 07 Sep 2017 06:30:04 UTC\n\
             ?sig=sha256%3Df417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89\n"
        );
        assert_eq!(value_lines(&signatures).lines().count(), 2);
    }
}
