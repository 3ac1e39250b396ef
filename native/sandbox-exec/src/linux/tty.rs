//! The caller's terminal. A command that shares it (standard input, output
//! or error is a terminal) can change its settings: echo off, raw mode,
//! another window size. The helper saves the settings of every terminal
//! among descriptors 0–2 before the command starts and puts them back when
//! it has ended, however it ended (exit, signal, time limit), so the command
//! gets no lasting control over the caller's terminal. While it runs, the
//! command may use the terminal as any program would (an editor, a pager).

use std::mem::MaybeUninit;

/// Settings of one terminal descriptor.
pub struct Saved {
    fd: i32,
    termios: libc::termios,
    winsize: Option<libc::winsize>,
}

/// The settings of the terminals among descriptors 0, 1 and 2.
pub fn save() -> Vec<Saved> {
    (0..=2).filter_map(save_fd).collect()
}

fn save_fd(fd: i32) -> Option<Saved> {
    let mut t = MaybeUninit::<libc::termios>::uninit();
    // SAFETY: `t` is a valid termios to write; tcgetattr fails (ENOTTY,
    // EBADF) on anything that is not an open terminal and writes nothing.
    if unsafe { libc::tcgetattr(fd, t.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: tcgetattr succeeded and filled it.
    let termios = unsafe { t.assume_init() };
    let mut w = MaybeUninit::<libc::winsize>::uninit();
    // SAFETY: TIOCGWINSZ writes one winsize into the pointer given.
    let winsize = (unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, w.as_mut_ptr()) } == 0)
        // SAFETY: the ioctl succeeded and filled it.
        .then(|| unsafe { w.assume_init() });
    Some(Saved {
        fd,
        termios,
        winsize,
    })
}

/// Put every saved terminal back as it was.
pub fn restore(saved: &[Saved]) {
    if saved.is_empty() {
        return;
    }
    // A helper in a background process group would be stopped by SIGTTOU
    // when it changes the terminal; with SIGTTOU blocked the change is made.
    let set = super::sys::sigset(&[libc::SIGTTOU]);
    let old = super::sys::sigmask(libc::SIG_BLOCK, &set);
    for s in saved {
        // SAFETY: `s.termios` is a complete termios read by tcgetattr; on a
        // descriptor that is no longer a terminal the call just fails.
        unsafe { libc::tcsetattr(s.fd, libc::TCSANOW, &s.termios) };
        if let Some(w) = s.winsize {
            let mut now = MaybeUninit::<libc::winsize>::uninit();
            // SAFETY: TIOCGWINSZ writes one winsize into the pointer given.
            let same = unsafe { libc::ioctl(s.fd, libc::TIOCGWINSZ, now.as_mut_ptr()) } == 0 && {
                // SAFETY: the ioctl succeeded and filled it.
                let now = unsafe { now.assume_init() };
                (now.ws_row, now.ws_col, now.ws_xpixel, now.ws_ypixel)
                    == (w.ws_row, w.ws_col, w.ws_xpixel, w.ws_ypixel)
            };
            // Set only when changed: setting it signals SIGWINCH to the
            // terminal's foreground group.
            if !same {
                // SAFETY: TIOCSWINSZ reads one winsize from the pointer given.
                unsafe { libc::ioctl(s.fd, libc::TIOCSWINSZ, &w) };
            }
        }
    }
    if let Ok(old) = old {
        let _ = super::sys::sigmask(libc::SIG_SETMASK, &old);
    }
}

/// The file status flags (`O_NONBLOCK`, `O_APPEND`, ...) of descriptors
/// 0–2, which belong to the open file description and so are shared with
/// the caller when the command gets the caller's pipe as it is: a command
/// that leaves `O_NONBLOCK` set would make the caller's later writes fail
/// with `EAGAIN`. Saved before the command starts, put back after it ended.
pub struct StatusFlags(Vec<(i32, i32)>);

/// The status flags of the open descriptors among 0, 1 and 2.
pub fn save_flags() -> StatusFlags {
    StatusFlags(
        (0..=2)
            .filter_map(|fd| {
                // SAFETY: F_GETFL only reads the descriptor's flags; it fails
                // with EBADF on a closed one.
                let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
                (flags >= 0).then_some((fd, flags))
            })
            .collect(),
    )
}

/// Put the saved status flags back where they changed.
pub fn restore_flags(saved: &StatusFlags) {
    for &(fd, flags) in &saved.0 {
        // SAFETY: F_GETFL/F_SETFL only read and change this descriptor's
        // status flags; the access mode bits are ignored by F_SETFL.
        unsafe {
            let now = libc::fcntl(fd, libc::F_GETFL);
            if now >= 0 && now != flags {
                libc::fcntl(fd, libc::F_SETFL, flags);
            }
        }
    }
}
