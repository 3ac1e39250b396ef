//! Changes the run made that `git status` and `git diff` do not show.
//! The user reviews what a run changed with git; a file git ignores is
//! not in that review, whatever it holds. A run can write one where the
//! project's tools read it as code (`-include .env` in a `Makefile`,
//! `.vscode/tasks.json`, `local_settings.py`: ignored by the project or
//! by the user's global excludes), or make a file ignored itself: a new
//! `tools/.gitignore` naming `json.py` and itself leaves `git status`
//! "clean" while `tools/json.py` shadows the standard library for the
//! user's next `python3 tools/gen.py`.
//!
//! So after the run, every file in a repository's working tree that the
//! run made or changed (see [`crate::bytecode::sweep`], whose walk this
//! rides on) and that git ignores and does not track is listed in the
//! report (`ignored_changes`), with the ignore file whose rule hides it
//! and whether the run made or changed that ignore file. Nothing is
//! removed: ignored output is the ordinary result of a build; the list
//! lets the user see it.
//!
//! The rules are git's: `.gitignore` in each directory from the top of
//! the working tree down, `$GIT_DIR/info/exclude`, `core.excludesFile`
//! of the repository's and the user's configuration and git's default
//! `~/.config/git/ignore`; and where the configuration sets
//! `status.showUntrackedFiles = no`, `git status` lists no untracked
//! file, so every untracked one counts. Where the model is coarser than git it errs
//! toward "ignored" (listed, never missed): a negated pattern (`!x`)
//! re-includes nothing, case is ignored, every excludes file any
//! configuration names counts, an ignore file that cannot be read (a
//! link, a FIFO, too large) ignores everything beside it, a match that
//! takes too long to decide matches (one pattern on one path, or all
//! matching of the sweep together), and an index that cannot be read
//! tracks nothing.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The largest ignore file read; a larger one ignores everything beside it.
const IGNORE_FILE_LIMIT: u64 = 1 << 20;

/// The largest index read (the same bound as [`crate::tracked`]).
const INDEX_LIMIT: u64 = 64 << 20;

/// Steps one pattern may take to match one path; past it, it matches.
const MATCH_STEPS: usize = 10_000;

/// Steps all matching of one sweep may take (each pattern tried counts
/// one, and each step of a glob): about half a second. The cost of
/// matching is the number of files times the number of patterns, both of
/// which the run chooses (a 1 MiB ignore file holds over 100 000
/// patterns), while the bytecode and permission repairs ride on the same
/// walk and must finish. Past it, every pattern matches: what is left is
/// listed as ignored, never missed (see [`Env::budget_spent`]).
const MATCH_BUDGET: usize = 100_000_000;

/// A fresh budget for one sweep's matching ([`Env::steps`]).
pub fn match_budget() -> Rc<std::cell::Cell<usize>> {
    Rc::new(std::cell::Cell::new(MATCH_BUDGET))
}

/// Entries `ignored_changes` lists at most.
pub const LISTED: usize = 200;

/// Files below one ignored directory listed one by one; more are
/// summarised as the directory with their count.
pub const PER_DIRECTORY: usize = 10;

/// One pattern of an ignore file.
#[derive(Debug)]
struct Pattern {
    /// The glob, `/` at its start and end removed.
    glob: Vec<u8>,
    /// How it is matched: most patterns are a name or `*.ext`, which need
    /// no glob matching.
    kind: Kind,
    /// Ends with `/`: matches directories only.
    dir_only: bool,
    /// Holds a `/` (other than at its end): matched against the path
    /// relative to the ignore file's directory, else against the name.
    anchored: bool,
}

/// How a [`Pattern`] is matched.
#[derive(Debug, PartialEq)]
enum Kind {
    /// No special character: the text itself (case ignored).
    Literal,
    /// `*` then text with no special character: a suffix (case ignored)
    /// of a name with no `/`.
    Suffix,
    /// Anything else: [`wild`].
    Glob,
}

impl Pattern {
    fn new(glob: &[u8], dir_only: bool, anchored: bool) -> Pattern {
        let special = |b: &[u8]| b.iter().any(|c| matches!(c, b'*' | b'?' | b'[' | b'\\'));
        let kind = if !special(glob) {
            Kind::Literal
        } else if glob.first() == Some(&b'*') && !special(&glob[1..]) {
            Kind::Suffix
        } else {
            Kind::Glob
        };
        let glob = match kind {
            Kind::Suffix => glob[1..].to_vec(),
            _ => glob.to_vec(),
        };
        Pattern {
            glob,
            kind,
            dir_only,
            anchored,
        }
    }

    /// Whether it matches all of `t`, taking its steps from `budget`
    /// (past which it matches).
    fn matches(&self, t: &[u8], budget: &std::cell::Cell<usize>) -> bool {
        let left = budget.get();
        if left == 0 {
            return true;
        }
        budget.set(left - 1);
        match self.kind {
            Kind::Literal => t.eq_ignore_ascii_case(&self.glob),
            Kind::Suffix => {
                t.len() >= self.glob.len()
                    && t[t.len() - self.glob.len()..].eq_ignore_ascii_case(&self.glob)
                    && !t[..t.len() - self.glob.len()].contains(&b'/')
            }
            Kind::Glob => {
                let mut steps = MATCH_STEPS.min(left - 1);
                let start = steps;
                let hit = wild(&self.glob, t, &mut steps);
                budget.set(budget.get() - (start - steps));
                hit
            }
        }
    }
}

/// The patterns of one ignore file, and where it is.
#[derive(Debug)]
struct Rules {
    /// The directory it applies to, relative to the top of the working
    /// tree (empty for the top, and for excludes files).
    base: Vec<u8>,
    patterns: Vec<Pattern>,
    /// The ignore file, as the report names it.
    source: Rc<Path>,
    /// The run made or changed it.
    changed: bool,
}

/// Parse an ignore file as git's `add_patterns_from_buffer` does: a
/// UTF-8 BOM at its start is skipped; each line ends at `\n`, one `\r`
/// before it goes; a line is a C string to git, so it ends at its first
/// NUL; trailing spaces go unless escaped (`trim_trailing_spaces`).
/// Negated patterns are dropped: what they would re-include stays ignored
/// (listed).
fn parse(text: &[u8]) -> Vec<Pattern> {
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let mut out = Vec::new();
    for line in text.split(|&c| c == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = match line.iter().position(|&c| c == 0) {
            Some(n) => &line[..n],
            None => line,
        };
        if line.is_empty() || line[0] == b'#' || line[0] == b'!' {
            continue;
        }
        let mut p = &line[..trimmed_len(line)];
        if p.is_empty() {
            continue;
        }
        let dir_only = p.ends_with(b"/");
        if dir_only {
            p = &p[..p.len() - 1];
        }
        let anchored = p.contains(&b'/');
        let p = p.strip_prefix(b"/").unwrap_or(p);
        if p.is_empty() {
            continue;
        }
        out.push(Pattern::new(p, dir_only, anchored));
    }
    out
}

