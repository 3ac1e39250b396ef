//! Classification of IP addresses (docs/policy.md, Network 7).
//!
//! Every address a request could reach — an IP literal in the URL or an
//! address a name resolved to — is put into one [`AddressKind`]. The guard
//! then decides from the kind and the policy: public addresses pass, loopback
//! needs `allow_localhost`, special ranges need an explicit IP/CIDR entry,
//! metadata endpoints an entry naming the exact address, and a few forms are
//! never a destination.
//!
//! The tables are IANA's special-purpose registries (RFC 6890 and
//! successors) plus the cloud endpoints that live at fixed addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// How the policy treats an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// Public unicast: allowed.
    Public,
    /// Loopback (`127.0.0.0/8`, `::1`): allowed only with `allow_localhost`.
    Loopback,
    /// Never a destination, whatever the policy says: `0.0.0.0/8` and `::`
    /// (connecting to them reaches the local host), the IPv4-compatible
    /// `::/96` and the NAT64 prefixes (they smuggle an IPv4 address past
    /// IPv4 rules), and translation forms that embed a non-public IPv4.
    Forbidden,
    /// Private or special-purpose: allowed only by an explicit IP/CIDR entry.
    Special,
    /// A cloud metadata or platform endpoint: allowed only by an entry that
    /// names exactly this address (a broad CIDR does not open it).
    Metadata,
}

/// The classification of one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressClass {
    /// The address judged: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is
    /// unwrapped to its IPv4 address, everything else is as given.
    pub address: IpAddr,
    pub kind: AddressKind,
    /// The registry block that decided; `None` for public addresses.
    pub range: Option<IpNet>,
    /// What the block is, for reasons (e.g. `private network (RFC 1918)`).
    pub description: &'static str,
    /// An IPv4 address carried inside an IPv6 address (IPv4-compatible,
    /// NAT64, 6to4, Teredo, IPv4-translated), named in reasons.
    pub embedded: Option<Ipv4Addr>,
    /// True when `embedded` is itself a metadata endpoint.
    pub embeds_metadata: bool,
}

impl AddressClass {
    /// A short text for reasons: `169.254.169.254 (cloud metadata service, 169.254.169.254/32)`.
    pub fn describe(&self) -> String {
        let mut s = format!("{} ({}", self.address, self.description);
        if let Some(range) = self.range {
            s.push_str(&format!(", {range}"));
        }
        if let Some(v4) = self.embedded {
            s.push_str(&format!(", embeds {v4}"));
        }
        s.push(')');
        s
    }
}

struct V4Block {
    net: Ipv4Net,
    kind: AddressKind,
    description: &'static str,
}

struct V6Block {
    net: Ipv6Net,
    kind: AddressKind,
    description: &'static str,
    /// Where an IPv4 address sits inside addresses of this block.
    embedding: Embedding,
}

#[derive(Clone, Copy)]
enum Embedding {
    None,
    /// The low 32 bits (IPv4-compatible, NAT64 /96, IPv4-translated).
    Low32,
    /// Bits 16..48 (6to4, RFC 3056).
    SixToFour,
    /// The low 32 bits inverted: the Teredo client address (RFC 4380).
    Teredo,
}

const fn v4(
    a: u8,
    b: u8,
    c: u8,
    d: u8,
    len: u8,
    kind: AddressKind,
    description: &'static str,
) -> V4Block {
    V4Block {
        net: Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len),
        kind,
        description,
    }
}

#[allow(clippy::too_many_arguments)]
const fn v6(
    segments: [u16; 8],
    len: u8,
    kind: AddressKind,
    description: &'static str,
    embedding: Embedding,
) -> V6Block {
    let [a, b, c, d, e, f, g, h] = segments;
    V6Block {
        net: Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, d, e, f, g, h), len),
        kind,
        description,
        embedding,
    }
}

use AddressKind::{Forbidden, Loopback, Metadata, Special};

