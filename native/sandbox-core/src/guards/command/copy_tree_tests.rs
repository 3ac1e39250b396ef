//! Unit tests of what copies, archives and git commands write below a
//! directory: a recursive copy writes the destination joined with every
//! path its source holds (`cp -rT s .` over `.env`), `cp --parents` and
//! `rsync -R` the whole source path, tar's `-C` applies in order, a new
//! repository inside a git directory is refused, and the git commands
//! that start the editor run it. The workspace is a repository with a
//! blocked `.env`, a tree `s` holding an `.env` of its own, and a bare
//! repository `r3`.

use super::option_harness::guard;
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
    for d in [
        "src",
        "sub",
        "s/deep",
        "hooks",
        "g2/.git/hooks",
        ".git/hooks",
        "r3/objects",
        "r3/refs",
        "r3/hooks",
    ] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    for (f, text) in [
        ("a.txt", "a\n"),
        (".env", "SECRET=1\n"),
        (".git/config", ""),
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("r3/HEAD", "ref: refs/heads/main\n"),
        ("s/.env", "X=1\n"),
        ("s/ok.txt", "ok\n"),
        ("s/deep/x.txt", "x\n"),
        ("src/main.rs", "fn main() {}\n"),
        ("hooks/pre-commit", "#!/bin/sh\n"),
        ("g2/.git/hooks/post-checkout", "#!/bin/sh\n"),
    ] {
        std::fs::write(ws.join(f), text).unwrap();
    }
    std::fs::write(home.join(".ssh/id_rsa"), "k\n").unwrap();
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

fn verdict_with(g: &CommandGuard, cmd: &str) -> (&'static str, String) {
    let f = fixture();
    let a = g.analyze(cmd, &f.fs);
    (a.verdict, a.reason)
}

fn refused_by(g: &CommandGuard, cases: &[&str]) {
    for c in cases {
        let (v, why) = verdict_with(g, c);
        assert_ne!(v, "allow", "{c}: {why}");
    }
}

fn allowed_by(g: &CommandGuard, cases: &[&str]) {
    for c in cases {
        let (v, why) = verdict_with(g, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

fn blacklist() -> CommandGuard {
    guard(CommandMode::Blacklist, &["vi", "rm"])
}

#[test]
fn tree_merges_write_every_path_of_the_source() {
    let g = blacklist();
    refused_by(
        &g,
        &[
            "cp -rT s .",
            "cp -r s/. .",
            "cp -a s/. ./",
            "rsync -a s/ .",
            "cp -R s/* s/.[!.]* .",
            "cd sub && cp -a ../s/. ..",
            "cp -r g2/. .",
            // Not known: made earlier in the line, or computed.
            "mkdir t && echo A=1 > t/.env && cp -r t/. .",
            "cp -r \"$S\"/. .",
            // A single file copied into a directory.
            "cp s/.env .",
            "cp -t . s/.env",
            // The remote copy's ssh reads the blocked ~/.ssh keys.
            "rsync -a s/ host:dir/",
        ],
    );
    allowed_by(
        &g,
        &[
            "cp -r s/. sub/",
            "cp -r s sub",
            "cp -r s/ .",
            "cp -a src/. build/",
            "rsync -a s/ sub/",
            "cp s/ok.txt .",
            "cp -r s/deep/. .",
        ],
    );
}

#[test]
fn copies_with_parents_write_the_whole_source_path() {
    let g = blacklist();
    refused_by(
        &g,
        &[
            "cp --parents .git/config sub",
            "cp --parent .git/config src",
            "cp --parents -r .git/hooks sub/",
            "rsync -R .git/config sub/",
            "rsync --relative ./.git/config src/",
            "cp --parents hooks/pre-commit r3",
        ],
    );
    allowed_by(
        &g,
        &[
            "cp --parents s/ok.txt sub",
            "cp --parents -r s/deep sub",
            "rsync -R s/./deep/x.txt sub/",
        ],
    );
}

#[test]
fn tar_directories_apply_in_order() {
    let g = blacklist();
    refused_by(
        &g,
        &[
            "tar -xf a.tar -C .git -C hooks",
            "tar -x -f a.tar --directory=.git --directory=hooks",
            "tar -xf a.tar -C src -C ../.git",
            "tar -xf a.tar -C .git hooks/pre-commit -C src main.rs",
            "tar -cf a.tar -C ~ .ssh -C src main.rs",
            "tar -C sub -cf a.tar -C .. .env",
        ],
    );
    allowed_by(
        &g,
        &[
            "tar -cf a.tar -C src main.rs -C ../sub .",
            // A member that is a directory in the archive would bring
            // names below it: only `--no-recursion` pins the one name.
            "tar -C src -xf a.tar --no-recursion main.rs -C ../sub",
            "tar -cf a.tar -C sub . -C ../src main.rs",
        ],
    );
}

#[test]
fn new_repositories_inside_a_git_directory_are_refused() {
    let g = blacklist();
    refused_by(
        &g,
        &[
            "git init .git/modules/m",
            "git init --bare .git/modules/m",
            "git clone https://github.com/a/b .git/modules/b",
            "git clone https://github.com/a/b r3/modules/z",
            "git submodule add https://github.com/a/b .git/x",
            "git submodule add -b main https://github.com/a/b r3/y",
            "git worktree add .git/hooks/w",
        ],
    );
    allowed_by(
        &g,
        &[
            "git init sub/new",
            "git clone https://github.com/a/b sub/b",
            "git submodule add https://github.com/a/b vendor/b",
        ],
    );
}

#[test]
fn git_commands_that_start_the_editor_run_it() {
    let g = blacklist();
    refused_by(
        &g,
        &[
            "git cherry-pick --continue",
            "git cherry-pick --cont",
            "git revert --continue",
            "git -C sub revert --continue",
            "git am --continue",
            "git am --res",
            "git am -i x.patch",
            "git revert HEAD",
            "git merge topic",
            "git pull origin main",
            "git config --edit",
            "git config edit",
            "git commit",
            "git tag -a v1",
        ],
    );
    allowed_by(
        &g,
        &[
            "git cherry-pick HEAD~1",
            "git cherry-pick --abort",
            "git revert --no-edit HEAD",
            "git revert -n HEAD",
            "git revert --abort",
            "git merge --no-edit topic",
            "git merge --ff-only topic",
            "git merge -m msg topic",
            "git merge --abort",
            "git pull --ff-only",
            "git pull --rebase",
            "git commit -m msg",
        ],
    );
}
