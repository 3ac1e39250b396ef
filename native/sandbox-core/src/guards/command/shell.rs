//! The shell-language model behind the fail-closed principle: an `allow`
//! needs a complete model of what bash will do. Where the model is
//! incomplete the answer is `ask` (deny in whitelist mode) with a code that
//! names what could not be modelled (see `docs/commands.md`, "Shell
//! features").
//!
//! Modelled here: builtins that change shell state (`alias`, `shopt`,
//! `set`, `enable`, `fc`, declarations, `read`/`mapfile`/`printf -v`/
//! `getopts`/`unset` name operands and their subscripts), arithmetic
//! evaluation of values the command does not know, scripts a shell reads
//! from a descriptor, and the working directory commands run in.

use super::env;
use super::normalize::{clip, Arg};
use super::walk::{Analyzer, Cwd, Redir, Stdin, Target};
use super::wrappers::{scan_options, SHELLS, SHELL_WITH_ARG};
use super::Span;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};
use crate::policy::CommandMode;

/// `shopt` options that do not change what a command means to the
/// analysis (globs stay below their literal directory; matching is all).
/// Not `nullglob`: a glob that matches nothing would vanish and shift the
/// words after it. Not `dotglob`: globs would match `.git` and other dot
/// names, also in loop and function bodies judged before the `shopt`.
const SAFE_SHOPT: &[&str] = &[
    "failglob",
    "globstar",
    "nocaseglob",
    "nocasematch",
    "inherit_errexit",
    "checkwinsize",
    "histappend",
    "cmdhist",
    "lithist",
    "globasciiranges",
    "progcomp",
    "promptvars",
];

/// `set -o` names that do not change parsing or expansion.
const SAFE_SET_O: &[&str] = &[
    "errexit",
    "nounset",
    "pipefail",
    "xtrace",
    "verbose",
    "noclobber",
    "errtrace",
    "functrace",
    "noglob",
    "hashall",
    "notify",
    "monitor",
    "noexec",
    "emacs",
    "vi",
    "ignoreeof",
    "nolog",
];

/// `set` flag letters that do not change parsing or expansion (not `k`
/// keyword, `H` history expansion, `t` one command, `o` takes a name; not
/// `a` allexport, which puts every later assignment — `read`, `for`, plain
/// `X=…` — in the environment of the programs run after it, past the
/// environment screening; not `P` physical, which makes `cd dir/..` leave
/// through a link instead of going back where the text says).
const SAFE_SET_LETTERS: &str = "euxvCETfhbmn";

/// Options that are on in every shell the analysis models and that it
/// assumes on: turning them on again changes nothing, turning them off
/// does. With brace expansion off (`set +B`, `bash +B`) bash opens a
/// literal `{a,b}` name where the analysis expands two names.
const ON_SET_O: &[&str] = &["braceexpand"];
/// The letters of [`ON_SET_O`].
const ON_SET_LETTERS: &str = "B";

/// Variables (beyond the environment screening) whose value changes how the
/// shell finds, expands or runs later commands.
const STATE_VARS: &[&str] = &[
    "BASH_CMDS",
    "BASH_ALIASES",
    "BASH_XTRACEFD",
    "BASH_COMPAT",
    "BASH_LOADABLES_PATH",
    "BASH_ARGV0",
    "POSIXLY_CORRECT",
    "OLDPWD",
    "PWD",
    "TEXTDOMAIN",
    "TEXTDOMAINDIR",
    "FUNCNEST",
    "HISTFILE",
    "INPUTRC",
];

/// Builtins and programs that neither read nor write files relative to the
/// working directory (no operands that are paths).
const NO_FILES: &[&str] = &[
    "echo", "printf", "true", "false", ":", "exit", "return", "set", "shopt", "export", "declare",
    "typeset", "local", "readonly", "unset", "test", "[", "let", "read", "cd", "pushd", "popd",
    "dirs", "pwd", "type", "wait", "shift", "break", "continue", "trap", "sleep", "date", "whoami",
    "id", "uname", "hostname", "getopts", "alias", "unalias", "hash", "jobs",
];

/// A function defined in the command, as the analysis saw its definition.
#[derive(Debug, Clone)]
pub(crate) struct FnDef {
    pub name: String,
    /// The directory its body was judged under.
    pub cwd: Cwd,
    /// Its body changes the working directory.
    pub changes_cwd: bool,
    /// The wrappers around the script that defined it (a child shell does
    /// not see it).
    pub wrappers: Vec<String>,
}

/// A hard link the command made: see [`ShellState::hard_links`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HardLink {
    pub name: String,
    pub original: String,
    pub tree: bool,
    /// Made by the simple command being judged: its own write of the new
    /// name is the link, not a write of the file.
    pub pending: bool,
}

/// The shell-language state the analysis follows.
#[derive(Debug, Default)]
pub(crate) struct ShellState {
    /// Functions defined for certain at this point (on every path).
    pub functions: Vec<String>,
    /// Every function definition seen (certain or not).
    pub defs: Vec<FnDef>,
    /// Variables given a value the analysis does not know or that holds
    /// expansion syntax; arithmetic on them could run code.
    pub tainted: Vec<String>,
    /// `CDPATH` was set: a relative `cd` may go anywhere.
    pub cdpath: bool,
    /// An unknown-directory finding was already reported.
    pub cwd_reported: bool,
    /// Loop variables bound to the matches of one glob (`for f in src/*.rs`)
    /// whose every use in the input is a quoted `"$f"` or `"${f%suffix}"`:
    /// their values are names the glob matches.
    pub globs: Vec<(String, String)>,
    /// Variables given the integer attribute (`declare -i`, `local -i`,
    /// `typeset -ai`, …) anywhere so far: every write to them is evaluated
    /// as arithmetic, where array subscripts run command substitutions.
    pub integers: Vec<String>,
    /// Variables given an unknown value anywhere so far (never cleared): a
    /// function body or an earlier loop pass may write them again after
    /// they get the integer attribute.
    pub written_unknown: Vec<String>,
    /// Names (resolved, normalized) the command made links with `ln`, or
    /// moved a link to (`mv`, `git mv`); an empty entry for a name not
    /// known at analysis time.
    pub links: Vec<String>,
    /// Hard links the command made (`cp -l`, `cp -al`): a new name, the
    /// name it links (as keys of [`Analyzer::hard_link_key`]), and whether
    /// they stand for the trees below them (`cp -al DIR NEW`). One file
    /// under two names: a write of either is a write of both.
    pub hard_links: Vec<HardLink>,
    /// Names made symbolic links by the simple command being judged
    /// (`cp -s`): [`Self::links`] from the next one on.
    pub pending_links: Vec<String>,
    /// Directories (resolved, normalized; empty when not known) below
    /// which the command may have made links whose targets the analysis
    /// does not know: a git checkout of a tracked link, an extracted
    /// archive, a copied tree that holds links.
    pub link_dirs: Vec<String>,
    /// Names (resolved, normalized) whose backup the command may make of a
    /// link (`mv -b`, `cp --backup`, `ln -sfb`, `install -b`) where the
    /// backup name is not known: `true` when any suffix may follow the
    /// name (`SIMPLE_BACKUP_SUFFIX` from the environment), `false` for the
    /// numbered backups `NAME.~N~` only.
    pub backup_links: Vec<(String, bool)>,
    /// Directory entries read so far to expand globs and find the links
    /// in walked trees: bounded for the whole analysis.
    pub fs_entries: usize,
    /// Variables assigned in the command a value that is arithmetic over
    /// literal numbers and such variables: arithmetic may evaluate them.
    pub numbers: Vec<String>,
    /// Variables arithmetic relied on as known numbers, checked at the end
    /// against every unknown write.
    pub arith_uses: Vec<(String, Span)>,
    /// Arrays declared associative (`declare -A`): their keys are strings.
    pub assoc: Vec<String>,
    /// Git directories not named `.git` the command makes (`git init
    /// --bare X`, `git clone --mirror … X`, `--separate-git-dir X`),
    /// resolved and normalized: git reads configuration and hooks there.
    pub git_dirs: Vec<String>,
    /// Directories the command makes a repository in with `git init`
    /// (resolved, normalized; empty when not known): a tree copied from
    /// there holds a `.git` the analysis did not see.
    pub repos_made: Vec<String>,
    /// Directories the command clones a repository into (resolved,
    /// normalized; empty when not known): their files are not known.
    pub cloned: Vec<String>,
    /// Variables (and array elements, `name[key]`) whose value at this
    /// point is known to hold no pattern character (`*`, `?`, `[`): a
    /// literal without one, or a number, written on every path to here.
    /// Restored like `functions` where a part may not run.
    pub plain: Vec<String>,
    /// Variables written anywhere in the input with a value that may hold
    /// a pattern character (never cleared): a loop pass or a function call
    /// may write it before a use judged plain.
    pub globby: Vec<String>,
    /// Unquoted uses of variables taken for plain, checked at the end
    /// against `globby`.
    pub plain_uses: Vec<(String, Span)>,
}

