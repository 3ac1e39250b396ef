//! The filtering HTTP/HTTPS proxy: the confined command's only way out when
//! the network is enabled. Every request is judged by the network guard of
//! `sandbox-core` twice: by name before any DNS lookup, then with every
//! address the name resolved to. The proxy then connects only to those
//! checked addresses, so a second lookup cannot change the answer.
//!
//! `CONNECT host:port` (HTTPS and anything tunnelled) is judged as the URL
//! `https://host:port/` with method `GET`; plain HTTP requests in absolute
//! form are judged as sent and forwarded with `Connection: close`.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use sandbox_core::guards::network::NetworkGuard;
use sandbox_core::{Decision, NetworkRequest, Verdict};

use crate::report::NetworkEvent;

/// At most this many requests are recorded in the report.
const MAX_EVENTS: usize = 1000;
/// Largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;

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
    /// Test-only name overrides (`--resolve`).
    resolve: Vec<(String, IpAddr)>,
    pub events: Mutex<Vec<NetworkEvent>>,
}

impl Proxy {
    /// The proxy's state. Called before any proxy thread exists: it also
    /// fixes how names are looked up (see [`super::sys::hosts_from_files_and_dns`]).
    pub fn new(guard: NetworkGuard, resolve: Vec<(String, IpAddr)>) -> Arc<Proxy> {
        super::sys::hosts_from_files_and_dns();
        Arc::new(Proxy {
            guard,
            resolve,
            events: Mutex::new(Vec::new()),
        })
    }

    /// Records a refusal by the network guard and answers 403 with its code and reason.
    fn refuse(&self, client: &mut TcpStream, req: &Head, d: &Decision) {
        self.record(
            &req.method,
            &req.target,
            Verdict::Deny,
            d.code.as_str(),
            &d.reason,
        );
        let _ = respond(
            client,
            403,
            "Forbidden",
            &format!("{}: {}", d.code.as_str(), d.reason),
        );
    }

    fn record(&self, method: &str, target: &str, verdict: Verdict, code: &str, reason: &str) {
        let mut ev = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if ev.len() < MAX_EVENTS {
            ev.push(NetworkEvent {
                method: method.into(),
                target: target.into(),
                verdict: verdict.as_str().into(),
                code: code.into(),
                reason: reason.into(),
            });
        }
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
                    "Bad Request",
                    "the request head could not be read",
                );
                return;
            }
        };
        let _ = client.set_read_timeout(None);
        let Some(req) = parse_head(&head) else {
            let _ = respond(&mut client, 400, "Bad Request", "not an HTTP proxy request");
            return;
        };
        let (url, method_for_guard) = if req.method.eq_ignore_ascii_case("CONNECT") {
            (format!("https://{}/", req.target), "GET".to_string())
        } else {
            (req.target.clone(), req.method.clone())
        };
        let Some((host, port)) = host_port(&req, &url) else {
            let _ = respond(&mut client, 400, "Bad Request", "the request names no host");
            return;
        };
        // First by name, before any DNS query can leak the name.
        let d = self.guard.check(&NetworkRequest {
            url: &url,
            method: &method_for_guard,
            addresses: None,
        });
        if d.verdict != Verdict::Allow {
            self.refuse(&mut client, &req, &d);
            return;
        }
        let addrs = match self.lookup(&host, port) {
            Ok(a) if !a.is_empty() => a,
            Ok(_) | Err(_) => {
                self.record(
                    &req.method,
                    &req.target,
                    Verdict::Deny,
                    "RESOLUTION_FAILED",
                    "the name did not resolve",
                );
                let _ = respond(
                    &mut client,
                    502,
                    "Bad Gateway",
                    &format!("{host} did not resolve"),
                );
                return;
            }
        };
        let ips: Vec<IpAddr> = addrs.iter().map(|a| a.ip()).collect();
        let d = self.guard.check(&NetworkRequest {
            url: &url,
            method: &method_for_guard,
            addresses: Some(&ips),
        });
        if d.verdict != Verdict::Allow {
            self.refuse(&mut client, &req, &d);
            return;
        }
        let upstream = match TcpStream::connect(&addrs[..]) {
            Ok(s) => s,
            Err(e) => {
                self.record(
                    &req.method,
                    &req.target,
                    Verdict::Allow,
                    "CONNECT_FAILED",
                    &e.to_string(),
                );
                let _ = respond(
                    &mut client,
                    502,
                    "Bad Gateway",
                    &format!("connecting to {host}:{port}: {e}"),
                );
                return;
            }
        };
        self.record(
            &req.method,
            &req.target,
            Verdict::Allow,
            d.code.as_str(),
            &d.reason,
        );
        let mut upstream = upstream;
        if req.method.eq_ignore_ascii_case("CONNECT") {
            if client
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .is_err()
            {
                return;
            }
        } else {
            let forwarded = rewrite_for_origin(&head, &req);
            if upstream.write_all(&forwarded).is_err() {
                return;
            }
        }
        if !rest.is_empty() && upstream.write_all(&rest).is_err() {
            return;
        }
        relay(client, upstream);
    }

    fn lookup(&self, host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let lower = bare.trim_end_matches('.').to_ascii_lowercase();
        if let Some((_, ip)) = self.resolve.iter().find(|(n, _)| *n == lower) {
            return Ok(vec![SocketAddr::new(*ip, port)]);
        }
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        Ok((bare, port).to_socket_addrs()?.collect())
    }
}

