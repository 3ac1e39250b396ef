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

use crate::plan::{GIT_SCAN_LIMIT, GIT_SCAN_MAX_DEPTH};
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
    let m = nofollow::lstat(p).ok()?;
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
    /// For a directory (`hooks/`, `info/`), its listing ([`listing`]);
    /// `None` for anything else, or past [`LISTING_ENTRIES`].
    content: Option<u64>,
}

/// Entries of a directory listed to tell a file in it rewritten.
const LISTING_ENTRIES: usize = 1000;

/// The listing of directory `p`: each entry's name, inode, mode, owner,
/// size and change time, hashed with a key chosen per process (a command
/// cannot aim at a collision). A directory's own change time does not show
/// a file in it rewritten in place (a hook written through a hard link), its
/// listing does. `None` for anything but a directory, or a large one.
fn listing(p: &Path) -> Option<u64> {
    use std::hash::{BuildHasher, Hash, Hasher};
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    if !nofollow::lstat(p).ok()?.is_dir() {
        return None;
    }
    let mut list = nofollow::read_dir(p).ok()?;
    if list.len() > LISTING_ENTRIES {
        return None;
    }
    list.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = KEY
        .get_or_init(std::collections::hash_map::RandomState::new)
        .build_hasher();
    for (name, _) in list {
        let e = nofollow::lstat(&p.join(&name)).ok()?;
        (name, e.ino(), e.mode(), e.uid(), e.gid(), e.len()).hash(&mut h);
        (e.ctime(), e.ctime_nsec()).hash(&mut h);
    }
    Some(h.finish())
}

/// The indirection entries present before the run, by path.
pub type Snapshot = BTreeMap<PathBuf, Recorded>;

/// What the `.git` search found: directories named `.git`, and `.git`
/// entries that are files or symbolic links (pointers to a git dir).
#[derive(Debug, Default)]
pub struct Found {
    pub dirs: Vec<PathBuf>,
    pub pointers: Vec<PathBuf>,
    /// The search visited every directory within its bounds.
    pub complete: bool,
}

/// Breadth-first search below `roots` for `.git` entries. Every directory
/// is entered (a repository in `node_modules/dep` or ten levels down is
/// protected like any other), none through a symbolic link (each one is
/// opened refusing links, see [`nofollow`]), none inside `.git`. At most
/// `limit` entries and `max_depth` levels: past either, or on a directory
/// it cannot list, the search is incomplete, which the caller must treat
/// as such.
pub fn find(roots: &[PathBuf], limit: usize, max_depth: usize) -> Found {
    let mut found = Found {
        complete: true,
        ..Found::default()
    };
    let mut queue: std::collections::VecDeque<(PathBuf, usize)> =
        roots.iter().map(|r| (r.clone(), 1)).collect();
    let mut visited = BTreeSet::new();
    let mut budget = limit;
    'walk: while let Some((dir, depth)) = queue.pop_front() {
        if !visited.insert(dir.clone()) {
            continue;
        }
        let list = match nofollow::read_dir(&dir) {
            Ok(list) => list,
            // Gone meanwhile, or a link put in the place of a directory
            // (not entered by design).
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    || matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR)) =>
            {
                continue
            }
            // Unreadable (a directory without read permission, which the
            // command may still chmod): repositories in it are unknown.
            Err(_) => {
                found.complete = false;
                continue;
            }
        };
        // A directory holding `HEAD` and `objects` (or `commondir`) is a git
        // dir to git whatever its name (a bare repository, or the workspace
        // itself): protected and swept like `.git`, and not entered.
        let has = |n: &str, dir_kind: Option<bool>| {
            list.iter()
                .any(|(name, ft)| name == n && dir_kind.is_none_or(|d| ft.is_dir() == d))
        };
        if has("HEAD", None) && (has("objects", Some(true)) || has("commondir", None)) {
            found.dirs.push(dir.clone());
            continue;
        }
        for (name, ft) in list {
            if budget == 0 {
                found.complete = false;
                break 'walk;
            }
            budget -= 1;
            let path = dir.join(&name);
            if name == ".git" {
                if ft.is_dir() {
                    found.dirs.push(path);
                } else {
                    found.pointers.push(path);
                }
            } else if ft.is_dir() {
                if depth >= max_depth {
                    found.complete = false;
                } else {
                    queue.push_back((path, depth + 1));
                }
            }
        }
    }
    found.dirs.sort();
    found.dirs.dedup();
    found.pointers.sort();
    found.pointers.dedup();
    found
}