/// IPv4 blocks, most specific first (the first match decides).
const V4_BLOCKS: &[V4Block] = &[
    v4(
        0,
        0,
        0,
        0,
        8,
        Forbidden,
        "\"this network\"; connecting to it reaches the local host",
    ),
    v4(127, 0, 0, 0, 8, Loopback, "loopback"),
    // Fixed-address cloud endpoints. Most sit inside special blocks anyway;
    // naming them gives a clearer reason and a stricter exception rule.
    v4(
        169,
        254,
        169,
        254,
        32,
        Metadata,
        "cloud metadata service (AWS, GCP, Azure, OCI, DigitalOcean, OpenStack)",
    ),
    v4(
        169,
        254,
        170,
        2,
        32,
        Metadata,
        "AWS ECS task credentials endpoint",
    ),
    v4(
        169,
        254,
        170,
        23,
        32,
        Metadata,
        "AWS EKS Pod Identity endpoint",
    ),
    v4(
        168,
        63,
        129,
        16,
        32,
        Metadata,
        "Azure WireServer platform endpoint",
    ),
    v4(
        100,
        100,
        100,
        200,
        32,
        Metadata,
        "Alibaba Cloud metadata service",
    ),
    v4(
        192,
        0,
        0,
        192,
        32,
        Metadata,
        "Oracle Cloud Classic metadata service",
    ),
    v4(10, 0, 0, 0, 8, Special, "private network (RFC 1918)"),
    v4(
        100,
        64,
        0,
        0,
        10,
        Special,
        "shared address space / carrier-grade NAT (RFC 6598)",
    ),
    v4(
        169,
        254,
        0,
        0,
        16,
        Special,
        "link-local (RFC 3927), home of cloud metadata services",
    ),
    v4(172, 16, 0, 0, 12, Special, "private network (RFC 1918)"),
    v4(
        192,
        0,
        0,
        0,
        24,
        Special,
        "IETF protocol assignments (RFC 6890)",
    ),
    v4(
        192,
        0,
        2,
        0,
        24,
        Special,
        "documentation TEST-NET-1 (RFC 5737)",
    ),
    v4(192, 31, 196, 0, 24, Special, "AS112 service (RFC 7535)"),
    v4(192, 52, 193, 0, 24, Special, "AMT relay anycast (RFC 7450)"),
    v4(
        192,
        88,
        99,
        0,
        24,
        Special,
        "deprecated 6to4 relay anycast (RFC 7526)",
    ),
    v4(192, 168, 0, 0, 16, Special, "private network (RFC 1918)"),
    v4(
        192,
        175,
        48,
        0,
        24,
        Special,
        "AS112 direct delegation (RFC 7534)",
    ),
    v4(198, 18, 0, 0, 15, Special, "benchmarking (RFC 2544)"),
    v4(
        198,
        51,
        100,
        0,
        24,
        Special,
        "documentation TEST-NET-2 (RFC 5737)",
    ),
    v4(
        203,
        0,
        113,
        0,
        24,
        Special,
        "documentation TEST-NET-3 (RFC 5737)",
    ),
    v4(224, 0, 0, 0, 4, Special, "multicast (RFC 5771)"),
    v4(
        255,
        255,
        255,
        255,
        32,
        Special,
        "limited broadcast (RFC 919)",
    ),
    v4(
        240,
        0,
        0,
        0,
        4,
        Special,
        "reserved for future use (RFC 1112)",
    ),
];

