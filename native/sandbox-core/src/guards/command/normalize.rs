//! Words after quote removal (docs/policy.md, Commands 4): `g"i"t`, `\rm`,
//! `$'\x72m'` and `r\<newline>m` are the literal words `git` and `rm`; a
//! word with an expansion, a substitution, a glob or a brace expansion is
//! dynamic. Substitutions met on the way are analysed as nested scripts.

use brush_parser::ast;
use brush_parser::word::{
    Parameter, ParameterExpr, ParameterTransformOp, TildeExpr, WordPiece, WordPieceWithSource,
};

use super::dangers;
use super::parse::{self, Source};
use super::prescreen::is_lookalike_space;
use super::walk::{Analyzer, Ctx};
use super::Span;
use crate::decision::{DecisionCode, Verdict};

/// A word after normalization.
#[derive(Debug, Clone, Default)]
pub(crate) struct Arg {
    /// The literal value after quote removal, with a leading `~`/`$HOME`
    /// kept as `~`; `None` when part of it is computed at run time.
    pub value: Option<String>,
    /// The source text of the word (shown for dynamic words).
    pub text: String,
    /// Where the word is in the input.
    pub span: Span,
    /// The value starts with the home directory (`~`, `$HOME`).
    pub home: bool,
    /// The literal part before the first dynamic part (for path checks).
    pub prefix: String,
    /// For words whose only dynamic parts are globs or braces: the text
    /// after quote removal with the pattern characters kept.
    pub pattern: Option<String>,
    /// The word is a process substitution `<(…)`/`>(…)`.
    pub procsub: bool,
    /// A command substitution or process substitution in the word ran a
    /// downloader (`curl`, `wget`, …).
    pub downloads: bool,
    /// The word contains a command or process substitution.
    pub has_subst: bool,
    /// For a word a wrapper fills in at run time (`xargs -I{}`, `find -exec
    /// … {}`): its literal text before that.
    pub template: Option<String>,
    /// For a word bash expands as a pathname pattern (an unquoted `*`, `?`
    /// or `[` and nothing else computed at run time): the pattern as bash
    /// reads it, quoted and escaped characters kept behind a `\`
    /// (`.gi[t\]]`, `'*'x*`), for expanding against the filesystem.
    pub glob: Option<String>,
    /// For `{}` of `find ROOT -name PAT -exec`: how find walks below ROOT
    /// (the prefix) to the paths it fills in.
    pub found: Option<super::trees::Walk>,
    /// Where bash pathname-expands the word, it may list a directory the
    /// analysis does not know: an unquoted expansion whose value may hold
    /// a pattern character (`$x`, `$(…)`), or an unquoted pattern
    /// character next to a computed part (`"$d"/*`).
    pub unbounded: bool,
    /// Variables whose unquoted expansion in the word was taken for plain
    /// (no pattern character): checked at the end against every write.
    /// Boxed: most words have none, and `Arg` is kept small (a redirection
    /// target holds one by value).
    #[allow(clippy::box_collection)]
    pub plain_names: Option<Box<Vec<String>>>,
}

impl Arg {
    /// A literal word made by the analysis (from a split string).
    pub(crate) fn literal(value: &str, span: Span) -> Arg {
        Arg {
            value: Some(value.to_string()),
            text: value.to_string(),
            span,
            home: false,
            prefix: value.to_string(),
            pattern: Some(value.to_string()),
            ..Arg::default()
        }
    }

    /// An option's value: its inline part (`--opt=VALUE`), literal text
    /// with `~` expanding as bash does after `=`, or else the next word,
    /// which `i` then steps over. `None` when the words end.
    pub(crate) fn option_value(
        inline: Option<&str>,
        span: Span,
        words: &[Arg],
        i: &mut usize,
    ) -> Option<Arg> {
        match inline {
            Some(x) => {
                let mut t = Arg::literal(x, span);
                t.home = x == "~" || x.starts_with("~/");
                Some(t)
            }
            None => {
                let n = words.get(*i)?;
                *i += 1;
                Some(n.clone())
            }
        }
    }

    /// A word a wrapper fills in at run time.
    pub(crate) fn templated(from: &Arg) -> Arg {
        let mut d = Arg::dynamic(&from.text, from.span);
        d.template = from.value.clone();
        d
    }

    /// A word whose value is not known.
    pub(crate) fn dynamic(text: &str, span: Span) -> Arg {
        Arg {
            value: None,
            text: text.to_string(),
            span,
            ..Arg::default()
        }
    }

