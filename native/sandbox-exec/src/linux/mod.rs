//! Linux enforcement. The helper forks once: the child confines itself and
//! executes the command; the parent stays outside as the supervisor. It
//! reaps every descendant (it is a child subreaper), runs the filtering
//! proxy, forwards termination signals, enforces the time limit and writes
//! the report.

mod cgroup;
mod child;
mod early;
mod landlock;
mod mounts;
mod proxy;
mod pty;
mod relay;
mod seccomp;
mod sys;
mod tty;

use std::io::Write;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sandbox_core::guards::network::NetworkGuard;

use crate::cli::{Options, ReportTarget};
use crate::plan::{Plan, PlanInput};
use crate::report::{
    Exit, Level, Mechanism, Report, EXIT_EXEC_FAILED, EXIT_HELPER_ERROR, EXIT_REFUSED, EXIT_TIMEOUT,
};

/// Signals the supervisor handles instead of dying from them.
const FORWARDED: &[libc::c_int] = &[libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGQUIT];

/// The supervised process (the PID namespace's first process, or the
/// command), for the clean-up after a panic; 0 when there is none.
static RUNNING: AtomicI32 = AtomicI32::new(0);

/// Run the command as the options say; returns the helper's exit status.
pub fn run(opts: Options) -> i32 {
    let mut report = Report::new(opts.allow_degraded);
    report.kernel = sys::kernel_release();
    report.landlock_abi = sys::landlock_abi();
    // The report's directory, held from before the command exists: a
    // directory on the way that lies in a writable tree may be replaced
    // by a link during the run, and the report must not follow it.
    let report_dir = match &opts.report {
        Some(ReportTarget::File(p)) => open_report_dir(p),
        _ => None,
    };
    if let (Some(ReportTarget::File(p)), Some(d)) = (&opts.report, report_dir.as_ref()) {
        reserve_report_space(p, d);
    }
    let mut tmp = None;
    // Whatever happens in the helper, a panic included (a thread that
    // cannot be started, say), the command's processes are killed and the
    // report is written.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Before the sweep, a short report saying it did not finish
        // stands in the report file: a helper that dies in it (a memory
        // limit, a kill) leaves that, not a missing or a clean report.
        let provisional = |r: &Report| {
            if matches!(opts.report, Some(ReportTarget::File(_))) {
                write_report(&opts, r, report_dir.as_ref());
            }
        };
        run_inner(&opts, &mut report, &mut tmp, &provisional)
    }));
    let code = match result {
        Ok(Ok(code)) => code,
        Ok(Err(msg)) => {
            eprintln!("sandbox-exec: {}", crate::report::visible(&msg));
            report.status = "error".into();
            report.error = Some(msg);
            EXIT_HELPER_ERROR
        }
        Err(panic) => {
            let child = RUNNING.swap(0, Ordering::SeqCst);
            if child > 0 {
                kill_tree(child);
            }
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            let msg = format!(
                "internal error in the helper: {what}; the command's processes were killed"
            );
            eprintln!("sandbox-exec: {}", crate::report::visible(&msg));
            report.status = "error".into();
            report.error = Some(msg);
            report.exit = None;
            EXIT_HELPER_ERROR
        }
    };
    if let Some(t) = tmp {
        if let Err(e) = remove_private_tmp(&t) {
            let msg = format!(
                "the run's temporary directory {} could not be removed ({e}); files the command left there stay on the host: remove it with: chmod -R u+rwx {dir} && rm -rf {dir}",
                t.display(),
                dir = shell_words(std::slice::from_ref(&t))
            );
            eprintln!("sandbox-exec: warning: {}", crate::report::visible(&msg));
            report.notes.push(msg);
        }
    }
    if report.exit.is_none() {
        report.exit = Some(Exit {
            code,
            signal: None,
            timed_out: false,
        });
    }
    if !write_report(&opts, &report, report_dir.as_ref()) {
        // Whoever reads the exit status must not take a run whose report is
        // missing (a full disk, say) for the command's own result.
        return EXIT_HELPER_ERROR;
    }
    if let (Some(ReportTarget::File(p)), Some(d)) = (&opts.report, report_dir.as_ref()) {
        if let Err(msg) = report_path_leads_to_report(p, d) {
            let _ = writeln!(
                std::io::stderr(),
                "sandbox-exec: {}",
                crate::report::visible(&msg)
            );
            return EXIT_HELPER_ERROR;
        }
    }
    code
}

/// Checks that the caller's `--report` path, looked up afresh, leads to
/// the file the report was written to. The report is written through the
/// directory opened when the run started; a command that renamed that
/// directory (or one on its way) and put its own in its place would
/// otherwise leave a report of its making at the caller's path, and the
/// true one elsewhere.
fn report_path_leads_to_report(path: &Path, dir: &std::os::fd::OwnedFd) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let written = open_report_file(path, dir)
        .and_then(|f| f.metadata())
        .map_err(|e| format!("the report file could not be checked after writing: {e}"))?;
    let same =
        std::fs::metadata(path).is_ok_and(|m| m.dev() == written.dev() && m.ino() == written.ino());
    if same {
        return Ok(());
    }
    let now = std::fs::read_link(format!("/proc/self/fd/{}", dir.as_raw_fd()))
        .map(|d| d.join(path.file_name().unwrap_or_default()))
        .map(|p| format!(" (it is now at {})", p.display()))
        .unwrap_or_default();
    Err(format!(
        "the report was written into the directory {} named when the run started, but {} no longer leads to it: that directory or one on its way was renamed or replaced during the run{now}; what stands at {} is not this run's report",
        path.parent().unwrap_or(Path::new(".")).display(),
        path.display(),
        path.display()
    ))
}

/// Room the report file is given on its file system before the command
/// starts, so that a command that fills that file system (the workspace is
/// often on it) cannot keep the report from being written: the largest
/// report the helper writes ([`crate::report::REPORT_MAX_BYTES`]) fits in it.
const REPORT_RESERVE: libc::off_t = crate::report::REPORT_MAX_BYTES as libc::off_t + 4096;

/// Creates the report file empty and reserves [`REPORT_RESERVE`] bytes for
/// it beyond its end (`FALLOC_FL_KEEP_SIZE`: the file stays empty, so a
/// reader never sees padding). Best effort: a file system without
/// `fallocate` gets no reservation, and a failure to write later still
/// ends the run with exit 125.
fn reserve_report_space(path: &Path, dir: &std::os::fd::OwnedFd) {
    let Ok(f) = open_report_file(path, dir) else {
        return;
    };
    if f.set_len(0).is_ok() {
        // SAFETY: a valid descriptor owned by `f`; no memory is passed.
        unsafe { libc::fallocate(f.as_raw_fd(), libc::FALLOC_FL_KEEP_SIZE, 0, REPORT_RESERVE) };
    }
}

