//! The run's user, mount, network and IPC namespaces, created by a helper
//! process at the start of the run, while the helper plans the run (reads
//! the policy, resolves paths, searches for `.git` directories). Creating a
//! network namespace is the slowest step of a run's start (the kernel sets
//! up a loopback device and every protocol's per-namespace state, ~0.5 ms);
//! on a second CPU it overlaps the planning instead of following it. The
//! child that confines itself then joins these namespaces with one `setns`
//! on the process's pidfd (Linux 5.8+) and unshares the PID namespace
//! itself (a PID namespace without a process cannot be joined).
//!
//! The namespaces are exactly those the child would create: new ones, for
//! this run only, owned by the same user, with the same id maps; with a
//! memory limit the process that creates them joins the run's cgroups
//! first, so what the kernel allocates for them is charged there as before. Whenever anything
//! here fails the child creates its namespaces itself, as without this
//! module, and reports what held.
//!
//! The process shares the helper's memory (`CLONE_VM`, no copy of page
//! tables) and runs at the same time as it, on a stack of its own. So it
//! calls no C library function: those write the shared `errno` (the
//! helper's, which it may be reading at that moment) and may take locks.
//! It makes raw system calls, and reads only what [`start`] prepared.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use super::sys;

/// The namespaces created here; PID is unshared by the child.
pub const FLAGS: libc::c_int =
    libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::CLONE_NEWNET | libc::CLONE_NEWIPC;

