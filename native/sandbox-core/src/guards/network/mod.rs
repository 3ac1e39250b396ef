//! The network guard: decides `check_network_request(url, method)` as
//! docs/policy.md (network) says.
//!
//! A check runs in this order; the first refusal decides:
//! 1. `enabled: false` → `NETWORK_DISABLED`.
//! 2. Raw-input hygiene ([`input::screen`]) → `UNSAFE_URL` / `INVALID_URL`.
//! 3. WHATWG parsing (the `url` crate) → `INVALID_URL`; scheme → `SCHEME_NOT_ALLOWED`.
//! 4. Method → `METHOD_NOT_ALLOWED`.
//! 5. Host: blocked entries (`BLOCKED_DOMAIN`), cloud-only names
//!    (`METADATA_ENDPOINT`), loopback names (`LOCALHOST_NOT_ALLOWED`), the
//!    address class of an IP literal (`LOCALHOST_NOT_ALLOWED`,
//!    `PRIVATE_ADDRESS`, `METADATA_ENDPOINT`), the allow-list
//!    (`DOMAIN_NOT_ALLOWED`, `PORT_NOT_ALLOWED`).
//! 6. Every address the name resolved to, when the caller gives them
//!    (`RESOLVED_ADDRESS_DENIED`).
//!
//! Besides whole URLs the guard judges a bare destination
//! ([`NetworkGuard::check_target`], [`NetworkGuard::check_connect`]) for a
//! proxy that only sees `host:port`, and one redirect hop
//! ([`NetworkGuard::check_redirect`]).

pub mod address;
pub mod host;
pub mod index;
pub mod input;

use std::fmt;
use std::net::IpAddr;

use crate::decision::{Decision, DecisionCode};
use crate::error::Error;
use crate::policy::NetworkPolicy;

use address::{classify, AddressKind};
use host::{cloud_metadata_name, is_loopback_name, CanonicalHost, HostEntry};
use index::HostList;
use input::InputError;

/// Methods an agent may use (compared case-insensitively). `CONNECT` (a
/// tunnel), `TRACE` (reflects headers) and extension methods are refused.
pub const ALLOWED_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// Most redirects a client may follow for one request (docs/policy.md, network).
pub const MAX_REDIRECTS: usize = 20;

/// One request to decide.
#[derive(Debug, Clone, Copy)]
pub struct NetworkRequest<'a> {
    pub url: &'a str,
    pub method: &'a str,
    /// The addresses the host name resolved to, when the caller resolved it;
    /// every one of them must be allowed. An empty list is refused (there is
    /// nothing checked to connect to).
    pub addresses: Option<&'a [IpAddr]>,
}

/// Schemes the policy can allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
    Ws,
    Wss,
}

