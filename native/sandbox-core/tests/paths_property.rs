//! Property tests of the filesystem guard over random paths in a fixture
//! tree full of links (inside, outside, into blocked entries, dangling,
//! looping, climbing).
//!
//! The oracle is the kernel itself: where a path really leads is found with
//! `realpath`, and for paths that do not exist yet by creating them the
//! naive way (`mkdir -p` and `open(O_CREAT)`, which follow every link) in
//! the case's own copy of the fixture. Whenever the guard allows, that real
//! location must be under an allowed root, under no blocked entry, and (with
//! hidden files off) have no hidden component below its root.
//!
//! The fixture is made of POSIX symbolic links: Unix only.
#![cfg(unix)]

use std::path::{Component, Path, PathBuf};

use proptest::prelude::*;
use sandbox_core::guards::filesystem::{FileOperation, FileRequest, FilesystemGuard};
use sandbox_core::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

/// Names the random paths are made of: fixture entries, links, dots.
const NAMES: &[&str] = &[
    "src", "main.rs", "docs", "a.md", ".hidden", "x", "secrets", "key", "certs", "s.pem", "l_in",
    "l_out", "l_abs", "l_sec", "l_dang", "l_loop", "l_up", "l_etc", "l_home", "..", ".", "..",
    "new", "outside", "o.txt", "etc", "passwd", "ws", "tmp", "home", "u", ".ssh", "id_rsa",
];

struct Fixture {
    _dir: tempfile::TempDir,
    r: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::Builder::new().prefix("fsprop").tempdir().unwrap();
        let r = std::fs::canonicalize(dir.path()).unwrap();
        for f in [
            "ws/src/main.rs",
            "ws/docs/a.md",
            "ws/.hidden/x",
            "ws/secrets/key",
            "ws/certs/s.pem",
            "outside/o.txt",
            "etc/passwd",
            "home/u/.ssh/id_rsa",
        ] {
            let p = r.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        std::fs::create_dir_all(r.join("tmp")).unwrap();
        let link = |l: &str, t: &str| std::os::unix::fs::symlink(t, r.join(l)).unwrap();
        link("ws/l_in", "src");
        link("ws/l_out", "../outside");
        link("ws/l_abs", r.join("outside").to_str().unwrap());
        link("ws/l_sec", "secrets");
        link("ws/l_dang", "../outside/newfile");
        link("ws/l_loop", "l_loop");
        link("ws/l_up", "..");
        link("ws/l_etc", r.join("etc").to_str().unwrap());
        link("ws/docs/l_home", "../../home/u");
        Fixture { _dir: dir, r }
    }

    fn ws(&self) -> PathBuf {
        self.r.join("ws")
    }

    fn home(&self) -> PathBuf {
        self.r.join("home/u")
    }

    fn guard(&self, mode: FilesystemMode, symlinks: bool, hidden: bool) -> FilesystemGuard {
        let tmp = self.r.join("tmp").to_str().unwrap().to_string();
        let etc = self.r.join("etc").to_str().unwrap().to_string();
        let policy = FilesystemPolicy {
            mode,
            allowed_paths: match mode {
                FilesystemMode::Strict => vec!["./".into(), tmp],
                _ => vec![tmp],
            },
            blocked_paths: vec!["~/.ssh".into(), etc, "secrets".into(), "*.pem".into()],
            allow_symlinks: symlinks,
            allow_hidden_files: hidden,
        };
        FilesystemGuard::new(
            &policy,
            &ResourceLimits::default(),
            &self.ws(),
            &self.home(),
        )
        .unwrap()
    }

    /// The roots of a mode (canonical).
    fn roots(&self, mode: FilesystemMode) -> Vec<PathBuf> {
        match mode {
            FilesystemMode::Permissive => vec![PathBuf::from("/")],
            _ => vec![self.ws(), self.r.join("tmp")],
        }
    }

    fn blocked(&self, p: &Path) -> bool {
        p.starts_with(self.home().join(".ssh"))
            || p.starts_with(self.r.join("etc"))
            || p.starts_with(self.ws().join("secrets"))
            || p.components()
                .any(|c| c.as_os_str().to_string_lossy().ends_with(".pem"))
    }