/// IPv6 blocks, most specific first. `::ffff:0:0/96` is unwrapped before
/// this table is consulted.
const V6_BLOCKS: &[V6Block] = &[
    v6(
        [0, 0, 0, 0, 0, 0, 0, 0],
        128,
        Forbidden,
        "unspecified address; connecting to it reaches the local host",
        Embedding::None,
    ),
    v6(
        [0, 0, 0, 0, 0, 0, 0, 1],
        128,
        Loopback,
        "loopback",
        Embedding::None,
    ),
    v6(
        [0, 0, 0, 0, 0, 0, 0, 0],
        96,
        Forbidden,
        "deprecated IPv4-compatible address (RFC 4291)",
        Embedding::Low32,
    ),
    v6(
        [0x64, 0xff9b, 0, 0, 0, 0, 0, 0],
        96,
        Forbidden,
        "NAT64 well-known prefix (RFC 6052)",
        Embedding::Low32,
    ),
    v6(
        [0x64, 0xff9b, 1, 0, 0, 0, 0, 0],
        48,
        Forbidden,
        "local-use NAT64 prefix (RFC 8215)",
        Embedding::None,
    ),
    v6(
        [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254],
        128,
        Metadata,
        "AWS instance metadata service (IPv6)",
        Embedding::None,
    ),
    v6(
        [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23],
        128,
        Metadata,
        "AWS EKS Pod Identity endpoint (IPv6)",
        Embedding::None,
    ),
    v6(
        [0xfd20, 0xce, 0, 0, 0, 0, 0, 0x254],
        128,
        Metadata,
        "GCP metadata server (IPv6)",
        Embedding::None,
    ),
    v6(
        [0, 0, 0, 0, 0xffff, 0, 0, 0],
        96,
        Special,
        "IPv4-translated address (RFC 6145)",
        Embedding::Low32,
    ),
    v6(
        [0x100, 0, 0, 0, 0, 0, 0, 0],
        64,
        Special,
        "discard-only (RFC 6666)",
        Embedding::None,
    ),
    v6(
        [0xfc00, 0, 0, 0, 0, 0, 0, 0],
        7,
        Special,
        "unique local address (RFC 4193)",
        Embedding::None,
    ),
    v6(
        [0xfe80, 0, 0, 0, 0, 0, 0, 0],
        10,
        Special,
        "link-local (RFC 4291)",
        Embedding::None,
    ),
    v6(
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        Special,
        "deprecated site-local (RFC 3879)",
        Embedding::None,
    ),
    v6(
        [0xff00, 0, 0, 0, 0, 0, 0, 0],
        8,
        Special,
        "multicast (RFC 4291)",
        Embedding::None,
    ),
    v6(
        [0x5f00, 0, 0, 0, 0, 0, 0, 0],
        16,
        Special,
        "SRv6 segment identifiers (RFC 9602)",
        Embedding::None,
    ),
    // Inside 2000::/3 (global unicast) but special-purpose.
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        32,
        Special,
        "Teredo tunnelling (RFC 4380)",
        Embedding::Teredo,
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        Special,
        "documentation (RFC 3849)",
        Embedding::None,
    ),
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        Special,
        "IETF protocol assignments (RFC 2928)",
        Embedding::None,
    ),
    v6(
        [0x2002, 0, 0, 0, 0, 0, 0, 0],
        16,
        Special,
        "6to4 (RFC 3056)",
        Embedding::SixToFour,
    ),
    v6(
        [0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0],
        48,
        Special,
        "AS112 direct delegation (RFC 7534)",
        Embedding::None,
    ),
    v6(
        [0x3fff, 0, 0, 0, 0, 0, 0, 0],
        20,
        Special,
        "documentation (RFC 9637)",
        Embedding::None,
    ),
];

/// Global unicast: every IPv6 address outside it is special.
const V6_GLOBAL_UNICAST: Ipv6Net =
    Ipv6Net::new_assert(Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3);

/// `::ffff:0:0/96`, the IPv4-mapped block.
const V6_MAPPED: Ipv6Net = Ipv6Net::new_assert(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96);

/// Unwrap an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) to IPv4; every
/// other address is returned as given. The IPv4-compatible form `::a.b.c.d`
/// is *not* unwrapped: it is refused outright instead.
pub fn unwrap_mapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if V6_MAPPED.contains(&v6) => {
            IpAddr::V4(v6.to_ipv4_mapped().unwrap_or(Ipv4Addr::UNSPECIFIED))
        }
        other => other,
    }
}

/// Classify one address.
pub fn classify(ip: IpAddr) -> AddressClass {
    match unwrap_mapped(ip) {
        IpAddr::V4(a) => classify_v4(a),
        IpAddr::V6(a) => classify_v6(a),
    }
}

/// Whether `net` contains `a`: what `Ipv4Net::contains` answers, on the
/// integers (every address of a check passes through the whole table).
fn v4_contains(net: &Ipv4Net, a: Ipv4Addr) -> bool {
    let mask = u32::MAX
        .checked_shl(32 - u32::from(net.prefix_len()))
        .unwrap_or(0);
    (u32::from(a) & mask) == (u32::from(net.addr()) & mask)
}

fn classify_v4(a: Ipv4Addr) -> AddressClass {
    for block in V4_BLOCKS {
        if v4_contains(&block.net, a) {
            return AddressClass {
                address: IpAddr::V4(a),
                kind: block.kind,
                range: Some(IpNet::V4(block.net)),
                description: block.description,
                embedded: None,
                embeds_metadata: false,
            };
        }
    }
    AddressClass {
        address: IpAddr::V4(a),
        kind: AddressKind::Public,
        range: None,
        description: "public address",
        embedded: None,
        embeds_metadata: false,
    }
}

