//! Turns a policy and the command line into concrete paths: which trees are
//! writable, which paths are hidden, which are pinned read-only. Only the
//! standard library is used here; the Linux code applies the plan.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use sandbox_core::guards::filesystem::{
    is_glob, FilesystemGuard, PROTECTED_CREDENTIALS, PROTECTED_STARTUP,
};
use sandbox_core::policy::{FilesystemMode, Policy};

use crate::git;

/// Upper bound on directory entries visited while looking for `.git`
/// entries, so that a huge tree cannot stall every command. A search that
/// reaches it is incomplete: the run is refused as degraded.
pub const GIT_SCAN_LIMIT: usize = 200_000;

/// How deep below each writable root the `.git` search goes (the root's
/// own entries are depth 1). Every directory is searched, dependency stores
/// included; this bound only stops a pathological tree, and reaching it
/// makes the search incomplete, like [`GIT_SCAN_LIMIT`].
pub const GIT_SCAN_MAX_DEPTH: usize = 128;

/// Upper bound on directory entries visited while looking for the matches
/// of glob entries in `blocked_paths`.
pub const GLOB_SCAN_LIMIT: usize = 200_000;

/// Most glob matches hidden (one mount each); beyond them the enforcement
/// is partial.
pub const GLOB_HIDE_LIMIT: usize = 1_000;

/// Most entries of a [`MountKind::Lock`] directory bound back as they
/// were (one mount each); the others stay read-only.
pub const LOCK_ENTRY_LIMIT: usize = 4096;

/// At most this many entries are searched below the hidden directories of
/// a run (all together) for symbolic links whose targets are hidden too;
/// beyond, the run is partial.
pub const HIDDEN_LINK_LIMIT: usize = 100_000;

/// Where the system keeps programs and libraries: what a link in a hidden
/// directory leads to there is not hidden (every program needs it).
pub const SYSTEM_PROGRAM_DIRS: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/nix/store",
];

/// At most this many entries of each home directory that is not writable
/// are searched for symbolic links into a writable tree (its top level and
/// two levels into its dot directories); beyond, the run is partial.
pub const HOME_LINK_LIMIT: usize = 50_000;

/// At most this many entries of each directory of the caller's `PATH`
/// outside the writable trees are searched for symbolic links into a
/// writable tree; beyond, the run is partial.
pub const PATH_LINK_LIMIT: usize = 50_000;

/// Host control sockets that would let a confined command ask a service
/// outside the sandbox to run something for it (D-Bus, systemd, container
/// engines, the per-user runtime directory with the session bus).
pub const HOST_CONTROL_PATHS: &[&str] = &[
    "/run/dbus",
    "/run/user",
    "/run/systemd/private",
    "/run/docker.sock",
    "/run/containerd",
    "/run/podman",
    "/run/snapd.socket",
    "/run/snapd-snap.socket",
];

/// What a mount operation does to one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MountKind {
    /// Bind the directory onto itself, writable: it becomes a mount point,
    /// which cannot be renamed or removed (keeps `.git` where it is).
    Pin,
    /// Bind onto itself read-only.
    ReadOnly,
    /// Bind onto itself writable again, below a read-only path (an
    /// `allowed_paths` entry inside a protected directory).
    Writable,
    /// No new name in this directory: bind it onto itself, bind each of
    /// its directories and regular files onto themselves as they are (they
    /// keep working, and as mount points cannot be renamed or removed),
    /// then make the directory's own mount read-only. Keeps a missing
    /// protected entry from being created, and a link on the way to one
    /// from being swapped. At most [`LOCK_ENTRY_LIMIT`] entries are bound;
    /// the others stay read-only.
    Lock,
    /// Cover a directory with an empty read-only directory nobody can open.
    HideDir,
    /// Cover a file (or socket) with an empty read-only file nobody can open.
    HideFile,
    /// Cover a file with a read-only copy the plan made of it
    /// ([`Plan::redacted`]): git configuration without its credentials.
    Redacted,
}

/// One mount operation of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountOp {
    pub path: PathBuf,
    pub kind: MountKind,
    /// The rule it comes from, for the report.
    pub why: String,
}

/// The resolved filesystem part of a run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The modes and ACLs of what the plan hides or protects in the
    /// writable trees and of the directories on the way to it, before the
    /// run.
    pub guarded: Vec<crate::perms::Guarded>,
    pub workspace: PathBuf,
    pub home: PathBuf,
    /// `home`, then the user's other homes (the caller's `$HOME`, the
    /// user database's), resolved: whose start-up files and global git
    /// configuration are protected.
    pub homes: Vec<PathBuf>,
    pub cwd: PathBuf,
    /// `permissive` mode: every path may be written except protected ones.
    pub write_everywhere: bool,
    /// Trees the command may write (canonical, existing).
    pub writable: Vec<PathBuf>,
    /// Device and inode of each of `writable`, and of `cwd`, taken with
    /// no link in any component: the mounts and `chdir` use exactly these
    /// files and directories, or the run fails (a parent swapped the path for a link
    /// between the plan and the mounts).
    pub writable_ids: Vec<(u64, u64)>,
    pub cwd_id: (u64, u64),
    /// Mount operations, parents before children.
    pub mounts: Vec<MountOp>,
    /// `.git` directories found in the writable trees.
    pub git_dirs: Vec<PathBuf>,
    /// Git dirs outside the writable trees that govern git run in them
    /// (enclosing repositories, linked worktrees' git dirs and common
    /// dirs): the sweep reads them too.
    pub git_outer_dirs: Vec<PathBuf>,
    /// `.git` files (pointers to a git dir) found in the writable trees.
    pub git_pointers: Vec<PathBuf>,
    /// Where the `.git` search ran; searched again after the run.
    pub git_scan_roots: Vec<PathBuf>,
    /// Git indirection entries before the run (src/git.rs).
    pub git_snapshot: git::Snapshot,
    /// The refs of every git dir known before the run (src/refs.rs): the
    /// report lists those the run changed.
    pub git_refs: std::collections::BTreeMap<PathBuf, crate::refs::Refs>,
    /// `allowed_paths` entries inside a `.git` directory: what they name
    /// the command may change, so the sweep leaves it.
    pub git_allowed: Vec<PathBuf>,
    /// What the mounts cannot cover; any entry makes the filesystem
    /// enforcement partial.
    pub gaps: Vec<String>,
    /// Informational notes for the report.
    pub notes: Vec<String>,
    /// `filesystem.allow_symlinks` is false: the command may create no
    /// symbolic link (`symlink`, `symlinkat` refused by seccomp).
    pub no_symlinks: bool,
    /// Directories the planning made (empty `hooks` directories, as `git
    /// init` makes them, to be bound read-only), parents first: removed
    /// again, when still empty, if the command never starts.
    pub made_dirs: Vec<PathBuf>,
    /// The content of each [`MountKind::Redacted`] mount, by path.
    pub redacted: Vec<(PathBuf, Vec<u8>)>,
}

/// Apply `.` and `..` lexically.
pub(crate) fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What an `lstat` of a path said, as far as the plan uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Lstat {
    /// A symbolic link.
    Link,
    /// Anything else: whether it is a regular file, its device and inode.
    Other { file: bool, id: (u64, u64) },
}

/// What the plan found of paths: canonical forms, and whether an entry is
/// a symbolic link (`None`: missing).
#[derive(Default)]
///
/// Keyed by the path's bytes: hashing a `Path` walks its components, which
/// cost more than the lookups saved. A path spelt two ways is two entries,
/// each found from its own spelling.
struct Found {
    canonical: std::collections::HashMap<std::ffi::OsString, Option<PathBuf>>,
    /// `lstat` of a path (`None`: missing).
    is_link: std::collections::HashMap<std::ffi::OsString, Option<Lstat>>,
    /// The text of each symbolic link read (`None`: not readable).
    link_text: std::collections::HashMap<std::ffi::OsString, Option<PathBuf>>,
    /// Git configuration files read (`None`: none there, or not a
    /// regular file): the plan reads the global ones once for the plan
    /// and once for each snapshot, a repository's in several passes.
    configs: std::collections::HashMap<PathBuf, Option<Vec<u8>>>,
    /// The global git configuration as read (src/git.rs): the plan reads
    /// it for itself and for each snapshot.
    global: Vec<git::RememberedGlobal>,
    /// The walk of [`walk_links_left`] to each directory walked through.
    walked: std::collections::HashMap<std::ffi::OsString, Option<Walk>>,
}

/// The global git configuration of `homes` as read earlier while this plan
/// is built ([`git::global_config`]).
pub(crate) fn remembered_global(homes: &[PathBuf]) -> Option<git::RememberedGlobal> {
    CANONICAL.with(|m| {
        m.borrow()
            .as_ref()
            .and_then(|m| m.global.iter().find(|g| g.homes == homes).cloned())
    })
}

/// Remember a read of the global git configuration, while a plan is built.
pub(crate) fn remember_global(read: git::RememberedGlobal) {
    CANONICAL.with(|m| {
        if let Some(m) = m.borrow_mut().as_mut() {
            m.global.retain(|g| g.homes != read.homes);
            m.global.push(read);
        }
    });
}

/// The configuration file `c` as read earlier while this plan is built:
/// `None` when it was not (or no plan is being built).
pub(crate) fn remembered_config(c: &Path) -> Option<Option<Vec<u8>>> {
    CANONICAL.with(|m| m.borrow().as_ref().and_then(|m| m.configs.get(c).cloned()))
}

/// Remember what configuration file `c` holds, while a plan is built.
pub(crate) fn remember_config(c: &Path, text: Option<&[u8]>) {
    CANONICAL.with(|m| {
        if let Some(m) = m.borrow_mut().as_mut() {
            m.configs.insert(c.to_path_buf(), text.map(<[u8]>::to_vec));
        }
    });
}

std::thread_local! {
    /// What was found while a plan is built ([`Remembered`]): the plan
    /// resolves a few dozen distinct paths, and their common prefixes (the
    /// home, the workspace, `.git`) hundreds of times.
    static CANONICAL: std::cell::RefCell<Option<Found>> = const { std::cell::RefCell::new(None) };
}

/// While alive, [`canonical`] remembers what it found. Only for the plan,
/// made before anything of the run exists: after the run the sweep renames
/// entries and must see every path as it is then.
pub(crate) struct Remembered;

impl Remembered {
    pub(crate) fn start() -> Remembered {
        CANONICAL.with(|c| *c.borrow_mut() = Some(Default::default()));
        Remembered
    }
}

impl Drop for Remembered {
    fn drop(&mut self) {
        // Left to the process's exit: freeing thousands of remembered
        // paths one by one took about 0.3 ms of every run.
        CANONICAL.with(|c| std::mem::forget(c.borrow_mut().take()));
    }
}

/// Forget what was found (the plan is about to change the tree: a
/// directory it makes).
pub(crate) fn forget_found() {
    CANONICAL.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            *m = Found::default();
        }
    });
}

/// `fs::canonicalize(p)`, the same result. While a plan is built
/// ([`Remembered`]) each prefix is resolved once: the parent's canonical
/// form, then one `lstat` of the name in it, and only a symbolic link is
/// resolved in full. (The C library's `realpath` reads every component of
/// the path with `readlink`, every time.)
fn canonical(p: &Path) -> Option<PathBuf> {
    let on = CANONICAL.with(|c| c.borrow().is_some());
    if !on {
        return fs::canonicalize(p).ok();
    }
    if let Some(hit) = CANONICAL.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|m| m.canonical.get(p.as_os_str()).cloned())
    }) {
        return hit;
    }
    let found = canonical_stepwise(p);
    CANONICAL.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            m.canonical.insert(p.as_os_str().to_owned(), found.clone());
        }
    });
    found
}

/// Whether `p` is a symbolic link (`lstat`); `None` when it is missing or
/// cannot be looked at. Remembered while a plan is built, like
/// [`canonical`].
pub(crate) fn is_link(p: &Path) -> Option<bool> {
    lstat_found(p).map(|l| l == Lstat::Link)
}

/// Whether `p` exists (`lstat`, no link followed); remembered while a plan
/// is built, like [`is_link`].
pub(crate) fn exists_nofollow(p: &Path) -> bool {
    lstat_found(p).is_some()
}

/// `lstat` of `p`, remembered while a plan is built ([`Remembered`]).
fn lstat_found(p: &Path) -> Option<Lstat> {
    use std::os::unix::fs::MetadataExt;
    let look = || {
        fs::symlink_metadata(p).ok().map(|m| {
            if m.file_type().is_symlink() {
                Lstat::Link
            } else {
                Lstat::Other {
                    file: m.is_file(),
                    id: (m.dev(), m.ino()),
                }
            }
        })
    };
    let on = CANONICAL.with(|c| c.borrow().is_some());
    if !on {
        return look();
    }
    if let Some(hit) = CANONICAL.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|m| m.is_link.get(p.as_os_str()).copied())
    }) {
        return hit;
    }
    let found = look();
    CANONICAL.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            m.is_link.insert(p.as_os_str().to_owned(), found);
        }
    });
    found
}

/// `fs::read_link(p)`, remembered while a plan is built, like [`is_link`]:
/// the links of the system's program directories (`/bin -> usr/bin`, the
/// alternatives) come back on the way of hundreds of entries.
fn read_link(p: &Path) -> Option<PathBuf> {
    let on = CANONICAL.with(|c| c.borrow().is_some());
    if !on {
        return fs::read_link(p).ok();
    }
    if let Some(hit) = CANONICAL.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|m| m.link_text.get(p.as_os_str()).cloned())
    }) {
        return hit;
    }
    let found = fs::read_link(p).ok();
    CANONICAL.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            m.link_text.insert(p.as_os_str().to_owned(), found.clone());
        }
    });
    found
}

/// Remember that `p` is a symbolic link, as a directory listing (its
/// `d_type`) said while the plan is built: the `lstat` would say the same.
fn found_link(p: &Path) {
    CANONICAL.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            m.is_link
                .insert(p.as_os_str().to_owned(), Some(Lstat::Link));
        }
    });
}

/// Device and inode of `p` with links followed (`stat`), taken from the
/// remembered `lstat` when `p` is no link (the same answer).
fn identity_of(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let on = CANONICAL.with(|c| c.borrow().is_some());
    if on {
        match lstat_found(p) {
            Some(Lstat::Other { id, .. }) => return Some(id),
            None => return None,
            Some(Lstat::Link) => {}
        }
    }
    fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

fn canonical_stepwise(p: &Path) -> Option<PathBuf> {
    let plain = p.is_absolute()
        && p.components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
    let (true, Some(parent), Some(name)) = (plain, p.parent(), p.file_name()) else {
        return fs::canonicalize(p).ok();
    };
    let here = canonical(parent)?.join(name);
    match is_link(&here) {
        Some(true) => fs::canonicalize(&here).ok(),
        Some(false) => Some(here),
        None => None,
    }
}

/// Resolve `path` physically on its longest existing prefix and append the
/// rest lexically (docs/policy.md, Filesystem 2).
pub fn resolve(path: &Path) -> PathBuf {
    let path = normalize_lexically(path);
    let mut existing = path.clone();
    let mut rest = Vec::new();
    loop {
        if let Some(c) = canonical(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return normalize_lexically(&out);
        }
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path,
        }
    }
}

/// The names of `path` to walk from `/` as the kernel does, `..` kept as a
/// name (it is taken after the link before it is followed), in reverse so
/// that `pop` gives the next one; a link's text is pushed the same way.
pub fn names_to_walk(path: &Path) -> Vec<std::ffi::OsString> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_os_string()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .rev()
        .collect()
}

/// Resolve `path` as the kernel does when a program opens it: component by
/// component, each link followed (`readlink`) before the next name, so that
/// `..` after a link leaves the directory the link leads to, not the one
/// that holds the link (`~/conf/../x` with `~/conf -> dotfiles/sub` is
/// `~/dotfiles/x`). From the first missing component on, the rest is
/// appended lexically, as [`resolve`] does. This is how paths git opens
/// (includes, programs, hooks directories) are taken; lexical `..` is for
/// the policy's own paths (docs/policy.md, Filesystem 2). More than 40
/// links (the kernel's limit, `ELOOP`) fall back to [`resolve`].
pub fn resolve_physical(path: &Path) -> PathBuf {
    if !path.is_absolute() {
        return resolve(path);
    }
    let mut todo = names_to_walk(path);
    let mut cur = PathBuf::from("/");
    let mut links = 0;
    while let Some(name) = todo.pop() {
        if name == ".." {
            cur.pop();
            continue;
        }
        let next = cur.join(&name);
        match is_link(&next) {
            Some(true) => {
                links += 1;
                let Some(text) = read_link(&next) else {
                    return resolve(path);
                };
                if links > 40 {
                    return resolve(path);
                }
                if text.is_absolute() {
                    cur = PathBuf::from("/");
                }
                todo.extend(names_to_walk(&text));
            }
            Some(false) => cur = next,
            None => {
                cur = next;
                while let Some(n) = todo.pop() {
                    if n == ".." {
                        cur.pop();
                    } else {
                        cur.push(n);
                    }
                }
                break;
            }
        }
    }
    resolve(&cur)
}

/// [`resolve`] for `base.join(rel)` when `base` is already resolved: the
/// components of `rel` are checked one `lstat` each, and only a symlink or
/// `..` among them needs the full resolution (one `readlink` per component
/// of the whole path). The result is the same.
pub fn resolve_below(base: &Path, rel: &Path) -> PathBuf {
    let plain = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain {
        return resolve(&base.join(rel));
    }
    let mut out = base.to_path_buf();
    let mut names = rel.components().filter_map(|c| match c {
        Component::Normal(n) => Some(n),
        _ => None,
    });
    while let Some(name) = names.next() {
        out.push(name);
        match is_link(&out) {
            Some(true) => return resolve(&base.join(rel)),
            Some(false) => {}
            // Missing: the rest is appended as written.
            None => {
                out.extend(names);
                return out;
            }
        }
    }
    out
}

/// Resolve `path` as the kernel does (as [`resolve_physical`]), one
/// component at a time, and say which symbolic links it follows, each by
/// where the link itself lies (its directory resolved, then its name).
/// Components after the first missing one are appended lexically and not
/// looked at. A path that does not resolve within 40 links counts as a
/// link at `path` itself.
pub fn walk_links(path: &Path) -> (PathBuf, Vec<PathBuf>) {
    let (out, links, _) = walk_links_left(path);
    (out, links)
}

/// [`walk_links`], and the directories a `..` on the way leaves (each as
/// resolved, before the `..`; a missing component that a `..` follows is
/// named too). `..` is applied to the directory really reached, so what it
/// leads to depends on what each of those is while the path is looked up:
/// one whose name can change (`rm -rf tools; ln -s lib/sub tools`) or be
/// made changes where the path leads.
pub(crate) fn walk_links_left(path: &Path) -> (PathBuf, Vec<PathBuf>, Vec<PathBuf>) {
    if !path.is_absolute() {
        return (resolve(path), Vec::new(), Vec::new());
    }
    // The walk to the directory holding the last name is the same for
    // every entry of that directory (hundreds in `/usr/bin`): taken from
    // what was remembered, then only the name is walked.
    let (from, todo) = match (path.components().next_back(), path.parent()) {
        (Some(Component::Normal(name)), Some(dir)) => match walked_to(dir) {
            Some(w) => (w, vec![name.to_os_string()]),
            None => (Walk::root(), names_to_walk(path)),
        },
        _ => (Walk::root(), names_to_walk(path)),
    };
    match walk_names(from, todo, path) {
        Walked::Reached(w) => (w.out, w.links, w.left),
        Walked::Ended(out, links, left) => (out, links, left),
    }
}

/// Where a walk of [`walk_links_left`] stands after some names: the
/// directory reached, the links followed, the directories a `..` left and
/// how many links it followed.
#[derive(Clone)]
struct Walk {
    out: PathBuf,
    links: Vec<PathBuf>,
    left: Vec<PathBuf>,
    hops: usize,
}

impl Walk {
    fn root() -> Walk {
        Walk {
            out: PathBuf::from("/"),
            links: Vec::new(),
            left: Vec::new(),
            hops: 0,
        }
    }
}

/// How a walk ended: every name walked, or the answer for the whole path
/// (a missing component, too many links).
enum Walked {
    Reached(Walk),
    Ended(PathBuf, Vec<PathBuf>, Vec<PathBuf>),
}

/// The walk of [`walk_links_left`] from `w` through the names `todo` (the
/// next name last), for the path `path`.
fn walk_names(mut w: Walk, mut todo: Vec<std::ffi::OsString>, path: &Path) -> Walked {
    while let Some(name) = todo.pop() {
        if name == ".." {
            if w.out.parent().is_some() {
                w.left.push(w.out.clone());
            }
            w.out.pop();
            continue;
        }
        let next = w.out.join(&name);
        match is_link(&next) {
            Some(true) => {
                w.hops += 1;
                let target = read_link(&next);
                w.links.push(next.clone());
                let Some(target) = target.filter(|_| w.hops <= 40) else {
                    w.links.push(path.to_path_buf());
                    return Walked::Ended(resolve(path), w.links, w.left);
                };
                if target.is_absolute() {
                    w.out = PathBuf::from("/");
                }
                todo.extend(names_to_walk(&target));
            }
            Some(false) => w.out = next,
            None => {
                // Not there now, but it can be made: a `..` after it leaves
                // whatever it will be.
                w.out.push(name);
                while let Some(n) = todo.pop() {
                    if n == ".." {
                        if w.out.parent().is_some() {
                            w.left.push(w.out.clone());
                        }
                        w.out.pop();
                    } else {
                        w.out.push(n);
                    }
                }
                return Walked::Ended(w.out, w.links, w.left);
            }
        }
    }
    Walked::Reached(w)
}

/// The walk of [`walk_links_left`] to the directory `dir`, remembered
/// while a plan is built (`None`: no plan is, or the walk ended early, at
/// a missing component or too many links, and the whole path is walked
/// instead).
fn walked_to(dir: &Path) -> Option<Walk> {
    let on = CANONICAL.with(|c| c.borrow().is_some());
    if !on {
        return None;
    }
    if let Some(hit) = CANONICAL.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|m| m.walked.get(dir.as_os_str()).cloned())
    }) {
        return hit;
    }
    let (from, todo) = match (dir.components().next_back(), dir.parent()) {
        (Some(Component::Normal(name)), Some(up)) => (walked_to(up)?, vec![name.to_os_string()]),
        _ => (Walk::root(), names_to_walk(dir)),
    };
    let found = match walk_names(from, todo, dir) {
        Walked::Reached(w) => Some(w),
        Walked::Ended(..) => None,
    };
    CANONICAL.with(|c| {
        if let Some(m) = c.borrow_mut().as_mut() {
            m.walked.insert(dir.as_os_str().to_owned(), found.clone());
        }
    });
    found
}

