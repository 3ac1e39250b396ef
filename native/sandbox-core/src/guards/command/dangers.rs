//! The built-in dangers and the per-tool dangerous flags (docs/policy.md, Commands
//! 7), as ONE data table: [`DANGERS`]. Each row names the tools, what in
//! their argv makes them dangerous, the verdict and code, and why. They apply
//! in every mode, to every layer of a wrapped command.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::normalize::Arg;
use super::rules::{basename, normalize_path};
use super::walk::{Analyzer, Stdin};
use super::wrappers::{scan_options, SHELLS, SHELL_WITH_ARG};
use crate::decision::{DecisionCode, Verdict};

/// What in a tool's argv makes it dangerous.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// Any invocation.
    Always,
    /// Any of these options: the exact word, `--opt=…`, or a short option
    /// inside a cluster (`-xIf` has `-I`).
    Flag(&'static [&'static str]),
    /// Inline code: one of these options, or a program read from a pipe or
    /// here-document when no script file is named.
    InlineCode(&'static [&'static str]),
    /// A program file operand (after one of these subcommands, when any)
    /// that is standard input (`-`, `/dev/stdin`) or a process
    /// substitution: the program is the input text.
    ProgramOnStdin(&'static [&'static str]),
    /// `rm -r` of `/`, a top-level directory, `~`/`$HOME`, or `*` at the top.
    RecursiveDelete,
    /// `dd of=/dev/…`.
    DdToDevice,
    /// An operand that is a block device.
    DeviceOperand,
    /// World-writable or setuid modes on system paths; recursive on `/`.
    ChmodSystem,
    /// Recursive ownership change of `/` or a top-level directory.
    ChownRecursiveTop,
    /// git's global options and subcommand flags that run programs.
    Git,
    /// ssh/scp/sftp options that run local commands.
    SshCommandOption,
    /// rsync's remote shell other than ssh.
    RsyncShell,
    /// An awk program that runs commands.
    AwkProgram,
    /// Editor ex-commands on the command line (`vim -c ':!…'`).
    EditorCommand,
    /// One of these subcommands (first operand).
    Subcommand(&'static [&'static str]),
    /// `kill … -1`: every process.
    KillAll,
    /// `source`/`.` of a path computed at run time or of a process substitution.
    SourceDynamic,
    /// A shell running a script file computed at run time (`bash <(curl …)`).
    ShellScriptOperand,
    /// A makefile read from standard input, or `--eval`.
    MakeInline,
    /// `npm config set script-shell …`.
    NpmScriptShell,
    /// `crontab FILE`, `crontab -`, `crontab -e`: installs scheduled commands.
    CrontabInstall,
    /// A sed script with the `e` command or the `e` flag of `s`.
    SedExec,
    /// `find` deleting from `/`, a top-level directory or the home.
    FindDeleteTop,
    /// A word starting with one of these (a short option with its value
    /// glued on: `-TTsh`).
    Prefix(&'static [&'static str]),
}

/// One row of the danger table.
pub(crate) struct Danger {
    /// Tool basenames; an entry ending in `*` matches names starting with
    /// the rest (`mkfs*` matches `mkfs.ext4`).
    pub tools: &'static [&'static str],
    pub check: Check,
    pub verdict: Verdict,
    pub code: DecisionCode,
    pub why: &'static str,
}

const fn deny(
    tools: &'static [&'static str],
    check: Check,
    code: DecisionCode,
    why: &'static str,
) -> Danger {
    Danger {
        tools,
        check,
        verdict: Verdict::Deny,
        code,
        why,
    }
}

const fn ask(
    tools: &'static [&'static str],
    check: Check,
    code: DecisionCode,
    why: &'static str,
) -> Danger {
    Danger {
        tools,
        check,
        verdict: Verdict::Ask,
        code,
        why,
    }
}

use DecisionCode::{DangerousCommand as CMD, DangerousFlag as FLAG, InlineCode as CODE};

