use super::*;
use crate::decision::Verdict;

fn policy(
    allowed: Option<&[&str]>,
    blocked: &[&str],
    localhost: bool,
    https: bool,
    http: bool,
) -> NetworkPolicy {
    NetworkPolicy {
        enabled: true,
        allowed_domains: allowed.map(|a| a.iter().map(|s| s.to_string()).collect()),
        blocked_domains: Some(blocked.iter().map(|s| s.to_string()).collect()),
        allow_localhost: localhost,
        allow_https: https,
        allow_http: http,
    }
}

fn guard(allowed: Option<&[&str]>, blocked: &[&str], localhost: bool) -> NetworkGuard {
    NetworkGuard::new(&policy(allowed, blocked, localhost, true, true)).unwrap()
}

fn open() -> NetworkGuard {
    guard(None, &["evil.com"], false)
}

fn check(g: &NetworkGuard, url: &str) -> Decision {
    g.check(&NetworkRequest {
        url,
        method: "GET",
        addresses: None,
    })
}

fn resolved(g: &NetworkGuard, url: &str, addrs: &[&str]) -> Decision {
    let addrs: Vec<IpAddr> = addrs.iter().map(|a| a.parse().unwrap()).collect();
    g.check(&NetworkRequest {
        url,
        method: "GET",
        addresses: Some(&addrs),
    })
}

#[track_caller]
fn code(d: &Decision) -> DecisionCode {
    d.code
}

#[track_caller]
fn assert_allowed(d: &Decision) {
    assert_eq!(d.verdict, Verdict::Allow, "{d:?}");
}

#[track_caller]
fn assert_denied(d: &Decision, c: DecisionCode) {
    assert_eq!(d.verdict, Verdict::Deny, "{d:?}");
    assert_eq!(d.code, c, "{d:?}");
}

#[test]
fn disabled_denies_everything() {
    let mut p = policy(None, &[], true, true, true);
    p.enabled = false;
    let g = NetworkGuard::new(&p).unwrap();
    let d = check(&g, "https://example.org/");
    assert_denied(&d, DecisionCode::NetworkDisabled);
    assert_eq!(d.rule.as_deref(), Some("network.enabled: false"));
    assert_denied(
        &g.check_connect("example.org:443", None),
        DecisionCode::NetworkDisabled,
    );
    assert_denied(
        &g.check_target("https", "example.org", None, None),
        DecisionCode::NetworkDisabled,
    );
}

#[test]
fn hygiene_and_parsing() {
    let g = open();
    assert_denied(&check(&g, "https://git\thub.com/"), DecisionCode::UnsafeUrl);
    assert_denied(
        &check(&g, "https://a.com\\@b.com/"),
        DecisionCode::UnsafeUrl,
    );
    assert_denied(
        &check(&g, "https://user:pw@example.org/"),
        DecisionCode::UnsafeUrl,
    );
    assert_denied(&check(&g, "https://@example.org/"), DecisionCode::UnsafeUrl);
    assert_denied(&check(&g, "example.org"), DecisionCode::InvalidUrl);
    assert_denied(&check(&g, "http://256.1.1.1/"), DecisionCode::InvalidUrl);
    assert_denied(
        &check(&g, "https://a..example.org/"),
        DecisionCode::InvalidUrl,
    );
    assert_allowed(&check(&g, "  https://example.org/  "));
    let d = check(&g, "https://git\thub.com/");
    assert!(d.reason.contains("U+0009 (TAB)"), "{}", d.reason);
}

