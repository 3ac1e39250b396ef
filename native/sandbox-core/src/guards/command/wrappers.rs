//! Commands that run other commands (docs/policy.md, Commands 5). Each is unwrapped
//! to the command or script it runs, so that the rules and dangers judge what
//! really executes: `sudo env nice rm` is judged as `rm`, `bash -c 'x; y'` as
//! the script `x; y`.

use super::normalize::Arg;
use super::options::{scan_from, Item, Opt, Syntax, Value};
use super::rules::basename;
use super::Span;
use crate::guards::filesystem::later::HOOK_NAMES;

/// What a command runs.
#[derive(Debug, Clone)]
pub(crate) enum Unwrap {
    /// Not a wrapper: the command itself is what runs.
    None,
    /// Runs each of `inners` as a command. `start` is the index in the
    /// wrapper's argv where the wrapped command begins (for rules that name
    /// the wrapper and the wrapped command together, like `npx prettier`).
    Argv {
        label: String,
        inners: Vec<Vec<Arg>>,
        start: usize,
        assigns: Vec<(String, Arg)>,
    },
    /// Runs shell scripts given as words.
    Scripts { scripts: Vec<(String, Arg)> },
    /// Runs a script read from its standard input.
    Stdin { label: String },
    /// Runs something the analysis cannot see.
    Opaque { why: &'static str },
    /// Opens an interactive shell with other privileges.
    RootShell { label: String },
    /// Runs no command (`command -v x`, `sudo -l`, `env` alone).
    NoCommand,
}

/// The result of scanning options.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Index of the first operand (argv.len() when none).
    pub first: usize,
    /// Options seen, with the index of their value (`Some(i)` for a value in
    /// its own word, `None` for a flag or an attached value).
    pub opts: Vec<(String, Option<usize>, Option<String>)>,
}

impl Scan {
    /// Whether an option was given.
    pub(crate) fn has(&self, names: &[&str]) -> bool {
        self.opts
            .iter()
            .any(|(o, _, _)| names.contains(&o.as_str()))
    }

    /// The value of the last of these options, as an argument.
    pub(crate) fn value(&self, argv: &[Arg], names: &[&str]) -> Option<Arg> {
        self.opts
            .iter()
            .rev()
            .find(|(o, _, _)| names.contains(&o.as_str()))
            .and_then(|(_, i, inline)| match (i, inline) {
                (Some(i), _) => argv.get(*i).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            })
    }

    /// As [`Scan::value`], but an option given without a value that can
    /// be read is a value computed at run time (at `span`), not absent.
    pub(crate) fn given_value(&self, argv: &[Arg], name: &str, span: Span) -> Option<Arg> {
        self.opts
            .iter()
            .rev()
            .find(|(o, _, _)| o == name)
            .map(|(_, i, inline)| match (i, inline) {
                (Some(i), _) => argv
                    .get(*i)
                    .cloned()
                    .unwrap_or_else(|| Arg::dynamic("$unknown", span)),
                // bash expands no `~` after `--opt=`.
                (None, Some(v)) => Arg::literal(v, span),
                _ => Arg::dynamic("$unknown", span),
            })
    }
}

