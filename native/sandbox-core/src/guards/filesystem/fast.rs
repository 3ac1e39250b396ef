//! One `openat2` for the directory of a path (Linux): the fast path of resolution.
//!
//! The resolver of [`super::resolve`] looks every component up on its own
//! (`statx` of `/a`, `/a/b`, …), because the guard needs to know whether a
//! link is on the way and what each component is. When the directory of a
//! path has no link on the way, exists, and lies on the mount of `/`, the
//! kernel can say so in one call: `openat2(O_PATH | O_DIRECTORY |
//! O_NOFOLLOW, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
//! RESOLVE_NO_XDEV)`. A `statx` of the last name in that descriptor (not
//! following a link) gives its type and identity, or says it does not exist.
//! That is four system calls for any depth (with `close` and the watch
//! check below) where the walk makes one per component. Everything else
//! falls back to the walk: a link on the way (`ELOOP`) or as last component,
//! a missing directory, a mount point on the way (`EXDEV`) or as last
//! component, no search permission, a component that is not a directory,
//! `.` or `..`, a kernel without `openat2` (`ENOSYS`), any other error.
//!
//! **Why the decision stays the walk's.** The walk also reads the identity
//! (device, inode) of every component, for the rule "a component on the way
//! is a blocked or protected entry under another name" (renamed, bind
//! mounted, hard linked). The fast path reads only the last one. It is used
//! only while the following holds, which makes the others unnecessary:
//!
//! - every blocked or protected entry known by identity, and every directory
//!   above it, was reached from `/` without a link and without crossing a
//!   mount, and is watched (inotify: moved, deleted) since then; the watch
//!   was checked to hold the inode at that path *after* it was placed;
//! - the root's filesystem keeps (device, inode) unique (ext2/3/4, XFS,
//!   Btrfs, tmpfs, F2FS: not overlayfs, whose inode numbers may repeat
//!   across layers, nor network filesystems);
//! - no watched entry has changed (a non-blocking `read` of the inotify
//!   descriptor at each check; after any event the guard walks for good).
//!
//! A directory has one name on its mount, so a directory of the checked
//! path (which lies on the mount of `/`, with no link) that *is* such an
//! entry is reached by the entry's own path, which the path rules of the
//! judgement (blocked, protected) decide first and in the same way as the
//! identity rule would. A file can only be the last component, whose
//! identity the fast path reads. Watched inodes stay allocated, so their
//! numbers cannot be taken by another file while the fast path relies on
//! them.
//!
//! The watches of all guards of a process share one inotify descriptor
//! (instances are limited per user), each guard remembering its own watch
//! descriptors; an event marks the watch it names as changed.

use std::collections::HashSet;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use rustix::fd::{AsRawFd, OwnedFd};
use rustix::fs::inotify::{self, CreateFlags, WatchFlags};
use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags, ResolveFlags, StatxFlags};
use rustix::io::Errno;

use super::platform::Name;
use super::resolve::{FileId, Resolved};

/// Longest path tried in one call (bytes, with the NUL); longer ones walk.
const MAX_PATH: usize = 4096;

/// `statfs` magic numbers of the filesystems whose (device, inode) pairs
/// are unique (see the module comment).
const UNIQUE_INODE_FILESYSTEMS: &[u64] = &[
    0xEF53,      // ext2, ext3, ext4
    0x5846_5342, // XFS
    0x9123_683E, // Btrfs (one device number per subvolume)
    0x0102_1994, // tmpfs
    0xF2F5_2010, // F2FS
];

/// The process-wide inotify descriptor and what its events said.
#[derive(Debug)]
struct Watcher {
    fd: OwnedFd,
    /// Watch descriptors that reported a change.
    changed: Mutex<HashSet<i32>>,
    /// Set when the kernel dropped events (queue overflow): every watch counts as changed.
    overflowed: AtomicBool,
    /// Bumped whenever `changed` or `overflowed` grows.
    epoch: AtomicU64,
}

