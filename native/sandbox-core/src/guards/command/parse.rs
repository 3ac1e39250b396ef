//! The bash parser (brush-parser) behind one small interface, and the mapping
//! of its positions back to byte offsets of the analysed input.
//!
//! brush-parser keeps the text of `$(…)`, backticks, `${…}` operands,
//! arithmetic and here-document bodies as strings inside the syntax tree; the
//! analysis parses each such string once, when it visits it, one nesting level
//! deeper. Every parse runs on a stack large enough for the deepest recursion
//! the text can cause (see [`with_stack`]).

use brush_parser::ast;
use brush_parser::word::{self, WordPieceWithSource};
use brush_parser::{parse_tokens, uncached_tokenize_str, ParserOptions, SourceSpan, Token};

use super::limits::{
    MAX_PARSE_NESTING, MAX_WORD_EXPANSIONS, STACK_BASE, STACK_PER_OPENER, STACK_SEGMENT,
};
use super::Span;

/// Bash as a non-interactive shell parses it: no extended globbing (`@(…)` is
/// a syntax error there), tilde expansion at the start of words.
fn options() -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: false,
        posix_mode: false,
        sh_mode: false,
        tilde_expansion_at_word_start: true,
        tilde_expansion_after_colon: false,
        ..ParserOptions::default()
    }
}

/// Parse a whole program.
pub(crate) fn program(text: &str) -> Result<ast::Program, String> {
    refuse_overflowing_numbers(text)?;
    let options = options();
    // Tokenized once: the tokens the nesting is counted on are the tokens
    // parsed (what `Parser::parse_program` would produce by tokenizing again).
    let tokens = guarded(|| {
        let tokens =
            uncached_tokenize_str(text, &options.tokenizer_options()).map_err(|e| e.to_string())?;
        refuse_deep_nesting(&tokens)?;
        refuse_joined_process_substitution(text, &tokens)?;
        refuse_unfaithful_comments(text, &tokens)?;
        refuse_unfaithful_heredoc_delimiters(text, &tokens)?;
        refuse_redirection_to_parenthesis(&tokens)?;
        Ok(tokens)
    })?;
    guarded(|| parse_tokens(&tokens, &options).map_err(|e| e.to_string()))
}

/// Split one word into its pieces (quotes, expansions, substitutions).
pub(crate) fn word(text: &str) -> Result<Vec<WordPieceWithSource>, String> {
    refuse_overflowing_numbers(text)?;
    refuse_costly_word(text)?;
    if let Some(pieces) = plain_word(text) {
        return Ok(pieces);
    }
    guarded(|| word::parse(text, &options()).map_err(|e| e.to_string()))
}

/// The pieces of a word made of characters that are literal wherever they
/// stand in a word (letters, digits, `_ . / , : = + % @ -`; no quote,
/// `$`, `\`, `~`, pattern or brace character): one unquoted text piece,
/// which is what brush-parser returns for it, without its per-call parse
/// (a copy of the word, a lock and a look-up in its global cache).
fn plain_word(text: &str) -> Option<Vec<WordPieceWithSource>> {
    let plain = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'.' | b'/' | b',' | b':' | b'=' | b'+' | b'%' | b'@' | b'-'
            )
    };
    if text.is_empty() || !text.bytes().all(plain) {
        return None;
    }
    Some(vec![WordPieceWithSource {
        piece: brush_parser::word::WordPiece::Text(text.to_string()),
        start_index: 0,
        end_index: text.len(),
    }])
}

/// Split a here-document body (or arithmetic text), where quotes are literal,
/// into its pieces.
pub(crate) fn heredoc_body(text: &str) -> Result<Vec<WordPieceWithSource>, String> {
    refuse_overflowing_numbers(text)?;
    refuse_costly_word(text)?;
    guarded(|| word::parse_heredoc(text, &options()).map_err(|e| e.to_string()))
}