/// Where a protected home entry stands: its real path when it exists
/// (links followed), and the directories in which no name may appear or
/// change for it to stay as it is: the deepest existing directory on its
/// way when it is missing, and the directory holding each symbolic link on
/// its way (a link cannot be bound, its directory can). `listing` is the
/// home directory's dot entries (name, is a link), read once.
fn protected_place(
    home: &Path,
    name: &str,
    listing: Option<&std::collections::BTreeMap<std::ffi::OsString, bool>>,
) -> (Option<PathBuf>, Vec<PathBuf>) {
    let mut locks = Vec::new();
    let mut cur = home.to_path_buf();
    for (k, part) in Path::new(name).components().enumerate() {
        let next = cur.join(part);
        let link = match (k, listing) {
            (0, Some(l)) => l.get(part.as_os_str()).copied(),
            _ => is_link(&next),
        };
        match link {
            None => {
                locks.push(cur);
                return (None, locks);
            }
            Some(true) => {
                locks.push(cur);
                let (real, through, left) = walk_links_left(&home.join(name));
                // Links on the way to the target lie in directories of
                // their own; the command may not swap them either, nor a
                // directory a `..` in a link's text leaves (see [`way_of`]).
                locks.extend(
                    through
                        .iter()
                        .filter_map(|l| l.parent().map(Path::to_path_buf)),
                );
                locks.extend(
                    left.iter()
                        .filter_map(|l| l.parent())
                        .filter(|p| exists_nofollow(p))
                        .map(Path::to_path_buf),
                );
                if exists_nofollow(&real) {
                    return (Some(real), locks);
                }
                let mut d = real.parent();
                while let Some(p) = d {
                    if exists_nofollow(p) {
                        locks.push(p.to_path_buf());
                        break;
                    }
                    d = p.parent();
                }
                locks.sort();
                locks.dedup();
                return (None, locks);
            }
            Some(false) => cur = next,
        }
    }
    (Some(cur), locks)
}

/// Where a path that a tool of the user reads outside the sandbox leads
/// (a home link, a link in a hidden directory), and what keeps it leading
/// there: its real path (links followed as the kernel does), whether that
/// exists, and the directories in which no name may appear or change for
/// it to stay as it is: the directory holding each symbolic link on its
/// way (a link cannot be bound, its directory can) and, when the target is
/// missing, the deepest existing directory on its way (where the command
/// could make it).
///
/// `..` is taken as the kernel takes it, against the directory reached so
/// far: `WS/tools/../bin` is `WS/bin` only while `tools` is a directory of
/// `WS` (the command could make it a link to `lib/sub`, and the user's
/// shell would search `WS/lib/bin`). So the directory holding each
/// directory a `..` leaves (or a missing one it follows, which the command
/// could make) is among those directories too.
pub(crate) fn way_of(path: &Path) -> (PathBuf, bool, Vec<PathBuf>) {
    way_of_held(path, &|_| false)
}

/// [`way_of`], where the directories `held` says cannot be replaced for the
/// run anyway (mount points: hidden directories, the writable roots) need
/// no lock when a `..` leaves them.
pub(crate) fn way_of_held(
    path: &Path,
    held: &dyn Fn(&Path) -> bool,
) -> (PathBuf, bool, Vec<PathBuf>) {
    let (real, through, left) = walk_links_left(path);
    let mut dirs: Vec<PathBuf> = through
        .iter()
        .filter_map(|l| l.parent().map(Path::to_path_buf))
        .collect();
    // A missing directory cannot be locked; the first existing one on the
    // way is, and nothing below it can be made.
    dirs.extend(
        left.iter()
            .filter(|l| !held(l))
            .filter_map(|l| l.parent())
            .filter(|p| exists_nofollow(p))
            .map(Path::to_path_buf),
    );
    let exists = exists_nofollow(&real);
    if !exists {
        let mut d = real.parent();
        while let Some(p) = d {
            if exists_nofollow(p) {
                dirs.push(p.to_path_buf());
                break;
            }
            d = p.parent();
        }
    }
    dirs.sort();
    dirs.dedup();
    (real, exists, dirs)
}

/// The writable trees as the host names them, for judging what lies in
/// one by identity rather than by path: the same directory can be mounted
/// at a second path (a bind of the workspace, or of a directory inside it,
/// elsewhere), through which a link reaches it.
#[derive(Debug, Default)]
pub(crate) struct Trees {
    /// Each tree with its device and inode.
    ids: Vec<(PathBuf, (u64, u64))>,
    /// Mount points that show a directory inside a tree (`/alt` a bind of
    /// `/ws/sub`), each with that directory's name in the tree.
    aliases: Vec<(PathBuf, PathBuf)>,
    /// The device and inode of each directory looked at while the plan is
    /// made (links followed), each looked at once: the same ancestors (`/`,
    /// the home) come back for every path judged.
    seen: std::cell::RefCell<std::collections::HashMap<PathBuf, Option<(u64, u64)>>>,
}

impl Trees {
    /// Whether the directory `p` is a tree or shows a directory in one.
    fn is_root(&self, p: &Path) -> bool {
        self.aliases.iter().any(|(a, _)| a == p)
            || self
                .identity(p)
                .is_some_and(|i| self.ids.iter().any(|(_, id)| *id == i))
    }

    /// Device and inode of `p` (links followed), remembered while the plan is made.
    fn identity(&self, p: &Path) -> Option<(u64, u64)> {
        if let Some(i) = self.seen.borrow().get(p) {
            return *i;
        }
        let i = identity_of(p);
        self.seen.borrow_mut().insert(p.to_path_buf(), i);
        i
    }
}

/// [`Trees`] of `writable`, the second mounts read from `mountinfo` (the
/// host's `/proc/self/mountinfo`; none where it cannot be read).
pub(crate) fn tree_ids(writable: &[PathBuf]) -> Trees {
    use std::os::unix::fs::MetadataExt;
    let ids: Vec<(PathBuf, (u64, u64))> = writable
        .iter()
        .filter_map(|w| {
            fs::metadata(w)
                .ok()
                .map(|m| (w.clone(), (m.dev(), m.ino())))
        })
        .collect();
    let table = fs::read("/proc/self/mountinfo").unwrap_or_default();
    let aliases = mount_aliases(&table, writable);
    Trees {
        ids,
        aliases,
        ..Trees::default()
    }
}

/// A field of `mountinfo`, its octal escapes (`\040`) undone.
fn mountinfo_path(field: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\' && i + 3 < field.len() {
            let oct = &field[i + 1..i + 4];
            if oct.iter().all(|c| (b'0'..=b'7').contains(c)) {
                let v = u16::from(oct[0] - b'0') * 64 + u16::from(oct[1] - b'0') * 8;
                out.push((v + u16::from(oct[2] - b'0')) as u8);
                i += 4;
                continue;
            }
        }
        out.push(field[i]);
        i += 1;
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

/// The mount points in the mount table `table` (`mountinfo` text) that
/// show a directory inside one of the trees `writable` under another path:
/// for each tree, the mount it lies on (the last one at the longest mount
/// point above it) gives its device and its path inside that file system;
/// every other mount of the same device whose root lies at or below that
/// path shows the tree's directory of the same name.
pub(crate) fn mount_aliases(table: &[u8], writable: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    // (device, root in the file system, mount point)
    let mounts: Vec<(&[u8], PathBuf, PathBuf)> = table
        .split(|b| *b == b'\n')
        .filter_map(|line| {
            let mut f = line.split(|b| *b == b' ');
            let (_, _, dev, root, point) = (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
            Some((dev, mountinfo_path(root), mountinfo_path(point)))
        })
        .collect();
    let mut out = Vec::new();
    for w in writable {
        // The last of the deepest: the mount on top at that point.
        let Some((dev, root, point)) = mounts
            .iter()
            .filter(|(_, _, pt)| w.starts_with(pt))
            .max_by_key(|(_, _, pt)| pt.components().count())
        else {
            continue;
        };
        let Ok(rest) = w.strip_prefix(point) else {
            continue;
        };
        let in_fs = root.join(rest);
        for (d, r, pt) in &mounts {
            if d != dev || under(pt, w) {
                continue;
            }
            if let Ok(below) = r.strip_prefix(&in_fs) {
                let name = if below.as_os_str().is_empty() {
                    w.clone()
                } else {
                    w.join(below)
                };
                if *pt != name {
                    out.push((pt.clone(), name));
                }
            }
        }
    }
    out
}

/// `p` (resolved; a missing tail is kept as written) named through the
/// writable tree it lies in when it is reached by another path: below a
/// mount point that shows a directory of the tree ([`Trees`]), or below a
/// directory that is the tree by device and inode. `/alt/bashrc` with
/// `/alt` a second mount of the workspace `/ws` is `/ws/bashrc`, which is
/// where the command writes it and where it must be bound read-only; `p`
/// itself when it lies in no tree.
pub(crate) fn through_tree(trees: &Trees, p: &Path) -> PathBuf {
    let ids = &trees.ids;
    if ids.is_empty() || ids.iter().any(|(w, _)| under(p, w)) {
        return p.to_path_buf();
    }
    // The deepest mount point above `p` that shows a tree's directory.
    if let Some((a, name)) = trees
        .aliases
        .iter()
        .filter(|(a, _)| under(p, a))
        .max_by_key(|(a, _)| a.components().count())
    {
        if let Ok(rest) = p.strip_prefix(a) {
            return if rest.as_os_str().is_empty() {
                name.clone()
            } else {
                name.join(rest)
            };
        }
    }
    let mut a = Some(p);
    while let Some(dir) = a {
        if let Some(i) = trees.identity(dir) {
            if let Some((w, _)) = ids.iter().find(|(_, id)| *id == i) {
                if let Ok(rest) = p.strip_prefix(dir) {
                    return if rest.as_os_str().is_empty() {
                        w.clone()
                    } else {
                        w.join(rest)
                    };
                }
            }
        }
        a = dir.parent();
    }
    p.to_path_buf()
}

/// The gap a protected home entry `name` (shown as `shown`) makes when
/// it is a start-up file (shell, session, pager or editor start-up: what
/// runs code) whose real path `real` lies in one of the writable trees
/// `writable` while its home does not (`home_writable` false): the file
/// is kept read-only, but what it loads from that tree (a file it
/// sources) can be changed and run by the user's next shell. The git
/// configuration is not such a file: what it includes or names is read
/// and judged (src/git.rs).
pub fn startup_gap(
    shown: &str,
    real: &Path,
    writable: &[PathBuf],
    home_writable: bool,
    name: &str,
) -> Option<String> {
    if home_writable
        || matches!(name, ".gitconfig" | ".config/git")
        || !PROTECTED_STARTUP.contains(&name)
    {
        return None;
    }
    let tree = writable.iter().find(|w| under(real, w))?;
    Some(format!(
        "{shown} leads to {}, in the writable tree {}: it is kept read-only, but what it loads from that tree (a file it sources, a script it runs) can be changed by the command and run by the user's next shell or session; use a workspace that is not the tree the start-up files point into (a separate clone), or accept with --allow-degraded",
        real.display(),
        tree.display()
    ))
}

/// Expand `~` and make a policy entry absolute (relative entries resolve
/// against the workspace), then resolve it physically. `workspace` and
/// `home` are already resolved.
pub fn resolve_entry(entry: &str, workspace: &Path, home: &Path) -> PathBuf {
    if entry == "~" {
        home.to_path_buf()
    } else if let Some(rest) = entry.strip_prefix("~/") {
        resolve_below(home, Path::new(rest))
    } else if Path::new(entry).is_absolute() {
        resolve(Path::new(entry))
    } else {
        resolve_below(workspace, Path::new(entry))
    }
}

/// A policy entry as an absolute path, `~` expanded, nothing resolved.
fn lexical_entry(entry: &str, workspace: &Path, home: &Path) -> PathBuf {
    if entry == "~" {
        home.to_path_buf()
    } else if let Some(rest) = entry.strip_prefix("~/") {
        home.join(rest)
    } else {
        workspace.join(entry)
    }
}

fn under(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
}

/// Inputs of [`Plan::build`] besides the policy.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    pub policy: &'a Policy,
    pub workspace: &'a Path,
    pub home: &'a Path,
    /// Other home directories of the user the run can name (the caller's
    /// `$HOME`, the user database's home): the credential stores below
    /// them are hidden too, since `home` may be a scratch directory.
    pub other_homes: &'a [PathBuf],
    pub cwd: Option<&'a Path>,
    /// `SSH_AUTH_SOCK` of the caller, hidden like the host control sockets.
    pub ssh_auth_sock: Option<&'a Path>,
    /// `XDG_CONFIG_HOME` of the caller: the credential stores of
    /// `~/.config` are hidden below it too.
    pub xdg_config_home: Option<&'a Path>,
    /// Credential stores the caller's environment moves elsewhere
    /// ([`credential_stores_of_environment`]), each with its variable.
    pub credential_env: &'a [(String, PathBuf)],
    /// The absolute entries of the caller's `PATH`
    /// ([`crate::env::search_path_entries`]).
    pub path_entries: &'a [PathBuf],
    /// The caller's `PATH` has a relative entry (`.`, an empty one).
    pub path_relative: bool,
}

/// Variables that move a credential store of `PROTECTED_CREDENTIALS` away
/// from the home, with what each names: the store itself, a directory
/// holding it (the store's file name inside), or a `:`-separated list.
/// From the tools' manuals: the AWS CLI and SDKs, `kubectl`, GnuPG, `pass`,
/// Docker and the containers tools (podman, buildah, skopeo), libpq,
/// MySQL, `gh`, `glab`, `hub`, the Google Cloud CLI and client libraries,
/// the Azure CLI and SDKs, rclone, boto, s3cmd, curl and other `.netrc`
/// readers, Vault, Terraform. Any other variable whose name says it is
/// about a secret is judged by [`secret_paths_of_environment`].
const CREDENTIAL_VARIABLES: &[(&str, StoreIn)] = &[
    ("AWS_SHARED_CREDENTIALS_FILE", StoreIn::Itself),
    ("AWS_CONFIG_FILE", StoreIn::Itself),
    ("KUBECONFIG", StoreIn::List),
    ("GNUPGHOME", StoreIn::Itself),
    ("PASSWORD_STORE_DIR", StoreIn::Itself),
    ("DOCKER_CONFIG", StoreIn::Inside("config.json")),
    ("REGISTRY_AUTH_FILE", StoreIn::Itself),
    ("PGPASSFILE", StoreIn::Itself),
    ("MYSQL_TEST_LOGIN_FILE", StoreIn::Itself),
    ("GH_CONFIG_DIR", StoreIn::Itself),
    ("CLOUDSDK_CONFIG", StoreIn::Itself),
    ("AZURE_CONFIG_DIR", StoreIn::Itself),
    ("RCLONE_CONFIG", StoreIn::Itself),
    ("BOTO_CONFIG", StoreIn::Itself),
    ("NETRC", StoreIn::Itself),
    ("VAULT_CONFIG_PATH", StoreIn::Itself),
    // `~/.aws`: the web identity token the SDKs exchange for credentials.
    ("AWS_WEB_IDENTITY_TOKEN_FILE", StoreIn::Itself),
    // `~/.config/gcloud`: application default credentials (usually a
    // service account's key) and the CLI's credential overrides.
    ("GOOGLE_APPLICATION_CREDENTIALS", StoreIn::Itself),
    ("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", StoreIn::Itself),
    ("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", StoreIn::Itself),
    // `~/.azure`: a service principal's certificate, a federated token.
    ("AZURE_CLIENT_CERTIFICATE_PATH", StoreIn::Itself),
    ("AZURE_FEDERATED_TOKEN_FILE", StoreIn::Itself),
    // `~/.s3cfg`, `~/.config/glab-cli`, `~/.config/hub`.
    ("S3CMD_CONFIG", StoreIn::Itself),
    ("GLAB_CONFIG_DIR", StoreIn::Itself),
    ("HUB_CONFIG", StoreIn::Itself),
    // `~/.terraform.d/credentials.tfrc.json`: the CLI configuration's
    // `credentials` blocks (`TERRAFORM_CONFIG` is its older name).
    ("TF_CLI_CONFIG_FILE", StoreIn::Itself),
    ("TERRAFORM_CONFIG", StoreIn::Itself),
    // `~/.boto`: boto reads every file of the list.
    ("BOTO_PATH", StoreIn::List),
    // `~/.docker`: the client's TLS key and certificates.
    ("DOCKER_CERT_PATH", StoreIn::Itself),
    // Histories moved by the shell's, Python's and the clients' own
    // variables (bash, zsh; Python 3.13; Node's REPL; psql, mysql,
    // redis-cli, sqlite3; IPython's profile directory).
    ("HISTFILE", StoreIn::Itself),
    ("PYTHON_HISTORY", StoreIn::Itself),
    ("NODE_REPL_HISTORY", StoreIn::Itself),
    ("PSQL_HISTORY", StoreIn::Itself),
    ("MYSQL_HISTFILE", StoreIn::Itself),
    ("REDISCLI_HISTFILE", StoreIn::Itself),
    ("SQLITE_HISTORY", StoreIn::Itself),
    (
        "IPYTHONDIR",
        StoreIn::Inside("profile_default/history.sqlite"),
    ),
    // Coding agents' own logins (`~/.codex/auth.json`,
    // `~/.claude/.credentials.json`) where their home variable moves them.
    ("CODEX_HOME", StoreIn::Inside("auth.json")),
    ("CLAUDE_CONFIG_DIR", StoreIn::Inside(".credentials.json")),
    // The XDG base directories move every store below `~/.local/share`,
    // `~/.local/state` and `~/.cache` (fish's history, the keyrings,
    // atuin, neovim's shada, the Hugging Face token). `XDG_CONFIG_HOME`
    // is carried on its own ([`PlanInput::xdg_config_home`]).
    ("XDG_DATA_HOME", StoreIn::Below(".local/share/")),
    ("XDG_STATE_HOME", StoreIn::Below(".local/state/")),
    ("XDG_CACHE_HOME", StoreIn::Below(".cache/")),
];

/// Variables the helper judges on their own, left out of
/// [`secret_paths_of_environment`]: `SSH_AUTH_SOCK` is hidden with the
/// host control sockets.
const SECRET_PATH_EXCEPT: &[&str] = &["SSH_AUTH_SOCK"];

/// Where in what a [`CREDENTIAL_VARIABLES`] entry names its store is.
#[derive(Debug, Clone, Copy)]
enum StoreIn {
    Itself,
    Inside(&'static str),
    List,
    /// A base directory standing for this prefix of the home: every store
    /// of [`PROTECTED_CREDENTIALS`] below the prefix, below the value.
    Below(&'static str),
}

/// The credential stores the environment `get` moves away from the home
/// (`KUBECONFIG=/srv/kube/config`, `GNUPGHOME=/keys/gnupg`), each with its
/// variable: tools read those instead of the ones below the home, so they
/// are hidden like them. Relative values name nothing the run can know
/// and are left out.
pub fn credential_stores_of_environment(
    get: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for (var, how) in CREDENTIAL_VARIABLES {
        let Some(value) = get(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let paths: Vec<PathBuf> = match how {
            StoreIn::Itself => vec![PathBuf::from(value)],
            StoreIn::Inside(name) => vec![PathBuf::from(value).join(name)],
            StoreIn::List => std::env::split_paths(&value).collect(),
            StoreIn::Below(prefix) => PROTECTED_CREDENTIALS
                .iter()
                .filter_map(|name| name.strip_prefix(prefix))
                .map(|rest| PathBuf::from(&value).join(rest))
                .collect(),
        };
        out.extend(
            paths
                .into_iter()
                .filter(|p| p.is_absolute())
                .map(|p| (var.to_string(), p)),
        );
    }
    out
}

/// The paths named by the variables `vars` (the caller's environment)
/// whose name says they are about a secret ([`crate::env::names_a_secret`]:
/// `SOPS_AGE_KEY_FILE=/keys/age.txt`, `XAUTHORITY`, a tool's
/// `..._TOKEN_FILE`), each with its variable: every absolute entry of the
/// value read as a `:`-separated list, that exists. The scrub keeps such a
/// variable from the command; what it names is hidden like the stores of
/// [`CREDENTIAL_VARIABLES`] (which, and `SSH_AUTH_SOCK`, are left to their
/// own rules). Left out: what is not a file, a directory or a socket (a
/// terminal, `GPG_TTY`), and what every account of the host can read, owned
/// by root (a trust bundle, `SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt`;
/// a program, `SSH_ASKPASS=/usr/bin/ssh-askpass`): no secret of the user.
pub fn secret_paths_of_environment<I>(vars: I) -> Vec<(String, PathBuf)>
where
    I: IntoIterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
{
    let mut out = Vec::new();
    for (name, value) in vars {
        let Some(name) = name.to_str() else {
            continue;
        };
        if !crate::env::names_a_secret(name)
            || SECRET_PATH_EXCEPT.contains(&name)
            || CREDENTIAL_VARIABLES.iter().any(|(v, _)| *v == name)
        {
            continue;
        }
        for p in std::env::split_paths(&value) {
            if !p.is_absolute() || out.iter().any(|(_, q)| *q == p) {
                continue;
            }
            let Ok(m) = fs::metadata(&p) else {
                continue;
            };
            use std::os::unix::fs::FileTypeExt;
            let t = m.file_type();
            if !(t.is_file() || t.is_dir() || t.is_socket()) || public_system_file(&p) {
                continue;
            }
            out.push((name.to_string(), p));
        }
    }
    out
}

/// Whether `p` is root's and every account of the host can read it: the
/// file (a directory: read and search), and every directory on the way
/// to it searchable by all.
pub(crate) fn public_system_file(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(real) = fs::canonicalize(p) else {
        return false;
    };
    let Ok(m) = fs::metadata(&real) else {
        return false;
    };
    let need = if m.is_dir() { 0o005 } else { 0o004 };
    if m.uid() != 0 || m.mode() & need != need {
        return false;
    }
    real.ancestors()
        .skip(1)
        .all(|a| fs::metadata(a).is_ok_and(|m| m.mode() & 0o001 != 0))
}

/// The XDG base directories of the environment `get` other than
/// `XDG_CONFIG_HOME` (which [`PlanInput`] carries) from which the user's
/// tools load code: `XDG_DATA_HOME`, and each entry of `XDG_CONFIG_DIRS`
/// and `XDG_DATA_DIRS`, each with its variable. Relative entries are
/// ignored, as the XDG Base Directory Specification says.
pub fn xdg_bases_of_environment(
    get: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Vec<(&'static str, PathBuf)> {
    let mut out = Vec::new();
    for (var, list) in [
        ("XDG_DATA_HOME", false),
        ("XDG_CONFIG_DIRS", true),
        ("XDG_DATA_DIRS", true),
    ] {
        let Some(value) = get(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let shown = match var {
            "XDG_DATA_HOME" => "$XDG_DATA_HOME",
            "XDG_CONFIG_DIRS" => "$XDG_CONFIG_DIRS",
            _ => "$XDG_DATA_DIRS",
        };
        let paths: Vec<PathBuf> = if list {
            std::env::split_paths(&value).collect()
        } else {
            vec![PathBuf::from(value)]
        };
        out.extend(
            paths
                .into_iter()
                .filter(|p| p.is_absolute())
                .map(|p| (shown, p)),
        );
    }
    out
}

/// Why `end` (a real path; `exists`: whether something is there) is
/// read-only during the run by one of `mounts` inside the writable trees
/// (`writable`): below a read-only, hidden or redacted mount and not below
/// a deeper writable one, or a new name directly in a locked directory.
/// `None`: the run could change it. What lies outside the writable trees
/// is judged by whether the caller can change it ([`crate::git`]).
pub fn locked_why(
    mounts: &[MountOp],
    writable: &dyn Fn(&Path) -> bool,
    end: &Path,
    exists: bool,
) -> Option<String> {
    let deepest = mounts
        .iter()
        .filter(|m| m.kind != MountKind::Lock && end.starts_with(&m.path))
        .max_by_key(|m| m.path.as_os_str().len());
    if let Some(m) = deepest {
        if matches!(
            m.kind,
            MountKind::ReadOnly | MountKind::HideDir | MountKind::HideFile | MountKind::Redacted
        ) && writable(&m.path)
        {
            return Some(format!("{}: {}", m.path.display(), m.why));
        }
    }
    if exists {
        return None;
    }
    mounts
        .iter()
        .find(|m| {
            m.kind == MountKind::Lock && end.parent() == Some(m.path.as_path()) && writable(&m.path)
        })
        .map(|m| format!("{}: {}", m.path.display(), m.why))
}

impl Plan {
    /// Resolve the policy's paths, scan the writable trees for `.git`
    /// directories (creating a missing `hooks` directory so that it can be
    /// pinned read-only) and order the mount operations.
    pub fn build(input: &PlanInput<'_>) -> io::Result<Plan> {
        let _remembered = Remembered::start();
        let workspace = fs::canonicalize(input.workspace).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("workspace {}: {e}", input.workspace.display()),
            )
        })?;
        if !workspace.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("workspace {} is not a directory", workspace.display()),
            ));
        }
        let home = resolve(input.home);
        let cwd = match input.cwd {
            Some(c) => fs::canonicalize(workspace.join(c))
                .map_err(|e| io::Error::new(e.kind(), format!("cwd {}: {e}", c.display())))?,
            None => workspace.clone(),
        };
        let fsp = &input.policy.filesystem;
        let mut gaps = Vec::new();
        let mut made_dirs: Vec<PathBuf> = Vec::new();
        let mut notes = Vec::new();

