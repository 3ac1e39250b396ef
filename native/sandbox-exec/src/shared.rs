//! Files of the writable trees that share their inode with a name outside
//! them (hard links), given their own copy before the run.
//!
//! A write goes to the inode, not to the name: a file in a writable tree
//! that is also a name in a read-only place (another repository, a package
//! cache, another project) lets the command change that place by writing
//! through the name it may write. Ordinary tools make such files: a local
//! `git clone /path` hard-links every object and pack of the source
//! repository, uv (`link-mode=hardlink`, its default on Linux), pnpm and
//! `conda create -p` hard-link installed files to their global caches,
//! ccache's `hard_link` its objects.
//!
//! Before the run, the writable trees are searched (one `fstatat` per
//! regular file, links not followed, each directory once by identity); a
//! regular file whose link count is higher than the number of its names
//! found in them has a name elsewhere. Each such name is replaced (copy to
//! a new file in the same directory, then `rename` over the name) by a
//! file of its own with the same content, mode, owner and times; names of
//! the file inside the writable trees stay links to each other. The
//! outside names keep the old inode, which no name in a writable tree
//! reaches any more. A read-only bind of each such file would stop writes
//! too, but a mount point cannot be removed or renamed over (`EBUSY`),
//! which breaks what git, uv and pnpm do when they replace or remove a
//! file; a copy of its own breaks nothing.
//!
//! Links made during the run cannot reach outside: `link` across mounts
//! fails (`EXDEV`), and Landlock refuses to link a file into a hierarchy
//! where it would gain rights.

use std::collections::{HashMap, HashSet};
use std::ffi::{CString, OsStr};
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::git::nofollow;

/// Entries visited in all writable trees before the search gives up (a
/// gap: nothing is copied then). 4–9 µs an entry measured (docs/exec.md).
pub const WALK_LIMIT: usize = 1_000_000;
/// Most files given their own copy before one run; beyond, nothing is
/// copied and the run is partial.
pub const COPY_FILES: usize = 100_000;
/// Most bytes copied before one run; beyond, nothing is copied and the
/// run is partial.
pub const COPY_BYTES: u64 = 1 << 30;

/// A regular file of the writable trees with a name outside them.
#[derive(Debug)]
pub struct Shared {
    /// Its names found in the writable trees.
    pub names: Vec<PathBuf>,
    pub nlink: u64,
    pub size: u64,
    dev: u64,
    ino: u64,
}

/// What the search found.
#[derive(Debug, Default)]
pub struct Search {
    pub shared: Vec<Shared>,
    /// Why the search is incomplete (nothing is copied then).
    pub gaps: Vec<String>,
    pub notes: Vec<String>,
    /// Entries visited.
    pub entries: usize,
}

fn cstr(s: &OsStr) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn stat_at(dir: &OwnedFd, name: &OsStr) -> io::Result<libc::stat> {
    let c = cstr(name)?;
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
    Ok(st)
}

fn fstat(fd: &OwnedFd) -> io::Result<libc::stat> {
    // SAFETY: `stat` is plain integers, filled in by the call.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor and `stat` buffer.
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(st)
}

fn euid() -> u32 {
    // SAFETY: no arguments, cannot fail.
    unsafe { libc::geteuid() }
}

