//! Languages inside arguments: `sed` scripts, `awk` programs, and the
//! option syntax of archivers and remote-copy tools whose operands are
//! files (`tar`, `unzip`, `rsync`, `scp`, `ssh -F`), read the way the
//! programs read them. What cannot be read is `UNMODELLED_*`.

use super::normalize::{clip, Arg};
use super::options::{scan, Item, Opt, Syntax};
use super::walk::Analyzer;
use super::wrappers::scan_options;
use super::Span;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};
use FileOperation::{Delete, Read, Write};

/// What a sed script does besides editing the stream.
#[derive(Debug, PartialEq)]
pub(crate) enum SedEffect {
    /// Runs a shell command (`e`, the `e` flag of `s`).
    Exec,
    /// Writes a file (`w`, `W`, the `w` flag of `s`).
    Write(String),
    /// Reads a file (`r`, `R`).
    Read(String),
    /// Something this parser does not read.
    Unparsed(String),
}

/// Parse a sed script (GNU syntax) into its effects.
pub(crate) fn sed_effects(script: &str) -> Vec<SedEffect> {
    let c: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let n = c.len();
    let rest_of_line = |i: &mut usize| -> String {
        let start = *i;
        while *i < n && c[*i] != '\n' {
            *i += 1;
        }
        c[start..*i].iter().collect::<String>()
    };
    // Skip a regex delimited by `d`; false when unterminated.
    let skip_re = |i: &mut usize, d: char| -> bool {
        while *i < n {
            if c[*i] == '\\' {
                *i += 2;
                continue;
            }
            if c[*i] == d {
                *i += 1;
                return true;
            }
            if c[*i] == '\n' && d != '\n' {
                return false;
            }
            *i += 1;
        }
        false
    };
    while i < n {
        let ch = c[i];
        if ch.is_whitespace() || ch == ';' || ch == '}' {
            i += 1;
            continue;
        }
        if ch == '#' {
            rest_of_line(&mut i);
            continue;
        }
        // Addresses.
        let mut addr_ok = true;
        for part in 0..2 {
            if part == 1 {
                if i < n && c[i] == ',' {
                    i += 1;
                    while i < n && c[i] == ' ' {
                        i += 1;
                    }
                    if i < n && (c[i] == '+' || c[i] == '~') {
                        i += 1;
                    }
                } else {
                    break;
                }
            }
            if i < n && c[i].is_ascii_digit() {
                while i < n && (c[i].is_ascii_digit() || c[i] == '~') {
                    i += 1;
                }
            } else if i < n && c[i] == '$' {
                i += 1;
            } else if i < n && (c[i] == '/' || c[i] == '\\') {
                let d = if c[i] == '\\' {
                    i += 1;
                    match c.get(i) {
                        Some(d) => *d,
                        None => {
                            addr_ok = false;
                            break;
                        }
                    }
                } else {
                    '/'
                };
                i += 1;
                if !skip_re(&mut i, d) {
                    addr_ok = false;
                    break;
                }
                while i < n && (c[i] == 'I' || c[i] == 'M') {
                    i += 1;
                }
            }
        }
        if !addr_ok {
            out.push(SedEffect::Unparsed("an unterminated address".into()));
            return out;
        }
        while i < n && (c[i] == ' ' || c[i] == '\t' || c[i] == '!') {
            i += 1;
        }
        let Some(&cmd) = c.get(i) else { break };
        i += 1;
        match cmd {
            '{' | '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x' | 'z'
            | 'F' => {}
            'q' | 'Q' | 'l' | 'L' => {
                while i < n && (c[i] == ' ' || c[i].is_ascii_digit()) {
                    i += 1;
                }
            }
            ':' | 'b' | 't' | 'T' | 'v' => {
                // GNU sed 4.9 ends a label at a blank or `;`, and reads what
                // follows as the next command; older versions take the rest
                // of the line as the label. Text after a label and a blank
                // is read differently by the two: not modelled.
                while i < n && (c[i] == ' ' || c[i] == '\t') {
                    i += 1;
                }
                while i < n && !matches!(c[i], ';' | '\n' | ' ' | '\t') {
                    i += 1;
                }
                while i < n && (c[i] == ' ' || c[i] == '\t') {
                    i += 1;
                }
                if i < n && !matches!(c[i], ';' | '\n') {
                    out.push(SedEffect::Unparsed(format!(
                        "text after the label of {cmd:?} on the same line"
                    )));
                    return out;
                }
            }
            'a' | 'i' | 'c' => {
                // Text to the end of the line. A backslash escapes the next
                // character: before a newline it continues the text, so the
                // text ends at the first newline after an even number of
                // backslashes (`foo\\` ends its line; the next line is a
                // command).
                while i < n && c[i] != '\n' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            'r' | 'R' | 'w' | 'W' => {
                let f = rest_of_line(&mut i).trim_start().to_string();
                out.push(if cmd == 'r' || cmd == 'R' {
                    SedEffect::Read(f)
                } else {
                    SedEffect::Write(f)
                });
            }
            'e' => {
                out.push(SedEffect::Exec);
                rest_of_line(&mut i);
            }
            's' | 'y' => {
                let Some(&d) = c.get(i) else {
                    out.push(SedEffect::Unparsed("an unterminated s command".into()));
                    return out;
                };
                if d == '\n' || d == '\\' {
                    out.push(SedEffect::Unparsed(format!("{cmd} with delimiter {d:?}")));
                    return out;
                }
                i += 1;
                // The replacement may hold escaped newlines.
                let mut parts = 0;
                while parts < 2 && i < n {
                    if c[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if c[i] == d {
                        parts += 1;
                    }
                    i += 1;
                }
                if parts < 2 {
                    out.push(SedEffect::Unparsed(format!(
                        "an unterminated {cmd} command"
                    )));
                    return out;
                }
                if cmd == 'y' {
                    continue;
                }
                while i < n {
                    match c[i] {
                        'g' | 'p' | 'i' | 'I' | 'm' | 'M' => i += 1,
                        d if d.is_ascii_digit() => i += 1,
                        'e' => {
                            out.push(SedEffect::Exec);
                            i += 1;
                        }
                        'w' => {
                            i += 1;
                            let f = rest_of_line(&mut i).trim_start().to_string();
                            out.push(SedEffect::Write(f));
                        }
                        ';' | '\n' | '}' | ' ' | '\t' | '#' => break,
                        other => {
                            out.push(SedEffect::Unparsed(format!("the s flag {other:?}")));
                            return out;
                        }
                    }
                }
            }
            other => {
                out.push(SedEffect::Unparsed(format!("the command {other:?}")));
                return out;
            }
        }
    }
    out
}

/// What an awk program can do besides reading its input and printing.
pub(crate) fn awk_effects(prog: &str) -> Option<&'static str> {
    let c: Vec<char> = prog.chars().collect();
    let n = c.len();
    let mut i = 0;
    let mut in_print = false;
    let mut depth = 0i32;
    let mut word = String::new();
    let flush = |word: &mut String, in_print: &mut bool, depth: &mut i32| -> Option<&'static str> {
        let w = std::mem::take(word);
        match w.as_str() {
            "system" => return Some("calls system()"),
            "getline" => return Some("uses getline, which reads files or command output"),
            "ENVIRON" | "PROCINFO" => return Some("reads the environment"),
            "print" | "printf" => {
                *in_print = true;
                *depth = 0;
            }
            _ => {}
        }
        None
    };
    // Whether the last token ends an operand: a `/` after one divides, any
    // other `/` starts a regular expression (awk's own rule). `None`: a
    // token after which awks differ (`length`, `++`, `--`).
    let mut operand = Some(false);
    while i < n {
        let ch = c[i];
        if ch.is_ascii_alphanumeric() || ch == '_' || (ch == '.' && !word.is_empty()) {
            word.push(ch);
            i += 1;
            continue;
        }
        if !word.is_empty() {
            operand = match word.as_str() {
                "print" | "printf" | "return" | "case" | "exit" | "do" | "else" | "in"
                | "getline" => Some(false),
                "length" => None,
                _ => Some(true),
            };
            if let Some(e) = flush(&mut word, &mut in_print, &mut depth) {
                return Some(e);
            }
        }
        if ch == '/' {
            match operand {
                None => {
                    return Some("has a / after a token awks read differently (length, ++, --)")
                }
                Some(true) => {
                    // Division. Where awk might take a regular expression
                    // instead, text up to the next `/` must not open a
                    // string or a comment that would hide code.
                    let line_end = (i + 1..n).find(|&k| c[k] == '\n').unwrap_or(n);
                    if let Some(k) = (i + 1..line_end).find(|&k| c[k] == '/') {
                        if c[i + 1..k].iter().any(|x| *x == '#' || *x == '"') {
                            return Some(
                                "has a / that may start a regular expression holding # or \"",
                            );
                        }
                    }
                    operand = Some(false);
                    i += 1;
                    continue;
                }
                Some(false) => {
                    // A regular expression literal: `#` and `"` inside are
                    // characters, not a comment or a string.
                    i += 1;
                    let mut bracket = false;
                    loop {
                        match c.get(i) {
                            None | Some('\n') => return Some("has an unterminated regular expression"),
                            Some('\\') => i += 2,
                            Some('[') if bracket && c.get(i + 1) == Some(&':') => {
                                // `[:alpha:]` inside a bracket expression.
                                i += 2;
                                while i < n && !(c[i] == ':' && c.get(i + 1) == Some(&']')) {
                                    if c[i] == '/' || c[i] == '\n' {
                                        return Some("has a character class awks end differently");
                                    }
                                    i += 1;
                                }
                                i += 2;
                            }
                            Some('[') if !bracket => {
                                bracket = true;
                                i += 1;
                                // A `]` first in the bracket is a character.
                                if c.get(i) == Some(&'^') {
                                    i += 1;
                                }
                                if c.get(i) == Some(&']') {
                                    i += 1;
                                }
                            }
                            Some(']') => {
                                bracket = false;
                                i += 1;
                            }
                            Some('/') if bracket => {
                                return Some("has a / inside a bracket expression of a regular expression, which awks end differently")
                            }
                            Some('/') => break,
                            Some(_) => i += 1,
                        }
                    }
                    operand = Some(true);
                    i += 1;
                    continue;
                }
            }
        }
        operand = match ch {
            ')' | ']' | '"' => Some(true),
            '+' | '-' if c.get(i + 1) == Some(&ch) => None,
            ' ' | '\t' => operand,
            '\\' if c.get(i + 1) == Some(&'\n') => {
                i += 2;
                continue;
            }
            _ => Some(false),
        };
        if operand.is_none() {
            i += 2;
            continue;
        }
        match ch {
            '"' => {
                i += 1;
                while i < n && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '#' => {
                while i < n && c[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '@' => return Some("uses @ (an indirect call, @load or @include)"),
            '|' => {
                if c.get(i + 1) == Some(&'|') {
                    i += 2;
                    continue;
                }
                return Some("pipes to or from a command");
            }
            '>' if in_print && depth <= 0 => return Some("prints into a file"),
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' | '\n' | '}' | '{' => in_print = false,
            _ => {}
        }
        i += 1;
    }
    if !word.is_empty() {
        if let Some(e) = flush(&mut word, &mut in_print, &mut depth) {
            return Some(e);
        }
    }
    None
}

fn is_stdin_name(v: &str) -> bool {
    v == "-" || super::wrappers::is_stdin_path(v) || super::shell::descriptor_path(v).is_some()
}

impl Analyzer<'_> {
    /// sed scripts and awk programs, and the tools whose options are small
    /// languages.
    pub(crate) fn check_mini_languages(&mut self, argv: &[Arg], base: &str) {
        let lower = super::programs::canonical(base);
        match lower.as_str() {
            "sed" | "gsed" => self.sed(argv, base),
            "awk" | "gawk" | "mawk" | "nawk" => self.awk(argv, base),
            "less" | "more" => {
                if let Some(a) = argv.iter().skip(1).find(|a| {
                    a.lit().is_some_and(|v| {
                        (v.starts_with('+') && v.len() > 1)
                            || v == "-k"
                            || v.starts_with("--lesskey")
                    })
                }) {
                    self.unmodelled(
                        DecisionCode::InlineCode,
                        format!(
                            "{base}: {} gives commands to the pager (which can run shell commands)",
                            clip(&a.shown())
                        ),
                        a.span,
                        argv,
                    );
                }
            }
            _ => {}
        }
    }

    fn sed(&mut self, argv: &[Arg], base: &str) {
        let with_arg = ["-e", "--expression", "-f", "--file", "-l", "--line-length"];
        let mut scripts: Vec<Arg> = Vec::new();
        let mut explicit = false;
        let mut sandbox = false;
        let mut i = 1;
        let mut first_operand = None;
        while i < argv.len() {
            let scan = scan_options(argv, i, &with_arg);
            for (opt, idx, inline) in &scan.opts {
                let value = match (idx, inline) {
                    (Some(k), _) => argv.get(*k).cloned(),
                    (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                    _ => None,
                };
                match opt.as_str() {
                    "-e" | "--expression" => {
                        explicit = true;
                        scripts.extend(value);
                    }
                    "-f" | "--file" => {
                        explicit = true;
                        let shown = value.as_ref().map_or(String::new(), Arg::shown);
                        let stdin = value
                            .as_ref()
                            .and_then(|v| v.lit())
                            .is_none_or(is_stdin_name);
                        self.unmodelled(
                            if stdin { DecisionCode::InlineCode } else { DecisionCode::UnmodelledProgram },
                            format!("{base} -f {}: the script is read from a file whose content is not analysed", clip(&shown)),
                            value.as_ref().map_or(argv[0].span, |v| v.span),
                            argv,
                        );
                    }
                    "--sandbox" => sandbox = true,
                    _ => {}
                }
            }
            if scan.first >= argv.len() {
                break;
            }
            if first_operand.is_none() {
                first_operand = Some(scan.first);
            }
            if scan.first > i && argv[scan.first - 1].is("--") {
                break;
            }
            i = scan.first + 1;
        }
        if !explicit {
            if let Some(k) = first_operand {
                scripts.push(argv[k].clone());
            }
        }
        // sed joins its -e scripts with newlines before it parses them: a
        // text or a block can run from one into the next.
        let mut joined: Vec<&str> = Vec::new();
        for s in &scripts {
            if let Some(text) = s.lit() {
                joined.push(text);
            }
        }
        let whole = joined.join("\n");
        if scripts.len() > 1 && scripts.iter().all(|s| s.lit().is_some()) {
            let at = scripts[0].span;
            scripts = vec![Arg::literal(&whole, at)];
        }
        for s in scripts {
            let Some(text) = s.lit() else {
                self.unmodelled(
                    DecisionCode::InlineCode,
                    format!(
                        "{base}: the script {} is computed at run time",
                        clip(&s.text)
                    ),
                    s.span,
                    argv,
                );
                continue;
            };
            for e in sed_effects(text) {
                match e {
                    SedEffect::Exec if !sandbox => self.unmodelled(
                        DecisionCode::InlineCode,
                        format!("{base}: the script runs shell commands ({})", clip(text)),
                        s.span,
                        argv,
                    ),
                    SedEffect::Write(f) if !sandbox => {
                        let t = Arg::literal(&f, s.span);
                        self.check_file(&t, Write, argv, &format!("{base} w"));
                    }
                    SedEffect::Read(f) if !sandbox => {
                        let t = Arg::literal(&f, s.span);
                        self.check_file(&t, Read, argv, &format!("{base} r"));
                    }
                    SedEffect::Unparsed(what) => self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "{base}: the script {} has {what}, which is not modelled",
                            clip(text)
                        ),
                        s.span,
                        argv,
                    ),
                    _ => {}
                }
            }
        }
    }

    fn awk(&mut self, argv: &[Arg], base: &str) {
        let with_arg = [
            "-F",
            "-v",
            "-f",
            "--file",
            "--field-separator",
            "--assign",
            "-i",
            "--include",
            "-l",
            "--load",
            "-E",
            "--exec",
            "-e",
            "--source",
        ];
        let scan = scan_options(argv, 1, &with_arg);
        let mut programs: Vec<Arg> = Vec::new();
        let mut has_file = false;
        for (opt, idx, inline) in &scan.opts {
            let value = match (idx, inline) {
                (Some(k), _) => argv.get(*k).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            };
            match opt.as_str() {
                "-f" | "--file" | "-i" | "--include" | "-l" | "--load" | "-E" | "--exec" => {
                    has_file = true;
                    let shown = value.as_ref().map_or(String::new(), Arg::shown);
                    let stdin = value
                        .as_ref()
                        .and_then(|v| v.lit())
                        .is_none_or(is_stdin_name);
                    self.unmodelled(
                        if stdin { DecisionCode::InlineCode } else { DecisionCode::UnmodelledProgram },
                        format!("{base} {opt} {}: program text or an extension loaded from a file is not analysed", clip(&shown)),
                        value.as_ref().map_or(argv[0].span, |v| v.span),
                        argv,
                    );
                }
                "-e" | "--source" => programs.extend(value),
                _ => {}
            }
        }
        if !has_file && programs.is_empty() {
            programs.extend(argv.get(scan.first).cloned());
        }
        for p in programs {
            match p.lit() {
                Some(text) => {
                    if let Some(what) = awk_effects(text) {
                        self.unmodelled(
                            DecisionCode::InlineCode,
                            format!("{base}: the program {what}"),
                            p.span,
                            argv,
                        );
                    }
                }
                None => self.unmodelled(
                    DecisionCode::InlineCode,
                    format!(
                        "{base}: the program {} is computed at run time",
                        clip(&p.text)
                    ),
                    p.span,
                    argv,
                ),
            }
        }
    }

    /// See [`Analyzer::extract_into`].
    pub(crate) fn extract_into_pub(&mut self, dir: &Arg, argv: &[Arg], via: &str) {
        self.extract_into(dir, argv, via);
    }

    /// Extracting into `dir` files whose names are not known: refused
    /// unless the filesystem policy would let every protected entry below
    /// `dir` be written.
    fn extract_into(&mut self, dir: &Arg, argv: &[Arg], via: &str) {
        self.write_tree_into(
            dir,
            argv,
            via,
            &[
                ".git/hooks/pre-commit",
                ".git/config",
                ".bashrc",
                ".ssh/authorized_keys",
            ],
        );
    }

    /// Writing into `dir` files whose names are not known, as `probes`
    /// (names relative to `dir`) stand for: refused unless the filesystem
    /// policy would let each of them be written.
    pub(crate) fn write_tree_into(&mut self, dir: &Arg, argv: &[Arg], via: &str, probes: &[&str]) {
        self.check_file(dir, Write, argv, via);
        let Some(d) = dir.lit().and_then(|v| {
            let home = v == "~" || v.starts_with("~/");
            self.resolve(v, home)
        }) else {
            return;
        };
        for &probe in probes {
            let p = format!("{}/{probe}", d.trim_end_matches('/'));
            let decision = self.fs.check(&FileRequest::new(&p, Write));
            if !decision.is_allowed() {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{via}: extracts files whose names are not known into {}, where {probe} is protected", clip(&d)),
                    dir.span,
                    argv,
                );
                return;
            }
        }
    }

    pub(crate) fn tar_files(&mut self, argv: &[Arg], base: &str) {
        let words = tar_words(argv);
        let archives = words.values('f', "--file");
        let dates = [
            words.values('N', "--newer"),
            words.values('\0', "--after-date"),
            words.values('\0', "--newer-mtime"),
            // `--mtime=DATE` stamps the members: a DATE naming a file
            // copies that file's time, the same stat as `--newer`.
            words.values('\0', "--mtime"),
        ]
        .concat();
        let strips = words.values('\0', "--strip-components");
        let starting = !words.values('K', "--starting-file").is_empty();
        let TarWords {
            letters,
            longs,
            mut operands,
            mut chdirs,
        } = words;
        // The last of an option and its negation decides.
        let last_of = |on: &str, off: &str, default: bool| {
            longs
                .iter()
                .rev()
                .find_map(|(x, _)| (x == on).then_some(true).or((x == off).then_some(false)))
                .unwrap_or(default)
        };
        // GNU tar decodes backslash escapes (`\056` is `.`) in every name it
        // takes from the command line, member names and `-C` directories
        // (`--unquote`, the default): the decoded name is the one judged.
        if last_of("--unquote", "--no-unquote", true) {
            for a in operands.iter_mut().chain(chdirs.iter_mut().map(|(_, d)| d)) {
                match tar_unquoted(a) {
                    Some(d) => *a = d,
                    None => self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{base}: {} holds a backslash escape, which tar decodes; only \\\\ and octal escapes of printable characters are modelled",
                            clip(&a.shown())
                        ),
                        a.span,
                        argv,
                    ),
                }
            }
        }
        // The directory for the operand at index k: the `-C`s before it.
        let dir_of = |k: usize| {
            let before: Vec<&Arg> = chdirs
                .iter()
                .filter(|(n, _)| *n <= k)
                .map(|(_, d)| d)
                .collect();
            tar_dir(&before, argv[0].span)
        };
        let has = |c: char, l: &str| {
            letters.iter().any(|(x, _)| *x == c) || longs.iter().any(|(x, _)| x == l)
        };
        for (ch, _) in &letters {
            if matches!(ch, 'I' | 'F') {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::DangerousFlag,
                    format!("{base}: -{ch} runs a program given on the command line"),
                    super::dangers::command_span(argv),
                    argv,
                    None,
                );
            }
        }
        // `-T FILE`, attached (`-Tlist`, `-T-`) or clustered (`cfT A L`):
        // the names to archive are read from a file or the input.
        if let Some((_, list)) = letters.iter().find(|(c, _)| *c == 'T') {
            let shown = list.as_ref().map_or(String::new(), |l| clip(&l.shown()));
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("{base}: -T {shown} reads the file names it works on from a file"),
                super::dangers::command_span(argv),
                argv,
            );
        }
        // `-N DATE`/`--newer`/`--after-date`/`--newer-mtime`/`--mtime`: a DATE that
        // starts with `/` or `.` is a file whose mtime tar takes (a stat,
        // judged as `stat FILE`). A value computed at run time may start
        // so unless its literal start is something else (`2024-$m-01`).
        for d in &dates {
            let starts_as_file = |v: &str| v.starts_with(['/', '.', '~']);
            let file = match d.lit() {
                Some(v) => starts_as_file(v),
                None => d.prefix.is_empty() || starts_as_file(&d.prefix),
            };
            if d.home || file {
                self.check_file(d, FileOperation::Read, argv, "tar --newer");
            }
        }
        let removes = longs.iter().any(|(x, _)| x == "--remove-files");
        let creates = has('c', "--create")
            || has('r', "--append")
            || has('u', "--update")
            || has('A', "--catenate")
            || has('A', "--concatenate");
        // `-d` (`--diff`, `--compare`) reads the file of each member's name
        // on disk to compare it with the member.
        let compares = has('d', "--diff") || has('d', "--compare");
        let extracts = has('x', "--extract") || longs.iter().any(|(x, _)| x == "--get");
        for a in &archives {
            // A `host:file` archive is remote (and runs rsh); `-` is a stream.
            if a.lit()
                .is_some_and(|v| v.contains(':') && !v.starts_with('/'))
            {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base}: the archive {} is on another host",
                        clip(&a.shown())
                    ),
                    a.span,
                    argv,
                );
                continue;
            }
            self.check_file(
                a,
                if creates { Write } else { Read },
                argv,
                &format!("{base} -f"),
            );
        }
        if has('P', "--absolute-names") && extracts {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("{base}: -P extracts members at absolute paths"),
                super::dangers::command_span(argv),
                argv,
            );
        }
        if compares && !creates && !extracts {
            if has('P', "--absolute-names") {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{base}: -P compares members at absolute paths"),
                    super::dangers::command_span(argv),
                    argv,
                );
            }
            if operands.is_empty() {
                // Without member names every member of the archive is
                // compared: the files below the directory (every `-C` in
                // turn) whose names the archive holds, which are not known.
                let mut dirs: Vec<Arg> = Vec::new();
                if chdirs.is_empty() {
                    dirs.push(Arg::literal(".", argv[0].span));
                }
                for n in 1..=chdirs.len() {
                    let before: Vec<&Arg> = chdirs[..n].iter().map(|(_, d)| d).collect();
                    dirs.extend(tar_dir(&before, argv[0].span));
                }
                for dir in dirs {
                    self.check_file(&dir, Read, argv, &format!("{base} -d"));
                    let walk = super::trees::Walk::default();
                    self.check_tree(
                        &dir,
                        Read,
                        &walk,
                        argv,
                        &format!(
                            "{base} -d (compares the files below {})",
                            clip(&dir.shown())
                        ),
                    );
                }
            }
        }
        if creates || (compares && !extracts) {
            for (k, o) in operands.iter().enumerate() {
                let dir = dir_of(k);
                let path = match (&dir, o.lit()) {
                    (Some(d), Some(v)) if !v.starts_with('/') && !v.starts_with('~') => match d
                        .lit()
                    {
                        Some(dv) => {
                            let mut j =
                                Arg::literal(&format!("{}/{v}", dv.trim_end_matches('/')), o.span);
                            j.home = dv == "~" || dv.starts_with("~/");
                            j
                        }
                        None => Arg::dynamic(&o.text, o.span),
                    },
                    _ => o.clone(),
                };
                self.check_file(&path, Read, argv, base);
                // A directory is archived with everything below it.
                let walk = super::trees::Walk::default();
                self.check_tree(
                    &path,
                    Read,
                    &walk,
                    argv,
                    &format!("{base} (walks {})", clip(&path.shown())),
                );
                if removes {
                    // `--remove-files` deletes every file and directory it
                    // archived: the whole tree, git directories included.
                    let walk = super::trees::Walk {
                        git_dirs: true,
                        ..super::trees::Walk::default()
                    };
                    self.check_tree(
                        &path,
                        Delete,
                        &walk,
                        argv,
                        &format!("{base} --remove-files (deletes {})", clip(&path.shown())),
                    );
                    // The name itself, taken in its `-C` directory.
                    self.check_file(&path, Delete, argv, &format!("{base} --remove-files"));
                }
            }
        } else if extracts {
            // Without member names every `-C` applies, in turn.
            let all: Vec<&Arg> = chdirs.iter().map(|(_, d)| d).collect();
            let target =
                tar_dir(&all, argv[0].span).unwrap_or_else(|| Arg::literal(".", argv[0].span));
            if operands.is_empty() {
                self.extract_into(&target, argv, &format!("{base} -x"));
                return;
            }
            // A member name is a pattern tar matches against the archive's
            // names: it names one known file only when matched whole
            // (`--anchored`, the default), case kept, without
            // `--starting-file`, and when it is not empty (`''`, `.`, `./`
            // match every member). Even then a member that is a directory
            // in the archive brings every name below it (unless
            // `--no-recursion`), and `--strip-components=N` drops the
            // first N components after matching: what is written is the
            // tree at the member's name less N components.
            let strip: Option<usize> = match strips.last() {
                None => Some(0),
                Some(n) => n.lit().and_then(|v| v.trim().parse().ok()),
            };
            let recursion = last_of("--recursion", "--no-recursion", true);
            let unknown = if !last_of("--anchored", "--no-anchored", true) {
                Some("--no-anchored (a member name matches after any `/`)")
            } else if last_of("--ignore-case", "--no-ignore-case", false) {
                Some("--ignore-case (a member name matches in any case)")
            } else if starting {
                Some("--starting-file (extracts every member after it)")
            } else if strip.is_none() {
                Some("--strip-components with a value that is not a number")
            } else {
                None
            };
            let to_stdout = has('O', "--to-stdout");
            // A `-C` after the last member: judged there too.
            let last = target;
            for (k, o) in operands.iter().enumerate() {
                let own = dir_of(k).unwrap_or_else(|| Arg::literal(".", argv[0].span));
                let mut targets = vec![own];
                if targets[0].text != last.text {
                    targets.push(last.clone());
                }
                let parts: Option<Vec<&str>> = o.lit().map(|v| {
                    v.split('/')
                        .filter(|c| !c.is_empty() && *c != ".")
                        .collect()
                });
                for target in targets {
                    self.check_file(&target, Write, argv, &format!("{base} -x"));
                    let join = |rest: &str| -> Arg {
                        let mut p = match target.lit() {
                            Some(d) if rest.is_empty() => Arg::literal(d, o.span),
                            Some(d) => {
                                Arg::literal(&format!("{}/{rest}", d.trim_end_matches('/')), o.span)
                            }
                            None => Arg::dynamic(&o.text, o.span),
                        };
                        p.home = target
                            .lit()
                            .is_some_and(|d| d == "~" || d.starts_with("~/"));
                        p
                    };
                    if to_stdout {
                        // `-O` writes the members to the output, no file.
                        let named = o
                            .lit()
                            .map_or(String::new(), |v| v.trim_start_matches('/').to_string());
                        let p = if o.lit().is_some() {
                            join(&named)
                        } else {
                            Arg::dynamic(&o.text, o.span)
                        };
                        self.check_file(&p, Write, argv, &format!("{base} -x"));
                        continue;
                    }
                    let why = match (&parts, unknown) {
                        (_, Some(why)) => why.to_string(),
                        (None, None) => format!("the computed member {}", clip(&o.shown())),
                        (Some(p), None) if p.is_empty() => {
                            format!("the member {} matches every member", clip(&o.shown()))
                        }
                        // bsdtar always matches member names as patterns
                        // (GNU tar with `--wildcards`, also from
                        // TAR_OPTIONS): which tar runs is not known.
                        (Some(p), None) if p.iter().any(|c| c.contains(['*', '?', '['])) => {
                            format!(
                                "the member {} can be a pattern (bsdtar, --wildcards)",
                                clip(&o.shown())
                            )
                        }
                        (Some(_), None) => String::new(),
                    };
                    if !why.is_empty() {
                        self.extract_into(&target, argv, &format!("{base} -x {why}"));
                        continue;
                    }
                    let parts = parts.as_deref().unwrap_or_default();
                    let rest = parts[strip.unwrap_or(0).min(parts.len())..].join("/");
                    if recursion {
                        let root = join(&rest);
                        self.extract_into(
                            &root,
                            argv,
                            &format!(
                                "{base} -x (the member {} can be a directory, whose names below are not known; --no-recursion extracts it alone)",
                                clip(&o.shown())
                            ),
                        );
                    } else if !rest.is_empty() {
                        self.check_file(&join(&rest), Write, argv, &format!("{base} -x"));
                    }
                }
            }
        }
    }

    /// Info-ZIP unzip: options are read only before the archive (clustered;
    /// `-d` and `-P`, and Debian's `-O`/`-I`, take the rest of the word or
    /// the next word). After the archive every word is a member name except
    /// `-x`, which starts the exclusion list, and the first word starting
    /// with `-d` while no directory is set: the directory, glued (`-dDIR`)
    /// or in the next word, wherever it stands.
    pub(crate) fn unzip_files(&mut self, argv: &[Arg]) {
        // `--x` is the negation `-` and `x`, a cluster like any other.
        const UNZIP: Syntax<'static> = Syntax::short_only("dPOI");
        let mut listing = false;
        let mut dir: Option<Arg> = None;
        // A word computed at run time where unzip still looks for `-d`.
        let mut computed: Option<&Arg> = None;
        let mut zip: Option<&Arg> = None;
        let mut scanner = scan(argv, &UNZIP);
        for item in scanner.by_ref() {
            match item {
                Item::Option {
                    opt: Opt::Short('d'),
                    word,
                    value,
                } => dir = value.map(|v| v.arg(word)),
                Item::Option {
                    opt: Opt::Short(c), ..
                } if "ltvZpcz".contains(c) => listing = true,
                Item::Option { .. } => {}
                Item::Operand(a) | Item::Computed(a) => {
                    // A word after `--` starting with `-`: unzip reads
                    // `--` as a negation, not as the end of its options.
                    let optionlike = a.lit().is_none_or(|v| v.starts_with('-') && v != "-");
                    if optionlike && dir.is_none() {
                        computed = Some(a);
                    }
                    zip = Some(a);
                    break;
                }
            }
        }
        let rest = &argv[scanner.position().min(argv.len())..];
        let mut k = 0;
        while k < rest.len() && dir.is_none() && computed.is_none() {
            let a = &rest[k];
            match a.lit() {
                None => computed = Some(a),
                Some(v) => match v.strip_prefix("-d") {
                    // Without a next word unzip refuses to run.
                    Some("") => dir = rest.get(k + 1).cloned(),
                    Some(glued) => dir = Some(Arg::literal(glued, a.span)),
                    None => {}
                },
            }
            k += 1;
        }
        if let Some(z) = zip {
            self.check_file(z, Read, argv, "unzip");
        }
        if listing {
            return;
        }
        if let Some(c) = computed {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "unzip: {} is computed at run time or follows --, and may be -d DIR, the directory it extracts into",
                    clip(&c.text)
                ),
                c.span,
                argv,
            );
            return;
        }
        let target = dir.unwrap_or_else(|| Arg::literal(".", argv[0].span));
        self.extract_into(&target, argv, "unzip");
    }

    pub(crate) fn ssh_files(&mut self, argv: &[Arg], base: &str) {
        self.ssh_config_options(argv, base);
        let scan = scan_options(argv, 1, ssh_with_arg(base));
        for (opt, idx, inline) in &scan.opts {
            let value = match (idx, inline) {
                (Some(k), _) => argv.get(*k).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            };
            let Some(value) = value else { continue };
            match opt.as_str() {
                "-F" if !value.lit().is_some_and(|v| v == "/dev/null" || v == "none") => self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} -F {}: a configuration file can run commands (ProxyCommand, LocalCommand)", clip(&value.shown())),
                    value.span,
                    argv,
                ),
                "-I" => self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("{base} -I loads a library"),
                    value.span,
                    argv,
                ),
                "-b" if base == "sftp" => self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    "sftp -b: a batch file can run local commands".to_string(),
                    value.span,
                    argv,
                ),
                "-i" => self.check_file(&value, Read, argv, &format!("{base} -i")),
                "-E" if base == "ssh" => self.check_file(&value, Write, argv, "ssh -E"),
                _ => {}
            }
        }
        let operands = &argv[scan.first.min(argv.len())..];
        let no_shell = super::ssh_options::letters_before_host(argv, base)
            .iter()
            .any(|c| "NGVQOW".contains(*c));
        if base == "ssh" && !operands.is_empty() && !no_shell {
            // The remote command (or, without one, a login shell) runs on
            // the host, in its login directory with its files: with the
            // host this machine, in the home the policy protects.
            let what = if operands.len() > 1 {
                "runs the command on the remote host, in its login directory"
            } else {
                "opens a shell on the remote host"
            };
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "ssh {}: {what}, whose files the analysis cannot see",
                    clip(&operands[0].shown())
                ),
                operands[0].span,
                argv,
            );
        }
        if base == "scp" {
            for a in operands {
                self.remote_path_syntax(a, argv, "scp");
            }
        }
        if base == "scp" {
            let locals: Vec<&Arg> = argv[scan.first.min(argv.len())..]
                .iter()
                .filter(|a| a.lit().is_none_or(|v| !is_remote(v)))
                .collect();
            let n = argv.len() - scan.first.min(argv.len());
            for (k, a) in argv[scan.first.min(argv.len())..].iter().enumerate() {
                if !locals.iter().any(|l| std::ptr::eq(*l, a)) {
                    continue;
                }
                let op = if k + 1 == n { Write } else { Read };
                self.check_file(a, op, argv, "scp");
            }
        }
    }

    /// A remote `HOST:PATH` whose path holds shell syntax: the remote
    /// shell parses it (scp's legacy protocol, `scp -O`; rsync before
    /// 3.2.4 or with `--old-args`) and may run commands there.
    fn remote_path_syntax(&mut self, a: &Arg, argv: &[Arg], base: &str) {
        let Some(v) = a.lit() else { return };
        if !is_remote(v) || v.to_ascii_lowercase().starts_with("rsync://") {
            return;
        }
        let Some((_, path)) = v.split_once(':') else {
            return;
        };
        // `HOST::MODULE` is rsync's daemon: no remote shell.
        if path.starts_with(':') {
            return;
        }
        if path.contains([
            '$', '`', ';', '|', '&', '<', '>', '(', ')', '\n', '\\', '\'', '"',
        ]) {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{base} {}: the remote shell parses this path, and its syntax may run commands on that host",
                    clip(v)
                ),
                a.span,
                argv,
            );
        }
    }

    pub(crate) fn rsync_files(&mut self, argv: &[Arg]) {
        let with_arg = RSYNC_WITH_ARG;
        let mut operands: Vec<Arg> = Vec::new();
        let mut opts = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            let scan = scan_options(argv, i, with_arg);
            opts.extend(scan.opts);
            if scan.first >= argv.len() {
                break;
            }
            if scan.first > i && argv[scan.first - 1].is("--") {
                operands.extend(argv[scan.first..].iter().cloned());
                break;
            }
            operands.push(argv[scan.first].clone());
            i = scan.first + 1;
        }
        for a in &operands {
            self.remote_path_syntax(a, argv, "rsync");
        }
        for (opt, idx, inline) in &opts {
            let value = match (idx, inline) {
                (Some(k), _) => argv.get(*k).cloned(),
                (None, Some(v)) => Some(Arg::literal(v, argv[0].span)),
                _ => None,
            };
            let Some(value) = value else { continue };
            match opt.as_str() {
                "-e" | "--rsh" => self.remote_shell(&value, argv),
                // A command line or options for the other side: what runs
                // there, in that host's directories, is not seen.
                "--rsync-path" | "-M" | "--remote-option" => self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!(
                        "rsync {opt} {}: runs on the remote host, whose files the analysis cannot see",
                        clip(&value.shown())
                    ),
                    value.span,
                    argv,
                ),
                "--log-file" | "--write-batch" | "--only-write-batch" => {
                    self.check_file(&value, Write, argv, opt)
                }
                "--read-batch" | "--password-file" | "--exclude-from" | "--include-from" => {
                    self.check_file(&value, Read, argv, opt)
                }
                "--temp-dir" | "-T" | "--partial-dir" | "--backup-dir" => {
                    self.check_file(&value, Write, argv, opt);
                    // rsync resolves a relative one against the destination.
                    let dest = operands
                        .iter()
                        .skip(1)
                        .last()
                        .and_then(|d| d.lit())
                        .filter(|d| !is_remote(d));
                    if let (Some(d), Some(v)) = (dest, value.lit()) {
                        if !v.starts_with('/') && !v.starts_with('~') {
                            let mut t = Arg::literal(&format!("{}/{v}", d.trim_end_matches('/')), value.span);
                            t.home = d == "~" || d.starts_with("~/");
                            self.check_file(&t, Write, argv, opt);
                        }
                    }
                }
                // A backup's name is the file's name with the suffix: a
                // `/` in it names another directory.
                "--suffix" if value.lit().is_none_or(|v| v.contains('/')) => self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "rsync --suffix {}: a suffix holding `/` (or computed) puts backups in another directory",
                        clip(&value.shown())
                    ),
                    value.span,
                    argv,
                ),
                _ => {}
            }
        }
        let n = operands.len();
        for (k, a) in operands.iter().enumerate() {
            if a.lit().is_some_and(is_remote) {
                continue;
            }
            let op = if k + 1 == n && n > 1 { Write } else { Read };
            self.check_file(a, op, argv, "rsync");
        }
    }

    /// `rsync -e 'ssh -o …'`: the remote shell command is an ssh command
    /// line; its options are judged like ssh's.
    fn remote_shell(&mut self, value: &Arg, argv: &[Arg]) {
        let Some(v) = value.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!(
                    "rsync -e {}: the remote shell is computed at run time",
                    clip(&value.text)
                ),
                value.span,
                argv,
            );
            return;
        };
        if v.contains(['\'', '"', '\\', '$', '`']) {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "rsync -e {}: rsync splits the remote shell command by its own quoting rules",
                    clip(v)
                ),
                value.span,
                argv,
            );
            return;
        }
        let words: Vec<Arg> = v
            .split_whitespace()
            .map(|w| Arg::literal(w, value.span))
            .collect();
        if words.is_empty() {
            return;
        }
        let name = super::rules::basename(words[0].lit().unwrap_or("")).to_string();
        if name == "ssh" {
            self.check_dangers(&words, "ssh", &super::walk::Stdin::Inherited);
            self.ssh_files(&words, "ssh");
        }
    }

    pub(crate) fn git_files(&mut self, argv: &[Arg]) {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        let Some(sub) = argv.get(scan.first).and_then(|a| a.lit()) else {
            return;
        };
        let rest = &argv[scan.first + 1..];
        let value_of = |names: &[&str]| -> Vec<Arg> {
            let mut out = Vec::new();
            for (k, a) in rest.iter().enumerate() {
                let Some(v) = a.lit() else { continue };
                for n in names {
                    if v == *n {
                        out.extend(rest.get(k + 1).cloned());
                    } else if let Some(x) = v.strip_prefix(&format!("{n}=")) {
                        out.push(Arg::literal(x, a.span));
                    } else if n.len() == 2
                        && !n.starts_with("--")
                        && v.starts_with(n)
                        && v.len() > 2
                        && !v.starts_with("--")
                    {
                        out.push(Arg::literal(&v[2..], a.span));
                    }
                }
            }
            out
        };
        match sub {
            "archive" => {
                for f in value_of(&["-o", "--output"]) {
                    self.check_file(&f, Write, argv, "git archive -o");
                }
            }
            "format-patch" => {
                let dirs = value_of(&["-o", "--output-directory"]);
                for f in &dirs {
                    self.check_file(f, Write, argv, "git format-patch -o");
                }
                // Each patch is DIR/NNNN-SUBJECT plus the suffix: a suffix
                // with a separator walks out of DIR once a directory of
                // that name exists, so the file written is not known.
                for s in value_of(&["--suffix"]) {
                    if s.lit().is_none_or(|v| v.contains(['/', '\\'])) {
                        self.unmodelled(
                            DecisionCode::UnmodelledOption,
                            format!(
                                "git format-patch --suffix={}: a suffix holding a path separator makes the patch's name a path that leaves the output directory",
                                clip(&s.shown())
                            ),
                            s.span,
                            argv,
                        );
                    }
                }
                // Without -o the patches land in the working directory.
                if dirs.is_empty() && !rest.iter().any(|a| a.is("--stdout")) {
                    let here = Arg::literal(".", argv[0].span);
                    self.check_file(&here, Write, argv, "git format-patch");
                }
            }
            "bundle" => {
                if let Some(k) = rest.iter().position(|a| a.is("create")) {
                    let s = scan_options(rest, k + 1, &[]);
                    if let Some(f) = rest.get(s.first) {
                        self.check_file(f, Write, argv, "git bundle create");
                    }
                }
                // `verify`, `list-heads` and `unbundle` open the bundle
                // file to read it (its first line, at least).
                for sub in ["verify", "list-heads", "unbundle"] {
                    if let Some(k) = rest.iter().position(|a| a.is(sub)) {
                        let s = scan_options(rest, k + 1, &[]);
                        if let Some(f) = rest.get(s.first) {
                            self.check_file(f, Read, argv, &format!("git bundle {sub}"));
                        }
                    }
                }
            }
            "diff" if rest.iter().any(|a| a.is("--no-index")) => {
                for a in rest
                    .iter()
                    .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
                {
                    self.check_file(a, Read, argv, "git diff --no-index");
                }
            }
            "grep" if rest.iter().any(|a| a.is("--no-index")) || grep_fallback(argv, &scan) => {
                self.git_grep_paths(rest, argv);
            }
            "hash-object" => {
                for a in rest
                    .iter()
                    .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
                {
                    self.check_file(a, Read, argv, "git hash-object");
                }
                // `--stdin-paths` (or a prefix git accepts, `--stdin-p`)
                // reads the names of the files to hash from standard input.
                if let Some(a) = rest.iter().find(|a| {
                    a.lit()
                        .is_some_and(|v| v.len() >= 8 && "--stdin-paths".starts_with(v))
                }) {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        "git hash-object --stdin-paths reads the names of the files it hashes (and with -w stores) from standard input: which files is not known".to_string(),
                        a.span,
                        argv,
                    );
                }
            }
            // git stats PATH, reads it when it is a gitfile, and answers
            // whether it is a git directory (printing a gitfile's target).
            "rev-parse" => {
                for f in value_of(&["--resolve-git-dir"]) {
                    self.check_file(&f, Read, argv, "git rev-parse --resolve-git-dir");
                }
            }
            "config" => {
                // Before the file is judged as written below.
                if !self.git_config_includes(argv, rest) {
                    return;
                }
                for f in value_of(&["-f", "--file"]) {
                    self.check_file(&f, Write, argv, "git config --file");
                }
            }
            _ => {}
        }
    }

    /// `git grep --no-index` (or outside a repository with
    /// `grep.fallbackToNoIndex`) searches plain files: its path operands
    /// are reads. Options end at the first other word (git stops there);
    /// the pattern is that word unless `-e` or `-f` gave one; every later
    /// word is a path. Where a computed word makes the pattern's place
    /// unknown, every operand is judged as a path.
    fn git_grep_paths(&mut self, rest: &[Arg], argv: &[Arg]) {
        const GREP: Syntax<'static> = Syntax {
            short: "efABCm",
            optional: "O",
            clusters: true,
            long_words: true,
            long: &[
                "max-depth",
                "threads",
                "max-count",
                "context",
                "after-context",
                "before-context",
            ],
            long_flags: &[],
            single_dash: false,
            abbreviates: false,
            plus: None,
        };
        // `rest` starts after the subcommand; the scanner skips argv[0].
        let mut words = vec![Arg::literal("grep", argv[0].span)];
        words.extend_from_slice(rest);
        let mut pattern_given = false;
        let mut known = true;
        let mut scanner = scan(&words, &GREP);
        let mut first: Option<&Arg> = None;
        for item in scanner.by_ref() {
            match item {
                Item::Option {
                    opt: Opt::Short('e' | 'f'),
                    ..
                } => pattern_given = true,
                Item::Option { .. } => {}
                // git's grouping words around `-e` patterns.
                Item::Operand(a) if a.is("(") || a.is(")") => {}
                Item::Operand(a) => {
                    first = Some(a);
                    break;
                }
                Item::Computed(a) => {
                    known = false;
                    first = Some(a);
                    break;
                }
            }
        }
        let Some(first) = first else { return };
        let later = &words[scanner.position().min(words.len())..];
        if pattern_given || !known {
            self.check_file(first, Read, argv, "git grep --no-index");
        }
        for a in later {
            self.check_file(a, Read, argv, "git grep --no-index");
        }
    }
}