/// Writes the report where the options say; false when it could not be
/// written (the reason is on standard error).
fn write_report(
    opts: &Options,
    report: &Report,
    report_dir: Option<&std::os::fd::OwnedFd>,
) -> bool {
    let mut json = report.to_json();
    json.push('\n');
    let result = match &opts.report {
        None => Ok(()),
        // Standard error is the command's too, and it may have left a line
        // unfinished: a newline first keeps the report a line of its own,
        // the last one.
        Some(ReportTarget::Stderr) => {
            let mut framed = String::with_capacity(json.len() + 1);
            framed.push('\n');
            framed.push_str(&json);
            write_all_waiting(2, framed.as_bytes())
        }
        Some(ReportTarget::File(p)) => write_report_file(p, report_dir, json.as_bytes()),
        Some(ReportTarget::Fd(fd)) => {
            // SAFETY: the caller handed this descriptor to the helper to be
            // written once and closed; nothing else in the helper uses it.
            let mut f = unsafe { std::fs::File::from_raw_fd(*fd) };
            f.write_all(json.as_bytes())
        }
    };
    if let Err(e) = result {
        // Not eprintln!, which panics when standard error cannot be written.
        let _ = writeln!(
            std::io::stderr(),
            "sandbox-exec: writing the report: {}",
            crate::report::visible(&e.to_string())
        );
        return false;
    }
    true
}

/// Writes all of `bytes` to `fd`, waiting for room when the descriptor is
/// non-blocking (the caller may have made it so): the report is written
/// whole or not at all, never cut short by `EAGAIN`.
fn write_all_waiting(fd: std::os::fd::RawFd, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is readable for its length during the call.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n >= 0 {
            bytes = &bytes[n as usize..];
            continue;
        }
        let e = std::io::Error::last_os_error();
        match e.kind() {
            std::io::ErrorKind::Interrupted => {}
            std::io::ErrorKind::WouldBlock => {
                let mut p = libc::pollfd {
                    fd,
                    events: libc::POLLOUT,
                    revents: 0,
                };
                // SAFETY: `p` is one valid pollfd.
                unsafe { libc::poll(&mut p, 1, -1) };
            }
            _ => return Err(e),
        }
    }
    Ok(())
}

/// Writes the report to a path the command may have been able to reach: a
/// link in its place is not followed and a FIFO does not block the helper
/// (it writes with the caller's rights, outside the sandbox), and only a
/// regular file is truncated and written.
fn write_report_file(
    path: &Path,
    dir: Option<&std::os::fd::OwnedFd>,
    bytes: &[u8],
) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    let Some(dir) = dir else {
        return Err(std::io::Error::other(format!(
            "the directory of {} could not be opened when the helper started; give --report a path in an existing directory",
            path.display()
        )));
    };
    let f = match open_report_file(path, dir) {
        Ok(f) => f,
        Err(_) => {
            // The report's path may lie where the command could write: what
            // it left in the report's place (a forged report made read-only,
            // a directory, a FIFO) is removed, and the report made afresh. If
            // that fails too, the run ends with exit 125.
            if let Some(name) = path
                .file_name()
                .and_then(|n| std::ffi::CString::new(n.as_bytes()).ok())
            {
                // SAFETY: a valid directory descriptor and C string.
                unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), 0) };
            }
            open_report_file(path, dir)?
        }
    };
    // Written in place, into the room reserved when the run started, and
    // cut to its length only afterwards (a cut first would give the room
    // back to a full file system).
    f.write_all_at(bytes, 0)?;
    if f.metadata()?.len() > bytes.len() as u64 {
        f.set_len(bytes.len() as u64)?;
    }
    Ok(())
}

/// Opens the report file in `dir` for writing, creating it: a link in its
/// place is not followed, a FIFO does not block, and only a regular file is
/// accepted.
fn open_report_file(path: &Path, dir: &std::os::fd::OwnedFd) -> std::io::Result<std::fs::File> {
    let Some(name) = path.file_name() else {
        return Err(std::io::Error::other(format!(
            "{} names no file; give --report a file path",
            path.display()
        )));
    };
    crate::unix::open_regular_for_writing(dir.as_raw_fd(), name)
}

/// The directory `--report FILE` is written into, opened before the run.
fn open_report_dir(path: &Path) -> Option<std::os::fd::OwnedFd> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(dir)
        .ok()
        .map(Into::into)
}

/// A fresh temporary directory for a run without a mount namespace,
/// removed by the parent afterwards.
pub(crate) fn make_private_tmp() -> Result<PathBuf, String> {
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

/// Directories below the run's temporary directory the removal opens up
/// at most: a command's tree of millions must not stall the helper.
const TMP_REPAIR_LIMIT: usize = 100_000;

/// Remove the run's fresh temporary directory (a run without a mount
/// namespace). The command may have left directories it cannot be removed
/// from (`chmod 000 keep/inner`): those get their owner's read, write and
/// search permission back (no link followed; every process of the run is
/// dead by now) before a second attempt. An error means files are left.
fn remove_private_tmp(t: &std::path::Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(t) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) => {}
    }
    let mut stack = vec![t.to_path_buf()];
    let mut budget = TMP_REPAIR_LIMIT;
    while let Some(dir) = stack.pop() {
        if budget == 0 {
            break;
        }
        budget -= 1;
        if crate::git::nofollow::add_owner_permission(&dir, 0o700).is_err() {
            continue;
        }
        if let Ok(list) = crate::git::nofollow::read_dir(&dir) {
            // The paths held stay within the bound too.
            let room = TMP_REPAIR_LIMIT.saturating_sub(stack.len());
            stack.extend(
                list.into_iter()
                    .filter(|(_, kind)| kind.is_dir())
                    .take(room)
                    .map(|(name, _)| dir.join(name)),
            );
        }
    }
    match std::fs::remove_dir_all(t) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// The per-user directory (`$TMPDIR/sandbox-exec-<uid>`) each run mounts
/// its own private tmpfs on. It stays empty on the host, so nothing is
/// created or removed per run. `None` when it cannot be used safely: it
/// must be a real directory (not a symlink) owned by this user and closed
/// to others, or another user could choose where the tmpfs goes.
fn shared_tmp_base() -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let euid = sys::ids().2;
    let base = std::fs::canonicalize(std::env::temp_dir())
        .ok()?
        .join(format!("sandbox-exec-{euid}"));
    let meta = match std::fs::symlink_metadata(&base) {
        Ok(m) => m,
        Err(_) => {
            // Another run may create it at the same time: look again.
            let _ = std::fs::DirBuilder::new().mode(0o700).create(&base);
            std::fs::symlink_metadata(&base).ok()?
        }
    };
    let safe = meta.file_type().is_dir() && meta.uid() == euid && meta.mode() & 0o077 == 0;
    safe.then_some(base)
}

