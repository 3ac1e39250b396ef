//! Unit tests of git's working tree and the directory it runs in:
//! `--work-tree DIR` writes below DIR, `-C DIR` moves every relative name
//! there, the programs git starts without naming them (editor, man, diff
//! tool, gpg), links a checkout or an extraction may make, and pathspecs
//! naming a blocked file. The workspace is a repository (`.git/hooks`,
//! `.git/config`) with a blocked `.env`.

use super::option_harness::{guard, unrestricted};
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
    for d in ["src", "sub", "tree", ".git/hooks"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/id_rsa"), "k\n").unwrap();
    std::fs::write(ws.join("a.txt"), "a\n").unwrap();
    std::fs::write(ws.join(".env"), "SECRET=1\n").unwrap();
    std::fs::write(ws.join(".git/config"), "").unwrap();
    std::fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(ws.join("src/main.rs"), "fn main() {}\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../.git/hooks", ws.join("tree/hk")).unwrap();
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
        assert_ne!(verdict_with(g, c).0, "allow", "{c}");
    }
}

fn allowed_by(g: &CommandGuard, cases: &[&str]) {
    for c in cases {
        let (v, why) = verdict_with(g, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

#[test]
fn work_tree_is_where_git_writes_the_checked_out_files() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git --work-tree=.git/hooks checkout HEAD -- pre-commit",
            "git --work-tree=.git checkout HEAD -- config",
            "git --work-tree .git reset --hard HEAD",
            "cd .git/hooks && git --work-tree=. reset --hard",
            "git --work-tree=.git/hooks restore --source=HEAD post-merge",
            "git --work-tree=.git stash pop",
            "git --work-tree ~ checkout HEAD -- .bashrc",
            "git --work-tree ~ add -f .ssh/id_rsa",
            "git --work-tree ~/ add -f .",
        ],
    );
    allowed_by(
        &g,
        &[
            "git --work-tree=. status",
            "git --git-dir=.git --work-tree=. diff",
            "git --work-tree=sub checkout HEAD -- a.txt",
        ],
    );
}

#[test]
fn git_dash_c_moves_every_relative_name() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git -C .git diff HEAD~1 --output=config",
            "git -C .git/hooks log -p --output=post-checkout",
            "git -C .git/hooks archive -o pre-commit HEAD",
            "git -C ~ diff --no-index .ssh/id_rsa /dev/null",
            "git -C sub -C ../.git diff --output=config",
            "git -C .git/hooks init",
            "git -C sub diff --no-index ../.env /dev/null",
            "git -C ~ config -f .ssh/id_rsa --list",
            "git init --bare sub/r && git -C sub -C r status",
            "git init --bare sub/r && git -C sub --git-dir=r status",
        ],
    );
    allowed_by(
        &g,
        &[
            "git -C sub status",
            "git -C src log --oneline -5",
            "git -C sub diff --output=out.txt",
            "git -C '' status",
            "git init --bare sub/r && git -C src status",
        ],
    );
}

