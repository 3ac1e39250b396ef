//! Permissions the run widened in the writable trees. A command may
//! `chmod 0777` the workspace, `.git`, `.git/objects` or `.git/refs`,
//! `chmod 0666` tracked files and the index, or set a POSIX ACL granting
//! another account write access (a *default* ACL on `.git/objects` passes
//! it on to every directory git makes later): git does not mind (its
//! `safe.directory` looks at the owner only), and any other local account
//! that can reach the path then renames `.git/config` away in a writable
//! `.git`, or edits a writable `Makefile`, and runs code as the user at the
//! user's next `git status` or `make`.
//!
//! So after the run, the walk of the writable trees (see
//! [`crate::bytecode::sweep`]) looks at each directory and file it changed
//! (change time at or after the run's start, which `chmod` and `setfacl`
//! move, or below a directory it made) and takes away the write bits for
//! the group and others that are not allowed: a directory recorded before
//! the run keeps exactly the write bits it had; anything else keeps those
//! the user's umask lets new entries have (none with `022`), and, in a git
//! dir, those its `core.sharedRepository` gives. An ACL (`system.posix_acl_access`
//! or `system.posix_acl_default`) granting write to a named user or group,
//! or to the owning group or others beyond those bits, is removed, unless
//! the directory had that very ACL before the run. Set-user-ID and
//! set-group-ID bits are refused during the run (seccomp). Each entry
//! changed is listed in the report (`permissions_repaired`).
//!
//! Read access matters too where the policy hides or protects something
//! in a writable tree: `chmod 755 .` on a 0700 workspace, `o+rx` on
//! `.git` or a read ACL hands a blocked `secrets/db.key`, or the whole
//! history, to every local account, although the run itself cannot read
//! it. So the plan records the mode and ACLs of each entry it hides or
//! protects in a writable tree and of every directory on the way to it
//! from its writable root ([`Guarded`]); after the run, read, search and
//! write bits for the group and others each gained are taken back and
//! each ACL that differs is put back as it was ([`restore_guarded`]).

use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};

/// The ACL extended attributes, access then default.
pub const ACL_NAMES: [&str; 2] = ["system.posix_acl_access", "system.posix_acl_default"];

/// The largest ACL read (32 entries of 8 bytes and the header are far
/// less); a larger one counts as widening.
const ACL_LIMIT: usize = 4096;

/// Entries `permissions_repaired` lists at most.
pub const LISTED: usize = 200;

/// The ACLs of a directory as recorded before the run (access, default).
pub type Acls = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The write bits for the group and others that the process's umask lets
/// new entries have (`/proc/self/status`; none when it cannot be read).
pub fn umask_allows() -> u32 {
    let Ok(text) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("Umask:") {
            if let Ok(m) = u32::from_str_radix(v.trim(), 8) {
                return !m & 0o022;
            }
        }
    }
    0
}

/// The write bits for the group and others that `core.sharedRepository`
/// in `git_dir/config` makes git give the entries it writes: `group`
/// (`true`, `1`) the group's, `all` (`world`, `everybody`, `2`) both, an
/// octal mode its own. The last setting in the file counts; the section
/// is not checked (a `sharedRepository` key elsewhere only keeps bits).
pub fn shared_repository_allows(git_dir: &Path) -> u32 {
    let Ok(text) = crate::git::nofollow::read_regular(&git_dir.join("config"), 1 << 20) else {
        return 0;
    };
    let text = String::from_utf8_lossy(&text);
    let mut allow = 0;
    for line in text.lines() {
        let l = line.trim();
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        if !k.trim().eq_ignore_ascii_case("sharedrepository") {
            continue;
        }
        let v = v.trim().trim_matches('"').to_ascii_lowercase();
        allow = match v.as_str() {
            "group" | "true" | "1" => 0o020,
            "all" | "world" | "everybody" | "2" => 0o022,
            "umask" | "false" | "0" => 0,
            o if o.starts_with('0') => u32::from_str_radix(o, 8).map_or(0, |m| m & 0o022),
            _ => 0,
        };
    }
    allow
}

