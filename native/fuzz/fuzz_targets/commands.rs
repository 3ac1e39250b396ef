//! Any text given to the command validator yields a decision, never a panic
//! or a stack overflow, within the limits:
//! - the verdict is `allow` exactly when there is no finding;
//! - spans lie inside the input, the work counters inside the limits;
//! - the analysis serializes to JSON;
//! - under a whitelist, an allowed command runs only allowed programs (every
//!   effective command has a literal, allowed name);
//! - the same text as an `allowed_commands` rule compiles or is refused with
//!   `InvalidPolicy`, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sandbox_core::guards::command::limits::{parse_budget, MAX_DEPTH, MAX_NODES, MAX_SIMPLE_COMMANDS};
use sandbox_core::guards::command::CommandGuard;
use sandbox_core::policy::{CommandMode, CommandPolicy};
use sandbox_core::{Engine, ErrorCode};

const ALLOWED: &[&str] = &["echo", "cat", "ls", "grep", "git status", "npm test"];

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let ws: PathBuf = dir.path().join("ws");
        let home: PathBuf = dir.path().join("home");
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        let allowed: Vec<String> = ALLOWED.iter().map(|s| format!("{s:?}")).collect();
        let policy = format!(
            r#"{{"version":"1.0","name":"fuzz",
              "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true}},
              "network":{{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false}},
              "commands":{{"mode":"whitelist","allowed_commands":[{}],"allow_sudo":false}},"limits":{{}}}}"#,
            allowed.join(",")
        );
        let engine = Engine::from_json(&policy, &ws, &home).expect("fixed policy compiles");
        Fixture { _dir: dir, engine }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let a = fixture().engine.analyze_command(text);
    assert!(matches!(a.verdict, "allow" | "ask" | "deny"));
    assert_eq!(a.verdict == "allow", a.findings.is_empty(), "{}", a.to_json());
    for f in &a.findings {
        assert!(f.span[0] <= f.span[1] && f.span[1] <= text.len(), "{f:?}");
    }
    for c in &a.commands {
        assert!(c.span[0] <= c.span[1] && c.span[1] <= text.len(), "{c:?}");
        assert!(c.depth <= MAX_DEPTH);
    }
    let s = &a.stats;
    assert!(s.max_depth <= MAX_DEPTH);
    assert!(s.nodes <= MAX_NODES + 1);
    assert!(s.simple_commands <= MAX_SIMPLE_COMMANDS + 1);
    assert!(s.parsed_bytes <= parse_budget(text.len()) + text.len(), "{s:?}");
    let json: serde_json::Value = serde_json::from_str(&a.to_json()).expect("analysis is JSON");
    assert_eq!(json["verdict"], a.verdict);
    if a.verdict == "allow" {
        // (A command of only assignments and redirections runs no program.)
        for c in a.commands.iter().filter(|c| !c.argv.is_empty()) {
            let name = c.argv.first().cloned().flatten().unwrap_or_default();
            let base = name.rsplit('/').next().unwrap_or_default();
            assert!(
                ALLOWED.iter().any(|r| r.split(' ').next() == Some(base)),
                "allowed {text:?} but it runs {:?}",
                c.argv
            );
        }
    }

    let rule = CommandGuard::new(&CommandPolicy {
        mode: CommandMode::Whitelist,
        allowed_commands: Some(vec![text.to_string()]),
        blocked_commands: None,
        allow_sudo: false,
    });
    if let Err(e) = rule {
        assert_eq!(e.code, ErrorCode::InvalidPolicy);
        assert!(e.message.starts_with("commands.allowed_commands[0]"), "{}", e.message);
    }
});
