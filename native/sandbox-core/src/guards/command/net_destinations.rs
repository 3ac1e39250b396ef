//! Where the tools the analysis models connect: a URL or a remote that a
//! tool will fetch from (or push to) is judged by the policy's network
//! guard, the one behind `checkNetworkRequest`, and a destination it
//! refuses refuses the command with the guard's own code. An agent that
//! runs the command with its own executor has only this check, so it must
//! agree with what the network guard says of the same destination. See
//! docs/commands.md, "Network destinations".

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::network::NetworkRequest;

/// How a tool reads a word that names where it connects.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Dest {
    /// A web URL (http, https, ws, wss): judged whole, as
    /// `checkNetworkRequest` judges it.
    Url(String),
    /// A host reached over another protocol (ssh, `git://`, ftp, …) on
    /// that port: judged by its host and port.
    Host { host: String, port: u16 },
    /// Not on the network: a local path or a `file:` URL (judged as files
    /// elsewhere).
    Local,
    /// A form the analysis does not read (an unknown scheme, a malformed
    /// authority): why.
    Unknown(String),
}

/// How a tool reads a word without `scheme://`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plain {
    /// curl: a URL whose scheme it guesses from the host (`ftp.x` is
    /// ftp, anything else http, or the `--proto-default`).
    Curl(&'static str),
    /// git and package managers: scp-like `[user@]host:path` is ssh; a
    /// word without `:` before its first `/` is local.
    Scp,
}

/// The port of each scheme the tools reach hosts by, other than the web
/// ones.
const PORTS: &[(&str, u16)] = &[
    ("ssh", 22),
    ("sftp", 22),
    ("scp", 22),
    ("git", 9418),
    ("ftp", 21),
    ("ftps", 990),
    ("dict", 2628),
    ("gopher", 70),
    ("gophers", 70),
    ("imap", 143),
    ("imaps", 993),
    ("ldap", 389),
    ("ldaps", 636),
    ("mqtt", 1883),
    ("pop3", 110),
    ("pop3s", 995),
    ("rtmp", 1935),
    ("rtsp", 554),
    ("smb", 445),
    ("smbs", 445),
    ("smtp", 25),
    ("smtps", 465),
    ("telnet", 23),
    ("tftp", 69),
    ("socks4", 1080),
    ("socks4a", 1080),
    ("socks5", 1080),
    ("socks5h", 1080),
];

/// Host prefixes from which curl guesses a scheme for a URL without one
/// (`tool_operate`/`urlapi` `guess_scheme`).
const CURL_GUESSES: &[(&str, &str)] = &[
    ("ftp.", "ftp"),
    ("dict.", "dict"),
    ("ldap.", "ldap"),
    ("imap.", "imap"),
    ("smtp.", "smtp"),
    ("pop3.", "pop3"),
];

/// The destination a tool reads in `v`.
pub(crate) fn destination(v: &str, plain: Plain) -> Dest {
    let Some(i) = v.find("://") else {
        return plain_destination(v, plain);
    };
    let scheme = v[..i].to_ascii_lowercase();
    // `git+https://…` (npm, pip): git fetches the URL after `git+`.
    let (scheme, url) = match scheme.strip_prefix("git+") {
        Some(s) => (s.to_string(), &v[4..]),
        None => (scheme, v),
    };
    let scheme = match scheme.as_str() {
        "ssh+git" => "ssh".to_string(),
        _ => scheme,
    };
    match scheme.as_str() {
        "http" | "https" | "ws" | "wss" => Dest::Url(url.to_string()),
        "file" => Dest::Local,
        s => match PORTS.iter().find(|(n, _)| *n == s) {
            Some((_, port)) => authority(&v[i + 3..], *port)
                .unwrap_or_else(|why| Dest::Unknown(format!("{}: {why}", clip(v)))),
            None => Dest::Unknown(format!(
                "{}: the scheme {s}: is not one the analysis reads",
                clip(v)
            )),
        },
    }
}