#[test]
fn schemes_and_methods() {
    let g = NetworkGuard::new(&policy(None, &[], false, true, false)).unwrap();
    assert_allowed(&check(&g, "wss://example.org/"));
    let d = check(&g, "ws://example.org/");
    assert_denied(&d, DecisionCode::SchemeNotAllowed);
    assert_eq!(d.rule.as_deref(), Some("network.allow_http: false"));
    assert_denied(
        &check(&g, "ftp://example.org/"),
        DecisionCode::SchemeNotAllowed,
    );
    assert_denied(
        &check(&g, "file:///etc/passwd"),
        DecisionCode::SchemeNotAllowed,
    );
    for m in ["get", "Head", "POST", "put", "PATCH", "delete", "OPTIONS"] {
        let d = g.check(&NetworkRequest {
            url: "https://example.org/",
            method: m,
            addresses: None,
        });
        assert_allowed(&d);
    }
    for m in ["CONNECT", "TRACE", "PROPFIND", "GET ", "", "G\u{0130}T"] {
        let d = g.check(&NetworkRequest {
            url: "https://example.org/",
            method: m,
            addresses: None,
        });
        assert_denied(&d, DecisionCode::MethodNotAllowed);
    }
}

#[test]
fn blocked_and_allowed_names() {
    let g = guard(
        Some(&["github.com", "*.npmjs.org", "api.example.com:8443"]),
        &["gist.github.com"],
        false,
    );
    let d = check(&g, "https://api.github.com/");
    assert_allowed(&d);
    assert_eq!(
        d.rule.as_deref(),
        Some("network.allowed_domains[0]: github.com")
    );
    assert_allowed(&check(&g, "https://npmjs.org/"));
    assert_allowed(&check(&g, "https://registry.npmjs.org/"));
    let d = check(&g, "https://gist.github.com/");
    assert_denied(&d, DecisionCode::BlockedDomain);
    assert_eq!(
        d.rule.as_deref(),
        Some("network.blocked_domains[0]: gist.github.com")
    );
    let d = check(&g, "https://evilgithub.com/");
    assert_denied(&d, DecisionCode::DomainNotAllowed);
    assert!(d.reason.contains("evilgithub.com"), "{}", d.reason);
    assert_allowed(&check(&g, "https://api.example.com:8443/"));
    let d = check(&g, "https://api.example.com/");
    assert_denied(&d, DecisionCode::PortNotAllowed);
    assert_eq!(
        d.rule.as_deref(),
        Some("network.allowed_domains[2]: api.example.com:8443")
    );
    assert_denied(
        &check(&g, "https://140.82.112.3/"),
        DecisionCode::DomainNotAllowed,
    );
}

#[test]
fn blocked_entries_cover_every_port_and_ip_literals() {
    let g = guard(None, &["evil.com:8443", "203.0.114.0/24"], false);
    assert_denied(&check(&g, "https://evil.com/"), DecisionCode::BlockedDomain);
    assert_denied(
        &check(&g, "https://x.evil.com:9/"),
        DecisionCode::BlockedDomain,
    );
    assert_denied(
        &check(&g, "https://203.0.114.7/"),
        DecisionCode::BlockedDomain,
    );
    let d = resolved(&g, "https://example.org/", &["203.0.114.7"]);
    assert_denied(&d, DecisionCode::ResolvedAddressDenied);
    assert_eq!(
        d.rule.as_deref(),
        Some("network.blocked_domains[1]: 203.0.114.0/24")
    );
}

#[test]
fn localhost() {
    let g = open();
    for u in [
        "http://localhost/",
        "http://LOCALHOST./",
        "http://app.localhost:3000/",
        "http://127.0.0.2/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0x7f.1/",
    ] {
        assert_denied(&check(&g, u), DecisionCode::LocalhostNotAllowed);
    }
    let g = guard(None, &[], true);
    assert_allowed(&check(&g, "http://localhost:5173/"));
    assert_allowed(&check(&g, "http://[::1]:5173/"));
    assert_allowed(&resolved(&g, "http://localhost/", &["127.0.0.1", "::1"]));
    // allow_localhost does not open 0.0.0.0, :: or a loopback name that
    // resolves elsewhere.
    assert_denied(
        &check(&g, "http://0.0.0.0:3000/"),
        DecisionCode::PrivateAddress,
    );
    assert_denied(&check(&g, "http://[::]/"), DecisionCode::PrivateAddress);
    assert_denied(
        &resolved(&g, "http://localhost/", &["10.0.0.1"]),
        DecisionCode::ResolvedAddressDenied,
    );
    let g = guard(Some(&["github.com", "localhost", "127.0.0.1"]), &[], true);
    assert_allowed(&check(&g, "http://localhost:3000/"));
    assert_allowed(&check(&g, "http://127.0.0.1:3000/"));
}

