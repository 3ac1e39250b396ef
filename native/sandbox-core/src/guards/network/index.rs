//! `allowed_domains` / `blocked_domains` indexed for lookup.
//!
//! A check must not cost more with every entry of a long list, so the
//! entries are indexed once when the policy is compiled: names by the name
//! (a host is looked up by itself and by each parent domain, one hash lookup
//! per label), IP and CIDR entries by their network (a host address is
//! looked up once per prefix length the list uses). Lookups return the
//! entries in list order, so the first matching entry decides exactly as a
//! scan of the list would.
//!
//! The maps hash with foldhash rather than the standard library's SipHash:
//! a lookup runs on every check (one per label of the host, one per prefix
//! length of an address) and SipHash was a tenth of a URL check. Its seed is
//! random per process, and only the policy's own entries are inserted (a
//! checked host is looked up, never stored), so a request cannot fill a
//! bucket with colliding keys.

use std::net::IpAddr;

use foldhash::HashMap;

use ipnet::IpNet;

use super::address::unwrap_mapped;
use super::host::{CanonicalHost, HostEntry, HostPattern};

/// One list of host entries with its indexes.
#[derive(Debug, Default)]
pub struct HostList {
    entries: Vec<HostEntry>,
    /// Name entries by canonical name → their positions in `entries`.
    names: HashMap<String, Vec<usize>>,
    /// IP and CIDR entries by (truncated) network → their positions.
    nets: HashMap<IpNet, Vec<usize>>,
    /// The prefix lengths of `nets`, per family: each is one lookup.
    v4_lens: Vec<u8>,
    v6_lens: Vec<u8>,
}

