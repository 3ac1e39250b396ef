//! Code fetched by git and run later in the same command (`git clone URL
//! x && sh x/install.sh`, `git pull URL && make`): like `curl … | sh`, the
//! content is not known when the command is judged, so running anything
//! from the working tree after such a fetch is `DOWNLOAD_TO_SHELL`. Also
//! the files git subcommands read or write through their options
//! (`blame --contents`, `archive --add-file`, `grep -f`,
//! `apply --build-fake-ancestor`) and repositories fetched from local
//! paths (judged as reads).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation::{self, Read, Write};
use crate::guards::filesystem::Platform;

/// Per subcommand, options whose value is a file: (subcommand, option,
/// operation).
const FILE_OPTIONS: &[(&str, &str, FileOperation)] = &[
    ("blame", "--contents", Read),
    ("blame", "--ignore-revs-file", Read),
    ("annotate", "--contents", Read),
    ("archive", "--add-file", Read),
    ("grep", "-f", Read),
    ("apply", "--build-fake-ancestor", Write),
    // Revision and pattern lists read from a file.
    ("blame", "-S", Read),
    ("annotate", "-S", Read),
    ("ls-files", "-X", Read),
    ("ls-files", "--exclude-from", Read),
    // The order file of the diff options.
    ("diff", "-O", Read),
    ("log", "-O", Read),
    ("show", "-O", Read),
    ("diff-tree", "-O", Read),
    ("diff-index", "-O", Read),
    ("diff-files", "-O", Read),
    ("format-patch", "-O", Read),
    // Appended as the signature of every patch (and the cover letter).
    ("format-patch", "--signature-file", Read),
];

/// Whether `v` starts with a drive (`C:`): git on Windows reads such an
/// argument as a local path, not as scp-like `host:path`
/// (`has_dos_drive_prefix` in its `url_is_local_not_ssh`).
fn has_drive(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Whether a repository argument names a network location.
pub(crate) fn is_url(v: &str, windows: bool) -> bool {
    if v.contains("://") {
        return true;
    }
    if windows && has_drive(v) {
        return false;
    }
    // scp-like `host:path` (a `:` before any `/`).
    match (v.find(':'), v.find('/')) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether a repository argument names a local path (not a remote name).
pub(crate) fn is_path(v: &str, windows: bool) -> bool {
    v.starts_with('/')
        || v.starts_with('~')
        || v.starts_with('.')
        || v.contains('/')
        || (windows && (has_drive(v) || v.contains('\\')))
}

impl Analyzer<'_> {
    pub(crate) fn git_fetch_model(&mut self, argv: &[Arg], sub: &str, rest: &[Arg]) {
        for (k, a) in rest.iter().enumerate() {
            let Some(v) = a.lit() else { continue };
            for (s, name, op) in FILE_OPTIONS {
                if *s != sub {
                    continue;
                }
                let value = if v == *name {
                    rest.get(k + 1).cloned()
                } else if let Some(x) = v.strip_prefix(&format!("{name}=")) {
                    Some(Arg::literal(x, a.span))
                } else if name.len() == 2 && v.starts_with(name) && v.len() > 2 {
                    Some(Arg::literal(&v[2..], a.span))
                } else {
                    None
                };
                if let Some(f) = value {
                    self.check_file(&f, *op, argv, &format!("git {sub} {name}"));
                }
            }
        }
        // `git ls-remote REPO`: a local path is opened (as a repository,
        // a bundle or a gitfile) and read, as by a fetch.
        if sub == "ls-remote" {
            let mut skip = false;
            for a in rest {
                if std::mem::take(&mut skip) {
                    continue;
                }
                match a.lit() {
                    Some("-o" | "--server-option" | "--upload-pack" | "--sort" | "-u") => {
                        skip = true
                    }
                    Some(v) if v.starts_with('-') => {}
                    Some(v) => {
                        let windows = self.fs.platform() == Platform::Windows;
                        if !is_url(v, windows) && is_path(v, windows) {
                            self.check_file(a, Read, argv, "git ls-remote");
                        }
                        break;
                    }
                    None => break,
                }
            }
            return;
        }
        // The repository operand of the subcommands that fetch.
        let words: Vec<&Arg> = rest
            .iter()
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            .collect();
        let words: &[&Arg] = match sub {
            "clone" | "fetch" | "pull" => &words,
            "submodule" if words.first().is_some_and(|w| w.is("add")) => &words[1..],
            _ => return,
        };
        // (An option's value may come first: `git clone -b main URL`.)
        let windows = self.fs.platform() == Platform::Windows;
        if let Some(url) = words
            .iter()
            .find_map(|w| w.lit().filter(|v| is_url(v, windows)))
        {
            self.fetched = Some(format!("git {sub} {}", clip(url)));
            return;
        }
        if let Some(repo) = words.first() {
            if repo.lit().is_some_and(|v| is_path(v, windows)) {
                self.check_file(repo, Read, argv, &format!("git {sub}"));
            }
        }
    }

    /// After a git fetch from a URL: a program run by path, a script given
    /// to a shell or an interpreter, or a build tool runs fetched code.
    /// After a git command that wrote files of the working tree it does not
    /// name (`git stash pop`, `git checkout REV`, `git checkout -- .`,
    /// `git reset --hard`, `git merge`, …): the same runs files whose
    /// content the analysis did not see, as after `echo … > Makefile`.
    pub(crate) fn check_fetched_exec(&mut self, argv: &[Arg], base: &str) {
        if self.fetched.is_none() && self.checked_out.is_none() {
            return;
        }
        let name = argv[0].lit().unwrap_or_default();
        let interpreter = super::wrappers::SHELLS.contains(&base)
            || matches!(base, "source" | "." | "node" | "perl" | "ruby" | "php")
            || base.starts_with("python");
        let runs = name.contains('/')
            || (interpreter && argv.len() > 1)
            || super::known::is_project_tool(base)
            || matches!(super::programs::canonical(base).as_str(), "make" | "gmake");
        let Some(what) = self.fetched.clone() else {
            if let (true, Some(what)) = (runs, self.checked_out.clone()) {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("{base} runs code from the working tree after {what} wrote files there in the same command: their content is not analysed"),
                    argv[0].span,
                    argv,
                );
            }
            return;
        };
        if runs {
            self.finding(
                Verdict::Deny,
                DecisionCode::DownloadToShell,
                format!("{base} runs code from the working tree after {what} fetched it in the same command"),
                argv[0].span,
                argv,
                None,
            );
        }
    }
}