/// Scan getopt-style options of `argv[from..]` up to the first operand,
/// with the shared option scanner (`options.rs`). `with_arg` lists the
/// options that take a value (`-n`, `--adjustment`); long names are exact
/// (abbreviations are rewritten before, by `long_options`). A word computed
/// at run time ends the options (it may be the command).
pub(crate) fn scan_options(argv: &[Arg], from: usize, with_arg: &[&'static str]) -> Scan {
    scan_words(argv, from, with_arg, true)
}

/// As [`scan_options`], for programs without `+` options: a word starting
/// with `+` is an operand (`chmod +x f`, `chown +1000 f`, `grep +x f`).
pub(crate) fn scan_dash_options(argv: &[Arg], from: usize, with_arg: &[&'static str]) -> Scan {
    scan_words(argv, from, with_arg, false)
}

fn scan_words(argv: &[Arg], from: usize, with_arg: &[&'static str], plus: bool) -> Scan {
    // Most words after a program name are no options: when the first word
    // read is no option (or there is none), the scanner below would stop
    // on it at once. Answer that without building its tables.
    let no_option =
        |v: &str| v == "-" || v == "+" || !(v.starts_with('-') || (plus && v.starts_with('+')));
    match argv.get(from) {
        None => {
            return Scan {
                first: argv.len(),
                opts: Vec::new(),
            }
        }
        Some(a) if a.lit().is_none_or(no_option) => {
            return Scan {
                first: from,
                opts: Vec::new(),
            }
        }
        Some(_) => {}
    }
    // Sized once: most tables list many options.
    let (mut short, mut plus_short) = (String::with_capacity(with_arg.len()), String::new());
    let mut long: Vec<&'static str> = Vec::with_capacity(with_arg.len());
    for o in with_arg {
        if let Some(name) = o.strip_prefix("--") {
            long.push(name);
        } else if let Some(letter) = o.strip_prefix('-') {
            short.push_str(letter);
        } else if let Some(letter) = o.strip_prefix('+') {
            plus_short.push_str(letter);
        }
    }
    let syntax = Syntax {
        short: &short,
        optional: "",
        clusters: true,
        long_words: true,
        long: &long,
        long_flags: &[],
        single_dash: false,
        abbreviates: false,
        plus: plus.then_some(plus_short.as_str()),
    };
    let mut scan = Scan {
        first: argv.len(),
        opts: Vec::new(),
    };
    let mut scanner = scan_from(argv, from, &syntax);
    while let Some(item) = scanner.next() {
        let (opt, word, value) = match item {
            Item::Option { opt, word, value } => (opt, word, value),
            Item::Operand(_) | Item::Computed(_) => {
                scan.first = scanner.position() - 1;
                break;
            }
        };
        let name = match opt {
            Opt::Short(c) => {
                let sign = if word.text.starts_with('+') { '+' } else { '-' };
                let mut name = String::with_capacity(1 + c.len_utf8());
                name.push(sign);
                name.push(c);
                name
            }
            Opt::Long(n) => ["--", n].concat(),
            Opt::Other(n) => n.to_string(),
            Opt::Ambiguous(_) => word.lit().unwrap_or_default().to_string(),
        };
        let (idx, inline) = match value {
            // The value word is the last one read.
            Some(Value::Next(_)) => (Some(scanner.position() - 1), None),
            Some(Value::Attached(v)) => (None, Some(v.to_string())),
            None => (None, None),
        };
        scan.opts.push((name, idx, inline));
    }
    scan
}

/// Options of package runners (`npm exec`, `uv run`, …) that take a value,
/// read when looking for the subcommand.
pub(crate) const RUNNER_VALUE_OPTIONS: &[&str] = &[
    "--prefix",
    "-C",
    "--dir",
    "--cwd",
    "--workspace",
    "-w",
    "--filter",
    "-F",
    "--directory",
    "--project",
    "-p",
    "--python",
    "--with",
    "--env-file",
    "-n",
    "--name",
    "-e",
    "--environment",
];

/// Options of package runners (`uv run`, `poetry run`, `npm exec`, …) that
/// keep the project, its environment and its interpreter: verbosity, lock
/// handling, extras and groups of the project itself, a named conda or
/// hatch environment. Any other option of a runner may run the command
/// with another project, interpreter, package or environment file.
const RUNNER_SAME_PROJECT: &[&str] = &[
    "-q",
    "--quiet",
    "-v",
    "-vv",
    "-vvv",
    "--verbose",
    "--silent",
    "--frozen",
    "--locked",
    "--offline",
    "--no-sync",
    "--no-progress",
    "--no-cache",
    "--extra",
    "--all-extras",
    "--group",
    "--all-groups",
    "--no-dev",
    "--dev",
    "--no-ansi",
    "--ansi",
    "--no-interaction",
    "-n",
    "--name",
    "-e",
    "--environment",
    "--no-capture-output",
    "--live-stream",
    "--",
];

/// Flags of the npm family's runners that only answer the install prompt.
const NODE_RUNNER_YES: &[&str] = &["-y", "--yes", "--no", "--bun"];

/// Runner options that add a package to the environment the command runs
/// in (`uv run --with pytest-cov`, `npx -p typescript tsc`). A package of
/// the index, named plainly, is fetched like `pip install NAME` or `npm
/// install NAME` (and judged so, see `tool_inputs.rs`); a path, URL, git
/// or `file:` spec, or one computed at run time, is code from anywhere.
pub(crate) const RUNNER_PACKAGE_OPTIONS: &[&str] = &["--with"];

/// The same for the runners of the npm family (`npx`, `bunx`, `pnpx`,
/// `npm exec`, `pnpm dlx`, `yarn dlx`, `bun x`).
pub(crate) const NODE_RUNNER_PACKAGE_OPTIONS: &[&str] = &["-p", "--package"];

/// The package whose entry point a runner of the npm family that fetches
/// packages runs (`npx PKG`, `bunx`, `pnpx`, `npm exec`/`x`, `pnpm dlx`,
/// `yarn dlx`, `bun x`), when `start` is the word it runs: npm looks the
/// word up as a package (the project's own, else the registry's), never
/// as a program on `PATH`. Not for `-c`/`--call` (a shell command line
/// with the packages' bins on `PATH`) nor `pnpm exec`/`yarn exec`, which
/// fetch nothing.
pub(crate) fn fetched_package(argv: &[Arg], base: &str, start: usize) -> Option<String> {
    let canon = super::programs::canonical(base);
    let words = argv.get(1..start)?;
    // With `-p`/`--package` the word is a command found on `PATH` with the
    // packages' bins (the package option is judged on its own).
    let option = |v: &str| {
        let name = v.split('=').next().unwrap_or(v);
        matches!(name, "-c" | "--call" | "--shell-mode" | "-p" | "--package")
            || (v.starts_with('-') && !v.starts_with("--") && v.contains(['c', 'p']))
    };
    if words.iter().any(|a| a.lit().is_some_and(option)) {
        return None;
    }
    let sub = words
        .iter()
        .filter_map(|a| a.lit())
        .find(|v| !v.starts_with('-'));
    let fetches = match canon.as_str() {
        "npx" | "bunx" | "pnpx" => true,
        "npm" => matches!(sub, Some("exec" | "x")),
        "pnpm" | "yarn" => sub == Some("dlx"),
        "bun" => sub == Some("x"),
        _ => false,
    };
    if !fetches {
        return None;
    }
    let pkg = argv.get(start)?;
    Some(pkg.lit().map_or_else(|| pkg.text.clone(), str::to_string))
}

/// Whether `base` is a runner of the npm family.
pub(crate) fn node_runner(base: &str) -> bool {
    matches!(
        base,
        "npx" | "bunx" | "pnpx" | "npm" | "pnpm" | "yarn" | "bun"
    )
}

/// The package options of the runner `base`.
pub(crate) fn runner_package_options(base: &str) -> &'static [&'static str] {
    if node_runner(base) {
        NODE_RUNNER_PACKAGE_OPTIONS
    } else {
        RUNNER_PACKAGE_OPTIONS
    }
}

/// Whether a runner's package option value names a package of the index
/// (for its ecosystem) and nothing else.
fn is_index_package(base: &str, a: &Arg) -> bool {
    if node_runner(base) {
        is_npm_registry_spec(a)
    } else {
        is_registry_requirement(a)
    }
}

/// An npm spec that names a package of the registry: `name`,
/// `@scope/name`, optionally `@` and a version, range or tag. Not a path,
/// tarball, URL, git, `file:`, `npm:` alias or GitHub `user/repo`.
pub(crate) fn is_npm_registry_spec(a: &Arg) -> bool {
    let Some(v) = a.lit() else { return false };
    let (scope, rest) = match v.strip_prefix('@') {
        Some(r) => match r.split_once('/') {
            Some((s, n)) => (Some(s), n),
            None => return false,
        },
        None => (None, v),
    };
    let (name, version) = match rest.split_once('@') {
        Some((n, ver)) => (n, Some(ver)),
        None => (rest, None),
    };
    let plain = |t: &str| {
        !t.is_empty()
            && t.starts_with(|c: char| c.is_ascii_alphanumeric())
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    scope.is_none_or(plain)
        && plain(name)
        && !name.ends_with(".tgz")
        && version.is_none_or(|r| {
            !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_alphanumeric() || " .-^~<>=|*+".contains(c))
        })
}

/// A requirement naming a package of the index, optionally with extras and
/// version specifiers: no path, URL or file.
pub(crate) fn is_registry_requirement(a: &Arg) -> bool {
    a.lit().is_some_and(|v| {
        !v.is_empty()
            && v.split(',').all(|r| {
                let r = r.trim();
                !r.is_empty()
                    && r.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && r.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.[]=<>!~ ".contains(c))
            })
    })
}

fn runner_option_why(o: &str) -> &'static str {
    match o {
        "--env-file" => "loads an environment file into the command it runs (a read the analysis does not judge)",
        "--with" | "-p" | "--package" | "--with-editable" | "--with-requirements" => {
            "runs the command with a package or project the analysis does not judge"
        }
        "--python" | "--interpreter" => "runs the command with an interpreter chosen on the command line",
        _ => "has an option that may run the command in another project, directory or environment",
    }
}

/// Options of `xargs` that take a value.
pub(crate) const XARGS_VALUE_OPTIONS: &[&str] = &[
    "-a",
    "--arg-file",
    "-d",
    "--delimiter",
    "-E",
    "-I",
    "-L",
    "--max-lines",
    "-n",
    "--max-args",
    "-P",
    "--max-procs",
    "-s",
    "--max-chars",
    "--process-slot-var",
];

/// Shells whose `-c` script is analysed as bash.
pub(crate) const SHELLS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "hush", "yash", "posh", "rbash",
];
/// Options of those shells that take a value (before the script operand).
pub(crate) const SHELL_WITH_ARG: &[&str] = &["-o", "+o", "-O", "+O", "--rcfile", "--init-file"];
/// Shells with another syntax: their scripts cannot be analysed.
pub(crate) const FOREIGN_SHELLS: &[&str] = &[
    "fish",
    "csh",
    "tcsh",
    "nu",
    "elvish",
    "xonsh",
    "pwsh",
    "powershell",
];