/// The git dir a `.git` file names (`gitdir: PATH`, relative to the
/// file's directory), resolved; `None` for a link or an unreadable file.
pub fn pointed_git_dir(pointer: &Path) -> Option<PathBuf> {
    let text = nofollow::read_small(pointer, 4096)?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    let target = pointer.parent()?.join(target);
    fs::canonicalize(target).ok().filter(|p| p.is_dir())
}

/// The git dirs the search leads to, and the symbolic links found where
/// git expects a directory of submodule or worktree git dirs.
#[derive(Debug, Default)]
pub struct GitDirs {
    pub dirs: Vec<PathBuf>,
    /// A link named `modules` or `worktrees`, or one below them: git
    /// follows it to another directory, so it is an indirection entry
    /// itself (bound nowhere, recorded, moved aside when the run made it);
    /// never entered.
    pub links: Vec<PathBuf>,
    /// `modules` or `worktrees` directories whose walk stopped at
    /// [`NESTED_PER_PASS`]: what is below them is unknown.
    pub over: Vec<PathBuf>,
}

/// Directories entered below `modules` and `worktrees` per pass: a command
/// can make millions there, which would stall the sweep after the run.
pub const NESTED_PER_PASS: usize = 100_000;

/// Every git dir that `dirs` and `pointers` lead to inside `writable`
/// (judged on the real path: the git dirs `.git` files and `commondir`
/// files name are resolved first): the `.git` directories, the git dirs
/// `.git` files name, the git dirs their `commondir` names, and the
/// submodule and worktree git dirs below them.
pub fn git_dirs(
    dirs: &[PathBuf],
    pointers: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
) -> GitDirs {
    let mut todo: Vec<PathBuf> = dirs.to_vec();
    todo.extend(
        pointers
            .iter()
            .filter_map(|p| pointed_git_dir(p))
            .filter(|g| writable(g)),
    );
    let mut out = BTreeSet::new();
    let mut links = BTreeSet::new();
    let mut over = BTreeSet::new();
    let mut budget = NESTED_PER_PASS;
    while let Some(g) = todo.pop() {
        if out.len() > 10_000 || !out.insert(g.clone()) {
            continue;
        }
        let mut nested = Vec::new();
        for sub in sandbox_core::guards::filesystem::GIT_DIR_NESTED {
            if !collect_nested_git_dirs(&g.join(sub), &mut nested, &mut links, 0, &mut budget) {
                over.insert(g.join(sub));
            }
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
    GitDirs {
        dirs: out.into_iter().collect(),
        links: links.into_iter().collect(),
        over: over.into_iter().collect(),
    }
}

/// Submodule git dirs nest (`modules/a/modules/b`) and may sit below path
/// components (`modules/lib/x`): a directory with a `HEAD` file is a git
/// dir. Links are collected, not followed. At most `budget` entries are
/// looked at; `false` when it ran out.
fn collect_nested_git_dirs(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    links: &mut BTreeSet<PathBuf>,
    depth: usize,
    budget: &mut usize,
) -> bool {
    match nofollow::lstat(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            links.insert(dir.to_path_buf());
            return true;
        }
        Ok(m) if m.is_dir() => {}
        _ => return true,
    }
    if depth > 16 {
        return true;
    }
    let Ok(list) = nofollow::read_dir(dir) else {
        return true;
    };
    for (name, ft) in list {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let p = dir.join(name);
        if ft.is_symlink() {
            links.insert(p);
        } else if !ft.is_dir() {
            continue;
        } else if nofollow::lstat(&p.join("HEAD")).is_ok_and(|m| m.is_file()) {
            out.push(p);
        } else if !collect_nested_git_dirs(&p, out, links, depth + 1, budget) {
            return false;
        }
    }
    true
}

fn read_small(p: &Path) -> Option<String> {
    nofollow::read_small(p, 64 * 1024)
}

/// Include paths followed per git dir, and per pass over all git dirs (the
/// plan's, the snapshot's, the sweep's); configuration bytes read per pass.
/// Each include line costs a path resolution, and a command can write
/// thousands of them into files it makes (git ignores lines naming missing
/// files): without a bound the sweep after the run could be stalled until
/// the caller killed the helper, leaving what the run planted.
pub const INCLUDES_PER_GIT_DIR: usize = 64;
pub const INCLUDES_PER_PASS: usize = 1024;
pub const CONFIG_BYTES_PER_PASS: u64 = 64 << 20;

/// What is left of the bounds of one pass.
#[derive(Debug)]
pub struct Budget {
    includes: usize,
    bytes: u64,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            includes: INCLUDES_PER_PASS,
            bytes: CONFIG_BYTES_PER_PASS,
        }
    }
}

