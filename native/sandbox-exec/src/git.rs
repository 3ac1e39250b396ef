//! Git indirection: the files git reads as configuration, runs, or follows
//! to another directory ([`GIT_DIR_INDIRECTIONS`] in every git dir, the
//! `.git` files and links that point at git dirs, and the files the
//! configuration includes). Those that exist when the command starts are
//! bound read-only by the plan; one that does not exist yet cannot be
//! mounted over, and the top level of a git dir must stay writable for
//! `index` and `HEAD`. So the helper records what is there before the run
//! ([`Snapshot`]) and, once the whole process tree is dead, moves aside
//! every indirection entry that was created or replaced during the run
//! ([`sweep`]): nothing of the run is left to race with then.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use sandbox_core::guards::filesystem::GIT_DIR_INDIRECTIONS;

use crate::plan::{
    collect_nested_git_dirs, walk_bounded, GIT_SCAN_LIMIT, GIT_SCAN_MAX_DEPTH, GIT_SCAN_SKIPPED,
};
use crate::report::Quarantined;

/// How deep `include.path` chains are followed (git's own limit is 10).
const INCLUDE_DEPTH: usize = 10;

/// Identity of an entry: a file replaced, rewritten or made anew has
/// another inode or change time (which no process can set back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    dev: u64,
    ino: u64,
    ctime: i64,
    ctime_nsec: i64,
    mode: u32,
}

fn fingerprint(p: &Path) -> Option<Fingerprint> {
    let m = fs::symlink_metadata(p).ok()?;
    Some(Fingerprint {
        dev: m.dev(),
        ino: m.ino(),
        ctime: m.ctime(),
        ctime_nsec: m.ctime_nsec(),
        mode: m.mode() & libc::S_IFMT,
    })
}

/// What was recorded of an entry before the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    entry: Fingerprint,
    /// Device and inode of the directory holding it: the same directory
    /// after the run means the entry's own mount point was never moved.
    parent: Option<(u64, u64)>,
}

/// The indirection entries present before the run, by path.
pub type Snapshot = BTreeMap<PathBuf, Recorded>;

/// What the `.git` search found: directories named `.git`, and `.git`
/// entries that are files or symbolic links (pointers to a git dir).
#[derive(Debug, Default)]
pub struct Found {
    pub dirs: Vec<PathBuf>,
    pub pointers: Vec<PathBuf>,
    pub complete: bool,
}

/// Breadth-first search below `roots` for `.git` entries, not following
/// symbolic links, not entering `.git` or [`GIT_SCAN_SKIPPED`] directories,
/// at most `max_depth` deep and `limit` entries.
pub fn find(roots: &[PathBuf], limit: usize, max_depth: usize) -> Found {
    let mut found = Found::default();
    found.complete = walk_bounded(roots, limit, |path, ft, depth| {
        let name = path.file_name().unwrap_or_default();
        if name == ".git" {
            if ft.is_dir() {
                found.dirs.push(path.to_path_buf());
            } else {
                found.pointers.push(path.to_path_buf());
            }
            return false;
        }
        ft.is_dir() && depth < max_depth && !GIT_SCAN_SKIPPED.iter().any(|s| name == *s)
    });
    found.dirs.sort();
    found.dirs.dedup();
    found.pointers.sort();
    found.pointers.dedup();
    found
}

/// The git dir a `.git` file names (`gitdir: PATH`, relative to the
/// file's directory), resolved; `None` for a link or an unreadable file.
pub fn pointed_git_dir(pointer: &Path) -> Option<PathBuf> {
    let m = fs::symlink_metadata(pointer).ok()?;
    if !m.is_file() || m.len() > 4096 {
        return None;
    }
    let text = fs::read_to_string(pointer).ok()?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    let target = pointer.parent()?.join(target);
    fs::canonicalize(target).ok().filter(|p| p.is_dir())
}