/// A wrapper's form.
enum Form {
    /// `tool [options] [skip operands] command…`
    Argv {
        with_arg: &'static [&'static str],
        skip: usize,
        /// Options after which no command runs.
        no_command: &'static [&'static str],
        /// Options whose value is a shell script.
        script: &'static [&'static str],
        /// Options that open an interactive shell when no command follows.
        shell: &'static [&'static str],
    },
    Env,
    Privilege {
        with_arg: &'static [&'static str],
        no_command: &'static [&'static str],
        edit: &'static [&'static str],
    },
    Su,
    Sg,
    Xargs,
    Find,
    Watch,
    Npx,
    Sub(&'static [&'static str]),
    Busybox,
    Parallel,
    Ssh,
    At,
    Eval,
    Source,
    Trap,
    Alias,
    Script,
    Jobs,
    Opaque(&'static str),
}

const fn argv(with_arg: &'static [&'static str], skip: usize) -> Form {
    Form::Argv {
        with_arg,
        skip,
        no_command: &[],
        script: &[],
        shell: &[],
    }
}

/// The wrapper table: names and how each finds the command it runs.
static WRAPPERS: &[(&[&str], Form)] = &[
    (&["env"], Form::Env),
    (
        &["sudo"],
        Form::Privilege {
            with_arg: &[
                "-u",
                "--user",
                "-g",
                "--group",
                "-C",
                "--close-from",
                "-D",
                "--chdir",
                "-h",
                "--host",
                "-p",
                "--prompt",
                "-R",
                "--chroot",
                "-r",
                "--role",
                "-t",
                "--type",
                "-T",
                "--command-timeout",
                "-U",
                "--other-user",
            ],
            no_command: &[
                "-l",
                "--list",
                "-v",
                "--validate",
                "-K",
                "--remove-timestamp",
                "-V",
                "--version",
            ],
            edit: &["-e", "--edit"],
        },
    ),
    (
        &["sudoedit"],
        Form::Opaque("edits files with raised privileges"),
    ),
    (
        &["doas"],
        Form::Privilege {
            with_arg: &["-u", "-C"],
            no_command: &["-L"],
            edit: &[],
        },
    ),
    (
        &["pkexec"],
        Form::Privilege {
            with_arg: &["--user"],
            no_command: &["--version", "--help"],
            edit: &[],
        },
    ),
    (
        &["run0"],
        Form::Privilege {
            with_arg: &[
                "-u",
                "--user",
                "-g",
                "--group",
                "-D",
                "--chdir",
                "--setenv",
                "--unit",
                "--property",
                "--description",
                "--slice",
                "--nice",
                "--machine",
                "--background",
            ],
            no_command: &["--version", "-h", "--help"],
            edit: &[],
        },
    ),
    (&["su", "runuser"], Form::Su),
    (&["sg"], Form::Sg),
    (&["nice"], argv(&["-n", "--adjustment"], 0)),
    (
        &[
            "nohup",
            "builtin",
            "catchsegv",
            "unbuffer",
            "fakeroot",
            "dbus-run-session",
            "setpriv",
            "chronic",
        ],
        argv(&[], 0),
    ),
    (
        &["timeout"],
        argv(&["-s", "--signal", "-k", "--kill-after"], 1),
    ),
    (&["time"], argv(&["-f", "--format", "-o", "--output"], 0)),
    (
        &["stdbuf"],
        argv(&["-i", "-o", "-e", "--input", "--output", "--error"], 0),
    ),
    (&["setsid"], argv(&[], 0)),
    (
        &["command"],
        Form::Argv {
            with_arg: &[],
            skip: 0,
            no_command: &["-v", "-V"],
            script: &[],
            shell: &[],
        },
    ),
    (&["exec"], argv(&["-a"], 0)),
    (
        &["chrt"],
        Form::Argv {
            with_arg: &[
                "-T",
                "-P",
                "-D",
                "--sched-runtime",
                "--sched-period",
                "--sched-deadline",
            ],
            skip: 1,
            no_command: &["-p", "--pid", "-m", "--max"],
            script: &[],
            shell: &[],
        },
    ),
    (
        &["ionice"],
        Form::Argv {
            with_arg: &[
                "-c",
                "--class",
                "-n",
                "--classdata",
                "-p",
                "--pid",
                "-P",
                "--pgid",
                "-u",
                "--uid",
            ],
            skip: 0,
            no_command: &["-p", "--pid", "-P", "--pgid", "-u", "--uid"],
            script: &[],
            shell: &[],
        },
    ),
    (
        &["taskset"],
        Form::Argv {
            with_arg: &[],
            skip: 1,
            no_command: &["-p", "--pid"],
            script: &[],
            shell: &[],
        },
    ),
    (
        &["flock"],
        Form::Argv {
            with_arg: &["-w", "--timeout", "-E", "--conflict-exit-code"],
            skip: 1,
            no_command: &[],
            script: &["-c", "--command"],
            shell: &[],
        },
    ),
    // The command runs with another root directory (and, for chroot, in
    // it): its program and its paths are resolved there, not here.
    (
        &["chroot", "fakechroot", "nsenter"],
        Form::Opaque("runs a command in another root directory, mount namespace or working directory, where its program and paths resolve differently"),
    ),
    (
        &["unshare"],
        argv(
            &[
                "-R",
                "--root",
                "-w",
                "--wd",
                "-S",
                "--setuid",
                "-G",
                "--setgid",
                "--map-user",
                "--map-group",
                "--propagation",
                "--setgroups",
            ],
            0,
        ),
    ),
    (
        &["systemd-run"],
        Form::Argv {
            with_arg: &[
                "-p",
                "--property",
                "-u",
                "--unit",
                "-E",
                "--setenv",
                "-M",
                "--machine",
                "-H",
                "--host",
                "--description",
                "--slice",
                "--uid",
                "--gid",
                "--nice",
                "--working-directory",
                "--on-active",
                "--on-boot",
                "--on-startup",
                "--on-unit-active",
                "--on-unit-inactive",
                "--on-calendar",
                "--timer-property",
                "--path-property",
                "--socket-property",
                "--service-type",
            ],
            skip: 0,
            no_command: &[],
            script: &[],
            shell: &["-S", "--shell"],
        },
    ),
    (
        &["strace", "ltrace"],
        argv(
            &[
                "-e", "-o", "-p", "-s", "-u", "-E", "-O", "-S", "-X", "-a", "-b", "-I", "-P",
            ],
            0,
        ),
    ),
    (
        &["valgrind", "perf-run", "caffeinate"],
        argv(&["-t", "-w"], 0),
    ),
    (
        &["xvfb-run"],
        argv(
            &[
                "-n",
                "--server-num",
                "-e",
                "--error-file",
                "-f",
                "--auth-file",
                "-s",
                "--server-args",
                "-p",
                "--xauth-protocol",
                "-w",
                "--wait",
            ],
            0,
        ),
    ),
    (&["sshpass"], argv(&["-p", "-f", "-d", "-P"], 0)),
    (&["proxychains", "proxychains4"], argv(&["-f"], 0)),
    (&["torsocks"], argv(&["-u", "-p", "-a", "-P"], 0)),
    (&["xargs"], Form::Xargs),
    (&["find"], Form::Find),
    (&["watch"], Form::Watch),
    (&["npx", "bunx", "pnpx"], Form::Npx),
    (&["npm"], Form::Sub(&["exec", "x"])),
    (&["pnpm"], Form::Sub(&["exec", "dlx"])),
    (&["yarn"], Form::Sub(&["exec", "dlx"])),
    (&["bun"], Form::Sub(&["x", "exec"])),
    (
        &["uv", "poetry", "pipenv", "pdm", "hatch", "rye"],
        Form::Sub(&["run"]),
    ),
    (&["bundle", "mise"], Form::Sub(&["exec"])),
    (&["conda", "mamba", "micromamba"], Form::Sub(&["run"])),
    (&["busybox", "toybox"], Form::Busybox),
    (&["parallel"], Form::Parallel),
    (&["ssh"], Form::Ssh),
    (&["at", "batch"], Form::At),
    (&["eval"], Form::Eval),
    (&["source", "."], Form::Source),
    (&["trap"], Form::Trap),
    (&["alias"], Form::Alias),
    (&["script"], Form::Script),
    (&["jobs"], Form::Jobs),
    (
        &["tmux", "screen", "byobu", "dtach", "abduco"],
        Form::Opaque("runs commands in a terminal multiplexer"),
    ),
    (&["expect"], Form::Opaque("runs an expect script")),
    (
        &["gdb", "lldb"],
        Form::Opaque("a debugger can run arbitrary commands"),
    ),
    (
        &[
            "firejail",
            "bwrap",
            "proot",
            "daemonize",
            "start-stop-daemon",
            "nohup-daemon",
            "setuidgid",
            "chpst",
            "su-exec",
            "gosu",
        ],
        Form::Opaque("runs a command this analysis does not unwrap"),
    ),
];