        let write_everywhere = fsp.mode == FilesystemMode::Permissive;
        // Every entry as resolved, existing or not: an entry naming a
        // missing protected home entry exactly lets the command create it.
        let mut named: Vec<PathBuf> = Vec::new();
        let mut candidates = Vec::new();
        for (i, entry) in fsp.allowed_paths.iter().enumerate() {
            if is_glob(entry) {
                notes.push(format!(
                    "filesystem.allowed_paths[{i}] {entry:?} is a glob; commands get no write access from it"
                ));
                continue;
            }
            let p = resolve_entry(entry, &workspace, &home);
            named.push(p.clone());
            if p.exists() {
                // The policy's own paths take `..` lexically
                // (docs/policy.md, Filesystem 2).
                let lexical = normalize_lexically(&lexical_entry(entry, &workspace, &home));
                candidates.push((i, p, walk_links(&lexical).1));
            } else {
                notes.push(format!(
                    "filesystem.allowed_paths[{i}] {} does not exist; nothing to grant",
                    p.display()
                ));
            }
        }
        // An entry reached through a symbolic link that lies in a tree the
        // command may write is not granted: an earlier run could have put
        // the link there (`rm -rf build; ln -s /elsewhere build`) to be
        // given the place it points to. Judged against every tree any
        // entry would grant, so an entry that is dropped still counts.
        let mut trees: Vec<&Path> = candidates.iter().map(|(_, p, _)| p.as_path()).collect();
        if fsp.mode == FilesystemMode::Workspace {
            trees.push(&workspace);
        }
        let mut allowed = Vec::new();
        for (i, p, links) in &candidates {
            let planted = links
                .iter()
                .find(|l| write_everywhere || trees.iter().any(|t| under(l, t)));
            match planted {
                Some(link) => notes.push(format!(
                    "filesystem.allowed_paths[{i}] {} is reached through the symbolic link {}, which lies in a writable tree (a command could have made it): not granted; name the place it leads to instead",
                    p.display(),
                    link.display()
                )),
                None => allowed.push(p.clone()),
            }
        }

        let mut writable: Vec<PathBuf> = Vec::new();
        if fsp.mode == FilesystemMode::Workspace {
            writable.push(workspace.clone());
        }
        writable.extend(allowed.iter().cloned());
        writable.sort();
        writable.dedup();
        let is_writable = |p: &Path| write_everywhere || writable.iter().any(|w| under(p, w));
        // The writable trees by identity (see [`through_tree`]).
        let ids = if write_everywhere {
            Trees::default()
        } else {
            tree_ids(&writable)
        };

        // A file of the writable trees that is also a name outside them
        // (a hard link: a local `git clone`, uv, pnpm, conda make them)
        // would let the command change that name: each gets its own copy
        // first, before the searches and snapshots below look at the trees
        // (see [`crate::shared`]).
        // Not the protected home entries and blocked files themselves:
        // their second name is the user's own doing (`ln
        // ~/dotfiles/gitconfig ~/.gitconfig`), kept, and a gap below.
        let copied = if write_everywhere {
            std::collections::HashSet::new()
        } else {
            let mut named: Vec<PathBuf> = Vec::new();
            for h in
                std::iter::once(input.home).chain(input.other_homes.iter().map(|h| h.as_path()))
            {
                for name in PROTECTED_STARTUP.iter().chain(PROTECTED_CREDENTIALS) {
                    named.push(h.join(name));
                }
            }
            for entry in fsp.blocked_paths.iter().filter(|e| !is_glob(e)) {
                named.push(resolve_entry(entry, &workspace, &home));
            }
            let keep = named
                .iter()
                .filter_map(|p| match lstat_found(p) {
                    Some(Lstat::Other { file: true, id }) => Some(id),
                    _ => None,
                })
                .collect();
            let copied = crate::shared::make_private(&writable, &keep, &mut gaps, &mut notes);
            // A copy is a new inode under the same name: what was found of
            // paths before no longer holds for it.
            if !copied.is_empty() {
                forget_found();
            }
            copied
        };

        let mut mounts: Vec<MountOp> = Vec::new();