/// The table.
pub(crate) static DANGERS: &[Danger] = &[
    // Destruction.
    deny(&["rm"], Check::RecursiveDelete, CMD, "recursive delete of the root, a top-level directory, the home directory or everything at the top"),
    deny(&["rm"], Check::Flag(&["--no-preserve-root"]), CMD, "--no-preserve-root allows deleting /"),
    deny(&["dd"], Check::DdToDevice, CMD, "writes onto a device"),
    deny(&["mkfs*", "mke2fs", "mkswap", "mkdosfs", "mkntfs", "wipefs", "fdisk", "sfdisk", "cfdisk", "gdisk", "sgdisk", "parted"], Check::Always, CMD, "formats, wipes or repartitions disks"),
    deny(&["shred", "srm", "blkdiscard"], Check::DeviceOperand, CMD, "destroys a device"),
    deny(&["chmod"], Check::ChmodSystem, CMD, "makes system paths world-writable or setuid, or changes modes of / recursively"),
    deny(&["chown", "chgrp"], Check::ChownRecursiveTop, CMD, "changes ownership of / or a top-level directory recursively"),
    deny(&["shutdown", "reboot", "halt", "poweroff"], Check::Always, CMD, "stops or restarts the machine"),
    deny(&["systemctl"], Check::Subcommand(&["poweroff", "reboot", "halt", "kexec", "soft-reboot"]), CMD, "stops or restarts the machine"),
    deny(&["init", "telinit"], Check::Subcommand(&["0", "6"]), CMD, "stops or restarts the machine"),
    deny(&["kill"], Check::KillAll, CMD, "signals every process (pid -1)"),
    deny(&["find"], Check::FindDeleteTop, CMD, "deletes everything below the root, a top-level directory or the home directory"),
    ask(&["crontab"], Check::CrontabInstall, CMD, "installs scheduled commands"),
    // Tool flags that run arbitrary programs.
    deny(&["git"], Check::Git, FLAG, "runs a program chosen on the command line or in configuration"),
    deny(&["enable"], Check::Flag(&["-f"]), FLAG, "-f loads a shared object into the shell"),
    deny(&["hash"], Check::Flag(&["-p"]), FLAG, "-p makes a command name run another file"),
    deny(&["rg"], Check::Flag(&["--pre", "--pre-glob"]), FLAG, "--pre runs a program on every file searched"),
    deny(&["tar", "gtar", "bsdtar"], Check::Flag(&["--to-command", "--checkpoint-action", "--use-compress-program", "-I", "--info-script", "-F", "--new-volume-script", "--rsh-command", "--rmt-command"]), FLAG, "runs a program given on the command line"),
    deny(&["ssh", "scp", "sftp", "sshfs"], Check::SshCommandOption, FLAG, "ProxyCommand/LocalCommand-style options run a local command"),
    deny(&["scp", "sftp"], Check::Flag(&["-S", "-D"]), FLAG, "-S/-D name a program to run"),
    deny(&["rsync"], Check::RsyncShell, FLAG, "-e/--rsh runs a program other than ssh"),
    deny(&["npm", "pnpm", "yarn"], Check::Flag(&["--script-shell"]), FLAG, "--script-shell replaces the shell that runs package scripts"),
    deny(&["npm", "pnpm", "yarn"], Check::NpmScriptShell, FLAG, "sets the shell that runs package scripts"),
    deny(&["zip"], Check::Flag(&["-TT", "--unzip-command"]), FLAG, "-TT runs a program given on the command line"),
    deny(&["zip"], Check::Prefix(&["-TT"]), FLAG, "-TT runs a program given on the command line"),
    deny(&["split"], Check::Flag(&["--filter"]), FLAG, "--filter runs a shell command for every piece"),
    deny(&["sort"], Check::Flag(&["--compress-program"]), FLAG, "--compress-program runs a program given on the command line"),
    deny(&["install"], Check::Flag(&["--strip-program"]), FLAG, "--strip-program runs a program given on the command line"),
    deny(&["man"], Check::Flag(&["-H", "--html", "--preprocessor", "-p"]), FLAG, "names a program to run (browser or preprocessor)"),
    deny(&["wget", "wget2"], Check::Flag(&["--use-askpass"]), FLAG, "--use-askpass runs a program given on the command line"),
    deny(&["less", "more", "man"], Check::Flag(&["-P", "--pager"]), FLAG, "names a program to run as the pager"),
    // Inline code for interpreters.
    ask(&["python*", "pypy*"], Check::InlineCode(&["-c"]), CODE, "runs inline Python code"),
    ask(&["node", "nodejs"], Check::InlineCode(&["-e", "--eval", "-p", "--print"]), CODE, "runs inline JavaScript"),
    ask(&["bun"], Check::InlineCode(&["-e", "--eval", "-p", "--print"]), CODE, "runs inline JavaScript"),
    ask(&["deno"], Check::Subcommand(&["eval", "repl"]), CODE, "runs inline JavaScript"),
    ask(&["deno", "bun"], Check::ProgramOnStdin(&["run"]), CODE, "runs a program read from its input"),
    ask(&["java"], Check::ProgramOnStdin(&[]), CODE, "runs a source file read from its input"),
    ask(&["perl"], Check::InlineCode(&["-e", "-E"]), CODE, "runs inline Perl code"),
    ask(&["ruby", "irb"], Check::InlineCode(&["-e"]), CODE, "runs inline Ruby code"),
    ask(&["php"], Check::InlineCode(&["-r", "--run"]), CODE, "runs inline PHP code"),
    ask(&["lua", "luajit"], Check::InlineCode(&["-e"]), CODE, "runs inline Lua code"),
    ask(&["Rscript", "R"], Check::InlineCode(&["-e"]), CODE, "runs inline R code"),
    ask(&["julia", "groovy", "scala", "elixir"], Check::InlineCode(&["-e", "--eval"]), CODE, "runs inline code"),
    ask(&["tclsh", "wish", "jshell"], Check::InlineCode(&[]), CODE, "runs code read from its input"),
    ask(&["osascript"], Check::InlineCode(&["-e"]), CODE, "runs inline AppleScript"),
    ask(&["powershell", "pwsh", "powershell.exe", "pwsh.exe"], Check::InlineCode(&["-c", "-command", "-encodedcommand", "-e", "-ec", "-enc"]), CODE, "runs inline PowerShell"),
    ask(&["cmd", "cmd.exe"], Check::InlineCode(&["/c", "/k"]), CODE, "runs an inline cmd.exe command"),
    ask(&["awk", "gawk", "mawk", "nawk"], Check::AwkProgram, CODE, "the awk program runs shell commands (system, pipes, getline)"),
    ask(&["vim", "vi", "nvim", "ex", "view", "gvim", "mvim", "vimdiff"], Check::EditorCommand, CODE, "ex commands on the command line can run shell commands"),
    ask(&["emacs", "emacsclient"], Check::Flag(&["--eval", "-eval", "--execute"]), CODE, "runs inline Lisp"),
    ask(&["mapfile", "readarray"], Check::Flag(&["-C"]), CODE, "-C runs a callback command for the lines read"),
    ask(&["make", "gmake"], Check::MakeInline, CODE, "runs a makefile given inline or on standard input"),
    ask(&["sed", "gsed"], Check::SedExec, CODE, "the sed script runs shell commands (the e command or the e flag of s)"),
    ask(&["source", "."], Check::SourceDynamic, CODE, "runs a script whose path or content is computed at run time"),
    ask(SHELLS, Check::ShellScriptOperand, CODE, "runs a script whose path or content is computed at run time"),
];

