//! The escape suite: real commands under the real helper, judged from
//! outside (files that do or do not change, connections that do or do not
//! arrive, processes that do or do not survive). Linux only.
//!
//! `scripts/escape-suite` runs this file as root and as an unprivileged user
//! (`scripts/test-native` does both when started as root).
#![cfg(target_os = "linux")]

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The helper under test: `SANDBOX_EXEC_HELPER` when set (the escape-suite
/// script runs a copy that an unprivileged user can reach), else the one
/// cargo built for this test.
fn helper() -> PathBuf {
    std::env::var_os("SANDBOX_EXEC_HELPER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_sandbox-exec")))
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    ws: PathBuf,
    home: PathBuf,
    outside: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        let ws = root.join("ws");
        let home = root.join("home");
        let outside = root.join("outside");
        for d in [&ws, &home, &outside] {
            fs::create_dir_all(d).unwrap();
        }
        Fixture {
            _dir: dir,
            root,
            ws,
            home,
            outside,
        }
    }

    /// A workspace-mode policy; `network` and `limits` are JSON objects.
    fn policy(&self, network: &str, limits: &str, extra: &str) -> PathBuf {
        let text = format!(
            r#"{{"version":"1.0","name":"escape-suite",
            "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh","~/.aws"],
              "allow_symlinks":true,"allow_hidden_files":true}},
            "network":{network},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},
            "limits":{limits}{extra}}}"#
        );
        let p = self.root.join("policy.json");
        fs::write(&p, text).unwrap();
        p
    }

    fn offline(&self) -> PathBuf {
        self.policy(NET_OFF, "{}", "")
    }

    fn run_with(
        &self,
        policy: &Path,
        args: &[&str],
        cmd: &[&str],
        envs: &[(&str, &str)],
    ) -> (Output, serde_json::Value) {
        let report = self.root.join("report.json");
        let _ = fs::remove_file(&report);
        let mut c = Command::new(helper());
        c.arg("--policy")
            .arg(policy)
            .arg("--workspace")
            .arg(&self.ws)
            .arg("--home")
            .arg(&self.home)
            .arg("--report")
            .arg(&report)
            .args(args)
            .arg("--")
            .args(cmd);
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        let rep = fs::read_to_string(&report)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
        (out, rep)
    }

    fn sh(&self, policy: &Path, script: &str) -> (Output, serde_json::Value) {
        self.run_with(policy, &[], &["/bin/sh", "-c", script], &[])
    }
}

const NET_OFF: &str =
    r#"{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false}"#;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn describe(out: &Output, rep: &serde_json::Value) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}\nreport: {rep}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

#[test]
fn writes_land_in_the_workspace_and_nowhere_else() {
    let f = Fixture::new();
    let p = f.offline();
    let target = f.outside.join("escaped");
    let script = format!(
        "echo in > inside.txt; echo out > {0}; echo out > {1}/.bashrc; echo out > /tmp/escape-suite-$$-x; echo out >> {2}/.git-missing 2>/dev/null; exit 0",
        target.display(),
        f.home.display(),
        f.outside.display()
    );
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("inside.txt")).unwrap(), "in\n");
    assert!(!target.exists(), "wrote outside the workspace");
    assert!(!f.home.join(".bashrc").exists(), "wrote a shell rc file");
    assert!(!f.outside.join(".git-missing").exists());
}

#[test]
fn blocked_home_directories_cannot_be_read() {
    let f = Fixture::new();
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    fs::write(f.home.join(".ssh/id_ed25519"), "PRIVATE-KEY-MATERIAL").unwrap();
    fs::write(f.home.join("notes.txt"), "ordinary file").unwrap();
    let p = f.offline();
    let script = format!(
        "cat {0}/notes.txt; cat {0}/.ssh/id_ed25519; ls -a {0}/.ssh; cat ~/.ssh/id_ed25519; exit 0",
        f.home.display()
    );
    let (out, rep) = f.sh(&p, &script);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ordinary file"), "{}", describe(&out, &rep));
    assert!(
        !stdout.contains("PRIVATE-KEY-MATERIAL"),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !stdout.contains("id_ed25519"),
        "listing shows the blocked directory: {}",
        describe(&out, &rep)
    );
    // The real file is untouched on the host.
    assert_eq!(
        fs::read_to_string(f.home.join(".ssh/id_ed25519")).unwrap(),
        "PRIVATE-KEY-MATERIAL"
    );
}

