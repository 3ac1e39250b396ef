//! Environment assignments in front of a command, to `env`, `export` and
//! friends (docs/policy.md, Commands 9). Harmless names (`CI`, `NODE_ENV`,
//! `RUST_LOG`, `DEBUG`, …) are fine; names that change which program runs,
//! what code it loads or which commands it starts make the command at least
//! `ask`.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::Span;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation;

/// Names that change how programs run, matched exactly.
const EXACT: &[(&str, &str)] = &[
    ("PATH", "changes which program a command name runs"),
    (
        "BASH_ENV",
        "names a file every non-interactive bash sources",
    ),
    ("ENV", "names a file sh sources at start"),
    ("PROMPT_COMMAND", "runs a command before each prompt"),
    ("PS0", "prompt strings run command substitutions"),
    ("PS1", "prompt strings run command substitutions"),
    ("PS2", "prompt strings run command substitutions"),
    ("PS4", "prompt strings run command substitutions"),
    ("SHELLOPTS", "changes shell behaviour of child shells"),
    ("BASHOPTS", "changes shell behaviour of child shells"),
    ("CDPATH", "changes where cd goes"),
    ("GLOBIGNORE", "changes what globs match"),
    ("HOME", "changes where programs read their configuration"),
    ("ZDOTDIR", "changes which zsh startup files run"),
    (
        "XDG_CONFIG_HOME",
        "changes where programs read their configuration",
    ),
    ("PAGER", "names a program run to page output"),
    ("MANPAGER", "names a program run to page output"),
    ("LESSOPEN", "names an input preprocessor less runs"),
    ("LESSCLOSE", "names a postprocessor less runs"),
    // Options less reads before its own words: a log file it writes, a key
    // file it loads. A plain assignment reaches less if the caller
    // exported the name already.
    (
        "LESS",
        "adds options to less (a log file it writes, key files it loads)",
    ),
    (
        "LESSKEY",
        "names a key file less loads (it can set LESSOPEN)",
    ),
    (
        "LESSKEYIN",
        "names a key file less loads (it can set LESSOPEN)",
    ),
    (
        "LESSKEY_CONTENT",
        "holds key bindings less loads (it can set LESSOPEN)",
    ),
    (
        "TMPDIR",
        "changes where programs create their temporary files",
    ),
    ("EDITOR", "names a program run to edit files"),
    ("VISUAL", "names a program run to edit files"),
    ("BROWSER", "names a program run to open URLs"),
    ("SHELL", "names the shell programs start"),
    (
        "NODE_OPTIONS",
        "adds options (e.g. --require) to every node process",
    ),
    ("NODE_PATH", "changes where node loads modules"),
    ("PYTHONPATH", "changes where python loads modules"),
    ("PYTHONSTARTUP", "names a file python runs at start"),
    ("PYTHONHOME", "changes which python library is loaded"),
    ("PYTHONINSPECT", "changes how python runs"),
    ("PERL5OPT", "adds options (e.g. -M) to every perl process"),
    ("PERL5LIB", "changes where perl loads modules"),
    ("PERLLIB", "changes where perl loads modules"),
    ("RUBYOPT", "adds options to every ruby process"),
    ("RUBYLIB", "changes where ruby loads libraries"),
    ("CLASSPATH", "changes where java loads classes"),
    ("GCONV_PATH", "loads shared objects into programs"),
    (
        "OPENSSL_CONF",
        "names the openssl configuration, which loads engines and providers",
    ),
    ("OPENSSL_MODULES", "changes where openssl loads providers"),
    ("OPENSSL_ENGINES", "changes where openssl loads engines"),
    (
        "MANPATH",
        "changes where man reads pages (roff may include any file)",
    ),
    ("HOSTALIASES", "changes name resolution"),
    ("MAKEFLAGS", "adds options to make"),
    ("MAKEFILES", "makes make read more makefiles"),
    ("MFLAGS", "adds options to make"),
    ("GNUMAKEFLAGS", "adds options to make"),
    ("RUSTC_WRAPPER", "names a program cargo runs"),
    ("RUSTC", "names the compiler cargo runs"),
    ("CC", "names the compiler build tools run"),
    ("CXX", "names the compiler build tools run"),
    ("FPATH", "changes where zsh loads functions"),
    ("EXECIGNORE", "changes which programs the shell runs"),
];

