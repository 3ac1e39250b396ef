//! Applies the plan's mount operations inside the child's private mount
//! namespace: gives the run a private temporary directory, hides blocked
//! paths and makes protected files read-only. Landlock can only allow; these
//! mounts are what make "blocked even inside a readable tree" and
//! "read-only even inside the workspace" hold.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::sys;
use crate::plan::{MountKind, MountOp};

fn err(op: &MountOp, what: &str, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{what} {} ({}): {e}", op.path.display(), op.why),
    )
}

fn cstr(s: &str) -> CString {
    CString::new(s).expect("no NUL")
}

/// Bind `path` onto itself (recursively) and set it read-only or writable.
fn bind_self(path: &CString, read_only: bool) -> io::Result<()> {
    sys::mount(Some(path), path, None, libc::MS_BIND | libc::MS_REC, None)?;
    sys::set_mount_read_only(path, read_only)
}

/// [`MountKind::Lock`]: the directory and each of its directories and
/// regular files bound onto themselves (recursively, so mounts below them
/// stay as they are, each entry keeping the flags it had), then only the
/// directory's own mount made read-only: no name can be added, removed or
/// renamed in it, while the entries are used as before. Links, sockets and
/// FIFOs are not bound (a bind would follow a link); they stay as they are,
/// in the read-only directory. An entry that cannot be bound (removed
/// meanwhile by someone outside, a file system this user cannot reach) or
/// a directory that cannot be listed leaves those entries read-only:
/// never less locked, at worst less writable.
fn lock_dir(path: &Path, target: &CString) -> io::Result<()> {
    sys::mount(
        Some(target),
        target,
        None,
        libc::MS_BIND | libc::MS_REC,
        None,
    )?;
    let entries = std::fs::read_dir(path).into_iter().flatten().flatten();
    let mut bound = 0;
    for e in entries {
        if bound == crate::plan::LOCK_ENTRY_LIMIT {
            break;
        }
        if !e.file_type().is_ok_and(|t| t.is_dir() || t.is_file()) {
            continue;
        }
        let Ok(c) = sys::cstring(&e.path()) else {
            continue;
        };
        if sys::mount(Some(&c), &c, None, libc::MS_BIND | libc::MS_REC, None).is_ok() {
            bound += 1;
        }
    }
    sys::set_mount_read_only(target, true)
}

/// Path of an open descriptor, usable as a mount source or target even
/// when its name is covered later.
fn fd_path(fd: &OwnedFd) -> CString {
    CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd())).expect("no NUL")
}

/// `p` (a directory or file) opened with no link in any component, checked to be
/// the one the plan found (`id`: device and inode).
fn open_planned(p: &Path, id: (u64, u64)) -> io::Result<OwnedFd> {
    use std::os::unix::fs::MetadataExt;
    let changed = |why: String| {
        io::Error::other(format!(
            "writable tree {} is no longer the directory planned ({why}): a process outside replaced it while the run started; nothing was run",
            p.display()
        ))
    };
    let fd = crate::git::nofollow::open(p, libc::O_PATH).map_err(|e| changed(e.to_string()))?;
    let m = std::fs::File::from(fd.try_clone()?).metadata()?;
    if (m.dev(), m.ino()) != id {
        return Err(changed("another directory".into()));
    }
    Ok(fd)
}

fn open_path(p: &Path) -> io::Result<OwnedFd> {
    Ok(std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH)
        .open(p)?
        .into())
}

/// The shape of the child's file-system view beyond the plan's operations.
pub struct View<'a> {
    /// Make every mount read-only except binds of these trees (the
    /// writable roots and the run's temporary directory). `None` in
    /// `permissive` mode, where the policy lets the command write anywhere.
    pub writable_roots: Option<&'a [PathBuf]>,
    /// Device and inode the plan found for the first of `writable_roots`
    /// (the plan's writable trees; the temporary directory is the run's own).
    pub writable_ids: &'a [(u64, u64)],
    /// Mount a `/proc` of the child's own PID namespace.
    pub new_proc: bool,
    /// Mount a fresh `/dev/shm` tmpfs and `/dev/mqueue` of the child's own
    /// IPC namespace.
    pub new_ipc: bool,
    /// Bytes each tmpfs the run can write to may hold (see [`tmpfs_size`]).
    pub tmpfs_size: u64,
    /// Replace `/dev` by a minimal one of the run's own (see [`private_dev`]).
    pub private_dev: bool,
    /// The process is in a cgroup namespace of its own (cgroup v2): mount
    /// a cgroup2 file system of it, read-only, on `/sys/fs/cgroup`.
    pub own_cgroup: bool,
    /// Otherwise, or when that mount fails: cover `/sys/fs/cgroup` with an
    /// empty read-only tmpfs (cgroup v1 hierarchies cannot be remounted
    /// for a namespace without privileges). The run's limits are set and
    /// watched by the helper outside, so they keep working.
    pub hide_cgroups: bool,
}