fn form_of(name: &str) -> Option<&'static Form> {
    // The first row naming it, by a map built once: every command layer
    // asks, and most names are no wrapper.
    static FIRST: std::sync::LazyLock<foldhash::HashMap<&'static str, usize>> =
        std::sync::LazyLock::new(|| {
            let mut first: foldhash::HashMap<&'static str, usize> = Default::default();
            for (i, (names, _)) in WRAPPERS.iter().enumerate() {
                for n in names.iter() {
                    first.entry(*n).or_insert(i);
                }
            }
            first
        });
    FIRST.get(name).map(|&i| &WRAPPERS[i].1)
}

/// What `argv` runs.
pub(crate) fn unwrap(argv: &[Arg]) -> Unwrap {
    let Some(name) = argv.first().and_then(|a| a.lit()) else {
        return Unwrap::None;
    };
    let base = basename(name);
    if SHELLS.contains(&base) {
        return shell(argv, base);
    }
    if FOREIGN_SHELLS.contains(&base) {
        return foreign_shell(argv, base);
    }
    let Some(form) = form_of(base) else {
        return Unwrap::None;
    };
    let label = base.to_string();
    match form {
        Form::Argv {
            with_arg,
            skip,
            no_command,
            script,
            shell,
        } => {
            let all: Vec<&str> = with_arg.iter().chain(script.iter()).copied().collect();
            let scan = scan_options(argv, 1, &all);
            if scan.has(no_command) {
                return Unwrap::NoCommand;
            }
            if let Some(why) = relocated(base, &scan) {
                return Unwrap::Opaque { why };
            }
            let assigns = set_by_option(argv, &scan, base);
            if let Some(s) = scan.value(argv, script) {
                return Unwrap::Scripts {
                    scripts: vec![(format!("{label} -c"), s)],
                };
            }
            let start = scan.first + skip;
            // `flock FILE -c 'script'`: options may follow the operands.
            if argv
                .get(start)
                .and_then(|a| a.lit())
                .is_some_and(|v| script.contains(&v))
            {
                return match argv.get(start + 1) {
                    Some(s) => Unwrap::Scripts {
                        scripts: vec![(format!("{label} -c"), s.clone())],
                    },
                    None => Unwrap::NoCommand,
                };
            }
            if start >= argv.len() {
                if scan.has(shell) {
                    return Unwrap::RootShell { label };
                }
                return Unwrap::NoCommand;
            }
            inner(label, argv, start, assigns)
        }
        Form::Env => env(argv, label),
        Form::Privilege {
            with_arg,
            no_command,
            edit,
        } => privilege(argv, label, with_arg, no_command, edit),
        Form::Su => su(argv, base),
        Form::Sg => {
            // `sg [-] group [-c] command`
            let scan = scan_options(argv, 1, &[]);
            let mut rest = scan.first + 1;
            if argv.get(rest).is_some_and(|a| a.is("-c")) {
                rest += 1;
            }
            if rest >= argv.len() {
                return Unwrap::RootShell { label };
            }
            Unwrap::Scripts {
                scripts: vec![(label, joined(&argv[rest..]))],
            }
        }
        Form::Xargs => xargs(argv),
        Form::Find => find(argv),
        Form::Watch => {
            let scan = scan_options(argv, 1, &["-n", "--interval", "-q", "--equexit"]);
            if scan.first >= argv.len() {
                return Unwrap::NoCommand;
            }
            if scan.has(&["-x", "--exec"]) {
                return inner(label, argv, scan.first, Vec::new());
            }
            Unwrap::Scripts {
                scripts: vec![(label, joined(&argv[scan.first..]))],
            }
        }
        Form::Npx => {
            let scan = scan_options(
                argv,
                1,
                &["-p", "--package", "-c", "--call", "--cache", "--userconfig"],
            );
            // The same options as `npm exec`: a package from elsewhere than
            // the registry, another configuration file or cache, or an
            // option the model does not list runs code it never judged.
            if let Some((o, _, _)) = scan.opts.iter().find(|(o, _, _)| {
                !(RUNNER_SAME_PROJECT.contains(&o.as_str())
                    || NODE_RUNNER_YES.contains(&o.as_str())
                    || matches!(o.as_str(), "-c" | "--call")
                    || (NODE_RUNNER_PACKAGE_OPTIONS.contains(&o.as_str())
                        && scan
                            .value(argv, &[o.as_str()])
                            .is_some_and(|v| is_index_package(base, &v))))
            }) {
                return Unwrap::Opaque {
                    why: runner_option_why(o),
                };
            }
            if let Some(s) = scan.value(argv, &["-c", "--call"]) {
                return Unwrap::Scripts {
                    scripts: vec![(format!("{label} -c"), s)],
                };
            }
            if scan.first >= argv.len() {
                return Unwrap::NoCommand;
            }
            inner(label, argv, scan.first, Vec::new())
        }
        Form::Sub(subs) => {
            // `npm [global options] exec …`: the subcommand is the first operand.
            let scan = scan_options(argv, 1, RUNNER_VALUE_OPTIONS);
            let Some(sub) = argv.get(scan.first).and_then(|a| a.lit()) else {
                return Unwrap::None;
            };
            if !subs.contains(&sub) {
                return Unwrap::None;
            }
            let scan2 = scan_options(
                argv,
                scan.first + 1,
                &[
                    "-p",
                    "--package",
                    "-c",
                    "--call",
                    "--workspace",
                    "-w",
                    "--with",
                    "--python",
                    "--project",
                    "--directory",
                    "--env-file",
                    "--extra",
                    "--group",
                    "-n",
                    "--name",
                    "--prefix",
                    "-e",
                    "--environment",
                ],
            );
            if let Some(s) = scan2.value(argv, &["-c", "--call"]) {
                return Unwrap::Scripts {
                    scripts: vec![(format!("{label} {sub} -c"), s)],
                };
            }
            if scan2.first >= argv.len() {
                return Unwrap::NoCommand;
            }
            // Options may pick another project or directory, interpreter,
            // package or environment file: the wrapped command would run
            // with code the analysis never judged. Only options known to
            // keep this project and its own environment are modelled.
            let both: Vec<(&String, Option<Arg>)> = scan
                .opts
                .iter()
                .map(|(o, _, _)| (o, scan.value(argv, &[o.as_str()])))
                .chain(
                    scan2
                        .opts
                        .iter()
                        .map(|(o, _, _)| (o, scan2.value(argv, &[o.as_str()]))),
                )
                .collect();
            let modelled = |o: &str, v: &Option<Arg>| {
                RUNNER_SAME_PROJECT.contains(&o)
                    || (node_runner(base) && NODE_RUNNER_YES.contains(&o))
                    || (runner_package_options(base).contains(&o)
                        && v.as_ref().is_some_and(|v| is_index_package(base, v)))
            };
            if let Some((o, _)) = both.iter().find(|(o, v)| !modelled(o.as_str(), v)) {
                return Unwrap::Opaque {
                    why: runner_option_why(o),
                };
            }
            // `yarn exec SCRIPT` (berry: its portable shell; Yarn 1: sh)
            // and `bun exec SCRIPT` (Bun Shell) run their argument as a
            // shell script: one word is judged as one; more words, one of
            // which a shell would split or expand, are not modelled.
            if sub == "exec" && matches!(base, "yarn" | "yarnpkg" | "bun") {
                let rest = &argv[scan2.first..];
                if let [one] = rest {
                    return Unwrap::Scripts {
                        scripts: vec![(format!("{label} exec"), one.clone())],
                    };
                }
                let plain = |a: &Arg| {
                    a.lit().is_some_and(|v| {
                        !v.is_empty()
                            && v.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "_./=:,@%+-".contains(c))
                    })
                };
                if !rest.iter().all(plain) {
                    return Unwrap::Opaque {
                        why: "runs its words as a shell script, which is not analysed",
                    };
                }
            }
            inner(format!("{label} {sub}"), argv, scan2.first, Vec::new())
        }
        Form::Busybox => {
            let scan = scan_options(argv, 1, &[]);
            if scan.first >= argv.len() {
                return Unwrap::NoCommand;
            }
            inner(label, argv, scan.first, Vec::new())
        }
        Form::Parallel => parallel(argv),
        Form::Ssh => {
            let scan = scan_options(
                argv,
                1,
                &[
                    "-b", "-B", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m",
                    "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w",
                ],
            );
            // The first operand is the host; the rest is a remote shell command.
            let rest = scan.first + 1;
            if rest >= argv.len() {
                return Unwrap::NoCommand;
            }
            Unwrap::Scripts {
                scripts: vec![(label, joined(&argv[rest..]))],
            }
        }
        Form::At => {
            let scan = scan_options(argv, 1, &["-q", "-f", "-t"]);
            if scan.has(&["-l", "-d", "-r", "-c", "-V"]) {
                return Unwrap::NoCommand;
            }
            if scan.has(&["-f"]) {
                return Unwrap::Opaque {
                    why: "schedules a script file to run later",
                };
            }
            Unwrap::Stdin { label }
        }
        Form::Eval => {
            if argv.len() < 2 {
                return Unwrap::NoCommand;
            }
            Unwrap::Scripts {
                scripts: vec![(label, joined(&argv[1..]))],
            }
        }
        // `jobs -x COMMAND ARGS…` runs COMMAND (job specs replaced by
        // process groups); without -x it only lists jobs.
        Form::Jobs => match argv.get(1).and_then(|a| a.lit()) {
            Some(o) if o.starts_with('-') && o.len() > 1 && o.contains('x') => {
                if argv.len() > 2 {
                    inner(label, argv, 2, Vec::new())
                } else {
                    Unwrap::NoCommand
                }
            }
            Some(_) => Unwrap::NoCommand,
            None if argv.len() > 1 => Unwrap::Opaque {
                why: "jobs with options computed at run time (-x runs a command)",
            },
            None => Unwrap::NoCommand,
        },
        Form::Source => {
            // `source /dev/stdin <<< '…'` runs its input.
            // `source -- /dev/stdin` too.
            let scan = scan_options(argv, 1, &[]);
            match argv.get(scan.first).and_then(|a| a.lit()) {
                Some(p) if is_stdin_path(p) => Unwrap::Stdin { label },
                _ => Unwrap::None,
            }
        }
        Form::Trap => {
            let scan = scan_options(argv, 1, &[]);
            if scan.has(&["-l", "-p"]) || argv.len() - scan.first < 2 {
                return Unwrap::NoCommand;
            }
            let action = &argv[scan.first];
            if action.is("-") || action.is("") {
                return Unwrap::NoCommand;
            }
            Unwrap::Scripts {
                scripts: vec![(label, action.clone())],
            }
        }
        Form::Alias => {
            let mut scripts = Vec::new();
            for a in &argv[1..] {
                match a.lit() {
                    Some(v) => {
                        if let Some((n, body)) = v.split_once('=') {
                            let mut s = Arg::literal(body, a.span);
                            s.text = a.text.clone();
                            scripts.push((format!("alias {n}"), s));
                        }
                    }
                    None => scripts.push(("alias".to_string(), Arg::dynamic(&a.text, a.span))),
                }
            }
            if scripts.is_empty() {
                Unwrap::NoCommand
            } else {
                Unwrap::Scripts { scripts }
            }
        }
        Form::Script => {
            let scan = scan_options(
                argv,
                1,
                &[
                    "-c",
                    "--command",
                    "-E",
                    "--echo",
                    "-I",
                    "--log-in",
                    "-O",
                    "--log-out",
                    "-B",
                    "--log-io",
                    "-T",
                    "--log-timing",
                    "-m",
                    "--logging-format",
                    "-o",
                    "--output-limit",
                ],
            );
            match scan.value(argv, &["-c", "--command"]) {
                Some(s) => Unwrap::Scripts {
                    scripts: vec![("script -c".to_string(), s)],
                },
                None => Unwrap::Opaque {
                    why: "starts an interactive shell",
                },
            }
        }
        Form::Opaque(why) => Unwrap::Opaque { why },
    }
}