fn plain_destination(v: &str, plain: Plain) -> Dest {
    match plain {
        Plain::Curl(default) => {
            let lower = v.to_ascii_lowercase();
            let scheme = CURL_GUESSES
                .iter()
                .find(|(p, _)| lower.starts_with(p))
                .map_or(default, |(_, s)| s);
            destination(&format!("{scheme}://{v}"), plain)
        }
        Plain::Scp => {
            // git's `url_is_local_not_ssh`: a `:` before any `/` is ssh.
            match (v.find(':'), v.find('/')) {
                (Some(c), s) if s.is_none_or(|s| c < s) => {
                    let hostpart = &v[..c];
                    // `[host:port]:path` keeps its `:` inside brackets.
                    let hostpart = if let Some(rest) = v.strip_prefix('[').or_else(|| {
                        v.split_once("@[")
                            .filter(|(u, _)| !u.contains(':'))
                            .map(|(_, r)| r)
                    }) {
                        match rest.find(']') {
                            Some(e) => &rest[..e],
                            None => return Dest::Unknown(format!("{}: an unclosed [", clip(v))),
                        }
                    } else {
                        hostpart.rsplit('@').next().unwrap_or(hostpart)
                    };
                    if hostpart.is_empty() {
                        return Dest::Unknown(format!("{}: no host", clip(v)));
                    }
                    // Inside brackets, `host:port` or an IPv6 address.
                    if hostpart.parse::<std::net::Ipv6Addr>().is_ok() {
                        return Dest::Host {
                            host: format!("[{hostpart}]"),
                            port: 22,
                        };
                    }
                    match hostpart.rsplit_once(':') {
                        Some((h, p)) => match p.parse::<u16>() {
                            Ok(port) if !h.is_empty() => Dest::Host {
                                host: h.to_string(),
                                port,
                            },
                            _ => Dest::Unknown(format!("{}: a port that is not a number", clip(v))),
                        },
                        None => Dest::Host {
                            host: hostpart.to_string(),
                            port: 22,
                        },
                    }
                }
                _ => Dest::Local,
            }
        }
    }
}

/// The host and port of `rest`, the text after `scheme://`.
fn authority(rest: &str, default_port: u16) -> Result<Dest, String> {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..end];
    if auth.contains('\\') {
        return Err("a \\ in the authority, which parsers read differently".into());
    }
    let hostport = auth.rsplit('@').next().unwrap_or(auth);
    let (host, port) = if let Some(r) = hostport.strip_prefix('[') {
        let e = r.find(']').ok_or("an unclosed [ in the host")?;
        (&hostport[..e + 2], &r[e + 1..])
    } else {
        match hostport.rsplit_once(':') {
            Some((h, _)) => (h, &hostport[h.len()..]),
            None => (hostport, ""),
        }
    };
    let port = match port.strip_prefix(':') {
        None if port.is_empty() => default_port,
        Some("") => default_port,
        Some(p) => p
            .parse::<u16>()
            .map_err(|_| format!("the port {p:?} is not a number"))?,
        None => return Err("text after the host".into()),
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    Ok(Dest::Host {
        host: host.to_string(),
        port,
    })
}

/// The URL inside a package spec: `https://…`, `git+ssh://…`,
/// `name@https://…` (npm), `name @ https://…` (pip).
pub(crate) fn spec_url(v: &str) -> Option<&str> {
    let i = v.find("://")?;
    let start = v[..i]
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c)))
        .map_or(0, |k| k + 1);
    Some(&v[start..])
}

/// The part of a partly computed word that fixes the destination: a
/// literal `scheme://authority` followed by `/`, `?` or `#` (what follows
/// cannot change the host). `None` when the host itself is computed.
fn fixed_prefix(prefix: &str) -> Option<&str> {
    let i = prefix.find("://")?;
    let rest = &prefix[i + 3..];
    let end = rest.find(['/', '?', '#'])?;
    Some(&prefix[..i + 3 + end + 1])
}

