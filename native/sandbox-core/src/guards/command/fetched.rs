//! Code fetched by git and run later in the same command (`git clone URL
//! x && sh x/install.sh`, `git pull URL && make`): like `curl … | sh`, the
//! content is not known when the command is judged, so running anything
//! from the working tree after such a fetch is `DOWNLOAD_TO_SHELL`. Also
//! the files git subcommands read or write through their options
//! (`blame --contents`, `archive --add-file`, `grep -f`,
//! `apply --build-fake-ancestor`) and repositories fetched from local
//! paths (judged as reads).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::wrappers::scan_options;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation::{self, Read, Write};
use crate::guards::filesystem::Platform;

/// Per subcommand, options whose value is a file: (subcommand, option,
/// operation).
const FILE_OPTIONS: &[(&str, &str, FileOperation)] = &[
    ("blame", "--contents", Read),
    ("blame", "--ignore-revs-file", Read),
    ("annotate", "--contents", Read),
    ("archive", "--add-file", Read),
    ("grep", "-f", Read),
    ("apply", "--build-fake-ancestor", Write),
    // Revision and pattern lists read from a file.
    ("blame", "-S", Read),
    ("annotate", "-S", Read),
    ("ls-files", "-X", Read),
    ("ls-files", "--exclude-from", Read),
    // The order file of the diff options.
    ("diff", "-O", Read),
    ("log", "-O", Read),
    ("show", "-O", Read),
    ("diff-tree", "-O", Read),
    ("diff-index", "-O", Read),
    ("diff-files", "-O", Read),
    ("format-patch", "-O", Read),
    // Appended as the signature of every patch (and the cover letter).
    ("format-patch", "--signature-file", Read),
];

/// Whether `v` starts with a drive (`C:`): git on Windows reads such an
/// argument as a local path, not as scp-like `host:path`
/// (`has_dos_drive_prefix` in its `url_is_local_not_ssh`).
fn has_drive(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Whether a repository argument names a network location.
pub(crate) fn is_url(v: &str, windows: bool) -> bool {
    if v.contains("://") {
        return true;
    }
    if windows && has_drive(v) {
        return false;
    }
    // scp-like `host:path` (a `:` before any `/`).
    match (v.find(':'), v.find('/')) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether a repository argument names a local path (not a remote name).
pub(crate) fn is_path(v: &str, windows: bool) -> bool {
    v.starts_with('/')
        || v.starts_with('~')
        || v.starts_with('.')
        || v.contains('/')
        || (windows && (has_drive(v) || v.contains('\\')))
}

/// What a repository argument of git (a remote, a URL, a path, a
/// `--reference`) names, as git reads it.
#[derive(Debug, PartialEq)]
pub(crate) enum Location {
    /// Computed at run time: any of the others.
    Computed,
    /// `NAME::ADDR`, or a `SCHEME://` git has no transport of its own for:
    /// git runs the program `git-remote-NAME` (`ext::` runs a command).
    Helper(String),
    /// A network address (`https://`, `ssh://`, scp-like `host:path`).
    Network,
    /// A local path git opens (a plain path, or the path of a `file://`
    /// URL, percent-decoded as git decodes it), and whether `~` starts it.
    Local(String, bool),
    /// A word without `/` or `:`: a configured remote's name, or else a
    /// directory of that name.
    Name(String),
    /// A `file://` URL the analysis does not model (a host part, a bad
    /// escape, no path).
    Unmodelled(String),
}

/// The transports git carries itself; any other `SCHEME://` is a remote
/// helper program (git compares the scheme as spelled).
const GIT_SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "git", "ssh", "git+ssh", "ssh+git", "file",
];

/// git's `url_decode`: `%XY` becomes the byte; `None` when the result is
/// not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// How git reads the repository argument `a` (`clone_source`: a bare name
/// is a directory, as `git clone` reads it).
pub(crate) fn git_location(a: &Arg, windows: bool) -> Location {
    let Some(v) = a.lit() else {
        return Location::Computed;
    };
    // `NAME::ADDR` (git's `is_urlschemechar` before `::`).
    if let Some(i) = v.find("::") {
        let name = &v[..i];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return Location::Helper(name.to_string());
        }
    }
    if let Some(i) = v.find("://") {
        let scheme = &v[..i];
        if scheme == "file" {
            // git decodes the whole URL, then takes the path after the
            // host part: `file:///a/%2essh` is `/a/.ssh`.
            let Some(rest) = percent_decode(&v[i + 3..]) else {
                return Location::Unmodelled(format!("{}: an escape that is not UTF-8", clip(v)));
            };
            if !rest.starts_with('/') {
                return Location::Unmodelled(format!(
                    "{}: a file URL with a host part (git reads the path after it)",
                    clip(v)
                ));
            }
            let path = match rest.as_bytes() {
                [b'/', d, b':', ..] if windows && d.is_ascii_alphabetic() => rest[1..].to_string(),
                _ => rest,
            };
            return Location::Local(path, false);
        }
        if GIT_SCHEMES.contains(&scheme) {
            return Location::Network;
        }
        return Location::Helper(scheme.to_string());
    }
    if is_url(v, windows) {
        return Location::Network;
    }
    if is_path(v, windows) || v == "." || v == ".." {
        return Location::Local(v.to_string(), a.home || v == "~" || v.starts_with("~/"));
    }
    Location::Name(v.to_string())
}