#[test]
fn programs_git_starts_without_naming_them_are_judged() {
    let w = guard(CommandMode::Whitelist, &["git", "cat"]);
    refused_by(
        &w,
        &[
            "git tag -a v9",
            "git tag --annotate v9",
            "git tag -a -m x --edit v9",
            "git notes add",
            "git notes --ref x edit",
            "git branch --edit-description",
            "git merge -e topic",
            "git pull --edit",
            "git rebase --interactive HEAD~2",
            "git rebase --edit-todo",
            "git revert -e HEAD",
            "git cherry-pick --edit HEAD",
            "git commit --fixup=amend:HEAD",
            "git commit --fixup=reword:HEAD",
            // The value in the next word, abbreviated, quoted or computed.
            "git commit --fixup amend:HEAD",
            "git commit --fix reword:HEAD",
            "git commit -a --fixup 'amend:HEAD'",
            "x=amend:HEAD; git commit --fixup $x",
            "git pull --rebase=interactive",
            "git pull -r=i . main",
            "git pull -ri",
            "git add -p <<< e",
            "printf 'e\\n' | git checkout -p",
            "git stash push -p",
            "git help log",
            "git log --help",
            "git --help log",
            "git help -i log",
            "git help -w log",
            "git difftool -y HEAD",
            "git difftool -t vimdiff HEAD",
            "git shortlog --format=%GG",
            "git shortlog --format='%G?'",
        ],
    );
    allowed_by(
        &w,
        &[
            "git tag -a v9 -m x",
            "git tag -l",
            "git notes add -m x",
            "git notes list",
            "git merge --no-edit topic",
            "git log -p",
            "git stash show -p",
            "git commit -m x",
            "git commit --fixup=HEAD",
            "git commit --fixup HEAD~1",
            "git commit --fixup amend:HEAD --no-edit",
            "git help",
            "git rebase HEAD~2",
            "git shortlog -sn",
            "git pull -r . main",
            "git pull --rebase=merges . main",
        ],
    );
    let b = guard(CommandMode::Blacklist, &["vi", "vim"]);
    refused_by(
        &b,
        &[
            "git tag -a v9",
            "git difftool -y HEAD",
            "git rebase -i HEAD~2",
        ],
    );
    allowed_by(&b, &["git tag -a v9 -m x", "git help log"]);
}

#[cfg(unix)]
#[test]
fn links_a_checkout_or_an_extraction_makes_are_not_followed_blindly() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git checkout -- lnk && echo x > lnk/pre-commit",
            "git reset --hard && cp a.txt lnk/pre-commit",
            "git stash; echo x > lnk/pre-commit",
            "git switch -f main && echo x >> lnk/post-merge",
            "git archive HEAD lnk | tar x lnk && echo x > lnk/pre-commit",
            "git clone . cl && echo x > cl/lnk/pre-commit",
            "unzip a.zip && cat lnk/x",
            "tar -xf a.tar -C sub && echo x > sub/lnk/pre-commit",
            "cp -a tree t2 && echo x > t2/hk/pre-commit",
            "git checkout -- lnk && cd lnk && echo x > pre-commit",
            "git worktree add ../w && echo x > ../w/lnk/pre-commit",
        ],
    );
    allowed_by(
        &g,
        &[
            "git checkout -b topic",
            "git stash && git stash pop",
            "git status && cat a.txt",
            "git checkout -- a.txt && git diff",
            "cp -r src s2 && cat s2/main.rs",
            "git clone https://example.com/a/b x && cd x",
        ],
    );
}

#[cfg(unix)]
#[test]
fn renames_into_a_tree_git_checked_out_go_through_its_links() {
    // A working tree git writes (`worktree add`, `clone`, `--work-tree`,
    // `pull`) may hold a tracked link anywhere below it: a rename's
    // destination there is written through that link.
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git worktree add w evil && mv a.txt w/lnk/pre-commit",
            "git worktree add w evil; mv -f a.txt w/lnk/",
            "git worktree add w evil && mv -t w/lnk a.txt",
            "git worktree add w evil && mv a.txt src/main.rs w/lnk",
            "git worktree add w evil && mv -T a.txt w/lnk/pre-commit",
            "git worktree add --detach w evil && cd w && mv ../a.txt lnk/pre-commit",
            "git clone -q -b evil . w2 && mv a.txt w2/lnk/pre-commit",
            "git --work-tree=w checkout evil -- . && mv a.txt w/lnk/pre-commit",
            "git worktree add w evil && git mv a.txt w/lnk/pre-commit",
            "git worktree add w evil && cp -a w w4 && mv a.txt w4/lnk/pre-commit",
            "git worktree add w evil && mv w w5 && mv a.txt w5/lnk/pre-commit",
            "git worktree add w evil && git worktree move w w5 && mv a.txt w5/lnk/pre-commit",
        ],
    );
    allowed_by(
        &g,
        &[
            "git worktree add w evil && mv a.txt b.txt",
            "git worktree add w evil && mv a.txt w",
            "mv a.txt src/",
        ],
    );
}

