//! File operations that cannot be raced: read, write, create, create_dir,
//! delete, list and rename, each done by the guard itself after it allowed
//! the request.
//!
//! A check is advice: between the check and the `open` an agent can swap a
//! directory for a link. So an operation never reopens the path text it
//! was given. It walks the *physical* path the check judged (no links, no
//! `..`) from a held handle on the matched root, one component at a time:
//! each step is `openat2(dir, name, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
//! RESOLVE_NO_MAGICLINKS)` with `O_NOFOLLOW` (plain `openat` with
//! `O_NOFOLLOW` where the kernel lacks `openat2`), so a link that appeared
//! after the check stops the walk instead of being followed. Then the
//! *opened descriptors* are checked, not the string: the device and inode
//! of every directory on the way and of the final file are compared with
//! the blocked and protected entries, and the descriptor's real path (from
//! `/proc/self/fd`) is judged by the policy again. Writes open the last
//! component without following links and truncate only after these checks.
//!
//! Only Linux is supported; elsewhere every operation fails with
//! `UNSUPPORTED`.

use std::fmt;

use super::{Authorized, FileOperation, FileRequest, FilesystemGuard};
use crate::decision::Decision;
use crate::error::{Error, ErrorCode};

/// Why an enforcing operation did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
    /// The policy refused, before the operation or because the filesystem
    /// no longer matched what was judged. Nothing was read or changed.
    Denied(Decision),
    /// The operation failed (I/O error, unsupported platform, bad argument).
    Failed(Error),
}

impl OpError {
    /// The decision of a refusal.
    pub fn decision(&self) -> Option<&Decision> {
        match self {
            OpError::Denied(d) => Some(d),
            OpError::Failed(_) => None,
        }
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpError::Denied(d) => write!(f, "DENIED ({}): {}", d.code, d.reason),
            OpError::Failed(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OpError {}

impl From<OpError> for Error {
    fn from(e: OpError) -> Error {
        match e {
            OpError::Denied(d) => Error::new(ErrorCode::Denied, d.reason),
            OpError::Failed(e) => e,
        }
    }
}

/// The kind of a directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// Device, socket, FIFO or unknown.
    Other,
}

impl EntryKind {
    /// One letter: `f`, `d`, `l` or `o`.
    pub fn letter(self) -> char {
        match self {
            EntryKind::File => 'f',
            EntryKind::Dir => 'd',
            EntryKind::Symlink => 'l',
            EntryKind::Other => 'o',
        }
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The name; bytes that are not UTF-8 are replaced by U+FFFD.
    pub name: String,
    pub kind: EntryKind,
}

/// A regular file opened for reading by [`FilesystemGuard::open_read`].
#[derive(Debug)]
pub struct ReadHandle {
    file: std::fs::File,
    size: u64,
}

impl ReadHandle {
    /// The file's size when it was opened.
    pub fn size(&self) -> u64 {
        self.size
    }
}

impl std::io::Read for ReadHandle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.file.read(buf)
    }
}

fn wrong_operation(a: &Authorized, want: FileOperation) -> OpError {
    OpError::Failed(Error::invalid_argument(format!(
        "the request was authorized for {}, not {}",
        a.op.as_str(),
        want.as_str()
    )))
}

impl FilesystemGuard {
    fn allow_op(&self, req: &FileRequest<'_>) -> Result<Authorized, OpError> {
        self.authorize(req).map_err(OpError::Denied)
    }

    /// Check and open a regular file for reading.
    pub fn open_read(&self, path: &str) -> Result<ReadHandle, OpError> {
        let a = self.allow_op(&FileRequest::new(path, FileOperation::Read))?;
        self.open_read_authorized(&a)
    }

    /// Check and read a whole file.
    pub fn read_file(&self, path: &str) -> Result<Vec<u8>, OpError> {
        use std::io::Read;
        let mut h = self.open_read(path)?;
        let mut out = Vec::with_capacity(usize::try_from(h.size()).unwrap_or(0).min(1 << 24));
        h.read_to_end(&mut out)
            .map_err(|e| OpError::Failed(Error::io(&format!("read {path}"), &e)))?;
        Ok(out)
    }

