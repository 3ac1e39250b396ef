//! Files whose names a tool computes from another operand: `curl -O URL`
//! and `wget URL` save to the URL's last path segment in the working
//! directory (or `--output-dir`/`-P`), `gzip -d F.gz` writes `F`, curl's
//! `-o '#1'` is filled from a URL glob. The computed name is judged as a
//! write where it lands, like any other written file (`cd .git/hooks &&
//! curl -O …/pre-commit` writes a hook). A name the server or an archive
//! header chooses (`curl -J`, `wget --content-disposition`, `wget -r`,
//! `gzip -dN`) is not known when the command is judged: the directory is
//! judged as written and the command asks (`UNMODELLED_OPERAND`).
//! See docs/commands.md, "Files whose names a tool computes".

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::Span;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Delete, Read, Write};

/// What a curl command line saves under a computed name.
#[derive(Default)]
pub(crate) struct CurlNames {
    /// `-O`, `--remote-name`, `--remote-name-all`.
    pub(crate) remote: bool,
    /// `-J`, `--remote-header-name`: the server names the file.
    pub(crate) header: bool,
    /// `-g`, `--globoff`: `{}`/`[]` in URLs are literal.
    pub(crate) globoff: bool,
    /// `--output-dir`.
    pub(crate) dir: Option<Arg>,
    /// `-o`/`--output` values.
    pub(crate) outputs: Vec<Arg>,
    /// URL operands and `--url` values.
    pub(crate) urls: Vec<Arg>,
    /// `-T`/`--upload-file` values.
    pub(crate) uploads: Vec<Arg>,
    /// `--path-as-is`: dot segments are left to the system.
    pub(crate) path_as_is: bool,
    /// `-:`/`--next`: another transfer with its own options follows.
    pub(crate) next: bool,
    /// `-Q`/`--quote`: commands sent to the server (FTP, SFTP).
    pub(crate) quotes: bool,
    /// `--proto-default https`: a URL without a scheme is https.
    pub(crate) https_default: bool,
}

/// The names a downloader may give the file it saves `url` to: the last
/// path segment with and without the query and fragment, each also
/// percent-decoded (wget decodes; curl versions differ on the query);
/// `empty` when the segment is empty.
pub(crate) fn remote_names(url: &str, empty: &str) -> Vec<String> {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url,
    };
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let mut out: Vec<String> = Vec::new();
    let cuts = [
        path,
        path.split('#').next().unwrap_or(""),
        path.split(['?', '#']).next().unwrap_or(""),
    ];
    for cut in cuts {
        let seg = cut.rsplit('/').next().unwrap_or("");
        for s in [seg.to_string(), percent_decoded(seg)] {
            let s = if s.is_empty() { empty.to_string() } else { s };
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

fn percent_decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether a Python warning filter (`action:message:category:module:line`)
/// names a category outside the builtins: Python imports its module
/// (`ignore::evil.X` imports `evil` from the import path, the current
/// directory included) when the filter is read.
pub(crate) fn warning_filter_imports(filter: &str) -> bool {
    filter
        .split(',')
        .any(|f| f.split(':').nth(2).is_some_and(|c| c.contains('.')))
}

/// `DIR/NAME`, or NAME when DIR is empty or `.`.
fn joined(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." || name.starts_with('/') {
        name.to_string()
    } else {
        format!("{}/{name}", dir.trim_end_matches('/'))
    }
}

/// `.gz` and the other suffixes decompressors strip, with what replaces
/// them (`x.tgz` becomes `x.tar`); matched without regard to case.
const SUFFIXES: &[(&str, &str)] = &[
    (".gz", ""),
    ("-gz", ""),
    (".z", ""),
    ("-z", ""),
    ("_z", ""),
    (".tgz", ".tar"),
    (".taz", ".tar"),
    (".bz2", ""),
    (".bz", ""),
    (".tbz2", ".tar"),
    (".tbz", ".tar"),
    (".xz", ""),
    (".txz", ".tar"),
    (".lzma", ""),
    (".tlz", ".tar"),
    (".lz", ""),
    (".zst", ""),
    (".tzst", ".tar"),
    (".lz4", ""),
    (".lzo", ""),
    (".br", ""),
];

/// Compressors and decompressors that write each operand's (de)compressed
/// file next to it.
const COMPRESSORS: &[(&str, &str)] = &[
    ("gzip", ".gz"),
    ("gunzip", ".gz"),
    ("pigz", ".gz"),
    ("unpigz", ".gz"),
    ("bzip2", ".bz2"),
    ("bunzip2", ".bz2"),
    ("pbzip2", ".bz2"),
    ("lbzip2", ".bz2"),
    ("xz", ".xz"),
    ("unxz", ".xz"),
    ("zstd", ".zst"),
    ("unzstd", ".zst"),
    ("lz4", ".lz4"),
    ("unlz4", ".lz4"),
    ("lzma", ".lzma"),
    ("unlzma", ".lzma"),
    ("lzip", ".lz"),
    ("lzop", ".lzo"),
    ("brotli", ".br"),
    ("compress", ".Z"),
    ("uncompress", ".Z"),
];

/// Short option letters of each compressor that take the next word as a
/// value when the rest of the word is empty. Reading a value where the tool
/// reads an operand would leave that operand unjudged, so only letters
/// known to take one are listed; another letter's value is judged as an
/// operand, which can only refuse more.
fn compressor_values(tool: &str) -> &'static str {
    match tool {
        "zstd" | "unzstd" => "oD",
        "xz" | "unxz" | "lzma" | "unlzma" => "STM",
        "pigz" | "unpigz" => "Sbp",
        "gzip" | "gunzip" => "S",
        "lzip" | "lzop" | "brotli" => "So",
        _ => "",
    }
}