/// The user's other home directories: the caller's `$HOME` and the one
/// `/etc/passwd` gives for the real uid (the helper reads the file itself;
/// users only a network directory knows are covered through `$HOME` or
/// `--home`). `--home` may be a scratch directory; the credential stores
/// below these stay hidden all the same.
fn other_homes() -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let mut out: Vec<PathBuf> = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    let uid = sys::ids().0.to_string();
    if let Ok(passwd) = std::fs::read("/etc/passwd") {
        for line in passwd.split(|b| *b == b'\n') {
            let f: Vec<&[u8]> = line.split(|b| *b == b':').collect();
            if f.len() >= 7 && f[2] == uid.as_bytes() && f[5].first() == Some(&b'/') {
                out.push(PathBuf::from(std::ffi::OsStr::from_bytes(f[5])));
                break;
            }
        }
    }
    out
}

fn run_inner(
    opts: &Options,
    report: &mut Report,
    tmp_out: &mut Option<PathBuf>,
    provisional: &dyn Fn(&Report),
) -> Result<i32, String> {
    let policy = opts.read_policy()?;
    let home = opts.home_dir()?;
    let workspace = opts.workspace.as_deref().expect("checked by the parser");
    // The run's namespaces are made while the run is planned (see
    // `early`); with a memory limit in the run's cgroups, made first.
    let (mut cgroup, mut early) = if policy.limits.max_memory.is_some() {
        let cgroup =
            cgroup::RunCgroup::create(child::DEFAULT_MAX_PROCESSES, policy.limits.max_memory);
        let early = early::start(&cgroup.procs);
        (cgroup, early)
    } else {
        let early = early::start(&[]);
        (
            cgroup::RunCgroup::create(child::DEFAULT_MAX_PROCESSES, None),
            early,
        )
    };
    let network_off = !policy.network.enabled;
    report.network_mode = if network_off { "off" } else { "proxy" }.into();
    let ssh_sock = std::env::var_os("SSH_AUTH_SOCK").map(PathBuf::from);
    let xdg_config = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
    let mut credential_env = crate::plan::credential_stores_of_environment(|v| std::env::var_os(v));
    credential_env.extend(crate::plan::secret_paths_of_environment(std::env::vars_os()));
    let (mut path_entries, path_relative) =
        crate::env::search_path_entries(&std::env::var_os("PATH").unwrap_or_default());
    // The active virtual environment's and conda environment's programs:
    // tools run them by these variables (`uv run`, `poetry run`, `conda
    // run`, `pipenv`) whether or not `PATH` names their `bin`, so they are
    // judged as `PATH` entries are.
    path_entries.extend(crate::env::environment_bin_dirs(|v| std::env::var_os(v)));
    path_entries.dedup();
    let plan = Plan::build(&PlanInput {
        policy: &policy,
        workspace,
        home: &home,
        other_homes: &other_homes(),
        cwd: opts.cwd.as_deref(),
        ssh_auth_sock: ssh_sock.as_deref(),
        xdg_config_home: xdg_config.as_deref(),
        credential_env: &credential_env,
        path_entries: &path_entries,
        path_relative,
    })
    .map_err(|e| e.to_string())?;
    // Bytecode changed from here on is the run's (see `sweep_bytecode`).
    let bytecode_since = crate::clock::fs_now();
    // For the escape suite only: a pause between the plan and the mounts,
    // so that a test can replace a planned directory at that moment.
    // Harmless to honour: whoever sets the helper's environment already
    // decides when it starts.
    if let Some(ms) = std::env::var_os("SANDBOX_EXEC_TEST_PAUSE_AFTER_PLAN_MS")
        .and_then(|v| v.to_str().and_then(|v| v.parse::<u64>().ok()))
    {
        std::thread::sleep(Duration::from_millis(ms.min(10_000)));
    }
    report.workspace = plan.workspace.display().to_string();
    report.git_dirs = plan
        .git_dirs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    report.notes.extend(plan.notes.iter().cloned());
    let guard = if network_off {
        None
    } else {
        Some(NetworkGuard::new(&policy.network).map_err(|e| format!("network policy: {e}"))?)
    };
    // The host's own addresses, which the proxy refuses like loopback when
    // the policy refuses the local host (see `proxy::Proxy::new`). Read
    // before the command starts: without them there is no run.
    let host_addrs = if network_off || policy.network.allow_localhost {
        Vec::new()
    } else {
        sys::interface_addresses()
            .map_err(|e| format!("reading the host's interface addresses for the proxy: {e}"))?
    };
    let tmp_base = shared_tmp_base();
    let (status_read, status_write) = sys::pipe().map_err(|e| format!("pipe: {e}"))?;
    let init_pid = AtomicI32::new(0);

    // Signals are handled through a signalfd from here on; the child puts
    // the caller's mask back before it executes the command. SIGWINCH:
    // the caller's terminal changed size; SIGTTIN blocked, so a read of the
    // caller's terminal from the background fails instead of stopping the
    // helper.
    let mut handled = vec![libc::SIGCHLD, libc::SIGWINCH, libc::SIGTTIN];
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

    // The caller's terminal settings, put back when the command has ended.
    let terminal = tty::save();
    let status_flags = tty::save_flags();
    let _restore_on_panic = pty::RestoreOnPanic(&terminal);
    // Pipes instead of the caller's files on the command's 0–2.
    let report_on_stderr = matches!(opts.report, Some(ReportTarget::Stderr));
    let mut relay = relay::Relay::prepare(report_on_stderr)
        .map_err(|e| format!("standard descriptors: {e}"))?;
    // Still waiting for the namespaces, most likely: meanwhile the part of
    // the Landlock ruleset that does not depend on the run's mounts.
    let prepared_landlock =
        landlock::prepare(plan.write_everywhere, &plan.writable, &plan.writable_ids);
    let early_ns = early.as_mut().and_then(|e| e.wait());
    let started = Instant::now();
    let start = ChildStart {
        ctx: child::ChildContext {
            plan: &plan,
            tmp_base: tmp_base.as_deref(),
            network_off,
            limits: &policy.limits,
            allow_degraded: opts.allow_degraded,
            command: &opts.command,
            env_allow: &policy.environment.allow,
            extra_env: &opts.env,
            parent: sys::getpid(),
            old_mask,
            warn_degraded: !matches!(opts.report, Some(ReportTarget::Stderr)),
            init_pid: &init_pid,
            cgroup_procs: &cgroup.procs,
            status_fd: status_write.as_raw_fd(),
            stdio: &relay.child,
            early_ns,
            landlock: prepared_landlock.as_ref(),
        },
        sock: child_sock.as_raw_fd(),
    };
    // SAFETY: `child_entry` ends in execve or _exit, never unwinds and only
    // reads `start`, which lives on this frame until the call returns (this
    // process is suspended until the child executes the command or exits).
    let child_pid = unsafe {
        sys::clone_vfork(
            child_entry,
            &start as *const ChildStart as *mut libc::c_void,
        )
    }
    .map_err(|e| format!("starting the child: {e}"))?;
    if let Some(e) = early.as_mut() {
        e.release();
    }
    // With a PID namespace the process started above has started the
    // namespace's first process and exited; that one is supervised.
    let child_pid = match init_pid.load(Ordering::SeqCst) {
        0 => child_pid,
        init => {
            let _ = sys::waitpid(child_pid, 0);
            init
        }
    };
    RUNNING.store(child_pid, Ordering::SeqCst);
    let pid_ns = init_pid.load(Ordering::SeqCst) != 0;
    drop(child_sock);
    drop(status_write);
    relay.started();

    // Everything the child has to say arrives before it executes the
    // command, which closes the channel (the PID namespace's first process
    // closes its copy at once). Without a PID namespace it is queued by now.
    let mut messages = ChildMessages::default();
    while !messages.closed {
        messages.receive(parent_sock.as_raw_fd(), pid_ns);
    }
    drop(parent_sock);
    if let Some(master) = messages.pty.take() {
        relay.attach_master(master);
    }
    if let Some((_, port)) = &messages.listener {
        report.proxy = Some(format!("http://127.0.0.1:{port}"));
    }
    let listener = messages.listener.take().map(|(l, _)| l);
    let proxy = guard.map(|g| proxy::Proxy::new(g, opts.resolve.clone(), host_addrs));
    let deadline = policy
        .limits
        .max_execution_time
        .map(|ms| started + Duration::from_millis(ms));
    let supervised = supervise(
        child_pid,
        sfd.as_raw_fd(),
        listener.as_ref(),
        proxy.as_ref(),
        deadline,
        &mut relay,
    );
    kill_tree(child_pid);
    relay.drain();
    RUNNING.store(0, Ordering::SeqCst);
    cgroup.remove();
    // A run refused, or whose setup or exec failed, ran none of the
    // command's code (the child says so before it executes the command,
    // and the channel closes then): nothing of it is to be swept, and the
    // user's trees stay as they were (the sweep would give unlistable
    // directories their permission back, and judge the user's own changes
    // made meanwhile as the run's).
    let command_ran =
        !(messages.refused || messages.setup_error.is_some() || messages.exec_error.is_some());
    if command_ran {
        let mut r = Report::new(opts.allow_degraded);
        r.kernel = report.kernel.clone();
        r.landlock_abi = report.landlock_abi;
        r.workspace = report.workspace.clone();
        r.error = Some(SWEEP_UNFINISHED.into());
        r.set(
            "git_sweep",
            Mechanism::new(Level::None, "the sweep after the run did not finish"),
        );
        provisional(&r);
    }
    let sweep_failed = if command_ran {
        let sweep_failed = sweep_git(&plan, report);
        report_refs(&plan, report);
        match (
            sweep_failed,
            sweep_bytecode(&plan, crate::clock::unless_set(bytecode_since), report),
        ) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b),
        }
    } else {
        // What the planning made for the command, empty, goes again.
        for d in plan.made_dirs.iter().rev() {
            let _ = crate::git::nofollow::rmdir(d);
        }
        None
    };
    tty::restore(&terminal);
    tty::restore_flags(&status_flags);
    let (mut wait_status, timed_out) = supervised?;
    if pid_ns && !timed_out {
        // The command's own wait status, from the namespace's first process.
        let mut buf = [0u8; 4];
        if let Ok(4) = sys::read_nonblocking(status_read.as_raw_fd(), &mut buf) {
            wait_status = i32::from_ne_bytes(buf);
        }
    }
    if let Some(t) = messages.tmp.take() {
        *tmp_out = Some(t);
    }
    if let Some(st) = messages.status.take() {
        for (name, mut m) in st.mechanisms {
            if name == "rlimits" {
                m.detail = format!("{}; {}", m.detail, cgroup.detail);
            }
            report.set(&name, m);
        }
    }
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
    if let Some(p) = &proxy {
        p.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .fill(report);
    }

    if messages.refused || messages.setup_error.is_some() || messages.exec_error.is_some() {
        let (code, status) = if let Some(e) = messages.setup_error {
            eprintln!("sandbox-exec: setup failed: {}", crate::report::visible(&e));
            report.setup_failed(e);
            (EXIT_HELPER_ERROR, "error")
        } else if let Some(e) = messages.exec_error {
            eprintln!("sandbox-exec: {}", crate::report::visible(&e));
            report.error = Some(e);
            (EXIT_EXEC_FAILED, "exec_failed")
        } else {
            let short = report.shortfalls().join("; ");
            eprintln!(
                "sandbox-exec: refusing to run: enforcement is incomplete on this kernel ({}); \
                 pass --allow-degraded to run anyway",
                crate::report::visible(&short)
            );
            report.error = Some(format!("enforcement incomplete: {short}"));
            (EXIT_REFUSED, "refused")
        };
        report.status = status.into();
        return Ok(code);
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
    // Something the run planted for git outside could not be moved aside:
    // the caller must not take this run for a clean one.
    let code = match sweep_failed {
        Some(e) => {
            eprintln!("sandbox-exec: {}", crate::report::visible(&e));
            report.error = Some(e);
            report.status = "error".into();
            EXIT_HELPER_ERROR
        }
        None => code,
    };
    report.exit = Some(Exit {
        code,
        signal,
        timed_out,
    });
    Ok(code)
}

