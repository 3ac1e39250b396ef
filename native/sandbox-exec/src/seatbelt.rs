//! The macOS Seatbelt (SBPL) profile of a run, generated from the policy.
//!
//! A pure function of its input: no file system access, so it is compiled
//! on every platform and tested on Linux and macOS (golden files under
//! `tests/seatbelt/`; the fixtures are POSIX paths); the
//! macOS wiring (`src/macos/`) resolves the paths and hands the profile to
//! `/usr/bin/sandbox-exec`. See `docs/exec.md`, macOS.
//!
//! **Paths are parameters.** Every path an allow or deny rule names exactly
//! is passed as `-D NAME=VALUE` and written `(subpath (param "NAME"))` or
//! `(literal (param "NAME"))` (as the Codex CLI does): the value reaches the
//! sandbox as an argument and is never read by the profile's parser, so no
//! quote, backslash, parenthesis, newline or non-UTF-8 byte of a path can end
//! a string early or add a rule. Only regular expressions carry text of a
//! path (case-insensitive variants of hidden paths, glob entries): each is
//! written as an SBPL string with `\` and `"` escaped (the escaping
//! Anthropic's sandbox-runtime uses, `JSON.stringify`), and a path that
//! holds a control character cannot be written that way and is reported.
//!
//! **Later rules win.** SBPL applies the last rule that matches, so the
//! profile allows first (processes, reads, the writable trees, the proxy)
//! and refuses after (git configuration, protected home entries, credential
//! stores, blocked paths).
//!
//! **Both forms of a moved root.** macOS resolves `/tmp`, `/var` and `/etc`
//! to `/private/…` before the sandbox sees a path; a path under either form
//! is given in both.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use sandbox_core::guards::filesystem::{PROTECTED_CREDENTIALS, PROTECTED_STARTUP};
use sandbox_core::policy::FilesystemMode;
use sandbox_core::Policy;

use crate::report::{Level, Mechanism};

/// The program that applies a profile. An absolute path, never looked up
/// in `$PATH`: a command earlier in the caller's path could pose as it.
pub const SANDBOX_EXEC: &str = "/usr/bin/sandbox-exec";

/// Names in a git dir that git reads as configuration, runs, or follows
/// elsewhere: read-only as on Linux (`docs/exec.md`, Git indirection).
pub const GIT_PROTECTED: &[&str] = &[
    "config",
    "config.worktree",
    "hooks",
    "info",
    "branches",
    "remotes",
    "commondir",
    "gitdir",
    "objects/info/alternates",
];

/// Roots that macOS reaches through a link in `/` (`/tmp -> private/tmp`).
const PRIVATE_ROOTS: &[&str] = &["tmp", "var", "etc"];

/// Why no profile could be made. Codes are stable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatbeltError {
    /// A path of the input is not absolute (the caller resolves them).
    RelativePath(PathBuf),
    /// The network is on but no proxy port was given.
    NoProxyPort,
}

impl SeatbeltError {
    pub fn code(&self) -> &'static str {
        match self {
            SeatbeltError::RelativePath(_) => "SEATBELT_RELATIVE_PATH",
            SeatbeltError::NoProxyPort => "SEATBELT_NO_PROXY_PORT",
        }
    }
}

impl std::fmt::Display for SeatbeltError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SeatbeltError::RelativePath(p) => write!(
                f,
                "{}: {} is not an absolute path; pass the workspace, home and TMPDIR resolved",
                self.code(),
                p.display()
            ),
            SeatbeltError::NoProxyPort => write!(
                f,
                "{}: the policy enables the network but no proxy port was given; start the proxy first",
                self.code()
            ),
        }
    }
}