    /// Where the kernel takes `text` for `op`, found by doing it naively.
    fn oracle(&self, text: &str, op: FileOperation) -> Option<PathBuf> {
        let abs = if let Some(rest) = text.strip_prefix("~/") {
            self.home().join(rest)
        } else {
            self.ws().join(text)
        };
        let entry_op = matches!(op, FileOperation::Delete);
        let ends_in_name = matches!(abs.components().next_back(), Some(Component::Normal(_)));
        if entry_op && ends_in_name {
            let parent = abs.parent()?;
            let name = abs.file_name()?;
            std::fs::create_dir_all(parent).ok()?;
            return Some(std::fs::canonicalize(parent).ok()?.join(name));
        }
        if let Ok(real) = std::fs::canonicalize(&abs) {
            return Some(real);
        }
        // Does not exist: create it the naive way, following every link.
        if let Some(parent) = abs.parent() {
            std::fs::create_dir_all(parent).ok()?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&abs)
            .ok()?;
        std::fs::canonicalize(&abs).ok()
    }
}

fn mode_strategy() -> impl Strategy<Value = FilesystemMode> {
    prop_oneof![
        Just(FilesystemMode::Strict),
        Just(FilesystemMode::Workspace),
        Just(FilesystemMode::Permissive),
    ]
}

fn op_strategy() -> impl Strategy<Value = FileOperation> {
    prop_oneof![
        Just(FileOperation::Read),
        Just(FileOperation::Write),
        Just(FileOperation::Create),
        Just(FileOperation::List),
        Just(FileOperation::Delete),
    ]
}

fn path_strategy() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just(""), Just("~/"), Just("ABS")],
        prop::collection::vec(prop::sample::select(NAMES), 1..8),
        any::<bool>(),
    )
        .prop_map(|(prefix, names, trailing)| {
            let mut s = format!("{prefix}{}", names.join("/"));
            if trailing {
                s.push('/');
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// An allow means the real target is under an allowed root and under no
    /// blocked entry, and has no hidden component below the root when
    /// hidden files are off.
    #[test]
    fn allow_implies_the_real_target_is_allowed(
        path in path_strategy(),
        op in op_strategy(),
        mode in mode_strategy(),
        symlinks in any::<bool>(),
        hidden in any::<bool>(),
    ) {
        let fx = Fixture::new();
        let path = path.replacen("ABS", &format!("{}/", fx.r.display()), 1);
        let g = fx.guard(mode, symlinks, hidden);
        let d = g.check(&FileRequest::new(&path, op));
        prop_assume!(d.is_allowed());
        let Some(real) = fx.oracle(&path, op) else {
            // The kernel cannot reach anything there (a loop, a file used
            // as a directory): nothing to compare.
            return Ok(());
        };
        let root = fx.roots(mode).into_iter().filter(|r| real.starts_with(r)).max_by_key(|r| r.components().count());
        prop_assert!(root.is_some(), "{path} ({}) allowed ({}), but really is {}", op.as_str(), d.reason, real.display());
        prop_assert!(!fx.blocked(&real), "{path} ({}) allowed ({}), but really is blocked {}", op.as_str(), d.reason, real.display());
        if !hidden {
            let below = real.strip_prefix(root.unwrap()).unwrap();
            prop_assert!(
                !below.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')),
                "{path} allowed with hidden files off, but really is {}", real.display()
            );
        }
    }

    /// Ordinary workspace paths (plain names, no links, nothing blocked or
    /// hidden) are never refused.
    #[test]
    fn ordinary_workspace_paths_are_allowed(
        dirs in prop::collection::vec(prop::sample::select(&["src", "docs", "a", "b", "new"][..]), 0..5),
        file in prop::sample::select(&["main.rs", "a.md", "x-y_z.txt", "new", "README"][..]),
        op in prop_oneof![Just(FileOperation::Read), Just(FileOperation::Write), Just(FileOperation::CreateDir)],
        mode in prop_oneof![Just(FilesystemMode::Workspace), Just(FilesystemMode::Strict), Just(FilesystemMode::Permissive)],
        absolute in any::<bool>(),
    ) {
        let fx = Fixture::new();
        let g = fx.guard(mode, false, false);
        let mut names = dirs;
        names.push(file);
        let rel = names.join("/");
        let path = if absolute { format!("{}/{rel}", fx.ws().display()) } else { rel };
        let d = g.check(&FileRequest::new(&path, op));
        prop_assert!(d.is_allowed(), "{path} ({}) refused: {:?}", op.as_str(), d);
    }
}