/// Device nodes of the host a command needs, bound into the run's `/dev`;
/// `ptmx` and `pts` are replaced by the run's own devpts instance later
/// (see [`super::pty`]) and stay the host's only when that fails.
const DEV_NODES: &[&str] = &["null", "zero", "full", "random", "urandom", "tty", "ptmx"];
/// Directories of the run's `/dev`: mount points for the host's `pts` (until
/// the private devpts covers it) and the run's `shm` and `mqueue`.
const DEV_DIRS: &[&str] = &["pts", "shm", "mqueue"];
/// Links every `/dev` has.
const DEV_LINKS: &[(&str, &str)] = &[
    ("fd", "/proc/self/fd"),
    ("stdin", "/proc/self/fd/0"),
    ("stdout", "/proc/self/fd/1"),
    ("stderr", "/proc/self/fd/2"),
];

/// A `/dev` of the run's own, as bubblewrap's `--dev`: a small tmpfs with
/// binds of only the device nodes in [`DEV_NODES`], so that the host's
/// consoles, serial ports, console screen memory (`vcs*`), input, sound
/// and disk devices are not there to be opened, whatever their modes.
/// Made read-only once filled: the command can create nothing in it.
fn private_dev() -> io::Result<()> {
    let ctx = |what: String| {
        move |e: io::Error| io::Error::new(e.kind(), format!("private /dev: {what}: {e}"))
    };
    // The host's nodes, held before the tmpfs covers them.
    let mut nodes = Vec::with_capacity(DEV_NODES.len() + 1);
    for name in DEV_NODES.iter().chain(&["pts"]) {
        if let Ok(fd) = open_path(&Path::new("/dev").join(name)) {
            nodes.push((*name, fd));
        }
    }
    let dev = cstr("/dev");
    let tmpfs = cstr("tmpfs");
    sys::mount(
        Some(&tmpfs),
        &dev,
        Some(&tmpfs),
        libc::MS_NOSUID | libc::MS_NOEXEC,
        Some(&cstr("mode=755,size=64k,nr_inodes=64")),
    )
    .map_err(ctx("tmpfs".into()))?;
    for name in DEV_DIRS {
        std::fs::DirBuilder::new()
            .mode(0o755)
            .create(Path::new("/dev").join(name))
            .map_err(ctx(name.to_string()))?;
    }
    for (name, target) in DEV_LINKS {
        std::os::unix::fs::symlink(target, Path::new("/dev").join(name))
            .map_err(ctx(name.to_string()))?;
    }
    for (name, fd) in &nodes {
        let at = Path::new("/dev").join(name);
        if *name != "pts" {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o644)
                .open(&at)
                .map_err(ctx(name.to_string()))?;
        }
        let c = sys::cstring(&at)?;
        sys::mount(Some(&fd_path(fd)), &c, None, libc::MS_BIND, None)
            .map_err(ctx(format!("bind {name}")))?;
    }
    sys::mount(
        None,
        &dev,
        None,
        libc::MS_REMOUNT | libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NOEXEC,
        None,
    )
    .map_err(ctx("read-only".into()))
}

/// Size of each tmpfs a run may write to (`/dev/shm`, the private
/// `TMPDIR`) without `max_memory`.
pub const DEFAULT_TMPFS_SIZE: u64 = 512 << 20;

/// The `size=` of the run's tmpfs mounts: `max_memory` when the policy sets
/// it, else [`DEFAULT_TMPFS_SIZE`]. Pages on a tmpfs belong to no process,
/// so killing processes does not free them: unbounded (the kernel's
/// default is half the RAM), a command could fill memory until the kernel
/// killed the helper instead.
pub fn tmpfs_size(max_memory: Option<u64>) -> u64 {
    max_memory.unwrap_or(DEFAULT_TMPFS_SIZE).max(4096)
}

