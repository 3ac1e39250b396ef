//! Interactive interpreters read and append to a history file in the home
//! (`~/.python_history`, `~/.node_repl_history`), which this project counts
//! among the credential stores: what was typed there, tokens included. A
//! check cannot know whether the command's standard input will be a
//! terminal, so an interpreter that starts its interactive mode when it is
//! one (`python3`, `node` with no script) may touch those files, and one
//! told to (`python3 -i`, `node -i`) does: each file is judged as a read
//! and a write by the filesystem guard, refused where the guard refuses it
//! (docs/commands.md, "Interactive interpreters").

use super::normalize::Arg;
use super::walk::{Analyzer, Stdin};
use super::Span;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};

/// Whether an interpreter's interactive mode starts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Starts {
    /// It does not (a script, inline code, `--version`).
    No,
    /// When its standard input is a terminal.
    OnTerminal,
    /// Perhaps, whatever its input: a word computed at run time may be
    /// the option that starts it.
    Maybe,
    /// Whatever its input (`-i`, `deno repl`).
    Surely,
}

/// Python's options with a value: `-c` and `-m` end the options (the rest
/// is the program's), `-W` and `-X` take the rest of the word or the next.
fn python_starts(argv: &[Arg]) -> Starts {
    let mut inspect = false;
    let mut program = false;
    let mut info = false;
    let mut i = 1;
    'words: while i < argv.len() {
        // A process substitution is the script.
        if argv[i].procsub {
            program = true;
            break;
        }
        let Some(v) = argv[i].lit() else {
            // A computed word may be `-i`.
            return Starts::Maybe;
        };
        i += 1;
        if v == "--" {
            // The next word is the script (`-` reads standard input).
            program = argv.get(i).is_some_and(|a| !a.is("-"));
            break;
        }
        if v == "-" || !v.starts_with('-') {
            program = v != "-";
            break;
        }
        if let Some(long) = v.strip_prefix("--") {
            match long.split('=').next().unwrap_or(long) {
                "check-hash-based-pycs" if !long.contains('=') => i += 1,
                n if n.starts_with("help") || n == "version" => info = true,
                _ => {}
            }
            continue;
        }
        for (k, c) in v[1..].char_indices() {
            match c {
                'i' => inspect = true,
                'h' | '?' | 'V' => info = true,
                'c' | 'm' => {
                    program = true;
                    break 'words;
                }
                'W' | 'X' => {
                    if k + 1 == v.len() - 1 {
                        i += 1;
                    }
                    continue 'words;
                }
                _ => {}
            }
        }
    }
    if inspect {
        Starts::Surely
    } else if program || info {
        Starts::No
    } else {
        Starts::OnTerminal
    }
}

/// Node's options with a value in the next word (when not given with `=`).
const NODE_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "-C",
    "--conditions",
    "--loader",
    "--experimental-loader",
    "--input-type",
    "--title",
    "--env-file",
    "--env-file-if-exists",
    "--stack-size",
    "--max-old-space-size",
    "--test-name-pattern",
    "--test-reporter",
    "--test-reporter-destination",
    "--redirect-warnings",
    "--inspect-port",
    "--watch-path",
    "--disable-warning",
];

fn node_starts(argv: &[Arg]) -> Starts {
    let mut interactive = false;
    let mut program = false;
    let mut info = false;
    let mut i = 1;
    while i < argv.len() {
        if argv[i].procsub {
            program = true;
            break;
        }
        let Some(v) = argv[i].lit() else {
            return Starts::Maybe;
        };
        i += 1;
        if v == "--" {
            program = argv.len() > i;
            break;
        }
        if v == "-" || !v.starts_with('-') {
            // `-` is a script read from standard input, not the REPL.
            program = true;
            break;
        }
        let name = v.split('=').next().unwrap_or(v);
        match name {
            "-i" | "--interactive" => interactive = true,
            "-e" | "--eval" | "-p" | "--print" => {
                program = true;
                if !v.contains('=') {
                    i += 1;
                }
            }
            "-h" | "--help" | "-v" | "--version" | "--v8-options" | "--test" | "--run"
            | "--completion-bash" => info = true,
            n if NODE_VALUE_OPTIONS.contains(&n) && !v.contains('=') => i += 1,
            _ => {}
        }
    }
    if interactive {
        Starts::Surely
    } else if program || info {
        Starts::No
    } else {
        Starts::OnTerminal
    }
}

/// `deno` with no subcommand, or `deno repl`, is the REPL (whatever its
/// input); `deno --version`, `deno -h` only print.
fn deno_starts(argv: &[Arg]) -> Starts {
    for a in argv.iter().skip(1) {
        let Some(v) = a.lit() else {
            return Starts::Maybe;
        };
        if matches!(v, "-h" | "--help" | "-V" | "--version") {
            return Starts::No;
        }
        if !v.starts_with('-') {
            return if v == "repl" {
                Starts::Surely
            } else {
                Starts::No
            };
        }
    }
    Starts::Surely
}

/// Whether standard input may be a terminal: inherited from the caller, or
/// a file that may be one (`/dev/tty`, a computed name).
fn stdin_may_be_terminal(stdin: &Stdin) -> bool {
    match stdin {
        Stdin::Inherited => true,
        Stdin::Pipe { .. } | Stdin::Text { .. } => false,
        Stdin::File(a) => a
            .as_ref()
            .and_then(|a| a.lit())
            .is_none_or(|p| p.starts_with("/dev/") || p.starts_with("/proc/")),
    }
}