#[test]
fn allow_localhost_admits_loopback_without_an_allow_list_entry() {
    // The workspace preset's shape: a list of remote hosts, allow_localhost on.
    let g = guard(Some(&["registry.npmjs.org", "github.com"]), &[], true);
    for u in [
        "http://127.0.0.1:8080/",
        "http://localhost:3000/",
        "http://[::1]:5173/",
        "http://app.localhost/",
    ] {
        let d = check(&g, u);
        assert_allowed(&d);
        assert_eq!(d.rule.as_deref(), Some("network.allow_localhost: true"));
    }
    assert_allowed(&resolved(&g, "http://localhost/", &["127.0.0.1"]));
    // Only loopback: other hosts still need an entry.
    assert_denied(
        &check(&g, "https://example.com/"),
        DecisionCode::DomainNotAllowed,
    );
    // Off, the list does not open loopback either way it is spelled.
    let g = guard(Some(&["github.com"]), &[], false);
    assert_denied(
        &check(&g, "http://127.0.0.1/"),
        DecisionCode::LocalhostNotAllowed,
    );
    assert_denied(
        &check(&g, "http://localhost/"),
        DecisionCode::LocalhostNotAllowed,
    );
    // blocked_domains still wins.
    let g = guard(Some(&["github.com"]), &["localhost", "127.0.0.1"], true);
    assert_denied(&check(&g, "http://localhost/"), DecisionCode::BlockedDomain);
    assert_denied(&check(&g, "http://127.0.0.1/"), DecisionCode::BlockedDomain);
}

#[test]
fn empty_allow_list_restricts_nothing() {
    // An allow-list restricts only when it names something: `[]` is the same
    // as absent or `null` (the semantics contract, docs/policy.md).
    let g = guard(Some(&[]), &[], false);
    for u in [
        "https://github.com/",
        "https://example.com/",
        "https://93.184.216.34/",
    ] {
        assert_allowed(&check(&g, u));
    }
    // Loopback still only through allow_localhost.
    assert_denied(
        &check(&g, "http://127.0.0.1/"),
        DecisionCode::LocalhostNotAllowed,
    );
    let g = guard(Some(&[]), &[], true);
    assert_allowed(&check(&g, "http://127.0.0.1:8080/"));
    assert_allowed(&check(&g, "http://localhost:8080/"));
}

#[test]
fn special_ranges_need_an_explicit_entry() {
    let g = open();
    for u in [
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://[2001:db8::1]/",
    ] {
        assert_denied(&check(&g, u), DecisionCode::PrivateAddress);
    }
    let g = guard(
        Some(&["10.0.0.5", "192.168.0.0/16", "fd00::/8", "corp.example"]),
        &[],
        false,
    );
    let d = check(&g, "http://10.0.0.5/");
    assert_allowed(&d);
    assert_eq!(
        d.rule.as_deref(),
        Some("network.allowed_domains[0]: 10.0.0.5")
    );
    assert_denied(&check(&g, "http://10.0.0.6/"), DecisionCode::PrivateAddress);
    assert_allowed(&check(&g, "http://192.168.77.1/"));
    assert_allowed(&check(&g, "http://[fd12::1]/"));
    // A domain entry does not open a private range; an IP entry does, also
    // for resolved addresses.
    assert_denied(
        &resolved(&g, "https://internal.corp.example/", &["10.1.2.3"]),
        DecisionCode::ResolvedAddressDenied,
    );
    assert_allowed(&resolved(
        &g,
        "https://internal.corp.example/",
        &["192.168.3.4"],
    ));
    // Ports of IP entries count.
    let g = guard(Some(&["10.0.0.5:8080"]), &[], false);
    assert_allowed(&check(&g, "http://10.0.0.5:8080/"));
    assert_denied(&check(&g, "http://10.0.0.5/"), DecisionCode::PrivateAddress);
}

