//! C calls the Linux helper and the macOS supervisor make alike. Each is
//! small and says why it is sound.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;

/// The addresses of the interfaces this process sees (`getifaddrs`; on
/// Linux those of its network namespace), IPv4 and IPv6, as they are when
/// called.
pub fn interface_addresses() -> io::Result<Vec<std::net::IpAddr>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: `head` is a valid out pointer; the list is freed below.
    if unsafe { libc::getifaddrs(&mut head) } < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, not yet freed.
        let ifa = unsafe { &*cur };
        let sa = ifa.ifa_addr;
        if !sa.is_null() {
            // SAFETY: `sa` points to a sockaddr whose `sa_family` says
            // which structure it is; each is read as its own type.
            match i32::from(unsafe { (*sa).sa_family }) {
                libc::AF_INET => {
                    let a = unsafe { &*(sa as *const libc::sockaddr_in) };
                    out.push(std::net::IpAddr::from(
                        u32::from_be(a.sin_addr.s_addr).to_be_bytes(),
                    ));
                }
                libc::AF_INET6 => {
                    let a = unsafe { &*(sa as *const libc::sockaddr_in6) };
                    out.push(std::net::IpAddr::from(a.sin6_addr.s6_addr));
                }
                _ => {}
            }
        }
        cur = ifa.ifa_next;
    }
    // SAFETY: `head` came from getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}

/// Opens `name` in the directory `dir` for writing, creating it with mode
/// 600 when missing, for a file a command may have been able to reach (the
/// report): a link in its place is not followed, a FIFO does not block the
/// helper, and only a regular file is accepted.
pub fn open_regular_for_writing(dir: RawFd, name: &OsStr) -> io::Result<std::fs::File> {
    let name =
        CString::new(name.as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: a directory descriptor the caller holds and a C string; the
    // descriptor returned is owned by the File below.
    let fd = unsafe {
        libc::openat(
            dir,
            name.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
            0o600 as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a new descriptor nobody else owns.
    let f = unsafe { std::fs::File::from_raw_fd(fd) };
    if !f.metadata()?.is_file() {
        return Err(io::Error::other(
            "the report's path is not a regular file; give --report a file path",
        ));
    }
    Ok(f)
}
