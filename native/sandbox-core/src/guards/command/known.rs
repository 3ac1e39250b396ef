//! The programs the analysis has a model for. Outside whitelist mode (where
//! every command needs a rule anyway) a program is allowed only when it is
//! in this table, or is modelled by the wrapper or file tables; any other
//! name asks with `UNMODELLED_PROGRAM`: another name of a blocked program
//! (`grm`, `gdd`, `coreutils rm`), a wrapper whose syntax is not read
//! (`ifne`, `pee`, `runcon`), or a tool whose file operands are not judged
//! (`sqlite3`, `ssh-add`, `setfacl`) would otherwise run unchecked.
//!
//! Each entry says how its arguments are read (documented in
//! `docs/commands.md`, Known programs).

use super::normalize::Arg;
use super::rules::normalize_path;
use super::walk::Analyzer;
use super::wrappers::Unwrap;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation;
use crate::policy::CommandMode;

/// How the analysis reads a known program's arguments.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Model {
    /// A shell builtin: judged by the shell model.
    Builtin,
    /// Operands are not files (or only name things it does not open).
    NoFiles,
    /// Every non-option operand is a file it reads (judged here).
    Reads,
    /// Its argument syntax is modelled elsewhere (file, danger, git, tar,
    /// network tables).
    Modelled,
    /// A build or test tool that runs the project's own code (build files,
    /// scripts, tests): allowed by design, like running `./script`.
    Project,
}

use Model::{Builtin, Modelled, NoFiles, Project, Reads};

/// The table. Names are matched as written, then by their canonical form
/// (lower case, without a version suffix: `python3.12`, `gcc-13`).
static KNOWN: &[(&[&str], Model)] = &[
    (
        &[
            ":",
            ".",
            "[",
            "[[",
            "alias",
            "bg",
            "bind",
            "break",
            "builtin",
            "caller",
            "cd",
            "command",
            "compgen",
            "complete",
            "compopt",
            "continue",
            "declare",
            "dirs",
            "disown",
            "echo",
            "enable",
            "eval",
            "exec",
            "exit",
            "export",
            "false",
            "fc",
            "fg",
            "getopts",
            "hash",
            "help",
            "history",
            "jobs",
            "kill",
            "let",
            "local",
            "logout",
            "mapfile",
            "popd",
            "printf",
            "pushd",
            "pwd",
            "read",
            "readarray",
            "readonly",
            "return",
            "set",
            "shift",
            "shopt",
            "source",
            "suspend",
            "test",
            "times",
            "trap",
            "true",
            "type",
            "typeset",
            "ulimit",
            "umask",
            "unalias",
            "unset",
            "wait",
        ],
        Builtin,
    ),
    (
        &[
            "sleep", "seq", "expr", "basename", "dirname", "whoami", "id", "groups", "uname",
            "hostname", "nproc", "yes", "tr", "getconf", "locale", "tty", "printenv", "uptime",
            "free", "ps", "pgrep", "pidof", "w", "who", "users", "logname", "factor", "numfmt",
            "tput", "clear", "stty", "cal", "which", "whereis", "lscpu", "lsblk", "vmstat",
            "envsubst", "getent", "df", "sync", "pathchk", "mesg", "top", "htop",
        ],
        NoFiles,
    ),
    (
        &[
            "rev",
            "join",
            "pr",
            "tsort",
            "ptx",
            "look",
            "zcat",
            "bzcat",
            "xzcat",
            "zstdcat",
            "lz4cat",
            "zless",
            "zmore",
            "zdiff",
            "zcmp",
            "diff3",
            "sdiff",
            "colordiff",
            "basenc",
            "shasum",
            "md5",
            "nm",
            "objdump",
            "readelf",
            "size",
            "wdiff",
            "tokei",
            "cloc",
        ],
        Reads,
    ),
    (
        &[
            "git", "tar", "gtar", "bsdtar", "unzip", "ssh", "scp", "sftp", "rsync", "patch",
            "find", "dd", "mv", "ln", "mktemp", "curl", "wget",
        ],
        Modelled,
    ),
    (
        &[
            "make",
            "gmake",
            "cmake",
            "ctest",
            "ninja",
            "meson",
            "cargo",
            "rustc",
            "rustfmt",
            "rustdoc",
            "mvn",
            "mvnw",
            "gradle",
            "gradlew",
            "ant",
            "sbt",
            "npm",
            "npx",
            "pnpm",
            "yarn",
            "node",
            "deno",
            "bun",
            "tsc",
            "go",
            "gofmt",
            "python",
            "pip",
            "pytest",
            "tox",
            "nox",
            "poetry",
            "java",
            "javac",
            "jar",
            "kotlinc",
            "ruby",
            "bundle",
            "rake",
            "gem",
            "rspec",
            "php",
            "composer",
            "perl",
            "dotnet",
            "swift",
            "gcc",
            "g++",
            "cc",
            "c++",
            "clang",
            "clang++",
            "ld",
            "ar",
            "as",
            "eslint",
            "prettier",
            "black",
            "ruff",
            "mypy",
            "flake8",
            "pylint",
            "isort",
            "jest",
            "vitest",
            "mocha",
            "webpack",
            "vite",
            "esbuild",
            "rollup",
            "pkg-config",
            "autoreconf",
            "autoconf",
            "automake",
        ],
        Project,
    ),
];

/// Front-ends that run a command as another user: privilege escalation,
/// refused like `sudo` unless `allow_sudo`.
const ESCALATORS: &[&str] = &[
    "gksudo",
    "gksu",
    "kdesu",
    "kdesudo",
    "ksu",
    "dzdo",
    "pbrun",
    "calife",
    "sux",
    "beesu",
    "lxsudo",
    "lxqt-sudo",
    "pfexec",
    "sudo.ws",
];

fn model_of(name: &str) -> Option<Model> {
    // Looked up for every layer of every command: indexed once per process.
    // The first row naming a program wins, as in a scan of the table.
    static INDEX: std::sync::LazyLock<std::collections::HashMap<&'static str, Model>> =
        std::sync::LazyLock::new(|| {
            let mut index = std::collections::HashMap::new();
            for (names, m) in KNOWN {
                for n in names.iter() {
                    index.entry(*n).or_insert(*m);
                }
            }
            index
        });
    INDEX.get(name).copied()
}

/// Whether `base` is a build or test tool that runs the project's code.
pub(crate) fn is_project_tool(base: &str) -> bool {
    lookup(base) == Some(Project)
}

/// The model of `base` (as written, then canonical).
fn lookup(base: &str) -> Option<Model> {
    model_of(base).or_else(|| model_of(&super::programs::canonical(base)))
}