/// The length of `line` without its trailing spaces, as git's
/// `trim_trailing_spaces`: a backslash escapes the byte after it (an
/// escaped space stays, `\\` is one escaped backslash), and a line ending
/// in a lone backslash is kept whole.
fn trimmed_len(line: &[u8]) -> usize {
    let mut last_space = None;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b' ' => {
                last_space.get_or_insert(i);
            }
            b'\\' => {
                i += 1;
                if i >= line.len() {
                    return line.len();
                }
                last_space = None;
            }
            _ => last_space = None,
        }
        i += 1;
    }
    last_space.unwrap_or(line.len())
}

/// Whether glob `p` matches all of `t` as git's wildmatch does with
/// `WM_PATHNAME` (`*`, `?` and classes do not match `/`; `**/`, `/**/`
/// and `/**` match any number of directories), ignoring ASCII case.
/// Past `steps`, it matches.
fn wild(p: &[u8], t: &[u8], steps: &mut usize) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    while pi < p.len() {
        if *steps == 0 {
            return true;
        }
        *steps -= 1;
        match p[pi] {
            b'*' => {
                let mut q = pi;
                while q < p.len() && p[q] == b'*' {
                    q += 1;
                }
                let double = q - pi >= 2;
                let at_start = pi == 0 || p[pi - 1] == b'/';
                if double && at_start && q == p.len() {
                    return true;
                }
                if double && at_start && p[q] == b'/' {
                    let rest = &p[q + 1..];
                    if wild(rest, &t[ti..], steps) {
                        return true;
                    }
                    for k in ti..t.len() {
                        if t[k] == b'/' && wild(rest, &t[k + 1..], steps) {
                            return true;
                        }
                    }
                    return false;
                }
                let rest = &p[q..];
                let mut k = ti;
                loop {
                    if wild(rest, &t[k..], steps) {
                        return true;
                    }
                    if k >= t.len() || t[k] == b'/' {
                        return false;
                    }
                    k += 1;
                }
            }
            b'?' => {
                if ti >= t.len() || t[ti] == b'/' {
                    return false;
                }
                pi += 1;
                ti += 1;
            }
            b'[' => match class(&p[pi..], t.get(ti).copied()) {
                Some((len, ok)) => {
                    if !ok {
                        return false;
                    }
                    pi += len;
                    ti += 1;
                }
                // No closing bracket: a literal `[`.
                None => {
                    if ti >= t.len() || t[ti] != b'[' {
                        return false;
                    }
                    pi += 1;
                    ti += 1;
                }
            },
            c => {
                let c = if c == b'\\' && pi + 1 < p.len() {
                    pi += 1;
                    p[pi]
                } else {
                    c
                };
                if ti >= t.len() || !t[ti].eq_ignore_ascii_case(&c) {
                    return false;
                }
                pi += 1;
                ti += 1;
            }
        }
    }
    ti == t.len()
}

/// A bracket expression at the start of `p` against `c`: its length and
/// whether `c` matches, `None` when it does not close. A named class
/// (`[:alpha:]`) matches any character but `/`.
fn class(p: &[u8], c: Option<u8>) -> Option<(usize, bool)> {
    let mut i = 1;
    let negated = matches!(p.get(i), Some(b'!') | Some(b'^'));
    if negated {
        i += 1;
    }
    let mut hit = false;
    let mut named = false;
    let mut first = true;
    let c = c.map(|c| c.to_ascii_lowercase());
    loop {
        let &x = p.get(i)?;
        if x == b']' && !first {
            break;
        }
        first = false;
        if x == b'[' && p.get(i + 1) == Some(&b':') {
            let close = p[i + 2..].windows(2).position(|w| w == b":]")?;
            named = true;
            i += 2 + close + 2;
            continue;
        }
        let lo = if x == b'\\' {
            i += 1;
            *p.get(i)?
        } else {
            x
        };
        i += 1;
        let mut hi = lo;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&n| n != b']') {
            hi = if p[i + 1] == b'\\' {
                i += 1;
                *p.get(i + 1)?
            } else {
                p[i + 1]
            };
            i += 2;
        }
        if let Some(c) = c {
            let (l, h) = (lo.to_ascii_lowercase(), hi.to_ascii_lowercase());
            let (ul, uh) = (lo.to_ascii_uppercase(), hi.to_ascii_uppercase());
            let cu = c.to_ascii_uppercase();
            if (l <= c && c <= h) || (ul <= cu && cu <= uh) || (lo <= c && c <= hi) {
                hit = true;
            }
        }
    }
    let len = i + 1;
    let Some(c) = c else {
        return Some((len, false));
    };
    if c == b'/' {
        return Some((len, false));
    }
    // A named class is taken as matching: coarser than git, toward
    // ignored.
    Some((len, named || hit != negated))
}

impl Rules {
    /// Entry `rel` relative to the directory the rules apply to, `None`
    /// when it lies outside it.
    fn within<'r>(&self, rel: &'r [u8]) -> Option<&'r [u8]> {
        if self.base.is_empty() {
            return Some(rel);
        }
        rel.strip_prefix(self.base.as_slice())
            .and_then(|r| r.strip_prefix(b"/"))
    }

    /// Whether a pattern matches entry `rel` (relative to the top of the
    /// working tree, named `name`).
    fn matches(
        &self,
        rel: &[u8],
        name: &[u8],
        is_dir: bool,
        budget: &std::cell::Cell<usize>,
    ) -> bool {
        let Some(sub) = self.within(rel) else {
            return false;
        };
        self.patterns.iter().any(|p| {
            if p.dir_only && !is_dir {
                return false;
            }
            p.matches(if p.anchored { sub } else { name }, budget)
        })
    }
}

/// A repository around part of the walk.
#[derive(Debug)]
struct Repo {
    /// The top of its working tree.
    top: PathBuf,
    /// Its index, which names the marked entries' files.
    index: Option<PathBuf>,
    /// The paths its index names, sorted, each with whether it is marked
    /// `assume-unchanged` or `skip-worktree`; `None` when it could not be
    /// read (then nothing counts as tracked).
    tracked: Option<Vec<(Vec<u8>, bool)>>,
    /// It lies in the working tree of another repository of the walk (a
    /// submodule, or a repository that is none): that one's `git status`
    /// shows at most one line for it (`?? tools/`, ` m lib`, or nothing
    /// with `ignore = dirty`), never the files changed in it.
    nested: bool,
}

impl Repo {
    /// Whether the index names a path below directory `rel`.
    fn tracks_below(&self, rel: &[u8]) -> bool {
        let Some(names) = &self.tracked else {
            return false;
        };
        let mut prefix = rel.to_vec();
        prefix.push(b'/');
        let i = names.partition_point(|(n, _)| n.as_slice() < prefix.as_slice());
        names.get(i).is_some_and(|(n, _)| n.starts_with(&prefix))
    }
}

