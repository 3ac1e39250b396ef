//! Names a link takes when the command renames or copies it: the backup
//! a `mv -b`/`cp -b`/`ln -b`/`install -b` makes of a destination that is a
//! link, a link that a rename or copy moves into a tree a later walk or
//! glob reads, `mv --exchange`, and the links `cp -s`/`cp -l`/`cp -P` make.
//! Judged under the workspace preset, a whitelist and a blacklist, on a
//! workspace holding links to the home, a start-up file, the hooks and the
//! git configuration.

// The fixture needs symbolic links, which Windows makes only with a
// privilege.
#![cfg(unix)]

use crate::Engine;
use std::path::{Path, PathBuf};

struct Fixture {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    home: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    for d in ["src", "d", "e", ".git/hooks"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    for (f, text) in [
        ("src/main.rs", "fn main() {}\n"),
        ("notes.txt", "n\n"),
        ("a.txt", "a\n"),
        ("d/x.txt", "x\n"),
        (".git/config", "[core]\n"),
    ] {
        std::fs::write(ws.join(f), text).unwrap();
    }
    for f in [".bashrc", ".profile", ".ssh/id_rsa"] {
        std::fs::write(home.join(f), "x\n").unwrap();
    }
    let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, ws.join(at)).unwrap();
    link(&home, "h");
    link(&home.join(".bashrc"), "rc");
    link(&ws.join(".git/hooks"), "hk");
    link(&ws.join(".git/config"), "cfg");
    link(Path::new("src"), "s");
    Fixture {
        _dir: dir,
        ws,
        home,
    }
}

impl Fixture {
    fn engine(&self, policy: &str) -> Engine {
        Engine::from_json(policy, Path::new(&self.ws), Path::new(&self.home)).unwrap()
    }

    fn workspace(&self) -> Engine {
        let policy =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json");
        self.engine(&std::fs::read_to_string(policy).unwrap())
    }

    fn listed(&self, mode: &str, key: &str, names: &str) -> Engine {
        self.engine(&format!(
            r#"{{"version":"1.0","name":"l",
            "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false}},
            "commands":{{"mode":"{mode}","{key}":[{names}],"allow_sudo":false}},
            "limits":{{"max_file_size":52428800,"max_execution_time":300000}}}}"#
        ))
    }

    /// The three policies: the workspace preset, a whitelist of the tools
    /// the cases use, a blacklist.
    fn engines(&self) -> Vec<(&'static str, Engine)> {
        let tools = [
            "mv", "cp", "ln", "install", "cat", "printf", "rm", "chmod", "find", "grep", "ls",
            "head", "sort", "rename", "mmv", "echo", "mkdir", "touch", "wc",
        ]
        .map(|t| format!("\"{t}\""))
        .join(",");
        vec![
            ("workspace", self.workspace()),
            (
                "whitelist",
                self.listed("whitelist", "allowed_commands", &tools),
            ),
            (
                "blacklist",
                self.listed("blacklist", "blocked_commands", "\"sudo\",\"dd\""),
            ),
        ]
    }
}

/// Every case is refused (ask or deny) under every policy.
fn refused(cases: &[&str]) {
    let f = fixture();
    for (name, e) in f.engines() {
        for c in cases {
            let a = e.analyze_command(c);
            assert_ne!(a.verdict, "allow", "{name}: {c}");
        }
    }
}

/// Every case is allowed under every policy.
fn allowed(cases: &[&str]) {
    let f = fixture();
    for (name, e) in f.engines() {
        for c in cases {
            let a = e.analyze_command(c);
            assert_eq!(a.verdict, "allow", "{name}: {c}: {} {}", a.code, a.reason);
        }
    }
}

