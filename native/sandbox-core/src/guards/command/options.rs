//! One reading of a command's option words, shared by the models that look
//! for particular options: words are walked up to `--`; a short option
//! letter that takes a value takes the rest of its word or the next word,
//! clustered after flags (`-vo VALUE`) where the tool clusters; a long
//! option takes `=VALUE` or, if it takes a value, the next word, and is
//! resolved by [`long_options::resolve`](super::long_options::resolve)
//! where the tool accepts unambiguous prefixes. The table of a tool lists
//! only the options a model needs, with the options sharing a prefix with
//! them; other options are read as flags.

use std::borrow::Cow;

use super::long_options::{resolve, Long};
use super::normalize::Arg;

/// How a tool reads its options.
pub(crate) struct Syntax<'t> {
    /// Short option letters that take a value, attached or the next word.
    pub(crate) short: &'t str,
    /// Short option letters that take a value only attached (sed `-i`).
    pub(crate) optional: &'t str,
    /// Whether short options cluster (`-vo VALUE`); without, only the
    /// first letter of a word is read.
    pub(crate) clusters: bool,
    /// Whether a word starting with `--` is a long option; without (OpenSSH
    /// getopt), its letters are read as a cluster of short options.
    pub(crate) long_words: bool,
    /// Long option names (without `--`) that take a value.
    pub(crate) long: &'t [&'static str],
    /// Long option names that take a value only after `=`, or none.
    pub(crate) long_flags: &'t [&'static str],
    /// Whether long options start with one dash and every word starting
    /// with `-` is one (find's `-files0-from`); names are then exact.
    pub(crate) single_dash: bool,
    /// Whether a unique prefix names a long option (getopt_long).
    pub(crate) abbreviates: bool,
    /// Whether a word starting with `+` (not `+` alone) is a cluster of
    /// options too (the shells' `+o NAME`, `+x`): `Some` with the letters
    /// that take a value in that form.
    pub(crate) plus: Option<&'t str>,
}

impl<'t> Syntax<'t> {
    /// Options of plain getopt: clustered short options, `short` taking a
    /// value, no long options (a word starting with `--` is a cluster too).
    pub(crate) const fn short_only(short: &'t str) -> Syntax<'t> {
        Syntax {
            short,
            optional: "",
            clusters: true,
            long_words: false,
            long: &[],
            long_flags: &[],
            single_dash: false,
            abbreviates: false,
            plus: None,
        }
    }
}

impl Syntax<'static> {
    /// Options of getopt_long: clustered short options, long options by
    /// unique prefix.
    pub(crate) const fn gnu(
        short: &'static str,
        long: &'static [&'static str],
        long_flags: &'static [&'static str],
    ) -> Syntax<'static> {
        Syntax {
            short,
            optional: "",
            clusters: true,
            long_words: true,
            long,
            long_flags,
            single_dash: false,
            abbreviates: true,
            plus: None,
        }
    }
}

/// An option's name.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Opt<'a> {
    Short(char),
    /// A long option of the table, spelled out or by a unique prefix.
    Long(&'static str),
    /// A prefix of several long options of the table.
    Ambiguous(Vec<&'static str>),
    /// A long option the table does not list (with its `--`).
    Other(&'a str),
}

/// Where an option's value is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    /// In the option's own word (`-ofile`, `--out=file`).
    Attached(&'a str),
    /// The next word.
    Next(&'a Arg),
}

impl Value<'_> {
    /// The value as a word, an attached one with the option word's span.
    pub(crate) fn arg(&self, word: &Arg) -> Arg {
        match self {
            Value::Attached(v) => Arg::literal(v, word.span),
            Value::Next(a) => (*a).clone(),
        }
    }
}

/// One item of a command's words.
#[derive(Debug)]
pub(crate) enum Item<'a> {
    Option {
        opt: Opt<'a>,
        /// The word the option is in.
        word: &'a Arg,
        value: Option<Value<'a>>,
    },
    /// A word that is no option (also every word after `--`).
    Operand(&'a Arg),
    /// A word computed at run time: whether it is an option is not known.
    Computed(&'a Arg),
}

/// The items of `argv[1..]` read by `syntax`.
pub(crate) fn scan<'a>(argv: &'a [Arg], syntax: &'a Syntax<'a>) -> Scanner<'a> {
    scan_from(argv, 1, syntax)
}

/// The items of `argv[from..]` read by `syntax`.
pub(crate) fn scan_from<'a>(argv: &'a [Arg], from: usize, syntax: &'a Syntax<'a>) -> Scanner<'a> {
    // Borrowed when one of the lists is empty (most tables): no copy per scan.
    let names = if syntax.long_flags.is_empty() {
        Cow::Borrowed(syntax.long)
    } else if syntax.long.is_empty() {
        Cow::Borrowed(syntax.long_flags)
    } else {
        Cow::Owned([syntax.long, syntax.long_flags].concat())
    };
    Scanner {
        argv,
        syntax,
        names,
        next: from,
        cluster: None,
        ended: false,
    }
}

