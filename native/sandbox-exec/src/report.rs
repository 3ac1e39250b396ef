//! The enforcement report: what could be enforced on this kernel and how the
//! command ended. Its JSON shape is a stable interface (see `docs/exec.md`);
//! fields are only ever added.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Ref changes `git_refs_changed` lists at most.
pub const REFS_CHANGED_LISTED: usize = 1000;

/// Network requests `network_events` lists in the order they came, all of
/// them; beyond, only the notable ones are listed (see [`NetworkLog`]).
pub const NETWORK_EVENTS_LISTED: usize = 1000;

/// Notable network requests (refused, or to a destination not listed
/// before) listed after the first [`NETWORK_EVENTS_LISTED`]; beyond, they
/// are counted (`network_events_unlisted_notable`) and the network
/// mechanism is partial.
pub const NETWORK_NOTABLE_LISTED: usize = 9000;

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

/// The requests the proxy decided, as the report lists them. A long run
/// can make any number of requests; the list is bounded, but what is left
/// out is only ever what adds nothing: after the first
/// [`NETWORK_EVENTS_LISTED`] (all listed), an allowed request to a
/// destination (and address) listed before is counted, not listed, while a
/// refused one, or one to a destination not listed before, is listed still,
/// up to [`NETWORK_NOTABLE_LISTED`] more; those beyond are counted apart,
/// and make the network mechanism partial (the report cannot show them).
#[derive(Debug, Default)]
pub struct NetworkLog {
    events: Vec<NetworkEvent>,
    total: u64,
    unlisted: u64,
    unlisted_notable: u64,
    /// Destination (or the target of a request that did not parse) and
    /// address of every listed event.
    seen: std::collections::HashSet<(String, Option<String>)>,
}

impl NetworkLog {
    /// Count `ev`, and list it unless the bounds say otherwise.
    pub fn record(&mut self, ev: NetworkEvent) {
        self.total += 1;
        let key = (
            ev.destination.clone().unwrap_or_else(|| ev.target.clone()),
            ev.address.clone(),
        );
        if self.events.len() < NETWORK_EVENTS_LISTED {
            self.seen.insert(key);
            self.events.push(ev);
            return;
        }
        let notable = ev.verdict != "allow" || !self.seen.contains(&key);
        if !notable {
            self.unlisted += 1;
        } else if self.events.len() < NETWORK_EVENTS_LISTED + NETWORK_NOTABLE_LISTED {
            self.seen.insert(key);
            self.events.push(ev);
        } else {
            self.unlisted += 1;
            self.unlisted_notable += 1;
        }
    }

    /// Into `report`: the list, the counts, and a note when the list is cut.
    pub fn fill(&self, report: &mut Report) {
        report.network_events = self.events.clone();
        report.network_requests = self.total;
        report.network_events_unlisted = self.unlisted;
        report.network_events_unlisted_notable = self.unlisted_notable;
        if self.unlisted > 0 {
            report.notes.push(format!(
                "the proxy decided {} requests; network_events lists {}: after the first {NETWORK_EVENTS_LISTED}, {} allowed requests to destinations listed before are counted, not listed",
                self.total,
                self.events.len(),
                self.unlisted - self.unlisted_notable
            ));
        }
        if self.unlisted_notable > 0 {
            let detail = format!(
                "{} requests refused or to a destination not listed before are beyond the report's bound ({} listed) and not listed: what they were is not known",
                self.unlisted_notable,
                NETWORK_EVENTS_LISTED + NETWORK_NOTABLE_LISTED
            );
            let m = match report.mechanisms.get("network") {
                Some(m) if m.level == Level::None => m.clone(),
                Some(m) if !m.detail.is_empty() => {
                    Mechanism::new(Level::Partial, format!("{}; {detail}", m.detail))
                }
                _ => Mechanism::new(Level::Partial, detail),
            };
            report.set("network", m);
        }
    }
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

/// A ref the run changed, added or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefChange {
    /// The git dir.
    pub git_dir: String,
    /// The ref (`refs/tags/v1.0`, `ORIG_HEAD`), or `stash@{N}` for an
    /// entry of the stash (N its place before the run, or after it for a
    /// new one).
    pub name: String,
    /// Its value before the run (`null`: it did not exist).
    pub old: Option<String>,
    /// Its value after the run (`null`: it is gone).
    pub new: Option<String>,
}

