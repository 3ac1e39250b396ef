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
        if self.is_new_link(&path) {
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
        if !argv.get(first).is_some_and(|a| a.is("mv")) {
            return;
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
        if let Some(dest) = ops.pop() {
            if !ops.is_empty() {
                self.note_moved_links(&ops, dest, false, false);
            }
        }
    }

    /// Whether a path as spelled goes through a link the command made or
    /// moved, read component by component before `..` is resolved
    /// (`k/../x` goes through `k`).
    pub(crate) fn spelled_through_new_link(&self, path: &str) -> bool {
        if self.shell.links.is_empty() {
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