/// Read extended attribute `name` of `path` (not following a link at its
/// end). `None`: it has none (or it cannot be read: then it counts as
/// absent before the run and as widening after it, see [`widens`]).
fn get(path: &CString, name: &str, follow: bool) -> Result<Option<Vec<u8>>, ()> {
    let n = CString::new(name).expect("no NUL");
    let mut buf = vec![0u8; ACL_LIMIT];
    // SAFETY: valid C strings and a buffer of the length given.
    let r = unsafe {
        if follow {
            libc::getxattr(
                path.as_ptr(),
                n.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        } else {
            libc::lgetxattr(
                path.as_ptr(),
                n.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        }
    };
    if r < 0 {
        let e = std::io::Error::last_os_error().raw_os_error();
        return if e == Some(libc::ENODATA) || e == Some(libc::EOPNOTSUPP) {
            Ok(None)
        } else {
            Err(())
        };
    }
    buf.truncate(r as usize);
    Ok(Some(buf))
}

/// The ACLs of directory `dir` as they are now (for the record before
/// the run): `None` when it has none. One `llistxattr` when it has no
/// extended attribute at all (the common case).
pub fn acls_of(dir: &Path) -> Option<Box<Acls>> {
    use std::os::unix::ffi::OsStrExt;
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut names = [0u8; 1024];
    // SAFETY: a valid C string and a buffer of the length given.
    let n = unsafe { libc::llistxattr(c.as_ptr(), names.as_mut_ptr().cast(), names.len()) };
    if n == 0 {
        return None;
    }
    if n > 0 {
        let listed = &names[..n as usize];
        let acl = listed
            .split(|&b| b == 0)
            .any(|name| ACL_NAMES.iter().any(|a| a.as_bytes() == name));
        if !acl {
            return None;
        }
    }
    let a = get(&c, ACL_NAMES[0], false).ok().flatten();
    let d = get(&c, ACL_NAMES[1], false).ok().flatten();
    (a.is_some() || d.is_some()).then(|| Box::new((a, d)))
}

/// Whether ACL `v` (the kernel's `posix_acl_xattr` form: a version, then
/// tag, permissions and id per entry) grants write to anyone but the
/// owner beyond `allow`: a named user or group with write, the owning
/// group or others with write `allow` does not give. One that cannot be
/// parsed does.
fn widens(v: &[u8], allow: u32) -> bool {
    const USER: u16 = 0x02;
    const GROUP_OBJ: u16 = 0x04;
    const GROUP: u16 = 0x08;
    const OTHER: u16 = 0x20;
    const WRITE: u16 = 0x02;
    if v.len() < 4 || !(v.len() - 4).is_multiple_of(8) || v.len() > ACL_LIMIT {
        return true;
    }
    v[4..].chunks_exact(8).any(|e| {
        let tag = u16::from_le_bytes([e[0], e[1]]);
        let perm = u16::from_le_bytes([e[2], e[3]]);
        perm & WRITE != 0
            && match tag {
                USER | GROUP => true,
                GROUP_OBJ => allow & 0o020 == 0,
                OTHER => allow & 0o002 == 0,
                _ => false,
            }
    })
}

/// One entry whose permissions were narrowed.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub path: PathBuf,
    pub mode_before: u32,
    pub mode_after: u32,
    /// The ACL attributes removed.
    pub acls_removed: Vec<&'static str>,
}

/// What the repair did.
#[derive(Debug, Default)]
pub struct Repaired {
    /// The first [`LISTED`] entries narrowed.
    pub fixed: Vec<Fixed>,
    pub total: u64,
    /// Entries that could not be narrowed, with why.
    pub failed: Vec<(PathBuf, String)>,
}

/// Narrow entry `name` of directory `dir` (`st`: its status; a regular
/// file or a directory) at `path`: write bits for the group and others
/// beyond `allow` are taken away, and ACLs widening beyond `allow`
/// removed unless equal to `before` (the directory's ACLs recorded before
/// the run). Worked on through a descriptor opened without following a
/// link and its `/proc/self/fd` name, so that an entry swapped meanwhile
/// for a link is never followed.
pub fn repair_at(
    dir: &OwnedFd,
    name: &std::ffi::CStr,
    path: &Path,
    st: &libc::stat,
    allow: u32,
    before: Option<&Acls>,
    out: &mut Repaired,
) {
    // Only the owner (or a capability the sandbox's user namespace does
    // not give over others' files) changes a mode or an ACL: an entry of
    // another account's the run could not have widened.
    // SAFETY: no arguments; cannot fail.
    if st.st_uid != unsafe { libc::geteuid() } {
        return;
    }
    let wide_mode = st.st_mode & 0o022 & !allow != 0;
    // A file's access ACL can grant write to no one but the owner when
    // its mask (the group's bits) has none: then, without a write bit to
    // take away, there is nothing to look at (no call for most files).
    // A directory's default ACL does not depend on its mask.
    if st.st_mode & libc::S_IFMT == libc::S_IFREG && !wide_mode && st.st_mode & 0o020 == 0 {
        return;
    }
    // SAFETY: a valid directory descriptor and C string; the descriptor
    // returned is owned below.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        if wide_mode {
            out.failed.push((
                path.to_path_buf(),
                std::io::Error::last_os_error().to_string(),
            ));
        }
        return;
    }
    // SAFETY: just opened, owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: `stat` is plain integers, filled in by the call.
    let mut now: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor and buffer.
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut now) } != 0
        || (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino)
    {
        return;
    }
    let kind = now.st_mode & libc::S_IFMT;
    if kind != libc::S_IFREG && kind != libc::S_IFDIR {
        return;
    }
    let proc = CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd())).expect("no NUL");
    let mut acls_removed = Vec::new();
    let mut why = None;
    for (i, n) in ACL_NAMES.iter().enumerate() {
        if i == 1 && kind != libc::S_IFDIR {
            continue;
        }
        let v = match get(&proc, n, true) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(()) => Vec::new(),
        };
        let had = before.and_then(|b| if i == 0 { b.0.as_ref() } else { b.1.as_ref() });
        if had == Some(&v) || !widens(&v, allow) {
            continue;
        }
        let c = CString::new(*n).expect("no NUL");
        // SAFETY: valid C strings.
        if unsafe { libc::removexattr(proc.as_ptr(), c.as_ptr()) } == 0 {
            acls_removed.push(*n);
        } else {
            why.get_or_insert(std::io::Error::last_os_error().to_string());
        }
    }
    // Removing the access ACL leaves its mask as the group's bits: status again.
    // SAFETY: as above.
    if !acls_removed.is_empty() && unsafe { libc::fstat(fd.as_raw_fd(), &mut now) } != 0 {
        why.get_or_insert(std::io::Error::last_os_error().to_string());
    }
    let mode = now.st_mode & 0o7777;
    let narrowed = mode & !(0o022 & !allow);
    if narrowed != mode {
        // SAFETY: a valid C string.
        if unsafe { libc::chmod(proc.as_ptr(), narrowed) } != 0 {
            why.get_or_insert(std::io::Error::last_os_error().to_string());
        }
    }
    if let Some(w) = why {
        out.failed.push((path.to_path_buf(), w));
    }
    if narrowed != mode || !acls_removed.is_empty() {
        out.total += 1;
        if out.fixed.len() < LISTED {
            out.fixed.push(Fixed {
                path: path.to_path_buf(),
                mode_before: st.st_mode & 0o7777,
                mode_after: narrowed,
                acls_removed,
            });
        }
    }
}

