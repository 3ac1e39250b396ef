//! macOS enforcement: the command runs under a Seatbelt profile generated
//! from the policy (`crate::seatbelt`), applied by `/usr/bin/sandbox-exec`
//! as the Codex CLI and Anthropic's sandbox-runtime apply theirs. The helper
//! stays outside as the supervisor: the filtering proxy (the same code as on
//! Linux), rlimits, the time limit (the command's process group is killed),
//! forwarded signals, the environment scrub and the report. What macOS
//! cannot enforce is reported, and the run is refused as degraded unless
//! the caller consents (`--allow-degraded`). What it shares with the
//! Windows run is in `crate::supervisor`. See `docs/exec.md`, macOS.

mod sys;

use std::io::Write;
use std::os::fd::FromRawFd;
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cli::{Options, ReportTarget};
use crate::report::{Exit, Report, EXIT_EXEC_FAILED, EXIT_TIMEOUT};
use crate::seatbelt;
use crate::supervisor;

/// How often the supervisor looks at the command, the clock and signals.
const TICK: Duration = Duration::from_millis(10);

/// `RLIMIT_NPROC` of the command, as on Linux (a limit of the user's).
const MAX_PROCESSES: u64 = 4096;

pub fn run(opts: Options) -> i32 {
    // The report's directory is held from before the command runs: the
    // command may replace any path in the workspace by a link.
    let report_dir = match &opts.report {
        Some(ReportTarget::File(p)) => sys::open_dir(
            p.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        ),
        _ => None,
    };
    let (report, code) =
        supervisor::supervise(&opts, sys::os_release(), |r, t| run_inner(&opts, r, t));
    write_report(&opts, &report, report_dir.as_ref());
    code
}

