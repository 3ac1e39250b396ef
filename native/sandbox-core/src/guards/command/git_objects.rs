//! Blocked content through git's object database.
//!
//! A git object name `REV:PATH` (`HEAD:.env`, `:.env` for the index,
//! `:2:.env` for a merge stage, `stash@{0}:x`) names the committed copy of
//! the working-tree path PATH, relative to the top of the working tree (or
//! to the working directory when it starts with `./` or `../`). A pathspec
//! of a subcommand that prints content (`git log -p -- .env`, `git archive
//! HEAD .env`, `git show REV -- .env`) names it too. Each is judged as a
//! read of that path in the repository's working tree, the decision `cat
//! PATH` gets; a directory, or a pattern, is judged for the blocked entries
//! below it (it prints them all). What the command does not name is not
//! judged: `git log -p` and `git show HEAD` print history, which is the
//! repository's content as a walk of the working tree is (docs/commands.md,
//! "Blocked content in git's history").

use super::normalize::Arg;
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation::Read;
use crate::guards::filesystem::FileRequest;

/// Subcommands that print the content of the objects or paths they name.
const CONTENT: &[&str] = &[
    "show",
    "log",
    "whatchanged",
    "diff",
    "diff-tree",
    "diff-index",
    "diff-files",
    "format-patch",
    "archive",
    "blame",
    "annotate",
    "range-diff",
    "cat-file",
    "grep",
    "difftool",
];

/// Whether `sub` prints the content of the paths its pathspecs name.
pub(crate) fn prints_content(sub: &str) -> bool {
    CONTENT.contains(&sub)
}

/// Subcommands whose `a:b` words are refspecs, remotes or URLs, not object
/// names.
const NOT_OBJECTS: &[&str] = &[
    "push",
    "fetch",
    "pull",
    "clone",
    "remote",
    "ls-remote",
    "config",
    "submodule",
    "request-pull",
    "send-pack",
    "fetch-pack",
    "bundle",
    "help",
    "init",
];

/// Options whose value is the next word, in any subcommand (a flag listed
/// here would hide the word after it, so only sure ones are).
const VALUE_OPTIONS: &[&str] = &[
    "-m",
    "--message",
    "-F",
    "--file",
    "--template",
    "--trailer",
    "--author",
    "--committer",
    "--grep",
    "--since",
    "--after",
    "--until",
    "--before",
    "--max-count",
    "--skip",
    "--prefix",
    "--output",
    "--remote",
    "--exec",
    "--encoding",
];

/// The further options with a value in the next word of one subcommand.
fn value_options(sub: &str) -> &'static [&'static str] {
    match sub {
        "log" | "show" | "whatchanged" | "format-patch" | "diff" | "diff-tree" | "diff-index"
        | "diff-files" => &["-n", "-L", "-S", "-G", "-O", "-U"],
        "grep" => &[
            "-e",
            "-f",
            "-A",
            "-B",
            "-C",
            "-m",
            "--max-depth",
            "--threads",
        ],
        "commit" | "tag" | "merge" | "notes" => &["-t"],
        "archive" => &["-o"],
        _ => &[],
    }
}

/// The path an object name `word` takes from a tree or the index, as git's
/// `get_oid_with_context` reads it, and whether it is relative to the
/// working directory (`./`, `../`) rather than the top of the tree. `:/TEXT`
/// names a commit by its message: no path.
pub(crate) fn object_path(word: &str) -> Option<(&str, bool)> {
    let path = if let Some(rest) = word.strip_prefix(':') {
        if rest.starts_with('/') {
            return None;
        }
        // `:N:PATH`, a merge stage.
        match rest.as_bytes() {
            [d, b':', ..] if d.is_ascii_digit() => &rest[2..],
            _ => rest,
        }
    } else {
        // The first `:` outside `{…}` (`@{12:00}` holds one).
        let mut depth = 0usize;
        let mut at = None;
        for (i, c) in word.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => depth -= 1,
                ':' if depth == 0 => {
                    at = Some(i);
                    break;
                }
                _ => {}
            }
        }
        &word[at? + 1..]
    };
    let cwd = path == "." || path == ".." || path.starts_with("./") || path.starts_with("../");
    Some((path, cwd))
}

