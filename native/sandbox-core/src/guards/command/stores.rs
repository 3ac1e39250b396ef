//! Credential stores a program reads by default, with no operand naming
//! them: ssh reads its configuration, known hosts and default keys, gpg its
//! home, curl `-n` and wget the netrc file (docs/commands.md, "Stores read
//! implicitly"). Each is judged as a read of that path by the filesystem
//! guard, for the program the command names and for the programs it runs
//! implicitly ([`super::implied`]: git's and rsync's ssh, git's gpg), so a
//! command reaches a store exactly when `cat STORE` would. A store that is
//! not on the host is not read, so is not judged.

use super::implied::Implied;
use super::normalize::Arg;
use super::walk::Analyzer;
use super::Span;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};

/// When a program of [`STORES`] reads its stores.
pub(crate) enum When {
    /// Whenever it runs.
    Always,
    /// When one of these options is given (a cluster of short letters, an
    /// attached value, or an unambiguous prefix of a long one counts).
    WithOption(&'static [&'static str]),
    /// Unless one of the options `off` is given, and none of `back_on`
    /// (which may turn the reading on again: wget's `-e netrc=on`, a
    /// `--config` file).
    UnlessOption {
        off: &'static [&'static str],
        back_on: &'static [&'static str],
    },
    /// When an operand is a URL of one of these schemes.
    WithUrl(&'static [&'static str]),
}

/// What ssh (and the libssh2 of curl's `scp://`/`sftp://`) reads without
/// being told: the user configuration, the known hosts and the default
/// identities.
const SSH: &[&str] = &[
    "~/.ssh/config",
    "~/.ssh/known_hosts",
    "~/.ssh/id_rsa",
    "~/.ssh/id_ecdsa",
    "~/.ssh/id_ecdsa_sk",
    "~/.ssh/id_ed25519",
    "~/.ssh/id_ed25519_sk",
    "~/.ssh/id_dsa",
];

/// gpg's home: keyrings, trust database, private keys, agent socket.
const GNUPG: &[&str] = &["~/.gnupg/"];

/// The netrc file curl and wget take logins from.
const NETRC: &[&str] = &["~/.netrc"];

/// wget reads the netrc file unless `--no-netrc`; a command (`-e`,
/// `--execute`) or a configuration file (`--config`) may turn it back on.
const WGET_NETRC: When = When::UnlessOption {
    off: &["--no-netrc"],
    back_on: &["-e", "--execute", "--config"],
};

/// Program (and the option or operand that makes it read) → the stores it
/// reads implicitly. A program that runs another one (`scp` and `git` run
/// ssh, `git log --show-signature` runs gpg) reaches that one's stores
/// through [`super::implied::implied_programs`].
pub(crate) const STORES: &[(&str, When, &[&str])] = &[
    ("ssh", When::Always, SSH),
    ("ssh-copy-id", When::Always, SSH),
    ("gpg", When::Always, GNUPG),
    ("gpg2", When::Always, GNUPG),
    ("gpgsm", When::Always, GNUPG),
    (
        "curl",
        When::WithOption(&["-n", "--netrc", "--netrc-optional"]),
        NETRC,
    ),
    ("curl", When::WithUrl(&["scp://", "sftp://"]), SSH),
    ("wget", WGET_NETRC, NETRC),
    ("wget2", WGET_NETRC, NETRC),
];

/// Whether `argv` gives the option `opt` (`-n` also inside a cluster such
/// as `-sSn`; a long one also as an abbreviation of three letters or more,
/// with or without `=VALUE`); a computed word may be any option.
fn gives(argv: &[Arg], opt: &str) -> Option<bool> {
    let mut computed = false;
    for a in argv.iter().skip(1) {
        let Some(v) = a.lit() else {
            computed = true;
            continue;
        };
        if v == "--" {
            break;
        }
        if let Some(long) = opt.strip_prefix("--") {
            if let Some(w) = v.strip_prefix("--") {
                let name = w.split('=').next().unwrap_or(w);
                if name == long || (name.len() >= 3 && long.starts_with(name)) {
                    return Some(true);
                }
            }
        } else if let (Some(letter), Some(cluster)) = (
            opt.strip_prefix('-'),
            v.strip_prefix('-').filter(|c| !c.starts_with('-')),
        ) {
            if cluster.contains(letter) {
                return Some(true);
            }
        }
    }
    if computed {
        None
    } else {
        Some(false)
    }
}

