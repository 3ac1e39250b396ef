//! The path resolver and the filesystem guard on arbitrary input.
//!
//! A fixture tree full of links (out of the workspace, into a blocked
//! directory, dangling, looping, climbing) is built once in the temporary
//! directory. Each input picks an operation and a policy and is checked on
//! this host and with the Windows and macOS rules. Invariants: no panic,
//! the same answer twice, and for reads of existing paths an allow means the
//! kernel's `realpath` is inside the workspace and outside the blocked
//! entries.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sandbox_core::guards::filesystem::{FileOperation, FileRequest, FilesystemGuard, Platform};
use sandbox_core::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

struct Fixture {
    root: PathBuf,
    guards: Vec<(FilesystemMode, FilesystemGuard)>,
    windows: FilesystemGuard,
    macos: FilesystemGuard,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("sandbox-fuzz-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for f in ["ws/src/main.rs", "ws/.env", "ws/secrets/key", "outside/o.txt", "home/u/.ssh/id_rsa"] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        let root = std::fs::canonicalize(&root).unwrap();
        let link = |l: &str, t: &str| std::os::unix::fs::symlink(t, root.join(l)).unwrap();
        link("ws/in", "src");
        link("ws/out", "../outside");
        link("ws/abs", root.join("outside").to_str().unwrap());
        link("ws/sec", "secrets");
        link("ws/dang", "../outside/new");
        link("ws/loop", "loop");
        link("ws/up", "..");
        link("ws/home", "../home/u");
        let policy = |mode| FilesystemPolicy {
            mode,
            allowed_paths: vec!["./".into()],
            blocked_paths: vec!["~/.ssh".into(), "secrets".into(), "**/*.pem".into()],
            allow_symlinks: true,
            allow_hidden_files: true,
        };
        let limits = ResourceLimits::default();
        let guards = [FilesystemMode::Strict, FilesystemMode::Workspace, FilesystemMode::Permissive]
            .into_iter()
            .map(|m| {
                let g = FilesystemGuard::new(&policy(m), &limits, &root.join("ws"), &root.join("home/u"))
                    .unwrap();
                (m, g)
            })
            .collect();
        let mut wp = policy(FilesystemMode::Workspace);
        wp.blocked_paths.push(r"C:\ws\secret.txt".into());
        let windows =
            FilesystemGuard::for_platform(&wp, &limits, r"C:\ws", r"C:\Users\u", Platform::Windows).unwrap();
        let macos = FilesystemGuard::for_platform(
            &policy(FilesystemMode::Workspace),
            &limits,
            "/Users/u/ws",
            "/Users/u",
            Platform::MacOs,
        )
        .unwrap();
        Fixture {
            root,
            guards,
            windows,
            macos,
        }
    })
}

fn under(p: &Path, root: &Path) -> bool {
    p.starts_with(root)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let fx = fixture();
    let op = FileOperation::from_u32(u32::from(data[0] % 10)).unwrap();
    let (mode, guard) = &fx.guards[usize::from(data[1] % 3)];
    let Ok(text) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    // `other` for the two-path operations: the text after a newline, if any.
    let (path, other) = match text.split_once('\n') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let req = FileRequest {
        path,
        operation: op,
        other,
        size: None,
    };
    let d = guard.check(&req);
    assert_eq!(d, guard.check(&req), "the same request decided twice differently");
    let _ = fx.windows.check(&req);
    let _ = fx.macos.check(&req);

    if d.is_allowed() && matches!(op, FileOperation::Read | FileOperation::List) {
        let abs = if let Some(rest) = path.strip_prefix("~/") {
            fx.root.join("home/u").join(rest)
        } else if path == "~" {
            fx.root.join("home/u")
        } else {
            fx.root.join("ws").join(path)
        };
        if let Ok(real) = std::fs::canonicalize(&abs) {
            if *mode != FilesystemMode::Permissive {
                assert!(under(&real, &fx.root.join("ws")), "{path:?} allowed but is {real:?}");
            }
            assert!(!under(&real, &fx.root.join("ws/secrets")), "{path:?} allowed but is {real:?}");
            assert!(!under(&real, &fx.root.join("home/u/.ssh")), "{path:?} allowed but is {real:?}");
        }
    }
});