impl Scheme {
    /// The scheme for a name (ASCII case-insensitive), if the guard knows it.
    pub fn parse(name: &str) -> Option<Scheme> {
        [Scheme::Http, Scheme::Https, Scheme::Ws, Scheme::Wss]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
        }
    }

    /// True for the TLS schemes (`https`, `wss`), governed by `allow_https`.
    pub fn is_tls(self) -> bool {
        matches!(self, Scheme::Https | Scheme::Wss)
    }

    pub fn default_port(self) -> u16 {
        if self.is_tls() {
            443
        } else {
            80
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The destination of a URL in canonical form: what the guard judged, and
/// therefore what a client must connect to (the name for DNS, TLS SNI and
/// `Host`; the port; the request target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub scheme: Scheme,
    pub host: CanonicalHost,
    pub port: u16,
    /// Path and query (no fragment), as sent on the request line.
    pub request_target: String,
    /// The whole URL, WHATWG-serialized.
    pub url: String,
}

impl Target {
    /// Screen and parse a URL without any policy (rules 2–5). Refusals carry
    /// the same codes as [`NetworkGuard::check`].
    pub fn from_url(url: &str) -> Result<Target, Decision> {
        input::parse(url).map(Target::from_parsed).map_err(refusal)
    }

    /// The destination of `reference`: a whole URL when `base` is `None`,
    /// else a redirect `Location` resolved against `base` (see
    /// [`resolve_redirect`]).
    pub fn from_reference(base: Option<&str>, reference: &str) -> Result<Target, Decision> {
        match base {
            None => Target::from_url(reference),
            Some(base) => Target::from_url(&resolve_redirect(base, reference)?),
        }
    }

    /// A bare destination: `host` as in a URL authority (a name, an IPv4
    /// address in any WHATWG spelling, `[v6]` or a bare IPv6 address),
    /// canonicalized exactly like a URL host; `port` `None` is the scheme's
    /// default. Refusals carry the codes [`NetworkGuard::check_target`] uses.
    pub fn from_host(scheme: Scheme, host: &str, port: Option<u16>) -> Result<Target, Decision> {
        if let Some(c) = host
            .chars()
            .find(|c| c.is_control() || c.is_whitespace() || matches!(c, '@' | '\\' | '/'))
        {
            return Err(Decision::deny(
                DecisionCode::UnsafeUrl,
                format!("{} in host {host:?}", input::describe_char(c)),
                None,
            ));
        }
        let canonical = CanonicalHost::parse(host)
            .map_err(|e| Decision::deny(DecisionCode::InvalidUrl, e, None))?;
        let port = port.unwrap_or(scheme.default_port());
        if port == 0 {
            return Err(Decision::deny(
                DecisionCode::InvalidUrl,
                "port 0 is not a destination port",
                None,
            ));
        }
        Ok(Target {
            scheme,
            url: format!("{scheme}://{canonical}:{port}"),
            host: canonical,
            port,
            request_target: String::new(),
        })
    }

    /// The destination of an HTTP `CONNECT` tunnel: `authority` is
    /// `host:port` or `[v6]:port` (port required), judged as `https`.
    pub fn from_connect(authority: &str) -> Result<Target, Decision> {
        let (host, port) = input::split_authority(authority).map_err(refusal)?;
        Target::from_host(Scheme::Https, host, Some(port))
    }

    /// `name`, `ipv4` or `ipv6`.
    pub fn host_type(&self) -> &'static str {
        match &self.host {
            CanonicalHost::Name(_) => "name",
            CanonicalHost::Ip(IpAddr::V4(_)) => "ipv4",
            CanonicalHost::Ip(IpAddr::V6(_)) => "ipv6",
        }
    }

    /// The host without brackets: a name, a dotted IPv4 or an IPv6 address.
    pub fn bare_host(&self) -> String {
        match &self.host {
            CanonicalHost::Name(n) => n.clone(),
            CanonicalHost::Ip(ip) => ip.to_string(),
        }
    }

    /// JSON for callers across the C ABI:
    /// `{"scheme","host","host_type","port","request_target","url"}`.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "scheme": self.scheme.as_str(),
            "host": self.bare_host(),
            "host_type": self.host_type(),
            "port": self.port,
            "request_target": self.request_target,
            "url": self.url,
        })
        .to_string()
    }

    fn from_parsed(p: input::ParsedUrl) -> Target {
        let mut request_target = p.url.path().to_string();
        if let Some(q) = p.url.query() {
            request_target.push('?');
            request_target.push_str(q);
        }
        Target {
            scheme: p.scheme,
            host: p.host,
            port: p.port,
            request_target,
            url: p.url.to_string(),
        }
    }
}

/// [`Target::from_reference`] as JSON: `{"target": {…}}` (see
/// [`Target::to_json`]) or `{"refusal": {"verdict", "code", "reason"}}` with
/// the decision the guard would make on the same text.
pub fn target_json(base: Option<&str>, reference: &str) -> String {
    match Target::from_reference(base, reference) {
        Ok(t) => format!("{{\"target\":{}}}", t.to_json()),
        Err(d) => serde_json::json!({
            "refusal": {"verdict": d.verdict.as_str(), "code": d.code.as_str(), "reason": d.reason}
        })
        .to_string(),
    }
}

/// Resolve a redirect `Location` against the URL that answered, after the
/// raw-input screen (WHATWG reference resolution). Returns the absolute URL
/// to check and fetch next.
pub fn resolve_redirect(current: &str, location: &str) -> Result<String, Decision> {
    input::resolve_location(current, location)
        .map(String::from)
        .map_err(refusal)
}

