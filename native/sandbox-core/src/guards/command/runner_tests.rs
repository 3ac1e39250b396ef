//! Files that runners and build tools name from the files they read:
//! `go build`'s executable named after the package, pip requirement files,
//! `git config --includes` files. Judged under the workspace preset, on a
//! fixture whose files hold the names.

use crate::Engine;
use std::path::{Path, PathBuf};

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
}

fn fixture(files: &[(&str, &str)]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    for d in [".git/hooks", "src", "cmd/pre-commit", "mod"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(home.join(".aws/credentials"), "secret\n").unwrap();
    std::fs::write(ws.join(".git/config"), "[core]\n").unwrap();
    std::fs::write(ws.join("src/a.txt"), "a\n").unwrap();
    let home_text = home.to_str().unwrap().to_string();
    for (name, text) in files {
        let p = ws.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text.replace("{HOME}", &home_text)).unwrap();
    }
    let policy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json");
    let text = std::fs::read_to_string(policy).unwrap();
    let engine = Engine::from_json(&text, Path::new(&ws), Path::new(&home)).unwrap();
    Fixture { _dir: dir, engine }
}

impl Fixture {
    fn verdict(&self, cmd: &str) -> &'static str {
        self.engine.analyze_command(cmd).verdict
    }
}

#[test]
fn go_build_output_is_named_after_the_package() {
    let f = fixture(&[
        ("cmd/pre-commit/main.go", "package main\nfunc main() {}\n"),
        (
            "mod/go.mod",
            "module example.com/tools/pre-push\n\ngo 1.22\n",
        ),
        ("mod/main.go", "package main\nfunc main() {}\n"),
    ]);
    for cmd in [
        "cd .git/hooks && go build ../../cmd/pre-commit",
        "cd .git/hooks && go build ../../cmd/pre-commit/main.go",
        // A module root's executable takes the module path's last element.
        "cd .git/hooks && go build ../../mod",
        "cd mod && go build -C ../.git/hooks ../../mod",
        // `...` matching the one main package.
        "cd .git/hooks && go build ../../cmd/...",
        "cd .git && go build ../src/config.go",
    ] {
        assert_ne!(f.verdict(cmd), "allow", "{cmd}");
    }
    for cmd in [
        "go build ./cmd/pre-commit",
        "go build ./...",
        "go build -o bin/pc ./cmd/pre-commit",
        "cd mod && go build",
        "go build ./cmd/pre-commit ./mod",
    ] {
        assert_eq!(f.verdict(cmd), "allow", "{cmd}");
    }
}

#[test]
fn pip_requirement_files_are_read_and_judged() {
    let f = fixture(&[
        ("src/req.txt", "requests==2.0\n-e {HOME}/pkg\n"),
        ("src/outer.txt", "flask\n-r inner.txt\n"),
        ("src/inner.txt", "./../../home/pkg\n"),
        ("src/url.txt", "x @ file:///etc\n"),
        ("src/var.txt", "-e ${PKG}/x\n"),
        ("src/opt.txt", "--find-links /tmp\n"),
        (
            "requirements.txt",
            "requests==2.31.0 \\\n    --hash=sha256:abc\nnumpy>=1; python_version >= \"3.8\"\n-e .\n-r src/dev.txt\n# c\n",
        ),
        ("src/dev.txt", "pytest  # tests\n-c ../constraints.txt\n"),
        ("constraints.txt", "pytest<9\n"),
    ]);
    for cmd in [
        "pip install -r src/req.txt",
        "pip install -c src/req.txt x",
        "python3 -m pip install -r src/req.txt",
        "pip download --requirement=src/outer.txt -d dl",
        "pip install -r src/url.txt",
        "pip install -r src/var.txt",
        "pip install -r src/opt.txt",
    ] {
        assert_ne!(f.verdict(cmd), "allow", "{cmd}");
    }
    for cmd in [
        "pip install -r requirements.txt",
        "cd src && pip install -r ../requirements.txt",
        "pip install -r missing.txt",
    ] {
        assert_eq!(f.verdict(cmd), "allow", "{cmd}");
    }
}

#[test]
fn git_config_includes_in_named_files_are_not_followed_blindly() {
    let f = fixture(&[
        ("src/x.cfg", "[include]\n\tpath = {HOME}/.aws/credentials\n"),
        (
            "src/w.cfg",
            "[includeIf \"gitdir:/\"]\n\tpath = ../.git/config\n",
        ),
        ("src/plain.cfg", "[user]\n\tname = x\n"),
    ]);
    for cmd in [
        "git config --includes -f src/x.cfg --list",
        "git config --includes --file=src/w.cfg --get-regexp .",
        "cd src && git config --includes -f x.cfg -l",
        "git -C src config list --includes -f x.cfg",
        "git config -f src/x.cfg --no-includes --includes -l",
    ] {
        assert_ne!(f.verdict(cmd), "allow", "{cmd}");
    }
    for cmd in [
        "git config -f src/x.cfg -l",
        "git config --includes -f src/x.cfg --no-includes -l",
        "git config --includes -f src/plain.cfg -l",
        "git config --includes -f src/missing.cfg -l",
    ] {
        assert_eq!(f.verdict(cmd), "allow", "{cmd}");
    }
}

#[test]
fn less_tags_name_the_file_less_opens() {
    let f = fixture(&[
        (
            "tags",
            "!_TAG_FILE_FORMAT\t2\nmain\t{HOME}/.aws/credentials\t1\nok\tsrc/a.txt\t/^a$/\n",
        ),
        ("src/tags", "main\t../.git/config\t1\n"),
        ("src/GTAGS", ""),
    ]);
    for cmd in [
        "less -t main",
        "less -tmain",
        "ls | less --tag main",
        "less -T src/tags -t main",
        "less -t ok -Tsrc/GTAGS",
        "cp src/a.txt src/t2 && less -T src/t2 -t ok",
    ] {
        assert_ne!(f.verdict(cmd), "allow", "{cmd}");
    }
    for cmd in [
        "less -t ok",
        "less -t nothing",
        "less -T src/missing -t main",
    ] {
        assert_eq!(f.verdict(cmd), "allow", "{cmd}");
    }
}

#[test]
fn a_local_index_in_a_requirement_file_is_judged_as_one_on_the_command_line() {
    let f = fixture(&[
        ("src/idx.txt", "--index-url file://{HOME}/.aws/\nrequests\n"),
        ("src/links.txt", "-f {HOME}/.aws\nrequests\n"),
        (
            "src/extra.txt",
            "--extra-index-url=file:{HOME}/.aws\nrequests\n",
        ),
        (
            "src/net.txt",
            "-i https://github.com/org/simple\nrequests\n",
        ),
        ("src/other.txt", "-i https://pypi.org/simple\nrequests\n"),
    ]);
    for cmd in [
        "pip install -r src/idx.txt",
        "pip install -r src/links.txt",
        "pip install -r src/extra.txt",
    ] {
        assert_eq!(f.verdict(cmd), "deny", "{cmd}");
    }
    assert_eq!(f.verdict("pip install -r src/net.txt"), "allow");
    // An index on the network is a destination of the network policy,
    // which allows only github.com and registry.npmjs.org here.
    let a = f.engine.analyze_command("pip install -r src/other.txt");
    assert_eq!(
        (a.verdict, a.code),
        ("deny", "DOMAIN_NOT_ALLOWED"),
        "{}",
        a.reason
    );
}
