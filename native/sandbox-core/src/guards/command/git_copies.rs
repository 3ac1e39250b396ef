//! Copying or renaming a git directory makes another one: `cp -r r3 d`
//! (a bare repository), `cp -r .git/. d`, `cp -r .git/* d/`, `mv r3 d`
//! leave HEAD, objects, refs, a config and hooks in the destination, and
//! git takes it for a repository when run there. The destination is then
//! a git directory the command made: later writes to its configuration
//! and hooks are judged as writes to a git directory's. Copying a
//! directory into a git directory (`cp -r s/hooks r3/`) writes the entry of
//! that name there, judged as such a write.
//!
//! Plain writes make one too: git takes any directory holding `HEAD`,
//! `objects/` and `refs/` (or a `commondir`) for a bare repository, and
//! checks that before the parent's `.git`. A directory given one of those
//! entries by the command (`mkdir -p s/objects`, `echo … > s/HEAD`) is a
//! git directory the command made, as is the working directory of `git
//! init --bare` without a directory. A git command that may use such a
//! directory (found from its working directory or `-C`, named by
//! `--git-dir`, or made the git directory by `--bare`) reads a
//! configuration the analysis did not see: not modelled.

use super::normalize::{clip, Arg};
use super::rules::normalize_path;
use super::walk::Analyzer;
use super::wrappers::scan_options;
use super::Span;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation::Write;
use crate::guards::filesystem::{GIT_DIR_INDIRECTIONS, GIT_DIR_RUN_STATE};
use std::path::{Path, PathBuf};

/// Entries that make a directory a git directory to git's discovery.
const GIT_DIR_MARKS: &[&str] = &["HEAD", "objects", "refs", "commondir"];

/// The directories a written path makes git directories: the parent of
/// each component named like a git directory's own entry.
fn marked_dirs(path: &str) -> Vec<String> {
    let p = normalize_path(path);
    let parts: Vec<&str> = p.split('/').collect();
    let mut out = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        if !GIT_DIR_MARKS.contains(part) {
            continue;
        }
        let dir = match parts[..k].join("/") {
            d if d.is_empty() && p.starts_with('/') => "/".to_string(),
            d if d.is_empty() => ".".to_string(),
            d => d,
        };
        out.push(dir);
    }
    out
}

/// Whether the command copies or moves directories (with their content).
fn copies_trees(argv: &[Arg], canon: &str) -> bool {
    match canon {
        "mv" => true,
        "cp" | "rsync" => argv.iter().skip(1).filter_map(|a| a.lit()).any(|v| {
            matches!(v, "--recursive" | "--archive")
                || (v.starts_with('-')
                    && !v.starts_with("--")
                    && v[1..].chars().any(|c| matches!(c, 'r' | 'R' | 'a')))
        }),
        _ => false,
    }
}

/// A source word: its text (a glob keeps its pattern) and whether it names
/// the contents of a directory (`DIR/.`, `DIR/*`) rather than the directory.
fn source_of(a: &Arg) -> Option<(String, bool)> {
    let text = a.lit().or(a.pattern.as_deref())?;
    let t = text.trim_end_matches('/');
    for suffix in ["/.", "/*", "/.*"] {
        if let Some(dir) = t.strip_suffix(suffix) {
            return Some((dir.to_string(), true));
        }
    }
    Some((t.to_string(), false))
}

