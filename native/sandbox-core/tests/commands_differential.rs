//! Differential test against real bash: what bash executes must be among the
//! commands the validator lists as effective.
//!
//! Commands of the corpus (and extra shell-syntax probes) run in a scratch
//! directory with harmless payloads:
//! - every program name that appears in the commands (and every dangerous
//!   program the corpus is about) is a stub on `PATH` that only records its
//!   argv in a marker file;
//! - a second variant replaces each literal `rm -rf ~` / `rm -rf /` payload
//!   by `touch $MARK/<id>`.
//!
//! bash runs with an empty environment, `HOME` in the scratch directory, a
//! time limit, and (when the test runs as root) as user `nobody`. Commands
//! that name programs by absolute path, change `PATH` or define fork bombs are
//! left out, since their payloads could not be stubbed.
//!
//! The property: when the validator's analysis has no blind spot (no
//! dynamic command name, inline code, unknown wrapper, parse error or limit),
//! every marker that appears comes from a command the validator listed as
//! effective (by name, or as one of the wrappers of an effective command),
//! with the same literal arguments.
#![cfg(target_os = "linux")]

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sandbox_core::guards::command::CommandAnalysis;
use sandbox_core::Engine;

/// Programs that really run (the shells, and harmless tools that pass data
/// or run their operands, so that wrappers reach the stubs).
const REAL: &[&str] = &[
    "bash", "sh", "cat", "ls", "grep", "head", "tail", "wc", "base64", "rev", "tr", "sort", "uniq",
    "cut", "xargs", "env", "nice", "nohup", "timeout", "stdbuf", "setsid", "find", "true", "false",
    "touch", "diff", "sleep",
];

/// Programs stubbed even when their names are not written in a command
/// (they can be spelled with quotes, escapes or `$'…'`).
const ALWAYS_STUBBED: &[&str] = &[
    "rm",
    "sudo",
    "doas",
    "su",
    "curl",
    "wget",
    "nc",
    "dd",
    "mkfs",
    "mkfs.ext4",
    "wipefs",
    "shred",
    "chmod",
    "chown",
    "python3",
    "node",
    "ruby",
    "perl",
    "awk",
    "tar",
    "git",
    "npm",
    "npx",
    "make",
    "ssh",
    "zsh",
    "flock",
    "chrt",
    "script",
    "busybox",
    "parallel",
    "at",
    "systemd-run",
    "tee",
    "truncate",
    "date",
    "ksh",
    "vim",
];

/// Findings where the validator says it cannot see everything that runs.
const BLIND_SPOTS: &[&str] = &[
    "DYNAMIC_COMMAND_NAME",
    "INLINE_CODE",
    "UNKNOWN_WRAPPER",
    "DOWNLOAD_TO_SHELL",
    "PARSE_ERROR",
    "COMMAND_TOO_COMPLEX",
    "FORBIDDEN_CHARACTER",
    "EMPTY_COMMAND",
];

/// Left out: payloads that cannot be stubbed, and NUL (no argv can hold it).
const EXCLUDED: &[&str] = &["/bin/", "/usr/", "~root", ":()", "PATH=", "\0"];

/// A login or interactive shell also runs its startup files (`/etc/profile`,
/// …), which are not part of the command: such commands are compared by
/// their payload markers only.
const STARTUP_FILES: &[&str] = &["bash -l", "bash -i", "sh -l", "sh -i", "--login"];

