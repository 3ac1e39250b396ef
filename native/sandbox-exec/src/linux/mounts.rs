//! Applies the plan's mount operations inside the private mount namespace:
//! hides blocked paths, pins `.git` directories and makes protected files
//! read-only. Landlock can only allow; these mounts are what make "blocked
//! even inside a readable tree" and "read-only even inside the workspace"
//! hold.

use std::ffi::CString;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::sys;
use crate::plan::{MountKind, MountOp};

fn err(op: &MountOp, what: &str, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{what} {} ({}): {e}", op.path.display(), op.why),
    )
}

/// Bind `path` onto itself, then make it read-only (repeating the flags a
/// user namespace locks).
fn bind_self(path: &CString, read_only: bool) -> io::Result<()> {
    sys::mount(Some(path), path, None, libc::MS_BIND | libc::MS_REC, None)?;
    let flags = sys::mount_flags(path)? & !libc::MS_RDONLY;
    let ro = if read_only { libc::MS_RDONLY } else { 0 };
    sys::mount(
        None,
        path,
        None,
        libc::MS_REMOUNT | libc::MS_BIND | flags | ro,
        None,
    )
}

/// Apply `ops` in order. `scratch` is an empty private directory (the run's
/// temporary directory) used to make the empty file that covers blocked files.
pub fn apply(ops: &[MountOp], scratch: &Path) -> io::Result<()> {
    let root = CString::new("/").expect("no NUL");
    // Nothing done here may propagate back to the host's mount table.
    sys::mount(None, &root, None, libc::MS_REC | libc::MS_PRIVATE, None)?;

    let needs_empty_file = ops.iter().any(|o| o.kind == MountKind::HideFile);
    let scratch_c = sys::cstring(scratch)?;
    let empty_file = scratch.join("empty");
    // Held open so that the binds still find it when a hidden directory
    // later covers the scratch directory's path.
    let mut empty_handle = None;
    if needs_empty_file {
        let tmpfs = CString::new("tmpfs").expect("no NUL");
        let data = CString::new("size=4k,nr_inodes=8,mode=700").expect("no NUL");
        sys::mount(
            Some(&tmpfs),
            &scratch_c,
            Some(&tmpfs),
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            Some(&data),
        )
        .map_err(|e| io::Error::new(e.kind(), format!("scratch tmpfs: {e}")))?;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o000)
            .open(&empty_file)
            .map_err(|e| io::Error::new(e.kind(), format!("scratch file: {e}")))?;
        empty_handle = Some(
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_PATH)
                .open(&empty_file)?,
        );
    }
    let empty_c = match &empty_handle {
        Some(f) => {
            use std::os::fd::AsRawFd;
            CString::new(format!("/proc/self/fd/{}", f.as_raw_fd())).expect("no NUL")
        }
        None => CString::new("/dev/null").expect("no NUL"),
    };

    let tmpfs = CString::new("tmpfs").expect("no NUL");
    let hidden_dir_data = CString::new("size=4k,nr_inodes=2,mode=000").expect("no NUL");
    for op in ops {
        let target = sys::cstring(&op.path)?;
        match op.kind {
            MountKind::Pin => bind_self(&target, false).map_err(|e| err(op, "pin", e))?,
            MountKind::ReadOnly => {
                bind_self(&target, true).map_err(|e| err(op, "read-only bind", e))?
            }
            MountKind::Writable => {
                bind_self(&target, false).map_err(|e| err(op, "writable bind", e))?
            }
            MountKind::HideDir => sys::mount(
                Some(&tmpfs),
                &target,
                Some(&tmpfs),
                libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                Some(&hidden_dir_data),
            )
            .map_err(|e| err(op, "hide directory", e))?,
            MountKind::HideFile => {
                sys::mount(Some(&empty_c), &target, None, libc::MS_BIND, None)
                    .map_err(|e| err(op, "hide file", e))?;
                let flags = sys::mount_flags(&target).map_err(|e| err(op, "hide file", e))?;
                sys::mount(
                    None,
                    &target,
                    None,
                    libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | flags,
                    None,
                )
                .map_err(|e| err(op, "hide file", e))?;
            }
        }
    }
    if needs_empty_file {
        // The binds keep the scratch tmpfs alive; the directory itself goes
        // back to being the run's (empty) temporary directory.
        sys::umount_detach(&scratch_c)?;
    }
    drop(empty_handle);
    Ok(())
}
