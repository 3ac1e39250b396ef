//! curl's complete option table (curl 8.x): every option, short and
//! long, with what its value is. An option not in the table asks
//! (`UNMODELLED_OPTION`); `--expand-OPTION` (curl ≥ 8.3) is OPTION whose
//! value may hold `{{VAR}}` substitutions, so its value is unknown: a
//! file-naming option asks. `-F` values are read the way curl reads them
//! (quoted names, comma lists of files, `;type=`/`;filename=`/`;headers=`
//! parts, leading blanks). See docs/commands.md, "curl".

use super::computed_names::CurlNames;
use super::net_destinations::Plain;
use super::normalize::Arg;
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation::{Read, Write};

/// What an option's value is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum C {
    /// No value (a boolean; `--no-NAME` is accepted too).
    Flag,
    /// An inert value.
    Val,
    /// A file or directory read.
    Reads,
    /// A file or directory written.
    Writes,
    /// `@FILE` reads FILE (`-d`, `-H`, `--json`).
    At,
    /// `NAME@FILE` or `@FILE` reads FILE (`--data-urlencode`,
    /// `--url-query`, `--variable`).
    NameAt,
    /// `-F`: see [`form_files`].
    Form,
    /// `-w`: `@FILE` is read, `%output{FILE}` written.
    WriteOut,
    /// `-b`: a cookie string when it holds `=`, else a file read.
    Cookie,
    /// `-K`: a file of further options, read and not analysed.
    Config,
    /// `-z`: a date, or a file whose time is read.
    TimeCond,
    /// `-E`/`--proxy-cert`: `FILE[:PASSWORD]` (`\\:` a colon of the name),
    /// or a `pkcs11:` URI.
    Cert,
    /// A proxy: a SOCKS proxy at `localhost/PATH` is the Unix socket PATH.
    Proxy,
}

use C::{
    At, Cert, Config, Cookie, Flag, Form, NameAt, Proxy, Reads, TimeCond, Val, WriteOut, Writes,
};

/// Short options.
#[rustfmt::skip]
const SHORT: &[(char, C)] = &[
    ('0', Flag), ('1', Flag), ('2', Flag), ('3', Flag), ('4', Flag), ('6', Flag),
    ('#', Flag), (':', Flag), ('a', Flag), ('A', Val), ('b', Cookie), ('B', Flag),
    ('c', Writes), ('C', Val), ('d', At), ('D', Writes), ('e', Val), ('E', Cert),
    ('f', Flag), ('F', Form), ('g', Flag), ('G', Flag), ('h', Flag), ('H', At),
    ('i', Flag), ('I', Flag), ('j', Flag), ('J', Flag), ('k', Flag), ('K', Config),
    ('l', Flag), ('L', Flag), ('m', Val), ('M', Flag), ('n', Flag), ('N', Flag),
    ('o', Writes), ('O', Flag), ('p', Flag), ('P', Val), ('q', Flag), ('Q', Val),
    ('r', Val), ('R', Flag), ('s', Flag), ('S', Flag), ('t', Val), ('T', Reads),
    ('u', Val), ('U', Val), ('v', Flag), ('V', Flag), ('w', WriteOut), ('x', Proxy),
    ('X', Val), ('y', Val), ('Y', Val), ('z', TimeCond), ('Z', Flag),
];