impl Watcher {
    fn get() -> Option<&'static Watcher> {
        static WATCHER: OnceLock<Option<Watcher>> = OnceLock::new();
        WATCHER
            .get_or_init(|| {
                let fd = inotify::init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK).ok()?;
                Some(Watcher {
                    fd,
                    changed: Mutex::new(HashSet::new()),
                    overflowed: AtomicBool::new(false),
                    epoch: AtomicU64::new(0),
                })
            })
            .as_ref()
    }

    /// Read every pending event (one `read` when there is none).
    ///
    /// The set stays locked while the descriptor is read, so an event read
    /// by another thread is recorded before this call can return: otherwise
    /// a check could find the queue empty while the event that turns its
    /// fast path off is still on its way into the set.
    fn drain(&self) {
        let Ok(mut set) = self.changed.lock() else {
            self.overflowed.store(true, Ordering::SeqCst);
            self.epoch.fetch_add(1, Ordering::SeqCst);
            return;
        };
        let mut buf = [MaybeUninit::<u8>::uninit(); 1024];
        let mut reader = inotify::Reader::new(&self.fd, &mut buf);
        loop {
            match reader.next() {
                Ok(event) => {
                    let wd = event.wd();
                    if wd < 0 || event.events().contains(inotify::ReadFlags::QUEUE_OVERFLOW) {
                        self.overflowed.store(true, Ordering::SeqCst);
                    } else {
                        set.insert(wd);
                    }
                    self.epoch.fetch_add(1, Ordering::SeqCst);
                }
                Err(Errno::AGAIN) => return,
                Err(Errno::INTR) => continue,
                Err(_) => {
                    // The descriptor cannot be read: trust no watch.
                    self.overflowed.store(true, Ordering::SeqCst);
                    self.epoch.fetch_add(1, Ordering::SeqCst);
                    return;
                }
            }
        }
    }
}

/// The fast path of one guard: see the module comment.
#[derive(Debug)]
pub(crate) struct FastPath {
    /// `/` as it was when the guard was built (`O_PATH`).
    root: OwnedFd,
    /// The mount `root` is on: every path taken must end on it.
    root_mnt: u64,
    /// This guard's watch descriptors (sorted); empty when nothing is known by identity.
    wds: Vec<i32>,
    /// The watcher's epoch this guard last compared its watches at.
    seen: AtomicU64,
    /// Set for good once a watch changed or the kernel refused `openat2`.
    off: AtomicBool,
}

