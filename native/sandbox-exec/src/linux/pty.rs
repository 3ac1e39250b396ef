//! Terminals. A command that held the caller's terminal could change more
//! than its settings (its mode, exclusive use, its line discipline — which
//! leaves the caller's terminal dead), and through the host's `/dev/pts` it
//! could open every other terminal of the same user: read what is typed
//! there, write into it, turn its echo off.
//!
//! So the command gets a pseudo-terminal of its own: a private `devpts`
//! instance is mounted on `/dev/pts` in its mount namespace (with
//! `/dev/ptmx` bound to its `ptmx`), so no terminal of the host is there to
//! open; when the caller's standard descriptors include a terminal, the
//! child opens a new terminal pair in that instance, hands the master to
//! the helper and takes the slave as its controlling terminal. The helper
//! copies between the caller's terminal (in raw mode meanwhile) and the
//! master, and passes window size changes on (see [`super::relay`]).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use super::sys;
use crate::report::{Level, Mechanism};

/// Mount a private devpts instance on `/dev/pts` and bind its `ptmx` on
/// `/dev/ptmx`. In the child's mount namespace, after the read-only view.
pub fn mount_private_devpts() -> Mechanism {
    let c = |s: &str| std::ffi::CString::new(s).expect("no NUL");
    let flags = libc::MS_NOSUID | libc::MS_NOEXEC;
    let data = c("newinstance,ptmxmode=0666,mode=0620");
    if let Err(e) = sys::mount(
        Some(&c("devpts")),
        &c("/dev/pts"),
        Some(&c("devpts")),
        flags,
        Some(&data),
    ) {
        return Mechanism::new(
            Level::Partial,
            format!("no private devpts instance ({e}): the host's terminals under /dev/pts are reachable"),
        );
    }
    // A /dev/ptmx symlink to pts/ptmx already leads to the new instance.
    let is_link = std::fs::symlink_metadata("/dev/ptmx")
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if !is_link {
        if let Err(e) = sys::mount(
            Some(&c("/dev/pts/ptmx")),
            &c("/dev/ptmx"),
            None,
            libc::MS_BIND,
            None,
        ) {
            return Mechanism::new(
                Level::Partial,
                format!("/dev/ptmx could not be bound to the private devpts instance ({e}): new terminals are the host's"),
            );
        }
    }
    Mechanism::new(
        Level::Full,
        "private devpts instance: no pseudo-terminal of the host can be opened (consoles and serial ports in /dev are not covered, see Known limits); the command's terminal is its own pseudo-terminal",
    )
}

/// Open a new terminal pair from `/dev/ptmx`, the slave set up like the
/// caller's terminal: (master, slave).
pub fn open_pair(
    termios: Option<&libc::termios>,
    winsize: Option<&libc::winsize>,
) -> io::Result<(OwnedFd, OwnedFd)> {
    let path = c"/dev/ptmx";
    // SAFETY: a NUL-terminated path; the descriptor returned is owned below.
    let m = unsafe {
        libc::open(
            path.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        )
    };
    if m < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `m` was just opened and is owned by nobody else.
    let master = unsafe { OwnedFd::from_raw_fd(m) };
    let unlock: libc::c_int = 0;
    // SAFETY: TIOCSPTLCK reads one int.
    if unsafe { libc::ioctl(m, libc::TIOCSPTLCK, &unlock) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // The slave by the master itself: no path lookup (the instance is the
    // master's, wherever it is mounted).
    // SAFETY: TIOCGPTPEER takes open flags and returns a new descriptor.
    let s = unsafe {
        libc::ioctl(
            m,
            libc::TIOCGPTPEER,
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        )
    };
    if s < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `s` was just returned and is owned by nobody else.
    let slave = unsafe { OwnedFd::from_raw_fd(s) };
    if let Some(t) = termios {
        // SAFETY: a complete termios read by tcgetattr.
        unsafe { libc::tcsetattr(s, libc::TCSANOW, t) };
    }
    if let Some(w) = winsize {
        // SAFETY: TIOCSWINSZ reads one winsize.
        unsafe { libc::ioctl(s, libc::TIOCSWINSZ, w) };
    }
    Ok((master, slave))
}

/// Make `fd` (a terminal) the controlling terminal of this process, a
/// session leader without one.
pub fn take_controlling(fd: RawFd) -> io::Result<()> {
    // SAFETY: TIOCSCTTY takes an int argument (0: do not steal).
    if unsafe { libc::ioctl(fd, libc::TIOCSCTTY, 0) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Put the caller's terminal `fd` in raw mode (its settings are saved by
/// [`super::tty::save`] and put back at the end).
pub fn make_raw(fd: RawFd) {
    // SAFETY: plain data, filled by tcgetattr.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is a valid termios; the calls fail harmlessly on a
    // descriptor that is not a terminal.
    unsafe {
        if libc::tcgetattr(fd, &mut t) != 0 {
            return;
        }
        libc::cfmakeraw(&mut t);
    }
    // A helper in a background process group would be stopped by SIGTTOU.
    let set = sys::sigset(&[libc::SIGTTOU]);
    let old = sys::sigmask(libc::SIG_BLOCK, &set);
    // SAFETY: `t` is a complete termios.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) };
    if let Ok(old) = old {
        let _ = sys::sigmask(libc::SIG_SETMASK, &old);
    }
}

/// Copy the window size of the caller's terminal `from` to the master `to`
/// (which signals SIGWINCH to the command's foreground group).
pub fn copy_window_size(from: RawFd, to: &OwnedFd) {
    // SAFETY: plain data, filled by TIOCGWINSZ.
    let mut w: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize; TIOCSWINSZ reads one.
    unsafe {
        if libc::ioctl(from, libc::TIOCGWINSZ, &mut w) == 0 {
            libc::ioctl(to.as_raw_fd(), libc::TIOCSWINSZ, &w);
        }
    }
}

/// Puts the caller's terminals back when the supervisor unwinds from a
/// panic, which skips the normal restore: the helper itself may have left
/// the caller's terminal in raw mode.
pub struct RestoreOnPanic<'a>(pub &'a [super::tty::Saved]);

impl Drop for RestoreOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            super::tty::restore(self.0);
        }
    }
}