/// Why `git status` of the repository around a file does not show the
/// run's change to it (the report's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A rule ignores it (or the configuration lists no untracked file).
    Ignored,
    /// Untracked, and there before the run: `git status` printed the same
    /// `?? name` line before.
    UntrackedBefore,
    /// Below a directory that was there before the run and held no tracked
    /// file: `git status` printed the same `?? dir/` line before.
    BelowUntrackedDirectory,
    /// In a repository inside another's working tree.
    NestedRepository,
    /// Tracked, marked `assume-unchanged` or `skip-worktree` by the user.
    Marked,
    /// Within the reach of an ignore file the run made or changed, which
    /// no pattern of it (as read here) matches: git may read that file
    /// differently, so what it hides is not decided from its patterns.
    ChangedIgnoreFile,
    /// A symbolic link whose target, in a git dir or outside the working
    /// tree (git-annex's objects), the run changed: git shows the link.
    LinkTarget,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Ignored => "ignored",
            Reason::UntrackedBefore => "untracked_before",
            Reason::BelowUntrackedDirectory => "below_untracked_directory",
            Reason::NestedRepository => "nested_repository",
            Reason::Marked => "marked",
            Reason::ChangedIgnoreFile => "changed_ignore_file",
            Reason::LinkTarget => "link_target",
        }
    }
}

/// Why an entry is hidden from `git status`.
#[derive(Debug, Clone)]
pub struct Hit {
    pub reason: Reason,
    /// What hides it: the ignore file whose rule matched (or the
    /// configuration file), the index, the nested repository's top, the
    /// untracked directory, the repository's top, the link's target.
    source: Rc<Path>,
    /// The run made or changed that ignore file.
    changed: bool,
    /// The topmost ignored directory it lies below (the entry itself for
    /// a directory), if any.
    dir: Option<Rc<Path>>,
}

/// What applies in a directory of the walk.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    repo: Option<Rc<Repo>>,
    /// The directory relative to the top of the working tree.
    rel: Vec<u8>,
    rules: Vec<Rc<Rules>>,
    /// The configuration file that makes `git status` list no untracked
    /// file in this repository, if one does: every untracked file is
    /// hidden.
    hides_untracked: Option<Rc<Path>>,
    /// The directory is ignored (so is all below it).
    ignored: Option<Hit>,
    /// The topmost directory on the way that was there before the run and
    /// held no tracked file (`git status` shows it as one `?? dir/` line).
    untracked_dir: Option<Rc<Path>>,
    /// The sweep's matching budget ([`Env::steps`]).
    steps: Rc<std::cell::Cell<usize>>,
}

/// An ignored directory, the first of its files and their count.
type Group = (Rc<Path>, Vec<(PathBuf, Hit)>, u64);

/// What the walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// Ignored files the run made or changed that are matched themselves
    /// (not below an ignored directory), the first [`LISTED`].
    direct: Vec<(PathBuf, Hit)>,
    /// Those below an ignored directory, by the topmost such directory:
    /// the first [`PER_DIRECTORY`] + 1 and the count. The walk is depth
    /// first, so a directory's files come together.
    groups: Vec<Group>,
    /// All of them.
    pub total: u64,
}

/// Context the scopes need: the excludes files every repository reads,
/// the homes `~/` means, and when the run started.
pub struct Env<'a> {
    pub global_excludes: &'a [PathBuf],
    /// The global configuration file that sets `status.showUntrackedFiles`
    /// so that `git status` lists no untracked file, if one does.
    pub global_hides_untracked: Option<&'a Path>,
    pub homes: &'a [PathBuf],
    pub since: Option<(i64, i64)>,
    /// The `.git` entries (directories and pointer files) found before the
    /// run, when known: a repository whose `.git` is not among them is
    /// the run's, and what lies in it counts as outside every repository
    /// (the user reviews the repositories they know, not one the run
    /// made, whose `git status` the run chose). `None`: every repository
    /// counts.
    pub known_git: Option<&'a [PathBuf]>,
    /// What is left of the sweep's matching budget ([`match_budget`]).
    pub steps: Rc<std::cell::Cell<usize>>,
}

impl Env<'_> {
    /// Whether matching ran out of its budget: from then on, every file
    /// the run changed in a repository was listed as ignored.
    pub fn budget_spent(&self) -> bool {
        self.steps.get() == 0
    }

    /// Whether directory `dir`, which holds a `.git`, is a repository
    /// known before the run.
    pub fn known_repository(&self, dir: &Path) -> bool {
        match self.known_git {
            Some(k) => k.iter().any(|g| g.as_path() == dir.join(".git")),
            None => true,
        }
    }
}

fn changed_since(st: &libc::stat, since: Option<(i64, i64)>) -> bool {
    match since {
        Some(t) => (st.st_ctime, st.st_ctime_nsec) >= t,
        None => true,
    }
}

/// The rules of ignore file `p` applying to `base`: none when there is
/// none, a rule ignoring everything when it cannot be read.
fn read_rules(p: &Path, base: Vec<u8>, carried: bool, env: &Env<'_>) -> Option<Rules> {
    let st = crate::git::nofollow::lstat_last(p);
    let changed = carried
        || match &st {
            Ok(st) => changed_since(st, env.since),
            Err(_) => false,
        };
    let patterns = match crate::git::nofollow::read_regular(p, IGNORE_FILE_LIMIT) {
        Ok(text) => parse(&text),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return None;
        }
        Err(_) => vec![Pattern::new(b"*", false, false)],
    };
    Some(Rules {
        base,
        patterns,
        source: Rc::from(p),
        changed,
    })
}

/// The common git dir `git_dir/commondir` names (a linked worktree's).
fn common_dir(git_dir: &Path) -> Option<PathBuf> {
    let text = crate::git::nofollow::read_regular(&git_dir.join("commondir"), 4096).ok()?;
    let line = text.split(|&c| c == b'\n').next()?;
    let p = Path::new(OsStr::from_bytes(line.strip_suffix(b"\r").unwrap_or(line)));
    if p.as_os_str().is_empty() {
        return None;
    }
    Some(if p.is_absolute() {
        p.to_path_buf()
    } else {
        git_dir.join(p)
    })
}

/// The paths the index of `git_dir` names, sorted, with their marks.
fn index_names(git_dir: &Path) -> Option<Vec<(Vec<u8>, bool)>> {
    let bytes = match crate::git::nofollow::read_regular(&git_dir.join("index"), INDEX_LIMIT) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Vec::new()),
        Err(_) => return None,
    };
    let mut names = crate::index::entry_marks(&bytes).ok()?;
    names.sort();
    Some(names)
}

