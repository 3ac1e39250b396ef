//! Windows: the command runs in a Job Object (`job`): every process it
//! starts stays in the job and is killed when the command ends, at the time
//! limit, or when the helper itself exits; the job bounds how many run at
//! once and, with `max_memory`, their memory together, and keeps them from
//! the desktop session (clipboard, global atoms, other windows). The
//! environment is scrubbed as elsewhere, and the filtering proxy is offered.
//! The file system and the network are not confined: a Windows run is
//! degraded and refused unless the caller consents (`--allow-degraded`).
//! See `docs/exec.md`, Windows.

mod job;

use std::io::Write;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::process::CommandExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use windows_sys::Win32::Storage::FileSystem::FILE_FLAG_OPEN_REPARSE_POINT;
use windows_sys::Win32::System::Threading::CREATE_SUSPENDED;

use crate::cli::Options;
use crate::report::{Exit, Level, Mechanism, Report, EXIT_EXEC_FAILED, EXIT_TIMEOUT};
use crate::supervisor;

/// How often the supervisor looks at the command and the clock.
const TICK: Duration = Duration::from_millis(10);

/// Processes alive at once in the job, as `RLIMIT_NPROC` elsewhere.
const MAX_PROCESSES: u32 = 4096;

pub fn run(opts: Options) -> i32 {
    let (report, code) =
        supervisor::supervise(&opts, "windows".into(), |r, t| run_inner(&opts, r, t));
    write_report(&opts, &report);
    code
}

/// `p` made absolute without the `\\?\` prefix `canonicalize` adds to a
/// plain drive path: `cmd.exe` and many programs refuse such a working
/// directory.
fn plain(p: &Path) -> Result<PathBuf, String> {
    let c = std::fs::canonicalize(p).map_err(|e| format!("{}: {e}", p.display()))?;
    let s = c.to_string_lossy();
    match s.strip_prefix(r"\\?\") {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => Ok(PathBuf::from(rest)),
        _ => Ok(c),
    }
}

/// The mechanisms of a Windows run, for the report.
fn mechanisms(
    policy: &sandbox_core::Policy,
    ui: &Result<(), String>,
    proxy_port: Option<u16>,
) -> Vec<(&'static str, Mechanism)> {
    let memory = match policy.limits.max_memory {
        Some(m) => format!("; their committed memory together at most {m} bytes"),
        None => String::new(),
    };
    let job = Mechanism::new(
        Level::Full,
        format!(
            "a Job Object holds the command and every process it starts (no breakaway): all are killed when the command ends, at the time limit, or when the helper exits; at most {MAX_PROCESSES} at once{memory}"
        ),
    );
    let desktop = match ui {
        Ok(()) => Mechanism::new(
            Level::Full,
            "the job's UI restrictions: no clipboard, global atoms, other processes' windows, system or display settings, desktop switch or log-off",
        ),
        Err(e) => Mechanism::new(Level::None, format!("the job's UI restrictions could not be set: {e}")),
    };
    let filesystem = Mechanism::new(
        Level::None,
        "no file system confinement on Windows: the command can read and write whatever the user can; the workspace boundary, blocked paths and git protection are checks only (checkFileAccess, sandbox check)",
    );
    let network = Mechanism::new(
        Level::None,
        match proxy_port {
            Some(p) => format!("not confined: the filtering proxy at 127.0.0.1:{p} is offered through HTTP_PROXY and HTTPS_PROXY, but nothing stops a direct connection"),
            None => "not confined: the policy turns the network off, but nothing stops a connection".into(),
        },
    );
    let limits = match policy.limits.max_file_size {
        Some(_) => Mechanism::new(
            Level::None,
            "max_file_size is not enforced: Windows has no per-process file size limit",
        ),
        None => Mechanism::new(Level::Full, "no file size limit asked"),
    };
    vec![
        ("job", job),
        ("desktop", desktop),
        ("filesystem", filesystem),
        ("network", network),
        ("file_size", limits),
        (
            "environment",
            Mechanism::new(Level::Full, "allow-list and secret-name screen"),
        ),
    ]
}

