//! Differential test of the command validator against real bash, run under
//! the enforcement helper on fixture directories only.
//!
//! For every command of a list that the validator allows, bash runs it
//! inside `sandbox-exec` in a fixture workspace (with a fixture git
//! directory) and a fixture home (fake `.ssh`, `.bashrc`), with a `PATH`
//! that starts with logging stubs: programs that reach the network, raise
//! privileges, interpret code or run builds only append their argv to a log
//! and do nothing else. Then:
//! - every stub run must be one of the analysis's `commands` (same name,
//!   same literal words; a word the analysis shows as computed matches any);
//! - every file created, changed or deleted in the fixtures must be one the
//!   validator's own filesystem policy allows writing or deleting.
//!
//! The validator said `allow`, so bash may do no more than that. The bash
//! xtrace (`BASH_XTRACEFD`) is kept as evidence in the failure message.
//! The sandbox policy lets the command write the fixture tree (so that what
//! bash really does shows in the snapshots) and nothing outside it.
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use sandbox_core::{Engine, FileOperation, FileRequest};

/// Programs replaced by logging stubs.
const STUBS: &[&str] = &[
    "curl",
    "wget",
    "nc",
    "ncat",
    "netcat",
    "socat",
    "ssh",
    "scp",
    "rsync",
    "sudo",
    "doas",
    "su",
    "python3",
    "python",
    "node",
    "perl",
    "ruby",
    "git",
    "make",
    "npm",
    "npx",
    "cargo",
    "gcc",
    "cc",
    "perf",
    "cmake",
    "numactl",
    "eatmydata",
    "chmod",
    "chown",
    "dd",
    "shred",
    "mkfs",
    "id",
    "whoami",
    "jq",
    "zip",
    "unzip",
    "strace",
    "parallel",
];

/// Commands probed: ordinary developer commands and the constructs of the
/// attack classes the validator models (wrappers with options, find
/// actions, sed/awk programs, archives, computed words). Only those the
/// validator allows are run.
const PROBES: &[&str] = &[
    "git status",
    "git log --oneline -5",
    "git commit -m \"$msg\"",
    "env CI=1 timeout 60 nice -n 5 make test",
    "env -i PATH=/usr/bin:/bin git status",
    "env -u CI git status",
    "env A-B=1 git status",
    "nice -n 5 git status",
    "nice -5 git status",
    "timeout -s KILL 5 git status",
    "timeout --signal=TERM 5 npm test",
    "timeout -k 1 5 git status",
    "stdbuf -oL git log",
    "setsid -w git status",
    "xargs -0 -n1 echo < /dev/null",
    "printf 'a\\nb\\n' | xargs -I{} echo {}",
    "printf 'a\\nb\\n' | xargs -n 1 git add",
    "printf 'a\\n' | xargs -I {} -n1 git show {}",
    "find . -name '*.tmp' -exec rm {} \\;",
    "find . -name '*.tmp' -exec rm {} +",
    "find src -type f -name '*.o' -delete",
    "find . -name '*.rs' -exec grep -l fn {} +",
    "find . -maxdepth 1 -name '*.md' -exec git add {} +",
    "find . -name '*.tmp' -ok rm {} \\;",
    "sed -n '1,5p' README.md",
    "sed -i 's/foo/bar/g' src/main.rs",
    "sed -ni 's/x/y/p' src/main.rs",
    "sed -e 's/a/b/' -e 's/c/d/' README.md",
    "sed 's/a/b/w out.txt' README.md",
    "sed '$r README.md' src/main.rs",
    "awk '{print $1}' README.md",
    "awk '$1 > 2 {print $1}' README.md",
    "awk -F: '{n++} END {print n}' README.md",
    "tar -czf out.tgz src",
    "tar -cf out.tar -C src .",
    "tar czf out2.tgz src",
    "tar -tzf fixture.tgz",
    "tar -xzf fixture.tgz -C build",
    "tar -xzf fixture.tgz -C build inner.txt",
    "sort -o sorted.txt README.md",
    "sort --output=sorted2.txt README.md",
    "cat README.md | sort | head -n 2",
    "cp README.md build/",
    "cp -t build README.md",
    "mv build/README.md build/R.md",
    "mkdir -p build/x && touch build/x/y",
    "dd if=README.md of=build/copy.txt",
    "tee build/t.txt < README.md",
    "ls | xargs -I{} echo {}",
    "echo $(ls)",
    "echo $(cat $(ls))",
    "python3 -m pytest",
    "npx prettier --check .",
    "make -C src",
    "git -C src status",
    "ssh host ls",
    "rsync -av src/ build/",
    "X=-exec; find . $X rm {} +",
    "f=~/.ssh/id_rsa; cat $f",
    "git log --output out.log",
    "git log --output=out2.log",
    "tar --to-c='touch .git/hooks/post-checkout' -xf fixture.tgz",
    "env -S 'git\\_status'",
    "parallel -n 1 git status ::: x",
    "prlimit --nofile=64 git status",
    "/lib64/ld-linux-x86-64.so.2 /bin/sh -c 'git push'",
    "setarch x86_64 git push",
    "sed -es/foo/id/e README.md",
    "sed -n 'w .git/hooks/pre-push' README.md",
    "awk '{print > \".git/hooks/pre-push\"}' README.md",
    "cat ${HOME%/}/.ssh/id_rsa",
    "unshare --map-users 1000:0:1 git push",
    "awk 'BEGIN{f=\"sys\" \"tem\"; @f(\"id\")}'",
    "tar -xzf fixture.tgz",
];

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    ws: PathBuf,
    home: PathBuf,
    bin: PathBuf,
    log: PathBuf,
}