fn refusal(e: InputError) -> Decision {
    match e {
        InputError::Unsafe(r) => Decision::deny(DecisionCode::UnsafeUrl, r, None),
        InputError::Invalid(r) => Decision::deny(DecisionCode::InvalidUrl, r, None),
        InputError::Scheme(r) => Decision::deny(DecisionCode::SchemeNotAllowed, r, None),
    }
}

/// A refusal inside the guard: code, reason, rule.
type Refused = (DecisionCode, String, Option<String>);

fn deny((code, reason, rule): Refused) -> Decision {
    Decision::deny(code, reason, rule)
}

/// The compiled network part of a policy.
#[derive(Debug)]
pub struct NetworkGuard {
    enabled: bool,
    allow_localhost: bool,
    allow_http: bool,
    allow_https: bool,
    /// Canonicalized `allowed_domains`; consulted only when it names at
    /// least one entry.
    allowed: HostList,
    /// `allowed_domains` is absent, `null` or empty: any name may be
    /// reached (an allow-list restricts only when it names something).
    any_name: bool,
    /// Canonicalized `blocked_domains`.
    blocked: HostList,
}

impl NetworkGuard {
    /// Compile the network policy: every `allowed_domains` and
    /// `blocked_domains` entry is canonicalized once (IDNA, case, trailing
    /// dot, `*.` prefix, `host:port`, IP and CIDR). A malformed entry is an
    /// `InvalidPolicy` error naming it, e.g. `network.allowed_domains[2]: …`.
    pub fn new(policy: &NetworkPolicy) -> Result<NetworkGuard, Error> {
        let compile =
            |field: &'static str, list: &Option<Vec<String>>| -> Result<HostList, Error> {
                list.iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, raw)| HostEntry::parse(field, i, raw))
                    .collect::<Result<Vec<_>, _>>()
                    .map(HostList::new)
            };
        Ok(NetworkGuard {
            enabled: policy.enabled,
            allow_localhost: policy.allow_localhost,
            allow_http: policy.allow_http,
            allow_https: policy.allow_https,
            allowed: compile("network.allowed_domains", &policy.allowed_domains)?,
            any_name: policy.allowed_domains.as_ref().is_none_or(|l| l.is_empty()),
            blocked: compile("network.blocked_domains", &policy.blocked_domains)?,
        })
    }

    /// Decide a request: URL, method and, when the caller resolved the host,
    /// the addresses it resolved to.
    pub fn check(&self, req: &NetworkRequest<'_>) -> Decision {
        if let Some(d) = self.disabled() {
            return d;
        }
        // The destination is judged from the parse itself: the serialized
        // URL and request target of a `Target` are not needed for a decision.
        let parsed = match input::parse(req.url) {
            Ok(p) => p,
            Err(e) => return refusal(e),
        };
        if let Err(d) = check_method(req.method) {
            return d;
        }
        self.decide(
            parsed.scheme,
            &parsed.host,
            parsed.port,
            req.addresses,
            Some(req.method),
        )
    }

    /// Decide a bare destination, for callers that never see a URL: a
    /// `CONNECT` proxy that only sees `host:port`, or an HTTP client
    /// checking the (host, port, addresses) it is about to connect to.
    ///
    /// `scheme` is `http`, `https`, `ws` or `wss` (a tunnel is judged as
    /// `https`). `host` is host text as in a URL authority (a name, an IPv4
    /// address in any WHATWG spelling, `[v6]` or a bare IPv6 address); it is
    /// canonicalized exactly like a URL host, so callers must connect to the
    /// canonical host ([`Target`]), not to their raw text. `port` `None` is
    /// the scheme's default. `addresses` are the addresses the name resolved
    /// to; each must be allowed. The method rule does not apply here.
    pub fn check_target(
        &self,
        scheme: &str,
        host: &str,
        port: Option<u16>,
        addresses: Option<&[IpAddr]>,
    ) -> Decision {
        if let Some(d) = self.disabled() {
            return d;
        }
        let Some(scheme) = Scheme::parse(scheme) else {
            return Decision::deny(
                DecisionCode::SchemeNotAllowed,
                format!("scheme {scheme:?} is never allowed; only http, https, ws and wss can be"),
                None,
            );
        };
        match Target::from_host(scheme, host, port) {
            Ok(target) => self.decide(target.scheme, &target.host, target.port, addresses, None),
            Err(d) => d,
        }
    }

    /// Decide a destination that is already parsed ([`Target::from_url`],
    /// [`Target::from_host`], [`Target::from_connect`]), so that a caller
    /// that connects to `target` acts on exactly what was judged. `method`
    /// is checked when given (a tunnel has none).
    pub fn check_parsed(
        &self,
        target: &Target,
        method: Option<&str>,
        addresses: Option<&[IpAddr]>,
    ) -> Decision {
        if let Some(d) = self.disabled() {
            return d;
        }
        if let Some(Err(d)) = method.map(check_method) {
            return d;
        }
        self.decide(target.scheme, &target.host, target.port, addresses, method)
    }

    /// Decide a destination a program reaches over a protocol of its own
    /// (ssh, `git://`, ftp): the host and port rules of
    /// [`NetworkGuard::check_target`] without the scheme rule, which only
    /// speaks of http, https, ws and wss. `port` is the protocol's port.
    pub fn check_host(&self, host: &str, port: u16) -> Decision {
        if let Some(d) = self.disabled() {
            return d;
        }
        // The scheme only carries the port here; it is not judged.
        match Target::from_host(Scheme::Https, host, Some(port)) {
            Ok(t) => match self.decide_host(&t.host, t.port) {
                Ok(rule) => Decision::allow(format!("{host}:{port} is allowed"), rule),
                Err(r) => deny(r),
            },
            Err(d) => d,
        }
    }

    /// Whether the policy refuses some public destination (the network is
    /// off, an allow-list or a block-list names hosts, or a scheme is
    /// off): a destination computed at run time may then be refused.
    pub fn restricts_destinations(&self) -> bool {
        !self.enabled
            || !self.any_name
            || !self.blocked.is_empty()
            || !self.allow_http
            || !self.allow_https
    }

    /// The `allowed_domains` entry (its rule text) that covers `host` and
    /// names exactly `port` (`host:port`), if any. A `CONNECT` proxy cannot
    /// see what a tunnel carries, so it opens tunnels to ports other than
    /// 443 only where the policy named the port.
    pub fn allowed_entry_naming_port(&self, host: &CanonicalHost, port: u16) -> Option<String> {
        self.allowed
            .covering_host(host)
            .into_iter()
            .find(|e| e.port == Some(port))
            .map(HostEntry::rule)
    }

    /// Decide the destination of an HTTP `CONNECT` tunnel: `authority` is
    /// `host:port` or `[v6]:port` (port required); the tunnel is judged as
    /// `https`. See [`NetworkGuard::check_target`].
    pub fn check_connect(&self, authority: &str, addresses: Option<&[IpAddr]>) -> Decision {
        if let Some(d) = self.disabled() {
            return d;
        }
        match input::split_authority(authority) {
            Ok((host, port)) => self.check_target("https", host, Some(port), addresses),
            Err(e) => refusal(e),
        }
    }

    /// Decide redirect hop number `hop` (1 for the first redirect): refuse
    /// beyond [`MAX_REDIRECTS`], resolve `location` against `current` (see
    /// [`resolve_redirect`]) and check the result like a new request.
    /// `addresses` belong to the host of the resolved URL.
    pub fn check_redirect(
        &self,
        hop: usize,
        current: &str,
        location: &str,
        method: &str,
        addresses: Option<&[IpAddr]>,
    ) -> Decision {
        if let Some(d) = self.disabled() {
            return d;
        }
        if hop > MAX_REDIRECTS {
            return Decision::deny(
                DecisionCode::TooManyRedirects,
                format!("redirect {hop} to {location:?}: at most {MAX_REDIRECTS} redirects are followed"),
                None,
            );
        }
        match resolve_redirect(current, location) {
            Ok(next) => self.check(&NetworkRequest {
                url: &next,
                method,
                addresses,
            }),
            Err(d) => d,
        }
    }

    fn disabled(&self) -> Option<Decision> {
        (!self.enabled).then(|| {
            Decision::deny(
                DecisionCode::NetworkDisabled,
                "network access is disabled by policy",
                Some("network.enabled: false".into()),
            )
        })
    }

    /// Rules 4 (scheme), 6 and 7 on a parsed destination.
    fn decide(
        &self,
        scheme: Scheme,
        host: &CanonicalHost,
        port: u16,
        addresses: Option<&[IpAddr]>,
        method: Option<&str>,
    ) -> Decision {
        match self.decide_inner(scheme, host, port, addresses) {
            Ok(rule) => Decision::allow(allowed_reason(method, scheme, host, port), rule),
            Err(r) => deny(r),
        }
    }

    fn decide_inner(
        &self,
        scheme: Scheme,
        host: &CanonicalHost,
        port: u16,
        addresses: Option<&[IpAddr]>,
    ) -> Result<Option<String>, Refused> {
        self.check_scheme(scheme)?;
        let mut rule = self.decide_host(host, port)?;
        if let Some(list) = addresses {
            if list.is_empty() {
                return Err((
                    DecisionCode::ResolvedAddressDenied,
                    format!(
                        "host {host} resolved to no address; nothing was checked to connect to"
                    ),
                    None,
                ));
            }
            for ip in list {
                match self.judge_address(*ip, port) {
                    Ok(r) => rule = rule.or(r),
                    Err((_, reason, r)) => {
                        return Err((
                            DecisionCode::ResolvedAddressDenied,
                            format!("host {host} resolved to {ip}: {reason}"),
                            r,
                        ))
                    }
                }
            }
        }
        Ok(rule)
    }

    /// Rules 5 and 6 (the host) on a parsed destination.
    fn decide_host(&self, host: &CanonicalHost, port: u16) -> Result<Option<String>, Refused> {
        Ok(match host {
            CanonicalHost::Name(name) => {
                if let Some(e) = self.blocked.first_covering_host(host) {
                    return Err((
                        DecisionCode::BlockedDomain,
                        format!(
                            "host {name:?} is under the blocked domain {:?}",
                            e.raw.trim()
                        ),
                        Some(e.rule()),
                    ));
                }
                if let Some(cloud) = cloud_metadata_name(name) {
                    return Err((
                        DecisionCode::MetadataEndpoint,
                        format!("host {name:?} is a cloud metadata name ({cloud}); it only answers inside a cloud and serves credentials"),
                        None,
                    ));
                }
                let loopback = is_loopback_name(name);
                if loopback && !self.allow_localhost {
                    return Err((
                        DecisionCode::LocalhostNotAllowed,
                        format!("host {name:?} is the local host and allow_localhost is false"),
                        Some("network.allow_localhost: false".into()),
                    ));
                }
                // allow_localhost admits loopback by itself: an allow-list
                // names remote hosts and need not repeat `localhost`.
                if loopback {
                    Some("network.allow_localhost: true".into())
                } else {
                    self.match_allowlist(host, port)?.map(HostEntry::rule)
                }
            }
            CanonicalHost::Ip(ip) => {
                let exception = self.judge_address(*ip, port)?;
                if matches!(classify(*ip).kind, AddressKind::Loopback) {
                    // judge_address admitted it, so allow_localhost is true.
                    exception
                } else {
                    self.match_allowlist(host, port)?
                        .map(HostEntry::rule)
                        .or(exception)
                }
            }
        })
    }

    fn check_scheme(&self, scheme: Scheme) -> Result<(), Refused> {
        let (allowed, field) = if scheme.is_tls() {
            (self.allow_https, "allow_https")
        } else {
            (self.allow_http, "allow_http")
        };
        if allowed {
            Ok(())
        } else {
            Err((
                DecisionCode::SchemeNotAllowed,
                format!("scheme {scheme} is not allowed: {field} is false"),
                Some(format!("network.{field}: false")),
            ))
        }
    }

    /// Rule 6's allow-list: `Ok(None)` when there is none (absent, `null`
    /// or empty), the matching entry, or a refusal naming the entry whose
    /// port did not fit.
    fn match_allowlist(
        &self,
        host: &CanonicalHost,
        port: u16,
    ) -> Result<Option<&HostEntry>, Refused> {
        if self.any_name {
            return Ok(None);
        }
        // The first covering entry (in list order) that admits the port
        // decides; else the first covering entry names the port refused.
        let (admitting, port_mismatch) = self
            .allowed
            .first_covering_host_where(host, |e| e.admits_port(port));
        if admitting.is_some() {
            return Ok(admitting);
        }
        if let Some(e) = port_mismatch {
            return Err((
                DecisionCode::PortNotAllowed,
                format!(
                    "port {port} of host {host} is not allowed: the entry {:?} allows only port {}",
                    e.raw.trim(),
                    e.port.unwrap_or_default()
                ),
                Some(e.rule()),
            ));
        }
        let hint = match host {
            CanonicalHost::Ip(_) => " (an IP address matches only IP and CIDR entries)",
            CanonicalHost::Name(_) => "",
        };
        Err((
            DecisionCode::DomainNotAllowed,
            format!("host {host} matches no entry of network.allowed_domains{hint}"),
            Some("network.allowed_domains".into()),
        ))
    }

    /// Rule 7 for one address (an IP literal or a resolved address):
    /// `Ok(rule)` when allowed (the rule that opened a special range, if
    /// any), else a refusal.
    fn judge_address(&self, ip: IpAddr, port: u16) -> Result<Option<String>, Refused> {
        if let Some(e) = self.blocked.first_covering_address(ip) {
            return Err((
                DecisionCode::BlockedDomain,
                format!("address {ip} is under the blocked entry {:?}", e.raw.trim()),
                Some(e.rule()),
            ));
        }
        let class = classify(ip);
        let opening_entry = |exact: bool| {
            self.allowed
                .covering_address(ip)
                .into_iter()
                .find(|e| e.admits_port(port) && (!exact || e.is_single_address()))
                .map(|e| Some(e.rule()))
        };
        match class.kind {
            AddressKind::Public => Ok(None),
            AddressKind::Loopback if self.allow_localhost => Ok(Some("network.allow_localhost: true".into())),
            AddressKind::Loopback => Err((
                DecisionCode::LocalhostNotAllowed,
                format!("{} is a loopback address and allow_localhost is false", class.describe()),
                Some("network.allow_localhost: false".into()),
            )),
            AddressKind::Forbidden => Err((
                if class.embeds_metadata {
                    DecisionCode::MetadataEndpoint
                } else {
                    DecisionCode::PrivateAddress
                },
                format!("{} is never a valid destination", class.describe()),
                None,
            )),
            AddressKind::Special => opening_entry(false).ok_or_else(|| {
                (
                    if class.embeds_metadata {
                        DecisionCode::MetadataEndpoint
                    } else {
                        DecisionCode::PrivateAddress
                    },
                    format!(
                        "{} is not a public address; list the address or its CIDR block in network.allowed_domains to allow it",
                        class.describe()
                    ),
                    None,
                )
            }),
            AddressKind::Metadata => opening_entry(true).ok_or_else(|| {
                (
                    DecisionCode::MetadataEndpoint,
                    format!(
                        "{} serves cloud credentials; only an allowed_domains entry naming exactly this address opens it",
                        class.describe()
                    ),
                    None,
                )
            }),
        }
    }
}

