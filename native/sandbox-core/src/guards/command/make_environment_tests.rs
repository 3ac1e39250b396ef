//! Values make expands again: every environment variable is a make
//! variable, so a `$` in one a make receives (prefix assignment, `env`,
//! an earlier assignment of an exported name) is code; and `~` in option
//! values, read as bash passes it and as the program expands it. Judged
//! under the workspace preset, a whitelist and a blacklist.

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
    std::fs::create_dir_all(ws.join("src")).unwrap();
    std::fs::create_dir_all(ws.join("build")).unwrap();
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(ws.join("Makefile"), "all:\n\t@echo $(VERBOSE)\n").unwrap();
    std::fs::write(ws.join("a.txt"), "a\n").unwrap();
    std::fs::write(home.join(".bashrc"), "x\n").unwrap();
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

    fn listed(&self, mode: &str, key: &str, names: &[&str]) -> Engine {
        let names = names
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(",");
        self.engine(&format!(
            r#"{{"version":"1.0","name":"l",
            "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":true,"allowed_domains":["github.com"],"allow_localhost":false,"allow_https":true,"allow_http":false}},
            "commands":{{"mode":"{mode}","{key}":[{names}],"allow_sudo":false}},
            "limits":{{"max_file_size":52428800,"max_execution_time":300000}}}}"#
        ))
    }

    /// The workspace preset, a whitelist of the programs the cases run, a
    /// blacklist.
    fn engines(&self) -> Vec<(&'static str, Engine)> {
        let preset =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json");
        vec![
            (
                "workspace",
                self.engine(&std::fs::read_to_string(preset).unwrap()),
            ),
            (
                "whitelist",
                self.listed(
                    "whitelist",
                    "allowed_commands",
                    &[
                        "make", "gmake", "remake", "bmake", "cmake", "env", "timeout", "export",
                        "sort", "wget", "cat", "ls",
                    ],
                ),
            ),
            (
                "blacklist",
                self.listed("blacklist", "blocked_commands", &["sudo", "dd"]),
            ),
        ]
    }
}

#[track_caller]
fn refused(cases: &[&str]) {
    let f = fixture();
    for (name, e) in f.engines() {
        for c in cases {
            let a = e.analyze_command(c);
            assert_ne!(a.verdict, "allow", "{name}: {c}");
        }
    }
}

#[track_caller]
fn refused_with(code: &str, cases: &[&str]) {
    let f = fixture();
    for (name, e) in f.engines() {
        for c in cases {
            let a = e.analyze_command(c);
            assert_ne!(a.verdict, "allow", "{name}: {c}");
            assert_eq!(a.code, code, "{name}: {c}: {}", a.reason);
        }
    }
}

#[track_caller]
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
fn a_dollar_in_what_make_gets_from_its_environment_is_not_allowed() {
    refused_with(
        "DANGEROUS_ENVIRONMENT",
        &[
            "VERBOSE='${shell rm -rf ~}' make",
            "DEBUG='${file >rclink,x}' make",
            "VERBOSE='${shell id}' gmake",
            "VERBOSE='${shell id}' remake",
            "VERBOSE='${VERBOSE:sh}' bmake",
            "timeout 60 env VERBOSE='${shell id}' make",
            "VERBOSE='${shell id}' timeout 60 make",
            "env DEBUG='${eval x}' make -e",
            "VERBOSE='${shell id}' make test",
            // cmake --build runs the generator's make with its environment.
            "VERBOSE='${shell id}' cmake --build build",
            // A computed value may hold `$`.
            "VERBOSE=\"$x\" make",
            "VERBOSE=\"$(cat a.txt)\" make",
            "DEBUG=$(cat a.txt) timeout 60 make",
            // An earlier assignment reaches make when the name is exported.
            "VERBOSE='${shell id}'; make",
            "x=\"$(cat a.txt)\"; make",
        ],
    );
    // `export` is outside the whitelist; the others ask.
    refused(&[
        "VERBOSE='$(shell id)' make test",
        "env VERBOSE='$(shell id)' make",
        "VERBOSE='$$(id)' make",
        "export VERBOSE='${shell id}'; make",
        "export DEBUG; DEBUG='${file >x,y}'; make",
        "export VERBOSE=\"$(cat a.txt)\"; make",
        "env VERBOSE=\"$x\" make",
    ]);
    // A value without `$`, and a variable on make's command line (only
    // numbers there), stay as they were.
    allowed(&[
        "make",
        "make V=1",
        "make -j4",
        "VERBOSE=1 make",
        "DEBUG=1 make all",
        "timeout 60 make",
        "env VERBOSE=1 make",
        "NO_COLOR=1 make all",
        "for t in a b; do ls; done; make",
        "VERBOSE='${shell id}'; ls",
    ]);
}

/// bash passes `-o~/x` and `--opt=~/x` as written (a `~` is expanded only
/// at the start of a word and after `=` or `:` in a word shaped like an
/// assignment), and programs such as wget expand the `~/` of their file
/// options themselves: the home reading is judged.
#[test]
fn a_tilde_in_an_attached_option_value_is_judged_at_the_home() {
    refused_with(
        "FILE_ACCESS_DENIED",
        &[
            "wget -O~/.bashrc https://github.com/x",
            "wget -a~/.bashrc https://github.com/x",
            "wget --output-document=~/.bashrc https://github.com/x",
            "sort -o~/.bashrc a.txt",
            "sort --output=~/.bashrc a.txt",
        ],
    );
    allowed(&["sort -oout.txt a.txt", "sort -o out.txt a.txt"]);
}