#[test]
fn metadata_endpoints() {
    let g = open();
    for u in [
        "http://169.254.169.254/latest/meta-data/",
        "http://2852039166/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fd00:ec2::254]/",
        "http://168.63.129.16/",
        "http://metadata/computeMetadata/v1/",
        "http://metadata.google.internal./",
        "http://[64:ff9b::a9fe:a9fe]/",
    ] {
        assert_denied(&check(&g, u), DecisionCode::MetadataEndpoint);
    }
    // A broad CIDR entry opens link-local but not the metadata service.
    let g = guard(Some(&["169.254.0.0/16"]), &[], false);
    assert_allowed(&check(&g, "http://169.254.1.1/"));
    assert_denied(
        &check(&g, "http://169.254.169.254/"),
        DecisionCode::MetadataEndpoint,
    );
    let g = guard(Some(&["169.254.169.254"]), &[], false);
    assert_allowed(&check(&g, "http://169.254.169.254/"));
}

#[test]
fn translation_prefixes_are_never_allowed() {
    let g = guard(Some(&["64:ff9b::/96", "::/96", "2002::/16"]), &[], true);
    assert_denied(
        &check(&g, "http://[64:ff9b::8.8.8.8]/"),
        DecisionCode::PrivateAddress,
    );
    assert_denied(
        &check(&g, "http://[::8.8.8.8]/"),
        DecisionCode::PrivateAddress,
    );
    assert_denied(
        &check(&g, "http://[2002:7f00:1::]/"),
        DecisionCode::PrivateAddress,
    );
    assert_allowed(&check(&g, "http://[2002:808:808::1]/"));
}

#[test]
fn resolved_addresses_are_all_checked() {
    let g = guard(Some(&["github.com"]), &[], false);
    assert_allowed(&resolved(
        &g,
        "https://api.github.com/",
        &["140.82.112.5", "2606:50c0:8000::153"],
    ));
    let d = resolved(
        &g,
        "https://api.github.com/",
        &["140.82.112.5", "127.0.0.1"],
    );
    assert_denied(&d, DecisionCode::ResolvedAddressDenied);
    assert!(d.reason.contains("127.0.0.1"), "{}", d.reason);
    assert_denied(
        &resolved(&g, "https://api.github.com/", &[]),
        DecisionCode::ResolvedAddressDenied,
    );
    assert_denied(
        &resolved(&g, "https://api.github.com/", &["::ffff:10.0.0.1"]),
        DecisionCode::ResolvedAddressDenied,
    );
}

#[test]
fn policy_entries_are_validated_once() {
    let e = NetworkGuard::new(&policy(
        Some(&["github.com", "ok.org", "bad host"]),
        &[],
        false,
        true,
        false,
    ))
    .unwrap_err();
    assert_eq!(e.code, crate::error::ErrorCode::InvalidPolicy);
    assert!(
        e.message.starts_with("network.allowed_domains[2]: "),
        "{}",
        e.message
    );
    let e = NetworkGuard::new(&policy(None, &["10.0.0.0/40"], false, true, false)).unwrap_err();
    assert!(
        e.message.starts_with("network.blocked_domains[0]: "),
        "{}",
        e.message
    );
    // IDNA entries equal their punycode.
    let g = guard(Some(&["bücher.example"]), &[], false);
    assert_allowed(&check(&g, "https://xn--bcher-kva.example/"));
}

