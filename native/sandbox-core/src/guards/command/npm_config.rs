//! The configuration files npm, pnpm and yarn read beside their options
//! (docs/commands.md, "npm, pnpm, yarn"): `.npmrc` of the working
//! directory and of every directory above it (the project's, wherever npm
//! finds its root), the user's `~/.npmrc`, the global `PREFIX/etc/npmrc`,
//! the files `userconfig`/`globalconfig`/`prefix` name, and yarn's
//! `.yarnrc.yml`/`.yarnrc`. A key there can make the tool run a program
//! (`script-shell`, `shell`, `git`, `node-options`, `onload-script`,
//! `init-module`, `yarnPath`), read code from elsewhere or write elsewhere
//! (`cache`, `store-dir`, `prefix`). The model is inverted, as for the
//! options: a key known to be inert is modelled, one naming a directory
//! written or a file read is judged as a write or a read (in a file the
//! agent could write; in the user's or the system's own files that is
//! where the tool works by their choice), one
//! naming another configuration file is followed, a yarn release or plugin
//! is judged as code the tool runs; any other key is not modelled. A file
//! written earlier in the same command holds content the analysis never
//! saw. `ignore-scripts=true` in the project's `.npmrc` turns the lifecycle
//! scripts of installed packages off, as `--ignore-scripts` does.

use super::normalize::{clip, Arg};
use super::walk::{Analyzer, Cwd};
use crate::decision::DecisionCode;
use crate::guards::filesystem::{FileOperation, FileRequest};
use std::path::{Path, PathBuf};

/// Keys of npm, pnpm and yarn 1 known to change neither what runs, where
/// code is read from, nor where files are written.
const INERT: &[&str] = &[
    "access",
    "always-auth",
    "audit",
    "audit-level",
    "auth-type",
    "auto-install-peers",
    "before",
    "bin-links",
    "ca",
    "cert",
    "child-concurrency",
    "color",
    "commit-hooks",
    "dedupe-direct-deps",
    "dedupe-peer-dependents",
    "email",
    "enable-pre-post-scripts",
    "engine-strict",
    "fetch-retries",
    "fetch-retry-factor",
    "fetch-retry-maxtimeout",
    "fetch-retry-mintimeout",
    "fetch-timeout",
    "foreground-scripts",
    "frozen-lockfile",
    "fund",
    "git-checks",
    "git-tag-version",
    "heading",
    "hoist",
    "hoist-pattern",
    "ignore-scripts",
    "include",
    "init-author-email",
    "init-author-name",
    "init-author-url",
    "init-license",
    "init-version",
    "install-links",
    "install-strategy",
    "json",
    "key",
    "legacy-peer-deps",
    "link-workspace-packages",
    "lockfile",
    "lockfile-version",
    "loglevel",
    "logs-max",
    "maxsockets",
    "message",
    "network-concurrency",
    "node-linker",
    "noproxy",
    "offline",
    "omit",
    "package-import-method",
    "package-lock",
    "package-lock-only",
    "prefer-dedupe",
    "prefer-frozen-lockfile",
    "prefer-offline",
    "prefer-online",
    "prefer-workspace-packages",
    "preid",
    "progress",
    "provenance",
    "public-hoist-pattern",
    "recursive-install",
    "resolution-mode",
    "save",
    "save-exact",
    "save-prefix",
    "save-workspace-protocol",
    "shamefully-hoist",
    "shared-workspace-lockfile",
    "side-effects-cache",
    "sign-git-commit",
    "sign-git-tag",
    "strict-peer-dependencies",
    "strict-peer-deps",
    "strict-ssl",
    "tag",
    "tag-version-prefix",
    "timing",
    "unicode",
    "update-notifier",
    "verify-store-integrity",
    "workspaces-update",
    "_auth",
    "_authToken",
    "_password",
    "username",
];

