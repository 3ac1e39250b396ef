//! Raw-input hygiene and WHATWG parsing of URLs (docs/policy.md, Network,
//! rules 2–5). Everything here is independent of the policy.
//!
//! The screen runs on the raw text *before* the parser because the WHATWG
//! parser is forgiving where other parsers are not: it silently drops TAB
//! and newlines, treats `\` like `/` in special URLs, and accepts user
//! information. Each of these is a place where the guard and the client that
//! finally fetches the URL could disagree about the host, so they are
//! refused outright.

use url::Url;

use super::host::{parse_port, CanonicalHost};
use super::Scheme;

/// Longest URL text the guard analyses; longer input is refused (bounded cost).
pub const MAX_URL_LEN: usize = 64 * 1024;

/// Why raw input was refused, before any policy rule applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The text is unsafe to hand to any parser (`UNSAFE_URL`).
    Unsafe(String),
    /// The text does not parse (`INVALID_URL`).
    Invalid(String),
    /// The scheme is not one the guard can ever allow (`SCHEME_NOT_ALLOWED`).
    Scheme(String),
}

/// Characters WHATWG trims from both ends (ASCII whitespace); everything
/// else stays and is judged.
fn is_trimmed(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// A readable name for a character in reasons: `U+0009 (TAB)`.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\t' => " (TAB)",
        '\n' => " (LF)",
        '\r' => " (CR)",
        '\x7f' => " (DEL)",
        '\\' => " (backslash)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Rule 2 on a whole URL or a redirect `Location`: trim surrounding
/// whitespace, then refuse control characters and `\` anywhere and an `@`
/// in the authority. Returns the trimmed text.
pub fn screen(raw: &str) -> Result<&str, InputError> {
    let text = raw.trim_matches(is_trimmed);
    if text.is_empty() {
        return Err(InputError::Invalid("the URL is empty".into()));
    }
    if text.len() > MAX_URL_LEN {
        return Err(InputError::Invalid(format!(
            "the URL is {} bytes long; at most {MAX_URL_LEN} are analysed",
            text.len()
        )));
    }
    // TAB, CR, LF and NUL are what docs/network.md names; every other C0 control
    // and DEL is refused too: none belongs in a URL an agent sends.
    // On bytes: an ASCII byte in UTF-8 is always the character itself, so
    // the byte offset is the character's and no decoding is needed.
    if let Some(i) = text
        .bytes()
        .position(|b| b.is_ascii_control() || b == b'\\')
    {
        return Err(InputError::Unsafe(format!(
            "{} at byte {i} of the URL; WHATWG parsers drop or reinterpret it while others do not",
            describe_char(char::from(text.as_bytes()[i]))
        )));
    }
    if let Some(authority) = raw_authority(text) {
        if authority.contains('@') {
            return Err(InputError::Unsafe(format!(
                "'@' in the authority {authority:?}: user information is not allowed (it hides the real host)"
            )));
        }
    }
    Ok(text)
}

/// The authority part of the raw text as a WHATWG parser of a special URL
/// would cut it: after `scheme:` and any number of slashes (or after `//`
/// for a scheme-relative reference), up to the first `/`, `?` or `#`.
/// `None` when the text has no authority (a path-relative reference).
fn raw_authority(text: &str) -> Option<&str> {
    let rest = if let Some(rest) = text.strip_prefix("//") {
        rest
    } else {
        let colon = text.find(':')?;
        let scheme = &text[..colon];
        let mut chars = scheme.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid {
            return None;
        }
        &text[colon + 1..]
    };
    let rest = rest.trim_start_matches('/');
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// A parsed, screened URL and the destination it names.
#[derive(Debug, Clone)]
pub struct ParsedUrl {
    pub url: Url,
    pub scheme: Scheme,
    pub host: CanonicalHost,
    pub port: u16,
}

/// Rules 2–5: screen, parse with WHATWG semantics, refuse credentials and
/// schemes other than http/https/ws/wss, canonicalize the host, take the
/// explicit or default port.
pub fn parse(raw: &str) -> Result<ParsedUrl, InputError> {
    let text = screen(raw)?;
    let url = Url::parse(text)
        .map_err(|e| InputError::Invalid(format!("{text:?} does not parse as a URL: {e}")))?;
    from_url(url)
}

/// Rules 3–5 on a URL that is already parsed (a resolved redirect).
pub fn from_url(url: Url) -> Result<ParsedUrl, InputError> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(InputError::Unsafe(
            "the URL carries user information (credentials); send them in a header instead".into(),
        ));
    }
    let scheme = Scheme::parse(url.scheme()).ok_or_else(|| {
        InputError::Scheme(format!(
            "scheme {:?} is never allowed; only http, https, ws and wss can be",
            url.scheme()
        ))
    })?;
    let host = match url.host() {
        Some(h) => CanonicalHost::from_url_host(h).map_err(InputError::Invalid)?,
        None => return Err(InputError::Invalid("the URL has no host".into())),
    };
    let port = url.port().unwrap_or(scheme.default_port());
    if port == 0 {
        return Err(InputError::Invalid(
            "port 0 is not a destination port".into(),
        ));
    }
    Ok(ParsedUrl {
        url,
        scheme,
        host,
        port,
    })
}