impl Analyzer<'_> {
    /// The object names and content pathspecs of one git command
    /// (`rest`: the words after the subcommand `sub`), judged as reads of
    /// the working-tree paths they name. `work_tree` and `git_dir` are the
    /// global options' values, when given.
    pub(crate) fn git_object_model(
        &mut self,
        argv: &[Arg],
        sub: &str,
        rest: &[Arg],
        work_tree: Option<&Arg>,
        git_dir: Option<&Arg>,
    ) {
        if NOT_OBJECTS.contains(&sub) || (sub == "archive" && has_remote(rest)) {
            return;
        }
        let content = CONTENT.contains(&sub)
            && (!matches!(sub, "log" | "whatchanged") || shows_patches(rest));
        let extra = value_options(sub);
        let mut names: Vec<Arg> = Vec::new();
        let mut specs: Vec<Arg> = Vec::new();
        let mut unknown: Option<String> = None;
        // `git grep PATTERN …`: the first operand is the pattern unless
        // `-e`/`-f` gives it.
        let mut pattern_pending = sub == "grep"
            && !rest.iter().any(|a| {
                a.lit().is_some_and(|v| {
                    v == "-e" || v == "-f" || (v.starts_with("-f") && !v.starts_with("--"))
                })
            });
        let mut k = 0;
        while k < rest.len() {
            let a = &rest[k];
            k += 1;
            let Some(v) = a.lit() else {
                if a.prefix.starts_with('-') || !content {
                    // An option with a computed value; or a subcommand that
                    // prints no content.
                    continue;
                }
                if a.pattern.is_some() {
                    // A glob word bash passes on when nothing matches.
                    specs.push(a.clone());
                } else {
                    unknown.get_or_insert_with(|| {
                        format!("the operand {} is computed at run time (an object name or pathspec may name a blocked file)", super::normalize::clip(&a.shown()))
                    });
                }
                continue;
            };
            if v == "--" {
                if content && sub != "grep" {
                    specs.extend(rest[k..].iter().cloned());
                }
                break;
            }
            if VALUE_OPTIONS.contains(&v) || extra.contains(&v) {
                if v == "-L" && sub != "blame" {
                    if let Some(next) = rest.get(k) {
                        self.log_line_range(next, argv, sub);
                    }
                }
                k += 1;
                continue;
            }
            if let Some(l) = v.strip_prefix("-L").filter(|_| sub != "blame") {
                self.log_line_range(&Arg::literal(l, a.span), argv, sub);
                continue;
            }
            if let Some(f) = v.strip_prefix("--add-file=") {
                self.check_file(
                    &Arg::literal(f, a.span),
                    Read,
                    argv,
                    "git archive --add-file",
                );
                continue;
            }
            if v.starts_with('-') && v.len() > 1 {
                if content
                    && matches!(
                        v,
                        "--stdin" | "--batch" | "--batch-command" | "--batch-all-objects"
                    )
                    || v.starts_with("--batch=")
                    || v.starts_with("--batch-command=")
                {
                    unknown.get_or_insert_with(|| {
                        format!("{v} takes object names or paths from standard input")
                    });
                }
                continue;
            }
            if std::mem::take(&mut pattern_pending) {
                continue;
            }
            names.push(a.clone());
            // grep's pathspecs are judged by the git model already.
            if content && sub != "grep" {
                // Without `--`, a word that is no revision is a path.
                specs.push(a.clone());
            }
        }
        let roots = self.object_roots(work_tree, git_dir);
        if let Some(why) = unknown {
            // Judged as the whole tree: not modelled where a blocked entry
            // is in it.
            let rule = roots
                .iter()
                .flatten()
                .find_map(|r| self.fs.blocked_below(r));
            if let Some(rule) = rule {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("git {sub}: {why}; a blocked entry is in the working tree ({rule})"),
                    argv[0].span,
                    argv,
                );
            }
        }
        for a in &names {
            let Some((path, cwd)) = a.lit().and_then(object_path) else {
                continue;
            };
            if path.is_empty() {
                // `REV:`, the root tree: the whole tree.
                continue;
            }
            let mut targets: Vec<Option<String>> = Vec::new();
            if cwd {
                targets.push(self.resolve(path, false));
            }
            if !cwd || work_tree.is_some() {
                for r in &roots {
                    targets.push(r.as_ref().map(|r| format!("{r}/{path}")));
                }
            }
            for t in targets {
                self.committed_read(t, path, a, argv, sub);
            }
        }
        for a in specs {
            self.check_pathspec_pub(&a, Read, argv, sub);
        }
    }

    /// The tops of the working trees an object name's path is relative to:
    /// the `--work-tree`, the repository around the working directory, the
    /// one whose `.git` `--git-dir` names; `None` for one not known.
    fn object_roots(&self, work_tree: Option<&Arg>, git_dir: Option<&Arg>) -> Vec<Option<String>> {
        let mut roots = Vec::new();
        if let Some(w) = work_tree {
            roots.push(w.lit().and_then(|v| self.resolve(v, w.home)));
        }
        if let Some(d) = git_dir {
            // `DIR/.git` belongs to the tree at DIR; another name to a tree
            // not known.
            let parent = d.lit().and_then(|v| {
                let t = v.trim_end_matches('/');
                let parent = if t == ".git" {
                    "."
                } else {
                    t.strip_suffix("/.git")?
                };
                self.resolve(if parent.is_empty() { "/" } else { parent }, d.home)
            });
            roots.push(parent);
        }
        match self.git_top(".", false) {
            Some(t) => roots.push(Some(t)),
            None if roots.is_empty() => roots.push(self.resolve(".", false)),
            None => {}
        }
        roots
    }

    /// One committed path, resolved to `target` in a working tree (`None`:
    /// a tree not known), judged as a read: refused where the path is
    /// refused; a directory with a blocked entry below it (whose every file
    /// the command may print) not modelled.
    fn committed_read(
        &mut self,
        target: Option<String>,
        path: &str,
        a: &Arg,
        argv: &[Arg],
        sub: &str,
    ) {
        let Some(t) = target else {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "git {sub} {}: the working tree whose committed file it names is not known",
                    super::normalize::clip(&a.shown())
                ),
                a.span,
                argv,
            );
            return;
        };
        let d = self.fs_check(&FileRequest::new(&t, Read));
        if !d.is_allowed() {
            self.finding(
                Verdict::Deny,
                DecisionCode::FileAccessDenied,
                format!(
                    "git {sub} {}: the committed copy of {path} is a read of it, which the filesystem policy refuses ({}: {})",
                    super::normalize::clip(&a.shown()),
                    d.code,
                    d.reason
                ),
                a.span,
                argv,
                d.rule.clone(),
            );
            return;
        }
        if let Some(rule) = self.fs.blocked_below(&t) {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "git {sub} {}: the committed tree holds the blocked entries below {path} ({rule})",
                    super::normalize::clip(&a.shown())
                ),
                a.span,
                argv,
            );
        }
    }

    /// `git log -L START,END:FILE` or `-L :FUNC:FILE`: the lines of FILE
    /// (relative to the working directory) are printed from each commit.
    fn log_line_range(&mut self, spec: &Arg, argv: &[Arg], sub: &str) {
        let Some(v) = spec.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("git {sub} -L: the file is computed at run time"),
                spec.span,
                argv,
            );
            return;
        };
        if let Some((_, file)) = v.rsplit_once(':') {
            self.check_pathspec_pub(&Arg::literal(file, spec.span), Read, argv, sub);
        }
    }
}

