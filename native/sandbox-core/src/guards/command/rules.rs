//! `allowed_commands` / `blocked_commands` rules (docs/policy.md, Commands 6).
//!
//! A rule is written like a command (`git status`, `"npm" run build`) and is
//! split into words once, like the shell splits a command, with quote
//! removal. It matches a command whose argv starts with the same words, whole
//! words only: `git status` matches `git status --short`, not `git statusx`
//! and not `git -C x status`. The first word is compared by basename
//! (`/usr/bin/git` is `git`), but a command name with a `/` outside the
//! system directories is only matched by a rule that names that path.
//! Words are literal: `*` and `~` in a rule match those characters as
//! written in the command (`rm -rf ~` matches `rm -rf ~` and `rm -rf $HOME`).

use std::collections::HashMap;

use brush_parser::ast;
use brush_parser::word::{TildeExpr, WordPiece, WordPieceWithSource};

use super::normalize::{decode_ansi_c, Arg};
use super::parse;
use super::prescreen;
use super::subcommands;
use crate::error::Error;

/// Directories whose programs are trusted by name.
pub(crate) const SYSTEM_DIRS: &[&str] = &[
    "/bin",
    "/sbin",
    "/usr/bin",
    "/usr/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/opt/homebrew/bin",
    "/opt/homebrew/sbin",
    "/snap/bin",
];

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// `commands.allowed_commands[2]: git status`
    pub name: String,
    pub tokens: Vec<String>,
}

/// How a rule matched an argv.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Match<'r> {
    /// Every word matched.
    Exact(&'r Rule),
    /// No word differed, but some were computed at run time.
    Possible(&'r Rule),
}

/// The compiled rules of one list, indexed by command name so that a check
/// costs the same however long the list is.
#[derive(Debug, Default)]
pub(crate) struct RuleSet {
    rules: Vec<Rule>,
    /// Rules whose first word is a plain name → their positions.
    by_name: HashMap<String, Vec<usize>>,
    /// Rules whose first word is a path, by the normalized path → positions.
    by_path: HashMap<String, Vec<usize>>,
    /// A blocked list: a rule naming a subcommand also matches the other
    /// ways the tool runs that subcommand (see [`RuleSet::blocking`]).
    by_grammar: bool,
}

impl RuleSet {
    /// Tokenize each entry; a bad entry is an error naming `field[i]`.
    pub(crate) fn compile(field: &str, entries: &[String]) -> Result<RuleSet, Error> {
        let mut rules = Vec::with_capacity(entries.len());
        for (i, text) in entries.iter().enumerate() {
            let tokens = tokenize(text).map_err(|why| {
                Error::invalid_policy(format!(
                    "{field}[{i}]: {why}: {text:?}; a rule is a command's first words, e.g. \"git status\" or \"npm run build\""
                ))
            })?;
            rules.push(Rule {
                name: format!("{field}[{i}]: {text}"),
                tokens,
            });
        }
        let mut set = RuleSet {
            rules,
            ..RuleSet::default()
        };
        for (i, r) in set.rules.iter().enumerate() {
            let first = &r.tokens[0];
            if first.contains('/') {
                set.by_path
                    .entry(normalize_path(first))
                    .or_default()
                    .push(i);
            } else {
                set.by_name.entry(first.clone()).or_default().push(i);
            }
        }
        Ok(set)
    }

    /// Make this a blocked list: a rule that names a subcommand (`npm
    /// install`, `git push`, `yarn run build`) also matches that subcommand
    /// under another name the tool takes for it (`npm i`, `cargo b`), a
    /// script run by its shorthand (`yarn build`, `npm t`), `yarn` alone
    /// for `yarn install`, and, as a possible match, the subcommand after
    /// options of the tool (`git -C . push`, `npm --silent install`), whose
    /// values decide where the subcommand stands. An allowed list stays
    /// literal: another spelling is not allowed by a rule.
    pub(crate) fn blocking(mut self) -> RuleSet {
        self.by_grammar = true;
        self
    }

    /// The rules whose first word can match `argv[0]`, in list order: the
    /// others cannot match at all. A command name computed at run time may
    /// be anything, so every rule is a candidate then.
    fn candidates<'s>(&'s self, argv: &[Arg]) -> Box<dyn Iterator<Item = &'s Rule> + 's> {
        let Some(first) = argv.first() else {
            return Box::new(std::iter::empty());
        };
        let Some(v) = first.lit() else {
            return Box::new(self.rules.iter());
        };
        let mut at: Vec<usize> = self
            .by_name
            .get(basename(v))
            .into_iter()
            .flatten()
            .copied()
            .collect();
        if v.contains('/') {
            at.extend(self.by_path.get(&normalize_path(v)).into_iter().flatten());
            at.sort_unstable();
        }
        Box::new(at.into_iter().map(|i| &self.rules[i]))
    }

    /// The first exact match, else the first possible match.
    pub(crate) fn find(&self, argv: &[Arg]) -> Option<Match<'_>> {
        let mut possible = None;
        for r in self.candidates(argv) {
            match matches(r, argv) {
                Tri::Yes => return Some(Match::Exact(r)),
                Tri::Maybe => {
                    possible.get_or_insert(Match::Possible(r));
                }
                Tri::No => {}
            }
        }
        if self.by_grammar {
            for r in self.candidates(argv) {
                match grammar_matches(r, argv) {
                    Tri::Yes => return Some(Match::Exact(r)),
                    Tri::Maybe => {
                        possible.get_or_insert(Match::Possible(r));
                    }
                    Tri::No => {}
                }
            }
        }
        possible
    }

    /// The first rule that matches exactly and is longer than `min_len`
    /// words.
    pub(crate) fn find_longer(&self, argv: &[Arg], min_len: usize) -> Option<&Rule> {
        self.candidates(argv)
            .find(|r| r.tokens.len() > min_len && matches!(matches(r, argv), Tri::Yes))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    Maybe,
    No,
}

