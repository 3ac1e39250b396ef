//! Destinations a tool takes from a configuration file rather than from
//! the command line: the URL of a git remote given by name (or the
//! default one), git's `url.<base>.insteadOf` rewrites and proxies; the
//! registry of `.npmrc`; pip's index from `pip.conf`. Each is judged by
//! the network guard as a literal URL is (`net_destinations.rs`), the
//! message naming the file it came from. A configuration the analysis
//! cannot read (a computed working directory or `--git-dir`, an
//! unreadable file, one the command wrote earlier) leaves the destination
//! unknown. See docs/commands.md, "Network destinations".

use std::path::{Path, PathBuf};

use super::fetched::{git_location, Location};
use super::net_destinations::Plain;
use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::guards::filesystem::FileOperation;
use crate::guards::filesystem::Platform;

/// How many configuration files one check follows (includes too).
const MAX_FILES: usize = 32;

/// One variable of a configuration file and the file that set it.
#[derive(Clone, Debug)]
pub(crate) struct Setting {
    pub key: String,
    pub value: String,
    pub file: PathBuf,
}

/// git's configuration as the analysis reads it: every variable of the
/// system, global and repository files (includes followed, every
/// `includeIf` condition taken as met, so a value any of them may set is
/// judged), and why the repository's files are not known, if they are not.
pub(crate) struct GitSettings {
    pub settings: Vec<Setting>,
    pub repo_unknown: Option<String>,
    /// Whether what is not known is in the system's or the user's files
    /// (which a clone reads too).
    pub global_unknown: bool,
    /// The repository's git directory, when found.
    pub git_dir: Option<PathBuf>,
}

impl GitSettings {
    fn values<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s Setting> + 's {
        self.settings.iter().filter(move |s| s.key == key)
    }

    /// The value git takes for `key`: the last one set.
    pub(crate) fn last(&self, key: &str) -> Option<String> {
        self.values(key).last().map(|s| s.value.clone())
    }

    /// The names of every configured remote.
    fn remotes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.settings {
            if let Some(n) = s.key.strip_prefix("remote.").and_then(|r| {
                r.strip_suffix(".url")
                    .or_else(|| r.strip_suffix(".pushurl"))
            }) {
                if !out.iter().any(|o| o == n) {
                    out.push(n.to_string());
                }
            }
        }
        out
    }

    /// `url` after the `url.<base>.insteadOf` (and, for a push,
    /// `pushInsteadOf`) rules that match it, with the file of the rule: git
    /// takes the longest match; with conditional includes any may apply,
    /// so each match is a candidate. None matching: `url` itself.
    fn rewrites(&self, url: &str, push: bool) -> Vec<(String, Option<PathBuf>)> {
        let mut out = Vec::new();
        for s in &self.settings {
            let Some(r) = s.key.strip_prefix("url.") else {
                continue;
            };
            let base = match r.strip_suffix(".insteadof") {
                Some(b) => b,
                None if push => match r.strip_suffix(".pushinsteadof") {
                    Some(b) => b,
                    None => continue,
                },
                None => continue,
            };
            if !s.value.is_empty() && url.starts_with(&s.value) {
                out.push((
                    format!("{base}{}", &url[s.value.len()..]),
                    Some(s.file.clone()),
                ));
            }
        }
        if out.is_empty() {
            out.push((url.to_string(), None));
        }
        out
    }
}

/// `p` with its `.` and `..` components taken out lexically (as the
/// paths of the command's writes are compared).
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Read a configuration file: `Ok(None)` when there is none.
fn read_file(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match std::fs::read(path) {
        Ok(t) => Ok(Some(t)),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(format!(
            "{} cannot be read ({e})",
            clip(&path.to_string_lossy())
        )),
    }
}

/// The git directory a `.git` file names (`gitdir: DIR`, relative to the
/// file's directory).
fn gitdir_of_file(file: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(file).ok()?;
    let dir = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    if dir.is_empty() {
        return None;
    }
    Some(file.parent()?.join(dir))
}