#[test]
fn blocked_paths_inside_the_workspace_are_hidden_too() {
    let f = Fixture::new();
    fs::write(f.ws.join("credentials.json"), "TOP-SECRET").unwrap();
    let p = f.policy(NET_OFF, "{}", "");
    // Re-block with a workspace-relative entry.
    let text_policy = fs::read_to_string(&p).unwrap().replace(
        r#"["~/.ssh","~/.aws"]"#,
        r#"["~/.ssh","./credentials.json"]"#,
    );
    fs::write(&p, text_policy).unwrap();
    let (out, rep) = f.sh(
        &p,
        "cat credentials.json; echo overwrite > credentials.json; rm -f credentials.json; exit 0",
    );
    assert!(
        !text(&out.stdout).contains("TOP-SECRET"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("credentials.json")).unwrap(),
        "TOP-SECRET"
    );
}

#[test]
fn glob_entries_in_blocked_paths_hide_their_matches() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("conf/prod")).unwrap();
    fs::write(f.ws.join("conf/prod/token"), "TOP-SECRET").unwrap();
    fs::write(f.ws.join("conf/readme"), "public").unwrap();
    let p = f.policy(NET_OFF, "{}", "");
    let text_policy = fs::read_to_string(&p)
        .unwrap()
        .replace(r#"["~/.ssh","~/.aws"]"#, r#"["~/.ssh","./conf/*/token"]"#);
    fs::write(&p, text_policy).unwrap();
    // With consent to run degraded, so that hiding, not a refusal to run,
    // is what keeps the secret.
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &[
            "/bin/sh",
            "-c",
            "cat conf/prod/token; cat conf/readme; echo overwrite > conf/prod/token; rm -f conf/prod/token; exit 0",
        ],
        &[],
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("public"), "{}", describe(&out, &rep));
    assert!(!stdout.contains("TOP-SECRET"), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("conf/prod/token")).unwrap(),
        "TOP-SECRET"
    );
    // An anchored glob is searched where it points: enforcement is complete.
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

#[test]
fn git_hooks_and_config_are_read_only_at_any_depth() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join(".git/hooks")).unwrap();
    fs::write(f.ws.join(".git/config"), "[core]\n").unwrap();
    fs::create_dir_all(f.ws.join("vendor/lib/.git")).unwrap();
    fs::write(f.ws.join("vendor/lib/.git/config"), "[core]\n").unwrap();
    let p = f.offline();
    let script = "\
        echo evil > .git/hooks/pre-commit; \
        echo '[core] hooksPath=/x' >> .git/config; \
        echo evil > vendor/lib/.git/hooks/post-checkout; \
        echo '[core] fsmonitor=evil' >> vendor/lib/.git/config; \
        mv .git .git-moved; mv vendor/lib/.git vendor/lib/.git-moved; \
        rm -rf .git/hooks; \
        echo ok > .git/description; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !f.ws.join(".git/hooks/pre-commit").exists(),
        "{}",
        describe(&out, &rep)
    );
    assert!(!f.ws.join("vendor/lib/.git/hooks/post-checkout").exists());
    assert_eq!(
        fs::read_to_string(f.ws.join(".git/config")).unwrap(),
        "[core]\n"
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("vendor/lib/.git/config")).unwrap(),
        "[core]\n"
    );
    assert!(f.ws.join(".git").is_dir() && !f.ws.join(".git-moved").exists());
    assert!(f.ws.join("vendor/lib/.git").is_dir());
    assert!(f.ws.join(".git/hooks").is_dir());
    // The rest of .git stays writable: git itself must work.
    assert_eq!(
        fs::read_to_string(f.ws.join(".git/description")).unwrap(),
        "ok\n"
    );
}

