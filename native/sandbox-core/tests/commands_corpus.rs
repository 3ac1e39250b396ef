//! Every case of the golden corpus `commands.jsonl` decides as expected.
//!
//! Each case's `policy` gives the command section (`mode`, `allowed` /
//! `blocked` → `allowed_commands` / `blocked_commands`, `allow_sudo`). The
//! filesystem part, which judges redirection targets and file operands, is
//! the same for every case: workspace mode, the workspace a fresh temporary
//! directory (the agent's working directory), the home another temporary
//! directory, `~/.ssh`, `~/.aws` and `~/.gnupg` blocked, symlinks and hidden
//! files allowed. The network part refuses no public destination (on, no
//! lists, http and https, loopback allowed): the cases judge the command
//! section, and the URLs a command fetches are judged by the network policy
//! (tested with restricting policies in sandbox-core's own tests).
//!
//! Expected `allow` must be `allow`; expected `deny` must not be `allow`
//! (`ask` satisfies `deny` for commands, see the corpus README).

mod common;

use std::path::Path;

use sandbox_core::Engine;
use serde_json::{json, Value};

/// A workspace and a home with a few files, as an agent would see them.
struct Fixture {
    _root: tempfile::TempDir,
    workspace: std::path::PathBuf,
    home: std::path::PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().expect("temp dir");
        let workspace = root.path().join("ws");
        let home = root.path().join("home");
        for d in ["src", "docs", "build", ".git/hooks"] {
            std::fs::create_dir_all(workspace.join(d)).unwrap();
        }
        for d in [".ssh", ".aws", ".gnupg"] {
            std::fs::create_dir_all(home.join(d)).unwrap();
        }
        for f in ["src/main.rs", "README.md", "Makefile", "docs/sudoku.md"] {
            std::fs::write(workspace.join(f), "x\n").unwrap();
        }
        std::fs::write(home.join(".ssh/id_rsa"), "secret\n").unwrap();
        std::fs::write(home.join(".aws/credentials"), "secret\n").unwrap();
        std::fs::write(home.join(".bashrc"), "# rc\n").unwrap();
        Fixture {
            _root: root,
            workspace,
            home,
        }
    }

    /// An engine for a case's command policy.
    fn engine(&self, commands: &Value) -> Engine {
        let mode = commands["mode"].as_str().expect("mode");
        let mut section = json!({ "mode": mode, "allow_sudo": commands["allow_sudo"].as_bool().unwrap_or(false) });
        if let Some(a) = commands.get("allowed") {
            section["allowed_commands"] = a.clone();
        }
        if let Some(b) = commands.get("blocked") {
            section["blocked_commands"] = b.clone();
        }
        let policy = json!({
            "version": "1.0",
            "name": "corpus",
            "filesystem": {
                "mode": "workspace",
                "allowed_paths": ["./"],
                "blocked_paths": ["~/.ssh", "~/.aws", "~/.gnupg"],
                "allow_symlinks": true,
                "allow_hidden_files": true
            },
            "network": { "enabled": true, "allow_localhost": true, "allow_https": true, "allow_http": true },
            "commands": section,
            "limits": {}
        });
        Engine::from_json(
            &policy.to_string(),
            Path::new(&self.workspace),
            Path::new(&self.home),
        )
        .expect("policy")
    }
}

#[test]
fn every_corpus_case_decides_as_expected() {
    let cases = common::corpus("commands.jsonl");
    assert!(cases.len() >= 200, "corpus too small: {}", cases.len());
    check_cases(&cases);
}

/// The project's own cases of what programs do with their arguments
/// (`commands-programs.jsonl`, always read from this repository).
#[test]
fn every_program_case_decides_as_expected() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus/commands-programs.jsonl");
    let text = std::fs::read_to_string(&path).expect("commands-programs.jsonl");
    let cases: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {e}: {l}")))
        .collect();
    assert!(cases.len() >= 50, "too few cases: {}", cases.len());
    check_cases(&cases);
}

/// Cases whose decision differs on Windows, by the path rules of
/// docs/filesystem.md (Platforms), with Windows' expectation:
/// - `prog-git-008`: `git diff HEAD~1` reads `HEAD~1` as a revision or a
///   path; as a path it has the form of an 8.3 short name, which Windows
///   refuses (it can alias another file), so the command is denied there.
const WINDOWS_DIFFERENCES: &[(&str, &str)] = &[("prog-git-008", "deny")];