/// Variables bash itself keeps numeric.
const SHELL_NUMBERS: &[&str] = &[
    "RANDOM",
    "SRANDOM",
    "SECONDS",
    "LINENO",
    "BASHPID",
    "PPID",
    "UID",
    "EUID",
    "EPOCHSECONDS",
    "OPTIND",
];

/// Whether `text` is arithmetic bash evaluates without running anything:
/// literal numbers, operators, and variables in `numbers` (or kept numeric
/// by bash); `$#`, `$?`, `$$`, `$!` and `${#name}`. Everything else —
/// positional parameters in any spelling, special variables (`_`, `REPLY`,
/// `BASH_REMATCH`, …), unknown variables, indirection, quoting — could
/// hold or build an array subscript that runs a command: `Err(why)`.
/// `Ok` lists each variable read and whether it is the target of a plain
/// `=` (which then holds a number).
pub(crate) fn scan_arith(text: &str, numbers: &[String]) -> Result<Vec<(String, bool)>, String> {
    let b = text.as_bytes();
    let mut out: Vec<(String, bool)> = Vec::new();
    let known = |n: &str, out: &[(String, bool)]| {
        numbers.iter().any(|k| k == n)
            || SHELL_NUMBERS.contains(&n)
            || out.iter().any(|(k, assigned)| *assigned && k == n)
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            // 42, 0x2a, 16#2a, 64#@_
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'#' | b'_' | b'@'))
            {
                i += 1;
            }
            continue;
        }
        let name_at = |j: usize| -> usize {
            let mut k = j;
            while k < b.len() && (b[k] == b'_' || b[k].is_ascii_alphanumeric()) {
                k += 1;
            }
            k
        };
        let (name, next) = if c == b'_' || c.is_ascii_alphabetic() {
            let e = name_at(i);
            (&text[i..e], e)
        } else if c == b'$' {
            match b.get(i + 1) {
                Some(b'#' | b'?' | b'$' | b'!') => {
                    i += 2;
                    continue;
                }
                Some(n) if *n == b'_' || n.is_ascii_alphabetic() => {
                    let e = name_at(i + 1);
                    (&text[i + 1..e], e)
                }
                Some(b'{') => {
                    let close = text[i..].find('}').map(|k| i + k);
                    let inner = close.map(|k| &text[i + 2..k]).unwrap_or_default();
                    let length = inner.strip_prefix('#').map(|n| {
                        n.strip_suffix("[@]")
                            .or_else(|| n.strip_suffix("[*]"))
                            .unwrap_or(n)
                    });
                    match (close, length) {
                        (Some(k), Some(n)) if is_name(n) => {
                            i = k + 1;
                            continue;
                        }
                        (Some(k), None) if is_name(inner) => (inner, k + 1),
                        _ => {
                            return Err(format!(
                                "expands {}, whose value is not known (a positional parameter, indirection or operator; array subscripts in it run commands)",
                                clip(&text[i..close.map_or(b.len(), |k| k + 1)])
                            ))
                        }
                    }
                }
                _ => {
                    return Err(
                        "expands a positional parameter, special parameter, quoted text or command output, whose value is not known (array subscripts in it run commands)"
                            .to_string(),
                    )
                }
            }
        } else if c.is_ascii_whitespace() || b"+-*/%<>=!&|^~?:,()[]".contains(&c) {
            i += 1;
            continue;
        } else {
            return Err(format!(
                "holds {:?}, which arithmetic evaluation does not model (quoting or expansion syntax; array subscripts in it run commands)",
                c as char
            ));
        };
        // `x = …` (not `x == …`) stores a number in x.
        let rest = text[next..].trim_start();
        let assigned = rest.starts_with('=') && !rest.starts_with("==");
        if !assigned && !known(name, &out) {
            return Err(format!(
                "evaluates {name}, whose value is not a number the analysis knows (its text is evaluated again; array subscripts in it run commands)"
            ));
        }
        out.push((name.to_string(), assigned));
        i = next;
    }
    Ok(out)
}

/// The variables arithmetic text assigns: a name before any assignment
/// operator (`=`, `+=`, … `<<=`, `|=`), an optional subscript between, or
/// next to `++`/`--`. A lenient scan of the text as written, also inside
/// subscripts, substring offsets and conditionals; it lists more rather
/// than fewer (a name it lists that is not assigned only costs a finding
/// when that name is one the shell acts on).
pub(crate) fn arith_targets(text: &str) -> Vec<String> {
    const OPS: &[&str] = &[
        "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "++", "--",
    ];
    let b = text.as_bytes();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !(c == b'_' || c.is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
            i += 1;
        }
        // Numbers (`0x2a`, `16#ff`) and `$NAME` expansions are no targets.
        if c.is_ascii_digit() || (start > 0 && b[start - 1] == b'$') {
            continue;
        }
        let name = &text[start..i];
        let mut rest = text[i..].trim_start();
        if rest.starts_with('[') {
            // Skip a subscript, nested brackets included.
            let mut depth = 0usize;
            let mut end = rest.len();
            for (k, ch) in rest.char_indices() {
                match ch {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = rest[end..].trim_start();
        }
        let before = text[..start].trim_end();
        let assigned = (rest.starts_with('=') && !rest.starts_with("=="))
            || OPS.iter().any(|op| rest.starts_with(op))
            || before.ends_with("++")
            || before.ends_with("--");
        if assigned && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// A plain variable name.
pub(crate) fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch == '_' || ch.is_ascii_alphabetic())
        && c.all(|ch| ch == '_' || ch.is_ascii_alphanumeric())
}

/// A value that holds no expansion syntax an arithmetic or subscript
/// evaluation could act on.
/// What a write leaves in a variable, for pathname expansion of its
/// unquoted uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plain {
    /// A value without a pattern character.
    Yes,
    /// A number, or the old value when the arithmetic fails.
    Kept,
    /// A value that may hold a pattern character.
    No,
}

/// What an assigned value leaves: a literal without `*`, `?` or `[` is
/// plain; a lone `$((…))` is a number or leaves the old value (a failed
/// expansion aborts the assignment); anything else may hold a pattern.
fn plainness(value: Option<&Arg>) -> Plain {
    let Some(v) = value else {
        return Plain::No;
    };
    match v.lit() {
        Some(t) if !t.contains(['*', '?', '[']) => Plain::Yes,
        Some(_) => Plain::No,
        None => {
            let t = v.text.trim_matches('"');
            if t.starts_with("$((") && t.ends_with("))") && !t[3..t.len() - 2].contains("))") {
                Plain::Kept
            } else {
                Plain::No
            }
        }
    }
}

/// Variables bash writes itself (after commands, `read`, `[[ =~ ]]`,
/// `cd`, `pushd`, …): their value is never taken for plain.
fn implicit_var(name: &str) -> bool {
    matches!(
        name,
        "_" | "REPLY"
            | "MAPFILE"
            | "OPTARG"
            | "OPTIND"
            | "COPROC"
            | "PWD"
            | "OLDPWD"
            | "DIRSTACK"
            | "PIPESTATUS"
            | "FUNCNAME"
            | "GROUPS"
            | "COLUMNS"
            | "LINES"
            | "HISTCMD"
    ) || name.starts_with("BASH_")
        || name.starts_with("READLINE_")
        || name.starts_with("COMP")
}

