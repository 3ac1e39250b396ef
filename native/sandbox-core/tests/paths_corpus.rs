//! Every case of `paths.jsonl`, on a real fixture tree.
//!
//! Paths in the corpus are virtual: `/` maps to a fresh temporary root `R`
//! and every absolute path of the case (input, policy, workspace, home,
//! fixture) is prefixed with `R`, except `/dev`, `/proc` and `/sys`.
//! `windows` and `macos` cases go through the pure platform rules.
//! `requires: enforce` cases are races: the request is authorized, the swap
//! happens, then the enforcing operation must fail without touching the
//! files the swap exposes. `PATHS_CORPUS_SHOW=1` prints every decision.
//!
//! The fixture is a POSIX tree with symbolic links, so this runs on Unix
//! hosts (the Windows and macOS cases through the pure platform rules).
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sandbox_core::guards::filesystem::{FileOperation, FileRequest, FilesystemGuard, Platform};
use sandbox_core::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};
use sandbox_core::Verdict;
use serde_json::Value;

const BASELINE: &[&str] = &[
    "dir /ws/src",
    "file /ws/src/main.rs",
    "file /ws/README.md",
    "file /ws/.env",
    "file /ws/node_modules/.bin/tsc",
    "file /home/user/.ssh/id_rsa",
    "file /home/user/.aws/credentials",
    "file /home/user/.gitconfig",
    "file /etc/passwd",
    "dir /etc/ssh",
    "dir /etc/cron.d",
    "dir /tmp",
    "dir /ws/.git/hooks",
    "file /ws/config/.env",
    "file /ws/config/.env.example",
    "file /ws/certs/server.pem",
    "file /ws/docs/pem-guide.md",
];

/// The verbs of fixture and race lines.
const FIXTURE_VERBS: &[&str] = &[
    "dir", "mkdir", "file", "symlink", "move", "rename", "mv", "delete", "remove", "rm",
];

/// The actions of a race line, e.g. `after check, rename /ws/dir -> /ws/dir.bak
/// and symlink /ws/dir -> /etc`: each is a known verb followed by a path (and
/// `-> path`); every other word is narration.
fn race_actions(race: &str) -> Vec<String> {
    let words: Vec<&str> = race.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let is_path = |w: Option<&&str>| w.is_some_and(|w| w.starts_with('/'));
        if FIXTURE_VERBS.contains(&words[i]) && is_path(words.get(i + 1)) {
            let mut action = format!("{} {}", words[i], words[i + 1].trim_end_matches(','));
            i += 2;
            if words.get(i) == Some(&"->") && is_path(words.get(i + 1)) {
                action = format!("{action} -> {}", words[i + 1].trim_end_matches(','));
                i += 2;
            }
            out.push(action);
        } else {
            i += 1;
        }
    }
    out
}

/// The virtual root of one case.
struct Root {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Root {
    fn new() -> Root {
        // Not tempfile's default `.tmp` prefix: a hidden component above the
        // workspace would change what permissive cases decide.
        let dir = tempfile::Builder::new().prefix("fsroot").tempdir().unwrap();
        let path = std::fs::canonicalize(dir.path()).unwrap();
        Root { _dir: dir, path }
    }

    fn text(&self) -> String {
        self.path.to_str().unwrap().to_string()
    }

    /// Prefix an absolute virtual path with R (not `/dev`, `/proc`, `/sys`).
    fn map(&self, p: &str) -> String {
        if let Some(rest) = p.strip_prefix("file://") {
            return format!("file://{}", self.map(rest));
        }
        if !p.starts_with('/') {
            return p.to_string();
        }
        for sys in ["/dev", "/proc", "/sys"] {
            if p == sys || p.starts_with(&format!("{sys}/")) {
                return p.to_string();
            }
        }
        format!("{}{p}", self.text())
    }

    fn host(&self, p: &str) -> PathBuf {
        PathBuf::from(self.map(p))
    }

    /// Apply one fixture line: `dir P` (`mkdir P`), `file P`, `symlink L -> T`,
    /// `move A -> B` (`rename A -> B`, `mv A -> B`), `delete P` (`remove P`, `rm P`).
    fn apply(&self, line: &str) {
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        let pair = || {
            let (a, b) = rest
                .split_once(" -> ")
                .unwrap_or_else(|| panic!("fixture line without `->`: {line}"));
            (a.trim(), b.trim())
        };
        match verb {
            "dir" | "mkdir" => std::fs::create_dir_all(self.host(rest)).unwrap(),
            "file" => {
                let p = self.host(rest);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, format!("content of {rest}\n")).unwrap();
            }
            "symlink" => {
                let (link, target) = pair();
                let l = self.host(link);
                std::fs::create_dir_all(l.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(self.map(target), &l).unwrap();
            }
            "delete" | "remove" | "rm" => {
                let p = self.host(rest);
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.is_dir() => std::fs::remove_dir_all(&p).unwrap(),
                    Ok(_) => std::fs::remove_file(&p).unwrap(),
                    Err(e) => panic!("fixture line {line:?}: {e}"),
                }
            }
            "move" | "rename" | "mv" => {
                let (a, b) = pair();
                let to = self.host(b);
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::rename(self.host(a), &to).unwrap();
            }
            other => panic!("unknown fixture verb {other:?} in {line:?}"),
        }
    }

