//! Unit tests of the git commands that take `HEAD`, the index or the working
//! tree to another revision's content (`git_revisions.rs`). The workspace is
//! a repository with a blocked `.env` (the analysis never reads what a
//! revision tracks; a branch may track `.env`).

use super::option_harness::{decide, guard, unrestricted};
use super::*;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

struct Fix {
    _dir: tempfile::TempDir,
    fs: FilesystemGuard,
}

fn fixture() -> Fix {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    for d in ["src", "sub", ".git/refs/heads"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(ws.join("a.txt"), "a\n").unwrap();
    std::fs::write(ws.join(".env"), "SECRET=1\n").unwrap();
    std::fs::write(ws.join(".git/config"), "").unwrap();
    std::fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(ws.join("src/main.rs"), "fn main() {}\n").unwrap();
    let policy = FilesystemPolicy {
        mode: FilesystemMode::Workspace,
        allowed_paths: vec!["./".into()],
        blocked_paths: vec!["~/.ssh".into(), "~/.aws".into(), ".env".into()],
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    let fs = FilesystemGuard::new(&policy, &ResourceLimits::default(), &ws, &home).unwrap();
    Fix { _dir: dir, fs }
}

fn judged(g: &CommandGuard, cmd: &str) -> (&'static str, &'static str, String) {
    let f = fixture();
    let a = g.analyze(cmd, &f.fs);
    (a.verdict, a.code, a.reason)
}

/// Moves to another revision: the blocked `.env` may become tracked (then
/// read by `git diff`, `git add -u`, `git commit -a`, `git stash`) or be
/// overwritten.
const MOVES: &[&str] = &[
    // The index (and HEAD) to a revision: `.env` becomes tracked.
    "git reset -q envbr && git diff",
    "git reset --mixed envbr && git diff -p",
    "git reset --soft envbr && git reset -q && git diff",
    "git reset -q -N envbr && git diff",
    "git reset envbr -- . && git diff",
    "git reset -q envbr . && git diff",
    "git reset -q HEAD~1 && git add -u",
    "git restore --staged --source=envbr . && git diff",
    "git restore -S -s envbr -- . && git diff",
    "git restore -Ss envbr . && git diff",
    "git restore -S --source envbr :/ && git diff",
    "git restore -S --source envbr '*' && git diff",
    "git fetch . envbr:main2 && git reset -q main2 && git diff",
    "git merge -s ours -m x envbr && git reset -q HEAD^2 && git diff",
    // The working tree to a revision: `.env` is overwritten.
    "git checkout envbr -- .",
    "git checkout -f envbr",
    "git checkout --force --detach envbr",
    "git checkout -fb x envbr",
    "git checkout -f -B main envbr",
    "git switch -f envbr",
    "git switch --discard-changes envbr",
    "git restore --source=envbr .",
    "git restore -s envbr -W -S .",
    "git reset --hard envbr",
    "git reset --keep envbr",
    // HEAD moved: its content is another revision's afterwards.
    "git symbolic-ref HEAD refs/heads/envbr && git checkout -f",
    "git symbolic-ref HEAD refs/heads/envbr && git reset --hard",
    "git update-ref refs/heads/main envbr && git checkout -f",
    "git fetch -u . envbr:main && git reset --hard",
    "git -C sub checkout envbr -- ..",
];

/// `HEAD`'s own content, the index, or pathspecs that reach no blocked
/// entry.
const STAYS: &[&str] = &[
    "git reset",
    "git reset -q",
    "git reset HEAD",
    "git reset --hard",
    "git reset --hard HEAD",
    "git reset -- a.txt",
    "git reset HEAD a.txt src",
    "git reset HEAD~1 -- src a.txt",
    "git reset -q envbr -- src/main.rs",
    "git restore a.txt",
    "git restore .",
    "git restore --staged .",
    "git restore -s HEAD~1 src/main.rs",
    "git restore --source=HEAD -S -W .",
    "git checkout -- .",
    "git checkout .",
    "git checkout HEAD -- .",
    "git checkout -f",
    "git checkout -b x",
    "git checkout HEAD~1 -- src 'src/*.rs'",
    "git switch -c y",
    // git refuses to overwrite the untracked `.env` without `-f`.
    "git checkout envbr",
    "git switch -c x envbr",
    "git merge --ff-only envbr",
    "git stash && git stash pop",
    "git stash",
    "git stash list",
    "git stash show -p",
    "git symbolic-ref HEAD",
    "git update-ref -d refs/heads/old",
    "git diff && git status",
];

#[test]
fn moves_to_another_revision_are_not_modelled_where_a_blocked_entry_is_in_the_tree() {
    let ask = unrestricted();
    let deny = guard(CommandMode::Whitelist, &["git"]);
    for c in MOVES {
        let (v, code, why) = judged(&ask, c);
        assert_eq!((v, code), ("ask", "UNMODELLED_OPERAND"), "{c}: {why}");
        assert_eq!(judged(&deny, c).0, "deny", "{c}");
    }
    for c in STAYS {
        let (v, _, why) = judged(&ask, c);
        assert_eq!(v, "allow", "{c}: {why}");
        assert_eq!(judged(&deny, c).0, "allow", "{c}: {why}");
    }
}

#[test]
fn moves_stay_allowed_where_no_blocked_entry_is_in_the_tree() {
    // The shared fixture blocks only entries of the home: no revision of
    // the workspace's repository can track one.
    let g = unrestricted();
    for c in [
        "git checkout main",
        "git switch feature",
        "git reset --hard origin/main",
        "git pull && git stash pop",
        "git restore -s HEAD~1 .",
    ] {
        assert_eq!(decide(&g, c).0, "allow", "{c}");
    }
}
