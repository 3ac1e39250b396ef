//! Any text given to the network guard yields a decision, never a panic, and
//! an allowed URL really names an allowed destination:
//! - its canonical form parses again to the same destination and is allowed
//!   again (no parser round-trip drift between the check and the client);
//! - under a policy without allow-list, localhost or private ranges, an
//!   allowed IP destination is public and an allowed name is not a loopback
//!   or cloud metadata name;
//! - the same text as a redirect `Location` or a bare `host:port` never
//!   panics either.
#![no_main]

use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use sandbox_core::guards::network::address::{classify, AddressKind};
use sandbox_core::guards::network::host::{cloud_metadata_name, is_loopback_name, CanonicalHost};
use sandbox_core::guards::network::{NetworkGuard, NetworkRequest, Target};
use sandbox_core::policy::NetworkPolicy;

fn guard(allowed: Option<Vec<&str>>) -> NetworkGuard {
    NetworkGuard::new(&NetworkPolicy {
        enabled: true,
        allowed_domains: allowed.map(|a| a.into_iter().map(String::from).collect()),
        blocked_domains: Some(vec!["evil.com".into()]),
        allow_localhost: false,
        allow_https: true,
        allow_http: true,
    })
    .expect("fixed policy compiles")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let open = guard(None);
    let listed = guard(Some(vec![
        "github.com",
        "*.npmjs.org",
        "10.0.0.0/8",
        "api.example.com:8443",
    ]));
    let addresses: [IpAddr; 2] = [
        "140.82.112.3".parse().unwrap(),
        "::ffff:10.1.2.3".parse().unwrap(),
    ];

    for g in [&open, &listed] {
        for method in ["GET", "post"] {
            let d = g.check(&NetworkRequest {
                url: text,
                method,
                addresses: None,
            });
            if !d.is_allowed() {
                continue;
            }
            let target = Target::from_url(text).expect("an allowed URL parses");
            let again = Target::from_url(&target.url).expect("the canonical URL parses again");
            assert_eq!(
                target.host, again.host,
                "host drifts on re-parse of {:?}",
                target.url
            );
            assert_eq!(
                target.port, again.port,
                "port drifts on re-parse of {:?}",
                target.url
            );
            let d2 = g.check(&NetworkRequest {
                url: &target.url,
                method,
                addresses: None,
            });
            assert!(
                d2.is_allowed(),
                "{text:?} allowed but its canonical form {:?} is not: {d2:?}",
                target.url
            );
            if std::ptr::eq(g, &open) {
                match &target.host {
                    CanonicalHost::Ip(ip) => {
                        assert_eq!(
                            classify(*ip).kind,
                            AddressKind::Public,
                            "{text:?} reached {ip}"
                        )
                    }
                    CanonicalHost::Name(n) => {
                        assert!(
                            !is_loopback_name(n) && cloud_metadata_name(n).is_none(),
                            "{text:?} reached {n}"
                        )
                    }
                }
            }
        }
        let _ = g.check(&NetworkRequest {
            url: text,
            method: "GET",
            addresses: Some(&addresses),
        });
        let _ = g.check_redirect(1, "https://github.com/a/b", text, "GET", None);
        let _ = g.check_connect(text, None);
        let _ = g.check_target("https", text, None, Some(&addresses));
    }
});