/// Move aside the git indirection entries the run created or replaced.
/// Runs once no process of the run is left (after [`kill_tree`]), so
/// nothing can race with it; it follows no link and renames each entry
/// within its own directory. Returns what went wrong when an entry could
/// not be moved aside (it is still in place, where git reads it).
fn sweep_git(plan: &Plan, report: &mut Report) -> Option<String> {
    let writable = |p: &std::path::Path| {
        plan.write_everywhere || plan.writable.iter().any(|w| p.starts_with(w))
    };
    let leave = |p: &std::path::Path| plan.git_allowed.iter().any(|a| p.starts_with(a));
    let known: Vec<std::path::PathBuf> = plan
        .git_dirs
        .iter()
        .chain(&plan.git_outer_dirs)
        .cloned()
        .collect();
    let locked = |end: &std::path::Path, exists: bool| {
        crate::plan::locked_why(&plan.mounts, &writable, end, exists)
    };
    let sw = crate::git::sweep(
        &plan.git_scan_roots,
        &known,
        &writable,
        &leave,
        &locked,
        &plan.homes,
        &plan.git_snapshot,
    );
    let links_words = links_after_bound(plan, &sw);
    let stuck = sw.stuck_paths;
    let mut unfinished = None;
    report.git_quarantined.extend(sw.quarantined);
    report.git_quarantined_unlisted += sw.unlisted;
    if sw.unlisted > 0 {
        report.notes.push(format!(
            "{} more git entries were moved aside than git_quarantined lists ({} listed): each was renamed beside itself to NAME.ku0-quarantine-N (N a number or 16 hex digits); find them with: find {} -name '*.ku0-quarantine-*'",
            sw.unlisted,
            crate::git::QUARANTINE_LISTED,
            shell_words(&plan.git_scan_roots)
        ));
    }
    if !sw.over_budget.is_empty() {
        report.set(
            "git_sweep",
            Mechanism::new(
                Level::Partial,
                format!(
                    "what held more than the helper checks (include lines, entries below modules or worktrees) was moved aside unchecked: {}",
                    sw.over_budget.join(", ")
                ),
            ),
        );
    }
    if !sw.index_repaired.is_empty() {
        report.notes.push(format!(
            "the run left state in a git dir that makes git status and git diff show something other than what is there (index marks assume-unchanged or skip-worktree on tracked files, replace refs in packed-refs); it was undone, so git shows what changed: {}",
            sw.index_repaired.join("; ")
        ));
    }
    if !sw.caches_dropped.is_empty() {
        report.notes.push(format!(
            "caches git trusts instead of the objects (commit-graph, multi-pack index, pack reverse indexes and bitmaps) were made or changed during the run, or their packs were, and were moved aside, since a forged one makes git show another history, tree or object; git builds them again (git commit-graph write --reachable, git repack), and the moved files can be removed: {}",
            shell_words(&sw.caches_dropped)
        ));
    }
    if !sw.objects_unchecked.is_empty() {
        report.set(
            "git_sweep",
            Mechanism::new(
                Level::Partial,
                format!(
                    "objects written or replaced during the run could not be verified against their ids, so the user's next checkout may write content the run chose under an id it does not name (check with `git fsck --full` there): {}",
                    sw.objects_unchecked.join("; ")
                ),
            ),
        );
    }
    if !sw.index_unchecked.is_empty() {
        report.set(
            "git_sweep",
            Mechanism::new(
                Level::Partial,
                format!(
                    "an index written during the run could not be checked for marks that hide changed files from git status (run `git ls-files -v | grep -v '^H'` and `git update-index --no-assume-unchanged --no-skip-worktree PATH` there): {}",
                    sw.index_unchecked.join("; ")
                ),
            ),
        );
    }
    if !sw.made_listable.is_empty() {
        report.notes.push(format!(
            "the .git search after the run gave read and search permission back to directories it could not list (the run may have removed it to hide a repository): {}",
            shell_words(&sw.made_listable)
        ));
    }
    if let Some((dir, why)) = sw.unlistable.as_ref().filter(|_| !sw.complete) {
        // Not the bound: one directory could not be listed, so what the
        // run put below it was not checked.
        report.set(
            "git_sweep",
            Mechanism::new(
                Level::None,
                format!("the .git search after the run could not list {}: repositories below it were not checked", dir.display()),
            ),
        );
        unfinished = Some(format!(
            "{SWEEP_UNFINISHED}: the .git search after the run could not list {} ({why}); repositories the run made below it were not checked; give the directory's owner read and search permission (chmod u+rx) and inspect with: find {} -name .git -o -name '*.ku0-quarantine-*'",
            dir.display(),
            shell_words(std::slice::from_ref(dir))
        ));
    } else if !sw.complete {
        // The run is over, so it cannot be refused any more: what the run
        // made beyond the bounds may still be where git reads it, so the
        // run ends as an error, not as a clean one.
        report.set(
            "git_sweep",
            Mechanism::new(
                Level::None,
                "the .git search after the run stopped at its bound: repositories the run created beyond it were not checked".to_string(),
            ),
        );
        unfinished = Some(format!(
            "{SWEEP_UNFINISHED}: the .git search after the run stopped at its bound ({} entries, {} levels, {} MiB of paths, {} git dirs); the repositories found before the run were checked, what the run made beyond the bound was not; inspect with: find {} -name .git -o -name '*.ku0-quarantine-*'",
            crate::plan::GIT_SCAN_LIMIT,
            crate::plan::GIT_SCAN_MAX_DEPTH,
            crate::git::FIND_PATH_BYTES >> 20,
            crate::git::GIT_DIRS_PER_PASS,
            shell_words(&plan.git_scan_roots)
        ));
    }
    if let Some(u) = unfinished.as_mut() {
        u.push_str(&links_words);
    }
    if stuck.is_empty() {
        return unfinished;
    }
    report.set(
        "git_sweep",
        Mechanism::new(
            Level::None,
            "git indirection entries the run created or changed could not be moved aside"
                .to_string(),
        ),
    );
    let shown = stuck
        .iter()
        .take(20)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = match sw.stuck.saturating_sub(20) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let msg = format!(
        "git indirection entries the run created or changed could not be moved aside and are still where git reads them (see git_quarantined); remove them before running git there: {shown}{more}"
    );
    Some(match unfinished {
        Some(u) => format!("{u}; {msg}"),
        None => msg,
    })
}

