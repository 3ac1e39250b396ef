//! Unit tests of what the command validator makes of tools that walk
//! directory trees, of find's `{}` and of files of the project named by a
//! relative path: the blocked entries inside count. The fixture is a git
//! working tree with a blocked `.env`, a blocked directory `secrets/`, a
//! glob-blocked `*.pem`, and a home the policy allows that holds the
//! credential store `~/.ssh` and the blocked `~/.aws`.

use super::option_harness::guard;
use super::*;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

struct Fixture {
    _dir: tempfile::TempDir,
    fs: FilesystemGuard,
}

fn fixture(blocked: &[&str]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    for d in [
        "src",
        "sub/deep",
        ".git/hooks",
        "secrets",
        "sub/bare/objects",
    ] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    for d in [".ssh", ".aws", "notes"] {
        std::fs::create_dir_all(home.join(d)).unwrap();
    }
    for (f, text) in [
        ("ws/a.txt", "a\n"),
        ("ws/src/main.rs", "fn main() {}\n"),
        ("ws/Makefile", "all:\n"),
        ("ws/.env", "SECRET=1\n"),
        ("ws/.git/config", "[core]\n"),
        ("ws/.git/hooks/pre-commit.sample", "#!/bin/sh\n"),
        ("ws/sub/bare/HEAD", "ref: refs/heads/main\n"),
        ("ws/sub/bare/config", "[core]\n\tbare = true\n"),
        ("ws/secrets/token", "t\n"),
        ("ws/sub/deep/key.pem", "k\n"),
        ("home/.ssh/id_rsa", "k\n"),
        ("home/.aws/credentials", "c\n"),
        ("home/notes/n.txt", "n\n"),
    ] {
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    let policy = FilesystemPolicy {
        mode: FilesystemMode::Workspace,
        allowed_paths: vec!["./".into(), "~".into()],
        blocked_paths: blocked.iter().map(|s| s.to_string()).collect(),
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    let fs = FilesystemGuard::new(&policy, &ResourceLimits::default(), &ws, &home).unwrap();
    Fixture { _dir: dir, fs }
}

const BLOCKED: &[&str] = &[".env", "./secrets", "~/.aws", "**/*.pem"];

fn verdict(f: &Fixture, cmd: &str) -> (&'static str, String) {
    let a = guard(CommandMode::Unrestricted, &[]).analyze(cmd, &f.fs);
    (a.verdict, a.reason)
}

fn refused(cases: &[&str]) {
    let f = fixture(BLOCKED);
    for c in cases {
        let (v, why) = verdict(&f, c);
        assert_ne!(v, "allow", "{c}: {why}");
    }
}

fn allowed(cases: &[&str]) {
    let f = fixture(BLOCKED);
    for c in cases {
        let (v, why) = verdict(&f, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

#[test]
fn recursive_readers_read_the_blocked_entries_inside() {
    refused(&[
        "grep -r SECRET .",
        "grep -r SECRET",
        "grep -rl x src .",
        "grep --directories=recurse x .",
        "grep -d recurse x .",
        "egrep -r x",
        "rg --hidden x",
        "rg -uu x .",
        "rg x secrets/..",
        "cp -r . ../out",
        "cp -a . sub/copy",
        "cp -rT . sub/x",
        "tar czf sub/x.tgz .",
        "tar cf - -C sub/.. . | wc -c",
        "diff -rN sub .",
        "rsync -a ./ sub/copy/",
        "zip -ry x.zip .",
        "git add -A",
        "git add .",
        "git add ':/'",
        "cd sub && git add -A",
        "git stash -u",
        "git stash push --include-untracked",
        "git grep --untracked x",
        "git grep --no-index x",
        "git diff --no-index sub .",
        "python3 -m http.server",
        // The home holds ~/.ssh (a credential store) and ~/.aws (blocked).
        "grep -r x ~",
        "cp -r ~ sub/home",
        "tar czf sub/h.tgz -C ~ .",
        "ls -laR ~",
        "du -a ~",
        "git -C ~ grep --no-index x",
        "python3 -m http.server --directory ~",
        // A glob entry matches below: key.pem.
        "grep -r x sub",
        "cat $(find sub -name '*.pem')",
    ]);
}

#[test]
fn walks_that_do_not_reach_a_blocked_entry_stay_allowed() {
    allowed(&[
        "grep -rn TODO src",
        "grep x a.txt",
        // rg, ls -R and tree skip hidden names without their options.
        "rg TODO src",
        "ls -R ~",
        "tree src",
        "cp -r src sub/src2",
        "tar czf sub/x.tgz src a.txt",
        "diff -r src src",
        "git add src a.txt",
        "git add -u",
        "git stash",
        "git stash show -p",
        "git grep x",
        "find src -name '*.rs'",
        // A listing shows a blocked file's name, as `ls` does.
        "ls -aR src",
        "find . -maxdepth 1",
    ]);
}

#[test]
fn find_hands_blocked_entries_that_pass_its_tests_to_its_command() {
    refused(&[
        "find . -name .env -exec cat {} \\;",
        "find . -iname .ENV -exec cat {} +",
        "find . -maxdepth 1 -name '.env' -exec head {} \\;",
        "find . -name .env -exec cp {} out.txt \\;",
        "find . -name .env -delete",
        "find . -type f -name 'tok*' -exec cat {} \\;",
        "find ~ -name 'cred*' -exec cat {} \\;",
    ]);
    // find lists the blocked directory `secrets`: a file in it may be
    // called `x.rs`.
    refused(&["find . -name '*.rs' -exec wc -l {} +"]);
    // (A glob entry or a directory of blocked_paths that `ROOT/**` could
    // name refuses `{}` as before: these run with `.env` only.)
    let f = fixture(&[".env", "~/.aws"]);
    for c in [
        "find src -name '*.rs' -exec wc -l {} +",
        "find src -name '*.rs' -exec cat {} \\;",
        "find . -maxdepth 1 -name '*.txt' -exec cat {} \\;",
    ] {
        let (v, why) = verdict(&f, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

#[test]
fn project_files_named_inside_the_workspace_are_judged_by_the_policy() {
    refused(&[
        "make -f .env -p",
        "make --file=.env -n",
        "make -f a.txt -f ./.env",
        "make -C . -f .env",
        "./.env",
        "./secrets/token",
        "ninja -f .env",
        "ruby .env",
        "ctest --test-dir secrets",
    ]);
    allowed(&[
        "make -f Makefile",
        "make -f Makefile all",
        "ruby src/main.rb",
        "ninja -C build",
    ]);
}

#[test]
fn without_blocked_entries_in_the_tree_recursive_readers_stay_allowed() {
    let f = fixture(&["~/.aws"]);
    for c in [
        "grep -rn TODO .",
        "cp -r . sub/copy",
        "tar czf sub/x.tgz .",
        "git add -A",
        "rg --hidden x",
        "find . -name .env -exec cat {} \\;",
        "make -f .env",
    ] {
        let (v, why) = verdict(&f, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

#[test]
fn recursive_mode_and_owner_changes_reach_git_directories_below() {
    refused(&[
        "chmod -R 777 .",
        "chmod -R go+w src .",
        "chmod --recursive a+rwx .",
        "chmod -R --reference=a.txt .",
        "chmod o+w . -R",
        "chgrp -R nogroup .",
        "chown -R nobody:nobody .",
        "chmod -R a+w sub",
        "chmod -R u+x sub/deep",
    ]);
    allowed(&[
        "chmod -R go-w src",
        "chown -R nobody src",
        "chmod 644 a.txt",
    ]);
}

#[test]
fn find_changes_reach_git_directories_below() {
    refused(&[
        "find . -name '*.sample' -delete",
        "find . -iname '*.SAMPLE' -delete",
        "find . -name 'p*.sample' -exec rm {} +",
        "find . -name '*.sample' -exec sed -i 1d {} +",
        "find . -name pre-commit.sample -exec cp a.txt {} \\;",
        "find . -name config -exec truncate -s0 {} +",
        "find sub -name hooks -exec rm -rf {} +",
    ]);
    allowed(&["find src -name '*.o' -delete", "find .git -name '*.sample'"]);
}

#[test]
fn git_clean_deletes_the_blocked_entries_below() {
    refused(&[
        "git clean -f",
        "git clean -fdx",
        "git clean --force -q",
        "git clean -f -e a.txt",
        "git clean -f -- .",
        "git -C sub/.. clean -ffd",
    ]);
    allowed(&[
        "git clean -n",
        "git clean -fd src",
        "git clean --dry-run -dx",
    ]);
}

#[test]
fn find_ok_and_okdir_end_only_at_a_semicolon() {
    // GNU find ends `-ok`/`-okdir` only at `;`: a `{} +` is two words of
    // the command, and so is what follows up to the `;` (a `-maxdepth 0`
    // there is no depth limit of find's).
    refused(&[
        "find . -name '*.sample' -delete -ok echo {} + -maxdepth 0 -exec echo \\;",
        "find . -name '*.sample' -delete -okdir echo {} + -maxdepth 0 -exec echo \\;",
        "find . -name .env -ok cat -- {} + -maxdepth 0 -exec echo \\;",
        "find . -name .env -exec cat {} \\; -ok echo {} + -maxdepth 0 -exec echo \\;",
    ]);
    // `-exec`/`-execdir` still end at `{} +`.
    let f = fixture(&[".env", "~/.aws"]);
    for c in [
        "find src -name '*.rs' -exec wc -l {} + -maxdepth 1",
        "find . -maxdepth 1 -name '*.txt' -exec cat {} +",
    ] {
        let (v, why) = verdict(&f, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

#[test]
fn find_start_points_are_read_as_findutils_reads_them() {
    // A lone `-`, and `,` or `)` in start-point position, are file names;
    // `--` ends the leading options: the start points after them are
    // listed too.
    refused(&[
        "find - ~/.aws",
        "find - ~/.aws -name 'c*' -ls",
        "find -- ~/.aws",
        "find -D stat -- ~/.aws",
        "find -L -- ~/.aws",
        "find . , ~/.aws",
        "find , ~/.aws -name 'c*'",
        "find ')' ~/.aws",
        "find - ~/.aws -fls out.txt",
    ]);
    allowed(&[
        "find src -name '*.rs'",
        "find -- src -name '*.rs'",
        "find src sub -type f",
        "find -P src -type d",
    ]);
}

#[test]
fn git_pathspecs_that_bash_expands_are_judged_as_expanded() {
    // bash expands `.e*` to `.env` before git runs.
    refused(&[
        "git add .e*",
        "git add -f -- .en?",
        "git add ./.e*",
        "git add src/../.e*",
        "git add .[e]nv",
        "git update-index --add .e*",
        "git stash push -u .e*",
        "git stash -u -- .e*",
        "git clean -fx .e*",
        "git clean -f -x -- .en?",
    ]);
    allowed(&["git add src/*.rs", "git add Make*", "git add ./*.txt"]);
}

#[test]
fn git_mv_destinations_are_judged_like_mv() {
    refused(&[
        "git mv a.txt .git/hooks/pre-commit",
        "git mv a.txt .git/hooks/",
        "git mv -f a.txt .git/config",
        "git mv a.txt .git/info/attributes",
        "git mv -f a.txt .env",
        "git mv -k -- a.txt .env",
        "git -C src mv main.rs ../.git/hooks/pre-commit",
        "git -C src mv -f main.rs ../.env",
    ]);
    allowed(&[
        "git mv a.txt b.txt",
        "git mv src/main.rs sub/",
        "git mv -f a.txt src/a.txt",
    ]);
}

#[test]
fn git_worktree_add_into_a_git_directory_is_refused() {
    refused(&[
        "git worktree add .git/w main",
        "git worktree add -b x .git/hooks/w main",
        "git worktree add sub/inner/.git/w main",
        "git worktree add --detach src/.git/w HEAD",
    ]);
    allowed(&[
        "git worktree add w main",
        "git worktree add --detach sub/w HEAD",
    ]);
}

#[test]
fn find_start_points_read_from_a_file_are_not_known() {
    // GNU find's `-files0-from FILE` (`-`: standard input) takes its start
    // points from FILE, which the analysis does not read.
    let f = fixture(BLOCKED);
    std::fs::write(f.fs.host_path_of("list0").unwrap(), "x\0").unwrap();
    for c in [
        "find -files0-from list0",
        "find -files0-from list0 -name 'id_*' -ls",
        "find -files0-from - < list0",
        "find -files0-from list0 -fprint out.txt",
    ] {
        let (v, why) = verdict(&f, c);
        assert_ne!(v, "allow", "{c}: {why}");
    }
    let f = fixture(&[".env", "~/.aws"]);
    for c in ["find . -name '*.rs'", "find src -maxdepth 1 -print0"] {
        let (v, why) = verdict(&f, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

#[test]
fn diff_reads_the_top_level_of_a_directory_operand() {
    // Two directories: every same-named file at the top is compared, and
    // with -N a file only one side has is printed whole; `--rec` is
    // `--recursive`.
    refused(&[
        "diff -N sub .",
        "diff -N . sub",
        "diff --new-file src .",
        "diff -Nu -- src .",
        "diff --unidirectional-new-file src .",
        "diff --from-file=src -N .",
        "diff --to-file=src -N .",
        "diff src/main.rs .",
        "diff --rec -N src sub",
        "diff --recu -N src sub",
        "diff --rec --unidir src sub",
        "diff -N src secrets/..",
    ]);
    allowed(&[
        "diff -u a.txt src/main.rs",
        "diff -N src sub",
        "diff src/main.rs sub",
        "diff --to-file=a.txt src/main.rs",
        "diff --unified=3 a.txt Makefile",
    ]);
}

#[test]
fn a_nested_finds_command_end_that_depends_on_a_found_path_is_not_known() {
    // The outer find puts the path it found for `{}` (a start point named
    // `{}` stays `{}`): the nested find's `{} +` may then survive and end
    // its `-exec`, whose command runs.
    refused(&[
        "find '{}' -maxdepth 0 -ok find . -maxdepth 0 -exec id {} + \\; < a.txt",
        "find '{}' -ok find . -name .env -exec cat {} + \\; < a.txt",
        "find '{}' -ok env find . -maxdepth 0 -exec id {} + \\; < a.txt",
        "find '{}' -ok timeout 5 find . -exec rm {} + \\; < a.txt",
        "find ';' -ok find . -exec rm {} \\; \\;",
        "ls | xargs -I{} find {} -exec rm {} \\;",
    ]);
    let f = fixture(&[".env", "~/.aws"]);
    for c in [
        "find src -name '*.rs' -exec wc -l {} +",
        "find . -name '*.txt' -exec grep -l x {} \\;",
    ] {
        let (v, why) = verdict(&f, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}