/// Read-only view of everything outside the writable roots (as
/// bubblewrap's `--ro-bind`): Landlock does not govern chmod, chown,
/// utimes or extended attributes, a read-only mount refuses them all.
/// Device nodes stay usable: writes to character devices and ptys do not
/// need a writable mount. Then a private `/proc`, `/dev/shm` and
/// `/dev/mqueue`, writable like a normal system's.
fn apply_view(view: &View<'_>) -> io::Result<()> {
    let ctx =
        |what: &'static str| move |e: io::Error| io::Error::new(e.kind(), format!("{what}: {e}"));
    if let Some(roots) = view.writable_roots {
        // Binds first, while their mounts still carry the host's flags;
        // then everything read-only, then the binds writable again (only
        // their top mounts: a mount below a writable root that the host
        // made read-only stays read-only).
        // A planned tree is bound through a descriptor of the very
        // directory the plan found, opened with no link on the way: a
        // parent that a process outside can write may have had the path
        // swapped for a link since, and a bind by path would then make
        // the link's target writable.
        let mut targets = Vec::with_capacity(roots.len());
        let mut planned = Vec::with_capacity(roots.len());
        for (i, r) in roots.iter().enumerate() {
            let (c, fd) = match view.writable_ids.get(i) {
                Some(id) => {
                    let fd = open_planned(r, *id)?;
                    (cstr(&format!("/proc/self/fd/{}", fd.as_raw_fd())), Some(fd))
                }
                None => (sys::cstring(r)?, None),
            };
            sys::mount(Some(&c), &c, None, libc::MS_BIND | libc::MS_REC, None).map_err(|e| {
                io::Error::new(e.kind(), format!("writable bind {}: {e}", r.display()))
            })?;
            targets.push(c);
            planned.push(fd);
        }
        sys::make_tree_read_only(&cstr("/")).map_err(ctx("read-only view"))?;
        for (i, r) in roots.iter().enumerate() {
            // The new bind is what the path leads to now, or the run fails:
            // made writable through a descriptor of it, never by path.
            let c = match (&planned[i], view.writable_ids.get(i)) {
                (Some(below), Some(id)) => {
                    let top = open_planned(r, *id)?;
                    if sys::mount_id(&top)? == sys::mount_id(below)? {
                        return Err(io::Error::other(format!(
                            "writable tree {} was moved while the run started; nothing was run",
                            r.display()
                        )));
                    }
                    let c = cstr(&format!("/proc/self/fd/{}", top.as_raw_fd()));
                    planned[i] = Some(top);
                    c
                }
                _ => targets[i].clone(),
            };
            match sys::set_mount_read_only(&c, false) {
                // Read-only on the host already (a locked flag): it stays so.
                Err(e) if e.raw_os_error() == Some(libc::EPERM) => {}
                r2 => r2.map_err(|e| {
                    io::Error::new(e.kind(), format!("writable bind {}: {e}", r.display()))
                })?,
            }
        }
    }
    if view.private_dev {
        private_dev()?;
    }
    // Other runs' cgroups (their helpers' pids, process counts, memory
    // use) and the host's are not the run's business.
    let cgroups = cstr("/sys/fs/cgroup");
    let ro = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC | libc::MS_RDONLY;
    let own = view.own_cgroup && {
        let cg = cstr("cgroup2");
        sys::mount(Some(&cg), &cgroups, Some(&cg), ro, None).is_ok()
    };
    if !own && view.hide_cgroups && Path::new("/sys/fs/cgroup").is_dir() {
        let tmpfs = cstr("tmpfs");
        sys::mount(
            Some(&tmpfs),
            &cgroups,
            Some(&tmpfs),
            ro,
            Some(&cstr("size=4k,nr_inodes=1,mode=755")),
        )
        .map_err(ctx("covering /sys/fs/cgroup"))?;
    }
    let hardened = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    if view.new_proc {
        let proc_ = cstr("proc");
        sys::mount(Some(&proc_), &cstr("/proc"), Some(&proc_), hardened, None)
            .map_err(ctx("private /proc"))?;
    }
    if view.new_ipc {
        if Path::new("/dev/shm").is_dir() {
            let tmpfs = cstr("tmpfs");
            sys::mount(
                Some(&tmpfs),
                &cstr("/dev/shm"),
                Some(&tmpfs),
                libc::MS_NOSUID | libc::MS_NODEV,
                Some(&cstr(&format!("mode=1777,size={}", view.tmpfs_size))),
            )
            .map_err(ctx("private /dev/shm"))?;
        }
        if Path::new("/dev/mqueue").is_dir() {
            let mq = cstr("mqueue");
            sys::mount(Some(&mq), &cstr("/dev/mqueue"), Some(&mq), hardened, None)
                .map_err(ctx("private /dev/mqueue"))?;
        }
    }
    Ok(())
}

