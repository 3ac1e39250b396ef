//! Which shell grammar reads a script, and whether a script means the same
//! to bash and to a POSIX `sh`.
//!
//! The analysis parses every script with bash's grammar. `sh` is dash on
//! Debian and Ubuntu, busybox ash elsewhere, bash in POSIX mode on others:
//! a script those run is only modelled when it holds no construct whose
//! meaning differs between bash and a POSIX shell (`$'…'`, a `'` inside a
//! double-quoted `${x:-…}`, `[[`, `function`, brace expansion, …). The
//! scan below follows the POSIX lexer up to the first such construct and
//! answers it; text it cannot follow with certainty is answered too.

/// The grammar a script is run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// bash: the grammar the analysis parses.
    Bash,
    /// A POSIX `sh` (dash, ash, posh, bash in POSIX mode), or a shell the
    /// script's text does not name for certain: only portable text is
    /// modelled.
    Posix,
    /// zsh, ksh, mksh, yash, hush: other grammars, not modelled.
    Other,
}

/// The grammar of the shell a label names (`sh -c`, `bash x.sh`, `dash`).
/// `None`: the label runs its text in the current shell (`eval`, `trap`,
/// `source`, an alias body).
pub(crate) fn of_label(label: &str) -> Option<Dialect> {
    let first = label.split_whitespace().next().unwrap_or_default();
    let base = first.rsplit('/').next().unwrap_or(first);
    match base {
        "eval" | "trap" | "source" | "." | "alias" => None,
        "bash" | "rbash" => Some(Dialect::Bash),
        "zsh" | "ksh" | "ksh93" | "mksh" | "lksh" | "pdksh" | "oksh" | "yash" | "hush" => {
            Some(Dialect::Other)
        }
        // sh, dash, ash, posh, and wrappers that hand a string to `sh -c`
        // or to a shell they do not name (watch, su, ssh, flock, npx -c, …).
        _ => Some(Dialect::Posix),
    }
}

/// The grammar of a script run under `wrappers` (outermost first) by
/// `label`: the innermost shell that runs it; bash at the top level.
pub(crate) fn of_script(wrappers: &[String], label: &str) -> Dialect {
    std::iter::once(label)
        .chain(wrappers.iter().rev().map(String::as_str))
        .find_map(of_label)
        .unwrap_or(Dialect::Bash)
}

/// The grammar a `#!` line names; `None` without one.
pub(crate) fn of_shebang(first_line: &str) -> Option<Dialect> {
    let rest = first_line.strip_prefix("#!")?;
    let mut words = rest.split_whitespace();
    let mut prog = words.next().unwrap_or_default();
    if prog.rsplit('/').next() == Some("env") {
        prog = words.find(|w| !w.starts_with('-')).unwrap_or_default();
    }
    Some(of_label(prog).unwrap_or(Dialect::Posix))
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Unquoted text, at the top or inside `$(…)` (with its open parens).
    Code(usize),
    Double,
    /// Inside `${…}`; whether the expansion is inside double quotes.
    Param(bool),
}

/// The first construct of `text` whose meaning differs between bash and a
/// POSIX `sh`, or that this scan cannot follow; `None` when the text reads
/// the same in both.
pub(crate) fn posix_gap(text: &str) -> Option<&'static str> {
    // A backslash-newline is removed before tokens are formed (outside
    // single quotes): scan the joined text too.
    scan(text).or_else(|| {
        let joined = text.replace("\\\n", "");
        if joined.len() == text.len() {
            None
        } else {
            scan(&joined)
        }
    })
}

const RESERVED_LEAD: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "time", "!", "{",
];

