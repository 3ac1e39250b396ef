//! Options of single tools that change which files they touch or which
//! programs they run, read as the tool reads them: tar's member renaming
//! and selection on extraction, `script`'s typescript operand, sed's
//! in-place backup path, rsync's daemon and remote shell, yq's file
//! loading operators, and grep's pattern slot filled by `xargs`.

use super::normalize::{clip, Arg};
use super::options::{scan, Item, Opt, Syntax, Value};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};

/// tar options that rename members or widen the members named
/// (`--transform` into `.git/hooks/`, `--one-top-level=.git`,
/// `--wildcards '*'`): where extraction writes is then not known.
const TAR_RENAMING: &[&str] = &["transform", "xform", "one-top-level", "wildcards"];

/// The tar options read here; its option letters are not.
const TAR: Syntax = Syntax::gnu(
    "",
    &["transform", "xform"],
    &["one-top-level", "wildcards", "remove-files"],
);

/// The checksum tools (GNU md5sum, sha*sum, b2sum, cksum; Perl shasum):
/// `-c`/`--check` reads the list; `-a` (algorithm) and `-l` (length) take
/// a value.
const CHECKSUMS: Syntax = Syntax::gnu("al", &["algorithm", "length"], &["check"]);

/// file(1): `-f`/`--files-from` names the list; the other options with a
/// value.
const FILE: Syntax = Syntax::gnu(
    "efFmP",
    &[
        "exclude",
        "exclude-quiet",
        "files-from",
        "magic-file",
        "parameter",
        "separator",
    ],
    &[],
);

/// GNU sed: `-i`/`--in-place` take a backup suffix only attached.
const SED: Syntax = Syntax {
    optional: "i",
    long_flags: &["in-place"],
    ..Syntax::gnu("efl", &["expression", "file", "line-length"], &[])
};

/// rsync's remote shell (`-e`, `--rsh`) and `--daemon`, with
/// `--rsync-path`, which shares a prefix with `--rsh`.
const RSYNC: Syntax = Syntax::gnu("e", &["rsh", "rsync-path"], &["daemon"]);

/// rsync's short options that take a value (in the rest of the word or
/// the next word).
const RSYNC_SHORT_VALUES: &str = "BefMT@";

/// rsync's long options that take a value (`--opt=V` or `--opt V`).
const RSYNC_LONG_VALUES: &[&str] = &[
    "address",
    "backup-dir",
    "block-size",
    "bwlimit",
    "cc",
    "checksum-choice",
    "checksum-seed",
    "chmod",
    "chown",
    "compare-dest",
    "compress-choice",
    "compress-level",
    "compress-threads",
    "config",
    "confine-root",
    "contimeout",
    "copy-as",
    "copy-dest",
    "debug",
    "dparam",
    "early-input",
    "exclude",
    "exclude-from",
    "files-from",
    "filter",
    "groupmap",
    "iconv",
    "include",
    "include-from",
    "info",
    "link-dest",
    "log-file",
    "log-file-format",
    "max-alloc",
    "max-delete",
    "max-size",
    "min-size",
    "modify-window",
    "only-write-batch",
    "out-format",
    "outbuf",
    "partial-dir",
    "password-file",
    "port",
    "protocol",
    "read-batch",
    "remote-option",
    "rsh",
    "rsync-path",
    "skip-compress",
    "sockopts",
    "stop-after",
    "stop-at",
    "suffix",
    "temp-dir",
    "timeout",
    "usermap",
    "write-batch",
    "zc",
    "zl",
];

/// Whether `opt` is one of `names`, or a prefix of several options among
/// which one is (the tool refuses it; read as that one).
fn names_any(opt: &Opt, names: &[&str]) -> bool {
    match opt {
        Opt::Long(n) => names.contains(n),
        Opt::Ambiguous(all) => all.iter().any(|n| names.contains(n)),
        _ => false,
    }
}

