//! The command's standard descriptors. A descriptor the caller passes on is
//! an open file of the host: through it (`fchmod`, `fchown`, `futimens`,
//! `fsetxattr`, or a path under `/proc/self/fd`) the command could change
//! the file's mode, owner, times or attributes, even when the file lies
//! outside the writable trees — the descriptor refers to the host's mount,
//! not to the read-only view, and Landlock does not govern metadata.
//!
//! So the command never gets such a descriptor: for each of 0, 1 and 2
//! that is not an anonymous pipe (whose metadata belongs to no file of the
//! host), it gets a pipe instead, and the helper copies the data between
//! that pipe and the caller's descriptor in its poll loop. Sockets are
//! relayed too: a socket keeps the network namespace it was made in, and
//! seccomp governs only the creation of sockets, so an unconnected datagram
//! socket (or a listening one) would let the command send to any address
//! of the host (`sendto`), with the network off.
//!
//! When the report goes to standard error, the command does not hold the
//! caller's standard error either (nor a descriptor sharing its open file
//! description): it could otherwise make it non-blocking or fill it, so
//! that the report cannot be written and a line of its own is the last.
//! When 1 and 2 are the same file (`> log 2>&1`) they share one pipe, so
//! the order of the command's output and error lines is kept.
//!
//! Terminals among 0–2 are replaced by one pseudo-terminal of the
//! command's own (see [`super::pty`]), whose master the helper copies
//! to and from the caller's terminal; a closed descriptor stays closed.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

/// `f_type` of the filesystem of anonymous pipes.
const PIPEFS_MAGIC: i64 = 0x5049_5045;
/// Bytes moved per read.
const CHUNK: usize = 128 * 1024;
/// How long the drain waits for a caller's descriptor to take output.
const DRAIN_WAIT_MS: i32 = 5_000;
/// Writes up to this size to a pipe with room do not block.
const PIPE_BUF: usize = libc::PIPE_BUF;

/// What the child puts on its descriptors 0–2 (see [`ChildStdio::install`]).
#[derive(Default)]
pub struct ChildStdio {
    /// For each of 0, 1, 2: the pipe end that replaces it, if any.
    ends: [Option<RawFd>; 3],
    /// The helper's own ends, which the child closes (a write end left
    /// open in the child would keep the command's standard input from
    /// ever reaching end of file).
    helper_ends: Vec<RawFd>,
    /// Which of 0–2 are the caller's terminal, to be replaced by the
    /// command's own terminal (see [`ChildStdio::open_terminal`]).
    terminal: [bool; 3],
    /// The caller's terminal settings, for the new terminal.
    termios: Option<libc::termios>,
    winsize: Option<libc::winsize>,
}

/// Tag of the message that carries the new terminal's master to the helper.
pub const MSG_PTY: u8 = b'P';

impl ChildStdio {
    /// In the child, before anything else is started: put the pipes on
    /// 0–2 and close every other end. The child has its own descriptor
    /// table, so the helper's stays as it is.
    pub fn install(&self) -> io::Result<()> {
        for (target, end) in self.ends.iter().enumerate() {
            if let Some(fd) = end {
                // SAFETY: dup2 only changes this process's descriptor table;
                // the copy on 0–2 is not close-on-exec.
                if unsafe { libc::dup2(*fd, target as RawFd) } < 0 {
                    return Err(io::Error::last_os_error());
                }
            }
        }
        let mut close: Vec<RawFd> = self.helper_ends.clone();
        close.extend(self.ends.iter().flatten().copied().filter(|fd| *fd > 2));
        close.sort_unstable();
        close.dedup();
        for fd in close {
            super::sys::close(fd);
        }
        Ok(())
    }

