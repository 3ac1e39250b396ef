//! The forked child: sets up the confinement step by step, tells the parent
//! what held, and `execve`s the command. It runs single-threaded (forked from
//! a single-threaded parent), which Landlock, seccomp and `unshare` require.

use std::collections::BTreeMap;
use std::ffi::{CString, OsString};
use std::io;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use sandbox_core::policy::ResourceLimits;
use serde::{Deserialize, Serialize};

use super::{landlock, mounts, seccomp, sys};
use crate::plan::Plan;
use crate::report::{Level, Mechanism, EXIT_EXEC_FAILED, EXIT_HELPER_ERROR, EXIT_REFUSED};

/// Default `RLIMIT_NPROC`: generous for builds, small enough to stop a fork bomb.
pub const DEFAULT_MAX_PROCESSES: u64 = 4096;

/// What the child tells the parent before it executes the command.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChildStatus {
    pub mechanisms: BTreeMap<String, Mechanism>,
    pub refused: bool,
    pub proxy_port: Option<u16>,
}

/// Everything the child needs, prepared by the parent. The child runs in
/// the parent's memory (see [`super::sys::clone_vfork`]) and only reads it.
pub struct ChildContext<'a> {
    pub plan: &'a Plan,
    /// The per-user directory a private tmpfs is mounted on, when it is
    /// safe to use (see [`super::shared_tmp_base`]).
    pub tmp_base: Option<&'a Path>,
    pub network_off: bool,
    pub limits: &'a ResourceLimits,
    pub allow_degraded: bool,
    pub command: &'a [OsString],
    /// `environment.allow` of the policy.
    pub env_allow: &'a [String],
    /// `--env NAME=VALUE` of the caller.
    pub extra_env: &'a [(OsString, OsString)],
    pub parent: libc::pid_t,
    pub old_mask: libc::sigset_t,
    /// Print a warning before running with incomplete enforcement (the
    /// report does not go to standard error, where it would say so).
    pub warn_degraded: bool,
    /// Where the first stage leaves the pid of the PID namespace's first
    /// process for the helper (shared memory: the first stage runs in the
    /// helper's memory).
    pub init_pid: &'a std::sync::atomic::AtomicI32,
    /// Files that join the run's cgroups when `0` is written to them.
    pub cgroup_procs: &'a [PathBuf],
    /// Pipe to the helper for the command's wait status (see [`init`]).
    pub status_fd: RawFd,
    /// The pipes that replace the caller's descriptors 0–2.
    pub stdio: &'a super::relay::ChildStdio,
    /// The pidfd of the process holding the run's user, mount, network and
    /// IPC namespaces, made while the helper planned (see [`super::early`]).
    pub early_ns: Option<RawFd>,
    /// The Landlock rules the helper could add beforehand.
    pub landlock: Option<&'a landlock::Prepared>,
}

/// Message tags on the child→parent channel.
pub const MSG_LISTENER: u8 = b'L';
pub const MSG_STATUS: u8 = b'R';
pub const MSG_EXEC_FAILED: u8 = b'E';
pub const MSG_SETUP_FAILED: u8 = b'F';
/// A private temporary directory the child created (no mount namespace);
/// the parent removes it at the end.
pub const MSG_TMP: u8 = b'T';

fn send(sock: RawFd, tag: u8, text: &str, fd: Option<i32>) {
    send_bytes(sock, tag, text.as_bytes(), fd)
}

fn send_bytes(sock: RawFd, tag: u8, body: &[u8], fd: Option<i32>) {
    let mut data = Vec::with_capacity(body.len() + 1);
    data.push(tag);
    data.extend_from_slice(body);
    let _ = sys::send_msg(sock, &data, fd);
}

/// Run the child; never returns.
pub fn main(ctx: &ChildContext<'_>, sock: RawFd) -> ! {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| first_stage(ctx, sock)));
    finish(result, sock)
}