/// brush-parser 0.4 panics on a redirection's file descriptor number beyond
/// `i32` (`99999999999>f`) and on a directory-stack index beyond `usize`
/// (`~+99999999999999999999`); such text is refused before it gets there.
fn refuse_overflowing_numbers(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        if digits >= 10 && matches!(b.get(i), Some(b'<' | b'>')) {
            return Err("a file descriptor number is too large".to_string());
        }
        let tilde = match start.checked_sub(1).map(|k| b[k]) {
            Some(b'~') => true,
            Some(b'+' | b'-') => start >= 2 && b[start - 2] == b'~',
            _ => false,
        };
        if tilde && digits >= 19 {
            return Err("a directory-stack index is too large".to_string());
        }
    }
    Ok(())
}

/// Why a text is refused before parsing.
pub(crate) const TOO_DEEP: &str = "the command nests parentheses or case statements too deeply";
/// Why a word or here-document body is refused before parsing.
pub(crate) const WORD_TOO_COMPLEX: &str =
    "a word or here-document holds too many substitutions and ${…} expansions";

/// brush-parser's word parser backtracks exponentially on nested `$(`,
/// `$((` and `${` that it cannot close (`$(($(($((…` in a here-document:
/// seconds for ten). Counting them without regard to quoting over-counts
/// only, so a text with more than [`MAX_WORD_EXPANSIONS`] (`$((` counting
/// twice) is refused before it is parsed.
fn refuse_costly_word(text: &str) -> Result<(), String> {
    if expansion_weight(text) > MAX_WORD_EXPANSIONS {
        return Err(WORD_TOO_COMPLEX.to_string());
    }
    Ok(())
}

/// The count of `$((` plus `$(` plus `${` in `text`, in one pass over the
/// bytes: none of them can overlap itself, so counting at each `$` counts
/// what `str::matches` counts.
fn expansion_weight(text: &str) -> usize {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'$')
        .map(|i| match (b.get(i + 1), b.get(i + 2)) {
            (Some(b'('), Some(b'(')) => 2,
            (Some(b'(' | b'{'), _) => 1,
            _ => 0,
        })
        .sum()
}

/// brush-parser backtracks exponentially on nested parentheses and `case`
/// statements that do not parse (`((((((((((((((((((((`: a second per few
/// levels). Its tokenizer is linear, so the nesting of these operators and
/// keywords is counted on its tokens first (quotes, here-documents and
/// substitutions are tokenized as bash does, so they cannot hide an opener
/// or fake a closer), and a text nesting deeper than
/// [`MAX_PARSE_NESTING`] (above the depth limit of the analysis) is refused.
fn refuse_deep_nesting(tokens: &[Token]) -> Result<(), String> {
    let (mut parens, mut cases, mut deepest) = (0usize, 0usize, 0usize);
    // A reserved word counts only where a command can start.
    let mut command_start = true;
    for token in tokens {
        match token {
            Token::Operator(op, _) => {
                match op.as_str() {
                    "(" => parens += 1,
                    ")" => parens = parens.saturating_sub(1),
                    _ => {}
                }
                // After a redirection comes its target, not a command.
                command_start = !op.contains(['<', '>']);
            }
            Token::Word(word, _) => {
                if command_start {
                    match word.as_str() {
                        "case" => cases += 1,
                        "esac" => cases = cases.saturating_sub(1),
                        _ => {}
                    }
                }
                command_start = matches!(
                    word.as_str(),
                    "if" | "then"
                        | "else"
                        | "elif"
                        | "do"
                        | "while"
                        | "until"
                        | "!"
                        | "{"
                        | "time"
                        | "coproc"
                );
            }
        }
        deepest = deepest.max(parens + cases);
    }
    if deepest > MAX_PARSE_NESTING {
        return Err(TOO_DEEP.to_string());
    }
    Ok(())
}

/// Why a text is refused: a process substitution or compound assignment
/// joined to more of its word.
pub(crate) const JOINED_PROCESS_SUBSTITUTION: &str =
    "a process substitution or a compound assignment `NAME=(…)` is joined to the text after it (bash reads one word there, and a `#` in it does not start a comment)";