/// Extra probes of shell syntax, each running `rm` somewhere.
const PROBES: &[&str] = &[
    "echo $(echo x #)\nrm -rf ~ )",
    "echo `echo \\`rm -rf ~\\``",
    "echo ${x:-$(rm -rf ~)}",
    "echo \"${x:-\"$(rm -rf ~)\"}\"",
    "a=(1 $(rm -rf ~))",
    "echo $(( $(rm -rf ~) + 1 ))",
    "[[ $(rm -rf ~) == x ]]",
    "cat <<EOF\n${x:-$(rm -rf ~)}\nEOF",
    "x=$(rm -rf ~) y=`rm -rf ~` ls",
    "echo hi >$(rm -rf ~)",
    "for x in $(rm -rf ~); do :; done",
    "case $(rm -rf ~) in *) ;; esac",
    "echo $'a\\'; rm -rf ~ #'",
    "echo \"a\\\"; rm -rf ~ #\"",
    "(( x = $(rm -rf ~) ))",
    "echo ${x/$(rm -rf ~)/y}",
    "r\\\nm -rf ~",
    "echo $(echo \"$(rm -rf ~)\")",
    "if $(rm -rf ~); then :; fi",
    "export X=$(rm -rf ~); declare z=$(rm -rf ~)",
    "function f() ( rm -rf ~ ); f",
    "! rm -rf ~",
    "echo $(( x[$(rm -rf ~)] ))",
    "trap 'rm -rf ~' EXIT",
    "echo hi #comment $(rm -rf ~)",
    "echo a#$(rm -rf ~)",
    "echo {a,b}$(rm -rf ~)",
    "echo $(echo x | (rm -rf ~))",
    "echo $( (rm -rf ~) )",
    "echo $((rm -rf ~) )",
    "coproc foo { rm -rf ~; }; wait",
    "echo x > >(rm -rf ~)",
    "cat <<< \"$(rm -rf ~)\"",
    "let x=1+$(rm -rf ~)",
    "echo $(echo $(echo $(echo $(echo $(echo $(echo $(rm -rf ~)))))))",
    "cat <<EOF\n$(rm -rf ~)\nEOF\necho after",
    "cat << \"EOF\"\n$(rm -rf ~)\nEOF",
    "cat <<E\\OF\n$(rm -rf ~)\nEOF",
    "echo ${x:-`rm -rf ~`}",
    "echo $(echo ')' ; rm -rf ~)",
    "echo $(echo \"(\" ; rm -rf ~)",
    "a[$(rm -rf ~)]=1",
    "echo ${a[$(rm -rf ~)]}",
    "ls|&rm -rf ~",
    "{ rm -rf ~; } > /dev/null",
    "while false; do :; done; until true; do :; done; rm -rf ~",
    "if false; then :; elif rm -rf ~; then :; else :; fi",
    "nice -n 5 timeout 5 env A=1 nohup rm -rf ~",
    "ls | xargs -I{} rm -rf {}",
    "find . -maxdepth 0 -exec rm -rf {} \\;",
    "bash -c 'bash -c \"rm -rf ~\"'",
    "sh -c 'rm -rf ~' x y",
    "eval 'rm -rf' '~'",
    "command rm -rf ~; builtin echo x; exec rm -rf ~",
    "\\rm -rf ~; r''m -rf ~; \"r\"m -rf ~; $'\\x72m' -rf ~; $\"rm\" -rf ~",
    "time rm -rf ~",
    "sudo -u nobody rm -rf ~",
    "env -- rm -rf ~",
    "stdbuf -o0 rm -rf ~",
    "echo 'x' | rm -rf ~ 2>&1",
];

struct Scratch {
    _root: tempfile::TempDir,
    ws: PathBuf,
    home: PathBuf,
    bin: PathBuf,
    marks: PathBuf,
}

fn open_to_all(p: &Path) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
}