/// A path that names the process's own standard input.
/// Whether the wrapper `argv[..start]` starts the command it wraps and
/// returns without waiting for it, so the command runs beside what follows
/// in the line: `setsid -f` always, `setsid` without `-w` whenever it leads
/// a process group (as under an interactive shell), `systemd-run` unless it
/// waits (`--wait`, `--pipe`, `--pty`, `--scope`).
pub(crate) fn detaches(label: &str, argv: &[Arg], start: usize) -> bool {
    let opts: Vec<&str> = argv
        .get(1..start)
        .unwrap_or_default()
        .iter()
        .map(|a| a.lit().unwrap_or("-"))
        .collect();
    let short = |c: char| {
        opts.iter()
            .any(|o| o.starts_with('-') && !o.starts_with("--") && o.contains(c))
    };
    match label {
        "setsid" => !(opts.contains(&"--wait") || short('w')),
        "systemd-run" => !opts
            .iter()
            .any(|o| matches!(*o, "--wait" | "--pipe" | "-P" | "--pty" | "-t" | "--scope")),
        _ => false,
    }
}

pub(crate) fn is_stdin_path(p: &str) -> bool {
    super::shell::descriptor_path(p) == Some(0)
        || super::shell::lexical_abs(p).is_some_and(|n| n == "/dev/tty")
}

