//! Tests of the Windows path: real commands under the real helper, judged
//! from outside (exit statuses, the report, files a killed process would
//! have written). They run on Windows and under wine
//! (`scripts/test-native-cross windows-x86_64`); fixtures live in a
//! temporary directory.
//!
//! The processes the tests start inside the run are this test program
//! again, entering [`child`] (an ignored test) with `SANDBOX_JOB_CHILD`
//! saying what to do.
#![cfg(windows)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Fixture {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    home: PathBuf,
    outside: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        let home = dir.path().join("home");
        let outside = dir.path().join("outside");
        for d in [&ws, &home, &outside] {
            fs::create_dir_all(d).unwrap();
        }
        Fixture {
            _dir: dir,
            ws,
            home,
            outside,
        }
    }

    fn policy(&self, limits: &str) -> PathBuf {
        let text = format!(
            r#"{{"version":"1.0","name":"windows-job","filesystem":{{"mode":"workspace",
            "allowed_paths":[],"blocked_paths":[],"allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":false,"allow_localhost":false,"allow_https":true,"allow_http":true}},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},"limits":{{{limits}}}}}"#
        );
        let p = self.outside.join("policy.json");
        fs::write(&p, text).unwrap();
        p
    }

    /// Runs `command` under the helper; with `consent`, `--allow-degraded`.
    /// `child` is passed to the command as `SANDBOX_JOB_CHILD`.
    fn run(
        &self,
        policy: &Path,
        command: &[&str],
        child: Option<&str>,
        consent: bool,
    ) -> (Output, serde_json::Value) {
        let report = self.outside.join("report.json");
        let _ = fs::remove_file(&report);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sandbox-exec"));
        cmd.arg("--policy")
            .arg(policy)
            .arg("--workspace")
            .arg(&self.ws)
            .arg("--home")
            .arg(&self.home)
            .arg("--report")
            .arg(&report);
        if consent {
            cmd.arg("--allow-degraded");
        }
        if let Some(c) = child {
            cmd.arg("--env").arg(format!("SANDBOX_JOB_CHILD={c}"));
        }
        let out = cmd
            .arg("--")
            .args(command)
            .env("APP_SECRET_TOKEN", "s3cr3t-value")
            .output()
            .unwrap();
        let text = fs::read_to_string(&report).unwrap_or_else(|e| {
            panic!(
                "no report ({e}); stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out, serde_json::from_str(&text).unwrap())
    }
}

/// This test program, entering [`child`].
fn me() -> [String; 5] {
    [
        std::env::current_exe().unwrap().display().to_string(),
        "child".into(),
        "--exact".into(),
        "--ignored".into(),
        "--nocapture".into(),
    ]
}

fn args(a: &[String]) -> Vec<&str> {
    a.iter().map(String::as_str).collect()
}

/// What the processes inside a run do, by `SANDBOX_JOB_CHILD`:
/// `sleep MS`; `mark MS FILE` (sleep, then write FILE);
/// `spawn MS FILE THEN_MS` (start `mark MS FILE` in the background, then
/// sleep THEN_MS and exit); `env` (print the environment).
#[test]
#[ignore = "the entry point of the processes the other tests start inside a run"]
// `spawn` leaves its grandchild running on purpose: the job must kill it.
#[allow(clippy::zombie_processes)]
fn child() {
    let Ok(spec) = std::env::var("SANDBOX_JOB_CHILD") else {
        return;
    };
    let words: Vec<&str> = spec.split('|').collect();
    let ms = |i: usize| Duration::from_millis(words[i].parse().unwrap());
    match words[0] {
        "sleep" => std::thread::sleep(ms(1)),
        "mark" => {
            std::thread::sleep(ms(1));
            fs::write(words[2], "escaped").unwrap();
        }
        "spawn" => {
            let me = me();
            Command::new(&me[0])
                .args(&me[1..])
                .env(
                    "SANDBOX_JOB_CHILD",
                    format!("mark|{}|{}", words[1], words[2]),
                )
                .spawn()
                .unwrap();
            std::thread::sleep(ms(3));
        }
        "env" => {
            for (k, v) in std::env::vars() {
                println!("ENV {k}={v}");
            }
        }
        other => panic!("unknown child mode {other}"),
    }
}

#[test]
fn a_run_is_refused_without_consent() {
    let f = Fixture::new();
    let marker = f.outside.join("ran");
    let p = f.policy("");
    let me = me();
    let spec = format!("mark|0|{}", marker.display());
    let (out, report) = f.run(&p, &args(&me), Some(&spec), false);
    assert_eq!(out.status.code(), Some(126), "{out:?}");
    assert_eq!(report["status"], "refused");
    assert_eq!(report["enforcement"], "none");
    assert_eq!(report["mechanisms"]["filesystem"]["level"], "none");
    assert_eq!(report["mechanisms"]["job"]["level"], "full");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-degraded"), "{err}");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!marker.exists(), "the command ran although refused");
}

#[test]
fn with_consent_the_command_runs_and_its_status_is_the_helpers() {
    let f = Fixture::new();
    let p = f.policy("");
    let (out, report) = f.run(&p, &["cmd.exe", "/c", "exit 7"], None, true);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    assert_eq!(report["status"], "ok");
    assert_eq!(report["exit"]["code"], 7);
    assert_eq!(report["enforcement"], "none");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("incomplete enforcement"), "{err}");
}

#[test]
fn the_environment_is_scrubbed_and_the_home_and_temp_are_the_runs() {
    let f = Fixture::new();
    let p = f.policy("");
    let me = me();
    let (out, report) = f.run(&p, &args(&me), Some("env"), true);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(report["status"], "ok");
    let text = String::from_utf8_lossy(&out.stdout);
    let get = |name: &str| {
        text.lines()
            .filter_map(|l| l.strip_prefix("ENV "))
            .find_map(|l| {
                let (k, v) = l.split_once('=')?;
                k.eq_ignore_ascii_case(name).then(|| v.to_string())
            })
    };
    assert_eq!(get("APP_SECRET_TOKEN"), None, "{text}");
    assert!(
        get("SYSTEMROOT").is_some(),
        "Windows programs need SystemRoot: {text}"
    );
    assert_eq!(get("HOME").as_deref(), Some(f.home.to_str().unwrap()));
    assert_eq!(
        get("USERPROFILE").as_deref(),
        Some(f.home.to_str().unwrap())
    );
    let temp = PathBuf::from(get("TEMP").unwrap());
    assert!(
        temp.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("sandbox-exec-"),
        "{temp:?}"
    );
    assert!(
        !temp.exists(),
        "the run's temporary directory is left behind"
    );
}

#[test]
fn the_time_limit_kills_the_whole_tree() {
    let f = Fixture::new();
    let marker = f.outside.join("grandchild");
    let p = f.policy(r#""max_execution_time":1500"#);
    let me = me();
    // The child starts a grandchild that writes the marker after 4 s, then
    // sleeps 60 s itself.
    let spec = format!("spawn|4000|{}|60000", marker.display());
    let started = Instant::now();
    let (out, report) = f.run(&p, &args(&me), Some(&spec), true);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(124), "{out:?}");
    assert_eq!(report["status"], "timeout");
    assert_eq!(report["exit"]["timed_out"], true);
    assert!(took < Duration::from_secs(30), "took {took:?}");
    std::thread::sleep(Duration::from_millis(6000));
    assert!(!marker.exists(), "a grandchild outlived the time limit");
}

#[test]
fn what_the_command_leaves_running_is_killed_when_it_ends() {
    let f = Fixture::new();
    let marker = f.outside.join("left");
    let p = f.policy("");
    let me = me();
    // The child starts a grandchild that writes the marker after 3 s, and
    // exits at once.
    let spec = format!("spawn|3000|{}|0", marker.display());
    let (out, report) = f.run(&p, &args(&me), Some(&spec), true);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(report["status"], "ok");
    std::thread::sleep(Duration::from_millis(5000));
    assert!(!marker.exists(), "a background process outlived the run");
}