impl Scratch {
    fn new(stubs: &BTreeSet<String>) -> Scratch {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        let home = root.path().join("home");
        let bin = root.path().join("bin");
        let marks = root.path().join("marks");
        for d in [&ws, &home, &bin, &marks] {
            std::fs::create_dir_all(d).unwrap();
        }
        for d in [root.path(), &ws, &home, &marks] {
            open_to_all(d);
        }
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        for name in REAL {
            let real = ["/usr/bin", "/bin"]
                .iter()
                .map(|d| Path::new(d).join(name))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{name} is needed for this test"));
            std::os::unix::fs::symlink(real, bin.join(name)).unwrap();
        }
        // Written whole or not at all (a background stub may still be
        // running when bash returns; it then writes into a directory that is
        // no longer read).
        let stub = "#!/bin/sh\nd=\"$KU0_MARKS\"\n[ -d \"$d\" ] || exit 0\nf=$(/usr/bin/mktemp \"$d/.part.XXXXXXXX\") || exit 0\n/usr/bin/printf '%s\\0' \"${0##*/}\" \"$@\" > \"$f\" && /bin/mv \"$f\" \"$d/stub.${f##*.}\"\nexit 0\n";
        for name in stubs {
            let p = bin.join(name);
            if !p.exists() {
                std::fs::write(&p, stub).unwrap();
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        Scratch {
            _root: root,
            ws,
            home,
            bin,
            marks,
        }
    }

    /// Run a command with bash; returns the invocations the stubs recorded
    /// and the payload markers that appeared.
    fn run(&self, run: usize, command: &str) -> (Vec<Vec<String>>, Vec<String>) {
        let marks = self.marks.join(format!("run-{run}"));
        std::fs::create_dir(&marks).unwrap();
        open_to_all(&marks);
        let root = running_as_root();
        let mut cmd = if root {
            let mut c = Command::new("/usr/bin/setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            c.arg(timeout_path());
            c
        } else {
            Command::new(timeout_path())
        };
        cmd.args(["-s", "KILL", "10", "/bin/bash", "-c", command])
            .env_clear()
            .env("PATH", &self.bin)
            .env("HOME", &self.home)
            .env("KU0_MARKS", &marks)
            .env("LANG", "C")
            .current_dir(&self.ws)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = cmd.status().expect("bash runs");
        let mut invocations = Vec::new();
        let mut payloads = Vec::new();
        for entry in std::fs::read_dir(&marks).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("stub.") {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let mut argv: Vec<String> = bytes
                    .split(|b| *b == 0)
                    .map(|s| String::from_utf8_lossy(s).to_string())
                    .collect();
                // The record ends with a NUL.
                argv.pop();
                invocations.push(argv);
            } else if !name.starts_with(".part.") {
                payloads.push(path.to_string_lossy().to_string());
            }
        }
        // Whatever the command left in the workspace does not carry over.
        for entry in std::fs::read_dir(&self.ws).unwrap() {
            let p = entry.unwrap().path();
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
        (invocations, payloads)
    }
}

fn running_as_root() -> bool {
    // The effective uid, read without unsafe code.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .is_some_and(|uid| uid == "0")
}

fn timeout_path() -> &'static str {
    if Path::new("/usr/bin/timeout").exists() {
        "/usr/bin/timeout"
    } else {
        "/bin/timeout"
    }
}

fn engine(s: &Scratch) -> Engine {
    let policy = r#"{"version":"1.0","name":"differential",
      "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true},
      "network":{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false},
      "commands":{"mode":"unrestricted","allow_sudo":true},"limits":{}}"#;
    Engine::from_json(policy, &s.ws, &s.home).unwrap()
}

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Whether the analysis lists an effective command that explains one
/// recorded invocation.
fn explains(a: &CommandAnalysis, run: &[String], home: &str) -> bool {
    let name = basename(&run[0]);
    a.commands.iter().any(|c| {
        if c.wrappers
            .iter()
            .any(|w| w.split_whitespace().next() == Some(name))
        {
            return true;
        }
        let Some(Some(first)) = c.argv.first() else {
            return false;
        };
        if basename(first) != name {
            return false;
        }
        // Literal words must be the same (with `~` as the home); a word the
        // validator marks as computed at run time may stand for any number
        // of words (globs, `$@`, appended input), so compare up to it.
        let expected: Vec<Option<String>> = c
            .argv
            .iter()
            .skip(1)
            .map(|w| {
                w.as_ref().map(|v| {
                    if v == "~" || v.starts_with("~/") {
                        format!("{home}{}", &v[1..])
                    } else {
                        v.clone()
                    }
                })
            })
            .collect();
        let actual = &run[1..];
        match expected.iter().position(Option::is_none) {
            None => {
                expected.len() == actual.len()
                    && expected
                        .iter()
                        .zip(actual)
                        .all(|(e, a)| e.as_deref() == Some(a.as_str()))
            }
            Some(k) => {
                actual.len() >= k
                    && expected[..k]
                        .iter()
                        .zip(actual)
                        .all(|(e, a)| e.as_deref() == Some(a.as_str()))
            }
        }
    })
}

fn blind(a: &CommandAnalysis) -> bool {
    a.findings.iter().any(|f| BLIND_SPOTS.contains(&f.code))
}

#[test]
fn bash_runs_only_what_the_validator_lists() {
    assert!(Path::new("/bin/bash").exists(), "this test needs /bin/bash");
    if running_as_root() {
        assert!(
            Path::new("/usr/bin/setpriv").exists(),
            "running as root, this test needs setpriv to drop privileges"
        );
    }
    let mut commands: Vec<(String, String)> = common::corpus("commands.jsonl")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["command"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    commands.extend(
        PROBES
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("probe-{i:02}"), p.to_string())),
    );
    commands.retain(|(_, c)| !EXCLUDED.iter().any(|x| c.contains(x)));

