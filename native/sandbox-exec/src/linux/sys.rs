//! Thin wrappers over the system calls the helper needs. Every `unsafe`
//! block of the helper outside the Landlock/seccomp crates is here, each
//! with the reason it is sound.

use std::ffi::{CStr, CString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

pub fn cstring(p: &Path) -> io::Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(p.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

/// Room left between this process's stack pointer and the child's stack
/// top in [`clone_vfork`]: more than the red zone and the frames of the
/// `clone` call itself.
const STACK_MARGIN: usize = 16 * 1024;

/// Start `entry(arg)` in a new process that shares this one's memory and
/// suspend this process until the new one executes a program or exits
/// (`CLONE_VM | CLONE_VFORK`, what `vfork` and `posix_spawn` do). Returns
/// the new process's id; it reports `SIGCHLD` when it ends.
///
/// Compared with `fork`, nothing is copied: no page tables, no
/// copy-on-write faults in either process afterwards, and no address space
/// to tear down when the child executes the command.
///
/// The child runs on this thread's stack below the current frame, as with
/// `vfork`: those pages are dead to this process (nothing lives below its
/// stack pointer), mostly already touched by the work before, and guarded
/// by the kernel's stack guard gap.
///
/// # Safety
///
/// The caller must be single-threaded and hold no lock. `entry` runs on
/// this process's memory, heap and thread-local storage while this process
/// is suspended: it must end in `execve` or `_exit` (never return), never
/// unwind out, and only read the values `arg` points to (dropping or moving
/// them would free what this process still owns). `arg` must stay valid
/// until this call returns.
pub unsafe fn clone_vfork(
    entry: extern "C" fn(*mut libc::c_void) -> libc::c_int,
    arg: *mut libc::c_void,
) -> io::Result<libc::pid_t> {
    let here = 0u8;
    let sp = std::hint::black_box(&here) as *const u8 as usize;
    // Stacks grow down on the supported architectures; 16-byte aligned.
    let top = (sp - STACK_MARGIN) & !15;
    // SAFETY: `top` lies below every live frame of this thread, in its
    // stack mapping (which grows on demand up to the stack limit); this
    // thread is suspended while the child uses it; the caller upholds the
    // contract of `entry` and `arg` stated above.
    let pid = unsafe {
        libc::clone(
            entry,
            top as *mut libc::c_void,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            arg,
        )
    };
    if pid < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(pid)
}

/// Leave the process immediately, without running destructors or atexit
/// handlers that belong to the parent's copy of the state.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit never returns and touches no Rust state.
    unsafe { libc::_exit(code) }
}

pub fn setsid() -> io::Result<()> {
    // SAFETY: no pointers involved.
    check(unsafe { libc::setsid() }).map(|_| ())
}

pub fn getpid() -> libc::pid_t {
    // SAFETY: no pointers involved; cannot fail.
    unsafe { libc::getpid() }
}

pub fn getppid() -> libc::pid_t {
    // SAFETY: no pointers involved; cannot fail.
    unsafe { libc::getppid() }
}

pub fn ids() -> (libc::uid_t, libc::gid_t, libc::uid_t) {
    // SAFETY: no pointers involved; these calls cannot fail.
    unsafe { (libc::getuid(), libc::getgid(), libc::geteuid()) }
}

pub fn prctl(option: libc::c_int, arg: libc::c_ulong) -> io::Result<()> {
    // SAFETY: only integer-argument prctl options are used through this wrapper.
    check(unsafe {
        libc::prctl(
            option,
            arg,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    })
    .map(|_| ())
}

pub fn unshare(flags: libc::c_int) -> io::Result<()> {
    // SAFETY: no pointers involved; the caller is single-threaded.
    check(unsafe { libc::unshare(flags) }).map(|_| ())
}

/// Join the namespaces `flags` of the process `pidfd` refers to.
pub fn setns(pidfd: RawFd, flags: libc::c_int) -> io::Result<()> {
    // SAFETY: no pointers involved; the caller is single-threaded.
    check(unsafe { libc::setns(pidfd, flags) }).map(|_| ())
}

/// The type of `RLIMIT_*` constants differs between C libraries.
#[cfg(target_env = "gnu")]
pub type Resource = libc::__rlimit_resource_t;
/// The type of `RLIMIT_*` constants differs between C libraries.
#[cfg(not(target_env = "gnu"))]
pub type Resource = libc::c_int;

pub fn setrlimit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
    let lim = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: `lim` is a valid rlimit for the duration of the call.
    check(unsafe { libc::setrlimit(resource, &lim) }).map(|_| ())
}

pub fn getrlimit(resource: Resource) -> io::Result<(u64, u64)> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is writable memory of the right type.
    check(unsafe { libc::getrlimit(resource, &mut lim) })?;
    Ok((lim.rlim_cur, lim.rlim_max))
}