impl Analyzer<'_> {
    /// Outside whitelist mode, a program without a model asks; known plain
    /// readers have their operands judged as reads.
    pub(crate) fn check_known_program(
        &mut self,
        argv: &[Arg],
        base: &str,
        unwrapped: &Unwrap,
        fn_call: bool,
    ) {
        if ESCALATORS.contains(&base.to_ascii_lowercase().as_str()) && !self.guard.allow_sudo {
            self.finding(
                Verdict::Deny,
                DecisionCode::SudoNotAllowed,
                format!("{base} runs a command as another user and allow_sudo is false"),
                argv[0].span,
                argv,
                Some("commands.allow_sudo: false".to_string()),
            );
            return;
        }
        if !fn_call {
            self.check_file_options(argv, base);
        }
        if !fn_call {
            self.check_interpreter_scripts(argv, base);
        }
        if !fn_call {
            self.check_written_project_files(argv, base);
            if matches!(
                super::programs::canonical(base).as_str(),
                "npm" | "npx" | "pnpm" | "pnpx" | "yarn" | "yarnpkg"
            ) {
                self.check_node_pm_config(argv, base);
            }
            self.check_tool_config_destinations(argv, base);
        }
        if fn_call || !matches!(unwrapped, Unwrap::None | Unwrap::NoCommand) {
            // A function judged by its body, or a modelled wrapper.
            return;
        }
        let name = argv[0].lit().unwrap_or_default();
        match lookup(base) {
            Some(Reads) if self.check_reader_options(argv, base) => {}
            Some(Reads) => self.check_plain_reads(argv, base),
            Some(_) if super::programs::canonical(base) == "mktemp" => self.check_mktemp(argv),
            Some(_) if super::programs::canonical(base) == "git" => self.check_git_model(argv),
            Some(_) if matches!(super::programs::canonical(base).as_str(), "make" | "gmake") => {
                self.check_make(argv, base)
            }
            Some(_) if matches!(super::programs::canonical(base).as_str(), "npm" | "pnpm" | "yarn") => {
                self.check_package_manager_options(argv, base)
            }
            Some(Project) => self.check_project_tool(argv, base),
            Some(NoFiles) => {
                for a in stat_paths(&super::programs::canonical(base), argv) {
                    self.check_file(&a, FileOperation::Read, argv, base);
                }
            }
            Some(_) => {}
            None if matches!(unwrapped, Unwrap::NoCommand) => {}
            None if super::renames::is_renamer(base) => self.check_renamer(argv, base),
            None if super::files::is_file_tool(base) => {}
            // A shell running a script file: the script is judged by
            // `check_script_source`.
            None if super::wrappers::SHELLS.contains(&base) => {}
            // The project's own program, unless the policy blocks the file.
            None if project_path(name) => {
                self.check_file(&argv[0], FileOperation::Execute, argv, base)
            }
            // A rule allows the program, but nothing models its operands:
            // each word that could name a file is judged as read and written.
            None if self.guard.mode == CommandMode::Whitelist => {
                self.check_unmodelled_operands(argv, base)
            }
            None => self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "{base} is not a program the analysis has a model for; what it does with its arguments cannot be checked"
                ),
                argv[0].span,
                argv,
            ),
        }
    }

    /// A plain reader: every operand (after `--`, or not an option) is read.
    fn check_plain_reads(&mut self, argv: &[Arg], base: &str) {
        let mut ended = false;
        for a in argv.iter().skip(1) {
            match a.lit() {
                Some("--") if !ended => ended = true,
                Some(v) if !ended && v.starts_with('-') && v.len() > 1 => {}
                _ => self.check_file(a, FileOperation::Read, argv, base),
            }
        }
    }
}

/// How a program modelled as taking no files still names paths: which of
/// its options take a path, which take another value, which operands are
/// paths.
struct StatSpec {
    names: &'static [&'static str],
    path_letters: &'static str,
    value_letters: &'static str,
    path_longs: &'static [&'static str],
    value_longs: &'static [&'static str],
    operands: Operands,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Operands {
    None,
    All,
    /// Only an operand with a `/` names a path (`which ./x`, `lsblk /dev/x`).
    WithSlash,
}

/// The programs of the `NoFiles` row that open or stat a path named on the
/// command line: a stat of a blocked file tells whether it exists, its type
/// and times (`stty -F`, `sync FILE`, `getconf VAR PATH`, `df FILE`), so
/// each such path is judged as a read. `whereis -B/-M/-S DIRS` is read
/// apart (its lists end at the next option).
static STATS: &[StatSpec] = &[
    StatSpec {
        names: &["stty"],
        path_letters: "F",
        value_letters: "",
        path_longs: &["--file"],
        value_longs: &[],
        operands: Operands::None,
    },
    StatSpec {
        names: &["sync", "pathchk", "who", "users"],
        path_letters: "",
        value_letters: "",
        path_longs: &[],
        value_longs: &[],
        operands: Operands::All,
    },
    StatSpec {
        names: &["getconf"],
        path_letters: "",
        value_letters: "v",
        path_longs: &[],
        value_longs: &[],
        operands: Operands::All,
    },
    StatSpec {
        names: &["df"],
        path_letters: "",
        value_letters: "Btx",
        path_longs: &[],
        value_longs: &["--block-size", "--type", "--exclude-type"],
        operands: Operands::All,
    },
    StatSpec {
        names: &["which"],
        path_letters: "",
        value_letters: "",
        path_longs: &[],
        value_longs: &[],
        operands: Operands::WithSlash,
    },
    StatSpec {
        names: &["lsblk"],
        path_letters: "",
        value_letters: "eIoxEQ",
        path_longs: &["--sysroot"],
        value_longs: &[
            "--exclude",
            "--include",
            "--output",
            "--sort",
            "--dedup",
            "--filter",
        ],
        operands: Operands::WithSlash,
    },
    StatSpec {
        names: &["lscpu"],
        path_letters: "s",
        value_letters: "",
        path_longs: &["--sysroot"],
        value_longs: &[],
        operands: Operands::None,
    },
    StatSpec {
        names: &["hostname"],
        path_letters: "F",
        value_letters: "",
        path_longs: &["--file"],
        value_longs: &[],
        operands: Operands::None,
    },
    StatSpec {
        names: &["pgrep"],
        path_letters: "F",
        value_letters: "dgGPstuU",
        path_longs: &["--pidfile"],
        value_longs: &["--delimiter", "--ns", "--nslist", "--signal"],
        operands: Operands::None,
    },
];

/// Whether the long option word `k` (without `=VALUE`) names `name`, in
/// full or as getopt_long's abbreviation.
fn long_is(k: &str, name: &str) -> bool {
    k.len() > 3 && name.starts_with(k)
}