fn run_inner(
    opts: &Options,
    report: &mut Report,
    tmp_out: &mut Option<PathBuf>,
) -> Result<i32, String> {
    let policy = opts.read_policy()?;
    let ws = opts.workspace.as_deref().expect("checked by the parser");
    let workspace = plain(ws).map_err(|e| format!("workspace {e}"))?;
    if !workspace.is_dir() {
        return Err(format!(
            "workspace {} is not a directory",
            workspace.display()
        ));
    }
    let cwd = match &opts.cwd {
        Some(c) => plain(&workspace.join(c)).map_err(|e| format!("cwd {e}"))?,
        None => workspace.clone(),
    };
    let home = opts.home_dir()?;
    report.workspace = workspace.display().to_string();

    let job = job::Job::new(&job::Limits {
        processes: MAX_PROCESSES,
        memory: policy.limits.max_memory,
    })
    .map_err(|e| format!("creating the Job Object: {e}"))?;
    let ui = job.restrict_ui().map_err(|e| e.to_string());

    // The proxy: offered to the command, not imposed (see `mechanisms`).
    // The host's own addresses are not listed here: the command can reach
    // them directly anyway.
    let proxy = supervisor::start_proxy(&policy, opts, Vec::new(), report)?;
    let port = proxy.as_ref().map(|(_, p)| *p);
    for (name, m) in mechanisms(&policy, &ui, port) {
        report.set(name, m);
    }
    if let Some(code) = supervisor::refuse_unless_consented(report, opts, "Windows") {
        return Ok(code);
    }

    // The run's temporary directory: fresh, removed afterwards.
    let tmp = supervisor::run_dir(&std::env::temp_dir());
    std::fs::create_dir(&tmp).map_err(|e| {
        format!(
            "creating the run's temporary directory {}: {e}",
            tmp.display()
        )
    })?;
    *tmp_out = Some(tmp.clone());

    let mut env = crate::env::for_command(
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
    // Windows programs find the home and the temporary directory by these.
    for name in ["USERPROFILE", "TEMP", "TMP"] {
        let value = if name == "USERPROFILE" { &home } else { &tmp };
        if !opts.env.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            crate::env::set(&mut env, name, value);
        }
    }

    let mut cmd = std::process::Command::new(&opts.command[0]);
    cmd.args(&opts.command[1..])
        .env_clear()
        .envs(env)
        .current_dir(&cwd)
        // Put in the job before it runs any code.
        .creation_flags(CREATE_SUSPENDED);
    let started = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            report.status = "exec_failed".into();
            report.error = Some(format!(
                "starting {}: {e}",
                opts.command[0].to_string_lossy()
            ));
            let _ = writeln!(
                std::io::stderr(),
                "sandbox-exec: {}",
                crate::report::visible(&format!(
                    "starting {}: {e}",
                    opts.command[0].to_string_lossy()
                ))
            );
            return Ok(EXIT_EXEC_FAILED);
        }
    };
    if let Err(e) = job
        .assign(&child)
        .and_then(|()| job::resume(child.id()).map(|_| ()))
    {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("putting the command in its Job Object: {e}"));
    }
    let deadline = policy
        .limits
        .max_execution_time
        .map(|ms| started + Duration::from_millis(ms));
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) => {}
            Err(e) => return Err(format!("waiting for the command: {e}")),
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            timed_out = true;
            let _ = job.terminate(EXIT_TIMEOUT as u32);
            break child
                .wait()
                .map_err(|e| format!("waiting for the command: {e}"))?;
        }
        std::thread::sleep(TICK);
    };
    // What the command left running goes with it, as on Linux.
    if let Ok(n @ 1..) = job.active_processes() {
        report.notes.push(format!(
            "{n} process(es) the command left running were killed when it ended"
        ));
    }
    if let Err(e) = job.terminate(1) {
        report.notes.push(format!(
            "the processes the command left could not be killed: {e}"
        ));
    }
    supervisor::record_proxy_events(proxy.as_ref().map(|(px, _)| px), report);
    let code = if timed_out {
        EXIT_TIMEOUT
    } else {
        status.code().unwrap_or(EXIT_EXEC_FAILED)
    };
    report.status = if timed_out { "timeout" } else { "ok" }.into();
    report.exit = Some(Exit {
        code,
        signal: None,
        timed_out,
    });
    Ok(code)
}

/// Writes the report where asked. Nothing confines the command's writes on
/// Windows, so the report file is only as safe as the user's own files: it
/// is written without following a reparse point at its own name, and only
/// over a regular file.
fn write_report(opts: &Options, report: &Report) {
    let file = |p: &Path, json: &[u8]| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
            .open(p)?;
        if !f.metadata()?.is_file() {
            return Err(std::io::Error::other(format!(
                "{} is not a regular file",
                p.display()
            )));
        }
        f.set_len(0)?;
        f.write_all(json)
    };
    let fd = |_: i32, _: &[u8]| {
        Err(std::io::Error::other(
            "--report-fd needs a Unix system; give --report a path",
        ))
    };
    supervisor::write_report(opts, report, file, fd);
}