/// The mode and ACLs of an entry the plan hides or protects in a writable
/// tree, or of a directory on the way to one, as they were before the run.
#[derive(Debug, Clone)]
pub struct Guarded {
    pub path: PathBuf,
    dev: u64,
    ino: u64,
    mode: u32,
    acls: Acls,
}

/// Record [`Guarded`] entries for `paths` (those that exist and are no
/// link).
pub fn record_guarded(paths: impl IntoIterator<Item = PathBuf>) -> Vec<Guarded> {
    use std::os::unix::ffi::OsStrExt;
    let mut out = Vec::new();
    for path in paths {
        let Ok(st) = crate::git::nofollow::lstat_last(&path) else {
            continue;
        };
        let kind = st.st_mode & libc::S_IFMT;
        if kind != libc::S_IFDIR && kind != libc::S_IFREG {
            continue;
        }
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            continue;
        };
        // An ACL that cannot be read is recorded as none: one found after
        // the run is then taken away.
        let acls = (
            get(&c, ACL_NAMES[0], false).ok().flatten(),
            get(&c, ACL_NAMES[1], false).ok().flatten(),
        );
        out.push(Guarded {
            path,
            dev: st.st_dev,
            ino: st.st_ino,
            mode: st.st_mode & 0o7777,
            acls,
        });
    }
    out
}