/// Long options, without their leading `--`.
#[rustfmt::skip]
const LONG: &[(&str, C)] = &[
    ("abstract-unix-socket", Val), ("alt-svc", Writes), ("anyauth", Flag), ("append", Flag),
    ("aws-sigv4", Val), ("basic", Flag), ("ca-native", Flag), ("cacert", Reads),
    ("capath", Reads), ("cert", Cert), ("cert-status", Flag), ("cert-type", Val),
    ("ciphers", Val), ("compressed", Flag), ("compressed-ssh", Flag), ("config", Config),
    ("connect-timeout", Val), ("connect-to", Val), ("continue-at", Val), ("cookie", Cookie),
    ("cookie-jar", Writes), ("create-dirs", Flag), ("create-file-mode", Val), ("crlf", Flag),
    ("crlfile", Reads), ("curves", Val), ("data", At), ("data-ascii", At),
    ("data-binary", At), ("data-raw", Val), ("data-urlencode", NameAt), ("delegation", Val),
    ("digest", Flag), ("disable", Flag), ("disable-eprt", Flag), ("disable-epsv", Flag),
    ("disallow-username-in-url", Flag), ("dns-interface", Val), ("dns-ipv4-addr", Val),
    ("dns-ipv6-addr", Val), ("dns-servers", Val), ("doh-cert-status", Flag),
    ("doh-insecure", Flag), ("doh-url", Val), ("dump-header", Writes), ("ech", Val),
    ("egd-file", Reads), ("engine", Val), ("etag-compare", Reads), ("etag-save", Writes),
    ("expect100-timeout", Val), ("fail", Flag), ("fail-early", Flag),
    ("fail-with-body", Flag), ("false-start", Flag), ("follow", Flag), ("form", Form),
    ("form-escape", Flag), ("form-string", Val), ("ftp-account", Val),
    ("ftp-alternative-to-user", Val), ("ftp-create-dirs", Flag), ("ftp-method", Val),
    ("ftp-pasv", Flag), ("ftp-port", Val), ("ftp-pret", Flag), ("ftp-skip-pasv-ip", Flag),
    ("ftp-ssl", Flag), ("ftp-ssl-ccc", Flag), ("ftp-ssl-ccc-mode", Val),
    ("ftp-ssl-control", Flag), ("ftp-ssl-reqd", Flag), ("get", Flag), ("globoff", Flag),
    ("happy-eyeballs-timeout-ms", Val), ("haproxy-clientip", Val),
    ("haproxy-protocol", Flag), ("head", Flag), ("header", At), ("help", Flag),
    ("hostpubmd5", Val), ("hostpubsha256", Val), ("hsts", Writes), ("http0.9", Flag),
    ("http1.0", Flag), ("http1.1", Flag), ("http2", Flag), ("http2-prior-knowledge", Flag),
    ("http3", Flag), ("http3-only", Flag), ("ignore-content-length", Flag),
    ("include", Flag), ("insecure", Flag), ("interface", Val), ("ip-tos", Val),
    ("ipfs-gateway", Val), ("ipv4", Flag), ("ipv6", Flag), ("json", At),
    ("junk-session-cookies", Flag), ("keepalive", Flag), ("keepalive-cnt", Val),
    ("keepalive-time", Val), ("key", Reads), ("key-type", Val), ("knownhosts", Reads),
    ("krb", Val), ("krb4", Val), ("libcurl", Writes), ("limit-rate", Val),
    ("list-only", Flag), ("local-port", Val), ("location", Flag),
    ("location-trusted", Flag), ("login-options", Val), ("mail-auth", Val),
    ("mail-from", Val), ("mail-rcpt", Val), ("mail-rcpt-allowfails", Flag),
    ("manual", Flag), ("max-filesize", Val), ("max-redirs", Val), ("max-time", Val),
    ("metalink", Flag), ("mptcp", Flag), ("negotiate", Flag), ("netrc", Flag),
    ("netrc-file", Reads), ("netrc-optional", Flag), ("next", Flag), ("no-alpn", Flag),
    ("no-buffer", Flag), ("no-clobber", Flag), ("no-keepalive", Flag), ("no-npn", Flag),
    ("no-progress-meter", Flag), ("no-sessionid", Flag), ("noproxy", Val), ("ntlm", Flag),
    ("ntlm-wb", Flag), ("oauth2-bearer", Val), ("out-null", Flag), ("output", Writes),
    ("output-dir", Writes), ("parallel", Flag), ("parallel-immediate", Flag),
    ("parallel-max", Val), ("pass", Val), ("path-as-is", Flag), ("pinnedpubkey", Reads),
    ("post301", Flag), ("post302", Flag), ("post303", Flag), ("preproxy", Proxy),
    ("progress-bar", Flag), ("progress-meter", Flag), ("proto", Val),
    ("proto-default", Val), ("proto-redir", Val), ("proxy", Proxy), ("proxy-anyauth", Flag),
    ("proxy-basic", Flag), ("proxy-ca-native", Flag), ("proxy-cacert", Reads),
    ("proxy-capath", Reads), ("proxy-cert", Cert), ("proxy-cert-type", Val),
    ("proxy-ciphers", Val), ("proxy-crlfile", Reads), ("proxy-digest", Flag),
    ("proxy-header", At), ("proxy-http2", Flag), ("proxy-insecure", Flag),
    ("proxy-key", Reads), ("proxy-key-type", Val), ("proxy-negotiate", Flag),
    ("proxy-ntlm", Flag), ("proxy-pass", Val), ("proxy-pinnedpubkey", Reads),
    ("proxy-service-name", Val), ("proxy-ssl-allow-beast", Flag),
    ("proxy-ssl-auto-client-cert", Flag), ("proxy-tls13-ciphers", Val),
    ("proxy-tlsauthtype", Val), ("proxy-tlspassword", Val), ("proxy-tlsuser", Val),
    ("proxy-tlsv1", Flag), ("proxy-user", Val), ("proxy1.0", Val), ("proxytunnel", Flag),
    ("pubkey", Reads), ("quote", Val), ("random-file", Reads), ("range", Val),
    ("rate", Val), ("raw", Flag), ("referer", Val), ("remote-header-name", Flag),
    ("remote-name", Flag), ("remote-name-all", Flag), ("remote-time", Flag),
    ("remove-on-error", Flag), ("request", Val), ("request-target", Val),
    ("resolve", Val), ("retry", Val), ("retry-all-errors", Flag),
    ("retry-connrefused", Flag), ("retry-delay", Val), ("retry-max-time", Val),
    ("sasl-authzid", Val), ("sasl-ir", Flag), ("service-name", Val), ("show-error", Flag),
    ("show-headers", Flag), ("sigalgs", Val), ("silent", Flag), ("skip-existing", Flag),
    ("socks4", Proxy), ("socks4a", Proxy), ("socks5", Proxy), ("socks5-basic", Flag),
    ("socks5-gssapi", Flag), ("socks5-gssapi-nec", Flag), ("socks5-gssapi-service", Val),
    ("socks5-hostname", Proxy), ("speed-limit", Val), ("speed-time", Val), ("ssl", Flag),
    ("ssl-allow-beast", Flag), ("ssl-auto-client-cert", Flag), ("ssl-no-revoke", Flag),
    ("ssl-reqd", Flag), ("ssl-revoke-best-effort", Flag), ("ssl-sessions", Writes),
    ("sslv2", Flag), ("sslv3", Flag), ("stderr", Writes), ("styled-output", Flag),
    ("suppress-connect-headers", Flag), ("tcp-fastopen", Flag), ("tcp-nodelay", Flag),
    ("telnet-option", Val), ("tftp-blksize", Val), ("tftp-no-options", Flag),
    ("time-cond", TimeCond), ("tls-earlydata", Flag), ("tls-max", Val),
    ("tls13-ciphers", Val), ("tlsauthtype", Val), ("tlspassword", Val), ("tlsuser", Val),
    ("tlsv1", Flag), ("tlsv1.0", Flag), ("tlsv1.1", Flag), ("tlsv1.2", Flag),
    ("tlsv1.3", Flag), ("tr-encoding", Flag), ("trace", Writes), ("trace-ascii", Writes),
    ("trace-config", Val), ("trace-ids", Flag), ("trace-time", Flag),
    ("unix-socket", Reads), ("upload-file", Reads), ("upload-flags", Val), ("url", Val),
    ("url-query", NameAt), ("use-ascii", Flag), ("user", Val), ("user-agent", Val),
    ("variable", NameAt), ("verbose", Flag), ("version", Flag), ("vlan-priority", Val),
    ("write-out", WriteOut), ("xattr", Flag),
];