/// What [`entries`] found in a git dir.
#[derive(Debug, Default)]
pub struct Entries {
    /// The entries that exist, by real path.
    pub paths: Vec<PathBuf>,
    /// Configuration files not followed to the end because a bound was
    /// reached: what they include is unknown.
    pub over: Vec<PathBuf>,
}

/// The indirection entries of a git dir that exist, and the files its
/// configuration includes (`include.path`, `includeIf.*.path`, followed
/// through included files), within `budget`.
pub fn entries(git_dir: &Path, home: &Path, budget: &mut Budget) -> Entries {
    let mut out: Vec<PathBuf> = GIT_DIR_INDIRECTIONS
        .iter()
        .map(|e| git_dir.join(e))
        .filter(|p| nofollow::lstat(p).is_ok())
        .collect();
    let mut over = Vec::new();
    let mut configs = vec![
        (git_dir.join("config"), 0),
        (git_dir.join("config.worktree"), 0),
    ];
    let mut seen = BTreeSet::new();
    let mut followed = 0usize;
    while let Some((c, depth)) = configs.pop() {
        if depth > INCLUDE_DEPTH || !seen.insert(c.clone()) {
            continue;
        }
        let text = match read_config(&c, budget) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(()) => {
                over.push(c);
                continue;
            }
        };
        for inc in include_paths(&text) {
            if followed == INCLUDES_PER_GIT_DIR || budget.includes == 0 {
                over.push(c.clone());
                break;
            }
            followed += 1;
            budget.includes -= 1;
            let p = if let Some(rest) = inc.strip_prefix("~/") {
                home.join(rest)
            } else {
                c.parent().unwrap_or(git_dir).join(&inc)
            };
            // The real path: what is judged, bound and renamed later is the
            // file itself, reached through no link. One resolution, as the
            // kernel does it when git opens the path: a file that cannot be
            // reached is not read by git either (nothing to protect; one the
            // run creates there is found after the run).
            let Ok(p) = fs::canonicalize(&p) else {
                continue;
            };
            // Only a file can be configuration: a directory named there
            // (git would fail to read it) is not bound.
            if nofollow::lstat(&p).is_ok_and(|m| m.is_file()) {
                out.push(p.clone());
                configs.push((p, depth + 1));
            }
        }
    }
    out.retain(|p| nofollow::lstat(p).is_ok());
    out.sort();
    out.dedup();
    over.sort();
    over.dedup();
    Entries { paths: out, over }
}

