//! The `ip-whitelist` check, with Go's `net` package semantics.
//!
//! Written out rather than taken from a CIDR crate because webhook's results depend on
//! Go details: an entry without `/` gets `/32` appended even for IPv6 (so `::1` means
//! `::/32`), a CIDR may have host bits set, IPv4 addresses inside IPv6 (`::ffff:a.b.c.d`)
//! compare as IPv4, and an IPv4-mapped IPv6 network such as `::ffff:0:0/96` therefore
//! admits every IPv4 peer.

use std::net::{Ipv4Addr, Ipv6Addr};

/// An address as Go holds it: 4 bytes for IPv4 parsed from a dotted quad in a CIDR,
/// 16 bytes otherwise.
type Ip = Vec<u8>;

/// Why the check could not run; the texts are webhook's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpError {
    BadRemoteAddress(String),
    BadCidr(String),
}

impl std::fmt::Display for IpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IpError::BadRemoteAddress(addr) => {
                write!(f, "invalid IP address found in remote address '{addr}'")
            }
            IpError::BadCidr(entry) => write!(f, "invalid CIDR address: {entry}"),
        }
    }
}

/// The result of an `ip-whitelist` match: whether the peer is inside one of the ranges,
/// and which entry admitted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpCheck {
    pub admitted_by: Option<String>,
}

/// Checks `remote_addr` (`ip:port`) against the whitespace-separated `ip_range` list in
/// order; an invalid entry is an error only if reached before a match.
pub fn check_ip_whitelist(remote_addr: &str, ip_range: &str) -> Result<IpCheck, IpError> {
    let peer = peer_ip(remote_addr).ok_or_else(|| IpError::BadRemoteAddress(remote_addr.into()))?;
    for entry in ip_range.split_whitespace() {
        let cidr = if entry.contains('/') {
            entry.to_string()
        } else {
            format!("{entry}/32")
        };
        let (network, mask) = parse_cidr(&cidr).ok_or(IpError::BadCidr(cidr))?;
        if contains(&network, &mask, &peer) {
            return Ok(IpCheck {
                admitted_by: Some(entry.to_string()),
            });
        }
    }
    Ok(IpCheck { admitted_by: None })
}

/// Every entry of an `ip-range` that webhook cannot read, as the error it would give
/// if the entry were reached (for linting: at request time only entries before a match
/// are read).
pub fn invalid_entries(ip_range: &str) -> Vec<IpError> {
    ip_range
        .split_whitespace()
        .map(|entry| {
            if entry.contains('/') {
                entry.to_string()
            } else {
                format!("{entry}/32")
            }
        })
        .filter(|cidr| parse_cidr(cidr).is_none())
        .map(IpError::BadCidr)
        .collect()
}

/// The peer address as webhook extracts it: trim spaces and brackets, cut at the last
/// `:`, trim again, parse.
pub fn peer_ip(remote_addr: &str) -> Option<Ip> {
    let trim = |s: &str| s.trim_matches([' ', '[', ']']).to_string();
    let mut ip = trim(remote_addr);
    if let Some(i) = ip.rfind(':') {
        ip = trim(&ip[..i]);
    }
    parse_ip(&ip)
}

/// Go's `net.ParseIP`: always the 16-byte form.
fn parse_ip(text: &str) -> Option<Ip> {
    for c in text.chars() {
        match c {
            '.' => {
                return text
                    .parse::<Ipv4Addr>()
                    .ok()
                    .map(|v4| v4.to_ipv6_mapped().octets().to_vec())
            }
            ':' => return text.parse::<Ipv6Addr>().ok().map(|v6| v6.octets().to_vec()),
            _ => {}
        }
    }
    None
}

/// Go's `net.ParseCIDR`: the masked network and the mask (4 bytes for a dotted quad).
fn parse_cidr(text: &str) -> Option<(Ip, Ip)> {
    let (addr, bits) = text.split_once('/')?;
    let (ip, len) = match addr.parse::<Ipv4Addr>() {
        Ok(v4) => (v4.to_ipv6_mapped().octets().to_vec(), 4),
        Err(_) => (addr.parse::<Ipv6Addr>().ok()?.octets().to_vec(), 16),
    };
    if bits.is_empty() || !bits.bytes().all(|c| c.is_ascii_digit()) || bits.len() > 7 {
        return None;
    }
    let ones: usize = bits.parse().ok()?;
    if ones > len * 8 {
        return None;
    }
    let mask: Ip = (0..len).map(|i| mask_byte(ones, i)).collect();
    let network = apply_mask(&ip, &mask);
    Some((network, mask))
}

