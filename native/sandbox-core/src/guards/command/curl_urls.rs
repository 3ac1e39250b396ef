//! What curl does with a URL word before it opens anything: the tool
//! expands `{a,b}` and `[1-3]` globs (in URLs and in `-T` names), libcurl
//! parses a `file:` URL (a host part of `localhost` or `127.0.0.1` only,
//! dot segments removed unless `--path-as-is`, the path ending at `?` or
//! `#`) and `file.c` percent-decodes the path (`%2e%2e` is `..` then,
//! `%2f` a `/`). Every `file:` URL is a file access: a read, and a write
//! when curl uploads to it (`-T`), to `DIR/NAME` when the URL ends in `/`.
//! What cannot be decoded or located is not modelled. See
//! docs/commands.md, "curl".

use super::computed_names::CurlNames;
use super::net_destinations::Plain;
use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// The most words a glob is expanded to; more is not modelled.
const MAX_EXPANSIONS: usize = 256;

/// The words curl's glob makes of `s` (tool_urlglob.c): `{a,b}` sets
/// (`\` takes the next character literally, a nested `{` or `[` is an
/// error) and `\{`, `\[`, `\}`, `\]` outside them. A `[…]` range is not
/// expanded: `None`, as is an error or more than [`MAX_EXPANSIONS`].
pub(crate) fn curl_glob(s: &str) -> Option<Vec<String>> {
    let mut out = vec![String::new()];
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('{' | '[' | '}' | ']')) => {
                let n = chars.next()?;
                out.iter_mut().for_each(|w| w.push(n));
            }
            '{' => {
                let mut items = vec![String::new()];
                loop {
                    match chars.next()? {
                        '}' => break,
                        ',' => items.push(String::new()),
                        '{' | '[' => return None,
                        '\\' => {
                            let n = chars.next()?;
                            items.last_mut()?.push(n);
                        }
                        x => items.last_mut()?.push(x),
                    }
                }
                if out.len() * items.len() > MAX_EXPANSIONS {
                    return None;
                }
                out = out
                    .iter()
                    .flat_map(|w| items.iter().map(move |i| format!("{w}{i}")))
                    .collect();
            }
            '[' | '}' | ']' => return None,
            x => out.iter_mut().for_each(|w| w.push(x)),
        }
    }
    Some(out)
}

/// The paths a `file:` URL opens, or `Ok(None)` when `url` is not a
/// `file:` URL; `Err` says why the path is not known.
pub(crate) fn file_url_paths(url: &str, path_as_is: bool) -> Result<Option<Vec<String>>, String> {
    let lower = url.to_ascii_lowercase();
    if !lower.starts_with("file:") {
        return Ok(None);
    }
    let rest = &url[5..];
    let path = match rest.strip_prefix("//") {
        Some(r) if r.starts_with('/') => r,
        Some(r) => {
            let l = r.to_ascii_lowercase();
            if l.starts_with("localhost/") || l.starts_with("127.0.0.1/") {
                &r[9..]
            } else {
                return Err("has a host part (curl opens only an empty host, localhost or 127.0.0.1; another is a share on Windows)".into());
            }
        }
        None if rest.starts_with('/') => rest,
        None => return Err("has no absolute path; write file:///PATH".into()),
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    // `/C:` is a drive on Windows and refused elsewhere.
    let b = path.as_bytes();
    if b.len() >= 3 && b[1].is_ascii_alphabetic() && matches!(b[2], b':' | b'|') {
        return Err("names a drive letter".into());
    }
    let mut out = Vec::new();
    let forms = if path_as_is {
        vec![path.to_string()]
    } else {
        // libcurl removes dot segments before decoding; the decoded `..`
        // of `%2e%2e` is left to the system. Both readings are judged.
        vec![remove_dot_segments(path), path.to_string()]
    };
    for f in forms {
        let d = percent_decode(&f).ok_or_else(|| {
            "has an escape that is not UTF-8 or is %00 (the path is not known)".to_string()
        })?;
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(Some(out))
}

/// `%XY` becomes the byte (curl's `Curl_urldecode`); an invalid escape
/// stays as it is. `None` for `%00` (curl refuses the URL) or a result
/// that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                let v = (h * 16 + l) as u8;
                if v == 0 {
                    return None;
                }
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// RFC 3986 dot-segment removal of an absolute path, as libcurl's
/// `dedotdotify` does it: `.` goes, `..` takes the segment before it; a
/// path that ends in one of them ends in `/`.
fn remove_dot_segments(path: &str) -> String {
    let segs: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let mut out: Vec<&str> = Vec::new();
    let mut dir = false;
    for s in &segs {
        dir = matches!(*s, "." | "..");
        match *s {
            "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(s),
        }
    }
    let mut p = format!("/{}", out.join("/"));
    if dir && !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// The files a `--cert`/`--proxy-cert` value `FILE[:PASSWORD]` may name,
/// read as curl's `parse_cert_parameter` reads it: `\\:` is a colon and
/// `\\\\` a backslash of the name, the first other `:` ends it; on Windows
/// a drive letter's colon (`C:\\`, `C:/`) belongs to the name, so both
/// readings are given. Empty for a `pkcs11:` URI.
pub(crate) fn cert_files(v: &str) -> Vec<String> {
    if v.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("pkcs11:"))
    {
        return Vec::new();
    }
    let name = |prefix: &str, rest: &str| {
        let mut out = prefix.to_string();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.peek() {
                    Some(&n @ ('\\' | ':')) => {
                        out.push(n);
                        chars.next();
                    }
                    _ => out.push('\\'),
                },
                ':' => break,
                c => out.push(c),
            }
        }
        out
    };
    let mut out = vec![name("", v)];
    let b = v.as_bytes();
    if b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/') {
        out.push(name(&v[..2], &v[2..]));
    }
    out
}