/// Keys naming a directory the tool writes (its cache, logs, stores).
const WRITTEN_DIRS: &[&str] = &[
    "cache",
    "cache-dir",
    "logs-dir",
    "tmp",
    "store-dir",
    "virtual-store-dir",
    "modules-dir",
    "state-dir",
    "global-dir",
    "global-bin-dir",
];

/// Keys naming a file the tool reads (certificates).
const READ_FILES: &[&str] = &["cafile", "certfile", "keyfile"];

/// Top-level keys of `pnpm-workspace.yaml` known to change neither what
/// runs, where code is read from, nor where files are written: the
/// workspace's packages, version catalogs, dependency rules.
const PNPM_WORKSPACE_INERT: &[&str] = &[
    "packages",
    "catalog",
    "catalogs",
    "catalogMode",
    "onlyBuiltDependencies",
    "neverBuiltDependencies",
    "ignoredBuiltDependencies",
    "overrides",
    "peerDependencyRules",
    "allowedDeprecatedVersions",
    "supportedArchitectures",
    "autoInstallPeers",
    "dedupePeerDependents",
    "strictPeerDependencies",
    "linkWorkspacePackages",
    "preferWorkspacePackages",
    "injectWorkspacePackages",
    "saveWorkspaceProtocol",
    "sharedWorkspaceLockfile",
    "savePrefix",
    "saveExact",
    "engineStrict",
    "shamefullyHoist",
    "hoist",
    "hoistPattern",
    "publicHoistPattern",
    "nodeLinker",
    "resolutionMode",
    "minimumReleaseAge",
    "minimumReleaseAgeExclude",
    "ignoreScripts",
    "enablePrePostScripts",
];

/// The global configuration files of the usual Node.js installations
/// (`PREFIX/etc/npmrc`).
const GLOBAL: &[&str] = &[
    "/etc/npmrc",
    "/usr/etc/npmrc",
    "/usr/local/etc/npmrc",
    "/opt/homebrew/etc/npmrc",
];

/// How many configuration files one check follows.
const MAX_FILES: usize = 32;

/// The `KEY = VALUE` lines of an ini file (sections and comments left
/// out, `KEY[]` read as `KEY`, quotes around the value removed).
fn ini_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with([';', '#', '[']) {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or((line, "true"));
        let k = k.trim();
        let k = k.strip_suffix("[]").unwrap_or(k);
        let v = v.trim();
        let v = ["\"", "'"]
            .iter()
            .find_map(|q| v.strip_prefix(q).and_then(|x| x.strip_suffix(q)))
            .unwrap_or(v);
        out.push((k.to_string(), v.to_string()));
    }
    out
}

/// What a key of `.npmrc` is.
enum Key<'a> {
    Inert,
    /// A registry URL: only a network one is modelled.
    Registry,
    /// A proxy (`proxy`, `https-proxy`, `http-proxy`): where every
    /// request goes.
    Proxy,
    Dir,
    Read,
    /// Another configuration file (`userconfig`, `globalconfig`).
    Config,
    /// `prefix`: the global configuration is read below it.
    Prefix,
    Unknown(&'a str),
}

fn key_kind(key: &str) -> Key<'_> {
    // `//registry.example/:_authToken`: per-registry credentials.
    let (scoped, name) = match key.strip_prefix("//") {
        Some(rest) => (true, rest.rsplit(':').next().unwrap_or(rest)),
        None => (false, key),
    };
    if name == "registry" || (name.ends_with(":registry") && name.starts_with('@')) {
        return Key::Registry;
    }
    if READ_FILES.contains(&name) {
        return Key::Read;
    }
    if !scoped && matches!(name, "proxy" | "https-proxy" | "http-proxy") {
        return Key::Proxy;
    }
    if scoped {
        return if INERT.contains(&name) {
            Key::Inert
        } else {
            Key::Unknown(key)
        };
    }
    if INERT.contains(&name) {
        Key::Inert
    } else if WRITTEN_DIRS.contains(&name) {
        Key::Dir
    } else if matches!(name, "userconfig" | "globalconfig") {
        Key::Config
    } else if name == "prefix" {
        Key::Prefix
    } else {
        Key::Unknown(key)
    }
}