fn mask_byte(ones: usize, index: usize) -> u8 {
    let bits = ones.saturating_sub(index * 8).min(8);
    if bits == 0 {
        0
    } else {
        0xffu8 << (8 - bits)
    }
}

/// Go's `IP.Mask`.
fn apply_mask(ip: &[u8], mask: &[u8]) -> Ip {
    let mut mask = mask;
    let mut ip = ip;
    if mask.len() == 16 && ip.len() == 4 && mask[..12].iter().all(|&b| b == 0xff) {
        mask = &mask[12..];
    }
    if mask.len() == 4 && ip.len() == 16 && is_v4_mapped(ip) {
        ip = &ip[12..];
    }
    ip.iter().zip(mask).map(|(a, m)| a & m).collect()
}

/// Go's `IPNet.Contains`.
fn contains(network: &[u8], mask: &[u8], ip: &[u8]) -> bool {
    let network = if network.len() == 16 && is_v4_mapped(network) {
        &network[12..]
    } else {
        network
    };
    let mask = match (mask.len(), network.len()) {
        (4, 4) | (16, 16) => mask,
        (16, 4) => &mask[12..],
        _ => return false,
    };
    let ip = if ip.len() == 16 && is_v4_mapped(ip) {
        &ip[12..]
    } else {
        ip
    };
    if ip.len() != network.len() {
        return false;
    }
    ip.iter()
        .zip(network)
        .zip(mask)
        .all(|((a, n), m)| a & m == n & m)
}

fn is_v4_mapped(ip: &[u8]) -> bool {
    ip.len() == 16 && ip[..10].iter().all(|&b| b == 0) && ip[10] == 0xff && ip[11] == 0xff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admits(peer: &str, range: &str) -> bool {
        check_ip_whitelist(peer, range)
            .unwrap()
            .admitted_by
            .is_some()
    }

    #[test]
    fn whitespace_separated_ranges_in_order() {
        assert!(admits("127.0.0.1:4711", "10.0.0.0/8 127.0.0.0/8"));
        assert!(admits("127.0.0.1:4711", "10.0.0.0/8\n\t127.0.0.1"));
        assert!(!admits("127.0.0.1:4711", ""));
        assert!(!admits("127.0.0.2:1", "127.0.0.1"));
    }

    #[test]
    fn host_bits_are_allowed() {
        assert!(admits("127.9.9.9:1", "127.0.0.5/8"));
    }

    #[test]
    fn commas_are_not_separators() {
        let err = check_ip_whitelist("127.0.0.1:1", "10.0.0.0/8,127.0.0.0/8").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid CIDR address: 10.0.0.0/8,127.0.0.0/8"
        );
    }

    #[test]
    fn invalid_entries_only_matter_when_reached() {
        assert!(admits("127.0.0.1:1", "127.0.0.1 bogus"));
        let err = check_ip_whitelist("127.0.0.1:1", "bogus 127.0.0.1").unwrap_err();
        assert_eq!(err.to_string(), "invalid CIDR address: bogus/32");
    }

    #[test]
    fn ipv6_without_mask_means_a_slash_32() {
        assert!(admits("[::1]:4711", "0:0::ffff"));
        assert!(!admits("[::1]:4711", "::2/128"));
        assert!(admits("[::1]:4711", "::1/128"));
    }

    #[test]
    fn ipv4_mapped_addresses_compare_as_ipv4() {
        assert!(admits("[::ffff:127.0.0.1]:1", "127.0.0.0/8"));
        assert!(admits("10.1.2.3:1", "::ffff:0:0/96"));
        assert!(!admits("[::1]:1", "127.0.0.0/8"));
    }

    #[test]
    fn bad_peers_are_errors() {
        let err = check_ip_whitelist("@sock", "127.0.0.1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid IP address found in remote address '@sock'"
        );
        assert!(check_ip_whitelist("01.2.3.4:1", "0.0.0.0/0").is_err());
        assert!(admits("127.0.0.1", "127.0.0.1"));
    }

    #[test]
    fn lists_every_invalid_entry() {
        let errors = invalid_entries("127.0.0.1 bogus 10.0.0.0/8,x ::1/129");
        let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "invalid CIDR address: bogus/32",
                "invalid CIDR address: 10.0.0.0/8,x",
                "invalid CIDR address: ::1/129",
            ]
        );
    }

    #[test]
    fn bad_masks_are_errors() {
        assert!(check_ip_whitelist("1.2.3.4:1", "1.2.3.4/33").is_err());
        assert!(check_ip_whitelist("1.2.3.4:1", "1.2.3.4/").is_err());
        assert!(check_ip_whitelist("1.2.3.4:1", "1.2.3.4/+8").is_err());
        assert!(admits("1.2.3.4:1", "1.2.3.4/032"));
    }
}
