//! Linux enforcement. The helper forks once: the child confines itself and
//! executes the command; the parent stays outside as the supervisor. It
//! reaps every descendant (it is a child subreaper), runs the filtering
//! proxy, forwards termination signals, enforces the time limit and writes
//! the report.

mod child;
mod landlock;
mod mounts;
mod proxy;
mod seccomp;
mod sys;

use std::io::Write;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sandbox_core::guards::network::NetworkGuard;
use sandbox_core::Policy;

use crate::cli::{Options, ReportTarget};
use crate::plan::{Plan, PlanInput};
use crate::report::{
    Exit, Level, Mechanism, Report, EXIT_EXEC_FAILED, EXIT_HELPER_ERROR, EXIT_REFUSED, EXIT_TIMEOUT,
};

/// Signals the supervisor handles instead of dying from them.
const FORWARDED: &[libc::c_int] = &[libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT];

/// Run the command as the options say; returns the helper's exit status.
pub fn run(opts: Options) -> i32 {
    let mut report = Report::new(opts.allow_degraded);
    report.kernel = sys::kernel_release();
    report.landlock_abi = sys::landlock_abi();
    let mut tmp = None;
    let code = match run_inner(&opts, &mut report, &mut tmp) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("sandbox-exec: {msg}");
            report.status = "error".into();
            report.error = Some(msg);
            EXIT_HELPER_ERROR
        }
    };
    if let Some(t) = tmp {
        let _ = std::fs::remove_dir_all(t);
    }
    if report.exit.is_none() {
        report.exit = Some(Exit {
            code,
            signal: None,
            timed_out: false,
        });
    }
    write_report(&opts, &report);
    code
}

fn write_report(opts: &Options, report: &Report) {
    let mut json = report.to_json();
    json.push('\n');
    let result = match &opts.report {
        None => Ok(()),
        Some(ReportTarget::Stderr) => std::io::stderr().write_all(json.as_bytes()),
        Some(ReportTarget::File(p)) => std::fs::write(p, json.as_bytes()),
        Some(ReportTarget::Fd(fd)) => {
            // SAFETY: the caller handed this descriptor to the helper to be
            // written once and closed; nothing else in the helper uses it.
            let mut f = unsafe { std::fs::File::from_raw_fd(*fd) };
            f.write_all(json.as_bytes())
        }
    };
    if let Err(e) = result {
        eprintln!("sandbox-exec: writing the report: {e}");
    }
}

/// A private temporary directory for the run, removed afterwards.
fn make_tmp() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for attempt in 0..16u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let p = base.join(format!(
            "sandbox-exec-{}-{:08x}{attempt}",
            sys::getpid(),
            nanos
        ));
        match std::fs::DirBuilder::new().mode(0o700).create(&p) {
            Ok(()) => {
                return std::fs::canonicalize(&p).map_err(|e| format!("temporary directory: {e}"))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "creating a temporary directory in {}: {e}",
                    base.display()
                ))
            }
        }
    }
    Err("could not create a unique temporary directory".into())
}

