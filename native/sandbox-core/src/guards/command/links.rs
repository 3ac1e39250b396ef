//! Links the command creates (`ln`, `ln -s`): a link to a blocked or
//! protected entry is refused, and a later path through a name the command
//! itself made a link is not modelled, since the filesystem guard judges
//! the files that exist before the command runs (docs/commands.md, Links).

use super::normalize::{clip, Arg};
use super::rules::{basename, normalize_path};
use super::shell::HardLink;
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};

impl Analyzer<'_> {
    /// `ln [-s] TARGET… [LINK|DIR]`: judge each target as the file the
    /// link will lead to (after `~`/`$HOME` expansion, as bash passes it),
    /// and remember the names that become links.
    pub(crate) fn note_links(&mut self, targets: &[Arg], link: Option<&Arg>) {
        for t in targets {
            self.check_link_target(t);
        }
        let mut names = Vec::new();
        match link {
            None => {
                for t in targets {
                    names.push(t.lit().map(|v| basename(v).to_string()));
                }
            }
            Some(l) => {
                let dir = l.lit().map(str::to_string);
                names.push(dir.clone());
                for t in targets {
                    names.push(
                        dir.as_ref()
                            .zip(t.lit())
                            .map(|(d, v)| format!("{d}/{}", basename(v))),
                    );
                }
            }
        }
        for n in names {
            // A name not known at analysis time may be any path.
            let resolved = n.and_then(|n| self.resolve(&n, n.starts_with('~')));
            self.shell
                .links
                .push(resolved.map(|r| normalize_path(&r)).unwrap_or_default());
        }
    }

    fn check_link_target(&mut self, t: &Arg) {
        let Some(v) = t.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "ln: the link target {} is computed at run time; where the link leads is not known",
                    clip(&t.text)
                ),
                t.span,
                &[],
            );
            return;
        };
        let Some(path) = self.resolve(v, t.home) else {
            return;
        };
        if let Some(rule) = self.fs.blocked_below(&path) {
            // `ln -s ~ h`: h/.ssh is ~/.ssh to every tool that follows
            // links, and to `cd -P h/..`.
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "ln: a link to {} would give a second name to the blocked entries below it ({rule})",
                    clip(&path)
                ),
                t.span,
                &[],
            );
        }
        for op in [FileOperation::Read, FileOperation::Write] {
            let d = self.fs.check(&FileRequest::new(&path, op));
            if !d.is_allowed()
                && matches!(
                    d.code,
                    DecisionCode::BlockedPath | DecisionCode::ProtectedPath
                )
            {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::FileAccessDenied,
                    format!(
                        "ln: a link to {} would give a second name to a blocked or protected entry ({}: {})",
                        clip(&path),
                        d.code,
                        d.reason
                    ),
                    t.span,
                    &[],
                    d.rule.clone(),
                );
                return;
            }
        }
    }

    /// Whether `path` (resolved) goes through a name this command made a
    /// link, or moved a link to, earlier: reported as not modelled.
    pub(crate) fn through_new_link(
        &mut self,
        path: &str,
        arg: &Arg,
        argv: &[Arg],
        via: &str,
    ) -> bool {
        let hit = self.spelled_through_new_link(path);
        if hit {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via}: {} goes through a link the command creates or moves earlier; where it leads is not judged",
                    clip(path)
                ),
                arg.span,
                argv,
            );
        }
        hit
    }
}