/// What a sweep whose search stopped says of the symbolic links and dot
/// entries the run left: judged all the same (the search for them is
/// bounded by time, not entries), or not, with a command that finds
/// exactly them.
fn links_after_bound(plan: &Plan, sw: &crate::git::Sweep) -> String {
    let dots = plan.git_snapshot.no_hidden;
    let what = if dots {
        "symbolic links and dot entries"
    } else {
        "symbolic links"
    };
    if sw.links_complete {
        return format!(
            "; {what} the run made were all judged (searched for apart, reading {} entries, bounded by time, not entries) and moved aside when they lead outside the writable trees, into a git dir or to what was read-only during the run, or could not be resolved{} (see git_quarantined)",
            sw.links_searched.unwrap_or(0),
            if dots { " or have a dot name" } else { "" }
        );
    }
    let test = if dots {
        "\\( -type l -o -name '.*' \\)"
    } else {
        "-type l"
    };
    let since = match sw.links_since {
        Some(t) => format!(" -newerct @{}", t - 1),
        None => String::new(),
    };
    format!(
        "; {what} the run made may still be in place ({}): a link leading outside the writable trees makes the user's next build or editor write there with the user's rights{}; remove them before building: find {} {test}{since} -print",
        sw.links_stopped.as_deref().unwrap_or("the search for them did not finish"),
        if dots { ", and a dot entry may be loaded as configuration (.envrc, .vscode/tasks.json)" } else { "" },
        shell_words(&plan.git_scan_roots)
    )
}