/// Whether a `--proto-redir` value lets redirects reach `file:`, read
/// as curl's `proto2num` reads it: comma-separated names, each after
/// `+` (add, the default), `-` (remove) or `=` (only this), starting from
/// http, https, ftp and ftps; `all` is every protocol. A modifier curl
/// refuses ends curl before any transfer. Only the four default names
/// are known to reset the set with `=` (an unknown name is ignored by
/// curl and keeps `file` here).
fn redirects_reach_file(spec: &str) -> bool {
    let mut file = false;
    for token in spec.split(',').filter(|t| !t.is_empty()) {
        let name = token.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        let mods = &token[..token.len() - name.len()];
        if mods.chars().any(|c| !matches!(c, '+' | '-' | '=')) {
            return file;
        }
        let name = name.to_ascii_lowercase();
        match (mods.chars().last(), name.as_str()) {
            (Some('-'), "all" | "file") => file = false,
            (Some('-'), _) => {}
            (_, "all" | "file") => file = true,
            (Some('='), "http" | "https" | "ftp" | "ftps") => file = false,
            _ => {}
        }
    }
    file
}

fn long(name: &str) -> Option<C> {
    if let Some((_, c)) = LONG.iter().find(|(n, _)| *n == name) {
        return Some(*c);
    }
    // A boolean's negation (`--no-progress-meter` is listed itself).
    let c = long(name.strip_prefix("no-")?)?;
    (c == Flag).then_some(Flag)
}