fn matches(rule: &Rule, argv: &[Arg]) -> Tri {
    if argv.len() < rule.tokens.len() {
        return Tri::No;
    }
    let mut result = Tri::Yes;
    for (k, tok) in rule.tokens.iter().enumerate() {
        let arg = &argv[k];
        let t = if k == 0 {
            name_matches(tok, arg)
        } else {
            word_matches(tok, arg)
        };
        match t {
            Tri::No => return Tri::No,
            Tri::Maybe => result = Tri::Maybe,
            Tri::Yes => {}
        }
    }
    result
}

/// Whether a rule naming a subcommand matches a command that runs it
/// spelled otherwise ([`RuleSet::blocking`]).
fn grammar_matches(rule: &Rule, argv: &[Arg]) -> Tri {
    let (Some(sub), Some(name)) = (rule.tokens.get(1), argv.first().and_then(|a| a.lit())) else {
        return Tri::No;
    };
    if sub.starts_with('-') || name_matches(&rule.tokens[0], &argv[0]) != Tri::Yes {
        return Tri::No;
    }
    let tool = basename(name);
    let want = subcommands::canonical(tool, sub);
    let script = rule.tokens.get(2).map(String::as_str);
    // `word` at `at` runs the rule's subcommand; the rule's remaining words
    // are then compared with what follows it.
    let runs = |at: usize, word: &str| -> Tri {
        if subcommands::canonical(tool, word) == want {
            return rest_matches(&rule.tokens[2..], &argv[at + 1..]);
        }
        // `yarn build` for `yarn run build`, `npm t` for `npm run test`.
        if want == "run" {
            if let Some(s) = script {
                if subcommands::runs_script(tool, word, s) {
                    return rest_matches(&rule.tokens[3..], &argv[at + 1..]);
                }
            }
        }
        // `npm run test` for `npm test`.
        if subcommands::canonical(tool, word) == "run" {
            if let Some(w) = argv.get(at + 1).and_then(|a| a.lit()) {
                if subcommands::runs_script(tool, sub, w) {
                    return rest_matches(&rule.tokens[2..], &argv[at + 2..]);
                }
            }
        }
        Tri::No
    };
    let only_options = argv[1..]
        .iter()
        .all(|a| a.lit().is_some_and(|w| w.starts_with('-')));
    if only_options && rule.tokens.len() == 2 && subcommands::default_subcommand(tool) == Some(want)
    {
        return Tri::Yes;
    }
    match argv.get(1).and_then(|a| a.lit()) {
        Some(w) if !w.starts_with('-') => runs(1, w),
        Some(_) => {
            // Options first: which of them take a value decides where the
            // subcommand stands, so any later word that runs it may be it.
            let mut result = Tri::No;
            for (at, a) in argv.iter().enumerate().skip(2) {
                match a.lit() {
                    Some(w) if runs(at, w) != Tri::No => return Tri::Maybe,
                    None => result = Tri::Maybe,
                    _ => {}
                }
            }
            result
        }
        None => Tri::No,
    }
}

