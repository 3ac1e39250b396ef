//! The forked child: sets up the confinement step by step, tells the parent
//! what held, and `execve`s the command. It runs single-threaded (forked from
//! a single-threaded parent), which Landlock, seccomp and `unshare` require.

use std::collections::BTreeMap;
use std::ffi::{CString, OsString};
use std::io;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
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
    /// Landlock ABI of the running kernel.
    pub landlock_abi: i32,
    /// Print a warning before running with incomplete enforcement (the
    /// report does not go to standard error, where it would say so).
    pub warn_degraded: bool,
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
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| setup_and_exec(ctx, sock)));
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

fn setup_and_exec(ctx: &ChildContext<'_>, sock: RawFd) -> Result<Never, Failure> {
    let mut mech: BTreeMap<String, Mechanism> = BTreeMap::new();

    // Die with the helper.
    sys::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong)
        .map_err(setup("PR_SET_PDEATHSIG"))?;
    if sys::getppid() != ctx.parent {
        return Err(Failure::Setup("the helper exited during setup".into()));
    }

    mech.insert("rlimits".into(), set_rlimits(ctx.limits));

    // Namespaces: user (so that no privilege is needed), mount, network.
    let (uid, gid, euid) = sys::ids();
    let mut have_mount_ns = false;
    let mut have_net_ns = false;
    // With the network off, seccomp (AF_UNIX only) and Landlock's
    // abstract-socket scope already leave no way out; a network namespace
    // would only add start-up and tear-down cost. Older kernels get one.
    let want_net_ns = !ctx.network_off || ctx.landlock_abi < 6;
    let net_flag = if want_net_ns { libc::CLONE_NEWNET } else { 0 };
    let ns_names = if want_net_ns {
        "user, mount and network namespaces"
    } else {
        "user and mount namespaces"
    };
    let ns = match sys::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNS | net_flag) {
        Ok(()) => {
            std::fs::write("/proc/self/setgroups", "deny").map_err(setup("writing setgroups"))?;
            std::fs::write("/proc/self/uid_map", format!("{uid} {uid} 1")).map_err(setup("writing uid_map"))?;
            std::fs::write("/proc/self/gid_map", format!("{gid} {gid} 1")).map_err(setup("writing gid_map"))?;
            have_mount_ns = true;
            have_net_ns = want_net_ns;
            Mechanism::new(Level::Full, ns_names)
        }
        Err(user_err) if euid == 0 => match sys::unshare(libc::CLONE_NEWNS | net_flag) {
            Ok(()) => {
                have_mount_ns = true;
                have_net_ns = want_net_ns;
                Mechanism::new(
                    Level::Full,
                    format!("{} without a user namespace ({user_err}); capabilities are dropped instead", &ns_names[6..]),
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

    // Mounts: hide blocked paths, pin .git, protect files.
    let mounts_mech = if have_mount_ns {
        mounts::apply(&plan.mounts, &tmp, private_tmp).map_err(setup("mount setup"))?;
        if plan.gaps.is_empty() {
            Mechanism::new(
                Level::Full,
                format!("{} mount operations", plan.mounts.len()),
            )
        } else {
            Mechanism::new(Level::Partial, plan.gaps.join("; "))
        }
    } else if plan.mounts.is_empty() && plan.gaps.is_empty() {
        Mechanism::new(Level::Full, "nothing to hide or pin")
    } else {
        Mechanism::new(
            Level::None,
            "no mount namespace: blocked paths stay readable and protected files under writable trees stay writable",
        )
    };
    mech.insert("mounts".into(), mounts_mech);

    // Network.
    let families: Vec<i32>;
    let mut tcp_connect_only = None;
    let net = if ctx.network_off {
        families = if have_net_ns {
            vec![libc::AF_UNIX, libc::AF_NETLINK]
        } else {
            vec![libc::AF_UNIX]
        };
        if have_net_ns {
            Mechanism::new(Level::Full, "off: private network namespace without interfaces; sockets limited to AF_UNIX and AF_NETLINK")
        } else if ctx.landlock_abi >= 6 {
            Mechanism::new(
                Level::Full,
                "off: sockets limited to AF_UNIX by seccomp; abstract Unix sockets outside the sandbox unreachable (Landlock scope)",
            )
        } else {
            Mechanism::new(
                Level::Partial,
                "off: sockets limited to AF_UNIX by seccomp, but without a network namespace or Landlock scopes abstract Unix sockets of the host stay reachable",
            )
        }
    } else {
        families = vec![
            libc::AF_UNIX,
            libc::AF_NETLINK,
            libc::AF_INET,
            libc::AF_INET6,
        ];
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

    let cwd = sys::cstring(&plan.cwd).map_err(setup("cwd"))?;
    sys::chdir(&cwd).map_err(setup("changing to the working directory"))?;
    sys::cloexec_from(3).map_err(setup("close_range"))?;
    sys::drop_capabilities().map_err(setup("dropping capabilities"))?;

    let mut writable: Vec<PathBuf> = plan.writable.clone();
    writable.push(tmp.clone());
    mech.insert(
        "landlock".into(),
        landlock::restrict(&landlock::Rules {
            write_everywhere: plan.write_everywhere,
            writable: &writable,
            tcp_connect_only,
        }),
    );
    mech.insert(
        "seccomp".into(),
        match seccomp::apply(&families) {
            Ok(()) => Mechanism::new(
                Level::Full,
                "escape-prone system calls refused; socket families limited",
            ),
            Err(e) => Mechanism::new(Level::None, e),
        },
    );
    if mech.get("seccomp").is_some_and(|m| m.level == Level::None)
        && ctx.network_off
        && !have_net_ns
    {
        mech.insert(
            "network".into(),
            Mechanism::new(Level::None, "no network namespace and no seccomp filter"),
        );
    }

    let degraded = mech.values().any(|m| m.level != Level::Full);
    let refused = !ctx.allow_degraded && degraded;
    if degraded && !refused && ctx.warn_degraded {
        // Said here, before the command runs: the parent reads the status
        // only at the end.
        eprintln!(
            "sandbox-exec: warning: running with incomplete enforcement: {}",
            crate::report::shortfalls(&mech).join("; ")
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
    let mut env = crate::env::scrub(std::env::vars_os(), ctx.env_allow);
    crate::env::set(&mut env, "HOME", plan.home.as_os_str());
    crate::env::set(&mut env, "TMPDIR", tmp.as_os_str());
    crate::env::set(&mut env, "PWD", plan.cwd.as_os_str());
    for (k, v) in ctx.extra_env {
        crate::env::set(&mut env, &k.to_string_lossy(), v);
    }
    if let Some(port) = proxy_port {
        let url = format!("http://127.0.0.1:{port}");
        for name in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            crate::env::set(&mut env, name, &url);
        }
        for name in ["NO_PROXY", "no_proxy"] {
            crate::env::set(&mut env, name, "");
        }
    }
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