#[test]
fn no_connection_reaches_the_host_when_the_network_is_off() {
    let f = Fixture::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let p = f.offline();
    let script = format!("exec 3<>/dev/tcp/127.0.0.1/{port} && echo CONNECTED");
    let (out, rep) = f.run_with(&p, &[], &["/bin/bash", "-c", &script], &[]);
    assert!(
        !text(&out.stdout).contains("CONNECTED"),
        "{}",
        describe(&out, &rep)
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        listener.accept().is_err(),
        "a connection arrived from the sandbox"
    );
    // Control: the same command outside the sandbox does connect.
    let direct = Command::new("/bin/bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert!(text(&direct.stdout).contains("CONNECTED"));
}

/// A one-request-at-a-time HTTP server answering `hello from <port>`.
fn http_server() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        for s in listener.incoming().take(8) {
            let Ok(mut s) = s else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let body = format!("hello from {port}");
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (port, h)
}

fn proxy_policy(f: &Fixture) -> PathBuf {
    f.policy(
        r#"{"enabled":true,"allowed_domains":["localhost"],"allow_localhost":true,"allow_https":true,"allow_http":true}"#,
        "{}",
        "",
    )
}

#[test]
fn the_proxy_is_the_only_way_out_and_lets_allowed_names_through() {
    let f = Fixture::new();
    let (port, _server) = http_server();
    let p = proxy_policy(&f);
    let script = format!(
        "curl -sS -m 10 http://localhost:{port}/ ; echo; \
         curl -sS -m 10 --noproxy '*' http://127.0.0.1:{port}/ && echo DIRECT; exit 0"
    );
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("hello from {port}")),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !stdout.contains("DIRECT"),
        "bypassed the proxy: {}",
        describe(&out, &rep)
    );
    let events = rep["network_events"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        events.iter().any(|e| e["verdict"] == "allow"),
        "{}",
        describe(&out, &rep)
    );
}