/// The words of `argv` naming a path that the no-files program `base`
/// opens or stats. A computed word where a path may stand is returned too
/// (its value is not known).
fn stat_paths(base: &str, argv: &[Arg]) -> Vec<Arg> {
    if base == "whereis" {
        return whereis_dirs(argv);
    }
    let Some(spec) = STATS.iter().find(|s| s.names.contains(&base)) else {
        return Vec::new();
    };
    let operand = |a: &Arg| match spec.operands {
        Operands::None => false,
        Operands::All => true,
        Operands::WithSlash => a.lit().is_none_or(|v| v.contains('/')),
    };
    let mut out = Vec::new();
    let mut ended = false;
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        let Some(v) = a.lit() else {
            // A computed word may be an option naming a path, or one.
            if spec.operands != Operands::None || !spec.path_letters.is_empty() {
                out.push(a.clone());
            }
            continue;
        };
        if ended || v == "-" || !v.starts_with('-') {
            if operand(a) {
                out.push(a.clone());
            }
            continue;
        }
        if v == "--" {
            ended = true;
            continue;
        }
        if let Some(rest) = v.strip_prefix("--") {
            let (k, inline) = match rest.split_once('=') {
                Some((k, x)) => (format!("--{k}"), Some(x)),
                None => (v.to_string(), None),
            };
            let path = spec.path_longs.iter().any(|n| long_is(&k, n));
            let value = spec.value_longs.iter().any(|n| long_is(&k, n));
            match inline {
                Some(x) if path => out.push(Arg::literal(x, a.span)),
                None if path => {
                    if let Some(n) = argv.get(i) {
                        out.push(n.clone());
                    }
                    i += 1;
                }
                None if value => i += 1,
                _ => {}
            }
            continue;
        }
        let chars: Vec<char> = v[1..].chars().collect();
        for (k, ch) in chars.iter().enumerate() {
            let path = spec.path_letters.contains(*ch);
            if path || spec.value_letters.contains(*ch) {
                let rest: String = chars[k + 1..].iter().collect();
                if rest.is_empty() {
                    if let (true, Some(n)) = (path, argv.get(i)) {
                        out.push(n.clone());
                    }
                    i += 1;
                } else if path {
                    out.push(Arg::literal(&rest, a.span));
                }
                break;
            }
        }
    }
    out
}

/// `whereis -B DIRS… -f NAMES`, `-M`, `-S`: each list of directories runs
/// to the next option; whereis lists them and prints the names found.
fn whereis_dirs(argv: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut in_list = false;
    for a in argv.iter().skip(1) {
        match a.lit() {
            Some(v) if v.starts_with('-') => {
                // `-B`, or a cluster ending in one (`-bB`).
                in_list = v.len() > 1 && !v.starts_with("--") && v.ends_with(['B', 'M', 'S']);
            }
            Some(_) if in_list => out.push(a.clone()),
            None if in_list => out.push(a.clone()),
            // A computed word may be `-B`, then a list follows.
            None => {
                out.push(a.clone());
                in_list = true;
            }
            Some(_) => {}
        }
    }
    out
}

impl Analyzer<'_> {
    /// A program without a model, allowed by a whitelist rule: which of its
    /// words are files, and what it does with them, is not known. Every
    /// operand word, an option's `=VALUE`, and a part after `:` that looks
    /// like a path (`SO_PATH:/x.so`), is judged as a read and a write; a
    /// word computed at run time is not modelled. A plain name in the
    /// workspace stays allowed (`zip out.zip src/a.txt`, `man ls`), a
    /// blocked or protected entry, or a path outside the writable places,
    /// does not (`zip x.zip .env`, `man -l ~/.ssh/id_rsa`).
    fn check_unmodelled_operands(&mut self, argv: &[Arg], base: &str) {
        let via = format!("{base} (operands not modelled)");
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base} {}: {base} has no model of its operands, and this word is computed at run time",
                        super::normalize::clip(&a.shown())
                    ),
                    a.span,
                    argv,
                );
                continue;
            };
            let mut words: Vec<&str> = Vec::new();
            if v.starts_with('-') {
                if let Some((_, x)) = v.split_once('=') {
                    words.push(x);
                }
            } else {
                words.push(v);
            }
            let parts: Vec<&str> = words
                .iter()
                .flat_map(|w| w.split([':', '=', ',']).skip(1))
                .filter(|p| p.starts_with(['/', '~', '.']))
                .collect();
            words.extend(parts);
            for w in words {
                if w.is_empty() || w.contains("://") {
                    continue;
                }
                let mut t = Arg::literal(w, a.span);
                t.home = w == "~" || w.starts_with("~/");
                self.check_file(&t, FileOperation::Read, argv, &via);
                self.check_file(&t, FileOperation::Write, argv, &via);
                // A directory may be walked and changed (`zip -r x.zip .`):
                // the blocked and protected entries below it count too.
                let walk = super::trees::Walk {
                    git_dirs: true,
                    ..Default::default()
                };
                self.check_tree(&t, FileOperation::Read, &walk, argv, &via);
                self.check_tree(&t, FileOperation::Write, &walk, argv, &via);
            }
        }
    }

    /// `mktemp [-p DIR | --tmpdir[=DIR]] [TEMPLATE]`: the directory and the
    /// template are where the file is created.
    fn check_mktemp(&mut self, argv: &[Arg]) {
        // Without a template or `-p DIR`, with `-t` (where $TMPDIR comes
        // before `-p`) or a bare `--tmpdir`, the file is
        // made in $TMPDIR or /tmp: judged as a write in /tmp like any
        // other (refused where the policy does not allow /tmp).
        let mut template: Option<String> = None;
        let mut tmp_opt = false;
        let mut p_dir = false;
        let mut k = 1;
        while k < argv.len() {
            match argv[k].lit() {
                Some("--tmpdir") => tmp_opt = true,
                Some(v) if v.starts_with("--tmpdir=") => p_dir = true,
                Some("--") => {
                    template = argv.get(k + 1).map(|t| t.lit().unwrap_or("").to_string());
                    break;
                }
                Some(v) if v.starts_with("--") => {}
                Some(v) if v.starts_with('-') && v.len() > 1 => {
                    // Letters up to `p`, whose value is the rest or the next word.
                    for (n, c) in v[1..].char_indices() {
                        if c == 't' {
                            tmp_opt = true;
                        }
                        if c == 'p' {
                            p_dir = true;
                            if n + 2 == v.len() {
                                k += 1;
                            }
                            break;
                        }
                    }
                }
                Some(v) => template = Some(v.to_string()),
                None => template = Some(String::new()),
            }
            k += 1;
        }
        let in_tmp = (template.is_none() && !p_dir) || tmp_opt;
        if in_tmp {
            let name = template
                .filter(|t| !t.is_empty())
                .map(|t| t.rsplit('/').next().unwrap_or("").to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "tmp.XXXXXXXXXX".to_string());
            let t = Arg::literal(&format!("/tmp/{name}"), argv[0].span);
            self.check_file(
                &t,
                FileOperation::Write,
                argv,
                "mktemp (in $TMPDIR or /tmp)",
            );
        }
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            match a.lit() {
                Some("-p") if i + 1 < argv.len() => {
                    self.check_file(&argv[i + 1], FileOperation::Write, argv, "mktemp -p");
                    i += 1;
                }
                Some(v) if v.starts_with("--tmpdir=") || v.starts_with("-p") && v.len() > 2 => {
                    let dir = v.strip_prefix("--tmpdir=").unwrap_or_else(|| &v[2..]);
                    let mut t = Arg::literal(dir, a.span);
                    t.home = dir == "~" || dir.starts_with("~/");
                    self.check_file(&t, FileOperation::Write, argv, "mktemp -p");
                }
                Some(v) if v.starts_with('-') && v.len() > 1 => {}
                _ => self.check_file(a, FileOperation::Write, argv, "mktemp"),
            }
            i += 1;
        }
    }
}