/// bash reads `<(…)`, `>(…)` and the `(…)` of `NAME=(…)` as part of a
/// word: what follows the `)` up to a blank or an operator belongs to the
/// same word, so a `#` there does not start a comment (`echo <(true)#; rm …`
/// and `a=(1)#; rm …` run the `rm`), and `a=(1)x cmd` is the scalar
/// assignment `a='(1)x'` before `cmd`. brush-parser ends the word at the
/// `)`, dropping the rest of the line as a comment or reading the rest as
/// another word. A text where something other than a blank, a newline or
/// an operator follows such a `)` is refused.
fn refuse_joined_process_substitution(text: &str, tokens: &[Token]) -> Result<(), String> {
    // brush-parser counts positions in characters.
    let chars: Vec<char> = text.chars().collect();
    // For each open `(`: whether it opens a process substitution or a
    // compound assignment.
    let mut open: Vec<bool> = Vec::new();
    let mut previous: Option<&Token> = None;
    for token in tokens {
        if let Token::Operator(op, span) = token {
            match op.as_str() {
                "(" => open.push(match previous {
                    Some(Token::Operator(p, _)) => matches!(p.as_str(), "<" | ">"),
                    // `NAME=(`, `NAME+=(`, `NAME[i]=(` (also after
                    // `declare`, `local`, `let`, …): the word touches the `(`.
                    Some(Token::Word(w, at)) => {
                        w.ends_with('=') && at.end.index == span.start.index
                    }
                    None => false,
                }),
                ")" if open.pop() == Some(true) => {
                    let next = chars.get(span.end.index).copied();
                    let after = chars.get(span.end.index + 1).copied();
                    let ends_word = match next {
                        None | Some(' ' | '\t' | '\n' | ';' | '&' | '|' | ')') => true,
                        // A redirection operator, not another
                        // substitution joined to this one.
                        Some('<' | '>') => after != Some('('),
                        Some(_) => false,
                    };
                    if !ends_word {
                        return Err(JOINED_PROCESS_SUBSTITUTION.to_string());
                    }
                }
                _ => {}
            }
        }
        previous = Some(token);
    }
    Ok(())
}

/// Why a text is refused: a `#` that bash reads as part of a word or of an
/// arithmetic or conditional text, which the parser would read as a comment.
pub(crate) const UNFAITHFUL_COMMENT: &str =
    "a `#` that the parser would read as the start of a comment where bash does not (inside `(( … ))` or `[[ … ]]`, or joined to the text before it): the rest of the line is not modelled";