#[test]
fn the_proxy_refuses_names_outside_the_allow_list() {
    let f = Fixture::new();
    let (port, _server) = http_server();
    let p = proxy_policy(&f);
    let script = format!("curl -sS -m 10 -o /dev/null -w 'other=%{{http_code}}\\n' http://other.test:{port}/; exit 0");
    let (out, rep) = f.run_with(
        &p,
        &["--resolve", "other.test=127.0.0.1"],
        &["/bin/sh", "-c", &script],
        &[],
    );
    assert!(
        text(&out.stdout).contains("other=403"),
        "{}",
        describe(&out, &rep)
    );
    let events = rep["network_events"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(events.iter().any(
        |e| e["verdict"] == "deny" && e["target"].as_str().unwrap_or("").contains("other.test")
    ));
}

#[test]
fn the_time_limit_kills_the_whole_tree() {
    let f = Fixture::new();
    let p = f.policy(NET_OFF, r#"{"max_execution_time":700}"#, "");
    let script = "setsid sleep 60 & echo $! > grandchild.pid; (sleep 60 &) ; sleep 60";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(124), "{}", describe(&out, &rep));
    assert_eq!(rep["exit"]["timed_out"], true);
    let pid: i32 = fs::read_to_string(f.ws.join("grandchild.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The helper reaped it, so the pid is gone (not even a zombie).
    let alive = Path::new(&format!("/proc/{pid}")).exists();
    assert!(!alive, "grandchild {pid} survived the time limit");
}

#[test]
fn memory_and_file_size_limits_stop_a_process() {
    let f = Fixture::new();
    let alloc = "x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo ${#x}";
    let p = f.policy(NET_OFF, r#"{"max_memory":67108864}"#, "");
    let (out, rep) = f.run_with(&p, &[], &["/bin/bash", "-c", alloc], &[]);
    assert!(
        !text(&out.stdout).contains("100000000"),
        "{}",
        describe(&out, &rep)
    );
    assert_ne!(out.status.code(), Some(0));
    // Control: without the limit the same command succeeds.
    let p = f.policy(NET_OFF, "{}", "");
    let (out, rep) = f.run_with(&p, &[], &["/bin/bash", "-c", alloc], &[]);
    assert!(
        text(&out.stdout).contains("100000000"),
        "{}",
        describe(&out, &rep)
    );

    let p = f.policy(NET_OFF, r#"{"max_file_size":4096}"#, "");
    let (out, rep) = f.sh(&p, "head -c 100000 /dev/zero > big.bin");
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(fs::metadata(f.ws.join("big.bin")).unwrap().len() <= 4096);
}

#[test]
fn secrets_of_the_caller_do_not_reach_the_command() {
    let f = Fixture::new();
    let p = f.policy(
        NET_OFF,
        "{}",
        r#","environment":{"allow":["PROJECT_TOKEN","NODE_*","APP_*","LC_*"]}"#,
    );
    let (out, rep) = f.run_with(
        &p,
        &["--env", "EXPLICIT=1"],
        &[
            "/bin/sh",
            "-c",
            "env; cat /proc/$PPID/environ /proc/1/environ 2>/dev/null | tr '\\0' '\\n'; exit 0",
        ],
        &[
            ("GITHUB_TOKEN", "ghp_leak1"),
            ("AWS_SECRET_ACCESS_KEY", "aws_leak2"),
            ("OPENAI_API_KEY", "sk_leak3"),
            ("NODE_AUTH_TOKEN", "npm_leak4"),
            ("PROJECT_TOKEN", "allowed5"),
            ("NODE_ENV", "test6"),
            ("APP_SECRETKEY", "app_leak7"),
            ("NODE_DBPASSWORD", "db_leak8"),
            ("LC_APITOKEN", "lc_leak9"),
        ],
    );
    let stdout = text(&out.stdout);
    for leak in [
        "ghp_leak1",
        "aws_leak2",
        "sk_leak3",
        "npm_leak4",
        "app_leak7",
        "db_leak8",
        "lc_leak9",
    ] {
        assert!(
            !stdout.contains(leak),
            "{leak} leaked: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        stdout.contains("PROJECT_TOKEN=allowed5"),
        "{}",
        describe(&out, &rep)
    );
    assert!(stdout.contains("NODE_ENV=test6"));
    assert!(stdout.contains("EXPLICIT=1"));
}

#[test]
fn escape_prone_system_calls_are_refused() {
    let f = Fixture::new();
    let p = f.offline();
    // A nested user namespace, and a new mount namespace.
    let (out, rep) = f.sh(
        &p,
        "unshare -U true && echo USERNS; unshare -m true && echo MOUNTNS; exit 0",
    );
    assert!(
        !text(&out.stdout).contains("USERNS"),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !text(&out.stdout).contains("MOUNTNS"),
        "{}",
        describe(&out, &rep)
    );
}

/// Calls the system calls named on the command line through `syscall(2)`
/// and prints the errno of each (0 on success).
const SYSCALL_PROBE: &str = r#"
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
out = []
for spec in sys.argv[1:]:
    nr, *args = [int(x, 0) for x in spec.split(",")]
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    out.append(str(ctypes.get_errno() if r < 0 else 0))
print(" ".join(out))
"#;

#[test]
fn the_seccomp_filter_refuses_calls_for_real() {
    let f = Fixture::new();
    let p = f.offline();
    let calls = [
        // ptrace(PTRACE_TRACEME)
        format!("{}", libc::SYS_ptrace),
        // io_uring_setup(1, NULL): EFAULT without the filter
        format!("{},1,0", libc::SYS_io_uring_setup),
        // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0)
        format!("{},0,-3,0", libc::SYS_keyctl),
        // clone3(NULL, 0): EINVAL or EFAULT without the filter
        format!("{},0,0", libc::SYS_clone3),
        // socket(AF_INET, SOCK_STREAM, 0) with the network off
        format!(
            "{},{},{},0",
            libc::SYS_socket,
            libc::AF_INET,
            libc::SOCK_STREAM
        ),
        // socket(AF_UNIX, SOCK_STREAM, 0) stays allowed
        format!(
            "{},{},{},0",
            libc::SYS_socket,
            libc::AF_UNIX,
            libc::SOCK_STREAM
        ),
        // getpid under another number (x32 on x86_64)
        format!("{}", 0x4000_0000 | libc::SYS_getpid),
    ];
    let mut argv: Vec<&str> = vec!["python3", "-c", SYSCALL_PROBE];
    argv.extend(calls.iter().map(String::as_str));
    let (out, rep) = f.run_with(&p, &[], &argv, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let inside: Vec<i32> = text(&out.stdout)
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let (eperm, enosys) = (libc::EPERM, libc::ENOSYS);
    assert_eq!(
        inside,
        vec![eperm, eperm, eperm, enosys, eperm, 0, eperm],
        "{}",
        describe(&out, &rep)
    );
    // The same calls outside behave otherwise: the filter made the difference.
    let outside = Command::new("python3")
        .arg("-c")
        .arg(SYSCALL_PROBE)
        .args(&calls)
        .output()
        .expect("python3 is needed for this test");
    let outside: Vec<i32> = text(&outside.stdout)
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(outside.len(), inside.len(), "{outside:?}");
    for i in [1, 3, 4] {
        assert_ne!(
            outside[i], inside[i],
            "call {} outside: {outside:?}",
            calls[i]
        );
    }
}

#[test]
fn helper_errors_have_documented_exit_codes() {
    let f = Fixture::new();
    let bad = f.root.join("bad.json");
    fs::write(&bad, r#"{"version":"1.0"}"#).unwrap();
    let (out, _) = f.run_with(&bad, &[], &["/bin/true"], &[]);
    assert_eq!(out.status.code(), Some(125));
    assert!(
        text(&out.stderr).contains("policy"),
        "{}",
        text(&out.stderr)
    );
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &["definitely-not-a-command-xyz"], &[]);
    assert_eq!(out.status.code(), Some(127), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "exec_failed");
    let (out, _) = f.sh(&p, "exit 7");
    assert_eq!(out.status.code(), Some(7));
    let (out, rep) = f.sh(&p, "kill -TERM $$");
    assert_eq!(
        out.status.code(),
        Some(128 + 15),
        "{}",
        describe(&out, &rep)
    );
}

/// A plain TCP listener on 127.0.0.1 that records every byte that arrives
/// (one entry per connection) and answers each request head with `200 ok`.
struct Recorder {
    port: u16,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Recorder {
    fn start() -> Recorder {
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (s2, st2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !st2.load(Ordering::SeqCst) {
                let Ok((mut s, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                let _ = s.set_nonblocking(false);
                let _ = s.set_read_timeout(Some(Duration::from_secs(3)));
                let mut got = Vec::new();
                let mut buf = [0u8; 4096];
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                );
                s2.lock().unwrap().push(got);
            }
        });
        Recorder {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    /// Everything that arrived, once the run is over.
    fn finish(mut self) -> Vec<String> {
        std::thread::sleep(Duration::from_millis(100));
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        let seen = self.seen.lock().unwrap();
        seen.iter().map(|b| text(b)).collect()
    }
}

/// Send each raw request (written to a file in the workspace, never through
/// a shell) on its own connection to the proxy, from inside the sandbox.
fn send_raw(
    f: &Fixture,
    policy: &Path,
    requests: &[String],
    args: &[&str],
) -> (Output, serde_json::Value) {
    let mut script = String::from("p=${HTTP_PROXY##*:}\n");
    for (i, r) in requests.iter().enumerate() {
        fs::write(f.ws.join(format!("req{i}")), r).unwrap();
        script.push_str(&format!(
            "exec 3<>/dev/tcp/127.0.0.1/$p && cat req{i} >&3 && timeout 10 cat <&3; echo; echo END{i}; exec 3<&-\n"
        ));
    }
    f.run_with(policy, args, &["/bin/bash", "-c", &script], &[])
}

fn events(rep: &serde_json::Value) -> Vec<serde_json::Value> {
    rep["network_events"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_request_judged_as_https_never_arrives_as_plaintext() {
    let f = Fixture::new();
    let rec = Recorder::start();
    let port = rec.port;
    // Plain HTTP is refused by the policy; TLS is allowed.
    let p = f.policy(
        r#"{"enabled":true,"allowed_domains":["localhost"],"allow_localhost":true,"allow_https":true,"allow_http":false}"#,
        "{}",
        "",
    );
    let reqs: Vec<String> = ["HTTPS", "HttpS", "https", "wss", "WSS", "ws", "WS"]
        .iter()
        .map(|s| format!("GET {s}://localhost:{port}/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"))
        .chain([format!("GET http://localhost:{port}/ HTTP/1.1\r\n\r\n")])
        .collect();
    let (out, rep) = send_raw(&f, &p, &reqs, &[]);
    let seen = rec.finish();
    assert!(
        seen.is_empty(),
        "plaintext arrived on port {port}: {seen:?}\n{}",
        describe(&out, &rep)
    );
    let evs = events(&rep);
    assert_eq!(evs.len(), reqs.len(), "{}", describe(&out, &rep));
    for e in &evs {
        assert_eq!(e["verdict"], "deny", "{e}");
        assert!(e["address"].is_null(), "{e}");
    }
}

#[test]
fn a_host_header_naming_another_destination_is_refused() {
    let f = Fixture::new();
    let rec = Recorder::start();
    let port = rec.port;
    let p = proxy_policy(&f);
    let reqs = [
        format!("GET http://localhost:{port}/a HTTP/1.1\r\nHost: evil.test\r\n\r\n"),
        format!("GET http://localhost:{port}/b HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.test\r\n\r\n"),
        format!("GET http://localhost:{port}/c HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        format!("GET /d HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"),
        format!("GET http://LOCALHOST.:{port}/e HTTP/1.1\r\nHost: Localhost:{port}\r\nProxy-Connection: keep-alive\r\n\r\n"),
    ];
    let (out, rep) = send_raw(&f, &p, &reqs, &[]);
    let seen = rec.finish();
    let all = seen.join("\n----\n");
    assert!(
        !all.contains("evil.test"),
        "{all}\n{}",
        describe(&out, &rep)
    );
    assert_eq!(seen.len(), 1, "{all}\n{}", describe(&out, &rep));
    // The one allowed request arrives rewritten from the judged target.
    assert!(
        seen[0].starts_with(&format!("GET /e HTTP/1.1\r\nHost: localhost:{port}\r\n")),
        "{all}"
    );
    assert!(!seen[0].to_ascii_lowercase().contains("proxy-"), "{all}");
    let evs = events(&rep);
    assert_eq!(evs.len(), 5, "{}", describe(&out, &rep));
    for e in &evs[..4] {
        assert_eq!(e["verdict"], "deny", "{e}");
    }
    assert_eq!(evs[4]["verdict"], "allow");
    assert_eq!(evs[4]["target"], format!("http://localhost:{port}/e"));
    assert_eq!(evs[4]["destination"], format!("http://localhost:{port}"));
    assert_eq!(evs[4]["address"], format!("127.0.0.1:{port}"));
}

#[test]
fn ip_literals_are_connected_to_and_reported_as_judged() {
    let f = Fixture::new();
    let rec = Recorder::start();
    let port = rec.port;
    let p = f.policy(
        r#"{"enabled":true,"allowed_domains":["localhost","127.0.0.1"],"allow_localhost":true,"allow_https":true,"allow_http":true}"#,
        "{}",
        "",
    );
    let reqs = [
        format!("GET http://[::ffff:127.0.0.1]:{port}/v6 HTTP/1.1\r\n\r\n"),
        format!("CONNECT [::ffff:7f00:1]:{port} HTTP/1.1\r\nHost: whatever\r\n\r\nTUNNEL /t HTTP/1.1\r\n\r\n"),
        format!("GET http://0x7f.1:{port}/hex HTTP/1.1\r\n\r\n"),
    ];
    let (out, rep) = send_raw(&f, &p, &reqs, &[]);
    let seen = rec.finish();
    let all = seen.join("\n----\n");
    assert_eq!(seen.len(), 3, "{all}\n{}", describe(&out, &rep));
    let canonical_host = format!("Host: 127.0.0.1:{port}\r\n");
    assert!(
        seen.iter()
            .any(|s| s.starts_with("GET /v6 ") && s.contains(&canonical_host)),
        "{all}"
    );
    assert!(
        seen.iter()
            .any(|s| s.starts_with("GET /hex ") && s.contains(&canonical_host)),
        "{all}"
    );
    assert!(seen.iter().any(|s| s.starts_with("TUNNEL /t ")), "{all}");
    let evs = events(&rep);
    assert_eq!(evs.len(), 3, "{}", describe(&out, &rep));
    let targets: Vec<&str> = evs
        .iter()
        .map(|e| e["target"].as_str().unwrap_or(""))
        .collect();
    assert!(
        targets.contains(&format!("http://127.0.0.1:{port}/v6").as_str()),
        "{targets:?}"
    );
    assert!(
        targets.contains(&format!("127.0.0.1:{port}").as_str()),
        "{targets:?}"
    );
    for e in &evs {
        assert_eq!(e["verdict"], "allow", "{e}");
        assert_eq!(e["address"], format!("127.0.0.1:{port}"), "{e}");
    }
}

#[test]
fn variables_from_a_file_or_descriptor_stay_off_the_command_line() {
    let f = Fixture::new();
    let p = f.offline();
    let value = format!("argv-secret-{}", std::process::id());
    let block = f.root.join("env-block");
    fs::write(&block, format!("APP_SECRETKEY={value}\0OTHER=x\0")).unwrap();
    for how in ["file", "fd"] {
        let report = f.root.join("report.json");
        let mut c = if how == "fd" {
            // The shell only opens descriptor 5 and becomes the helper.
            let mut c = Command::new("/bin/sh");
            c.arg("-c")
                .arg("exec \"$0\" \"$@\" 5<\"$ENV_BLOCK\"")
                .arg(helper())
                .env("ENV_BLOCK", &block)
                .args(["--env-fd", "5"]);
            c
        } else {
            let mut c = Command::new(helper());
            c.arg("--env-file").arg(&block);
            c
        };
        c.arg("--policy")
            .arg(&p)
            .arg("--workspace")
            .arg(&f.ws)
            .arg("--home")
            .arg(&f.home)
            .arg("--report")
            .arg(&report)
            .args([
                "--",
                "/bin/sh",
                "-c",
                "sleep 1; printf '%s' \"$APP_SECRETKEY\"; ls /proc/self/fd",
            ])
            .stdout(std::process::Stdio::piped());
        let child = c.spawn().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let cmdline = fs::read(format!("/proc/{}/cmdline", child.id())).unwrap_or_default();
        let out = child.wait_with_output().unwrap();
        let cmdline = text(&cmdline).replace('\0', " ");
        assert!(
            cmdline.contains("--workspace"),
            "{how}: not the helper: {cmdline}"
        );
        assert!(
            !cmdline.contains(&value),
            "{how}: on the command line: {cmdline}"
        );
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with(&value), "{how}: {stdout}");
        // The descriptor was closed, not inherited by the command.
        assert!(
            !stdout.lines().any(|l| l == "5"),
            "{how}: fd 5 inherited: {stdout}"
        );
    }
}

/// A pseudo-terminal pair made by the test (never the real terminal), its
/// slave set to 40 rows by 100 columns.
fn test_pty() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let (mut m, mut s) = (-1, -1);
    // SAFETY: openpty writes two descriptors; the name and settings
    // pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut m,
            &mut s,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are fresh and owned here.
    let (m, s) = unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(m),
            std::os::fd::OwnedFd::from_raw_fd(s),
        )
    };
    let w = libc::winsize {
        ws_row: 40,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    use std::os::fd::AsRawFd;
    // SAFETY: TIOCSWINSZ reads one winsize.
    assert_eq!(
        unsafe { libc::ioctl(s.as_raw_fd(), libc::TIOCSWINSZ, &w) },
        0
    );
    (m, s)
}

/// Echo and canonical mode on, and the window size, of a terminal.
fn tty_state(fd: &std::os::fd::OwnedFd) -> (bool, bool, u16, u16) {
    use std::os::fd::AsRawFd;
    // SAFETY: plain data, filled by the calls below.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    let mut w: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers to one termios / one winsize.
    unsafe {
        assert_eq!(libc::tcgetattr(fd.as_raw_fd(), &mut t), 0);
        assert_eq!(libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut w), 0);
    }
    (
        t.c_lflag & libc::ECHO != 0,
        t.c_lflag & libc::ICANON != 0,
        w.ws_row,
        w.ws_col,
    )
}

#[test]
fn the_callers_terminal_is_restored_after_the_command() {
    let f = Fixture::new();
    for (limits, script, code) in [
        ("{}", "stty raw -echo cols 7 rows 3 && touch changed", 0),
        (
            r#"{"max_execution_time":1500}"#,
            "stty raw -echo cols 7 rows 3 && touch changed; sleep 30",
            124,
        ),
    ] {
        let (_master, slave) = test_pty();
        let before = tty_state(&slave);
        assert_eq!(before, (true, true, 40, 100));
        let p = f.policy(NET_OFF, limits, "");
        let _ = fs::remove_file(f.ws.join("changed"));
        let io = |fd: &std::os::fd::OwnedFd| std::process::Stdio::from(fd.try_clone().unwrap());
        let status = Command::new(helper())
            .arg("--policy")
            .arg(&p)
            .arg("--workspace")
            .arg(&f.ws)
            .arg("--home")
            .arg(&f.home)
            .args(["--", "/bin/sh", "-c", script])
            .stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave))
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "{script}");
        assert!(
            f.ws.join("changed").exists(),
            "the command did not change the terminal"
        );
        assert_eq!(tty_state(&slave), before, "{script}");
    }
}
