//! The filtering HTTP/HTTPS proxy: the confined command's only way out when
//! the network is enabled.
//!
//! One parse, one decision, one connection. A request head is parsed once
//! into a [`Request`] whose destination is `sandbox_core`'s [`Target`] (the
//! guard's own parser: scheme, canonical host, port). That `Target` is what
//! the guard judges, twice (by name before any DNS lookup, then with every
//! address the name resolved to); a [`checked::Checked`] is the only value
//! that can be connected to, and only [`checked::judge`] makes one, from the
//! judged `Target` and the judged addresses. The forwarded request line and
//! `Host` header and the report's event are written from the same value, so
//! what was judged, what is connected to and what is reported cannot differ.
//!
//! - `CONNECT host:port` (HTTPS and any tunnel) is judged as
//!   `https://host:port`, and goes only to port 443 unless an
//!   `allowed_domains` entry covering the host names the port.
//! - Absolute-form `http://…` requests are forwarded as one request on one
//!   connection: request line and `Host` rewritten from the target,
//!   `Connection: close`, a body of exactly `Content-Length` bytes.
//! - Everything else is refused before the guard is asked: other schemes in
//!   absolute form (`https:`, `ws:`, `wss:` would need TLS or an upgrade the
//!   proxy does not do), origin-form and `*` targets, a `Host` header that
//!   names another destination, more than one `Host`, `Transfer-Encoding`,
//!   malformed or non-UTF-8 heads and lines.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use sandbox_core::guards::network::host::CanonicalHost;
use sandbox_core::guards::network::{NetworkGuard, Scheme, Target};
use sandbox_core::Verdict;

use crate::report::{NetworkEvent, NetworkLog};

/// Largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Longest raw request target quoted in the report for a request that did
/// not parse.
const MAX_QUOTED: usize = 256;

/// Connections served at the same time, at most (each uses one or two
/// threads of the helper).
const MAX_CONNECTIONS: usize = 64;
static CONNECTIONS: AtomicUsize = AtomicUsize::new(0);

/// One of the [`MAX_CONNECTIONS`] places, given back when dropped.
struct Slot;

impl Slot {
    fn take() -> Option<Slot> {
        CONNECTIONS
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_CONNECTIONS).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        CONNECTIONS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Shared state of the proxy threads.
pub struct Proxy {
    guard: NetworkGuard,
    /// Test-only name overrides (`--resolve`), names canonical.
    resolve: Vec<(String, IpAddr)>,
    /// Addresses of the host's own interfaces, refused like loopback when
    /// the policy refuses the local host (empty when it allows it).
    local: Vec<IpAddr>,
    /// Every request decided; the report lists them within its bounds.
    pub events: Mutex<NetworkLog>,
}

/// Why a request was not forwarded: HTTP status, event code, reason.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refusal {
    status: u16,
    code: String,
    reason: String,
}

impl Refusal {
    fn bad(code: &str, reason: impl Into<String>) -> Refusal {
        Refusal {
            status: 400,
            code: code.into(),
            reason: reason.into(),
        }
    }
}

/// Event code for a request the proxy cannot read the same way the guard does.
const BAD_REQUEST: &str = "BAD_PROXY_REQUEST";
/// Event code for a `Host` header naming another destination than the target.
const HOST_MISMATCH: &str = "HOST_MISMATCH";
/// Event code for a `CONNECT` to a port other than 443 that no allow-list
/// entry names.
const TUNNEL_PORT_NOT_ALLOWED: &str = "TUNNEL_PORT_NOT_ALLOWED";
/// The one port a tunnel may reach without an entry naming its port.
const HTTPS_PORT: u16 = 443;

/// What the client asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// `CONNECT host:port`: a tunnel.
    Connect,
    /// `METHOD http://…`: one request forwarded in origin form.
    Forward {
        version: String,
        /// Headers passed on (hop-by-hop, proxy and `Host` headers removed).
        headers: Vec<(String, String)>,
        /// `Content-Length` of the body (0 without one).
        body_len: u64,
    },
}

/// A request the proxy understood: its one destination and how to serve it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    target: Target,
    form: Form,
}