/// A parsed request line.
struct Head {
    method: String,
    target: String,
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

fn parse_head(head: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(head).ok()?;
    let line = text.lines().next()?;
    let mut parts = line.split(' ');
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let version = parts.next()?;
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    Some(Head { method, target })
}

/// Host and port of the request: from `host:port` for CONNECT, from the
/// absolute URL otherwise.
fn host_port(req: &Head, url: &str) -> Option<(String, u16)> {
    let authority = if req.method.eq_ignore_ascii_case("CONNECT") {
        req.target.as_str()
    } else {
        let after = url.split_once("://")?.1;
        after.split(['/', '?', '#']).next()?
    };
    if authority.contains('@') || authority.is_empty() {
        return None;
    }
    let default_port = if url.starts_with("https://") { 443 } else { 80 };
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        let (h, rest) = stripped.split_once(']')?;
        let port = match rest.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if rest.is_empty() => default_port,
            None => return None,
        };
        (format!("[{h}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().ok()?),
            None => (authority.to_string(), default_port),
        }
    };
    (!host.is_empty()).then_some((host, port))
}

/// The request head for the origin server: origin-form target, no proxy
/// headers, one request per connection.
fn rewrite_for_origin(head: &[u8], req: &Head) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let path = req
        .target
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".into());
    let mut out = String::new();
    let mut lines = text.split("\r\n");
    let first = lines.next().unwrap_or_default();
    let version = first.rsplit(' ').next().unwrap_or("HTTP/1.1");
    out.push_str(&format!("{} {} {}\r\n", req.method, path, version));
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if name.starts_with("proxy-") || name == "connection" || name == "keep-alive" {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

fn respond(client: &mut TcpStream, status: u16, text: &str, body: &str) -> io::Result<()> {
    let body = format!("ku0 sandbox: {body}\n");
    write!(
        client,
        "HTTP/1.1 {status} {text}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
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
mod tests {
    use super::*;

    fn head(method: &str, target: &str) -> Head {
        Head {
            method: method.into(),
            target: target.into(),
        }
    }

    #[test]
    fn parses_request_lines() {
        let h = parse_head(b"CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(
            (h.method.as_str(), h.target.as_str()),
            ("CONNECT", "example.com:443")
        );
        assert!(parse_head(b"GARBAGE\r\n\r\n").is_none());
        assert!(parse_head(b"GET / HTTP/2\r\n\r\n").is_none());
    }

    #[test]
    fn host_and_port() {
        let c = head("CONNECT", "example.com:8443");
        assert_eq!(
            host_port(&c, "https://example.com:8443/"),
            Some(("example.com".into(), 8443))
        );
        let c = head("CONNECT", "[::1]:443");
        assert_eq!(
            host_port(&c, "https://[::1]:443/"),
            Some(("[::1]".into(), 443))
        );
        let g = head("GET", "http://a.test/x?y");
        assert_eq!(
            host_port(&g, "http://a.test/x?y"),
            Some(("a.test".into(), 80))
        );
        let g = head("GET", "http://u@a.test/");
        assert_eq!(host_port(&g, "http://u@a.test/"), None);
    }

    #[test]
    fn rewrites_to_origin_form() {
        let raw = b"GET http://a.test:8080/p?q HTTP/1.1\r\nHost: a.test\r\nProxy-Connection: keep-alive\r\n\r\n";
        let out = rewrite_for_origin(raw, &head("GET", "http://a.test:8080/p?q"));
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("GET /p?q HTTP/1.1\r\n"), "{out}");
        assert!(out.contains("Host: a.test\r\n"));
        assert!(!out.to_ascii_lowercase().contains("proxy-connection"));
        assert!(out.ends_with("Connection: close\r\n\r\n"));
    }
}
