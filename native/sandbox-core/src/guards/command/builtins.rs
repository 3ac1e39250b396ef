//! Every bash builtin (the list `help` prints in bash 5.2) and the rule the
//! analysis applies to it. A builtin that runs code, reads or writes files,
//! or changes what later commands do is either modelled (its options are
//! judged) or, for the options that do so, not modelled: `ask`, or `deny`
//! in whitelist mode. In whitelist mode a builtin runs only when an allowed
//! command rule names it, like any program (docs/commands.md, Builtins).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::wrappers::scan_options;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation;

/// How the analysis treats a builtin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Prints, tests or controls the flow of the script; runs no code and
    /// touches no file.
    Inert,
    /// Judged by the shell-state model (`shell.rs`): variables, options,
    /// aliases, working directory, arithmetic.
    ShellState,
    /// Runs another command or a script: unwrapped and judged as that
    /// command (`wrappers.rs`).
    Wrapper,
    /// Judged as a program by the rules and dangers tables (`kill`).
    Program,
    /// Options checked here: those that run code or touch files are not
    /// modelled.
    Options,
}

/// Every bash builtin with its rule.
pub(crate) const BUILTINS: &[(&str, Rule)] = &[
    (":", Rule::Inert),
    (".", Rule::Wrapper),
    ("[", Rule::Inert),
    ("alias", Rule::ShellState),
    ("bg", Rule::Inert),
    ("bind", Rule::Options),
    ("break", Rule::Inert),
    ("builtin", Rule::Wrapper),
    ("caller", Rule::Inert),
    ("cd", Rule::ShellState),
    ("command", Rule::Wrapper),
    ("compgen", Rule::Options),
    ("complete", Rule::Options),
    ("compopt", Rule::Inert),
    ("continue", Rule::Inert),
    ("declare", Rule::ShellState),
    ("dirs", Rule::Inert),
    ("disown", Rule::Inert),
    ("echo", Rule::Inert),
    ("enable", Rule::ShellState),
    ("eval", Rule::Wrapper),
    ("exec", Rule::Wrapper),
    ("exit", Rule::Inert),
    ("export", Rule::ShellState),
    ("false", Rule::Inert),
    ("fc", Rule::ShellState),
    ("fg", Rule::Inert),
    ("getopts", Rule::ShellState),
    ("hash", Rule::Options),
    ("help", Rule::Inert),
    ("history", Rule::Options),
    ("jobs", Rule::Wrapper),
    ("kill", Rule::Program),
    ("let", Rule::ShellState),
    ("local", Rule::ShellState),
    ("logout", Rule::Inert),
    ("mapfile", Rule::ShellState),
    ("popd", Rule::ShellState),
    ("printf", Rule::ShellState),
    ("pushd", Rule::ShellState),
    ("pwd", Rule::Inert),
    ("read", Rule::ShellState),
    ("readarray", Rule::ShellState),
    ("readonly", Rule::ShellState),
    ("return", Rule::Inert),
    ("set", Rule::ShellState),
    ("shift", Rule::Inert),
    ("shopt", Rule::ShellState),
    ("source", Rule::Wrapper),
    ("suspend", Rule::Inert),
    ("test", Rule::Inert),
    ("times", Rule::Inert),
    ("trap", Rule::Wrapper),
    ("true", Rule::Inert),
    ("type", Rule::Inert),
    ("typeset", Rule::ShellState),
    ("ulimit", Rule::Inert),
    ("umask", Rule::Inert),
    ("unalias", Rule::ShellState),
    ("unset", Rule::ShellState),
    ("wait", Rule::ShellState),
];

/// The POSIX special builtins: a shell in POSIX mode (`sh`, `set -o
/// posix`, `POSIXLY_CORRECT`) finds them before a function of the same name
/// (bash refuses to define one there), bash otherwise after it.
pub(crate) const SPECIAL: &[&str] = &[
    "break", ":", ".", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "times", "trap", "unset",
];

/// The rule of a builtin, `None` for a name that is not one.
pub(crate) fn rule(name: &str) -> Option<Rule> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

/// The builtins whitelist mode allows without a rule (docs/commands.md,
/// "Whitelist mode: builtins without a rule"): each prints, tests or moves
/// the working directory, and runs no code and touches no file itself (its
/// redirections are judged as files; `cd` moves the modelled directory, so
/// what runs after it is judged there). Every other builtin needs a rule,
/// or is judged as the command it runs (`command`, `builtin`, `exec`,
/// `eval`).
pub(crate) const WHITELIST_FREE: &[&str] = &[
    ":", "true", "false", "echo", "printf", "test", "[", "pwd", "cd", "break", "continue",
    "return", "exit",
];

/// Whether `argv` is a builtin of [`WHITELIST_FREE`] used in its harmless
/// form: `printf -v NAME` assigns a variable and needs a rule, and so does a
/// computed first word of `printf` (it may be `-v`).
pub(crate) fn free_in_whitelist(argv: &[Arg]) -> bool {
    let Some(name) = argv.first().and_then(|a| a.lit()) else {
        return false;
    };
    if !WHITELIST_FREE.contains(&name) {
        return false;
    }
    name != "printf"
        || argv
            .get(1)
            .is_some_and(|a| a.lit().is_some_and(|v| !v.starts_with("-v")))
}