    let mut stubs: BTreeSet<String> = ALWAYS_STUBBED.iter().map(|s| s.to_string()).collect();
    for (_, c) in &commands {
        for word in c.split(|ch: char| !(ch.is_ascii_alphanumeric() || "_.+-".contains(ch))) {
            if word.starts_with(|ch: char| ch.is_ascii_alphabetic()) && word.len() < 40 {
                stubs.insert(word.to_string());
            }
        }
    }
    for r in REAL {
        stubs.remove(*r);
    }
    let scratch = Scratch::new(&stubs);
    let engine = engine(&scratch);
    let home = scratch.home.to_string_lossy().to_string();
    let marks = scratch.marks.to_string_lossy().to_string();

    let (mut checked, mut blind_cases, mut invocations, mut payloads) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    let mut run = 0;
    for (id, command) in &commands {
        // Variant 1: stubs record what runs.
        let analysis = engine.analyze_command(command);
        run += 1;
        let (runs, _) = scratch.run(run, command);
        if blind(&analysis) {
            blind_cases += 1;
        } else if !STARTUP_FILES.iter().any(|x| command.contains(x)) {
            checked += 1;
            for run in &runs {
                invocations += 1;
                if !explains(&analysis, run, &home) {
                    failures.push(format!(
                        "{id}: bash ran {run:?}, the validator listed {:?}",
                        analysis
                            .commands
                            .iter()
                            .map(|c| (&c.argv, &c.wrappers))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
        // Variant 2: `touch $MARK/<id>` payloads.
        if command.contains("rm -rf ~") || command.contains("rm -rf /") {
            let mut k = 0;
            let mut text = command.clone();
            run += 1;
            for payload in ["rm -rf ~", "rm -rf /"] {
                while let Some(at) = text.find(payload) {
                    let marker = format!("{marks}/run-{run}/{id}-{k}");
                    text.replace_range(at..at + payload.len(), &format!("touch {marker}"));
                    k += 1;
                }
            }
            let analysis = engine.analyze_command(&text);
            let (_, appeared) = scratch.run(run, &text);
            if blind(&analysis) {
                continue;
            }
            for marker in appeared {
                payloads += 1;
                // The marker's word, or a word the validator says is computed
                // at run time (a payload next to a glob).
                let listed = analysis.commands.iter().any(|c| {
                    c.argv.len() == 2
                        && c.argv[0].as_deref().map(basename) == Some("touch")
                        && c.argv[1].as_deref().is_none_or(|w| w == marker)
                });
                if !listed {
                    failures.push(format!("{id}: marker {marker} appeared but `touch {marker}` is not an effective command of {text:?}"));
                }
            }
        }
    }
    eprintln!("differential: {} commands, {checked} fully analysed, {blind_cases} with blind spots, {invocations} stub runs and {payloads} payload markers checked", commands.len());
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The comparison must have had something to compare.
    assert!(
        checked >= 100,
        "only {checked} commands were fully analysed"
    );
    assert!(
        invocations >= 100,
        "only {invocations} stub runs were checked"
    );
    assert!(payloads >= 30, "only {payloads} payload markers appeared");
}