/// List in the report the refs the run changed, added or removed in the
/// repositories known before it (see [`crate::refs`]): refs stay writable,
/// so a tag or the user's stash re-pointed at a twin commit would
/// otherwise read as before in `git tag -n` and `git stash list`.
fn report_refs(plan: &Plan, report: &mut Report) {
    let mut changed = Vec::new();
    let mut incomplete = Vec::new();
    let (mut reflogs, mut removed, mut reflog_failed) = (Vec::new(), Vec::new(), Vec::new());
    for (g, before) in &plan.git_refs {
        let after = crate::refs::read(g);
        for why in before.incomplete.iter().chain(after.incomplete.iter()) {
            incomplete.push(format!("{} ({why})", g.display()));
        }
        changed.extend(crate::refs::changes(g, before, &after));
        let r = crate::refs::reflog_changes(g, before, &after);
        reflogs.extend(r.listed);
        removed.extend(r.removed);
        reflog_failed.extend(r.failed);
    }
    if !reflogs.is_empty() {
        let shown: Vec<String> = reflogs
            .iter()
            .take(20)
            .map(|c| {
                format!(
                    "{} in {}: {}",
                    c.name,
                    c.git_dir,
                    c.new.as_deref().or(c.old.as_deref()).unwrap_or("(none)")
                )
            })
            .collect();
        report.notes.push(format!(
            "the run added to or changed {} reflog {} (git's own entries for its commits, checkouts and resets): `git checkout -` (@{{-1}}), HEAD@{{n}} and branch@{{n}} now name what the run chose; check what they name before checking it out: {}",
            reflogs.len(),
            if reflogs.len() == 1 { "entry" } else { "entries" },
            shown.join("; ")
        ));
    }
    if !removed.is_empty() {
        report.notes.push(format!(
            "the run appended {} reflog {} git would not have written (an entry whose old value is not the previous entry's new one, or whose last value is not the ref's): cut off again, so that `git checkout -` and HEAD@{{n}} name what they did before (listed in git_refs_changed as @{{removed}})",
            removed.len(),
            if removed.len() == 1 { "entry" } else { "entries" },
        ));
    }
    if !reflog_failed.is_empty() {
        report.notes.push(format!(
            "the run appended reflog entries git would not have written, and they could not be cut off: `git checkout -` and HEAD@{{n}} may name a commit of the run's choice; check them (git reflog) before checking anything out: {}",
            reflog_failed.join(", ")
        ));
    }
    if !changed.is_empty() {
        let shown: Vec<String> = changed
            .iter()
            .take(20)
            .map(|c| {
                format!(
                    "{} in {}: {} -> {}",
                    c.name,
                    c.git_dir,
                    c.old.as_deref().unwrap_or("(none)"),
                    c.new.as_deref().unwrap_or("(none)")
                )
            })
            .collect();
        let more = match changed.len().saturating_sub(shown.len()) {
            0 => String::new(),
            n => format!("; and {n} more (see git_refs_changed)"),
        };
        report.notes.push(format!(
            "the run changed {} git {} (tags, branches, the stash and its entries, ORIG_HEAD, remote-tracking refs): what they name now is the run's, however their names and messages read; check each (git log -1 --stat NEW, git stash show -p) before checking it out, applying or building it: {}{more}",
            changed.len(),
            if changed.len() == 1 { "ref" } else { "refs" },
            shown.join("; ")
        ));
    }
    // Reflog entries follow the refs in the list.
    changed.extend(reflogs);
    changed.extend(removed);
    changed.truncate(crate::report::REFS_CHANGED_LISTED);
    report.git_refs_changed = changed;
    incomplete.dedup();
    if !incomplete.is_empty() {
        report.notes.push(format!(
            "the refs of some repositories were not compared before and after the run, so the report cannot list what it changed there: {}",
            incomplete.join(", ")
        ));
    }
}