impl Analyzer<'_> {
    /// The content of a configuration file the tool reads, `Ok(None)` when
    /// there is none; one the command wrote earlier is not known.
    pub(crate) fn read_tool_config(&self, path: &Path) -> Result<Option<Vec<u8>>, String> {
        if self.host_written(path) {
            return Err(format!(
                "{} was written earlier in the same command: its content is not known",
                clip(&path.to_string_lossy())
            ));
        }
        read_file(path)
    }

    /// git's variables from `files` and the files they include, in order.
    pub(crate) fn git_config_files(
        &self,
        files: Vec<PathBuf>,
        out: &mut Vec<Setting>,
    ) -> Result<(), String> {
        let home = self.fs.host_path_of("~");
        let mut queue = files;
        let mut read = 0;
        while !queue.is_empty() {
            let file = lexical(&queue.remove(0));
            read += 1;
            if read > MAX_FILES {
                return Err(
                    "more configuration files are included than the analysis follows".into(),
                );
            }
            let Some(text) = self.read_tool_config(&file)? else {
                continue;
            };
            let mut included = Vec::new();
            for (key, value) in crate::gitconfig::parse(&text) {
                let Some(value) = value else { continue };
                if key.starts_with("include") && key.ends_with(".path") {
                    let p = match value.strip_prefix("~/") {
                        Some(rest) => match &home {
                            Some(h) => h.join(rest),
                            None => {
                                return Err(format!(
                                    "{} includes {}, below a home that is not known",
                                    clip(&file.to_string_lossy()),
                                    clip(&value)
                                ))
                            }
                        },
                        None if value.starts_with('~') => {
                            return Err(format!(
                                "{} includes {}, a path the analysis does not follow",
                                clip(&file.to_string_lossy()),
                                clip(&value)
                            ))
                        }
                        None => file
                            .parent()
                            .map_or_else(|| PathBuf::from(&value), |d| d.join(&value)),
                    };
                    included.push(p);
                }
                out.push(Setting {
                    key,
                    value,
                    file: file.clone(),
                });
            }
            // Included files are read where the include stands; their
            // values are candidates all the same.
            for (k, p) in included.into_iter().enumerate() {
                queue.insert(k, p);
            }
        }
        Ok(())
    }

    /// git's configuration for a command run in the analysis' working
    /// directory (or `git_dir`).
    pub(crate) fn git_settings(&self, git_dir: Option<&Arg>) -> GitSettings {
        let mut settings = Vec::new();
        let mut global = vec![PathBuf::from("/etc/gitconfig")];
        if let Some(h) = self.fs.host_path_of("~") {
            global.push(h.join(".config/git/config"));
            global.push(h.join(".gitconfig"));
        }
        let mut repo_unknown = None;
        let mut global_unknown = false;
        if let Err(why) = self.git_config_files(global, &mut settings) {
            repo_unknown = Some(why);
            global_unknown = true;
        }
        let found = match git_dir {
            Some(d) => match d.lit() {
                Some(v) => self
                    .host_cwd()
                    .map(|c| Some(c.join(v)))
                    .ok_or_else(|| "the working directory is computed at run time".to_string()),
                None => Err(format!(
                    "the repository {} is computed at run time",
                    clip(&d.text)
                )),
            },
            None => self.find_git_dir(),
        };
        let mut git_dir = None;
        match found {
            Ok(Some(dir)) => {
                // A linked worktree keeps its configuration in the common
                // directory (`commondir`), and its own in `config.worktree`.
                let common = std::fs::read_to_string(dir.join("commondir"))
                    .ok()
                    .map(|c| dir.join(c.trim()))
                    .unwrap_or_else(|| dir.clone());
                let files = vec![common.join("config"), dir.join("config.worktree")];
                if let Err(why) = self.git_config_files(files, &mut settings) {
                    repo_unknown.get_or_insert(why);
                }
                git_dir = Some(dir);
            }
            Ok(None) => {}
            Err(why) => {
                repo_unknown.get_or_insert(why);
            }
        }
        GitSettings {
            settings,
            repo_unknown,
            global_unknown,
            git_dir,
        }
    }

    /// The git directory of the repository around the working directory:
    /// `Ok(None)` outside any repository.
    fn find_git_dir(&self) -> Result<Option<PathBuf>, String> {
        let cwd = self
            .host_cwd()
            .ok_or_else(|| "the working directory is computed at run time".to_string())?;
        let mut at: &Path = &cwd;
        loop {
            let dot = at.join(".git");
            if let Ok(m) = std::fs::metadata(&dot) {
                if m.is_dir() {
                    return Ok(Some(dot));
                }
                return match gitdir_of_file(&dot) {
                    Some(d) => Ok(Some(d)),
                    None => Err(format!(
                        "{} does not name the repository's directory in a form the analysis reads",
                        clip(&dot.to_string_lossy())
                    )),
                };
            }
            // A bare repository: the directory itself.
            if at.join("HEAD").is_file()
                && at.join("objects").is_dir()
                && at.join("config").is_file()
            {
                return Ok(Some(at.to_path_buf()));
            }
            match at.parent() {
                Some(p) => at = p,
                None => return Ok(None),
            }
        }
    }

    /// The remote `name` of git's configuration, judged for a fetch
    /// (`op` Read) or a push (Write): each URL it has, after rewrites.
    /// False when no remote of that name is configured.
    pub(crate) fn check_git_remote(
        &mut self,
        name: &str,
        a: &Arg,
        op: FileOperation,
        argv: &[Arg],
        via: &str,
        cfg: &GitSettings,
    ) -> bool {
        let push = op == FileOperation::Write;
        let mut keys = vec![format!("remote.{name}.url")];
        if push {
            keys.push(format!("remote.{name}.pushurl"));
        }
        let urls: Vec<Setting> = keys
            .iter()
            .flat_map(|k| cfg.values(k).cloned().collect::<Vec<_>>())
            .collect();
        if urls.is_empty() {
            return false;
        }
        for s in urls {
            let shown = format!("{} ({} in {})", via, s.key, clip(&s.file.to_string_lossy()));
            self.check_git_url(&s.value, a, push, argv, &shown, cfg);
        }
        for s in cfg
            .values(&format!("remote.{name}.proxy"))
            .cloned()
            .collect::<Vec<_>>()
        {
            self.check_git_proxy(&s, a, argv, via);
        }
        true
    }

    /// A URL git connects to (given, or from a remote's configuration):
    /// rewritten by the `insteadOf` rules, then judged as a repository
    /// location; a name there is a path, not another remote.
    pub(crate) fn check_git_url(
        &mut self,
        url: &str,
        a: &Arg,
        push: bool,
        argv: &[Arg],
        via: &str,
        cfg: &GitSettings,
    ) {
        let windows = self.fs.platform() == Platform::Windows;
        for (u, rule) in cfg.rewrites(url, push) {
            let via = match &rule {
                Some(f) => format!(
                    "{via} (rewritten by url.*.insteadOf in {})",
                    clip(&f.to_string_lossy())
                ),
                None => via.to_string(),
            };
            let t = Arg::literal(&u, a.span);
            match git_location(&t, windows) {
                Location::Network => {
                    self.check_destination_text(&u, a, Plain::Scp, argv, &via);
                    if u.to_ascii_lowercase().starts_with("http") {
                        for s in cfg
                            .settings
                            .iter()
                            .filter(|s| is_http_proxy_key(&s.key))
                            .cloned()
                            .collect::<Vec<_>>()
                        {
                            self.check_git_proxy(&s, a, argv, &via);
                        }
                    }
                }
                // A configured URL that is a path (or a plain name, which
                // git opens as a directory): judged as a given one is.
                _ => {
                    let op = if push {
                        FileOperation::Write
                    } else {
                        FileOperation::Read
                    };
                    self.check_git_location_plain(&t, op, argv, &via);
                }
            }
        }
    }

    /// A proxy git's configuration names: where its http requests go.
    fn check_git_proxy(&mut self, s: &Setting, a: &Arg, argv: &[Arg], via: &str) {
        if s.value.is_empty() {
            return;
        }
        let via = format!(
            "{via} (proxy {} in {})",
            s.key,
            clip(&s.file.to_string_lossy())
        );
        self.check_destination_text(&s.value, a, Plain::Curl("http"), argv, &via);
    }

    /// The remotes a fetch, pull or push without a repository operand
    /// reaches: the current branch's `remote` (and for a push its
    /// `pushRemote` and `remote.pushDefault`), else `origin`; every
    /// remote for `--all` or `remote update`.
    pub(crate) fn check_default_remotes(
        &mut self,
        at: &Arg,
        op: FileOperation,
        all: bool,
        argv: &[Arg],
        via: &str,
    ) {
        if self.net.is_none() {
            return;
        }
        let cfg = self.git_settings(self.git_dir_option(argv).as_ref());
        if let Some(why) = &cfg.repo_unknown {
            let why = why.clone();
            self.destination_unknown(
                at,
                argv,
                format!("{via}: which remote git connects to is not known: {why}"),
            );
            return;
        }
        let names: Vec<String> = if all {
            cfg.remotes()
        } else {
            let branch = cfg
                .git_dir
                .as_ref()
                .and_then(|d| std::fs::read_to_string(d.join("HEAD")).ok())
                .and_then(|h| {
                    h.trim()
                        .strip_prefix("ref: refs/heads/")
                        .map(str::to_string)
                });
            let mut keys = Vec::new();
            if let Some(b) = &branch {
                if op == FileOperation::Write {
                    keys.push(format!("branch.{b}.pushremote"));
                    keys.push("remote.pushdefault".to_string());
                }
                keys.push(format!("branch.{b}.remote"));
            } else if op == FileOperation::Write {
                keys.push("remote.pushdefault".to_string());
            }
            let mut names: Vec<String> = keys
                .iter()
                .flat_map(|k| cfg.values(k).map(|s| s.value.clone()).collect::<Vec<_>>())
                .filter(|v| v != ".")
                .collect();
            names.push("origin".to_string());
            names
        };
        let windows = self.fs.platform() == Platform::Windows;
        for n in names {
            let t = Arg::literal(&n, at.span);
            match git_location(&t, windows) {
                Location::Name(name) => {
                    self.check_git_remote(&name, at, op, argv, via, &cfg);
                }
                // `branch.X.remote` may hold a URL or a path.
                _ => self.check_git_url(&n, at, op == FileOperation::Write, argv, via, &cfg),
            }
        }
    }

    /// The `--git-dir` given to git, if any.
    pub(crate) fn git_dir_option(&self, argv: &[Arg]) -> Option<Arg> {
        let scan = super::wrappers::scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        scan.given_value(argv, "--git-dir", argv[0].span)
    }
}