/// Every git dir that `dirs` and `pointers` lead to inside `writable`:
/// the `.git` directories, the git dirs `.git` files name, the git dirs
/// their `commondir` names, and the submodule and worktree git dirs below
/// them.
pub fn git_dirs(
    dirs: &[PathBuf],
    pointers: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
) -> Vec<PathBuf> {
    let mut todo: Vec<PathBuf> = dirs.to_vec();
    todo.extend(
        pointers
            .iter()
            .filter_map(|p| pointed_git_dir(p))
            .filter(|g| writable(g)),
    );
    let mut out = BTreeSet::new();
    while let Some(g) = todo.pop() {
        if out.len() > 10_000 || !out.insert(g.clone()) {
            continue;
        }
        let mut nested = Vec::new();
        for sub in sandbox_core::guards::filesystem::GIT_DIR_NESTED {
            collect_nested_git_dirs(&g.join(sub), &mut nested, 0);
        }
        todo.extend(nested);
        if let Some(common) = read_small(&g.join("commondir")) {
            if let Ok(c) = fs::canonicalize(g.join(common.trim())) {
                if writable(&c) {
                    todo.push(c);
                }
            }
        }
    }
    out.into_iter().collect()
}

fn read_small(p: &Path) -> Option<String> {
    let m = fs::symlink_metadata(p).ok()?;
    if !m.is_file() || m.len() > 64 * 1024 {
        return None;
    }
    fs::read_to_string(p).ok()
}

/// The indirection entries of a git dir that exist, and the files its
/// configuration includes (`include.path`, `includeIf.*.path`, followed
/// through included files).
pub fn entries(git_dir: &Path, home: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = GIT_DIR_INDIRECTIONS
        .iter()
        .map(|e| git_dir.join(e))
        .filter(|p| fs::symlink_metadata(p).is_ok())
        .collect();
    let mut configs = vec![
        (git_dir.join("config"), 0),
        (git_dir.join("config.worktree"), 0),
    ];
    let mut seen = BTreeSet::new();
    while let Some((c, depth)) = configs.pop() {
        if depth > INCLUDE_DEPTH || !seen.insert(c.clone()) {
            continue;
        }
        let Some(text) = read_small(&c) else { continue };
        for inc in include_paths(&text) {
            let p = if let Some(rest) = inc.strip_prefix("~/") {
                home.join(rest)
            } else {
                c.parent().unwrap_or(git_dir).join(&inc)
            };
            let p = crate::plan::resolve(&p);
            // Only a file can be configuration: a directory named there
            // (git would fail to read it) is not bound.
            if fs::metadata(&p).is_ok_and(|m| m.is_file()) || fs::symlink_metadata(&p).is_err() {
                out.push(p.clone());
                configs.push((p, depth + 1));
            }
        }
    }
    out.retain(|p| fs::symlink_metadata(p).is_ok());
    out.sort();
    out.dedup();
    out
}

/// The `path` values of `[include]` and `[includeIf "…"]` sections of a git
/// configuration file (a small reading of git's syntax: one `key = value`
/// a line, optional quotes; enough to find what an existing file names).
pub fn include_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_include = false;
    for line in text.lines() {
        let mut l = line.trim();
        if let Some(rest) = l.strip_prefix('[') {
            let Some(end) = rest.find(']') else { continue };
            let section = rest[..end].trim().to_ascii_lowercase();
            in_include = section == "include" || section.starts_with("includeif");
            l = rest[end + 1..].trim();
        }
        if !in_include || l.is_empty() || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        if !k.trim().eq_ignore_ascii_case("path") {
            continue;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(v);
        if !v.is_empty() {
            out.push(v.to_string());
        }
    }
    out
}

/// Record the indirection entries of `git_dirs` and the `.git` pointers.
pub fn snapshot(git_dirs: &[PathBuf], pointers: &[PathBuf], home: &Path) -> Snapshot {
    let mut s = Snapshot::new();
    for p in pointers
        .iter()
        .cloned()
        .chain(git_dirs.iter().flat_map(|g| entries(g, home)))
    {
        if let Some(entry) = fingerprint(&p) {
            let parent = p.parent().and_then(dir_identity);
            s.insert(p, Recorded { entry, parent });
        }
    }
    s
}