/// Whether the stores of one [`STORES`] row are read: `Some(true)` surely,
/// `None` maybe (a computed word), `Some(false)` not.
fn reads(argv: &[Arg], when: &When) -> Option<bool> {
    let any = |opts: &[&str]| -> Option<bool> {
        let mut maybe = false;
        for o in opts {
            match gives(argv, o) {
                Some(true) => return Some(true),
                None => maybe = true,
                Some(false) => {}
            }
        }
        (!maybe).then_some(false)
    };
    match when {
        When::Always => Some(true),
        When::WithOption(opts) => any(opts),
        When::UnlessOption { off, back_on } => match (any(off), any(back_on)) {
            (_, Some(true)) | (Some(false), _) => Some(true),
            (Some(true), Some(false)) => Some(false),
            _ => None,
        },
        When::WithUrl(schemes) => {
            let mut maybe = false;
            for a in argv.iter().skip(1) {
                match a.lit() {
                    Some(v) => {
                        let lower = v.to_ascii_lowercase();
                        if schemes.iter().any(|s| lower.contains(s)) {
                            return Some(true);
                        }
                    }
                    None => maybe = true,
                }
            }
            (!maybe).then_some(false)
        }
    }
}

impl Analyzer<'_> {
    /// The credential stores the command's program and the programs it
    /// runs implicitly read without naming them, each judged as a read by
    /// the filesystem guard: refused where the guard refuses it.
    pub(crate) fn check_implicit_stores(
        &mut self,
        argv: &[Arg],
        base: &str,
        implied: &[Implied],
        span: Span,
        possible: bool,
    ) {
        // (program, surely?, why)
        let mut runs: Vec<(&str, bool, &'static str)> = Vec::with_capacity(1 + implied.len());
        runs.push((base, true, "the command's program"));
        for imp in implied {
            if let Some(name) = imp.argv.first().and_then(|a| a.lit()) {
                runs.push((super::rules::basename(name), imp.certain, imp.why));
            }
        }
        let mut judged: Vec<&'static str> = Vec::new();
        for (k, (program, certain, why)) in runs.iter().enumerate() {
            for (name, when, stores) in STORES {
                if name != program {
                    continue;
                }
                // The row's condition is read on the command's own words.
                // Only a sure run and read is judged: a run that depends on
                // the repository's configuration (a remote given by name, a
                // signing setting) or on a computed word is not, since which
                // transport or program that is, the analysis does not read.
                let surely = *certain
                    && if k == 0 {
                        reads(argv, when) == Some(true)
                    } else {
                        true
                    };
                // git's ssh for a remote given by name (or none): judged
                // unless the repository's configuration, read here, shows
                // that no remote of it is reached over ssh.
                let possibly = possible
                    && !surely
                    && k > 0
                    && *program == "ssh"
                    && super::programs::canonical(base) == "git"
                    && self.git_remotes_may_use_ssh(argv);
                // Sure reads are judged in the first pass, possible ones
                // in the second.
                if (possible && !possibly) || (!possible && !surely) {
                    continue;
                }
                for store in *stores {
                    if judged.contains(store) {
                        continue;
                    }
                    judged.push(store);
                    // A store that is not there is not read (a link that
                    // leads nowhere counts as there).
                    if self
                        .fs
                        .host_path_of(store)
                        .is_some_and(|p| std::fs::symlink_metadata(p).is_err())
                    {
                        continue;
                    }
                    let d = self.fs.check(&FileRequest::new(store, FileOperation::Read));
                    if d.is_allowed() {
                        continue;
                    }
                    let verdict = if surely { Verdict::Deny } else { Verdict::Ask };
                    self.finding(
                        verdict,
                        DecisionCode::FileAccessDenied,
                        format!(
                            "{program} reads {store} without naming it ({why}); the filesystem policy refuses that read ({}: {})",
                            d.code,
                            d.reason
                        ),
                        super::judge::span_of(argv, span),
                        argv,
                        d.rule.clone(),
                    );
                    // One finding per program says it.
                    break;
                }
            }
        }
    }
}

