//! Environment assignments in front of a command, to `env`, `export` and
//! friends (docs/policy.md, Commands 9). Harmless names (`CI`, `NODE_ENV`,
//! `RUST_LOG`, `DEBUG`, …) are fine; names that change which program runs,
//! what code it loads or which commands it starts make the command at least
//! `ask`.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::Span;
use crate::decision::DecisionCode;

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