/// Lines of `/proc/self/mountinfo` read at most: past this the table is
/// not searched and the hidden entries' other mounts are a gap.
const MOUNT_TABLE_LIMIT: usize = 20_000;
/// Bytes of `/proc/self/mountinfo` read at most.
const MOUNT_TABLE_BYTES: u64 = 8 << 20;

/// One line of `/proc/self/mountinfo`.
struct MountEntry {
    id: u64,
    /// `major:minor` of the file system.
    dev: String,
    /// The directory of the file system this mount shows.
    root: PathBuf,
    point: PathBuf,
    fstype: String,
    source: String,
    /// The file system's options (an overlay's `lowerdir=`, `upperdir=`).
    options: String,
}

/// A mountinfo path field, as bytes (paths need not be UTF-8): `\\040`,
/// `\\011`, `\\012`, `\\134` are octal escapes.
fn unescape(field: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let b = field;
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = b[i + 1..i + 4]
                .iter()
                .fold(0u32, |a, c| a * 8 + u32::from(c - b'0'));
            out.push(v as u8);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

fn parse_mount_line(line: &[u8]) -> Option<MountEntry> {
    let sep = line.windows(3).position(|w| w == b" - ")?;
    let (left, right) = (&line[..sep], &line[sep + 3..]);
    let f: Vec<&[u8]> = left.split(|c| *c == b' ').collect();
    let r: Vec<&[u8]> = right.split(|c| *c == b' ').collect();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Some(MountEntry {
        id: std::str::from_utf8(f.first()?).ok()?.parse().ok()?,
        dev: text(f.get(2)?),
        root: unescape(f.get(3)?),
        point: unescape(f.get(4)?),
        fstype: text(r.first()?),
        source: r.get(1).map(|s| text(s)).unwrap_or_default(),
        options: r.get(2).map(|s| text(s)).unwrap_or_default(),
    })
}

/// The mount table of this process's mount namespace, or why it cannot be
/// searched (too large, unreadable, a line not understood).
fn mount_table() -> Result<Vec<MountEntry>, String> {
    use std::io::{BufRead, Read};
    let f = std::fs::File::open("/proc/self/mountinfo")
        .map_err(|e| format!("the mount table could not be read: {e}"))?;
    let mut r = std::io::BufReader::new(f.take(MOUNT_TABLE_BYTES + 1));
    let mut out = Vec::new();
    let mut read = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = r
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("the mount table could not be read: {e}"))?;
        if n == 0 {
            break;
        }
        read += n as u64;
        if read > MOUNT_TABLE_BYTES || out.len() == MOUNT_TABLE_LIMIT {
            return Err(format!(
                "the mount table has more than {MOUNT_TABLE_LIMIT} mounts or {MOUNT_TABLE_BYTES} bytes"
            ));
        }
        let body = line.strip_suffix(b"\n").unwrap_or(&line);
        out.push(parse_mount_line(body).ok_or_else(|| {
            format!(
                "a mount table line not understood: {}",
                String::from_utf8_lossy(body)
            )
        })?);
    }
    Ok(out)
}

/// File systems whose separate mounts of one export get separate devices
/// (each mount its own superblock): another mount of the same source
/// cannot be matched by device, so it is not known whether it shows a
/// hidden entry.
fn unmatchable_by_device(fstype: &str) -> bool {
    matches!(
        fstype,
        "nfs" | "nfs4" | "cifs" | "smb3" | "9p" | "virtiofs" | "ceph" | "glusterfs" | "fuse"
    ) || fstype.starts_with("fuse.")
}

