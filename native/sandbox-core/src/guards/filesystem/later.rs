//! Files other tools later run as code, wherever they lie: the hooks
//! directory `core.hooksPath` names (husky's `.husky` or `.husky/_`, a
//! project's `.githooks`), a Python's start-up files (`*.pth` in a site
//! directory, `sitecustomize`/`usercustomize` anywhere on its path, a
//! virtual environment's `bin/activate`), and tools' configuration and
//! start-up files that name code to run or where code comes from (pip's
//! `pip.conf` of a virtual environment or of the user, and the list
//! [`TOOL_CONFIGS`]: `.npmrc`, `.yarnrc.yml`, `.cargo/config.toml`,
//! `gradle.properties`, `.Rprofile`, …). A change to one runs its content
//! at the user's next ordinary command (`git commit`, `python3`, `npm
//! test`, `cargo build`) outside any sandbox, so it is a protected write,
//! like `.git/hooks`. `sandbox-exec` makes the hooks entries read-only and
//! sweeps Python's start-up files after a run (`git.rs`' `hooks_dirs`,
//! `pth.rs`); it does not use this list.

use std::path::{Component, Path, PathBuf};

/// Every hook git runs by name (githooks(5)).
pub const HOOK_NAMES: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
    "post-index-change",
];

/// Tools' configuration and start-up files that name code to run or where
/// code comes from, as the path's last components: one name is found
/// wherever it lies (each tool reads it from the working directory, the
/// project's directory or one above it, or the home), more than one only
/// in a directory of that name (`.cargo/config.toml`).
const TOOL_CONFIGS: &[(&str, &str)] = &[
    (".yarnrc", "Yarn 1 runs the program its yarn-path names"),
    (".yarnrc.yml", "yarn runs the program its yarnPath names"),
    (
        ".npmrc",
        "npm runs scripts with the script-shell and node-options it sets",
    ),
    (".pnpmfile.cjs", "pnpm runs it on every install"),
    (".pnpmfile.mjs", "pnpm runs it on every install"),
    ("bunfig.toml", "bun runs the scripts its preload names"),
    (".bunfig.toml", "bun runs the scripts its preload names"),
    (
        "uv.toml",
        "uv takes packages and their build code from the index it names",
    ),
    (
        ".cargo/config.toml",
        "cargo runs the runner and rustc-wrapper it names",
    ),
    (
        ".cargo/config",
        "cargo runs the runner and rustc-wrapper it names",
    ),
    (
        "rust-toolchain.toml",
        "rustup runs cargo and rustc from the toolchain path it names",
    ),
    (
        "rust-toolchain",
        "rustup runs cargo and rustc from the toolchain path it names",
    ),
    (
        ".mvn/jvm.config",
        "every Maven build's JVM takes its options (-javaagent)",
    ),
    (
        ".mvn/maven.config",
        "every Maven build takes its options (--settings, extensions)",
    ),
    (
        ".mvn/extensions.xml",
        "Maven loads the extensions it names into every build",
    ),
    (
        ".mvn/wrapper/maven-wrapper.properties",
        "./mvnw downloads and runs the Maven it names",
    ),
    (
        "gradle.properties",
        "the Gradle daemon's JVM takes its org.gradle.jvmargs",
    ),
    (
        "gradle/wrapper/gradle-wrapper.properties",
        "./gradlew downloads and runs the Gradle it names",
    ),
    ("gradle/wrapper/gradle-wrapper.jar", "./gradlew runs it"),
    (
        ".bazelrc",
        "bazel runs the workspace_status_command it names",
    ),
    (
        ".pre-commit-config.yaml",
        "the pre-commit git hook runs the commands it names",
    ),
    (".bundle/config", "Bundler evaluates the Gemfile it names"),
    (".pdm-python", "pdm runs the interpreter it names"),
    (
        "nuget.config",
        "NuGet takes packages and their build code from the feed it names",
    ),
    // MSBuild imports these from every directory above the project into
    // each `dotnet build`/`msbuild`; an `<Exec>` task runs a program.
    (
        "Directory.Build.props",
        "every MSBuild/dotnet build below it imports it (an <Exec> task runs a program)",
    ),
    (
        "Directory.Build.targets",
        "every MSBuild/dotnet build below it imports it (an <Exec> task runs a program)",
    ),
    (
        "Directory.Build.rsp",
        "every MSBuild/dotnet build below it takes its options (-logger loads an assembly)",
    ),
    // mise runs a trusted project's `[hooks]`, `_.source` scripts and
    // tasks when the user enters the directory or runs a task.
    (
        "mise.toml",
        "mise runs its hooks and the scripts its env sources",
    ),
    (
        ".mise.toml",
        "mise runs its hooks and the scripts its env sources",
    ),
    (
        ".config/mise.toml",
        "mise runs its hooks and the scripts its env sources",
    ),
    (".Rprofile", "R runs it at start in that directory"),
    (".irbrc", "irb runs it at start"),
    (".pryrc", "pry runs it at start"),
    (".pdbrc", "pdb runs its commands at start"),
    (".ghci", "ghci runs its commands at start in that directory"),
    (".octaverc", "Octave runs it at start in that directory"),
    (
        "pnpm-workspace.yaml",
        "pnpm runs scripts with the scriptShell, pnpmfile and nodeOptions it sets",
    ),
    (
        ".claude/settings.json",
        "Claude Code runs the hooks and apiKeyHelper it names when a session starts",
    ),
    (
        ".claude/settings.local.json",
        "Claude Code runs the hooks and apiKeyHelper it names when a session starts",
    ),
    (
        ".gemini/settings.json",
        "Gemini CLI runs the tool discovery command and hooks it names",
    ),
    (
        ".codex/config.toml",
        "Codex runs the notify program it names",
    ),
];