/// The Unix socket a proxy value connects to: a SOCKS proxy whose host is
/// `localhost` with a path (`socks5h://localhost/run/x.sock`, curl 7.84+);
/// any proxy value of that shape is taken as one (judging it can only
/// refuse more). `None` when the value names no path; `Err` when the
/// path cannot be decoded.
pub(crate) fn proxy_socket(v: &str) -> Option<Result<String, String>> {
    let rest = v.split_once("://").map_or(v, |(_, r)| r);
    let slash = rest.find('/')?;
    let authority = &rest[..slash];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    if !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = rest[slash..].split(['?', '#']).next().unwrap_or("");
    if path == "/" {
        return None;
    }
    Some(percent_decode(path).ok_or_else(|| {
        "names a proxy socket whose path has an escape that is not UTF-8 or is %00".to_string()
    }))
}

/// The name curl appends to an upload URL that ends in `/`: the local
/// name after its last `/` or `\`.
fn upload_base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

impl Analyzer<'_> {
    /// Every `file:` URL of a curl command line: each word (an option's
    /// value too) is read as a URL after curl's glob expansion.
    pub(crate) fn curl_file_urls(&mut self, argv: &[Arg], st: &CurlNames) {
        // With `-g` a glob is literal, unless `--next` starts another
        // transfer without it: then both readings are judged.
        let expand = !st.globoff || st.next;
        let upload = !st.uploads.is_empty();
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else {
                continue;
            };
            // curl expands `{a,b}` and `[a-z]` in a URL: a glob in the
            // scheme can spell `file`.
            let scheme = v.split(':').next().unwrap_or("");
            if v.contains(':')
                && scheme.contains(['{', '['])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.{}[],\\".contains(c))
            {
                self.curl_url_unmodelled(a, argv, "has a glob in its scheme, which curl expands (it can be file:); use the plain scheme");
                continue;
            }
            let lower = v.to_ascii_lowercase();
            // An upload or quote commands to an SFTP/SCP (or FTP) server
            // write, rename and delete files on that host, in a tree the
            // analysis cannot see (with the host this machine, the home).
            let remote_files = lower.starts_with("sftp:") || lower.starts_with("scp:");
            let ftp = lower.starts_with("ftp:") || lower.starts_with("ftps:");
            if (upload && remote_files) || (st.quotes && (remote_files || ftp)) {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "curl {} {}: changes files on the remote host, which the analysis cannot see",
                        if upload { "-T" } else { "-Q" },
                        clip(v)
                    ),
                    a.span,
                    argv,
                );
                continue;
            }
            if !lower.starts_with("file:") {
                continue;
            }
            let mut words = vec![v.to_string()];
            if expand && v.contains(['{', '[', '\\']) {
                match curl_glob(v) {
                    Some(w) => words.extend(w),
                    None => {
                        self.curl_url_unmodelled(a, argv, "holds a glob curl expands that the analysis does not model ([…] ranges, nesting, too many names)");
                        continue;
                    }
                }
            }
            for w in words {
                let paths = match file_url_paths(&w, st.path_as_is) {
                    Ok(Some(p)) => p,
                    Ok(None) => continue,
                    Err(why) => {
                        self.curl_url_unmodelled(a, argv, &why);
                        continue;
                    }
                };
                for p in paths {
                    let t = Arg::literal(&p, a.span);
                    self.check_file(&t, Read, argv, "curl file:");
                    if upload {
                        self.curl_upload_target(&p, a, argv, st, expand);
                    }
                }
            }
        }
    }

    /// Every URL curl transfers (operands, `--url`), after its glob
    /// expansion, is a destination the network policy judges.
    pub(crate) fn curl_destinations(&mut self, argv: &[Arg], st: &CurlNames) {
        if self.net.is_none() {
            return;
        }
        let expand = !st.globoff || st.next;
        let plain = Plain::Curl(if st.https_default { "https" } else { "http" });
        for a in &st.urls {
            let Some(v) = a.lit() else {
                self.check_destination(a, plain, argv, "curl");
                continue;
            };
            let mut words = Vec::new();
            if !expand || st.globoff || !v.contains(['{', '[', '\\']) {
                words.push(v.to_string());
            }
            if expand && v.contains(['{', '[', '\\']) {
                match curl_glob(v) {
                    Some(w) => words.extend(w),
                    None => {
                        self.destination_unknown(
                            a,
                            argv,
                            format!("curl: the URL {} holds a glob curl expands that the analysis does not model, so where it connects is not known", clip(v)),
                        );
                        continue;
                    }
                }
            }
            for w in words {
                self.check_destination_text(&w, a, plain, argv, "curl");
            }
        }
    }

    /// `-T '{.env,x}'` uploads `.env` and `x`: each name curl's glob
    /// makes of an upload's name is read.
    pub(crate) fn curl_upload_globs(&mut self, argv: &[Arg], st: &CurlNames) {
        if st.globoff && !st.next {
            return;
        }
        for u in &st.uploads {
            let Some(v) = u.lit().filter(|v| v.contains(['{', '[', '\\'])) else {
                continue;
            };
            let Some(names) = curl_glob(v) else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("curl -T {}: curl expands the glob in the name into the files it uploads; this one ([…] ranges, nesting, too many names) is not modelled", clip(v)),
                    u.span,
                    argv,
                );
                continue;
            };
            for n in names
                .iter()
                .filter(|n| !n.is_empty() && *n != "-" && *n != ".")
            {
                let mut t = Arg::literal(n, u.span);
                t.home = n == "~" || n.starts_with("~/");
                self.check_file(&t, Read, argv, "curl -T");
            }
        }
    }

    /// An upload (`-T`) to the `file:` path `p` writes it, or, when `p`
    /// ends in `/`, the upload's own name in that directory.
    fn curl_upload_target(&mut self, p: &str, a: &Arg, argv: &[Arg], st: &CurlNames, expand: bool) {
        let t = Arg::literal(p, a.span);
        self.check_file(&t, Write, argv, "curl -T file:");
        if !p.ends_with('/') {
            return;
        }
        for u in &st.uploads {
            let Some(name) = u.lit() else {
                self.curl_url_unmodelled(
                    a,
                    argv,
                    "ends in / and an upload's name, computed at run time, is appended to it",
                );
                continue;
            };
            if name == "-" || name == "." {
                continue;
            }
            let mut names = vec![name.to_string()];
            if expand {
                names.extend(curl_glob(name).unwrap_or_default());
            }
            for n in names {
                let base = upload_base(&n);
                if base.is_empty() || base == "." || base == ".." {
                    continue;
                }
                let t = Arg::literal(&format!("{p}{base}"), a.span);
                self.check_file(&t, Write, argv, "curl -T file:");
            }
        }
    }

    fn curl_url_unmodelled(&mut self, a: &Arg, argv: &[Arg], why: &str) {
        self.unmodelled(
            DecisionCode::UnmodelledOperand,
            format!("curl: the URL {} {why}", clip(&a.shown())),
            a.span,
            argv,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_are_expanded_as_curl_expands_them() {
        assert_eq!(curl_glob("a").unwrap(), ["a"]);
        assert_eq!(curl_glob("{.env,x}").unwrap(), [".env", "x"]);
        assert_eq!(curl_glob(".en{v,}").unwrap(), [".env", ".en"]);
        assert_eq!(
            curl_glob("{a,b}/{c,d}").unwrap(),
            ["a/c", "a/d", "b/c", "b/d"]
        );
        assert_eq!(curl_glob("{a\\,b,c}").unwrap(), ["a,b", "c"]);
        assert_eq!(curl_glob("\\{x\\}").unwrap(), ["{x}"]);
        assert!(curl_glob("[1-3]").is_none());
        assert!(curl_glob("{a,{b}}").is_none());
        assert!(curl_glob("{a").is_none());
        assert!(curl_glob("a}").is_none());
        assert!(curl_glob(&"{a,b}".repeat(9)).is_none());
    }

    #[test]
    fn file_urls_are_decoded_as_curl_decodes_them() {
        let p = |u: &str| file_url_paths(u, false).unwrap().unwrap();
        assert_eq!(p("file:///w/.en%76"), ["/w/.env"]);
        assert_eq!(p("file:///w/secrets%2fk"), ["/w/secrets/k"]);
        assert_eq!(p("FILE:///w/%2e%2e/h/k"), ["/w/../h/k"]);
        assert_eq!(
            p("file:///w/x/../.git/config"),
            ["/w/.git/config", "/w/x/../.git/config"]
        );
        assert_eq!(
            p("file:///w/.git/hooks/x/.."),
            ["/w/.git/hooks/", "/w/.git/hooks/x/.."]
        );
        assert_eq!(p("file://localhost/w/a"), ["/w/a"]);
        assert_eq!(p("file://LOCALHOST/w/a?x#y"), ["/w/a"]);
        assert_eq!(p("file://127.0.0.1/w/a"), ["/w/a"]);
        assert_eq!(p("file:/w/a"), ["/w/a"]);
        assert_eq!(p("file:///w/a%zz"), ["/w/a%zz"]);
        assert_eq!(
            file_url_paths("file:///w/a/../b", true).unwrap().unwrap(),
            ["/w/a/../b"]
        );
        assert!(file_url_paths("https://x/a", false).unwrap().is_none());
        for bad in [
            "file://host/w/a",
            "file:w/a",
            "file:///w/%ff",
            "file:///w/a%00b",
            "file:///c:/x",
        ] {
            assert!(file_url_paths(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn certificate_files_and_proxy_sockets() {
        assert_eq!(cert_files("c.pem"), ["c.pem"]);
        assert_eq!(cert_files(".env:pw"), [".env"]);
        assert_eq!(cert_files("a\\:b:pw"), ["a:b"]);
        assert_eq!(cert_files("a\\\\b"), ["a\\b"]);
        assert_eq!(cert_files("a\\xb"), ["a\\xb"]);
        assert_eq!(cert_files("C:\\k.pem:pw"), ["C", "C:\\k.pem"]);
        assert!(cert_files("PKCS11:token=x").is_empty());
        let sock = |v: &str| proxy_socket(v).map(|r| r.unwrap());
        assert_eq!(
            sock("socks5h://localhost/run/d.sock").unwrap(),
            "/run/d.sock"
        );
        assert_eq!(
            sock("socks5h://u:p@LocalHost:1/run/%64.sock").unwrap(),
            "/run/d.sock"
        );
        assert_eq!(sock("localhost/run/d.sock").unwrap(), "/run/d.sock");
        assert!(sock("socks5h://localhost/").is_none());
        assert!(sock("socks5h://localhost:1080").is_none());
        assert!(sock("http://proxy.example.com/x").is_none());
        assert!(proxy_socket("socks5://localhost/a%ff").unwrap().is_err());
    }

    #[test]
    fn uploads_append_the_local_name() {
        assert_eq!(upload_base("t/pre-commit"), "pre-commit");
        assert_eq!(upload_base("t\\pre-commit"), "pre-commit");
        assert_eq!(upload_base("x"), "x");
    }
}