impl Analyzer<'_> {
    /// The name of the blocked rule that names `program` alone, if any.
    pub(crate) fn blocked_rule(&self, program: &str, span: super::Span) -> Option<String> {
        let named = [Arg::literal(program, span)];
        self.guard.blocked.find(&named).map(|m| match m {
            super::rules::Match::Exact(r) | super::rules::Match::Possible(r) => r.name.clone(),
        })
    }

    pub(crate) fn check_tool_options(&mut self, argv: &[Arg], canon: &str) {
        self.check_tool_tables(argv, canon);
        match canon {
            "tar" | "gtar" | "bsdtar" => {
                self.tar_renaming(argv, canon);
                self.tar_remove_files(argv, canon);
            }
            "sed" | "gsed" => self.sed_backup(argv, canon),
            "rsync" => self.rsync_options(argv),
            "yq" => self.yq_loads(argv),
            "grep" | "egrep" | "fgrep" | "rg" | "ag" | "ack" => self.input_pattern(argv, canon),
            "md5sum" | "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum"
            | "b2sum" | "cksum" | "shasum" | "file" => self.listed_files(argv, canon),
            _ => {}
        }
    }

    fn tar_renaming(&mut self, argv: &[Arg], base: &str) {
        for item in scan(argv, &TAR) {
            let Item::Option { opt, word, .. } = item else {
                continue;
            };
            if names_any(&opt, TAR_RENAMING) {
                let v = word.lit().unwrap_or(&word.text);
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} {}: renames or selects members by pattern; where extraction writes is not known", clip(v)),
                    word.span,
                    argv,
                );
                return;
            }
        }
    }

    /// `tar --remove-files` deletes each file it archives: every operand
    /// (and, not knowing tar's option letters here, every other word that
    /// is no option) is judged as written.
    fn tar_remove_files(&mut self, argv: &[Arg], base: &str) {
        let removes = scan(argv, &TAR).any(
            |item| matches!(item, Item::Option { opt, .. } if names_any(&opt, &["remove-files"])),
        );
        if !removes {
            return;
        }
        for item in scan(argv, &TAR) {
            let a = match item {
                Item::Operand(a) | Item::Computed(a) => a,
                Item::Option {
                    value: Some(Value::Next(a)),
                    ..
                } if a.lit().is_none_or(|v| !v.starts_with('-')) => a,
                Item::Option { .. } => continue,
            };
            self.check_file(
                a,
                crate::guards::filesystem::FileOperation::Write,
                argv,
                &format!("{base} --remove-files"),
            );
        }
    }

    /// `md5sum -c LIST` (every checksum tool's `-c`/`--check`) and `file -f
    /// LIST` open and read every file named inside LIST (a file, the
    /// input): which files is not known, so the command is not modelled.
    fn listed_files(&mut self, argv: &[Arg], base: &str) {
        let (syntax, option) = if base == "file" {
            (&FILE, "-f")
        } else {
            (&CHECKSUMS, "-c")
        };
        for item in scan(argv, syntax) {
            let Item::Option { opt, word, .. } = item else {
                continue;
            };
            let lists = match base {
                "file" => matches!(opt, Opt::Short('f')) || names_any(&opt, &["files-from"]),
                _ => matches!(opt, Opt::Short('c')) || names_any(&opt, &["check"]),
            };
            if lists {
                let v = word.lit().unwrap_or(&word.text);
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base} {}: reads the files named in a list ({option}); which files is not known",
                        clip(v)
                    ),
                    word.span,
                    argv,
                );
                return;
            }
        }
    }

    /// GNU sed `-iSUFFIX`/`--in-place=SUFFIX`: a suffix with `/` names a
    /// backup path in another directory (`*` is the file's name).
    fn sed_backup(&mut self, argv: &[Arg], base: &str) {
        for item in scan(argv, &SED) {
            let Item::Option {
                opt: Opt::Short('i') | Opt::Long("in-place"),
                word,
                value: Some(Value::Attached(suffix)),
            } = item
            else {
                continue;
            };
            if suffix.contains('/') {
                let v = word.lit().unwrap_or(&word.text);
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} {}: a backup suffix with '/' writes the backup into another directory", clip(v)),
                    word.span,
                    argv,
                );
                return;
            }
        }
    }

    /// rsync `-M OPT`/`--remote-option=OPT` passes OPT to the receiving
    /// side, which for a local copy is a process of the same command:
    /// each value is taken out of its option and put in its place in
    /// `argv`, to be judged as the option rsync applies (`-M--log-file=F`
    /// writes F). A computed value is not modelled.
    pub(crate) fn lift_rsync_remote_options(&mut self, argv: &mut Vec<Arg>) {
        let mut lifted = false;
        // A value may itself be `-M…`: lifted in turn, a few levels.
        for _ in 0..4 {
            let (out, again) = self.rsync_lifted(argv);
            *argv = out;
            lifted |= again;
            if !again {
                break;
            }
        }
        if lifted {
            // A lifted option may be abbreviated too.
            self.resolve_long_options(argv, "rsync");
        }
    }

    fn rsync_lifted(&mut self, argv: &[Arg]) -> (Vec<Arg>, bool) {
        let mut out: Vec<Arg> = argv.iter().take(1).cloned().collect();
        let mut lifted = false;
        let mut i = 1;
        // With a `HOST:PATH` (or daemon) operand the values go to the other
        // host, whose files the analysis cannot see.
        let remote = argv.iter().skip(1).any(|a| {
            a.lit().is_some_and(|v| {
                !v.starts_with('-')
                    && !matches!(
                        super::implied::rsync_remote(v),
                        super::implied::RsyncSpec::Local
                    )
            })
        });
        let put = |this: &mut Self, value: Option<&Arg>, word: &Arg, out: &mut Vec<Arg>| {
            match value {
                Some(v) if remote => this.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "rsync -M {}: runs on the remote host, whose files the analysis cannot see",
                        clip(&v.shown())
                    ),
                    v.span,
                    argv,
                ),
                Some(v) if v.lit().is_some() => out.push(v.clone()),
                _ => this.unmodelled(
                    DecisionCode::UnmodelledOption,
                    "rsync -M: a remote option computed at run time is applied by the receiving side of a local copy"
                        .to_string(),
                    word.span,
                    argv,
                ),
            }
        };
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                out.push(a.clone());
                continue;
            };
            if v == "--" {
                out.extend(argv[i - 1..].iter().cloned());
                break;
            }
            if let Some(long) = v.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, x)) => (n, Some(x)),
                    None => (long, None),
                };
                if name == "remote-option" {
                    lifted = true;
                    let value = match inline {
                        Some(x) => Some(Arg::literal(x, a.span)),
                        None => {
                            i += 1;
                            argv.get(i - 1).cloned()
                        }
                    };
                    put(self, value.as_ref(), a, &mut out);
                    continue;
                }
                out.push(a.clone());
                if inline.is_none() && RSYNC_LONG_VALUES.contains(&name) {
                    if let Some(n) = argv.get(i) {
                        out.push(n.clone());
                    }
                    i += 1;
                }
                continue;
            }
            let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) else {
                out.push(a.clone());
                continue;
            };
            let mut done = false;
            for (k, c) in cluster.char_indices() {
                if !RSYNC_SHORT_VALUES.contains(c) {
                    continue;
                }
                let rest = &cluster[k + c.len_utf8()..];
                if c == 'M' {
                    lifted = true;
                    if k > 0 {
                        out.push(Arg::literal(&format!("-{}", &cluster[..k]), a.span));
                    }
                    let value = if rest.is_empty() {
                        i += 1;
                        argv.get(i - 1).cloned()
                    } else {
                        Some(Arg::literal(rest, a.span))
                    };
                    put(self, value.as_ref(), a, &mut out);
                } else {
                    out.push(a.clone());
                    if rest.is_empty() {
                        if let Some(n) = argv.get(i) {
                            out.push(n.clone());
                        }
                        i += 1;
                    }
                }
                done = true;
                break;
            }
            if !done {
                out.push(a.clone());
            }
        }
        (out, lifted)
    }

    /// What a local rsync does to files its options and operands name
    /// beyond the copy itself: `--remove-source-files` deletes each source
    /// (a file of `.git` as well), `--read-batch=FILE` writes into the
    /// destination the names the batch holds, and filter rules that merge
    /// further rule files (`dir-merge`, `-F`, a `merge` file whose own
    /// rules merge more) read files no word of the command names.
    fn rsync_effects(&mut self, argv: &[Arg]) {
        use crate::guards::filesystem::FileOperation::{Delete, Read};
        let mut operands: Vec<&Arg> = Vec::new();
        let mut removes = false;
        let mut batches: Vec<Arg> = Vec::new();
        let mut i = 1;
        let mut ended = false;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                operands.push(a);
                continue;
            };
            if ended || !v.starts_with('-') || v == "-" {
                operands.push(a);
                continue;
            }
            if v == "--" {
                ended = true;
                continue;
            }
            if let Some(long) = v.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, x)) => (n, Some(Arg::literal(x, a.span))),
                    None => (long, None),
                };
                let value = if inline.is_none() && RSYNC_LONG_VALUES.contains(&name) {
                    i += 1;
                    argv.get(i - 1).cloned()
                } else {
                    inline
                };
                match name {
                    "remove-source-files" | "remove-sent-files" => removes = true,
                    "read-batch" => batches.extend(value),
                    _ => {}
                }
                continue;
            }
            let cluster = &v[1..];
            for (k, c) in cluster.char_indices() {
                if c == 'F' {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        "rsync -F: reads the rules of a .rsync-filter file in every directory of the transfer, which can merge any further file".to_string(),
                        a.span,
                        argv,
                    );
                }
                if RSYNC_SHORT_VALUES.contains(c) {
                    if cluster[k + c.len_utf8()..].is_empty() {
                        i += 1;
                    }
                    break;
                }
            }
        }
        if operands.len() < 2 && batches.is_empty() {
            return;
        }
        let (dest, sources) = match operands.split_last() {
            Some((d, s)) => (*d, s),
            None => return,
        };
        let local = |a: &Arg| {
            a.lit().is_none_or(|v| {
                matches!(
                    super::implied::rsync_remote(v),
                    super::implied::RsyncSpec::Local
                )
            })
        };
        if removes {
            for s in sources.iter().filter(|s| local(s)) {
                self.check_file(s, Delete, argv, "rsync --remove-source-files");
            }
        }
        for b in &batches {
            self.check_file(b, Read, argv, "rsync --read-batch");
            if local(dest) {
                self.extract_into_pub(dest, argv, "rsync --read-batch");
            }
        }
    }

    fn rsync_options(&mut self, argv: &[Arg]) {
        self.rsync_effects(argv);
        for item in scan(argv, &RSYNC) {
            let Item::Option { opt, word, value } = item else {
                continue;
            };
            if names_any(&opt, &["daemon"]) {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    "rsync --daemon starts a server whose configuration can run commands (pre-xfer exec, post-xfer exec)".to_string(),
                    word.span,
                    argv,
                );
                return;
            }
            if !matches!(opt, Opt::Short('e') | Opt::Long("rsh")) {
                continue;
            }
            let shell = match value {
                Some(Value::Attached(x)) => Some(x),
                Some(Value::Next(n)) => n.lit(),
                None => None,
            };
            let Some(program) = shell.and_then(|s| s.split_whitespace().next()) else {
                continue;
            };
            if let Some(rule) = self.blocked_rule(program, word.span) {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::BlockedCommand,
                    format!("rsync -e runs {program}, and a blocked command rule names it"),
                    word.span,
                    argv,
                    Some(rule),
                );
                return;
            }
        }
    }

    /// yq's `load`, `load_str`, `load_xml`, … read any file named in the
    /// expression.
    fn yq_loads(&mut self, argv: &[Arg]) {
        for a in argv.iter().skip(1) {
            let text = a.lit().unwrap_or(&a.text);
            let mut rest = text;
            while let Some(k) = rest.find("load") {
                let after = rest[k + 4..]
                    .trim_start_matches(|c: char| c == '_' || c.is_ascii_alphanumeric());
                if after.trim_start().starts_with('(') {
                    self.unmodelled(
                        DecisionCode::UnmodelledProgram,
                        "yq: the expression loads a file (load, load_str, …) that is not judged"
                            .to_string(),
                        a.span,
                        argv,
                    );
                    return;
                }
                rest = &rest[k + 4..];
            }
        }
    }

    /// `xargs grep`: the input words fill grep's pattern slot, but they
    /// are several words and may be options and files (`-r PATTERN DIR`).
    fn input_pattern(&mut self, argv: &[Arg], base: &str) {
        for a in argv.iter().skip(1) {
            match a.lit() {
                // A pattern or the end of options comes first: the input
                // words are operands judged elsewhere.
                Some(v) if !v.starts_with('-') || v == "--" => return,
                Some(v)
                    if matches!(v, "-e" | "-f" | "--regexp" | "--file")
                        || v.starts_with("--regexp=")
                        || v.starts_with("--file=") =>
                {
                    return
                }
                Some(_) => {}
                None if a.text == "{input}" => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{base}: the words xargs adds fill the pattern slot and may be options and files"),
                        a.span,
                        argv,
                    );
                    return;
                }
                None => return,
            }
        }
    }
}