/// Whether the command word is a builtin that starts no program (its
/// prefix assignments stay in the shell: `IFS= read -r line`).
pub(crate) fn runs_no_program(word: &Arg) -> bool {
    word.lit()
        .and_then(rule)
        .is_some_and(|r| matches!(r, Rule::Inert | Rule::ShellState))
}

/// Text a builtin expands again when it runs (`compgen -W`): anything that
/// could hold an expansion is not modelled.
fn expands(v: &str) -> bool {
    v.contains(['$', '`'])
}

/// The file tests of `test`, `[` and `[[` that stat(2) their operand:
/// they tell whether a file exists, its type, size, owner, mode and times.
pub(crate) const FILE_TESTS: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-u", "-w", "-x", "-G",
    "-L", "-N", "-O", "-S",
];

/// The binary tests of `test`, `[` and `[[` that stat(2) both operands.
pub(crate) const FILE_COMPARISONS: &[&str] = &["-nt", "-ot", "-ef"];

impl Analyzer<'_> {
    /// `test`/`[`/`[[` file tests read a file's metadata, as `stat` does:
    /// each operand of a file test is judged as a read of that file. An
    /// operator word is taken as one wherever it stands (a string that
    /// happens to name a refused file is then refused too, never allowed).
    /// An operand computed at run time is judged too (a read of a file the
    /// analysis does not know), and so are the neighbours of an operator
    /// computed at run time (`[ $op FILE ]` is a file test when `$op` is
    /// `-e`; `[ A $op B ]` compares times when it is `-nt`). `-a` is the
    /// unary test only where an expression starts (first, after `!`, `(`
    /// or a computed word); elsewhere it is the binary "and" and its
    /// computed right-hand side is a string.
    pub(crate) fn check_file_tests(&mut self, argv: &[Arg], first: usize) {
        let mut files: Vec<&Arg> = Vec::new();
        let end = |a: &Arg| a.is("]") || a.is("]]");
        for (i, a) in argv.iter().enumerate().skip(first) {
            let Some(op) = a.lit() else {
                // A computed word may be an operator: the words beside it
                // may be its file operands.
                if i > first {
                    files.push(&argv[i - 1]);
                }
                files.extend(argv.get(i + 1).filter(|n| !end(n)));
                continue;
            };
            if FILE_TESTS.contains(&op) {
                let starts = i == first || argv[i - 1].lit().is_none_or(|p| matches!(p, "!" | "("));
                files.extend(
                    argv.get(i + 1)
                        .filter(|n| n.lit().is_some() || op != "-a" || starts),
                );
            } else if FILE_COMPARISONS.contains(&op) {
                if i > first {
                    files.push(&argv[i - 1]);
                }
                files.extend(argv.get(i + 1));
            }
        }
        for f in files {
            if f.lit().is_none_or(|v| v != "]") {
                self.check_file(f, FileOperation::Read, argv, "file test");
            }
        }
    }

    /// What `compgen` or `complete` reads to make completions, judged as
    /// the reads they are; `Some(why)` when it is not modelled. Only the
    /// actions that list the shell's own state (variables, functions,
    /// builtins, …) and literal word lists are; every action or `-o` option
    /// that lists directories (files, directories, commands on `PATH`, a
    /// glob, readline's default completion) or reads a file a variable
    /// names (`hostname` reads `$HOSTFILE`) is not.
    fn completion_reads(&mut self, argv: &[Arg], base: &str) -> Option<String> {
        let with_arg = ["-A", "-C", "-F", "-G", "-P", "-S", "-W", "-X", "-o", "-V"];
        let scan = scan_options(argv, 1, &with_arg);
        for (o, idx, inline) in &scan.opts {
            let value: Option<String> = match (idx, inline) {
                (Some(i), _) => argv.get(*i).and_then(|a| a.lit().map(str::to_string)),
                (None, Some(v)) => Some(v.clone()),
                _ => None,
            };
            // Single-letter actions are `-A` actions under another name.
            let action = match o.as_str() {
                "-A" => value.clone(),
                "-a" => Some("alias".into()),
                "-b" => Some("builtin".into()),
                "-c" => Some("command".into()),
                "-d" => Some("directory".into()),
                "-e" => Some("export".into()),
                "-f" => Some("file".into()),
                "-g" => Some("group".into()),
                "-j" => Some("job".into()),
                "-k" => Some("keyword".into()),
                "-s" => Some("service".into()),
                "-u" => Some("user".into()),
                "-v" => Some("variable".into()),
                _ => None,
            };
            match o.as_str() {
                "-A" | "-a" | "-b" | "-c" | "-d" | "-e" | "-f" | "-g" | "-j" | "-k" | "-s"
                | "-u" | "-v" => {
                    let Some(action) = action else {
                        return Some(format!("{base} -A with an action computed at run time"));
                    };
                    if let Some(why) = self.completion_action(&action, argv, base) {
                        return Some(why);
                    }
                }
                "-o" => match value.as_deref() {
                    Some("nospace" | "noquote" | "nosort" | "fullquote") => {}
                    Some(
                        v @ ("default" | "bashdefault" | "dirnames" | "plusdirs" | "filenames"),
                    ) => {
                        return Some(format!("{base} -o {v} completes file names: it lists directories (which ones is not modelled)"));
                    }
                    _ => return Some(format!("{base} -o: an option the analysis does not know")),
                },
                "-C" | "-F" => {
                    return Some(format!("{base} {o} names a command or function the shell runs to generate completions"));
                }
                "-G" => {
                    return Some(format!("{base} -G lists directories to match its glob (which ones is not modelled)"));
                }
                "-W" | "-P" | "-S" | "-X" => {
                    if value.as_deref().is_none_or(expands) {
                        return Some(format!("{base} {o} expands its word list again when it runs (command substitutions in it run)"));
                    }
                }
                // compgen -V stores the completions in an array; complete's
                // -p, -r, -D, -E, -I print, remove or pick compspecs.
                "-V" | "-p" | "-r" | "-D" | "-E" | "-I" => {}
                other => {
                    return Some(format!(
                        "{base} {other}: an option the analysis does not know"
                    ));
                }
            }
        }
        if argv[1..].iter().any(|a| a.lit().is_none()) {
            return Some(format!("{base} with options computed at run time"));
        }
        None
    }

    /// One completion action: `None` when it lists only the shell's own
    /// state or reads files the filesystem policy lets it read.
    fn completion_action(&mut self, action: &str, argv: &[Arg], base: &str) -> Option<String> {
        match action {
            "alias" | "arrayvar" | "binding" | "builtin" | "disabled" | "enabled" | "export"
            | "function" | "helptopic" | "job" | "keyword" | "running" | "setopt" | "shopt"
            | "signal" | "stopped" | "variable" => None,
            // The account databases, read as any program reads them.
            "user" | "group" | "service" => {
                let file = match action {
                    "user" => "/etc/passwd",
                    "group" => "/etc/group",
                    _ => "/etc/services",
                };
                let f = Arg::literal(file, argv[0].span);
                self.check_file(&f, FileOperation::Read, argv, &format!("{base} -A {action}"));
                None
            }
            "file" | "directory" => Some(format!(
                "{base} -A {action} lists directories to complete file names (which ones is not modelled)"
            )),
            // The directories of the inherited PATH are the ones programs
            // are looked up in; a PATH the command sets may name any.
            "command" if self.input.contains("PATH") => Some(format!(
                "{base} -A command lists every directory on PATH, which the command changes"
            )),
            "command" => None,
            "hostname" => Some(format!(
                "{base} -A hostname reads the file HOSTFILE names (or /etc/hosts); which file that is is not modelled"
            )),
            other => Some(format!("{base} -A {other}: an action the analysis does not know")),
        }
    }

    /// The options of the builtins whose rule is [`Rule::Options`].
    pub(crate) fn check_builtin_options(&mut self, argv: &[Arg], base: &str) {
        if rule(base) != Some(Rule::Options) {
            return;
        }
        let span = super::dangers::command_span(argv);
        let why: Option<String> = match base {
            "compgen" | "complete" => {
                // What completion reads is judged as a read; what is not
                // modelled says so.
                if let Some(why) = self.completion_reads(argv, base) {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{}: {why}", clip(base)),
                        span,
                        argv,
                    );
                }
                None
            }
            "bind" => {
                let harmless = argv[1..].iter().all(|a| {
                    matches!(
                        a.lit(),
                        Some("-l" | "-p" | "-P" | "-v" | "-V" | "-s" | "-S")
                    )
                });
                (!harmless).then(|| {
                    "bind changes key bindings (bind -x runs shell commands, -f reads a file)"
                        .to_string()
                })
            }
            "history" => {
                let harmless = argv[1..].iter().all(|a| {
                    a.lit()
                        .is_some_and(|v| v == "-p" || v.chars().all(|c| c.is_ascii_digit()))
                });
                (!harmless).then(|| {
                    "history changes the command history or reads and writes history files (-a, -w, -r, -n FILE)".to_string()
                })
            }
            "hash" => {
                let harmless = argv[1..].iter().all(|a| {
                    a.lit().is_some_and(|v| {
                        matches!(v, "-r" | "-l" | "-t" | "-d") || !v.starts_with('-')
                    })
                });
                (!harmless).then(|| "hash -p makes a command name run another file".to_string())
            }
            _ => None,
        };
        if let Some(why) = why {
            self.unmodelled(
                DecisionCode::ShellStateChange,
                format!("{}: {why}", clip(base)),
                span,
                argv,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names `help` lists in bash 5.2 (keywords such as `if`, `[[`,
    /// `time` and `function` are parsed, not run).
    const BASH_HELP: &str = ": . [ alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown echo enable eval exec exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait";

    #[test]
    fn every_builtin_has_a_rule() {
        for name in BASH_HELP.split(' ') {
            assert!(rule(name).is_some(), "{name}");
        }
        assert_eq!(BUILTINS.len(), BASH_HELP.split(' ').count());
        assert_eq!(rule("ls"), None);
    }
}