/// Python imports these modules at every start, from anywhere on its path.
const STARTUP_MODULES: &[&str] = &["sitecustomize", "usercustomize"];

/// How many configuration files one look follows (includes of includes).
const MAX_CONFIGS: usize = 32;

/// Why a change to `path` (physical, absolute) plants code a later
/// command runs, if it does. `home` is what `~` means.
///
/// Names are compared without case on every platform, as the command
/// validator compares `.git`: on a case-insensitive file system (the macOS
/// and Windows default) `.NPMRC` is `.npmrc`, and a policy may be enforced
/// there.
pub(crate) fn later_code(path: &Path, home: &Path) -> Option<String> {
    // Folded once: the checks below and the hooks directories compare it.
    let folded = fold(path);
    let name = folded.file_name()?.to_str().unwrap_or_default();
    let parent = path.parent()?;
    let parent_name = folded
        .parent()?
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if name.ends_with(".pth") && matches!(parent_name, "site-packages" | "dist-packages") {
        return Some("Python runs its import lines at every start".to_string());
    }
    if folded.components().any(|c| match c {
        Component::Normal(n) => n
            .to_str()
            .is_some_and(|n| STARTUP_MODULES.contains(&n.split('.').next().unwrap_or(n))),
        _ => false,
    }) {
        return Some("Python imports it at every start when it lies on its path".to_string());
    }
    if matches!(name, "pip.conf" | "pip.ini")
        && (matches!(parent_name, "pip" | ".pip") || parent.join("pyvenv.cfg").exists())
    {
        return Some("pip takes packages and their build code from the index it names".to_string());
    }
    // A virtual environment's activation scripts (`bin/activate`,
    // `activate.fish`, `Scripts/Activate.ps1`): the user's shell sources
    // them, so they are shell start-up files.
    if (name == "activate" || name.starts_with("activate."))
        && matches!(parent_name, "bin" | "scripts")
        && parent
            .parent()
            .is_some_and(|v| v.join("pyvenv.cfg").exists())
    {
        return Some("the user's shell sources it to enter the virtual environment".to_string());
    }
    if let Some(why) = python_runs_instead(&folded) {
        return Some(why.to_string());
    }
    if let Some(why) = vcs_config(&folded) {
        return Some(why);
    }
    if let Some((_, why)) = folded_tool_configs()
        .iter()
        .find(|(tail, _)| folded.ends_with(tail))
    {
        return Some(why.to_string());
    }
    hooks_path_entry(path, &folded, home)
}