#[test]
fn pathspecs_naming_a_blocked_file_are_judged() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git add -f .env && git show :.env",
            "git add .env && git diff --cached",
            "git add -N .env",
            "git update-index --add .env",
            "git stash push -u -- .env",
            "git grep --untracked SECRET -- .env",
            "git add '*.env'",
            "git add ':(glob)*.env'",
            "git -C sub add ../.env",
            "git checkout -- .env",
            "git add .",
            "git --work-tree=sub add -f ../",
            "git stash push -u -- .",
        ],
    );
    allowed_by(
        &g,
        &[
            "git add src/main.rs",
            "git add -f a.txt",
            "git grep -n 'TODO.*x'",
            "git commit -m .env",
            "git add 'src/*.rs'",
            "git log -- .env",
            "git add src",
            "git checkout -- .",
        ],
    );
}

#[test]
fn paths_read_from_standard_input_or_a_file_are_not_modelled() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git add --pathspec-from-file=- <<< .env",
            "git add --pathspec-from-file /dev/stdin < list",
            "git add --pathspec-from-f=- < list",
            "git update-index --add --stdin < list",
            "git update-index --add --std < list",
            "git update-index --index-info < list",
            "git ls-files -o | git update-index --add --stdin",
            "git -C sub add --pathspec-from-file=- < list",
            "git reset --pathspec-from-file=list",
            "git checkout-index --stdin < list",
            "git hash-object --stdin-paths < list",
        ],
    );
    allowed_by(
        &g,
        &[
            "git add src/main.rs",
            "git update-index --refresh",
            "git hash-object --stdin < a.txt",
            "git add -- --stdin",
        ],
    );
}

#[test]
fn case_insensitive_pathspecs_are_not_modelled() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git --icase-pathspecs add .ENV",
            "git --icase-pathspecs add -f -- .Env",
            "git -C sub --icase-pathspecs add ../.ENV",
            "git --icase-pathspecs stash push -u -- .ENV",
            "git --icase-pathspecs clean -f .ENV",
            "git --icase-pathspecs grep --untracked SECRET -- .ENV",
        ],
    );
    allowed_by(
        &g,
        &[
            "git --literal-pathspecs add src/main.rs",
            "git add src/main.rs",
        ],
    );
}

#[test]
fn abbreviated_long_options_of_git_subcommands_are_resolved() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git grep --untra SECRET",
            "git grep -l --untrac SECRET",
            "git grep --no-ind SECRET",
            "git add --al",
            "git add --a",
            "git stash push --include-u",
            "git stash --include-untr",
            "git clean --forc",
            "git clean --fo -d",
        ],
    );
    allowed_by(
        &g,
        &[
            "git commit --no-verify -m x",
            "git grep --no-color TODO",
            "git log --stat",
            "git stash push --keep-index -- src",
            "git commit --amend --no-edit",
            "git merge --ff-only origin/main",
        ],
    );
}

/// The fixture plus what earlier commands can leave: `pre/config` (a
/// directory holding only a config), `sub/hl` (a second name of
/// `.git/config`), a `Makefile` and a patch.
fn fixture_more() -> Fix {
    let f = fixture();
    let ws = f.fs.host_path_of(".").unwrap();
    std::fs::create_dir_all(ws.join("pre")).unwrap();
    std::fs::write(ws.join("pre/config"), "[core]\n").unwrap();
    std::fs::write(ws.join("Makefile"), "all:\n").unwrap();
    std::fs::write(ws.join("x.patch"), "").unwrap();
    std::fs::hard_link(ws.join(".git/config"), ws.join("sub/hl")).unwrap();
    f
}

fn judged_more(g: &CommandGuard, refused: &[&str], allowed: &[&str]) {
    let f = fixture_more();
    for c in refused {
        assert_ne!(g.analyze(c, &f.fs).verdict, "allow", "{c}");
    }
    for c in allowed {
        let a = g.analyze(c, &f.fs);
        assert_eq!(a.verdict, "allow", "{c}: {}", a.reason);
    }
}