    /// Check and write `data` to a file (created or replaced; missing parent
    /// directories are created), bounded by `limits.max_file_size`.
    pub fn write_file(&self, path: &str, data: &[u8]) -> Result<(), OpError> {
        let mut req = FileRequest::new(path, FileOperation::Write);
        req.size = Some(data.len() as u64);
        let a = self.allow_op(&req)?;
        self.write_authorized(&a, data)
    }

    /// Check and create a new file with `data`; fails if it exists.
    pub fn create_file(&self, path: &str, data: &[u8]) -> Result<(), OpError> {
        let mut req = FileRequest::new(path, FileOperation::Create);
        req.size = Some(data.len() as u64);
        let a = self.allow_op(&req)?;
        self.write_authorized(&a, data)
    }

    /// Check and create a directory and its missing parents (fine if it exists).
    pub fn create_dir(&self, path: &str) -> Result<(), OpError> {
        let a = self.allow_op(&FileRequest::new(path, FileOperation::CreateDir))?;
        self.create_dir_authorized(&a)
    }

    /// Check and delete a file, a link (never its target) or an empty directory.
    pub fn delete(&self, path: &str) -> Result<(), OpError> {
        let a = self.allow_op(&FileRequest::new(path, FileOperation::Delete))?;
        self.delete_authorized(&a)
    }

    /// Check and list a directory, sorted by name. Entries the policy would
    /// refuse to read (blocked, protected, hidden) are left out.
    pub fn list_dir(&self, path: &str) -> Result<Vec<DirEntry>, OpError> {
        let a = self.allow_op(&FileRequest::new(path, FileOperation::List))?;
        self.list_authorized(&a)
    }

    /// Check and move an entry; fails if the destination exists.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), OpError> {
        let mut req = FileRequest::new(from, FileOperation::Rename);
        req.other = Some(to);
        let a = self.allow_op(&req)?;
        self.rename_authorized(&a)
    }

    /// Open for reading what `a` (a `read`) allowed.
    pub fn open_read_authorized(&self, a: &Authorized) -> Result<ReadHandle, OpError> {
        if a.op != FileOperation::Read {
            return Err(wrong_operation(a, FileOperation::Read));
        }
        imp::open_read(self, a)
    }

    /// Write `data` where `a` (a `write` or `create`) allowed.
    pub fn write_authorized(&self, a: &Authorized, data: &[u8]) -> Result<(), OpError> {
        if !matches!(a.op, FileOperation::Write | FileOperation::Create) {
            return Err(wrong_operation(a, FileOperation::Write));
        }
        // The size may not have been known when the request was authorized.
        if let Some(max) = self.max_file_size {
            if data.len() as u64 > max {
                return Err(OpError::Denied(Decision::deny(
                    crate::decision::DecisionCode::FileTooLarge,
                    format!(
                        "{} {}: {} bytes exceed the limit of {max} bytes",
                        a.op.as_str(),
                        a.first.shown,
                        data.len()
                    ),
                    Some(format!("limits.max_file_size: {max}")),
                )));
            }
        }
        imp::write(self, a, data)
    }

    /// Create the directory `a` (a `create_dir`) allowed.
    pub fn create_dir_authorized(&self, a: &Authorized) -> Result<(), OpError> {
        if a.op != FileOperation::CreateDir {
            return Err(wrong_operation(a, FileOperation::CreateDir));
        }
        imp::create_dir(self, a)
    }

    /// Delete the entry `a` (a `delete`) allowed.
    pub fn delete_authorized(&self, a: &Authorized) -> Result<(), OpError> {
        if a.op != FileOperation::Delete {
            return Err(wrong_operation(a, FileOperation::Delete));
        }
        imp::delete(self, a)
    }