/// A file the run made or changed outside every repository's working
/// tree (see `src/ignored.rs`); or a directory the run made holding many
/// of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutsideChange {
    /// The file; for a summarised directory the run made, the directory
    /// with a trailing `/`.
    pub path: String,
    /// Files it stands for: 1 for a file, their count for a directory.
    pub files: u64,
}

/// An entry whose permissions the run widened, narrowed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionRepair {
    pub path: String,
    /// Its permission bits after the run, in octal (`0777`).
    pub mode_before: String,
    /// Its permission bits after the repair.
    pub mode_after: String,
    /// The ACL attributes removed (`system.posix_acl_access`,
    /// `system.posix_acl_default`).
    pub acls_removed: Vec<String>,
}

/// A file (or link) the run made, changed or replaced that `git status`
/// and `git diff` of its repository do not show (see `src/ignored.rs`),
/// `reason` saying why: git ignores it, it was untracked before, it lies
/// below a directory that was untracked before, in a nested repository,
/// it is marked in the index, or a link whose target in a git dir
/// changed; or a directory holding many of them. Outside every
/// repository: [`OutsideChange`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredChange {
    /// The file; for a summarised directory, the directory with a
    /// trailing `/`.
    pub path: String,
    /// Files it stands for: 1 for a file, their count for a directory.
    pub files: u64,
    /// The ignore file whose rule hides it (a `.gitignore`,
    /// `.git/info/exclude`, an excludes file of the git configuration),
    /// or the configuration file whose `status.showUntrackedFiles = no`
    /// makes `git status` list no untracked file.
    pub ignored_by: String,
    /// The run made or changed that ignore file itself.
    pub ignore_file_changed: bool,
    /// Why git does not show it: `ignored`, `untracked_before`,
    /// `below_untracked_directory`, `nested_repository`, `marked`,
    /// `link_target` (a report from before the field lists ignored files
    /// only).
    #[serde(default = "reason_ignored")]
    pub reason: String,
}