/// Programs that fetch data from the network.
const DOWNLOADERS: &[&str] = &[
    "curl",
    "wget",
    "wget2",
    "fetch",
    "aria2c",
    "axel",
    "http",
    "https",
    "xh",
    "httpie",
    "lwp-download",
    "lwp-request",
    "GET",
    "POST",
    "nc",
    "ncat",
    "netcat",
    "socat",
    "ftp",
    "tftp",
    "telnet",
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "git-remote-http",
    "lynx",
    "links",
    "w3m",
];

/// Whether `name` (a basename) fetches data from the network.
pub(crate) fn is_downloader(name: &str) -> bool {
    DOWNLOADERS.contains(&name)
}

/// Whether some row of the table names this tool.
pub(crate) fn has_rows(name: &str) -> bool {
    DANGERS.iter().any(|d| name_matches(d.tools, name))
}

fn name_matches(tools: &[&str], name: &str) -> bool {
    tools.iter().any(|t| match t.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => *t == name,
    })
}

/// The rows of [`DANGERS`] whose tools match `name` ([`name_matches`]), in
/// table order: looked up by name in an index built once, instead of
/// matching every row for every command.
fn rows_for(name: &str) -> Vec<usize> {
    /// Rows by exact tool name, and the rows with a `*` entry.
    type Index = (HashMap<&'static str, Vec<usize>>, Vec<usize>);
    static INDEX: LazyLock<Index> = LazyLock::new(|| {
        let mut exact: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut prefixed = Vec::new();
        for (i, d) in DANGERS.iter().enumerate() {
            for t in d.tools {
                if t.ends_with('*') {
                    prefixed.push(i);
                } else {
                    exact.entry(*t).or_default().push(i);
                }
            }
        }
        prefixed.dedup();
        (exact, prefixed)
    });
    let (exact, prefixed) = &*INDEX;
    let mut rows: Vec<usize> = exact.get(name).cloned().unwrap_or_default();
    rows.extend(
        prefixed
            .iter()
            .copied()
            .filter(|&i| name_matches(DANGERS[i].tools, name)),
    );
    rows.sort_unstable();
    rows.dedup();
    rows
}

impl Analyzer<'_> {
    /// Apply every row of the table that names this tool.
    pub(crate) fn check_dangers(&mut self, argv: &[Arg], base: &str, stdin: &Stdin) {
        for d in rows_for(base).into_iter().map(|i| &DANGERS[i]) {
            if let Some((detail, span)) = evaluate(d.check, argv, base, stdin) {
                let mut verdict = d.verdict;
                let mut code = d.code;
                let mut why = d.why.to_string();
                if let Some(rest) = detail.strip_prefix(ASK) {
                    verdict = Verdict::Ask;
                    why = format!("{why} ({rest})");
                } else if detail == DOWNLOAD {
                    verdict = Verdict::Deny;
                    code = DecisionCode::DownloadToShell;
                    why = format!("{why}: the code comes from the network");
                } else if !detail.is_empty() {
                    why = format!("{why} ({detail})");
                }
                // In whitelist mode every command that runs must be known:
                // code the analysis cannot see is refused, not asked about.
                if verdict == Verdict::Ask
                    && code == DecisionCode::InlineCode
                    && self.guard.mode == crate::policy::CommandMode::Whitelist
                {
                    verdict = Verdict::Deny;
                }
                let span = span.unwrap_or_else(|| command_span(argv));
                self.finding(verdict, code, format!("{base}: {why}"), span, argv, None);
            }
        }
    }
}

/// Marker detail: the inline code was downloaded (the verdict becomes deny
/// with `DOWNLOAD_TO_SHELL`).
const DOWNLOAD: &str = "\u{1}download";
/// Marker prefix of a detail: the danger is only possible (the verdict
/// becomes ask).
const ASK: &str = "\u{2}";

/// The span of a whole argv.
pub(crate) fn command_span(argv: &[Arg]) -> [usize; 2] {
    match (argv.first(), argv.last()) {
        (Some(a), Some(b)) => [a.span[0], b.span[1].max(a.span[0])],
        _ => [0, 0],
    }
}

type Hit = Option<(String, Option<[usize; 2]>)>;

fn hit(detail: impl Into<String>, span: [usize; 2]) -> Hit {
    Some((detail.into(), Some(span)))
}

/// Whether a word is one of the options, as a word, `--opt=…` or a short
/// option inside a cluster.
fn has_option(a: &Arg, names: &[&str]) -> bool {
    let Some(v) = a.lit() else { return false };
    names.iter().any(|n| {
        if v == *n {
            return true;
        }
        if n.starts_with("--") || (n.starts_with('-') && n.len() > 2) {
            return v.strip_prefix(n).is_some_and(|rest| rest.starts_with('='));
        }
        if let (Some(c), false) = (n.strip_prefix('-'), v.starts_with("--")) {
            return v.len() > 2 && v.starts_with('-') && v[1..].contains(c) && c.len() == 1;
        }
        false
    })
}