/// Files a `-F` value reads, read the way curl's formparse does: after
/// `NAME=`, `@` or `<` starts a list of files separated by `,`, each a
/// word or a `"quoted"` name after optional blanks, followed by `;key=…`
/// parts; a `headers=@FILE`/`headers=<FILE` part reads FILE too. `None`
/// when the value cannot be read safely (an unterminated quote).
fn form_files(value: &str) -> Option<Vec<String>> {
    let Some((_, rest)) = value.split_once('=') else {
        return Some(Vec::new());
    };
    let mut files = Vec::new();
    let (mut s, is_file) = match rest.strip_prefix(['@', '<']) {
        Some(r) => (r, true),
        None => (rest, false),
    };
    loop {
        // One word (a file name, or the plain value).
        let (word, after) = param_word(s)?;
        if is_file {
            files.push(word);
        }
        s = after;
        // `;key=value` parts.
        while let Some(part) = s.strip_prefix(';') {
            let part = part.trim_start_matches([' ', '\t']);
            let (key, v) = part.split_once('=').unwrap_or((part, ""));
            let key = key.trim().to_ascii_lowercase();
            let (word, after) = param_word(v)?;
            if key == "headers" {
                if let Some(f) = word.strip_prefix(['@', '<']) {
                    files.push(f.trim_start_matches([' ', '\t']).to_string());
                }
            }
            s = after;
        }
        match s.strip_prefix(',') {
            Some(next) if is_file => s = next,
            _ => break,
        }
    }
    Some(files)
}

/// One parameter word: leading blanks skipped; a `"quoted"` word with
/// `\` escapes, or up to `;` or `,`. The rest after it.
fn param_word(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start_matches([' ', '\t']);
    if let Some(q) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = q.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => {
                    let after = &q[i + 1..];
                    // Anything up to the next separator belongs to it.
                    let end = after.find([';', ',']).unwrap_or(after.len());
                    return Some((out, &after[end..]));
                }
                _ => out.push(c),
            }
        }
        return None;
    }
    let end = s.find([';', ',']).unwrap_or(s.len());
    Some((s[..end].trim_end().to_string(), &s[end..]))
}

/// `%output{FILE}` names in a `-w` format.
fn write_out_files(fmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut s = fmt;
    while let Some(at) = s.find("%output{") {
        let rest = &s[at + 8..];
        let end = rest.find('}').unwrap_or(rest.len());
        let name = &rest[..end];
        out.push(name.strip_prefix(">>").unwrap_or(name).to_string());
        s = &rest[end..];
    }
    out
}