impl Scope {
    /// The scope of directory `dir`, entered from its parent's `self`
    /// (`carried`: it was not there before the run; `has_git`,
    /// `has_gitignore`: its listing holds `.git`, `.gitignore`; `at_root`:
    /// it is a root of the walk). A directory holding `.git` starts its
    /// repository's rules (unless it is ignored already), nested when it
    /// lies in another repository's working tree below a root; each
    /// directory's `.gitignore` adds its own.
    pub fn enter(
        &self,
        dir: &Path,
        carried: bool,
        env: &Env<'_>,
        (has_git, has_gitignore): (bool, bool),
        at_root: bool,
    ) -> Scope {
        if self.ignored.is_some() {
            return self.clone();
        }
        if has_git {
            let dot_git = dir.join(".git");
            let git_dir = match crate::git::nofollow::lstat(&dot_git) {
                Ok(md) if md.is_dir() => Some(dot_git),
                Ok(md) if md.is_file() => crate::git::pointed_git_dir(&dot_git).ok().flatten(),
                _ => None,
            };
            let mut excludes: Vec<PathBuf> = env.global_excludes.to_vec();
            let mut hides_untracked: Option<Rc<Path>> = env.global_hides_untracked.map(Rc::from);
            let tracked = match &git_dir {
                Some(g) => {
                    let mut dirs = vec![g.clone()];
                    // A linked worktree's git dir names the common one,
                    // whose `info/exclude` and configuration git reads.
                    dirs.extend(common_dir(g));
                    for d in &dirs {
                        let (x, hides) = crate::git::repository_excludes(d, env.homes);
                        excludes.extend(x);
                        excludes.push(d.join("info/exclude"));
                        if let Some(h) = hides {
                            hides_untracked.get_or_insert(Rc::from(h));
                        }
                    }
                    index_names(g)
                }
                None => None,
            };
            excludes.sort();
            excludes.dedup();
            let mut rules = Vec::new();
            for x in excludes {
                if let Some(r) = read_rules(&x, Vec::new(), false, env) {
                    rules.push(Rc::new(r));
                }
            }
            let mut s = Scope {
                repo: Some(Rc::new(Repo {
                    top: dir.to_path_buf(),
                    index: git_dir.map(|g| g.join("index")),
                    tracked,
                    nested: self.repo.is_some() && !at_root,
                })),
                rel: Vec::new(),
                rules,
                hides_untracked,
                ignored: None,
                untracked_dir: None,
                steps: env.steps.clone(),
            };
            if has_gitignore {
                if let Some(r) = read_rules(&dir.join(".gitignore"), Vec::new(), carried, env) {
                    s.rules.push(Rc::new(r));
                }
            }
            return s;
        }
        let Some(repo) = &self.repo else {
            return self.clone();
        };
        let mut s = self.clone();
        s.rel = rel_bytes(&repo.top, dir);
        if s.untracked_dir.is_none() && !carried && !s.rel.is_empty() && !repo.tracks_below(&s.rel)
        {
            s.untracked_dir = Some(Rc::from(dir));
        }
        if has_gitignore {
            if let Some(r) = read_rules(&dir.join(".gitignore"), s.rel.clone(), carried, env) {
                s.rules.push(Rc::new(r));
            }
        }
        s
    }

    /// [`Scope::enter`], looking for `.git` and `.gitignore` itself.
    fn enter_probe(&self, dir: &Path, env: &Env<'_>) -> Scope {
        let has = |n: &str| crate::git::nofollow::lstat(&dir.join(n)).is_ok();
        self.enter(dir, false, env, (has(".git"), has(".gitignore")), false)
    }

    /// Whether entry `name` of directory `dir` (this scope's) is ignored.
    pub fn check(&self, dir: &Path, name: &OsStr, is_dir: bool) -> Option<Hit> {
        if let Some(h) = &self.ignored {
            return Some(h.clone());
        }
        self.repo.as_ref()?;
        let mut rel = Vec::with_capacity(self.rel.len() + 1 + name.len());
        rel.extend_from_slice(&self.rel);
        if !rel.is_empty() {
            rel.push(b'/');
        }
        rel.extend_from_slice(name.as_bytes());
        // An ignore file the run made or changed hides, for this
        // comparison, all within its reach: git may read it otherwise
        // than [`parse`] does, and a file it hides is not in the review.
        let matched = self
            .rules
            .iter()
            .find(|r| r.matches(&rel, name.as_bytes(), is_dir, &self.steps))
            .map(|r| (r, Reason::Ignored))
            .or_else(|| {
                self.rules
                    .iter()
                    .find(|r| r.changed && r.within(&rel).is_some())
                    .map(|r| (r, Reason::ChangedIgnoreFile))
            });
        match matched {
            Some((r, reason)) => Some(Hit {
                reason,
                source: r.source.clone(),
                changed: r.changed,
                dir: is_dir.then(|| Rc::from(dir.join(name))),
            }),
            // `git status` lists no untracked file: each untracked one
            // is hidden (whether it is tracked is asked when recorded).
            None if !is_dir => self.hides_untracked.as_ref().map(|h| Hit {
                reason: Reason::Ignored,
                source: h.clone(),
                changed: false,
                dir: None,
            }),
            None => None,
        }
    }

    /// The scope below a directory ignored by `hit`.
    pub fn ignored_below(&self, hit: Hit) -> Scope {
        Scope {
            repo: self.repo.clone(),
            rel: Vec::new(),
            rules: Vec::new(),
            hides_untracked: None,
            ignored: Some(hit),
            untracked_dir: None,
            steps: self.steps.clone(),
        }
    }

    /// Outside every repository's working tree: no `git status` shows
    /// what changes here (the walk lists it apart, see [`Outside`]).
    pub fn outside(&self) -> bool {
        self.repo.is_none()
    }

    /// Whether the repository tracks `path` (then git shows its changes),
    /// and whether the entry is marked: `None` when untracked.
    fn tracks(&self, path: &Path) -> Option<bool> {
        let names = self.repo.as_ref()?.tracked.as_ref()?;
        let rel = rel_bytes(&self.repo.as_ref()?.top, path);
        names
            .binary_search_by(|(n, _)| n.as_slice().cmp(&rel))
            .ok()
            .map(|i| names[i].1)
    }

    /// Why `git status` of the repository around does not show the run's
    /// change to file `path` of this scope's directory, `None` when it
    /// shows it. `ignored`: the rule that ignores it ([`Scope::check`]);
    /// `before`: whether the file was there before the run (`None`: not
    /// known, taken as there). Outside every repository: `None` (listed
    /// apart, [`Outside`]). In a nested repository, marked in the index:
    /// hidden; tracked: shown; ignored: hidden;
    /// untracked: hidden below a directory `git status` showed as one line
    /// before, or when it was there before (the same `?? name` line);
    /// shown when new.
    pub fn hidden(
        &self,
        path: &Path,
        ignored: Option<Hit>,
        before: impl FnOnce() -> Option<bool>,
    ) -> Option<Hit> {
        let hit = |reason, source: Rc<Path>, dir| Hit {
            reason,
            source,
            changed: false,
            dir,
        };
        // Outside every repository the walk lists changes apart
        // ([`Outside`]).
        let Some(repo) = &self.repo else {
            return None;
        };
        if repo.nested && self.ignored.is_none() {
            let top: Rc<Path> = Rc::from(repo.top.as_path());
            return Some(hit(Reason::NestedRepository, top.clone(), Some(top)));
        }
        match self.tracks(path) {
            Some(true) => {
                let index = repo.index.clone().unwrap_or_default();
                return Some(hit(Reason::Marked, Rc::from(index), None));
            }
            Some(false) => return None,
            None => {}
        }
        if ignored.is_some() {
            return ignored;
        }
        if let Some(d) = &self.untracked_dir {
            return Some(hit(
                Reason::BelowUntrackedDirectory,
                d.clone(),
                Some(d.clone()),
            ));
        }
        if before() != Some(false) {
            return Some(hit(
                Reason::UntrackedBefore,
                Rc::from(repo.top.as_path()),
                None,
            ));
        }
        None
    }