/// Name prefixes and suffixes of the same kind.
const PREFIXES: &[(&str, &str)] = &[
    (
        "LD_",
        "changes how programs load shared libraries (LD_PRELOAD, LD_LIBRARY_PATH, …)",
    ),
    ("DYLD_", "changes how programs load shared libraries"),
    (
        "GIT_",
        "changes what git runs or where it reads configuration",
    ),
    ("BASH_FUNC_", "defines a shell function"),
    (
        "NPM_CONFIG_",
        "changes npm configuration (e.g. script-shell)",
    ),
    ("MALLOC_", "changes the allocator of every program"),
    (
        "JAVA_TOOL_OPTIONS",
        "adds options (e.g. -javaagent) to every JVM",
    ),
    ("_JAVA_OPTIONS", "adds options to every JVM"),
    ("JDK_JAVA_OPTIONS", "adds options to every JVM"),
];

const SUFFIXES: &[(&str, &str)] = &[
    ("_COMMAND", "names a command a program runs"),
    ("_CMD", "names a command a program runs"),
    ("_RSH", "names a remote shell a program runs"),
    ("_SSH", "names an ssh program a tool runs"),
    ("_PAGER", "names a program run to page output"),
    ("_EDITOR", "names a program run to edit files"),
    ("_ASKPASS", "names a program run to ask for passwords"),
    ("_WRAPPER", "names a program run around another"),
    ("_RUNNER", "names a program run to run others"),
    ("_SHELL", "names the shell a program runs"),
    ("_PRELOAD", "loads code into programs"),
    ("_OPTIONS", "adds options to a program"),
    ("_OPTS", "adds options to a program"),
    ("_PROGRAM", "names a program a tool runs"),
];

/// Why an assignment to `name` is not harmless, if it is not.
pub(crate) fn risk(name: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    if let Some((_, why)) = EXACT.iter().find(|(n, _)| *n == name) {
        return Some(why);
    }
    if let Some((_, why)) = PREFIXES.iter().find(|(p, _)| upper.starts_with(p)) {
        return Some(why);
    }
    if let Some((_, why)) = SUFFIXES.iter().find(|(s, _)| upper.ends_with(s)) {
        return Some(why);
    }
    None
}

/// Variables known to change nothing but messages, colours, locale, time
/// zone and logging: the only ones a command may pass in its environment
/// (prefix assignment, `export`, `declare -x`, `env NAME=…`) without `ask`.
/// Programs read many more variables than any list of dangerous names can
/// hold (`LUA_INIT`, `VIMINIT`, `LESS`, `GOFLAGS`, `PHPRC`, …), so any
/// other name is not modelled.
const INERT: &[&str] = &[
    "LANG",
    "LANGUAGE",
    "TZ",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "CI",
    "DEBUG",
    "VERBOSE",
    "NODE_ENV",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    "RUST_LOG",
    "RUST_TEST_THREADS",
    "CARGO_TERM_COLOR",
    "CARGO_TERM_VERBOSE",
    "CARGO_INCREMENTAL",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONIOENCODING",
    "PYTHONHASHSEED",
    "PYTHONWARNINGS",
    "GOTRACEBACK",
    "TF_CPP_MIN_LOG_LEVEL",
];

/// Whether `name` is on the list of variables known to be inert in a
/// program's environment (`LC_*` included).
pub(crate) fn inert(name: &str) -> bool {
    INERT.contains(&name) || (name.starts_with("LC_") && name.len() > 3)
}

/// Whether the assignment turns an interpreter's history file off and does
/// nothing else: `NODE_REPL_HISTORY=` (empty) keeps node's REPL from
/// reading and writing `~/.node_repl_history`.
pub(crate) fn turns_history_off(name: &str, value: Option<&Arg>) -> bool {
    name == "NODE_REPL_HISTORY" && value.and_then(|v| v.lit()) == Some("")
}

/// Whether an assignment value holds shell code text that a later
/// evaluation (arithmetic, `eval`, prompt expansion, `${!x}`) would run.
pub(crate) fn stores_code(value: &str) -> bool {
    value.contains("$(") || value.contains('`')
}

impl Analyzer<'_> {
    /// A variable put into a program's environment (prefix assignment,
    /// `export`, `declare -x`, `env NAME=…`): anything not known inert is
    /// not modelled. Names [`risk`] knows already have their own finding.
    pub(crate) fn check_env_export(&mut self, name: &str, span: Span, argv: &[Arg]) {
        if inert(name) || risk(name).is_some() {
            return;
        }
        self.unmodelled(
            DecisionCode::DangerousEnvironment,
            format!(
                "{} is passed in the environment of the command; only variables known to be inert (LANG, LC_*, TZ, NO_COLOR, CI, RUST_LOG, …) are modelled, others can change what a program runs or writes",
                clip(name)
            ),
            span,
            argv,
        );
    }
}