#[test]
fn a_git_directory_made_over_written_configuration_or_hooks_is_refused() {
    judged_more(
        &unrestricted(),
        &[
            // Written first, made a git directory after (same command).
            "printf '[core]\\n' > n/config && mkdir -p n/objects n/refs && echo 'ref: refs/heads/main' > n/HEAD",
            "echo x > n/config; git init -q --bare n",
            "mkdir -p z/hooks; cp a.txt z/hooks/pre-receive; git init --bare z",
            "echo x > g/hooks/post-checkout && git init --separate-git-dir=g w",
            "echo x > d/config && git --git-dir=d init",
            "cp -r src z && git init --bare z",
            // Written by an earlier command.
            "git init --bare pre",
            "mkdir pre/objects pre/refs && echo 'ref: refs/heads/main' > pre/HEAD",
            // A repository the command made, reached by a push or a fetch.
            "git init -q --bare z && git push z HEAD",
            "git init -q --bare z && git push file://$PWD/z HEAD",
            "git init -q --bare z && git fetch ./z",
            "git init -q --bare z && git remote add z z && git push z",
            "git init -q --bare z && git push origin HEAD",
        ],
        &[
            "git init -q --bare z",
            "mkdir -p z/objects z/refs && echo 'ref: refs/heads/main' > z/HEAD",
            "echo x > pre/config",
            "git init -q --bare z && git push https://example.com/r.git HEAD",
            "git push origin HEAD",
            "git fetch",
        ],
    );
}

#[test]
fn index_entries_naming_a_blocked_file_are_judged() {
    judged_more(
        &unrestricted(),
        &[
            "git update-index --add --cacheinfo 100644,0f8dd648ecd6088332c18e535374dded01a5d7d4,.env",
            "git update-index --add --cacheinfo=100644,0f8dd648ecd6088332c18e535374dded01a5d7d4,.env",
            "git update-index --add --cache=100644,0f8dd648ecd6088332c18e535374dded01a5d7d4,.env",
            "git -C sub update-index --cacheinfo 100644,0f8dd648ecd6088332c18e535374dded01a5d7d4,../.env",
            "git apply --cached x.patch && git checkout -- .",
            "git apply --index x.patch",
        ],
        &[
            "git update-index --add --cacheinfo 100644,0f8dd648ecd6088332c18e535374dded01a5d7d4,src/x.rs",
            "git update-index --chmod=+x src/main.rs",
        ],
    );
}

#[test]
fn a_build_after_git_wrote_the_working_tree_is_not_modelled() {
    judged_more(
        &unrestricted(),
        &[
            "git stash pop && make",
            "git stash apply; make all",
            "git checkout -- Makefile && make",
            "git checkout HEAD~1 && make",
            "git checkout -b x origin/main && make",
            "git switch -c y HEAD~2 && cargo build",
            "git reset --hard HEAD@{1} && npm test",
            "git merge feature && make",
            "git restore . && ./build.sh",
            "git cherry-pick abc1234 && bash build.sh",
            "git pull && make",
        ],
        &[
            "git checkout -b feature/x && make",
            "git switch -c y && make",
            "git stash && git stash pop",
            "git stash list && make",
            "git add src && make",
            "git commit -qm x && make",
            "git restore --staged a.txt && make",
            "make && git stash pop",
        ],
    );
}

#[test]
fn a_build_in_a_new_working_tree_is_not_modelled() {
    // `git clone` and `git worktree add` check a commit the command chose
    // out into a new directory: a build there runs files the analysis did
    // not see.
    judged_more(
        &unrestricted(),
        &[
            "git worktree add w feature && make -C w",
            "git worktree add w feature && (cd w && make)",
            "git worktree add -B x w feature; make -C w",
            "git worktree add --detach w6 HEAD~3 && cd w6 && ./build.sh",
            "git clone -q -b feature . w3 && make -C w3",
            "git clone --single-branch -b feature . w3 && cargo build --manifest-path w3/Cargo.toml",
            "git clone -b feature --depth 1 ./sub w3 && make -C w3",
        ],
        &[
            "git worktree list && make",
            "git worktree prune && make",
            "git worktree add --no-checkout w feature && make",
            "git clone --no-checkout . w3 && make",
            "git clone --bare . w3.git && make",
        ],
    );
}