fn evaluate(check: Check, argv: &[Arg], base: &str, stdin: &Stdin) -> Hit {
    match check {
        Check::Always => Some((String::new(), None)),
        Check::Flag(names) => argv
            .iter()
            .skip(1)
            .find(|a| has_option(a, names))
            .and_then(|a| hit(a.shown(), a.span)),
        Check::InlineCode(names) => inline_code(argv, base, names, stdin),
        Check::ProgramOnStdin(subs) => program_on_stdin(argv, subs, stdin),
        Check::Prefix(prefixes) => argv
            .iter()
            .skip(1)
            .find(|a| {
                a.lit()
                    .is_some_and(|v| prefixes.iter().any(|p| v.starts_with(p)))
            })
            .and_then(|a| hit(a.shown(), a.span)),
        Check::RecursiveDelete => recursive_delete(argv),
        Check::DdToDevice => argv
            .iter()
            .skip(1)
            .find(|a| {
                a.lit()
                    .and_then(|v| v.strip_prefix("of="))
                    .is_some_and(is_block_device)
            })
            .and_then(|a| hit(a.shown(), a.span)),
        Check::DeviceOperand => argv
            .iter()
            .skip(1)
            .find(|a| a.lit().is_some_and(is_block_device))
            .and_then(|a| hit(a.shown(), a.span)),
        Check::ChmodSystem => chmod(argv),
        Check::ChownRecursiveTop => {
            let recursive = argv
                .iter()
                .skip(1)
                .any(|a| has_option(a, &["-R", "--recursive"]));
            if !recursive {
                return None;
            }
            argv.iter()
                .skip(2)
                .find(|a| is_top(a))
                .and_then(|a| hit(a.shown(), a.span))
        }
        Check::Git => git(argv),
        Check::SshCommandOption => ssh_option(argv),
        Check::RsyncShell => {
            let scan_all = argv.iter().enumerate().skip(1);
            for (i, a) in scan_all {
                let value = match a.lit() {
                    Some("-e") | Some("--rsh") => argv.get(i + 1).map(|n| n.shown()),
                    Some(v) if v.starts_with("--rsh=") => Some(v["--rsh=".len()..].to_string()),
                    _ => None,
                };
                if let Some(v) = value {
                    let prog = v.split_whitespace().next().unwrap_or("");
                    if basename(prog) != "ssh" {
                        return hit(v, a.span);
                    }
                }
            }
            None
        }
        Check::AwkProgram => {
            let scan = scan_options(
                argv,
                1,
                &["-F", "-v", "-f", "--file", "--field-separator", "--assign"],
            );
            if scan.has(&["-f", "--file"]) {
                return None;
            }
            let prog = argv.get(scan.first)?;
            match prog.lit() {
                Some(p) if p.contains("system") || p.contains('|') || p.contains("getline") => {
                    hit("", prog.span)
                }
                Some(_) => None,
                None => hit("the program is computed at run time", prog.span),
            }
        }
        Check::EditorCommand => argv
            .iter()
            .skip(1)
            .find(|a| {
                a.lit().is_some_and(|v| {
                    v == "-c"
                        || v == "--cmd"
                        || v == "-S"
                        || v == "-u"
                        || v == "-U"
                        || v == "-s"
                        || (v.starts_with('+') && v.len() > 1)
                })
            })
            .and_then(|a| hit(a.shown(), a.span)),
        Check::Subcommand(subs) => {
            let scan = scan_options(argv, 1, &[]);
            let sub = argv.get(scan.first)?;
            sub.lit()
                .filter(|s| subs.contains(s))
                .and_then(|_| hit(sub.shown(), sub.span))
        }
        Check::KillAll => {
            let mut i = 1;
            if let Some(v) = argv.get(1).and_then(|a| a.lit()) {
                if v == "-s" || v == "-n" {
                    i = 3;
                } else if v.starts_with('-') && v != "-1" && v != "--" {
                    i = 2;
                }
            }
            argv.iter()
                .skip(i)
                .find(|a| a.is("-1"))
                .and_then(|a| hit("-1", a.span))
        }
        Check::SourceDynamic => {
            let script = argv.get(1)?;
            source_operand(script)
        }
        Check::ShellScriptOperand => {
            let scan = scan_options(argv, 1, SHELL_WITH_ARG);
            if scan.has(&["-c", "-s"]) {
                return None;
            }
            source_operand(argv.get(scan.first)?)
        }
        Check::MakeInline => {
            for (i, a) in argv.iter().enumerate().skip(1) {
                let v = a.lit().unwrap_or("");
                let file = match v {
                    "-f" | "--file" | "--makefile" => argv.get(i + 1).map(|n| n.shown()),
                    _ if v.starts_with("--file=") || v.starts_with("--makefile=") => {
                        v.split_once('=').map(|(_, f)| f.to_string())
                    }
                    _ if v.starts_with("-f") && v.len() > 2 => Some(v[2..].to_string()),
                    _ => None,
                };
                if let Some(f) = file {
                    if f == "-" || super::shell::descriptor_path(&f).is_some() {
                        return hit(format!("makefile {f}"), a.span);
                    }
                }
                if v == "-E" || v.starts_with("--eval") {
                    return hit(v, a.span);
                }
            }
            None
        }
        Check::NpmScriptShell => {
            let words: Vec<String> = argv.iter().map(|a| a.shown()).collect();
            let config = words.iter().position(|w| w == "config" || w == "c")?;
            let sets = words[config + 1..].iter().any(|w| w == "set");
            let key = words[config + 1..]
                .iter()
                .find(|w| w.starts_with("script-shell"))?;
            if sets || key.contains('=') {
                return Some((key.clone(), None));
            }
            None
        }
        Check::SedExec => {
            let mut scripts: Vec<&Arg> = Vec::new();
            let mut explicit = false;
            let mut i = 1;
            while i < argv.len() {
                match argv[i].lit() {
                    Some("-e" | "--expression") => {
                        explicit = true;
                        if let Some(a) = argv.get(i + 1) {
                            scripts.push(a);
                        }
                        i += 2;
                        continue;
                    }
                    Some("-f" | "--file") => {
                        explicit = true;
                        i += 2;
                        continue;
                    }
                    Some(v) if v.starts_with("--expression=") || v.starts_with("--file=") => {
                        explicit = true
                    }
                    _ => {}
                }
                i += 1;
            }
            if !explicit {
                let scan = scan_options(argv, 1, &["-l", "--line-length"]);
                scripts.extend(argv.get(scan.first));
            }
            scripts
                .into_iter()
                .find(|a| a.lit().is_some_and(sed_runs_commands))
                .and_then(|a| hit(a.shown(), a.span))
        }
        Check::FindDeleteTop => {
            if !argv.iter().any(|a| a.is("-delete")) {
                return None;
            }
            argv.iter()
                .skip(1)
                .take_while(|a| {
                    !a.lit()
                        .is_some_and(|v| v.starts_with('-') || v == "(" || v == "!")
                })
                .find(|a| is_top(a))
                .and_then(|a| hit(a.shown(), a.span))
        }
        Check::CrontabInstall => {
            let scan = scan_options(argv, 1, &["-u"]);
            if scan.has(&["-l", "-r"]) && !scan.has(&["-e"]) {
                return None;
            }
            if scan.has(&["-e"]) || scan.first < argv.len() {
                return Some((String::new(), None));
            }
            // `crontab` alone reads the new table from standard input.
            Some(("from standard input".to_string(), None))
        }
    }
}