fn scan(text: &str) -> Option<&'static str> {
    let c: Vec<char> = text.chars().collect();
    let n = c.len();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut stack: Vec<Mode> = vec![Mode::Code(0)];
    // Pending here-documents: (delimiter, strip tabs, quoted).
    let mut pending: Vec<(String, bool, bool)> = Vec::new();
    let mut cmd_pos = true;
    let mut i = 0;
    while i < n {
        let ch = c[i];
        let Some(&mode) = stack.last() else {
            return Some("an unbalanced substitution");
        };
        if ch == '`' {
            // A command substitution in backquotes: its text, unescaped,
            // is scanned as a script of its own.
            let Some(close) = (i + 1..n)
                .scan(false, |esc, k| {
                    let hit = !*esc && c[k] == '`';
                    *esc = !*esc && c[k] == '\\';
                    Some((k, hit))
                })
                .find(|(_, hit)| *hit)
                .map(|(k, _)| k)
            else {
                return Some("an unterminated backquote");
            };
            let inner: String = c[i + 1..close].iter().collect();
            if inner.contains(['\'', '"', '\n']) {
                return Some("a quote or newline inside backquotes");
            }
            let inner = inner
                .replace("\\$", "$")
                .replace("\\`", "`")
                .replace("\\\\", "\\");
            if let Some(gap) = scan(&inner) {
                return Some(gap);
            }
            i = close + 1;
            continue;
        }
        match mode {
            Mode::Code(depth) => {
                let prev = if i == 0 { '\n' } else { c[i - 1] };
                match ch {
                    '\\' => {
                        i += 2;
                        cmd_pos = false;
                        continue;
                    }
                    '\'' => {
                        let Some(close) = (i + 1..n).find(|&k| c[k] == '\'') else {
                            return Some("an unterminated quote");
                        };
                        i = close + 1;
                        cmd_pos = false;
                        continue;
                    }
                    '"' => stack.push(Mode::Double),
                    '$' => match at(i + 1) {
                        '\'' => return Some("$'…' quoting (bash only)"),
                        '"' => return Some("$\"…\" quoting (bash only)"),
                        '[' => return Some("$[…] arithmetic (bash only)"),
                        '{' => {
                            stack.push(Mode::Param(false));
                            i += 2;
                            continue;
                        }
                        '(' => {
                            stack.push(Mode::Code(1));
                            i += 2;
                            cmd_pos = true;
                            continue;
                        }
                        _ => {}
                    },
                    '#' => {
                        if matches!(prev, '(' | ')' | '<' | '>') {
                            return Some("a # right after a parenthesis or redirection");
                        }
                        if matches!(prev, ' ' | '\t' | '\n' | ';' | '&' | '|') {
                            while i < n && c[i] != '\n' {
                                i += 1;
                            }
                            continue;
                        }
                    }
                    '\n' => {
                        cmd_pos = true;
                        if !pending.is_empty() {
                            if stack.len() > 1 {
                                return Some("a here-document inside a substitution");
                            }
                            let Some(next) = here_bodies(&c, i + 1, &mut pending) else {
                                return Some("an expanded here-document body with $, ` or \\");
                            };
                            i = next;
                            continue;
                        }
                    }
                    ';' => {
                        if at(i + 1) == '&' {
                            return Some("a ;& or ;;& case fallthrough (bash only)");
                        }
                        cmd_pos = true;
                    }
                    '&' => {
                        if at(i + 1) == '>' {
                            return Some("an &> redirection (bash only)");
                        }
                        cmd_pos = true;
                    }
                    '|' => {
                        if at(i + 1) == '&' {
                            return Some("a |& pipe (bash only)");
                        }
                        cmd_pos = true;
                    }
                    '<' | '>' => {
                        if at(i + 1) == '(' {
                            return Some("process substitution (bash only)");
                        }
                        if ch == '<' && at(i + 1) == '<' {
                            if at(i + 2) == '<' {
                                return Some("a <<< here-string (bash only)");
                            }
                            let mut k = i + 2;
                            let strip = at(k) == '-';
                            if strip {
                                k += 1;
                            }
                            while matches!(at(k), ' ' | '\t') {
                                k += 1;
                            }
                            let start = k;
                            while k < n && !" \t\n;&|<>()".contains(c[k]) {
                                k += 1;
                            }
                            let word: String = c[start..k].iter().collect();
                            if word.is_empty() || word.contains(['$', '`']) {
                                return Some("a here-document delimiter that is not a plain word");
                            }
                            let quoted = word.contains(['\'', '"', '\\']);
                            let delim: String =
                                word.chars().filter(|x| !"'\"\\".contains(*x)).collect();
                            pending.push((delim, strip, quoted));
                            i = k;
                            continue;
                        }
                    }
                    '(' => {
                        if at(i + 1) == '(' && prev != '$' {
                            return Some("a (( … )) command (bash only)");
                        }
                        if i > 0 && "@?*+!=".contains(prev) {
                            return Some("an extended glob or array (bash only)");
                        }
                        if depth > 0 {
                            stack.pop();
                            stack.push(Mode::Code(depth + 1));
                        }
                        cmd_pos = true;
                    }
                    ')' => {
                        if depth > 0 {
                            stack.pop();
                            if depth > 1 {
                                stack.push(Mode::Code(depth - 1));
                            }
                        }
                        cmd_pos = true;
                    }
                    '{' => {
                        if let Some(gap) = brace_gap(&c, i) {
                            return Some(gap);
                        }
                    }
                    ' ' | '\t' => {}
                    _ => {
                        // A word: reserved words bash has and sh has not.
                        let start = i;
                        let mut k = i;
                        while k < n && !" \t\n;&|<>()'\"`\\$".contains(c[k]) {
                            k += 1;
                        }
                        let word: String = c[start..k].iter().collect();
                        if word == "[[" {
                            return Some("a [[ … ]] test (bash only)");
                        }
                        if cmd_pos
                            && matches!(
                                word.as_str(),
                                "function" | "select" | "coproc" | "shopt" | "[["
                            )
                        {
                            return Some("a bash reserved word (function, select, coproc, shopt)");
                        }
                        if (depth > 0 || stack.len() > 1) && word == "case" {
                            return Some("a case command inside a substitution");
                        }
                        for p in start..k {
                            if c[p] == '{' {
                                if let Some(gap) = brace_gap(&c, p) {
                                    return Some(gap);
                                }
                            }
                        }
                        cmd_pos = RESERVED_LEAD.contains(&word.as_str())
                            || (cmd_pos && word.contains('='));
                        if k > start {
                            i = k;
                            continue;
                        }
                    }
                }
                i += 1;
            }
            Mode::Double => {
                match ch {
                    '\\' => {
                        i += 2;
                        continue;
                    }
                    '"' => {
                        stack.pop();
                        cmd_pos = false;
                    }
                    '$' if at(i + 1) == '{' => {
                        stack.push(Mode::Param(true));
                        i += 2;
                        continue;
                    }
                    '$' if at(i + 1) == '(' => {
                        stack.push(Mode::Code(1));
                        i += 2;
                        cmd_pos = true;
                        continue;
                    }
                    '$' if at(i + 1) == '[' => return Some("$[…] arithmetic (bash only)"),
                    _ => {}
                }
                i += 1;
            }
            Mode::Param(in_double) => {
                match ch {
                    '}' => {
                        stack.pop();
                    }
                    '\\' => {
                        i += 2;
                        continue;
                    }
                    '\'' if in_double => {
                        return Some("a ' inside a double-quoted ${…} (a quote in bash, a character in dash)");
                    }
                    '"' if in_double => {
                        return Some("a \" inside a double-quoted ${…}");
                    }
                    '\'' => {
                        let Some(close) = (i + 1..n).find(|&k| c[k] == '\'') else {
                            return Some("an unterminated quote");
                        };
                        i = close + 1;
                        continue;
                    }
                    '"' => stack.push(Mode::Double),
                    '{' | '\n' => return Some("a { or newline inside ${…}"),
                    '$' if at(i + 1) == '{' => {
                        stack.push(Mode::Param(in_double));
                        i += 2;
                        continue;
                    }
                    '$' if at(i + 1) == '(' => {
                        stack.push(Mode::Code(1));
                        i += 2;
                        continue;
                    }
                    '$' if matches!(at(i + 1), '\'' | '"' | '[') => {
                        return Some("bash-only quoting inside ${…}");
                    }
                    _ => {}
                }
                i += 1;
            }
        }
    }
    if stack.len() != 1 {
        return Some("an unterminated quote or substitution");
    }
    if !pending.is_empty() {
        return Some("a here-document without a body");
    }
    None
}