/// Resolve a redirect's `Location` against the URL that answered, after the
/// same screen as a whole URL (WHATWG reference resolution, as browsers do).
pub fn resolve_location(current: &str, location: &str) -> Result<Url, InputError> {
    let base_text = screen(current)?;
    let base = Url::parse(base_text)
        .map_err(|e| InputError::Invalid(format!("{base_text:?} does not parse as a URL: {e}")))?;
    let location = screen(location)?;
    base.join(location).map_err(|e| {
        InputError::Invalid(format!(
            "Location {location:?} does not resolve against {base_text:?}: {e}"
        ))
    })
}

/// Split a CONNECT authority `host:port` / `[v6]:port`; the port is required.
pub fn split_authority(authority: &str) -> Result<(&str, u16), InputError> {
    let invalid = |why: &str| {
        InputError::Invalid(format!(
            "authority {authority:?}: {why}; expected host:port"
        ))
    };
    let colon = authority.rfind(':').ok_or_else(|| invalid("no port"))?;
    let (host, port) = (&authority[..colon], &authority[colon + 1..]);
    if host.contains(':') && !(host.starts_with('[') && host.ends_with(']')) {
        return Err(invalid("an IPv6 address needs brackets"));
    }
    let port = parse_port(port).map_err(|e| invalid(&e))?;
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsafe_(s: &str) -> bool {
        matches!(screen(s), Err(InputError::Unsafe(_)))
    }

    #[test]
    fn screen_refuses_what_parsers_disagree_on() {
        assert!(unsafe_("https://git\thub.com/"));
        assert!(unsafe_("https://github.com\n/"));
        assert!(unsafe_("https://github.com\0.evil.com/"));
        assert!(unsafe_("https://github.com\\@evil.com/"));
        assert!(unsafe_("https://github.com/a\\b"));
        assert!(unsafe_("https://@github.com/"));
        assert!(unsafe_("https://user:pass@github.com/"));
        assert!(unsafe_("https:github.com:443@evil.com"));
        assert!(unsafe_("https:////u@evil.com/"));
        assert!(unsafe_("//u@evil.com/"));
        assert!(unsafe_("https://a\u{7f}b.com/"));
        // '@' after the authority is data, not user information.
        assert_eq!(
            screen("  https://github.com/#@evil.com \n"),
            Ok("https://github.com/#@evil.com")
        );
        assert!(screen("https://api.github.com/search?q=a@evil.com").is_ok());
        assert!(screen("https://github.com/user@x").is_ok());
        assert!(screen("/codeload/a@b").is_ok());
        assert!(matches!(screen(" \t "), Err(InputError::Invalid(_))));
        assert!(matches!(
            screen(&"a".repeat(MAX_URL_LEN + 1)),
            Err(InputError::Invalid(_))
        ));
    }

    #[test]
    fn parse_canonicalizes() {
        let p = parse("https://GitHub.COM.:443/x?y#z").unwrap();
        assert_eq!(p.host, CanonicalHost::Name("github.com".into()));
        assert_eq!(p.port, 443);
        let p = parse("http://0x7f.1/").unwrap();
        assert_eq!(p.host, CanonicalHost::Ip("127.0.0.1".parse().unwrap()));
        assert_eq!(p.port, 80);
        let p = parse("wss://[::ffff:7f00:1]:8443/").unwrap();
        assert_eq!(p.host, CanonicalHost::Ip("127.0.0.1".parse().unwrap()));
        assert_eq!(p.port, 8443);
        assert!(matches!(
            parse("http://example.com:0/"),
            Err(InputError::Invalid(_))
        ));
        assert!(matches!(
            parse("ftp://example.com/"),
            Err(InputError::Scheme(_))
        ));
        assert!(matches!(parse("github.com"), Err(InputError::Invalid(_))));
        assert!(matches!(
            parse("https://github.com../"),
            Err(InputError::Invalid(_))
        ));
    }

    #[test]
    fn redirects_resolve_like_browsers() {
        let u = resolve_location("https://github.com/a/b.zip", "/codeload/main.zip").unwrap();
        assert_eq!(u.as_str(), "https://github.com/codeload/main.zip");
        let u = resolve_location("https://github.com/a", "//evil.com/x").unwrap();
        assert_eq!(u.host_str(), Some("evil.com"));
        assert!(matches!(
            resolve_location("https://github.com/a", "//u@evil.com/"),
            Err(InputError::Unsafe(_))
        ));
        assert!(matches!(
            resolve_location("https://github.com/a", "\\\\evil.com/"),
            Err(InputError::Unsafe(_))
        ));
    }

    #[test]
    fn authorities() {
        assert_eq!(
            split_authority("github.com:443").unwrap(),
            ("github.com", 443)
        );
        assert_eq!(split_authority("[::1]:8080").unwrap(), ("[::1]", 8080));
        assert!(split_authority("github.com").is_err());
        assert!(split_authority("::1:80").is_err());
        assert!(split_authority("github.com:0").is_err());
    }
}
