//! Programs a command runs without naming them: `scp` and `sftp` run `ssh`,
//! `rsync host:path` runs its remote shell (`ssh`, or the `-e` command), git
//! runs `ssh` for `ssh://`, `git+ssh://` and `host:path` remotes. A blocked
//! rule naming that program applies to the command as if it ran it
//! (docs/commands.md, "Programs run implicitly").
//!
//! git also runs its signing program (`gpg`, or `ssh-keygen`/`gpgsm` by
//! `gpg.format`) to sign or verify commits, tags and pushes.
//!
//! Only programs that are executed count: git's https transport uses the
//! curl library, not the `curl` program, so a blocked `curl` does not block
//! `git fetch https://…`.

use super::dangers::GIT_GLOBAL_WITH_ARG;
use super::minilang::ssh_with_arg;
use super::normalize::Arg;
use super::options::{scan, Item, Opt, Syntax, Value};
use super::wrappers::scan_options;

/// A program the command will (or may) run.
pub(crate) struct Implied {
    /// Its argv as far as the command shows it: the program and the host.
    pub argv: Vec<Arg>,
    /// `false` when it runs only for some values the analysis cannot see (a
    /// remote named in the repository configuration, a computed operand).
    pub certain: bool,
    /// Why the command runs it, for the message.
    pub why: &'static str,
}

/// How a git remote is reached.
#[derive(Debug, PartialEq, Eq)]
enum Transport {
    /// ssh runs: `ssh://`, `git+ssh://`, `host:path`.
    Ssh,
    /// No program of the policy's kind runs: https, git://, a local path.
    Other,
    /// Not known from the command: a remote name (configuration), a
    /// computed word, a remote helper (`x::…`, an unknown `scheme://`).
    Unknown,
}

