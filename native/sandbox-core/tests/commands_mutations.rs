//! Mutations of corpus commands with the constructs that programs read
//! differently from a naive reading: an abbreviated long option, clustered
//! short options, an inserted wrapper, an operand computed at run time, a
//! program name in another case. Properties:
//! - a command the validator refuses (deny or ask) stays refused under
//!   every mutation: none of them adds a model that makes it safe;
//! - a wrapper the analysis does not model, or an unknown option of one it
//!   does, inserted in front of any command is never allowed;
//! - a file operand made computed is never allowed.

mod common;

use std::path::Path;

use proptest::prelude::*;
use sandbox_core::Engine;
use serde_json::{json, Value};

struct Cases {
    _root: tempfile::TempDir,
    ws: std::path::PathBuf,
    home: std::path::PathBuf,
    refused: Vec<(String, Value)>,
    allowed: Vec<(String, Value)>,
}

fn engine(ws: &Path, home: &Path, commands: &Value) -> Engine {
    let mut section = json!({
        "mode": commands["mode"].as_str().unwrap_or("unrestricted"),
        "allow_sudo": commands["allow_sudo"].as_bool().unwrap_or(false)
    });
    if let Some(a) = commands.get("allowed") {
        section["allowed_commands"] = a.clone();
    }
    if let Some(b) = commands.get("blocked") {
        section["blocked_commands"] = b.clone();
    }
    let policy = json!({
        "version": "1.0", "name": "mutations",
        "filesystem": {"mode": "workspace", "allowed_paths": ["./"],
            "blocked_paths": ["~/.ssh", "~/.aws", "~/.gnupg"],
            "allow_symlinks": true, "allow_hidden_files": true},
        "network": {"enabled": false, "allow_localhost": false, "allow_https": true, "allow_http": false},
        "commands": section, "limits": {}
    });
    Engine::from_json(&policy.to_string(), ws, home).expect("policy")
}

fn cases() -> &'static Cases {
    static CASES: std::sync::OnceLock<Cases> = std::sync::OnceLock::new();
    CASES.get_or_init(load)
}

fn load() -> Cases {
    let root = tempfile::tempdir().unwrap();
    let ws = root.path().join("ws");
    let home = root.path().join("home");
    for d in [ws.join("src"), ws.join(".git/hooks"), home.join(".ssh")] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(ws.join("README.md"), "x\n").unwrap();
    let own =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus/commands-programs.jsonl");
    let mut all: Vec<Value> = common::corpus("commands.jsonl");
    all.extend(
        std::fs::read_to_string(own)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap()),
    );
    let mut refused = Vec::new();
    let mut allowed = Vec::new();
    for c in all {
        let cmd = c["command"].as_str().unwrap().to_string();
        let policy = c["policy"].clone();
        let a = engine(&ws, &home, &policy).analyze_command(&cmd);
        // A command refused for its size alone may be shortened into a
        // harmless one by a mutation.
        if a.code == "COMMAND_TOO_COMPLEX" {
            continue;
        }
        if a.verdict == "allow" {
            allowed.push((cmd, policy));
        } else {
            refused.push((cmd, policy));
        }
    }
    Cases {
        _root: root,
        ws,
        home,
        refused,
        allowed,
    }
}

fn plain(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./~=-:,+@%".contains(c))
}