/// Tell the parent how the setup ended and leave with the matching status.
fn finish(result: std::thread::Result<Result<Never, Failure>>, sock: RawFd) -> ! {
    match result {
        Ok(Err(Failure::Setup(msg))) => {
            send(sock, MSG_SETUP_FAILED, &msg, None);
            sys::exit_now(EXIT_HELPER_ERROR)
        }
        Ok(Err(Failure::Refused)) => sys::exit_now(EXIT_REFUSED),
        Ok(Err(Failure::Exec(msg))) => {
            send(sock, MSG_EXEC_FAILED, &msg, None);
            sys::exit_now(EXIT_EXEC_FAILED)
        }
        Ok(Ok(never)) => match never {},
        Err(_) => {
            send(sock, MSG_SETUP_FAILED, "internal error during setup", None);
            sys::exit_now(EXIT_HELPER_ERROR)
        }
    }
}

enum Failure {
    Setup(String),
    Refused,
    Exec(String),
}

fn setup(what: &str) -> impl Fn(io::Error) -> Failure + '_ {
    move |e| Failure::Setup(format!("{what}: {e}"))
}

enum Never {}

/// What the first stage established, for the second.
struct Stage {
    mech: BTreeMap<String, Mechanism>,
    have_mount_ns: bool,
    have_net_ns: bool,
    /// PID and IPC namespaces (unshared together with the mount namespace).
    have_pid_ns: bool,
    /// A cgroup namespace of its own, on a cgroup v2 system.
    own_cgroup: bool,
}

/// Namespaces every run gets. The network namespace is there in every
/// mode: `/proc/net` and abstract Unix sockets belong to it. IPC: System V
/// objects and POSIX message queues of the host are out of reach. PID: the
/// command sees only its own processes, and killing the namespace's first
/// process kills them all.
const NS_FLAGS: libc::c_int =
    libc::CLONE_NEWNS | libc::CLONE_NEWNET | libc::CLONE_NEWIPC | libc::CLONE_NEWPID;
const NS_NAMES: &str = "user, mount, network, IPC and PID namespaces";