        // Blocked paths: hidden wherever they are.
        let mut hidden: Vec<PathBuf> = Vec::new();
        let mut redacted: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut has_globs = false;
        for (i, entry) in fsp.blocked_paths.iter().enumerate() {
            if is_glob(entry) {
                has_globs = true;
                continue;
            }
            let p = resolve_entry(entry, &workspace, &home);
            if let Some(kind) = hide_kind(&p) {
                hidden.push(p.clone());
                mounts.push(MountOp {
                    path: p,
                    kind,
                    why: format!("filesystem.blocked_paths[{i}]: {entry}"),
                });
            }
        }
        // The credential stores the filesystem guard refuses every
        // operation on, whatever the policy says: hidden like blocked
        // paths, so that what a check refuses a command cannot read either.
        // As in the guard, an allowed_paths entry naming the store or a
        // place inside it lifts that.
        let mut homes = vec![home.clone()];
        for h in input.other_homes {
            let h = resolve(h);
            if !homes.contains(&h) {
                homes.push(h);
            }
        }
        let mut stores: Vec<(PathBuf, String)> = Vec::new();
        for (n, h) in homes.iter().enumerate() {
            for name in PROTECTED_CREDENTIALS {
                let lexical = h.join(name);
                let why = if n == 0 {
                    format!("protected ~/{name}")
                } else {
                    format!("protected {}", lexical.display())
                };
                stores.push((lexical, why));
            }
        }
        // The stores that live in `~/.config` are where the tool looks
        // when `XDG_CONFIG_HOME` is set (git-credential-store(1), gh,
        // rclone, ...): there too.
        if let Some(x) = input.xdg_config_home.filter(|x| x.is_absolute()) {
            for name in PROTECTED_CREDENTIALS {
                if let Some(rest) = name.strip_prefix(".config/") {
                    stores.push((x.join(rest), format!("protected $XDG_CONFIG_HOME/{rest}")));
                }
            }
        }
        // Git repositories in the trees the command may write, and those
        // enclosing them (found here, before anything is hidden: their
        // configuration names credential stores too; what is done with
        // them is below).
        let mut scan_roots: Vec<PathBuf> = writable.clone();
        if write_everywhere {
            scan_roots.push(workspace.clone());
            scan_roots.push(cwd.clone());
        }
        let mut found = git::find(&scan_roots, GIT_SCAN_LIMIT, GIT_SCAN_MAX_DEPTH);
        let walk = found.walk.take();
        let all_git_dirs = git::git_dirs(&found.dirs, &found.pointers, &|p| is_writable(p));
        let enclosing = git::enclosing_git_dirs(&scan_roots, &found.pointers, &|p| is_writable(p));
        let mut outer_gd = git::git_dirs(&enclosing.dirs, &[], &|p| is_writable(p));
        for (g, t) in &enclosing.tops {
            outer_gd
                .tops
                .entry(g.clone())
                .or_default()
                .extend(t.iter().cloned());
        }
        outer_gd.way.extend(enclosing.way.iter().cloned());
        // The files `git credential-store` is told to use (`credential.helper
        // = store --file PATH`): stores like the default ones.
        // Secret files named by a relative path (`http.sslKey =
        // certs/client.key`): git takes them from where it runs.
        let mut relative_secrets: Vec<(String, String)> = Vec::new();
        // Git configuration files that hold credentials in their own text
        // (a remote URL with a token, an `http.extraHeader`, `hub.oauthToken`):
        // the command is shown a copy without them.
        let mut credential_configs: Vec<(PathBuf, Vec<String>)> = Vec::new();
        {
            let global = crate::git::global_config(&homes, &mut crate::git::Budget::default());
            credential_configs.extend(global.credentials.iter().cloned());
            relative_secrets.extend(
                global
                    .relative_secrets()
                    .iter()
                    .map(|r| (r.clone(), "the global git configuration".to_string())),
            );
            let (files, unknown) = global.credential_stores();
            for f in files {
                let why = format!(
                    "git credentials in {} (named by the global git configuration)",
                    f.display()
                );
                stores.push((f, why));
            }
            for e in unknown {
                gaps.push(format!(
                    "the global git configuration keeps credentials in a file the helper cannot locate, or runs a command line it cannot be sure it read every secret file of ({e}): what it could not name is not hidden, so the command may read it; name the file by an absolute path in the line itself"
                ));
            }
        }
        // The keys the user's own ssh configuration names outside
        // `~/.ssh` (`IdentityFile ~/keys/github`): ssh run by git reads them.
        {
            let (files, unknown) = crate::git::ssh_user_config_secrets(&homes);
            for f in files {
                let why = format!(
                    "ssh key or configuration {} (named by ~/.ssh/config)",
                    f.display()
                );
                stores.push((f, why));
            }
            for e in unknown {
                gaps.push(format!(
                    "the ssh configuration names a secret file the helper cannot locate or list ({e}): it is not hidden, so the command may read it; name it by an absolute path"
                ));
            }
        }
        // What the configuration inside the stores names outside them
        // (a kubeconfig's `client-key`, `~/.aws/config`'s
        // `web_identity_token_file`): secrets like the stores; the
        // programs and included files are judged below.
        let mut store_configs = crate::storeconf::read(&homes, |v| std::env::var_os(v));
        {
            let mut roots = vec![workspace.clone(), cwd.clone()];
            roots.extend(writable.iter().cloned());
            crate::storeconf::ancestor_npmrcs(&roots, &homes, &mut store_configs);
        }
        for (f, why) in &store_configs.secrets {
            let real = resolve(f);
            if [&workspace, &cwd, &home]
                .into_iter()
                .chain(writable.iter())
                .any(|n| under(n, &real))
            {
                gaps.push(format!(
                    "{why} names {}, which holds a tree the run needs: it cannot be hidden, and the command can read it",
                    f.display()
                ));
                continue;
            }
            stores.push((f.clone(), format!("secret file {} ({why})", f.display())));
        }
        for e in &store_configs.unknown {
            gaps.push(format!(
                "the configuration of a hidden credential store, or a tool's settings file that names secret files, could not be read whole ({e}): the secret files it names are not hidden, and the programs and files it names are not protected; fix the file, or accept with --allow-degraded"
            ));
        }
        // The same in the configuration git reads in the run's repositories
        // (a work repository's `credential.helper = store --file
        // ~/.config/work/git-credentials`, an alias's `-c credential.helper=…`).
        {
            let mut budget = crate::git::Budget::default();
            for g in all_git_dirs.dirs.iter().chain(&outer_gd.dirs) {
                let read = crate::git::repository_config(g, &homes, &mut budget);
                credential_configs.extend(read.credentials.iter().cloned());
                relative_secrets.extend(read.relative_secrets().iter().map(|r| {
                    (
                        r.clone(),
                        format!("the git configuration of {}", g.display()),
                    )
                }));
                let (files, unknown) = read.credential_stores_in(Some(&homes));
                for f in files {
                    // A repository's configuration is not the user's own
                    // word: a store that holds a tree the run needs is
                    // not hidden (that would stop the run), and is a gap.
                    if [&workspace, &cwd, &home]
                        .into_iter()
                        .chain(writable.iter())
                        .any(|n| under(n, &f))
                    {
                        gaps.push(format!(
                            "the git configuration of {} keeps credentials in {}, which holds a tree the run needs: it cannot be hidden, and the command can read it",
                            g.display(),
                            f.display()
                        ));
                        continue;
                    }
                    let why = format!(
                        "git credential store {} (credential.helper of {})",
                        f.display(),
                        g.display()
                    );
                    stores.push((f, why));
                }
                for e in unknown {
                    gaps.push(format!(
                        "the git configuration of {} keeps credentials in a file the helper cannot locate, or runs a command line it cannot be sure it read every secret file of ({e}): what it could not name is not hidden, so the command may read it; name the file by an absolute path in the line itself",
                        g.display()
                    ));
                }
            }
        }
        // A configuration file git needs whole cannot be hidden: the
        // command sees, bound over it read-only, a copy without the entries
        // that hold credentials and without the user information of its
        // URLs ([`crate::git::redact_config`]). One whose copy cannot be
        // made is a gap naming the file and the entries.
        credential_configs.sort();
        credential_configs.dedup_by(|a, b| a.0 == b.0);
        for (file, entries) in credential_configs {
            if hidden.iter().any(|h| under(&file, h)) {
                continue;
            }
            let text = match crate::plan::remembered_config(&file) {
                Some(Some(t)) => Some(t),
                _ => crate::git::nofollow::read_bytes(&file, 1 << 24),
            };
            let copy = match text {
                Some(t) => crate::git::redact_config(&t),
                None => Err("it could not be read again".into()),
            };
            match copy {
                Ok(copy) => {
                    mounts.push(MountOp {
                        path: file.clone(),
                        kind: MountKind::Redacted,
                        why: format!(
                            "git configuration {} shown without its credentials ({})",
                            file.display(),
                            entries.join(", ")
                        ),
                    });
                    redacted.push((file, copy));
                }
                Err(why) => gaps.push(format!(
                    "the git configuration {} holds credentials ({}) and cannot be shown without them ({why}): the command can read them; move them to a credential helper",
                    file.display(),
                    entries.join(", ")
                )),
            }
        }
        // Where git may run: the run's directories and the working tree
        // of every repository found (the top, beside its `.git`).
        if !relative_secrets.is_empty() {
            let mut bases = vec![cwd.clone(), workspace.clone()];
            for g in all_git_dirs.dirs.iter().chain(&outer_gd.dirs) {
                if g.file_name().is_some_and(|n| n == ".git") {
                    bases.extend(g.parent().map(Path::to_path_buf));
                }
                bases.extend(all_git_dirs.tops_of(g));
                bases.extend(outer_gd.tops_of(g));
            }
            bases.sort();
            bases.dedup();
            for (rel, origin) in &relative_secrets {
                for b in &bases {
                    let p = b.join(rel);
                    if fs::metadata(&p).is_ok_and(|m| m.is_file()) {
                        let why = format!(
                            "secret file {rel} named by {origin}, taken from {}",
                            b.display()
                        );
                        stores.push((p, why));
                    }
                }
            }
        }
        for (var, p) in input.credential_env {
            let real = resolve(p);
            let holds_run = [&workspace, &cwd, &home]
                .into_iter()
                .chain(writable.iter())
                .any(|n| under(n, &real));
            if holds_run {
                // Hiding it would hide what the run needs.
                gaps.push(format!(
                    "${var} names {} as a credential store, which holds a tree the run needs: it cannot be hidden, and the command can read it",
                    p.display()
                ));
                continue;
            }
            stores.push((p.clone(), format!("protected store of ${var}")));
        }
        for (lexical, why) in stores {
            let real = resolve(&lexical);
            if named.iter().any(|a| under(a, &lexical) || under(a, &real))
                || hidden.iter().any(|h| under(&real, h))
            {
                continue;
            }
            if let Some(kind) = hide_kind(&real) {
                hidden.push(real.clone());
                mounts.push(MountOp {
                    path: real,
                    kind,
                    why,
                });
            }
        }
        // Glob entries: what they match when the command starts, judged by
        // the filesystem guard itself so that the helper hides exactly what
        // checks refuse.
        if has_globs {
            let guard = FilesystemGuard::new(fsp, &input.policy.limits, &workspace, &home)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.message))?;
            let globs = guard.blocked_globs();
            let mut roots: Vec<PathBuf> = globs.iter().filter_map(|g| g.base.clone()).collect();
            let anywhere: Vec<&str> = globs
                .iter()
                .filter(|g| g.base.is_none())
                .map(|g| g.rule.as_str())
                .collect();
            if !anywhere.is_empty() {
                // A pattern for any depth anywhere cannot be searched on the
                // whole disk: the trees of the run are searched.
                roots.push(workspace.clone());
                roots.push(cwd.clone());
                roots.extend(writable.iter().cloned());
            }
            roots.sort();
            roots.dedup();
            let mut needed: Vec<&Path> = vec![&workspace, &cwd, &home, Path::new("/")];
            needed.extend(writable.iter().map(PathBuf::as_path));
            let GlobMatches {
                found,
                complete,
                gaps: link_gaps,
            } = find_glob_matches(&guard, &roots, GLOB_SCAN_LIMIT, &needed);
            gaps.extend(link_gaps);
            for (path, kind, rule) in found.iter().take(GLOB_HIDE_LIMIT) {
                if hidden.iter().any(|h| under(path, h)) {
                    continue;
                }
                hidden.push(path.clone());
                mounts.push(MountOp {
                    path: path.clone(),
                    kind: *kind,
                    why: rule.clone(),
                });
            }
            if found.len() > GLOB_HIDE_LIMIT {
                gaps.push(format!(
                    "glob entries of filesystem.blocked_paths match {} entries; only the first {GLOB_HIDE_LIMIT} are hidden",
                    found.len()
                ));
            }
            if !complete {
                gaps.push(format!(
                    "more than {GLOB_SCAN_LIMIT} entries searched for the matches of glob entries of filesystem.blocked_paths; matches beyond them are not hidden"
                ));
            }
            for rule in anywhere {
                gaps.push(format!(
                    "{rule} matches at any depth anywhere: its matches in the workspace and the writable trees are hidden, elsewhere only the checks refuse them"
                ));
            }
        }
        // `filesystem.allow_hidden_files: false`: a check refuses every
        // path with a dot component below its root, so the dot entries
        // below the trees of the run are hidden when the command starts,
        // like blocked paths (what a link with a dot name, or a link to
        // one, leads to, at its real path). Not `.git`: git in the run
        // needs it, and it has its own protection (Git indirection). What
        // the run makes under a dot name is moved aside after it (the
        // sweep). Not added to `hidden`: a check allows reading what a link
        // inside a dot directory leads to by its real path, so nothing
        // more is hidden for them.
        if !fsp.allow_hidden_files {
            let mut roots: Vec<PathBuf> = vec![workspace.clone(), cwd.clone()];
            roots.extend(writable.iter().cloned());
            roots.sort();
            roots.dedup();
            let mut needed: Vec<&Path> = vec![&workspace, &cwd, &home, Path::new("/")];
            needed.extend(writable.iter().map(PathBuf::as_path));
            let dots = find_matches(
                &roots,
                GLOB_SCAN_LIMIT,
                &needed,
                &|p| hidden_name_at(&roots, p),
                &|p| p.file_name() != Some(".git".as_ref()),
            );
            gaps.extend(dots.gaps);
            let mut count = 0;
            for (path, kind, rule) in &dots.found {
                if hidden.iter().any(|h| under(path, h)) {
                    continue;
                }
                count += 1;
                if count > GLOB_HIDE_LIMIT {
                    gaps.push(format!(
                        "filesystem.allow_hidden_files is false and the trees of the run hold {} dot entries; only the first {GLOB_HIDE_LIMIT} are hidden",
                        dots.found.len()
                    ));
                    break;
                }
                mounts.push(MountOp {
                    path: path.clone(),
                    kind: *kind,
                    why: rule.clone(),
                });
            }
            if !dots.complete {
                gaps.push(format!(
                    "filesystem.allow_hidden_files is false, and more than {GLOB_SCAN_LIMIT} entries were searched for dot entries: those beyond are not hidden"
                ));
            }
        }
        // A hidden directory's entries that are symbolic links lead
        // elsewhere (`~/.ssh/id_work -> ../dotfiles/private/id_work`,
        // `~/.ssh/config -> ../dotfiles/ssh/config`): the mount over the
        // directory hides the link, not what it leads to, which the command
        // could read, or write, by its real path. What each leads to when the
        // command starts is hidden too; one that holds a tree the run needs
        // (the workspace, the home, `/`) cannot be, and is a gap.
        let mut needed: Vec<&Path> = vec![&workspace, &cwd, &home];
        needed.extend(writable.iter().map(PathBuf::as_path));
        // A link there leads to a directory (`~/.ssh/conf.d ->
        // ../dotfiles/ssh/conf.d`): that directory is hidden whole and
        // searched the same way, since what its own links lead to
        // (`conf.d/work.conf -> ../hosts/work.conf`) is read through it.
        // And what a link leads to must stay what it leads to: the
        // directory of every link on its way that lies in a writable tree,
        // and the directory where a missing target would be made, are
        // locked below (the command could otherwise re-point
        // `dotfiles/current` or create `dotfiles/ssh/config.local`, which
        // the user's next `ssh` reads through the hidden directory).
        let mut hidden_ways: Vec<(PathBuf, String)> = Vec::new();
        let mut hidden_dirs: std::collections::VecDeque<PathBuf> = hidden
            .iter()
            .filter(|h| git::nofollow::lstat(h).is_ok_and(|m| m.is_dir()))
            .cloned()
            .collect();
        let mut link_budget = HIDDEN_LINK_LIMIT;
        while let Some(dir) = hidden_dirs.pop_front() {
            let (links, complete) = hidden_links(&dir, &mut link_budget);
            for link in &links {
                let (_, _, dirs) = way_of_held(link, &|d| hidden.iter().any(|h| under(d, h)));
                for d in dirs {
                    hidden_ways.push((
                        through_tree(&ids, &d),
                        format!("{} (in hidden {})", link.display(), dir.display()),
                    ));
                }
            }
            let targets: Vec<(PathBuf, PathBuf)> = links
                .into_iter()
                .filter_map(|l| fs::canonicalize(&l).ok().map(|r| (l, r)))
                .collect();
            if !complete {
                gaps.push(format!(
                    "{} was not searched to the end (the hidden directories of a run hold more than {HIDDEN_LINK_LIMIT} entries): what symbolic links beyond lead to is not hidden",
                    dir.display()
                ));
            }
            for (link, real) in targets {
                // Programs and libraries (a virtualenv's `bin/python ->
                // /usr/bin/python3` in a store): not secrets, and hiding
                // them would stop the run.
                if hidden.iter().any(|h| under(&real, h))
                    || SYSTEM_PROGRAM_DIRS
                        .iter()
                        .any(|d| under(&real, Path::new(d)))
                {
                    continue;
                }
                if needed.iter().any(|n| under(n, &real)) {
                    gaps.push(format!(
                        "{} is hidden, but it leads to {}, which holds a tree the run needs: it cannot be hidden there, and the command can read through it what the link names; point the link at the file itself",
                        link.display(),
                        real.display()
                    ));
                    continue;
                }
                if let Some(kind) = hide_kind(&real) {
                    hidden.push(real.clone());
                    if kind == MountKind::HideDir {
                        hidden_dirs.push_back(real.clone());
                    }
                    mounts.push(MountOp {
                        path: real,
                        kind,
                        why: format!("target of {}, in hidden {}", link.display(), dir.display()),
                    });
                }
            }
        }
        let mut host: Vec<PathBuf> = HOST_CONTROL_PATHS.iter().map(PathBuf::from).collect();
        host.extend(input.ssh_auth_sock.map(Path::to_path_buf));
        for p in host {
            // Most of these do not exist: one lstat instead of a full resolution.
            if fs::symlink_metadata(&p).is_err() {
                continue;
            }
            let p = resolve(&p);
            if allowed.iter().any(|a| under(&p, a)) || hidden.iter().any(|h| under(&p, h)) {
                continue;
            }
            if let Some(kind) = hide_kind(&p) {
                hidden.push(p.clone());
                mounts.push(MountOp {
                    path: p,
                    kind,
                    why: "host control socket".into(),
                });
            }
        }
        let is_hidden = |p: &Path| hidden.iter().any(|h| under(p, h));
        // Directories that are mount points for the run and so cannot be
        // replaced: what a `..` leaves there needs no lock ([`way_of`]).
        let held = |p: &Path| is_hidden(p) || writable.iter().any(|w| w == p);

        // Protected entries under the home directory.
        let protect = |path: PathBuf, why: String, mounts: &mut Vec<MountOp>| {
            if is_hidden(&path) || !is_writable(&path) || allowed.contains(&path) {
                return;
            }
            mounts.push(MountOp {
                path: path.clone(),
                kind: MountKind::ReadOnly,
                why,
            });
            for a in allowed
                .iter()
                .filter(|a| a.starts_with(&path) && **a != path)
            {
                mounts.push(MountOp {
                    path: a.clone(),
                    kind: MountKind::Writable,
                    why: "explicit filesystem.allowed_paths entry".into(),
                });
            }
        };
        // Directories in which no new name may appear (and no link be
        // swapped) while the command runs, with the protected entries that
        // need it: a missing entry cannot be mounted over, its directory
        // can (see [`MountKind::Lock`]).
        let mut locks: std::collections::BTreeMap<PathBuf, Vec<String>> = Default::default();
        for (d, name) in hidden_ways {
            if is_writable(&d) && !is_hidden(&d) {
                locks.entry(d).or_default().push(name);
            }
        }
        // Protected files wherever they are, for the hard link check below.
        let mut watch: Vec<(PathBuf, String)> = Vec::new();
        // Missing `PATH` directories and sourced files in writable trees:
        // moved aside by the sweep after the run when the run made them.
        let mut path_made: Vec<(PathBuf, PathBuf, String)> = Vec::new();
        // The same entries the filesystem guard protects (docs/policy.md,
        // Filesystem 5), in every home: the user's own shell and git read
        // those of the caller's `$HOME` and the user database's home, not
        // the run's `--home`.
        for (n, h) in homes.iter().enumerate() {
            // One directory listing instead of an lstat per entry; the
            // entries all start with a dot.
            let home_dot_names: Option<std::collections::BTreeMap<std::ffi::OsString, bool>> =
                fs::read_dir(h).ok().map(|d| {
                    d.flatten()
                        .filter(|e| e.file_name().as_encoded_bytes().first() == Some(&b'.'))
                        .map(|e| {
                            let link = e.file_type().is_ok_and(|t| t.is_symlink());
                            (e.file_name(), link)
                        })
                        .collect()
                });
            for name in PROTECTED_STARTUP.iter().chain(PROTECTED_CREDENTIALS) {
                let lexical = h.join(name);
                let shown = if n == 0 {
                    format!("~/{name}")
                } else {
                    lexical.display().to_string()
                };
                let (real, dirs) = protected_place(h, name, home_dot_names.as_ref());
                // Named through the writable tree it lies in when it is
                // reached by a second mount of it (`~/.bashrc ->
                // /alt/bashrc`, `/alt` a bind of the workspace).
                let real = real.map(|r| through_tree(&ids, &r));
                let dirs: Vec<PathBuf> = dirs.iter().map(|d| through_tree(&ids, d)).collect();
                if let Some(real) = &real {
                    protect(real.clone(), format!("protected {shown}"), &mut mounts);
                    watch.push((real.clone(), format!("protected {shown}")));
                    // A start-up file that leads into a writable tree while
                    // the home is not writable (`~/.bashrc ->
                    // dotfiles/bashrc`, the workspace `~/dotfiles`): its own
                    // bytes are kept, what it sources from that tree is not
                    // known. (A writable home is a known limit.)
                    if let Some(gap) = startup_gap(&shown, real, &writable, is_writable(h), name) {
                        gaps.push(gap);
                    }
                }
                // An allowed_paths entry naming exactly this entry lets the
                // command create or replace it.
                if named.contains(&lexical) || real.as_ref().is_some_and(|r| named.contains(r)) {
                    continue;
                }
                for d in dirs {
                    if is_writable(&d) && !is_hidden(&d) {
                        locks.entry(d).or_default().push(shown.clone());
                    }
                }
            }
        }
        // The protected entries of `~/.config` and `~/.local/share` are
        // where their tools look below the caller's `$XDG_CONFIG_HOME` and
        // `$XDG_DATA_HOME` when those are set (fish, autostart, systemd,
        // nvim, bash-completion): kept there the same way, also when the
        // home is writable.
        let xdg_data = xdg_bases_of_environment(|v| std::env::var_os(v))
            .into_iter()
            .find(|(v, _)| *v == "$XDG_DATA_HOME")
            .map(|(_, p)| p);
        for (var, base, prefix) in [
            (
                "$XDG_CONFIG_HOME",
                input.xdg_config_home.map(Path::to_path_buf),
                ".config/",
            ),
            ("$XDG_DATA_HOME", xdg_data, ".local/share/"),
        ] {
            let Some(x) = base.filter(|x| x.is_absolute()) else {
                continue;
            };
            // The tools take the variable as the kernel does (`..` after
            // the directory really reached): the entries below are judged
            // where it leads, and the way there is kept as it is (the
            // directory of a link, or of what a `..` leaves, in a writable
            // tree is locked). Where it is missing, the deepest existing
            // directory on that way is locked (or outside the writable
            // trees): nothing below it can be made.
            let (xr, x_exists, xdirs) = way_of_held(&x, &held);
            for d in xdirs {
                let d = through_tree(&ids, &d);
                if is_writable(&d) && !is_hidden(&d) {
                    locks.entry(d).or_default().push(var.into());
                }
            }
            if !x_exists {
                continue;
            }
            let x = xr;
            if homes
                .iter()
                .any(|h| resolve(&h.join(prefix)) == resolve(&x))
            {
                continue;
            }
            let x = through_tree(&ids, &x);
            for name in PROTECTED_STARTUP {
                let Some(rest) = name.strip_prefix(prefix) else {
                    continue;
                };
                let shown = format!("protected {var}/{rest}");
                let (real, dirs) = protected_place(&x, rest, None);
                if let Some(real) = real.map(|r| through_tree(&ids, &r)) {
                    protect(real.clone(), shown.clone(), &mut mounts);
                    watch.push((real, shown.clone()));
                }
                if named.contains(&x.join(rest)) {
                    continue;
                }
                for d in dirs {
                    let d = through_tree(&ids, &d);
                    if is_writable(&d) && !is_hidden(&d) {
                        locks.entry(d).or_default().push(shown.clone());
                    }
                }
            }
        }

        // Any other home entry that is a symbolic link into a writable
        // tree while the home is not writable (`~/.mavenrc`,
        // `~/.cargo/config.toml`, `~/bin -> dotfiles/bin`): some tool of
        // the user reads or runs it outside any sandbox, and which, and
        // what it loads from that tree, is not known. What it leads to is
        // kept read-only (unless it holds a writable tree), and the run is
        // a gap; so is a link whose missing target would be made in a
        // writable tree (the command could make it). Every link's way is
        // kept as it is: the directory of each link on it that lies in a
        // writable tree (`~/.config/tmux/tmux.conf ->
        // ~/dotfiles/current/tmux.conf`, `current -> /elsewhere`), and the
        // directory where a missing target would be, are locked. A tree
        // is writable by identity ([`through_tree`]). Searched: the home's
        // top level and two levels into its dot directories (a dot
        // directory that is a link included), and two levels into the
        // caller's `$XDG_CONFIG_HOME`, never into a writable or hidden
        // tree.
        if !write_everywhere {
            // A directory reached by walking down from a root that is not
            // in a writable tree is in one only when it is one (one
            // `stat`); a link's target anywhere is judged by its ancestors.
            let enter = |p: &Path, jumped: bool| {
                if is_writable(p) || is_hidden(p) {
                    return false;
                }
                if jumped {
                    return !is_writable(&through_tree(&ids, p));
                }
                !ids.is_root(p)
            };
            let mut roots: Vec<(PathBuf, usize, String)> = Vec::new();
            for (n, h) in homes.iter().enumerate() {
                if is_writable(h) {
                    continue;
                }
                let shown = if n == 0 {
                    "~".to_string()
                } else {
                    h.display().to_string()
                };
                roots.push((h.clone(), 1, shown));
            }
            // `$XDG_CONFIG_HOME` is where every XDG tool reads its
            // start-up files (`tmux/tmux.conf`, `fish/config.fish`), and
            // `$XDG_DATA_HOME` where they load data that is code
            // (bash-completion's `bash-completion/completions`, fish's
            // `fish/vendor_functions.d`, nvim's `site` plugins): in a
            // writable tree either is what `~/.config -> dotfiles/config`
            // would be, a gap; elsewhere each is searched like `~/.config`.
            // The system lists `$XDG_CONFIG_DIRS` and `$XDG_DATA_DIRS`
            // (autostart entries, systemd user units, completions) are
            // judged the same, entry by entry, and not searched.
            let home_writable = is_writable(&home);
            let mut bases: Vec<(&str, PathBuf, &str, bool)> = Vec::new();
            if let Some(x) = input.xdg_config_home {
                bases.push(("$XDG_CONFIG_HOME", x.to_path_buf(), ".config", true));
            }
            for (var, x) in xdg_bases_of_environment(|v| std::env::var_os(v)) {
                let own = if var == "$XDG_DATA_HOME" {
                    ".local/share"
                } else {
                    ""
                };
                bases.push((var, x, own, !own.is_empty()));
            }
            for (var, x, own, search) in bases {
                if !x.is_absolute() || home_writable {
                    continue;
                }
                let (real, exists, dirs) = way_of_held(&x, &held);
                let real = through_tree(&ids, &real);
                let place = if exists {
                    Some(real.clone())
                } else {
                    real.ancestors()
                        .skip(1)
                        .find(|p| fs::symlink_metadata(p).is_ok())
                        .map(|p| through_tree(&ids, p))
                };
                if let Some(tree) = place
                    .as_ref()
                    .and_then(|p| writable.iter().find(|w| under(p, w)))
                {
                    let what = if var == "$XDG_CONFIG_HOME" {
                        "every XDG tool of the user (tmux, fish, nvim, direnv) reads its start-up files there outside any sandbox"
                    } else {
                        "the user's shells and tools load completions, functions and plugins from there outside any sandbox (bash-completion, fish, nvim, autostart entries)"
                    };
                    gaps.push(format!(
                        "{var} {} leads to {}, in the writable tree {}: {what}; it is kept read-only, but what they load from that tree can be changed by the command; use a workspace that {var} does not point into (a separate clone), or accept with --allow-degraded",
                        x.display(),
                        real.display(),
                        tree.display()
                    ));
                    // Kept read-only like a home link's target.
                    if exists && !writable.iter().any(|w| under(w, &real)) {
                        watch.push((real.clone(), var.into()));
                        protect(real.clone(), var.into(), &mut mounts);
                    }
                } else if search && exists && !homes.iter().any(|h| real == h.join(own)) {
                    roots.push((real.clone(), 2, var.to_string()));
                }
                for d in dirs {
                    let d = through_tree(&ids, &d);
                    if is_writable(&d) && !is_hidden(&d) {
                        locks.entry(d).or_default().push(var.into());
                    }
                }
            }
            // The directories of the caller's `PATH` outside the writable
            // trees (`~/bin`, `/usr/local/bin`, `/opt/tool/bin`): the user's
            // shell runs a program linked there from any directory, so a
            // link among their entries that leads into a writable tree
            // (`~/bin/mytool -> WS/target/release/mytool`) is judged as a
            // home link is. Only their entries (depth 3: none entered), at
            // most [`PATH_LINK_LIMIT`] of each.
            // Each real directory once (`/bin` is `/usr/bin` on a merged
            // `/usr`).
            let mut path_dirs: BTreeSet<PathBuf> = BTreeSet::new();
            for p in input.path_entries {
                let (real, exists, _) = way_of(p);
                let real = through_tree(&ids, &real);
                if exists
                    && !is_writable(&real)
                    && !is_hidden(&real)
                    && path_dirs.insert(real.clone())
                {
                    roots.push((p.clone(), 3, format!("$PATH entry {}", p.display())));
                }
            }
            let mut judged_links: BTreeSet<PathBuf> = BTreeSet::new();
            let mut real_parents: std::collections::BTreeMap<PathBuf, PathBuf> =
                std::collections::BTreeMap::new();
            for (h, depth, shown_root) in roots {
                if is_writable(&through_tree(&ids, &h)) {
                    continue;
                }
                let limit = if depth == 3 {
                    PATH_LINK_LIMIT
                } else {
                    HOME_LINK_LIMIT
                };
                let (found_links, complete) = home_links(&h, depth, limit, &enter);
                if !complete && depth == 3 {
                    gaps.push(format!(
                        "{shown_root} holds more than {PATH_LINK_LIMIT} entries: symbolic links beyond them into a writable tree, programs the user's shell runs outside any sandbox, are not found"
                    ));
                } else if !complete {
                    gaps.push(format!(
                        "{} holds more than {HOME_LINK_LIMIT} entries at its top and two levels into its dot directories: symbolic links beyond them into a writable tree are not found",
                        h.display()
                    ));
                }
                for link in found_links {
                    // A `PATH` directory in a home (`~/.local/bin`) is
                    // searched with it.
                    let parent = link.parent().unwrap_or(&link).to_path_buf();
                    let real_parent = real_parents
                        .entry(parent.clone())
                        .or_insert_with(|| canonical(&parent).unwrap_or(parent));
                    if !judged_links.insert(real_parent.join(link.file_name().unwrap_or_default()))
                    {
                        continue;
                    }
                    let Ok(rel) = link.strip_prefix(&h) else {
                        continue;
                    };
                    let name = rel.to_string_lossy();
                    // Judged elsewhere: the protected entries (above) and
                    // git's configuration (read and judged, src/git.rs).
                    if depth == 1
                        && (PROTECTED_STARTUP.contains(&name.as_ref())
                            || PROTECTED_CREDENTIALS.contains(&name.as_ref())
                            || name == ".gitconfig"
                            || rel.starts_with(".config/git"))
                    {
                        continue;
                    }
                    if depth == 2 && rel.starts_with("git") || is_hidden(&link) {
                        continue;
                    }
                    let shown = format!("{shown_root}/{name}");
                    let (real, exists, dirs) = way_of_held(&link, &held);
                    let real = through_tree(&ids, &real);
                    for d in dirs {
                        let d = through_tree(&ids, &d);
                        if is_writable(&d) && !is_hidden(&d) {
                            locks.entry(d).or_default().push(shown.clone());
                        }
                    }
                    if !exists {
                        let place = real
                            .ancestors()
                            .skip(1)
                            .find(|p| fs::symlink_metadata(p).is_ok())
                            .map(|p| through_tree(&ids, p));
                        if let Some(tree) = place
                            .as_ref()
                            .and_then(|p| writable.iter().find(|w| under(p, w)))
                        {
                            gaps.push(format!(
                                "{shown} leads to {}, which is missing, in the writable tree {}: a tool of the user reads or runs it outside any sandbox once it exists; the directory where it would be made is locked, but what else the tool loads from that tree can be changed by the command; use a workspace that no home entry points into (a separate clone), or accept with --allow-degraded",
                                real.display(),
                                tree.display()
                            ));
                        }
                        continue;
                    }
                    let Some(tree) = writable.iter().find(|w| under(&real, w)) else {
                        continue;
                    };
                    gaps.push(format!(
                        "{shown} leads to {}, in the writable tree {}: a tool of the user reads or runs it outside any sandbox; it is kept read-only, but what it loads from that tree can be changed by the command; use a workspace that no home entry points into (a separate clone), or accept with --allow-degraded",
                        real.display(),
                        tree.display()
                    ));
                    if !writable.iter().any(|w| under(w, &real)) {
                        watch.push((real.clone(), format!("target of {shown}")));
                        protect(real, format!("target of {shown}"), &mut mounts);
                    }
                }
            }
        }

        // The directories of the caller's `PATH`: the user's shell runs
        // the programs there outside any sandbox (`git` in an activated
        // virtualenv's `bin`), so one in a writable tree is bound
        // read-only; where it is missing, the deepest existing directory on
        // its way is locked; the directory of every link on its way is
        // locked. What its programs load from the tree is known for two
        // kinds, kept read-only whole: a virtualenv (`bin` beside
        // `pyvenv.cfg`: its python loads the environment's
        // `site-packages`) and `node_modules/.bin` (its links lead into
        // `node_modules`). Any other directory's programs may load or run
        // their siblings in the tree: a gap. An `allowed_paths` entry
        // naming the directory, or the virtualenv or `node_modules` it is
        // in, lets the command change it (`pip install` into the
        // virtualenv); a relative entry, taken from wherever the user's
        // shell stands, is a gap.
        if input.path_relative {
            gaps.push(
                "$PATH holds a relative entry (`.` or an empty one): the user's shell looks up programs in whatever directory it stands in, the writable trees too, so a program the command leaves there can run outside any sandbox; remove the entry from PATH, or accept with --allow-degraded".into(),
            );
        }
        // Where everything is writable (`permissive`), and for the tools
        // in a writable home outside the workspace (`~/.cargo/bin` with
        // `allowed_paths` naming `~`), what the user's shell runs is
        // writable anyway: the writable-home limit (see Known limits).
        for p in input.path_entries.iter().filter(|_| !write_everywhere) {
            let (real, exists, dirs) = way_of_held(p, &held);
            let real = through_tree(&ids, &real);
            let dirs: Vec<PathBuf> = dirs.iter().map(|d| through_tree(&ids, d)).collect();
            if (!is_writable(&real) && !dirs.iter().any(|d| is_writable(d))) || is_hidden(&real) {
                continue;
            }
            if !under(&real, &workspace) && homes.iter().any(|h| is_writable(h) && under(&real, h))
            {
                continue;
            }
            let package = real.parent().filter(|up| {
                (real.file_name() == Some("bin".as_ref())
                    && (git::nofollow::lstat(&up.join("pyvenv.cfg")).is_ok_and(|m| m.is_file())
                        || git::nofollow::lstat(&up.join("conda-meta")).is_ok_and(|m| m.is_dir())))
                    || (real.file_name() == Some(".bin".as_ref())
                        && up.file_name() == Some("node_modules".as_ref()))
            });
            let root = package.unwrap_or(&real).to_path_buf();
            if allowed.contains(&real) || allowed.contains(&root) {
                notes.push(format!(
                    "$PATH names {}, whose programs the user's shell runs outside any sandbox; an allowed_paths entry lets the command change them",
                    p.display()
                ));
                continue;
            }
            if let Some(tree) = writable.iter().find(|w| under(w, &root)) {
                gaps.push(format!(
                    "$PATH names {}, which holds the writable tree {}: it cannot be kept read-only, and the user's shell runs outside any sandbox the programs the command leaves there; remove it from PATH, or accept with --allow-degraded",
                    p.display(),
                    tree.display()
                ));
                continue;
            }
            let shown = format!("$PATH entry {}", p.display());
            // A missing entry (`WS/node_modules/.bin` before the first
            // install) is not made by locking the deepest directory on its
            // way, which may be the workspace's top: the run may make it,
            // and the sweep after the run moves it aside whole when it is
            // there, so the user's next shell finds none of its programs.
            // Links on the way still lock the directory holding them.
            let deepest = (!exists)
                .then(|| {
                    real.ancestors()
                        .skip(1)
                        .find(|a| git::nofollow::lstat(a).is_ok())
                })
                .flatten()
                .map(|d| through_tree(&ids, d));
            let (_, through) = walk_links(p);
            let link_dirs: Vec<PathBuf> = through
                .iter()
                .filter_map(|l| l.parent().map(|d| through_tree(&ids, d)))
                .collect();
            for d in &dirs {
                if deepest.as_ref() == Some(d) && !link_dirs.contains(d) {
                    continue;
                }
                if is_writable(d) && !is_hidden(d) {
                    locks.entry(d.clone()).or_default().push(shown.clone());
                }
            }
            if !exists {
                if let Some(d) = deepest.filter(|d| is_writable(d) && !is_hidden(d)) {
                    path_made.push((d, real.clone(), shown.clone()));
                }
                continue;
            }
            let why = format!("{shown}: the user's shell runs its programs outside any sandbox");
            watch.push((root.clone(), why.clone()));
            protect(root.clone(), why, &mut mounts);
            // As for the programs git configuration names: where the home
            // is writable, what the user's tools load from it stays
            // writable anyway (a known limit), and this adds nothing.
            if package.is_none() && is_writable(&real) && !homes.iter().any(|h| is_writable(h)) {
                let tree = writable.iter().find(|w| under(&real, w));
                gaps.push(format!(
                    "$PATH names {}, in the writable tree {}: it is kept read-only, but what its programs load or run from that tree (a sibling script, a library) can be changed by the command and run by the user's shell outside any sandbox; keep such programs outside the writable trees, or accept with --allow-degraded",
                    p.display(),
                    tree.map_or("/".into(), |t| t.display().to_string())
                ));
            }
        }

        // Git repositories in the trees the command may write: `.git`
        // directories are pinned; what git reads as configuration, runs or
        // follows elsewhere is bound read-only where it exists and
        // recorded, so that the sweep after the run can move aside what
        // the run created or replaced (src/git.rs).
        if let Some((dir, why)) = found.unlistable.as_ref().filter(|_| !found.complete) {
            // Not the bound: say which directory, and what to do.
            gaps.push(format!(
                "the .git search of the writable trees could not list {} ({why}); repositories below it are not protected; give its owner read and search permission (chmod u+rx) or run with --allow-degraded",
                dir.display()
            ));
        } else if !found.complete {
            gaps.push(format!(
                "the .git search of the writable trees stopped at its bound ({GIT_SCAN_LIMIT} entries, {GIT_SCAN_MAX_DEPTH} levels); repositories beyond it are not protected"
            ));
        }
        let git_dirs = found.dirs.clone();
        for g in &git_dirs {
            if is_hidden(g) || allowed.contains(g) {
                continue;
            }
            mounts.push(MountOp {
                path: g.clone(),
                kind: MountKind::Pin,
                why: "keeps .git in place".into(),
            });
        }
        for d in &all_git_dirs.over {
            gaps.push(format!(
                "{} holds more than the helper walks ({} entries): git dirs below it are not protected",
                d.display(),
                git::NESTED_PER_PASS
            ));
        }
        for d in &all_git_dirs.unreadable {
            gaps.push(format!(
                "{} cannot be read: the git dir it names is not protected",
                d.display()
            ));
        }
        if all_git_dirs.truncated {
            gaps.push(format!(
                "more than {} git dirs in the writable trees: those beyond are not protected",
                git::GIT_DIRS_PER_PASS
            ));
        }
        // Git dirs outside the writable trees that govern git run in them
        // (the repository enclosing the workspace, a linked worktree's git
        // dir and its common dir): read like the others; only what they
        // name inside the writable trees is protected.
        let outer_unreadable = enclosing.unreadable;
        for d in outer_unreadable.iter().chain(&outer_gd.unreadable) {
            gaps.push(format!(
                "{} cannot be read: the git dir it names is not protected",
                d.display()
            ));
        }
        for d in &outer_gd.over {
            gaps.push(format!(
                "{} holds more than the helper walks ({} entries): git dirs below it are not protected",
                d.display(),
                git::NESTED_PER_PASS
            ));
        }
        if outer_gd.truncated {
            gaps.push(format!(
                "more than {} git dirs govern the writable trees: those beyond are not protected",
                git::GIT_DIRS_PER_PASS
            ));
        }
        let mut budget = git::Budget::default();
        let mut entry_magic_links = Vec::new();
        for g in all_git_dirs.dirs.iter().chain(&outer_gd.dirs) {
            if is_hidden(g) || allowed.contains(g) {
                continue;
            }
            // An empty hooks directory is what `git init` creates anyway;
            // a worktree's git dir (with a `commondir`) takes its hooks from
            // the common dir. Never made outside the writable trees.
            // Made in `g` reached through no link (a link found where a
            // directory is expected is an entry of its own, never entered).
            let hooks = g.join("hooks");
            if is_writable(g)
                && git::nofollow::lstat(&hooks).is_err()
                && git::nofollow::lstat(&g.join("commondir")).is_err()
                && git::nofollow::mkdir(&hooks).is_ok()
            {
                made_dirs.push(hooks.clone());
            }
            let found_entries = git::entries(g, &homes, &mut budget);
            entry_magic_links.extend(git::per_process_links(&found_entries.links));
            for c in &found_entries.over {
                gaps.push(format!(
                    "{} was not followed to the end (unreadable, an include path that is not UTF-8, or more than the helper follows: {} include paths a repository, {} a run, {} MiB): what it includes beyond is not protected",
                    c.display(),
                    git::INCLUDES_PER_GIT_DIR,
                    git::INCLUDES_PER_PASS,
                    git::CONFIG_BYTES_PER_PASS >> 20
                ));
            }
            for inner in found_entries.paths {
                // A link is not bound (the mount would follow it): it is
                // recorded for the sweep, and what it leads to now (a
                // `hooks -> ../githooks` of the project) is bound
                // read-only by its real path.
                if git::nofollow::lstat(&inner).is_ok_and(|m| m.file_type().is_symlink()) {
                    if let Ok(real) = fs::canonicalize(&inner) {
                        let why =
                            format!("protected {} (through {})", real.display(), inner.display());
                        protect(real, why, &mut mounts);
                    }
                    continue;
                }
                let why = format!("protected {}", inner.display());
                protect(inner, why, &mut mounts);
            }
        }
        for p in &found.pointers {
            // A `.git` file names the git dir; a link cannot be bound and
            // is left to the sweep.
            if git::nofollow::lstat(p).is_ok_and(|m| m.is_file()) {
                protect(p.clone(), format!("protected {}", p.display()), &mut mounts);
            }
        }
        // Other VCSs' metadata directories (`.hg`, `.sl`, `_darcs`,
        // `.pijul`, `.jj`): kept in place like `.git`, their configuration
        // (hooks, extensions, pagers every later command of that VCS runs)
        // read-only; one the run makes is moved aside after it.
        let vcs_dirs: Vec<PathBuf> = found
            .vcs
            .iter()
            .filter(|d| !is_hidden(d) && !allowed.contains(*d) && is_writable(d))
            .cloned()
            .collect();
        let mut vcs_entries: Vec<PathBuf> = Vec::new();
        for d in &vcs_dirs {
            mounts.push(MountOp {
                path: d.clone(),
                kind: MountKind::Pin,
                why: format!("keeps {} in place", d.display()),
            });
            for e in crate::vcs::config_entries(d) {
                match git::nofollow::lstat(&e) {
                    Ok(m) if m.file_type().is_symlink() => {
                        if let Ok(real) = fs::canonicalize(&e) {
                            let why = format!(
                                "protected {} (configuration of another VCS, through {})",
                                real.display(),
                                e.display()
                            );
                            protect(real, why, &mut mounts);
                        }
                    }
                    Ok(_) => {
                        let why =
                            format!("protected {} (configuration of another VCS)", e.display());
                        protect(e.clone(), why, &mut mounts);
                    }
                    Err(_) => {}
                }
                vcs_entries.push(e);
            }
        }
        // What configuration names outside the git dirs: hooks directories
        // (`core.hooksPath`, husky's `.husky/_`) and the files the global
        // configuration includes (a dotfiles repository as the workspace).
        // Read-only where they exist; where they do not, the deepest
        // existing directory on the way is locked, so that the run cannot
        // make them (git would run or read what it made there meanwhile).
        let mut named_by_config: Vec<(PathBuf, String)> = Vec::new();
        let global = git::global_config(&homes, &mut budget);
        let mut config_over = global.over.clone();
        let mut hooks_by_name: Vec<PathBuf> = Vec::new();
        // Links through `/proc/self`, `/dev/fd`, ... on the way to what git
        // reads or runs lead elsewhere for git than for the helper: where,
        // the helper cannot know.
        let mut magic_links = git::per_process_links(&global.links());
        magic_links.extend(std::mem::take(&mut entry_magic_links));
        // Links on the way from `.git` files, `.git` links and `commondir`
        // to the git dirs they name.
        magic_links.extend(git::per_process_links(&all_git_dirs.way));
        magic_links.extend(git::per_process_links(&outer_gd.way));
        for g in all_git_dirs.dirs.iter().chain(&outer_gd.dirs) {
            if is_hidden(g) || allowed.contains(g) {
                continue;
            }
            let mut tops = all_git_dirs.tops_of(g);
            tops.extend(outer_gd.tops_of(g));
            let hooks = git::hooks_dirs(g, &homes, &|_| true, &tops, &global, &mut budget);
            config_over.extend(hooks.over);
            magic_links.extend(git::per_process_links(&hooks.links));
            // Hooks that are links into the working tree run what they
            // lead to: that is protected like the hook.
            let mut dirs = vec![g.join("hooks")];
            dirs.extend(hooks.paths.iter().cloned());
            let (targets, crowded) = git::hook_link_targets(&dirs);
            // A file below a hooks directory (a helper the hooks source)
            // with a second name in a writable tree could be rewritten
            // through it: checked like a protected file (below).
            for file in git::hook_tree(&dirs).files {
                watch.push((file, format!("below a hooks directory of {}", g.display())));
            }
            for d in crowded {
                gaps.push(format!(
                    "{} holds more than {} entries: what its links lead to is not protected",
                    d.display(),
                    git::LISTING_ENTRIES
                ));
            }
            for t in targets {
                named_by_config.push((t, format!("target of a hook link of {}", g.display())));
            }
            for h in hooks.paths {
                named_by_config.push((h, format!("hooks directory of {}", g.display())));
            }
            hooks_by_name.extend(hooks.hooks_by_name);
        }
        // Hooks by name in a hooks directory that holds the repository
        // (`core.hooksPath` naming the working tree): one that exists is
        // read-only; a link is recorded and swept, what it leads to is
        // protected like a hook link's target (its directory locked when
        // missing). A missing hook is left to the sweep, since locking its
        // directory would lock the working tree's top.
        for h in hooks_by_name {
            if allowed.contains(&h) || is_hidden(&h) {
                continue;
            }
            match git::nofollow::lstat(&h) {
                Ok(m) if m.file_type().is_symlink() => named_by_config.push((
                    resolve(&h),
                    format!("target of the hook link {}", h.display()),
                )),
                Ok(_) => protect(
                    h.clone(),
                    format!(
                        "protected {} (a hook in a hooks directory that holds the repository)",
                        h.display()
                    ),
                    &mut mounts,
                ),
                Err(_) => {}
            }
        }
        // The global configuration files themselves (`$XDG_CONFIG_HOME`
        // or `GIT_CONFIG_GLOBAL` may lie anywhere).
        for c in git::global_config_files(&homes) {
            named_by_config.push((resolve(&c), "a global git configuration file".into()));
        }
        for inc in global.included() {
            named_by_config.push((
                inc.clone(),
                "included by the global git configuration".into(),
            ));
        }
        // Files the global configuration names as data (`core.excludesFile`,
        // `mailmap.file`, `core.attributesFile`, ...; git's own `ignore` and
        // `attributes` beside it): every later git command of the user reads
        // them, in every repository. Kept like the configuration itself.
        for d in global.data_files() {
            named_by_config.push((
                d.clone(),
                "read by the user's git, named by the global git configuration".into(),
            ));
        }
        // Programs and directories the global configuration names
        // (`core.pager`, `init.templateDir`, ...): the user's git runs or
        // copies them outside any sandbox. A directory holding a writable
        // tree is the project, not a tool (it would make the tree read-only).
        // What such a program loads from a writable tree, and what a
        // command line the helper cannot model runs, are not known: a gap
        // (see [`git::Named::gap`]).
        let tree_of = |p: &Path| -> Option<PathBuf> {
            if write_everywhere {
                return Some(PathBuf::from("/"));
            }
            writable.iter().find(|w| under(p, w)).cloned()
        };
        let held = |p: &Path| -> Option<PathBuf> { writable.iter().find(|w| under(w, p)).cloned() };
        for n in global.named() {
            let mut paths = n.paths.clone();
            // Files a command line the helper cannot model names: kept
            // too, though what else it runs is not known.
            paths.extend(
                n.mentioned
                    .iter()
                    .filter(|p| git::nofollow::lstat(p).is_ok_and(|m| m.is_file()))
                    .cloned(),
            );
            // What the caller's environment names says which variable.
            let why = if n.origin.is_empty() {
                "named by the global git configuration".to_string()
            } else {
                format!("named by {} in {}", n.entry, n.origin)
            };
            for p in paths {
                if !writable.iter().any(|w| w.starts_with(&p)) {
                    named_by_config.push((p, why.clone()));
                }
            }
            if let Some(g) = n.gap(&tree_of, &held, is_writable(&n.home)) {
                gaps.push(g);
            }
        }
        // What the configuration of the hidden stores includes and runs
        // (ssh's `Include`, `ProxyCommand`, `Match exec`; a kubeconfig's
        // `exec.command`; `credential_process`; gpg-agent's
        // `pinentry-program`): the user's next ssh, kubectl, aws or gpg
        // reads or runs it outside any sandbox. Kept read-only (a missing
        // included file: its directory locked) as git's includes are, and
        // judged as git's programs are.
        for (c, why) in &store_configs.configs {
            if !writable.iter().any(|w| w.starts_with(c)) {
                named_by_config.push((c.clone(), why.clone()));
            }
        }
        for n in &store_configs.named {
            let mut paths = n.paths.clone();
            paths.extend(
                n.mentioned
                    .iter()
                    .filter(|p| git::nofollow::lstat(p).is_ok_and(|m| m.is_file()))
                    .cloned(),
            );
            for p in paths {
                if !writable.iter().any(|w| w.starts_with(&p)) {
                    named_by_config.push((p, format!("named by {}", n.origin)));
                }
            }
            if let Some(g) = n.gap(&tree_of, &held, is_writable(&n.home)) {
                gaps.push(g);
            }
        }
        // What the configuration of other VCSs names (Mercurial's
        // `[extensions]` and `[hooks]`, the user's `~/.hgrc` and the
        // repositories' `.hg/hgrc`; darcs' hooks): judged as the programs
        // git's configuration names.
        {
            let mut vcs = crate::vcs::user_configs(&homes, |v| std::env::var_os(v));
            let repo = crate::vcs::repository_configs(&vcs_dirs, &homes);
            vcs.files.extend(repo.files);
            vcs.named.extend(repo.named);
            vcs.unknown.extend(repo.unknown);
            for (c, why) in &vcs.files {
                if !writable.iter().any(|w| w.starts_with(c)) {
                    named_by_config.push((resolve(c), why.clone()));
                }
            }
            for n in &vcs.named {
                let mut paths = n.paths.clone();
                paths.extend(
                    n.mentioned
                        .iter()
                        .filter(|p| git::nofollow::lstat(p).is_ok_and(|m| m.is_file()))
                        .cloned(),
                );
                for p in paths {
                    if !writable.iter().any(|w| w.starts_with(&p)) {
                        named_by_config.push((p, format!("named by {} in {}", n.entry, n.origin)));
                    }
                }
                if let Some(g) = n.gap(&tree_of, &held, is_writable(&n.home)) {
                    // The gap's words are git's; these programs are another VCS's.
                    gaps.push(
                        g.replace(
                            "the user's next git command",
                            "the user's next command of that VCS",
                        )
                        .replace("the user's git", "the user's VCS"),
                    );
                }
            }
            for e in &vcs.unknown {
                gaps.push(format!(
                    "the configuration of another VCS (Mercurial, Sapling, darcs) could not be read whole ({e}): the hooks and extensions it names are not protected; fix the file, or accept with --allow-degraded"
                ));
            }
        }
        // What the homes' start-up files source, run or put on a search
        // path (`. ~/proj/tools/aliases.sh`, `export
        // PATH="$HOME/proj/bin:$PATH"`, vim's `source`, tmux's
        // `source-file`): the user's next terminal runs it with no review.
        // Kept read-only where it lies in a writable tree (a missing one:
        // its directory locked). A writable tree itself on a search path,
        // and text the reader cannot resolve that could lead into a
        // writable tree, are gaps.
        for r in &store_configs.startup {
            match r {
                crate::storeconf::StartupRef::Path(p, at) => {
                    // The shell or editor opens it as the kernel does (`..`
                    // after the directory really reached), so it is judged
                    // where that leads, and its way is kept: the directory
                    // of each link on it and of each directory a `..`
                    // leaves is locked.
                    let mount_held = |d: &Path| is_hidden(d) || writable.iter().any(|w| w == d);
                    let (real, exists, dirs) = way_of_held(p, &mount_held);
                    let real = through_tree(&ids, &real);
                    if writable.contains(&real) {
                        gaps.push(format!(
                            "{at} names {}, a writable tree: the command can put there what the user's next shell runs; name a directory inside it, or accept with --allow-degraded",
                            p.display()
                        ));
                        continue;
                    }
                    if writable.iter().any(|w| w.starts_with(&real)) {
                        continue;
                    }
                    // A missing one is not kept by locking the deepest
                    // existing directory on its way (often the workspace's
                    // top, where every new file would then fail): the run
                    // may make it, and the sweep after the run moves aside
                    // whatever it left at that name or on the way to it.
                    let deepest = (!exists)
                        .then(|| {
                            real.ancestors()
                                .skip(1)
                                .find(|a| git::nofollow::lstat(a).is_ok())
                        })
                        .flatten()
                        .map(|d| through_tree(&ids, d))
                        .filter(|d| is_writable(d) && !is_hidden(d));
                    let (_, through) = walk_links(p);
                    let link_dirs: Vec<PathBuf> = through
                        .iter()
                        .filter_map(|l| l.parent().map(|d| through_tree(&ids, d)))
                        .collect();
                    for d in dirs.iter().map(|d| through_tree(&ids, d)) {
                        if deepest.as_ref() == Some(&d) && !link_dirs.contains(&d) {
                            continue;
                        }
                        if is_writable(&d) && !is_hidden(&d) {
                            locks.entry(d).or_default().push(at.clone());
                        }
                    }
                    match deepest {
                        Some(d) => path_made.push((d, real, at.clone())),
                        None => named_by_config.push((real, at.clone())),
                    }
                }
                crate::storeconf::StartupRef::Unknown(dir, at) => {
                    let could = dir.as_ref().is_none_or(|d| {
                        let d = resolve(d);
                        write_everywhere || writable.iter().any(|w| under(w, &d) || under(&d, w))
                    });
                    if could {
                        gaps.push(format!(
                            "{at}: what the user's next shell, editor or terminal reads there may lie in a writable tree, which the command can change; write the path out, or accept with --allow-degraded"
                        ));
                    }
                }
                // In `permissive` mode the program itself is writable, as
                // every `PATH` directory is: the writable-home limit, not a
                // gap (a `pyenv init` line would refuse every run).
                crate::storeconf::StartupRef::Output(_, _) if write_everywhere => {}
                crate::storeconf::StartupRef::Output(tree, at) => {
                    let d = resolve(tree);
                    if writable.iter().any(|w| under(w, &d) || under(&d, w)) {
                        gaps.push(format!(
                            "{at}: that program's install tree {} could lead into a writable tree, so the command can change what it prints and the user's next shell runs; install it elsewhere, or accept with --allow-degraded",
                            tree.display()
                        ));
                    }
                }
            }
        }
        magic_links.sort();
        magic_links.dedup();
        for l in &magic_links {
            gaps.push(format!(
                "{} is a link through /proc or /dev/fd on the way to what git reads or runs: it leads elsewhere in every process, so what git reaches through it is not known or protected; point it at a real path",
                l.display()
            ));
        }
        config_over.sort();
        config_over.dedup();
        for c in &config_over {
            gaps.push(format!(
                "{} was not followed to the end (unreadable, an include path that is not UTF-8, or more than the helper follows: {} include paths a repository, {} a run, {} MiB): what it includes beyond is not protected",
                c.display(),
                git::INCLUDES_PER_GIT_DIR,
                git::INCLUDES_PER_PASS,
                git::CONFIG_BYTES_PER_PASS >> 20
            ));
        }
        // The top level of a git dir stays writable (`index.lock`), and a
        // git dir is never made read-only whole.
        let git_top = |p: &Path| all_git_dirs.dirs.iter().any(|g| g == p);
        let holds_git_dir = |p: &Path| all_git_dirs.dirs.iter().any(|g| g.starts_with(p));
        watch.extend(named_by_config.iter().cloned());
        for (p, why) in named_by_config {
            if allowed.contains(&p) || is_hidden(&p) || holds_git_dir(&p) {
                continue;
            }
            if git::nofollow::lstat(&p).is_ok() {
                protect(
                    p.clone(),
                    format!("protected {} ({why})", p.display()),
                    &mut mounts,
                );
                continue;
            }
            let mut d = p.parent();
            while let Some(dir) = d {
                if git::nofollow::lstat(dir).is_ok_and(|m| m.is_dir()) {
                    if !is_writable(dir) || is_hidden(dir) {
                        break;
                    }
                    if !git_top(dir) {
                        locks
                            .entry(dir.to_path_buf())
                            .or_default()
                            .push(p.display().to_string());
                        break;
                    }
                    // It cannot be locked: the hooks directory is made
                    // empty (as `git init` makes `.git/hooks`) and bound
                    // read-only; a missing include target is left to the
                    // sweep.
                    if why.starts_with("hooks directory")
                        && p.strip_prefix(dir).is_ok_and(|rel| {
                            let mut cur = dir.to_path_buf();
                            rel.components().all(|c| {
                                cur.push(c);
                                let made = git::nofollow::mkdir(&cur).is_ok();
                                if made {
                                    made_dirs.push(cur.clone());
                                }
                                made
                            })
                        })
                    {
                        protect(
                            p.clone(),
                            format!("protected {} ({why}, made empty)", p.display()),
                            &mut mounts,
                        );
                    }
                    break;
                }
                d = dir.parent();
            }
        }
        // A read-only bind covers a name, not the file: a protected or
        // hidden file with another name (a hard link) in a writable tree
        // can be changed or read through that name. Where the other names
        // are is not searched: the run is partial.
        {
            use std::os::unix::fs::MetadataExt;
            let devices: Vec<u64> = writable
                .iter()
                .filter_map(|w| fs::metadata(w).ok().map(|m| m.dev()))
                .collect();
            watch.extend(
                mounts
                    .iter()
                    .filter(|m| {
                        matches!(
                            m.kind,
                            MountKind::ReadOnly | MountKind::HideFile | MountKind::Redacted
                        )
                    })
                    .map(|m| (m.path.clone(), m.why.clone())),
            );
            watch.sort();
            watch.dedup_by(|a, b| a.0 == b.0);
            // A hidden file can be read through a second name wherever that
            // name lies (the command reads everywhere), so for hidden entries
            // every file system counts; a read-only one can only be changed
            // through a name in a writable tree.
            let hidden: std::collections::HashSet<PathBuf> = mounts
                .iter()
                .filter(|m| {
                    matches!(
                        m.kind,
                        MountKind::HideDir | MountKind::HideFile | MountKind::Redacted
                    )
                })
                .map(|m| m.path.clone())
                .collect();
            for (p, why) in &watch {
                let Ok(md) = git::nofollow::lstat(p) else {
                    continue;
                };
                // A hidden file whose second name in a writable tree was
                // given its own copy before the run: its content is there.
                if md.is_file() && hidden.contains(p) && copied.contains(&(md.dev(), md.ino())) {
                    gaps.push(format!(
                        "{} ({why}) had a second name (hard link) in a writable tree, which holds a copy of it: the command can read it there; remove that copy",
                        p.display()
                    ));
                    continue;
                }
                if md.is_file()
                    && md.nlink() > 1
                    && (write_everywhere || devices.contains(&md.dev()) || hidden.contains(p))
                {
                    gaps.push(format!(
                        "{} ({why}) has {} names (hard links): a name in a writable tree would let the command change or read it; give it a single name (copy it over the link, or use a symbolic link)",
                        p.display(),
                        md.nlink()
                    ));
                }
            }
            // The same holds for every file below a directory that is bound
            // read-only or hidden: the bind covers the directory's names,
            // not a second name of a file in it elsewhere on its file system.
            // A file all of whose names lie in such directories (a
            // toolchain's `python3.7` and `python3.7m`) has none elsewhere:
            // its names are counted over every directory searched.
            let mut budget = HARD_LINK_WALK_LIMIT;
            let mut linked = LinkedNames::default();
            for m in mounts
                .iter()
                .filter(|m| matches!(m.kind, MountKind::ReadOnly | MountKind::HideDir))
            {
                let Ok(md) = git::nofollow::lstat(&m.path) else {
                    continue;
                };
                let is_hidden = m.kind == MountKind::HideDir;
                if !md.is_dir() || !(write_everywhere || devices.contains(&md.dev()) || is_hidden) {
                    continue;
                }
                match files_with_other_names(&m.path, &mut budget, &copied) {
                    Ok((found, unlisted, was_copied)) => {
                        if is_hidden {
                            for f in was_copied {
                                gaps.push(format!(
                                    "{} (in {}: {}) had a second name (hard link) in a writable tree, which holds a copy of it: the command can read it there; remove that copy",
                                    f.display(),
                                    m.path.display(),
                                    m.why
                                ));
                            }
                        }
                        for d in unlisted {
                            notes.push(format!(
                                "{} (below {}: {}) cannot be listed by this user, so its files were not checked for a second name (hard link); one that has one elsewhere can be read there if its own permissions allow",
                                d.display(),
                                m.path.display(),
                                m.why
                            ));
                        }
                        for f in found {
                            linked.add(f, is_hidden, &m.path, &m.why);
                        }
                    }
                    Err(e) => gaps.push(format!(
                        "{} ({}) could not be searched for files with a second name (hard link) in a writable tree: {e}",
                        m.path.display(),
                        m.why
                    )),
                }
            }
            for (f, n, dir, why) in linked.elsewhere() {
                gaps.push(format!(
                    "{} (in {}: {why}) has {n} names (hard links): a name in a writable tree would let the command change or read it; give it a single name (copy it over the link, or use a symbolic link)",
                    f.display(),
                    dir.display(),
                ));
            }
        }
        // A hidden file that a repository tracks is also a blob in its
        // object store, which the command can read: said, not hidden.
        {
            let mut indexes = crate::tracked::Indexes::default();
            for m in mounts
                .iter()
                .filter(|m| matches!(m.kind, MountKind::HideDir | MountKind::HideFile))
            {
                match indexes.tracked(&m.path) {
                    crate::tracked::Tracked::No => {}
                    crate::tracked::Tracked::Yes(repo) => notes.push(format!(
                        "{} ({}) is hidden, but the repository at {} tracks it: its committed or staged content is in that repository's object store, which the command can read (git show HEAD:PATH); remove it from the repository's history, or block the repository",
                        m.path.display(),
                        m.why,
                        repo.display()
                    )),
                    crate::tracked::Tracked::Unknown(repo, e) => notes.push(format!(
                        "{} ({}) is hidden, but whether the repository at {} tracks it is not known ({e}): if it does, its content is in that repository's object store, which the command can read",
                        m.path.display(),
                        m.why,
                        repo.display()
                    )),
                }
            }
        }
        let mut git_snapshot = git::snapshot(&all_git_dirs, &found.pointers, &homes);
        git_snapshot.merge(git::snapshot(&outer_gd, &[], &homes));
        git_snapshot.watch(&vcs_entries);
        path_made.sort();
        path_made.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        for (base, dir, what) in path_made {
            git_snapshot.watch_made(base, dir, what);
        }
        git_snapshot.set_walk(walk);
        git_snapshot.no_hidden = !fsp.allow_hidden_files;
        // Python's start-up modules in the directories the `.pth` files of
        // the caller's site directories put on `sys.path` (an editable
        // install's `src`): one the run makes or changes there would run
        // at every later start of that Python, so the sweep moves it
        // aside (see [`crate::pth`]).
        {
            let mut entries = Vec::new();
            for site in crate::pth::site_dirs(&homes, |v| std::env::var_os(v)) {
                let (dirs, modules) = crate::pth::read_site(&site, &home);
                for (named, _) in dirs {
                    let d = resolve_physical(&named);
                    if is_writable(&d) {
                        entries.extend(crate::pth::startup_entries(&d, &modules));
                        // Python reaches the directory through the links on
                        // its way: one re-pointed during the run would put
                        // another directory on `sys.path`.
                        entries.extend(git::links_on_the_way(&named));
                    }
                }
            }
            entries.sort();
            entries.dedup();
            git_snapshot.watch(&entries);
        }
        let git_refs = crate::refs::read_all(
            &all_git_dirs
                .dirs
                .iter()
                .chain(&outer_gd.dirs)
                .cloned()
                .collect::<Vec<_>>(),
        );

        // Locks, except where nothing can be created anyway.
        let covered = |p: &Path, mounts: &[MountOp]| {
            mounts.iter().any(|m| {
                matches!(
                    m.kind,
                    MountKind::ReadOnly | MountKind::HideDir | MountKind::HideFile
                ) && p.starts_with(&m.path)
            })
        };
        for (dir, names) in &locks {
            if covered(dir, &mounts) {
                continue;
            }
            let names = match names.len() {
                0..=3 => names.join(", "),
                n => format!("{} and {} more", names[..3].join(", "), n - 3),
            };
            notes.push(format!(
                "no new name can be made directly in {} while the command runs (for {}: missing, or reached through a link or `..` there); what it holds stays writable",
                dir.display(),
                names
            ));
            mounts.push(MountOp {
                path: dir.clone(),
                kind: MountKind::Lock,
                why: format!(
                    "no new names: for {names}: missing, or reached through a link or `..` here"
                ),
            });
        }
        // Every directory between a writable root and a hidden, protected
        // or pinned entry is kept in place too (a mount point cannot be
        // renamed or removed): otherwise `mv conf conf2` takes the entry
        // along, the next run finds nothing to hide at `conf/secret.txt`
        // and reads `conf2/secret.txt`. The writable roots are mount points
        // of the read-only view already; in `permissive` mode every
        // directory is writable, up to `/`.
        let occupied: BTreeSet<PathBuf> = mounts.iter().map(|m| m.path.clone()).collect();
        let mut pins: std::collections::BTreeMap<PathBuf, PathBuf> = Default::default();
        for m in mounts.iter().filter(|m| m.kind != MountKind::Writable) {
            let mut a = m.path.parent();
            while let Some(dir) = a {
                if dir.parent().is_none() || !is_writable(dir) {
                    break;
                }
                let root_mount = !write_everywhere && writable.iter().any(|w| w == dir);
                // The entries of a locked directory are bound by the lock.
                let locked = dir.parent().is_some_and(|p| locks.contains_key(p));
                if !root_mount && !locked && !occupied.contains(dir) {
                    pins.entry(dir.to_path_buf())
                        .or_insert_with(|| m.path.clone());
                }
                a = dir.parent();
            }
        }
        for (dir, entry) in pins {
            mounts.push(MountOp {
                path: dir,
                kind: MountKind::Pin,
                why: format!("keeps {} in place", entry.display()),
            });
        }

        // Parents first; on equal depth, hide before anything else so that
        // a hidden path is never exposed by a later bind.
        mounts.sort_by(|a, b| {
            let da = a.path.components().count();
            let db = b.path.components().count();
            da.cmp(&db).then(a.kind.cmp(&b.kind))
        });
        let mut seen = BTreeSet::new();
        mounts.retain(|m| seen.insert((m.path.clone(), m.kind)));
        // A locked directory is a mount point already.
        let locked: BTreeSet<PathBuf> = mounts
            .iter()
            .filter(|m| m.kind == MountKind::Lock)
            .map(|m| m.path.clone())
            .collect();
        mounts.retain(|m| !(m.kind == MountKind::Pin && locked.contains(&m.path)));
        // Nothing is mounted below a hidden directory: it cannot be reached.
        let hidden_dirs: Vec<PathBuf> = mounts
            .iter()
            .filter(|m| m.kind == MountKind::HideDir)
            .map(|m| m.path.clone())
            .collect();
        mounts.retain(|m| {
            !hidden_dirs
                .iter()
                .any(|h| m.path.starts_with(h) && m.path != *h)
        });

        // What the plan hides or protects in the writable trees, and every
        // directory on the way to it from its writable root: their modes
        // and ACLs now, so that what the run opens to other accounts
        // (read or search bits, an ACL) is taken back after it (see
        // [`crate::perms::restore_guarded`]).
        let mut guarded_paths: BTreeSet<PathBuf> = BTreeSet::new();
        for m in mounts.iter().filter(|m| m.kind != MountKind::Writable) {
            let mut a = Some(m.path.as_path());
            while let Some(p) = a {
                // Those above were recorded with `p`.
                if p.parent().is_none() || !is_writable(p) || !guarded_paths.insert(p.into()) {
                    break;
                }
                a = p.parent();
            }
        }
        let guarded = crate::perms::record_guarded(guarded_paths);

        let writable_ids = writable
            .iter()
            .map(|w| planned_identity(w))
            .collect::<io::Result<Vec<_>>>()?;
        let cwd_id = planned_identity(&cwd)?;
        Ok(Plan {
            workspace,
            home,
            homes,
            cwd,
            write_everywhere,
            writable,
            writable_ids,
            cwd_id,
            mounts,
            git_dirs,
            git_outer_dirs: enclosing.dirs,
            git_pointers: found.pointers.clone(),
            git_scan_roots: scan_roots,
            git_snapshot,
            git_refs,
            git_allowed: allowed
                .iter()
                .filter(|a| a.components().any(|c| c.as_os_str() == ".git"))
                .cloned()
                .collect(),
            gaps,
            notes,
            no_symlinks: !fsp.allow_symlinks,
            made_dirs,
            redacted,
            guarded,
        })
    }
}