impl Analyzer<'_> {
    /// `a` names where the tool (`via`) connects: judged by the policy's
    /// network guard. A destination it refuses is a deny with its code; a
    /// destination computed at run time or in a form not read asks (deny
    /// in whitelist mode) when the policy refuses some destinations.
    pub(crate) fn check_destination(&mut self, a: &Arg, plain: Plain, argv: &[Arg], via: &str) {
        if self.net.is_none() {
            return;
        }
        match a.lit() {
            Some(v) => self.check_destination_text(v, a, plain, argv, via),
            None => match fixed_prefix(&a.prefix) {
                Some(p) if a.template.is_none() => {
                    let p = p.to_string();
                    self.check_destination_text(&p, a, plain, argv, via)
                }
                _ => self.destination_unknown(
                    a,
                    argv,
                    format!(
                        "{via}: the destination {} is computed at run time; whether the network policy allows it is not known",
                        clip(&a.text)
                    ),
                ),
            },
        }
    }

    /// [`Analyzer::check_destination`] of the literal text `v` (one
    /// expansion of `a`).
    pub(crate) fn check_destination_text(
        &mut self,
        v: &str,
        a: &Arg,
        plain: Plain,
        argv: &[Arg],
        via: &str,
    ) {
        let Some(net) = self.net else { return };
        let d = match destination(v, plain) {
            Dest::Local => return,
            Dest::Unknown(why) => {
                return self.destination_unknown(a, argv, format!("{via}: {why}"));
            }
            Dest::Url(url) => net.check(&NetworkRequest {
                url: &url,
                method: "GET",
                addresses: None,
            }),
            Dest::Host { host, port } => net.check_host(&host, port),
        };
        self.refused_destination(d, v, a, argv, via);
    }

    /// A package spec a package manager fetches: the URL in it, or an
    /// scp-like git remote (`git@host:org/r`), is a destination.
    pub(crate) fn check_spec_destination(&mut self, a: &Arg, argv: &[Arg], via: &str) {
        let Some(v) = a.lit() else { return };
        if let Some(u) = spec_url(v) {
            self.check_destination_text(u, a, Plain::Scp, argv, via);
        } else if super::implied::ssh_spec(v) {
            self.check_destination_text(v, a, Plain::Scp, argv, via);
        }
    }

    /// `host` on `port` is where the tool connects (an address of
    /// `curl --resolve`): judged by the host rules.
    pub(crate) fn check_host_destination(
        &mut self,
        host: &str,
        port: u16,
        a: &Arg,
        argv: &[Arg],
        via: &str,
    ) {
        let Some(net) = self.net else { return };
        let d = net.check_host(host, port);
        self.refused_destination(d, &format!("{host}:{port}"), a, argv, via);
    }

    fn refused_destination(
        &mut self,
        d: crate::decision::Decision,
        shown: &str,
        a: &Arg,
        argv: &[Arg],
        via: &str,
    ) {
        if d.is_allowed() {
            return;
        }
        self.finding(
            Verdict::Deny,
            d.code,
            format!(
                "{via} connects to {}, which the network policy refuses: {}",
                clip(shown),
                d.reason
            ),
            a.span,
            argv,
            d.rule,
        );
    }

    /// A destination that cannot be judged: not modelled when the policy
    /// refuses some destinations, else nothing to decide.
    pub(crate) fn destination_unknown(&mut self, a: &Arg, argv: &[Arg], message: String) {
        if self.net.is_some_and(|n| n.restricts_destinations()) {
            self.unmodelled(DecisionCode::UnmodelledOperand, message, a.span, argv);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(h: &str, port: u16) -> Dest {
        Dest::Host {
            host: h.into(),
            port,
        }
    }

    #[test]
    fn destinations_are_read_as_the_tools_read_them() {
        let curl = Plain::Curl("http");
        assert_eq!(
            destination("https://x.example/a", curl),
            Dest::Url("https://x.example/a".into())
        );
        assert_eq!(
            destination("x.example/a", curl),
            Dest::Url("http://x.example/a".into())
        );
        assert_eq!(
            destination("ftp.x.example/a", curl),
            host("ftp.x.example", 21)
        );
        assert_eq!(destination("file:///etc/passwd", curl), Dest::Local);
        assert_eq!(
            destination("git+https://e.example/r.git", Plain::Scp),
            Dest::Url("https://e.example/r.git".into())
        );
        assert_eq!(
            destination("ssh://u@e.example:2222/r", Plain::Scp),
            host("e.example", 2222)
        );
        assert_eq!(
            destination("git+ssh://git@e.example/r", Plain::Scp),
            host("e.example", 22)
        );
        assert_eq!(
            destination("git://e.example/r", Plain::Scp),
            host("e.example", 9418)
        );
        assert_eq!(
            destination("git@e.example:org/r.git", Plain::Scp),
            host("e.example", 22)
        );
        assert_eq!(
            destination("e.example:r.git", Plain::Scp),
            host("e.example", 22)
        );
        assert_eq!(
            destination("[e.example:2200]:r", Plain::Scp),
            host("e.example", 2200)
        );
        assert_eq!(destination("u@[::1]:r", Plain::Scp), host("[::1]", 22));
        assert_eq!(
            destination("ssh://[::1]:22/r", Plain::Scp),
            host("[::1]", 22)
        );
        assert_eq!(destination("../mirror", Plain::Scp), Dest::Local);
        assert_eq!(destination("dir/a:b", Plain::Scp), Dest::Local);
        assert!(matches!(
            destination("ssh://e.example:x/r", Plain::Scp),
            Dest::Unknown(_)
        ));
        assert!(matches!(
            destination("weird://e.example/r", Plain::Scp),
            Dest::Unknown(_)
        ));
        assert_eq!(
            spec_url("x @ https://e.example/x.whl"),
            Some("https://e.example/x.whl")
        );
        assert_eq!(
            spec_url("x@git+ssh://e.example/r"),
            Some("git+ssh://e.example/r")
        );
        assert_eq!(spec_url("left-pad"), None);
        assert_eq!(
            fixed_prefix("https://e.example/"),
            Some("https://e.example/")
        );
        assert_eq!(fixed_prefix("https://e.example"), None);
        assert_eq!(fixed_prefix("https://"), None);
    }
}
