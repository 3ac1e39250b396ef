//! What the run did to the refs of the repositories the helper knows.
//!
//! Refs stay writable in the run (a commit, a fetch, `git stash` need
//! them), so a command can re-point what the user later checks out with no
//! trace in `git status` or `git diff`: a tag moved to a twin commit (same
//! message, author and dates, one more line in `Makefile`), the user's
//! stash dropped and re-pushed with the same message, a branch other than
//! the checked-out one, `ORIG_HEAD`, a remote-tracking ref. The values of
//! every ref (loose and packed), `ORIG_HEAD` and the entries of the stash
//! (its reflog) are read while the run is planned and again after it; the
//! report lists each that changed, appeared or disappeared, with old and
//! new values.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

pub use crate::report::RefChange;

/// Entries (refs and directories) read below `refs/` per repository;
/// past it the comparison is incomplete.
pub const REFS_LIMIT: usize = 100_000;

/// Levels of directories below `refs/`.
const MAX_DEPTH: usize = 32;

/// Bytes read of a loose ref (an id or `ref: NAME`) and of the stash's
/// reflog and `packed-refs`.
const LOOSE_MAX: u64 = 4096;
const FILE_MAX: u64 = 64 << 20;

/// Pseudo-refs of the git dir the comparison covers besides `refs/`.
const PSEUDO_REFS: &[&str] = &["ORIG_HEAD"];

/// The refs of one git dir.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Refs {
    /// Name (`refs/tags/v1.0`, `ORIG_HEAD`) to value (an object id, or
    /// `ref: NAME` for a symbolic ref); a loose ref overrides a packed one.
    pub values: BTreeMap<String, String>,
    /// The stash's entries, newest first (`stash@{0}` …): id and message.
    pub stash: Vec<(String, String)>,
    /// Why the refs could not all be read (a `reftable/` store, a bound).
    pub incomplete: Option<String>,
}

/// Read the refs of git dir `g`.
pub fn read(g: &Path) -> Refs {
    let mut out = Refs::default();
    if g.join("reftable").is_dir() {
        out.incomplete = Some("its refs are in a reftable store, which is not read".into());
        return out;
    }
    if let Some(text) = read_small(&g.join("packed-refs"), FILE_MAX) {
        for line in text.lines() {
            if line.starts_with('#') || line.starts_with('^') {
                continue;
            }
            if let Some((id, name)) = line.split_once(' ') {
                out.values.insert(name.to_string(), id.to_string());
            }
        }
    }
    let mut count = 0usize;
    let refs = g.join("refs");
    match fs::symlink_metadata(&refs) {
        Ok(m) if m.is_dir() => walk(g, &refs, 0, &mut count, &mut out),
        Ok(m) if m.file_type().is_symlink() => {
            // Not followed: named by its target.
            let t = fs::read_link(&refs).unwrap_or_default();
            out.values
                .insert("refs".into(), format!("link to {}", t.display()));
        }
        _ => {}
    }
    for p in PSEUDO_REFS {
        if let Some(v) = read_small(&g.join(p), LOOSE_MAX) {
            out.values.insert((*p).to_string(), first_line(&v));
        }
    }
    if let Some(text) = read_small(&g.join("logs/refs/stash"), FILE_MAX) {
        // The reflog is oldest first; `stash@{0}` is its last line.
        for line in text.lines().rev() {
            let mut words = line.split(' ');
            let (Some(_), Some(new)) = (words.next(), words.next()) else {
                continue;
            };
            let msg = line.split_once('\t').map(|(_, m)| m).unwrap_or("");
            out.stash.push((new.to_string(), msg.to_string()));
        }
    }
    out
}

fn walk(g: &Path, dir: &Path, depth: usize, count: &mut usize, out: &mut Refs) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    // Entry by entry, so that memory stays within the bound whatever
    // one directory holds.
    for e in rd.flatten() {
        if *count >= REFS_LIMIT {
            out.incomplete
                .get_or_insert_with(|| format!("more than {REFS_LIMIT} refs"));
            return;
        }
        let p = e.path();
        let Ok(m) = fs::symlink_metadata(&p) else {
            continue;
        };
        if m.is_dir() {
            *count += 1;
            if depth + 1 >= MAX_DEPTH {
                out.incomplete
                    .get_or_insert_with(|| format!("refs deeper than {MAX_DEPTH} levels"));
                continue;
            }
            walk(g, &p, depth + 1, count, out);
            continue;
        }
        *count += 1;
        let Ok(rel) = p.strip_prefix(g) else {
            continue;
        };
        let name = rel.to_string_lossy().into_owned();
        if name.ends_with(".lock") {
            continue;
        }
        let value = if m.file_type().is_symlink() {
            fs::read_link(&p)
                .ok()
                .map(|t| format!("link to {}", t.display()))
        } else if m.is_file() {
            read_small(&p, LOOSE_MAX).map(|v| first_line(&v))
        } else {
            None
        };
        if let Some(v) = value {
            out.values.insert(name, v);
        }
    }
}

/// A ref file's value: its first line, at most 256 bytes (a ref holds
/// one line; what else a file there holds is not copied to the report).
fn first_line(v: &str) -> String {
    let l = v.lines().next().unwrap_or("").trim();
    let mut end = l.len().min(256);
    while !l.is_char_boundary(end) {
        end -= 1;
    }
    l[..end].to_string()
}