impl Analyzer<'_> {
    /// A path the command writes or creates: a component named `HEAD`,
    /// `objects`, `refs` or `commondir` makes its directory a git directory
    /// the command made.
    pub(crate) fn note_git_dir_entry(&mut self, path: &str, span: Span, argv: &[Arg]) {
        for dir in marked_dirs(path) {
            // A `.git` is protected by its name already.
            if super::rules::basename(&dir) != ".git" && !self.shell.git_dirs.contains(&dir) {
                self.check_prewritten_git_dir(&dir, false, span, argv);
                self.shell.git_dirs.push(dir);
            }
        }
    }

    /// A directory becomes a git directory (`git init --bare DIR`, `git
    /// init --separate-git-dir DIR`, `HEAD`, `objects/` or `refs/` written
    /// into it) while it already holds what git reads as configuration or
    /// runs (its `config`, `hooks/`, `info/`, …: the entries the
    /// filesystem guard protects in a git directory), written by this
    /// command before (or the directory itself copied or extracted there)
    /// or by an earlier one: git init keeps them, and git then reads that
    /// configuration and runs those hooks (a push to the directory runs
    /// its `pre-receive`). Written in the other order the entries are
    /// refused; in this one too. A directory that is a git directory on
    /// disk already has them protected. `whole`: `git init` or `git clone`
    /// makes it, after which a write of the directory itself (`cp -r T
    /// DIR`, extracted into it) counts too; a copy of a git directory
    /// (`cp -r r3 d`) is one the analysis knows.
    pub(crate) fn check_prewritten_git_dir(
        &mut self,
        dir: &str,
        whole: bool,
        span: Span,
        argv: &[Arg],
    ) {
        // Inside a `.git` every such entry is protected by its name.
        if dir.is_empty() || dir.split('/').any(|c| c == ".git") {
            return;
        }
        let host = self.fs.host_path_of(dir);
        if host.as_ref().is_some_and(|h| {
            h.join("HEAD").is_file() && h.join("objects").is_dir() && h.join("refs").is_dir()
        }) {
            return;
        }
        let written = self.written.iter().find_map(|(p, _)| {
            let rest = self.below_dir(dir, p)?;
            if rest.is_empty() {
                return whole.then(|| format!("{dir} (written as a whole)"));
            }
            GIT_DIR_INDIRECTIONS
                .iter()
                .chain(GIT_DIR_RUN_STATE)
                .find(|e| rest == **e || rest.starts_with(&format!("{e}/")))
                .map(|e| format!("{dir}/{e}"))
        });
        let found = written
            .map(|w| (w, "earlier in the same command"))
            .or_else(|| {
                let h = host.as_ref()?;
                GIT_DIR_INDIRECTIONS
                    .iter()
                    .chain(GIT_DIR_RUN_STATE)
                    .find(|e| std::fs::symlink_metadata(h.join(e)).is_ok())
                    .map(|e| (format!("{dir}/{e}"), "before (it exists)"))
            });
        let Some((entry, when)) = found else { return };
        self.finding(
            Verdict::Deny,
            DecisionCode::ProtectedPath,
            format!(
                "{} becomes a git directory, and {} was written {when}: git keeps it and reads it as configuration or runs it as a hook, which the analysis did not see",
                clip(dir),
                clip(&entry)
            ),
            span,
            argv,
            None,
        );
    }

    /// A git command that reaches another repository through a local path
    /// (`push`, `fetch`, `pull`, `ls-remote`, `clone`, `archive --remote`,
    /// `submodule add`) runs git in that repository: a push runs its
    /// `pre-receive`/`update`/`post-receive` hooks and obeys its
    /// configuration. Where the command made that repository (or any, and
    /// the repository is a remote name, the configured remote or computed
    /// at run time, which may lead to it) that is not modelled.
    pub(crate) fn check_transport_to_made_git_dir(
        &mut self,
        argv: &[Arg],
        sub: &str,
        rest: &[Arg],
    ) {
        if self.shell.git_dirs.is_empty() {
            return;
        }
        let words: Vec<&Arg> = rest
            .iter()
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            .collect();
        let repo: Option<Arg> = match sub {
            "push" | "fetch" | "pull" | "ls-remote" | "clone" | "send-pack" | "fetch-pack"
            | "request-pull" => words.first().map(|a| (*a).clone()),
            "submodule" if words.first().is_some_and(|w| w.is("add")) => {
                words.get(1).map(|a| (*a).clone())
            }
            "archive" => match rest.iter().find_map(|a| {
                let v = a.lit()?;
                v.strip_prefix("--remote=")
                    .map(|x| Arg::literal(x, a.span))
                    .or_else(|| (v == "--remote").then(|| Arg::literal("", a.span)))
            }) {
                Some(r) => Some(r),
                None => return,
            },
            _ => return,
        };
        let windows = self.fs.platform() == crate::guards::filesystem::Platform::Windows;
        let span = repo.as_ref().map_or(argv[0].span, |r| r.span);
        let why = match repo.as_ref().map(|r| (r.lit(), r.home)) {
            None => Some("the configured remote".to_string()),
            Some((None, _)) => Some("a repository computed at run time".to_string()),
            Some((Some(v), home)) => {
                let local = v.strip_prefix("file://");
                if local.is_none() && super::fetched::is_url(v, windows) {
                    None
                } else if local.is_none() && !super::fetched::is_path(v, windows) {
                    Some(format!("the remote {}", clip(v)))
                } else {
                    let path = self
                        .resolve(local.unwrap_or(v), home)
                        .map(|p| normalize_path(&p));
                    let made = self.shell.git_dirs.iter().find(|g| {
                        g.is_empty()
                            || path.as_ref().is_none_or(|p| {
                                self.below_dir(g, p).is_some_and(|r| r.is_empty())
                                    || self.below_dir(p, g).is_some_and(|r| r == ".git")
                            })
                    });
                    made.map(|_| format!("the repository {}", clip(v)))
                }
            }
        };
        if let Some(why) = why {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "git {sub} runs git in {why}, which may be a git directory the command itself made: its hooks and configuration are not analysed"
                ),
                span,
                argv,
            );
        }
    }

    /// The part of `path` below `dir` (both resolved), compared as host
    /// paths when the guard knows them (`s` and `/ws/s` are one directory).
    pub(crate) fn below_dir(&self, dir: &str, path: &str) -> Option<String> {
        if let (Some(d), Some(p)) = (self.fs.host_path_of(dir), self.fs.host_path_of(path)) {
            let rest = p.strip_prefix(&d).ok()?;
            return Some(rest.to_string_lossy().replace('\\', "/"));
        }
        let (d, p) = (normalize_path(dir), normalize_path(path));
        if d == p {
            return Some(String::new());
        }
        if d == "." && !p.starts_with('/') && !p.starts_with("..") && !p.starts_with('~') {
            return Some(p);
        }
        p.strip_prefix(&format!("{}/", d.trim_end_matches('/')))
            .map(str::to_string)
    }

    /// A git command that may use a git directory the command made: git
    /// looks for one from its start directory (the working directory after
    /// `-C`) upwards, takes `--git-dir` as it is, and with `--bare` the
    /// start directory itself. Judged before the command's own `git init
    /// --bare` marks its directory.
    pub(crate) fn check_made_git_dir_use(&mut self, argv: &[Arg]) {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        // The analysis runs in `-C`'s directory already.
        let start = self.resolve(".", false).map(|p| normalize_path(&p));
        let mut named: Vec<Option<String>> = Vec::new();
        for (opt, idx, inline) in &scan.opts {
            if opt != "--git-dir" {
                continue;
            }
            let value = match (idx, inline) {
                (Some(i), _) => argv.get(*i).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            };
            let joined = match (
                &start,
                value.as_ref().and_then(|a| a.lit().map(|v| (v, a.home))),
            ) {
                (_, Some((v, _))) if v.starts_with('/') => Some(normalize_path(v)),
                (_, Some((v, true))) if v == "~" || v.starts_with("~/") => Some(normalize_path(v)),
                (Some(s), Some((v, _))) => Some(normalize_path(&format!("{s}/{v}"))),
                _ => None,
            };
            named.push(joined);
        }
        // `git --bare`: the start directory is the git directory.
        if scan.opts.iter().any(|(o, _, _)| o == "--bare") {
            named.push(start.clone());
        }
        if self.shell.git_dirs.is_empty() {
            return;
        }
        let hit = self.shell.git_dirs.iter().find(|g| {
            g.is_empty()
                || start
                    .as_ref()
                    .is_none_or(|s| self.below_dir(g, s).is_some())
                || named.iter().any(|n| {
                    n.as_ref()
                        .is_none_or(|n| self.below_dir(g, n).is_some_and(|r| r.is_empty()))
                })
        });
        if let Some(g) = hit.cloned() {
            let shown = if g.is_empty() {
                "a directory not known"
            } else {
                g.as_str()
            };
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "git may use {} as its git directory, which the command itself made (HEAD, objects/, refs/ or git init --bare): git reads its configuration and runs its hooks, which the analysis did not see",
                    clip(shown)
                ),
                argv[0].span,
                argv,
            );
        }
    }

    /// `git worktree add DIR`, `git clone URL DIR`, `git init DIR`, `git
    /// submodule add URL DIR`: a repository (its `.git` with config and
    /// hooks, or a `.git` file) and the branch's tracked files, whose names
    /// the command does not show, are written below DIR. DIR in a git
    /// directory (the top one, a nested repository's such as
    /// `.git/modules/NAME`, a bare repository's, one on disk or made by the
    /// command) puts new entries among that directory's configuration,
    /// hooks and submodule repositories, which git reads later: refused.
    pub(crate) fn check_work_tree_in_git_dir(&mut self, dir: &Arg, argv: &[Arg], via: &str) {
        let Some(d) = dir.lit().and_then(|v| self.resolve(v, dir.home)) else {
            return;
        };
        let d = normalize_path(&d);
        let mut at = d.as_str();
        loop {
            if self.is_git_dir_path(at) {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::FileAccessDenied,
                    format!(
                        "{via}: the new repository or working tree {} is inside the git directory {}",
                        clip(&d),
                        clip(at)
                    ),
                    dir.span,
                    argv,
                    None,
                );
                return;
            }
            match at.rfind('/') {
                Some(0) | None => return,
                Some(k) => at = &at[..k],
            }
        }
    }

    /// Whether `path` (resolved) is a git directory: named `.git`, made by
    /// the command, or one on disk (HEAD beside objects/ and refs/).
    fn is_git_dir_path(&self, path: &str) -> bool {
        let p = normalize_path(path);
        if super::rules::basename(&p) == ".git" || self.shell.git_dirs.contains(&p) {
            return true;
        }
        let Some(host) = self.fs.host_path_of(&p) else {
            return false;
        };
        host.join("HEAD").is_file() && host.join("objects").is_dir() && host.join("refs").is_dir()
    }

    /// `cp`/`rsync`/`mv` of entries named like a git directory's own
    /// (`cp -r .git/HEAD .git/objects .git/refs s/`, `cp -t s .git/HEAD`):
    /// each makes the entry of that name at the destination, a write of
    /// that name there (the destination directory becomes a git directory
    /// the command made). A single source copied to a new name is taken as
    /// copied into it too: the analysis does not know which it is.
    fn note_copied_marks(&mut self, dest: &Arg, sources: &[&Arg], argv: &[Arg]) {
        let Some(d) = dest.lit().and_then(|v| self.resolve(v, dest.home)) else {
            return;
        };
        let d = normalize_path(&d);
        for s in sources {
            let Some((text, contents)) = source_of(s) else {
                continue;
            };
            if contents {
                continue;
            }
            let name = super::rules::basename(&normalize_path(&text)).to_string();
            if GIT_DIR_MARKS.contains(&name.as_str()) {
                self.note_git_dir_entry(&format!("{d}/{name}"), dest.span, argv);
            }
        }
    }

    /// `cp -r`/`cp -a`/`rsync -a`/`mv` of a git directory, or into one.
    pub(crate) fn check_git_dir_copies(&mut self, argv: &[Arg], canon: &str) {
        // `-t DIR`/`--target-directory=DIR`: every operand is a source.
        let mut target: Option<Arg> = None;
        let mut ops: Vec<&Arg> = Vec::new();
        let mut k = 1;
        while k < argv.len() {
            let a = &argv[k];
            match a.lit() {
                Some("-t" | "--target-directory") if canon != "rsync" => {
                    target = argv.get(k + 1).cloned();
                    k += 1;
                }
                Some(v) if canon != "rsync" && v.starts_with("--target-directory=") => {
                    target = Some(Arg::literal(&v["--target-directory=".len()..], a.span));
                }
                Some(v)
                    if canon != "rsync"
                        && v.starts_with("-t")
                        && !v.starts_with("--")
                        && v.len() > 2 =>
                {
                    target = Some(Arg::literal(&v[2..], a.span));
                }
                Some(v) if v.starts_with('-') => {}
                _ => ops.push(a),
            }
            k += 1;
        }
        let split = match &target {
            Some(t) => Some((t, &ops[..])),
            None => ops.split_last().map(|(d, s)| (*d, s)),
        };
        let Some((dest, sources)) = split else {
            return;
        };
        self.note_copied_marks(dest, sources, argv);
        if canon != "mv" {
            self.check_copied_entries(argv, canon, dest, sources);
        }
        if !copies_trees(argv, canon) {
            return;
        }
        if canon != "mv" {
            self.check_merged_git_dirs(argv, canon, dest, sources);
        }
        let Some(d) = dest.lit().and_then(|v| self.resolve(v, dest.home)) else {
            return;
        };
        let d = normalize_path(&d);
        let into_git_dir = self.is_git_dir_path(&d);
        for s in sources {
            let Some((text, contents)) = source_of(s) else {
                continue;
            };
            let Some(src) = self.resolve(&text, s.home) else {
                continue;
            };
            let name = super::rules::basename(&normalize_path(&src)).to_string();
            let below = format!("{d}/{name}");
            if self.is_git_dir_path(&src) {
                // The destination itself (a new name, or the contents
                // copied), or the entry of the same name in an existing one.
                let made: &[&String] = if contents { &[&d] } else { &[&d, &below] };
                for m in made {
                    self.note_git_dir(&Arg::literal(m, dest.span), false, argv);
                }
            }
            if into_git_dir {
                let target = if contents { d.clone() } else { below };
                let t = Arg::literal(&target, dest.span);
                self.check_file(&t, Write, argv, &format!("{canon} into a git directory"));
            }
        }
    }

    /// What a copy writes below its destination, entry by entry: a source
    /// copied into an existing directory D is written as `D/NAME` (its last
    /// name), one copied as the destination (`cp -T`, a new name) as D,
    /// and the contents of a directory (`cp -r S/. D`, `rsync -a S/ D`)
    /// merged into D; with `cp --parents` or `rsync -R` the whole source
    /// path as written is joined to D (rsync: from a `/./` on). A
    /// recursive copy then writes that place joined with every path the
    /// source tree holds (`S/.env` over `D/.env`, `S/.git/hooks/x` over
    /// `D/.git/hooks/x`): each is judged as a write, the tree walked on
    /// the host (bounded). Where the tree cannot be known (written or made
    /// earlier in the same command, too large, unreadable, a computed
    /// word) the copy is not modelled.
    fn check_copied_entries(&mut self, argv: &[Arg], canon: &str, dest: &Arg, sources: &[&Arg]) {
        let recursive = copies_trees(argv, canon);
        let (parents, to_name, follows) = if canon == "cp" {
            (
                has_flag(argv, &["--parents"], "", ""),
                has_flag(argv, &["--no-target-directory"], "T", "St"),
                has_flag(argv, &["--dereference"], "L", "St"),
            )
        } else {
            (
                has_flag(argv, &["--relative"], "R", "efBTM"),
                false,
                has_flag(
                    argv,
                    &["--copy-links", "--copy-dirlinks", "--copy-unsafe-links"],
                    "Lk",
                    "efBTM",
                ),
            )
        };
        let Some(dv) = dest.lit() else { return };
        // rsync to another host (`host:dir`) writes nothing here.
        if canon == "rsync" && dv.split('/').next().is_some_and(|h| h.contains(':')) {
            return;
        }
        let Some(d) = self.resolve(dv, dest.home) else {
            return;
        };
        let d = normalize_path(&d);
        let dest_dir = self
            .fs
            .host_path_of(&d)
            .and_then(|h| std::fs::canonicalize(h).ok())
            .is_some_and(|h| h.is_dir())
            || dv.ends_with('/')
            || sources.len() > 1;
        let via = format!("{canon} (writes the source's entries below {})", clip(dv));
        for s in sources {
            // Patterns stand for the names they match now.
            let mut words: Vec<Arg> = Vec::new();
            if s.glob.is_some() {
                match self.glob_matches(s) {
                    Some(Ok(paths)) => {
                        for p in paths {
                            let mut a = Arg::literal(&p, s.span);
                            a.home = s.home;
                            words.push(a);
                        }
                    }
                    // Reported by the tree check.
                    Some(Err(_)) => continue,
                    None => {}
                }
            }
            if words.is_empty() {
                words.push((*s).clone());
            }
            for w in words {
                let Some(v) = w.lit() else {
                    if recursive {
                        self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            format!(
                                "{canon}: the source {} is computed at run time; what it copies below the destination is not known",
                                clip(&w.shown())
                            ),
                            w.span,
                            argv,
                        );
                    }
                    continue;
                };
                if canon == "rsync" && v.split('/').next().is_some_and(|h| h.contains(':')) {
                    continue;
                }
                let Some(src) = self.resolve(v, w.home) else {
                    continue;
                };
                let src = normalize_path(&src);
                let trimmed = v.trim_end_matches('/');
                let name = super::rules::basename(trimmed);
                let contents = (canon == "rsync" && v.ends_with('/') && v.len() > 1)
                    || matches!(name, "." | "..")
                    || trimmed.is_empty();
                let target = if parents {
                    let rel = match v.find("/./") {
                        Some(k) if canon == "rsync" => &v[k + 3..],
                        _ => v,
                    };
                    let rel = normalize_path(rel.trim_start_matches('/'));
                    if rel.is_empty() || rel == "." {
                        d.clone()
                    } else {
                        format!("{}/{rel}", d.trim_end_matches('/'))
                    }
                } else if contents || to_name || !dest_dir {
                    d.clone()
                } else {
                    format!("{}/{name}", d.trim_end_matches('/'))
                };
                // Judged by its place on the host: the resolved name is the
                // workspace's, not the working directory's.
                let abs = |p: &str| {
                    self.fs
                        .host_path_of(p)
                        .map_or_else(|| p.to_string(), |h| h.to_string_lossy().into_owned())
                };
                let target_abs = abs(&target);
                if target != d {
                    let t = Arg::literal(&target_abs, dest.span);
                    self.check_file(&t, Write, argv, &via);
                }
                if !recursive {
                    continue;
                }
                // A tree written, cloned into or extracted earlier in the
                // same command (`git init` adds only a git directory, which
                // the walk leaves out).
                // (The copy's own destination is noted as written already.)
                let made = self
                    .written
                    .iter()
                    .filter(|(p, _)| {
                        let h = self.fs.host_path_of(p);
                        h.is_none()
                            || (h != self.fs.host_path_of(&target)
                                && h != self.fs.host_path_of(&d)
                                && !self
                                    .shell
                                    .repos_made
                                    .iter()
                                    .any(|r| self.fs.host_path_of(r) == h))
                    })
                    .any(|(p, _)| self.below_dir(&src, p).is_some())
                    || self
                        .shell
                        .cloned
                        .iter()
                        .any(|c| c.is_empty() || self.below_dir(&src, c).is_some())
                    || self.shell.link_dirs.iter().any(|c| {
                        let c = normalize_path(c);
                        let h = self.fs.host_path_of(&c);
                        if h.is_some()
                            && (h == self.fs.host_path_of(&target) || h == self.fs.host_path_of(&d))
                        {
                            return false;
                        }
                        c.is_empty()
                            || self.below_dir(&src, &c).is_some()
                            || self.below_dir(&c, &src).is_some()
                    });
                if made {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{canon} {}: the tree is written earlier in the same command; what it copies below the destination is not known",
                            clip(v)
                        ),
                        w.span,
                        argv,
                    );
                    continue;
                }
                let Some(host) = self.fs.host_path_of(&src) else {
                    continue;
                };
                let is_dir = if follows {
                    host.is_dir()
                } else {
                    std::fs::symlink_metadata(&host).is_ok_and(|m| m.is_dir())
                        || (v.ends_with('/') && host.is_dir())
                };
                if !is_dir {
                    continue;
                }
                let mut budget = super::fsglob::MAX_ENTRIES.saturating_sub(self.shell.fs_entries);
                let start = budget;
                let entries = tree_entries(&host, follows, &mut budget);
                self.shell.fs_entries += start - budget;
                let Some(entries) = entries else {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{canon} {}: the tree is too large or not readable; what it copies below the destination is not known",
                            clip(v)
                        ),
                        w.span,
                        argv,
                    );
                    continue;
                };
                for rel in entries {
                    let place = format!("{}/{rel}", target_abs.trim_end_matches('/'));
                    // A directory already there is written into, not over;
                    // cp and rsync do not put a file or link over one.
                    if std::path::Path::new(&place).is_dir() {
                        continue;
                    }
                    let t = Arg::literal(&place, dest.span);
                    self.check_file(&t, Write, argv, &via);
                }
            }
        }
    }

    /// A recursive copy that merges a source tree into a directory that
    /// exists (`cp -rT S D`, `cp -r S/. D`, `rsync -a S/ D`, or `cp -r S D`
    /// onto an existing `D/S`) writes every entry of S over the entry of
    /// the same name below D. Where S holds a git directory (`S/.git`,
    /// `S/sub/.git`) and D has a directory at that place, cp writes its
    /// config, HEAD, index and hooks there: each such write is judged as a
    /// write to the destination's git directory. Both trees are compared on
    /// the host, only where they overlap. A source the command made (a
    /// `git init`/`git clone` earlier, or not there yet) copied over a
    /// directory holding `.git` is not modelled.
    fn check_merged_git_dirs(&mut self, argv: &[Arg], canon: &str, dest: &Arg, sources: &[&Arg]) {
        // cp's `-T`: the single source is copied as the destination.
        let to_name = canon == "cp"
            && argv.iter().skip(1).filter_map(|a| a.lit()).any(|v| {
                v == "--no-target-directory"
                    || (v.starts_with('-')
                        && !v.starts_with("--")
                        && v[1..]
                            .chars()
                            .take_while(|c| !matches!(c, 'S' | 't'))
                            .any(|c| c == 'T'))
            });
        // Links in the source followed (cp -L, rsync -L/-k): the trees
        // they lead to are copied too.
        let (letters, longs, stops): (&str, &[&str], &str) = if canon == "cp" {
            ("L", &["--dereference"], "St")
        } else {
            (
                "Lk",
                &["--copy-links", "--copy-dirlinks", "--copy-unsafe-links"],
                "efBTM",
            )
        };
        let follows = argv.iter().skip(1).filter_map(|a| a.lit()).any(|v| {
            longs.contains(&v)
                || (v.starts_with('-')
                    && !v.starts_with("--")
                    && v[1..]
                        .chars()
                        .take_while(|c| !stops.contains(*c))
                        .any(|c| letters.contains(c)))
        });
        let Some(d) = dest.lit().and_then(|v| self.resolve(v, dest.home)) else {
            return;
        };
        let Some(d_host) = self.fs.host_path_of(&d) else {
            return;
        };
        // The destination as cp and rsync reach it (through links).
        let Ok(d_real) = std::fs::canonicalize(&d_host) else {
            return;
        };
        if !d_real.is_dir() {
            return;
        }
        // Each source word: a pattern stands for the names it matches now.
        let mut words: Vec<(String, bool, Arg)> = Vec::new();
        for s in sources {
            if s.glob.is_some() {
                match self.glob_matches(s) {
                    Some(Ok(paths)) => {
                        for p in paths {
                            let mut a = Arg::literal(&p, s.span);
                            a.home = s.home;
                            words.push((p, false, a));
                        }
                        continue;
                    }
                    Some(Err(why)) => {
                        self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            format!("{canon}: {why}"),
                            s.span,
                            argv,
                        );
                        continue;
                    }
                    None => {}
                }
            }
            let Some(v) = s.lit() else { continue };
            let rsync_contents = canon == "rsync" && v.ends_with('/');
            let Some((text, contents)) = source_of(s) else {
                continue;
            };
            words.push((text, contents || rsync_contents, (*s).clone()));
        }
        for (text, contents, s) in words {
            let Some(src) = self.resolve(&text, s.home) else {
                continue;
            };
            let src = normalize_path(&src);
            // `cp -r . D` copies the contents of `.` (its last name is
            // `.`), as `cp -r ./. D` does.
            let name = super::rules::basename(&text).to_string();
            let merge = contents || to_name || matches!(name.as_str(), "" | "." | "..");
            let target = if merge {
                d_real.clone()
            } else {
                d_real.join(super::rules::basename(&src))
            };
            if !target.is_dir() {
                // A new directory: nothing there to overwrite.
                continue;
            }
            // A clone at, in or below the source, or a repository made
            // at or below it.
            let made = self.shell.cloned.iter().any(|c| {
                c.is_empty()
                    || self.below_dir(c, &src).is_some()
                    || self.below_dir(&src, c).is_some()
            }) || self
                .shell
                .repos_made
                .iter()
                .any(|r| r.is_empty() || self.below_dir(&src, r).is_some());
            let src_host = self
                .fs
                .host_path_of(&src)
                .filter(|h| std::fs::symlink_metadata(h).is_ok());
            let Some(src_host) = src_host.filter(|_| !made) else {
                if std::fs::symlink_metadata(target.join(".git")).is_ok() {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{canon} {}: the command makes this tree itself (a repository, not there yet); copied over {}, which holds .git, it may write that git directory's config and hooks",
                            clip(&text),
                            clip(&target.to_string_lossy())
                        ),
                        s.span,
                        argv,
                    );
                }
                continue;
            };
            let mut budget = super::fsglob::MAX_ENTRIES.saturating_sub(self.shell.fs_entries);
            let start = budget;
            let hits = overwritten_git_dirs(&src_host, &target, follows, &mut budget);
            self.shell.fs_entries += start - budget;
            let Some(hits) = hits else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{canon} {}: the tree is too large to compare with the destination's git directories; copy fewer files",
                        clip(&text)
                    ),
                    s.span,
                    argv,
                );
                continue;
            };
            let via = format!("{canon} of a tree holding a git directory over the destination's");
            for w in hits {
                let t = Arg::literal(&w.to_string_lossy(), dest.span);
                self.check_file(&t, Write, argv, &via);
            }
        }
    }
}