fn run_inner(
    opts: &Options,
    report: &mut Report,
    tmp_out: &mut Option<PathBuf>,
) -> Result<i32, String> {
    let policy_path = opts.policy.as_deref().expect("checked by the parser");
    let text = std::fs::read_to_string(policy_path)
        .map_err(|e| format!("reading the policy {}: {e}", policy_path.display()))?;
    let policy =
        Policy::from_json(&text).map_err(|e| format!("policy {}: {e}", policy_path.display()))?;
    let home = opts
        .home
        .clone()
        .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
        .ok_or("no home directory: pass --home DIR or set HOME")?;
    let workspace = opts.workspace.as_deref().expect("checked by the parser");
    let ssh_sock = std::env::var_os("SSH_AUTH_SOCK").map(PathBuf::from);
    let plan = Plan::build(&PlanInput {
        policy: &policy,
        workspace,
        home: &home,
        cwd: opts.cwd.as_deref(),
        ssh_auth_sock: ssh_sock.as_deref(),
    })
    .map_err(|e| e.to_string())?;
    report.workspace = plan.workspace.display().to_string();
    report.git_dirs = plan
        .git_dirs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    report.notes.extend(plan.notes.iter().cloned());
    let network_off = !policy.network.enabled;
    report.network_mode = if network_off { "off" } else { "proxy" }.into();
    let guard = if network_off {
        None
    } else {
        Some(NetworkGuard::new(&policy.network).map_err(|e| format!("network policy: {e}"))?)
    };

    let tmp = make_tmp()?;
    *tmp_out = Some(tmp.clone());

    let mut env = crate::env::scrub(std::env::vars_os(), &policy.environment.allow);
    crate::env::set(&mut env, "HOME", plan.home.as_os_str());
    crate::env::set(&mut env, "TMPDIR", tmp.as_os_str());
    crate::env::set(&mut env, "PWD", plan.cwd.as_os_str());
    for (k, v) in &opts.env {
        crate::env::set(&mut env, &k.to_string_lossy(), v);
    }

    // Signals are handled through a signalfd from here on; the child puts
    // the caller's mask back before it executes the command.
    let mut handled = vec![libc::SIGCHLD];
    handled.extend_from_slice(FORWARDED);
    let set = sys::sigset(&handled);
    let old_mask = sys::sigmask(libc::SIG_BLOCK, &set).map_err(|e| format!("signal mask: {e}"))?;
    let sfd = sys::signalfd(&set).map_err(|e| format!("signalfd: {e}"))?;
    // Orphaned grandchildren come back to the helper, so none outlives it
    // unnoticed and the time limit reaches all of them.
    sys::prctl(libc::PR_SET_CHILD_SUBREAPER, 1)
        .map_err(|e| format!("PR_SET_CHILD_SUBREAPER: {e}"))?;
    let (parent_sock, child_sock) =
        sys::seqpacket_pair().map_err(|e| format!("socketpair: {e}"))?;

    let started = Instant::now();
    let parent_pid = sys::getpid();
    let child_pid = match sys::fork().map_err(|e| format!("fork: {e}"))? {
        sys::Forked::Child => {
            drop(parent_sock);
            drop(sfd);
            child::main(
                child::ChildContext {
                    plan: &plan,
                    tmp: &tmp,
                    network_off,
                    limits: &policy.limits,
                    allow_degraded: opts.allow_degraded,
                    command: &opts.command,
                    env,
                    parent: parent_pid,
                    old_mask,
                    landlock_abi: report.landlock_abi,
                },
                child_sock,
            )
        }
        sys::Forked::Parent(pid) => pid,
    };
    drop(child_sock);

    // Read the child's setup messages until it executes the command (the
    // channel is close-on-exec) or gives up.
    let mut listener: Option<TcpListener> = None;
    let mut setup_error = None;
    let mut exec_error = None;
    let mut refused = false;
    loop {
        let (msg, fd) = match sys::recv_msg(parent_sock.as_raw_fd(), 64 * 1024) {
            Ok(m) => m,
            Err(e) => {
                setup_error = Some(format!("reading from the child: {e}"));
                break;
            }
        };
        let Some((&tag, body)) = msg.split_first() else {
            break;
        };
        let body = String::from_utf8_lossy(body).into_owned();
        match tag {
            child::MSG_LISTENER => {
                if let Some(fd) = fd {
                    // SAFETY: the descriptor arrived by SCM_RIGHTS and is owned here.
                    let l = unsafe { TcpListener::from_raw_fd(fd.into_raw_fd()) };
                    let _ = l.set_nonblocking(true);
                    report.proxy = Some(format!("http://127.0.0.1:{body}"));
                    listener = Some(l);
                }
            }
            child::MSG_STATUS => match serde_json::from_str::<child::ChildStatus>(&body) {
                Ok(st) => {
                    for (name, m) in st.mechanisms {
                        report.set(&name, m);
                    }
                    refused = st.refused;
                }
                Err(e) => setup_error = Some(format!("unreadable status from the child: {e}")),
            },
            child::MSG_EXEC_FAILED => exec_error = Some(body),
            child::MSG_SETUP_FAILED => setup_error = Some(body),
            _ => {}
        }
    }
    drop(parent_sock);
    report.set(
        "timeout",
        Mechanism::new(
            Level::Full,
            match policy.limits.max_execution_time {
                Some(ms) => {
                    format!("{ms} ms, then the whole process tree is killed (child subreaper)")
                }
                None => "no time limit; leftover processes are killed when the command ends".into(),
            },
        ),
    );

    if refused || setup_error.is_some() || exec_error.is_some() {
        kill_tree(child_pid);
        let (code, status) = if let Some(e) = setup_error {
            eprintln!("sandbox-exec: setup failed: {e}");
            report.error = Some(e);
            (EXIT_HELPER_ERROR, "error")
        } else if let Some(e) = exec_error {
            eprintln!("sandbox-exec: {e}");
            report.error = Some(e);
            (EXIT_EXEC_FAILED, "exec_failed")
        } else {
            let short = report.shortfalls().join("; ");
            eprintln!(
                "sandbox-exec: refusing to run: enforcement is incomplete on this kernel ({short}); \
                 pass --allow-degraded to run anyway"
            );
            report.error = Some(format!("enforcement incomplete: {short}"));
            (EXIT_REFUSED, "refused")
        };
        report.status = status.into();
        return Ok(code);
    }
    if report.enforcement != Level::Full && !matches!(opts.report, Some(ReportTarget::Stderr)) {
        eprintln!(
            "sandbox-exec: warning: running with incomplete enforcement: {}",
            report.shortfalls().join("; ")
        );
    }

    let proxy = guard.map(|g| proxy::Proxy::new(g, opts.resolve.clone()));
    let deadline = policy
        .limits
        .max_execution_time
        .map(|ms| started + Duration::from_millis(ms));
    let (wait_status, timed_out) = supervise(
        child_pid,
        sfd.as_raw_fd(),
        listener.as_ref(),
        proxy.as_ref(),
        deadline,
    )?;
    kill_tree(child_pid);
    if let Some(p) = &proxy {
        report.network_events = p.events.lock().unwrap_or_else(|e| e.into_inner()).clone();
    }

    let (code, signal) = if timed_out {
        (EXIT_TIMEOUT, Some(libc::SIGKILL))
    } else if libc::WIFEXITED(wait_status) {
        (libc::WEXITSTATUS(wait_status), None)
    } else if libc::WIFSIGNALED(wait_status) {
        let s = libc::WTERMSIG(wait_status);
        (128 + s, Some(s))
    } else {
        (EXIT_HELPER_ERROR, None)
    };
    report.status = if timed_out { "timeout" } else { "ok" }.into();
    report.exit = Some(Exit {
        code,
        signal,
        timed_out,
    });
    Ok(code)
}

