//! What runs or changes on another host (`ssh HOST CMD`, `rsync
//! --rsync-path`, remote paths the remote shell parses, curl uploads and
//! quote commands over SFTP/SCP) is not modelled: judged under a policy
//! that leaves `~/.ssh` open, so that ssh's own key reads do not decide.

use super::option_harness::unrestricted;
use super::*;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

fn decide(cmd: &str) -> (&'static str, &'static str) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    std::fs::create_dir_all(ws.join("src")).unwrap();
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(ws.join("a.txt"), "a\n").unwrap();
    let policy = FilesystemPolicy {
        mode: FilesystemMode::Workspace,
        allowed_paths: vec!["./".into()],
        blocked_paths: vec!["~/.aws".into()],
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    let fs = FilesystemGuard::new(&policy, &ResourceLimits::default(), &ws, &home).unwrap();
    let a = unrestricted().analyze(cmd, &fs);
    (a.verdict, a.code)
}

#[test]
fn remote_commands_and_shells_are_not_modelled() {
    for cmd in [
        "ssh localhost cat .aws/credentials",
        "ssh localhost rm -rf .bashrc",
        "ssh localhost 'echo x >> .bashrc'",
        "ssh -p 22 localhost ls -a",
        "ssh localhost",
        "ssh -v localhost",
    ] {
        assert_eq!(decide(cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    // No remote command or shell: forwarding only, the configuration.
    for cmd in ["ssh -fN -L 1:h:2 host", "ssh -G host", "ssh -O check host"] {
        assert_eq!(decide(cmd).0, "allow", "{cmd}");
    }
}

#[test]
fn remote_shell_options_and_parsed_paths_are_not_modelled() {
    for cmd in [
        "rsync -a --rsync-path='rm -rf ~' src/ localhost:d/",
        "rsync -a -e ssh --rsync-path='cat .aws/credentials;rsync' src/ localhost:d/",
        "rsync -a --rsync-p='rm -rf ~' src/ localhost:d/",
        "rsync -a -M--log-file=.bashrc src/ localhost:d/",
    ] {
        assert_eq!(decide(cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    for cmd in [
        "scp -O 'localhost:x;id' .",
        "scp -O a.txt 'localhost:`id`'",
        "scp a.txt 'localhost:x$(touch pwn)'",
        "rsync -a --old-args src/ 'localhost:x;id'",
        "rsync -a src/ 'localhost:d$(id)'",
    ] {
        assert_eq!(decide(cmd), ("ask", "UNMODELLED_OPERAND"), "{cmd}");
    }
    // A plain copy: what it does on the other side is known.
    for cmd in [
        "scp a.txt host:d/",
        "scp -O -p a.txt host:d/",
        "scp host:d/x.txt src/",
        "rsync -a src/ host:d/",
        "rsync -a host::module/x src/",
    ] {
        assert_eq!(decide(cmd).0, "allow", "{cmd}");
    }
}

#[test]
fn curl_changes_to_remote_files_are_not_modelled() {
    for cmd in [
        "curl -T a.txt sftp://localhost/home/u/.bashrc",
        "curl -T a.txt SCP://localhost/w/.git/config",
        "curl -Q '-rm /home/u/.bashrc' sftp://localhost/",
        "curl --quote 'rename a b' sftp://localhost/",
        "curl -Q 'DELE x' ftp://localhost/",
    ] {
        assert_eq!(decide(cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    assert_eq!(decide("curl -o src/x sftp://localhost/f").0, "allow");
}