/// A regular file's text (at most `max` bytes), read with no link
/// followed in its last component and without blocking on a FIFO.
fn read_small(p: &Path, max: u64) -> Option<String> {
    let f = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(p)
        .ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut buf = Vec::new();
    f.take(max).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Read the refs of every git dir in `dirs`.
pub fn read_all(dirs: &[PathBuf]) -> BTreeMap<PathBuf, Refs> {
    dirs.iter().map(|g| (g.clone(), read(g))).collect()
}

/// What changed between `before` and `after` for git dir `g`: every ref
/// whose value changed, appeared or disappeared, and every stash entry
/// that is gone or new (a dropped and re-pushed stash with the same
/// message is both).
pub fn changes(g: &Path, before: &Refs, after: &Refs) -> Vec<RefChange> {
    let git_dir = g.display().to_string();
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> =
        before.values.keys().chain(after.values.keys()).collect();
    for name in names {
        let (old, new) = (before.values.get(name), after.values.get(name));
        if old != new {
            out.push(RefChange {
                git_dir: git_dir.clone(),
                name: name.clone(),
                old: old.cloned(),
                new: new.cloned(),
            });
        }
    }
    let ids = |s: &[(String, String)]| -> Vec<String> { s.iter().map(|e| e.0.clone()).collect() };
    let (was, is) = (ids(&before.stash), ids(&after.stash));
    for (i, (id, msg)) in before.stash.iter().enumerate() {
        if !is.contains(id) {
            out.push(RefChange {
                git_dir: git_dir.clone(),
                name: format!("stash@{{{i}}}"),
                old: Some(format!("{id} {msg}")),
                new: None,
            });
        }
    }
    for (i, (id, msg)) in after.stash.iter().enumerate() {
        if !was.contains(id) {
            out.push(RefChange {
                git_dir: git_dir.clone(),
                name: format!("stash@{{{i}}}"),
                old: None,
                new: Some(format!("{id} {msg}")),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, s: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, s).unwrap();
    }

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const C: &str = "3333333333333333333333333333333333333333";

    #[test]
    fn changed_added_and_removed_refs_and_stash_entries_are_listed() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path();
        write(&g.join("HEAD"), "ref: refs/heads/main\n");
        write(&g.join("refs/heads/main"), &format!("{A}\n"));
        write(
            &g.join("packed-refs"),
            &format!("# pack-refs with: peeled fully-peeled sorted\n{A} refs/tags/v1.0\n^{B}\n{A} refs/remotes/origin/main\n"),
        );
        write(&g.join("refs/stash"), &format!("{A}\n"));
        write(
            &g.join("logs/refs/stash"),
            &format!(
                "0000000000000000000000000000000000000000 {A} U <u@x> 1 +0000\tOn main: WIP\n"
            ),
        );
        let before = read(g);
        assert_eq!(before.values["refs/tags/v1.0"], A);
        assert_eq!(before.values["refs/heads/main"], A);
        assert_eq!(
            before.stash,
            vec![(A.to_string(), "On main: WIP".to_string())]
        );
        assert!(changes(g, &before, &read(g)).is_empty());
        // A loose tag overrides the packed one; the stash is re-pushed
        // under the same message; ORIG_HEAD appears; a remote-tracking ref
        // goes.
        write(&g.join("refs/tags/v1.0"), &format!("{C}\n"));
        write(&g.join("refs/stash"), &format!("{B}\n"));
        write(
            &g.join("logs/refs/stash"),
            &format!(
                "0000000000000000000000000000000000000000 {B} U <u@x> 2 +0000\tOn main: WIP\n"
            ),
        );
        write(&g.join("ORIG_HEAD"), &format!("{A}\n"));
        write(&g.join("packed-refs"), &format!("{A} refs/tags/v1.0\n"));
        write(&g.join("refs/tags/v2.lock"), "x");
        let after = read(g);
        let c = changes(g, &before, &after);
        let got: Vec<(String, Option<String>, Option<String>)> =
            c.into_iter().map(|c| (c.name, c.old, c.new)).collect();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            got,
            vec![
                ("ORIG_HEAD".into(), None, s(A)),
                ("refs/remotes/origin/main".into(), s(A), None),
                ("refs/stash".into(), s(A), s(B)),
                ("refs/tags/v1.0".into(), s(A), s(C)),
                ("stash@{0}".into(), s(&format!("{A} On main: WIP")), None),
                ("stash@{0}".into(), None, s(&format!("{B} On main: WIP"))),
            ]
        );
    }

    #[test]
    fn the_bound_makes_the_comparison_incomplete() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path();
        let mut out = Refs::default();
        let mut count = REFS_LIMIT - 2;
        for i in 0..5 {
            write(&g.join(format!("refs/tags/t{i}")), A);
        }
        walk(g, &g.join("refs"), 0, &mut count, &mut out);
        assert!(out.incomplete.is_some());
        assert!(out.values.len() < 5);
    }

    #[test]
    fn a_reftable_store_is_not_read() {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir_all(t.path().join("reftable")).unwrap();
        assert!(read(t.path()).incomplete.is_some());
    }
}