/// After the run, with no process of it left: search the writable trees
/// again and move aside every `.git` pointer and every indirection entry
/// that is not in `before` as it was (created, replaced or rewritten during
/// the run; also in repositories the run created), except what `leave`
/// keeps (an explicit `allowed_paths` entry). An entry that was a
/// read-only mount point (`bound`) in a directory still in its place cannot
/// have been changed by the run: someone outside changed it, and it stays
/// (listed in `changed_outside`). The entry is renamed
/// beside itself to `NAME.ku0-quarantine-N`, where git never looks, so
/// nothing is lost and the user can inspect it.
pub fn sweep(
    roots: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    bound: &dyn Fn(&Path) -> bool,
    home: &Path,
    before: &Snapshot,
) -> Sweep {
    // The same bounds as the search before the run.
    let found = find(roots, GIT_SCAN_LIMIT, GIT_SCAN_MAX_DEPTH);
    let mut out = Sweep {
        complete: found.complete,
        ..Sweep::default()
    };
    let judge = |p: &Path, out: &mut Sweep| -> bool {
        if leave(p) {
            return false;
        }
        match change(p, before, bound) {
            Change::None => false,
            Change::ByTheRun => {
                out.quarantined.push(quarantine(p, before));
                true
            }
            Change::Outside => {
                out.changed_outside.push(p.display().to_string());
                false
            }
        }
    };
    let mut kept = Vec::new();
    for p in &found.pointers {
        if !judge(p, &mut out) {
            kept.push(p.clone());
        }
    }
    for g in git_dirs(&found.dirs, &kept, writable) {
        for p in entries(&g, home) {
            if writable(&p) {
                judge(&p, &mut out);
            }
        }
    }
    out
}

/// What the sweep did.
#[derive(Debug, Default)]
pub struct Sweep {
    pub quarantined: Vec<Quarantined>,
    /// Entries changed outside the sandbox while the run lasted (they were
    /// read-only inside), left in place.
    pub changed_outside: Vec<String>,
    /// The search finished within its bounds.
    pub complete: bool,
}

fn dir_identity(p: &Path) -> Option<(u64, u64)> {
    let m = fs::symlink_metadata(p).ok()?;
    m.is_dir().then(|| (m.dev(), m.ino()))
}

/// What became of an entry during the run.
enum Change {
    None,
    /// Created, replaced or rewritten by the run.
    ByTheRun,
    /// Changed although it was a read-only mount point inside the sandbox
    /// in the same directory as before: someone outside changed it (the
    /// user's own `git config` while the command ran).
    Outside,
}

fn change(p: &Path, before: &Snapshot, bound: &dyn Fn(&Path) -> bool) -> Change {
    let Some(was) = before.get(p) else {
        return Change::ByTheRun;
    };
    if fingerprint(p) == Some(was.entry) {
        return Change::None;
    }
    // A read-only mount point cannot be written, removed or renamed over;
    // only moving its directory away and putting another in its place
    // would let the run put something else at this path.
    if bound(p) && was.parent.is_some() && p.parent().and_then(dir_identity) == was.parent {
        Change::Outside
    } else {
        Change::ByTheRun
    }
}

