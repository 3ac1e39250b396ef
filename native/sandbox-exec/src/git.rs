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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    entry: Fingerprint,
    /// For a directory (`hooks/`, `info/`), its listing ([`listing`]);
    /// `None` for anything else, or past [`LISTING_ENTRIES`].
    content: Option<u64>,
    /// For a symbolic link, its text: only to say in the report where it
    /// led before the run (the judgement is by [`Fingerprint`]).
    link: Option<PathBuf>,
}

/// Entries of a directory listed to tell a file in it rewritten.
pub const LISTING_ENTRIES: usize = 1000;

/// The listing of directory `p`: each entry's name, inode, mode, owner,
/// size and change time, hashed with a key chosen per process (a command
/// cannot aim at a collision). A directory's own change time does not show
/// a file in it rewritten in place (a hook written through a hard link), its
/// listing does. `None` for anything but a directory, or a large one.
fn listing(p: &Path) -> Option<u64> {
    use std::hash::{BuildHasher, Hash, Hasher};
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    // Fails for anything but a directory (a link to one included).
    let mut list = nofollow::read_dir_stat(p, LISTING_ENTRIES).ok()??;
    list.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = KEY
        .get_or_init(std::collections::hash_map::RandomState::new)
        .build_hasher();
    for (name, e) in list {
        (name, e.st_ino, e.st_mode, e.st_uid, e.st_gid, e.st_size).hash(&mut h);
        (e.st_ctime, e.st_ctime_nsec).hash(&mut h);
    }
    Some(h.finish())
}

/// The indirection entries present before the run, by path, when they
/// were recorded, and what the sweep must judge whatever the run did to
/// the configuration that named it.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    entries: BTreeMap<PathBuf, Recorded>,
    /// Every path the plan knew git would read, run or follow (hooks
    /// directories, hooks by name, links on the way, state directories),
    /// existing or not: the sweep judges each of them, so that a
    /// configuration file the run added or changed cannot make it forget
    /// them.
    watched: BTreeSet<PathBuf>,
    /// Directories the user's shell looks up programs in (`PATH`), and
    /// files a start-up file sources, that did not exist before the run,
    /// each with the deepest directory on its way that did and what reads
    /// it: what the run made there, or on the way, is moved aside
    /// ([`sweep_made_ways`]).
    made_ways: Vec<(PathBuf, PathBuf, String)>,
    /// The working-tree tops of each git dir known from the `.git` files
    /// and links that lead to it (a `--separate-git-dir` repository): a
    /// relative `core.hooksPath` is taken from there.
    tops: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// The file-system clock (`CLOCK_REALTIME_COARSE`, the clock change
    /// and birth times come from) when recording began: an entry the
    /// sweep moves aside that was not recorded is told apart by its birth
    /// and change times, for the report's reason only. `None`: unknown.
    taken: Option<(i64, i64)>,
    /// What the search before the run saw of the writable trees: the
    /// sweep lists again only the directories that changed.
    walk: Option<std::sync::Arc<Walk>>,
    /// The `assume-unchanged` and `skip-worktree` marks of the index of
    /// each git dir before the run: the sweep clears those the run set
    /// ([`crate::index`]).
    index_marks: BTreeMap<PathBuf, crate::index::Marks>,
    /// The replace refs in the `packed-refs` of each git dir before the
    /// run: the sweep drops those the run added.
    packed_replace: BTreeMap<PathBuf, Vec<Vec<u8>>>,
    /// `filesystem.allow_hidden_files: false`: the sweep moves aside the
    /// dot entries made or changed during the run ([`Found::dots`]).
    pub no_hidden: bool,
    /// Device and inode of each object store (`objects`) and its `pack`
    /// directory before the run: one renamed into place since holds
    /// objects whose change times predate the run
    /// ([`crate::objects::check_store`]).
    stores: BTreeMap<PathBuf, (u64, u64)>,
    /// Device and inode of each git dir known before the run: only those
    /// (and `.git` directories) are exempt from the sweep of the working
    /// trees' links and dot entries ([`Keep::known_git_dir`]).
    git_dir_ids: BTreeMap<PathBuf, (u64, u64)>,
}

impl std::ops::Deref for Snapshot {
    type Target = BTreeMap<PathBuf, Recorded>;
    fn deref(&self) -> &Self::Target {
        &self.entries
    }
}

impl Snapshot {
    /// Record `paths` (existing or not) for the sweep to judge as it
    /// judges the entries git reads: one the run made or changed is moved
    /// aside.
    /// Record `dir`, a `PATH` directory or a file a start-up file names,
    /// missing before the run, `base`, the deepest existing directory on
    /// its way, and `what` names it (`$PATH entry X`, `~/.bashrc line 3:
    /// source`).
    pub fn watch_made(&mut self, base: PathBuf, dir: PathBuf, what: String) {
        self.made_ways.push((base, dir, what));
    }

    pub fn watch(&mut self, paths: &[PathBuf]) {
        for p in paths {
            if let Some(entry) = fingerprint(p) {
                let content = listing(p);
                let link = (entry.mode == libc::S_IFLNK)
                    .then(|| fs::read_link(p).ok())
                    .flatten();
                self.entries.entry(p.clone()).or_insert(Recorded {
                    entry,
                    content,
                    link,
                });
            }
            self.watched.insert(p.clone());
        }
    }

    /// Whether the entry of status `m` was made or changed during the run:
    /// its change time is on or after the snapshot's clock (every entry,
    /// when that clock is unknown).
    fn changed(&self, m: &fs::Metadata) -> bool {
        match self.since() {
            Some(t) => (m.ctime(), m.ctime_nsec()) >= t,
            None => true,
        }
    }

    /// The snapshot's clock, while change times still tell what was made
    /// or changed after it: `None` (every entry counts) when it is unknown
    /// or the clock was set since ([`crate::clock::was_set`]).
    fn since(&self) -> Option<(i64, i64)> {
        crate::clock::unless_set(self.taken)
    }

    /// An empty snapshot with no time: whatever is found after the run
    /// counts as made during it.
    #[cfg(test)]
    pub fn new() -> Snapshot {
        Snapshot::default()
    }

    /// Keep `walk`, the record of the search before the run (from
    /// [`Found::walk`]), for the sweep.
    pub fn set_walk(&mut self, walk: Option<Walk>) {
        self.walk = walk.map(std::sync::Arc::new);
    }

    /// The record of the search before the run, when it can be used now
    /// (see [`Walk::usable`]).
    pub fn walk(&self) -> Option<&Walk> {
        self.walk.as_deref().filter(|w| w.usable_now())
    }

    /// Whether directory `p` is the one recorded at that path before the
    /// run (device and inode); `false` when none was.
    fn store_as_recorded(&self, p: &Path) -> bool {
        self.stores
            .get(p)
            .is_some_and(|&id| nofollow::lstat(p).is_ok_and(|m| (m.dev(), m.ino()) == id))
    }

    /// Whether directory `p` is a git dir known before the run, found at
    /// its path as it was then (device and inode).
    fn git_dir_as_recorded(&self, p: &Path) -> bool {
        self.git_dir_ids
            .get(p)
            .is_some_and(|&id| nofollow::lstat(p).is_ok_and(|m| (m.dev(), m.ino()) == id))
    }

    /// Add what `other` recorded; the earlier time stays.
    pub fn merge(&mut self, other: Snapshot) {
        self.stores.extend(other.stores);
        self.git_dir_ids.extend(other.git_dir_ids);
        self.walk = self.walk.take().or(other.walk);
        self.no_hidden |= other.no_hidden;
        self.entries.extend(other.entries);
        self.watched.extend(other.watched);
        self.made_ways.extend(other.made_ways);
        self.index_marks.extend(other.index_marks);
        self.packed_replace.extend(other.packed_replace);
        for (g, t) in other.tops {
            self.tops.entry(g).or_default().extend(t);
        }
        self.taken = match (self.taken, other.taken) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// Whether `p` is as recorded: the very entry, or still missing.
    fn as_recorded(&self, p: &Path) -> bool {
        match self.entries.get(p) {
            Some(r) => fingerprint(p) == Some(r.entry),
            None => nofollow::lstat(p).is_err(),
        }
    }

    /// The working-tree tops recorded for git dir `g`.
    fn tops_of(&self, g: &Path) -> Vec<PathBuf> {
        self.tops
            .get(g)
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// What the `.git` search found: directories named `.git`, and `.git`
/// entries that are files or symbolic links (pointers to a git dir).
#[derive(Debug, Default)]
pub struct Found {
    pub dirs: Vec<PathBuf>,
    pub pointers: Vec<PathBuf>,
    /// The search visited every directory within its bounds.
    pub complete: bool,
    /// The first directory the search could not list, and why.
    pub unlistable: Option<(PathBuf, String)>,
    /// Directories given back their owner's read and search permission to
    /// be listed (only by [`find_each_repairing`]).
    pub made_listable: Vec<PathBuf>,
    /// FIFOs, sockets and device nodes inside git dirs, files with more than
    /// one name outside the object store, and symbolic links there other
    /// than the one git itself makes ([`git_symref_link`]):
    /// git makes none, opening a special file would make it wait (so would
    /// the helper's own planning), and git writes through a link at the
    /// name of a file it writes (`COMMIT_EDITMSG`, a reflog, the index,
    /// `packed-refs`). The first [`SPECIAL_HELD`]; past it the search is
    /// incomplete. The sweep judges each (see [`sweep`]).
    pub special: Vec<PathBuf>,
    /// Symbolic links outside git dirs, in the directories listed, that
    /// [`Keep::link`] keeps (only by [`find_each_repairing`]: the
    /// directories the run changed or made, where every link it made or
    /// replaced lies). The first [`SPECIAL_HELD`]; past it the search is
    /// incomplete.
    pub links: Vec<PathBuf>,
    /// Entries with a dot name (not `.git`) outside git dirs, in the
    /// directories listed, that [`Keep::dot`] keeps, none below another one
    /// kept (it is moved aside whole). The first [`SPECIAL_HELD`]; past it
    /// the search is incomplete.
    pub dots: Vec<PathBuf>,
    /// Metadata directories of other VCSs ([`crate::vcs::VCS_DIRS`]: `.hg`,
    /// `.sl`, `_darcs`, `.pijul`, `.jj`) outside git dirs.
    pub vcs: Vec<PathBuf>,
    /// Directories opened and listed.
    pub listed: usize,
    /// Directories found as the search before the run recorded them, and
    /// not listed again (only by [`find_each_repairing`] given a [`Walk`]).
    pub reused: usize,
    /// What the search saw, for the sweep after the run (only by [`find`]).
    pub walk: Option<Walk>,
}

/// Special files in git dirs a search holds (see [`Found::special`]).
pub const SPECIAL_HELD: usize = 10_000;

/// Bytes of paths the search holds at once (the directories it is in, the
/// git dirs and pointers it collects): a command can make a tree of
/// millions of long paths, which must not make the helper's memory grow
/// with it. Past it the search is incomplete.
pub const FIND_PATH_BYTES: usize = 64 << 20;

/// Depth-first search below `roots` for `.git` entries and other git
/// dirs. Every directory is entered (a repository in `node_modules/dep` or
/// ten levels down is protected like any other), git dirs too, all of
/// them: a decoy git dir must not hide the repositories below it, and git
/// reaches a repository hidden in a git dir's `refs/`, `logs/` or
/// `objects/` through a gitlink entry of the (writable) index or a link.
/// None is entered through a symbolic link (each one is opened refusing
/// links, see [`nofollow`]). At most `limit` entries, `max_depth` levels and [`FIND_PATH_BYTES`] of paths
/// held: past either, or on a directory it cannot list, the search is
/// incomplete, which the caller must treat as such.
///
/// What it lists outside git dirs is recorded in [`Found::walk`] (unless
/// the clocks cannot be read, or the record would be too large), for the
/// sweep after the run to list again only what changed.
pub fn find(roots: &[PathBuf], limit: usize, max_depth: usize) -> Found {
    let mut pointers = Vec::new();
    let mut held = 0usize;
    let mut walk = match (crate::clock::fs_now(), crate::clock::boot_now()) {
        (Some(t), Some(b)) => Some(Walk::new(t, b)),
        _ => None,
    };
    let rec = match walk.as_mut() {
        Some(w) => Recording::Record(w),
        None => Recording::Off,
    };
    let mut on_pointer = |p: PathBuf| {
        held += p.as_os_str().len();
        pointers.push(p);
        held <= FIND_PATH_BYTES
    };
    let mut found = find_each_with(roots, limit, max_depth, &mut on_pointer, false, rec, None);
    pointers.sort();
    pointers.dedup();
    found.pointers = pointers;
    found.walk = walk.filter(|w| !w.dropped);
    found
}

/// [`find`] for the sweep after the run, handing each `.git` pointer to
/// `on_pointer` as it is found instead of collecting it (the sweep judges
/// them one by one, so its memory does not grow with their number;
/// `on_pointer` returns `false` to stop the search, incomplete). A
/// directory it cannot list
/// for want of permission (a command's `chmod 111 hide` over a planted
/// repository) gets its owner's read and search permission back and is
/// listed then. The roots are writable trees, whose files the run could
/// chmod anyway; only directories the helper's user owns (or any, as root)
/// can be changed, and the change is listed in the result.
///
/// With `walked`, the record of the search before the run ([`Walk`]), a
/// directory outside git dirs that has not changed since it was recorded
/// ([`Walk::check`]) is not opened again: what the search needs of its
/// entries is taken from the record. Every other directory is listed, so
/// the cost is one `fstatat` per unchanged directory plus the listing of
/// what changed (and of the git dirs, always listed in full).
pub fn find_each_repairing(
    roots: &[PathBuf],
    limit: usize,
    max_depth: usize,
    on_pointer: &mut dyn FnMut(PathBuf) -> bool,
    walked: Option<&Walk>,
    keep: Option<&Keep<'_>>,
) -> Found {
    let rec = match walked {
        Some(w) => Recording::Reuse(w),
        None => Recording::Off,
    };
    find_each_with(roots, limit, max_depth, on_pointer, true, rec, keep)
}

/// Which entries of the working trees (outside git dirs) the search after
/// the run holds for the sweep: only those it will move aside, so that an
/// ordinary run's many links (`node_modules/.bin`, a pnpm store) cost
/// nothing held.
pub struct Keep<'a> {
    /// Symbolic links.
    pub link: &'a dyn Fn(&Path) -> bool,
    /// Entries with a dot name; `None`: none.
    pub dot: Option<&'a dyn Fn(&Path) -> bool>,
    /// Whether a directory shaped like a git dir (`HEAD` with `objects`
    /// and `refs`, or `commondir`), not named `.git`, is one known before
    /// the run. Only those (and `.git` directories, and what lies in
    /// either) are exempt from [`Keep::link`] (their links are judged as
    /// special files), and only `.git` directories from [`Keep::dot`]: the
    /// shape is three names the run can make, and a directory it shaped
    /// during the run (or an earlier run did) gets the sweep of any other
    /// directory (as well as that of a git dir, as git may take it for
    /// one).
    pub known_git_dir: &'a dyn Fn(&Path) -> bool,
}

/// Whether the search records what it lists, uses such a record, or
/// neither.
enum Recording<'a> {
    Off,
    Record(&'a mut Walk),
    Reuse(&'a Walk),
}

/// No node of a [`Walk`].
const NO_NODE: u32 = u32::MAX;

/// What the search before the run saw of each directory it listed outside
/// git dirs: its identity (device, inode), its change time, and of its
/// entries what the search acts on (the subdirectories it enters, a `.git`
/// entry that is no directory, how many others it counted). The sweep
/// after the run lists again only the directories that changed
/// ([`Walk::check`]; docs/exec.md, "The search after the run").
///
/// Why that finds all the search would find: what the search does in a
/// directory outside git dirs depends only on the names and types of its
/// entries (which to enter, which `.git` is a pointer, whether `HEAD`,
/// `objects`, `refs`, `commondir` make it a git dir), on whether it can be
/// listed, and on its depth. Creating, removing or renaming an entry (in or
/// out) changes the directory's change time, and so does `chmod`, `chown`
/// or anything else done to the directory's own inode; an entry's type
/// cannot change without removing it. No process can set a change time
/// (`utimensat` sets only access and modification times); the kernel sets
/// it to the coarse real-time clock when the change happens (or to a
/// fine-grained time, which is never earlier). So a directory whose device
/// and inode are the ones recorded for its path, whose change time is the
/// one recorded, and whose change time lies in a whole second before the
/// one in which the search began, has the entries it had when it was
/// listed. What does not change the directory is handled elsewhere: a
/// `.git` pointer's content is read again (every pointer, recorded or not,
/// goes to `on_pointer` as before, to be judged by its own identity and
/// change time); a subdirectory is checked on its own; git dirs (and all
/// below them, where links may lead to special files whose target changed)
/// are listed in full every time.
#[derive(Debug, Default)]
pub struct Walk {
    /// The coarse real-time clock when the search began: change times in
    /// that second or later count as changes.
    started: (i64, i64),
    /// `CLOCK_BOOTTIME` at the same moment: a real-time clock that moved
    /// back meanwhile (against it) makes the record unusable.
    started_boot: (i64, i64),
    roots: Vec<(PathBuf, u32)>,
    dirs: Vec<WalkedDir>,
    /// The devices met, and whether their file system stamps change times
    /// with this kernel's clock (see [`local_file_system`]).
    devices: Vec<(u64, bool)>,
    /// Bytes held (names and nodes): past [`FIND_PATH_BYTES`] the record
    /// is dropped, and the sweep walks in full.
    bytes: usize,
    dropped: bool,
}

#[derive(Debug)]
struct WalkedDir {
    dev: u64,
    ino: u64,
    ctime: (i64, i64),
    /// Its permission bits: the sweep gives back write bits for the
    /// group and others the run added.
    mode: u32,
    /// Its ACLs, when it has any (see [`crate::perms`]).
    acls: Option<Box<crate::perms::Acls>>,
    /// Entries that are neither subdirectories nor a `.git` pointer (what
    /// the search counts against its bound but does nothing with).
    others: usize,
    /// The subdirectories, sorted by name, each with its node (or
    /// [`NO_NODE`]: a git dir, or one not entered).
    subdirs: Vec<(std::ffi::OsString, u32)>,
    /// A `.git` entry that is not a directory.
    pointer: bool,
    /// The symbolic links in it, sorted by name, each with its inode and
    /// target: the sweep tells a link that was there (the user's) from one
    /// the run made or put in its place by name, inode and target (a new
    /// link may get a freed inode number), not by change time, which a
    /// hard link to it moves too.
    links: Vec<(std::ffi::OsString, u64, PathBuf)>,
    /// The names of its other entries (files, links, anything not a
    /// directory), sorted: the sweep tells a file that was there before the
    /// run (whose `?? name` line `git status` printed already) from a new
    /// one ([`Walk::file_was_there`]).
    files: Vec<std::ffi::OsString>,
}

/// What the record says of a directory at a path ([`Walk::node_at`]).
enum At {
    /// Recorded there, the same directory: its node.
    Same(u32),
    /// Not there when recorded (another directory, or none).
    Not,
    /// Not known.
    Unknown,
}

/// What [`Walk::check`] finds of a recorded directory.
#[derive(Debug, PartialEq, Eq)]
enum Checked {
    /// As recorded: its entries are those recorded.
    Same,
    /// The recorded directory, changed (or on a file system whose times
    /// are not trusted): listed again; its subdirectories are checked.
    Changed,
    /// Another file, or none: walked in full, the record below not used.
    Other,
}

impl Walk {
    fn new(started: (i64, i64), started_boot: (i64, i64)) -> Walk {
        Walk {
            started,
            started_boot,
            ..Walk::default()
        }
    }

    /// Whether the record can be used by a sweep that reads the clocks
    /// `now` and `now_boot`: not dropped, and the real-time clock did not
    /// go back since the search began (by more than slewing explains:
    /// 0.1 % of the time elapsed, against the boot clock).
    pub fn usable(&self, now: Option<(i64, i64)>, now_boot: Option<(i64, i64)>) -> bool {
        let (Some(now), Some(boot)) = (now, now_boot) else {
            return false;
        };
        let ns = |t: (i64, i64)| i128::from(t.0) * 1_000_000_000 + i128::from(t.1);
        let real = ns(now) - ns(self.started);
        let elapsed = ns(boot) - ns(self.started_boot);
        !self.dropped && real >= 0 && elapsed >= 0 && real >= elapsed - elapsed / 1000 - 10_000_000
    }

    /// [`Walk::usable`] with the clocks read now, and only while the
    /// real-time clock was not set since the record began (set back and
    /// forth again, it would look as if it had run on).
    pub fn usable_now(&self) -> bool {
        self.usable(crate::clock::fs_now(), crate::clock::boot_now()) && !crate::clock::was_set()
    }

    fn root(&self, r: &Path) -> u32 {
        self.roots
            .iter()
            .find(|(p, _)| p == r)
            .map_or(NO_NODE, |(_, n)| *n)
    }

    fn child(&self, node: u32, name: &std::ffi::OsStr) -> u32 {
        let Some(d) = self.dirs.get(node as usize) else {
            return NO_NODE;
        };
        d.subdirs
            .binary_search_by(|(n, _)| n.as_os_str().cmp(name))
            .map_or(NO_NODE, |i| d.subdirs[i].1)
    }

    /// Judge recorded directory `node` by the status of `p` now, taken
    /// without following a link at its end (the directories on the way
    /// were checked or listed, refusing links, by this same search, and no
    /// process of the run is left to change them).
    fn check(&self, node: u32, p: &Path, root: bool) -> Checked {
        let Some(d) = self.dirs.get(node as usize) else {
            return Checked::Other;
        };
        let st = if root {
            nofollow::lstat(p).map(|m| (m.dev(), m.ino(), m.mode(), (m.ctime(), m.ctime_nsec())))
        } else {
            nofollow::lstat_last(p)
                .map(|s| (s.st_dev, s.st_ino, s.st_mode, (s.st_ctime, s.st_ctime_nsec)))
        };
        let Ok((dev, ino, mode, ctime)) = st else {
            return Checked::Other;
        };
        if mode & libc::S_IFMT != libc::S_IFDIR || (dev, ino) != (d.dev, d.ino) {
            return Checked::Other;
        }
        Walk::judge(d, ctime, self.started, self.local(dev))
    }

    /// The rule: a recorded directory is as recorded when its change time
    /// is the recorded one and lies in a second before the one the search
    /// began in (a change in the same clock tick as the recording, or in
    /// the same second, counts as a change), on a file system whose change
    /// times this kernel stamps.
    fn judge(d: &WalkedDir, ctime: (i64, i64), started: (i64, i64), local: bool) -> Checked {
        if local && ctime == d.ctime && ctime.0 < started.0 {
            Checked::Same
        } else {
            Checked::Changed
        }
    }

    fn local(&self, dev: u64) -> bool {
        self.devices.iter().any(|&(d, l)| d == dev && l)
    }

    /// Record directory `dir` as listed (`st`: its status taken before the
    /// listing), below node `parent` (or as root). Returns its node.
    fn add(
        &mut self,
        dir: &Path,
        parent: u32,
        root: bool,
        st: &libc::stat,
        list: &[(std::ffi::OsString, nofollow::Kind)],
    ) -> u32 {
        if self.dropped {
            return NO_NODE;
        }
        let mut subdirs: Vec<(std::ffi::OsString, u32)> = list
            .iter()
            .filter(|(_, k)| k.is_dir())
            .map(|(n, _)| (n.clone(), NO_NODE))
            .collect();
        subdirs.sort();
        let pointer = list.iter().any(|(n, k)| n == ".git" && !k.is_dir());
        let mut links: Vec<(std::ffi::OsString, u64, PathBuf)> = list
            .iter()
            .filter(|(_, k)| k.is_symlink())
            .filter_map(|(n, _)| {
                let p = dir.join(n);
                let st = nofollow::lstat_last(&p).ok()?;
                let to = fs::read_link(&p).ok()?;
                (st.st_mode & libc::S_IFMT == libc::S_IFLNK).then(|| (n.clone(), st.st_ino, to))
            })
            .collect();
        links.sort();
        let mut files: Vec<std::ffi::OsString> = list
            .iter()
            .filter(|(_, k)| !k.is_dir())
            .map(|(n, _)| n.clone())
            .collect();
        files.sort();
        self.bytes += 64
            + subdirs.iter().map(|(n, _)| n.len() + 32).sum::<usize>()
            + files.iter().map(|n| n.len() + 24).sum::<usize>()
            + links
                .iter()
                .map(|(n, _, t)| n.len() + t.as_os_str().len() + 64)
                .sum::<usize>();
        if self.bytes > FIND_PATH_BYTES || self.dirs.len() >= NO_NODE as usize - 1 {
            self.dropped = true;
            self.dirs = Vec::new();
            self.roots = Vec::new();
            return NO_NODE;
        }
        let node = self.dirs.len() as u32;
        self.dirs.push(WalkedDir {
            dev: st.st_dev,
            ino: st.st_ino,
            ctime: (st.st_ctime, st.st_ctime_nsec),
            mode: st.st_mode & 0o7777,
            acls: crate::perms::acls_of(dir),
            others: list.len() - subdirs.len() - usize::from(pointer),
            subdirs,
            pointer,
            links,
            files,
        });
        if root {
            self.roots.push((dir.to_path_buf(), node));
        } else if let (Some(name), Some(p)) = (dir.file_name(), self.dirs.get_mut(parent as usize))
        {
            if let Ok(i) = p.subdirs.binary_search_by(|(n, _)| n.as_os_str().cmp(name)) {
                p.subdirs[i].1 = node;
            }
        }
        node
    }

    /// Whether the symbolic link `p` (device `dev`, inode `ino`) was there
    /// when the search before the run listed its directory: the same inode
    /// with the same target at the same name. `None` when its directory was
    /// not recorded (a git dir, beyond the bound, a record dropped).
    /// A directory renamed into place, or a new one, was not there: a link
    /// in it was not there either, whatever its own change time (a rename
    /// of a directory does not change the change times of what is in it).
    pub fn link_was_there(&self, p: &Path, dev: u64, ino: u64) -> Option<bool> {
        let (dir, name) = (p.parent()?, p.file_name()?);
        let m = nofollow::lstat(dir).ok()?;
        let node = match self.node_at(dir, m.dev(), m.ino()) {
            At::Same(n) => n,
            At::Not => return Some(false),
            At::Unknown => return None,
        };
        let d = self.dirs.get(node as usize)?;
        if d.dev != dev {
            return Some(false);
        }
        Some(
            d.links
                .binary_search_by(|(n, _, _)| n.as_os_str().cmp(name))
                .is_ok_and(|i| {
                    d.links[i].1 == ino && fs::read_link(p).is_ok_and(|t| t == d.links[i].2)
                }),
        )
    }

    /// Whether an entry named `name` that is not a directory was in
    /// directory `dir` (device `dev`, inode `ino` now) when the search
    /// before the run listed it: `Some(false)` also when the directory was
    /// not there; `None` when nothing recorded says.
    pub fn file_was_there(
        &self,
        dir: &Path,
        dev: u64,
        ino: u64,
        name: &std::ffi::OsStr,
    ) -> Option<bool> {
        match self.node_at(dir, dev, ino) {
            At::Same(n) => self.dirs.get(n as usize).map(|d| {
                d.files
                    .binary_search_by(|f| f.as_os_str().cmp(name))
                    .is_ok()
            }),
            At::Not => Some(false),
            At::Unknown => None,
        }
    }

    /// Whether directory `p` (device `dev`, inode `ino` now) is the one the
    /// search before the run listed at that path: `Some(false)` when a
    /// recorded directory on the way does not list it (made, or renamed
    /// there, since) or another directory was recorded there; `None` when
    /// nothing recorded says (a git dir, past the bounds, no record).
    pub fn dir_was_there(&self, p: &Path, dev: u64, ino: u64) -> Option<bool> {
        match self.node_at(p, dev, ino) {
            At::Same(_) => Some(true),
            At::Not => Some(false),
            At::Unknown => None,
        }
    }

    /// The permission bits of the directory at `p` (device and inode) as
    /// the record took them before the run, when it is the one recorded.
    /// And its ACLs then, if it had any.
    pub fn dir_mode(
        &self,
        p: &Path,
        dev: u64,
        ino: u64,
    ) -> Option<(u32, Option<&crate::perms::Acls>)> {
        match self.node_at(p, dev, ino) {
            At::Same(n) => self
                .dirs
                .get(n as usize)
                .map(|d| (d.mode, d.acls.as_deref())),
            _ => None,
        }
    }

    fn node_at(&self, p: &Path, dev: u64, ino: u64) -> At {
        let Some((root, mut node)) = self
            .roots
            .iter()
            .filter(|(r, _)| p.starts_with(r))
            .max_by_key(|(r, _)| r.as_os_str().len())
            .cloned()
        else {
            return At::Unknown;
        };
        let Ok(rest) = p.strip_prefix(&root) else {
            return At::Unknown;
        };
        for c in rest.components() {
            let Some(d) = self.dirs.get(node as usize) else {
                return At::Unknown;
            };
            match d
                .subdirs
                .binary_search_by(|(n, _)| n.as_os_str().cmp(c.as_os_str()))
            {
                Err(_) => return At::Not,
                Ok(i) if d.subdirs[i].1 == NO_NODE => return At::Unknown,
                Ok(i) => node = d.subdirs[i].1,
            }
        }
        match self.dirs.get(node as usize) {
            Some(d) if (d.dev, d.ino) == (dev, ino) => At::Same(node),
            Some(_) => At::Not,
            None => At::Unknown,
        }
    }

    /// Whether directories on device `dev` (with file-system type
    /// `fs_type`, when known) are to be recorded as trusted.
    fn note_device(&mut self, dev: u64, fs_type: Option<i64>) {
        if !self.devices.iter().any(|&(d, _)| d == dev) {
            self.devices
                .push((dev, fs_type.is_some_and(local_file_system)));
        }
    }

    /// Directories recorded.
    #[cfg(test)]
    pub fn recorded(&self) -> usize {
        self.dirs.len()
    }
}

/// File systems whose change times the kernel stamps from its own coarse
/// clock (or finer), to the nanosecond or the second, on every change of a
/// directory's entries: ext2/3/4, XFS, Btrfs, tmpfs, F2FS, bcachefs. Not
/// network file systems (the server's clock stamps them), nor FAT (two
/// seconds), nor FUSE (the daemon says), nor overlayfs (a merged
/// directory shows the upper layer's times, which a change made in a
/// lower layer does not touch): directories there are listed again every
/// time.
fn local_file_system(t: i64) -> bool {
    const EXT: i64 = 0xEF53;
    const XFS: i64 = 0x5846_5342;
    const BTRFS: i64 = 0x9123_683E;
    const TMPFS: i64 = 0x0102_1994;
    const F2FS: i64 = 0xF2F5_2010;
    const BCACHEFS: i64 = 0xCA45_1A4E;
    matches!(t, EXT | XFS | BTRFS | TMPFS | F2FS | BCACHEFS)
}

fn find_each_with(
    roots: &[PathBuf],
    limit: usize,
    max_depth: usize,
    on_pointer: &mut dyn FnMut(PathBuf) -> bool,
    repair: bool,
    mut rec: Recording<'_>,
    keep: Option<&Keep<'_>>,
) -> Found {
    struct Frame {
        dir: PathBuf,
        depth: usize,
        list: std::vec::IntoIter<(std::ffi::OsString, nofollow::Kind)>,
        /// `dir` is a git dir or lies in one.
        in_git: bool,
        /// `dir` is a `.git` directory or a git dir [`Keep::known_git_dir`]
        /// knows, or lies in one: [`Keep::link`] does not apply.
        exempt: bool,
        /// `dir` is a `.git` directory or lies in one: [`Keep::dot`] does
        /// not apply either.
        in_dot_git: bool,
        /// Its node in the [`Walk`] recorded or used, or [`NO_NODE`].
        node: u32,
    }
    let mut found = Found {
        complete: true,
        ..Found::default()
    };
    // Lists `dir`, and records it when git may take it for a git dir. With
    // `status`, also its status, taken before the listing (a change made
    // after it changes the change time), and the type of its file system
    // when `status` says it is wanted (a device not met yet).
    type Listed = (
        Vec<(std::ffi::OsString, nofollow::Kind)>,
        bool,
        Option<(libc::stat, Option<i64>)>,
    );
    let open = |dir: &Path,
                found: &mut Found,
                held: &mut usize,
                status: Option<&dyn Fn(u64) -> bool>|
     -> Option<Listed> {
        let read = |dir: &Path| match status {
            Some(want) => nofollow::read_dir_noting(dir, want).map(|(l, s)| (l, Some(s))),
            None => nofollow::read_dir(dir).map(|l| (l, None)),
        };
        found.listed += 1;
        let mut listed = read(dir);
        if repair && matches!(&listed, Err(e) if e.raw_os_error() == Some(libc::EACCES)) {
            listed = match nofollow::make_owner_listable(dir) {
                Ok(()) => {
                    found.made_listable.push(dir.to_path_buf());
                    read(dir)
                }
                Err(e) => Err(std::io::Error::new(
                    e.kind(),
                    format!("not listable, and its permission could not be given back: {e}"),
                )),
            };
        }
        match listed {
            Ok((list, st)) => {
                // Git takes a directory for a git dir whatever its name (a
                // bare repository, or the workspace itself) when its `HEAD`
                // parses and `objects` and `refs` can be entered
                // (`access(X_OK)`: any type, links followed), or its
                // `commondir` names a directory that has them. Entries of
                // those names of any type are enough here. Such a directory
                // is protected and swept like `.git`, and entered like any
                // other.
                let git = looks_like_git_dir(&list);
                if git {
                    *held += dir.as_os_str().len();
                    found.dirs.push(dir.to_path_buf());
                }
                Some((list, git, st))
            }
            // Gone meanwhile, or a link put in the place of a directory
            // (not entered by design).
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    || matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR)) =>
            {
                None
            }
            // Unreadable (a directory without read permission, which the
            // command may still chmod): repositories in it are unknown.
            Err(e) => {
                found.complete = false;
                if found.unlistable.is_none() {
                    found.unlistable = Some((dir.to_path_buf(), e.to_string()));
                }
                None
            }
        }
    };
    // A recorded directory: `Some(Ok(frame))` of its entries as recorded
    // (subdirectories and a `.git` pointer; the others are only counted)
    // when it is found as it was; `Some(Err(node))` when it must be listed,
    // with the node to keep (it changed) or `NO_NODE`; `None` when the bound
    // is reached.
    let from_record = |w: &Walk,
                       node: u32,
                       dir: &Path,
                       is_root: bool,
                       depth: usize,
                       budget: &mut usize,
                       found: &mut Found|
     -> Option<Result<Frame, u32>> {
        match (node != NO_NODE).then(|| w.check(node, dir, is_root)) {
            Some(Checked::Same) => {}
            Some(Checked::Changed) => return Some(Err(node)),
            _ => return Some(Err(NO_NODE)),
        }
        let d = &w.dirs[node as usize];
        if *budget < d.others {
            return None;
        }
        *budget -= d.others;
        let mut list: Vec<(std::ffi::OsString, nofollow::Kind)> = d
            .subdirs
            .iter()
            .map(|(n, _)| (n.clone(), nofollow::Kind::Dir))
            .collect();
        if d.pointer {
            list.push((".git".into(), nofollow::Kind::Other));
        }
        found.reused += 1;
        Some(Ok(Frame {
            dir: dir.to_path_buf(),
            depth,
            list: list.into_iter(),
            in_git: false,
            exempt: false,
            in_dot_git: false,
            node,
        }))
    };
    // A root inside another is walked with it: no directory is listed
    // twice, as no link is followed.
    let mut roots: Vec<&PathBuf> = roots.iter().collect();
    roots.sort();
    roots.dedup();
    let mut outer: Vec<&PathBuf> = Vec::new();
    for r in roots {
        if !outer.iter().any(|o| r.starts_with(o)) {
            outer.push(r);
        }
    }
    let mut budget = limit;
    let mut held = 0usize;
    'walk: for root in outer {
        let mut stack = Vec::new();
        let mut node = NO_NODE;
        if let Recording::Reuse(w) = &rec {
            match from_record(w, w.root(root), root, true, 1, &mut budget, &mut found) {
                Some(Ok(frame)) => stack.push(frame),
                Some(Err(kept)) => node = kept,
                None => {
                    found.complete = false;
                    break 'walk;
                }
            }
        }
        if stack.is_empty() {
            let listed = match &mut rec {
                Recording::Record(w) => {
                    let want = |dev: u64| !w.devices.iter().any(|&(d, _)| d == dev);
                    open(root, &mut found, &mut held, Some(&want))
                }
                _ => open(root, &mut found, &mut held, None),
            };
            let Some((list, in_git, st)) = listed else {
                continue;
            };
            let exempt = in_git && keep.is_none_or(|k| (k.known_git_dir)(root));
            if let (Recording::Record(w), Some((st, fs_type))) = (&mut rec, st) {
                w.note_device(st.st_dev, fs_type);
                if !in_git {
                    node = w.add(root, NO_NODE, true, &st, &list);
                }
            }
            // Depth first: what is held is the listings of the directories on
            // the current path, not a frontier of full paths.
            stack.push(Frame {
                dir: root.clone(),
                depth: 1,
                list: list.into_iter(),
                in_git,
                exempt,
                in_dot_git: root.file_name() == Some(".git".as_ref()),
                node: if in_git { NO_NODE } else { node },
            });
        }
        while let Some(top) = stack.last_mut() {
            let Some((name, ft)) = top.list.next() else {
                stack.pop();
                continue;
            };
            if budget == 0 || held > FIND_PATH_BYTES {
                found.complete = false;
                break 'walk;
            }
            budget -= 1;
            let path = top.dir.join(&name);
            let in_git = top.in_git;
            let exempt = top.exempt;
            let in_dot_git = top.in_dot_git;
            if in_git
                && ((ft.is_special() && !fsmonitor_socket(&top.dir, &name))
                    || (ft.is_symlink() && !git_symref_link(&path))
                    || (ft == nofollow::Kind::Other
                        && !in_objects(&top.dir)
                        && nofollow::lstat(&path).is_ok_and(|m| m.is_file() && m.nlink() > 1)))
            {
                if found.special.len() >= SPECIAL_HELD {
                    found.complete = false;
                } else {
                    held += path.as_os_str().len();
                    found.special.push(path.clone());
                }
                // In a directory the run shaped, also judged as in any
                // other directory.
                if keep.is_none() || in_dot_git {
                    continue;
                }
            }
            if let Some(k) = keep.filter(|_| name != ".git") {
                if let Some(dot) = k.dot.filter(|_| !in_dot_git) {
                    if name.as_encoded_bytes().first() == Some(&b'.')
                        && !found.dots.last().is_some_and(|d| path.starts_with(d))
                        && dot(&path)
                    {
                        if found.dots.len() >= SPECIAL_HELD {
                            found.complete = false;
                        } else {
                            held += path.as_os_str().len();
                            found.dots.push(path.clone());
                        }
                    }
                }
                if ft.is_symlink() {
                    // In a git dir known before the run, the links are
                    // judged as special files (above).
                    if !exempt && (k.link)(&path) {
                        if found.links.len() >= SPECIAL_HELD {
                            found.complete = false;
                        } else {
                            held += path.as_os_str().len();
                            found.links.push(path);
                        }
                    }
                    continue;
                }
            }
            if ft.is_dir() && !in_git && crate::vcs::is_vcs_dir_name(&name) {
                held += path.as_os_str().len();
                found.vcs.push(path.clone());
            }
            if name == ".git" {
                if ft.is_dir() {
                    held += path.as_os_str().len();
                    found.dirs.push(path.clone());
                } else {
                    if !on_pointer(path) {
                        found.complete = false;
                        break 'walk;
                    }
                    continue;
                }
            }
            // Object fan-out directories (`objects/ab`) hold only files:
            // listed, with nothing to enter unless something was put there.
            if ft.is_dir() {
                if top.depth >= max_depth {
                    found.complete = false;
                } else {
                    let depth = top.depth + 1;
                    let dot_git = name == ".git";
                    let parent = top.node;
                    let mut node = NO_NODE;
                    if let Recording::Reuse(w) = &rec {
                        if !(in_git || dot_git) {
                            node = w.child(parent, &name);
                        }
                        match from_record(w, node, &path, false, depth, &mut budget, &mut found) {
                            Some(Ok(frame)) => {
                                stack.push(frame);
                                continue;
                            }
                            Some(Err(kept)) => node = kept,
                            None => {
                                found.complete = false;
                                break 'walk;
                            }
                        }
                    }
                    let listed = match &mut rec {
                        Recording::Record(w) if !(in_git || dot_git) => {
                            let want = |dev: u64| !w.devices.iter().any(|&(d, _)| d == dev);
                            open(&path, &mut found, &mut held, Some(&want))
                        }
                        _ => open(&path, &mut found, &mut held, None),
                    };
                    if let Some((list, git, st)) = listed {
                        let exempt = exempt
                            || dot_git
                            || (git && keep.is_none_or(|k| (k.known_git_dir)(&path)));
                        let in_git = in_git || git || dot_git;
                        if let (Recording::Record(w), Some((st, fs_type))) = (&mut rec, st) {
                            w.note_device(st.st_dev, fs_type);
                            if !in_git && parent != NO_NODE {
                                node = w.add(&path, parent, false, &st, &list);
                            }
                        }
                        stack.push(Frame {
                            dir: path,
                            depth,
                            list: list.into_iter(),
                            in_git,
                            exempt,
                            in_dot_git: in_dot_git || dot_git,
                            node: if in_git { NO_NODE } else { node },
                        });
                    }
                }
            }
        }
    }
    found.dirs.sort();
    found.dirs.dedup();
    found
}

/// How long the steps of the sweep after the run ([`sweep`]) whose cost
/// the run sets by what it leaves may take together, from the start of
/// the sweep: the verification of objects, the search for links and dot
/// entries ([`find_links_and_dots`]) and the judgement of each link the run
/// made. One deadline for all, so that the sweep ends well within the
/// grace the caller gives the helper after the time limit (the Java API:
/// 10 s, then `SIGTERM` and 30 s more); what is not judged by then fails
/// closed (a link is moved aside unjudged, an object is listed as
/// unverified, a search that stopped says what to remove).
pub const SWEEP_TIME: std::time::Duration = std::time::Duration::from_secs(15);

/// [`SWEEP_TIME`]. Only a test of this crate can make it shorter (on its
/// own thread), to reach what happens past the deadline; no caller can.
fn sweep_time() -> std::time::Duration {
    #[cfg(test)]
    if let Some(t) = SWEEP_TIME_IN_TEST.with(std::cell::Cell::get) {
        return t;
    }
    SWEEP_TIME
}

#[cfg(test)]
std::thread_local! {
    static SWEEP_TIME_IN_TEST: std::cell::Cell<Option<std::time::Duration>> =
        const { std::cell::Cell::new(None) };
}

/// How long the search for links and dot entries ([`find_links_and_dots`])
/// may take at most (within [`SWEEP_TIME`]). It reads only directory
/// entries (names and types, a buffer at a time, one `fstatat` per link or
/// dot entry): some millions of entries a second where creating them takes
/// some tens of microseconds each.
pub const LINK_SEARCH_TIME: std::time::Duration = SWEEP_TIME;

/// What [`find_links_and_dots`] found.
#[derive(Debug, Default)]
pub struct LinksAndDots {
    /// Symbolic links [`Keep::link`] keeps, the first [`SPECIAL_HELD`].
    pub links: Vec<PathBuf>,
    /// Dot entries [`Keep::dot`] keeps (none below another), the first
    /// [`SPECIAL_HELD`].
    pub dots: Vec<PathBuf>,
    /// Every directory was listed in time, none too deep, nothing dropped.
    pub complete: bool,
    /// Why not, when not.
    pub stopped: Option<String>,
    /// Entries read.
    pub entries: u64,
    /// Directories given back their owner's read and search permission.
    pub made_listable: Vec<PathBuf>,
}

/// The search for the symbolic links and dot entries the run left, for
/// when the search after the run ([`find_each_repairing`]) stopped at its
/// bound: bounded by time ([`LINK_SEARCH_TIME`], `until`), not by the
/// number of entries, so that a run cannot outrun it by making more
/// entries than the other search reads. Memory does not grow with the
/// trees either: a directory is read a buffer at a time, and only the
/// directories on the current path are open (at most
/// [`GIT_SCAN_MAX_DEPTH`] levels). No link is followed; `.git` entries are
/// not entered (git dirs are judged by the other search, and what it did
/// not reach is said). A dot entry kept is not entered (it is moved aside
/// whole). A directory it cannot list for want of permission gets its
/// owner's read and search permission back, as in the other search.
pub fn find_links_and_dots(
    roots: &[PathBuf],
    keep: &Keep<'_>,
    until: std::time::Instant,
) -> LinksAndDots {
    let mut out = LinksAndDots {
        complete: true,
        ..LinksAndDots::default()
    };
    let stop = |out: &mut LinksAndDots, why: String| {
        out.complete = false;
        if out.stopped.is_none() {
            out.stopped = Some(why);
        }
    };
    let open = |dir: &Path, parent: Option<&nofollow::Lister>, out: &mut LinksAndDots| {
        let at = |p: Option<&nofollow::Lister>| match p {
            Some(l) => l.open_child(dir.file_name().unwrap_or_default()),
            None => nofollow::Lister::open(dir),
        };
        match at(parent) {
            Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
                nofollow::make_owner_listable(dir)?;
                out.made_listable.push(dir.to_path_buf());
                at(parent)
            }
            r => r,
        }
    };
    let mut roots: Vec<&PathBuf> = roots.iter().collect();
    roots.sort();
    roots.dedup();
    let mut outer: Vec<&PathBuf> = Vec::new();
    for r in roots {
        if !outer.iter().any(|o| r.starts_with(o)) {
            outer.push(r);
        }
    }
    'walk: for root in outer {
        let mut stack: Vec<(PathBuf, nofollow::Lister)> = match open(root, None, &mut out) {
            Ok(l) => vec![(root.clone(), l)],
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                stop(
                    &mut out,
                    format!("{} could not be listed: {e}", root.display()),
                );
                continue;
            }
        };
        while let Some((dir, lister)) = stack.last_mut() {
            let entry = match lister.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => {
                    stack.pop();
                    continue;
                }
                Err(e) => {
                    stop(
                        &mut out,
                        format!("{} could not be listed: {e}", dir.display()),
                    );
                    stack.pop();
                    continue;
                }
            };
            out.entries += 1;
            if out.entries.is_multiple_of(4096) && std::time::Instant::now() >= until {
                let why = format!(
                    "it read {} entries and stopped at the sweep's time bound ({} s)",
                    out.entries,
                    SWEEP_TIME.as_secs()
                );
                stop(&mut out, why);
                break 'walk;
            }
            let (name, kind) = entry;
            if name == ".git" {
                continue;
            }
            let path = dir.join(&name);
            if let Some(dot) = keep.dot {
                if name.as_encoded_bytes().first() == Some(&b'.') && dot(&path) {
                    if out.dots.len() >= SPECIAL_HELD {
                        stop(&mut out, format!("more than {SPECIAL_HELD} dot entries"));
                    } else {
                        out.dots.push(path);
                    }
                    continue;
                }
            }
            if kind.is_symlink() {
                if (keep.link)(&path) {
                    if out.links.len() >= SPECIAL_HELD {
                        stop(&mut out, format!("more than {SPECIAL_HELD} links"));
                    } else {
                        out.links.push(path);
                    }
                }
                continue;
            }
            if !kind.is_dir() {
                continue;
            }
            if stack.len() >= GIT_SCAN_MAX_DEPTH {
                stop(
                    &mut out,
                    format!(
                        "{} is more than {GIT_SCAN_MAX_DEPTH} levels deep",
                        path.display()
                    ),
                );
                continue;
            }
            let parent = stack.last().map(|(_, l)| l);
            match open(&path, parent, &mut out) {
                Ok(l) => stack.push((path, l)),
                Err(e)
                    if e.kind() == std::io::ErrorKind::NotFound
                        || matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR)) => {}
                Err(e) => stop(
                    &mut out,
                    format!("{} could not be listed: {e}", path.display()),
                ),
            }
        }
    }
    out
}

/// The socket git's file-system monitor daemon listens on, at the top of
/// the git dir it watches (`fsmonitor--daemon.ipc`, git-fsmonitor--daemon(1)):
/// the one special file git makes in a git dir. Connecting to one that no
/// daemon holds fails at once; it is left where it is.
fn fsmonitor_socket(dir: &Path, name: &std::ffi::OsStr) -> bool {
    use std::os::unix::fs::FileTypeExt;
    name == "fsmonitor--daemon.ipc"
        && fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.file_type().is_socket())
}

/// Whether `dir` in a git dir is the object store or a directory of it
/// (`objects/ab`, `objects/pack`), where git makes hard links (`git clone
/// --local`) and writes no file in place.
fn in_objects(dir: &Path) -> bool {
    let objects = |d: Option<&Path>| d.and_then(Path::file_name) == Some("objects".as_ref());
    objects(Some(dir)) || objects(dir.parent())
}

/// Whether the symbolic link `p` in a git dir is one git itself makes: a
/// symbolic ref written as a link (`HEAD -> refs/heads/main`, with
/// `core.preferSymlinkRefs`), named `HEAD`, its text a relative path below
/// `refs/` with no `..`, that leads to no special file.
fn git_symref_link(p: &Path) -> bool {
    if p.file_name() != Some(std::ffi::OsStr::new("HEAD")) {
        return false;
    }
    let Ok(t) = fs::read_link(p) else {
        return false;
    };
    t.starts_with("refs")
        && t.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        && !leads_to_special(p)
}

/// Whether the symbolic link `p` leads to a FIFO, a socket or a device, or
/// through `/proc` or `/dev/fd` (to whatever descriptor the process that
/// follows it holds: git's standard input, say). Git makes no such link in
/// a git dir; `stat` does not open what it looks at. A link to `/dev/null`
/// (a way to empty `info/exclude` or a file git writes) reads as empty and
/// is left.
fn leads_to_special(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    if !per_process_links(&nofollow::links_on_the_way(p)).is_empty() {
        return true;
    }
    fs::metadata(p).is_ok_and(|m| {
        let t = m.file_type();
        let null = t.is_char_device()
            && m.rdev() == libc::makedev(1, 3)
            && fs::canonicalize(p).is_ok_and(|c| c == Path::new("/dev/null"));
        !null && (t.is_fifo() || t.is_socket() || t.is_char_device() || t.is_block_device())
    })
}

/// A directory listing that git may take for a git dir (see [`find`]).
fn looks_like_git_dir(list: &[(std::ffi::OsString, nofollow::Kind)]) -> bool {
    let has = |n: &str| list.iter().any(|(name, _)| name == n);
    has("HEAD") && (has("commondir") || (has("objects") && has("refs")))
}

/// The largest pointer file read (`.git` files, `commondir`, `gitdir`):
/// git refuses `.git` files over 4 × `PATH_MAX`, and a longer path names
/// nothing.
const POINTER_BYTES: u64 = 64 * 1024;

/// The path a pointer file holds, as git reads it: bytes (paths are
/// bytes on Unix, whatever their encoding), only the line ends at the end
/// taken off (spaces belong to the path). `Ok(None)` when there is no such
/// file or it is not a regular file (a link is not followed); `Err` when it
/// exists but cannot be read or is too long: what it names is unknown,
/// which the caller must treat as a gap.
fn read_pointer(p: &Path) -> Result<Option<Vec<u8>>, ()> {
    match nofollow::lstat(p) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Ok(None),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None)
        }
        Err(_) => return Err(()),
    }
    let mut b = nofollow::read_bytes(p, POINTER_BYTES).ok_or(())?;
    while matches!(b.last(), Some(b'\n' | b'\r')) {
        b.pop();
    }
    Ok(Some(b))
}

/// The git dir a `.git` file names (`gitdir: PATH`, relative to the
/// file's directory), resolved; `Ok(None)` for a link, a file git does not
/// take for a pointer, or a target that is no directory; `Err` for a file
/// that cannot be read ([`read_pointer`]).
pub fn pointed_git_dir(pointer: &Path) -> Result<Option<PathBuf>, ()> {
    Ok(pointer_path(pointer)?.and_then(|t| resolve_pointed(&t)))
}

/// The path a `.git` file names (`gitdir: PATH`), joined to the file's
/// directory, not resolved; `Ok(None)` as [`pointed_git_dir`].
fn pointer_path(pointer: &Path) -> Result<Option<PathBuf>, ()> {
    use std::os::unix::ffi::OsStrExt;
    let Some(text) = read_pointer(pointer)? else {
        return Ok(None);
    };
    let Some(target) = text.strip_prefix(b"gitdir: ") else {
        return Ok(None);
    };
    let (false, Some(dir)) = (target.is_empty(), pointer.parent()) else {
        return Ok(None);
    };
    Ok(Some(dir.join(std::ffi::OsStr::from_bytes(target))))
}

/// The directory `target` (absolute) leads to, resolved as git resolves it;
/// `None` when a link on the way goes through `/proc` or `/dev/fd` (it
/// leads elsewhere for git than for the helper: the link itself is the
/// entry to judge) or when it is no directory.
fn resolve_pointed(target: &Path) -> Option<PathBuf> {
    if !per_process_links(&links_on_the_way(target)).is_empty() {
        return None;
    }
    fs::canonicalize(target).ok().filter(|p| p.is_dir())
}

/// The symbolic links on the way from pointer `p` (a `.git` file or link)
/// to the git dir it names: re-pointing one changes the repository git
/// uses in that working tree.
pub fn pointer_links(p: &Path) -> Vec<PathBuf> {
    if nofollow::lstat(p).is_ok_and(|m| m.file_type().is_symlink()) {
        return links_on_the_way(p);
    }
    match pointer_path(p) {
        Ok(Some(t)) => links_on_the_way(&t),
        _ => Vec::new(),
    }
}

/// The git dir pointer `p` leads to (a `.git` file's `gitdir:`, or where a
/// `.git` link leads), or `None`.
fn pointer_git_dir(p: &Path) -> Option<PathBuf> {
    if nofollow::lstat(p).is_ok_and(|m| m.file_type().is_symlink()) {
        return resolve_pointed(p);
    }
    pointed_git_dir(p).ok().flatten()
}

/// The path the pointer file `p` (`commondir`, `gitdir`) holds, relative
/// to `base`; `Err` as [`read_pointer`].
fn pointer_target(p: &Path, base: &Path) -> Result<Option<PathBuf>, ()> {
    use std::os::unix::ffi::OsStrExt;
    Ok(read_pointer(p)?
        .filter(|t| !t.is_empty())
        .map(|t| base.join(std::ffi::OsStr::from_bytes(&t))))
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
    /// `.git` files and `commondir` files that could not be read: the git
    /// dirs they name are unknown.
    pub unreadable: Vec<PathBuf>,
    /// More than [`GIT_DIRS_PER_PASS`] git dirs: the rest were not looked at.
    pub truncated: bool,
    /// The working-tree tops of git dirs reached through `.git` files and
    /// links (the directory holding each pointer).
    pub tops: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// The symbolic links on the way from the pointers (`.git` files and
    /// links, `commondir`) to the git dirs they name.
    pub way: Vec<PathBuf>,
}

impl GitDirs {
    /// The working-tree tops known for git dir `g`.
    pub fn tops_of(&self, g: &Path) -> Vec<PathBuf> {
        self.tops
            .get(g)
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// Git dirs followed per pass (each costs a walk of its configuration).
pub const GIT_DIRS_PER_PASS: usize = 10_000;

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
    let mut unreadable = BTreeSet::new();
    let mut tops: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut way = Vec::new();
    for p in pointers {
        way.extend(pointer_links(p));
        // Git takes the directory holding the pointer for the working
        // tree's top of the git dir it reached through it.
        if let (Some(g), Some(top)) = (pointer_git_dir(p), p.parent()) {
            tops.entry(g).or_default().insert(top.to_path_buf());
        }
        if nofollow::lstat(p).is_ok_and(|m| m.file_type().is_symlink()) {
            continue;
        }
        match pointed_git_dir(p) {
            Ok(Some(g)) if writable(&g) => todo.push(g),
            Ok(_) => {}
            Err(()) => {
                unreadable.insert(p.clone());
            }
        }
    }
    let mut out = BTreeSet::new();
    let mut links = BTreeSet::new();
    let mut over = BTreeSet::new();
    let mut budget = NESTED_PER_PASS;
    let mut truncated = false;
    while let Some(g) = todo.pop() {
        if out.contains(&g) {
            continue;
        }
        if out.len() >= GIT_DIRS_PER_PASS {
            truncated = true;
            continue;
        }
        out.insert(g.clone());
        let mut nested = Vec::new();
        for sub in sandbox_core::guards::filesystem::GIT_DIR_NESTED {
            if !collect_nested_git_dirs(&g.join(sub), &mut nested, &mut links, 0, &mut budget) {
                over.insert(g.join(sub));
            }
        }
        todo.extend(nested);
        match pointer_target(&g.join("commondir"), &g) {
            Ok(Some(common)) => {
                way.extend(links_on_the_way(&common));
                if let Some(c) = resolve_pointed(&common) {
                    if writable(&c) {
                        todo.push(c);
                    }
                }
            }
            Ok(None) => {}
            Err(()) => {
                unreadable.insert(g.join("commondir"));
            }
        }
    }
    GitDirs {
        dirs: out.into_iter().collect(),
        links: links.into_iter().collect(),
        over: over.into_iter().collect(),
        unreadable: unreadable.into_iter().collect(),
        truncated,
        tops,
        way,
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
        } else if nofollow::read_dir(&p).is_ok_and(|l| looks_like_git_dir(&l)) {
            out.push(p);
        } else if !collect_nested_git_dirs(&p, out, links, depth + 1, budget) {
            return false;
        }
    }
    true
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
    /// Hooks by name (every name of [`HOOK_NAMES`], existing or not) in a
    /// hooks directory that holds the repository: the directory itself
    /// cannot be made read-only, what git would run from it can.
    pub hooks_by_name: Vec<PathBuf>,
    /// Symbolic links met on the way to what git reads or runs
    /// ([`links_on_the_way`]): the sweep moves aside any changed.
    pub links: Vec<PathBuf>,
    /// Indirection entries whose presence could not be told (`lstat`
    /// failed other than "no such file"): what they name is unknown.
    pub unreadable: Vec<PathBuf>,
}

/// Every hook git runs by name: one list with the filesystem guard, which
/// protects the same names in a `core.hooksPath` directory.
pub use sandbox_core::guards::filesystem::later::HOOK_NAMES;

/// State in a git dir that git reads as configuration of what to show,
/// besides [`GIT_DIR_INDIRECTIONS`] (`info/grafts`, `info/exclude`,
/// `info/attributes` and `info/sparse-checkout` are there, in `info/`):
/// the replace refs (`refs/replace/<name>`: git shows another object in
/// the place of `<name>`, in `git log`, `git diff` and `git status`) and
/// `shallow` (commits git shows without their parents). Read-only where
/// they exist, moved aside by the sweep when the run made them, like the
/// indirection entries; replace refs in `packed-refs`, which git must
/// write, are dropped by the sweep when the run added them.
pub const GIT_DIR_VIEW_STATE: &[&str] = &["refs/replace", "shallow"];

/// Caches in a git dir that git trusts instead of reading the objects:
/// the commit-graph (each commit's tree and parents: a forged one makes
/// `git status` and `git diff HEAD` compare with another tree than
/// `HEAD`'s, and `git log` show other history) and the multi-pack index
/// (where each object lies). git works without them and builds them again
/// (`git gc`, `git commit-graph write`). Not bound (git writes them in
/// ordinary commands: `git fetch`, `git gc --auto`): recorded before the
/// run, and the sweep moves aside one made or changed during it, saying so
/// in a note (not with what the run planted: an ordinary `git gc` in the
/// run writes them too).
pub const GIT_DIR_TRUSTED_CACHES: &[&str] = &[
    "objects/info/commit-graph",
    "objects/info/commit-graphs",
    "objects/pack/multi-pack-index",
    // The incremental chain (git 2.47 on).
    "objects/pack/multi-pack-index.d",
];

/// Whether `p` is one of [`GIT_DIR_TRUSTED_CACHES`] of a git dir.
fn is_trusted_cache(p: &Path) -> bool {
    GIT_DIR_TRUSTED_CACHES.iter().any(|c| p.ends_with(c))
}

/// The indirection entries of a git dir that exist, and the files its
/// configuration includes (`include.path`, `includeIf.*.path`, followed
/// through included files), within `budget`.
pub fn entries(git_dir: &Path, homes: &[PathBuf], budget: &mut Budget) -> Entries {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    for p in GIT_DIR_INDIRECTIONS
        .iter()
        .chain(GIT_DIR_VIEW_STATE)
        .map(|e| git_dir.join(e))
    {
        match nofollow::lstat(&p) {
            Ok(_) => out.push(p),
            // Never taken for "absent": a git dir the run made unsearchable
            // (`chmod 600 .git`) still holds what git reads.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => unreadable.push(p),
            // Missing, or below a link or a file (`objects` a link: the
            // link is an entry of its own, judged where it is met).
            Err(_) => {}
        }
    }
    let read = read_configs(
        &[git_dir.join("config"), git_dir.join("config.worktree")],
        homes,
        budget,
    );
    out.extend(read.included);
    // Files the repository's configuration names as data (`DATA_KEYS`,
    // as the global configuration's): kept like what it includes.
    out.extend(read.data);
    let links = read.links;
    let mut over = read.over;
    out.retain(|p| nofollow::lstat(p).is_ok());
    out.sort();
    out.dedup();
    over.sort();
    over.dedup();
    Entries {
        paths: out,
        over,
        links,
        unreadable,
        ..Entries::default()
    }
}

/// The bytes of configuration file `c` (git reads configuration as bytes,
/// of any size): `Ok(None)` when there is none or it is not a regular
/// file (git cannot read it either), `Err` when it cannot be read or the
/// pass has no bytes left for it. An `Err` is a gap, never a skip: what
/// an unread file includes is unknown.
fn read_config(c: &Path, budget: &mut Budget) -> Result<Option<Vec<u8>>, ()> {
    // Read once while the plan is built (the same bounds apply).
    if let Some(known) = crate::plan::remembered_config(c) {
        return match known {
            None => Ok(None),
            Some(text) if text.len() as u64 > budget.bytes => Err(()),
            Some(text) => {
                budget.bytes = budget.bytes.saturating_sub(text.len() as u64);
                Ok(Some(text))
            }
        };
    }
    let m = match nofollow::lstat(c) {
        Ok(m) => m,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            crate::plan::remember_config(c, None);
            return Ok(None);
        }
        Err(_) => return Err(()),
    };
    if !m.is_file() {
        crate::plan::remember_config(c, None);
        return Ok(None);
    }
    if m.len() > budget.bytes {
        return Err(());
    }
    let text = nofollow::read_bytes(c, budget.bytes).ok_or(())?;
    budget.bytes = budget.bytes.saturating_sub(text.len() as u64);
    crate::plan::remember_config(c, Some(&text));
    Ok(Some(text))
}

/// What a chain of configuration files says that the helper needs.
#[derive(Debug, Default, Clone)]
pub struct ConfigRead {
    /// Files included, transitively: real paths, existing or not.
    included: Vec<PathBuf>,
    /// Values of `core.hooksPath`, `~/` expanded, in the order read.
    hooks_paths: Vec<String>,
    /// Values of `core.worktree`.
    worktrees: Vec<String>,
    /// Values of keys naming programs or directories git uses (see
    /// [`names_programs`]): the key, the value, and the home `~/` means.
    programs: Vec<(String, String, PathBuf)>,
    /// Files keys of [`DATA_KEYS`] name by an absolute path (`~/`
    /// expanded): files git reads (or writes) on ordinary commands.
    data: Vec<PathBuf>,
    /// Those of them that hold secrets ([`SECRET_DATA_KEYS`]).
    secrets: Vec<PathBuf>,
    /// Those of them that are excludes files (`core.excludesFile`, and
    /// git's default `ignore` beside the global configuration).
    excludes: Vec<PathBuf>,
    /// Configuration files that set `status.showUntrackedFiles` to hide
    /// untracked files (`no`, or anything but `normal`, `all` and true).
    hides_untracked: Vec<PathBuf>,
    /// Values of [`SECRET_DATA_KEYS`] that are relative paths: git takes
    /// them from the directory the git command runs in.
    relative_secrets: Vec<String>,
    /// Configuration files whose includes were not all followed: past
    /// [`INCLUDES_PER_GIT_DIR`] for this chain or what is left of `budget`.
    pub over: Vec<PathBuf>,
    /// Symbolic links met on the way to the files read and included
    /// ([`links_on_the_way`]).
    links: Vec<PathBuf>,
    /// Every home of the user, for the entries of the caller's
    /// environment: git run later with that environment takes `~` from
    /// the caller's `$HOME`, which need not be the run's home.
    env_homes: Vec<PathBuf>,
    /// Configuration files read that hold a credential in their text
    /// ([`config_credentials`]): real path, and the entries that do.
    pub credentials: Vec<(PathBuf, Vec<String>)>,
}

/// Read the configuration files `starts` (links followed, as git does)
/// and the files they include, as deep as git goes, within
/// [`INCLUDES_PER_GIT_DIR`] and `budget`. `~/` is each of `homes` (a
/// repository's configuration is read by git run with any of the user's
/// homes): every expansion is followed.
fn read_configs(starts: &[PathBuf], homes: &[PathBuf], budget: &mut Budget) -> ConfigRead {
    read_configs_where(starts, homes, budget, &|_| true)
}

/// [`read_configs`], reading only the files (by real path) `keep` takes.
fn read_configs_where(
    starts: &[PathBuf],
    homes: &[PathBuf],
    budget: &mut Budget,
    keep: &dyn Fn(&Path) -> bool,
) -> ConfigRead {
    let mut out = ConfigRead::default();
    // Each file as git opened it (relative includes are taken from that
    // path's directory, `cf->path` in git, not from where a link leads).
    let mut configs: Vec<(PathBuf, usize)> = starts.iter().map(|c| (c.clone(), 0)).collect();
    configs.reverse();
    let mut seen = BTreeSet::new();
    let mut followed = 0usize;
    let home = homes
        .first()
        .map(PathBuf::as_path)
        .unwrap_or(Path::new("/"));
    let expand = |v: &str| -> Option<Vec<String>> {
        expand_tilde(v, homes).map(|ps| ps.iter().map(|p| p.display().to_string()).collect())
    };
    while let Some((opened, depth)) = configs.pop() {
        out.links.extend(links_on_the_way(&opened));
        let c = crate::plan::resolve_physical(&opened);
        if depth > INCLUDE_DEPTH || !seen.insert(c.clone()) || !keep(&c) {
            continue;
        }
        let text = match read_config(&c, budget) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(()) => {
                out.over.push(c);
                continue;
            }
        };
        let held = config_credentials(&text);
        if !held.is_empty() {
            out.credentials.push((c.clone(), held));
        }
        for (var, value) in config::parse(&text) {
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                continue;
            };
            if var == "status.showuntrackedfiles" {
                let v = value.to_ascii_lowercase();
                if !matches!(v.as_str(), "normal" | "all" | "true" | "yes" | "on" | "1") {
                    out.hides_untracked.push(c.clone());
                }
                continue;
            }
            // `~NAME/` naming no account the helper can look up: where
            // git's lookup leads is unknown, a gap.
            let Some(expanded) = expand(&value) else {
                if var == "core.hookspath" || var == "core.worktree" || is_include(&var) {
                    out.over.push(c.clone());
                } else if names_programs(&var, &value) {
                    // Judged with the others: a program it cannot locate.
                    out.programs
                        .push((var.clone(), value.clone(), home.to_path_buf()));
                }
                continue;
            };
            match var.as_str() {
                "core.hookspath" => {
                    // An absolute one (`~/dotfiles/git/hooks`) is judged
                    // with the programs too: the hooks are kept, what they
                    // load from the same tree is not known.
                    if expanded.iter().all(|p| Path::new(p).is_absolute()) {
                        out.programs
                            .push((var.clone(), value.clone(), home.to_path_buf()));
                    }
                    out.hooks_paths.extend(expanded)
                }
                "core.worktree" => out.worktrees.extend(expanded),
                _ if DATA_KEYS.iter().any(|k| key_matches(k, &var)) => {
                    // A relative one names a file of the repository git
                    // runs in (like `.mailmap`): not the configuration's.
                    let secret = SECRET_DATA_KEYS.iter().any(|k| key_matches(k, &var));
                    if secret {
                        out.relative_secrets.extend(
                            expanded
                                .iter()
                                .filter(|v| !Path::new(v).is_absolute())
                                .cloned(),
                        );
                    }
                    for v in expanded.iter().filter(|v| Path::new(v).is_absolute()) {
                        out.links.extend(links_on_the_way(Path::new(v)));
                        let real = crate::plan::resolve_physical(Path::new(v));
                        if secret {
                            out.secrets.push(real.clone());
                        }
                        if var == "core.excludesfile" {
                            out.excludes.push(real.clone());
                        }
                        out.data.push(real);
                    }
                }
                _ if names_programs(&var, &value) => {
                    out.programs
                        .push((var.clone(), value.clone(), home.to_path_buf()));
                }
                _ if is_include(&var) => {
                    let mut stop = false;
                    for v in expanded {
                        // A path that is not UTF-8 comes out of the parser
                        // with replacement characters, naming another file:
                        // not followed, so a gap.
                        if followed == INCLUDES_PER_GIT_DIR
                            || budget.includes == 0
                            || value.contains('\u{FFFD}')
                        {
                            out.over.push(c.clone());
                            stop = true;
                            break;
                        }
                        followed += 1;
                        budget.includes -= 1;
                        // Relative to the directory of the including file as
                        // git opened it (a `~/.gitconfig` that is a link
                        // includes `.gitconfig.local` from `~`).
                        let named = opened.parent().unwrap_or(Path::new("/")).join(v);
                        // Every link on the way, whatever it leads to (here,
                        // in this process): git follows them later.
                        out.links.extend(links_on_the_way(&named));
                        // The real path: what is judged, bound and renamed later
                        // is the file itself, reached through no link.
                        let p = crate::plan::resolve_physical(&named);
                        // Only a file can be configuration: a directory named
                        // there (git would fail to read it) is not bound.
                        let m = nofollow::lstat(&p);
                        if m.as_ref().is_ok_and(|m| m.is_file()) || m.is_err() {
                            out.included.push(p);
                            configs.push((named, depth + 1));
                        }
                    }
                    if stop {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out.over.sort();
    out.over.dedup();
    out
}

/// `v` with a leading `~/` or `~NAME/` expanded as git expands it
/// (`interpolate_path`): `~/` is each of `homes` (git run by the user with
/// any of them); `~NAME/` is NAME's home in the user database, and, when
/// NAME is the user who owns one of `homes` or has one of them as home,
/// each of `homes` too (that is the user's own `~/`). `None` for a `~NAME`
/// not in the user database: where git's lookup leads is unknown.
pub(crate) fn expand_tilde(v: &str, homes: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let Some(rest) = v.strip_prefix('~') else {
        return Some(vec![PathBuf::from(v)]);
    };
    let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if name.is_empty() {
        return Some(homes.iter().map(|h| h.join(tail)).collect());
    }
    let accounts = accounts();
    let (_, uid, home) = accounts.iter().find(|(n, _, _)| n == name)?;
    let own = homes
        .iter()
        .any(|h| h == home || fs::metadata(h).is_ok_and(|m| m.uid() == *uid))
        || fs::metadata("/proc/self").is_ok_and(|m| m.uid() == *uid);
    let mut out = vec![home.join(tail)];
    if own {
        out.extend(homes.iter().map(|h| h.join(tail)));
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The accounts of `/etc/passwd` (name, uid, home), read once: the helper
/// reads the file itself, as for the user's own home.
fn accounts() -> &'static [(String, u32, PathBuf)] {
    static ACCOUNTS: std::sync::OnceLock<Vec<(String, u32, PathBuf)>> = std::sync::OnceLock::new();
    ACCOUNTS.get_or_init(|| {
        let text = fs::read_to_string("/etc/passwd").unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                let uid = f.get(2)?.parse().ok()?;
                let home = f.get(5).filter(|h| h.starts_with('/'))?;
                Some((f[0].to_string(), uid, PathBuf::from(home)))
            })
            .collect()
    })
}

/// The user's global and system configuration files, which git reads in
/// every repository: `/etc/gitconfig` (or `GIT_CONFIG_SYSTEM`),
/// `~/.gitconfig`, `$XDG_CONFIG_HOME/git/config` (or `~/.config/git/config`)
/// and `GIT_CONFIG_GLOBAL`, as the helper's caller has them.
fn global_configs(home: &Path) -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("/etc/gitconfig"), home.join(".gitconfig")];
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    out.push(home.join(".config/git/config"));
    for var in ["GIT_CONFIG_SYSTEM", "GIT_CONFIG_GLOBAL"] {
        out.extend(
            std::env::var_os(var)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute()),
        );
    }
    out.extend(xdg.map(|x| x.join("git/config")));
    out
}

/// The excludes files the configuration of git dir `git_dir` (and what
/// it includes) names, `~/` being each of `homes`, and the file that
/// sets `status.showUntrackedFiles` to hide untracked files, if one does.
pub fn repository_excludes(git_dir: &Path, homes: &[PathBuf]) -> (Vec<PathBuf>, Option<PathBuf>) {
    let r = read_configs(&[git_dir.join("config")], homes, &mut Budget::default());
    (
        r.excludes_files(),
        r.hides_untracked().map(Path::to_path_buf),
    )
}

/// The global and system configuration files git reads for each of
/// `homes`, existing or not.
pub fn global_config_files(homes: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = homes.iter().flat_map(|h| global_configs(h)).collect();
    out.sort();
    out.dedup();
    out
}

/// The global and system configuration of every home in `homes` (the
/// run's home first, then the caller's `$HOME` and the user database's:
/// git run later by the user reads those), read once a pass: the files it
/// includes, transitively (real paths, existing or not: a dotfiles
/// repository as the workspace holds them), and its `core.hooksPath`.
/// `~/` in a home's files is that home.
pub fn global_config(homes: &[PathBuf], budget: &mut Budget) -> ConfigRead {
    // While a plan is built, the plan and each snapshot read the same
    // files: one read, remembered with the bounds it started from and what
    // it charged. Used again only where it gives the same answer: no more
    // bounds left now than then (a check that failed then fails now), and
    // at least what it took (every check that passed then passes now);
    // charged again on each use.
    let from = (budget.includes, budget.bytes);
    if let Some(known) = crate::plan::remembered_global(homes) {
        let (used_includes, used_bytes) = known.used;
        if known.from.0 >= budget.includes
            && known.from.1 >= budget.bytes
            && budget.includes >= used_includes
            && budget.bytes >= used_bytes
        {
            budget.includes -= used_includes;
            budget.bytes -= used_bytes;
            return known.read;
        }
    }
    let read = global_config_read(homes, budget);
    crate::plan::remember_global(RememberedGlobal {
        homes: homes.to_vec(),
        read: read.clone(),
        from,
        used: (from.0 - budget.includes, from.1 - budget.bytes),
    });
    read
}

/// A [`global_config`] read while a plan is built: for `homes`, from the
/// bounds `from` (includes, bytes), which it charged by `used`.
#[derive(Clone)]
pub(crate) struct RememberedGlobal {
    pub(crate) homes: Vec<PathBuf>,
    read: ConfigRead,
    from: (usize, u64),
    used: (usize, u64),
}

/// [`global_config`], read from the files.
fn global_config_read(homes: &[PathBuf], budget: &mut Budget) -> ConfigRead {
    let mut read = ConfigRead::default();
    for (n, home) in homes.iter().enumerate() {
        let mut starts = global_configs(home);
        if n > 0 {
            // A home of the user database that this user cannot enter
            // (root's, seen from a user namespace where the caller is uid
            // 0): not a configuration git run by this user reads. The
            // run's own home stays strict: unreadable there is a gap.
            starts.retain(|c| {
                !matches!(nofollow::lstat(c), Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied)
            });
        }
        let r = read_configs(&starts, std::slice::from_ref(home), budget);
        read.included.extend(r.included);
        read.hooks_paths.extend(r.hooks_paths);
        read.worktrees.extend(r.worktrees);
        read.programs.extend(r.programs);
        read.over.extend(r.over);
        read.links.extend(r.links);
        read.data.extend(r.data);
        read.secrets.extend(r.secrets);
        read.excludes.extend(r.excludes);
        read.hides_untracked.extend(r.hides_untracked);
        read.relative_secrets.extend(r.relative_secrets);
        read.credentials.extend(r.credentials);
        // Git's own files beside the configuration, read when no key
        // names others (`core.excludesFile`, `core.attributesFile`).
        for base in global_config_dirs(home) {
            for name in DEFAULT_DATA_FILES {
                let p = base.join(name);
                if *name == "ignore" {
                    read.excludes.push(crate::plan::resolve_physical(&p));
                }
                read.links.extend(links_on_the_way(&p));
                read.data.push(crate::plan::resolve_physical(&p));
            }
        }
        if n == 0 {
            let env = environment_programs(home);
            read.programs.extend(env.iter().cloned());
            for p in environment_data(home) {
                read.links.extend(links_on_the_way(&p));
                read.data.push(crate::plan::resolve_physical(&p));
            }
            // git run later with the caller's environment takes `~` from
            // the caller's `$HOME`, not the run's: every home.
            for p in secrets_of_environment(&env, homes) {
                read.secrets.push(crate::plan::resolve_physical(&p));
            }
            read.relative_secrets
                .extend(relative_secrets_of_environment(&env));
        }
        read.env_homes.push(home.clone());
    }
    read.data.sort();
    read.data.dedup();
    read.secrets.sort();
    read.secrets.dedup();
    read.links.sort();
    read.links.dedup();
    read.included.sort();
    read.included.dedup();
    read.hooks_paths.dedup();
    read.programs.sort();
    read.programs.dedup();
    read.over.sort();
    read.over.dedup();
    read
}

impl ConfigRead {
    /// The files included, transitively.
    pub fn included(&self) -> &[PathBuf] {
        &self.included
    }

    /// The files git reads as data by this configuration
    /// ([`DATA_KEYS`], and git's default `ignore` and `attributes` beside
    /// the global configuration): real paths, existing or not.
    pub fn data_files(&self) -> &[PathBuf] {
        &self.data
    }

    /// The excludes files this configuration makes git read (absolute
    /// values of `core.excludesFile`, and for the global configuration
    /// git's default `ignore` beside it): real paths, existing or not.
    /// Every one of them is given, though git reads only the last value:
    /// a file some git would read is never missed.
    pub fn excludes_files(&self) -> Vec<PathBuf> {
        let mut out = self.excludes.clone();
        out.sort();
        out.dedup();
        out
    }

    /// A configuration file that sets `status.showUntrackedFiles` so that
    /// `git status` lists no untracked file, if any does.
    pub fn hides_untracked(&self) -> Option<&Path> {
        self.hides_untracked.first().map(PathBuf::as_path)
    }

    /// The values of keys naming secret files ([`SECRET_DATA_KEYS`]) that
    /// are relative paths: git takes them from the directory each git
    /// command runs in.
    pub fn relative_secrets(&self) -> &[String] {
        &self.relative_secrets
    }

    /// The files `git credential-store` keeps credentials in by the
    /// configuration's `credential.helper` (`store --file PATH`): real
    /// paths; and the entries whose file cannot be located (a relative
    /// path, an expansion).
    pub fn credential_stores(&self) -> (Vec<PathBuf>, Vec<String>) {
        self.credential_stores_in(None)
    }

    /// [`ConfigRead::credential_stores`]. Every value of a key naming a
    /// program is looked at: a `credential.helper` key itself, and `git -c
    /// credential.helper=…` in an alias or any other command line of the
    /// configuration. `homes`, when given, are what `~/` means (a
    /// repository's configuration is read by git run with any of the
    /// user's homes); otherwise the home of the configuration that holds
    /// the entry (for an entry of the caller's environment, every home).
    pub fn credential_stores_in(&self, homes: Option<&[PathBuf]>) -> (Vec<PathBuf>, Vec<String>) {
        let mut files = Vec::new();
        let mut unknown = Vec::new();
        let named = self.named();
        for ((var, value, home), n) in self.programs.iter().zip(&named) {
            let mut secrets = n.stores.clone();
            if key_matches("credential.helper", var) || key_matches("credential.*.helper", var) {
                secrets.extend(helper_secrets(value));
            }
            if var == "core.sshcommand" || var == "$GIT_SSH_COMMAND" {
                secrets.extend(ssh_command_secrets(value));
            }
            // `~` of an entry of the caller's environment is any home.
            let own = if var.starts_with('$') && !self.env_homes.is_empty() {
                self.env_homes.as_slice()
            } else {
                std::slice::from_ref(home)
            };
            let entry = format!("{var} = {value}");
            locate_secrets(
                &secrets,
                homes.unwrap_or(own),
                &entry,
                true,
                &mut files,
                &mut unknown,
            );
        }
        files.extend(self.secrets.iter().cloned());
        files.sort();
        files.dedup();
        unknown.sort();
        unknown.dedup();
        (files, unknown)
    }

    /// The files and directories that keys naming programs or directories
    /// (`core.pager`, `init.templateDir`, ...) name by an absolute path
    /// (real paths, existing or not), and the values the helper cannot turn into
    /// paths (a program named relative to where git runs, or through a
    /// shell expansion), with their key.
    pub fn programs(&self) -> (Vec<PathBuf>, Vec<String>) {
        let (named, _) = self.named_and_links();
        let mut paths: Vec<PathBuf> = named.iter().flat_map(|n| n.paths.clone()).collect();
        paths.sort();
        paths.dedup();
        let mut unknown: Vec<String> = named
            .iter()
            .filter(|n| n.unknown_command.is_some())
            .map(|n| n.entry.clone())
            .collect();
        unknown.sort();
        unknown.dedup();
        (paths, unknown)
    }

    /// Each value of a key naming a program or a directory, as far as the
    /// helper can model it ([`Named`]).
    pub fn named(&self) -> Vec<Named> {
        self.named_and_links().0
    }

    /// The symbolic links met on the way to what [`ConfigRead::included`]
    /// and [`ConfigRead::programs`] name.
    pub fn links(&self) -> Vec<PathBuf> {
        let mut out = self.links.clone();
        out.extend(self.named_and_links().1);
        out.sort();
        out.dedup();
        out
    }

    fn named_and_links(&self) -> (Vec<Named>, Vec<PathBuf>) {
        let mut links = Vec::new();
        let mut out = Vec::new();
        for (var, value, home) in &self.programs {
            let env = var.strip_prefix('$');
            let env_config = env.and_then(|name| environment_config(name, value));
            let mut n = if let Some(entries) = env_config {
                // Configuration entries of the environment: as `git -c`.
                let mut n = Named {
                    entry: format!("{}={value}", env.unwrap_or_default()),
                    origin: "the caller's environment".into(),
                    home: home.clone(),
                    ..Named::default()
                };
                match entries {
                    Ok(entries) => {
                        for e in &entries {
                            analyse_git_config_option(e, home, &mut n, 0);
                            // A data key's file is kept as the global
                            // configuration's are ([`environment_data`]):
                            // a file read as data loads nothing else.
                            if !is_data_entry(e) {
                                n.mentioned.extend(mentioned_paths(e, home));
                            }
                        }
                    }
                    Err(why) => n.unknown_command = Some(why),
                }
                n
            } else if let Some((name, how)) = env.and_then(|name| {
                ENVIRONMENT_LOADS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(n, how)| (*n, *how))
                    .or_else(|| unlisted_loads(name).then_some((name, Loads::Unlisted)))
            }) {
                // Search paths and options programs load files by.
                environment_loads(name, how, value, home)
            } else if DIRECTORY_KEYS.contains(&var.as_str())
                || env.is_some_and(|name| ENVIRONMENT_FILES.contains(&name))
            {
                // A directory or file named by its path alone (no command line).
                let mut n = Named {
                    entry: format!("{var} = {value}"),
                    home: home.clone(),
                    ..Named::default()
                };
                if let Some(name) = env {
                    n.entry = format!("{name}={value}");
                    n.origin = "the caller's environment".into();
                }
                match expand_tilde(value, std::slice::from_ref(home)) {
                    Some(ps) if ps.iter().all(|p| p.is_absolute()) => n.paths = ps,
                    _ => {
                        n.unknown_command =
                            Some("a file or directory named relative to where it is used".into())
                    }
                }
                n
            } else {
                let cmd = alias_command(var, value);
                let mut n = analyse_command(&cmd, home);
                match var.strip_prefix('$') {
                    Some(name) => {
                        n.entry = format!("{name}={value}");
                        n.origin = "the caller's environment".into();
                    }
                    None => n.entry = format!("{var} = {value}"),
                }
                n
            };
            for p in n.paths.iter().chain(&n.mentioned) {
                links.extend(links_on_the_way(p));
            }
            n.resolve_physical();
            n.paths.sort();
            n.paths.dedup();
            n.mentioned.sort();
            n.mentioned.dedup();
            out.push(n);
        }
        (out, links)
    }
}

/// One value of a key of the global configuration that names a program
/// or a directory, as far as the helper models it.
///
/// A value is a command line (a shell runs it). The helper models a
/// *simple* one: words separated by blanks, quotes grouping, commands
/// separated by `;`, `|`, `&`, `(`, `)` and new lines. In each command the
/// first word (after assignments and wrappers such as `exec`, `env`,
/// `xargs`) is the program: an absolute path (or `~/`, `$HOME/`) names a
/// file, a bare name is looked up on `PATH` (not modelled, see Known
/// limits); each later word that is an absolute path to an existing file
/// is a script given to an interpreter. Where the program is `git`, its
/// own options before the subcommand are read as git reads them (`-c
/// KEY=VALUE` judged as that configuration entry, `--exec-path=DIR`); an
/// alias without `!` is `git` and its value. Every absolute path written
/// anywhere in the value is mentioned (case 4 of [`Named::gap`]).
/// Anything else is not modelled:
/// a quoted part holding blanks or shell operators (a command line given
/// to `sh -c`, a `sed` program), `cd`, `pushd`, `popd`, `source`, `.`,
/// `eval` (the directory or the text of what runs changes), and a shell
/// expansion other than the alias's own arguments, the shell's special
/// parameters, `HOME` and `GIT_PREFIX` (its value is not known).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Named {
    /// `key = value`, for the report.
    pub entry: String,
    /// Where the value comes from, for the report: empty for the global
    /// git configuration.
    pub origin: String,
    /// The home whose configuration holds it (what `~/` means).
    pub home: PathBuf,
    /// The files (and directory, for `init.templateDir`) it names: the
    /// programs, and the existing files given to them. Real paths once
    /// read through [`ConfigRead::named`].
    pub paths: Vec<PathBuf>,
    /// Every absolute path written anywhere in the value, in any word
    /// (real paths once read through [`ConfigRead::named`]).
    pub mentioned: Vec<PathBuf>,
    /// Why the value is not modelled whole, when it is not.
    pub unmodelled: Option<String>,
    /// Why a program it runs cannot be located (a relative path, a shell
    /// expansion, `~NAME/` of no known account), when one cannot.
    pub unknown_command: Option<String>,
    /// Why an argument of a value that is not modelled whole cannot be
    /// located (an expansion), when one cannot.
    pub unknown_argument: Option<String>,
    /// The secret files a `credential.helper` or `core.sshCommand` the
    /// command line sets with `git -c` names (an alias `-c
    /// credential.helper='store --file ~/x' push`, the caller's
    /// `GIT_CONFIG_PARAMETERS`), as written ([`Secrets`]).
    pub stores: Secrets,
}

impl Named {
    /// Replace the paths it names and mentions by their real paths, so that
    /// binds and reports name what the kernel will open.
    pub fn resolve_physical(&mut self) {
        for list in [&mut self.paths, &mut self.mentioned] {
            for p in list.iter_mut() {
                *p = crate::plan::resolve_physical(p);
            }
        }
    }
}

impl Named {
    /// The gap this value makes, if any: `None` when the helper can show
    /// that nothing it runs lies in a writable tree, or binds all of it.
    /// `tree_of(p)` is the writable tree holding `p`, `held(p)` one that
    /// `p` holds (a directory above it), `home_writable` whether the home
    /// whose configuration this is lies in a writable tree.
    ///
    /// The rule (docs/exec.md, Git indirection): where the home is not
    /// writable, a gap when (1) a file it names lies in a writable tree
    /// (its own bytes are kept, what it loads from the tree is not
    /// known), (2) a program it runs cannot be located, or (3) the value
    /// is not modelled whole and mentions a writable tree (a path in one,
    /// or above one) or has an expansion that cannot be resolved, or (4)
    /// any path written in the value, in any word, lies in a writable tree
    /// (`--exec-path=DIR`, `-c include.path=F`, `-FFILE`, a directory
    /// given to an interpreter). Where the
    /// home is writable (the writable-home limit: everything the user's
    /// tools load from it stays writable), only (2).
    pub fn gap(
        &self,
        tree_of: &dyn Fn(&Path) -> Option<PathBuf>,
        held: &dyn Fn(&Path) -> Option<PathBuf>,
        home_writable: bool,
    ) -> Option<String> {
        let e = &self.entry;
        let from = if self.origin.is_empty() {
            "the global git configuration"
        } else {
            self.origin.as_str()
        };
        if let Some(why) = &self.unknown_command {
            return Some(format!(
                "{from} runs a program the helper cannot locate ({e}: {why}): if it lies in a writable tree, the command can change what the user's git runs; name it by an absolute path outside the writable trees"
            ));
        }
        if home_writable {
            return None;
        }
        for p in &self.paths {
            if let Some(t) = tree_of(p) {
                return Some(format!(
                    "{from} names {} ({e}), which lies in the writable tree {}: it is kept read-only, but what it loads or runs from that tree (a file it sources, a sibling script) can be changed by the command and run by the user's next git command; keep the program outside the writable trees (install it elsewhere, or use a workspace that is not the tree it lives in), or accept with --allow-degraded",
                    p.display(),
                    t.display()
                ));
            }
        }
        // (4) Any path written in the value that lies in a writable tree,
        // whatever word holds it (`--exec-path=DIR`, `-c include.path=F`,
        // `-FFILE`, a directory given to an interpreter): what git or the
        // program does with it is not modelled, so its mention is the gap.
        for p in &self.mentioned {
            if let Some(t) = tree_of(p) {
                return Some(format!(
                    "{from} names {} ({e}), in the writable tree {}: what the user's git runs or reads through it (a program, a directory of programs, a configuration) can be changed by the command; keep what it names outside the writable trees, or accept with --allow-degraded",
                    p.display(),
                    t.display()
                ));
            }
        }
        let why = self.unmodelled.as_ref()?;
        if let Some(u) = &self.unknown_argument {
            return Some(format!(
                "{from} has a command line the helper cannot model ({e}: {why}, and {u}): what it runs may lie in a writable tree; write it as a script outside the writable trees named by its absolute path, or accept with --allow-degraded"
            ));
        }
        for p in &self.mentioned {
            let t = tree_of(p).or_else(|| held(p));
            if let Some(t) = t {
                return Some(format!(
                    "{from} has a command line the helper cannot model ({e}: {why}) that names {}, in or above the writable tree {}: what it runs there can be changed by the command and run by the user's next git command; write it as a script outside the writable trees named by its absolute path, or accept with --allow-degraded",
                    p.display(),
                    t.display()
                ));
            }
        }
        None
    }
}

/// Keys of git's configuration that name a file (or a directory) git
/// reads or writes as data on ordinary commands, lower case (`*` is any
/// subsection, as in [`PROGRAM_KEYS`]): the excludes every `git status`
/// reads, the attributes every diff reads, the mailmap every `git log`
/// reads, and the like. From git-config(1) of git 2.39 and later. Such a
/// file in a writable tree could be made a FIFO (every later git command
/// of the user waits forever) or changed to hide what the user reviews
/// (`* -diff`, an excludes file with `*`).
pub const DATA_KEYS: &[&str] = &[
    "core.excludesfile",
    "core.attributesfile",
    "mailmap.file",
    "commit.template",
    "blame.ignorerevsfile",
    "diff.orderfile",
    "format.signaturefile",
    "gpg.ssh.allowedsignersfile",
    "gpg.ssh.revocationfile",
    "user.signingkey",
    "http.sslcainfo",
    "http.*.sslcainfo",
    "http.sslcapath",
    "http.*.sslcapath",
    "http.sslcert",
    "http.*.sslcert",
    "http.sslkey",
    "http.*.sslkey",
    "http.proxysslcert",
    "http.*.proxysslcert",
    "http.proxysslkey",
    "http.*.proxysslkey",
    "http.proxysslcainfo",
    "http.*.proxysslcainfo",
    "http.cookiefile",
    "http.*.cookiefile",
    "sendemail.aliasesfile",
    "sendemail.smtpsslcertpath",
    "fsck.skiplist",
    "fetch.fsck.skiplist",
    "receive.fsck.skiplist",
    "trace2.normaltarget",
    "trace2.perftarget",
    "trace2.eventtarget",
];

/// Files git reads beside its global configuration (in `~/.config/git`
/// and `$XDG_CONFIG_HOME/git`) when no key names others.
const DEFAULT_DATA_FILES: &[&str] = &["ignore", "attributes"];

/// The directories of git's XDG configuration for `home`:
/// `~/.config/git`, and `$XDG_CONFIG_HOME/git` of the caller.
fn global_config_dirs(home: &Path) -> Vec<PathBuf> {
    let mut out = vec![home.join(".config/git")];
    out.extend(
        std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|x| x.join("git")),
    );
    out
}

/// Keys of [`DATA_KEYS`] whose file holds a secret: a cookie, a private
/// key, a client certificate (often the key and the certificate in one
/// PEM file), a signing key given as a path. Hidden like the credential
/// stores the configuration names, not only kept read-only.
pub const SECRET_DATA_KEYS: &[&str] = &[
    "user.signingkey",
    "http.sslcert",
    "http.*.sslcert",
    "http.sslkey",
    "http.*.sslkey",
    "http.proxysslcert",
    "http.*.proxysslcert",
    "http.proxysslkey",
    "http.*.proxysslkey",
    "http.cookiefile",
    "http.*.cookiefile",
];

/// Variables of the caller's environment that name a program git (or
/// another tool of the user: `man`, `less`, `crontab -e`) runs, as the
/// corresponding keys of the configuration do (`core.editor`,
/// `core.pager`, `core.sshCommand`, `core.askPass`, `diff.external`).
pub const ENVIRONMENT_PROGRAMS: &[&str] = &[
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "VISUAL",
    "EDITOR",
    "SUDO_EDITOR",
    "GIT_PAGER",
    "PAGER",
    "MANPAGER",
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "GIT_EXTERNAL_DIFF",
    "LESSOPEN",
    "LESSCLOSE",
    "GIT_PROXY_COMMAND",
    // Start-up command lines of vim and vi (`source ~/.config/vim/vimrc`):
    // what they name is judged as a command line's mentions.
    "VIMINIT",
    "GVIMINIT",
    "EXINIT",
    // Key bindings less loads, which can set `LESSOPEN`.
    "LESSKEY_CONTENT",
    // The command line every interactive bash runs before each prompt
    // (bash(1)).
    "PROMPT_COMMAND",
    // Programs cargo runs in place of, or around, rustc and rustdoc on
    // every build (cargo(1) "ENVIRONMENT").
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC",
    "CARGO_BUILD_RUSTDOC",
    "RUSTC",
    "RUSTDOC",
    // Programs sudo, xdg-open and python's webbrowser run.
    "SUDO_ASKPASS",
    "BROWSER",
    // The compilers, preprocessor, assembler, linker and binary tools
    // make's implicit rules, autotools, CMake, meson, cargo's build
    // scripts (the `cc` crate) and pip's source builds run (make(1)
    // "Variables Used by Implicit Rules"), and CMake's compiler launchers.
    "CC",
    "CXX",
    "CPP",
    "FC",
    "F77",
    "AS",
    "LD",
    "AR",
    "NM",
    "RANLIB",
    "STRIP",
    "OBJCOPY",
    "OBJDUMP",
    "HOSTCC",
    "HOSTCXX",
    "CUDAHOSTCXX",
    "CMAKE_C_COMPILER_LAUNCHER",
    "CMAKE_CXX_COMPILER_LAUNCHER",
    "CCACHE_PREFIX",
    // Editors of kubectl, fc (bash's history editing), systemctl and
    // Mercurial; the shell npm runs every package script with.
    "KUBE_EDITOR",
    "FCEDIT",
    "SYSTEMD_EDITOR",
    "HGEDITOR",
    "npm_config_script_shell",
    "NPM_CONFIG_SCRIPT_SHELL",
];

/// Variables of the caller's environment whose value is the path of a
/// file or directory a program loads, runs or copies from, as the
/// directory keys of the configuration ([`DIRECTORY_KEYS`]) and the
/// protected start-up files of the home do: git's template directory and
/// its programs' directory, less's key files (an `#env` section sets
/// `LESSOPEN`), readline's, the file every non-interactive bash (and an
/// interactive `sh`) sources, python's start-up file, zsh's start-up
/// directory. Judged as the path alone: one that is not absolute cannot
/// be located.
pub const ENVIRONMENT_FILES: &[&str] = &[
    "GIT_TEMPLATE_DIR",
    "GIT_EXEC_PATH",
    "LESSKEYIN",
    "LESSKEY",
    "LESSKEYIN_SYSTEM",
    "LESSKEY_SYSTEM",
    "INPUTRC",
    "BASH_ENV",
    "ENV",
    "PYTHONSTARTUP",
    "ZDOTDIR",
    // The completions file every interactive bash with bash-completion
    // sources, and the directory of its older completions
    // (bash-completion's README).
    "BASH_COMPLETION_USER_FILE",
    "BASH_COMPLETION_COMPAT_DIR",
    // Start-up files of vim, starship (its `custom` modules run commands
    // at every prompt), curl, wget and psql.
    "MYVIMRC",
    "STARSHIP_CONFIG",
    "CURL_HOME",
    "WGETRC",
    "PSQLRC",
    // Toolchains and the programs their managers install, which the
    // user's shell runs through their shims or `bin` directories:
    // rustup's toolchains (the `cargo` the user runs is rustup's proxy
    // for the one there) and cargo's installed programs, Go's toolchain,
    // installed programs and module cache (compiled into every build),
    // Python's (pyenv, pipx, Poetry, uv, pip's and conda's configuration,
    // matplotlib's, the bytecode cache python imports from), Jupyter's
    // data (kernels it starts), Node's (nvm, Volta, fnm, n, pnpm, Bun,
    // Deno, Corepack, npm's global prefix and configuration), the JVM's
    // (the JDK, Maven, Gradle, Ant, Kotlin, SDKMAN!), Ruby's (rbenv,
    // RubyGems' and Bundler's configuration), .NET, Android, Flutter and
    // Dart, Homebrew, asdf and mise.
    "RUSTUP_HOME",
    "CARGO_INSTALL_ROOT",
    "GOROOT",
    "GOBIN",
    "GOMODCACHE",
    "PYENV_ROOT",
    "PIPX_HOME",
    "PIPX_BIN_DIR",
    "POETRY_HOME",
    "UV_TOOL_DIR",
    "UV_TOOL_BIN_DIR",
    "UV_PYTHON_INSTALL_DIR",
    "UV_CONFIG_FILE",
    "PIP_CONFIG_FILE",
    "CONDARC",
    "MPLCONFIGDIR",
    "PYTHONPYCACHEPREFIX",
    "JUPYTER_DATA_DIR",
    "NVM_DIR",
    "VOLTA_HOME",
    "FNM_DIR",
    "N_PREFIX",
    "PNPM_HOME",
    "BUN_INSTALL",
    "DENO_INSTALL",
    "DENO_DIR",
    "COREPACK_HOME",
    "NPM_CONFIG_PREFIX",
    "npm_config_prefix",
    "NPM_CONFIG_GLOBALCONFIG",
    "npm_config_globalconfig",
    "JAVA_HOME",
    "JDK_HOME",
    "MAVEN_HOME",
    "M2_HOME",
    "GRADLE_HOME",
    "ANT_HOME",
    "KOTLIN_HOME",
    "SDKMAN_DIR",
    "RBENV_ROOT",
    "GEMRC",
    "BUNDLE_USER_HOME",
    "DOTNET_ROOT",
    "NUGET_PACKAGES",
    "ANDROID_HOME",
    "ANDROID_SDK_ROOT",
    "FLUTTER_ROOT",
    "PUB_CACHE",
    "HOMEBREW_PREFIX",
    "ASDF_DIR",
    "ASDF_DATA_DIR",
    "MISE_DATA_DIR",
    // The programs conda's and mamba's shell functions run on every
    // `conda activate` (conda's `shell/etc/profile.d/conda.sh`).
    "CONDA_EXE",
    "CONDA_PYTHON_EXE",
    "MAMBA_EXE",
    "MAMBA_ROOT_PREFIX",
    // CMake code every configure runs; configuration files that name
    // programs or plugins: ripgrep's (`--pre=PROGRAM`), Ansible's (plugin
    // and module directories), bat's, screen's, Docker's directory
    // (`config.json` names credential helpers), ccache's.
    "CMAKE_TOOLCHAIN_FILE",
    "RIPGREP_CONFIG_PATH",
    "ANSIBLE_CONFIG",
    "BAT_CONFIG_PATH",
    "BAT_CONFIG_DIR",
    "SCREENRC",
    "SYSSCREENRC",
    "DOCKER_CONFIG",
    "CCACHE_CONFIGPATH",
    "PHPRC",
    // Caches whose content tools use without checking it again: built
    // wheels (pip, uv), compiled objects (ccache, sccache), and the
    // default of every tool's cache.
    "XDG_CACHE_HOME",
    "PIP_CACHE_DIR",
    "UV_CACHE_DIR",
    "CCACHE_DIR",
    "SCCACHE_DIR",
];

/// How a variable of [`ENVIRONMENT_LOADS`] names what its program loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loads {
    /// Directories or files separated by any of these characters, each
    /// searched or loaded as it is written: an empty or relative entry is
    /// taken from where the program runs (`PYTHONPATH=:/x` searches the
    /// directory python starts in), so it cannot be located.
    List(&'static str),
    /// As [`Loads::List`], but an entry without `/` is a name the program
    /// looks up in its own search path (`LD_PRELOAD=libfoo.so`).
    Names(&'static str),
    /// As [`Loads::List`], but empty entries name nothing (`MAKEFILES`,
    /// whose entries blanks separate).
    Words(&'static str),
    /// Options of the program, read as it reads them ([`loaded_by_options`]).
    Options(Opts),
    /// Flags or code in the program's own syntax, not modelled: every
    /// absolute path written in it is judged as a file it loads, and a
    /// path written relative to where the program runs (`-Clinker=tools/cc`,
    /// `-I../inc`) cannot be located.
    Mentions,
    /// As [`Loads::Mentions`], but relative paths are not judged: a
    /// variable no table holds whose name says it names a file, a
    /// directory, a program or flags ([`unlisted_loads`]).
    Unlisted,
}

/// Whose options a [`Loads::Options`] variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opts {
    Less,
    Node,
    Perl,
    Ruby,
    Java,
    Go,
}

/// Variables of the caller's environment through which the user's later
/// programs load code or configuration from files on every start: the
/// search paths python (`sitecustomize`, `usercustomize` and every
/// module it imports are looked up there before the standard library),
/// perl, ruby, node, java, rubygems and the dynamic linker take, and the
/// options less, node, perl, ruby and the JVM read from the environment
/// (python(1), perlrun(1), ruby(1), node(1), java(1) "JDK_JAVA_OPTIONS",
/// less(1), ld.so(8)).
pub const ENVIRONMENT_LOADS: &[(&str, Loads)] = &[
    ("PYTHONPATH", Loads::List(":")),
    ("PYTHONHOME", Loads::List(":")),
    ("PYTHONUSERBASE", Loads::List("")),
    ("PERL5LIB", Loads::List(":")),
    ("PERLLIB", Loads::List(":")),
    ("RUBYLIB", Loads::List(":")),
    ("GEM_HOME", Loads::List("")),
    ("GEM_PATH", Loads::List(":")),
    ("NODE_PATH", Loads::List(":")),
    ("CLASSPATH", Loads::List(":")),
    ("LD_LIBRARY_PATH", Loads::List(":;")),
    ("LD_PRELOAD", Loads::Names(": ")),
    ("LD_AUDIT", Loads::Names(":")),
    ("LESS", Loads::Options(Opts::Less)),
    ("NODE_OPTIONS", Loads::Options(Opts::Node)),
    ("PERL5OPT", Loads::Options(Opts::Perl)),
    ("RUBYOPT", Loads::Options(Opts::Ruby)),
    ("JAVA_TOOL_OPTIONS", Loads::Options(Opts::Java)),
    ("_JAVA_OPTIONS", Loads::Options(Opts::Java)),
    ("JDK_JAVA_OPTIONS", Loads::Options(Opts::Java)),
    ("MAVEN_OPTS", Loads::Options(Opts::Java)),
    ("GRADLE_OPTS", Loads::Options(Opts::Java)),
    // make(1): the makefiles every make reads first, blank-separated; a
    // relative one is looked up where make runs.
    ("MAKEFILES", Loads::Words(" \t\n")),
    // The configuration every OpenSSL 3 user loads (providers and engines
    // it activates are shared objects), and where modules are looked up
    // (openssl-env(7)).
    ("OPENSSL_CONF", Loads::List("")),
    ("OPENSSL_CONF_INCLUDE", Loads::List("")),
    ("OPENSSL_MODULES", Loads::List("")),
    ("OPENSSL_ENGINES", Loads::List("")),
    // glibc's iconv modules (`gconv-modules` names shared objects).
    ("GCONV_PATH", Loads::List(":")),
    // cargo's home: `config.toml` there sets `build.rustc-wrapper` for
    // every build, `bin/` holds the installed programs.
    ("CARGO_HOME", Loads::List("")),
    // go's configuration file (`GOFLAGS=-toolexec=…`); `off` reads none.
    ("GOENV", Loads::List("")),
    // The go command's flags on every build and test (`-modfile=`,
    // `-overlay=`, `-toolexec=`, …), its workspace file (`use` and
    // `replace` directives name the modules compiled in; `off` reads
    // none) and its build cache (compiled packages linked into every
    // build) (go help environment, go help buildflags).
    ("GOFLAGS", Loads::Options(Opts::Go)),
    ("GOWORK", Loads::List("")),
    ("GOCACHE", Loads::List("")),
    // Start-up scripts and configuration of IPython and Jupyter, gradle's
    // init scripts, R's start-up files, npm's configuration (which sets
    // the shell and the node options of every script), kubectl's
    // configuration (its credential plugins are programs).
    ("IPYTHONDIR", Loads::List("")),
    ("JUPYTER_CONFIG_DIR", Loads::List("")),
    ("GRADLE_USER_HOME", Loads::List("")),
    ("R_PROFILE_USER", Loads::List("")),
    ("R_PROFILE", Loads::List("")),
    ("R_ENVIRON_USER", Loads::List("")),
    ("NPM_CONFIG_USERCONFIG", Loads::List("")),
    ("npm_config_userconfig", Loads::List("")),
    ("KUBECONFIG", Loads::List(":")),
    // Search paths of the build tools: CMake's package prefixes (every
    // `find_package` runs the `<Pkg>Config.cmake` it finds there),
    // aclocal's macro directories (m4 into `configure`), pkg-config's,
    // the C compilers' headers, libraries and programs (gcc(1)
    // "ENVIRONMENT": `COMPILER_PATH` is searched for `cc1` and `ld`),
    // PHP's extra ini directories (`auto_prepend_file`), Lua's module
    // paths (`;;` is the default path, so empty entries name nothing).
    ("CMAKE_PREFIX_PATH", Loads::List(":")),
    ("CMAKE_INCLUDE_PATH", Loads::List(":")),
    ("CMAKE_LIBRARY_PATH", Loads::List(":")),
    ("CMAKE_PROGRAM_PATH", Loads::List(":")),
    ("CMAKE_MODULE_PATH", Loads::List(":")),
    ("ACLOCAL_PATH", Loads::List(":")),
    ("PKG_CONFIG_PATH", Loads::List(":")),
    ("PKG_CONFIG_LIBDIR", Loads::List(":")),
    ("CPATH", Loads::List(":")),
    ("C_INCLUDE_PATH", Loads::List(":")),
    ("CPLUS_INCLUDE_PATH", Loads::List(":")),
    ("OBJC_INCLUDE_PATH", Loads::List(":")),
    ("LIBRARY_PATH", Loads::List(":")),
    ("COMPILER_PATH", Loads::List(":")),
    ("GCC_EXEC_PREFIX", Loads::List("")),
    ("PHP_INI_SCAN_DIR", Loads::List(":")),
    ("LUA_PATH", Loads::Words(";")),
    ("LUA_CPATH", Loads::Words(";")),
    // Flags and start-up code in the tools' own syntax: rustc's flags
    // (`-C linker=PATH`, `-L`, plugins), the C compilers' (`-B` names the
    // directory `cc1` and `ld` are run from, `-fplugin=`, `-specs=`),
    // make's (`--include-dir`, `--eval`), Lua's start-up chunk
    // (`@FILE` or code), pytest's added options (`-c FILE`, `-p`).
    ("RUSTFLAGS", Loads::Mentions),
    ("CARGO_ENCODED_RUSTFLAGS", Loads::Mentions),
    ("RUSTDOCFLAGS", Loads::Mentions),
    ("CARGO_ENCODED_RUSTDOCFLAGS", Loads::Mentions),
    ("CARGO_BUILD_RUSTFLAGS", Loads::Mentions),
    ("CARGO_BUILD_RUSTDOCFLAGS", Loads::Mentions),
    ("CFLAGS", Loads::Mentions),
    ("CXXFLAGS", Loads::Mentions),
    ("CPPFLAGS", Loads::Mentions),
    ("LDFLAGS", Loads::Mentions),
    ("MAKEFLAGS", Loads::Mentions),
    ("GNUMAKEFLAGS", Loads::Mentions),
    ("MFLAGS", Loads::Mentions),
    ("LUA_INIT", Loads::Mentions),
    ("LUA_INIT_5_1", Loads::Mentions),
    ("LUA_INIT_5_2", Loads::Mentions),
    ("LUA_INIT_5_3", Loads::Mentions),
    ("LUA_INIT_5_4", Loads::Mentions),
    ("PYTEST_ADDOPTS", Loads::Mentions),
    // Jupyter's configuration and data search paths (extensions, kernels
    // and the configuration files it executes), Go's workspaces (`bin`,
    // the module cache), bash-completion's directories, zsh's function
    // path, Mercurial's configuration (its hooks are programs), local::lib
    // roots perl loads from.
    ("JUPYTER_CONFIG_PATH", Loads::List(":")),
    ("JUPYTER_PATH", Loads::List(":")),
    ("GOPATH", Loads::List(":")),
    ("BASH_COMPLETION_USER_DIR", Loads::List(":")),
    ("FPATH", Loads::List(":")),
    ("HGRCPATH", Loads::List(":")),
    ("PERL_LOCAL_LIB_ROOT", Loads::List(":")),
    // JVM options the start scripts of many tools pass to java.
    ("JAVA_OPTS", Loads::Options(Opts::Java)),
    ("SBT_OPTS", Loads::Options(Opts::Java)),
];

/// Words of an options variable: blanks separate, and the characters of
/// `quotes` group (a backslash escapes inside double quotes): node reads
/// double quotes, the JVM double and single ones, perl, ruby and less
/// none (a quote is part of the word). `None` for an unterminated quote.
fn option_words(s: &str, quotes: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => cur.push(chars.next()?),
            (Some(_), c) => cur.push(c),
            (None, c) if quotes.contains(c) => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

/// What a file option's value names.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file or directory by its path, as written.
    Path(String),
    /// A `:`-separated list of them (`-Xbootclasspath/a:`).
    List(String),
    /// A module or library name the program looks up (`-r foo`).
    Name,
}

/// The files and directories the options `value` of program `opts` load
/// from, as written ([`Target`]); `Err` for options the helper cannot
/// read (an unterminated quote, a file option without its value).
fn loaded_by_options(opts: Opts, value: &str) -> Result<Vec<Target>, String> {
    let quotes = match opts {
        Opts::Node => "\"",
        Opts::Java | Opts::Go => "\"'",
        Opts::Perl | Opts::Ruby | Opts::Less => "",
    };
    let words = option_words(value, quotes).ok_or("an unterminated quote")?;
    // A module: a path when written as one (`/x`, `./x`, `../x`, a
    // `file:` URL); otherwise a name (`dotenv/config`, `bundler/setup`)
    // the program looks up in its own search path.
    let module = |v: &str| {
        let v = v.strip_prefix("file://").unwrap_or(v);
        let relative = [".", ".."].contains(&v) || v.starts_with("./") || v.starts_with("../");
        if v.starts_with('/') || relative || v.starts_with("file:") {
            Target::Path(v.to_string())
        } else {
            Target::Name
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    let missing = |o: &str| format!("{o} without its value");
    while i < words.len() {
        let w = words[i].as_str();
        i += 1;
        let mut next = |o: &str| -> Result<String, String> {
            let v = words.get(i).cloned().ok_or_else(|| missing(o))?;
            i += 1;
            Ok(v)
        };
        match opts {
            Opts::Node => {
                let (name, glued) = match w.split_once('=') {
                    Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                    _ => (w, None),
                };
                let is_module = matches!(
                    name,
                    "--require" | "-r" | "--import" | "--loader" | "--experimental-loader"
                );
                let is_file = matches!(
                    name,
                    "--env-file" | "--env-file-if-exists" | "--openssl-config" | "--snapshot-blob"
                );
                if is_module || is_file {
                    let v = match glued {
                        Some(v) => v,
                        None => next(name)?,
                    };
                    if v.starts_with("data:") || v.starts_with("node:") {
                        continue;
                    }
                    out.push(if is_module {
                        module(&v)
                    } else {
                        Target::Path(v)
                    });
                }
            }
            Opts::Perl | Opts::Ruby => {
                // `-I DIR` (perlrun(1), ruby(1)); ruby's `-r LIB` too.
                for (flag, lib) in [("-I", false), ("-r", true)] {
                    if lib && opts == Opts::Perl {
                        continue;
                    }
                    if let Some(v) = w.strip_prefix(flag) {
                        let v = if v.is_empty() {
                            next(flag)?
                        } else {
                            v.to_string()
                        };
                        out.push(if lib { module(&v) } else { Target::Path(v) });
                    }
                }
            }
            Opts::Java => {
                for p in ["-javaagent:", "-agentpath:"] {
                    if let Some(v) = w.strip_prefix(p) {
                        let v = v.split_once('=').map_or(v, |(f, _)| f);
                        out.push(Target::Path(v.to_string()));
                    }
                }
                for p in ["-XX:VMOptionsFile=", "-XX:Flags="] {
                    if let Some(v) = w.strip_prefix(p) {
                        out.push(Target::Path(v.to_string()));
                    }
                }
                for p in [
                    "-Xbootclasspath/a:",
                    "-Xbootclasspath/p:",
                    "-Xbootclasspath:",
                ] {
                    if let Some(v) = w.strip_prefix(p) {
                        out.push(Target::List(v.to_string()));
                    }
                }
                if let Some(v) = w.strip_prefix('@') {
                    out.push(Target::Path(v.to_string()));
                }
                if matches!(w, "-cp" | "-classpath" | "--class-path") {
                    out.push(Target::List(next(w)?));
                }
                if let Some(v) = w.strip_prefix("--class-path=") {
                    out.push(Target::List(v.to_string()));
                }
            }
            Opts::Go => {
                // `GOFLAGS`: `-flag=value` settings (a flag without `=` is
                // a boolean one, go help environment). Files the go
                // command reads (`-modfile`, `-overlay`, `-pgo`), compiled
                // packages it links (`-pkgdir`), and programs it runs
                // around the tools and the tests (`-toolexec`, `-exec`,
                // command lines whose first word is the program).
                let Some((name, v)) = w.split_once('=') else {
                    continue;
                };
                let name = name.trim_start_matches('-');
                match name {
                    "modfile" | "overlay" | "pkgdir" => out.push(Target::Path(v.to_string())),
                    "pgo" if v != "auto" && v != "off" => out.push(Target::Path(v.to_string())),
                    "toolexec" | "exec" => {
                        let words = option_words(v, "\"'").ok_or("an unterminated quote")?;
                        if let Some(prog) = words.first() {
                            out.push(if prog.contains('/') {
                                Target::Path(prog.clone())
                            } else {
                                Target::Name
                            });
                        }
                    }
                    _ => {}
                }
            }
            Opts::Less => {
                // A string argument ends at `$` in LESS (less(1)).
                let arg = |v: &str| v.split('$').next().unwrap_or_default().to_string();
                if let Some(long) = w.strip_prefix("--") {
                    let (name, glued) = match long.split_once('=') {
                        Some((n, v)) => (n, Some(arg(v))),
                        None => (long, None),
                    };
                    // Long names may be abbreviated to a unique prefix.
                    let file = name.len() > "lesskey-".len()
                        && ["lesskey-file", "lesskey-src"]
                            .iter()
                            .any(|full| full.starts_with(name));
                    if file {
                        let v = match glued {
                            Some(v) => v,
                            None => arg(&next(w)?),
                        };
                        out.push(Target::Path(v));
                    }
                } else if let Some(flags) = w.strip_prefix('-') {
                    // Bundled one-letter options: `k` takes the key file,
                    // the other letters that take a value end the word.
                    for (at, c) in flags.char_indices() {
                        if c == 'k' {
                            let v = arg(&flags[at + 1..]);
                            let v = if v.is_empty() { arg(&next("-k")?) } else { v };
                            out.push(Target::Path(v));
                            break;
                        }
                        if "bhjoOpPtTxyz#D".contains(c) {
                            break;
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A value of a variable of [`ENVIRONMENT_LOADS`] as [`Named`]: the files
/// and directories it loads from by their paths, every absolute path
/// written in it mentioned, and why an entry cannot be located (relative
/// to where the program runs, an expansion such as ld.so's `$ORIGIN`, an
/// option the helper cannot read).
fn environment_loads(name: &str, how: Loads, value: &str, home: &Path) -> Named {
    let mut n = Named {
        entry: format!("{name}={value}"),
        origin: "the caller's environment".into(),
        home: home.to_path_buf(),
        mentioned: mentioned_paths(value, home),
        ..Named::default()
    };
    let split = |v: &str, seps: &str| -> Vec<String> {
        if seps.is_empty() {
            vec![v.to_string()]
        } else {
            v.split(|c| seps.contains(c)).map(str::to_string).collect()
        }
    };
    let (entries, names) = match how {
        Loads::Mentions | Loads::Unlisted => {
            // Cargo's encoded flags are separated by 0x1f.
            let value = value.replace('\u{1f}', " ");
            n.mentioned = mentioned_paths(&value, home);
            if how == Loads::Mentions {
                if let Some(r) = relative_paths(&value).into_iter().next() {
                    n.unknown_command = Some(format!(
                        "{r:?} is taken from where the program runs, or holds an expansion the helper cannot resolve"
                    ));
                }
            }
            return n;
        }
        Loads::List(_) if (name == "GOENV" || name == "GOWORK") && value == "off" => {
            (Vec::new(), false)
        }
        Loads::List(seps) => (split(value, seps), false),
        Loads::Names(seps) | Loads::Words(seps) => (
            split(value, seps)
                .into_iter()
                .filter(|e| !e.is_empty())
                .collect(),
            matches!(how, Loads::Names(_)),
        ),
        Loads::Options(opts) => match loaded_by_options(opts, value) {
            Ok(targets) => {
                let mut entries = Vec::new();
                for t in targets {
                    match t {
                        Target::Path(p) => entries.push(p),
                        Target::List(l) => entries.extend(split(&l, ":")),
                        Target::Name => {}
                    }
                }
                (entries, false)
            }
            Err(why) => {
                n.unknown_command = Some(format!("an option the helper cannot read: {why}"));
                return n;
            }
        },
    };
    for e in entries {
        if names && !e.contains('/') {
            continue;
        }
        if e.starts_with('/') && !e.contains('$') {
            n.paths.push(PathBuf::from(e));
        } else {
            n.unknown_command.get_or_insert_with(|| {
                format!("{e:?} is taken from where the program runs, or holds an expansion the helper cannot resolve")
            });
        }
    }
    n
}

/// The paths written in `value` (flags or code) relative to where its
/// program runs, or through an expansion: each word split at blanks,
/// quotes, `=`, `:`, `,` and `@` that holds a `/`, taken from where its
/// path starts (`-I../inc` is `../inc`), and not absolute.
fn relative_paths(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in value.split(|c: char| c.is_whitespace() || "'\"`;|&()<>{}=:,@".contains(c)) {
        if !piece.contains('/') {
            continue;
        }
        // An option glued to its value (`-I../inc`, `-Ltools/lib`).
        let p = match piece.trim_start_matches('-') {
            opt if opt.len() < piece.len() => opt.get(1..).unwrap_or_default(),
            _ => piece,
        };
        if !(p.starts_with('/') || p.starts_with('~')) || p.contains('$') {
            out.push(p.to_string());
        }
    }
    out
}

/// Whether a caller variable no table holds is judged by its name
/// ([`Loads::Unlisted`]): a name that says it holds an editor, a
/// configuration or start-up file, a search path, a directory, a home,
/// flags or options, or a program run around a tool. What its value names
/// in a writable tree is what the user's next command with the same
/// environment loads. Not judged: git's own variables (judged by the
/// repository checks), the environments whose `bin` is judged as a `PATH`
/// entry, cargo's build output and manifest directory (the project's own
/// tree, where they default to anyway), and direnv's state (direnv runs a
/// changed `.envrc` only after `direnv allow`).
pub fn unlisted_loads(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "EDITOR",
        "_CONFIG",
        "_PATH",
        "_DIR",
        "_DIRS",
        "_FILE",
        "_HOME",
        "_INIT",
        "FLAGS",
        "_OPTS",
        "_OPTIONS",
        "_LINKER",
        "_RUNNER",
        "_WRAPPER",
        "_SHELL",
        "_LAUNCHER",
        "RC",
    ];
    const SKIPPED: &[&str] = &[
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "OUT_DIR",
    ];
    let upper = name.to_ascii_uppercase();
    let listed = ENVIRONMENT_PROGRAMS.contains(&name)
        || ENVIRONMENT_FILES.contains(&name)
        || ENVIRONMENT_LOADS.iter().any(|(n, _)| *n == name)
        || crate::env::ENVIRONMENT_BIN_VARIABLES.contains(&name);
    !listed
        && !upper.starts_with("GIT_")
        && !upper.starts_with("DIRENV_")
        && !SKIPPED.contains(&upper.as_str())
        && !cargo_target_program(name)
        && SUFFIXES.iter().any(|s| upper.ends_with(s))
}

/// Whether a caller variable names a program cargo runs for a target:
/// `CARGO_TARGET_<triple>_LINKER` and `_RUNNER` (cargo(1) "ENVIRONMENT"),
/// judged as [`ENVIRONMENT_PROGRAMS`] are.
fn cargo_target_program(name: &str) -> bool {
    name.starts_with("CARGO_TARGET_")
        && (name.ends_with("_LINKER") || name.ends_with("_RUNNER"))
        && name.len() > "CARGO_TARGET__LINKER".len()
        || name == "CARGO_HOST_LINKER"
}

/// How many `GIT_CONFIG_KEY_<n>` entries the helper reads.
const ENVIRONMENT_CONFIG_MAX: usize = 1000;

/// The values of [`ENVIRONMENT_PROGRAMS`], [`ENVIRONMENT_FILES`] and [`ENVIRONMENT_LOADS`] the
/// helper's caller has, as entries `($NAME, value, home)` judged with the
/// configuration's programs; and the entries of git's configuration the
/// environment sets for every git command: `GIT_CONFIG_PARAMETERS` (what
/// `git -c` passes on) whole, and those of `GIT_CONFIG_COUNT` as
/// `($GIT_CONFIG_KEY_<n>, KEY=VALUE)` (a count git would not read whole
/// as `($GIT_CONFIG_COUNT, count)`), each judged as `git -c KEY=VALUE`.
fn environment_programs(home: &Path) -> Vec<(String, String, PathBuf)> {
    // The helper never changes its environment, and the plan and both
    // sweeps ask for it again and again: taken once a home.
    type Taken = Vec<(PathBuf, Vec<(String, String, PathBuf)>)>;
    static TAKEN: std::sync::Mutex<Taken> = std::sync::Mutex::new(Vec::new());
    let mut taken = TAKEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, env)) = taken.iter().find(|(h, _)| h == home) {
        return env.clone();
    }
    let env = environment_programs_taken(home);
    taken.push((home.to_path_buf(), env.clone()));
    env
}

/// [`environment_programs`], taken from the environment.
fn environment_programs_taken(home: &Path) -> Vec<(String, String, PathBuf)> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mut out: Vec<(String, String, PathBuf)> = ENVIRONMENT_PROGRAMS
        .iter()
        .chain(ENVIRONMENT_FILES)
        .chain(ENVIRONMENT_LOADS.iter().map(|(name, _)| name))
        .chain(&["GIT_CONFIG_PARAMETERS"])
        .filter_map(|name| Some((format!("${name}"), var(name)?, home.to_path_buf())))
        .collect();
    // Variables no table holds: the programs cargo runs for a target, and
    // those whose name says what they hold ([`unlisted_loads`]).
    let mut unlisted: Vec<(String, String, PathBuf)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, v)| !v.trim().is_empty() && (cargo_target_program(k) || unlisted_loads(k)))
        .map(|(k, v)| (format!("${k}"), v, home.to_path_buf()))
        .collect();
    unlisted.sort();
    out.extend(unlisted);
    if let Some(count) = std::env::var_os("GIT_CONFIG_COUNT") {
        let count = count.to_string_lossy().into_owned();
        let pairs: Option<Vec<(String, String)>> = count
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= ENVIRONMENT_CONFIG_MAX)
            .and_then(|n| {
                (0..n)
                    .map(|i| {
                        let k = std::env::var(format!("GIT_CONFIG_KEY_{i}")).ok()?;
                        let v = std::env::var(format!("GIT_CONFIG_VALUE_{i}")).ok()?;
                        Some((format!("$GIT_CONFIG_KEY_{i}"), format!("{k}={v}")))
                    })
                    .collect()
            });
        match pairs {
            Some(pairs) => out.extend(pairs.into_iter().map(|(k, v)| (k, v, home.to_path_buf()))),
            None => out.push(("$GIT_CONFIG_COUNT".into(), count, home.to_path_buf())),
        }
    }
    out
}

/// The files keys of [`DATA_KEYS`] name in the caller's environment's
/// configuration (`GIT_CONFIG_PARAMETERS`, `GIT_CONFIG_COUNT` with its
/// pairs), by an absolute path (`~/` expanded in `home`): git reads them
/// as it reads those the global configuration names.
fn environment_data(home: &Path) -> Vec<PathBuf> {
    data_of_environment(&environment_programs(home), home)
}

/// Whether configuration entry `KEY=VALUE` sets a key of [`DATA_KEYS`].
fn is_data_entry(e: &str) -> bool {
    let var = config_key(e.split_once('=').map_or(e, |(k, _)| k));
    DATA_KEYS.iter().any(|d| key_matches(d, &var))
}

/// [`environment_data`] of the entries `env` ([`environment_programs`]).
fn data_of_environment(env: &[(String, String, PathBuf)], home: &Path) -> Vec<PathBuf> {
    data_of_environment_in(env, std::slice::from_ref(&home.to_path_buf()), DATA_KEYS)
}

/// [`data_of_environment`] of the keys of [`SECRET_DATA_KEYS`]: the
/// secret files the environment's git configuration names, `~/` being
/// each of `homes`.
fn secrets_of_environment(env: &[(String, String, PathBuf)], homes: &[PathBuf]) -> Vec<PathBuf> {
    data_of_environment_in(env, homes, SECRET_DATA_KEYS)
}

/// The values of [`SECRET_DATA_KEYS`] in the environment's git
/// configuration that are relative paths (taken where git runs).
fn relative_secrets_of_environment(env: &[(String, String, PathBuf)]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, value, _) in env {
        let Some(Ok(entries)) = environment_config(name.trim_start_matches('$'), value) else {
            continue;
        };
        for e in entries {
            let Some((k, v)) = e.split_once('=') else {
                continue;
            };
            let var = config_key(k);
            if SECRET_DATA_KEYS.iter().any(|d| key_matches(d, &var))
                && !v.is_empty()
                && !v.starts_with('~')
                && !Path::new(v).is_absolute()
            {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// [`data_of_environment`] of the keys `keys`, `~/` being each of `homes`.
fn data_of_environment_in(
    env: &[(String, String, PathBuf)],
    homes: &[PathBuf],
    keys: &[&str],
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (name, value, _) in env {
        let Some(Ok(entries)) = environment_config(name.trim_start_matches('$'), value) else {
            continue;
        };
        for e in entries {
            let Some((k, v)) = e.split_once('=') else {
                continue;
            };
            let var = config_key(k);
            if !keys.iter().any(|d| key_matches(d, &var)) || v.is_empty() {
                continue;
            }
            for p in expand_tilde(v, homes).unwrap_or_default() {
                if p.is_absolute() {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// The entries `KEY=VALUE` (or `KEY` alone, a boolean) of
/// `GIT_CONFIG_PARAMETERS` as git reads them (`parse_config_env_list`):
/// single-quoted words, `'\''` and `'\!'` inside, `'KEY'='VALUE'` or
/// `'KEY=VALUE'`, separated by blanks. `None` where git would refuse it.
fn config_parameters(s: &str) -> Option<Vec<String>> {
    fn step(c: &[char], mut i: usize) -> Option<(String, usize)> {
        if c.get(i) != Some(&'\'') {
            return None;
        }
        i += 1;
        let mut out = String::new();
        loop {
            match c.get(i)? {
                '\'' => {
                    i += 1;
                    if c.get(i) == Some(&'\\')
                        && matches!(c.get(i + 1), Some('\'' | '!'))
                        && c.get(i + 2) == Some(&'\'')
                    {
                        out.push(c[i + 1]);
                        i += 3;
                        continue;
                    }
                    return Some((out, i));
                }
                ch => {
                    out.push(*ch);
                    i += 1;
                }
            }
        }
    }
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while c.get(i).is_some_and(|ch| ch.is_whitespace()) {
            i += 1;
        }
        if i >= c.len() {
            return Some(out);
        }
        let (key, next) = step(&c, i)?;
        i = next;
        if c.get(i) == Some(&'=') {
            let (value, next) = step(&c, i + 1)?;
            i = next;
            out.push(format!("{key}={value}"));
        } else {
            out.push(key);
        }
        if c.get(i).is_some_and(|ch| !ch.is_whitespace()) {
            return None;
        }
    }
}

/// The configuration entries (`KEY=VALUE`) of an entry of the
/// environment's configuration read by [`environment_programs`], or why
/// git's reading of it is not known; `None` for any other variable.
fn environment_config(name: &str, value: &str) -> Option<Result<Vec<String>, String>> {
    if name == "GIT_CONFIG_PARAMETERS" {
        Some(config_parameters(value).ok_or_else(|| "not in the form git reads".to_string()))
    } else if name == "GIT_CONFIG_COUNT" {
        Some(Err(format!(
            "not a count of at most {ENVIRONMENT_CONFIG_MAX} with every GIT_CONFIG_KEY_<n> and GIT_CONFIG_VALUE_<n> set"
        )))
    } else if name.starts_with("GIT_CONFIG_KEY_") {
        Some(Ok(vec![value.to_string()]))
    } else {
        None
    }
}

/// What a command line git runs (`core.sshCommand`, `$GIT_SSH_COMMAND`,
/// `credential.helper`) gives programs as secret files, as written: the
/// operands of ssh and its siblings (`-i KEY`, `-iKEY`, `-F CONFIG`, `-o
/// IdentityFile=KEY`, `-o "CertificateFile KEY"`, `-o Include=CONFIG`,
/// what a `-o ProxyCommand=…` runs), of `sshpass -f FILE` and of `git
/// credential-store --file FILE`. A program is recognised at any word,
/// not only in command position, so that every wrapper in front of it
/// (`timeout 30`, `nice -n 5`, `/usr/bin/env VAR=x`, `stdbuf -o0`, one
/// the helper has never heard of) is seen through without a list of
/// wrappers and their options: a word that only looks like such a program
/// makes the helper hide more, never less.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Secrets {
    /// Secret files, as written (`~/` not expanded); one holding an
    /// expansion the helper cannot resolve starts with `$`.
    pub files: Vec<String>,
    /// ssh configuration files (`-F`, `Include`), as written: hidden
    /// themselves, and read for the identity and certificate files they
    /// name.
    pub ssh_configs: Vec<String>,
    /// Path-like words of text the helper does not model (a command line
    /// given to a shell, program text given to an interpreter), as
    /// written: hidden where they name a file that is not a program.
    pub guessed: Vec<String>,
    /// Why the scan may have missed a file, when it may have.
    pub unsure: Option<String>,
}

impl Secrets {
    fn extend(&mut self, other: Secrets) {
        self.files.extend(other.files);
        self.ssh_configs.extend(other.ssh_configs);
        self.guessed.extend(other.guessed);
        if self.unsure.is_none() {
            self.unsure = other.unsure;
        }
    }
}

/// Programs of the ssh family: `-i`, `-F` and `-o` mean the same to each.
const SSH_PROGRAMS: &[&str] = &["ssh", "scp", "sftp", "slogin"];

/// Interpreters whose options take program text, by name with an
/// optional version (`python3.11`), and the letters of those options
/// (`python3 -c`, `perl -e`/`-E`, `php -r`, `node -e`/`-p`); `--eval`,
/// `--print` and `--command` are taken for each.
const INTERPRETERS: &[(&str, &str)] = &[
    ("python", "c"),
    ("pypy", "c"),
    ("perl", "eE"),
    ("ruby", "e"),
    ("node", "ep"),
    ("nodejs", "ep"),
    ("deno", "ep"),
    ("bun", "ep"),
    ("php", "rB"),
    ("lua", "e"),
    ("luajit", "e"),
    ("osascript", "e"),
    ("pwsh", "cC"),
    ("powershell", "cC"),
    ("Rscript", "e"),
    ("tclsh", ""),
];

/// The code option letters of interpreter `base`, if it is one.
fn interpreter(base: &str) -> Option<&'static str> {
    INTERPRETERS.iter().find_map(|(i, letters)| {
        base.strip_prefix(i)
            .filter(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .map(|_| *letters)
    })
}

/// What a value of an ssh option (`-o KEY=VALUE`, a line of an ssh
/// configuration file) is, for the secrets it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SshKey {
    /// `IdentityFile`, `CertificateFile`: a secret file.
    File,
    /// `Include`: configuration files.
    Config,
    /// `ProxyCommand`, `LocalCommand`, `KnownHostsCommand`: a command
    /// line ssh runs on this machine.
    Command,
}

fn ssh_key(keyword: &str) -> Option<SshKey> {
    match keyword.to_ascii_lowercase().as_str() {
        "identityfile" | "certificatefile" => Some(SshKey::File),
        "include" => Some(SshKey::Config),
        "proxycommand" | "localcommand" | "knownhostscommand" => Some(SshKey::Command),
        _ => None,
    }
}

/// `KEY VALUE`, `KEY=VALUE` or `KEY = VALUE` as ssh splits an option
/// (keyword case-insensitive); the value may be empty.
pub(crate) fn split_ssh_option(text: &str) -> (&str, &str) {
    let t = text.trim();
    let end = t
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(t.len());
    let (key, rest) = t.split_at(end);
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
    (key, rest)
}

/// A file operand of ssh as written, for [`Secrets::files`]: surrounding
/// double quotes taken off, ssh's `%d` (the home) written as `~`, and
/// marked with a leading `$` where the helper cannot resolve it (a shell
/// expansion, another `%` token of ssh).
fn ssh_file_operand(value: &str, unknown: bool) -> String {
    let v = value.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    let v = match v.strip_prefix("%d") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("~{rest}"),
        _ => v.to_string(),
    };
    if unknown || v.contains('%') {
        format!("${v}")
    } else {
        v
    }
}

/// Take the value of ssh option `key` into `out`.
fn ssh_option_value(key: SshKey, value: &str, unknown: bool, depth: usize, out: &mut Secrets) {
    match key {
        SshKey::File => out.files.push(ssh_file_operand(value, unknown)),
        SshKey::Config => out.ssh_configs.extend(
            value
                .split_whitespace()
                .map(|v| ssh_file_operand(v, unknown)),
        ),
        SshKey::Command => command_secrets(value, depth + 1, out),
    }
}

/// What a word expecting a value of the program before it will take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Nothing,
    /// A secret file (`ssh -i`, `sshpass -f`, `credential-store --file`).
    File,
    /// An ssh configuration file (`ssh -F`).
    Config,
    /// An ssh option (`-o`).
    Option,
    /// The value of an ssh option given as `-o KEY` and the next word.
    OptionValue(SshKey),
    /// A command line given to a shell (`sh -c`).
    Script,
    /// Program text given to an interpreter (`python3 -c`).
    Code,
}

/// Which program the words being read belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Other,
    Ssh,
    Sshpass,
    Store,
    /// `git credential-store` after `--`: no more options.
    StoreEnded,
    Shell,
    /// An interpreter, with the letters of its options taking code.
    Interpreter(&'static str),
}

/// Read command line `cmd` into `out` ([`Secrets`]); `depth` is how deep
/// inside other command lines it is.
fn command_secrets(cmd: &str, depth: usize, out: &mut Secrets) {
    if depth > COMMAND_LINE_DEPTH {
        out.unsure
            .get_or_insert_with(|| "command lines nested too deep".into());
        out.guessed.extend(mentioned_words(cmd));
        return;
    }
    let mut owner = Owner::Other;
    let mut want = Want::Nothing;
    for w in shell_words(cmd) {
        let unknown = !w.unknown.is_empty();
        match std::mem::replace(&mut want, Want::Nothing) {
            Want::Nothing => {}
            Want::File => {
                out.files.push(if owner == Owner::Ssh {
                    ssh_file_operand(&w.text, unknown)
                } else {
                    store_file_operand(&w.text, unknown)
                });
                continue;
            }
            Want::Config => {
                out.ssh_configs.push(ssh_file_operand(&w.text, unknown));
                continue;
            }
            Want::Option => {
                let (k, v) = split_ssh_option(&w.text);
                if let Some(key) = ssh_key(k) {
                    if v.is_empty() {
                        want = Want::OptionValue(key);
                    } else {
                        ssh_option_value(key, v, unknown, depth, out);
                    }
                }
                continue;
            }
            Want::OptionValue(key) => {
                ssh_option_value(key, &w.text, unknown, depth, out);
                continue;
            }
            Want::Script => {
                out.unsure.get_or_insert_with(|| {
                    format!("{:?} is a command line given to a shell", w.text)
                });
                out.guessed.extend(mentioned_words(&w.text));
                command_secrets(&w.text, depth + 1, out);
                continue;
            }
            Want::Code => {
                out.unsure.get_or_insert_with(|| {
                    format!("{:?} is program text given to an interpreter", w.text)
                });
                out.guessed.extend(mentioned_words(&w.text));
                continue;
            }
        }
        for s in &w.substituted {
            command_secrets(s, depth + 1, out);
        }
        if w.command {
            owner = Owner::Other;
            if matches!(w.text.as_str(), "eval" | "source" | ".") {
                // The text or file run in the shell itself is not read.
                out.unsure.get_or_insert_with(|| {
                    format!("`{}` runs text or a file the helper does not read", w.text)
                });
                out.guessed.extend(mentioned_words(cmd));
                continue;
            }
        }
        let base = if w.text.starts_with('-') {
            ""
        } else {
            Path::new(&w.text)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        };
        let program = match base {
            b if SSH_PROGRAMS.contains(&b) => Some(Owner::Ssh),
            "sshpass" => Some(Owner::Sshpass),
            "git-credential-store" | "credential-store" => Some(Owner::Store),
            b if SHELLS.contains(&b) => Some(Owner::Shell),
            b if interpreter(b).is_some() => interpreter(b).map(Owner::Interpreter),
            _ => None,
        };
        if let Some(p) = program {
            owner = p;
            continue;
        }
        match owner {
            Owner::Ssh => {
                // ssh(1) takes `-i FILE` and `-iFILE`, also after other
                // flags without a value (`-vi FILE`); `-F`, `-o` alike.
                let Some(flags) = w
                    .text
                    .strip_prefix('-')
                    .filter(|f| !f.is_empty() && !f.starts_with('-'))
                else {
                    continue;
                };
                for (at, c) in flags.char_indices() {
                    let rest = &flags[at + c.len_utf8()..];
                    match c {
                        'i' if rest.is_empty() => want = Want::File,
                        'i' => out.files.push(ssh_file_operand(rest, unknown)),
                        'F' if rest.is_empty() => want = Want::Config,
                        'F' => out.ssh_configs.push(ssh_file_operand(rest, unknown)),
                        'o' if rest.is_empty() => want = Want::Option,
                        'o' => {
                            let (k, v) = split_ssh_option(rest);
                            if let Some(key) = ssh_key(k) {
                                if v.is_empty() {
                                    want = Want::OptionValue(key);
                                } else {
                                    ssh_option_value(key, v, unknown, depth, out);
                                }
                            }
                        }
                        // ssh's other options that take a value end the word.
                        c if "BbcDEeIJLlmOPpQRSWw".contains(c) => {}
                        _ => continue,
                    }
                    break;
                }
            }
            Owner::Sshpass => {
                if let Some(rest) = w.text.strip_prefix("-f") {
                    if rest.is_empty() {
                        want = Want::File;
                    } else {
                        out.files.push(store_file_operand(rest, unknown));
                    }
                }
            }
            Owner::Store => {
                if w.text == "--" {
                    owner = Owner::StoreEnded;
                    continue;
                }
                // git's parse-options takes any unambiguous prefix of a
                // long option, `--file` being the store's only one: `--f`,
                // `--fi`, `--fil`, each with its value in the next word or
                // after `=`.
                let Some((name, value)) =
                    w.text.strip_prefix("--").map(|o| match o.split_once('=') {
                        Some((n, v)) => (n, Some(v)),
                        None => (o, None),
                    })
                else {
                    continue;
                };
                if name.is_empty() || !"file".starts_with(name) {
                    continue;
                }
                match value {
                    Some(f) => out.files.push(store_file_operand(f, unknown)),
                    None => want = Want::File,
                }
            }
            Owner::Shell => {
                // `sh -c`, `bash -ec`, `sh -lc`: the next word is a
                // command line.
                if w.text
                    .strip_prefix('-')
                    .is_some_and(|f| !f.starts_with('-') && f.contains('c'))
                {
                    want = Want::Script;
                }
            }
            Owner::Interpreter(letters) => {
                // `python3 -c`, `perl -e`/`-E`/`-ne`, `ruby -e`, `php -r`,
                // `node -e`/`-p`/`--eval`, `osascript -e`.
                let t = w.text.as_str();
                let long = t.split_once('=').map_or(t, |(n, _)| n);
                if matches!(long, "--eval" | "--print" | "--command") {
                    match t.split_once('=') {
                        Some((_, code)) => {
                            out.unsure.get_or_insert_with(|| {
                                format!("{code:?} is program text given to an interpreter")
                            });
                            out.guessed.extend(mentioned_words(code));
                        }
                        None => want = Want::Code,
                    }
                } else if let Some(flags) = t.strip_prefix('-').filter(|f| !f.starts_with('-')) {
                    if let Some(at) = flags.find(|c| letters.contains(c)) {
                        let code = &flags[at + 1..];
                        if code.is_empty() {
                            want = Want::Code;
                        } else {
                            out.unsure.get_or_insert_with(|| {
                                format!("{code:?} is program text given to an interpreter")
                            });
                            out.guessed.extend(mentioned_words(code));
                        }
                    }
                }
            }
            Owner::Other | Owner::StoreEnded => {
                // A quoted part holding blanks given to a program the
                // helper does not model (`flock F -c '…'`, `su -c '…'`,
                // `git -c core.sshCommand='ssh -i K'`): read as a command
                // line too, and the value of `KEY=VALUE`.
                if !w.lines.is_empty() {
                    command_secrets(&w.text, depth + 1, out);
                    if let Some((_, v)) = w.text.split_once('=') {
                        command_secrets(v, depth + 1, out);
                    }
                }
            }
        }
    }
}

/// A file operand of `git credential-store --file` or `sshpass -f`, as
/// written, a leading `$HOME` written as `~`, marked with a leading `$`
/// where the helper cannot resolve it.
fn store_file_operand(f: &str, unknown: bool) -> String {
    let f = ["$HOME", "${HOME}"]
        .iter()
        .find_map(|h| {
            f.strip_prefix(h)
                .filter(|r| r.is_empty() || r.starts_with('/'))
        })
        .map(|r| format!("~{r}"))
        .unwrap_or_else(|| f.to_string());
    let still_unknown = unknown && (f.contains('$') || f.contains('`'));
    if still_unknown {
        format!("${f}")
    } else {
        f
    }
}

/// The secrets of a value of `credential.helper` ([`Secrets`]): a bare
/// name is the helper `git credential-NAME`, a path the program, and
/// with `!` a shell's command line. A `!` line the scan cannot read
/// through ([`hides_its_helper`]) is unsure, whatever it found.
fn helper_secrets(value: &str) -> Secrets {
    let cmd = match value.strip_prefix('!') {
        Some(c) => c.to_string(),
        None if value.starts_with('/') || value.starts_with('~') => value.to_string(),
        None => format!("git-credential-{value}"),
    };
    let mut out = Secrets::default();
    command_secrets(&cmd, 0, &mut out);
    if value.starts_with('!') && hides_its_helper(&cmd) {
        out.unsure.get_or_insert_with(|| {
            "a command line the helper cannot read through (a shell given a command line, a git alias)".into()
        });
        out.guessed.extend(mentioned_words(&cmd));
    }
    out
}

/// The secrets of a value of `core.sshCommand` or `$GIT_SSH_COMMAND`.
fn ssh_command_secrets(value: &str) -> Secrets {
    let mut out = Secrets::default();
    command_secrets(value, 0, &mut out);
    out
}

/// The files `git credential-store` (and the rest of [`Secrets`]) is
/// given in a value of `credential.helper`, as written; one the helper
/// cannot locate starts with `$`, and a line it cannot read through ends
/// with an entry starting with `$`.
#[cfg(test)]
fn store_files(value: &str) -> Vec<String> {
    let s = helper_secrets(value);
    let mut out = s.files;
    if let Some(why) = s.unsure {
        out.push(format!("$({why})"));
    }
    out
}

/// Whether the `!` command line `cmd` of a credential helper runs what
/// the word scan of [`command_secrets`] cannot read: a shell given a
/// command line (`sh -c '…'`, `eval`), or a git command that is no
/// `credential-*` helper (an alias of the configuration, `git mystore`)
/// or whose own options define an alias (`git -c alias.st=… st`). A
/// shell or `git` is recognised at any word, behind any wrapper
/// (`timeout 10 sh -c`, `/usr/bin/env bash -c`).
fn hides_its_helper(cmd: &str) -> bool {
    let words = shell_words(cmd);
    let mut git = false;
    let mut git_arg = false;
    for w in &words {
        let base = Path::new(&w.text)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !w.text.starts_with('-') && (SHELLS.contains(&base.as_str()) || base == "eval") {
            return true;
        }
        if !git_arg && base == "git" {
            git = true;
            continue;
        }
        if w.command {
            git = false;
            git_arg = false;
            continue;
        }
        if !git {
            continue;
        }
        if std::mem::take(&mut git_arg) {
            if w.text.to_ascii_lowercase().starts_with("alias.") {
                return true;
            }
            continue;
        }
        if w.text == "-c" || w.text == "-C" || w.text == "--config-env" {
            git_arg = true;
            continue;
        }
        if w.text.starts_with('-') {
            if w.text
                .to_ascii_lowercase()
                .starts_with("--config-env=alias.")
            {
                return true;
            }
            continue;
        }
        // The subcommand.
        if !w.text.starts_with("credential-") {
            return true;
        }
        git = false;
    }
    false
}

/// The files [`Secrets`] names, located: `~/` is each of `homes`, each
/// ssh configuration is read for what it names in turn, and a guessed
/// word counts where it names a file that is no program. What cannot be
/// located, and why the scan may have missed a file, come back as
/// entries of `unknown` (`entry: why`). `commands`: whether the command
/// lines of the ssh configurations (`ProxyCommand`) are read too.
fn locate_secrets(
    s: &Secrets,
    homes: &[PathBuf],
    entry: &str,
    commands: bool,
    files: &mut Vec<PathBuf>,
    unknown: &mut Vec<String>,
) {
    let locate = |f: &str| -> Option<Vec<PathBuf>> {
        if f.starts_with('$') || f.contains('$') {
            return None;
        }
        expand_tilde(f, homes).filter(|ps| ps.iter().all(|p| p.is_absolute()))
    };
    for f in &s.files {
        match locate(f) {
            Some(ps) => files.extend(ps.iter().map(|p| crate::plan::resolve_physical(p))),
            None => unknown.push(entry.to_string()),
        }
    }
    for g in &s.guessed {
        for p in locate(g).unwrap_or_default() {
            let real = crate::plan::resolve_physical(&p);
            if fs::metadata(&real).is_ok_and(|m| m.is_file() && m.mode() & 0o111 == 0) {
                files.push(real);
            }
        }
    }
    let mut configs: Vec<(String, usize)> = s.ssh_configs.iter().map(|c| (c.clone(), 0)).collect();
    while let Some((c, depth)) = configs.pop() {
        // A relative `Include` is below `~/.ssh`.
        let c = if c.starts_with('/') || c.starts_with('~') || c.starts_with('$') || depth == 0 {
            c
        } else {
            format!("~/.ssh/{c}")
        };
        let Some(ps) = locate(&c) else {
            unknown.push(entry.to_string());
            continue;
        };
        for p in ps {
            if c.contains(['*', '?', '[']) {
                // `Include ~/.ssh/config.d/*`: each file it matches now.
                match glob_last(&p) {
                    Some(found) => {
                        configs.extend(found.into_iter().map(|f| (f.display().to_string(), depth)))
                    }
                    None => unknown.push(format!(
                        "{entry}: the ssh configuration {c} is a pattern the helper cannot list"
                    )),
                }
                continue;
            }
            let real = crate::plan::resolve_physical(&p);
            files.push(real.clone());
            if depth >= SSH_INCLUDE_DEPTH {
                unknown.push(format!("{entry}: ssh configurations included too deep"));
                continue;
            }
            let text = match nofollow::read_regular(&real, SSH_CONFIG_BYTES) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    unknown.push(format!(
                        "{entry}: the ssh configuration {c} cannot be read ({e})"
                    ));
                    continue;
                }
            };
            let mut inner = Secrets::default();
            for line in String::from_utf8_lossy(&text).lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let (k, v) = split_ssh_option(line);
                if let Some(key) = ssh_key(k) {
                    if !v.is_empty() && (commands || key != SshKey::Command) {
                        ssh_option_value(key, v, false, 0, &mut inner);
                    }
                }
            }
            for f in &inner.files {
                match locate(f) {
                    Some(ps) => files.extend(ps.iter().map(|p| crate::plan::resolve_physical(p))),
                    // `IdentityFile ~/.ssh/%h`: below `~/.ssh`, hidden
                    // whole already.
                    None if below_ssh_dir(f, homes) => {}
                    None => unknown.push(format!("{entry}: {f} in the ssh configuration {c}")),
                }
            }
            configs.extend(inner.ssh_configs.into_iter().map(|i| (i, depth + 1)));
            if let Some(why) = inner.unsure {
                unknown.push(format!("{entry}: {why}, in the ssh configuration {c}"));
            }
        }
    }
    if let Some(why) = &s.unsure {
        unknown.push(format!("{entry}: {why}"));
    }
}

/// How deep ssh configurations included by others are read.
const SSH_INCLUDE_DEPTH: usize = 4;

/// Whether file operand `f` of an ssh configuration that holds an ssh
/// token (`$~/.ssh/%h_key`, marked by [`ssh_file_operand`]) lies below
/// `~/.ssh` of every home whatever the token becomes.
fn below_ssh_dir(f: &str, homes: &[PathBuf]) -> bool {
    let Some(f) = f.strip_prefix('$') else {
        return false;
    };
    let Some(fixed) = f.split('%').next() else {
        return false;
    };
    // The directory of the first component holding a token.
    let Some((dir, _)) = fixed.rsplit_once('/') else {
        return false;
    };
    if dir.contains(['$', '`']) || dir.split('/').any(|c| c == "..") {
        return false;
    }
    expand_tilde(dir, homes).is_some_and(|ps| {
        ps.iter()
            .all(|p| homes.iter().any(|h| p.starts_with(h.join(".ssh"))))
    })
}

/// The files matching `pattern` whose wildcards (`*`, `?`) lie in its
/// last component only, at most [`SSH_GLOB_ENTRIES`] entries listed;
/// `None` where the helper cannot list them (a wildcard above, `[`, more
/// entries).
pub(crate) fn glob_last(pattern: &Path) -> Option<Vec<PathBuf>> {
    let name = pattern.file_name()?.to_str()?;
    let dir = pattern.parent()?;
    if dir.to_str()?.contains(['*', '?', '[']) || name.contains('[') {
        return None;
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Vec::new()),
        Err(_) => return None,
    };
    let mut out = Vec::new();
    for (n, e) in entries.enumerate() {
        if n >= SSH_GLOB_ENTRIES {
            return None;
        }
        let e = e.ok()?;
        let Some(entry) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if !entry.contains(['*', '?', '[']) && wildcard(name.as_bytes(), entry.as_bytes()) {
            out.push(dir.join(entry));
        }
    }
    out.sort();
    Some(out)
}

/// How many entries of a directory [`glob_last`] lists.
const SSH_GLOB_ENTRIES: usize = 1024;

/// Whether `name` matches `pat` (`*` any run, `?` any one byte; a
/// leading dot matched by no wildcard, as ssh's `glob` does).
fn wildcard(pat: &[u8], name: &[u8]) -> bool {
    if name.first() == Some(&b'.') && pat.first() != Some(&b'.') {
        return false;
    }
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pat, name)
}

/// The secret files the user's own ssh configuration (`~/.ssh/config` of
/// each home) names with `IdentityFile` and `CertificateFile`, and the
/// configurations it includes: git runs ssh, which reads them, and a key
/// kept outside `~/.ssh` (`IdentityFile ~/keys/github`) is no protected
/// store. Real paths; and what cannot be located.
pub fn ssh_user_config_secrets(homes: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let s = Secrets {
        ssh_configs: vec!["~/.ssh/config".into()],
        ..Secrets::default()
    };
    // A home this user cannot enter (root's, seen from a user namespace)
    // is not one whose ssh configuration its ssh reads.
    let homes: Vec<PathBuf> = homes
        .iter()
        .filter(|h| {
            !matches!(nofollow::lstat(&h.join(".ssh/config")),
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied)
        })
        .cloned()
        .collect();
    let (mut files, mut unknown) = (Vec::new(), Vec::new());
    locate_secrets(&s, &homes, "~/.ssh/config", false, &mut files, &mut unknown);
    files.sort();
    files.dedup();
    unknown.sort();
    unknown.dedup();
    (files, unknown)
}

/// How much of an ssh configuration is read.
const SSH_CONFIG_BYTES: u64 = 1 << 20;

/// Keys whose value is a directory path, not a command line.
/// `lfs.storage`: where git-lfs keeps the objects the next checkout
/// writes into the working tree.
const DIRECTORY_KEYS: &[&str] = &[
    "init.templatedir",
    "instaweb.modulepath",
    "core.hookspath",
    "lfs.storage",
];

/// Keys of git's configuration that name a program git runs (a command
/// line, run by a shell or as a path) or a directory it copies or loads
/// from, lower case: `*` is any subsection (`diff.<driver>.textconv`);
/// a key without one matches only without a subsection. From
/// git-config(1) of git 2.39 and later (git 2.54 adds `hook.<name>.command`),
/// and git-svn(1) for `svn.authorsProg`. Conditions on the value are in
/// [`names_programs`].
pub const PROGRAM_KEYS: &[&str] = &[
    "init.templatedir",
    "lfs.storage",
    "core.pager",
    "core.editor",
    "core.sshcommand",
    "core.askpass",
    "core.gitproxy",
    "core.fsmonitor",
    "core.alternaterefscommand",
    "sequence.editor",
    "interactive.difffilter",
    "pager.*",
    "alias.*",
    "alias.*.command",
    "diff.external",
    "diff.*.textconv",
    "diff.*.command",
    "filter.*.clean",
    "filter.*.smudge",
    "filter.*.process",
    "merge.*.driver",
    "credential.helper",
    "credential.*.helper",
    "gpg.program",
    "gpg.*.program",
    "gpg.*.defaultkeycommand",
    "sendemail.smtpserver",
    "sendemail.*.smtpserver",
    "sendemail.tocmd",
    "sendemail.*.tocmd",
    "sendemail.cccmd",
    "sendemail.*.cccmd",
    "sendemail.headercmd",
    "sendemail.*.headercmd",
    "sendemail.sendmailcmd",
    "sendemail.*.sendmailcmd",
    "difftool.*.cmd",
    "difftool.*.path",
    "mergetool.*.cmd",
    "mergetool.*.path",
    "browser.*.cmd",
    "browser.*.path",
    "man.*.cmd",
    "man.*.path",
    "web.browser",
    "remote.*.uploadpack",
    "remote.*.receivepack",
    "tar.*.command",
    "trailer.*.cmd",
    "trailer.*.command",
    "uploadpack.packobjectshook",
    "guitool.*.cmd",
    "instaweb.httpd",
    "instaweb.modulepath",
    "imap.tunnel",
    "submodule.*.update",
    "svn.authorsprog",
    "hook.*.command",
];

/// Whether `var` (section and key lower case, subsection as written)
/// matches `pattern` of [`PROGRAM_KEYS`].
fn key_matches(pattern: &str, var: &str) -> bool {
    let (psec, prest) = pattern.split_once('.').unwrap_or((pattern, ""));
    let (sec, rest) = var.split_once('.').unwrap_or((var, ""));
    if psec != sec {
        return false;
    }
    let (pkey, key) = (
        prest.rsplit('.').next().unwrap_or(prest),
        rest.rsplit('.').next().unwrap_or(rest),
    );
    let psub = prest.rsplit_once('.').map(|(s, _)| s);
    let sub = rest.rsplit_once('.').map(|(s, _)| s);
    let key_ok = pkey == "*" || pkey == key;
    let sub_ok = match (psub, sub) {
        (None, None) => true,
        (Some("*"), Some(_)) => true,
        (Some(p), Some(s)) => p.eq_ignore_ascii_case(s),
        _ => false,
    };
    key_ok && sub_ok
}

/// Whether configuration key `var` (lower case section and key) with
/// `value` names a program git runs or a directory it copies from: such
/// a file kept in a writable tree (a dotfiles repository) would run with
/// the user's rights on their next `git log` or `git clone`.
fn names_programs(var: &str, value: &str) -> bool {
    let boolean = matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "1" | "0" | ""
    );
    let Some(pattern) = PROGRAM_KEYS.iter().find(|p| key_matches(p, var)) else {
        return false;
    };
    match *pattern {
        // A boolean turns the pager or the built-in monitor on or off.
        "core.fsmonitor" | "pager.*" => !boolean,
        // Otherwise a git command, or an update mode (`checkout`, `rebase`).
        // An alias is a git command line (`-c core.pager=…`, `--exec-path=…`
        // choose programs) or, with `!`, a shell's.
        "alias.*" | "alias.*.command" => true,
        // Otherwise an update mode (`checkout`, `rebase`).
        "submodule.*.update" => value.starts_with('!'),
        _ => true,
    }
}

/// Commands that run the word after them (and their options) as a
/// program: that word is in command position too.
const WRAPPERS: &[&str] = &[
    "exec", "command", "builtin", "env", "nohup", "nice", "time", "xargs", "sudo", "doas",
    "setsid", "stdbuf", "timeout", "{", "!", "if", "then", "do", "else", "elif", "while", "until",
];

/// Options of `git` itself that take the next word as their value.
const GIT_OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "-C",
    "--config-env",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--super-prefix",
    "--attr-source",
    "--list-cmds",
];

/// Programs whose `-c` option takes a command line.
const SHELLS: &[&str] = &[
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "busybox",
];

/// Commands after which the helper does not know what runs where: the
/// directory changes (`cd`), or a file or a text is run in the shell
/// itself.
const UNMODELLED_COMMANDS: &[&str] = &["cd", "pushd", "popd", "source", ".", "eval"];

/// Shell parameters whose expansion is no path the configuration chose:
/// the alias's own arguments and the shell's special parameters, and
/// `GIT_PREFIX` (a directory inside the repository git runs in).
fn harmless_parameter(name: &str) -> bool {
    name == "GIT_PREFIX"
        || name == "HOME"
        || name.chars().all(|c| c.is_ascii_digit())
        || matches!(name, "@" | "*" | "#" | "?" | "$" | "!" | "-")
}

/// One word of a command line as [`shell_words`] splits it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Word {
    /// The word, quotes removed; a leading `$HOME` or `${HOME}` written as `~`.
    text: String,
    /// In command position (the program of a command).
    command: bool,
    /// Quoted parts holding blanks or shell operators.
    lines: Vec<String>,
    /// Expansions that cannot be resolved (`$NAME` other than `HOME`,
    /// `$(…)`, backquotes), as written.
    unknown: Vec<String>,
    /// Text of command substitutions (`$(…)`, backquotes): command lines.
    substituted: Vec<String>,
}

/// The words of a command line as a shell splits them, roughly: blanks
/// separate, quotes group, `;`, `|`, `&`, `(`, `)` and new lines end a
/// command; `<` and `>` end a word. Each word says whether it is in
/// command position.
fn shell_words(cmd: &str) -> Vec<Word> {
    let chars: Vec<char> = cmd.chars().collect();
    let mut out = Vec::new();
    let mut cur = Word {
        command: true,
        ..Word::default()
    };
    let mut any = false;
    let mut quote: Option<char> = None;
    let mut quoted_from = 0;
    let mut next_command = true;
    let mut redirect = false;
    let finish = |cur: &mut Word,
                  any: &mut bool,
                  next_command: &mut bool,
                  redirect: &mut bool,
                  out: &mut Vec<Word>| {
        if !*any && cur.text.is_empty() {
            return;
        }
        let mut w = std::mem::take(cur);
        for home in ["$HOME", "${HOME}"] {
            if let Some(rest) = w.text.strip_prefix(home) {
                if rest.is_empty() || rest.starts_with('/') {
                    w.text = format!("~{rest}");
                }
            }
        }
        let is_command = *next_command && !*redirect;
        w.command = is_command;
        if *redirect {
            *redirect = false;
        } else if is_command {
            let assignment = w.text.split_once('=').is_some_and(|(n, _)| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            *next_command = assignment
                || WRAPPERS.contains(&w.text.as_str())
                || (w.text.starts_with('-') && !out.is_empty())
                || matches!(w.text.as_str(), "source" | "." | "eval");
        }
        out.push(w);
        *any = false;
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => {
                let part: String = cur.text[quoted_from..].to_string();
                if part
                    .chars()
                    .any(|c| c.is_whitespace() || ";|&()<>`".contains(c))
                {
                    cur.lines.push(part);
                }
                quote = None;
            }
            Some('"') if c == '\\' && i + 1 < chars.len() => {
                i += 1;
                cur.text.push(chars[i]);
            }
            Some('"') if c == '$' || c == '`' => {
                i = expansion(&chars, i, &mut cur);
                continue;
            }
            Some(_) => cur.text.push(c),
            None => match c {
                '\\' => {
                    i += 1;
                    if let Some(n) = chars.get(i) {
                        if *n != '\n' {
                            cur.text.push(*n);
                            any = true;
                        }
                    }
                }
                '\'' | '"' => {
                    quote = Some(c);
                    quoted_from = cur.text.len();
                    any = true;
                }
                '$' | '`' => {
                    i = expansion(&chars, i, &mut cur);
                    any = true;
                    continue;
                }
                c if c.is_whitespace() && c != '\n' => finish(
                    &mut cur,
                    &mut any,
                    &mut next_command,
                    &mut redirect,
                    &mut out,
                ),
                ';' | '|' | '&' | '(' | ')' | '\n' => {
                    finish(
                        &mut cur,
                        &mut any,
                        &mut next_command,
                        &mut redirect,
                        &mut out,
                    );
                    next_command = true;
                    redirect = false;
                }
                '<' | '>' => {
                    finish(
                        &mut cur,
                        &mut any,
                        &mut next_command,
                        &mut redirect,
                        &mut out,
                    );
                    redirect = true;
                }
                _ => cur.text.push(c),
            },
        }
        i += 1;
    }
    if quote.is_some() {
        // An unterminated quote: git would hand the shell a syntax error;
        // the rest is still looked at as a command line.
        let part = cur.text[quoted_from..].to_string();
        cur.lines.push(part);
    }
    finish(
        &mut cur,
        &mut any,
        &mut next_command,
        &mut redirect,
        &mut out,
    );
    out
}

/// Read the expansion starting at `chars[i]` (`$` or a backquote) into
/// `w`; returns the index after it.
fn expansion(chars: &[char], i: usize, w: &mut Word) -> usize {
    let start = i;
    let mut j = i + 1;
    if chars[i] == '`' {
        while j < chars.len() && chars[j] != '`' {
            j += 1;
        }
        let inner: String = chars[i + 1..j.min(chars.len())].iter().collect();
        w.substituted.push(inner);
        w.unknown.push("a command substitution".into());
        let end = (j + 1).min(chars.len());
        w.text.extend(&chars[start..end]);
        return end;
    }
    match chars.get(j) {
        Some('(') => {
            let mut depth = 0;
            while j < chars.len() {
                match chars[j] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let inner: String = chars[i + 2..j.min(chars.len())].iter().collect();
            w.substituted.push(inner);
            w.unknown.push("a command substitution".into());
            let end = (j + 1).min(chars.len());
            w.text.extend(&chars[start..end]);
            end
        }
        Some('{') => {
            let mut k = j + 1;
            while k < chars.len() && chars[k] != '}' {
                k += 1;
            }
            let inner: String = chars[j + 1..k.min(chars.len())].iter().collect();
            let name: String = inner
                .trim_start_matches(['#', '!'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || "@*#?$!-".contains(*c))
                .collect();
            let end = (k + 1).min(chars.len());
            let written: String = chars[start..end].iter().collect();
            if !harmless_parameter(&name) || name.is_empty() {
                w.unknown.push(written.clone());
            }
            w.text.push_str(&written);
            end
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let written: String = chars[start..j].iter().collect();
            if !harmless_parameter(&written[1..]) {
                w.unknown.push(written.clone());
            }
            w.text.push_str(&written);
            j
        }
        Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(*c) => {
            w.text.push('$');
            w.text.push(*c);
            j + 1
        }
        _ => {
            // A lone `$`: itself.
            w.text.push('$');
            j
        }
    }
}

/// The command line a value of key `var` runs: an alias without `!` is a
/// git command line (`git` and its arguments: git's own options such as
/// `-c core.pager=…` included), one with `!` a shell's; any other key's
/// value is a shell's.
fn alias_command(var: &str, value: &str) -> String {
    let alias = key_matches("alias.*", var) || key_matches("alias.*.command", var);
    match value.strip_prefix('!') {
        Some(cmd) => cmd.to_string(),
        None if alias => format!("git {value}"),
        None => value.to_string(),
    }
}

/// Analyse a command line (a value of a key naming a program, `!` taken
/// off) as [`Named`] describes; `home` is what `~/` and `$HOME` mean.
/// Every absolute path written anywhere in it is [`Named::mentioned`].
pub(crate) fn analyse_command(cmd: &str, home: &Path) -> Named {
    let mut n = Named {
        home: home.to_path_buf(),
        ..Named::default()
    };
    analyse_into(cmd, home, &mut n, 0);
    n.mentioned = mentioned_paths(cmd, home);
    n
}

/// Section and key of a configuration key as written on git's command
/// line (`-c Core.Pager=…`) lower case, a subsection as written.
fn config_key(k: &str) -> String {
    match (k.split_once('.'), k.rsplit_once('.')) {
        (Some((sec, _)), Some((head, key))) if head.len() > sec.len() => format!(
            "{}{}.{}",
            sec.to_ascii_lowercase(),
            &head[sec.len()..],
            key.to_ascii_lowercase()
        ),
        _ => k.to_ascii_lowercase(),
    }
}

/// A configuration entry given to `git` on its command line (`-c KEY=VALUE`
/// in an alias or a command line of the configuration): judged as the
/// configuration's own entry would be. A program key's value is a command
/// line read into `n`; a directory git runs or copies from
/// (`core.hooksPath`, `init.templateDir`) is a named path, and one named
/// relative to where git runs cannot be located; an include is a
/// configuration the helper does not read, so it cannot be judged.
fn analyse_git_config_option(entry: &str, home: &Path, n: &mut Named, depth: usize) {
    let (k, value) = entry.split_once('=').unwrap_or((entry, ""));
    let key = config_key(k);
    if key_matches("credential.helper", &key) || key_matches("credential.*.helper", &key) {
        n.stores.extend(helper_secrets(value));
    }
    if key == "core.sshcommand" {
        n.stores.extend(ssh_command_secrets(value));
    }
    let path_key =
        key == "core.hookspath" || DIRECTORY_KEYS.contains(&key.as_str()) || is_include(&key);
    if is_include(&key) {
        // A configuration the helper does not read: what it names is not
        // judged, wherever it lies.
        n.unknown_command.get_or_insert_with(|| {
            format!("git -c {key}={value} includes a configuration the helper does not read")
        });
    } else if path_key {
        if value.is_empty() {
            return;
        }
        match expand_tilde(value, std::slice::from_ref(&home.to_path_buf())) {
            Some(ps) if ps.iter().all(|p| p.is_absolute()) => n.paths.extend(ps),
            _ => {
                n.unknown_command.get_or_insert_with(|| {
                    format!(
                        "git -c {key}={value} names a directory or file relative to where git runs"
                    )
                });
            }
        }
    } else if names_programs(&key, value) {
        if depth < COMMAND_LINE_DEPTH {
            analyse_into(&alias_command(&key, value), home, n, depth + 1);
        } else {
            n.unknown_command
                .get_or_insert_with(|| "command lines nested too deep".into());
        }
    }
}

/// How deep command lines given to a shell inside command lines are read.
const COMMAND_LINE_DEPTH: usize = 4;

fn analyse_into(cmd: &str, home: &Path, n: &mut Named, depth: usize) {
    let words = shell_words(cmd);
    let mut shell_arg = false;
    let mut program = String::new();
    // Between `git` and its subcommand: git's own options
    // (`handle_options`); `-c` takes the next word.
    let mut git_options = false;
    let mut git_next: Option<&str> = None;
    for w in &words {
        let is_shell_arg = std::mem::take(&mut shell_arg);
        let git_arg = git_next.take();
        if !w.lines.is_empty() {
            n.unmodelled.get_or_insert_with(|| {
                format!(
                    "{:?} is a quoted part holding blanks or shell syntax",
                    w.lines[0]
                )
            });
        }
        // What a shell is given with `-c` (or `eval`) is a command line.
        if is_shell_arg {
            n.unmodelled
                .get_or_insert_with(|| format!("{:?} is a command line given to a shell", w.text));
            if depth < COMMAND_LINE_DEPTH {
                analyse_into(&w.text, home, n, depth + 1);
            } else {
                n.unknown_command
                    .get_or_insert_with(|| "command lines nested too deep".into());
            }
            continue;
        }
        for s in &w.substituted {
            if depth < COMMAND_LINE_DEPTH {
                analyse_into(s, home, n, depth + 1);
            }
        }
        if w.command && UNMODELLED_COMMANDS.contains(&w.text.as_str()) {
            n.unmodelled
                .get_or_insert_with(|| format!("`{}` changes where or what runs", w.text));
            if w.text == "eval" {
                shell_arg = true;
            }
            continue;
        }
        if w.command {
            program = w.text.rsplit('/').next().unwrap_or("").to_string();
            git_options = program == "git";
        } else if git_options {
            let config_env = match git_arg {
                Some("-c") => {
                    analyse_git_config_option(&w.text, home, n, depth);
                    None
                }
                Some("--config-env") => Some(w.text.as_str()),
                // The value of `-C`, `--git-dir`, …: a path, judged as
                // a mention.
                Some(_) => None,
                None if GIT_OPTIONS_WITH_VALUE.contains(&w.text.as_str()) => {
                    git_next = GIT_OPTIONS_WITH_VALUE
                        .iter()
                        .find(|o| **o == w.text)
                        .copied();
                    None
                }
                None => w.text.strip_prefix("--config-env="),
            };
            if let Some(entry) = config_env {
                // The value is an environment variable's, not known here.
                let (k, _) = entry.split_once('=').unwrap_or((entry, ""));
                let key = config_key(k);
                if key == "core.hookspath"
                    || DIRECTORY_KEYS.contains(&key.as_str())
                    || is_include(&key)
                    || PROGRAM_KEYS.iter().any(|p| key_matches(p, &key))
                {
                    n.unknown_command.get_or_insert_with(|| {
                        format!("{} takes {key} from the environment", w.text)
                    });
                }
            } else if git_arg.is_some() || git_next.is_some() {
            } else if let Some(dir) = w.text.strip_prefix("--exec-path=") {
                // The directory git runs its commands (`git-NAME`) from.
                match expand_tilde(dir, std::slice::from_ref(&home.to_path_buf())) {
                    Some(ps) if ps.iter().all(|p| p.is_absolute()) => n.paths.extend(ps),
                    _ => {
                        n.unknown_command.get_or_insert_with(|| {
                            format!("{} is a directory relative to where git runs", w.text)
                        });
                    }
                }
            } else if !w.text.starts_with('-') {
                // The subcommand: its arguments are its own.
                git_options = false;
            }
        } else if SHELLS.contains(&program.as_str())
            && w.text.starts_with('-')
            && w.text.len() > 1
            && w.text[1..].chars().all(|c| c.is_ascii_alphabetic())
            && w.text.contains('c')
        {
            // `sh -c LINE`, `bash -lc LINE`: the next word is a command line.
            shell_arg = true;
        }
        if let Some(u) = w.unknown.first() {
            // Its value is not known: neither what it runs nor what it
            // names (a script given to the program, a directory).
            let why = format!("{u} is a shell expansion");
            if w.command {
                n.unknown_command.get_or_insert(why);
            } else {
                n.unmodelled
                    .get_or_insert_with(|| format!("{u} is a shell expansion"));
                n.unknown_argument.get_or_insert(why);
            }
            continue;
        }
        let Some(expanded) = expand_tilde(&w.text, std::slice::from_ref(&home.to_path_buf()))
        else {
            let why = format!("{} names an account the helper cannot look up", w.text);
            if w.command {
                n.unknown_command.get_or_insert(why);
            } else {
                n.unknown_argument.get_or_insert(why);
            }
            continue;
        };
        for p in expanded {
            if w.command {
                if p.is_absolute() {
                    n.paths.push(p);
                } else if w.text.contains('/') {
                    n.unknown_command.get_or_insert_with(|| {
                        format!(
                            "{} is a relative path, taken from the directory git runs in",
                            w.text
                        )
                    });
                }
            } else if p.is_absolute() && fs::metadata(&p).is_ok_and(|m| m.is_file()) {
                // A script given to an interpreter: a directory there is
                // where the program works, not what it runs.
                n.paths.push(p);
            }
        }
    }
    // A line in quotes given to a shell: its own words are commands.
    for w in &words {
        for l in &w.lines {
            if depth < COMMAND_LINE_DEPTH && w.text.contains(l.as_str()) {
                // Its programs by path are protected too; what it cannot
                // locate is not judged here (a `sed` program or a message
                // is no command line; one given to a shell was read above,
                // and its expansions in double quotes are the word's).
                let mut inner = Named::default();
                analyse_into(l, home, &mut inner, depth + 1);
                n.paths.extend(inner.paths);
            }
        }
    }
}

/// Every absolute path written in `cmd` (`~/`, `~NAME/` and `$HOME/`
/// expanded), wherever ([`mentioned_words`]).
pub(crate) fn mentioned_paths(cmd: &str, home: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for piece in mentioned_words(cmd) {
        if let Some(ps) = expand_tilde(&piece, std::slice::from_ref(&home.to_path_buf())) {
            out.extend(ps.into_iter().filter(|p| p.is_absolute()));
        }
    }
    out
}

/// Every absolute path written in `cmd`, as written (`$HOME/` as `~/`),
/// wherever: words split at blanks, quotes, shell operators, `=` and `:`,
/// and an option's name taken off a path glued to it (`-F/x`).
fn mentioned_words(cmd: &str) -> Vec<String> {
    let text = cmd.replace("${HOME}", "$HOME");
    let mut out = Vec::new();
    for piece in text.split(|c: char| c.is_whitespace() || "'\"`;|&()<>{}=:,".contains(c)) {
        // An option glued to its path (`-F/x`, `-I~/x`): the path.
        // A path after other punctuation (`-d@/x`, `+/x`): from its
        // `/` or `~` on. A relative path (`origin/main`, `src/`) is no
        // absolute one.
        let piece = match piece.strip_prefix('-') {
            Some(opt) => match opt.find(['/', '~', '$']) {
                Some(i) => &opt[i..],
                None => continue,
            },
            None => match piece.char_indices().find(|&(i, c)| {
                "/~$".contains(c)
                    && (i == 0
                        || piece[..i]
                            .chars()
                            .next_back()
                            .is_some_and(|b| !(b.is_alphanumeric() || "._-~/".contains(b))))
            }) {
                Some((i, _)) => &piece[i..],
                None => continue,
            },
        };
        let piece = match piece.strip_prefix("$HOME") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("~{rest}"),
            _ => piece.to_string(),
        };
        if !(piece.starts_with('/') || piece.starts_with('~')) {
            continue;
        }
        out.push(piece);
    }
    out
}

/// The words of a command line as a shell splits them, roughly: blanks
/// separate, quotes group. Enough to find the paths it names.
#[cfg(test)]
fn command_words(cmd: &str) -> Vec<String> {
    shell_words(cmd).into_iter().map(|w| w.text).collect()
}

/// The hooks directories `core.hooksPath` names for `git_dir` (in its own
/// configuration, that of its common dir, or the global one; of the
/// repository's own configuration files, only those `own` takes are read:
/// the sweep reads those that are as recorded), real paths, existing or
/// not. A relative value is taken where git runs hooks (githooks(5)): the
/// top of the working tree (beside `.git`, the directory of a linked
/// worktree's `.git` file, `core.worktree`, or `tops`: the directories of
/// the `.git` files and links that lead to a separate git dir), or the git
/// dir of a bare repository. `global` is [`global_config`]; `over` of the
/// result, the repository's configuration files not read to the end.
pub fn hooks_dirs(
    git_dir: &Path,
    homes: &[PathBuf],
    own: &dyn Fn(&Path) -> bool,
    tops: &[PathBuf],
    global: &ConfigRead,
    budget: &mut Budget,
) -> Entries {
    let mut files = vec![git_dir.join("config"), git_dir.join("config.worktree")];
    // A pointer that cannot be read is a gap, like a configuration that
    // cannot be read.
    let mut unread = Vec::new();
    match pointer_target(&git_dir.join("commondir"), git_dir) {
        Ok(Some(common)) => files.push(common.join("config")),
        Ok(None) => {}
        Err(()) => unread.push(git_dir.join("commondir")),
    }
    let mine = read_configs_where(&files, homes, budget, own);
    let mut bases: Vec<PathBuf> = Vec::new();
    if git_dir.file_name() == Some(".git".as_ref()) {
        bases.extend(git_dir.parent().map(Path::to_path_buf));
    } else {
        match pointer_target(&git_dir.join("gitdir"), git_dir) {
            // A linked worktree's git dir names the worktree's `.git` file.
            Ok(Some(dot_git)) => bases.extend(dot_git.parent().map(Path::to_path_buf)),
            Ok(None) => {}
            Err(()) => unread.push(git_dir.join("gitdir")),
        }
    }
    bases.extend(mine.worktrees.iter().map(|w| git_dir.join(w)));
    if bases.is_empty() {
        bases.push(git_dir.to_path_buf());
    }
    // A separate git dir (`git init --separate-git-dir`, a `.git` link, a
    // monorepo's `.git` file) is reached through a pointer, whose directory
    // is the working tree's top.
    bases.extend(tops.iter().cloned());
    bases.sort();
    bases.dedup();
    let mut out = Vec::new();
    let mut by_name = Vec::new();
    // Every link on the way to each hooks directory (`.git/hooks ->
    // ../tools/hooks`, `tools/hooks -> hooks-v1`): re-pointing one changes
    // the directory git runs hooks from.
    let mut way = links_on_the_way(&git_dir.join("hooks"));
    for h in mine.hooks_paths.iter().chain(&global.hooks_paths) {
        for b in &bases {
            way.extend(links_on_the_way(&b.join(h)));
            let d = crate::plan::resolve_physical(&b.join(h));
            // A directory holding the repository cannot be made read-only
            // (that would be the whole tree), but git runs hooks from it
            // all the same: each hook name in it is protected instead.
            if git_dir.starts_with(&d) || b.starts_with(&d) {
                by_name.extend(HOOK_NAMES.iter().map(|n| d.join(n)));
            } else {
                // What a hook in the working tree runs by its own name
                // one directory up (husky 9: every `.husky/_/NAME` runs
                // `.husky/NAME`) is a hook as well: each hook name in the
                // parent is protected like a hook by name (kept where it
                // exists, moved aside when the run makes it).
                // "One directory up" is taken from the path git runs the
                // hook by (`.husky/_/NAME` as written, so `.husky`), not
                // from where a link leads (`.husky/_ -> ../tools/stubs`
                // is `tools`): both are protected.
                let lexical = b.join(h);
                let parents = [
                    d.parent().map(Path::to_path_buf),
                    lexical.parent().map(crate::plan::resolve_physical),
                ];
                for parent in parents.iter().flatten().filter(|p| p.starts_with(b)) {
                    by_name.extend(HOOK_NAMES.iter().map(|n| parent.join(n)));
                }
                out.push(d);
            }
        }
    }
    out.sort();
    out.dedup();
    by_name.sort();
    by_name.dedup();
    let mut over = mine.over;
    over.extend(unread);
    // The links on the way to what git runs from these directories.
    let mut dirs = vec![git_dir.join("hooks")];
    dirs.extend(out.iter().cloned());
    let mut links = mine.links;
    links.extend(way);
    links.extend(hook_link_chains(&dirs));
    for h in &by_name {
        if nofollow::lstat(h).is_ok_and(|m| m.file_type().is_symlink()) {
            links.extend(links_on_the_way(h));
        }
    }
    links.sort();
    links.dedup();
    Entries {
        paths: out,
        over,
        hooks_by_name: by_name,
        links,
        ..Entries::default()
    }
}

/// The configuration git reads in a repository whose git dir is
/// `git_dir`: its `config` and `config.worktree`, its common dir's
/// `config`, and what they include. `~/` is each of `homes`.
pub fn repository_config(git_dir: &Path, homes: &[PathBuf], budget: &mut Budget) -> ConfigRead {
    let mut files = vec![git_dir.join("config"), git_dir.join("config.worktree")];
    if let Ok(Some(common)) = pointer_target(&git_dir.join("commondir"), git_dir) {
        files.push(common.join("config"));
    }
    read_configs(&files, homes, budget)
}

/// Git dirs outside the writable trees whose configuration still governs
/// git run in them: the repository enclosing each root (walked up as git
/// discovers it: every ancestor's `.git` directory, file or link, not only
/// the nearest, since the user may run git in any of them), the git dirs
/// `.git` files in the trees name (a linked worktree, a submodule), and the
/// common dir of each (`commondir`, whose configuration a linked worktree
/// reads). Their configuration may name hooks directories and include
/// files inside the trees. Real paths; with the pointers that could not be
/// read (what they name is unknown).
pub fn enclosing_git_dirs(
    roots: &[PathBuf],
    pointers: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
) -> Enclosing {
    let mut candidates = Vec::new();
    let mut unreadable = BTreeSet::new();
    let mut tops: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut way = Vec::new();
    let mut follow = |dot: &Path, candidates: &mut Vec<PathBuf>| {
        let m = match nofollow::lstat(dot) {
            Ok(m) if m.is_dir() => {
                candidates.push(dot.to_path_buf());
                return;
            }
            Ok(m) => m,
            Err(_) => return,
        };
        way.extend(pointer_links(dot));
        let g = if m.file_type().is_symlink() {
            // Git follows a `.git` link like any path.
            pointer_git_dir(dot)
        } else {
            match pointed_git_dir(dot) {
                Ok(g) => g,
                Err(()) => {
                    unreadable.insert(dot.to_path_buf());
                    None
                }
            }
        };
        if let (Some(g), Some(top)) = (g, dot.parent()) {
            tops.entry(g.clone()).or_default().insert(top.to_path_buf());
            candidates.push(g);
        }
    };
    for r in roots {
        for a in r.ancestors() {
            follow(&a.join(".git"), &mut candidates);
        }
    }
    for p in pointers {
        follow(p, &mut candidates);
    }
    let mut out = BTreeSet::new();
    for g in candidates {
        let g = fs::canonicalize(&g).unwrap_or(g);
        match pointer_target(&g.join("commondir"), &g) {
            Ok(Some(common)) => {
                way.extend(links_on_the_way(&common));
                if let Some(c) = resolve_pointed(&common) {
                    if !writable(&c) {
                        out.insert(c);
                    }
                }
            }
            Ok(None) => {}
            Err(()) => {
                unreadable.insert(g.join("commondir"));
            }
        }
        if !writable(&g) {
            out.insert(g);
        }
    }
    Enclosing {
        dirs: out.into_iter().collect(),
        unreadable: unreadable.into_iter().collect(),
        tops,
        way,
    }
}

/// What [`enclosing_git_dirs`] found.
#[derive(Debug, Default)]
pub struct Enclosing {
    /// Real paths of the git dirs outside the writable trees.
    pub dirs: Vec<PathBuf>,
    /// Pointers that could not be read (what they name is unknown).
    pub unreadable: Vec<PathBuf>,
    /// The working-tree tops known for each git dir (see [`GitDirs::tops`]).
    pub tops: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// Links on the way to the git dirs the pointers name.
    pub way: Vec<PathBuf>,
}

/// Levels below a hooks directory walked for links and files (a hook's
/// `lib/` of helpers it sources).
const HOOK_TREE_DEPTH: usize = 8;

/// What a hooks directory holds, below it too: git's hooks run and source
/// it all the same.
#[derive(Debug, Default)]
pub struct HookTree {
    /// Regular files, real paths.
    pub files: Vec<PathBuf>,
    /// Symbolic links (not followed).
    pub links: Vec<PathBuf>,
    /// Hooks directories holding more than [`LISTING_ENTRIES`] entries in
    /// all, or deeper than [`HOOK_TREE_DEPTH`]: what is below is unknown.
    pub over: Vec<PathBuf>,
}

/// Walk the hooks directories `dirs` (by real path, no link followed), at
/// most [`LISTING_ENTRIES`] entries each.
pub fn hook_tree(dirs: &[PathBuf]) -> HookTree {
    let mut out = HookTree::default();
    for d in dirs {
        let real = crate::plan::resolve(d);
        let mut budget = LISTING_ENTRIES;
        let mut todo = vec![(real.clone(), 0usize)];
        while let Some((dir, depth)) = todo.pop() {
            let Ok(list) = nofollow::read_dir(&dir) else {
                continue;
            };
            if list.len() > budget || (depth > HOOK_TREE_DEPTH && !list.is_empty()) {
                out.over.push(real.clone());
                break;
            }
            budget -= list.len();
            for (name, ft) in list {
                let p = dir.join(name);
                if ft.is_symlink() {
                    out.links.push(p);
                } else if ft.is_dir() {
                    todo.push((p, depth + 1));
                } else {
                    out.files.push(p);
                }
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    out.links.sort();
    out.links.dedup();
    out.over.sort();
    out.over.dedup();
    out
}

/// What the symbolic links in hooks directories `dirs`, and below them,
/// lead to (a `.git/hooks/pre-commit -> ../../tools/pre-commit.sh` of the
/// project, a `lib/common.sh -> ../../tools/common.sh` a hook sources):
/// git runs the target, so it is protected like the hook. Real paths,
/// existing or not; with the directories holding more than
/// [`LISTING_ENTRIES`] entries (what they link to is unknown).
pub fn hook_link_targets(dirs: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let tree = hook_tree(dirs);
    let mut out: Vec<PathBuf> = tree.links.iter().map(|l| crate::plan::resolve(l)).collect();
    out.sort();
    out.dedup();
    (out, tree.over)
}

/// The symbolic links on the way to what hook links in hooks directories
/// `dirs` (and below them) lead to (`hooks/x -> ../../tools/x`, `tools/x
/// -> impl/hook.sh`): re-pointing any of them changes what git runs.
pub fn hook_link_chains(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = hook_tree(dirs)
        .links
        .iter()
        .flat_map(|l| links_on_the_way(l))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the text of link `l` starts with `/proc` or `/dev/fd`: such a
/// link leads somewhere else in each process.
fn per_process(l: &Path) -> bool {
    fs::read_link(l).is_ok_and(|t| t.starts_with("/proc") || t.starts_with("/dev/fd"))
}

/// The links among `links` ([`links_on_the_way`]) whose target depends on
/// the process that follows them.
pub fn per_process_links(links: &[PathBuf]) -> Vec<PathBuf> {
    links.iter().filter(|l| per_process(l)).cloned().collect()
}

/// Symbolic links followed at most on one way (the kernel's own bound).
const LINKS_ON_THE_WAY: usize = 40;

/// Every symbolic link met while following `path` as the kernel would,
/// component by component (`lstat`, `readlink`; nothing resolved in one
/// step), each named by its real directory and its name. The helper
/// judges a path by where it leads now; git follows the same links later,
/// so each of them is recorded and the sweep moves aside any that changed
/// (re-pointed, or made where nothing was). A link whose text starts with
/// `/proc/` or `/dev/fd` leads somewhere else in every process: it is
/// recorded and not followed.
pub fn links_on_the_way(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if !path.is_absolute() {
        return out;
    }
    let mut todo = crate::plan::names_to_walk(path);
    let mut cur = PathBuf::from("/");
    while let Some(name) = todo.pop() {
        if name == ".." {
            cur.pop();
            continue;
        }
        let next = cur.join(&name);
        match crate::plan::is_link(&next) {
            Some(true) => {
                if out.len() == LINKS_ON_THE_WAY {
                    break;
                }
                out.push(next.clone());
                let Ok(text) = fs::read_link(&next) else {
                    break;
                };
                if per_process(&next) {
                    break;
                }
                if text.is_absolute() {
                    cur = PathBuf::from("/");
                }
                todo.extend(crate::plan::names_to_walk(&text));
            }
            Some(false) => cur = next,
            None => break,
        }
    }
    out
}

fn is_include(var: &str) -> bool {
    var == "include.path"
        || (var.starts_with("includeif.") && var.ends_with(".path") && var.len() > 15)
}

/// The `path` values of `[include]` and `[includeIf "…"]` sections of a git
/// configuration file, read as git reads them ([`config::parse`]). Every
/// `includeIf` counts, whatever its condition: which ones hold depends on
/// where and how git is run later.
#[cfg(test)]
pub fn include_paths(text: &str) -> Vec<String> {
    config::parse(text.as_bytes())
        .into_iter()
        .filter(|(var, _)| is_include(var))
        .filter_map(|(_, value)| value.filter(|v| !v.is_empty()))
        .collect()
}

/// Git's configuration syntax, as `config.c` (`git_parse_source`) reads
/// it: comments from `#` or `;` outside quotes to the end of the line,
/// `"…"` quoting, the escapes `\\`, `\"`, `\n`, `\t`, `\b`, a `\` at
/// the end of a line continuing the value, `[section]`, `[section
/// "subsection"]` and `[section.subsection]` headers, a key and its value
/// on the same line as a header, section and key names case-insensitive,
/// subsection names as written, `\r\n` line ends and a UTF-8 byte order
/// mark. Written after git's parser rather than taken from a crate: only
/// the variables are needed, the reading must be git's to the byte (a
/// value git reads differently is a file left unprotected), and the test
/// below compares it with `git config` itself.
/// Keys whose names carry a secret part but whose values are modes or
/// kinds, not secrets (`http.sslKeyType = PEM`, `sendemail.smtpAuth =
/// PLAIN`, `transfer.credentialsInUrl = die`).
const BENIGN_SECRET_LOOKING_KEYS: &[&str] = &[
    "sslkeytype",
    "sslcerttype",
    "proxyauthmethod",
    "smtpauth",
    "emptyauth",
    "credentialsinurl",
    "sslcertpasswordprotected",
    "proxysslcertpasswordprotected",
];

/// Headers that carry a credential whatever their name says.
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// `text` with the user information of every URL in it taken out where it
/// may carry a credential: all of it for a URL of any scheme but ssh's
/// (`https://TOKEN@host`, `https://user:TOKEN@host` become
/// `https://host`), the password for ssh (`ssh://git:pw@host` becomes
/// `ssh://git@host`; a user alone is no secret there).
fn strip_url_credentials(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    while let Some(i) = text[at..].windows(3).position(|w| w == b"://") {
        let sep = at + i;
        let scheme_start = text[..sep]
            .iter()
            .rposition(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-')))
            .map_or(0, |p| p + 1);
        let scheme = text[scheme_start..sep].to_ascii_lowercase();
        let auth = sep + 3;
        let end = text[auth..]
            .iter()
            .position(|&c| {
                matches!(
                    c,
                    b'/' | b'?' | b'#' | b'"' | b'\'' | b']' | b',' | b'\\' | b'<' | b'>'
                ) || c.is_ascii_whitespace()
            })
            .map_or(text.len(), |p| auth + p);
        out.extend_from_slice(&text[at..auth]);
        match text[auth..end].iter().rposition(|&c| c == b'@') {
            Some(p) => {
                let info = &text[auth..auth + p];
                if scheme.windows(3).any(|w| w == b"ssh") {
                    // The user stays; a password goes.
                    let user = info.split(|&c| c == b':').next().unwrap_or_default();
                    out.extend_from_slice(user);
                    out.push(b'@');
                }
                out.extend_from_slice(&text[auth + p + 1..end]);
            }
            None => out.extend_from_slice(&text[auth..end]),
        }
        at = end;
    }
    out.extend_from_slice(&text[at..]);
    out
}

/// Why git configuration entry `var = value` holds a credential, if it
/// does: a URL with user information that may carry one (in the key's
/// subsection, `url."https://TOKEN@host/".insteadOf`, or in the value,
/// `remote.origin.url`), an `http.extraHeader` with an `Authorization`,
/// `Cookie` or other secret-named header, or a key whose name says it
/// holds a secret by the environment scrub's rule (`hub.oauthToken`,
/// `github.token`, `sendemail.smtpPass`), unless it names a file or a
/// program (judged as such elsewhere) or its value is a boolean.
pub fn credential_entry(var: &str, value: Option<&str>) -> Option<&'static str> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    // Cheap tests first: a configuration may hold many thousand entries.
    let url = |t: &str| {
        t.contains("://") && t.contains('@') && strip_url_credentials(t.as_bytes()) != t.as_bytes()
    };
    if url(var) || url(value) {
        return Some("a URL with user information");
    }
    if is_include(var) {
        return None;
    }
    let key = var.rsplit('.').next().unwrap_or(var);
    if key == "extraheader" {
        let name = value.split(':').next().unwrap_or("").trim();
        return (CREDENTIAL_HEADERS
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
            || crate::env::names_a_secret(name))
        .then_some("an HTTP header that carries a credential");
    }
    let boolean = matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "1" | "0"
    );
    if boolean
        || BENIGN_SECRET_LOOKING_KEYS.contains(&key)
        || DATA_KEYS.iter().any(|k| key_matches(k, var))
        || PROGRAM_KEYS.iter().any(|k| key_matches(k, var))
        || is_include(var)
    {
        return None;
    }
    crate::env::names_a_secret(key).then_some("a key whose name says it holds a secret")
}

/// The entries of configuration text `text` that hold a credential
/// ([`credential_entry`]), as `key (why)`. Text after a syntax error
/// (which git does not read but the command can) that holds a URL with
/// user information or a secret-named key counts too.
pub fn config_credentials(text: &[u8]) -> Vec<String> {
    let (entries, whole) = config::parse_spans(text);
    let mut out: Vec<String> = entries
        .iter()
        .filter_map(|(var, value, _)| {
            // Named without its user information: the report is no place
            // for the credential either.
            credential_entry(var, value.as_deref()).map(|why| {
                let var =
                    String::from_utf8_lossy(&strip_url_credentials(var.as_bytes())).into_owned();
                format!("{var} ({why})")
            })
        })
        .collect();
    if !whole {
        let rest = entries.last().map_or(0, |e| e.2.end);
        if unread_credentials(&text[rest.min(text.len())..]) {
            out.push("text after a syntax error (a credential-like value)".into());
        }
    }
    out
}

/// Whether text git cannot parse looks like it holds a credential.
fn unread_credentials(rest: &[u8]) -> bool {
    strip_url_credentials(rest) != rest
        || String::from_utf8_lossy(rest).lines().any(|l| {
            l.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim().to_ascii_lowercase();
                k == "extraheader" || crate::env::names_a_secret(&k)
            })
        })
}

/// A copy of configuration text `text` without its credentials: each
/// entry holding one ([`credential_entry`]) replaced by a comment saying
/// so, and the user information of every URL taken out
/// ([`strip_url_credentials`]); everything else as it was, so git reads
/// the same configuration less the credentials. `Err` (why) when the copy
/// would still hold one (text after a syntax error, an entry the removal
/// did not take whole): the caller cannot present it.
pub fn redact_config(text: &[u8]) -> Result<Vec<u8>, String> {
    let (entries, whole) = config::parse_spans(text);
    if !whole {
        let rest = entries.last().map_or(0, |e| e.2.end);
        if unread_credentials(&text[rest.min(text.len())..]) {
            return Err("it holds a credential after a syntax error".into());
        }
    }
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for (var, value, span) in &entries {
        // An entry whose only credential is the user information of a
        // URL stays, without it (`remote.origin.url`, `insteadOf`).
        let strip =
            |t: &str| String::from_utf8_lossy(&strip_url_credentials(t.as_bytes())).into_owned();
        let value = value.as_deref().map(strip);
        if credential_entry(&strip(var), value.as_deref()).is_none() {
            continue;
        }
        out.extend_from_slice(&text[at..span.start]);
        out.extend_from_slice(b"; (a value holding a credential, not shown in the sandbox)\n");
        at = span.end;
    }
    out.extend_from_slice(&text[at..]);
    let out = strip_url_credentials(&out);
    let left = config_credentials(&out);
    if !left.is_empty() {
        return Err(format!("the copy would still hold {}", left.join(", ")));
    }
    // No value that is a credential itself (not by the URL its key
    // names) may be found again in what is left.
    for (var, value, _) in &entries {
        let key = format!("x.{}", var.rsplit('.').next().unwrap_or(var));
        if let Some(v) = value.as_deref().filter(|v| v.len() >= 8) {
            if credential_entry(&key, Some(v)).is_some()
                && out.windows(v.len()).any(|w| w == v.as_bytes())
            {
                return Err(format!("the value of {var} is written twice"));
            }
        }
    }
    Ok(out)
}

/// Git's configuration syntax, shared with the filesystem guard.
pub(crate) use sandbox_core::gitconfig as config;

/// Directories of operations in progress that git executes from later:
/// an interactive rebase's todo list (`exec` lines) in `rebase-merge/`,
/// `rebase-apply/`, and the sequencer's `todo` run on `--continue`.
pub const STATE_DIRS: &[&str] = &["rebase-merge", "rebase-apply", "sequencer"];

/// State files a git dir keeps between commands that git acts on at the
/// user's next command: `MERGE_AUTOSTASH` (a stash commit git applies at
/// the end of the next `git commit` or completed merge), `MERGE_HEAD`,
/// `CHERRY_PICK_HEAD`, `REVERT_HEAD` (the next commit records them as
/// parents or concludes the pick), `AUTO_MERGE`, `SQUASH_MSG`, `BISECT_*`.
/// Besides this list, every top-level entry named as git names its
/// pseudo-refs and state (capitals and `_`, see [`pending_name`]) is
/// judged, so that a name git adds later is covered too. git writes them
/// only for an operation left unfinished; one made or changed during the
/// run is moved aside like an indirection entry.
pub const GIT_DIR_PENDING_STATE: &[&str] = &[
    "MERGE_AUTOSTASH",
    "MERGE_HEAD",
    "MERGE_MSG",
    "MERGE_MODE",
    "MERGE_RR",
    "AUTO_MERGE",
    "CHERRY_PICK_HEAD",
    "REVERT_HEAD",
    "SQUASH_MSG",
    "BISECT_LOG",
    "BISECT_START",
    "BISECT_TERMS",
    "BISECT_NAMES",
    "BISECT_EXPECTED_REV",
    "BISECT_ANCESTORS_OK",
    "BISECT_RUN",
    "BISECT_HEAD",
    "BISECT_FIRST_PARENT",
];

/// rerere's store of recorded resolutions: its mere existence turns
/// rerere on (`rerere.enabled` unset), and a resolution in it is written
/// into the working tree when the same conflict recurs (`git merge`,
/// `pull`, `rebase`). Judged per conflict (`rr-cache/<id>/`), so that the
/// user's own resolutions stay; a store made during the run is moved aside
/// whole.
pub const RR_CACHE: &str = "rr-cache";

/// Conflict entries of `rr-cache` recorded one by one; past it the store
/// is judged whole.
const RR_CACHE_ENTRIES: usize = 10_000;

/// Whether `name`, at the top of a git dir, is named as git names the
/// pseudo-refs and state it acts on later (capitals and `_`), other than
/// those compared as refs (`HEAD`, `ORIG_HEAD`, `FETCH_HEAD`: see
/// `refs.rs`) and the editor buffers git writes and reads within one
/// command (`COMMIT_EDITMSG`, `TAG_EDITMSG`, `EDIT_DESCRIPTION`).
fn pending_name(name: &std::ffi::OsStr) -> bool {
    let Some(n) = name.to_str() else {
        return false;
    };
    !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        && !matches!(n, "HEAD" | "ORIG_HEAD" | "FETCH_HEAD" | "EDIT_DESCRIPTION")
        && !n.ends_with("EDITMSG")
}

/// The pending state of git dir `g` to record before the run or judge after
/// it ([`GIT_DIR_PENDING_STATE`], names of that form present, `rr-cache`
/// or its conflict entries). `recorded_below_rr`: the conflict entries were
/// recorded one by one (so they are judged one by one).
fn pending_state(g: &Path, recorded_below_rr: Option<bool>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = GIT_DIR_PENDING_STATE.iter().map(|n| g.join(n)).collect();
    if let Ok(list) = nofollow::read_dir(g) {
        for (name, _) in list.into_iter().take(NESTED_PER_PASS) {
            if pending_name(&name) && !GIT_DIR_PENDING_STATE.iter().any(|n| name == **n) {
                out.push(g.join(name));
            }
        }
    }
    let rr = g.join(RR_CACHE);
    let subdirs = || -> Option<Vec<PathBuf>> {
        let list = nofollow::read_dir(&rr).ok()?;
        (!list.is_empty() && list.len() <= RR_CACHE_ENTRIES)
            .then(|| list.into_iter().map(|(n, _)| rr.join(n)).collect())
    };
    match recorded_below_rr {
        // Before the run: the entries if there are some (within the
        // bound), else the store itself (missing: judged as made).
        None => match subdirs() {
            Some(e) => out.extend(e),
            None => out.push(rr),
        },
        Some(true) => match nofollow::read_dir(&rr) {
            Ok(list) if list.len() <= 2 * RR_CACHE_ENTRIES => {
                out.extend(list.into_iter().map(|(n, _)| rr.join(n)))
            }
            _ => out.push(rr),
        },
        Some(false) => out.push(rr),
    }
    out
}

/// Record the indirection entries of `git_dirs` (also its links) and the
/// `.git` pointers; and, existing or not, every hooks directory, hook by
/// name, link on the way and state directory ([`STATE_DIRS`]) the sweep is
/// to judge whatever the run does to the configuration.
pub fn snapshot(git_dirs: &GitDirs, pointers: &[PathBuf], homes: &[PathBuf]) -> Snapshot {
    let mut s = Snapshot {
        taken: crate::clock::fs_now(),
        ..Snapshot::default()
    };
    let mut budget = Budget::default();
    let global = global_config(homes, &mut budget);
    let mut paths: Vec<PathBuf> = pointers
        .iter()
        .chain(&git_dirs.links)
        .chain(&git_dirs.way)
        .chain(&global.included)
        .chain(&global.programs().0)
        .chain(&global.links())
        .cloned()
        .collect();
    let mut watched: Vec<PathBuf> = git_dirs.way.clone();
    for g in &git_dirs.dirs {
        if let Ok(m) = nofollow::lstat(g) {
            s.git_dir_ids.insert(g.clone(), (m.dev(), m.ino()));
        }
        let e = entries(g, homes, &mut budget);
        paths.extend(e.paths);
        paths.extend(e.links.iter().cloned());
        watched.extend(e.links);
        let h = hooks_dirs(
            g,
            homes,
            &|_| true,
            &git_dirs.tops_of(g),
            &global,
            &mut budget,
        );
        for p in h.paths.iter().chain(&h.hooks_by_name).chain(&h.links) {
            paths.push(p.clone());
            watched.push(p.clone());
        }
        watched.extend(STATE_DIRS.iter().map(|d| g.join(d)));
        paths.extend(STATE_DIRS.iter().map(|d| g.join(d)));
        paths.extend(pending_state(g, None));
        // Caches git trusts instead of the objects: recorded, not bound
        // (git writes them in ordinary commands), moved aside by the sweep
        // when the run made or changed them.
        for c in GIT_DIR_TRUSTED_CACHES {
            paths.push(g.join(c));
            watched.push(g.join(c));
        }
        // The object stores (and those they borrow from): see
        // [`Snapshot::stores`].
        let objects = g.join("objects");
        let mut stores = vec![objects.clone()];
        if let Some(list) = nofollow::read_bytes(&objects.join("info/alternates"), 1 << 16) {
            for line in String::from_utf8_lossy(&list).lines() {
                if line.is_empty() || line.starts_with('#') || line.starts_with('"') {
                    continue;
                }
                if let Ok(real) = fs::canonicalize(objects.join(line)) {
                    stores.push(real);
                }
            }
        }
        for o in stores {
            for d in [o.join("pack"), o] {
                if let Ok(m) = nofollow::lstat(&d) {
                    s.stores.insert(d, (m.dev(), m.ino()));
                }
            }
        }
        let index = g.join("index");
        s.index_marks
            .insert(index.clone(), crate::index::marks(&index));
        let packed = g.join("packed-refs");
        let replace = crate::index::packed_replace_refs_of(&packed);
        if !replace.is_empty() {
            s.packed_replace.insert(packed, replace);
        }
    }
    for p in paths {
        if let Some(entry) = fingerprint(&p) {
            let content = listing(&p);
            let link = (entry.mode == libc::S_IFLNK)
                .then(|| fs::read_link(&p).ok())
                .flatten();
            s.entries.insert(
                p,
                Recorded {
                    entry,
                    content,
                    link,
                },
            );
        }
    }
    s.watched.extend(watched);
    for (g, t) in &git_dirs.tops {
        s.tops
            .entry(g.clone())
            .or_default()
            .extend(t.iter().cloned());
    }
    s
}

/// After the run, with no process of it left: check the git dirs known
/// from before the run (the user's repositories) first, then search the
/// writable trees again, and move aside every `.git` pointer and every
/// indirection entry
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
///
/// Memory does not grow with what the run made: pointers are judged as
/// the search finds them, and only [`QUARANTINE_LISTED`] moved entries are
/// listed (the rest counted). The user's repositories come first, so a
/// search the run made huge (or a helper that dies in it) cannot leave
/// what the run planted in them.
pub fn sweep(
    roots: &[PathBuf],
    known: &[PathBuf],
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    locked: &dyn Fn(&Path, bool) -> Option<String>,
    homes: &[PathBuf],
    before: &Snapshot,
) -> Sweep {
    let mut out = Sweep {
        complete: true,
        ..Sweep::default()
    };
    let deadline = std::time::Instant::now() + sweep_time();
    let mut budget = Budget::default();
    let mut global = global_config(homes, &mut budget);
    // The links on the way to what it includes or names first: one that
    // changed is moved aside itself, and what git reaches now is read again.
    let mut moved = false;
    for p in global.links() {
        if nofollow::lstat(&p).is_ok() {
            moved |= judge(&p, writable, leave, before, &mut out);
        }
    }
    if moved {
        budget = Budget::default();
        global = global_config(homes, &mut budget);
    }
    let mut over = global.over.clone();
    // The configuration of every home, and the programs it names: checked
    // first, with the user's repositories.
    for p in global.included.iter().chain(&global.programs().0) {
        if nofollow::lstat(p).is_ok() {
            judge(p, writable, leave, before, &mut out);
        }
    }
    // 1. The `.git` pointers recorded before the run and the git dirs
    // found then, whatever the run made of the trees.
    let mut kept = Vec::new();
    for p in before
        .keys()
        .filter(|p| p.file_name() == Some(".git".as_ref()))
    {
        if nofollow::lstat(p).is_ok() && !judge(p, &|_| true, leave, before, &mut out) {
            kept.push(p.clone());
        }
    }
    // Everything the plan knew git reads, runs or follows (hooks
    // directories, hooks by name, links on the way, also to the git dirs
    // pointers name), whatever the run did to the configuration files that
    // named it: one added or changed must not make the sweep forget it.
    sweep_made_ways(before, writable, leave, &mut out);
    for p in before.keys().chain(&before.watched) {
        if is_trusted_cache(p) {
            continue;
        }
        if nofollow::lstat(p).is_ok() {
            judge(p, writable, leave, before, &mut out);
        }
    }
    // Caches git trusts instead of the objects, made or changed during the
    // run: moved aside (git builds them again), said in a note, not listed
    // with what the run planted (an ordinary `git gc` writes them).
    for p in before.watched.iter().filter(|p| is_trusted_cache(p)) {
        if leave(p) || !writable(p) || nofollow::lstat(p).is_err() {
            continue;
        }
        if matches!(change(p, before), Change::None) {
            continue;
        }
        match move_aside(p) {
            Ok(to) => {
                out.moved.insert(to.clone());
                if out.caches_dropped.len() < QUARANTINE_LISTED {
                    out.caches_dropped.push(to);
                }
            }
            Err(e) => {
                if out.index_unchecked.len() < QUARANTINE_LISTED {
                    out.index_unchecked
                        .push(format!("{}: cannot be moved aside: {e}", p.display()));
                }
            }
        }
    }
    for g in known {
        make_git_dir_listable(g, writable, &mut out);
    }
    let gd = git_dirs(known, &kept, writable);
    sweep_git_dirs(
        &gd,
        homes,
        &global,
        writable,
        leave,
        before,
        &mut budget,
        &mut over,
        &mut out,
    );
    // The object stores of the user's repositories: what the run wrote or
    // replaced there must hash to its id (see [`crate::objects`]).
    let mut verify = crate::objects::VERIFY_BYTES;
    let until = deadline.min(std::time::Instant::now() + crate::objects::VERIFY_TIME);
    for g in &gd.dirs {
        check_objects(g, writable, leave, before, &mut verify, until, &mut out);
    }
    let seen: BTreeSet<PathBuf> = gd.dirs.iter().cloned().collect();
    drop(gd);
    // 2. The trees as the run left them. The same bounds as the search
    // before the run; pointers judged as found.
    // Only the directories that changed since the search before the run
    // recorded them are listed again (see [`Walk`]); none when a clock went
    // back meanwhile.
    let walked = before.walk.as_deref().filter(|w| w.usable_now());
    let mut kept = Vec::new();
    // Made or changed during the run (the snapshot's time), and not a
    // name this sweep gives.
    let made = |p: &Path| !set_aside(p) && nofollow::lstat(p).is_ok_and(|m| before.changed(&m));
    // Or in a directory that was not at its path before the run (made, or
    // renamed there): a rename of a directory does not move the change
    // times of what is in it.
    let in_new_dir = |p: &Path| {
        let (Some(w), Some(dir)) = (before.walk.as_deref(), p.parent()) else {
            return false;
        };
        !set_aside(p)
            && nofollow::lstat(dir)
                .is_ok_and(|m| w.dir_was_there(dir, m.dev(), m.ino()) == Some(false))
    };
    let ours = |p: &Path| writable(p) && !leave(p) && (made(p) || in_new_dir(p));
    // A link is the run's when it was not there before the run at that
    // name with that inode (the record of the search before the run), and
    // only where that is not recorded, when it changed: a hard link to the
    // user's link moves its change time, not its name or inode.
    let link_made = |p: &Path| {
        if set_aside(p) {
            return false;
        }
        let m = match nofollow::lstat(p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
            // It cannot be told whose it is: judged as the run's.
            Err(_) => return true,
        };
        match before
            .walk
            .as_deref()
            .and_then(|w| w.link_was_there(p, m.dev(), m.ino()))
        {
            Some(there) => !there,
            None => before.changed(&m),
        }
    };
    let ours_link = |p: &Path| writable(p) && !leave(p) && link_made(p);
    let known_git_dirs: Vec<&PathBuf> = before.git_dir_ids.keys().collect();
    // Past the sweep's deadline a link is not judged: it is kept, and
    // moved aside below as one whose end could not be told.
    let judge_made = |p: &Path, git_dirs: &[&PathBuf]| {
        if std::time::Instant::now() >= deadline {
            return Some(LinkJudged::Unresolved(format!(
                "not judged: the sweep after the run reached its time bound ({} s)",
                SWEEP_TIME.as_secs()
            )));
        }
        judge_link(p, roots, git_dirs, writable, locked)
    };
    let keep_link = |p: &Path| ours_link(p) && judge_made(p, &known_git_dirs).is_some();
    let known_git_dir = |d: &Path| before.git_dir_as_recorded(d);
    let keep = Keep {
        link: &keep_link,
        dot: before.no_hidden.then_some(&ours as &dyn Fn(&Path) -> bool),
        known_git_dir: &known_git_dir,
    };
    let mut found = find_each_repairing(
        roots,
        GIT_SCAN_LIMIT,
        GIT_SCAN_MAX_DEPTH,
        &mut |p: PathBuf| {
            if !judge(&p, &|_| true, leave, before, &mut out) {
                kept.push(p);
            }
            kept.len() <= GIT_DIRS_PER_PASS
        },
        walked,
        Some(&keep),
    );
    if !found.complete {
        out.complete = false;
    }
    if out.unlistable.is_none() {
        out.unlistable = found.unlistable;
    }
    out.made_listable.extend(found.made_listable);
    // Past its bound the search above missed links and dot entries too:
    // they are searched for apart, bounded by time, not by entries.
    out.links_since = before.since().map(|t| t.0);
    out.links_complete = found.complete;
    if !found.complete {
        let until = deadline.min(std::time::Instant::now() + LINK_SEARCH_TIME);
        let more = find_links_and_dots(roots, &keep, until);
        found.links.extend(more.links);
        found.dots.extend(more.dots);
        out.made_listable.extend(more.made_listable);
        out.links_complete = more.complete;
        out.links_stopped = more.stopped;
        out.links_searched = Some(more.entries);
    }
    found.links.sort();
    found.links.dedup();
    found.dots.sort();
    found.dots.dedup();
    let mut outer_dots: Vec<PathBuf> = Vec::new();
    for d in std::mem::take(&mut found.dots) {
        if !outer_dots.last().is_some_and(|o| d.starts_with(o)) {
            outer_dots.push(d);
        }
    }
    found.dots = outer_dots;
    out.made_listable.truncate(QUARANTINE_LISTED);
    // FIFOs, sockets and devices in git dirs: git makes none, and one in
    // the place of a file git (or the next run's helper) opens makes it
    // wait for a writer forever (`.git/index`, `HEAD`, a ref, an object).
    // Symbolic links there: git makes none but a symbolic `HEAD` (not
    // collected), and it writes *through* a link at the name of a file it
    // writes (`COMMIT_EDITMSG`, `MERGE_MSG`, `FETCH_HEAD` are truncated,
    // reflogs appended to, the index, `packed-refs` and `config` replaced
    // at the link's target): one the run made is a write, with the user's
    // rights, to wherever it leads. Moved aside whatever it leads to; one
    // from before the run (a `git-new-workdir` checkout links `refs`,
    // `logs/refs`, `objects`, `config`) is the user's and stays, unless
    // it leads to a special file.
    let mut made_links = Vec::new();
    for p in &found.special {
        if leave(p) || !writable(p) {
            continue;
        }
        let Ok(m) = nofollow::lstat(p) else {
            continue;
        };
        let made = before.changed(&m);
        let what = if m.file_type().is_file() {
            // A hard link: git writes some files in place (a commit
            // message, a reflog line), into every name of the file.
            if made {
                made_links.push(p.clone());
            }
            continue;
        } else if !m.file_type().is_symlink() {
            special_kind_name(m.mode())
        } else if leads_to_special(p) {
            "a symbolic link to a FIFO, a socket, a device or a per-process path (/proc, /dev/fd)"
        } else if made {
            // After the git dirs the run made are judged (a link there
            // may be moved aside as an entry those judge).
            made_links.push(p.clone());
            continue;
        } else {
            continue;
        };
        let when = match before.since() {
            Some(_) if !made => {
                "it was there before the run (left by an earlier run, or made outside)"
            }
            Some(_) => "made or changed during the run",
            None => "found after the run",
        };
        out.record(quarantine_because(
            p,
            &format!(
                "{what} in a git dir, which git never makes: git opening it (or the next run's helper reading the index) would wait for a writer or read another process's input; {when}"
            ),
            false,
        ));
    }
    // The configuration of other VCSs' metadata directories (`.hg/hgrc`),
    // also of repositories the run made: one not as recorded is moved
    // aside (those known before the run are judged with what was watched).
    for d in std::mem::take(&mut found.vcs) {
        for e in crate::vcs::config_entries(&d) {
            if !out.moved.contains(&e) && nofollow::lstat(&e).is_ok() {
                judge(&e, writable, leave, before, &mut out);
            }
        }
    }
    let tree_links = std::mem::take(&mut found.links);
    let dots = std::mem::take(&mut found.dots);
    let dirs: Vec<PathBuf> = found
        .dirs
        .into_iter()
        .filter(|d| !seen.contains(d))
        .collect();
    let gd = git_dirs(&dirs, &kept, writable);
    sweep_git_dirs(
        &gd,
        homes,
        &global,
        writable,
        leave,
        before,
        &mut budget,
        &mut over,
        &mut out,
    );
    for p in made_links {
        let Ok(m) = nofollow::lstat(&p) else {
            continue;
        };
        let why = if out.moved.contains(&p) {
            continue;
        } else if m.file_type().is_symlink() {
            format!(
                "a symbolic link in a git dir (to {}), which git never makes there: the user's next git command would write through it (a commit message, a reflog line, a replaced index or packed-refs) to where it leads, with the user's rights; made or changed during the run",
                fs::read_link(&p).unwrap_or_default().display()
            )
        } else if m.is_file() && m.nlink() > 1 {
            "a file in a git dir with another name (a hard link), which git never makes outside the object store: the user's next git command would write into it in place (a commit message, a reflog line), and so into the other name; made or changed during the run".to_string()
        } else {
            continue;
        };
        out.record(quarantine_because(&p, &why, false));
    }
    // Symbolic links the run made or replaced in the working trees
    // (ignored directories included) that lead outside the writable
    // trees, to a file the caller can change: the user's next build,
    // editor or `cp` writes through one at its output path
    // (`build/run.log -> ~/.bashrc`) with the user's rights.
    // Also those that lead to what was read-only during the run because
    // the user's tools read or run it (a hooks directory in the working
    // tree, an activated virtualenv's `bin`, `node_modules/.bin` on the
    // caller's PATH): the user's next build writing its log at the link's
    // name would change it, where the run could not.
    let all_git_dirs: Vec<&PathBuf> = before.git_dir_ids.keys().chain(&gd.dirs).collect();
    for p in tree_links {
        if out.moved.contains(&p) || !ours_link(&p) {
            continue;
        }
        match nofollow::lstat(&p) {
            Ok(m) if m.is_symlink() => {}
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {}
            _ => continue,
        }
        let Some(judged) = judge_made(&p, &all_git_dirs) else {
            continue;
        };
        let to = nofollow::read_link(&p)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|e| format!("an unreadable target: {e}"));
        let why = match judged {
            LinkJudged::Unresolved(e) => format!(
                "a symbolic link (to {to}) whose end could not be resolved ({e}): judged as one leading outside the writable trees, where the user's next build, editor or copy writing at its name could write with the user's rights; made or changed during the run"
            ),
            LinkJudged::Outside(end) => format!(
                "a symbolic link (to {to}) leading outside the writable trees, to {}, which the caller can change: the user's next build, editor or copy writing at its name would write there with the user's rights; made or changed during the run",
                end.display()
            ),
            LinkJudged::GitDir(end) => format!(
                "a symbolic link (to {to}) leading into a git dir, to {}: git never makes one in a working tree, and the user's next build, editor or copy writing at its name would write git's own files there (a hook, the configuration, a ref) with the user's rights, where the run could not; made or changed during the run",
                end.display()
            ),
            LinkJudged::Locked(end, lock) => format!(
                "a symbolic link (to {to}) leading to {}, which was read-only during the run ({lock}) because the user's tools read or run it: the user's next build, editor or copy writing at its name would change it with the user's rights, where the run could not; made or changed during the run",
                end.display()
            ),
            LinkJudged::Exempt(end) => format!(
                "a symbolic link (to {to}) leading to the directory {}, below a git dir or a directory where the Python extension modules a run makes are kept (site-packages, build, target): through it Python would import what lies there as a package beside the link (tools/json -> ../build/json), which the sweep of extension modules and bytecode does not judge by that path and no review of the sources shows; made or changed during the run",
                end.display()
            ),
        };
        out.record(quarantine_because(&p, &why, false));
    }
    // `filesystem.allow_hidden_files: false`: the dot entries that
    // existed were hidden for the whole run, so one made or changed
    // meanwhile is the run's (`.envrc`, `.vscode/tasks.json`, `.npmrc`:
    // start-up files the user's tools load). Moved aside, parents first.
    for p in dots {
        if !out.moved.contains(&p) && ours(&p) {
            out.record(quarantine_because(
                &p,
                "a dot entry, which the policy hides (filesystem.allow_hidden_files: false), made or changed during the run: the user's tools could load it as configuration",
                false,
            ));
        }
    }
    over.sort();
    over.dedup();
    quarantine_over_budget(&over, writable, leave, before, &mut out);
    out
}

/// Whether `end`, where a write at a symbolic link ends (its target
/// followed to the end, or the name a write would create when it leads
/// nowhere), lies in a git dir: below a `.git` component inside the writable
/// trees `roots`, or below one of `git_dirs`. File and directory links
/// alike: a write through one reaches hooks, configuration and refs, which
/// are read-only during the run.
fn leads_into_git_dir<'a>(
    end: &Path,
    roots: &[PathBuf],
    git_dirs: impl IntoIterator<Item = &'a PathBuf>,
) -> bool {
    let below_dot_git = roots.iter().any(|r| {
        end.strip_prefix(r)
            .is_ok_and(|rest| rest.components().any(|c| c.as_os_str() == ".git"))
    });
    below_dot_git || git_dirs.into_iter().any(|g| end.starts_with(g))
}

/// Where a symbolic link leads (`e`) when that is a directory below a git
/// dir (`.git`) or a directory of [`crate::bytecode::KEEP_EXT_DIRS`] in
/// the writable trees `roots`, and the link itself is not below one. What lies
/// there is exempt from, or not looked at by, the judgement of what
/// Python loads, which holds only for what Python reaches by a path
/// through such a directory (and no user's script lives there); a link
/// gives it another path.
fn leads_below_exempt(e: &nofollow::LinkEnd, roots: &[PathBuf]) -> Option<PathBuf> {
    let below = |q: &Path| {
        let Some(root) = roots
            .iter()
            .filter(|r| q.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
        else {
            return false;
        };
        q.strip_prefix(root).is_ok_and(|rest| {
            rest.components().any(|c| {
                let c = c.as_os_str();
                c == ".git" || crate::bytecode::KEEP_EXT_DIRS.iter().any(|k| c == *k)
            })
        })
    };
    let end = &e.end;
    if !e.exists || !fs::metadata(end).is_ok_and(|m| m.is_dir()) || !below(end) {
        return None;
    }
    (!below(&e.at)).then(|| end.clone())
}

/// Where a write at the symbolic link `p` ends, when that lies outside the
/// writable trees (`writable`) and the caller could change it there: the
/// file it leads to when the caller may write it (`faccessat(W_OK)` with
/// the effective ids: as root, any file on a writable file system), or,
/// when the link leads nowhere, the name a write would create, when the
/// caller may create it. A link on the way through `/proc` or `/dev/fd`
/// leads wherever the writing process's descriptors lead: always outside.
/// `/dev/null` is the one exception (a write there is lost). `None`: the
/// link stays (it leads into the writable trees, to a file the caller
/// cannot change, or nowhere a write could reach).
#[cfg(test)]
fn writes_outside(p: &Path, writable: &dyn Fn(&Path) -> bool) -> Option<PathBuf> {
    match judge_link(p, &[], &[], writable, &|_, _| None) {
        Some(LinkJudged::Unresolved(_)) => Some(p.to_path_buf()),
        Some(LinkJudged::Outside(end)) => Some(end),
        _ => None,
    }
}

/// Where a write at `e` ends, when outside the writable trees and the
/// caller could change it there ([`writes_outside`]).
fn writes_outside_end(e: &nofollow::LinkEnd, writable: &dyn Fn(&Path) -> bool) -> Option<PathBuf> {
    let end = &e.end;
    if writable(end) || end == Path::new("/dev/null") {
        return None;
    }
    let probe = if e.exists {
        end.clone()
    } else {
        end.parent()?.to_path_buf()
    };
    let c = std::ffi::CString::new(probe.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: a valid C string; faccessat only reads it.
    let ok = unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), libc::W_OK, libc::AT_EACCESS) };
    (ok == 0).then(|| end.clone())
}

/// Why the sweep moves aside a symbolic link the run made or changed.
enum LinkJudged {
    /// Where it leads could not be told (the error): judged as leading
    /// outside.
    Unresolved(String),
    /// Outside the writable trees, to what the caller can change.
    Outside(PathBuf),
    /// Into a git dir.
    GitDir(PathBuf),
    /// To what was read-only during the run because the user's tools
    /// read or run it (the end, and why it was read-only).
    Locked(PathBuf, String),
    /// To a directory exempt from the judgement of what Python loads.
    Exempt(PathBuf),
}

/// How the sweep judges the symbolic link `p` ([`LinkJudged`]); `None`:
/// it stays. Resolved from directory descriptors ([`nofollow::link_end`]),
/// whatever the depth; a failure to resolve it moves it aside (it fails
/// closed). `locked` says why a path (and whether it exists) was
/// read-only during the run, when it was.
fn judge_link(
    p: &Path,
    roots: &[PathBuf],
    git_dirs: &[&PathBuf],
    writable: &dyn Fn(&Path) -> bool,
    locked: &dyn Fn(&Path, bool) -> Option<String>,
) -> Option<LinkJudged> {
    if !per_process_links(&nofollow::links_on_the_way(p)).is_empty() {
        return Some(LinkJudged::Outside(fs::read_link(p).unwrap_or_default()));
    }
    let e = match nofollow::link_end(p) {
        Ok(Some(e)) => e,
        Ok(None) => return None,
        Err(err) => return Some(LinkJudged::Unresolved(err.to_string())),
    };
    if let Some(end) = writes_outside_end(&e, writable) {
        Some(LinkJudged::Outside(end))
    } else if leads_into_git_dir(&e.end, roots, git_dirs.iter().copied()) {
        Some(LinkJudged::GitDir(e.end))
    } else if let Some(why) = locked(&e.end, e.exists) {
        Some(LinkJudged::Locked(e.end, why))
    } else {
        leads_below_exempt(&e, roots).map(LinkJudged::Exempt)
    }
}

/// Judge the indirection entries of the git dirs `gd` (and its links).
/// Hooks directories: those the global configuration names, and those of
/// a repository's own configuration when it is as it was before the run
/// (the user's). Configuration the run wrote is moved aside itself, and
/// what it names is not touched: it could name any directory.
#[allow(clippy::too_many_arguments)]
fn sweep_git_dirs(
    gd: &GitDirs,
    homes: &[PathBuf],
    global: &ConfigRead,
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    before: &Snapshot,
    budget: &mut Budget,
    over: &mut Vec<PathBuf>,
    out: &mut Sweep,
) {
    if gd.truncated {
        out.complete = false;
    }
    // Configuration is read per file: one the run added or changed is
    // moved aside itself, and what it names is not touched (it could name
    // any directory); those as recorded still name the user's hooks.
    let own = |p: &Path| before.as_recorded(p);
    for p in gd.links.iter().chain(&gd.way) {
        if writable(p) {
            judge(p, writable, leave, before, out);
        }
    }
    for g in &gd.dirs {
        make_git_dir_listable(g, writable, out);
        let mut tops = before.tops_of(g);
        tops.extend(gd.tops_of(g));
        let mut e = entries(g, homes, budget);
        let mut h = hooks_dirs(g, homes, &own, &tops, global, budget);
        // A link on the way that changed is moved aside itself; what git
        // reaches without it is read again (so that a file the link was
        // re-pointed at, which was there before the run, stays).
        let mut moved = false;
        for p in e.links.iter().chain(&h.links) {
            if writable(p) {
                moved |= judge(p, writable, leave, before, out);
            }
        }
        if moved {
            e = entries(g, homes, budget);
            h = hooks_dirs(g, homes, &own, &tops, global, budget);
        }
        if let Some(p) = e.unreadable.first().filter(|_| writable(g)) {
            unreadable_git_dir(g, &format!("{} cannot be looked at", p.display()), out);
        }
        bounded_extend(over, e.over, out);
        bounded_extend(over, h.over, out);
        let mut state: Vec<PathBuf> = STATE_DIRS.iter().map(|d| g.join(d)).collect();
        let rr = g.join(RR_CACHE);
        let below_rr = !before.contains_key(&rr)
            && before
                .range(rr.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&rr));
        // Links and files with a second name there are judged with the
        // other links of git dirs below, with the reason that says so.
        state.extend(pending_state(g, Some(below_rr)).into_iter().filter(|p| {
            !nofollow::lstat(p).is_ok_and(|m| m.is_symlink() || (m.is_file() && m.nlink() > 1))
        }));
        for p in e
            .paths
            .iter()
            .chain(&h.paths)
            .chain(&h.hooks_by_name)
            .chain(&state)
        {
            if writable(p) {
                judge(p, writable, leave, before, out);
            }
        }
        repair_index(&g.join("index"), writable, leave, before, out);
    }
    // Entries git does not make, in the git dirs of working trees: `.git`
    // directories, what is below them (`modules/…`, `worktrees/…`), and
    // git dirs a `.git` file or link names. A directory that only has the
    // shape of a git dir (`HEAD`, `objects`, `refs`) may be a working
    // tree of its own (the run can give any directory that shape), whose
    // files are not git's to judge; a bare repository is one such.
    for g in &gd.dirs {
        let of_a_tree = g.components().any(|c| c.as_os_str() == ".git")
            || !before.tops_of(g).is_empty()
            || !gd.tops_of(g).is_empty();
        if of_a_tree && writable(g) && !leave(g) {
            sweep_foreign_entries(g, writable, leave, before, out);
        }
    }
    bounded_extend(over, gd.over.iter().cloned(), out);
    bounded_extend(over, gd.unreadable.iter().cloned(), out);
}

/// Names git makes at the top of a git dir (gitrepository-layout(5), and
/// the files its commands keep there: `gc.log`, `COMMIT_EDITMSG`, `git add
/// -e`'s patch, `git fsck`'s `lost-found`), and the state of the tools
/// that work as part of git and keep it there (git-lfs, git-annex,
/// git-svn, gitk's cache, git-filter-repo's record). Besides these: the
/// names git gives its pseudo-refs and state (capitals and `_`, judged as
/// pending state), temporary files of these names ([`git_dir_own_name`]).
pub const GIT_DIR_OWN_NAMES: &[&str] = &[
    "HEAD",
    "config",
    "config.worktree",
    "description",
    "index",
    "packed-refs",
    "shallow",
    "commondir",
    "gitdir",
    "locked",
    "objects",
    "refs",
    "logs",
    "hooks",
    "info",
    "branches",
    "remotes",
    "modules",
    "worktrees",
    "common",
    "reftable",
    "rebase-merge",
    "rebase-apply",
    "sequencer",
    "rr-cache",
    "gc.pid",
    "gc.log",
    "ADD_EDIT.patch",
    "addp-hunk-edit.diff",
    "git-daemon-export-ok",
    "fsmonitor--daemon.ipc",
    "fsmonitor--daemon",
    "lost-found",
    "lfs",
    "annex",
    "svn",
    "gitk.cache",
    "filter-repo",
];

/// Prefixes of temporary names git gives files at the top of a git dir:
/// the split index's shared part, `git stash`'s and `git commit PATHS`'s
/// temporary indexes, `git fetch --depth`'s temporary shallow file,
/// `git send-email`'s message buffer.
const GIT_DIR_OWN_PREFIXES: &[&str] = &[
    "sharedindex.",
    "index.stash.",
    "next-index-",
    "shallow_",
    ".gitsendemail.msg.",
];

/// Whether git (or a tool of [`GIT_DIR_OWN_NAMES`]) makes an entry named
/// `name` at the top of a git dir: one of those names, a lock file of one
/// (`index.lock`, `config.lock`), or a name of the form git gives its
/// pseudo-refs and state (judged on their own, see [`pending_name`]).
pub fn git_dir_own_name(name: &std::ffi::OsStr) -> bool {
    let Some(n) = name.to_str() else {
        return false;
    };
    let n = n.strip_suffix(".lock").unwrap_or(n);
    GIT_DIR_OWN_NAMES.contains(&n)
        || GIT_DIR_OWN_PREFIXES.iter().any(|p| n.starts_with(p))
        || (!n.is_empty() && n.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
}

/// Entries below an entry of a git dir that git does not make, looked at
/// for a change during the run; past it the entry counts as changed.
const FOREIGN_ENTRIES_CHECKED: usize = 10_000;

/// Whether `p`, or anything below it (within `budget` entries, links not
/// followed), was made or changed during the run; `true` past the budget.
fn changed_below(p: &Path, before: &Snapshot, budget: &mut usize) -> bool {
    let Ok(m) = nofollow::lstat(p) else {
        return false;
    };
    if before.changed(&m) {
        return true;
    }
    if !m.is_dir() {
        return false;
    }
    let Ok(list) = nofollow::read_dir(p) else {
        // Not listable: what is in it is not known.
        return true;
    };
    for (name, _) in list {
        if *budget == 0 {
            return true;
        }
        *budget -= 1;
        if changed_below(&p.join(name), before, budget) {
            return true;
        }
    }
    false
}

/// Move aside the entries at the top of git dir `g` that git does not make
/// ([`git_dir_own_name`]) and that were made or changed during the run
/// (anything below them too). git never reads them, but front-ends of git
/// do: lazygit reads `.git/lazygit.yml` as the repository's settings
/// (pagers and commands it runs), and a script the run leaves beside it is
/// named from there. No review of the working tree shows a git dir's
/// contents, so a git dir keeps only git's own state; what the user kept
/// there before the run and the run did not touch stays.
fn sweep_foreign_entries(
    g: &Path,
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    before: &Snapshot,
    out: &mut Sweep,
) {
    let Ok(list) = nofollow::read_dir(g) else {
        return;
    };
    for (name, _) in list.into_iter().take(NESTED_PER_PASS) {
        if git_dir_own_name(&name) {
            continue;
        }
        let p = g.join(&name);
        if set_aside(&p) || out.moved.contains(&p) || leave(&p) || !writable(&p) {
            continue;
        }
        let mut budget = FOREIGN_ENTRIES_CHECKED;
        if !changed_below(&p, before, &mut budget) {
            continue;
        }
        out.record(quarantine_because(
            &p,
            "an entry in a git dir whose name git does not make (git keeps objects, refs, logs, index, config, hooks, info, HEAD and the other names of gitrepository-layout(5) there), made or changed during the run, or with something below it made or changed: git never reads it, but a front-end of git may (lazygit reads .git/lazygit.yml, whose pagers and commands it runs), and no review of the working tree shows it",
            false,
        ));
    }
}

/// Undo in the index `index` what makes the user's git show something
/// other than what is there ([`crate::index::repair`]) when the run wrote
/// it: marks the run set, stat data claiming the run's times, caches. The
/// index stays writable (git must write it); this is its sweep.
fn repair_index(
    index: &Path,
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    before: &Snapshot,
    out: &mut Sweep,
) {
    if !writable(index) || leave(index) || out.repaired_seen.contains(index) {
        return;
    }
    out.repaired_seen.insert(index.to_path_buf());
    let packed = index.with_file_name("packed-refs");
    if writable(&packed) && !leave(&packed) {
        let was = before
            .packed_replace
            .get(&packed)
            .map(Vec::as_slice)
            .unwrap_or_default();
        match crate::index::repair_packed_refs(&packed, was, before.since()) {
            Ok(None) => {}
            Ok(Some(dropped)) => {
                if out.index_repaired.len() < QUARANTINE_LISTED {
                    out.index_repaired.push(format!(
                        "{}: replace refs dropped (git would show another object in their place): {}",
                        packed.display(),
                        dropped.join(", ")
                    ));
                }
            }
            Err(why) => {
                if out.index_unchecked.len() < QUARANTINE_LISTED {
                    out.index_unchecked
                        .push(format!("{}: {why}", packed.display()));
                }
            }
        }
    }
    let none = crate::index::Marks::default();
    let marks = before.index_marks.get(index).unwrap_or(&none);
    match crate::index::repair(index, marks, before.since()) {
        Ok(None) => {}
        Ok(Some(undone)) => {
            // Only marks cleared are worth the user's attention; caches
            // dropped and stat data smudged change nothing git shows.
            let marks: Vec<String> = undone
                .into_iter()
                .filter(|u| u.contains(" cleared on "))
                .collect();
            if !marks.is_empty() && out.index_repaired.len() < QUARANTINE_LISTED {
                out.index_repaired
                    .push(format!("{}: {}", index.display(), marks.join(", ")));
            }
        }
        Err(why) => {
            if out.index_unchecked.len() < QUARANTINE_LISTED {
                out.index_unchecked
                    .push(format!("{}: {why}", index.display()));
            }
        }
    }
}

/// Verify the objects the run wrote or replaced in the object store of git
/// dir `g` ([`crate::objects::check_store`]): a loose object or a pack
/// whose content is not what its id names is moved aside (git never writes
/// one; the user's next checkout would write the run's content), caches of
/// the packs the run made or changed are moved aside with a note, and what
/// could not be verified makes the sweep partial.
fn check_objects(
    g: &Path,
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    before: &Snapshot,
    budget: &mut u64,
    until: std::time::Instant,
    out: &mut Sweep,
) {
    let sha256 = nofollow::read_bytes(&g.join("config"), 1 << 20).is_some_and(|c| {
        config::parse(&c).iter().any(|(k, v)| {
            k == "extensions.objectformat"
                && v.as_deref()
                    .is_some_and(|v| v.eq_ignore_ascii_case("sha256"))
        })
    });
    // The store, and the stores its `info/alternates` borrow from (git
    // reads their objects as its own; five levels, as git follows them).
    let mut stores = vec![(g.join("objects"), 0)];
    while let Some((objects, depth)) = stores.pop() {
        if !writable(&objects)
            || leave(&objects)
            || !nofollow::lstat(&objects).is_ok_and(|m| m.is_dir())
            || !out.objects_seen.insert(objects.clone())
        {
            continue;
        }
        check_store(&objects, sha256, before, budget, until, out);
        if depth >= 5 {
            continue;
        }
        let Some(list) = nofollow::read_bytes(&objects.join("info/alternates"), 1 << 16) else {
            continue;
        };
        for line in String::from_utf8_lossy(&list).lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('"') {
                if out.objects_unchecked.len() < QUARANTINE_LISTED {
                    out.objects_unchecked.push(format!(
                        "{}: a quoted alternate is not followed",
                        objects.join("info/alternates").display()
                    ));
                }
                continue;
            }
            // Where git reads it, links followed; judged there.
            if let Ok(real) = fs::canonicalize(objects.join(line)) {
                stores.push((real, depth + 1));
            }
        }
    }
    // git-lfs's store: the lfs filter writes its objects into the working
    // tree at the user's next checkout, checking only their size.
    let lfs = g.join("lfs");
    if writable(&lfs)
        && !leave(&lfs)
        && nofollow::lstat(&lfs).is_ok_and(|m| m.is_dir())
        && out.objects_seen.insert(lfs.clone())
    {
        let c = crate::objects::check_lfs(&lfs, before.since(), budget, until);
        for (p, why) in c.forged {
            out.record(quarantine_because(
                &p,
                &format!(
                    "{why}, written or replaced during the run: the lfs filter would write this content into the working tree at the user's next checkout, restore or reset (in every worktree sharing the store); git-lfs never writes such an object (it can be fetched again)"
                ),
                false,
            ));
        }
        for u in c.unchecked {
            if out.objects_unchecked.len() < QUARANTINE_LISTED {
                out.objects_unchecked.push(u);
            }
        }
    }
}

/// Verify object store `objects` ([`crate::objects::check_store`]) and
/// move aside what it finds.
fn check_store(
    objects: &Path,
    sha256: bool,
    before: &Snapshot,
    budget: &mut u64,
    until: std::time::Instant,
    out: &mut Sweep,
) {
    let recorded = crate::objects::Recorded {
        store: before.store_as_recorded(objects),
        pack: before.store_as_recorded(&objects.join("pack")),
    };
    let c = crate::objects::check_store(objects, before.since(), recorded, sha256, budget, until);
    for (p, why) in c.forged {
        out.record(quarantine_because(
            &p,
            &format!(
                "{why}, written or replaced during the run: git reads objects without hashing them, so the user's next checkout, restore, stash or reset (in every worktree sharing these objects) would write this content; git never writes such an object (what the id names can be fetched again)"
            ),
            false,
        ));
    }
    for p in c.caches {
        if nofollow::lstat(&p).is_err() {
            continue;
        }
        match move_aside(&p) {
            Ok(to) => {
                out.moved.insert(to.clone());
                if out.caches_dropped.len() < QUARANTINE_LISTED {
                    out.caches_dropped.push(to);
                }
            }
            Err(e) => {
                if out.objects_unchecked.len() < QUARANTINE_LISTED {
                    out.objects_unchecked
                        .push(format!("{}: cannot be moved aside: {e}", p.display()));
                }
            }
        }
    }
    for u in c.unchecked {
        if out.objects_unchecked.len() < QUARANTINE_LISTED {
            out.objects_unchecked.push(u);
        }
    }
}

/// Give git dir `g` its owner's read and search permission back when the
/// run took it away (`chmod 600 .git` hides a planted `commondir` from a
/// sweep that cannot look in): what git reads there must be judged. When
/// that fails, the sweep is incomplete and names `g`.
fn make_git_dir_listable(g: &Path, writable: &dyn Fn(&Path) -> bool, out: &mut Sweep) {
    let Ok(m) = nofollow::lstat(g) else {
        return;
    };
    if !m.is_dir() || !writable(g) || m.mode() & 0o500 == 0o500 {
        return;
    }
    match nofollow::make_owner_listable(g) {
        Ok(()) => {
            if out.made_listable.len() < QUARANTINE_LISTED {
                out.made_listable.push(g.to_path_buf());
            }
        }
        Err(e) => unreadable_git_dir(g, &e.to_string(), out),
    }
}

/// Record that what git reads in git dir `g` could not be checked.
fn unreadable_git_dir(g: &Path, why: &str, out: &mut Sweep) {
    out.complete = false;
    if out.unlistable.is_none() {
        out.unlistable = Some((
            g.to_path_buf(),
            format!("a git dir whose entries (config, commondir, hooks, ...) cannot be looked at: {why}"),
        ));
    }
}

/// Configuration files and directories over the bounds held at once: past
/// it the sweep is incomplete.
const OVER_BUDGET_HELD: usize = 10_000;

fn bounded_extend(
    over: &mut Vec<PathBuf>,
    more: impl IntoIterator<Item = PathBuf>,
    out: &mut Sweep,
) {
    for p in more {
        if over.len() >= OVER_BUDGET_HELD {
            out.complete = false;
            return;
        }
        over.push(p);
    }
}

/// Move `p` aside when it is not as recorded; `true` when it was (or
/// should have been) moved. An entry already gone (moved aside by an
/// earlier step) is left alone, so a path may be judged more than once.
fn judge(
    p: &Path,
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    before: &Snapshot,
    out: &mut Sweep,
) -> bool {
    if leave(p) || !writable(p) || nofollow::lstat(p).is_err() {
        return false;
    }
    match change(p, before) {
        Change::None => false,
        Change::Created | Change::Changed => {
            out.record(quarantine(p, before));
            true
        }
    }
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
        if out.over_budget.len() < QUARANTINE_LISTED {
            out.over_budget.push(c.display().to_string());
        }
        if !writable(c) || leave(c) || nofollow::lstat(c).is_err() {
            continue;
        }
        let mut q = quarantine(c, before);
        q.why = format!(
            "{}; what it includes or holds exceeds what the helper checks ({INCLUDES_PER_GIT_DIR} include paths a repository, {INCLUDES_PER_PASS} and {} MiB of configuration a run, {NESTED_PER_PASS} entries below modules and worktrees), so it was not checked",
            q.why,
            CONFIG_BYTES_PER_PASS >> 20
        );
        out.record(q);
    }
}

/// The `PATH` directories and sourced files that did not exist before the
/// run ([`Snapshot::watch_made`]): walked from the deepest directory that
/// did, with no link followed. A link or file the run left on the way
/// (`node_modules -> elsewhere` for `node_modules/.bin`) is moved aside
/// itself, as is what is at the name itself when it is there now: every
/// program in such a directory is the run's, and a sourced file is code the
/// user's next shell runs.
fn sweep_made_ways(
    before: &Snapshot,
    writable: &dyn Fn(&Path) -> bool,
    leave: &dyn Fn(&Path) -> bool,
    out: &mut Sweep,
) {
    for (base, dir, what) in &before.made_ways {
        let Ok(rest) = dir.strip_prefix(base) else {
            continue;
        };
        let mut cur = base.clone();
        let mut parts = rest.components();
        loop {
            if leave(&cur) || !writable(&cur) {
                break;
            }
            let Ok(m) = nofollow::lstat(&cur) else {
                break;
            };
            let at_end = cur == *dir;
            if at_end {
                out.record(quarantine_because(
                    &cur,
                    &format!(
                        "made during the run at {what}, missing before: the user's next shell would read or run it"
                    ),
                    false,
                ));
                break;
            }
            if !m.is_dir() {
                out.record(quarantine_because(
                    &cur,
                    &format!(
                        "made during the run on the way to {} ({what}), missing before: the user's next shell would read or run what it leads to",
                        dir.display()
                    ),
                    false,
                ));
                break;
            }
            match parts.next() {
                Some(c) => cur.push(c),
                None => break,
            }
        }
    }
}

/// Moved entries listed in the report; the rest are counted only (a run
/// can make hundreds of thousands, and the report must stay small).
pub const QUARANTINE_LISTED: usize = 100;

/// What the sweep did.
#[derive(Debug, Default)]
pub struct Sweep {
    /// The first [`QUARANTINE_LISTED`] entries moved aside or not movable.
    pub quarantined: Vec<Quarantined>,
    /// Entries moved aside beyond those listed.
    pub unlisted: u64,
    /// Entries that could not be moved aside (still where git reads them).
    pub stuck: u64,
    /// The first [`QUARANTINE_LISTED`] of those.
    pub stuck_paths: Vec<String>,
    /// Configuration files whose includes, and `modules` or `worktrees`
    /// directories whose contents, exceeded the bounds (the first
    /// [`QUARANTINE_LISTED`]).
    pub over_budget: Vec<String>,
    /// The search finished within its bounds.
    pub complete: bool,
    /// The first directory the search could not list, and why.
    pub unlistable: Option<(PathBuf, String)>,
    /// Directories made listable again (their owner's read and search
    /// permission given back), the first [`QUARANTINE_LISTED`].
    pub made_listable: Vec<PathBuf>,
    /// Where this sweep moved entries to (all of them, listed or not): a
    /// moved link is not judged again as one the run made.
    moved: BTreeSet<PathBuf>,
    /// Indexes written during the run whose `assume-unchanged` or
    /// `skip-worktree` marks set by the run were cleared, with the paths
    /// (the first [`QUARANTINE_LISTED`]).
    pub index_repaired: Vec<String>,
    /// Indexes written during the run that could not be checked (a split
    /// index, one that does not parse), and why.
    pub index_unchecked: Vec<String>,
    /// Indexes already looked at.
    repaired_seen: BTreeSet<PathBuf>,
    /// Where caches git trusts instead of the objects
    /// ([`GIT_DIR_TRUSTED_CACHES`]), made or changed during the run, were
    /// moved to (the first [`QUARANTINE_LISTED`]).
    pub caches_dropped: Vec<PathBuf>,
    /// Objects and packs written or replaced during the run that could not
    /// be verified (over the bytes verified, SHA-256), and why.
    pub objects_unchecked: Vec<String>,
    /// Object stores already checked.
    objects_seen: BTreeSet<PathBuf>,
    /// Every symbolic link and dot entry of the trees was judged: by the
    /// search, or, past its bound, by [`find_links_and_dots`].
    pub links_complete: bool,
    /// Why [`find_links_and_dots`] did not finish, when it did not.
    pub links_stopped: Option<String>,
    /// The entries [`find_links_and_dots`] read, when it ran.
    pub links_searched: Option<u64>,
    /// The second of the snapshot's clock: what the run made or changed
    /// has a change time from then on.
    pub links_since: Option<i64>,
}

impl Sweep {
    fn record(&mut self, q: Quarantined) {
        if let Some(to) = &q.moved_to {
            self.moved.insert(PathBuf::from(to));
        }
        if q.moved_to.is_none() {
            self.stuck += 1;
            if self.stuck_paths.len() < QUARANTINE_LISTED {
                self.stuck_paths.push(q.path.clone());
            }
        }
        if self.quarantined.len() < QUARANTINE_LISTED {
            self.quarantined.push(q);
        } else {
            self.unlisted += 1;
        }
    }
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
        // An empty directory runs, includes and names nothing; but where
        // git reads a file, a directory is nothing git makes.
        let file_name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let git_file = matches!(
            file_name,
            "config" | "config.worktree" | "commondir" | "gitdir"
        );
        return if !git_file
            && nofollow::lstat(p).is_ok_and(|m| m.is_dir())
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

/// What an entry is, in words.
fn kind_name(mode: u32) -> &'static str {
    match mode & libc::S_IFMT {
        libc::S_IFLNK => "a symbolic link",
        libc::S_IFDIR => "a directory",
        libc::S_IFREG => "a file",
        _ => "a special file",
    }
}

/// What an entry is, in words, naming the special files.
pub(crate) fn special_kind_name(mode: u32) -> &'static str {
    match mode & libc::S_IFMT {
        libc::S_IFIFO => "a FIFO (named pipe)",
        libc::S_IFSOCK => "a socket",
        libc::S_IFCHR => "a character device",
        libc::S_IFBLK => "a block device",
        _ => kind_name(mode),
    }
}

/// Why `p` is moved aside, from what was recorded before the run and what
/// is there now. For the report only: the decision is [`change`]'s.
fn reason(p: &Path, before: &Snapshot) -> String {
    let now = nofollow::lstat(p).ok();
    let Some(was) = before.get(p) else {
        return unrecorded_reason(now.as_ref(), before.since());
    };
    let detail = match now {
        None => "gone".to_string(),
        Some(m) => {
            let mode = m.mode() & libc::S_IFMT;
            let same_inode = m.dev() == was.entry.dev && m.ino() == was.entry.ino;
            if mode != was.entry.mode {
                format!(
                    "{} replaced by {}",
                    kind_name(was.entry.mode),
                    kind_name(mode)
                )
            } else if mode == libc::S_IFLNK {
                let text = fs::read_link(p).ok();
                match (&was.link, &text) {
                    (Some(a), Some(b)) if a != b => {
                        format!("a symbolic link re-pointed: it led to {a:?}, now to {b:?}")
                    }
                    _ if same_inode => "a symbolic link whose owner changed".into(),
                    _ => "a symbolic link replaced by another with the same target".into(),
                }
            } else if !same_inode {
                format!("{} replaced by another", kind_name(mode))
            } else if mode == libc::S_IFDIR {
                "a directory whose entries or metadata changed (an entry added, removed, renamed or rewritten)".into()
            } else {
                format!(
                    "{} rewritten in place (its content or metadata changed)",
                    kind_name(mode)
                )
            }
        }
    };
    format!("changed while the command ran: {detail}")
}

/// The reason for an entry the plan did not record, from its birth and
/// change times against the time of the snapshot (neither can be set
/// back by a process).
fn unrecorded_reason(now: Option<&fs::Metadata>, taken: Option<(i64, i64)>) -> String {
    let (Some(m), Some(taken)) = (now, taken) else {
        return "created during the run".into();
    };
    let before_run = |t: (i64, i64)| t < taken;
    if before_run((m.ctime(), m.ctime_nsec())) {
        return "not created or changed during the run (it is older and unchanged since), but git reaches it now at this path through something changed during the run (a link, a configuration or a directory on its way)".into();
    }
    let born = m.created().ok().and_then(|t| {
        let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((d.as_secs() as i64, d.subsec_nanos() as i64))
    });
    match born {
        Some(b) if before_run(b) => {
            "not there before the run: an entry older than the run, moved, linked or changed here during it".into()
        }
        Some(_) => "created during the run".into(),
        None => "created during the run, or moved or linked here during it (this file system does not record when an entry was made)".into(),
    }
}

fn quarantine(p: &Path, before: &Snapshot) -> Quarantined {
    quarantine_because(p, &reason(p, before), before.contains_key(p))
}

/// Move `p` aside for the reason `why`; `existed`: it was recorded before
/// the run (the report then says how to put it back).
fn quarantine_because(p: &Path, why: &str, existed: bool) -> Quarantined {
    let mut result = move_aside(p);
    if matches!(&result, Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied) {
        // The run may have taken the write permission off the directory
        // (it owns it): give it back to its owner and try again.
        if nofollow::make_owner_writable(p.parent().unwrap_or(p)).is_ok() {
            result = move_aside(p);
        }
    }
    match result {
        Ok(to) => Quarantined {
            path: p.display().to_string(),
            moved_to: Some(to.display().to_string()),
            why: restore_hint(why, p, &to, existed),
        },
        Err(e) => Quarantined {
            path: p.display().to_string(),
            moved_to: None,
            why: format!("{why}; moving it aside failed: {e}"),
        },
    }
}

/// Whether `p` bears a name [`move_aside`] gives: what a sweep moved
/// aside is not judged again as something the run made (no tool writes at
/// such a name).
fn set_aside(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(".ku0-quarantine-"))
}

/// Rename `p` within its own directory, held open with no link on the way
/// (a link to elsewhere is renamed itself, its target is never touched),
/// never over an existing entry: to `NAME.ku0-quarantine-N` for the first
/// free N up to 9, then to names with 64 random bits, which the run cannot
/// have taken in advance. A name too long to take the suffix (a link the
/// run made in `.git/modules/`) becomes `.ku0-quarantine-RANDOM`.
fn move_aside(p: &Path) -> std::io::Result<PathBuf> {
    let name = p
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut result: std::io::Result<PathBuf> = Err(std::io::Error::other("no free name"));
    let mut short = false;
    for n in 0..25u32 {
        let to = match (short, n) {
            (false, 0..=8) => format!("{name}.ku0-quarantine-{}", n + 1),
            (false, _) => format!("{name}.ku0-quarantine-{:016x}", random_u64()?),
            (true, _) => format!(".ku0-quarantine-{:016x}", random_u64()?),
        };
        result = nofollow::rename_beside(p, to.as_ref());
        match &result {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) if e.raw_os_error() == Some(libc::ENAMETOOLONG) && !short => short = true,
            _ => break,
        }
    }
    result
}

fn random_u64() -> std::io::Result<u64> {
    use std::io::Read;
    let mut b = [0u8; 8];
    fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
    Ok(u64::from_ne_bytes(b))
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
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
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
        // A path longer than PATH_MAX is opened a component at a time:
        // what the run nests deeper must be reached all the same.
        if !matches!(e.raw_os_error(), Some(libc::ENOSYS | libc::ENAMETOOLONG)) {
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
        /// A FIFO, a socket or a device node.
        Special,
        Other,
    }

    impl Kind {
        pub fn is_dir(self) -> bool {
            self == Kind::Dir
        }
        pub fn is_symlink(self) -> bool {
            self == Kind::Link
        }
        pub fn is_special(self) -> bool {
            self == Kind::Special
        }
    }

    fn kind_of_mode(mode: u32) -> Kind {
        match mode & libc::S_IFMT {
            libc::S_IFDIR => Kind::Dir,
            libc::S_IFLNK => Kind::Link,
            libc::S_IFIFO | libc::S_IFSOCK | libc::S_IFCHR | libc::S_IFBLK => Kind::Special,
            _ => Kind::Other,
        }
    }

    /// The entries of directory `p`: names and types. Read with
    /// `getdents64` from the descriptor opened here (the search lists every
    /// directory of the writable trees twice a run: four system calls a
    /// directory, where `opendir` takes seven).
    pub fn read_dir(p: &Path) -> io::Result<Vec<(OsString, Kind)>> {
        let fd = open(p, libc::O_RDONLY | libc::O_DIRECTORY)?;
        read_dir_fd(&fd)
    }

    /// A listing with the directory's status and, when wanted, the type of
    /// its file system ([`read_dir_noting`]).
    pub type Noted = (Vec<(OsString, Kind)>, (libc::stat, Option<i64>));

    /// [`read_dir`], with the status of `p` taken before the listing (a
    /// change made after it changes the change time), and the type of its
    /// file system (`f_type`) when `want` says it is wanted for its device.
    pub fn read_dir_noting(p: &Path, want: &dyn Fn(u64) -> bool) -> io::Result<Noted> {
        let fd = open(p, libc::O_RDONLY | libc::O_DIRECTORY)?;
        // SAFETY: `stat` is plain integers, filled in by the call.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor and `stat` buffer.
        if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut fs_type = None;
        if want(st.st_dev) {
            // SAFETY: `statfs` is plain integers, filled in by the call.
            let mut sf: libc::statfs = unsafe { std::mem::zeroed() };
            // SAFETY: a valid descriptor and `statfs` buffer.
            if unsafe { libc::fstatfs(fd.as_raw_fd(), &mut sf) } == 0 {
                #[allow(clippy::unnecessary_cast)]
                {
                    fs_type = Some(sf.f_type as i64);
                }
            }
        }
        let list = read_dir_fd(&fd)?;
        Ok((list, (st, fs_type)))
    }

    /// The status of the last component of `p`, not following it (the
    /// directories on its way are resolved by the kernel: only for paths
    /// whose directories the caller has just checked or opened refusing
    /// links, with nothing left to change them).
    pub fn lstat_last(p: &Path) -> io::Result<libc::stat> {
        fstatat_nofollow(libc::AT_FDCWD, &cstr(p.as_os_str())?)
    }

    /// The entries of directory `p` with the status of each (links not
    /// followed), read through the descriptor of `p`: one `fstatat` an
    /// entry, where a path's no-link open takes three calls. `None` when
    /// it has more than `max` entries (none of them is looked at then).
    pub fn read_dir_stat(p: &Path, max: usize) -> io::Result<Option<Vec<(OsString, libc::stat)>>> {
        let fd = open(p, libc::O_RDONLY | libc::O_DIRECTORY)?;
        let list = read_dir_fd(&fd)?;
        if list.len() > max {
            return Ok(None);
        }
        list.into_iter()
            .map(|(name, _)| {
                let st = stat_at(&fd, name.as_bytes())?;
                Ok((name, st))
            })
            .collect::<io::Result<Vec<_>>>()
            .map(Some)
    }

    const LISTING_BUFFER: usize = 32 * 1024;

    thread_local! {
        /// The buffer `getdents64` fills, kept between listings (the search
        /// lists thousands of directories: zeroing a new one each time
        /// costs more than the listing of a small directory).
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn read_dir_fd(fd: &OwnedFd) -> io::Result<Vec<(OsString, Kind)>> {
        let mut buf = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
        if buf.len() < LISTING_BUFFER {
            buf = vec![0u8; LISTING_BUFFER];
        }
        let listed = read_dir_buf(fd, &mut buf);
        BUFFER.with(|b| *b.borrow_mut() = buf);
        listed
    }

    fn read_dir_buf(fd: &OwnedFd, buf: &mut [u8]) -> io::Result<Vec<(OsString, Kind)>> {
        let mut out = Vec::new();
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
                    libc::DT_FIFO | libc::DT_SOCK | libc::DT_CHR | libc::DT_BLK => Kind::Special,
                    libc::DT_UNKNOWN => kind_of_mode(stat_at(fd, name)?.st_mode),
                    _ => Kind::Other,
                };
                out.push((OsStr::from_bytes(name).to_os_string(), kind));
            }
        }
    }

    /// A directory read a buffer at a time (`getdents64`), for a search
    /// whose memory must not grow with the size of a directory: only the
    /// buffer is held, not the listing.
    pub struct Lister {
        fd: OwnedFd,
        buf: Vec<u8>,
        len: usize,
        at: usize,
    }

    impl Lister {
        /// List `p` (opened refusing links in every component).
        pub fn open(p: &Path) -> io::Result<Lister> {
            Ok(Lister::of(open(p, libc::O_RDONLY | libc::O_DIRECTORY)?))
        }

        /// List the subdirectory `name` of this one (opened refusing a
        /// link there).
        pub fn open_child(&self, name: &OsStr) -> io::Result<Lister> {
            Ok(Lister::of(openat(
                &self.fd,
                name,
                libc::O_RDONLY | libc::O_DIRECTORY,
            )?))
        }

        /// The directory's descriptor (for `fstatat` on its entries).
        pub fn fd(&self) -> &OwnedFd {
            &self.fd
        }

        fn of(fd: OwnedFd) -> Lister {
            Lister {
                fd,
                buf: vec![0u8; LISTING_BUFFER],
                len: 0,
                at: 0,
            }
        }

        /// The next entry (not `.` or `..`), `None` at the end.
        pub fn next_entry(&mut self) -> io::Result<Option<(OsString, Kind)>> {
            loop {
                if self.at + 19 >= self.len {
                    // SAFETY: a valid descriptor and a buffer of the length passed.
                    let n = unsafe {
                        libc::syscall(
                            libc::SYS_getdents64,
                            self.fd.as_raw_fd(),
                            self.buf.as_mut_ptr(),
                            self.buf.len(),
                        )
                    };
                    if n < 0 {
                        return Err(io::Error::last_os_error());
                    }
                    if n == 0 {
                        return Ok(None);
                    }
                    self.len = n as usize;
                    self.at = 0;
                }
                let at = self.at;
                let reclen = u16::from_ne_bytes([self.buf[at + 16], self.buf[at + 17]]) as usize;
                if reclen == 0 || at + reclen > self.len {
                    return Err(io::Error::from(io::ErrorKind::InvalidData));
                }
                self.at += reclen;
                let d_type = self.buf[at + 18];
                let raw = &self.buf[at + 19..at + reclen];
                let name = &raw[..raw.iter().position(|b| *b == 0).unwrap_or(raw.len())];
                if name == b"." || name == b".." {
                    continue;
                }
                let kind = match d_type {
                    libc::DT_DIR => Kind::Dir,
                    libc::DT_LNK => Kind::Link,
                    libc::DT_FIFO | libc::DT_SOCK | libc::DT_CHR | libc::DT_BLK => Kind::Special,
                    libc::DT_UNKNOWN => kind_of_mode(stat_at(&self.fd, name)?.st_mode),
                    _ => Kind::Other,
                };
                return Ok(Some((OsStr::from_bytes(name).to_os_string(), kind)));
            }
        }
    }

    /// The status of `name` in directory `dir`, not following it.
    fn stat_at(dir: &OwnedFd, name: &[u8]) -> io::Result<libc::stat> {
        let c = CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
        fstatat_nofollow(dir.as_raw_fd(), &c)
    }

    /// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`: `dir` a directory
    /// descriptor or `AT_FDCWD`.
    fn fstatat_nofollow(dir: libc::c_int, name: &std::ffi::CStr) -> io::Result<libc::stat> {
        // SAFETY: `stat` is plain integers, filled in by the call.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: `dir` is AT_FDCWD or a descriptor the caller holds open; a
        // valid C string and `stat` buffer.
        if unsafe { libc::fstatat(dir, name.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(st)
    }

    /// The whole content of the regular file `p`, if it is at most `max`
    /// bytes long (also when it grows while being read); see
    /// [`read_regular`].
    pub fn read_bytes(p: &Path, max: u64) -> Option<Vec<u8>> {
        read_regular(p, max).ok()
    }

    /// The whole content of `p` when it is a regular file of at most `max`
    /// bytes (also when it grows while being read), for every file the
    /// helper reads in a tree a command could write: a symbolic link
    /// anywhere on the way is not followed (`ELOOP`, said so in the
    /// error), the open does not block (`O_NONBLOCK`: a FIFO left in the
    /// place of a file opens at once) nor take a terminal (`O_NOCTTY`),
    /// and what `fstat` does not call a regular file (a FIFO, a socket, a
    /// device, a directory) is not read. A missing file is `NotFound`.
    pub fn read_regular(p: &Path, max: u64) -> io::Result<Vec<u8>> {
        let fd = open(p, libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY).map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                io::Error::new(
                    e.kind(),
                    "a symbolic link on its way, which is not followed",
                )
            } else {
                e
            }
        })?;
        let f = fs::File::from(fd);
        let m = f.metadata()?;
        if !m.is_file() {
            use std::os::unix::fs::MetadataExt;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}, not a regular file: not read",
                    super::special_kind_name(m.mode())
                ),
            ));
        }
        let too_large = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("larger than {max} bytes: not read"),
            )
        };
        if m.len() > max {
            return Err(too_large());
        }
        let mut out = Vec::with_capacity(m.len() as usize);
        f.take(max.saturating_add(1)).read_to_end(&mut out)?;
        if out.len() as u64 > max {
            return Err(too_large());
        }
        Ok(out)
    }

    /// [`super::links_on_the_way`] resolved from descriptors: each name is
    /// looked up in the directory the walk holds open, so the cost of a
    /// path is linear in its depth (a lookup by full path at every step
    /// costs the square: a link the run leads into a chain of thousands of
    /// directories would cost the sweep seconds each).
    pub fn links_on_the_way(path: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let root = Path::new("/");
        let flags = libc::O_PATH | libc::O_DIRECTORY;
        if !path.is_absolute() {
            return out;
        }
        let Ok(mut dir) = open(root, flags) else {
            return out;
        };
        let mut todo = crate::plan::names_to_walk(path);
        let mut cur = PathBuf::from("/");
        while let Some(name) = todo.pop() {
            if name == ".." {
                cur.pop();
                match open_at(&dir, OsStr::new(".."), flags) {
                    Ok(d) => dir = d,
                    Err(_) => break,
                }
                continue;
            }
            // A directory (no link): one step down.
            match open_at(&dir, &name, flags) {
                Ok(d) => {
                    dir = d;
                    cur.push(&name);
                    continue;
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {}
                Err(_) => break,
            }
            let Ok(c) = cstr(&name) else { break };
            // SAFETY: `stat` is plain integers, filled in by the call.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: a valid descriptor, C string and buffer.
            let r = unsafe {
                libc::fstatat(
                    dir.as_raw_fd(),
                    c.as_ptr(),
                    &mut st,
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            };
            if r != 0 || st.st_mode & libc::S_IFMT != libc::S_IFLNK {
                // Missing, or a file: nothing more is followed.
                break;
            }
            if out.len() == super::LINKS_ON_THE_WAY {
                break;
            }
            out.push(cur.join(&name));
            let Ok(text) = read_link_at(&dir, &name) else {
                break;
            };
            let t = Path::new(&text);
            if t.starts_with("/proc") || t.starts_with("/dev/fd") {
                break;
            }
            if t.is_absolute() {
                cur = PathBuf::from("/");
                match open(root, flags) {
                    Ok(d) => dir = d,
                    Err(_) => break,
                }
            }
            todo.extend(crate::plan::names_to_walk(t));
        }
        out
    }

    /// `openat` of the single name `name` in `dir`, following no link.
    fn open_at(dir: &OwnedFd, name: &OsStr, flags: i32) -> io::Result<OwnedFd> {
        let c = cstr(name)?;
        // SAFETY: a valid descriptor and C string; the returned descriptor
        // is owned here.
        let fd = unsafe {
            libc::openat(
                dir.as_raw_fd(),
                c.as_ptr(),
                flags | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new descriptor nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    fn parent_and_name(p: &Path) -> io::Result<(OwnedFd, CString)> {
        let (Some(parent), Some(name)) = (p.parent(), p.file_name()) else {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        };
        Ok((open(parent, libc::O_PATH | libc::O_DIRECTORY)?, cstr(name)?))
    }

    /// Where a write at the symbolic link `p` ends, resolved from
    /// descriptors (the directory of `p` opened with no link on the way,
    /// then each step relative to the directory it starts from), so the
    /// depth of `p` or of its target does not matter.
    pub struct LinkEnd {
        /// The real path of where it ends: the file or directory it leads
        /// to, or, when it leads nowhere, the name a write would create.
        pub end: PathBuf,
        /// Whether `end` exists.
        pub exists: bool,
        /// The real path of the directory holding `p`.
        pub at: PathBuf,
    }

    /// [`LinkEnd`] of `p`; `None` when it leads into a directory that is
    /// missing, where a write creates nothing. Every failure is an error
    /// (the caller judges the link as one it cannot place): a path that cannot be named in
    /// full (longer than PATH_MAX), a target ending in `.`, `..` or `/`
    /// that leads nowhere, a magic link on the way (`/proc/PID/fd/N`,
    /// `/proc/self/cwd`: it leads elsewhere in every process), more than
    /// [`super::LINKS_ON_THE_WAY`] links.
    pub fn link_end(p: &Path) -> io::Result<Option<LinkEnd>> {
        let (Some(parent), Some(name)) = (p.parent(), p.file_name()) else {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        };
        let mut dir = open(parent, libc::O_PATH | libc::O_DIRECTORY)?;
        let at = fd_path(&dir)?;
        let mut name = name.to_os_string();
        for _ in 0..super::LINKS_ON_THE_WAY {
            match open_following(&dir, &name, libc::O_PATH) {
                Ok(fd) => {
                    return Ok(Some(LinkEnd {
                        end: fd_path(&fd)?,
                        exists: true,
                        at,
                    }))
                }
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {}
                Err(e) => return Err(e),
            }
            let text = match read_link_at(&dir, &name) {
                Ok(t) => t,
                // Nothing there (or no link): the name a write would create.
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::EINVAL)) => {
                    return Ok(Some(LinkEnd {
                        end: fd_path(&dir)?.join(&name),
                        exists: false,
                        at,
                    }));
                }
                Err(e) => return Err(e),
            };
            let t = Path::new(&text);
            let last = match t.components().next_back() {
                Some(Component::Normal(n))
                    if text.as_bytes().ends_with(n.as_bytes())
                        && !text.as_bytes().ends_with(b"/") =>
                {
                    n.to_os_string()
                }
                _ => return Err(io::Error::from(io::ErrorKind::InvalidInput)),
            };
            let up = &text.as_bytes()[..text.len() - last.len()];
            if !up.is_empty() {
                let flags = libc::O_PATH | libc::O_DIRECTORY;
                dir = match open_following(&dir, OsStr::from_bytes(up), flags) {
                    Ok(d) => d,
                    // A directory on the way is missing (or a file): a
                    // write there creates nothing.
                    Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
                        return Ok(None)
                    }
                    Err(e) => return Err(e),
                };
            }
            name = last;
        }
        Err(io::Error::from_raw_os_error(libc::ELOOP))
    }

    /// `openat` of `name` in `dir`, following links as the kernel does,
    /// magic links refused.
    fn open_following(dir: &OwnedFd, name: &OsStr, flags: i32) -> io::Result<OwnedFd> {
        let c = cstr(name)?;
        // SAFETY: `open_how` is plain integers; all zero is its default.
        let mut how: libc::open_how = unsafe { std::mem::zeroed() };
        how.flags = (flags | libc::O_CLOEXEC) as u64;
        how.resolve = libc::RESOLVE_NO_MAGICLINKS;
        // SAFETY: a valid descriptor, C string and `open_how` of the size
        // passed; the returned descriptor is owned here.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir.as_raw_fd(),
                c.as_ptr(),
                &how as *const libc::open_how,
                std::mem::size_of::<libc::open_how>(),
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a new descriptor nobody else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
    }

    /// The text of the link `p` (read from its directory's descriptor,
    /// whatever its depth).
    pub fn read_link(p: &Path) -> io::Result<PathBuf> {
        let (Some(parent), Some(name)) = (p.parent(), p.file_name()) else {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        };
        let dir = open(parent, libc::O_PATH | libc::O_DIRECTORY)?;
        read_link_at(&dir, name).map(PathBuf::from)
    }

    /// The text of the link `name` in `dir`.
    fn read_link_at(dir: &OwnedFd, name: &OsStr) -> io::Result<OsString> {
        let c = cstr(name)?;
        let mut buf = vec![0u8; libc::PATH_MAX as usize + 1];
        // SAFETY: a valid descriptor, C string and buffer of the length passed.
        let n = unsafe {
            libc::readlinkat(
                dir.as_raw_fd(),
                c.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        buf.truncate(n as usize);
        Ok(OsString::from_vec(buf))
    }

    /// The path of what `fd` holds open (its `/proc/self/fd` entry):
    /// `ENAMETOOLONG` when that is longer than PATH_MAX.
    fn fd_path(fd: &OwnedFd) -> io::Result<PathBuf> {
        let p = fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))?;
        if !p.is_absolute() {
            // Not reachable from the root (`pipe:`, a detached mount).
            return Err(io::Error::from(io::ErrorKind::InvalidData));
        }
        Ok(p)
    }

    /// Rename `p` (itself, also when it is a link) to `to_name` in the
    /// same directory; never over an existing entry.
    pub fn rename_beside(p: &Path, to_name: &OsStr) -> io::Result<PathBuf> {
        let (dir, from) = parent_and_name(p)?;
        crate::plan::forget_found();
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

    /// Add the owner's read and search permission to directory `p`
    /// (reached through no link), which may not be readable now: opened
    /// with `O_PATH`, changed through its `/proc/self/fd` entry (`fchmod`
    /// does not take an `O_PATH` descriptor).
    pub fn make_owner_listable(p: &Path) -> io::Result<()> {
        add_owner_permission(p, 0o500)
    }

    /// Add the owner permission bits `bits` to directory `p` (reached
    /// through no link, not necessarily readable now).
    pub fn add_owner_permission(p: &Path, bits: u32) -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let f = open(p, libc::O_PATH | libc::O_DIRECTORY)?;
        let mode = fs::File::from(f.try_clone()?)
            .metadata()?
            .permissions()
            .mode();
        if mode & bits == bits {
            return Ok(());
        }
        let proc_path = format!("/proc/self/fd/{}", f.as_raw_fd());
        fs::set_permissions(
            proc_path,
            fs::Permissions::from_mode((mode | bits) & 0o7777),
        )
    }

    /// Add the owner's write and search permission to directory `p`
    /// (reached through no link).
    pub fn make_owner_writable(p: &Path) -> io::Result<()> {
        let f = fs::File::from(open(p, libc::O_RDONLY | libc::O_DIRECTORY)?);
        use std::os::unix::fs::PermissionsExt;
        let mode = f.metadata()?.permissions().mode();
        f.set_permissions(fs::Permissions::from_mode((mode | 0o300) & 0o7777))
    }

    /// Create directory `p` in its (link-free) parent.
    /// Remove the empty directory `p` (itself, never through a link).
    pub fn rmdir(p: &Path) -> io::Result<()> {
        let (dir, name) = parent_and_name(p)?;
        crate::plan::forget_found();
        // SAFETY: a valid descriptor and C string.
        if unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), libc::AT_REMOVEDIR) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn mkdir(p: &Path) -> io::Result<()> {
        let (dir, name) = parent_and_name(p)?;
        crate::plan::forget_found();
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
    fn credentials_in_configuration_text_are_found_and_left_out_of_a_copy() {
        let strip = |t: &str| String::from_utf8(strip_url_credentials(t.as_bytes())).unwrap();
        assert_eq!(
            strip("https://u:p@ss@h/x https://TOK@h"),
            "https://h/x https://h"
        );
        assert_eq!(
            strip("ssh://git@h/r ssh://git:pw@h/r"),
            "ssh://git@h/r ssh://git@h/r"
        );
        assert_eq!(strip("git@h:r.git file:///x"), "git@h:r.git file:///x");
        for (var, value, secret) in [
            ("hub.oauthtoken", "x", true),
            ("github.token", "x", true),
            ("sendemail.smtppass", "x", true),
            (
                "http.https://h/.extraheader",
                "Authorization: Basic x",
                true,
            ),
            ("http.extraheader", "PRIVATE-TOKEN: x", true),
            ("http.extraheader", "X-Trace: 1", false),
            ("remote.origin.url", "https://u:t@h/r", true),
            ("url.https://t@h/.insteadof", "https://h/", true),
            ("remote.origin.url", "ssh://git@h/r", false),
            ("user.name", "Fixture", false),
            ("user.signingkey", "ABCDEF", false),
            ("credential.helper", "store", false),
            ("core.askpass", "/usr/bin/x", false),
            ("http.sslkeytype", "PEM", false),
            ("transfer.credentialsinurl", "die", false),
            ("commit.gpgsign", "true", false),
            ("hub.oauthtoken", "", false),
        ] {
            assert_eq!(
                credential_entry(var, Some(value)).is_some(),
                secret,
                "{var} = {value}"
            );
        }
        let text = b"[user]\n\tname = U\n[hub] oauthtoken = t0ken-value\n[x]\n\tpassword = \"a\\\nb\"\n\tafter = kept\n[remote \"o\"]\n\turl = https://u:tok@h/r\n";
        let copy = String::from_utf8(redact_config(text).unwrap()).unwrap();
        assert!(
            copy.contains("name = U") && copy.contains("after = kept"),
            "{copy}"
        );
        assert!(copy.contains("url = https://h/r"), "{copy}");
        for s in ["t0ken", "tok", "a\\"] {
            assert!(!copy.contains(s), "{s}: {copy}");
        }
        assert!(config_credentials(copy.as_bytes()).is_empty());
        // Past a syntax error git reads nothing, the command everything.
        let bad = b"[user]\n\tname = U\n!!\ntoken = t\n";
        assert_eq!(config_credentials(bad).len(), 1);
        assert!(redact_config(bad).is_err());
        assert!(redact_config(b"[user]\n\tname = U\n!!\n").is_ok());
    }

    #[test]
    fn unlisted_variables_are_judged_by_their_names() {
        for name in [
            "MYTOOL_EDITOR",
            "FOO_CONFIG",
            "HF_HOME",
            "X_PATH",
            "CARGO_TARGET_X_RUSTFLAGS",
            "npm_config_foo_dir",
            "SOMERC",
        ] {
            assert!(unlisted_loads(name), "{name}");
        }
        for name in [
            "PATH",
            "HOME",
            "LANG",
            "TERM",
            "PWD",
            "CARGO_TARGET_DIR",
            "CARGO_MANIFEST_DIR",
            "GIT_DIR",
            "DIRENV_FILE",
            "PYTHONPATH",
            "CC",
            "CONDA_PREFIX",
            "CARGO_TARGET_X_LINKER",
        ] {
            assert!(!unlisted_loads(name), "{name}");
        }
        assert!(cargo_target_program(
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER"
        ));
        assert!(!cargo_target_program("CARGO_TARGET_DIR"));
        assert_eq!(
            relative_paths("-C opt-level=2 -Clinker=/w/cc"),
            Vec::<String>::new()
        );
        assert_eq!(relative_paths("-Clinker=tools/cc"), vec!["tools/cc"]);
        assert_eq!(relative_paths("-I../inc -O2"), vec!["../inc"]);
        assert_eq!(relative_paths("-L$ORIGIN/lib"), vec!["$ORIGIN/lib"]);
    }

    /// `GIT_CONFIG_PARAMETERS` as git writes it (`'KEY'='VALUE'`, quotes
    /// escaped as `'\''`) and in the old form (`'KEY=VALUE'`); anything
    /// else git refuses, and so is no entry the helper can read.
    #[test]
    fn config_parameters_are_read_as_git_reads_them() {
        assert_eq!(
            config_parameters("'core.pager'='/w/pager' 'color.ui=auto'  'x.y'"),
            Some(vec![
                "core.pager=/w/pager".to_string(),
                "color.ui=auto".to_string(),
                "x.y".to_string()
            ])
        );
        assert_eq!(
            config_parameters("'a.b'='it'\\''s'"),
            Some(vec!["a.b=it's".to_string()])
        );
        assert_eq!(config_parameters(""), Some(vec![]));
        assert_eq!(config_parameters("core.pager=x"), None);
        assert_eq!(config_parameters("'a.b'='x"), None);
        assert_eq!(config_parameters("'a.b'x"), None);
    }

    /// An entry of the environment's configuration is judged as `git -c`:
    /// a program key names its program, a directory key its directory.
    #[test]
    fn configuration_of_the_environment_is_judged_as_git_c() {
        let home = Path::new("/h");
        let read = ConfigRead {
            programs: vec![
                (
                    "$GIT_CONFIG_PARAMETERS".into(),
                    "'core.pager'='/w/bin/pager'".into(),
                    home.into(),
                ),
                (
                    "$GIT_CONFIG_KEY_0".into(),
                    "init.templateDir=/w/tmpl".into(),
                    home.into(),
                ),
                ("$GIT_TEMPLATE_DIR".into(), "tmpl".into(), home.into()),
                ("$BASH_ENV".into(), "~/env.sh".into(), home.into()),
                ("$GIT_CONFIG_COUNT".into(), "x".into(), home.into()),
            ],
            ..ConfigRead::default()
        };
        let named = read.named();
        let by = |e: &str| named.iter().find(|n| n.entry.starts_with(e)).unwrap();
        assert!(by("GIT_CONFIG_PARAMETERS=")
            .paths
            .contains(&PathBuf::from("/w/bin/pager")));
        assert!(by("GIT_CONFIG_KEY_0=")
            .paths
            .contains(&PathBuf::from("/w/tmpl")));
        assert!(by("GIT_TEMPLATE_DIR=").unknown_command.is_some());
        assert_eq!(by("BASH_ENV=").paths, vec![PathBuf::from("/h/env.sh")]);
        assert!(by("GIT_CONFIG_COUNT=").unknown_command.is_some());
        assert!(named.iter().all(|n| n.origin == "the caller's environment"));
    }

    /// A credential store an entry of the environment's configuration
    /// names by `~/` is looked for below every home: git run with that
    /// environment takes `~` from the caller's `$HOME`, not the run's home.
    #[test]
    fn credential_stores_of_the_environment_are_taken_below_every_home() {
        let read = ConfigRead {
            programs: vec![
                (
                    "$GIT_CONFIG_KEY_0".into(),
                    "credential.helper=store --file ~/c".into(),
                    "/h1".into(),
                ),
                (
                    "credential.helper".into(),
                    "store --file ~/g".into(),
                    "/h1".into(),
                ),
            ],
            env_homes: vec!["/h1".into(), "/h2".into()],
            ..ConfigRead::default()
        };
        let (files, unknown) = read.credential_stores();
        assert!(unknown.is_empty(), "{unknown:?}");
        let want: Vec<PathBuf> = ["/h1/c", "/h1/g", "/h2/c"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(files, want);
    }

    /// Search paths and options of the environment through which programs
    /// load files: each entry by its path, a name looked up by the program
    /// is none, and an entry taken from where the program runs (empty,
    /// relative, `$ORIGIN`) or an option that cannot be read cannot be
    /// located.
    #[test]
    fn search_paths_and_options_of_the_environment_are_read_as_their_programs_read_them() {
        let home = Path::new("/h");
        let judge = |name: &str, value: &str| {
            let how = ENVIRONMENT_LOADS
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1;
            let mut n = environment_loads(name, how, value, home);
            n.paths.sort();
            (n.paths, n.unknown_command.is_some())
        };
        let p = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(
            judge("PYTHONPATH", "/w/src:/opt/lib"),
            (p(&["/opt/lib", "/w/src"]), false)
        );
        assert!(judge("PYTHONPATH", ":/w/src").1);
        assert!(judge("PYTHONPATH", "src").1);
        assert!(judge("PYTHONPATH", "~/lib").1);
        assert_eq!(
            judge("LD_PRELOAD", "libfoo.so /w/x.so"),
            (p(&["/w/x.so"]), false)
        );
        assert!(judge("LD_LIBRARY_PATH", "$ORIGIN/../lib").1);
        assert_eq!(
            judge("NODE_OPTIONS", "--max-old-space-size=4096 --require /w/a.js -r dotenv/config --import=file:///w/b.mjs --loader ts-node/esm"),
            (p(&["/w/a.js", "/w/b.mjs"]), false)
        );
        assert_eq!(
            judge("NODE_OPTIONS", "-r dotenv --enable-source-maps"),
            (vec![], false)
        );
        assert!(judge("NODE_OPTIONS", "--require").1);
        assert!(judge("NODE_OPTIONS", "--require \"/w/a.js").1);
        assert_eq!(
            judge("NODE_OPTIONS", "--require \"/w/a b.js\""),
            (p(&["/w/a b.js"]), false)
        );
        // Perl reads no quotes: `'/w/lib'` is a relative path.
        assert!(judge("PERL5OPT", "-I'/w/lib'").1);
        assert_eq!(
            judge("PERL5OPT", "-Mstrict -I/w/lib -I /w/lib2"),
            (p(&["/w/lib", "/w/lib2"]), false)
        );
        assert_eq!(judge("RUBYOPT", "-rbundler/setup -W0"), (vec![], false));
        assert!(judge("RUBYOPT", "-r./x -I lib").1);
        assert_eq!(
            judge("RUBYOPT", "-r/w/x.rb -rjson"),
            (p(&["/w/x.rb"]), false)
        );
        assert_eq!(
            judge("JAVA_TOOL_OPTIONS", "-Xmx1g -javaagent:/w/agent.jar=opt -agentpath:/w/a.so @/w/args -agentlib:jdwp=transport=dt_socket"),
            (p(&["/w/a.so", "/w/agent.jar", "/w/args"]), false)
        );
        assert_eq!(
            judge("JDK_JAVA_OPTIONS", "-Xbootclasspath/a:/w/x.jar:/y.jar"),
            (p(&["/w/x.jar", "/y.jar"]), false)
        );
        assert_eq!(judge("LESS", "-FRX -i"), (vec![], false));
        assert_eq!(judge("LESS", "-Rk/w/keys"), (p(&["/w/keys"]), false));
        assert_eq!(
            judge("LESS", "-R --lesskey-f=/w/k$ -P?f%f"),
            (p(&["/w/k"]), false)
        );
        assert_eq!(
            judge("LESS", "-R --lesskey-src /w/src"),
            (p(&["/w/src"]), false)
        );
        assert_eq!(judge("LESS", "-Pkeys -R"), (vec![], false));
        assert_eq!(
            judge("MAKEFILES", " /w/a.mk  /w/b.mk\t"),
            (p(&["/w/a.mk", "/w/b.mk"]), false)
        );
        assert!(judge("MAKEFILES", "common.mk").1);
        assert_eq!(
            judge("OPENSSL_CONF", "/w/openssl.cnf"),
            (p(&["/w/openssl.cnf"]), false)
        );
        assert_eq!(
            judge("GCONV_PATH", "/w/gconv:/usr/lib/gconv"),
            (p(&["/usr/lib/gconv", "/w/gconv"]), false)
        );
        assert_eq!(judge("GOENV", "off"), (vec![], false));
        assert_eq!(judge("GOENV", "/w/go.env"), (p(&["/w/go.env"]), false));
        assert_eq!(judge("GOWORK", "off"), (vec![], false));
        assert_eq!(
            judge("GOFLAGS", "-mod=mod -trimpath -toolexec=sccache"),
            (vec![], false)
        );
        assert_eq!(
            judge(
                "GOFLAGS",
                "-modfile=/w/alt.mod --overlay=/w/o.json -pgo=auto -toolexec='/w/tx -v'"
            ),
            (p(&["/w/alt.mod", "/w/o.json", "/w/tx"]), false)
        );
        assert!(judge("GOFLAGS", "-modfile=alt.mod").1);
        assert!(judge("GOFLAGS", "-toolexec='/w/tx").1);
        assert_eq!(judge("CARGO_HOME", "/w/cargo"), (p(&["/w/cargo"]), false));
        assert_eq!(
            judge("KUBECONFIG", "/w/kube:/h/.kube/config"),
            (p(&["/h/.kube/config", "/w/kube"]), false)
        );
        // Every absolute path written is mentioned, whatever its option.
        let how = Loads::Options(Opts::Node);
        let n = environment_loads(
            "NODE_OPTIONS",
            how,
            "--inspect --cpu-prof-dir=/w/prof",
            home,
        );
        assert!(n.mentioned.contains(&PathBuf::from("/w/prof")));
    }
    use std::io::Write;
    use std::process::Command;

    #[test]
    fn programs_the_global_configuration_names_are_found_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let home = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(home.join("bin")).unwrap();
        fs::write(home.join("bin/script.sh"), "").unwrap();
        fs::write(
            home.join(".gitconfig"),
            "[core]\n\tpager = less -R\n\teditor = \"~/bin/my editor\" --wait\n\tfsmonitor = true\n\
             [init]\n\ttemplateDir = ~/tmpl\n\
             [alias]\n\tst = status\n\tx = !sh ~/bin/script.sh ~/bin/missing /tmp\n\
             [pager]\n\tlog = false\n\
             [diff \"Pdf\"]\n\ttextconv = ./rel/conv\n\
             [credential]\n\thelper = store\n\
             [gpg]\n\tprogram = $GPGHOME/bin/gpg\n\
             [filter \"lfs\"]\n\tclean = /opt/lfs/bin/lfs clean -- %f\n",
        )
        .unwrap();
        let mut budget = Budget::default();
        let mut global = global_config(std::slice::from_ref(&home), &mut budget);
        // The test's own environment (cargo sets `LD_LIBRARY_PATH`) is no
        // entry of this configuration.
        global.programs.retain(|(var, _, _)| !var.starts_with('$'));
        let (paths, unknown) = global.programs();
        // The first word by path, later words only when they are files;
        // bare names (`less`, `store`) and booleans name no path. Git
        // takes the double quotes off the value, so the shell splits the
        // editor's path at the blank.
        for p in [
            home.join("bin/my"),
            home.join("tmpl"),
            home.join("bin/script.sh"),
            PathBuf::from("/opt/lfs/bin/lfs"),
        ] {
            assert!(paths.contains(&p), "{p:?} not in {paths:?}");
        }
        assert!(!paths.contains(&home.join("bin/missing")), "{paths:?}");
        assert!(!paths.contains(&PathBuf::from("/tmp")), "{paths:?}");
        assert_eq!(paths.len(), 4, "{paths:?}");
        // What cannot be located is said.
        assert_eq!(unknown.len(), 2, "{unknown:?}");
        assert!(unknown.iter().any(|u| u.contains("./rel/conv")));
        assert!(unknown.iter().any(|u| u.contains("$GPGHOME/bin/gpg")));
        assert_eq!(
            command_words("'a b' \"c\"d e;f|g"),
            vec!["a b", "cd", "e", "f", "g"]
        );
    }

    /// Keys that name a program or a directory git runs or copies, as
    /// git's documentation lists them: git-config(1) of git 2.39 (the
    /// variables whose description says git runs or copies what they
    /// name), git-config(1) of git 2.54 (`hook.<name>.command`) and
    /// git-svn(1) (`svn.authorsProg`). Subsections are written as examples.
    /// Every one must be judged; a key missing from [`PROGRAM_KEYS`]
    /// fails here.
    const DOCUMENTED_PROGRAM_KEYS: &[&str] = &[
        "alias.lg",
        "browser.firefox.cmd",
        "browser.firefox.path",
        "core.alternateRefsCommand",
        "core.askPass",
        "core.editor",
        "core.fsmonitor",
        "core.gitProxy",
        "core.pager",
        "core.sshCommand",
        "credential.helper",
        "credential.https://example.com.helper",
        "diff.external",
        "diff.pdf.command",
        "diff.pdf.textconv",
        "difftool.meld.cmd",
        "difftool.meld.path",
        "filter.lfs.clean",
        "filter.lfs.process",
        "filter.lfs.smudge",
        "gpg.program",
        "gpg.openpgp.program",
        "gpg.ssh.program",
        "gpg.x509.program",
        "gpg.ssh.defaultKeyCommand",
        "guitool.fmt.cmd",
        "hook.linter.command",
        "imap.tunnel",
        "init.templateDir",
        "instaweb.httpd",
        "instaweb.modulePath",
        "interactive.diffFilter",
        "man.woman.cmd",
        "man.woman.path",
        "merge.ours.driver",
        "mergetool.meld.cmd",
        "mergetool.meld.path",
        "pager.log",
        "remote.origin.receivepack",
        "remote.origin.uploadpack",
        "sendemail.ccCmd",
        "sendemail.headerCmd",
        "sendemail.sendmailCmd",
        "sendemail.smtpServer",
        "sendemail.toCmd",
        "sendemail.work.smtpServer",
        "sendemail.work.toCmd",
        "sequence.editor",
        "submodule.lib.update",
        "svn.authorsProg",
        "tar.tgz.command",
        "trailer.sign.cmd",
        "trailer.sign.command",
        "uploadpack.packObjectsHook",
        "web.browser",
    ];

    /// The key as the configuration parser gives it: section and key
    /// lower case, the subsection as written.
    fn parsed_key(key: &str) -> String {
        let (sec, rest) = key.split_once('.').unwrap();
        match rest.rsplit_once('.') {
            Some((sub, k)) => format!("{}.{sub}.{}", sec.to_lowercase(), k.to_lowercase()),
            None => format!("{}.{}", sec.to_lowercase(), rest.to_lowercase()),
        }
    }

    #[test]
    fn every_documented_program_key_is_judged() {
        for key in DOCUMENTED_PROGRAM_KEYS {
            let var = parsed_key(key);
            let value = if var.starts_with("alias.") || var.starts_with("submodule.") {
                "!/opt/x/run"
            } else {
                "/opt/x/run --flag"
            };
            assert!(names_programs(&var, value), "{key} is not judged");
        }
        // An alias without `!` is a git command line: judged too (its
        // `-c core.pager=…` chooses a program).
        assert!(names_programs("alias.st", "status"));
        // Booleans, update modes and tool names are no programs.
        for (var, value) in [
            ("core.fsmonitor", "true"),
            ("pager.log", "false"),
            ("submodule.lib.update", "rebase"),
            ("diff.tool", "meld"),
            ("merge.tool", "meld"),
            ("core.quotepath", "/x"),
            ("credential.usehttppath", "true"),
            ("diff.pdf.binary", "/x"),
            ("safe.directory", "/x"),
        ] {
            assert!(!names_programs(var, value), "{var} = {value}");
        }
        // The keys of the installed git's own list whose name says that
        // they name a program: each judged, or said here why not.
        let Ok(out) = Command::new("git").args(["help", "--config"]).output() else {
            return;
        };
        let listed = String::from_utf8_lossy(&out.stdout).into_owned();
        let not_programs = [
            "core.fsmonitorhookversion",
            "core.hookspath", // a hooks directory (hooks_dirs; judged as a directory when absolute)
            "gitcvs.dbdriver",
            "help.browser",     // a browser tool's name
            "instaweb.browser", // a browser tool's name
            "diff.guitool",
            "diff.tool",
            "merge.guitool",
            "merge.tool",
            "color.pager",
            "http.proxy",
            "remote.<name>.proxy",
            "merge.<driver>.name",
            "merge.<driver>.recursive",
            "completion.commands",
            "rebase.abbreviatecommands",
            "sendemail.smtpserveroption",
            "sendemail.smtpserverport",
            "notes.rewrite.<command>",
            "advice.waitingforeditor",
            "advice.ignoredhook",
            "diff.<driver>.cachetextconv",
            "column.clean", // a column layout
        ];
        let programish = [
            "cmd",
            "command",
            "program",
            "prog",
            "helper",
            "editor",
            "pager",
            "driver",
            "textconv",
            "tunnel",
            "httpd",
            "difffilter",
            "hook",
            "proxy",
            "askpass",
            "external",
            "smtpserver",
            "clean",
            "smudge",
            "process",
            "templatedir",
            "modulepath",
            "sshcommand",
        ];
        let mut missed = Vec::new();
        for key in listed.lines().map(str::trim).filter(|k| !k.is_empty()) {
            let lower = key.to_lowercase();
            let last = lower.rsplit('.').next().unwrap();
            let tool = ["browser.", "difftool.", "mergetool.", "man."]
                .iter()
                .any(|s| lower.starts_with(s))
                && last == "path";
            if !(tool || programish.iter().any(|p| last.ends_with(p)))
                || not_programs.contains(&lower.as_str())
                || lower.starts_with("advice.")
            {
                continue;
            }
            let var = parsed_key(&key.replace(['<', '>'], ""));
            if !names_programs(&var, "/opt/x/run") {
                missed.push(key.to_string());
            }
        }
        assert!(
            missed.is_empty(),
            "listed by `git help --config`, not judged: {missed:?}"
        );
    }

    #[test]
    fn the_gap_rule_judges_what_a_command_line_may_run() {
        let home = PathBuf::from("/h");
        let ws = PathBuf::from("/h/dotfiles");
        let tree_of = |p: &Path| p.starts_with(&ws).then(|| ws.clone());
        let held = |p: &Path| ws.starts_with(p).then(|| ws.clone());
        let gap = |value: &str, home_writable: bool| {
            let cmd = alias_command("alias.x", value);
            let mut n = analyse_command(&cmd, &home);
            n.entry = format!("alias.x = {value}");
            n.gap(&tree_of, &held, home_writable)
        };
        // Gaps: a program in the writable tree (what it loads is not
        // known), a command line given to a shell that runs one, `cd`
        // into the tree with a relative path, an expansion in a shell's
        // command line, a program by a relative path or an expansion, a
        // `cd` above the tree, an expansion anywhere (its value is not
        // known).
        for value in [
            "!~/dotfiles/bin/ctl",
            "!$HOME/dotfiles/bin/ctl --flag",
            "!sh -c 'git log --oneline | ~/dotfiles/bin/colorize'",
            "!bash -lc \"~/dotfiles/bin/x\"",
            "!cd ~/dotfiles && ./bin/sync",
            "!sh -c 'git log | cat $DOTS/bin/other'",
            "!git log | $PAGER",
            "!./bin/x",
            "!cd ~ && git status",
            "!. ~/dotfiles/lib.sh; f",
            "!git log | less `~/dotfiles/bin/x`",
            "!eval \"$CMD\"",
            "!sh $DOTS/bin/x",
            "!git log --author=$USER",
            "!git push origin $(git rev-parse --abbrev-ref HEAD)",
            // git's own options choosing a program, a directory of
            // programs or a configuration, in an alias with or without
            // `!` (git's `handle_options`).
            "-c core.pager=~/dotfiles/bin/pager log --oneline",
            "!git -c core.pager=~/dotfiles/bin/pager log --oneline",
            "-c Core.Pager=./bin/pager log",
            "-c core.hooksPath=.githooks commit",
            "-c core.hooksPath=~/dotfiles/hooks commit",
            "--config-env=core.pager=PAGER log",
            "--config-env core.fsmonitor=FSM status",
            "-C /tmp -c core.fsmonitor=/h/dotfiles/fsm status",
            "-c alias.y=!~/dotfiles/bin/y y",
            "!git --exec-path=~/dotfiles/libexec sync",
            "!/usr/bin/git -c include.path=~/dotfiles/git/log.gitconfig log",
            "-c include.path=/opt/conf/x.gitconfig log",
            "-c includeIf.onbranch:main.path=/opt/conf/x.gitconfig log",
            // Any path in the tree, in any word: a directory given to an
            // interpreter, an option glued to its path, an option's value.
            "!python3 ~/dotfiles/tools/tool",
            "!/opt/tools/run ~/dotfiles",
            "!ssh -F/h/dotfiles/ssh/config host",
            "!less --lesskey-file=/h/dotfiles/lesskey",
            "!curl -d@/h/dotfiles/body http://x",
        ] {
            assert!(gap(value, false).is_some(), "{value}: no gap");
        }
        // No gap: programs outside the tree, bare names, git commands
        // with quoted messages or formats, `sed` programs, the alias's
        // own arguments and the shell's special parameters, `GIT_PREFIX`.
        for value in [
            "less -R",
            "/usr/bin/vi",
            "!git log --format='%h %s' | sed 's/ /_/'",
            "!f() { git log \"$@\"; }; f",
            "!git commit -m 'wip: save' && git push origin HEAD:refs/for/main",
            "!cd -- \"${GIT_PREFIX:-.}\" && git pull",
            "!git log --author=\"$1\" \"$@\" $# ${1:-x}",
            "!sh -c 'git log | less'",
            "log --oneline --graph",
            "-c core.pager=less log",
            "-c core.pager=/usr/bin/less -c color.ui=always log",
            "!git -C /tmp -c core.hooksPath=/opt/hooks commit",
            "!/opt/tools/run ~/other",
        ] {
            assert_eq!(gap(value, false), None, "{value}");
        }
        // A writable home (the writable-home limit): only a program that
        // cannot be located is a gap.
        assert_eq!(gap("!~/dotfiles/bin/ctl", true), None);
        assert_eq!(gap("!sh -c 'cd ~/dotfiles && x'", true), None);
        assert!(gap("!$TOOLS/x", true).is_some());
        // What is protected: the programs, in every command of the line,
        // and scripts given to them.
        let n = analyse_command("sh -c '/a/b | /c/d' && /e/f x", &home);
        assert!(n.paths.contains(&PathBuf::from("/a/b")), "{n:?}");
        assert!(n.paths.contains(&PathBuf::from("/c/d")), "{n:?}");
        assert!(n.paths.contains(&PathBuf::from("/e/f")), "{n:?}");
        assert!(n.unmodelled.is_some());
        assert!(n.mentioned.contains(&PathBuf::from("/e/f")), "{n:?}");
    }

    #[test]
    fn tilde_names_are_expanded_as_git_expands_them() {
        let homes = vec![PathBuf::from("/h1"), PathBuf::from("/h2")];
        assert_eq!(
            expand_tilde("~/x", &homes),
            Some(vec![PathBuf::from("/h1/x"), PathBuf::from("/h2/x")])
        );
        assert_eq!(
            expand_tilde("a/b", &homes),
            Some(vec![PathBuf::from("a/b")])
        );
        // An account of the user database: its home; when it is the
        // caller's own account, every known home too.
        if let Some((name, _, home)) = accounts().iter().find(|(n, _, _)| n == "root") {
            let got = expand_tilde(&format!("~{name}/x"), &homes).unwrap();
            assert!(got.contains(&home.join("x")), "{got:?}");
        }
        // No such account: unknown, never a path relative to anything.
        assert_eq!(expand_tilde("~no-such-account-ku0/x", &homes), None);
    }

    #[test]
    fn include_paths_are_read_from_include_sections_only() {
        let text = "[core]\n\tpath = no\n[include]\n\tpath = a.inc\n[includeIf \"gitdir:~/x/\"]\n  path = \"~/b.inc\"\n[user]\n  name = x\n[include] path = c.inc\n";
        assert_eq!(include_paths(text), vec!["a.inc", "~/b.inc", "c.inc"]);
    }

    /// Configuration texts git reads in surprising ways; each line of
    /// `git config --list` must be what the parser reads.
    const CONFIG_CASES: &[&str] = &[
        "[include]\n\tpath = ../local.inc  # machine-local settings\n",
        "[include]\n\tpath = a.inc ; comment\n",
        "[include]\n\tpath = \"with # hash\" tail # comment\n",
        "[include]\n\tpath = one\\\n two\n",
        "[include]\n\tpath = \"a\\\"b\\\\c\\td\"\n",
        "[include]path=tight\n[INCLUDE]\n\tPATH = upper\n",
        "[includeIf \"gitdir:~/x/\"]\n  path = \"~/b.inc\"\n",
        "[IncludeIf \"onbranch:Main\"] path = sub.inc\n",
        "[include \"x\"]\n\tpath = not-an-include\n[include.sub]\n\tpath = neither\n",
        "\u{feff}[include]\r\n\tpath = bom.inc\r\n",
        "[core]\n\thooksPath = .githooks   \n\tfsmonitor\n[include]\n\tpath = x.inc\n",
        "[core]\n\thookspath = \"  spaced  \"\n",
        "# top comment\n; another\n[include]\n\tpath = a   b\n",
        "[section \"sub\\\"q\"]\n\tkey = v\n[include]\n\tpath = after\n",
        "[include]\n\tpath = pa\"th # x\"y ;z\n\tpath\n\tpath =\n",
        "[include   \"Sub.Case\"]\n\tpath = s\n[include]\n  path = last\\",
        "[include]\n\tpath = \"q\"\"r\"  \t \n\tpath = x\ty\n[a.B-1]\n\tk-2 = v\r",
    ];

    #[test]
    fn the_configuration_parser_reads_what_git_reads() {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("git not installed: skipped");
            return;
        }
        let t = tempfile::tempdir().unwrap();
        for (i, case) in CONFIG_CASES.iter().enumerate() {
            let f = t.path().join(format!("c{i}"));
            fs::write(&f, case).unwrap();
            let out = Command::new("git")
                .args(["config", "--no-includes", "--file"])
                .arg(&f)
                .args(["--null", "--list"])
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", t.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "case {i}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let want: Vec<(String, Option<String>)> = out
                .stdout
                .split(|b| *b == 0)
                .filter(|r| !r.is_empty())
                .map(|r| {
                    let r = String::from_utf8_lossy(r);
                    match r.split_once('\n') {
                        Some((k, v)) => (k.to_string(), Some(v.to_string())),
                        None => (r.to_string(), None),
                    }
                })
                .collect();
            // Git lists a subsection as written, the rest in lower case.
            assert_eq!(config::parse(case.as_bytes()), want, "case {i}: {case:?}");
        }
        assert_eq!(
            include_paths(CONFIG_CASES[0]),
            vec!["../local.inc".to_string()]
        );
    }

    /// A relative include in a configuration file reached through a link
    /// (`~/.gitconfig -> dotfiles/gitconfig`) is the file git reads, which
    /// `git config --show-origin` names.
    #[test]
    fn relative_includes_of_a_linked_configuration_are_where_git_reads_them() {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("git not installed: skipped");
            return;
        }
        let t = tempfile::tempdir().unwrap();
        let home = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(home.join("dotfiles/sub")).unwrap();
        fs::write(
            home.join("dotfiles/gitconfig"),
            "[include]\n\tpath = .gitconfig.local\n\tpath = sub-link/inner\n\tpath = sub-link/../up\n",
        )
        .unwrap();
        std::os::unix::fs::symlink("dotfiles/gitconfig", home.join(".gitconfig")).unwrap();
        std::os::unix::fs::symlink("dotfiles/sub", home.join("sub-link")).unwrap();
        fs::write(
            home.join("dotfiles/sub/inner"),
            "[include]\n\tpath = deeper\n",
        )
        .unwrap();
        for f in [
            ".gitconfig.local",
            "dotfiles/.gitconfig.local",
            "dotfiles/sub/deeper",
            "dotfiles/deeper",
            "deeper",
            // `..` after the link: git opens the physical one.
            "dotfiles/up",
            "up",
        ] {
            fs::write(home.join(f), "[x]\n\ty = 1\n").unwrap();
        }
        let out = Command::new("git")
            .args([
                "config",
                "--global",
                "--includes",
                "--show-origin",
                "--get-all",
                "x.y",
            ])
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("GIT_CONFIG_GLOBAL")
            .current_dir(&home)
            .output()
            .unwrap();
        let mut want: Vec<PathBuf> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("file:")?.split('\t').next())
            .map(|p| crate::plan::resolve_physical(Path::new(p)))
            .collect();
        want.sort();
        assert_eq!(want.len(), 3, "{out:?}");
        assert!(want.contains(&home.join("dotfiles/up")), "{want:?}");
        let mut budget = Budget::default();
        let read = read_configs(
            &[home.join(".gitconfig")],
            std::slice::from_ref(&home),
            &mut budget,
        );
        let mut got: Vec<PathBuf> = read
            .included
            .iter()
            .filter(|p| p.file_name() != Some("inner".as_ref()))
            .cloned()
            .collect();
        got.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn git_files_are_read_as_git_reads_them() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(base.join("gd ")).unwrap();
        fs::create_dir_all(base.join("gd")).unwrap();
        let p = base.join(".git");
        fs::write(&p, "gitdir: gd \r\n").unwrap();
        assert_eq!(pointed_git_dir(&p), Ok(Some(base.join("gd "))));
        fs::write(&p, "gitdir:gd\n").unwrap();
        assert_eq!(pointed_git_dir(&p), Ok(None));
        // Paths are bytes: a target that is not UTF-8 is followed too.
        use std::os::unix::ffi::OsStrExt;
        let latin1 = base.join(std::ffi::OsStr::from_bytes(b"d\xe9p\xf4t"));
        fs::create_dir_all(&latin1).unwrap();
        fs::write(&p, b"gitdir: d\xe9p\xf4t\n").unwrap();
        assert_eq!(pointed_git_dir(&p), Ok(Some(latin1)));
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
        let before = snapshot(&dirs, &found.pointers, std::slice::from_ref(&home));
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
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&home),
            &before,
        );
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
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&home),
            &before,
        );
        assert!(sw.quarantined.is_empty(), "{:?}", sw.quarantined);
        // Whatever changed an entry (the run, or the user outside while a
        // read-only bind of it was detached by a rename), it is moved aside
        // with how to put it back; so is the same content in a new file.
        let cfg = ws.join(".git/config");
        let old = fs::read(&cfg).unwrap();
        fs::remove_file(&cfg).unwrap();
        fs::write(&cfg, &old).unwrap();
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&home),
            &before,
        );
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
        let before = snapshot(&dirs, &found.pointers, std::slice::from_ref(&home));
        fs::write(ws.join(".git/hooks/post-checkout"), "#!/bin/sh\n").unwrap();
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&home),
            &before,
        );
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
            std::slice::from_ref(&ws),
        );
        // The run: more entries below `modules` than a pass walks.
        fs::create_dir_all(ws.join(".git/modules")).unwrap();
        for i in 0..=NESTED_PER_PASS {
            fs::write(ws.join(format!(".git/modules/{i}")), "").unwrap();
        }
        let gd = git_dirs(&found.dirs, &found.pointers, &writable);
        assert_eq!(gd.over, vec![ws.join(".git/modules")]);
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&ws),
            &before,
        );
        assert!(!sw.over_budget.is_empty());
        assert!(!ws.join(".git/modules").exists(), "{:?}", sw.quarantined);
    }

    #[test]
    fn global_includes_and_hooks_path_chains_are_bounded_too() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(ws.join("r/.git/hooks")).unwrap();
        fs::write(ws.join("r/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let many: String = (0..=INCLUDES_PER_GIT_DIR)
            .map(|i| format!("path = m/{i}\n"))
            .collect();
        // The workspace is the home: its `.gitconfig` is the global one.
        fs::write(ws.join(".gitconfig"), format!("[include]\n{many}")).unwrap();
        let mut budget = Budget::default();
        let global = global_config(std::slice::from_ref(&ws), &mut budget);
        assert_eq!(global.over, vec![ws.join(".gitconfig")]);
        fs::write(
            ws.join("r/.git/config"),
            format!("[core]\nhooksPath = .githooks\n[include]\n{many}"),
        )
        .unwrap();
        let h = hooks_dirs(
            &ws.join("r/.git"),
            std::slice::from_ref(&ws),
            &|_| true,
            &[],
            &global,
            &mut budget,
        );
        assert_eq!(h.paths, vec![ws.join("r/.githooks")]);
        assert_eq!(h.over, vec![ws.join("r/.git/config")]);
        // After a run that wrote both: moved aside, unchecked.
        let writable = |p: &Path| p.starts_with(&ws);
        let sw = sweep(
            std::slice::from_ref(&ws),
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&ws),
            &Snapshot::new(),
        );
        assert!(!ws.join(".gitconfig").exists(), "{:?}", sw.quarantined);
        assert!(!ws.join("r/.git/config").exists(), "{:?}", sw.quarantined);
        assert!(sw
            .over_budget
            .contains(&ws.join(".gitconfig").display().to_string()));
    }

    #[test]
    fn a_configuration_read_while_a_plan_is_built_is_read_once_and_charged_each_time() {
        let t = tempfile::tempdir().unwrap();
        let c = fs::canonicalize(t.path()).unwrap().join("cfg");
        fs::write(&c, "[core]\n").unwrap();
        let _remembered = crate::plan::Remembered::start();
        let mut b = Budget {
            includes: 10,
            bytes: 10,
        };
        assert_eq!(read_config(&c, &mut b), Ok(Some(b"[core]\n".to_vec())));
        assert_eq!(b.bytes, 3);
        // The plan sees the file as it first read it, and pays for it again.
        fs::write(&c, "[x]").unwrap();
        assert_eq!(read_config(&c, &mut b), Err(()));
        drop(_remembered);
        // Outside a plan (the sweep) it is read afresh.
        assert_eq!(read_config(&c, &mut b), Ok(Some(b"[x]".to_vec())));
    }

    #[test]
    fn the_global_configuration_read_while_a_plan_is_built_is_read_once_and_charged_each_time() {
        let t = tempfile::tempdir().unwrap();
        let home = fs::canonicalize(t.path()).unwrap().join("home");
        fs::create_dir_all(&home).unwrap();
        fs::write(
            home.join(".gitconfig"),
            "[include]\n\tpath = a.inc\n[core]\n\tpager = less\n",
        )
        .unwrap();
        fs::write(home.join("a.inc"), "[include]\n\tpath = b.inc\n").unwrap();
        let homes = vec![home.clone()];
        let fresh = |b: &mut Budget| global_config(&homes, b);
        let mut b0 = Budget::default();
        let outside = fresh(&mut b0);
        assert!(outside.included.contains(&home.join("b.inc")));
        let _remembered = crate::plan::Remembered::start();
        let mut b1 = Budget::default();
        let first = fresh(&mut b1);
        // What the plan read first holds while it is built, and each use is
        // charged what the read took.
        fs::write(home.join("a.inc"), "").unwrap();
        let mut b2 = Budget::default();
        let second = fresh(&mut b2);
        for r in [&first, &second] {
            assert_eq!(format!("{:?}", r), format!("{:?}", outside));
        }
        assert_eq!((b1.includes, b1.bytes), (b0.includes, b0.bytes));
        assert_eq!((b2.includes, b2.bytes), (b0.includes, b0.bytes));
        assert!(b0.includes < INCLUDES_PER_PASS && b0.bytes < CONFIG_BYTES_PER_PASS);
        // Less left than the read took: read again under that bound, which
        // stops at the second include, as a fresh read would.
        let mut small = Budget {
            includes: 1,
            bytes: CONFIG_BYTES_PER_PASS,
        };
        let third = fresh(&mut small);
        assert_eq!(third.over, vec![home.join("a.inc")]);
        assert!(!third.included.contains(&home.join("b.inc")));
        assert_eq!(small.includes, 0);
    }

    #[test]
    fn the_sweeps_reason_says_what_happened_to_each_entry() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        let home = ws.join("home");
        fs::create_dir_all(ws.join(".git/hooks")).unwrap();
        fs::create_dir_all(ws.join(".git/objects/info")).unwrap();
        fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::create_dir_all(ws.join("conf")).unwrap();
        fs::write(ws.join("conf/v1.cfg"), "").unwrap();
        fs::write(ws.join("conf/v2.cfg"), "").unwrap();
        std::os::unix::fs::symlink("v1.cfg", ws.join("conf/team.cfg")).unwrap();
        fs::write(ws.join("inc.cfg"), "").unwrap();
        fs::write(ws.join("older.txt"), "").unwrap();
        fs::write(ws.join("older.cfg"), "").unwrap();
        let cfg = ws.join(".git/config");
        fs::write(
            &cfg,
            "[include]\n path = ../inc.cfg\n path = ../conf/team.cfg\n",
        )
        .unwrap();
        // Change and birth times come from a clock that advances in ticks.
        std::thread::sleep(std::time::Duration::from_millis(30));
        let roots = vec![ws.clone()];
        let writable = |p: &Path| p.starts_with(&ws);
        let found = find(&roots, 1000, 8);
        let dirs = git_dirs(&found.dirs, &found.pointers, &writable);
        let before = snapshot(&dirs, &found.pointers, std::slice::from_ref(&home));
        assert!(before.contains_key(&ws.join("conf/team.cfg")), "{before:?}");
        std::thread::sleep(std::time::Duration::from_millis(30));
        // The run: a link re-pointed, a file rewritten in place, a hook
        // added, an entry created, a file of the project moved into place.
        fs::remove_file(ws.join("conf/team.cfg")).unwrap();
        std::os::unix::fs::symlink("v2.cfg", ws.join("conf/team.cfg")).unwrap();
        fs::OpenOptions::new()
            .append(true)
            .open(ws.join("inc.cfg"))
            .unwrap()
            .write_all(b"[core]\n")
            .unwrap();
        fs::write(ws.join(".git/hooks/post-checkout"), "").unwrap();
        fs::write(ws.join(".git/commondir"), "/elsewhere").unwrap();
        fs::rename(
            ws.join("older.txt"),
            ws.join(".git/objects/info/alternates"),
        )
        .unwrap();
        let run = |before: &Snapshot| {
            sweep(
                &roots,
                &[],
                &writable,
                &|_| false,
                &|_, _| None,
                std::slice::from_ref(&home),
                before,
            )
        };
        let sw = run(&before);
        let why = |sw: &Sweep, r: &str| -> String {
            let p = ws.join(r).display().to_string();
            sw.quarantined
                .iter()
                .find(|q| q.path == p)
                .map(|q| q.why.clone())
                .unwrap_or_else(|| panic!("{r} not moved aside: {:?}", sw.quarantined))
        };
        let w = why(&sw, "conf/team.cfg");
        assert!(
            w.starts_with("changed while the command ran: a symbolic link re-pointed")
                && w.contains("\"v1.cfg\"")
                && w.contains("\"v2.cfg\"")
                && w.contains("move it back"),
            "{w}"
        );
        assert!(ws.join("conf/v2.cfg").exists(), "{:?}", sw.quarantined);
        let w = why(&sw, "inc.cfg");
        assert!(w.contains("a file rewritten in place"), "{w}");
        let w = why(&sw, ".git/hooks");
        assert!(w.contains("a directory whose entries"), "{w}");
        assert_eq!(why(&sw, ".git/commondir"), "created during the run");
        let w = why(&sw, ".git/objects/info/alternates");
        assert!(
            w.starts_with("not there before the run: an entry older"),
            "{w}"
        );
        // The configuration replaced (by the user, outside) with one that
        // includes a file of the project nobody touched.
        let found = find(&roots, 1000, 8);
        let dirs = git_dirs(&found.dirs, &found.pointers, &writable);
        let before = snapshot(&dirs, &found.pointers, std::slice::from_ref(&home));
        std::thread::sleep(std::time::Duration::from_millis(30));
        let new_cfg = ws.join(".git/config.new");
        fs::write(&new_cfg, "[include]\n path = ../older.cfg\n").unwrap();
        fs::rename(&new_cfg, &cfg).unwrap();
        let sw = run(&before);
        let w = why(&sw, ".git/config");
        assert!(w.contains("a file replaced by another"), "{w}");
        // The replaced configuration is moved aside, so what it includes is
        // not reached: the untouched file stays where it is.
        assert!(
            !sw.quarantined
                .iter()
                .any(|q| q.path == ws.join("older.cfg").display().to_string()),
            "{:?}",
            sw.quarantined
        );
        assert!(ws.join("older.cfg").exists());
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
        let mut budget = Budget::default();
        let e = entries(&ws.join("r/.git"), std::slice::from_ref(&ws), &mut budget);
        // 160 000 include lines, of which only a repository's share is
        // followed: the work is bounded by count, whatever the machine.
        assert_eq!(INCLUDES_PER_PASS - budget.includes, INCLUDES_PER_GIT_DIR);
        assert!(!e.over.is_empty());
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&ws),
            &before,
        );
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
            std::slice::from_ref(&base),
        );
        // The run: links to a directory outside holding a git dir.
        std::os::unix::fs::symlink(&out, ws.join(".git/modules")).unwrap();
        fs::create_dir_all(ws.join(".git/worktrees")).unwrap();
        std::os::unix::fs::symlink(out.join("repo"), ws.join(".git/worktrees/wt")).unwrap();
        let gd = git_dirs(&found.dirs, &found.pointers, &writable);
        assert_eq!(gd.dirs, vec![ws.join(".git")]);
        let sw = sweep(
            &roots,
            &[],
            &writable,
            &|_| false,
            &|_, _| None,
            std::slice::from_ref(&base),
            &before,
        );
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

    /// The search lists FIFOs, sockets and devices in git dirs (also deep
    /// in `refs/` and in a git dir under another name), every symbolic
    /// link there and every file with a second name outside `objects/`
    /// (the sweep judges each); not the file-system monitor's
    /// socket, a symbolic `HEAD` as git makes it, nor anything outside git
    /// dirs.
    #[test]
    fn special_files_in_git_dirs_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(dir.path()).unwrap();
        for d in [".git/refs/heads", "bare/objects", "bare/refs", "src"] {
            fs::create_dir_all(ws.join(d)).unwrap();
        }
        std::os::unix::fs::symlink("refs/heads/main", ws.join("bare/HEAD")).unwrap();
        std::os::unix::fs::symlink("../refs/heads/main", ws.join("bare/refs/HEAD")).unwrap();
        let fifo = |p: &Path| {
            let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
            // SAFETY: a valid C string.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        };
        for p in [
            ".git/index",
            ".git/refs/heads/main",
            "bare/packed-refs",
            "src/fifo",
        ] {
            fifo(&ws.join(p));
        }
        drop(std::os::unix::net::UnixListener::bind(ws.join(".git/sock")).unwrap());
        drop(
            std::os::unix::net::UnixListener::bind(ws.join(".git/fsmonitor--daemon.ipc")).unwrap(),
        );
        std::os::unix::fs::symlink("/proc/self/fd/0", ws.join(".git/HEAD")).unwrap();
        std::os::unix::fs::symlink("../src/fifo", ws.join(".git/ORIG_HEAD")).unwrap();
        std::os::unix::fs::symlink("/dev/null", ws.join(".git/FETCH_HEAD")).unwrap();
        std::os::unix::fs::symlink("../src", ws.join(".git/linked")).unwrap();
        // Hard links: outside the object store found, in it not.
        fs::write(ws.join(".git/msg"), "m\n").unwrap();
        fs::hard_link(ws.join(".git/msg"), ws.join(".git/refs/heads/MERGE_MSG")).unwrap();
        fs::create_dir_all(ws.join("bare/objects/ab")).unwrap();
        fs::write(ws.join("bare/objects/ab/cd"), "o").unwrap();
        fs::hard_link(ws.join("bare/objects/ab/cd"), ws.join("bare/objects/ab/ef")).unwrap();
        let found = find(std::slice::from_ref(&ws), 10_000, 20);
        let mut got: Vec<String> = found
            .special
            .iter()
            .map(|p| p.strip_prefix(&ws).unwrap().display().to_string())
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ".git/FETCH_HEAD",
                ".git/HEAD",
                ".git/ORIG_HEAD",
                ".git/index",
                ".git/linked",
                ".git/msg",
                ".git/refs/heads/MERGE_MSG",
                ".git/refs/heads/main",
                ".git/sock",
                "bare/packed-refs",
                "bare/refs/HEAD"
            ]
        );
    }

    #[test]
    fn a_link_is_judged_by_where_a_write_at_its_name_would_land() {
        let t = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(t.path()).unwrap();
        let ws = base.join("ws");
        let out = base.join("out");
        fs::create_dir_all(ws.join("node_modules/pkg")).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("victim"), "v").unwrap();
        fs::write(ws.join("node_modules/pkg/cli.js"), "c").unwrap();
        let writable = |p: &Path| p.starts_with(&ws);
        let link = |to: &Path, at: &str| {
            std::os::unix::fs::symlink(to, ws.join(at)).unwrap();
            writes_outside(&ws.join(at), &writable)
        };
        // Inside the writable trees: stays.
        assert_eq!(link(Path::new("node_modules/pkg/cli.js"), "inside"), None);
        // To a file of the caller's outside, to a directory, to a name it
        // can create there, through another link: moved.
        assert_eq!(link(&out.join("victim"), "a"), Some(out.join("victim")));
        assert_eq!(link(&out, "b"), Some(out.clone()));
        assert_eq!(link(&out.join("new"), "c"), Some(out.join("new")));
        assert_eq!(link(Path::new("a"), "d"), Some(out.join("victim")));
        // Through /proc: wherever the writer's descriptors lead.
        assert!(link(Path::new("/proc/self/fd/1"), "e").is_some());
        // Nowhere a write could land, or /dev/null: stays.
        assert_eq!(link(&out.join("missing/x"), "f"), None);
        assert_eq!(link(Path::new("/dev/null"), "g"), None);
        // A system file: only root could change it.
        let root = unsafe { libc::geteuid() } == 0;
        assert_eq!(link(Path::new("/bin/sh"), "h").is_some(), root);
    }

    #[test]
    fn links_the_sweep_had_no_time_to_judge_are_moved_aside() {
        // The same run swept twice: in time, and with the sweep's deadline
        // already past when it comes to the links.
        let run = |time: Option<std::time::Duration>| {
            let t = tempfile::tempdir().unwrap();
            let base = fs::canonicalize(t.path()).unwrap();
            let ws = base.join("ws");
            fs::create_dir_all(ws.join(".git/hooks")).unwrap();
            fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
            fs::create_dir_all(ws.join("src")).unwrap();
            fs::write(ws.join("src/main.js"), "m").unwrap();
            let roots = vec![ws.clone()];
            let writable = |p: &Path| p.starts_with(&ws);
            let found = find(&roots, 1000, 8);
            let before = snapshot(
                &git_dirs(&found.dirs, &found.pointers, &writable),
                &found.pointers,
                std::slice::from_ref(&base),
            );
            // The run: a link inside the writable tree, which a judged
            // sweep leaves.
            std::os::unix::fs::symlink("src/main.js", ws.join("index.js")).unwrap();
            SWEEP_TIME_IN_TEST.with(|c| c.set(time));
            let sw = sweep(
                &roots,
                &[],
                &writable,
                &|_| false,
                &|_, _| None,
                std::slice::from_ref(&base),
                &before,
            );
            SWEEP_TIME_IN_TEST.with(|c| c.set(None));
            let stays = fs::symlink_metadata(ws.join("index.js")).is_ok();
            let why: Vec<String> = sw.quarantined.iter().map(|q| q.why.clone()).collect();
            (stays, why)
        };
        let (stays, why) = run(None);
        assert!(stays, "{why:?}");
        let (stays, why) = run(Some(std::time::Duration::ZERO));
        assert!(!stays, "a link not judged in time stayed");
        assert!(
            why.iter()
                .any(|w| w.contains("not judged") && w.contains("reached its time bound")),
            "{why:?}"
        );
    }

    /// A tree with what the search acts on: plain directories, a pointer,
    /// a repository, a bare one, a special file in a git dir.
    fn walk_fixture() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(dir.path()).unwrap();
        for d in [
            "a/b/c",
            "a/d",
            "vendor/x",
            "repo/.git/objects/ab",
            "repo/.git/refs/heads",
            "bare.git/objects",
            "bare.git/refs",
            "deep/1/2/3/4",
        ] {
            fs::create_dir_all(ws.join(d)).unwrap();
        }
        fs::write(ws.join("a/file"), "").unwrap();
        fs::write(ws.join("vendor/x/.git"), "gitdir: ../../repo/.git\n").unwrap();
        fs::write(ws.join("repo/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(ws.join("bare.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        (dir, ws)
    }

    /// The search after the run given the record: pointers found, and the
    /// result.
    fn sweep_walk(ws: &Path, walk: Option<&Walk>) -> (Vec<PathBuf>, Found) {
        let mut pointers = Vec::new();
        let found = find_each_repairing(
            &[ws.to_path_buf()],
            10_000,
            20,
            &mut |p| {
                pointers.push(p);
                true
            },
            walk,
            None,
        );
        pointers.sort();
        (pointers, found)
    }

    /// The node recorded for `rel` below the root `ws`.
    fn node_of(w: &Walk, ws: &Path, rel: &str) -> u32 {
        let mut n = w.root(ws);
        for c in Path::new(rel).components() {
            n = w.child(n, c.as_os_str());
        }
        assert_ne!(n, NO_NODE, "{rel} not recorded");
        n
    }

    fn set_modified_back(p: &Path) {
        let f = fs::File::open(p).unwrap();
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000))
            .unwrap();
    }

    #[test]
    fn the_sweep_lists_again_only_what_changed_and_finds_what_a_full_search_finds() {
        let (_d, ws) = walk_fixture();
        let before = find(std::slice::from_ref(&ws), 10_000, 20);
        let mut walk = before.walk.expect("recorded");
        // Git dirs and what lies in them are not recorded: listed in full.
        assert_eq!(walk.recorded(), 13, "{walk:?}");
        // As if the search had begun in a later second than every change
        // so far: only a change of the recorded change time tells.
        walk.started = (walk.started.0 + 100, 0);
        let (pointers, found) = sweep_walk(&ws, Some(&walk));
        assert_eq!(found.listed, 8, "the git dirs and their subdirectories");
        assert_eq!(found.reused, 13);
        assert_eq!(pointers, before.pointers);
        assert_eq!(found.dirs, before.dirs);
        // The run: a pointer in a directory whose time is set back; a
        // repository in a new directory; a directory replaced by another
        // of the same name holding a pointer; a repository moved in.
        fs::write(ws.join("a/b/c/.git"), "gitdir: /elsewhere\n").unwrap();
        set_modified_back(&ws.join("a/b/c"));
        fs::create_dir_all(ws.join("new/r/.git/objects")).unwrap();
        fs::create_dir_all(ws.join("new/r/.git/refs")).unwrap();
        fs::write(ws.join("new/r/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::rename(ws.join("a/d"), ws.join("old-d")).unwrap();
        fs::create_dir_all(ws.join("a/d/e")).unwrap();
        fs::write(ws.join("a/d/e/.git"), "gitdir: /elsewhere\n").unwrap();
        set_modified_back(&ws.join("a/d"));
        set_modified_back(&ws.join("a"));
        let outside = tempfile::tempdir().unwrap();
        let out = fs::canonicalize(outside.path()).unwrap();
        fs::create_dir_all(out.join("m/n/o")).unwrap();
        fs::write(out.join("m/n/o/.git"), "gitdir: /elsewhere\n").unwrap();
        fs::rename(out.join("m"), ws.join("deep/1/2/m")).unwrap();
        set_modified_back(&ws.join("deep/1/2"));
        let full = find(std::slice::from_ref(&ws), 10_000, 20);
        let (pointers, found) = sweep_walk(&ws, Some(&walk));
        assert_eq!(pointers, full.pointers);
        assert_eq!(found.dirs, full.dirs);
        for p in ["a/b/c/.git", "a/d/e/.git", "deep/1/2/m/n/o/.git"] {
            assert!(pointers.contains(&ws.join(p)), "{p} missed: {pointers:?}");
        }
        assert!(found.dirs.contains(&ws.join("new/r/.git")), "{found:?}");
        // What did not change is still not listed.
        assert!(found.reused >= 5, "{found:?}");
        assert!(found.listed < full.listed, "{found:?} / {}", full.listed);
    }

    #[test]
    fn a_change_in_the_clock_tick_the_directory_was_recorded_in_counts() {
        let (_d, ws) = walk_fixture();
        let before = find(std::slice::from_ref(&ws), 10_000, 20);
        let mut walk = before.walk.expect("recorded");
        // The run plants a pointer in `a/b`; as if the file system's clock
        // were so coarse that the change got the very change time the
        // directory had when it was recorded, and that time lay in the
        // second the search began.
        fs::write(ws.join("a/b/.git"), "gitdir: /elsewhere\n").unwrap();
        let m = fs::symlink_metadata(ws.join("a/b")).unwrap();
        let n = node_of(&walk, &ws, "a/b");
        walk.dirs[n as usize].ctime = (m.ctime(), m.ctime_nsec());
        walk.started = (m.ctime(), m.ctime_nsec());
        let (pointers, _) = sweep_walk(&ws, Some(&walk));
        assert!(pointers.contains(&ws.join("a/b/.git")), "{pointers:?}");
        // Only that rule finds it: had the search begun a second later,
        // the directory would have been taken as recorded.
        walk.started = (m.ctime() + 1, 0);
        let (pointers, _) = sweep_walk(&ws, Some(&walk));
        assert!(!pointers.contains(&ws.join("a/b/.git")), "{pointers:?}");
        // The rule itself, on the boundary.
        let d = &walk.dirs[n as usize];
        assert_eq!(
            Walk::judge(d, d.ctime, (d.ctime.0, 0), true),
            Checked::Changed
        );
        assert_eq!(
            Walk::judge(d, d.ctime, (d.ctime.0 + 1, 0), true),
            Checked::Same
        );
        assert_eq!(
            Walk::judge(d, d.ctime, (d.ctime.0 + 1, 0), false),
            Checked::Changed
        );
        let later = (d.ctime.0, d.ctime.1 + 1);
        assert_eq!(
            Walk::judge(d, later, (d.ctime.0 + 1, 0), true),
            Checked::Changed
        );
    }

    #[test]
    fn a_record_is_not_used_after_the_clock_went_back() {
        let w = Walk::new((1000, 0), (50, 0));
        assert!(w.usable(Some((1000, 0)), Some((50, 0))));
        assert!(w.usable(Some((1010, 0)), Some((60, 0))));
        // Slewed a little slower than the boot clock: still usable.
        assert!(w.usable(Some((1009, 995_000_000)), Some((60, 0))));
        // Set back, even when it has caught up with the start since.
        assert!(!w.usable(Some((999, 999_999_999)), Some((50, 1))));
        assert!(!w.usable(Some((1005, 0)), Some((60, 0))));
        assert!(!w.usable(None, Some((60, 0))));
        let dropped = Walk {
            dropped: true,
            ..Walk::new((1000, 0), (50, 0))
        };
        assert!(!dropped.usable(Some((1010, 0)), Some((60, 0))));
    }

    #[test]
    fn helper_lines_the_scan_cannot_read_through_are_unknown() {
        for v in [
            "!git mystore",
            "!sh -c 'git credential-store --file /a \"$1\"' -",
            "!git -c alias.st='credential-store --file /a' st",
            "!/bin/bash -c 'exec git credential-store --file=/a get'",
            "!eval git credential-store --file /a",
        ] {
            let files = store_files(v);
            assert!(files.iter().any(|f| f.starts_with('$')), "{v}: {files:?}");
            // What the scan does find in it is hidden all the same.
            if !v.starts_with("!git m") {
                assert!(files.iter().any(|f| f == "/a"), "{v}: {files:?}");
            }
        }
        assert_eq!(store_files("!git credential-store --file /a get"), ["/a"]);
        assert!(store_files("!gh auth git-credential").is_empty());
        assert!(store_files("!git credential-manager get").is_empty());
        assert!(store_files("cache --timeout 300").is_empty());
    }

    fn ssh_files(v: &str) -> Vec<String> {
        ssh_command_secrets(v).files
    }

    #[test]
    fn the_identity_files_of_an_ssh_command_are_found() {
        assert_eq!(
            ssh_files("ssh -i ~/keys/deploy -o IdentitiesOnly=yes"),
            ["~/keys/deploy"]
        );
        assert_eq!(ssh_files("/usr/bin/ssh -vi/k/a"), ["/k/a"]);
        assert_eq!(
            ssh_files("ssh -o IdentityFile=/k/b -oidentityfile=/k/c"),
            ["/k/b", "/k/c"]
        );
        assert_eq!(ssh_files("ssh -p 22 -l git"), Vec::<String>::new());
        assert_eq!(ssh_files("env -i ssh"), Vec::<String>::new());
        assert!(ssh_files("ssh -i $KEY")[0].starts_with('$'));
    }

    #[test]
    fn ssh_secrets_behind_wrappers_and_in_every_option_form_are_found() {
        for v in [
            "timeout 30 ssh -i /k/a",
            "nice -n 5 ssh -i /k/a",
            "/usr/bin/env ssh -i /k/a",
            "env VAR=x ssh -i /k/a",
            "stdbuf -o0 ssh -i /k/a",
            "ionice -c3 ssh -i /k/a",
            "setsid ssh -i /k/a",
            "command ssh -i /k/a",
            "exec ssh -i /k/a",
            "my-own-wrapper --flag value /usr/bin/ssh -i /k/a",
            "ssh -o IdentityFile=/k/a",
            "ssh -oIdentityFile /k/a",
            "ssh -o 'IdentityFile /k/a'",
            "ssh -o \"IdentityFile = /k/a\"",
            "ssh -i/k/a",
            "ssh -4vi/k/a",
            "ssh -o CertificateFile=/k/a",
            "ssh -o certificatefile /k/a",
            "sshpass -f /k/a ssh",
            "sshpass -f/k/a ssh",
            "ssh -o 'ProxyCommand ssh -i /k/a -W %h:%p jump'",
            "sh -c 'ssh -i /k/a \"$@\"' -",
        ] {
            assert!(
                ssh_files(v).iter().any(|f| f == "/k/a"),
                "{v}: {:?}",
                ssh_files(v)
            );
        }
        assert_eq!(
            ssh_command_secrets("ssh -F /k/config").ssh_configs,
            ["/k/config"]
        );
        assert_eq!(
            ssh_command_secrets("timeout 9 ssh -F/k/config").ssh_configs,
            ["/k/config"]
        );
        assert_eq!(ssh_files("ssh -o IdentityFile=%d/k"), ["~/k"]);
        assert!(ssh_files("ssh -o IdentityFile=~/.ssh/%h")[0].starts_with('$'));
        // Ordinary ones: nothing unsure.
        for v in [
            "ssh -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new",
            "timeout 30 ssh -i /k/a -p 2222",
        ] {
            assert_eq!(ssh_command_secrets(v).unsure, None, "{v}");
        }
        // A shell's command line or an interpreter's text: unsure, and
        // their path-like words are guessed.
        for v in [
            "sh -c 'ssh -i /k/a \"$@\"' -",
            "python3 -c 'import os; os.execvp(\"ssh\", [\"ssh\", \"-i\", \"/k/a\"])'",
            "perl -e 'exec \"ssh\", \"-i\", \"/k/a\", @ARGV'",
        ] {
            let s = ssh_command_secrets(v);
            assert!(s.unsure.is_some(), "{v}");
            assert!(s.guessed.iter().any(|g| g == "/k/a"), "{v}: {s:?}");
        }
    }

    #[test]
    fn credential_stores_behind_wrappers_and_interpreters_are_found() {
        for v in [
            "!timeout 10 sh -c 'git credential-store --file /c/s \"$@\"'",
            "!/usr/bin/env bash -c 'git credential-store --file=/c/s \"$@\"' -",
            "!nice git credential-store --file /c/s",
        ] {
            let s = helper_secrets(v);
            assert!(s.files.iter().any(|f| f == "/c/s"), "{v}: {s:?}");
        }
        for v in [
            "!timeout 10 sh -c 'git credential-store --file /c/s \"$@\"'",
            "!/usr/bin/env bash -c 'git credential-store --file=/c/s \"$@\"' -",
            "!python3 -c 'print(open(\"/c/s\").read())'",
            "!timeout 5 git mystore",
        ] {
            assert!(helper_secrets(v).unsure.is_some(), "{v}");
        }
        let s = helper_secrets("!python3 -c 'print(open(\"/c/s\").read())'");
        assert_eq!(s.guessed, ["/c/s"]);
        for v in [
            "!gh auth git-credential",
            "cache --timeout 300",
            "store",
            "!nice git credential-store get",
            "!python3 -E -W error /opt/helper.py",
            "!perl -w /opt/helper.pl",
        ] {
            assert_eq!(helper_secrets(v).unsure, None, "{v}");
        }
    }

    #[test]
    fn the_users_ssh_configuration_names_keys_through_patterns_and_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let d = crate::plan::resolve_physical(dir.path());
        fs::create_dir_all(d.join(".ssh/config.d")).unwrap();
        fs::write(
            d.join(".ssh/config"),
            "Include config.d/*\nHost *\n  IdentityFile ~/keys/github\n  IdentityFile ~/.ssh/%h_key\n  ProxyCommand sh -c 'nc %h %p'\n",
        )
        .unwrap();
        fs::write(d.join(".ssh/config.d/work"), "IdentityFile=/c/work\n").unwrap();
        fs::write(d.join(".ssh/config.d/.hidden"), "IdentityFile=/c/no\n").unwrap();
        let (files, unknown) = ssh_user_config_secrets(std::slice::from_ref(&d));
        assert!(unknown.is_empty(), "{unknown:?}");
        for want in [d.join("keys/github"), PathBuf::from("/c/work")] {
            assert!(files.contains(&want), "{want:?}: {files:?}");
        }
        assert!(!files.contains(&PathBuf::from("/c/no")), "{files:?}");
        // A token outside `~/.ssh` cannot be located.
        fs::write(d.join(".ssh/config"), "IdentityFile ~/keys/%h\n").unwrap();
        let (_, unknown) = ssh_user_config_secrets(std::slice::from_ref(&d));
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(wildcard(b"*.conf", b"a.conf") && !wildcard(b"*.conf", b"a.cnf"));
        assert!(wildcard(b"w?rk", b"work") && !wildcard(b"*", b".x"));
    }

    #[test]
    fn an_ssh_configuration_is_hidden_with_the_keys_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let d = crate::plan::resolve_physical(dir.path());
        fs::create_dir_all(d.join(".ssh")).unwrap();
        fs::write(
            d.join("cfg"),
            "Host *\n  IdentityFile ~/keys/one\n  CertificateFile=/c/cert\n  Include extra\n",
        )
        .unwrap();
        fs::write(d.join(".ssh/extra"), "IdentityFile \"/c/two\"\n").unwrap();
        let s = ssh_command_secrets(&format!("ssh -F {}/cfg", d.display()));
        let (mut files, mut unknown) = (Vec::new(), Vec::new());
        locate_secrets(
            &s,
            std::slice::from_ref(&d),
            "e",
            true,
            &mut files,
            &mut unknown,
        );
        assert!(unknown.is_empty(), "{unknown:?}");
        for want in [
            d.join("cfg"),
            d.join("keys/one"),
            PathBuf::from("/c/cert"),
            d.join(".ssh/extra"),
            PathBuf::from("/c/two"),
        ] {
            assert!(files.contains(&want), "{want:?}: {files:?}");
        }
    }

    #[test]
    fn secret_files_of_the_global_configuration_are_credential_stores() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_path_buf();
        fs::write(
            home.join(".gitconfig"),
            "[http]\n\tcookieFile = ~/.gitcookies\n\tsslCAInfo = ~/ca.pem\n\
             [http \"https://x.example\"]\n\tsslKey = ~/certs/client.key\n\
             [user]\n\tsigningKey = ~/keys/id_sign\n\
             [core]\n\tsshCommand = ssh -i ~/keys/deploy\n",
        )
        .unwrap();
        let global = global_config(std::slice::from_ref(&home), &mut Budget::default());
        let (files, unknown) = global.credential_stores();
        assert!(unknown.is_empty(), "{unknown:?}");
        let home = crate::plan::resolve_physical(&home);
        for f in [
            ".gitcookies",
            "certs/client.key",
            "keys/id_sign",
            "keys/deploy",
        ] {
            assert!(files.contains(&home.join(f)), "{f}: {files:?}");
        }
        assert!(!files.contains(&home.join("ca.pem")), "{files:?}");
    }

    #[test]
    fn the_files_credential_store_is_given_are_found() {
        assert_eq!(store_files("store --file ~/creds/work"), ["~/creds/work"]);
        assert_eq!(store_files("store --file=/srv/creds"), ["/srv/creds"]);
        assert_eq!(
            store_files("!git credential-store --file /a/b get"),
            ["/a/b"]
        );
        assert_eq!(
            store_files("/usr/lib/git-core/git-credential-store --file=$HOME/c"),
            ["~/c"]
        );
        assert!(store_files("store --file $CREDS")[0].starts_with('$'));
        // git's option parser takes any unambiguous prefix of `--file`.
        for (v, want) in [
            ("store --fil ~/a", "~/a"),
            ("store --fi /b", "/b"),
            ("store --f=/c", "/c"),
            ("store --fil=$HOME/d", "~/d"),
            ("!git credential-store --fi=/e get", "/e"),
        ] {
            assert_eq!(store_files(v), [want], "{v}");
        }
        // Not the store's option, or after the end of its options.
        for none in [
            "store --files /a",
            "store --no-file",
            "store -- --file /a",
            "store --",
            "cache --file /a",
        ] {
            assert!(store_files(none).is_empty(), "{none}");
        }
        for none in ["store", "cache --timeout 300", "osxkeychain", "!pass git"] {
            assert!(store_files(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn files_the_global_configuration_reads_as_data_are_found() {
        let t = tempfile::tempdir().unwrap();
        let home = fs::canonicalize(t.path()).unwrap();
        fs::write(
            home.join(".gitconfig"),
            "[core]\n\texcludesFile = ~/dots/ignore\n\tpager = less\n\
             [mailmap]\n\tfile = /srv/mailmap\n[blame]\n\tignoreRevsFile = .git-blame-ignore-revs\n\
             [http \"https://example.com\"]\n\tsslCAInfo = ~/ca.pem\n\
             [credential]\n\thelper = store --file ~/creds\n",
        )
        .unwrap();
        let global = global_config(std::slice::from_ref(&home), &mut Budget::default());
        let data = global.data_files();
        for p in [
            home.join("dots/ignore"),
            PathBuf::from("/srv/mailmap"),
            home.join("ca.pem"),
            home.join(".config/git/ignore"),
            home.join(".config/git/attributes"),
        ] {
            assert!(data.contains(&p), "{} not in {data:?}", p.display());
        }
        assert!(!data.iter().any(|p| p.ends_with(".git-blame-ignore-revs")));
        assert_eq!(
            global.credential_stores(),
            (vec![home.join("creds")], vec![])
        );
    }

    /// The data keys of the global configuration, given in the caller's
    /// environment's configuration, name the same files.
    #[test]
    fn files_the_environment_configuration_reads_as_data_are_found() {
        let home = Path::new("/h");
        let env = vec![
            (
                "$GIT_CONFIG_PARAMETERS".to_string(),
                "'core.excludesFile'='~/dots/ignore' 'core.pager'='less'".to_string(),
                home.to_path_buf(),
            ),
            (
                "$GIT_CONFIG_KEY_0".to_string(),
                "Commit.Template=/w/msg".to_string(),
                home.to_path_buf(),
            ),
            (
                "$GIT_CONFIG_KEY_1".to_string(),
                "http.https://x.sslCAInfo=/w/ca.pem".to_string(),
                home.to_path_buf(),
            ),
            (
                "$GIT_CONFIG_KEY_2".to_string(),
                "mailmap.file=.mailmap".to_string(),
                home.to_path_buf(),
            ),
            (
                "$GIT_PAGER".to_string(),
                "/w/pager".to_string(),
                home.to_path_buf(),
            ),
        ];
        assert_eq!(
            data_of_environment(&env, home),
            vec![
                PathBuf::from("/h/dots/ignore"),
                PathBuf::from("/w/msg"),
                PathBuf::from("/w/ca.pem")
            ]
        );
        let secret = [(
            "$GIT_CONFIG_PARAMETERS".to_string(),
            "'http.https://x.sslKey'='~/k.pem' 'core.excludesFile'='/w/i'".to_string(),
            home.to_path_buf(),
        )];
        assert_eq!(
            secrets_of_environment(&secret, &[home.to_path_buf()]),
            vec![PathBuf::from("/h/k.pem")]
        );
        // `~` is every home git may run with (the caller's `$HOME` too).
        assert_eq!(
            secrets_of_environment(&secret, &[home.to_path_buf(), PathBuf::from("/u")]),
            vec![PathBuf::from("/h/k.pem"), PathBuf::from("/u/k.pem")]
        );
        let relative = [(
            "$GIT_CONFIG_PARAMETERS".to_string(),
            "'http.sslKey'='certs/k.pem' 'http.sslCAInfo'='ca.pem'".to_string(),
            home.to_path_buf(),
        )];
        assert_eq!(relative_secrets_of_environment(&relative), ["certs/k.pem"]);
        // Kept as data, not judged as something that runs (no gap).
        let read = ConfigRead {
            programs: env[1..3].to_vec(),
            ..ConfigRead::default()
        };
        for n in read.named() {
            assert!(n.mentioned.is_empty() && n.paths.is_empty(), "{n:?}");
        }
    }

    /// A repository's own configuration (and what it includes) names data
    /// files as the global one does: they are entries of its git dir.
    #[test]
    fn files_a_repository_configuration_reads_as_data_are_entries() {
        let t = tempfile::tempdir().unwrap();
        let home = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(home.join("ws/.git")).unwrap();
        fs::write(home.join("dots-ignore"), "x\n").unwrap();
        fs::write(home.join("msg"), "x\n").unwrap();
        fs::write(
            home.join("ws/.git/config"),
            "[core]\n\texcludesFile = ~/dots-ignore\n\
             [include]\n\tpath = ../../inc\n\
             [blame]\n\tignoreRevsFile = .git-blame-ignore-revs\n",
        )
        .unwrap();
        fs::write(home.join("inc"), "[commit]\n\ttemplate = ~/msg\n").unwrap();
        let e = entries(
            &home.join("ws/.git"),
            std::slice::from_ref(&home),
            &mut Budget::default(),
        );
        for p in [home.join("dots-ignore"), home.join("msg"), home.join("inc")] {
            assert!(e.paths.contains(&p), "{} not in {:?}", p.display(), e.paths);
        }
        assert!(!e
            .paths
            .iter()
            .any(|p| p.ends_with(".git-blame-ignore-revs")));
    }

    #[test]
    fn credential_stores_of_a_repository_and_of_git_c_in_aliases_are_found() {
        let t = tempfile::tempdir().unwrap();
        let home = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(home.join("ws/.git")).unwrap();
        fs::write(
            home.join("ws/.git/config"),
            "[credential]\n\thelper = store --file ~/work/creds\n\
             [alias]\n\tpushw = -c credential.helper='store --file ~/alias' push\n\
             \tpullw = \"!git -c credential.https://x.helper='store --file=/srv/c' pull\"\n\
             \tpushx = -c credential.helper='store --file creds' push\n",
        )
        .unwrap();
        let read = repository_config(
            &home.join("ws/.git"),
            std::slice::from_ref(&home),
            &mut Budget::default(),
        );
        let (files, unknown) = read.credential_stores_in(Some(std::slice::from_ref(&home)));
        assert_eq!(
            files,
            vec![
                PathBuf::from("/srv/c"),
                home.join("alias"),
                home.join("work/creds")
            ]
        );
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(unknown[0].starts_with("alias.pushx"), "{unknown:?}");
    }

    #[test]
    fn programs_of_the_callers_environment_are_judged_as_the_configurations() {
        let home = PathBuf::from("/h");
        let ws = PathBuf::from("/h/dotfiles");
        let read = ConfigRead {
            programs: vec![
                (
                    "$EDITOR".into(),
                    "/h/dotfiles/bin/edit".into(),
                    home.clone(),
                ),
                ("$PAGER".into(), "less -R".into(), home.clone()),
            ],
            ..ConfigRead::default()
        };
        let tree_of = |p: &Path| p.starts_with(&ws).then(|| ws.clone());
        let held = |_: &Path| None;
        let named = read.named();
        assert_eq!(named[0].entry, "EDITOR=/h/dotfiles/bin/edit");
        let gap = named[0].gap(&tree_of, &held, false).unwrap();
        assert!(gap.starts_with("the caller's environment names"), "{gap}");
        assert_eq!(named[1].gap(&tree_of, &held, false), None);
    }

    #[test]
    fn hooks_a_hooks_directory_runs_one_level_up_are_hooks_by_name() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(ws.join(".git")).unwrap();
        fs::write(ws.join(".git/config"), "[core]\n\thooksPath = .husky/_\n").unwrap();
        let mut budget = Budget::default();
        let h = hooks_dirs(
            &ws.join(".git"),
            std::slice::from_ref(&ws),
            &|_| true,
            &[],
            &ConfigRead::default(),
            &mut budget,
        );
        assert_eq!(h.paths, vec![ws.join(".husky/_")]);
        assert!(h.hooks_by_name.contains(&ws.join(".husky/post-checkout")));
        assert!(h.hooks_by_name.contains(&ws.join(".husky/pre-commit")));
    }

    #[test]
    fn hooks_one_level_up_are_taken_beside_a_linked_hooks_directory_and_its_target() {
        let t = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(ws.join(".git")).unwrap();
        fs::create_dir_all(ws.join(".husky")).unwrap();
        fs::create_dir_all(ws.join("tools/stubs")).unwrap();
        std::os::unix::fs::symlink("../tools/stubs", ws.join(".husky/_")).unwrap();
        fs::write(ws.join(".git/config"), "[core]\n\thooksPath = .husky/_\n").unwrap();
        let h = hooks_dirs(
            &ws.join(".git"),
            std::slice::from_ref(&ws),
            &|_| true,
            &[],
            &ConfigRead::default(),
            &mut Budget::default(),
        );
        assert_eq!(h.paths, vec![ws.join("tools/stubs")]);
        assert!(h.hooks_by_name.contains(&ws.join(".husky/post-commit")));
        assert!(h.hooks_by_name.contains(&ws.join("tools/post-commit")));
    }

    /// exec16 H7: the search for links and dot entries reads every
    /// directory however many entries the trees hold, enters no link and
    /// no `.git`, takes a kept dot directory whole, and stops only at its
    /// time (or depth).
    #[test]
    fn links_and_dot_entries_are_searched_for_past_any_number_of_entries() {
        let dir = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(dir.path()).unwrap();
        for d in ["flood", "z/build", ".vscode/sub", "repo/.git", "linked"] {
            fs::create_dir_all(ws.join(d)).unwrap();
        }
        for i in 0..10_000 {
            fs::write(ws.join(format!("flood/{i}")), "").unwrap();
        }
        std::os::unix::fs::symlink("/outside", ws.join("z/build/run.log")).unwrap();
        std::os::unix::fs::symlink("../linked", ws.join("z/through")).unwrap();
        std::os::unix::fs::symlink("/outside", ws.join("linked/x")).unwrap();
        std::os::unix::fs::symlink("/outside", ws.join("repo/.git/l")).unwrap();
        std::os::unix::fs::symlink("/outside", ws.join(".vscode/sub/l")).unwrap();
        fs::write(ws.join(".envrc"), "").unwrap();
        let link = |_: &Path| true;
        let dot = |_: &Path| true;
        let keep = Keep {
            link: &link,
            dot: Some(&dot),
            known_git_dir: &|_| false,
        };
        let later = std::time::Instant::now() + SWEEP_TIME;
        let f = find_links_and_dots(std::slice::from_ref(&ws), &keep, later);
        assert!(f.complete, "{:?}", f.stopped);
        assert!(f.entries > 10_000);
        let rel = |v: &[PathBuf]| {
            let mut v: Vec<String> = v
                .iter()
                .map(|p| p.strip_prefix(&ws).unwrap().display().to_string())
                .collect();
            v.sort();
            v
        };
        assert_eq!(rel(&f.links), ["linked/x", "z/build/run.log", "z/through"]);
        assert_eq!(rel(&f.dots), [".envrc", ".vscode"]);
        // Without dot entries: links below a dot directory are found too.
        let keep = Keep {
            link: &link,
            dot: None,
            known_git_dir: &|_| false,
        };
        let f = find_links_and_dots(std::slice::from_ref(&ws), &keep, later);
        assert_eq!(
            rel(&f.links),
            [".vscode/sub/l", "linked/x", "z/build/run.log", "z/through"]
        );
        // Out of time: incomplete, and said why.
        let f = find_links_and_dots(std::slice::from_ref(&ws), &keep, std::time::Instant::now());
        assert!(!f.complete);
        assert!(f.stopped.unwrap().contains("stopped"));
    }

    /// exec16 H5: a link is the user's when the search before the run
    /// recorded it at that name with that inode; a hard link to it (a new
    /// name, the same inode, a moved change time) and a link put in its
    /// place are not.
    #[test]
    fn a_link_is_told_from_the_users_by_name_and_inode() {
        let dir = tempfile::tempdir().unwrap();
        let ws = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(ws.join("sub")).unwrap();
        std::os::unix::fs::symlink("/outside", ws.join("sub/vendor")).unwrap();
        std::os::unix::fs::symlink("/outside", ws.join("sub/other")).unwrap();
        let walk = find(std::slice::from_ref(&ws), 10_000, 20).walk.unwrap();
        fs::hard_link(ws.join("sub/vendor"), ws.join("sub/made")).unwrap();
        fs::remove_file(ws.join("sub/other")).unwrap();
        std::os::unix::fs::symlink("/elsewhere", ws.join("sub/other")).unwrap();
        let there = |rel: &str| {
            let m = fs::symlink_metadata(ws.join(rel)).unwrap();
            walk.link_was_there(&ws.join(rel), m.dev(), m.ino())
        };
        assert_eq!(there("sub/vendor"), Some(true));
        assert_eq!(there("sub/made"), Some(false));
        assert_eq!(there("sub/other"), Some(false));
        // A directory made, or renamed there, was not there: nor were the
        // links in it, whatever their change times (exec18).
        fs::create_dir_all(ws.join("new")).unwrap();
        std::os::unix::fs::symlink("/outside", ws.join("new/l")).unwrap();
        assert_eq!(there("new/l"), Some(false));
        fs::rename(ws.join("sub"), ws.join("moved")).unwrap();
        assert_eq!(there("moved/vendor"), Some(false));
        fs::create_dir_all(ws.join("sub")).unwrap();
        fs::rename(ws.join("moved/vendor"), ws.join("sub/vendor")).unwrap();
        assert_eq!(there("sub/vendor"), Some(false));
        let m = fs::symlink_metadata(ws.join("new")).unwrap();
        assert_eq!(
            walk.dir_was_there(&ws.join("new"), m.dev(), m.ino()),
            Some(false)
        );
        let m = fs::symlink_metadata(&ws).unwrap();
        assert_eq!(walk.dir_was_there(&ws, m.dev(), m.ino()), Some(true));
    }
}
