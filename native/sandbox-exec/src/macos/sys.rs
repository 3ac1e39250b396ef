//! The few C calls the macOS supervisor needs. Each is small and says why
//! it is sound.

use std::ffi::{CStr, OsStr};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

pub use crate::unix::interface_addresses;

/// The terminal open on descriptor `fd`, if it is one (`/dev/ttys003`).
pub fn terminal_of(fd: libc::c_int) -> Option<PathBuf> {
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(fd) } != 1 {
        return None;
    }
    let mut buf = [0 as libc::c_char; 1024];
    // SAFETY: `buf` is writable for its length; ttyname_r NUL-terminates.
    let rc = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: ttyname_r succeeded, so `buf` holds a NUL-terminated string.
    let name = unsafe { CStr::from_ptr(buf.as_ptr()) };
    Some(PathBuf::from(name.to_string_lossy().into_owned()))
}

/// The home directory the account database gives for the real uid.
pub fn account_home() -> Option<PathBuf> {
    // SAFETY: getpwuid returns null or a pointer to static storage that is
    // read at once; no other thread exists yet.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_dir.is_null() {
            return None;
        }
        let dir = CStr::from_ptr((*pw).pw_dir);
        Some(PathBuf::from(dir.to_string_lossy().into_owned()))
    }
}

/// `uname -r`.
pub fn os_release() -> String {
    // SAFETY: utsname is plain data; all-zero is valid.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is writable memory of the right type.
    if unsafe { libc::uname(&mut u) } != 0 {
        return String::new();
    }
    // SAFETY: uname NUL-terminates its fields.
    let r = unsafe { CStr::from_ptr(u.release.as_ptr()) };
    format!("Darwin {}", r.to_string_lossy())
}

/// Sends `sig` to process group `pgid`; a group that is gone is no error.
pub fn kill_group(pgid: i32, sig: libc::c_int) {
    if pgid > 1 {
        // SAFETY: kill has no memory effects; a negative pid names a group.
        unsafe { libc::kill(-pgid, sig) };
    }
}

/// The last termination signal the helper received (0: none).
static PENDING: AtomicI32 = AtomicI32::new(0);

extern "C" fn note_signal(sig: libc::c_int) {
    // Async-signal-safe: one atomic store.
    PENDING.store(sig, Ordering::SeqCst);
}

/// Signals the helper passes on to the command's process group.
pub const FORWARDED: &[libc::c_int] = &[libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT];

/// Catch the forwarded signals: the supervisor then passes them on.
pub fn catch_forwarded() {
    for &sig in FORWARDED {
        // SAFETY: the handler only stores to an atomic, which is
        // async-signal-safe.
        unsafe { libc::signal(sig, note_signal as *const () as libc::sighandler_t) };
    }
}

/// A signal received since the last call, if any.
pub fn take_signal() -> Option<libc::c_int> {
    match PENDING.swap(0, Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// The limits set in the command's process before it executes anything.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub file_size: Option<u64>,
    pub processes: u64,
}

/// Lowers `resource` to `value`; a limit the caller set lower stays.
/// Async-signal-safe (called between fork and exec).
fn lower(resource: libc::c_int, value: u64) -> io::Result<()> {
    let mut cur = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `cur` is writable memory of the right type.
    check(unsafe { libc::getrlimit(resource, &mut cur) })?;
    let v = value as libc::rlim_t;
    let new = libc::rlimit {
        rlim_cur: cur.rlim_cur.min(v),
        rlim_max: cur.rlim_max.min(v),
    };
    // SAFETY: `new` is a valid rlimit.
    check(unsafe { libc::setrlimit(resource, &new) })
}

/// In the command's process, between fork and exec: its own process group
/// (in the foreground of the caller's terminal, when it has one, so that it
/// may read it), then the limits. Only async-signal-safe calls.
pub fn child_setup(limits: Limits) -> io::Result<()> {
    // SAFETY: setpgid, getpid, isatty, signal and tcsetpgrp have no memory
    // effects; they are async-signal-safe.
    unsafe {
        let foreground = libc::isatty(0) == 1 && libc::tcgetpgrp(0) == libc::getpgrp();
        check(libc::setpgid(0, 0))?;
        if foreground {
            let old = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::tcsetpgrp(0, libc::getpid());
            libc::signal(libc::SIGTTOU, old);
        }
        for &sig in FORWARDED {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
    // Descriptors beyond 0-2 (the report's, the caller's others) are not
    // the command's: closed at exec.
    let mut files = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `files` is writable memory of the right type.
    check(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut files) })?;
    for fd in 3..files.rlim_cur.min(65_536) as libc::c_int {
        // SAFETY: fcntl on a descriptor number; EBADF for closed ones is ignored.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    lower(libc::RLIMIT_CORE, 0)?;
    lower(libc::RLIMIT_NPROC, limits.processes)?;
    if let Some(n) = limits.file_size {
        lower(libc::RLIMIT_FSIZE, n)?;
    }
    Ok(())
}

/// Gives the caller's terminal back to the helper's process group when the
/// command's group held it.
pub fn reclaim_terminal(child_group: i32) {
    // SAFETY: as in `child_setup`; SIGTTOU is ignored so that a background
    // helper is not stopped by the call.
    unsafe {
        if libc::isatty(0) == 1 && libc::tcgetpgrp(0) == child_group {
            let old = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::tcsetpgrp(0, libc::getpgrp());
            libc::signal(libc::SIGTTOU, old);
        }
    }
}

/// A directory opened for `write_new_or_regular` later.
pub fn open_dir(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(path)
        .ok()
}

/// Writes `bytes` to `name` in `dir`, never through a link and only into a
/// regular file (created with mode 600 when missing).
pub fn write_new_or_regular(dir: &std::fs::File, name: &OsStr, bytes: &[u8]) -> io::Result<()> {
    let mut f = crate::unix::open_regular_for_writing(dir.as_raw_fd(), name)?;
    f.set_len(0)?;
    f.write_all(bytes)
}