fn quarantine(p: &Path, before: &Snapshot) -> Quarantined {
    let why = if before.contains_key(p) {
        "changed during the run"
    } else {
        "created during the run"
    };
    let name = p
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut result = Err(std::io::Error::other("no free name"));
    for n in 1..1000 {
        let to = p.with_file_name(format!("{name}.ku0-quarantine-{n}"));
        if fs::symlink_metadata(&to).is_ok() {
            continue;
        }
        // Renamed within its own directory, never followed: the entry may
        // be a link.
        result = fs::rename(p, &to).map(|_| to);
        break;
    }
    match result {
        Ok(to) => Quarantined {
            path: p.display().to_string(),
            moved_to: Some(to.display().to_string()),
            why: why.into(),
        },
        Err(e) => Quarantined {
            path: p.display().to_string(),
            moved_to: None,
            why: format!("{why}; moving it aside failed: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_paths_are_read_from_include_sections_only() {
        let text = "[core]\n\tpath = no\n[include]\n\tpath = a.inc\n[includeIf \"gitdir:~/x/\"]\n  path = \"~/b.inc\"\n[user]\n  name = x\n[include] path = c.inc\n";
        assert_eq!(include_paths(text), vec!["a.inc", "~/b.inc", "c.inc"]);
    }

    #[test]
    fn the_sweep_moves_aside_what_the_run_created_or_changed() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        let home = ws.join("home");
        fs::create_dir_all(ws.join(".git/hooks")).unwrap();
        fs::create_dir_all(ws.join(".git/objects/info")).unwrap();
        fs::write(ws.join(".git/config"), "[include]\n path = ../inc.cfg\n").unwrap();
        fs::write(ws.join("inc.cfg"), "").unwrap();
        fs::create_dir_all(ws.join("lib")).unwrap();
        fs::write(ws.join("lib/.git"), "gitdir: ../.git/modules/lib\n").unwrap();
        fs::create_dir_all(ws.join(".git/modules/lib")).unwrap();
        fs::write(ws.join(".git/modules/lib/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let roots = vec![ws.clone()];
        let writable = |p: &Path| p.starts_with(&ws);
        let found = find(&roots, 1000, 8);
        let dirs = git_dirs(&found.dirs, &found.pointers, &writable);
        assert!(dirs.contains(&ws.join(".git/modules/lib")), "{dirs:?}");
        let before = snapshot(&dirs, &found.pointers, &home);
        assert!(before.contains_key(&ws.join("inc.cfg")), "{before:?}");
        // The run: a commondir, alternates, a rewritten include target, a
        // new nested repository, a .git link, a submodule hook; index and
        // HEAD changes.
        fs::write(ws.join(".git/commondir"), "/elsewhere").unwrap();
        fs::write(ws.join(".git/objects/info/alternates"), "/elsewhere").unwrap();
        fs::remove_file(ws.join("inc.cfg")).unwrap();
        fs::write(ws.join("inc.cfg"), "[core]\n").unwrap();
        fs::create_dir_all(ws.join("new/.git/hooks")).unwrap();
        fs::write(ws.join("new/.git/config"), "").unwrap();
        fs::create_dir_all(ws.join("linked")).unwrap();
        std::os::unix::fs::symlink("/elsewhere", ws.join("linked/.git")).unwrap();
        fs::create_dir_all(ws.join(".git/modules/lib/hooks")).unwrap();
        fs::write(ws.join(".git/HEAD"), "ref: refs/heads/other\n").unwrap();
        fs::write(ws.join(".git/index"), "").unwrap();
        let bound = |_: &Path| false;
        let sw = sweep(&roots, &writable, &|_| false, &bound, &home, &before);
        assert!(sw.complete);
        let q = sw.quarantined;
        let moved: BTreeSet<PathBuf> = q.iter().map(|x| PathBuf::from(&x.path)).collect();
        let want: BTreeSet<PathBuf> = [
            ".git/commondir",
            ".git/objects/info/alternates",
            "inc.cfg",
            "new/.git/hooks",
            "new/.git/config",
            "linked/.git",
            ".git/modules/lib/hooks",
        ]
        .iter()
        .map(|r| ws.join(r))
        .collect();
        assert_eq!(moved, want, "{q:?}");
        assert!(q.iter().all(|x| x.moved_to.is_some()));
        assert!(ws.join(".git/commondir.ku0-quarantine-1").is_file());
        assert!(!ws.join(".git/commondir").exists());
        // Data stays; a second sweep finds nothing new.
        assert!(ws.join(".git/index").is_file() && ws.join(".git/HEAD").is_file());
        assert!(ws.join("lib/.git").is_file());
        let sw = sweep(&roots, &writable, &|_| false, &bound, &home, &before);
        assert!(sw.quarantined.is_empty(), "{:?}", sw.quarantined);
        // A read-only mount point changed in place was changed outside:
        // it stays. Moved away with its directory, it counts as the run's.
        fs::write(ws.join(".git/config"), "[user]\n").unwrap();
        let cfg = ws.join(".git/config");
        let bound = |p: &Path| p == cfg;
        let sw = sweep(&roots, &writable, &|_| false, &bound, &home, &before);
        assert!(sw.quarantined.is_empty(), "{:?}", sw.quarantined);
        assert_eq!(sw.changed_outside, vec![cfg.display().to_string()]);
        assert!(cfg.is_file());
    }
}