/// Programs that read every environment variable as a make variable and
/// expand it again where the makefile uses it: GNU make (and `remake`, a
/// fork) takes each one as a recursively expanded variable, so a value
/// holding `$(shell …)`, `${file >F,…}` or `$(eval …)` runs when a
/// makefile mentions the name (`$(VERBOSE)`); BSD make expands `${…}`
/// and `$(…)` in it, `:sh` modifiers included.
const MAKES: &[&str] = &[
    "make",
    "gmake",
    "gnumake",
    "remake",
    "bmake",
    "pmake",
    "bsdmake",
    "mingw32-make",
];

/// Whether `argv` (basename `base`) is a make, or `cmake --build`, which
/// runs the generator's make with its own environment (CMake's makefiles
/// test `$(VERBOSE)`).
fn expands_environment(argv: &[Arg], base: &str) -> bool {
    let canon = super::programs::canonical(base);
    MAKES.contains(&canon.as_str())
        || (canon == "cmake" && argv.iter().skip(1).any(|a| a.is("--build")))
}

impl Analyzer<'_> {
    /// A value put into a program's environment under a name known to be
    /// inert: a `$` in it is not inert, since make — the program itself or
    /// one a build tool or script starts with the same environment —
    /// expands it again (`VERBOSE='${shell …}'`).
    pub(crate) fn check_env_value(
        &mut self,
        name: &str,
        value: Option<&Arg>,
        span: Span,
        argv: &[Arg],
    ) {
        if !inert(name) || !value.and_then(|v| v.lit()).is_some_and(|v| v.contains('$')) {
            return;
        }
        self.unmodelled(
            DecisionCode::DangerousEnvironment,
            format!(
                "{} is passed in the environment with a value holding `$`: make (run by the command or by a tool it starts) expands every environment variable again, and `$(shell …)` or `${{file …}}` in it runs",
                clip(name)
            ),
            span,
            argv,
        );
    }

    /// A make (see [`MAKES`]) expands every variable of its environment
    /// again: a value set on this command (prefix assignment, `env
    /// NAME=…`) that is computed at run time may hold `$`, and so may a
    /// variable given an unknown or `$`-holding value earlier in the line,
    /// which reaches make when it is exported (by `export`, or by the
    /// caller before the command).
    pub(crate) fn check_make_environment(&mut self, argv: &[Arg], base: &str) {
        if !expands_environment(argv, base) {
            return;
        }
        let computed = self
            .env_assigns
            .iter()
            .find(|(_, v)| v.as_deref().is_none_or(|v| v.contains('$')))
            .map(|(n, _)| n.clone());
        let earlier = self.shell.written_unknown.first().cloned();
        let why = match (computed, earlier) {
            (Some(n), _) => format!(
                "{} is passed in the environment of {base} with a value computed at run time (or holding `$`); make expands every environment variable again, and `$(shell …)` in the value would run",
                clip(&n)
            ),
            (None, Some(n)) => format!(
                "{} is given a value not known to be free of `$` earlier in the command; if it is in the environment (exported, or inherited), {base} expands it again and `$(shell …)` in it would run",
                clip(&n)
            ),
            (None, None) => return,
        };
        self.unmodelled(DecisionCode::DangerousEnvironment, why, argv[0].span, argv);
    }
}

/// Options of JavaScript runtimes that load an environment file into the
/// program's environment before it starts (`node --env-file=F`,
/// `--env-file-if-exists=F`, `bun --env-file F`).
const ENV_FILE_OPTIONS: &[&str] = &["--env-file", "--env-file-if-exists"];

/// The environment-file words of a runtime's argv: the value of each
/// `--env-file[-if-exists]` (`=VALUE` or the next word).
fn env_file_values(argv: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let a = &argv[i];
        if a.lit() == Some("--") {
            break;
        }
        let text = a.lit().unwrap_or(a.text.as_str());
        for o in ENV_FILE_OPTIONS {
            if text == *o {
                if let Some(v) = argv.get(i + 1) {
                    out.push(v.clone());
                }
                i += 1;
            } else if let Some(v) = text.strip_prefix(&format!("{o}=")) {
                let mut v = match a.lit() {
                    Some(_) => Arg::literal(v, a.span),
                    None => a.clone(),
                };
                v.home = false;
                out.push(v);
            }
        }
        i += 1;
    }
    out
}

/// The names a dotenv file sets: the leading name of every line (after
/// `export `), a superset of what a dotenv parser takes, since a line inside
/// a quoted multi-line value is read as a name too.
fn env_file_names(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l
                .strip_prefix("export")
                .filter(|r| r.starts_with([' ', '\t']))
                .map_or(l, str::trim_start);
            let end = l
                .find(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)))
                .unwrap_or(l.len());
            (end > 0).then(|| &l[..end])
        })
        .collect()
}

