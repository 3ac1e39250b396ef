//! The limits of the analysis (docs/policy.md, Commands 1–2). Every input is decided
//! with work bounded by these numbers: the text is parsed once per nesting
//! level it sits in, and nesting is capped.

/// Longest command accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;
/// Deepest nesting of command contexts (`$(…)`, backticks, `<(…)`, subshells,
/// groups, compound bodies, function bodies, `${…}` words, scripts of
/// wrappers such as `bash -c`). The top level is depth 0.
pub const MAX_DEPTH: usize = 8;
/// Most syntax nodes (commands, words, redirections, assignments, word
/// pieces) visited in one analysis.
pub const MAX_NODES: usize = 10_000;
/// Most simple commands in one analysis, wherever they stand.
pub const MAX_SIMPLE_COMMANDS: usize = 1_000;
/// Deepest nesting of parentheses and `case` statements, counted on the
/// tokens before parsing (the parser backtracks exponentially on deep
/// nesting that does not parse).
pub const MAX_PARSE_NESTING: usize = 10;
/// Most `$(`, `${` in one word or here-document body (`$((` counts twice),
/// counted before the word is parsed (the word parser backtracks
/// exponentially on deep ones it cannot close).
pub const MAX_WORD_EXPANSIONS: usize = 10;
/// Most characters or keywords that can open a nesting level, counted before
/// parsing (see `prescreen::opener_count`). Bounds the parser's recursion.
pub const MAX_OPENERS: usize = 512;
/// Most wrappers unwrapped around one command (`sudo env nice …`).
pub const MAX_WRAPPERS: usize = 16;
/// Total bytes handed to the parser (programs, words, here-document bodies)
/// per byte of input. Each nesting level re-reads only its own text, so a
/// correct analysis stays far below this; it is a fail-closed backstop.
pub const PARSE_BYTES_PER_INPUT_BYTE: usize = 2 * (MAX_DEPTH + 2);

/// Stack the parser may use per opener (measured worst case in debug builds is
/// about 30 KiB per nesting level of function definitions) and the base.
pub(crate) const STACK_PER_OPENER: usize = 64 * 1024;
pub(crate) const STACK_BASE: usize = 512 * 1024;
/// Size of a fresh stack segment when the caller's stack is too small.
pub(crate) const STACK_SEGMENT: usize = STACK_BASE + MAX_OPENERS * STACK_PER_OPENER;

/// Budget of parsed bytes for an input of `len` bytes.
pub fn parse_budget(len: usize) -> usize {
    PARSE_BYTES_PER_INPUT_BYTE * len.max(1024)
}