/// Whether a sed script runs a shell command: the `e` command, or an `s`
/// command with the `e` flag (GNU sed).
fn sed_runs_commands(script: &str) -> bool {
    for cmd in script.split(['\n', ';']) {
        let mut c = cmd.trim_start().trim_start_matches(['{', '}', ' ']);
        // Skip an address: numbers, `$`, `/re/`, ranges, `!`.
        loop {
            let before = c;
            c = c.trim_start_matches(|ch: char| {
                ch.is_ascii_digit() || matches!(ch, '$' | ',' | '!' | ' ' | '~' | '+')
            });
            if let Some(rest) = c.strip_prefix('/') {
                c = rest.find('/').map_or("", |i| &rest[i + 1..]);
            }
            if c == before {
                break;
            }
        }
        if c == "e" || c.starts_with("e ") || c.starts_with("e\t") {
            return true;
        }
        if let Some(rest) = c.strip_prefix('s') {
            let Some(delim) = rest.chars().next() else {
                continue;
            };
            if delim.is_alphanumeric() || delim == '\\' || delim == ' ' {
                continue;
            }
            let parts: Vec<&str> = rest[delim.len_utf8()..].splitn(3, delim).collect();
            if let Some(flags) = parts.get(2) {
                let flags: String = flags
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric())
                    .collect();
                if flags.contains('e') {
                    return true;
                }
            }
        }
    }
    false
}

/// A script operand of `source` or a shell: dynamic or from a process
/// substitution.
fn source_operand(script: &Arg) -> Hit {
    if script.procsub {
        if script.downloads {
            return Some((DOWNLOAD.to_string(), Some(script.span)));
        }
        return hit("a process substitution", script.span);
    }
    if script.lit().is_none() {
        if script.downloads {
            return Some((DOWNLOAD.to_string(), Some(script.span)));
        }
        return hit(script.text.clone(), script.span);
    }
    None
}

fn inline_code(argv: &[Arg], base: &str, names: &[&str], stdin: &Stdin) -> Hit {
    let lower = |a: &Arg| a.lit().map(|v| v.to_ascii_lowercase());
    let windows =
        base.starts_with("powershell") || base.starts_with("pwsh") || base.starts_with("cmd");
    for a in argv.iter().skip(1) {
        // Options end at the script or `--`.
        let Some(v) = a.lit() else { break };
        if v == "--" || !(v.starts_with('-') || (windows && v.starts_with('/'))) {
            break;
        }
        let matched = if windows {
            lower(a).is_some_and(|l| names.contains(&l.as_str()))
        } else {
            has_option(a, names)
        };
        if matched {
            return hit(v.to_string(), a.span);
        }
    }
    // No script named: the program is read from standard input.
    let scan = scan_options(
        argv,
        1,
        &["-W", "-X", "-m", "-r", "--require", "-I", "-M", "-x"],
    );
    if scan.has(&["-m"]) {
        return None;
    }
    if let Some(program) = argv.get(scan.first) {
        if program.procsub {
            if program.downloads {
                return Some((DOWNLOAD.to_string(), Some(program.span)));
            }
            return hit("the program is a process substitution", program.span);
        }
        if !program.is("-") && !program.lit().is_some_and(super::wrappers::is_stdin_path) {
            return None;
        }
    }
    stdin_program(stdin)
}

/// `deno run -`, `bun run /dev/stdin`, `java --source 21 /dev/stdin`: the
/// program file is the command's input.
fn program_on_stdin(argv: &[Arg], subs: &[&str], stdin: &Stdin) -> Hit {
    let start = if subs.is_empty() {
        0
    } else {
        let i = argv
            .iter()
            .skip(1)
            .position(|a| !a.lit().is_some_and(|v| v.starts_with('-')))?
            + 1;
        if !subs.iter().any(|s| argv[i].is(s)) {
            return None;
        }
        i
    };
    let program = argv[start + 1..].iter().find(|a| {
        a.procsub
            || (a.is("-") && !subs.is_empty())
            || a.lit().is_some_and(super::wrappers::is_stdin_path)
    })?;
    if program.procsub {
        if program.downloads {
            return Some((DOWNLOAD.to_string(), Some(program.span)));
        }
        return hit("the program is a process substitution", program.span);
    }
    stdin_program(stdin)
}

