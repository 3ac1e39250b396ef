//! A cgroup per run, below the helper's own, that bounds the number of
//! processes (`pids`) and, with `max_memory`, the memory the command's
//! processes use, including what they write to the run's tmpfs. The command
//! joins it before it starts anything; the helper stays outside, so
//! whatever the command does inside, the helper can still start the
//! threads it needs.
//!
//! cgroup v2 (one hierarchy, `cgroup.controllers` at the root) and v1 (a
//! hierarchy per controller under `/sys/fs/cgroup/<controller>`) are both
//! supported. A cgroup can only be made where the helper may create a
//! directory in its own cgroup (root, or a delegated subtree); elsewhere
//! the run goes without one (the report's `rlimits` detail says so) and the
//! PID namespace and `RLIMIT_NPROC` bound the processes.

use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = "/sys/fs/cgroup";

/// The run's cgroups (one per v1 hierarchy, or one v2 cgroup).
#[derive(Default)]
pub struct RunCgroup {
    dirs: Vec<PathBuf>,
    /// The file of every cgroup the command joins by writing `0` to it.
    pub procs: Vec<PathBuf>,
    /// What was set up, or why nothing was, for the report.
    pub detail: String,
}

/// The helper's own cgroup in the hierarchy with `controller` (v1), or in
/// the unified one (`controller` = "").
fn own_path(controller: &str) -> Option<String> {
    let text = fs::read_to_string("/proc/self/cgroup").ok()?;
    text.lines().find_map(|l| {
        let mut parts = l.splitn(3, ':');
        let (_, ctrls, path) = (parts.next()?, parts.next()?, parts.next()?);
        let hit = if controller.is_empty() {
            ctrls.is_empty()
        } else {
            ctrls.split(',').any(|c| c == controller)
        };
        hit.then(|| path.trim_start_matches('/').to_string())
    })
}

/// Prefix of a run's cgroup name; the helper's pid follows.
const PREFIX: &str = "sandbox-exec-";

/// Remove the cgroups in `base` that helpers left behind when they were
/// killed before they could (`SIGKILL`, the OOM killer): only those whose
/// helper pid no longer exists, and `rmdir` refuses any that still holds a
/// process. Returns how many went.
fn sweep_stale(base: &Path) -> usize {
    let Ok(entries) = fs::read_dir(base) else {
        return 0;
    };
    let own = super::sys::getpid();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|p| p.parse::<libc::pid_t>().ok())
            .filter(|p| *p > 0 && *p != own)
        else {
            continue;
        };
        let gone = matches!(
            super::sys::kill(pid, 0),
            Err(e) if e.raw_os_error() == Some(libc::ESRCH)
        );
        if gone && fs::remove_dir(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn make(base: &Path, name: &str, limits: &[(&str, String)]) -> Result<PathBuf, String> {
    sweep_stale(base);
    let dir = base.join(name);
    fs::create_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (file, value) in limits {
        if let Err(e) = fs::write(dir.join(file), value) {
            let _ = fs::remove_dir(&dir);
            return Err(format!("{}/{file}: {e}", dir.display()));
        }
    }
    Ok(dir)
}

impl RunCgroup {
    /// Create the run's cgroup(s) with at most `max_pids` processes and,
    /// when given, `max_memory` bytes. Never fails: without a usable
    /// hierarchy `procs` is empty and `detail` says why.
    pub fn create(max_pids: u64, max_memory: Option<u64>) -> RunCgroup {
        let name = format!("{PREFIX}{}", super::sys::getpid());
        let mut cg = RunCgroup::default();
        let unified = Path::new(ROOT).join("cgroup.controllers").exists();
        let mut done = Vec::new();
        let mut failed = Vec::new();
        if unified {
            let Some(own) = own_path("") else {
                cg.detail = "no cgroup: the helper's cgroup v2 path is unknown".into();
                return cg;
            };
            let mut limits = vec![("pids.max", max_pids.to_string())];
            if let Some(m) = max_memory {
                limits.push(("memory.max", m.to_string()));
            }
            match make(&Path::new(ROOT).join(own), &name, &limits) {
                Ok(dir) => {
                    cg.procs.push(dir.join("cgroup.procs"));
                    done.push(format!("cgroup v2 {}", dir.display()));
                    cg.dirs.push(dir);
                }
                Err(e) => failed.push(e),
            }
        } else {
            let mut wanted = vec![("pids", "pids.max", max_pids.to_string())];
            if let Some(m) = max_memory {
                wanted.push(("memory", "memory.limit_in_bytes", m.to_string()));
            }
            for (ctrl, file, value) in wanted {
                let base = Path::new(ROOT).join(ctrl);
                let Some(own) = own_path(ctrl).filter(|_| base.is_dir()) else {
                    failed.push(format!("no cgroup v1 {ctrl} hierarchy"));
                    continue;
                };
                match make(&base.join(own), &name, &[(file, value)]) {
                    Ok(dir) => {
                        // `tasks`, not `cgroup.procs`: moving only the
                        // calling thread (the child is single-threaded)
                        // skips the global lock whose write side waits
                        // for an RCU grace period (~0.5 ms per run).
                        cg.procs.push(dir.join("tasks"));
                        done.push(format!("{ctrl} {}", dir.display()));
                        cg.dirs.push(dir);
                    }
                    Err(e) => failed.push(e),
                }
            }
        }
        let limits = match max_memory {
            Some(m) => format!("pids.max={max_pids}, memory {m}"),
            None => format!("pids.max={max_pids}"),
        };
        cg.detail = match (done.is_empty(), failed.is_empty()) {
            (false, true) => format!("cgroup {limits}: {}", done.join(", ")),
            (false, false) => format!(
                "cgroup {limits}: {}; not made: {}",
                done.join(", "),
                failed.join(", ")
            ),
            (true, _) => format!(
                "no cgroup ({}); processes bounded by the PID namespace and RLIMIT_NPROC",
                failed.join(", ")
            ),
        };
        cg
    }

    /// Remove the cgroups; call once every process of the run is reaped.
    pub fn remove(&mut self) {
        for d in self.dirs.drain(..) {
            // An exiting process may still be listed for a moment.
            for _ in 0..100 {
                match fs::remove_dir(&d) {
                    Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                        std::thread::sleep(std::time::Duration::from_millis(1))
                    }
                    _ => break,
                }
            }
        }
    }
}

impl Drop for RunCgroup {
    fn drop(&mut self) {
        self.remove();
    }
}