/// A key of git's configuration naming a proxy for http(s): `http.proxy`,
/// `http.<url>.proxy`.
fn is_http_proxy_key(key: &str) -> bool {
    key.starts_with("http.") && key.ends_with(".proxy") || key == "http.proxy"
}

/// The subcommands of pip that fetch from its index.
const PIP_FETCHES: &[&str] = &["install", "download", "wheel", "index"];

/// The keys of pip's configuration that name where it fetches from
/// (`_` and `-` alike, as pip reads them).
const PIP_KEYS: &[&str] = &["index-url", "extra-index-url", "find-links", "proxy"];

/// The values of `keys` in an ini file as pip reads it (`configparser`:
/// indented lines continue a value; several URLs are separated by
/// whitespace), with the key.
fn ini_values(text: &str, keys: &[&str]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(k) = &current {
                for w in trimmed.split_whitespace() {
                    out.push((k.clone(), w.to_string()));
                }
            }
            continue;
        }
        current = None;
        if trimmed.starts_with('[') {
            continue;
        }
        let Some((k, v)) = trimmed.split_once(['=', ':']) else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase().replace('_', "-");
        if keys.contains(&k.as_str()) {
            for w in v.split_whitespace() {
                out.push((k.clone(), w.to_string()));
            }
            current = Some(k);
        }
    }
    out
}