#[test]
fn writes_into_git_run_state_are_refused() {
    // `git rebase --skip`/`--continue` run the `exec` lines of the todo
    // list in `.git/rebase-merge`: a write there is a program git runs.
    judged_more(
        &unrestricted(),
        &[
            "cp -r src .git/rebase-merge && git rebase --skip",
            "cp -r src .git/rebase-merge",
            "mv src .git/rebase-merge; git rebase --continue",
            "mkdir .git/rebase-merge && cp src/* .git/rebase-merge/ && git rebase --ski",
            "cp -r src/. .git/rebase-merge/ && git -C sub rebase --continue",
            "echo 'exec make' > .git/rebase-merge/git-rebase-todo",
            "cp -r src .git/rebase-apply",
            "tee .git/sequencer/todo < a.txt && git cherry-pick --continue",
            // In a git directory the command makes, before or after.
            "mkdir -p g/objects g/refs && echo x > g/HEAD && cp -r src g/rebase-merge",
            "cp -r src d/rebase-merge && git init -q --bare d",
        ],
        &[
            "mkdir -p g/objects g/refs && echo x > g/HEAD && rm -rf g/rebase-merge",
            "git rebase --skip",
            "git rebase --abort",
            "rm -rf .git/rebase-merge",
            "cat .git/rebase-merge/git-rebase-todo",
        ],
    );
}

#[test]
fn abbreviated_reset_modes_write_the_working_tree() {
    // git takes a unique prefix of a long option: `--ha` is `--hard`.
    judged_more(
        &unrestricted(),
        &[
            "git reset --ha feature && make",
            "git reset --har feature && make",
            "git reset feature --ke && make",
            "git reset -q feature --mer && make",
            "git reset --no-refresh --me feature; make",
            "git reset --soft feature && git reset --ha && make -C .",
            // Ambiguous (`--merge`, `--mixed`): git refuses it, the
            // analysis does not model it.
            "git reset --m feature",
            // HEAD or the index moved to another revision, which may track
            // the blocked `.env` (`git_revisions.rs`).
            "git reset --soft HEAD~1 && make",
            "git reset --so HEAD~1 && make",
            "git reset --mi HEAD~1 && make",
        ],
        &[
            "git reset --so HEAD && make",
            "git reset --mi -- a.txt && make",
            "git reset -q HEAD a.txt && make",
        ],
    );
}

#[cfg(unix)]
#[test]
fn writes_through_a_second_name_of_a_file_are_refused() {
    judged_more(
        &unrestricted(),
        &[
            "echo x >> sub/hl",
            "cp a.txt sub/hl",
            "sed -i 1d sub/hl",
            "truncate -s0 sub/hl",
            "tee -a sub/hl < a.txt",
            "find . -name hl -exec cp a.txt {} \\;",
            "find sub -type f -exec sed -i 1d {} +",
            "chmod -R o+w sub",
        ],
        &[
            "echo x >> a.txt",
            "cp a.txt sub/b.txt",
            "cat sub/hl",
            "rm sub/hl",
            "mv sub/hl sub/hl2",
            "chmod -R o+w src",
        ],
    );
}

#[test]
fn cargo_help_for_a_subcommand_runs_man() {
    let w = guard(CommandMode::Whitelist, &["cargo"]);
    refused_by(
        &w,
        &[
            "cargo help build",
            "cargo help run",
            "cargo help -v build",
            "cargo help help",
            "cargo +nightly help install",
            "cargo --color never help b",
            "cargo help \"$SUB\"",
            "cargo help fmt",
        ],
    );
    allowed_by(
        &w,
        &[
            "cargo help",
            "cargo build --help",
            "cargo build",
            "cargo test -- help",
            "cargo run -- help build",
        ],
    );
    let b = guard(CommandMode::Blacklist, &["man"]);
    refused_by(&b, &["cargo help build"]);
    allowed_by(&b, &["cargo build --release"]);
}

