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
use brush_parser::{Parser, ParserOptions, SourceSpan};

use super::limits::{STACK_BASE, STACK_PER_OPENER, STACK_SEGMENT};
use super::prescreen::opener_count;
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
    let mut parser = Parser::new(std::io::Cursor::new(text.as_bytes()), &options());
    parser.parse_program().map_err(|e| e.to_string())
}

/// Split one word into its pieces (quotes, expansions, substitutions).
pub(crate) fn word(text: &str) -> Result<Vec<WordPieceWithSource>, String> {
    word::parse(text, &options()).map_err(|e| e.to_string())
}

/// Split a here-document body (or arithmetic text), where quotes are literal,
/// into its pieces.
pub(crate) fn heredoc_body(text: &str) -> Result<Vec<WordPieceWithSource>, String> {
    word::parse_heredoc(text, &options()).map_err(|e| e.to_string())
}

/// Run `f` (which parses `text` and walks the result) with enough stack for
/// the parser's recursion on `text`: on the caller's stack when it has room,
/// else on a fresh segment. The JVM's threads may have small stacks, and a
/// stack overflow would abort the whole process.
pub(crate) fn with_stack<R>(text: &str, f: impl FnOnce() -> R) -> R {
    let red_zone = STACK_BASE + opener_count(text).saturating_mul(STACK_PER_OPENER);
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
    fn parse_errors_are_reported() {
        assert!(program("ls &&").is_err());
        assert!(program("echo 'x").is_err());
        assert!(program("ls ;; rm").is_err());
        assert!(program("echo @(a|b)").is_err());
    }
}