impl Analyzer<'_> {
    /// Whether `git …` (fetch, pull, push with a remote given by name or
    /// none) may reach a remote over ssh: the remotes' URLs are in the
    /// repository's configuration, read from the working directory up as
    /// git finds it. Not known — and so possibly — when a global option
    /// picks another repository or configuration, the git directory is a
    /// `.git` file (a worktree, a submodule), a configuration includes
    /// another one or rewrites URLs (`insteadOf`, here or in the user's
    /// configuration), or it cannot be read (`-C DIR` is followed: the
    /// working directory is DIR by then). Without a repository git
    /// fails before it connects.
    fn git_remotes_may_use_ssh(&self, argv: &[Arg]) -> bool {
        // `-C DIR` has already moved the working directory there.
        let scan = super::wrappers::scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        // Options that change neither the repository nor its configuration.
        const SAME_REPOSITORY: &[&str] = &[
            "-C",
            "--no-pager",
            "-P",
            "-p",
            "--paginate",
            "--no-optional-locks",
            "--literal-pathspecs",
            "--glob-pathspecs",
            "--noglob-pathspecs",
            "--icase-pathspecs",
            "--no-advice",
        ];
        if scan
            .opts
            .iter()
            .any(|(o, _, _)| !SAME_REPOSITORY.contains(&o.as_str()))
            || argv[1..scan.first.min(argv.len())]
                .iter()
                .any(|a| a.lit().is_none())
        {
            return true;
        }
        let Some(mut dir) = self
            .resolve(".", false)
            .and_then(|cwd| self.fs.host_path_of(&cwd))
        else {
            return true;
        };
        let config = loop {
            let git = dir.join(".git");
            // A directory without HEAD, objects/ and refs/ is no git
            // directory: git looks further up.
            match std::fs::symlink_metadata(&git) {
                Ok(m)
                    if m.is_dir()
                        && git.join("HEAD").is_file()
                        && git.join("objects").is_dir()
                        && git.join("refs").is_dir() =>
                {
                    break git.join("config")
                }
                Ok(m) if m.is_dir() => {}
                Ok(_) => return true,
                Err(_) => {}
            }
            if !dir.pop() {
                return false;
            }
        };
        let rewrites = |text: &str| {
            let lower = text.to_ascii_lowercase();
            lower.contains("insteadof") || lower.contains("[include")
        };
        for user in ["~/.gitconfig", "~/.config/git/config"] {
            let Some(p) = self.fs.host_path_of(user) else {
                return true;
            };
            match std::fs::read_to_string(&p) {
                Ok(text) if rewrites(&text) => return true,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(_) => return true,
            }
        }
        // No configuration: no remote has a URL (a name is then a path).
        let text = match std::fs::read_to_string(&config) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
            Err(_) => return true,
        };
        if rewrites(&text) {
            return true;
        }
        text.lines().any(|line| {
            let line = line.trim();
            let Some((key, value)) = line.split_once('=') else {
                return false;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim().trim_matches('"');
            matches!(key.as_str(), "url" | "pushurl") && super::implied::url_may_use_ssh(value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::option_harness::*;
    use super::super::*;

    /// The verdict of `cmd` under a blacklist with no rule, in a fixture
    /// whose home holds the stores `present` (relative to the home).
    fn with_stores(present: &[&str], cmd: &str) -> (&'static str, &'static str) {
        let f = fixture_with(|_, home| {
            for p in present {
                let path = home.join(p);
                if p.ends_with('/') {
                    std::fs::create_dir_all(&path).unwrap();
                } else {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, "secret\n").unwrap();
                }
            }
        });
        let a = guard(CommandMode::Blacklist, &[]).analyze(cmd, &f.fs);
        (a.verdict, a.code)
    }

    /// git with a remote given by name: the repository's configuration
    /// says whether it is reached over ssh (whose key reads the policy
    /// refuses in the fixture).
    #[test]
    fn named_remotes_are_read_from_the_repository_configuration() {
        let decide = |config: Option<&str>, user: Option<&str>, cmd: &str| {
            let f = fixture_with(|ws, home| {
                if let Some(c) = config {
                    std::fs::create_dir_all(ws.join(".git/objects")).unwrap();
                    std::fs::create_dir_all(ws.join(".git/refs")).unwrap();
                    std::fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
                    std::fs::write(ws.join(".git/config"), c).unwrap();
                }
                if let Some(u) = user {
                    std::fs::write(home.join(".gitconfig"), u).unwrap();
                }
            });
            let a = guard(CommandMode::Blacklist, &[]).analyze(cmd, &f.fs);
            (a.verdict, a.code)
        };
        let ssh = "[remote \"origin\"]\n\turl = git@github.com:x/y.git\n";
        let https = "[remote \"origin\"]\n\turl = https://github.com/x/y.git\n";
        let asked = ("ask", "FILE_ACCESS_DENIED");
        for cmd in ["git push origin main", "git fetch origin", "git pull"] {
            assert_eq!(decide(Some(ssh), None, cmd), asked, "{cmd}");
            assert_eq!(decide(Some(https), None, cmd).0, "allow", "{cmd}");
        }
        // A push URL of its own, a rewrite here or in the user's
        // configuration, an include: not known from the remote's url.
        let push = "[remote \"origin\"]\n\turl = https://h/x\n\tpushurl = ssh://h/x\n";
        assert_eq!(decide(Some(push), None, "git push"), asked);
        let rewrite = "[url \"git@github.com:\"]\n\tinsteadOf = https://github.com/\n";
        assert_eq!(decide(Some(https), Some(rewrite), "git fetch"), asked);
        let include = "[include]\n\tpath = other\n[remote \"o\"]\n\turl = https://h/x\n";
        assert_eq!(decide(Some(include), None, "git fetch"), asked);
        // Another repository or configuration chosen on the command line;
        // `-C DIR` is followed (no repository in the fixture's `sub` but
        // the workspace's).
        assert_eq!(decide(Some(https), None, "git --git-dir=.git fetch"), asked);
        assert_eq!(decide(Some(ssh), None, "git -C sub fetch"), asked);
        assert_eq!(decide(Some(ssh), None, "git --no-pager fetch"), asked);
        assert_eq!(decide(Some(https), None, "git --no-pager fetch").0, "allow");
        assert_eq!(decide(Some(https), None, "git -C sub fetch").0, "allow");
        // No repository: git fails before it connects.
        assert_eq!(decide(None, None, "git fetch origin").0, "allow");
    }

    #[test]
    fn programs_reading_blocked_stores_implicitly_are_refused() {
        let refused = ("deny", "FILE_ACCESS_DENIED");
        // ~/.ssh (the fixture's key) and ~/.gnupg are blocked.
        for cmd in [
            "ssh host true",
            "ssh -G host",
            "scp a.txt host:x",
            "sftp host",
            "rsync -a src/ host:x",
            "rsync -a 'u@[::1]:x' .",
            "git fetch git@github.com:x/y",
            "git clone ssh://h/x.git",
            "git push host:x main",
            "curl -sS sftp://h/x",
            "curl scp://h/x -o build/x",
            "env ssh host",
        ] {
            assert_eq!(with_stores(&[], cmd), refused, "{cmd}");
        }
        for cmd in [
            "git verify-commit HEAD",
            "git log --show-signature -1",
            "git tag -v v1",
            "git commit -S -m x",
            "gpg --list-keys",
        ] {
            assert_eq!(with_stores(&[".gnupg/"], cmd), refused, "{cmd}");
        }
        // ~/.netrc is protected: read with -n (or by wget's default).
        for cmd in [
            "curl -n https://x.test",
            "curl -sSn https://x.test",
            "curl --netrc-optional https://x.test",
            "curl --netr https://x.test",
            "wget https://x.test/f",
            "wget --no-netrc -e netrc=on https://x.test/f",
            "wget --no-netrc --config=a.txt https://x.test/f",
        ] {
            assert_eq!(with_stores(&[".netrc"], cmd), refused, "{cmd}");
        }
    }

    #[test]
    fn stores_not_read_or_not_there_are_not_judged() {
        for (present, cmd) in [
            (&[".netrc"][..], "curl https://x.test"),
            (&[".netrc"][..], "wget --no-netrc https://x.test/f"),
            (&[".netrc"][..], "wget --no-netrc -nv https://x.test/f"),
            (&[][..], "wget https://x.test/f"),
            (&[][..], "curl -n https://x.test"),
            (&[][..], "git verify-commit HEAD"),
            (&[".gnupg/"][..], "git commit -m x"),
            (&[][..], "git fetch https://github.com/x/y"),
            (&[][..], "rsync -a src/ sub/"),
            (&[][..], "rsync -a h::mod ."),
        ] {
            assert_eq!(with_stores(present, cmd).0, "allow", "{cmd}");
        }
    }
}