/// Put back what the run opened on the [`Guarded`] entries: bits for the
/// group and others each has now beyond those it had, and ACLs that
/// differ from those it had. The same entry, reached through no link, or
/// nothing (an entry replaced was not there; those on the way to a hidden
/// one are mount points during the run and cannot be). Entries of other
/// accounts are left: the run could not change them.
pub fn restore_guarded(guarded: &[Guarded], out: &mut Repaired) {
    for g in guarded {
        let Ok(fd) = crate::git::nofollow::open(&g.path, libc::O_PATH) else {
            continue;
        };
        // SAFETY: `stat` is plain integers, filled in by the call.
        let mut now: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor and buffer.
        if unsafe { libc::fstat(fd.as_raw_fd(), &mut now) } != 0
            || (now.st_dev, now.st_ino) != (g.dev, g.ino)
            // SAFETY: no arguments; cannot fail.
            || now.st_uid != unsafe { libc::geteuid() }
        {
            continue;
        }
        let kind = now.st_mode & libc::S_IFMT;
        if kind != libc::S_IFREG && kind != libc::S_IFDIR {
            continue;
        }
        let mode_before = now.st_mode & 0o7777;
        let proc = CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd())).expect("no NUL");
        let mut acls_removed = Vec::new();
        let mut why = None;
        for (i, n) in ACL_NAMES.iter().enumerate() {
            if i == 1 && kind != libc::S_IFDIR {
                continue;
            }
            let had = if i == 0 { &g.acls.0 } else { &g.acls.1 };
            let has = get(&proc, n, true).unwrap_or(Some(Vec::new()));
            if has == *had {
                continue;
            }
            let c = CString::new(*n).expect("no NUL");
            // SAFETY: valid C strings and a buffer of the length given.
            let r = unsafe {
                match had {
                    Some(v) => {
                        libc::setxattr(proc.as_ptr(), c.as_ptr(), v.as_ptr().cast(), v.len(), 0)
                    }
                    None => libc::removexattr(proc.as_ptr(), c.as_ptr()),
                }
            };
            if r == 0 {
                acls_removed.push(*n);
            } else {
                why.get_or_insert(std::io::Error::last_os_error().to_string());
            }
        }
        // An ACL put back or removed sets the group's bits: status again.
        // SAFETY: as above.
        if !acls_removed.is_empty() && unsafe { libc::fstat(fd.as_raw_fd(), &mut now) } != 0 {
            why.get_or_insert(std::io::Error::last_os_error().to_string());
        }
        let mode = now.st_mode & 0o7777;
        let narrowed = mode & !(mode & 0o077 & !g.mode);
        if narrowed != mode {
            // SAFETY: a valid C string.
            if unsafe { libc::chmod(proc.as_ptr(), narrowed) } != 0 {
                why.get_or_insert(std::io::Error::last_os_error().to_string());
            }
        }
        if let Some(w) = why {
            out.failed.push((g.path.clone(), w));
        }
        if narrowed == mode && acls_removed.is_empty() {
            continue;
        }
        // The sweep may have listed the entry for its write bits already.
        if let Some(f) = out.fixed.iter_mut().find(|f| f.path == g.path) {
            f.mode_after = narrowed;
            for a in acls_removed {
                if !f.acls_removed.contains(&a) {
                    f.acls_removed.push(a);
                }
            }
            continue;
        }
        out.total += 1;
        if out.fixed.len() < LISTED {
            out.fixed.push(Fixed {
                path: g.path.clone(),
                mode_before,
                mode_after: narrowed,
                acls_removed,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(entries: &[(u16, u16)]) -> Vec<u8> {
        let mut v = 2u32.to_le_bytes().to_vec();
        for (t, p) in entries {
            v.extend_from_slice(&t.to_le_bytes());
            v.extend_from_slice(&p.to_le_bytes());
            v.extend_from_slice(&u32::MAX.to_le_bytes());
        }
        v
    }

    #[test]
    fn acls_widen_when_they_grant_write_beyond_the_allowed_bits() {
        let plain = acl(&[(0x01, 7), (0x04, 5), (0x20, 5)]);
        assert!(!widens(&plain, 0));
        let named_read = acl(&[(0x01, 7), (0x02, 4), (0x04, 5), (0x10, 5), (0x20, 5)]);
        assert!(!widens(&named_read, 0));
        let named_write = acl(&[(0x01, 7), (0x02, 6), (0x04, 5), (0x10, 7), (0x20, 5)]);
        assert!(widens(&named_write, 0o022));
        let other_write = acl(&[(0x01, 7), (0x04, 5), (0x20, 7)]);
        assert!(widens(&other_write, 0o020));
        assert!(!widens(&other_write, 0o022));
        let group_write = acl(&[(0x01, 7), (0x04, 7), (0x20, 5)]);
        assert!(widens(&group_write, 0));
        assert!(!widens(&group_write, 0o020));
        assert!(widens(&[2, 0, 0], 0));
    }
}