/// [`TOOL_CONFIGS`] with each tail folded as [`fold`] folds a path, once
/// per process rather than on every write checked.
fn folded_tool_configs() -> &'static [(PathBuf, &'static str)] {
    static FOLDED: std::sync::LazyLock<Vec<(PathBuf, &'static str)>> =
        std::sync::LazyLock::new(|| {
            TOOL_CONFIGS
                .iter()
                .map(|(tail, why)| (fold(Path::new(tail)), *why))
                .collect()
        });
    &FOLDED
}

/// Names of bytecode files an interpreter loads: CPython's `.pyc`
/// (`importlib.machinery.BYTECODE_SUFFIXES`), and Python 2's `.pyo`.
pub const BYTECODE_SUFFIXES: &[&str] = &[".pyc", ".pyo"];

/// Directories below which extension modules are the ordinary outcome (by
/// name, at any depth): where pip, conda and `pip install --target` put
/// installed packages (`site-packages`, Debian's `dist-packages`), and the
/// build directories of setuptools (`build/lib.*/`), CMake, meson and
/// cargo (`target/`, where `maturin` and `pyo3` put `lib*.so`). The system
/// interpreter imports from none of them for a script that lives
/// elsewhere. A marker file (`pyvenv.cfg`) is not taken: a command could
/// write one beside the user's script.
pub const KEEP_EXT_DIRS: &[&str] = &["site-packages", "dist-packages", "build", "target"];

/// Modules that make the directory they are in a package, or run it:
/// `build/__init__.abi3.so` makes `build` the package a `python -m build`
/// in its parent imports, `build/__main__.so` what it runs. Never exempt
/// by [`KEEP_EXT_DIRS`]: that covers what lies below the directory, not
/// the directory as a module.
const PACKAGE_MODULES: &[&str] = &["__init__", "__main__"];

/// Whether an interpreter loads a file of this name as bytecode.
pub fn is_bytecode_name(name: &[u8]) -> bool {
    BYTECODE_SUFFIXES
        .iter()
        .any(|s| name.len() > s.len() && name.ends_with(s.as_bytes()))
}

/// Whether CPython's path finder (or PyPy's) loads a file of this name as
/// an extension module: `MODULE.so` or `MODULE.TAG.so`, where `MODULE` is
/// a Python identifier (ASCII here) and `TAG` one label with no dot. These
/// are the forms of every interpreter's
/// `importlib.machinery.EXTENSION_SUFFIXES` on Linux and macOS: `.so`,
/// `.abi3.so`, `.cpython-311-x86_64-linux-gnu.so`,
/// `.cpython-311-darwin.so`, `.pypy310-pp73-x86_64-linux-gnu.so`, and
/// Python 2's `module.so` (a `MODULEmodule.so` is a `.so` too). A shared
/// library's `libNAME.so` is one as well: Python loads it for
/// `import libNAME`, running its constructors before it looks for the
/// module's init function.
pub fn is_extension_name(name: &[u8]) -> bool {
    let Some(rest) = name.strip_suffix(b".so") else {
        return false;
    };
    let (module, tag) = match rest.iter().position(|&c| c == b'.') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let identifier = module
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80)
        && module
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80);
    identifier && tag.is_none_or(|t| !t.is_empty() && !t.contains(&b'.'))
}

/// Whether extension module `name` makes its directory a package, or runs it.
pub fn is_package_module(name: &[u8]) -> bool {
    PACKAGE_MODULES.iter().any(|m| {
        name.strip_prefix(m.as_bytes())
            .is_some_and(|r| r.first() == Some(&b'.'))
    })
}

/// Whether extension modules below a directory of this name are the
/// ordinary outcome ([`KEEP_EXT_DIRS`]).
pub fn keeps_ext(name: &[u8]) -> bool {
    KEEP_EXT_DIRS.iter().any(|b| name == b.as_bytes())
}

/// Why Python would run the file at `folded` in place of a source the user
/// reviews, if it would: bytecode (a `.pyc` in `__pycache__` that does not
/// check its source's hash, or a source-less `json.pyc` on the path, which
/// shadows the standard module).
/// `sandbox exec` removes what a run made by the same rule
/// (`bytecode.rs`).
fn python_runs_instead(folded: &Path) -> Option<&'static str> {
    let name = folded.file_name()?.as_encoded_bytes();
    if is_bytecode_name(name) {
        return Some("Python runs bytecode in place of the source it was compiled from");
    }
    // Extension modules (`json.abi3.so`, [`is_extension_name`]) are left
    // to `sandbox exec`'s sweep: compilers' and plugins' ordinary `.so`
    // files share their names.
    None
}