/// What a program read from standard input is.
fn stdin_program(stdin: &Stdin) -> Hit {
    match stdin {
        Stdin::Pipe { downloads: true } => Some((DOWNLOAD.to_string(), None)),
        Stdin::Pipe { .. } => Some(("the program is read from a pipe".to_string(), None)),
        Stdin::Text {
            downloads: true, ..
        } => Some((DOWNLOAD.to_string(), None)),
        Stdin::Text { span, .. } => hit("the program is a here-document", *span),
        Stdin::Inherited | Stdin::File(_) => None,
    }
}

/// `/`, a top-level directory, the home directory, or a glob of everything
/// in one of those or in the working directory.
fn is_top(a: &Arg) -> bool {
    if let Some(v) = a.lit() {
        if a.home {
            let rest = v.trim_start_matches('~');
            return normalize_path(&format!("/{rest}")) == "/";
        }
        let n = normalize_path(v);
        if !v.starts_with('/') {
            return false;
        }
        return n == "/" || n.matches('/').count() == 1;
    }
    if let Some(p) = &a.pattern {
        let p = p.trim_end_matches('/');
        if matches!(p, "*" | "./*" | "/*" | "~/*" | ".*" | "./.*") {
            return true;
        }
        if a.home && (p == "~/*" || p == "~/.*") {
            return true;
        }
        if let Some(dir) = p.strip_suffix("/*") {
            return dir.starts_with('/') && normalize_path(dir) == "/";
        }
    }
    false
}

fn recursive_delete(argv: &[Arg]) -> Hit {
    let mut recursive = false;
    let mut operands = Vec::new();
    let mut options_done = false;
    for a in argv.iter().skip(1) {
        match a.lit() {
            Some("--") if !options_done => options_done = true,
            Some(v) if !options_done && v.starts_with("--") => {
                if v == "--recursive" {
                    recursive = true;
                }
            }
            Some(v) if !options_done && v.starts_with('-') && v.len() > 1 => {
                if v.contains('r') || v.contains('R') {
                    recursive = true;
                }
            }
            _ => operands.push(a),
        }
    }
    if !recursive {
        return None;
    }
    operands
        .into_iter()
        .find(|a| is_top(a))
        .and_then(|a| hit(a.shown(), a.span))
}

/// A path under `/dev` that is not one of the harmless character devices.
fn is_block_device(p: &str) -> bool {
    let Some(name) = p.strip_prefix("/dev/") else {
        return false;
    };
    !matches!(
        name,
        "null" | "zero" | "random" | "urandom" | "stdout" | "stderr" | "stdin" | "tty" | "full"
    ) && !name.starts_with("fd/")
        && !name.starts_with("pts/")
}

const SYSTEM_ROOTS: &[&str] = &[
    "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/var",
    "/opt", "/root", "/sys", "/proc", "/dev", "/srv", "/System", "/Library", "/private",
];

fn is_system_path(a: &Arg) -> bool {
    let Some(v) = a.lit() else { return false };
    if !v.starts_with('/') {
        return false;
    }
    let n = normalize_path(v);
    n == "/"
        || SYSTEM_ROOTS
            .iter()
            .any(|r| n == *r || n.strip_prefix(*r).is_some_and(|t| t.starts_with('/')))
}

fn chmod(argv: &[Arg]) -> Hit {
    let recursive = argv
        .iter()
        .skip(1)
        .any(|a| has_option(a, &["-R", "--recursive"]));
    let words: Vec<&Arg> = argv
        .iter()
        .skip(1)
        .filter(|a| !a.lit().is_some_and(|v| v.starts_with('-') && !is_mode(v)))
        .collect();
    let (mode, targets) = words.split_first()?;
    let mode_text = mode.lit().unwrap_or("");
    let dangerous_mode = dangerous_mode(mode_text);
    for t in targets {
        if (dangerous_mode && is_system_path(t)) || (recursive && is_top(t)) {
            return hit(format!("{mode_text} {}", t.shown()), t.span);
        }
    }
    None
}

fn is_mode(v: &str) -> bool {
    // `-w`, `-x` are symbolic modes too, as in `chmod -w file`.
    v.len() > 1 && v[1..].chars().all(|c| "rwxXst".contains(c))
}

/// World-writable or setuid/setgid.
fn dangerous_mode(m: &str) -> bool {
    if !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()) {
        let digits: Vec<u32> = m.chars().filter_map(|c| c.to_digit(8)).collect();
        if digits.len() != m.len() {
            return false;
        }
        let other = digits.last().copied().unwrap_or(0);
        let special = if digits.len() == 4 { digits[0] } else { 0 };
        return other & 2 != 0 || special & 6 != 0;
    }
    m.split(',').any(|clause| {
        let (who, rest) = clause.split_at(clause.find(['+', '=']).unwrap_or(clause.len()));
        let perms = rest.get(1..).unwrap_or("");
        let world = who.is_empty() || who.contains('a') || who.contains('o');
        (world && perms.contains('w')) || perms.contains('s')
    })
}

