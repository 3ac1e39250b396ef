//! Links moved or renamed by the command (`mv h k`, `mv -t sub h`, `git mv
//! h k`): the filesystem guard follows the links that exist before the
//! command runs, so once a link (or a directory holding one) takes a new
//! name, a later path through that name is not modelled: the name is
//! remembered like a link the command made (docs/commands.md, Links).

use std::path::Path;

use super::normalize::Arg;
use super::rules::{basename, normalize_path};
use super::walk::Analyzer;

/// At most this many entries are looked at to tell whether a moved
/// directory holds a link; more counts as holding one.
const MAX_SCAN: usize = 2_000;

/// Whether the tree at `p` (not following links) holds a link, or is
/// too large to tell.
fn holds_link(p: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(p) else {
        return false;
    };
    if meta.file_type().is_symlink() {
        return true;
    }
    if !meta.is_dir() {
        return false;
    }
    let mut budget = MAX_SCAN;
    let mut stack = vec![p.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            if budget == 0 {
                return true;
            }
            budget -= 1;
            match e.file_type() {
                Ok(t) if t.is_symlink() => return true,
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(_) => {}
                // Not known: counts as a link.
                Err(_) => return true,
            }
        }
    }
    false
}

impl Analyzer<'_> {
    /// Whether the resolved `path` is, or lies below, a name the command
    /// made a link earlier.
    fn is_new_link(&self, path: &str) -> bool {
        let p = normalize_path(path);
        self.shell
            .links
            .iter()
            .any(|l| l.is_empty() || p == *l || p.starts_with(&format!("{l}/")))
            || self.below_link_dir(&p)
    }

    /// Whether the normalized `p` lies strictly below a directory where
    /// the command may have made links of unknown targets.
    fn below_link_dir(&self, p: &str) -> bool {
        self.shell.link_dirs.iter().any(|d| {
            if d.is_empty() {
                return true;
            }
            match (self.fs.host_path_of(d), self.fs.host_path_of(p)) {
                (Some(hd), Some(hp)) => hp != hd && hp.starts_with(&hd),
                _ if d == "." => {
                    p != "." && !p.starts_with('/') && !p.starts_with('~') && !p.starts_with("..")
                }
                _ => p.starts_with(&format!("{d}/")),
            }
        })
    }

    /// Whether the normalized `p` is itself a directory where the command
    /// may have made links of unknown targets (its tree may hold them).
    fn is_link_dir(&self, p: &str) -> bool {
        let p = normalize_path(p);
        self.shell.link_dirs.iter().any(|d| {
            d.is_empty()
                || *d == p
                || matches!(
                    (self.fs.host_path_of(d), self.fs.host_path_of(&p)),
                    (Some(hd), Some(hp)) if hd == hp
                )
        })
    }

    /// Remember that the command may make links whose targets are not
    /// known anywhere below `dir` (a path as written; `None` when it is
    /// computed at run time).
    pub(crate) fn note_link_dir(&mut self, dir: Option<&Arg>) {
        let resolved = dir
            .and_then(|d| d.lit().map(|v| (v, d.home)))
            .and_then(|(v, home)| self.resolve(v, home))
            .map(|r| normalize_path(&r))
            .unwrap_or_default();
        if self.shell.link_dirs.len() < 64 && !self.shell.link_dirs.contains(&resolved) {
            self.shell.link_dirs.push(resolved);
        }
    }

    /// The directory git checks files out into: the top of the repository
    /// holding the working directory (found on the host), or not known.
    pub(crate) fn git_work_tree(&self) -> Option<String> {
        let here = self.resolve(".", false)?;
        let host = self.fs.host_path_of(&here)?;
        let mut at: &Path = &host;
        loop {
            if std::fs::symlink_metadata(at.join(".git")).is_ok() {
                return at.to_str().map(str::to_string);
            }
            at = at.parent()?;
        }
    }

    /// Programs that may make links whose targets the analysis does not
    /// know below a directory: archive extraction (`tar -x`, `unzip`, `cpio
    /// -i`, `7z x`, `patch` of a git-style patch), and recursive copies
    /// (`cp -r/-a`, `rsync -r/-a`) of a tree that holds links.
    pub(crate) fn note_link_makers(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        let words: Vec<&str> = argv.iter().skip(1).filter_map(|a| a.lit()).collect();
        let shorts: String = words
            .iter()
            .filter(|w| w.starts_with('-') && !w.starts_with("--"))
            .map(|w| &w[1..])
            .collect();
        let long = |n: &str| {
            words
                .iter()
                .any(|w| *w == n || w.starts_with(&format!("{n}=")))
        };
        let value_of = |names: &[&str]| -> Option<Arg> {
            let mut out = None;
            for (k, a) in argv.iter().enumerate().skip(1) {
                let Some(v) = a.lit() else { continue };
                for n in names {
                    if v == *n {
                        out = Some(argv.get(k + 1).cloned());
                    } else if let Some(x) = v.strip_prefix(&format!("{n}=")) {
                        out = Some(Some(Arg::literal(x, a.span)));
                    } else if n.len() == 2
                        && !n.starts_with("--")
                        && v.len() > 2
                        && v.starts_with(n)
                    {
                        out = Some(Some(Arg::literal(&v[2..], a.span)));
                    }
                }
            }
            out.map(|o| o.unwrap_or_else(|| Arg::dynamic("$unknown", argv[0].span)))
        };
        let here = Arg::literal(".", argv[0].span);
        // Extracting an archive or applying a patch replaces files whose
        // names and content are not known: a later build, test or script
        // run in the same command must not be judged by what is on disk now.
        let rewrites = match canon.as_str() {
            "tar" | "gtar" | "bsdtar" => {
                let first = words.first().copied().unwrap_or_default();
                (!first.starts_with('-') && first.contains('x'))
                    || shorts.contains('x')
                    || long("--extract")
                    || long("--get")
            }
            "unzip" => !shorts.chars().any(|c| "ltvZpcz".contains(c)),
            "patch" => !long("--dry-run"),
            "cpio" | "7z" | "7za" | "7zr" | "pax" | "bsdcpio" => true,
            _ => false,
        };
        if rewrites && self.checked_out.is_none() {
            self.checked_out = Some(canon.as_str().to_string());
        }
        match canon.as_str() {
            "tar" | "gtar" | "bsdtar" => {
                let first = words.first().copied().unwrap_or_default();
                let old_style = !first.starts_with('-') && first.contains('x');
                if old_style || shorts.contains('x') || long("--extract") || long("--get") {
                    let dir = value_of(&["-C", "--directory"]);
                    self.note_link_dir(Some(dir.as_ref().unwrap_or(&here)));
                }
            }
            // Listing and testing (`-l`, `-t`, `-v`, `-Z`, `-p`, `-c`,
            // `-z`) write nothing.
            "unzip" if !shorts.chars().any(|c| "ltvZpcz".contains(c)) => {
                let dir = value_of(&["-d"]);
                self.note_link_dir(Some(dir.as_ref().unwrap_or(&here)));
            }
            "cpio" | "7z" | "7za" | "7zr" | "pax" | "bsdcpio" => {
                self.note_link_dir(None);
            }
            "patch" => {
                let dir = value_of(&["-d", "--directory"]);
                self.note_link_dir(Some(dir.as_ref().unwrap_or(&here)));
            }
            "cp" | "rsync" => {
                let recursive = shorts.chars().any(|c| "rRa".contains(c))
                    || long("--recursive")
                    || long("--archive");
                let follows = shorts.contains('L') || long("--dereference") || long("--copy-links");
                if !recursive || follows {
                    return;
                }
                let ops: Vec<&Arg> = argv
                    .iter()
                    .skip(1)
                    .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
                    .collect();
                let target = value_of(&["-t", "--target-directory"]);
                let (srcs, dest): (Vec<&Arg>, Option<&Arg>) = match &target {
                    Some(t) => (ops.clone(), Some(t)),
                    None => match ops.split_last() {
                        Some((d, s)) => (s.to_vec(), Some(*d)),
                        None => return,
                    },
                };
                if srcs.iter().any(|s| {
                    self.moves_a_link(s)
                        || s.lit().is_none_or(|v| canon == "rsync" && v.contains(':'))
                }) {
                    self.note_link_dir(dest);
                }
            }
            _ => {}
        }
    }

    /// Whether `src` names a link, or a tree holding one, now or after an
    /// earlier part of the command made it one.
    fn moves_a_link(&self, src: &Arg) -> bool {
        let Some(v) = src.lit() else {
            // Computed at run time: the rename itself asks.
            return false;
        };
        let Some(path) = self.resolve(v, src.home) else {
            return true;
        };
        if self.is_new_link(&path) || self.is_link_dir(&path) {
            return true;
        }
        match self.fs.host_path_of(path.trim_end_matches('/')) {
            Some(host) => holds_link(&host),
            // Not this host's filesystem: what it holds is not known.
            None => true,
        }
    }

    /// `mv`/`git mv SRC… DEST`: remember the names a moved link takes.
    /// `target_dir` for `-t DIR` (DEST is the directory), `no_target_dir`
    /// for `-T` (DEST is the new name); otherwise DEST may be either.
    pub(crate) fn note_moved_links(
        &mut self,
        srcs: &[&Arg],
        dest: &Arg,
        target_dir: bool,
        no_target_dir: bool,
    ) {
        for src in srcs {
            if !self.moves_a_link(src) {
                continue;
            }
            let name = src
                .lit()
                .map(|v| basename(v.trim_end_matches('/')).to_string());
            let mut names = Vec::new();
            match dest.lit() {
                None => names.push(None),
                Some(d) => {
                    if !target_dir {
                        names.push(Some(d.to_string()));
                    }
                    if !no_target_dir {
                        names.push(name.as_ref().map(|n| format!("{d}/{n}")));
                    }
                }
            }
            for n in names {
                // A name not known at analysis time may be any path.
                let resolved = n.and_then(|n| self.resolve(&n, dest.home));
                self.shell
                    .links
                    .push(resolved.map(|r| normalize_path(&r)).unwrap_or_default());
            }
        }
    }

    /// `git [global options] mv [-f|-k|-n|-v] SRC… DEST`.
    pub(crate) fn note_git_moved_links(&mut self, argv: &[Arg], first: usize) {
        if let Some((ops, dest)) = git_mv_operands(argv, first) {
            self.note_moved_links(&ops, dest, false, false);
        }
    }

    /// Whether a path as spelled goes through a link the command made or
    /// moved, read component by component before `..` is resolved
    /// (`k/../x` goes through `k`).
    pub(crate) fn spelled_through_new_link(&self, path: &str) -> bool {
        if self.shell.links.is_empty() && self.shell.link_dirs.is_empty() {
            return false;
        }
        let mut prefix = String::new();
        if path.starts_with('/') {
            prefix.push('/');
        }
        for c in path.split('/').filter(|c| !c.is_empty()) {
            if !prefix.is_empty() && !prefix.ends_with('/') {
                prefix.push('/');
            }
            prefix.push_str(c);
            if c != ".." && self.is_new_link(&prefix) {
                return true;
            }
        }
        false
    }
}

/// The sources and the destination of `git [global options] mv [-f|-k|-n|-v]
/// SRC… DEST` (`first` is the subcommand's index); `None` for another
/// subcommand or fewer than two operands.
pub(crate) fn git_mv_operands(argv: &[Arg], first: usize) -> Option<(Vec<&Arg>, &Arg)> {
    if !argv.get(first).is_some_and(|a| a.is("mv")) {
        return None;
    }
    let mut ops: Vec<&Arg> = Vec::new();
    let mut ended = false;
    for a in &argv[first + 1..] {
        match a.lit() {
            Some("--") if !ended => ended = true,
            Some(v) if !ended && v.starts_with('-') && v.len() > 1 => {}
            _ => ops.push(a),
        }
    }
    let dest = ops.pop()?;
    (!ops.is_empty()).then_some((ops, dest))
}