#[test]
fn git_dash_c_walks_start_where_git_runs() {
    let g = unrestricted();
    // Pathspecs that leave the directory, and the top-of-tree magic.
    refused_by(
        &g,
        &[
            "git -C src clean -fx ..",
            "git -Csrc clean -fxd ../",
            "git -C src clean -fx :/",
            "git -C src clean -fx -- ':(top)'",
            "git -C src clean -f -x ':/*env'",
            "git -C src/ clean -f ':(top,glob)*'",
        ],
    );
    // Whole-tree operations without a pathspec.
    refused_by(
        &g,
        &[
            "git -C src stash -u",
            "git -C ./src stash --all",
            "git -C src stash push -a",
            "git -C src stash save -u",
            "git -C src add -A",
            "git -Csrc add --all",
            "git -C src add --no-ignore-removal",
            "git -C src add -A && git -C src commit -m x",
        ],
    );
    // Top-of-tree pathspecs name the file outright.
    refused_by(
        &g,
        &[
            "git -C src add ':/.env'",
            "git -C src add ':(top).env'",
            "git -C src add -- ':/.e*'",
            "git -C src add :/",
            "git -C src add -f ':(top)'",
            "git -C src stash push -u -- ':/.env'",
            "git -C src grep --untracked SECRET -- :/",
            "git -C src grep --no-index SECRET :/",
            "git -C sub -C ../src add ':/!x'",
            "git -C src add ':(glob)../*.env'",
            "git -C src clean -f ':(glob)../*'",
            "git -C src add ':!main.rs'",
            "git -C src stash push -u -- ':(exclude)x'",
        ],
    );
    allowed_by(
        &g,
        &[
            "git -C src add main.rs",
            "git -C src add .",
            "git -C src add -A .",
            "git -C src stash -u -- main.rs",
            "git -C src clean -fx",
            "git -C src clean -n ..",
            "git -C src grep --untracked fn",
            "git -C src add ':(glob)*.rs'",
            "git -C src stash",
            "git -C src add -u",
            "git -C sub status",
        ],
    );
}

#[test]
fn top_magic_is_read_as_git_reads_it() {
    use super::git_model::top_magic;
    for spec in [
        ":/",
        ":/.env",
        ":(top)",
        ":(top).env",
        ":(glob,top)*",
        ":!/x",
        ":^/x",
    ] {
        assert!(top_magic(spec), "{spec}");
    }
    for spec in [":(glob)*", ":!x", ":(exclude)top", "x", "./:/", ":x/"] {
        assert!(!top_magic(spec), "{spec}");
    }
    use super::git_model::magic_leaves_cwd;
    for spec in [":/x", ":!x", ":^x", ":(exclude)x", ":(glob)../*"] {
        assert!(magic_leaves_cwd(spec), "{spec}");
    }
    for spec in [":(glob)*.rs", ":(literal)a", "x", "../x"] {
        assert!(!magic_leaves_cwd(spec), "{spec}");
    }
}