    /// Whether the run's change to the target of link `link` (which the
    /// link itself does not show) is hidden: its target lies in a git dir
    /// (git-annex keeps the content of its tracked links in
    /// `.git/annex/objects`), outside this repository's working tree, or
    /// there is no repository. A target in the working tree is judged
    /// where the walk meets it.
    pub fn link_target_hidden(&self, link: &Path) -> Option<Hit> {
        let target = std::fs::canonicalize(link).ok()?;
        let in_git_dir = target.components().any(|c| c.as_os_str() == ".git");
        let outside = match &self.repo {
            Some(r) => !target.starts_with(&r.top),
            None => true,
        };
        (in_git_dir || outside).then(|| Hit {
            reason: Reason::LinkTarget,
            source: Rc::from(target.as_path()),
            changed: false,
            dir: None,
        })
    }
}

/// `p` relative to `top`, as bytes (empty for `top` itself).
fn rel_bytes(top: &Path, p: &Path) -> Vec<u8> {
    p.strip_prefix(top)
        .map(|r| r.as_os_str().as_bytes().to_vec())
        .unwrap_or_default()
}

/// What applies at a root of the walk before the root's own `.git` and
/// `.gitignore` (which the walk reads from its listing): the repository
/// around it (found by its parents), the ignore files from the top of
/// its working tree down to its parent, and whether it or a directory
/// above it is ignored.
pub fn scope_of_root(root: &Path, env: &Env<'_>) -> Scope {
    let top = root
        .ancestors()
        .skip(1)
        .find(|a| crate::git::nofollow::lstat(&a.join(".git")).is_ok());
    let Some(top) = top else {
        return Scope::default();
    };
    let mut s = Scope::default().enter_probe(top, env);
    let Ok(rest) = root.strip_prefix(top) else {
        return s;
    };
    let mut dir = top.to_path_buf();
    let n = rest.components().count();
    for (i, c) in rest.components().enumerate() {
        let name = c.as_os_str();
        if let Some(h) = s.check(&dir, name, true) {
            return s.ignored_below(h);
        }
        dir.push(name);
        if i + 1 < n {
            s = s.enter_probe(&dir, env);
        }
    }
    s
}

impl Found {
    /// Record `path`, which the run made or changed and which `hit` hides
    /// ([`Scope::hidden`]).
    pub fn record(&mut self, path: PathBuf, hit: Hit) {
        self.total += 1;
        let Some(dir) = hit.dir.clone() else {
            if self.direct.len() < LISTED {
                self.direct.push((path, hit));
            }
            return;
        };
        if self.groups.last().is_none_or(|g| g.0 != dir) {
            self.groups.push((dir, Vec::new(), 0));
        }
        let g = self.groups.last_mut().expect("pushed above");
        g.2 += 1;
        if g.1.len() <= PER_DIRECTORY {
            g.1.push((path, hit));
        }
    }

    /// The entries for the report: files one by one, an ignored directory
    /// with more than [`PER_DIRECTORY`] of them as the directory and the
    /// count; at most [`LISTED`], and how many files are left out.
    pub fn entries(&self) -> (Vec<crate::report::IgnoredChange>, u64) {
        let mut out = Vec::new();
        let mut listed_files = 0u64;
        let entry = |p: String, files: u64, h: &Hit| crate::report::IgnoredChange {
            path: p,
            files,
            ignored_by: h.source.display().to_string(),
            ignore_file_changed: h.changed,
            reason: h.reason.as_str().to_string(),
        };
        for (p, h) in &self.direct {
            if out.len() < LISTED {
                out.push(entry(p.display().to_string(), 1, h));
                listed_files += 1;
            }
        }
        for (d, files, count) in &self.groups {
            if *count as usize > PER_DIRECTORY {
                if out.len() < LISTED {
                    out.push(entry(format!("{}/", d.display()), *count, &files[0].1));
                    listed_files += count;
                }
                continue;
            }
            for (p, h) in files {
                if out.len() < LISTED {
                    out.push(entry(p.display().to_string(), 1, h));
                    listed_files += 1;
                }
            }
        }
        (out, self.total.saturating_sub(listed_files))
    }
}

/// What the walk found outside every repository's working tree (see
/// [`Scope::outside`]): files the run made or changed there, which no
/// `git status` shows. Tools run inside a repository read configuration
/// from its parents (cargo's `.cargo/config.toml`, yarn's `.yarnrc.yml`,
/// MSBuild's `Directory.Build.props`, `go.work`, `.envrc`, `mise.toml`,
/// pytest's `conftest.py` up to its rootdir), so a workspace that is a
/// directory of repositories has no review there: every such file is
/// listed, not only the names known today.
#[derive(Debug, Default)]
pub struct Outside {
    /// Files not below a directory the run made, the first [`LISTED`].
    direct: Vec<PathBuf>,
    /// Those below a directory the run made, by the topmost such
    /// directory: the first [`PER_DIRECTORY`] + 1 and the count.
    groups: Vec<(Rc<Path>, Vec<PathBuf>, u64)>,
    /// All of them.
    pub total: u64,
}

impl Outside {
    /// Record `path`, which the run made or changed (below `made`, the
    /// topmost directory the run made above it, if any).
    pub fn record(&mut self, path: PathBuf, made: Option<&Rc<Path>>) {
        self.total += 1;
        let Some(dir) = made else {
            if self.direct.len() < LISTED {
                self.direct.push(path);
            }
            return;
        };
        if self.groups.last().is_none_or(|g| &g.0 != dir) {
            self.groups.push((dir.clone(), Vec::new(), 0));
        }
        let g = self.groups.last_mut().expect("pushed above");
        g.2 += 1;
        if g.1.len() <= PER_DIRECTORY {
            g.1.push(path);
        }
    }

    /// The entries for the report, as [`Found::entries`] makes them.
    pub fn entries(&self) -> (Vec<crate::report::OutsideChange>, u64) {
        let mut out = Vec::new();
        let mut listed_files = 0u64;
        let entry = |path: String, files: u64| crate::report::OutsideChange { path, files };
        for p in &self.direct {
            if out.len() < LISTED {
                out.push(entry(p.display().to_string(), 1));
                listed_files += 1;
            }
        }
        for (d, files, count) in &self.groups {
            if *count as usize > PER_DIRECTORY {
                if out.len() < LISTED {
                    out.push(entry(format!("{}/", d.display()), *count));
                    listed_files += count;
                }
                continue;
            }
            for p in files {
                if out.len() < LISTED {
                    out.push(entry(p.display().to_string(), 1));
                    listed_files += 1;
                }
            }
        }
        (out, self.total.saturating_sub(listed_files))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        wild(p.as_bytes(), t.as_bytes(), &mut { MATCH_STEPS })
    }