/// Configuration keys whose values are programs or shell commands.
fn git_exec_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "core.pager",
        "core.editor",
        "core.sshcommand",
        "core.fsmonitor",
        "core.hookspath",
        "core.askpass",
        "core.gitproxy",
        "core.alternaterefscommand",
        "diff.external",
        "sequence.editor",
        "gpg.program",
        "credential.helper",
        "interactive.difffilter",
        "sendemail.smtpserver",
        "uploadpack.packobjectshook",
        "include.path",
        "init.templatedir",
        "web.browser",
        "man.viewer",
        "protocol.allow",
        "core.worktree",
    ];
    if EXACT.contains(&k.as_str()) {
        return true;
    }
    let parts: Vec<&str> = k.split('.').collect();
    let (first, last) = (parts[0], *parts.last().unwrap_or(&""));
    match first {
        "alias" | "pager" => true,
        "diff" => matches!(last, "textconv" | "command"),
        "merge" => last == "driver",
        "filter" => matches!(last, "clean" | "smudge" | "process"),
        "credential" => last == "helper",
        "gpg" => last == "program",
        "includeif" => last == "path",
        "browser" | "man" | "difftool" | "mergetool" => matches!(last, "cmd" | "path"),
        "remote" => matches!(last, "uploadpack" | "receivepack" | "proxy"),
        "protocol" => last == "allow",
        "url" => matches!(last, "insteadof" | "pushinsteadof"),
        "core" => matches!(
            last,
            "pager" | "editor" | "sshcommand" | "fsmonitor" | "hookspath"
        ),
        _ => false,
    }
}

/// git's global options (before the subcommand) that take a value: one
/// list, so that every reader of a git command line finds the same
/// subcommand.
pub(crate) const GIT_GLOBAL_WITH_ARG: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--config-env",
    "--super-prefix",
    "--list-cmds",
    "--attr-source",
];

fn git(argv: &[Arg]) -> Hit {
    let scan = scan_options(argv, 1, GIT_GLOBAL_WITH_ARG);
    for (opt, idx, inline) in &scan.opts {
        let span = idx
            .and_then(|i| argv.get(i))
            .map_or(argv[0].span, |a| a.span);
        match opt.as_str() {
            "-c" | "--config-env" => {
                return hit(
                    format!("{opt} sets configuration that can run programs"),
                    span,
                )
            }
            "--exec-path" if inline.is_some() => {
                return hit("--exec-path runs git commands from another directory", span);
            }
            "-p" | "--paginate" => {
                return hit(
                    format!("{opt} pipes output through the configured pager"),
                    span,
                )
            }
            _ => {}
        }
    }
    let sub_at = scan.first;
    let sub = argv.get(sub_at)?;
    let Some(name) = sub.lit() else {
        return hit(
            format!(
                "{ASK}the git subcommand is computed at run time and may be an option such as -c"
            ),
            sub.span,
        );
    };
    let rest = &argv[sub_at + 1..];
    let flag = |names: &[&str]| {
        rest.iter()
            .find(|a| has_option(a, names))
            .and_then(|a| hit(a.shown(), a.span))
    };
    // URLs of transports that run commands.
    if let Some(a) = rest.iter().find(|a| {
        a.lit()
            .is_some_and(|v| v.starts_with("ext::") || v.starts_with("fd::"))
    }) {
        return hit(format!("{} transport runs a command", a.shown()), a.span);
    }
    match name {
        "diff" | "log" | "show" | "whatchanged" | "diff-tree" | "diff-files" | "diff-index"
        | "format-patch" | "range-diff" | "blame" => flag(&["--ext-diff"]),
        "stash" if rest.first().is_some_and(|a| a.is("show")) => flag(&["--ext-diff"]),
        "grep" => rest
            .iter()
            .find(|a| {
                a.lit().is_some_and(|v| {
                    v == "-O"
                        || v.starts_with("-O") && !v.starts_with("--")
                        || v.starts_with("--open-files-in-pager")
                })
            })
            .and_then(|a| hit(a.shown(), a.span)),
        "difftool" => flag(&["-x", "--extcmd"]),
        "rebase" => flag(&["-x", "--exec"]),
        "clone" => flag(&["-u", "--upload-pack", "-c", "--config", "--template"]),
        "init" => flag(&["--template"]),
        "ls-remote" => flag(&["-u", "--upload-pack"]),
        "fetch" | "pull" => flag(&["--upload-pack"]),
        "push" | "send-pack" => flag(&["--receive-pack", "--exec"]),
        "archive" => flag(&["--exec"]),
        "filter-branch" => hit("runs shell filters", sub.span),
        "submodule" => rest
            .iter()
            .find(|a| a.is("foreach"))
            .and_then(|a| hit("foreach runs a shell command", a.span)),
        "bisect" => rest
            .iter()
            .find(|a| a.is("run"))
            .and_then(|a| hit("run runs a command", a.span)),
        "config" => git_config(rest),
        _ => None,
    }
}

fn git_config(rest: &[Arg]) -> Hit {
    let with_arg = super::git_model::config_options(|o| o.with_arg);
    let scan = scan_options(rest, 0, &with_arg);
    let reading = scan.has(&super::git_model::config_options(|o| o.not_setting));
    // Operands may be interleaved with options.
    let operands: Vec<&Arg> = rest[scan.first..]
        .iter()
        .filter(|a| !a.lit().is_some_and(|v| v.starts_with('-')))
        .collect();
    let mut ops = operands.as_slice();
    let mut setting = !reading;
    if let Some(first) = ops.first().and_then(|a| a.lit()) {
        match first {
            "set" => {
                ops = &ops[1..];
                setting = true;
            }
            "get" | "list" | "unset" | "rename-section" | "remove-section" | "edit" => return None,
            _ => {}
        }
    }
    if !setting || ops.len() < 2 {
        return None;
    }
    let key = ops[0];
    let value = ops[1];
    let Some(k) = key.lit() else {
        return hit("the configuration key is computed at run time", key.span);
    };
    if git_exec_key(k) {
        let kl = k.to_ascii_lowercase();
        if kl.starts_with("alias.")
            && value
                .lit()
                .is_some_and(|v| !v.trim_start().starts_with('!'))
        {
            return None;
        }
        return hit(format!("{k} {}", value.shown()), key.span);
    }
    None
}

