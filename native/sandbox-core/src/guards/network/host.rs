//! Host canonicalization, policy host entries and name matching
//! (docs/policy.md, Network 5 and 6).
//!
//! Request hosts and policy entries go through the same WHATWG host parser
//! (`url::Host::parse`: percent-decoding, UTS #46 IDNA to ASCII, lower case,
//! IPv4 folding of `2130706433`/`0x7f.1`/`127.1`), then one trailing dot is
//! stripped. Names are compared by whole labels from the right.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

use super::address::unwrap_mapped;
use crate::error::Error;

/// Longest DNS name (RFC 1035, without the trailing dot).
const MAX_NAME_LEN: usize = 253;
/// Longest DNS label.
const MAX_LABEL_LEN: usize = 63;

/// A canonical host: a lower-case ASCII name without a trailing dot, or an
/// IP address (IPv4-mapped IPv6 unwrapped to IPv4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CanonicalHost {
    Name(String),
    Ip(IpAddr),
}

impl fmt::Display for CanonicalHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CanonicalHost::Name(n) => f.write_str(n),
            CanonicalHost::Ip(IpAddr::V4(a)) => write!(f, "{a}"),
            CanonicalHost::Ip(IpAddr::V6(a)) => write!(f, "[{a}]"),
        }
    }
}

impl CanonicalHost {
    /// From a host the URL parser produced.
    pub fn from_url_host(host: url::Host<&str>) -> Result<CanonicalHost, String> {
        match host {
            url::Host::Domain(d) => canonical_name(d).map(CanonicalHost::Name),
            url::Host::Ipv4(a) => Ok(CanonicalHost::Ip(IpAddr::V4(a))),
            url::Host::Ipv6(a) => Ok(CanonicalHost::Ip(unwrap_mapped(IpAddr::V6(a)))),
        }
    }

    /// Parse host text (a name, an IPv4 address in any WHATWG spelling, a
    /// bracketed or bare IPv6 address) with the same rules as URL hosts.
    pub fn parse(text: &str) -> Result<CanonicalHost, String> {
        if text.is_empty() {
            return Err("the host is empty".into());
        }
        // A bare IPv6 address (as in a policy entry `fd00::1` or a socket
        // address); the WHATWG parser only takes the bracketed form.
        if let Ok(v6) = text.parse::<std::net::Ipv6Addr>() {
            return Ok(CanonicalHost::Ip(unwrap_mapped(IpAddr::V6(v6))));
        }
        match url::Host::parse(text) {
            Ok(h) => CanonicalHost::from_url_host(match &h {
                url::Host::Domain(d) => url::Host::Domain(d.as_str()),
                url::Host::Ipv4(a) => url::Host::Ipv4(*a),
                url::Host::Ipv6(a) => url::Host::Ipv6(*a),
            }),
            Err(e) => Err(format!("{text:?} is not a valid host ({e})")),
        }
    }
}

/// Canonicalize a name the WHATWG host parser already mapped to ASCII:
/// strip one trailing dot, then refuse empty labels and over-long names.
pub fn canonical_name(domain: &str) -> Result<String, String> {
    let name = domain.strip_suffix('.').unwrap_or(domain);
    if name.is_empty() {
        return Err(format!("host {domain:?} has no labels"));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!(
            "host name is {} characters long; DNS allows at most {MAX_NAME_LEN}",
            name.len()
        ));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err(format!("host {domain:?} has an empty label"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!(
                "label {label:?} of host {domain:?} is longer than {MAX_LABEL_LEN} characters"
            ));
        }
    }
    Ok(name.to_ascii_lowercase())
}

/// True when `name` is `domain` or a subdomain of it, by whole labels
/// (`api.github.com` is under `github.com`; `evilgithub.com` is not).
pub fn name_is_under(name: &str, domain: &str) -> bool {
    if name == domain {
        return true;
    }
    name.len() > domain.len()
        && name.ends_with(domain)
        && name.as_bytes()[name.len() - domain.len() - 1] == b'.'
}