/// The fixture with a second repository `s2` (with a hook) and a plain
/// tree `plain`, as sources to copy from.
fn copy_verdict(g: &CommandGuard, cmd: &str) -> (&'static str, String) {
    let f = fixture();
    let ws = f._dir.path().join("ws");
    for d in [
        "s2/.git/hooks",
        "s2/src",
        "plain/src",
        "nest/sub/.git/hooks",
        "deep/nest/sub/.git",
    ] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    for (p, text) in [
        ("s2/.git/config", "[core]\n"),
        ("s2/.git/HEAD", "ref: refs/heads/main\n"),
        ("s2/.git/hooks/pre-commit", "#!/bin/sh\n"),
        ("s2/src/main.rs", "fn main() {}\n"),
        ("plain/src/lib.rs", "\n"),
        ("plain/b.txt", "b\n"),
        ("nest/sub/.git/config", ""),
        ("nest/sub/.git/hooks/post-checkout", ""),
        ("deep/nest/sub/.git/config", ""),
    ] {
        std::fs::write(ws.join(p), text).unwrap();
    }
    // A tree with a link to a repository's git directory.
    std::fs::create_dir_all(ws.join("lk")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../s2/.git", ws.join("lk/.git")).unwrap();
    let a = g.analyze(cmd, &f.fs);
    (a.verdict, a.reason)
}

#[cfg(unix)]
#[test]
fn copies_that_follow_links_reach_the_git_directory_they_lead_to() {
    let g = unrestricted();
    for cmd in [
        "cp -rL lk/. .",
        "cp -r --dereference lk/. .",
        "rsync -rk lk/ .",
    ] {
        let (v, why) = copy_verdict(&g, cmd);
        assert_eq!(v, "deny", "{cmd}: {why}");
    }
    // Without -L the link is copied as a link (cp refuses to put it over
    // the directory).
    for cmd in ["cp -r lk/. .", "rsync -a lk/ ."] {
        let (v, why) = copy_verdict(&g, cmd);
        assert_eq!(v, "allow", "{cmd}: {why}");
    }
}

#[test]
fn copying_a_tree_with_a_git_directory_over_one_is_a_write_to_it() {
    let g = unrestricted();
    for cmd in [
        "cp -rT s2 .",
        "cp -Tr s2 ./",
        "cp -R -T s2 .",
        "cp --recursive --no-target-directory s2 .",
        "cp -rT -- s2 .",
        "cp -r s2/. .",
        "cp -a s2/. ./",
        "cp -rfu s2/. .",
        "cp -r s2/.[a-z]* .",
        "cp -r s2/* s2/.[!.]* .",
        "cp -rT s2 src/..",
        "cp -rT s2 tree/hk/../..",
        "rsync -a s2/ .",
        "cp -rT nest/sub .",
        "cp -r deep/. . && mkdir -p x",
        "cp -r s2/.git .",
        "cd s2 && cp -r . ..",
    ] {
        let (v, why) = copy_verdict(&g, cmd);
        assert_eq!(v, "deny", "{cmd}: {why}");
    }
    // A repository the command makes, copied over the workspace.
    for cmd in [
        "git init -q s10 && cp -rT s10 .",
        "git init -q s10; git -C s10 config user.name x; cp -r s10/. .",
        "git clone -q . s11 && cp -r s11/. .",
        "git clone -q . s11 && rsync -a s11/ .",
        "cd plain && git init -q && cd .. && cp -rT plain .",
    ] {
        let (v, why) = copy_verdict(&g, cmd);
        assert_eq!(v, "ask", "{cmd}: {why}");
    }
    for cmd in [
        "cp -r s2 backup",
        "cp -rT s2 backup",
        "cp -r s2 src",
        "cp -r plain/. .",
        "cp -rT plain .",
        "cp -a src/. plain/src",
        "rsync -a plain/ .",
        "rsync -a s2 backup/",
        "cp -r nest/. .",
        "cp -rT nest/sub sub",
        "git init -q s10 && cp -r s10 backup",
        "git init -q s10 && cp -r src/. s10",
        "mv plain/b.txt src/",
    ] {
        let (v, why) = copy_verdict(&g, cmd);
        assert_eq!(v, "allow", "{cmd}: {why}");
    }
}

#[test]
fn git_apply_writes_the_files_its_patch_names() {
    // The patch (a file, a here-document, a pipe, `-`) names the files git
    // writes, deletes or reads to match: with a blocked entry in the
    // working tree they may be it.
    judged_more(
        &unrestricted(),
        &[
            "git apply < x.patch",
            "cat x.patch | git apply",
            "git apply - < x.patch",
            "git apply /dev/stdin < x.patch",
            "git apply -R < x.patch",
            "git apply --3way < x.patch",
            "git apply --check < x.patch",
            "git apply --stat --apply < x.patch",
            "git apply --stat --ap < x.patch",
            "git apply --cached x.patch && git checkout -- .",
            "git apply x.patch",
            "git -C sub apply < ../x.patch",
        ],
        &[
            "git apply --stat < x.patch",
            "git apply --numstat --summary x.patch",
        ],
    );
}

#[test]
fn files_git_and_tar_open_through_options_and_modes_are_judged() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            // format-patch appends the signature file to every patch.
            "git format-patch --signature-file .env -1 --stdout",
            "git format-patch --signature-file=./.env -o out HEAD~1",
            "git format-patch --signature-file ~/.ssh/id_rsa -1 --stdout",
            // The bundle file is opened to read its signature line.
            "git bundle verify .env",
            "git bundle list-heads ~/.ssh/id_rsa",
            "git bundle unbundle -- .env",
            // A local path is opened as a repository, a bundle or a gitfile.
            "git ls-remote ./.env",
            "git ls-remote -o x ~/.ssh/id_rsa",
            // tar -d reads the file on disk of each member it compares.
            "tar -df t.tar .env",
            "tar --diff -f t.tar -C ~ .ssh",
            "tar --compare -f t.tar",
            "tar dvf t.tar",
            "tar -C ~ -df t.tar",
            "tar -d -C ~ < t.tar",
            "tar --concatenate -f t.tar .env",
        ],
    );
    allowed_by(
        &g,
        &[
            "git format-patch -1 --stdout",
            "git format-patch --signature-file sig.txt -1 --stdout",
            "git bundle verify repo.bundle",
            "git bundle list-heads repo.bundle",
            "git ls-remote origin",
            "git ls-remote https://example.com/r",
            "git ls-remote ./sub",
            "tar -df t.tar a.txt",
            "tar -df t.tar -C src",
            "tar -tf t.tar",
        ],
    );
}