/// Whether `git -c grep.fallbackToNoIndex…` may make `git grep` outside a
/// repository search plain files (a computed `-c` or `--config-env` may).
fn grep_fallback(argv: &[Arg], scan: &super::wrappers::Scan) -> bool {
    scan.opts.iter().any(|(opt, idx, inline)| {
        let value = match (idx, inline) {
            (Some(i), _) => argv.get(*i).map(|a| a.lit()),
            (None, Some(v)) => Some(Some(v.as_str())),
            _ => None,
        };
        match (opt.as_str(), value) {
            ("--config-env", _) | ("-c", Some(None)) => true,
            ("-c", Some(Some(kv))) => {
                let (k, v) = kv.split_once('=').unwrap_or((kv, "true"));
                k.eq_ignore_ascii_case("grep.fallbackToNoIndex")
                    && !matches!(
                        v.to_ascii_lowercase().as_str(),
                        "false" | "no" | "off" | "0"
                    )
            }
            _ => false,
        }
    })
}

/// Options of ssh, scp and sftp that take a value.
pub(crate) const SSH_WITH_ARG: &[&str] = &[
    "-b", "-B", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p",
    "-P", "-Q", "-R", "-S", "-W", "-w",
];

/// The options of `base` (ssh, scp, sftp) that take a value, by each
/// program's getopt string: `scp -O`, `-p`, `-B`, `-R` are flags, so
/// the word after them is an operand.
pub(crate) fn ssh_with_arg(base: &str) -> &'static [&'static str] {
    match base {
        "scp" => &[
            "-D", "-F", "-J", "-M", "-P", "-S", "-c", "-i", "-l", "-o", "-X",
        ],
        "sftp" => &[
            "-c", "-D", "-i", "-l", "-o", "-s", "-S", "-b", "-B", "-F", "-J", "-P", "-R", "-X",
        ],
        _ => SSH_WITH_ARG,
    }
}