    #[test]
    fn globs_match_as_git_does() {
        assert!(m("*.py", "json.py"));
        assert!(!m("*.py", "a/json.py"));
        assert!(m("**/x", "x") && m("**/x", "a/b/x"));
        assert!(m("a/**", "a/b/c") && !m("a/**", "b/c"));
        assert!(m("a/**/b", "a/b") && m("a/**/b", "a/x/y/b"));
        assert!(m("?.txt", "a.txt") && !m("?", "/"));
        assert!(m("[a-c]x", "bx") && !m("[!a-c]x", "bx") && m("[^a]x", "bx"));
        assert!(m("\\*", "*") && !m("\\*", "a"));
        assert!(m("[", "["));
        assert!(m(".ENV", ".env"), "case is ignored, toward ignored");
        assert!(m("[[:alpha:]]", "q"));
        // A pattern that takes too long matches.
        let p = "*a*a*a*a*a*a*a*a*a*a*a*b";
        assert!(m(p, &"a".repeat(200)));
    }

    #[test]
    fn patterns_are_parsed_toward_ignored() {
        let r = Rules {
            base: b"tools".to_vec(),
            patterns: parse(b"# c\n!json.py\n.gitignore\njson.py  \n/lib/\ndeep/x\n"),
            source: Rc::from(Path::new("tools/.gitignore")),
            changed: true,
        };
        assert_eq!(r.patterns.len(), 4);
        assert!(r.matches(b"tools/json.py", b"json.py", false, &match_budget()));
        assert!(r.matches(b"tools/a/json.py", b"json.py", false, &match_budget()));
        assert!(r.matches(b"tools/.gitignore", b".gitignore", false, &match_budget()));
        assert!(r.matches(b"tools/lib", b"lib", true, &match_budget()));
        assert!(!r.matches(b"tools/lib", b"lib", false, &match_budget()));
        assert!(!r.matches(b"tools/a/lib", b"lib", true, &match_budget()));
        assert!(r.matches(b"tools/deep/x", b"x", false, &match_budget()));
        assert!(!r.matches(b"other/json.py", b"json.py", false, &match_budget()));
    }