/// The wrapper label of `find` with `-execdir`/`-okdir`.
pub(crate) const FIND_EXECDIR: &str = "find -execdir";

impl Analyzer<'_> {
    /// Commands of `find -execdir`/`-okdir` run in the directory of each
    /// match, which can be any directory below the starting points (`.git`,
    /// `.git/hooks`): their relative paths are judged in an unknown
    /// directory, so a relative file operand asks.
    pub(crate) fn judge_in_match_dirs(
        &mut self,
        inners: Vec<Vec<Arg>>,
        span: super::Span,
        ctx: &super::walk::Ctx,
        chain: &[String],
        covered: &Option<String>,
        layers: usize,
    ) {
        let mut chain = chain.to_vec();
        chain.push(FIND_EXECDIR.to_string());
        let saved = std::mem::replace(&mut self.cwd, super::walk::Cwd::Unknown);
        let env = self.env_assigns.clone();
        for inner in inners {
            self.env_assigns = env.clone();
            self.judge_layers(
                inner,
                &[],
                span,
                ctx,
                chain.clone(),
                covered.clone(),
                layers,
            );
        }
        self.cwd = saved;
    }
}

/// A program named by a relative path inside the working tree
/// (`./gradlew`, `scripts/run.sh`): the project's own code, allowed by
/// design; a written-then-run file is judged by `check_written_exec`.
fn project_path(name: &str) -> bool {
    name.contains('/')
        && !name.starts_with('/')
        && !name.starts_with('~')
        && !name.split('/').any(|c| c == "..")
}

/// Options of npm, pnpm and yarn known to change neither the project, the
/// configuration files read, the shell nor the Node.js options: any other
/// option asks (`--prefix`/`-C`/`--dir` elsewhere, `--node-options`,
/// `--config.*`, `--userconfig`, `--globalconfig`, `--script-shell`, `-g`).
const PM_INERT: &[&str] = &[
    // Turns the lifecycle scripts of the packages installed off: less code
    // runs, never more.
    "--ignore-scripts",
    "-s",
    "--silent",
    "-q",
    "--quiet",
    "-d",
    "--verbose",
    "--if-present",
    "--ignore-scripts",
    "-D",
    "--save-dev",
    "-S",
    "--save",
    "-E",
    "--save-exact",
    "-O",
    "--save-optional",
    "--save-prod",
    "-P",
    "--prod",
    "--production",
    "--dev",
    "--no-save",
    "--frozen-lockfile",
    "--immutable",
    "--ci",
    "--json",
    "--parseable",
    "--force",
    "--legacy-peer-deps",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--offline",
    "--dry-run",
    "--watch",
    "--coverage",
    "--fix",
    "-r",
    "--recursive",
    "--parallel",
    "--stream",
    "--no-bail",
    "--color",
    "--no-color",
    "-h",
    "--help",
    "-v",
    "--version",
    "-y",
    "--yes",
    "--workspaces",
    "-ws",
    "--include-workspace-root",
    "--long",
    "--all",
    "-a",
    "--no-optional",
    "--prefer-frozen-lockfile",
    "--no-frozen-lockfile",
    "--strict-peer-dependencies",
];

/// Inert options whose value is the next word (a name, a level, a depth).
const PM_INERT_WITH_ARG: &[&str] = &[
    "--loglevel",
    "-w",
    "--workspace",
    "--filter",
    "-F",
    "--omit",
    "--include",
    "--tag",
    "--depth",
    "--reporter",
];

impl Analyzer<'_> {
    /// npm, pnpm and yarn read their own options anywhere before `--`.
    fn check_package_manager_options(&mut self, argv: &[Arg], base: &str) {
        let mut operands: Vec<&str> = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if a.text.starts_with('-') || a.text.starts_with("\"-") {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{base}: the option {} is computed at run time", a.shown()),
                        a.span,
                        argv,
                    );
                    return;
                }
                // An argument handed to the script, computed at run time.
                if forwards_next(&operands) {
                    let via = format!("{base} {}", operands[0]);
                    self.check_forwarded_args(std::slice::from_ref(a), argv, &via);
                    return;
                }
                // A spec computed at run time may name a local package.
                if operands.first().is_some_and(|s| installs_specs(s)) {
                    let sub = operands[0];
                    self.check_local_package_scripts(argv, base, sub, a);
                }
                continue;
            };
            if v == "--" {
                // The words after it are the script's arguments (for other
                // subcommands, words the tool reads as its own operands).
                let via = format!("{base} {} --", operands.first().copied().unwrap_or(""));
                self.check_forwarded_args(&argv[i..], argv, &via);
                return;
            }
            if !v.starts_with('-') || v == "-" {
                if forwards_next(&operands) {
                    let via = format!("{base} {}", operands[0]);
                    self.check_forwarded_args(std::slice::from_ref(a), argv, &via);
                    operands.push(v);
                    continue;
                }
                operands.push(v);
                if let Some(what) = global_change(&operands) {
                    self.unmodelled(
                        DecisionCode::UnmodelledProgram,
                        format!("{base} {what} changes the user's configuration or global packages, outside the workspace"),
                        a.span,
                        argv,
                    );
                    return;
                }
                let words: Vec<&str> = argv.iter().filter_map(|w| w.lit()).collect();
                let canon = super::programs::canonical(base);
                // The subcommand, then `config`'s action.
                let why = (operands.len() <= 2)
                    .then(|| super::pkg_models::pm_subcommand(&canon, &operands, &words))
                    .flatten();
                if let Some(why) = why {
                    self.unmodelled(
                        DecisionCode::UnmodelledProgram,
                        format!("{base} {why}"),
                        a.span,
                        argv,
                    );
                    return;
                }
                // A local dependency (`file:DIR`, `link:DIR`, `../dir`,
                // `x.tgz`): the package manager reads it and links or
                // unpacks it into node_modules, where later reads reach it.
                if operands.len() >= 2 && installs_specs(operands[0]) {
                    let via = format!("{base} {}", operands[0]);
                    self.check_spec_destination(a, argv, &via);
                    if let Some(path) = local_spec(v) {
                        let mut t = Arg::literal(path, a.span);
                        t.home = path == "~" || path.starts_with("~/");
                        let via = format!("{base} {} (a local package)", operands[0]);
                        self.check_file(&t, FileOperation::Read, argv, &via);
                        let walk = super::trees::Walk::default();
                        self.check_tree(&t, FileOperation::Read, &walk, argv, &via);
                    }
                    if local_spec(v).is_some() || local_git_spec(v) {
                        self.check_local_package_scripts(argv, base, operands[0], a);
                    }
                }
                continue;
            }
            let name = v.split('=').next().unwrap_or(v);
            if PM_INERT.contains(&v) {
                continue;
            }
            // The registry packages come from: a local one is a directory
            // read, whose packages' scripts run.
            if name == "--registry" {
                let value = match v.split_once('=') {
                    Some((_, x)) => Some(Arg::literal(x, a.span)),
                    None => {
                        i += 1;
                        argv.get(i - 1).cloned()
                    }
                };
                let Some(value) = value else { return };
                if !self.check_package_index(&value, argv, &format!("{base} --registry")) {
                    return;
                }
                continue;
            }
            // `pnpm -w` is --workspace-root, a flag.
            let takes_value =
                PM_INERT_WITH_ARG.contains(&name) && !(base == "pnpm" && name == "-w");
            if takes_value || (base == "pnpm" && name == "-w") {
                // nopt never takes an option-looking word as a value: that
                // word is read as the next option.
                let next_is_option = argv
                    .get(i)
                    .is_some_and(|n| n.lit().is_none_or(|t| t.starts_with('-')));
                if takes_value && !v.contains('=') && !next_is_option {
                    i += 1;
                }
                continue;
            }
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "{base} {}: only options known to be inert are modelled; this one may change the project, the configuration read, the shell or the Node.js options",
                    super::normalize::clip(v)
                ),
                a.span,
                argv,
            );
            return;
        }
    }
}

