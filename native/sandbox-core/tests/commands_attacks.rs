//! Inputs found by attacking the command validator: each is a command that
//! bash would turn into a deletion, a secret read, a write to git or shell
//! start-up files, an unlisted command or a blocked tool, under a preset or
//! one of the policies `testdata/policies/attack-*.json` (the `attack-env-*`
//! ones also block the workspace's `.env`).
//! `testdata/corpus/commands-attacks.jsonl` keeps them all:
//! - `status: "closed"`: the rule behind it is fixed; the case must never be
//!   allowed again (this test fails if it is);
//! - `status: "open"`: not fixed yet; the test counts them and fails when
//!   one is closed without its status saying so, so the file stays honest.
//!
//! `{HOME}` and `{WS}` in a command stand for the fixture home and workspace.

use std::path::{Path, PathBuf};

use sandbox_core::Engine;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn policy_text(name: &str) -> String {
    let file = match name {
        "workspace" | "strict" | "permissive" => {
            repo().join("policies").join(format!("{name}.json"))
        }
        other => repo()
            .join("testdata/policies")
            .join(format!("{other}.json")),
    };
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn attack_inputs_are_never_allowed_once_closed() {
    let root = tempfile::tempdir().unwrap();
    let ws = root.path().join("ws");
    let home = root.path().join("home");
    for d in ["src", "docs", "build", "sub", ".git/hooks", ".git/info"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    for d in [".ssh", ".aws", ".gnupg", "x"] {
        std::fs::create_dir_all(home.join(d)).unwrap();
    }
    for f in [
        "a.txt",
        ".env",
        "Makefile",
        "x.patch",
        ".git/config",
        ".git/description",
        ".git/hooks/pre-commit.sample",
    ] {
        std::fs::write(ws.join(f), "x\n").unwrap();
    }
    for f in [".ssh/id_rsa", ".aws/credentials", ".bashrc", ".netrc"] {
        std::fs::write(home.join(f), "secret\n").unwrap();
    }
    // Links an agent can make or a clone can bring: to the home, to rm, to nc.
    #[cfg(unix)]
    for (link, target) in [
        ("h", home.clone()),
        ("r", PathBuf::from("/bin/rm")),
        ("n", PathBuf::from("/usr/bin/nc")),
    ] {
        std::os::unix::fs::symlink(target, ws.join(link)).unwrap();
    }
    std::fs::write(ws.join("x.sh"), "cd ~\n").unwrap();
    // A second name of the repository's configuration, as a clone of a tree
    // with hard links or an earlier command can leave one.
    std::fs::hard_link(ws.join(".git/config"), ws.join("sub/hlcfg")).unwrap();
    // A bare repository in the workspace: git takes it for a repository
    // whatever its name is.
    for d in ["r3/objects", "r3/refs/heads", "r3/hooks"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::write(ws.join("r3/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(ws.join("r3/config"), "[core]\n\tbare = true\n").unwrap();
    // A directory holding only a config, as an earlier command can leave
    // it: not a git directory until HEAD, objects/ and refs/ are there.
    std::fs::create_dir_all(ws.join("sub/e")).unwrap();
    std::fs::write(ws.join("sub/e/config"), "[core]\n").unwrap();
    let mut engines: Vec<(String, Engine)> = Vec::new();
    let text =
        std::fs::read_to_string(repo().join("testdata/corpus/commands-attacks.jsonl")).unwrap();
    let (mut closed, mut open, mut wrong, mut stale) = (0, 0, Vec::new(), Vec::new());
    let mut needs_links: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["policy"].as_str().unwrap().to_string();
        if !engines.iter().any(|(n, _)| *n == name) {
            let e =
                Engine::from_json(&policy_text(&name), Path::new(&ws), Path::new(&home)).unwrap();
            engines.push((name.clone(), e));
        }
        let engine = &engines.iter().find(|(n, _)| *n == name).unwrap().1;
        let command = fill(
            &fill(
                case["command"].as_str().unwrap(),
                "{HOME}",
                &shell_path(&home),
            ),
            "{WS}",
            &shell_path(&ws),
        );
        let verdict = engine.analyze_command(&command).verdict;
        let id = case["id"].as_str().unwrap();
        // Open where the name means another file (Linux, macOS), closed on
        // Windows, whose path rules refuse the alias (docs/filesystem.md).
        let status = match case["status"].as_str() {
            Some("open")
                if cfg!(windows)
                    && case["why"]
                        .as_str()
                        .is_some_and(|w| w.starts_with("windows-name-alias")) =>
            {
                Some("closed")
            }
            s => s,
        };
        match status {
            Some("closed") => {
                closed += 1;
                if verdict == "allow" {
                    let why = case["why"].as_str().unwrap_or_default();
                    if cfg!(not(unix)) && (why.contains("link") || through_links(&command)) {
                        // The attack goes through the links h, r or n,
                        // which this platform's fixture cannot make.
                        needs_links.push(id.to_string());
                    } else {
                        wrong.push(format!("{id} ({name}): {command:?} — {why}"));
                    }
                }
            }
            _ => {
                open += 1;
                if verdict != "allow" {
                    stale.push(id.to_string());
                }
            }
        }
    }
    eprintln!("attack inputs: {closed} closed, {open} open");
    if !needs_links.is_empty() {
        // Said, not hidden: on Unix every one of them must be refused.
        eprintln!(
            "{} closed attack inputs go through symbolic links, which this platform's fixture has not: not judged here: {}",
            needs_links.len(),
            needs_links.join(", ")
        );
    }
    assert!(
        wrong.is_empty(),
        "closed attack inputs allowed again:\n{}",
        wrong.join("\n")
    );
    assert!(
        stale.is_empty(),
        "these open attack inputs are no longer allowed: mark them \"status\": \"closed\": {}",
        stale.join(", ")
    );
}

/// Whether a command names the fixture's links: `h` (to the home), `r` (to
/// rm), `n` (to nc), as a word, an option's value or a path's component.
fn through_links(command: &str) -> bool {
    let b = command.as_bytes();
    let name_char = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.');
    let in_path = command
        .match_indices("h/")
        .any(|(i, _)| i == 0 || !name_char(b[i - 1]));
    let as_word = command
        .split(|c: char| c.is_whitespace() || ";|&'\"".contains(c))
        .any(|w| matches!(w, "h" | "./h" | "r" | "./r" | "n" | "./n") || w.ends_with("=h"));
    in_path || as_word
}

/// A fixture path as a command spells it: on Windows with `/` (both
/// separate there), since bash reads `\` as an escape.
fn shell_path(p: &Path) -> String {
    let text = p.to_str().unwrap();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.to_string()
    }
}

/// Replaces `key` with `value`, except where `key` is the tail of a
/// parameter expansion (`${HOME}` stays as it is).
fn fill(text: &str, key: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i]);
        // `${HOME}` is the variable; a whole word `{HOME}` right before
        // `<` or `>` is bash's redirection that stores a descriptor number
        // in HOME, not the placeholder.
        let before = &rest[..i];
        let redirection = (before.is_empty() || before.ends_with([' ', ';', '&', '|']))
            && rest[i + key.len()..].starts_with(['<', '>']);
        if before.ends_with('$') || redirection {
            out.push_str(key);
        } else {
            out.push_str(value);
        }
        rest = &rest[i + key.len()..];
    }
    out.push_str(rest);
    out
}