    /// List the directory `a` (a `list`) allowed.
    pub fn list_authorized(&self, a: &Authorized) -> Result<Vec<DirEntry>, OpError> {
        if a.op != FileOperation::List {
            return Err(wrong_operation(a, FileOperation::List));
        }
        imp::list(self, a)
    }

    /// Move the entry `a` (a `rename`) allowed.
    pub fn rename_authorized(&self, a: &Authorized) -> Result<(), OpError> {
        if a.op != FileOperation::Rename {
            return Err(wrong_operation(a, FileOperation::Rename));
        }
        imp::rename(self, a)
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::fs::{File, Metadata};
    use std::io::Write;
    use std::os::fd::{AsFd, AsRawFd};
    use std::os::unix::fs::MetadataExt;

    use rustix::fs::{self as rfs, AtFlags, Mode, OFlags, RenameFlags, ResolveFlags};
    use rustix::io::Errno;

    use super::super::platform::{posix_components, Name};
    use super::super::resolve::{identity, FileId};
    use super::super::{
        Authorized, FileOperation, FilesystemGuard, Ident, PlannedPath, Role, View,
    };
    use super::{DirEntry, EntryKind, OpError, ReadHandle};
    use crate::decision::{Decision, DecisionCode};
    use crate::error::{Error, ErrorCode};

    /// One operation in progress: the guard, the operation, and the
    /// identities of the entries it must not touch, taken now.
    struct Op<'g> {
        guard: &'g FilesystemGuard,
        op: FileOperation,
        forbidden: Vec<Ident>,
        roots: Vec<FileId>,
    }

    fn io_failed(what: &str, e: impl Into<std::io::Error>) -> OpError {
        let e: std::io::Error = e.into();
        OpError::Failed(Error::io(what, &e))
    }

    impl<'g> Op<'g> {
        fn new(guard: &'g FilesystemGuard, op: FileOperation) -> Result<Op<'g>, OpError> {
            if !matches!(guard.view, View::Host) {
                return Err(OpError::Failed(Error::new(
                    ErrorCode::Unsupported,
                    format!(
                        "this guard applies {} path rules without a filesystem; file operations need a guard built for this host",
                        guard.platform.as_str()
                    ),
                )));
            }
            // The identities from when the policy was compiled (they follow
            // an entry that was renamed since) and those of now (entries
            // created since).
            let forbidden: Vec<Ident> = guard
                .idents
                .iter()
                .cloned()
                .chain(guard.identities_now())
                .filter(|x| !x.changes_only || op.modifies())
                .collect();
            let mut roots = Vec::new();
            if matches!(op, FileOperation::Delete | FileOperation::Rename) {
                for r in &guard.roots {
                    if let Some(id) = r.entry.canon().and_then(|c| identity(&c.comps)) {
                        roots.push(id);
                    }
                }
            }
            Ok(Op {
                guard,
                op,
                forbidden,
                roots,
            })
        }

        fn verb(&self) -> &'static str {
            self.op.as_str()
        }

        /// The filesystem no longer matches what was judged.
        fn changed(&self, shown: &str, why: &str) -> OpError {
            OpError::Denied(Decision::deny(
                DecisionCode::PathChanged,
                format!(
                    "{} {shown}: {why} after the check; nothing was done",
                    self.verb()
                ),
                None,
            ))
        }

        /// Refuse a descriptor that is a forbidden entry (also when reached
        /// through a hard link or a bind mount).
        fn check_identity(
            &self,
            m: &Metadata,
            shown: &str,
            with_roots: bool,
        ) -> Result<(), OpError> {
            let id = (m.dev(), m.ino());
            if let Some(x) = self.forbidden.iter().find(|x| x.id == id) {
                return Err(OpError::Denied(Decision::deny(
                    x.code,
                    format!("{} {shown}: the opened file is {}", self.verb(), x.what),
                    x.rule.clone(),
                )));
            }
            if with_roots && self.roots.contains(&id) {
                return Err(OpError::Denied(Decision::deny(
                    DecisionCode::RootOperation,
                    format!("{} {shown}: the entry is a root of the policy", self.verb()),
                    None,
                )));
            }
            Ok(())
        }