/// Options of rsync that take a value.
pub(crate) const RSYNC_WITH_ARG: &[&str] = &[
    "-e",
    "--rsh",
    "--rsync-path",
    "-f",
    "--filter",
    "--exclude",
    "--include",
    "--exclude-from",
    "--include-from",
    "--files-from",
    "-T",
    "--temp-dir",
    "--partial-dir",
    "--backup-dir",
    "--compare-dest",
    "--copy-dest",
    "--link-dest",
    "--log-file",
    "--log-file-format",
    "--password-file",
    "--write-batch",
    "--only-write-batch",
    "--read-batch",
    "--chmod",
    "--chown",
    "-B",
    "--block-size",
    "--timeout",
    "--contimeout",
    "--port",
    "--address",
    "--bwlimit",
    "--max-size",
    "--min-size",
    "--suffix",
    "--out-format",
    "-M",
    "--remote-option",
    "--usermap",
    "--groupmap",
    "--sockopts",
    "--info",
    "--debug",
    "--iconv",
    "--checksum-choice",
    "--compress-choice",
    "--compress-level",
    "--skip-compress",
    "--max-delete",
    "--modify-window",
    "--stop-after",
    "--stop-at",
    "--outbuf",
];

/// `host:path`, `user@host:path`, `rsync://…`: not a local file.
pub(crate) fn is_remote(v: &str) -> bool {
    if v.starts_with('/') || v.starts_with("./") || v.starts_with('~') {
        return false;
    }
    match v.find(':') {
        Some(c) => !v[..c].contains('/'),
        None => false,
    }
}

