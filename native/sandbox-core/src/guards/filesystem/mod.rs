//! The filesystem guard: decides `check_file_access(path, operation)` as
//! docs/policy.md (Filesystem) says, and (on Linux) performs file operations that
//! cannot be raced (see [`enforce`]).
//!
//! A check runs in three steps:
//! 1. **Syntax** ([`platform`]): refuse empty, NUL, over-long and (on
//!    Windows) device, UNC, stream and reserved-name paths; expand `~`;
//!    join relative paths to the workspace; convert `file:` URLs.
//! 2. **Resolution** (`resolve`): the physical path on the longest existing
//!    prefix, links followed (dangling ones too), `..` on the physical
//!    parent; for operations on the entry itself only the parent.
//! 3. **Judgement**: blocked → protected → symlinks → devices → mode →
//!    hidden files → per-operation rules, first refusal wins.
//!
//! The policy's paths are canonicalized the same way once, when the guard
//! is built. A check reads the filesystem (`lstat`, `readlink`) but never
//! changes it.

pub mod enforce;
#[cfg(target_os = "linux")]
mod fast;
mod index;
pub mod later;
pub mod platform;
mod resolve;

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use std::fmt;
use std::path::Path;

use crate::decision::{Decision, DecisionCode};
use crate::error::Error;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

use index::PathIndex;
use platform::Name;
pub use platform::{Platform, SyntaxError};
use resolve::{FileId, FsView, HostFs, Node, PureFs, ResolveError};

/// No one-call resolution off Linux: every path is walked.
#[cfg(not(target_os = "linux"))]
mod fast {
    use super::platform::Name;
    use super::resolve::{FileId, Resolved};

    #[derive(Debug)]
    pub(crate) struct FastPath;

    impl FastPath {
        pub(crate) fn new(_: &[(&[Name], FileId)]) -> Option<FastPath> {
            None
        }

        pub(crate) fn resolve(&self, _: &[Name]) -> Option<Resolved> {
            None
        }
    }
}

/// File operations a tool may ask about. The numbers cross the C ABI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum FileOperation {
    /// Read a file's content.
    Read = 0,
    /// Write (create or replace) a file.
    Write = 1,
    /// Create a new file.
    Create = 2,
    /// Create a directory (and missing parents).
    CreateDir = 3,
    /// Remove a file, link or empty directory (the entry itself, never a link's target).
    Delete = 4,
    /// List a directory.
    List = 5,
    /// Move an entry; needs `dest`.
    Rename = 6,
    /// Create a symbolic link at `path`; needs `link_target`.
    Symlink = 7,
    /// Create a hard link at `path` to the existing `link_target`.
    Link = 8,
    /// Execute a file.
    Execute = 9,
}

impl FileOperation {
    /// Every operation, in numeric order.
    pub const ALL: &'static [FileOperation] = &[
        FileOperation::Read,
        FileOperation::Write,
        FileOperation::Create,
        FileOperation::CreateDir,
        FileOperation::Delete,
        FileOperation::List,
        FileOperation::Rename,
        FileOperation::Symlink,
        FileOperation::Link,
        FileOperation::Execute,
    ];

    /// The operation's name as in docs/policy.md (`read`, `create_dir`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FileOperation::Read => "read",
            FileOperation::Write => "write",
            FileOperation::Create => "create",
            FileOperation::CreateDir => "create_dir",
            FileOperation::Delete => "delete",
            FileOperation::List => "list",
            FileOperation::Rename => "rename",
            FileOperation::Symlink => "symlink",
            FileOperation::Link => "link",
            FileOperation::Execute => "execute",
        }
    }

    /// The operation with this name, if any.
    pub fn from_name(s: &str) -> Option<FileOperation> {
        FileOperation::ALL.iter().copied().find(|o| o.as_str() == s)
    }

    /// The operation with this ABI number, if any.
    pub fn from_u32(n: u32) -> Option<FileOperation> {
        FileOperation::ALL.get(n as usize).copied()
    }

    /// Whether the operation changes the filesystem.
    pub fn modifies(self) -> bool {
        !matches!(
            self,
            FileOperation::Read | FileOperation::List | FileOperation::Execute
        )
    }
}

/// One file access to decide.
#[derive(Debug, Clone, Copy)]
pub struct FileRequest<'a> {
    pub path: &'a str,
    pub operation: FileOperation,
    /// `dest` of a rename, `link_target` of a symlink or hard link.
    pub other: Option<&'a str>,
    /// Size in bytes of a write or create, when known.
    pub size: Option<u64>,
}

impl<'a> FileRequest<'a> {
    /// A request without `other` and without a size.
    pub fn new(path: &'a str, operation: FileOperation) -> FileRequest<'a> {
        FileRequest {
            path,
            operation,
            other: None,
            size: None,
        }
    }
}

/// Which end of an operation a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The only path of the operation.
    Only,
    /// The entry a rename moves away.
    Source,
    /// Where a rename puts the entry.
    Dest,
    /// Where a symbolic or hard link is created.
    NewLink,
    /// What a symbolic or hard link will refer to.
    LinkTarget,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::Only => "",
            Role::Source => "source ",
            Role::Dest => "destination ",
            Role::NewLink => "link ",
            Role::LinkTarget => "link target ",
        }
    }
}

/// Who a reason speaks of, e.g. `rename destination ./x`: written out only
/// when a decision is made, not on every check.
#[derive(Debug, Clone, Copy)]
struct Who<'a> {
    op: FileOperation,
    role: Role,
    text: &'a str,
}

impl fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}{}",
            self.op.as_str(),
            self.role.describe(),
            self.text
        )
    }
}

/// A path with its comparison keys (case-folded where the platform folds).
///
/// Where no component folds (always on Linux) the keys are the components
/// themselves: both share one list instead of a copy of every name, which
/// each path of each check would otherwise allocate.
#[derive(Debug, Clone)]
struct KPath {
    comps: std::sync::Arc<[Name]>,
    keys: std::sync::Arc<[Name]>,
}

impl KPath {
    fn new(platform: Platform, comps: Vec<Name>) -> KPath {
        let comps: std::sync::Arc<[Name]> = comps.into();
        let folds = comps
            .iter()
            .any(|c| matches!(platform.key(c), std::borrow::Cow::Owned(_)));
        let keys = if folds {
            comps.iter().map(|c| platform.key(c).into_owned()).collect()
        } else {
            comps.clone()
        };
        KPath { comps, keys }
    }

    /// `self` is `other` or one of its ancestors (component comparison).
    ///
    /// Compared from the last component backwards: the answer of
    /// `starts_with`, but paths below one parent (the protected files below
    /// the home, the checked path below the workspace) share their first
    /// components and differ in later ones, so a mismatch is found at the
    /// first comparison instead of after every shared leading name.
    fn covers(&self, other: &KPath) -> bool {
        let n = self.keys.len();
        other.keys.len() >= n && self.keys.iter().rev().eq(other.keys[..n].iter().rev())
    }

    /// The same path (component comparison, from the end as in `covers`).
    fn same(&self, other: &KPath) -> bool {
        self.keys.len() == other.keys.len() && self.keys.iter().rev().eq(other.keys.iter().rev())
    }
}

/// A policy path in its canonical and its lexical (as written, normalized) form.
#[derive(Debug, Clone)]
struct Forms {
    canon: KPath,
    lexical: KPath,
}

#[derive(Debug, Clone)]
enum Matcher {
    Path(Forms),
    Glob {
        /// The pattern and `pattern/**`: matches the entry and everything below.
        below: GlobSet,
        /// The pattern alone.
        exact: GlobMatcher,
        /// The part before the first glob component.
        base: Forms,
    },
}

/// A compiled `allowed_paths` or `blocked_paths` entry (or the workspace).
#[derive(Debug, Clone)]
struct Entry {
    /// The rule text reported in decisions, e.g. `filesystem.blocked_paths[0]: ~/.ssh`.
    rule: String,
    /// The entry as written.
    text: String,
    matcher: Matcher,
}

impl Entry {
    /// Length of the shortest prefix of `t` this entry covers, if any.
    /// `lexical_too` also accepts the entry's lexical form.
    fn prefix_len(&self, platform: Platform, t: &KPath, lexical_too: bool) -> Option<usize> {
        match &self.matcher {
            Matcher::Path(f) => {
                if f.canon.covers(t) {
                    Some(f.canon.keys.len())
                } else if lexical_too && f.lexical.covers(t) {
                    Some(f.lexical.keys.len())
                } else {
                    None
                }
            }
            Matcher::Glob { below, exact, .. } => {
                if !below.is_match(glob_candidate(&platform.glob_text(&t.comps)).as_ref()) {
                    return None;
                }
                (platform.fixed_prefix()..=t.comps.len()).find(|k| {
                    exact.is_match(glob_candidate(&platform.glob_text(&t.comps[..*k])).as_ref())
                })
            }
        }
    }

    /// Whether the entry (or a glob's base) lies at or below `ancestor`.
    fn within(&self, ancestor: &KPath, strict: bool) -> bool {
        let forms = match &self.matcher {
            Matcher::Path(f) => f,
            Matcher::Glob { base, .. } => base,
        };
        [&forms.canon, &forms.lexical]
            .iter()
            .any(|f| ancestor.covers(f) && (!strict || !ancestor.same(f)))
    }

    /// The canonical path of a plain entry (not a glob).
    fn canon(&self) -> Option<&KPath> {
        match &self.matcher {
            Matcher::Path(f) => Some(&f.canon),
            Matcher::Glob { .. } => None,
        }
    }