    /// The literal value, if known.
    pub(crate) fn lit(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// Whether the literal value is exactly `s`.
    pub(crate) fn is(&self, s: &str) -> bool {
        self.value.as_deref() == Some(s)
    }

    /// The value, or the source text when dynamic (for messages).
    pub(crate) fn shown(&self) -> String {
        self.value.clone().unwrap_or_else(|| self.text.clone())
    }
}

/// Accumulates the pieces of one word.
#[derive(Default)]
struct Acc {
    value: String,
    dynamic: bool,
    prefix: String,
    prefix_open: bool,
    pattern: String,
    pattern_ok: bool,
    /// Unquoted text with quoted or dynamic parts blanked, to find brace
    /// expansions.
    probe: String,
    home: bool,
    glob: bool,
    has_subst: bool,
    downloads: bool,
    /// Where in `pattern` the last loop-variable glob ended (`"$f"` of
    /// `for f in src/*.rs`): what follows must not leave its directory.
    bound_end: Option<usize>,
    /// The word as bash's pathname expansion reads it: unquoted text as
    /// it is, quoted or escaped text with its pattern characters escaped.
    bash_pattern: String,
    /// `bash_pattern` holds an unquoted pattern character.
    bash_glob: bool,
    /// Nothing in the word is computed at run time but its globs.
    bash_known: bool,
    /// An unquoted expansion whose value may hold a pattern character.
    unbounded: bool,
    /// Variables taken for plain in unquoted expansions.
    plain_names: Vec<String>,
}

impl Acc {
    fn new() -> Acc {
        Acc {
            prefix_open: true,
            pattern_ok: true,
            bash_known: true,
            ..Acc::default()
        }
    }

    /// For a word whose text is all literal (no expansion or substitution):
    /// its strings sized for the text once, instead of grown piece by piece.
    fn for_literal(n: usize) -> Acc {
        Acc {
            value: String::with_capacity(n),
            prefix: String::with_capacity(n),
            pattern: String::with_capacity(n),
            probe: String::with_capacity(n),
            bash_pattern: String::with_capacity(n),
            ..Acc::new()
        }
    }

    fn lit(&mut self, s: &str) {
        self.value.push_str(s);
        if self.prefix_open {
            self.prefix.push_str(s);
        }
        self.pattern.push_str(s);
        for c in s.chars() {
            if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                self.bash_pattern.push('\\');
            }
            self.bash_pattern.push(c);
        }
    }

    /// Unquoted text without a complete glob of its own: literal, but a
    /// `[` in it may open a bracket expression closed by a later piece
    /// (`.gi[t\]]`).
    fn unquoted(&mut self, s: &str) {
        let before = self.bash_pattern.len();
        self.lit(s);
        self.bash_pattern.truncate(before);
        self.bash_pattern.push_str(s);
        if s.contains(['*', '?', '[']) {
            self.bash_glob = true;
        }
    }

    fn dynamic(&mut self, text: &str) {
        self.dynamic = true;
        self.prefix_open = false;
        self.pattern_ok = false;
        self.bash_known = false;
        self.probe
            .extend(std::iter::repeat_n('x', text.len().max(1)));
    }

    fn glob(&mut self, s: &str) {
        if self.prefix_open {
            let end = s.find(['*', '?', '[']).unwrap_or(s.len());
            self.prefix.push_str(&s[..end]);
        }
        self.dynamic = true;
        self.glob = true;
        self.prefix_open = false;
        self.value.push_str(s);
        self.pattern.push_str(s);
        self.bash_pattern.push_str(s);
        self.bash_glob = true;
    }
}

/// Characters that end a word when unquoted: a piece of unquoted text that
/// contains one means the word splitter and the word parser disagreed.
fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// How strictly to treat unquoted text of a word.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordKind {
    /// A word of a command, a redirection target, a `for` value.
    Command,
    /// A pattern or operand of `[[ … ]]` or `case` (may hold regex syntax).
    Pattern,
}