/// A tar command's words as tar reads them: option letters (old style in
/// the first word, `tar czf A`, or in `-` clusters) with their values,
/// long options with theirs, and the operands.
pub(crate) struct TarWords {
    pub letters: Vec<(char, Option<Arg>)>,
    pub longs: Vec<(String, Option<Arg>)>,
    pub operands: Vec<Arg>,
    /// Each `-C DIR`/`--directory=DIR` in command-line order, with the
    /// number of operands before it.
    pub chdirs: Vec<(usize, Arg)>,
}

impl TarWords {
    /// The values of the option letter `letter` and of the long option
    /// `long`, in that order (the letters' first, as tar reads them).
    pub fn values(&self, letter: char, long: &str) -> Vec<Arg> {
        self.letters
            .iter()
            .filter(|(c, _)| *c == letter)
            .filter_map(|(_, v)| v.clone())
            .chain(
                self.longs
                    .iter()
                    .filter(|(k, _)| k == long)
                    .filter_map(|(_, v)| v.clone()),
            )
            .collect()
    }
}

pub(crate) fn tar_words(argv: &[Arg]) -> TarWords {
    const VALUE_LETTERS: &str = "bCfFgHIKLNTVX";
    let long_values = [
        "--file",
        "--directory",
        "--files-from",
        "--exclude-from",
        "--blocking-factor",
        "--format",
        "--label",
        "--newer",
        "--after-date",
        "--starting-file",
        "--tape-length",
        "--listed-incremental",
        "--exclude",
        "--transform",
        "--xform",
        "--owner",
        "--group",
        "--mode",
        "--mtime",
        "--strip-components",
        "--use-compress-program",
        "--to-command",
        "--checkpoint-action",
        "--info-script",
        "--new-volume-script",
        "--rsh-command",
        "--rmt-command",
        "--index-file",
        "--suffix",
    ];
    let mut letters: Vec<(char, Option<Arg>)> = Vec::new();
    let mut longs: Vec<(String, Option<Arg>)> = Vec::new();
    let mut operands: Vec<Arg> = Vec::new();
    let mut chdirs: Vec<(usize, Arg)> = Vec::new();
    let mut i = 1;
    // Old style: `tar xzf a.tgz` (first word without a dash).
    if let Some(w) = argv.get(1).and_then(|a| a.lit()) {
        if !w.starts_with('-') && !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()) {
            let mut next = 2;
            for ch in w.chars() {
                if VALUE_LETTERS.contains(ch) {
                    letters.push((ch, argv.get(next).cloned()));
                    if let (true, Some(d)) = (ch == 'C', argv.get(next)) {
                        chdirs.push((0, d.clone()));
                    }
                    next += 1;
                } else {
                    letters.push((ch, None));
                }
            }
            i = next;
        }
    }
    let mut ended = false;
    while i < argv.len() {
        let a = &argv[i];
        let Some(v) = a.lit() else {
            operands.push(a.clone());
            i += 1;
            continue;
        };
        if ended || v == "-" || !v.starts_with('-') {
            if v == "--" && !ended {
                ended = true;
            } else {
                operands.push(a.clone());
            }
            i += 1;
            continue;
        }
        if let Some(rest) = v.strip_prefix("--") {
            let (k, inline) = match rest.split_once('=') {
                Some((k, x)) => (format!("--{k}"), Some(Arg::literal(x, a.span))),
                None => (v.to_string(), None),
            };
            if inline.is_none() && long_values.contains(&k.as_str()) {
                if let (true, Some(d)) = (k == "--directory", argv.get(i + 1)) {
                    chdirs.push((operands.len(), d.clone()));
                }
                longs.push((k, argv.get(i + 1).cloned()));
                i += 2;
            } else {
                if let (true, Some(d)) = (k == "--directory", &inline) {
                    chdirs.push((operands.len(), d.clone()));
                }
                longs.push((k, inline));
                i += 1;
            }
            continue;
        }
        let chars: Vec<char> = v[1..].chars().collect();
        let mut next = i + 1;
        for (k, ch) in chars.iter().enumerate() {
            if VALUE_LETTERS.contains(*ch) {
                let rest: String = chars[k + 1..].iter().collect();
                let value = if rest.is_empty() {
                    next += 1;
                    argv.get(next - 1).cloned()
                } else {
                    Some(Arg::literal(&rest, a.span))
                };
                if let (true, Some(d)) = (*ch == 'C', &value) {
                    chdirs.push((operands.len(), d.clone()));
                }
                letters.push((*ch, value));
                break;
            }
            letters.push((*ch, None));
        }
        i = next;
    }
    TarWords {
        letters,
        longs,
        operands,
        chdirs,
    }
}