    fn lexical(&self) -> &KPath {
        match &self.matcher {
            Matcher::Path(f) => &f.lexical,
            Matcher::Glob { base, .. } => &base.lexical,
        }
    }
}

/// A root a path may be under: the workspace or an `allowed_paths` entry.
#[derive(Debug, Clone)]
struct Root {
    entry: Entry,
    workspace: bool,
    /// An `allowed_paths` entry under `/dev`, `/proc` or `/sys`: explicitly allows device paths there.
    device: bool,
}

/// What a built-in protection covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protect {
    /// Credentials (`~/.ssh`, …): every operation.
    Everything,
    /// Start-up files (`~/.bashrc`, …): operations that change the filesystem.
    Changes,
}

#[derive(Debug, Clone)]
struct Protected {
    what: Protect,
    /// As shown in reasons, e.g. `~/.ssh`.
    text: String,
    forms: Forms,
}

/// Credential stores under `$HOME`, protected for every operation.
/// `sandbox-exec` protects the same entries from executed commands (and
/// those under `.config/` also below `$XDG_CONFIG_HOME` when the helper is
/// given one). Stores that hold settings every run of a tool needs, beside
/// tokens, are left out (`~/.npmrc`: npm reads it for every command;
/// `~/.cargo`'s credential files: a missing one would lock `~/.cargo` in
/// permissive mode, where cargo makes its caches; `~/.my.cnf`,
/// `~/.m2/settings.xml`, `~/.gradle/gradle.properties`: the client's or
/// the build's settings for every run): a policy blocks them when wanted.
pub const PROTECTED_CREDENTIALS: &[&str] = &[
    ".ssh",
    ".aws",
    ".gnupg",
    ".git-credentials",
    // git-credential-store(1) reads and writes this one when
    // `~/.git-credentials` does not exist.
    ".config/git/credentials",
    ".netrc",
    ".docker/config.json",
    ".config/containers/auth.json",
    ".config/gh",
    ".config/glab-cli",
    ".config/hub",
    ".pypirc",
    ".kube",
    ".config/gcloud",
    ".azure",
    ".password-store",
    ".vault-token",
    ".pgpass",
    ".mylogin.cnf",
    ".m2/settings-security.xml",
    ".terraform.d/credentials.tfrc.json",
    ".s3cfg",
    ".boto",
    ".config/rclone",
    // Files that hold only a tool's tokens (no settings every command of
    // the tool needs, which is why ~/.npmrc or ~/.terraformrc stay out).
    ".databrickscfg",
    ".gem/credentials",
    ".config/composer/auth.json",
    ".composer/auth.json",
    ".config/pypoetry/auth.toml",
    ".config/doctl",
    // Not ~/.fly: flyctl installs its binary in ~/.fly/bin.
    ".fly/config.yml",
    ".config/configstore/firebase-tools.json",
    // Private keys and tokens at the paths the tools document.
    // SOPS' age keys (`$XDG_CONFIG_HOME/sops/age/keys.txt`).
    ".config/sops",
    // Hugging Face's token (`$HF_HOME/token`, and the older place); not the
    // model cache beside it.
    ".cache/huggingface/token",
    ".cache/huggingface/stored_tokens",
    ".huggingface/token",
    ".kaggle/kaggle.json",
    ".config/kaggle/kaggle.json",
    ".config/github-copilot",
    // Not ~/.pulumi: its plugins live there.
    ".pulumi/credentials.json",
    ".local/share/com.vercel.cli/auth.json",
    ".vercel/auth.json",
    ".config/netlify/config.json",
    ".netlify/config.json",
    ".config/stripe",
    // Cloudflare's wrangler, before and after it moved below XDG.
    ".wrangler/config",
    ".config/.wrangler/config",
    ".config/ngrok",
    ".ngrok2",
    ".oci",
    ".config/hcloud",
    // 1Password CLI.
    ".config/op",
    ".op",
    ".circleci/cli.yml",
    ".dbt/profiles.yml",
    // Helm's registry logins and chart repositories' passwords.
    ".config/helm/registry",
    ".config/helm/repositories.yaml",
    ".ivy2/.credentials",
    ".sbt/.credentials",
    // Coding agents' logins: the Codex CLI's, Claude Code's on Linux,
    // the Gemini CLI's, opencode's.
    ".codex/auth.json",
    ".claude/.credentials.json",
    ".gemini/oauth_creds.json",
    ".local/share/opencode/auth.json",
    // Subversion's saved passwords, Teleport's and minikube's private
    // keys (not `~/.minikube` itself: its VM images and caches), a Solana
    // wallet's key, Python keyring's file store, Gerrit's cookies.
    ".subversion/auth",
    ".tsh/keys",
    ".minikube/ca.key",
    ".minikube/client.key",
    ".minikube/proxy-client-ca.key",
    ".minikube/profiles",
    ".config/solana/id.json",
    ".local/share/python_keyring",
    ".gitcookies",
    // Keyrings: GNOME's and KDE's.
    ".local/share/keyrings",
    ".local/share/kwalletd",
    // Browser profiles: cookies are live logins, and the saved passwords.
    ".config/google-chrome",
    ".config/google-chrome-beta",
    ".config/chromium",
    ".config/BraveSoftware",
    ".config/microsoft-edge",
    ".config/vivaldi",
    ".mozilla",
    // VS Code's extension state and secrets.
    ".config/Code/User/globalStorage",
    ".config/VSCodium/User/globalStorage",
    // Shell and REPL histories: what the user typed, `export TOKEN=…` and
    // passwords given on command lines included.
    ".bash_history",
    ".zsh_history",
    ".zhistory",
    ".histfile",
    ".sh_history",
    ".local/share/fish/fish_history",
    ".python_history",
    ".node_repl_history",
    ".psql_history",
    ".mysql_history",
    ".rediscli_history",
    ".sqlite_history",
    ".irb_history",
    ".ipython/profile_default/history.sqlite",
    ".local/share/atuin",
    ".mongodb/mongosh/mongosh_repl_history",
    ".dbshell",
    ".lesshst",
    // Editors' histories and registers (what was yanked, typed, searched).
    ".viminfo",
    ".local/state/nvim/shada",
    ".local/share/nvim/shada",
];
/// Files and directories under `$HOME` that run code when a shell or a
/// session starts, that configure git (hooks path, aliases), or that the
/// pager and the editor git starts read at start: protected
/// against changes. `sandbox-exec` makes the same entries read-only.
pub const PROTECTED_STARTUP: &[&str] = &[
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".bash_logout",
    // Sourced by the stock `~/.bashrc` of Debian and Ubuntu, and of Fedora.
    ".bash_aliases",
    ".bashrc.d",
    // What bash-completion (loaded by the stock `~/.bashrc`) sources in every
    // interactive shell, and the user's completions it loads on a tab.
    ".bash_completion",
    ".local/share/bash-completion",
    ".inputrc",
    ".profile",
    ".zshrc",
    ".zshenv",
    ".zprofile",
    ".zlogin",
    ".zlogout",
    ".cshrc",
    ".tcshrc",
    ".login",
    ".logout",
    ".kshrc",
    ".mkshrc",
    ".xprofile",
    ".xinitrc",
    ".xsessionrc",
    ".pam_environment",
    ".config/fish",
    ".config/autostart",
    ".config/systemd",
    ".config/environment.d",
    ".gitconfig",
    ".config/git",
    // What the pager of `git log`/`git diff` reads: `#env LESSOPEN=|cmd` in a
    // key file, or lesspipe's `~/.lessfilter`, runs a command.
    ".lesskey",
    ".config/lesskey",
    ".less",
    ".lessfilter",
    // What the editor of `git commit` runs at start.
    ".vimrc",
    ".vim",
    ".exrc",
    ".config/nvim",
    ".emacs",
    ".emacs.d",
    ".config/emacs",
    ".nanorc",
];

/// Devices that are safe to read and write wherever the policy points.
const SAFE_DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/random",
    "/dev/urandom",
    "/dev/stdout",
    "/dev/stderr",
];
/// Kernel interfaces: denied unless an `allowed_paths` entry names them.
const DEVICE_ROOTS: &[&str] = &["/dev", "/proc", "/sys"];

/// A glob entry of `blocked_paths`, for a caller that looks for its matches
/// on disk (the enforcement helper hides them before a command runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedGlob {
    /// The rule text, e.g. `filesystem.blocked_paths[3]: ./secrets/*.key`.
    pub rule: String,
    /// The physical directory the pattern is anchored at (the part before
    /// its first glob component, resolved); `None` when it matches at any
    /// depth anywhere (`*.pem`, `**/.env`, `/**/id_*`).
    pub base: Option<std::path::PathBuf>,
}

/// Where the guard looks paths up.
#[derive(Debug, Clone, Copy)]
enum View {
    /// This host's filesystem.
    Host,
    /// No filesystem: another platform's rules applied to text only.
    Pure(Platform),
}

impl FsView for View {
    fn lookup(&self, path: &[Name]) -> std::io::Result<(Node, Option<FileId>)> {
        match self {
            View::Host => HostFs.lookup(path),
            View::Pure(p) => PureFs(*p).lookup(path),
        }
    }
}

/// A path of a request, resolved.
#[derive(Debug, Clone)]
struct Target {
    lexical: KPath,
    canon: KPath,
    /// Locations of the links followed on the way.
    links: Vec<KPath>,
    /// Identities of the existing components of `canon`.
    ids: Vec<Option<FileId>>,
}