impl Proxy {
    /// The proxy's state. Called before any proxy thread exists: it also
    /// fixes how names are looked up (see [`super::sys::hosts_from_files_and_dns`]).
    ///
    /// The proxy runs in the host's network namespace: a connection to any
    /// address of the host's interfaces (its public address too) reaches
    /// the host's services listening on all interfaces. `host_addrs` are
    /// those addresses, read once before the run when the policy refuses
    /// the local host (empty when it allows it); they are refused like
    /// loopback. An address the host gains while the run lasts is not.
    pub fn new(
        guard: NetworkGuard,
        resolve: Vec<(String, IpAddr)>,
        host_addrs: Vec<IpAddr>,
    ) -> Arc<Proxy> {
        super::sys::hosts_from_files_and_dns();
        let local = host_addrs.into_iter().map(|a| a.to_canonical()).collect();
        let resolve = resolve
            .into_iter()
            .map(|(n, ip)| {
                let n = n.trim_end_matches('.').to_ascii_lowercase();
                (n, ip)
            })
            .collect();
        Arc::new(Proxy {
            guard,
            resolve,
            local,
            events: Mutex::new(NetworkLog::default()),
        })
    }

    fn record(&self, ev: NetworkEvent) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.record(ev);
    }

    /// Accept every pending connection and serve each on its own thread.
    pub fn accept_pending(self: &Arc<Proxy>, listener: &TcpListener) {
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    // A connection over the cap, or one no thread can be
                    // started for (the command may have used up the
                    // processes of its user), is closed: the supervisor
                    // must never fail because of what the command does.
                    let Some(slot) = Slot::take() else {
                        continue;
                    };
                    let me = Arc::clone(self);
                    let _ = thread::Builder::new().spawn(move || {
                        let _slot = slot;
                        let _ = stream.set_nonblocking(false);
                        me.serve(stream);
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return,
            }
        }
    }

    fn serve(&self, mut client: TcpStream) {
        let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
        let (head, rest) = match read_head(&mut client) {
            Ok(x) => x,
            Err(_) => {
                let _ = respond(
                    &mut client,
                    400,
                    "the request head could not be read (at most 64 KiB, ending in an empty line)",
                );
                return;
            }
        };
        let _ = client.set_read_timeout(None);
        let req = match parse_request(&head) {
            Ok(r) => r,
            Err((method, raw_target, r)) => {
                self.record(NetworkEvent {
                    method: quote(&method),
                    target: quote(&raw_target),
                    verdict: Verdict::Deny.as_str().into(),
                    code: r.code.clone(),
                    reason: r.reason.clone(),
                    destination: None,
                    address: None,
                    clipped: method.len() > MAX_QUOTED || raw_target.len() > MAX_QUOTED,
                });
                let _ = respond(&mut client, r.status, &format!("{}: {}", r.code, r.reason));
                return;
            }
        };
        let checked = match checked::judge(&self.guard, &self.local, &req, |host, port| {
            self.lookup(host, port)
        }) {
            Ok(c) => c,
            Err(r) => {
                self.record(event(&req, Verdict::Deny, &r.code, &r.reason, None));
                let _ = respond(&mut client, r.status, &format!("{}: {}", r.code, r.reason));
                return;
            }
        };
        let upstream = match checked.connect() {
            Ok(s) => s,
            Err(e) => {
                let reason = e.to_string();
                self.record(event(&req, Verdict::Allow, "CONNECT_FAILED", &reason, None));
                let _ = respond(
                    &mut client,
                    502,
                    &format!("connecting to {}: {reason}", destination(checked.target())),
                );
                return;
            }
        };
        let peer = upstream.peer_addr().ok();
        self.record(event(
            &req,
            Verdict::Allow,
            checked.code(),
            checked.reason(),
            peer,
        ));
        match &req.form {
            Form::Connect => {
                if client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .is_err()
                {
                    return;
                }
                if !rest.is_empty() && (&upstream).write_all(&rest).is_err() {
                    return;
                }
                relay(client, upstream);
            }
            Form::Forward { body_len, .. } => {
                let head = origin_head(&req, checked.target());
                if (&upstream).write_all(&head).is_err() {
                    return;
                }
                forward_body(client, upstream, &rest, *body_len);
            }
        }
    }

    /// The addresses of a canonical host: the test override, the IP itself,
    /// or a host lookup of the canonical name.
    fn lookup(&self, host: &CanonicalHost, port: u16) -> io::Result<Vec<IpAddr>> {
        match host {
            CanonicalHost::Ip(ip) => Ok(vec![*ip]),
            CanonicalHost::Name(name) => {
                if let Some((_, ip)) = self.resolve.iter().find(|(n, _)| n == name) {
                    return Ok(vec![*ip]);
                }
                Ok((name.as_str(), port)
                    .to_socket_addrs()?
                    .map(|a| a.ip())
                    .collect())
            }
        }
    }
}