    /// Every path under R with what it is, links not followed.
    fn snapshot(&self) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.path.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let e = e.unwrap();
                let p = e.path();
                let m = std::fs::symlink_metadata(&p).unwrap();
                let what = if m.file_type().is_symlink() {
                    format!("link {}", std::fs::read_link(&p).unwrap().display())
                } else if m.is_dir() {
                    stack.push(p.clone());
                    "dir".to_string()
                } else {
                    format!("file {:?}", std::fs::read(&p).unwrap())
                };
                out.insert(p, what);
            }
        }
        out
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn policy(case: &Value, map: &dyn Fn(&str) -> String) -> FilesystemPolicy {
    let p = &case["policy"];
    let mode = match p["mode"].as_str().unwrap() {
        "strict" => FilesystemMode::Strict,
        "workspace" => FilesystemMode::Workspace,
        "permissive" => FilesystemMode::Permissive,
        m => panic!("unknown mode {m}"),
    };
    FilesystemPolicy {
        mode,
        allowed_paths: strs(&p["allowed_paths"]).iter().map(|s| map(s)).collect(),
        blocked_paths: strs(&p["blocked_paths"]).iter().map(|s| map(s)).collect(),
        allow_symlinks: p["allow_symlinks"].as_bool().unwrap(),
        allow_hidden_files: p["allow_hidden_files"].as_bool().unwrap(),
    }
}

fn other_of(case: &Value) -> Option<String> {
    case["dest"]
        .as_str()
        .or(case["link_target"].as_str())
        .map(str::to_string)
}

/// The check-only cases: returns a failure message, if any.
fn run_check(case: &Value) -> Option<String> {
    let id = case["id"].as_str().unwrap();
    let op = FileOperation::from_name(case["operation"].as_str().unwrap()).unwrap();
    let expected = case["expected"].as_str().unwrap();
    let platform = case["platform"].as_str().unwrap();
    let input = case["input"].as_str().unwrap();
    let limits = ResourceLimits::default();

    let (decision, _root) = match Platform::from_name(platform) {
        Some(p @ (Platform::Windows | Platform::MacOs)) => {
            let pol = policy(case, &|s| s.to_string());
            let g = FilesystemGuard::for_platform(
                &pol,
                &limits,
                case["workspace"].as_str().unwrap(),
                case["env"]["home"].as_str().unwrap(),
                p,
            )
            .unwrap();
            let other = other_of(case);
            let req = FileRequest {
                path: input,
                operation: op,
                other: other.as_deref(),
                size: None,
            };
            (g.check(&req), None)
        }
        _ => {
            let root = Root::new();
            for line in BASELINE
                .iter()
                .copied()
                .chain(strs(&case["setup"]).iter().map(String::as_str))
            {
                root.apply(line);
            }
            let pol = policy(case, &|s| root.map(s));
            let g = FilesystemGuard::new(
                &pol,
                &limits,
                Path::new(&root.map(case["workspace"].as_str().unwrap())),
                Path::new(&root.map(case["env"]["home"].as_str().unwrap())),
            )
            .unwrap();
            let input = root.map(input);
            let other = other_of(case).map(|o| root.map(&o));
            let req = FileRequest {
                path: &input,
                operation: op,
                other: other.as_deref(),
                size: None,
            };
            (g.check(&req), Some(root))
        }
    };
    if std::env::var_os("PATHS_CORPUS_SHOW").is_some() {
        eprintln!(
            "{id} {expected} -> {} {} | {} | {:?}",
            decision.verdict, decision.code, decision.reason, decision.rule
        );
    }
    let ok = match expected {
        "allow" => decision.verdict == Verdict::Allow,
        "deny" => decision.verdict == Verdict::Deny,
        e => panic!("{id}: unknown expectation {e}"),
    } && case["code"]
        .as_str()
        .is_none_or(|code| decision.code.to_string() == code);
    if ok {
        None
    } else {
        Some(format!(
            "{id}: expected {expected}, got {} {} ({}) [{}]",
            decision.verdict,
            decision.code,
            decision.reason,
            case["why"].as_str().unwrap_or("")
        ))
    }
}

