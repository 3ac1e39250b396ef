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

    fn rsync_options(&mut self, argv: &[Arg]) {
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