/// The directories an overlay's options name as its layers.
fn overlay_layers(options: &str) -> impl Iterator<Item = PathBuf> + '_ {
    options
        .split(',')
        .filter_map(|o| {
            o.strip_prefix("lowerdir=")
                .or_else(|| o.strip_prefix("upperdir="))
                .or_else(|| o.strip_prefix("lowerdir+="))
        })
        .flat_map(|v| v.split(':'))
        .filter(|v| v.starts_with('/'))
        .map(|v| unescape(v.as_bytes()))
}

/// A hidden entry as its file system knows it, found before it is covered.
struct HiddenEntry {
    /// Index in the plan's operations.
    op: usize,
    /// Device and inode of the entry itself.
    id: (u64, u64),
    /// `major:minor` of the mount it was found under.
    dev: String,
    /// Its path inside that file system.
    fs_path: PathBuf,
    mount_id: u64,
    fstype: String,
    source: String,
    options: String,
}

fn dev_ino(p: &Path) -> io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(p)?;
    Ok((m.dev(), m.ino()))
}

/// Where each hidden path of `ops` lives: its mount (by the mount id of
/// a descriptor of it, not a guess from the paths) and its path in that
/// mount's file system. An entry that does not exist has nothing to show
/// elsewhere; one whose place cannot be worked out is a gap.
fn locate_hidden(
    ops: &[MountOp],
    table: &[MountEntry],
    skip: impl Fn(&MountOp) -> bool,
    gaps: &mut Vec<String>,
) -> Vec<HiddenEntry> {
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        // A file shown as a copy is hidden wherever else it is reached.
        if !matches!(
            op.kind,
            MountKind::HideDir | MountKind::HideFile | MountKind::Redacted
        ) || skip(op)
        {
            continue;
        }
        let Ok(fd) = open_path(&op.path) else {
            continue;
        };
        let found = (|| {
            let m = std::fs::File::from(fd.try_clone().ok()?).metadata().ok()?;
            use std::os::unix::fs::MetadataExt;
            let mnt = sys::mount_id(&fd).ok()?;
            let e = table.iter().rev().find(|e| e.id == mnt)?;
            let rest = op.path.strip_prefix(&e.point).ok()?;
            Some(HiddenEntry {
                op: i,
                id: (m.dev(), m.ino()),
                dev: e.dev.clone(),
                fs_path: if rest.as_os_str().is_empty() {
                    e.root.clone()
                } else {
                    e.root.join(rest)
                },
                mount_id: e.id,
                fstype: e.fstype.clone(),
                source: e.source.clone(),
                options: e.options.clone(),
            })
        })();
        match found {
            Some(h) => out.push(h),
            None => gaps.push(format!(
                "the mount holding hidden {} could not be found: other mounts of its file system are not covered",
                op.path.display()
            )),
        }
    }
    out
}

