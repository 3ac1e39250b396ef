//! Checks on the raw text before anything is parsed (docs/policy.md, Commands 1).
//!
//! These reject input whose meaning differs between what a person sees and
//! what bash executes (invisible or look-alike characters, control bytes), and
//! input too large to analyse within the limits.

use super::limits::MAX_INPUT_BYTES;
use super::Span;

/// Why the text was refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Empty or only whitespace.
    Empty,
    /// More than [`MAX_INPUT_BYTES`].
    TooLong(usize),
    /// A forbidden character at a byte offset.
    Character {
        ch: char,
        span: Span,
        what: &'static str,
    },
}

/// Screen the raw command text.
pub(crate) fn screen(text: &str) -> Result<(), Rejection> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(Rejection::TooLong(text.len()));
    }
    if text.chars().all(|c| c == ' ' || c == '\t' || c == '\n') {
        return Err(Rejection::Empty);
    }
    for (at, ch) in text.char_indices() {
        if let Some(what) = forbidden(ch) {
            return Err(Rejection::Character {
                ch,
                span: [at, at + ch.len_utf8()],
                what,
            });
        }
    }
    Ok(())
}

/// Characters refused anywhere in a command, with the reason.
fn forbidden(ch: char) -> Option<&'static str> {
    match ch {
        '\0' => Some("NUL byte (execve stops at it, validators may read on)"),
        '\t' | '\n' => None,
        '\r' => Some("carriage return (bash keeps it inside words)"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => Some("control character"),
        '\u{85}' => Some("NEXT LINE (U+0085) renders as a line break but is not one to bash"),
        c if ('\u{80}'..='\u{9f}').contains(&c) => Some("C1 control character"),
        '\u{2028}' | '\u{2029}' => {
            Some("line/paragraph separator renders as a line break but is not one to bash")
        }
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{180e}' => {
            Some("zero-width character")
        }
        '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => {
            Some("bidirectional control character (displayed text differs from executed text)")
        }
        _ => None,
    }
}

/// Characters that look like a space but are word bytes to bash. They are
/// refused outside quotes (checked on the parsed words, where quoting is known).
pub(crate) fn is_lookalike_space(ch: char) -> bool {
    matches!(
        ch,
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// A bound on how deeply the parser may recurse on this text: every character
/// or word that can open a nesting level, counted without regard to quoting
/// (so it only ever over-counts). The parser recurses once per level, so this
/// sizes the stack it needs before it runs.
pub(crate) fn opener_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'(' | b'{' | b'`' => count += 1,
            b'a'..=b'z' => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                    i += 1;
                }
                let word = &text[start..i];
                let bounded_before = start == 0 || !is_word_byte(bytes[start - 1]);
                let bounded_after = i == bytes.len() || !is_word_byte(bytes[i]);
                if bounded_before
                    && bounded_after
                    && matches!(
                        word,
                        "if" | "then"
                            | "else"
                            | "elif"
                            | "case"
                            | "for"
                            | "while"
                            | "until"
                            | "select"
                            | "do"
                            | "function"
                            | "coproc"
                    )
                {
                    count += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    count
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(screen(""), Err(Rejection::Empty));
        assert_eq!(screen(" \t\n\n"), Err(Rejection::Empty));
        assert_eq!(screen("ls"), Ok(()));
    }

    #[test]
    fn names_the_character_and_offset() {
        match screen("git status\u{202e}x") {
            Err(Rejection::Character { ch, span, .. }) => {
                assert_eq!(ch, '\u{202e}');
                assert_eq!(span, [10, 13]);
            }
            other => panic!("{other:?}"),
        }
        assert!(screen("a\rb").is_err());
        assert!(screen("a\u{b}b").is_err());
        assert!(screen("a\u{85}b").is_err());
        assert!(screen("a\u{2028}b").is_err());
        assert!(screen("a\u{200b}b").is_err());
        assert!(screen("a\0b").is_err());
        assert_eq!(screen("echo héllo\tworld\n"), Ok(()));
    }

    #[test]
    fn size_limit() {
        assert_eq!(screen(&"a".repeat(MAX_INPUT_BYTES)), Ok(()));
        assert_eq!(
            screen(&"a".repeat(MAX_INPUT_BYTES + 1)),
            Err(Rejection::TooLong(MAX_INPUT_BYTES + 1))
        );
    }

    #[test]
    fn openers_over_count_only() {
        assert_eq!(opener_count("echo x"), 0);
        assert_eq!(opener_count("echo $(a) ${b} `c`"), 4);
        assert_eq!(opener_count("if a; then b; fi"), 2);
        assert_eq!(opener_count("echo iffy doing"), 0);
        assert_eq!(opener_count("echo '(((('"), 4);
    }
}