/// First stage, in the process started by the helper (sharing its memory):
/// rlimits, cgroup, namespaces. With a PID namespace it then starts the
/// namespace's first process (see [`init`]) and exits, which lets the
/// helper go on; else it goes on to the second stage itself.
fn first_stage(ctx: &ChildContext<'_>, sock: RawFd) -> Result<Never, Failure> {
    let mut mech: BTreeMap<String, Mechanism> = BTreeMap::new();

    // First, so that no process of the run ever holds the caller's files.
    ctx.stdio.install().map_err(setup("standard descriptors"))?;

    // Die with the helper.
    sys::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong)
        .map_err(setup("PR_SET_PDEATHSIG"))?;
    if sys::getppid() != ctx.parent {
        return Err(Failure::Setup("the helper exited during setup".into()));
    }

    mech.insert("rlimits".into(), set_rlimits(ctx.limits));
    // Join the run's cgroup before anything is started from here: every
    // process of the run is then counted and limited there.
    for procs in ctx.cgroup_procs {
        std::fs::write(procs, "0")
            .map_err(|e| Failure::Setup(format!("joining the cgroup {}: {e}", procs.display())))?;
    }

    let (uid, gid, euid) = sys::ids();
    let mut have_ns = false;
    // The namespaces made for this run at its start, joined; else made here.
    let joined = match ctx.early_ns {
        Some(fd) => {
            let root_before = root_id();
            if sys::setns(fd, super::early::FLAGS).is_ok() {
                // Joined: no way back to the caller's namespaces, so what
                // fails from here is a failed setup. Joining a mount
                // namespace moves to its root directory: the same one
                // unless the helper runs in a chroot (which `early::start`
                // rules out).
                if root_id() != root_before {
                    return Err(Failure::Setup(
                        "the helper's root directory is not its mount namespace's (chroot); run it without chroot".into(),
                    ));
                }
                sys::unshare(libc::CLONE_NEWPID).map_err(setup("unshare(CLONE_NEWPID)"))?;
                true
            } else {
                false
            }
        }
        None => false,
    };
    let made = if joined {
        Ok(())
    } else {
        sys::unshare(libc::CLONE_NEWUSER | NS_FLAGS)
    };
    let ns = match made {
        Ok(()) if joined => {
            have_ns = true;
            Mechanism::new(Level::Full, NS_NAMES)
        }
        Ok(()) => {
            std::fs::write("/proc/self/setgroups", "deny").map_err(setup("writing setgroups"))?;
            std::fs::write("/proc/self/uid_map", format!("{uid} {uid} 1")).map_err(setup("writing uid_map"))?;
            std::fs::write("/proc/self/gid_map", format!("{gid} {gid} 1")).map_err(setup("writing gid_map"))?;
            have_ns = true;
            Mechanism::new(Level::Full, NS_NAMES)
        }
        Err(user_err) if euid == 0 => match sys::unshare(NS_FLAGS) {
            Ok(()) => {
                have_ns = true;
                Mechanism::new(
                    Level::Full,
                    format!("{} without a user namespace ({user_err}); capabilities are dropped instead", &NS_NAMES[6..]),
                )
            }
            Err(e) => Mechanism::new(Level::None, format!("unshare failed: {user_err}; without user namespace: {e}")),
        },
        Err(e) => Mechanism::new(
            Level::None,
            format!("user namespaces are not available to this user ({e}); check kernel.unprivileged_userns_clone / user.max_user_namespaces"),
        ),
    };
    mech.insert("namespaces".into(), ns);
    // A cgroup namespace rooted at the run's cgroup (joined above), so that
    // the run's own cgroup2 mount (see [`mounts::View::own_cgroup`]) shows
    // only its subtree, not the cgroups of other runs or of the host.
    let own_cgroup = have_ns
        && sys::unshare(libc::CLONE_NEWCGROUP).is_ok()
        && std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
    let stage = Stage {
        mech,
        have_mount_ns: have_ns,
        have_net_ns: have_ns,
        have_pid_ns: have_ns,
        own_cgroup,
    };
    if !stage.have_pid_ns {
        return second_stage(ctx, sock, &stage);
    }
    // The next process started here is the PID namespace's first. It is
    // the helper's child (CLONE_PARENT), so the helper waits for it.
    let pid = sys::clone_parent().map_err(setup("starting the PID namespace"))?;
    if pid == 0 {
        init(ctx, sock, &stage)
    }
    ctx.init_pid.store(pid, std::sync::atomic::Ordering::SeqCst);
    sys::exit_now(0)
}

/// What the command's process starts from in [`init`].
struct CommandStart<'a, 'b> {
    ctx: &'a ChildContext<'b>,
    sock: RawFd,
    stage: &'a Stage,
}

extern "C" fn command_entry(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the `CommandStart` on the stack of `init`, valid
    // and not mutated while this process runs (`init` is suspended).
    let start = unsafe { &*(arg as *const CommandStart<'_, '_>) };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        second_stage(start.ctx, start.sock, start.stage)
    }));
    finish(result, start.sock)
}