/// bash starts a comment only at a `#` that begins a word. brush-parser's
/// tokenizer, which knows no context, drops as a comment every `#` where no
/// token has started, so it drops text that bash runs:
/// - inside an arithmetic command `(( … ))` (also `for (( … ))`), which
///   bash reads as raw text up to `))`: `(( # )); rm …` runs the `rm` once
///   the `#` has failed as arithmetic, and a later line `))` closes it for
///   the parser;
/// - inside `[[ … ]]`, where bash reads the regular expression after `=~`
///   with its parentheses (and blanks inside them) as one word:
///   `[[ x =~ (a)# ]]; rm …`;
/// - right after text bash continues the word with.
///
/// The comments it drops are the `#`s outside every word token; one that
/// follows anything but a blank, a newline or an operator, or that lies in
/// such a region, is refused (comments there are rare). The tokenizer also
/// drops comments inside a `$( … )` it keeps within a word, before the
/// nested text reaches the analysis; a word that lost a `#` that way and
/// holds one of these constructs is refused as well.
fn refuse_unfaithful_comments(text: &str, tokens: &[Token]) -> Result<(), String> {
    if !text.contains('#') {
        return Ok(());
    }
    let refuse = || Err(UNFAITHFUL_COMMENT.to_string());
    // brush-parser counts positions in characters.
    let chars: Vec<char> = text.chars().collect();
    let mut sorted: Vec<&Token> = tokens.iter().collect();
    sorted.sort_by_key(|t| match t {
        Token::Operator(_, s) | Token::Word(_, s) => s.start.index,
    });
    // Where words cover the text, and the regions bash reads as one text.
    let mut covered = vec![false; chars.len()];
    let mut regions: Vec<(usize, usize)> = Vec::new();
    // Open `((` (start, depth it opened at) and `[[` (start, depth).
    let mut arith: Vec<(usize, usize)> = Vec::new();
    let mut cond: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    let mut last_open: Option<usize> = None;
    for token in &sorted {
        match token {
            Token::Word(w, s) => {
                let (from, to) = (s.start.index.min(chars.len()), s.end.index.min(chars.len()));
                covered[from..to].iter_mut().for_each(|c| *c = true);
                let slice: String = chars[from..to].iter().collect();
                let lost = slice.matches('#').count() > w.matches('#').count();
                if lost
                    && ["=(", "((", "[[", "<(", ">("]
                        .iter()
                        .any(|p| slice.contains(p))
                {
                    return refuse();
                }
                match w.as_str() {
                    "[[" if cond.is_none() => cond = Some((from, depth)),
                    "]]" if cond.is_some_and(|(_, d)| d == depth) => {
                        regions.push((cond.take().map_or(from, |(f, _)| f), to));
                    }
                    _ => {}
                }
                last_open = None;
            }
            Token::Operator(op, s) => match op.as_str() {
                "(" => {
                    if last_open == Some(s.start.index) {
                        // `((`: the arithmetic opened at the first `(`.
                        arith.push((s.start.index - 1, depth - 1));
                    }
                    depth += 1;
                    last_open = Some(s.end.index);
                }
                ")" => {
                    depth = depth.saturating_sub(1);
                    if arith.last().is_some_and(|&(_, d)| d == depth) {
                        let (from, _) = arith.pop().unwrap_or_default();
                        regions.push((from, s.end.index));
                    }
                    last_open = None;
                }
                _ => last_open = None,
            },
        }
    }
    // Unclosed regions run to the end.
    regions.extend(arith.iter().map(|&(f, _)| (f, chars.len())));
    regions.extend(cond.map(|(f, _)| (f, chars.len())));
    let mut i = 0;
    while i < chars.len() {
        if covered[i] || chars[i] != '#' {
            i += 1;
            continue;
        }
        // A comment the tokenizer drops: what stands before it, line
        // continuations removed as bash removes them.
        let mut k = i;
        while k >= 2 && chars[k - 1] == '\n' && chars[k - 2] == '\\' {
            k -= 2;
        }
        let before_ok = k == 0
            || matches!(
                chars[k - 1],
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
            );
        if !before_ok || regions.iter().any(|&(f, t)| f <= i && i < t) {
            return refuse();
        }
        while i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
    }
    Ok(())
}

/// Why a text is refused: a here-document delimiter the parser reads
/// differently from bash.
pub(crate) const UNFAITHFUL_HEREDOC_DELIMITER: &str =
    "a here-document delimiter whose end line bash computes differently from the analysis (bash applies only quote removal to it; ${…}, $'…', $\"…\", `…`, $(…) and mixed quotes there are not modelled)";