/// Whether `git log`'s words make it print content: a patch (`-p`, `-u`,
/// `-U3`, `--cc`, `--word-diff`, …) or a pickaxe search of it (`-S`, `-G`,
/// which tells whether the content holds a string). A computed word may be
/// one. Without, `log` prints commit metadata only.
fn shows_patches(rest: &[Arg]) -> bool {
    rest.iter().take_while(|a| !a.is("--")).any(|a| {
        let Some(v) = a.lit() else { return true };
        matches!(v, "-p" | "-u" | "-c" | "--cc" | "--dd" | "-m" | "--binary")
            || [
                "--patch",
                "--word-diff",
                "--color-words",
                "--unified",
                "--pickaxe",
            ]
            .iter()
            .any(|p| v.starts_with(p))
            || (["-U", "-S", "-G"].iter().any(|p| v.starts_with(p)))
    })
}

/// Whether `git archive` fetches from a remote (`--remote`).
fn has_remote(rest: &[Arg]) -> bool {
    rest.iter().any(|a| {
        a.lit()
            .is_some_and(|v| v == "--remote" || v.starts_with("--remote="))
    })
}

#[cfg(test)]
mod tests {
    use super::object_path;

    #[test]
    fn object_names_take_their_path_as_git_does() {
        for (word, want) in [
            ("HEAD:.env", Some((".env", false))),
            (":.env", Some((".env", false))),
            (":2:.env", Some((".env", false))),
            ("HEAD:./.env", Some(("./.env", true))),
            ("HEAD:../x", Some(("../x", true))),
            ("HEAD@{12:00}:.env", Some((".env", false))),
            ("stash@{0}:config/.env", Some(("config/.env", false))),
            ("main:", Some(("", false))),
            (":/fix the bug", None),
            ("HEAD", None),
            ("HEAD@{12:00}", None),
        ] {
            assert_eq!(object_path(word), want, "{word}");
        }
    }
}