impl Analyzer<'_> {
    /// How a resolved path is compared with the names of hard links the
    /// command made: its host path where the guard looks at this host
    /// (one spelling for relative, absolute and `~` names), else the
    /// normalized path.
    pub(crate) fn hard_link_key(&self, path: &str) -> String {
        let n = normalize_path(path);
        self.fs
            .host_path_of(&n)
            .and_then(|h| h.to_str().map(str::to_string))
            .unwrap_or(n)
    }

    /// Remember that the command makes `name` a hard link of `original`
    /// (both resolved; `None` when computed at run time), or with `tree`
    /// every file below `name` one of the file at the same place below
    /// `original`. A name not known is a link of unknown name: every later
    /// path may go through it.
    pub(crate) fn note_hard_link(
        &mut self,
        name: Option<&str>,
        original: Option<&str>,
        tree: bool,
    ) {
        match (name, original) {
            (Some(n), Some(o)) => {
                let link = HardLink {
                    name: self.hard_link_key(n),
                    original: self.hard_link_key(o),
                    tree,
                    pending: true,
                };
                self.push_hard_link(link);
            }
            _ => self.shell.links.push(String::new()),
        }
    }

    fn push_hard_link(&mut self, link: HardLink) {
        if self.shell.hard_links.len() >= 256 {
            self.shell.links.push(String::new());
        } else if link.name != link.original
            && !self
                .shell
                .hard_links
                .iter()
                .any(|l| (&l.name, &l.original, l.tree) == (&link.name, &link.original, link.tree))
        {
            self.shell.hard_links.push(link);
        }
    }

    /// The other names the file at the resolved `path` has through hard
    /// links the command made earlier (links of links included; bounded).
    /// With `originals` only the names it links (what a write through it
    /// changes), otherwise also the names made to it.
    pub(crate) fn hard_link_names(&self, path: &str, originals: bool) -> Vec<String> {
        if self.shell.hard_links.is_empty() {
            return Vec::new();
        }
        let start = self.hard_link_key(path);
        let mut names = vec![start.clone()];
        let mut i = 0;
        while i < names.len() && names.len() < 64 {
            let at = names[i].clone();
            for l in self.shell.hard_links.iter().filter(|l| !l.pending) {
                let mut ways = vec![(&l.name, &l.original)];
                if !originals {
                    ways.push((&l.original, &l.name));
                }
                for (from, to) in ways {
                    if let Some(rest) = below_key(&at, from).filter(|r| l.tree || r.is_empty()) {
                        let other = format!("{to}{rest}");
                        if !names.contains(&other) {
                            names.push(other);
                        }
                    }
                }
            }
            i += 1;
        }
        names.retain(|n| *n != start);
        names
    }

    /// A write of `path` (resolved) is a write of every name the command
    /// made it a hard link of (`cp -l Makefile m2 && echo x > m2` rewrites
    /// the Makefile): each is judged as the same write.
    pub(crate) fn write_hard_link_names(
        &mut self,
        path: &str,
        op: FileOperation,
        arg: &Arg,
        argv: &[Arg],
        via: &str,
    ) {
        if self.in_hard_link {
            return;
        }
        let names = self.hard_link_names(path, true);
        if names.is_empty() {
            return;
        }
        self.in_hard_link = true;
        let via = format!(
            "{via} (through {}, a hard link the command makes)",
            clip(path)
        );
        for n in names {
            // A name below a file cannot exist (a tree's name that was
            // not one of its files).
            if below_a_file(std::path::Path::new(&n)) {
                continue;
            }
            let other = Arg::literal(&n, arg.span);
            self.check_path_pub(&other, op, argv, &via);
        }
        self.in_hard_link = false;
    }

    /// A rename of `src` to `dest` (both resolved; `dest` ending in `/`
    /// is the directory it moves into) keeps the hard links the command
    /// made: the moved name links what it linked.
    pub(crate) fn rename_hard_link(&mut self, src: &str, dest: &str) {
        if self.shell.hard_links.is_empty() {
            return;
        }
        let dest = if dest.ends_with('/') {
            format!("{dest}{}", basename(src.trim_end_matches('/')))
        } else {
            dest.to_string()
        };
        let (s, d) = (self.hard_link_key(src), self.hard_link_key(&dest));
        let mut made = Vec::new();
        for l in &self.shell.hard_links {
            let tree = l.tree;
            // The moved entry holds the link, or (a tree) is in it.
            if let Some(rest) = below_key(&l.name, &s) {
                made.push((format!("{d}{rest}"), l.original.clone(), tree));
            } else if let Some(rest) = below_key(&s, &l.name).filter(|_| tree) {
                made.push((d.clone(), format!("{}{rest}", l.original), tree));
            }
            if let Some(rest) = below_key(&l.original, &s) {
                made.push((l.name.clone(), format!("{d}{rest}"), tree));
            } else if let Some(rest) = below_key(&s, &l.original).filter(|_| tree) {
                made.push((format!("{}{rest}", l.name), d.clone(), tree));
            }
        }
        for (name, original, tree) in made {
            self.push_hard_link(HardLink {
                name,
                original,
                tree,
                pending: false,
            });
        }
    }
}

/// The rest of `key` below `name` (`""` when they are equal, `/x` below).
fn below_key<'a>(key: &'a str, name: &str) -> Option<&'a str> {
    let rest = key.strip_prefix(name.trim_end_matches('/'))?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Whether a directory above `path` exists and is not a directory.