/// The PID namespace's first process: starts the command's process (which
/// finishes the setup and executes the command), forwards the helper's
/// termination signals to it, reaps orphans, and when the command ends
/// writes its wait status to the helper and exits, which makes the kernel
/// kill every process left in the namespace. A plain process (not the
/// command itself as the namespace's init) because the kernel drops
/// signals an init process has no handler for: `kill -TERM $$` in a shell
/// would do nothing.
fn init(ctx: &ChildContext<'_>, sock: RawFd, stage: &Stage) -> ! {
    let _ = sys::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    let start = CommandStart { ctx, sock, stage };
    // SAFETY: `command_entry` ends in execve or _exit, never unwinds, and
    // only reads `start`, which lives on this frame until the call returns.
    let command = unsafe {
        sys::clone_vfork(
            command_entry,
            &start as *const CommandStart<'_, '_> as *mut libc::c_void,
        )
    };
    let command = match command {
        Ok(pid) => pid,
        Err(e) => {
            send(
                sock,
                MSG_SETUP_FAILED,
                &format!("starting the command's process: {e}"),
                None,
            );
            sys::exit_now(EXIT_HELPER_ERROR)
        }
    };
    // The helper reads the channel until every copy of it is closed.
    sys::close(sock);
    // These signals are blocked since the helper blocked them.
    let mut watched = vec![libc::SIGCHLD];
    watched.extend_from_slice(super::FORWARDED);
    let set = sys::sigset(&watched);
    loop {
        loop {
            match sys::waitpid(-1, libc::WNOHANG) {
                Ok(Some((pid, status))) if pid == command => {
                    let _ = sys::write_fd(ctx.status_fd, &status.to_ne_bytes());
                    sys::exit_now(0)
                }
                Ok(Some(_)) => continue,
                Ok(None) => break,
                Err(_) => sys::exit_now(EXIT_HELPER_ERROR),
            }
        }
        match sys::sigwait(&set) {
            Ok(libc::SIGCHLD) | Err(_) => {}
            Ok(sig) => {
                // The command's process group once it has its own session.
                if sys::kill(-command, sig).is_err() {
                    let _ = sys::kill(command, sig);
                }
            }
        }
    }
}