/// Device and inode of `p` reached through no link (itself no link).
fn planned_identity(p: &Path) -> io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    match git::nofollow::lstat(p) {
        Ok(m) if !m.file_type().is_symlink() => Ok((m.dev(), m.ino())),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a symbolic link; it changed while the run was planned",
                p.display()
            ),
        )),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!(
                "{} cannot be reached without following a link ({e}); it changed while the run was planned",
                p.display()
            ),
        )),
    }
}

/// The symbolic links at any depth below the hidden directory `dir` and
/// what each leads to (resolved physically; links whose target is missing
/// are left out: there is nothing to hide), and whether the walk finished
/// within `budget` entries, which it lowers by the entries it saw.
#[cfg(test)]
pub(crate) fn hidden_link_targets(
    dir: &Path,
    budget: &mut usize,
) -> (Vec<(PathBuf, PathBuf)>, bool) {
    let (links, complete) = hidden_links(dir, budget);
    let targets = links
        .into_iter()
        .filter_map(|l| fs::canonicalize(&l).ok().map(|r| (l, r)))
        .collect();
    (targets, complete)
}

/// The symbolic links at any depth below the hidden directory `dir`,
/// whatever they lead to, and whether the walk finished within `budget`
/// entries, which it lowers by the entries it saw.
pub(crate) fn hidden_links(dir: &Path, budget: &mut usize) -> (Vec<PathBuf>, bool) {
    let mut links = Vec::new();
    let mut seen = 0;
    let complete = walk_bounded(&[dir.to_path_buf()], *budget, |p, ft, _| {
        seen += 1;
        if ft.is_symlink() {
            links.push(p.to_path_buf());
        }
        true
    });
    *budget = budget.saturating_sub(seen);
    (links, complete)
}

