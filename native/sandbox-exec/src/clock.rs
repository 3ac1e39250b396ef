//! The clocks the sweeps after a run compare change times with, and a
//! watch on the real-time clock being set.
//!
//! A change time comes from the kernel's coarse real-time clock. The
//! sweeps tell what the run made or changed by a change time at or after
//! a reading taken before it started. If the clock is set back while the
//! command runs (by the time daemon of a machine that just booted, or by
//! anyone with the right to), what the run writes after that gets earlier
//! change times, and would pass for older than the run. A reading then
//! means nothing: [`was_set`] says so, and the callers treat every entry
//! as changed. Comparing the real-time clock with the boot clock at the
//! end does not see a clock set back and then forward again; the kernel's
//! own notice does ([`timerfd_create(2)`]'s `TFD_TIMER_CANCEL_ON_SET`).
//!
//! [`timerfd_create(2)`]: https://man7.org/linux/man-pages/man2/timerfd_create.2.html

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The watch, armed once per process, before the first reading of
/// [`fs_now`]. `None`: it could not be armed.
static WATCH: OnceLock<Option<OwnedFd>> = OnceLock::new();

/// How many times the clock was seen set since the watch was armed
/// (`usize::MAX`: no watch, so never known not to be).
static SETS: AtomicUsize = AtomicUsize::new(0);

fn arm() -> Option<OwnedFd> {
    // SAFETY: plain flags; the descriptor returned is owned below.
    let fd = unsafe {
        libc::timerfd_create(libc::CLOCK_REALTIME, libc::TFD_NONBLOCK | libc::TFD_CLOEXEC)
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: `fd` is a new descriptor nothing else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // An absolute expiry far in the future: the timer never fires, it
    // only reports a discontinuous change of the clock.
    // SAFETY: `itimerspec` is plain integers.
    let mut spec: libc::itimerspec = unsafe { std::mem::zeroed() };
    spec.it_value.tv_sec = libc::time_t::MAX / 2;
    // SAFETY: a valid timerfd and specification; no old value asked for.
    let r = unsafe {
        libc::timerfd_settime(
            fd.as_raw_fd(),
            libc::TFD_TIMER_ABSTIME | libc::TFD_TIMER_CANCEL_ON_SET,
            &spec,
            std::ptr::null_mut(),
        )
    };
    (r == 0).then_some(fd)
}

fn watch() -> &'static Option<OwnedFd> {
    WATCH.get_or_init(|| {
        let w = arm();
        if w.is_none() {
            SETS.store(usize::MAX, Ordering::SeqCst);
        }
        w
    })
}

/// How many times the real-time clock was set since the first reading of
/// [`fs_now`] in this process (`usize::MAX` when that cannot be watched).
/// Two equal answers mean it was not set between them.
pub fn sets() -> usize {
    let Some(fd) = watch() else {
        return usize::MAX;
    };
    let mut buf = [0u8; 8];
    // SAFETY: a valid descriptor and an 8-byte buffer, as timerfd reads.
    let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ECANCELED) {
        // The kernel reports each setting once; the count keeps it.
        SETS.fetch_add(1, Ordering::SeqCst);
    }
    SETS.load(Ordering::SeqCst)
}

/// Whether the real-time clock was (or may have been) set since the first
/// reading of [`fs_now`]: change times are then no guide to what was made
/// after a reading.
pub fn was_set() -> bool {
    sets() != 0
}

/// `t`, a reading of [`fs_now`], when it still tells what was changed
/// after it: `None` once the clock was set (every entry counts as
/// changed).
pub fn unless_set(t: Option<(i64, i64)>) -> Option<(i64, i64)> {
    t.filter(|_| !was_set())
}

/// The coarse real-time clock, which stamps change and birth times (a
/// stamp made after this reading is never earlier than it, unless the
/// clock is set: see [`was_set`]). Arms the watch first.
pub fn fs_now() -> Option<(i64, i64)> {
    watch();
    read(libc::CLOCK_REALTIME_COARSE)
}

/// The boot clock (counts suspended time, never set).
pub fn boot_now() -> Option<(i64, i64)> {
    read(libc::CLOCK_BOOTTIME)
}

fn read(clock: libc::clockid_t) -> Option<(i64, i64)> {
    // SAFETY: `timespec` is plain integers, filled in by the call.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid clock id and `timespec` buffer.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return None;
    }
    Some((ts.tv_sec, ts.tv_nsec))
}

/// Run `body`, a test that compares change times with [`fs_now`]
/// readings, again when the clock was set while it ran (a test on a
/// machine whose time daemon steps the clock would otherwise fail for
/// that alone). A failure with the clock untouched is the test's.
#[cfg(test)]
pub fn retry_if_set(body: impl Fn()) {
    for _ in 0..3 {
        let before = sets();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&body));
        match r {
            Ok(()) => return,
            Err(e) if sets() == before => std::panic::resume_unwind(e),
            Err(_) => continue,
        }
    }
    panic!("the real-time clock was set during each of three tries");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_is_armed_and_quiet_while_the_clock_is_left_alone() {
        assert!(fs_now().is_some() && boot_now().is_some());
        assert!(watch().is_some(), "timerfd with TFD_TIMER_CANCEL_ON_SET");
        let before = sets();
        assert_ne!(before, usize::MAX);
        assert_eq!(sets(), before);
        assert_eq!(unless_set(Some((1, 2))).is_some(), !was_set());
    }
}