/// Remove the Python bytecode the run wrote or changed in the writable
/// trees (see [`crate::bytecode`]): the interpreter would run it instead
/// of the sources the user reviews, and compiles it again from them.
/// Runs after [`sweep_git`] (which gives unlistable directories their
/// permission back). Returns what went wrong when bytecode the run wrote
/// may still be in place.
fn sweep_bytecode(plan: &Plan, since: Option<(i64, i64)>, report: &mut Report) -> Option<String> {
    // The excludes files of the user's configuration, which every
    // repository's `git status` reads (see [`crate::ignored`]).
    // And the setting that makes `git status` list no untracked file.
    let global = crate::git::global_config(&plan.homes, &mut crate::git::Budget::default());
    let global_excludes = global.excludes_files();
    let known_git: Vec<PathBuf> = plan
        .git_dirs
        .iter()
        .chain(&plan.git_pointers)
        .cloned()
        .collect();
    let ignore = crate::ignored::Env {
        global_excludes: &global_excludes,
        global_hides_untracked: global.hides_untracked(),
        homes: &plan.homes,
        since,
        known_git: Some(&known_git),
        steps: crate::ignored::match_budget(),
    };
    let mut sw = crate::bytecode::sweep(
        &plan.git_scan_roots,
        since,
        plan.git_snapshot.walk(),
        crate::plan::GIT_SCAN_LIMIT,
        crate::plan::GIT_SCAN_MAX_DEPTH,
        Some(&ignore),
        Some(crate::perms::umask_allows()),
    );
    crate::perms::restore_guarded(&plan.guarded, &mut sw.perms);
    if ignore.budget_spent() {
        report.notes.push(
            "matching the ignore files' patterns against the files the run changed took longer than its budget (about half a second; the run may have written ignore files made to be slow): from there on every such file in a repository is listed in ignored_changes as ignored, whether git ignores it or not".to_string(),
        );
    }
    report_ignored(&sw, report);
    report_outside(&sw, report);
    report_perms(&sw, report);
    if sw.removed > 0 {
        let more = match sw.removed.saturating_sub(sw.shown.len()) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        report.notes.push(format!(
            "removed {} Python bytecode files (*.pyc) the run wrote or changed in the writable trees: Python would run them instead of the sources (a cache stamped with an unchanged source's time and size, a bare NAME.pyc beside a script); it compiles them again from the sources: {}{more}",
            sw.removed,
            shell_words(&sw.shown)
        ));
    }
    if sw.ext_removed > 0 {
        let more = match sw.ext_removed.saturating_sub(sw.ext_shown.len()) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        report.notes.push(format!(
            "removed {} Python extension modules (*.so) the run made in the writable trees outside site-packages and build directories: Python would load them instead of the module of the same name (json.abi3.so beside a script shadows json, pkg/mod.abi3.so shadows pkg/mod.py); build them again from the sources if they were the run's intended output: {}{more}",
            sw.ext_removed,
            shell_words(&sw.ext_shown)
        ));
    }
    if sw.links_removed_count > 0 {
        let more = match sw
            .links_removed_count
            .saturating_sub(sw.links_removed.len())
        {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        report.notes.push(format!(
            "removed {} names the run gave to files that existed before it (hard links): the user's next build or editor writing at such a name (make test | tee build/test.log) would write into the older file (a tracked Makefile); the older names keep the data: {}{more}",
            sw.links_removed_count,
            shell_words(&sw.links_removed)
        ));
    }
    if !sw.links_unjudged.is_empty() {
        report.notes.push(format!(
            "files with more than one name (hard links) that existed before the run were linked or changed during it where the record before the run cannot tell which names are new; a write at a name the run made would change every other name: check each with find -samefile and remove the names you did not make: {}",
            shell_words(&sw.links_unjudged)
        ));
    }
    let mut wrong = Vec::new();
    if let Some((dir, why)) = sw.unlistable.as_ref() {
        wrong.push(format!("{} could not be listed ({why})", dir.display()));
    } else if !sw.complete {
        wrong.push(format!(
            "the search stopped at its bound ({} entries, {} levels)",
            crate::plan::GIT_SCAN_LIMIT,
            crate::plan::GIT_SCAN_MAX_DEPTH
        ));
    }
    if !sw.failed.is_empty() {
        let shown: Vec<String> = sw
            .failed
            .iter()
            .take(20)
            .map(|(p, e)| format!("{} ({e})", p.display()))
            .collect();
        wrong.push(format!("could not remove {}", shown.join(", ")));
    }
    if !sw.perms.failed.is_empty() {
        let shown: Vec<String> = sw
            .perms
            .failed
            .iter()
            .take(20)
            .map(|(p, e)| format!("{} ({e})", p.display()))
            .collect();
        wrong.push(format!(
            "could not take back the write permission the run gave other accounts on {} (check with ls -l and getfacl; chmod go-w, setfacl -b)",
            shown.join(", ")
        ));
    }
    if wrong.is_empty() {
        return None;
    }
    Some(format!(
        "bytecode sweep incomplete: Python bytecode and extension modules the run wrote may still be where the interpreter loads them instead of the sources ({}); remove them before running Python there: find {} -name '*.py[co]' -delete (Python compiles them again), and the *.so files the run made outside site-packages and build directories; files the run wrote that git status does not show may be missing from ignored_changes (git status --ignored lists every ignored file; untracked directories, nested repositories and files outside repositories are not checked)",
        wrong.join("; "),
        shell_words(&plan.git_scan_roots)
    ))
}

/// The first 20 listed entries (`path`, files it stands for) as a note
/// names them, and what the note says of the rest (`field` of the report
/// holds them; `unlisted` files are in no entry).
fn shown_in_note<'a>(
    entries: impl ExactSizeIterator<Item = (&'a str, u64)>,
    unlisted: u64,
    field: &str,
) -> (Vec<String>, String) {
    let listed = entries.len();
    let shown: Vec<String> = entries
        .take(20)
        .map(|(path, files)| {
            if files == 1 {
                path.to_string()
            } else {
                format!("{path} ({files} files)")
            }
        })
        .collect();
    let more = match listed.saturating_sub(shown.len()) as u64 + unlisted {
        0 => String::new(),
        n => format!(" and more (see {field}; {n} files not shown here)"),
    };
    (shown, more)
}

/// List in the report the files the run made or changed that `git status`
/// and `git diff` do not show (see [`crate::ignored`]: ignored, untracked
/// before, in a nested repository, marked, behind a link, outside every
/// repository), so the report does, and says so in a note.
fn report_ignored(sw: &crate::bytecode::Swept, report: &mut Report) {
    let (entries, unlisted) = sw.ignored.entries();
    if sw.ignored.total == 0 {
        return;
    }
    let hiders: Vec<String> = {
        let mut h: Vec<String> = entries
            .iter()
            .filter(|e| e.ignore_file_changed)
            .map(|e| e.ignored_by.clone())
            .collect();
        h.sort();
        h.dedup();
        h
    };
    let (shown, more) = shown_in_note(
        entries.iter().map(|e| (e.path.as_str(), e.files)),
        unlisted,
        "ignored_changes",
    );
    let mut reasons: Vec<&str> = entries.iter().map(|e| e.reason.as_str()).collect();
    reasons.sort();
    reasons.dedup();
    let by_run = if hiders.is_empty() {
        String::new()
    } else {
        format!(
            "; the run itself made or changed the ignore files that hide some of them, so they hide what it wrote: {}",
            hiders.join(", ")
        )
    };
    let what = if reasons == ["ignored"] {
        "that git ignores, which git status and git diff do not show".to_string()
    } else {
        format!(
            "that git status and git diff do not show ({}: see ignored_changes)",
            reasons.join(", ")
        )
    };
    report.notes.push(format!(
        "the run made or changed {} files {what}; check them before running the project's tools, which may read them as code or configuration (an ignored .env, .vscode/tasks.json, a module beside a script, an untracked script): {}{more}{by_run}",
        sw.ignored.total,
        shown.join(", ")
    ));
    report.ignored_changes = entries;
    report.ignored_changes_unlisted = unlisted;
}

/// List in the report the files the run made or changed in the writable
/// trees outside every repository's working tree (see
/// [`crate::ignored::Outside`]): no `git status` shows them, and tools run
/// in a repository below read configuration from there.
fn report_outside(sw: &crate::bytecode::Swept, report: &mut Report) {
    if sw.outside.total == 0 {
        return;
    }
    let (entries, unlisted) = sw.outside.entries();
    let (shown, more) = shown_in_note(
        entries.iter().map(|e| (e.path.as_str(), e.files)),
        unlisted,
        "outside_changes",
    );
    report.notes.push(format!(
        "the run made or changed {} files outside every git repository of the writable trees (or in a repository it made), which no git status shows; check them before building in a repository below them, whose tools read configuration from parent directories (.cargo/config.toml, .yarnrc.yml, Directory.Build.props, go.work, .envrc, mise.toml, conftest.py): {}{more}",
        sw.outside.total,
        shown.join(", ")
    ));
    report.outside_changes = entries;
    report.outside_changes_unlisted = unlisted;
}

/// List in the report the entries whose permissions the run widened for
/// other accounts and the sweep narrowed again (see [`crate::perms`]).
fn report_perms(sw: &crate::bytecode::Swept, report: &mut Report) {
    let r = &sw.perms;
    if r.total == 0 {
        return;
    }
    let entries: Vec<crate::report::PermissionRepair> = r
        .fixed
        .iter()
        .map(|f| crate::report::PermissionRepair {
            path: f.path.display().to_string(),
            mode_before: format!("{:04o}", f.mode_before),
            mode_after: format!("{:04o}", f.mode_after),
            acls_removed: f.acls_removed.iter().map(|a| a.to_string()).collect(),
        })
        .collect();
    let shown: Vec<String> = entries
        .iter()
        .take(20)
        .map(|e| {
            let acl = if e.acls_removed.is_empty() {
                String::new()
            } else {
                format!(", ACL removed: {}", e.acls_removed.join(" "))
            };
            format!("{} ({} -> {}{acl})", e.path, e.mode_before, e.mode_after)
        })
        .collect();
    let more = match r.total.saturating_sub(shown.len() as u64) {
        0 => String::new(),
        n => format!(" and {n} more (see permissions_repaired)"),
    };
    report.notes.push(format!(
        "the run gave other accounts write access (or, to what the policy hides or protects in the writable trees and the directories on the way to it, read access) to {} entries in the writable trees (bits for the group or others beyond the umask or what they had, or POSIX ACLs): taken back, so that no other account can change the repository, its git dir or what the user runs next, or read what the policy hides: {}{more}",
        r.total,
        shown.join(", ")
    ));
    report.permissions_repaired_unlisted = r.total.saturating_sub(entries.len() as u64);
    report.permissions_repaired = entries;
}

/// The error of a run whose sweep did not finish (also the provisional
/// report's, written before the sweep starts).
const SWEEP_UNFINISHED: &str = "sweep incomplete: git entries the run created may still be where git reads them; do not run git in the writable trees before checking them (the entries moved aside are named NAME.ku0-quarantine-N)";

/// Paths quoted for a POSIX shell, separated by spaces.
fn shell_words(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("'{}'", p.display().to_string().replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the child starts from: its context and its end of the channel.
struct ChildStart<'a> {
    ctx: child::ChildContext<'a>,
    sock: std::os::fd::RawFd,
}

/// Entry of the child started by [`sys::clone_vfork`]; never returns.
extern "C" fn child_entry(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` is the `ChildStart` of `run_inner`, valid and not
    // mutated while this child runs (the parent is suspended).
    let start = unsafe { &*(arg as *const ChildStart<'_>) };
    child::main(&start.ctx, start.sock)
}

/// What the child said on the channel before it executed the command.
#[derive(Default)]
struct ChildMessages {
    listener: Option<(TcpListener, String)>,
    status: Option<child::ChildStatus>,
    refused: bool,
    setup_error: Option<String>,
    exec_error: Option<String>,
    tmp: Option<PathBuf>,
    /// The master of the command's own terminal.
    pty: Option<std::os::fd::OwnedFd>,
    /// The child's end is closed (it executed the command or exited).
    closed: bool,
}

impl ChildMessages {
    /// Read one message that is already there; `closed` once there is none.
    fn receive(&mut self, sock: i32, wait: bool) {
        let flags = if wait { 0 } else { libc::MSG_DONTWAIT };
        let (msg, fd) = match sys::recv_msg(sock, 64 * 1024, flags) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                self.closed = true;
                return;
            }
            Err(e) => {
                self.setup_error
                    .get_or_insert(format!("reading from the child: {e}"));
                self.closed = true;
                return;
            }
        };
        let Some((&tag, raw)) = msg.split_first() else {
            self.closed = true;
            return;
        };
        if tag == relay::MSG_PTY {
            self.pty = fd.map(|fd| {
                // SAFETY: the descriptor arrived by SCM_RIGHTS and is owned here.
                unsafe { std::os::fd::OwnedFd::from_raw_fd(fd.into_raw_fd()) }
            });
            return;
        }
        if tag == child::MSG_TMP {
            self.tmp = Some(PathBuf::from(std::ffi::OsStr::from_bytes(raw)));
            return;
        }
        let body = String::from_utf8_lossy(raw).into_owned();
        match tag {
            child::MSG_LISTENER => {
                if let Some(fd) = fd {
                    // SAFETY: the descriptor arrived by SCM_RIGHTS and is owned here.
                    let l = unsafe { TcpListener::from_raw_fd(fd.into_raw_fd()) };
                    let _ = l.set_nonblocking(true);
                    self.listener = Some((l, body));
                }
            }
            child::MSG_STATUS => match serde_json::from_str::<child::ChildStatus>(&body) {
                Ok(st) => {
                    self.refused = st.refused;
                    self.status = Some(st);
                }
                Err(e) => self.setup_error = Some(format!("unreadable status from the child: {e}")),
            },
            child::MSG_EXEC_FAILED => self.exec_error = Some(body),
            child::MSG_SETUP_FAILED => self.setup_error = Some(body),
            _ => {}
        }
    }
}

/// Wait for the command, serving the proxy and forwarding signals, until it
/// exits (its wait status) or the deadline passes (`timed_out`).
fn supervise(
    child: libc::pid_t,
    sfd: i32,
    listener: Option<&TcpListener>,
    proxy: Option<&Arc<proxy::Proxy>>,
    deadline: Option<Instant>,
    relay: &mut relay::Relay,
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
        let ready = relay
            .poll(&fds, timeout_ms)
            .map_err(|e| format!("poll: {e}"))?;
        if ready[0] {
            if let Ok(sig) = sys::read_signal(sfd) {
                if sig == libc::SIGWINCH {
                    relay.window_changed();
                } else if FORWARDED.contains(&sig) && sys::kill(-child, sig).is_err() {
                    // The PID namespace's first process (not a group
                    // leader) forwards it to the command's group.
                    let _ = sys::kill(child, sig);
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
