//! Escape tests of the macOS path: real commands under the real helper and
//! `/usr/bin/sandbox-exec`, judged from outside (files that do or do not
//! change, connections that do or do not arrive, exit statuses). They run
//! on a Mac only (the CI `osx-aarch_64` runner); fixtures live in a
//! temporary directory, never in the real home.
#![cfg(target_os = "macos")]

use std::fs;
use std::net::TcpListener;
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
        // /var/folders/… is /private/var/folders/…: the helper resolves it too.
        let root = fs::canonicalize(dir.path()).unwrap();
        let ws = root.join("ws");
        let home = root.join("home");
        let outside = root.join("outside");
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

    fn policy(&self, blocked: &[&str], network: bool, limits: &str) -> PathBuf {
        let blocked: Vec<String> = blocked.iter().map(|b| format!("{b:?}")).collect();
        let text = format!(
            r#"{{"version":"1.0","name":"macos-escape","filesystem":{{"mode":"workspace",
            "allowed_paths":[],"blocked_paths":[{}],"allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":{network},"allow_localhost":false,"allow_https":true,"allow_http":true}},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},"limits":{{{limits}}}}}"#,
            blocked.join(",")
        );
        let p = self.outside.join("policy.json");
        fs::write(&p, text).unwrap();
        p
    }

    /// Runs `script` with `/bin/sh -c` under the helper, with consent to
    /// the gaps macOS has (see `docs/exec.md`, macOS).
    fn run(&self, policy: &Path, script: &str, consent: bool) -> (Output, serde_json::Value) {
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
        let out = cmd
            .arg("--")
            .args(["/bin/sh", "-c", script])
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

#[test]
fn writes_go_only_to_the_workspace() {
    let f = Fixture::new();
    let policy = f.policy(&[], false, "");
    let script = format!(
        "echo in > '{ws}/inside'; echo out > '{out}/planted'; echo rc > '{home}/.zshrc'; true",
        ws = f.ws.display(),
        out = f.outside.display(),
        home = f.home.display()
    );
    let (out, report) = f.run(&policy, &script, true);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(fs::read_to_string(f.ws.join("inside")).unwrap(), "in\n");
    assert!(!f.outside.join("planted").exists());
    assert!(!f.home.join(".zshrc").exists());
    assert_eq!(report["status"], "ok");
}

#[test]
fn blocked_paths_and_credential_stores_are_unreadable_in_any_case_and_after_a_rename() {
    let f = Fixture::new();
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    fs::write(f.home.join(".ssh/id_test"), "PRIVATE KEY").unwrap();
    fs::create_dir_all(f.ws.join("conf")).unwrap();
    fs::write(f.ws.join("conf/secret.txt"), "TOP SECRET").unwrap();
    let policy = f.policy(&["./conf/secret.txt"], false, "");
    let ws = f.ws.display();
    let home = f.home.display();
    let script = format!(
        "cat '{home}/.ssh/id_test' > '{ws}/a' 2>/dev/null; \
         cat '{home}/.SSH/ID_TEST' > '{ws}/b' 2>/dev/null; \
         cat '{ws}/conf/secret.txt' > '{ws}/c' 2>/dev/null; \
         cat '{ws}/CONF/SECRET.TXT' > '{ws}/d' 2>/dev/null; \
         mv '{ws}/conf' '{ws}/moved' 2>/dev/null; \
         cat '{ws}/moved/secret.txt' > '{ws}/e' 2>/dev/null; true"
    );
    let (out, report) = f.run(&policy, &script, true);
    assert_eq!(out.status.code(), Some(0), "{report}");
    for name in ["a", "b", "c", "d", "e"] {
        let got = fs::read_to_string(f.ws.join(name)).unwrap_or_default();
        assert!(
            !got.contains("SECRET") && !got.contains("PRIVATE"),
            "{name}: {got}"
        );
    }
    assert!(
        f.ws.join("conf/secret.txt").exists(),
        "the parent was renamed"
    );
}

#[test]
fn git_configuration_and_hooks_are_read_only() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join(".git/hooks")).unwrap();
    fs::write(f.ws.join(".git/config"), "[core]\n").unwrap();
    fs::create_dir_all(f.ws.join("sub/.git")).unwrap();
    let policy = f.policy(&[], false, "");
    let ws = f.ws.display();
    let script = format!(
        "echo evil > '{ws}/.git/hooks/pre-commit'; echo evil >> '{ws}/.git/config'; \
         echo evil > '{ws}/sub/.git/config'; mv '{ws}/.git' '{ws}/old' ; \
         echo ok > '{ws}/.git/index'; true"
    );
    let (out, report) = f.run(&policy, &script, true);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(!f.ws.join(".git/hooks/pre-commit").exists());
    assert_eq!(
        fs::read_to_string(f.ws.join(".git/config")).unwrap(),
        "[core]\n"
    );
    assert!(!f.ws.join("sub/.git/config").exists());
    assert!(!f.ws.join("old").exists());
    // What git writes on every commit stays writable.
    assert_eq!(fs::read_to_string(f.ws.join(".git/index")).unwrap(), "ok\n");
}

