//! Caches an interpreter runs *instead of* the source the user reviews:
//! Python's bytecode. CPython imports `pkg/__pycache__/mod.cpython-311.pyc`
//! in place of `pkg/mod.py` when the cache's header records the source's
//! modification time and size (it does not hash the source), and a bare
//! `json.pyc` (no source beside it) from any directory on `sys.path`,
//! the script's own first, before the standard library. A command that
//! writes either leaves the sources and `git status` as they were (caches
//! are ignored by nearly every project) while the user's next `python3`
//! runs what it wrote. After the run, the bytecode files it wrote or
//! changed in the writable trees are removed: Python compiles them again
//! from the sources.
//!
//! The same finder loads a compiled extension module by the same names,
//! and before the source: `json.cpython-311-x86_64-linux-gnu.so`,
//! `json.abi3.so` or `json.so` beside `run.py` shadows `json`, and
//! `pkg/mod.abi3.so` shadows `pkg/mod.py` beside it. The extension modules
//! the run made are removed too, except below an installation directory
//! (`site-packages`, where pip installs them, in a virtual environment or
//! not) and a build directory ([`KEEP_EXT_DIRS`]), where making them is
//! the ordinary outcome and where no script of the user's lives.

use std::ffi::{CStr, CString, OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use sandbox_core::guards::filesystem::later as planted;

/// Directories below which extension modules the run made are kept: the
/// filesystem guard's list, which refuses writing them elsewhere.
pub use planted::KEEP_EXT_DIRS;

/// Whether extension module `name` makes its directory a package, or runs
/// it (`build/__init__.abi3.so`): never kept by [`KEEP_EXT_DIRS`].
fn is_package_module(name: &OsStr) -> bool {
    planted::is_package_module(name.as_bytes())
}

/// Whether `dir` is itself named as a directory of [`KEEP_EXT_DIRS`].
fn keeps_ext_here(dir: &Path) -> bool {
    dir.file_name().is_some_and(keeps_ext)
}

/// Whether extension modules below a directory of this name are kept.
fn keeps_ext(name: &OsStr) -> bool {
    planted::keeps_ext(name.as_bytes())
}

/// What [`sweep`] did.
#[derive(Debug, Default)]
pub struct Swept {
    /// Bytecode files removed.
    pub removed: usize,
    /// The first few of them.
    pub shown: Vec<PathBuf>,
    /// Extension modules removed ([`is_extension_name`]).
    pub ext_removed: usize,
    /// The first few of them.
    pub ext_shown: Vec<PathBuf>,
    /// Those that could not be removed (still in place), with why.
    pub failed: Vec<(PathBuf, String)>,
    /// New names the run gave to files that existed before it (hard
    /// links), removed ([`new_name_of_an_older_file`]): the first few.
    pub links_removed: Vec<PathBuf>,
    /// How many.
    pub links_removed_count: usize,
    /// Files with more than one name that existed before the run, changed
    /// during it, where the record before the run cannot tell whether
    /// the name is new (first few).
    pub links_unjudged: Vec<PathBuf>,
    /// Every directory within the bounds was listed.
    pub complete: bool,
    /// The first directory that could not be listed, and why.
    pub unlistable: Option<(PathBuf, String)>,
    /// Files the run made or changed that git ignores and does not track
    /// (when asked for: see [`crate::ignored`]).
    pub ignored: crate::ignored::Found,
    /// Files the run made or changed outside every repository's working
    /// tree (when asked for, as `ignored`: see [`crate::ignored::Outside`]).
    pub outside: crate::ignored::Outside,
    /// Entries whose permissions the run widened, narrowed again (when
    /// asked for: see [`crate::perms`]).
    pub perms: crate::perms::Repaired,
}

/// Bytecode files [`Swept::shown`] lists.
pub const SHOWN: usize = 20;

/// Remove every bytecode file ([`BYTECODE_SUFFIXES`]) below `roots` that
/// the run made or changed (all of them when `since` is unknown): its
/// change time is at or after `since` (written, replaced, renamed or
/// linked there during the run, or changed in place; no process can set a
/// change time), or it lies below a directory that was not at its path
/// before the run. A rename of a directory changes the directory's change
/// time, not those of the files in it: a file staged in one run keeps
/// that run's time when the next renames its directory into place. So a
/// directory carries "changed" to everything below it when `walk` (the
/// record of the search before the run) says it was not there (made, or
/// renamed there), and, where the record says nothing (git dirs, past
/// its bounds, no record), when its own change time is at or after
/// `since`. A symbolic link by such a name counts by its own change time
/// and its target's. The walk opens every directory refusing links (none
/// is entered through one) and removes each file by name in its
/// directory; git dirs are walked too (a link, or a hook's `sys.path`,
/// can lead Python there). Extension modules ([`is_extension_name`]) are
/// removed the same way, except below a directory of [`KEEP_EXT_DIRS`]
/// outside git dirs (not a [`PACKAGE_MODULES`] module directly in it).
/// At most `limit` entries and `max_depth` levels: past either the sweep
/// is incomplete. With `ignore`, the same walk lists the files the run
/// made or changed that git ignores and does not track, outside git dirs
/// ([`Swept::ignored`]): only the entries git ignores are looked at; and
/// every file the run made or changed outside every repository's working
/// tree ([`Swept::outside`]): there each entry is looked at. With
/// `repair` (the write bits for the group and others the user's umask
/// allows), every directory and regular file the run changed has write
/// bits and ACLs it widened taken away ([`Swept::perms`], see
/// [`crate::perms`]): then each entry is looked at.
pub fn sweep(
    roots: &[PathBuf],
    since: Option<(i64, i64)>,
    walk: Option<&crate::git::Walk>,
    limit: usize,
    max_depth: usize,
    ignore: Option<&crate::ignored::Env<'_>>,
    repair: Option<u32>,
) -> Swept {
    let mut out = Swept {
        complete: true,
        ..Swept::default()
    };
    let mut seen = 0usize;
    let mut roots: Vec<&PathBuf> = roots.iter().collect();
    roots.sort();
    roots.dedup();
    for root in roots.iter().copied() {
        // A root below another is walked with it.
        if roots.iter().any(|r| *r != root && root.starts_with(r)) {
            continue;
        }
        let dir = match crate::git::nofollow::open(root, libc::O_RDONLY | libc::O_DIRECTORY) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => {
                out.complete = false;
                out.unlistable.get_or_insert((root.clone(), e.to_string()));
                continue;
            }
        };
        // A writable tree's own name exempts nothing: a project checked
        // out as `~/build` is still the user's.
        let keep_ext = false;
        let ctx = Ctx {
            since,
            walk,
            limit,
            max_depth,
            ignore,
            repair,
        };
        let root_st = fstat(&dir);
        let carried = match &root_st {
            Some(st) => moved(&ctx, root, st),
            None => true,
        };
        // The root itself, from its parent (which the run could not write).
        if let (Some(st), Some(parent), Some(name)) = (&root_st, root.parent(), root.file_name()) {
            if let Ok(pd) = crate::git::nofollow::open(parent, libc::O_RDONLY | libc::O_DIRECTORY) {
                if let Ok(c) = CString::new(name.as_bytes()) {
                    repair_dir(&ctx, &pd, &c, root, st, carried, 0, &mut out);
                }
            }
        }
        let at = At {
            depth: 1,
            keep_ext,
            carried,
            in_git: false,
            made: carried.then(|| std::rc::Rc::from(root.as_path())),
            shared: 0,
        };
        let scope = match ignore {
            Some(env) => crate::ignored::scope_of_root(root, env),
            None => crate::ignored::Scope::default(),
        };
        walk_dir(dir, root, at, &scope, &ctx, &mut seen, &mut out);
    }
    out
}