impl Analyzer<'_> {
    /// A runtime that loads an environment file (`node --env-file=.env`,
    /// `bun --env-file .env`, bun's own `.env`, `.env.local`, …) gets every
    /// variable it sets: the file is read
    /// as the runtime reads it, and a name that loads code or changes what
    /// runs (`NODE_OPTIONS`, `LD_PRELOAD`, `BASH_ENV`, `PYTHONSTARTUP`, …)
    /// asks as the same assignment on the command line would. A file the
    /// command writes earlier, or one that cannot be read, is not modelled.
    pub(crate) fn check_env_files(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        if !matches!(canon.as_str(), "node" | "nodejs" | "bun") {
            return;
        }
        let mut files = env_file_values(argv);
        // bun also loads its default files where it runs.
        if canon == "bun" && !argv.iter().any(|a| a.is("--no-env-file")) {
            for name in super::tool_inputs::BUN_ENV_FILES {
                files.push(Arg::literal(name, argv[0].span));
            }
        }
        for f in files {
            let via = format!("{base} --env-file");
            self.check_file(&f, FileOperation::Read, argv, &via);
            let not_seen = |why: &str| {
                format!(
                    "{base} loads the environment file {} into the program's environment, and {why}: the variables it sets are not known",
                    clip(&f.shown())
                )
            };
            let host = match f.lit() {
                None => Err(not_seen("its name is computed at run time")),
                Some(v) if v == "-" || v.starts_with("/dev/") || v.starts_with("/proc/") => {
                    Err(not_seen("it is a device or a descriptor"))
                }
                Some(_) if self.was_written(&f).is_some() => {
                    Err(not_seen("it is written earlier in the same command"))
                }
                Some(v) => self
                    .resolve(v, false)
                    .and_then(|r| self.fs.host_path_of(&r))
                    .ok_or_else(|| not_seen("it cannot be located")),
            };
            let text = match host.map(std::fs::read_to_string) {
                Ok(Ok(t)) => t,
                // Missing: node stops (`--env-file`) or loads nothing.
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Ok(Err(_)) => {
                    let m = not_seen("it cannot be read");
                    self.unmodelled(DecisionCode::UnmodelledOperand, m, f.span, argv);
                    continue;
                }
                Err(m) => {
                    self.unmodelled(DecisionCode::UnmodelledOperand, m, f.span, argv);
                    continue;
                }
            };
            for name in env_file_names(&text) {
                if let Some(why) = risk(name) {
                    self.finding(
                        Verdict::Ask,
                        DecisionCode::DangerousEnvironment,
                        format!(
                            "{base} loads the environment file {}, which sets {}: setting it {why}",
                            clip(&f.shown()),
                            clip(name)
                        ),
                        f.span,
                        argv,
                        None,
                    );
                }
            }
        }
    }
}

/// Whether a declaration builtin's options export its operands
/// (`export`, `declare -x`, `typeset -gx`, `local -x`).
pub(crate) fn declaration_exports(argv: &[Arg]) -> bool {
    if argv.first().and_then(|a| a.lit()) == Some("export") {
        return true;
    }
    argv.iter().skip(1).any(|a| match a.lit() {
        Some(w) => w.starts_with('-') && !w.contains('=') && w.contains('x'),
        None => !a.text.contains('='),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harmless_and_risky() {
        for ok in [
            "CI",
            "NODE_ENV",
            "RUST_LOG",
            "DEBUG",
            "TS",
            "URL",
            "X",
            "LANG",
            "TERM",
            "RUST_BACKTRACE",
            "FORCE_COLOR",
        ] {
            assert_eq!(risk(ok), None, "{ok}");
        }
        for bad in [
            "PATH",
            "LD_PRELOAD",
            "DYLD_INSERT_LIBRARIES",
            "BASH_ENV",
            "ENV",
            "PROMPT_COMMAND",
            "GIT_PAGER",
            "GIT_SSH_COMMAND",
            "PAGER",
            "EDITOR",
            "NODE_OPTIONS",
            "PYTHONPATH",
            "PERL5OPT",
            "npm_config_script_shell",
            "FZF_DEFAULT_COMMAND",
            "RSYNC_RSH",
        ] {
            assert!(risk(bad).is_some(), "{bad}");
        }
        for ok in [
            "LANG", "LC_ALL", "TZ", "NO_COLOR", "CI", "RUST_LOG", "NODE_ENV",
        ] {
            assert!(inert(ok), "{ok}");
        }
        for bad in [
            "LUA_INIT",
            "VIMINIT",
            "LESS",
            "GOFLAGS",
            "TMPDIR",
            "JAVA_HOME",
            "LC_",
            "X",
        ] {
            assert!(!inert(bad), "{bad}");
        }
        assert!(stores_code("a[$(rm -rf ~)]"));
        assert!(!stores_code("plain"));
    }
}