#[test]
fn a_backup_of_a_link_is_that_link_under_its_backup_name() {
    refused(&[
        "mv -b a.txt cfg; printf x >> cfg~",
        "mv --backup a.txt cfg; printf x >> cfg~",
        "mv --backup=simple a.txt cfg; printf x >> cfg~",
        "mv a.txt -b cfg; printf x >> cfg~",
        "mv -b a.txt h; rm -r h~/",
        "mv -b a.txt h; chmod 777 h~",
        "mv -b a.txt hk; printf x > hk~/pre-commit",
        "ln -sfb a.txt cfg; printf x >> cfg~",
        "ln -fb a.txt cfg; printf x >> cfg~",
        "ln -sfnb a.txt hk; printf x > hk~/pre-commit",
        "ln --backup -sf a.txt h; cat h~/.profile",
        // Numbered backups, and a suffix given or taken from the
        // environment (`SIMPLE_BACKUP_SUFFIX`).
        "mv -b a.txt cfg; printf x >> cfg.~1~",
        "mv --backup=t a.txt cfg; printf x >> cfg.~1~",
        "mv --backup=numbered a.txt rc; cat rc.~1~",
        "mv -b a.txt cfg; printf x >> cfg.orig",
        "mv -bS .x a.txt cfg; printf x >> cfg.x",
        "mv -Sx a.txt cfg; printf x >> cfgx",
        "mv --suffix=.bak a.txt rc; cat rc.bak",
        "mv -b --suffix .old a.txt rc; printf x >> rc.old",
        // A glob that may match the backup.
        "mv -b a.txt cfg; printf x >> c?g~",
        // A link made or moved earlier in the line.
        "ln -s .git/hooks k; mv -b a.txt k; printf x > k~/pre-commit",
        "mv hk q; mv -b a.txt q; printf x > q~/pre-commit",
    ]);
    // No link replaced, or no backup made.
    allowed(&[
        "mv -b notes.txt notes.old",
        "mv -b a.txt notes.txt; cat notes.txt~",
        "cp -b a.txt notes.txt; cat notes.txt~",
        "ln -sfb src/main.rs m.rs",
        "mv --backup=none a.txt cfg; printf x >> cfg~",
    ]);
}

#[test]
fn links_renamed_into_a_tree_are_seen_by_its_globs_and_walks() {
    refused(&[
        "mv -t d cfg; printf x >> d/*",
        "mv -t d hk; printf x > d/*/pre-commit",
        "mv -t d h; cat d/*/.profile",
        "mv -t d cfg; find d -name cfg -exec sed -i s/a/b/ {} +",
        "mv -t d hk; diff -r d e",
        "mv -t d cfg; mv d f; printf x >> f/cfg",
        "mv -t d cfg; cp -r d f; printf x >> f/cfg",
    ]);
    allowed(&[
        "mv -t d a.txt; cat d/*",
        "cp -P a.txt d/; cat d/*",
        "mv src q; cat q/main.rs",
        "cp -a src q; cat q/main.rs",
    ]);
}

#[test]
fn a_copy_that_keeps_a_link_a_link_names_a_link() {
    refused(&[
        "cp -P cfg d/; printf x >> d/cfg",
        "cp -d cfg q; printf x >> q",
        "cp -a cfg q; printf x >> q",
        "cp --no-dereference cfg q; printf x >> q",
        "cp -P hk q; printf x > q/pre-commit",
        "cp -rP cfg q; printf x >> q",
        // `cp -s` as `ln -s`: the link leads where its target name leads.
        "cp -s a.txt q; mv cfg a.txt; printf x >> q",
    ]);
    allowed(&["cp -P a.txt b.txt; cat b.txt", "cp -r src dst"]);
}

#[test]
fn an_exchange_renames_both_entries() {
    refused(&[
        "mv --exchange a.txt cfg; printf x >> a.txt",
        "mv a.txt cfg --exchange; printf x >> a.txt",
        "mv --exchange a.txt hk; printf x > a.txt/pre-commit",
    ]);
    allowed(&["mv --exchange a.txt notes.txt; cat a.txt"]);
}
