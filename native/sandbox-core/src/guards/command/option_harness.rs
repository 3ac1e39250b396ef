//! The fixture and guard builders the command validator's unit tests share:
//! a workspace with `src`, `sub` and `a.txt`, a home with `~/.ssh/id_rsa`,
//! and the workspace filesystem policy the corpus tests use. A test module
//! that needs more on disk adds it with [`fixture_with`].

use super::*;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

pub(super) struct Fixture {
    pub(super) dir: tempfile::TempDir,
    pub(super) fs: FilesystemGuard,
}

pub(super) fn fixture() -> Fixture {
    fixture_with(|_, _| {})
}

/// The shared fixture, with `extra(workspace, home)` run before the guard is
/// built (so that what it creates is there when the policy is resolved).
pub(super) fn fixture_with(extra: impl FnOnce(&std::path::Path, &std::path::Path)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    std::fs::create_dir_all(ws.join("src")).unwrap();
    std::fs::create_dir_all(ws.join("sub")).unwrap();
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/id_rsa"), "k\n").unwrap();
    std::fs::write(ws.join("a.txt"), "a\n").unwrap();
    std::fs::write(ws.join("src/main.rs"), "fn main() {}\n").unwrap();
    extra(&ws, &home);
    let policy = FilesystemPolicy {
        mode: FilesystemMode::Workspace,
        allowed_paths: vec!["./".into()],
        blocked_paths: vec!["~/.ssh".into(), "~/.aws".into(), "~/.gnupg".into()],
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    let fs = FilesystemGuard::new(&policy, &ResourceLimits::default(), &ws, &home).unwrap();
    Fixture { dir, fs }
}

pub(super) fn guard(mode: CommandMode, rules: &[&str]) -> CommandGuard {
    guard_with_sudo(mode, rules, false)
}

pub(super) fn guard_with_sudo(mode: CommandMode, rules: &[&str], allow_sudo: bool) -> CommandGuard {
    let rules: Vec<String> = rules.iter().map(|s| s.to_string()).collect();
    CommandGuard::new(&CommandPolicy {
        mode,
        allowed_commands: (mode == CommandMode::Whitelist).then(|| rules.clone()),
        blocked_commands: (mode == CommandMode::Blacklist).then(|| rules.clone()),
        allow_sudo,
    })
    .unwrap()
}

pub(super) fn decide(g: &CommandGuard, cmd: &str) -> (&'static str, &'static str) {
    let f = fixture();
    let home = f.dir.path().join("home");
    let cmd = cmd.replace("{HOME}", home.to_str().unwrap());
    let a = g.analyze(&cmd, &f.fs);
    (a.verdict, a.code)
}

pub(super) fn unrestricted() -> CommandGuard {
    guard(CommandMode::Unrestricted, &[])
}