/// Second stage: the rest of the setup, then the command. Runs in the
/// command's own process.
fn second_stage(ctx: &ChildContext<'_>, sock: RawFd, stage: &Stage) -> Result<Never, Failure> {
    let mut mech = stage.mech.clone();
    let have_mount_ns = stage.have_mount_ns;
    let have_net_ns = stage.have_net_ns;

    // The proxy's listener, inside the new network namespace; the parent
    // receives it over the channel and serves it.
    let mut proxy_port = None;
    if !ctx.network_off {
        if have_net_ns {
            sys::loopback_up().map_err(setup("bringing up loopback"))?;
        }
        let listener = TcpListener::bind("127.0.0.1:0").map_err(setup("proxy listener"))?;
        let port = listener
            .local_addr()
            .map_err(setup("proxy listener"))?
            .port();
        send(
            sock,
            MSG_LISTENER,
            &port.to_string(),
            Some(listener.as_raw_fd()),
        );
        drop(listener);
        proxy_port = Some(port);
    }

    // When memory runs out, the kernel kills the process with the highest
    // score: make that the command (and everything it starts), never the
    // helper, whose report and cleanup must happen. Raising the value needs
    // no privilege; children inherit it. This process was started with
    // CLONE_VFORK, and the kernel does not carry a vfork child's value over
    // to the process whose memory it shares (the helper, or the PID
    // namespace's first process), so the helper keeps its own.
    std::fs::write("/proc/self/oom_score_adj", "1000").map_err(setup("oom_score_adj"))?;

    let plan = ctx.plan;
    // The run's temporary directory: a private tmpfs on the per-user base
    // directory (nothing to create or remove on disk), or without a mount
    // namespace a fresh directory the parent removes afterwards.
    let (tmp, private_tmp) = match (ctx.tmp_base, have_mount_ns) {
        (Some(base), true) => (base.to_path_buf(), true),
        _ => {
            let t = super::make_private_tmp().map_err(Failure::Setup)?;
            send_bytes(sock, MSG_TMP, t.as_os_str().as_bytes(), None);
            (t, false)
        }
    };

    // A /dev of the run's own, unless a tree of the run lies below /dev (a
    // workspace in /dev/shm), which it would cover: such a run keeps the
    // host's /dev.
    let private_dev = have_mount_ns
        && stage.have_pid_ns
        && !plan
            .writable
            .iter()
            .chain([&plan.workspace, &plan.cwd, &tmp])
            .any(|r| r.starts_with("/dev"));
    // Mounts: hide blocked paths, pin .git, protect files.
    let mounts_mech = if have_mount_ns {
        let mut roots = plan.writable.clone();
        roots.push(tmp.clone());
        let view = mounts::View {
            writable_roots: (!plan.write_everywhere).then_some(&roots[..]),
            writable_ids: &plan.writable_ids,
            new_proc: stage.have_pid_ns,
            new_ipc: stage.have_pid_ns,
            tmpfs_size: mounts::tmpfs_size(ctx.limits.max_memory),
            private_dev,
            own_cgroup: stage.own_cgroup,
            hide_cgroups: stage.have_pid_ns,
        };
        let mut gaps = mounts::apply(&plan.mounts, &plan.redacted, &tmp, private_tmp, &view)
            .map_err(setup("mount setup"))?;
        gaps.splice(0..0, plan.gaps.iter().cloned());
        if gaps.is_empty() {
            Mechanism::new(
                Level::Full,
                format!(
                    "{}{} mount operations",
                    if plan.write_everywhere {
                        "permissive: no read-only view; "
                    } else {
                        "read-only outside the writable trees; "
                    },
                    plan.mounts.len()
                ),
            )
        } else {
            Mechanism::new(Level::Partial, gaps.join("; "))
        }
    } else if plan.write_everywhere && plan.mounts.is_empty() && plan.gaps.is_empty() {
        Mechanism::new(Level::Full, "nothing to hide or pin")
    } else {
        Mechanism::new(
            Level::None,
            "no mount namespace: no read-only view outside the writable trees (modes, owners, times and extended attributes of the caller's files can change), blocked paths stay readable and protected files under writable trees stay writable",
        )
    };
    mech.insert("mounts".into(), mounts_mech);

    // Terminals: only the run's own under /dev/pts, and the command's own
    // terminal in place of the caller's.
    mech.insert(
        "terminals".into(),
        if have_mount_ns {
            let m = super::pty::mount_private_devpts();
            if m.level == Level::Full && private_dev {
                Mechanism::new(
                    Level::Full,
                    "private /dev (null, zero, full, random, urandom, tty) and devpts instance: no terminal, console or other device of the host can be opened; the command's terminal is its own pseudo-terminal",
                )
            } else {
                m
            }
        } else {
            Mechanism::new(
                Level::None,
                "no mount namespace: the host's terminals under /dev/pts stay reachable",
            )
        },
    );
    let private_devpts = mech
        .get("terminals")
        .is_some_and(|m| m.level == Level::Full);
    let terminal = ctx
        .stdio
        .open_terminal(sock)
        .map_err(setup("the command's terminal"))?;

    // Network. `socket(AF_UNIX)` is refused in every mode (the seccomp
    // filter's family list never holds it): a pathname Unix socket of the
    // host (a terminal multiplexer, a container engine, an agent) would
    // run commands outside for the caller, and neither a read-only mount
    // nor Landlock on these kernels stops a connect to one. `socketpair`
    // stays allowed for stream and seqpacket pairs, which connect only to
    // each other (a datagram pair could `sendto` a path; see `seccomp`).
    let families: Vec<i32>;
    let mut tcp_connect_only = None;
    let net = if ctx.network_off {
        families = if have_net_ns {
            vec![libc::AF_NETLINK]
        } else {
            vec![]
        };
        if have_net_ns {
            Mechanism::new(
                Level::Full,
                "off: private network namespace without interfaces; sockets limited to AF_NETLINK",
            )
        } else {
            Mechanism::new(Level::None, "off: no private network namespace: the host's /proc/net and abstract Unix socket names stay visible")
        }
    } else {
        families = vec![libc::AF_NETLINK, libc::AF_INET, libc::AF_INET6];
        if have_net_ns {
            Mechanism::new(
                Level::Full,
                "proxy only: private network namespace whose only listener is the filtering proxy",
            )
        } else {
            tcp_connect_only = proxy_port;
            Mechanism::new(
                Level::Partial,
                "proxy without a network namespace: TCP connects limited to the proxy port by Landlock; UDP is not restricted",
            )
        }
    };
    mech.insert("network".into(), net);

    // The working directory the plan found, reached through no link (a
    // path swapped for a link since would lead elsewhere).
    let cwd = crate::git::nofollow::open(&plan.cwd, libc::O_PATH | libc::O_DIRECTORY)
        .map_err(setup("changing to the working directory"))?;
    let here = std::fs::File::from(cwd.try_clone().map_err(setup("cwd"))?)
        .metadata()
        .map_err(setup("cwd"))?;
    if (here.dev(), here.ino()) != plan.cwd_id {
        return Err(Failure::Setup(format!(
            "the working directory {} is no longer the directory planned: a process outside replaced it while the run started; nothing was run",
            plan.cwd.display()
        )));
    }
    sys::fchdir(cwd.as_raw_fd()).map_err(setup("changing to the working directory"))?;
    sys::cloexec_from(3).map_err(setup("close_range"))?;
    sys::drop_capabilities().map_err(setup("dropping capabilities"))?;

    let mut writable: Vec<PathBuf> = plan.writable.clone();
    writable.push(tmp.clone());
    if stage.have_pid_ns && Path::new("/dev/shm").is_dir() {
        // The run's own tmpfs (see `mounts::View::new_ipc`): POSIX shared
        // memory and semaphores work and stay private.
        writable.push(PathBuf::from("/dev/shm"));
    }
    mech.insert(
        "landlock".into(),
        landlock::restrict(
            &landlock::Rules {
                write_everywhere: plan.write_everywhere,
                writable: &writable,
                writable_ids: &plan.writable_ids,
                tcp_connect_only,
                private_devpts,
            },
            ctx.landlock,
        ),
    );
    mech.insert(
        "seccomp".into(),
        match seccomp::apply(&families, plan.no_symlinks) {
            Ok(()) if plan.no_symlinks => Mechanism::new(
                Level::Full,
                "escape-prone system calls refused; socket families limited; symbolic links cannot be created (filesystem.allow_symlinks: false)",
            ),
            Ok(()) => Mechanism::new(
                Level::Full,
                "escape-prone system calls refused; socket families limited",
            ),
            Err(e) => Mechanism::new(Level::None, e),
        },
    );
    let seccomp_ok = mech.get("seccomp").is_some_and(|m| m.level == Level::Full);
    mech.insert(
        "unix_sockets".into(),
        match (seccomp_ok, have_net_ns) {
            (true, true) => Mechanism::new(
                Level::Full,
                "socket(AF_UNIX) and datagram socketpairs refused by seccomp (stream and seqpacket pairs allowed): no connection or datagram to a pathname or abstract Unix socket of the host; abstract names private to the network namespace",
            ),
            (true, false) => Mechanism::new(
                Level::Partial,
                "socket(AF_UNIX) refused by seccomp, but without a network namespace abstract names are the host's",
            ),
            (false, _) => Mechanism::new(
                Level::None,
                "no seccomp filter: Unix sockets of the host are reachable",
            ),
        },
    );

    let degraded = mech.values().any(|m| m.level != Level::Full);
    let refused = !ctx.allow_degraded && degraded;
    if degraded && !refused && ctx.warn_degraded {
        // Said here, before the command runs: the parent reads the status
        // only at the end.
        eprintln!(
            "sandbox-exec: warning: running with incomplete enforcement: {}",
            crate::report::visible(&crate::report::shortfalls(&mech).join("; "))
        );
    }
    let status = ChildStatus {
        mechanisms: mech,
        refused,
        proxy_port,
    };
    send(
        sock,
        MSG_STATUS,
        &serde_json::to_string(&status).unwrap_or_default(),
        None,
    );
    if refused {
        return Err(Failure::Refused);
    }

    // The command's environment: the caller's, scrubbed, then what the
    // helper sets, the caller's explicit variables and the proxy.
    let env = crate::env::for_command(
        std::env::vars_os(),
        ctx.env_allow,
        [
            ("HOME", plan.home.as_os_str()),
            ("TMPDIR", tmp.as_os_str()),
            ("PWD", plan.cwd.as_os_str()),
        ],
        ctx.extra_env,
        proxy_port,
    );
    let to_c = |b: &[u8]| {
        CString::new(b).map_err(|_| Failure::Exec("an argument contains a NUL byte".into()))
    };
    let envs: Vec<CString> = env
        .iter()
        .map(|(k, v)| {
            let mut b = k.as_bytes().to_vec();
            b.push(b'=');
            b.extend_from_slice(v.as_bytes());
            to_c(&b)
        })
        .collect::<Result<_, _>>()?;
    let args: Vec<CString> = ctx
        .command
        .iter()
        .map(|a| to_c(a.as_bytes()))
        .collect::<Result<_, _>>()?;
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    let mut envp: Vec<*const libc::c_char> = envs.iter().map(|a| a.as_ptr()).collect();
    envp.push(std::ptr::null());

    // A session and process group of our own, taken last: with scheduler
    // autogroups a new session is a new scheduling group, which a busy
    // machine serves later than the caller's; the setup above still runs
    // in the caller's group.
    sys::setsid().map_err(setup("setsid"))?;
    if let Some(fd) = terminal {
        super::pty::take_controlling(fd).map_err(setup("controlling terminal"))?;
    }

    // Signals as the command expects them: the caller's mask, default SIGPIPE.
    let _ = sys::sigmask(libc::SIG_SETMASK, &ctx.old_mask);
    sys::default_signal(libc::SIGPIPE);

    let program = ctx.command[0].as_bytes();
    let err = if program.contains(&b'/') {
        sys::execve(&args[0], &argv, &envp)
    } else {
        let path = env
            .iter()
            .find(|(k, _)| k.as_bytes() == b"PATH")
            .map(|(_, v)| v.as_bytes().to_vec())
            .unwrap_or_else(|| b"/usr/local/bin:/usr/bin:/bin".to_vec());
        let mut last = io::Error::from_raw_os_error(libc::ENOENT);
        let mut denied = None;
        for dir in path.split(|b| *b == b':') {
            let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
            let mut full = dir.to_vec();
            full.push(b'/');
            full.extend_from_slice(program);
            let Ok(full) = CString::new(full) else {
                continue;
            };
            let e = sys::execve(&full, &argv, &envp);
            match e.raw_os_error() {
                Some(libc::ENOENT) | Some(libc::ENOTDIR) => {}
                Some(libc::EACCES) => denied = Some(e),
                _ => {
                    last = e;
                    break;
                }
            }
        }
        denied.unwrap_or(last)
    };
    Err(Failure::Exec(format!(
        "cannot execute {}: {err}",
        String::from_utf8_lossy(program)
    )))
}