/// The text of configuration file `c`: `Ok(None)` when there is none (or
/// it is not a readable file of at most 64 KiB, which git may read but the
/// helper does not follow, as before), `Err` when the pass has no bytes
/// left for it.
fn read_config(c: &Path, budget: &mut Budget) -> Result<Option<String>, ()> {
    let Ok(m) = nofollow::lstat(c) else {
        return Ok(None);
    };
    if m.is_file() && m.len() > budget.bytes {
        return Err(());
    }
    let text = read_small(c);
    if let Some(t) = &text {
        budget.bytes = budget.bytes.saturating_sub(t.len() as u64);
    }
    Ok(text)
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

/// Record the indirection entries of `git_dirs` (also its links) and the
/// `.git` pointers.
pub fn snapshot(git_dirs: &GitDirs, pointers: &[PathBuf], home: &Path) -> Snapshot {
    let mut s = Snapshot::new();
    let mut budget = Budget::default();
    for p in pointers.iter().chain(&git_dirs.links).cloned().chain(
        git_dirs
            .dirs
            .iter()
            .flat_map(|g| entries(g, home, &mut budget).paths),
    ) {
        if let Some(entry) = fingerprint(&p) {
            let content = listing(&p);
            s.insert(p, Recorded { entry, content });
        }
    }
    s
}

/// After the run, with no process of it left: search the writable trees
/// again (and the `.git` directories `known` from before the run) and move
/// aside every `.git` pointer and every indirection entry
/// that is not in `before` as it was (created, replaced or rewritten during
/// the run; also in repositories the run created), except what `leave`
/// keeps (an explicit `allowed_paths` entry) and an empty directory (it
/// runs, includes and names nothing; a concurrent run's helper may have
/// made it as the `hooks` it binds). Whether an entry was a read-only
/// mount point inside does not count: a bind over a file is gone once the
/// file is renamed over from outside (git saves its configuration that
/// way), after which the command could write the new one. So an entry is
/// kept only when what it holds is what was recorded ([`content`]); a
/// change made outside meanwhile is moved aside too, and the report says
/// how to put it back. A configuration whose includes exceed the bounds
/// ([`Budget`]) is moved aside as well: what it includes was not checked.
/// The entry is renamed beside itself to `NAME.ku0-quarantine-N`, where
/// git never looks, so nothing is lost and the user can inspect it.
pub fn sweep(
    roots: &[PathBuf],
    known: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
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
        match change(p, before) {
            Change::None => false,
            Change::Created | Change::Changed => {
                out.quarantined.push(quarantine(p, before));
                true
            }
        }
    };
    let mut kept = Vec::new();
    // So are the `.git` pointers recorded before the run.
    let mut pointers: BTreeSet<&PathBuf> = found.pointers.iter().collect();
    pointers.extend(
        before
            .keys()
            .filter(|p| p.file_name() == Some(".git".as_ref()) && nofollow::lstat(p).is_ok()),
    );
    for p in pointers {
        if !judge(p, &mut out) {
            kept.push(p.clone());
        }
    }
    // The `.git` directories found before the run are checked even when
    // this search stops at its bound (the run may have made the tree huge);
    // so are the `.git` pointers recorded then (above).
    let mut dirs = found.dirs.clone();
    dirs.extend(known.iter().cloned());
    let gd = git_dirs(&dirs, &kept, writable);
    let mut budget = Budget::default();
    let mut over = Vec::new();
    for g in &gd.dirs {
        let e = entries(g, home, &mut budget);
        over.extend(e.over);
        for p in &e.paths {
            if writable(p) {
                judge(p, &mut out);
            }
        }
    }
    for p in &gd.links {
        if writable(p) {
            judge(p, &mut out);
        }
    }
    over.extend(gd.over.iter().cloned());
    quarantine_over_budget(&over, writable, leave, before, &mut out);
    out
}

/// Move aside the configuration files whose includes were not followed to
/// the end, and the `modules` or `worktrees` directories not walked to the
/// end (fail closed: git would read what they include or hold, unchecked).
fn quarantine_over_budget(
    over: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    before: &Snapshot,
    out: &mut Sweep,
) {
    for c in over {
        out.over_budget.push(c.display().to_string());
        if !writable(c) || leave(c) || nofollow::lstat(c).is_err() {
            continue;
        }
        let mut q = quarantine(c, before);
        q.why = format!(
            "{}; what it includes or holds exceeds what the helper checks ({INCLUDES_PER_GIT_DIR} include paths a repository, {INCLUDES_PER_PASS} and {} MiB of configuration a run, {NESTED_PER_PASS} entries below modules and worktrees), so it was not checked",
            q.why,
            CONFIG_BYTES_PER_PASS >> 20
        );
        out.quarantined.push(q);
    }
}

/// What the sweep did.
#[derive(Debug, Default)]
pub struct Sweep {
    pub quarantined: Vec<Quarantined>,
    /// Configuration files whose includes, and `modules` or `worktrees`
    /// directories whose contents, exceeded the bounds.
    pub over_budget: Vec<String>,
    /// The search finished within its bounds.
    pub complete: bool,
}

/// What became of an entry during the run.
enum Change {
    None,
    /// Not there before the run.
    Created,
    /// Holds something else than before the run: replaced or rewritten,
    /// by the run or (indistinguishably) from outside while it ran.
    Changed,
}