    /// The parser reads an ignore file as git does: a BOM at its start, a
    /// NUL in a line, `\r\n`, trailing spaces and their escapes, compared
    /// with `git check-ignore` on the same files.
    #[test]
    fn ignore_files_are_read_as_git_reads_them() {
        use std::fs;
        let t = tempfile::tempdir().unwrap();
        let top = fs::canonicalize(t.path()).unwrap();
        git(&top, &["init", "-q"]);
        let names = [
            "json.py", "a.txt", "a.txt ", "b ", "b", "c\\", "d", "x", "e f", "e", "#h", "k",
        ];
        let files: [&[u8]; 9] = [
            b"\xef\xbb\xbf*\n",
            b"*\0x\n",
            b"json.py\r\n",
            b"a.txt  \n",
            b"b\\ \n",
            b"c\\\\ \n",
            b"\xef\xbb\xbfd\r\nx\0\r\n",
            b"e f \\\n\\#h\n",
            b"k\\\\\\ \n",
        ];
        for text in files {
            fs::write(top.join(".gitignore"), text).unwrap();
            let rules = Rules {
                base: Vec::new(),
                patterns: parse(text),
                source: Rc::from(Path::new(".gitignore")),
                changed: false,
            };
            for n in names {
                let by_git = std::process::Command::new("git")
                    .args(["check-ignore", "-q", "--no-index", "--", n])
                    .current_dir(&top)
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("HOME", &top)
                    .status()
                    .unwrap()
                    .success();
                let here = rules.matches(n.as_bytes(), n.as_bytes(), false, &match_budget());
                assert_eq!(
                    here,
                    by_git,
                    "{n:?} against {:?}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    /// An ignore file the run made or changed hides, for the list, every
    /// file the run made within its reach, whatever its patterns say (git
    /// may read it otherwise); one there before the run hides what it
    /// matches only.
    #[test]
    fn a_changed_ignore_file_lists_all_within_its_reach() {
        crate::clock::retry_if_set(|| {
            use std::fs;
            let t = tempfile::tempdir().unwrap();
            let top = fs::canonicalize(t.path()).unwrap();
            fs::create_dir_all(top.join("tools")).unwrap();
            fs::create_dir_all(top.join("lib")).unwrap();
            fs::write(top.join("tools/gen.py"), "import json\n").unwrap();
            fs::write(top.join("lib/.gitignore"), "*.o\n").unwrap();
            git(&top, &["init", "-q"]);
            git(&top, &["add", "."]);
            git(&top, &["commit", "-qm", "one"]);
            let (rec, since) = start(&top);
            // A pattern no reading here matches (an unknown byte form).
            fs::write(top.join("tools/.gitignore"), b"\x01odd\n").unwrap();
            fs::write(top.join("tools/json.py"), "x").unwrap();
            fs::create_dir_all(top.join("tools/sub")).unwrap();
            fs::write(top.join("tools/sub/m.py"), "x").unwrap();
            // Tracked, changed: git shows it.
            fs::write(top.join("tools/gen.py"), "import json # x\n").unwrap();
            // The unchanged `lib/.gitignore` hides only what it matches.
            fs::write(top.join("lib/a.o"), "x").unwrap();
            fs::write(top.join("lib/b.py"), "x").unwrap();
            let d = |p: &str| top.join(p).display().to_string();
            assert_eq!(
                listed(&top, rec.as_ref(), since, &[]),
                [
                    (d("lib/a.o"), 1),
                    (d("tools/.gitignore"), 1),
                    (d("tools/json.py"), 1),
                    (d("tools/sub/m.py"), 1),
                ]
            );
        });
    }

    fn git(dir: &Path, args: &[&str]) {
        let ok = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    }

    fn listed(
        root: &Path,
        rec: Option<&crate::git::Walk>,
        since: Option<(i64, i64)>,
        excludes: &[PathBuf],
    ) -> Vec<(String, u64)> {
        let env = Env {
            global_excludes: excludes,
            global_hides_untracked: None,
            homes: &[],
            known_git: None,
            since,
            steps: match_budget(),
        };
        let sw = crate::bytecode::sweep(
            &[root.to_path_buf()],
            since,
            rec,
            100_000,
            32,
            Some(&env),
            None,
        );
        assert!(sw.complete);
        let (entries, _) = sw.ignored.entries();
        let mut out: Vec<(String, u64)> = entries.into_iter().map(|e| (e.path, e.files)).collect();
        out.sort();
        out
    }

    /// The record of the search before the run, and when the run starts.
    fn start(root: &Path) -> (Option<crate::git::Walk>, Option<(i64, i64)>) {
        let first = crate::clock::fs_now().unwrap();
        while crate::clock::fs_now().unwrap() <= first {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let rec = crate::git::find(&[root.to_path_buf()], 100_000, 32).walk;
        assert!(rec.is_some());
        (rec, wait_for_the_clock())
    }

    fn wait_for_the_clock() -> Option<(i64, i64)> {
        let first = crate::clock::fs_now().unwrap();
        while crate::clock::fs_now().unwrap() <= first {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        crate::clock::fs_now()
    }

    /// The rules above a root apply (the writable tree is a directory of
    /// the working tree); a tracked file that a rule matches is shown by
    /// git, so not listed; what was there before and is unchanged is not
    /// listed; a nested repository has its own rules; an ignore file
    /// that cannot be read ignores everything beside it.
    #[test]
    fn rules_above_the_root_tracked_files_nested_repositories_and_unreadable_ignore_files() {
        crate::clock::retry_if_set(|| {
            use std::fs;
            let t = tempfile::tempdir().unwrap();
            let top = fs::canonicalize(t.path()).unwrap();
            let root = top.join("app");
            fs::create_dir_all(root.join("gen")).unwrap();
            fs::create_dir_all(root.join("inner")).unwrap();
            fs::create_dir_all(root.join("odd")).unwrap();
            fs::write(top.join(".gitignore"), "app/gen/\n*.log\n").unwrap();
            fs::write(root.join("kept.log"), "tracked").unwrap();
            fs::write(root.join("old.log"), "before").unwrap();
            git(&top, &["init", "-q"]);
            git(&top, &["add", "-f", ".gitignore", "app/kept.log"]);
            git(&root.join("inner"), &["init", "-q"]);
            fs::write(root.join("inner/.gitignore"), "secret.txt\n").unwrap();
            let c =
                std::ffi::CString::new(root.join("odd/.gitignore").as_os_str().as_bytes()).unwrap();
            // SAFETY: a valid C string.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            fs::write(root.join("odd/before.txt"), "b").unwrap();
            let (rec, since) = start(&root);
            fs::write(root.join("gen/a.rs"), "x").unwrap();
            fs::write(root.join("kept.log"), "changed").unwrap();
            fs::write(root.join("new.log"), "x").unwrap();
            fs::write(root.join("inner/secret.txt"), "x").unwrap();
            // Not ignored in the inner repository, but in a nested one: the
            // outer `git status` shows it as `?? inner/` at most.
            fs::write(
                root.join("inner/x.log"),
                "not ignored in the inner repository",
            )
            .unwrap();
            fs::write(root.join("odd/run.txt"), "x").unwrap();
            // New and untracked where git status lists it: shown.
            fs::write(root.join("z.tmp"), "x").unwrap();
            let d = |p: &str| root.join(p).display().to_string();
            assert_eq!(
                listed(&root, rec.as_ref(), since, &[]),
                [
                    (d("gen/a.rs"), 1),
                    (d("inner/secret.txt"), 1),
                    (d("inner/x.log"), 1),
                    (d("new.log"), 1),
                    (d("odd/run.txt"), 1),
                ]
            );
            // The user's global excludes count too.
            let global = top.join("global-ignore");
            fs::write(&global, "z.tmp\n").unwrap();
            assert!(listed(&root, rec.as_ref(), since, &[global]).contains(&(d("z.tmp"), 1)));
        });
    }

    /// A linked worktree reads the common git dir's `info/exclude`; what
    /// no rule ignores is not listed.
    #[test]
    fn a_linked_worktree_takes_the_common_info_exclude() {
        crate::clock::retry_if_set(|| {
            use std::fs;
            let t = tempfile::tempdir().unwrap();
            let top = fs::canonicalize(t.path()).unwrap();
            let main = top.join("main");
            fs::create_dir_all(&main).unwrap();
            git(&main, &["init", "-q"]);
            git(&main, &["commit", "-q", "--allow-empty", "-m", "c"]);
            fs::write(main.join(".git/info/exclude"), "secret.env\n").unwrap();
            git(&main, &["worktree", "add", "-q", "../wt"]);
            let wt = top.join("wt");
            let (rec, since) = start(&wt);
            fs::write(wt.join("secret.env"), "x").unwrap();
            fs::write(wt.join("shown.txt"), "x").unwrap();
            let got = listed(&wt, rec.as_ref(), since, &[]);
            assert_eq!(got, [(wt.join("secret.env").display().to_string(), 1)]);
        });
    }

    /// Many files below one ignored directory are one entry with the count.
    #[test]
    fn many_files_below_an_ignored_directory_are_summarised() {
        crate::clock::retry_if_set(|| {
            use std::fs;
            let t = tempfile::tempdir().unwrap();
            let root = fs::canonicalize(t.path()).unwrap();
            fs::create_dir_all(root.join(".git")).unwrap();
            fs::write(root.join(".gitignore"), "target\n").unwrap();
            let (rec, since) = start(&root);
            fs::create_dir_all(root.join("target/debug")).unwrap();
            for i in 0..=PER_DIRECTORY {
                fs::write(root.join(format!("target/debug/f{i}")), "x").unwrap();
            }
            assert_eq!(
                listed(&root, rec.as_ref(), since, &[]),
                [(
                    format!("{}/", root.join("target").display()),
                    PER_DIRECTORY as u64 + 1
                )]
            );
        });
    }

    /// Ignore files made to be slow (many patterns that backtrack on the
    /// run's file names) cost the sweep its budget, not the run's files
    /// times its patterns: past it, every file the run changed is listed
    /// as ignored (none of these patterns matches them), and the walk
    /// goes on to remove the bytecode it wrote.
    #[test]
    fn slow_ignore_patterns_spend_a_bounded_budget_and_list_the_rest() {
        crate::clock::retry_if_set(|| {
            use std::fs;
            let t = tempfile::tempdir().unwrap();
            let root = fs::canonicalize(t.path()).unwrap();
            fs::create_dir_all(root.join(".git")).unwrap();
            fs::write(root.join("x.py"), "import json\n").unwrap();
            // There before the run (left by an earlier one): its patterns
            // are matched, not taken as changed. Each costs some 7 400
            // steps on these names, under the per-pattern bound, so none
            // matches by running out.
            let slow = "*a*a*a*b\n".repeat(50_000);
            fs::write(root.join(".gitignore"), slow).unwrap();
            let (rec, since) = start(&root);
            let name = "a".repeat(17);
            let made: Vec<PathBuf> = (0..5).map(|i| root.join(format!("{name}xy{i}"))).collect();
            for m in &made {
                fs::write(m, "x").unwrap();
            }
            fs::write(root.join("json.pyc"), "planted").unwrap();
            let env = Env {
                global_excludes: &[],
                global_hides_untracked: None,
                homes: &[],
                known_git: None,
                since,
                steps: match_budget(),
            };
            let sw = crate::bytecode::sweep(
                std::slice::from_ref(&root),
                since,
                rec.as_ref(),
                100_000,
                32,
                Some(&env),
                None,
            );
            assert!(sw.complete);
            assert!(
                env.budget_spent(),
                "left {} {:?}",
                env.steps.get(),
                sw.ignored.entries()
            );
            assert_eq!(sw.removed, 1);
            assert!(!root.join("json.pyc").exists());
            let (entries, _) = sw.ignored.entries();
            for m in &made {
                let m = m.display().to_string();
                assert!(
                    entries.iter().any(|e| e.path == m && e.reason == "ignored"),
                    "{m} not listed"
                );
            }
        });
    }

    /// The added time of the listing over a workspace of 10 000 files
    /// (6 000 sources in 300 directories, 4 000 ignored build outputs the
    /// run wrote below `target/`, a `.gitignore` of 40 patterns): the
    /// bytecode sweep's walk with and without it. Run with `cargo test
    /// --release -p sandbox-exec --bin sandbox-exec -- --ignored
    /// listing_cost --nocapture`.
    #[test]
    #[ignore]
    fn listing_cost() {
        use std::fs;
        use std::time::Instant;
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        git(&root, &["init", "-q"]);
        let mut gi = String::from("target/\n*.log\n.env\n");
        for i in 0..37 {
            gi.push_str(&format!("*.tmp{i}\nbuild{i}/\n"));
        }
        fs::write(root.join(".gitignore"), gi).unwrap();
        for d in 0..300 {
            let dir = root.join(format!("src/m{}/d{d}", d % 10));
            fs::create_dir_all(&dir).unwrap();
            for f in 0..20 {
                fs::write(dir.join(format!("f{f}.rs")), "x").unwrap();
            }
        }
        git(&root, &["add", "."]);
        let (rec, since) = start(&root);
        for d in 0..40 {
            let dir = root.join(format!("target/debug/deps{d}"));
            fs::create_dir_all(&dir).unwrap();
            for f in 0..100 {
                fs::write(dir.join(format!("o{f}.o")), "x").unwrap();
            }
        }
        let env = Env {
            global_excludes: &[],
            global_hides_untracked: None,
            homes: &[],
            known_git: None,
            since,
            steps: match_budget(),
        };
        let time = |ignore: Option<&Env<'_>>, repair: Option<u32>| {
            let mut runs: Vec<u128> = (0..7)
                .map(|_| {
                    let t0 = Instant::now();
                    let sw = crate::bytecode::sweep(
                        std::slice::from_ref(&root),
                        since,
                        rec.as_ref(),
                        100_000,
                        32,
                        ignore,
                        repair,
                    );
                    assert!(sw.complete);
                    t0.elapsed().as_micros()
                })
                .collect();
            runs.sort();
            runs[3]
        };
        let without = time(None, None);
        let with = time(Some(&env), None);
        let repair = time(Some(&env), Some(0));
        println!(
            "sweep of 10 000 files: {without} us without the listing, {with} us with it, {repair} us with the permission repair too"
        );
    }

    /// What listing the files the run made or changed outside every
    /// repository costs where the writable tree is no repository at all
    /// (each of its files is looked at): 6 000 files there before the
    /// run, 4 000 the run wrote in a new directory. Run as
    /// [`listing_cost`] with `outside_listing_cost`.
    #[test]
    #[ignore]
    fn outside_listing_cost() {
        use std::fs;
        use std::time::Instant;
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        for d in 0..300 {
            let dir = root.join(format!("src/m{}/d{d}", d % 10));
            fs::create_dir_all(&dir).unwrap();
            for f in 0..20 {
                fs::write(dir.join(format!("f{f}.rs")), "x").unwrap();
            }
        }
        let (rec, since) = start(&root);
        for d in 0..40 {
            let dir = root.join(format!("target/debug/deps{d}"));
            fs::create_dir_all(&dir).unwrap();
            for f in 0..100 {
                fs::write(dir.join(format!("o{f}.o")), "x").unwrap();
            }
        }
        let env = Env {
            global_excludes: &[],
            global_hides_untracked: None,
            homes: &[],
            known_git: Some(&[]),
            since,
            steps: match_budget(),
        };
        let time = |ignore: Option<&Env<'_>>, repair: Option<u32>| {
            let mut runs: Vec<(u128, u64)> = (0..7)
                .map(|_| {
                    let t0 = Instant::now();
                    let sw = crate::bytecode::sweep(
                        std::slice::from_ref(&root),
                        since,
                        rec.as_ref(),
                        100_000,
                        32,
                        ignore,
                        repair,
                    );
                    assert!(sw.complete);
                    (t0.elapsed().as_micros(), sw.outside.total)
                })
                .collect();
            runs.sort();
            runs[3]
        };
        let (without, _) = time(None, None);
        let (with, listed) = time(Some(&env), None);
        let (repair, _) = time(Some(&env), Some(0));
        assert_eq!(listed, 4000);
        println!(
            "sweep of 10 000 files outside every repository: {without} us without the listing, {with} us with it ({listed} listed), {repair} us with the permission repair too"
        );
    }

    /// The cost of the listing over a workspace of 100 000 files: 95 000
    /// tracked sources in 4 750 directories, 5 000 ignored build outputs
    /// the run wrote below `target/`, 100 untracked files there before
    /// and rewritten by the run. Prints the search before the run (which
    /// records the names) and the walk after it with and without the
    /// listing. Run with `cargo test --release -p sandbox-exec --bin
    /// sandbox-exec -- --ignored listing_cost_100k --nocapture`.
    #[test]
    #[ignore]
    fn listing_cost_100k() {
        use std::fs;
        use std::time::Instant;
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        git(&root, &["init", "-q"]);
        fs::write(root.join(".gitignore"), "target/\n*.log\n").unwrap();
        for d in 0..4750 {
            let dir = root.join(format!("src/m{}/d{d}", d % 50));
            fs::create_dir_all(&dir).unwrap();
            for f in 0..20 {
                fs::write(dir.join(format!("f{f}.rs")), "x").unwrap();
            }
        }
        git(&root, &["add", "."]);
        fs::create_dir_all(root.join("scratch")).unwrap();
        for f in 0..100 {
            fs::write(root.join(format!("scratch/s{f}.py")), "x").unwrap();
        }
        let t0 = Instant::now();
        let (rec, since) = start(&root);
        let search = t0.elapsed().as_millis();
        for d in 0..50 {
            let dir = root.join(format!("target/debug/deps{d}"));
            fs::create_dir_all(&dir).unwrap();
            for f in 0..100 {
                fs::write(dir.join(format!("o{f}.o")), "x").unwrap();
            }
        }
        for f in 0..100 {
            fs::write(root.join(format!("scratch/s{f}.py")), "y").unwrap();
        }
        let env = Env {
            global_excludes: &[],
            global_hides_untracked: None,
            homes: &[],
            known_git: None,
            since,
            steps: match_budget(),
        };
        let time = |ignore: Option<&Env<'_>>| {
            let mut runs: Vec<u128> = (0..5)
                .map(|_| {
                    let t0 = Instant::now();
                    let sw = crate::bytecode::sweep(
                        std::slice::from_ref(&root),
                        since,
                        rec.as_ref(),
                        200_000,
                        32,
                        ignore,
                        None,
                    );
                    assert!(sw.complete);
                    if ignore.is_some() {
                        assert_eq!(sw.ignored.total, 5_100);
                    }
                    t0.elapsed().as_millis()
                })
                .collect();
            runs.sort();
            runs[2]
        };
        let without = time(None);
        let with = time(Some(&env));
        println!(
            "100 000 files: search before the run {search} ms (with its 1 ms wait); walk after it {without} ms without the listing, {with} ms with it"
        );
    }
}