#[test]
fn bare_targets_and_connect() {
    let g = guard(Some(&["github.com", "10.0.0.5"]), &[], false);
    assert_allowed(&g.check_target("https", "API.GitHub.com.", None, None));
    assert_allowed(&g.check_connect("github.com:443", Some(&["140.82.112.3".parse().unwrap()])));
    assert_denied(
        &g.check_connect("github.com:443", Some(&["127.0.0.1".parse().unwrap()])),
        DecisionCode::ResolvedAddressDenied,
    );
    assert_allowed(&g.check_target("http", "10.0.0.5", Some(8080), None));
    assert_denied(
        &g.check_target("https", "0x7f000001", None, None),
        DecisionCode::LocalhostNotAllowed,
    );
    assert_denied(
        &g.check_target("https", "[::1]", None, None),
        DecisionCode::LocalhostNotAllowed,
    );
    assert_denied(
        &g.check_target("https", "::1", None, None),
        DecisionCode::LocalhostNotAllowed,
    );
    assert_denied(
        &g.check_target("gopher", "github.com", None, None),
        DecisionCode::SchemeNotAllowed,
    );
    assert_denied(
        &g.check_target("https", "a@github.com", None, None),
        DecisionCode::UnsafeUrl,
    );
    assert_denied(
        &g.check_target("https", "github.com", Some(0), None),
        DecisionCode::InvalidUrl,
    );
    assert_denied(
        &g.check_target("https", "", None, None),
        DecisionCode::InvalidUrl,
    );
    assert_denied(
        &g.check_connect("github.com", None),
        DecisionCode::InvalidUrl,
    );
    assert_denied(
        &g.check_connect("169.254.169.254:80", None),
        DecisionCode::MetadataEndpoint,
    );
}

#[test]
fn redirects() {
    let g = guard(Some(&["github.com"]), &[], false);
    assert_allowed(&g.check_redirect(1, "https://github.com/a", "/b", "GET", None));
    assert_allowed(&g.check_redirect(
        MAX_REDIRECTS,
        "https://github.com/a",
        "https://api.github.com/",
        "GET",
        None,
    ));
    assert_denied(
        &g.check_redirect(MAX_REDIRECTS + 1, "https://github.com/a", "/b", "GET", None),
        DecisionCode::TooManyRedirects,
    );
    assert_denied(
        &g.check_redirect(
            1,
            "https://github.com/a",
            "http://169.254.169.254/",
            "GET",
            None,
        ),
        DecisionCode::MetadataEndpoint,
    );
    assert_denied(
        &g.check_redirect(1, "https://github.com/a", "//evil.com/", "GET", None),
        DecisionCode::DomainNotAllowed,
    );
    assert_eq!(
        resolve_redirect("https://github.com/x/y", "../z?q").unwrap(),
        "https://github.com/z?q"
    );
}

#[test]
fn target_is_canonical() {
    let t = Target::from_url("https://GitHub.com.:443/a/b?c=d#frag").unwrap();
    assert_eq!(t.host, CanonicalHost::Name("github.com".into()));
    assert_eq!(t.port, 443);
    assert_eq!(t.request_target, "/a/b?c=d");
    assert_eq!(
        code(&Target::from_url("gopher://x/").unwrap_err()),
        DecisionCode::SchemeNotAllowed
    );
}

#[test]
fn target_json_for_callers() {
    let v: serde_json::Value =
        serde_json::from_str(&target_json(None, "https://GitHub.com./a?b#c")).unwrap();
    assert_eq!(v["target"]["host"], "github.com");
    assert_eq!(v["target"]["host_type"], "name");
    assert_eq!(v["target"]["port"], 443);
    assert_eq!(v["target"]["request_target"], "/a?b");
    assert_eq!(v["target"]["url"], "https://github.com./a?b#c");
    let v: serde_json::Value = serde_json::from_str(&target_json(
        Some("http://x.org/a/b"),
        "//[::ffff:7f00:1]:81/z",
    ))
    .unwrap();
    assert_eq!(v["target"]["host"], "127.0.0.1");
    assert_eq!(v["target"]["host_type"], "ipv4");
    assert_eq!(v["target"]["port"], 81);
    let v: serde_json::Value =
        serde_json::from_str(&target_json(None, "http://[2606:4700::1]/")).unwrap();
    assert_eq!(v["target"]["host"], "2606:4700::1");
    assert_eq!(v["target"]["host_type"], "ipv6");
    let v: serde_json::Value =
        serde_json::from_str(&target_json(None, "https://u@x.org/")).unwrap();
    assert_eq!(v["refusal"]["code"], "UNSAFE_URL");
    assert_eq!(v["refusal"]["verdict"], "deny");
    let v: serde_json::Value =
        serde_json::from_str(&target_json(Some("https://x.org/"), "gopher://x.org/")).unwrap();
    assert_eq!(v["refusal"]["code"], "SCHEME_NOT_ALLOWED");
}