fn ssh_option(argv: &[Arg]) -> Hit {
    const KEYS: &[&str] = &[
        "proxycommand",
        "localcommand",
        "permitlocalcommand",
        "knownhostscommand",
        "remotecommand",
        "match",
        "pkcs11provider",
        "securitykeyprovider",
        "include",
    ];
    // Read as OpenSSH reads it (clusters, quoted or indented keywords).
    let base = basename(argv[0].lit().unwrap_or("ssh"));
    for (opt, span) in super::ssh_options::o_values(argv, base) {
        let (key, _) = super::ssh_options::keyword(&opt);
        if KEYS.contains(&key.as_str()) {
            return hit(format!("-o {opt}"), span);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_the_rows_a_scan_finds_in_table_order() {
        let mut names: Vec<String> = vec!["".into(), "ls".into(), "mkfs.ext4".into()];
        for d in DANGERS {
            for t in d.tools {
                names.push(t.trim_end_matches('*').to_string());
                names.push(format!("{}3.12", t.trim_end_matches('*')));
                names.push(t.to_string());
            }
        }
        for n in &names {
            let scanned: Vec<usize> = (0..DANGERS.len())
                .filter(|&i| name_matches(DANGERS[i].tools, n))
                .collect();
            assert_eq!(rows_for(n), scanned, "{n}");
        }
    }

    fn args(words: &[&str]) -> Vec<Arg> {
        words
            .iter()
            .map(|w| {
                let mut a = Arg::literal(w, [0, 0]);
                a.home = w.starts_with('~');
                a
            })
            .collect()
    }

    fn danger(words: &[&str]) -> bool {
        let argv = args(words);
        let base = basename(words[0]);
        DANGERS
            .iter()
            .filter(|d| name_matches(d.tools, base))
            .any(|d| evaluate(d.check, &argv, base, &Stdin::Inherited).is_some())
    }

    #[test]
    fn recursive_delete_forms() {
        for bad in [
            &["rm", "-rf", "/"][..],
            &["rm", "-rfi", "/"],
            &["rm", "-r", "-f", "/"],
            &["rm", "--recursive", "--force", "/"],
            &["rm", "-rf", "--", "/"],
            &["rm", "-rf", "/", "--no-preserve-root"],
            &["rm", "-rf", "//"],
            &["rm", "-rf", "~"],
            &["rm", "-fr", "~/"],
            &["rm", "-rf", "/usr"],
        ] {
            assert!(danger(bad), "{bad:?}");
        }
        for ok in [
            &["rm", "-rf", "./build"][..],
            &["rm", "-f", "/"],
            &["rm", "-rf", "/home/u/project/x"],
            &["rm", "-rf", "~/x"],
        ] {
            assert!(!danger(ok), "{ok:?}");
        }
    }

    #[test]
    fn tool_flags() {
        assert!(danger(&["git", "-c", "core.pager=x", "log"]));
        assert!(danger(&["git", "-p", "status"]));
        assert!(!danger(&["git", "log", "-p", "-1"]));
        assert!(danger(&["git", "diff", "--ext-diff"]));
        assert!(danger(&[
            "git",
            "config",
            "--global",
            "alias.st",
            "!rm -rf ~"
        ]));
        assert!(!danger(&[
            "git", "config", "--global", "alias.st", "status"
        ]));
        assert!(!danger(&["git", "config", "--get", "core.pager"]));
        assert!(danger(&["git", "config", "core.pager", "less"]));
        assert!(danger(&["git", "clone", "ext::sh -c id"]));
        assert!(danger(&["tar", "-cf", "x", "--checkpoint-action=exec=id"]));
        assert!(danger(&["rg", "--pre", "x", "pat"]));
        assert!(danger(&["ssh", "-o", "ProxyCommand=id", "h"]));
        assert!(danger(&["ssh", "-oProxyCommand=id", "h"]));
        assert!(!danger(&["ssh", "-o", "StrictHostKeyChecking=no", "h"]));
        assert!(danger(&["dd", "if=/dev/zero", "of=/dev/sda"]));
        assert!(!danger(&["dd", "if=/dev/zero", "of=/dev/null"]));
        assert!(danger(&["mkfs.ext4", "/dev/sda1"]));
        assert!(danger(&["chmod", "-R", "777", "/"]));
        assert!(danger(&["chmod", "u+s", "/usr/bin/x"]));
        assert!(!danger(&["chmod", "755", "build/x"]));
        assert!(!danger(&["chmod", "+x", "script.sh"]));
        assert!(danger(&["kill", "-9", "-1"]));
        assert!(!danger(&["kill", "-9", "1234"]));
        assert!(danger(&["python3", "-c", "print(1)"]));
        assert!(!danger(&["python3", "-m", "pytest"]));
        assert!(danger(&["perl", "-pe", "s/a/b/"]));
        assert!(danger(&["npm", "run", "build", "--script-shell=/tmp/x"]));
        assert!(danger(&["awk", "BEGIN{system(\"id\")}"]));
        assert!(!danger(&["awk", "{print $1}", "f"]));
        assert!(danger(&["vim", "-c", ":!id"]));
        assert!(danger(&["make", "-f", "/dev/stdin"]));
    }
}