/// `NAME=…`, `NAME+=…` or `NAME[…]=…` as written.
fn is_assignment_word(text: &str) -> bool {
    let Some((lhs, _)) = text.split_once('=') else {
        return false;
    };
    let lhs = lhs.strip_suffix('+').unwrap_or(lhs);
    let name = match lhs.split_once('[') {
        Some((n, rest)) if rest.ends_with(']') => n,
        Some(_) => return false,
        None => lhs,
    };
    is_name(name)
}

fn inert_value(v: &str) -> bool {
    !v.contains(['$', '`', '[', '\\', '\'', '"'])
}

/// `p` with `.`, `..` and repeated slashes resolved lexically, and
/// `/proc/<pid>/root` (a link to `/`) dropped, so that `/dev/./stdin`,
/// `/dev//stdin` and `/dev/../dev/stdin` are all `/dev/stdin`. `None` for
/// a relative path.
pub(crate) fn lexical_abs(p: &str) -> Option<String> {
    if !p.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
        if parts.len() == 3 && parts[0] == "proc" && parts[2] == "root" {
            parts.clear();
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// A path naming an open descriptor: `Some(n)`. `/dev/stdin`,
/// `/dev/fd/N` and `/proc/<any>/fd/N` alike, after lexical normalization.
pub(crate) fn descriptor_path(p: &str) -> Option<u32> {
    let norm = lexical_abs(p)?;
    let p = norm.as_str();
    let n = match p {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => p.strip_prefix("/dev/fd/").or_else(|| {
            let rest = p.strip_prefix("/proc/")?;
            let (pid, fd) = rest.split_once("/fd/")?;
            (!pid.is_empty() && !pid.contains('/')).then_some(fd)
        })?,
    };
    n.parse().ok()
}

impl Analyzer<'_> {
    /// A finding for what the analysis cannot model: ask, or deny in
    /// whitelist mode (where only a complete model allows).
    pub(crate) fn unmodelled(
        &mut self,
        code: DecisionCode,
        message: String,
        span: Span,
        argv: &[Arg],
    ) {
        let verdict = if self.guard.mode == CommandMode::Whitelist {
            Verdict::Deny
        } else {
            Verdict::Ask
        };
        self.finding(verdict, code, message, span, argv, None);
    }

    /// Whether `name` runs a function defined for certain, seen from a
    /// script inside `wrappers`.
    pub(crate) fn is_function_call(&self, name: &str, wrappers: &[String]) -> bool {
        self.shell.functions.iter().any(|f| f == name)
            && self
                .shell
                .defs
                .iter()
                .rev()
                .find(|d| d.name == name)
                .is_some_and(|d| d.wrappers == wrappers)
    }

    /// A call of a function: its body was judged under the directory of its
    /// definition; a body that changes directory leaves it unknown.
    pub(crate) fn function_called(&mut self, name: &str, argv: &[Arg], span: Span) {
        let Some(def) = self
            .shell
            .defs
            .iter()
            .rev()
            .find(|d| d.name == name)
            .cloned()
        else {
            return;
        };
        if def.cwd != self.cwd {
            self.unmodelled(
                DecisionCode::UnknownWorkingDirectory,
                format!(
                    "function {} runs in another working directory than the one its body was judged in",
                    clip(name)
                ),
                span,
                argv,
            );
        }
        if def.changes_cwd {
            self.cwd = Cwd::Unknown;
        }
    }

    /// Note an assignment's value for arithmetic: unknown or
    /// expansion-bearing values taint the variable.
    pub(crate) fn note_value(&mut self, name: &str, value: Option<&Arg>, span: Span) {
        self.note_var_written(name, value, span);
        self.note_plain(name, None, plainness(value));
    }

    /// An assignment statement `NAME=…`, `NAME[KEY]=…` or `NAME=(…)`
    /// (`prefix`: before a command name): noted as [`Self::note_value`],
    /// with what an element or a whole array holds.
    pub(crate) fn note_assignment(
        &mut self,
        name: &str,
        index: Option<&str>,
        value: Option<&Arg>,
        elements_plain: bool,
        prefix: bool,
        span: Span,
    ) {
        self.note_var_written(name, value, span);
        let plain = match (value.is_none() && elements_plain, plainness(value)) {
            (true, _) => Plain::Yes,
            (false, p) => p,
        };
        // `x=1 cmd` sets x for cmd only: the shell's x is unchanged, but cmd
        // (a function) sees the value.
        let plain = if prefix && plain == Plain::Yes {
            Plain::Kept
        } else {
            plain
        };
        self.note_plain(name, index, plain);
    }

    /// Whether a variable's value may hold a pattern character after a
    /// write (docs/commands.md, Globs after an expansion).
    pub(crate) fn note_plain(&mut self, name: &str, index: Option<&str>, plain: Plain) {
        let element = |p: &String| p.strip_prefix(name).is_some_and(|r| r.starts_with('['));
        match plain {
            // A number or the old value: plain if it was.
            Plain::Kept => {}
            Plain::Yes if implicit_var(name) => {}
            Plain::Yes => match index {
                Some(i) => {
                    let key = format!("{name}[{i}]");
                    if !self.shell.plain.contains(&key) {
                        self.shell.plain.push(key);
                    }
                }
                None => {
                    self.shell.plain.retain(|p| !element(p));
                    if !self.shell.plain.iter().any(|p| p == name) {
                        self.shell.plain.push(name.to_string());
                    }
                }
            },
            Plain::No => {
                self.shell.plain.retain(|p| p != name && !element(p));
                if !self.shell.globby.iter().any(|g| g == name) {
                    self.shell.globby.push(name.to_string());
                }
            }
        }
    }

    /// Whether `key` (`name` or `name[key]`) holds no pattern character
    /// here.
    pub(crate) fn is_plain(&self, key: &str) -> bool {
        let base = key.split('[').next().unwrap_or(key);
        !implicit_var(base) && self.shell.plain.iter().any(|p| p == key || p == base)
    }

    /// At the end of the input: an unquoted use taken for plain of a
    /// variable that is also written with a value that may hold a pattern
    /// character (a later loop pass or a function call may write it first).
    pub(crate) fn check_plain_uses(&mut self) {
        let uses = std::mem::take(&mut self.shell.plain_uses);
        if let Some((name, span)) = uses
            .into_iter()
            .find(|(n, _)| self.shell.globby.contains(n))
        {
            self.unmodelled(
                DecisionCode::UnmodelledExpansion,
                format!("the unquoted ${name} is pathname-expanded, and {name} is also given a value that may hold a pattern character (a loop pass or a function call may write it first): which directories it lists is not known"),
                span,
                &[],
            );
        }
    }

    /// Note a write to a variable for arithmetic and the integer
    /// attribute.
    fn note_var_written(&mut self, name: &str, value: Option<&Arg>, span: Span) {
        self.shell.globs.retain(|(n, _)| n != name);
        self.integer_write(name, value.and_then(|v| v.lit()), span);
        let inert = value.and_then(|v| v.lit()).is_some_and(inert_value);
        let number = self.note_number(name, value);
        self.shell.tainted.retain(|t| t != name);
        if !inert && !number {
            self.shell.tainted.push(name.to_string());
            self.shell.written_unknown.push(name.to_string());
        }
        if name == "CDPATH" {
            self.shell.cdpath = true;
        }
    }

    /// `${NAME:=word}` / `${NAME=word}`: bash assigns `word` to NAME in
    /// this shell while it expands the word, when NAME is unset (or null,
    /// with `:`), as CDPATH and GLOBIGNORE normally are. Judged like every
    /// other write to NAME: a name the shell acts on (CDPATH, GLOBIGNORE,
    /// PATH, PWD, …, the names of the environment screening) is not
    /// modelled, and NAME's value is not known afterwards (it is the old
    /// value when it was set): arithmetic does not take it for a number.
    pub(crate) fn assign_default(
        &mut self,
        name: &str,
        indirect: bool,
        value: Option<&Arg>,
        span: Span,
    ) {
        if indirect {
            self.unmodelled(
                DecisionCode::ShellStateChange,
                format!("${{!{name}:=…}} assigns the variable named by the value of {name}, which is not known"),
                span,
                &[],
            );
            return;
        }
        self.check_state_var(name, span, &[], "the expansion ${NAME:=…}");
        if let Some(v) = value.and_then(|v| v.lit()) {
            if env::stores_code(v) {
                self.check_assignment(name, value, span, &[]);
            }
        }
        // A known number stays one when the word is one too.
        let number = self.shell.numbers.iter().any(|n| n == name)
            && value.and_then(|v| v.lit()).is_some_and(|t| {
                !t.is_empty() && scan_arith(t, &self.shell.numbers).is_ok_and(|r| r.is_empty())
            });
        if number {
            self.integer_write(name, value.and_then(|v| v.lit()), span);
        } else {
            // The old value or the word: plain if both are.
            self.note_var_written(name, None, span);
            let plain = match plainness(value) {
                Plain::Yes => Plain::Kept,
                _ => Plain::No,
            };
            self.note_plain(name, None, plain);
        }
    }

    /// Whether `name` now holds a number arithmetic may evaluate: a literal
    /// that is arithmetic over known numbers and assigns nothing, or one
    /// `$((…))`.
    fn note_number(&mut self, name: &str, value: Option<&Arg>) -> bool {
        self.shell.numbers.retain(|n| n != name);
        // Bash writes these itself (`_` after every command; `read`,
        // `mapfile`, `getopts`, `[[ =~ ]]` without a name).
        let implicit = matches!(name, "_" | "REPLY" | "MAPFILE" | "OPTARG" | "COPROC")
            || name.starts_with("BASH_")
            || name.starts_with("READLINE_");
        let Some(v) = value.filter(|_| !implicit) else {
            return false;
        };
        let reads = match v.lit() {
            // Arithmetic that reads the variable evaluates this text again,
            // each time: a value that assigns (`PATH=0`, `(x=1)`, `1?y=2:0`,
            // `x+=1`) would make each read an assignment the analysis does
            // not see. Only a value that assigns nothing is a number.
            Some(text) => scan_arith(text, &self.shell.numbers)
                .ok()
                .filter(|r| r.iter().all(|(_, assigned)| !assigned))
                .filter(|_| arith_targets(text).is_empty()),
            None => {
                let t = v.text.trim_matches('"');
                (t.starts_with("$((") && t.ends_with("))") && !t[3..t.len() - 2].contains("))"))
                    .then(Vec::new)
            }
        };
        if let Some(reads) = reads {
            for (n, _) in reads {
                self.shell.arith_uses.push((n, v.span));
            }
            self.shell.numbers.push(name.to_string());
            return true;
        }
        false
    }

    /// A write to a variable with the integer attribute evaluates the value
    /// as arithmetic: a known text is judged as arithmetic, an unknown one
    /// (`read`, `mapfile`, `printf -v`, `$(…)`) is not modelled.
    fn integer_write(&mut self, name: &str, value: Option<&str>, span: Span) {
        let base = name.split('[').next().unwrap_or(name);
        if !self
            .shell
            .integers
            .iter()
            .any(|n| n == base || n.is_empty())
        {
            return;
        }
        match value {
            Some(v) => self.check_arith(v, span, &[]),
            None => self.unmodelled(
                DecisionCode::UnmodelledExpansion,
                format!(
                    "{} has the integer attribute: the value written to it, which is not known, is evaluated as arithmetic (array subscripts in it run commands)",
                    clip(base)
                ),
                span,
                &[],
            ),
        }
    }

    /// A variable the shell itself acts on (beyond the environment
    /// screening): its assignment changes later commands.
    pub(crate) fn check_state_var(&mut self, name: &str, span: Span, argv: &[Arg], how: &str) {
        // Assignments and declarations have the environment screening.
        let screened = matches!(
            how,
            "=" | "declare" | "typeset" | "local" | "readonly" | "export"
        );
        if STATE_VARS.contains(&name) || (!screened && env::risk(name).is_some()) {
            self.unmodelled(
                DecisionCode::ShellStateChange,
                format!("{how} sets {name}, which changes how the shell finds, expands or runs later commands"),
                span,
                argv,
            );
        }
    }

    /// Arithmetic text bash evaluates: values it reads are evaluated again
    /// as expressions, and array subscripts in them run command
    /// substitutions. Only arithmetic over literal numbers and variables
    /// known to hold such values is modelled (see [`scan_arith`]).
    pub(crate) fn check_arith(&mut self, text: &str, span: Span, argv: &[Arg]) {
        // A variable arithmetic assigns is judged like any other write to
        // it: `$((PATH=0))` makes PATH the relative directory `0`.
        for name in arith_targets(text) {
            self.check_state_var(&name, span, argv, "arithmetic assignment");
        }
        let scan = scan_arith(text, &self.shell.numbers);
        match scan {
            Ok(names) => {
                for (name, assigned) in names {
                    if assigned && !self.shell.numbers.contains(&name) {
                        self.shell.numbers.push(name.clone());
                    }
                    self.shell.arith_uses.push((name, span));
                }
            }
            Err(why) => self.unmodelled(
                DecisionCode::UnmodelledExpansion,
                format!("arithmetic {} {why}", clip(text)),
                span,
                argv,
            ),
        }
    }

    /// Arithmetic run as a command (`(( x = 0 ))`, a `for ((…))`
    /// initializer): `NAME = 12` always succeeds and leaves a number, so
    /// NAME is plain. Other arithmetic leaves a number or, when it fails,
    /// the old value: nothing changes.
    pub(crate) fn arith_command_plain(&mut self, text: &str) {
        if let Some((n, v)) = text.split_once('=') {
            let (n, v) = (n.trim(), v.trim());
            if is_name(n) && !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) {
                self.note_plain(n, None, Plain::Yes);
            }
        }
    }

    /// At the end of the input: a variable arithmetic relied on as a known
    /// number, but written elsewhere with an unknown value (a later loop
    /// pass or function call may evaluate that value).
    pub(crate) fn check_arith_uses(&mut self) {
        let uses = std::mem::take(&mut self.shell.arith_uses);
        if let Some((name, span)) = uses
            .into_iter()
            .find(|(n, _)| self.shell.written_unknown.contains(n))
        {
            self.unmodelled(
                DecisionCode::UnmodelledExpansion,
                format!("arithmetic evaluates {name}, which is also given a value the analysis does not know (array subscripts in it would run commands)"),
                span,
                &[],
            );
        }
    }

    /// `declare a=([k]=v …)`: an indexed array's keys are arithmetic; an
    /// associative array's are strings (and the name is remembered).
    fn check_compound_keys(&mut self, a: &Arg, argv: &[Arg], assoc: bool) {
        let text = a.text.as_str();
        let (name, value) = text.split_once('=').unwrap_or((text, ""));
        let name = name.trim_end_matches('+');
        if assoc {
            if is_name(name) {
                self.shell.assoc.push(name.to_string());
            }
            return;
        }
        if self.shell.assoc.iter().any(|n| n == name) || !value.starts_with('(') {
            return;
        }
        let mut rest = value;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find("]=").map(|k| open + k) else {
                break;
            };
            let key = rest[open + 1..close].to_string();
            self.check_arith(&key, a.span, argv);
            rest = &rest[close + 2..];
        }
    }

    /// A variable-name operand of a builtin (`read`, `unset`, `printf -v`,
    /// `declare`, `test -v`, …): a subscript in it is evaluated.
    fn check_name_operand(&mut self, a: &Arg, argv: &[Arg], what: &str, assigns: bool) {
        let text = match a.lit() {
            Some(v) => v.to_string(),
            None => {
                // `local x="$1"`: the name is still literal.
                let head = a.text.split('=').next().unwrap_or_default();
                if a.text.contains('=') && is_name(head.trim_end_matches('+')) {
                    head.to_string()
                } else {
                    self.unmodelled(
                        DecisionCode::UnmodelledExpansion,
                        format!("{what}: the variable name {} is computed at run time (a subscript in it would run commands)", clip(&a.text)),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        };
        let name_part = text.split('=').next().unwrap_or_default();
        let name_part = name_part.strip_suffix('+').unwrap_or(name_part);
        let (name, subscript) = match name_part.split_once('[') {
            Some((n, rest)) => (n, Some(rest.strip_suffix(']').unwrap_or(rest))),
            None => (name_part, None),
        };
        if let Some(sub) = subscript {
            if !inert_value(sub) {
                self.unmodelled(
                    DecisionCode::UnmodelledExpansion,
                    format!(
                        "{what}: the subscript of {} is expanded and evaluated again",
                        clip(&text)
                    ),
                    a.span,
                    argv,
                );
                return;
            }
            self.check_arith(sub, a.span, argv);
        }
        if !is_name(name) {
            return;
        }
        self.check_state_var(name, a.span, argv, what);
        if assigns {
            let value = text.split_once('=').map(|(_, v)| v.to_string());
            let known = match (&value, a.lit()) {
                (Some(v), Some(_)) => Some(Arg::literal(v, a.span)),
                (None, _) => None,
                _ => None,
            };
            if value.is_none() {
                // `local x`, `declare -A m`: no new value (unset in a
                // function, the old one otherwise), no pattern added.
                self.note_var_written(name, None, a.span);
                if what == "local" {
                    // A new local variable is unset (a value it already had
                    // in this function is a write judged elsewhere).
                    self.note_plain(name, None, Plain::Yes);
                }
            } else {
                self.note_value(name, known.as_ref(), a.span);
            }
        }
    }

    /// Where a builtin's options end at a computed word (`printf "$x" "$y"
    /// DIR`), that word may be any option when its value may start with
    /// `-`: `-v`, `-vPATH`, or (split, or `"$@"`) several words. Only a last
    /// word that stays one word (double-quoted, no `@`) cannot be an option
    /// with its operand.
    fn computed_option_word(&mut self, argv: &[Arg], first: usize, what: &str) {
        let Some(a) = argv.get(first) else {
            return;
        };
        let after_end = first > 1 && argv[first - 1].is("--");
        if after_end || a.lit().is_some() || !(a.prefix.is_empty() || a.prefix.starts_with('-')) {
            return;
        }
        let one_word = a.text.starts_with('"') && a.text.ends_with('"') && !a.text.contains('@');
        if one_word && first + 1 == argv.len() {
            return;
        }
        self.unmodelled(
            DecisionCode::ShellStateChange,
            format!(
                "{}: the computed word {} stands where an option may (and {what})",
                argv[0].shown(),
                clip(&a.text)
            ),
            a.span,
            argv,
        );
    }

    /// Builtins that change shell state or evaluate names (one layer).
    // One arm per builtin reads better than guards folded into the match.
    #[allow(clippy::collapsible_match)]
    pub(crate) fn check_shell_builtin(&mut self, argv: &[Arg], base: &str) {
        let span = super::dangers::command_span(argv);
        match base {
            "alias" => {
                if argv[1..]
                    .iter()
                    .any(|a| a.lit().is_none_or(|v| v.contains('=')))
                {
                    self.unmodelled(
                        DecisionCode::ShellStateChange,
                        "alias definitions change what later command words run (aliases expand in sh, in POSIX mode and with expand_aliases)".to_string(),
                        span,
                        argv,
                    );
                }
            }
            "shopt" => {
                let scan = scan_options(argv, 1, &[]);
                let sets = scan.has(&["-s", "-u"]);
                let names_are_set_o = scan.has(&["-o"]);
                let unsets = scan.has(&["-u"]);
                if !sets {
                    return;
                }
                for a in &argv[scan.first..] {
                    let ok = a.lit().is_some_and(|v| {
                        if names_are_set_o {
                            SAFE_SET_O.contains(&v) || (!unsets && ON_SET_O.contains(&v))
                        } else {
                            SAFE_SHOPT.contains(&v)
                        }
                    });
                    if !ok {
                        self.unmodelled(
                            DecisionCode::ShellStateChange,
                            format!(
                                "shopt {} changes how the shell parses or expands later commands",
                                clip(&a.shown())
                            ),
                            a.span,
                            argv,
                        );
                    }
                }
                if argv.iter().skip(1).any(|a| a.lit().is_none()) {
                    self.unmodelled(
                        DecisionCode::ShellStateChange,
                        "shopt with options computed at run time".to_string(),
                        span,
                        argv,
                    );
                }
            }
            "set" => self.check_set(argv),
            _ if SHELLS.contains(&base) => self.check_shell_options(argv, base),
            "enable" => {
                if argv[1..]
                    .iter()
                    .any(|a| !matches!(a.lit(), Some("-a" | "-p" | "-s")))
                {
                    self.unmodelled(
                        DecisionCode::ShellStateChange,
                        "enable changes which builtins the shell runs".to_string(),
                        span,
                        argv,
                    );
                }
            }
            "fc" => {
                if !argv[1..].iter().all(|a| {
                    a.lit()
                        .is_some_and(|v| v.starts_with("-l") || v == "-n" || v == "-r")
                }) || argv.len() == 1
                {
                    self.unmodelled(
                        DecisionCode::ShellStateChange,
                        "fc runs commands from the history, which the analysis does not see"
                            .to_string(),
                        span,
                        argv,
                    );
                }
            }
            "declare" | "typeset" | "local" | "readonly" | "export" => {
                let scan = scan_options(argv, 1, &[]);
                let letters: String = scan
                    .opts
                    .iter()
                    .filter(|(o, _, _)| o.starts_with('-') && !o.starts_with("--"))
                    .map(|(o, _, _)| o[1..].to_string())
                    .collect();
                if letters.contains('n') && base != "export" {
                    self.unmodelled(
                        DecisionCode::ShellStateChange,
                        format!("{base} -n makes a name refer to another variable (a nameref); what it changes is not modelled"),
                        span,
                        argv,
                    );
                }
                let integer = letters.contains('i');
                // In a function, `local NAME` (also `declare`/`typeset`,
                // with any attribute) without a value makes NAME a new
                // local variable that is unset: `local PATH` leaves bash no
                // search path, so `ls` runs `./ls`. Judged like `unset
                // NAME`. (`-p` prints, `-f`/`-F` name functions, `-g` the
                // global variable.)
                let makes_local = matches!(base, "declare" | "typeset" | "local")
                    && !letters.contains(['p', 'f', 'F', 'g']);
                for a in argv.iter().skip(scan.first) {
                    self.check_name_operand(a, argv, base, true);
                    // A variable made read-only keeps the value it has (one
                    // from outside, perhaps): a later plain write fails.
                    let freezes = base == "readonly" || (letters.contains('r') && base != "local");
                    if freezes && !a.text.contains('=') {
                        if let Some(n) = a.lit().filter(|n| is_name(n)) {
                            let n = n.to_string();
                            self.note_plain(&n, None, Plain::No);
                        }
                    }
                    if makes_local && !a.text.contains('=') {
                        if let Some(n) = a.lit().filter(|n| is_name(n)) {
                            self.check_state_var(
                                n,
                                a.span,
                                argv,
                                &format!("{base} without a value"),
                            );
                        }
                    }
                    self.check_compound_keys(a, argv, letters.contains('A'));
                    if integer {
                        // Any operand, literal or not: an unknown name
                        // makes every later write unknown.
                        let n = a.text.split(['=', '[']).next().unwrap_or_default();
                        if is_name(n) {
                            if self.shell.written_unknown.iter().any(|w| w == n) {
                                self.unmodelled(
                                    DecisionCode::UnmodelledExpansion,
                                    format!("{base} -i {n}: {n} is written with an unknown or expression-bearing value elsewhere in the command (a function, a loop); with the integer attribute that value is evaluated as arithmetic"),
                                    a.span,
                                    argv,
                                );
                            }
                            self.shell.integers.push(n.to_string());
                        } else {
                            self.shell.integers.push(String::new());
                        }
                    }
                    if integer {
                        let v = a
                            .lit()
                            .map(str::to_string)
                            .unwrap_or_else(|| a.text.clone());
                        if let Some((_, value)) = v.split_once('=') {
                            self.check_arith(value, a.span, argv);
                        }
                    }
                }
            }
            "read" => {
                let with_arg = ["-a", "-d", "-i", "-n", "-N", "-p", "-t", "-u"];
                let scan = scan_options(argv, 1, &with_arg);
                let mut names: Vec<&Arg> = argv[scan.first..].iter().collect();
                for (o, idx, inline) in &scan.opts {
                    if o == "-a" {
                        match (idx, inline) {
                            (Some(i), _) => names.extend(argv.get(*i)),
                            (None, Some(_)) => {}
                            _ => {}
                        }
                    }
                }
                for a in names {
                    self.check_name_operand(a, argv, "read", false);
                    if let Some(n) = a.lit().filter(|n| is_name(n)) {
                        let n = n.to_string();
                        self.note_value(&n, None, a.span);
                    }
                }
            }
            "mapfile" | "readarray" => {
                let with_arg = ["-d", "-n", "-O", "-s", "-u", "-C", "-c"];
                let scan = scan_options(argv, 1, &with_arg);
                for a in &argv[scan.first..] {
                    self.check_name_operand(a, argv, base, false);
                    if let Some(n) = a.lit().filter(|n| is_name(n)) {
                        let n = n.to_string();
                        self.note_value(&n, None, a.span);
                    }
                }
            }
            "printf" => {
                let scan = scan_options(argv, 1, &["-v"]);
                self.computed_option_word(argv, scan.first, "printf -v NAME sets any variable");
                for (o, idx, _) in &scan.opts {
                    if o == "-v" {
                        if let Some(a) = idx.and_then(|i| argv.get(i)) {
                            self.check_name_operand(a, argv, "printf -v", false);
                            if let Some(n) = a.lit().filter(|n| is_name(n)) {
                                let n = n.to_string();
                                self.note_value(&n, None, a.span);
                            }
                        }
                    }
                }
            }
            "getopts" => {
                if let Some(a) = argv.get(2) {
                    self.check_name_operand(a, argv, "getopts", false);
                    if let Some(n) = a.lit().filter(|n| is_name(n)) {
                        let n = n.to_string();
                        self.note_value(&n, None, a.span);
                    }
                }
            }
            "wait" => {
                let scan = scan_options(argv, 1, &["-p"]);
                self.computed_option_word(argv, scan.first, "wait -p NAME sets any variable");
                for (o, idx, _) in &scan.opts {
                    if o == "-p" {
                        if let Some(a) = idx.and_then(|i| argv.get(i)) {
                            self.check_name_operand(a, argv, "wait -p", false);
                        }
                    }
                }
            }
            "unset" => {
                let scan = scan_options(argv, 1, &[]);
                let vars_only = scan.has(&["-v"]);
                for a in &argv[scan.first..] {
                    self.check_name_operand(a, argv, "unset", false);
                    match a.lit() {
                        Some(n) if !vars_only => {
                            let n = n.to_string();
                            self.shell.functions.retain(|f| *f != n);
                        }
                        Some(_) => {}
                        None => self.shell.functions.clear(),
                    }
                }
            }
            "let" => {
                for a in &argv[1..] {
                    let text = a.lit().unwrap_or(&a.text).to_string();
                    self.check_arith(&text, a.span, argv);
                    if let Some((n, _)) = text.split_once('=') {
                        if let Some((_, sub)) = n.split_once('[') {
                            if !inert_value(sub.trim_end_matches(']')) {
                                self.unmodelled(
                                    DecisionCode::UnmodelledExpansion,
                                    format!(
                                        "let: the subscript in {} is expanded and evaluated again",
                                        clip(&text)
                                    ),
                                    a.span,
                                    argv,
                                );
                            }
                        }
                    }
                }
            }
            "test" | "[" => {
                for w in argv.windows(2) {
                    if w[0].is("-v") {
                        self.check_name_operand(&w[1], argv, "test -v", false);
                    }
                }
            }
            _ => {}
        }
    }

    /// A shell's own options before its script: the same as `set` (`bash -a`
    /// is `set -a` for the whole script), `-O` as `shopt -s`. Options that
    /// only say where the script comes from, or that skip start-up files,
    /// are modelled; any other is not.
    fn check_shell_options(&mut self, argv: &[Arg], base: &str) {
        const SOURCE_LETTERS: &str = "csilr";
        const LONG: &[&str] = &[
            "--norc",
            "--noprofile",
            "--login",
            "--noediting",
            "--restricted",
            "--verbose",
            "--version",
            "--help",
            "--posix",
        ];
        let scan = scan_options(argv, 1, SHELL_WITH_ARG);
        for (o, idx, inline) in &scan.opts {
            let value = idx
                .and_then(|i| argv.get(i))
                .and_then(|a| a.lit().map(str::to_string))
                .or_else(|| inline.clone());
            let ok = match o.as_str() {
                "-o" | "+o" => value.as_deref().is_some_and(|v| {
                    SAFE_SET_O.contains(&v) || (o == "-o" && ON_SET_O.contains(&v))
                }),
                "-O" | "+O" => value.as_deref().is_some_and(|v| SAFE_SHOPT.contains(&v)),
                "--" | "-" => true,
                long if long.starts_with("--") => LONG.contains(&long),
                short => short[1..].chars().all(|c| {
                    SAFE_SET_LETTERS.contains(c)
                        || SOURCE_LETTERS.contains(c)
                        || (short.starts_with('-') && ON_SET_LETTERS.contains(c))
                }),
            };
            if !ok {
                let shown = match value {
                    Some(v) => format!("{o} {v}"),
                    None => o.clone(),
                };
                self.unmodelled(
                    DecisionCode::ShellStateChange,
                    format!(
                        "{base} {}: the option changes how the shell parses, expands, exports or runs the script",
                        clip(&shown)
                    ),
                    super::dangers::command_span(argv),
                    argv,
                );
                return;
            }
        }
    }

    fn check_set(&mut self, argv: &[Arg]) {
        let mut i = 1;
        while i < argv.len() {
            let Some(w) = argv[i].lit() else {
                self.unmodelled(
                    DecisionCode::ShellStateChange,
                    "set with options computed at run time".to_string(),
                    argv[i].span,
                    argv,
                );
                return;
            };
            if w == "--" || w == "-" || !(w.starts_with('-') || w.starts_with('+')) {
                return;
            }
            let letters = &w[1..];
            // Turning allexport or physical off restores what is modelled.
            let off = w.starts_with('+');
            if letters.contains('o') {
                let name = argv.get(i + 1);
                match name.and_then(|a| a.lit()) {
                    None if name.is_none() => return,
                    Some(n) if SAFE_SET_O.contains(&n) => {}
                    Some("allexport" | "physical") if off => {}
                    Some(n) if !off && ON_SET_O.contains(&n) => {}
                    _ => {
                        let shown = name.map(Arg::shown).unwrap_or_default();
                        self.unmodelled(
                            DecisionCode::ShellStateChange,
                            format!(
                                "set -o {} changes how the shell parses or expands later commands",
                                clip(&shown)
                            ),
                            argv[i].span,
                            argv,
                        );
                    }
                }
                i += 1;
            }
            if let Some(c) = letters.chars().find(|c| {
                *c != 'o'
                    && !SAFE_SET_LETTERS.contains(*c)
                    && !(off && "aP".contains(*c))
                    && (off || !ON_SET_LETTERS.contains(*c))
            }) {
                self.unmodelled(
                    DecisionCode::ShellStateChange,
                    format!("set {w}: the option {c} changes how the shell parses, expands or runs later commands"),
                    argv[i.min(argv.len() - 1)].span,
                    argv,
                );
            }
            i += 1;
        }
    }

    /// A `for` loop's variable: its values may be unknown, and some names
    /// change later commands (`for PATH in …`).
    pub(crate) fn for_variable(&mut self, name: &str, values: Option<&[Arg]>, span: Span) {
        match values {
            Some(vs) => {
                for v in vs {
                    self.integer_write(name, v.lit(), span);
                }
            }
            None => self.integer_write(name, None, span),
        }
        if !values.is_some_and(|v| v.iter().all(|a| a.lit().is_some_and(inert_value))) {
            self.shell.written_unknown.push(name.to_string());
        }
        if STATE_VARS.contains(&name) || env::risk(name).is_some() {
            self.unmodelled(
                DecisionCode::ShellStateChange,
                format!("the loop sets {name}, which changes how the shell finds, expands or runs later commands"),
                span,
                &[],
            );
        }
        let inert = values.is_some_and(|v| v.iter().all(|a| a.lit().is_some_and(inert_value)));
        self.shell.tainted.retain(|t| t != name);
        if !inert {
            self.shell.tainted.push(name.to_string());
        }
        self.shell.globs.retain(|(n, _)| n != name);
        // A number only when every value is one.
        self.shell.numbers.retain(|n| n != name);
        let numeric = values.is_some_and(|vs| {
            vs.iter().all(|v| {
                v.lit()
                    .is_some_and(|t| scan_arith(t, &self.shell.numbers).is_ok_and(|r| r.is_empty()))
            })
        });
        if numeric {
            self.shell.numbers.push(name.to_string());
        }
        if let Some(pattern) = values.and_then(|v| glob_binding(v, name, self.input)) {
            self.shell.globs.push((name.to_string(), pattern));
        }
        // Plain when every value is a literal without a pattern character.
        let plain = values.is_some_and(|vs| {
            vs.iter()
                .all(|v| v.lit().is_some_and(|t| !t.contains(['*', '?', '['])))
        });
        self.note_plain(name, None, if plain { Plain::Yes } else { Plain::No });
    }

    /// The glob a loop variable is bound to, when a quoted use of it can be
    /// judged as that glob (see [`glob_binding`]).
    pub(crate) fn bound_glob(&self, name: &str) -> Option<&str> {
        self.shell
            .globs
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.as_str())
    }

    /// A shell or `source` reading its script from a descriptor path or a
    /// process substitution: the text is judged when it is a literal
    /// here-document on that descriptor, otherwise not modelled.
    pub(crate) fn check_script_source(
        &mut self,
        argv: &[Arg],
        base: &str,
        redirects: &[Redir],
        stdin: &Stdin,
        wrappers: &[String],
        depth: usize,
    ) {
        let operand = if SHELLS.contains(&base) {
            let scan = scan_options(argv, 1, SHELL_WITH_ARG);
            if scan.has(&["-c"]) {
                return;
            }
            argv.get(scan.first)
        } else if matches!(base, "source" | ".") {
            let scan = scan_options(argv, 1, &[]);
            argv.get(scan.first)
        } else {
            return;
        };
        let span = super::dangers::command_span(argv);
        let Some(op) = operand else {
            // Reads its standard input: a file there was not analysed.
            if SHELLS.contains(&base) {
                self.stdin_file_script(stdin, base, argv, span);
            }
            return;
        };
        if op.procsub {
            self.unmodelled(
                DecisionCode::UnmodelledScriptInput,
                format!("{base} runs the output of a process substitution as a script"),
                op.span,
                argv,
            );
            return;
        }
        self.script_operand_read(op, base, argv);
        let Some(p) = op.lit() else { return };
        let sourced_file =
            matches!(base, "source" | ".") && descriptor_path(p).is_none() && p != "/dev/tty";
        if sourced_file {
            // Its content (written by the command itself) is analysed
            // as a script where it runs.
            if self
                .was_written(op)
                .is_some_and(|(_, content)| content.is_some())
            {
                return;
            }
            self.unmodelled(
                DecisionCode::UnmodelledScriptInput,
                format!(
                    "{base} {} runs a file in this shell whose content is not analysed: it can change directory, variables, functions and aliases for every later command",
                    clip(&op.shown())
                ),
                op.span,
                argv,
            );
            return;
        }
        let fd = if p == "-" && SHELLS.contains(&base) {
            0
        } else {
            match descriptor_path(p).or_else(|| (p == "/dev/tty").then_some(0)) {
                Some(n) => n,
                None => return,
            }
        };
        if fd == 0 {
            self.stdin_file_script(stdin, base, argv, span);
            return;
        }
        let on_fd = redirects
            .iter()
            .rev()
            .find(|r| r.fd.map(|f| f as i64) == Some(fd as i64));
        match on_fd.map(|r| &r.target) {
            Some(Target::Text { body: Some(body), .. }) => {
                let body = body.clone();
                let mut ctx = super::walk::Ctx::top();
                ctx.depth = depth;
                ctx.wrappers = wrappers.to_vec();
                let label = format!("{base} {p}");
                let inner = ctx.script(&label, Stdin::Inherited);
                let at = on_fd.map(|r| r.span).unwrap_or(span);
                let dialect = super::dialect::of_script(wrappers, base);
                self.dialect_gap(dialect, &label, &body, at, argv);
                let after = self.in_child(|a| {
                    a.analyze_script(&body, None, at, &inner);
                    a.cwd.clone()
                });
                // `source`/`.` run the text in this shell: its `cd` moves
                // it (a shell reading the text runs in a child).
                if matches!(base, "source" | ".") {
                    self.cwd = after;
                }
            }
            _ => self.unmodelled(
                DecisionCode::UnmodelledScriptInput,
                format!("{base} reads its script from descriptor {fd} ({}), whose content is not analysed", clip(p)),
                op.span,
                argv,
            ),
        }
    }

    /// A shell reading a script from standard input redirected from a file.
    pub(crate) fn stdin_file_script(
        &mut self,
        stdin: &Stdin,
        base: &str,
        argv: &[Arg],
        span: Span,
    ) {
        if let Stdin::File(f) = stdin {
            let written = f.as_ref().and_then(|f| self.was_written(f));
            if written.is_some() {
                // Judged by the check of files written earlier.
                return;
            }
            self.unmodelled(
                DecisionCode::UnmodelledScriptInput,
                format!(
                    "{base} reads its script from the file {} on its standard input, whose content is not analysed",
                    clip(&f.as_ref().map(Arg::shown).unwrap_or_default())
                ),
                span,
                argv,
            );
        }
    }

    /// A command runs in the modelled working directory: one refused by the
    /// filesystem policy is refused (`cd ~/.ssh && ls`), an unknown one is
    /// not modelled.
    pub(crate) fn check_cwd_use(&mut self, argv: &[Arg], base: &str) {
        if NO_FILES.contains(&base) {
            return;
        }
        let span = super::dangers::command_span(argv);
        match self.cwd.clone() {
            Cwd::Workspace => {}
            Cwd::Dir(d) => {
                let req = FileRequest::new(&d, FileOperation::List);
                let decision = self.fs.check(&req);
                if !decision.is_allowed() {
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::FileAccessDenied,
                        format!(
                            "{base} runs in the directory {}, which the filesystem policy refuses ({}: {})",
                            clip(&d),
                            decision.code,
                            decision.reason
                        ),
                        span,
                        argv,
                        decision.rule.clone(),
                    );
                }
            }
            Cwd::Unknown => {
                if !self.shell.cwd_reported {
                    self.shell.cwd_reported = true;
                    self.unmodelled(
                        DecisionCode::UnknownWorkingDirectory,
                        format!("{base} runs where the working directory is not known for certain (a cd before it may fail, run conditionally or go to a computed place)"),
                        span,
                        argv,
                    );
                }
            }
        }
    }

    /// Glob words: expanding one lists its literal directory, whatever the
    /// command (`echo ~/.ssh/*` shows the names in it).
    pub(crate) fn check_glob_reads(&mut self, argv: &[Arg]) {
        for a in argv {
            if a.value.is_some() || a.pattern.is_none() || a.procsub {
                continue;
            }
            let pattern = a.pattern.as_deref().unwrap_or_default();
            if !pattern.contains(['*', '?', '[']) {
                continue;
            }
            let dir = match a.prefix.rfind('/') {
                Some(i) => a.prefix[..=i].to_string(),
                None => ".".to_string(),
            };
            let Some(path) = self.resolve(&dir, a.home) else {
                self.unmodelled(
                    DecisionCode::UnknownWorkingDirectory,
                    format!(
                        "the glob {} lists a directory relative to a working directory that is not known for certain",
                        clip(&a.text)
                    ),
                    a.span,
                    argv,
                );
                continue;
            };
            let decision = self.fs.check(&FileRequest::new(&path, FileOperation::List));
            if !decision.is_allowed() {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::FileAccessDenied,
                    format!(
                        "the glob {} lists {}, which the filesystem policy refuses ({}: {})",
                        clip(&a.text),
                        clip(&path),
                        decision.code,
                        decision.reason
                    ),
                    a.span,
                    argv,
                    decision.rule.clone(),
                );
                continue;
            }
            // The directories a glob component leads into are listed too
            // (`~/.ss?/*` lists `~/.ssh`): judge what they could be.
            if let Some((parent, _)) = pattern.trim_end_matches('/').rsplit_once('/') {
                if super::globs::is_glob(parent) {
                    if let Some(p) = self.resolve(parent, a.home) {
                        self.check_spellings(&p, FileOperation::List, a, argv, "glob");
                    }
                }
            }
        }
    }

    /// Words bash pathname-expands after an unquoted expansion: one whose
    /// value may hold a pattern character may list any directory
    /// (docs/commands.md, Globs after an expansion); one taken for plain is
    /// checked at the end against every write of its variables.
    pub(crate) fn check_expanded_globs(&mut self, argv: &[Arg]) {
        // A declaration builtin's `NAME=value` operands are expanded as
        // assignments: no pathname expansion.
        let declares = argv
            .first()
            .and_then(Arg::lit)
            .is_some_and(|c| matches!(c, "declare" | "typeset" | "local" | "readonly" | "export"));
        for a in argv {
            if a.procsub || (declares && is_assignment_word(&a.text)) {
                continue;
            }
            for n in a.plain_names.iter().flat_map(|v| v.iter()) {
                self.shell.plain_uses.push((n.clone(), a.span));
            }
            if a.unbounded {
                self.unmodelled(
                    DecisionCode::UnmodelledExpansion,
                    format!(
                        "bash pathname-expands {} after an expansion whose value may hold a pattern character: which directory it lists is not known",
                        clip(&a.text)
                    ),
                    a.span,
                    argv,
                );
            }
        }
    }

    /// After a `cd`: with `CDPATH` set, a relative name may go anywhere.
    pub(crate) fn after_cd(&mut self, argv: &[Arg]) {
        if !self.shell.cdpath {
            return;
        }
        let scan = scan_options(argv, 1, &[]);
        let relative = argv.get(scan.first).is_some_and(|a| {
            a.lit().is_none_or(|v| {
                !(v.starts_with('/') || v.starts_with("./") || v.starts_with("../") || a.home)
            })
        });
        if relative {
            self.cwd = Cwd::Unknown;
        }
    }
}