/// Names that always mean the local host: `localhost` and everything under
/// it (RFC 6761), plus the loopback aliases common `/etc/hosts` files carry.
pub fn is_loopback_name(name: &str) -> bool {
    name_is_under(name, "localhost")
        || matches!(
            name,
            "localhost.localdomain" | "ip6-localhost" | "ip6-loopback"
        )
}

/// Single-label names that reach a cloud metadata service through the
/// resolver's search domains (GCP `metadata`, AWS `instance-data`).
const CLOUD_SHORT_NAMES: &[&str] = &["metadata", "instance-data"];

/// Names (and everything under them) that only answer inside a cloud and
/// lead to its metadata service.
const CLOUD_DOMAINS: &[&str] = &[
    "metadata.google.internal",
    "metadata.goog",
    "instance-data.ec2.internal",
];

/// If `name` is a cloud-only metadata name, the name of the list entry.
pub fn cloud_metadata_name(name: &str) -> Option<&'static str> {
    CLOUD_SHORT_NAMES
        .iter()
        .find(|n| **n == name)
        .or_else(|| CLOUD_DOMAINS.iter().find(|d| name_is_under(name, d)))
        .copied()
}

/// What a policy entry matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    /// A name: the apex and every subdomain (`example.com` and `*.example.com`
    /// mean the same).
    Name(String),
    /// An IP address (a /32 or /128) or a CIDR block; matches IP literals,
    /// and opens special ranges for addresses it covers.
    Net(IpNet),
}

/// One canonicalized entry of `allowed_domains` or `blocked_domains`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    /// `network.allowed_domains` or `network.blocked_domains`.
    pub field: &'static str,
    pub index: usize,
    /// The entry as written in the policy.
    pub raw: String,
    pub pattern: HostPattern,
    /// `host:port` entries restrict the port.
    pub port: Option<u16>,
    /// [`HostEntry::rule`], written once: decisions name it on every check.
    rule_text: String,
}

impl HostEntry {
    /// The rule text of decisions: `network.allowed_domains[2]: github.com:443`.
    pub fn rule(&self) -> String {
        self.rule_text.clone()
    }

    /// True when the entry names exactly one address.
    pub fn is_single_address(&self) -> bool {
        matches!(&self.pattern, HostPattern::Net(n) if n.prefix_len() == n.max_prefix_len())
    }

    /// True when the entry's port restriction (if any) admits `port`.
    pub fn admits_port(&self, port: u16) -> bool {
        match self.port {
            Some(p) => p == port,
            None => true,
        }
    }

    /// True when the entry's host part covers `host` (port not considered).
    pub fn covers_host(&self, host: &CanonicalHost) -> bool {
        match (&self.pattern, host) {
            (HostPattern::Name(d), CanonicalHost::Name(n)) => name_is_under(n, d),
            (HostPattern::Net(net), CanonicalHost::Ip(ip)) => net.contains(ip),
            _ => false,
        }
    }

    /// True when the entry is an IP/CIDR entry covering `ip`.
    pub fn covers_address(&self, ip: IpAddr) -> bool {
        matches!(&self.pattern, HostPattern::Net(net) if net.contains(&unwrap_mapped(ip)))
    }