impl HostList {
    pub fn new(entries: Vec<HostEntry>) -> HostList {
        let mut list = HostList::default();
        for (i, e) in entries.iter().enumerate() {
            match &e.pattern {
                HostPattern::Name(n) => list.names.entry(n.clone()).or_default().push(i),
                HostPattern::Net(net) => {
                    let lens = match net {
                        IpNet::V4(_) => &mut list.v4_lens,
                        IpNet::V6(_) => &mut list.v6_lens,
                    };
                    if !lens.contains(&net.prefix_len()) {
                        lens.push(net.prefix_len());
                    }
                    list.nets.entry(net.trunc()).or_default().push(i);
                }
            }
        }
        list.entries = entries;
        list
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries whose host part covers `host`, in list order
    /// (what [`HostEntry::covers_host`] accepts).
    pub fn covering_host(&self, host: &CanonicalHost) -> Vec<&HostEntry> {
        self.in_order(self.host_hits(host))
    }

    /// The first entry covering `host`, without listing the others.
    pub fn first_covering_host(&self, host: &CanonicalHost) -> Option<&HostEntry> {
        self.first_covering_host_where(host, |_| true).0
    }

    /// In list order, the first entry covering `host` that `accept` accepts,
    /// and the first entry covering `host` at all; without listing them
    /// (no allocation: this runs on every check).
    pub fn first_covering_host_where(
        &self,
        host: &CanonicalHost,
        accept: impl Fn(&HostEntry) -> bool,
    ) -> (Option<&HostEntry>, Option<&HostEntry>) {
        let (mut accepted, mut first): (Option<usize>, Option<usize>) = (None, None);
        let mut visit = |bucket: &Vec<usize>| {
            // A bucket is in list order: its first position is its lowest,
            // and its first accepted position the lowest accepted.
            if let Some(&i) = bucket.first() {
                first = Some(first.map_or(i, |f| f.min(i)));
            }
            if let Some(&i) = bucket.iter().find(|&&i| accept(&self.entries[i])) {
                accepted = Some(accepted.map_or(i, |a| a.min(i)));
            }
        };
        match host {
            CanonicalHost::Name(n) => {
                // `n` itself, then every parent domain at a label boundary.
                let suffixes = std::iter::once(n.as_str())
                    .chain(n.match_indices('.').map(|(i, _)| &n[i + 1..]));
                suffixes
                    .filter_map(|s| self.names.get(s))
                    .for_each(&mut visit);
            }
            CanonicalHost::Ip(ip) => self.ip_hits(*ip).for_each(&mut visit),
        }
        let at = |i: Option<usize>| i.map(|i| &self.entries[i]);
        (at(accepted), at(first))
    }

    /// The index buckets that hold entries covering `host`.
    fn host_hits<'a, 'h>(
        &'a self,
        host: &'h CanonicalHost,
    ) -> Box<dyn Iterator<Item = &'a Vec<usize>> + 'h>
    where
        'a: 'h,
    {
        match host {
            CanonicalHost::Name(n) => {
                // `n` itself, then every parent domain at a label boundary.
                let suffixes = std::iter::once(n.as_str())
                    .chain(n.match_indices('.').map(|(i, _)| &n[i + 1..]));
                Box::new(suffixes.filter_map(|s| self.names.get(s)))
            }
            CanonicalHost::Ip(ip) => Box::new(self.ip_hits(*ip)),
        }
    }

    /// The IP and CIDR entries covering `ip` (an IPv4-mapped address as its
    /// IPv4 address), in list order (what [`HostEntry::covers_address`] accepts).
    pub fn covering_address(&self, ip: IpAddr) -> Vec<&HostEntry> {
        self.in_order(self.ip_hits(unwrap_mapped(ip)))
    }

    /// The first entry covering the address `ip`, without listing the others.
    pub fn first_covering_address(&self, ip: IpAddr) -> Option<&HostEntry> {
        self.first(self.ip_hits(unwrap_mapped(ip)))
    }

    /// The index buckets that hold IP and CIDR entries covering `ip`.
    fn ip_hits(&self, ip: IpAddr) -> impl Iterator<Item = &Vec<usize>> {
        let lens = match ip {
            IpAddr::V4(_) => &self.v4_lens,
            IpAddr::V6(_) => &self.v6_lens,
        };
        lens.iter().filter_map(move |len| {
            let net = IpNet::new(ip, *len).ok()?.trunc();
            self.nets.get(&net)
        })
    }

    fn first<'a>(&'a self, hits: impl Iterator<Item = &'a Vec<usize>>) -> Option<&'a HostEntry> {
        // Each bucket is in list order: its first position is its lowest.
        hits.filter_map(|b| b.first())
            .min()
            .map(|&i| &self.entries[i])
    }

    fn in_order<'a>(&'a self, hits: impl Iterator<Item = &'a Vec<usize>>) -> Vec<&'a HostEntry> {
        let mut at: Vec<usize> = hits.flatten().copied().collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| &self.entries[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guards::network::host::HostEntry;

    fn list(entries: &[&str]) -> HostList {
        HostList::new(
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| HostEntry::parse("network.allowed_domains", i, e).unwrap())
                .collect(),
        )
    }

    fn indexes(found: Vec<&HostEntry>) -> Vec<usize> {
        found.into_iter().map(|e| e.index).collect()
    }

    /// The index returns exactly what a scan of the list with
    /// `covers_host` / `covers_address` returns, in the same order.
    #[test]
    fn agrees_with_a_scan() {
        let entries = [
            "github.com",
            "*.example.com",
            "api.github.com:443",
            "10.0.0.0/8",
            "10.1.2.3",
            "10.1.0.0/16",
            "fd00::/8",
            "fd00::1",
            "[fd00::2]:8080",
            "github.com:8443",
            "com",
            "0.0.0.0/0",
        ];
        let l = list(&entries);
        let hosts = [
            "github.com",
            "api.github.com",
            "evilgithub.com",
            "a.b.example.com",
            "example.com",
            "org",
            "10.1.2.3",
            "10.2.0.1",
            "192.0.2.1",
            "[fd00::1]",
            "[fd00::2]",
            "[fe80::1]",
            "[::ffff:10.1.2.3]",
        ];
        for h in hosts {
            let host = CanonicalHost::parse(h).unwrap();
            let scan: Vec<usize> = l
                .entries
                .iter()
                .filter(|e| e.covers_host(&host))
                .map(|e| e.index)
                .collect();
            assert_eq!(indexes(l.covering_host(&host)), scan, "host {h}");
            if let CanonicalHost::Ip(ip) = host {
                let scan: Vec<usize> = l
                    .entries
                    .iter()
                    .filter(|e| e.covers_address(ip))
                    .map(|e| e.index)
                    .collect();
                assert_eq!(indexes(l.covering_address(ip)), scan, "address {h}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Random lists and hosts from a small vocabulary (so that they
        /// overlap): the index agrees with a scan of the list.
        #[test]
        fn agrees_with_a_scan_on_random_lists(
            entries in proptest::collection::vec(proptest::sample::select(ENTRY_POOL), 0..12),
            hosts in proptest::collection::vec(proptest::sample::select(HOST_POOL), 1..8),
        ) {
            let l = list(&entries);
            for h in hosts {
                let host = CanonicalHost::parse(h).unwrap();
                let scan: Vec<usize> = l.entries.iter().filter(|e| e.covers_host(&host)).map(|e| e.index).collect();
                proptest::prop_assert_eq!(l.first_covering_host(&host).map(|e| e.index), scan.first().copied());
                for port in [443u16, 8080] {
                    let admitting = scan.iter().copied().find(|&i| l.entries[i].admits_port(port));
                    let (a, f) = l.first_covering_host_where(&host, |e| e.admits_port(port));
                    proptest::prop_assert_eq!(a.map(|e| e.index), admitting);
                    proptest::prop_assert_eq!(f.map(|e| e.index), scan.first().copied());
                }
                proptest::prop_assert_eq!(indexes(l.covering_host(&host)), scan, "host {}", h);
                if let CanonicalHost::Ip(ip) = host {
                    let scan: Vec<usize> = l.entries.iter().filter(|e| e.covers_address(ip)).map(|e| e.index).collect();
                    proptest::prop_assert_eq!(l.first_covering_address(ip).map(|e| e.index), scan.first().copied());
                    proptest::prop_assert_eq!(indexes(l.covering_address(ip)), scan, "address {}", h);
                }
            }
        }
    }

    const ENTRY_POOL: &[&str] = &[
        "a.com",
        "b.a.com",
        "com",
        "*.a.com",
        "a.com:443",
        "c.b.a.com",
        "b.com",
        "a.co",
        "10.0.0.0/8",
        "10.1.0.0/16",
        "10.1.2.3",
        "10.1.2.3:8080",
        "0.0.0.0/0",
        "192.168.1.0/24",
        "fd00::/8",
        "fd00::1",
        "[fd00::1]:443",
        "::/0",
        "fd00:1::/32",
    ];
    const HOST_POOL: &[&str] = &[
        "a.com",
        "b.a.com",
        "c.b.a.com",
        "x.c.b.a.com",
        "com",
        "b.com",
        "aa.com",
        "a.co",
        "a.com.evil",
        "10.1.2.3",
        "10.1.2.4",
        "10.2.0.1",
        "192.168.1.77",
        "8.8.8.8",
        "[fd00::1]",
        "[fd00:1::5]",
        "[fe80::1]",
        "[::1]",
    ];

    #[test]
    fn mapped_addresses_match_ipv4_entries() {
        let l = list(&["10.0.0.0/8"]);
        let ip: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(indexes(l.covering_address(ip)), vec![0]);
    }
}