    /// In the command's process, once `/dev/pts` is the run's own: open a
    /// new terminal, send its master to the helper over `sock` and put its
    /// slave on the descriptors that were the caller's terminal. Returns
    /// the descriptor to take as controlling terminal after `setsid`.
    pub fn open_terminal(&self, sock: RawFd) -> io::Result<Option<RawFd>> {
        let Some(first) = self.terminal.iter().position(|t| *t) else {
            return Ok(None);
        };
        let (master, slave) = super::pty::open_pair(self.termios.as_ref(), self.winsize.as_ref())?;
        super::sys::send_msg(sock, &[MSG_PTY], Some(master.as_raw_fd()))?;
        drop(master);
        for (target, _) in self.terminal.iter().enumerate().filter(|(_, t)| **t) {
            // SAFETY: dup2 only changes this process's descriptor table.
            if unsafe { libc::dup2(slave.as_raw_fd(), target as RawFd) } < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(Some(first as RawFd))
    }
}

/// One direction of copying.
struct Stream {
    /// Where data is read: the caller's descriptor (input) or the helper's
    /// end of a pipe (output).
    from: RawFd,
    /// Where it is written.
    to: RawFd,
    /// The helper's pipe end (closed when the stream is done).
    own: Option<OwnedFd>,
    /// Data read but not yet written.
    pending: Vec<u8>,
    /// Largest write at a time: a write to the caller's pipe or terminal
    /// after POLLOUT of at most PIPE_BUF bytes does not block (the caller's
    /// descriptor cannot be made non-blocking without changing it for the
    /// caller), so the supervisor never waits on a reader that stopped.
    max_write: usize,
    input: bool,
    done: bool,
}

/// The helper's side: the pipes it copies between.
pub struct Relay {
    streams: Vec<Stream>,
    /// The command's ends, closed here once the child has started.
    child_ends: Vec<OwnedFd>,
    pub child: ChildStdio,
    /// The master of the command's terminal, once the child sent it.
    master: Option<OwnedFd>,
    /// The caller's terminal the helper reads typed input from (0 when it
    /// is one) and the one it writes the command's terminal output to.
    tty_in: Option<RawFd>,
    tty_out: Option<RawFd>,
}

/// Whether the command may hold the caller's descriptor `fd` itself:
/// `None` when it is not open; `Some(true)` for an anonymous pipe or a
/// terminal.
fn passes_through(fd: RawFd) -> Option<bool> {
    // SAFETY: plain data, filled by fstat/fstatfs.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid stat buffer.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return None;
    }
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(fd) } == 1 {
        return Some(true);
    }
    if st.st_mode & libc::S_IFMT != libc::S_IFIFO {
        return Some(false);
    }
    // A named FIFO is a file of the host; only the anonymous kinds pass.
    // SAFETY: plain data.
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `fs` is a valid statfs buffer.
    if unsafe { libc::fstatfs(fd, &mut fs) } != 0 {
        return Some(false);
    }
    Some(fs.f_type as i64 == PIPEFS_MAGIC)
}

fn is_regular(fd: RawFd) -> bool {
    // SAFETY: plain data, filled by fstat.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid stat buffer.
    unsafe { libc::fstat(fd, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFREG }
}

fn same_file(a: RawFd, b: RawFd) -> bool {
    // SAFETY: plain data, filled by fstat.
    let (mut x, mut y): (libc::stat, libc::stat) = unsafe { std::mem::zeroed() };
    // SAFETY: valid stat buffers.
    let both = unsafe { libc::fstat(a, &mut x) == 0 && libc::fstat(b, &mut y) == 0 };
    both && (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino)
}

fn set_nonblocking(fd: RawFd) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor this process owns; only flags change.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
        // A larger pipe means fewer wake-ups for bulk output; best effort.
        libc::fcntl(fd, libc::F_SETPIPE_SZ, 1 << 20);
    }
    Ok(())
}