/// What the profile is made from. All paths absolute; the workspace, the
/// homes and `tmpdir` already resolved by the caller.
pub struct Input<'a> {
    pub policy: &'a Policy,
    pub workspace: &'a Path,
    /// The run's home (`~` of the policy) first, then other homes whose
    /// protected entries are protected too (the caller's `$HOME`, the
    /// account's home), as on Linux.
    pub homes: &'a [PathBuf],
    /// The run's private temporary directory, writable.
    pub tmpdir: &'a Path,
    /// Port of the helper's proxy on the loopback interface; `None` when
    /// the network is off.
    pub proxy_port: Option<u16>,
    /// Terminals the command holds on its standard descriptors
    /// (`/dev/ttys003`): readable, writable and `ioctl`-able.
    pub terminals: &'a [PathBuf],
    /// Where an existing path leads (the caller's `realpath`); `None` for a
    /// path that does not exist or leads to itself. Denials cover both the
    /// path and where it leads.
    pub resolve: &'a dyn Fn(&Path) -> Option<PathBuf>,
    /// Git configuration files that hold credentials, which Linux shows
    /// the run as a read-only copy without them (`MountKind::Redacted`). A
    /// profile cannot show a copy: each is denied, read and write, where
    /// it is and where it leads, and git's reading of it fails.
    pub redacted: &'a [PathBuf],
}

/// A generated profile and the parameters it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The SBPL text, passed with `-p`.
    pub text: String,
    /// `-D NAME=VALUE` definitions, in order.
    pub params: Vec<(String, OsString)>,
    /// What the policy asks that the profile cannot express: the run is
    /// degraded (refused unless the caller consents).
    pub shortfalls: Vec<String>,
    /// Facts worth the report's notes (entries not granted, and why).
    pub notes: Vec<String>,
}

impl Profile {
    /// The arguments of `/usr/bin/sandbox-exec` before `--`.
    pub fn args(&self) -> Vec<OsString> {
        let mut out = vec![OsString::from("-p"), OsString::from(&self.text)];
        for (name, value) in &self.params {
            let mut d = OsString::from(format!("{name}="));
            d.push(value);
            out.push("-D".into());
            out.push(d);
        }
        out
    }
}

/// A path made absolute-normal without the file system: `.` and repeated
/// separators dropped, `..` taken lexically (the caller resolved links).
fn normal(path: &Path) -> Result<PathBuf, SeatbeltError> {
    if !path.is_absolute() {
        return Err(SeatbeltError::RelativePath(path.to_path_buf()));
    }
    let mut out = PathBuf::from("/");
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The path as macOS resolves it first (`/tmp/x` → `/private/tmp/x`), then
/// the other spelling when the root is one of the moved ones.
pub fn forms(path: &Path) -> Vec<PathBuf> {
    let mut comps = path.components();
    let _root = comps.next();
    let first = comps.next().and_then(|c| match c {
        Component::Normal(n) => n.to_str(),
        _ => None,
    });
    let rest: PathBuf = comps.collect();
    match first {
        Some(f) if PRIVATE_ROOTS.contains(&f) => {
            vec![
                Path::new("/private").join(f).join(&rest),
                path.to_path_buf(),
            ]
        }
        Some("private") => {
            let mut c2 = rest.components();
            let second = c2.next().and_then(|c| match c {
                Component::Normal(n) => n.to_str(),
                _ => None,
            });
            match second {
                Some(s) if PRIVATE_ROOTS.contains(&s) => {
                    vec![
                        path.to_path_buf(),
                        Path::new("/").join(s).join(c2.as_path()),
                    ]
                }
                _ => vec![path.to_path_buf()],
            }
        }
        _ => vec![path.to_path_buf()],
    }
    .into_iter()
    .map(|p| strip_trailing(&p))
    .collect()
}

fn strip_trailing(p: &Path) -> PathBuf {
    p.components().collect()
}

/// `text` as an SBPL string literal: `"` and `\` escaped. `None` for a
/// control character, which has no escape the profile reader is known to
/// take the same way.
pub fn sbpl_string(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => return None,
            c => out.push(c),
        }
    }
    out.push('"');
    Some(out)
}

/// One character of a path in a regular expression: metacharacters
/// escaped, ASCII letters in both cases (the default macOS file system
/// ignores case, so `~/.SSH` is `~/.ssh`).
fn regex_char(c: char, out: &mut String) {
    if c.is_ascii_alphabetic() {
        out.push('[');
        out.push(c.to_ascii_lowercase());
        out.push(c.to_ascii_uppercase());
        out.push(']');
    } else if ".^$|()[]{}*+?\\".contains(c) {
        out.push('\\');
        out.push(c);
    } else {
        out.push(c);
    }
}