fn change(p: &Path, before: &Snapshot) -> Change {
    let Some(was) = before.get(p) else {
        // An empty directory runs, includes and names nothing.
        return if nofollow::lstat(p).is_ok_and(|m| m.is_dir())
            && nofollow::read_dir(p).is_ok_and(|l| l.is_empty())
        {
            Change::None
        } else {
            Change::Created
        };
    };
    // Only the very inode recorded, unchanged (its change time cannot be
    // set back), is the entry as it was. The same content in a new file
    // does not do: what was recorded may have been planted by a concurrent
    // run, whose sweep then moved it aside, and put back by this one.
    if fingerprint(p) != Some(was.entry) {
        return Change::Changed;
    }
    match was.content {
        Some(c) if listing(p) != Some(c) => Change::Changed,
        _ => Change::None,
    }
}

fn quarantine(p: &Path, before: &Snapshot) -> Quarantined {
    let why = if before.contains_key(p) {
        "changed while the command ran"
    } else {
        "created during the run"
    };
    let name = p
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut result: std::io::Result<PathBuf> = Err(std::io::Error::other("no free name"));
    for n in 1..1000 {
        // Renamed within its own directory, held open with no link on the
        // way (a link to elsewhere is renamed itself, its target is never
        // touched), never over an existing entry.
        result = nofollow::rename_beside(p, format!("{name}.ku0-quarantine-{n}").as_ref());
        match &result {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            _ => break,
        }
    }
    match result {
        Ok(to) => Quarantined {
            path: p.display().to_string(),
            moved_to: Some(to.display().to_string()),
            why: restore_hint(why, p, &to, before.contains_key(p)),
        },
        Err(e) => Quarantined {
            path: p.display().to_string(),
            moved_to: None,
            why: format!("{why}; moving it aside failed: {e}"),
        },
    }
}

/// The reason, and for an entry that existed before the run how to put it
/// back: the sweep cannot tell the command's change from the user's own
/// (`git config` outside while the command ran).
fn restore_hint(why: &str, p: &Path, to: &Path, existed: bool) -> String {
    if !existed {
        return why.into();
    }
    // Quoted for a POSIX shell, so the command can be pasted as it is.
    let q = |x: &Path| format!("'{}'", x.display().to_string().replace('\'', "'\\''"));
    format!(
        "{why}, by the command or outside the sandbox (which cannot be told apart); if you changed it yourself meanwhile, check it and move it back: mv {} {}",
        q(to),
        q(p)
    )
}