/// Whether the next operand of npm, pnpm or yarn is an argument handed to
/// a package script: after the script's name (`npm run x ARG`), or after
/// a subcommand that names its script itself (`npm test ARG`).
fn forwards_next(operands: &[&str]) -> bool {
    match operands.first() {
        Some(&("run" | "run-script" | "rum" | "urn")) => operands.len() >= 2,
        Some(&("test" | "tst" | "t" | "start" | "stop" | "restart")) => true,
        _ => false,
    }
}

/// Subcommands of npm, pnpm and yarn whose operands are package specs
/// fetched into node_modules.
fn installs_specs(sub: &str) -> bool {
    matches!(
        sub,
        "install"
            | "i"
            | "in"
            | "ins"
            | "inst"
            | "insta"
            | "instal"
            | "isnt"
            | "isntal"
            | "isntall"
            | "add"
            | "update"
            | "up"
            | "upgrade"
            | "link"
            | "ln"
            | "install-test"
            | "it"
            | "exec"
            | "x"
            | "dlx"
    )
}

/// The path a package spec names, when it is a local one: `file:P`,
/// `link:P`, `portal:P` (also after `NAME@`), a path (`./x`, `../x`,
/// `/x`, `~/x`) or a tarball (`x.tgz`, `x.tar.gz`, `x.tar`).
fn local_spec(spec: &str) -> Option<&str> {
    let body = match spec.find(['@']) {
        // `@scope/name@file:…`: the version part after the second `@`.
        Some(0) => spec[1..].find('@').map_or(spec, |k| &spec[k + 2..]),
        Some(k) => &spec[k + 1..],
        None => spec,
    };
    for scheme in ["file:", "link:", "portal:"] {
        if let Some(p) = body.strip_prefix(scheme) {
            // `file://…` is a URL: its path.
            let p = p.strip_prefix("//").unwrap_or(p);
            return Some(if p.is_empty() { "." } else { p });
        }
    }
    let tarball = [".tgz", ".tar.gz", ".tar"]
        .iter()
        .any(|s| spec.to_ascii_lowercase().ends_with(s));
    // A URL (`https://…/x.tgz`, `git+ssh://…`) is fetched, not read here.
    if spec.starts_with(['.', '/', '~']) || (tarball && !spec.contains(':')) {
        return Some(spec);
    }
    // `NAME@PATH`, and (npm-package-arg) a spec with a slash that is no
    // package name, URL or hosted repository (`user/repo`): a directory
    // (`pkg/`, `a/b/c`, `x@vendor/x`).
    if body != spec && body.starts_with(['.', '/', '~']) {
        return Some(body);
    }
    let registry = super::wrappers::is_npm_registry_spec(&Arg::literal(body, [0, 0]));
    (body.contains('/')
        && !body.contains(':')
        && !registry
        && !super::pkg_models::hosted_git_spec(body))
    .then_some(body)
}

/// A git repository on this machine (`git+file:…`): cloned, then built
/// with its own scripts like a local directory.
fn local_git_spec(spec: &str) -> bool {
    let lower = spec.to_ascii_lowercase();
    let body = lower.split_once('@').map_or(lower.as_str(), |(n, b)| {
        if n.is_empty() {
            // `@scope/name@git+file:…`
            b.split_once('@').map_or(b, |(_, r)| r)
        } else {
            b
        }
    });
    lower.starts_with("git+file:") || body.starts_with("git+file:")
}

/// Whether the words turn the lifecycle scripts of installed packages off:
/// `--ignore-scripts` as a flag (`--ignore-scripts=false`, or a value in
/// the next word, is not modelled and asks as an option).
fn ignores_scripts(argv: &[Arg]) -> bool {
    argv.iter()
        .skip(1)
        .take_while(|a| !a.is("--"))
        .any(|a| a.is("--ignore-scripts"))
}