/// The metadata directories of version control systems other than git,
/// and in each the files (or directories) their tool reads as
/// configuration that runs programs or names another repository whose
/// configuration it reads:
/// - Mercurial: `.hg/hgrc` (`[hooks]`, `[extensions]`),
///   `.hg/hgrc-not-shared` (share-safe shares) and `.hg/sharedpath`
///   (`hg share`: the repository whose `hgrc` is read);
/// - Sapling: `.sl/config` (and the same as Mercurial's where it keeps
///   them);
/// - darcs: `_darcs/prefs/defaults` (`posthook`/`prehook` commands, any
///   default option) and `_darcs/prefs/prefs` (the `test` command `darcs
///   record` runs);
/// - Pijul: `.pijul/config` and the `.pijul/hooks` directory;
/// - Jujutsu: `.jj/repo/config.toml` and the workspace's
///   `.jj/workspace-config.toml` (`ui.pager`, `ui.editor`, `fix.tools`,
///   merge tools are commands).
pub const VCS_DIRS: &[(&str, &[&str])] = &[
    (".hg", &["hgrc", "hgrc-not-shared", "sharedpath"]),
    (".sl", &["config", "hgrc", "hgrc-not-shared", "sharedpath"]),
    ("_darcs", &["prefs/defaults", "prefs/prefs"]),
    (".pijul", &["config", "hooks"]),
    (".jj", &["repo/config.toml", "workspace-config.toml"]),
];

/// Why a change at `folded` changes what another VCS runs, if it does: it
/// is an entry of [`VCS_DIRS`] or lies below one, as `.git/config` and
/// `.git/hooks` are for git.
fn vcs_config(folded: &Path) -> Option<String> {
    let comps: Vec<&std::ffi::OsStr> = folded
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect();
    for (i, c) in comps.iter().enumerate() {
        let Some((dir, entries)) = VCS_DIRS.iter().find(|(d, _)| c == d) else {
            continue;
        };
        let below: PathBuf = comps[i + 1..].iter().collect();
        if entries.iter().any(|e| below.starts_with(e)) {
            return Some(format!(
                "{dir}/{} is configuration that runs programs at the next command of that version control system",
                below.display()
            ));
        }
    }
    None
}

/// The path with each component lower-cased (`str::to_lowercase`, the
/// fold the command validator uses for protected names).
fn fold(p: &Path) -> PathBuf {
    // An ASCII path (most are) folds in one pass: ASCII letters lower-case
    // alike either way, and a POSIX path's other components (`/`, `.`,
    // `..`) hold no letter.
    #[cfg(unix)]
    if let Some(s) = p.to_str().filter(|s| s.is_ascii()) {
        let lower = s.to_ascii_lowercase();
        let mut out = PathBuf::with_capacity(lower.len());
        out.extend(Path::new(&lower).components());
        return out;
    }
    p.components()
        .map(|c| match c {
            Component::Normal(n) => n.to_string_lossy().to_lowercase().into(),
            c => c.as_os_str().to_os_string(),
        })
        .collect()
}

/// Whether `path` is in a hooks directory `core.hooksPath` names for a
/// repository around it, or a hook by name one directory up from one
/// (husky 9: `.husky/_/NAME` runs `.husky/NAME`). Compared without case,
/// as [`later_code`].
fn hooks_path_entry(path: &Path, folded: &Path, home: &Path) -> Option<String> {
    let name = folded.file_name()?.to_str().unwrap_or_default();
    let parent = path.parent()?;
    let folded_parent = fold(parent);
    let hook_name = HOOK_NAMES.contains(&name);
    for top in parent.ancestors() {
        let dot_git = top.join(".git");
        let Ok(meta) = std::fs::metadata(&dot_git) else {
            continue;
        };
        let git_dir = if meta.is_dir() {
            dot_git
        } else {
            match gitdir_pointer(&dot_git, top) {
                Some(d) => d,
                None => continue,
            }
        };
        let mut files = vec![git_dir.join("config"), git_dir.join("config.worktree")];
        if let Some(common) = read_text(&git_dir.join("commondir")).map(|t| git_dir.join(t.trim()))
        {
            files.push(common.join("config"));
        }
        files.push(home.join(".gitconfig"));
        files.push(home.join(".config/git/config"));
        let folded_top = fold(top);
        for value in hooks_paths(files, home) {
            let dir = if let Some(rest) = value.strip_prefix("~/") {
                home.join(rest)
            } else {
                top.join(&value)
            };
            let dir = physical(&dir);
            let folded_dir = fold(&dir);
            if folded_top.starts_with(&folded_dir) {
                // A hooks directory holding the repository: its hooks by name.
                if hook_name && folded_parent == folded_dir {
                    return Some(format!("git runs hooks from {}", dir.display()));
                }
                continue;
            }
            if folded.starts_with(&folded_dir) {
                return Some(format!("git runs hooks from {}", dir.display()));
            }
            if hook_name
                && folded_dir.parent() == Some(folded_parent.as_path())
                && folded_parent.starts_with(&folded_top)
            {
                return Some(format!(
                    "git runs hooks from {}, whose hooks run it by their names",
                    dir.display()
                ));
            }
        }
    }
    None
}