/// Every `scheme://…` word in `text` (quotes and brackets around it left
/// out): the destinations a configuration file may send a tool to.
fn urls_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let start = rest[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || "+.-".contains(c)))
            .map_or(0, |k| k + 1);
        let end = rest[i..]
            .find(|c: char| c.is_whitespace() || "\"'`,]}>".contains(c))
            .map_or(rest.len(), |k| i + k);
        if start < i {
            let u = &rest[start..end];
            // cargo's `sparse+https://`, `registry+https://`.
            let u = u
                .strip_prefix("sparse+")
                .or_else(|| u.strip_prefix("registry+"))
                .unwrap_or(u);
            out.push(u.to_string());
        }
        rest = &rest[end.max(i + 3)..];
    }
    out
}

/// Subcommands of cargo and uv that resolve no dependency.
const CARGO_LOCAL: &[&str] = &[
    "fmt",
    "clean",
    "new",
    "init",
    "help",
    "version",
    "--version",
    "-V",
    "-h",
    "--help",
    "locate-project",
    "config",
];
const UV_LOCAL: &[&str] = &[
    "help",
    "--help",
    "-h",
    "--version",
    "-V",
    "version",
    "cache",
    "init",
    "venv",
    "self",
];

impl Analyzer<'_> {
    /// The destinations a tool's configuration names, for the tools with a
    /// model of where they connect.
    pub(crate) fn check_tool_config_destinations(&mut self, argv: &[Arg], base: &str) {
        if self.net.is_none() {
            return;
        }
        let first = argv.get(1).map(|a| a.lit());
        let local = |list: &[&str]| {
            matches!(first, None | Some(Some(_)))
                && first.flatten().is_none_or(|v| list.contains(&v))
        };
        match super::programs::canonical(base).as_str() {
            "cargo" if !local(CARGO_LOCAL) => self.check_cargo_config(argv, base),
            "uv" if !local(UV_LOCAL) => self.check_uv_config(argv, base),
            _ => {}
        }
    }

    /// Where a run of pip fetches from when its configuration, not its
    /// command line, says so: the index URLs of `pip.conf` (the
    /// interpreter's prefix, a `.venv`/`venv` of the working directory,
    /// the user's and the system's). pypi.org, the default, is not judged.
    pub(crate) fn check_pip_config(&mut self, argv: &[Arg], base: &str) {
        if self.net.is_none() {
            return;
        }
        let sub = argv[1..]
            .iter()
            .find(|a| a.lit().is_none_or(|v| !v.starts_with('-')));
        let Some(sub) = sub.and_then(|s| s.lit()) else {
            return;
        };
        if !PIP_FETCHES.contains(&sub) {
            return;
        }
        let words: Vec<&str> = argv.iter().filter_map(|a| a.lit()).collect();
        let given = |names: &[&str]| {
            words.iter().any(|w| {
                names.iter().any(|n| {
                    w == n
                        || w.starts_with(&format!("{n}="))
                        || (n.len() == 2 && w.starts_with(n) && w.len() > 2)
                })
            })
        };
        let no_index = given(&["--no-index"]);
        let mut files: Vec<PathBuf> = vec![
            PathBuf::from("/etc/pip.conf"),
            PathBuf::from("/etc/xdg/pip/pip.conf"),
        ];
        if let Some(h) = self.fs.host_path_of("~") {
            files.push(h.join(".config/pip/pip.conf"));
            files.push(h.join(".pip/pip.conf"));
        }
        // The environment pip runs in: the prefix of a pip or python named
        // by path, or the working directory's virtual environment.
        let at = argv[0].lit().unwrap_or_default();
        if let Some(prefix) = Path::new(at)
            .parent()
            .and_then(Path::parent)
            .filter(|_| at.contains('/'))
        {
            if let Some(p) = prefix.to_str().and_then(|p| self.resolve(p, false)) {
                if let Some(h) = self.fs.host_path_of(&p) {
                    files.push(h.join("pip.conf"));
                }
            }
        }
        match self.host_cwd() {
            Some(cwd) => {
                files.push(cwd.join(".venv/pip.conf"));
                files.push(cwd.join("venv/pip.conf"));
            }
            None => {
                return self.destination_unknown(
                    &argv[0],
                    argv,
                    format!("{base} {sub}: the working directory is computed at run time, so where pip's configuration sends it is not known"),
                )
            }
        }
        for f in files {
            let text = match self.read_tool_config(&f) {
                Ok(Some(t)) => String::from_utf8_lossy(&t).into_owned(),
                Ok(None) => continue,
                Err(why) => {
                    self.destination_unknown(&argv[0], argv, format!("{base} {sub}: {why}"));
                    continue;
                }
            };
            for (key, url) in ini_values(&text, PIP_KEYS) {
                if no_index && key.ends_with("index-url") {
                    continue;
                }
                let via = format!("{base} {sub} ({key} in {})", clip(&f.to_string_lossy()));
                if url.contains("://") || key == "proxy" {
                    let plain = if key == "proxy" {
                        Plain::Curl("http")
                    } else {
                        Plain::Scp
                    };
                    self.check_destination_text(&url, &argv[0], plain, argv, &via);
                }
            }
        }
    }

    /// The URLs of configuration files a tool reads as TOML (cargo's
    /// `.cargo/config.toml`, uv's `uv.toml`, the `[tool.uv]` tables of
    /// `pyproject.toml`): every `scheme://` word of the part read is a
    /// destination the tool may connect to, judged by the network policy.
    fn check_config_urls(&mut self, file: &Path, text: &str, argv: &[Arg], via: &str) {
        for u in urls_in(text) {
            let via = format!("{via} ({})", clip(&file.to_string_lossy()));
            self.check_destination_text(&u, &argv[0], Plain::Scp, argv, &via);
        }
    }

    /// cargo's registries and source replacements, from `.cargo/config.toml`
    /// (and `.cargo/config`) of the working directory, each directory
    /// above it and the home, for the subcommands that resolve
    /// dependencies. crates.io itself is not judged: a build fetches only
    /// what is not already on the machine.
    pub(crate) fn check_cargo_config(&mut self, argv: &[Arg], base: &str) {
        if self.net.is_none() {
            return;
        }
        let words: Vec<&str> = argv.iter().filter_map(|a| a.lit()).collect();
        if words.iter().any(|w| matches!(*w, "--offline" | "--frozen")) {
            return;
        }
        let Some(cwd) = self.host_cwd() else {
            return self.destination_unknown(
                &argv[0],
                argv,
                format!("{base}: the working directory is computed at run time, so cargo's configuration is not known"),
            );
        };
        let mut files = Vec::new();
        for d in cwd.ancestors() {
            files.push(d.join(".cargo/config.toml"));
            files.push(d.join(".cargo/config"));
        }
        if let Some(h) = self.fs.host_path_of("~") {
            files.push(h.join(".cargo/config.toml"));
            files.push(h.join(".cargo/config"));
        }
        files.dedup();
        for f in files {
            match self.read_tool_config(&f) {
                Ok(Some(t)) => {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    self.check_config_urls(&f, &text, argv, base);
                }
                Ok(None) => {}
                Err(why) => self.destination_unknown(&argv[0], argv, format!("{base}: {why}")),
            }
        }
    }

    /// uv's indexes: `uv.toml` and the `[tool.uv]` tables of
    /// `pyproject.toml` in the working directory and above, and the user's
    /// `~/.config/uv/uv.toml`.
    pub(crate) fn check_uv_config(&mut self, argv: &[Arg], base: &str) {
        if self.net.is_none() {
            return;
        }
        let words: Vec<&str> = argv.iter().filter_map(|a| a.lit()).collect();
        if words
            .iter()
            .any(|w| matches!(*w, "--offline" | "--no-config"))
        {
            return;
        }
        let Some(cwd) = self.host_cwd() else {
            return self.destination_unknown(
                &argv[0],
                argv,
                format!("{base}: the working directory is computed at run time, so uv's configuration is not known"),
            );
        };
        let mut files: Vec<(PathBuf, bool)> = Vec::new();
        for d in cwd.ancestors() {
            files.push((d.join("uv.toml"), false));
            files.push((d.join("pyproject.toml"), true));
        }
        if let Some(h) = self.fs.host_path_of("~") {
            files.push((h.join(".config/uv/uv.toml"), false));
        }
        files.push((PathBuf::from("/etc/uv/uv.toml"), false));
        for (f, pyproject) in files {
            match self.read_tool_config(&f) {
                Ok(Some(t)) => {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    let text = if pyproject { tool_uv_part(&text) } else { text };
                    self.check_config_urls(&f, &text, argv, base);
                }
                Ok(None) => {}
                Err(why) => self.destination_unknown(&argv[0], argv, format!("{base}: {why}")),
            }
        }
    }
}