/// The last value of `ignore-scripts` in the file, read as npm does.
fn sets_ignore_scripts(text: &str) -> bool {
    ini_pairs(text)
        .iter()
        .rev()
        .find(|(k, _)| k == "ignore-scripts")
        .is_some_and(|(_, v)| v == "true")
}

/// Subcommands of npm, pnpm and yarn that work on the project alone
/// and fetch no package.
const LOCAL_SUBCOMMANDS: &[&str] = &[
    "run",
    "run-script",
    "rum",
    "urn",
    "test",
    "tst",
    "t",
    "start",
    "stop",
    "restart",
    "ls",
    "list",
    "la",
    "ll",
    "config",
    "c",
    "get",
    "set",
    "prefix",
    "root",
    "bin",
    "help",
    "version",
    "-v",
    "--version",
    "-h",
    "--help",
    "pack",
    "explain",
    "why",
    "rebuild",
    "rb",
    "link",
    "ln",
    "fund",
    "cache",
];

/// Whether a run of npm, pnpm or yarn may fetch packages: anything but a
/// subcommand known to stay in the project, given first (`npm` alone
/// prints its help; `yarn` alone installs).
fn fetches_packages(argv: &[Arg]) -> bool {
    match argv.get(1).map(|a| a.lit()) {
        None => argv[0]
            .lit()
            .is_some_and(|p| p.ends_with("yarn") || p.ends_with("yarnpkg")),
        Some(Some(v)) => !LOCAL_SUBCOMMANDS.contains(&v),
        Some(None) => true,
    }
}

/// The directory and its parents, nearest first.
fn ancestors(dir: &Path) -> Vec<PathBuf> {
    dir.ancestors().map(Path::to_path_buf).collect()
}