/// One mutation of `cmd`; `None` when it does not apply.
fn mutate(cmd: &str, kind: u8, pick: usize, len: usize) -> Option<String> {
    let mut words: Vec<String> = cmd.split(' ').map(str::to_string).collect();
    match kind {
        // Abbreviate a long option.
        0 => {
            let cands: Vec<usize> = (0..words.len())
                .filter(|&i| {
                    words[i].starts_with("--")
                        && plain(&words[i])
                        && words[i].split('=').next().unwrap().len() > 4
                })
                .collect();
            let i = *cands.get(pick % cands.len().max(1))?;
            let (name, value) = match words[i].split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (words[i].clone(), None),
            };
            let keep = 3 + len % (name.len() - 3);
            let short = &name[..keep];
            // A prefix that is itself an exact option is that option, not
            // an abbreviation (`--checkpoint` of `--checkpoint-action`).
            const EXACT: &[&str] = &[
                "--checkpoint",
                "--exec",
                "--output",
                "--file",
                "--pre",
                "--config",
                "--data",
            ];
            if EXACT.contains(&short) {
                return None;
            }
            words[i] = match value {
                Some(v) => format!("{short}={v}"),
                None => short.to_string(),
            };
        }
        // Cluster two single-letter short options.
        1 => {
            let cands: Vec<usize> = (0..words.len().saturating_sub(1))
                .filter(|&i| {
                    let a = &words[i];
                    let b = &words[i + 1];
                    a.len() == 2
                        && b.len() == 2
                        && a.starts_with('-')
                        && b.starts_with('-')
                        && a != "--"
                        && b != "--"
                })
                .collect();
            let i = *cands.get(pick % cands.len().max(1))?;
            let merged = format!("{}{}", words[i], &words[i + 1][1..]);
            words.splice(i..i + 2, [merged]);
        }
        // A wrapper in front.
        2 => {
            let w = WRAPPERS[pick % WRAPPERS.len()];
            return Some(format!("{w} {cmd}"));
        }
        // An operand computed at run time.
        3 => {
            let cands: Vec<usize> = (1..words.len())
                .filter(|&i| plain(&words[i]) && !words[i].starts_with('-'))
                .collect();
            let i = *cands.get(pick % cands.len().max(1))?;
            words[i] = if len.is_multiple_of(2) {
                "\"$V\"".to_string()
            } else {
                format!("${{V:-{}}}", words[i])
            };
        }
        // The program name in upper case.
        _ => {
            // Keywords and builtins are case-sensitive words of bash, not
            // files: in upper case they name no program at all.
            const SHELL_WORDS: &[&str] = &[
                "coproc",
                "time",
                "eval",
                "exec",
                "source",
                ".",
                "command",
                "builtin",
                "trap",
                "alias",
                "export",
                "declare",
                "typeset",
                "local",
                "readonly",
                "cd",
                "pushd",
                "popd",
                "set",
                "shopt",
                "enable",
                "hash",
                "mapfile",
                "readarray",
                "read",
                "type",
                "function",
                "if",
                "for",
                "while",
                "until",
                "case",
                "select",
                "let",
                "unset",
            ];
            if !plain(&words[0]) || SHELL_WORDS.contains(&words[0].as_str()) {
                return None;
            }
            words[0] = words[0].to_ascii_uppercase();
        }
    }
    Some(words.join(" "))
}

/// Wrappers whose argv the analysis does not model, or modelled wrappers
/// with an option it does not know.
const WRAPPERS: &[&str] = &[
    "prlimit --nofile=64",
    "setarch x86_64",
    "eatmydata",
    "numactl --all",
    "nice --frobnicate",
    "timeout --bogus 5",
    "env -S 'x\\_y'",
    "env -C /",
    "/lib64/ld-linux-x86-64.so.2",
    "perf stat",
    "entr -r",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn refused_commands_stay_refused(i in 0usize..10_000, kind in 0u8..5, pick in 0usize..64, len in 0usize..64) {
        let c = cases();
        let (cmd, policy) = &c.refused[i % c.refused.len()];
        if let Some(m) = mutate(cmd, kind, pick, len) {
            let a = engine(&c.ws, &c.home, policy).analyze_command(&m);
            prop_assert!(a.verdict != "allow", "{cmd:?} is refused but its mutation {m:?} is allowed");
        }
    }

    #[test]
    fn unmodelled_wrappers_are_never_allowed(i in 0usize..10_000, pick in 0usize..64) {
        let c = cases();
        let (cmd, policy) = &c.allowed[i % c.allowed.len()];
        let m = mutate(cmd, 2, pick, 0).unwrap();
        let a = engine(&c.ws, &c.home, policy).analyze_command(&m);
        prop_assert!(a.verdict != "allow", "{m:?} is allowed");
    }
}

#[test]
fn computed_file_operands_are_never_allowed() {
    let c = cases();
    let tools = [
        "cat ",
        "head ",
        "tail ",
        "grep x ",
        "sed -n p ",
        "wc ",
        "cp README.md ",
        "rm ",
        "tee ",
        "ls ",
    ];
    for t in tools {
        for v in ["\"$V\"", "$V", "${V:-x}", "$PWD/..", "~root/x", "$(echo x)"] {
            let cmd = format!("{t}{v}");
            let a = engine(&c.ws, &c.home, &json!({"mode": "unrestricted"})).analyze_command(&cmd);
            assert_ne!(a.verdict, "allow", "{cmd:?} is allowed");
        }
    }
    assert!(c.refused.len() > 200 && c.allowed.len() > 30);
}