fn below_a_file(path: &std::path::Path) -> bool {
    path.ancestors()
        .skip(1)
        .any(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
}

/// The target of the last link in a chain starting at `path` (bounded).
fn last_link_target(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let mut at = path.to_path_buf();
    let mut last = None;
    for _ in 0..40 {
        let Ok(t) = std::fs::read_link(&at) else {
            break;
        };
        at = match at.parent() {
            Some(dir) => dir.join(&t),
            None => t,
        };
        last = Some(at.clone());
    }
    last
}

/// Recursive tools and the options that make them follow every link below
/// their operands: `(tools, short letters, long options)`.
const LINK_FOLLOWING: &[(&[&str], &str, &[&str])] = &[
    (
        &["grep", "egrep", "fgrep"],
        "R",
        &["--dereference-recursive"],
    ),
    (&["rg"], "L", &["--follow"]),
    (&["du"], "L", &["--dereference"]),
    (&["tar", "bsdtar", "gtar"], "h", &["--dereference"]),
    (
        &["rsync"],
        "Lk",
        &["--copy-links", "--copy-unsafe-links", "--copy-dirlinks"],
    ),
];

/// `(tools, follow letter, recursion letters, long follow, long recursion)`.
type FollowWhenRecursive = (
    &'static [&'static str],
    char,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// Tools that follow links below their operands only when they also
/// recurse.
const LINK_FOLLOWING_RECURSIVE: &[FollowWhenRecursive] = &[
    (
        &["cp"],
        'L',
        "rRa",
        &["--dereference"],
        &["--recursive", "--archive"],
    ),
    (&["ls"], 'L', "R", &["--dereference"], &["--recursive"]),
    (
        &["chmod", "chown", "chgrp"],
        'L',
        "R",
        &[],
        &["--recursive"],
    ),
];

impl Analyzer<'_> {
    /// A program named by a path that leads through a link (`./r` -> `rm`,
    /// a cloned `node_modules/.bin` entry) runs the file the link leads to:
    /// it is judged under that name. Returns the name to judge.
    pub(crate) fn program_through_links(&mut self, argv: &mut [Arg], name: String) -> String {
        if !name.contains('/') {
            return name;
        }
        if self
            .resolve(&name, argv[0].home)
            .is_some_and(|p| self.spelled_through_new_link(&p))
        {
            // `mv r sub/; sub/r`: the link's target runs under a name the
            // filesystem does not show yet.
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "{} goes through a link the command makes or moves earlier: the program it runs is not known",
                    clip(&name)
                ),
                argv[0].span,
                argv,
            );
            return name;
        }
        if let Some(dir) = self.clone_holding(&name, &argv[0]) {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "{} is a file of the repository the command clones into {}: what it runs (any program, through a link) is not known",
                    clip(&name),
                    clip(&dir)
                ),
                argv[0].span,
                argv,
            );
        }
        let Some(host) = self
            .resolve(&name, argv[0].home)
            .and_then(|p| self.fs.host_path_of(&p))
        else {
            return name;
        };
        let real = match std::fs::canonicalize(&host) {
            Ok(r) => r,
            // A dangling link may lead somewhere by the time it runs: judge
            // the name it points to.
            Err(_) => match last_link_target(&host) {
                Some(t) => t,
                None => return name,
            },
        };
        // Same name: judged the same (and a rule naming `./tool` still
        // matches when the workspace itself is reached through a link).
        let same = real.file_name() == host.file_name();
        match real.to_str() {
            Some(r) if !same => {
                argv[0].value = Some(r.to_string());
                r.to_string()
            }
            _ => name,
        }
    }

    /// The clone directory `name` lies in, when the command cloned a
    /// repository there earlier.
    fn clone_holding(&self, name: &str, arg: &Arg) -> Option<String> {
        if self.shell.cloned.is_empty() {
            return None;
        }
        let p = self.resolve(name, arg.home).map(|p| normalize_path(&p));
        self.shell
            .cloned
            .iter()
            .find(|c| c.is_empty() || p.as_ref().is_none_or(|p| p.starts_with(&format!("{c}/"))))
            .map(|c| {
                if c.is_empty() {
                    "an unknown directory".to_string()
                } else {
                    c.clone()
                }
            })
    }

    /// A recursive tool that follows links reads (or changes) whatever any
    /// link below its operands leads to: a link to the home in the
    /// workspace, or one made between the check and the run. The operands
    /// are judged lexically, so that is not modelled.
    pub(crate) fn check_link_following(&mut self, argv: &[Arg], base: &str) {
        self.check_followed_trees(argv, base);
        let mut letters = String::new();
        let mut longs: Vec<&str> = Vec::new();
        for (k, a) in argv.iter().enumerate().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                break;
            }
            if let Some(long) = v.strip_prefix("--") {
                longs.push(&v[..2 + long.find('=').unwrap_or(long.len())]);
            } else if let Some(short) = v.strip_prefix('-') {
                letters.push_str(short);
                longs.push(v);
            } else if k == 1 && matches!(base, "tar" | "bsdtar" | "gtar") {
                // `tar chf x.tar .`: the old-style option bundle.
                letters.push_str(v);
            }
        }
        let follows = match base {
            "find" => longs.iter().any(|o| matches!(*o, "-L" | "-follow")),
            "zip" => {
                (letters.contains('r') || longs.contains(&"--recurse-paths"))
                    && !letters.contains('y')
                    && !longs.contains(&"--symlinks")
            }
            _ => {
                LINK_FOLLOWING.iter().any(|(tools, short, long)| {
                    tools.contains(&base)
                        && (letters.chars().any(|c| short.contains(c))
                            || longs.iter().any(|o| long.contains(o)))
                }) || LINK_FOLLOWING_RECURSIVE
                    .iter()
                    .any(|(tools, f, r, lf, lr)| {
                        tools.contains(&base)
                            && (letters.contains(*f) || longs.iter().any(|o| lf.contains(o)))
                            && (letters.chars().any(|c| r.contains(c))
                                || longs.iter().any(|o| lr.contains(o)))
                    })
            }
        };
        if follows {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "{base} follows the links below its operands: what they lead to (a link to the home, or one made before it runs) is not judged; drop the option that follows links"
                ),
                super::dangers::command_span(argv),
                argv,
            );
        }
    }
}