fn check_cases(cases: &[Value]) {
    let fixture = Fixture::new();
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let command = case["command"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let engine = fixture.engine(&case["policy"]);
        let analysis = engine.analyze_command(command);
        if std::env::var_os("CORPUS_SHOW").is_some() {
            eprintln!(
                "{id}: {} {} {}",
                analysis.verdict, analysis.code, analysis.reason
            );
        }
        // Where Windows decides differently by its path rules, the case
        // must decide as listed there (and fails once it no longer does).
        let expected = match WINDOWS_DIFFERENCES.iter().find(|(i, _)| *i == id) {
            Some((_, windows)) if cfg!(windows) => *windows,
            _ => expected,
        };
        let ok = match expected {
            "allow" => analysis.verdict == "allow",
            "deny" => analysis.verdict != "allow",
            other => panic!("{id}: unknown expectation {other}"),
        };
        if !ok {
            failures.push(format!(
                "{id}: expected {expected}, got {} {} ({})\n    command: {:?}",
                analysis.verdict,
                analysis.code,
                analysis.reason,
                command.chars().take(120).collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Commands that write what git reads as configuration, runs, or follows to
/// another directory are refused, and a refused file operand names the
/// filesystem guard's own code, `PROTECTED_PATH`, as a file tool's write
/// does (`git_paths.jsonl`); the data git writes stays writable.
#[test]
fn git_indirection_writes_are_refused_as_the_file_guard_refuses_them() {
    let fixture = Fixture::new();
    for d in [
        ".git/objects/info",
        ".git/refs/heads",
        ".git/modules/lib",
        "vendor/lib",
    ] {
        std::fs::create_dir_all(fixture.workspace.join(d)).unwrap();
    }
    std::fs::write(fixture.workspace.join(".git/config"), "").unwrap();
    std::fs::write(
        fixture.workspace.join("vendor/lib/.git"),
        "gitdir: ../../.git/modules/lib\n",
    )
    .unwrap();
    let engine = fixture.engine(&json!({"mode": "blacklist", "blocked": []}));
    let refused = [
        ("printf x > .git/commondir", "PROTECTED_PATH"),
        ("cp evil .git/config", "PROTECTED_PATH"),
        ("cat evil >> .git/modules/lib/config", "PROTECTED_PATH"),
        (
            "echo ../../elsewhere/objects > .git/objects/info/alternates",
            "PROTECTED_PATH",
        ),
        ("tee .git/info/attributes < attrs", "PROTECTED_PATH"),
        ("cp run.sh .git/hooks/post-checkout", "PROTECTED_PATH"),
        (
            "mkdir -p .git/worktrees/w && printf /tmp/x > .git/worktrees/w/commondir",
            "PROTECTED_PATH",
        ),
        (
            "printf 'gitdir: /tmp/x' > vendor/lib/.git",
            "PROTECTED_PATH",
        ),
        ("mv payload sub/.git", "PROTECTED_PATH"),
        ("ln -s /tmp/elsewhere other/.git", "PROTECTED_PATH"),
        ("ln -s /tmp/evil.cfg .git/config", "PROTECTED_PATH"),
        ("rm -rf .git/hooks", "PROTECTED_PATH"),
        ("git config core.fsmonitor ./run.sh", "DANGEROUS_FLAG"),
        ("git config include.path ../evil.cfg", "DANGEROUS_FLAG"),
    ];
    let mut failures = Vec::new();
    for (command, code) in refused {
        let a = engine.analyze_command(command);
        let ok = match code {
            "PROTECTED_PATH" => {
                a.code == "FILE_ACCESS_DENIED" && a.reason.contains("(PROTECTED_PATH: ")
            }
            _ => a.code == code,
        };
        if a.verdict != "deny" || !ok {
            failures.push(format!(
                "{command}: expected deny {code}, got {} {} ({})",
                a.verdict, a.code, a.reason
            ));
        }
    }
    for command in [
        "printf x > .git/refs/heads/feature",
        "cp a .git/objects/info/commit-graph",
        "git status && git add src && git commit -m x && git checkout -b y && git diff",
    ] {
        let a = engine.analyze_command(command);
        if a.verdict != "allow" {
            failures.push(format!(
                "{command}: expected allow, got {} {} ({})",
                a.verdict, a.code, a.reason
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