/// Short option letters of wget that take a value (`-n` takes the rest of
/// its word: `-nv`, `-nd`).
const WGET_VALUES: &str = "aABDeIiloOPQRtTUwXYn";

/// `wget -e KEY=VALUE` settings known not to change which files wget
/// writes or what it runs.
const WGET_INERT_SETTINGS: &[&str] = &[
    "robots",
    "checkcertificate",
    "tries",
    "timeout",
    "quiet",
    "verbose",
    "useragent",
    "wait",
    "retryconnrefused",
];

impl Analyzer<'_> {
    /// Files named by other operands of downloaders and decompressors.
    pub(crate) fn check_computed_names(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        match canon.as_ref() {
            "wget" | "wget2" => self.wget_names(argv, canon.as_ref()),
            // `canonical` drops a version suffix: `bunzip2` is `bunzip`.
            c => {
                let tool = [base, c, &format!("{c}2")]
                    .into_iter()
                    .find_map(|n| COMPRESSORS.iter().find(|(t, _)| *t == n))
                    .map(|(t, _)| *t);
                if let Some(t) = tool {
                    self.decompressed_names(argv, t)
                }
            }
        }
    }

    /// Judge a file a tool writes under a name it computed; a downloaded
    /// one is remembered as such (`curl -O …/Makefile && make`).
    fn computed_write(&mut self, path: &str, span: Span, argv: &[Arg], via: &str, fetched: bool) {
        let mut t = Arg::literal(path, span);
        t.home = path == "~" || path.starts_with("~/");
        self.check_file(&t, Write, argv, via);
        if let Some(p) = self.resolve(path, t.home) {
            let p = super::rules::normalize_path(&p);
            self.note_written(p.clone(), None);
            if fetched {
                self.note_downloaded(p);
            }
        }
    }

    /// A file whose name is not known is written in `dir`: the directory
    /// is judged as written, and the name asks.
    fn unknown_name_in(&mut self, dir: &str, span: Span, argv: &[Arg], via: &str, why: &str) {
        let d = if dir.is_empty() { "." } else { dir };
        let mut t = Arg::literal(d, span);
        t.home = d == "~" || d.starts_with("~/");
        self.check_file(&t, Write, argv, via);
        self.unmodelled(
            DecisionCode::UnmodelledOperand,
            format!(
                "{via}: {why}; the file it writes in {} is not known",
                clip(d)
            ),
            span,
            argv,
        );
    }

    /// curl's computed names, after its options were read by
    /// `check_curl`.
    pub(crate) fn curl_names(&mut self, st: &CurlNames, argv: &[Arg]) {
        // A computed --output-dir is judged (and asks) as a written path.
        let dir = match &st.dir {
            None => String::new(),
            Some(a) => match a.lit() {
                Some(v) => v.to_string(),
                None => return,
            },
        };
        if !dir.is_empty() {
            for o in &st.outputs {
                if let Some(v) = o.lit().filter(|v| *v != "-" && !v.starts_with('/')) {
                    let p = joined(&dir, v);
                    self.computed_write(&p, o.span, argv, "curl --output-dir", true);
                }
            }
        }
        // `#N` in an output name is the text the Nth `{…}`/`[…]` glob of
        // the URL matched, which may hold `/` and `..`.
        let globbed = |u: &Arg| u.lit().is_none_or(|v| v.contains(['{', '[']));
        if !st.globoff && st.urls.iter().any(globbed) {
            for o in &st.outputs {
                let template = o.lit().is_some_and(|v| {
                    v.char_indices().any(|(i, c)| {
                        c == '#' && v[i + 1..].starts_with(|d: char| d.is_ascii_digit())
                    })
                });
                if template {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "curl -o {}: #N is replaced by the text a URL glob matched; the file written is not known",
                            clip(&o.shown())
                        ),
                        o.span,
                        argv,
                    );
                }
            }
        }
        if !st.remote {
            return;
        }
        for u in &st.urls {
            let known = u.lit().filter(|v| st.globoff || !v.contains(['{', '[']));
            let Some(v) = known else {
                self.unknown_name_in(
                    &dir,
                    u.span,
                    argv,
                    "curl -O",
                    "the URL is computed at run time or holds a glob, and names the file",
                );
                continue;
            };
            if st.header {
                self.unknown_name_in(
                    &dir,
                    u.span,
                    argv,
                    "curl -J",
                    "the server's Content-Disposition header names the file",
                );
            }
            for n in remote_names(v, "curl_response") {
                let p = joined(&dir, &n);
                self.computed_write(&p, u.span, argv, "curl -O", true);
            }
        }
    }

    /// `wget URL`: the URL's last segment (or `--default-page`, by default
    /// `index.html`) in the working directory or `-P DIR`.
    fn wget_names(&mut self, argv: &[Arg], base: &str) {
        let mut urls: Vec<Arg> = Vec::new();
        let mut dir: Option<Arg> = None;
        let mut page = "index.html".to_string();
        let mut unknown: Option<String> = None;
        let mut document = false;
        let mut ended = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if !ended && a.text.starts_with(['-', '"']) {
                    unknown = Some("an option is computed at run time".into());
                } else {
                    urls.push(a.clone());
                }
                continue;
            };
            if ended || v == "-" || !v.starts_with('-') {
                urls.push(a.clone());
                continue;
            }
            if v == "--" {
                ended = true;
                continue;
            }
            if let Some(long) = v.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, x)) => (n, Some(x.to_string())),
                    None => (long, None),
                };
                if name.starts_with("no-") {
                    continue;
                }
                // wget takes any unambiguous prefix of a long option.
                let is = |full: &str, min: usize| name.len() >= min && full.starts_with(name);
                let valued = [
                    "output-document",
                    "directory-prefix",
                    "default-page",
                    "input-file",
                    "execute",
                ];
                let mut value = || -> Option<Arg> {
                    match &inline {
                        Some(x) => Some(Arg::literal(x, a.span)),
                        None => {
                            let v = argv.get(i).cloned();
                            i += 1;
                            v
                        }
                    }
                };
                if is("output-document", 8) {
                    document = true;
                    value();
                } else if is("directory-prefix", 3) {
                    dir = value();
                } else if is("default-page", 3) {
                    match value().as_ref().and_then(|p| p.lit().map(str::to_string)) {
                        Some(p) => page = p,
                        None => unknown = Some("--default-page is computed at run time".into()),
                    }
                } else if is("execute", 3) {
                    let e = value();
                    if !e.as_ref().is_some_and(inert_wget_setting) {
                        unknown = Some(
                            "a wgetrc command (-e) can change where and under which name it saves"
                                .into(),
                        );
                    }
                } else if is("input-file", 3)
                    || is("input-metalink", 3)
                    || is("metalink-over-http", 3)
                    || is("metalink-index", 9)
                    || is("recursive", 3)
                    || is("mirror", 2)
                    || is("page-requisites", 3)
                    || is("content-disposition", 3)
                    || is("trust-server-names", 2)
                    || is("force-directories", 7)
                    || is("base", 2)
                {
                    unknown = Some(format!(
                        "--{name} lets the server, the links of a page or a list of URLs name the files"
                    ));
                    if inline.is_none() && valued.iter().any(|f| is(f, 3)) {
                        i += 1;
                    }
                }
                continue;
            }
            for (n, ch) in v[1..].char_indices() {
                if WGET_VALUES.contains(ch) {
                    let rest = &v[1 + n + ch.len_utf8()..];
                    let value = if rest.is_empty() {
                        let x = argv.get(i).cloned();
                        i += 1;
                        x
                    } else {
                        Some(Arg::literal(rest, a.span))
                    };
                    match ch {
                        'O' => document = true,
                        'P' => dir = value,
                        'e' if !value.as_ref().is_some_and(inert_wget_setting) => {
                            unknown = Some(
                                "a wgetrc command (-e) can change where and under which name it saves"
                                    .into(),
                            );
                        }
                        'i' | 'B' => {
                            unknown = Some(format!("-{ch}: a list of URLs names the files"));
                        }
                        _ => {}
                    }
                    break;
                }
                if "rmpx".contains(ch) {
                    unknown = Some(format!(
                        "-{ch} lets the links of a page or the URL's path name the files"
                    ));
                }
            }
        }
        if document {
            // `-O FILE` is judged as a written file.
            return;
        }
        let dir = match &dir {
            None => String::new(),
            Some(d) => match d.lit() {
                Some(v) => v.to_string(),
                // A computed -P is judged (and asks) as a written path.
                None => return,
            },
        };
        let via = format!("{base} (saved name)");
        if let Some(why) = unknown {
            let span = argv[0].span;
            self.unknown_name_in(&dir, span, argv, &via, &why);
            return;
        }
        for u in &urls {
            match u.lit() {
                Some(v) => {
                    for n in remote_names(v, &page) {
                        let p = joined(&dir, &n);
                        self.computed_write(&p, u.span, argv, &via, true);
                    }
                }
                None => self.unknown_name_in(
                    &dir,
                    u.span,
                    argv,
                    &via,
                    "the URL is computed at run time and names the file",
                ),
            }
        }
    }

    /// `gzip -d F.gz` writes `F`, `gzip F` writes `F.gz`, `gzip -S SUF`
    /// strips or adds SUF; `gzip -N` restores the name stored in the
    /// archive, which is not known.
    fn decompressed_names(&mut self, argv: &[Arg], tool: &str) {
        let default = COMPRESSORS
            .iter()
            .find(|(t, _)| *t == tool)
            .map_or(".gz", |(_, s)| *s);
        let mut suffix: Option<String> = None;
        let mut stored_name = false;
        // `-r`/`--recursive` (gzip, pigz, zstd, lz4, lzop): every
        // directory operand is walked.
        let mut recursive = false;
        let mut decompress = tool.starts_with("un") || tool == "gunzip" || tool == "bunzip2";
        // A suffix computed at run time may be any text.
        let mut suffix_known = true;
        let mut operands: Vec<Arg> = Vec::new();
        let mut ended = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                operands.push(a.clone());
                continue;
            };
            if ended || v == "-" || !v.starts_with('-') {
                operands.push(a.clone());
                continue;
            }
            if v == "--" {
                ended = true;
                continue;
            }
            if let Some(long) = v.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, x)) => (n, Some(x.to_string())),
                    None => (long, None),
                };
                if name == "name" {
                    stored_name = true;
                }
                // getopt_long takes a prefix (`--rec`).
                if name.len() > 1 && "recursive".starts_with(name) {
                    recursive = true;
                }
                if name.len() > 1
                    && ("decompress".starts_with(name) || "uncompress".starts_with(name))
                {
                    decompress = true;
                }
                // Only `--suffix` is read with a separate value (getopt
                // tools); zstd's long options take `=VALUE` only.
                let takes = name == "suffix" && !matches!(tool, "zstd" | "unzstd");
                if takes {
                    let value = match inline {
                        Some(x) => Some(x),
                        None => {
                            let x = argv.get(i).and_then(|x| x.lit()).map(str::to_string);
                            i += 1;
                            x
                        }
                    };
                    suffix_known &= value.is_some();
                    suffix = value;
                }
                continue;
            }
            for (n, ch) in v[1..].char_indices() {
                if ch == 'N' && matches!(tool, "gzip" | "gunzip" | "pigz" | "unpigz") {
                    stored_name = true;
                }
                if ch == 'r' {
                    recursive = true;
                }
                if ch == 'd' {
                    decompress = true;
                }
                if compressor_values(tool).contains(ch) {
                    let rest = &v[1 + n + ch.len_utf8()..];
                    let value = if rest.is_empty() {
                        let x = argv.get(i).and_then(|x| x.lit()).map(str::to_string);
                        i += 1;
                        x
                    } else {
                        Some(rest.to_string())
                    };
                    if ch == 'S' {
                        suffix_known &= value.is_some();
                        suffix = value;
                    }
                    break;
                }
            }
        }
        if recursive {
            // A walk (de)compresses every file below a directory operand,
            // under names computed from names nothing on the command line
            // shows, and removes each original: a read, write and removal
            // of the whole tree, its blocked entries and the configuration
            // and hooks of every git directory in it included (a blocked
            // file would otherwise leave as a copy no pattern blocks).
            let changing = super::trees::Walk {
                git_dirs: true,
                ..super::trees::Walk::default()
            };
            for o in operands.iter().filter(|o| !o.is("-")) {
                let via = format!("{tool} -r (walks {})", clip(&o.shown()));
                self.check_tree(o, Read, &super::trees::Walk::default(), argv, &via);
                self.check_tree(o, Write, &changing, argv, &via);
                self.check_tree(o, Delete, &changing, argv, &via);
            }
        }
        for o in &operands {
            // find's `{}`: decompressing (or with `-S SUF`), each file found
            // below the root is replaced by one under a computed name
            // (`.git/config.gz` by `.git/config`) that the `-name` tests
            // did not see: the tree is written as a recursive walk writes
            // it. (Compressing with the default suffix adds it to a found
            // name, which the find model judges.)
            if let Some(found) = o.found.as_ref().filter(|_| decompress || suffix.is_some()) {
                let root = o.prefix.trim_end_matches('/');
                let mut r = Arg::literal(if root.is_empty() { "/" } else { root }, o.span);
                r.home = o.home;
                let walk = super::trees::Walk {
                    git_dirs: true,
                    max_depth: found.max_depth,
                    ..super::trees::Walk::default()
                };
                let via = format!("{tool} (the files find passes, below {})", clip(&r.shown()));
                self.check_tree(&r, Write, &walk, argv, &via);
                continue;
            }
            let Some(v) = o.lit() else { continue };
            if v == "-" {
                continue;
            }
            let dir = v.rfind('/').map_or("", |k| &v[..=k]);
            if stored_name || !suffix_known {
                self.unknown_name_in(
                    dir,
                    o.span,
                    argv,
                    &format!("{tool} -N/-S"),
                    "the name stored in the archive, or a suffix computed at run time, names the file",
                );
            }
            let lower = v.to_ascii_lowercase();
            let mut names: Vec<String> = Vec::new();
            for (s, r) in SUFFIXES {
                if lower.len() > s.len() && lower.ends_with(s) {
                    names.push(format!("{}{r}", &v[..v.len() - s.len()]));
                }
            }
            match &suffix {
                Some(s) if !s.is_empty() => {
                    if v.len() > s.len() && lower.ends_with(&s.to_ascii_lowercase()) {
                        names.push(v[..v.len() - s.len()].to_string());
                    }
                    names.push(format!("{v}{s}"));
                }
                Some(_) => {}
                None => names.push(format!("{v}{default}")),
            }
            for n in names {
                self.computed_write(&n, o.span, argv, tool, false);
            }
        }
    }
}

/// `wget -e robots=off`: a setting known to leave names and programs alone.
fn inert_wget_setting(a: &Arg) -> bool {
    a.lit().is_some_and(|v| {
        let key: String = v
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        v.contains('=') && WGET_INERT_SETTINGS.contains(&key.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        assert_eq!(remote_names("https://h/a/pre-commit", "x"), ["pre-commit"]);
        let n = remote_names("https://h/config?x=1#f", "x");
        assert!(n.contains(&"config".to_string()), "{n:?}");
        let n = remote_names("https://h/x/config#frag", "x");
        assert!(n.contains(&"config".to_string()), "{n:?}");
        assert_eq!(remote_names("https://h/", "index.html"), ["index.html"]);
        assert_eq!(remote_names("https://h", "index.html"), ["index.html"]);
        let n = remote_names("https://h/%2eenv", "x");
        assert!(n.contains(&".env".to_string()), "{n:?}");
        assert!(warning_filter_imports("ignore::evil.X"));
        assert!(warning_filter_imports("error,ignore::a.b.C"));
        assert!(!warning_filter_imports("error"));
        assert!(!warning_filter_imports("ignore::DeprecationWarning"));
        assert!(!warning_filter_imports("ignore:msg.with.dots:UserWarning"));
    }
}