/// The lines of `pyproject.toml` in `[tool.uv…]` and `[[tool.uv…]]`
/// tables (and a `tool.uv` key of another table, kept whole: any line
/// that names `tool.uv` outside a table header keeps its table).
fn tool_uv_part(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            let name: String = t
                .trim_start_matches('[')
                .chars()
                .take_while(|c| *c != ']')
                .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
                .collect();
            inside = name == "tool.uv" || name.starts_with("tool.uv.");
            // `[tool]` with `uv = {…}` keys.
            if name == "tool" {
                inside = true;
            }
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The keys of wget's start-up commands (`-e`, `.wgetrc`) naming where it
/// connects, as wget compares them (case, `-` and `_` ignored).
const WGET_PROXY_KEYS: &[&str] = &["httpproxy", "httpsproxy", "ftpproxy"];

impl Analyzer<'_> {
    /// A file of URLs a tool fetches (`wget -i FILE`), or of curl options
    /// (`curl -K FILE`), whose URLs are judged: each line of a wget list,
    /// every `scheme://` word of a curl configuration. Standard input, a
    /// computed name, a file the command wrote earlier or one that cannot
    /// be read leave the destinations unknown.
    pub(crate) fn check_url_file(&mut self, a: &Arg, argv: &[Arg], via: &str, curl_config: bool) {
        if self.net.is_none() {
            return;
        }
        let unknown = |s: &mut Self, why: String| {
            s.destination_unknown(a, argv, format!("{via} {}: {why}", clip(&a.shown())));
        };
        let Some(v) = a.lit() else {
            return unknown(
                self,
                "the file is named at run time, so the URLs in it are not known".into(),
            );
        };
        if v == "-" || v.starts_with("/dev/") || v.starts_with("/proc/") {
            return unknown(
                self,
                "the URLs are read from standard input or a device, not known".into(),
            );
        }
        let host = self
            .resolve(v, a.home)
            .and_then(|p| self.fs.host_path_of(&p));
        let Some(host) = host else {
            return unknown(self, "where the file is is not known".into());
        };
        let text = match self.read_tool_config(&host) {
            Ok(Some(t)) => String::from_utf8_lossy(&t).into_owned(),
            Ok(None) => {
                return unknown(
                    self,
                    "the file does not exist yet, so the URLs in it are not known".into(),
                )
            }
            Err(why) => return unknown(self, why),
        };
        let via = format!("{via} (a URL in {})", clip(v));
        if curl_config {
            for u in urls_in(&text) {
                self.check_destination_text(&u, a, Plain::Curl("http"), argv, &via);
            }
            return;
        }
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self.check_destination_text(line, a, Plain::Curl("http"), argv, &via);
        }
    }

    /// A start-up command of wget (`-e COMMAND`, as in `.wgetrc`): a proxy
    /// it sets is where its requests go; `input` is a file of URLs.
    pub(crate) fn check_wget_command(&mut self, a: &Arg, argv: &[Arg]) {
        if self.net.is_none() {
            return;
        }
        let Some(v) = a.lit() else {
            return self.destination_unknown(
                a,
                argv,
                format!("wget -e {}: a start-up command computed at run time may set a proxy or a list of URLs", clip(&a.shown())),
            );
        };
        let Some((k, value)) = v.split_once('=') else {
            return;
        };
        let key: String = k
            .chars()
            .filter(|c| *c != '-' && *c != '_' && !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let value = value.trim();
        if WGET_PROXY_KEYS.contains(&key.as_str()) {
            let via = format!("wget -e {}", clip(k.trim()));
            self.check_destination_text(value, a, Plain::Curl("http"), argv, &via);
        } else if key == "input" {
            let f = Arg::literal(value, a.span);
            self.check_url_file(&f, argv, "wget -e input", false);
        }
    }
}