/// bash applies only quote removal to a here-document delimiter: `<<${y}`
/// ends at a line `${y}`, `<<"a'b"` at `a'b`. brush-parser takes the text
/// inside `${…}` as the delimiter and removes every quote character, so it
/// would end the body at another line and read bash's commands after the
/// real end as text. Each delimiter must be one whole word whose end line,
/// computed as bash computes it, is the one brush-parser looks for.
fn refuse_unfaithful_heredoc_delimiters(text: &str, tokens: &[Token]) -> Result<(), String> {
    // brush-parser counts positions in characters.
    let chars: Vec<char> = text.chars().collect();
    let refuse = || Err(UNFAITHFUL_HEREDOC_DELIMITER.to_string());
    for pair in tokens.windows(2) {
        let (Token::Operator(op, op_at), Token::Word(tag, tag_at)) = (&pair[0], &pair[1]) else {
            if matches!(&pair[0], Token::Operator(op, _) if op == "<<" || op == "<<-") {
                return refuse();
            }
            continue;
        };
        if op != "<<" && op != "<<-" {
            continue;
        }
        let (from, start, end) = (op_at.end.index, tag_at.start.index, tag_at.end.index);
        let gap_blank = from <= start
            && chars
                .get(from..start)
                .is_some_and(|g| g.iter().all(|c| matches!(c, ' ' | '\t')));
        let whole = chars
            .get(start..end)
            .is_some_and(|w| w.iter().collect::<String>() == *tag);
        let word_ends = matches!(
            chars.get(end),
            None | Some(' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')')
        );
        if !(gap_blank && whole && word_ends) {
            return refuse();
        }
        // The end line brush-parser compares against (its tokenizer's rule).
        let tag = tag.trim_ascii_start();
        let parser_end = if tag.contains(['\\', '\'', '"']) {
            brush_parser::unquote_str(tag)
        } else {
            tag.to_string()
        };
        if bash_heredoc_delimiter(tag).as_deref() != Some(parser_end.as_str()) {
            return refuse();
        }
    }
    Ok(())
}

/// bash reads `<(` and `>(` as a process substitution only when the two
/// characters touch; a redirection operator followed by a separate `(`
/// (`cat < (echo x)`) is a syntax error there, so it is refused rather
/// than read as a substitution or a redirection from a file.
fn refuse_redirection_to_parenthesis(tokens: &[Token]) -> Result<(), String> {
    const REDIRECTIONS: &[&str] = &[
        "<", ">", ">>", "<<", "<<-", "<<<", "<>", ">|", "<&", ">&", "&>", "&>>",
    ];
    let mut previous: Option<(&str, usize)> = None;
    for token in tokens {
        match token {
            Token::Operator(op, span) => {
                if let (Some((p, end)), "(") = (previous, op.as_str()) {
                    let substitution = matches!(p, "<" | ">") && end == span.start.index;
                    if REDIRECTIONS.contains(&p) && !substitution {
                        return Err(format!(
                            "syntax error near unexpected token `(' after `{p}' (a process substitution is `<(' or `>(' with nothing between)"
                        ));
                    }
                }
                previous = Some((op.as_str(), span.end.index));
            }
            Token::Word(..) => previous = None,
        }
    }
    Ok(())
}

/// A here-document delimiter word after bash's quote removal; `None` for a
/// word holding what this does not model (`$` before a quote, brace,
/// parenthesis or bracket, a backquote, a newline, an unclosed quote).
fn bash_heredoc_delimiter(word: &str) -> Option<String> {
    let c: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '`' | '\n' => return None,
            '$' if matches!(c.get(i + 1), Some('\'' | '"' | '{' | '(' | '[')) => return None,
            '\\' => {
                out.push(*c.get(i + 1)?);
                i += 2;
                continue;
            }
            '\'' => {
                let close = (i + 1..c.len()).find(|&k| c[k] == '\'')?;
                out.extend(&c[i + 1..close]);
                i = close + 1;
                continue;
            }
            '"' => {
                i += 1;
                loop {
                    match *c.get(i)? {
                        '"' => break,
                        '`' | '\n' => return None,
                        '$' if matches!(c.get(i + 1), Some('{' | '(' | '[')) => return None,
                        '\\' if matches!(c.get(i + 1), Some('$' | '`' | '"' | '\\')) => {
                            out.push(c[i + 1]);
                            i += 2;
                        }
                        '\\' if c.get(i + 1) == Some(&'\n') => return None,
                        ch => {
                            out.push(ch);
                            i += 1;
                        }
                    }
                }
                i += 1;
                continue;
            }
            ch => out.push(ch),
        }
        i += 1;
    }
    Some(out)
}

/// Run the parser, turning a panic inside it into a parse error: what cannot
/// be parsed is refused, and the engine stays usable.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("the parser failed on this input".to_string()))
}