fn write(p: &Path, text: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        let ws = root.join("ws");
        let home = root.join("home");
        let bin = root.join("bin");
        let log = root.join("log");
        for d in [&ws, &home, &bin, &log, &root.join("sandbox-home")] {
            fs::create_dir_all(d).unwrap();
        }
        let f = Fixture {
            _dir: dir,
            root,
            ws,
            home,
            bin,
            log,
        };
        f.reset();
        for name in STUBS {
            let p = f.bin.join(name);
            // One record per run: the name, then each argument, NUL-separated.
            fs::write(
                &p,
                "#!/bin/sh\n{ printf '%s' \"${0##*/}\"; for a in \"$@\"; do printf '\\037%s' \"$a\"; done; printf '\\036'; } >> \"$STUB_LOG\"\nexit 0\n",
            )
            .unwrap();
            fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        }
        f
    }

    /// The fixture files, fresh for each command.
    fn reset(&self) {
        for d in [&self.ws, &self.home] {
            let _ = fs::remove_dir_all(d);
            fs::create_dir_all(d).unwrap();
        }
        write(&self.ws.join("README.md"), "foo 1\nbar 3\n");
        write(&self.ws.join("src/main.rs"), "fn main() { foo(); }\n");
        write(&self.ws.join("build/.keep"), "");
        write(&self.ws.join("a.tmp"), "tmp\n");
        write(&self.ws.join("src/b.tmp"), "tmp\n");
        write(&self.ws.join(".git/config"), "[core]\n");
        write(&self.ws.join(".git/HEAD"), "ref: refs/heads/main\n");
        write(&self.ws.join(".git/hooks/pre-commit.sample"), "#!/bin/sh\n");
        write(&self.home.join(".ssh/id_rsa"), "FIXTURE-KEY\n");
        write(&self.home.join(".bashrc"), "# fixture rc\n");
        // An archive whose one member is inner.txt.
        let tar_src = self.root.join("tarsrc");
        write(&tar_src.join("inner.txt"), "inner\n");
        let ok = Command::new("tar")
            .arg("-czf")
            .arg(self.ws.join("fixture.tgz"))
            .arg("-C")
            .arg(&tar_src)
            .arg("inner.txt")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "cannot build the fixture archive");
        let _ = fs::remove_dir_all(&tar_src);
        let _ = fs::remove_file(self.log.join("stubs"));
        let _ = fs::remove_file(self.log.join("trace"));
    }

    /// The validator's view: workspace policy, `~/.ssh` blocked, the
    /// fixture home as home.
    fn engine(&self) -> Engine {
        let policy = r#"{"version":"1.0","name":"differential",
            "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh","~/.aws","~/.gnupg"],
              "allow_symlinks":true,"allow_hidden_files":true},
            "network":{"enabled":false,"allow_localhost":false,"allow_https":true,"allow_http":false},
            "commands":{"mode":"unrestricted","allow_sudo":false},
            "limits":{}}"#;
        Engine::from_json(policy, &self.ws, &self.home).expect("policy")
    }

    /// The sandbox's policy: the fixture tree is writable, nothing else.
    fn sandbox_policy(&self) -> PathBuf {
        let text = format!(
            r#"{{"version":"1.0","name":"differential-sandbox",
            "filesystem":{{"mode":"workspace","allowed_paths":["./","{}","{}"],"blocked_paths":[],
              "allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false}},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},
            "limits":{{}}}}"#,
            self.home.display(),
            self.log.display()
        );
        let p = self.root.join("sandbox-policy.json");
        fs::write(&p, text).unwrap();
        p
    }

    /// Run `command` with bash under the helper; the helper's report.
    fn run(&self, command: &str) -> (serde_json::Value, String) {
        let report = self.root.join("report.json");
        let _ = fs::remove_file(&report);
        let path = format!("{}:/usr/local/bin:/usr/bin:/bin", self.bin.display());
        let stubs = self.log.join("stubs");
        let trace = self.log.join("trace");
        let out = Command::new(env!("CARGO_BIN_EXE_sandbox-exec"))
            .arg("--policy")
            .arg(self.sandbox_policy())
            .arg("--workspace")
            .arg(&self.ws)
            .arg("--home")
            .arg(self.root.join("sandbox-home"))
            .arg("--report")
            .arg(&report)
            .arg("--")
            .arg("/usr/bin/env")
            .arg(format!("HOME={}", self.home.display()))
            .arg(format!("PATH={path}"))
            .arg(format!("STUB_LOG={}", stubs.display()))
            .arg(format!("TRACE={}", trace.display()))
            .arg(format!("CMD={command}"))
            .arg("/bin/bash")
            .arg("-c")
            .arg("exec 9>>\"$TRACE\"; export BASH_XTRACEFD=9; exec timeout 20 /bin/bash -xc \"$CMD\" </dev/null")
            .output()
            .expect("run the helper");
        let rep = fs::read_to_string(&report)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (rep, output)
    }

    fn snapshot(&self) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        let mut out = BTreeMap::new();
        for d in [&self.ws, &self.home] {
            walk(d, &mut out);
        }
        out
    }
}

fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            out.insert(p.clone(), None);
            walk(&p, out);
        } else {
            out.insert(p.clone(), Some(fs::read(&p).unwrap_or_default()));
        }
    }
}

/// The stub runs recorded: (name, args).
fn stub_runs(log: &Path) -> Vec<(String, Vec<String>)> {
    let text = fs::read_to_string(log).unwrap_or_default();
    text.split('\u{1e}')
        .filter(|r| !r.is_empty())
        .map(|r| {
            let mut parts = r.split('\u{1f}').map(str::to_string);
            let name = parts.next().unwrap_or_default();
            (name, parts.collect())
        })
        .collect()
}

/// Whether a stub run is one of the analysis's effective commands (or a
/// wrapper of one).
fn modelled(run: &(String, Vec<String>), commands: &[serde_json::Value]) -> bool {
    commands.iter().any(|c| {
        let argv: Vec<Option<String>> = c["argv"]
            .as_array()
            .map(|a| a.iter().map(|w| w.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let Some(Some(name)) = argv.first() else {
            return false;
        };
        let base = name.rsplit('/').next().unwrap_or(name);
        if base != run.0 {
            return c["wrappers"].as_array().is_some_and(|w| {
                w.iter().any(|x| {
                    x.as_str()
                        .is_some_and(|x| x.split_whitespace().next() == Some(run.0.as_str()))
                })
            });
        }
        let words = &argv[1..];
        let open_end = words.last().is_some_and(|w| w.is_none());
        if !open_end && words.len() != run.1.len() {
            return false;
        }
        words.iter().zip(run.1.iter()).all(|(w, a)| {
            w.as_ref()
                .is_none_or(|w| w == a || (w.starts_with('~') && a.ends_with(&w[1..])))
        })
    })
}

#[test]
fn bash_does_no_more_than_the_validator_allowed() {
    let f = Fixture::new();
    // The helper must be able to enforce here, else the test cannot run.
    let (rep, _) = f.run("true");
    if rep["enforcement"] != "full" {
        eprintln!(
            "SKIPPED validator_differential: sandbox-exec cannot enforce on this machine (report: {rep})"
        );
        return;
    }
    let mut ran = 0;
    let mut failures = Vec::new();
    for command in PROBES {
        f.reset();
        // Compiled after the reset: the guard knows protected entries by
        // identity, and recreated files may reuse their inode numbers.
        let engine = f.engine();
        let analysis = engine.analyze_command(command);
        if analysis.verdict != "allow" {
            continue;
        }
        let json: serde_json::Value = serde_json::from_str(&analysis.to_json()).unwrap();
        let commands = json["commands"].as_array().cloned().unwrap_or_default();
        let before = f.snapshot();
        let (rep, output) = f.run(command);
        ran += 1;
        let after = f.snapshot();
        let mut problems = Vec::new();
        // The fixture key is in the blocked ~/.ssh: the validator refuses
        // reading it, so it may not appear.
        if output.contains("FIXTURE-KEY") {
            problems.push("read ~/.ssh/id_rsa, which the policy refuses".to_string());
        }
        for run in stub_runs(&f.log.join("stubs")) {
            if !modelled(&run, &commands) {
                problems.push(format!(
                    "ran {} {:?}, which the analysis does not list",
                    run.0, run.1
                ));
            }
        }
        let mut changed: Vec<(&PathBuf, FileOperation)> = Vec::new();
        for (p, v) in &after {
            match before.get(p) {
                Some(old) if old == v => {}
                _ => changed.push((p, FileOperation::Write)),
            }
        }
        for p in before.keys() {
            if !after.contains_key(p) {
                changed.push((p, FileOperation::Delete));
            }
        }
        for (p, op) in changed {
            if p.starts_with(f.root.join("log")) {
                continue;
            }
            let text = p.to_string_lossy();
            let d = engine.check_file(&FileRequest::new(&text, op));
            if !d.is_allowed() {
                problems.push(format!(
                    "{} {} although the policy refuses it ({})",
                    op.as_str(),
                    text,
                    d.code
                ));
            }
        }
        if !problems.is_empty() {
            let trace = fs::read_to_string(f.log.join("trace")).unwrap_or_default();
            failures.push(format!(
                "{command:?}\n  {}\n  analysis commands: {}\n  xtrace: {}\n  report: {}",
                problems.join("\n  "),
                serde_json::Value::Array(commands.clone()),
                trace.trim(),
                rep["enforcement"]
            ));
        }
    }
    eprintln!(
        "validator_differential: {ran} allowed commands of {} run under sandbox-exec",
        PROBES.len()
    );
    assert!(ran >= 30, "too few allowed probes ran: {ran}");
    assert!(
        failures.is_empty(),
        "bash did more than the validator modelled:\n{}",
        failures.join("\n")
    );
}