impl Analyzer<'_> {
    /// Every option of a curl command line by [`LONG`] and [`SHORT`].
    pub(crate) fn check_curl(&mut self, argv: &[Arg], base: &str) {
        match &*super::programs::canonical(base) {
            "curl" => {}
            "wget" => return self.check_wget_options(argv),
            _ => return,
        }
        let mut st = CurlNames::default();
        let complete = self.curl_options(argv, &mut st);
        // Judged even when the options asked: a refused file still refuses.
        self.curl_upload_globs(argv, &st);
        self.curl_file_urls(argv, &st);
        self.curl_destinations(argv, &st);
        if complete {
            self.curl_names(&st, argv);
        }
    }

    /// Read curl's options; false when the analysis ended early (and
    /// asked). What names computed files is gathered in `st`.
    fn curl_options(&mut self, argv: &[Arg], st: &mut CurlNames) -> bool {
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if a.text.starts_with('-') || a.text.starts_with("\"-") {
                    self.curl_unmodelled(
                        a,
                        argv,
                        "is computed at run time and could be any option",
                    );
                    return false;
                }
                st.urls.push(a.clone());
                continue;
            };
            if v == "--" {
                st.urls.extend(argv[i..].iter().cloned());
                return true;
            }
            if !v.starts_with('-') || v == "-" {
                if v != "-" {
                    st.urls.push(a.clone());
                }
                continue;
            }
            if let Some(name) = v.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    // curl has no `--opt=value` form: the whole word is the name.
                    _ if long(name).is_some() => (name, None),
                    Some((n, x)) => (n, Some(x)),
                    None => (name, None),
                };
                if inline.is_some() {
                    self.curl_unmodelled(
                        a,
                        argv,
                        "is not a curl option (curl takes no --option=value)",
                    );
                    return false;
                }
                let (expanded, plain) = match name.strip_prefix("expand-") {
                    Some(p) => (true, p),
                    None => (false, name),
                };
                let Some(c) = long(plain) else {
                    self.curl_unmodelled(a, argv, "is not an option the analysis models");
                    return false;
                };
                if c == Flag {
                    if expanded {
                        self.curl_unmodelled(
                            a,
                            argv,
                            "expands a value of an option that takes none",
                        );
                        return false;
                    }
                    match plain {
                        "remote-name" | "remote-name-all" => st.remote = true,
                        "remote-header-name" => st.header = true,
                        "globoff" => st.globoff = true,
                        "path-as-is" => st.path_as_is = true,
                        "next" => st.next = true,
                        _ => {}
                    }
                    continue;
                }
                let Some(value) = argv.get(i) else {
                    return true;
                };
                i += 1;
                // A scheme-less URL is then read with that protocol
                // (`file` reads local files): only the web ones are modelled.
                if plain == "proto-default"
                    && value.lit().is_none_or(|p| {
                        !matches!(p.to_ascii_lowercase().as_str(), "http" | "https")
                    })
                {
                    self.curl_unmodelled(
                        value,
                        argv,
                        "sets a default protocol other than http or https for scheme-less URLs",
                    );
                    return false;
                }
                if expanded
                    && value
                        .lit()
                        .is_none_or(|v| v.contains("{{") && !variables_in_path(plain, v))
                {
                    // `--expand-url '{{x}}'` with `--variable 'x=file:///…'`:
                    // the value, a URL or a protocol included, is made at
                    // run time from variables (files, the environment).
                    self.curl_unmodelled(
                        value,
                        argv,
                        "is filled from --variable values at run time (a URL may become file:, a name any file); not modelled",
                    );
                    return false;
                }
                if !self.curl_special(plain, value, argv) {
                    return false;
                }
                if !self.curl_value(c, value, expanded, argv, &format!("curl --{plain}")) {
                    return false;
                }
                match plain {
                    "proto-default" => {
                        st.https_default =
                            value.lit().is_some_and(|p| p.eq_ignore_ascii_case("https"))
                    }
                    "output" => st.outputs.push(value.clone()),
                    "output-dir" => st.dir = Some(value.clone()),
                    "url" => st.urls.push(value.clone()),
                    "upload-file" => st.uploads.push(value.clone()),
                    "quote" => st.quotes = true,
                    _ => {}
                }
                continue;
            }
            // A cluster of short options; a value is the rest of the word
            // or the next word.
            for (n, ch) in v[1..].char_indices() {
                let Some((_, c)) = SHORT.iter().find(|(s, _)| *s == ch) else {
                    self.curl_unmodelled(
                        a,
                        argv,
                        "holds a short option the analysis does not model",
                    );
                    return false;
                };
                if *c == Flag {
                    match ch {
                        'O' => st.remote = true,
                        'J' => st.header = true,
                        'g' => st.globoff = true,
                        ':' => st.next = true,
                        _ => {}
                    }
                    continue;
                }
                let rest = &v[1 + n + ch.len_utf8()..];
                let value = if rest.is_empty() {
                    let Some(value) = argv.get(i) else {
                        return true;
                    };
                    i += 1;
                    value.clone()
                } else {
                    let mut t = Arg::literal(rest, a.span);
                    t.home = rest == "~" || rest.starts_with("~/");
                    t
                };
                if !self.curl_value(*c, &value, false, argv, &format!("curl -{ch}")) {
                    return false;
                }
                match ch {
                    'o' => st.outputs.push(value),
                    'T' => st.uploads.push(value),
                    'Q' => st.quotes = true,
                    _ => {}
                }
                break;
            }
        }
        true
    }

    /// Options whose value decides more than a file: `--engine` loads a
    /// library, `--proto-redir` lets a redirect reach `file:`, `--url
    /// @FILE` reads URLs (any of them a `file:` one). False when the
    /// analysis ends here.
    fn curl_special(&mut self, name: &str, value: &Arg, argv: &[Arg]) -> bool {
        match name {
            "engine" => {
                let Some(v) = value.lit() else {
                    self.curl_unmodelled(
                        value,
                        argv,
                        "is computed at run time; an engine given as a path loads that shared object",
                    );
                    return false;
                };
                // OpenSSL loads an engine id holding a path separator as
                // that shared object (its constructor runs in curl); a plain
                // id is looked up among the installed engines.
                if v.contains(['/', '\\']) {
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::DangerousFlag,
                        format!(
                            "curl --engine {}: OpenSSL loads the shared object at that path into curl, which runs its code",
                            super::normalize::clip(v)
                        ),
                        value.span,
                        argv,
                        None,
                    );
                    return false;
                }
                true
            }
            "proto-redir" => {
                let admits = value.lit().is_none_or(redirects_reach_file);
                if admits {
                    self.curl_unmodelled(
                        value,
                        argv,
                        "lets a redirect reach file: URLs; the local file the server names is read or written",
                    );
                    return false;
                }
                true
            }
            "url" if value.lit().is_none_or(|v| v.starts_with('@')) => {
                // `--url @FILE` (curl 8.13+) reads the URLs from FILE.
                if let Some(f) = value.lit().and_then(|v| v.strip_prefix('@')) {
                    if f != "-" {
                        let mut t = Arg::literal(f, value.span);
                        t.home = f == "~" || f.starts_with("~/");
                        self.check_file(&t, Read, argv, "curl --url");
                    }
                }
                self.curl_unmodelled(
                    value,
                    argv,
                    "gives URLs that are not known when the command is judged (a file: one is a file access)",
                );
                false
            }
            // Where curl connects instead of the URL's host.
            "resolve" | "connect-to" => {
                self.curl_redirected_host(name, value, argv);
                true
            }
            "doh-url" => {
                self.check_destination(value, Plain::Curl("https"), argv, "curl --doh-url");
                true
            }
            _ => true,
        }
    }

    /// `--resolve [+]HOST:PORT:ADDR[,ADDR]…` connects to each ADDR;
    /// `--connect-to HOST1:PORT1:HOST2:PORT2` to HOST2 on PORT2: each is
    /// judged as a destination on that port.
    fn curl_redirected_host(&mut self, name: &str, value: &Arg, argv: &[Arg]) {
        let via = format!("curl --{name}");
        let Some(v) = value.lit() else {
            return self.check_destination(value, Plain::Scp, argv, &via);
        };
        // Split at `:` outside brackets.
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, c) in v.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                ':' if depth == 0 => {
                    parts.push(&v[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&v[start..]);
        let targets: Vec<(String, &str)> = match (name, parts.as_slice()) {
            ("resolve", [h, port, addrs]) if !h.starts_with('-') => {
                addrs.split(',').map(|a| (a.to_string(), *port)).collect()
            }
            ("resolve", [h, ..]) if h.starts_with('-') => Vec::new(),
            ("connect-to", [_, _, h2, p2]) if !h2.is_empty() => vec![(h2.to_string(), *p2)],
            // The URL's host on another port.
            ("connect-to", [_, _, _, _]) => Vec::new(),
            _ => vec![(String::new(), "")],
        };
        for (host, port) in targets {
            match port.parse::<u16>() {
                Ok(p) if !host.is_empty() => {
                    self.check_host_destination(&host, p, value, argv, &via)
                }
                _ => self.destination_unknown(
                    value,
                    argv,
                    format!(
                        "{via} {}: not read as curl reads it",
                        super::normalize::clip(v)
                    ),
                ),
            }
        }
    }

    /// Judge one option value; false when the analysis ends here.
    fn curl_value(&mut self, c: C, value: &Arg, expanded: bool, argv: &[Arg], via: &str) -> bool {
        if matches!(c, Flag | Val) {
            return true;
        }
        let Some(v) = value.lit() else {
            // A computed value of a file-naming option: judged as a path
            // by the file analysis when plain; `@…` forms are not known.
            if matches!(c, Reads | Writes) {
                let op = if c == Writes { Write } else { Read };
                self.check_file(value, op, argv, via);
                return true;
            }
            self.curl_unmodelled(
                value,
                argv,
                "is computed at run time; the file it may name is not known",
            );
            return false;
        };
        if expanded {
            // `{{VAR}}` may be any text (`--variable %HOME` imports the
            // environment): the file it names is not known.
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{}: --expand-{} substitutes {{{{variables}}}} into a value that names a file; the file is not known", super::normalize::clip(v), via.trim_start_matches("curl --")),
                value.span,
                argv,
            );
            return false;
        }
        let file = |s: &str| {
            let mut t = Arg::literal(s, value.span);
            t.home = s == "~" || s.starts_with("~/");
            t
        };
        match c {
            Flag | Val => {}
            Reads => self.check_file(&file(v), Read, argv, via),
            Writes => self.check_file(&file(v), Write, argv, via),
            At => {
                if let Some(f) = v.strip_prefix('@').filter(|f| *f != "-") {
                    self.check_file(&file(f), Read, argv, via);
                }
            }
            NameAt => {
                // `NAME@FILE`, `@FILE`; `NAME=…` and `%ENV` are inert.
                let eq = v.find('=');
                if let Some(at) = v.find('@').filter(|at| eq.is_none_or(|e| *at < e)) {
                    let f = &v[at + 1..];
                    // `--variable name@FILE[start-end]` reads a byte range.
                    let f = match (via.ends_with("variable"), f.rfind('[')) {
                        (true, Some(b)) if f.ends_with(']') => &f[..b],
                        _ => f,
                    };
                    if f != "-" {
                        self.check_file(&file(f), Read, argv, via);
                    }
                }
            }
            Form => match form_files(v) {
                Some(files) => {
                    for f in files.iter().filter(|f| *f != "-") {
                        self.check_file(&file(f), Read, argv, via);
                    }
                }
                None => {
                    self.curl_unmodelled(value, argv, "has an unterminated quoted file name");
                    return false;
                }
            },
            WriteOut => {
                if let Some(f) = v.strip_prefix('@').filter(|f| *f != "-") {
                    self.check_file(&file(f), Read, argv, via);
                } else {
                    for f in write_out_files(v) {
                        self.check_file(&file(&f), Write, argv, via);
                    }
                }
            }
            Cookie => {
                if !v.contains('=') && v != "-" {
                    self.check_file(&file(v), Read, argv, via);
                }
            }
            Config => {
                if v != "-" {
                    self.check_file(&file(v), Read, argv, via);
                }
                // Its URLs are judged; its options still are not.
                self.check_url_file(&file(v), argv, via, true);
                self.curl_unmodelled(
                    value,
                    argv,
                    "is a file of further curl options, which are not analysed",
                );
                return false;
            }
            Cert => {
                // The whole value too: judging more can only refuse more.
                self.check_file(&file(v), Read, argv, via);
                for name in super::curl_urls::cert_files(v).iter().filter(|n| *n != v) {
                    self.check_file(&file(name), Read, argv, via);
                }
            }
            Proxy => match super::curl_urls::proxy_socket(v) {
                // Every transfer goes to the proxy.
                None => {
                    let scheme = match via.trim_start_matches("curl --") {
                        "socks4" => "socks4",
                        "socks4a" => "socks4a",
                        "socks5" => "socks5",
                        "socks5-hostname" => "socks5h",
                        _ => "http",
                    };
                    self.check_destination(value, Plain::Curl(scheme), argv, via);
                }
                Some(Ok(path)) => self.check_file(&file(&path), Read, argv, via),
                Some(Err(why)) => {
                    self.curl_unmodelled(value, argv, &why);
                    return false;
                }
            },
            TimeCond => {
                // A date holds a blank or a digit-led word; else a file.
                let v = v.trim_start_matches(['+', '-', '=']);
                if !v.contains(' ') && !v.starts_with(|c: char| c.is_ascii_digit()) {
                    self.check_file(&file(v), Read, argv, via);
                }
            }
        }
        true
    }

    fn curl_unmodelled(&mut self, a: &Arg, argv: &[Arg], why: &str) {
        self.unmodelled(
            DecisionCode::UnmodelledOption,
            format!("curl: {} {why}", super::normalize::clip(&a.shown())),
            a.span,
            argv,
        );
    }
}