/// Covers each hidden entry wherever else the mount table shows it: every
/// mount of the same device whose root is the entry's directory or one
/// above it shows the entry at that mount point plus the rest of the path
/// (a home bound also on `/var/home`, a project directory bound twice).
/// The place is covered when it is the very entry (device and inode); a
/// place that cannot be checked, and a mount of a network or FUSE file
/// system of the same source (its own device), are gaps.
fn cover_other_mounts(
    ops: &[MountOp],
    hidden: &[HiddenEntry],
    covers: &Covers<'_>,
    gaps: &mut Vec<String>,
) -> io::Result<()> {
    if hidden.is_empty() {
        return Ok(());
    }
    let table = match mount_table() {
        Ok(t) => t,
        Err(why) => {
            gaps.push(format!(
                "other mounts of hidden entries were not searched: {why}"
            ));
            return Ok(());
        }
    };
    let mut by_dev: std::collections::HashMap<&str, Vec<&MountEntry>> =
        std::collections::HashMap::new();
    for e in &table {
        by_dev.entry(e.dev.as_str()).or_default().push(e);
    }
    let mut seen = std::collections::HashSet::new();
    for h in hidden {
        let op = &ops[h.op];
        if unmatchable_by_device(&h.fstype) {
            if let Some(e) = table
                .iter()
                .find(|e| e.dev != h.dev && e.fstype == h.fstype && e.source == h.source)
            {
                gaps.push(format!(
                    "hidden {} is on {} ({}), also mounted on {} as another device: whether that mount shows it cannot be told",
                    op.path.display(),
                    h.fstype,
                    h.source,
                    e.point.display()
                ));
            }
        }
        // An overlay's layers are other file systems: where one of them
        // can be reached in the run, the entry's copy there (another
        // inode) cannot be told apart by device.
        if h.fstype == "overlay" {
            if let Some(layer) = overlay_layers(&h.options).find(|l| l.is_dir()) {
                gaps.push(format!(
                    "hidden {} is on an overlay whose layer {} can be reached: the entry may be read there",
                    op.path.display(),
                    layer.display()
                ));
            }
        }
        for m in by_dev.get(h.dev.as_str()).into_iter().flatten() {
            if m.id == h.mount_id {
                continue;
            }
            let Ok(rest) = h.fs_path.strip_prefix(&m.root) else {
                // A mount of a place inside the entry shows part of it:
                // covered whole while it is what its mount point shows.
                if m.root.starts_with(&h.fs_path) && seen.insert((h.op, m.point.clone())) {
                    cover_inner_mount(m, op, &h.fs_path, covers, gaps)?;
                }
                continue;
            };
            let alias = if rest.as_os_str().is_empty() {
                m.point.clone()
            } else {
                m.point.join(rest)
            };
            if alias == op.path || !seen.insert((h.op, alias.clone())) {
                continue;
            }
            match dev_ino(&alias) {
                Ok(id) if id == h.id => {}
                // Something else is there now (a cover, another mount on
                // the way): the entry is not reached through this path.
                Ok(_) => continue,
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => {
                    continue
                }
                Err(e) => {
                    gaps.push(format!(
                        "hidden {} may be shown again by the mount on {} ({} could not be checked: {e})",
                        op.path.display(),
                        m.point.display(),
                        alias.display()
                    ));
                    continue;
                }
            }
            let target = sys::cstring(&alias)?;
            let Some(source) = covers.get(op.kind == MountKind::HideDir) else {
                return Err(io::Error::other("no cover staged for a hidden entry"));
            };
            sys::mount(Some(&source), &target, None, libc::MS_BIND, None).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "hide {} (another mount of {}, mount {}): {e}",
                        alias.display(),
                        op.path.display(),
                        h.mount_id
                    ),
                )
            })?;
            if dev_ino(&alias).is_ok_and(|id| id == h.id) {
                return Err(io::Error::other(format!(
                    "hide {} (another mount of {}): still shown after the cover; nothing was run",
                    alias.display(),
                    op.path.display()
                )));
            }
        }
    }
    Ok(())
}

/// Covers mount `m`, which shows a place inside hidden `op`, when its
/// mount point still leads to it, with an empty directory or file of the
/// staging tmpfs like the entry's own.
fn cover_inner_mount(
    m: &MountEntry,
    op: &MountOp,
    fs_path: &Path,
    covers: &Covers<'_>,
    gaps: &mut Vec<String>,
) -> io::Result<()> {
    let fd = match open_path(&m.point) {
        Ok(fd) => fd,
        Err(e) if matches!(e.raw_os_error(), Some(libc::ENOENT | libc::ENOTDIR)) => return Ok(()),
        Err(e) => {
            gaps.push(format!(
                "the mount on {} shows part of hidden {} ({}) and could not be checked: {e}",
                m.point.display(),
                op.path.display(),
                fs_path.display()
            ));
            return Ok(());
        }
    };
    if sys::mount_id(&fd)? != m.id {
        return Ok(());
    }
    let is_dir = std::fs::File::from(fd.try_clone()?).metadata()?.is_dir();
    let Some(source) = covers.get(is_dir) else {
        gaps.push(format!(
            "the mount on {} shows part of hidden {} and was not covered (no empty {} staged)",
            m.point.display(),
            op.path.display(),
            if is_dir { "directory" } else { "file" }
        ));
        return Ok(());
    };
    sys::mount(Some(&source), &fd_path(&fd), None, libc::MS_BIND, None).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "hide {} (a mount of a place inside {}): {e}",
                m.point.display(),
                op.path.display()
            ),
        )
    })
}

/// The empty, read-only, mode-000 directory and file hidden entries are
/// covered with (see [`apply`]).
struct Covers<'a> {
    dir: Option<&'a OwnedFd>,
    file: Option<&'a OwnedFd>,
}

impl Covers<'_> {
    fn get(&self, dir: bool) -> Option<CString> {
        if dir { self.dir } else { self.file }.map(fd_path)
    }
}

