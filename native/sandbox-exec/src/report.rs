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

/// Longest text (in bytes) an event of `network_events` keeps of each of
/// its fields; longer ones are clipped, ending in `…`, and the event is
/// marked `clipped`. A request head may be 64 KiB, all of it the path.
pub const NETWORK_EVENT_TEXT: usize = 1024;

/// Bytes of JSON the listed network events may take in all; events beyond
/// are counted, not listed, like those beyond [`NETWORK_NOTABLE_LISTED`].
/// Ordinary events (some 300 bytes) reach the count bound first.
pub const NETWORK_EVENTS_BYTES: usize = 3 << 20;

/// Largest report the helper writes, in bytes of JSON: the room reserved
/// for the report file covers it, and a reader must be ready to hold it.
/// A report that would be larger has the ends of its lists cut (see
/// [`Report::to_json`]).
pub const REPORT_MAX_BYTES: usize = 4 << 20;

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
    /// A field was longer than [`NETWORK_EVENT_TEXT`] bytes and is clipped
    /// (it ends in `…`).
    #[serde(default)]
    pub clipped: bool,
}

impl NetworkEvent {
    /// Every field clipped to [`NETWORK_EVENT_TEXT`] bytes, the event marked
    /// when one was.
    fn clip(&mut self) {
        let mut clipped = false;
        for f in [
            &mut self.method,
            &mut self.target,
            &mut self.verdict,
            &mut self.code,
            &mut self.reason,
        ] {
            clipped |= clip_text(f, NETWORK_EVENT_TEXT);
        }
        for f in [&mut self.destination, &mut self.address]
            .into_iter()
            .flatten()
        {
            clipped |= clip_text(f, NETWORK_EVENT_TEXT);
        }
        self.clipped |= clipped;
    }
}