impl FastPath {
    /// Set the fast path up for a guard whose entries known by identity
    /// are `known` (physical components, identity when the guard was
    /// built). `None` when any condition of the module comment fails: the
    /// guard then always walks.
    pub(crate) fn new(known: &[(&[Name], FileId)]) -> Option<FastPath> {
        let root = rfs::open(
            "/",
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        let fs = rfs::fstatfs(&root).ok()?;
        // The field's integer type differs between targets.
        #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
        let magic = fs.f_type as u64;
        if !UNIQUE_INODE_FILESYSTEMS.contains(&magic) {
            return None;
        }
        let st = rfs::statx(&root, "", AtFlags::EMPTY_PATH, StatxFlags::MNT_ID).ok()?;
        if !StatxFlags::from_bits_retain(st.stx_mask).contains(StatxFlags::MNT_ID) {
            return None;
        }
        let mut fast = FastPath {
            root,
            root_mnt: st.stx_mnt_id,
            wds: Vec::new(),
            seen: AtomicU64::new(0),
            off: AtomicBool::new(false),
        };
        // `openat2` must work here at all (the root itself).
        fast.open_checked(&[])?;
        if known.is_empty() {
            return Some(fast);
        }
        let watcher = Watcher::get()?;
        fast.seen = AtomicU64::new(watcher.epoch.load(Ordering::SeqCst));
        // Every entry and every directory above it (not `/`, which cannot
        // move), each once.
        let mut prefixes: Vec<&[Name]> = Vec::new();
        let mut seen: HashSet<&[Name]> = HashSet::new();
        for (comps, _) in known {
            for k in 1..=comps.len() {
                if seen.insert(&comps[..k]) {
                    prefixes.push(&comps[..k]);
                }
            }
        }
        // 1. Watch the inode each prefix names now, through its descriptor.
        let mut ids = Vec::with_capacity(prefixes.len());
        for p in &prefixes {
            let (fd, id, _) = fast.open_checked(p)?;
            let proc = format!("/proc/self/fd/{}", fd.as_raw_fd());
            let wd = inotify::add_watch(
                &watcher.fd,
                proc,
                WatchFlags::MOVE_SELF | WatchFlags::DELETE_SELF,
            )
            .ok()?;
            fast.wds.push(wd);
            ids.push(id);
        }
        // 2. With every watch in place, each path still names the watched
        // inode, and each entry is the one the guard knows: whatever moves
        // from now on is reported.
        for (p, id) in prefixes.iter().zip(&ids) {
            if fast.open_checked(p)?.1 != *id {
                return None;
            }
        }
        for (comps, id) in known {
            if fast.open_checked(comps)?.1 != *id {
                return None;
            }
        }
        fast.wds.sort_unstable();
        fast.wds.dedup();
        Some(fast)
    }

    /// `openat2` of absolute plain components from `/` with the rules of
    /// the module comment (`O_PATH`; a directory when `dir`). `None` on any
    /// failure (and the fast path off for good when the kernel lacks the call).
    fn open(&self, comps: &[Name], dir: bool) -> Option<OwnedFd> {
        let mut buf = [0u8; MAX_PATH];
        let mut len = 0usize;
        if comps.is_empty() {
            buf[0] = b'/';
            len = 1;
        }
        for c in comps {
            if !plain(c) || len + 1 + c.len() + 1 > MAX_PATH {
                return None;
            }
            buf[len] = b'/';
            buf[len + 1..len + 1 + c.len()].copy_from_slice(c);
            len += 1 + c.len();
        }
        let path = std::ffi::CStr::from_bytes_with_nul(&buf[..=len]).ok()?;
        let mut flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        if dir {
            flags |= OFlags::DIRECTORY;
        }
        match rfs::openat2(
            &self.root,
            path,
            flags,
            Mode::empty(),
            ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS | ResolveFlags::NO_XDEV,
        ) {
            Ok(fd) => Some(fd),
            Err(Errno::NOSYS) => {
                self.off.store(true, Ordering::Relaxed);
                None
            }
            Err(_) => None,
        }
    }

    /// `statx` of `name` in the directory `fd` (of `fd` itself when `None`),
    /// not following a final link: the identity and the type, `Ok(None)`
    /// when the name does not exist. An error for any other failure and for
    /// an entry on another mount (a mount point as last component).
    fn stat(&self, fd: &OwnedFd, name: Option<&[u8]>) -> Result<Option<(FileId, FileType)>, ()> {
        let mut buf = [0u8; MAX_PATH];
        let (flags, len) = match name {
            None => (AtFlags::EMPTY_PATH | AtFlags::SYMLINK_NOFOLLOW, 0),
            Some(n) if plain(n) && n.len() < MAX_PATH => {
                buf[..n.len()].copy_from_slice(n);
                (AtFlags::SYMLINK_NOFOLLOW, n.len())
            }
            Some(_) => return Err(()),
        };
        let path = std::ffi::CStr::from_bytes_with_nul(&buf[..=len]).map_err(|_| ())?;
        let need = StatxFlags::TYPE | StatxFlags::INO | StatxFlags::MNT_ID;
        let st = match rfs::statx(fd, path, flags, need) {
            Ok(st) => st,
            Err(Errno::NOENT) if name.is_some() => return Ok(None),
            Err(_) => return Err(()),
        };
        if !StatxFlags::from_bits_retain(st.stx_mask).contains(need)
            || st.stx_mnt_id != self.root_mnt
        {
            return Err(());
        }
        let kind = FileType::from_raw_mode(u32::from(st.stx_mode));
        let dev = rfs::makedev(st.stx_dev_major, st.stx_dev_minor);
        Ok(Some(((dev, st.stx_ino), kind)))
    }

    /// The descriptor, identity and type of what absolute plain components
    /// name, in one `openat2`; `None` on any failure or a final link.
    fn open_checked(&self, comps: &[Name]) -> Option<(OwnedFd, FileId, FileType)> {
        let fd = self.open(comps, false)?;
        let (id, kind) = self.stat(&fd, None).ok()??;
        (kind != FileType::Symlink).then_some((fd, id, kind))
    }

    /// Whether a watched entry of this guard changed (or events were lost).
    fn changed(&self) -> bool {
        if self.wds.is_empty() {
            return false;
        }
        let Some(watcher) = Watcher::get() else {
            return true;
        };
        watcher.drain();
        let epoch = watcher.epoch.load(Ordering::SeqCst);
        if epoch == self.seen.load(Ordering::SeqCst) {
            return false;
        }
        if watcher.overflowed.load(Ordering::SeqCst) {
            return true;
        }
        let hit = match watcher.changed.lock() {
            Ok(set) => self.wds.iter().any(|wd| set.contains(wd)),
            Err(_) => true,
        };
        if !hit {
            self.seen.store(epoch, Ordering::SeqCst);
        }
        hit
    }

    /// The resolution of absolute components when the fast path applies
    /// (see the module comment); `None` when the walk must decide. The
    /// directory is opened in one call and the last component looked up in
    /// it, so a missing last component is answered too. `follow_last` needs
    /// no care: a final link is never answered.
    pub(crate) fn resolve(&self, comps: &[Name]) -> Option<Resolved> {
        if self.off.load(Ordering::Relaxed) {
            return None;
        }
        // `/` itself: the walk looks nothing up.
        let (last, parent) = comps.split_last()?;
        if !comps.iter().all(|c| plain(c)) {
            return None;
        }
        // The walk's last lookup names the whole path, which the kernel
        // refuses from PATH_MAX bytes on (with the NUL): so must this.
        let whole: usize = comps.iter().map(|c| 1 + c.len()).sum();
        if whole + 1 > MAX_PATH {
            return None;
        }
        let dir = self.open(parent, true)?;
        let found = self.stat(&dir, Some(last));
        drop(dir);
        let found = found.ok()?;
        if matches!(found, Some((_, FileType::Symlink))) {
            return None;
        }
        // Read after the lookups: a move reported by then is seen.
        if self.changed() {
            self.off.store(true, Ordering::Relaxed);
            return None;
        }
        let mut ids = vec![None; comps.len()];
        if let (Some(slot), Some((id, _))) = (ids.last_mut(), found) {
            *slot = Some(id);
        }
        Some(Resolved {
            comps: comps.to_vec(),
            exists: found.is_some(),
            links: Vec::new(),
            ids,
        })
    }
}

/// A component the fast path takes: a name, not `.` or `..`, no `/` or NUL.
fn plain(c: &[u8]) -> bool {
    !c.is_empty() && c != b"." && c != b".." && !c.contains(&b'/') && !c.contains(&0)
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use super::super::platform::{posix_components, Platform};
    use super::super::resolve::{resolve, HostFs};
    use super::super::tests::{pol, Fx};
    use super::super::{FileOperation as Op, FileRequest, FilesystemGuard, FilesystemMode};
    use super::*;

    fn comps(p: &Path) -> Vec<Name> {
        posix_components(p.as_os_str().as_bytes())
    }

    /// Where the fast path answers, it answers what the walk answers (both
    /// ways of treating a final link); `true` when it answered.
    #[track_caller]
    fn agrees(fast: &FastPath, path: &Path) -> bool {
        let c = comps(path);
        let Some(r) = fast.resolve(&c) else {
            return false;
        };
        for follow_last in [true, false] {
            let w = resolve(&HostFs, Platform::Linux, &c, follow_last)
                .unwrap_or_else(|e| panic!("{path:?}: the walk fails ({e:?})"));
            assert_eq!(r.comps, w.comps, "{path:?}");
            assert_eq!(r.exists, w.exists, "{path:?}");
            assert_eq!(r.links, w.links, "{path:?}");
            assert_eq!(r.ids.len(), w.ids.len(), "{path:?}");
            assert_eq!(r.ids.last(), w.ids.last(), "{path:?}");
        }
        true
    }

    /// The tree of the agreement tests, under `fx`'s root: plain
    /// directories and files, links on the way and at the end, a dangling
    /// link, a file where a directory is expected.
    fn tree(fx: &Fx) {
        fx.file("ws/a/b/c/file.txt", "x");
        fx.dir("ws/a/b/empty");
        fx.link("ws/abs", &fx.p("ws/a/b"));
        fx.link("ws/rel", "a/b");
        fx.link("ws/a/b/c/last", "file.txt");
        fx.link("ws/dangling", &fx.p("ws/nowhere/x"));
    }

    #[test]
    fn one_call_agrees_with_the_walk() {
        let fx = Fx::new();
        tree(&fx);
        let fast = FastPath::new(&[]).expect("this filesystem takes the fast path");
        // Plain existing paths: answered in one call, as the walk answers.
        for p in [
            "ws/a/b/c/file.txt",
            "ws/a/b/c",
            "ws/a/b/empty",
            "ws",
            "home/u/.ssh/id_rsa",
        ] {
            assert!(agrees(&fast, &fx.path(p)), "{p}: not answered in one call");
        }
        // `/` itself: the walk has nothing to look up.
        assert!(!agrees(&fast, Path::new("/")));
        // A missing last component below an existing directory: answered.
        for p in ["ws/missing", "ws/a/b/c/new.txt"] {
            assert!(agrees(&fast, &fx.path(p)), "{p}: not answered in one call");
        }
        // Links on the way or at the end, missing components, `.` and
        // `..`, a file used as a directory: left to the walk.
        for p in [
            "ws/abs/c/file.txt",
            "ws/rel/c",
            "ws/a/b/c/last",
            "ws/dangling",
            "ws/missing/deeper/x",
            "ws/dangling/x",
            "ws/a/b/c/file.txt/x",
            "ws/a/./b",
            "ws/a/b/../b/c",
            "ws/a/missing/../b",
        ] {
            assert!(!agrees(&fast, &fx.path(p)), "{p}: answered in one call");
        }
        // A path the kernel refuses as too long as a whole, although its
        // directory and its last name are not.
        let mut long = fx.path("ws");
        for i in 0..16 {
            long.push(format!("{i:0>250}"));
            std::fs::create_dir(&long).unwrap();
        }
        long.push("x".repeat(200));
        assert!(long.as_os_str().len() >= MAX_PATH);
        assert!(!agrees(&fast, &long));
        assert!(resolve(&HostFs, Platform::Linux, &comps(&long), true).is_err());
        // A mount point on the way or as last component: /proc is another mount.
        assert!(!agrees(&fast, Path::new("/proc/self/status")));
        assert!(!agrees(&fast, Path::new("/proc")));
    }

    /// Every decision of a guard with the fast path is the decision of the
    /// same guard without it (the walk only), trailing slashes and all.
    #[test]
    fn decisions_are_the_walks() {
        let fx = Fx::new();
        tree(&fx);
        fx.file("ws/secrets/key", "S");
        fx.file("home/u/.aws/credentials", "C");
        let policies = [
            pol(
                FilesystemMode::Workspace,
                &[],
                &["secrets", "~/.aws", "/etc"],
            ),
            pol(FilesystemMode::Strict, &["a/b"], &["a/b/c/file.txt"]),
            pol(FilesystemMode::Permissive, &[], &["**/*.txt"]),
        ];
        let paths = [
            "a/b/c/file.txt",
            "a/b/c/file.txt/",
            "a/b/c/",
            "a/b/c/.",
            "abs/c/file.txt",
            "rel/c/",
            "a/b/c/last",
            "dangling",
            "missing/x",
            "a/b/c/new.txt",
            "newfile",
            "secrets/new",
            "a/../a/b/c/file.txt",
            "secrets/key",
            "secrets",
            "~/.aws/credentials",
            "~/.ssh/id_rsa",
            "~/.bashrc",
            "/etc/passwd",
            "/proc/self/status",
            "/dev/null",
        ];
        for p in &policies {
            let g = fx.guard(p);
            assert!(g.fast.is_some(), "no fast path for {p:?}");
            let mut walk = g.clone();
            walk.fast = None;
            for path in paths {
                for op in [Op::Read, Op::Write, Op::Create, Op::Delete, Op::List] {
                    let req = FileRequest::new(path, op);
                    assert_eq!(g.check(&req), walk.check(&req), "{path} {op:?} {p:?}");
                }
            }
        }
    }

    /// An entry known by identity that moves turns the fast path off: the
    /// walk then finds it under its new name.
    #[test]
    fn a_moved_entry_turns_the_fast_path_off() {
        let fx = Fx::new();
        fx.file("ws/secrets/key", "S");
        fx.dir("ws/other");
        let g = fx.guard(&pol(FilesystemMode::Workspace, &[], &["secrets"]));
        let fast = g.fast.clone().expect("fast path");
        assert!(fast.resolve(&comps(&fx.path("ws/other"))).is_some());
        std::fs::rename(fx.path("ws/secrets"), fx.path("ws/other/moved")).unwrap();
        assert!(fast.resolve(&comps(&fx.path("ws/other"))).is_none());
        let d = g.check(&FileRequest::new("other/moved/key", Op::Read));
        assert!(d.reason.contains("same file"), "{d:?}");
        // A directory above the entry moving counts too.
        let fx = Fx::new();
        fx.file("ws/deep/secrets/key", "S");
        let g = fx.guard(&pol(FilesystemMode::Workspace, &[], &["deep/secrets"]));
        let fast = g.fast.clone().expect("fast path");
        std::fs::rename(fx.path("ws/deep"), fx.path("ws/shallow")).unwrap();
        assert!(fast.resolve(&comps(&fx.path("ws"))).is_none());
    }

    /// A move is seen by the check that follows it even while other threads
    /// read the shared inotify descriptor: an event one of them has taken
    /// off the queue but not yet recorded must not let a check through.
    #[test]
    fn a_move_is_seen_while_other_threads_read_the_events() {
        use std::sync::atomic::AtomicBool;
        use std::sync::Arc;
        let stop = Arc::new(AtomicBool::new(false));
        let mut readers = Vec::new();
        for _ in 0..2 {
            let stop = stop.clone();
            readers.push(std::thread::spawn(move || {
                let fx = Fx::new();
                fx.file("ws/secrets/key", "S");
                let g = fx.guard(&pol(FilesystemMode::Workspace, &[], &["secrets"]));
                let fast = g.fast.clone().expect("fast path");
                let ws = comps(&fx.path("ws"));
                while !stop.load(Ordering::Relaxed) {
                    // Each call drains the shared descriptor.
                    let _ = fast.resolve(&ws);
                }
            }));
        }
        for _ in 0..300 {
            let fx = Fx::new();
            fx.file("ws/secrets/key", "S");
            fx.dir("ws/other");
            let g = fx.guard(&pol(FilesystemMode::Workspace, &[], &["secrets"]));
            let fast = g.fast.clone().expect("fast path");
            std::fs::rename(fx.path("ws/secrets"), fx.path("ws/other/moved")).unwrap();
            let seen = fast.resolve(&comps(&fx.path("ws/other"))).is_none();
            if !seen {
                stop.store(true, Ordering::Relaxed);
            }
            assert!(seen, "a check after the move took the fast path");
        }
        stop.store(true, Ordering::Relaxed);
        for r in readers {
            r.join().unwrap();
        }
    }

    /// Whether this process may read a file it has no permission for
    /// (root, CAP_DAC_OVERRIDE): then permission tests prove nothing.
    fn privileged() -> bool {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, "x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
        std::fs::read(&f).is_ok()
    }

    /// A directory without search permission on the way: the one call fails
    /// and the walk decides (its error names the component). Run as an
    /// unprivileged user; as root, the test runs itself again as the user
    /// `sandbox-test` when there is one (and `setpriv`).
    #[test]
    fn no_search_permission_is_left_to_the_walk() {
        if privileged() {
            let user = std::process::Command::new("id")
                .args(["-u", "sandbox-test"])
                .output();
            let Ok(out) = user else { return };
            if !out.status.success() {
                eprintln!("no user sandbox-test: the permission case is not run");
                return;
            }
            let uid = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let exe = std::env::current_exe().unwrap();
            let status = std::process::Command::new("setpriv")
                .arg(format!("--reuid={uid}"))
                .arg(format!("--regid={uid}"))
                .arg("--clear-groups")
                .arg(&exe)
                .args([
                    "--exact",
                    "guards::filesystem::fast::tests::no_search_permission_is_left_to_the_walk",
                    "--test-threads=1",
                ])
                .env("TMPDIR", "/tmp")
                .status();
            match status {
                Ok(s) => assert!(s.success(), "the unprivileged run failed"),
                Err(e) => eprintln!("setpriv: {e}: the permission case is not run"),
            }
            return;
        }
        let fx = Fx::new();
        tree(&fx);
        let fast = FastPath::new(&[]).expect("fast path");
        let locked = fx.path("ws/a/b");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o600)).unwrap();
        let c = comps(&fx.path("ws/a/b/c/file.txt"));
        assert!(fast.resolve(&c).is_none());
        assert!(resolve(&HostFs, Platform::Linux, &c, true).is_err());
        // Search permission without read permission: the kernel walks through.
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o100)).unwrap();
        assert!(agrees(&fast, &fx.path("ws/a/b/c/file.txt")));
        let g = fx.guard(&pol(FilesystemMode::Workspace, &[], &[]));
        let mut walk = g.clone();
        walk.fast = None;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o600)).unwrap();
        for path in ["a/b/c/file.txt", "a/b", "a/b/c/missing"] {
            let req = FileRequest::new(path, Op::Read);
            assert_eq!(g.check(&req), walk.check(&req), "{path}");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    }

    #[test]
    fn guards_for_other_platforms_walk() {
        let g = FilesystemGuard::for_platform(
            &pol(FilesystemMode::Workspace, &[], &[]),
            &Default::default(),
            "/ws",
            "/home/u",
            Platform::MacOs,
        )
        .unwrap();
        assert!(g.fast.is_none());
    }
}