impl Analyzer<'_> {
    /// `bun add ./pkg`, `bun install file:../x`: a local package is
    /// installed with its lifecycle scripts, as for npm.
    pub(crate) fn check_bun_local_packages(&mut self, argv: &[Arg]) {
        let mut operands = argv
            .iter()
            .skip(1)
            .take_while(|a| !a.is("--"))
            .filter(|a| !a.lit().is_some_and(|v| v.starts_with('-')));
        let Some(sub) = operands.next().and_then(|a| a.lit()) else {
            return;
        };
        if !matches!(sub, "add" | "a" | "install" | "i" | "update" | "link") {
            return;
        }
        let sub = sub.to_string();
        for a in operands {
            // A computed spec may be a local one.
            if a.lit()
                .is_none_or(|v| local_spec(v).is_some() || local_git_spec(v))
            {
                self.check_local_package_scripts(argv, "bun", &sub, a);
                return;
            }
        }
    }

    /// A package manager installing a local package (a directory, a
    /// tarball, a `file:`/`link:`/`portal:` spec, a `git+file:` repository)
    /// runs that package's lifecycle scripts (`preinstall`, `install`,
    /// `postinstall`, `prepare`) from a `package.json` the command does not
    /// show: code the analysis never saw, unless `--ignore-scripts` turns
    /// them off.
    pub(crate) fn check_local_package_scripts(
        &mut self,
        argv: &[Arg],
        base: &str,
        sub: &str,
        spec: &Arg,
    ) {
        // Turned off by the option, or by the project's `.npmrc` (npm).
        if ignores_scripts(argv)
            || (super::programs::canonical(base) == "npm" && self.npm_config_ignores_scripts())
        {
            return;
        }
        self.unmodelled(
            DecisionCode::UnmodelledProgram,
            format!(
                "{base} {sub} {}: installing a local package runs its lifecycle scripts (preinstall, install, postinstall, prepare) from a package.json the command does not show; --ignore-scripts turns them off",
                spec.shown()
            ),
            spec.span,
            argv,
        );
    }
}

/// `npm config set …`, `yarn global add …`: the words that write the
/// user's configuration or the global prefix.
fn global_change(operands: &[&str]) -> Option<String> {
    match operands {
        ["config" | "c", sub, ..] if !matches!(*sub, "get" | "list" | "ls") => {
            Some(format!("config {sub}"))
        }
        ["global", ..] => Some("global".to_string()),
        _ => None,
    }
}

/// Variables of make that change how recipes run or what it reads.
const MAKE_RISKY_VARS: &[&str] = &[
    "SHELL",
    ".SHELLFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "GNUMAKEFLAGS",
    "MAKEFILES",
    "MAKE",
    "MAKESHELL",
    "COMSPEC",
    ".RECIPEPREFIX",
    ".DEFAULT_GOAL",
    ".ONESHELL",
];

/// Long options of make that change neither the makefiles read, the
/// directory nor the recipes.
const MAKE_INERT_LONG: &[&str] = &[
    "--jobs",
    "--keep-going",
    "--no-keep-going",
    "--stop",
    "--silent",
    "--quiet",
    "--always-make",
    "--dry-run",
    "--just-print",
    "--recon",
    "--question",
    "--touch",
    "--print-directory",
    "--no-print-directory",
    "--debug",
    "--trace",
    "--ignore-errors",
    "--load-average",
    "--max-load",
    "--output-sync",
    "--warn-undefined-variables",
    "--version",
    "--help",
    "--no-builtin-rules",
    "--no-builtin-variables",
    "--check-symlink-times",
    "--print-data-base",
    "--no-silent",
    "--shuffle",
];

/// The makefiles named with `-f`, `--file`, `--makefile` (clustered,
/// attached, or by a prefix); a computed word counts as one, named `*`.
fn make_files(argv: &[Arg]) -> Vec<String> {
    make_values(argv, &["file", "makefile"], 'f')
}

/// The `-C DIR`/`--directory` values of a make command line, in order
/// (`*` for a computed one).
fn make_dirs(argv: &[Arg]) -> Vec<String> {
    make_values(argv, &["directory"], 'C')
}

/// The values of the option `-SHORT`/`--LONG` of a make command line.
fn make_values(argv: &[Arg], long: &[&str], short: char) -> Vec<String> {
    use super::options::{scan, Item, Opt, Syntax};
    const MAKE: Syntax<'static> = Syntax {
        optional: "jlO",
        ..Syntax::gnu(
            "CfIoWE",
            &[
                "file",
                "makefile",
                "directory",
                "include-dir",
                "old-file",
                "assume-old",
                "new-file",
                "assume-new",
                "what-if",
                "eval",
            ],
            &[],
        )
    };
    let mut out = Vec::new();
    for item in scan(argv, &MAKE) {
        match item {
            Item::Option {
                opt,
                word,
                value: Some(value),
            } => {
                let is_file = match &opt {
                    Opt::Short(c) => *c == short,
                    Opt::Long(n) => long.contains(n),
                    Opt::Ambiguous(all) => all.iter().any(|n| long.contains(n)),
                    Opt::Other(_) => false,
                };
                if is_file {
                    let v = value.arg(word);
                    out.push(v.lit().unwrap_or("*").to_string());
                }
            }
            Item::Computed(_) => out.push("*".to_string()),
            _ => {}
        }
    }
    out
}

/// Whether the written path `p` may be the makefile `given` (by its last
/// name: `-C DIR` moves where a relative one is looked up).
fn same_name(p: &str, given: &str) -> bool {
    let last = |s: &str| {
        s.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(s)
            .to_string()
    };
    given == "*" || last(p) == last(given)
}

/// Whether a file written as `prefix` followed by a computed name may be
/// the file `name` (by its last name).
pub(crate) fn may_extend(prefix: &str, name: &str) -> bool {
    let start = prefix.rsplit('/').next().unwrap_or(prefix);
    let last = name
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(name);
    last.len() > start.len() && last.starts_with(start)
}

/// Whether a path is a makefile by its name.
fn makefile_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "Makefile" | "makefile" | "GNUmakefile") || name.ends_with(".mk")
}