    /// Parse and canonicalize one entry. Accepted forms: `example.com`,
    /// `*.example.com`, `example.com:8443`, `bücher.de` (IDNA), `10.0.0.5`,
    /// `10.0.0.5:8080`, `fd00::1`, `[fd00::1]:8080`, `10.0.0.0/8`,
    /// `fd00::/8`.
    pub fn parse(field: &'static str, index: usize, raw: &str) -> Result<HostEntry, Error> {
        let fail = |what: String| {
            Error::invalid_policy(format!(
                "{field}[{index}]: {raw:?}: {what}; write a host name (`example.com`, `*.example.com`, `example.com:443`), an IP address (`10.0.0.5`, `[fd00::1]:8080`) or a CIDR block (`10.0.0.0/8`)"
            ))
        };
        let text = raw.trim();
        if text.is_empty() {
            return Err(fail("the entry is empty".into()));
        }
        let entry = |pattern, port| HostEntry {
            field,
            index,
            raw: raw.to_string(),
            pattern,
            port,
            rule_text: format!("{field}[{index}]: {raw}"),
        };

        // CIDR block.
        if let Some((addr, len)) = text.split_once('/') {
            let addr = addr.trim_start_matches('[').trim_end_matches(']');
            let ip: IpAddr = addr.parse().map_err(|_| {
                fail(format!(
                    "{addr:?} is not an IP address in dotted or colon notation"
                ))
            })?;
            let len: u8 = len.parse().map_err(|_| {
                fail(format!(
                    "{len:?} is not a prefix length (ports are not allowed on CIDR entries)"
                ))
            })?;
            let net = IpNet::new(ip, len)
                .map_err(|_| fail(format!("prefix length /{len} is too long for {ip}")))?;
            return Ok(entry(
                HostPattern::Net(unwrap_mapped_net(net.trunc())),
                None,
            ));
        }

        let (wildcard, rest) = match text.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (host, port) = split_port(rest).map_err(fail)?;
        if host.contains('*') {
            return Err(fail("only a leading `*.` wildcard is supported".into()));
        }
        match CanonicalHost::parse(host).map_err(fail)? {
            CanonicalHost::Name(n) => Ok(entry(HostPattern::Name(n), port)),
            CanonicalHost::Ip(_) if wildcard => {
                Err(fail("a `*.` wildcard cannot precede an IP address".into()))
            }
            CanonicalHost::Ip(ip) => Ok(entry(HostPattern::Net(IpNet::from(ip)), port)),
        }
    }
}

/// A CIDR block inside `::ffff:0:0/96` means the IPv4 block it maps.
fn unwrap_mapped_net(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net {
        if v6.prefix_len() >= 96 {
            if let IpAddr::V4(a) = unwrap_mapped(IpAddr::V6(v6.addr())) {
                if let Ok(n) = ipnet::Ipv4Net::new(a, v6.prefix_len() - 96) {
                    return IpNet::V4(n);
                }
            }
        }
    }
    net
}

/// Split `host:port`, `[v6]:port`, `[v6]`, bare `v6` or `host`.
fn split_port(text: &str) -> Result<(&str, Option<u16>), String> {
    if text.starts_with('[') {
        let close = text.find(']').ok_or("an opening `[` without `]`")?;
        let (host, after) = text.split_at(close + 1);
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(p) => Ok((host, Some(parse_port(p)?))),
                None => Err(format!("unexpected {after:?} after the IPv6 address")),
            },
        };
    }
    match text.matches(':').count() {
        0 => Ok((text, None)),
        1 => {
            let (host, port) = text.split_once(':').unwrap_or((text, ""));
            Ok((host, Some(parse_port(port)?)))
        }
        // Several colons: a bare IPv6 address (a port needs brackets).
        _ => Ok((text, None)),
    }
}