impl Analyzer<'_> {
    /// The history files an interactive interpreter would read and append
    /// to, each judged as a read and a write: refused where the filesystem
    /// policy refuses either. A history the command itself turns off
    /// (`NODE_REPL_HISTORY=` empty) is not touched.
    pub(crate) fn check_repl_files(&mut self, argv: &[Arg], base: &str, span: Span, stdin: &Stdin) {
        let canon = super::programs::canonical(base);
        let (starts, files): (Starts, Vec<String>) = match canon.as_str() {
            "python" | "python2" | "python3" | "pypy" | "pypy3" => {
                (python_starts(argv), vec!["~/.python_history".into()])
            }
            "node" | "nodejs" => {
                // NODE_REPL_HISTORY: empty turns the history off; another
                // value is the file.
                let files = match self.env_value("NODE_REPL_HISTORY") {
                    Some(Some(v)) if v.is_empty() => vec![],
                    Some(Some(v)) => vec![v],
                    Some(None) => {
                        self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            format!("{base}: NODE_REPL_HISTORY is computed at run time: the REPL's history file is not known"),
                            super::judge::span_of(argv, span),
                            argv,
                        );
                        vec![]
                    }
                    None => vec!["~/.node_repl_history".into()],
                };
                (node_starts(argv), files)
            }
            "deno" => (
                deno_starts(argv),
                vec!["~/.cache/deno/deno_history.txt".into()],
            ),
            // `bun repl` fetches and runs the package that is its REPL.
            "bun" if argv.get(1).is_some_and(|a| a.is("repl")) => {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    "bun repl runs a REPL package fetched from the registry, which keeps a history file; not modelled".to_string(),
                    super::judge::span_of(argv, span),
                    argv,
                );
                return;
            }
            _ => return,
        };
        let starts = match starts {
            Starts::OnTerminal if !stdin_may_be_terminal(stdin) => Starts::No,
            s => s,
        };
        if starts == Starts::No {
            return;
        }
        let verdict = if starts == Starts::Surely {
            Verdict::Deny
        } else {
            Verdict::Ask
        };
        let when = match starts {
            Starts::Surely => "its interactive mode",
            Starts::Maybe => "its interactive mode if a word computed at run time asks for it",
            _ => "its interactive mode when its input is a terminal, which the check cannot know",
        };
        for file in &files {
            for op in [FileOperation::Read, FileOperation::Write] {
                let d = self.fs.check(&FileRequest::new(file, op));
                if d.is_allowed() {
                    continue;
                }
                self.finding(
                    verdict,
                    DecisionCode::FileAccessDenied,
                    format!(
                        "{base} starts {when}, which reads and appends to the history file {file}; the filesystem policy refuses that ({}: {})",
                        d.code, d.reason
                    ),
                    super::judge::span_of(argv, span),
                    argv,
                    d.rule.clone(),
                );
                return;
            }
        }
    }

    /// The value a variable is given in the environment of the command
    /// being judged (its prefix assignments, `env NAME=…`): `None` when it
    /// is not assigned there, `Some(None)` when its value is computed.
    fn env_value(&self, name: &str) -> Option<Option<String>> {
        self.env_assigns
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &str) -> Vec<Arg> {
        cmd.split(' ')
            .map(|w| {
                if w.starts_with('$') {
                    Arg::dynamic(w, [0, 0])
                } else {
                    Arg::literal(w, [0, 0])
                }
            })
            .collect()
    }

    #[test]
    fn when_interpreters_start_their_interactive_mode() {
        for (cmd, want) in [
            ("python3", Starts::OnTerminal),
            ("python3 -q", Starts::OnTerminal),
            ("python3 -", Starts::OnTerminal),
            ("python3 -W ignore", Starts::OnTerminal),
            ("python3 -Wignore -X dev", Starts::OnTerminal),
            ("python3 -i", Starts::Surely),
            ("python3 -qi script.py", Starts::Surely),
            ("python3 -i -m pytest", Starts::Surely),
            ("python3 script.py", Starts::No),
            ("python3 -m pytest", Starts::No),
            ("python3 -c pass", Starts::No),
            ("python3 -W i script.py", Starts::No),
            ("python3 -- script.py", Starts::No),
            ("python3 --version", Starts::No),
            ("python3 -V", Starts::No),
            ("node", Starts::OnTerminal),
            ("node --no-warnings", Starts::OnTerminal),
            ("node -r ./x.js", Starts::OnTerminal),
            ("node -i", Starts::Surely),
            ("node --interactive app.js", Starts::Surely),
            ("node app.js", Starts::No),
            ("node -", Starts::No),
            ("node -e 1", Starts::No),
            ("node -r ./x.js app.js", Starts::No),
            ("node --version", Starts::No),
            ("deno", Starts::Surely),
            ("deno repl", Starts::Surely),
            ("deno -q", Starts::Surely),
            ("deno run x.ts", Starts::No),
            ("deno --version", Starts::No),
            ("python3 $X", Starts::Maybe),
            ("node $X", Starts::Maybe),
        ] {
            let argv = words(cmd);
            let got = match argv[0].lit().unwrap() {
                "python3" => python_starts(&argv),
                "node" => node_starts(&argv),
                _ => deno_starts(&argv),
            };
            assert_eq!(got, want, "{cmd}");
        }
    }
}