fn hide_kind(p: &Path) -> Option<MountKind> {
    let meta = fs::metadata(p).ok()?;
    Some(if meta.is_dir() {
        MountKind::HideDir
    } else {
        MountKind::HideFile
    })
}

/// The symbolic links below `root` that a home search judges, each by its
/// name below `root` (links on the way not followed in the name): the
/// entries of `root` (taken at `depth` 1, a home) and of the directories
/// entered, down to depth 3; at depth 1 only dot directories are entered
/// (`~/.config`, `~/.local`), a dot directory that is a link to a
/// directory too (`~/.config -> /data/config`), since a tool reads
/// `~/.config/tmux/tmux.conf` through it. `root` at `depth` 2 is searched
/// like a dot directory (`$XDG_CONFIG_HOME`). A directory is entered once
/// (by device and inode) and only where `enter(dir, through a link)` says
/// so (not a writable or hidden tree). At most `limit` entries; whether the walk finished.
pub(crate) fn home_links(
    root: &Path,
    depth: usize,
    limit: usize,
    enter: &dyn Fn(&Path, bool) -> bool,
) -> (Vec<PathBuf>, bool) {
    use std::os::unix::fs::MetadataExt;
    let mut found = Vec::new();
    let mut queue: std::collections::VecDeque<(PathBuf, PathBuf, usize)> =
        std::collections::VecDeque::from([(root.to_path_buf(), root.to_path_buf(), depth)]);
    let mut visited = BTreeSet::new();
    if let Ok(m) = fs::metadata(root) {
        visited.insert((m.dev(), m.ino()));
    }
    let mut budget = limit;
    while let Some((named, real_dir, depth)) = queue.pop_front() {
        let Ok(entries) = fs::read_dir(&real_dir) else {
            continue;
        };
        for e in entries.flatten() {
            if budget == 0 {
                return (found, false);
            }
            budget -= 1;
            let Ok(ft) = e.file_type() else { continue };
            let name = named.join(e.file_name());
            let here = e.path();
            let dot = depth > 1 || e.file_name().as_encoded_bytes().first() == Some(&b'.');
            let jumped = ft.is_symlink();
            if jumped {
                found_link(&here);
            }
            let into = if ft.is_symlink() && depth >= 3 {
                // Nothing is entered from here.
                found.push(name.clone());
                None
            } else if ft.is_symlink() {
                found.push(name.clone());
                // Not into the system's program directories, nor a
                // directory that holds the searched tree itself.
                canonical(&here).filter(|t| {
                    t.is_dir()
                        && !root.starts_with(t)
                        && !SYSTEM_PROGRAM_DIRS.iter().any(|d| t.starts_with(d))
                })
            } else if ft.is_dir() {
                Some(here)
            } else {
                None
            };
            let Some(dir) = into.filter(|_| depth < 3 && dot) else {
                continue;
            };
            if !enter(&dir, jumped) {
                continue;
            }
            let Ok(m) = fs::metadata(&dir) else { continue };
            if visited.insert((m.dev(), m.ino())) {
                queue.push_back((name, dir, depth + 1));
            }
        }
    }
    (found, true)
}

/// Breadth-first walk of the directories below `starts`, each directory
/// once, never through a symbolic link (`DirEntry::file_type` does not
/// follow them), at most `limit` entries. `visit(path, type, depth)` sees
/// each entry (`depth` 1 for the entries of a start) and answers whether to
/// enter it, when it is a directory. Returns whether the walk finished
/// within `limit`.
pub(crate) fn walk_bounded(
    starts: &[PathBuf],
    limit: usize,
    mut visit: impl FnMut(&Path, fs::FileType, usize) -> bool,
) -> bool {
    let mut queue: std::collections::VecDeque<(PathBuf, usize)> =
        starts.iter().map(|r| (r.clone(), 1)).collect();
    let mut visited = BTreeSet::new();
    let mut budget = limit;
    while let Some((dir, depth)) = queue.pop_front() {
        if !visited.insert(dir.clone()) {
            continue;
        }
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if budget == 0 {
                return false;
            }
            budget -= 1;
            let Ok(ft) = e.file_type() else { continue };
            let path = e.path();
            if visit(&path, ft, depth) && ft.is_dir() {
                queue.push_back((path, depth + 1));
            }
        }
    }
    true
}

/// Directory links followed on one way by the search for glob matches:
/// beyond them (a loop such as `up -> ..`, or a longer chain) the search
/// does not go on, and says so (a gap).
pub const GLOB_LINK_DEPTH: usize = 8;

/// What [`find_glob_matches`] found.
#[derive(Debug, Default)]
pub struct GlobMatches {
    /// `(physical path, how to hide it, rule)`, sorted, no duplicates.
    pub found: Vec<(PathBuf, MountKind, String)>,
    /// The search finished within its entry bound.
    pub complete: bool,
    /// What could not be covered (each a gap).
    pub gaps: Vec<String>,
}

/// Search below `roots` (and the roots themselves) for the entries a glob
/// entry of `blocked_paths` matches, judged by `guard` as a check judges a
/// path: by the path as named (through the links on its way) and by its
/// real path. A matching directory is hidden whole, so it is not entered.
/// Symbolic links are judged, never hidden themselves (a mount follows
/// them): a link whose name matches (`tls.pem -> ../elsewhere/server.key`)
/// has its target hidden, since a check refuses the read by the link's
/// path; a link to a directory (`certs -> ../elsewhere/certs`) is entered,
/// and what matches through it is hidden at its real path, at most
/// [`GLOB_LINK_DEPTH`] links deep on one way (deeper, a gap). A target
/// that holds a tree in `needed` (the workspace, the home, a writable
/// tree, `/`) cannot be hidden: a gap.
pub fn find_glob_matches(
    guard: &FilesystemGuard,
    roots: &[PathBuf],
    limit: usize,
    needed: &[&Path],
) -> GlobMatches {
    find_matches(
        roots,
        limit,
        needed,
        &|p| guard.blocked_glob_at(p).map(str::to_string),
        &|_| true,
    )
}

/// The rule `filesystem.allow_hidden_files: false` gives a path: a
/// component below one of `roots` that starts with a dot, other than
/// `.git` (git needs it; it has its own protection, see Git indirection).
pub fn hidden_name_at(roots: &[PathBuf], p: &Path) -> Option<String> {
    roots.iter().find_map(|r| {
        let rel = p.strip_prefix(r).ok()?;
        rel.components()
            .any(|c| {
                let n = c.as_os_str().as_encoded_bytes();
                n.first() == Some(&b'.') && n != b".git" && n != b"." && n != b".."
            })
            .then(|| "filesystem.allow_hidden_files: false".to_string())
    })
}

/// [`find_glob_matches`] with any rule: `judge` names the rule that
/// refuses a path (as named, or its real path), `enter` whether a
/// directory that matches none is searched.
pub fn find_matches(
    roots: &[PathBuf],
    limit: usize,
    needed: &[&Path],
    judge: &dyn Fn(&Path) -> Option<String>,
    enter: &dyn Fn(&Path) -> bool,
) -> GlobMatches {
    let mut out = GlobMatches {
        complete: true,
        ..GlobMatches::default()
    };
    let kind_of = |md: &fs::Metadata| {
        if md.is_dir() {
            MountKind::HideDir
        } else {
            MountKind::HideFile
        }
    };
    // Hide `real` (the real path of `named`) for `rule`, unless it holds
    // a tree the run needs.
    let cover = |out: &mut GlobMatches,
                 named: &Path,
                 real: &Path,
                 md: &fs::Metadata,
                 rule: &str| {
        if needed.iter().any(|n| n.starts_with(real)) {
            out.gaps.push(format!(
                "{} (matched by {rule}) leads to {}, which holds a tree the run needs: it cannot be hidden",
                named.display(),
                real.display()
            ));
        } else {
            out.found
                .push((real.to_path_buf(), kind_of(md), rule.to_string()));
        }
    };
    let mut queue: std::collections::VecDeque<(PathBuf, usize)> = std::collections::VecDeque::new();
    for r in roots {
        let Ok(md) = fs::symlink_metadata(r) else {
            continue;
        };
        if let Some(rule) = judge(r) {
            cover(&mut out, r, r, &md, &rule);
        } else if md.is_dir() {
            queue.push_back((r.clone(), 0));
        }
    }
    let mut visited = BTreeSet::new();
    let mut budget = limit;
    'walk: while let Some((dir, links)) = queue.pop_front() {
        if !visited.insert(dir.clone()) {
            continue;
        }
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if budget == 0 {
                out.complete = false;
                break 'walk;
            }
            budget -= 1;
            let Ok(ft) = e.file_type() else { continue };
            let path = e.path();
            if ft.is_symlink() {
                // Where it leads now; a dangling link hides nothing.
                let Ok(real) = fs::canonicalize(&path) else {
                    continue;
                };
                let Ok(md) = fs::metadata(&real) else {
                    continue;
                };
                if let Some(rule) = judge(&path).or_else(|| judge(&real)) {
                    cover(&mut out, &path, &real, &md, &rule);
                } else if md.is_dir() && enter(&path) {
                    if links >= GLOB_LINK_DEPTH {
                        out.gaps.push(format!(
                            "{} is a directory link more than {GLOB_LINK_DEPTH} links deep (a loop?): what it leads to is not searched for entries to hide",
                            path.display()
                        ));
                    } else {
                        queue.push_back((path, links + 1));
                    }
                }
                continue;
            }
            // Below a link, the real path differs from the path as named.
            let real = if links > 0 {
                match fs::canonicalize(&path) {
                    Ok(r) => r,
                    Err(_) => continue,
                }
            } else {
                path.clone()
            };
            let rule = judge(&path).or_else(|| (links > 0).then(|| judge(&real)).flatten());
            match rule {
                Some(rule) => match fs::symlink_metadata(&real) {
                    Ok(md) => cover(&mut out, &path, &real, &md, &rule),
                    Err(_) => continue,
                },
                None if ft.is_dir() && enter(&path) => queue.push_back((path, links)),
                None => {}
            }
        }
    }
    out.found.sort();
    out.found.dedup();
    out.gaps.sort();
    out.gaps.dedup();
    out
}

/// How many entries the search for hard-linked files below read-only and
/// hidden directories visits in all, before it gives up (a gap: the run
/// is refused unless degraded enforcement is accepted). A toolchain home
/// bound read-only (`~/.pyenv`, `~/.rustup`) holds over 100 000 entries;
/// the search costs about 2 µs an entry (docs/exec.md).
const HARD_LINK_WALK_LIMIT: usize = 1_000_000;

/// A file with more than one name found below a read-only or hidden
/// directory.
struct LinkedFile {
    path: PathBuf,
    dev: u64,
    ino: u64,
    nlink: u64,
}

/// The files with more than one name found below read-only and hidden
/// directories, by identity, with where each name was found.
#[derive(Default)]
struct LinkedNames {
    /// `(dev, ino)` → the file's link count and its names found: path,
    /// whether below a hidden directory, the directory searched and why it
    /// is bound.
    by_id: std::collections::BTreeMap<(u64, u64), (u64, Vec<FoundName>)>,
}

/// One name of a [`LinkedFile`]: its path, whether it lies below a hidden
/// directory, the directory searched and why that one is bound.
type FoundName = (PathBuf, bool, PathBuf, String);

impl LinkedNames {
    fn add(&mut self, f: LinkedFile, hidden: bool, dir: &Path, why: &str) {
        let e = self
            .by_id
            .entry((f.dev, f.ino))
            .or_insert((f.nlink, Vec::new()));
        // Directories bound one inside the other are searched twice: a
        // name counts once.
        if !e.1.iter().any(|(p, ..)| *p == f.path) {
            e.1.push((f.path, hidden, dir.to_path_buf(), why.to_string()));
        }
    }

    /// The names of files that have a name outside the directories
    /// searched: `(path, link count, directory searched, why)`. A hidden
    /// file's names must all lie below hidden directories (below one that
    /// is only read-only, it is readable); a read-only file's anywhere
    /// searched.
    fn elsewhere(self) -> Vec<(PathBuf, u64, PathBuf, String)> {
        let mut out = Vec::new();
        for (_, (nlink, names)) in self.by_id {
            let any_hidden = names.iter().any(|n| n.1);
            let kept = if any_hidden {
                names.iter().filter(|n| n.1).count()
            } else {
                names.len()
            };
            if (kept as u64) < nlink {
                out.extend(names.into_iter().map(|(p, _, d, w)| (p, nlink, d, w)));
            }
        }
        out.sort();
        out
    }
}