/// Whether an option word of `canon` is given: a long name, or a letter of
/// a short cluster before any letter in `stops` (which take a value).
fn has_flag(argv: &[Arg], longs: &[&str], letters: &str, stops: &str) -> bool {
    argv.iter().skip(1).filter_map(|a| a.lit()).any(|v| {
        longs.contains(&v)
            || (v.starts_with('-')
                && !v.starts_with("--")
                && v[1..]
                    .chars()
                    .take_while(|c| !stops.contains(*c))
                    .any(|c| letters.contains(c)))
    })
}

/// The relative paths of every entry below `src` (a directory on the
/// host), as cp and rsync copy them: links are copied as links, and only entered when `follows`. A git
/// directory is left out with what it holds: where it lands on one, its
/// entries are judged by `check_merged_git_dirs`, elsewhere it is a new
/// repository (see the module's comment). `None` when the walk runs out of
/// `budget`, meets a directory it cannot read or a name that is not UTF-8.
fn tree_entries(src: &Path, follows: bool, budget: &mut usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(src.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        for e in std::fs::read_dir(&dir).ok()? {
            let e = e.ok()?;
            *budget = budget.checked_sub(1)?;
            let name = e.file_name().into_string().ok()?;
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let is_dir = if follows {
                e.path().is_dir()
            } else {
                e.file_type().is_ok_and(|t| t.is_dir())
            };
            if is_dir {
                if is_git_dir(&e.path()) {
                    continue;
                }
                stack.push((e.path(), r.clone()));
            }
            out.push(r);
        }
    }
    Some(out)
}