/// The judged destination. Kept in its own module so that nothing else can
/// build one: a [`Checked`] exists only for a target and addresses the guard
/// allowed, and [`Checked::connect`] is the proxy's only way to connect.
mod checked {
    use super::*;
    use sandbox_core::Decision;

    pub struct Checked {
        target: Target,
        addrs: Vec<IpAddr>,
        decision: Decision,
    }

    /// Judge `req` by name, look the name up with `lookup`, judge again
    /// with every address.
    pub(super) fn judge(
        guard: &NetworkGuard,
        local: &[IpAddr],
        req: &Request,
        lookup: impl FnOnce(&CanonicalHost, u16) -> io::Result<Vec<IpAddr>>,
    ) -> Result<Checked, Refusal> {
        // A tunnel has no method the guard could judge.
        let method = match req.form {
            Form::Connect => None,
            Form::Forward { .. } => Some(req.method.as_str()),
        };
        let refused = |d: Decision| Refusal {
            status: 403,
            code: d.code.as_str().into(),
            reason: d.reason,
        };
        // First by name, before any DNS query can leak the name.
        let d = guard.check_parsed(&req.target, method, None);
        if d.verdict != Verdict::Allow {
            return Err(refused(d));
        }
        tunnel_port_named(guard, req)?;
        let addrs = match lookup(&req.target.host, req.target.port) {
            Ok(a) if !a.is_empty() => a,
            _ => {
                return Err(Refusal {
                    status: 502,
                    code: "RESOLUTION_FAILED".into(),
                    reason: format!("{} did not resolve", req.target.host),
                })
            }
        };
        let d = guard.check_parsed(&req.target, method, Some(&addrs));
        if d.verdict != Verdict::Allow {
            return Err(refused(d));
        }
        // `local` is empty when the policy allows the local host.
        if let Some(a) = addrs.iter().find(|a| local.contains(&a.to_canonical())) {
            return Err(Refusal {
                status: 403,
                code: sandbox_core::DecisionCode::LocalhostNotAllowed
                    .as_str()
                    .into(),
                reason: format!(
                    "{} is an address of this host (allow_localhost is false)",
                    a
                ),
            });
        }
        Ok(Checked {
            target: req.target.clone(),
            addrs,
            decision: d,
        })
    }

    /// A tunnel is judged as `https`, but its bytes are the client's: to a
    /// port where a plaintext service listens it would carry plaintext past
    /// `allow_http: false`. So a tunnel goes to port 443, or to a port an
    /// `allowed_domains` entry covering the host names (`host:port`).
    fn tunnel_port_named(guard: &NetworkGuard, req: &Request) -> Result<(), Refusal> {
        let port = req.target.port;
        if req.form != Form::Connect
            || port == HTTPS_PORT
            || guard
                .allowed_entry_naming_port(&req.target.host, port)
                .is_some()
        {
            return Ok(());
        }
        Err(Refusal {
            status: 403,
            code: TUNNEL_PORT_NOT_ALLOWED.into(),
            reason: format!(
                "CONNECT to port {port} of {host}: tunnels go to port 443 unless an allowed_domains entry names the port (e.g. \"{host}:{port}\"); the proxy cannot see whether a tunnel carries TLS",
                host = req.target.host,
            ),
        })
    }

    impl Checked {
        pub fn target(&self) -> &Target {
            &self.target
        }

        pub fn code(&self) -> &str {
            self.decision.code.as_str()
        }

        pub fn reason(&self) -> &str {
            &self.decision.reason
        }

        /// Connect to the judged port on one of the judged addresses.
        pub fn connect(&self) -> io::Result<TcpStream> {
            let port = self.target.port;
            let addrs: Vec<SocketAddr> = self
                .addrs
                .iter()
                .map(|ip| SocketAddr::new(*ip, port))
                .collect();
            TcpStream::connect(&addrs[..])
        }
    }
}

/// `scheme://host:port` of a target.
fn destination(t: &Target) -> String {
    format!("{}://{}:{}", t.scheme, t.host, t.port)
}

/// The report's event for a parsed request: the target as judged (`host:port`
/// for a tunnel, `scheme://host:port/path?query` otherwise, always from the
/// canonical host and port), and the address connected to.
fn event(
    req: &Request,
    verdict: Verdict,
    code: &str,
    reason: &str,
    address: Option<SocketAddr>,
) -> NetworkEvent {
    let target = match req.form {
        Form::Connect => format!("{}:{}", req.target.host, req.target.port),
        // From the canonical parts, not the WHATWG serialization (which
        // keeps a trailing dot or an IPv4-mapped IPv6 spelling).
        Form::Forward { .. } => {
            format!("{}{}", destination(&req.target), req.target.request_target)
        }
    };
    NetworkEvent {
        method: req.method.clone(),
        target,
        verdict: verdict.as_str().into(),
        code: code.into(),
        reason: reason.into(),
        destination: Some(destination(&req.target)),
        address: address.map(|a| a.to_string()),
        // Clipped, when too long, as the log records it.
        clipped: false,
    }
}