#[test]
fn a_parsed_target_is_judged_like_its_text() {
    let g = NetworkGuard::new(&policy(
        Some(&["a.test:443", "b.test"]),
        &["evil.com"],
        false,
        true,
        false,
    ))
    .unwrap();
    let addrs: Vec<IpAddr> = vec!["93.184.216.34".parse().unwrap()];
    for url in [
        "https://A.test./",
        "HTTPS://a.test:443/x",
        "http://a.test:443/",
        "https://a.test:8443/",
        "wss://b.test/",
        "ws://b.test/",
        "https://evil.com/",
        "https://[::1]/",
    ] {
        let t = Target::from_url(url).unwrap();
        for a in [None, Some(&addrs[..])] {
            let by_text = g.check(&NetworkRequest {
                url,
                method: "GET",
                addresses: a,
            });
            let by_value = g.check_parsed(&t, Some("GET"), a);
            assert_eq!(by_text.verdict, by_value.verdict, "{url}");
            assert_eq!(by_text.code, by_value.code, "{url}");
        }
    }
    assert_eq!(
        g.check_parsed(
            &Target::from_url("https://a.test/").unwrap(),
            Some("TRACE"),
            None
        )
        .code,
        DecisionCode::MethodNotAllowed
    );
    // A tunnel's target, as `check_connect` judges it.
    for auth in [
        "a.test:443",
        "A.TEST.:443",
        "a.test:8443",
        "[::1]:443",
        "b.test:80",
    ] {
        let t = Target::from_connect(auth).unwrap();
        assert_eq!(t.scheme, Scheme::Https);
        assert_eq!(
            g.check_parsed(&t, None, None).code,
            g.check_connect(auth, None).code,
            "{auth}"
        );
    }
    let t = Target::from_connect("[::ffff:127.0.0.1]:443").unwrap();
    assert_eq!(t.host, CanonicalHost::Ip("127.0.0.1".parse().unwrap()));
    for bad in [
        "a.test",
        "::1:443",
        "a.test:0",
        "u@a.test:443",
        "a b:443",
        "a.test:99999",
    ] {
        assert!(Target::from_connect(bad).is_err(), "{bad}");
    }
    assert!(Target::from_host(Scheme::Http, "a/b", Some(80)).is_err());
    assert_eq!(
        Target::from_host(Scheme::Wss, "a.test", None).unwrap().port,
        443
    );
}

#[test]
fn entries_naming_a_port_are_found_for_tunnels() {
    let g = guard(
        Some(&[
            "github.com",
            "*.example.com:8443",
            "10.1.2.3:9000",
            "[::1]:7000",
        ]),
        &[],
        true,
    );
    let host = |h: &str| Target::from_host(Scheme::Https, h, Some(1)).unwrap().host;
    let named = |h: &str, p: u16| g.allowed_entry_naming_port(&host(h), p);
    assert_eq!(named("github.com", 18089), None);
    assert_eq!(named("github.com", 443), None);
    assert_eq!(
        named("api.Example.com.", 8443).as_deref(),
        Some("network.allowed_domains[1]: *.example.com:8443")
    );
    assert_eq!(named("api.example.com", 8444), None);
    assert!(named("10.1.2.3", 9000).is_some());
    assert!(named("::1", 7000).is_some());
    assert_eq!(named("localhost", 7000), None);
    assert_eq!(
        open().allowed_entry_naming_port(&host("a.test"), 8443),
        None
    );
}