impl Analyzer<'_> {
    /// make runs the project's makefile by design; what the command line
    /// adds to it is modelled: a variable assignment only with a number as
    /// its value (`V=1`; any other value may be a program or `$(shell …)`
    /// the recipes run), `-C DIR` as a write of DIR (make builds there),
    /// `-f FILE` only for a relative path inside the workspace, never
    /// `--eval`; a makefile written earlier in the same command is unknown
    /// code.
    fn check_make(&mut self, argv: &[Arg], base: &str) {
        // Any file given with `-f` is a makefile, whatever its name.
        let given = make_files(argv);
        if let Some(p) = self
            .written
            .iter()
            .map(|(p, _)| p.clone())
            .find(|p| makefile_name(p) || given.iter().any(|g| same_name(p, g)))
            .or_else(|| {
                // Names computed from a prefix (`split`, `csplit`): any
                // name that starts with it may be among them.
                self.written_prefixes
                    .iter()
                    .find(|w| {
                        ["Makefile", "makefile", "GNUmakefile"]
                            .iter()
                            .any(|m| may_extend(w, m))
                            || given.iter().any(|g| g == "*" || may_extend(w, g))
                    })
                    .map(|w| format!("{w}…"))
            })
            .or_else(|| self.written_make_input(argv))
        {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!("{base} runs build files, and {p} was written earlier in the same command: its content is not analysed"),
                argv[0].span,
                argv,
            );
            return;
        }
        let mut ended = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base}: the word {} is computed at run time and could be an option or a variable assignment", a.shown()),
                    a.span,
                    argv,
                );
                return;
            };
            if v == "--" {
                ended = true;
                continue;
            }
            // After `--` GNU make still reads `NAME=VALUE` as a variable.
            if ended && !v.contains('=') {
                continue;
            }
            let (opt, inline) = match v.split_once('=') {
                Some((o, val)) if o.starts_with("--") => (o, Some(val)),
                _ => (v, None),
            };
            let value = |i: &mut usize| -> Option<Arg> {
                if let Some(val) = inline {
                    return Some(Arg::literal(val, a.span));
                }
                if opt.len() > 2 && !opt.starts_with("--") {
                    return Some(Arg::literal(&opt[2..], a.span));
                }
                let next = argv.get(*i).cloned();
                *i += 1;
                next
            };
            let short = |c: &str| opt == c || (opt.starts_with(c) && !opt.starts_with("--"));
            if short("-C") || opt == "--directory" {
                if let Some(d) = value(&mut i) {
                    self.check_file(&d, FileOperation::Write, argv, &format!("{base} -C"));
                }
            } else if short("-f") || matches!(opt, "--file" | "--makefile") {
                let f = value(&mut i);
                let inside = f.as_ref().and_then(|f| f.lit()).is_some_and(project_file);
                if let (true, Some(f)) = (inside, &f) {
                    // The project's own file, unless the policy blocks it.
                    self.check_file(f, FileOperation::Read, argv, &format!("{base} -f"));
                }
                if !inside {
                    self.unmodelled(
                        DecisionCode::UnmodelledProgram,
                        format!("{base} -f: only a makefile named by a relative path inside the workspace is the project's own code"),
                        a.span,
                        argv,
                    );
                    return;
                }
            } else if short("-E") || opt == "--eval" || short("-I") || opt == "--include-dir" {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("{base} {opt} adds makefile text or include directories that are not analysed"),
                    a.span,
                    argv,
                );
                return;
            } else if short("-o")
                || short("-W")
                || matches!(
                    opt,
                    "--old-file" | "--assume-old" | "--what-if" | "--new-file" | "--assume-new"
                )
            {
                let _ = value(&mut i);
            } else if opt.starts_with("--") && !MAKE_INERT_LONG.contains(&opt)
                || !opt.starts_with("--")
                    && opt.len() > 2
                    && opt.starts_with('-')
                    && opt[2..].contains(['C', 'f', 'E', 'I', 'o', 'W'])
            {
                // An abbreviation, an unknown long option, or a value
                // option inside a cluster (`-sC DIR`).
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{base}: the option {} is not modelled",
                        super::normalize::clip(v)
                    ),
                    a.span,
                    argv,
                );
                return;
            } else if !opt.starts_with('-') && v.contains('=') {
                let (name, val) = v.split_once('=').unwrap_or((v, ""));
                let plain =
                    name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty();
                if !plain
                    || MAKE_RISKY_VARS.contains(&name)
                    || !val.chars().all(|c| c.is_ascii_digit())
                {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{base} {}: a variable set on the command line overrides the makefile; only a number as the value is modelled (any other value may be a program or $(shell …) the recipes run)", super::normalize::clip(v)),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
    }
}

/// At most this many makefiles (the one make reads and those it
/// includes) are read for their include lines, each up to this size.
const MAX_MAKEFILES: usize = 16;
const MAX_MAKEFILE_BYTES: u64 = 1 << 20;

/// The operands of a makefile's `include`, `-include` and `sinclude`
/// lines (continued lines joined; in any context, conditionals included).
fn include_words(text: &str) -> Vec<String> {
    let joined = text.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.split('#').next().unwrap_or("").trim_start();
        let rest = ["include", "-include", "sinclude"]
            .iter()
            .find_map(|d| line.strip_prefix(d))
            .filter(|r| r.starts_with([' ', '\t']));
        if let Some(rest) = rest {
            out.extend(rest.split_whitespace().map(str::to_string));
        }
    }
    out
}

impl Analyzer<'_> {
    /// A file make reads as its code that the command wrote earlier under
    /// another name (a link, a hard link: compared by identity), or a file
    /// the makefile includes: the makefile make reads (in the `-C`
    /// directory: the `-f` files or the first of `GNUmakefile`,
    /// `makefile`, `Makefile`) and the files it includes, whose include
    /// lines are read in turn. An include whose name is computed
    /// (`$(wildcard *.d)`, a glob) may name any file: then any write in
    /// the workspace counts.
    fn written_make_input(&self, argv: &[Arg]) -> Option<String> {
        if self.written.is_empty() && self.written_prefixes.is_empty() {
            return None;
        }
        let mut dir = String::from(".");
        for d in make_dirs(argv) {
            if d == "*" {
                return None; // a computed directory is judged elsewhere
            }
            dir = if d.starts_with('/') {
                d
            } else {
                format!("{dir}/{d}")
            };
        }
        let at = |name: &str| -> Option<String> {
            let p = if name.starts_with('/') {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            self.resolve(&p, false).map(|p| normalize_path(&p))
        };
        let exists = |p: &str| {
            self.fs
                .host_path_of(p)
                .is_some_and(|h| std::fs::metadata(h).is_ok())
        };
        let given = make_files(argv);
        let mut queue: Vec<String> = if given.is_empty() {
            ["GNUmakefile", "makefile", "Makefile"]
                .iter()
                .filter_map(|n| at(n))
                .find(|p| exists(p))
                .into_iter()
                .collect()
        } else {
            given
                .iter()
                .filter(|g| *g != "*")
                .filter_map(|g| at(g))
                .collect()
        };
        let mut seen: Vec<String> = Vec::new();
        while let Some(file) = queue.pop() {
            if seen.contains(&file) || seen.len() >= MAX_MAKEFILES {
                continue;
            }
            seen.push(file.clone());
            if self.written_path(&file) {
                return Some(file);
            }
            let Some(host) = self.fs.host_path_of(&file) else {
                continue;
            };
            let text = match std::fs::File::open(&host) {
                Ok(f) => {
                    let mut s = String::new();
                    let _ = std::io::Read::read_to_string(
                        &mut std::io::Read::take(f, MAX_MAKEFILE_BYTES),
                        &mut s,
                    );
                    s
                }
                Err(_) => continue,
            };
            for w in include_words(&text) {
                if w.contains(['$', '*', '?', '[', '\\', '%', '~']) {
                    let in_ws = |p: &str| !p.starts_with(['/', '~']) && !p.starts_with("..");
                    // Not make's own output (`make > build.log`).
                    let before = self.written.len().min(self.written_before);
                    if let Some(p) = self.written[..before]
                        .iter()
                        .map(|(p, _)| p)
                        .chain(self.written_prefixes.iter())
                        .find(|p| in_ws(p))
                    {
                        return Some(format!("{p} (the makefile {file} includes {w})"));
                    }
                    continue;
                }
                if let Some(p) = at(&w) {
                    if self.written_path(&p) {
                        return Some(format!("{p} (included by the makefile {file})"));
                    }
                    if exists(&p) {
                        queue.push(p);
                    }
                }
            }
        }
        None
    }
}

