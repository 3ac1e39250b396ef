use super::*;
use sandbox_core::policy::NetworkPolicy;

fn head(line: &str, headers: &[&str]) -> Vec<u8> {
    let mut s = format!("{line}\r\n");
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn parse(line: &str, headers: &[&str]) -> Result<Request, Refusal> {
    parse_request(&head(line, headers)).map_err(|(_, _, r)| r)
}

fn dest(line: &str, headers: &[&str]) -> String {
    destination(&parse(line, headers).unwrap().target)
}

fn code(line: &str, headers: &[&str]) -> String {
    parse(line, headers).unwrap_err().code
}

#[test]
fn absolute_form_http_is_the_guards_parse() {
    assert_eq!(
        dest("GET http://a.test/x?y HTTP/1.1", &[]),
        "http://a.test:80"
    );
    // Scheme and host case, default port spelled out, leading zeros.
    assert_eq!(
        dest("GET HTTP://A.Test:80/ HTTP/1.1", &[]),
        "http://a.test:80"
    );
    assert_eq!(
        dest("GET Http://a.test:00080/ HTTP/1.1", &[]),
        "http://a.test:80"
    );
    assert_eq!(
        dest("GET http://a.test:8080/ HTTP/1.0", &[]),
        "http://a.test:8080"
    );
    // Trailing dot, percent-encoded host, IDNA.
    assert_eq!(
        dest("GET http://a.test./ HTTP/1.1", &[]),
        "http://a.test:80"
    );
    assert_eq!(
        dest("GET http://%61.test/ HTTP/1.1", &[]),
        "http://a.test:80"
    );
    assert_eq!(
        dest("GET http://B\u{fc}cher.test/ HTTP/1.1", &[]),
        "http://xn--bcher-kva.test:80"
    );
    // IPv4 in other spellings, IPv6 literals, IPv4-mapped IPv6.
    assert_eq!(
        dest("GET http://0x7f.1:81/ HTTP/1.1", &[]),
        "http://127.0.0.1:81"
    );
    assert_eq!(
        dest("GET http://2130706433/ HTTP/1.1", &[]),
        "http://127.0.0.1:80"
    );
    assert_eq!(
        dest("GET http://[::1]:81/ HTTP/1.1", &[]),
        "http://[::1]:81"
    );
    assert_eq!(
        dest("GET http://[::ffff:7f00:1]:81/ HTTP/1.1", &[]),
        "http://127.0.0.1:81"
    );
    assert_eq!(
        dest("GET http://[0:0::1]/ HTTP/1.1", &[]),
        "http://[::1]:80"
    );
    // WHATWG reads `http:host` like `http://host`; so does the proxy,
    // because it uses the same parse.
    assert_eq!(dest("GET http:a.test/ HTTP/1.1", &[]), "http://a.test:80");
}

#[test]
fn schemes_other_than_http_are_refused_in_absolute_form() {
    for line in [
        "GET https://a.test/ HTTP/1.1",
        "GET HTTPS://a.test/ HTTP/1.1",
        "GET HttpS://a.test:443/ HTTP/1.1",
        "GET wss://a.test/ HTTP/1.1",
        "GET WSS://a.test:8443/ HTTP/1.1",
        "GET ws://a.test/ HTTP/1.1",
        "GET Ws://a.test:80/ HTTP/1.1",
    ] {
        assert_eq!(code(line, &[]), BAD_REQUEST, "{line}");
    }
    for line in [
        "GET ftp://a.test/ HTTP/1.1",
        "GET file:///etc/passwd HTTP/1.1",
        "GET gopher://a.test:70/ HTTP/1.1",
    ] {
        assert_eq!(code(line, &[]), "SCHEME_NOT_ALLOWED", "{line}");
    }
}

#[test]
fn connect_is_judged_as_https_on_the_named_port() {
    assert_eq!(
        dest("CONNECT a.test:443 HTTP/1.1", &[]),
        "https://a.test:443"
    );
    assert_eq!(
        dest("CONNECT A.TEST.:8443 HTTP/1.1", &[]),
        "https://a.test:8443"
    );
    assert_eq!(dest("CONNECT [::1]:443 HTTP/1.1", &[]), "https://[::1]:443");
    assert_eq!(
        dest("CONNECT [::ffff:127.0.0.1]:443 HTTP/1.1", &[]),
        "https://127.0.0.1:443"
    );
    // The Host header of a tunnel goes nowhere and is not compared.
    assert_eq!(
        dest("CONNECT a.test:443 HTTP/1.1", &["Host: other.test"]),
        "https://a.test:443"
    );
    assert!(matches!(
        parse("CONNECT a.test:443 HTTP/1.1", &[]).unwrap().form,
        Form::Connect
    ));
    for bad in [
        "CONNECT a.test HTTP/1.1",
        "CONNECT ::1:443 HTTP/1.1",
        "CONNECT a.test:0 HTTP/1.1",
        "CONNECT a.test:65536 HTTP/1.1",
        "CONNECT u@a.test:443 HTTP/1.1",
        "CONNECT http://a.test:443 HTTP/1.1",
        "connect a.test:443 HTTP/1.1",
    ] {
        assert!(parse(bad, &[]).is_err(), "{bad}");
    }
}

#[test]
fn host_header_must_name_the_same_destination() {
    let ok = |h: &str| parse("GET http://a.test:8080/ HTTP/1.1", &[h]).is_ok();
    assert!(ok("Host: a.test:8080"));
    assert!(ok("host:A.TEST.:8080"));
    assert!(ok("HOST:  a.test:08080 "));
    assert!(!ok("Host: a.test"));
    assert!(!ok("Host: evil.test:8080"));
    assert!(!ok("Host: a.test:8080@evil.test"));
    assert!(!ok("Host: a.test:8080/x"));
    assert!(!ok("Host: "));
    let ok80 = |h: &str| parse("GET http://a.test/ HTTP/1.1", &[h]).is_ok();
    assert!(ok80("Host: a.test"));
    assert!(ok80("Host: a.test:80"));
    assert!(!ok80("Host: a.test:443"));
    let v6 = |h: &str| parse("GET http://[::1]:81/ HTTP/1.1", &[h]).is_ok();
    assert!(v6("Host: [::1]:81"));
    assert!(v6("Host: [0::1]:81"));
    assert!(!v6("Host: [::2]:81"));
    assert!(!v6("Host: ::1:81"));
    assert_eq!(
        code(
            "GET http://a.test/ HTTP/1.1",
            &["Host: a.test", "Host: b.test"]
        ),
        HOST_MISMATCH
    );
    assert_eq!(
        code(
            "GET http://a.test/ HTTP/1.1",
            &["Host: a.test", "Host: a.test"]
        ),
        HOST_MISMATCH
    );
    // Without a Host header the forwarded one comes from the target.
    assert!(parse("GET http://a.test/ HTTP/1.0", &[]).is_ok());
}

#[test]
fn other_forms_and_malformed_heads_are_refused() {
    for (line, headers) in [
        ("GET / HTTP/1.1", &["Host: a.test"][..]),
        ("OPTIONS * HTTP/1.1", &["Host: a.test"][..]),
        ("GET //a.test/ HTTP/1.1", &[][..]),
        ("GET a.test:80 HTTP/1.1", &[][..]),
        ("GET http://u@a.test/ HTTP/1.1", &[][..]),
        ("GET http://u:p@a.test/ HTTP/1.1", &[][..]),
        ("GET http://a.test\\@b.test/ HTTP/1.1", &[][..]),
        ("GET http://a.test/ HTTP/2", &[][..]),
        ("GET http://a.test/ HTTP/1.1 x", &[][..]),
        ("GET  http://a.test/ HTTP/1.1", &[][..]),
        ("GET http://a.test/ http/1.1", &[][..]),
        ("G(T http://a.test/ HTTP/1.1", &[][..]),
        ("GET http://a.test/ HTTP/1.1", &[" folded: x"][..]),
        ("GET http://a.test/ HTTP/1.1", &["Bad Name: x"][..]),
        ("GET http://a.test/ HTTP/1.1", &["NoColon"][..]),
        ("GET http://a.test/ HTTP/1.1", &["Host : a.test"][..]),
        ("GET http://a.test/ HTTP/1.1", &["X: a\rHost: b.test"][..]),
        ("GET http://a.test/ HTTP/1.1", &["X: a\nHost: b.test"][..]),
        (
            "GET http://a.test/ HTTP/1.1",
            &["Transfer-Encoding: chunked"][..],
        ),
        (
            "GET http://a.test/ HTTP/1.1",
            &["Content-Length: 1", "Content-Length: 2"][..],
        ),
        ("GET http://a.test/ HTTP/1.1", &["Content-Length: -1"][..]),
        (
            "GET http://a.test/ HTTP/1.1",
            &["Content-Length: 99999999999999999999999"][..],
        ),
    ] {
        assert!(parse(line, headers).is_err(), "{line} {headers:?}");
    }
    assert!(parse_request(b"GET http://a.test/\xff HTTP/1.1\r\n\r\n").is_err());
    // Absurd lengths: a host beyond DNS limits, a URL beyond the guard's.
    let long_label = format!("GET http://{}.test/ HTTP/1.1", "a".repeat(64));
    assert!(parse(&long_label, &[]).is_err());
    let long_url = format!("GET http://a.test/{} HTTP/1.1", "a".repeat(70_000));
    assert!(parse(&long_url, &[]).is_err());
    let huge_port = "GET http://a.test:4294967376/ HTTP/1.1";
    assert!(parse(huge_port, &[]).is_err());
}

#[test]
fn the_forwarded_head_is_written_from_the_target() {
    let req = parse(
        "POST HTTP://A.Test:8080/p%20q?x=1#frag HTTP/1.1",
        &[
            "Host: a.test:8080",
            "Proxy-Authorization: Basic x",
            "Proxy-Connection: keep-alive",
            "Connection: keep-alive, X-Hop",
            "X-Hop: 1",
            "Upgrade: websocket",
            "Content-Length: 5",
            "Accept: */*",
        ],
    )
    .unwrap();
    let out = String::from_utf8(origin_head(&req, &req.target)).unwrap();
    assert_eq!(
        out,
        "POST /p%20q?x=1 HTTP/1.1\r\nHost: a.test:8080\r\nAccept: */*\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
    );
    let req = parse("GET http://[::ffff:127.0.0.1]/ HTTP/1.0", &[]).unwrap();
    let out = String::from_utf8(origin_head(&req, &req.target)).unwrap();
    assert_eq!(
        out,
        "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
}

#[test]
fn the_judged_target_is_the_one_connected_to() {
    let policy: NetworkPolicy = serde_json::from_str(
        r#"{"enabled":true,"allowed_domains":["a.test:443"],"allow_localhost":true,"allow_https":true,"allow_http":false}"#,
    )
    .unwrap();
    let guard = NetworkGuard::new(&policy).unwrap();
    let lookup = |_: &CanonicalHost, _: u16| Ok(vec!["127.0.0.1".parse().unwrap()]);
    // A tunnel to the pinned port is allowed, and is what `connect` uses.
    let req = parse("CONNECT A.test.:443 HTTP/1.1", &[]).unwrap();
    let c = checked::judge(&guard, &[], &req, lookup).unwrap();
    assert_eq!(destination(c.target()), "https://a.test:443");
    // Plain HTTP is refused by the policy (allow_http: false), whatever the
    // spelling; other spellings never reach the guard as https.
    let req = parse("GET http://a.test:443/ HTTP/1.1", &[]).unwrap();
    assert_eq!(
        checked::judge(&guard, &[], &req, lookup)
            .err()
            .unwrap()
            .code,
        "SCHEME_NOT_ALLOWED"
    );
    // A refused name is never looked up.
    let req = parse("CONNECT b.test:443 HTTP/1.1", &[]).unwrap();
    let never = |_: &CanonicalHost, _: u16| -> io::Result<Vec<IpAddr>> {
        panic!("looked up a refused name")
    };
    assert!(checked::judge(&guard, &[], &req, never).is_err());
    // Every resolved address is judged.
    let req = parse("CONNECT a.test:443 HTTP/1.1", &[]).unwrap();
    let bad = |_: &CanonicalHost, _: u16| Ok(vec!["169.254.169.254".parse().unwrap()]);
    assert!(checked::judge(&guard, &[], &req, bad).is_err());
    // An address of the host's own interfaces is refused like loopback,
    // also written as an IPv4-mapped IPv6 address.
    let host: IpAddr = "93.184.216.34".parse().unwrap();
    for answer in ["93.184.216.34", "::ffff:93.184.216.34"] {
        let own = |_: &CanonicalHost, _: u16| Ok(vec![answer.parse().unwrap()]);
        let r = checked::judge(&guard, &[host], &req, own).err().unwrap();
        assert_eq!((r.status, r.code.as_str()), (403, "LOCALHOST_NOT_ALLOWED"));
    }
    let other = |_: &CanonicalHost, _: u16| Ok(vec!["93.184.216.35".parse().unwrap()]);
    assert!(checked::judge(&guard, &[host], &req, other).is_ok());
}

#[test]
fn the_report_quotes_raw_text_briefly() {
    let long = "x".repeat(1000);
    assert!(quote(&long).len() < 300);
    let multi = "é".repeat(200);
    assert!(quote(&multi).ends_with('…'));
}

#[test]
fn tunnels_go_to_port_443_or_to_a_port_an_entry_names() {
    let policy: NetworkPolicy = serde_json::from_str(
        r#"{"enabled":true,"allowed_domains":["github.com","a.test:8443"],"allow_localhost":true,"allow_https":true,"allow_http":false}"#,
    )
    .unwrap();
    let guard = NetworkGuard::new(&policy).unwrap();
    let lookup = |_: &CanonicalHost, _: u16| Ok(vec!["127.0.0.1".parse().unwrap()]);
    let judge = |line: &str| checked::judge(&guard, &[], &parse(line, &[]).unwrap(), lookup);
    assert!(judge("CONNECT github.com:443 HTTP/1.1").is_ok());
    assert!(judge("CONNECT a.test:8443 HTTP/1.1").is_ok());
    for line in [
        "CONNECT github.com:18089 HTTP/1.1",
        "CONNECT github.com:80 HTTP/1.1",
        "CONNECT localhost:8080 HTTP/1.1",
        "CONNECT 127.0.0.1:8080 HTTP/1.1",
    ] {
        let r = judge(line).err().unwrap();
        assert_eq!(
            (r.status, r.code.as_str()),
            (403, "TUNNEL_PORT_NOT_ALLOWED"),
            "{line}"
        );
    }
    // A refused host keeps the guard's own code.
    let r = judge("CONNECT b.test:18089 HTTP/1.1").err().unwrap();
    assert_eq!(r.code, "DOMAIN_NOT_ALLOWED");
    // The refused port is never looked up.
    let never = |_: &CanonicalHost, _: u16| -> io::Result<Vec<IpAddr>> {
        panic!("looked up a refused tunnel")
    };
    let req = parse("CONNECT github.com:18089 HTTP/1.1", &[]).unwrap();
    assert!(checked::judge(&guard, &[], &req, never).is_err());
}