        /// The real path of an open descriptor, from `/proc/self/fd`.
        fn real_path(&self, f: &File, shown: &str) -> Result<Vec<Name>, OpError> {
            let link = format!("/proc/self/fd/{}", f.as_raw_fd());
            let target = std::fs::read_link(&link).map_err(|e| {
                io_failed(
                    &format!("{} {shown}: cannot verify the opened file through {link} (is /proc mounted?)", self.verb()),
                    e,
                )
            })?;
            let bytes = super::super::resolve::host_bytes(target.as_os_str());
            if bytes.first() != Some(&b'/') {
                return Err(self.changed(shown, "the opened file has no path"));
            }
            Ok(posix_components(&bytes))
        }

        /// Judge the real location of what was opened, as the policy would.
        fn rejudge(&self, role: Role, comps: Vec<Name>, shown: &str) -> Result<(), OpError> {
            let g = self.guard;
            let t = g.physical_target(comps);
            let real = g.platform.display(&t.canon.comps);
            let again = g.judge(self.op, role, &real, &t).and_then(|_| {
                if matches!(self.op, FileOperation::Delete | FileOperation::Rename) {
                    g.refuse_root_operation(self.op, role, &real, &t)
                } else {
                    Ok(())
                }
            });
            again.map_err(|d| {
                OpError::Denied(Decision::deny(
                    d.code,
                    format!(
                        "{} {shown}: the opened file is {real}; {}",
                        self.verb(),
                        d.reason
                    ),
                    d.rule,
                ))
            })
        }

        /// Open one component below `dir` without following links.
        fn step(&self, dir: &File, name: &[u8], flags: OFlags, mode: Mode) -> Result<File, Errno> {
            debug_assert!(
                !name.is_empty() && name != b"." && name != b".." && !name.contains(&b'/')
            );
            let flags = flags | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let how =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            let fd = match rfs::openat2(dir.as_fd(), name, flags, mode, how) {
                // No openat2 (old kernel, or a seccomp filter that refuses
                // it): one component with O_NOFOLLOW cannot escape either.
                Err(Errno::NOSYS) | Err(Errno::PERM) => rfs::openat(dir.as_fd(), name, flags, mode),
                other => other,
            }?;
            Ok(File::from(fd))
        }

        /// Open the directory `root/rel…` component by component, checking
        /// each one's identity; with `create`, missing components below the
        /// root are created first.
        fn open_dir(
            &self,
            plan: &PlannedPath,
            rel: &[Name],
            create: bool,
        ) -> Result<File, OpError> {
            let mut cur = File::from(
                rfs::open(
                    "/",
                    OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                    Mode::empty(),
                )
                .map_err(|e| io_failed("open /", e))?,
            );
            let mut walked: Vec<Name> = Vec::new();
            for (i, name) in plan.root.iter().chain(rel.iter()).enumerate() {
                walked.push(name.clone());
                let shown = self.guard.platform.display(&walked);
                let below_root = i >= plan.root.len();
                let flags = OFlags::PATH | OFlags::DIRECTORY;
                let next = match self.step(&cur, name, flags, Mode::empty()) {
                    Err(Errno::NOENT) if create && below_root => {
                        match rfs::mkdirat(cur.as_fd(), name.as_slice(), Mode::from_raw_mode(0o777))
                        {
                            Ok(()) | Err(Errno::EXIST) => {}
                            Err(e) => {
                                return Err(io_failed(
                                    &format!("{} {shown}: create directory", self.verb()),
                                    e,
                                ))
                            }
                        }
                        self.step(&cur, name, flags, Mode::empty())
                    }
                    other => other,
                };
                cur = match next {
                    Ok(f) => f,
                    Err(Errno::LOOP) | Err(Errno::NOTDIR) => {
                        return Err(self.changed(&shown, what_is_there(&cur, name)))
                    }
                    Err(Errno::XDEV) => return Err(self.changed(&shown, "leads outside its root")),
                    Err(e) => return Err(io_failed(&format!("{} {shown}", self.verb()), e)),
                };
                let m = cur.metadata().map_err(|e| io_failed(&shown, e))?;
                self.check_identity(&m, &shown, false)?;
            }
            Ok(cur)
        }