/// Wait for the command, serving the proxy and forwarding signals, until it
/// exits (its wait status) or the deadline passes (`timed_out`).
fn supervise(
    child: libc::pid_t,
    sfd: i32,
    listener: Option<&TcpListener>,
    proxy: Option<&Arc<proxy::Proxy>>,
    deadline: Option<Instant>,
) -> Result<(i32, bool), String> {
    loop {
        // Reap whatever finished; other descendants are reaped too.
        loop {
            match sys::waitpid(-1, libc::WNOHANG) {
                Ok(Some((pid, status))) if pid == child => return Ok((status, false)),
                Ok(Some(_)) => continue,
                Ok(None) => break,
                Err(e) => return Err(format!("waiting for the command: {e}")),
            }
        }
        let timeout_ms = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok((0, true));
                }
                left.as_millis().clamp(1, i32::MAX as u128) as i32
            }
        };
        let mut fds = vec![sfd];
        if let Some(l) = listener {
            fds.push(l.as_raw_fd());
        }
        let ready = sys::poll_in(&fds, timeout_ms).map_err(|e| format!("poll: {e}"))?;
        if ready[0] {
            if let Ok(sig) = sys::read_signal(sfd) {
                if FORWARDED.contains(&sig) {
                    let _ = sys::kill(-child, sig);
                }
            }
        }
        if ready.get(1).copied().unwrap_or(false) {
            if let (Some(l), Some(p)) = (listener, proxy) {
                p.accept_pending(l);
            }
        }
    }
}

/// Direct children of this process, from /proc.
fn children_of(pid: libc::pid_t) -> Vec<libc::pid_t> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| {
                    let after = &s[s.rfind(')')? + 1..];
                    after.split_whitespace().nth(1)?.parse::<libc::pid_t>().ok()
                })
                == Some(pid)
        })
        .collect()
}

/// Kill the command's process group and every remaining descendant, and
/// reap them all. Descendants that left the process group (`setsid`) are
/// found as children of this subreaper once their parents die.
fn kill_tree(child: libc::pid_t) {
    let me = sys::getpid();
    loop {
        // Reap what is already gone first: with no child left there is
        // nothing to scan /proc for (the common case, and the fast one).
        loop {
            match sys::waitpid(-1, libc::WNOHANG) {
                Ok(Some(_)) => continue,
                Ok(None) => break,
                Err(_) => return, // ECHILD: nothing left
            }
        }
        let _ = sys::kill(-child, libc::SIGKILL);
        let _ = sys::kill(child, libc::SIGKILL);
        for k in children_of(me) {
            let _ = sys::kill(k, libc::SIGKILL);
        }
        loop {
            match sys::waitpid(-1, libc::WNOHANG) {
                Ok(Some(_)) => continue,
                Ok(None) => break,
                Err(_) => return, // ECHILD: nothing left
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