/// Raw text quoted in the report: at most [`MAX_QUOTED`] bytes.
fn quote(raw: &str) -> String {
    if raw.len() <= MAX_QUOTED {
        return raw.into();
    }
    let mut end = MAX_QUOTED;
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &raw[..end])
}

fn read_head(client: &mut TcpStream) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = client.read(&mut chunk)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok((buf, rest));
        }
        if buf.len() > MAX_HEAD {
            return Err(io::ErrorKind::InvalidData.into());
        }
    }
}

/// A `token` of RFC 9110 (method and header names).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Hop-by-hop and proxy headers, never passed on. `Host` is rewritten from
/// the target; `Upgrade` is dropped because the proxy forwards one request
/// and closes.
const DROPPED: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "content-length",
];

/// Parse a request head. On refusal, also returns the method and target as
/// sent (for the report).
fn parse_request(head: &[u8]) -> Result<Request, (String, String, Refusal)> {
    let text = std::str::from_utf8(head).map_err(|_| {
        (
            String::new(),
            String::new(),
            Refusal::bad(BAD_REQUEST, "the request head is not UTF-8"),
        )
    })?;
    let body = text.strip_suffix("\r\n\r\n").unwrap_or(text);
    let mut lines = body.split("\r\n");
    let line = lines.next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (method, raw_target, version) =
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(m), Some(t), Some(v), None) => (m, t, v),
            _ => {
                return Err((
                    String::new(),
                    line.into(),
                    Refusal::bad(
                        BAD_REQUEST,
                        "the request line is not METHOD TARGET HTTP/1.x with single spaces",
                    ),
                ))
            }
        };
    let fail = |r: Refusal| (method.to_string(), raw_target.to_string(), r);
    if !is_token(method) {
        return Err(fail(Refusal::bad(
            BAD_REQUEST,
            "the method is not an HTTP token",
        )));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(fail(Refusal::bad(
            BAD_REQUEST,
            format!("{version:?} is not HTTP/1.0 or HTTP/1.1"),
        )));
    }
    // Lone CR or LF are line ends to some parsers and not to others.
    if body.split("\r\n").any(|l| l.contains(['\r', '\n'])) {
        return Err(fail(Refusal::bad(
            BAD_REQUEST,
            "a bare CR or LF in the request head",
        )));
    }
    let mut headers = Vec::new();
    for l in lines {
        let Some((name, value)) = l.split_once(':') else {
            return Err(fail(Refusal::bad(
                BAD_REQUEST,
                format!("header line {:?} has no ':'", quote(l)),
            )));
        };
        if !is_token(name) {
            // Also refuses folded lines (leading space) and "Name :".
            return Err(fail(Refusal::bad(
                BAD_REQUEST,
                format!("header name {:?} is not an HTTP token", quote(name)),
            )));
        }
        let value = value.trim_matches([' ', '\t']);
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(fail(Refusal::bad(
                BAD_REQUEST,
                format!("header {name} holds a control character"),
            )));
        }
        headers.push((name.to_string(), value.to_string()));
    }
    let named = |n: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let hosts = named("host");
    if hosts.len() > 1 {
        return Err(fail(Refusal::bad(
            HOST_MISMATCH,
            "more than one Host header",
        )));
    }
    let to_refusal = |d: sandbox_core::Decision| Refusal {
        status: 403,
        code: d.code.as_str().into(),
        reason: d.reason,
    };

    if method.eq_ignore_ascii_case("CONNECT") {
        if method != "CONNECT" {
            return Err(fail(Refusal::bad(
                BAD_REQUEST,
                "methods are case-sensitive: CONNECT",
            )));
        }
        // The Host header of a CONNECT goes nowhere: the tunnel's bytes are
        // the client's, and the proxy reads none of them.
        let target = Target::from_connect(raw_target).map_err(|d| fail(to_refusal(d)))?;
        return Ok(Request {
            method: method.into(),
            target,
            form: Form::Connect,
        });
    }
    if raw_target.starts_with('/') || raw_target == "*" {
        return Err(fail(Refusal::bad(
            BAD_REQUEST,
            "origin-form request: a proxy request names the whole URL (http://host/path) or uses CONNECT",
        )));
    }
    let target = Target::from_url(raw_target).map_err(|d| fail(to_refusal(d)))?;
    if target.scheme != Scheme::Http {
        return Err(fail(Refusal::bad(
            BAD_REQUEST,
            format!(
                "only http:// URLs are forwarded; {}:// needs CONNECT (the proxy does not speak TLS or WebSocket upgrades itself)",
                target.scheme
            ),
        )));
    }
    if let Some(host) = hosts.first() {
        let same = host_header_target(host)
            .is_some_and(|h| h.host == target.host && h.port == target.port);
        if !same {
            return Err(fail(Refusal::bad(
                HOST_MISMATCH,
                format!(
                    "Host {:?} does not name the request's destination {}:{}",
                    quote(host),
                    target.host,
                    target.port
                ),
            )));
        }
    }
    if !named("transfer-encoding").is_empty() {
        return Err(fail(Refusal {
            status: 411,
            code: BAD_REQUEST.into(),
            reason: "Transfer-Encoding is not forwarded; send the body with Content-Length".into(),
        }));
    }
    let lengths = named("content-length");
    let body_len = match lengths.as_slice() {
        [] => 0,
        [one] if !one.is_empty() && one.bytes().all(|b| b.is_ascii_digit()) => {
            one.parse::<u64>()
                .map_err(|_| fail(Refusal::bad(BAD_REQUEST, "Content-Length is too large")))?
        }
        _ => {
            return Err(fail(Refusal::bad(
                BAD_REQUEST,
                "Content-Length must appear once, as digits",
            )))
        }
    };
    // Headers the client names in Connection are hop-by-hop too.
    let listed: Vec<String> = named("connection")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let headers = headers
        .into_iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !DROPPED.contains(&k.as_str()) && !k.starts_with("proxy-") && !listed.contains(&k)
        })
        .collect();
    Ok(Request {
        method: method.into(),
        target,
        form: Form::Forward {
            version: version.into(),
            headers,
            body_len,
        },
    })
}