fn inner(label: String, argv: &[Arg], start: usize, assigns: Vec<(String, Arg)>) -> Unwrap {
    Unwrap::Argv {
        label,
        inners: vec![argv[start..].to_vec()],
        start,
        assigns,
    }
}

/// Words joined with spaces, as `eval`, `watch` and `ssh` do.
fn joined(args: &[Arg]) -> Arg {
    let span = [
        args.first().map_or(0, |a| a.span[0]),
        args.last().map_or(0, |a| a.span[1]),
    ];
    let text = args
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let values: Option<Vec<&str>> = args.iter().map(|a| a.lit()).collect();
    let mut arg = match values {
        Some(v) => Arg::literal(&v.join(" "), span),
        None => Arg::dynamic(&text, span),
    };
    arg.text = text;
    arg.downloads = args.iter().any(|a| a.downloads);
    arg.has_subst = args.iter().any(|a| a.has_subst);
    arg
}

/// A `NAME=VALUE` word: the name and the value.
pub(crate) fn split_assignment(a: &Arg) -> Option<(String, Arg)> {
    let v = a.lit()?;
    let (name, value) = v.split_once('=')?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        return None;
    }
    let mut val = Arg::literal(value, a.span);
    val.text = a.text.clone();
    Some((name.to_string(), val))
}

fn env(argv: &[Arg], label: String) -> Unwrap {
    let scan = scan_options(
        argv,
        1,
        &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
    );
    if let Some(s) = scan.value(argv, &["-S", "--split-string"]) {
        let mut parts = vec![s];
        parts.extend(argv[scan.first..].iter().cloned());
        return Unwrap::Scripts {
            scripts: vec![("env -S".to_string(), joined(&parts))],
        };
    }
    let mut i = scan.first;
    // `env -` is `env -i`.
    if argv.get(i).is_some_and(|a| a.is("-")) {
        i += 1;
    }
    let mut assigns = Vec::new();
    while let Some(a) = argv.get(i) {
        if a.lit().is_none() && a.text.contains('=') && !a.text.starts_with(['$', '"', '\'']) {
            // `NAME=$value`: an assignment with a value known at run time.
            let name = a.text.split('=').next().unwrap_or_default().to_string();
            assigns.push((name, Arg::dynamic(&a.text, a.span)));
            i += 1;
            continue;
        }
        match split_assignment(a) {
            Some(pair) => {
                assigns.push(pair);
                i += 1;
            }
            None => break,
        }
    }
    if i >= argv.len() {
        return Unwrap::Argv {
            label,
            inners: Vec::new(),
            start: i,
            assigns,
        };
    }
    inner(label, argv, i, assigns)
}

fn privilege(
    argv: &[Arg],
    label: String,
    with_arg: &[&'static str],
    no_command: &[&str],
    edit: &[&str],
) -> Unwrap {
    let scan = scan_options(argv, 1, with_arg);
    if scan.has(edit) {
        return Unwrap::Opaque {
            why: "edits files with raised privileges",
        };
    }
    if scan.has(no_command) {
        return Unwrap::NoCommand;
    }
    if let Some(why) = relocated(&label, &scan) {
        return Unwrap::Opaque { why };
    }
    let mut i = scan.first;
    let mut assigns = set_by_option(argv, &scan, &label);
    while let Some(pair) = argv.get(i).and_then(split_assignment) {
        assigns.push(pair);
        i += 1;
    }
    if i >= argv.len() {
        // `sudo -s`, `sudo -i`, `doas -s`, `pkexec`, `run0`: a root shell.
        return Unwrap::RootShell { label };
    }
    inner(label, argv, i, assigns)
}

/// Options of wrappers that run the command in another root directory,
/// another working directory or on another machine: its program and its
/// relative paths are then not the ones the analysis resolves.
fn relocated(base: &str, scan: &Scan) -> Option<&'static str> {
    let moving: &[&str] = match base {
        "unshare" => &["-R", "--root", "-w", "--wd"],
        "sudo" => &["-R", "--chroot", "-D", "--chdir", "-h", "--host"],
        "run0" => &["-D", "--chdir", "--machine"],
        "systemd-run" => &["--working-directory", "-M", "--machine", "-H", "--host"],
        _ => return None,
    };
    if scan.has(moving) {
        return Some("runs the command in another root or working directory, or on another machine, where its program and paths resolve differently");
    }
    // A service started by systemd-run runs in `/` (or the home
    // directory) unless told to keep the caller's directory.
    if base == "systemd-run" && !scan.has(&["-d", "--same-dir"]) {
        return Some("runs the command in the service's own working directory (not this one) unless --same-dir is given");
    }
    None
}