/// Run `f` (which parses a text with `openers` nesting openers, see
/// [`super::prescreen::opener_count`], and walks the result) with enough stack for the
/// parser's recursion: on the caller's stack when it has room, else on a
/// fresh segment. The JVM's threads may have small stacks, and a stack
/// overflow would abort the whole process.
pub(crate) fn with_stack<R>(openers: usize, f: impl FnOnce() -> R) -> R {
    let red_zone = STACK_BASE + openers.saturating_mul(STACK_PER_OPENER);
    stacker::maybe_grow(red_zone.min(STACK_SEGMENT), STACK_SEGMENT, f)
}

/// A text being analysed and where it sits in the original input.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Byte offset of the text in the input, when the text is an exact slice
    /// of it; positions are then mapped exactly.
    base: Option<usize>,
    /// What to report for positions that cannot be mapped exactly.
    fallback: Span,
    /// Byte offset of each character index, when the text is not ASCII
    /// (brush-parser counts positions in characters).
    char_bytes: Option<Vec<usize>>,
    len: usize,
}

impl Source {
    /// The analysed input itself.
    #[cfg(test)]
    pub(crate) fn top(input: &str) -> Source {
        Source::with_base(input, Some(0), [0, input.len()])
    }

    /// A text nested in `input`, expected at byte `at` (checked) or somewhere
    /// inside `within` (searched); otherwise positions map to `within`.
    pub(crate) fn nested(input: &str, text: &str, at: Option<usize>, within: Span) -> Source {
        let exact = at.filter(|&a| input.get(a..a + text.len()) == Some(text));
        let base = exact.or_else(|| {
            let hay = input.get(within[0]..within[1])?;
            if text.is_empty() {
                return None;
            }
            hay.find(text).map(|i| within[0] + i)
        });
        let mut s = Source::with_base(text, base, within);
        s.len = text.len();
        s
    }

    fn with_base(text: &str, base: Option<usize>, fallback: Span) -> Source {
        let char_bytes = if text.is_ascii() {
            None
        } else {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            Some(v)
        };
        Source {
            base,
            fallback,
            char_bytes,
            len: text.len(),
        }
    }

    /// Byte offset within the text of a character index.
    fn byte_of_char(&self, index: usize) -> usize {
        match &self.char_bytes {
            None => index.min(self.len),
            Some(v) => v.get(index).copied().unwrap_or(self.len),
        }
    }

    /// Byte range within the text of a parser location.
    pub(crate) fn local_range(&self, loc: Option<&SourceSpan>) -> Option<(usize, usize)> {
        let loc = loc?;
        let s = self.byte_of_char(loc.start.index);
        let e = self.byte_of_char(loc.end.index).max(s);
        Some((s, e))
    }

    /// Span in the input of a parser location.
    pub(crate) fn span(&self, loc: Option<&SourceSpan>) -> Span {
        match self.local_range(loc) {
            Some((s, e)) => self.span_bytes(s, e),
            None => self.fallback,
        }
    }

    /// Span in the input of a byte range within the text.
    pub(crate) fn span_bytes(&self, start: usize, end: usize) -> Span {
        match self.base {
            Some(b) => [b + start.min(self.len), b + end.min(self.len)],
            None => self.fallback,
        }
    }

    /// Absolute byte offset of a byte offset within the text, when exact.
    pub(crate) fn absolute(&self, at: usize) -> Option<usize> {
        self.base.map(|b| b + at.min(self.len))
    }

