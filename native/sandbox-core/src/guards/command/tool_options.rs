//! Options of single tools that change which files they touch or which
//! programs they run, read as the tool reads them: tar's member renaming
//! and selection on extraction, `script`'s typescript operand, sed's
//! in-place backup path, rsync's daemon and remote shell, yq's file
//! loading operators, and grep's pattern slot filled by `xargs`.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};

/// tar options that rename members or widen the members named
/// (`--transform` into `.git/hooks/`, `--one-top-level=.git`,
/// `--wildcards '*'`): where extraction writes is then not known.
const TAR_RENAMING: &[&str] = &["--transform", "--xform", "--one-top-level", "--wildcards"];

/// Whether the long option word `v` is `name` or a getopt_long
/// abbreviation of it (at least `--` and two letters).
fn spells(v: &str, name: &str) -> bool {
    let n = v.split('=').next().unwrap_or(v);
    n.len() >= 4 && name.starts_with(n)
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
            _ => {}
        }
    }

    fn tar_renaming(&mut self, argv: &[Arg], base: &str) {
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            if v.starts_with("--") && TAR_RENAMING.iter().any(|n| spells(v, n)) {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} {}: renames or selects members by pattern; where extraction writes is not known", clip(v)),
                    a.span,
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
        let words = argv.iter().skip(1);
        let removes = words
            .clone()
            .take_while(|a| !a.is("--"))
            .filter_map(|a| a.lit())
            .any(|v| v.starts_with("--") && spells(v, "--remove-files"));
        if !removes {
            return;
        }
        for a in words {
            if a.lit().is_some_and(|v| v.starts_with('-')) {
                continue;
            }
            self.check_file(
                a,
                crate::guards::filesystem::FileOperation::Write,
                argv,
                &format!("{base} --remove-files"),
            );
        }
    }

    /// GNU sed `-iSUFFIX`/`--in-place=SUFFIX`: a suffix with `/` names a
    /// backup path in another directory (`*` is the file's name).
    fn sed_backup(&mut self, argv: &[Arg], base: &str) {
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            let suffix = if v.starts_with("--") {
                v.split_once('=')
                    .filter(|(n, _)| n.len() >= 3 && "--in-place".starts_with(n))
                    .map(|(_, s)| s)
            } else if let Some(cluster) = v.strip_prefix('-') {
                // Flags before `i`; `e`, `f`, `l` take the rest as a value.
                let mut found = None;
                for (k, c) in cluster.char_indices() {
                    match c {
                        'i' => {
                            found = Some(&cluster[k + 1..]);
                            break;
                        }
                        'e' | 'f' | 'l' => break,
                        _ => {}
                    }
                }
                found
            } else {
                None
            };
            if suffix.is_some_and(|s| s.contains('/')) {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} {}: a backup suffix with '/' writes the backup into another directory", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
        }
    }

    fn rsync_options(&mut self, argv: &[Arg]) {
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            if v.starts_with("--") && spells(v, "--daemon") {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    "rsync --daemon starts a server whose configuration can run commands (pre-xfer exec, post-xfer exec)".to_string(),
                    a.span,
                    argv,
                );
                return;
            }
            let shell = if v == "-e" || v == "--rsh" {
                i += 1;
                argv.get(i - 1).and_then(|n| n.lit()).map(str::to_string)
            } else if let Some(x) = v.strip_prefix("--rsh=") {
                Some(x.to_string())
            } else if v.starts_with('-') && !v.starts_with("--") && v.len() > 2 {
                // A cluster ending in `e` with the value attached.
                v.find('e')
                    .map(|k| v[k + 1..].to_string())
                    .filter(|x| !x.is_empty())
            } else {
                None
            };
            let Some(shell) = shell else { continue };
            let Some(program) = shell.split_whitespace().next() else {
                continue;
            };
            if let Some(rule) = self.blocked_rule(program, a.span) {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::BlockedCommand,
                    format!("rsync -e runs {program}, and a blocked command rule names it"),
                    a.span,
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