fn reason_ignored() -> String {
    "ignored".into()
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
    /// Every request the proxy decided, listed or not.
    #[serde(default)]
    pub network_requests: u64,
    /// Requests the proxy decided that `network_events` does not list:
    /// after the first [`NETWORK_EVENTS_LISTED`], allowed requests to a
    /// destination listed before are counted, not listed.
    #[serde(default)]
    pub network_events_unlisted: u64,
    /// Of those, the ones refused or to a destination not listed before
    /// (beyond the bound [`NETWORK_NOTABLE_LISTED`]).
    #[serde(default)]
    pub network_events_unlisted_notable: u64,
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
    /// Refs of the repositories known before the run that it changed,
    /// added or removed (tags, branches, `refs/stash` and the stash's
    /// entries, `ORIG_HEAD`, remote-tracking refs), the first
    /// [`REFS_CHANGED_LISTED`] (see `src/refs.rs`).
    #[serde(default)]
    pub git_refs_changed: Vec<RefChange>,
    /// Files in a repository's working tree that the run made or changed
    /// and that git ignores and does not track: the review with `git
    /// status` and `git diff` does not show them (see `src/ignored.rs`).
    /// At most 200 entries; an ignored directory
    /// holding many is one entry with their count.
    #[serde(default)]
    pub ignored_changes: Vec<IgnoredChange>,
    /// Such files `ignored_changes` does not list (beyond its bound).
    #[serde(default)]
    pub ignored_changes_unlisted: u64,
    /// Files in the writable trees outside every repository's working
    /// tree (or in a repository the run made) that the run made or
    /// changed: no `git status` shows them, while tools run in a
    /// repository read configuration from its parents (see
    /// `src/ignored.rs`). At most 200 entries; a directory the run made
    /// holding many is one entry with their count.
    #[serde(default)]
    pub outside_changes: Vec<OutsideChange>,
    /// Such files `outside_changes` does not list (beyond its bound).
    #[serde(default)]
    pub outside_changes_unlisted: u64,
    /// Directories and files in the writable trees whose permissions the
    /// run widened for other accounts (write bits for the group and
    /// others, POSIX ACLs), narrowed again after it (see `src/perms.rs`).
    /// At most 200.
    #[serde(default)]
    pub permissions_repaired: Vec<PermissionRepair>,
    /// Such entries `permissions_repaired` does not list.
    #[serde(default)]
    pub permissions_repaired_unlisted: u64,
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
            network_requests: 0,
            network_events_unlisted: 0,
            network_events_unlisted_notable: 0,
            workspace: String::new(),
            git_dirs: Vec::new(),
            git_quarantined: Vec::new(),
            git_quarantined_unlisted: 0,
            git_refs_changed: Vec::new(),
            ignored_changes: Vec::new(),
            ignored_changes_unlisted: 0,
            outside_changes: Vec::new(),
            outside_changes_unlisted: 0,
            permissions_repaired: Vec::new(),
            permissions_repaired_unlisted: 0,
            notes: Vec::new(),
            exit: None,
            error: None,
        }
    }

    /// The setup failed before the command started: nothing of the plan is
    /// known to hold, whatever the mechanisms planned say.
    pub fn setup_failed(&mut self, error: String) {
        self.error = Some(error);
        self.status = "error".into();
        self.enforcement = Level::None;
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

    /// The report as one line of JSON, with no character a terminal acts
    /// on: JSON escapes C0 itself, and DEL, C1 and the bidirectional
    /// controls (which may only stand in strings) are written as `\uXXXX`
    /// too, so the report on standard error cannot drive the terminal.
    pub fn to_json(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
        if !json.chars().any(is_terminal_control) {
            return json;
        }
        let mut out = String::with_capacity(json.len() + 16);
        for c in json.chars() {
            if is_terminal_control(c) {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// Whether a terminal may act on `c` rather than show it: C0 controls
/// (newline, carriage return and tab included), DEL, C1 controls
/// (U+0080–U+009F: a terminal may take U+009B for CSI), the bidirectional
/// controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, which
/// reorder what follows) and the line and paragraph separators.
pub fn is_terminal_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `s` with every character of [`is_terminal_control`] made visible:
/// `\n`, `\r`, `\t`, `\xHH` for the other C0 controls and DEL, `\u{HHHH}`
/// for the rest. Every string the helper prints on standard error that may
/// hold something a command chose (a path in a writable tree, a proxy
/// target) goes through it; a backslash is left as it is.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_terminal_control(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_terminal_control(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Mechanisms of `mechanisms` that are not fully enforced, as `name: detail` lines.
pub fn shortfalls(mechanisms: &BTreeMap<String, Mechanism>) -> Vec<String> {
    mechanisms
        .iter()
        .filter(|(_, m)| m.level != Level::Full)
        .map(|(n, m)| {
            let level = match m.level {
                Level::None => "none",
                Level::Partial => "partial",
                Level::Full => "full",
            };
            // The detail as written: it names paths, whose case matters.
            format!("{n}: {level}: {}", m.detail)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// exec23b: a run whose setup failed reported `full` beside `error`.
    #[test]
    fn a_setup_that_failed_claims_no_enforcement() {
        let mut r = Report::new(false);
        r.set("landlock", Mechanism::new(Level::Full, "abi 7"));
        r.set("mounts", Mechanism::new(Level::Full, "6 mount operations"));
        r.setup_failed("mount setup: lock /ws/x: No such file or directory".into());
        assert_eq!((r.status.as_str(), r.enforcement), ("error", Level::None));
        assert!(r.to_json().contains("\"enforcement\":\"none\""));
    }

    #[test]
    fn overall_level_is_the_weakest() {
        let mut r = Report::new(false);
        r.set("landlock", Mechanism::new(Level::Full, "abi 6"));
        assert_eq!(r.enforcement, Level::Full);
        r.set("network", Mechanism::new(Level::Partial, "no namespace"));
        assert_eq!(r.enforcement, Level::Partial);
        assert_eq!(r.shortfalls(), ["network: partial: no namespace"]);
        let json = r.to_json();
        assert!(json.contains("\"enforcement\":\"partial\""), "{json}");
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        r.set(
            "landlock",
            Mechanism::new(Level::None, "not in /Users/Me/Work"),
        );
        assert_eq!(r.shortfalls()[0], "landlock: none: not in /Users/Me/Work");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("plain /a/b c"), "plain /a/b c");
        assert!(matches!(visible("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(visible("a\nb\rc\td"), "a\\nb\\rc\\td");
        assert_eq!(visible("\u{1b}[2K\u{0}\u{7f}"), "\\x1b[2K\\x00\\x7f");
        assert_eq!(visible("\u{9b}2K\u{85}"), "\\u{009b}2K\\u{0085}");
        for (c, shown) in [
            ('\u{61c}', "\\u{061c}"),
            ('\u{200e}', "\\u{200e}"),
            ('\u{200f}', "\\u{200f}"),
            ('\u{202a}', "\\u{202a}"),
            ('\u{202e}', "\\u{202e}"),
            ('\u{2066}', "\\u{2066}"),
            ('\u{2069}', "\\u{2069}"),
        ] {
            assert_eq!(visible(&format!("x{c}y")), format!("x{shown}y"));
        }
        // Printable text beyond ASCII stays, a backslash too.
        assert_eq!(visible("café \\ 日本 \u{a0}"), "café \\ 日本 \u{a0}");
        assert_eq!(visible("\u{1f}\u{20}\u{7e}\u{a0}"), "\\x1f ~\u{a0}");
    }

    #[test]
    fn the_json_report_holds_no_terminal_control() {
        let mut r = Report::new(false);
        r.notes.push("a\u{1b}[2K\u{9b}\u{202e}\u{7f}\nb".into());
        let json = r.to_json();
        assert!(!json.chars().any(is_terminal_control), "{json}");
        assert!(json.contains("\\u009b"), "{json}");
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back.notes, r.notes);
    }

    fn event(dest: &str, verdict: &str) -> NetworkEvent {
        NetworkEvent {
            method: "CONNECT".into(),
            target: dest.into(),
            verdict: verdict.into(),
            code: if verdict == "allow" {
                "ALLOWED".into()
            } else {
                "DOMAIN_NOT_ALLOWED".into()
            },
            reason: String::new(),
            destination: Some(format!("https://{dest}")),
            address: None,
        }
    }

    /// Past the first requests, repeats are counted, but a refusal or a
    /// new destination is still listed, and the report says how many there
    /// were in all and that the list is cut.
    #[test]
    fn the_network_list_keeps_refusals_and_new_destinations_and_counts_the_rest() {
        let mut log = NetworkLog::default();
        for _ in 0..NETWORK_EVENTS_LISTED + 500 {
            log.record(event("filler.test:443", "allow"));
        }
        log.record(event("tunnel.test:8443", "allow"));
        log.record(event("blocked.test:443", "deny"));
        log.record(event("blocked.test:443", "deny"));
        log.record(event("filler.test:443", "allow"));
        let mut r = Report::new(false);
        r.set("network", Mechanism::new(Level::Full, "proxy"));
        log.fill(&mut r);
        assert_eq!(r.network_requests, NETWORK_EVENTS_LISTED as u64 + 504);
        assert_eq!(r.network_events.len(), NETWORK_EVENTS_LISTED + 3);
        assert_eq!(r.network_events_unlisted, 501);
        assert_eq!(r.network_events_unlisted_notable, 0);
        let tail: Vec<&str> = r.network_events[NETWORK_EVENTS_LISTED..]
            .iter()
            .map(|e| e.target.as_str())
            .collect();
        assert_eq!(
            tail,
            ["tunnel.test:8443", "blocked.test:443", "blocked.test:443"]
        );
        assert!(
            r.notes.iter().any(|n| n.contains("decided 1504 requests")),
            "{:?}",
            r.notes
        );
        assert_eq!(r.enforcement, Level::Full);
        let back: Report = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back.network_requests, r.network_requests);
    }

    /// Notable requests beyond the bound are counted apart and make the
    /// network mechanism partial; a short run lists everything and adds
    /// no note.
    #[test]
    fn notable_requests_beyond_the_bound_make_the_network_partial() {
        let mut log = NetworkLog::default();
        for i in 0..NETWORK_EVENTS_LISTED + NETWORK_NOTABLE_LISTED + 7 {
            log.record(event(&format!("h{i}.test:443"), "allow"));
        }
        let mut r = Report::new(false);
        r.set("network", Mechanism::new(Level::Full, "proxy"));
        log.fill(&mut r);
        assert_eq!(r.network_events_unlisted, 7);
        assert_eq!(r.network_events_unlisted_notable, 7);
        assert_eq!(r.mechanisms["network"].level, Level::Partial);
        assert_eq!(r.enforcement, Level::Partial);

        let mut short = NetworkLog::default();
        short.record(event("a.test:443", "allow"));
        let mut r = Report::new(false);
        short.fill(&mut r);
        assert_eq!((r.network_requests, r.network_events.len()), (1, 1));
        assert!(r.notes.is_empty());
    }
}