/// What [`files_with_other_names`] finds: files with more than one name,
/// directories it may not list, files given another copy before the run.
type LinkedSearch = (Vec<LinkedFile>, Vec<PathBuf>, Vec<PathBuf>);

/// The regular files below `dir` (not following links) with more than one
/// name, the directories this user may not list (their names are as
/// hidden from the command as from the helper), and the files that are
/// one of `copied` (given another copy in a writable tree before the
/// run, [`crate::shared`]); `Err` when the search
/// cannot finish (an error other than a refused listing, or more entries
/// than `budget` allows).
fn files_with_other_names(
    dir: &Path,
    budget: &mut usize,
    copied: &std::collections::HashSet<(u64, u64)>,
) -> Result<LinkedSearch, String> {
    use std::os::unix::fs::MetadataExt;
    let mut found = Vec::new();
    let mut unlisted = Vec::new();
    let mut was_copied = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                unlisted.push(d);
                continue;
            }
            Err(e) => return Err(format!("{}: {e}", d.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", d.display()))?;
            *budget = budget.checked_sub(1).ok_or_else(|| {
                format!("more than {HARD_LINK_WALK_LIMIT} entries below read-only and hidden directories")
            })?;
            // `DirEntry::file_type` comes from the listing; only files need
            // their link count (`DirEntry::metadata` does not follow a link).
            let ft = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            if ft.is_dir() {
                stack.push(entry.path());
            } else if ft.is_file() {
                let md = entry
                    .metadata()
                    .map_err(|e| format!("{}: {e}", entry.path().display()))?;
                if md.is_file() && copied.contains(&(md.dev(), md.ino())) {
                    was_copied.push(entry.path());
                }
                if md.is_file() && md.nlink() > 1 {
                    found.push(LinkedFile {
                        path: entry.path(),
                        dev: md.dev(),
                        ino: md.ino(),
                        nlink: md.nlink(),
                    });
                }
            }
        }
    }
    Ok((found, unlisted, was_copied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_stores_the_environment_names_are_found() {
        let env = |v: &str| -> Option<std::ffi::OsString> {
            match v {
                "KUBECONFIG" => Some("/a/kube:relative/kube:/b/kube".into()),
                "DOCKER_CONFIG" => Some("/d".into()),
                "GNUPGHOME" => Some("".into()),
                "PGPASSFILE" => Some("pgpass".into()),
                "AWS_SHARED_CREDENTIALS_FILE" => Some("/aws/creds".into()),
                _ => None,
            }
        };
        let found = credential_stores_of_environment(env);
        let want: Vec<(String, PathBuf)> = [
            ("AWS_SHARED_CREDENTIALS_FILE", "/aws/creds"),
            ("KUBECONFIG", "/a/kube"),
            ("KUBECONFIG", "/b/kube"),
            ("DOCKER_CONFIG", "/d/config.json"),
        ]
        .iter()
        .map(|(v, p)| (v.to_string(), PathBuf::from(p)))
        .collect();
        assert_eq!(found, want);
    }

    /// What a variable whose name says it is about a secret names is hidden
    /// like a store; a system file anyone reads, a device, a path that is
    /// not there, a relative one, a variable secret only by its family's
    /// prefix, and the variables judged on their own are left out.
    #[test]
    fn paths_that_secret_variables_name_are_found() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        // The user's own: not a file every account reads.
        fs::set_permissions(t.path(), fs::Permissions::from_mode(0o700)).unwrap();
        let key = t.path().join("age.txt");
        let sa = t.path().join("sa.json");
        fs::write(&key, "k").unwrap();
        fs::write(&sa, "k").unwrap();
        let list = format!("{}:relative:{}:/nonexistent/x", key.display(), sa.display());
        let vars: Vec<(std::ffi::OsString, std::ffi::OsString)> = [
            ("SOPS_AGE_KEY_FILE", key.to_str().unwrap()),
            ("MY_TOKEN_FILES", list.as_str()),
            ("SSL_CERT_FILE", "/etc/passwd"),
            ("GPG_TTY", "/dev/null"),
            ("HF_HOME", t.path().to_str().unwrap()),
            ("GOOGLE_APPLICATION_CREDENTIALS", sa.to_str().unwrap()),
            ("SSH_AUTH_SOCK", key.to_str().unwrap()),
            ("APP_SECRET_PATH", "relative/key"),
        ]
        .iter()
        .map(|(n, v)| (n.into(), v.into()))
        .collect();
        let found = secret_paths_of_environment(vars);
        let want: Vec<(String, PathBuf)> = vec![
            ("SOPS_AGE_KEY_FILE".into(), key.clone()),
            ("MY_TOKEN_FILES".into(), sa.clone()),
        ];
        assert_eq!(found, want);
        // A table variable is read by its own rule.
        let env = |v: &str| -> Option<std::ffi::OsString> {
            (v == "GOOGLE_APPLICATION_CREDENTIALS").then(|| sa.clone().into())
        };
        assert_eq!(
            credential_stores_of_environment(env),
            [("GOOGLE_APPLICATION_CREDENTIALS".to_string(), sa.clone())]
        );
    }

    /// The XDG base directories the user's tools load code from, beside
    /// `XDG_CONFIG_HOME`: the data home and each absolute entry of the
    /// system lists.
    #[test]
    fn xdg_bases_the_environment_names_are_found() {
        let env = |v: &str| -> Option<std::ffi::OsString> {
            match v {
                "XDG_DATA_HOME" => Some("/w/share".into()),
                "XDG_CONFIG_DIRS" => Some("".into()),
                "XDG_DATA_DIRS" => Some("/usr/share:rel/share:/w/data".into()),
                _ => None,
            }
        };
        let want: Vec<(&str, PathBuf)> = vec![
            ("$XDG_DATA_HOME", "/w/share".into()),
            ("$XDG_DATA_DIRS", "/usr/share".into()),
            ("$XDG_DATA_DIRS", "/w/data".into()),
        ];
        assert_eq!(xdg_bases_of_environment(env), want);
    }

    fn policy(mode: &str, allowed: &str, blocked: &str) -> Policy {
        Policy::from_json(&format!(
            r#"{{"version":"1.0","name":"t",
            "filesystem":{{"mode":"{mode}","allowed_paths":{allowed},"blocked_paths":{blocked},
              "allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false}},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},"limits":{{}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn remembered_resolution_gives_what_canonicalize_gives() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(base.join("a/b")).unwrap();
        fs::write(base.join("a/f"), "").unwrap();
        symlink("a", base.join("l")).unwrap();
        symlink(base.join("a/b"), base.join("a/abs")).unwrap();
        symlink("../l/b", base.join("a/up")).unwrap();
        symlink("loop", base.join("loop")).unwrap();
        symlink("missing", base.join("dangling")).unwrap();
        let paths = [
            "", "a", "a/b", "a/f", "a/f/x", "l", "l/b", "l/f", "a/abs", "a/up", "a/up/x", "loop",
            "loop/x", "dangling", "nope", "nope/x", "l/nope/x",
        ];
        let plain: Vec<_> = paths
            .iter()
            .map(|p| (fs::canonicalize(base.join(p)).ok(), resolve(&base.join(p))))
            .collect();
        let _remembered = Remembered::start();
        for round in 0..2 {
            for (p, want) in paths.iter().zip(&plain) {
                let p = base.join(p);
                assert_eq!(canonical(&p), want.0, "{p:?} round {round}");
                assert_eq!(resolve(&p), want.1, "{p:?} round {round}");
            }
        }
        // A directory the plan makes is seen.
        git::nofollow::mkdir(&base.join("nope")).unwrap();
        assert_eq!(canonical(&base.join("nope")), Some(base.join("nope")));
    }

    #[test]
    fn remembered_link_walks_give_what_fresh_ones_give() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(base.join("usr/lib/tool/bin")).unwrap();
        fs::create_dir_all(base.join("usr/bin")).unwrap();
        fs::create_dir_all(base.join("ws/target")).unwrap();
        fs::write(base.join("usr/lib/tool/bin/t"), "").unwrap();
        fs::write(base.join("ws/target/mine"), "").unwrap();
        symlink("usr/bin", base.join("bin")).unwrap();
        symlink("../lib/tool/bin/t", base.join("usr/bin/t")).unwrap();
        symlink(base.join("bin/t"), base.join("usr/bin/via-bin")).unwrap();
        symlink(base.join("ws/target/mine"), base.join("usr/bin/mine")).unwrap();
        symlink("../../ws/nope/x", base.join("usr/bin/dangling")).unwrap();
        symlink("loop", base.join("usr/bin/loop")).unwrap();
        let names = ["t", "via-bin", "mine", "dangling", "loop", "missing"];
        let ids = tree_ids(&[base.join("ws")]);
        let fresh: Vec<_> = names
            .iter()
            .map(|n| {
                let p = base.join("bin").join(n);
                let way = way_of(&p);
                let real = through_tree(&ids, &way.0);
                (
                    way,
                    walk_links(&p),
                    resolve_physical(&p),
                    real,
                    ids.identity(&p),
                )
            })
            .collect();
        let fresh_listing = home_links(&base.join("usr/bin"), 3, 100, &|_, _| false);
        let _remembered = Remembered::start();
        let ids = tree_ids(&[base.join("ws")]);
        // Links the listing shows are remembered as links without an lstat.
        assert_eq!(
            home_links(&base.join("usr/bin"), 3, 100, &|_, _| false),
            fresh_listing
        );
        for round in 0..2 {
            for (n, want) in names.iter().zip(&fresh) {
                let p = base.join("bin").join(n);
                let way = way_of(&p);
                let real = through_tree(&ids, &way.0);
                let got = (
                    way,
                    walk_links(&p),
                    resolve_physical(&p),
                    real,
                    ids.identity(&p),
                );
                assert_eq!(&got, want, "{n} round {round}");
            }
        }
        // The dangling link's target made (as the plan makes a `hooks`
        // directory): seen once what was found is forgotten.
        fs::create_dir_all(base.join("ws/nope")).unwrap();
        fs::write(base.join("ws/nope/x"), "").unwrap();
        forget_found();
        assert!(way_of(&base.join("bin/dangling")).1);
        // A file replaced under its name (the copy of a hard link before
        // the run) shows its new inode once what was found is forgotten.
        let f = base.join("usr/lib/tool/bin/t");
        let before = identity_of(&f).unwrap();
        fs::write(base.join("usr/lib/tool/bin/t.new"), "").unwrap();
        let keep = fs::File::open(&f).unwrap();
        fs::rename(base.join("usr/lib/tool/bin/t.new"), &f).unwrap();
        forget_found();
        let after = identity_of(&f).unwrap();
        assert_ne!(before, after);
        drop(keep);
    }

    #[test]
    fn links_walked_while_a_plan_is_built_lead_where_they_lead_without_it() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let bin = base.join("bin");
        fs::create_dir_all(bin.join("sub")).unwrap();
        fs::create_dir_all(base.join("alt")).unwrap();
        fs::write(bin.join("tool"), "").unwrap();
        fs::write(base.join("alt/real"), "").unwrap();
        let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, bin.join(at)).unwrap();
        link(Path::new("tool"), "a");
        link(Path::new("../lib/x"), "b");
        link(&bin.join("a"), "c");
        link(Path::new("l2"), "l1");
        link(Path::new("l1"), "l2");
        link(Path::new(".."), "up");
        link(&base.join("alt"), "alts");
        link(Path::new("alts/real"), "d");
        link(Path::new("sub/../tool"), "e");
        let paths: Vec<PathBuf> = [
            "bin/a",
            "bin/b",
            "bin/c",
            "bin/d",
            "bin/e",
            "bin/l1",
            "bin/tool",
            "bin/up/bin/a",
            "bin/up/alt/real",
            "bin/alts/real",
            "bin/alts/missing/x",
            "bin/sub/../a",
            "missing/x/y",
            "bin/l1/x",
        ]
        .iter()
        .map(|p| base.join(p))
        .collect();
        let walk = || -> Vec<_> {
            paths
                .iter()
                .map(|p| (walk_links_left(p), way_of(p)))
                .collect()
        };
        let outside = walk();
        assert_eq!(outside[0].0 .0, bin.join("tool"));
        assert_eq!(outside[3].0 .0, base.join("alt/real"));
        assert_eq!(outside[5].0 .1.last(), Some(&bin.join("l1")));
        let _remembered = Remembered::start();
        // The listing remembers the links it shows.
        let (found, complete) = home_links(&bin, 3, 100, &|_, _| false);
        assert!(complete);
        assert_eq!(found.len(), 9);
        // Each directory's walk remembered, then reused: the same answers.
        assert_eq!(walk(), outside);
        assert_eq!(walk(), outside);
    }

    #[test]
    fn resolve_appends_missing_parts_lexically() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir(base.join("a")).unwrap();
        std::os::unix::fs::symlink(base.join("a"), base.join("link")).unwrap();
        assert_eq!(resolve(&base.join("link/x/../y")), base.join("a/y"));
        assert_eq!(resolve(&base.join("missing/../a")), base.join("a"));
    }

    #[test]
    fn physical_resolution_takes_dot_dot_after_the_link_as_the_kernel_does() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(base.join("dotfiles/sub")).unwrap();
        fs::create_dir_all(base.join("dotfiles/git")).unwrap();
        fs::write(base.join("dotfiles/extra"), "x").unwrap();
        std::os::unix::fs::symlink("dotfiles/sub", base.join("conf")).unwrap();
        fs::create_dir(base.join(".config")).unwrap();
        std::os::unix::fs::symlink("../dotfiles/git", base.join(".config/git")).unwrap();
        std::os::unix::fs::symlink("loop", base.join("loop")).unwrap();
        for (rel, want) in [
            ("conf/../extra", "dotfiles/extra"),
            (".config/git/../extra", "dotfiles/extra"),
            (".config/git/../missing/x", "dotfiles/missing/x"),
            ("conf/missing/../y", "dotfiles/sub/y"),
            ("dotfiles/sub/../extra", "dotfiles/extra"),
        ] {
            let p = base.join(rel);
            assert_eq!(resolve_physical(&p), base.join(want), "{rel}");
            // What the kernel opens, where it exists.
            if let Ok(c) = fs::canonicalize(&p) {
                assert_eq!(resolve_physical(&p), c, "{rel}");
            }
        }
        // The lexical reading differs: that is the policy's.
        assert_eq!(resolve(&base.join("conf/../extra")), base.join("extra"));
        // A loop ends.
        let _ = resolve_physical(&base.join("loop/x"));
    }

    #[test]
    fn resolving_below_a_resolved_base_agrees_with_full_resolution() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(base.join("a/b")).unwrap();
        std::os::unix::fs::symlink(base.join("a"), base.join("link")).unwrap();
        std::os::unix::fs::symlink("/", base.join("a/root")).unwrap();
        for rel in [
            "a",
            "a/b",
            "a/b/missing/x",
            "link",
            "link/b",
            "link/missing",
            "a/root/tmp",
            "missing",
            "missing/y",
            "./a",
            "a/../link/b",
            "a/b/..",
        ] {
            assert_eq!(
                resolve_below(&base, Path::new(rel)),
                resolve(&base.join(rel)),
                "{rel}"
            );
        }
    }

    #[test]
    fn entries_expand_home_and_workspace() {
        let ws = Path::new("/nonexistent-ws");
        let home = Path::new("/nonexistent-home");
        assert_eq!(
            resolve_entry("~/.ssh", ws, home),
            PathBuf::from("/nonexistent-home/.ssh")
        );
        assert_eq!(
            resolve_entry("./", ws, home),
            PathBuf::from("/nonexistent-ws")
        );
        assert_eq!(
            resolve_entry("sub/../x", ws, home),
            PathBuf::from("/nonexistent-ws/x")
        );
        assert!(is_glob("**/*.pem"));
        assert!(!is_glob("~/.ssh"));
    }

    #[test]
    fn plan_hides_blocked_pins_git_and_protects_home() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        fs::create_dir_all(ws.join(".git/hooks")).unwrap();
        fs::write(ws.join(".git/config"), "").unwrap();
        fs::create_dir_all(ws.join("vendor/lib/.git")).unwrap();
        fs::create_dir_all(home.join(".ssh")).unwrap();
        fs::write(home.join(".bashrc"), "").unwrap();
        fs::write(ws.join("secret.txt"), "s").unwrap();
        let p = policy(
            "workspace",
            r#"["./"]"#,
            r#"["~/.ssh", "./secret.txt", "**/*.pem"]"#,
        );
        let plan = Plan::build(&PlanInput {
            policy: &p,
            workspace: &ws,
            home: &home,
            other_homes: &[],
            xdg_config_home: None,
            credential_env: &[],
            path_entries: &[],
            path_relative: false,
            cwd: None,
            ssh_auth_sock: None,
        })
        .unwrap();
        assert_eq!(plan.writable, vec![ws.clone()]);
        let has =
            |path: PathBuf, kind| plan.mounts.iter().any(|m| m.path == path && m.kind == kind);
        assert!(has(home.join(".ssh"), MountKind::HideDir));
        assert!(has(ws.join("secret.txt"), MountKind::HideFile));
        assert!(has(ws.join(".git"), MountKind::Pin));
        assert!(has(ws.join(".git/hooks"), MountKind::ReadOnly));
        assert!(has(ws.join(".git/config"), MountKind::ReadOnly));
        // The nested repository had no hooks directory: it was created and pinned.
        assert!(ws.join("vendor/lib/.git/hooks").is_dir());
        assert!(has(ws.join("vendor/lib/.git/hooks"), MountKind::ReadOnly));
        // ~/.bashrc is outside every writable tree: Landlock already refuses writes.
        assert!(!plan.mounts.iter().any(|m| m.path == home.join(".bashrc")));
        assert_eq!(plan.gaps.len(), 1, "{:?}", plan.gaps);
        // Parents come before children.
        let pos = |path: PathBuf| plan.mounts.iter().position(|m| m.path == path).unwrap();
        assert!(pos(ws.join(".git")) < pos(ws.join(".git/hooks")));
    }

    #[test]
    fn glob_entries_hide_what_they_match_when_the_command_starts() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        for f in [
            "keys/server.pem",
            "src/main.rs",
            "conf/prod/token",
            "conf/prod/other",
            "conf/token",
            "deep/a/b/c/d/x.pem",
            "secrets-dir/inner.pem",
        ] {
            fs::create_dir_all(ws.join(f).parent().unwrap()).unwrap();
            fs::write(ws.join(f), "s").unwrap();
        }
        fs::create_dir_all(&home).unwrap();
        std::os::unix::fs::symlink(ws.join("src/main.rs"), ws.join("link.pem")).unwrap();
        let build = |blocked: &str| {
            let p = policy("workspace", r#"["./"]"#, blocked);
            Plan::build(&PlanInput {
                policy: &p,
                workspace: &ws,
                home: &home,
                other_homes: &[],
                xdg_config_home: None,
                credential_env: &[],
                path_entries: &[],
                path_relative: false,
                cwd: None,
                ssh_auth_sock: None,
            })
            .unwrap()
        };
        let plan = build(r#"["~/.ssh", "*.pem", "./conf/*/token", "./secret*"]"#);
        let kind_of = |rel: &str| {
            plan.mounts
                .iter()
                .find(|m| m.path == ws.join(rel))
                .map(|m| m.kind)
        };
        assert_eq!(kind_of("keys/server.pem"), Some(MountKind::HideFile));
        assert_eq!(kind_of("deep/a/b/c/d/x.pem"), Some(MountKind::HideFile));
        assert_eq!(kind_of("conf/prod/token"), Some(MountKind::HideFile));
        assert_eq!(kind_of("secrets-dir"), Some(MountKind::HideDir));
        // Inside a hidden directory nothing more is mounted; a link is not
        // covered itself, but a check refuses a read by its name, so what
        // it leads to is hidden; other files stay as they are.
        assert_eq!(kind_of("src/main.rs"), Some(MountKind::HideFile));
        for rel in [
            "secrets-dir/inner.pem",
            "link.pem",
            "conf/prod/other",
            "conf/token",
        ] {
            assert_eq!(kind_of(rel), None, "{rel}");
        }
        let why = &plan
            .mounts
            .iter()
            .find(|m| m.path == ws.join("conf/prod/token"))
            .unwrap()
            .why;
        assert_eq!(why, "filesystem.blocked_paths[2]: ./conf/*/token");
        // `*.pem` matches anywhere: outside the trees of the run only the
        // checks refuse its matches, so the mounts are partial.
        assert_eq!(plan.gaps.len(), 1, "{:?}", plan.gaps);
        assert!(plan.gaps[0].contains("*.pem"), "{:?}", plan.gaps);
        // Anchored globs are searched where they point: nothing is left out.
        let plan = build(r#"["./conf/*/token", "./secret*"]"#);
        assert!(plan.gaps.is_empty(), "{:?}", plan.gaps);
        assert_eq!(
            plan.mounts
                .iter()
                .filter(|m| m.kind == MountKind::HideFile)
                .count(),
            1
        );
    }

    #[test]
    fn glob_entries_hide_what_they_match_through_links_at_the_real_path() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        let elsewhere = base.join("elsewhere");
        for f in [
            "elsewhere/certs/server.pem",
            "elsewhere/certs/readme.txt",
            "elsewhere/server.key",
            "ws/keys/client.pem",
            "ws/src/main.rs",
        ] {
            fs::create_dir_all(base.join(f).parent().unwrap()).unwrap();
            fs::write(base.join(f), "s").unwrap();
        }
        fs::create_dir_all(&home).unwrap();
        let link = |to: &str, at: &str| std::os::unix::fs::symlink(to, ws.join(at)).unwrap();
        link("../elsewhere/certs", "certs");
        link("../elsewhere/server.key", "tls.pem");
        link(".", "loop");
        link("..", "up.pem");
        let p = policy("workspace", r#"["./"]"#, r#"["./**/*.pem"]"#);
        let plan = Plan::build(&PlanInput {
            policy: &p,
            workspace: &ws,
            home: &home,
            other_homes: &[],
            xdg_config_home: None,
            credential_env: &[],
            path_entries: &[],
            path_relative: false,
            cwd: None,
            ssh_auth_sock: None,
        })
        .unwrap();
        let hidden = |p: &Path| {
            plan.mounts
                .iter()
                .any(|m| m.path == p && m.kind == MountKind::HideFile)
        };
        // Through a directory link below the literal part: by its real path.
        assert!(
            hidden(&elsewhere.join("certs/server.pem")),
            "{:?}",
            plan.mounts
        );
        assert!(!hidden(&elsewhere.join("certs/readme.txt")));
        // A link whose name matches: its target.
        assert!(hidden(&elsewhere.join("server.key")));
        assert!(hidden(&ws.join("keys/client.pem")));
        assert!(!hidden(&ws.join("src/main.rs")));
        // A link leading to a place that holds the workspace cannot be
        // hidden, and a loop is followed only so far: both gaps.
        assert!(
            plan.gaps
                .iter()
                .any(|g| g.contains("up.pem") && g.contains("holds a tree the run needs")),
            "{:?}",
            plan.gaps
        );
        assert!(
            plan.gaps.iter().any(|g| g.contains("links deep")),
            "{:?}",
            plan.gaps
        );
    }

    #[test]
    fn the_git_search_enters_every_directory_and_says_when_it_stops() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        let deep = ws.join("a/b/c/d/e/f/g/h/i/j");
        for d in [
            ws.join(".git"),
            ws.join("vendor/lib/.git"),
            deep.join(".git"),
            ws.join("node_modules/pkg/.git"),
            ws.join("target/x/.git"),
            ws.join("outside/repo/.git"),
        ] {
            fs::create_dir_all(d).unwrap();
        }
        // A link is not entered: what it leads to is not in the tree.
        std::os::unix::fs::symlink(ws.join("outside"), ws.join("linked")).unwrap();
        let found = git::find(
            std::slice::from_ref(&ws),
            GIT_SCAN_LIMIT,
            GIT_SCAN_MAX_DEPTH,
        );
        assert!(found.complete);
        assert_eq!(
            found.dirs,
            vec![
                ws.join(".git"),
                deep.join(".git"),
                ws.join("node_modules/pkg/.git"),
                ws.join("outside/repo/.git"),
                ws.join("target/x/.git"),
                ws.join("vendor/lib/.git"),
            ]
        );
        // The entry budget and the depth bound end the search, and say so.
        assert!(!git::find(std::slice::from_ref(&ws), 5, GIT_SCAN_MAX_DEPTH).complete);
        assert!(!git::find(&[ws], GIT_SCAN_LIMIT, 4).complete);
    }

    fn build(p: &Policy, ws: &Path, home: &Path) -> Plan {
        Plan::build(&PlanInput {
            policy: p,
            workspace: ws,
            home,
            other_homes: &[],
            xdg_config_home: None,
            credential_env: &[],
            path_entries: &[],
            path_relative: false,
            cwd: None,
            ssh_auth_sock: None,
        })
        .unwrap()
    }

    #[test]
    fn entries_reached_through_a_link_in_a_writable_tree_are_not_granted() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let (ws, home, out, shared) = (
            base.join("ws"),
            base.join("home"),
            base.join("out"),
            base.join("shared"),
        );
        for d in [&ws, &home, &out, &shared] {
            fs::create_dir_all(d).unwrap();
        }
        std::os::unix::fs::symlink(&out, ws.join("build")).unwrap();
        std::os::unix::fs::symlink(&shared, base.join("alias")).unwrap();
        let p = policy(
            "workspace",
            &format!(r#"["./", "./build", "{}"]"#, base.join("alias").display()),
            "[]",
        );
        let plan = build(&p, &ws, &home);
        // The link in the workspace is not followed; the one beside it is.
        assert_eq!(plan.writable, vec![shared.clone(), ws.clone()]);
        assert!(
            plan.notes.iter().any(|n| n.contains("symbolic link")),
            "{:?}",
            plan.notes
        );
        assert_eq!(
            walk_links(&ws.join("build/x")),
            (out.join("x"), vec![ws.join("build")])
        );
    }

    #[test]
    fn missing_protected_entries_lock_their_directory_only_when_writable() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let (ws, home) = (base.join("ws"), base.join("home"));
        fs::create_dir_all(&ws).unwrap();
        fs::create_dir_all(home.join(".config/app")).unwrap();
        fs::create_dir_all(home.join("proj/deep")).unwrap();
        fs::write(home.join(".profile"), "").unwrap();
        let p = policy("workspace", r#"["./"]"#, r#"["~/.ssh", "~/proj/deep/key"]"#);
        fs::write(home.join("proj/deep/key"), "").unwrap();
        // Home outside every writable tree: nothing more than before.
        let plan = build(&p, &ws, &home);
        assert!(
            plan.mounts
                .iter()
                .all(|m| matches!(m.kind, MountKind::HideDir | MountKind::HideFile)),
            "{:?}",
            plan.mounts
        );
        // Home is the workspace: home and ~/.config are locked (entries of
        // both are missing), ~/.profile is read-only, the directories on
        // the way to the hidden key are pinned.
        let plan = build(&p, &home, &home);
        let kinds = |path: PathBuf| -> Vec<MountKind> {
            plan.mounts
                .iter()
                .filter(|m| m.path == path)
                .map(|m| m.kind)
                .collect()
        };
        assert_eq!(kinds(home.clone()), vec![MountKind::Lock]);
        assert_eq!(kinds(home.join(".config")), vec![MountKind::Lock]);
        assert_eq!(kinds(home.join(".profile")), vec![MountKind::ReadOnly]);
        assert_eq!(kinds(home.join("proj/deep/key")), vec![MountKind::HideFile]);
        assert_eq!(kinds(home.join("proj/deep")), vec![MountKind::Pin]);
        // An entry of the locked home is bound by the lock itself.
        assert_eq!(kinds(home.join("proj")), vec![]);
        // An allowed_paths entry naming a missing entry lets it be made.
        let names = ["~/.bashrc", "~/.config/fish"];
        let p = policy("workspace", r#"["./", "~/.bashrc"]"#, "[]");
        let plan = build(&p, &home, &home);
        let why = &plan.mounts.iter().find(|m| m.path == home).unwrap().why;
        assert!(
            !why.contains(names[0]) && why.contains("~/.bash_profile"),
            "{why}"
        );
        assert!(plan
            .mounts
            .iter()
            .any(|m| m.path == home.join(".config") && m.why.contains(names[1])));
    }

    #[test]
    fn a_start_up_file_leading_into_a_writable_tree_is_a_gap_unless_home_is_writable() {
        let ws = vec![PathBuf::from("/h/dotfiles")];
        let real = Path::new("/h/dotfiles/bashrc");
        let gap = startup_gap("~/.bashrc", real, &ws, false, ".bashrc").unwrap();
        assert!(
            gap.contains("~/.bashrc") && gap.contains("/h/dotfiles"),
            "{gap}"
        );
        // A writable home is the known limit; the git configuration is
        // read and judged itself; a file outside the trees is no gap.
        assert_eq!(startup_gap("~/.bashrc", real, &ws, true, ".bashrc"), None);
        assert_eq!(
            startup_gap(
                "~/.gitconfig",
                Path::new("/h/dotfiles/gitconfig"),
                &ws,
                false,
                ".gitconfig"
            ),
            None
        );
        assert_eq!(
            startup_gap("~/.bashrc", Path::new("/h/.bashrc"), &ws, false, ".bashrc"),
            None
        );
        assert!(startup_gap(
            "~/.config/fish",
            Path::new("/h/dotfiles/fish"),
            &ws,
            false,
            ".config/fish"
        )
        .is_some());
    }

    #[test]
    fn links_below_a_hidden_directory_are_found_at_any_depth_within_the_bound() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let dir = base.join("ssh");
        fs::create_dir_all(dir.join("keys/work")).unwrap();
        fs::write(base.join("secret"), "x").unwrap();
        symlink(base.join("secret"), dir.join("keys/work/id")).unwrap();
        symlink("../missing", dir.join("dangling")).unwrap();
        let mut budget = 100;
        let (targets, complete) = hidden_link_targets(&dir, &mut budget);
        assert!(complete);
        // keys, keys/work, keys/work/id, dangling
        assert_eq!(budget, 100 - 4);
        assert_eq!(
            targets,
            vec![(dir.join("keys/work/id"), base.join("secret"))]
        );
        let (_, complete) = hidden_link_targets(&dir, &mut 2);
        assert!(!complete);
    }

    #[test]
    fn what_links_in_a_hidden_directory_lead_to_is_hidden_or_a_gap() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        fs::create_dir_all(ws.join("private")).unwrap();
        fs::create_dir_all(home.join(".ssh")).unwrap();
        fs::write(ws.join("private/id_work"), "k").unwrap();
        symlink(ws.join("private/id_work"), home.join(".ssh/id_work")).unwrap();
        let plan = build(
            &policy("workspace", r#"["./"]"#, r#"["~/.ssh"]"#),
            &ws,
            &home,
        );
        assert!(
            plan.mounts
                .iter()
                .any(|m| m.path == ws.join("private/id_work") && m.kind == MountKind::HideFile),
            "{:?}",
            plan.mounts
        );
        assert!(plan.gaps.is_empty(), "{:?}", plan.gaps);
        // A program of the system (a virtualenv in a store) stays.
        symlink("/bin/sh", home.join(".ssh/python")).unwrap();
        let plan = build(
            &policy("workspace", r#"["./"]"#, r#"["~/.ssh"]"#),
            &ws,
            &home,
        );
        assert!(
            !plan
                .mounts
                .iter()
                .any(|m| m.path.starts_with("/usr") || m.path.starts_with("/bin")),
            "{:?}",
            plan.mounts
        );
        // A link to a directory holding the workspace cannot be followed by
        // a hide: a gap.
        symlink(&base, home.join(".ssh/all")).unwrap();
        let plan = build(
            &policy("workspace", r#"["./"]"#, r#"["~/.ssh"]"#),
            &ws,
            &home,
        );
        assert!(
            plan.gaps.iter().any(|g| g.contains(".ssh/all")),
            "{:?}",
            plan.gaps
        );
        assert!(!plan.mounts.iter().any(|m| m.path == base));
    }

    #[test]
    fn home_links_into_a_writable_tree_are_a_gap_and_kept_read_only() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        fs::create_dir_all(ws.join("bin")).unwrap();
        fs::create_dir_all(home.join(".cargo")).unwrap();
        fs::create_dir_all(home.join(".local/share/app")).unwrap();
        fs::create_dir_all(home.join("src")).unwrap();
        for f in ["mavenrc", "cargo.toml", "deep", "proj", "gitconfig"] {
            fs::write(ws.join(f), "x").unwrap();
        }
        let p = policy("workspace", r#"["./"]"#, "[]");
        // Links that lead nowhere writable: full.
        symlink("/bin/sh", home.join(".mavenrc")).unwrap();
        assert!(build(&p, &ws, &home).gaps.is_empty());
        fs::remove_file(home.join(".mavenrc")).unwrap();
        symlink(ws.join("mavenrc"), home.join(".mavenrc")).unwrap();
        symlink(ws.join("cargo.toml"), home.join(".cargo/config.toml")).unwrap();
        symlink(ws.join("bin"), home.join("bin")).unwrap();
        symlink(&ws, home.join("work")).unwrap();
        // Beyond the bound: three levels into a dot directory, a level into
        // a directory that is not a dot directory; judged elsewhere: git's
        // configuration.
        symlink(ws.join("deep"), home.join(".local/share/app/deep")).unwrap();
        symlink(ws.join("proj"), home.join("src/proj")).unwrap();
        symlink(ws.join("gitconfig"), home.join(".gitconfig")).unwrap();
        let plan = build(&p, &ws, &home);
        for name in ["~/.mavenrc", "~/.cargo/config.toml", "~/bin", "~/work"] {
            assert!(
                plan.gaps
                    .iter()
                    .any(|g| g.starts_with(&format!("{name} leads to"))),
                "{name}: {:?}",
                plan.gaps
            );
        }
        for name in ["deep", "src/proj", ".gitconfig"] {
            assert!(
                !plan
                    .gaps
                    .iter()
                    .any(|g| g.contains(&format!("{name} leads to"))),
                "{name}: {:?}",
                plan.gaps
            );
        }
        for target in ["mavenrc", "cargo.toml", "bin"] {
            assert!(
                plan.mounts
                    .iter()
                    .any(|m| m.path == ws.join(target) && m.kind == MountKind::ReadOnly),
                "{target}: {:?}",
                plan.mounts
            );
        }
        // The link to the workspace itself does not make it read-only.
        assert!(!plan
            .mounts
            .iter()
            .any(|m| m.path == ws && m.kind == MountKind::ReadOnly));
        // A writable home is the known limit, not a gap.
        let p = policy("workspace", r#"["./", "~"]"#, "[]");
        let plan = build(&p, &ws, &home);
        assert!(
            !plan.gaps.iter().any(|g| g.contains("~/.mavenrc")),
            "{:?}",
            plan.gaps
        );
    }

    #[test]
    fn the_way_of_a_link_names_the_directories_that_keep_it() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let (ws, out) = (base.join("ws"), base.join("out"));
        fs::create_dir_all(ws.join("sub")).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("f"), "x").unwrap();
        symlink(&out, ws.join("sub/current")).unwrap();
        symlink(ws.join("sub/current/f"), base.join("l")).unwrap();
        let (real, exists, dirs) = way_of(&base.join("l"));
        assert_eq!((real, exists), (out.join("f"), true));
        assert_eq!(dirs, vec![base.clone(), ws.join("sub")]);
        // A missing target: the deepest existing directory on its way.
        symlink(ws.join("sub/new/f"), base.join("m")).unwrap();
        let (real, exists, dirs) = way_of(&base.join("m"));
        assert_eq!((real, exists), (ws.join("sub/new/f"), false));
        assert_eq!(dirs, vec![base.clone(), ws.join("sub")]);
        // Identity: a path in a tree is named through it; others as given.
        let ids = tree_ids(std::slice::from_ref(&ws));
        assert_eq!(through_tree(&ids, &ws.join("sub/x")), ws.join("sub/x"));
        assert_eq!(through_tree(&ids, &out.join("f")), out.join("f"));
    }

    /// `..` in a path is taken as the kernel takes it, after the component
    /// before it is resolved, and the directory holding what a `..` leaves
    /// is among the directories that keep the way (exec23b F1).
    #[test]
    fn the_way_of_a_path_with_dot_dot_is_physical_and_keeps_what_it_leaves() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(dir.path()).unwrap().join("ws");
        fs::create_dir_all(ws.join("tools")).unwrap();
        fs::create_dir_all(ws.join("a/b")).unwrap();
        fs::create_dir_all(ws.join("node_modules/.bin")).unwrap();
        symlink("a/b", ws.join("link")).unwrap();
        // A plain directory before `..`: its parent keeps it in place.
        let (real, exists, dirs) = way_of(&ws.join("tools/../node_modules/.bin"));
        assert_eq!((real, exists), (ws.join("node_modules/.bin"), true));
        assert_eq!(dirs, vec![ws.clone()]);
        // Leaving the tree: the same.
        let (real, _, dirs) = way_of(&ws.join("tools/../../bin"));
        assert_eq!(real, ws.parent().unwrap().join("bin"));
        assert!(dirs.contains(&ws), "{dirs:?}");
        // Through a link: `..` leaves where the link leads (`ws/a/b`,
        // then `ws/a`), not the link's directory.
        let (real, exists, dirs) = way_of(&ws.join("link/../../bin"));
        assert_eq!((real, exists), (ws.join("bin"), false));
        assert_eq!(dirs, vec![ws.clone(), ws.join("a")]);
        assert_eq!(walk_links(&ws.join("link/../x")).0, ws.join("a/x"));
        // A missing component before `..` could be made: its parent too.
        let (real, _, dirs) = way_of(&ws.join("tools/new/../../node_modules"));
        assert_eq!(real, ws.join("node_modules"));
        assert_eq!(dirs, vec![ws.clone(), ws.join("tools")]);
    }

    #[test]
    fn second_mounts_of_a_writable_tree_are_found_in_the_mount_table() {
        let table = b"22 1 8:1 / / rw - ext4 /dev/sda1 rw
30 22 8:1 /srv/ws /home/u/ws rw - ext4 /dev/sda1 rw
31 22 8:1 /srv/ws/sub /mnt/sub\\040dir rw - ext4 /dev/sda1 rw
32 22 8:1 /srv/ws /alt rw - ext4 /dev/sda1 rw
33 22 8:1 /srv/other /mnt/other rw - ext4 /dev/sda1 rw
34 22 0:5 /srv/ws /mnt/tmp rw - tmpfs tmpfs rw
";
        let aliases = mount_aliases(table, &[PathBuf::from("/home/u/ws")]);
        assert_eq!(
            aliases,
            vec![
                (
                    PathBuf::from("/mnt/sub dir"),
                    PathBuf::from("/home/u/ws/sub")
                ),
                (PathBuf::from("/alt"), PathBuf::from("/home/u/ws")),
            ]
        );
        let trees = Trees {
            ids: vec![(PathBuf::from("/home/u/ws"), (0, 0))],
            aliases,
            ..Trees::default()
        };
        assert_eq!(
            through_tree(&trees, Path::new("/mnt/sub dir/x/y")),
            PathBuf::from("/home/u/ws/sub/x/y")
        );
        assert_eq!(
            through_tree(&trees, Path::new("/alt/bashrc")),
            PathBuf::from("/home/u/ws/bashrc")
        );
        // A tree on the root file system: a bind of a place in it.
        let aliases = mount_aliases(table, &[PathBuf::from("/srv/other/t")]);
        assert!(aliases.is_empty(), "{aliases:?}");
        let aliases = mount_aliases(table, &[PathBuf::from("/srv/other")]);
        assert_eq!(
            aliases,
            vec![(PathBuf::from("/mnt/other"), PathBuf::from("/srv/other"))]
        );
    }

    #[test]
    fn the_home_search_enters_linked_dot_directories_within_its_depth() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let (home, store) = (base.join("home"), base.join("store"));
        fs::create_dir_all(store.join("tmux/deeper")).unwrap();
        fs::create_dir_all(home.join("plain")).unwrap();
        symlink("/x", store.join("tmux/tmux.conf")).unwrap();
        symlink("/x", store.join("tmux/deeper/too-deep")).unwrap();
        symlink("/x", home.join("plain/not-searched")).unwrap();
        symlink(&store, home.join(".config")).unwrap();
        // A loop back to the home is not entered.
        symlink(&home, store.join("back")).unwrap();
        let (mut found, complete) = home_links(&home, 1, 100, &|_, _| true);
        found.sort();
        assert!(complete);
        assert_eq!(
            found,
            vec![
                home.join(".config"),
                home.join(".config/back"),
                home.join(".config/tmux/tmux.conf"),
            ]
        );
        // Searched like a dot directory from depth 2 (`$XDG_CONFIG_HOME`).
        let (found, _) = home_links(&store, 2, 100, &|_, _| true);
        assert!(found.contains(&store.join("tmux/tmux.conf")));
        assert!(!found.contains(&store.join("tmux/deeper/too-deep")));
        // Not entered where `enter` says no (a writable or hidden tree).
        let (found, _) = home_links(&home, 1, 100, &|d, _| d != store);
        assert_eq!(found, vec![home.join(".config")]);
    }

    #[test]
    fn home_links_through_the_workspace_lock_their_way_or_are_a_gap() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let (ws, home, out) = (base.join("ws"), base.join("home"), base.join("out"));
        fs::create_dir_all(&ws).unwrap();
        fs::create_dir_all(home.join(".config/tmux")).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("tmux.conf"), "x").unwrap();
        let p = policy("workspace", r#"["./"]"#, "[]");
        // A link on the way in the workspace, the end outside: its
        // directory is locked, no gap.
        symlink(&out, ws.join("current")).unwrap();
        symlink(
            ws.join("current/tmux.conf"),
            home.join(".config/tmux/tmux.conf"),
        )
        .unwrap();
        let plan = build(&p, &ws, &home);
        assert!(plan.gaps.is_empty(), "{:?}", plan.gaps);
        assert!(
            plan.mounts
                .iter()
                .any(|m| m.path == ws && m.kind == MountKind::Lock),
            "{:?}",
            plan.mounts
        );
        // A missing target in the workspace: a gap, and its place locked.
        fs::remove_file(home.join(".config/tmux/tmux.conf")).unwrap();
        fs::remove_file(ws.join("current")).unwrap();
        fs::create_dir_all(ws.join("dot")).unwrap();
        symlink(ws.join("dot/mavenrc"), home.join(".mavenrc")).unwrap();
        let plan = build(&p, &ws, &home);
        assert!(
            plan.gaps
                .iter()
                .any(|g| g.starts_with("~/.mavenrc leads to") && g.contains("missing")),
            "{:?}",
            plan.gaps
        );
        assert!(plan
            .mounts
            .iter()
            .any(|m| m.path == ws.join("dot") && m.kind == MountKind::Lock));
    }

    #[test]
    fn permissive_protects_home_files_and_strict_does_not_imply_workspace() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        fs::create_dir_all(&ws).unwrap();
        fs::create_dir_all(home.join(".aws")).unwrap();
        fs::write(home.join(".bashrc"), "").unwrap();
        let input = |p| PlanInput {
            policy: p,
            workspace: &ws,
            home: &home,
            other_homes: &[],
            xdg_config_home: None,
            credential_env: &[],
            path_entries: &[],
            path_relative: false,
            cwd: None,
            ssh_auth_sock: None,
        };
        let p = policy("permissive", "[]", "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(plan.write_everywhere);
        let ro: Vec<_> = plan
            .mounts
            .iter()
            .filter(|m| m.kind == MountKind::ReadOnly)
            .map(|m| m.path.clone())
            .collect();
        assert!(ro.contains(&home.join(".bashrc")), "{ro:?}");
        // Credential stores are refused for every operation, in
        // permissive mode too: hidden, not only read-only.
        assert!(
            plan.mounts
                .iter()
                .any(|m| m.path == home.join(".aws") && m.kind == MountKind::HideDir),
            "{:?}",
            plan.mounts
        );
        // As in the filesystem guard, an allowed_paths entry naming the
        // store lifts that.
        let p = policy("permissive", r#"["~/.aws"]"#, "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(!plan
            .mounts
            .iter()
            .any(|m| m.path == home.join(".aws") && m.kind == MountKind::HideDir));
        let p = policy("permissive", r#"["~/.bashrc"]"#, "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(!plan.mounts.iter().any(|m| m.path == home.join(".bashrc")));
        let p = policy("strict", "[]", "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(plan.writable.is_empty());
    }

    #[test]
    fn eval_of_a_program_in_a_writable_tree_is_a_gap_but_not_in_permissive_mode() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let home = base.join("home");
        let tool = home.join(".pyenv/bin/pyenv");
        fs::create_dir_all(&ws).unwrap();
        fs::create_dir_all(tool.parent().unwrap()).unwrap();
        fs::write(&tool, "#!/bin/sh\n").unwrap();
        fs::write(
            home.join(".bashrc"),
            format!("eval \"$({} init -)\"\n", tool.display()),
        )
        .unwrap();
        let input = |p| PlanInput {
            policy: p,
            workspace: &ws,
            home: &home,
            other_homes: &[],
            xdg_config_home: None,
            credential_env: &[],
            path_entries: &[],
            path_relative: false,
            cwd: None,
            ssh_auth_sock: None,
        };
        let install_gap = |plan: &Plan| plan.gaps.iter().any(|g| g.contains("install tree"));
        // The home allowed: the command could change what pyenv prints.
        let p = policy("workspace", r#"["./", "~"]"#, "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(install_gap(&plan), "{:?}", plan.gaps);
        // Only the workspace writable: pyenv's tree is out of reach.
        let p = policy("workspace", r#"["./"]"#, "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(!install_gap(&plan), "{:?}", plan.gaps);
        // Everything writable: as with every `PATH` directory, the
        // writable-home limit, not a gap that would refuse every run.
        let p = policy("permissive", "[]", "[]");
        let plan = Plan::build(&input(&p)).unwrap();
        assert!(!install_gap(&plan), "{:?}", plan.gaps);
    }
}