/// Whether `{{variables}}` in an expanded `--url` value stand only after a
/// literal `http(s)://HOST/` (they fill in the path, as judged).
fn variables_in_path(option: &str, v: &str) -> bool {
    let Some(head) = v.split("{{").next() else {
        return false;
    };
    let lower = head.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    option == "url" && rest.is_some_and(|r| r.contains('/') && !r.contains(['@', '\\']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values() {
        let f = |v: &str| form_files(v).unwrap();
        assert_eq!(f("a=@x"), ["x"]);
        assert_eq!(f("a=@\"h/.ssh/id_rsa\""), ["h/.ssh/id_rsa"]);
        assert_eq!(f("a=@\"h/k\";filename=x"), ["h/k"]);
        assert_eq!(f("a=@a.txt,h/k"), ["a.txt", "h/k"]);
        assert_eq!(f("a=@a.txt;type=text/plain,h/k"), ["a.txt", "h/k"]);
        assert_eq!(f("a=@\"a.txt\",h/k"), ["a.txt", "h/k"]);
        assert_eq!(f("a=@ h/k"), ["h/k"]);
        assert_eq!(f("a=@a.txt, h/k"), ["a.txt", "h/k"]);
        assert_eq!(f("a=<h/k"), ["h/k"]);
        assert_eq!(f("a=v;headers=@h/k"), ["h/k"]);
        assert!(f("a=plain,value").is_empty());
        assert!(form_files("a=@\"open").is_none());
    }

    #[test]
    fn option_table() {
        assert!(long("proxy-key") == Some(Reads));
        assert!(long("no-progress-meter") == Some(Flag));
        assert!(long("no-location") == Some(Flag));
        assert!(long("no-output").is_none());
        assert!(long("outpu").is_none());
        assert_eq!(write_out_files("%output{a}x%output{>>b}"), ["a", "b"]);
    }
}