/// A decimal port 1–65535.
pub fn parse_port(text: &str) -> Result<u16, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("port {text:?} is not a decimal number"));
    }
    match text.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(format!("port {text} is outside 1-65535")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(s: &str) -> HostEntry {
        HostEntry::parse("network.allowed_domains", 0, s).unwrap()
    }

    fn entry_err(s: &str) -> String {
        HostEntry::parse("network.allowed_domains", 3, s)
            .unwrap_err()
            .message
    }

    fn name(s: &str) -> CanonicalHost {
        CanonicalHost::Name(s.into())
    }

    #[test]
    fn label_matching() {
        assert!(name_is_under("github.com", "github.com"));
        assert!(name_is_under("api.github.com", "github.com"));
        assert!(!name_is_under("evilgithub.com", "github.com"));
        assert!(!name_is_under("github.com.evil.com", "github.com"));
        assert!(!name_is_under("com", "github.com"));
    }

    #[test]
    fn names_are_canonicalized() {
        assert_eq!(
            CanonicalHost::parse("GitHub.COM.").unwrap(),
            name("github.com")
        );
        assert_eq!(
            CanonicalHost::parse("bücher.de").unwrap(),
            name("xn--bcher-kva.de")
        );
        assert_eq!(
            CanonicalHost::parse("%67ithub.com").unwrap(),
            name("github.com")
        );
        assert_eq!(
            CanonicalHost::parse("0x7f.1").unwrap(),
            CanonicalHost::Ip("127.0.0.1".parse().unwrap())
        );
        assert_eq!(
            CanonicalHost::parse("[::ffff:10.0.0.1]").unwrap(),
            CanonicalHost::Ip("10.0.0.1".parse().unwrap())
        );
        assert!(CanonicalHost::parse("github.com..").is_err());
        assert!(CanonicalHost::parse("a..b").is_err());
        assert!(CanonicalHost::parse(".").is_err());
        assert!(CanonicalHost::parse(&format!("{}.com", "a".repeat(64))).is_err());
        assert!(CanonicalHost::parse("1.2.3.09").is_err());
    }

    #[test]
    fn entry_forms() {
        let e = entry("*.Example.COM");
        assert_eq!(e.pattern, HostPattern::Name("example.com".into()));
        assert!(e.covers_host(&name("example.com")));
        assert!(e.covers_host(&name("a.b.example.com")));
        let e = entry("github.com:443");
        assert_eq!(e.port, Some(443));
        assert!(e.admits_port(443) && !e.admits_port(8443));
        let e = entry("xn--bcher-kva.example");
        assert!(e.covers_host(&CanonicalHost::parse("bücher.example").unwrap()));
        let e = entry("10.0.0.5");
        assert!(e.is_single_address());
        assert!(e.covers_address("10.0.0.5".parse().unwrap()));
        assert!(!e.covers_address("10.0.0.6".parse().unwrap()));
        assert!(e.covers_address("::ffff:10.0.0.5".parse().unwrap()));
        let e = entry("10.0.0.0/8");
        assert!(!e.is_single_address());
        assert!(e.covers_address("10.200.0.1".parse().unwrap()));
        let e = entry("fd00::/8");
        assert!(e.covers_address("fd12::1".parse().unwrap()));
        let e = entry("[fd00::1]:8080");
        assert_eq!(e.port, Some(8080));
        assert!(e.covers_address("fd00::1".parse().unwrap()));
        let e = entry("fd00::1");
        assert_eq!(e.port, None);
        let e = entry("::ffff:10.0.0.0/104");
        assert_eq!(e.pattern, HostPattern::Net("10.0.0.0/8".parse().unwrap()));
        let e = entry("10.1.2.3/8");
        assert_eq!(e.pattern, HostPattern::Net("10.0.0.0/8".parse().unwrap()));
        // An IP entry never matches a name and vice versa.
        assert!(!entry("140.82.112.3").covers_host(&name("github.com")));
        assert!(
            !entry("github.com").covers_host(&CanonicalHost::Ip("140.82.112.3".parse().unwrap()))
        );
    }

    #[test]
    fn malformed_entries_name_the_field_index() {
        for bad in [
            "github.com:0",
            "github.com:65536",
            "github.com:https",
            "10.0.0.0/33",
            "10.0.0.0/8:443",
            "a.*.com",
            "*.10.0.0.1",
            "git hub.com",
            "github.com..",
            "[fd00::1",
            "*",
            "  ",
        ] {
            let m = entry_err(bad);
            assert!(m.starts_with("network.allowed_domains[3]: "), "{bad}: {m}");
        }
    }

    #[test]
    fn special_names() {
        assert!(is_loopback_name("localhost"));
        assert!(is_loopback_name("app.localhost"));
        assert!(!is_loopback_name("localhost.evil.com"));
        assert_eq!(cloud_metadata_name("metadata"), Some("metadata"));
        assert_eq!(
            cloud_metadata_name("metadata.google.internal"),
            Some("metadata.google.internal")
        );
        assert_eq!(
            cloud_metadata_name("x.metadata.google.internal"),
            Some("metadata.google.internal")
        );
        assert_eq!(cloud_metadata_name("metadata.example.com"), None);
    }
}
