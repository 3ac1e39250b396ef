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

    /// The options of the builtins whose rule is [`Rule::Options`].
    pub(crate) fn check_builtin_options(&mut self, argv: &[Arg], base: &str) {
        if rule(base) != Some(Rule::Options) {
            return;
        }
        let span = super::dangers::command_span(argv);
        let why: Option<String> = match base {
            "compgen" | "complete" => {
                let with_arg = ["-A", "-C", "-F", "-G", "-P", "-S", "-W", "-X", "-o"];
                let scan = scan_options(argv, 1, &with_arg);
                let mut why = None;
                for (o, idx, inline) in &scan.opts {
                    let value = idx
                        .and_then(|i| argv.get(i))
                        .map(|a| a.lit().map(str::to_string).unwrap_or_else(|| "$".into()))
                        .or_else(|| inline.clone());
                    match o.as_str() {
                        "-C" | "-F" => {
                            why = Some(format!("{base} {o} names a command or function the shell runs to generate completions"));
                        }
                        // Completing file names lists directories (`compgen -f
                        // ~/.ssh/` prints the names in `~/.ssh`), `-G` globs.
                        "-f" | "-d" | "-G" if base == "compgen" => {
                            why = Some(format!("{base} {o} lists directories to complete file names (which ones is not modelled)"));
                        }
                        "-A" if base == "compgen"
                            && matches!(value.as_deref(), Some("file" | "directory") | None) =>
                        {
                            why = Some(format!("{base} -A file/directory lists directories to complete file names (which ones is not modelled)"));
                        }
                        "-W" | "-P" | "-S" | "-X" | "-G"
                            if value.as_deref().is_none_or(expands) =>
                        {
                            why = Some(format!("{base} {o} expands its word list again when it runs (command substitutions in it run)"));
                        }
                        _ => {}
                    }
                }
                if argv[1..].iter().any(|a| a.lit().is_none()) && why.is_none() {
                    why = Some(format!("{base} with options computed at run time"));
                }
                why
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