#[test]
fn committed_copies_of_blocked_files_are_reads_of_them() {
    let g = unrestricted();
    refused_by(
        &g,
        &[
            "git show HEAD:.env",
            "git show :.env",
            "git show :2:.env",
            "git show HEAD:./.env",
            "git show HEAD:sub/../.env",
            "git -C sub show HEAD:.env",
            "git -C sub show HEAD:../.env",
            "git --work-tree=tree show HEAD:.env",
            "git cat-file -p HEAD:.env",
            "git cat-file blob 'main@{12:00}:.env'",
            "git diff HEAD:.env HEAD~1:.env",
            "git grep -e x HEAD:.env",
            "git tag t HEAD:.env",
            "git log -p -- .env",
            "git log -u .env",
            "git log -S SECRET -- .env",
            "git log -L 1,2:.env",
            "git log -L:f:.env",
            "git show HEAD -- .env",
            "git archive HEAD .env",
            "git archive --add-file=.env HEAD",
            "git format-patch -1 --stdout -- .env",
            "git whatchanged -p -- .env",
            "git log -p -- '*.env'",
            "git log -p -- ':(top).env'",
            "git log -p -- ':!src'",
            "git show -- .",
            "git cat-file --batch",
            "git log -p --stdin",
            "git show \"$rev\"",
        ],
    );
    // Exact verdicts: a named blocked file is refused; a pattern asks.
    let (v, why) = verdict_with(&g, "git show HEAD:.env");
    assert_eq!(v, "deny", "{why}");
    assert!(why.contains("committed copy"), "{why}");
    assert_eq!(verdict_with(&g, "git log -p -- '*.env'").0, "ask");
    allowed_by(
        &g,
        &[
            "git show HEAD",
            "git show HEAD:src/main.rs",
            "git show HEAD:",
            "git show --stat HEAD~2",
            "git log -p",
            "git log -p -1",
            "git log -- .env",
            "git log --oneline -- src",
            "git log -p -3 -- src",
            "git diff",
            "git diff HEAD~1 -- src",
            "git grep TODO",
            "git grep -n 'a:.env'",
            "git archive -o build/x.tar HEAD src",
            "git commit -m 'fix: .env handling'",
            "git push origin HEAD:main",
            "git fetch origin main:main",
        ],
    );
}