/// The values of the options `names` (`--name V`, `--name=V`); a word
/// computed after a literal `--name=` is a computed value.
pub(crate) fn option_values(rest: &[Arg], names: &[&str]) -> Vec<Arg> {
    // What follows `NAME=`, without building the string `NAME=` per word.
    fn after_eq<'t>(t: &'t str, name: &str) -> Option<&'t str> {
        t.strip_prefix(name)?.strip_prefix('=')
    }
    let mut out = Vec::new();
    for (k, a) in rest.iter().enumerate() {
        if a.is("--") {
            break;
        }
        for name in names {
            match a.lit() {
                Some(v) if v == *name => {
                    if let Some(n) = rest.get(k + 1) {
                        out.push(n.clone());
                    }
                }
                Some(v) => {
                    if let Some(x) = after_eq(v, name) {
                        out.push(Arg::literal(x, a.span));
                    }
                }
                None if after_eq(&a.prefix, name).is_some() => {
                    out.push(Arg::dynamic(&a.text, a.span));
                }
                None => {}
            }
        }
    }
    out
}

impl Analyzer<'_> {
    /// A repository git opens at `a` (fetches from, pushes to, archives
    /// from, borrows objects of): a local one is judged as `op` of the
    /// path and as a read of the blocked entries of its git directory
    /// (the repository itself for a bare one); a computed one, a remote
    /// helper or a `file://` URL not modelled is not known.
    pub(crate) fn check_git_location(
        &mut self,
        a: &Arg,
        op: FileOperation,
        argv: &[Arg],
        via: &str,
    ) {
        self.git_location_at(a, op, argv, via, true);
    }

    /// [`Analyzer::check_git_location`] of a URL taken from git's
    /// configuration: a name there is a directory, not another remote.
    pub(crate) fn check_git_location_plain(
        &mut self,
        a: &Arg,
        op: FileOperation,
        argv: &[Arg],
        via: &str,
    ) {
        self.git_location_at(a, op, argv, via, false);
    }

    fn git_location_at(
        &mut self,
        a: &Arg,
        op: FileOperation,
        argv: &[Arg],
        via: &str,
        given: bool,
    ) {
        let windows = self.fs.platform() == Platform::Windows;
        match git_location(a, windows) {
            // A literal URL on the command line: git's `insteadOf` rules
            // may send it elsewhere (those of the repository too, except
            // for a clone, which makes a new one).
            Location::Network if given && self.net.is_some() && a.lit().is_some() => {
                let cfg = self.git_settings(self.git_dir_option(argv).as_ref());
                if let Some(why) = cfg.repo_unknown.as_ref().filter(|_| cfg.global_unknown || !via.starts_with("git clone")) {
                    let why = why.clone();
                    self.destination_unknown(
                        a,
                        argv,
                        format!("{via}: whether git's configuration rewrites {} is not known: {why}", clip(&a.text)),
                    );
                }
                let v = a.lit().unwrap_or_default().to_string();
                self.check_git_url(&v, a, op == Write, argv, via, &cfg);
            }
            Location::Network => {
                self.check_destination(a, super::net_destinations::Plain::Scp, argv, via)
            }
            Location::Computed => self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via}: the repository {} is computed at run time; which repository or file git opens is not known",
                    clip(&a.text)
                ),
                a.span,
                argv,
            ),
            // `ext::CMD` runs CMD, `fd::` talks over an open descriptor:
            // refused wherever the location is given, as a plain operand is.
            Location::Helper(name) if name == "ext" || name == "fd" => self.finding(
                Verdict::Deny,
                DecisionCode::DangerousFlag,
                format!("{via}: the {name}:: transport of {} runs a command", clip(&a.text)),
                a.span,
                argv,
                None,
            ),
            Location::Helper(name) => self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!("{via}: {} is reached through the remote helper git-remote-{name}, a program the analysis does not model", clip(&a.text)),
                a.span,
                argv,
            ),
            Location::Unmodelled(why) => self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("{via}: {why}"),
                a.span,
                argv,
            ),
            Location::Name(n) => {
                // A configured remote: its URLs are where git connects.
                if given && self.net.is_some() {
                    let cfg = self.git_settings(self.git_dir_option(argv).as_ref());
                    if let Some(why) = &cfg.repo_unknown {
                        let why = why.clone();
                        self.destination_unknown(
                            a,
                            argv,
                            format!("{via}: the URL of the remote {} is not known: {why}", clip(&n)),
                        );
                    }
                    self.check_git_remote(&n, a, op, argv, via, &cfg);
                }
                // No remote of that name: git opens the directory.
                let d = Arg::literal(&n, a.span);
                self.check_repository_tree(&d, argv, via);
            }
            Location::Local(p, home) => {
                let mut d = Arg::literal(&p, a.span);
                d.home = home;
                self.check_file(&d, op, argv, via);
                self.check_repository_tree(&d, argv, via);
            }
        }
    }

    /// The blocked entries git reads in the repository at `d`: those of
    /// its `.git` directory, or of `d` itself (a bare repository, a
    /// bundle). A `.git` file names a directory elsewhere: not modelled.
    fn check_repository_tree(&mut self, d: &Arg, argv: &[Arg], via: &str) {
        let Some(v) = d.lit() else { return };
        let host = self
            .resolve(v, d.home)
            .and_then(|p| self.fs.host_path_of(&p));
        let dot_git = host.as_ref().map(|h| h.join(".git"));
        let root = match dot_git.as_ref().and_then(|g| std::fs::metadata(g).ok()) {
            Some(m) if m.is_dir() => {
                let mut g = Arg::literal(&format!("{}/.git", v.trim_end_matches('/')), d.span);
                g.home = d.home;
                self.check_file(&g, Read, argv, via);
                g
            }
            Some(_) => {
                // A `.git` file (`gitdir: DIR`, relative to its own
                // directory) names the repository's directory elsewhere.
                let named = dot_git
                    .as_ref()
                    .and_then(|g| std::fs::read_to_string(g).ok())
                    .and_then(|t| {
                        let dir = t
                            .lines()
                            .next()?
                            .strip_prefix("gitdir:")?
                            .trim()
                            .to_string();
                        (!dir.is_empty()).then_some(dir)
                    });
                let Some(dir) = named else {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{via}: {}/.git is a file that does not name the repository's directory in a form the analysis reads", clip(v)),
                        d.span,
                        argv,
                    );
                    return;
                };
                let full = if std::path::Path::new(&dir).is_absolute() {
                    dir
                } else {
                    format!("{}/{dir}", v.trim_end_matches('/'))
                };
                let mut g = Arg::literal(&full, d.span);
                g.home = d.home && !std::path::Path::new(&full).is_absolute();
                self.check_file(&g, Read, argv, via);
                g
            }
            None => d.clone(),
        };
        self.check_tree(&root, Read, &super::trees::Walk::default(), argv, via);
    }

    pub(crate) fn git_fetch_model(&mut self, argv: &[Arg], sub: &str, rest: &[Arg]) {
        for (k, a) in rest.iter().enumerate() {
            let Some(v) = a.lit() else { continue };
            for (s, name, op) in FILE_OPTIONS {
                if *s != sub {
                    continue;
                }
                let value = if v == *name {
                    rest.get(k + 1).cloned()
                } else if let Some(x) = v.strip_prefix(&format!("{name}=")) {
                    Some(Arg::literal(x, a.span))
                } else if name.len() == 2 && v.starts_with(name) && v.len() > 2 {
                    Some(Arg::literal(&v[2..], a.span))
                } else {
                    None
                };
                if let Some(f) = value {
                    self.check_file(&f, *op, argv, &format!("git {sub} {name}"));
                }
            }
        }
        self.git_locations(argv, sub, rest);
        // The repository operand of the subcommands that fetch: from a
        // URL, the working tree gets content the command does not show.
        let words: Vec<&Arg> = rest
            .iter()
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            .collect();
        let words: &[&Arg] = match sub {
            "clone" | "fetch" | "pull" => &words,
            "submodule" if words.first().is_some_and(|w| w.is("add")) => &words[1..],
            _ => return,
        };
        // (An option's value may come first: `git clone -b main URL`.)
        let windows = self.fs.platform() == Platform::Windows;
        if let Some(url) = words
            .iter()
            .find_map(|w| w.lit().filter(|v| is_url(v, windows)))
        {
            self.fetched = Some(format!("git {sub} {}", clip(url)));
        }
    }

    /// The repositories and files a git subcommand opens through its
    /// repository operand and options: the source of `clone`, `fetch`,
    /// `pull`, `ls-remote`, `submodule add` and `archive --remote`, the
    /// target of `push`, the URL `remote add`/`set-url` store for later
    /// fetches and pushes, `--reference`, `--bundle-uri`.
    fn git_locations(&mut self, argv: &[Arg], sub: &str, rest: &[Arg]) {
        let via = format!("git {sub}");
        // Options whose value is a repository read, in any subcommand
        // (`clone`, `submodule add/update`).
        for a in option_values(rest, &["--reference", "--reference-if-able"]) {
            self.check_git_location(&a, Read, argv, &format!("{via} --reference"));
        }
        for a in option_values(rest, &["--bundle-uri"]) {
            let windows = self.fs.platform() == Platform::Windows;
            match git_location(&a, windows) {
                Location::Local(..) => {
                    self.check_git_location(&a, Read, argv, &format!("{via} --bundle-uri"))
                }
                _ => self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{via} --bundle-uri {}: git fetches bundles from that URI (a list of further URIs), which the analysis does not judge",
                        clip(&a.shown())
                    ),
                    a.span,
                    argv,
                ),
            }
        }
        // `ls-files --exclude-per-directory=NAME`: git reads NAME in every
        // directory it walks, as the patterns of `.gitignore`; a name with
        // a `/` reads a file elsewhere (`../../.ssh/id_rsa`).
        if sub == "ls-files" {
            for a in option_values(rest, &["--exclude-per-directory"]) {
                match a.lit() {
                    Some(n) if !n.is_empty() && n != "." && n != ".." && !n.contains(['/', '\\']) => {
                        let walk = super::trees::Walk {
                            names: vec![(n.to_string(), false)],
                            ..Default::default()
                        };
                        let here = Arg::literal(".", a.span);
                        self.check_tree(&here, Read, &walk, argv, "git ls-files --exclude-per-directory");
                    }
                    _ => self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "git ls-files --exclude-per-directory {}: git reads the file of that name (or path) from every directory it walks, which the analysis does not know",
                            clip(&a.shown())
                        ),
                        a.span,
                        argv,
                    ),
                }
            }
        }
        let scan = scan_options(rest, 0, super::implied::GIT_NET_WITH_ARG);
        let ops: Vec<&Arg> = rest[scan.first.min(rest.len())..]
            .iter()
            .filter(|a| !a.lit().is_some_and(|v| v.starts_with('-') && v.len() > 1))
            .collect();
        match sub {
            "ls-remote" if ops.is_empty() => {
                self.check_default_remotes(&argv[0], Read, false, argv, &via);
            }
            "clone" | "ls-remote" => {
                if let Some(a) = ops.first() {
                    self.check_git_location(a, Read, argv, &via);
                }
            }
            "fetch" | "pull" => {
                let all = scan.has(&["--multiple"]);
                for a in ops.iter().take(if all { ops.len() } else { 1 }) {
                    self.check_git_location(a, Read, argv, &via);
                }
                // No repository operand: the configured default, or every
                // remote for `--all`.
                if ops.is_empty() {
                    let all = scan.has(&["--all"]);
                    self.check_default_remotes(&argv[0], Read, all, argv, &via);
                }
            }
            // The receiving repository's refs and objects are written (and
            // its hooks run).
            "push" => {
                let repo = option_values(rest, &["--repo"]);
                for a in repo.iter().chain(ops.first().copied()) {
                    self.check_git_location(a, Write, argv, &via);
                }
                if repo.is_empty() && ops.is_empty() {
                    // (`push --all` pushes every branch, to the default remote.)
                    self.check_default_remotes(&argv[0], Write, false, argv, &via);
                }
            }
            "archive" => {
                for a in option_values(rest, &["--remote"]) {
                    self.check_git_location(&a, Read, argv, "git archive --remote");
                }
            }
            "submodule" if ops.first().is_some_and(|a| a.is("add")) => {
                let at = rest.iter().position(|a| a.is("add")).unwrap_or(0);
                let s = scan_options(
                    rest,
                    at + 1,
                    &["-b", "--branch", "--name", "--reference", "--depth"],
                );
                if let Some(a) = rest.get(s.first) {
                    self.check_git_location(a, Read, argv, "git submodule add");
                }
            }
            // `submodule set-url PATH URL`: stored in `.gitmodules` for the
            // next `submodule update`/`sync`.
            "submodule" if ops.first().is_some_and(|a| a.is("set-url")) => {
                let at = rest.iter().position(|a| a.is("set-url")).unwrap_or(0);
                let s = scan_options(rest, at + 1, &[]);
                if let Some(u) = rest.get(s.first + 1) {
                    self.check_git_location(u, Read, argv, "git submodule set-url");
                }
            }
            // The URL is stored in the configuration: a later `git fetch`
            // reads that repository and `git push` writes it.
            "remote" => {
                let action = ops.first().and_then(|a| a.lit());
                // Where the action's own options start.
                let at = rest
                    .iter()
                    .position(|a| a.lit() == action)
                    .map_or(rest.len(), |k| k + 1);
                // `remote update`: every remote (or the groups named).
                if action == Some("update") {
                    self.check_default_remotes(&argv[0], Read, true, argv, "git remote update");
                }
                let url = match action {
                    Some("add") => {
                        let s = scan_options(rest, at, &["-t", "-m"]);
                        rest.get(s.first + 1)
                    }
                    Some("set-url") if !rest.iter().any(|a| a.is("--delete")) => {
                        let s = scan_options(rest, at, &[]);
                        rest.get(s.first + 1)
                    }
                    _ => None,
                };
                if let Some(u) = url {
                    let via = format!("git remote {}", action.unwrap_or_default());
                    self.check_git_location(u, Read, argv, &via);
                    self.check_git_location(u, Write, argv, &via);
                }
            }
            _ => {}
        }
        self.git_submodule_locations(argv, sub, rest);
    }

    /// The submodules a subcommand fetches or configures: a fetch or pull
    /// (populated submodules are fetched on demand unless recursion is
    /// off), `submodule update`/`init`/`sync`, and a clone with
    /// `--recurse-submodules`, whose submodules are not known before the
    /// repository is fetched.
    fn git_submodule_locations(&mut self, argv: &[Arg], sub: &str, rest: &[Arg]) {
        use super::submodules::Scope;
        if self.net.is_none() {
            return;
        }
        let words: Vec<&str> = rest
            .iter()
            .take_while(|a| !a.is("--"))
            .filter_map(|a| a.lit())
            .collect();
        let has = |w: &str| words.contains(&w);
        let scope = match sub {
            "fetch" | "pull" => {
                // The last of the recursion options decides.
                let off = words
                    .iter()
                    .rev()
                    .find(|w| {
                        w.starts_with("--recurse-submodules")
                            || w.starts_with("--no-recurse-submodules")
                    })
                    .is_some_and(|w| {
                        w.starts_with("--no-")
                            || matches!(
                                w.split_once('=').map(|(_, v)| v),
                                Some("no" | "false" | "off")
                            )
                    });
                (!off).then(Scope::default)
            }
            "clone" => {
                if words
                    .iter()
                    .any(|w| w.starts_with("--recu") || w.starts_with("--recurse-submodules="))
                {
                    self.destination_unknown(
                        &argv[0],
                        argv,
                        "git clone --recurse-submodules: the submodules' URLs are in the .gitmodules of the repository being cloned, not known before it is fetched".to_string(),
                    );
                }
                None
            }
            "submodule" => {
                let action = words.iter().find(|w| !w.starts_with('-')).copied();
                match action {
                    Some("update") => Some(Scope {
                        gitmodules: has("--init"),
                        recursive: has("--recursive") && has("--init"),
                    }),
                    Some("init") => Some(Scope {
                        gitmodules: true,
                        recursive: false,
                    }),
                    Some("sync") => Some(Scope {
                        gitmodules: true,
                        recursive: has("--recursive"),
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(scope) = scope {
            let via = format!("git {sub}");
            self.check_submodule_destinations(&argv[0], argv, &via, scope);
        }
    }

    /// After a git fetch from a URL: a program run by path, a script given
    /// to a shell or an interpreter, or a build tool runs fetched code.
    /// After a git command that wrote files of the working tree it does not
    /// name (`git stash pop`, `git checkout REV`, `git checkout -- .`,
    /// `git reset --hard`, `git merge`, …): the same runs files whose
    /// content the analysis did not see, as after `echo … > Makefile`.
    pub(crate) fn check_fetched_exec(&mut self, argv: &[Arg], base: &str) {
        if self.fetched.is_none() && self.checked_out.is_none() {
            return;
        }
        let name = argv[0].lit().unwrap_or_default();
        let interpreter = super::wrappers::SHELLS.contains(&base)
            || matches!(base, "source" | "." | "node" | "perl" | "ruby" | "php")
            || base.starts_with("python");
        let runs = name.contains('/')
            || (interpreter && argv.len() > 1)
            || super::known::is_project_tool(base)
            || matches!(super::programs::canonical(base).as_str(), "make" | "gmake");
        let Some(what) = self.fetched.clone() else {
            if let (true, Some(what)) = (runs, self.checked_out.clone()) {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("{base} runs code from the working tree after {what} wrote files there in the same command: their content is not analysed"),
                    argv[0].span,
                    argv,
                );
            }
            return;
        };
        if runs {
            self.finding(
                Verdict::Deny,
                DecisionCode::DownloadToShell,
                format!("{base} runs code from the working tree after {what} fetched it in the same command"),
                argv[0].span,
                argv,
                None,
            );
        }
    }
}
