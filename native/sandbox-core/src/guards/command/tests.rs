//! Unit tests of the command validator as a whole.

use super::*;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};
use std::path::Path;

fn fs() -> FilesystemGuard {
    let policy = FilesystemPolicy {
        mode: FilesystemMode::Workspace,
        allowed_paths: vec![],
        blocked_paths: vec!["~/.ssh".into(), "~/.aws".into(), "~/.gnupg".into()],
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    FilesystemGuard::new(
        &policy,
        &ResourceLimits::default(),
        Path::new("/ws"),
        Path::new("/home/u"),
    )
    .unwrap()
}

fn guard(mode: CommandMode, rules: &[&str], allow_sudo: bool) -> CommandGuard {
    let rules: Vec<String> = rules.iter().map(|s| s.to_string()).collect();
    let policy = CommandPolicy {
        mode,
        allowed_commands: (mode == CommandMode::Whitelist).then(|| rules.clone()),
        blocked_commands: (mode == CommandMode::Blacklist).then(|| rules.clone()),
        allow_sudo,
    };
    CommandGuard::new(&policy).unwrap()
}

fn verdict(g: &CommandGuard, cmd: &str) -> &'static str {
    g.analyze(cmd, &fs()).verdict
}

#[test]
fn basic_whitelist() {
    let g = guard(CommandMode::Whitelist, &["git status", "ls", "echo"], false);
    assert_eq!(verdict(&g, "git status"), "allow");
    assert_eq!(verdict(&g, "git status; rm -rf ~"), "deny");
    assert_eq!(verdict(&g, "echo $(ls)"), "allow");
    assert_eq!(verdict(&g, "echo $(rm x)"), "deny");
}