    /// The span of the whole text.
    pub(crate) fn whole(&self) -> Span {
        self.span_bytes(0, self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_get_the_pieces_brush_parser_gives() {
        for w in [
            "a",
            "src/",
            "-rn",
            "--output=out.txt",
            "TODO",
            "a:b",
            "x=y",
            "+x",
            "@x",
            "%1",
            "a,b",
            "/ws/src/main/java/dev/app/Service.java",
            "-5",
            "..",
            "_",
        ] {
            let fast = plain_word(w).expect(w);
            let parsed = word::parse(w, &options()).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{parsed:?}"), "{w}");
        }
        for w in [
            "", "~", "~/x", "a b", "$x", "'a'", "\\a", "*", "a?", "[a]", "{a,b}", "a\"b\"", "`x`",
            "é",
        ] {
            assert!(plain_word(w).is_none(), "{w}");
        }
    }

    #[test]
    fn maps_character_positions_to_bytes() {
        let input = "echo é; ls";
        let prog = program(input).unwrap();
        let src = Source::top(input);
        let item = &prog.complete_commands[0].0[1];
        let ast::Command::Simple(cmd) = &item.0.first.seq[0] else {
            panic!("not simple")
        };
        let name = cmd.word_or_name.as_ref().unwrap();
        assert_eq!(src.span(name.loc.as_ref()), [9, 11]);
        assert_eq!(&input[9..11], "ls");
    }

    #[test]
    fn nested_texts_find_their_place() {
        let input = "echo $(ls -l)";
        let s = Source::nested(input, "ls -l", Some(7), [5, 13]);
        assert_eq!(s.whole(), [7, 12]);
        let s = Source::nested(input, "ls -l", Some(3), [5, 13]);
        assert_eq!(s.whole(), [7, 12]);
        let s = Source::nested(input, "rm", None, [5, 13]);
        assert_eq!(s.whole(), [5, 13]);
    }

    #[test]
    fn expansions_are_weighed_as_counted_one_kind_at_a_time() {
        for t in [
            "",
            "$",
            "$(",
            "$((",
            "$(((",
            "$$((",
            "${(",
            "$((${",
            "a$(b)$((1))${c}",
            "$($($(",
            "$((((((",
            "x$",
            "$(x",
            "é$(ü",
            "${${${",
        ] {
            let counted =
                t.matches("$((").count() + t.matches("$(").count() + t.matches("${").count();
            assert_eq!(expansion_weight(t), counted, "{t}");
        }
    }

    #[test]
    fn numbers_that_overflow_the_parser_are_refused() {
        for t in [
            "echo 99999999999>x",
            "echo x 2147483648<&0",
            "echo ~+99999999999999999999999",
            "echo ~99999999999999999999999",
        ] {
            assert!(program(t).is_err(), "{t}");
        }
        assert!(word("~-99999999999999999999999").is_err());
        assert!(program("echo 12345 > x; echo ~+1 2>&1").is_ok());
    }

    #[test]
    fn nesting_that_makes_the_parser_backtrack_is_refused_first() {
        let deep = [
            "(".repeat(30),
            "((".repeat(20),
            "( ".repeat(30),
            "case x in x) ".repeat(30),
            "(( (".repeat(12),
            // Quoted closers, here-document delimiters and operands named
            // `esac` do not cancel openers.
            "( ')' ".repeat(30),
            "case x in x) cat <<esac\nesac\n".repeat(30),
            "case x in x) echo esac; for y in esac; do ".repeat(30),
        ];
        // Refused by counting (the parser's own error would be another).
        for text in deep {
            assert_eq!(program(&text).err().as_deref(), Some(TOO_DEEP), "{text:?}");
        }
        assert!(
            program("f() { (cd a && (ls)); }; case x in (a) echo;; esac; echo $((1+(2*3)))")
                .is_ok()
        );
    }

    #[test]
    fn words_that_make_the_word_parser_backtrack_are_refused_first() {
        for text in [
            "$((".repeat(8),
            "$(".repeat(12),
            "${x/".repeat(12),
            "$((${x/".repeat(4),
        ] {
            assert_eq!(
                word(&text).err().as_deref(),
                Some(WORD_TOO_COMPLEX),
                "{text}"
            );
            assert_eq!(
                heredoc_body(&text).err().as_deref(),
                Some(WORD_TOO_COMPLEX),
                "{text}"
            );
        }
        assert!(word("${A}-${B}-$(date)-$((1+2))").is_ok());
    }

    #[test]
    fn parse_errors_are_reported() {
        assert!(program("ls &&").is_err());
        assert!(program("echo 'x").is_err());
        assert!(program("ls ;; rm").is_err());
        assert!(program("echo @(a|b)").is_err());
    }
}