pub(crate) struct Scanner<'a> {
    argv: &'a [Arg],
    syntax: &'a Syntax<'a>,
    names: Cow<'a, [&'static str]>,
    next: usize,
    /// The word being read as a cluster and the letters left in it.
    cluster: Option<(&'a Arg, &'a str)>,
    /// Past `--`.
    ended: bool,
}

impl<'a> Scanner<'a> {
    /// The index in argv of the first word not read yet.
    pub(crate) fn position(&self) -> usize {
        self.next
    }

    /// The next word as a value, consumed.
    fn take_next(&mut self) -> Option<Value<'a>> {
        let a = self.argv.get(self.next)?;
        self.next += 1;
        Some(Value::Next(a))
    }

    fn short(&mut self, word: &'a Arg, letters: &'a str) -> Item<'a> {
        let mut chars = letters.chars();
        let c = chars.next().unwrap_or('-');
        let rest = chars.as_str();
        let s = self.syntax;
        let takes = match s.plus {
            Some(letters) if word.lit().is_some_and(|w| w.starts_with('+')) => letters,
            _ => s.short,
        };
        let value = if takes.contains(c) {
            if rest.is_empty() {
                self.take_next()
            } else {
                Some(Value::Attached(rest))
            }
        } else if s.optional.contains(c) {
            Some(Value::Attached(rest)).filter(|_| !rest.is_empty())
        } else {
            if s.clusters && !rest.is_empty() {
                self.cluster = Some((word, rest));
            }
            None
        };
        Item::Option {
            opt: Opt::Short(c),
            word,
            value,
        }
    }

    fn long(&mut self, word: &'a Arg, v: &'a str) -> Item<'a> {
        // find's one-dash options take no `=VALUE`.
        let (name, inline) = match v.split_once('=').filter(|_| !self.syntax.single_dash) {
            Some((n, x)) => (n, Some(x)),
            None => (v, None),
        };
        let dashes = if self.syntax.single_dash { "-" } else { "--" };
        let opt = if self.syntax.abbreviates && !self.syntax.single_dash {
            match resolve(name, &self.names) {
                Long::Option(o) => Opt::Long(o),
                Long::Ambiguous(all) => Opt::Ambiguous(all),
                Long::Unknown => Opt::Other(name),
            }
        } else {
            match self
                .names
                .iter()
                .find(|n| name.strip_prefix(dashes) == Some(**n))
            {
                Some(o) => Opt::Long(o),
                None => Opt::Other(name),
            }
        };
        let takes = |o: &str| self.syntax.long.contains(&o);
        let takes_value = match &opt {
            Opt::Long(o) => takes(o),
            // Read as any of them would read it.
            Opt::Ambiguous(all) => all.iter().any(|o| takes(o)),
            _ => false,
        };
        let value = match inline {
            Some(x) => Some(Value::Attached(x)),
            None if takes_value => self.take_next(),
            None => None,
        };
        Item::Option { opt, word, value }
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if let Some((word, letters)) = self.cluster.take() {
            return Some(self.short(word, letters));
        }
        let a = self.argv.get(self.next)?;
        self.next += 1;
        let Some(v) = a.lit() else {
            return Some(Item::Computed(a));
        };
        let option = v.starts_with('-') || (self.syntax.plus.is_some() && v.starts_with('+'));
        if self.ended || v == "-" || v == "+" || !option {
            return Some(Item::Operand(a));
        }
        if v == "--" {
            self.ended = true;
            return self.next();
        }
        if self.syntax.single_dash || (self.syntax.long_words && v.starts_with("--")) {
            return Some(self.long(a, v));
        }
        Some(self.short(a, &v[1..]))
    }
}