/// The git dir a `.git` file names (`gitdir: PATH`, relative to `top`).
fn gitdir_pointer(dot_git: &Path, top: &Path) -> Option<PathBuf> {
    let text = read_text(dot_git)?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    Some(physical(&top.join(target)))
}

/// The path with `.` and `..` taken lexically and the existing part's
/// links resolved: how the guard names a target.
fn physical(p: &Path) -> PathBuf {
    let mut lexical = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut rest = Vec::new();
    let mut at = lexical.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            let mut out = real;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (at.parent(), at.file_name()) {
            (Some(up), Some(n)) => {
                rest.push(n.to_os_string());
                at = up;
            }
            _ => return lexical,
        }
    }
}

/// How many files [`read_cached`] keeps, and the largest it keeps.
const CACHED_FILES: usize = 64;
const CACHED_BYTES: u64 = 64 * 1024;

/// A file's identity: a change to its content changes one of these. Its
/// status-change time moves on every write, rename or link; a file changed
/// within [`RACY`] of being read may change again within the same clock
/// tick of the file system, so it is not kept (git's "racily clean" rule).
#[cfg(unix)]
#[derive(Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

#[cfg(unix)]
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

#[cfg(unix)]
fn identity(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    if !m.is_file() || m.len() > CACHED_BYTES {
        return None;
    }
    let id = FileIdentity {
        dev: m.dev(),
        ino: m.ino(),
        len: m.len(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let settled = |(s, _): (i64, i64)| {
        u64::try_from(s).is_ok_and(|s| s.saturating_add(RACY.as_secs()) < now.as_secs())
    };
    (settled(id.mtime) && settled(id.ctime)).then_some(id)
}

/// The contents of a configuration file (a git config, a `.git` file,
/// `commondir`), read again only when its identity changed: every write
/// checked looks at the same few files. Files changed a moment ago, large
/// files and other platforms are read each time.
fn read_cached(path: &Path) -> Option<std::sync::Arc<[u8]>> {
    #[cfg(unix)]
    {
        type Cache = std::collections::HashMap<PathBuf, (FileIdentity, std::sync::Arc<[u8]>)>;
        static CACHE: std::sync::LazyLock<std::sync::Mutex<Cache>> =
            std::sync::LazyLock::new(Default::default);
        let before = identity(path);
        if let Some(id) = before {
            let cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((known, text)) = cache.get(path) {
                if *known == id {
                    return Some(text.clone());
                }
            }
        }
        let text: std::sync::Arc<[u8]> = read_file(path)?.into();
        // Kept only when the file did not change while it was read.
        if let Some(id) = before.filter(|id| identity(path) == Some(*id)) {
            let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
            if cache.len() >= CACHED_FILES && !cache.contains_key(path) {
                cache.clear();
            }
            cache.insert(path.to_path_buf(), (id, text.clone()));
        }
        Some(text)
    }
    #[cfg(not(unix))]
    {
        read_file(path).map(Into::into)
    }
}

fn read_file(path: &Path) -> Option<Vec<u8>> {
    let text = std::fs::read(path).ok();
    #[cfg(test)]
    if text.is_some() {
        tests::READS.with(|r| r.set(r.get() + 1));
    }
    text
}

/// [`read_cached`] as UTF-8 text.
fn read_text(path: &Path) -> Option<String> {
    String::from_utf8(read_cached(path)?.to_vec()).ok()
}

/// Every `core.hooksPath` value of these configuration files and of the
/// files their `include.path` and `includeIf.*.path` entries name (every
/// condition taken as met: a hooks directory any of them names is
/// protected).
fn hooks_paths(mut files: Vec<PathBuf>, home: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut read = 0;
    while let Some(file) = files.pop() {
        read += 1;
        if read > MAX_CONFIGS {
            break;
        }
        let Some(text) = read_cached(&file) else {
            continue;
        };
        for (key, value) in crate::gitconfig::parse(&text) {
            // A key without `=` is a boolean: no path.
            let Some(value) = value else { continue };
            if key == "core.hookspath" {
                out.push(value);
            } else if key.starts_with("include") && key.ends_with(".path") {
                let p = if let Some(rest) = value.strip_prefix("~/") {
                    home.join(rest)
                } else {
                    file.parent()
                        .map_or_else(|| PathBuf::from(&value), |d| d.join(&value))
                };
                files.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Files this thread read from disk (not from the cache).
        pub(super) static READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn configuration_values_are_read_as_git_reads_them() {
        let e = crate::gitconfig::parse(
            b"[core]\n\thooksPath = .githooks   ; comment\n[include]\npath = \"x y.inc\"\n[includeIf \"gitdir:~/w/\"]\n\tpath = ~/w.inc\n",
        );
        assert_eq!(
            e,
            vec![
                ("core.hookspath".to_string(), Some(".githooks".to_string())),
                ("include.path".to_string(), Some("x y.inc".to_string())),
                (
                    "includeif.gitdir:~/w/.path".to_string(),
                    Some("~/w.inc".to_string())
                ),
            ]
        );
    }

    /// The hooks directory is found wherever git finds it: a second
    /// section header on the line of the first is one git reads.
    #[test]
    fn a_hooks_directory_is_found_as_git_reads_the_configuration() {
        let t = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(t.path()).unwrap();
        let home = top.join("home");
        std::fs::create_dir_all(top.join("ws/.git")).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(top.join("ws/.git/config"), "[a] [core] hooksPath = hk\n").unwrap();
        let why = later_code(&top.join("ws/hk/pre-commit"), &home);
        assert!(why.is_some_and(|w| w.contains("hooks")));
        assert_eq!(later_code(&top.join("ws/src/main.c"), &home), None);
    }

    /// A configuration file is read once while it stays the same file with
    /// the same content, and again as soon as it changes (here to a value
    /// of the same length, within the same second as the read before).
    #[cfg(unix)]
    #[test]
    fn a_configuration_is_read_again_only_when_it_changes() {
        let t = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(t.path()).unwrap();
        let home = top.join("home");
        std::fs::create_dir_all(top.join("ws/.git")).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let config = top.join("ws/.git/config");
        std::fs::write(&config, "[core]\n\thooksPath = hk\n").unwrap();
        let hook = top.join("ws/hk/pre-commit");
        let other = top.join("ws/hj/pre-commit");
        // Just written: read on every look.
        let reads = || READS.with(|r| r.get());
        let r0 = reads();
        assert!(later_code(&hook, &home).is_some());
        assert!(later_code(&hook, &home).is_some());
        assert_eq!(reads() - r0, 2);
        // Settled: read once more, then kept.
        std::thread::sleep(RACY + std::time::Duration::from_millis(1100));
        assert!(later_code(&hook, &home).is_some());
        let r1 = reads();
        assert!(later_code(&hook, &home).is_some());
        assert_eq!(later_code(&other, &home), None);
        assert_eq!(reads(), r1);
        // Changed in place, same length: read again.
        std::fs::write(&config, "[core]\n\thooksPath = hj\n").unwrap();
        assert_eq!(later_code(&hook, &home), None);
        assert!(later_code(&other, &home).is_some());
        assert!(reads() > r1);
        // Replaced by another file (a rename over it): read again.
        std::thread::sleep(RACY + std::time::Duration::from_millis(1100));
        assert!(later_code(&other, &home).is_some());
        let staged = top.join("ws/.git/config.new");
        std::fs::write(&staged, "[core]\n\thooksPath = hk\n").unwrap();
        std::fs::rename(&staged, &config).unwrap();
        assert!(later_code(&hook, &home).is_some());
        assert_eq!(later_code(&other, &home), None);
    }
}
