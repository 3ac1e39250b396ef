//! What the macOS and Windows runs share: there the helper is a supervisor
//! outside the command (no namespaces to enter), so it starts the proxy in
//! its own process, makes the run's temporary directory, refuses a run that
//! is not fully enforced unless the caller consents, and writes the report.

use std::io::Write;
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sandbox_core::{NetworkGuard, Policy};

use crate::cli::{Options, ReportTarget};
use crate::report::{visible, Exit, Level, Report, EXIT_HELPER_ERROR, EXIT_REFUSED};

// The proxy is platform-neutral (std sockets and threads): the Linux
// module's file, compiled here as it is, with the `super::sys` it refers to.
#[path = "linux"]
mod shared {
    pub mod proxy;
    mod sys {
        /// Names are resolved by the system's own resolver here; nothing to
        /// fix before the first lookup (Linux reads its hosts file first).
        pub fn hosts_from_files_and_dns() {}
    }
}
pub use shared::proxy::Proxy;

/// Runs `inner` with a fresh report of `kernel`: a helper error it returns
/// is said on standard error, recorded in the report and exit status 125;
/// the run's temporary directory it made (its second argument) is removed
/// afterwards. Returns the report to write and the exit status.
pub fn supervise(
    opts: &Options,
    kernel: String,
    inner: impl FnOnce(&mut Report, &mut Option<PathBuf>) -> Result<i32, String>,
) -> (Report, i32) {
    let mut report = Report::new(opts.allow_degraded);
    report.kernel = kernel;
    let mut tmp: Option<PathBuf> = None;
    let code = match inner(&mut report, &mut tmp) {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(std::io::stderr(), "sandbox-exec: {}", visible(&msg));
            report.status = "error".into();
            report.error = Some(msg);
            EXIT_HELPER_ERROR
        }
    };
    if let Some(t) = tmp {
        remove_run_dir(&t, &mut report);
    }
    (report, code)
}

/// Writes the report where `--report…` asks: standard error after a newline
/// of its own (so that it is the last line whatever the command left
/// unfinished), or through `file` (a path) or `fd` (a descriptor), which
/// each platform opens its own way. A failure is said on standard error.
pub fn write_report(
    opts: &Options,
    report: &Report,
    file: impl FnOnce(&Path, &[u8]) -> std::io::Result<()>,
    fd: impl FnOnce(i32, &[u8]) -> std::io::Result<()>,
) {
    let mut json = report.to_json();
    json.push('\n');
    let result = match &opts.report {
        None => Ok(()),
        Some(ReportTarget::Stderr) => {
            let mut err = std::io::stderr();
            err.write_all(b"\n")
                .and_then(|_| err.write_all(json.as_bytes()))
        }
        Some(ReportTarget::File(p)) => file(p, json.as_bytes()),
        Some(ReportTarget::Fd(n)) => fd(*n, json.as_bytes()),
    };
    if let Err(e) = result {
        let _ = writeln!(
            std::io::stderr(),
            "sandbox-exec: writing the report: {}",
            visible(&e.to_string())
        );
    }
}

/// Starts the filtering proxy on `127.0.0.1` of the host when the policy
/// turns the network on; `host_addrs` are refused like loopback (see
/// [`Proxy::new`]). Notes its address in the report.
pub fn start_proxy(
    policy: &Policy,
    opts: &Options,
    host_addrs: Vec<IpAddr>,
    report: &mut Report,
) -> Result<Option<(Arc<Proxy>, u16)>, String> {
    report.network_mode = if policy.network.enabled {
        "proxy"
    } else {
        "off"
    }
    .into();
    if !policy.network.enabled {
        return Ok(None);
    }
    let guard = NetworkGuard::new(&policy.network).map_err(|e| format!("network policy: {e}"))?;
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| format!("starting the proxy on 127.0.0.1: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("the proxy's address: {e}"))?
        .port();
    let px = Proxy::new(guard, opts.resolve.clone(), host_addrs);
    let served = Arc::clone(&px);
    std::thread::Builder::new()
        .name("proxy".into())
        .spawn(move || served.accept_pending(&listener))
        .map_err(|e| format!("starting the proxy: {e}"))?;
    report.proxy = Some(format!("http://127.0.0.1:{port}"));
    Ok(Some((px, port)))
}

/// What the proxy decided, into the report, once the command has ended.
pub fn record_proxy_events(proxy: Option<&Arc<Proxy>>, report: &mut Report) {
    if let Some(px) = proxy {
        let events = px.events.lock().unwrap_or_else(|p| p.into_inner());
        events.fill(report);
    }
}

/// With a mechanism not fully enforced: without the caller's consent, says
/// what is missing and returns the refusal's exit status (the report says
/// `refused`); with it, warns on standard error (unless the report goes
/// there) and returns `None`.
pub fn refuse_unless_consented(report: &mut Report, opts: &Options, os: &str) -> Option<i32> {
    if report.enforcement == Level::Full {
        return None;
    }
    let mut err = std::io::stderr();
    if !opts.allow_degraded {
        report.status = "refused".into();
        let _ = writeln!(
            err,
            "sandbox-exec: enforcement is incomplete on {os}; refusing to run (pass --allow-degraded to run anyway):"
        );
        for s in report.shortfalls() {
            let _ = writeln!(err, "  {}", visible(&s));
        }
        report.exit = Some(Exit {
            code: EXIT_REFUSED,
            signal: None,
            timed_out: false,
        });
        return Some(EXIT_REFUSED);
    }
    if !matches!(opts.report, Some(crate::cli::ReportTarget::Stderr)) {
        let _ = writeln!(
            err,
            "sandbox-exec: warning: running with incomplete enforcement: {}",
            visible(&report.shortfalls().join("; "))
        );
    }
    None
}

/// A fresh name for the run's temporary directory below `base`.
pub fn run_dir(base: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    base.join(format!("sandbox-exec-{}-{nanos}", std::process::id()))
}

/// Removes the run's temporary directory; a failure is a note of the report
/// and a warning.
pub fn remove_run_dir(dir: &Path, report: &mut Report) {
    if let Err(e) = std::fs::remove_dir_all(dir) {
        report.notes.push(format!(
            "the run's temporary directory {} could not be removed: {e}",
            dir.display()
        ));
        let _ = writeln!(
            std::io::stderr(),
            "sandbox-exec: warning: {}",
            visible(&format!(
                "the run's temporary directory {} is left behind: {e}",
                dir.display()
            ))
        );
    }
}