/// A relative path without `..`: a file of the project.
fn project_file(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.starts_with('~')
        && !path.split('/').any(|c| c == "..")
}

/// Build and test tools that are scripts of an interpreter: a blocked rule
/// naming the interpreter alone (`python3`) covers them, since they run it.
const INTERPRETER_SCRIPTS: &[(&[&str], &[&str])] = &[
    (
        &[
            "pip", "pip3", "pytest", "py.test", "tox", "nox", "poetry", "black", "ruff", "mypy",
            "flake8", "pylint", "isort", "ipython",
        ],
        &["python3", "python"],
    ),
    (
        &[
            "npm", "npx", "pnpm", "yarn", "tsc", "eslint", "prettier", "jest", "vitest", "mocha",
            "webpack", "vite", "rollup",
        ],
        &["node", "nodejs"],
    ),
    (&["bundle", "rake", "gem", "rspec"], &["ruby"]),
    // Perl scripts under their own names.
    (&["shasum", "cloc", "colordiff", "parallel"], &["perl"]),
    // sh scripts of common distributions (gzip's, grep's, debianutils'):
    // what they run is fixed system code, but a blocked `sh` names them.
    (
        &[
            "egrep",
            "fgrep",
            "zgrep",
            "zegrep",
            "zfgrep",
            "zcat",
            "gunzip",
            "uncompress",
            "zless",
            "zmore",
            "zdiff",
            "zcmp",
            "znew",
            "zforce",
            "gzexe",
            "which",
            "xzgrep",
            "xzegrep",
            "xzfgrep",
            "xzless",
            "xzmore",
            "xzdiff",
            "xzcmp",
            "bzgrep",
            "bzegrep",
            "bzfgrep",
            "bzless",
            "bzmore",
            "bzdiff",
            "bzcmp",
            "lzgrep",
            "lzless",
            "lzmore",
            "lzdiff",
            "lzcmp",
        ],
        &["sh"],
    ),
];

impl Analyzer<'_> {
    fn check_interpreter_scripts(&mut self, argv: &[Arg], base: &str) {
        if self.guard.mode != CommandMode::Blacklist {
            return;
        }
        let canon = super::programs::canonical(base);
        let Some((_, interpreters)) = INTERPRETER_SCRIPTS
            .iter()
            .find(|(tools, _)| tools.contains(&base) || tools.contains(&canon.as_str()))
        else {
            return;
        };
        for i in interpreters.iter() {
            if let Some(rule) = self.blocked_rule(i, argv[0].span) {
                self.finding(
                    Verdict::Ask,
                    DecisionCode::BlockedCommand,
                    format!("{base} is a {i} program, and a blocked command rule names {i}"),
                    argv[0].span,
                    argv,
                    Some(rule),
                );
                return;
            }
        }
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;

    /// The index answers what a scan of the table answers, for every name
    /// in it and for names that are not.
    #[test]
    fn model_of_agrees_with_a_scan() {
        let scan = |name: &str| {
            KNOWN
                .iter()
                .find(|(names, _)| names.contains(&name))
                .map(|(_, m)| *m)
        };
        let names = KNOWN.iter().flat_map(|(names, _)| names.iter().copied());
        for name in names.chain(["", "GIT", "no-such-program", "python3.12"]) {
            assert!(model_of(name) == scan(name), "{name}");
        }
    }
}

#[cfg(test)]
mod stat_tests {
    use super::*;
    use crate::guards::command::normalize::Arg;

    fn words(line: &str) -> Vec<Arg> {
        line.split(' ')
            .map(|w| Arg::literal(w, Default::default()))
            .collect()
    }

    fn paths(line: &str) -> Vec<String> {
        let argv = words(line);
        let base = argv[0].lit().unwrap().to_string();
        stat_paths(&base, &argv).iter().map(|a| a.shown()).collect()
    }

    /// The paths a no-files program opens or stats, and the words that are
    /// settings, variable names or option values.
    #[test]
    fn no_files_programs_name_the_paths_they_stat() {
        assert_eq!(paths("stty -F /d/k -a"), ["/d/k"]);
        assert_eq!(paths("stty -aF/d/k"), ["/d/k"]);
        assert_eq!(paths("stty --fil=/d/k"), ["/d/k"]);
        assert_eq!(paths("stty --file /d/k -echo"), ["/d/k"]);
        assert!(paths("stty -echo raw").is_empty());
        assert_eq!(paths("sync -f /d/k"), ["/d/k"]);
        assert_eq!(paths("getconf -v SPEC NAME_MAX /d/k"), ["NAME_MAX", "/d/k"]);
        assert_eq!(paths("df -t ext4 -h /d/k"), ["/d/k"]);
        assert_eq!(paths("which ls ./x"), ["./x"]);
        assert_eq!(paths("whereis -B /d/a /d/b -f k"), ["/d/a", "/d/b"]);
        assert_eq!(paths("whereis -bM /d/a -f k"), ["/d/a"]);
        assert!(paths("whereis ls").is_empty());
        assert_eq!(paths("pgrep -u me -F /d/pid"), ["/d/pid"]);
        assert!(paths("sleep 1").is_empty());
    }

    #[test]
    fn local_package_specs() {
        assert_eq!(local_spec("file:../h/.ssh"), Some("../h/.ssh"));
        assert_eq!(local_spec("x@file:/h"), Some("/h"));
        assert_eq!(local_spec("@s/x@link:../h"), Some("../h"));
        assert_eq!(local_spec("file:///h/x"), Some("/h/x"));
        assert_eq!(local_spec("../dir"), Some("../dir"));
        assert_eq!(local_spec("pkg.tgz"), Some("pkg.tgz"));
        assert_eq!(local_spec("https://e.com/x.tgz"), None);
        assert_eq!(local_spec("lodash"), None);
        assert_eq!(local_spec("@types/node@20"), None);
        assert_eq!(local_spec("user/repo"), None);
    }

    #[test]
    fn prefixes_extend_to_names() {
        assert!(may_extend("/w/Makefil", "Makefile"));
        assert!(may_extend("/w/", "Makefile"));
        assert!(!may_extend("/w/Makefile", "Makefile"));
        assert!(!may_extend("/w/part_", "Makefile"));
    }
}