/// Device and inode of the root directory.
fn root_id() -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/").ok().map(|m| (m.dev(), m.ino()))
}

fn set_rlimits(limits: &ResourceLimits) -> Mechanism {
    let mut done = Vec::new();
    let mut failed = Vec::new();
    let mut apply = |name: &str, res, value: u64| {
        // Never raise a limit the caller already lowered.
        let (_, hard) = sys::getrlimit(res).unwrap_or((libc::RLIM_INFINITY, libc::RLIM_INFINITY));
        let v = value.min(hard);
        match sys::setrlimit(res, v, v) {
            Ok(()) => done.push(format!("{name}={v}")),
            Err(e) => failed.push(format!("{name}: {e}")),
        }
    };
    if let Some(m) = limits.max_memory {
        apply("RLIMIT_AS", libc::RLIMIT_AS, m);
    }
    if let Some(f) = limits.max_file_size {
        apply("RLIMIT_FSIZE", libc::RLIMIT_FSIZE, f);
    }
    apply("RLIMIT_NPROC", libc::RLIMIT_NPROC, DEFAULT_MAX_PROCESSES);
    apply("RLIMIT_CORE", libc::RLIMIT_CORE, 0);
    if failed.is_empty() {
        Mechanism::new(Level::Full, done.join(", "))
    } else {
        Mechanism::new(
            Level::Partial,
            format!("set {}; failed {}", done.join(", "), failed.join(", ")),
        )
    }
}