/// The programs `argv` (a command whose basename is `base`) runs implicitly.
pub(crate) fn implied_programs(argv: &[Arg], base: &str) -> Vec<Implied> {
    match base {
        "scp" => scp(argv),
        "sftp" => sftp(argv),
        "rsync" => rsync(argv),
        "git" => {
            let mut out = git(argv);
            out.extend(git_signing(argv));
            out.extend(git_editor(argv));
            out.extend(git_viewers(argv));
            out
        }
        "watch" | "flock" | "script" | "chronic" | "xvfb-run" | "torsocks" | "fakeroot"
        | "unbuffer" => wrapper_interpreters(argv, base),
        _ if python_module(argv, base).is_some() => {
            let Some((at, module)) = python_module(argv, base) else {
                return Vec::new();
            };
            let inner: Vec<Arg> = std::iter::once(Arg::literal(&module, argv[at].span))
                .chain(argv[at + 1..].iter().cloned())
                .collect();
            // What the module's program runs in turn (pip's ssh).
            let mut out = implied_programs(&inner, &module);
            out.insert(
                0,
                Implied {
                    argv: inner,
                    certain: true,
                    why: PYTHON_MODULE,
                },
            );
            out
        }
        _ if PACKAGE_TOOLS.contains(&super::programs::canonical(base).as_str()) => {
            let mut out = package_specs(argv);
            let canon = super::programs::canonical(base);
            for spec in super::pkg_models::node_hosted_specs(argv, &canon) {
                if !out.iter().any(|i| {
                    i.argv
                        .get(1)
                        .is_some_and(|h| h.is(spec.lit().unwrap_or_default()))
                }) {
                    let at = spec.clone();
                    out.push(ssh_to(spec, true, "a hosted git dependency, which npm, pnpm and yarn clone over ssh when https fails", &at));
                }
            }
            if canon == "cargo" {
                out.extend(cargo_help(argv));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Why `python -m MODULE` runs the module's program.
pub(crate) const PYTHON_MODULE: &str = "python -m runs the module as that program";

/// Modules a rule for the interpreter covers: those that run the
/// project's own code (its tests), as `python3 FILE.py` does, and the
/// standard library's `venv` (a directory written, pip installed into it
/// from the interpreter's bundled wheel, nothing fetched) and
/// `json.tool`. Any other module is a program of its own (`pip`, a
/// server, a formatter) and needs a rule that names it.
pub(crate) const INTERPRETER_MODULES: &[&str] = &["pytest", "unittest", "venv", "json.tool"];

/// The module `python -m MODULE` runs, with the index of the word that
/// holds it (`-mpip` or the word after `-m`), read through the options
/// before it (`-u`, `-W arg`, `-X opt`, clusters); `None` for a script, `-c`
/// or a computed word.
pub(crate) fn python_module(argv: &[Arg], base: &str) -> Option<(usize, String)> {
    if !matches!(super::programs::canonical(base).as_str(), "python" | "pypy") {
        return None;
    }
    let mut i = 1;
    while let Some(w) = argv.get(i).and_then(|a| a.lit()) {
        if w == "-" || !w.starts_with('-') || w == "--" {
            return None;
        }
        if w == "--check-hash-based-pycs" {
            i += 2;
            continue;
        }
        if w.starts_with("--") {
            i += 1;
            continue;
        }
        for (k, c) in w[1..].char_indices() {
            let rest = &w[1 + k + c.len_utf8()..];
            match c {
                'c' => return None,
                'm' if rest.is_empty() => {
                    return argv
                        .get(i + 1)
                        .and_then(|a| a.lit())
                        .map(|m| (i + 1, m.to_string()))
                }
                'm' => return Some((i, rest.to_string())),
                'W' | 'X' => {
                    if rest.is_empty() {
                        i += 1;
                    }
                    break;
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// cargo's own subcommands (and built-in aliases), whose manual pages
/// `cargo help` shows.
const CARGO_SUBCOMMANDS: &[&str] = &[
    "add",
    "b",
    "bench",
    "build",
    "c",
    "check",
    "clean",
    "config",
    "d",
    "doc",
    "fetch",
    "fix",
    "generate-lockfile",
    "git-checkout",
    "help",
    "info",
    "init",
    "install",
    "locate-project",
    "login",
    "logout",
    "metadata",
    "new",
    "owner",
    "package",
    "pkgid",
    "publish",
    "r",
    "read-manifest",
    "remove",
    "report",
    "rm",
    "run",
    "rustc",
    "rustdoc",
    "search",
    "t",
    "test",
    "tree",
    "uninstall",
    "update",
    "vendor",
    "verify-project",
    "version",
    "yank",
];

/// `cargo help SUBCOMMAND`: cargo writes the subcommand's manual page to a
/// temporary file and runs `man` on it (`less` when man fails), also
/// without a terminal; for a name that is not one of its own it runs the
/// external `cargo-NAME --help`. `cargo help` alone and `cargo CMD --help`
/// print text.
fn cargo_help(argv: &[Arg]) -> Vec<Implied> {
    // Global options whose value is the next word.
    const WITH_ARG: &[&str] = &["--color", "--config", "-Z", "-C", "--explain"];
    let mut words = argv.iter().skip(1).peekable();
    // `cargo +TOOLCHAIN …` (rustup's proxy).
    if words
        .peek()
        .is_some_and(|a| a.lit().is_some_and(|v| v.starts_with('+')))
    {
        words.next();
    }
    let mut operands: Vec<&Arg> = Vec::new();
    while let Some(a) = words.next() {
        match a.lit() {
            Some("--") => {
                operands.extend(words.by_ref());
                break;
            }
            Some(v) if v.starts_with('-') => {
                if WITH_ARG.contains(&v) {
                    words.next();
                }
            }
            _ => operands.push(a),
        }
        if operands.len() >= 2 {
            break;
        }
    }
    let (Some(sub), Some(page)) = (operands.first(), operands.get(1)) else {
        return Vec::new();
    };
    if !sub.is("help") {
        return Vec::new();
    }
    let why = "cargo help shows the subcommand's manual page with man (less when man fails), or runs the external cargo-NAME --help";
    let at = &argv[0];
    let one = |name: &str, certain: bool| Implied {
        argv: vec![Arg::literal(name, at.span)],
        certain,
        why,
    };
    match page.lit() {
        Some(p) if CARGO_SUBCOMMANDS.contains(&p) => vec![one("man", true), one("less", false)],
        Some(p) => vec![
            one(&format!("cargo-{p}"), false),
            one("man", false),
            one("less", false),
        ],
        None => vec![one("man", false), one("less", false)],
    }
}

/// Package managers and build tools that fetch a dependency named by a git
/// URL with the git program, which runs ssh for an ssh URL.
const PACKAGE_TOOLS: &[&str] = &[
    "npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg", "bun", "bunx", "pip", "pip3", "pipx", "uv",
    "uvx", "poetry", "pdm", "pipenv", "cargo", "go", "gem", "bundle", "composer",
];

/// Whether a package spec is fetched over ssh: `git+ssh://`, `ssh://`,
/// or scp-like `user@host.domain:path` (npm reads it as git over ssh).
pub(crate) fn ssh_spec(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let spec = lower.split_once('=').map_or(lower.as_str(), |(n, rest)| {
        // `--git=URL`, `name@git+ssh://…`: the URL after the name.
        if n.starts_with('-') {
            rest
        } else {
            lower.as_str()
        }
    });
    if ["ssh://", "git+ssh://", "ssh+git://"]
        .iter()
        .any(|s| spec.contains(s))
    {
        return true;
    }
    if spec.contains("://") {
        return false;
    }
    // `git@github.com:x/y`, not `alias@npm:pkg` (no domain).
    match (spec.find('@'), spec.find(':')) {
        (Some(at), Some(c)) if at > 0 && at < c => {
            let host = &spec[at + 1..c];
            !spec[..c].contains('/') && (host.contains('.') || host == "localhost")
        }
        _ => false,
    }
}

/// ssh for each package spec fetched over ssh.
fn package_specs(argv: &[Arg]) -> Vec<Implied> {
    argv.iter()
        .skip(1)
        .take_while(|a| !a.is("--"))
        .filter_map(|a| {
            let v = a.lit()?;
            ssh_spec(v).then(|| {
                ssh_to(
                    Arg::literal(v, a.span),
                    true,
                    "a dependency fetched with git over ssh",
                    a,
                )
            })
        })
        .collect()
}

/// Wrappers that start an interpreter of their own to run what they are
/// given: `watch CMD` and `flock … -c CMD` hand it to `sh -c`, `script`
/// runs `$SHELL` (`sh` when unset); `chronic` is a Perl script, `xvfb-run`,
/// `torsocks` and `fakeroot` are sh scripts that start helpers (`Xvfb`,
/// `xauth`, `faked`), `unbuffer` is a Tcl (expect) script.
fn wrapper_interpreters(argv: &[Arg], base: &str) -> Vec<Implied> {
    let at = &argv[0];
    let run = |name: &str, certain: bool, why: &'static str| Implied {
        argv: vec![Arg::literal(name, at.span)],
        certain,
        why,
    };
    let script = matches!(
        super::wrappers::unwrap(argv),
        super::wrappers::Unwrap::Scripts { .. }
    );
    match base {
        "watch" if script => vec![run(
            "sh",
            true,
            "watch hands its command to `sh -c` (without -x)",
        )],
        "flock" if script => vec![run("sh", true, "flock -c hands its command to `sh -c`")],
        "script" => vec![
            run(
                "sh",
                true,
                "script runs its command (or a session) with $SHELL, `sh` when unset",
            ),
            run(
                "bash",
                false,
                "script runs its command (or a session) with $SHELL, which may be bash",
            ),
        ],
        "chronic" => vec![run("perl", true, "chronic is a Perl script")],
        "xvfb-run" => vec![
            run("sh", true, "xvfb-run is a sh script"),
            run("Xvfb", true, "xvfb-run starts the X server Xvfb"),
            run("xauth", true, "xvfb-run adds a cookie with xauth"),
        ],
        "torsocks" => vec![run("sh", true, "torsocks is a sh script")],
        "fakeroot" => vec![
            run("sh", true, "fakeroot is a sh script"),
            run("faked", true, "fakeroot starts the daemon faked"),
        ],
        "unbuffer" => vec![run("tclsh", true, "unbuffer is a Tcl (expect) script")],
        _ => Vec::new(),
    }
}

fn ssh_to(host: Arg, certain: bool, why: &'static str, at: &Arg) -> Implied {
    Implied {
        argv: vec![Arg::literal("ssh", at.span), host],
        certain,
        why,
    }
}

/// A word standing for a value the command does not show.
fn unknown(text: &str, at: &Arg) -> Arg {
    Arg {
        value: None,
        text: text.to_string(),
        span: at.span,
        ..Arg::default()
    }
}

/// `[user@]host` of a `[user@]host:path` operand (scp, rsync).
fn host_of(v: &str, at: &Arg) -> Arg {
    let host = v.split(':').next().unwrap_or(v);
    Arg::literal(host, at.span)
}

/// The remote program of `-S PROGRAM` (scp, sftp) or `-e CMD` (rsync).
fn program_of(value: &Arg, host: Arg, why: &'static str) -> Implied {
    let mut argv: Vec<Arg> = match value.lit() {
        Some(v) => v
            .split_whitespace()
            .map(|w| Arg::literal(w, value.span))
            .collect(),
        None => vec![value.clone()],
    };
    if argv.is_empty() {
        argv.push(Arg::literal("ssh", value.span));
    }
    argv.push(host);
    Implied {
        argv,
        certain: true,
        why,
    }
}

/// The remote shell run for one remote operand: `program` (`-S`, `-e`)
/// or ssh; `why` says so for each.
fn remote_run(
    program: Option<&Arg>,
    host: Arg,
    certain: bool,
    why: [&'static str; 2],
    at: &Arg,
) -> Implied {
    match program {
        Some(p) => Implied {
            certain,
            ..program_of(p, host, why[0])
        },
        None => ssh_to(host, certain, why[1], at),
    }
}

/// scp runs ssh (or its `-S` program) for every remote operand; a computed
/// operand may be remote.
fn scp(argv: &[Arg]) -> Vec<Implied> {
    let scan = scan_options(argv, 1, ssh_with_arg("scp"));
    let program = scan.value(argv, &["-S"]);
    let mut out = Vec::new();
    for a in argv.iter().skip(scan.first) {
        let (host, certain) = match a.lit() {
            Some(v) => match scp_remote(v) {
                Some(h) => (Arg::literal(&h, a.span), true),
                None => continue,
            },
            None => (unknown(&a.text, a), false),
        };
        out.push(remote_run(
            program.as_ref(),
            host,
            certain,
            [
                "scp -S runs this program for the transfer",
                "scp runs ssh for the transfer",
            ],
            &argv[0],
        ));
    }
    out
}

/// sftp always connects through ssh (or its `-S` program).
fn sftp(argv: &[Arg]) -> Vec<Implied> {
    let scan = scan_options(argv, 1, ssh_with_arg("sftp"));
    let host = match argv.get(scan.first) {
        Some(a) => match a.lit() {
            Some(v) => host_of(v.trim_start_matches("sftp://"), a),
            None => unknown(&a.text, a),
        },
        None => unknown("(host)", &argv[0]),
    };
    match scan.value(argv, &["-S"]) {
        Some(p) => vec![program_of(
            &p,
            host,
            "sftp -S runs this program for the connection",
        )],
        None => vec![ssh_to(
            host,
            true,
            "sftp runs ssh for the connection",
            &argv[0],
        )],
    }
}

/// rsync runs its remote shell (`-e`/`--rsh`, default ssh) for a
/// `host:path` operand; `host::module` and `rsync://` use the rsync daemon
/// over TCP unless `-e` is given.
fn rsync(argv: &[Arg]) -> Vec<Implied> {
    let with_arg = super::minilang::RSYNC_WITH_ARG;
    let mut rsh: Option<Arg> = None;
    let mut operands = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let scan = scan_options(argv, i, with_arg);
        if let Some(v) = scan.value(argv, &["-e", "--rsh"]) {
            rsh = Some(v);
        }
        if scan.first >= argv.len() {
            break;
        }
        if scan.first > i && argv[scan.first - 1].is("--") {
            operands.extend(scan.first..argv.len());
            break;
        }
        operands.push(scan.first);
        i = scan.first + 1;
    }
    let mut out = Vec::new();
    for k in operands {
        let a = &argv[k];
        let (host, certain) = match a.lit() {
            Some(v) => match rsync_remote(v) {
                RsyncSpec::Local => continue,
                // The daemon is reached over TCP, unless `-e` is given.
                RsyncSpec::Daemon(_) if rsh.is_none() => continue,
                RsyncSpec::Daemon(h) | RsyncSpec::Shell(h) => (Arg::literal(&h, a.span), true),
            },
            None => (unknown(&a.text, a), false),
        };
        out.push(remote_run(
            rsh.as_ref(),
            host,
            certain,
            [
                "rsync -e runs this remote shell for the transfer",
                "rsync runs ssh for a host:path operand",
            ],
            &argv[0],
        ));
    }
    out
}

/// What an rsync operand names, parsed as rsync parses it
/// (`check_for_hostspec`): `rsync://[USER@]HOST[:PORT]/…` and
/// `[USER@]HOST::MODULE` are the daemon; `[USER@]HOST:PATH` runs the remote
/// shell; HOST may be a bracketed IPv6 address (`u@[::1]:x`). A `/` before
/// the colon makes it a local path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RsyncSpec {
    Local,
    Shell(String),
    Daemon(String),
}

pub(crate) fn rsync_remote(v: &str) -> RsyncSpec {
    if let Some(rest) = strip_prefix_ci(v, "rsync://") {
        let end = rest.find('/').unwrap_or(rest.len());
        return RsyncSpec::Daemon(rest[..end].to_string());
    }
    match user_host(v) {
        Some((host, after)) if after.starts_with("::") => RsyncSpec::Daemon(host),
        Some((host, after)) if after.starts_with(':') => RsyncSpec::Shell(host),
        _ => RsyncSpec::Local,
    }
}

/// The `[USER@]HOST` of an scp operand, as scp's `colon()` finds it: a
/// leading colon is part of a file name, a `/` before the colon makes a
/// local path, a bracketed host (`[::1]:x`, `u@[fe80::1]:x`) ends at `]:`;
/// `scp://[USER@]HOST[:PORT][/PATH]` is a remote too.
pub(crate) fn scp_remote(v: &str) -> Option<String> {
    if let Some(rest) = strip_prefix_ci(v, "scp://") {
        let end = rest.find('/').unwrap_or(rest.len());
        let hostport = &rest[..end];
        // `[v6]:port` or `host:port`.
        let host = match hostport.rfind(']') {
            Some(i) => &hostport[..=i],
            None => hostport.split(':').next().unwrap_or(hostport),
        };
        return Some(host.replace(['[', ']'], ""));
    }
    match user_host(v) {
        Some((host, after)) if after.starts_with(':') => Some(host),
        _ => None,
    }
}

/// `[USER@]HOST` at the start of `v` and the rest from the colon that ends
/// it; `None` when `v` is a local path (no colon, a leading colon, a `/`
/// before it, or a bracket that is not a whole `[ADDR]`).
fn user_host(v: &str) -> Option<(String, &str)> {
    if v.starts_with(':') {
        return None;
    }
    let b = v.as_bytes();
    let mut host_start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' => return None,
            b':' => {
                let host = v[..i].replace(['[', ']'], "");
                return Some((host, &v[i..]));
            }
            b'@' => host_start = i + 1,
            b'[' if i == host_start => {
                let close = v[i..].find(']')? + i;
                if v[i..close].contains('/') || close == i + 1 {
                    return None;
                }
                // `]` must end the host.
                if b.get(close + 1) != Some(&b':') {
                    return None;
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn strip_prefix_ci<'a>(v: &'a str, prefix: &str) -> Option<&'a str> {
    v.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &v[prefix.len()..])
}

/// How git reaches `url`. `local_names`: a word without `:` is a local
/// repository path (`git clone DIR`), not a remote name.
/// Whether git may reach the remote URL `v` (from a configuration) over
/// ssh or a program: anything but https, git://, file and local paths.
pub(crate) fn url_may_use_ssh(v: &str) -> bool {
    transport(&Arg::literal(v, super::Span::default()), true) != Transport::Other
}

fn transport(url: &Arg, local_names: bool) -> Transport {
    let Some(v) = url.lit() else {
        return Transport::Unknown;
    };
    let lower = v.to_ascii_lowercase();
    if ["ssh://", "git+ssh://", "ssh+git://"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Transport::Ssh;
    }
    if [
        "https://", "http://", "git://", "file://", "ftp://", "ftps://",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
    {
        return Transport::Other;
    }
    // `x::addr` and other `scheme://` run a remote helper program.
    if v.contains("::") || v.contains("://") {
        return Transport::Unknown;
    }
    if v.starts_with('/') || v.starts_with('.') || v.starts_with('~') {
        return Transport::Other;
    }
    match v.find(':') {
        Some(c) if !v[..c].contains('/') => Transport::Ssh,
        Some(_) => Transport::Other,
        None if local_names || v.contains('/') => Transport::Other,
        None => Transport::Unknown,
    }
}

/// Options of the git network subcommands that take a value in the next
/// word; any other option is taken as a flag (a value option missing here
/// makes its value the remote: an unknown transport, which asks).
pub(crate) const GIT_NET_WITH_ARG: &[&str] = &[
    "-b",
    "--branch",
    "-o",
    "--origin",
    "--depth",
    "--deepen",
    "--reference",
    "--reference-if-able",
    "-j",
    "--jobs",
    "--filter",
    "--shallow-since",
    "--shallow-exclude",
    "--separate-git-dir",
    "--server-option",
    "--push-option",
    "--refmap",
    "--negotiation-tip",
    "--recurse-submodules-default",
    "--repo",
    "-u",
    "--upload-pack",
    "--receive-pack",
    "--exec",
    "-c",
    "--config",
    "--template",
    "--bundle-uri",
    "-s",
    "--strategy",
    "-X",
    "--strategy-option",
    // ls-remote, clone (newer git) and archive options with a value.
    "--sort",
    "--ref-format",
    "--revision",
    "--object-format",
    "--remote",
    "--format",
    "--prefix",
    "--add-file",
    "--add-virtual-file",
    "--mtime",
    "--output",
];

/// git runs ssh for an ssh remote; a remote given by name (or no remote at
/// all) is configuration the command does not show: it may.
fn git(argv: &[Arg]) -> Vec<Implied> {
    let scan = scan_options(argv, 1, GIT_GLOBAL_WITH_ARG);
    let Some(sub_arg) = argv.get(scan.first) else {
        return Vec::new();
    };
    let Some(sub) = sub_arg.lit() else {
        // A computed subcommand may be any of them.
        return vec![git_ssh(Transport::Unknown, sub_arg, argv)];
    };
    let rest = scan_options(argv, scan.first + 1, GIT_NET_WITH_ARG);
    let first = argv.get(rest.first);
    let t = match sub {
        "clone" => {
            let Some(url) = first else { return Vec::new() };
            match transport(url, true) {
                Transport::Other if rest.has(&["--recurse-submodules", "--recursive"]) => {
                    Transport::Unknown
                }
                t => t,
            }
        }
        "fetch" | "pull" | "push" | "ls-remote" => match first {
            _ if rest.has(&["--all", "--multiple", "--repo"]) => Transport::Unknown,
            Some(url) => match transport(url, false) {
                Transport::Other if rest.has(&["--recurse-submodules"]) => Transport::Unknown,
                t => t,
            },
            None => Transport::Unknown,
        },
        "remote" => match first.and_then(|a| a.lit()) {
            Some("update" | "prune" | "show") => Transport::Unknown,
            Some("set-head") if rest.first + 1 < argv.len() => Transport::Unknown,
            Some("add")
                if argv[rest.first..]
                    .iter()
                    .any(|a| a.is("-f") || a.is("--fetch")) =>
            {
                match argv.last() {
                    Some(url) => transport(url, false),
                    None => Transport::Unknown,
                }
            }
            _ => return Vec::new(),
        },
        "submodule" => match argv[rest.first..].iter().find_map(|a| a.lit()) {
            Some("update" | "add" | "sync") => Transport::Unknown,
            _ => return Vec::new(),
        },
        "archive" => match rest.value(argv, &["--remote"]) {
            Some(url) => transport(&url, false),
            None => return Vec::new(),
        },
        "fetch-pack" | "send-pack" | "request-pull" => Transport::Unknown,
        _ => return Vec::new(),
    };
    match t {
        Transport::Other => Vec::new(),
        t => vec![git_ssh(t, first.unwrap_or(sub_arg), argv)],
    }
}

fn git_ssh(t: Transport, remote: &Arg, argv: &[Arg]) -> Implied {
    let certain = t == Transport::Ssh;
    let host = match remote.lit() {
        Some(v) if certain => {
            let v = v
                .split_once("://")
                .map_or(v, |(_, rest)| rest.split('/').next().unwrap_or(rest));
            host_of(v, remote)
        }
        _ => unknown("(the remote's host)", remote),
    };
    let why = if certain {
        "git runs ssh for this remote"
    } else {
        "git may run ssh: the remote's address is in the repository configuration or computed"
    };
    ssh_to(host, certain, why, &argv[0])
}

/// A boolean of git's configuration: `None` when not a literal git reads
/// as a boolean (computed, or a word like `if-asked`).
fn git_bool(v: Option<&str>) -> Option<bool> {
    match v?.to_ascii_lowercase().as_str() {
        "" | "true" | "yes" | "on" | "1" => Some(true),
        "false" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// Subcommands that make commits and sign them with `-S`/`--gpg-sign` or
/// `commit.gpgSign`, with their short options that take a value (attached
/// or the next word) and those that take one only attached.
const GIT_SIGNING: &[(&str, &str, &str)] = &[
    ("commit", "mFCct", "Su"),
    ("commit-tree", "mFp", "S"),
    ("merge", "mFsX", "S"),
    ("pull", "sXj", "S"),
    ("rebase", "sXxC", "S"),
    ("cherry-pick", "mX", "S"),
    ("revert", "mX", "S"),
    ("am", "", "SCp"),
];

/// Long options of those subcommands that take a value in the next word.
const GIT_SIGNING_LONG: &[&str] = &[
    "message",
    "file",
    "reuse-message",
    "reedit-message",
    "template",
    "author",
    "date",
    "fixup",
    "squash",
    "cleanup",
    "trailer",
    "pathspec-from-file",
    "local-user",
    "strategy",
    "strategy-option",
    "exec",
    "onto",
    "mainline",
];

/// How a git subcommand's options are read here: clustered short options
/// (`short` taking a value, `optional` only attached), and the long options
/// of [`GIT_SIGNING_LONG`] that take one.
fn git_sub_syntax(short: &'static str, optional: &'static str) -> Syntax<'static> {
    Syntax {
        short,
        optional,
        clusters: true,
        long_words: true,
        long: GIT_SIGNING_LONG,
        long_flags: &[],
        single_dash: false,
        abbreviates: false,
        plus: None,
    }
}

/// The signing program git runs for the command, when it runs one: `-S`,
/// `--gpg-sign`, `tag -s/-u`, `push --signed`, `-c commit.gpgSign=true`
/// (and `tag.gpgSign`, `push.gpgSign`), and verification (`verify-commit`,
/// `tag -v`, `--show-signature`, `--verify-signatures`). Which program is
/// `gpg.format`'s: given on the command line it is known; otherwise gpg is
/// the default and `ssh-keygen` or `gpgsm` may run instead (a repository
/// can set the format).
fn git_signing(argv: &[Arg]) -> Vec<Implied> {
    let global = scan_options(argv, 1, GIT_GLOBAL_WITH_ARG);
    // `-c key[=value]` in order; a computed one may set anything.
    let mut config: Vec<(String, Option<String>)> = Vec::new();
    let mut computed_config = false;
    for (opt, idx, inline) in &global.opts {
        let text = match (idx, inline) {
            (Some(i), _) => argv.get(*i).map(|a| a.lit()),
            (None, Some(v)) => Some(Some(v.as_str())),
            _ => None,
        };
        match (opt.as_str(), text) {
            ("-c", Some(Some(kv))) => {
                let (k, v) = match kv.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (kv, None),
                };
                config.push((k.to_ascii_lowercase(), v));
            }
            ("-c", Some(None)) => computed_config = true,
            ("--config-env", _) => computed_config = true,
            _ => {}
        }
    }
    let setting = |key: &str| -> Option<Option<bool>> {
        config
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| git_bool(Some(v.as_deref().unwrap_or(""))))
    };
    let Some(sub_arg) = argv.get(global.first) else {
        return Vec::new();
    };
    let Some(sub) = sub_arg.lit() else {
        return Vec::new();
    };
    let words = &argv[global.first..];
    let table = GIT_SIGNING.iter().find(|(n, _, _)| *n == sub);
    let (short, optional) = match (sub, table) {
        (_, Some((_, s, o))) => (*s, *o),
        ("tag", _) => ("mFu", ""),
        ("push", _) => ("o", ""),
        _ => ("", ""),
    };
    let syntax = git_sub_syntax(short, optional);
    // The last of `-S`/`--no-gpg-sign` (and the like) decides.
    let mut flag: Option<bool> = None;
    let mut verify = false;
    let mut maybe_verify = false;
    let mut computed = false;
    let mut listing = false;
    for item in scan(words, &syntax) {
        let (opt, value) = match item {
            Item::Option { opt, value, .. } => (opt, value),
            Item::Computed(a) => {
                // `--format=%G?` is a glob word (no file matches it).
                if matches!(sub, "log" | "show" | "whatchanged" | "rev-list")
                    && a.pattern.as_deref().is_some_and(|p| {
                        (p.starts_with("--format=") || p.starts_with("--pretty="))
                            && p.contains("%G")
                    })
                {
                    verify = true;
                } else if matches!(sub, "log" | "show" | "whatchanged" | "rev-list")
                    && computed_format(a)
                    && !words
                        .iter()
                        .take_while(|w| !std::ptr::eq(*w, a))
                        .any(|w| w.is("--"))
                {
                    // A computed format (`--pretty="$(cat f)"`), or a
                    // computed word that may be one, may hold `%G?`.
                    maybe_verify = true;
                }
                computed = true;
                continue;
            }
            Item::Operand(_) => continue,
        };
        let long = match &opt {
            Opt::Other(n) => n.strip_prefix("--"),
            Opt::Long(n) => Some(*n),
            _ => None,
        };
        let signing = table.is_some();
        match (sub, long, &opt) {
            (_, Some("show-signature" | "verify-signatures"), _) => verify = true,
            (_, Some("no-show-signature" | "no-verify-signatures"), _) => verify = false,
            // The signature placeholders (`%G?`, `%GK`, `%GS`, …) verify.
            ("log" | "show" | "whatchanged" | "rev-list", Some("format" | "pretty"), _) if matches!(value, Some(Value::Attached(v)) if v.contains("%G")) => {
                verify = true
            }
            (_, Some("gpg-sign"), _) if signing => flag = Some(true),
            (_, Some("no-gpg-sign"), _) if signing => flag = Some(false),
            (_, None, Opt::Short('S')) if signing => flag = Some(true),
            ("tag", Some("sign" | "local-user"), _) | ("tag", None, Opt::Short('s' | 'u')) => {
                flag = Some(true)
            }
            ("tag", Some("no-sign"), _) => flag = Some(false),
            ("tag", Some("verify"), _) | ("tag", None, Opt::Short('v')) => verify = true,
            ("tag", Some("list" | "delete"), _) | ("tag", None, Opt::Short('l' | 'd')) => {
                listing = true
            }
            ("push", Some("signed"), _) => {
                flag = Some(match value {
                    Some(Value::Attached(v)) => git_bool(Some(v)) != Some(false),
                    _ => true,
                })
            }
            ("push", Some("no-signed"), _) => flag = Some(false),
            _ => {}
        }
    }
    // Some(true): signs or verifies; Some(false): may (a setting it does
    // not show, a computed value).
    let mut signs: Option<bool> = None;
    let note = |signs: &mut Option<bool>, certain: bool| {
        *signs = Some(signs.unwrap_or(false) || certain);
    };
    if verify || matches!(sub, "verify-commit" | "verify-tag") {
        note(&mut signs, true);
    } else if maybe_verify {
        note(&mut signs, false);
    }
    if matches!(sub, "log" | "show" | "whatchanged")
        && !words.iter().any(|w| w.is("--no-show-signature"))
    {
        match setting("log.showsignature") {
            Some(Some(false)) | None => {}
            Some(Some(true)) => note(&mut signs, true),
            Some(None) => note(&mut signs, false),
        }
    }
    let key = match sub {
        "tag" if !listing => Some("tag.gpgsign"),
        "push" => Some("push.gpgsign"),
        _ if table.is_some() => Some("commit.gpgsign"),
        _ => None,
    };
    match flag {
        Some(true) => note(&mut signs, true),
        Some(false) => {}
        None => match key.and_then(setting) {
            Some(Some(true)) => note(&mut signs, true),
            // `push.gpgSign=if-asked`, a computed value.
            Some(None) => note(&mut signs, false),
            _ => {}
        },
    }
    if sub == "tag" && !listing && flag.is_none() {
        // Signs annotated tags; a lightweight one is taken as one too.
        match setting("tag.forcesignannotated") {
            Some(Some(true)) => note(&mut signs, true),
            Some(None) => note(&mut signs, false),
            _ => {}
        }
    }
    if key.is_some() && flag.is_none() && (computed_config || computed) && signs.is_none() {
        // A computed word may be `-S` or set the key.
        note(&mut signs, false);
    }
    let Some(certain) = signs else {
        return Vec::new();
    };
    let format = config
        .iter()
        .rev()
        .find(|(k, _)| k == "gpg.format")
        .map(|(_, v)| v.as_deref().unwrap_or("").to_ascii_lowercase());
    let at = &argv[0];
    let program = |name: &str, certain: bool| Implied {
        argv: vec![Arg::literal(name, at.span)],
        certain,
        why: "git signs or verifies with the program of gpg.format",
    };
    match format.as_deref() {
        Some("openpgp") => vec![program("gpg", certain)],
        Some("ssh") => vec![program("ssh-keygen", certain)],
        Some("x509") => vec![program("gpgsm", certain)],
        // The default, or the format a repository sets: any of them.
        _ => vec![
            program("gpg", certain),
            program("ssh-keygen", false),
            program("gpgsm", false),
        ],
    }
}

/// The editor git starts for the commit message (`git commit` without a
/// message, `-e`, `-c`, `--amend`) or for the patch (`git add -e`): the
/// program of `-c core.editor=…` when the command sets it, otherwise git's
/// default `vi` (the environment or the repository may name another one,
/// which a rule for `vi` then does not cover).
fn git_editor(argv: &[Arg]) -> Vec<Implied> {
    let global = scan_options(argv, 1, GIT_GLOBAL_WITH_ARG);
    let mut editor: Option<Option<String>> = None;
    for (opt, idx, inline) in &global.opts {
        let text = match (idx, inline) {
            (Some(i), _) => argv.get(*i).map(|a| a.lit().map(str::to_string)),
            (None, Some(v)) => Some(Some(v.clone())),
            _ => None,
        };
        match (opt.as_str(), text) {
            ("-c", Some(Some(kv))) => {
                if let Some((k, v)) = kv.split_once('=') {
                    if k.eq_ignore_ascii_case("core.editor") {
                        editor = Some(v.split_whitespace().next().map(str::to_string));
                    }
                }
            }
            ("-c" | "--config-env", _) => editor = Some(None),
            _ => {}
        }
    }
    let Some(sub) = argv.get(global.first).and_then(|a| a.lit()) else {
        return Vec::new();
    };
    let words = &argv[global.first..];
    // `git notes [--ref R] add|append|edit …`: the notes subcommand.
    let notes_sub = (sub == "notes")
        .then(|| {
            words[1..]
                .iter()
                .filter_map(|a| a.lit())
                .scan(false, |skip, w| {
                    let this = !*skip;
                    *skip = w == "--ref";
                    Some((this, w))
                })
                .find(|(this, w)| *this && !w.starts_with('-'))
                .map(|(_, w)| w.to_string())
        })
        .flatten();
    let (short, optional) = match sub {
        "commit" => ("mFCct", "Su"),
        "tag" => ("mFu", "n"),
        "notes" => ("mFcC", ""),
        "merge" => ("mFsX", "S"),
        // `-r[=VALUE]`: `--rebase`'s short form.
        "pull" => ("mFsXj", "Sr"),
        "rebase" => ("sXxC", "S"),
        "revert" | "cherry-pick" => ("mX", "S"),
        // `-C<n>`, `-p<n>`: attached values only.
        "am" => ("", "SCp"),
        "config" => ("f", ""),
        "add" | "branch" | "checkout" | "reset" | "restore" | "stash" => ("", ""),
        _ => return Vec::new(),
    };
    // `git stash show -p` shows a patch; `git stash -p` / `push -p` asks.
    if sub == "stash"
        && words[1..]
            .iter()
            .filter_map(|a| a.lit())
            .find(|w| !w.starts_with('-'))
            .is_some_and(|w| w != "push" && w != "save")
    {
        return Vec::new();
    }
    let syntax = git_sub_syntax(short, optional);
    // The last of -e/--edit and --no-edit decides; else the editor starts
    // when no message is given (commit, annotated tags, notes).
    let mut edit: Option<bool> = None;
    let mut message = false;
    // Answers read from standard input may start the editor (`e` in
    // `add -p`): it may run.
    let mut interactive = false;
    let mut annotated = false;
    let mut sequence = false;
    // What decides whether a terminal default applies (EDITOR_DEFAULTS).
    let mut no_commit = false;
    let mut stops = false;
    // `git config edit` (the subcommand form of `--edit`).
    if sub == "config" && words.get(1).is_some_and(|w| w.is("edit")) {
        edit = Some(true);
    }
    for item in scan(words, &syntax) {
        let Item::Option { opt, value, .. } = item else {
            continue;
        };
        let long = match &opt {
            Opt::Other(n) => n.strip_prefix("--"),
            Opt::Long(n) => Some(*n),
            _ => None,
        };
        let attached = match &value {
            Some(Value::Attached(v)) => Some(*v),
            _ => None,
        };
        match (sub, long, &opt) {
            ("branch", Some("edit-description"), _) => edit = Some(true),
            ("branch", _, _) => {}
            ("add" | "checkout" | "reset" | "restore" | "stash" | "commit", Some("patch"), _)
            | ("add" | "checkout" | "reset" | "restore" | "stash", None, Opt::Short('p'))
            | ("add" | "commit", Some("interactive"), _)
            | ("add", None, Opt::Short('i')) => interactive = true,
            ("commit", None, Opt::Short('p')) => interactive = true,
            ("rebase", Some("interactive" | "edit-todo"), _)
            | ("rebase", None, Opt::Short('i')) => sequence = true,
            // `--rebase=interactive`/`=i` runs the sequence editor.
            ("pull", Some("rebase"), _) | ("pull", None, Opt::Short('r'))
                if attached.is_some_and(|v| v.trim_start_matches('=').starts_with('i')) =>
            {
                sequence = true;
                no_commit = true;
            }
            // `--fixup=amend:REV` edits the message of REV; git takes the
            // value from the next word as well (`--fixup amend:REV`), and
            // a value computed at run time may be either.
            ("commit", Some("fixup"), _)
                if match &value {
                    Some(Value::Attached(v)) => Some(*v),
                    Some(Value::Next(a)) => a.lit(),
                    None => None,
                }
                .is_none_or(|v| v.starts_with("amend:") || v.starts_with("reword:")) =>
            {
                edit.get_or_insert(true);
            }
            // `git merge --continue` runs `git commit` on the prepared
            // message; `git rebase --continue` commits a resolved conflict
            // with the editor. Both without a terminal too.
            // `cherry-pick --continue` and `revert --continue` commit the
            // resolved pick the same way (git-cherry-pick(1), git-revert(1)).
            ("merge" | "rebase" | "cherry-pick" | "revert", Some("continue"), _) => {
                edit = Some(true)
            }
            // `git am --continue` (`-r`, `--resolved`) goes on with the
            // session, which runs the editor when it is interactive (`-i`
            // given when it started): it may run.
            ("am", Some("continue" | "resolved"), _) | ("am", None, Opt::Short('r')) => {
                interactive = true
            }
            ("am", Some("interactive"), _) | ("am", None, Opt::Short('i')) => interactive = true,
            ("am", _, _) => {}
            (
                "merge" | "pull" | "revert" | "cherry-pick",
                Some("abort" | "quit" | "skip" | "ff-only" | "squash" | "no-commit" | "rebase"),
                _,
            )
            | ("revert" | "cherry-pick", None, Opt::Short('n'))
            | ("pull", None, Opt::Short('r')) => no_commit = true,
            ("merge" | "pull", None, Opt::Short('m' | 'F'))
            | ("merge" | "pull", Some("message" | "file"), _) => stops = true,
            ("checkout" | "reset" | "restore" | "stash", _, _) => {}
            (_, Some("edit"), _) | (_, None, Opt::Short('e')) => edit = Some(true),
            (_, Some("no-edit"), _) => edit = Some(false),
            ("commit" | "notes", None, Opt::Short('c'))
            | ("commit" | "notes", Some("reedit-message"), _) => {
                edit.get_or_insert(true);
            }
            ("tag", Some("annotate" | "sign" | "local-user"), _)
            | ("tag", None, Opt::Short('a' | 's' | 'u')) => annotated = true,
            ("commit" | "tag" | "notes", None, Opt::Short('m' | 'F' | 'C'))
            | (
                "commit" | "tag" | "notes",
                Some("message" | "file" | "reuse-message" | "fixup" | "dry-run"),
                _,
            ) => message = true,
            _ => {}
        }
    }
    // git-revert(1), git-merge(1), git-pull(1): `--edit` "is the default
    // when run from a terminal" (for merge and pull when no message is
    // given): the editor may start when a commit is made.
    let terminal = match (sub, edit) {
        ("revert", None) => !no_commit,
        ("merge" | "pull", None) => !no_commit && !stops,
        _ => false,
    };
    let starts = match (sub, edit) {
        _ if terminal => true,
        (_, Some(e)) => e,
        ("commit", None) => !message,
        ("tag", None) => annotated && !message,
        ("notes", None) => match notes_sub.as_deref() {
            Some("edit") => true,
            Some("add" | "append") => !message,
            _ => false,
        },
        _ => false,
    };
    if !starts && !interactive && !sequence {
        return Vec::new();
    }
    let at = &argv[0];
    let sequence_editor = sequence
        .then(|| {
            global.opts.iter().rev().find_map(|(opt, idx, inline)| {
                let kv = match (idx, inline) {
                    (Some(i), _) => argv.get(*i).map(|a| a.lit()),
                    (None, Some(v)) => Some(Some(v.as_str())),
                    _ => None,
                }?;
                (opt == "-c").then_some(())?;
                match kv {
                    Some(kv) => {
                        let (k, v) = kv.split_once('=')?;
                        k.eq_ignore_ascii_case("sequence.editor")
                            .then(|| Some(v.split_whitespace().next()?.to_string()))
                    }
                    None => Some(None),
                }
            })
        })
        .flatten();
    let (name, certain) = match (sequence_editor, editor) {
        (Some(Some(e)), _) => (e, true),
        (Some(None), _) => ("vi".to_string(), false),
        (None, Some(Some(e))) => (e, true),
        // A computed or unknown setting.
        (None, Some(None)) => ("vi".to_string(), false),
        (None, None) => ("vi".to_string(), true),
    };
    vec![Implied {
        argv: vec![Arg::literal(&name, at.span)],
        // Patch mode starts it only for the answer `e` on its input.
        certain: certain && !terminal && (starts || sequence),
        why: "git starts the editor of core.editor, GIT_EDITOR, VISUAL or EDITOR (vi by default)",
    }]
}

/// The programs `git help` and `--help` start: `man` (help.format's
/// default), `info` for `-i`, a web browser for `-w`; the diff tool of
/// `git difftool` (`-t TOOL`, `diff.tool`, or the first one found of git's
/// list); `gpg` for the signature placeholders of `git shortlog --format`.
fn git_viewers(argv: &[Arg]) -> Vec<Implied> {
    let global = scan_options(argv, 1, GIT_GLOBAL_WITH_ARG);
    let at = &argv[0];
    let one = |name: &str, certain: bool, why: &'static str| Implied {
        argv: vec![Arg::literal(name, at.span)],
        certain,
        why,
    };
    let configured = global
        .opts
        .iter()
        .any(|(o, _, _)| o == "-c" || o == "--config-env");
    let words = &argv[global.first.min(argv.len())..];
    let lits: Vec<&str> = words.iter().filter_map(|a| a.lit()).collect();
    let sub = words.first().and_then(|a| a.lit());
    let global_help = argv[1..global.first.min(argv.len())]
        .iter()
        .any(|a| a.is("--help"));
    let help_page = |rest: &[&str]| {
        let mut mode = 'm';
        let mut page = false;
        let mut listing = false;
        for w in rest {
            match *w {
                "-i" | "--info" => mode = 'i',
                "-w" | "--web" => mode = 'w',
                "-m" | "--man" => mode = 'm',
                "-a"
                | "--all"
                | "-g"
                | "--guides"
                | "-c"
                | "--config"
                | "--user-interfaces"
                | "--developer-interfaces" => listing = true,
                w if !w.starts_with('-') => page = true,
                _ => {}
            }
        }
        (page && !listing).then_some(mode)
    };
    let mode = match sub {
        // `git --help CMD` is `git help CMD`.
        Some("--help") => help_page(&lits[1..]),
        Some("help") => help_page(&lits[1..]),
        Some(_) if global_help => Some('m'),
        // `git CMD --help` shows CMD's page.
        Some(_)
            if lits[1..]
                .iter()
                .take_while(|w| **w != "--")
                .any(|w| *w == "--help") =>
        {
            Some('m')
        }
        _ => None,
    };
    let mut out = Vec::new();
    let help_why =
        "git help shows the page with man (help.format), info (-i) or a web browser (-w)";
    match mode {
        Some('m') => {
            out.push(one("man", !configured, help_why));
            if configured {
                out.push(one("info", false, help_why));
            }
        }
        Some('i') => out.push(one("info", true, help_why)),
        Some(_) => {
            for b in WEB_BROWSERS {
                out.push(one(b, false, help_why));
            }
        }
        None => {}
    }
    match sub {
        Some("difftool") if !lits.contains(&"--tool-help") => {
            let why = "git difftool starts the diff tool of -t, diff.tool or the first of its list it finds";
            let tool = words[1..].iter().enumerate().find_map(|(k, a)| {
                let v = a.lit()?;
                if v == "-t" || v == "--tool" {
                    Some(words.get(k + 2).and_then(|n| n.lit()))
                } else {
                    v.strip_prefix("--tool=")
                        .or_else(|| v.strip_prefix("-t").filter(|t| !t.is_empty()))
                        .map(Some)
                }
            });
            let tools: Vec<&str> = match tool {
                Some(Some(t)) => vec![t],
                _ => DIFF_TOOLS.to_vec(),
            };
            for t in tools {
                // A tool's command may be configured (difftool.T.cmd).
                out.push(one(diff_tool_program(t), false, why));
                // A tool that is a script runs its interpreter: a rule
                // naming the interpreter covers it.
                if let Some(i) = diff_tool_interpreter(t) {
                    out.push(one(i, false, why));
                }
            }
        }
        Some("shortlog")
            if words[1..].iter().any(|a| {
                let t = a.lit().map(str::to_string).or_else(|| a.pattern.clone());
                t.is_some_and(|v| {
                    (v.starts_with("--format") || v.starts_with("--pretty")) && v.contains("%G")
                })
            }) =>
        {
            out.push(one("gpg", true, "git verifies the signatures the %G placeholders show with the program of gpg.format"));
            out.push(one("ssh-keygen", false, "git verifies the signatures the %G placeholders show with the program of gpg.format"));
            out.push(one("gpgsm", false, "git verifies the signatures the %G placeholders show with the program of gpg.format"));
        }
        // A computed format, or a computed word that may be one.
        Some("shortlog") if words[1..].iter().any(computed_format) => {
            for p in ["gpg", "ssh-keygen", "gpgsm"] {
                out.push(one(p, false, "a computed format may hold the %G placeholders, which verify signatures with the program of gpg.format"));
            }
        }
        _ => {}
    }
    out
}

/// Whether a computed word may be a `--format=`/`--pretty=` option of git
/// whose format is not known.
fn computed_format(a: &Arg) -> bool {
    a.lit().is_none()
        && a.pattern.is_none()
        && ["--format=", "--pretty="]
            .iter()
            .any(|o| a.prefix.starts_with(o) || o.starts_with(a.prefix.as_str()))
}

/// The browsers `git web--browse` tries.
const WEB_BROWSERS: &[&str] = &[
    "firefox",
    "iceweasel",
    "seamonkey",
    "iceape",
    "google-chrome",
    "chrome",
    "chromium",
    "chromium-browser",
    "konqueror",
    "opera",
    "w3m",
    "elinks",
    "links",
    "lynx",
    "dillo",
    "open",
    "start",
    "cygstart",
    "xdg-open",
];

/// The diff tools `git difftool` looks for when none is set (git's
/// `mergetools` list).
const DIFF_TOOLS: &[&str] = &[
    "opendiff",
    "kdiff3",
    "tkdiff",
    "xxdiff",
    "meld",
    "kompare",
    "gvimdiff",
    "diffuse",
    "diffmerge",
    "ecmerge",
    "p4merge",
    "araxis",
    "bc",
    "codecompare",
    "smerge",
    "emerge",
    "vimdiff",
    "nvimdiff",
];

/// The tool names git's `mergetools/*` know (and their numbered
/// variants): any other name is a tool configured by `difftool.NAME.cmd`,
/// a program the analysis cannot see.
const KNOWN_DIFF_TOOLS: &[&str] = &[
    "araxis",
    "bc",
    "bc3",
    "bc4",
    "codecompare",
    "deltawalker",
    "diffmerge",
    "diffuse",
    "ecmerge",
    "emerge",
    "examdiff",
    "guiffy",
    "gvimdiff",
    "gvimdiff1",
    "gvimdiff2",
    "gvimdiff3",
    "kdiff3",
    "kompare",
    "meld",
    "nvimdiff",
    "nvimdiff1",
    "nvimdiff2",
    "nvimdiff3",
    "opendiff",
    "p4merge",
    "smerge",
    "tkdiff",
    "tortoisemerge",
    "vimdiff",
    "vimdiff1",
    "vimdiff2",
    "vimdiff3",
    "winmerge",
    "xxdiff",
];

/// The `-t`/`--tool` word of `git difftool` when it names no tool git
/// knows (or is computed): the program it starts is not known.
pub(crate) fn unknown_diff_tool(argv: &[Arg]) -> Option<&Arg> {
    let global = scan_options(argv, 1, GIT_GLOBAL_WITH_ARG);
    let words = &argv[global.first.min(argv.len())..];
    if words.first().and_then(|a| a.lit()) != Some("difftool") {
        return None;
    }
    for (k, a) in words.iter().enumerate().skip(1) {
        let v = a.lit()?;
        if v == "--" {
            return None;
        }
        let (word, name) = if v == "-t" || v == "--tool" {
            let n = words.get(k + 1)?;
            (n, n.lit())
        } else if let Some(t) = v
            .strip_prefix("--tool=")
            .or_else(|| v.strip_prefix("-t").filter(|t| !t.is_empty()))
        {
            (a, Some(t))
        } else {
            continue;
        };
        return match name {
            Some(t) if KNOWN_DIFF_TOOLS.contains(&t) => None,
            _ => Some(word),
        };
    }
    None
}

/// The interpreter of a diff tool that is a script.
fn diff_tool_interpreter(tool: &str) -> Option<&'static str> {
    match tool {
        "meld" | "diffuse" => Some("python3"),
        "tkdiff" => Some("wish"),
        _ => None,
    }
}

/// The program a diff tool runs (git's `mergetools/*`).
fn diff_tool_program(tool: &str) -> &str {
    match tool {
        "vimdiff" | "vimdiff1" | "vimdiff2" | "vimdiff3" => "vim",
        "gvimdiff" | "gvimdiff1" | "gvimdiff2" | "gvimdiff3" => "gvim",
        "nvimdiff" | "nvimdiff1" | "nvimdiff2" | "nvimdiff3" => "nvim",
        "emerge" => "emacs",
        "bc" | "bc3" | "bc4" => "bcompare",
        "araxis" => "compare",
        "smerge" => "smerge",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Arg> {
        s.split_whitespace()
            .map(|w| Arg::literal(w, Default::default()))
            .collect()
    }

    fn ssh(cmd: &str) -> Option<bool> {
        let argv = words(cmd);
        let base = argv[0].lit().unwrap_or_default().to_string();
        let imp = implied_programs(&argv, &base);
        if imp.is_empty() {
            return None;
        }
        Some(imp.iter().any(|i| i.certain))
    }

    #[test]
    fn remote_specs_parse_as_the_tools_do() {
        use RsyncSpec::*;
        for (v, want) in [
            ("u@[::1]:x", Shell("u@::1".into())),
            ("[::1]:x", Shell("::1".into())),
            ("u@[::1]::m", Daemon("u@::1".into())),
            ("h::m", Daemon("h".into())),
            ("rsync://[::1]:873/m", Daemon("[::1]:873".into())),
            ("h:x", Shell("h".into())),
            ("a/b:c", Local),
            ("[::1]x:y", Local),
            ("[]:x", Local),
            ("plain", Local),
        ] {
            assert_eq!(rsync_remote(v), want, "{v}");
        }
        assert_eq!(scp_remote("u@[::1]:x").as_deref(), Some("u@::1"));
        assert_eq!(scp_remote("scp://[::1]:22/x").as_deref(), Some("::1"));
        assert_eq!(scp_remote("x/y:z"), None);
    }

    #[test]
    fn ssh_reached_through_other_programs() {
        // Some(true): runs ssh; Some(false): may run it; None: does not.
        let cases: &[(Option<bool>, &[&str])] = &[
            (
                Some(true),
                &[
                    "scp x host:",
                    "scp user@h:x .",
                    "sftp host",
                    "rsync -a . host:x",
                    "rsync -a host:x .",
                    "rsync -e ssh h::mod .",
                    "git clone git@github.com:x/y",
                    "git fetch ssh://h/x",
                    "git push host:x",
                    "git -C sub pull git+ssh://h/x main",
                    "rsync -a u@[::1]:x .",
                    "rsync -a [fe80::1]:x .",
                    "rsync -a . [::1]:",
                    "rsync -e ssh u@[::1]::mod .",
                    "rsync -e ssh rsync://[::1]/m .",
                    "scp [::1]:x .",
                    "scp u@[::1]:x .",
                    "scp scp://u@[::1]:2222/x .",
                    "scp x SCP://h/x",
                ],
            ),
            (
                Some(false),
                &[
                    "git pull",
                    "git fetch origin",
                    "git push origin main",
                    "git fetch --all",
                    "git remote update",
                    "git submodule update --init",
                    "git clone --recurse-submodules https://github.com/x/y",
                    "git fetch hg::https://x/y",
                ],
            ),
            (
                None,
                &[
                    "scp a b",
                    "rsync -a src/ build/",
                    "rsync -a h::mod .",
                    "rsync rsync://h/m .",
                    "rsync -a u@[::1]::mod .",
                    "rsync -a RSYNC://[::1]/m .",
                    "rsync -a ./a:b .",
                    "rsync -a :x .",
                    "scp ./a:b c",
                    "scp :x c",
                    "git fetch https://github.com/x/y",
                    "git push ../other main",
                    "git clone https://github.com/x/y",
                    "git clone repo copy",
                    "git status",
                    "git remote -v",
                    "git log origin/main",
                ],
            ),
        ];
        for (expected, cmds) in cases {
            for cmd in *cmds {
                assert_eq!(ssh(cmd), *expected, "{cmd}");
            }
        }
    }
}