/// Brace expansion `{a,b}`, `{1..3}` and the `{fd}>` redirection, bash
/// only: a comma or `..` before the next `}` on the line is enough.
fn brace_gap(c: &[char], i: usize) -> Option<&'static str> {
    let n = c.len();
    let k = (i + 1..n)
        .take_while(|&k| c[k] != '\n')
        .find(|&k| c[k] == '}')?;
    let inner: String = c[i + 1..k].iter().collect();
    if inner.contains(',') || inner.contains("..") {
        return Some("brace expansion (bash only)");
    }
    if !inner.is_empty()
        && inner.chars().all(|x| x.is_ascii_alphanumeric() || x == '_')
        && matches!(c.get(k + 1), Some('<' | '>'))
    {
        return Some("a {name} redirection (bash only)");
    }
    None
}

/// Skips the bodies of the pending here-documents from `i` (the start of
/// the line after their operators); the index after the last delimiter
/// line, or `None` (answered) for a body this scan does not follow.
fn here_bodies(c: &[char], mut i: usize, pending: &mut Vec<(String, bool, bool)>) -> Option<usize> {
    let n = c.len();
    for (delim, strip, quoted) in pending.drain(..) {
        loop {
            if i >= n {
                // Ended by the end of the text: both shells take the rest
                // as the body.
                return Some(n);
            }
            let end = (i..n).find(|&k| c[k] == '\n').unwrap_or(n);
            let line: String = c[i..end].iter().collect();
            let cmp = if strip {
                line.trim_start_matches('\t')
            } else {
                line.as_str()
            };
            i = (end + 1).min(n);
            if cmp == delim {
                break;
            }
            // An unquoted body is expanded: quoting inside its `${…}` and
            // its line continuations differ between the shells.
            if !quoted && line.contains(['$', '`', '\\']) {
                return None;
            }
        }
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_scripts_have_no_gap() {
        for s in [
            "cd src && make",
            "echo hi; ls -la | wc -l",
            "for f in *.txt; do wc -l \"$f\"; done",
            "if [ -f x ]; then cat x; fi",
            "grep -c '^x$' a.txt",
            "echo \"${HOME:-/tmp}/x\" $((1 + 2)) $(pwd)",
            "find . -name '*.o' -exec rm {} \\;",
            "case $1 in a) echo a ;; *) echo b ;; esac",
            "cat <<'EOF'\nit's $x\nEOF\necho done",
            "x=1 y=2 make test # don't",
            "f() { echo x; }; f",
            "git log --format='%h %s' -n 3",
        ] {
            assert_eq!(posix_gap(s), None, "{s}");
        }
    }

    #[test]
    fn bash_only_constructs_are_gaps() {
        for s in [
            "echo $'\\' ; cat ~/.ssh/id_rsa #'",
            "echo \"${x:-'}\" ; cat ~/.ssh/id_rsa ; : \"'}\"",
            "echo \"${x+'}\" ; rm -rf ~ ; : \"'}\"",
            "echo \"${x=' }\" ; rm -rf ~ ; : \"'}\"",
            "echo \"${x:-\\}'}\" ; rm -rf ~ ; : \"'}\"",
            "echo $\\\n'\\' ; rm -rf ~ #'",
            "echo $\"x\"",
            "[[ x > ~/.bashrc ]]",
            "(( x > 5 ))",
            "function f {\nrm -rf ~\n}",
            "a=(1 2)",
            "cp x{,.bak}",
            "echo {1..3}",
            "diff <(ls) <(ls a)",
            "cat <<< x",
            "ls &> out",
            "ls |& cat",
            "exec {fd}> out",
            "case x in a) echo ;& esac",
            "echo $[1+2]",
            "echo \"unterminated",
            "cat <<EOF\n${x:-'}\nEOF",
            "echo `echo 'x'`",
            "select x in a; do rm -rf ~; done",
            "shopt -s extglob",
        ] {
            assert!(posix_gap(s).is_some(), "{s}");
        }
    }

    #[test]
    fn labels_and_shebangs() {
        assert_eq!(of_script(&[], "sh -c"), Dialect::Posix);
        assert_eq!(of_script(&[], "dash"), Dialect::Posix);
        assert_eq!(of_script(&[], "bash -c"), Dialect::Bash);
        assert_eq!(of_script(&["sh -c".into()], "eval"), Dialect::Posix);
        assert_eq!(of_script(&["sh -c".into()], "bash -c"), Dialect::Bash);
        assert_eq!(of_script(&[], "eval"), Dialect::Bash);
        assert_eq!(of_script(&[], "zsh -c"), Dialect::Other);
        assert_eq!(of_shebang("#!/bin/sh"), Some(Dialect::Posix));
        assert_eq!(of_shebang("#!/usr/bin/env bash"), Some(Dialect::Bash));
        assert_eq!(of_shebang("#!/bin/zsh"), Some(Dialect::Other));
        assert_eq!(of_shebang("echo"), None);
    }
}