/// A name as a regular expression that ignores case.
fn fold(name: &str) -> String {
    let mut s = String::new();
    name.chars().for_each(|c| regex_char(c, &mut s));
    s
}

/// A path prefix as a regular expression, `None` when it is not UTF-8.
/// A path under a moved root matches in both spellings.
fn regex_path(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let mut out = String::new();
    let (prefix, rest) = match forms(path).as_slice() {
        [canon, _other] => {
            let canon = canon.to_str()?;
            (
                "(/private)?",
                canon.strip_prefix("/private").unwrap_or(canon).to_string(),
            )
        }
        _ => ("", text.to_string()),
    };
    out.push_str(prefix);
    for c in rest.chars() {
        regex_char(c, &mut out);
    }
    Some(out)
}

/// A glob of `blocked_paths` as a regular expression over whole paths:
/// `**/` any number of directories, `*` and `?` within one name. `None`
/// for what is not translated (`[…]`, `{…}`).
fn glob_regex(anchor: Option<&Path>, pattern: &str) -> Option<String> {
    if pattern.contains(['[', '{']) {
        return None;
    }
    let mut out = String::from("^");
    match anchor {
        Some(a) => {
            out.push_str(&regex_path(a)?);
            out.push('/');
        }
        None => out.push_str("(.*/)?"),
    }
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**/") {
            out.push_str("(.*/)?");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("**") {
            out.push_str(".*");
            rest = r;
        } else {
            let c = rest.chars().next()?;
            match c {
                '*' => out.push_str("[^/]*"),
                '?' => out.push_str("[^/]"),
                c => regex_char(c, &mut out),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str("(/.*)?$");
    Some(out)
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// A policy entry as an absolute path, `~` expanded, nothing resolved.
fn entry_path(entry: &str, workspace: &Path, home: &Path) -> Result<PathBuf, SeatbeltError> {
    let p = if entry == "~" {
        home.to_path_buf()
    } else if let Some(rest) = entry.strip_prefix("~/") {
        home.join(rest)
    } else {
        workspace.join(entry)
    };
    normal(&p)
}

/// The profile under construction: its text and its parameters.
struct Builder {
    text: String,
    params: Vec<(String, OsString)>,
}

impl Builder {
    /// A parameter `PREFIX_N` for `path`, reusing the one of that prefix
    /// already defined for it.
    fn param(&mut self, prefix: &str, path: &Path) -> String {
        let value = path.as_os_str().to_os_string();
        let mine = |n: &str| n.strip_prefix(prefix).is_some_and(|r| r.starts_with('_'));
        if let Some((n, _)) = self.params.iter().find(|(n, v)| mine(n) && *v == value) {
            return n.clone();
        }
        let n = self.params.iter().filter(|(n, _)| mine(n)).count();
        let name = format!("{prefix}_{n}");
        self.params.push((name.clone(), value));
        name
    }

    /// A `(subpath (param …))` filter (the path itself and everything below
    /// it) for every form of `path`.
    fn tree(&mut self, prefix: &str, path: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for f in forms(path) {
            let n = self.param(prefix, &f);
            out.push(format!("(subpath (param \"{n}\"))"));
        }
        out
    }

    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// `(OP FILTER…)` over several lines; nothing when there is no filter.
    fn rule(&mut self, op: &str, filters: &[String]) {
        match filters {
            [] => {}
            [one] => {
                let _ = writeln!(self.text, "({op} {one})");
            }
            many => {
                let _ = writeln!(self.text, "({op}");
                for f in many {
                    let _ = writeln!(self.text, "  {f}");
                }
                self.text.push_str(")\n");
            }
        }
    }
}

/// The sysctls a shell and common tools read (CPU, memory, OS version).
/// The list of the Codex CLI's base profile (itself after Chrome's).
const SYSCTLS: &[&str] = &[
    "(sysctl-name \"hw.activecpu\")",
    "(sysctl-name \"hw.busfrequency_compat\")",
    "(sysctl-name \"hw.byteorder\")",
    "(sysctl-name \"hw.cacheconfig\")",
    "(sysctl-name \"hw.cachelinesize_compat\")",
    "(sysctl-name \"hw.cpufamily\")",
    "(sysctl-name \"hw.cpufrequency\")",
    "(sysctl-name \"hw.cpufrequency_compat\")",
    "(sysctl-name \"hw.cputype\")",
    "(sysctl-name \"hw.l1dcachesize_compat\")",
    "(sysctl-name \"hw.l1icachesize_compat\")",
    "(sysctl-name \"hw.l2cachesize_compat\")",
    "(sysctl-name \"hw.l3cachesize_compat\")",
    "(sysctl-name \"hw.logicalcpu\")",
    "(sysctl-name \"hw.logicalcpu_max\")",
    "(sysctl-name \"hw.machine\")",
    "(sysctl-name \"hw.memsize\")",
    "(sysctl-name \"hw.model\")",
    "(sysctl-name \"hw.ncpu\")",
    "(sysctl-name \"hw.nperflevels\")",
    "(sysctl-name \"hw.packages\")",
    "(sysctl-name \"hw.pagesize\")",
    "(sysctl-name \"hw.pagesize_compat\")",
    "(sysctl-name \"hw.physicalcpu\")",
    "(sysctl-name \"hw.physicalcpu_max\")",
    "(sysctl-name \"hw.tbfrequency_compat\")",
    "(sysctl-name \"hw.vectorunit\")",
    "(sysctl-name \"kern.argmax\")",
    "(sysctl-name \"kern.hostname\")",
    "(sysctl-name \"kern.maxfilesperproc\")",
    "(sysctl-name \"kern.maxproc\")",
    "(sysctl-name \"kern.ngroups\")",
    "(sysctl-name \"kern.osproductversion\")",
    "(sysctl-name \"kern.osrelease\")",
    "(sysctl-name \"kern.ostype\")",
    "(sysctl-name \"kern.osvariant_status\")",
    "(sysctl-name \"kern.osversion\")",
    "(sysctl-name \"kern.secure_kernel\")",
    "(sysctl-name \"kern.usrstack64\")",
    "(sysctl-name \"kern.version\")",
    "(sysctl-name \"machdep.cpu.brand_string\")",
    "(sysctl-name \"sysctl.proc_cputype\")",
    "(sysctl-name \"vm.loadavg\")",
    "(sysctl-name-prefix \"hw.optional.\")",
    "(sysctl-name-prefix \"hw.perflevel\")",
    "(sysctl-name-prefix \"kern.proc.pgrp.\")",
    "(sysctl-name-prefix \"kern.proc.pid.\")",
];

/// Generate the profile of a run.
pub fn generate(input: &Input<'_>) -> Result<Profile, SeatbeltError> {
    let policy = input.policy;
    let fsp = &policy.filesystem;
    let workspace = normal(input.workspace)?;
    let tmpdir = normal(input.tmpdir)?;
    let mut homes = Vec::new();
    for h in input.homes {
        let h = normal(h)?;
        if !homes.contains(&h) {
            homes.push(h);
        }
    }
    let home = homes.first().cloned().unwrap_or_else(|| workspace.clone());
    let mut terminals = Vec::new();
    for t in input.terminals {
        terminals.push(normal(t)?);
    }
    let port = match (policy.network.enabled, input.proxy_port) {
        (false, _) => None,
        (true, Some(p)) => Some(p),
        (true, None) => return Err(SeatbeltError::NoProxyPort),
    };
    let mut shortfalls = Vec::new();
    // Linux refuses creating links by seccomp and hides the dot entries
    // when the command starts; the profile does neither.
    if !fsp.allow_symlinks {
        shortfalls.push(
            "filesystem.allow_symlinks is false, but the profile does not refuse creating symbolic links".to_string(),
        );
    }
    if !fsp.allow_hidden_files {
        shortfalls.push(
            "filesystem.allow_hidden_files is false, but the profile does not hide dot entries of the workspace".to_string(),
        );
    }
    let mut notes = Vec::new();
    let mut b = Builder {
        text: String::new(),
        params: Vec::new(),
    };

    let mode = match fsp.mode {
        FilesystemMode::Strict => "strict",
        FilesystemMode::Workspace => "workspace",
        FilesystemMode::Permissive => "permissive",
    };
    b.line("(version 1)");
    // The policy's name is the caller's text: it goes into no comment.
    let _ = writeln!(
        b.text,
        "; ku0 sandbox: filesystem mode {mode}, network {}",
        if port.is_some() {
            "through the proxy"
        } else {
            "off"
        }
    );
    b.line("(deny default)");
    b.line("");
    b.line("; Processes: the command and what it starts, which inherit this profile.");
    b.line("(allow process-exec)");
    b.line("(allow process-fork)");
    b.line("(allow signal (target same-sandbox))");
    b.line("(allow process-info* (target same-sandbox))");
    b.line("");
    b.line("; What a shell and its tools ask of the system.");
    b.rule(
        "allow sysctl-read",
        &SYSCTLS.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    b.line("(allow user-preference-read)");
    b.line("(allow mach-lookup");
    b.line("  (global-name \"com.apple.system.opendirectoryd.libinfo\")");
    b.line("  (global-name \"com.apple.system.opendirectoryd.membership\")");
    b.line(")");
    b.line("(allow ipc-posix-sem)");
    b.line("");
    b.line("; Devices every program may use.");
    b.line("(allow file-write-data file-ioctl");
    b.line("  (require-all");
    b.line("    (vnode-type CHARACTER-DEVICE)");
    b.line("    (require-any");
    b.line("      (literal \"/dev/null\") (literal \"/dev/zero\") (literal \"/dev/tty\")");
    b.line("      (literal \"/dev/random\") (literal \"/dev/urandom\")");
    b.line("      (literal \"/dev/dtracehelper\"))))");
    b.line("(allow pseudo-tty)");
    b.line("(allow file-read* file-write* file-ioctl (literal \"/dev/ptmx\"))");
    b.line("(allow file-read* file-write* file-ioctl");
    b.line("  (require-all (regex \"^/dev/ttys[0-9]+$\") (extension \"com.apple.sandbox.pty\")))");
    let tty: Vec<String> = terminals
        .iter()
        .map(|t| format!("(literal (param \"{}\"))", b.param("TERMINAL", t)))
        .collect();
    b.rule("allow file-read* file-write-data file-ioctl", &tty);
    b.line("");

    b.line("; Reads: everywhere, except what is hidden below.");
    b.line("(allow file-read*)");
    b.line("");

    // Writable trees. An allowed_paths entry is taken as written, not
    // resolved: the sandbox matches the path a file is reached by after
    // links, so a link in a writable tree grants nothing where it leads.
    b.line("; Writes: the writable trees and the run's TMPDIR.");
    let mut writable: Vec<PathBuf> = Vec::new();
    if fsp.mode == FilesystemMode::Workspace {
        writable.push(workspace.clone());
    }
    let mut named: Vec<PathBuf> = Vec::new();
    for (i, entry) in fsp.allowed_paths.iter().enumerate() {
        if is_glob(entry) {
            notes.push(format!(
                "filesystem.allowed_paths[{i}] {entry:?} is a glob; commands get no write access from it"
            ));
            continue;
        }
        let p = entry_path(entry, &workspace, &home)?;
        named.push(p.clone());
        writable.push(p);
    }
    writable.push(tmpdir.clone());
    let mut seen = Vec::new();
    writable.retain(|p| {
        let fresh = !seen.contains(p);
        seen.push(p.clone());
        fresh
    });
    if fsp.mode == FilesystemMode::Permissive {
        b.line("(allow file-write*)");
    } else {
        let mut filters = Vec::new();
        for w in &writable {
            filters.extend(b.tree("WRITABLE", w));
        }
        b.rule("allow file-write*", &filters);
    }
    b.line("");

    b.line("; Network.");
    match port {
        None => b.line("; off: no rule allows a socket to connect or listen."),
        Some(p) => {
            b.line("; only to the helper's proxy, which judges every request.");
            let _ = writeln!(
                b.text,
                "(allow network-outbound (remote ip \"localhost:{p}\"))"
            );
        }
    }
    b.line("");

    // Refusals: after every allow, so that they win.
    b.line("; git: what git reads as configuration, runs or follows elsewhere, in every");
    b.line("; git dir (submodules' and worktrees' too), and `.git` entries themselves");
    b.line("; (moved, replaced, created), cannot be written.");
    let names = GIT_PROTECTED
        .iter()
        .map(|n| fold(n))
        .collect::<Vec<_>>()
        .join("|");
    let git_dir = format!("/{}", fold(".git"));
    let regexes = [
        format!("{git_dir}$"),
        format!(
            "{git_dir}/(({}|{})/.+/)?({names})(/.*)?$",
            fold("modules"),
            fold("worktrees")
        ),
    ];
    let filters: Vec<String> = regexes
        .iter()
        .map(|r| format!("(regex {})", sbpl_string(r).expect("fixed text")))
        .collect();
    b.rule("deny file-write*", &filters);
    b.line("");

    // Hidden: credential stores (as the filesystem guard refuses them) and
    // blocked paths, for reads and writes, where they are and where they
    // lead; their parents cannot be renamed away.
    let mut hidden: Vec<PathBuf> = Vec::new();
    for h in &homes {
        for name in PROTECTED_CREDENTIALS {
            let p = h.join(name);
            if named.iter().any(|a| a.starts_with(&p)) {
                continue;
            }
            hidden.push(p);
        }
    }
    let mut glob_filters = Vec::new();
    // Directories a glob is anchored at: kept in place like parents.
    let mut glob_anchors = Vec::new();
    for (i, entry) in fsp.blocked_paths.iter().enumerate() {
        if is_glob(entry) {
            let (anchor, pattern) = glob_anchor(entry, &workspace, &home)?;
            if let Some(a) = &anchor {
                glob_anchors.push(a.join("x"));
            }
            match glob_regex(anchor.as_deref(), &pattern) {
                Some(r) => match sbpl_string(&r) {
                    Some(s) => glob_filters.push(format!("(regex {s})")),
                    None => shortfalls.push(format!(
                        "filesystem.blocked_paths[{i}] {entry:?}: its place holds a control character; not hidden"
                    )),
                },
                None => shortfalls.push(format!(
                    "filesystem.blocked_paths[{i}] {entry:?}: [..] and {{..}} patterns are not translated; not hidden"
                )),
            }
            continue;
        }
        let p = entry_path(entry, &workspace, &home)?;
        if let Some(reason) = runtime_root(&p) {
            shortfalls.push(format!(
                "filesystem.blocked_paths[{i}] {entry:?} holds {reason}: hiding it would stop every program, so it stays readable (writes are refused as outside the writable trees)"
            ));
            continue;
        }
        hidden.push(p);
    }
    let mut extra = Vec::new();
    for p in &hidden {
        if let Some(real) = (input.resolve)(p) {
            if let Ok(real) = normal(&real) {
                if real != *p && runtime_root(&real).is_none() {
                    extra.push(real);
                }
            }
        }
    }
    hidden.extend(extra);
    // Git configuration holding credentials: hidden like a store, after
    // the read-only rules of the protected entries (`~/.gitconfig`) so
    // that the refusal to read wins.
    let mut redacted: Vec<PathBuf> = Vec::new();
    for r in input.redacted {
        let r = normal(r)?;
        let real = (input.resolve)(&r).and_then(|x| normal(&x).ok());
        for p in std::iter::once(r).chain(real) {
            if !redacted.contains(&p) {
                redacted.push(p);
            }
        }
    }
    let mut seen = Vec::new();
    hidden.retain(|p| {
        let fresh = !seen.contains(p);
        seen.push(p.clone());
        fresh
    });

    // Protected home entries: read-only where they are writable (the
    // permissive mode, a workspace that is the home, an entry `~`).
    let mut ro = Vec::new();
    let mut ro_regex = Vec::new();
    let mut ro_paths = Vec::new();
    for h in &homes {
        for name in PROTECTED_STARTUP.iter().chain(PROTECTED_CREDENTIALS) {
            let p = h.join(name);
            if named.contains(&p) || hidden.contains(&p) {
                continue;
            }
            ro.extend(b.tree("PROTECTED", &p));
            ro_paths.push(p.clone());
            match regex_path(&p) {
                Some(r) => ro_regex.push(format!("^{r}(/.*)?$")),
                None => shortfalls.push(format!(
                    "{} is not UTF-8: protected only as spelled",
                    p.display()
                )),
            }
        }
    }
    if !ro.is_empty() {
        b.line("; Protected home entries (shell start-up files, git configuration, credential");
        b.line("; stores): read-only, in any spelling of their case.");
        b.rule("deny file-write*", &ro);
        let filters = regex_filters(&ro_regex, &mut shortfalls);
        b.rule("deny file-write*", &filters);
        b.line("");
    }

    let mut hide = Vec::new();
    let mut hide_regex = Vec::new();
    let mut parents: Vec<PathBuf> = Vec::new();
    for p in &hidden {
        hide.extend(b.tree("HIDDEN", p));
        match regex_path(p) {
            Some(r) => hide_regex.push(format!("^{r}(/.*)?$")),
            None => shortfalls.push(format!(
                "{} is not UTF-8: hidden only as spelled",
                p.display()
            )),
        }
    }
    for p in hidden
        .iter()
        .chain(&glob_anchors)
        .chain(&ro_paths)
        .chain(&redacted)
    {
        let mut a = p.parent();
        while let Some(d) = a {
            if d.parent().is_none() {
                break;
            }
            for f in forms(d) {
                if !parents.contains(&f) {
                    parents.push(f);
                }
            }
            a = d.parent();
        }
    }
    if !hide.is_empty() || !glob_filters.is_empty() {
        b.line("; Hidden: blocked paths and credential stores, in any spelling of their case,");
        b.line("; neither read nor written.");
        b.rule("deny file-read* file-write*", &hide);
        let mut filters = regex_filters(&hide_regex, &mut shortfalls);
        filters.extend(glob_filters);
        b.rule("deny file-read* file-write*", &filters);
        b.line("");
    }
    if !redacted.is_empty() {
        b.line("; Git configuration holding credentials (on Linux shown as a copy without");
        b.line("; them): no copy can be shown here, so it is neither read nor written.");
        let mut lits = Vec::new();
        let mut res = Vec::new();
        for p in &redacted {
            for f in forms(p) {
                lits.push(format!("(literal (param \"{}\"))", b.param("REDACTED", &f)));
            }
            match regex_path(p) {
                Some(r) => res.push(format!("^{r}$")),
                None => shortfalls.push(format!(
                    "{} is not UTF-8: hidden only as spelled",
                    p.display()
                )),
            }
        }
        b.rule("deny file-read* file-write*", &lits);
        let filters = regex_filters(&res, &mut shortfalls);
        b.rule("deny file-read* file-write*", &filters);
        b.line("");
    }
    if !parents.is_empty() {
        b.line("; Parents of hidden and protected entries stay where they are: a renamed");
        b.line("; parent would take them out of these rules' reach.");
        parents.sort();
        let lits: Vec<String> = parents
            .iter()
            .map(|d| format!("(literal (param \"{}\"))", b.param("PARENT", d)))
            .collect();
        b.rule("deny file-write-unlink", &lits);
    }

    Ok(Profile {
        text: b.text,
        params: b.params,
        shortfalls,
        notes,
    })
}

/// The report's mechanisms of a macOS run with `profile`: what holds and
/// what does not. Anything below `full` makes the run degraded.
pub fn mechanisms(
    policy: &Policy,
    profile: &Profile,
    proxy_port: Option<u16>,
) -> Vec<(&'static str, Mechanism)> {
    let seatbelt = if profile.shortfalls.is_empty() {
        Mechanism::new(
            Level::Full,
            format!(
                "profile applied by {SANDBOX_EXEC}: reads everywhere except hidden paths, writes only in the writable trees, git configuration read-only"
            ),
        )
    } else {
        Mechanism::new(Level::Partial, profile.shortfalls.join("; "))
    };
    let network = Mechanism::new(
        Level::Full,
        match proxy_port {
            Some(p) => format!("the profile allows connections only to the proxy at 127.0.0.1:{p}"),
            None => "off: the profile allows no connection".into(),
        },
    );
    let rlimits = match policy.limits.max_memory {
        Some(_) => Mechanism::new(
            Level::Partial,
            "RLIMIT_FSIZE, RLIMIT_NPROC and RLIMIT_CORE set; max_memory is not enforced: macOS does not enforce RLIMIT_AS",
        ),
        None => Mechanism::new(Level::Full, "RLIMIT_FSIZE, RLIMIT_NPROC and RLIMIT_CORE set"),
    };
    // No PID namespace and no subreaper: what leaves the process group
    // cannot be found again.
    let processes = Mechanism::new(
        Level::Partial,
        "no process namespace on macOS: the command's process group is killed when it ends or at the time limit; a process that starts its own session (setsid) outlives the run, still confined by the profile",
    );
    vec![
        ("seatbelt", seatbelt),
        ("network", network),
        ("rlimits", rlimits),
        ("processes", processes),
        (
            "environment",
            Mechanism::new(Level::Full, "allow-list and secret-name screen"),
        ),
    ]
}

fn regex_filters(regexes: &[String], shortfalls: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for r in regexes {
        match sbpl_string(r) {
            Some(s) => {
                let f = format!("(regex {s})");
                if !out.contains(&f) {
                    out.push(f);
                }
            }
            None => shortfalls.push(format!(
                "a protected or hidden path holds a control character ({r:?}): covered only as spelled"
            )),
        }
    }
    out
}

/// Where a glob entry is anchored and what remains of it: `None` for a
/// pattern that matches at any depth (`*.pem`, `**/.env`, `/**/id_*`).
fn glob_anchor(
    entry: &str,
    workspace: &Path,
    home: &Path,
) -> Result<(Option<PathBuf>, String), SeatbeltError> {
    let anywhere = |p: &str| !p.contains('/') || p.starts_with("**/") || p.starts_with("/**/");
    if anywhere(entry) {
        let rest = entry
            .trim_start_matches('/')
            .trim_start_matches("**/")
            .to_string();
        return Ok((None, rest));
    }
    let full = if let Some(rest) = entry.strip_prefix("~/") {
        format!("{}/{rest}", home.display())
    } else if entry.starts_with('/') {
        entry.to_string()
    } else {
        format!("{}/{entry}", workspace.display())
    };
    // The literal directories before the first component with a pattern.
    let parts: Vec<&str> = full
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let first_glob = parts.iter().position(|p| is_glob(p)).unwrap_or(parts.len());
    let anchor = normal(&Path::new("/").join(parts[..first_glob].join("/")))?;
    Ok((Some(anchor), parts[first_glob..].join("/")))
}

/// What of macOS's own runtime `path` is or holds: every program's
/// libraries (the dyld shared cache under `/System`), the programs
/// themselves. Hiding those makes nothing startable.
fn runtime_root(path: &Path) -> Option<&'static str> {
    const ROOTS: &[(&str, &str)] = &[
        ("/System", "the system's libraries"),
        ("/usr", "the system's programs and libraries"),
        ("/bin", "the system's programs"),
        ("/sbin", "the system's programs"),
        ("/private/var/db/dyld", "the system's libraries"),
        ("/Library/Apple", "the system's libraries"),
    ];
    let forms = forms(path);
    for (root, why) in ROOTS {
        if forms.iter().any(|f| Path::new(root).starts_with(f)) {
            return Some(why);
        }
    }
    if forms.iter().any(|f| f == Path::new("/")) {
        return Some("the whole system");
    }
    None
}

// The fixtures are macOS paths, absolute only where paths are POSIX: on
// Windows `/Users/dev` has no drive and is relative.
#[cfg(all(test, unix))]
mod tests;