/// What does not change during a sweep.
struct Ctx<'a> {
    since: Option<(i64, i64)>,
    walk: Option<&'a crate::git::Walk>,
    limit: usize,
    max_depth: usize,
    ignore: Option<&'a crate::ignored::Env<'a>>,
    repair: Option<u32>,
}

/// Where the walk is.
#[derive(Clone)]
struct At {
    depth: usize,
    /// Below a directory of [`KEEP_EXT_DIRS`] outside git dirs.
    keep_ext: bool,
    /// Below a directory that was not at its path before the run: all
    /// below counts as made or changed during it.
    carried: bool,
    /// In a git dir.
    in_git: bool,
    /// The topmost directory above that was not at its path before the
    /// run (the one `carried` comes from), if any.
    made: Option<std::rc::Rc<Path>>,
    /// In a git dir: the write bits its `core.sharedRepository` gives.
    shared: u32,
}

/// Narrow the permissions of directory `name` in `parent` (status `st`,
/// `carried`: it was not at its path before the run) when the run changed
/// it: a directory recorded before the run keeps the write bits and ACLs
/// it had; another those the umask (and `shared`) allow.
#[allow(clippy::too_many_arguments)]
fn repair_dir(
    ctx: &Ctx<'_>,
    parent: &OwnedFd,
    name: &CStr,
    p: &Path,
    st: &libc::stat,
    carried: bool,
    shared: u32,
    out: &mut Swept,
) {
    let Some(umask) = ctx.repair else {
        return;
    };
    let changed = carried
        || match ctx.since {
            Some(t) => (st.st_ctime, st.st_ctime_nsec) >= t,
            None => true,
        };
    if !changed {
        return;
    }
    let rec = ctx.walk.and_then(|w| w.dir_mode(p, st.st_dev, st.st_ino));
    let (allow, before) = match rec {
        Some((m, acls)) => (m & 0o022, acls),
        None => (umask | shared, None),
    };
    crate::perms::repair_at(parent, name, p, st, allow, before, &mut out.perms);
}