/// `a` as GNU tar reads a name given on its command line (`unquote_string`):
/// `\\` is a backslash and `\NNN` (one to three octal digits) the
/// character of that code. `None` for any other escape, a code that is not
/// a printable ASCII character, or a computed word whose literal start
/// holds a backslash: not modelled.
pub(crate) fn tar_unquoted(a: &Arg) -> Option<Arg> {
    let Some(v) = a.lit() else {
        return (!a.prefix.contains('\\')).then(|| a.clone());
    };
    if !v.contains('\\') {
        return Some(a.clone());
    }
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        match b.get(i) {
            Some(b'\\') => {
                out.push(b'\\');
                i += 1;
            }
            Some(b'0'..=b'7') => {
                let mut n: u32 = 0;
                let mut k = 0;
                while k < 3 && matches!(b.get(i), Some(b'0'..=b'7')) {
                    n = n * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    k += 1;
                }
                if !(0x20..0x7f).contains(&n) {
                    return None;
                }
                out.push(n as u8);
            }
            _ => return None,
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let mut d = a.clone();
    d.value = Some(decoded.clone());
    d.prefix = decoded.clone();
    d.pattern = Some(decoded);
    d.glob = None;
    Some(d)
}

/// The directory GNU tar is in for the operands after the first `before`
/// `-C` options of `chdirs` (tar's manual, "Changing the Working
/// Directory": `-C` is order sensitive, affects the files named after it,
/// and a relative one is taken from the directory of the `-C` before it).
/// `None` without any; a computed one makes the rest computed.
pub(crate) fn tar_dir(chdirs: &[&Arg], at: Span) -> Option<Arg> {
    let mut cur: Option<Arg> = None;
    for d in chdirs {
        let Some(v) = d.lit() else {
            return Some(Arg::dynamic(&d.text, d.span));
        };
        let home = v == "~" || v.starts_with("~/");
        cur = Some(match (&cur, v.starts_with('/') || home) {
            (Some(c), false) => match c.lit() {
                Some(cv) => {
                    let mut j = Arg::literal(&format!("{}/{v}", cv.trim_end_matches('/')), at);
                    j.home = c.home;
                    j
                }
                None => return Some(c.clone()),
            },
            _ => {
                let mut j = Arg::literal(v, d.span);
                j.home = home;
                j
            }
        });
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_scripts() {
        assert!(sed_effects("s/a/b/g").is_empty());
        assert!(sed_effects("1,/x/d;$!N;s/\\n/ /").is_empty());
        assert_eq!(sed_effects("1e id"), vec![SedEffect::Exec]);
        assert_eq!(sed_effects("s/x/id/e"), vec![SedEffect::Exec]);
        assert_eq!(sed_effects("s|x|id|ge"), vec![SedEffect::Exec]);
        assert_eq!(
            sed_effects("s/x/y/w out.txt"),
            vec![SedEffect::Write("out.txt".into())]
        );
        assert_eq!(
            sed_effects("/a/w f; p"),
            vec![SedEffect::Write("f; p".into())]
        );
        assert_eq!(
            sed_effects("$r /etc/passwd"),
            vec![SedEffect::Read("/etc/passwd".into())]
        );
        assert_eq!(sed_effects("\\,x,e"), vec![SedEffect::Exec]);
        assert!(matches!(sed_effects("s/x/y/Z")[0], SedEffect::Unparsed(_)));
        assert!(sed_effects("a\\\nhello e").is_empty());
        assert!(sed_effects("y/abc/xyz/").is_empty());
        // GNU sed 4.9 ends a label at a blank: what follows is read
        // differently by sed versions, so it is not modelled.
        for s in [
            ":a w f",
            "b x w f",
            "t x;:x w f",
            ": a e id",
            ":a\tR f",
            "T end s/x/y/e",
        ] {
            assert!(
                matches!(sed_effects(s).last(), Some(SedEffect::Unparsed(_))),
                "{s}"
            );
        }
        assert!(sed_effects(":a;N;$!ba;s/\\n/ /g").is_empty());
        assert!(sed_effects("b end\n:end").is_empty());
        // Text ending in an escaped backslash ends at its newline.
        assert_eq!(
            sed_effects("1a foo\\\\\nw f"),
            vec![SedEffect::Write("f".into())]
        );
        assert_eq!(
            sed_effects("1i\\\n\\\\\nr f"),
            vec![SedEffect::Read("f".into())]
        );
        assert!(sed_effects("1a foo\\\nw f").is_empty());
    }

    #[test]
    fn awk_programs() {
        assert_eq!(awk_effects("{print $1}"), None);
        assert_eq!(awk_effects("$3 > 100 {print $1}"), None);
        assert_eq!(awk_effects("NR==1 || /x/ {print}"), None);
        assert!(awk_effects("{print > \"/tmp/x\"}").is_some());
        assert!(awk_effects("{print $1 | \"sh\"}").is_some());
        assert!(awk_effects("BEGIN{system(\"id\")}").is_some());
        assert!(awk_effects("BEGIN{\"id\" | getline x}").is_some());
        assert!(awk_effects("BEGIN{f=\"system\"; @f(\"id\")}").is_some());
        assert!(awk_effects("BEGIN{print ENVIRON[\"HOME\"]}").is_some());
        assert_eq!(awk_effects("{printf(\"%s\", ($1 > 2))}"), None);
        // A regular expression literal is no comment and no string.
        assert!(awk_effects("/#/ { print > \"f\" }").is_some());
        assert!(awk_effects("$1 ~ /\"/ { print > \"f\" }").is_some());
        assert!(awk_effects("BEGIN { if (\"a\" ~ /#/) print \"x\" > \"f\" }").is_some());
        assert!(awk_effects("{ if (1) /#/ ; print > \"f\" }").is_some());
        assert_eq!(awk_effects("/#/ { n++ } END { print n / 2 }"), None);
        assert_eq!(awk_effects("/[[:space:]]#|x\\// {print}"), None);
        assert_eq!(awk_effects("{ print $1 / $2, a / b }"), None);
        assert_eq!(awk_effects("/^#/ {next} {print $2}"), None);
    }
}