/// A raw system call that leaves `errno` alone: returns the result or the
/// negated error number.
///
/// # Safety
///
/// The arguments must be valid for system call `n`.
#[cfg(target_arch = "x86_64")]
unsafe fn raw(n: libc::c_long, a: usize, b: usize, c: usize, d: usize) -> isize {
    let ret: isize;
    // SAFETY: the Linux x86-64 system call convention: number in rax,
    // arguments in rdi, rsi, rdx, r10; rcx and r11 are clobbered. The
    // caller vouches for the arguments.
    unsafe {
        std::arch::asm!(
            "syscall",
            inlateout("rax") n as isize => ret,
            in("rdi") a, in("rsi") b, in("rdx") c, in("r10") d,
            lateout("rcx") _, lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// See the x86-64 version.
///
/// # Safety
///
/// The arguments must be valid for system call `n`.
#[cfg(target_arch = "aarch64")]
unsafe fn raw(n: libc::c_long, a: usize, b: usize, c: usize, d: usize) -> isize {
    let ret: isize;
    // SAFETY: the Linux arm64 system call convention: number in x8,
    // arguments in x0–x3, result in x0. The caller vouches for the arguments.
    unsafe {
        std::arch::asm!(
            "svc 0",
            in("x8") n,
            inlateout("x0") a as isize => ret,
            in("x1") b, in("x2") c, in("x3") d,
            options(nostack),
        );
    }
    ret
}

/// Whether this architecture has [`raw`].
const SUPPORTED: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
unsafe fn raw(_: libc::c_long, _: usize, _: usize, _: usize, _: usize) -> isize {
    -(libc::ENOSYS as isize)
}

/// What the process reads; prepared before it starts, not changed while
/// it runs.
struct Args {
    parent: libc::pid_t,
    /// Files that join the run's cgroups when `0` is written to them:
    /// its memory cgroup, so that what the kernel allocates for the
    /// namespaces is charged to the run. Empty without a memory limit (a
    /// `pids` cgroup counts the command's processes, and this one starts
    /// none).
    cgroup_procs: Vec<CString>,
    uid_map: Vec<u8>,
    gid_map: Vec<u8>,
    /// Gets one byte: 1 when the namespaces are there, 0 when not.
    ready: RawFd,
    /// The process waits on it until the child has joined the namespaces.
    go: RawFd,
}

/// Stack of the process: raw system calls and a few small frames.
const STACK: usize = 64 * 1024;

/// The process holding the run's namespaces until the child joins them.
pub struct Early {
    pid: libc::pid_t,
    pidfd: Option<OwnedFd>,
    ready: Option<OwnedFd>,
    go: Option<OwnedFd>,
    /// Owned here, and freed only once the process is reaped.
    _args: Box<Args>,
    _stack: Vec<u8>,
}

/// Start the process; `None` when it cannot be (the child then creates
/// the namespaces itself).
pub fn start(cgroup_procs: &[std::path::PathBuf]) -> Option<Early> {
    if !SUPPORTED || !root_is_mount_root() {
        return None;
    }
    let cgroup_procs = cgroup_procs
        .iter()
        .map(|p| sys::cstring(p).ok())
        .collect::<Option<Vec<_>>>()?;
    let (uid, gid, _) = sys::ids();
    let (ready_r, ready_w) = sys::pipe().ok()?;
    let (go_r, go_w) = sys::pipe().ok()?;
    let args = Box::new(Args {
        parent: sys::getpid(),
        cgroup_procs,
        uid_map: format!("{uid} {uid} 1").into_bytes(),
        gid_map: format!("{gid} {gid} 1").into_bytes(),
        ready: ready_w.as_raw_fd(),
        go: go_r.as_raw_fd(),
    });
    // Not zeroed: the process writes before it reads, and zeroing would
    // fault in every page of it (a few µs each in a virtual machine).
    let mut stack: Vec<u8> = Vec::with_capacity(STACK);
    // Stacks grow down on the supported architectures; 16-byte aligned.
    let top = (stack.as_mut_ptr() as usize + STACK) & !15;
    // SAFETY: `entry` only reads `args` (boxed, alive until the process is
    // reaped in `Drop`), runs on `stack` (likewise) and makes raw system
    // calls only (see the module's documentation). Without CLONE_FILES the
    // process has its own copy of the descriptor table.
    let pid = unsafe {
        libc::clone(
            entry,
            top as *mut libc::c_void,
            libc::CLONE_VM | libc::SIGCHLD,
            &*args as *const Args as *mut libc::c_void,
        )
    };
    if pid <= 0 {
        return None;
    }
    drop(ready_w);
    drop(go_r);
    let mut early = Early {
        pid,
        pidfd: None,
        ready: Some(ready_r),
        go: Some(go_w),
        _args: args,
        _stack: stack,
    };
    // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd >= 0 {
        // SAFETY: the descriptor was just created and is owned by nobody else.
        early.pidfd = Some(unsafe { std::os::fd::FromRawFd::from_raw_fd(fd as RawFd) });
    }
    Some(early)
}

impl Early {
    /// Wait until the namespaces are there; the pidfd to join them with,
    /// or `None` when they could not be made (or cannot be joined).
    pub fn wait(&mut self) -> Option<RawFd> {
        let ready = self.ready.take()?;
        let mut b = [0u8; 1];
        let ok = loop {
            match sys::read_blocking(ready.as_raw_fd(), &mut b) {
                Ok(1) => break b[0] == 1,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                _ => break false,
            }
        };
        if ok {
            self.pidfd.as_ref().map(|f| f.as_raw_fd())
        } else {
            None
        }
    }

    /// The child has joined the namespaces (or given up on them): let the
    /// process exit. It is reaped with the run's other processes.
    pub fn release(&mut self) {
        if let Some(go) = self.go.take() {
            // A copy of this end lives on in the PID namespace's first
            // process, so a byte, not the end of file, says "exit".
            let _ = sys::write_fd(go.as_raw_fd(), &[1]);
        }
        self.pidfd = None;
    }
}

impl Drop for Early {
    fn drop(&mut self) {
        self.release();
        // Its stack and arguments are freed after this: wait until it is
        // gone. ECHILD when the supervisor has reaped it already.
        let _ = sys::waitpid(self.pid, 0);
    }
}

/// Whether `/` is the root of a mount, as the root of a mount namespace
/// is. Not in a chroot to a directory: joining a mount namespace would move
/// the child out of it, so there the child makes its namespaces itself.
fn root_is_mount_root() -> bool {
    // SAFETY: statx is plain data; the kernel fills it.
    let mut st: libc::statx = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a writable statx buffer.
    let rc = unsafe { libc::statx(libc::AT_FDCWD, c"/".as_ptr(), 0, 0, &mut st) };
    rc == 0
        && st.stx_attributes_mask & libc::STATX_ATTR_MOUNT_ROOT as u64 != 0
        && st.stx_attributes & libc::STATX_ATTR_MOUNT_ROOT as u64 != 0
}

/// Entry of the process: join the cgroups, create the namespaces, write
/// the id maps, say whether that worked, then wait for the word to exit.
extern "C" fn entry(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the `Args` of `start`, alive and unchanged while
    // this process runs.
    let a = unsafe { &*(arg as *const Args) };
    let ok = setup(a);
    let byte = [ok as u8];
    // SAFETY: raw system calls on descriptors of this process and on
    // buffers that live on its stack.
    unsafe {
        raw(
            libc::SYS_write,
            a.ready as usize,
            byte.as_ptr() as usize,
            1,
            0,
        );
        raw(libc::SYS_close, a.ready as usize, 0, 0, 0);
        if ok {
            let mut b = [0u8; 1];
            while raw(libc::SYS_read, a.go as usize, b.as_mut_ptr() as usize, 1, 0)
                == -(libc::EINTR as isize)
            {}
        }
    }
    0
}

fn setup(a: &Args) -> bool {
    // SAFETY: raw system calls with integer arguments, or pointers to
    // NUL-terminated strings and buffers that outlive the calls.
    unsafe {
        // Die with the helper.
        if raw(
            libc::SYS_prctl,
            libc::PR_SET_PDEATHSIG as usize,
            libc::SIGKILL as usize,
            0,
            0,
        ) != 0
            || raw(libc::SYS_getppid, 0, 0, 0, 0) != a.parent as isize
        {
            return false;
        }
        for p in &a.cgroup_procs {
            if !write_file(p.as_bytes_with_nul(), b"0") {
                return false;
            }
        }
        raw(libc::SYS_unshare, FLAGS as usize, 0, 0, 0) == 0
            && write_file(b"/proc/self/setgroups\0", b"deny")
            && write_file(b"/proc/self/uid_map\0", &a.uid_map)
            && write_file(b"/proc/self/gid_map\0", &a.gid_map)
    }
}

/// Write `data` to the existing file `path` (NUL-terminated) in one call.
///
/// # Safety
///
/// `path` must end in a NUL byte.
unsafe fn write_file(path: &[u8], data: &[u8]) -> bool {
    // SAFETY: `path` is NUL-terminated (the caller's promise); `data` is
    // readable for its length.
    unsafe {
        let fd = raw(
            libc::SYS_openat,
            libc::AT_FDCWD as usize,
            path.as_ptr() as usize,
            (libc::O_WRONLY | libc::O_CLOEXEC) as usize,
            0,
        );
        if fd < 0 {
            return false;
        }
        let n = raw(
            libc::SYS_write,
            fd as usize,
            data.as_ptr() as usize,
            data.len(),
            0,
        );
        raw(libc::SYS_close, fd as usize, 0, 0, 0);
        n == data.len() as isize
    }
}
