//! Programs that compute the names they write: `rename` (Perl's or
//! util-linux's), `mmv`, and `link`, a hard link under a name. Judged
//! under the workspace preset, a whitelist naming them, and a blacklist.

// The fixture holds a symbolic link, which Windows makes only with a
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
    for d in ["src", "sub", ".git/hooks"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    for (f, text) in [
        ("a.txt", "a\n"),
        ("f1.txt", "1\n"),
        ("1.txt", "1\n"),
        ("notes.txt", "n\n"),
        (".git/config", "[core]\n"),
    ] {
        std::fs::write(ws.join(f), text).unwrap();
    }
    for f in [".bashrc", ".ssh/id_rsa"] {
        std::fs::write(home.join(f), "x\n").unwrap();
    }
    std::os::unix::fs::symlink(&home, ws.join("h")).unwrap();
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

    fn listed(&self, mode: &str, key: &str, names: &str) -> Engine {
        self.engine(&format!(
            r#"{{"version":"1.0","name":"l",
            "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false}},
            "commands":{{"mode":"{mode}","{key}":[{names}],"allow_sudo":false}},
            "limits":{{"max_file_size":52428800,"max_execution_time":300000}}}}"#
        ))
    }

    fn engines(&self) -> Vec<(&'static str, Engine)> {
        let preset =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json");
        let tools = [
            "rename",
            "rename.ul",
            "prename",
            "mmv",
            "mcp",
            "link",
            "ln",
            "cat",
            "printf",
        ]
        .map(|t| format!("\"{t}\""))
        .join(",");
        vec![
            (
                "workspace",
                self.engine(&std::fs::read_to_string(preset).unwrap()),
            ),
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

#[track_caller]
fn decided(cases: &[&str], check: impl Fn(&str, &str, &super::CommandAnalysis)) {
    let f = fixture();
    for (name, e) in f.engines() {
        for c in cases {
            check(name, c, &e.analyze_command(c));
        }
    }
}

#[track_caller]
fn refused(cases: &[&str]) {
    decided(cases, |name, c, a| {
        assert_ne!(a.verdict, "allow", "{name}: {c}")
    });
}

#[track_caller]
fn refused_with(code: &str, cases: &[&str]) {
    decided(cases, |name, c, a| {
        assert_ne!(a.verdict, "allow", "{name}: {c}");
        assert_eq!(a.code, code, "{name}: {c}: {}", a.reason);
    });
}

#[track_caller]
fn allowed(cases: &[&str]) {
    decided(cases, |name, c, a| {
        assert_eq!(a.verdict, "allow", "{name}: {c}: {} {}", a.code, a.reason)
    });
}

#[test]
fn names_computed_by_an_expression_or_a_pattern_are_not_modelled() {
    refused_with(
        "UNMODELLED_OPERAND",
        &[
            // Perl's rename runs the expression on each name.
            "rename 's/x/.bashrc/' a.txt",
            "rename 's/a/..\\/..\\/home\\/.bashrc/' a.txt",
            "rename '$_ = \"h/.bashrc\"' a.txt",
            "prename 's/a/b/' a.txt",
            // On a system where rename is Perl's, `unlink` and `.txt` are code.
            "rename unlink a.txt notes.txt",
            "rename .txt .bashrc a.txt",
            // mmv fills `#1` from the wildcard's match.
            "mmv 'a*' '~/#1'",
            "mmv 'a*' 'h/.#1'",
            "mcp a.txt b.txt",
            // util-linux forms whose new names are not known.
            "rename.ul -s a b a.txt",
            "rename.ul a b \"$f\"",
            "rename.ul \"$x\" b a.txt",
        ],
    );
}

#[test]
fn util_linux_rename_with_literal_words_is_judged_as_the_renames() {
    // FROM replaced by TO in each name: the new name is a write.
    refused_with(
        "FILE_ACCESS_DENIED",
        &[
            "rename.ul a.txt h/.bashrc a.txt",
            "rename.ul a .git/hooks/pre-commit a.txt",
            "rename.ul -v notes.txt .git/config notes.txt",
            "rename 1 h/.bashrc 1.txt",
            "rename.ul s .bashrc h/s",
        ],
    );
    refused(&["rename.ul -- a.txt h/.ssh/x a.txt"]);
    allowed(&[
        "rename.ul a b a.txt",
        "rename.ul -v .txt .md a.txt notes.txt",
        "rename.ul -l t T notes.txt",
        "rename 1 2 f1.txt",
        // FROM not in the name: nothing is renamed.
        "rename.ul zzz .bashrc a.txt",
    ]);
}

#[test]
fn link_is_judged_as_ln() {
    refused_with(
        "FILE_ACCESS_DENIED",
        &[
            "link h/.bashrc x",
            "link ~/.bashrc x && printf x >> x",
            "link ~/.ssh/id_rsa k && cat k",
            "link .git/config c && printf x >> c",
            "link /etc/hosts k && printf x >> k",
            "link -- ~/.bashrc x",
        ],
    );
    // A write through the new name asks, as after `ln`.
    refused(&[
        "link a.txt b.txt && printf x >> b.txt",
        "link \"$t\" x && printf x >> x",
    ]);
    allowed(&["link a.txt b.txt", "link -- a.txt sub/b.txt"]);
}