impl Analyzer<'_> {
    /// The host directory the command runs in, when known.
    pub(crate) fn host_cwd(&self) -> Option<PathBuf> {
        match &self.cwd {
            Cwd::Workspace => self.fs.host_path_of("."),
            Cwd::Dir(d) => self.fs.host_path_of(d),
            Cwd::Unknown => None,
        }
    }

    /// Whether the command wrote the host file `path` earlier.
    pub(crate) fn host_written(&self, path: &Path) -> bool {
        let before = self.written.len().min(self.written_before);
        self.written[..before]
            .iter()
            .any(|(w, _)| self.fs.host_path_of(w).is_some_and(|h| h == path))
    }

    /// Whether the agent could write the host file `path` (a file of the
    /// workspace, not the user's own configuration). The protection of
    /// files later commands run as code (`.npmrc` is one) does not count:
    /// a project's `.npmrc` is the project's, whoever wrote it.
    fn agent_writable(&self, path: &Path) -> bool {
        let Some(p) = path.to_str() else {
            return false;
        };
        let d = self.fs_check(&FileRequest::new(p, FileOperation::Write));
        if d.rule.as_deref() != Some(crate::guards::filesystem::LATER_CODE_RULE) {
            return d.is_allowed();
        }
        // Whether the rest of the policy lets the agent make entries in its
        // directory (making a directory plants no code, so that rule does
        // not apply to it).
        path.parent().and_then(Path::to_str).is_some_and(|dir| {
            self.fs_check(&FileRequest::new(dir, FileOperation::CreateDir))
                .is_allowed()
        })
    }

    fn config_finding(&mut self, argv: &[Arg], base: &str, why: String) {
        self.unmodelled(
            DecisionCode::UnmodelledProgram,
            format!("{base}: {why}"),
            argv[0].span,
            argv,
        );
    }

    /// Judge the configuration files a run of npm, pnpm or yarn reads.
    pub(crate) fn check_node_pm_config(&mut self, argv: &[Arg], base: &str) {
        let Some(cwd) = self.host_cwd() else {
            self.config_finding(
                argv,
                base,
                "the working directory is computed at run time, so the project's configuration files (.npmrc, .yarnrc.yml) are not known".to_string(),
            );
            return;
        };
        let home = self.fs.host_path_of("~");
        let dirs = ancestors(&cwd);
        let mut files: Vec<PathBuf> = dirs.iter().map(|d| d.join(".npmrc")).collect();
        if let Some(h) = &home {
            files.push(h.join(".npmrc"));
        }
        files.extend(GLOBAL.iter().map(PathBuf::from));
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut registries = Vec::new();
        while let Some(f) = files.first().cloned() {
            files.remove(0);
            if seen.contains(&f) || seen.len() >= MAX_FILES {
                continue;
            }
            seen.push(f.clone());
            let more = self.check_npmrc(&f, &cwd, argv, base, &mut registries);
            files.extend(more);
        }
        self.check_registries(argv, base, &registries);
        for d in &dirs {
            self.check_yarnrc_yml(&d.join(".yarnrc.yml"), argv, base);
            self.check_yarnrc(&d.join(".yarnrc"), argv, base);
        }
        if let Some(h) = &home {
            self.check_yarnrc_yml(&h.join(".yarnrc.yml"), argv, base);
            self.check_yarnrc(&h.join(".yarnrc"), argv, base);
        }
        // pnpm's workspace root: the nearest directory up with the file.
        if matches!(super::programs::canonical(base).as_str(), "pnpm" | "pnpx") {
            if let Some(f) = dirs
                .iter()
                .map(|d| d.join("pnpm-workspace.yaml"))
                .find(|f| f.exists())
            {
                self.check_pnpm_workspace(&f, argv, base);
            }
        }
    }

    /// `pnpm-workspace.yaml`: pnpm takes its settings from the top-level
    /// keys, as npm takes them from `.npmrc`. Only keys known to be inert
    /// are modelled; any other (`scriptShell`, `shellEmulator`,
    /// `nodeOptions`, `pnpmfile`, `storeDir`, …) may make pnpm run another
    /// program, load code or write elsewhere.
    fn check_pnpm_workspace(&mut self, path: &Path, argv: &[Arg], base: &str) {
        let Some(text) = self.config_text(path, argv, base) else {
            return;
        };
        let shown = path.to_string_lossy().to_string();
        for line in text.lines() {
            if line.starts_with([' ', '\t', '-', '#']) || line.trim().is_empty() {
                continue;
            }
            if line.trim_end() == "---" {
                continue;
            }
            let key = line
                .split_once(':')
                .map(|(k, _)| k.trim().trim_matches(['"', '\'']));
            if key.is_some_and(|k| PNPM_WORKSPACE_INERT.contains(&k)) {
                continue;
            }
            self.config_finding(
                argv,
                base,
                format!(
                    "{} sets {}: only the settings known to be inert are modelled; this one may make pnpm run another program (a script shell), load code or write elsewhere",
                    clip(&shown),
                    clip(key.unwrap_or(line))
                ),
            );
            return;
        }
    }

    /// The registries a run that fetches packages connects to, judged by
    /// the network policy: those the configuration files set (`registry`,
    /// and `@scope:registry` for a package of the scope the command
    /// names). The built-in default is not judged (see
    /// docs/commands.md, "Network destinations").
    fn check_registries(
        &mut self,
        argv: &[Arg],
        base: &str,
        registries: &[(String, String, String)],
    ) {
        if self.net.is_none() || !fetches_packages(argv) {
            return;
        }
        for (key, url, file) in registries {
            // A scope's registry serves the packages of that scope: judged
            // when the command names one (the project's own dependencies
            // are not read).
            if let Some(scope) = key.strip_suffix(":registry").filter(|k| k.starts_with('@')) {
                let prefix = format!("{scope}/");
                if !argv[1..]
                    .iter()
                    .any(|a| a.lit().is_none_or(|v| v.starts_with(&prefix)))
                    && !self.project_names_scope(&prefix)
                {
                    continue;
                }
            }
            let via = format!("{base} ({key} in {})", clip(file));
            // A proxy without a scheme is an http one.
            let plain = if key.ends_with("proxy") {
                super::net_destinations::Plain::Curl("http")
            } else {
                super::net_destinations::Plain::Scp
            };
            self.check_destination_text(url, &argv[0], plain, argv, &via);
        }
    }

    /// Whether the project of the working directory depends on a package
    /// of the scope `prefix` (`@corp/`): its manifest or a lockfile names
    /// one (a lockfile holds the dependencies of dependencies too). A file
    /// that cannot be read, or that the command wrote, may.
    fn project_names_scope(&self, prefix: &str) -> bool {
        let Some(cwd) = self.host_cwd() else {
            return true;
        };
        [
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            "pnpm-lock.yaml",
            "yarn.lock",
        ]
        .iter()
        .any(|f| match self.read_tool_config(&cwd.join(f)) {
            Ok(Some(t)) => String::from_utf8_lossy(&t).contains(prefix),
            Ok(None) => false,
            Err(_) => true,
        })
    }

    /// The content of a configuration file, `None` when there is none;
    /// one the command wrote earlier is not modelled.
    fn config_text(&mut self, path: &Path, argv: &[Arg], base: &str) -> Option<String> {
        if self.host_written(path) {
            self.config_finding(
                argv,
                base,
                format!(
                    "reads its configuration from {}, which was written earlier in the same command: its content is not analysed",
                    clip(&path.to_string_lossy())
                ),
            );
            return None;
        }
        std::fs::read_to_string(path).ok()
    }

    /// One `.npmrc`: the configuration files it names in turn.
    fn check_npmrc(
        &mut self,
        path: &Path,
        cwd: &Path,
        argv: &[Arg],
        base: &str,
        registries: &mut Vec<(String, String, String)>,
    ) -> Vec<PathBuf> {
        let Some(text) = self.config_text(path, argv, base) else {
            return Vec::new();
        };
        let writable = self.agent_writable(path);
        let shown = path.to_string_lossy().to_string();
        let mut next = Vec::new();
        for (key, value) in ini_pairs(&text) {
            let kind = key_kind(&key);
            if matches!(kind, Key::Inert) {
                continue;
            }
            if let Key::Unknown(k) = kind {
                self.config_finding(
                    argv,
                    base,
                    format!(
                        "{} sets {}: only configuration keys known to be inert are modelled; this one may make the tool run a program, load code or write elsewhere",
                        clip(&shown),
                        clip(k)
                    ),
                );
                return next;
            }
            if let Key::Proxy = kind {
                // `false` or empty: no proxy.
                if !value.is_empty() && value != "false" && value != "null" {
                    registries.push((key.clone(), value.clone(), shown.clone()));
                }
                continue;
            }
            if let Key::Registry = kind {
                let v = value.to_ascii_lowercase();
                if v.starts_with("https://") || v.starts_with("http://") {
                    registries.push((key.clone(), value.clone(), shown.clone()));
                    continue;
                }
                self.config_finding(
                    argv,
                    base,
                    format!(
                        "{} sets {key}={}: a registry that is not a network URL is a directory whose packages' scripts run",
                        clip(&shown),
                        clip(&value)
                    ),
                );
                return next;
            }
            // A path: from the working directory, or the home.
            if value.contains('$') || value.is_empty() {
                self.config_finding(
                    argv,
                    base,
                    format!(
                        "{} sets {key}={}: a path computed when the tool runs is not modelled",
                        clip(&shown),
                        clip(&value)
                    ),
                );
                return next;
            }
            let target = match value.strip_prefix("~/") {
                Some(rest) => match self.fs.host_path_of("~") {
                    Some(h) => h.join(rest),
                    None => continue,
                },
                None => cwd.join(&value),
            };
            let t = Arg::literal(&target.to_string_lossy(), argv[0].span);
            let via = format!("{base} ({key} in {})", clip(&shown));
            match kind {
                Key::Dir if writable => self.check_file(&t, FileOperation::Write, argv, &via),
                Key::Dir => {}
                Key::Read if writable => self.check_file(&t, FileOperation::Read, argv, &via),
                Key::Read => {}
                Key::Config => {
                    self.check_file(&t, FileOperation::Read, argv, &via);
                    next.push(target);
                }
                // The global configuration and packages are read below it.
                Key::Prefix => {
                    if writable {
                        self.check_file(&t, FileOperation::Read, argv, &via);
                    }
                    next.push(target.join("etc/npmrc"));
                }
                Key::Inert | Key::Registry | Key::Proxy | Key::Unknown(_) => {}
            }
        }
        next
    }

    /// `.yarnrc.yml` (yarn 2 and later, and yarn 1 for `yarnPath`): the
    /// release it names is run in place of yarn, its plugins are loaded;
    /// both are judged as code the tool runs.
    fn check_yarnrc_yml(&mut self, path: &Path, argv: &[Arg], base: &str) {
        let Some(text) = self.config_text(path, argv, base) else {
            return;
        };
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let shown = path.to_string_lossy().to_string();
        let mut in_plugins = false;
        for line in text.lines() {
            let top = !line.starts_with([' ', '\t', '-']);
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if top {
                in_plugins = t.starts_with("plugins:");
                let Some((key, value)) = t.split_once(':') else {
                    continue;
                };
                let key = key.trim().trim_matches(['"', '\'']);
                // Where yarn fetches packages, and through which proxy.
                if matches!(key, "npmRegistryServer" | "httpProxy" | "httpsProxy")
                    && self.net.is_some()
                    && fetches_packages(argv)
                {
                    let value = value.trim().trim_matches(['"', '\'']);
                    let via = format!("{base} ({key} in {})", clip(&shown));
                    if value.contains('$') {
                        self.destination_unknown(
                            &argv[0],
                            argv,
                            format!("{via}: {} is expanded from the environment when yarn runs, so where it connects is not known", clip(value)),
                        );
                    } else if !value.is_empty() && value != "null" {
                        let plain = if key == "npmRegistryServer" {
                            super::net_destinations::Plain::Scp
                        } else {
                            super::net_destinations::Plain::Curl("http")
                        };
                        self.check_destination_text(value, &argv[0], plain, argv, &via);
                    }
                }
                if matches!(key, "yarnPath" | "injectEnvironmentFiles") {
                    let value = value.trim().trim_matches(['"', '\'']);
                    if key == "yarnPath" {
                        self.yarn_code(&dir, value, argv, base, &shown);
                    } else if value != "[]" {
                        self.config_finding(
                            argv,
                            base,
                            format!(
                                "{} sets {key}: the environment files it loads may set NODE_OPTIONS and what the tool runs",
                                clip(&shown)
                            ),
                        );
                    }
                }
                let inline = t.trim_start_matches("plugins:").trim();
                if in_plugins && !inline.is_empty() && inline != "[]" {
                    // An inline list: not read.
                    self.config_finding(
                        argv,
                        base,
                        format!(
                            "{}: the plugins yarn loads are not modelled in this form",
                            clip(&shown)
                        ),
                    );
                }
                continue;
            }
            if !in_plugins {
                continue;
            }
            // `- path: .yarn/plugins/x.cjs`, `- .yarn/plugins/x.cjs`, and
            // `spec:` entries (fetched from a URL when missing).
            let item = t.trim_start_matches('-').trim();
            let (k, v) = item.split_once(':').unwrap_or(("path", item));
            let v = v.trim().trim_matches(['"', '\'']);
            match k.trim() {
                "path" => self.yarn_code(&dir, v, argv, base, &shown),
                "spec" | "checksum" => {}
                other => {
                    self.config_finding(
                        argv,
                        base,
                        format!(
                            "{}: the plugin entry {} is not modelled",
                            clip(&shown),
                            clip(other)
                        ),
                    );
                }
            }
        }
    }

    /// yarn 1's `.yarnrc`: `yarn-path` is run in place of yarn, and a line
    /// of options (`--modules-folder x`) is added to every command line.
    fn check_yarnrc(&mut self, path: &Path, argv: &[Arg], base: &str) {
        let Some(text) = self.config_text(path, argv, base) else {
            return;
        };
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let shown = path.to_string_lossy().to_string();
        for line in text.lines() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let (key, value) = t.split_once([' ', '\t']).unwrap_or((t, ""));
            let key = key.trim_matches('"');
            let value = value.trim().trim_matches('"');
            if key == "yarn-path" {
                self.yarn_code(&dir, value, argv, base, &shown);
            } else if key.starts_with("--") {
                self.config_finding(
                    argv,
                    base,
                    format!(
                        "{} adds the option {} to every yarn command line; only the options known to be inert are modelled",
                        clip(&shown),
                        clip(key)
                    ),
                );
            }
        }
    }

    /// A file of code a yarn configuration names, relative to the
    /// configuration's directory: judged like `node FILE`.
    fn yarn_code(&mut self, dir: &Path, value: &str, argv: &[Arg], base: &str, shown: &str) {
        if value.is_empty() || value.contains('$') || value.contains("://") {
            self.config_finding(
                argv,
                base,
                format!(
                    "{} names the code yarn runs as {}, which is not modelled",
                    clip(shown),
                    clip(value)
                ),
            );
            return;
        }
        let target = dir.join(value);
        if self.host_written(&target) {
            self.config_finding(
                argv,
                base,
                format!(
                    "{} makes yarn run {}, which was written earlier in the same command: its content is not analysed",
                    clip(shown),
                    clip(value)
                ),
            );
            return;
        }
        let t = Arg::literal(&target.to_string_lossy(), argv[0].span);
        let from = self.written.len();
        self.check_file(
            &t,
            FileOperation::Write,
            argv,
            &format!("{base} (code named in {})", clip(shown)),
        );
        // Judged as a write, not written.
        self.unseeded_writes.extend(from..self.written.len());
    }

    /// Whether npm's project configuration turns lifecycle scripts off:
    /// the `.npmrc` of every directory npm may take as the project's root
    /// (the nearest one above the working directory with a `package.json`
    /// or `node_modules`, and a workspace root above it) sets
    /// `ignore-scripts=true` and was not written by the command. The
    /// project's configuration comes before the user's and the global one.
    pub(crate) fn npm_config_ignores_scripts(&self) -> bool {
        let Some(cwd) = self.host_cwd() else {
            return false;
        };
        let dirs = ancestors(&cwd);
        let is_root = |d: &Path| d.join("package.json").exists() || d.join("node_modules").exists();
        let nearest = dirs.iter().position(|d| is_root(d));
        let mut roots: Vec<&PathBuf> = Vec::new();
        match nearest {
            Some(k) => {
                roots.push(&dirs[k]);
                roots.extend(
                    dirs[k + 1..]
                        .iter()
                        .filter(|d| d.join("package.json").exists()),
                );
            }
            None => roots.push(&dirs[0]),
        }
        roots.iter().all(|d| {
            let f = d.join(".npmrc");
            !self.host_written(&f)
                && std::fs::read_to_string(&f).is_ok_and(|t| sets_ignore_scripts(&t))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_lines_and_keys() {
        let pairs = ini_pairs("; c\n# c\n[s]\na = 1\nb[]=\"x\"\nflag\n");
        assert_eq!(
            pairs,
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "x".to_string()),
                ("flag".to_string(), "true".to_string()),
            ]
        );
        assert!(matches!(key_kind("//r.example/:_authToken"), Key::Inert));
        assert!(matches!(key_kind("//r.example/:certfile"), Key::Read));
        assert!(matches!(key_kind("@s:registry"), Key::Registry));
        assert!(matches!(key_kind("script-shell"), Key::Unknown(_)));
        assert!(matches!(key_kind("userconfig"), Key::Config));
        assert!(sets_ignore_scripts("ignore-scripts=true\n"));
        assert!(!sets_ignore_scripts(
            "ignore-scripts=true\nignore-scripts=false\n"
        ));
    }
}