/// Whether this user could change the file `name` in `dir` (status `st`):
/// root, its owner (who may `chmod` it), or one it grants writing.
fn changeable(dir: &OwnedFd, name: &OsStr, st: &libc::stat) -> bool {
    let me = euid();
    if me == 0 || st.st_uid == me {
        return true;
    }
    let Ok(c) = cstr(name) else { return true };
    // SAFETY: a valid descriptor and C string.
    unsafe { libc::faccessat(dir.as_raw_fd(), c.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
}

/// The regular files below `roots` whose link count is higher than the
/// number of their names found there, which this user could change.
pub fn find(roots: &[PathBuf], limit: usize) -> Search {
    let mut out = Search::default();
    // (dev, ino) → (status, names, changeable)
    let mut by_id: HashMap<(u64, u64), (libc::stat, Vec<PathBuf>, bool)> = HashMap::new();
    let mut dirs_seen: HashSet<(u64, u64)> = HashSet::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(d) = stack.pop() {
        let mut lister = match nofollow::Lister::open(&d) {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                // Not listable by this user: a directory it owns it could
                // open with `chmod`, and so could the command.
                let owned = nofollow::lstat_last(&d)
                    .map(|s| euid() == 0 || s.st_uid == euid())
                    .unwrap_or(true);
                if owned {
                    out.gaps.push(format!(
                        "{} cannot be listed, so its files were not searched for names outside the writable trees (hard links); make it readable",
                        d.display()
                    ));
                } else {
                    out.notes.push(format!(
                        "{} belongs to another user and cannot be listed: its files were not searched for names outside the writable trees (hard links)",
                        d.display()
                    ));
                }
                continue;
            }
            Err(e) => {
                out.gaps.push(format!(
                    "{} could not be searched for files with names outside the writable trees (hard links): {e}",
                    d.display()
                ));
                continue;
            }
        };
        // A directory reached twice (writable trees one inside the other,
        // a bind mount) is searched once: a name counts once.
        match fstat(lister.fd()) {
            Ok(st) => {
                if !dirs_seen.insert((st.st_dev, st.st_ino)) {
                    continue;
                }
            }
            Err(e) => {
                out.gaps.push(format!("{}: {e}", d.display()));
                continue;
            }
        }
        loop {
            let entry = match lister.next_entry() {
                Ok(Some(e)) => e,
                Ok(None) => break,
                Err(e) => {
                    out.gaps.push(format!("{}: {e}", d.display()));
                    break;
                }
            };
            out.entries += 1;
            if out.entries > limit {
                out.gaps.push(format!(
                    "the writable trees hold more than {limit} entries: they were not all searched for files with names outside them (hard links), and none was given its own copy"
                ));
                out.shared.clear();
                return out;
            }
            let (name, kind) = entry;
            match kind {
                nofollow::Kind::Dir => stack.push(d.join(&name)),
                nofollow::Kind::Other => {
                    let st = match stat_at(lister.fd(), &name) {
                        Ok(st) => st,
                        // Gone meanwhile.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(e) => {
                            out.gaps.push(format!("{}: {e}", d.join(&name).display()));
                            continue;
                        }
                    };
                    if st.st_mode & libc::S_IFMT != libc::S_IFREG || st.st_nlink <= 1 {
                        continue;
                    }
                    let e = by_id
                        .entry((st.st_dev, st.st_ino))
                        .or_insert_with(|| (st, Vec::new(), false));
                    e.1.push(d.join(&name));
                    e.2 = e.2 || changeable(lister.fd(), &name, &st);
                }
                _ => {}
            }
        }
    }
    for ((dev, ino), (st, mut names, can)) in by_id {
        // `st_nlink` is not 64 bits wide on every target.
        #[allow(clippy::unnecessary_cast)]
        let nlink = st.st_nlink as u64;
        if (names.len() as u64) < nlink && can {
            names.sort();
            out.shared.push(Shared {
                names,
                nlink,
                size: st.st_size as u64,
                dev,
                ino,
            });
        }
    }
    out.shared.sort_by(|a, b| a.names.cmp(&b.names));
    out
}

fn split(p: &Path) -> io::Result<(&Path, &OsStr)> {
    match (p.parent(), p.file_name()) {
        (Some(d), Some(n)) => Ok((d, n)),
        _ => Err(io::Error::from(io::ErrorKind::InvalidInput)),
    }
}

fn open_dir(d: &Path) -> io::Result<OwnedFd> {
    nofollow::open(d, libc::O_RDONLY | libc::O_DIRECTORY)
}