/// Link-safe file-system access for the helper's work on paths inside the
/// writable trees (it runs with the helper's privileges, outside the
/// sandbox). Every path is absolute and must be real: a symbolic link in
/// any component, the last one included unless said otherwise, makes the
/// operation fail (`ELOOP`) instead of being followed. Renames and
/// directory creations happen relative to a descriptor of the parent
/// directory opened that way, so what was judged is what is changed.
pub(crate) mod nofollow {
    use std::ffi::{CString, OsStr, OsString};
    use std::fs;
    use std::io::{self, Read};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Component, Path, PathBuf};

    fn cstr(s: &OsStr) -> io::Result<CString> {
        CString::new(s.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    }

    /// Open `p` refusing links in every component (`openat2` with
    /// `RESOLVE_NO_SYMLINKS`; before Linux 5.6, one `openat` with
    /// `O_NOFOLLOW` per component). With `O_PATH | O_NOFOLLOW` a link as the
    /// last component is opened itself.
    pub fn open(p: &Path, flags: i32) -> io::Result<OwnedFd> {
        if !p.is_absolute() {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        }
        let c = cstr(p.as_os_str())?;
        // SAFETY: `open_how` is plain integers; all zero is its default.
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        how.flags = (flags | libc::O_CLOEXEC | libc::O_NOFOLLOW) as u64;
        how.resolve = libc::RESOLVE_NO_SYMLINKS | libc::RESOLVE_NO_MAGICLINKS;
        // SAFETY: a valid C string and `open_how` of the size passed; the
        // returned descriptor is owned here.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                libc::AT_FDCWD,
                c.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        if fd >= 0 {
            // SAFETY: a new descriptor nobody else owns.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) });
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ENOSYS) {
            return Err(e);
        }
        open_stepwise(p, flags)
    }

    fn openat(dir: &OwnedFd, name: &OsStr, flags: i32) -> io::Result<OwnedFd> {
        let c = cstr(name)?;
        // SAFETY: a valid descriptor and C string; the result is owned here.
        let fd = unsafe {
            libc::openat(
                dir.as_raw_fd(),
                c.as_ptr(),
                flags | libc::O_CLOEXEC | libc::O_NOFOLLOW,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new descriptor nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    fn open_stepwise(p: &Path, flags: i32) -> io::Result<OwnedFd> {
        let names: Vec<&OsStr> = p
            .components()
            .map(|c| match c {
                Component::RootDir => Ok(None),
                Component::Normal(n) => Ok(Some(n)),
                _ => Err(io::Error::from(io::ErrorKind::InvalidInput)),
            })
            .collect::<io::Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();
        let mut fd: OwnedFd = fs::File::open("/")?.into();
        let Some((last, dirs)) = names.split_last() else {
            return open(Path::new("/"), flags);
        };
        for n in dirs {
            fd = openat(&fd, n, libc::O_PATH | libc::O_DIRECTORY)?;
        }
        openat(&fd, last, flags)
    }

    /// `lstat` of `p` with no link in its directories.
    pub fn lstat(p: &Path) -> io::Result<fs::Metadata> {
        let fd = open(p, libc::O_PATH)?;
        fs::File::from(fd).metadata()
    }

    /// The type of a directory entry, as listed (links not followed).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Kind {
        Dir,
        Link,
        Other,
    }

    impl Kind {
        pub fn is_dir(self) -> bool {
            self == Kind::Dir
        }
        pub fn is_symlink(self) -> bool {
            self == Kind::Link
        }
    }

    fn kind_of_mode(mode: u32) -> Kind {
        match mode & libc::S_IFMT {
            libc::S_IFDIR => Kind::Dir,
            libc::S_IFLNK => Kind::Link,
            _ => Kind::Other,
        }
    }

    /// The entries of directory `p`: names and types. Read with
    /// `getdents64` from the descriptor opened here (the search lists every
    /// directory of the writable trees twice a run: four system calls a
    /// directory, where `opendir` takes seven).
    pub fn read_dir(p: &Path) -> io::Result<Vec<(OsString, Kind)>> {
        let fd = open(p, libc::O_RDONLY | libc::O_DIRECTORY)?;
        let mut out = Vec::new();
        let mut buf = vec![0u8; 32 * 1024];
        loop {
            // SAFETY: a valid descriptor and a buffer of the length passed.
            let n = unsafe {
                libc::syscall(
                    libc::SYS_getdents64,
                    fd.as_raw_fd(),
                    buf.as_mut_ptr(),
                    buf.len(),
                )
            };
            if n < 0 {
                return Err(io::Error::last_os_error());
            }
            if n == 0 {
                return Ok(out);
            }
            // struct linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type,
            // then the name, NUL-terminated.
            let mut at = 0usize;
            while at + 19 < n as usize {
                let reclen = u16::from_ne_bytes([buf[at + 16], buf[at + 17]]) as usize;
                if reclen == 0 || at + reclen > n as usize {
                    return Err(io::Error::from(io::ErrorKind::InvalidData));
                }
                let d_type = buf[at + 18];
                let raw = &buf[at + 19..at + reclen];
                let name = &raw[..raw.iter().position(|b| *b == 0).unwrap_or(raw.len())];
                at += reclen;
                if name == b"." || name == b".." {
                    continue;
                }
                let kind = match d_type {
                    libc::DT_DIR => Kind::Dir,
                    libc::DT_LNK => Kind::Link,
                    libc::DT_UNKNOWN => kind_of_mode(lstat_at(&fd, name)?),
                    _ => Kind::Other,
                };
                out.push((OsStr::from_bytes(name).to_os_string(), kind));
            }
        }
    }

    /// The file type bits of `name` in directory `dir`, not following it.
    fn lstat_at(dir: &OwnedFd, name: &[u8]) -> io::Result<u32> {
        let c = CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
        // SAFETY: `stat` is plain integers, filled in by the call.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor, C string and `stat` buffer.
        if unsafe {
            libc::fstatat(
                dir.as_raw_fd(),
                c.as_ptr(),
                &mut st,
                libc::AT_SYMLINK_NOFOLLOW,
            )
        } != 0
        {
            return Err(io::Error::last_os_error());
        }
        Ok(st.st_mode)
    }

    /// The text of a regular file of at most `max` bytes.
    pub fn read_small(p: &Path, max: u64) -> Option<String> {
        let fd = open(p, libc::O_RDONLY | libc::O_NONBLOCK).ok()?;
        let mut f = fs::File::from(fd);
        let m = f.metadata().ok()?;
        if !m.is_file() || m.len() > max {
            return None;
        }
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    }

    fn parent_and_name(p: &Path) -> io::Result<(OwnedFd, CString)> {
        let (Some(parent), Some(name)) = (p.parent(), p.file_name()) else {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        };
        Ok((open(parent, libc::O_PATH | libc::O_DIRECTORY)?, cstr(name)?))
    }

    /// Rename `p` (itself, also when it is a link) to `to_name` in the
    /// same directory; never over an existing entry.
    pub fn rename_beside(p: &Path, to_name: &OsStr) -> io::Result<PathBuf> {
        let (dir, from) = parent_and_name(p)?;
        let to = cstr(to_name)?;
        // SAFETY: a valid descriptor and C strings.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                dir.as_raw_fd(),
                from.as_ptr(),
                dir.as_raw_fd(),
                to.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if r != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(p.with_file_name(to_name))
    }

    /// Create directory `p` in its (link-free) parent.
    pub fn mkdir(p: &Path) -> io::Result<()> {
        let (dir, name) = parent_and_name(p)?;
        // SAFETY: a valid descriptor and C string.
        if unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o755) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
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
        assert!(dirs.dirs.contains(&ws.join(".git/modules/lib")), "{dirs:?}");
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
        fs::write(ws.join("new/.git/hooks/pre-commit"), "").unwrap();
        fs::create_dir_all(ws.join("empty/.git/hooks")).unwrap();
        fs::write(ws.join("new/.git/config"), "").unwrap();
        fs::create_dir_all(ws.join("linked")).unwrap();
        std::os::unix::fs::symlink("/elsewhere", ws.join("linked/.git")).unwrap();
        fs::create_dir_all(ws.join(".git/modules/lib/hooks")).unwrap();
        fs::write(ws.join(".git/modules/lib/hooks/post-checkout"), "").unwrap();
        fs::write(ws.join(".git/HEAD"), "ref: refs/heads/other\n").unwrap();
        fs::write(ws.join(".git/index"), "").unwrap();
        let sw = sweep(&roots, &[], &writable, &|_| false, &home, &before);
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
        // An empty directory (the hooks a concurrent run's helper made)
        // stays.
        assert!(ws.join("empty/.git/hooks").is_dir());
        let sw = sweep(&roots, &[], &writable, &|_| false, &home, &before);
        assert!(sw.quarantined.is_empty(), "{:?}", sw.quarantined);
        // Whatever changed an entry (the run, or the user outside while a
        // read-only bind of it was detached by a rename), it is moved aside
        // with how to put it back; so is the same content in a new file.
        let cfg = ws.join(".git/config");
        let old = fs::read(&cfg).unwrap();
        fs::remove_file(&cfg).unwrap();
        fs::write(&cfg, &old).unwrap();
        let sw = sweep(&roots, &[], &writable, &|_| false, &home, &before);
        assert_eq!(sw.quarantined.len(), 1, "{:?}", sw.quarantined);
        assert!(
            sw.quarantined[0].why.contains("move it back"),
            "{:?}",
            sw.quarantined
        );
        assert!(!cfg.exists());
        // A hook rewritten in place in an existing hooks directory shows.
        fs::write(ws.join(".git/hooks/post-checkout"), "").unwrap();
        let found = find(&roots, 1000, 8);
        let dirs = git_dirs(&found.dirs, &found.pointers, &writable);
        let before = snapshot(&dirs, &found.pointers, &home);
        fs::write(ws.join(".git/hooks/post-checkout"), "#!/bin/sh\n").unwrap();
        let sw = sweep(&roots, &[], &writable, &|_| false, &home, &before);
        let moved: Vec<_> = sw.quarantined.iter().map(|q| q.path.clone()).collect();
        assert_eq!(moved, vec![ws.join(".git/hooks").display().to_string()]);
    }

    #[test]
    fn a_modules_directory_past_the_walk_bound_is_moved_aside() {
        // On a tmpfs where there is one: a disk file system takes long to
        // create the entries.
        let t = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(ws.join(".git/hooks")).unwrap();
        fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let roots = vec![ws.clone()];
        let writable = |p: &Path| p.starts_with(&ws);
        let found = find(&roots, 1000, 8);
        let before = snapshot(
            &git_dirs(&found.dirs, &found.pointers, &writable),
            &found.pointers,
            &ws,
        );
        // The run: more entries below `modules` than a pass walks.
        fs::create_dir_all(ws.join(".git/modules")).unwrap();
        for i in 0..=NESTED_PER_PASS {
            fs::write(ws.join(format!(".git/modules/{i}")), "").unwrap();
        }
        let gd = git_dirs(&found.dirs, &found.pointers, &writable);
        assert_eq!(gd.over, vec![ws.join(".git/modules")]);
        let sw = sweep(&roots, &[], &writable, &|_| false, &ws, &before);
        assert!(!sw.over_budget.is_empty());
        assert!(!ws.join(".git/modules").exists(), "{:?}", sw.quarantined);
    }

    #[test]
    fn an_include_bomb_is_bounded_and_its_configuration_moved_aside() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(ws.join("r/.git/hooks")).unwrap();
        fs::write(ws.join("r/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::create_dir_all(ws.join("inc")).unwrap();
        let lines: String = (0..4000).map(|i| format!("path = m/{i}\n")).collect();
        let mut cfg = String::from("[include]\n");
        for i in 0..40 {
            fs::write(ws.join(format!("inc/f{i}")), format!("[include]\n{lines}")).unwrap();
            cfg.push_str(&format!("path = ../../inc/f{i}\n"));
        }
        let roots = vec![ws.clone()];
        let writable = |p: &Path| p.starts_with(&ws);
        let before = Snapshot::new();
        fs::write(ws.join("r/.git/config"), &cfg).unwrap();
        let started = std::time::Instant::now();
        let mut budget = Budget::default();
        let e = entries(&ws.join("r/.git"), &ws, &mut budget);
        assert!(!e.over.is_empty());
        let sw = sweep(&roots, &[], &writable, &|_| false, &ws, &before);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(!ws.join("r/.git/config").exists(), "{:?}", sw.quarantined);
        assert!(!sw.over_budget.is_empty());
    }

    #[test]
    fn links_where_git_expects_directories_are_moved_aside_not_followed() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let out = base.join("out");
        fs::create_dir_all(ws.join(".git/hooks")).unwrap();
        fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::create_dir_all(out.join("repo/hooks")).unwrap();
        fs::write(out.join("repo/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(out.join("repo/config"), "").unwrap();
        let roots = vec![ws.clone()];
        let writable = |p: &Path| p.starts_with(&ws);
        let found = find(&roots, 1000, 8);
        let before = snapshot(
            &git_dirs(&found.dirs, &found.pointers, &writable),
            &found.pointers,
            &base,
        );
        // The run: links to a directory outside holding a git dir.
        std::os::unix::fs::symlink(&out, ws.join(".git/modules")).unwrap();
        fs::create_dir_all(ws.join(".git/worktrees")).unwrap();
        std::os::unix::fs::symlink(out.join("repo"), ws.join(".git/worktrees/wt")).unwrap();
        let gd = git_dirs(&found.dirs, &found.pointers, &writable);
        assert_eq!(gd.dirs, vec![ws.join(".git")]);
        let sw = sweep(&roots, &[], &writable, &|_| false, &base, &before);
        let moved: Vec<_> = sw.quarantined.iter().map(|q| q.path.clone()).collect();
        assert_eq!(
            moved,
            vec![
                ws.join(".git/modules").display().to_string(),
                ws.join(".git/worktrees/wt").display().to_string()
            ]
        );
        assert!(
            fs::symlink_metadata(ws.join(".git/modules.ku0-quarantine-1"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        // Nothing outside was renamed or made.
        let mut names: Vec<_> = fs::read_dir(out.join("repo"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["HEAD", "config", "hooks"]);
        // Through a link, nothing is created or renamed.
        assert!(nofollow::mkdir(&ws.join(".git/modules.ku0-quarantine-1/x")).is_err());
        assert!(nofollow::lstat(&ws.join(".git/modules.ku0-quarantine-1/repo")).is_err());
    }
}