/// Whether `argv` starts with the words `tokens`.
fn rest_matches(tokens: &[String], argv: &[Arg]) -> Tri {
    if argv.len() < tokens.len() {
        return Tri::No;
    }
    let mut result = Tri::Yes;
    for (tok, arg) in tokens.iter().zip(argv) {
        match word_matches(tok, arg) {
            Tri::No => return Tri::No,
            Tri::Maybe => result = Tri::Maybe,
            Tri::Yes => {}
        }
    }
    result
}

fn name_matches(tok: &str, arg: &Arg) -> Tri {
    let Some(v) = arg.lit() else {
        return Tri::Maybe;
    };
    if tok.contains('/') {
        // A rule naming a file matches that file only, not a program of the
        // same name found through PATH.
        if v.contains('/') && normalize_path(tok) == normalize_path(v) {
            Tri::Yes
        } else {
            Tri::No
        }
    } else if basename(v) == tok {
        Tri::Yes
    } else {
        Tri::No
    }
}

fn word_matches(tok: &str, arg: &Arg) -> Tri {
    match arg.lit() {
        Some(v) if v == tok => Tri::Yes,
        Some(_) => Tri::No,
        None if arg.pattern.as_deref() == Some(tok) || arg.text == tok => Tri::Yes,
        // Every word a glob expands to starts with its literal prefix (a glob
        // that matches nothing stays as it is; `nullglob` is not modelled).
        None if arg.pattern.is_some() && !arg.has_subst && !tok.starts_with(&arg.prefix) => Tri::No,
        None => Tri::Maybe,
    }
}