#[test]
fn with_the_network_off_no_connection_leaves() {
    let f = Fixture::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let policy = f.policy(&[], false, "");
    let script = format!("/usr/bin/nc -z -w 2 127.0.0.1 {port}; true");
    let (_, report) = f.run(&policy, &script, true);
    assert_eq!(report["network_mode"], "off");
    assert!(listener.accept().is_err(), "a connection arrived");
}

#[test]
fn with_the_network_on_only_the_proxy_is_reachable() {
    let f = Fixture::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let policy = f.policy(&[], true, "");
    // Straight to the listener, past the proxy.
    let script = format!("/usr/bin/nc -z -w 2 127.0.0.1 {port}; true");
    let (_, report) = f.run(&policy, &script, true);
    assert_eq!(report["network_mode"], "proxy");
    assert!(report["proxy"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert!(listener.accept().is_err(), "a connection arrived");
}

#[test]
fn links_do_not_reach_hidden_files() {
    let f = Fixture::new();
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    fs::write(f.home.join(".ssh/id_test"), "PRIVATE KEY").unwrap();
    let policy = f.policy(&[], false, "");
    let ws = f.ws.display();
    let home = f.home.display();
    let script = format!(
        "ln -s '{home}/.ssh' '{ws}/soft'; cat '{ws}/soft/id_test' > '{ws}/a' 2>/dev/null; \
         ln '{home}/.ssh/id_test' '{ws}/hard' 2>/dev/null; cat '{ws}/hard' > '{ws}/b' 2>/dev/null; true"
    );
    let (out, report) = f.run(&policy, &script, true);
    assert_eq!(out.status.code(), Some(0), "{report}");
    for name in ["a", "b"] {
        let got = fs::read_to_string(f.ws.join(name)).unwrap_or_default();
        assert!(!got.contains("PRIVATE"), "{name}: {got}");
    }
}

#[test]
fn the_environment_is_scrubbed() {
    let f = Fixture::new();
    let policy = f.policy(&[], false, "");
    let script = format!("env > '{}/env.txt'", f.ws.display());
    let (out, _) = f.run(&policy, &script, true);
    assert_eq!(out.status.code(), Some(0));
    let env = fs::read_to_string(f.ws.join("env.txt")).unwrap();
    assert!(!env.contains("s3cr3t-value"), "{env}");
    assert!(env.contains(&format!("HOME={}", f.home.display())), "{env}");
}

#[test]
fn the_time_limit_kills_the_command() {
    let f = Fixture::new();
    let policy = f.policy(&[], false, r#""max_execution_time":1000"#);
    let start = Instant::now();
    let (out, report) = f.run(&policy, "sleep 30", true);
    assert_eq!(out.status.code(), Some(124), "{report}");
    assert_eq!(report["status"], "timeout");
    assert!(start.elapsed() < Duration::from_secs(20));
}

#[test]
fn without_consent_a_degraded_run_is_refused() {
    let f = Fixture::new();
    let policy = f.policy(&[], false, "");
    let script = format!("echo ran > '{}/ran'", f.ws.display());
    let (out, report) = f.run(&policy, &script, false);
    assert_eq!(out.status.code(), Some(126), "{report}");
    assert_eq!(report["status"], "refused");
    assert!(!f.ws.join("ran").exists());
}

#[test]
fn a_link_planted_at_the_report_path_is_not_followed() {
    let f = Fixture::new();
    let policy = f.policy(&[], false, "");
    let target = f.outside.join("victim");
    fs::write(&target, "untouched").unwrap();
    let report = f.ws.join("report.json");
    let script = format!(
        "rm -f '{r}'; ln -s '{t}' '{r}'",
        r = report.display(),
        t = target.display()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_sandbox-exec"))
        .arg("--policy")
        .arg(&policy)
        .arg("--workspace")
        .arg(&f.ws)
        .arg("--home")
        .arg(&f.home)
        .arg("--report")
        .arg(&report)
        .arg("--allow-degraded")
        .args(["--", "/bin/sh", "-c", &script])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&target).unwrap(), "untouched");
}
