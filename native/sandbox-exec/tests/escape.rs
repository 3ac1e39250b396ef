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

/// The helper with its three arguments every run has: the policy, the
/// workspace and the home.
fn helper_command(
    policy: impl AsRef<Path>,
    workspace: impl AsRef<Path>,
    home: impl AsRef<Path>,
) -> Command {
    let mut c = Command::new(helper());
    c.arg("--policy")
        .arg(policy.as_ref())
        .arg("--workspace")
        .arg(workspace.as_ref())
        .arg("--home")
        .arg(home.as_ref());
    c
}

/// The report the helper wrote to `path`, or `null` when there is none
/// (missing, empty or not JSON).
fn read_report(path: impl AsRef<Path>) -> serde_json::Value {
    fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
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
        let mut c = helper_command(policy, &self.ws, &self.home);
        c.arg("--report")
            .arg(&report)
            .args(args)
            .arg("--")
            .args(cmd);
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        let rep = read_report(&report);
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
    let p = f.policy(NET_OFF, r#"{"max_execution_time":1500}"#, "");
    // A sleep time nothing else uses marks the grandchildren; their pids
    // inside are those of the command's PID namespace, so they are found
    // from outside by their command lines.
    let marker = format!("60.{}", std::process::id());
    let script =
        format!("setsid sleep {marker} & (sleep {marker} &) ; sleep 0.3; echo started; sleep 60");
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(124), "{}", describe(&out, &rep));
    assert_eq!(rep["exit"]["timed_out"], true);
    assert!(
        text(&out.stdout).contains("started"),
        "{}",
        describe(&out, &rep)
    );
    // The helper reaped them, so they are gone (not even zombies).
    let left = processes_with(&marker);
    assert!(
        left.is_empty(),
        "grandchildren {left:?} survived the time limit"
    );
}

/// Pids of the host's processes whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for e in fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let cmdline = fs::read(e.path().join("cmdline")).unwrap_or_default();
        if text(&cmdline).contains(needle) {
            found.push(pid);
        }
    }
    found
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
            ("APP_DB_PW", "pw_leak10"),
            ("APP_ADMIN_PW", "pw_leak11"),
            ("APP_HMAC", "hmac_leak12"),
            ("APP_OTP_SEED", "otp_leak13"),
            ("APP_WEBHOOK_URL", "hook_leak14"),
            ("APP_SIGNING_KEYMAP", "sign_leak15"),
            ("APP_MODE", "mode16"),
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
        "pw_leak10",
        "pw_leak11",
        "hmac_leak12",
        "otp_leak13",
        "hook_leak14",
        "sign_leak15",
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
    assert!(
        stdout.contains("APP_MODE=mode16"),
        "{}",
        describe(&out, &rep)
    );
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
        // socket(AF_UNIX, SOCK_STREAM, 0): refused in every mode (a Unix
        // socket of the host could run commands outside)
        format!(
            "{},{},{},0",
            libc::SYS_socket,
            libc::AF_UNIX,
            libc::SOCK_STREAM
        ),
        // socketpair(AF_UNIX, SOCK_STREAM, 0, NULL) stays allowed: EFAULT
        // for the missing array, not EPERM
        format!(
            "{},{},{},0,0",
            libc::SYS_socketpair,
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
        vec![
            eperm,
            eperm,
            eperm,
            enosys,
            eperm,
            eperm,
            libc::EFAULT,
            eperm
        ],
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
    for i in [1, 3, 4, 5] {
        assert_ne!(
            outside[i], inside[i],
            "call {} outside: {outside:?}",
            calls[i]
        );
    }
}

/// Takes a read lease (`F_SETLEASE`, `F_RDLCK`) on each file named and
/// prints, for each, 0 or the errno.
const LEASE_PROBE: &str = r#"
import fcntl, os, sys
out = []
for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.fcntl(fd, 1024, fcntl.F_RDLCK)
        out.append("0")
    except OSError as e:
        out.append(str(e.errno))
    os.close(fd)
print(" ".join(out))
"#;

/// exec28 07: a lease (`fcntl(F_SETLEASE)`) on a file the command can
/// open and owns, outside the writable trees too, made every host process
/// that opened it for writing wait for the command (up to
/// `lease-break-time`, 45 s, each time). Mechanism: the seccomp filter
/// refuses `F_SETLEASE` with `EPERM`; outside the sandbox the same lease
/// is granted.
#[test]
fn leases_on_files_are_refused() {
    let f = Fixture::new();
    let victim = f.outside.join("victim");
    fs::write(&victim, "host file\n").unwrap();
    fs::write(f.ws.join("mine"), "run file\n").unwrap();
    let p = f.offline();
    let v = victim.display().to_string();
    let argv = ["python3", "-c", LEASE_PROBE, v.as_str(), "mine"];
    let (out, rep) = f.run_with(&p, &[], &argv, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let eperm = libc::EPERM.to_string();
    assert_eq!(
        text(&out.stdout).split_whitespace().collect::<Vec<_>>(),
        vec![eperm.as_str(), eperm.as_str()],
        "{}",
        describe(&out, &rep)
    );
    // Outside the sandbox the kernel grants it: the filter refused it.
    let outside = Command::new("python3")
        .args(["-c", LEASE_PROBE])
        .arg(&victim)
        .output()
        .expect("python3 is needed for this test");
    assert_eq!(
        text(&outside.stdout).trim(),
        "0",
        "{}",
        text(&outside.stderr)
    );
    // And a host writer is not kept waiting after the run.
    let t = std::time::Instant::now();
    fs::OpenOptions::new().append(true).open(&victim).unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(5));
}

/// With `--report-stderr` the report shares standard error with the
/// command: a partial line the command leaves there must not break it.
/// The mechanism: a newline before the report, always.
#[test]
fn the_report_is_the_last_line_of_a_shared_stderr() {
    let f = Fixture::new();
    let p = f.offline();
    for script in [
        "printf 'partial line' >&2",
        "printf 'whole line\\n' >&2",
        "true",
    ] {
        let out = helper_command(&p, &f.ws, &f.home)
            .arg("--report-stderr")
            .args(["--", "/bin/sh", "-c", script])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        let last = stderr
            .trim_end_matches('\n')
            .rsplit('\n')
            .next()
            .unwrap_or("");
        let rep: serde_json::Value = serde_json::from_str(last)
            .unwrap_or_else(|e| panic!("{script}: last line is not the report ({e}): {stderr:?}"));
        assert_eq!(rep["exit"]["code"], 0, "{script}: {stderr:?}");
        assert!(stderr.ends_with("}\n"), "{script}: {stderr:?}");
        if script.contains("partial") {
            assert!(stderr.starts_with("partial line\n"), "{stderr:?}");
        }
    }
}

/// The memory cgroup this process is in: (the directory, cgroup v2).
fn own_memory_cgroup() -> Option<(PathBuf, bool)> {
    let text = fs::read_to_string("/proc/self/cgroup").ok()?;
    let v2 = Path::new("/sys/fs/cgroup/cgroup.controllers");
    for l in text.lines() {
        let mut parts = l.splitn(3, ':');
        let (_, ctrls, path) = (parts.next()?, parts.next()?, parts.next()?);
        let rel = path.trim_start_matches('/');
        if ctrls.split(',').any(|c| c == "memory") {
            return Some((Path::new("/sys/fs/cgroup/memory").join(rel), false));
        }
        if ctrls.is_empty()
            && fs::read_to_string(v2).is_ok_and(|c| c.split_whitespace().any(|w| w == "memory"))
        {
            return Some((Path::new("/sys/fs/cgroup").join(rel), true));
        }
    }
    None
}

/// Where the helper makes its pids cgroup (cgroup v1) or its cgroup (v2):
/// the directory of this process's own.
fn own_run_cgroup_parent() -> Option<PathBuf> {
    let text = fs::read_to_string("/proc/self/cgroup").ok()?;
    if Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
        let rel = text.lines().find_map(|l| l.strip_prefix("0::"))?;
        return Some(Path::new("/sys/fs/cgroup").join(rel.trim_start_matches('/')));
    }
    text.lines().find_map(|l| {
        let mut parts = l.splitn(3, ':');
        let (_, ctrls, path) = (parts.next()?, parts.next()?, parts.next()?);
        ctrls
            .split(',')
            .any(|c| c == "pids")
            .then(|| Path::new("/sys/fs/cgroup/pids").join(path.trim_start_matches('/')))
    })
}

/// Filling the run's tmpfs in a memory-limited cgroup (the workspace
/// preset sets no `max_memory`, so no memory cgroup of the run's own):
/// tmpfs pages belong to no process, and the kernel OOM-killed the helper,
/// leaving no report and the run's cgroup behind. The mechanisms: a `size=`
/// on every tmpfs of the run, `oom_score_adj` 1000 for the command, and
/// leftover cgroups of dead helpers removed when a run starts.
#[test]
fn filling_tmpfs_kills_the_command_and_the_helper_reports() {
    // SAFETY: no arguments, no side effects.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: a memory cgroup for the fixture needs root");
        return;
    }
    let Some((mem_parent, v2)) = own_memory_cgroup() else {
        eprintln!("skipped: no memory cgroup controller");
        return;
    };
    let Some(run_parent) = own_run_cgroup_parent() else {
        eprintln!("skipped: no cgroup for the helper's runs");
        return;
    };
    let f = Fixture::new();
    let p = f.offline();
    let fixture = mem_parent.join(format!("ku0-escape-oom-{}", std::process::id()));
    fs::create_dir(&fixture).unwrap();
    struct Remove(PathBuf);
    impl Drop for Remove {
        fn drop(&mut self) {
            for _ in 0..200 {
                if fs::remove_dir(&self.0).is_ok() || !self.0.exists() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    let _cleanup = Remove(fixture.clone());
    let limit = (256u64 << 20).to_string();
    if v2 {
        fs::write(fixture.join("memory.max"), &limit).unwrap();
        let _ = fs::write(fixture.join("memory.swap.max"), "0");
    } else {
        fs::write(fixture.join("memory.limit_in_bytes"), &limit).unwrap();
        let _ = fs::write(fixture.join("memory.memsw.limit_in_bytes"), &limit);
    }
    // A cgroup a killed helper left behind: its pid is gone.
    let dead = Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    let mut dead = dead;
    dead.wait().unwrap();
    let stale = run_parent.join(format!("sandbox-exec-{dead_pid}"));
    let planted = fs::create_dir(&stale).is_ok();

    let report = f.root.join("report.json");
    let fill = "head -c 700M /dev/zero > \"$TMPDIR/fill\"; echo tmp=$?; \
                head -c 700M /dev/zero > /dev/shm/fill; echo shm=$?; \
                cat /proc/self/oom_score_adj; exit 0";
    let child = Command::new("/bin/sh")
        .args(["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\""])
        .arg(&fixture)
        .arg(helper())
        .arg("--policy")
        .arg(&p)
        .arg("--workspace")
        .arg(&f.ws)
        .arg("--home")
        .arg(&f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", fill])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let helper_pid = child.id();
    let out = child.wait_with_output().unwrap();
    let rep: serde_json::Value = read_report(&report);
    assert!(
        rep.is_object(),
        "no report: the helper died\n{}",
        describe(&out, &rep)
    );
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("tmp=0") || !stdout.contains("shm=0"),
        "both fills succeeded: {}",
        describe(&out, &rep)
    );
    assert!(
        !run_parent
            .join(format!("sandbox-exec-{helper_pid}"))
            .exists(),
        "the run's cgroup was left behind"
    );
    if planted {
        assert!(!stale.exists(), "a dead helper's cgroup was not removed");
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

// ---- Escape classes closed by mechanism -------------------------------

/// Mode, owner, times and extended attributes of one file, as seen outside.
fn metadata_of(p: &Path) -> (u32, u32, u32, i64, Option<Vec<u8>>) {
    use std::os::unix::fs::MetadataExt;
    let m = fs::symlink_metadata(p).unwrap();
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    let name = c"user.escape";
    let mut buf = [0u8; 64];
    // SAFETY: both strings are NUL-terminated; `buf` is writable for its length.
    let n = unsafe {
        libc::getxattr(
            c.as_ptr(),
            name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    let xattr = (n >= 0).then(|| buf[..n as usize].to_vec());
    (m.mode(), m.uid(), m.gid(), m.mtime(), xattr)
}

const METADATA_PROBE: &str = r#"
import os, sys
p = sys.argv[1]
def attempt(name, f):
    try:
        f()
        print(name, "changed")
    except OSError as e:
        print(name, "refused", e.errno)
attempt("chmod", lambda: os.chmod(p, 0o777))
attempt("chmod-setuid", lambda: os.chmod(p, 0o4777))
attempt("chown", lambda: os.chown(p, os.getuid(), os.getgid()))
attempt("chown-other", lambda: os.chown(p, 1, 1))
attempt("utime", lambda: os.utime(p, (1000000000, 1000000000)))
attempt("setxattr", lambda: os.setxattr(p, "user.escape", b"x"))
attempt("dir-chmod", lambda: os.chmod(os.path.dirname(p), 0o777))
"#;

/// Landlock does not govern chmod, chown, utimes or xattrs: the mechanism
/// that stops them is the read-only view (every mount outside the writable
/// roots read-only in the child's mount namespace).
#[test]
fn metadata_outside_the_writable_trees_cannot_change() {
    let f = Fixture::new();
    let target = f.outside.join("fixture.bin");
    fs::write(&target, "fixture").unwrap();
    let before = metadata_of(&target);
    let dir_before = metadata_of(&f.outside);
    let p = f.offline();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["python3", "-c", METADATA_PROBE, target.to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let said = text(&out.stdout);
    assert!(!said.contains("changed"), "{}", describe(&out, &rep));
    assert_eq!(metadata_of(&target), before, "{}", describe(&out, &rep));
    assert_eq!(metadata_of(&f.outside), dir_before);
    // Control: inside the workspace the same calls work (the owner's own
    // chown, chmod, utime, xattr), except a set-ID mode, which no file
    // anywhere may get (see no_set_id_file_is_left_in_the_workspace).
    let own = f.ws.join("own.bin");
    fs::write(&own, "mine").unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["python3", "-c", METADATA_PROBE, own.to_str().unwrap()],
        &[],
    );
    let said = text(&out.stdout);
    for op in ["chmod ", "chown ", "utime", "setxattr"] {
        assert!(
            said.lines()
                .any(|l| l.starts_with(op) && l.ends_with("changed")),
            "{op}: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        said.lines().any(|l| l == "chmod-setuid refused 1"),
        "{}",
        describe(&out, &rep)
    );
}

const SHM_PROBE: &str = r#"
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
addr = libc.shmat(int(sys.argv[1]), None, 0)
if addr in (None, ctypes.c_void_p(-1).value):
    print("attach refused", ctypes.get_errno())
else:
    print("read", ctypes.string_at(addr, 16))
    ctypes.memmove(addr, b"overwritten-by-sandbox", 22)
"#;

const MQ_PROBE: &str = r#"
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.mq_open(sys.argv[1].encode(), os.O_CREAT | os.O_RDWR, 0o600, None)
print("mq_open", fd, ctypes.get_errno())
"#;

/// A System V segment of a process outside and POSIX message queues: the
/// mechanism is the child's own IPC namespace (with a fresh `/dev/shm`).
#[test]
fn ipc_objects_of_the_host_are_out_of_reach_and_none_outlive_the_run() {
    let f = Fixture::new();
    // SAFETY: plain System V calls on a private segment this test owns.
    let id = unsafe { libc::shmget(libc::IPC_PRIVATE, 4096, libc::IPC_CREAT | 0o600) };
    assert!(id >= 0, "shmget: {}", std::io::Error::last_os_error());
    // SAFETY: `id` is the segment created above; the mapping is 4096 bytes.
    let addr = unsafe { libc::shmat(id, std::ptr::null(), 0) } as *mut u8;
    assert!(addr as isize != -1);
    let marker = b"host-secret-0042";
    // SAFETY: the segment is 4096 bytes long, mapped read-write.
    unsafe { std::ptr::copy_nonoverlapping(marker.as_ptr(), addr, marker.len()) };
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &["python3", "-c", SHM_PROBE, &id.to_string()], &[]);
    // SAFETY: reading the first 16 bytes of the mapped segment.
    let now = unsafe { std::slice::from_raw_parts(addr, 16) }.to_vec();
    // SAFETY: detach and remove the test's own segment.
    unsafe {
        libc::shmdt(addr.cast());
        libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut());
    }
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("host-secret"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(&now[..], &marker[..], "the segment was changed from inside");

    let name = format!("/ku0-escape-{}", std::process::id());
    let (out, rep) = f.run_with(&p, &[], &["python3", "-c", MQ_PROBE, &name], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let c = std::ffi::CString::new(name.clone()).unwrap();
    // SAFETY: `c` is NUL-terminated; O_RDONLY without O_CREAT takes no more arguments.
    let mq = unsafe { libc::mq_open(c.as_ptr(), libc::O_RDONLY) };
    if mq >= 0 {
        // SAFETY: closing and removing the queue the run left behind.
        unsafe {
            libc::mq_close(mq);
            libc::mq_unlink(c.as_ptr());
        }
    }
    assert!(
        mq < 0,
        "the message queue {name} outlived the run: {}",
        describe(&out, &rep)
    );
    // POSIX shared memory works inside and stays inside.
    let shm_name = format!("ku0-escape-{}", std::process::id());
    let (out, rep) = f.sh(
        &p,
        &format!("echo x > /dev/shm/{shm_name} && cat /dev/shm/{shm_name}"),
    );
    assert_eq!(text(&out.stdout), "x\n", "{}", describe(&out, &rep));
    assert!(!Path::new("/dev/shm").join(&shm_name).exists());
}

/// Other processes and the host's socket tables: the mechanism is the PID
/// namespace with its own `/proc`, and the network namespace the child
/// gets in every mode (`/proc/net` shows the mounting process's).
#[test]
fn host_processes_and_socket_tables_are_invisible() {
    let f = Fixture::new();
    let marker = format!("ku0-escape-marker-{}", std::process::id());
    let mut fixture = Command::new("/bin/sh")
        .args(["-c", "sleep 30", &marker])
        .spawn()
        .unwrap();
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = format!(":{:04X}", tcp.local_addr().unwrap().port());
    let sock_path = f.outside.join("table.sock");
    let _unix = std::os::unix::net::UnixListener::bind(&sock_path).unwrap();
    let p = f.offline();
    let script = format!(
        "cat /proc/{}/cmdline; cat /proc/*/cmdline; cat /proc/net/tcp /proc/net/unix; echo done",
        fixture.id()
    );
    let (out, rep) = f.sh(&p, &script);
    let _ = fixture.kill();
    let _ = fixture.wait();
    let said = text(&out.stdout);
    assert!(said.contains("done"), "{}", describe(&out, &rep));
    // Only the offending part in the message: the rest lists the host's
    // processes.
    assert!(!said.contains(&marker), "saw the outside process {marker}");
    assert!(
        !said.contains(&port),
        "saw the host's TCP table (listener {port})"
    );
    assert!(
        !said.contains("table.sock"),
        "saw the host's Unix socket table"
    );
    // Control: outside, the socket is listed.
    let outside = fs::read_to_string("/proc/net/unix").unwrap();
    assert!(outside.contains("table.sock"));
}

const CONNECT_PROBE: &str = r#"
import socket, sys
for target in sys.argv[1:]:
    addr = "\0" + target[1:] if target.startswith("@") else target
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(addr)
        s.sendall(b"hello from inside")
        print(target, "connected")
    except OSError as e:
        print(target, "refused", e.errno)
a, b = socket.socketpair()
a.sendall(b"p")
print("socketpair", b.recv(1))
"#;

/// Unix sockets of the host, by path and abstract name: the mechanism is
/// seccomp refusing `socket(AF_UNIX)` (socketpair stays), with abstract
/// names also private to the child's network namespace.
#[test]
fn unix_sockets_of_the_host_are_unreachable() {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixListener};
    let f = Fixture::new();
    let path = f.outside.join("server.sock");
    let by_path = UnixListener::bind(&path).unwrap();
    let abstract_name = format!("ku0-escape-{}", std::process::id());
    let by_name =
        UnixListener::bind_addr(&SocketAddr::from_abstract_name(abstract_name.as_bytes()).unwrap())
            .unwrap();
    by_path.set_nonblocking(true).unwrap();
    by_name.set_nonblocking(true).unwrap();
    let p = f.offline();
    let at = format!("@{abstract_name}");
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["python3", "-c", CONNECT_PROBE, path.to_str().unwrap(), &at],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        by_path.accept().is_err(),
        "the pathname socket accepted: {}",
        describe(&out, &rep)
    );
    assert!(
        by_name.accept().is_err(),
        "the abstract socket accepted: {}",
        describe(&out, &rep)
    );
    assert!(
        !text(&out.stdout).contains("connected"),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        text(&out.stdout).contains("socketpair b'p'"),
        "{}",
        describe(&out, &rep)
    );
    // Control: outside, the same probe connects to both.
    let o = Command::new("python3")
        .args(["-c", CONNECT_PROBE, path.to_str().unwrap(), &at])
        .output()
        .unwrap();
    assert_eq!(
        text(&o.stdout).matches("connected").count(),
        2,
        "{}",
        text(&o.stdout)
    );
}

const DGRAM_PROBE: &str = r#"
import socket, sys
dgram, seqpacket = sys.argv[1], sys.argv[2]
def attempt(name, kind, how):
    try:
        a, b = socket.socketpair(socket.AF_UNIX, kind)
    except OSError as e:
        print(name, "socketpair refused", e.errno)
        return
    try:
        how(a)
        print(name, "sent")
    except OSError as e:
        print(name, "refused", e.errno)
def connect_send(s):
    s.connect(dgram)
    s.send(b"connect+send")
attempt("dgram-sendto", socket.SOCK_DGRAM, lambda s: s.sendto(b"dgram-sendto", dgram))
attempt("dgram-connect", socket.SOCK_DGRAM, connect_send)
attempt("stream-sendto", socket.SOCK_STREAM, lambda s: s.sendto(b"stream-sendto", dgram))
attempt("seqpacket-sendto", socket.SOCK_SEQPACKET, lambda s: s.sendto(b"seqpacket-sendto", seqpacket))
attempt("seqpacket-connect", socket.SOCK_SEQPACKET, lambda s: s.connect(seqpacket))
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET | socket.SOCK_CLOEXEC)
a.send(b"q")
print("pair", b.recv(1))
"#;

/// Messages to a pathname datagram socket of the host (the way to the
/// system log): the mechanism is seccomp allowing `socketpair` only for
/// stream and seqpacket pairs, which stay connected to each other.
#[test]
fn datagrams_do_not_reach_host_unix_sockets() {
    use std::os::unix::net::UnixDatagram;
    let f = Fixture::new();
    let dgram_path = f.outside.join("log.sock");
    let seq_path = f.outside.join("seq.sock");
    let server = UnixDatagram::bind(&dgram_path).unwrap();
    server.set_nonblocking(true).unwrap();
    // A seqpacket listener, made with the C library (std has none).
    let seq = seqpacket_listener(&seq_path);
    let p = f.offline();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "python3",
            "-c",
            DGRAM_PROBE,
            dgram_path.to_str().unwrap(),
            seq_path.to_str().unwrap(),
        ],
        &[],
    );
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while let Ok(n) = server.recv(&mut buf) {
        got.push(text(&buf[..n]));
    }
    assert!(
        got.is_empty(),
        "datagrams arrived: {got:?}\n{}",
        describe(&out, &rep)
    );
    assert!(
        !seq.accepted(),
        "the seqpacket listener accepted: {}",
        describe(&out, &rep)
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("pair b'q'"), "{}", describe(&out, &rep));
    assert!(
        stdout.contains("dgram-sendto socketpair refused"),
        "{}",
        describe(&out, &rep)
    );
    // Control: outside, the datagram routes arrive.
    let o = Command::new("python3")
        .args([
            "-c",
            DGRAM_PROBE,
            dgram_path.to_str().unwrap(),
            seq_path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let mut outside = Vec::new();
    while let Ok(n) = server.recv(&mut buf) {
        outside.push(text(&buf[..n]));
    }
    assert_eq!(
        outside,
        ["dgram-sendto", "connect+send"],
        "{}",
        text(&o.stdout)
    );
}

/// A listening seqpacket socket; `accepted` tells whether a connection waits.
struct SeqListener(std::os::fd::OwnedFd);

impl SeqListener {
    fn accepted(&self) -> bool {
        use std::os::fd::AsRawFd;
        // SAFETY: accept4 on a descriptor we own, without an address buffer.
        let fd = unsafe {
            libc::accept4(
                self.0.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                libc::SOCK_CLOEXEC,
            )
        };
        if fd >= 0 {
            // SAFETY: the descriptor was just returned to us.
            unsafe { libc::close(fd) };
        }
        fd >= 0
    }
}

fn seqpacket_listener(path: &Path) -> SeqListener {
    use std::os::fd::FromRawFd;
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: plain socket calls on a fresh descriptor and a zeroed,
    // bounds-checked sockaddr_un.
    unsafe {
        let fd = libc::socket(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        );
        assert!(fd >= 0);
        let owned = std::os::fd::OwnedFd::from_raw_fd(fd);
        let mut addr: libc::sockaddr_un = std::mem::zeroed();
        addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        let bytes = path.as_os_str().as_bytes();
        assert!(bytes.len() < addr.sun_path.len());
        for (d, s) in addr.sun_path.iter_mut().zip(bytes) {
            *d = *s as libc::c_char;
        }
        let len = std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
        assert_eq!(
            libc::bind(fd, &addr as *const _ as *const libc::sockaddr, len),
            0
        );
        assert_eq!(libc::listen(fd, 4), 0);
        SeqListener(owned)
    }
}

const PROXY_CLIENT: &str = r#"
import os, socket, time
host, port = os.environ["HTTP_PROXY"].rsplit("/", 1)[-1].split(":")
time.sleep(1.5)
held = []
for _ in range(20):
    try:
        held.append(socket.create_connection((host, int(port)), timeout=2))
    except OSError:
        pass
time.sleep(60)
"#;

/// A fork bomb that exhausts the processes of its user while the command
/// makes the proxy start threads: the mechanisms are the PID namespace
/// (killing its first process kills all), the run's cgroup (where one can
/// be made), a proxy that caps its threads and survives failing to start
/// one, and a helper that kills the tree and writes its report on any path.
#[test]
fn a_fork_bomb_is_bounded_and_the_helper_still_cleans_up() {
    use std::os::unix::process::CommandExt;
    let f = Fixture::new();
    let p = proxy_policy_with_limit(&f, 4000);
    let marker = format!("ku0-bomb-{}", std::process::id());
    let script = "python3 -c \"$1\" & b() { b & b & wait; }; b";
    let report = f.root.join("bomb-report.json");
    let started = std::time::Instant::now();
    let mut c = helper_command(&p, &f.ws, &f.home);
    c.arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", script, &marker, PROXY_CLIENT])
        .stderr(std::process::Stdio::null());
    // A low process limit for the run (the helper never raises it), so that
    // the bomb reaches it quickly and stays small.
    // SAFETY: setrlimit is async-signal-safe and touches no shared state.
    unsafe {
        c.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 300,
                rlim_max: 300,
            };
            libc::setrlimit(libc::RLIMIT_NPROC, &lim);
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let took = started.elapsed();
    let rep: serde_json::Value = read_report(&report);
    let left = processes_with(&marker);
    for pid in &left {
        // SAFETY: killing leftovers of this test only.
        unsafe { libc::kill(*pid, libc::SIGKILL) };
    }
    assert_eq!(out.status.code(), Some(124), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "timeout", "{}", describe(&out, &rep));
    assert!(left.is_empty(), "{} processes survived the run", left.len());
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

fn proxy_policy_with_limit(f: &Fixture, ms: u64) -> PathBuf {
    f.policy(
        r#"{"enabled":true,"allowed_domains":["localhost"],"allow_localhost":true,"allow_https":true,"allow_http":true}"#,
        &format!(r#"{{"max_execution_time":{ms}}}"#),
        "",
    )
}

// Git indirection: a command plants a pointer that git follows, and the
// user's next ordinary `git status` outside the sandbox would run planted
// code. Each case runs the real git outside afterwards, with the fixture
// home and no system configuration, and asserts that the marker script
// (outside the workspace, so nothing inside can write the marker itself)
// did not run.

/// A repository in the workspace with one commit, a marker script outside
/// it, and a git dir with `core.fsmonitor` set to that script, ready to be
/// pointed at. `git status` runs the fsmonitor command.
struct GitFixture {
    f: Fixture,
    marker: PathBuf,
    /// `core.fsmonitor = <script>` as a configuration file body.
    evil_config: String,
}

fn git_in(f: &Fixture, dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .env("HOME", &f.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap()
}

impl GitFixture {
    fn new() -> GitFixture {
        let f = Fixture::new();
        let marker = f.root.join("marker");
        let script = f.root.join("planted.sh");
        fs::write(
            &script,
            format!("#!/bin/sh\necho ran >> {}\nexit 1\n", marker.display()),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        for args in [
            &["init", "-q", "-b", "main"][..],
            &["commit", "-q", "--allow-empty", "-m", "init"][..],
        ] {
            let out = git_in(&f, &f.ws, args);
            assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        }
        let evil_config = format!("[core]\n\tfsmonitor = {}\n", script.display());
        GitFixture {
            f,
            marker,
            evil_config,
        }
    }

    /// Run `script` in the sandbox (workspace mode, `EVIL` holding the
    /// configuration body), then `git status` in each of `dirs` outside.
    /// Returns whether the marker ran, and the report.
    fn plant_then_status(&self, script: &str, dirs: &[&str]) -> (bool, serde_json::Value) {
        let p = self.f.offline();
        let (out, rep) = self.f.run_with(
            &p,
            &["--env", &format!("EVIL={}", self.evil_config)],
            &["/bin/sh", "-c", script],
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        // The planted pointer would take effect on an ordinary command.
        for d in dirs {
            let _ = git_in(&self.f, &self.f.ws.join(d), &["status", "--short"]);
        }
        (self.marker.exists(), rep)
    }

    fn quarantined(rep: &serde_json::Value) -> Vec<String> {
        rep["git_quarantined"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|q| q["path"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A planted evil git dir inside the workspace, as a command would make it.
const MAKE_EVIL_GITDIR: &str = "mkdir -p evil/objects evil/refs/heads && \
    printf 'ref: refs/heads/main\\n' > evil/HEAD && printf '%s' \"$EVIL\" > evil/config";

#[test]
fn git_commondir_planted_in_dot_git_is_moved_aside_after_the_run() {
    // Mechanism: the post-run sweep (a missing file cannot be mounted over).
    let g = GitFixture::new();
    let script = format!("{MAKE_EVIL_GITDIR} && printf '../evil\\n' > .git/commondir; exit 0");
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!g.f.ws.join(".git/commondir").exists(), "{rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with(".git/commondir")), "{rep}");
}

#[test]
fn git_file_planted_in_a_new_directory_is_moved_aside_after_the_run() {
    // Mechanism: the post-run sweep finds `.git` files the run created.
    let g = GitFixture::new();
    let script = format!(
        "{MAKE_EVIL_GITDIR} && mkdir -p nested && printf 'gitdir: ../evil\\n' > nested/.git && \
         mkdir -p linked && ln -s ../evil linked/.git; exit 0"
    );
    let (ran, rep) = g.plant_then_status(&script, &["nested", "linked"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(
        fs::symlink_metadata(g.f.ws.join("nested/.git")).is_err(),
        "{rep}"
    );
    assert!(
        fs::symlink_metadata(g.f.ws.join("linked/.git")).is_err(),
        "{rep}"
    );
}

#[test]
fn git_repositories_created_during_the_run_lose_their_configuration() {
    // Mechanism: the post-run sweep moves aside the configuration and hooks
    // of repositories created during the run.
    let g = GitFixture::new();
    let script = "git init -q newrepo && printf '%s' \"$EVIL\" >> newrepo/.git/config && \
        mkdir -p bare/.git/refs bare/.git/objects && printf 'ref: refs/heads/main\\n' > bare/.git/HEAD && \
        printf '%s' \"$EVIL\" > bare/.git/config; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["newrepo", "bare"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!g.f.ws.join("newrepo/.git/config").exists(), "{rep}");
    assert!(g.f.ws.join("newrepo/.git/HEAD").exists());
    // What was moved aside is kept beside it for the user to inspect.
    assert!(g
        .f
        .ws
        .join("newrepo/.git/config.ku0-quarantine-1")
        .is_file());
}

#[test]
fn git_worktree_pointers_are_read_only() {
    // Mechanism: read-only binds of `worktrees/*/commondir` and `gitdir`.
    let g = GitFixture::new();
    let out = git_in(&g.f, &g.f.ws, &["worktree", "add", "-q", "wt"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = format!(
        "{MAKE_EVIL_GITDIR} && printf '../../../evil\\n' > .git/worktrees/wt/commondir; \
         printf '%s' \"$EVIL\" > .git/worktrees/wt/config.worktree; exit 0"
    );
    let (ran, rep) = g.plant_then_status(&script, &["wt"]);
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(g.f.ws.join(".git/worktrees/wt/commondir")).unwrap(),
        "../..\n"
    );
}

#[test]
fn git_submodule_git_file_is_read_only() {
    // Mechanism: a `.git` file that exists is bound read-only.
    let g = GitFixture::new();
    fs::create_dir_all(g.f.ws.join("lib")).unwrap();
    fs::create_dir_all(g.f.ws.join(".git/modules")).unwrap();
    let out = git_in(
        &g.f,
        &g.f.ws.join("lib"),
        &["init", "-q", "--separate-git-dir", "../.git/modules/lib"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = fs::read_to_string(g.f.ws.join("lib/.git")).unwrap();
    let script = format!("{MAKE_EVIL_GITDIR} && printf 'gitdir: ../evil\\n' > lib/.git; exit 0");
    let (ran, rep) = g.plant_then_status(&script, &["lib"]);
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(fs::read_to_string(g.f.ws.join("lib/.git")).unwrap(), before);
}

#[test]
fn git_include_targets_alternates_and_info_cannot_be_changed() {
    // Mechanism: read-only binds of what exists (the included file,
    // info/exclude); the sweep for what the run creates (alternates, a
    // missing include target, info/attributes in a new info/).
    let g = GitFixture::new();
    let cfg = g.f.ws.join(".git/config");
    let mut text0 = fs::read_to_string(&cfg).unwrap();
    text0.push_str("[include]\n\tpath = ../local.gitconfig\n\tpath = ../missing.gitconfig\n");
    fs::write(&cfg, text0).unwrap();
    fs::write(g.f.ws.join("local.gitconfig"), "").unwrap();
    let script = "printf '%s' \"$EVIL\" >> local.gitconfig; \
        printf '%s' \"$EVIL\" > missing.gitconfig; \
        mkdir -p elsewhere/objects && echo \"$PWD/elsewhere/objects\" > .git/objects/info/alternates; \
        echo '*' >> .git/info/exclude; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(g.f.ws.join("local.gitconfig")).unwrap(),
        ""
    );
    assert!(!g.f.ws.join("missing.gitconfig").exists(), "{rep}");
    assert!(
        !g.f.ws.join(".git/objects/info/alternates").exists(),
        "{rep}"
    );
    assert!(!fs::read_to_string(g.f.ws.join(".git/info/exclude"))
        .unwrap()
        .ends_with("*\n"));
}

#[test]
fn ordinary_git_work_inside_the_sandbox_keeps_working() {
    // Objects, refs, logs, index and HEAD stay writable.
    let g = GitFixture::new();
    let script = "echo a > a.txt && git add a.txt && git -c user.name=t -c user.email=t@example.invalid commit -q -m a && \
        git checkout -q -b feature && echo b >> a.txt && git diff --quiet; test $? = 1 && git status --short >/dev/null && \
        git -c user.name=t -c user.email=t@example.invalid commit -qam b && git gc -q && git log --oneline | wc -l";
    let p = g.f.offline();
    let (out, rep) = g.f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(text(&out.stdout).trim(), "3", "{}", describe(&out, &rep));
    assert!(GitFixture::quarantined(&rep).is_empty(), "{rep}");
    let head = git_in(&g.f, &g.f.ws, &["rev-parse", "--abbrev-ref", "HEAD"]);
    assert_eq!(text(&head.stdout).trim(), "feature");
    assert!(!g.marker.exists());
}

#[test]
fn git_configuration_the_user_changes_outside_during_the_run_is_moved_aside_restorably() {
    // git saves `.git/config` by renaming a new file over it, which removes
    // the run's read-only bind of the old one: the command could write the
    // new one, so the sweep cannot tell the user's change from the run's.
    // It moves it aside and says how to put it back.
    let g = GitFixture::new();
    let p = g.f.offline();
    let report = g.f.root.join("report-outside.json");
    let mut child = helper_command(&p, &g.f.ws, &g.f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sleep", "1"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let out = git_in(&g.f, &g.f.ws, &["config", "branch.main.remote", "origin"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(child.wait().unwrap().success());
    let rep: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let cfg = g.f.ws.join(".git/config");
    assert_eq!(
        GitFixture::quarantined(&rep),
        vec![cfg.display().to_string()],
        "{rep}"
    );
    let why = rep["git_quarantined"][0]["why"].as_str().unwrap();
    let moved = g.f.ws.join(".git/config.ku0-quarantine-1");
    assert!(
        why.contains(&format!("mv '{}' '{}'", moved.display(), cfg.display())),
        "{rep}"
    );
    // Moved back as the report says, the user's change is all there.
    fs::rename(&moved, &cfg).unwrap();
    let text = fs::read_to_string(&cfg).unwrap();
    assert!(text.contains("remote = origin"), "{text}");
}

/// Every entry below `dir` (links not followed) with its type and inode:
/// a rename, a new entry or a replaced one shows.
fn tree_listing(dir: &Path) -> Vec<(PathBuf, u32, u64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                todo.push(p.clone());
            }
            out.push((p, m.mode() & 0o170000, m.ino()));
        }
    }
    out.sort();
    out
}

#[test]
fn git_links_to_outside_directories_are_moved_aside_and_never_followed() {
    // Mechanism: the search, the plan and the sweep open every path with
    // no link on the way; a link where git expects the directory of
    // submodule or worktree git dirs is itself moved aside.
    let g = GitFixture::new();
    // An outside repository, and one in the (outside) home directory.
    let repo = g.f.outside.join("repo");
    let proj = g.f.home.join("proj");
    for d in [&repo, &proj] {
        fs::create_dir_all(d).unwrap();
        let out = git_in(&g.f, d, &["init", "-q", "-b", "main"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let outside_before = tree_listing(&g.f.outside);
    let home_before = tree_listing(&g.f.home);
    let p = g.f.offline();
    let envs = [
        format!("OUT={}", g.f.outside.display()),
        format!("H={}", g.f.home.display()),
    ];
    let args = ["--env", &envs[0], "--env", &envs[1]];
    let script = "ln -s \"$OUT\" .git/modules; ln -s \"$H\" .git/worktrees; exit 0";
    let mut quarantined = Vec::new();
    for run in 0..2 {
        let (out, rep) = g.f.run_with(&p, &args, &["/bin/sh", "-c", script], &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "run {run}: {}",
            describe(&out, &rep)
        );
        quarantined.push(GitFixture::quarantined(&rep));
        assert!(
            fs::symlink_metadata(g.f.ws.join(".git/modules")).is_err()
                && fs::symlink_metadata(g.f.ws.join(".git/worktrees")).is_err(),
            "run {run}: {rep}"
        );
    }
    assert_eq!(tree_listing(&g.f.outside), outside_before);
    assert_eq!(tree_listing(&g.f.home), home_before);
    // The links themselves were moved aside, reported by their own paths.
    for (run, q) in quarantined.iter().enumerate() {
        let mut q = q.clone();
        q.sort();
        let want = [".git/modules", ".git/worktrees"].map(|r| g.f.ws.join(r).display().to_string());
        assert_eq!(q, want, "run {run}");
    }
    for n in ["modules", "worktrees"] {
        for i in [1, 2] {
            let m = fs::symlink_metadata(g.f.ws.join(format!(".git/{n}.ku0-quarantine-{i}")));
            assert!(m.is_ok_and(|m| m.file_type().is_symlink()), "{n} {i}");
        }
    }
    let out = git_in(&g.f, &proj, &["status", "--short"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn existing_repositories_in_dependency_stores_and_deep_directories_are_protected() {
    // Mechanism: the search before the run enters every directory, so their
    // configuration is bound read-only like any other repository's.
    let g = GitFixture::new();
    let dirs = ["node_modules/dep", "a/b/c/d/e/f/g/h/deep"];
    let mut before = Vec::new();
    for d in dirs {
        let dir = g.f.ws.join(d);
        fs::create_dir_all(&dir).unwrap();
        let out = git_in(&g.f, &dir, &["init", "-q", "-b", "main"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        before.push(fs::read_to_string(dir.join(".git/config")).unwrap());
    }
    let script = "printf '%s' \"$EVIL\" >> node_modules/dep/.git/config; \
        printf '%s' \"$EVIL\" >> a/b/c/d/e/f/g/h/deep/.git/config; \
        echo evil > node_modules/dep/.git/hooks/fsmonitor-watchman; exit 0";
    let (ran, rep) = g.plant_then_status(script, &dirs);
    assert!(!ran, "planted code ran: {rep}");
    for (d, b) in dirs.iter().zip(&before) {
        let cfg = g.f.ws.join(d).join(".git/config");
        assert_eq!(&fs::read_to_string(&cfg).unwrap(), b, "{d}: {rep}");
    }
    assert!(!g
        .f
        .ws
        .join("node_modules/dep/.git/hooks/fsmonitor-watchman")
        .exists());
}

#[test]
fn a_hooks_link_of_the_project_keeps_its_target_read_only() {
    // Mechanism: the link is never bound itself; its target, by its real
    // path, is.
    let g = GitFixture::new();
    let hooks = g.f.ws.join(".git/hooks");
    fs::remove_dir_all(&hooks).unwrap();
    fs::create_dir_all(g.f.ws.join("githooks")).unwrap();
    std::os::unix::fs::symlink("../githooks", &hooks).unwrap();
    let script = "echo evil > githooks/pre-commit; echo evil > .git/hooks/post-checkout; exit 0";
    let p = g.f.offline();
    let (out, rep) = g.f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(!g.f.ws.join("githooks/pre-commit").exists(), "{rep}");
    assert!(!g.f.ws.join("githooks/post-checkout").exists(), "{rep}");
    assert!(fs::symlink_metadata(&hooks)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(GitFixture::quarantined(&rep).is_empty(), "{rep}");
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

/// A tunnel is judged as `https` but carries what the client sends: with
/// the shipped workspace preset (`allow_http: false`), `CONNECT` to another
/// port of an allowed host carried plaintext. The mechanism: tunnels go to
/// port 443 unless an allow-list entry names the port.
#[test]
fn tunnels_to_unnamed_ports_carry_no_plaintext() {
    let f = Fixture::new();
    let rec = Recorder::start();
    let port = rec.port;
    let preset = f.root.join("workspace.json");
    fs::write(&preset, include_str!("../../../policies/workspace.json")).unwrap();
    let tunnel = format!(
        "CONNECT github.com:{port} HTTP/1.1\r\nHost: github.com:{port}\r\n\r\nGET /plain HTTP/1.1\r\nHost: github.com\r\n\r\n"
    );
    let (out, rep) = send_raw(
        &f,
        &preset,
        std::slice::from_ref(&tunnel),
        &["--resolve", "github.com=127.0.0.1"],
    );
    let stdout = text(&out.stdout);
    let evs = events(&rep);
    // Control: with an entry naming the port, the same tunnel opens.
    let named = f.policy(
        &format!(
            r#"{{"enabled":true,"allowed_domains":["github.com:{port}"],"allow_localhost":true,"allow_https":true,"allow_http":false}}"#
        ),
        "{}",
        "",
    );
    let (out2, rep2) = send_raw(
        &f,
        &named,
        std::slice::from_ref(&tunnel),
        &["--resolve", "github.com=127.0.0.1"],
    );
    let seen = rec.finish();
    assert_eq!(
        seen.len(),
        1,
        "{seen:?}\n{}\n{}",
        describe(&out, &rep),
        describe(&out2, &rep2)
    );
    assert!(seen[0].starts_with("GET /plain "), "{seen:?}");
    assert!(stdout.contains(" 403 "), "{}", describe(&out, &rep));
    assert_eq!(evs.len(), 1, "{}", describe(&out, &rep));
    assert_eq!(evs[0]["verdict"], "deny", "{}", evs[0]);
    assert_eq!(evs[0]["code"], "TUNNEL_PORT_NOT_ALLOWED", "{}", evs[0]);
    assert!(evs[0]["address"].is_null(), "{}", evs[0]);
    let evs2 = events(&rep2);
    assert_eq!(evs2.len(), 1, "{}", describe(&out2, &rep2));
    assert_eq!(evs2[0]["verdict"], "allow", "{}", evs2[0]);
}

#[test]
fn ip_literals_are_connected_to_and_reported_as_judged() {
    let f = Fixture::new();
    let rec = Recorder::start();
    let port = rec.port;
    let p = f.policy(
        // The tunnel goes to the listener's port, so an entry names it.
        &format!(
            r#"{{"enabled":true,"allowed_domains":["localhost","127.0.0.1","127.0.0.1:{port}"],"allow_localhost":true,"allow_https":true,"allow_http":true}}"#
        ),
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
        // The command says it has started (the helper has long cleared its
        // arguments by then) and waits until the test has read the
        // helper's command line: no timing decides the outcome.
        let started = f.ws.join(format!("started-{how}"));
        let read = f.ws.join(format!("read-{how}"));
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
                ": > \"$1\"; i=0; while [ ! -e \"$2\" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; \
                 printf '%s' \"$APP_SECRETKEY\"; ls /proc/self/fd",
                "sh",
            ])
            .arg(&started)
            .arg(&read)
            .stdout(std::process::Stdio::piped());
        let child = c.spawn().unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !started.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let cmdline = fs::read(format!("/proc/{}/cmdline", child.id())).unwrap_or_default();
        fs::write(&read, "").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(started.exists(), "{how}: the command never started");
        let cmdline = text(&cmdline).replace('\0', " ");
        // The helper keeps only its program name there.
        assert!(
            cmdline.contains("sandbox-exec"),
            "{how}: not the helper: {cmdline}"
        );
        assert!(!cmdline.contains("--workspace"), "{how}: {cmdline}");
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
        let status = helper_command(&p, &f.ws, &f.home)
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

// ---- The command's descriptors and the helper's arguments -------------

/// The PID namespace's first process is a copy of the helper: its
/// `/proc/1/cmdline`, readable inside, must not show the helper's
/// arguments (`--env NAME=VALUE` values, the env file's path).
#[test]
fn the_helpers_arguments_are_not_readable_inside() {
    let f = Fixture::new();
    let p = f.offline();
    let value = format!("cmdline-secret-{}", std::process::id());
    let block = f.root.join("env-block-cmdline");
    fs::write(&block, "OTHER=x\0").unwrap();
    let env_arg = format!("EXPLICIT={value}");
    let (out, rep) = f.run_with(
        &p,
        &["--env", &env_arg, "--env-file", block.to_str().unwrap()],
        &[
            "/bin/sh",
            "-c",
            "cat /proc/1/cmdline; echo; cat /proc/$PPID/cmdline; echo; printf '%s' \"$EXPLICIT\"",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let stdout = text(&out.stdout);
    let (shown, env) = stdout.rsplit_once('\n').unwrap();
    assert_eq!(env, value, "{}", describe(&out, &rep));
    assert!(!shown.contains(&value), "{}", describe(&out, &rep));
    assert!(
        !shown.contains("env-block-cmdline"),
        "{}",
        describe(&out, &rep)
    );
    assert!(!shown.contains("--env"), "{}", describe(&out, &rep));
}

const FD_METADATA_PROBE: &str = r#"
import os, sys
def attempt(name, f):
    try:
        f()
        sys.stderr.write(name + " changed\n")
    except OSError as e:
        sys.stderr.write("%s refused %d\n" % (name, e.errno))
print("printed by the command")
sys.stdout.flush()
attempt("fchmod-setuid", lambda: os.fchmod(1, 0o4777))
attempt("fchmod", lambda: os.fchmod(1, 0o777))
attempt("chmod-proc-fd", lambda: os.chmod("/proc/self/fd/1", 0o4755))
attempt("chmod-proc-fd-plain", lambda: os.chmod("/proc/self/fd/1", 0o777))
attempt("fchown", lambda: os.fchown(1, os.getuid(), os.getgid()))
attempt("fchown-other", lambda: os.fchown(1, 1, 1))
attempt("futimens", lambda: os.utime(1, (1000000000, 1000000000)))
attempt("fsetxattr", lambda: os.setxattr(1, "user.escape", b"x"))
attempt("fchmod-stdin", lambda: os.fchmod(0, 0o4777))
attempt("fchmod-stdin-plain", lambda: os.fchmod(0, 0o777))
attempt("futimens-stdin", lambda: os.utime(0, (1000000000, 1000000000)))
"#;

/// The caller's standard output and input are files outside the writable
/// trees: through the descriptors it holds the command must not change
/// their mode (setuid included), owner, times or attributes, and the
/// output file still receives what the command printed.
#[test]
fn descriptors_of_outside_files_give_no_hold_on_their_metadata() {
    let f = Fixture::new();
    let out_file = f.outside.join("out.log");
    let in_file = f.outside.join("in.txt");
    fs::write(&out_file, "").unwrap();
    fs::write(&in_file, "input\n").unwrap();
    let (out_before, in_before) = (metadata_of(&out_file), metadata_of(&in_file));
    let p = f.offline();
    let report = f.root.join("report.json");
    let status = helper_command(&p, &f.ws, &f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "python3", "-c", FD_METADATA_PROBE])
        .stdin(fs::File::open(&in_file).unwrap())
        .stdout(fs::OpenOptions::new().append(true).open(&out_file).unwrap())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let said = text(&status.stderr);
    assert_eq!(status.status.code(), Some(0), "{said}");
    // Writing the output moves its modification time forward, never back
    // to the time the command set.
    let (mode, uid, gid, mtime, xattr) = metadata_of(&out_file);
    assert_eq!(
        (mode, uid, gid, xattr),
        (
            out_before.0,
            out_before.1,
            out_before.2,
            out_before.4.clone()
        ),
        "{said}"
    );
    assert!(mtime >= out_before.3, "{said}");
    assert_eq!(metadata_of(&in_file), in_before, "{said}");
    assert_eq!(
        fs::read_to_string(&out_file).unwrap(),
        "printed by the command\n"
    );
}

/// The pipes that replace the caller's files keep the data intact: binary
/// bytes, large output, end of file on input, the exit status, and the
/// order of output and error lines when both go to the same file.
#[test]
fn relayed_standard_streams_keep_data_order_and_status() {
    let f = Fixture::new();
    let p = f.offline();
    let input = f.outside.join("input.bin");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 256) as u8).collect();
    fs::write(&input, &data).unwrap();
    let copy = f.outside.join("copy.bin");
    let status = helper_command(&p, &f.ws, &f.home)
        .args(["--", "/bin/sh", "-c", "cat; exit 7"])
        .stdin(fs::File::open(&input).unwrap())
        .stdout(fs::File::create(&copy).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(7));
    assert!(fs::read(&copy).unwrap() == data, "binary data changed");
    let log = f.outside.join("both.log");
    let file = fs::File::create(&log).unwrap();
    let status = helper_command(&p, &f.ws, &f.home)
        .args([
            "--",
            "/bin/sh",
            "-c",
            "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "out1\nerr1\nout2\nerr2\nout3\nerr3\nout4\nerr4\nout5\nerr5\n"
    );
}

/// Everything of a terminal the command must not change for good: mode,
/// exclusive use, line discipline, and its settings.
fn tty_identity(fd: &std::os::fd::OwnedFd) -> (u32, i32, i32, Vec<u32>, Vec<u8>) {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    let raw = fd.as_raw_fd();
    let mode = fs::metadata(format!("/proc/self/fd/{raw}")).unwrap().mode();
    let (mut excl, mut ldisc) = (0i32, 0i32);
    // SAFETY: plain data, filled by tcgetattr.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // A call that fails (a terminal left without a working line
    // discipline) shows as -1 in the value compared.
    // SAFETY: TIOCGEXCL and TIOCGETD write one int; tcgetattr one termios.
    unsafe {
        if libc::ioctl(raw, libc::TIOCGEXCL, &mut excl) != 0 {
            excl = -1;
        }
        if libc::ioctl(raw, libc::TIOCGETD, &mut ldisc) != 0 {
            ldisc = -1;
        }
        if libc::tcgetattr(raw, &mut t) != 0 {
            t.c_lflag = u32::MAX;
        }
    }
    (
        mode,
        excl,
        ldisc,
        vec![t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag],
        t.c_cc.to_vec(),
    )
}

const TTY_PROBE: &str = r#"
import fcntl, os, struct, sys, termios
def attempt(name, f):
    try:
        f()
        print(name, "done")
    except OSError as e:
        print(name, "refused", e.errno)
attempt("chmod", lambda: os.chmod("/proc/self/fd/0", 0o666))
attempt("fchmod", lambda: os.fchmod(1, 0o666))
attempt("excl", lambda: fcntl.ioctl(0, termios.TIOCEXCL))
def echo_off():
    a = termios.tcgetattr(0)
    a[3] &= ~termios.ECHO
    termios.tcsetattr(0, termios.TCSANOW, a)
attempt("echo-off", echo_off)
sys.stdout.flush()
# Last: with the null line discipline nothing more can be written.
try:
    fcntl.ioctl(0, termios.TIOCSETD, struct.pack("i", 27))
except OSError:
    pass
os._exit(0)
"#;

/// The caller's terminal (a pseudo-terminal made by the test) as the
/// command's standard descriptors: the command changes its mode, takes it
/// exclusively, sets the null line discipline and turns echo off — on its
/// own terminal only; the caller's is unchanged afterwards.
#[test]
fn the_callers_terminal_keeps_mode_exclusive_flag_and_line_discipline() {
    let f = Fixture::new();
    let (master, slave) = test_pty();
    let before = tty_identity(&slave);
    let p = f.offline();
    let io = |fd: &std::os::fd::OwnedFd| std::process::Stdio::from(fd.try_clone().unwrap());
    let status = helper_command(&p, &f.ws, &f.home)
        .args(["--", "python3", "-c", TTY_PROBE])
        .stdin(io(&slave))
        .stdout(io(&slave))
        .stderr(io(&slave))
        .status()
        .unwrap();
    // What the command said arrives on the caller's terminal. The kernel
    // hands a pseudo-terminal's output to the master side asynchronously, so
    // it may come in pieces after the helper has exited: read until every
    // expected line is there or a generous deadline passes.
    let ops = ["chmod done", "excl done", "echo-off done"];
    let mut got = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    {
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl sets a flag of the test's own descriptor.
        unsafe { libc::fcntl(master.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
        let mut buf = vec![0u8; 4096];
        while std::time::Instant::now() < deadline {
            // SAFETY: `buf` is writable for its length.
            let n = unsafe { libc::read(master.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n > 0 {
                got.extend_from_slice(&buf[..n as usize]);
                if ops.iter().all(|op| text(&got).contains(op)) {
                    break;
                }
            } else {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    let said = text(&got);
    assert_eq!(status.code(), Some(0), "{said}");
    for op in ops {
        assert!(said.contains(op), "{op}: {said}");
    }
    assert_eq!(tty_identity(&slave), before, "{said}");
}

const VICTIM_PROBE: &str = r#"
import fcntl, os, sys, termios
path = "/dev/pts/" + sys.argv[1]
try:
    fd = os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
except OSError as e:
    print("open refused", e.errno)
    sys.exit(0)
print("opened", path)
for name, f in [
    ("read", lambda: print("read", os.read(fd, 100))),
    ("write", lambda: os.write(fd, b"injected-by-command")),
    ("sti", lambda: fcntl.ioctl(fd, termios.TIOCSTI, b"X")),
]:
    try:
        f()
    except OSError as e:
        print(name, "refused", e.errno)
try:
    a = termios.tcgetattr(fd)
    a[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, a)
except OSError as e:
    print("echo refused", e.errno)
"#;

/// Another terminal session of the same user (a pseudo-terminal held open
/// by the test, with a line typed into it): from inside, with plain pipes
/// as standard descriptors, the command can neither read what was typed,
/// nor write into it, nor change its settings.
#[test]
fn other_terminals_of_the_user_are_out_of_reach() {
    use std::os::fd::AsRawFd;
    let f = Fixture::new();
    let (master, slave) = test_pty();
    let mut n: libc::c_uint = 0;
    // SAFETY: TIOCGPTN writes one unsigned int.
    assert_eq!(
        unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCGPTN, &mut n) },
        0
    );
    let typed = b"typed-secret\n";
    // SAFETY: `typed` is readable for its length.
    let w = unsafe { libc::write(master.as_raw_fd(), typed.as_ptr().cast(), typed.len()) };
    assert_eq!(w, typed.len() as isize);
    let before = tty_identity(&slave);
    let p = f.offline();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["python3", "-c", VICTIM_PROBE, &n.to_string()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let said = text(&out.stdout);
    assert!(!said.contains("typed-secret"), "{}", describe(&out, &rep));
    assert_eq!(tty_identity(&slave), before, "{}", describe(&out, &rep));
    // Nothing arrived on the victim's display, and what was typed is
    // still there for its owner.
    let drain = |fd: i32| {
        // SAFETY: fcntl only sets a flag of a descriptor the test owns.
        unsafe { libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) };
        let mut buf = [0u8; 4096];
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        text(&buf[..n.max(0) as usize])
    };
    let display = drain(master.as_raw_fd());
    assert!(!display.contains("injected"), "{display}: {said}");
    assert!(drain(slave.as_raw_fd()).contains("typed-secret"), "{said}");
}

/// Job control through the command's own terminal: Ctrl-C typed on the
/// caller's terminal (a pseudo-terminal made by the test) interrupts the
/// command, which the terminal signals with SIGINT.
#[test]
fn ctrl_c_on_the_callers_terminal_interrupts_the_command() {
    use std::os::fd::AsRawFd;
    let f = Fixture::new();
    let (master, slave) = test_pty();
    let p = f.policy(NET_OFF, r#"{"max_execution_time":20000}"#, "");
    let io = |fd: &std::os::fd::OwnedFd| std::process::Stdio::from(fd.try_clone().unwrap());
    let started = std::time::Instant::now();
    let mut child = helper_command(&p, &f.ws, &f.home)
        .args(["--", "/bin/sleep", "30"])
        .stdin(io(&slave))
        .stdout(io(&slave))
        .stderr(io(&slave))
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    // SAFETY: one byte from a valid buffer.
    let w = unsafe { libc::write(master.as_raw_fd(), b"\x03".as_ptr().cast(), 1) };
    assert_eq!(w, 1);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + libc::SIGINT));
    assert!(started.elapsed() < Duration::from_secs(15));
}

/// Standard output on a named FIFO whose reader has stopped reading: the
/// relay never blocks the supervisor, so the time limit still ends the run.
#[test]
fn a_stalled_reader_of_relayed_output_does_not_stop_the_time_limit() {
    use std::os::unix::fs::OpenOptionsExt;
    let f = Fixture::new();
    let fifo = f.outside.join("out.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // The reader: opened, never read.
    let _reader = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let writer = fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let p = f.policy(NET_OFF, r#"{"max_execution_time":1500}"#, "");
    let started = std::time::Instant::now();
    let status = helper_command(&p, &f.ws, &f.home)
        .args(["--", "/usr/bin/yes"])
        .stdin(std::process::Stdio::null())
        .stdout(writer)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(124));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

/// The helper writes `--report FILE` with the caller's rights after the run;
/// a command could have put a link or a FIFO there. Mechanism: the report is
/// opened without following a link and without blocking, and only a regular
/// file is written.
#[test]
fn a_report_path_the_command_replaced_is_not_followed_and_does_not_block() {
    let f = Fixture::new();
    let victim = f.outside.join("victim");
    fs::write(&victim, "ORIGINAL").unwrap();
    let p = f.offline();
    let report = f.ws.join("report.json");
    let link = format!("ln -sf {} {}", victim.display(), report.display());
    let run = |script: &str| {
        helper_command(&p, &f.ws, &f.home)
            .arg("--report")
            .arg(&report)
            .args(["--", "/bin/sh", "-c", script])
            .output()
            .unwrap()
    };
    // What the command leaves in the report's place (a link, a FIFO) is
    // neither followed nor waited on: it is removed and the report is
    // written afresh.
    let out = run(&link);
    assert_eq!(
        fs::read_to_string(&victim).unwrap(),
        "ORIGINAL",
        "{}",
        text(&out.stderr)
    );
    assert!(
        fs::symlink_metadata(&report).unwrap().is_file(),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        read_report(&report)["status"],
        "ok",
        "{}",
        text(&out.stderr)
    );
    fs::remove_file(&report).unwrap();
    let fifo = format!("rm -f {0}; mkfifo {0}", report.display());
    let started = std::time::Instant::now();
    let out = run(&fifo);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the helper blocked on a FIFO"
    );
    assert_eq!(
        read_report(&report)["status"],
        "ok",
        "{}",
        text(&out.stderr)
    );
    // A regular file is still written.
    fs::remove_file(&report).unwrap();
    let out = run("true");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rep: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(rep["status"], "ok");
}

/// Git takes any directory holding `HEAD`, `objects` and `refs` for a git
/// dir, whatever its name. Mechanism: the search and the post-run sweep
/// recognise such a directory like `.git`, so what the run creates in it is
/// moved aside.
#[test]
fn a_git_dir_not_named_dot_git_is_swept_too() {
    let g = GitFixture::new();
    let worktree = g.f.ws.join("evil");
    let script = format!(
        "{MAKE_EVIL_GITDIR} && printf '\\tbare = false\\n\\tworktree = {}\\n' >> evil/config; exit 0",
        worktree.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["evil"]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("evil/config")), "{rep}");
}

/// A workspace-mode policy with the network off and these filesystem lists
/// (JSON arrays).
fn fs_policy(f: &Fixture, allowed: &str, blocked: &str) -> PathBuf {
    let text = format!(
        r#"{{"version":"1.0","name":"escape-suite",
        "filesystem":{{"mode":"workspace","allowed_paths":{allowed},"blocked_paths":{blocked},
          "allow_symlinks":true,"allow_hidden_files":true}},
        "network":{NET_OFF},
        "commands":{{"mode":"unrestricted","allow_sudo":false}},"limits":{{}}}}"#
    );
    let p = f.root.join("policy.json");
    fs::write(&p, text).unwrap();
    p
}

fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_link_planted_for_a_missing_writable_entry_grants_nothing_next_run() {
    let f = Fixture::new();
    fs::write(f.outside.join("victim.txt"), "keep").unwrap();
    fs::write(f.outside.join("plain.txt"), "plain").unwrap();
    let before = mode_of(&f.outside.join("plain.txt"));
    // A legitimate link the command cannot have made: it lies in the
    // fixture root, outside every writable tree.
    let shared = f.root.join("shared");
    fs::create_dir(&shared).unwrap();
    std::os::unix::fs::symlink(&shared, f.root.join("alias")).unwrap();
    let alias = f.root.join("alias");
    let p = fs_policy(
        &f,
        &format!(r#"["./", "./build", "{}"]"#, alias.display()),
        r#"["~/.ssh"]"#,
    );
    // Run 1: `./build` does not exist yet; the command plants a link there.
    let script = format!("rm -rf build; ln -s {} build; exit 0", f.outside.display());
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // It leads outside the writable trees to a directory the caller can
    // change: the sweep moves it aside (exec15 H8). Put back as a link
    // left by an earlier run would be, for the next run's rule.
    assert!(fs::symlink_metadata(f.ws.join("build")).is_err());
    std::os::unix::fs::symlink(&f.outside, f.ws.join("build")).unwrap();
    // Run 2: whatever it does through the link stays out of the outside
    // directory; the legitimate link still grants its target.
    let script = format!(
        "echo pwned > build/new.txt; rm -f build/victim.txt; chmod 4777 build/plain.txt; chmod 777 build/plain.txt; \
         echo ok > {}/granted.txt; exit 0",
        alias.display()
    );
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !f.outside.join("new.txt").exists(),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.outside.join("victim.txt")).unwrap(),
        "keep",
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(mode_of(&f.outside.join("plain.txt")), before);
    assert_eq!(
        fs::read_to_string(shared.join("granted.txt")).unwrap(),
        "ok\n",
        "{}",
        describe(&out, &rep)
    );
    // The report says why the entry was not granted.
    assert!(
        rep["notes"].as_array().is_some_and(|n| n
            .iter()
            .any(|n| n.as_str().unwrap_or("").contains("symbolic link"))),
        "{rep}"
    );
}

#[test]
fn missing_protected_home_entries_cannot_be_created() {
    let f = Fixture::new();
    // The workspace is the home directory, as with the workspace preset
    // run from home.
    fs::write(f.home.join(".profile"), "# profile\n").unwrap();
    fs::write(f.home.join("notes.txt"), "notes\n").unwrap();
    fs::create_dir_all(f.home.join("proj")).unwrap();
    fs::create_dir_all(f.home.join(".config/git")).unwrap();
    fs::write(f.home.join(".config/git/config"), "[user]\n").unwrap();
    fs::create_dir_all(f.home.join(".config/app")).unwrap();
    let marker = f.root.join("marker");
    let payload = f.root.join("payload.sh");
    fs::write(
        &payload,
        format!("#!/bin/sh\necho ran >> {}\n", marker.display()),
    )
    .unwrap();
    let p = fs_policy(&f, r#"["./"]"#, r#"["~/.ssh"]"#);
    let mut c = Command::new(helper());
    let report = f.root.join("report.json");
    c.arg("--policy")
        .arg(&p)
        .arg("--workspace")
        .arg(&f.home)
        .arg("--home")
        .arg(&f.home)
        .arg("--report")
        .arg(&report)
        .arg("--env")
        .arg(format!("PAYLOAD={}", payload.display()))
        .args(["--", "/bin/sh", "-c"])
        .arg(
            "printf '[core]\\n\\tfsmonitor = %s\\n' \"$PAYLOAD\" > ~/.gitconfig; \
             echo \"$PAYLOAD\" > ~/.bashrc; echo x > ~/.zshenv; mkdir ~/.ssh; \
             mkdir -p ~/.config/fish; echo x > ~/.config/fish/config.fish; \
             mv ~/.config ~/.config2; mkdir -p ~/.config/git; echo evil > ~/.config/git/config; \
             echo more >> ~/notes.txt; echo new > ~/proj/new.txt; echo app > ~/.config/app/settings; \
             mv ~/proj/new.txt ~/proj/renamed.txt; exit 0",
        );
    let out = c.output().unwrap();
    let rep: serde_json::Value = read_report(&report);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for missing in [
        ".gitconfig",
        ".bashrc",
        ".zshenv",
        ".ssh",
        ".config/fish",
        ".config2",
    ] {
        assert!(
            fs::symlink_metadata(f.home.join(missing)).is_err(),
            "{missing} was created: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(
        fs::read_to_string(f.home.join(".config/git/config")).unwrap(),
        "[user]\n"
    );
    assert_eq!(
        fs::read_to_string(f.home.join(".profile")).unwrap(),
        "# profile\n"
    );
    // What existed stays usable.
    assert_eq!(
        fs::read_to_string(f.home.join("notes.txt")).unwrap(),
        "notes\nmore\n",
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.home.join("proj/renamed.txt")).unwrap(),
        "new\n"
    );
    assert_eq!(
        fs::read_to_string(f.home.join(".config/app/settings")).unwrap(),
        "app\n"
    );
    assert!(!marker.exists());
}

#[test]
fn blocked_and_protected_entries_cannot_be_moved_away_between_runs() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("conf")).unwrap();
    fs::write(f.ws.join("conf/secret.txt"), "TOP-SECRET").unwrap();
    fs::create_dir_all(f.ws.join("deep/a/b")).unwrap();
    fs::write(f.ws.join("deep/a/b/token"), "DEEP-SECRET").unwrap();
    fs::create_dir_all(f.ws.join("vendor/lib/.git/hooks")).unwrap();
    fs::write(f.ws.join("vendor/lib/.git/config"), "[core]\n").unwrap();
    let p = fs_policy(
        &f,
        r#"["./"]"#,
        r#"["~/.ssh", "./conf/secret.txt", "./deep/a/b/token"]"#,
    );
    // Run 1: the parents of the hidden files and of the nested `.git` are
    // moved away, and a new repository configuration put in their place.
    let (out, rep) = f.sh(
        &p,
        "mv conf conf2; mv deep/a deep/a2; mv deep deep2; mv vendor vendor2; \
         mkdir -p vendor/lib/.git; echo '[core] fsmonitor=evil' > vendor/lib/.git/config; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // Run 2 reads wherever the files could be now.
    let (out, rep) = f.sh(
        &p,
        "cat conf/secret.txt conf2/secret.txt deep/a/b/token deep/a2/b/token \
         deep2/a/b/token deep2/a2/b/token; exit 0",
    );
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("TOP-SECRET"), "{}", describe(&out, &rep));
    assert!(!stdout.contains("DEEP-SECRET"), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("conf/secret.txt")).unwrap(),
        "TOP-SECRET"
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("deep/a/b/token")).unwrap(),
        "DEEP-SECRET"
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("vendor/lib/.git/config")).unwrap(),
        "[core]\n"
    );
}

#[test]
fn protected_home_entries_reached_through_links_stay_as_they_are() {
    let f = Fixture::new();
    // Dotfiles kept in a directory of their own, linked from home; the
    // workspace is the home directory.
    fs::create_dir_all(f.home.join("dotfiles")).unwrap();
    fs::write(f.home.join("dotfiles/bashrc"), "# bashrc\n").unwrap();
    std::os::unix::fs::symlink("dotfiles/bashrc", f.home.join(".bashrc")).unwrap();
    let p = fs_policy(&f, r#"["./"]"#, r#"["~/.ssh"]"#);
    let run = |script: &str| {
        let out = helper_command(&p, &f.home, &f.home)
            .args(["--", "/bin/sh", "-c", script])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    // The link is swapped for a file, its target changed, its directory
    // moved away.
    let err = run(
        "echo evil >> dotfiles/bashrc; rm -f .bashrc; echo evil > .bashrc; \
         mv dotfiles dotfiles2; exit 0",
    );
    assert_eq!(
        fs::read_link(f.home.join(".bashrc")).ok(),
        Some(PathBuf::from("dotfiles/bashrc")),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(f.home.join("dotfiles/bashrc")).unwrap(),
        "# bashrc\n",
        "{err}"
    );
    assert!(!f.home.join("dotfiles2").exists());
    // A link whose target does not exist yet: the target cannot be made
    // (and the run is not refused for it).
    std::os::unix::fs::symlink("dotfiles/zshrc", f.home.join(".zshrc")).unwrap();
    let err = run("echo evil > .zshrc; echo evil > dotfiles/zshrc; exit 0");
    assert!(!f.home.join("dotfiles/zshrc").exists(), "{err}");
}

/// Every run has user, mount, network, IPC and PID namespaces of its own,
/// with the caller's ids mapped and nothing else, also when the helper
/// makes them while it plans the run, and with a memory limit (its
/// cgroups are joined first). Judged from outside: the namespaces of two
/// runs that are alive at the same time differ from each other and from
/// the caller's.
#[test]
fn each_run_has_namespaces_of_its_own() {
    const NS: [&str; 5] = ["user", "mnt", "net", "ipc", "pid_for_children"];
    let own: Vec<String> = NS
        .iter()
        .map(|n| {
            fs::read_link(format!("/proc/self/ns/{n}"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    for limits in ["{}", r#"{"max_memory":268435456}"#] {
        let f = Fixture::new();
        let p = f.policy(NET_OFF, limits, "");
        // Each run waits until the other has written its namespaces, so
        // both are alive at once (numbers of namespaces that are gone can
        // be reused).
        let script = |me: &str, other: &str| {
            format!(
                "for n in user mnt net ipc pid; do readlink /proc/self/ns/$n; done > {me}.tmp \
                 && cat /proc/self/uid_map >> {me}.tmp && mv {me}.tmp {me} \
                 && i=0; while [ ! -e {other} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done"
            )
        };
        let spawn = |s: String| {
            helper_command(&p, &f.ws, &f.home)
                .args(["--", "/bin/sh", "-c", &s])
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| spawn(script("a", "b")));
            let b = s.spawn(|| spawn(script("b", "a")));
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        for out in [&a, &b] {
            assert!(out.status.success(), "{}", text(&out.stderr));
        }
        let read = |name: &str| {
            let t = fs::read_to_string(f.ws.join(name)).unwrap();
            t.lines().map(|l| l.to_string()).collect::<Vec<_>>()
        };
        let (na, nb) = (read("a"), read("b"));
        assert_eq!(na.len(), 6, "{na:?}");
        for (i, n) in NS.iter().enumerate() {
            assert_ne!(na[i], own[i], "{n}: the caller's namespace");
            assert_ne!(nb[i], own[i], "{n}: the caller's namespace");
            assert_ne!(na[i], nb[i], "{n}: shared by two runs");
        }
        for map in [&na[5], &nb[5]] {
            let fields: Vec<&str> = map.split_whitespace().collect();
            assert_eq!(
                fields,
                [uid.to_string(), uid.to_string(), "1".into()],
                "{map}"
            );
        }
    }
}

/// Git takes a directory for a git dir when `objects` and `refs` can be
/// entered, of any type: `objects` may be a link to a directory or an
/// executable file. Mechanism: the search and the sweep recognise `HEAD`
/// with `objects` and `refs` of any type, so the planted configuration is
/// moved aside.
#[test]
fn a_git_dir_whose_objects_is_a_link_or_a_file_is_swept_too() {
    let g = GitFixture::new();
    let (tool, tool2) = (g.f.ws.join("tool"), g.f.ws.join("tool2"));
    let script = format!(
        "mkdir -p tool/store tool/refs/heads tool2/refs/heads && ln -s store tool/objects && \
         : > tool2/objects && chmod 755 tool2/objects && \
         for d in tool tool2; do printf 'ref: refs/heads/main\\n' > $d/HEAD && printf '%s' \"$EVIL\" > $d/config; done && \
         printf '\\tbare = false\\n\\tworktree = {}\\n' >> tool/config && \
         printf '\\tbare = false\\n\\tworktree = {}\\n' >> tool2/config; exit 0",
        tool.display(),
        tool2.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["tool", "tool2"]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    for c in ["tool/config", "tool2/config"] {
        assert!(q.iter().any(|p| p.ends_with(c)), "{c}: {rep}");
    }
}

/// A decoy git dir (`HEAD`, `objects`, `refs`) above a repository must not
/// hide that repository. Mechanism: the search and the sweep enter git
/// dirs too. Run alone, the planted repository below the decoy is swept;
/// in two runs, the user's existing repository below a decoy made by the
/// first run keeps its configuration read-only in the second.
#[test]
fn a_decoy_git_dir_hides_no_repository_below_it() {
    let g = GitFixture::new();
    let decoy =
        "mkdir -p vendor/objects vendor/refs && printf 'ref: refs/heads/main\\n' > vendor/HEAD";
    let script = format!(
        "{decoy} && mkdir -p vendor/lib && git init -q vendor/lib && \
         printf '%s' \"$EVIL\" >> vendor/lib/.git/config; exit 0"
    );
    let (ran, rep) = g.plant_then_status(&script, &["vendor/lib"]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter().any(|p| p.ends_with("vendor/lib/.git/config")),
        "{rep}"
    );

    let g = GitFixture::new();
    let lib = g.f.ws.join("app/lib");
    fs::create_dir_all(&lib).unwrap();
    let out = git_in(&g.f, &lib, &["init", "-q"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = fs::read_to_string(lib.join(".git/config")).unwrap();
    let p = g.f.offline();
    let (out, rep) = g.f.sh(
        &p,
        "mkdir -p app/objects app/refs && printf 'ref: refs/heads/main\\n' > app/HEAD; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let (ran, rep) = g.plant_then_status(
        "printf '%s' \"$EVIL\" >> app/lib/.git/config; exit 0",
        &["app/lib"],
    );
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(lib.join(".git/config")).unwrap(),
        before,
        "{rep}"
    );
}

/// The command takes every name the sweep used to move an entry to
/// (`config.ku0-quarantine-1` … `-999`), or the write permission of the
/// directory. Mechanism: the sweep moves aside to names it draws at random
/// once the first ones are taken, gives the directory's owner the write
/// permission back, and fails the run loudly when an entry still stays.
#[test]
fn the_sweep_cannot_be_blocked_by_taking_its_names() {
    let g = GitFixture::new();
    let script = "git init -q app && printf '%s' \"$EVIL\" >> app/.git/config && \
        n=1; while [ $n -le 999 ]; do : > app/.git/config.ku0-quarantine-$n; n=$((n+1)); done; \
        git init -q app2 && printf '%s' \"$EVIL\" >> app2/.git/config && chmod 555 app2/.git;         mkdir -p .git/modules && ln -s ../../app .git/modules/$(printf 'm%.0s' $(seq 250)); exit 0";
    let (ran, rep) = g.plant_then_status(script, &["app", "app2"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!g.f.ws.join("app/.git/config").exists(), "{rep}");
    assert!(!g.f.ws.join("app2/.git/config").exists(), "{rep}");
    // A link with a name too long for the usual suffix.
    let long = g.f.ws.join(".git/modules").join("m".repeat(250));
    assert!(fs::symlink_metadata(&long).is_err(), "{rep}");
    assert_eq!(rep["status"], "ok", "{rep}");
    let moved = rep["git_quarantined"].as_array().unwrap();
    assert!(moved.iter().all(|q| q["moved_to"].is_string()), "{rep}");
}

/// An include line with a trailing comment, as git reads it: the comment
/// is no part of the path. Mechanism: the configuration is read with git's
/// own syntax, so the included file is bound read-only.
#[test]
fn an_include_with_a_trailing_comment_is_protected() {
    let g = GitFixture::new();
    let cfg = g.f.ws.join(".git/config");
    let mut text0 = fs::read_to_string(&cfg).unwrap();
    text0.push_str("[include]\n\tpath = ../local.inc  # machine-local settings\n");
    fs::write(&cfg, text0).unwrap();
    fs::write(g.f.ws.join("local.inc"), "").unwrap();
    let (ran, rep) = g.plant_then_status("printf '%s' \"$EVIL\" > local.inc; exit 0", &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(fs::read_to_string(g.f.ws.join("local.inc")).unwrap(), "");
}

/// The user's `~/.gitconfig` includes files of a dotfiles repository that
/// is the workspace. Mechanism: what the global configuration includes is
/// read-only where it exists and cannot be created where it does not (its
/// directory is locked), in a writable tree.
#[test]
fn files_the_global_configuration_includes_are_protected() {
    let g = GitFixture::new();
    fs::write(
        g.f.home.join(".gitconfig"),
        "[include]\n\tpath = ../ws/gitconfig\n[includeIf \"gitdir:/\"]\n\tpath = ../ws/missing.inc ; optional\n",
    )
    .unwrap();
    fs::write(g.f.ws.join("gitconfig"), "").unwrap();
    let other = g.f.outside.join("repo");
    fs::create_dir_all(&other).unwrap();
    assert!(git_in(&g.f, &other, &["init", "-q"]).status.success());
    let p = g.f.offline();
    let (out, rep) = g.f.run_with(
        &p,
        &["--env", &format!("EVIL={}", g.evil_config)],
        &[
            "/bin/sh",
            "-c",
            "printf '%s' \"$EVIL\" >> gitconfig; printf '%s' \"$EVIL\" > missing.inc; exit 0",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let _ = git_in(&g.f, &other, &["status", "--short"]);
    let _ = git_in(&g.f, &g.f.ws, &["status", "--short"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    assert_eq!(fs::read_to_string(g.f.ws.join("gitconfig")).unwrap(), "");
    assert!(!g.f.ws.join("missing.inc").exists(), "{rep}");
}

/// `core.hooksPath` naming a directory of the working tree (husky,
/// `.githooks`): a hook planted there runs on the user's next `git status`
/// (`post-index-change`). Mechanism: that directory is read-only like
/// `.git/hooks`, and when it is missing its directory is locked so that it
/// cannot be made.
#[test]
fn a_hooks_directory_in_the_working_tree_is_protected() {
    for (hooks, exists) in [
        (".githooks", false),
        (".husky/_", true),
        (".git/own-hooks", false),
    ] {
        let g = GitFixture::new();
        fs::write(g.f.ws.join("tracked.txt"), "t\n").unwrap();
        for args in [
            &["config", "core.hooksPath", hooks][..],
            &["add", "tracked.txt"][..],
            &["commit", "-q", "-m", "t"][..],
        ] {
            let out = git_in(&g.f, &g.f.ws, args);
            assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        }
        if exists {
            fs::create_dir_all(g.f.ws.join(hooks)).unwrap();
        }
        let planted = g.f.root.join("planted.sh");
        let script = format!(
            "mkdir -p {hooks}; for h in post-index-change pre-commit; do \
             printf '#!/bin/sh\\nexec {}\\n' > {hooks}/$h; chmod 755 {hooks}/$h; done; \
             sleep 1; touch tracked.txt; exit 0",
            planted.display()
        );
        let (ran, rep) = g.plant_then_status(&script, &["."]);
        assert!(!ran, "{hooks}: planted code ran: {rep}");
        assert!(
            !g.f.ws.join(hooks).join("post-index-change").exists(),
            "{hooks}: {rep}"
        );
        // Git keeps working inside: the top level of `.git` is not locked.
        let p = g.f.offline();
        let (out, rep) = g.f.sh(
            &p,
            "echo more >> tracked.txt && git add tracked.txt && \
             git -c user.name=t -c user.email=t@example.invalid commit -qm more",
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{hooks}: {}",
            describe(&out, &rep)
        );
        assert!(!g.marker.exists(), "{hooks}: {rep}");
    }
}

/// Tries to send a datagram through the sockets the command was given on
/// 0 (to the Unix socket path in argv[1]) and 1 (to 127.0.0.1, port argv[2]).
const INHERITED_SOCKET_PROBE: &str = r#"
import socket, sys
res = []
for fd, addr in ((0, sys.argv[1]), (1, ("127.0.0.1", int(sys.argv[2])))):
    try:
        s = socket.socket(fileno=fd)
        s.sendto(b"ESCAPED-DATAGRAM", addr)
        res.append("fd %d sent" % fd)
    except Exception as e:
        res.append("fd %d: %r" % (fd, e))
sys.stderr.write(" / ".join(res) + "\n")
"#;

/// Sockets the caller passes as standard descriptors keep the network
/// namespace they were made in: an unconnected datagram socket on 0–2 would
/// let the command send to any Unix socket or address of the host with the
/// network off. The command gets relayed pipes instead.
#[test]
fn sockets_on_standard_descriptors_reach_nothing_outside() {
    use std::os::fd::OwnedFd;
    use std::os::unix::net::UnixDatagram;
    let f = Fixture::new();
    let p = f.offline();
    let path = f.outside.join("srv.sock");
    let unix_server = UnixDatagram::bind(&path).unwrap();
    unix_server.set_nonblocking(true).unwrap();
    let udp_server = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    udp_server.set_nonblocking(true).unwrap();
    let port = udp_server.local_addr().unwrap().port().to_string();
    let stdin = OwnedFd::from(UnixDatagram::unbound().unwrap());
    let stdout = OwnedFd::from(std::net::UdpSocket::bind("127.0.0.1:0").unwrap());
    let out = helper_command(&p, &f.ws, &f.home)
        .args(["--", "python3", "-c", INHERITED_SOCKET_PROBE])
        .arg(&path)
        .arg(&port)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let said = text(&out.stderr);
    assert!(said.contains("fd 0") && said.contains("fd 1"), "{said}");
    std::thread::sleep(Duration::from_millis(200));
    let mut buf = [0u8; 64];
    assert!(
        unix_server.recv(&mut buf).is_err(),
        "a datagram reached the host's Unix socket: {said}"
    );
    assert!(
        udp_server.recv(&mut buf).is_err(),
        "a datagram reached the host's UDP port: {said}"
    );
}

/// Makes standard error non-blocking and fills it exactly, ending with a
/// line that looks like a report.
const REPORT_FORGE_PROBE: &str = r#"
import fcntl, os
line = b'\n{"report_version": 1, "status": "ok", "enforcement": "full", "forged_by_command": true}\n'
fcntl.fcntl(2, fcntl.F_SETFL, fcntl.fcntl(2, fcntl.F_GETFL) | os.O_NONBLOCK)
cap = fcntl.fcntl(2, 1032)  # F_GETPIPE_SZ
data = b"x" * (cap - len(line) - 1) + b"\n" + line
n = 0
while n < len(data):
    try:
        n += os.write(2, data[n:])
    except BlockingIOError:
        break
"#;

/// With the report on standard error, the command never holds the caller's
/// pipe: it cannot make the helper's report write fail (by making the pipe
/// non-blocking and filling it) so that a line of its own is the last.
#[test]
fn the_report_on_standard_error_is_the_last_line_and_the_helpers() {
    let f = Fixture::new();
    let p = f.offline();
    let mut child = helper_command(&p, &f.ws, &f.home)
        .args(["--report-stderr", "--", "python3", "-c", REPORT_FORGE_PROBE])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A caller that reads standard error late.
    std::thread::sleep(Duration::from_secs(2));
    let mut err = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    child.wait().unwrap();
    let err = text(&err);
    let last = err.trim_end().lines().last().unwrap_or("");
    let rep: serde_json::Value = serde_json::from_str(last).unwrap_or_default();
    assert!(
        rep.get("mechanisms").is_some() && rep.get("forged_by_command").is_none(),
        "last line: {last}"
    );
}

/// The credential stores the filesystem guard refuses every operation on
/// (`~/.gnupg` among them) are hidden from the command too, even when the
/// policy's blocked_paths does not name them.
#[test]
fn credential_stores_the_guard_refuses_are_hidden_whatever_the_policy() {
    let f = Fixture::new();
    let keys = f.home.join(".gnupg/private-keys-v1.d");
    fs::create_dir_all(&keys).unwrap();
    fs::write(keys.join("fixture.key"), "FIXTURE-GPG-PRIVATE-KEY").unwrap();
    let p = fs_policy(&f, r#"["./"]"#, "[]");
    let script = format!(
        "cat {0}/.gnupg/private-keys-v1.d/fixture.key; ls {0}/.gnupg/private-keys-v1.d; exit 0",
        f.home.display()
    );
    let (out, rep) = f.sh(&p, &script);
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("FIXTURE-GPG") && !stdout.contains("fixture.key"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(keys.join("fixture.key")).unwrap(),
        "FIXTURE-GPG-PRIVATE-KEY"
    );
}

/// No set-user-ID or set-group-ID file comes out of a run: such a file,
/// left in the workspace, would give the command's user (root, when run as
/// root) to whoever runs it afterwards.
#[test]
fn no_set_id_file_is_left_in_the_workspace() {
    let f = Fixture::new();
    let p = f.offline();
    let script = "cp /bin/true t1; chmod 4755 t1; cp /bin/true t2; chmod g+s t2; \
        cp /bin/true t3; chmod 755 t3; \
        python3 -c 'import os; os.close(os.open(\"t4\", os.O_CREAT | os.O_WRONLY, 0o6755))'; \
        python3 -c 'import os; os.chmod(\"t3\", 0o4755, follow_symlinks=False)'; \
        exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    use std::os::unix::fs::PermissionsExt;
    for name in ["t1", "t2", "t3", "t4"] {
        if let Ok(m) = fs::metadata(f.ws.join(name)) {
            assert_eq!(
                m.permissions().mode() & 0o6000,
                0,
                "{name} is set-ID: {}",
                describe(&out, &rep)
            );
        }
    }
    // Ordinary modes still work.
    assert_eq!(mode_of(&f.ws.join("t3")) & 0o777, 0o755);
}

/// A planned writable tree replaced by a link between the plan and the
/// mounts (by anything that can write its parent, such as a concurrent run
/// whose tree contains it): the run fails and nothing is written where the
/// link leads. The helper pauses after planning for this test.
#[test]
fn a_workspace_swapped_for_a_link_after_planning_gives_nothing_outside() {
    let f = Fixture::new();
    let parent = f.root.join("p");
    let ws = parent.join("ws");
    fs::create_dir_all(&ws).unwrap();
    let target = f.outside.join("victim");
    fs::create_dir_all(&target).unwrap();
    let p = f.offline();
    let script = format!(
        "echo x > ./pwned-cwd; echo x > {}/pwned-abs; exit 0",
        ws.display()
    );
    let child = helper_command(&p, &ws, &f.home)
        .args(["--", "/bin/sh", "-c", &script])
        .env("SANDBOX_EXEC_TEST_PAUSE_AFTER_PLAN_MS", "1500")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    fs::rename(&ws, parent.join("ws-old")).unwrap();
    std::os::unix::fs::symlink(&target, &ws).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let written: Vec<_> = fs::read_dir(&target).unwrap().flatten().collect();
    assert!(
        written.is_empty(),
        "wrote through the link: {written:?} {said}"
    );
    assert_ne!(out.status.code(), Some(0), "{said}");
}

/// The run's `/dev` holds only the devices a command needs: the host's
/// consoles, serial ports, console screen memory and other devices are not
/// there to be opened (whether they exist on this machine or not; nothing
/// of the host is opened here). The usual devices still work.
#[test]
fn the_runs_dev_holds_only_the_devices_a_command_needs() {
    let f = Fixture::new();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "ls -A /dev; echo x > /dev/null && head -c 3 /dev/zero | wc -c && \
         head -c 3 /dev/urandom | wc -c && echo devices-work; exit 0",
    );
    let said = text(&out.stdout);
    assert!(said.contains("devices-work"), "{}", describe(&out, &rep));
    let allowed = [
        "null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "mqueue", "fd",
        "stdin", "stdout", "stderr",
    ];
    for name in said.lines().take_while(|l| *l != "3") {
        assert!(
            allowed.contains(&name),
            "/dev/{name} is in the run's /dev: {}",
            describe(&out, &rep)
        );
    }
}

/// A directory on the way to `--report FILE` that lies in the workspace is
/// replaced by a link during the run: the helper writes its report into
/// the directory it opened before the run, never where the link leads.
#[test]
fn a_report_directory_replaced_by_a_link_is_not_followed() {
    let f = Fixture::new();
    let p = f.offline();
    fs::create_dir_all(f.ws.join("out")).unwrap();
    let report = f.ws.join("out/report.json");
    let script = format!(
        "rm -rf out && ln -s {} out && echo swapped",
        f.outside.display()
    );
    let out = helper_command(&p, &f.ws, &f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", &script])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("swapped"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        !f.outside.join("report.json").exists(),
        "the report followed the link: {}",
        text(&out.stderr)
    );
}

/// A run sees neither its own cgroup's place in the host's tree nor the
/// cgroups of other runs (their helpers' pids, process counts): it has a
/// cgroup namespace and `/sys/fs/cgroup` of its own (or covered). Where
/// the helper can make no cgroup (an unprivileged user without a
/// delegated subtree) there is nothing of a run's to see either way.
#[test]
fn cgroups_of_the_run_and_of_other_runs_are_not_visible() {
    let f = Fixture::new();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "cat /proc/self/cgroup; find /sys/fs/cgroup -maxdepth 4 -name 'sandbox-exec-*' 2>/dev/null; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("sandbox-exec-"),
        "{}",
        describe(&out, &rep)
    );
}

/// Start the helper on `script` (a file of the fixture run by `/bin/sh`)
/// in the background, with `EVIL` set as for [`GitFixture`]; the report
/// goes to `report` in the fixture root.
fn spawn_git_run(g: &GitFixture, policy: &Path, report: &str, script: &str) -> std::process::Child {
    let file = g.f.root.join(format!("{report}.sh"));
    fs::write(&file, script).unwrap();
    helper_command(policy, &g.f.ws, &g.f.home)
        .arg("--report")
        .arg(g.f.root.join(report))
        .args(["--env", &format!("EVIL={}", g.evil_config)])
        .arg("--")
        .arg("/bin/sh")
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

fn report_of(g: &GitFixture, report: &str) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(g.f.root.join(report)).unwrap()).unwrap()
}

fn wait_for(p: &Path, what: &str) {
    for _ in 0..400 {
        if p.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("{what}: {} never appeared", p.display());
}

#[test]
fn git_config_replaced_outside_during_the_run_cannot_be_rewritten_by_the_run() {
    // The command waits until the user's ordinary `git config` outside has
    // renamed a new `.git/config` over the bound one (which takes the bind
    // away), then appends a planted `core.fsmonitor`. The sweep used to
    // keep it as "changed outside"; now it moves the file aside.
    let g = GitFixture::new();
    let p = g.f.offline();
    let script = "ino=$(stat -c %i .git/config); : > started; i=0; \
        while [ \"$(stat -c %i .git/config)\" = \"$ino\" ] && [ $i -lt 400 ]; do sleep 0.025; i=$((i+1)); done; \
        printf '%s' \"$EVIL\" >> .git/config; exit 0";
    let mut child = spawn_git_run(&g, &p, "report-f4.json", script);
    wait_for(&g.f.ws.join("started"), "the run");
    let out = git_in(&g.f, &g.f.ws, &["config", "user.name", "The User"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(child.wait().unwrap().success());
    let rep = report_of(&g, "report-f4.json");
    let _ = git_in(&g.f, &g.f.ws, &["status", "--short"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    let cfg = g.f.ws.join(".git/config");
    assert!(
        !fs::read_to_string(&cfg)
            .unwrap_or_default()
            .contains("fsmonitor"),
        "{rep}"
    );
    assert!(
        GitFixture::quarantined(&rep).contains(&cfg.display().to_string()),
        "{rep}"
    );
}

#[test]
fn a_concurrent_runs_sweep_does_not_free_a_bound_entry_for_another_run() {
    // Run X (benign) makes the workspace a repository and works on; run Y
    // starts meanwhile (the new `.git/config` is bound read-only in Y) and
    // waits until X's sweep has moved that config aside, which takes Y's
    // bind with it; Y then writes a planted one. Y's sweep used to keep it
    // as "changed outside".
    let g = GitFixture::new();
    fs::remove_dir_all(g.f.ws.join(".git")).unwrap();
    let p = g.f.offline();
    let mut x = spawn_git_run(
        &g,
        &p,
        "report-x.json",
        "git init -q . && : > x-ready; i=0; while [ ! -e y-started ] && [ $i -lt 400 ]; do sleep 0.025; i=$((i+1)); done; exit 0",
    );
    wait_for(&g.f.ws.join("x-ready"), "run X");
    let mut y = spawn_git_run(
        &g,
        &p,
        "report-y.json",
        ": > y-started; i=0; while [ -e .git/config ] && [ $i -lt 400 ]; do sleep 0.025; i=$((i+1)); done; \
         printf '%s' \"$EVIL\" > .git/config.new && mv .git/config.new .git/config; exit 0",
    );
    assert!(x.wait().unwrap().success());
    assert!(y.wait().unwrap().success());
    let rep = report_of(&g, "report-y.json");
    let _ = git_in(&g.f, &g.f.ws, &["status", "--short"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    let cfg = g.f.ws.join(".git/config");
    assert!(
        !fs::read_to_string(&cfg)
            .unwrap_or_default()
            .contains("fsmonitor"),
        "{rep}"
    );
}

#[test]
fn concurrent_runs_on_an_existing_repository_neither_keep_a_planted_commondir_nor_move_each_others_hooks(
) {
    // Run X points the user's repository at a common dir it makes
    // (`.git/commondir` -> `../evil`), harmless at first; run Y starts
    // (both bound read-only; its helper makes the missing `evil/hooks`);
    // X's sweep moves X's entries aside, out from under Y, which writes
    // them again with a planted configuration. Y's sweep must move them
    // aside, and X's sweep must leave the empty `hooks` Y's helper made.
    let g = GitFixture::new();
    let p = g.f.offline();
    let mut x = spawn_git_run(
        &g,
        &p,
        "report-x.json",
        "mkdir -p evil/objects evil/refs/heads && printf 'ref: refs/heads/main\\n' > evil/HEAD && \
         printf '[core]\\n\\tbare = false\\n' > evil/config && printf '../evil\\n' > .git/commondir && \
         : > x-ready; i=0; while [ ! -e y-started ] && [ $i -lt 400 ]; do sleep 0.025; i=$((i+1)); done; exit 0",
    );
    wait_for(&g.f.ws.join("x-ready"), "run X");
    let mut y = spawn_git_run(
        &g,
        &p,
        "report-y.json",
        ": > y-started; i=0; while { [ -e .git/commondir ] || [ -e evil/config ]; } && [ $i -lt 400 ]; do sleep 0.025; i=$((i+1)); done; \
         printf '%s' \"$EVIL\" > evil/config; printf '../evil\\n' > .git/commondir; exit 0",
    );
    assert!(x.wait().unwrap().success());
    let hooks = g.f.ws.join("evil/hooks");
    let x_moved_hooks = GitFixture::quarantined(&report_of(&g, "report-x.json"))
        .contains(&hooks.display().to_string());
    assert!(y.wait().unwrap().success());
    let rep = report_of(&g, "report-y.json");
    let _ = git_in(&g.f, &g.f.ws, &["status", "--short"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    assert!(!g.f.ws.join(".git/commondir").exists(), "{rep}");
    assert!(!x_moved_hooks, "X's sweep moved the hooks Y's helper made");
}

#[test]
fn an_include_bomb_does_not_stall_the_sweep() {
    // A new repository whose configuration sets `core.fsmonitor` and
    // includes 40 files of 5 000 include lines each (naming missing files,
    // which git skips). Every line used to be resolved: the helper took
    // tens of seconds after the command, long enough for a caller to kill
    // it before the sweep. Now the includes followed are bounded and the
    // configuration that exceeds the bound is moved aside unchecked.
    let g = GitFixture::new();
    let inc = g.f.ws.join("inc");
    fs::create_dir_all(&inc).unwrap();
    let body: String = std::iter::once("[include]\n".to_string())
        .chain((0..5000).map(|i| format!("path=m/{i}\n")))
        .collect();
    assert!(body.len() <= 64 * 1024);
    let mut includes = String::from("[include]\n");
    for i in 0..40 {
        fs::write(inc.join(format!("f{i}")), &body).unwrap();
        includes.push_str(&format!("\tpath = {}/f{i}\n", inc.display()));
    }
    fs::write(g.f.root.join("includes"), includes).unwrap();
    let script = format!(
        "git init -q r0 && printf '%s' \"$EVIL\" >> r0/.git/config && cat {} >> r0/.git/config; exit 0",
        g.f.root.join("includes").display()
    );
    let p = g.f.offline();
    let started = std::time::Instant::now();
    let mut run = spawn_git_run(&g, &p, "report-bomb.json", &script);
    assert!(run.wait().unwrap().success());
    let took = started.elapsed();
    let rep = report_of(&g, "report-bomb.json");
    let _ = git_in(&g.f, &g.f.ws.join("r0"), &["status", "--short"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    assert!(!g.f.ws.join("r0/.git/config").exists(), "{rep}");
    assert!(
        took < Duration::from_secs(8),
        "the helper took {took:?}: {rep}"
    );
}

/// The credential stores are hidden below the caller's `$HOME` too, not
/// only below `--home`: a run given a scratch home must not read the
/// user's real `~/.ssh`, `~/.aws`, `~/.gnupg`.
#[test]
fn credential_stores_of_the_callers_home_are_hidden_under_another_home() {
    let f = Fixture::new();
    let real = f.root.join("realhome");
    let files = [
        ".ssh/id_fixture",
        ".aws/credentials",
        ".gnupg/private-keys-v1.d/fixture.key",
    ];
    for name in files {
        let p = real.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "FIXTURE-SECRET").unwrap();
    }
    let p = fs_policy(&f, r#"["./"]"#, "[]");
    let script = files
        .iter()
        .map(|n| format!("cat {}/{n};", real.display()))
        .collect::<String>()
        + " exit 0";
    let home = real.to_str().unwrap();
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &[("HOME", home)]);
    assert!(
        !text(&out.stdout).contains("FIXTURE-SECRET"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
}

/// Append `extra` to the fixture repository's `.git/config`, which then
/// includes the working-tree file `../team.gitconfig`; plant through that
/// file in the run and run `git status` outside afterwards.
fn include_through_config(extra_before: &[u8]) {
    let g = GitFixture::new();
    let cfg = g.f.ws.join(".git/config");
    let mut bytes = fs::read(&cfg).unwrap();
    bytes.extend_from_slice(extra_before);
    bytes.extend_from_slice(b"[include]\n\tpath = ../team.gitconfig\n");
    fs::write(&cfg, bytes).unwrap();
    fs::write(g.f.ws.join("team.gitconfig"), "[alias]\n\tst = status\n").unwrap();
    // Git itself reads the configuration and follows the include.
    let alias = git_in(&g.f, &g.f.ws, &["config", "--get", "alias.st"]);
    assert_eq!(
        text(&alias.stdout).trim(),
        "status",
        "{}",
        text(&alias.stderr)
    );
    let script = "printf '%s' \"$EVIL\" >> team.gitconfig; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(g.f.ws.join("team.gitconfig")).unwrap(),
        "[alias]\n\tst = status\n",
        "{rep}"
    );
}

/// A `.git/config` that is not UTF-8 (a Latin-1 `user.name`) is read as
/// git reads it: its includes are protected.
#[test]
fn git_config_that_is_not_utf8_still_has_its_includes_protected() {
    include_through_config(b"[user]\n\tname = Ren\xe9\n");
}

/// A `.git/config` larger than 64 KiB (one `[branch]` section per tracked
/// branch) is read whole: its includes are protected.
#[test]
fn git_config_larger_than_64_kib_still_has_its_includes_protected() {
    let mut big = Vec::new();
    for i in 0..1000 {
        big.extend_from_slice(
            format!("[branch \"feature/topic-{i:04}\"]\n\tremote = origin\n\tmerge = refs/heads/feature/topic-{i:04}\n").as_bytes(),
        );
    }
    assert!(big.len() > 64 * 1024);
    include_through_config(&big);
}

/// The proxy runs in the host's network namespace: an address of the
/// host's own interfaces (its public address) reaches the host's services
/// that listen on all interfaces. With `allow_localhost: false` the proxy
/// refuses such an address like loopback. In a network namespace of the
/// test's own (as root `unshare -n`, otherwise `unshare -rn`), with a
/// public address on `lo` and a listener on 0.0.0.0:443.
#[test]
fn the_proxy_refuses_the_hosts_own_addresses_without_allow_localhost() {
    const ADDR: &str = "93.184.216.34";
    let f = Fixture::new();
    let p = f.policy(
        r#"{"enabled":true,"allow_localhost":false,"allow_https":true,"allow_http":false}"#,
        "{}",
        "",
    );
    let marker = f.root.join("listener-got-a-connection");
    let report = f.root.join("report.json");
    let listener = format!(
        "import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
         s.bind(('0.0.0.0', 443))\ns.listen(4)\nopen('{ready}', 'w').close()\n\
         c, a = s.accept()\nopen('{marker}', 'w').write(str(a))\n",
        ready = f.root.join("ready").display(),
        marker = marker.display()
    );
    fs::write(f.root.join("listener.py"), listener).unwrap();
    let script = format!(
        "set -e\nip link set lo up\nip addr add {ADDR}/32 dev lo\n\
         /usr/bin/python3 {root}/listener.py & L=$!\n\
         i=0; while [ ! -e {root}/ready ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done\n\
         set +e\n\
         '{helper}' --policy '{policy}' --workspace '{ws}' --home '{home}' --report '{report}' -- \
         /bin/sh -c \"curl -sS -m 10 -o /dev/null -w 'connect=%{{http_connect}}\\\\n' https://{ADDR}/; exit 0\"\n\
         sleep 0.3; kill $L 2>/dev/null; exit 0\n",
        root = f.root.display(),
        helper = helper().display(),
        policy = p.display(),
        ws = f.ws.display(),
        home = f.home.display(),
        report = report.display(),
    );
    fs::write(f.root.join("netns.sh"), script).unwrap();
    // SAFETY: getuid cannot fail and touches no memory.
    let root = unsafe { libc::getuid() } == 0;
    let flags = if root { "-n" } else { "-rn" };
    let probe = Command::new("unshare").args([flags, "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot create a network namespace (unshare {flags})");
        return;
    }
    let out = Command::new("unshare")
        .args([flags, "/bin/sh"])
        .arg(f.root.join("netns.sh"))
        .output()
        .unwrap();
    let rep: serde_json::Value = read_report(&report);
    assert!(
        !marker.exists(),
        "the host's service was reached: {}",
        describe(&out, &rep)
    );
    assert!(
        text(&out.stdout).contains("connect=403"),
        "{}",
        describe(&out, &rep)
    );
    let events = rep["network_events"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        events
            .iter()
            .any(|e| e["verdict"] == "deny" && e["code"] == "LOCALHOST_NOT_ALLOWED"),
        "{}",
        describe(&out, &rep)
    );
}

/// Makes a 3000-byte directory chain and `argv[1]` directories in it, each
/// with a `.git` file: as many entries for the sweep to move aside, with
/// long paths.
const POINTER_FLOOD: &str = r#"
import os, sys
n = int(sys.argv[1])
base = "/".join(["d" * 250] * 12)
os.makedirs(base)
for i in range(n):
    d = "%s/%d" % (base, i)
    os.mkdir(d)
    with open(d + "/.git", "w") as f:
        f.write("gitdir: ../elsewhere\n")
print("made", n)
"#;

#[test]
fn a_flood_of_git_pointers_neither_starves_the_sweep_nor_saves_a_planted_commondir() {
    // Mechanism: the sweep checks the repositories found before the run
    // first, judges pointers as it finds them and lists at most 100 moved
    // entries (the rest counted), so its memory does not grow with what
    // the run made; a report saying the sweep did not finish is written
    // before it starts. A helper under a memory limit used to abort in the
    // sweep, leaving the planted `commondir` and no report.
    let g = GitFixture::new();
    let f = &g.f;
    let p = f.offline();
    let report = f.root.join("report.json");
    let script = format!(
        "{MAKE_EVIL_GITDIR} && printf '../evil\\n' > .git/commondir && python3 -c \"$1\" 12000; exit 0"
    );
    let mut c = helper_command(&p, &f.ws, &f.home);
    c.arg("--report")
        .arg(&report)
        .args(["--env", &format!("EVIL={}", g.evil_config)])
        .args(["--", "/bin/sh", "-c", &script, "sh", POINTER_FLOOD]);
    // The limit of a caller or a container: far more than the helper
    // needs, less than a list of every moved entry.
    // SAFETY: setrlimit is async-signal-safe and touches no shared state.
    unsafe {
        use std::os::unix::process::CommandExt;
        c.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 100_000_000,
                rlim_max: 100_000_000,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let size = fs::metadata(&report).map(|m| m.len()).unwrap_or(0);
    let rep: serde_json::Value = read_report(&report);
    let _ = git_in(f, &f.ws, &["status", "--short"]);
    assert!(
        !g.marker.exists(),
        "planted code ran: {}",
        describe(&out, &rep)
    );
    assert!(
        !f.ws.join(".git/commondir").exists(),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        text(&out.stdout).contains("made 12000"),
        "{}",
        describe(&out, &rep)
    );
    assert!(rep.is_object(), "no report: {}", describe(&out, &rep));
    assert!(size < 1_000_000, "report of {size} bytes");
    let listed = rep["git_quarantined"].as_array().map_or(0, |a| a.len());
    let unlisted = rep["git_quarantined_unlisted"].as_u64().unwrap_or(0);
    assert!(listed <= 100, "{listed} entries listed");
    // Either every entry was moved aside and counted, or the run ended as
    // an error saying the sweep did not finish.
    if rep["status"] == "error" {
        assert!(
            rep["error"]
                .as_str()
                .is_some_and(|e| e.contains("sweep incomplete")),
            "{}",
            describe(&out, &rep)
        );
        assert_eq!(out.status.code(), Some(125), "{}", describe(&out, &rep));
    } else {
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert!(listed as u64 + unlisted > 12_000, "{listed} + {unlisted}");
    }
}

#[test]
fn a_git_dir_named_by_a_pointer_that_is_not_utf8_is_protected() {
    // Mechanism: pointer files (`.git` files, `commondir`, `gitdir`) are
    // read as bytes, as git reads them; one that cannot be read is a gap.
    // Before, a `.git` file naming a path with a Latin-1 byte was skipped,
    // and the git dir it named (where the search does not look: below
    // `.git/logs`) kept a writable `config`.
    use std::os::unix::ffi::OsStrExt;
    let g = GitFixture::new();
    let f = &g.f;
    let sub = f.ws.join("sub");
    fs::create_dir(&sub).unwrap();
    let gd = f.ws.join(std::ffi::OsStr::from_bytes(b".git/logs/m\xe9"));
    let out = Command::new("git")
        .args(["init", "-q", "-b", "main", "--separate-git-dir"])
        .arg(&gd)
        .arg(&sub)
        .env("HOME", &f.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git init: {}", text(&out.stderr));
    let commit = git_in(f, &sub, &["commit", "-q", "--allow-empty", "-m", "init"]);
    assert!(commit.status.success(), "{}", text(&commit.stderr));
    assert!(fs::read(sub.join(".git")).unwrap().contains(&0xe9));
    let config = fs::read(gd.join("config")).unwrap();
    let (ran, rep) = g.plant_then_status(
        "for d in .git/logs/m*; do printf '%s' \"$EVIL\" >> \"$d/config\"; done; exit 0",
        &["sub"],
    );
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(fs::read(gd.join("config")).unwrap(), config, "{rep}");
}

#[test]
fn the_common_credential_stores_of_the_home_are_hidden() {
    // Mechanism: every entry of the filesystem guard's credential list is
    // hidden like a blocked path, in every mode. Before, only `~/.ssh`,
    // `~/.aws` and `~/.gnupg` were: tokens in `~/.git-credentials`,
    // `~/.netrc`, `~/.kube/config` or `~/.config/gh/hosts.yml` were read.
    let f = Fixture::new();
    let stores = [
        ".git-credentials",
        ".netrc",
        ".docker/config.json",
        ".config/gh/hosts.yml",
        ".pypirc",
        ".kube/config",
        ".config/gcloud/credentials.db",
        ".azure/accessTokens.json",
        ".password-store/mail.gpg",
        ".vault-token",
    ];
    for s in stores {
        let p = f.home.join(s);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "FIXTURE-SECRET\n").unwrap();
    }
    // A settings file beside them stays readable.
    fs::write(f.home.join(".npmrc"), "FIXTURE-SETTING\n").unwrap();
    let p = f.offline();
    let script = format!(
        "for s in {}; do cat \"$HOME/$s\" 2>/dev/null; done; cat \"$HOME/.npmrc\"; exit 0",
        stores.join(" ")
    );
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", &script],
        &[("HOME", f.home.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("FIXTURE-SECRET"),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        text(&out.stdout).contains("FIXTURE-SETTING"),
        "{}",
        describe(&out, &rep)
    );
}

/// Blocked paths and credential stores are hidden by covering their path;
/// a second mount of the same directory elsewhere (a home bound also on
/// `/var/home`, a parent directory bound twice, a mount of a place inside a
/// store) must not show them again. The binds live in a mount namespace of
/// the test's own (as root `unshare -m`, otherwise `unshare -rm`), never
/// the host's.
#[test]
fn hidden_entries_stay_hidden_through_other_mounts_of_their_file_system() {
    let f = Fixture::new();
    let p = f.offline();
    // Every credential store of the protected list, and `~/.ssh`, `~/.aws`
    // (the policy's blocked_paths).
    let stores = [
        ".ssh/id_fixture",
        ".aws/credentials",
        ".gnupg/private-keys-v1.d/fixture.key",
        ".git-credentials",
        ".netrc",
        ".docker/config.json",
        ".config/gh/hosts.yml",
        ".pypirc",
        ".kube/config",
        ".config/gcloud/credentials.db",
        ".azure/accessTokens.json",
        ".password-store/site.gpg",
        ".vault-token",
    ];
    for s in stores {
        let at = f.home.join(s);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        fs::write(&at, "FIXTURE-SECRET\n").unwrap();
    }
    fs::write(f.home.join("visible.txt"), "VISIBLE\n").unwrap();
    // Mount points outside the fixture's root: the home itself, the
    // directory above it, and a place inside a store.
    let alt = tempfile::tempdir().unwrap();
    let alt = fs::canonicalize(alt.path()).unwrap();
    let (alt_home, alt_root, alt_inner) = (alt.join("home"), alt.join("root"), alt.join("inner"));
    for d in [&alt_home, &alt_root, &alt_inner] {
        fs::create_dir_all(d).unwrap();
    }
    let root = unsafe { libc::geteuid() } == 0;
    let flags = if root { "-m" } else { "-rm" };
    let probe = Command::new("unshare")
        .args([flags, "--propagation", "private", "mount", "--bind"])
        .arg(&f.home)
        .arg(&alt_home)
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot bind a directory in a mount namespace of the test's own (unshare {flags}): {probe:?}");
        return;
    }
    let report = f.root.join("report.json");
    let mut script = String::from("cat \"$1/visible.txt\"; cat \"$2/home/visible.txt\"; ");
    for s in stores {
        for base in ["$HOME", "$1", "$2/home"] {
            script.push_str(&format!(
                "cat \"{base}/{s}\" 2>/dev/null && echo \"LEAK {base}/{s}\"; "
            ));
        }
    }
    script.push_str("cat \"$3/fixture.key\" 2>/dev/null && echo \"LEAK $3\"; ");
    script.push_str("ls \"$3\" 2>/dev/null; echo DONE");
    let out = Command::new("unshare")
        .args([flags, "--propagation", "private", "/bin/sh", "-c"])
        .arg(
            "mount --bind \"$1\" \"$2\" && mount --bind \"$3\" \"$4\" && mount --bind \"$5\" \"$6\" \
             && shift 6 && exec \"$@\"",
        )
        .arg("sh")
        .arg(&f.home)
        .arg(&alt_home)
        .arg(&f.root)
        .arg(&alt_root)
        .arg(f.home.join(".gnupg/private-keys-v1.d"))
        .arg(&alt_inner)
        .arg(helper())
        .arg("--policy")
        .arg(&p)
        .arg("--workspace")
        .arg(&f.ws)
        .arg("--home")
        .arg(&f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", &script, "sh"])
        .arg(&alt_home)
        .arg(&alt_root)
        .arg(&alt_inner)
        .env("HOME", &f.home)
        .output()
        .unwrap();
    let rep: serde_json::Value = read_report(&report);
    let stdout = text(&out.stdout);
    // The run happened, and the other mounts are there inside it.
    assert!(stdout.contains("DONE"), "{}", describe(&out, &rep));
    assert_eq!(
        stdout.matches("VISIBLE").count(),
        2,
        "the other mounts are not in the run: {}",
        describe(&out, &rep)
    );
    assert!(
        !stdout.contains("LEAK")
            && !stdout.contains("FIXTURE-SECRET")
            && !stdout.contains("fixture.key"),
        "a hidden entry is shown by another mount: {}",
        describe(&out, &rep)
    );
    assert_eq!(rep["mechanisms"]["mounts"]["level"], "full", "{rep}");
}

/// `O_NONBLOCK` on descriptor `fd` of this process, from its fdinfo.
fn nonblocking(fd: i32) -> bool {
    let info = fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
    let flags = info
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .map(|v| u32::from_str_radix(v.trim(), 8).unwrap())
        .unwrap();
    // O_NONBLOCK is 04000 on every Linux architecture this runs on.
    flags & 0o4000 != 0
}

const NONBLOCK_PROBE: &str = r#"
import fcntl, os
for fd in (0, 1, 2):
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
    except OSError:
        pass
print("SET")
"#;

#[test]
fn the_callers_pipes_keep_their_status_flags() {
    use std::os::fd::AsRawFd;
    let f = Fixture::new();
    let p = f.offline();
    let report = f.root.join("report.json");
    // The caller's pipes: this process keeps a descriptor on the same open
    // file description as the one the helper gets, so a flag the command
    // sets on it shows here.
    let (in_r, in_w) = std::io::pipe().unwrap();
    let (out_r, out_w) = std::io::pipe().unwrap();
    let (err_r, err_w) = std::io::pipe().unwrap();
    let kept = [in_r.try_clone().unwrap()];
    let out_kept = out_w.try_clone().unwrap();
    let err_kept = err_w.try_clone().unwrap();
    drop(in_w);
    let mut child = helper_command(&p, &f.ws, &f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "python3", "-c", NONBLOCK_PROBE])
        .stdin(in_r)
        .stdout(out_w)
        .stderr(err_w)
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    let mut out = String::new();
    drop(child);
    let mut out_r = out_r;
    // Nothing else holds the write end but `out_kept`: read what is there.
    let fd = out_kept.as_raw_fd();
    let err_fd = err_kept.as_raw_fd();
    let in_fd = kept[0].as_raw_fd();
    let flags = (nonblocking(in_fd), nonblocking(fd), nonblocking(err_fd));
    drop(out_kept);
    drop(err_kept);
    out_r.read_to_string(&mut out).unwrap();
    drop(err_r);
    assert!(out.contains("SET"), "status {status:?}, stdout {out}");
    assert_eq!(
        flags,
        (false, false, false),
        "the command left O_NONBLOCK on the caller's stdin, stdout, stderr"
    );
}

/// A repository planted below a directory the command leaves traversable
/// but not listable (`chmod 111 hide`): git still reaches it by its path,
/// the sweep could not list the directory. Mechanism: the sweep gives the
/// directory's owner read and search permission back and lists it (as
/// root, the directory was listable anyway).
#[test]
fn an_unlistable_directory_does_not_hide_a_planted_repository_from_the_sweep() {
    let g = GitFixture::new();
    let script = "mkdir -p hide && git init -q hide/proj && \
        printf '%s' \"$EVIL\" >> hide/proj/.git/config && chmod 111 hide; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["hide/proj"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!g.f.ws.join("hide/proj/.git/config").exists(), "{rep}");
    assert_eq!(rep["status"], "ok", "{rep}");
}

/// The run's temporary directory when the per-user base cannot be used
/// (another user, or a mode open to others, took `sandbox-exec-<uid>`):
/// a fresh directory, which the command fills with a directory it cannot
/// be removed from (`chmod 000`). Mechanism: the cleanup gives the owner's
/// permissions back before removing (as root, removal worked anyway).
#[test]
fn files_left_in_an_unremovable_directory_of_the_runs_tmp_do_not_stay() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let f = Fixture::new();
    let p = f.offline();
    let base = f.root.join("tmpbase");
    fs::create_dir_all(&base).unwrap();
    let uid = fs::metadata(&f.root).unwrap().uid();
    let taken = base.join(format!("sandbox-exec-{uid}"));
    fs::create_dir(&taken).unwrap();
    // Open to others: not safe as a base, so the run makes its own.
    fs::set_permissions(&taken, fs::Permissions::from_mode(0o755)).unwrap();
    let script =
        "mkdir -p \"$TMPDIR/keep/inner\" && echo persisted > \"$TMPDIR/keep/inner/payload\" \
        && chmod 000 \"$TMPDIR/keep/inner\" && chmod 500 \"$TMPDIR/keep\" && echo \"MADE $TMPDIR\"";
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", script],
        &[("TMPDIR", base.to_str().unwrap())],
    );
    assert!(
        text(&out.stdout).contains("MADE"),
        "{}",
        describe(&out, &rep)
    );
    let left: Vec<String> = fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| *n != format!("sandbox-exec-{uid}"))
        .collect();
    // Let the fixture be removed whatever the outcome.
    for n in &left {
        let _ = Command::new("chmod")
            .args(["-R", "u+rwx"])
            .arg(base.join(n))
            .status();
    }
    assert!(
        left.is_empty(),
        "left on the host: {left:?}: {}",
        describe(&out, &rep)
    );
    assert_eq!(rep["status"], "ok", "{rep}");
}

/// A script outside the trees that records it ran (in `outside/marker`),
/// for hooks and `core.fsmonitor` to name.
fn outside_marker_script(f: &Fixture) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let marker = f.outside.join("marker");
    let script = f.outside.join("planted.sh");
    fs::write(
        &script,
        format!("#!/bin/sh\necho ran >> {}\nexit 1\n", marker.display()),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    (script, marker)
}

fn git_ok(f: &Fixture, dir: &Path, args: &[&str]) {
    let out = git_in(f, dir, args);
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// The workspace is a subdirectory of a repository whose `.git` lies
/// outside it (a monorepo's project directory; husky's
/// `core.hooksPath = frontend/.husky/_`, a project-shipped
/// `include.path = ../frontend/project.gitconfig`): what that
/// configuration names inside the workspace runs on the user's next
/// `git status` in the repository. Mechanism: the enclosing repositories of
/// each writable root are read too, and what they name in it is bound
/// read-only.
#[test]
fn the_enclosing_repositorys_hooks_and_includes_in_the_workspace_are_protected() {
    let f = Fixture::new();
    let (planted, marker) = outside_marker_script(&f);
    fs::create_dir_all(f.ws.join(".husky/_")).unwrap();
    fs::write(f.ws.join(".husky/_/.gitignore"), "*\n").unwrap();
    fs::write(f.ws.join("project.gitconfig"), "").unwrap();
    fs::write(f.ws.join("a.txt"), "a\n").unwrap();
    git_ok(&f, &f.root, &["init", "-q", "-b", "main"]);
    git_ok(&f, &f.root, &["config", "core.hooksPath", "ws/.husky/_"]);
    git_ok(
        &f,
        &f.root,
        &["config", "include.path", "../ws/project.gitconfig"],
    );
    git_ok(&f, &f.root, &["add", "ws/a.txt"]);
    git_ok(&f, &f.root, &["commit", "-q", "-m", "i"]);
    let script = format!(
        "printf '#!/bin/sh\\nexec {0}\\n' > .husky/_/post-index-change; \
         chmod 755 .husky/_/post-index-change; \
         printf '[core]\\n\\tfsmonitor = {0}\\n' >> project.gitconfig; \
         echo new > new.txt; sleep 1; touch a.txt; exit 0",
        planted.display()
    );
    let p = f.offline();
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // The workspace itself stays writable.
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "new\n");
    let _ = git_in(&f, &f.root, &["status", "--short"]);
    let _ = git_in(&f, &f.ws, &["status", "--short"]);
    assert!(!marker.exists(), "planted code ran: {rep}");
    assert!(!f.ws.join(".husky/_/post-index-change").exists(), "{rep}");
    assert_eq!(
        fs::read_to_string(f.ws.join("project.gitconfig")).unwrap(),
        ""
    );
}

/// The workspace is a linked worktree (one per agent) of a repository
/// outside it, whose configuration has a relative `core.hooksPath`
/// (husky's `.husky/_`): git takes it in the worktree, where the run could
/// make it. Mechanism: the worktree's git dir and its common dir are read
/// although they lie outside, and the missing hooks directory cannot be
/// made (its directory is locked).
#[test]
fn a_linked_worktrees_hooks_directory_named_by_the_main_repository_is_protected() {
    let f = Fixture::new();
    let (planted, marker) = outside_marker_script(&f);
    let main = f.outside.join("main");
    fs::create_dir_all(main.join(".husky")).unwrap();
    fs::write(main.join(".husky/pre-commit"), "true\n").unwrap();
    fs::write(main.join(".husky/.gitignore"), "_\n").unwrap();
    fs::write(main.join("a.txt"), "a\n").unwrap();
    git_ok(&f, &main, &["init", "-q", "-b", "main"]);
    git_ok(&f, &main, &["config", "core.hooksPath", ".husky/_"]);
    git_ok(&f, &main, &["add", "-A"]);
    git_ok(&f, &main, &["commit", "-q", "-m", "i"]);
    git_ok(
        &f,
        &main,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "agent",
            f.ws.to_str().unwrap(),
        ],
    );
    let script = format!(
        "mkdir -p .husky/_; printf '#!/bin/sh\\nexec {0}\\n' > .husky/_/post-index-change; \
         chmod 755 .husky/_/post-index-change; \
         echo new > new.txt; sleep 1; touch a.txt; exit 0",
        planted.display()
    );
    let p = f.offline();
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "new\n");
    let _ = git_in(&f, &f.ws, &["status", "--short"]);
    assert!(!marker.exists(), "planted code ran: {rep}");
    assert!(!f.ws.join(".husky/_/post-index-change").exists(), "{rep}");
}

/// A hook in `.git/hooks` that is a link into the working tree (the usual
/// `ln -s ../../tools/X .git/hooks/X`): rewriting the target plants code
/// the user's next `git status` runs, and the hooks directory's listing
/// does not change. Mechanism: the target is bound read-only.
#[test]
fn the_target_of_a_hook_link_into_the_working_tree_is_protected() {
    use std::os::unix::fs::PermissionsExt;
    let g = GitFixture::new();
    fs::create_dir_all(g.f.ws.join("tools")).unwrap();
    let target = g.f.ws.join("tools/post-index-change.sh");
    fs::write(&target, "#!/bin/sh\nexit 0\n").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(
        "../../tools/post-index-change.sh",
        g.f.ws.join(".git/hooks/post-index-change"),
    )
    .unwrap();
    fs::write(g.f.ws.join("tracked.txt"), "t\n").unwrap();
    git_ok(&g.f, &g.f.ws, &["add", "-A"]);
    git_ok(&g.f, &g.f.ws, &["commit", "-q", "-m", "t"]);
    let script = format!(
        "printf '#!/bin/sh\\nexec {}\\n' > tools/post-index-change.sh; \
         sleep 1; touch tracked.txt; exit 0",
        g.f.root.join("planted.sh").display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "#!/bin/sh\nexit 0\n",
        "{rep}"
    );
}

/// `core.hooksPath` naming a directory that holds the repository (the
/// working tree's top, by absolute path): git runs hooks from there, so a
/// hook planted beside the project's files runs on the user's next
/// `git status`. Mechanism: every hook name there is protected: bound
/// read-only when it exists, moved aside after the run when the run made
/// it (the working tree's top is not locked).
#[test]
fn hooks_in_a_hooks_directory_that_holds_the_repository_are_protected() {
    let g = GitFixture::new();
    fs::write(g.f.ws.join("tracked.txt"), "t\n").unwrap();
    fs::write(g.f.ws.join("pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    git_ok(
        &g.f,
        &g.f.ws,
        &["config", "core.hooksPath", g.f.ws.to_str().unwrap()],
    );
    git_ok(&g.f, &g.f.ws, &["add", "tracked.txt"]);
    git_ok(&g.f, &g.f.ws, &["commit", "-q", "-m", "t", "--no-verify"]);
    let script = format!(
        "printf '#!/bin/sh\\nexec {0}\\n' > post-index-change; chmod 755 post-index-change; \
         printf '#!/bin/sh\\nexec {0}\\n' > pre-commit; \
         echo new > new.txt; sleep 1; touch tracked.txt; exit 0",
        g.f.root.join("planted.sh").display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!g.f.ws.join("post-index-change").exists(), "{rep}");
    assert_eq!(
        fs::read_to_string(g.f.ws.join("pre-commit")).unwrap(),
        "#!/bin/sh\nexit 0\n",
        "{rep}"
    );
    // The top of the working tree is not locked.
    assert_eq!(fs::read_to_string(g.f.ws.join("new.txt")).unwrap(), "new\n");
}

/// A relative include in a `~/.gitconfig` that is a link (a dotfiles
/// manager's layout): git takes it relative to the directory of the path it
/// opened (`~`), not of the link's target. The workspace is the home.
/// Mechanism: the file git includes is bound read-only.
#[test]
fn a_relative_include_of_a_linked_global_config_is_protected_where_git_reads_it() {
    let f = Fixture::new();
    let (planted, marker) = outside_marker_script(&f);
    let home = &f.ws;
    fs::create_dir_all(home.join("dotfiles")).unwrap();
    fs::write(
        home.join("dotfiles/gitconfig"),
        "[include]\n\tpath = .gitconfig.local\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("dotfiles/gitconfig", home.join(".gitconfig")).unwrap();
    fs::write(home.join(".gitconfig.local"), "").unwrap();
    let repo = f.outside.join("repo");
    fs::create_dir_all(&repo).unwrap();
    git_ok(&f, &repo, &["init", "-q", "-b", "main"]);
    let p = f.offline();
    let report = f.root.join("report.json");
    let script = format!(
        "printf '[core]\\n\\tfsmonitor = {}\\n' >> .gitconfig.local; exit 0",
        planted.display()
    );
    let out = helper_command(&p, home, home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", &script])
        .env("HOME", home)
        .output()
        .unwrap();
    let rep: serde_json::Value = read_report(&report);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let _ = Command::new("git")
        .args(["status", "--short"])
        .current_dir(&repo)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert!(!marker.exists(), "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(home.join(".gitconfig.local")).unwrap(),
        "",
        "{rep}"
    );
}

/// The caller's real home holds start-up files that its shell and git
/// read, whatever `--home` the run is given: with the real home as the
/// workspace and a scratch `--home`, `~/.bashrc` cannot be changed and
/// `~/.gitconfig` cannot be made.
#[test]
fn the_callers_real_home_stays_protected_under_a_scratch_home() {
    let f = Fixture::new();
    let p = f.offline();
    // The workspace is the caller's home (`$HOME`); `--home` is scratch.
    fs::write(f.ws.join(".bashrc"), "ORIGINAL\n").unwrap();
    let ws = f.ws.to_str().unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "/bin/sh",
            "-c",
            "echo APPENDED >> .bashrc; printf '[alias]\\n\\tx = status\\n' > .gitconfig; exit 0",
        ],
        &[("HOME", ws)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join(".bashrc")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !f.ws.join(".gitconfig").exists(),
        "the real home's .gitconfig was made: {}",
        describe(&out, &rep)
    );
}

/// What the caller's global git configuration includes or names as a
/// program or template directory, kept in a writable tree (a dotfiles
/// repository as the workspace), cannot be changed by the run, with a
/// scratch `--home`: the user's git reads and runs it later.
#[test]
fn what_the_callers_global_git_configuration_names_cannot_be_changed() {
    let f = Fixture::new();
    let p = f.offline();
    // The caller's home is the fixture's root; the workspace is its
    // dotfiles directory `ws`.
    fs::write(
        f.root.join(".gitconfig"),
        "[include]\n\tpath = ws/extra.gitconfig\n\
         [core]\n\tpager = ~/ws/bin/pager\n\
         [init]\n\ttemplateDir = ~/ws/template\n\
         [alias]\n\tx = !~/ws/bin/alias.sh --flag\n\
         [diff \"pdf\"]\n\ttextconv = sh ~/ws/bin/textconv.sh\n",
    )
    .unwrap();
    fs::create_dir_all(f.ws.join("bin")).unwrap();
    fs::create_dir_all(f.ws.join("template/hooks")).unwrap();
    for name in [
        "extra.gitconfig",
        "bin/pager",
        "bin/alias.sh",
        "bin/textconv.sh",
    ] {
        fs::write(f.ws.join(name), "ORIGINAL\n").unwrap();
    }
    let root = f.root.to_str().unwrap();
    // Programs in a writable tree: the run is a gap (what they load
    // from the tree is not known), accepted here to see their bytes kept.
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &[
            "/bin/sh",
            "-c",
            "for n in extra.gitconfig bin/pager bin/alias.sh bin/textconv.sh; do \
               echo CHANGED >> $n; done; \
             echo CHANGED > template/hooks/post-checkout; exit 0",
        ],
        &[("HOME", root)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        rep["mechanisms"]["mounts"]["level"],
        "partial",
        "{}",
        describe(&out, &rep)
    );
    for name in [
        "extra.gitconfig",
        "bin/pager",
        "bin/alias.sh",
        "bin/textconv.sh",
    ] {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        !f.ws.join("template/hooks/post-checkout").exists(),
        "a template hook was planted: {}",
        describe(&out, &rep)
    );
}

/// A protected home file with a second name (a hard link) in a writable
/// tree: a read-only bind covers the name, not the file, so the run is
/// refused unless degraded enforcement is accepted.
#[test]
fn a_protected_home_file_with_a_hard_link_in_a_writable_tree_refuses_the_run() {
    let f = Fixture::new();
    let p = f.offline();
    fs::write(f.ws.join("gitconfig"), "ORIGINAL\n").unwrap();
    fs::hard_link(f.ws.join("gitconfig"), f.home.join(".gitconfig")).unwrap();
    let home = f.home.to_str().unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", "echo CHANGED >> gitconfig; exit 0"],
        &[("HOME", home)],
    );
    assert_eq!(
        fs::read_to_string(f.home.join(".gitconfig")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "refused", "{}", describe(&out, &rep));
    assert!(
        rep.to_string().contains("hard links"),
        "{}",
        describe(&out, &rep)
    );
}

/// Programs and the template directory the global git configuration of
/// the run's own home names, kept in the workspace: read-only for the
/// run, like the files it includes.
#[test]
fn programs_the_global_git_configuration_runs_cannot_be_changed() {
    let f = Fixture::new();
    let p = f.offline();
    let ws = f.ws.display();
    fs::write(
        f.home.join(".gitconfig"),
        format!(
            "[core]\n\tpager = {ws}/bin/pager -R\n\tfsmonitor = \"{ws}/bin/fsmonitor\"\n\
             [init]\n\ttemplateDir = {ws}/template\n\
             [filter \"lfs\"]\n\tclean = {ws}/bin/clean %f\n"
        ),
    )
    .unwrap();
    fs::create_dir_all(f.ws.join("bin")).unwrap();
    fs::create_dir_all(f.ws.join("template/hooks")).unwrap();
    let names = ["bin/pager", "bin/fsmonitor", "bin/clean"];
    for name in names {
        fs::write(f.ws.join(name), "ORIGINAL\n").unwrap();
    }
    let home = f.home.to_str().unwrap();
    // A gap (what they load from the workspace is not known), accepted
    // here to see their bytes kept.
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &[
            "/bin/sh",
            "-c",
            "for n in bin/pager bin/fsmonitor bin/clean; do echo CHANGED >> $n; done; \
             echo CHANGED > template/hooks/post-checkout; exit 0",
        ],
        &[("HOME", home)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        rep["mechanisms"]["mounts"]["level"],
        "partial",
        "{}",
        describe(&out, &rep)
    );
    for name in names {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        !f.ws.join("template/hooks/post-checkout").exists(),
        "a template hook was planted: {}",
        describe(&out, &rep)
    );
}

/// Whether `p` is an entry of its own (a link not followed).
fn entry_exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

/// An include target missing before the run, made during it as a link
/// through `/proc/self/cwd` (which leads to the helper's directory for the
/// helper, to the repository's top for git): the entry made there is moved
/// aside as it is, never resolved first.
#[test]
fn a_missing_include_target_made_as_a_link_through_proc_is_moved_aside() {
    let g = GitFixture::new();
    let out = git_in(
        &g.f,
        &g.f.ws,
        &["config", "include.path", "../local.gitconfig"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = "printf '%s' \"$EVIL\" > notes.txt && \
        ln -s /proc/self/cwd/notes.txt local.gitconfig; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!entry_exists(&g.f.ws.join("local.gitconfig")), "{rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("/local.gitconfig")), "{rep}");
}

/// A hook that is a link to a link (`hooks/x -> ../../tools/x ->
/// impl/hook.sh`): the intermediate link re-pointed during the run is
/// moved aside, so git runs nothing it leads to now.
#[test]
fn a_link_on_the_way_to_a_hook_re_pointed_during_the_run_is_moved_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("tools/impl")).unwrap();
    fs::write(ws.join("tools/impl/hook.sh"), "#!/bin/sh\nexit 0\n").unwrap();
    std::os::unix::fs::symlink("impl/hook.sh", ws.join("tools/post-index-change")).unwrap();
    std::os::unix::fs::symlink(
        "../../tools/post-index-change",
        ws.join(".git/hooks/post-index-change"),
    )
    .unwrap();
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "ln -sfn {} tools/post-index-change; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert_ne!(
        fs::read_link(ws.join("tools/post-index-change")).ok(),
        Some(planted),
        "{rep}"
    );
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter().any(|p| p.ends_with("/tools/post-index-change")),
        "{rep}"
    );
}

/// An include reached through a chain of links, the intermediate one
/// re-pointed during the run through `/proc/self/cwd`: the link is moved
/// aside (the helper's own resolution of it leads elsewhere than git's).
#[test]
fn a_link_in_an_include_chain_re_pointed_through_proc_is_moved_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("conf/shared")).unwrap();
    fs::write(
        ws.join("conf/shared/team.gitconfig"),
        "[user]\n\tname = t\n",
    )
    .unwrap();
    fs::write(ws.join("notes.txt"), "notes\n").unwrap();
    std::os::unix::fs::symlink("shared/team.gitconfig", ws.join("conf/team.gitconfig")).unwrap();
    std::os::unix::fs::symlink("conf/team.gitconfig", ws.join("team.gitconfig")).unwrap();
    let out = git_in(&g.f, ws, &["config", "include.path", "../team.gitconfig"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = "printf '%s' \"$EVIL\" > notes.txt && \
        ln -sfn /proc/self/cwd/notes.txt conf/team.gitconfig; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter().any(|p| p.ends_with("/conf/team.gitconfig")),
        "{rep}"
    );
}

/// A program the global configuration names through a directory link
/// (`core.pager = WS/bin/mypager`, `bin -> bin-v1`), the link re-pointed
/// during the run through `/proc/self/cwd`: the link is moved aside.
#[test]
fn a_link_on_the_way_to_a_global_program_re_pointed_through_proc_is_moved_aside() {
    let f = Fixture::new();
    let p = f.offline();
    let ws = &f.ws;
    fs::write(
        f.home.join(".gitconfig"),
        format!("[core]\n\tpager = {}/bin/mypager\n", ws.display()),
    )
    .unwrap();
    fs::create_dir_all(ws.join("bin-v1")).unwrap();
    fs::write(ws.join("bin-v1/mypager"), "#!/bin/sh\ncat\n").unwrap();
    std::os::unix::fs::symlink("bin-v1", ws.join("bin")).unwrap();
    let home = f.home.to_str().unwrap();
    // The pager lies in the workspace: a gap, accepted here.
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &[
            "/bin/sh",
            "-c",
            "mkdir bin-new && printf '#!/bin/sh\\ncat\\n' > bin-new/mypager && \
             ln -sfn /proc/self/cwd/bin-new bin; exit 0",
        ],
        &[("HOME", home)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_ne!(
        fs::read_link(ws.join("bin")).ok(),
        Some(PathBuf::from("/proc/self/cwd/bin-new")),
        "{}",
        describe(&out, &rep)
    );
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter().any(|p| p.ends_with("/bin")),
        "{}",
        describe(&out, &rep)
    );
}

/// A link in an include chain re-pointed at a file that was there before
/// the run: the link is moved aside, and the file stays where it was (it
/// was not created during the run).
#[test]
fn a_re_pointed_include_link_is_moved_aside_and_its_new_target_stays() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("conf/shared")).unwrap();
    fs::write(
        ws.join("conf/shared/team.gitconfig"),
        "[user]\n\tname = t\n",
    )
    .unwrap();
    fs::write(ws.join("notes.txt"), "notes\n").unwrap();
    std::os::unix::fs::symlink("shared/team.gitconfig", ws.join("conf/team.gitconfig")).unwrap();
    let out = git_in(
        &g.f,
        ws,
        &["config", "include.path", "../conf/team.gitconfig"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = "ln -sfn ../notes.txt conf/team.gitconfig; exit 0";
    let (_, rep) = g.plant_then_status(script, &["."]);
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter().any(|p| p.ends_with("/conf/team.gitconfig")),
        "{rep}"
    );
    assert!(!q.iter().any(|p| p.ends_with("/notes.txt")), "{rep}");
    assert_eq!(fs::read_to_string(ws.join("notes.txt")).unwrap(), "notes\n");
}

/// A link through `/proc/self/cwd` on the way to an include before the
/// run: where git reaches through it is not known to the helper, so the
/// run is refused unless degraded enforcement is accepted.
#[test]
fn a_link_through_proc_on_the_way_to_an_include_refuses_the_run() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::write(ws.join("notes.txt"), "notes\n").unwrap();
    std::os::unix::fs::symlink("/proc/self/cwd/notes.txt", ws.join("local.gitconfig")).unwrap();
    let out = git_in(&g.f, ws, &["config", "include.path", "../local.gitconfig"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = g.f.offline();
    let (out, rep) = g.f.run_with(&p, &[], &["/bin/true"], &[]);
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "refused", "{}", describe(&out, &rep));
    assert!(
        rep.to_string().contains("through /proc or /dev/fd"),
        "{}",
        describe(&out, &rep)
    );
}

/// `.git/hooks` a link into the project (`.git/hooks -> ../tools/hooks`,
/// `tools/hooks -> hooks-v1`): the intermediate link re-pointed during the
/// run at a new hooks directory is moved aside, and the hook planted there
/// does not run.
#[test]
fn a_link_on_the_way_to_the_hooks_directory_re_pointed_during_the_run_is_moved_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("tools/hooks-v1")).unwrap();
    std::os::unix::fs::symlink("hooks-v1", ws.join("tools/hooks")).unwrap();
    let _ = fs::remove_dir_all(ws.join(".git/hooks"));
    std::os::unix::fs::symlink("../tools/hooks", ws.join(".git/hooks")).unwrap();
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "mkdir tools/hooks-v2 && cp {} tools/hooks-v2/post-index-change && \
         ln -sfn hooks-v2 tools/hooks; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("/tools/hooks")), "{rep}");
}

/// `core.hooksPath` reaching its directory through links (`.githooks ->
/// tools/hooks`, `tools/hooks -> hooks-v1`): the intermediate link
/// re-pointed during the run is moved aside.
#[test]
fn a_link_on_the_way_to_the_hooks_path_re_pointed_during_the_run_is_moved_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("tools/hooks-v1")).unwrap();
    std::os::unix::fs::symlink("hooks-v1", ws.join("tools/hooks")).unwrap();
    std::os::unix::fs::symlink("tools/hooks", ws.join(".githooks")).unwrap();
    let out = git_in(&g.f, ws, &["config", "core.hooksPath", ".githooks"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "mkdir tools/hooks-v2 && cp {} tools/hooks-v2/post-index-change && \
         ln -sfn hooks-v2 tools/hooks; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("/tools/hooks")), "{rep}");
}

/// `~/` in a repository's own configuration (`include.path =
/// ~/ws/shared/team.gitconfig`, `core.hooksPath = ~/ws/shared/hooks`) with
/// a scratch `--home`: git run later by the user expands it with their own
/// home (`$HOME`), so what that names in the workspace is protected too.
#[test]
fn a_repository_configs_tilde_paths_under_the_callers_home_are_protected() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    // The caller's home holds the workspace; `--home` is a scratch one.
    let real_home = g.f.root.clone();
    fs::create_dir_all(ws.join("shared/hooks")).unwrap();
    fs::write(ws.join("shared/team.gitconfig"), "[user]\n\tname = t\n").unwrap();
    for (repo, key, value) in [
        ("app", "include.path", "~/ws/shared/team.gitconfig"),
        ("app2", "core.hooksPath", "~/ws/shared/hooks"),
    ] {
        fs::create_dir_all(ws.join(repo)).unwrap();
        for args in [
            &["init", "-q", "-b", "main"][..],
            &["config", key, value][..],
        ] {
            let out = git_in(&g.f, &ws.join(repo), args);
            assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        }
    }
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "printf '%s' \"$EVIL\" >> shared/team.gitconfig; \
         cp {} shared/hooks/post-index-change; exit 0",
        planted.display()
    );
    let p = g.f.offline();
    let (out, rep) = g.f.run_with(
        &p,
        &["--env", &format!("EVIL={}", g.evil_config)],
        &["/bin/sh", "-c", &script],
        &[("HOME", real_home.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for repo in ["app", "app2"] {
        let _ = Command::new("git")
            .args(["status", "--short"])
            .current_dir(ws.join(repo))
            .env("HOME", &real_home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .unwrap();
    }
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    assert_eq!(
        fs::read_to_string(ws.join("shared/team.gitconfig")).unwrap(),
        "[user]\n\tname = t\n",
        "{rep}"
    );
    assert!(!ws.join("shared/hooks/post-index-change").exists(), "{rep}");
}

/// What the stock `~/.bashrc` sources (`~/.bash_aliases`, `~/.bashrc.d/`)
/// and what the pager of `git log` reads (`~/.lesskey`: an `#env
/// LESSOPEN=|…` line runs a command; lesspipe's `~/.lessfilter`) are
/// protected home entries: with home as the workspace, an existing one
/// cannot be changed and a missing one cannot be made.
#[test]
fn what_the_shell_and_the_pager_read_from_home_cannot_be_changed() {
    let f = Fixture::new();
    let p = f.offline();
    // The workspace is the caller's home (`$HOME`).
    fs::write(f.ws.join(".bash_aliases"), "ORIGINAL\n").unwrap();
    fs::write(f.ws.join(".lesskey"), "ORIGINAL\n").unwrap();
    let ws = f.ws.to_str().unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "/bin/sh",
            "-c",
            "echo APPENDED >> .bash_aliases; echo APPENDED >> .lesskey; \
             echo x > .lessfilter; mkdir -p .bashrc.d; echo x > .bashrc.d/x.sh; \
             mkdir -p .config; echo x > .config/lesskey; exit 0",
        ],
        &[("HOME", ws)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in [".bash_aliases", ".lesskey"] {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    for name in [".lessfilter", ".bashrc.d", ".config/lesskey"] {
        assert!(
            fs::symlink_metadata(f.ws.join(name)).is_err(),
            "{name} was made: {}",
            describe(&out, &rep)
        );
    }
}

/// Secrets whose names glue a short marker to a word (`ADMINPW`, `SSHPK`,
/// `PINCODE`), abbreviate a token (`TOK`) or name a phrase or recovery
/// code do not pass a policy's `APP_*` pattern; ordinary names that end in
/// other short markers (`FLASK_APP`, `APP_TASK`) still do.
#[test]
fn glued_and_abbreviated_secret_names_do_not_pass_a_pattern() {
    let f = Fixture::new();
    let p = f.policy(
        NET_OFF,
        "{}",
        r#","environment":{"allow":["APP_*","FLASK_*"]}"#,
    );
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/usr/bin/env"],
        &[
            ("APP_ADMINPW", "leak1"),
            ("APP_DBPW", "leak2"),
            ("APP_APITOK", "leak3"),
            ("APP_BOT_TOK", "leak4"),
            ("APP_PINCODE", "leak5"),
            ("APP_OTPCODE", "leak6"),
            ("APP_MFACODE", "leak7"),
            ("APP_SEEDPHRASE", "leak8"),
            ("APP_SSHPK", "leak9"),
            ("APP_MASTER_PHRASE", "leak10"),
            ("APP_RECOVERY_CODES", "leak11"),
            ("APP_ACCESS_CODE", "leak12"),
            ("FLASK_APP", "pass13"),
            ("APP_TASK", "pass14"),
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for n in 1..=12 {
        let leak = format!("=leak{n}\n");
        assert!(
            !stdout.contains(&leak),
            "leak{n} passed: {}",
            describe(&out, &rep)
        );
    }
    for pass in ["FLASK_APP=pass13", "APP_TASK=pass14"] {
        assert!(stdout.contains(pass), "{pass}: {}", describe(&out, &rep));
    }
}

/// A command that fills the file system holding the report (the workspace
/// is often on it) does not leave the caller without a report: room for
/// it is reserved before the command starts, and a report that still
/// cannot be written ends the run with exit 125, never with the command's
/// own status. The file system is a small tmpfs mounted in a user and
/// mount namespace of the test's own, so nothing of the host fills up.
#[test]
fn a_command_that_fills_the_disk_does_not_silence_the_report() {
    let f = Fixture::new();
    let p = f.offline();
    let small = f.root.join("small");
    fs::create_dir_all(&small).unwrap();
    let script = f.root.join("fill.sh");
    fs::write(
        &script,
        "dd if=/dev/zero of=big bs=64k 2>/dev/null\n\
         dd if=/dev/zero of=big2 bs=4k 2>/dev/null\n\
         dd if=/dev/zero of=big3 bs=512 2>/dev/null\nexit 3\n",
    )
    .unwrap();
    let report = small.join("report.json");
    let inner = format!(
        "mount -t tmpfs -o size=4m none '{small}' && mkdir '{small}/ws' || exit 99; \
         '{helper}' --policy '{policy}' --workspace '{small}/ws' --home '{home}' \
         --report '{report}' -- /bin/sh '{script}'; code=$?; \
         cat '{report}' > '{copy}'; exit $code",
        small = small.display(),
        helper = helper().display(),
        policy = p.display(),
        home = f.home.display(),
        report = report.display(),
        script = script.display(),
        copy = f.root.join("report-copy.json").display(),
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "/bin/sh", "-c"])
        .arg(&inner)
        .output()
        .unwrap();
    let code = out.status.code();
    assert_ne!(code, Some(99), "no tmpfs: {}", text(&out.stderr));
    let copy = fs::read_to_string(f.root.join("report-copy.json")).unwrap_or_default();
    let rep: serde_json::Value = serde_json::from_str(&copy).unwrap_or(serde_json::Value::Null);
    assert!(
        code == Some(125) || rep["status"].is_string(),
        "exit {code:?} with report {copy:?}; stderr: {}",
        text(&out.stderr)
    );
    if code != Some(125) {
        assert_eq!(rep["exit"]["code"], 3, "{copy}");
    }
}

/// A file inside a blocked directory, or inside a directory bound
/// read-only (a hooks directory), that has a second name (a hard link) in
/// the workspace: the cover hides the directory's names, not the file, so
/// the run is refused unless degraded enforcement is accepted, as for a
/// blocked or protected file with two names.
#[test]
fn a_hard_link_to_a_file_in_a_hidden_or_read_only_directory_refuses_the_run() {
    let f = Fixture::new();
    // A blocked directory whose file has a second name elsewhere in the workspace.
    fs::create_dir_all(f.ws.join("secrets")).unwrap();
    fs::create_dir_all(f.ws.join("notes")).unwrap();
    fs::write(f.ws.join("secrets/db.key"), "SECRET\n").unwrap();
    fs::hard_link(f.ws.join("secrets/db.key"), f.ws.join("notes/db.key.bak")).unwrap();
    let p = fs_policy(&f, r#"["./"]"#, r#"["./secrets"]"#);
    let (out, rep) = f.sh(&p, "cat notes/db.key.bak; exit 0");
    assert!(
        !text(&out.stdout).contains("SECRET"),
        "read through the second name: {}",
        describe(&out, &rep)
    );
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out, &rep));

    // A file in `.git/hooks`' subdirectory with a second name in the workspace.
    let g = Fixture::new();
    fs::create_dir_all(g.ws.join(".git/hooks/lib")).unwrap();
    fs::create_dir_all(g.ws.join(".git/objects")).unwrap();
    fs::create_dir_all(g.ws.join(".git/refs")).unwrap();
    fs::write(g.ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(g.ws.join(".git/config"), "[core]\n").unwrap();
    fs::write(g.ws.join(".git/hooks/lib/common.sh"), "ORIGINAL\n").unwrap();
    fs::hard_link(
        g.ws.join(".git/hooks/lib/common.sh"),
        g.ws.join("common.sh"),
    )
    .unwrap();
    let p = g.offline();
    let (out, rep) = g.sh(&p, "echo CHANGED >> common.sh; exit 0");
    assert_eq!(
        fs::read_to_string(g.ws.join(".git/hooks/lib/common.sh")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out, &rep));
}

/// A blocked file that a repository in the workspace tracks is hidden, but
/// its content is also a blob in the object store, which the command can
/// read: the report says so in a note naming the file and the repository.
#[test]
fn a_blocked_file_that_a_repository_tracks_is_named_in_the_report() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("config")).unwrap();
    fs::write(f.ws.join("config/secret.yml"), "SECRET\n").unwrap();
    fs::write(f.ws.join("config/plain.yml"), "plain\n").unwrap();
    let git = |args: &[&str]| {
        let out = git_in(&f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "config/secret.yml"]);
    git(&["commit", "-q", "-m", "c"]);
    let p = fs_policy(
        &f,
        r#"["./"]"#,
        r#"["./config/secret.yml", "./config/plain.yml"]"#,
    );
    let (out, rep) = f.sh(&p, "cat config/secret.yml; exit 0");
    assert!(
        !text(&out.stdout).contains("SECRET"),
        "{}",
        describe(&out, &rep)
    );
    let notes = rep["notes"].to_string();
    let secret = f.ws.join("config/secret.yml");
    assert!(
        notes.contains(&format!("{} (", secret.display())) && notes.contains("tracks it"),
        "{}",
        describe(&out, &rep)
    );
    // An untracked blocked file gets no such note.
    assert!(
        !notes.contains(&format!("{} (", f.ws.join("config/plain.yml").display())),
        "{}",
        describe(&out, &rep)
    );
}

/// Write the `.git` file of working tree `dir`.
fn set_git_file(dir: &Path, text: &str) {
    fs::write(dir.join(".git"), text).unwrap();
}

/// An empty `.git/config.worktree` (a file, or an empty directory) made
/// during the run does not make the sweep forget the hooks the
/// repository's unchanged `config` names: a hook planted in a hooks
/// directory that holds the repository, and a re-pointed link on the way
/// to `core.hooksPath`, are moved aside, and so is `config.worktree`.
/// Mechanism: the sweep judges everything the snapshot recorded, and reads
/// `core.hooksPath` from each configuration file that is as recorded.
#[test]
fn a_config_worktree_made_during_the_run_does_not_hide_the_repositorys_hooks() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    // `top`: core.hooksPath = its own working tree's top.
    // `lnk`: core.hooksPath = .githooks -> tools/hooks -> hooks-v1.
    for repo in ["top", "lnk"] {
        fs::create_dir_all(ws.join(repo)).unwrap();
        git_ok(&g.f, &ws.join(repo), &["init", "-q", "-b", "main"]);
    }
    let top = ws.join("top");
    git_ok(
        &g.f,
        &top,
        &["config", "core.hooksPath", top.to_str().unwrap()],
    );
    let lnk = ws.join("lnk");
    fs::create_dir_all(lnk.join("tools/hooks-v1")).unwrap();
    std::os::unix::fs::symlink("hooks-v1", lnk.join("tools/hooks")).unwrap();
    std::os::unix::fs::symlink("tools/hooks", lnk.join(".githooks")).unwrap();
    git_ok(&g.f, &lnk, &["config", "core.hooksPath", ".githooks"]);
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "cp {0} top/post-index-change; : > top/.git/config.worktree; \
         mkdir lnk/tools/hooks-v2 && cp {0} lnk/tools/hooks-v2/post-index-change && \
         ln -sfn hooks-v2 lnk/tools/hooks; mkdir lnk/.git/config.worktree; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["top", "lnk"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!entry_exists(&top.join("post-index-change")), "{rep}");
    let q = GitFixture::quarantined(&rep);
    for end in [
        "/top/post-index-change",
        "/top/.git/config.worktree",
        "/lnk/tools/hooks",
        "/lnk/.git/config.worktree",
    ] {
        assert!(q.iter().any(|p| p.ends_with(end)), "{end}: {rep}");
    }
}

/// Repositories whose git dir is elsewhere (`git init --separate-git-dir`,
/// inside and outside the workspace, and a `.git` link): a relative
/// `core.hooksPath` is taken from the working tree's top, as git takes it
/// (githooks(5): hooks run there), so the project's `.githooks` is
/// read-only like that of an ordinary repository.
#[test]
fn a_relative_hooks_path_of_a_separate_git_dir_is_protected_at_the_working_tree() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    let outgit = g.f.outside.join("outgit");
    let ingit = ws.join("in-git");
    let lkgit = ws.join("lk-git");
    for (repo, gd) in [("in", &ingit), ("out", &outgit), ("lk", &lkgit)] {
        fs::create_dir_all(ws.join(repo)).unwrap();
        git_ok(
            &g.f,
            &ws.join(repo),
            &[
                "init",
                "-q",
                "-b",
                "main",
                "--separate-git-dir",
                gd.to_str().unwrap(),
            ],
        );
    }
    fs::remove_file(ws.join("lk/.git")).unwrap();
    std::os::unix::fs::symlink("../lk-git", ws.join("lk/.git")).unwrap();
    for repo in ["in", "out", "lk"] {
        let dir = ws.join(repo);
        fs::create_dir_all(dir.join(".githooks")).unwrap();
        fs::write(dir.join(".githooks/pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
        git_ok(&g.f, &dir, &["config", "core.hooksPath", ".githooks"]);
    }
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "for r in in out lk; do cp {} $r/.githooks/post-index-change; done; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["in", "out", "lk"]);
    assert!(!ran, "planted code ran: {rep}");
    for repo in ["in", "out", "lk"] {
        assert!(
            !entry_exists(&ws.join(repo).join(".githooks/post-index-change")),
            "{repo}: {rep}"
        );
    }
}

/// A monorepo whose `.git` is a file naming a git dir elsewhere, the
/// workspace a directory of it: a relative `core.hooksPath` naming a
/// directory in the workspace is taken from the repository's top.
#[test]
fn a_relative_hooks_path_of_an_enclosing_repository_with_a_git_file_is_protected() {
    let g = GitFixture::new();
    let f = &g.f;
    // The repository is `root` (its `.git` a file naming outside/mono-git);
    // the workspace `ws` is one of its directories, with no repository.
    fs::remove_dir_all(f.ws.join(".git")).unwrap();
    let mono = f.outside.join("mono-git");
    git_ok(
        f,
        &f.root,
        &[
            "init",
            "-q",
            "-b",
            "main",
            "--separate-git-dir",
            mono.to_str().unwrap(),
        ],
    );
    fs::create_dir_all(f.ws.join(".githooks")).unwrap();
    fs::write(f.ws.join(".githooks/pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    git_ok(f, &f.root, &["config", "core.hooksPath", "ws/.githooks"]);
    let planted = f.root.join("planted.sh");
    let script = format!(
        "cp {} .githooks/post-index-change; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(
        !entry_exists(&f.ws.join(".githooks/post-index-change")),
        "{rep}"
    );
}

/// A `.git` file naming its git dir through a link (`gitdir:
/// ../gitdirs/current`, `current -> sub-v1`), the link re-pointed during
/// the run (through `/proc/self/cwd`, where the helper's resolution leads
/// elsewhere than git's, and plainly): the link is moved aside, so the
/// user's `git status` does not use a git dir the run planted.
#[test]
fn a_link_on_the_way_to_a_git_files_git_dir_re_pointed_during_the_run_is_moved_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    for sub in ["sub", "rel"] {
        let gd = ws.join(format!("gitdirs-{sub}/v1"));
        fs::create_dir_all(ws.join(sub)).unwrap();
        fs::create_dir_all(ws.join(format!("gitdirs-{sub}"))).unwrap();
        git_ok(
            &g.f,
            &ws.join(sub),
            &[
                "init",
                "-q",
                "-b",
                "main",
                "--separate-git-dir",
                gd.to_str().unwrap(),
            ],
        );
        std::os::unix::fs::symlink("v1", ws.join(format!("gitdirs-{sub}/current"))).unwrap();
        set_git_file(
            &ws.join(sub),
            &format!("gitdir: ../gitdirs-{sub}/current\n"),
        );
    }
    let script = "for s in sub rel; do e=$s/x/.git/refs/evil; \
            mkdir -p $e/objects $e/refs/heads && printf 'ref: refs/heads/main\\n' > $e/HEAD && \
            printf '%s' \"$EVIL\" > $e/config; done; \
        ln -sfn /proc/self/cwd/x/.git/refs/evil gitdirs-sub/current; \
        ln -sfn ../rel/x/.git/refs/evil gitdirs-rel/current; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["sub", "rel"]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    for end in ["/gitdirs-sub/current", "/gitdirs-rel/current"] {
        assert!(q.iter().any(|p| p.ends_with(end)), "{end}: {rep}");
    }
}

/// The run plants `.git/commondir` and then takes the search permission off
/// `.git` (`chmod 600 .git`, the owner's right): the sweep gives it back
/// and moves `commondir` aside, so the user's `git status` does not use
/// the planted common dir. (As root the permission does not stop the
/// sweep anyway; the unprivileged run of the suite is the one that counts.)
#[test]
fn a_git_dir_made_unsearchable_during_the_run_is_swept_all_the_same() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    let script = "mkdir -p tools/evil/objects tools/evil/refs && \
        printf '%s' \"$EVIL\" > tools/evil/config && \
        printf '../tools/evil\\n' > .git/commondir && chmod 600 .git; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!entry_exists(&ws.join(".git/commondir")), "{rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("/.git/commondir")), "{rep}");
}

/// The caller's own name in `~NAME/` of a repository's configuration
/// (`include.path = ~me/ws/shared/team.gitconfig`, `core.hooksPath =
/// ~me/ws/shared/hooks`) is the caller's home, like `~/`: what it names in
/// the workspace is protected.
#[test]
fn a_repository_configs_tilde_name_paths_under_the_callers_home_are_protected() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    let me = Command::new("id").arg("-un").output().unwrap();
    let me = text(&me.stdout).trim().to_string();
    assert!(!me.is_empty());
    let real_home = g.f.root.clone();
    fs::create_dir_all(ws.join("shared/hooks")).unwrap();
    fs::write(ws.join("shared/team.gitconfig"), "[user]\n\tname = t\n").unwrap();
    for (repo, key, value) in [
        (
            "app",
            "include.path",
            format!("~{me}/ws/shared/team.gitconfig"),
        ),
        ("app2", "core.hooksPath", format!("~{me}/ws/shared/hooks")),
    ] {
        fs::create_dir_all(ws.join(repo)).unwrap();
        git_ok(&g.f, &ws.join(repo), &["init", "-q", "-b", "main"]);
        git_ok(&g.f, &ws.join(repo), &["config", key, &value]);
    }
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "printf '%s' \"$EVIL\" >> shared/team.gitconfig; \
         cp {} shared/hooks/post-index-change; exit 0",
        planted.display()
    );
    let p = g.f.offline();
    let (out, rep) = g.f.run_with(
        &p,
        &["--env", &format!("EVIL={}", g.evil_config)],
        &["/bin/sh", "-c", &script],
        &[("HOME", real_home.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(ws.join("shared/team.gitconfig")).unwrap(),
        "[user]\n\tname = t\n",
        "{rep}"
    );
    assert!(!ws.join("shared/hooks/post-index-change").exists(), "{rep}");
}

/// An interactive rebase left in progress by the run, its todo list
/// holding an `exec` line: `git status` tells the user to run `git rebase
/// --continue`, which would run it. The state directory made during the
/// run is moved aside.
#[test]
fn a_rebase_left_in_progress_by_the_run_is_moved_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::write(ws.join("a.txt"), "a\n").unwrap();
    git_ok(&g.f, ws, &["add", "a.txt"]);
    git_ok(&g.f, ws, &["commit", "-q", "-m", "a"]);
    let planted = g.f.root.join("planted.sh");
    let script = format!(
        "GIT_SEQUENCE_EDITOR=\"sed -i -e '1i break' -e '1a exec {}'\" \
         git -c user.name=t -c user.email=t@example.invalid rebase -q -i HEAD~1 >/dev/null 2>&1; \
         test -d .git/rebase-merge || exit 3; exit 0",
        planted.display()
    );
    let (ran, rep) = g.plant_then_status(&script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    let _ = git_in(&g.f, ws, &["rebase", "--continue"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("/.git/rebase-merge")), "{rep}");
}

/// A file below a read-only hooks directory (`.githooks/lib/common.sh`,
/// which the hooks source) with a second name in the workspace: the
/// command could rewrite what git runs through that name, so the run is
/// refused, like a protected file with two names.
#[test]
fn a_file_below_a_hooks_directory_with_a_hard_link_in_the_workspace_refuses_the_run() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join(".githooks/lib")).unwrap();
    fs::create_dir_all(ws.join("tools")).unwrap();
    fs::write(ws.join(".githooks/lib/common.sh"), "true\n").unwrap();
    fs::hard_link(
        ws.join(".githooks/lib/common.sh"),
        ws.join("tools/common.sh"),
    )
    .unwrap();
    git_ok(&g.f, ws, &["config", "core.hooksPath", ".githooks"]);
    let p = g.f.offline();
    let (out, rep) = g.f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", "echo changed >> tools/common.sh"],
        &[],
    );
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    assert!(
        rep.to_string().contains("names (hard links)"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(ws.join("tools/common.sh")).unwrap(),
        "true\n"
    );
}

/// A link one level down in a hooks directory (`.githooks/lib/common.sh ->
/// ../../tools/common.sh`): git's hooks run what it leads to, so its target
/// is protected like a hook link's.
#[test]
fn a_link_below_a_hooks_directory_leads_to_a_protected_file() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join(".githooks/lib")).unwrap();
    fs::create_dir_all(ws.join("tools")).unwrap();
    fs::write(ws.join("tools/common.sh"), "true\n").unwrap();
    std::os::unix::fs::symlink("../../tools/common.sh", ws.join(".githooks/lib/common.sh"))
        .unwrap();
    git_ok(&g.f, ws, &["config", "core.hooksPath", ".githooks"]);
    let (_, rep) = g.plant_then_status(
        "echo changed >> .githooks/lib/common.sh; echo changed >> tools/common.sh; exit 0",
        &[],
    );
    assert_eq!(
        fs::read_to_string(ws.join("tools/common.sh")).unwrap(),
        "true\n",
        "{rep}"
    );
}

/// A link through `/proc/self/cwd` on the way from a `.git` file to its
/// git dir before the run: git resolves it in its own directory, the
/// helper could only resolve it in its own, so the git dir git uses there
/// is unknown: the run is refused unless degraded enforcement is accepted.
#[test]
fn a_link_through_proc_on_the_way_to_a_git_files_git_dir_refuses_the_run() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("sub")).unwrap();
    fs::create_dir_all(ws.join("gitdirs")).unwrap();
    std::os::unix::fs::symlink("/proc/self/cwd/x/.git", ws.join("gitdirs/current")).unwrap();
    set_git_file(&ws.join("sub"), "gitdir: ../gitdirs/current\n");
    let p = g.f.offline();
    let (out, rep) = g.f.run_with(&p, &[], &["/bin/true"], &[]);
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    assert!(
        rep.to_string().contains("through /proc or /dev/fd"),
        "{}",
        describe(&out, &rep)
    );
}

/// The report's reason for each entry the sweep moves aside says what
/// happened to it, from what was recorded before the run: the project's
/// `core.hooksPath` link re-pointed at another directory of the project
/// (which stays), an entry created, a file older than the run moved into
/// place (`.git` is a mount point of its own in the run, so only a file
/// already in it can be moved there: from elsewhere `mv` copies).
#[test]
fn the_sweep_says_what_happened_to_each_entry_it_moves_aside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("hooks-v1")).unwrap();
    fs::create_dir_all(ws.join("hooks-v2")).unwrap();
    fs::write(ws.join("hooks-v2/README"), "hooks\n").unwrap();
    std::os::unix::fs::symlink("hooks-v1", ws.join(".githooks")).unwrap();
    let out = git_in(&g.f, ws, &["config", "core.hooksPath", ".githooks"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Change and birth times come from a clock that advances in ticks.
    std::thread::sleep(std::time::Duration::from_millis(30));
    let script = "ln -sfn hooks-v2 .githooks && printf 'x\\n' > .git/objects/info/alternates && \
                  mv .git/description .git/commondir; exit 0";
    let (_, rep) = g.plant_then_status(script, &[]);
    let why = |r: &str| -> String {
        let p = ws.join(r).display().to_string();
        rep["git_quarantined"]
            .as_array()
            .and_then(|a| a.iter().find(|q| q["path"] == p.as_str()))
            .and_then(|q| q["why"].as_str())
            .unwrap_or_else(|| panic!("{r} not moved aside: {rep}"))
            .to_string()
    };
    let w = why(".githooks");
    assert!(
        w.starts_with("changed while the command ran: a symbolic link re-pointed")
            && w.contains("\"hooks-v1\"")
            && w.contains("\"hooks-v2\""),
        "{w}"
    );
    assert!(ws.join("hooks-v2/README").exists(), "{rep}");
    assert_eq!(
        why(".git/objects/info/alternates"),
        "created during the run"
    );
    let w = why(".git/commondir");
    assert!(
        w.starts_with("not there before the run: an entry older than the run"),
        "{w}"
    );
}

/// A blocked file, or a file in a blocked directory, with a second name
/// (hard link) on a file system that no writable tree is on (the home on
/// a file system of its own, a second file system mounted inside the
/// workspace): the command reads everywhere, so it could read the file
/// through that name; the run is refused. The file systems are small
/// tmpfs mounted in a user and mount namespace of the test's own.
#[test]
fn a_hidden_file_with_a_second_name_on_another_file_system_refuses_the_run() {
    let f = Fixture::new();
    let other = f.root.join("other");
    fs::create_dir_all(&other).unwrap();
    let p = fs_policy(
        &f,
        r#"["./"]"#,
        &format!(
            r#"["{o}/secret.txt", "{o}/vault", "./data/key.txt"]"#,
            o = other.display()
        ),
    );
    let copy = f.root.join("out.txt");
    let inner = format!(
        "mount -t tmpfs -o size=1m none '{other}' && mkdir '{ws}/data' && \
         mount -t tmpfs -o size=1m none '{ws}/data' || exit 99; \
         echo SECRET1 > '{other}/secret.txt'; ln '{other}/secret.txt' '{other}/copy1'; \
         mkdir '{other}/vault'; echo SECRET2 > '{other}/vault/k'; ln '{other}/vault/k' '{other}/copy2'; \
         echo SECRET3 > '{ws}/data/key.txt'; mkdir '{ws}/data/notes'; \
         ln '{ws}/data/key.txt' '{ws}/data/notes/copy3'; \
         '{helper}' --policy '{policy}' --workspace '{ws}' --home '{home}' -- \
           /bin/sh -c 'cat {other}/copy1 {other}/copy2 data/notes/copy3' > '{copy}' 2>/dev/null",
        other = other.display(),
        ws = f.ws.display(),
        home = f.home.display(),
        helper = helper().display(),
        policy = p.display(),
        copy = copy.display(),
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "/bin/sh", "-c"])
        .arg(&inner)
        .current_dir(&f.ws)
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(99),
        "no tmpfs: {}",
        text(&out.stderr)
    );
    let read = fs::read_to_string(&copy).unwrap_or_default();
    assert!(
        !read.contains("SECRET"),
        "read through a second name: {read}"
    );
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// A report path in the workspace: a forged clean report the command
/// writes there and makes read-only does not survive the run; the file
/// holds the helper's report (for an unprivileged caller the helper
/// removes what the command left and writes the report afresh).
#[test]
fn a_forged_report_made_read_only_does_not_survive_the_run() {
    let f = Fixture::new();
    let p = f.offline();
    let report = f.ws.join("report.json");
    let out = helper_command(&p, &f.ws, &f.home)
        .arg("--report")
        .arg(&report)
        .args([
            "--",
            "/bin/sh",
            "-c",
            "rm -f report.json; echo '{\"status\":\"forged\"}' > report.json; chmod 444 report.json; exit 3",
        ])
        .output()
        .unwrap();
    let rep = read_report(&report);
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
    assert_eq!(rep["exit"]["code"], 3, "{}", describe(&out, &rep));
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out, &rep));
}

/// An index whose gitlink entry names `.git/<rest>`, as the command can
/// write it (git refuses such a path when adding it, not when reading the
/// index): the entry is added at the placeholder `-git/<rest>` (same length
/// and sort position), renamed in the bytes, and the trailing SHA-1 made
/// anew. The workspace's own index is left as it was.
fn index_with_gitlink_into_git_dir(g: &GitFixture, rest: &str) -> Vec<u8> {
    let ws = &g.f.ws;
    let original = fs::read(ws.join(".git/index")).ok();
    let head = git_in(&g.f, ws, &["rev-parse", "HEAD"]);
    assert!(head.status.success(), "{}", text(&head.stderr));
    let cacheinfo = format!("160000,{},-git/{rest}", text(&head.stdout).trim());
    git_ok(
        &g.f,
        ws,
        &["update-index", "--add", "--cacheinfo", &cacheinfo],
    );
    let d = fs::read(ws.join(".git/index")).unwrap();
    match original {
        Some(o) => fs::write(ws.join(".git/index"), o).unwrap(),
        None => fs::remove_file(ws.join(".git/index")).unwrap(),
    }
    let mut body = d[..d.len() - 20].to_vec();
    let old = format!("-git/{rest}\0").into_bytes();
    let at = body
        .windows(old.len())
        .position(|w| w == old.as_slice())
        .expect("placeholder entry in the index");
    body[at] = b'.';
    let mut sha = Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    sha.stdin.take().unwrap().write_all(&body).unwrap();
    let out = sha.wait_with_output().unwrap();
    assert!(out.status.success());
    let hex = text(&out.stdout);
    let hex = hex.split_whitespace().next().unwrap();
    for i in 0..20 {
        body.push(u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap());
    }
    body
}

/// A repository hidden inside the workspace's git dir (`.git/refs/x`,
/// `.git/logs/y`, `.git/objects/z`), reached by the user's git through a
/// gitlink entry the command wrote into the index (`git status` looks into
/// every gitlink's repository, and runs its `core.fsmonitor`) or through a
/// project link re-pointed into the git dir: the sweep looks inside git
/// dirs too and moves the planted configuration aside.
#[test]
fn a_repository_hidden_inside_a_git_dir_and_reached_by_the_index_or_a_link_is_swept() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("app")).unwrap();
    for l in ["current", "older"] {
        std::os::unix::fs::symlink("app", ws.join(l)).unwrap();
    }
    fs::write(
        ws.join("planted-index"),
        index_with_gitlink_into_git_dir(&g, "refs/x"),
    )
    .unwrap();
    let script = "for d in refs/x logs/y objects/z; do git init -q .git/$d && \
            printf '%s' \"$EVIL\" >> .git/$d/.git/config || exit 1; done; \
        cp planted-index .git/index && \
        ln -sfn .git/logs/y current.new && mv -T current.new current && \
        ln -sfn .git/objects/z older.new && mv -T older.new older; exit 0";
    let (_, rep) = g.plant_then_status(script, &[]);
    for d in [".", "current", "older"] {
        // A directory link the run made into a git dir is moved aside
        // (exec18 F9): nothing is left there to run git in.
        if d != "." && fs::symlink_metadata(ws.join(d)).is_err() {
            continue;
        }
        let _ = git_in(&g.f, &ws.join(d), &["status", "--short"]);
        assert!(
            !g.marker.exists(),
            "git status in {d} ran planted code: {rep}"
        );
    }
    let q = GitFixture::quarantined(&rep);
    for end in [
        "/.git/refs/x/.git/config",
        "/.git/logs/y/.git/config",
        "/.git/objects/z/.git/config",
    ] {
        assert!(q.iter().any(|p| p.ends_with(end)), "{end}: {rep}");
    }
}

/// Credentials in a URL (`scheme://user:password@host`, `https://TOKEN@host`)
/// do not pass a policy's `APP_*` pattern whatever the variable is called,
/// nor do names that say key-encryption key, webhook or CSRF; URLs without
/// user information still pass.
#[test]
fn credential_urls_and_key_names_do_not_pass_a_pattern() {
    let f = Fixture::new();
    let p = f.policy(NET_OFF, "{}", r#","environment":{"allow":["APP_*"]}"#);
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/usr/bin/env"],
        &[
            ("APP_REDIS_URL", "redis://u:leak1@cache:6379/0"),
            ("APP_SENTRY_URL", "https://leak2@o1.ingest.example/1"),
            (
                "APP_MIRRORS",
                "https://a.example/x,https://u:leak3@b.example/y",
            ),
            ("APP_KEK", "leak4"),
            ("APP_SLACK_HOOK", "https://hooks.example/services/leak5"),
            ("APP_CSRF", "leak6"),
            ("APP_BASE_URL", "https://example.com/pass7?q=a@b"),
            ("APP_LOG_URL", "http://localhost:3000/pass8"),
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for n in 1..=6 {
        assert!(
            !stdout.contains(&format!("leak{n}")),
            "leak{n} passed: {}",
            describe(&out, &rep)
        );
    }
    for n in [7, 8] {
        assert!(
            stdout.contains(&format!("pass{n}")),
            "pass{n} was scrubbed: {}",
            describe(&out, &rep)
        );
    }
}

/// Writes `names` below the workspace with `ORIGINAL` in each, and the
/// fixture home's `~/.gitconfig`; runs `script` in the workspace with the
/// fixture home as `HOME`, with `args`.
fn run_with_global_config(
    f: &Fixture,
    gitconfig: &str,
    names: &[&str],
    args: &[&str],
    script: &str,
) -> (Output, serde_json::Value) {
    fs::write(f.home.join(".gitconfig"), gitconfig).unwrap();
    for name in names {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    f.run_with(&p, args, &["/bin/sh", "-c", script], &[("HOME", home)])
}

/// Asserts the run was refused for a gap that names `entry`.
fn assert_refused_naming(out: &Output, rep: &serde_json::Value, entry: &str) {
    assert_eq!(out.status.code(), Some(126), "{}", describe(out, rep));
    assert_eq!(rep["status"], "refused", "{}", describe(out, rep));
    let mounts = rep["mechanisms"]["mounts"]["detail"].to_string();
    assert!(
        mounts.contains(entry),
        "no gap names {entry}: {}",
        describe(out, rep)
    );
}

/// Keys of the global configuration that name programs and that the
/// helper did not know (`interactive.diffFilter`, `tar.<format>.command`,
/// `trailer.<token>.cmd`, `core.alternateRefsCommand`,
/// `uploadpack.packObjectsHook`, `guitool.<name>.cmd`, `instaweb.httpd`),
/// naming scripts in the workspace (a dotfiles repository): the run is
/// refused (a gap naming the key), and with `--allow-degraded` every
/// script is kept as it was.
#[test]
fn programs_under_every_program_key_of_the_global_configuration_are_judged() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let keys = [
        ("interactive", "", "diffFilter", "bin/dfilter"),
        ("tar", "tgz", "command", "bin/targz"),
        ("trailer", "sign", "cmd", "bin/trailer"),
        ("trailer", "ack", "command", "bin/trailer-ack"),
        ("core", "", "alternateRefsCommand", "bin/altrefs"),
        ("uploadpack", "", "packObjectsHook", "bin/packhook"),
        ("guitool", "x", "cmd", "bin/guitool"),
        ("instaweb", "", "httpd", "bin/httpd"),
        ("imap", "", "tunnel", "bin/tunnel"),
        ("hook", "lint", "command", "bin/lint"),
    ];
    let mut config = String::new();
    for (section, sub, key, file) in keys {
        if sub.is_empty() {
            config.push_str(&format!("[{section}]\n\t{key} = {ws}/{file} --flag\n"));
        } else {
            config.push_str(&format!("[{section} \"{sub}\"]\n\t{key} = {ws}/{file}\n"));
        }
    }
    let names: Vec<&str> = keys.iter().map(|k| k.3).collect();
    let script = "for n in bin/*; do echo CHANGED >> $n; done; exit 0";
    let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
    assert_refused_naming(&out, &rep, "interactive.difffilter");
    for name in &names {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    let (out, rep) = run_with_global_config(&f, &config, &names, &["--allow-degraded"], script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let mounts = rep["mechanisms"]["mounts"]["detail"].to_string();
    for (section, sub, key, name) in keys {
        let entry = if sub.is_empty() {
            format!("{section}.{}", key.to_ascii_lowercase())
        } else {
            format!("{section}.{sub}.{}", key.to_ascii_lowercase())
        };
        assert!(mounts.contains(&entry), "{entry}: {}", describe(&out, &rep));
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
}

/// Aliases whose command lines the helper cannot model whole: a quoted
/// command line given to `sh -c` that runs a script of the workspace, a
/// `cd` into the workspace followed by a relative path, an expansion in a
/// later word of a shell's command line. Each is a gap (the run is
/// refused) naming the alias; ordinary aliases and programs outside the
/// writable trees are not.
#[test]
fn aliases_the_helper_cannot_model_are_gaps_when_they_may_reach_a_writable_tree() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let names = ["bin/colorize", "bin/sync", "bin/other"];
    let script = "for n in bin/*; do echo CHANGED >> $n; done; exit 0";
    for (alias, value) in [
        (
            "lg",
            format!("\"!sh -c 'git log --oneline | {ws}/bin/colorize'\""),
        ),
        ("dots", format!("\"!cd {ws} && ./bin/sync\"")),
        (
            "later",
            "\"!sh -c 'git log | cat $DOTS/bin/other'\"".to_string(),
        ),
    ] {
        let config = format!("[alias]\n\t{alias} = {value}\n");
        let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
        assert_refused_naming(&out, &rep, &format!("alias.{alias}"));
        for name in names {
            assert_eq!(
                fs::read_to_string(f.ws.join(name)).unwrap(),
                "ORIGINAL\n",
                "{name} changed: {}",
                describe(&out, &rep)
            );
        }
    }
    // Ordinary set-ups run in full: programs outside the writable trees,
    // aliases that name none, `safe.directory`, an include outside.
    let outside = f.outside.display();
    fs::write(f.outside.join("extra.gitconfig"), "[user]\n\tname = u\n").unwrap();
    let config = format!(
        "[core]\n\tpager = less -R\n\teditor = /usr/bin/vi\n\
         [interactive]\n\tdiffFilter = /usr/bin/cat\n\
         [include]\n\tpath = {outside}/extra.gitconfig\n\
         [safe]\n\tdirectory = *\n\
         [alias]\n\tst = status\n\
         \tx = \"!f() {{ git log --format='%h %s' \\\"$@\\\" | sed 's/ /_/'; }}; f\"\n\
         \tc = \"!git commit -m 'wip: save' && git push origin HEAD:refs/for/main\"\n\
         \tup = \"!cd -- \\\"${{GIT_PREFIX:-.}}\\\" && git pull\"\n"
    );
    let (out, rep) = run_with_global_config(&f, &config, &names, &[], "exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// A program the global configuration names in the workspace
/// (`core.pager = WS/bin/mypager`) sources a library beside it: binding
/// the program alone keeps the library writable, so the run is refused (a
/// gap naming the key and the tree); with `--allow-degraded` the program
/// itself is still kept.
#[test]
fn a_global_program_in_a_writable_tree_is_a_gap_for_what_it_loads() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let config = format!("[core]\n\tpager = {ws}/bin/mypager\n");
    let names = ["bin/mypager", "lib/pager-lib.sh"];
    let script = "echo CHANGED >> lib/pager-lib.sh; echo CHANGED >> bin/mypager; exit 0";
    let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
    assert_refused_naming(&out, &rep, "core.pager");
    assert!(
        rep["mechanisms"]["mounts"]["detail"]
            .to_string()
            .contains("what it loads or runs from that tree"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("lib/pager-lib.sh")).unwrap(),
        "ORIGINAL\n"
    );
    let (out, rep) = run_with_global_config(&f, &config, &names, &["--allow-degraded"], script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("bin/mypager")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// A home start-up file that is a link into the workspace while the home
/// is not writable (`~/.bashrc -> WS/bashrc`, which sources `WS/aliases.sh`):
/// the target is kept, what it sources is not known, so the run is refused
/// with a gap naming `~/.bashrc` and the tree. A start-up file that is a
/// plain file of a home outside the writable trees is no gap.
#[test]
fn a_home_start_up_file_leading_into_a_writable_tree_is_a_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    fs::write(f.home.join(".profile"), "# profile\n").unwrap();
    let run = |args: &[&str]| {
        f.run_with(
            &p,
            args,
            &[
                "/bin/sh",
                "-c",
                "echo CHANGED >> bashrc; echo CHANGED >> aliases.sh; exit 0",
            ],
            &[("HOME", home)],
        )
    };
    let (out, rep) = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    fs::write(f.ws.join("bashrc"), "ORIGINAL\n").unwrap();
    fs::write(f.ws.join("aliases.sh"), "ORIGINAL\n").unwrap();
    std::os::unix::fs::symlink(f.ws.join("bashrc"), f.home.join(".bashrc")).unwrap();
    let (out, rep) = run(&[]);
    assert_refused_naming(&out, &rep, "~/.bashrc");
    assert_eq!(
        fs::read_to_string(f.ws.join("aliases.sh")).unwrap(),
        "ORIGINAL\n"
    );
    let (out, rep) = run(&["--allow-degraded"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("bashrc")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// git's credential store at its XDG location (`~/.config/git/credentials`,
/// and `$XDG_CONFIG_HOME/git/credentials`), and the other plaintext
/// credential stores of common tools, were readable while
/// `~/.git-credentials` was hidden. Mechanism: they are on the filesystem
/// guard's credential list, which the helper hides in every mode; the
/// stores of `~/.config` are hidden below the caller's `XDG_CONFIG_HOME`
/// too. Settings files left off the list on purpose stay readable.
#[test]
fn the_xdg_git_credential_store_and_other_tool_credentials_are_hidden() {
    let f = Fixture::new();
    let xdg = f.root.join("xdg");
    let stores = [
        f.home.join(".config/git/credentials"),
        f.home.join(".config/containers/auth.json"),
        f.home.join(".config/glab-cli/config.yml"),
        f.home.join(".config/hub"),
        f.home.join(".config/rclone/rclone.conf"),
        f.home.join(".pgpass"),
        f.home.join(".mylogin.cnf"),
        f.home.join(".m2/settings-security.xml"),
        f.home.join(".terraform.d/credentials.tfrc.json"),
        f.home.join(".s3cfg"),
        f.home.join(".boto"),
        xdg.join("git/credentials"),
        xdg.join("rclone/rclone.conf"),
    ];
    let settings = [
        f.home.join(".config/git/config"),
        f.home.join(".my.cnf"),
        f.home.join(".m2/settings.xml"),
        f.home.join(".gradle/gradle.properties"),
        xdg.join("git/ignore"),
    ];
    for (files, body) in [
        (&stores[..], "FIXTURE-SECRET\n"),
        (&settings[..], "FIXTURE-SETTING\n"),
    ] {
        for s in files {
            fs::create_dir_all(s.parent().unwrap()).unwrap();
            fs::write(s, body).unwrap();
        }
    }
    let p = f.offline();
    let mut script = String::new();
    for s in stores.iter().chain(&settings) {
        script.push_str(&format!("cat '{}' 2>/dev/null; ", s.display()));
    }
    script.push_str("exit 0");
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", &script],
        &[
            ("HOME", f.home.to_str().unwrap()),
            ("XDG_CONFIG_HOME", xdg.to_str().unwrap()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("FIXTURE-SECRET"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        stdout.matches("FIXTURE-SETTING").count(),
        settings.len(),
        "{}",
        describe(&out, &rep)
    );
}

/// Runs `c` with `input` on its standard input; `None` when it has not
/// ended within `secs` seconds (it is killed then).
fn output_within(c: &mut Command, input: &[u8], secs: u64) -> Option<Output> {
    use std::process::Stdio;
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = writer.join();
    Some(child.wait_with_output().unwrap())
}

/// The `git_quarantined` entries of a report as (path, why).
fn quarantined_with_reasons(rep: &serde_json::Value) -> Vec<(String, String)> {
    rep["git_quarantined"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|q| {
                    (
                        q["path"].as_str().unwrap_or("").to_string(),
                        q["why"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A FIFO, a socket or a link to `/proc/self/fd/0` that a run leaves in a
/// git dir (`.git/index` among them): the next run's helper reads the
/// index of the repository around a hidden path while planning, and
/// opened it blocking and following links, before any time limit: a FIFO
/// hung every later run (and the user's `git status`), a link made it
/// swallow its own standard input. Mechanism: every file the helper reads
/// in a tree a command could write is opened refusing links, without
/// blocking, and read only when `fstat` says it is a regular file (else the
/// answer is "unknown", said in a note); and the sweep moves aside every
/// FIFO, socket, device and link to one (or through `/proc`) in a git dir.
#[test]
fn special_files_left_in_a_git_dir_neither_hang_the_next_run_nor_stay() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::write(ws.join(".env"), "FIXTURE-SECRET\n").unwrap();
    let p = fs_policy(&g.f, r#"["./"]"#, r#"["~/.ssh","./.env"]"#);
    let run = |cmd: &[&str], input: &[u8]| {
        let report = g.f.root.join("report.json");
        let _ = fs::remove_file(&report);
        let mut c = helper_command(&p, ws, &g.f.home);
        c.arg("--report").arg(&report).arg("--").args(cmd);
        let out = output_within(&mut c, input, 60);
        let rep = read_report(&report);
        (out, rep)
    };
    let gone = |rel: &str| fs::symlink_metadata(ws.join(rel)).is_err();
    let git_status_ends = || {
        let mut c = Command::new("git");
        c.args(["status", "--short"])
            .current_dir(ws)
            .env("HOME", &g.f.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("XDG_CONFIG_HOME");
        output_within(&mut c, b"", 20).is_some()
    };

    // 1. Made by the command: moved aside after the run, said in the report.
    let (out, rep) = run(
        &[
            "/bin/sh",
            "-c",
            "rm -f .git/index && mkfifo .git/index && mkfifo .git/refs/heads/pipe && \
             ln -s /proc/self/fd/0 .git/packed-refs; exit 0",
        ],
        b"",
    );
    let out = out.expect("the run did not end");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for rel in [".git/index", ".git/refs/heads/pipe", ".git/packed-refs"] {
        assert!(gone(rel), "{rel} stayed: {rep}");
    }
    let q = quarantined_with_reasons(&rep);
    assert!(
        q.iter()
            .any(|(p, why)| p.ends_with("/.git/index") && why.contains("FIFO")),
        "{rep}"
    );
    assert!(
        q.iter()
            .any(|(p, why)| p.ends_with("/.git/packed-refs") && why.contains("symbolic link")),
        "{rep}"
    );
    assert!(git_status_ends(), "git status hung after the run: {rep}");

    // 2. Left there however (an earlier helper killed before its sweep, or
    // made outside): the next run plans without waiting or reading its
    // standard input, notes that the index could not be read, and moves
    // them aside.
    let index = ws.join(".git/index");
    let _ = fs::remove_file(&index);
    let c = std::ffi::CString::new(index.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    drop(std::os::unix::net::UnixListener::bind(ws.join(".git/sock")).unwrap());
    let (out, rep) = run(&["/bin/true"], b"");
    let out = out.expect("the helper hung on a FIFO in the place of .git/index");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let notes = rep["notes"].to_string();
    assert!(
        notes.contains("is not known") && notes.contains("FIFO"),
        "{rep}"
    );
    assert!(gone(".git/index") && gone(".git/sock"), "{rep}");
    assert!(git_status_ends(), "git status hung after the run: {rep}");

    std::os::unix::fs::symlink("/proc/self/fd/0", &index).unwrap();
    let (out, rep) = run(&["/bin/cat"], b"input-line\n");
    let out = out.expect("the helper hung on a link to its standard input");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        text(&out.stdout),
        "input-line\n",
        "the helper read the command's input: {}",
        describe(&out, &rep)
    );
    assert!(rep["notes"].to_string().contains("symbolic link"), "{rep}");
    assert!(gone(".git/index"), "{rep}");
}

/// What the command names (a directory it makes, with a planted `.git`
/// file the sweep moves aside and reports) holds terminal control
/// sequences: the report on standard error must not pass them to the
/// terminal. JSON escapes C0 itself; DEL, C1 (U+009B is CSI to some
/// terminals) and the bidirectional overrides went out raw. Mechanism: the
/// report's JSON writes them as `\uXXXX` (the same value), and every
/// message of the helper on standard error goes through one escaping
/// function (`report::visible`).
#[test]
fn names_the_command_chose_reach_standard_error_without_terminal_controls() {
    let f = Fixture::new();
    let p = f.offline();
    let script = "d=$(printf 'x\\033[2K\\302\\233\\342\\200\\256\\177y') && mkdir \"$d\" && \
        printf 'gitdir: /nowhere\\n' > \"$d/.git\"; exit 0";
    let out = helper_command(&p, &f.ws, &f.home)
        .args(["--report-stderr", "--", "/bin/sh", "-c", script])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    let last = stderr
        .trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .unwrap_or("");
    let rep: serde_json::Value = serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("last line is not the report ({e}): {stderr:?}"));
    assert_eq!(rep["exit"]["code"], 0, "{stderr:?}");
    // The name is in the report, as it is.
    let name = "x\u{1b}[2K\u{9b}\u{202e}\u{7f}y";
    assert!(
        quarantined_with_reasons(&rep)
            .iter()
            .any(|(p, _)| p.contains(name)),
        "{stderr:?}"
    );
    // No character of it a terminal acts on.
    for c in stderr.chars() {
        assert!(
            c == '\n' || (c >= ' ' && !('\u{7f}'..='\u{9f}').contains(&c)),
            "{:?} on standard error: {stderr:?}",
            c
        );
        assert!(
            !matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
            "{:?} on standard error: {stderr:?}",
            c
        );
    }
}

/// Secrets kept in a tree the command can read or write and linked into
/// a blocked directory (`~/.ssh/id_work -> WS/private/id_work`,
/// `~/.aws/credentials -> OUTSIDE/aws-credentials`, the dotfiles layout
/// with ignored or decrypted-in-place secrets): the blocked names were
/// hidden, the real paths were read, and `~/.ssh/config -> WS/ssh/config`
/// was rewritten through the workspace. Mechanism: what a link below a
/// hidden directory leads to when the command starts is hidden too.
#[test]
fn what_links_in_a_blocked_directory_lead_to_is_hidden_by_its_real_path() {
    let f = Fixture::new();
    let p = f.offline();
    for d in ["private", "ssh"] {
        fs::create_dir_all(f.ws.join(d)).unwrap();
    }
    for d in [".ssh", ".aws"] {
        fs::create_dir_all(f.home.join(d)).unwrap();
    }
    fs::write(f.ws.join("private/id_work"), "SECRET-KEY\n").unwrap();
    fs::write(f.ws.join("ssh/config"), "ORIGINAL\n").unwrap();
    fs::write(f.outside.join("aws-credentials"), "SECRET-AWS\n").unwrap();
    std::os::unix::fs::symlink(f.ws.join("private/id_work"), f.home.join(".ssh/id_work")).unwrap();
    std::os::unix::fs::symlink("../../ws/ssh/config", f.home.join(".ssh/config")).unwrap();
    std::os::unix::fs::symlink(
        f.outside.join("aws-credentials"),
        f.home.join(".aws/credentials"),
    )
    .unwrap();
    let script = format!(
        "cat private/id_work {}/aws-credentials; echo CHANGED > ssh/config; exit 0",
        f.outside.display()
    );
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("SECRET"),
        "a secret was read: {}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("ssh/config")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// Other home entries a tool of the user reads or runs (`~/.mavenrc`,
/// `~/.cargo/config.toml`, `~/bin` first on a login shell's `PATH`) that
/// are links into the workspace while the home is not writable: they were
/// rewritten (or a program planted in `~/bin`) and the run was `full`.
/// Mechanism: every link at the top of the home and two levels into its
/// dot directories that leads into a writable tree is a gap naming it
/// (refused), and what it leads to is kept read-only; a home whose entries
/// lead nowhere writable stays `full`.
#[test]
fn home_entries_leading_into_a_writable_tree_are_a_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    fs::create_dir_all(f.home.join(".cargo")).unwrap();
    fs::create_dir_all(f.home.join(".local/bin")).unwrap();
    fs::write(f.home.join(".cargo/config.toml"), "[build]\n").unwrap();
    std::os::unix::fs::symlink("/bin/sh", f.home.join(".local/bin/tool")).unwrap();
    let script = "mkdir -p bin cargo; echo CHANGED >> mavenrc; echo CHANGED >> cargo/config.toml; \
                  echo CHANGED > bin/git; exit 0";
    let run = |args: &[&str]| f.run_with(&p, args, &["/bin/sh", "-c", script], &[("HOME", home)]);
    let (out, rep) = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    fs::remove_file(f.home.join(".cargo/config.toml")).unwrap();
    for (name, content) in [
        ("mavenrc", "ORIGINAL\n"),
        ("cargo/config.toml", "ORIGINAL\n"),
    ] {
        fs::write(f.ws.join(name), content).unwrap();
    }
    fs::remove_file(f.ws.join("bin/git")).unwrap();
    std::os::unix::fs::symlink(f.ws.join("mavenrc"), f.home.join(".mavenrc")).unwrap();
    std::os::unix::fs::symlink(
        f.ws.join("cargo/config.toml"),
        f.home.join(".cargo/config.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(f.ws.join("bin"), f.home.join("bin")).unwrap();
    let (out, rep) = run(&[]);
    for entry in ["~/.mavenrc", "~/.cargo/config.toml", "~/bin"] {
        assert_refused_naming(&out, &rep, entry);
    }
    let (out, rep) = run(&["--allow-degraded"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in ["mavenrc", "cargo/config.toml"] {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    assert!(!f.ws.join("bin/git").exists(), "{}", describe(&out, &rep));
}

/// git's own options inside a global alias choose a program (exec12 H2):
/// `lg = -c core.pager=WS/bin/pager log` (no `!`: git runs it as its own
/// command line) and `!git -c core.pager=WS/bin/pager2 log`. Each is
/// judged like `core.pager` itself: the run is refused (a gap naming the
/// alias), and with `--allow-degraded` the pager is kept as it was.
#[test]
fn git_options_inside_a_global_alias_are_judged() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let names = ["bin/pager", "bin/pager2"];
    let script = "for n in bin/*; do echo CHANGED >> $n; done; exit 0";
    for (alias, value, name) in [
        (
            "lg",
            format!("-c core.pager={ws}/bin/pager log --oneline"),
            "bin/pager",
        ),
        (
            "lg2",
            format!("\"!git -c core.pager={ws}/bin/pager2 log\""),
            "bin/pager2",
        ),
    ] {
        let config = format!("[alias]\n\t{alias} = {value}\n");
        let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
        assert_refused_naming(&out, &rep, &format!("alias.{alias}"));
        let (out, rep) = run_with_global_config(&f, &config, &names, &["--allow-degraded"], script);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    // An alias that sets no program stays full.
    let config = "[alias]\n\tlg = -c color.ui=always log --oneline\n\tst = status\n";
    let (out, rep) = run_with_global_config(&f, config, &names, &[], "exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// Paths into a writable tree that are not a separate absolute path of a
/// file (exec12 H7): `--exec-path=WS/libexec`, `-c include.path=WS/…`, a
/// directory given to an interpreter, an option glued to its path
/// (`ssh -FWS/ssh/config`). Any mention of a writable tree in a value
/// the helper judges is a gap: each run is refused naming the key.
#[test]
fn any_path_into_a_writable_tree_in_a_global_program_value_is_a_gap() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let names = [
        "libexec/git-sync",
        "git/log.gitconfig",
        "tools/tool/__main__.py",
        "ssh/config",
    ];
    let script = "echo CHANGED >> ssh/config; exit 0";
    for (entry, config) in [
        (
            "alias.sync",
            format!("[alias]\n\tsync = \"!git --exec-path={ws}/libexec sync\"\n"),
        ),
        (
            "alias.dlog",
            format!("[alias]\n\tdlog = \"!git -c include.path={ws}/git/log.gitconfig log\"\n"),
        ),
        (
            "alias.tool",
            format!("[alias]\n\ttool = \"!python3 {ws}/tools/tool\"\n"),
        ),
        (
            "core.sshcommand",
            format!("[core]\n\tsshCommand = ssh -F{ws}/ssh/config\n"),
        ),
    ] {
        let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
        assert_refused_naming(&out, &rep, entry);
        assert_eq!(
            fs::read_to_string(f.ws.join("ssh/config")).unwrap(),
            "ORIGINAL\n"
        );
    }
}

/// A global `core.hooksPath` in the workspace (exec12 H5): the hooks are
/// kept read-only, but a library they source from the same tree is not
/// known, so the run is refused with a gap naming the key; with
/// `--allow-degraded` the hooks are still kept.
#[test]
fn a_global_hooks_path_in_a_writable_tree_is_a_gap() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let config = format!("[core]\n\thooksPath = {ws}/hooks\n");
    let names = ["hooks/post-checkout", "lib/hooklib.sh"];
    let script = "echo CHANGED >> lib/hooklib.sh; echo CHANGED >> hooks/post-checkout; exit 0";
    let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
    assert_refused_naming(&out, &rep, "core.hookspath");
    assert_eq!(
        fs::read_to_string(f.ws.join("lib/hooklib.sh")).unwrap(),
        "ORIGINAL\n"
    );
    let (out, rep) = run_with_global_config(&f, &config, &names, &["--allow-degraded"], script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("hooks/post-checkout")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// An include path with `..` after a link (exec12 H8): `~/conf -> WS/sub`
/// and `include.path = ~/conf/../extra.gitconfig`, which git (and the
/// kernel) read as `WS/extra.gitconfig`. That file is the include kept
/// read-only, not the lexical `~/extra.gitconfig`. The home link into the
/// workspace is itself a gap (a home entry leading into a writable tree),
/// so the run needs `--allow-degraded`; the include stays protected then.
#[test]
fn an_include_with_dot_dot_after_a_link_is_protected_where_git_reads_it() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("sub")).unwrap();
    std::os::unix::fs::symlink(f.ws.join("sub"), f.home.join("conf")).unwrap();
    let config = "[include]\n\tpath = ~/conf/../extra.gitconfig\n";
    let script = "echo '[x] y = 1' >> extra.gitconfig; exit 0";
    let (out, rep) = run_with_global_config(&f, config, &["extra.gitconfig"], &[], script);
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    let (out, rep) = run_with_global_config(
        &f,
        config,
        &["extra.gitconfig"],
        &["--allow-degraded"],
        script,
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("extra.gitconfig")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// Waits into the next second of the clock: what the fixture made so far
/// then changed in an earlier second than the one in which the helper's
/// search before the run begins, so the sweep after the run takes each of
/// those directories as unchanged unless its own change time moved (the
/// case the tests below are about), and does not list it again.
fn settle() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    std::thread::sleep(
        Duration::from_nanos(1_000_000_000 - u64::from(now.subsec_nanos()))
            + Duration::from_millis(30),
    );
}

/// The sweep lists again only the directories whose change time moved
/// during the run. A command can set a directory's modification time back
/// (`touch -d`), not its change time: a pointer, or a repository, made in a
/// directory the search recorded before the run is still found.
#[test]
fn a_pointer_or_repository_made_where_the_run_set_the_time_back_is_found() {
    let g = GitFixture::new();
    fs::create_dir_all(g.f.ws.join("lib/a/b")).unwrap();
    settle();
    let script = format!(
        "{MAKE_EVIL_GITDIR} && printf 'gitdir: ../../../evil\\n' > lib/a/b/.git && \
         git init -q lib/a/newrepo && printf '%s' \"$EVIL\" >> lib/a/newrepo/.git/config && \
         touch -d '2001-01-01 00:00:00' lib/a/b lib/a lib . && exit 0"
    );
    let (ran, rep) = g.plant_then_status(&script, &["lib/a/b", "lib/a/newrepo"]);
    assert!(!ran, "planted code ran: {rep}");
    let q = GitFixture::quarantined(&rep);
    assert!(
        fs::symlink_metadata(g.f.ws.join("lib/a/b/.git")).is_err(),
        "{rep}"
    );
    assert!(q.iter().any(|p| p.ends_with("lib/a/b/.git")), "{rep}");
    assert!(!g.f.ws.join("lib/a/newrepo/.git/config").exists(), "{rep}");
    assert!(
        q.iter().any(|p| p.ends_with("lib/a/newrepo/.git/config")),
        "{rep}"
    );
}

/// A repository moved into the workspace from outside the searched trees
/// during the run (a rename keeps the inodes and old change times of all
/// below it): its directories are not in the record at their new paths, so
/// they are searched in full, and what it holds is judged like anything
/// the run made.
#[test]
fn a_repository_moved_in_from_outside_during_the_run_is_found() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("vendor")).unwrap();
    fs::create_dir_all(f.outside.join("pkg/deep/er")).unwrap();
    fs::write(
        f.outside.join("pkg/deep/er/.git"),
        "gitdir: /nonexistent/git\n",
    )
    .unwrap();
    let out = git_in(f, &f.outside.join("pkg"), &["init", "-q", "inner"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    fs::write(f.outside.join("pkg/inner/.git/config"), &g.evil_config).unwrap();
    settle();
    let report = f.root.join("report.json");
    let _ = fs::remove_file(&report);
    let script = "touch started; i=0; \
        while [ ! -e moved ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; \
        rm -f started moved; touch -d '2001-01-01 00:00:00' vendor .; exit 0";
    let child = helper_command(f.offline(), &f.ws, &f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", script])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !f.ws.join("started").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(f.ws.join("started").exists(), "the command did not start");
    fs::rename(f.outside.join("pkg"), f.ws.join("vendor/pkg")).unwrap();
    fs::write(f.ws.join("moved"), "").unwrap();
    let out = child.wait_with_output().unwrap();
    let rep = read_report(&report);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    for p in ["vendor/pkg/deep/er/.git", "vendor/pkg/inner/.git/config"] {
        assert!(
            fs::symlink_metadata(f.ws.join(p)).is_err(),
            "{p} left: {}",
            describe(&out, &rep)
        );
        assert!(q.iter().any(|x| x.ends_with(p)), "{p}: {rep}");
    }
    let _ = git_in(f, &f.ws.join("vendor/pkg/inner"), &["status", "--short"]);
    assert!(!g.marker.exists(), "planted code ran: {rep}");
}

/// A recorded directory replaced during the run by another of the same
/// name, with a pointer in it, all times set back: the path is the
/// recorded one, the directory is not (another inode), so it is searched
/// in full and the pointer is moved aside. (A directory that holds git
/// entries from before the run cannot be moved at all: they are mount
/// points.)
#[test]
fn a_directory_replaced_by_another_of_the_same_name_is_searched_again() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("lib/a/b/c/d")).unwrap();
    settle();
    let script = format!(
        "{MAKE_EVIL_GITDIR} && mkdir -p t/c/d && printf 'gitdir: ../../../../../evil\\n' > t/c/d/.git && \
         mv lib/a/b/c old-c && mv t/c lib/a/b/c && rmdir t && \
         touch -d '2001-01-01 00:00:00' lib/a/b/c/d lib/a/b/c lib/a/b lib/a lib . && exit 0"
    );
    let (ran, rep) = g.plant_then_status(&script, &["lib/a/b/c/d"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(
        fs::symlink_metadata(f.ws.join("lib/a/b/c/d/.git")).is_err(),
        "{rep}"
    );
    let q = GitFixture::quarantined(&rep);
    assert!(q.iter().any(|p| p.ends_with("lib/a/b/c/d/.git")), "{rep}");
}

/// A repository planted in directories the search recorded before the run,
/// which the command then leaves traversable but not listable (`chmod 111`)
/// with their modification times set back: taking away the permission
/// changes each directory's change time, so the sweep lists them again
/// (giving the owner's read and search permission back, as unprivileged)
/// and finds the repository.
#[test]
fn a_recorded_directory_made_unlistable_during_the_run_is_listed_again() {
    let g = GitFixture::new();
    fs::create_dir_all(g.f.ws.join("hide/sub")).unwrap();
    settle();
    let script = "git init -q hide/sub/proj && \
        printf '%s' \"$EVIL\" >> hide/sub/proj/.git/config && \
        touch -d '2001-01-01 00:00:00' hide/sub hide && chmod 111 hide/sub hide; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["hide/sub/proj"]);
    assert!(!ran, "planted code ran: {rep}");
    assert!(!g.f.ws.join("hide/sub/proj/.git/config").exists(), "{rep}");
    assert_eq!(rep["status"], "ok", "{rep}");
}

/// `--report` in a directory of the workspace that the command renames,
/// putting a directory of its own with a forged report in its place
/// (exec13 H3): the helper writes the true report through the directory
/// it opened at the start, sees that the caller's path no longer leads to
/// it, says so and ends with exit 125.
#[test]
fn a_report_directory_renamed_during_the_run_does_not_pass_a_forgery_off_as_the_report() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("out")).unwrap();
    let report = f.ws.join("out/report.json");
    let p = f.offline();
    let script = "mv out .out-old && mkdir out && \
        printf '{\"status\":\"ok\",\"exit\":{\"code\":0}}\\n' > out/report.json; exit 0";
    let out = helper_command(&p, &f.ws, &f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", script])
        .output()
        .unwrap();
    let real = read_report(f.ws.join(".out-old/report.json"));
    assert_eq!(out.status.code(), Some(125), "{}", describe(&out, &real));
    assert!(
        text(&out.stderr).contains("not this run's report"),
        "{}",
        describe(&out, &real)
    );
    assert_eq!(real["exit"]["code"], 0, "{}", describe(&out, &real));
}

/// Files the global git configuration names as data in the workspace (a
/// dotfiles repository): `core.excludesFile`, `core.attributesFile`,
/// `mailmap.file`, and git's own `~/.config/git/ignore` linked into it
/// (exec13 H6). A FIFO in their place would hang every later `git status`
/// and `git log` of the user, `* -diff` would hide every diff: they are
/// kept read-only, a missing one (`commit.template`) cannot be made, and
/// the run stays full.
#[test]
fn files_the_global_git_configuration_reads_as_data_are_kept() {
    let f = Fixture::new();
    let ws = f.ws.display();
    let config = format!(
        "[core]\n\texcludesFile = {ws}/git/ignore\n\tattributesFile = {ws}/git/attributes\n\
         [mailmap]\n\tfile = {ws}/git/mailmap\n[commit]\n\ttemplate = {ws}/tmpl/message\n"
    );
    fs::create_dir_all(f.home.join(".config/git")).unwrap();
    fs::create_dir_all(f.ws.join("tmpl")).unwrap();
    std::os::unix::fs::symlink(
        f.ws.join("git/xdg-ignore"),
        f.home.join(".config/git/ignore"),
    )
    .unwrap();
    let names = [
        "git/ignore",
        "git/attributes",
        "git/mailmap",
        "git/xdg-ignore",
    ];
    let script = "rm -f git/ignore; mkfifo git/ignore; echo '* -diff' >> git/attributes; \
        rm -f git/mailmap; mkfifo git/mailmap; rm -f git/xdg-ignore; mkfifo git/xdg-ignore; \
        echo planted > tmpl/message; exit 0";
    let (out, rep) = run_with_global_config(&f, &config, &names, &[], script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for name in names {
        let m = fs::symlink_metadata(f.ws.join(name)).unwrap();
        assert!(m.is_file(), "{name} replaced: {}", describe(&out, &rep));
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        !f.ws.join("tmpl/message").exists(),
        "{}",
        describe(&out, &rep)
    );
}

/// Programs the caller's environment names in the workspace (exec13 H8):
/// `EDITOR` and `PAGER` naming wrappers kept in a dotfiles repository run
/// on the user's next `git commit` and `git log`, like `core.editor` and
/// `core.pager`: the run is refused with a gap naming the variable, and
/// with `--allow-degraded` the wrappers are kept read-only. A bare name
/// (`vi`) stays full.
#[test]
fn programs_the_callers_environment_names_in_a_writable_tree_are_a_gap() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    for name in ["bin/edit", "bin/page"] {
        fs::create_dir_all(f.ws.join("bin")).unwrap();
        fs::write(f.ws.join(name), "ORIGINAL\n").unwrap();
    }
    let edit = f.ws.join("bin/edit").display().to_string();
    let page = f.ws.join("bin/page").display().to_string();
    let home = f.home.to_str().unwrap();
    let script = "echo CHANGED >> bin/edit; echo CHANGED >> bin/page; exit 0";
    let cmd = ["/bin/sh", "-c", script];
    let p = f.offline();
    let envs = [
        ("HOME", home),
        ("EDITOR", edit.as_str()),
        ("PAGER", page.as_str()),
    ];
    let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
    assert_refused_naming(&out, &rep, "EDITOR=");
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in ["bin/edit", "bin/page"] {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    let envs = [("HOME", home), ("EDITOR", "vi"), ("PAGER", "less -R")];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// git's credential store at the path the global configuration gives it
/// (`credential.helper = store --file ~/creds/work`) is hidden like the
/// default stores, and the run stays full (exec13 H9). One in the
/// workspace named with `--file=` in a `!` command line is hidden too;
/// a path into a writable tree in a helper's command line is a gap, as
/// for every program key, so that run needs `--allow-degraded`.
#[test]
fn credential_stores_the_global_git_configuration_names_are_hidden() {
    let f = Fixture::new();
    fs::create_dir_all(f.home.join("creds")).unwrap();
    fs::write(
        f.home.join("creds/work"),
        "https://u:TOKEN-ONE@example.com\n",
    )
    .unwrap();
    fs::create_dir_all(f.ws.join("secrets")).unwrap();
    fs::write(
        f.ws.join("secrets/store"),
        "https://u:TOKEN-TWO@example.com\n",
    )
    .unwrap();
    let script = format!(
        "cat {}/creds/work; cat secrets/store; exit 0",
        f.home.display()
    );
    let config = "[credential]\n\thelper = store --file ~/creds/work\n";
    let (out, rep) = run_with_global_config(&f, config, &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("TOKEN-ONE"),
        "{}",
        describe(&out, &rep)
    );
    let ws = f.ws.display();
    let config = format!(
        "[credential \"https://example.org\"]\n\thelper = \"!git credential-store --file={ws}/secrets/store\"\n"
    );
    let (out, rep) = run_with_global_config(&f, &config, &[], &[], &script);
    assert_refused_naming(&out, &rep, "credential-store");
    let (out, rep) = run_with_global_config(&f, &config, &[], &["--allow-degraded"], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("TOKEN-TWO"),
        "{}",
        describe(&out, &rep)
    );
}

/// husky 9 (`core.hooksPath = .husky/_`): every stub there runs
/// `.husky/<hook>` one directory up (exec13 H11). Those names are hooks
/// too: an existing `.husky/pre-commit` is kept read-only, and a
/// `.husky/post-checkout` the run makes is moved aside after it.
#[test]
fn what_husky_hooks_run_one_directory_up_is_protected_like_a_hook() {
    let g = GitFixture::new();
    let f = &g.f;
    let out = git_in(f, &f.ws, &["config", "core.hooksPath", ".husky/_"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    fs::create_dir_all(f.ws.join(".husky/_")).unwrap();
    fs::write(
        f.ws.join(".husky/_/h"),
        "#!/usr/bin/env sh\nn=$(basename \"$0\")\ns=$(dirname \"$(dirname \"$0\")\")/$n\n[ ! -f \"$s\" ] && exit 0\nsh -e \"$s\" \"$@\"\n",
    )
    .unwrap();
    for hook in ["pre-commit", "post-checkout"] {
        fs::write(
            f.ws.join(".husky/_").join(hook),
            "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n",
        )
        .unwrap();
    }
    fs::write(f.ws.join(".husky/pre-commit"), "ORIGINAL\n").unwrap();
    let script = "echo CHANGED >> .husky/pre-commit; echo planted > .husky/post-checkout; exit 0";
    let p = f.offline();
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join(".husky/pre-commit")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !f.ws.join(".husky/post-checkout").exists(),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        GitFixture::quarantined(&rep)
            .iter()
            .any(|q| q.ends_with(".husky/post-checkout")),
        "{rep}"
    );
}

/// What a link in a blocked directory leads to must stay what it leads to
/// (exec13 H1, H1b): `~/.ssh/config -> WS/current/ssh/config` with
/// `current -> profiles/work` a link in the workspace: the target was
/// hidden, but the command replaced `current` by a directory with its own
/// `ssh/config`, which the user's next `ssh` read; and `~/.ssh/config.local
/// -> WS/ssh/config.local`, missing: the command made it. Mechanism: the
/// directory of every link on the way that lies in a writable tree, and
/// the directory where a missing target would be made, are locked.
#[test]
fn the_way_of_a_link_in_a_blocked_directory_cannot_be_changed() {
    let f = Fixture::new();
    let p = f.offline();
    fs::create_dir_all(f.ws.join("profiles/work/ssh")).unwrap();
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    fs::write(f.ws.join("profiles/work/ssh/config"), "ORIGINAL\n").unwrap();
    std::os::unix::fs::symlink("profiles/work", f.ws.join("current")).unwrap();
    std::os::unix::fs::symlink("../../ws/current/ssh/config", f.home.join(".ssh/config")).unwrap();
    std::os::unix::fs::symlink(
        "../../ws/ssh/config.local",
        f.home.join(".ssh/config.local"),
    )
    .unwrap();
    let script = "rm current; mkdir -p current/ssh; echo PLANTED > current/ssh/config; \
                  mkdir -p ssh; echo PLANTED > ssh/config.local; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.home.join(".ssh/config")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !f.home.join(".ssh/config.local").exists(),
        "{}",
        describe(&out, &rep)
    );
}

/// Links inside the directory a link in a blocked directory leads to
/// (exec13 H1c, H7): `~/.ssh/conf.d -> WS/ssh/conf.d` (hidden whole) with
/// `conf.d/work.conf -> ../hosts/work.conf` and `~/.ssh/keys ->
/// WS/ssh/keys` with `keys/id_work -> ../../secrets/id_work`: the real
/// files stayed readable and writable. Mechanism: a hidden link's target
/// directory is searched for links like the hidden directory itself.
#[test]
fn links_inside_a_directory_a_blocked_link_leads_to_are_followed() {
    let f = Fixture::new();
    let p = f.offline();
    for d in ["ssh/conf.d", "ssh/hosts", "ssh/keys", "secrets"] {
        fs::create_dir_all(f.ws.join(d)).unwrap();
    }
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    fs::write(f.ws.join("ssh/hosts/work.conf"), "ORIGINAL\n").unwrap();
    fs::write(f.ws.join("secrets/id_work"), "SECRET-KEY\n").unwrap();
    std::os::unix::fs::symlink("../hosts/work.conf", f.ws.join("ssh/conf.d/work.conf")).unwrap();
    std::os::unix::fs::symlink("../../secrets/id_work", f.ws.join("ssh/keys/id_work")).unwrap();
    std::os::unix::fs::symlink("../../ws/ssh/conf.d", f.home.join(".ssh/conf.d")).unwrap();
    std::os::unix::fs::symlink("../../ws/ssh/keys", f.home.join(".ssh/keys")).unwrap();
    let script = "cat secrets/id_work; echo PLANTED >> ssh/hosts/work.conf; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("SECRET"),
        "a secret was read: {}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("ssh/hosts/work.conf")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// A home link whose way passes through a link in the workspace while it
/// ends outside (exec13 H2): `~/.config/tmux/tmux.conf ->
/// WS/current/tmux.conf`, `current -> OUTSIDE/shared`: the command replaced
/// `current`, the user's next `tmux` read its file, report `full`.
/// Mechanism: the directory of every link on a home link's way that lies
/// in a writable tree is locked; the run stays `full`.
#[test]
fn a_link_on_the_way_of_a_home_link_cannot_be_re_pointed() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    fs::create_dir_all(f.outside.join("shared")).unwrap();
    fs::create_dir_all(f.home.join(".config/tmux")).unwrap();
    fs::write(f.outside.join("shared/tmux.conf"), "ORIGINAL\n").unwrap();
    std::os::unix::fs::symlink(f.outside.join("shared"), f.ws.join("current")).unwrap();
    std::os::unix::fs::symlink(
        f.ws.join("current/tmux.conf"),
        f.home.join(".config/tmux/tmux.conf"),
    )
    .unwrap();
    let script = "rm current; mkdir current; echo PLANTED > current/tmux.conf; exit 0";
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.home.join(".config/tmux/tmux.conf")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// A home link into the workspace whose target is missing (exec13 H4):
/// `~/.mavenrc -> WS/mavenrc`, `~/.config/tmux/tmux.conf ->
/// WS/tmux/tmux.conf`: the command made them, the user's next `mvn` and
/// `tmux` ran them, report `full`. Mechanism: such a link is a gap like
/// one whose target exists, and the directory where the target would be
/// made is locked.
#[test]
fn a_home_link_to_a_missing_target_in_a_writable_tree_is_a_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    fs::create_dir_all(f.home.join(".config/tmux")).unwrap();
    std::os::unix::fs::symlink(f.ws.join("mavenrc"), f.home.join(".mavenrc")).unwrap();
    std::os::unix::fs::symlink(
        "../../../ws/tmux/tmux.conf",
        f.home.join(".config/tmux/tmux.conf"),
    )
    .unwrap();
    let script = "mkdir -p tmux; echo PLANTED > tmux/tmux.conf; echo PLANTED > mavenrc; exit 0";
    let run = |args: &[&str]| f.run_with(&p, args, &["/bin/sh", "-c", script], &[("HOME", home)]);
    let (out, rep) = run(&[]);
    for entry in ["~/.mavenrc", "~/.config/tmux/tmux.conf"] {
        assert_refused_naming(&out, &rep, entry);
    }
    let (out, rep) = run(&["--allow-degraded"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in [".mavenrc", ".config/tmux/tmux.conf"] {
        assert!(
            !f.home.join(name).exists(),
            "{name}: {}",
            describe(&out, &rep)
        );
    }
}

/// The caller's `XDG_CONFIG_HOME` in the workspace (exec13 H5): only git's
/// file there was locked; the command appended to `tmux/tmux.conf`, which
/// the user's next `tmux` ran. Mechanism: an `XDG_CONFIG_HOME` that
/// resolves into a writable tree is a gap naming it, like `~/.config ->
/// WS/config` would be.
#[test]
fn an_xdg_config_home_in_a_writable_tree_is_a_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    fs::create_dir_all(f.ws.join("config/tmux")).unwrap();
    fs::write(f.ws.join("config/tmux/tmux.conf"), "ORIGINAL\n").unwrap();
    let xdg = f.ws.join("config");
    let xdg = xdg.to_str().unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", "echo PLANTED >> config/tmux/tmux.conf"],
        &[("HOME", home), ("XDG_CONFIG_HOME", xdg)],
    );
    assert_refused_naming(&out, &rep, "XDG_CONFIG_HOME");
    assert_eq!(
        fs::read_to_string(f.ws.join("config/tmux/tmux.conf")).unwrap(),
        "ORIGINAL\n"
    );
    // Accepted: the directory is kept read-only.
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &[
            "/bin/sh",
            "-c",
            "echo PLANTED >> config/tmux/tmux.conf; exit 0",
        ],
        &[("HOME", home), ("XDG_CONFIG_HOME", xdg)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("config/tmux/tmux.conf")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// A home dot directory that is itself a link (exec13 H10): `~/.config ->
/// OUTSIDE/config-store` with `tmux/tmux.conf -> WS/tmux/tmux.conf` inside:
/// the search judged `~/.config` and did not look inside, report `full`.
/// Mechanism: the home search enters a dot directory that is a link to a
/// directory as it enters a real one.
#[test]
fn links_inside_a_linked_dot_directory_of_the_home_are_judged() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    fs::create_dir_all(f.outside.join("config-store/tmux")).unwrap();
    fs::create_dir_all(f.ws.join("tmux")).unwrap();
    fs::write(f.ws.join("tmux/tmux.conf"), "ORIGINAL\n").unwrap();
    std::os::unix::fs::symlink(
        f.ws.join("tmux/tmux.conf"),
        f.outside.join("config-store/tmux/tmux.conf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(f.outside.join("config-store"), f.home.join(".config")).unwrap();
    let script = "echo PLANTED >> tmux/tmux.conf; exit 0";
    let run = |args: &[&str]| f.run_with(&p, args, &["/bin/sh", "-c", script], &[("HOME", home)]);
    let (out, rep) = run(&[]);
    assert_refused_naming(&out, &rep, "~/.config/tmux/tmux.conf");
    let (out, rep) = run(&["--allow-degraded"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("tmux/tmux.conf")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
}

/// The workspace mounted at a second path, home entries linking into it
/// by that path (exec13 H12): `~/.bashrc -> ALT/bashrc`, `~/.tmux.conf ->
/// ALT/tmux.conf` with `ALT` a bind of the workspace: judged "outside the
/// writable trees", bound read-only at `ALT` only, rewritten through the
/// workspace, report `full`. Mechanism: what lies in a writable tree is
/// decided by device and inode of the tree among the path's ancestors,
/// and the file is bound read-only by its name in the tree. Root only (a
/// bind mount, in a mount namespace of its own).
#[test]
fn home_links_into_a_second_mount_of_the_workspace_are_judged_by_identity() {
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    let f = Fixture::new();
    let p = f.offline();
    let alt = f.root.join("alt");
    let alt_sub = f.root.join("alt-sub");
    fs::create_dir_all(&alt).unwrap();
    fs::create_dir_all(&alt_sub).unwrap();
    fs::create_dir_all(f.ws.join("sub")).unwrap();
    for name in ["bashrc", "tmux.conf", "sub/mavenrc"] {
        fs::write(f.ws.join(name), "ORIGINAL\n").unwrap();
    }
    std::os::unix::fs::symlink(alt.join("bashrc"), f.home.join(".bashrc")).unwrap();
    std::os::unix::fs::symlink(alt.join("tmux.conf"), f.home.join(".tmux.conf")).unwrap();
    // A bind of a directory inside the workspace, too.
    std::os::unix::fs::symlink(alt_sub.join("mavenrc"), f.home.join(".mavenrc")).unwrap();
    let script =
        "echo PLANTED >> bashrc; echo PLANTED >> tmux.conf; echo PLANTED >> sub/mavenrc; exit 0";
    let report = f.root.join("report.json");
    let run = |args: &[&str]| {
        let _ = fs::remove_file(&report);
        let mut c = Command::new("unshare");
        c.arg("-m")
            .arg("--propagation")
            .arg("private")
            .arg("/bin/sh")
            .arg("-c")
            .arg("mount --bind \"$0\" \"$1\" && mount --bind \"$2\" \"$3\" && shift 3 && exec \"$@\"")
            .arg(&f.ws)
            .arg(&alt)
            .arg(f.ws.join("sub"))
            .arg(&alt_sub)
            .arg(helper())
            .arg("--policy")
            .arg(&p)
            .arg("--workspace")
            .arg(&f.ws)
            .arg("--home")
            .arg(&f.home)
            .arg("--report")
            .arg(&report)
            .args(args)
            .args(["--", "/bin/sh", "-c", script])
            .env("HOME", &f.home);
        let out = c.output().unwrap();
        (out, read_report(&report))
    };
    let (out, rep) = run(&[]);
    for entry in ["~/.bashrc", "~/.tmux.conf", "~/.mavenrc"] {
        assert_refused_naming(&out, &rep, entry);
    }
    let (out, rep) = run(&["--allow-degraded"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in ["bashrc", "tmux.conf", "sub/mavenrc"] {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name}: {}",
            describe(&out, &rep)
        );
    }
}

/// Credential stores the caller's environment moves away from the home
/// (exec14 H6: `AWS_SHARED_CREDENTIALS_FILE`, `KUBECONFIG`, `GNUPGHOME`,
/// `DOCKER_CONFIG`, …) are what the tools read instead of `~/.aws` and the
/// rest: hidden like them. One naming a tree the run needs is a gap.
#[test]
fn credential_stores_the_environment_moves_elsewhere_are_hidden() {
    let f = Fixture::new();
    let p = f.offline();
    let stores = f.outside.join("stores");
    fs::create_dir_all(stores.join("docker")).unwrap();
    fs::create_dir_all(stores.join("gnupg")).unwrap();
    fs::write(stores.join("aws-creds"), "AWS-SECRET\n").unwrap();
    fs::write(stores.join("kube-a"), "KUBE-SECRET-A\n").unwrap();
    fs::write(stores.join("kube-b"), "KUBE-SECRET-B\n").unwrap();
    fs::write(stores.join("docker/config.json"), "DOCKER-SECRET\n").unwrap();
    fs::write(stores.join("gnupg/key"), "GPG-SECRET\n").unwrap();
    fs::write(stores.join("plain.txt"), "READABLE\n").unwrap();
    let s = |n: &str| stores.join(n).display().to_string();
    let kube = format!("{}:{}", s("kube-a"), s("kube-b"));
    let envs = [
        ("AWS_SHARED_CREDENTIALS_FILE", s("aws-creds")),
        ("KUBECONFIG", kube),
        ("DOCKER_CONFIG", s("docker")),
        ("GNUPGHOME", s("gnupg")),
    ];
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let script = format!(
        "cd {d}; cat aws-creds kube-a kube-b docker/config.json gnupg/key plain.txt; exit 0",
        d = stores.display()
    );
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let seen = text(&out.stdout);
    assert!(seen.contains("READABLE"), "{}", describe(&out, &rep));
    for secret in [
        "AWS-SECRET",
        "KUBE-SECRET-A",
        "KUBE-SECRET-B",
        "DOCKER-SECRET",
        "GPG-SECRET",
    ] {
        assert!(
            !seen.contains(secret),
            "{secret} read: {}",
            describe(&out, &rep)
        );
    }
    // A store variable naming the workspace cannot be hidden: a gap, refused.
    let envs = [("GNUPGHOME", f.ws.to_str().unwrap())];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &envs);
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
}

/// Links a run leaves at files git writes in a git dir (`COMMIT_EDITMSG`,
/// `logs/HEAD`, `logs/refs/heads/main`, `index`; and a hard link at
/// `MERGE_MSG`), leading to files of the
/// user outside the writable trees: inside the run the targets are
/// read-only or hidden, but git follows a link at the name of a file it
/// writes (`fopen(…, "w")`, `O_APPEND`, a lock file next to the target),
/// so the user's next `git commit` replaced `~/.bashrc` with a message the
/// command wrote and appended reflog lines to `~/.profile`. Mechanism: the
/// sweep moves aside every symbolic link in a git dir made or changed during
/// the run, whatever it leads to (git makes none there but a symbolic
/// `HEAD`), and every file with a second name outside the object store;
/// a link from before the run (`git-new-workdir`) stays.
#[test]
fn links_left_in_a_git_dir_do_not_carry_the_users_git_writes_outside() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    let home = &g.f.home;
    fs::write(home.join(".bashrc"), "ORIGINAL-BASHRC\n").unwrap();
    fs::write(home.join(".profile"), "ORIGINAL-PROFILE\n").unwrap();
    fs::write(g.f.root.join("shared-description"), "shared\n").unwrap();
    let _ = fs::remove_file(ws.join(".git/description"));
    std::os::unix::fs::symlink(
        g.f.root.join("shared-description"),
        ws.join(".git/description"),
    )
    .unwrap();
    let p = fs_policy(&g.f, r#"["./"]"#, r#"["~/.ssh"]"#);
    let report = g.f.root.join("report.json");
    let script = format!(
        "mkdir -p .git/logs/refs/heads && \
         ln -sf {b} .git/COMMIT_EDITMSG && ln -sf {pr} .git/logs/HEAD && \
         ln -sf {pr} .git/logs/refs/heads/main && \
         cp .git/index .git/index.x && ln -sf \"$PWD/.git/index.x\" .git/index && \
         echo x > .git/x && ln .git/x .git/MERGE_MSG; exit 0",
        b = home.join(".bashrc").display(),
        pr = home.join(".profile").display()
    );
    let mut c = helper_command(&p, ws, home);
    c.arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c", &script]);
    let out = c.output().unwrap();
    let rep = read_report(&report);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for rel in [
        ".git/COMMIT_EDITMSG",
        ".git/logs/HEAD",
        ".git/logs/refs/heads/main",
        ".git/index",
    ] {
        assert!(
            !fs::symlink_metadata(ws.join(rel)).is_ok_and(|m| m.file_type().is_symlink()),
            "{rel} stayed a link: {rep}"
        );
    }
    let q = quarantined_with_reasons(&rep);
    assert!(
        q.iter()
            .any(|(p, why)| p.ends_with("/.git/COMMIT_EDITMSG") && why.contains("symbolic link")),
        "{rep}"
    );
    // A hard link (the git dir is a mount of its own in the run, so the
    // other name is in it too): git writes MERGE_MSG in place, into the
    // other name.
    assert!(
        !ws.join(".git/MERGE_MSG").exists()
            && q.iter()
                .any(|(p, why)| p.ends_with("/.git/MERGE_MSG") && why.contains("hard link")),
        "{rep}"
    );
    // The user's link from before the run stays.
    assert!(
        fs::symlink_metadata(ws.join(".git/description")).is_ok_and(|m| m.file_type().is_symlink()),
        "{rep}"
    );
    // The user's next commit writes in the repository only.
    fs::write(ws.join("notes"), "n\n").unwrap();
    for args in [
        &["add", "notes"][..],
        &["commit", "-q", "-m", "update notes"][..],
    ] {
        let o = git_in(&g.f, ws, args);
        assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
    }
    assert_eq!(
        fs::read_to_string(home.join(".bashrc")).unwrap(),
        "ORIGINAL-BASHRC\n"
    );
    assert_eq!(
        fs::read_to_string(home.join(".profile")).unwrap(),
        "ORIGINAL-PROFILE\n"
    );
}

/// husky 9 with its stub directory a link (exec14 H5): `.husky/_ ->
/// ../tools/stubs`. The stub runs `$(dirname $(dirname $0))/<hook>`, taken
/// from the path git runs it by (`.husky/_/post-commit`, so
/// `.husky/post-commit`), while the helper protected the names beside the
/// link's target (`tools/`). Mechanism: the names one directory up are
/// protected beside both the link's own path and its target.
#[test]
fn husky_hooks_one_directory_up_are_protected_beside_a_linked_stub_directory() {
    let g = GitFixture::new();
    let f = &g.f;
    let out = git_in(f, &f.ws, &["config", "core.hooksPath", ".husky/_"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    fs::create_dir_all(f.ws.join("tools/stubs")).unwrap();
    fs::create_dir_all(f.ws.join(".husky")).unwrap();
    std::os::unix::fs::symlink("../tools/stubs", f.ws.join(".husky/_")).unwrap();
    fs::write(
        f.ws.join("tools/stubs/h"),
        "#!/usr/bin/env sh\nn=$(basename \"$0\")\ns=$(dirname \"$(dirname \"$0\")\")/$n\n[ ! -f \"$s\" ] && exit 0\nsh -e \"$s\" \"$@\"\n",
    )
    .unwrap();
    fs::write(
        f.ws.join("tools/stubs/post-commit"),
        "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n",
    )
    .unwrap();
    let script = "echo planted > .husky/post-commit; echo planted > tools/post-commit; exit 0";
    let p = f.offline();
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for rel in [".husky/post-commit", "tools/post-commit"] {
        assert!(!f.ws.join(rel).exists(), "{rel}: {}", describe(&out, &rep));
        assert!(
            GitFixture::quarantined(&rep)
                .iter()
                .any(|q| q.ends_with(rel)),
            "{rel}: {rep}"
        );
    }
}

/// git's credential stores named outside the global `credential.helper`
/// (exec14 H4): a work repository's own `credential.helper = store --file
/// ~/work/creds`, and a global alias's `-c credential.helper='store --file
/// ~/alias-creds' push`, were read while the global store was hidden.
/// Mechanism: the stores are taken from every configuration git reads in
/// the run's repositories, and from `git -c credential.helper=…` in any
/// command line of a configuration (aliases included).
#[test]
fn credential_stores_a_repository_or_an_alias_names_are_hidden() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.home.join("work")).unwrap();
    fs::write(
        f.home.join("work/creds"),
        "https://u:TOKEN-REPO@example.com\n",
    )
    .unwrap();
    fs::write(
        f.home.join("alias-creds"),
        "https://u:TOKEN-ALIAS@example.com\n",
    )
    .unwrap();
    let out = git_in(
        f,
        &f.ws,
        &["config", "credential.helper", "store --file ~/work/creds"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let h = f.home.display();
    let script = format!("cat {h}/work/creds {h}/alias-creds; exit 0");
    let config = "[alias]\n\tpushw = -c credential.helper='store --file ~/alias-creds' push\n";
    let (out, rep) = run_with_global_config(f, config, &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for token in ["TOKEN-REPO", "TOKEN-ALIAS"] {
        assert!(
            !text(&out.stdout).contains(token),
            "{token}: {}",
            describe(&out, &rep)
        );
    }
}

/// Git configuration and start-up files the caller's environment names
/// in the workspace (exec14 H1, H2): `GIT_CONFIG_COUNT` with its
/// `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`, `GIT_CONFIG_PARAMETERS`,
/// `GIT_TEMPLATE_DIR`, `GIT_PROXY_COMMAND`, and `LESSKEYIN`, `VIMINIT`,
/// `INPUTRC`, `BASH_ENV`, `PYTHONSTARTUP` naming files of a dotfiles
/// repository run on the user's next `git log`, `git clone`, `git commit`,
/// bash script or python: each is a gap naming the variable, and with
/// `--allow-degraded` the files are kept read-only. The same variables
/// naming files outside the writable trees stay full.
#[test]
fn configuration_and_start_up_files_the_callers_environment_names_are_judged() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let files = [
        "bin/pager",
        "bin/pager2",
        "bin/proxy",
        "tmpl/hooks/post-checkout",
        "less/lesskey",
        "vim/vimrc",
        "inputrc",
        "bash/env.sh",
        "python/startup.py",
    ];
    for name in files {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    let home = f.home.to_str().unwrap();
    let params = format!("'core.pager'='{}'", w("bin/pager2"));
    let viminit = format!("source {}", w("vim/vimrc"));
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("GIT_CONFIG_COUNT", "1".into()),
            ("GIT_CONFIG_KEY_0", "core.pager".into()),
            ("GIT_CONFIG_VALUE_0", w("bin/pager")),
        ],
        vec![("GIT_CONFIG_PARAMETERS", params.clone())],
        vec![("GIT_TEMPLATE_DIR", w("tmpl"))],
        vec![("GIT_PROXY_COMMAND", w("bin/proxy"))],
        vec![("LESSKEYIN", w("less/lesskey"))],
        vec![("VIMINIT", viminit.clone())],
        vec![("INPUTRC", w("inputrc"))],
        vec![("BASH_ENV", w("bash/env.sh"))],
        vec![("PYTHONSTARTUP", w("python/startup.py"))],
    ];
    let script = files
        .iter()
        .map(|n| format!("echo CHANGED >> {n} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for case in &cases {
        let mut envs = vec![("HOME", home)];
        envs.extend(case.iter().map(|(k, v)| (*k, v.as_str())));
        let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
        let named = if case[0].0 == "GIT_CONFIG_COUNT" {
            "GIT_CONFIG_KEY_0="
        } else {
            case[0].0
        };
        assert_refused_naming(&out, &rep, named);
    }
    let mut envs = vec![("HOME", home)];
    for case in &cases {
        envs.extend(case.iter().map(|(k, v)| (*k, v.as_str())));
    }
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in files {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    // The same variables naming files in the home (outside the writable
    // trees), and a malformed GIT_CONFIG_PARAMETERS is a gap.
    fs::write(f.home.join(".lesskey"), "").unwrap();
    let lesskey = format!("{home}/.lesskey");
    let vim = format!("source {home}/.vimrc");
    let outside = [
        ("HOME", home),
        ("GIT_CONFIG_COUNT", "1"),
        ("GIT_CONFIG_KEY_0", "core.pager"),
        ("GIT_CONFIG_VALUE_0", "less -R"),
        ("GIT_CONFIG_PARAMETERS", "'color.ui'='auto'"),
        ("LESSKEYIN", lesskey.as_str()),
        ("VIMINIT", vim.as_str()),
    ];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &outside);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let envs = [("HOME", home), ("GIT_CONFIG_PARAMETERS", "core.pager=x")];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &envs);
    assert_refused_naming(&out, &rep, "GIT_CONFIG_PARAMETERS=");
}

/// Search paths and options of the caller's environment through which the
/// user's later programs load code (exec15 V1): `PYTHONPATH` naming the
/// workspace's `src` (python imports `sitecustomize` from it on every
/// start, and looks up every module there before the standard library),
/// `PERL5LIB`, `NODE_OPTIONS=--require FILE`, `JAVA_TOOL_OPTIONS` with
/// `-javaagent:`, `LD_PRELOAD` and `LESS` with `-k`: the command wrote
/// `src/sitecustomize.py` and the rest, which the user's next python,
/// perl, node, java, any program or less ran. Mechanism: each entry is
/// judged as the file keys are, a gap naming the variable, and with
/// `--allow-degraded` what it names is kept read-only. The same variables
/// naming places outside the writable trees, or names the program looks
/// up, stay full; an entry taken from where the program runs is a gap.
#[test]
fn search_paths_and_options_of_the_callers_environment_are_judged() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let files = [
        "src/sitecustomize.py",
        "perl/strict.pm",
        "node/hook.js",
        "java/agent.jar",
        "lib/preload.so",
        "less/keys",
    ];
    for name in files {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    let home = f.home.to_str().unwrap();
    let node = format!("--max-old-space-size=4096 --require {}", w("node/hook.js"));
    let java = format!("-Xmx1g -javaagent:{}=opt", w("java/agent.jar"));
    let less = format!("-R -k{}", w("less/keys"));
    let cases: Vec<(&str, String)> = vec![
        ("PYTHONPATH", w("src")),
        ("PERL5LIB", w("perl")),
        ("NODE_OPTIONS", node),
        ("JAVA_TOOL_OPTIONS", java),
        ("LD_PRELOAD", w("lib/preload.so")),
        ("LESS", less),
    ];
    let script = files
        .iter()
        .map(|n| format!("echo CHANGED >> {n} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let envs = [("HOME", home), (*k, v.as_str())];
        let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let mut envs = vec![("HOME", home)];
    envs.extend(cases.iter().map(|(k, v)| (*k, v.as_str())));
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in files {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    // Outside the writable trees, and names looked up by the program.
    let outside = [
        ("HOME", home),
        ("PYTHONPATH", "/usr/lib/python3/dist-packages"),
        ("NODE_OPTIONS", "--max-old-space-size=4096 -r dotenv/config"),
        ("LD_PRELOAD", "libjemalloc.so.2"),
        ("LESS", "-FRX"),
        ("RUBYOPT", "-rbundler/setup"),
    ];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &outside);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    // An empty entry is the directory python starts in.
    let envs = [("HOME", home), ("PYTHONPATH", ":/usr/lib/python3")];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &envs);
    assert_refused_naming(&out, &rep, "PYTHONPATH=");
}

/// The caller's `XDG_DATA_HOME` in the workspace (exec15 V2): bash-completion
/// loads `$XDG_DATA_HOME/bash-completion/completions/<cmd>` in the user's
/// next interactive bash, but only `XDG_CONFIG_HOME` was judged. Mechanism:
/// `XDG_DATA_HOME` (and each entry of `XDG_CONFIG_DIRS` and
/// `XDG_DATA_DIRS`) that resolves into a writable tree is a gap naming it,
/// and with `--allow-degraded` it is kept read-only.
#[test]
fn an_xdg_data_home_in_a_writable_tree_is_a_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let file = "share/bash-completion/completions/git";
    fs::create_dir_all(f.ws.join("share/bash-completion/completions")).unwrap();
    fs::write(f.ws.join(file), "ORIGINAL\n").unwrap();
    fs::create_dir_all(f.ws.join("data")).unwrap();
    let share = f.ws.join("share").display().to_string();
    let dirs = format!("/usr/share:{}", f.ws.join("data").display());
    let script = format!("echo PLANTED >> {file}; exit 0");
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), ("XDG_DATA_HOME", &share)]);
    assert_refused_naming(&out, &rep, "XDG_DATA_HOME");
    let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), ("XDG_DATA_DIRS", &dirs)]);
    assert_refused_naming(&out, &rep, "XDG_DATA_DIRS");
    let envs = [("HOME", home), ("XDG_DATA_HOME", share.as_str())];
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join(file)).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    // Outside the writable trees: full.
    let outside = format!("{home}/.local/share");
    let envs = [
        ("HOME", home),
        ("XDG_DATA_HOME", outside.as_str()),
        ("XDG_DATA_DIRS", "/usr/local/share:/usr/share"),
        ("XDG_CONFIG_DIRS", "/etc/xdg"),
    ];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// A credential store given through the environment's git configuration
/// (exec15 V3): `GIT_CONFIG_COUNT` with `credential.helper = store --file
/// ~/creds/env`, where `~` is the caller's `$HOME` (the home git reads
/// when the user runs it with that environment), and the run's home
/// (`--home`) a scratch directory: only `--home/creds/env` was hidden, the
/// caller's store was read. With the stores of the caller's environment
/// checked: without the variables the token is read (the fixture holds
/// it), with them it is hidden, and the run stays full. Mechanism: `~` in
/// an entry of the environment's configuration is every home of the user
/// the run can name, as for the repositories' configuration.
#[test]
fn credential_stores_the_environments_git_configuration_names_are_hidden() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let caller = f.outside.join("caller-home");
    fs::create_dir_all(caller.join("creds")).unwrap();
    fs::write(
        caller.join("creds/env"),
        "https://u:TOKEN-ENV@example.com\n",
    )
    .unwrap();
    fs::write(
        caller.join("creds/params"),
        "https://u:TOKEN-PARAMS@example.com\n",
    )
    .unwrap();
    let c = caller.display().to_string();
    let params = format!("'credential.helper'='store --file={c}/creds/params'");
    let script = format!("cat {c}/creds/env {c}/creds/params; exit 0");
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", c.as_str())]);
    assert!(
        text(&out.stdout).contains("TOKEN-ENV"),
        "the fixture's store is not readable: {}",
        describe(&out, &rep)
    );
    let envs = [
        ("HOME", c.as_str()),
        ("GIT_CONFIG_COUNT", "1"),
        ("GIT_CONFIG_KEY_0", "credential.helper"),
        ("GIT_CONFIG_VALUE_0", "store --file ~/creds/env"),
        ("GIT_CONFIG_PARAMETERS", params.as_str()),
    ];
    let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for token in ["TOKEN-ENV", "TOKEN-PARAMS"] {
        assert!(
            !text(&out.stdout).contains(token),
            "{token}: {}",
            describe(&out, &rep)
        );
    }
}

/// The protected entries of `~/.config` and `~/.local/share` moved by the
/// caller's `XDG_CONFIG_HOME` and `XDG_DATA_HOME` (exec15 V2): with the
/// home writable (the workspace is the home), the gap for an XDG directory
/// in a writable tree does not apply (the writable-home limit), and only
/// `~/.config/fish` and `~/.local/share/bash-completion` were kept, not
/// `$XDG_CONFIG_HOME/fish/config.fish` and
/// `$XDG_DATA_HOME/bash-completion/completions/git`, which the user's next
/// shell runs. Mechanism: those protected entries are kept below the XDG
/// directories too, and a missing one locks its way.
#[test]
fn protected_entries_below_the_callers_xdg_directories_are_kept_in_a_writable_home() {
    let f = Fixture::new();
    let files = [
        "xdg/config/fish/config.fish",
        "xdg/share/bash-completion/completions/git",
    ];
    for name in files {
        let p = f.home.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    fs::write(f.home.join("notes.txt"), "notes\n").unwrap();
    let config = f.home.join("xdg/config").display().to_string();
    let data = f.home.join("xdg/share").display().to_string();
    let p = fs_policy(&f, r#"["./"]"#, r#"["~/.ssh"]"#);
    let report = f.root.join("report.json");
    let mut c = Command::new(helper());
    c.arg("--policy")
        .arg(&p)
        .arg("--workspace")
        .arg(&f.home)
        .arg("--home")
        .arg(&f.home)
        .arg("--report")
        .arg(&report)
        .args(["--", "/bin/sh", "-c"])
        .arg(
            "for f in xdg/config/fish/config.fish xdg/share/bash-completion/completions/git; do \
             echo CHANGED >> $f 2>/dev/null; done; \
             mkdir -p xdg/config/autostart 2>/dev/null; echo x > xdg/config/autostart/evil.desktop 2>/dev/null; \
             echo more >> notes.txt; exit 0",
        )
        .env("HOME", &f.home)
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", &data);
    let out = c.output().unwrap();
    let rep: serde_json::Value = read_report(&report);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for name in files {
        assert_eq!(
            fs::read_to_string(f.home.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        !f.home.join("xdg/config/autostart").exists(),
        "{}",
        describe(&out, &rep)
    );
    // What is not protected stays usable.
    assert_eq!(
        fs::read_to_string(f.home.join("notes.txt")).unwrap(),
        "notes\nmore\n"
    );
}

/// State in the git dir that makes git show the user something other than
/// what is there (exec14 H8): the run changes tracked files and marks them
/// `skip-worktree` and `assume-unchanged` in the index, adds replace refs
/// (loose and packed) that show an older commit in place of `HEAD`, and a
/// `shallow` that cuts the history; the user's `git status`, `git diff` and
/// `git log` showed nothing of it, and a protected hook later ran the
/// changed file. Mechanism: the sweep repairs an index written during the
/// run (marks the run set cleared, stat data smudged, caches dropped),
/// drops the replace refs the run packed, and moves aside `refs/replace`
/// and `shallow` made during the run (read-only where they exist). An
/// ordinary run that commits stays `full` and leaves a clean status.
#[test]
fn index_marks_replace_refs_and_shallow_a_run_sets_are_undone() {
    let g = GitFixture::new();
    let f = &g.f;
    for name in ["Makefile", "lib.sh", "keep.conf"] {
        fs::write(f.ws.join(name), "ORIGINAL\n").unwrap();
    }
    for args in [
        &["add", "."][..],
        &["commit", "-q", "-m", "two"][..],
        &["update-index", "--assume-unchanged", "keep.conf"][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    // An ordinary run: commits a change; full, and nothing shown after.
    let ordinary = "echo more >> lib.sh && git add lib.sh && \
        git -c user.name=u -c user.email=u@e commit -q -m three && git status --porcelain";
    let (out, rep) = f.sh(&p, ordinary);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(text(&status.stdout), "", "{}", describe(&out, &rep));
    // The user's own mark stays.
    let v = git_in(f, &f.ws, &["ls-files", "-v", "keep.conf"]);
    assert!(text(&v.stdout).starts_with('h'), "{}", text(&v.stdout));
    // The attack.
    let script = "set -e\n\
        echo CHANGED >> Makefile\n\
        echo CHANGED >> lib.sh\n\
        git update-index --skip-worktree Makefile\n\
        git update-index --assume-unchanged lib.sh\n\
        head=$(git rev-parse HEAD); parent=$(git rev-parse HEAD~1)\n\
        git replace -f $head $parent\n\
        git pack-refs --all\n\
        git replace -f $(git rev-parse HEAD~2) $parent\n\
        git rev-parse HEAD~1 > .git/shallow\n\
        echo hidden";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("hidden"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(
        text(&status.stdout),
        " M Makefile\n M lib.sh\n",
        "{}",
        describe(&out, &rep)
    );
    let diff = git_in(f, &f.ws, &["diff", "--stat"]);
    assert!(
        text(&diff.stdout).contains("Makefile"),
        "{}",
        describe(&out, &rep)
    );
    let log = git_in(f, &f.ws, &["log", "--format=%s"]);
    assert_eq!(
        text(&log.stdout),
        "three\ntwo\ninit\n",
        "{}",
        describe(&out, &rep)
    );
    let refs = git_in(f, &f.ws, &["for-each-ref", "refs/replace/"]);
    assert_eq!(text(&refs.stdout), "", "{}", describe(&out, &rep));
    let v = git_in(f, &f.ws, &["ls-files", "-v"]);
    assert_eq!(
        text(&v.stdout),
        "H Makefile\nh keep.conf\nH lib.sh\n",
        "{}",
        describe(&out, &rep)
    );
    let notes = rep["notes"].to_string();
    assert!(
        notes.contains("skip-worktree cleared on Makefile"),
        "{notes}"
    );
    assert!(notes.contains("replace refs dropped"), "{notes}");
    let moved = rep["git_quarantined"].to_string();
    assert!(moved.contains("shallow"), "{moved}");
    assert!(moved.contains("refs/replace"), "{moved}");
}

/// Data files named outside the global configuration (the `DATA_KEYS` of
/// the global configuration, given in the repository's own configuration
/// or in the caller's environment's): `core.excludesFile` and
/// `core.attributesFile` in the workspace were written by the run (`*` in
/// the excludes hides every new file from the user's `git status`), a
/// missing `commit.template` was made. Mechanism: kept like the global
/// configuration's data files: read-only where they exist, moved aside by
/// the sweep when the run made them; the run stays `full`.
#[test]
fn data_files_a_repository_or_the_environment_names_are_kept() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    for name in ["tools/ignore", "tools/attributes"] {
        fs::write(f.ws.join(name), "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    for (k, v) in [
        ("core.excludesFile", w("tools/ignore")),
        ("commit.template", w("tools/msg")),
    ] {
        let out = git_in(f, &f.ws, &["config", k, &v]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let params = format!("'core.attributesFile'='{}'", w("tools/attributes"));
    let home = f.home.to_str().unwrap();
    let script = "for n in tools/ignore tools/attributes; do \
        (echo '*' >> $n) 2>/dev/null && echo WROTE $n; done; \
        echo planted > tools/msg; exit 0";
    let p = f.offline();
    // The repository's configuration, then the environment's too.
    for env in [vec![], vec![("GIT_CONFIG_PARAMETERS", params.as_str())]] {
        let mut envs = vec![("HOME", home)];
        envs.extend(env.iter().cloned());
        let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script], &envs);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
        assert!(
            !text(&out.stdout).contains("WROTE tools/ignore"),
            "{}",
            describe(&out, &rep)
        );
        if !env.is_empty() {
            assert!(
                !text(&out.stdout).contains("WROTE"),
                "{}",
                describe(&out, &rep)
            );
        }
        assert_eq!(
            fs::read_to_string(f.ws.join("tools/ignore")).unwrap(),
            "ORIGINAL\n",
            "{}",
            describe(&out, &rep)
        );
        assert!(!f.ws.join("tools/msg").exists(), "{}", describe(&out, &rep));
        assert!(
            rep["git_quarantined"].to_string().contains("tools/msg"),
            "{}",
            describe(&out, &rep)
        );
        fs::write(f.ws.join("tools/attributes"), "ORIGINAL\n").unwrap();
    }
}

/// A forged commit-graph (`.git/objects/info/commit-graph`, which git trusts
/// for each commit's tree and parents without reading the commit): the run
/// stages a changed `Makefile` and writes into the graph, for `HEAD`, the
/// tree of the index; the user's `git status` and `git diff HEAD` then show
/// nothing. Mechanism: the commit-graph, split commit-graph chain and
/// multi-pack index are recorded before the run (not bound: git writes
/// them in ordinary commands) and moved aside by the sweep when the run made
/// or changed them; git works without them.
#[test]
fn a_commit_graph_the_run_changed_is_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    for args in [
        &["add", "."][..],
        &["commit", "-q", "-m", "two"][..],
        &["commit-graph", "write", "--reachable"][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let forge = f.root.join("forge.py");
    fs::write(
        &forge,
        r#"import os, subprocess
def git(*a):
    return subprocess.run(["git", *a], check=True, capture_output=True, text=True).stdout.strip()
with open("Makefile", "a") as m:
    m.write("\tCHANGED\n")
git("add", "Makefile")
tree = bytes.fromhex(git("write-tree"))
head = bytes.fromhex(git("rev-parse", "HEAD"))
p = ".git/objects/info/commit-graph"
b = bytearray(open(p, "rb").read())
chunks = {}
for i in range(b[6] + 1):
    at = 8 + 12 * i
    chunks[bytes(b[at:at + 4])] = int.from_bytes(b[at + 4:at + 12], "big")
oidl, cdat = chunks[b"OIDL"], chunks[b"CDAT"]
oids = [bytes(b[oidl + 20 * i:oidl + 20 * i + 20]) for i in range((cdat - oidl) // 20)]
at = cdat + oids.index(head) * 36
b[at:at + 20] = tree
os.remove(p)
open(p, "wb").write(b)
print("status inside: [" + git("status", "--porcelain") + "]")
"#,
    )
    .unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, &format!("python3 {}", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("status inside: []"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(
        text(&status.stdout),
        "M  Makefile\n",
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["notes"]
            .to_string()
            .contains("commit-graph.ku0-quarantine-"),
        "{}",
        describe(&out, &rep)
    );
    assert!(!f.ws.join(".git/objects/info/commit-graph").exists());
    // An ordinary run leaves the user's commit-graph in place.
    let out = git_in(f, &f.ws, &["commit-graph", "write", "--reachable"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (out, rep) = f.sh(
        &p,
        "git status --porcelain >/dev/null && git log -1 >/dev/null",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(f.ws.join(".git/objects/info/commit-graph").exists());
    assert_eq!(
        rep["git_quarantined"],
        serde_json::json!([]),
        "{}",
        describe(&out, &rep)
    );
}

/// A workspace-mode policy with the given `blocked_paths` (a JSON array)
/// and link and dot-name flags.
fn flag_policy(f: &Fixture, blocked: &str, symlinks: bool, hidden: bool) -> PathBuf {
    let text = format!(
        r#"{{"version":"1.0","name":"escape-suite",
        "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":{blocked},
          "allow_symlinks":{symlinks},"allow_hidden_files":{hidden}}},
        "network":{NET_OFF},
        "commands":{{"mode":"unrestricted","allow_sudo":false}},
        "limits":{{}}}}"#
    );
    let p = f.root.join("policy.json");
    fs::write(&p, text).unwrap();
    p
}

/// exec15 H9: `allow_symlinks: false` and `allow_hidden_files: false` (the
/// `strict` preset) hold inside the process: no symbolic link can be made,
/// the dot entries of the workspace are hidden when the command starts
/// (`.git` excepted: git works), and what the run makes under a dot name
/// is moved aside. With both true (the `workspace` preset) nothing
/// changes.
#[test]
fn the_link_and_dot_name_rules_of_a_policy_hold_inside_the_process() {
    let f = Fixture::new();
    fs::write(f.ws.join(".env"), "DOTENV-SECRET\n").unwrap();
    fs::create_dir_all(f.ws.join(".config")).unwrap();
    fs::write(f.ws.join(".config/tool.toml"), "DOT-DIR-SECRET\n").unwrap();
    fs::write(f.ws.join("visible.txt"), "VISIBLE\n").unwrap();
    let git = git_in(&f, &f.ws, &["init", "-q"]);
    assert!(git.status.success(), "{}", text(&git.stderr));
    let script = "cat .env .config/tool.toml visible.txt 2>/dev/null; \
        test -f .git/HEAD && echo GIT-OK; \
        echo 'export X=1' > .envrc 2>/dev/null; \
        mkdir -p sub/.vscode 2>/dev/null && echo '{}' > sub/.vscode/tasks.json; \
        ln -s visible.txt made-link 2>/dev/null && echo LINK-MADE; \
        ln -s .env made-link2 2>/dev/null; exit 0";
    let p = flag_policy(&f, r#"["~/.ssh"]"#, false, false);
    let (out, rep) = f.sh(&p, script);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for secret in ["DOTENV-SECRET", "DOT-DIR-SECRET", "LINK-MADE"] {
        assert!(!said.contains(secret), "{secret}: {}", describe(&out, &rep));
    }
    assert!(
        said.contains("VISIBLE") && said.contains("GIT-OK"),
        "{}",
        describe(&out, &rep)
    );
    for gone in [".envrc", "sub/.vscode", "made-link", "made-link2"] {
        assert!(
            fs::symlink_metadata(f.ws.join(gone)).is_err(),
            "{gone} left: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(
        fs::read_to_string(f.ws.join(".env")).unwrap(),
        "DOTENV-SECRET\n"
    );
    // Both true: as before.
    fs::remove_dir_all(f.ws.join("sub")).unwrap();
    let p = flag_policy(&f, r#"["~/.ssh"]"#, true, true);
    let (out, rep) = f.sh(&p, script);
    let said = text(&out.stdout);
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for shown in ["DOTENV-SECRET", "DOT-DIR-SECRET", "LINK-MADE", "GIT-OK"] {
        assert!(said.contains(shown), "{shown}: {}", describe(&out, &rep));
    }
    for kept in [".envrc", "sub/.vscode/tasks.json", "made-link"] {
        assert!(
            fs::symlink_metadata(f.ws.join(kept)).is_ok(),
            "{kept}: {}",
            describe(&out, &rep)
        );
    }
}

/// exec15 H8: a symbolic link the run leaves in the working tree (an
/// ignored `build/` included) leading outside the writable trees, to a
/// file the caller can change or create, is moved aside and listed: the
/// user's next build would write through `build/run.log -> ~/.bashrc`.
/// Links inside the trees (`node_modules/.bin`), links from before the
/// run, and links to places the caller cannot write stay.
#[test]
fn links_the_run_leaves_that_lead_outside_the_writable_trees_are_moved_aside() {
    let f = Fixture::new();
    let victim = f.outside.join("victim");
    fs::write(&victim, "USER-FILE\n").unwrap();
    fs::create_dir_all(f.ws.join("logs")).unwrap();
    std::os::unix::fs::symlink(&victim, f.ws.join("old-link")).unwrap();
    let o = f.outside.display();
    let script = format!(
        "mkdir -p build node_modules/.bin node_modules/pkg && touch node_modules/pkg/cli.js && \
         ln -s {o}/victim build/run.log && ln -s {o}/victim logs/out.log && \
         ln -s {o} build/outdir && ln -s {o}/new-file build/dangling && \
         ln -s {o}/missing/x build/nowhere && ln -s ../pkg/cli.js node_modules/.bin/tool && \
         ln -s /proc/self/fd/1 build/fd && ln -s /bin/sh build/python && \
         ln -s /dev/null build/null && echo done"
    );
    let (out, rep) = f.sh(&f.offline(), &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let is_link =
        |rel: &str| fs::symlink_metadata(f.ws.join(rel)).is_ok_and(|m| m.file_type().is_symlink());
    let moved = quarantined_with_reasons(&rep);
    for rel in [
        "build/run.log",
        "logs/out.log",
        "build/outdir",
        "build/dangling",
        "build/fd",
    ] {
        assert!(!is_link(rel), "{rel} left: {}", describe(&out, &rep));
        let at = f.ws.join(rel).display().to_string();
        assert!(
            moved
                .iter()
                .any(|(p, why)| *p == at && why.contains("outside the writable trees")),
            "{rel} not listed: {}",
            describe(&out, &rep)
        );
    }
    for rel in [
        "node_modules/.bin/tool",
        "old-link",
        "build/nowhere",
        "build/null",
    ] {
        assert!(is_link(rel), "{rel} moved: {}", describe(&out, &rep));
    }
    // `/bin/sh` is the system's: as root the caller could change it (moved
    // aside), as a user not (kept).
    let root = unsafe { libc::geteuid() } == 0;
    assert_eq!(is_link("build/python"), !root, "{}", describe(&out, &rep));
    // The user's next build writes a new file, not through the link.
    fs::write(f.ws.join("build/run.log"), "BUILD OUTPUT\n").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "USER-FILE\n");
}

/// The symbolic links below `dir`, found by `find` (it walks by
/// descriptors, so paths longer than PATH_MAX are listed too), as paths
/// relative to `dir`.
fn links_below(dir: &Path) -> Vec<String> {
    let out = Command::new("find")
        .arg(".")
        .args(["-type", "l", "-print"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "find: {}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_string).collect()
}

/// A link the run leaves deep in an ignored `build/`, to a file the caller
/// can change outside the writable trees: at a path longer than PATH_MAX
/// (a directory path under it and a 254-byte name), and in a directory
/// whose own path is longer than PATH_MAX. A tool writing at the name from
/// its directory (`make -C`, `find -execdir`) would write the outside file.
/// Mechanism: the sweep resolves links from directory descriptors, and a
/// link it cannot resolve is moved aside all the same (it fails closed).
#[test]
fn links_deeper_than_path_max_are_judged_and_moved_aside() {
    let f = Fixture::new();
    let victim = f.outside.join("victim");
    fs::write(&victim, "USER-FILE\n").unwrap();
    let v = victim.display();
    let script = format!(
        "N=$(printf 'd%.0s' $(seq 1 240)); L=$(printf 'l%.0s' $(seq 1 250)); \
         mkdir -p build && cd build || exit 1; \
         for i in $(seq 1 18); do mkdir \"$N$i\" && cd \"$N$i\" || exit 1; \
           if [ $i = 16 ]; then ln -s {v} \"$L.log\" || exit 1; fi; done; \
         ln -s {v} deep.log || exit 1; exit 0"
    );
    // bash: dash's `cd` fails past PATH_MAX.
    let (out, rep) = f.run_with(&f.offline(), &[], &["/bin/bash", "-c", &script], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
    let links = links_below(&f.ws.join("build"));
    assert_eq!(links.len(), 2, "{links:?}: {}", describe(&out, &rep));
    for l in &links {
        assert!(
            l.contains(".ku0-quarantine-"),
            "{l} left in place: {}",
            describe(&out, &rep)
        );
    }
    let moved = quarantined_with_reasons(&rep);
    for name in ["l.log", "deep.log"] {
        assert!(
            moved.iter().any(|(p, why)| p.ends_with(name)
                && (why.contains("outside the writable trees")
                    || why.contains("could not be resolved"))),
            "{name} not listed: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(fs::read_to_string(&victim).unwrap(), "USER-FILE\n");
}

/// A link the run leaves in an ignored `build/` leading to what is
/// read-only during the run because the user's tools run it: the hooks
/// directory `core.hooksPath` names in the working tree (husky's
/// `.husky/_`), the `bin` of the virtualenv on the caller's PATH,
/// `node_modules/.bin` on the caller's PATH. The user's next build writes
/// its log at the link's name; the next `git commit`, `pip`, `lint` would
/// run it. Mechanism: a link the run made that leads to anything the plan
/// keeps read-only in the writable trees is moved aside.
#[test]
fn links_the_run_leaves_into_what_the_users_tools_run_are_moved_aside() {
    use std::os::unix::fs::PermissionsExt;
    for variant in ["husky", "venv", "node"] {
        let f = Fixture::new();
        let (planted, marker) = outside_marker_script(&f);
        let payload = format!("#!/bin/sh\nexec {}\n", planted.display());
        fs::write(f.ws.join(".gitignore"), "build/\n.venv/\nnode_modules/\n").unwrap();
        let (target, path_entry) = match variant {
            "husky" => {
                fs::create_dir_all(f.ws.join(".husky/_")).unwrap();
                fs::write(f.ws.join(".husky/_/.gitignore"), "*\n").unwrap();
                (".husky/_/pre-commit", None)
            }
            "venv" => {
                fs::create_dir_all(f.ws.join(".venv/bin")).unwrap();
                fs::write(f.ws.join(".venv/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
                (".venv/bin/pip", Some(f.ws.join(".venv/bin")))
            }
            _ => {
                fs::create_dir_all(f.ws.join("node_modules/.bin")).unwrap();
                (
                    "node_modules/.bin/lint",
                    Some(f.ws.join("node_modules/.bin")),
                )
            }
        };
        let tool = f.ws.join(target);
        fs::write(&tool, "#!/bin/sh\nexit 0\n").unwrap();
        fs::set_permissions(&tool, fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(f.ws.join("a.txt"), "a\n").unwrap();
        git_ok(&f, &f.ws, &["init", "-q", "-b", "main"]);
        if variant == "husky" {
            git_ok(&f, &f.ws, &["config", "core.hooksPath", ".husky/_"]);
        }
        git_ok(&f, &f.ws, &["add", "a.txt", ".gitignore"]);
        git_ok(&f, &f.ws, &["commit", "-q", "-m", "i"]);
        let path = match &path_entry {
            Some(d) => format!("{}:/usr/bin:/bin", d.display()),
            None => "/usr/bin:/bin".to_string(),
        };
        let script = format!(
            "mkdir -p build && ln -s ../{target} build/test.log; \
             echo probe > build/test.log; exit 0"
        );
        let venv = f.ws.join(".venv").display().to_string();
        let mut envs = vec![("PATH", path.as_str())];
        if variant == "venv" {
            envs.push(("VIRTUAL_ENV", &venv));
        }
        let (out, rep) = f.run_with(&f.offline(), &[], &["/bin/sh", "-c", &script], &envs);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{variant}: {}",
            describe(&out, &rep)
        );
        assert_eq!(
            fs::read_to_string(&tool).unwrap(),
            "#!/bin/sh\nexit 0\n",
            "{variant}: changed during the run"
        );
        let log = f.ws.join("build/test.log");
        assert!(
            !fs::symlink_metadata(&log).is_ok_and(|m| m.file_type().is_symlink()),
            "{variant}: link left: {}",
            describe(&out, &rep)
        );
        let at = log.display().to_string();
        assert!(
            quarantined_with_reasons(&rep)
                .iter()
                .any(|(p, why)| *p == at && why.contains("read-only during the run")),
            "{variant}: not listed: {}",
            describe(&out, &rep)
        );
        // The user's next build writes its log; then the next ordinary
        // command runs the tool.
        fs::write(&log, &payload).unwrap();
        if variant == "husky" {
            fs::write(f.ws.join("a.txt"), "b\n").unwrap();
            let _ = git_in(&f, &f.ws, &["commit", "-q", "-am", "next"]);
        } else {
            let _ = Command::new(&tool).output();
        }
        assert!(!marker.exists(), "{variant}: planted code ran: {rep}");
        assert_eq!(fs::read_to_string(&tool).unwrap(), "#!/bin/sh\nexit 0\n");
    }
}

/// exec15 H10: a blocked glob (`./**/*.pem`) covers what the guard's
/// matcher refuses through links: files reached through a directory link
/// below the pattern's literal part (`certs -> ../elsewhere/certs`), hidden
/// at their real paths, and what a link whose name matches leads to
/// (`tls.pem -> ../elsewhere/server.key`).
#[test]
fn blocked_globs_cover_what_links_below_their_literal_part_reach() {
    let f = Fixture::new();
    let elsewhere = f.root.join("elsewhere");
    fs::create_dir_all(elsewhere.join("certs")).unwrap();
    fs::write(elsewhere.join("certs/server.pem"), "PEM-OUTSIDE\n").unwrap();
    fs::write(elsewhere.join("certs/readme.txt"), "README-OUTSIDE\n").unwrap();
    fs::write(elsewhere.join("server.key"), "KEY-BEHIND-PEM-LINK\n").unwrap();
    fs::create_dir_all(f.ws.join("keys")).unwrap();
    fs::write(f.ws.join("keys/client.pem"), "PEM-INSIDE\n").unwrap();
    std::os::unix::fs::symlink("../elsewhere/certs", f.ws.join("certs")).unwrap();
    std::os::unix::fs::symlink("../elsewhere/server.key", f.ws.join("tls.pem")).unwrap();
    let p = flag_policy(&f, r#"["~/.ssh", "./**/*.pem"]"#, true, true);
    let s = elsewhere.display();
    let script = format!(
        "for x in keys/client.pem tls.pem certs/server.pem {s}/certs/server.pem {s}/server.key certs/readme.txt; do cat $x 2>/dev/null; done; exit 0"
    );
    let (out, rep) = f.sh(&p, &script);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for secret in ["PEM-INSIDE", "PEM-OUTSIDE", "KEY-BEHIND-PEM-LINK"] {
        assert!(!said.contains(secret), "{secret}: {}", describe(&out, &rep));
    }
    assert!(said.contains("README-OUTSIDE"), "{}", describe(&out, &rep));
}

/// A credential store named with an abbreviated option (exec15 H4):
/// git's option parser takes any unambiguous prefix of a long option, so
/// `credential.helper = store --fil ~/.creds-abbrev` (and `--fi=PATH`,
/// `--f PATH`) names the same store as `--file`, which the helper read
/// only when spelled out: the store was readable, the run full. Mechanism:
/// the store's options are read as git's parse-options reads them.
#[test]
fn credential_stores_named_with_an_abbreviated_option_are_hidden() {
    let f = Fixture::new();
    let h = f.home.display().to_string();
    let stores = [
        ("creds-abbrev", "--fil ~/"),
        ("creds-fi", "--fi=$HOME/"),
        ("creds-f", "--f ~/"),
    ];
    let mut config = String::new();
    let mut script = String::new();
    for (i, (name, option)) in stores.iter().enumerate() {
        fs::write(
            f.home.join(name),
            format!("https://u:TOKEN-{name}@example.com\n"),
        )
        .unwrap();
        config.push_str(&format!(
            "[credential \"https://h{i}.example\"]\n\thelper = store {option}{name}\n"
        ));
        script.push_str(&format!("cat {h}/{name}; "));
    }
    script.push_str("exit 0");
    let (out, rep) = run_with_global_config(&f, "", &[], &[], &script);
    assert!(
        text(&out.stdout).contains("TOKEN-creds-abbrev"),
        "the fixture's store is not readable: {}",
        describe(&out, &rep)
    );
    let (out, rep) = run_with_global_config(&f, &config, &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for (name, _) in stores {
        assert!(
            !text(&out.stdout).contains(&format!("TOKEN-{name}")),
            "{name}: {}",
            describe(&out, &rep)
        );
    }
}

/// Credential stores moved by variables the helper did not read (exec15
/// H6): `GOOGLE_APPLICATION_CREDENTIALS`, `S3CMD_CONFIG`, `GLAB_CONFIG_DIR`,
/// `HUB_CONFIG`, `TF_CLI_CONFIG_FILE`, `AWS_WEB_IDENTITY_TOKEN_FILE` in the
/// caller's environment name files outside every writable tree; each was
/// readable, the run full. So were the files of any other variable whose
/// name says it holds a secret (`SOPS_AGE_KEY_FILE`, an application's
/// `..._TOKEN_FILE`). Mechanism: the table of variables that move a
/// protected store is completed from the tools' manuals, and what a
/// variable the scrub takes for a secret by its name names is hidden like
/// a store; a system file every account reads (a trust bundle) is not.
#[test]
fn files_named_by_the_callers_secret_variables_are_hidden() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let keys = f.outside.join("keys");
    fs::create_dir_all(keys.join("glab")).unwrap();
    fs::set_permissions(&keys, fs::Permissions::from_mode(0o700)).unwrap();
    let vars = [
        ("GOOGLE_APPLICATION_CREDENTIALS", "sa.json"),
        ("S3CMD_CONFIG", "s3cfg"),
        ("GLAB_CONFIG_DIR", "glab"),
        ("HUB_CONFIG", "hub"),
        ("TF_CLI_CONFIG_FILE", "terraformrc"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "web-identity"),
        ("SOPS_AGE_KEY_FILE", "age.txt"),
        ("MYAPP_API_TOKEN_FILE", "myapp"),
    ];
    let mut script = String::new();
    let mut envs: Vec<(String, String)> = Vec::new();
    for (var, name) in vars {
        let p = keys.join(name);
        let file = if var == "GLAB_CONFIG_DIR" {
            p.join("config.yml")
        } else {
            p.clone()
        };
        fs::write(&file, format!("TOKEN-{var}\n")).unwrap();
        script.push_str(&format!("cat {}; ", file.display()));
        envs.push((var.to_string(), p.display().to_string()));
    }
    // A public system file a secret-looking variable names stays readable.
    script.push_str("head -c 5 /etc/passwd; exit 0");
    envs.push(("SSL_CERT_FILE".into(), "/etc/passwd".into()));
    let p = f.offline();
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let (out, rep) = f.run_with(&p, &[], &cmd, &[]);
    assert!(
        text(&out.stdout).contains("TOKEN-GOOGLE_APPLICATION_CREDENTIALS"),
        "the fixture's files are not readable: {}",
        describe(&out, &rep)
    );
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for (var, _) in vars {
        assert!(
            !text(&out.stdout).contains(&format!("TOKEN-{var}")),
            "{var}: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        text(&out.stdout).contains("root:"),
        "/etc/passwd was hidden: {}",
        describe(&out, &rep)
    );
}

/// Bytecode the interpreter runs instead of the reviewed source (exec15
/// H3, H3b): the command wrote `src/__pycache__/app.cpython-311.pyc`
/// (stamped with the unchanged `src/app.py`'s time and size, which is all
/// CPython checks) and a bare `json.pyc` beside the project's script (a
/// source-less module that shadows the standard one); both stayed, git
/// shows neither (ignored), and the user's next `python3 run.py` ran them.
/// Mechanism: after the run, the bytecode files the run wrote or changed
/// in the writable trees are removed (Python compiles them again); one
/// from before the run stays.
#[test]
fn bytecode_the_run_writes_is_removed_after_it() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("src/__pycache__")).unwrap();
    fs::write(f.ws.join("src/app.py"), "print('hello')\n").unwrap();
    fs::write(f.ws.join("run.py"), "import json, app\n").unwrap();
    let before = f.ws.join("src/__pycache__/util.cpython-311.pyc");
    fs::write(&before, "BEFORE").unwrap();
    let changed = f.ws.join("src/__pycache__/old.cpython-311.pyc");
    fs::write(&changed, "OLD").unwrap();
    let p = f.offline();
    let script = "printf PAYLOAD > src/__pycache__/app.cpython-311.pyc; \
                  printf PAYLOAD > json.pyc; mkdir -p lib && printf PAYLOAD > lib/m.pyo; \
                  printf PAYLOAD >> src/__pycache__/old.cpython-311.pyc; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for name in [
        "src/__pycache__/app.cpython-311.pyc",
        "json.pyc",
        "lib/m.pyo",
        "src/__pycache__/old.cpython-311.pyc",
    ] {
        assert!(
            fs::symlink_metadata(f.ws.join(name)).is_err(),
            "{name} stayed: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(fs::read_to_string(&before).unwrap(), "BEFORE");
    assert_eq!(
        fs::read_to_string(f.ws.join("src/app.py")).unwrap(),
        "print('hello')\n"
    );
    assert!(
        rep["notes"].to_string().contains("bytecode"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec28 06: the run planted bytecode for `pkg/__init__.py`, widened a
/// tracked file's mode, and left in an ignored `build/` hundreds of links
/// into the bottom of a chain of thousands of directories. Judging where
/// each link leads looked up every prefix of its target by full path
/// (quadratic in the depth, about a second a link), with no bound, ahead
/// of the bytecode removal and the permission repair: the caller's
/// deadline killed the helper before them, and the user's next
/// `python3` ran the plant. Mechanism: links are resolved from directory
/// descriptors (linear in the depth), the sweep's time-bounded steps share
/// one deadline (past it a link is moved aside unjudged), and the removal
/// and repair always run.
#[test]
fn links_into_a_deep_chain_do_not_stall_the_sweep_after_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("pkg")).unwrap();
    fs::write(f.ws.join("pkg/__init__.py"), "X = 1\n").unwrap();
    fs::write(f.ws.join("x.py"), "import pkg\n").unwrap();
    fs::write(f.ws.join("Makefile"), "all:\n\ttrue\n").unwrap();
    fs::set_permissions(f.ws.join("Makefile"), fs::Permissions::from_mode(0o644)).unwrap();
    let p = f.offline();
    let script =
        "mkdir -p pkg/__pycache__ && printf PAYLOAD > pkg/__pycache__/__init__.cpython-311.pyc; \
        chmod 0666 Makefile; mkdir -p build/c build/l && cd build/c || exit 3; \
        p=.; i=0; while [ $i -lt 1800 ]; do p=$p/d; i=$((i+1)); done; \
        mkdir -p \"$p\" && : > \"$p/f\" || exit 4; t=${p#./}/f; \
        i=0; while [ $i -lt 400 ]; do ln -s \"../c/$t\" ../l/$i.log; i=$((i+1)); done; \
        echo made; exit 0";
    let t = std::time::Instant::now();
    let (out, rep) = f.sh(&p, script);
    let took = t.elapsed();
    assert!(
        text(&out.stdout).contains("made"),
        "{}",
        describe(&out, &rep)
    );
    // Well within the grace the Java API gives the helper past the time
    // limit (10 s, then SIGTERM and 30 s more).
    assert!(
        took < std::time::Duration::from_secs(25),
        "{took:?}: {}",
        describe(&out, &rep)
    );
    assert!(
        fs::symlink_metadata(f.ws.join("pkg/__pycache__/__init__.cpython-311.pyc")).is_err(),
        "the planted bytecode stayed: {}",
        describe(&out, &rep)
    );
    let mode = fs::metadata(f.ws.join("Makefile"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o022, 0, "{mode:o}: {}", describe(&out, &rep));
    // The links lead inside the workspace: judged, and left.
    assert!(
        fs::symlink_metadata(f.ws.join("build/l/399.log"))
            .is_ok_and(|m| m.file_type().is_symlink()),
        "{}",
        describe(&out, &rep)
    );
}

/// exec28 10: the run made `build/test.log` (ignored) a second name of
/// the tracked `Makefile` (`ln -f Makefile build/test.log`); the user's
/// next `make test` (`python3 x.py | tee build/test.log`) wrote its output
/// into the `Makefile`. Mechanism: after the run, a name the run gave to a
/// file that existed before it is removed (the older name keeps the data);
/// names of files the run made, and hard links from before the run, stay.
#[test]
fn a_hard_link_the_run_makes_to_an_older_file_is_removed() {
    let f = Fixture::new();
    let makefile = "test:\n\tpython3 x.py | tee build/test.log\n";
    fs::write(f.ws.join("Makefile"), makefile).unwrap();
    fs::create_dir_all(f.ws.join("build")).unwrap();
    fs::write(f.ws.join("notes.txt"), "notes\n").unwrap();
    fs::hard_link(f.ws.join("notes.txt"), f.ws.join("build/notes.bak")).unwrap();
    // Older than the run by its birth time, whatever the clock's grain.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let p = f.offline();
    let script = "ln -f Makefile build/test.log && ln notes.txt build/notes.again && \
        echo own > build/a && ln build/a build/b && chmod 0600 notes.txt && echo made; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("made"),
        "{}",
        describe(&out, &rep)
    );
    for gone in ["build/test.log", "build/notes.again"] {
        assert!(
            fs::symlink_metadata(f.ws.join(gone)).is_err(),
            "{gone} stayed: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(nlink(&f.ws.join("Makefile")), 1, "{}", describe(&out, &rep));
    // The run's own file with two names, and the user's link, stay.
    assert_eq!(nlink(&f.ws.join("build/a")), 2, "{}", describe(&out, &rep));
    assert_eq!(
        nlink(&f.ws.join("build/notes.bak")),
        2,
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["notes"].to_string().contains("build/test.log"),
        "{}",
        describe(&out, &rep)
    );
    // The user's next build writes its log, not the Makefile.
    fs::write(f.ws.join("build/test.log"), "hello 1\n").unwrap();
    assert_eq!(fs::read_to_string(f.ws.join("Makefile")).unwrap(), makefile);
}

/// exec15 H1: the run changes the tracked `Makefile` and rewrites its
/// index entry with the original blob id and the changed file's stat data
/// (no mark): git trusts the stat data, never reads the file again, and
/// `git status`, `git diff` and `git ls-files -v` show nothing. Mechanism:
/// the sweep smudges the stat data of entries claiming the run's times in
/// an index written during the run (git's own racy smudge), so git hashes
/// the file again.
#[test]
fn index_stat_data_copied_from_a_changed_file_is_smudged() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "two"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let forge = f.root.join("forge.py");
    fs::write(
        &forge,
        r#"import hashlib, os, struct, subprocess
open("Makefile", "a").write("\tCHANGED\n")
t = os.stat("Makefile").st_mtime - 60
os.utime("Makefile", (t, t))
data = bytearray(open(".git/index", "rb").read())
n = struct.unpack(">I", data[8:12])[0]
off, st = 12, os.lstat("Makefile")
for _ in range(n):
    nlen = struct.unpack(">H", data[off + 60:off + 62])[0] & 0xfff
    if bytes(data[off + 62:off + 62 + nlen]) == b"Makefile":
        struct.pack_into(">6I", data, off, int(st.st_ctime), st.st_ctime_ns % 10**9,
                         int(st.st_mtime), st.st_mtime_ns % 10**9,
                         st.st_dev & 0xffffffff, st.st_ino & 0xffffffff)
        struct.pack_into(">3I", data, off + 28, st.st_uid, st.st_gid, st.st_size)
    off += (62 + nlen + 8) // 8 * 8
body = bytes(data[:-20])
open(".git/index.new", "wb").write(body + hashlib.sha1(body).digest())
os.rename(".git/index.new", ".git/index")
out = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout
print("status inside: [" + out.strip() + "]")
"#,
    )
    .unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, &format!("python3 {}", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("status inside: []"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(
        text(&status.stdout),
        " M Makefile\n",
        "{}",
        describe(&out, &rep)
    );
}

/// exec15 H7: the run rewrites the loose object of the tracked `Makefile`'s
/// blob under its own id (H7), or adds a pack holding other content under
/// that id (git looks in packs first); nothing shows in `git status`, but
/// the user's next `git checkout -- Makefile` writes the run's content,
/// also in a linked worktree outside the workspace that shares the objects
/// (H7b). Mechanism: the sweep hashes every loose object and pack (with its
/// index) written or replaced during the run and moves aside what does not
/// hash to its id. An ordinary run (commit, `git gc`) stays `full` with
/// nothing moved aside.
#[test]
fn objects_the_run_rewrote_under_their_own_ids_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    let feature = f.outside.join("feature");
    let feature_s = feature.display().to_string();
    for args in [
        &["add", "."][..],
        &["commit", "-q", "-m", "two"][..],
        &["worktree", "add", "-q", "-b", "feature", &feature_s][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let forge = f.root.join("forge.py");
    fs::write(
        &forge,
        r#"import hashlib, os, struct, subprocess, sys, zlib
def git(*a):
    return subprocess.run(["git", *a], check=True, capture_output=True).stdout
oid = git("rev-parse", "HEAD:Makefile").decode().strip()
body = b"lint:\n\tCHANGED\n"
if sys.argv[1] == "loose":
    p = ".git/objects/%s/%s" % (oid[:2], oid[2:])
    open(p + ".tmp", "wb").write(zlib.compress(b"blob %d\0" % len(body) + body))
    os.replace(p + ".tmp", p)
else:
    head = bytes([(3 << 4) | (len(body) & 15) | 0x80, len(body) >> 4])
    pack = b"PACK" + struct.pack(">II", 2, 1) + head + zlib.compress(body)
    pack += hashlib.sha1(pack).digest()
    raw = bytes.fromhex(oid)
    fan = b"".join(struct.pack(">I", 1 if b >= raw[0] else 0) for b in range(256))
    idx = b"\xfftOc" + struct.pack(">I", 2) + fan + raw
    idx += struct.pack(">II", zlib.crc32(pack[12:-20]), 12) + pack[-20:]
    idx += hashlib.sha1(idx).digest()
    name = ".git/objects/pack/pack-" + pack[-20:].hex()
    open(name + ".pack", "wb").write(pack)
    open(name + ".idx", "wb").write(idx)
    # git looks in the youngest pack first.
    t = os.stat(name + ".pack").st_mtime + 100
    os.utime(name + ".pack", (t, t))
print("inside: [" + git("cat-file", "blob", oid).decode() + "]")
"#,
    )
    .unwrap();
    let p = f.offline();
    let checkout = |dir: &Path| {
        fs::write(dir.join("Makefile"), "edited\n").unwrap();
        let _ = git_in(f, dir, &["checkout", "--", "Makefile"]);
        fs::read_to_string(dir.join("Makefile")).unwrap_or_default()
    };
    // The loose object.
    let (out, rep) = f.sh(&p, &format!("python3 {} loose", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("CHANGED"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let moved = rep["git_quarantined"].to_string();
    assert!(moved.contains("is not what its id names"), "{moved}");
    for dir in [&f.ws, &feature] {
        assert!(
            !checkout(dir).contains("CHANGED"),
            "{}",
            describe(&out, &rep)
        );
    }
    // The user puts the object back (from the file), as `git fetch` would.
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    let out = git_in(f, &f.ws, &["hash-object", "-w", "Makefile"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // An ordinary run: commit and pack; full, nothing moved aside.
    let (out, rep) = f.sh(
        &p,
        "echo more >> README && git add README && \
         git -c user.name=u -c user.email=u@e commit -q -m three && git gc -q",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        rep["git_quarantined"],
        serde_json::json!([]),
        "{}",
        describe(&out, &rep)
    );
    let fsck = git_in(f, &f.ws, &["fsck", "--full"]);
    assert!(fsck.status.success(), "{}", text(&fsck.stderr));
    // A pack with other content under the blob's id.
    let (out, rep) = f.sh(&p, &format!("python3 {} pack", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("CHANGED"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let moved = rep["git_quarantined"].to_string();
    assert!(moved.contains(".idx"), "{moved}");
    for dir in [&f.ws, &feature] {
        assert_eq!(checkout(dir), "lint:\n\ttrue\n", "{}", describe(&out, &rep));
    }
}

/// exec15 H7b's index form: the run records its own blob for `Makefile`
/// in an index, keeping the stat data of the unchanged file, and commits
/// it; `git status` and `git diff` show nothing (the file on disk is the
/// old one, index and `HEAD` name the run's), and the user's next `git
/// stash` or `reset --hard` writes the run's content (in a linked worktree
/// outside the workspace too, whose index lies in the workspace).
/// Mechanism: the sweep smudges the stat data of every entry that names
/// another object than before the run, so git compares the file again.
#[test]
fn index_entries_the_run_pointed_at_other_objects_are_smudged() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    // Older than the index, out of the way of git's racy check.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(f.ws.join("Makefile"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "two"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let forge = f.root.join("forge.py");
    fs::write(
        &forge,
        r#"import hashlib, struct, subprocess
def git(*a, i=None):
    return subprocess.run(["git", *a], input=i, check=True, capture_output=True).stdout
oid = bytes.fromhex(git("hash-object", "-w", "--stdin", i=b"lint:\n\tCHANGED\n").decode().strip())
data = bytearray(open(".git/index", "rb").read())
n = struct.unpack(">I", data[8:12])[0]
off = 12
for _ in range(n):
    nlen = struct.unpack(">H", data[off + 60:off + 62])[0] & 0xfff
    if bytes(data[off + 62:off + 62 + nlen]) == b"Makefile":
        data[off + 40:off + 60] = oid
    off += (62 + nlen + 8) // 8 * 8
body = bytes(data[:off])  # without the cache tree, which still names the old tree
open(".git/index.new", "wb").write(body + hashlib.sha1(body).digest())
import os
os.rename(".git/index.new", ".git/index")
git("-c", "user.name=u", "-c", "user.email=u@e", "commit", "-q", "-m", "three")
print("status inside: [" + git("status", "--porcelain").decode().strip() + "]")
"#,
    )
    .unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, &format!("python3 {}", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("status inside: []"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(
        text(&status.stdout),
        " M Makefile\n",
        "{}",
        describe(&out, &rep)
    );
}

/// exec15 H7 through `objects/info/alternates`: the user's repository
/// borrows objects from a store in the workspace that is no git dir of its
/// own (`git clone --shared`, `--reference`); the run rewrites the
/// `Makefile`'s blob there. Mechanism: the sweep verifies the stores a
/// repository's alternates name, as its own.
#[test]
fn objects_rewritten_in_a_store_the_alternates_borrow_from_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "two"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let oid = text(&git_in(f, &f.ws, &["rev-parse", "HEAD:Makefile"]).stdout);
    let oid = oid.trim();
    // The blob lives only in the borrowed store.
    let store = f.ws.join("vendor/objects");
    let rel = format!("{}/{}", &oid[..2], &oid[2..]);
    fs::create_dir_all(store.join(&oid[..2])).unwrap();
    fs::rename(f.ws.join(".git/objects").join(&rel), store.join(&rel)).unwrap();
    fs::write(
        f.ws.join(".git/objects/info/alternates"),
        format!("{}\n", store.display()),
    )
    .unwrap();
    let forge = f.root.join("forge.py");
    fs::write(
        &forge,
        format!(
            r#"import os, zlib
body = b"lint:\n\tCHANGED\n"
p = "vendor/objects/{rel}"
open(p + ".tmp", "wb").write(zlib.compress(b"blob %d\0" % len(body) + body))
os.replace(p + ".tmp", p)
"#
        ),
    )
    .unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, &format!("python3 {}", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    fs::write(f.ws.join("Makefile"), "edited\n").unwrap();
    let _ = git_in(f, &f.ws, &["checkout", "--", "Makefile"]);
    let now = fs::read_to_string(f.ws.join("Makefile")).unwrap_or_default();
    assert!(!now.contains("CHANGED"), "{}", describe(&out, &rep));
    assert!(
        rep["git_quarantined"]
            .to_string()
            .contains("vendor/objects"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec16 H6: secret files the global git configuration names outside
/// `credential.helper` (`http.cookieFile`, `http.<url>.sslKey`,
/// `user.signingKey` as a path, the `-i` key of `core.sshCommand`) were
/// only kept read-only, and the command read them. Mechanism: they are
/// hidden like the credential stores the configuration names; the run
/// stays full.
#[test]
fn secret_files_the_global_git_configuration_names_are_hidden() {
    let f = Fixture::new();
    let secrets = [
        (".gitcookies", "FAKE-GERRIT-COOKIE"),
        ("certs/client.key", "FAKE-CLIENT-KEY"),
        ("keys/id_sign", "FAKE-SSH-SIGNING-KEY"),
        ("keys/deploy_key", "FAKE-SSH-DEPLOY-KEY"),
    ];
    for (name, token) in secrets {
        let p = f.home.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, format!("{token}\n")).unwrap();
    }
    let config = "[http]\n\tcookieFile = ~/.gitcookies\n\
                  [http \"https://git.corp.example\"]\n\tsslKey = ~/certs/client.key\n\
                  [user]\n\tsigningKey = ~/keys/id_sign\n[gpg]\n\tformat = ssh\n\
                  [core]\n\tsshCommand = ssh -i ~/keys/deploy_key -o IdentitiesOnly=yes\n";
    let h = f.home.display();
    let script = secrets
        .iter()
        .map(|(name, _)| format!("cat {h}/{name} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let (out, rep) = run_with_global_config(&f, config, &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for (_, token) in secrets {
        assert!(
            !text(&out.stdout).contains(token),
            "{token}: {}",
            describe(&out, &rep)
        );
    }
    // The same key given in the environment's git configuration.
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let params = format!("'http.cookieFile'='{h}/.gitcookies'");
    let home = f.home.to_str().unwrap();
    let envs = [("HOME", home), ("GIT_CONFIG_PARAMETERS", params.as_str())];
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script.as_str()], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("FAKE-GERRIT-COOKIE"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec16 H4: variables of the caller's environment through which later
/// programs load code or configuration that the table did not hold:
/// `MAKEFILES` (every make), `OPENSSL_CONF` (every OpenSSL user loads the
/// providers it names), `PROMPT_COMMAND` (every interactive bash),
/// `RUSTC_WRAPPER`, `GCONV_PATH`, `CARGO_HOME`, `GOENV`, `IPYTHONDIR`
/// naming files of the workspace. Mechanism: each is judged with the
/// others (a gap naming the variable; with `--allow-degraded` what it
/// names is kept read-only); the same variables outside the writable
/// trees stay full.
#[test]
fn more_variables_through_which_later_programs_load_code_are_judged() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let files = [
        "dot/common.mk",
        "dot/openssl.cnf",
        "dot/prompt.sh",
        "dot/rustc-wrapper",
        "dot/gconv/gconv-modules",
        "dot/cargo/config.toml",
        "dot/go.env",
        "dot/ipython/profile_default/startup/a.py",
    ];
    for name in files {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    let home = f.home.to_str().unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("MAKEFILES", w("dot/common.mk")),
        ("OPENSSL_CONF", w("dot/openssl.cnf")),
        ("PROMPT_COMMAND", w("dot/prompt.sh")),
        ("RUSTC_WRAPPER", w("dot/rustc-wrapper")),
        ("GCONV_PATH", w("dot/gconv")),
        ("CARGO_HOME", w("dot/cargo")),
        ("GOENV", w("dot/go.env")),
        ("IPYTHONDIR", w("dot/ipython")),
    ];
    let script = files
        .iter()
        .map(|n| format!("echo CHANGED >> {n} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let envs = [("HOME", home), (*k, v.as_str())];
        let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let mut envs = vec![("HOME", home)];
    envs.extend(cases.iter().map(|(k, v)| (*k, v.as_str())));
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in files {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    let outside = [
        ("HOME", home),
        ("MAKEFILES", "/usr/share/make/site.mk"),
        ("OPENSSL_CONF", "/etc/ssl/openssl.cnf"),
        ("PROMPT_COMMAND", "history -a"),
        ("RUSTC_WRAPPER", "sccache"),
        ("CARGO_HOME", "/usr/local/cargo"),
        ("GOENV", "off"),
    ];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &outside);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec16 H3: a credential store named through a git alias
/// (`credential.helper = !git mystore`), inside `!sh -c '…'`, or through
/// `git -c alias.X=…` on the helper line was readable, the word scan not
/// reaching it. Mechanism: a `!` helper line that runs a shell given a
/// command line or a git command that is no `credential-*` helper is a
/// gap naming the key; helper lines the scan reads stay full.
#[test]
fn credential_stores_named_through_an_alias_or_a_shell_are_a_gap() {
    let f = Fixture::new();
    fs::write(
        f.home.join(".creds-alias"),
        "https://u:TOKEN-ALIAS@example.com\n",
    )
    .unwrap();
    let h = f.home.display();
    let script = format!("cat {h}/.creds-alias; exit 0");
    let configs = [
        (
            format!(
                "[credential \"https://alias.example\"]\n\thelper = !git mystore\n\
                 [alias]\n\tmystore = credential-store --file {h}/.creds-alias\n"
            ),
            "!git mystore",
        ),
        (
            format!(
                "[credential \"https://shc.example\"]\n\thelper = \"!sh -c 'git credential-store --file {h}/.creds-alias \\\"$1\\\"' -\"\n"
            ),
            "!sh -c",
        ),
        (
            format!(
                "[credential \"https://cfg.example\"]\n\thelper = \"!git -c alias.st='credential-store --file {h}/.creds-alias' st\"\n"
            ),
            "!git -c alias.st=",
        ),
    ];
    for (config, entry) in &configs {
        let (out, rep) = run_with_global_config(&f, config, &[], &[], &script);
        assert_refused_naming(&out, &rep, entry);
        assert!(
            !text(&out.stdout).contains("TOKEN-ALIAS"),
            "{}",
            describe(&out, &rep)
        );
    }
    let config =
        "[credential]\n\thelper = !gh auth git-credential\n\thelper = cache --timeout 300\n";
    let (out, rep) = run_with_global_config(&f, config, &[], &[], "exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec16 H7, H7b: a run that makes more entries than the search after the
/// run reads (200 000) still has the links it made leading outside the
/// writable trees (`zzz-build/run.log -> ~/.bashrc`) and, under
/// `allow_hidden_files: false`, its new dot entries moved aside: they are
/// searched for apart, bounded by time, not by entries. The run is still
/// an error (git entries and bytecode beyond the bound are not checked),
/// and the error says what happened to links and dot entries.
#[test]
fn links_and_dot_entries_past_the_search_bound_are_moved_aside() {
    let f = Fixture::new();
    let victim = f.home.join(".bashrc");
    fs::write(&victim, "# stock\n").unwrap();
    let v = victim.display();
    let script = format!(
        "python3 -I -c 'import os\nfor d in range(5):\n    os.makedirs(f\"aaa/{{d}}\")\n    [open(f\"aaa/{{d}}/{{i}}\", \"w\").close() for i in range(42000)]\n' && \
         mkdir -p zzz-build && ln -s {v} zzz-build/run.log && echo 'export X=1' > .envrc && \
         mkdir .vscode && echo '{{}}' > .vscode/tasks.json && echo FLOODED"
    );
    let p = flag_policy(&f, r#"["~/.ssh"]"#, true, false);
    let (out, rep) = f.sh(&p, &script);
    assert!(
        text(&out.stdout).contains("FLOODED"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["status"], "error", "{}", describe(&out, &rep));
    let err = rep["error"].as_str().unwrap_or_default();
    assert!(
        err.contains("symbolic links and dot entries the run made were all judged"),
        "{}",
        describe(&out, &rep)
    );
    for gone in ["zzz-build/run.log", ".envrc", ".vscode"] {
        assert!(
            fs::symlink_metadata(f.ws.join(gone)).is_err(),
            "{gone} left: {}",
            describe(&out, &rep)
        );
    }
    let moved = quarantined_with_reasons(&rep);
    let at = f.ws.join("zzz-build/run.log").display().to_string();
    assert!(
        moved.iter().any(|(p, _)| *p == at),
        "{}",
        describe(&out, &rep)
    );
    // The user's next build writes a new file, not through the link.
    fs::write(f.ws.join("zzz-build/run.log"), "make all: ok\n").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "# stock\n");
}

/// exec16 H5: with `allow_symlinks: false`, no new name for an existing
/// symbolic link either: `link`, and `linkat` without `AT_SYMLINK_FOLLOW`
/// (what `ln` does without `-L`), fail with `EPERM`; `ln -L`, `cp -l`,
/// `mv` and `git clone` of a local path work. And the sweep judges a link
/// by whether it is new at its name, not by its change time: a hard link
/// made to the user's link (allowed when links are) is moved aside, the
/// user's own link, whose change time the hard link moved, stays.
#[test]
fn a_hard_link_to_a_link_is_a_new_link_and_the_users_link_stays() {
    let f = Fixture::new();
    let shared = f.outside.join("shared");
    fs::create_dir_all(&shared).unwrap();
    std::os::unix::fs::symlink(&shared, f.ws.join("vendor")).unwrap();
    let script = "ln vendor made-hard 2>/dev/null && echo HARD-MADE; \
        python3 -I -c 'import os; os.link(\"vendor\", \"made-py\", follow_symlinks=False)' 2>/dev/null && echo PY-MADE; \
        echo data > file; ln -L file file-ln && echo LN-L-OK; cp -l file file-cp && echo CP-L-OK; \
        mv file-cp file-mv && echo MV-OK; \
        git init -q src && git -C src -c user.name=u -c user.email=u@e commit -q --allow-empty -m x && \
        git clone -q src dst 2>/dev/null && echo CLONE-OK; exit 0";
    let p = flag_policy(&f, r#"["~/.ssh"]"#, false, true);
    let (out, rep) = f.sh(&p, script);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for refused in ["HARD-MADE", "PY-MADE"] {
        assert!(
            !said.contains(refused),
            "{refused}: {}",
            describe(&out, &rep)
        );
    }
    for works in ["LN-L-OK", "CP-L-OK", "MV-OK", "CLONE-OK"] {
        assert!(said.contains(works), "{works}: {}", describe(&out, &rep));
    }
    for gone in ["made-hard", "made-py"] {
        assert!(fs::symlink_metadata(f.ws.join(gone)).is_err(), "{gone}");
    }
    // Links allowed: the hard link is made, and moved aside after the run
    // (it leads outside); the user's `vendor` stays where it was.
    let p = flag_policy(&f, r#"["~/.ssh"]"#, true, true);
    let (out, rep) = f.sh(&p, "ln vendor made-hard && echo HARD-MADE");
    assert!(
        text(&out.stdout).contains("HARD-MADE"),
        "{}",
        describe(&out, &rep)
    );
    let moved = quarantined_with_reasons(&rep);
    let at = |rel: &str| f.ws.join(rel).display().to_string();
    assert!(
        moved.iter().any(|(p, _)| *p == at("made-hard")),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !moved.iter().any(|(p, _)| *p == at("vendor")),
        "{}",
        describe(&out, &rep)
    );
    assert!(fs::symlink_metadata(f.ws.join("vendor")).is_ok_and(|m| m.file_type().is_symlink()));
}

/// exec16 ("What held", a `.pem` in a directory of mode `0111`): a run the
/// helper refuses before the command starts leaves the user's trees as they
/// were (the sweep after the run gave an unreadable `.git` and an unlistable
/// directory their owner's read permission back, though the command never
/// ran; the empty hooks directory the planning made stays no more), and the
/// refusal names its real reason, not the search's bound.
#[test]
fn a_refused_run_leaves_the_trees_as_they_were() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let git = git_in(&f, &f.ws, &["init", "-q"]);
    assert!(git.status.success(), "{}", text(&git.stderr));
    fs::create_dir_all(f.ws.join("keys")).unwrap();
    fs::write(f.ws.join("keys/server.pem"), "KEY\n").unwrap();
    // A loop below a blocked glob's literal part: a gap, so the run is
    // refused (as root and as a user).
    std::os::unix::fs::symlink("..", f.ws.join("up")).unwrap();
    let mode = |rel: &str| fs::metadata(f.ws.join(rel)).unwrap().permissions().mode() & 0o7777;
    let set = |rel: &str, m: u32| {
        fs::set_permissions(f.ws.join(rel), fs::Permissions::from_mode(m)).unwrap()
    };
    // The planning makes a missing hooks directory to bind it read-only.
    fs::remove_dir_all(f.ws.join(".git/hooks")).unwrap();
    set(".git", 0o300);
    set("keys", 0o111);
    let p = flag_policy(&f, r#"["~/.ssh", "./**/*.pem"]"#, true, true);
    let (out, rep) = f.sh(&p, "echo RAN > ran.txt");
    let (git_mode, keys_mode) = (mode(".git"), mode("keys"));
    set(".git", 0o755);
    set("keys", 0o755);
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "refused", "{}", describe(&out, &rep));
    assert!(!f.ws.join("ran.txt").exists());
    assert!(
        fs::symlink_metadata(f.ws.join(".git/hooks")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(git_mode, 0o300, "{}", describe(&out, &rep));
    assert_eq!(keys_mode, 0o111, "{}", describe(&out, &rep));
    let err = rep["error"].as_str().unwrap_or_default();
    assert!(
        !err.contains("stopped at its bound"),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        err.contains("links deep") || err.contains("could not list"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["git_quarantined"].as_array().map_or(0, |a| a.len()), 0);
}

/// exec16 H1, H1b: the run wrote a compiled extension module beside the
/// project's script (`json.cpython-311-x86_64-linux-gnu.so`, `json.abi3.so`,
/// `json.so`: CPython's finder loads it before the standard `json`) and
/// beside a package module (`pkg/mod.abi3.so` is loaded before
/// `pkg/mod.py`); `*.so` is ignored, git shows nothing, and the user's next
/// `python3 run.py` ran it. Mechanism: the bytecode sweep removes the
/// extension modules the run made too, except below `site-packages` or a
/// build directory, and a note names them.
#[test]
fn extension_modules_the_run_writes_beside_sources_are_removed() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("pkg")).unwrap();
    fs::write(f.ws.join("run.py"), "import json, pkg.mod\n").unwrap();
    fs::write(f.ws.join("pkg/__init__.py"), "").unwrap();
    fs::write(f.ws.join("pkg/mod.py"), "X = 1\n").unwrap();
    fs::create_dir_all(f.ws.join(".venv/lib/python3.11/site-packages")).unwrap();
    fs::write(f.ws.join(".venv/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    let before = f.ws.join("old.abi3.so");
    fs::write(&before, "BEFORE").unwrap();
    let p = f.offline();
    // A `pyvenv.cfg` the run writes beside the script exempts nothing.
    let script = "printf 'home = /usr/bin' > pyvenv.cfg; \
                  printf PAYLOAD > json.cpython-311-x86_64-linux-gnu.so; \
                  printf PAYLOAD > json.abi3.so; printf PAYLOAD > json.so; \
                  printf PAYLOAD > pkg/mod.abi3.so; \
                  printf LIB > .venv/lib/python3.11/site-packages/np.cpython-311-x86_64-linux-gnu.so; \
                  mkdir -p build/lib.linux-x86_64-cpython-311 && \
                  printf LIB > build/lib.linux-x86_64-cpython-311/fast.abi3.so; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for name in [
        "json.cpython-311-x86_64-linux-gnu.so",
        "json.abi3.so",
        "json.so",
        "pkg/mod.abi3.so",
    ] {
        assert!(
            fs::symlink_metadata(f.ws.join(name)).is_err(),
            "{name} stayed: {}",
            describe(&out, &rep)
        );
    }
    for name in [
        ".venv/lib/python3.11/site-packages/np.cpython-311-x86_64-linux-gnu.so",
        "build/lib.linux-x86_64-cpython-311/fast.abi3.so",
    ] {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "LIB",
            "{name}: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(fs::read_to_string(&before).unwrap(), "BEFORE");
    assert_eq!(
        fs::read_to_string(f.ws.join("pkg/mod.py")).unwrap(),
        "X = 1\n"
    );
    let notes = rep["notes"].to_string();
    assert!(
        notes.contains("extension modules") && notes.contains("pkg/mod.abi3.so"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec16 H2, H2b: the run applied the user's stash, pushed a changed one
/// under the same message and dropped the user's, and re-pointed the tag
/// `v1.0` (and a branch other than the checked-out one); `git stash list`,
/// `git tag -n`, `git status` and `git diff` read as before and the report
/// said nothing, so the user's next `git stash pop` or `git checkout v1.0`
/// brought the run's change back as their own. Mechanism: the refs of the
/// repositories known before the run (loose and packed, `ORIG_HEAD`, the
/// stash's entries) are compared before and after it, and the report
/// lists each change with old and new values (`git_refs_changed`, a note).
#[test]
fn refs_the_run_changes_are_listed_in_the_report() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "build:\n\t@echo build\n").unwrap();
    for args in [
        &["add", "Makefile"][..],
        &["commit", "-q", "-m", "two"][..],
        &["tag", "-a", "-m", "release 1.0", "v1.0", "HEAD~1"][..],
        &["branch", "feature", "HEAD~1"][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    fs::write(f.ws.join("Makefile"), "build:\n\t@echo users-own-wip\n").unwrap();
    let out = git_in(f, &f.ws, &["stash", "push", "-q", "-m", "WIP: tweak build"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stash_id = |f: &Fixture| text(&git_in(f, &f.ws, &["rev-parse", "refs/stash"]).stdout);
    let user_stash = stash_id(f);
    let p = f.offline();
    // Nothing changed: nothing listed.
    let (out, rep) = f.sh(&p, "git status --short >/dev/null; exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        rep["git_refs_changed"],
        serde_json::json!([]),
        "{}",
        describe(&out, &rep)
    );
    let script = "G='git -c user.name=t -c user.email=t@example.invalid'; \
                  $G stash apply -q && printf '\\t@echo changed\\n' >> Makefile && \
                  $G stash push -q -m 'WIP: tweak build' && $G stash drop -q 'stash@{1}' && \
                  $G tag -f -a -m 'release 1.0' v1.0 HEAD && $G branch -f feature HEAD && \
                  $G stash list; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let new_stash = stash_id(f);
    assert_ne!(user_stash, new_stash, "{}", describe(&out, &rep));
    let listed = rep["git_refs_changed"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let named = |n: &str| {
        listed
            .iter()
            .filter(|c| c["name"] == n)
            .cloned()
            .collect::<Vec<_>>()
    };
    for n in ["refs/tags/v1.0", "refs/heads/feature", "refs/stash"] {
        let c = named(n);
        assert_eq!(c.len(), 1, "{n}: {}", describe(&out, &rep));
        assert!(
            c[0]["old"].is_string() && c[0]["new"].is_string() && c[0]["old"] != c[0]["new"],
            "{n}: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(named("refs/stash")[0]["old"], user_stash.trim());
    assert_eq!(named("refs/stash")[0]["new"], new_stash.trim());
    // The user's entry is gone and the run's is new, under the same message.
    let entries = named("stash@{0}");
    assert!(
        entries.iter().any(|c| c["new"].is_null()
            && c["old"]
                .as_str()
                .is_some_and(|o| o.starts_with(user_stash.trim())))
            && entries.iter().any(|c| c["old"].is_null()
                && c["new"].as_str().is_some_and(
                    |o| o.starts_with(new_stash.trim()) && o.ends_with("WIP: tweak build")
                )),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["notes"].to_string().contains("refs/tags/v1.0"),
        "{}",
        describe(&out, &rep)
    );
}

/// Writes `FAKE-<name>` into `dir/<name>` for each name, and returns the
/// shell text that prints each file (errors dropped).
fn secret_files(dir: &Path, names: &[String]) -> String {
    let mut script = String::new();
    for name in names {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, format!("FAKE-{name}\n")).unwrap();
        script.push_str(&format!("cat {} 2>/dev/null; ", p.display()));
    }
    script
}

/// Asserts no `FAKE-<name>` of `names` reached the command's output.
fn assert_none_read(out: &Output, rep: &serde_json::Value, names: &[String]) {
    for name in names {
        assert!(
            !text(&out.stdout).contains(&format!("FAKE-{name}")),
            "{name} was read: {}",
            describe(out, rep)
        );
    }
}

/// exec18 H1: the ssh key `core.sshCommand` names was readable behind a
/// wrapper that takes a value before the program (`timeout 30`, `nice -n
/// 5`, `/usr/bin/env`, `env VAR=x`, `stdbuf -o0`, `ionice -c3`, `setsid`,
/// `command`, `exec`), in ssh's other spellings (`-o IdentityFile=K`,
/// `-oIdentityFile K`, `-o "IdentityFile K"`, `-iK`, `CertificateFile`)
/// and as `sshpass -f`, in the global and in a repository's
/// configuration. Mechanism: one scan of the command line that recognises
/// ssh and sshpass at any word and reads every option form; each file is
/// hidden and the run stays full.
#[test]
fn ssh_keys_behind_wrappers_and_in_every_option_form_are_hidden() {
    let f = Fixture::new();
    let forms = [
        "timeout 30 ssh -i {k}",
        "nice -n 5 ssh -i {k}",
        "/usr/bin/env ssh -i {k}",
        "env VAR=x ssh -i {k}",
        "stdbuf -o0 ssh -i {k}",
        "ionice -c3 ssh -i {k}",
        "setsid ssh -i {k}",
        "command ssh -i {k}",
        "exec ssh -i {k}",
        "ssh -o IdentityFile={k}",
        "ssh -oIdentityFile {k}",
        "ssh -o \\\"IdentityFile {k}\\\"",
        "ssh -o 'IdentityFile = {k}'",
        "ssh -i{k}",
        "ssh -4vi{k}",
        "ssh -o CertificateFile={k}",
        "sshpass -f {k} ssh",
        "sshpass -f{k} timeout 9 ssh",
    ];
    let names: Vec<String> = (0..forms.len()).map(|n| format!("keys/k{n}")).collect();
    fs::write(f.outside.join("control"), "CONTROL-READABLE\n").unwrap();
    let script =
        secret_files(&f.outside, &names) + &format!("cat {}/control; exit 0", f.outside.display());
    let mut lines = String::new();
    for (form, name) in forms.iter().zip(&names) {
        let k = f.outside.join(name).display().to_string();
        lines.push_str(&format!("\tsshCommand = {}\n", form.replace("{k}", &k)));
    }
    let config = format!("[core]\n{lines}");
    let (out, rep) = run_with_global_config(&f, &config, &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(text(&out.stdout).contains("CONTROL-READABLE"));
    assert_none_read(&out, &rep, &names);
    // The same lines in a repository's own configuration.
    let git = git_in(&f, &f.ws, &["init", "-q"]);
    assert!(git.status.success(), "{}", text(&git.stderr));
    let repo_config = f.ws.join(".git/config");
    let mut c = fs::read_to_string(&repo_config).unwrap();
    c.push_str(&config);
    fs::write(&repo_config, c).unwrap();
    let (out, rep) = run_with_global_config(&f, "", &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(text(&out.stdout).contains("CONTROL-READABLE"));
    assert_none_read(&out, &rep, &names);
}

/// exec18 H1: `core.sshCommand = ssh -F CONFIG` left the ssh
/// configuration and the keys its `IdentityFile` and `CertificateFile`
/// lines (and a configuration it includes) name readable. Mechanism: the
/// configuration is hidden and read for the files it names, which are
/// hidden too; the run stays full.
#[test]
fn an_ssh_configuration_given_with_dash_f_and_its_keys_are_hidden() {
    let f = Fixture::new();
    let o = f.outside.display();
    let names: Vec<String> = ["keys/fk", "keys/fk-cert.pub", "keys/inc"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut script = secret_files(&f.outside, &names);
    fs::create_dir_all(f.outside.join("ssh")).unwrap();
    fs::write(
        f.outside.join("ssh/cfg"),
        format!(
            "# FAKE-ssh/cfg\nHost *\n  IdentityFile {o}/keys/fk\n  CertificateFile={o}/keys/fk-cert.pub\n  Include {o}/ssh/more\n"
        ),
    )
    .unwrap();
    fs::write(
        f.outside.join("ssh/more"),
        format!("# FAKE-ssh/more\nIdentityFile \"{o}/keys/inc\"\n"),
    )
    .unwrap();
    script.push_str(&format!("cat {o}/ssh/cfg {o}/ssh/more 2>/dev/null; exit 0"));
    for value in [
        format!("ssh -F {o}/ssh/cfg"),
        format!("timeout 20 ssh -F{o}/ssh/cfg -o BatchMode=yes"),
    ] {
        let config = format!("[core]\n\tsshCommand = {value}\n");
        let (out, rep) = run_with_global_config(&f, &config, &[], &[], &script);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
        let mut all = names.clone();
        all.extend(["ssh/cfg".to_string(), "ssh/more".to_string()]);
        assert_none_read(&out, &rep, &all);
    }
}

/// exec18 H1: a relative `http.sslKey` / `http.sslCert` (git takes it
/// from the directory the git command runs in) was readable. Mechanism:
/// a relative secret path is taken from the run's directories and from
/// every repository's working tree, and each file it names there is
/// hidden; the run stays full.
#[test]
fn relative_secret_paths_of_git_configuration_are_hidden_where_git_runs() {
    let f = Fixture::new();
    for dir in [&f.ws, &f.ws.join("sub")] {
        fs::create_dir_all(dir).unwrap();
        let git = git_in(&f, dir, &["init", "-q"]);
        assert!(git.status.success(), "{}", text(&git.stderr));
    }
    let append = |path: &Path, text: &str| {
        let mut c = fs::read_to_string(path).unwrap();
        c.push_str(text);
        fs::write(path, c).unwrap();
    };
    append(
        &f.ws.join(".git/config"),
        "[http]\n\tsslKey = certs/client.key\n",
    );
    append(
        &f.ws.join("sub/.git/config"),
        "[http \"https://git.corp.example\"]\n\tsslKey = certs/sub.key\n",
    );
    let names: Vec<String> = [
        "certs/client.key",
        "certs/client.crt",
        "sub/certs/sub.key",
        "sub/certs/client.key",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    fs::write(f.ws.join("README"), "CONTROL-READABLE\n").unwrap();
    let script = secret_files(&f.ws, &names) + "cat README; exit 0";
    let config = "[http]\n\tsslCert = certs/client.crt\n";
    let (out, rep) = run_with_global_config(&f, config, &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(text(&out.stdout).contains("CONTROL-READABLE"));
    assert_none_read(&out, &rep, &names);
}

/// exec18 H2: a credential store named by a `credential.helper` behind
/// `!` with a wrapper in front of the shell (`!timeout 10 sh -c '…'`,
/// `!/usr/bin/env bash -c '…'`) or read by an interpreter (`!python3 -c
/// '…open("F")…'`) was readable. Mechanism: the shell and git are
/// recognised at any word; the store `--file` names inside the shell's
/// command line and every file the program text names are hidden, and
/// since what such text reads is not modelled the run has a gap naming
/// the entry; with `--allow-degraded` the files stay hidden.
#[test]
fn credential_stores_behind_wrapped_shells_and_interpreters_are_hidden() {
    let f = Fixture::new();
    let names: Vec<String> = (0..3).map(|n| format!("store/s{n}")).collect();
    let script = secret_files(&f.outside, &names) + "exit 0";
    let s = |n: usize| f.outside.join(&names[n]).display().to_string();
    let helpers = [
        (
            format!(
                "!timeout 10 sh -c 'git credential-store --file {} \\\"$@\\\"' -",
                s(0)
            ),
            "!timeout 10 sh -c",
        ),
        (
            format!(
                "!/usr/bin/env bash -c 'git credential-store --file={} \\\"$@\\\"' -",
                s(1)
            ),
            "!/usr/bin/env bash -c",
        ),
        (
            format!("!python3 -c 'print(open(\\\"{}\\\").read())'", s(2)),
            "!python3 -c",
        ),
    ];
    for (n, (helper, entry)) in helpers.iter().enumerate() {
        let config = format!("[credential \"https://h{n}.example\"]\n\thelper = \"{helper}\"\n");
        let (out, rep) = run_with_global_config(&f, &config, &[], &[], &script);
        assert_refused_naming(&out, &rep, entry);
        let (out, rep) = run_with_global_config(&f, &config, &[], &["--allow-degraded"], &script);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_none_read(&out, &rep, &names[n..=n]);
    }
}

/// exec18 H7: an `ssh -i KEY` in `core.sshCommand` given in the caller's
/// `GIT_CONFIG_PARAMETERS` or `GIT_CONFIG_COUNT` entries was not hidden,
/// and `~` in such entries (`http.sslKey = ~/certs/k`) was taken as the
/// run's `--home`, not the caller's `$HOME`, which the user's git uses.
/// Mechanism: the environment's entries go through the same scan, and
/// `~` there is every home of the user; the run stays full.
#[test]
fn secrets_the_callers_environment_configuration_names_are_hidden() {
    let f = Fixture::new();
    // The caller's `$HOME`, apart from the run's scratch `--home`.
    let caller = f.outside.join("caller");
    fs::create_dir_all(&caller).unwrap();
    fs::write(caller.join(".gitconfig"), "").unwrap();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    fs::write(caller.join("control"), "CONTROL-READABLE\n").unwrap();
    let names: Vec<String> = ["keys/env1", "certs/env1.key", "keys/env2", "certs/env2.crt"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let script =
        secret_files(&caller, &names) + &format!("cat {}/control; exit 0", caller.display());
    let home = caller.to_str().unwrap();
    let p = f.offline();
    let params =
        "'core.sshCommand'='ssh -i ~/keys/env1 -o IdentitiesOnly=yes' 'http.sslKey'='~/certs/env1.key'";
    let with_params = [("HOME", home), ("GIT_CONFIG_PARAMETERS", params)];
    let with_count = [
        ("HOME", home),
        ("GIT_CONFIG_COUNT", "2"),
        ("GIT_CONFIG_KEY_0", "core.sshCommand"),
        ("GIT_CONFIG_VALUE_0", "timeout 5 ssh -i ~/keys/env2"),
        ("GIT_CONFIG_KEY_1", "http.sslCert"),
        ("GIT_CONFIG_VALUE_1", "~/certs/env2.crt"),
    ];
    for (envs, hidden) in [
        (&with_params[..], &names[..2]),
        (&with_count[..], &names[2..]),
    ] {
        let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script.as_str()], envs);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
        assert!(text(&out.stdout).contains("CONTROL-READABLE"));
        assert_none_read(&out, &rep, hidden);
    }
}

/// The keys the user's own `~/.ssh/config` names outside `~/.ssh`
/// (`IdentityFile ~/keys/github`, and in a file an `Include config.d/*`
/// matches) were readable: `~/.ssh` is hidden, the keys are not below it,
/// and git runs ssh, which reads them. Mechanism: every home's
/// `~/.ssh/config` is read like a configuration given with `-F`
/// (patterns listed, `%` tokens below `~/.ssh` needing nothing more) and
/// the files it names are hidden; the run stays full.
#[test]
fn keys_the_users_ssh_configuration_names_outside_dot_ssh_are_hidden() {
    let f = Fixture::new();
    let o = f.outside.display();
    let names: Vec<String> = ["keys/github", "keys/work"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut script = secret_files(&f.outside, &names);
    fs::create_dir_all(f.home.join(".ssh/config.d")).unwrap();
    fs::write(
        f.home.join(".ssh/config"),
        format!(
            "Include config.d/*\nHost github.com\n  IdentityFile {o}/keys/github\nHost *\n  IdentityFile ~/.ssh/%h_key\n"
        ),
    )
    .unwrap();
    fs::write(
        f.home.join(".ssh/config.d/work"),
        format!("Host work\n  IdentityFile={o}/keys/work\n"),
    )
    .unwrap();
    fs::write(f.outside.join("control"), "CONTROL-READABLE\n").unwrap();
    script.push_str(&format!("cat {o}/control; exit 0"));
    let (out, rep) = run_with_global_config(&f, "", &[], &[], &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(text(&out.stdout).contains("CONTROL-READABLE"));
    assert_none_read(&out, &rep, &names);
}

/// Writes `ORIGINAL\n` to each of `names` below `dir`, making parents.
fn originals(dir: &Path, names: &[&str]) {
    for name in names {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
}

/// A script that appends to each of `changed` and makes each of `made`
/// (parents too), ignoring failures.
fn plant_script(changed: &[&str], made: &[&str]) -> String {
    let mut s = String::new();
    for n in changed {
        s.push_str(&format!("echo PLANTED >> {n} 2>/dev/null;"));
    }
    for n in made {
        s.push_str(&format!(
            "mkdir -p \"$(dirname {n})\" 2>/dev/null; echo PLANTED > {n} 2>/dev/null;"
        ));
    }
    s + " exit 0"
}

/// Asserts each of `names` below `dir` still reads `ORIGINAL\n`, and
/// each of `absent` does not exist.
fn assert_kept(dir: &Path, names: &[&str], absent: &[&str], out: &Output, rep: &serde_json::Value) {
    for name in names {
        assert_eq!(
            fs::read_to_string(dir.join(name)).unwrap_or_default(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(out, rep)
        );
    }
    for name in absent {
        assert!(
            fs::symlink_metadata(dir.join(name)).is_err(),
            "{name} was made: {}",
            describe(out, rep)
        );
    }
}

/// Jupyter's and IPython's search paths and directories in the caller's
/// environment (exec18 H3): `JUPYTER_CONFIG_PATH` naming a directory in
/// the workspace was writable by the run, and the user's next `jupyter`
/// executed the configuration the run wrote there. Mechanism: the
/// variables are in the table of what the user's programs load
/// (`ENVIRONMENT_LOADS`, `ENVIRONMENT_FILES`): what they name in a
/// writable tree is a gap naming the variable, and with `--allow-degraded`
/// it is bound read-only (nothing changes, nothing new appears).
#[test]
fn jupyter_and_ipython_paths_of_the_callers_environment_are_judged() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let files = [
        "jcfg/jupyter_server_config.py",
        "jpath/kernels/py/kernel.json",
        "jdata/nbextensions/x.js",
        "ipy/profile_default/startup/00.py",
        "jdir/jupyter_config.py",
    ];
    originals(&f.ws, &files);
    let made = [
        "jcfg/jupyter_notebook_config.py",
        "jpath/kernels/evil/kernel.json",
        "jdata/kernels/evil/kernel.json",
        "ipy/profile_default/startup/99.py",
        "jdir/jupyter_lab_config.py",
    ];
    let w = |n: &str| f.ws.join(n).display().to_string();
    let cases: Vec<(&str, String)> = vec![
        ("JUPYTER_CONFIG_PATH", w("jcfg")),
        ("JUPYTER_PATH", format!("/usr/share/jupyter:{}", w("jpath"))),
        ("JUPYTER_DATA_DIR", w("jdata")),
        ("IPYTHONDIR", w("ipy")),
        ("JUPYTER_CONFIG_DIR", w("jdir")),
    ];
    let script = plant_script(&files, &made);
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), (*k, v.as_str())]);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let mut envs = vec![("HOME", home)];
    envs.extend(cases.iter().map(|(k, v)| (*k, v.as_str())));
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_kept(&f.ws, &files, &made, &out, &rep);
}

/// Toolchain and tool-manager homes in the caller's environment (exec18
/// H4): `RUSTUP_HOME` naming a directory in the workspace was writable and
/// swappable by the run, and the user's next `cargo` (rustup's proxy) ran
/// the run's binary. The same for the other homes of installed programs
/// and toolchains. Mechanism: as for Jupyter's (the variables are in the
/// table, a gap naming each, read-only with `--allow-degraded`, and the
/// directory cannot be renamed away).
#[test]
fn toolchain_homes_of_the_callers_environment_are_judged() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let files = [
        "t/rustup/toolchains/stable/bin/cargo",
        "t/gopath/bin/gopls",
        "t/goroot/bin/go",
        "t/pipx/venvs/black/bin/black",
        "t/nvm/nvm.sh",
        "t/volta/bin/node",
        "t/sdkman/bin/sdkman-init.sh",
        "t/jdk/bin/java",
        "t/cargo/bin/cargo-fmt",
    ];
    originals(&f.ws, &files);
    let made = ["t/rustup/toolchains/stable/bin/rustc", "t/old"];
    let w = |n: &str| f.ws.join(n).display().to_string();
    let cases: Vec<(&str, String)> = vec![
        ("RUSTUP_HOME", w("t/rustup")),
        ("GOPATH", w("t/gopath")),
        ("GOROOT", w("t/goroot")),
        ("PIPX_HOME", w("t/pipx")),
        ("NVM_DIR", w("t/nvm")),
        ("VOLTA_HOME", w("t/volta")),
        ("SDKMAN_DIR", w("t/sdkman")),
        ("JAVA_HOME", w("t/jdk")),
        ("CARGO_HOME", w("t/cargo")),
    ];
    let mut script = plant_script(&files, &made[..1]);
    script = format!(
        "mv t/rustup t/old 2>/dev/null; mkdir -p t/rustup/toolchains 2>/dev/null; {script}"
    );
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), (*k, v.as_str())]);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let mut envs = vec![("HOME", home)];
    envs.extend(cases.iter().map(|(k, v)| (*k, v.as_str())));
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_kept(&f.ws, &files, &made, &out, &rep);
}

/// Files and directories the user's interactive shell sources, named by
/// the caller's environment (exec18 H5): `BASH_COMPLETION_USER_FILE` in the
/// workspace was written by the run and sourced by the user's next bash.
/// Mechanism: as above, with `BASH_ENV`, `ENV` and `INPUTRC` (judged
/// before) checked alongside.
#[test]
fn files_the_callers_shell_sources_are_judged() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let files = [
        "sh/completion.bash",
        "sh/bash_env",
        "sh/env",
        "sh/inputrc",
        "bc/completions/git",
    ];
    originals(&f.ws, &files);
    let made = ["bc/completions/make"];
    let w = |n: &str| f.ws.join(n).display().to_string();
    let cases: Vec<(&str, String)> = vec![
        ("BASH_COMPLETION_USER_FILE", w("sh/completion.bash")),
        ("BASH_ENV", w("sh/bash_env")),
        ("ENV", w("sh/env")),
        ("INPUTRC", w("sh/inputrc")),
        ("BASH_COMPLETION_USER_DIR", w("bc")),
    ];
    let script = plant_script(&files, &made);
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), (*k, v.as_str())]);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let mut envs = vec![("HOME", home)];
    envs.extend(cases.iter().map(|(k, v)| (*k, v.as_str())));
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_kept(&f.ws, &files, &made, &out, &rep);
}

/// A missing `PATH` directory in the workspace (`WS/node_modules/.bin`,
/// `WS/.venv/bin` before the first install) locked the deepest existing
/// directory on its way, the workspace's top: the command could make no
/// new name there (`npm install` could not make `node_modules`).
/// Mechanism: the run may make it; the sweep after the run moves it aside
/// whole when it is there (listed in `git_quarantined`), so the user's
/// next shell runs none of the programs the run put in it; the rest of
/// what the run made stays.
#[test]
fn a_missing_path_directory_does_not_lock_the_workspace_top() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let system = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    let w = |n: &str| f.ws.join(n).display().to_string();
    let path = format!("{}:{}:{system}", w("node_modules/.bin"), w(".venv/bin"));
    let script = "echo top > new.txt && mkdir -p node_modules/.bin node_modules/pkg && \
                  echo PLANTED > node_modules/.bin/git && chmod +x node_modules/.bin/git && \
                  echo lib > node_modules/pkg/index.js; exit $?";
    let p = f.offline();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", script],
        &[("HOME", home), ("PATH", &path)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(f.ws.join("new.txt").exists(), "{}", describe(&out, &rep));
    assert!(
        f.ws.join("node_modules/pkg/index.js").exists(),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        fs::symlink_metadata(f.ws.join("node_modules/.bin")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("node_modules/.bin.ku0-quarantine-1/git")).unwrap_or_default(),
        "PLANTED\n",
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["git_quarantined"]
            .to_string()
            .contains(&w("node_modules/.bin")),
        "{}",
        describe(&out, &rep)
    );
    // Nothing made there: nothing moved.
    assert!(!f.ws.join(".venv").exists());

    // A link made on the way (`node_modules -> real`, `real/.bin/git`):
    // the link is moved aside itself.
    fs::remove_dir_all(f.ws.join("node_modules")).unwrap();
    let script =
        "mkdir -p real/.bin && echo PLANTED > real/.bin/git && ln -s real node_modules; exit $?";
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", script],
        &[("HOME", home), ("PATH", &path)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("node_modules")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        fs::symlink_metadata(f.ws.join("node_modules.ku0-quarantine-1"))
            .is_ok_and(|m| m.file_type().is_symlink()),
        "{}",
        describe(&out, &rep)
    );
}

/// The caller's `PATH` naming directories in the workspace (exec18 H8):
/// the run wrote `bin/git` into an activated virtualenv's `bin`, and the
/// user's next `git` ran it. Mechanism: each `PATH` directory in a
/// writable tree is bound read-only; a virtualenv (`bin` beside
/// `pyvenv.cfg`) and `node_modules` (for `node_modules/.bin`) read-only
/// whole, since their programs load from there: `full`, nothing changes,
/// nothing appears, nothing can be renamed away. A missing one may be
/// made, and is moved aside after the run. Any other directory in a writable tree is a gap (its programs may
/// load their siblings), as is a relative entry. An `allowed_paths` entry
/// naming the virtualenv lets the command change it.
#[test]
fn path_directories_of_the_caller_in_the_workspace_are_read_only() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let files = [
        ".venv/pyvenv.cfg",
        ".venv/bin/python",
        ".venv/lib/python3/site-packages/mod.py",
        "node_modules/.bin/tool",
        "node_modules/tool/cli.js",
        "scripts/deploy",
    ];
    originals(&f.ws, &files);
    let made = [
        ".venv/bin/git",
        ".venv/lib/python3/site-packages/evil.pth",
        "node_modules/.bin/git",
        "later/bin/git",
    ];
    let system = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    let w = |n: &str| f.ws.join(n).display().to_string();
    let path = format!(
        "{}:{}:{}:{system}",
        w(".venv/bin"),
        w("node_modules/.bin"),
        w("later/bin")
    );
    let script = plant_script(&files[1..5], &made);
    // Renaming them away fails (their files are asserted unchanged below);
    // a new name at the top may be made since `later/bin` locks nothing.
    let script = format!("mv .venv moved 2>/dev/null; mv node_modules moved 2>/dev/null; {script}");
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), ("PATH", &path)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_kept(&f.ws, &files, &made, &out, &rep);
    assert!(!f.ws.join("moved/bin").exists(), "{}", describe(&out, &rep));

    // Another directory of programs in the workspace: a gap; read-only
    // with --allow-degraded.
    let path = format!("{}:{system}", w("scripts"));
    let script = plant_script(&files[5..], &["scripts/git"]);
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), ("PATH", &path)]);
    assert_refused_naming(&out, &rep, "$PATH names");
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &cmd,
        &[("HOME", home), ("PATH", &path)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_kept(&f.ws, &files[5..], &["scripts/git"], &out, &rep);

    // A relative entry: a gap.
    let path = format!(":{system}");
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &[("HOME", home), ("PATH", &path)]);
    assert_refused_naming(&out, &rep, "relative entry");

    // The policy's choice: an allowed_paths entry naming the virtualenv.
    let chosen = f.root.join("chosen.json");
    fs::write(
        &chosen,
        format!(
            r#"{{"version":"1.0","name":"escape-suite",
            "filesystem":{{"mode":"workspace","allowed_paths":["./","./.venv"],"blocked_paths":["~/.ssh"],
              "allow_symlinks":true,"allow_hidden_files":true}},
            "network":{NET_OFF},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},
            "limits":{{}}}}"#
        ),
    )
    .unwrap();
    let path = format!("{}:{system}", w(".venv/bin"));
    let cmd = ["/bin/sh", "-c", "echo PIP > .venv/bin/tool; exit 0"];
    let (out, rep) = f.run_with(&chosen, &[], &cmd, &[("HOME", home), ("PATH", &path)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join(".venv/bin/tool")).unwrap_or_default(),
        "PIP\n",
        "{}",
        describe(&out, &rep)
    );

    // Where everything is writable (`permissive`, the writable-home
    // limit), the system's PATH directories (with their hard links, as
    // `/usr/bin/perl` has) are not judged: no gap names them (the run
    // may have other gaps on the host, so only that is asserted).
    let loose = f.root.join("loose.json");
    fs::write(
        &loose,
        format!(
            r#"{{"version":"1.0","name":"escape-suite",
            "filesystem":{{"mode":"permissive","allowed_paths":["./"],"blocked_paths":["~/.ssh"],
              "allow_symlinks":true,"allow_hidden_files":true}},
            "network":{NET_OFF},
            "commands":{{"mode":"unrestricted","allow_sudo":false}},
            "limits":{{}}}}"#
        ),
    )
    .unwrap();
    let (out, rep) = f.run_with(
        &loose,
        &[],
        &["/bin/true"],
        &[("HOME", home), ("PATH", &system)],
    );
    assert!(
        !rep["mechanisms"]["mounts"]["detail"]
            .to_string()
            .contains("$PATH"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec23b F1: a caller `PATH` entry (or `VIRTUAL_ENV`) with `..` was
/// judged at its lexical place (`WS/tools/../bin` as `WS/bin`), while the
/// user's shell resolves `..` against what `tools` is when it looks a
/// program up. The run replaced `tools` by a link (`tools -> lib/sub`), or
/// used a committed link (`link -> a/b`), and the user's next `git status`
/// ran the `git` the run left where the entry really leads. Mechanism: the
/// entry is resolved as the kernel resolves it, and the directory holding
/// each directory a `..` leaves is locked like the directory of a link on
/// the way: none of them can be replaced, and where the entry leads stays
/// read-only or cannot be made.
#[test]
fn path_entries_with_dot_dot_lead_where_the_shell_looks() {
    let system = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    let swap =
        "rm -rf tools 2>/dev/null; mkdir -p lib/sub 2>/dev/null; ln -s lib/sub tools 2>/dev/null;";
    // (layout, variable, its value below the fixture, the entry's
    // directory below the value, the command)
    let cases: [(&str, &str, &str, &str, String); 4] = [
        (
            "modelled node_modules/.bin",
            "PATH",
            "ws/tools/../node_modules/.bin",
            "",
            format!(
                "{swap} mkdir -p lib/node_modules/.bin 2>/dev/null; echo PLANTED > lib/node_modules/.bin/git 2>/dev/null; exit 0"
            ),
        ),
        (
            "lexically outside the workspace",
            "PATH",
            "ws/tools/../../bin",
            "",
            format!("{swap} mkdir -p bin 2>/dev/null; echo PLANTED > bin/git 2>/dev/null; exit 0"),
        ),
        (
            "a committed link before ..",
            "PATH",
            "ws/link/../../bin",
            "",
            "mkdir -p bin 2>/dev/null; echo PLANTED > bin/git 2>/dev/null; exit 0".into(),
        ),
        (
            "VIRTUAL_ENV",
            "VIRTUAL_ENV",
            "ws/tools/../venv",
            "bin",
            format!(
                "{swap} mkdir -p lib/venv/bin 2>/dev/null; echo PLANTED > lib/venv/bin/git 2>/dev/null; exit 0"
            ),
        ),
    ];
    for (what, var, value, below, script) in cases {
        let f = Fixture::new();
        let home = f.home.to_str().unwrap();
        for d in ["tools", "a/b", "node_modules/.bin", "venv/bin"] {
            fs::create_dir_all(f.ws.join(d)).unwrap();
        }
        fs::write(f.ws.join("venv/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        fs::create_dir_all(f.root.join("bin")).unwrap();
        std::os::unix::fs::symlink("a/b", f.ws.join("link")).unwrap();
        let value = f.root.join(value).display().to_string();
        let dir = Path::new(&value).join(below);
        let path = match var {
            "PATH" => format!("{value}:{system}"),
            _ => system.clone(),
        };
        let mut envs = vec![("HOME", home), ("PATH", path.as_str())];
        if var != "PATH" {
            envs.push((var, value.as_str()));
        }
        let cmd = ["/bin/sh", "-c", script.as_str()];
        let p = f.offline();
        let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what}: {}",
            describe(&out, &rep)
        );
        assert_eq!(
            rep["enforcement"],
            "full",
            "{what}: {}",
            describe(&out, &rep)
        );
        // The kernel resolves the entry as the user's shell will.
        assert!(
            fs::symlink_metadata(dir.join("git")).is_err(),
            "{what}: the user's shell would run {}/git: {}",
            dir.display(),
            describe(&out, &rep)
        );
        assert!(
            fs::symlink_metadata(f.ws.join("tools")).is_ok_and(|m| m.is_dir()),
            "{what}: tools was replaced: {}",
            describe(&out, &rep)
        );
    }
}

/// exec23b: `XDG_CONFIG_HOME` naming a missing directory through a link
/// and `..` (`WS/link/../../xdg`, `link -> a/b`) was locked by its text,
/// and the lock failed the setup (exit 125, with a report saying `full`).
/// Now it is judged where it leads (`WS/xdg`): the directories that keep
/// the way are locked, the command cannot make it, and the run starts.
/// The lock's note said "protected protected".
#[test]
fn xdg_config_home_through_dot_dot_is_judged_where_it_leads() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    fs::create_dir_all(f.ws.join("a/b")).unwrap();
    std::os::unix::fs::symlink("a/b", f.ws.join("link")).unwrap();
    let xdg = f.ws.join("link/../../xdg").display().to_string();
    let p = f.offline();
    let envs = [("HOME", home), ("XDG_CONFIG_HOME", xdg.as_str())];
    let cmd = [
        "/bin/sh",
        "-c",
        "mkdir -p xdg/fish 2>/dev/null; echo PLANTED > xdg/fish/config.fish 2>/dev/null; exit 0",
    ];
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("xdg")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    // With the directory there, it is kept read-only whole; no note
    // repeats a word.
    fs::create_dir_all(f.ws.join("xdg")).unwrap();
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("xdg/fish")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    let notes = rep["notes"].to_string();
    assert!(
        !notes.contains("protected protected"),
        "{}",
        describe(&out, &rep)
    );
}

/// The report's request list past its first 1000 entries (exec18 H6): a
/// tunnel opened after 1000 filler requests was missing from the report,
/// which said nothing of the requests it left out. Mechanism: every request
/// is counted (`network_requests`), allowed repeats to a destination
/// listed before are counted but not listed (`network_events_unlisted`,
/// with a note), and a refused request or one to a new destination is
/// listed whatever came before it.
#[test]
fn requests_after_a_thousand_fillers_are_counted_and_new_ones_listed() {
    let f = Fixture::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    let p = proxy_policy(&f);
    let fillers = 1005;
    let script = format!(
        "p=${{HTTP_PROXY##*:}}\n\
         req() {{ exec 3<>/dev/tcp/127.0.0.1/$p && printf \"$1\" >&3 && timeout 10 cat <&3 >/dev/null; exec 3<&-; }}\n\
         for i in $(seq 1 {fillers}); do req 'GET http://localhost:{port}/ HTTP/1.1\\r\\nHost: localhost:{port}\\r\\n\\r\\n'; done\n\
         req 'GET http://127.0.0.1:{port}/late HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\n\\r\\n'\n\
         req 'CONNECT localhost:{port} HTTP/1.1\\r\\nHost: localhost:{port}\\r\\n\\r\\n'\n\
         exit 0\n"
    );
    let (out, rep) = f.run_with(&p, &[], &["/bin/bash", "-c", &script], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let total = fillers as u64 + 2;
    assert_eq!(rep["network_requests"], total, "{}", describe(&out, &rep));
    assert_eq!(
        rep["network_events_unlisted"],
        fillers as u64 - 1000,
        "{}",
        describe(&out, &rep)
    );
    let listed = events(&rep);
    assert_eq!(listed.len(), 1002, "{}", describe(&out, &rep));
    assert!(
        listed[1000]["target"]
            .as_str()
            .is_some_and(|t| t.contains("127.0.0.1") && t.contains("/late"))
            && listed[1000]["verdict"] == "allow",
        "{}",
        listed[1000]
    );
    assert!(
        listed[1001]["verdict"] == "deny" && listed[1001]["method"] == "CONNECT",
        "{}",
        listed[1001]
    );
    assert!(
        rep["notes"]
            .to_string()
            .contains(&format!("decided {total} requests")),
        "{}",
        rep["notes"]
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec18 F2: run 1 stages a copy of the `Makefile` blob's fan-out
/// directory with a forged object under the same id inside the object
/// store (`objects/incoming-stage/XX/`, a name the check skips); run 2
/// renames the real `XX` away and the staged one into place. The forged
/// file keeps run 1's change time (a rename changes the directory's, not
/// the files'), so it was not hashed, and the user's next `git checkout --
/// Makefile` wrote the run's recipe. The same with a `pack` directory
/// holding a forged pack. Mechanism: every object of a fan-out directory
/// whose change time moved is verified, and every object and pack of an
/// `objects` or `pack` directory that is not the one recorded at that
/// path before the run.
#[test]
fn objects_staged_in_one_run_and_renamed_into_place_in_the_next_are_moved_aside() {
    for how in ["loose", "pack"] {
        let g = GitFixture::new();
        let f = &g.f;
        fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
        for args in [&["add", "."][..], &["commit", "-q", "-m", "two"][..]] {
            let out = git_in(f, &f.ws, args);
            assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        }
        let oid = text(&git_in(f, &f.ws, &["rev-parse", "HEAD:Makefile"]).stdout)
            .trim()
            .to_string();
        let stage = f.root.join("stage.py");
        fs::write(
            &stage,
            r#"import hashlib, os, shutil, struct, sys, zlib
oid = sys.argv[2]
body = b"lint:\n\tCHANGED\n"
o = ".git/objects/"
if sys.argv[1] == "loose":
    shutil.copytree(o + oid[:2], o + "incoming-stage/" + oid[:2])
    p = o + "incoming-stage/%s/%s" % (oid[:2], oid[2:])
    os.chmod(p, 0o644)
    open(p, "wb").write(zlib.compress(b"blob %d\0" % len(body) + body))
else:
    shutil.copytree(o + "pack", o + "stage-pack")
    head = bytes([(3 << 4) | (len(body) & 15) | 0x80, len(body) >> 4])
    pack = b"PACK" + struct.pack(">II", 2, 1) + head + zlib.compress(body)
    pack += hashlib.sha1(pack).digest()
    raw = bytes.fromhex(oid)
    fan = b"".join(struct.pack(">I", 1 if b >= raw[0] else 0) for b in range(256))
    idx = b"\xfftOc" + struct.pack(">I", 2) + fan + raw
    idx += struct.pack(">II", zlib.crc32(pack[12:-20]), 12) + pack[-20:]
    idx += hashlib.sha1(idx).digest()
    name = o + "stage-pack/pack-" + pack[-20:].hex()
    open(name + ".pack", "wb").write(pack)
    open(name + ".idx", "wb").write(idx)
print("staged")
"#,
        )
        .unwrap();
        let p = f.offline();
        let (out, rep) = f.sh(&p, &format!("python3 {} {how} {oid}", stage.display()));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{how}: {}",
            describe(&out, &rep)
        );
        let swap = if how == "loose" {
            format!(
                "cd .git/objects && mv {d} incoming-old && mv incoming-stage/{d} {d} && \
                 git cat-file blob {oid}",
                d = &oid[..2]
            )
        } else {
            format!("cd .git/objects && mv pack old-pack && mv stage-pack pack && git cat-file blob {oid}")
        };
        let (out, rep) = f.sh(&p, &swap);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{how}: {}",
            describe(&out, &rep)
        );
        assert!(
            text(&out.stdout).contains("CHANGED"),
            "{how}: {}",
            describe(&out, &rep)
        );
        assert_eq!(
            rep["enforcement"],
            "full",
            "{how}: {}",
            describe(&out, &rep)
        );
        let moved = rep["git_quarantined"].to_string();
        assert!(moved.contains("is not what"), "{how}: {moved}");
        // The user's next checkout does not write the run's content (the
        // true object, which the run renamed away, can be fetched again).
        fs::write(f.ws.join("Makefile"), "edited\n").unwrap();
        let _ = git_in(f, &f.ws, &["checkout", "--", "Makefile"]);
        assert!(
            !fs::read_to_string(f.ws.join("Makefile"))
                .unwrap_or_default()
                .contains("CHANGED"),
            "{how}: {}",
            describe(&out, &rep)
        );
    }
}

/// exec18 F3: run 1 builds `tools/build/json/__init__.abi3.so` (kept:
/// below a directory named `build`); run 2 renames it to `tools/json`
/// beside the user's `tools/gen.py`, or links `tools/yaml` to a package
/// kept below `build`; the module kept run 1's change time and the link
/// leads inside the workspace, so both stayed, and `python3 tools/gen.py`
/// loaded the run's module. And `build/__init__.abi3.so` directly in a
/// `build` directory makes `build` itself the package `python -m build`
/// imports. Mechanism: a directory that was not at its path before the
/// run (the record of the search before it) makes everything below it
/// count as made by the run; the exemption never covers `__init__` or
/// `__main__` directly in the kept directory, and a directory link the run
/// makes into a kept directory is moved aside. What the user built below
/// `build` stays across ordinary runs.
#[test]
fn an_extension_module_kept_below_build_and_moved_out_in_the_next_run_is_removed() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    fs::write(f.ws.join("tools/gen.py"), "import json, yaml\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "mkdir -p tools/build/json tools/build/yaml build/lib.linux-x86_64-cpython-311 && \
         printf PAYLOAD > tools/build/json/__init__.abi3.so && \
         printf PAYLOAD > tools/build/yaml/__init__.abi3.so && \
         printf PAYLOAD > tools/build/__init__.abi3.so && \
         printf LIB > build/lib.linux-x86_64-cpython-311/fast.abi3.so; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let exists = |rel: &str| fs::symlink_metadata(f.ws.join(rel)).is_ok();
    assert!(
        !exists("tools/build/__init__.abi3.so"),
        "{}",
        describe(&out, &rep)
    );
    for rel in [
        "tools/build/json/__init__.abi3.so",
        "tools/build/yaml/__init__.abi3.so",
        "build/lib.linux-x86_64-cpython-311/fast.abi3.so",
    ] {
        assert!(exists(rel), "{rel}: {}", describe(&out, &rep));
    }
    let (out, rep) = f.sh(
        &p,
        "mv tools/build/json tools/json && ln -s build/yaml tools/yaml && touch new-file; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        !exists("tools/json/__init__.abi3.so"),
        "{}",
        describe(&out, &rep)
    );
    assert!(!exists("tools/yaml"), "{}", describe(&out, &rep));
    let moved = quarantined_with_reasons(&rep);
    assert!(
        moved
            .iter()
            .any(|(p, why)| p.ends_with("tools/yaml") && why.contains("kept")),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["notes"]
            .to_string()
            .contains("tools/json/__init__.abi3.so"),
        "{}",
        describe(&out, &rep)
    );
    // Not moved: stays, although the run changed the workspace's top.
    for rel in [
        "tools/build/yaml/__init__.abi3.so",
        "build/lib.linux-x86_64-cpython-311/fast.abi3.so",
    ] {
        assert!(exists(rel), "{rel}: {}", describe(&out, &rep));
    }
}

/// exec18 F9: the run leaves a source-less package `json/__init__.pyc`
/// (or an extension module) inside `.git`, where the bytecode sweep did
/// not look, and a directory link `tools/json -> ../.git/…` beside the
/// user's script, kept because it leads inside the workspace; the user's
/// next `python3 tools/gen.py` imported it. Mechanism: the bytecode sweep
/// walks git dirs too (nothing there is exempt), and a directory link the
/// run makes into a git dir is moved aside (git dirs are not source
/// trees).
#[test]
fn bytecode_in_a_git_dir_is_removed_and_links_into_git_dirs_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    fs::write(f.ws.join("tools/gen.py"), "import json\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "mkdir -p .git/objects/info/pyc/json .git/objects/info/build && \
         printf PAYLOAD > .git/objects/info/pyc/json/__init__.pyc && \
         printf PAYLOAD > .git/objects/info/build/yaml.abi3.so && \
         ln -s ../.git/objects/info/pyc/json tools/json; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for rel in [
        ".git/objects/info/pyc/json/__init__.pyc",
        ".git/objects/info/build/yaml.abi3.so",
        "tools/json",
    ] {
        assert!(
            fs::symlink_metadata(f.ws.join(rel)).is_err(),
            "{rel} stayed: {}",
            describe(&out, &rep)
        );
    }
    let moved = quarantined_with_reasons(&rep);
    assert!(
        moved
            .iter()
            .any(|(p, why)| p.ends_with("tools/json") && why.contains("git dir")),
        "{}",
        describe(&out, &rep)
    );
}

/// A link made in one run inside the workspace (`a/b/l -> ../../outside/t`
/// leads to `ws/outside/t`) and carried outside by renaming its directory
/// in the next (`b/l` now leads to the fixture's `outside/t`): the link's
/// own change time is the first run's, so it was judged by that and kept.
/// Mechanism: a link in a directory the search before the run did not
/// record at that path (new, or renamed there) is the run's.
#[test]
fn a_link_carried_outside_by_renaming_its_directory_is_moved_aside() {
    let f = Fixture::new();
    let victim = f.outside.join("t");
    fs::write(&victim, "USER-FILE\n").unwrap();
    fs::create_dir_all(f.ws.join("outside")).unwrap();
    fs::write(f.ws.join("outside/t"), "inside\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, "mkdir -p a/b && ln -s ../../outside/t a/b/l; exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("a/b/l")).is_ok(),
        "{}",
        describe(&out, &rep)
    );
    let (out, rep) = f.sh(&p, "mv a/b b; exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("b/l")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    fs::write(f.ws.join("b/l"), "BUILD OUTPUT\n").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "USER-FILE\n");
}

/// A file below a blocked directory whose second name lies in that same
/// directory (as a toolchain's `python3.7` and `python3.7m` below a
/// read-only `~/.pyenv`) has no name the command can reach: the run goes
/// ahead. A hidden file whose other name lies below a directory that is
/// only read-only (readable) still refuses it.
#[test]
fn hard_links_that_stay_inside_bound_directories_do_not_refuse_the_run() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("secrets/sub")).unwrap();
    fs::write(f.ws.join("secrets/db.key"), "SECRET\n").unwrap();
    fs::hard_link(
        f.ws.join("secrets/db.key"),
        f.ws.join("secrets/sub/db.key.bak"),
    )
    .unwrap();
    let p = fs_policy(&f, r#"["./"]"#, r#"["./secrets"]"#);
    let (out, rep) = f.sh(&p, "cat secrets/db.key secrets/sub/db.key.bak; echo RAN");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("RAN") && !text(&out.stdout).contains("SECRET"),
        "{}",
        describe(&out, &rep)
    );

    // The other name below `.git/hooks`, which is read-only, not hidden.
    let g = Fixture::new();
    for d in [".git/hooks", ".git/objects", ".git/refs", "secrets"] {
        fs::create_dir_all(g.ws.join(d)).unwrap();
    }
    fs::write(g.ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(g.ws.join(".git/config"), "[core]\n").unwrap();
    fs::write(g.ws.join("secrets/db.key"), "SECRET\n").unwrap();
    fs::hard_link(g.ws.join("secrets/db.key"), g.ws.join(".git/hooks/db.key")).unwrap();
    let p = fs_policy(&g, r#"["./"]"#, r#"["./secrets"]"#);
    let (out, rep) = g.sh(&p, "cat .git/hooks/db.key; exit 0");
    assert!(
        !text(&out.stdout).contains("SECRET"),
        "read through the second name: {}",
        describe(&out, &rep)
    );
    assert_ne!(out.status.code(), Some(0), "{}", describe(&out, &rep));
}

/// exec19 F7: the run made a twin of the checked-out commit (same
/// message, author and dates) and appended to `.git/logs/HEAD` an entry
/// `<twin> <head> … checkout: moving from <twin> to main`; the user's next
/// `git checkout -` landed on the twin, and the report compared refs but
/// no reflog. Mechanism: the reflogs of the repositories known before the
/// run (`logs/HEAD`, `logs/refs/**`) are compared before and after it; an
/// appended entry git would not have written (its old value is not the
/// previous entry's new one, or the last is not the ref's value) is taken
/// out again, and every entry the run added is listed in the report.
#[test]
fn reflog_entries_the_run_forges_are_removed_and_its_own_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "build:\n\t@echo build\n").unwrap();
    for args in [&["add", "Makefile"][..], &["commit", "-q", "-m", "two"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let rev = |f: &Fixture, r: &str| text(&git_in(f, &f.ws, &["rev-parse", r]).stdout);
    let head = rev(f, "HEAD");
    let before = fs::read(f.ws.join(".git/logs/HEAD")).unwrap();
    let p = f.offline();
    // A twin of HEAD, and a forged `checkout` entry that names it.
    let script = "G='git -c user.name=t -c user.email=t@example.invalid'; \
                  twin=$(printf 'build:\\n\\t@echo twin\\n' | $G hash-object -w --stdin) && \
                  tree=$(printf '100644 blob %s\\tMakefile\\n' $twin | $G mktree) && \
                  c=$(GIT_AUTHOR_DATE='1700000000 +0000' GIT_COMMITTER_DATE='1700000000 +0000' $G commit-tree $tree -p HEAD~1 -m two) && \
                  h=$($G rev-parse HEAD) && \
                  printf '%s %s t <t@example.invalid> 1700000000 +0000\\tcheckout: moving from %s to main\\n' \
                    $c $h $c >> .git/logs/HEAD && echo $c > twin-id; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let twin = fs::read_to_string(f.ws.join("twin-id")).unwrap_or_default();
    assert!(!twin.trim().is_empty(), "{}", describe(&out, &rep));
    assert_eq!(rev(f, "HEAD"), head);
    // `git checkout -` does not land on the twin: the entry is gone.
    assert_ne!(
        rev(f, "@{-1}").trim(),
        twin.trim(),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read(f.ws.join(".git/logs/HEAD")).unwrap(),
        before,
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["git_refs_changed"].to_string().contains(twin.trim()),
        "{}",
        describe(&out, &rep)
    );
    // Entries git writes for the run's own checkouts stay, and are listed.
    let script = format!(
        "G='git -c user.name=t -c user.email=t@example.invalid'; \
         $G checkout -q {} && $G checkout -q main; exit 0",
        twin.trim()
    );
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        rev(f, "@{-1}").trim(),
        twin.trim(),
        "{}",
        describe(&out, &rep)
    );
    let listed = rep["git_refs_changed"].to_string();
    assert!(
        listed.contains("HEAD@{0}") && listed.contains("HEAD@{1}") && listed.contains(twin.trim()),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["notes"].to_string().contains("reflog"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec19: variables of the caller's environment naming what the user's
/// tools load or run that the tables did not hold: `GOFLAGS` (`-modfile=`,
/// `-overlay=`, `-toolexec=` name files and programs of the next `go
/// build`), `GOWORK`, `GOCACHE`, `CONDA_EXE`, and the environments
/// `VIRTUAL_ENV` and `CONDA_PREFIX` whose programs `uv run`, `poetry run`
/// and `conda run` start whether or not `PATH` names them. Mechanism: the
/// variables naming files are judged with the others (a gap naming the
/// variable; with `--allow-degraded` what they name is kept read-only);
/// the environments' `bin` directories are judged as `PATH` entries (the
/// environment kept read-only, the run full); values outside the
/// writable trees stay full.
#[test]
fn go_flags_and_python_environments_of_the_caller_are_judged() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let files = [
        "dot/alt.mod",
        "dot/overlay.json",
        "dot/toolexec",
        "dot/go.work",
        "dot/gocache/README",
        "dot/conda",
    ];
    for name in files {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    let home = f.home.to_str().unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("GOFLAGS", format!("-mod=mod -modfile={}", w("dot/alt.mod"))),
        ("GOFLAGS", format!("-overlay={}", w("dot/overlay.json"))),
        (
            "GOFLAGS",
            format!("-trimpath -toolexec={}", w("dot/toolexec")),
        ),
        ("GOWORK", w("dot/go.work")),
        ("GOCACHE", w("dot/gocache")),
        ("CONDA_EXE", w("dot/conda")),
    ];
    let script = files
        .iter()
        .map(|n| format!("echo CHANGED >> {n} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let envs = [("HOME", home), (*k, v.as_str())];
        let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let mut envs = vec![("HOME", home)];
    envs.extend(cases.iter().skip(2).map(|(k, v)| (*k, v.as_str())));
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in files.iter().skip(2) {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    // A virtual environment and a conda environment in the workspace,
    // active but not on PATH: kept read-only, the run full.
    for (var, dir, marker) in [
        ("VIRTUAL_ENV", ".venv", "pyvenv.cfg"),
        ("CONDA_PREFIX", "envs/dev", "conda-meta/history"),
    ] {
        let root = f.ws.join(dir);
        fs::create_dir_all(root.join("bin")).unwrap();
        fs::create_dir_all(root.join(marker).parent().unwrap()).unwrap();
        fs::write(root.join(marker), "home = /usr/bin\n").unwrap();
        fs::write(root.join("bin/python"), "ORIGINAL\n").unwrap();
        let value = root.display().to_string();
        let script = format!("echo CHANGED >> {dir}/bin/python 2>/dev/null; exit 0");
        let envs = [
            ("HOME", home),
            (var, value.as_str()),
            ("PATH", "/usr/bin:/bin"),
        ];
        let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &envs);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
        assert_eq!(
            fs::read_to_string(root.join("bin/python")).unwrap(),
            "ORIGINAL\n",
            "{var}: {}",
            describe(&out, &rep)
        );
    }
    let outside = [
        ("HOME", home),
        ("GOFLAGS", "-mod=mod -trimpath -toolexec=sccache"),
        ("GOWORK", "off"),
        ("GOCACHE", "/var/cache/go-build"),
        ("CONDA_EXE", "/opt/conda/bin/conda"),
        ("VIRTUAL_ENV", "/opt/venv"),
    ];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &outside);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec19 F5: the credential stores are hidden, but the files their
/// configuration names outside them stayed readable: a kubeconfig's
/// `client-key`, `client-certificate`, `certificate-authority` and
/// `tokenFile` (also of a kubeconfig `KUBECONFIG` names),
/// `~/.aws/config`'s `web_identity_token_file` (also of the file
/// `AWS_CONFIG_FILE` names). Mechanism: the configuration of the stores is
/// read before anything is hidden, and each secret file it names is hidden
/// like the stores; the run stays full.
#[test]
fn secrets_named_by_the_configuration_of_hidden_stores_are_hidden() {
    let f = Fixture::new();
    let o = |n: &str| f.outside.join(n);
    let names = [
        "kube/client.key",
        "kube/client.crt",
        "kube/ca.crt",
        "kube/token",
        "kc2/key",
        "aws/token",
        "aws2/token",
    ];
    for n in names {
        fs::create_dir_all(o(n).parent().unwrap()).unwrap();
        fs::write(o(n), format!("SECRET-{n}\n")).unwrap();
    }
    fs::create_dir_all(f.home.join(".kube")).unwrap();
    fs::write(
        f.home.join(".kube/config"),
        format!(
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority: {}\n    server: https://127.0.0.1:6443\n  name: c\nusers:\n- name: u\n  user:\n    client-certificate: \"{}\"\n    client-key: {}\n    tokenFile: '{}'\n",
            o("kube/ca.crt").display(),
            o("kube/client.crt").display(),
            o("kube/client.key").display(),
            o("kube/token").display()
        ),
    )
    .unwrap();
    fs::create_dir_all(o("kc2conf")).unwrap();
    fs::write(
        o("kc2conf/config"),
        "users:\n- name: v\n  user:\n    client-key: ../kc2/key\n",
    )
    .unwrap();
    fs::create_dir_all(f.home.join(".aws")).unwrap();
    fs::write(
        f.home.join(".aws/config"),
        format!(
            "[default]\nregion = eu-west-1\n\n[profile ci]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = {}\n",
            o("aws/token").display()
        ),
    )
    .unwrap();
    fs::create_dir_all(o("aws2conf")).unwrap();
    fs::write(
        o("aws2conf/config"),
        format!(
            "[profile x]\nweb_identity_token_file={}\n",
            o("aws2/token").display()
        ),
    )
    .unwrap();
    let script = names
        .iter()
        .map(|n| format!("cat {} 2>/dev/null;", o(n).display()))
        .collect::<String>()
        + " exit 0";
    let home = f.home.to_str().unwrap();
    let kc = format!(
        "{}:{}",
        o("kc2conf/config").display(),
        f.home.join(".kube/config").display()
    );
    let aws = o("aws2conf/config").display().to_string();
    let envs = [
        ("HOME", home),
        ("KUBECONFIG", kc.as_str()),
        ("AWS_CONFIG_FILE", aws.as_str()),
    ];
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let seen = text(&out.stdout);
    // `~/.aws/config` is not read with `AWS_CONFIG_FILE` set: its token
    // is the one secret left readable.
    for n in names.iter().filter(|n| **n != "aws/token") {
        assert!(
            !seen.contains(&format!("SECRET-{n}")),
            "{n} readable: {}",
            describe(&out, &rep)
        );
    }
    // Docker's TLS keys beside its configuration.
    for (n, body) in [
        (".docker/key.pem", "SECRET-docker-key"),
        (
            ".docker/contexts/tls/abc/docker/key.pem",
            "SECRET-context-key",
        ),
    ] {
        let q = f.home.join(n);
        fs::create_dir_all(q.parent().unwrap()).unwrap();
        fs::write(&q, body).unwrap();
    }
    let script = format!(
        "{} cat {h}/.docker/key.pem {h}/.docker/contexts/tls/abc/docker/key.pem 2>/dev/null; exit 0",
        script.trim_end_matches(" exit 0"),
        h = f.home.display()
    );
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &[("HOME", home)]);
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let seen = text(&out.stdout);
    for n in [
        "kube/client.key",
        "kube/ca.crt",
        "kube/token",
        "aws/token",
        "docker-key",
        "context-key",
    ] {
        assert!(
            !seen.contains(&format!("SECRET-{n}")),
            "{n} readable: {}",
            describe(&out, &rep)
        );
    }
    // A configuration the helper cannot read whole is a gap.
    fs::write(
        f.home.join(".kube/config"),
        "users:\n- name: u\n  user: {client-key: /srv/flow.key}\n",
    )
    .unwrap();
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &[("HOME", home)]);
    assert_refused_naming(&out, &rep, "client-key");
}

/// exec19 F6: the configuration of the hidden stores named code in the
/// workspace, which the user's next ssh, git fetch, kubectl, aws or gpg ran
/// outside any sandbox: `~/.ssh/config` including a missing file of the
/// workspace (the run wrote `Match exec "…"` there), `ProxyCommand` and
/// `Match exec` naming a script there, `credential_process`, a
/// kubeconfig's `exec.command`, gpg-agent's `pinentry-program`.
/// Mechanism: what the configuration includes is kept read-only (a
/// missing file: its directory locked), and what it runs is judged as
/// git's programs are (a gap naming the entry; with `--allow-degraded`
/// kept read-only); programs outside the writable trees stay full.
#[test]
fn programs_and_includes_named_by_the_configuration_of_hidden_stores_are_protected() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let p = f.offline();
    fs::create_dir_all(f.ws.join("conf")).unwrap();
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    let extra = f.ws.join("conf/ssh-extra.conf");
    fs::write(
        f.home.join(".ssh/config"),
        format!(
            "Host *\n  ServerAliveInterval 30\nInclude {}\n",
            extra.display()
        ),
    )
    .unwrap();
    // The run cannot make the included file.
    let (out, rep) = f.sh(
        &p,
        "printf 'Match exec \"touch /tmp/x\"\\n' > conf/ssh-extra.conf 2>/dev/null; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(&extra).is_err(),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    // Programs in the workspace.
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    let tool = |n: &str| {
        let t = f.ws.join("tools").join(n);
        fs::write(&t, "#!/bin/sh\nexit 0\n").unwrap();
        t.display().to_string()
    };
    fs::create_dir_all(f.home.join(".kube")).unwrap();
    fs::create_dir_all(f.home.join(".aws")).unwrap();
    fs::create_dir_all(f.home.join(".gnupg")).unwrap();
    let cases: Vec<(PathBuf, String, &str)> = vec![
        (
            f.home.join(".ssh/config"),
            format!("Host *\n  ProxyCommand {} %h %p\n", tool("proxy")),
            "ProxyCommand",
        ),
        (
            f.home.join(".ssh/config"),
            format!("Match host x exec \"{} %h\"\n", tool("match")),
            "Match exec",
        ),
        (
            f.home.join(".aws/config"),
            format!("[default]\ncredential_process = {} --profile x\n", tool("cred")),
            "credential_process",
        ),
        (
            f.home.join(".kube/config"),
            format!(
                "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      args:\n      - get-token\n",
                tool("kubecred")
            ),
            "exec.command",
        ),
        (
            f.home.join(".gnupg/gpg-agent.conf"),
            format!("pinentry-program {}\n", tool("pinentry")),
            "pinentry-program",
        ),
    ];
    let script = "for t in proxy match cred kubecred pinentry; do echo CHANGED >> tools/$t 2>/dev/null; done; exit 0";
    for (file, body, entry) in &cases {
        let _ = fs::remove_file(f.home.join(".ssh/config"));
        fs::write(file, body).unwrap();
        let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script], &[("HOME", home)]);
        assert_refused_naming(&out, &rep, entry);
        fs::remove_file(file).unwrap();
    }
    fs::write(
        f.home.join(".ssh/config"),
        format!(
            "Host *\n  ProxyCommand {} %h %p\n",
            f.ws.join("tools/proxy").display()
        ),
    )
    .unwrap();
    for (file, body, _) in cases.iter().skip(2) {
        fs::write(file, body).unwrap();
    }
    let (out, rep) = f.run_with(
        &p,
        &["--allow-degraded"],
        &["/bin/sh", "-c", script],
        &[("HOME", home)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for t in ["proxy", "cred", "kubecred", "pinentry"] {
        assert_eq!(
            fs::read_to_string(f.ws.join("tools").join(t)).unwrap(),
            "#!/bin/sh\nexit 0\n",
            "{t} changed: {}",
            describe(&out, &rep)
        );
    }
    // Programs outside the writable trees: full.
    fs::write(
        f.home.join(".ssh/config"),
        "Host *\n  ProxyCommand /usr/bin/nc %h %p\nMatch exec \"test -e /etc/hostname\"\n",
    )
    .unwrap();
    fs::write(
        f.home.join(".aws/config"),
        "[default]\ncredential_process = /usr/local/bin/aws-vault exec x --json\n",
    )
    .unwrap();
    fs::write(
        f.home.join(".kube/config"),
        "users:\n- name: u\n  user:\n    exec:\n      command: kubelogin\n      args:\n      - get-token\n",
    )
    .unwrap();
    fs::write(
        f.home.join(".gnupg/gpg-agent.conf"),
        "pinentry-program /usr/bin/pinentry-curses\n",
    )
    .unwrap();
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// The entries of the report's `ignored_changes`, as `(path, files,
/// ignored_by, ignore_file_changed)`.
fn ignored_changes(rep: &serde_json::Value) -> Vec<(String, u64, String, bool)> {
    rep["ignored_changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["path"].as_str().unwrap_or("").to_string(),
                        e["files"].as_u64().unwrap_or(0),
                        e["ignored_by"].as_str().unwrap_or("").to_string(),
                        e["ignore_file_changed"].as_bool().unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `git status --porcelain --untracked-files=all` in the workspace, outside.
fn status_outside(f: &Fixture) -> String {
    let out = git_in(
        f,
        &f.ws,
        &["status", "--porcelain", "--untracked-files=all"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// exec19 F4: the run writes `tools/json.py` (which shadows the standard
/// `json` for the user's next `python3 tools/gen.py`) and a
/// `tools/.gitignore` naming `json.py` and itself: `git status` says the
/// tree is clean. Mechanism: after the run, every file it made or changed
/// that git ignores and does not track is listed in `ignored_changes`
/// (with the ignore file that hides it, flagged as the run's own), and a
/// note says so.
#[test]
fn a_self_ignoring_gitignore_and_the_module_it_hides_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    fs::write(f.ws.join("tools/gen.py"), "import json\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "gen"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let script = "printf 'PAYLOAD = 1\\n' > tools/json.py && \
                  printf '.gitignore\\njson.py\\n' > tools/.gitignore";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // What the user's review shows: nothing.
    assert_eq!(status_outside(f), "", "{}", describe(&out, &rep));
    let got = ignored_changes(&rep);
    let gi = f.ws.join("tools/.gitignore").display().to_string();
    for name in ["tools/json.py", "tools/.gitignore"] {
        let path = f.ws.join(name).display().to_string();
        assert!(
            got.contains(&(path, 1, gi.clone(), true)),
            "{name} not listed: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(got.len(), 2, "{}", describe(&out, &rep));
    assert!(
        rep["notes"].to_string().contains("git ignores"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec19 F4 (variants): a new directory whose `.gitignore` is `*`
/// holding `conftest.py` (the next `pytest` imports it), a `GNUmakefile`
/// in a subdirectory, an `.npmrc` beside a sub-package's `package.json`
/// hidden the same way. Mechanism: as above; the files a `*` hides are
/// listed one by one.
#[test]
fn files_a_new_ignore_everything_gitignore_hides_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("pkg")).unwrap();
    fs::write(f.ws.join("pkg/package.json"), "{}\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "pkg"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let script = "mkdir -p tests/unit && printf '*\\n' > tests/.gitignore && \
                  printf 'PAYLOAD = 1\\n' > tests/conftest.py && \
                  printf 'all:\\n\\ttrue\\n' > tests/unit/GNUmakefile && \
                  printf 'GNUmakefile\\n.npmrc\\n.gitignore\\n' > pkg/.gitignore && \
                  printf 'script-shell=/bin/true\\n' > pkg/.npmrc";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(status_outside(f), "", "{}", describe(&out, &rep));
    let got: Vec<String> = ignored_changes(&rep).into_iter().map(|e| e.0).collect();
    for name in [
        "tests/.gitignore",
        "tests/conftest.py",
        "tests/unit/GNUmakefile",
        "pkg/.gitignore",
        "pkg/.npmrc",
    ] {
        let path = f.ws.join(name).display().to_string();
        assert!(
            got.contains(&path),
            "{name} not listed: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(got.len(), 5, "{}", describe(&out, &rep));
    assert!(
        rep["notes"].to_string().contains("git ignores"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec19 F4b: files already ignored that the project's tools read as
/// code. The project ignores `.env` and its `Makefile` has `-include
/// .env`; the run appends a line to `.env` and the user's `make` runs
/// it. The user's global excludes (`~/.config/git/ignore`) ignore
/// `.envrc.local`, which the run writes. No new `.gitignore` is needed,
/// and `git status` is clean. Mechanism: the changed ignored files are
/// listed, with the rule's file, which the run did not change.
#[test]
fn changes_to_files_the_project_or_the_user_already_ignores_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "-include .env\nall:\n\ttrue\n").unwrap();
    fs::write(f.ws.join(".gitignore"), ".env\n").unwrap();
    fs::write(f.ws.join(".env"), "A := 1\n").unwrap();
    fs::write(f.ws.join("local_settings.py"), "DEBUG = True\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "mk"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    fs::create_dir_all(f.home.join(".config/git")).unwrap();
    fs::write(f.home.join(".config/git/ignore"), ".envrc.local\n").unwrap();
    let p = f.offline();
    let script = "printf 'X := 2\\n' >> .env && printf 'export A=1\\n' > .envrc.local";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(status_outside(f), "", "{}", describe(&out, &rep));
    let got = ignored_changes(&rep);
    let env = (
        f.ws.join(".env").display().to_string(),
        1,
        f.ws.join(".gitignore").display().to_string(),
        false,
    );
    assert!(got.contains(&env), "{}", describe(&out, &rep));
    assert!(
        got.iter()
            .any(|e| e.0 == f.ws.join(".envrc.local").display().to_string()
                && e.2.ends_with(".config/git/ignore")),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(got.len(), 2, "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// An ordinary build: ignored output below `target/` (many files) is
/// summarised as the directory with the count, the run stays `full`; an
/// ignored file the run did not touch, and a tracked file that matches
/// an ignore rule (git diff shows it), are not listed.
#[test]
fn an_ordinary_build_leaving_ignored_output_stays_full_with_a_summary() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join(".gitignore"), "target/\n*.log\n").unwrap();
    fs::write(f.ws.join("keep.log"), "tracked\n").unwrap();
    fs::write(f.ws.join("old.log"), "untouched\n").unwrap();
    let out = git_in(f, &f.ws, &["add", "-f", ".gitignore", "keep.log"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = git_in(f, &f.ws, &["commit", "-q", "-m", "ignore"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = f.offline();
    let script = "mkdir -p target/debug/deps && \
                  for i in $(seq 1 30); do printf x > target/debug/deps/f$i.o; done && \
                  printf more >> keep.log";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let got = ignored_changes(&rep);
    assert_eq!(
        got,
        [(
            format!("{}/", f.ws.join("target").display()),
            30,
            f.ws.join(".gitignore").display().to_string(),
            false
        )],
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["ignored_changes_unlisted"], 0);
    assert!(
        rep["notes"]
            .to_string()
            .contains("30 files that git ignores"),
        "{}",
        describe(&out, &rep)
    );
}

/// The user's own `status.showUntrackedFiles = no` makes `git status`
/// list no untracked file: a new `tools/json.py` the run writes is hidden
/// without any ignore rule. Mechanism: with that setting (global or the
/// repository's), every untracked file the run made or changed is listed
/// in `ignored_changes`, with the configuration file that hides it.
#[test]
fn untracked_files_hidden_by_the_users_status_setting_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    fs::write(f.ws.join("tools/gen.py"), "import json\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "gen"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    fs::write(
        f.home.join(".gitconfig"),
        "[status]\n\tshowUntrackedFiles = no\n",
    )
    .unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, "printf 'PAYLOAD = 1\\n' > tools/json.py");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(text(&status.stdout), "", "{}", describe(&out, &rep));
    let got = ignored_changes(&rep);
    assert_eq!(
        got,
        [(
            f.ws.join("tools/json.py").display().to_string(),
            1,
            f.home.join(".gitconfig").display().to_string(),
            false
        )],
        "{}",
        describe(&out, &rep)
    );
}

/// exec19 G11: under `allow_hidden_files: false`, the run's dot entries
/// next to a `HEAD`, `objects/` and `refs/` it made (at the workspace top
/// and below) are moved aside like any others: the shape of a git dir is
/// three names the run can make, also in an earlier run. Only `.git`
/// directories are exempt; a `.git` made by `git init` stays.
#[test]
fn a_git_dir_shape_made_during_the_run_exempts_no_dot_entry() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    let p = flag_policy(&f, r#"["~/.ssh"]"#, true, false);
    let script = "for d in . tools; do \
         mkdir -p $d/objects $d/refs && echo 'ref: refs/heads/main' > $d/HEAD && \
         echo 'script-shell=./x.sh' > $d/.npmrc && echo 'export X=1' > $d/.envrc && \
         mkdir -p $d/.vscode && echo '{}' > $d/.vscode/tasks.json; done; \
         mkdir fresh && git init -q fresh && echo MADE";
    let (out, rep) = f.sh(&p, script);
    assert!(
        text(&out.stdout).contains("MADE"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for gone in [
        ".npmrc",
        ".envrc",
        ".vscode",
        "tools/.npmrc",
        "tools/.envrc",
        "tools/.vscode",
    ] {
        assert!(
            fs::symlink_metadata(f.ws.join(gone)).is_err(),
            "{gone} left: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        f.ws.join("fresh/.git/HEAD").is_file(),
        "{}",
        describe(&out, &rep)
    );

    // Over two runs: the first gives `tools` the shape, so it is a git dir
    // known before the second, which writes `tools/.npmrc`. Dot entries
    // are exempt only in `.git` directories.
    let g = Fixture::new();
    fs::create_dir_all(g.ws.join("tools")).unwrap();
    let p = flag_policy(&g, r#"["~/.ssh"]"#, true, false);
    let (out, rep) = g.sh(
        &p,
        "mkdir tools/objects tools/refs && echo 'ref: refs/heads/main' > tools/HEAD",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let (out, rep) = g.sh(&p, "echo 'script-shell=./x.sh' > tools/.npmrc");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(g.ws.join("tools/.npmrc")).is_err(),
        "{}",
        describe(&out, &rep)
    );
}

/// exec19 G12: a link made inside the workspace in one run
/// (`stage/build/run.log -> ../../home/.bashrc`, leading to `ws/home`)
/// and carried by a rename into a directory the next run also gives a git
/// dir's shape (`build/HEAD`, `build/objects`, `build/refs`), where it
/// leads to the caller's `~/.bashrc`: the directory is not a git dir known
/// before the run, so the link is judged as in any other directory (new
/// at its path) and moved aside.
#[test]
fn a_link_carried_into_a_directory_shaped_as_a_git_dir_is_moved_aside() {
    let f = Fixture::new();
    let victim = f.home.join(".bashrc");
    fs::write(&victim, "# stock\n").unwrap();
    fs::create_dir_all(f.ws.join("home")).unwrap();
    fs::write(f.ws.join("home/.bashrc"), "inside\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "mkdir -p stage/build && ln -s ../../home/.bashrc stage/build/run.log; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("stage/build/run.log")).is_ok(),
        "{}",
        describe(&out, &rep)
    );
    let (out, rep) = f.sh(
        &p,
        "mv stage/build build && mkdir build/objects build/refs && \
         echo 'ref: refs/heads/main' > build/HEAD; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("build/run.log")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    fs::write(f.ws.join("build/run.log"), "build log line\n").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "# stock\n");
}

/// exec19 G10: a program link in a directory of the caller's `PATH`
/// outside the writable trees (`~/bin/mytool`, or a `/usr/local/bin`
/// stand-in) that leads into the workspace (`target/release/mytool`):
/// the user's next `mytool`, from any directory, runs what the run left
/// there. Also through a chain of links, as `npm link` makes them
/// (`bin/mytool -> ../lib/node_modules/proj/mytool`, `node_modules/proj`
/// a link to the project). A gap naming the link; with --allow-degraded
/// its target is kept read-only.
#[test]
fn path_directory_links_into_the_workspace_are_a_gap_and_kept_read_only() {
    let system = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    for dir in ["home/bin", "outside/usrlocalbin", "outside/npm/bin"] {
        let f = Fixture::new();
        let home = f.home.to_str().unwrap();
        let bin = f.root.join(dir);
        fs::create_dir_all(&bin).unwrap();
        fs::create_dir_all(f.ws.join("target/release")).unwrap();
        let tool = f.ws.join("target/release/mytool");
        fs::write(&tool, "#!/bin/sh\necho mytool ok\n").unwrap();
        if dir == "outside/npm/bin" {
            let modules = f.root.join("outside/npm/lib/node_modules");
            fs::create_dir_all(&modules).unwrap();
            std::os::unix::fs::symlink(f.ws.join("target"), modules.join("proj")).unwrap();
            std::os::unix::fs::symlink(
                "../lib/node_modules/proj/release/mytool",
                bin.join("mytool"),
            )
            .unwrap();
        } else {
            std::os::unix::fs::symlink(&tool, bin.join("mytool")).unwrap();
        }
        let path = format!("{}:{system}", bin.display());
        let cmd = [
            "/bin/sh",
            "-c",
            "echo 'echo REPLACED' > target/release/mytool; exit 0",
        ];
        let p = f.offline();
        let (out, rep) = f.run_with(&p, &[], &cmd, &[("HOME", home), ("PATH", &path)]);
        assert_refused_naming(&out, &rep, "mytool leads to");
        let (out, rep) = f.run_with(
            &p,
            &["--allow-degraded"],
            &cmd,
            &[("HOME", home), ("PATH", &path)],
        );
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(
            fs::read_to_string(&tool).unwrap(),
            "#!/bin/sh\necho mytool ok\n",
            "{dir}: {}",
            describe(&out, &rep)
        );
    }
}

/// exec19 G1b: one run changes the tracked `Makefile`; a later run
/// rewrites its index entry with the file's stat data as the first run
/// left them (times before the second run) and the original blob id. The
/// entry then claims no time from the second run and names the object it
/// named before it, but its stat data changed during it. Mechanism: the
/// sweep smudges every entry whose stat data changed since the index
/// before the run (and compares times in whole seconds, as git does).
#[test]
fn index_stat_data_recorded_from_an_earlier_runs_change_is_smudged() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "lint:\n\ttrue\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "two"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let (out, rep) = f.sh(&p, "printf '\\tCHANGED\\n' >> Makefile");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // The second run's clock is in a later second than the change.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let forge = f.root.join("forge.py");
    fs::write(
        &forge,
        r#"import hashlib, os, struct, subprocess
data = bytearray(open(".git/index", "rb").read())
n = struct.unpack(">I", data[8:12])[0]
off, st = 12, os.lstat("Makefile")
for _ in range(n):
    nlen = struct.unpack(">H", data[off + 60:off + 62])[0] & 0xfff
    if bytes(data[off + 62:off + 62 + nlen]) == b"Makefile":
        struct.pack_into(">6I", data, off, int(st.st_ctime), st.st_ctime_ns % 10**9,
                         int(st.st_mtime), st.st_mtime_ns % 10**9,
                         st.st_dev & 0xffffffff, st.st_ino & 0xffffffff)
        struct.pack_into(">3I", data, off + 28, st.st_uid, st.st_gid, st.st_size)
    off += (62 + nlen + 8) // 8 * 8
body = bytes(data[:-20])
open(".git/index.new", "wb").write(body + hashlib.sha1(body).digest())
os.rename(".git/index.new", ".git/index")
out = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout
print("status inside: [" + out.strip() + "]")
"#,
    )
    .unwrap();
    let (out, rep) = f.sh(&p, &format!("python3 {}", forge.display()));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("status inside: []"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let status = git_in(f, &f.ws, &["status", "--porcelain"]);
    assert_eq!(
        text(&status.stdout),
        " M Makefile\n",
        "{}",
        describe(&out, &rep)
    );
}

/// exec19 G7: token and key files of common developer tools at the paths
/// they document (SOPS' age keys, Hugging Face, Kaggle, a browser
/// profile's cookies and saved logins, the GNOME keyring, OCI, dbt,
/// Pulumi, Copilot, helm's registry logins, sbt's credentials) are hidden
/// like `~/.ssh`; what lies beside them that tools need (the Hugging Face
/// model cache) stays readable.
#[test]
fn credential_files_of_common_developer_tools_are_hidden() {
    let f = Fixture::new();
    let files = [
        ".config/sops/age/keys.txt",
        ".cache/huggingface/token",
        ".huggingface/token",
        ".kaggle/kaggle.json",
        ".config/google-chrome/Default/Cookies",
        ".config/chromium/Default/Login Data",
        ".mozilla/firefox/abc.default-release/logins.json",
        ".mozilla/firefox/abc.default-release/key4.db",
        ".local/share/keyrings/login.keyring",
        ".oci/config",
        ".dbt/profiles.yml",
        ".pulumi/credentials.json",
        ".config/github-copilot/hosts.json",
        ".config/helm/registry/config.json",
        ".sbt/.credentials",
        ".config/Code/User/globalStorage/state.vscdb",
    ];
    for (i, rel) in files.iter().enumerate() {
        let p = f.home.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, format!("FAKE-SECRET-{i}\n")).unwrap();
    }
    let model = f.home.join(".cache/huggingface/hub/model.txt");
    fs::create_dir_all(model.parent().unwrap()).unwrap();
    fs::write(&model, "MODEL-WEIGHTS\n").unwrap();
    let list = f.root.join("list");
    let mut body: String = files
        .iter()
        .map(|r| format!("{}\n", f.home.join(r).display()))
        .collect();
    body.push_str(&format!("{}\n", model.display()));
    fs::write(&list, body).unwrap();
    let p = f.offline();
    let script = format!(
        "while IFS= read -r x; do cat \"$x\" 2>/dev/null; done < {}; exit 0",
        list.display()
    );
    let (out, rep) = f.sh(&p, &script);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("MODEL-WEIGHTS"), "{}", describe(&out, &rep));
    assert!(!stdout.contains("FAKE-SECRET"), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec19 G8: files that other tools' settings name as client keys,
/// certificates and password files (`~/.npmrc` `keyfile` and a
/// registry's `certfile`, pip's `client-cert`, `.curlrc` `--key`,
/// `.wgetrc` `private_key`, `.pg_service.conf` `sslkey` and `passfile`,
/// `.my.cnf` `ssl-key`, `gradle.properties` `signing.secretKeyRingFile`,
/// `settings.xml` `<privateKey>`) are hidden; a settings file holding a
/// password (`.my.cnf`, `.pg_service.conf`) is hidden itself; `.npmrc`
/// without one stays readable.
#[test]
fn secret_files_named_by_other_tools_settings_are_hidden() {
    let f = Fixture::new();
    let keys = f.root.join("keys");
    fs::create_dir_all(&keys).unwrap();
    let names = [
        "npm-key", "npm-cert", "pip-cert", "curl-key", "wget-key", "pg-key", "pg-pass", "my-key",
        "ring", "m2-key",
    ];
    for n in names {
        fs::write(keys.join(n), format!("FAKE-{n}\n")).unwrap();
    }
    let k = |n: &str| keys.join(n).display().to_string();
    let configs = [
        (
            ".npmrc",
            format!(
                "registry=https://registry.example.invalid/\nkeyfile={}\n//registry.example.invalid/:certfile=\"{}\"\n",
                k("npm-key"),
                k("npm-cert")
            ),
        ),
        (
            ".config/pip/pip.conf",
            format!("[global]\nclient-cert = {}\n", k("pip-cert")),
        ),
        (".curlrc", format!("--key {}\n", k("curl-key"))),
        (".wgetrc", format!("private_key = {}\n", k("wget-key"))),
        (
            ".pg_service.conf",
            format!(
                "[db]\nhost=localhost\nsslkey={}\npassfile={}\npassword=PG-INLINE\n",
                k("pg-key"),
                k("pg-pass")
            ),
        ),
        (
            ".my.cnf",
            format!("[client]\nssl-key={}\npassword=MY-INLINE\n", k("my-key")),
        ),
        (
            ".gradle/gradle.properties",
            format!("org.gradle.jvmargs=-Xmx1g\nsigning.secretKeyRingFile={}\n", k("ring")),
        ),
        (
            ".m2/settings.xml",
            format!(
                "<settings><servers><server><id>s</id>\n<privateKey>{}</privateKey>\n</server></servers></settings>\n",
                k("m2-key")
            ),
        ),
    ];
    for (rel, body) in &configs {
        let p = f.home.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, body).unwrap();
    }
    let p = f.offline();
    let script = format!(
        "for x in {}/*; do cat \"$x\" 2>/dev/null; done; cat ~/.my.cnf ~/.pg_service.conf ~/.npmrc 2>/dev/null; exit 0",
        keys.display()
    );
    let (out, rep) = f.sh(&p, &script);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for bad in ["FAKE-", "PG-INLINE", "MY-INLINE"] {
        assert!(!stdout.contains(bad), "{bad}: {}", describe(&out, &rep));
    }
    assert!(stdout.contains("registry="), "{}", describe(&out, &rep));
    // A name the helper cannot expand is a gap: the run is refused.
    fs::write(f.home.join(".curlrc"), "key = $HOME/k.pem\n").unwrap();
    let (out, rep) = f.sh(&p, "exit 0");
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
}

/// exec19 G9: the run switches the checked-out branch (`HEAD` names
/// another branch at the same commit, no reflog entry): the report lists
/// `HEAD` with its old and new target.
#[test]
fn a_branch_switch_at_the_same_commit_is_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    let out = git_in(f, &f.ws, &["branch", "develop"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = f.offline();
    let (out, rep) = f.sh(&p, "git symbolic-ref HEAD refs/heads/develop; exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/develop\n"
    );
    let listed = rep["git_refs_changed"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        listed.iter().any(|c| c["name"] == "HEAD"
            && c["old"] == "ref: refs/heads/main"
            && c["new"] == "ref: refs/heads/develop"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec19 G3: a git-lfs object (`.git/lfs/objects/OID[0:2]/OID[2:4]/OID`,
/// OID the SHA-256 of its content) rewritten in place by the run would be
/// what the user's next checkout writes into the working tree through
/// the lfs filter. Objects written or replaced during the run are hashed;
/// one whose content is not its name is moved aside, one that is stays.
#[test]
fn lfs_objects_whose_content_is_not_their_name_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    // SHA-256 of "hello\n" and of "world\n".
    let hello = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    let world = "e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317";
    let at = |oid: &str| {
        f.ws.join(".git/lfs/objects")
            .join(&oid[0..2])
            .join(&oid[2..4])
            .join(oid)
    };
    fs::create_dir_all(at(hello).parent().unwrap()).unwrap();
    fs::write(at(hello), "hello\n").unwrap();
    let p = f.offline();
    let script = format!(
        "printf 'evil\\n' > {0} && mkdir -p {1} && printf 'world\\n' > {2}; exit 0",
        at(hello).display(),
        at(world).parent().unwrap().display(),
        at(world).display()
    );
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_ne!(
        fs::read_to_string(at(hello)).unwrap_or_default(),
        "evil\n",
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(at(world)).unwrap(),
        "world\n",
        "{}",
        describe(&out, &rep)
    );
    let moved = rep["git_quarantined"].to_string();
    assert!(moved.contains(hello), "{}", describe(&out, &rep));
}

/// exec21 S2: shell and REPL histories hold what the user typed
/// (`export GITHUB_TOKEN=…`, a password given to a client); they were
/// readable. They are hidden like the credential stores.
#[test]
fn shell_and_repl_histories_are_hidden() {
    let f = Fixture::new();
    let files = [
        ".bash_history",
        ".zsh_history",
        ".python_history",
        ".rediscli_history",
        ".local/share/fish/fish_history",
    ];
    for (i, rel) in files.iter().enumerate() {
        let p = f.home.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, format!("export TOKEN=FAKE-SECRET-{i}\n")).unwrap();
    }
    let list = f.root.join("list");
    let body: String = files
        .iter()
        .map(|r| format!("{}\n", f.home.join(r).display()))
        .collect();
    fs::write(&list, body).unwrap();
    let p = f.offline();
    let script = format!(
        "while IFS= read -r x; do cat \"$x\" 2>/dev/null; done < {}; echo done",
        list.display()
    );
    let (out, rep) = f.sh(&p, &script);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("done"), "{}", describe(&out, &rep));
    assert!(!stdout.contains("FAKE-SECRET"), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// Coding agents' logins, developer tools' private keys, and the
/// histories that no fixed name held or that the caller's environment
/// moves (`HISTFILE`, `PYTHON_HISTORY`, fish below `XDG_DATA_HOME`) were
/// readable with the report saying `full`. They are hidden like the
/// credential stores.
#[test]
fn agent_logins_tool_keys_and_moved_histories_are_hidden() {
    let f = Fixture::new();
    let in_home = [
        ".codex/auth.json",
        ".claude/.credentials.json",
        ".tsh/keys/proxy/user",
        ".minikube/client.key",
        ".config/solana/id.json",
        ".subversion/auth/svn.simple/0a1b",
        ".ipython/profile_default/history.sqlite",
        ".local/share/atuin/history.db",
        ".viminfo",
        ".local/state/nvim/shada/main.shada",
        ".lesshst",
    ];
    let moved = f.outside.join("moved");
    let elsewhere = [
        ("HISTFILE", "zsh/history"),
        ("PYTHON_HISTORY", "python/history"),
        ("XDG_DATA_HOME", "data/fish/fish_history"),
    ];
    let mut files: Vec<PathBuf> = in_home.iter().map(|r| f.home.join(r)).collect();
    files.extend(elsewhere.iter().map(|(_, r)| moved.join(r)));
    for (i, p) in files.iter().enumerate() {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, format!("FAKE-SECRET-{i}\n")).unwrap();
    }
    let plain = moved.join("plain.txt");
    fs::write(&plain, "READABLE\n").unwrap();
    files.push(plain);
    let list = f.root.join("list");
    let body: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    fs::write(&list, body).unwrap();
    let vars: Vec<(&str, String)> = elsewhere
        .iter()
        .map(|(var, rel)| {
            let value = if *var == "XDG_DATA_HOME" {
                moved.join("data")
            } else {
                moved.join(rel)
            };
            (*var, value.display().to_string())
        })
        .collect();
    let envs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = f.offline();
    let script = format!(
        "while IFS= read -r x; do cat \"$x\" 2>/dev/null; done < {}; echo done",
        list.display()
    );
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &envs);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("done"), "{}", describe(&out, &rep));
    assert!(stdout.contains("READABLE"), "{}", describe(&out, &rep));
    assert!(!stdout.contains("FAKE-SECRET"), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec19 G2: caller variables naming the compiler, toolchain scripts,
/// editors, configuration files, search paths and caches in the
/// workspace that no table held (`CC`, `CMAKE_TOOLCHAIN_FILE`,
/// `RUSTFLAGS=-Clinker=`, `CARGO_TARGET_<triple>_LINKER`, `MAKEFLAGS`,
/// `LUA_INIT=@`, `KUBE_EDITOR`, `npm_config_script_shell`,
/// `PHP_INI_SCAN_DIR`, `RIPGREP_CONFIG_PATH`, `DOCKER_CONFIG`,
/// `CMAKE_PREFIX_PATH`, `PKG_CONFIG_PATH`, `CPATH`, `PIP_CACHE_DIR`,
/// `XDG_CACHE_HOME`, ...): the run was full and the user's next `make`
/// or `cmake` ran what the command wrote. Mechanism: the tables hold
/// them, and a variable no table holds whose name says it names an
/// editor, a configuration, a path, a directory, a home, flags or a
/// program run around a tool is judged by the absolute paths its value
/// writes: a gap naming the variable, what it names kept read-only with
/// `--allow-degraded`. Ordinary environments stay full.
#[test]
fn toolchain_editor_and_cache_variables_of_the_caller_are_judged() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let files = [
        "tools/cc",
        "tools/toolchain.cmake",
        "tools/editor",
        "tools/init.lua",
        "tools/ripgreprc",
        "cfg/config.json",
        "prefix/lib/cmake/Foo/FooConfig.cmake",
    ];
    for name in files {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    let home = f.home.to_str().unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("CC", w("tools/cc")),
        ("CXX", format!("ccache {}", w("tools/cc"))),
        ("LD", w("tools/cc")),
        ("CMAKE_TOOLCHAIN_FILE", w("tools/toolchain.cmake")),
        (
            "RUSTFLAGS",
            format!("-C opt-level=2 -Clinker={}", w("tools/cc")),
        ),
        (
            "CARGO_ENCODED_RUSTFLAGS",
            format!("-C\u{1f}linker={}", w("tools/cc")),
        ),
        ("RUSTFLAGS", "-Clinker=tools/cc".to_string()),
        (
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER",
            w("tools/cc"),
        ),
        (
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER",
            w("tools/cc"),
        ),
        ("MAKEFLAGS", format!("-j4 --include-dir={}", w("tools"))),
        ("LUA_INIT", format!("@{}", w("tools/init.lua"))),
        ("KUBE_EDITOR", w("tools/editor")),
        ("FCEDIT", w("tools/editor")),
        ("SYSTEMD_EDITOR", w("tools/editor")),
        ("npm_config_script_shell", w("tools/editor")),
        ("PHP_INI_SCAN_DIR", w("tools")),
        ("RIPGREP_CONFIG_PATH", w("tools/ripgreprc")),
        ("ANSIBLE_CONFIG", w("cfg/ansible.cfg")),
        ("BAT_CONFIG_PATH", w("cfg/batconfig")),
        ("SCREENRC", w("cfg/screenrc")),
        ("DOCKER_CONFIG", w("cfg")),
        ("CMAKE_PREFIX_PATH", format!("/usr/local:{}", w("prefix"))),
        ("ACLOCAL_PATH", w("prefix")),
        ("PKG_CONFIG_PATH", w("prefix")),
        ("CPATH", w("prefix")),
        ("LIBRARY_PATH", w("prefix")),
        ("XDG_CACHE_HOME", w("cache")),
        ("PIP_CACHE_DIR", w("cache")),
        ("UV_CACHE_DIR", w("cache")),
        ("CCACHE_DIR", w("cache")),
        // No table holds these: judged by their name.
        ("MYTOOL_EDITOR", w("tools/editor")),
        ("MYTOOL_CONFIG", w("cfg/mytool.toml")),
        ("HF_HOME", w("cache")),
        (
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
            format!("-Clinker={}", w("tools/cc")),
        ),
    ];
    let script = files
        .iter()
        .map(|n| format!("echo CHANGED >> {n} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    for (k, v) in &cases {
        let envs = [("HOME", home), (*k, v.as_str())];
        let (out, rep) = f.run_with(&p, &[], &cmd, &envs);
        assert_refused_naming(&out, &rep, &format!("{k}="));
    }
    let envs: Vec<(&str, String)> = vec![
        ("HOME", home.to_string()),
        ("CC", w("tools/cc")),
        ("CMAKE_TOOLCHAIN_FILE", w("tools/toolchain.cmake")),
        ("LUA_INIT", format!("@{}", w("tools/init.lua"))),
        ("KUBE_EDITOR", w("tools/editor")),
        ("RIPGREP_CONFIG_PATH", w("tools/ripgreprc")),
        ("DOCKER_CONFIG", w("cfg")),
        ("CMAKE_PREFIX_PATH", w("prefix")),
    ];
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in files {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    // An ordinary developer environment stays full: tools named by name
    // or outside the writable trees, flags without paths, cargo's output
    // in the workspace.
    let target = w("target");
    let ordinary = [
        ("HOME", home),
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("LANG", "C.UTF-8"),
        ("TERM", "xterm-256color"),
        ("CARGO_HOME", "/usr/local/cargo"),
        ("CARGO_TARGET_DIR", target.as_str()),
        ("CC", "gcc"),
        ("CXX", "ccache g++"),
        ("CFLAGS", "-O2 -g -Wall"),
        ("RUSTFLAGS", "-C target-cpu=native"),
        ("MAKEFLAGS", "-j4"),
        ("PKG_CONFIG_PATH", "/usr/local/lib/pkgconfig"),
        ("EDITOR", "vim"),
        ("KUBE_EDITOR", "nano"),
        ("PIP_CACHE_DIR", "/var/cache/pip"),
    ];
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &ordinary);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec19 G4: programs the home's tool configuration names lying in the
/// workspace: `~/.npmrc` `script-shell` (the user's next `npm test` ran
/// the command's shell), `node-options`, `~/.cargo/config.toml`
/// `build.rustc-wrapper` and `target.<triple>.linker`, docker's
/// `credsStore` naming a `docker-credential-<name>` that a caller `PATH`
/// directory reaches in the workspace. Mechanism: these configurations
/// are read like those of the hidden stores; each program they name is
/// judged as git's programs are (a gap naming the entry; with
/// `--allow-degraded` kept read-only). `[alias]` and programs named by
/// name stay full.
#[test]
fn programs_named_by_npm_cargo_and_docker_configuration_are_judged() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    let files = [
        "tools/npmshell",
        "tools/hook.js",
        "tools/rustcwrap",
        "tools/linker",
        "tools/docker-credential-ws",
    ];
    for name in files {
        let p = f.ws.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, "ORIGINAL\n").unwrap();
    }
    let w = |name: &str| f.ws.join(name).display().to_string();
    let home = f.home.to_str().unwrap();
    let bin = f.home.join("bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        f.ws.join("tools/docker-credential-ws"),
        bin.join("docker-credential-ws"),
    )
    .unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let npmrc = f.home.join(".npmrc");
    let cargo = f.home.join(".cargo/config.toml");
    fs::create_dir_all(cargo.parent().unwrap()).unwrap();
    let docker = f.home.join(".docker/config.json");
    fs::create_dir_all(docker.parent().unwrap()).unwrap();
    let cases: Vec<(&Path, String, &str)> = vec![
        (
            &npmrc,
            format!("script-shell={}\n", w("tools/npmshell")),
            "script-shell",
        ),
        (
            &npmrc,
            format!("node-options=--require {}\n", w("tools/hook.js")),
            "node-options",
        ),
        (
            &cargo,
            format!("[build]\nrustc-wrapper = \"{}\"\n", w("tools/rustcwrap")),
            "build.rustc-wrapper",
        ),
        (
            &cargo,
            format!(
                "[target.x86_64-unknown-linux-gnu]\nlinker = \"{}\"\n",
                w("tools/linker")
            ),
            "target.x86_64-unknown-linux-gnu.linker",
        ),
        (
            &cargo,
            format!("build.rustc-wrapper = '{}'\n", w("tools/rustcwrap")),
            "build.rustc-wrapper",
        ),
        (
            &docker,
            "{\"credsStore\": \"ws\"}\n".to_string(),
            "credsStore",
        ),
        (
            &docker,
            "{\"credHelpers\": {\"registry.example\": \"ws\"}}\n".to_string(),
            "credHelpers.registry.example",
        ),
    ];
    let script = files
        .iter()
        .map(|n| format!("echo CHANGED >> {n} 2>/dev/null;"))
        .collect::<String>()
        + " exit 0";
    let cmd = ["/bin/sh", "-c", script.as_str()];
    let p = f.offline();
    let envs = [("HOME", home), ("PATH", path.as_str())];
    // Without the link: the `PATH` rule judges a link into the workspace
    // by itself, and npm's and cargo's configuration needs no `PATH`.
    let plain = [("HOME", home), ("PATH", "/usr/bin:/bin")];
    let clear = || {
        for c in [&npmrc, &cargo, &docker] {
            let _ = fs::remove_file(c);
        }
    };
    for (file, text, entry) in &cases {
        clear();
        fs::write(file, text).unwrap();
        let e = if *file == docker.as_path() {
            &envs
        } else {
            &plain
        };
        let (out, rep) = f.run_with(&p, &[], &cmd, e);
        assert_refused_naming(&out, &rep, entry);
    }
    clear();
    fs::write(&npmrc, format!("script-shell={}\n", w("tools/npmshell"))).unwrap();
    fs::write(
        &cargo,
        format!(
            "[build]\nrustc-wrapper = \"{}\"\n[target.x86_64-unknown-linux-gnu]\nlinker = \"{}\"\n",
            w("tools/rustcwrap"),
            w("tools/linker")
        ),
    )
    .unwrap();
    fs::write(&docker, "{\"credsStore\": \"ws\"}\n").unwrap();
    let (out, rep) = f.run_with(&p, &["--allow-degraded"], &cmd, &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for name in files.iter().filter(|n| **n != "tools/hook.js") {
        assert_eq!(
            fs::read_to_string(f.ws.join(name)).unwrap(),
            "ORIGINAL\n",
            "{name} changed: {}",
            describe(&out, &rep)
        );
    }
    // Ordinary configuration stays full.
    fs::write(
        &npmrc,
        "registry=https://registry.npmjs.org/\nscript-shell=/bin/bash\n",
    )
    .unwrap();
    fs::write(
        &cargo,
        "[build]\njobs = 4\nrustc-wrapper = \"sccache\"\n[alias]\nb = \"build\"\nxtask = \"run --package xtask --\"\n[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\nrustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n",
    )
    .unwrap();
    fs::write(&docker, "{\"auths\": {}, \"credsStore\": \"missing\"}\n").unwrap();
    let (out, rep) = f.run_with(&p, &[], &["/bin/true"], &plain);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// exec19 G5: an editable install's `.pth` in the user's site-packages,
/// or in an activated virtualenv the `PATH` rule keeps read-only, names
/// the workspace's `src`: a `usercustomize.py` or `sitecustomize.py` the
/// command wrote there (or a module a `.pth` `import` line imports) ran
/// at every later start of that Python, in any directory. Mechanism: the
/// `.pth` files of the caller's site directories are read before the run,
/// and the start-up modules of each directory they add in a writable
/// tree are judged by the post-run sweep: made or changed during the run,
/// moved aside. The project's own modules there are its code and stay.
#[test]
fn python_startup_modules_in_directories_a_pth_names_are_moved_aside() {
    let f = Fixture::new();
    fs::write(f.home.join(".gitconfig"), "").unwrap();
    fs::create_dir_all(f.ws.join("src/proj")).unwrap();
    fs::create_dir_all(f.ws.join("lib")).unwrap();
    fs::write(f.ws.join("src/proj/__init__.py"), "ORIGINAL\n").unwrap();
    let user_site = f.home.join(".local/lib/python3.11/site-packages");
    fs::create_dir_all(&user_site).unwrap();
    fs::write(
        user_site.join("__editable__.proj-0.1.pth"),
        format!("{}\n", f.ws.join("src").display()),
    )
    .unwrap();
    fs::write(
        user_site.join("hook.pth"),
        format!(
            "import projhook; import sys; sys.path.append('{}')\n",
            f.ws.join("lib").display()
        ),
    )
    .unwrap();
    let home = f.home.to_str().unwrap();
    let p = f.offline();
    let script = "echo PLANTED > src/usercustomize.py; echo PLANTED > src/sitecustomize.py; \
                  echo PLANTED > src/projhook.py; echo PLANTED > lib/sitecustomize.py; \
                  echo CHANGED >> src/proj/__init__.py; exit 0";
    let envs = [("HOME", home), ("PATH", "/usr/bin:/bin")];
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for planted in [
        "src/usercustomize.py",
        "src/sitecustomize.py",
        "src/projhook.py",
        "lib/sitecustomize.py",
    ] {
        assert!(
            fs::symlink_metadata(f.ws.join(planted)).is_err(),
            "{planted} left in place: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        rep["git_quarantined"]
            .to_string()
            .contains("usercustomize.py"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(f.ws.join("src/proj/__init__.py")).unwrap(),
        "ORIGINAL\nCHANGED\n"
    );
    // An activated virtualenv in the workspace with the project installed
    // editable: its `sitecustomize` in `src` is moved aside, the run full.
    let venv = f.ws.join(".venv");
    let site = venv.join("lib/python3.12/site-packages");
    fs::create_dir_all(venv.join("bin")).unwrap();
    fs::create_dir_all(&site).unwrap();
    fs::write(venv.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    fs::write(
        site.join("__editable__.proj-0.1.pth"),
        format!("{}\n", f.ws.join("src").display()),
    )
    .unwrap();
    fs::remove_file(user_site.join("__editable__.proj-0.1.pth")).unwrap();
    fs::remove_file(user_site.join("hook.pth")).unwrap();
    let path = format!("{}:/usr/bin:/bin", venv.join("bin").display());
    let envs = [("HOME", home), ("PATH", path.as_str())];
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "/bin/sh",
            "-c",
            "echo PLANTED > src/sitecustomize.py; exit 0",
        ],
        &envs,
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("src/sitecustomize.py")).is_err(),
        "{}",
        describe(&out, &rep)
    );
    // A pyenv version's site-packages (its shims start it; its prefix is
    // no `PATH` directory's parent).
    fs::remove_dir_all(&venv).unwrap();
    let pyenv_site = f
        .home
        .join(".pyenv/versions/3.12.1/lib/python3.12/site-packages");
    fs::create_dir_all(&pyenv_site).unwrap();
    fs::write(
        pyenv_site.join("__editable__.proj-0.1.pth"),
        format!("{}\n", f.ws.join("src").display()),
    )
    .unwrap();
    let envs = [("HOME", home), ("PATH", "/usr/bin:/bin")];
    let planted = "echo PLANTED > src/sitecustomize.py; exit 0";
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", planted], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        fs::symlink_metadata(f.ws.join("src/sitecustomize.py")).is_err(),
        "pyenv: {}",
        describe(&out, &rep)
    );
}

/// A twin of `HEAD`'s commit (same message, author, dates; one more line
/// in `Makefile`) made in the sandbox by the script `TWIN_OF_HEAD` runs
/// (`$1`: the git dir whose `HEAD` it rewrites, no reflog entry); its id
/// is left in `twin-id`.
const TWIN_OF_HEAD: &str = "G='git -c user.name=t -c user.email=t@example.invalid'; \
    old=$($G rev-parse HEAD) && \
    blob=$(printf 'all:\\n\\t@echo make ok\\n\\t@echo TWIN\\n' | $G hash-object -w --stdin) && \
    tree=$(printf '100644 blob %s\\tMakefile\\n' $blob | $G mktree) && \
    export GIT_AUTHOR_DATE=\"$($G log -1 --format=%ad)\" GIT_COMMITTER_DATE=\"$($G log -1 --format=%cd)\" && \
    twin=$($G log -1 --format=%B | $G commit-tree $tree) && \
    printf '%s\\n' $twin > \"$1/HEAD\" && echo $twin > twin-id; exit 0";

/// Commit a `Makefile` in `g`'s workspace (`HEAD` is then a commit with
/// a file the twin changes).
fn commit_makefile(f: &Fixture) {
    fs::write(f.ws.join("Makefile"), "all:\n\t@echo make ok\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "make"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
}

/// exec21 H2: a detached `HEAD` (a checked-out tag) moved to a twin
/// commit with no reflog entry: `git log` shows the same line, `git
/// status` is clean once the files match. `HEAD`'s value is compared
/// like the refs, and the change listed in `git_refs_changed`.
#[test]
fn a_detached_head_moved_by_the_run_is_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    commit_makefile(f);
    for args in [&["tag", "v1.0"][..], &["checkout", "-q", "v1.0"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", TWIN_OF_HEAD, "sh", ".git"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let twin = fs::read_to_string(f.ws.join("twin-id")).unwrap_or_default();
    assert!(!twin.trim().is_empty(), "{}", describe(&out, &rep));
    let listed: Vec<&serde_json::Value> = rep["git_refs_changed"]
        .as_array()
        .map(|a| a.iter().filter(|c| c["name"] == "HEAD").collect())
        .unwrap_or_default();
    assert!(
        listed.len() == 1 && listed[0]["new"] == twin.trim(),
        "{}",
        describe(&out, &rep)
    );
    // A commit on a branch moves the branch, not `HEAD`: nothing more.
    let out = git_in(f, &f.ws, &["checkout", "-q", "-B", "main"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (out, rep) = f.sh(
        &p,
        "git -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m two",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        !rep["git_refs_changed"]
            .to_string()
            .contains("\"name\":\"HEAD\""),
        "{}",
        describe(&out, &rep)
    );
}

/// exec21 H3: a linked worktree outside the writable trees keeps its
/// `HEAD` in the workspace's `.git/worktrees/NAME/`; the run re-points it
/// at a twin commit, and the user's next `git stash` or `git checkout --
/// Makefile` there writes the run's file. Its `HEAD` is compared like the
/// main one's, and the change listed.
#[test]
fn a_linked_worktree_head_outside_the_writable_trees_moved_by_the_run_is_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    commit_makefile(f);
    let wt = f.root.join("wt2");
    let out = git_in(
        f,
        &f.ws,
        &["worktree", "add", "-q", "--detach", wt.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = f.offline();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["/bin/sh", "-c", TWIN_OF_HEAD, "sh", ".git/worktrees/wt2"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let twin = fs::read_to_string(f.ws.join("twin-id")).unwrap_or_default();
    assert!(!twin.trim().is_empty(), "{}", describe(&out, &rep));
    let listed = rep["git_refs_changed"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        listed.iter().any(|c| c["name"] == "HEAD"
            && c["new"] == twin.trim()
            && c["git_dir"]
                .as_str()
                .unwrap_or("")
                .ends_with("worktrees/wt2")),
        "{}",
        describe(&out, &rep)
    );
}

/// exec21 H5: `.git/MERGE_AUTOSTASH` left naming a stash commit (`git
/// stash create`: no ref, no reflog) is applied by the user's next `git
/// commit` ("Applied autostash."), in the main git dir and in the git dir
/// of a linked worktree outside the writable trees. State files git acts
/// on at the next command (named as git names them, capitals and `_`)
/// made or changed during the run are moved aside; the editor buffer an
/// ordinary commit leaves (`COMMIT_EDITMSG`) stays.
#[test]
fn git_state_files_acted_on_at_the_next_command_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    commit_makefile(f);
    let wt = f.root.join("wt2");
    let out = git_in(
        f,
        &f.ws,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "feature",
            wt.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = f.offline();
    // A stash commit whose tree adds a line, left for the next commit, in
    // both git dirs; and a state name git may add later.
    let script = "G='git -c user.name=t -c user.email=t@example.invalid'; \
                  $G commit -q --allow-empty -m inside && \
                  printf '\\t@echo STASHED\\n' >> Makefile && id=$($G stash create) && \
                  $G checkout -q -- Makefile && \
                  printf '%s\\n' $id > .git/MERGE_AUTOSTASH && \
                  printf '%s\\n' $id > .git/worktrees/wt2/MERGE_AUTOSTASH && \
                  printf '%s\\n' $id > .git/SOME_FUTURE_STATE; exit 0";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    for n in [
        ".git/MERGE_AUTOSTASH",
        ".git/worktrees/wt2/MERGE_AUTOSTASH",
        ".git/SOME_FUTURE_STATE",
    ] {
        assert!(
            q.iter().any(|p| p.ends_with(n)),
            "{n}: {}",
            describe(&out, &rep)
        );
        assert!(!f.ws.join(n).exists(), "{n}");
    }
    assert!(
        !q.iter().any(|p| p.contains("COMMIT_EDITMSG")),
        "{}",
        describe(&out, &rep)
    );
    // The user's next commits apply nothing.
    for dir in [&f.ws, &wt] {
        let out = git_in(f, dir, &["commit", "-q", "--allow-empty", "-m", "user"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            !fs::read_to_string(dir.join("Makefile"))
                .unwrap()
                .contains("STASHED"),
            "{}",
            dir.display()
        );
    }
}

/// exec21 H4: a `.git/rr-cache` planted by the run turns rerere on and
/// holds a resolution for the conflict the user's next merge hits, which
/// git writes into the working tree ("Resolved 'Makefile' using previous
/// resolution."). A store made during the run is moved aside whole; in a
/// store the user had, only the conflict entries made or changed during
/// the run are, and the user's own stay.
#[test]
fn rerere_resolutions_the_run_records_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    commit_makefile(f);
    let p = f.offline();
    let plant = "mkdir -p .git/rr-cache/1111111111111111111111111111111111111111 && \
                 printf 'all:\\n<<<<<<<\\nA\\n=======\\nB\\n>>>>>>>\\n' > .git/rr-cache/1111111111111111111111111111111111111111/preimage && \
                 printf 'all:\\n\\t@echo PLANTED\\n' > .git/rr-cache/1111111111111111111111111111111111111111/postimage; exit 0";
    let (out, rep) = f.sh(&p, plant);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter().any(|p| p.ends_with(".git/rr-cache")),
        "{}",
        describe(&out, &rep)
    );
    assert!(!f.ws.join(".git/rr-cache").exists());
    // The user's own store, with one resolution of theirs.
    let own =
        f.ws.join(".git/rr-cache/2222222222222222222222222222222222222222");
    fs::create_dir_all(&own).unwrap();
    fs::write(own.join("postimage"), "users own\n").unwrap();
    let id = "1111111111111111111111111111111111111111";
    let (out, rep) = f.sh(&p, plant);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    assert!(
        q.iter()
            .any(|p| p.ends_with(&format!(".git/rr-cache/{id}"))),
        "{}",
        describe(&out, &rep)
    );
    assert!(!f.ws.join(".git/rr-cache").join(id).exists());
    assert_eq!(
        fs::read_to_string(own.join("postimage")).unwrap(),
        "users own\n"
    );
    // A resolution of the user's rewritten in place is moved aside too.
    let (out, rep) = f.sh(
        &p,
        "printf 'all:\\n\\t@echo PLANTED\\n' > .git/rr-cache/2222222222222222222222222222222222222222/postimage; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(!own.exists(), "{}", describe(&out, &rep));
}

/// exec21 H6: a file link the run leaves leading into the git dir's
/// protected entries (`build/test.log -> ../.git/hooks/pre-commit`, an
/// existing hook; `build/cfg -> ../.git/config`; one to a hook not yet
/// there): the user's next build writes its log through it, and the next
/// `git commit` runs the log as a hook. Moved aside like directory links
/// into a git dir; an ordinary link inside the tree stays.
#[test]
fn file_links_into_a_git_dir_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    use std::os::unix::fs::PermissionsExt;
    let hook = f.ws.join(".git/hooks/pre-commit");
    fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(f.ws.join("notes.txt"), "notes\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "mkdir -p build && ln -s ../.git/hooks/pre-commit build/test.log && \
         ln -s ../.git/config build/cfg && ln -s ../.git/hooks/post-checkout build/out.txt && \
         ln -s ../notes.txt build/notes.txt; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    for n in ["build/test.log", "build/cfg", "build/out.txt"] {
        assert!(
            q.iter().any(|p| p.ends_with(n)),
            "{n}: {}",
            describe(&out, &rep)
        );
        assert!(fs::symlink_metadata(f.ws.join(n)).is_err(), "{n}");
    }
    assert!(fs::symlink_metadata(f.ws.join("build/notes.txt")).is_ok());
    // The user's build writing its log does not reach the hook.
    let _ = fs::write(f.ws.join("build/test.log"), "checked\n");
    assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\nexit 0\n");
}

/// exec22 LG1: files the run leaves in a git dir under names git does not
/// make (`.git/lazygit.yml`, lazygit's per-repository settings whose pager
/// and commands it runs, and the script it names in `.git/tools/`) are
/// moved aside; so is a directory of the user's there in which the run
/// changed a file. What the user kept there and the run did not touch
/// stays.
#[test]
fn entries_git_does_not_make_in_a_git_dir_are_moved_aside() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join(".git/my-notes.txt"), "mine\n").unwrap();
    fs::create_dir_all(f.ws.join(".git/mytool")).unwrap();
    fs::write(f.ws.join(".git/mytool/run.sh"), "echo mine\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "mkdir -p .git/tools && printf '#!/bin/sh\\nexec cat\\n' > .git/tools/pager && \
         printf 'git:\\n  paging:\\n    pager: .git/tools/pager\\n' > .git/lazygit.yml && \
         printf 'echo changed\\n' > .git/mytool/run.sh; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    for n in [".git/lazygit.yml", ".git/tools", ".git/mytool"] {
        assert!(
            q.iter().any(|p| p.ends_with(n)),
            "{n}: {}",
            describe(&out, &rep)
        );
        assert!(fs::symlink_metadata(f.ws.join(n)).is_err(), "{n}");
    }
    assert_eq!(
        fs::read_to_string(f.ws.join(".git/my-notes.txt")).unwrap(),
        "mine\n"
    );
    // The same in a linked worktree's git dir and a submodule's.
    let out = git_in(f, &f.ws, &["worktree", "add", "-q", "../wt", "-b", "wt"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    fs::create_dir_all(f.ws.join(".git/modules/lib/objects")).unwrap();
    fs::create_dir_all(f.ws.join(".git/modules/lib/refs")).unwrap();
    fs::write(f.ws.join(".git/modules/lib/HEAD"), "ref: refs/heads/main\n").unwrap();
    let (out, rep) = f.sh(
        &p,
        "printf 'x: 1\\n' > .git/worktrees/wt/lazygit.yml && printf 'x: 1\\n' > .git/modules/lib/lazygit.yml; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for n in [
        ".git/worktrees/wt/lazygit.yml",
        ".git/modules/lib/lazygit.yml",
    ] {
        assert!(!f.ws.join(n).exists(), "{n}: {}", describe(&out, &rep));
    }
}

/// The entries git itself makes in a git dir during ordinary commands in
/// the run (`commit`, `gc`, `fetch`, `rebase`, `stash`, `worktree add`,
/// `maintenance run`, `notes`, `tag -a`, git-lfs) stay where git put them:
/// nothing is moved aside as a name git does not make.
#[test]
fn git_own_entries_in_a_git_dir_stay_after_ordinary_commands() {
    let g = GitFixture::new();
    let f = &g.f;
    commit_makefile(f);
    let up = f.root.join("up.git");
    let out = git_in(f, &f.root, &["clone", "-q", "--bare", "ws", "up.git"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = git_in(f, &f.ws, &["remote", "add", "origin", up.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = f.offline();
    let script = format!(
        "set -e; export HOME={home}; G='git -c user.name=t -c user.email=t@example.invalid'; \
         $G fetch -q {up} main; \
         echo a > a.txt; $G add a.txt; $G commit -q -m a; \
         $G checkout -q -b side HEAD~1; echo b > b.txt; $G add b.txt; $G commit -q -m b; \
         $G rebase -q main; $G checkout -q main; \
         echo c >> Makefile; $G stash -q; $G stash pop -q; $G checkout -q -- Makefile; \
         $G tag -a -m t1 t1; $G notes add -m n HEAD; \
         $G worktree add -q wt2 -b wt2; \
         $G gc -q; $G maintenance run --task=commit-graph --task=loose-objects 2>/dev/null || true; \
         $G lfs install --local >/dev/null 2>&1 || true; \
         $G fsck --lost-found >/dev/null 2>&1 || true; \
         $G status --short >/dev/null; exit 0",
        home = f.home.display(),
        up = up.display()
    );
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let moved = rep["git_quarantined"].to_string();
    assert!(
        !moved.contains("whose name git does not make"),
        "{}",
        describe(&out, &rep)
    );
    assert!(f.ws.join(".git/worktrees/wt2").is_dir());
    assert!(f.ws.join(".git/logs").is_dir());
}

/// exec22 HG1: a Mercurial repository in the workspace. Its `.hg/hgrc`
/// (`[hooks]` every later `hg` command runs, `[extensions]` every `hg`
/// loads) is read-only during the run and `.hg` cannot be renamed away;
/// an `hgrc` the run makes where there was none, one in a repository the
/// run makes, and the configuration of Sapling (`.sl/config`), darcs
/// (`_darcs/prefs/defaults`), Pijul (`.pijul/hooks`) and Jujutsu
/// (`.jj/repo/config.toml`) made by the run are moved aside after it. No
/// `hg` is needed: what is asserted is what hg would read.
#[test]
fn other_vcs_configuration_is_read_only_and_what_the_run_makes_is_moved_aside() {
    let f = Fixture::new();
    let hg = f.ws.join(".hg");
    fs::create_dir_all(hg.join("store")).unwrap();
    fs::write(hg.join("requires"), "store\n").unwrap();
    fs::write(hg.join("hgrc"), "[ui]\nusername = u\n").unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "printf '[hooks]\\npre-status = touch planted\\n' >> .hg/hgrc 2>/dev/null && echo WROTE; \
         mv .hg .hg-old 2>/dev/null && mkdir .hg && printf '[hooks]\\npre-status = x\\n' > .hg/hgrc && echo RENAMED; \
         printf 'x = 1\\n' > .hg/evil.py; touch .hg/dirstate; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        !text(&out.stdout).contains("WROTE"),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !text(&out.stdout).contains("RENAMED"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(
        fs::read_to_string(hg.join("hgrc")).unwrap(),
        "[ui]\nusername = u\n"
    );
    assert!(
        hg.join("dirstate").exists(),
        "hg's own state stays writable"
    );
    // Where there was no configuration, what the run makes is moved aside.
    fs::remove_file(hg.join("hgrc")).unwrap();
    let (out, rep) = f.sh(
        &p,
        "printf '[hooks]\\npre-status = touch planted\\n' > .hg/hgrc; \
         mkdir -p sub/.hg sub2/.sl sub3/_darcs/prefs sub4/.pijul/hooks sub5/.jj/repo && \
         printf '[extensions]\\ne = e.py\\n' > sub/.hg/hgrc && \
         printf '[hooks]\\npre-status = x\\n' > sub2/.sl/config && \
         printf 'ALL posthook touch planted\\n' > sub3/_darcs/prefs/defaults && \
         printf '#!/bin/sh\\n' > sub4/.pijul/hooks/record && \
         printf '[ui]\\npager = \"x\"\\n' > sub5/.jj/repo/config.toml; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let q = GitFixture::quarantined(&rep);
    for n in [
        ".hg/hgrc",
        "sub/.hg/hgrc",
        "sub2/.sl/config",
        "sub3/_darcs/prefs/defaults",
        "sub4/.pijul/hooks",
        "sub5/.jj/repo/config.toml",
    ] {
        assert!(
            q.iter().any(|p| p.ends_with(n)),
            "{n}: {}",
            describe(&out, &rep)
        );
        assert!(fs::symlink_metadata(f.ws.join(n)).is_err(), "{n}");
    }
}

/// exec22 HG2: the user's Mercurial configuration (`~/.hgrc`,
/// `~/.config/hg/hgrc`) naming an extension and a hook script in the
/// workspace: every later `hg`, in any repository, runs them. The run is
/// refused (a gap naming the entry), and with `--allow-degraded` both
/// files are kept read-only. An ordinary `~/.hgrc` (a user name, bundled
/// extensions, a hook outside the writable trees) leaves the run full.
#[test]
fn the_users_hgrc_naming_workspace_hooks_and_extensions_is_judged() {
    let f = Fixture::new();
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    fs::write(f.ws.join("tools/myext.py"), "ORIGINAL\n").unwrap();
    fs::write(f.ws.join("tools/hook.sh"), "ORIGINAL\n").unwrap();
    let ws = f.ws.display();
    let script = "for n in tools/*; do echo CHANGED >> $n; done; exit 0";
    for (file, body, named) in [
        (
            ".hgrc",
            format!("[ui]\nusername = u\n[extensions]\nmyext = {ws}/tools/myext.py\n"),
            "tools/myext.py",
        ),
        (
            ".config/hg/hgrc",
            format!("[hooks]\npre-status =\n  sh {ws}/tools/hook.sh\n"),
            "tools/hook.sh",
        ),
    ] {
        for n in ["tools/myext.py", "tools/hook.sh"] {
            fs::write(f.ws.join(n), "ORIGINAL\n").unwrap();
        }
        let rc = f.home.join(file);
        fs::create_dir_all(rc.parent().unwrap()).unwrap();
        fs::write(&rc, &body).unwrap();
        let p = f.offline();
        let (out, rep) = f.sh(&p, script);
        assert_eq!(
            out.status.code(),
            Some(126),
            "{file}: {}",
            describe(&out, &rep)
        );
        assert_eq!(rep["status"], "refused", "{}", describe(&out, &rep));
        assert!(
            rep["mechanisms"]["mounts"]["detail"]
                .to_string()
                .contains(file),
            "{file}: {}",
            describe(&out, &rep)
        );
        let (out, rep) = f.run_with(&p, &["--allow-degraded"], &["/bin/sh", "-c", script], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
        assert_eq!(
            fs::read_to_string(f.ws.join(named)).unwrap(),
            "ORIGINAL\n",
            "{named} changed: {}",
            describe(&out, &rep)
        );
        fs::remove_file(&rc).unwrap();
    }
    fs::write(
        f.home.join(".hgrc"),
        format!(
            "[ui]\nusername = u\neditor = /usr/bin/vi\n[extensions]\nrebase =\nhistedit = !\n[hooks]\npost-commit = /bin/true\n[paths]\ndefault = {ws}\n"
        ),
    )
    .unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, "exit 0");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
}

/// The entries of the report's `outside_changes`, as `(path, files)`.
fn outside_changes(rep: &serde_json::Value) -> Vec<(String, u64)> {
    rep["outside_changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["path"].as_str().unwrap_or("").to_string(),
                        e["files"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A workspace that is a directory of projects: `ws/a` a repository with
/// one commit, `ws/README` a file of the user's outside every repository.
fn directory_of_projects() -> Fixture {
    let f = Fixture::new();
    let a = f.ws.join("a");
    fs::create_dir_all(a.join("src")).unwrap();
    fs::write(a.join("Cargo.toml"), "[package]\nname = \"fixture\"\n").unwrap();
    fs::write(a.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(f.ws.join("README"), "projects\n").unwrap();
    fs::write(f.ws.join("NOTES"), "untouched\n").unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."][..],
        &["commit", "-q", "-m", "init"][..],
    ] {
        let out = git_in(&f, &a, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    f
}

/// exec21 A1: the workspace is a directory of projects; the run writes
/// configuration that tools run inside `ws/a` read from its parents
/// (`ws/.cargo/config.toml` with a `rustc-wrapper`, yarn's `.yarnrc.yml`,
/// MSBuild's `Directory.Build.props`, `go.work`, `.envrc`, pytest's
/// `conftest.py`), outside every repository: `git status` in `ws/a` is
/// clean and the report said nothing. Mechanism: the sweep lists every
/// file the run made or changed outside every repository's working tree
/// in `outside_changes`, with a note; a file of the user's there it
/// rewrote too, and files in a repository the run made itself.
#[test]
fn configuration_planted_above_a_repository_is_listed() {
    let f = directory_of_projects();
    let p = f.offline();
    let script = "mkdir -p .cargo && \
        printf '#!/bin/sh\\nexec \"$@\"\\n' > .cargo/w.sh && chmod +x .cargo/w.sh && \
        printf '[build]\\nrustc-wrapper = \"%s/.cargo/w.sh\"\\n' \"$PWD\" > .cargo/config.toml && \
        printf 'yarnPath: .cargo/w.sh\\n' > .yarnrc.yml && \
        printf '<Project></Project>\\n' > Directory.Build.props && \
        printf 'go 1.21\\nuse ./a\\n' > go.work && \
        printf 'export X=1\\n' > .envrc && \
        printf 'X = 1\\n' > conftest.py && \
        printf 'changed\\n' >> README && \
        mkdir b && cd b && git init -q && printf 'export Y=1\\n' > .envrc && \
        git add .envrc && git -c user.name=t -c user.email=t@example.invalid commit -q -m x";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // What the user's review of the repository shows: nothing.
    let st = git_in(&f, &f.ws.join("a"), &["status", "--porcelain"]);
    assert_eq!(text(&st.stdout), "", "{}", describe(&out, &rep));
    let got: Vec<String> = outside_changes(&rep).into_iter().map(|e| e.0).collect();
    for name in [
        ".cargo/config.toml",
        ".cargo/w.sh",
        ".yarnrc.yml",
        "Directory.Build.props",
        "go.work",
        ".envrc",
        "conftest.py",
        "README",
        "b/.envrc",
    ] {
        let path = f.ws.join(name).display().to_string();
        assert!(
            got.contains(&path),
            "{name} not listed: {}",
            describe(&out, &rep)
        );
    }
    let notes = f.ws.join("NOTES").display().to_string();
    assert!(!got.contains(&notes), "{}", describe(&out, &rep));
    assert!(
        rep["notes"]
            .to_string()
            .contains("outside every git repository"),
        "{}",
        describe(&out, &rep)
    );
}

/// What an ordinary run leaves inside a repository is not listed as
/// outside (its review is `git status`), the run stays `full`, and many
/// files in a directory the run made outside every repository are one
/// entry with their count.
#[test]
fn ordinary_work_in_a_repository_lists_nothing_outside_and_new_trees_are_summarised() {
    let f = directory_of_projects();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "cd a && printf 'fn main() { }\\n' > src/main.rs && mkdir -p target/debug && \
         printf x > target/debug/fixture && printf 'new\\n' > src/lib.rs",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(outside_changes(&rep), vec![], "{}", describe(&out, &rep));
    let (out, rep) = f.sh(
        &p,
        "mkdir -p dist/x && for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf x > dist/x/f$i; done",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        outside_changes(&rep),
        vec![(format!("{}/", f.ws.join("dist").display()), 12)],
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["outside_changes_unlisted"], 0);
}

/// The write bits for the group and others this process's umask lets new
/// entries have (the helper inherits the umask).
fn umask_allows() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
    let m = u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap();
    !m & 0o022
}

/// Whether `p` has the POSIX ACL attribute `name`, seen outside.
fn has_acl(p: &Path, name: &std::ffi::CStr) -> bool {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    let mut buf = [0u8; 512];
    // SAFETY: both strings are NUL-terminated; `buf` is writable for its length.
    let n = unsafe {
        libc::lgetxattr(
            c.as_ptr(),
            name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    n >= 0
}

/// exec19 G6: the run opens the user's repository to every local
/// account: `chmod 0777` of the workspace root, `.git`, `.git/objects`,
/// `.git/refs`, `0666` of tracked files, the index and `HEAD`, a
/// world-writable output directory and program; the report said `full`
/// and the modes stayed. Mechanism: after the run, the sweep's walk takes
/// away from every directory and file the run changed the write bits for
/// the group and others it added (beyond the record of the directory
/// before the run, or the umask), and lists them in
/// `permissions_repaired`.
#[test]
fn write_permission_the_run_gives_other_accounts_is_taken_back() {
    let allow = umask_allows();
    assert_eq!(allow & 0o002, 0, "the test needs a umask that masks o+w");
    let g = GitFixture::new();
    let f = &g.f;
    use std::os::unix::fs::PermissionsExt;
    fs::write(f.ws.join("Makefile"), "all:\n\ttrue\n").unwrap();
    fs::write(f.ws.join("run.sh"), "#!/bin/sh\n").unwrap();
    fs::set_permissions(f.ws.join("Makefile"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(f.ws.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&f.ws, fs::Permissions::from_mode(0o755)).unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "files"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let before: Vec<(&str, u32)> = [
        ".",
        ".git",
        ".git/objects",
        ".git/refs",
        "Makefile",
        ".git/index",
        ".git/HEAD",
    ]
    .iter()
    .map(|n| (*n, mode_of(&f.ws.join(n))))
    .collect();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "chmod 0777 . .git .git/objects .git/refs; chmod 0666 Makefile .git/index .git/HEAD; \
         mkdir -p out && printf x > out/prog && chmod 0777 out out/prog; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for (n, m) in &before {
        let now = mode_of(&f.ws.join(n));
        assert_eq!(now, *m, "{n}: {now:o}, was {m:o}: {}", describe(&out, &rep));
    }
    for n in ["out", "out/prog"] {
        let now = mode_of(&f.ws.join(n));
        assert_eq!(
            now & 0o022 & !allow,
            0,
            "{n}: {now:o}: {}",
            describe(&out, &rep)
        );
        assert_eq!(now & 0o755, 0o755, "{n}: {now:o}");
    }
    let listed = rep["permissions_repaired"].to_string();
    for n in ["", ".git/objects", "Makefile", "out/prog"] {
        let path = if n.is_empty() {
            f.ws.clone()
        } else {
            f.ws.join(n)
        };
        assert!(
            listed.contains(&format!("\"{}\"", path.display())),
            "{n}: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        rep["notes"].to_string().contains("write access"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec19 G6 (ACLs): the run sets POSIX ACLs granting the members of a
/// group write on `.git/refs/heads` and a tracked file, a *default* ACL
/// with `other::rwx` on `.git/objects` (every directory git makes later
/// inherits it), and `other::rwx` on the workspace root. (Only ids mapped
/// in the sandbox's user namespace can be named: its own group here.) Mechanism: as above; an ACL the
/// run set that grants write beyond the owner is removed.
#[test]
fn acls_the_run_sets_for_other_accounts_are_removed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "all:\n\ttrue\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "files"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let script = r#"
import os, struct
def acl(entries):
    return struct.pack('<I', 2) + b''.join(struct.pack('<HHI', t, p, i) for t, p, i in entries)
N = 0xffffffff
G = os.getgid()
os.setxattr('.git/refs/heads', 'system.posix_acl_access', acl([(1, 7, N), (4, 5, N), (8, 7, G), (0x10, 7, N), (0x20, 5, N)]))
os.setxattr('Makefile', 'system.posix_acl_access', acl([(1, 6, N), (4, 4, N), (8, 6, G), (0x10, 6, N), (0x20, 4, N)]))
os.setxattr('.git/objects', 'system.posix_acl_default', acl([(1, 7, N), (4, 5, N), (0x20, 7, N)]))
os.setxattr('.', 'system.posix_acl_access', acl([(1, 7, N), (4, 5, N), (0x20, 7, N)]))
print('set')
"#;
    let p = f.offline();
    let (out, rep) = f.run_with(&p, &[], &["python3", "-c", script], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).contains("set"),
        "{}",
        describe(&out, &rep)
    );
    let access = c"system.posix_acl_access";
    let default = c"system.posix_acl_default";
    assert!(
        !has_acl(&f.ws.join(".git/refs/heads"), access),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !has_acl(&f.ws.join("Makefile"), access),
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !has_acl(&f.ws.join(".git/objects"), default),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(mode_of(&f.ws) & 0o002, 0, "{}", describe(&out, &rep));
    assert_eq!(
        mode_of(&f.ws.join(".git/refs/heads")) & 0o022 & !umask_allows(),
        0
    );
    assert!(
        rep["permissions_repaired"]
            .to_string()
            .contains("system.posix_acl_default"),
        "{}",
        describe(&out, &rep)
    );
}

/// Ordinary runs keep modes: a build writes files (0644) and programs
/// (0755), chmods a script +x, commits; nothing is narrowed, nothing is
/// listed, the run stays `full`. A directory the user made group-writable
/// before the run keeps that bit when the run writes in it.
#[test]
fn ordinary_modes_are_kept_and_nothing_is_repaired() {
    let g = GitFixture::new();
    let f = &g.f;
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(f.ws.join("shared")).unwrap();
    fs::set_permissions(f.ws.join("shared"), fs::Permissions::from_mode(0o775)).unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "printf 'x\\n' > notes.txt && printf '#!/bin/sh\\n' > tool.sh && chmod +x tool.sh && \
         mkdir -p build && printf x > build/app && chmod 0755 build/app && printf y > shared/f && \
         git add notes.txt tool.sh && git -c user.name=t -c user.email=t@example.invalid commit -q -m x",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        rep["permissions_repaired"],
        serde_json::json!([]),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(mode_of(&f.ws.join("notes.txt")), 0o644);
    assert_eq!(mode_of(&f.ws.join("tool.sh")), 0o755);
    assert_eq!(mode_of(&f.ws.join("build/app")), 0o755);
    assert_eq!(mode_of(&f.ws.join("shared")), 0o775);
}

/// `ignored_changes` as `(path, files, reason)`.
fn hidden_changes(rep: &serde_json::Value) -> Vec<(String, u64, String)> {
    rep["ignored_changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["path"].as_str().unwrap_or("").to_string(),
                        e["files"].as_u64().unwrap_or(0),
                        e["reason"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `git status --porcelain` in `dir`, outside, with the user's settings.
fn short_status(f: &Fixture, dir: &Path) -> String {
    let out = git_in(f, dir, &["status", "--porcelain"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// exec22 U1 (a, b): an untracked file of the user's (`tool.py`) that the
/// run rewrites, and a file it rewrites or adds below a directory that
/// was untracked before (`scripts/`): `git status` prints the same
/// `?? tool.py` and `?? scripts/` lines before and after, while the
/// user's next `python3 tool.py` runs the run's code. Mechanism: every
/// change `git status` does not show is listed, with why; a new
/// untracked file that `git status` does list is not.
#[test]
fn untracked_files_the_run_rewrites_and_new_files_in_untracked_directories_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("scripts")).unwrap();
    fs::write(f.ws.join("scripts/deploy.sh"), "echo deploy\n").unwrap();
    fs::write(f.ws.join("tool.py"), "print('tool')\n").unwrap();
    let before = short_status(f, &f.ws);
    let p = f.offline();
    let script = "printf 'print(1)\\n' > tool.py && printf 'echo 1\\n' > scripts/deploy.sh && \
                  printf 'echo 2\\n' > scripts/helper.sh && printf 'new\\n' > NEW.md";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // What the review shows: the same lines, and the new file.
    assert_eq!(before, "?? scripts/\n?? tool.py\n");
    assert_eq!(
        short_status(f, &f.ws),
        format!("?? NEW.md\n{before}"),
        "{}",
        describe(&out, &rep)
    );
    let d = |n: &str| f.ws.join(n).display().to_string();
    let mut got = hidden_changes(&rep);
    got.sort();
    assert_eq!(
        got,
        [
            (
                d("scripts/deploy.sh"),
                1,
                "below_untracked_directory".into()
            ),
            (
                d("scripts/helper.sh"),
                1,
                "below_untracked_directory".into()
            ),
            (d("tool.py"), 1, "untracked_before".into()),
        ],
        "{}",
        describe(&out, &rep)
    );
    assert!(
        rep["notes"].to_string().contains("untracked_before"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
}

/// exec22 U1 (c): a tracked file of a repository nested in the
/// workspace's working tree (not a submodule) that the run rewrites: the
/// workspace's `git status` prints `?? tools/` before and after, and its
/// `make` runs `tools/gen.sh`. Mechanism: every change in a nested
/// repository is listed (`nested_repository`).
#[test]
fn changes_in_a_nested_repository_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    let tools = f.ws.join("tools");
    fs::create_dir_all(&tools).unwrap();
    fs::write(tools.join("gen.sh"), "echo gen\n").unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."][..],
        &["commit", "-q", "-m", "t"][..],
    ] {
        let out = git_in(f, &tools, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let (out, rep) = f.sh(&p, "printf 'echo 1\\n' > tools/gen.sh");
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(short_status(f, &f.ws), "?? tools/\n");
    assert_eq!(
        hidden_changes(&rep),
        [(
            tools.join("gen.sh").display().to_string(),
            1,
            "nested_repository".into()
        )],
        "{}",
        describe(&out, &rep)
    );
}

/// exec22 SM1: changes inside a submodule whose `.gitmodules` entry says
/// `ignore = dirty` (a tracked file rewritten, a new module added): the
/// superproject's `git status` is clean and its `make` runs
/// `lib/build.sh`. Mechanism: as for any nested repository, every change
/// in it is listed.
#[test]
fn changes_in_a_submodule_whose_changes_git_hides_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    let src = f.root.join("libsrc");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("build.sh"), "echo lib\n").unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."][..],
        &["commit", "-q", "-m", "lib"][..],
    ] {
        let out = git_in(f, &src, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let src_s = src.display().to_string();
    for args in [
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            &src_s,
            "lib",
        ][..],
        &[
            "config",
            "-f",
            ".gitmodules",
            "submodule.lib.ignore",
            "dirty",
        ][..],
        &["add", "."][..],
        &["commit", "-q", "-m", "add lib"][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "printf 'echo 1\\n' > lib/build.sh && printf 'X = 1\\n' > lib/json.py",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(short_status(f, &f.ws), "", "{}", describe(&out, &rep));
    let d = |n: &str| f.ws.join(n).display().to_string();
    let mut got = hidden_changes(&rep);
    got.sort();
    assert_eq!(
        got,
        [
            (d("lib/build.sh"), 1, "nested_repository".into()),
            (d("lib/json.py"), 1, "nested_repository".into()),
        ],
        "{}",
        describe(&out, &rep)
    );
}

/// exec22 M1: a tracked file the user marked `skip-worktree` (a local
/// `settings.py`) and one marked `assume-unchanged` before the run, both
/// rewritten by it: `git status` and `git diff` show nothing. Mechanism:
/// a tracked file marked in the index that the run changed is listed
/// (`marked`, with the index); the marks stay.
#[test]
fn marked_files_the_run_rewrites_are_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("settings.py"), "DEBUG = False\n").unwrap();
    fs::write(f.ws.join("local.mk"), "A = 1\n").unwrap();
    fs::write(f.ws.join("plain.txt"), "plain\n").unwrap();
    for args in [
        &["add", "."][..],
        &["commit", "-q", "-m", "s"][..],
        &["update-index", "--skip-worktree", "settings.py"][..],
        &["update-index", "--assume-unchanged", "local.mk"][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "printf 'DEBUG = 1\\n' > settings.py && printf 'A = 2\\n' > local.mk && \
         printf 'changed\\n' > plain.txt",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        short_status(f, &f.ws),
        " M plain.txt\n",
        "{}",
        describe(&out, &rep)
    );
    let d = |n: &str| f.ws.join(n).display().to_string();
    let mut got = hidden_changes(&rep);
    got.sort();
    assert_eq!(
        got,
        [
            (d("local.mk"), 1, "marked".into()),
            (d("settings.py"), 1, "marked".into()),
        ],
        "{}",
        describe(&out, &rep)
    );
    assert!(ignored_changes(&rep)
        .iter()
        .all(|e| e.2.ends_with(".git/index")));
}

/// exec22 AN1: git-annex's locked layout, made by hand: a tracked link
/// `tools/protoc -> ../.git/annex/objects/…/KEY/KEY`; the run makes the
/// object writable, rewrites it and makes it read-only again. The link is
/// unchanged, `git status` is clean, the user's `make` runs the object.
/// Mechanism: a link the run left alone whose target it changed, where
/// the target lies in a git dir (or outside the working tree), is listed
/// (`link_target`).
#[test]
fn an_annex_object_behind_a_tracked_link_is_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    use std::os::unix::fs::PermissionsExt;
    let key = "SHA256E-s20--0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let rel = format!(".git/annex/objects/Q4/jx/{key}");
    let dir = f.ws.join(&rel);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(key), "#!/bin/sh\necho ok\n").unwrap();
    fs::set_permissions(dir.join(key), fs::Permissions::from_mode(0o555)).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    fs::create_dir_all(f.ws.join("tools")).unwrap();
    std::os::unix::fs::symlink(format!("../{rel}/{key}"), f.ws.join("tools/protoc")).unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "annex"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let script = format!(
        "chmod u+w {rel} {rel}/{key} && printf '#!/bin/sh\\necho 1\\n' > {rel}/{key} && \
         chmod 555 {rel}/{key} {rel}"
    );
    let (out, rep) = f.sh(&p, &script);
    let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o755));
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(short_status(f, &f.ws), "", "{}", describe(&out, &rep));
    assert_eq!(
        hidden_changes(&rep),
        [(
            f.ws.join("tools/protoc").display().to_string(),
            1,
            "link_target".into()
        )],
        "{}",
        describe(&out, &rep)
    );
}

/// exec22: a workspace that is a directory of projects: files the run
/// makes in it outside every repository (a script, configuration above
/// the repositories) are in no `git status`. Mechanism: every change
/// outside every repository is listed (`outside_changes`); a change
/// to a tracked file of a repository in it is not (its `git status`
/// shows it).
#[test]
fn files_the_run_makes_outside_every_repository_are_listed() {
    let f = Fixture::new();
    let proj = f.ws.join("proj");
    fs::create_dir_all(&proj).unwrap();
    fs::write(proj.join("main.c"), "int main(){}\n").unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."][..],
        &["commit", "-q", "-m", "c"][..],
    ] {
        let out = git_in(&f, &proj, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "mkdir -p bin conf && printf 'echo 1\\n' > bin/tool.sh && printf 'x\\n' > conf/settings.toml && \
         printf 'int main(){return 1;}\\n' > proj/main.c",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    let d = |n: &str| f.ws.join(n).display().to_string();
    let mut got = outside_changes(&rep);
    got.sort();
    assert_eq!(
        got,
        [(d("bin/tool.sh"), 1), (d("conf/settings.toml"), 1)],
        "{}",
        describe(&out, &rep)
    );
    // The rewritten tracked file of the repository is `git status`'s.
    assert!(hidden_changes(&rep).is_empty(), "{}", describe(&out, &rep));
}

/// An ordinary run reports what it did before the wider listing: `git
/// status`, a build writing tracked outputs and a new source file (both
/// shown by `git status`), a build writing many files into an ignored
/// `target/` (one summarised entry, reason `ignored`).
#[test]
fn an_ordinary_run_lists_only_its_ignored_output() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("src")).unwrap();
    fs::create_dir_all(f.ws.join("gen")).unwrap();
    fs::write(f.ws.join(".gitignore"), "target/\n").unwrap();
    fs::write(f.ws.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(f.ws.join("gen/out.txt"), "old\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "src"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let script = "git status --porcelain >/dev/null 2>&1; \
                  printf 'new\\n' > gen/out.txt && printf 'fn f() {}\\n' > src/lib.rs && \
                  mkdir -p target/debug/deps && \
                  for i in $(seq 1 30); do printf x > target/debug/deps/f$i.o; done";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "ok", "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        hidden_changes(&rep),
        [(
            format!("{}/", f.ws.join("target").display()),
            30,
            "ignored".into()
        )],
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(rep["ignored_changes_unlisted"], 0);
}

/// exec21 S1: git keeps credentials in its configuration in common
/// setups (`http.<url>.extraHeader = Authorization: …`, a token in the
/// user information of an `insteadOf` base or of `remote.origin.url`,
/// `hub.oauthToken`, and `github.token` and `sendemail.smtpPass` in a
/// file the global configuration includes). git needs the rest of those
/// files, so the command is shown a read-only copy without the entries
/// that hold credentials and without the user information of the URLs;
/// git still reads the user's name and helpers, and commits. The files
/// themselves keep their content.
#[test]
fn credentials_in_git_configuration_are_not_shown_to_the_command() {
    let g = GitFixture::new();
    let f = &g.f;
    let global = "[user]\n\tname = Fixture User\n[credential]\n\thelper = store\n\
        [http \"https://example.invalid/\"]\n\textraHeader = Authorization: Basic RkFLRTpGSVhUVVJFMA==\n\
        [url \"https://x-access-token:ghp_FAKEFIXTURE1@example.invalid/\"]\n\tinsteadOf = https://example.invalid/\n\
        [hub] oauthtoken = ghp_FAKEFIXTURE2\n[include]\n\tpath = ~/.gitconfig.secrets\n";
    let secrets =
        "[github]\n\ttoken = ghp_FAKEFIXTURE4\n[sendemail]\n\tsmtpPass = \"FakeSmtpPw\\\n5\"\n";
    fs::write(f.home.join(".gitconfig"), global).unwrap();
    fs::write(f.home.join(".gitconfig.secrets"), secrets).unwrap();
    fs::write(
        f.home.join(".git-credentials"),
        "https://u:FAKESTORED@example.invalid\n",
    )
    .unwrap();
    let out = git_in(
        f,
        &f.ws,
        &[
            "remote",
            "add",
            "origin",
            "https://fixture:ghp_FAKEFIXTURE3@example.invalid/r.git",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let repo_config = fs::read(f.ws.join(".git/config")).unwrap();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "/bin/sh",
            "-c",
            "cat ~/.gitconfig ~/.gitconfig.secrets .git/config ~/.git-credentials; \
             git config --list --show-origin; git remote -v; git status --short && \
             git -c user.email=t@example.invalid commit -q --allow-empty -m inside && echo COMMITTED",
        ],
        &[("HOME", home)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let seen = text(&out.stdout) + &text(&out.stderr);
    for secret in [
        "RkFLRTpGSVhUVVJFMA",
        "FAKEFIXTURE1",
        "FAKEFIXTURE2",
        "FAKEFIXTURE3",
        "FAKEFIXTURE4",
        "FakeSmtpPw",
        "FAKESTORED",
    ] {
        assert!(!seen.contains(secret), "{secret}: {}", describe(&out, &rep));
    }
    for kept in [
        "user.name=Fixture User",
        "credential.helper=store",
        "https://example.invalid/r.git",
        "COMMITTED",
    ] {
        assert!(seen.contains(kept), "{kept}: {}", describe(&out, &rep));
    }
    assert_eq!(
        fs::read_to_string(f.home.join(".gitconfig")).unwrap(),
        global
    );
    assert_eq!(
        fs::read_to_string(f.home.join(".gitconfig.secrets")).unwrap(),
        secrets
    );
    assert_eq!(fs::read(f.ws.join(".git/config")).unwrap(), repo_config);
}

/// An ordinary global configuration (a user name, `credential.helper =
/// store` keeping its credentials in the hidden `~/.git-credentials`) is
/// shown as it is, and the run is `full`.
#[test]
fn an_ordinary_git_configuration_is_shown_as_it_is() {
    let g = GitFixture::new();
    let f = &g.f;
    let global = "[user]\n\tname = Fixture User\n\temail = u@example.invalid\n[credential]\n\thelper = store\n\
        [remote \"x\"]\n\turl = ssh://git@example.invalid/r.git\n[core]\n\tsshCommand = ssh -o BatchMode=yes\n";
    fs::write(f.home.join(".gitconfig"), global).unwrap();
    fs::write(
        f.home.join(".git-credentials"),
        "https://u:FAKESTORED@example.invalid\n",
    )
    .unwrap();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "/bin/sh",
            "-c",
            "cat ~/.gitconfig; cat ~/.git-credentials; git status --short",
        ],
        &[("HOME", home)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(
        text(&out.stdout).starts_with(global),
        "{}",
        describe(&out, &rep)
    );
    assert!(!text(&out.stdout).contains("FAKESTORED"));
}

/// exec21 A2: a plain `~/.bashrc` (outside the writable trees) that
/// sources a project file and puts a project directory on `PATH`, a
/// `~/.vimrc` that sources one and a `~/.tmux.conf` that runs one: the
/// run rewrote the sourced file or planted `bin/git`, and the user's next
/// terminal ran it. What start-up files source, run or put on a search
/// path in a writable tree is kept read-only; text the reader cannot
/// resolve that could lead there is a gap naming the file and line; a
/// start-up file naming only places outside the writable trees is none.
#[test]
fn what_home_start_up_files_source_or_put_on_path_in_a_writable_tree_is_kept() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let ws = f.ws.display().to_string();
    for d in ["tools", "bin", "vim", "tmux", "venv/bin"] {
        fs::create_dir_all(f.ws.join(d)).unwrap();
    }
    for file in [
        "tools/aliases.sh",
        "vim/extra.vim",
        "tmux/plugin.sh",
        "venv/bin/activate",
    ] {
        fs::write(f.ws.join(file), "ORIGINAL\n").unwrap();
    }
    // Ordinary start-up files naming only places outside: full, and the
    // workspace stays writable.
    fs::write(
        f.home.join(".bashrc"),
        "alias ll='ls -l'\nexport PATH=\"$HOME/.local/bin:/usr/local/go/bin:$PATH\"\n\
         [ -f ~/.bash_aliases ] && . ~/.bash_aliases\ncase $- in *i*) ;; *) return;; esac\n",
    )
    .unwrap();
    let attack = "echo 'echo RAN >> \"$HOME\"/ran' >> tools/aliases.sh; \
                  printf '#!/bin/sh\\necho RAN\\n' > bin/git; chmod +x bin/git; \
                  echo RAN >> vim/extra.vim; echo RAN >> tmux/plugin.sh; \
                  echo RAN >> venv/bin/activate; echo new > new.txt; exit 0";
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", attack], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(f.ws.join("bin/git").exists() && f.ws.join("new.txt").exists());
    fs::remove_file(f.ws.join("bin/git")).unwrap();
    for file in [
        "tools/aliases.sh",
        "vim/extra.vim",
        "tmux/plugin.sh",
        "venv/bin/activate",
    ] {
        fs::write(f.ws.join(file), "ORIGINAL\n").unwrap();
    }
    // Start-up files naming the workspace.
    fs::write(
        f.home.join(".bashrc"),
        format!(
            "alias ll='ls -l'\n. {ws}/tools/aliases.sh\nexport PATH=\"{ws}/bin:$PATH\"\n\
             for f in {ws}/venv/bin/act*; do source \"$f\"; done\n"
        ),
    )
    .unwrap();
    fs::write(
        f.home.join(".vimrc"),
        format!("\" mine\nsource {ws}/vim/extra.vim\n"),
    )
    .unwrap();
    fs::write(
        f.home.join(".tmux.conf"),
        format!("run-shell '{ws}/tmux/plugin.sh'\n"),
    )
    .unwrap();
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", attack], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for file in [
        "tools/aliases.sh",
        "vim/extra.vim",
        "tmux/plugin.sh",
        "venv/bin/activate",
    ] {
        assert_eq!(
            fs::read_to_string(f.ws.join(file)).unwrap(),
            "ORIGINAL\n",
            "{file}: {}",
            describe(&out, &rep)
        );
    }
    assert!(!f.ws.join("bin/git").exists(), "{}", describe(&out, &rep));
    // A path the reader cannot resolve that could lead into the workspace.
    fs::write(
        f.home.join(".bashrc"),
        "source \"$PROJECT_DIR/tools/aliases.sh\"\n",
    )
    .unwrap();
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", attack], &[("HOME", home)]);
    assert_refused_naming(&out, &rep, ".bashrc line 1");
    assert_eq!(
        fs::read_to_string(f.ws.join("tools/aliases.sh")).unwrap(),
        "ORIGINAL\n"
    );
}

/// The lines the common installers append to `~/.bashrc` (nvm's
/// `NVM_DIR="$([ -z "${XDG_CONFIG_HOME-}" ] && printf … || printf …)"`,
/// sdkman, pyenv's and Homebrew's `eval "$(… init)"`, conda's block,
/// cargo's env), with the workspace below the home: the reader could not
/// resolve nvm's command substitution and the run was refused as a gap.
/// Each is now known (nvm's directory is one of two texts); a program
/// whose output `eval` runs is judged by its install tree, a gap when
/// that lies in the workspace.
#[test]
fn installer_lines_of_a_home_start_up_file_are_no_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let ws = f.home.join("proj");
    for prog in [
        ".pyenv/bin/pyenv",
        "lb/bin/brew",
        "conda/bin/conda",
        "proj/tool/bin/tool",
    ] {
        fs::create_dir_all(f.home.join(prog).parent().unwrap()).unwrap();
        fs::write(f.home.join(prog), "#!/bin/sh\n").unwrap();
    }
    let installers = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/startup/installers.bashrc"),
    )
    .unwrap()
    .replace("@HOME@", home);
    fs::write(f.home.join(".bashrc"), &installers).unwrap();
    let run = || {
        let report = f.root.join("report.json");
        let _ = fs::remove_file(&report);
        let out = helper_command(&p, &ws, &f.home)
            .arg("--report")
            .arg(&report)
            .args(["--", "/bin/sh", "-c", "echo x > new.txt; exit 0"])
            .env("HOME", home)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap();
        (out, read_report(&report))
    };
    let (out, rep) = run();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert!(ws.join("new.txt").exists(), "{}", describe(&out, &rep));
    // A program in the workspace whose output the next shell runs.
    fs::write(
        f.home.join(".bashrc"),
        format!("{installers}eval \"$({home}/proj/tool/bin/tool init bash)\"\n"),
    )
    .unwrap();
    let line = installers.lines().count() + 1;
    let (out, rep) = run();
    assert_refused_naming(&out, &rep, &format!(".bashrc line {line}"));
}

/// Tool configuration the helper did not read yet (exec21, left from
/// exec19 G4): Maven's `<localRepository>`, pip's `find-links` and
/// `file:` index, a Gradle init script and `org.gradle.java.home`, git's
/// `lfs.storage`, and a project `.npmrc` above the workspace outside the
/// writable trees, each naming the workspace: the user's next build
/// loads or runs what the run put there. Each is a gap naming the entry;
/// the same files naming places outside the writable trees are none.
#[test]
fn tool_configuration_naming_a_writable_tree_as_a_load_path_is_a_gap() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let ws = f.ws.display().to_string();
    let h = f.home.display().to_string();
    for d in [".m2", ".config/pip", ".gradle/init.d"] {
        fs::create_dir_all(f.home.join(d)).unwrap();
    }
    let run = || {
        f.run_with(
            &p,
            &[],
            &["/bin/sh", "-c", "echo x > planted.txt; exit 0"],
            &[("HOME", home)],
        )
    };
    let write = |rel: &str, text: String| fs::write(f.home.join(rel), text).unwrap();
    // Ordinary settings: full.
    write(
        ".m2/settings.xml",
        format!(
            "<settings>\n  <localRepository>{h}/.m2/repository</localRepository>\n</settings>\n"
        ),
    );
    write(
        ".config/pip/pip.conf",
        "[global]\nindex-url = https://pypi.example.invalid/simple\nfind-links =\n    /opt/wheels\n".into(),
    );
    write(
        ".gradle/init.d/repos.gradle",
        "allprojects { repositories { mavenCentral() } }\n".into(),
    );
    write(
        ".gradle/gradle.properties",
        "org.gradle.java.home=/usr/lib/jvm/default\n".into(),
    );
    write(
        ".gitconfig",
        format!("[lfs]\n\tstorage = {h}/lfs-objects\n"),
    );
    let (out, rep) = run();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    // The trust bundle a system-wide npmrc or pip.conf may name stays
    // readable: root's and every account's, no secret.
    let ca = "/etc/ssl/certs/ca-certificates.crt";
    if Path::new(ca).exists() {
        let (out, rep) = f.run_with(
            &p,
            &[],
            &[
                "/bin/sh",
                "-c",
                &format!("head -c 1 {ca} > /dev/null && echo CA-READ"),
            ],
            &[("HOME", home)],
        );
        assert!(
            text(&out.stdout).contains("CA-READ"),
            "{}",
            describe(&out, &rep)
        );
    }
    let cases: Vec<(&str, String, &str)> = vec![
        (
            ".m2/settings.xml",
            format!("<settings>\n  <localRepository>{ws}/m2repo</localRepository>\n</settings>\n"),
            "localRepository",
        ),
        (
            ".config/pip/pip.conf",
            format!("[global]\nfind-links =\n    {ws}/wheels\n"),
            "find-links",
        ),
        (
            ".config/pip/pip.conf",
            format!("[global]\nindex-url = file://{ws}/index\n"),
            "index-url",
        ),
        (
            ".gradle/init.d/repos.gradle",
            format!("apply from: '{ws}/ci.gradle'\n"),
            "repos.gradle",
        ),
        (
            ".gradle/gradle.properties",
            format!("org.gradle.java.home={ws}/jdk\n"),
            "org.gradle.java.home",
        ),
        (
            ".gitconfig",
            format!("[lfs]\n\tstorage = {ws}/lfs\n"),
            "lfs.storage",
        ),
    ];
    for (rel, text, key) in cases {
        let before = fs::read_to_string(f.home.join(rel)).unwrap();
        write(rel, text);
        let (out, rep) = run();
        assert_refused_naming(&out, &rep, key);
        write(rel, before);
    }
    // A project `.npmrc` above the workspace, outside the writable trees.
    fs::write(f.root.join(".npmrc"), format!("script-shell={ws}/sh\n")).unwrap();
    let (out, rep) = run();
    assert_refused_naming(&out, &rep, "script-shell");
    fs::remove_file(f.root.join(".npmrc")).unwrap();
}

/// A repository at `dir` with one commit holding `Makefile`.
fn upstream_repo(f: &Fixture, dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("Makefile"), "all:\n\t@echo make ok\n").unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."][..],
        &["commit", "-q", "-m", "init"][..],
    ] {
        let out = git_in(f, dir, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
}

/// `git clone` of the local path `from` into the (empty) workspace: git
/// hard-links the source's object files.
fn local_clone(f: &Fixture, from: &Path) {
    let out = git_in(
        f,
        &f.root,
        &[
            "clone",
            "-q",
            from.to_str().unwrap(),
            f.ws.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "clone: {}", text(&out.stderr));
}

fn nlink(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(p).unwrap().nlink()
}

/// exec21 H1a: a local clone shares every object file with its source
/// repository (hard links). A loose object rewritten in place through the
/// clone's name would change the source repository, outside the writable
/// trees, and its next `git checkout -- Makefile` would write the run's
/// content. Before the run the clone's object gets a file of its own: the
/// source keeps its bytes.
#[test]
fn a_local_clones_loose_object_rewritten_in_place_leaves_the_source_unchanged() {
    let f = Fixture::new();
    let up = f.outside.join("upstream");
    upstream_repo(&f, &up);
    local_clone(&f, &up);
    let id = text(&git_in(&f, &f.ws, &["rev-parse", "HEAD:Makefile"]).stdout)
        .trim()
        .to_string();
    let rel = format!(".git/objects/{}/{}", &id[..2], &id[2..]);
    let theirs = up.join(&rel);
    assert_eq!(nlink(&theirs), 2, "the clone links the source's object");
    let before = fs::read(&theirs).unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        &format!("chmod u+w {rel} && printf forged > {rel} && cat {rel}; exit 0"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(text(&out.stdout), "forged", "{}", describe(&out, &rep));
    assert_eq!(
        fs::read(&theirs).unwrap(),
        before,
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(nlink(&theirs), 1);
    let show = git_in(&f, &up, &["cat-file", "-p", "HEAD:Makefile"]);
    assert_eq!(text(&show.stdout), "all:\n\t@echo make ok\n");
}

/// exec21 H1a, packs: after `git gc` in the source, a local clone links
/// its pack and index; bytes overwritten in place in the clone's pack do
/// not reach the source's.
#[test]
fn a_local_clones_pack_rewritten_in_place_leaves_the_source_unchanged() {
    let f = Fixture::new();
    let up = f.outside.join("upstream");
    upstream_repo(&f, &up);
    let out = git_in(&f, &up, &["gc", "-q"]);
    assert!(out.status.success(), "gc: {}", text(&out.stderr));
    local_clone(&f, &up);
    let packs: Vec<PathBuf> = fs::read_dir(up.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pack"))
        .collect();
    assert_eq!(packs.len(), 1);
    assert_eq!(nlink(&packs[0]), 2, "the clone links the source's pack");
    let before = fs::read(&packs[0]).unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "for p in .git/objects/pack/*.pack; do chmod u+w \"$p\" && printf XXXX 1<>\"$p\" || exit 3; done; exit 0",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        fs::read(&packs[0]).unwrap(),
        before,
        "{}",
        describe(&out, &rep)
    );
    let show = git_in(&f, &up, &["cat-file", "-p", "HEAD:Makefile"]);
    assert_eq!(text(&show.stdout), "all:\n\t@echo make ok\n");
}

/// A package cache outside the writable trees (uv's, pnpm's layout):
/// its file hard-linked into the workspace's `.venv` and into another
/// project's. Appending through the workspace's name changes neither the
/// cache nor the other project; the run stays `full`.
#[test]
fn a_cache_file_linked_into_the_workspace_is_not_changed_by_a_write_there() {
    let f = Fixture::new();
    let cache = f
        .home
        .join(".cache/uv/archive-v0/abc/fixturepkg/__init__.py");
    let mine =
        f.ws.join(".venv/lib/python3/site-packages/fixturepkg/__init__.py");
    let other = f
        .outside
        .join("other/.venv/lib/python3/site-packages/fixturepkg/__init__.py");
    for p in [&cache, &mine, &other] {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
    }
    fs::write(&cache, "VERSION = \"1.0\"\n").unwrap();
    fs::hard_link(&cache, &mine).unwrap();
    fs::hard_link(&cache, &other).unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "printf 'APPENDED = 1\\n' >> .venv/lib/python3/site-packages/fixturepkg/__init__.py",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    for p in [&cache, &other] {
        assert_eq!(
            fs::read_to_string(p).unwrap(),
            "VERSION = \"1.0\"\n",
            "{}: {}",
            p.display(),
            describe(&out, &rep)
        );
    }
    assert_eq!(
        fs::read_to_string(&mine).unwrap(),
        "VERSION = \"1.0\"\nAPPENDED = 1\n"
    );
    assert_eq!(nlink(&cache), 2);
}

/// Ordinary work in trees made of hard links stays `full` and works: a
/// commit in a local clone, a linked package file replaced by rename and
/// one removed (what uv, pnpm and pip do), new files written; nothing
/// outside changes.
#[test]
fn ordinary_work_in_hard_linked_trees_stays_full() {
    let f = Fixture::new();
    let up = f.outside.join("upstream");
    upstream_repo(&f, &up);
    local_clone(&f, &up);
    let cache = f.outside.join("cache");
    fs::create_dir_all(&cache).unwrap();
    let site = f.ws.join(".venv/site-packages/pkg");
    fs::create_dir_all(&site).unwrap();
    for n in ["a.py", "b.py"] {
        fs::write(cache.join(n), format!("# {n}\n")).unwrap();
        fs::hard_link(cache.join(n), site.join(n)).unwrap();
    }
    fs::write(f.ws.join(".gitignore"), ".venv/\n").unwrap();
    let up_objects = tree_listing(&up.join(".git/objects"));
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        "set -e; printf '\\t@echo again\\n' >> Makefile; \
         git -c user.name=t -c user.email=t@example.invalid commit -q -am change; \
         printf '# new a\\n' > .venv/site-packages/pkg/a.py.tmp; \
         mv .venv/site-packages/pkg/a.py.tmp .venv/site-packages/pkg/a.py; \
         rm .venv/site-packages/pkg/b.py; \
         mkdir -p .venv/site-packages/newpkg; printf 'x = 1\\n' > .venv/site-packages/newpkg/__init__.py",
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    let log = git_in(&f, &f.ws, &["log", "--format=%s"]);
    assert_eq!(text(&log.stdout), "change\ninit\n");
    let fsck = git_in(&f, &f.ws, &["fsck", "--no-progress"]);
    assert!(fsck.status.success(), "{}", text(&fsck.stderr));
    assert_eq!(fs::read_to_string(site.join("a.py")).unwrap(), "# new a\n");
    assert!(!site.join("b.py").exists());
    for n in ["a.py", "b.py"] {
        assert_eq!(
            fs::read_to_string(cache.join(n)).unwrap(),
            format!("# {n}\n")
        );
    }
    assert_eq!(tree_listing(&up.join(".git/objects")), up_objects);
}

/// A hard link made during the run from a file outside the writable trees
/// (or from a read-only name inside them) is refused: the command gets no
/// writable name for it.
#[test]
fn hard_links_to_read_only_files_cannot_be_made_during_the_run() {
    let g = GitFixture::new();
    let f = &g.f;
    let outside = f.outside.join("notes.txt");
    fs::write(&outside, "outside\n").unwrap();
    let config = fs::read(f.ws.join(".git/config")).unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(
        &p,
        &format!(
            "ln {} a 2>/dev/null && printf X >> a; ln .git/config b 2>/dev/null && printf X >> b; exit 0",
            outside.display()
        ),
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert!(!f.ws.join("a").exists(), "{}", describe(&out, &rep));
    assert!(!f.ws.join("b").exists(), "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(&outside).unwrap(), "outside\n");
    assert_eq!(nlink(&outside), 1);
    assert_eq!(fs::read(f.ws.join(".git/config")).unwrap(), config);
}

/// A file of a hidden directory outside the writable trees (`~/.aws`)
/// with a second name in the workspace: that name is given its own copy
/// before the run like any other, but it holds the hidden content, so the
/// run is still refused.
#[test]
fn a_hidden_file_whose_workspace_name_was_copied_still_refuses_the_run() {
    let f = Fixture::new();
    fs::create_dir_all(f.home.join(".aws")).unwrap();
    fs::write(f.home.join(".aws/credentials"), "SECRET\n").unwrap();
    fs::hard_link(f.home.join(".aws/credentials"), f.ws.join("creds.bak")).unwrap();
    let p = f.offline();
    let (out, rep) = f.sh(&p, "cat creds.bak; exit 0");
    assert!(
        !text(&out.stdout).contains("SECRET"),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(out.status.code(), Some(126), "{}", describe(&out, &rep));
    assert_eq!(rep["status"], "refused", "{}", describe(&out, &rep));
}

/// exec23 F3: the run writes `tools/.gitignore` starting with a UTF-8 BOM
/// (`\xef\xbb\xbf*`) and `lib/.gitignore` holding a NUL (`*\0x`), each
/// beside a `json.py` that shadows the standard library for the user's
/// next `python3 tools/gen.py`: git skips the BOM and ends a pattern at
/// the NUL, so it ignores both, while the list read them otherwise and
/// showed nothing. Mechanism: ignore files are read as git reads them;
/// and an ignore file the run made or changed hides, for the list, every
/// file the run made within its reach whatever its patterns say
/// (`docs/.gitignore`, a pattern nothing here matches), so that no other
/// byte form read otherwise hides one.
#[test]
fn an_ignore_file_git_reads_otherwise_hides_nothing_from_the_report() {
    let g = GitFixture::new();
    let f = &g.f;
    for d in ["tools", "lib", "docs"] {
        fs::create_dir_all(f.ws.join(d)).unwrap();
    }
    fs::write(f.ws.join("tools/gen.py"), "import json\n").unwrap();
    fs::write(f.ws.join("lib/run.py"), "import json\n").unwrap();
    fs::write(f.ws.join("docs/index.md"), "# docs\n").unwrap();
    for args in [&["add", "."][..], &["commit", "-q", "-m", "gen"][..]] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let p = f.offline();
    let script =
        "printf '\\357\\273\\277*\\n' > tools/.gitignore && printf 'X = 1\\n' > tools/json.py && \
                  printf '*\\000x\\n' > lib/.gitignore && printf 'X = 1\\n' > lib/json.py && \
                  printf '\\001odd\\n' > docs/.gitignore && printf 'X = 1\\n' > docs/conf.py";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    // What git shows: only the `docs` directory.
    assert_eq!(status_outside(f), "?? docs/.gitignore\n?? docs/conf.py\n");
    let got: Vec<(String, u64, String, bool)> = ignored_changes(&rep);
    for (d, n) in [
        ("tools", "json.py"),
        ("tools", ".gitignore"),
        ("lib", "json.py"),
        ("lib", ".gitignore"),
        ("docs", "conf.py"),
        ("docs", ".gitignore"),
    ] {
        let path = f.ws.join(d).join(n).display().to_string();
        let gi = f.ws.join(d).join(".gitignore").display().to_string();
        assert!(
            got.contains(&(path, 1, gi, true)),
            "{d}/{n} not listed: {}",
            describe(&out, &rep)
        );
    }
    assert_eq!(got.len(), 6, "{}", describe(&out, &rep));
    let reasons = rep["ignored_changes"].to_string();
    assert!(
        reasons.contains("changed_ignore_file"),
        "{}",
        describe(&out, &rep)
    );
}

/// exec23 F4: the run makes a twin of the commit `v1.0` names (same
/// parent and message, its own `Makefile`) and rewrites `packed-refs`
/// with `v1.0` written twice under the `sorted` trait, the twin's record
/// first and longer (a peel line): git finds a name by binary search and
/// resolves `v1.0` to the twin, while the comparison kept the last record
/// and listed nothing. Mechanism: a `packed-refs` not in the form git
/// writes gives every name it holds a value naming each id written for it
/// and the file's digest, so each is listed as changed.
#[test]
fn a_packed_refs_git_reads_otherwise_is_listed() {
    let g = GitFixture::new();
    let f = &g.f;
    fs::write(f.ws.join("Makefile"), "all:\n\ttrue\n").unwrap();
    for args in [
        &["add", "Makefile"][..],
        &["commit", "-q", "-m", "release"][..],
        &["tag", "v1.0"][..],
        &["pack-refs", "--all"][..],
    ] {
        let out = git_in(f, &f.ws, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    }
    let tagged = text(&git_in(f, &f.ws, &["rev-parse", "v1.0"]).stdout);
    let p = f.offline();
    let script = "G='git -c user.name=t -c user.email=t@example.invalid'; \
                  M=$($G rev-parse HEAD) && A=$($G rev-parse v1.0) && \
                  E=$($G commit-tree -p HEAD~1 -m release $($G rev-parse HEAD~1^{tree})) && \
                  printf '# pack-refs with: peeled fully-peeled sorted\\n%s refs/heads/main\\n%s refs/tags/v1.0\\n^%s\\n%s refs/tags/v1.0\\n' \
                    \"$M\" \"$E\" \"$E\" \"$A\" > .git/packed-refs && rm -f .git/refs/tags/v1.0 .git/refs/heads/main";
    let (out, rep) = f.sh(&p, script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    // What git reads now: the twin.
    let now = text(&git_in(f, &f.ws, &["rev-parse", "v1.0"]).stdout);
    assert_ne!(now, tagged, "{}", describe(&out, &rep));
    let listed: Vec<String> = rep["git_refs_changed"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| c["name"].as_str().unwrap_or("").to_string())
        .collect();
    for n in ["packed-refs", "refs/tags/v1.0", "refs/heads/main"] {
        assert!(
            listed.iter().any(|l| l == n),
            "{n} not listed: {}",
            describe(&out, &rep)
        );
    }
    assert!(
        rep["git_refs_changed"].to_string().contains(now.trim()),
        "{}",
        describe(&out, &rep)
    );
}

/// exec23 F2: the run opens a 0700 workspace holding a blocked
/// `secrets/db.key` to every local account (`chmod 755 .`), its `.git`
/// (`o+rx`) and sets a read ACL on `.git`: the command cannot read the
/// secret, but every other account could after the run, and the repair
/// took back write bits only. Mechanism: the plan records the mode and
/// ACLs of what it hides or protects in the writable trees and of every
/// directory on the way to it; after the run each bit for the group and
/// others gained is taken back and each ACL put back, and listed in
/// `permissions_repaired`.
#[test]
fn read_access_the_run_gives_other_accounts_to_hidden_entries_is_taken_back() {
    use std::os::unix::fs::PermissionsExt;
    let g = GitFixture::new();
    let f = &g.f;
    fs::create_dir_all(f.ws.join("secrets")).unwrap();
    fs::write(f.ws.join("secrets/db.key"), "DBKEY\n").unwrap();
    fs::set_permissions(&f.ws, fs::Permissions::from_mode(0o700)).unwrap();
    fs::set_permissions(f.ws.join(".git"), fs::Permissions::from_mode(0o750)).unwrap();
    let p = f.offline();
    let text_policy = fs::read_to_string(&p).unwrap().replace(
        r#"["~/.ssh","~/.aws"]"#,
        r#"["~/.ssh","~/.aws","./secrets"]"#,
    );
    fs::write(&p, text_policy).unwrap();
    let script = r#"
import os, struct
def acl(entries):
    return struct.pack('<I', 2) + b''.join(struct.pack('<HHI', t, p, i) for t, p, i in entries)
N = 0xffffffff
os.chmod('.', 0o755)
os.chmod('.git', 0o755)
os.setxattr('.git', 'system.posix_acl_access', acl([(1, 7, N), (4, 5, N), (8, 5, os.getgid()), (0x10, 5, N), (0x20, 5, N)]))
try:
    open('secrets/db.key').read()
    print('read')
except OSError:
    print('refused')
"#;
    let (out, rep) = f.run_with(&p, &[], &["python3", "-c", script], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(
        text(&out.stdout).trim(),
        "refused",
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(mode_of(&f.ws), 0o700, "{}", describe(&out, &rep));
    assert_eq!(
        mode_of(&f.ws.join(".git")),
        0o750,
        "{}",
        describe(&out, &rep)
    );
    assert!(
        !has_acl(&f.ws.join(".git"), c"system.posix_acl_access"),
        "{}",
        describe(&out, &rep)
    );
    let listed = rep["permissions_repaired"].to_string();
    for path in [f.ws.clone(), f.ws.join(".git")] {
        assert!(
            listed.contains(&format!("\"{}\"", path.display())),
            "{}: {}",
            path.display(),
            describe(&out, &rep)
        );
    }
    assert_eq!(
        fs::read_to_string(f.ws.join("secrets/db.key")).unwrap(),
        "DBKEY\n"
    );
}

/// A repository's `include.path = ../conf/sub/../team.gitconfig`: git
/// opens it as written, so the `..` leaves whatever `conf/sub` is when git
/// reads it. The run renames the directory and puts a link to
/// `evil/deep` at its name, with a configuration at `evil/team.gitconfig`,
/// which the user's next `git status` would read. Mechanism: after the run
/// the sweep reads the repository's configuration again, its includes the
/// kernel's way, and moves aside what they lead to now that the run made.
#[test]
fn an_include_through_a_directory_a_dot_dot_leaves_cannot_be_redirected() {
    let g = GitFixture::new();
    let ws = &g.f.ws;
    fs::create_dir_all(ws.join("conf/sub")).unwrap();
    fs::write(ws.join("conf/team.gitconfig"), "[user]\n\tname = t\n").unwrap();
    git_ok(
        &g.f,
        ws,
        &["config", "include.path", "../conf/sub/../team.gitconfig"],
    );
    let script = "mkdir -p evil/deep && printf '%s' \"$EVIL\" > evil/team.gitconfig && \
                  mv conf/sub conf/sub0 && ln -s ../evil/deep conf/sub; echo ok > new.txt; exit 0";
    let (ran, rep) = g.plant_then_status(script, &["."]);
    assert!(!ran, "planted code ran: {rep}");
    // Ordinary writes stay.
    assert_eq!(fs::read_to_string(ws.join("new.txt")).unwrap(), "ok\n");
    assert!(fs::symlink_metadata(ws.join("conf/sub0")).is_ok(), "{rep}");
}

/// The same for a relative `core.hooksPath = tools/x/../hooks` (taken from
/// the working tree's top): `tools/x` made a link to `evil/deep` during
/// the run would have git run `evil/hooks/*`; the sweep reads the hooks
/// path again after the run and moves aside the hooks directory the run
/// made there.
#[test]
fn a_hooks_path_through_a_directory_a_dot_dot_leaves_cannot_be_redirected() {
    let f = Fixture::new();
    let (planted, marker) = outside_marker_script(&f);
    fs::create_dir_all(f.ws.join("tools/x")).unwrap();
    fs::create_dir_all(f.ws.join("tools/hooks")).unwrap();
    fs::write(f.ws.join("a.txt"), "a\n").unwrap();
    git_ok(&f, &f.ws, &["init", "-q", "-b", "main"]);
    git_ok(&f, &f.ws, &["config", "core.hooksPath", "tools/x/../hooks"]);
    git_ok(&f, &f.ws, &["add", "a.txt"]);
    git_ok(&f, &f.ws, &["commit", "-q", "-m", "i"]);
    let script = format!(
        "mkdir -p evil/deep evil/hooks && \
         printf '#!/bin/sh\\nexec {0}\\n' > evil/hooks/post-index-change && \
         chmod 755 evil/hooks/post-index-change && \
         mv tools/x tools/x0 && ln -s ../evil/deep tools/x; \
         echo new > new.txt; sleep 1; touch a.txt; exit 0",
        planted.display()
    );
    let p = f.offline();
    let (out, rep) = f.sh(&p, &script);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "new\n");
    let _ = git_in(&f, &f.ws, &["status", "--short"]);
    assert!(!marker.exists(), "planted code ran: {rep}");
}

/// A `.pth` line `WS/proj/link/../src` (`link -> deep/a`): Python's `site`
/// makes each line absolute lexically (`os.path.abspath`), so it puts
/// `WS/proj/src` on `sys.path`, not `WS/proj/deep/src` where the kernel's
/// reading of the `..` leads. A `usercustomize.py` the run writes in
/// `WS/proj/src` ran at the user's next `python3`. Mechanism: `.pth` lines
/// are taken as `site` takes them.
#[test]
fn a_pth_line_with_dot_dot_after_a_link_is_read_as_python_reads_it() {
    let f = Fixture::new();
    let Ok(v) = Command::new("python3")
        .args([
            "-c",
            "import sys; print('python%d.%d' % sys.version_info[:2])",
        ])
        .output()
    else {
        return;
    };
    let version = text(&v.stdout).trim().to_string();
    if !v.status.success() || version.is_empty() {
        return;
    }
    let marker = f.outside.join("marker");
    fs::write(
        f.outside.join("planted.py"),
        format!(
            "open({:?}, 'a').write('ran')\n",
            marker.display().to_string()
        ),
    )
    .unwrap();
    fs::create_dir_all(f.ws.join("proj/src")).unwrap();
    fs::create_dir_all(f.ws.join("proj/deep/a")).unwrap();
    fs::create_dir_all(f.ws.join("proj/deep/src")).unwrap();
    std::os::unix::fs::symlink("deep/a", f.ws.join("proj/link")).unwrap();
    let user_site = f.home.join(format!(".local/lib/{version}/site-packages"));
    fs::create_dir_all(&user_site).unwrap();
    fs::write(
        user_site.join("__editable__.proj-0.1.pth"),
        format!("{}\n", f.ws.join("proj/link/../src").display()),
    )
    .unwrap();
    let home = f.home.to_str().unwrap();
    let p = f.offline();
    let script = format!(
        "cp {} proj/src/usercustomize.py; echo ok > new.txt; exit 0",
        f.outside.join("planted.py").display()
    );
    let envs = [("HOME", home), ("PATH", "/usr/bin:/bin")];
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", &script], &envs);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "ok\n");
    let after = Command::new("python3")
        .args(["-c", "pass"])
        .current_dir(&f.outside)
        .env("HOME", &f.home)
        .env_remove("PYTHONUSERBASE")
        .env_remove("PYTHONNOUSERSITE")
        .output()
        .unwrap();
    assert!(after.status.success(), "{}", text(&after.stderr));
    assert!(
        !marker.exists(),
        "planted code ran: {}",
        describe(&out, &rep)
    );
}

/// A home's `~/.bashrc` that sources a file of the workspace not written
/// yet (`. WS/local.sh`) and puts a directory not built yet on `PATH`
/// (`WS/tools/bin`): the deepest existing directory on their way, the
/// workspace's top, was locked, and an ordinary run could make no new file
/// there. Now the run may make them, and the sweep after the run moves
/// aside what it left at those names (and the link or file on the way).
#[test]
fn missing_entries_a_start_up_file_names_are_swept_not_locked() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    let ws = f.ws.display().to_string();
    fs::create_dir_all(f.ws.join("lib")).unwrap();
    fs::write(
        f.home.join(".bashrc"),
        format!(
            "alias ll='ls -l'\n. {ws}/local.sh\nexport PATH=\"{ws}/tools/bin:$PATH\"\n\
             source {ws}/lib/sub/extra.sh\n"
        ),
    )
    .unwrap();
    // An ordinary run: new files at the top and in `lib` work.
    let (out, rep) = f.run_with(
        &p,
        &[],
        &[
            "/bin/sh",
            "-c",
            "echo new > new.txt && echo lib > lib/x.txt && mkdir -p build && echo b > build/o",
        ],
        &[("HOME", home)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "new\n");
    assert_eq!(fs::read_to_string(f.ws.join("build/o")).unwrap(), "b\n");
    // A run planting at the missing names: moved aside after it.
    let attack = "echo 'echo RAN' > local.sh; mkdir -p tools/bin; \
                  printf '#!/bin/sh\\necho RAN\\n' > tools/bin/git; chmod +x tools/bin/git; \
                  mkdir -p elsewhere; echo 'echo RAN' > elsewhere/extra.sh; \
                  ln -s ../elsewhere lib/sub; echo ok > ok.txt; exit 0";
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", attack], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    for planted in ["local.sh", "tools/bin", "lib/sub"] {
        assert!(
            fs::symlink_metadata(f.ws.join(planted)).is_err(),
            "{planted} left in place: {}",
            describe(&out, &rep)
        );
    }
    let q = rep["git_quarantined"].to_string();
    assert!(q.contains("local.sh"), "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("ok.txt")).unwrap(), "ok\n");
    assert_eq!(
        fs::read_to_string(f.ws.join("elsewhere/extra.sh")).unwrap(),
        "echo RAN\n"
    );
}

/// `~/.bashrc` sourcing `WS/proj/link/../tools/aliases.sh` with `link ->
/// deep/x`: bash opens the path as the kernel resolves it,
/// `WS/proj/deep/tools/aliases.sh`, but the path was taken lexically
/// (`WS/proj/tools/aliases.sh`) and the file bash reads stayed writable; the
/// run appended to it and the user's next shell ran that. Now it is taken
/// as the kernel takes it, and the directory the `..` leaves cannot be
/// replaced during the run.
#[test]
fn a_start_up_file_source_with_dot_dot_after_a_link_is_kept_where_the_shell_reads() {
    let f = Fixture::new();
    let p = f.offline();
    let home = f.home.to_str().unwrap();
    for d in ["proj/tools", "proj/deep/x", "proj/deep/tools"] {
        fs::create_dir_all(f.ws.join(d)).unwrap();
    }
    fs::write(f.ws.join("proj/tools/aliases.sh"), "ORIGINAL\n").unwrap();
    fs::write(f.ws.join("proj/deep/tools/aliases.sh"), "ORIGINAL\n").unwrap();
    std::os::unix::fs::symlink("deep/x", f.ws.join("proj/link")).unwrap();
    fs::write(
        f.home.join(".bashrc"),
        format!(". {}/proj/link/../tools/aliases.sh\n", f.ws.display()),
    )
    .unwrap();
    let attack = "echo 'echo RAN' >> proj/deep/tools/aliases.sh; \
                  mv proj/deep/x proj/deep/x0; ln -s ../tools proj/deep/x; \
                  echo new > new.txt; exit 0";
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", attack], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(
        fs::read_to_string(f.ws.join("proj/deep/tools/aliases.sh")).unwrap(),
        "ORIGINAL\n",
        "{}",
        describe(&out, &rep)
    );
    assert!(
        fs::symlink_metadata(f.ws.join("proj/deep/x")).is_ok_and(|m| m.is_dir()),
        "{}",
        describe(&out, &rep)
    );
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "new\n");
}

/// `~/.ssh/config` with `Include WS/conf/sub/../ssh.conf`: ssh opens it
/// the kernel's way, so the `..` leaves whatever `conf/sub` is then: the
/// run must not rename `conf/sub` and put a link to `evil/deep` at its
/// name, or the user's next `ssh` would read `evil/ssh.conf` (a `Match
/// exec` line). Mechanism: the included file is hidden at the path as
/// written, and every directory on that path from the workspace down,
/// `conf/sub` included, is pinned (a mount point cannot be renamed).
#[test]
fn a_store_include_through_a_directory_a_dot_dot_leaves_cannot_be_redirected() {
    let f = Fixture::new();
    let home = f.home.to_str().unwrap();
    let p = f.offline();
    fs::create_dir_all(f.ws.join("conf/sub")).unwrap();
    fs::write(f.ws.join("conf/ssh.conf"), "Host x\n  Port 22\n").unwrap();
    fs::create_dir_all(f.home.join(".ssh")).unwrap();
    fs::write(
        f.home.join(".ssh/config"),
        format!("Include {}/conf/sub/../ssh.conf\n", f.ws.display()),
    )
    .unwrap();
    let script = "mkdir -p evil/deep && printf 'Match exec \"true\"\\n' > evil/ssh.conf; \
                  mv conf/sub conf/sub0; ln -s ../evil/deep conf/sub; echo new > new.txt; exit 0";
    let (out, rep) = f.run_with(&p, &[], &["/bin/sh", "-c", script], &[("HOME", home)]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out, &rep));
    assert_eq!(rep["enforcement"], "full", "{}", describe(&out, &rep));
    assert_eq!(fs::read_to_string(f.ws.join("new.txt")).unwrap(), "new\n");
    // What ssh reads by that name is the file judged before the run.
    assert_eq!(
        fs::read_to_string(f.ws.join("conf/sub/../ssh.conf")).unwrap(),
        "Host x\n  Port 22\n",
        "{}",
        describe(&out, &rep)
    );
}

const PIPE_SIZE_PROBE: &str = r#"
import fcntl, sys
try:
    fcntl.fcntl(1, 1031, 4096)
    print("set", file=sys.stderr)
except OSError as e:
    print("refused", e.errno, file=sys.stderr)
"#;

/// F4: the caller's anonymous pipe reaches the command as it is, and a
/// pipe's capacity set with `F_SETPIPE_SZ` outlived the run (the host
/// writer saw 4096 bytes instead of 65536). Mechanism: the seccomp filter
/// refuses `F_SETPIPE_SZ` with `EPERM`; the pipe keeps its size.
#[test]
fn a_callers_pipe_keeps_its_size() {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let f = Fixture::new();
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: both descriptors were just made and are owned here only.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: F_GETPIPE_SZ only reads the pipe's capacity.
    let size = || unsafe { libc::fcntl(r.as_raw_fd(), libc::F_GETPIPE_SZ) };
    let before = size();
    assert!(before > 4096, "{before}");
    let p = f.offline();
    let out = helper_command(&p, &f.ws, &f.home)
        .args(["--", "python3", "-c", PIPE_SIZE_PROBE])
        .stdout(std::process::Stdio::from(w))
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains(&format!("refused {}", libc::EPERM)), "{said}");
    assert_eq!(size(), before, "{said}");
}

/// A script sending refused requests to the proxy: `argv[1]` of them, each
/// `GET http://127.0.0.X:80/` with a path of `argv[2]` bytes; 127.0.0.X is
/// refused by the policy before any connection, so no listener is needed.
const INFLATE_PROBE: &str = r#"
import os, socket, sys
proxy = os.environ["http_proxy"].rstrip("/").rsplit(":", 1)
port = int(proxy[1])
n, size = int(sys.argv[1]), int(sys.argv[2])
path = "a" * size
refused = 0
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(("GET http://127.0.0.%d:80/%s HTTP/1.1\r\n\r\n" % (i % 200 + 2, path)).encode())
    if b" 403 " in s.recv(4096).split(b"\r\n")[0]:
        refused += 1
    s.close()
print("refused", refused)
"#;

/// F5: refused requests with long paths grew the report without bound
/// (2 500 with 60 000-byte paths made the Java caller run out of memory).
/// Mechanism: each event is clipped and marked, the list is bounded in
/// bytes, and the report as a whole in size; what is not listed is
/// counted.
#[test]
fn refused_requests_cannot_inflate_the_report() {
    let f = Fixture::new();
    let p = f.policy(
        r#"{"enabled":true,"allowed_domains":["example.test"],"allow_localhost":false,"allow_https":true,"allow_http":true}"#,
        r#"{"max_execution_time":120000}"#,
        "",
    );
    let n = 2500u64;
    let (out, rep) = f.run_with(
        &p,
        &[],
        &["python3", "-c", INFLATE_PROBE, &n.to_string(), "60000"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Under load the script misses many answers (the proxy answers and
    // closes at once); the proxy decided, and counted, every request.
    let said = text(&out.stdout);
    let refused: u64 = said.trim().trim_start_matches("refused ").parse().unwrap();
    assert!(refused > 0, "{said}");
    let size = fs::metadata(f.root.join("report.json")).unwrap().len();
    assert!(size <= 4 << 20, "{size}");
    assert_eq!(rep["network_requests"], n);
    let events = rep["network_events"].as_array().unwrap();
    let listed = events.len() as u64;
    assert!(listed > 0 && listed < n, "{listed}");
    assert_eq!(rep["network_events_unlisted_notable"], n - listed);
    assert!(events
        .iter()
        .all(|e| e["clipped"] == true && e["verdict"] == "deny"));
    assert!(events
        .iter()
        .all(|e| e["target"].as_str().unwrap().len() < 2048));
    assert_eq!(rep["mechanisms"]["network"]["level"], "partial");
}