/// Set up the mount namespace: everything private, then (when
/// `private_tmp`) an empty tmpfs on `tmp` as the run's temporary
/// directory, then `ops` in order.
///
/// Hidden paths are covered by binds of one empty, read-only, mode-000
/// directory or file, cheaper than a tmpfs per hidden path. They live on a
/// small tmpfs mounted on `tmp` first and then covered by the run's own
/// tmpfs: still attached, so the binds work, but out of reach. (Detaching
/// it instead would make the kernel wait for an RCU grace period.)
///
/// Returns the gaps found: places where a hidden entry may still be shown
/// by another mount of its file system (see [`cover_other_mounts`]).
pub fn apply(
    ops: &[MountOp],
    redacted: &[(PathBuf, Vec<u8>)],
    tmp: &Path,
    private_tmp: bool,
    view: &View<'_>,
) -> io::Result<Vec<String>> {
    let root = cstr("/");
    // Nothing done here may propagate back to the host's mount table.
    sys::mount(None, &root, None, libc::MS_REC | libc::MS_PRIVATE, None)?;
    apply_view(view)?;

    let tmpfs = cstr("tmpfs");
    let tmp_c = sys::cstring(tmp)?;
    let hide_dirs = ops.iter().any(|o| o.kind == MountKind::HideDir);
    let hide_files = ops
        .iter()
        .any(|o| matches!(o.kind, MountKind::HideFile | MountKind::Redacted));
    // (staging root, empty directory, empty file)
    let mut empties: Option<(OwnedFd, Option<OwnedFd>, Option<OwnedFd>)> = None;
    // The copies [`MountKind::Redacted`] binds, by path.
    let mut copies: Vec<(&Path, OwnedFd)> = Vec::new();
    let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    if hide_files {
        // Room for the copies, a page each at least.
        let pages: usize = redacted.iter().map(|(_, c)| c.len() / 4096 + 1).sum();
        sys::mount(
            Some(&tmpfs),
            &tmp_c,
            Some(&tmpfs),
            flags,
            Some(&cstr(&format!(
                "size={}k,nr_inodes={},mode=700",
                4 * (pages + 1),
                4 + redacted.len()
            ))),
        )
        .map_err(|e| io::Error::new(e.kind(), format!("staging tmpfs: {e}")))?;
        let staging = open_path(tmp)?;
        for (i, (path, content)) in redacted.iter().enumerate() {
            use std::io::Write;
            let c = tmp.join(format!("r{i}"));
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o444)
                .open(&c)
                .and_then(|mut f| f.write_all(content))
                .map_err(|e| io::Error::new(e.kind(), format!("staging copy: {e}")))?;
            copies.push((path.as_path(), open_path(&c)?));
        }
        let dir = tmp.join("d");
        let file = tmp.join("f");
        if hide_dirs {
            std::fs::DirBuilder::new()
                .mode(0o000)
                .create(&dir)
                .map_err(|e| io::Error::new(e.kind(), format!("staging directory: {e}")))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o000)
            .open(&file)
            .map_err(|e| io::Error::new(e.kind(), format!("staging file: {e}")))?;
        // Read-only for good: the whole file system, so every bind of it too.
        sys::mount(
            None,
            &tmp_c,
            None,
            libc::MS_REMOUNT | libc::MS_RDONLY | flags,
            None,
        )
        .map_err(|e| io::Error::new(e.kind(), format!("staging read-only: {e}")))?;
        let dir = if hide_dirs {
            Some(open_path(&dir)?)
        } else {
            None
        };
        empties = Some((staging, dir, Some(open_path(&file)?)));
    } else if hide_dirs {
        // Only directories to hide: the staging root itself is the empty,
        // read-only, mode-000 directory.
        sys::mount(
            Some(&tmpfs),
            &tmp_c,
            Some(&tmpfs),
            flags | libc::MS_RDONLY,
            Some(&cstr("size=4k,nr_inodes=2,mode=000")),
        )
        .map_err(|e| io::Error::new(e.kind(), format!("staging tmpfs: {e}")))?;
        empties = Some((open_path(tmp)?, None, None));
    }
    // Where each hidden entry lives, found before it is covered.
    let mut gaps = Vec::new();
    let skip = |op: &MountOp| view.private_dev && op.path.starts_with("/dev");
    let hidden = if hide_dirs || hide_files {
        match mount_table() {
            Ok(table) => locate_hidden(ops, &table, skip, &mut gaps),
            Err(why) => {
                gaps.push(format!(
                    "other mounts of hidden entries were not searched: {why}"
                ));
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    if private_tmp {
        // Executable on purpose: test runners and build tools run what
        // they write to TMPDIR.
        sys::mount(
            Some(&tmpfs),
            &tmp_c,
            Some(&tmpfs),
            libc::MS_NOSUID | libc::MS_NODEV,
            Some(&cstr(&format!("mode=700,size={}", view.tmpfs_size))),
        )
        .map_err(|e| io::Error::new(e.kind(), format!("temporary directory tmpfs: {e}")))?;
    }

    for op in ops {
        // Nothing of the host's /dev is in the run's own but its few
        // devices: an entry below it has nothing to cover.
        if view.private_dev && op.path.starts_with("/dev") {
            continue;
        }
        let target = sys::cstring(&op.path)?;
        match op.kind {
            // A mount point cannot be renamed or removed; the bind keeps the
            // flags of the mount it comes from.
            MountKind::Pin => sys::mount(
                Some(&target),
                &target,
                None,
                libc::MS_BIND | libc::MS_REC,
                None,
            )
            .map_err(|e| err(op, "pin", e))?,
            MountKind::ReadOnly => {
                bind_self(&target, true).map_err(|e| err(op, "read-only bind", e))?
            }
            MountKind::Writable => {
                bind_self(&target, false).map_err(|e| err(op, "writable bind", e))?
            }
            MountKind::Lock => lock_dir(&op.path, &target).map_err(|e| err(op, "lock", e))?,
            MountKind::Redacted => {
                let Some((_, copy)) = copies.iter().find(|(p, _)| *p == op.path) else {
                    return Err(err(op, "copy", io::Error::other("no copy staged")));
                };
                sys::mount(Some(&fd_path(copy)), &target, None, libc::MS_BIND, None)
                    .map_err(|e| err(op, "copy", e))?
            }
            MountKind::HideDir | MountKind::HideFile => {
                let (root, dir, file) = empties.as_ref().expect("staged above");
                let source = match op.kind {
                    MountKind::HideDir => dir.as_ref().unwrap_or(root),
                    _ => file.as_ref().expect("staged when files are hidden"),
                };
                sys::mount(Some(&fd_path(source)), &target, None, libc::MS_BIND, None)
                    .map_err(|e| err(op, "hide", e))?
            }
        }
    }
    if let Some((root, dir, file)) = &empties {
        let covers = Covers {
            // Without files to hide, the staging root is the empty directory.
            dir: dir.as_ref().or(file.is_none().then_some(root)),
            file: file.as_ref(),
        };
        cover_other_mounts(ops, &hidden, &covers, &mut gaps)?;
    }
    if let Some((staging, _, _)) = empties {
        if !private_tmp {
            // `tmp` is a directory on disk here and must be seen again.
            // Through the descriptor: its name may be covered by now.
            sys::umount_detach(&fd_path(&staging)).map_err(|e| {
                io::Error::new(e.kind(), format!("detaching the staging tmpfs: {e}"))
            })?;
        }
    }
    Ok(gaps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn mount_table_lines_are_read_as_bytes_with_escapes() {
        let line =
            b"36 35 0:52 /home/u\\040x /var/h\xe9me rw,relatime shared:1 - ext4 /dev/sda1 rw";
        let e = parse_mount_line(line).unwrap();
        assert_eq!(e.id, 36);
        assert_eq!(e.dev, "0:52");
        assert_eq!(e.root, Path::new("/home/u x"));
        assert_eq!(e.point.as_os_str().as_bytes(), b"/var/h\xe9me");
        assert_eq!(
            (e.fstype.as_str(), e.source.as_str()),
            ("ext4", "/dev/sda1")
        );
        assert!(parse_mount_line(b"36 35 0:52 / /x rw").is_none());
    }

    #[test]
    fn overlay_layers_are_named_by_its_options() {
        let l: Vec<PathBuf> = overlay_layers("rw,lowerdir=/a:/b,upperdir=/c,workdir=/d").collect();
        assert_eq!(l, [Path::new("/a"), Path::new("/b"), Path::new("/c")]);
    }

    #[test]
    fn the_real_mount_table_is_read() {
        let t = mount_table().unwrap();
        assert!(t.iter().any(|e| e.point == Path::new("/")));
    }
}