fn resolved(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn run_inner(
    opts: &Options,
    report: &mut Report,
    tmp_out: &mut Option<PathBuf>,
) -> Result<i32, String> {
    let policy = opts.read_policy()?;
    let ws = opts.workspace.as_deref().expect("checked by the parser");
    let workspace =
        std::fs::canonicalize(ws).map_err(|e| format!("workspace {}: {e}", ws.display()))?;
    if !workspace.is_dir() {
        return Err(format!(
            "workspace {} is not a directory",
            workspace.display()
        ));
    }
    let cwd = match &opts.cwd {
        Some(c) => std::fs::canonicalize(workspace.join(c))
            .map_err(|e| format!("cwd {}: {e}", c.display()))?,
        None => workspace.clone(),
    };
    let home = opts.home_dir()?;
    let home = resolved(&home);
    // The user's own shell and git read the protected entries of the real
    // home whatever `--home` the run has: they are protected there too.
    let mut homes = vec![home.clone()];
    for h in std::env::var_os("HOME")
        .map(PathBuf::from)
        .into_iter()
        .chain(sys::account_home())
    {
        let h = resolved(&h);
        if h.is_absolute() && !homes.contains(&h) {
            homes.push(h);
        }
    }
    report.workspace = workspace.display().to_string();
    if workspace.join(".git").exists() {
        report
            .git_dirs
            .push(workspace.join(".git").display().to_string());
    }

    // The run's TMPDIR: a fresh directory of the caller's, closed to others,
    // removed afterwards.
    let tmp = supervisor::run_dir(&resolved(&std::env::temp_dir()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&tmp)
        .map_err(|e| format!("creating the run's TMPDIR {}: {e}", tmp.display()))?;
    *tmp_out = Some(tmp.clone());
    let tmp = resolved(&tmp);

    // The proxy: the command's only way out when the network is on.
    let host_addrs = if policy.network.enabled && !policy.network.allow_localhost {
        sys::interface_addresses()
            .map_err(|e| format!("reading the host's interface addresses for the proxy: {e}"))?
    } else {
        Vec::new()
    };
    let proxy = supervisor::start_proxy(&policy, opts, host_addrs, report)?;
    let port = proxy.as_ref().map(|(_, p)| *p);

    let terminals: Vec<PathBuf> = (0..3).filter_map(sys::terminal_of).collect();
    let resolve = |p: &Path| std::fs::canonicalize(p).ok().filter(|r| r != p);
    let profile = seatbelt::generate(&seatbelt::Input {
        policy: &policy,
        workspace: &workspace,
        homes: &homes,
        tmpdir: &tmp,
        proxy_port: port,
        terminals: &terminals,
        resolve: &resolve,
        // The git configuration is not read on macOS: no file is known to
        // hold credentials, so none is named (docs/exec.md, macOS).
        redacted: &[],
    })
    .map_err(|e| e.to_string())?;
    report.notes.extend(profile.notes.iter().cloned());

    for (name, m) in seatbelt::mechanisms(&policy, &profile, port) {
        report.set(name, m);
    }
    if let Some(code) = supervisor::refuse_unless_consented(report, opts, "macOS") {
        return Ok(code);
    }

    // The command's environment: the caller's, scrubbed, then what the
    // helper sets, the caller's explicit variables and the proxy.
    let env = crate::env::for_command(
        std::env::vars_os(),
        &policy.environment.allow,
        [
            ("HOME", home.as_os_str()),
            ("TMPDIR", tmp.as_os_str()),
            ("PWD", cwd.as_os_str()),
        ],
        &opts.env,
        port,
    );

    let limits = sys::Limits {
        file_size: policy.limits.max_file_size,
        processes: MAX_PROCESSES,
    };
    let mut cmd = std::process::Command::new(seatbelt::SANDBOX_EXEC);
    cmd.args(profile.args())
        .arg("--")
        .args(&opts.command)
        .env_clear()
        .envs(env)
        .current_dir(&cwd);
    // SAFETY: `child_setup` makes only async-signal-safe calls.
    unsafe {
        cmd.pre_exec(move || sys::child_setup(limits));
    }
    sys::catch_forwarded();
    let started = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            report.status = "exec_failed".into();
            report.error = Some(format!("starting {}: {e}", seatbelt::SANDBOX_EXEC));
            let _ = writeln!(
                std::io::stderr(),
                "sandbox-exec: starting {}: {e}",
                seatbelt::SANDBOX_EXEC
            );
            return Ok(EXIT_EXEC_FAILED);
        }
    };
    let pgid = child.id() as i32;
    let deadline = policy
        .limits
        .max_execution_time
        .map(|ms| started + Duration::from_millis(ms));
    let mut timed_out = false;
    let status = loop {
        if let Some(sig) = sys::take_signal() {
            sys::kill_group(pgid, sig);
        }
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) => {}
            Err(e) => return Err(format!("waiting for the command: {e}")),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            timed_out = true;
            sys::kill_group(pgid, libc::SIGKILL);
            break child
                .wait()
                .map_err(|e| format!("waiting for the command: {e}"))?;
        }
        std::thread::sleep(TICK);
    };
    // What the command left running in its group goes with it, as on Linux.
    // The group's id stays taken while any member lives; once it is empty
    // the id could name another group only after the pids wrapped around.
    sys::kill_group(pgid, libc::SIGKILL);
    sys::reclaim_terminal(pgid);
    supervisor::record_proxy_events(proxy.as_ref().map(|(px, _)| px), report);
    let (code, signal) = if timed_out {
        (EXIT_TIMEOUT, status.signal())
    } else if let Some(c) = status.code() {
        (c, None)
    } else {
        let s = status.signal().unwrap_or(0);
        (128 + s, Some(s))
    };
    report.status = if timed_out { "timeout" } else { "ok" }.into();
    report.exit = Some(Exit {
        code,
        signal,
        timed_out,
    });
    Ok(code)
}

fn write_report(opts: &Options, report: &Report, dir: Option<&std::fs::File>) {
    let file = |p: &Path, json: &[u8]| {
        match (dir, p.file_name()) {
        (Some(dir), Some(name)) => sys::write_new_or_regular(dir, name, json),
        _ => Err(std::io::Error::other(format!(
            "the directory of {} could not be opened when the helper started; give --report a path in an existing directory",
            p.display()
        ))),
    }
    };
    let fd = |fd: i32, json: &[u8]| {
        // SAFETY: the caller handed this descriptor to the helper to be
        // written once and closed; nothing else in the helper uses it.
        let mut f = unsafe { std::fs::File::from_raw_fd(fd) };
        f.write_all(json)
    };
    supervisor::write_report(opts, report, file, fd);
}
