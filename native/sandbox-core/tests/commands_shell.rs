//! The shell-language model: the project's own golden cases
//! (`testdata/corpus/commands-shell.jsonl`), everyday developer commands
//! under the WORKSPACE preset (`testdata/corpus/everyday-commands.jsonl`,
//! how many are allowed), and a property: wrapping a dangerous payload in
//! shell constructs around an allowed command never yields `allow`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sandbox_core::Engine;
use serde_json::{json, Value};

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus")
}

fn lines(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(testdata().join(name)).expect("corpus file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

struct Fixture {
    _root: tempfile::TempDir,
    workspace: PathBuf,
    home: PathBuf,
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
        for f in [
            "src/main.rs",
            "README.md",
            "Makefile",
            "notes.txt",
            "task.sh",
        ] {
            std::fs::write(workspace.join(f), "x\n").unwrap();
        }
        std::fs::write(home.join(".ssh/id_rsa"), "secret\n").unwrap();
        Fixture {
            _root: root,
            workspace,
            home,
        }
    }

    fn engine(&self, policy: &str) -> Engine {
        Engine::from_json(policy, Path::new(&self.workspace), Path::new(&self.home))
            .expect("policy")
    }

    fn preset(&self) -> Engine {
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json"),
        )
        .expect("workspace preset");
        self.engine(&text)
    }

    fn for_case(&self, commands: &Value) -> Engine {
        let mut section = json!({ "mode": commands["mode"], "allow_sudo": false });
        if let Some(a) = commands.get("allowed") {
            section["allowed_commands"] = a.clone();
        }
        if let Some(b) = commands.get("blocked") {
            section["blocked_commands"] = b.clone();
        }
        let policy = json!({
            "version": "1.0",
            "name": "shell-corpus",
            "filesystem": {
                "mode": "workspace",
                "allowed_paths": ["./"],
                "blocked_paths": ["~/.ssh", "~/.aws", "~/.gnupg"],
                "allow_symlinks": true,
                "allow_hidden_files": true
            },
            "network": { "enabled": false, "allow_localhost": false, "allow_https": true, "allow_http": false },
            "commands": section,
            "limits": {}
        });
        self.engine(&policy.to_string())
    }
}

#[test]
fn shell_language_cases_decide_as_expected() {
    let fixture = Fixture::new();
    let cases = lines("commands-shell.jsonl");
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let command = case["command"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let a = fixture.for_case(&case["policy"]).analyze_command(command);
        let ok = match expected {
            "allow" => a.verdict == "allow",
            _ => a.verdict != "allow",
        };
        if !ok {
            failures.push(format!(
                "{id}: expected {expected}, got {} {} ({})",
                a.verdict, a.code, a.reason
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

/// Everyday commands under the WORKSPACE preset: the share allowed is the
/// precision of the model; it must stay high.
#[test]
fn everyday_commands_stay_allowed() {
    let fixture = Fixture::new();
    let engine = fixture.preset();
    let commands: Vec<String> = lines("everyday-commands.jsonl")
        .into_iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(commands.len() >= 100);
    let refused: Vec<String> = commands
        .iter()
        .filter_map(|c| {
            let a = engine.analyze_command(c);
            (a.verdict != "allow").then(|| format!("{} {}: {c:?}", a.verdict, a.code))
        })
        .collect();
    let allowed = commands.len() - refused.len();
    println!(
        "everyday commands allowed: {allowed} of {}\n{}",
        commands.len(),
        refused.join("\n")
    );
    assert!(
        allowed * 100 >= commands.len() * 95,
        "only {allowed} of {} everyday commands allowed:\n{}",
        commands.len(),
        refused.join("\n")
    );
}

/// Allowed commands the property starts from.
const BASES: &[&str] = &[
    "git status",
    "ls -la src",
    "cat README.md",
    "grep -rn TODO src",
    "cargo build",
    "cd src && ls",
    "echo done",
    "for f in src/*.rs; do wc -l \"$f\"; done",
    "npm test > build/test.log 2>&1",
];

/// Dangerous payloads written with the shell constructs the model covers;
/// each alone is refused or asked.
const PAYLOADS: &[&str] = &[
    "{rm,-rf,~}",
    "echo `echo \"\\$(rm -rf ~)\"`",
    "cat {~,}/.ssh/id_rsa",
    "cd ~/.ssh && cat id_rsa",
    "cd ~/.ss''h; cat id_rsa",
    "eval 'cd ~/.ssh'; cat id_rsa",
    "v=$(cat notes.txt); (( v ))",
    "unset 'a[$(rm -rf ~)]'",
    "source /dev/fd/3 3<<< 'rm -rf ~'",
    "shopt -s expand_aliases",
    "trap 'cd ~/.ssh' DEBUG; cat id_rsa",
    "cd \"$(echo ~)\"/.ssh; cat id_rsa",
    "sh - < task.sh",
    "declare -n r=PATH",
    "for PATH in /tmp; do ls; done",
];

/// Ways to combine a base command `B` and a payload `P`.
const FRAMES: &[&str] = &[
    "B; P",
    "P; B",
    "B && P",
    "B || P",
    "if true; then P; fi; B",
    "{ P; }; B",
    "B; { P; } > build/x.log",
    "while false; do B; done; P",
    "case x in x) P ;; esac; B",
    "B\nP",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_dangerous_payload_in_any_frame_is_never_allowed(
        base in prop::sample::select(BASES),
        payload in prop::sample::select(PAYLOADS),
        frame in prop::sample::select(FRAMES),
    ) {
        thread_local! {
            static FIXTURE: Fixture = Fixture::new();
        }
        let command = frame.replace('B', "\u{0}").replace('P', payload).replace('\u{0}', base);
        let verdict = FIXTURE.with(|f| f.preset().analyze_command(&command).verdict);
        prop_assert_ne!(verdict, "allow", "{:?}", command);
    }
}

#[test]
fn every_base_alone_is_allowed_and_every_payload_alone_is_not() {
    let fixture = Fixture::new();
    let engine = fixture.preset();
    for b in BASES {
        assert_eq!(engine.analyze_command(b).verdict, "allow", "{b}");
    }
    for p in PAYLOADS {
        assert_ne!(engine.analyze_command(p).verdict, "allow", "{p}");
    }
}