/// What a word computed at run time is as an option, read from its literal
/// start (`--file="$x"`, `-f$(…)`, `-v"$x"`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ComputedOption {
    /// Its literal start is not `-`: an operand, as far as the words tell.
    NotOption,
    /// These options (of `with_arg`), whose value is computed; none when
    /// the option named takes no value the caller lists.
    Value(Vec<String>),
    /// The option's name is computed (`--fi$x`, `-$x`, `-v$x` after flags):
    /// it may be any option.
    Any,
}

/// Whether the literal option word `v` leaves its value to the next word:
/// a long option of `with_arg` without `=VALUE` (or a prefix of one), or a
/// cluster whose last letter is one of `with_arg` and no letter before it
/// is.
pub(crate) fn takes_next(v: &str, with_arg: &[&str]) -> bool {
    if v == "-" || v == "--" || !v.starts_with('-') {
        return false;
    }
    if let Some(name) = v.strip_prefix("--") {
        return !name.contains('=')
            && with_arg
                .iter()
                .any(|n| n.strip_prefix("--").is_some_and(|n| n.starts_with(name)));
    }
    let letters: Vec<char> = v[1..].chars().collect();
    for (k, c) in letters.iter().enumerate() {
        if with_arg.contains(&format!("-{c}").as_str()) {
            return k + 1 == letters.len();
        }
    }
    false
}