/// A blocked or protected entry known by identity, so that it is
/// recognized under any name: a hard link, a bind mount, or after a rename.
#[derive(Debug, Clone)]
struct Ident {
    id: FileId,
    /// The physical path the entry had when its identity was read.
    at: Vec<Name>,
    code: DecisionCode,
    /// E.g. `blocked path ~/.aws`.
    what: String,
    rule: Option<String>,
    /// Only operations that change the filesystem are refused.
    changes_only: bool,
}

/// Where an allowed path lies, for the enforcing operations.
#[derive(Debug, Clone)]
struct Judged {
    /// The matched root (index in `roots`), if any.
    root: Option<usize>,
    /// Length of the canonical prefix that is the matched root (0 = `/`).
    root_len: usize,
    /// The target is one of [`SAFE_DEVICES`].
    safe_device: bool,
}

/// One allowed path of an [`Authorized`] request: the root the operation
/// starts from and the components below it, all physical (no links, no `..`).
/// Read by the enforcing operations, which exist on Linux only.
#[derive(Debug, Clone)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) struct PlannedPath {
    pub(crate) root: Vec<Name>,
    pub(crate) rel: Vec<Name>,
    pub(crate) safe_device: bool,
    /// The canonical path, for messages.
    pub(crate) shown: String,
}

/// A request the policy allows, bound to the physical paths that were
/// judged. The enforcing operations act on exactly these paths and refuse
/// when the filesystem no longer matches them.
#[derive(Debug, Clone)]
pub struct Authorized {
    /// The allow decision.
    pub decision: Decision,
    pub(crate) op: FileOperation,
    pub(crate) first: PlannedPath,
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub(crate) second: Option<PlannedPath>,
}

impl Authorized {
    /// The operation that was authorized.
    pub fn operation(&self) -> FileOperation {
        self.op
    }
}

/// The compiled filesystem part of a policy.
#[derive(Debug, Clone)]
pub struct FilesystemGuard {
    platform: Platform,
    view: View,
    mode: FilesystemMode,
    allow_symlinks: bool,
    allow_hidden_files: bool,
    max_file_size: Option<u64>,
    /// The workspace as configured (lexical): relative paths join it.
    cwd: Vec<Name>,
    /// `~` as configured (lexical).
    home: Vec<Name>,
    roots: Vec<Root>,
    blocked: Vec<Entry>,
    /// The `blocked` entries that are paths, by canonical and lexical form.
    blocked_paths: PathIndex,
    /// Positions of the `blocked` entries that are globs, matched one by one.
    blocked_globs: Vec<usize>,
    protected: Vec<Protected>,
    safe_devices: Vec<KPath>,
    device_roots: Vec<KPath>,
    /// Identities of the blocked and protected entries when the policy was compiled.
    idents: Vec<Ident>,
    /// Positions in `idents` by identity.
    ident_at: foldhash::HashMap<FileId, Vec<usize>>,
    /// One-call resolution of paths without links (Linux, this host's
    /// filesystem, when its conditions hold; see `fast.rs`).
    fast: Option<std::sync::Arc<fast::FastPath>>,
    /// [`FilesystemGuard::protected_names`], computed once: the command
    /// guard asks for them for every path operand.
    protected_names: Vec<String>,
    /// The same names by their lower-case form (`str::to_lowercase`), for
    /// [`FilesystemGuard::names_other_case`].
    protected_folded: std::collections::HashMap<String, Vec<usize>>,
}

/// The rule of a refused write of code for later commands (see [`later`]).
pub(crate) const LATER_CODE_RULE: &str = "built-in: protected code for later commands";