/// bash removes a backslash before `$`, `` ` `` and `\` (and `"` inside
/// double quotes) in the text of a backquoted substitution before it parses
/// it.
pub(crate) fn unescape_backquoted(s: &str, quoted: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n == '$' || n == '`' || n == '\\' || (quoted && n == '"') {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Whether bash ends an unquoted here-document earlier than the parser: a
/// line continuation joins lines before the end line is compared.
pub(crate) fn heredoc_ends_early(body: &str, delimiter: &str, strip_tabs: bool) -> bool {
    if !body.contains("\\\n") {
        return false;
    }
    let mut joined = String::new();
    for line in body.split('\n') {
        let line = if strip_tabs && joined.is_empty() {
            line.trim_start_matches('\t')
        } else {
            line
        };
        let trailing = line.len() - line.trim_end_matches('\\').len();
        if trailing % 2 == 1 {
            joined.push_str(&line[..line.len() - 1]);
            continue;
        }
        joined.push_str(line);
        if joined == delimiter {
            return true;
        }
        joined.clear();
    }
    false
}

/// Words of the input after which a loop variable's value is no longer known
/// for certain: they can assign variables in ways the text does not show
/// (decoded or computed text, namerefs, builtins that write names).
const REBINDERS: &[&str] = &[
    "$'",
    "$\"",
    "$(",
    "`",
    "eval",
    "source",
    "declare",
    "typeset",
    "local",
    "export",
    "readonly",
    "printf",
    "read",
    "mapfile",
    "readarray",
    "getopts",
    "wait",
    "let",
    "((",
    "unset",
    "alias",
    "coproc",
    "select",
];

/// `for NAME in GLOB`: the one value is a glob whose literal part names no
/// home directory and whose pattern cannot climb out of its directory, and
/// NAME appears in the whole input only as `$NAME`, `${NAME}` or
/// `${NAME%…}`, or after `-` (an option letter). The input also holds none
/// of the [`REBINDERS`] and no `.` command. Then every value the loop gives
/// NAME is a name the glob matches (or, matching nothing, the pattern
/// itself): the loop is the only place NAME is set.
fn glob_binding(values: &[Arg], name: &str, input: &str) -> Option<String> {
    let [v] = values else { return None };
    let pattern = v.pattern.as_deref()?;
    if v.home
        || v.lit().is_some()
        || v.has_subst
        || pattern.starts_with('~')
        || pattern.split('/').any(|c| c == "..")
        || pattern.contains('$')
    {
        return None;
    }
    if REBINDERS.iter().any(|w| input.contains(w)) || dot_command(input) {
        return None;
    }
    let b = input.as_bytes();
    let ident = |c: u8| c == b'_' || c.is_ascii_alphanumeric();
    let mut seen_header = false;
    let mut from = 0;
    while let Some(i) = input[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        if (i > 0 && ident(b[i - 1])) || b.get(from).is_some_and(|&c| ident(c)) {
            continue;
        }
        let before = &input[..i];
        let after = &input[from..];
        let ok = (before.ends_with('$') && !before.ends_with("\\$"))
            || (before.ends_with("${") && (after.starts_with('}') || after.starts_with('%')))
            || before.ends_with('-');
        if ok {
            continue;
        }
        // The loop's own header, once.
        if !seen_header && before.trim_end().ends_with("for") {
            seen_header = true;
            continue;
        }
        return None;
    }
    Some(pattern.to_string())
}

/// Whether the input may run the `.` builtin (read a script into this shell).
fn dot_command(input: &str) -> bool {
    let b = input.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'.'
            && (i == 0
                || matches!(
                    b[i - 1],
                    b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b'{'
                ))
            && b.get(i + 1).is_none_or(|&n| matches!(n, b' ' | b'\t'))
    })
}