/// The race cases: authorize, swap, then the operation must fail and
/// change nothing. Returns a failure message, if any.
fn run_race(case: &Value) -> Option<String> {
    let id = case["id"].as_str().unwrap();
    let op = FileOperation::from_name(case["operation"].as_str().unwrap()).unwrap();
    let root = Root::new();
    let mut races = Vec::new();
    for line in BASELINE
        .iter()
        .copied()
        .chain(strs(&case["setup"]).iter().map(String::as_str))
    {
        match line.strip_prefix("race:") {
            Some(r) => races.push(r.trim().to_string()),
            None => root.apply(line),
        }
    }
    assert!(
        !races.is_empty(),
        "{id}: an enforce case without a race line"
    );
    let pol = policy(case, &|s| root.map(s));
    let g = FilesystemGuard::new(
        &pol,
        &ResourceLimits::default(),
        Path::new(&root.map(case["workspace"].as_str().unwrap())),
        Path::new(&root.map(case["env"]["home"].as_str().unwrap())),
    )
    .unwrap();
    let input_virtual = case["input"].as_str().unwrap();
    let input = root.map(input_virtual);
    let other = other_of(case).map(|o| root.map(&o));
    let req = FileRequest {
        path: &input,
        operation: op,
        other: other.as_deref(),
        size: None,
    };
    let authorized = match g.authorize(&req) {
        Ok(a) => a,
        Err(d) => {
            return Some(format!(
                "{id}: the check before the swap refused: {}",
                d.reason
            ))
        }
    };

    // The swap, between check and use.
    for race in &races {
        let actions = race_actions(race);
        assert!(!actions.is_empty(), "{id}: no known action in {race:?}");
        for action in actions {
            root.apply(&action);
        }
    }
    // Make the swap bite: whatever a naive open of the path text would now
    // reach exists, with content that must not come back.
    const SECRET: &[u8] = b"secret behind the swap\n";
    if op == FileOperation::Read {
        let naive = PathBuf::from(&input);
        if !naive.exists() {
            std::fs::create_dir_all(naive.parent().unwrap()).unwrap();
            std::fs::write(&naive, SECRET).unwrap();
        }
    }
    let before = root.snapshot();

    let outcome: Result<Vec<u8>, String> = match op {
        FileOperation::Read => g
            .open_read_authorized(&authorized)
            .map_err(|e| e.to_string())
            .and_then(|mut h| {
                let mut v = Vec::new();
                h.read_to_end(&mut v).map_err(|e| e.to_string())?;
                Ok(v)
            }),
        FileOperation::Write | FileOperation::Create => g
            .write_authorized(&authorized, b"payload written after the swap\n")
            .map(|_| Vec::new())
            .map_err(|e| e.to_string()),
        FileOperation::CreateDir => g
            .create_dir_authorized(&authorized)
            .map(|_| Vec::new())
            .map_err(|e| e.to_string()),
        FileOperation::Delete => g
            .delete_authorized(&authorized)
            .map(|_| Vec::new())
            .map_err(|e| e.to_string()),
        FileOperation::List => g
            .list_authorized(&authorized)
            .map(|_| Vec::new())
            .map_err(|e| e.to_string()),
        FileOperation::Rename => g
            .rename_authorized(&authorized)
            .map(|_| Vec::new())
            .map_err(|e| e.to_string()),
        other => panic!("{id}: no enforcing operation for {}", other.as_str()),
    };
    let after = root.snapshot();
    if std::env::var_os("PATHS_CORPUS_SHOW").is_some() {
        eprintln!("{id} race -> {:?}", outcome.as_ref().map(|v| v.len()));
    }
    match (case["expected"].as_str().unwrap(), outcome) {
        ("deny", Ok(content)) => Some(format!(
            "{id}: the operation succeeded after the swap (read {} bytes: {:?})",
            content.len(),
            String::from_utf8_lossy(&content)
        )),
        ("deny", Err(_)) if before != after => Some(format!(
            "{id}: the operation failed but changed the tree: {:?}",
            diff(&before, &after)
        )),
        ("deny", Err(_)) => None,
        ("allow", Ok(_)) => None,
        (e, r) => Some(format!("{id}: expected {e}, got {r:?}")),
    }
}

fn diff(a: &BTreeMap<PathBuf, String>, b: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in a {
        if b.get(k) != Some(v) {
            out.push(format!("- {} {v}", k.display()));
        }
    }
    for (k, v) in b {
        if a.get(k) != Some(v) {
            out.push(format!("+ {} {v}", k.display()));
        }
    }
    out
}

#[test]
fn every_paths_case_decides_as_expected() {
    let cases = common::corpus("paths.jsonl");
    assert!(
        cases.len() >= 90,
        "corpus looks truncated: {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    let (mut checks, mut races) = (0, 0);
    for case in &cases {
        let failure = match case["requires"].as_str().unwrap_or("check") {
            "enforce" => {
                races += 1;
                run_race(case)
            }
            _ => {
                checks += 1;
                run_check(case)
            }
        };
        failures.extend(failure);
    }
    assert!(races >= 2, "expected race cases in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {} cases ({checks} checks, {races} races) failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// `git_paths.jsonl`: every path through which git could be made to run
/// something or read another directory is refused with `PROTECTED_PATH`
/// (the case's `code`), and the data git writes stays writable.
#[test]
fn every_git_paths_case_decides_as_expected() {
    let cases = common::corpus("git_paths.jsonl");
    assert!(
        cases.len() >= 80,
        "corpus looks truncated: {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases.iter().filter_map(run_check).collect();
    let denied = cases.iter().filter(|c| c["expected"] == "deny").count();
    assert!(denied >= 40 && cases.len() - denied >= 30);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