impl FilesystemGuard {
    /// Compile the filesystem policy for this host: `workspace` is the
    /// agent's working directory (relative paths resolve against it) and
    /// `home` is what `~` means; both absolute.
    pub fn new(
        policy: &FilesystemPolicy,
        limits: &ResourceLimits,
        workspace: &Path,
        home: &Path,
    ) -> Result<FilesystemGuard, Error> {
        let platform = Platform::host();
        let text = |p: &Path, name: &str| -> Result<String, Error> {
            p.to_str().map(str::to_string).ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{name} {:?} is not valid UTF-8; use a UTF-8 path",
                    p.display().to_string()
                ))
            })
        };
        FilesystemGuard::build(
            policy,
            limits,
            &text(workspace, "workspace")?,
            &text(home, "home")?,
            platform,
            View::Host,
        )
    }

    /// Compile the policy with another platform's path rules, without
    /// consulting any filesystem (paths resolve lexically, plus the links a
    /// platform always has, such as macOS `/tmp`). The enforcing operations
    /// refuse to run on such a guard.
    pub fn for_platform(
        policy: &FilesystemPolicy,
        limits: &ResourceLimits,
        workspace: &str,
        home: &str,
        platform: Platform,
    ) -> Result<FilesystemGuard, Error> {
        FilesystemGuard::build(
            policy,
            limits,
            workspace,
            home,
            platform,
            View::Pure(platform),
        )
    }

    fn build(
        policy: &FilesystemPolicy,
        limits: &ResourceLimits,
        workspace: &str,
        home: &str,
        platform: Platform,
        view: View,
    ) -> Result<FilesystemGuard, Error> {
        let cwd = platform
            .parse_config_absolute(workspace)
            .map_err(|e| Error::invalid_argument(format!("workspace: {}", e.reason)))?;
        let cwd = resolve::lexical(platform, &cwd);
        let home = platform
            .parse_config_absolute(home)
            .map_err(|e| Error::invalid_argument(format!("home: {}", e.reason)))?;
        let home = resolve::lexical(platform, &home);
        let mut guard = FilesystemGuard {
            platform,
            view,
            mode: policy.mode,
            allow_symlinks: policy.allow_symlinks,
            allow_hidden_files: policy.allow_hidden_files,
            max_file_size: limits.max_file_size,
            cwd,
            home,
            roots: Vec::new(),
            blocked: Vec::new(),
            blocked_paths: PathIndex::default(),
            blocked_globs: Vec::new(),
            protected_names: Vec::new(),
            protected_folded: std::collections::HashMap::new(),
            protected: Vec::new(),
            safe_devices: Vec::new(),
            device_roots: Vec::new(),
            idents: Vec::new(),
            ident_at: foldhash::HashMap::default(),
            fast: None,
        };
        let ws_forms = guard.forms_of(guard.cwd.clone());
        guard.roots.push(Root {
            entry: Entry {
                rule: format!("workspace: {workspace}"),
                text: workspace.to_string(),
                matcher: Matcher::Path(ws_forms),
            },
            workspace: true,
            device: false,
        });
        if platform != Platform::Windows {
            guard.device_roots = DEVICE_ROOTS.iter().map(|d| guard.fixed(d)).collect();
            guard.safe_devices = SAFE_DEVICES.iter().map(|d| guard.fixed(d)).collect();
        }
        for (i, text) in policy.allowed_paths.iter().enumerate() {
            let rule = format!("filesystem.allowed_paths[{i}]: {text}");
            let entry = guard.compile_entry(text, rule, false).map_err(|m| {
                Error::invalid_policy(format!("filesystem.allowed_paths[{i}]: {m}"))
            })?;
            let device = guard
                .device_roots
                .iter()
                .any(|d| d.covers(entry.lexical()) || entry.canon().is_some_and(|c| d.covers(c)));
            guard.roots.push(Root {
                entry,
                workspace: false,
                device,
            });
        }
        for (i, text) in policy.blocked_paths.iter().enumerate() {
            let rule = format!("filesystem.blocked_paths[{i}]: {text}");
            let entry = guard.compile_entry(text, rule, true).map_err(|m| {
                Error::invalid_policy(format!("filesystem.blocked_paths[{i}]: {m}"))
            })?;
            match &entry.matcher {
                Matcher::Path(f) => {
                    guard.blocked_paths.insert(&f.canon.keys, i);
                    guard.blocked_paths.insert(&f.lexical.keys, i);
                }
                Matcher::Glob { .. } => guard.blocked_globs.push(i),
            }
            guard.blocked.push(entry);
        }
        let home = guard.home.clone();
        for (list, what) in [
            (PROTECTED_CREDENTIALS, Protect::Everything),
            (PROTECTED_STARTUP, Protect::Changes),
        ] {
            for rel in list {
                let mut comps = home.clone();
                comps.extend(platform::posix_components(rel.as_bytes()));
                let forms = guard.forms_of(comps);
                guard.protected.push(Protected {
                    what,
                    text: format!("~/{rel}"),
                    forms,
                });
            }
        }
        guard.protected_names = guard.compute_protected_names();
        for (i, n) in guard.protected_names.iter().enumerate() {
            guard
                .protected_folded
                .entry(n.to_lowercase())
                .or_default()
                .push(i);
        }
        guard.idents = guard.identities_now();
        for (i, x) in guard.idents.iter().enumerate() {
            guard.ident_at.entry(x.id).or_default().push(i);
        }
        if matches!(guard.view, View::Host) && platform == Platform::Linux {
            let known: Vec<(&[Name], FileId)> =
                guard.idents.iter().map(|x| (&x.at[..], x.id)).collect();
            guard.fast = fast::FastPath::new(&known).map(std::sync::Arc::new);
        }
        Ok(guard)
    }

    /// The identities the blocked and protected entries have now (entries
    /// that do not exist have none). Taken when the policy is compiled, and
    /// again by each enforcing operation.
    fn identities_now(&self) -> Vec<Ident> {
        if !matches!(self.view, View::Host) {
            return Vec::new();
        }
        let id_of = |k: &KPath| resolve::identity(&k.comps);
        let mut out = Vec::new();
        for b in &self.blocked {
            if let Some((id, canon)) = b.canon().and_then(|k| Some((id_of(k)?, k))) {
                out.push(Ident {
                    id,
                    at: canon.comps.to_vec(),
                    code: DecisionCode::BlockedPath,
                    what: format!("blocked path {}", b.text),
                    rule: Some(b.rule.clone()),
                    changes_only: false,
                });
            }
        }
        for p in &self.protected {
            if self.explicitly_allowed_location(&p.forms.canon) {
                continue;
            }
            if let Some(id) = id_of(&p.forms.canon) {
                out.push(Ident {
                    id,
                    at: p.forms.canon.comps.to_vec(),
                    code: DecisionCode::ProtectedPath,
                    what: format!("protected {}", p.text),
                    rule: Some(format!("built-in: protected {}", p.text)),
                    changes_only: p.what == Protect::Changes,
                });
            }
        }
        out
    }

    /// The first identity in `ids` that `op` may not reach: (index, entry).
    fn identity_hit(&self, op: FileOperation, ids: &[Option<FileId>]) -> Option<(usize, &Ident)> {
        ids.iter().enumerate().find_map(|(i, id)| {
            self.ident_at
                .get(&(*id)?)?
                .iter()
                .map(|&x| &self.idents[x])
                .find(|x| !x.changes_only || op.modifies())
                .map(|x| (i, x))
        })
    }

    /// The first `blocked_paths` entry, in list order, that covers the
    /// canonical or the lexical form of `t`.
    fn first_blocked(&self, t: &Target) -> Option<&Entry> {
        let forms = [&t.canon, &t.lexical];
        let by_path = forms
            .iter()
            .filter_map(|f| self.blocked_paths.first_covering(&f.keys))
            .min();
        self.first_blocked_of(by_path, |b| {
            forms
                .iter()
                .any(|f| b.prefix_len(self.platform, f, true).is_some())
        })
    }

    /// The first `blocked_paths` entry, in list order, that lies strictly
    /// below `form`.
    fn first_blocked_below(&self, form: &KPath) -> Option<&Entry> {
        let by_path = self.blocked_paths.first_within(&form.keys, true);
        self.first_blocked_of(by_path, |b| b.within(form, true))
    }

    /// The first of: the path entry the index found (`by_path`), and any
    /// glob entry listed before it that `glob_hit` accepts. Globs are not
    /// indexed, so they are tried in list order up to that position.
    fn first_blocked_of(
        &self,
        by_path: Option<usize>,
        glob_hit: impl Fn(&Entry) -> bool,
    ) -> Option<&Entry> {
        let by_glob = self
            .blocked_globs
            .iter()
            .take_while(|&&g| by_path.is_none_or(|p| g < p))
            .find(|&&g| glob_hit(&self.blocked[g]));
        by_glob.copied().or(by_path).map(|i| &self.blocked[i])
    }

    /// A fixed absolute POSIX path (no resolution: device paths are judged as written).
    fn fixed(&self, text: &str) -> KPath {
        KPath::new(self.platform, platform::posix_components(text.as_bytes()))
    }

    /// Canonical and lexical forms of absolute components. When resolution
    /// fails (a loop, no permission to look) the lexical form stands in:
    /// paths below such an entry cannot resolve either, so they are denied.
    fn forms_of(&self, comps: Vec<Name>) -> Forms {
        let lexical = resolve::lexical(self.platform, &comps);
        let canon = match resolve::resolve(&self.view, self.platform, &comps, true) {
            Ok(r) => r.comps,
            Err(_) => lexical.clone(),
        };
        Forms {
            canon: KPath::new(self.platform, canon),
            lexical: KPath::new(self.platform, lexical),
        }
    }

    fn compile_entry(&self, text: &str, rule: String, blocked: bool) -> Result<Entry, String> {
        let p = self.platform;
        let normalized = if p == Platform::Windows {
            text.replace('\\', "/")
        } else {
            text.to_string()
        };
        if !is_glob(&normalized) {
            let comps = p
                .parse_input(text, &self.cwd, &self.home)
                .map_err(|e| e.reason)?;
            return Ok(Entry {
                rule,
                text: text.to_string(),
                matcher: Matcher::Path(self.forms_of(comps)),
            });
        }
        // A glob: resolve the literal part before the first glob component
        // like any path, keep the rest as a pattern.
        let parts: Vec<&str> = normalized.split('/').collect();
        let first_glob = parts.iter().position(|c| is_glob(c)).unwrap_or(0);
        let literal = parts[..first_glob].join("/");
        let tail = parts[first_glob..].join("/");
        let unanchored = literal.is_empty() && !normalized.starts_with('/');
        let (base_comps, pattern) = if unanchored && tail.starts_with("**") {
            (Vec::new(), tail.clone())
        } else if unanchored && blocked && !tail.contains('/') {
            // `*.pem` in blocked_paths: a name pattern, blocked at any depth.
            (Vec::new(), format!("**/{tail}"))
        } else {
            let base_text = if literal.is_empty() {
                if normalized.starts_with('/') {
                    "/".to_string()
                } else {
                    ".".to_string()
                }
            } else {
                literal.clone()
            };
            let comps = p
                .parse_input(&base_text, &self.cwd, &self.home)
                .map_err(|e| e.reason)?;
            let forms = self.forms_of(comps);
            let base_text = String::from_utf8(p.glob_text(&forms.canon.comps))
                .map_err(|_| "the path before the glob is not UTF-8".to_string())?;
            let base_text = base_text.trim_end_matches('/').to_string();
            let pattern = format!("{}/{}", globset::escape(&base_text), tail);
            (forms.canon.comps.to_vec(), pattern)
        };
        let pattern = p.key_text(&pattern);
        let build = |pat: &str| {
            GlobBuilder::new(pat)
                .literal_separator(true)
                .backslash_escape(p != Platform::Windows)
                .build()
                .map_err(|e| format!("invalid glob {text:?}: {e}"))
        };
        let exact = build(&pattern)?;
        let mut set = GlobSetBuilder::new();
        set.add(exact.clone());
        set.add(build(&format!("{}/**", pattern.trim_end_matches('/')))?);
        let below = set
            .build()
            .map_err(|e| format!("invalid glob {text:?}: {e}"))?;
        Ok(Entry {
            rule,
            text: text.to_string(),
            matcher: Matcher::Glob {
                below,
                exact: exact.compile_matcher(),
                base: Forms {
                    canon: KPath::new(p, base_comps.clone()),
                    lexical: KPath::new(p, base_comps),
                },
            },
        })
    }

    /// Every path component the blocked and protected entries name, with
    /// the git directory's protected entries: the names a glob or a
    /// differently cased name in a command could stand for.
    pub fn protected_names(&self) -> &[String] {
        &self.protected_names
    }

    /// Whether a protected name (see [`Self::protected_names`]) other than
    /// `name` itself equals it but for case (`to_lowercase` of both equal):
    /// one hash lookup instead of a comparison with every name.
    pub(crate) fn names_other_case(&self, name: &str) -> bool {
        let hit = |folded: &str| {
            self.protected_folded
                .get(folded)
                .is_some_and(|at| at.iter().any(|&i| self.protected_names[i] != name))
        };
        if !name.bytes().any(|b| b.is_ascii_uppercase()) && name.is_ascii() {
            return hit(name);
        }
        // An ASCII name of common length is folded on the stack (ASCII
        // lower-cases to ASCII, byte for byte, as `to_lowercase` does).
        let mut buf = [0u8; 64];
        if name.is_ascii() && name.len() <= buf.len() {
            let folded = &mut buf[..name.len()];
            folded.copy_from_slice(name.as_bytes());
            folded.make_ascii_lowercase();
            return std::str::from_utf8(folded).is_ok_and(hit);
        }
        hit(&name.to_lowercase())
    }

    fn compute_protected_names(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![".git".to_string(), "objects".to_string()];
        let texts = self
            .blocked
            .iter()
            .map(|b| b.text.as_str())
            .chain(self.protected.iter().map(|p| p.text.as_str()))
            .chain(GIT_DIR_INDIRECTIONS.iter().copied())
            .chain(GIT_DIR_RUN_STATE.iter().copied())
            .chain(GIT_DIR_NESTED.iter().copied());
        for t in texts {
            for c in t.split(['/', '\\']) {
                if matches!(c, "" | "~" | "." | "..") || out.iter().any(|o| o == c) {
                    continue;
                }
                out.push(c.to_string());
            }
        }
        out
    }

    /// The glob entries of `blocked_paths`, in list order.
    pub fn blocked_globs(&self) -> Vec<BlockedGlob> {
        self.blocked_globs
            .iter()
            .map(|&g| {
                let b = &self.blocked[g];
                let base = match &b.matcher {
                    Matcher::Glob { base, .. } if !base.canon.comps.is_empty() => {
                        Some(resolve::host_path(&base.canon.comps))
                    }
                    _ => None,
                };
                BlockedGlob {
                    rule: b.rule.clone(),
                    base,
                }
            })
            .collect()
    }

    /// The rule of the first glob entry of `blocked_paths` that matches the
    /// physical path `path` or one of its ancestors, as a check would judge
    /// that path. `path` is absolute and taken as it is: no resolution.
    pub fn blocked_glob_at(&self, path: &Path) -> Option<&str> {
        if self.blocked_globs.is_empty() {
            return None;
        }
        #[cfg(unix)]
        let comps = platform::posix_components(&resolve::host_bytes(path.as_os_str()));
        #[cfg(not(unix))]
        let comps = self.platform.parse_config_absolute(path.to_str()?).ok()?;
        let k = KPath::new(self.platform, comps);
        self.blocked_globs
            .iter()
            .map(|&g| &self.blocked[g])
            .find(|b| b.prefix_len(self.platform, &k, false).is_some())
            .map(|b| b.rule.as_str())
    }

    /// The rule of a blocked entry at or below the directory `text` leads
    /// to (links followed): a link to that directory reaches the entry
    /// under a second name.
    pub(crate) fn blocked_below(&self, text: &str) -> Option<String> {
        let t = self
            .target_with(FileOperation::Read, Role::Only, text, true)
            .ok()?;
        self.blocked
            .iter()
            .find(|e| e.within(&t.canon, false) || e.within(&t.lexical, false))
            .map(|e| e.rule.clone())
    }

    /// What a tool that walks the tree at `text` (links followed to reach
    /// it) may meet that a check of `text` itself does not see: the plain
    /// `blocked_paths` entries and the credential stores that lie strictly
    /// below it, as host paths (canonical and as written; they may not
    /// exist), and whether a glob entry of `blocked_paths` may match below
    /// it (then the tree must be walked to find its matches).
    pub(crate) fn blocked_in_tree(&self, text: &str) -> (Vec<std::path::PathBuf>, bool) {
        let Ok(t) = self.target_with(FileOperation::Read, Role::Only, text, true) else {
            return (Vec::new(), false);
        };
        let roots = [&t.canon, &t.lexical];
        let below = |f: &KPath| roots.iter().any(|r| r.covers(f) && !r.same(f));
        let mut out: Vec<std::path::PathBuf> = Vec::new();
        let mut add = |k: &KPath| {
            let p = resolve::host_path(&k.comps);
            if !out.contains(&p) {
                out.push(p);
            }
        };
        for e in &self.blocked {
            if let Matcher::Path(f) = &e.matcher {
                if below(&f.canon) || below(&f.lexical) {
                    add(&f.canon);
                    add(&f.lexical);
                }
            }
        }
        for p in self
            .protected
            .iter()
            .filter(|p| p.what == Protect::Everything)
        {
            if below(&p.forms.canon) || below(&p.forms.lexical) {
                add(&p.forms.canon);
                add(&p.forms.lexical);
            }
        }
        let globs = self.blocked_globs.iter().any(|&g| {
            let Matcher::Glob { base, .. } = &self.blocked[g].matcher else {
                return false;
            };
            [&base.canon, &base.lexical]
                .iter()
                .any(|b| b.comps.is_empty() || roots.iter().any(|r| r.covers(b) || b.covers(r)))
        });
        (out, globs)
    }

    /// The host path `text` names (joined to the workspace, `~` expanded,
    /// `.`/`..` resolved lexically), on a guard that looks at this host's
    /// filesystem; `None` otherwise.
    pub(crate) fn host_path_of(&self, text: &str) -> Option<std::path::PathBuf> {
        if !matches!(self.view, View::Host) {
            return None;
        }
        let comps = self
            .platform
            .parse_input(text, &self.cwd, &self.home)
            .ok()?;
        Some(resolve::host_path(&resolve::lexical(self.platform, &comps)))
    }

    /// The platform whose path rules this guard applies.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// Decide a file access. Cheap and free of side effects: it looks at the
    /// filesystem (`lstat`, `readlink`) but never changes it.
    pub fn check(&self, req: &FileRequest<'_>) -> Decision {
        match self.decide(req, false) {
            Ok(a) => a.decision,
            Err(d) => d,
        }
    }

    /// Decide a file access and, when it is allowed, bind the decision to the
    /// physical paths that were judged, for the enforcing operations.
    pub fn authorize(&self, req: &FileRequest<'_>) -> Result<Authorized, Decision> {
        self.decide(req, true)
    }

    /// [`Self::authorize`]; `plan` false leaves the physical paths of the
    /// result empty, for [`Self::check`], which returns the decision only
    /// (the same decision: the paths are copied after it is made).
    fn decide(&self, req: &FileRequest<'_>, plan: bool) -> Result<Authorized, Decision> {
        let op = req.operation;
        let verb = op.as_str();
        let need_other = |what: &str| -> Result<&str, Decision> {
            req.other.ok_or_else(|| {
                Decision::deny(
                    DecisionCode::BadRequest,
                    format!("{verb} {}: the request has no {what}", req.path),
                    None,
                )
            })
        };
        match op {
            FileOperation::Read
            | FileOperation::List
            | FileOperation::Execute
            | FileOperation::Write
            | FileOperation::Create
            | FileOperation::CreateDir => {
                let t = self.target_with(op, Role::Only, req.path, true)?;
                let j = self.judge(op, Role::Only, req.path, &t)?;
                if op == FileOperation::Write {
                    self.refuse_linked_file(req.path, &t)?;
                }
                if matches!(op, FileOperation::Write | FileOperation::Create) {
                    if let (Some(max), Some(size)) = (self.max_file_size, req.size) {
                        if size > max {
                            return Err(Decision::deny(
                                DecisionCode::FileTooLarge,
                                format!(
                                    "{verb} {}: {size} bytes exceed the limit of {max} bytes",
                                    req.path
                                ),
                                Some(format!("limits.max_file_size: {max}")),
                            ));
                        }
                    }
                }
                Ok(self.authorized(plan, op, req.path, (&t, &j), None))
            }
            FileOperation::Delete => {
                let t = self.target_with(op, Role::Only, req.path, false)?;
                let j = self.judge(op, Role::Only, req.path, &t)?;
                self.refuse_root_operation(op, Role::Only, req.path, &t)?;
                Ok(self.authorized(plan, op, req.path, (&t, &j), None))
            }
            FileOperation::Rename => {
                let dest = need_other("destination")?;
                let src = self.target_with(op, Role::Source, req.path, false)?;
                let js = self.judge(op, Role::Source, req.path, &src)?;
                self.refuse_root_operation(op, Role::Source, req.path, &src)?;
                let dst = self.target_with(op, Role::Dest, dest, false)?;
                let jd = self.judge(op, Role::Dest, dest, &dst)?;
                self.refuse_root_operation(op, Role::Dest, dest, &dst)?;
                Ok(self.authorized(plan, op, req.path, (&src, &js), Some((dest, &dst, &jd))))
            }
            FileOperation::Symlink => {
                let text = need_other("link target")?;
                let link = self.target_with(op, Role::NewLink, req.path, false)?;
                let jl = self.judge(op, Role::NewLink, req.path, &link)?;
                if !self.allow_symlinks {
                    return Err(Decision::deny(
                        DecisionCode::SymlinkNotAllowed,
                        format!(
                            "symlink {}: creating symbolic links is not allowed",
                            req.path
                        ),
                        Some("filesystem.allow_symlinks: false".into()),
                    ));
                }
                // The link's content resolves from the link's own directory.
                let dir = &link.canon.comps[..link.canon.comps.len().saturating_sub(1)];
                let comps = self
                    .platform
                    .parse_link_text(text, dir)
                    .map_err(|e| syntax_denial(op, Role::LinkTarget, e))?;
                let t = self.resolve_target(op, Role::LinkTarget, text, comps, true)?;
                self.judge(op, Role::LinkTarget, text, &t)?;
                Ok(self.authorized(plan, op, req.path, (&link, &jl), None))
            }
            FileOperation::Link => {
                let existing = need_other("link target")?;
                let link = self.target_with(op, Role::NewLink, req.path, false)?;
                let jl = self.judge(op, Role::NewLink, req.path, &link)?;
                // A hard link shares the file: judge it like a read and a
                // write of the file, and of a final link as itself too.
                for follow in [true, false] {
                    let t = self.target_with(op, Role::LinkTarget, existing, follow)?;
                    self.judge(op, Role::LinkTarget, existing, &t)?;
                }
                Ok(self.authorized(plan, op, req.path, (&link, &jl), None))
            }
        }
    }

    fn authorized(
        &self,
        with_paths: bool,
        op: FileOperation,
        path: &str,
        first: (&Target, &Judged),
        second: Option<(&str, &Target, &Judged)>,
    ) -> Authorized {
        let plan = |t: &Target, j: &Judged, shown: String| PlannedPath {
            root: if with_paths {
                t.canon.comps[..j.root_len].to_vec()
            } else {
                Vec::new()
            },
            rel: if with_paths {
                t.canon.comps[j.root_len..].to_vec()
            } else {
                Vec::new()
            },
            safe_device: j.safe_device,
            shown,
        };
        let first_shown = self.show(&first.0.canon);
        let reason = match &second {
            Some((dest, t, _)) => {
                let shown = self.show(&t.canon);
                let mut reason = format!("{} {path} to {dest}: allowed", op.as_str());
                if shown != *dest {
                    reason.push_str(&format!(" (destination {shown})"));
                }
                reason
            }
            None if first_shown != path => {
                format!("{} {path}: allowed ({first_shown})", op.as_str())
            }
            None => format!("{} {path}: allowed", op.as_str()),
        };
        Authorized {
            decision: Decision::allow(reason, self.allow_rule(first.1)),
            op,
            first: plan(first.0, first.1, first_shown),
            second: second.map(|(_, t, j)| plan(t, j, self.show(&t.canon))),
        }
    }

    /// The rule that allowed a path.
    fn allow_rule(&self, j: &Judged) -> Option<String> {
        if j.safe_device {
            return Some("built-in: safe device".into());
        }
        match j.root {
            Some(i) => Some(self.roots[i].entry.rule.clone()),
            None => Some("filesystem.mode: permissive".into()),
        }
    }

    fn show(&self, k: &KPath) -> String {
        self.platform.display(&k.comps)
    }

    /// Parse and resolve one path of a request. `follow_last` is false for
    /// operations on the entry itself.
    fn target_with(
        &self,
        op: FileOperation,
        role: Role,
        text: &str,
        follow_last: bool,
    ) -> Result<Target, Decision> {
        // A trailing slash (or `/.`) makes the system resolve the last
        // component: `rm -r link/` empties the link's target, `mv f link/`
        // moves into it.
        let windows = self.platform == Platform::Windows;
        let sep = |c: char| c == '/' || (windows && c == '\\');
        let trimmed = text.trim_end_matches(sep);
        let follow_last = follow_last
            || (trimmed.len() < text.len() && !trimmed.is_empty())
            || (trimmed.ends_with('.')
                && trimmed[..trimmed.len() - 1].ends_with(sep)
                && trimmed.len() > 2);
        let comps = self
            .platform
            .parse_input(text, &self.cwd, &self.home)
            .map_err(|e| syntax_denial(op, role, e))?;
        self.resolve_target(op, role, text, comps, follow_last)
    }

    fn resolve_target(
        &self,
        op: FileOperation,
        role: Role,
        text: &str,
        comps: Vec<Name>,
        follow_last: bool,
    ) -> Result<Target, Decision> {
        let p = self.platform;
        // Without `.` or `..` the lexical form is the path itself: the
        // components are kept once, not copied.
        let plain = comps
            .iter()
            .all(|c| c.as_slice() != b"." && c.as_slice() != b"..");
        let (lexical, dotted) = if plain {
            (KPath::new(p, comps), None)
        } else {
            (KPath::new(p, resolve::lexical(p, &comps)), Some(comps))
        };
        let comps: &[Name] = dotted.as_deref().unwrap_or(&lexical.comps);
        // The safe devices are judged as written: `/dev/stdout` leads through
        // per-process magic links whose targets mean nothing to a policy.
        if self.safe_devices.iter().any(|d| d.same(&lexical)) && safe_device_op(op) {
            return Ok(Target {
                canon: lexical.clone(),
                lexical,
                links: Vec::new(),
                ids: Vec::new(),
            });
        }
        // One system call when the path allows it (see `fast.rs`); the
        // walk otherwise, whose decision it is either way.
        let fast = self.fast.as_deref().and_then(|f| f.resolve(comps));
        let walked = || resolve::resolve(&self.view, p, comps, follow_last);
        let r = fast.map_or_else(walked, Ok).map_err(|e| {
            let who = Who { op, role, text };
            match e {
                ResolveError::TooManyLinks { at } => Decision::deny(
                    DecisionCode::SymlinkLoop,
                    format!(
                        "{who}: more than {} symbolic links at {} (a loop?)",
                        resolve::MAX_HOPS,
                        p.display(&at)
                    ),
                    None,
                ),
                ResolveError::NotADirectory { at } => Decision::deny(
                    DecisionCode::ResolutionError,
                    format!("{who}: {} is not a directory", p.display(&at)),
                    None,
                ),
                ResolveError::BadLink { at, reason } => Decision::deny(
                    DecisionCode::ResolutionError,
                    format!("{who}: symbolic link {}: {reason}", p.display(&at)),
                    None,
                ),
                ResolveError::Io { at, message } => Decision::deny(
                    DecisionCode::ResolutionError,
                    format!("{who}: cannot look up {}: {message}", p.display(&at)),
                    None,
                ),
            }
        })?;
        // Most paths resolve to themselves: their two forms share one list.
        let canon = if r.comps[..] == lexical.comps[..] {
            lexical.clone()
        } else {
            KPath::new(p, r.comps)
        };
        Ok(Target {
            lexical,
            canon,
            links: r.links.into_iter().map(|l| KPath::new(p, l)).collect(),
            ids: r.ids,
        })
    }

    /// Judge one resolved path of a request (docs/policy.md, Filesystem 4–5).
    fn judge(
        &self,
        op: FileOperation,
        role: Role,
        text: &str,
        t: &Target,
    ) -> Result<Judged, Decision> {
        let who = Who { op, role, text };
        let resolved_note = |k: &KPath| -> String {
            if k.same(&t.lexical) && self.show(k) == text {
                String::new()
            } else {
                format!(" (resolves to {})", self.show(k))
            }
        };

        // 1. Blocked wins over everything, on the canonical or the lexical path.
        if let Some(b) = self.first_blocked(t) {
            let note = if b.prefix_len(self.platform, &t.canon, true).is_some() {
                resolved_note(&t.canon)
            } else {
                String::new()
            };
            return Err(Decision::deny(
                DecisionCode::BlockedPath,
                format!("{who}{note}: under blocked path {}", b.text),
                Some(b.rule.clone()),
            ));
        }

        // Protected files (§ 5), unless an allowed_paths entry names them.
        if let Some(d) = self.protected_denial(op, role, who, t) {
            return Err(d);
        }

        // The same, by identity: a component on the way is a blocked or
        // protected entry under another name.
        if let Some((i, x)) = self.identity_hit(op, &t.ids) {
            let at = self.platform.display(&t.canon.comps[..=i]);
            return Err(Decision::deny(
                x.code,
                format!(
                    "{who}: {at} is {} (the same file under another name)",
                    x.what
                ),
                x.rule.clone(),
            ));
        }

        let matched = self.matched_root(&t.canon);

        // 2. Symbolic links below the matched root.
        if !self.allow_symlinks {
            if let Some(l) = t.links.iter().find(|l| !self.tolerated_link(l)) {
                return Err(Decision::deny(
                    DecisionCode::SymlinkNotAllowed,
                    format!("{who}: goes through the symbolic link {}", self.show(l)),
                    Some("filesystem.allow_symlinks: false".into()),
                ));
            }
        }

        // 3. Devices and kernel interfaces: the canonical path, the path as
        // written, and every link on the way (a link under /proc such as
        // `/proc/self/fd/3` is a magic link: the kernel does not follow its
        // text, so its text cannot be judged).
        let device_hit = |form: &KPath| self.device_roots.iter().find(|d| d.covers(form));
        let explicit_device = || {
            self.roots
                .iter()
                .any(|r| r.device && r.entry.prefix_len(self.platform, &t.canon, false).is_some())
        };
        if let Some(l) = t.links.iter().find(|l| device_hit(l).is_some()) {
            if !explicit_device() {
                return Err(Decision::deny(
                    DecisionCode::DevicePath,
                    format!(
                        "{who}: goes through {}, a link into a device or kernel interface",
                        self.show(l)
                    ),
                    Some("built-in: device paths (/dev, /proc, /sys)".into()),
                ));
            }
        }
        if self.safe_devices.iter().any(|d| d.same(&t.canon)) && safe_device_op(op) {
            return Ok(Judged {
                root: None,
                root_len: 0,
                safe_device: true,
            });
        }
        for (form, canonical) in [(&t.canon, true), (&t.lexical, false)] {
            if let Some(dev) = device_hit(form) {
                if !explicit_device() {
                    let note = if canonical {
                        resolved_note(&t.canon)
                    } else {
                        String::new()
                    };
                    return Err(Decision::deny(
                        DecisionCode::DevicePath,
                        format!(
                            "{who}{note}: {} is a device or kernel interface",
                            self.show(dev)
                        ),
                        Some("built-in: device paths (/dev, /proc, /sys)".into()),
                    ));
                }
            }
        }

        // 4. Mode.
        let root_len = match (self.mode, matched) {
            (_, Some((_, len))) => len,
            (FilesystemMode::Permissive, None) => 0,
            (mode, None) => {
                let (code, where_) = if mode == FilesystemMode::Strict {
                    (
                        DecisionCode::OutsideAllowedPaths,
                        "outside every allowed path",
                    )
                } else {
                    (
                        DecisionCode::OutsideWorkspace,
                        "outside the workspace and every allowed path",
                    )
                };
                let shown = self.show(&t.canon);
                let note = if shown == text {
                    String::new()
                } else {
                    format!(" resolves to {shown}, which is")
                };
                return Err(Decision::deny(
                    code,
                    format!("{who}:{note} {where_}"),
                    Some(format!("filesystem.mode: {}", mode_name(mode))),
                ));
            }
        };

        // 5. Hidden components below the matched root, canonical and lexical.
        if !self.allow_hidden_files {
            let lexical_start = match matched {
                Some((i, _)) => self.roots[i]
                    .entry
                    .prefix_len(self.platform, &t.lexical, true)
                    .unwrap_or(t.lexical.comps.len()),
                None => 0,
            };
            let hidden = t.canon.comps[root_len..]
                .iter()
                .chain(t.lexical.comps[lexical_start..].iter())
                .find(|c| self.platform.is_hidden(c));
            if let Some(c) = hidden {
                return Err(Decision::deny(
                    DecisionCode::HiddenFile,
                    format!(
                        "{who}: component {:?} is hidden",
                        String::from_utf8_lossy(c)
                    ),
                    Some("filesystem.allow_hidden_files: false".into()),
                ));
            }
        }

        Ok(Judged {
            root: matched.map(|(i, _)| i),
            root_len,
            safe_device: false,
        })
    }

    /// The deepest root covering the canonical path: `(index, prefix length)`.
    /// Roots count by their canonical form only, so a root that is a link
    /// cannot be swapped to cover something else.
    fn matched_root(&self, canon: &KPath) -> Option<(usize, usize)> {
        let candidates = self
            .roots
            .iter()
            .enumerate()
            .filter(|(_, r)| !(self.mode == FilesystemMode::Strict && r.workspace));
        candidates
            .filter_map(|(i, r)| {
                r.entry
                    .prefix_len(self.platform, canon, false)
                    .map(|l| (i, l))
            })
            .max_by_key(|(_, l)| *l)
    }

    /// A link on the way to a root (`/home` → `/data/home` when the
    /// workspace is under `/home`) is part of the system layout, not a link
    /// below the root.
    fn tolerated_link(&self, link: &KPath) -> bool {
        self.roots.iter().any(|r| link.covers(r.entry.lexical()))
    }

    fn protected_denial(
        &self,
        op: FileOperation,
        role: Role,
        who: Who<'_>,
        t: &Target,
    ) -> Option<Decision> {
        let changes = op.modifies();
        for form in [&t.canon, &t.lexical] {
            for p in &self.protected {
                if p.what == Protect::Changes && !changes {
                    continue;
                }
                if (p.forms.canon.covers(form) || p.forms.lexical.covers(form))
                    && !self.explicitly_allowed(&[&p.forms.canon, &p.forms.lexical], t)
                {
                    return Some(Decision::deny(
                        DecisionCode::ProtectedPath,
                        format!("{who}: {} is protected", p.text),
                        Some(format!("built-in: protected {}", p.text)),
                    ));
                }
            }
            if changes {
                if let Some((len, what)) = self.git_protected(op, role, form) {
                    let location = KPath::new(self.platform, form.comps[..len].to_vec());
                    if !self.explicitly_allowed(&[&location], t) {
                        let why = if is_run_state(what) {
                            "git runs the operation in progress from there: a rebase's todo list holds shell commands"
                        } else {
                            "git reads its configuration and hooks, or follows other repositories, from there"
                        };
                        return Some(Decision::deny(
                            DecisionCode::ProtectedPath,
                            format!("{who}: {} is protected ({why})", self.show(&location)),
                            Some(format!("built-in: protected {what}")),
                        ));
                    }
                }
            }
        }
        if changes {
            if let Some(why) = self.later_code(op, role, t) {
                return Some(Decision::deny(
                    DecisionCode::ProtectedPath,
                    format!("{who}: {} is protected ({why})", self.show(&t.canon)),
                    Some(LATER_CODE_RULE.to_string()),
                ));
            }
        }
        None
    }

    /// Why a change to the target plants code the user's next ordinary
    /// command runs (see [`later`]). Removing such a file, or making an
    /// empty directory, plants nothing.
    fn later_code(&self, op: FileOperation, role: Role, t: &Target) -> Option<String> {
        if !matches!(self.view, View::Host)
            || matches!(op, FileOperation::Delete | FileOperation::CreateDir)
            || role == Role::Source
            || role == Role::LinkTarget
        {
            return None;
        }
        let path = resolve::host_path(&t.canon.comps);
        later::later_code(&path, &resolve::host_path(&self.home))
    }

    /// The protected git location in `k`, if any: its prefix length and
    /// the rule's name. See [`git_indirection`].
    fn git_protected(
        &self,
        op: FileOperation,
        role: Role,
        k: &KPath,
    ) -> Option<(usize, &'static str)> {
        if let Some(hit) = git_indirection(self.platform, op, role, &k.keys) {
            return Some(hit);
        }
        // A git directory under any other name (a bare repository, one
        // named by --git-dir or GIT_DIR): git reads the same configuration
        // and runs the same hooks from it. Its entries are judged as if the
        // directory were called `.git`; the directory itself may go.
        // The rule is tried on the names first and the directory looked at
        // only where it would protect something: most components would not,
        // and each look is up to three system calls.
        let mut git = self.platform.key(b".git").into_owned();
        let mut keys = k.keys.to_vec();
        for i in 0..k.keys.len().saturating_sub(1) {
            if k.keys[i] == git {
                continue;
            }
            // `keys` is `k.keys` with `.git` at `i` for this call only.
            std::mem::swap(&mut keys[i], &mut git);
            let hit = git_indirection(self.platform, op, role, &keys);
            std::mem::swap(&mut keys[i], &mut git);
            if hit.is_some() && self.is_git_dir(&k.comps[..=i]) {
                return hit;
            }
        }
        None
    }

    /// A write changes a file under every name it has. An existing regular
    /// file with more than one (hard) link has names the guard does not
    /// see: one may be `.git/config`, a hook, a start-up file or a file
    /// outside every allowed path (`cp -l .git/config x` made one, or a
    /// clone, an archive, a package store). Only the name judged is known,
    /// so the write is refused; a file with one name is judged by it.
    fn refuse_linked_file(&self, text: &str, t: &Target) -> Result<(), Decision> {
        if !matches!(self.view, View::Host) {
            return Ok(());
        }
        let Ok(m) = std::fs::metadata(resolve::host_path(&t.canon.comps)) else {
            return Ok(());
        };
        match resolve::link_count(&m) {
            Some(n) if n > 1 && m.is_file() => {
                Err(linked_file_denial(FileOperation::Write, text, n))
            }
            _ => Ok(()),
        }
    }

    /// Whether `comps` is a directory git takes for a repository: `HEAD`
    /// beside `objects/` and `refs/` (what git checks before it uses a
    /// directory as a git dir). Only on this host's filesystem.
    fn is_git_dir(&self, comps: &[Name]) -> bool {
        if !matches!(self.view, View::Host) {
            return false;
        }
        let entry = |name: &str| {
            let mut p = comps.to_vec();
            p.push(name.as_bytes().to_vec());
            self.view.lookup(&p).ok().map(|(node, _)| node)
        };
        matches!(entry("HEAD"), Some(Node::Other | Node::Symlink(_)))
            && matches!(entry("objects"), Some(Node::Dir))
            && matches!(entry("refs"), Some(Node::Dir))
    }

    /// Whether an `allowed_paths` entry at or below a protected location
    /// covers the target (the exemption of docs/policy.md, Filesystem 5).
    fn explicitly_allowed(&self, locations: &[&KPath], t: &Target) -> bool {
        self.roots.iter().filter(|r| !r.workspace).any(|r| {
            locations.iter().any(|loc| r.entry.within(loc, false))
                && r.entry.prefix_len(self.platform, &t.canon, false).is_some()
        })
    }

    /// Whether an `allowed_paths` entry lies at or below `location`.
    fn explicitly_allowed_location(&self, location: &KPath) -> bool {
        self.roots
            .iter()
            .any(|r| !r.workspace && r.entry.within(location, false))
    }

    /// A path taken as physical (from a descriptor): no resolution.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn physical_target(&self, comps: Vec<Name>) -> Target {
        let k = KPath::new(self.platform, comps);
        Target {
            lexical: k.clone(),
            canon: k,
            links: Vec::new(),
            ids: Vec::new(),
        }
    }

    /// Whether a listing shows the entry at physical `comps`: only what the
    /// policy would let the caller read (for the Linux-only listing).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn visible(&self, comps: Vec<Name>) -> bool {
        let t = self.physical_target(comps);
        self.judge(FileOperation::Read, Role::Only, "", &t).is_ok()
    }

    /// Never delete or move a root, an ancestor of a root, or an ancestor
    /// of a blocked or protected entry.
    fn refuse_root_operation(
        &self,
        op: FileOperation,
        role: Role,
        text: &str,
        t: &Target,
    ) -> Result<(), Decision> {
        let who = Who { op, role, text };
        for form in [&t.canon, &t.lexical] {
            for r in &self.roots {
                if r.entry.within(form, false) {
                    let what = if r.workspace {
                        "the workspace root"
                    } else {
                        "an allowed root"
                    };
                    let rel = if r.entry.within(form, true) {
                        "contains "
                    } else {
                        "is "
                    };
                    return Err(Decision::deny(
                        DecisionCode::RootOperation,
                        format!("{who}: {rel}{what} {}", r.entry.text),
                        Some(r.entry.rule.clone()),
                    ));
                }
            }
            if let Some(b) = self.first_blocked_below(form) {
                return Err(Decision::deny(
                    DecisionCode::RootOperation,
                    format!("{who}: contains blocked path {}", b.text),
                    Some(b.rule.clone()),
                ));
            }
            for p in self
                .protected
                .iter()
                .filter(|p| p.what == Protect::Everything)
            {
                if form.covers(&p.forms.canon) || form.covers(&p.forms.lexical) {
                    return Err(Decision::deny(
                        DecisionCode::RootOperation,
                        format!("{who}: contains protected {}", p.text),
                        Some(format!("built-in: protected {}", p.text)),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What git reads inside a git directory as configuration, runs, or follows
/// to another directory, relative to that directory: the configuration
/// (`config`, and `config.worktree` when `extensions.worktreeConfig` is
/// on), the hooks, `commondir` (a linked worktree's or any git dir's
/// pointer to the directory its configuration, hooks and objects come
/// from), `gitdir` (a worktree's pointer back to its checkout), `info/`
/// (attributes select diff, merge and filter drivers; `exclude`,
/// `sparse-checkout`, `grafts`), the legacy remote definitions `branches/`
/// and `remotes/` (URLs git fetches from), and the object alternates
/// (other object stores git reads). The same holds in every submodule git
/// dir under `modules/` and every worktree git dir under `worktrees/<id>/`.
/// Objects, refs, logs, the index and `HEAD` are data and stay writable;
/// the state of operations in progress is [`GIT_DIR_RUN_STATE`].
pub const GIT_DIR_INDIRECTIONS: &[&str] = &[
    "config",
    "config.worktree",
    "commondir",
    "gitdir",
    "hooks",
    "info",
    "branches",
    "remotes",
    "objects/info/alternates",
    "objects/info/http-alternates",
];

/// The state of operations in progress that git runs from later, relative
/// to a git dir: an interactive rebase's todo list in `rebase-merge/` (its
/// `exec` lines are shell commands `git rebase --continue` or `--skip`
/// runs), `rebase-apply/`, and the sequencer's `todo` (`cherry-pick` and
/// `revert --continue`). git writes them itself; a write by anything else
/// is a program git runs later, so it is refused like a hook. Deleting
/// them (or moving them away) only ends the operation and stays allowed.
/// Not in [`GIT_DIR_INDIRECTIONS`]: git must write them while it runs.
pub const GIT_DIR_RUN_STATE: &[&str] = &["rebase-merge", "rebase-apply", "sequencer"];

/// Directories of a git dir that hold the git dirs of submodules
/// (`modules/<name>`, where a name may have several components) and of
/// linked worktrees (`worktrees/<id>`).
pub const GIT_DIR_NESTED: &[&str] = &["modules", "worktrees"];

/// Data directories of a git dir: below them no name is an indirection
/// (a branch may be called `config`), except the object alternates.
const GIT_DATA_DIRS: &[&str] = &["objects", "refs", "logs"];

/// The protected git location in the path `keys` (platform keys of its
/// components) for a changing operation: its prefix length and the rule's
/// name. A path is protected when, below a `.git` component, it names an
/// entry of [`GIT_DIR_INDIRECTIONS`] of that git dir or of a nested one
/// (or lies below it); when it creates a link anywhere inside `.git` (git
/// itself never does, and a link makes git read a file from elsewhere);
/// when it writes, replaces or links the `.git` entry itself (a `.git`
/// *file* or link points git at another directory); and when it deletes or
/// moves a directory that holds protected entries (`.git`, `modules/…`,
/// `worktrees/…`, `objects`, `objects/info`), which the enforcement keeps
/// in place as mount points. Creating an empty `.git` directory is allowed:
/// without the protected entries it holds only data.
fn git_indirection(
    platform: Platform,
    op: FileOperation,
    role: Role,
    keys: &[Name],
) -> Option<(usize, &'static str)> {
    let n = keys.len();
    for i in 0..n {
        if !is_key(platform, &keys[i], ".git") {
            continue;
        }
        let rest = &keys[i + 1..];
        let new_link =
            matches!(op, FileOperation::Symlink | FileOperation::Link) && role == Role::NewLink;
        let moves_away =
            op == FileOperation::Delete || (op == FileOperation::Rename && role == Role::Source);
        if rest.is_empty() {
            let replaces = match op {
                FileOperation::Write | FileOperation::Create | FileOperation::Rename => true,
                _ => new_link || moves_away,
            };
            if replaces {
                return Some((n, ".git"));
            }
            continue;
        }
        if let Some((len, what)) = git_dir_entry(platform, rest) {
            if !(moves_away && is_run_state(what)) {
                return Some((i + 1 + len, what));
            }
        }
        if new_link {
            return Some((n, "links inside .git"));
        }
        if moves_away && holds_protected_entries(platform, rest) {
            return Some((n, ".git"));
        }
    }
    None
}

/// The indirection entry `rest` (relative to a git dir) names or lies
/// below: its length in components and the rule's name.
fn git_dir_entry(platform: Platform, rest: &[Name]) -> Option<(usize, &'static str)> {
    // Split once per process: this runs for components of every path a
    // write names.
    static PARTS: std::sync::LazyLock<Vec<(&str, Vec<&str>)>> = std::sync::LazyLock::new(|| {
        GIT_DIR_INDIRECTIONS
            .iter()
            .chain(GIT_DIR_RUN_STATE)
            .map(|e| (*e, e.split('/').collect()))
            .collect()
    });
    let first = rest.first()?;
    for (entry, parts) in PARTS.iter() {
        if rest.len() >= parts.len()
            && parts
                .iter()
                .zip(rest)
                .all(|(part, name)| is_key(platform, name, part))
        {
            return Some((parts.len(), git_rule_name(entry)));
        }
    }
    if is_key(platform, first, "modules") {
        // A submodule's name may have several components: every position
        // after the first name component may start its git dir.
        for k in 2..rest.len() {
            if GIT_DATA_DIRS.iter().any(|d| is_key(platform, &rest[k], d)) {
                return git_dir_entry(platform, &rest[k..]).map(|(l, w)| (k + l, w));
            }
            if let Some((l, w)) = git_dir_entry(platform, &rest[k..]) {
                return Some((k + l, w));
            }
        }
    } else if is_key(platform, first, "worktrees") && rest.len() > 2 {
        return git_dir_entry(platform, &rest[2..]).map(|(l, w)| (2 + l, w));
    }
    None
}

/// Whether the comparison key `key` is that of the name `name`. Allocates
/// only where the platform folds names (the fold of `name` is computed).
fn is_key(platform: Platform, key: &[u8], name: &str) -> bool {
    platform.key(name.as_bytes()).as_ref() == key
}

/// Whether the directory `rest` (relative to a git dir) holds protected
/// entries: `modules/…` above a submodule's data, `worktrees`,
/// `worktrees/<id>`, `objects`, `objects/info`.
fn holds_protected_entries(platform: Platform, rest: &[Name]) -> bool {
    let first = &rest[0];
    if is_key(platform, first, "modules") {
        !rest[2.min(rest.len())..]
            .iter()
            .any(|c| GIT_DATA_DIRS.iter().any(|d| is_key(platform, c, d)))
    } else if is_key(platform, first, "worktrees") {
        rest.len() <= 2
    } else if is_key(platform, first, "objects") {
        rest.len() == 1 || (rest.len() == 2 && is_key(platform, &rest[1], "info"))
    } else {
        false
    }
}

/// The name a git rule is reported under: `.git/hooks`, `.git/config`, …
fn git_rule_name(entry: &str) -> &'static str {
    match entry {
        "config" => ".git/config",
        "config.worktree" => ".git/config.worktree",
        "commondir" => ".git/commondir",
        "gitdir" => ".git/gitdir",
        "hooks" => ".git/hooks",
        "info" => ".git/info",
        "branches" => ".git/branches",
        "remotes" => ".git/remotes",
        "objects/info/alternates" => ".git/objects/info/alternates",
        "objects/info/http-alternates" => ".git/objects/info/http-alternates",
        "rebase-merge" => ".git/rebase-merge",
        "rebase-apply" => ".git/rebase-apply",
        "sequencer" => ".git/sequencer",
        _ => ".git",
    }
}

/// Whether a git rule's name is that of a [`GIT_DIR_RUN_STATE`] entry.
fn is_run_state(rule: &str) -> bool {
    matches!(
        rule,
        ".git/rebase-merge" | ".git/rebase-apply" | ".git/sequencer"
    )
}

/// The refusal of a write to a file with `links` names (hard links).
pub(crate) fn linked_file_denial(op: FileOperation, text: &str, links: u64) -> Decision {
    Decision::deny(
        DecisionCode::ProtectedPath,
        format!(
            "{} {text}: the file has {links} names (hard links); a write changes it under every name, and the others are not known",
            op.as_str()
        ),
        Some("built-in: files with several hard links".into()),
    )
}

fn mode_name(m: FilesystemMode) -> &'static str {
    match m {
        FilesystemMode::Strict => "strict",
        FilesystemMode::Workspace => "workspace",
        FilesystemMode::Permissive => "permissive",
    }
}

/// Operations the safe devices allow (reading and writing, nothing else).
fn safe_device_op(op: FileOperation) -> bool {
    matches!(
        op,
        FileOperation::Read | FileOperation::Write | FileOperation::Create
    )
}

fn syntax_denial(op: FileOperation, role: Role, e: SyntaxError) -> Decision {
    Decision::deny(
        e.code,
        format!(
            "{} {}path refused: {}",
            op.as_str(),
            role.describe(),
            e.reason
        ),
        None,
    )
}

/// Whether text contains glob metacharacters.
/// Whether a policy path entry is a glob (`*`, `?`, `[` or `{` in it)
/// rather than a path. The enforcement helper asks the same question.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Glob candidates are matched as paths; on POSIX hosts the raw bytes.
fn glob_candidate(text: &[u8]) -> std::borrow::Cow<'_, Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(Path::new(std::ffi::OsStr::from_bytes(text)))
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(std::path::PathBuf::from(
            String::from_utf8_lossy(text).into_owned(),
        ))
    }
}

// The fixture trees of these tests are POSIX trees with symbolic links.
#[cfg(all(test, unix))]
mod tests;