impl Analyzer<'_> {
    /// The script operand of a shell (`sh FILE`, `source FILE`) is read by
    /// the shell before any of it runs, and what it does not understand is
    /// printed in its errors (`FIRSTWORD: command not found`): the file is
    /// judged as a read, like `cat FILE`. Descriptors and the terminal are
    /// judged with the standard input.
    fn script_operand_read(&mut self, op: &Arg, base: &str, argv: &[Arg]) {
        if op
            .lit()
            .is_some_and(|p| p == "-" || p == "/dev/tty" || descriptor_path(p).is_some())
        {
            return;
        }
        self.check_file(
            op,
            crate::guards::filesystem::FileOperation::Read,
            argv,
            &format!("{base} script"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backquoted_text_loses_the_backslashes_bash_removes() {
        assert_eq!(
            unescape_backquoted(r#"echo "\$(id)""#, false),
            r#"echo "$(id)""#
        );
        assert_eq!(unescape_backquoted(r"a\\b \x", false), r"a\b \x");
        assert_eq!(unescape_backquoted(r#"\"x\""#, true), r#""x""#);
    }

    #[test]
    fn continued_lines_can_end_a_here_document() {
        assert!(heredoc_ends_early("EO\\\nF\nx\n", "EOF", false));
        assert!(!heredoc_ends_early("a\\\nb\n", "EOF", false));
        assert!(!heredoc_ends_early("plain\n", "EOF", false));
    }

    #[test]
    fn descriptor_paths() {
        assert_eq!(descriptor_path("/dev/fd/3"), Some(3));
        assert_eq!(descriptor_path("/proc/self/fd/4"), Some(4));
        assert_eq!(descriptor_path("/proc/123/fd/5"), Some(5));
        assert_eq!(descriptor_path("/dev/stdin"), Some(0));
        assert_eq!(descriptor_path("/etc/passwd"), None);
        for p in [
            "/dev/./stdin",
            "/dev//stdin",
            "/dev/../dev/stdin",
            "/dev/fd/./0",
            "/proc/self/fd//0",
            "/proc/thread-self/fd/0",
            "/proc/1/root/dev/stdin",
            "//dev/fd/0",
        ] {
            assert_eq!(descriptor_path(p), Some(0), "{p}");
        }
        assert_eq!(descriptor_path("dev/stdin"), None);
    }
}