/// Reads a computed word's literal start as getopt would read the word:
/// `with_arg` lists the options taking a value, `-x` and `--name` (a long
/// one also by a prefix, as getopt_long reads it).
pub(crate) fn computed_option(word: &Arg, with_arg: &[&str]) -> ComputedOption {
    if word.lit().is_some() || word.procsub || !word.prefix.starts_with('-') {
        return ComputedOption::NotOption;
    }
    let p = word.prefix.as_str();
    if let Some(body) = p.strip_prefix("--") {
        return match body.split_once('=') {
            // A name spelled out is that option, not a longer one.
            Some((name, _)) if with_arg.iter().any(|n| n.strip_prefix("--") == Some(name)) => {
                ComputedOption::Value(vec![format!("--{name}")])
            }
            Some((name, _)) => ComputedOption::Value(
                with_arg
                    .iter()
                    .filter(|n| {
                        n.strip_prefix("--")
                            .is_some_and(|n| !name.is_empty() && n.starts_with(name))
                    })
                    .map(|n| n.to_string())
                    .collect(),
            ),
            None => ComputedOption::Any,
        };
    }
    for c in p[1..].chars() {
        let short = format!("-{c}");
        if with_arg.contains(&short.as_str()) {
            return ComputedOption::Value(vec![short]);
        }
    }
    ComputedOption::Any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::literal(w, [0, 0])).collect()
    }

    /// Each option with its value, and each operand, as text.
    fn read(words: &[&str], syntax: &Syntax) -> Vec<String> {
        let argv = args(words);
        scan(&argv, syntax)
            .map(|item| match item {
                Item::Option { opt, value, .. } => {
                    let v = match value {
                        Some(Value::Attached(x)) => format!("={x}"),
                        Some(Value::Next(a)) => format!(" {}", a.lit().unwrap_or("")),
                        None => String::new(),
                    };
                    format!("{opt:?}{v}")
                }
                Item::Operand(a) => a.lit().unwrap_or("").to_string(),
                Item::Computed(_) => "?".to_string(),
            })
            .collect()
    }

    const GNU: Syntax<'static> = Syntax::gnu("fo", &["file", "output"], &["force", "in-place"]);

    #[test]
    fn a_computed_word_is_read_as_an_option_from_its_literal_start() {
        let with_arg = ["-f", "-e", "--file", "--exclude", "--exclude-from"];
        let word = |prefix: &str| {
            let mut a = Arg::dynamic(&format!("{prefix}$x"), [0, 0]);
            a.prefix = prefix.to_string();
            a
        };
        let value =
            |names: &[&str]| ComputedOption::Value(names.iter().map(|n| n.to_string()).collect());
        assert_eq!(
            computed_option(&word("--file="), &with_arg),
            value(&["--file"])
        );
        assert_eq!(
            computed_option(&word("--fi="), &with_arg),
            value(&["--file"])
        );
        assert_eq!(
            computed_option(&word("--exclude="), &with_arg),
            value(&["--exclude"])
        );
        assert_eq!(
            computed_option(&word("--excl="), &with_arg),
            value(&["--exclude", "--exclude-from"])
        );
        assert_eq!(computed_option(&word("-if"), &with_arg), value(&["-f"]));
        assert_eq!(computed_option(&word("-ef"), &with_arg), value(&["-e"]));
        assert_eq!(computed_option(&word("--color="), &with_arg), value(&[]));
        for any in ["-", "--", "-n", "--fi"] {
            assert_eq!(
                computed_option(&word(any), &with_arg),
                ComputedOption::Any,
                "{any}"
            );
        }
        for not in ["", "a-", "src/"] {
            assert_eq!(
                computed_option(&word(not), &with_arg),
                ComputedOption::NotOption
            );
        }
        assert_eq!(
            computed_option(&Arg::literal("--file=x", [0, 0]), &with_arg),
            ComputedOption::NotOption
        );
    }

    #[test]
    fn an_option_word_leaves_its_value_to_the_next_word() {
        let with_arg = ["-f", "-e", "--file", "--regexp"];
        for v in ["-e", "-ie", "--file", "--fi", "--regexp"] {
            assert!(takes_next(v, &with_arg), "{v}");
        }
        for v in ["-ex", "-n", "--file=x", "--color", "-", "--", "x"] {
            assert!(!takes_next(v, &with_arg), "{v}");
        }
    }

    #[test]
    fn short_options_cluster_and_take_values() {
        assert_eq!(
            read(&["t", "-vo", "x", "-ofile", "y"], &GNU),
            ["Short('v')", "Short('o') x", "Short('o')=file", "y"]
        );
        // A value letter ends the cluster: `-of` is `-o f`.
        assert_eq!(read(&["t", "-of"], &GNU), ["Short('o')=f"]);
        assert_eq!(read(&["t", "-o"], &GNU), ["Short('o')"]);
    }

    #[test]
    fn long_options_resolve_by_prefix() {
        assert_eq!(read(&["t", "--out", "x"], &GNU), ["Long(\"output\") x"]);
        assert_eq!(read(&["t", "--fi=x", "y"], &GNU), ["Long(\"file\")=x", "y"]);
        assert_eq!(
            read(&["t", "--in-place", "y"], &GNU),
            ["Long(\"in-place\")", "y"]
        );
        assert_eq!(
            read(&["t", "--f", "x"], &GNU),
            ["Ambiguous([\"file\", \"force\"]) x"]
        );
        assert_eq!(
            read(&["t", "--other", "x"], &GNU),
            ["Other(\"--other\")", "x"]
        );
    }

    #[test]
    fn options_end_at_double_dash() {
        assert_eq!(read(&["t", "--", "-o", "x"], &GNU), ["-o", "x"]);
        assert_eq!(read(&["t", "-", "-o"], &GNU), ["-", "Short('o')"]);
    }

    #[test]
    fn plus_words_are_options_only_where_the_tool_has_them() {
        let s = Syntax {
            plus: Some("O"),
            ..GNU
        };
        // `+O` takes a value, `+o` (a value letter only with `-`) does not.
        assert_eq!(
            read(&["t", "+O", "x", "+o", "y"], &s),
            ["Short('O') x", "Short('o')", "y"]
        );
        assert_eq!(read(&["t", "+", "+o"], &s), ["+", "Short('o')"]);
        assert_eq!(read(&["t", "+o", "x"], &GNU), ["+o", "x"]);
        // From a later word.
        let argv = args(&["t", "a", "-o", "x", "b"]);
        let items: Vec<_> = scan_from(&argv, 2, &GNU).collect();
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn without_clusters_only_the_first_letter_is_read() {
        let s = Syntax {
            clusters: false,
            abbreviates: false,
            ..GNU
        };
        assert_eq!(read(&["t", "-vo", "x"], &s), ["Short('v')", "x"]);
        assert_eq!(read(&["t", "--out", "x"], &s), ["Other(\"--out\")", "x"]);
        assert_eq!(read(&["t", "--output", "x"], &s), ["Long(\"output\") x"]);
    }
}