/// The reason of an allow decision: `GET https://github.com:443 is allowed`
/// (the method upper-cased, when there is one). Written piece by piece: it
/// is built on every allowed request.
fn allowed_reason(method: Option<&str>, scheme: Scheme, host: &CanonicalHost, port: u16) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(method.map_or(0, |m| m.len() + 1) + host_len_hint(host) + 32);
    if let Some(m) = method {
        s.extend(m.chars().map(|c| c.to_ascii_uppercase()));
        s.push(' ');
    }
    s.push_str(scheme.as_str());
    s.push_str("://");
    match host {
        CanonicalHost::Name(n) => s.push_str(n),
        ip => {
            let _ = write!(s, "{ip}");
        }
    }
    s.push(':');
    let mut digits = [0u8; 5];
    let mut at = digits.len();
    let mut n = port;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    s.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
    s.push_str(" is allowed");
    s
}

fn host_len_hint(host: &CanonicalHost) -> usize {
    match host {
        CanonicalHost::Name(n) => n.len(),
        CanonicalHost::Ip(_) => 41,
    }
}

/// Rule 4's method list.
fn check_method(method: &str) -> Result<(), Decision> {
    if ALLOWED_METHODS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
    {
        Ok(())
    } else {
        Err(Decision::deny(
            DecisionCode::MethodNotAllowed,
            format!(
                "method {method:?} is not allowed; allowed: {}",
                ALLOWED_METHODS.join(", ")
            ),
            None,
        ))
    }
}

#[cfg(test)]
mod tests;