pub fn mount(
    source: Option<&CStr>,
    target: &CStr,
    fstype: Option<&CStr>,
    flags: libc::c_ulong,
    data: Option<&CStr>,
) -> io::Result<()> {
    let ptr = |c: Option<&CStr>| c.map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: every pointer is either null or a NUL-terminated string that
    // outlives the call.
    check(unsafe {
        libc::mount(
            ptr(source),
            target.as_ptr(),
            ptr(fstype),
            flags,
            ptr(data).cast(),
        )
    })
    .map(|_| ())
}

pub fn umount_detach(target: &CStr) -> io::Result<()> {
    // SAFETY: `target` is a NUL-terminated string that outlives the call.
    check(unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) }).map(|_| ())
}

/// `ST_RELATIME` of `statvfs` (Linux), missing from some C libraries' headers.
const ST_RELATIME: libc::c_ulong = 0x1000;

/// Mount flags (`MS_*`) of the mount that holds `path`; a remount inside a
/// user namespace must repeat the locked ones.
pub fn mount_flags(path: &CStr) -> io::Result<libc::c_ulong> {
    // SAFETY: statvfs is plain data; all-zero is a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `st` is writable memory of the right type.
    check(unsafe { libc::statvfs(path.as_ptr(), &mut st) })?;
    let mut flags = 0;
    for (st_flag, ms_flag) in [
        (libc::ST_NOSUID, libc::MS_NOSUID),
        (libc::ST_NODEV, libc::MS_NODEV),
        (libc::ST_NOEXEC, libc::MS_NOEXEC),
        (libc::ST_NOATIME, libc::MS_NOATIME),
        (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
        (ST_RELATIME, libc::MS_RELATIME),
        (libc::ST_RDONLY, libc::MS_RDONLY),
    ] {
        if st.f_flag & st_flag != 0 {
            flags |= ms_flag;
        }
    }
    Ok(flags)
}

/// Make the mount at `path` read-only or writable, leaving its other flags
/// alone: `mount_setattr` (Linux 5.12+), else a bind remount that repeats
/// the flags a user namespace locks.
pub fn set_mount_read_only(path: &CStr, read_only: bool) -> io::Result<()> {
    #[repr(C)]
    struct MountAttr {
        attr_set: u64,
        attr_clr: u64,
        propagation: u64,
        userns_fd: u64,
    }
    const MOUNT_ATTR_RDONLY: u64 = 0x1;
    let attr = MountAttr {
        attr_set: if read_only { MOUNT_ATTR_RDONLY } else { 0 },
        attr_clr: if read_only { 0 } else { MOUNT_ATTR_RDONLY },
        propagation: 0,
        userns_fd: 0,
    };
    // SAFETY: `path` is NUL-terminated and `attr` is a valid mount_attr of
    // the size passed; both outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            path.as_ptr(),
            0 as libc::c_uint,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    if e.raw_os_error() != Some(libc::ENOSYS) {
        return Err(e);
    }
    let flags = mount_flags(path)? & !libc::MS_RDONLY;
    let ro = if read_only { libc::MS_RDONLY } else { 0 };
    mount(
        None,
        path,
        None,
        libc::MS_REMOUNT | libc::MS_BIND | flags | ro,
        None,
    )
}

pub fn kill(pid: libc::pid_t, sig: libc::c_int) -> io::Result<()> {
    // SAFETY: no pointers involved.
    check(unsafe { libc::kill(pid, sig) }).map(|_| ())
}

/// `waitpid`; `Ok(None)` when WNOHANG found nothing.
pub fn waitpid(
    pid: libc::pid_t,
    flags: libc::c_int,
) -> io::Result<Option<(libc::pid_t, libc::c_int)>> {
    let mut status = 0;
    // SAFETY: `status` is writable memory for the duration of the call.
    let rc = check(unsafe { libc::waitpid(pid, &mut status, flags) })?;
    Ok((rc != 0).then_some((rc, status)))
}

/// A signal set holding `signals`.
pub fn sigset(signals: &[libc::c_int]) -> libc::sigset_t {
    // SAFETY: sigset_t is plain data; sigemptyset initializes it fully.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid sigset_t; the signal numbers are valid.
    unsafe {
        libc::sigemptyset(&mut set);
        for s in signals {
            libc::sigaddset(&mut set, *s);
        }
    }
    set
}

/// Set the signal mask of the (single) thread; returns the old mask.
pub fn sigmask(how: libc::c_int, set: &libc::sigset_t) -> io::Result<libc::sigset_t> {
    let mut old = sigset(&[]);
    // SAFETY: both pointers are valid sigset_t values for the call.
    let rc = unsafe { libc::pthread_sigmask(how, set, &mut old) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(old)
}

/// Reset a signal's disposition to the default.
pub fn default_signal(sig: libc::c_int) {
    // SAFETY: SIG_DFL is always a valid disposition.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
    }
}

pub fn signalfd(set: &libc::sigset_t) -> io::Result<OwnedFd> {
    // SAFETY: `set` is a valid sigset_t; the returned descriptor is owned here.
    let fd = check(unsafe { libc::signalfd(-1, set, libc::SFD_CLOEXEC) })?;
    // SAFETY: `fd` was just returned by signalfd and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Read one signal number from a signalfd.
pub fn read_signal(fd: RawFd) -> io::Result<libc::c_int> {
    // SAFETY: signalfd_siginfo is plain data.
    let mut info: libc::signalfd_siginfo = unsafe { std::mem::zeroed() };
    let size = std::mem::size_of::<libc::signalfd_siginfo>();
    // SAFETY: `info` is writable memory of `size` bytes.
    let n = unsafe { libc::read(fd, (&mut info as *mut libc::signalfd_siginfo).cast(), size) };
    if n != size as isize {
        return Err(io::Error::last_os_error());
    }
    Ok(info.ssi_signo as libc::c_int)
}

// The supervisor's loop waits through `relay::Relay::poll`, which also
// copies the command's standard streams.
#[allow(dead_code)]
/// Wait for readiness on `fds` (events POLLIN) for at most `timeout_ms`
/// (-1 = forever). Returns the revents per descriptor.
pub fn poll_in(fds: &[RawFd], timeout_ms: i32) -> io::Result<Vec<bool>> {
    let mut pfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|fd| libc::pollfd {
            fd: *fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    // SAFETY: `pfds` is a valid array of `pfds.len()` pollfd values.
    let rc = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
    if rc < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(vec![false; fds.len()]);
        }
        return Err(e);
    }
    Ok(pfds.iter().map(|p| p.revents != 0).collect())
}

/// A connected pair of SOCK_SEQPACKET Unix sockets, close-on-exec.
pub fn seqpacket_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors.
    check(unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    })?;
    // SAFETY: both descriptors were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Send one message, optionally carrying one descriptor.