impl Relay {
    /// Decide, for the caller's 0–2, which ones the command gets a pipe for;
    /// `report_on_stderr`: the helper writes its report to standard error
    /// after the command, so the command never holds that pipe.
    pub fn prepare(report_on_stderr: bool) -> io::Result<Relay> {
        let mut relay = Relay {
            streams: Vec::new(),
            child_ends: Vec::new(),
            child: ChildStdio::default(),
            master: None,
            tty_in: None,
            tty_out: None,
        };
        let mut relayed: Vec<bool> = (0..3).map(|fd| passes_through(fd) == Some(false)).collect();
        if report_on_stderr && passes_through(2) == Some(true) {
            // A terminal is replaced by the command's own anyway; a pipe
            // is relayed, and so is any of 0–1 on the same pipe (`2>&1`),
            // as that shares the open file description.
            for fd in 0..3 {
                // SAFETY: isatty only inspects the descriptor.
                let tty = unsafe { libc::isatty(fd) } == 1;
                if !tty && (fd == 2 || same_file(fd, 2)) {
                    relayed[fd as usize] = true;
                }
            }
        }
        for fd in 0..3 {
            // SAFETY: isatty only inspects the descriptor.
            relay.child.terminal[fd as usize] = unsafe { libc::isatty(fd) } == 1;
        }
        if let Some(first) = relay.child.terminal.iter().position(|t| *t) {
            let fd = first as RawFd;
            // SAFETY: plain data, filled by the calls (which fail harmlessly).
            let (mut t, mut w): (libc::termios, libc::winsize) = unsafe { std::mem::zeroed() };
            // SAFETY: valid pointers to one termios / one winsize.
            unsafe {
                if libc::tcgetattr(fd, &mut t) == 0 {
                    relay.child.termios = Some(t);
                }
                if libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) == 0 {
                    relay.child.winsize = Some(w);
                }
            }
            relay.tty_in = relay.child.terminal[0].then_some(0);
            relay.tty_out = [1, 2, 0]
                .into_iter()
                .find(|fd| relay.child.terminal[*fd as usize]);
        }
        if relayed[0] {
            let (r, w) = super::sys::pipe()?;
            set_nonblocking(w.as_raw_fd())?;
            relay.child.ends[0] = Some(r.as_raw_fd());
            relay.child.helper_ends.push(w.as_raw_fd());
            relay.streams.push(Stream {
                from: 0,
                to: w.as_raw_fd(),
                own: Some(w),
                pending: Vec::new(),
                max_write: usize::MAX,
                input: true,
                done: false,
            });
            relay.child_ends.push(r);
        }
        for fd in [1, 2] {
            if !relayed[fd as usize] {
                continue;
            }
            if fd == 2 && relayed[1] && same_file(1, 2) {
                relay.child.ends[2] = relay.child.ends[1];
                continue;
            }
            let (r, w) = super::sys::pipe()?;
            set_nonblocking(r.as_raw_fd())?;
            relay.child.ends[fd as usize] = Some(w.as_raw_fd());
            relay.child.helper_ends.push(r.as_raw_fd());
            relay.streams.push(Stream {
                from: r.as_raw_fd(),
                to: fd,
                own: Some(r),
                pending: Vec::new(),
                max_write: if is_regular(fd) { usize::MAX } else { PIPE_BUF },
                input: false,
                done: false,
            });
            relay.child_ends.push(w);
        }
        Ok(relay)
    }

    /// Once the child has its copies: close the command's ends here, so
    /// the output pipes reach end of file when the command's side closes.
    pub fn started(&mut self) {
        self.child_ends.clear();
    }

    /// The child's terminal master has arrived: copy typed input to it and
    /// its output to the caller's terminal, which is in raw mode meanwhile
    /// (the command's terminal does the line editing and turns Ctrl-C into
    /// SIGINT for the command's foreground group).
    pub fn attach_master(&mut self, master: OwnedFd) {
        let m = master.as_raw_fd();
        if set_nonblocking(m).is_err() {
            return;
        }
        // Only a helper in the terminal's foreground group reads from it
        // and sets it raw: in the background it would take the foreground
        // job's input and settings (its reads fail with EIO instead of
        // stopping it, as SIGTTIN is blocked). A terminal that is not the
        // helper's controlling terminal (tcgetpgrp fails) has no job
        // control to respect.
        let foreground = |fd: RawFd| {
            // SAFETY: tcgetpgrp and getpgrp only inspect.
            let group = unsafe { libc::tcgetpgrp(fd) };
            // SAFETY: as above.
            group < 0 || group == unsafe { libc::getpgrp() }
        };
        if let Some(fd) = self.tty_in.filter(|fd| foreground(*fd)) {
            super::pty::make_raw(fd);
            self.streams.push(Stream {
                from: fd,
                to: m,
                own: None,
                pending: Vec::new(),
                max_write: usize::MAX,
                input: true,
                done: false,
            });
        }
        if let Some(fd) = self.tty_out {
            self.streams.push(Stream {
                from: m,
                to: fd,
                own: None,
                pending: Vec::new(),
                max_write: PIPE_BUF,
                input: false,
                done: false,
            });
        }
        self.master = Some(master);
    }

    /// The caller's terminal changed size (SIGWINCH): pass it on.
    pub fn window_changed(&self) {
        if let (Some(m), Some(fd)) = (&self.master, self.tty_out.or(self.tty_in)) {
            super::pty::copy_window_size(fd, m);
        }
    }

    /// Wait like [`super::sys::poll_in`] on `fds` while copying data;
    /// returns the readiness of `fds`.
    pub fn poll(&mut self, fds: &[RawFd], timeout_ms: i32) -> io::Result<Vec<bool>> {
        let mut pfds: Vec<libc::pollfd> = fds
            .iter()
            .map(|fd| libc::pollfd {
                fd: *fd,
                events: libc::POLLIN,
                revents: 0,
            })
            .collect();
        let mut which = Vec::new();
        for (i, s) in self.streams.iter().enumerate() {
            if s.done {
                continue;
            }
            let (fd, events) = if !s.pending.is_empty() {
                (s.to, libc::POLLOUT)
            } else {
                (s.from, libc::POLLIN)
            };
            pfds.push(libc::pollfd {
                fd,
                events,
                revents: 0,
            });
            which.push(i);
        }
        // SAFETY: `pfds` is a valid array of `pfds.len()` pollfd values.
        let rc = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
        if rc < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                return Ok(vec![false; fds.len()]);
            }
            return Err(e);
        }
        for (k, i) in which.into_iter().enumerate() {
            if pfds[fds.len() + k].revents != 0 {
                self.streams[i].step();
            }
        }
        Ok(pfds[..fds.len()].iter().map(|p| p.revents != 0).collect())
    }

    /// After every process of the run is gone: copy what is left in the
    /// output pipes (no writer is left, so each read ends at end of file).
    pub fn drain(&mut self) {
        for s in self.streams.iter_mut().filter(|s| !s.input) {
            while !s.done {
                if !s.pending.is_empty() {
                    let mut p = libc::pollfd {
                        fd: s.to,
                        events: libc::POLLOUT,
                        revents: 0,
                    };
                    // A reader that takes nothing for this long has
                    // stopped: the rest is dropped rather than keeping the
                    // helper (and its report) waiting for ever.
                    // SAFETY: `p` is one valid pollfd.
                    if unsafe { libc::poll(&mut p, 1, DRAIN_WAIT_MS) } == 0 {
                        s.finish();
                        continue;
                    }
                }
                // Nothing to read yet although no process of the run is
                // left: a writer outside the run holds it; stop here.
                if !s.step() {
                    s.finish();
                }
            }
        }
        self.streams.clear();
        self.master = None;
    }
}