/// Whether directory `p` (status `st`) was not at its path before the
/// run: the record says so, or, where it says nothing, its change time is
/// at or after `since` (renamed, or an entry added or removed).
fn moved(ctx: &Ctx<'_>, p: &Path, st: &libc::stat) -> bool {
    let recorded = ctx
        .walk
        .and_then(|w| w.dir_was_there(p, st.st_dev, st.st_ino));
    match (recorded, ctx.since) {
        (Some(there), _) => !there,
        (None, Some(t)) => (st.st_ctime, st.st_ctime_nsec) >= t,
        (None, None) => true,
    }
}

fn fstat(dir: &OwnedFd) -> Option<libc::stat> {
    // SAFETY: `stat` is plain integers, filled in by the call.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor and buffer.
    (unsafe { libc::fstat(dir.as_raw_fd(), &mut st) } == 0).then_some(st)
}

fn walk_dir(
    dir: OwnedFd,
    path: &Path,
    at: At,
    scope: &crate::ignored::Scope,
    ctx: &Ctx<'_>,
    seen: &mut usize,
    out: &mut Swept,
) {
    let At {
        depth,
        keep_ext,
        carried,
        in_git,
        made,
        shared,
    } = at;
    let (since, limit, max_depth) = (ctx.since, ctx.limit, ctx.max_depth);
    // Git's ignore rules apply outside git dirs, when asked for.
    let rules = ctx.ignore.is_some() && !in_git;
    let names = match list(&dir) {
        Ok(n) => n,
        Err(e) => {
            out.complete = false;
            out.unlistable
                .get_or_insert((path.to_path_buf(), e.to_string()));
            return;
        }
    };
    // This directory's own `.git` and `.gitignore`, known from the listing.
    let entered;
    let scope = match ctx.ignore {
        Some(env) if rules => {
            let has = |n: &str| names.iter().any(|(m, _)| m.as_bytes() == n.as_bytes());
            // A repository the run made is no review: what lies in it
            // stays in the scope around it.
            let repo = has(".git") && env.known_repository(path);
            entered = scope.enter(path, carried, env, (repo, has(".gitignore")), depth == 1);
            &entered
        }
        _ => scope,
    };
    // Outside every repository, each file the run made or changed is
    // listed: each needs its status.
    let outside = rules && scope.outside();
    for (name, d_type) in names {
        *seen += 1;
        if *seen > limit {
            out.complete = false;
            return;
        }
        // Only directories, bytecode names and ignored entries need their
        // status: the type the listing gives (when the file system gives
        // one) spares a call for every other entry.
        let maybe_dir = d_type == libc::DT_DIR || d_type == libc::DT_UNKNOWN;
        // Directly in a kept directory, `__init__`/`__main__` make it the
        // module itself: not kept.
        let ext = is_extension_name(&name)
            && (!keep_ext || (is_package_module(&name) && keeps_ext_here(path)));
        let hit = if rules && !maybe_dir {
            scope.check(path, &name, false)
        } else {
            None
        };
        // With the rules, every file is looked at: any change the run made
        // may be one `git status` does not show; with the repair, every
        // file may have had its permissions widened.
        if !maybe_dir && !ext && !is_bytecode_name(&name) && !rules && ctx.repair.is_none() {
            continue;
        }
        let Ok(c) = CString::new(name.as_bytes()) else {
            continue;
        };
        let Some(st) = stat_at(&dir, &c, libc::AT_SYMLINK_NOFOLLOW) else {
            continue;
        };
        let kind = st.st_mode & libc::S_IFMT;
        if kind == libc::S_IFDIR {
            if depth >= max_depth {
                out.complete = false;
                continue;
            }
            // SAFETY: a valid directory descriptor and C string; the
            // returned descriptor is owned below.
            let fd = unsafe {
                libc::openat(
                    dir.as_raw_fd(),
                    c.as_ptr(),
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                let e = io::Error::last_os_error();
                out.complete = false;
                out.unlistable
                    .get_or_insert((path.join(&name), e.to_string()));
                continue;
            }
            // SAFETY: `fd` was just opened and is owned by nobody else.
            let sub = unsafe { OwnedFd::from_raw_fd(fd) };
            let p = path.join(&name);
            let shared = if !in_git && name == ".git" && ctx.repair.is_some() {
                crate::perms::shared_repository_allows(&p)
            } else {
                shared
            };
            let in_git = in_git || name == ".git";
            let now_moved = !carried && moved(ctx, &p, &st);
            let made = match &made {
                Some(m) => Some(m.clone()),
                None if now_moved => Some(std::rc::Rc::from(p.as_path())),
                None => None,
            };
            let carried = carried || now_moved;
            repair_dir(ctx, &dir, &c, &p, &st, carried, shared, out);
            let at = At {
                depth: depth + 1,
                // Python imports nothing from a git dir but through a
                // link or a hook: nothing there is exempt.
                keep_ext: !in_git && (keep_ext || keeps_ext(&name)),
                carried,
                in_git,
                made,
                shared,
            };
            let below = match scope.check(path, &name, true) {
                Some(h) if rules && !in_git => scope.ignored_below(h),
                _ => scope.clone(),
            };
            walk_dir(sub, &p, at, &below, ctx, seen, out);
            if !out.complete && *seen > limit {
                return;
            }
            continue;
        }
        let hit = match hit {
            Some(h) => Some(h),
            None if rules && d_type == libc::DT_UNKNOWN => scope.check(path, &name, false),
            None => None,
        };
        let changed = |s: &libc::stat| match since {
            Some(t) => (s.st_ctime, s.st_ctime_nsec) >= t,
            None => true,
        };
        let p = path.join(&name);
        if ext || is_bytecode_name(&name) {
            let made = carried
                || changed(&st)
                || (kind == libc::S_IFLNK && stat_at(&dir, &c, 0).is_some_and(|t| changed(&t)));
            if made && (kind == libc::S_IFREG || kind == libc::S_IFLNK) {
                // SAFETY: a valid directory descriptor and C string.
                if unsafe { libc::unlinkat(dir.as_raw_fd(), c.as_ptr(), 0) } == 0 {
                    let (n, shown) = if ext {
                        (&mut out.ext_removed, &mut out.ext_shown)
                    } else {
                        (&mut out.removed, &mut out.shown)
                    };
                    *n += 1;
                    if shown.len() < SHOWN {
                        shown.push(p);
                    }
                    continue;
                }
                out.failed
                    .push((p.clone(), io::Error::last_os_error().to_string()));
            }
        }
        // A new name for a file that existed before the run (`ln -f
        // Makefile build/test.log`): the user's next build writing at that
        // name (`make test | tee build/test.log`) would write into the
        // older file. Linking moves the file's change time, so the walk
        // sees it; the older name keeps the data.
        if kind == libc::S_IFREG
            && st.st_nlink > 1
            && (carried || changed(&st))
            && since.is_some_and(|t| born_before(&dir, &c, t))
        {
            let was = if carried {
                None
            } else {
                ctx.walk.and_then(|w| {
                    let d = fstat(&dir)?;
                    w.file_was_there(path, d.st_dev, d.st_ino, &name)
                })
            };
            match was {
                Some(true) => {}
                Some(false) => {
                    // SAFETY: a valid directory descriptor and C string.
                    if unsafe { libc::unlinkat(dir.as_raw_fd(), c.as_ptr(), 0) } == 0 {
                        out.links_removed_count += 1;
                        if out.links_removed.len() < SHOWN {
                            out.links_removed.push(p);
                        }
                        continue;
                    }
                    out.failed
                        .push((p.clone(), io::Error::last_os_error().to_string()));
                }
                None => {
                    if out.links_unjudged.len() < SHOWN {
                        out.links_unjudged.push(p.clone());
                    }
                }
            }
        }
        // A file the run made or changed: write bits and ACLs it widened.
        if let Some(umask) = ctx.repair {
            if kind == libc::S_IFREG && (carried || changed(&st)) {
                crate::perms::repair_at(&dir, &c, &p, &st, umask | shared, None, &mut out.perms);
            }
        }
        if !rules {
            continue;
        }
        // Outside every repository's working tree, what the run made or
        // changed is listed apart, grouped by the directories it made.
        if outside {
            if carried || changed(&st) {
                out.outside.record(p, made.as_ref());
            }
            continue;
        }
        // An entry the run made or changed that `git status` does not
        // show (a link by its own change time: what git would show of it
        // is the link).
        if carried || changed(&st) {
            let before = || {
                let w = ctx.walk?;
                let d = fstat(&dir)?;
                w.file_was_there(path, d.st_dev, d.st_ino, &name)
            };
            if let Some(h) = scope.hidden(&p, hit, before) {
                out.ignored.record(p, h);
            }
        } else if kind == libc::S_IFLNK && stat_at(&dir, &c, 0).is_some_and(|t| changed(&t)) {
            // A link the run left alone whose target it changed, where the
            // review does not look (git-annex's objects in the git dir).
            if let Some(h) = scope.link_target_hidden(&p) {
                out.ignored.record(p, h);
            }
        }
    }
}

/// Whether an interpreter loads a file of this name as bytecode (the
/// filesystem guard's definition, which refuses writing them).
pub fn is_bytecode_name(name: &OsStr) -> bool {
    planted::is_bytecode_name(name.as_bytes())
}

/// Whether CPython's path finder (or PyPy's) loads a file of this name as
/// an extension module (the filesystem guard's definition:
/// `MODULE.so`, `MODULE.TAG.so`).
pub fn is_extension_name(name: &OsStr) -> bool {
    planted::is_extension_name(name.as_bytes())
}

/// Whether the file `name` in `dir` was made before `since` (its birth
/// time, `statx`); a file system that keeps no birth time counts as
/// before (the name is judged by the record).
fn born_before(dir: &OwnedFd, name: &CStr, since: (i64, i64)) -> bool {
    // SAFETY: `statx` is plain integers, filled in by the call.
    let mut sx: libc::statx = unsafe { std::mem::zeroed() };
    // SAFETY: a valid directory descriptor, C string and buffer.
    let r = unsafe {
        libc::statx(
            dir.as_raw_fd(),
            name.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
            libc::STATX_BTIME,
            &mut sx,
        )
    };
    if r != 0 || sx.stx_mask & libc::STATX_BTIME == 0 {
        return true;
    }
    (sx.stx_btime.tv_sec, i64::from(sx.stx_btime.tv_nsec)) < since
}

fn stat_at(dir: &OwnedFd, name: &CStr, flags: i32) -> Option<libc::stat> {
    // SAFETY: `stat` is plain integers, filled in by the call.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a valid directory descriptor, C string and buffer.
    let r = unsafe { libc::fstatat(dir.as_raw_fd(), name.as_ptr(), &mut st, flags) };
    (r == 0).then_some(st)
}

/// The names in directory `dir` (not `.` and `..`), each with the type
/// the listing gives (`DT_UNKNOWN` where the file system gives none).
fn list(dir: &OwnedFd) -> io::Result<Vec<(OsString, u8)>> {
    // SAFETY: duplicating a valid descriptor; the copy goes to `fdopendir`,
    // which owns it until `closedir`.
    let fd = unsafe { libc::fcntl(dir.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a directory descriptor owned by nobody else.
    let d = unsafe { libc::fdopendir(fd) };
    if d.is_null() {
        let e = io::Error::last_os_error();
        // SAFETY: `fdopendir` failed, so `fd` is still ours to close.
        unsafe { libc::close(fd) };
        return Err(e);
    }
    let mut names = Vec::new();
    let mut err = None;
    loop {
        // SAFETY: resetting errno to tell the end from an error.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `d` is an open directory stream.
        let ent = unsafe { libc::readdir(d) };
        if ent.is_null() {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(0) {
                err = Some(e);
            }
            break;
        }
        // SAFETY: `readdir` returned an entry whose name is a C string.
        let (name, d_type) = unsafe { (CStr::from_ptr((*ent).d_name.as_ptr()), (*ent).d_type) };
        let b = name.to_bytes();
        if b != b"." && b != b".." {
            names.push((OsString::from_vec(b.to_vec()), d_type));
        }
    }
    // SAFETY: `d` is an open directory stream, closed once.
    unsafe { libc::closedir(d) };
    match err {
        Some(e) => Err(e),
        None => Ok(names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn bytecode_names() {
        for yes in ["app.cpython-311.pyc", "json.pyc", "m.pyo"] {
            assert!(is_bytecode_name(OsStr::new(yes)), "{yes}");
        }
        for no in [".pyc", "app.py", "pyc", "a.pyc.txt", "a.pyd"] {
            assert!(!is_bytecode_name(OsStr::new(no)), "{no}");
        }
    }

    #[test]
    fn extension_module_names() {
        for yes in [
            "json.cpython-311-x86_64-linux-gnu.so",
            "json.abi3.so",
            "json.so",
            "_speedups.cpython-312-darwin.so",
            "mod.pypy310-pp73-x86_64-linux-gnu.so",
            "jsonmodule.so",
            "libfoo.so",
        ] {
            assert!(is_extension_name(OsStr::new(yes)), "{yes}");
        }
        for no in [
            ".so",
            "json..so",
            "a.b.c.so",
            "libfoo.so.1",
            "my-mod.so",
            "1json.so",
            "json.py",
            "json.abi3.so.bak",
        ] {
            assert!(!is_extension_name(OsStr::new(no)), "{no}");
        }
    }

    /// Extension modules the run made go beside sources, and stay in a
    /// virtual environment and a build directory; those from before stay.
    #[test]
    fn extension_modules_written_after_the_start_are_removed() {
        crate::clock::retry_if_set(|| {
            let t = tempfile::tempdir().unwrap();
            let root = fs::canonicalize(t.path()).unwrap();
            fs::create_dir_all(root.join("pkg")).unwrap();
            fs::create_dir_all(root.join(".venv/lib/python3.11/site-packages")).unwrap();
            fs::write(root.join(".venv/pyvenv.cfg"), "home = /usr/bin").unwrap();
            fs::create_dir_all(root.join("build/lib.linux-x86_64-cpython-311/pkg")).unwrap();
            let old = root.join("old.abi3.so");
            fs::write(&old, "old").unwrap();
            let first = crate::clock::fs_now().unwrap();
            while crate::clock::fs_now().unwrap() <= first {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            // The record of the search before the run.
            let rec = crate::git::find(std::slice::from_ref(&root), 100_000, 32).walk;
            assert!(rec.is_some());
            let since = crate::clock::fs_now();
            let made = [
                root.join("json.cpython-311-x86_64-linux-gnu.so"),
                root.join("json.so"),
                root.join("pkg/mod.abi3.so"),
            ];
            for m in &made {
                fs::write(m, "ELF").unwrap();
            }
            let kept = [
                root.join(".venv/lib/python3.11/site-packages/np.cpython-311-x86_64-linux-gnu.so"),
                root.join("build/lib.linux-x86_64-cpython-311/pkg/mod.abi3.so"),
                root.join("libfoo.so.1"),
            ];
            for k in &kept {
                fs::write(k, "ELF").unwrap();
            }
            let s = sweep(
                std::slice::from_ref(&root),
                since,
                rec.as_ref(),
                1000,
                16,
                None,
                None,
            );
            assert!(s.complete);
            assert_eq!((s.removed, s.ext_removed), (0, 3));
            assert!(made.iter().all(|m| !m.exists()));
            assert!(kept.iter().all(|k| k.exists()) && old.exists());
            // A root of such a name is not exempt; a directory below it is.
            let b = root.join("pkg/build");
            let (top, below) = (b.join("x.so"), b.join("lib/build/y.so"));
            fs::create_dir_all(b.join("lib/build")).unwrap();
            fs::write(&top, "ELF").unwrap();
            fs::write(&below, "ELF").unwrap();
            let s = sweep(
                std::slice::from_ref(&b),
                since,
                rec.as_ref(),
                1000,
                16,
                None,
                None,
            );
            assert_eq!(s.ext_removed, 1);
            assert!(!top.exists() && below.exists());
            // A marker file the run writes beside a script keeps nothing.
            fs::write(root.join("pyvenv.cfg"), "home = /usr/bin").unwrap();
            let shadow = root.join("json.so");
            fs::write(&shadow, "ELF").unwrap();
            let s = sweep(
                std::slice::from_ref(&root),
                since,
                rec.as_ref(),
                1000,
                16,
                None,
                None,
            );
            assert_eq!(s.ext_removed, 1);
            assert!(!shadow.exists());
        });
    }

    /// What was written after `since` goes, what was there before stays;
    /// nothing is followed through a link, `.git` is not entered.
    #[test]
    fn bytecode_written_after_the_start_is_removed() {
        crate::clock::retry_if_set(|| {
            let t = tempfile::tempdir().unwrap();
            let root = fs::canonicalize(t.path()).unwrap();
            let cache = root.join("src/__pycache__");
            fs::create_dir_all(&cache).unwrap();
            let old = cache.join("old.cpython-311.pyc");
            fs::write(&old, "old").unwrap();
            fs::create_dir_all(root.join(".git")).unwrap();
            let in_git = root.join(".git/x.pyc");
            fs::write(&in_git, "x").unwrap();
            let outside = tempfile::tempdir().unwrap();
            let target = outside.path().join("t.pyc");
            fs::write(&target, "t").unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
            // Change times are stamped by the coarse clock: wait for it to move.
            let first = crate::clock::fs_now().unwrap();
            while crate::clock::fs_now().unwrap() <= first {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            // The record of the search before the run.
            let rec = crate::git::find(std::slice::from_ref(&root), 100_000, 32).walk;
            assert!(rec.is_some());
            let since = crate::clock::fs_now();
            let new = cache.join("app.cpython-311.pyc");
            fs::write(&new, "new").unwrap();
            let bare = root.join("json.pyc");
            fs::write(&bare, "bare").unwrap();
            fs::write(root.join("app.py"), "print()").unwrap();
            let s = sweep(
                std::slice::from_ref(&root),
                since,
                rec.as_ref(),
                1000,
                16,
                None,
                None,
            );
            assert!(s.complete);
            assert_eq!(s.removed, 2);
            assert!(!new.exists() && !bare.exists());
            assert!(old.exists() && in_git.exists() && target.exists());
            assert!(root.join("app.py").exists());
            // Changed in place: its change time moves.
            fs::write(&old, "changed").unwrap();
            let s = sweep(
                std::slice::from_ref(&root),
                since,
                rec.as_ref(),
                1000,
                16,
                None,
                None,
            );
            assert_eq!(s.removed, 1);
            assert!(!old.exists());
            // The bound.
            assert!(!sweep(&[root], since, rec.as_ref(), 1, 16, None, None).complete);
        });
    }
}