        /// Checks on a final descriptor: identity, still linked, real path.
        /// Returns the real path that was judged.
        fn verify(
            &self,
            f: &File,
            m: &Metadata,
            role: Role,
            shown: &str,
        ) -> Result<Vec<Name>, OpError> {
            self.check_identity(
                m,
                shown,
                matches!(self.op, FileOperation::Delete | FileOperation::Rename),
            )?;
            if m.nlink() == 0 {
                return Err(self.changed(shown, "was deleted"));
            }
            let real = self.real_path(f, shown)?;
            self.rejudge(role, real.clone(), shown)?;
            Ok(real)
        }

        /// Open the parent directory of an entry and return it with the entry's name.
        fn open_parent<'p>(
            &self,
            plan: &'p PlannedPath,
            create: bool,
        ) -> Result<(File, &'p [u8]), OpError> {
            let Some((name, parent)) = plan.rel.split_last() else {
                return Err(OpError::Denied(Decision::deny(
                    DecisionCode::RootOperation,
                    format!(
                        "{} {}: this is a root of the policy",
                        self.verb(),
                        plan.shown
                    ),
                    None,
                )));
            };
            Ok((self.open_dir(plan, parent, create)?, name.as_slice()))
        }

        /// Open an entry itself (a final link is opened as the link).
        fn open_entry(
            &self,
            dir: &File,
            name: &[u8],
            shown: &str,
        ) -> Result<(File, Metadata), OpError> {
            let f = match self.step(dir, name, OFlags::PATH, Mode::empty()) {
                Ok(f) => f,
                Err(Errno::NOTDIR) => {
                    return Err(
                        self.changed(shown, "a directory on the way is no longer a directory")
                    )
                }
                Err(e) => return Err(io_failed(&format!("{} {shown}", self.verb()), e)),
            };
            let m = f.metadata().map_err(|e| io_failed(shown, e))?;
            Ok((f, m))
        }
    }

    /// What a name that should have been a directory is now.
    fn what_is_there(dir: &File, name: &[u8]) -> &'static str {
        match rfs::statat(dir.as_fd(), name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => match rfs::FileType::from_raw_mode(st.st_mode) {
                rfs::FileType::Symlink => "became a symbolic link",
                rfs::FileType::Directory => "was replaced",
                _ => "is no longer a directory",
            },
            Err(_) => "was removed or replaced",
        }
    }

    fn refuse_device(plan: &PlannedPath, op: FileOperation) -> Result<(), OpError> {
        if plan.safe_device {
            return Err(OpError::Failed(Error::new(
                ErrorCode::Unsupported,
                format!(
                    "{} {}: the file tools do not open devices",
                    op.as_str(),
                    plan.shown
                ),
            )));
        }
        Ok(())
    }

    pub(super) fn open_read(g: &FilesystemGuard, a: &Authorized) -> Result<ReadHandle, OpError> {
        let op = Op::new(g, a.op)?;
        let plan = &a.first;
        refuse_device(plan, a.op)?;
        let Some((name, parent)) = plan.rel.split_last() else {
            return Err(io_failed(&format!("read {}", plan.shown), Errno::ISDIR));
        };
        let dir = op.open_dir(plan, parent, false)?;
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY;
        let f = match op.step(&dir, name, flags, Mode::empty()) {
            Ok(f) => f,
            Err(Errno::LOOP) => return Err(op.changed(&plan.shown, "became a symbolic link")),
            Err(e) => return Err(io_failed(&format!("read {}", plan.shown), e)),
        };
        let m = f.metadata().map_err(|e| io_failed(&plan.shown, e))?;
        if m.is_dir() {
            return Err(io_failed(&format!("read {}", plan.shown), Errno::ISDIR));
        }
        if !m.is_file() {
            return Err(OpError::Failed(Error::invalid_argument(format!(
                "read {}: not a regular file",
                plan.shown
            ))));
        }
        op.verify(&f, &m, Role::Only, &plan.shown)?;
        Ok(ReadHandle {
            file: f,
            size: m.len(),
        })
    }

    pub(super) fn write(g: &FilesystemGuard, a: &Authorized, data: &[u8]) -> Result<(), OpError> {
        let op = Op::new(g, a.op)?;
        let plan = &a.first;
        refuse_device(plan, a.op)?;
        let verb = a.op.as_str();
        let (dir, name) = op.open_parent(plan, true)?;
        let mode = Mode::from_raw_mode(0o666);
        let (f, created) = match op.step(
            &dir,
            name,
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL,
            mode,
        ) {
            Ok(f) => (f, true),
            Err(Errno::EXIST) if a.op == FileOperation::Write => {
                // O_NONBLOCK: opening a FIFO must not hang; it is refused below.
                match op.step(
                    &dir,
                    name,
                    OFlags::WRONLY | OFlags::NONBLOCK | OFlags::NOCTTY,
                    Mode::empty(),
                ) {
                    Ok(f) => (f, false),
                    Err(Errno::LOOP) => return Err(op.changed(&plan.shown, "is a symbolic link")),
                    Err(e) => return Err(io_failed(&format!("{verb} {}", plan.shown), e)),
                }
            }
            Err(e) => return Err(io_failed(&format!("{verb} {}", plan.shown), e)),
        };
        let checked = f
            .metadata()
            .map_err(|e| io_failed(&plan.shown, e))
            .and_then(|m| {
                if !m.is_file() {
                    return Err(OpError::Failed(Error::invalid_argument(format!(
                        "{verb} {}: not a regular file",
                        plan.shown
                    ))));
                }
                if !created {
                    if let Some(n) = super::super::resolve::link_count(&m).filter(|n| *n > 1) {
                        return Err(OpError::Denied(super::super::linked_file_denial(
                            a.op,
                            &plan.shown,
                            n,
                        )));
                    }
                }
                op.verify(&f, &m, Role::Only, &plan.shown)
            });
        if let Err(e) = checked {
            if created {
                // Take back the empty file this call created in a place it must not write.
                let _ = rfs::unlinkat(dir.as_fd(), name, AtFlags::empty());
            }
            return Err(e);
        }
        // Truncate only now: a refused file must keep its content.
        let mut f = f;
        f.set_len(0)
            .and_then(|_| f.write_all(data))
            .map_err(|e| io_failed(&format!("{verb} {}", plan.shown), e))
    }

    pub(super) fn create_dir(g: &FilesystemGuard, a: &Authorized) -> Result<(), OpError> {
        let op = Op::new(g, a.op)?;
        let plan = &a.first;
        refuse_device(plan, a.op)?;
        let dir = op.open_dir(plan, &plan.rel, true)?;
        let m = dir.metadata().map_err(|e| io_failed(&plan.shown, e))?;
        op.verify(&dir, &m, Role::Only, &plan.shown).map(drop)
    }

    pub(super) fn delete(g: &FilesystemGuard, a: &Authorized) -> Result<(), OpError> {
        let op = Op::new(g, a.op)?;
        let plan = &a.first;
        refuse_device(plan, a.op)?;
        let (dir, name) = op.open_parent(plan, false)?;
        let (entry, m) = op.open_entry(&dir, name, &plan.shown)?;
        op.verify(&entry, &m, Role::Only, &plan.shown)?;
        let flags = if m.is_dir() {
            AtFlags::REMOVEDIR
        } else {
            AtFlags::empty()
        };
        rfs::unlinkat(dir.as_fd(), name, flags)
            .map_err(|e| io_failed(&format!("delete {}", plan.shown), e))
    }

    pub(super) fn list(g: &FilesystemGuard, a: &Authorized) -> Result<Vec<DirEntry>, OpError> {
        let op = Op::new(g, a.op)?;
        let plan = &a.first;
        refuse_device(plan, a.op)?;
        let path_fd = op.open_dir(plan, &plan.rel, false)?;
        // Reopen "." of the held handle for reading: the same directory, no lookup by name.
        let dir = File::from(
            rfs::openat(
                path_fd.as_fd(),
                ".",
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| io_failed(&format!("list {}", plan.shown), e))?,
        );
        let m = dir.metadata().map_err(|e| io_failed(&plan.shown, e))?;
        let real = op.verify(&dir, &m, Role::Only, &plan.shown)?;
        let mut out = Vec::new();
        let entries =
            rfs::Dir::read_from(&dir).map_err(|e| io_failed(&format!("list {}", plan.shown), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_failed(&format!("list {}", plan.shown), e))?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            let mut comps = real.clone();
            comps.push(name.to_vec());
            if !g.visible(comps) {
                continue;
            }
            let kind = match entry.file_type() {
                rfs::FileType::RegularFile => EntryKind::File,
                rfs::FileType::Directory => EntryKind::Dir,
                rfs::FileType::Symlink => EntryKind::Symlink,
                _ => EntryKind::Other,
            };
            out.push(DirEntry {
                name: String::from_utf8_lossy(name).into_owned(),
                kind,
            });
        }
        out.sort_by(|x, y| x.name.cmp(&y.name));
        Ok(out)
    }

    pub(super) fn rename(g: &FilesystemGuard, a: &Authorized) -> Result<(), OpError> {
        let op = Op::new(g, a.op)?;
        let (src, dst) = match &a.second {
            Some(dst) => (&a.first, dst),
            None => {
                return Err(OpError::Failed(Error::invalid_argument(
                    "rename: no destination was authorized",
                )))
            }
        };
        refuse_device(src, a.op)?;
        refuse_device(dst, a.op)?;
        let (sdir, sname) = op.open_parent(src, false)?;
        let (ddir, dname) = op.open_parent(dst, false)?;
        let (entry, m) = op.open_entry(&sdir, sname, &src.shown)?;
        op.verify(&entry, &m, Role::Source, &src.shown)?;
        let dm = ddir.metadata().map_err(|e| io_failed(&dst.shown, e))?;
        op.check_identity(&dm, &dst.shown, false)?;
        let mut dreal = op.real_path(&ddir, &dst.shown)?;
        dreal.push(dname.to_vec());
        op.rejudge(Role::Dest, dreal, &dst.shown)?;
        rfs::renameat_with(
            sdir.as_fd(),
            sname,
            ddir.as_fd(),
            dname,
            RenameFlags::NOREPLACE,
        )
        .map_err(|e| io_failed(&format!("rename {} to {}", src.shown, dst.shown), e))
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::super::{Authorized, FilesystemGuard};
    use super::{DirEntry, OpError, ReadHandle};
    use crate::error::{Error, ErrorCode};

    fn unsupported<T>(a: &Authorized) -> Result<T, OpError> {
        Err(OpError::Failed(Error::new(
            ErrorCode::Unsupported,
            format!(
                "{}: the enforcing file operations are only available on Linux",
                a.op.as_str()
            ),
        )))
    }

    pub(super) fn open_read(_: &FilesystemGuard, a: &Authorized) -> Result<ReadHandle, OpError> {
        unsupported(a)
    }
    pub(super) fn write(_: &FilesystemGuard, a: &Authorized, _: &[u8]) -> Result<(), OpError> {
        unsupported(a)
    }
    pub(super) fn create_dir(_: &FilesystemGuard, a: &Authorized) -> Result<(), OpError> {
        unsupported(a)
    }
    pub(super) fn delete(_: &FilesystemGuard, a: &Authorized) -> Result<(), OpError> {
        unsupported(a)
    }
    pub(super) fn list(_: &FilesystemGuard, a: &Authorized) -> Result<Vec<DirEntry>, OpError> {
        unsupported(a)
    }
    pub(super) fn rename(_: &FilesystemGuard, a: &Authorized) -> Result<(), OpError> {
        unsupported(a)
    }
}