/// The last component of a command name.
pub(crate) fn basename(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A path with repeated `/`, `.` and (lexically) `..` removed.
pub(crate) fn normalize_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// Whether a command name is trusted by its basename: no `/`, or a program
/// directly in a system directory.
pub(crate) fn trusted_name(name: &str) -> bool {
    if !name.contains('/') {
        return true;
    }
    let n = normalize_path(name);
    match n.rsplit_once('/') {
        Some((dir, file)) => !file.is_empty() && SYSTEM_DIRS.contains(&dir),
        None => false,
    }
}

/// Split a rule into words like the shell, refusing anything that is not a
/// plain list of words.
fn tokenize(text: &str) -> Result<Vec<String>, String> {
    if let Err(e) = prescreen::screen(text) {
        return Err(match e {
            prescreen::Rejection::Empty => "the rule is empty".to_string(),
            prescreen::Rejection::TooLong(_) => "the rule is too long".to_string(),
            prescreen::Rejection::Character { ch, .. } => {
                format!("forbidden character U+{:04X}", ch as u32)
            }
        });
    }
    let openers = prescreen::opener_count(text);
    if openers > super::limits::MAX_OPENERS {
        return Err("the rule nests too deeply".to_string());
    }
    let program = parse::with_stack(openers, || parse::program(text))
        .map_err(|e| format!("does not parse ({e})"))?;
    let mut lists = program.complete_commands.iter();
    let (Some(list), None) = (lists.next(), lists.next()) else {
        return Err("a rule is one command, not several".to_string());
    };
    let [ast::CompoundListItem(and_or, sep)] = list.0.as_slice() else {
        return Err("a rule is one command, not a list".to_string());
    };
    if !and_or.additional.is_empty()
        || matches!(sep, ast::SeparatorOperator::Async)
        || and_or.first.seq.len() != 1
        || and_or.first.bang
        || and_or.first.timed.is_some()
    {
        return Err("a rule is one command, without operators".to_string());
    }
    let ast::Command::Simple(sc) = &and_or.first.seq[0] else {
        return Err("a rule is a simple command".to_string());
    };
    if sc.prefix.is_some() {
        return Err("a rule cannot start with assignments or redirections".to_string());
    }
    let mut words = Vec::new();
    if let Some(name) = &sc.word_or_name {
        words.push(name.value.clone());
    }
    for item in sc.suffix.iter().flat_map(|s| s.0.iter()) {
        match item {
            ast::CommandPrefixOrSuffixItem::Word(w)
            | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => words.push(w.value.clone()),
            ast::CommandPrefixOrSuffixItem::IoRedirect(_) => {
                return Err("a rule cannot contain redirections".to_string())
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(..) => {
                return Err("a rule cannot contain process substitutions".to_string())
            }
        }
    }
    let mut tokens = Vec::with_capacity(words.len());
    for w in words {
        let pieces = parse::word(&w).map_err(|e| format!("bad word {w:?} ({e})"))?;
        let mut out = String::new();
        literal(&pieces, &mut out).map_err(|why| format!("the word {w:?} {why}"))?;
        tokens.push(out);
    }
    if tokens.is_empty() || tokens[0].is_empty() {
        return Err("the rule names no command".to_string());
    }
    Ok(tokens)
}

fn literal(pieces: &[WordPieceWithSource], out: &mut String) -> Result<(), &'static str> {
    for p in pieces {
        match &p.piece {
            WordPiece::Text(s) | WordPiece::SingleQuotedText(s) => out.push_str(s),
            WordPiece::AnsiCQuotedText(s) => {
                out.push_str(&decode_ansi_c(s).ok_or("has an undecodable $'…' string")?)
            }
            WordPiece::DoubleQuotedSequence(v) | WordPiece::GettextDoubleQuotedSequence(v) => {
                literal(v, out)?
            }
            WordPiece::EscapeSequence(s) => {
                let e = s.strip_prefix('\\').unwrap_or(s);
                if e != "\n" {
                    out.push_str(e);
                }
            }
            WordPiece::TildeExpansion(TildeExpr::Home) => out.push('~'),
            WordPiece::TildeExpansion(_) => {
                return Err("uses a ~user or directory-stack expansion")
            }
            WordPiece::ParameterExpansion(_) => {
                return Err("uses a variable; rules are literal words")
            }
            WordPiece::CommandSubstitution(_) | WordPiece::BackquotedCommandSubstitution(_) => {
                return Err("uses a command substitution")
            }
            WordPiece::ArithmeticExpression(_) => return Err("uses an arithmetic expansion"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(entries: &[&str]) -> RuleSet {
        RuleSet::compile(
            "commands.allowed_commands",
            &entries.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .unwrap()
    }

    fn argv(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::literal(w, [0, 0])).collect()
    }

    #[test]
    fn tokenizes_like_shell_words() {
        assert_eq!(tokenize("git status").unwrap(), ["git", "status"]);
        assert_eq!(
            tokenize("  \"npm\"   run 'build' ").unwrap(),
            ["npm", "run", "build"]
        );
        assert_eq!(tokenize("rm -rf ~").unwrap(), ["rm", "-rf", "~"]);
        assert_eq!(tokenize("rm -rf *").unwrap(), ["rm", "-rf", "*"]);
        assert_eq!(tokenize("chmod 777").unwrap(), ["chmod", "777"]);
        for bad in [
            "git status; rm",
            "a && b",
            "a | b",
            "ls > f",
            "X=1 ls",
            "echo $(x)",
            "echo $HOME",
            "(ls)",
            "echo 'x",
            "",
        ] {
            assert!(tokenize(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_rule_names_the_entry() {
        let e = RuleSet::compile(
            "commands.blocked_commands",
            &["rm".into(), "git status; rm -rf ~".into()],
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("commands.blocked_commands[1]:"),
            "{}",
            e.message
        );
    }

    #[test]
    fn whole_word_prefixes() {
        let s = set(&["git status", "git log"]);
        assert!(matches!(
            s.find(&argv(&["git", "status", "--short"])),
            Some(Match::Exact(_))
        ));
        assert!(s.find(&argv(&["git", "statusx"])).is_none());
        assert!(s.find(&argv(&["git", "logout"])).is_none());
        assert!(s.find(&argv(&["git", "-C", "x", "status"])).is_none());
        assert!(matches!(
            s.find(&argv(&["/usr/bin/git", "log"])),
            Some(Match::Exact(_))
        ));
        let mut dynamic = argv(&["git"]);
        dynamic.push(Arg::dynamic("$X", [0, 0]));
        assert!(matches!(s.find(&dynamic), Some(Match::Possible(_))));
    }

    fn scan_find(s: &RuleSet, argv: &[Arg]) -> Option<(bool, String)> {
        let mut possible = None;
        for r in &s.rules {
            match matches(r, argv) {
                Tri::Yes => return Some((true, r.name.clone())),
                Tri::Maybe => {
                    possible.get_or_insert((false, r.name.clone()));
                }
                Tri::No => {}
            }
        }
        possible
    }

    fn found(s: &RuleSet, argv: &[Arg]) -> Option<(bool, String)> {
        s.find(argv).map(|m| match m {
            Match::Exact(r) => (true, r.name.clone()),
            Match::Possible(r) => (false, r.name.clone()),
        })
    }

    const WORDS: &[&str] = &[
        "git",
        "log",
        "/usr/bin/git",
        "/usr//bin/../bin/git",
        "./run.sh",
        "run.sh",
        "tools/run.sh",
        "npm",
        "test",
        "$X",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Random rules and commands from a small vocabulary, some words
        /// computed at run time: the index finds what a scan finds.
        #[test]
        fn index_agrees_with_a_scan_on_random_rules(
            rules in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(&WORDS[..WORDS.len() - 1]), 1..4), 0..8),
            commands in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(WORDS), 0..4), 1..8),
        ) {
            let texts: Vec<String> = rules.iter().map(|r| r.join(" ")).collect();
            let s = RuleSet::compile("commands.allowed_commands", &texts).unwrap();
            for words in &commands {
                let a: Vec<Arg> = words
                    .iter()
                    .map(|w| if w.starts_with('$') { Arg::dynamic(w, [0, 0]) } else { Arg::literal(w, [0, 0]) })
                    .collect();
                proptest::prop_assert_eq!(found(&s, &a), scan_find(&s, &a));
                for min_len in 0..3 {
                    let scanned = s.rules.iter()
                        .find(|r| r.tokens.len() > min_len && matches!(matches(r, &a), Tri::Yes))
                        .map(|r| r.name.clone());
                    proptest::prop_assert_eq!(s.find_longer(&a, min_len).map(|r| r.name.clone()), scanned);
                }
            }
        }
    }

    /// The name index finds exactly what a scan of every rule finds.
    #[test]
    fn index_agrees_with_a_scan() {
        let s = set(&[
            "git log",
            "/usr/bin/git status",
            "./tools/run.sh",
            "git",
            "/bin/../bin/rm -rf",
            "tools/run.sh check",
            "npm run build",
            "npm",
        ]);
        let mut cases: Vec<Vec<Arg>> = [
            &["git", "log", "-n", "1"][..],
            &["git", "status"],
            &["/usr/bin/git", "status"],
            &["/usr//bin/./git", "status"],
            &["/tmp/git", "status"],
            &["./tools/run.sh"],
            &["tools/run.sh", "check"],
            &["./tools/run.sh", "check"],
            &["run.sh"],
            &["/bin/rm", "-rf", "x"],
            &["rm", "-rf"],
            &["npm", "run", "build"],
            &["npm", "test"],
            &["/usr/bin/"],
            &["cargo"],
        ]
        .iter()
        .map(|w| argv(w))
        .collect();
        cases.push(vec![
            Arg::dynamic("$CMD", [0, 0]),
            Arg::literal("log", [0, 0]),
        ]);
        let mut dynamic = argv(&["npm"]);
        dynamic.push(Arg::dynamic("$X", [0, 0]));
        cases.push(dynamic);
        cases.push(Vec::new());
        for a in &cases {
            assert_eq!(
                found(&s, a),
                scan_find(&s, a),
                "{:?}",
                a.iter().map(|x| x.shown()).collect::<Vec<_>>()
            );
            for min_len in 0..3 {
                let scanned = s
                    .rules
                    .iter()
                    .find(|r| r.tokens.len() > min_len && matches!(matches(r, a), Tri::Yes))
                    .map(|r| r.name.clone());
                assert_eq!(s.find_longer(a, min_len).map(|r| r.name.clone()), scanned);
            }
        }
    }

    #[test]
    fn paths() {
        assert_eq!(normalize_path("//bin//rm"), "/bin/rm");
        assert_eq!(normalize_path("/bin/../bin/rm"), "/bin/rm");
        assert_eq!(normalize_path("./a/../b"), "b");
        assert!(trusted_name("rm"));
        assert!(trusted_name("/usr/bin/git"));
        assert!(trusted_name("/bin/../bin/rm"));
        assert!(!trusted_name("./git"));
        assert!(!trusted_name("/tmp/git"));
        assert!(!trusted_name("/usr/bin/../../tmp/git"));
    }
}