/// Whether a directory is a git directory: named `.git`, or holding `HEAD`
/// and `objects/`.
fn is_git_dir(d: &Path) -> bool {
    d.is_dir()
        && (d.file_name().is_some_and(|n| n == ".git")
            || (d.join("HEAD").is_file() && d.join("objects").is_dir()))
}

/// The files a merge of `src` into `dst` writes into the git directories
/// that already exist below `dst`: for each git directory of `src` whose
/// place below `dst` is a directory, that directory's entries of the same
/// names (each hook by its name). Only the directories both trees have are
/// walked. `None` when the walk runs out of `budget` or meets a name that is
/// not UTF-8.
fn overwritten_git_dirs(
    src: &Path,
    dst: &Path,
    follows: bool,
    budget: &mut usize,
) -> Option<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![(src.to_path_buf(), dst.to_path_buf())];
    while let Some((s, d)) = stack.pop() {
        if is_git_dir(&s) {
            for e in std::fs::read_dir(&s).ok()?.flatten() {
                *budget = budget.checked_sub(1)?;
                let name = e.file_name().into_string().ok()?;
                if name == "hooks" && e.file_type().is_ok_and(|t| t.is_dir()) {
                    out.push(d.join("hooks"));
                    for h in std::fs::read_dir(e.path()).ok()?.flatten() {
                        *budget = budget.checked_sub(1)?;
                        out.push(d.join("hooks").join(h.file_name().into_string().ok()?));
                    }
                } else {
                    out.push(d.join(name));
                }
            }
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&s) else {
            continue;
        };
        for e in rd.flatten() {
            *budget = budget.checked_sub(1)?;
            let name = e.file_name().into_string().ok()?;
            // cp and rsync copy a link as a link: only real directories
            // are entered, unless links are followed (a cycle of links
            // ends in the budget).
            let dir = if follows {
                e.path().is_dir()
            } else {
                e.file_type().is_ok_and(|t| t.is_dir())
            };
            if !dir {
                continue;
            }
            let there = d.join(&name);
            // cp writes through a link to a directory at the destination.
            if there.is_dir() {
                stack.push((e.path(), there));
            }
        }
    }
    Some(out)
}