fn openat(dir: &OwnedFd, name: &OsStr, flags: i32, mode: libc::mode_t) -> io::Result<OwnedFd> {
    let c = cstr(name)?;
    // SAFETY: a valid descriptor and C string; the result is owned here.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            c.as_ptr(),
            flags | libc::O_CLOEXEC | libc::O_NOFOLLOW,
            mode as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor nobody else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn renameat(dir_a: &OwnedFd, a: &OsStr, dir_b: &OwnedFd, b: &OsStr) -> io::Result<()> {
    let (ca, cb) = (cstr(a)?, cstr(b)?);
    // SAFETY: valid descriptors and C strings.
    if unsafe {
        libc::renameat(
            dir_a.as_raw_fd(),
            ca.as_ptr(),
            dir_b.as_raw_fd(),
            cb.as_ptr(),
        )
    } != 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn unlinkat(dir: &OwnedFd, name: &OsStr) {
    if let Ok(c) = cstr(name) {
        // SAFETY: a valid descriptor and C string.
        unsafe { libc::unlinkat(dir.as_raw_fd(), c.as_ptr(), 0) };
    }
}

/// A name for a new file in a directory, unlikely to be taken (creation
/// is exclusive anyway).
fn temp_name(seq: &mut u64) -> std::ffi::OsString {
    *seq += 1;
    format!(".ku0-unshare-{}-{}", std::process::id(), seq).into()
}

/// Give the file `f` (its names in the writable trees) a new inode with
/// the same content, mode, owner and times; its names in the writable
/// trees become links to the new one.
fn unshare(f: &Shared, seq: &mut u64) -> io::Result<()> {
    let (dir, name) = split(&f.names[0])?;
    let dfd = open_dir(dir)?;
    let src = openat(
        &dfd,
        name,
        libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY,
        0,
    )?;
    let st = fstat(&src)?;
    if (st.st_dev, st.st_ino) != (f.dev, f.ino) || st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(io::Error::other("replaced since it was searched"));
    }
    let mut tmp = temp_name(seq);
    let dst = loop {
        match openat(
            &dfd,
            &tmp,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL,
            0o600,
        ) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => tmp = temp_name(seq),
            r => break r?,
        }
    };
    let done = (|| -> io::Result<()> {
        let mut from = fs::File::from(src);
        let mut to = fs::File::from(dst);
        // `copy_file_range` (a reflink where the file system shares blocks).
        let n = io::copy(&mut from, &mut to)?;
        if n != st.st_size as u64 {
            return Err(io::Error::other("its size changed while it was copied"));
        }
        let fd = to.as_raw_fd();
        // Owner first: `chown` clears set-id bits, `chmod` puts them back.
        if euid() == 0 {
            // SAFETY: a valid descriptor.
            if unsafe { libc::fchown(fd, st.st_uid, st.st_gid) } != 0 {
                return Err(io::Error::last_os_error());
            }
        } else {
            // The group, where this user may give it (a member of it).
            // SAFETY: a valid descriptor; -1 keeps the owner.
            unsafe { libc::fchown(fd, u32::MAX, st.st_gid) };
        }
        // SAFETY: a valid descriptor.
        if unsafe { libc::fchmod(fd, st.st_mode & 0o7777) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let times = [
            libc::timespec {
                tv_sec: st.st_atime,
                tv_nsec: st.st_atime_nsec,
            },
            libc::timespec {
                tv_sec: st.st_mtime,
                tv_nsec: st.st_mtime_nsec,
            },
        ];
        // SAFETY: a valid descriptor and two `timespec`s.
        if unsafe { libc::futimens(fd, times.as_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // The name still the file copied: then it becomes the copy.
        let now = stat_at(&dfd, name)?;
        if (now.st_dev, now.st_ino) != (f.dev, f.ino) {
            return Err(io::Error::other("replaced since it was searched"));
        }
        renameat(&dfd, &tmp, &dfd, name)
    })();
    if let Err(e) = done {
        unlinkat(&dfd, &tmp);
        return Err(e);
    }
    // The file's other names in the writable trees: links to the copy.
    for other in &f.names[1..] {
        let (d2, n2) = split(other)?;
        let d2fd = open_dir(d2)?;
        let now = stat_at(&d2fd, n2)?;
        if (now.st_dev, now.st_ino) != (f.dev, f.ino) {
            continue;
        }
        let t2 = temp_name(seq);
        let (cn, ct) = (cstr(name)?, cstr(&t2)?);
        // SAFETY: valid descriptors and C strings.
        if unsafe {
            libc::linkat(
                dfd.as_raw_fd(),
                cn.as_ptr(),
                d2fd.as_raw_fd(),
                ct.as_ptr(),
                0,
            )
        } != 0
        {
            return Err(io::Error::last_os_error());
        }
        if let Err(e) = renameat(&d2fd, &t2, &d2fd, n2) {
            unlinkat(&d2fd, &t2);
            return Err(e);
        }
    }
    Ok(())
}

/// Search `writable` and give every file found with a name outside them
/// its own copy, within [`COPY_FILES`] and [`COPY_BYTES`], except those
/// whose identity is in `keep`. What cannot be
/// done is a gap (the run is partial); what was done, a note.
///
/// Returns the identities (device, inode) of the files copied: their
/// names outside keep them, and a hidden one among those names had its
/// content in a writable tree (the plan says so).
pub fn make_private(
    writable: &[PathBuf],
    keep: &HashSet<(u64, u64)>,
    gaps: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> HashSet<(u64, u64)> {
    let mut copied = HashSet::new();
    let mut s = find(writable, WALK_LIMIT);
    s.shared.retain(|f| !keep.contains(&(f.dev, f.ino)));
    notes.extend(s.notes);
    if !s.gaps.is_empty() {
        gaps.extend(s.gaps);
        return copied;
    }
    if s.shared.is_empty() {
        return copied;
    }
    let bytes: u64 = s.shared.iter().map(|f| f.size).sum();
    let fix = "give them single names before the run (a local clone: `git repack -a -d` in it, or clone with `--no-hardlinks`; uv: `--link-mode=copy`; pnpm: `package-import-method=copy`; conda: `--copy`)";
    if s.shared.len() > COPY_FILES || bytes > COPY_BYTES {
        gaps.push(format!(
            "{} files ({bytes} bytes) in the writable trees are hard links to names outside them (first: {}, {} names): the command could change those through them, and they are more than the helper copies before a run ({COPY_FILES} files, {COPY_BYTES} bytes); {fix}",
            s.shared.len(),
            s.shared[0].names[0].display(),
            s.shared[0].nlink
        ));
        return copied;
    }
    let mut seq = 0;
    let mut failed = Vec::new();
    for f in &s.shared {
        match unshare(f, &mut seq) {
            Ok(()) => {
                copied.insert((f.dev, f.ino));
            }
            Err(e) => failed.push(format!("{}: {e}", f.names[0].display())),
        }
    }
    let done = s.shared.len() - failed.len();
    if done > 0 {
        let first: Vec<String> = s
            .shared
            .iter()
            .take(3)
            .map(|f| f.names[0].display().to_string())
            .collect();
        notes.push(format!(
            "{done} files in the writable trees were hard links to names outside them (a local `git clone`, uv, pnpm and conda make such links; e.g. {}): each was given its own copy, same content, mode and times, before the command started, so that it cannot change the names outside",
            first.join(", ")
        ));
    }
    if !failed.is_empty() {
        gaps.push(format!(
            "{} files in the writable trees are hard links to names outside them and could not be given their own copy: the command could change those through them ({}); {fix}",
            failed.len(),
            failed.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
        ));
    }
    copied
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn tree() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        let ws = root.join("ws");
        let out = root.join("out");
        fs::create_dir_all(ws.join("a/b")).unwrap();
        fs::create_dir_all(&out).unwrap();
        (t, ws, out)
    }

    #[test]
    fn only_files_with_a_name_outside_are_found() {
        let (_t, ws, out) = tree();
        fs::write(out.join("cache"), "c").unwrap();
        fs::hard_link(out.join("cache"), ws.join("a/b/m.py")).unwrap();
        fs::hard_link(out.join("cache"), ws.join("a/m2.py")).unwrap();
        fs::write(ws.join("inside"), "i").unwrap();
        fs::hard_link(ws.join("inside"), ws.join("a/inside2")).unwrap();
        fs::write(ws.join("single"), "s").unwrap();
        let s = find(std::slice::from_ref(&ws), WALK_LIMIT);
        assert!(s.gaps.is_empty(), "{:?}", s.gaps);
        assert_eq!(s.shared.len(), 1, "{s:?}");
        assert_eq!(
            s.shared[0].names,
            vec![ws.join("a/b/m.py"), ws.join("a/m2.py")]
        );
        assert_eq!(s.shared[0].nlink, 3);
        // Roots one inside the other count each name once.
        let s = find(&[ws.clone(), ws.join("a")], WALK_LIMIT);
        assert_eq!(s.shared.len(), 1, "{s:?}");
        assert_eq!(s.shared[0].names.len(), 2);
        // Past the bound: a gap, nothing to copy.
        let s = find(std::slice::from_ref(&ws), 3);
        assert!(s.shared.is_empty() && !s.gaps.is_empty(), "{s:?}");
    }

    #[test]
    fn a_shared_file_gets_its_own_copy_and_keeps_its_inside_links() {
        use std::os::unix::fs::PermissionsExt;
        let (_t, ws, out) = tree();
        let cache = out.join("cache");
        fs::write(&cache, "content\n").unwrap();
        fs::set_permissions(&cache, fs::Permissions::from_mode(0o444)).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::open(&cache).unwrap().set_modified(old).unwrap();
        fs::hard_link(&cache, ws.join("a/b/m.py")).unwrap();
        fs::hard_link(&cache, ws.join("a/m2.py")).unwrap();
        let (mut gaps, mut notes) = (Vec::new(), Vec::new());
        make_private(
            std::slice::from_ref(&ws),
            &HashSet::new(),
            &mut gaps,
            &mut notes,
        );
        assert!(gaps.is_empty(), "{gaps:?}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        let c = fs::metadata(&cache).unwrap();
        let m = fs::metadata(ws.join("a/b/m.py")).unwrap();
        let m2 = fs::metadata(ws.join("a/m2.py")).unwrap();
        assert_eq!(c.nlink(), 1);
        assert_ne!(c.ino(), m.ino());
        assert_eq!((m.ino(), m.nlink()), (m2.ino(), 2));
        assert_eq!(m.mode() & 0o7777, 0o444);
        assert_eq!(m.modified().unwrap(), old);
        assert_eq!(fs::read(ws.join("a/b/m.py")).unwrap(), b"content\n");
        // Nothing left over in the directories.
        let names: Vec<_> = fs::read_dir(ws.join("a/b")).unwrap().collect();
        assert_eq!(names.len(), 1);
        // A second search finds nothing.
        assert!(find(std::slice::from_ref(&ws), WALK_LIMIT)
            .shared
            .is_empty());
    }

    /// The cost measured for docs/exec.md: `cargo test --release -p
    /// sandbox-exec --bin sandbox-exec shared::tests::cost -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn cost() {
        let (_t, ws, out) = tree();
        for d in 0..100 {
            let dir = ws.join(format!("d{d}"));
            fs::create_dir_all(&dir).unwrap();
            for i in 0..1000 {
                fs::write(dir.join(format!("f{i}")), "x").unwrap();
            }
        }
        let t = std::time::Instant::now();
        let s = find(std::slice::from_ref(&ws), WALK_LIMIT);
        println!(
            "search, 100 000 files: {:?} ({} entries)",
            t.elapsed(),
            s.entries
        );
        let linked = ws.join("linked");
        for d in 0..10 {
            fs::create_dir_all(out.join(format!("c{d}"))).unwrap();
            fs::create_dir_all(linked.join(format!("c{d}"))).unwrap();
            for i in 0..1000 {
                let rel = format!("c{d}/f{i}.py");
                fs::write(out.join(&rel), [b'x'; 4096]).unwrap();
                fs::hard_link(out.join(&rel), linked.join(&rel)).unwrap();
            }
        }
        let t = std::time::Instant::now();
        let s = find(std::slice::from_ref(&ws), WALK_LIMIT);
        println!(
            "search, 110 000 files, 10 000 linked: {:?} ({} found)",
            t.elapsed(),
            s.shared.len()
        );
        let t = std::time::Instant::now();
        let (mut gaps, mut notes) = (Vec::new(), Vec::new());
        make_private(
            std::slice::from_ref(&ws),
            &HashSet::new(),
            &mut gaps,
            &mut notes,
        );
        println!(
            "search and copy of 10 000 files of 4 KiB: {:?}",
            t.elapsed()
        );
        assert!(gaps.is_empty(), "{gaps:?}");
        let t = std::time::Instant::now();
        make_private(
            std::slice::from_ref(&ws),
            &HashSet::new(),
            &mut gaps,
            &mut notes,
        );
        println!("the next run's search: {:?}", t.elapsed());
    }
}