fn classify_v6(a: Ipv6Addr) -> AddressClass {
    let bits = u128::from(a);
    for block in V6_BLOCKS {
        if !block.net.contains(&a) {
            continue;
        }
        let embedded = match block.embedding {
            Embedding::None => None,
            Embedding::Low32 => Some(Ipv4Addr::from(bits as u32)),
            Embedding::SixToFour => Some(Ipv4Addr::from((bits >> 80) as u32)),
            Embedding::Teredo => Some(Ipv4Addr::from(!(bits as u32))),
        };
        let inner = embedded.map(classify_v4);
        let mut kind = block.kind;
        // A tunnel or translation address that carries a non-public IPv4
        // address is a way to reach that address: never let an entry for
        // the tunnel block open it.
        if kind == Special && inner.is_some_and(|c| c.kind != AddressKind::Public) {
            kind = Forbidden;
        }
        return AddressClass {
            address: IpAddr::V6(a),
            kind,
            range: Some(IpNet::V6(block.net)),
            description: block.description,
            embedded,
            embeds_metadata: inner.is_some_and(|c| c.kind == Metadata),
        };
    }
    if !V6_GLOBAL_UNICAST.contains(&a) {
        return AddressClass {
            address: IpAddr::V6(a),
            kind: Special,
            range: None,
            description: "outside global unicast 2000::/3 (reserved by the IETF)",
            embedded: None,
            embeds_metadata: false,
        };
    }
    AddressClass {
        address: IpAddr::V6(a),
        kind: AddressKind::Public,
        range: None,
        description: "public address",
        embedded: None,
        embeds_metadata: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AddressKind::Public;

    fn kind(s: &str) -> AddressKind {
        classify(s.parse().unwrap()).kind
    }

    /// Each block: its first and last address take the block's kind, and the
    /// addresses just outside are public (where they are).
    #[test]
    fn ipv4_blocks_edges() {
        let cases: &[(&str, &str, AddressKind, &[&str])] = &[
            ("0.0.0.0", "0.255.255.255", Forbidden, &["1.0.0.0"]),
            (
                "127.0.0.0",
                "127.255.255.255",
                Loopback,
                &["126.255.255.255", "128.0.0.0"],
            ),
            (
                "10.0.0.0",
                "10.255.255.255",
                Special,
                &["9.255.255.255", "11.0.0.0"],
            ),
            (
                "100.64.0.0",
                "100.127.255.255",
                Special,
                &["100.63.255.255", "100.128.0.0"],
            ),
            (
                "169.254.0.0",
                "169.254.255.255",
                Special,
                &["169.253.255.255", "169.255.0.0"],
            ),
            (
                "172.16.0.0",
                "172.31.255.255",
                Special,
                &["172.15.255.255", "172.32.0.0"],
            ),
            (
                "192.0.0.0",
                "192.0.0.255",
                Special,
                &["191.255.255.255", "192.0.1.0"],
            ),
            (
                "192.0.2.0",
                "192.0.2.255",
                Special,
                &["192.0.1.255", "192.0.3.0"],
            ),
            (
                "192.31.196.0",
                "192.31.196.255",
                Special,
                &["192.31.195.255", "192.31.197.0"],
            ),
            (
                "192.52.193.0",
                "192.52.193.255",
                Special,
                &["192.52.192.255", "192.52.194.0"],
            ),
            (
                "192.88.99.0",
                "192.88.99.255",
                Special,
                &["192.88.98.255", "192.88.100.0"],
            ),
            (
                "192.168.0.0",
                "192.168.255.255",
                Special,
                &["192.167.255.255", "192.169.0.0"],
            ),
            (
                "192.175.48.0",
                "192.175.48.255",
                Special,
                &["192.175.47.255", "192.175.49.0"],
            ),
            (
                "198.18.0.0",
                "198.19.255.255",
                Special,
                &["198.17.255.255", "198.20.0.0"],
            ),
            (
                "198.51.100.0",
                "198.51.100.255",
                Special,
                &["198.51.99.255", "198.51.101.0"],
            ),
            (
                "203.0.113.0",
                "203.0.113.255",
                Special,
                &["203.0.112.255", "203.0.114.0"],
            ),
            (
                "224.0.0.0",
                "239.255.255.255",
                Special,
                &["223.255.255.255"],
            ),
            ("240.0.0.0", "255.255.255.254", Special, &[]),
        ];
        for (first, last, k, outside) in cases {
            assert_eq!(kind(first), *k, "{first}");
            assert_eq!(kind(last), *k, "{last}");
            for o in *outside {
                assert_eq!(kind(o), Public, "{o} is outside the block of {first}");
            }
        }
        assert_eq!(kind("255.255.255.255"), Special);
    }

    #[test]
    fn metadata_endpoints() {
        for a in [
            "169.254.169.254",
            "169.254.170.2",
            "168.63.129.16",
            "100.100.100.200",
            "192.0.0.192",
            "fd00:ec2::254",
            "fd20:ce::254",
            "::ffff:169.254.169.254",
        ] {
            assert_eq!(kind(a), Metadata, "{a}");
        }
        assert_eq!(kind("168.63.129.15"), Public);
        assert_eq!(kind("168.63.129.17"), Public);
        assert_eq!(kind("169.254.169.253"), Special);
    }

    #[test]
    fn ipv6_blocks() {
        let cases: &[(&str, AddressKind)] = &[
            ("::", Forbidden),
            ("::1", Loopback),
            ("::2", Forbidden),
            ("::7f00:1", Forbidden),
            ("::ffff:ffff", Forbidden),
            ("64:ff9b::8.8.8.8", Forbidden),
            ("64:ff9b::a9fe:a9fe", Forbidden),
            ("64:ff9b:1::1", Forbidden),
            ("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", Forbidden),
            ("::ffff:0:7f00:1", Forbidden),
            ("::ffff:0:808:808", Special),
            ("100::1", Special),
            ("fc00::", Special),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Special),
            ("fe80::1", Special),
            ("febf::1", Special),
            ("fec0::1", Special),
            ("ff02::1", Special),
            ("5f00::1", Special),
            ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", Special), // Teredo client 8.8.8.8
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", Forbidden), // Teredo client 192.0.2.45
            ("2001:0:4136:e378:8000:63bf:80ff:fffe", Forbidden), // Teredo client 127.0.0.1
            ("2001:db8::1", Special),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", Special),
            ("2001:2::1", Special),
            ("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", Special),
            ("2002:808:808::1", Special),
            ("2002:7f00:1::", Forbidden),
            ("2002:a9fe:a9fe::1", Forbidden),
            ("2620:4f:8000::1", Special),
            ("3fff::1", Special),
            ("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", Special),
            ("4000::1", Special),
            ("1fff:ffff::1", Special),
            // Public neighbours.
            ("2001:200::1", Public),
            ("2001:4860:4860::8888", Public),
            ("2001:db9::1", Public),
            ("2003::1", Public),
            ("2620:4f:8001::1", Public),
            ("2620:4e:8000::1", Public),
            ("3fff:1000::1", Public),
            ("2606:4700:4700::1111", Public),
            ("2000::1", Public),
            ("3ffe:ffff::1", Public),
        ];
        for (a, k) in cases {
            assert_eq!(kind(a), *k, "{a}");
        }
    }

    #[test]
    fn mapped_addresses_are_judged_as_ipv4() {
        assert_eq!(kind("::ffff:127.0.0.1"), Loopback);
        assert_eq!(kind("::ffff:7f00:1"), Loopback);
        assert_eq!(kind("::ffff:10.0.0.1"), Special);
        assert_eq!(kind("::ffff:0.0.0.0"), Forbidden);
        assert_eq!(kind("::ffff:8.8.8.8"), Public);
        let c = classify("::ffff:a9fe:a9fe".parse().unwrap());
        assert_eq!(c.address, "169.254.169.254".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn embedded_addresses_are_named() {
        let c = classify("64:ff9b::a9fe:a9fe".parse().unwrap());
        assert_eq!(c.embedded, Some(Ipv4Addr::new(169, 254, 169, 254)));
        assert!(c.embeds_metadata);
        assert!(
            c.describe().contains("embeds 169.254.169.254"),
            "{}",
            c.describe()
        );
        let c = classify("2002:a9fe:a9fe::1".parse().unwrap());
        assert_eq!(c.embedded, Some(Ipv4Addr::new(169, 254, 169, 254)));
        let c = classify("2001:0:4136:e378:8000:63bf:80ff:fffe".parse().unwrap());
        assert_eq!(c.embedded, Some(Ipv4Addr::new(127, 0, 0, 1)));
    }

    #[test]
    fn integer_containment_is_ipnets() {
        let mut x: u32 = 0x9E37_79B9;
        let mut samples: Vec<Ipv4Addr> = V4_BLOCKS
            .iter()
            .flat_map(|b| [b.net.network(), b.net.broadcast()])
            .flat_map(|a| {
                let n = u32::from(a);
                [n.wrapping_sub(1), n, n.wrapping_add(1)].map(Ipv4Addr::from)
            })
            .collect();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            samples.push(Ipv4Addr::from(x));
        }
        for a in samples {
            for b in V4_BLOCKS {
                assert_eq!(v4_contains(&b.net, a), b.net.contains(&a), "{a} {}", b.net);
            }
        }
    }
}