pub fn send_msg(sock: RawFd, data: &[u8], fd: Option<RawFd>) -> io::Result<()> {
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    // Room for one SCM_RIGHTS header with one int, suitably aligned.
    let mut cbuf = [0u64; 4];
    // SAFETY: msghdr is plain data; all-zero is a valid empty header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if let Some(fd) = fd {
        // SAFETY: CMSG_SPACE is a pure size computation.
        let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<RawFd>() as u32) } as usize;
        msg.msg_control = cbuf.as_mut_ptr().cast();
        msg.msg_controllen = space as _;
        // SAFETY: msg_control points to `cbuf`, which is large enough for one
        // header with one descriptor; CMSG_FIRSTHDR/CMSG_DATA stay inside it.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<RawFd>() as u32) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>(), fd);
        }
    }
    // SAFETY: `msg` and everything it points to live until the call returns.
    let n = unsafe { libc::sendmsg(sock, &msg, libc::MSG_NOSIGNAL) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Receive one message (at most `max` bytes) and the descriptor it carries.
/// An empty message means the peer closed.
pub fn recv_msg(
    sock: RawFd,
    max: usize,
    flags: libc::c_int,
) -> io::Result<(Vec<u8>, Option<OwnedFd>)> {
    // Not zeroed: the kernel writes what it returns, and zeroing 64 KiB
    // would fault in pages for nothing on every start.
    let mut buf: Vec<u8> = Vec::with_capacity(max);
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: max,
    };
    let mut cbuf = [0u64; 4];
    // SAFETY: msghdr is plain data; all-zero is a valid empty header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&cbuf) as _;
    let n = loop {
        // SAFETY: `msg` points to `buf` and `cbuf`, both live and writable.
        let n = unsafe { libc::recvmsg(sock, &mut msg, libc::MSG_CMSG_CLOEXEC | flags) };
        if n >= 0 {
            break n as usize;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    };
    // SAFETY: recvmsg initialized the first `n` bytes (n <= capacity).
    unsafe { buf.set_len(n) };
    let mut fd = None;
    // SAFETY: the kernel filled `msg_control` with valid headers of
    // `msg_controllen` bytes; CMSG_FIRSTHDR/NXTHDR walk only inside it.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let raw = std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<RawFd>());
                fd = Some(OwnedFd::from_raw_fd(raw));
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    Ok((buf, fd))
}

/// Mark every descriptor from `first` on close-on-exec.
pub fn cloexec_from(first: u32) -> io::Result<()> {
    // SAFETY: close_range with CLOSE_RANGE_CLOEXEC only sets flags.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn fchdir(fd: RawFd) -> io::Result<()> {
    // SAFETY: fchdir only changes this process's working directory.
    check(unsafe { libc::fchdir(fd) }).map(|_| ())
}

/// The id of the mount `fd` lies on (`statx` with `STATX_MNT_ID`, Linux
/// 5.8; before, the `mnt_id` line of `/proc/self/fdinfo`).
pub fn mount_id(fd: &OwnedFd) -> io::Result<u64> {
    const STATX_MNT_ID: u32 = 0x1000;
    // SAFETY: plain data, filled by statx.
    let mut st: libc::statx = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor, an empty C string and a statx buffer.
    let rc = unsafe {
        libc::statx(
            fd.as_raw_fd(),
            c"".as_ptr(),
            libc::AT_EMPTY_PATH,
            STATX_MNT_ID,
            &mut st,
        )
    };
    if rc == 0 && st.stx_mask & STATX_MNT_ID != 0 {
        return Ok(st.stx_mnt_id);
    }
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", fd.as_raw_fd()))?;
    info.lines()
        .find_map(|l| l.strip_prefix("mnt_id:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| io::Error::other("no mount id for a descriptor"))
}

/// `execve`; returns only on failure.
pub fn execve(
    path: &CStr,
    argv: &[*const libc::c_char],
    envp: &[*const libc::c_char],
) -> io::Error {
    // SAFETY: `argv` and `envp` are null-terminated arrays of pointers to
    // NUL-terminated strings owned by the caller for the duration of the call.
    unsafe { libc::execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    io::Error::last_os_error()
}

/// Drop every capability: bounding set, ambient, effective, permitted and
/// inheritable, so that an executed program (even as uid 0 inside the
/// namespace) gains none.
pub fn drop_capabilities() -> io::Result<()> {
    // Capabilities are numbered from 0 without gaps; EINVAL marks the first
    // one this kernel does not know (cheaper than reading cap_last_cap).
    for cap in 0..=63 {
        match prctl(libc::PR_CAPBSET_DROP, cap) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => break,
            Err(e) => return Err(e),
        }
    }
    // SAFETY: integer-only prctl.
    check(unsafe {
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    })?;
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let header = Header {
        version: 0x2008_0522, // _LINUX_CAPABILITY_VERSION_3
        pid: 0,
    };
    let data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: `header` and `data` have the layout capset expects for
    // version 3 (two 32-bit data words) and live until the call returns.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &header, data.as_ptr()) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Install a seccomp filter on the calling thread, after setting
/// `no_new_privs` (which an unprivileged filter needs).
pub fn install_seccomp_filter(program: &[libc::sock_filter]) -> io::Result<()> {
    prctl(libc::PR_SET_NO_NEW_PRIVS, 1)?;
    let len = u16::try_from(program.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "filter too long"))?;
    let prog = libc::sock_fprog {
        len,
        filter: program.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: `prog` points to `len` valid instructions that outlive the
    // call; the kernel copies the program.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0 as libc::c_uint,
            &prog as *const libc::sock_fprog,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Bring the loopback interface up (in a fresh network namespace it is down).
pub fn loopback_up() -> io::Result<()> {
    // SAFETY: creating a socket has no memory preconditions.
    let fd =
        check(unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: `fd` is a new descriptor owned here.
    let sock = unsafe { OwnedFd::from_raw_fd(fd) };
    use std::os::fd::AsRawFd;
    // SAFETY: ifreq is plain data; all-zero is valid.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (i, b) in b"lo".iter().enumerate() {
        req.ifr_name[i] = *b as libc::c_char;
    }
    // SAFETY: `req` is a valid ifreq naming "lo" for both ioctls.
    unsafe {
        check(libc::ioctl(
            sock.as_raw_fd(),
            libc::SIOCGIFFLAGS as _,
            &mut req,
        ))?;
        req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
        check(libc::ioctl(sock.as_raw_fd(), libc::SIOCSIFFLAGS as _, &req))?;
    }
    Ok(())
}

/// Make host name lookups use only `/etc/hosts` and DNS (`/etc/resolv.conf`),
/// the sources built into the C library, whatever `/etc/nsswitch.conf`
/// lists. The release helper is linked statically (it starts faster), and a
/// static program cannot safely load the host's NSS modules (`mdns`,
/// `resolve`, ...) built for another C library; the proxy's answers should
/// not depend on them either. Must be called before any thread looks a
/// name up.
#[cfg(target_env = "gnu")]
pub fn hosts_from_files_and_dns() {
    extern "C" {
        // glibc, since 2.0: replaces the nsswitch.conf line of one database.
        fn __nss_configure_lookup(
            db: *const libc::c_char,
            service_line: *const libc::c_char,
        ) -> libc::c_int;
    }
    // SAFETY: both arguments are NUL-terminated static strings; no other
    // thread is looking names up yet.
    unsafe {
        __nss_configure_lookup(c"hosts".as_ptr(), c"files dns".as_ptr());
    }
}

/// Other C libraries read `/etc/hosts` and DNS directly already.
#[cfg(not(target_env = "gnu"))]
pub fn hosts_from_files_and_dns() {}

/// Landlock ABI version of the running kernel (0 when unavailable).
pub fn landlock_abi() -> i32 {
    // SAFETY: LANDLOCK_CREATE_RULESET_VERSION with a null attribute only
    // returns the ABI version.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    if rc < 0 {
        0
    } else {
        rc as i32
    }
}

/// `uname -r`.
pub fn kernel_release() -> String {
    // SAFETY: utsname is plain data; all-zero is valid.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is writable memory of the right type.
    if unsafe { libc::uname(&mut u) } != 0 {
        return String::new();
    }
    // SAFETY: uname fills `release` with a NUL-terminated string.
    unsafe { CStr::from_ptr(u.release.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// Start a copy of this process (copy-on-write, like `fork`) whose parent
/// is this process's parent (`CLONE_PARENT`): the helper, as a child
/// subreaper, then waits for it directly. Returns 0 in the copy.
///
/// Only used by the single-threaded child after `unshare(CLONE_NEWPID)`:
/// the copy is the first process of the new PID namespace. The C library's
/// `fork` is not used because it cannot pass `CLONE_PARENT`; the copy only
/// makes system calls and starts the command, so the C library's cached
/// thread id (stale in the copy) is never consulted.
pub fn clone_parent() -> io::Result<libc::pid_t> {
    // SAFETY: a raw clone without CLONE_VM and without a new stack behaves
    // like fork: both processes continue here on their own copy of memory.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_clone,
            (libc::CLONE_PARENT | libc::SIGCHLD) as libc::c_ulong,
            0usize,
            0usize,
            0usize,
            0usize,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(rc as libc::pid_t)
}

/// Wait for one of the (blocked) signals in `set`.
pub fn sigwait(set: &libc::sigset_t) -> io::Result<libc::c_int> {
    // SAFETY: `set` is a valid sigset_t; a null siginfo pointer is allowed.
    check(unsafe { libc::sigwaitinfo(set, std::ptr::null_mut()) })
}

/// A pipe, both ends close-on-exec: (read, write).
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` is writable memory for two descriptors.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) })?;
    // SAFETY: both descriptors were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Write all of `data` to `fd` (a pipe: small writes are atomic).
pub fn write_fd(fd: RawFd, data: &[u8]) -> io::Result<()> {
    // SAFETY: `data` is readable for its length during the call.
    let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
    if n != data.len() as isize {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Read at most `buf.len()` bytes from `fd`, waiting for them.
pub fn read_blocking(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is writable for its length during the call.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}

/// Read at most `buf.len()` bytes from `fd` without blocking.
pub fn read_nonblocking(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: `p` is one valid pollfd.
    if unsafe { libc::poll(&mut p, 1, 0) } <= 0 {
        return Ok(0);
    }
    // SAFETY: `buf` is writable for its length during the call.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}

/// Close a descriptor this process owns and no longer needs.
pub fn close(fd: RawFd) {
    // SAFETY: closing a descriptor has no memory effects; callers pass one
    // that nothing else in this process uses afterwards.
    unsafe {
        libc::close(fd);
    }
}

/// Make every mount at and below `path` read-only: one recursive
/// `mount_setattr` (Linux 5.12+), else a bind remount of every mount point
/// listed in `/proc/self/mountinfo` (sorted so that parents come first).
pub fn make_tree_read_only(path: &CStr) -> io::Result<()> {
    #[repr(C)]
    struct MountAttr {
        attr_set: u64,
        attr_clr: u64,
        propagation: u64,
        userns_fd: u64,
    }
    const MOUNT_ATTR_RDONLY: u64 = 0x1;
    const AT_RECURSIVE: libc::c_uint = 0x8000;
    let attr = MountAttr {
        attr_set: MOUNT_ATTR_RDONLY,
        attr_clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    // SAFETY: `path` is NUL-terminated and `attr` is a valid mount_attr of
    // the size passed; both outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            path.as_ptr(),
            AT_RECURSIVE,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    if e.raw_os_error() != Some(libc::ENOSYS) {
        return Err(e);
    }
    let prefix = path.to_bytes();
    let info = std::fs::read("/proc/self/mountinfo")?;
    let mut points: Vec<Vec<u8>> = info
        .split(|b| *b == b'\n')
        .filter_map(|line| line.split(|b| *b == b' ').nth(4).map(unescape_mountinfo))
        .filter(|p| p.starts_with(prefix))
        .collect();
    points.sort();
    points.dedup();
    for p in points {
        let c = CString::new(p).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        match set_mount_read_only(&c, true) {
            // Covered by a later mount, or gone: nothing reachable to protect.
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
            r => r?,
        }
    }
    Ok(())
}

/// Undo mountinfo's octal escapes (`\040` for a space, …).
fn unescape_mountinfo(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\'
            && i + 3 < field.len()
            && field[i + 1..i + 4]
                .iter()
                .all(|c| (b'0'..=b'7').contains(c))
        {
            out.push(
                (field[i + 1] - b'0') * 64 + (field[i + 2] - b'0') * 8 + (field[i + 3] - b'0'),
            );
            i += 4;
        } else {
            out.push(field[i]);
            i += 1;
        }
    }
    out
}

pub use crate::unix::interface_addresses;