/// Variables a wrapper sets by option in the environment of the command it
/// runs (`systemd-run -E NAME=VALUE`, `run0 --setenv NAME=VALUE`): judged
/// as assignments in front of that command. `-E NAME` alone passes the
/// caller's value on.
fn set_by_option(argv: &[Arg], scan: &Scan, base: &str) -> Vec<(String, Arg)> {
    let names: &[&str] = match base {
        "systemd-run" => &["-E", "--setenv"],
        "run0" => &["--setenv"],
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for (o, i, inline) in &scan.opts {
        if !names.contains(&o.as_str()) {
            continue;
        }
        let value = match (i, inline) {
            (Some(i), _) => argv.get(*i).cloned(),
            (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
            _ => None,
        };
        let Some(value) = value else { continue };
        match split_assignment(&value) {
            Some(pair) => out.push(pair),
            // A computed word may name any variable.
            None if value.lit().is_none() => {
                out.push(("PATH".to_string(), Arg::dynamic(&value.text, value.span)))
            }
            None => {}
        }
    }
    out
}

fn su(argv: &[Arg], base: &str) -> Unwrap {
    // GNU su permutes options: `-c` may follow the user name.
    let mut script = None;
    let mut i = 1;
    while i < argv.len() {
        match argv[i].lit() {
            Some("-c" | "--command") => {
                script = argv.get(i + 1).cloned();
                i += 2;
                continue;
            }
            Some(v) if v.starts_with("--command=") => {
                script = Some(Arg::literal(&v["--command=".len()..], argv[i].span));
            }
            // `runuser -u user cmd args`: everything after the user runs.
            Some("-u" | "--user") if base == "runuser" => {
                if i + 2 < argv.len() {
                    let start = if argv[i + 2].is("--") { i + 3 } else { i + 2 };
                    if start < argv.len() {
                        return inner(base.to_string(), argv, start, Vec::new());
                    }
                }
                break;
            }
            None => {
                // A word computed at run time may be `-c`.
                return Unwrap::Opaque {
                    why: "its options are computed at run time",
                };
            }
            _ => {}
        }
        i += 1;
    }
    match script {
        Some(s) => Unwrap::Scripts {
            scripts: vec![(format!("{base} -c"), s)],
        },
        None => Unwrap::RootShell {
            label: base.to_string(),
        },
    }
}

fn shell(argv: &[Arg], base: &str) -> Unwrap {
    let scan = scan_options(argv, 1, SHELL_WITH_ARG);
    if scan.has(&["-c"]) {
        return match argv.get(scan.first) {
            Some(script) => Unwrap::Scripts {
                scripts: vec![(format!("{base} -c"), script.clone())],
            },
            None => Unwrap::NoCommand,
        };
    }
    if scan.has(&["-s"])
        || scan.first >= argv.len()
        || argv[scan.first].is("-")
        || argv[scan.first].lit().is_some_and(is_stdin_path)
    {
        return Unwrap::Stdin {
            label: base.to_string(),
        };
    }
    // `bash script.sh`: runs a script file; judged as the command itself.
    Unwrap::None
}

fn foreign_shell(argv: &[Arg], base: &str) -> Unwrap {
    let scan = scan_options(
        argv,
        1,
        &["-o", "-O", "--init-command", "-C", "-f", "--file"],
    );
    if scan.has(&[
        "-c",
        "--command",
        "-command",
        "-Command",
        "-e",
        "-EncodedCommand",
        "-enc",
        "-ec",
    ]) || scan.first < argv.len()
    {
        return Unwrap::Opaque {
            why: "a script in a shell language other than bash",
        };
    }
    Unwrap::Stdin {
        label: base.to_string(),
    }
}

fn xargs(argv: &[Arg]) -> Unwrap {
    let scan = scan_options(argv, 1, XARGS_VALUE_OPTIONS);
    let replace = scan.value(argv, &["-I"]).and_then(|a| a.value).or_else(|| {
        scan.opts
            .iter()
            .find(|(o, _, _)| o == "--replace" || o == "-i")
            .map(|(_, _, v)| v.clone().unwrap_or_else(|| "{}".to_string()))
    });
    // `--process-slot-var=NAME` puts NAME (the slot number) into the
    // environment of every command xargs runs: an assignment in front of
    // it (BASH_ENV, PATH, ENV make the child read or run `./0`).
    let mut assigns = Vec::new();
    if let Some(name) = scan.value(argv, &["--process-slot-var"]) {
        // The value is a slot number; a computed name may be any variable.
        let n = name.lit().unwrap_or("PATH").to_string();
        assigns.push((n, Arg::literal("0", name.span)));
    }
    let mut cmd: Vec<Arg> = if scan.first < argv.len() {
        argv[scan.first..].to_vec()
    } else {
        vec![Arg::literal("echo", argv[0].span)]
    };
    match &replace {
        Some(r) => {
            for a in cmd.iter_mut().skip(1) {
                if a.lit().is_some_and(|v| v.contains(r.as_str())) {
                    let mut d = Arg::templated(a);
                    d.prefix = a
                        .lit()
                        .and_then(|v| v.split(r.as_str()).next())
                        .unwrap_or_default()
                        .to_string();
                    *a = d;
                }
            }
        }
        None => cmd.push(Arg::dynamic("{input}", argv[argv.len() - 1].span)),
    }
    Unwrap::Argv {
        label: "xargs".to_string(),
        inners: vec![cmd],
        start: scan.first,
        assigns,
    }
}

fn find(argv: &[Arg]) -> Unwrap {
    let mut inners = Vec::new();
    let mut first = None;
    let mut i = 1;
    while i < argv.len() {
        if let Some("-exec" | "-execdir" | "-ok" | "-okdir") = argv[i].lit() {
            let start = i + 1;
            let j = super::trees::find_command_end(argv, i);
            // A word an outer find or xargs fills in at run time (its `{}`:
            // a start point named `{}` or `;` stays that name) may be `;`,
            // and any computed word may be `{}` before a `+`: where the
            // command ends, and so what runs and which primaries follow, is
            // then not known.
            let plus = argv[i].is("-exec") || argv[i].is("-execdir");
            let unsure = (start..j.min(argv.len())).any(|k| {
                let computed = argv[k].lit().is_none();
                computed
                    && (argv[k].template.is_some()
                        || plus && argv.get(k + 1).is_some_and(|n| n.is("+")))
            });
            if unsure {
                return Unwrap::Opaque {
                    why: "runs a command whose end in the find expression depends on a word known only at run time (it may be `;`, or `{}` before `+`)",
                };
            }
            if j >= argv.len() {
                // Unterminated: find refuses to run.
                return Unwrap::NoCommand;
            }
            let modelled = if argv[i].is("-exec") || argv[i].is("-ok") {
                find_model(argv)
            } else {
                None
            };
            let cmd: Vec<Arg> = argv[start..j]
                .iter()
                .map(|a| {
                    if a.lit().is_some_and(|v| v.contains("{}")) {
                        let mut t = Arg::templated(a);
                        // `{}` alone is a path found below the one root,
                        // whose name matches the -name tests: judged like a
                        // glob below that root.
                        if let (Some(root), true) = (&modelled, a.is("{}")) {
                            let r = root.lit().unwrap_or(".").trim_end_matches('/');
                            let r = if r.is_empty() { "/" } else { r };
                            t.prefix = format!("{r}/");
                            t.pattern = Some(format!("{r}/**"));
                            t.home = root.home;
                            t.found = Some(super::trees::Walk {
                                skips_hidden: false,
                                max_depth: super::trees::find_max_depth(argv),
                                names: super::trees::find_names(argv),
                                git_dirs: true,
                            });
                        }
                        t
                    } else {
                        a.clone()
                    }
                })
                .collect();
            if !cmd.is_empty() {
                first.get_or_insert(start);
                inners.push(cmd);
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    if inners.is_empty() {
        return Unwrap::None;
    }
    // `-execdir`/`-okdir` run in the directory of each match: any directory
    // the search reaches.
    let in_match_dir = argv.iter().any(|a| a.is("-execdir") || a.is("-okdir"));
    Unwrap::Argv {
        label: if in_match_dir {
            super::known::FIND_EXECDIR.to_string()
        } else {
            "find -exec".to_string()
        },
        inners,
        start: first.unwrap_or(1),
        assigns: Vec::new(),
    }
}

/// Names that a path found by `find` must not have for the analysis to
/// treat it like a glob below the root: protected entries (git hooks and
/// configuration, shell start-up files, credentials) and their directories;
/// and every git hook name ([`HOOK_NAMES`]).
const FIND_SENSITIVE_NAMES: &[&str] = &[
    ".git",
    "hooks",
    "config",
    "info",
    "objects",
    "refs",
    "HEAD",
    "index",
    ".gitconfig",
    ".gitmodules",
    ".gitattributes",
    ".ssh",
    ".aws",
    ".gnupg",
    ".config",
    "authorized_keys",
    "id_rsa",
    "id_ed25519",
    "id_ecdsa",
    "credentials",
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".bash_logout",
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
    "fish",
    "autostart",
    "systemd",
    ".envrc",
    ".npmrc",
    ".netrc",
    ".pypirc",
    ".docker",
    ".kube",
];

/// `find ROOT TESTS -exec …`: when there is one literal root and the whole
/// expression is a plain conjunction of known tests and actions (no `-o`,
/// `,`, `!` or parentheses, which would let an action run on paths the
/// tests before it reject), with a `-name`/`-iname` pattern that no
/// protected name matches before the first `-exec`/`-delete`, every path
/// an action is given is below ROOT and is not a protected entry. Returns
/// the root then. The words of an `-exec` command are that command's
/// ([`find_primaries`](super::trees::find_primaries)).
pub(crate) fn find_model(argv: &[Arg]) -> Option<Arg> {
    let (options, starts, _) = super::trees::find_start_points(argv);
    // `-H`/`-L` follow symbolic links: the walk below the root is not
    // the one modelled.
    if options
        .iter()
        .any(|&o| argv[o].is("-H") || argv[o].is("-L"))
    {
        return None;
    }
    let root = match starts.as_slice() {
        [] => Arg::literal(".", argv[0].span),
        [one] => {
            argv[*one].lit()?;
            argv[*one].clone()
        }
        _ => return None,
    };
    let mut named = false;
    let mut acted = false;
    for (i, _) in super::trees::find_primaries(argv)? {
        let v = argv[i].lit()?;
        match v {
            "-exec" | "-ok" | "-execdir" | "-okdir" => {
                // An unterminated command: find refuses to run.
                (super::trees::find_command_end(argv, i) < argv.len()).then_some(())?;
                acted = true;
            }
            "-delete" => acted = true,
            "-name" | "-iname" => {
                let pat = argv.get(i + 1)?.lit()?;
                if acted {
                    // A test after the actions narrows only later ones.
                    continue;
                }
                let fold = v == "-iname";
                if FIND_SENSITIVE_NAMES.iter().chain(HOOK_NAMES).any(|n| {
                    if fold {
                        fnmatch(&pat.to_ascii_lowercase(), &n.to_ascii_lowercase())
                    } else {
                        fnmatch(pat, n)
                    }
                }) || pat.contains(['[', '\\'])
                {
                    return None;
                }
                named = true;
            }
            "-type" | "-maxdepth" | "-mindepth" | "-size" | "-mtime" | "-mmin" | "-newer" => {
                argv.get(i + 1)?.lit()?;
            }
            "-a" | "-and" | "-print" | "-print0" | "-empty" | "-true" => {}
            _ => return None,
        }
    }
    named.then_some(root)
}

/// Shell pattern match with `*` and `?` (no brackets).
pub(crate) fn fnmatch(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn parallel(argv: &[Arg]) -> Unwrap {
    let sep = argv
        .iter()
        .position(|a| matches!(a.lit(), Some(":::" | "::::" | ":::+" | "::::+")));
    let end = sep.unwrap_or(argv.len());
    let scan = scan_options(
        &argv[..end],
        1,
        &[
            "-j",
            "--jobs",
            "-S",
            "--sshlogin",
            "-a",
            "--arg-file",
            "--colsep",
            "-C",
            "-d",
            "--delimiter",
            "-I",
            "-E",
            "--results",
            "--joblog",
            "--tmpdir",
            "--workdir",
            "--env",
            "--timeout",
            "--delay",
            "--retries",
            "-n",
            "--max-args",
            "-N",
            "-L",
            "--max-lines",
            "-P",
            "--max-procs",
            "-s",
            "--max-chars",
            "--halt",
            "--memfree",
            "--load",
            "--nice",
            "--sshloginfile",
            "--slf",
            "--basefile",
            "--return",
            "--transfer-file",
            "--tagstring",
            "--block",
            "--recend",
            "--recstart",
        ],
    );
    if scan.first >= end {
        return Unwrap::Opaque {
            why: "runs commands read from its input",
        };
    }
    let mut cmd: Vec<Arg> = argv[scan.first..end]
        .iter()
        .map(|a| {
            if a.lit().is_some_and(|v| v.contains('{') && v.contains('}')) {
                Arg::templated(a)
            } else {
                a.clone()
            }
        })
        .collect();
    let templated = cmd.iter().any(|a| a.lit().is_none());
    if !templated {
        match sep {
            Some(s) if argv[s].is(":::") => cmd.extend(
                argv[s + 1..]
                    .iter()
                    .filter(|a| !a.lit().is_some_and(|v| v.starts_with(":::")))
                    .cloned(),
            ),
            _ => cmd.push(Arg::dynamic("{input}", argv[end.min(argv.len() - 1)].span)),
        }
    }
    Unwrap::Argv {
        label: "parallel".to_string(),
        inners: vec![cmd],
        start: scan.first,
        assigns: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::literal(w, [0, 0])).collect()
    }

    fn inner_argv(u: &Unwrap) -> Vec<String> {
        match u {
            Unwrap::Argv { inners, .. } => inners[0].iter().map(Arg::shown).collect(),
            other => panic!("not argv: {other:?}"),
        }
    }

    #[test]
    fn options_and_operands() {
        let a = args(&["nice", "-n", "10", "rm", "-rf"]);
        let s = scan_options(&a, 1, &["-n"]);
        assert_eq!(s.first, 3);
        let a = args(&["stdbuf", "-o0", "rm"]);
        assert_eq!(scan_options(&a, 1, &["-o"]).first, 2);
        let a = args(&["x", "--", "-rf"]);
        assert_eq!(scan_options(&a, 1, &[]).first, 2);
    }

    #[test]
    fn unwraps() {
        assert_eq!(
            inner_argv(&unwrap(&args(&["timeout", "5", "rm", "-rf", "~"]))),
            ["rm", "-rf", "~"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["env", "-i", "PATH=/bin", "rm"]))),
            ["rm"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["chrt", "-i", "0", "rm"]))),
            ["rm"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["flock", "/tmp/l", "rm"]))),
            ["rm"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["npm", "exec", "--", "rm", "-rf"]))),
            ["rm", "-rf"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["xargs", "rm", "-rf"]))),
            ["rm", "-rf", "{input}"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["find", ".", "-exec", "rm", "{}", ";"]))),
            ["rm", "{}"]
        );
        assert_eq!(
            inner_argv(&unwrap(&args(&["parallel", "rm", "-rf", ":::", "~"]))),
            ["rm", "-rf", "~"]
        );
        assert!(matches!(
            unwrap(&args(&["sudo", "-s"])),
            Unwrap::RootShell { .. }
        ));
        assert!(matches!(unwrap(&args(&["sudo", "-l"])), Unwrap::NoCommand));
        assert!(matches!(
            unwrap(&args(&["command", "-v", "git"])),
            Unwrap::NoCommand
        ));
        assert!(matches!(
            unwrap(&args(&["bash", "-lc", "ls"])),
            Unwrap::Scripts { .. }
        ));
        assert!(matches!(unwrap(&args(&["sh", "-s"])), Unwrap::Stdin { .. }));
        assert!(matches!(unwrap(&args(&["bash", "x.sh"])), Unwrap::None));
        assert!(matches!(unwrap(&args(&["npm", "test"])), Unwrap::None));
        assert!(matches!(
            unwrap(&args(&["su", "-", "root", "-c", "id"])),
            Unwrap::Scripts { .. }
        ));
    }
}
