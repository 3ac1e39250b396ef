//! The enforcement report: what could be enforced on this kernel and how the
//! command ended. Its JSON shape is a stable interface (see `docs/exec.md`);
//! fields are only ever added.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the report's JSON shape.
pub const REPORT_VERSION: u32 = 1;

/// Exit status of the helper when the command exceeded `max_execution_time`.
pub const EXIT_TIMEOUT: i32 = 124;
/// Exit status for helper errors: usage, invalid policy, setup failure,
/// unsupported platform.
pub const EXIT_HELPER_ERROR: i32 = 125;
/// Exit status when enforcement is incomplete and `--allow-degraded` was not given.
pub const EXIT_REFUSED: i32 = 126;
/// Exit status when the command could not be executed (not found, not
/// executable, or refused by the sandbox itself).
pub const EXIT_EXEC_FAILED: i32 = 127;

/// How much of a mechanism holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing of it is in force.
    None,
    /// Some of it is in force; `detail` says what is missing.
    Partial,
    /// Everything the policy asks of it is in force.
    Full,
}

/// One enforcement mechanism's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mechanism {
    pub level: Level,
    pub detail: String,
}

impl Mechanism {
    pub fn new(level: Level, detail: impl Into<String>) -> Mechanism {
        Mechanism {
            level,
            detail: detail.into(),
        }
    }
}

/// One request the proxy decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkEvent {
    /// `CONNECT` or the HTTP method.
    pub method: String,
    /// The canonical `host:port` of a tunnel, or the canonical absolute URL
    /// of a plain HTTP request, as judged; for a request that did not
    /// parse, the request target as sent (at most 256 bytes).
    pub target: String,
    /// `allow` or `deny`.
    pub verdict: String,
    /// Decision code (`ALLOWED`, `DOMAIN_NOT_ALLOWED`, …), `RESOLUTION_FAILED`,
    /// `CONNECT_FAILED`, `BAD_PROXY_REQUEST`, `HOST_MISMATCH` or
    /// `TUNNEL_PORT_NOT_ALLOWED`.
    pub code: String,
    pub reason: String,
    /// `scheme://host:port` the guard judged (the canonical host), `None`
    /// when the request did not parse.
    #[serde(default)]
    pub destination: Option<String>,
    /// The socket address the proxy really connected to (`ip:port`), `None`
    /// when it connected nowhere.
    #[serde(default)]
    pub address: Option<String>,
}

/// An entry moved aside after the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    /// Where it was.
    pub path: String,
    /// Where it is now (beside it), or `null` when it could not be moved.
    pub moved_to: Option<String>,
    /// Why: what happened to it, from what was recorded before the run
    /// (`created during the run`, `changed while the command ran: ...` with
    /// how and how to move it back, ...), and what moving it failed with.
    pub why: String,
}

/// How the command ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    /// Exit status of the helper (what the caller sees).
    pub code: i32,
    /// The signal that killed the command, if one did.
    pub signal: Option<i32>,
    /// The time limit ran out and the process tree was killed.
    pub timed_out: bool,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub report_version: u32,
    /// `ok` (the command ran), `timeout`, `refused`, `exec_failed` or `error`.
    pub status: String,
    /// The weakest level among the mechanisms.
    pub enforcement: Level,
    pub allow_degraded: bool,
    /// `landlock`, `seccomp`, `namespaces`, `network`, `rlimits`, `timeout`.
    pub mechanisms: BTreeMap<String, Mechanism>,
    pub kernel: String,
    pub landlock_abi: i32,
    /// `off` or `proxy`.
    pub network_mode: String,
    /// `http://127.0.0.1:PORT` inside the sandbox, when the proxy runs.
    pub proxy: Option<String>,
    pub network_events: Vec<NetworkEvent>,
    /// The canonical workspace root.
    pub workspace: String,
    /// `.git` directories pinned with read-only hooks and config.
    pub git_dirs: Vec<String>,
    /// Git indirection entries the run created or replaced, moved aside
    /// after it (see `src/git.rs`).
    #[serde(default)]
    pub git_quarantined: Vec<Quarantined>,
    /// Entries moved aside after the run beyond the ones `git_quarantined`
    /// lists (it lists at most 100).
    #[serde(default)]
    pub git_quarantined_unlisted: u64,
    pub notes: Vec<String>,
    pub exit: Option<Exit>,
    pub error: Option<String>,
}

impl Report {
    /// An empty report for a run that has not started.
    pub fn new(allow_degraded: bool) -> Report {
        Report {
            report_version: REPORT_VERSION,
            status: "error".into(),
            enforcement: Level::None,
            allow_degraded,
            mechanisms: BTreeMap::new(),
            kernel: String::new(),
            landlock_abi: 0,
            network_mode: String::new(),
            proxy: None,
            network_events: Vec::new(),
            workspace: String::new(),
            git_dirs: Vec::new(),
            git_quarantined: Vec::new(),
            git_quarantined_unlisted: 0,
            notes: Vec::new(),
            exit: None,
            error: None,
        }
    }

    /// Set a mechanism and recompute the overall level.
    pub fn set(&mut self, name: &str, m: Mechanism) {
        self.mechanisms.insert(name.to_string(), m);
        self.enforcement = self
            .mechanisms
            .values()
            .map(|m| m.level)
            .min()
            .unwrap_or(Level::None);
    }

    /// Mechanisms that are not fully enforced, as `name: detail` lines.
    pub fn shortfalls(&self) -> Vec<String> {
        shortfalls(&self.mechanisms)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

/// Mechanisms of `mechanisms` that are not fully enforced, as `name: detail` lines.
pub fn shortfalls(mechanisms: &BTreeMap<String, Mechanism>) -> Vec<String> {
    mechanisms
        .iter()
        .filter(|(_, m)| m.level != Level::Full)
        .map(|(n, m)| format!("{n}: {:?}: {}", m.level, m.detail).to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_level_is_the_weakest() {
        let mut r = Report::new(false);
        r.set("landlock", Mechanism::new(Level::Full, "abi 6"));
        assert_eq!(r.enforcement, Level::Full);
        r.set("network", Mechanism::new(Level::Partial, "no namespace"));
        assert_eq!(r.enforcement, Level::Partial);
        assert_eq!(r.shortfalls().len(), 1);
        let json = r.to_json();
        assert!(json.contains("\"enforcement\":\"partial\""), "{json}");
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