/// The destination a `Host` header names, read by the same parser as the
/// target (`http` default port).
fn host_header_target(value: &str) -> Option<Target> {
    if value.is_empty() || value.contains(['/', '?', '#', '@', '\\', ' ', '\t']) {
        return None;
    }
    Target::from_url(&format!("http://{value}/")).ok()
}

/// The head sent to the origin server, written from the judged target only:
/// origin-form request line, `Host` from the canonical host and port, the
/// client's end-to-end headers, the body length, `Connection: close`.
fn origin_head(req: &Request, target: &Target) -> Vec<u8> {
    let Form::Forward {
        version,
        headers,
        body_len,
    } = &req.form
    else {
        return Vec::new();
    };
    let mut out = format!("{} {} {}\r\n", req.method, target.request_target, version);
    if target.port == target.scheme.default_port() {
        out.push_str(&format!("Host: {}\r\n", target.host));
    } else {
        out.push_str(&format!("Host: {}:{}\r\n", target.host, target.port));
    }
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if *body_len > 0 {
        out.push_str(&format!("Content-Length: {body_len}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

fn respond(client: &mut TcpStream, status: u16, body: &str) -> io::Result<()> {
    let text = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        411 => "Length Required",
        _ => "Bad Gateway",
    };
    let body = format!("ku0 sandbox: {body}\n");
    write!(
        client,
        "HTTP/1.1 {status} {text}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Send exactly `len` body bytes (what arrived with the head first, then
/// from the client) while the answer flows back; nothing after the body
/// reaches the server, so a second request cannot ride on the connection.
fn forward_body(client: TcpStream, upstream: TcpStream, rest: &[u8], len: u64) {
    let (Ok(c2), Ok(u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let back = thread::spawn(move || pump(u2, c2));
    let first = rest.len().min(usize::try_from(len).unwrap_or(usize::MAX));
    if (&upstream).write_all(&rest[..first]).is_ok() {
        let left = len - first as u64;
        let _ = io::copy(&mut (&client).take(left), &mut &upstream);
    }
    let _ = back.join();
}

/// Copy both directions until each side closes.
fn relay(client: TcpStream, upstream: TcpStream) {
    let (Ok(c2), Ok(u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    // Without a second thread the tunnel cannot work both ways: give up.
    let Ok(up) = thread::Builder::new().spawn(move || pump(c2, u2)) else {
        return;
    };
    pump(upstream, client);
    let _ = up.join();
}

fn pump(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

#[cfg(test)]
mod tests;