impl Analyzer<'_> {
    /// Normalize a word of the syntax tree, visiting its substitutions.
    pub(crate) fn word_arg(
        &mut self,
        w: &ast::Word,
        src: &Source,
        ctx: &Ctx,
        kind: WordKind,
    ) -> Arg {
        let span = src.span(w.loc.as_ref());
        let at = src
            .local_range(w.loc.as_ref())
            .and_then(|(s, _)| src.absolute(s));
        self.text_arg(&w.value, at, span, ctx, kind)
    }

    /// A word of a command or a redirection target: [`Self::word_arg`],
    /// with `~` after `NAME=` read as bash reads it (see
    /// [`tilde_after_name`]).
    pub(crate) fn command_word(&mut self, w: &ast::Word, src: &Source, ctx: &Ctx) -> Arg {
        let a = self.word_arg(w, src, ctx, WordKind::Command);
        tilde_after_name(a, &w.value)
    }

    /// Normalize word text found at byte `at` (if known) inside `span`.
    pub(crate) fn text_arg(
        &mut self,
        text: &str,
        at: Option<usize>,
        span: Span,
        ctx: &Ctx,
        kind: WordKind,
    ) -> Arg {
        self.count_node();
        if !self.count_parse(text.len()) {
            return Arg::dynamic(text, span);
        }
        let wsrc = Source::nested(self.input, text, at, span);
        let pieces = match parse::word(text) {
            Ok(p) => p,
            Err(e) => {
                let code = if e == parse::WORD_TOO_COMPLEX {
                    DecisionCode::CommandTooComplex
                } else {
                    DecisionCode::ParseError
                };
                self.finding(
                    Verdict::Deny,
                    code,
                    format!("cannot analyse the word {}: {e}", clip(text)),
                    span,
                    &[],
                    None,
                );
                return Arg::dynamic(text, span);
            }
        };
        let mut acc = if text.contains(['$', '`']) {
            Acc::new()
        } else {
            Acc::for_literal(text.len())
        };
        for p in &pieces {
            self.piece(&mut acc, p, &wsrc, false, ctx, kind);
        }
        finish(acc, text, span)
    }

    /// Visit the pieces of here-document or arithmetic text (quotes are
    /// literal there) for the substitutions and expansions in it; returns
    /// the literal text when nothing in it is dynamic.
    pub(crate) fn expand_text(
        &mut self,
        text: &str,
        at: Option<usize>,
        span: Span,
        ctx: &Ctx,
    ) -> Option<String> {
        self.count_node();
        if !self.count_parse(text.len()) {
            return None;
        }
        let wsrc = Source::nested(self.input, text, at, span);
        let pieces = match parse::heredoc_body(text) {
            Ok(p) => p,
            Err(e) => {
                let code = if e == parse::WORD_TOO_COMPLEX {
                    DecisionCode::CommandTooComplex
                } else {
                    DecisionCode::ParseError
                };
                self.finding(
                    Verdict::Deny,
                    code,
                    format!("cannot analyse the text {}: {e}", clip(text)),
                    span,
                    &[],
                    None,
                );
                return None;
            }
        };
        let mut acc = Acc::new();
        for p in &pieces {
            self.piece(&mut acc, p, &wsrc, true, ctx, WordKind::Pattern);
        }
        (!acc.dynamic).then_some(acc.value)
    }

    fn piece(
        &mut self,
        acc: &mut Acc,
        p: &WordPieceWithSource,
        wsrc: &Source,
        quoted: bool,
        ctx: &Ctx,
        kind: WordKind,
    ) {
        if self.aborted() {
            return;
        }
        self.count_node();
        let span = wsrc.span_bytes(p.start_index, p.end_index);
        match &p.piece {
            WordPiece::Text(s) => {
                if quoted {
                    acc.probe.extend(std::iter::repeat_n('x', s.len()));
                    acc.lit(s);
                    return;
                }
                if let Some(c) = s.chars().find(|&c| is_lookalike_space(c)) {
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::ForbiddenCharacter,
                        format!(
                            "{} (U+{:04X}) outside quotes looks like a space but is part of the word {}",
                            char_name(c),
                            c as u32,
                            clip(s)
                        ),
                        span,
                        &[],
                        None,
                    );
                }
                if kind == WordKind::Command && s.chars().any(is_meta) {
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::ParseError,
                        format!("the word {} could not be split consistently", clip(s)),
                        span,
                        &[],
                        None,
                    );
                }
                acc.probe.push_str(s);
                if has_glob(s) {
                    acc.glob(s);
                } else {
                    acc.unquoted(s);
                }
            }
            WordPiece::SingleQuotedText(s) => {
                acc.probe.extend(std::iter::repeat_n('x', s.len() + 2));
                acc.lit(s);
            }
            WordPiece::AnsiCQuotedText(s) => {
                acc.probe.extend(std::iter::repeat_n('x', s.len() + 3));
                match decode_ansi_c(s) {
                    Some(d) => acc.lit(&d),
                    None => acc.dynamic(s),
                }
            }
            WordPiece::DoubleQuotedSequence(v) => {
                acc.probe.push('x');
                for inner in v {
                    self.piece(acc, inner, wsrc, true, ctx, kind);
                }
                acc.probe.push('x');
            }
            WordPiece::GettextDoubleQuotedSequence(v) => {
                // `$"…"` is translated through a message catalog chosen by
                // the environment: its text is not known.
                acc.probe.push('x');
                for inner in v {
                    self.piece(acc, inner, wsrc, true, ctx, kind);
                }
                acc.dynamic("$\"…\"");
            }
            WordPiece::TildeExpansion(t) => {
                if matches!(t, TildeExpr::Home) && acc.value.is_empty() && !acc.dynamic {
                    acc.home = true;
                    acc.probe.push('x');
                    acc.lit("~");
                } else {
                    acc.dynamic("~");
                }
            }
            WordPiece::ParameterExpansion(pe) => {
                // Judged before the expansion's own writes (`${x:=1}`).
                let glob_free = self.glob_free(pe);
                self.parameter(pe, span, ctx, quoted);
                if is_home(pe) && acc.value.is_empty() && !acc.dynamic {
                    acc.home = true;
                    acc.probe.push('x');
                    acc.lit("~");
                } else if let Some(g) = quoted.then(|| self.bound_use(pe)).flatten() {
                    // Quoted, so no splitting or globbing of the value: it is
                    // one name the loop's glob matched.
                    acc.probe.push('x');
                    // Expanded as the loop's glob: `"$f"` is one of its
                    // matches.
                    acc.glob(&g);
                    acc.bound_end = Some(acc.pattern.len());
                } else {
                    if !quoted {
                        // bash pathname-expands the value of an unquoted
                        // expansion.
                        match glob_free {
                            Some(None) => {}
                            Some(Some(n)) => acc.plain_names.push(n),
                            None => acc.unbounded = true,
                        }
                    }
                    acc.dynamic("$");
                }
            }
            WordPiece::CommandSubstitution(s) | WordPiece::BackquotedCommandSubstitution(s) => {
                acc.has_subst = true;
                // Its output may hold pattern characters.
                acc.unbounded |= !quoted;
                let skip = if matches!(p.piece, WordPiece::CommandSubstitution(_)) {
                    2
                } else {
                    1
                };
                let mut at = wsrc.absolute(p.start_index + skip);
                let before = self.effective_len();
                let inner = ctx.nested();
                // bash removes some backslashes from backquoted text before
                // parsing it: judge the text bash runs.
                let text = if skip == 1 {
                    super::shell::unescape_backquoted(s, quoted)
                } else {
                    s.clone()
                };
                if text != *s {
                    at = None;
                }
                self.in_child(|a| a.analyze_script(&text, at, span, &inner));
                if self.downloads_since(before) {
                    acc.downloads = true;
                }
                acc.dynamic(s);
            }
            WordPiece::EscapeSequence(s) => {
                let escaped = s.strip_prefix('\\').unwrap_or(s);
                acc.probe.extend(std::iter::repeat_n('x', s.len()));
                if escaped == "\n" {
                    // A line continuation: removed.
                } else if !quoted || matches!(escaped, "\"" | "\\" | "$" | "`") {
                    acc.lit(escaped);
                } else {
                    acc.lit(s);
                }
            }
            WordPiece::ArithmeticExpression(e) => {
                let at = wsrc.absolute(p.start_index + 3);
                self.arithmetic(&e.value, at, span, ctx);
                acc.dynamic(&e.value);
            }
        }
    }

    /// Whether the value of an unquoted parameter expansion holds no
    /// pattern character: `Some(None)` always (`$#`, `$?`, `${#x}`),
    /// `Some(Some(name))` when the variable `name` is plain here (its value
    /// as written, a suffix or prefix removed, a substring, a case
    /// change), `None` when it may hold one.
    fn glob_free(&self, pe: &ParameterExpr) -> Option<Option<String>> {
        use brush_parser::word::SpecialParameter as S;
        use ParameterExpr as P;
        let (param, indirect) = match pe {
            P::ParameterLength { .. } => return Some(None),
            // The value or a literal word without a pattern character.
            P::UseDefaultValues {
                parameter,
                indirect,
                default_value: word,
                ..
            }
            | P::AssignDefaultValues {
                parameter,
                indirect,
                default_value: word,
                ..
            }
            | P::UseAlternativeValue {
                parameter,
                indirect,
                alternative_value: word,
                ..
            } if word.as_deref().unwrap_or_default().chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '_' | '-' | '.' | '/' | ':' | ',' | '=' | '+' | '@' | '%')
            }) =>
            {
                (parameter, *indirect)
            }
            P::Parameter {
                parameter,
                indirect,
            }
            | P::RemoveSmallestSuffixPattern {
                parameter,
                indirect,
                ..
            }
            | P::RemoveLargestSuffixPattern {
                parameter,
                indirect,
                ..
            }
            | P::RemoveSmallestPrefixPattern {
                parameter,
                indirect,
                ..
            }
            | P::RemoveLargestPrefixPattern {
                parameter,
                indirect,
                ..
            }
            | P::Substring {
                parameter,
                indirect,
                ..
            }
            | P::UppercaseFirstChar {
                parameter,
                indirect,
                ..
            }
            | P::UppercasePattern {
                parameter,
                indirect,
                ..
            }
            | P::LowercaseFirstChar {
                parameter,
                indirect,
                ..
            }
            | P::LowercasePattern {
                parameter,
                indirect,
                ..
            } => (parameter, *indirect),
            _ => return None,
        };
        if indirect {
            return None;
        }
        match param {
            Parameter::Special(
                S::PositionalParameterCount
                | S::LastExitStatus
                | S::ProcessId
                | S::LastBackgroundProcessId
                | S::CurrentOptionFlags,
            ) => Some(None),
            Parameter::Special(_) | Parameter::Positional(_) => None,
            Parameter::Named(n) | Parameter::NamedWithAllIndices { name: n, .. } => {
                self.is_plain(n).then(|| Some(n.clone()))
            }
            Parameter::NamedWithIndex { name, index } => self
                .is_plain(&format!("{name}[{index}]"))
                .then(|| Some(name.clone())),
        }
    }

    /// The glob a quoted `$f`, `${f}` or `${f%suffix}` stands for, when `f`
    /// is a loop variable bound to a glob. Removing a literal suffix that
    /// holds no `/` keeps the value in the glob's directory.
    fn bound_use(&self, pe: &ParameterExpr) -> Option<String> {
        match pe {
            ParameterExpr::Parameter {
                parameter: Parameter::Named(n),
                indirect: false,
            } => self.bound_glob(n).map(str::to_string),
            ParameterExpr::RemoveSmallestSuffixPattern {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern: Some(suffix),
            }
            | ParameterExpr::RemoveLargestSuffixPattern {
                parameter: Parameter::Named(n),
                indirect: false,
                pattern: Some(suffix),
            } if !suffix.is_empty()
                && suffix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) =>
            {
                let g = self.bound_glob(n)?;
                let (dir, last) = match g.rfind('/') {
                    Some(i) => (&g[..=i], &g[i + 1..]),
                    None => ("", g),
                };
                // The value keeps the match's first character, or is empty:
                // a name starting with `.` (which `*` does not match) when
                // the glob matches only such names, else one `*` matches.
                // A first character that may match `.` in another way
                // (`[.]`, `\.`) is not modelled.
                match last.chars().next()? {
                    '.' => Some(format!("{dir}.*")),
                    c if c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '_' | '-') => {
                        Some(format!("{dir}*"))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Visit arithmetic text: its expansions and substitutions run.
    pub(crate) fn arithmetic(&mut self, text: &str, at: Option<usize>, span: Span, ctx: &Ctx) {
        let inner = ctx.nested();
        if self.enter(&inner, span) {
            self.expand_text(text, at, span, &inner);
        }
        self.check_arith(text, span, &[]);
    }

    /// Normalize a word that brace expansion may turn into several words
    /// (bash expands braces first, then tildes and the rest in each word).
    pub(crate) fn word_args(&mut self, w: &ast::Word, src: &Source, ctx: &Ctx) -> Vec<Arg> {
        if !w.value.contains('{') {
            return vec![self.command_word(w, src, ctx)];
        }
        let span = src.span(w.loc.as_ref());
        match super::braces::expand(&w.value) {
            super::braces::Expansion::None => {
                vec![self.command_word(w, src, ctx)]
            }
            super::braces::Expansion::Words(words) => words
                .iter()
                // An unquoted empty word is removed: `cd {,..}` is `cd ..`.
                .filter(|t| !t.is_empty())
                .map(|t| {
                    let a = self.text_arg(t, None, span, ctx, WordKind::Command);
                    let mut a = tilde_after_name(a, t);
                    a.text = w.value.clone();
                    a
                })
                .collect(),
            super::braces::Expansion::TooMany => {
                self.unmodelled(
                    DecisionCode::UnmodelledExpansion,
                    format!(
                        "the brace expansion {} makes more words than the analysis enumerates",
                        clip(&w.value)
                    ),
                    span,
                    &[],
                );
                let mut a = self.word_arg(w, src, ctx, WordKind::Command);
                a.value = None;
                a.pattern = None;
                vec![a]
            }
        }
    }

    /// Visit the words inside a parameter expansion and flag the expansions
    /// that execute code or hide what they read. `quoted`: the expansion
    /// stands inside double quotes or a here-document body.
    fn parameter(&mut self, pe: &ParameterExpr, span: Span, ctx: &Ctx, quoted: bool) {
        let (param, indirect) = parameter_of(pe);
        if indirect {
            self.finding(
                Verdict::Ask,
                DecisionCode::DynamicCommandName,
                "indirect expansion ${!…} reads a variable named at run time (and evaluates array subscripts in that name)".to_string(),
                span,
                &[],
                None,
            );
        }
        if let ParameterExpr::Transform {
            op: ParameterTransformOp::PromptExpand,
            ..
        } = pe
        {
            self.finding(
                Verdict::Ask,
                DecisionCode::InlineCode,
                "${…@P} prompt expansion runs command substitutions stored in the variable"
                    .to_string(),
                span,
                &[],
                None,
            );
        }
        // `${NAME:=word}` and `${NAME=word}` assign NAME in this shell
        // while the word is expanded (when NAME is unset, or null).
        let assigns = match pe {
            ParameterExpr::AssignDefaultValues {
                parameter,
                indirect,
                default_value,
                ..
            } => match parameter {
                Parameter::Named(n)
                | Parameter::NamedWithIndex { name: n, .. }
                | Parameter::NamedWithAllIndices { name: n, .. } => {
                    Some((n.as_str(), *indirect, default_value.as_deref()))
                }
                Parameter::Positional(_) | Parameter::Special(_) => None,
            },
            _ => None,
        };
        let inner = ctx.nested();
        let mut words: Vec<&str> = Vec::new();
        let mut arith: Vec<&str> = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        // The word of `${x:-…}`, `${x=…}`, `${x:?…}`, `${x:+…}` (with or
        // without the colon) inside double quotes or a here-document body
        // is read by bash as double-quoted text, not as a word: single
        // quotes in it are literal characters, so a `$(…)` between them
        // runs. Pattern operands (`#`, `%`, `/`, `^`, `,`) keep their quotes.
        let dq_word = quoted
            && matches!(
                pe,
                ParameterExpr::UseDefaultValues { .. }
                    | ParameterExpr::AssignDefaultValues { .. }
                    | ParameterExpr::IndicateErrorIfNullOrUnset { .. }
                    | ParameterExpr::UseAlternativeValue { .. }
            );
        if let Some(Parameter::NamedWithIndex { name, index }) = param {
            // An associative array's key is a string, not arithmetic.
            if self.shell.assoc.iter().any(|a| a == name) {
                keys.push(index);
            } else {
                arith.push(index);
            }
        }
        match pe {
            ParameterExpr::UseDefaultValues {
                default_value: v, ..
            }
            | ParameterExpr::AssignDefaultValues {
                default_value: v, ..
            } => words.extend(v.as_deref()),
            ParameterExpr::IndicateErrorIfNullOrUnset {
                error_message: v, ..
            } => words.extend(v.as_deref()),
            ParameterExpr::UseAlternativeValue {
                alternative_value: v,
                ..
            } => words.extend(v.as_deref()),
            ParameterExpr::RemoveSmallestSuffixPattern { pattern: v, .. }
            | ParameterExpr::RemoveLargestSuffixPattern { pattern: v, .. }
            | ParameterExpr::RemoveSmallestPrefixPattern { pattern: v, .. }
            | ParameterExpr::RemoveLargestPrefixPattern { pattern: v, .. }
            | ParameterExpr::UppercaseFirstChar { pattern: v, .. }
            | ParameterExpr::UppercasePattern { pattern: v, .. }
            | ParameterExpr::LowercaseFirstChar { pattern: v, .. }
            | ParameterExpr::LowercasePattern { pattern: v, .. } => words.extend(v.as_deref()),
            ParameterExpr::ReplaceSubstring {
                pattern,
                replacement,
                ..
            } => {
                words.push(pattern);
                words.extend(replacement.as_deref());
            }
            ParameterExpr::Substring { offset, length, .. } => {
                arith.push(&offset.value);
                if let Some(l) = length {
                    arith.push(&l.value);
                }
            }
            ParameterExpr::Parameter { .. }
            | ParameterExpr::ParameterLength { .. }
            | ParameterExpr::Transform { .. }
            | ParameterExpr::VariableNames { .. }
            | ParameterExpr::MemberKeys { .. } => {}
        }
        let operands = words.len();
        words.extend(keys);
        let default_text = assigns.and_then(|(_, _, v)| v);
        let mut default = None;
        if !(words.is_empty() && arith.is_empty()) && self.enter(&inner, span) {
            for (i, w) in words.into_iter().enumerate().filter(|(_, w)| !w.is_empty()) {
                let at = self
                    .input
                    .get(span[0]..span[1])
                    .and_then(|s| s.find(w))
                    .map(|i| span[0] + i);
                let a = if dq_word && i < operands {
                    self.double_quoted_operand(w, at, span, &inner)
                } else {
                    self.text_arg(w, at, span, &inner, WordKind::Pattern)
                };
                if default_text.is_some_and(|d| std::ptr::eq(d, w)) {
                    default = Some(a);
                }
            }
            for a in arith.into_iter().filter(|a| !a.is_empty()) {
                let at = self
                    .input
                    .get(span[0]..span[1])
                    .and_then(|s| s.find(a))
                    .map(|i| span[0] + i);
                self.expand_text(a, at, span, &inner);
                self.check_arith(a, span, &[]);
            }
        }
        if let Some((name, indirect, text)) = assigns {
            if text.is_none_or(str::is_empty) {
                default = Some(Arg::literal("", span));
            }
            self.assign_default(name, indirect, default.as_ref(), span);
        }
    }

    /// Analyse the word of `${x:-…}` (and its kin) inside double quotes or
    /// a here-document body as bash reads it: double-quoted text, where `'`
    /// is an ordinary character and `"` only groups. Its substitutions and
    /// nested expansions are visited as in a here-document body; its value
    /// is known only when it holds no quote or backslash (bash removes
    /// those by rules of its own here).
    fn double_quoted_operand(&mut self, w: &str, at: Option<usize>, span: Span, ctx: &Ctx) -> Arg {
        if w.contains("$'") {
            // bash decodes `$'…'` here and expands what the decoded text
            // spells (`$'\x24(cmd)'` runs cmd): not modelled.
            self.unmodelled(
                DecisionCode::UnmodelledExpansion,
                format!(
                    "the double-quoted ${{…}} word {} holds $'…', whose decoded text bash expands again",
                    clip(w)
                ),
                span,
                &[],
            );
        }
        let value = self.expand_text(w, at, span, ctx);
        match value {
            Some(v) if !w.contains(['\'', '"', '\\']) => Arg::literal(&v, span),
            _ => Arg::dynamic(w, span),
        }
    }

    /// Whether an effective command recorded since `before` is a downloader.
    pub(crate) fn downloads_since(&self, before: usize) -> bool {
        self.effective_since(before).iter().any(|c| {
            c.argv
                .first()
                .and_then(|a| a.as_deref())
                .is_some_and(|n| dangers::is_downloader(super::rules::basename(n)))
        })
    }
}

fn parameter_of(pe: &ParameterExpr) -> (Option<&Parameter>, bool) {
    match pe {
        ParameterExpr::Parameter {
            parameter,
            indirect,
        }
        | ParameterExpr::UseDefaultValues {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::AssignDefaultValues {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::IndicateErrorIfNullOrUnset {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::UseAlternativeValue {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::ParameterLength {
            parameter,
            indirect,
        }
        | ParameterExpr::RemoveSmallestSuffixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::RemoveLargestSuffixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::RemoveSmallestPrefixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::RemoveLargestPrefixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::Substring {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::Transform {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::UppercaseFirstChar {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::UppercasePattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::LowercaseFirstChar {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::LowercasePattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::ReplaceSubstring {
            parameter,
            indirect,
            ..
        } => (Some(parameter), *indirect),
        ParameterExpr::VariableNames { .. } | ParameterExpr::MemberKeys { .. } => (None, false),
    }
}

/// Where bash, outside POSIX mode, expands a `~` inside a word that looks
/// like an assignment (`NAME=`, `NAME+=`, `NAME[…]=` with the name
/// unquoted): right after the first `=`, and after an unquoted `:` in what
/// follows. It does so for every such word, an argument (`cat x=~/f`) or a
/// redirection target (`> x=~/f`) as well as an assignment; `sh` and
/// `set -o posix` leave the `~` alone. The offset of the first such `~`.
pub(crate) fn assignment_tilde(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    let mut i = 1;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    if b.get(i) == Some(&b'[') {
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        i += 1;
    }
    if b.get(i) == Some(&b'+') {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    let mut j = i + 1;
    if b.get(j) == Some(&b'~') {
        return Some(j);
    }
    // After an unquoted `:` of the value (a `:` inside a substitution
    // over-counts, which only makes the word computed).
    while j < b.len() {
        match b[j] {
            b'\\' => j += 1,
            b'\'' => {
                j += 1;
                while j < b.len() && b[j] != b'\'' {
                    j += 1;
                }
            }
            b'"' => {
                j += 1;
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
            }
            b':' if b.get(j + 1) == Some(&b'~') => return Some(j + 1),
            _ => {}
        }
        j += 1;
    }
    None
}

/// A word bash tilde-expands after `NAME=` (see [`assignment_tilde`]) is
/// taken as computed: its value depends on the home and on whether the
/// shell is in POSIX mode, and a literal reading (`x=~/.ssh/id_rsa` as a
/// relative path) would be judged at the wrong place. The literal text
/// before the `~` stays its known prefix.
pub(crate) fn tilde_after_name(mut a: Arg, raw: &str) -> Arg {
    let Some(at) = assignment_tilde(raw) else {
        return a;
    };
    let before = &raw[..at];
    a.prefix = if before.contains(['\\', '\'', '"', '$', '`']) {
        String::new()
    } else {
        before.to_string()
    };
    a.value = None;
    a.pattern = None;
    a.glob = None;
    a.home = false;
    a
}

/// `$HOME` or `${HOME}`: the home directory, the same as `~`.
fn is_home(pe: &ParameterExpr) -> bool {
    matches!(pe, ParameterExpr::Parameter { parameter: Parameter::Named(n), indirect: false } if n == "HOME")
}

fn finish(acc: Acc, text: &str, span: Span) -> Arg {
    let brace = has_brace_expansion(&acc.probe);
    let dynamic = acc.dynamic || brace;
    // After a loop variable's glob, a `/` could climb out (`"$f/../x"`).
    let escapes = acc
        .bound_end
        .is_some_and(|e| acc.pattern[e..].contains('/'));
    let pattern = if (acc.pattern_ok && !escapes && (acc.glob || brace)) || !dynamic {
        Some(acc.pattern)
    } else {
        None
    };
    let glob = (acc.bash_known && acc.bash_glob).then_some(acc.bash_pattern);
    Arg {
        value: (!dynamic).then_some(acc.value),
        text: text.to_string(),
        span,
        home: acc.home,
        prefix: acc.prefix,
        pattern,
        procsub: false,
        downloads: acc.downloads,
        has_subst: acc.has_subst,
        template: None,
        glob,
        found: None,
        unbounded: acc.unbounded || (acc.bash_glob && !acc.bash_known),
        plain_names: (!acc.plain_names.is_empty()).then(|| Box::new(acc.plain_names)),
    }
}

/// Unquoted `*`, `?` or a bracket expression `[…]` make a word a pattern.
fn has_glob(s: &str) -> bool {
    if s.contains('*') || s.contains('?') {
        return true;
    }
    match s.find('[') {
        Some(i) => s[i + 1..].contains(']'),
        None => false,
    }
}

/// `{a,b}` or `{1..3}` (not `${…}`, not `{}` or `{x}`) in unquoted text.
fn has_brace_expansion(probe: &str) -> bool {
    let b = probe.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' && (i == 0 || b[i - 1] != b'$') {
            let mut depth = 0usize;
            let mut comma = false;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b',' if depth == 1 => comma = true,
                    _ => {}
                }
                j += 1;
            }
            if j < b.len() {
                let inner = &probe[i + 1..j];
                if comma || is_sequence(inner) {
                    return true;
                }
            }
        }
        i += 1;
    }
    false
}

/// `a..z`, `1..10`, `1..10..2`.
fn is_sequence(inner: &str) -> bool {
    let parts: Vec<&str> = inner.split("..").collect();
    if !(2..=3).contains(&parts.len()) {
        return false;
    }
    let term = |p: &str| {
        let p = p.strip_prefix('-').unwrap_or(p);
        !p.is_empty()
            && (p.chars().all(|c| c.is_ascii_digit())
                || (p.chars().count() == 1 && p.chars().all(|c| c.is_ascii_alphabetic())))
    };
    parts.iter().all(|p| term(p))
}

/// Decode the body of `$'…'` like bash. `None` when the result is not valid
/// UTF-8 or contains NUL (bash would truncate there).
pub(crate) fn decode_ansi_c(s: &str) -> Option<String> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16);
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'e' | b'E' => out.push(0x1b),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'\\' | b'\'' | b'"' | b'?' => out.push(c),
            b'0'..=b'7' => {
                let mut v = (c - b'0') as u32;
                let mut n = 1;
                while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < b.len() && hex(b[i]).is_some() {
                    v = v * 16 + hex(b[i])?;
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            b'u' | b'U' => {
                let max = if c == b'u' { 4 } else { 8 };
                let mut v = 0u32;
                let mut n = 0;
                while n < max && i < b.len() && hex(b[i]).is_some() {
                    v = v * 16 + hex(b[i])?;
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.push(b'\\');
                    out.push(c);
                } else {
                    let ch = char::from_u32(v)?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
            }
            b'c' => {
                let ctl = *b.get(i)?;
                i += 1;
                out.push(ctl.to_ascii_uppercase() ^ 0x40);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

fn char_name(c: char) -> &'static str {
    match c {
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{3000}' => "IDEOGRAPHIC SPACE",
        _ => "a Unicode space",
    }
}

/// A short, single-line rendering of text for messages.
pub(crate) fn clip(s: &str) -> String {
    let one: String = s.chars().take(60).collect();
    let more = if s.chars().count() > 60 { "…" } else { "" };
    format!("{:?}", format!("{one}{more}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c() {
        assert_eq!(decode_ansi_c(r"\162\155").as_deref(), Some("rm"));
        assert_eq!(decode_ansi_c(r"\x72m").as_deref(), Some("rm"));
        assert_eq!(decode_ansi_c(r"\u0072m").as_deref(), Some("rm"));
        assert_eq!(decode_ansi_c(r"a\'b").as_deref(), Some("a'b"));
        assert_eq!(decode_ansi_c(r"\n\t").as_deref(), Some("\n\t"));
        assert_eq!(decode_ansi_c(r"\x00"), None);
        assert_eq!(decode_ansi_c(r"\xff"), None);
        assert_eq!(decode_ansi_c(r"\cA").as_deref(), Some("\u{1}"));
    }

    #[test]
    fn globs_and_braces() {
        assert!(has_glob("*.md"));
        assert!(has_glob("r[m]"));
        assert!(!has_glob("[")); // the test command
        assert!(has_brace_expansion("{src,test}/"));
        assert!(has_brace_expansion("{1..3}"));
        assert!(!has_brace_expansion("{}"));
        assert!(!has_brace_expansion("x{a}"));
        assert!(!has_brace_expansion("${a,b}"));
    }
}