/// Cut `s` to at most `max` bytes (at a character boundary) and end it in
/// `…`; whether it was cut.
pub fn clip_text(s: &mut String, max: usize) -> bool {
    if s.len() <= max {
        return false;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push('…');
    true
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
    /// Bytes of JSON the listed events take (see [`NETWORK_EVENTS_BYTES`]).
    bytes: usize,
    /// Destination (or the target of a request that did not parse) and
    /// address of every listed event.
    seen: std::collections::HashSet<(String, Option<String>)>,
}

impl NetworkLog {
    /// Count `ev`, and list it unless the bounds say otherwise.
    pub fn record(&mut self, mut ev: NetworkEvent) {
        self.total += 1;
        // Clipped first: what is kept of an event is bounded, whatever the
        // command sent.
        ev.clip();
        let key = (
            ev.destination.clone().unwrap_or_else(|| ev.target.clone()),
            ev.address.clone(),
        );
        let size = json_len(&ev);
        let room = self.bytes + size <= NETWORK_EVENTS_BYTES;
        if self.events.len() < NETWORK_EVENTS_LISTED && room {
            self.seen.insert(key);
            self.bytes += size;
            self.events.push(ev);
            return;
        }
        let notable = ev.verdict != "allow" || !self.seen.contains(&key);
        if !notable {
            self.unlisted += 1;
        } else if self.events.len() < NETWORK_EVENTS_LISTED + NETWORK_NOTABLE_LISTED && room {
            self.seen.insert(key);
            self.bytes += size;
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
                "{} requests refused or to a destination not listed before are beyond the report's bound ({} events or {} KiB listed) and not listed: what they were is not known",
                self.unlisted_notable,
                NETWORK_EVENTS_LISTED + NETWORK_NOTABLE_LISTED,
                NETWORK_EVENTS_BYTES / 1024
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
    /// Ref changes `git_refs_changed` does not list: the report's size
    /// bound ([`REPORT_MAX_BYTES`]) cut them.
    #[serde(default)]
    pub git_refs_changed_unlisted: u64,
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
    /// Entries of the lists above cut from the report's end to keep it
    /// within [`REPORT_MAX_BYTES`] (each also counted in its list's
    /// `_unlisted` count where it has one); a note says which.
    #[serde(default)]
    pub report_entries_cut: u64,
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
            git_refs_changed_unlisted: 0,
            ignored_changes: Vec::new(),
            ignored_changes_unlisted: 0,
            outside_changes: Vec::new(),
            outside_changes_unlisted: 0,
            permissions_repaired: Vec::new(),
            permissions_repaired_unlisted: 0,
            notes: Vec::new(),
            report_entries_cut: 0,
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
    ///
    /// At most [`REPORT_MAX_BYTES`]: when the lists the command can grow
    /// (paths it made, requests it sent) would make it larger, entries are
    /// cut from the end of the largest lists (see [`Report::cut_to`]).
    pub fn to_json(&self) -> String {
        let json = to_escaped_json(self);
        if json.len() <= REPORT_MAX_BYTES {
            return json;
        }
        let mut cut = self.clone();
        cut.cut_to(REPORT_MAX_BYTES);
        to_escaped_json(&cut)
    }

    /// Cut entries from the end of the lists, the one taking the most
    /// bytes first, until the report takes at most `max` bytes of JSON;
    /// count what was cut and say so in a note. Network events cut are
    /// counted as unlisted notable ones (what they were is not known), so
    /// the network mechanism is partial.
    fn cut_to(&mut self, max: usize) {
        // Room for the note, the counts and a longer network detail.
        let budget = max.saturating_sub(8 * 1024);
        let mut excess = json_len(self).saturating_sub(budget);
        if excess == 0 {
            return;
        }
        let mut lists: [Vec<usize>; 8] = [
            sizes(&self.network_events),
            sizes(&self.git_refs_changed),
            sizes(&self.git_quarantined),
            sizes(&self.ignored_changes),
            sizes(&self.outside_changes),
            sizes(&self.permissions_repaired),
            sizes(&self.git_dirs),
            sizes(&self.notes),
        ];
        let mut sums: [usize; 8] = std::array::from_fn(|i| lists[i].iter().sum());
        let mut cut = [0usize; 8];
        while excess > 0 {
            let Some(i) = (0..8).filter(|&i| sums[i] > 0).max_by_key(|&i| sums[i]) else {
                break;
            };
            let size = lists[i].pop().unwrap_or(0);
            sums[i] -= size;
            cut[i] += 1;
            excess = excess.saturating_sub(size);
        }
        let keep = |len: usize, i: usize| len - cut[i];
        self.network_events
            .truncate(keep(self.network_events.len(), 0));
        self.git_refs_changed
            .truncate(keep(self.git_refs_changed.len(), 1));
        self.git_quarantined
            .truncate(keep(self.git_quarantined.len(), 2));
        self.ignored_changes
            .truncate(keep(self.ignored_changes.len(), 3));
        self.outside_changes
            .truncate(keep(self.outside_changes.len(), 4));
        self.permissions_repaired
            .truncate(keep(self.permissions_repaired.len(), 5));
        self.git_dirs.truncate(keep(self.git_dirs.len(), 6));
        self.notes.truncate(keep(self.notes.len(), 7));
        let n = |i: usize| cut[i] as u64;
        self.network_events_unlisted += n(0);
        self.network_events_unlisted_notable += n(0);
        self.git_refs_changed_unlisted += n(1);
        self.git_quarantined_unlisted += n(2);
        self.ignored_changes_unlisted += n(3);
        self.outside_changes_unlisted += n(4);
        self.permissions_repaired_unlisted += n(5);
        self.report_entries_cut += cut.iter().map(|&c| c as u64).sum::<u64>();
        if cut[0] > 0 {
            let detail = format!(
                "{} network events cut to keep the report within {} KiB: what they were is not known",
                cut[0],
                max / 1024
            );
            let m = match self.mechanisms.get("network") {
                Some(m) if m.level == Level::None => m.clone(),
                Some(m) if !m.detail.is_empty() => {
                    Mechanism::new(Level::Partial, format!("{}; {detail}", m.detail))
                }
                _ => Mechanism::new(Level::Partial, detail),
            };
            self.set("network", m);
        }
        const NAMES: [&str; 8] = [
            "network_events",
            "git_refs_changed",
            "git_quarantined",
            "ignored_changes",
            "outside_changes",
            "permissions_repaired",
            "git_dirs",
            "notes",
        ];
        let what: Vec<String> = (0..8)
            .filter(|&i| cut[i] > 0)
            .map(|i| format!("{} of {}", cut[i], NAMES[i]))
            .collect();
        self.notes.push(format!(
            "the report would have been larger than {} KiB: the last {} entries were cut and are counted, not listed",
            max / 1024,
            what.join(", ")
        ));
    }
}

/// `value` as JSON with every character of [`is_terminal_control`] written
/// as `\uXXXX` (JSON escapes C0 itself).
fn to_escaped_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
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

/// Bytes `value` takes in the report's JSON.
fn json_len<T: Serialize>(value: &T) -> usize {
    to_escaped_json(value).len()
}

/// Bytes each entry of `list` takes in the report's JSON, its comma included.
fn sizes<T: Serialize>(list: &[T]) -> Vec<usize> {
    list.iter().map(|e| json_len(e) + 1).collect()
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
            clipped: false,
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

    /// F5: refused requests with a 60 000-byte path, 2 500 of them, grew
    /// the report to hundreds of MB. Each event is clipped and marked, the
    /// list stops at its byte bound, and the rest are counted: listed and
    /// counted add up to every request, and the network is partial.
    #[test]
    fn long_refused_requests_are_clipped_and_counted_past_the_byte_bound() {
        let path = "a".repeat(60_000);
        let mut log = NetworkLog::default();
        let requests = 2_500;
        for i in 0..requests {
            let mut ev = event(&format!("127.0.0.{}:80", i % 200 + 2), "deny");
            ev.method = "GET".into();
            ev.target = format!("http://127.0.0.{}:80/{path}", i % 200 + 2);
            ev.reason = format!("refused: {}", ev.target);
            log.record(ev);
        }
        let mut r = Report::new(false);
        r.set("network", Mechanism::new(Level::Full, "proxy"));
        log.fill(&mut r);
        let json = r.to_json();
        assert!(
            json.len() <= NETWORK_EVENTS_BYTES + 64 * 1024,
            "{}",
            json.len()
        );
        assert_eq!(r.network_requests, requests);
        let listed = r.network_events.len() as u64;
        assert!(listed > 100 && listed < requests, "{listed}");
        assert_eq!(r.network_events_unlisted, requests - listed);
        assert_eq!(r.network_events_unlisted_notable, requests - listed);
        for e in &r.network_events {
            assert!(e.clipped, "{}", e.target.len());
            assert!(e.target.len() <= NETWORK_EVENT_TEXT + '…'.len_utf8());
            assert!(e.reason.len() <= NETWORK_EVENT_TEXT + '…'.len_utf8());
            assert!(e.target.ends_with('…'));
        }
        assert_eq!(r.mechanisms["network"].level, Level::Partial);
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back.network_events_unlisted_notable, requests - listed);
        assert!(back.network_events[0].clipped);

        // A short request is neither clipped nor marked.
        let mut log = NetworkLog::default();
        log.record(event("a.test:443", "deny"));
        let mut r = Report::new(false);
        log.fill(&mut r);
        assert!(!r.network_events[0].clipped);
        assert_eq!(r.network_events[0].target, "a.test:443");
    }

    /// Every list the command can grow is cut to keep the whole report
    /// within its bound; what was cut is counted in the list's own count
    /// and in `report_entries_cut`, and a note names the lists.
    #[test]
    fn the_report_is_cut_to_its_bound_and_counts_what_it_cut() {
        let mut r = Report::new(false);
        r.set("network", Mechanism::new(Level::Full, "proxy"));
        let long = |i: usize| format!("/ws/{}{i}", "d/".repeat(2000));
        for i in 0..200 {
            r.ignored_changes.push(IgnoredChange {
                path: long(i),
                files: 1,
                ignored_by: long(i),
                ignore_file_changed: false,
                reason: "ignored".into(),
            });
            r.outside_changes.push(OutsideChange {
                path: long(i),
                files: 1,
            });
        }
        for i in 0..REFS_CHANGED_LISTED {
            r.git_refs_changed.push(RefChange {
                git_dir: long(i),
                name: format!("refs/tags/{}", "t".repeat(4000)),
                old: None,
                new: Some("0".repeat(40)),
            });
        }
        // Control characters take six bytes each in the JSON.
        for _ in 0..50 {
            r.notes.push("\u{9b}".repeat(1000));
        }
        let full = serde_json::to_string(&r).unwrap().len();
        assert!(full > 2 * REPORT_MAX_BYTES, "{full}");
        let json = r.to_json();
        assert!(json.len() <= REPORT_MAX_BYTES, "{}", json.len());
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.ignored_changes.len() as u64 + back.ignored_changes_unlisted,
            200
        );
        assert_eq!(
            back.outside_changes.len() as u64 + back.outside_changes_unlisted,
            200
        );
        assert_eq!(
            back.git_refs_changed.len() as u64 + back.git_refs_changed_unlisted,
            REFS_CHANGED_LISTED as u64
        );
        let cut = (200 - back.ignored_changes.len())
            + (200 - back.outside_changes.len())
            + (REFS_CHANGED_LISTED - back.git_refs_changed.len())
            + (50 + 1 - back.notes.len());
        assert_eq!(back.report_entries_cut, cut as u64);
        assert!(back.git_refs_changed_unlisted > 0);
        assert!(
            back.notes
                .last()
                .is_some_and(|n| n.contains("git_refs_changed") && n.contains("4096 KiB")),
            "{:?}",
            back.notes.last()
        );
        // No network event was cut: the network stays as it was.
        assert_eq!(back.mechanisms["network"].level, Level::Full);
        // The report in memory is untouched; a small one is not cut.
        assert_eq!(r.ignored_changes.len(), 200);
        let small = Report::new(false);
        let back: Report = serde_json::from_str(&small.to_json()).unwrap();
        assert_eq!(back.report_entries_cut, 0);
    }

    /// Network events cut by the report's bound are counted as unknown
    /// ones and make the network partial.
    #[test]
    fn network_events_cut_by_the_report_bound_make_the_network_partial() {
        let mut r = Report::new(false);
        r.set("network", Mechanism::new(Level::Full, "proxy"));
        for i in 0..4000 {
            let mut ev = event(&format!("h{i}.test:443"), "deny");
            ev.reason = "r".repeat(NETWORK_EVENT_TEXT);
            ev.target = "t".repeat(NETWORK_EVENT_TEXT);
            r.network_events.push(ev);
        }
        let back: Report = serde_json::from_str(&r.to_json()).unwrap();
        assert!(back.network_events.len() < 4000);
        assert_eq!(
            back.network_events.len() as u64 + back.network_events_unlisted_notable,
            4000
        );
        assert_eq!(back.mechanisms["network"].level, Level::Partial);
        assert_eq!(back.enforcement, Level::Partial);
    }
}