impl Stream {
    fn finish(&mut self) {
        self.done = true;
        self.own = None;
        self.pending = Vec::new();
    }

    /// Move one chunk; false when the source had nothing to give yet.
    fn step(&mut self) -> bool {
        if !self.pending.is_empty() {
            let len = self.pending.len().min(self.max_write);
            match write_some(self.to, &self.pending[..len]) {
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                    ) => {}
                // The command closed its standard input, or the caller's
                // side is gone: closing the pipe gives the command EPIPE,
                // as writing to the caller's descriptor would have.
                Err(_) => self.finish(),
            }
            return true;
        }
        let mut buf = vec![0u8; CHUNK];
        // SAFETY: `buf` is writable for its length during the call.
        let n = unsafe { libc::read(self.from, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::WouldBlock => return false,
                io::ErrorKind::Interrupted => return true,
                // EIO from a terminal master: no slave is open any more.
                _ => self.finish(),
            }
            return true;
        }
        if n == 0 {
            self.finish();
            return true;
        }
        buf.truncate(n as usize);
        self.pending = buf;
        // A write that cannot block is tried at once; the others wait for
        // POLLOUT in the next round.
        if self.max_write == usize::MAX {
            self.step();
        }
        true
    }
}

fn write_some(fd: RawFd, data: &[u8]) -> io::Result<usize> {
    // SAFETY: `data` is readable for its length during the call.
    let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}
