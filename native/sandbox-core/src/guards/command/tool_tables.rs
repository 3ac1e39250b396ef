//! Complete option tables of single tools: every option the tool accepts,
//! in every spelling (clustered short letters, attached values, long names
//! and their getopt abbreviations, awk's `-W name[=value]`), each with its
//! effect. An option outside a tool's table is not modelled: ask, or deny
//! in whitelist mode.
//!
//! Tools here: the awk family (gawk's profile, dump and pretty-print
//! files, debugger, extension loading, include files; mawk's `-W exec`),
//! the compressors (`-o`, output directories, suffixes with `/`, file
//! lists, dictionaries), and the narrower cases of yq `--split-exp`, bat's
//! pager and configuration writes, ripgrep's `--hostname-bin`, zless and
//! zmore passing words to less, rsync merge filters, tar `-s` (bsdtar's
//! member renaming), `who`/`users`/`hostname -F` reading files, less's
//! letters and long names (log files, tag files, key files), and the
//! output operand of `xxd IN OUT` and `ptx -G IN OUT`.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation;

/// What an option does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Eff {
    /// Changes nothing outside the tool's output (its value, if any, too).
    Inert,
    /// Judged by other code of the analysis (awk's program options).
    Elsewhere,
    /// Its value names a file read.
    Read,
    /// Its value names a file written; the name is the default when the
    /// (optional) value is absent.
    Write(&'static str),
    /// Its value names a directory written into.
    WriteDir,
    /// Its value is a list of files the tool then reads and replaces:
    /// the list is read, the names in it are not known.
    FileList,
    /// A file-name suffix: with `/` in it, the output lands elsewhere.
    Suffix,
    /// Runs a program or code the analysis does not see.
    Runs(&'static str),
}

/// rg -z: compressed files are read through programs found on PATH.
const SEARCH_ZIP: &str =
    "starts a decompressor (gzip, xz, bzip2, lz4, zstd, brotli) found on PATH for each compressed file";

/// Whether an option takes a value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Arity {
    No,
    /// In the same word (`-xV`, `--x=V`) or the next one.
    Required,
    /// Only in the same word (`-dFILE`, `--dump-variables=FILE`).
    Optional,
}

struct Table {
    /// Short options: letter, arity, effect.
    short: &'static [(char, Arity, Eff)],
    /// Long options without the leading `--`.
    long: &'static [(&'static str, Arity, Eff)],
    /// Digits are short options (`-9`, `-19` compression levels).
    digits: bool,
    /// Options end at the first operand (awk: the program text).
    stop_at_operand: bool,
}

use Arity::{No, Optional, Required};
use Eff::{Elsewhere, FileList, Inert, Read, Runs, Suffix, Write, WriteDir};

const AWK: Table = Table {
    short: &[
        ('F', Required, Inert),
        ('v', Required, Inert),
        ('f', Required, Elsewhere),
        ('e', Required, Elsewhere),
        ('E', Required, Runs("reads the awk program from a file")),
        ('i', Required, Runs("includes awk source from a file")),
        ('l', Required, Runs("loads a shared-object extension")),
        ('d', Optional, Write("awkvars.out")),
        ('p', Optional, Write("awkprof.out")),
        ('o', Optional, Write("awkprof.out")),
        (
            'D',
            Optional,
            Runs("runs the debugger, which reads commands"),
        ),
        ('L', Optional, Inert),
        ('b', No, Inert),
        ('c', No, Inert),
        ('C', No, Inert),
        ('g', No, Inert),
        ('h', No, Inert),
        ('I', No, Inert),
        ('k', No, Inert),
        ('M', No, Inert),
        ('n', No, Inert),
        ('N', No, Inert),
        ('O', No, Inert),
        ('P', No, Inert),
        ('r', No, Inert),
        ('s', No, Inert),
        ('S', No, Inert),
        ('t', No, Inert),
        ('V', No, Inert),
    ],
    long: &[
        ("assign", Required, Inert),
        ("field-separator", Required, Inert),
        ("file", Required, Elsewhere),
        ("source", Required, Elsewhere),
        ("exec", Required, Runs("reads the awk program from a file")),
        ("include", Required, Runs("includes awk source from a file")),
        ("load", Required, Runs("loads a shared-object extension")),
        ("dump-variables", Optional, Write("awkvars.out")),
        ("profile", Optional, Write("awkprof.out")),
        ("pretty-print", Optional, Write("awkprof.out")),
        (
            "debug",
            Optional,
            Runs("runs the debugger, which reads commands"),
        ),
        ("lint", Optional, Inert),
        ("characters-as-bytes", No, Inert),
        ("csv", No, Inert),
        ("traditional", No, Inert),
        ("copyright", No, Inert),
        ("gen-pot", No, Inert),
        ("help", No, Inert),
        ("usage", No, Inert),
        ("bignum", No, Inert),
        ("non-decimal-data", No, Inert),
        ("no-optimize", No, Inert),
        ("optimize", No, Inert),
        ("posix", No, Inert),
        ("re-interval", No, Inert),
        ("sandbox", No, Inert),
        ("trace", No, Inert),
        ("lint-old", No, Inert),
        ("use-lc-numeric", No, Inert),
        ("version", No, Inert),
        // mawk's -W names.
        ("dump", No, Inert),
        ("interactive", No, Inert),
        ("posix_space", No, Inert),
        ("random", Optional, Inert),
        ("sprintf", Optional, Inert),
    ],
    digits: false,
    stop_at_operand: true,
};

const GZIP: Table = Table {
    short: &[
        ('a', No, Inert),
        ('c', No, Inert),
        ('d', No, Inert),
        ('f', No, Inert),
        ('h', No, Inert),
        ('k', No, Inert),
        ('l', No, Inert),
        ('L', No, Inert),
        ('n', No, Inert),
        ('N', No, Inert),
        ('q', No, Inert),
        ('r', No, Inert),
        ('t', No, Inert),
        ('v', No, Inert),
        ('V', No, Inert),
        ('S', Required, Suffix),
    ],
    long: &[
        ("ascii", No, Inert),
        ("stdout", No, Inert),
        ("to-stdout", No, Inert),
        ("decompress", No, Inert),
        ("uncompress", No, Inert),
        ("force", No, Inert),
        ("help", No, Inert),
        ("keep", No, Inert),
        ("list", No, Inert),
        ("license", No, Inert),
        ("no-name", No, Inert),
        ("name", No, Inert),
        ("quiet", No, Inert),
        ("silent", No, Inert),
        ("recursive", No, Inert),
        ("rsyncable", No, Inert),
        ("suffix", Required, Suffix),
        ("synchronous", No, Inert),
        ("test", No, Inert),
        ("verbose", No, Inert),
        ("version", No, Inert),
        ("fast", No, Inert),
        ("best", No, Inert),
    ],
    digits: true,
    stop_at_operand: false,
};

const BZIP2: Table = Table {
    short: &[
        ('c', No, Inert),
        ('d', No, Inert),
        ('z', No, Inert),
        ('k', No, Inert),
        ('f', No, Inert),
        ('t', No, Inert),
        ('q', No, Inert),
        ('v', No, Inert),
        ('s', No, Inert),
        ('L', No, Inert),
        ('V', No, Inert),
        ('h', No, Inert),
    ],
    long: &[
        ("decompress", No, Inert),
        ("compress", No, Inert),
        ("keep", No, Inert),
        ("force", No, Inert),
        ("test", No, Inert),
        ("stdout", No, Inert),
        ("quiet", No, Inert),
        ("verbose", No, Inert),
        ("small", No, Inert),
        ("license", No, Inert),
        ("version", No, Inert),
        ("help", No, Inert),
        ("fast", No, Inert),
        ("best", No, Inert),
        ("repetitive-fast", No, Inert),
        ("repetitive-best", No, Inert),
    ],
    digits: true,
    stop_at_operand: false,
};

const XZ: Table = Table {
    short: &[
        ('z', No, Inert),
        ('d', No, Inert),
        ('t', No, Inert),
        ('l', No, Inert),
        ('k', No, Inert),
        ('f', No, Inert),
        ('c', No, Inert),
        ('e', No, Inert),
        ('q', No, Inert),
        ('v', No, Inert),
        ('h', No, Inert),
        ('H', No, Inert),
        ('V', No, Inert),
        ('Q', No, Inert),
        ('T', Required, Inert),
        ('F', Required, Inert),
        ('C', Required, Inert),
        ('M', Required, Inert),
        ('S', Required, Suffix),
    ],
    long: &[
        ("compress", No, Inert),
        ("decompress", No, Inert),
        ("uncompress", No, Inert),
        ("test", No, Inert),
        ("list", No, Inert),
        ("keep", No, Inert),
        ("force", No, Inert),
        ("stdout", No, Inert),
        ("to-stdout", No, Inert),
        ("single-stream", No, Inert),
        ("no-sparse", No, Inert),
        ("suffix", Required, Suffix),
        ("files", Optional, FileList),
        ("files0", Optional, FileList),
        ("format", Required, Inert),
        ("check", Required, Inert),
        ("ignore-check", No, Inert),
        ("extreme", No, Inert),
        ("fast", No, Inert),
        ("best", No, Inert),
        ("block-size", Required, Inert),
        ("block-list", Required, Inert),
        ("flush-timeout", Required, Inert),
        ("memlimit-compress", Required, Inert),
        ("memlimit-decompress", Required, Inert),
        ("memlimit-mt-decompress", Required, Inert),
        ("memlimit", Required, Inert),
        ("memory", Required, Inert),
        ("no-adjust", No, Inert),
        ("threads", Required, Inert),
        ("lzma1", Optional, Inert),
        ("lzma2", Optional, Inert),
        ("x86", Optional, Inert),
        ("arm", Optional, Inert),
        ("arm64", Optional, Inert),
        ("armthumb", Optional, Inert),
        ("powerpc", Optional, Inert),
        ("ia64", Optional, Inert),
        ("sparc", Optional, Inert),
        ("riscv", Optional, Inert),
        ("delta", Optional, Inert),
        ("quiet", No, Inert),
        ("verbose", No, Inert),
        ("no-warn", No, Inert),
        ("robot", No, Inert),
        ("info-memory", No, Inert),
        ("help", No, Inert),
        ("long-help", No, Inert),
        ("version", No, Inert),
    ],
    digits: true,
    stop_at_operand: false,
};

const ZSTD: Table = Table {
    short: &[
        ('z', No, Inert),
        ('d', No, Inert),
        ('c', No, Inert),
        ('f', No, Inert),
        ('k', No, Inert),
        ('q', No, Inert),
        ('v', No, Inert),
        ('V', No, Inert),
        ('h', No, Inert),
        ('H', No, Inert),
        ('l', No, Inert),
        ('t', No, Inert),
        ('r', No, Inert),
        ('o', Required, Write("")),
        ('D', Required, Read),
        // Numeric parameters attached to the letter (`-T4`, `-B1M`).
        ('T', Optional, Inert),
        ('B', Optional, Inert),
        ('M', Optional, Inert),
    ],
    long: &[
        ("compress", No, Inert),
        ("decompress", No, Inert),
        ("uncompress", No, Inert),
        ("stdout", No, Inert),
        ("force", No, Inert),
        ("keep", No, Inert),
        ("quiet", No, Inert),
        ("verbose", No, Inert),
        ("version", No, Inert),
        ("help", No, Inert),
        ("list", No, Inert),
        ("test", No, Inert),
        ("ultra", No, Inert),
        ("long", Optional, Inert),
        ("fast", Optional, Inert),
        ("adapt", Optional, Inert),
        ("single-thread", No, Inert),
        ("threads", Required, Inert),
        ("memory", Required, Inert),
        ("memlimit", Required, Inert),
        ("memlimit-decompress", Required, Inert),
        ("rsyncable", No, Inert),
        ("stream-size", Required, Inert),
        ("size-hint", Required, Inert),
        ("no-check", No, Inert),
        ("check", No, Inert),
        ("no-progress", No, Inert),
        ("progress", No, Inert),
        ("sparse", No, Inert),
        ("no-sparse", No, Inert),
        ("content-size", No, Inert),
        ("no-content-size", No, Inert),
        ("no-dictID", No, Inert),
        ("exclude-compressed", No, Inert),
        ("format", Required, Inert),
        ("show-default-cparams", No, Inert),
        ("pass-through", No, Inert),
        ("no-pass-through", No, Inert),
        ("output", Required, Write("")),
        ("rm", No, Inert),
        ("output-dir-flat", Required, WriteDir),
        ("output-dir-mirror", Required, WriteDir),
        ("filelist", Required, FileList),
        ("patch-from", Required, Read),
        ("train", No, Inert),
    ],
    digits: true,
    stop_at_operand: false,
};

const LZ4: Table = Table {
    short: &[
        ('z', No, Inert),
        ('d', No, Inert),
        ('c', No, Inert),
        ('f', No, Inert),
        ('k', No, Inert),
        ('q', No, Inert),
        ('v', No, Inert),
        ('V', No, Inert),
        ('h', No, Inert),
        ('H', No, Inert),
        ('l', No, Inert),
        ('t', No, Inert),
        ('m', No, Inert),
        ('r', No, Inert),
        ('D', Required, Read),
        ('B', Optional, Inert),
    ],
    long: &[
        ("compress", No, Inert),
        ("decompress", No, Inert),
        ("uncompress", No, Inert),
        ("stdout", No, Inert),
        ("to-stdout", No, Inert),
        ("force", No, Inert),
        ("keep", No, Inert),
        ("quiet", No, Inert),
        ("verbose", No, Inert),
        ("version", No, Inert),
        ("help", No, Inert),
        ("list", No, Inert),
        ("test", No, Inert),
        ("multiple", No, Inert),
        ("rm", No, Inert),
        ("best", No, Inert),
        ("fast", Optional, Inert),
        ("frame-crc", No, Inert),
        ("no-frame-crc", No, Inert),
        ("content-size", No, Inert),
        ("no-content-size", No, Inert),
        ("sparse", No, Inert),
        ("no-sparse", No, Inert),
        ("favor-decSpeed", No, Inert),
    ],
    digits: true,
    stop_at_operand: false,
};

/// ripgrep 14: `--pre`/`--pre-glob` and `-L` are judged by the dangers
/// and link tables; `--hostname-bin` runs a program.
const RG: Table = Table {
    short: &[
        ('a', No, Inert),
        ('b', No, Inert),
        ('c', No, Inert),
        ('F', No, Inert),
        ('H', No, Inert),
        ('h', No, Inert),
        ('i', No, Inert),
        ('I', No, Inert),
        ('l', No, Inert),
        ('L', No, Inert),
        ('n', No, Inert),
        ('N', No, Inert),
        ('o', No, Inert),
        ('p', No, Inert),
        ('q', No, Inert),
        ('s', No, Inert),
        ('S', No, Inert),
        ('u', No, Inert),
        ('U', No, Inert),
        ('v', No, Inert),
        ('V', No, Inert),
        ('w', No, Inert),
        ('x', No, Inert),
        ('z', No, Runs(SEARCH_ZIP)),
        ('P', No, Inert),
        ('0', No, Inert),
        ('.', No, Inert),
        ('A', Required, Inert),
        ('B', Required, Inert),
        ('C', Required, Inert),
        ('e', Required, Elsewhere),
        ('f', Required, Read),
        ('g', Required, Inert),
        ('j', Required, Inert),
        ('m', Required, Inert),
        ('M', Required, Inert),
        ('E', Required, Inert),
        ('t', Required, Inert),
        ('T', Required, Inert),
        ('r', Required, Inert),
        ('d', Required, Inert),
    ],
    long: &[
        ("after-context", Required, Inert),
        ("before-context", Required, Inert),
        ("context", Required, Inert),
        ("color", Required, Inert),
        ("colors", Required, Inert),
        ("context-separator", Required, Inert),
        ("dfa-size-limit", Required, Inert),
        ("encoding", Required, Inert),
        ("engine", Required, Inert),
        ("field-context-separator", Required, Inert),
        ("field-match-separator", Required, Inert),
        ("file", Required, Read),
        ("glob", Required, Inert),
        ("iglob", Required, Inert),
        (
            "hostname-bin",
            Required,
            Runs("runs a program to find the host name"),
        ),
        ("hyperlink-format", Required, Inert),
        ("ignore-file", Required, Read),
        ("max-columns", Required, Inert),
        ("max-count", Required, Inert),
        ("max-depth", Required, Inert),
        ("maxdepth", Required, Inert),
        ("max-filesize", Required, Inert),
        ("path-separator", Required, Inert),
        ("pre", Required, Elsewhere),
        ("pre-glob", Required, Elsewhere),
        ("regex-size-limit", Required, Inert),
        ("regexp", Required, Elsewhere),
        ("replace", Required, Inert),
        ("sort", Required, Inert),
        ("sortr", Required, Inert),
        ("threads", Required, Inert),
        ("type", Required, Inert),
        ("type-add", Required, Inert),
        ("type-clear", Required, Inert),
        ("type-not", Required, Inert),
        ("generate", Required, Inert),
        ("auto-hybrid-regex", No, Inert),
        ("no-auto-hybrid-regex", No, Inert),
        ("binary", No, Inert),
        ("no-binary", No, Inert),
        ("block-buffered", No, Inert),
        ("no-block-buffered", No, Inert),
        ("byte-offset", No, Inert),
        ("no-byte-offset", No, Inert),
        ("case-sensitive", No, Inert),
        ("column", No, Inert),
        ("no-column", No, Inert),
        ("no-context-separator", No, Inert),
        ("count", No, Inert),
        ("count-matches", No, Inert),
        ("crlf", No, Inert),
        ("no-crlf", No, Inert),
        ("debug", No, Inert),
        ("no-encoding", No, Inert),
        ("files", No, Inert),
        ("files-with-matches", No, Inert),
        ("files-without-match", No, Inert),
        ("fixed-strings", No, Inert),
        ("no-fixed-strings", No, Inert),
        ("follow", No, Inert),
        ("no-follow", No, Inert),
        ("glob-case-insensitive", No, Inert),
        ("no-glob-case-insensitive", No, Inert),
        ("heading", No, Inert),
        ("no-heading", No, Inert),
        ("help", No, Inert),
        ("hidden", No, Inert),
        ("no-hidden", No, Inert),
        ("ignore-case", No, Inert),
        ("ignore-file-case-insensitive", No, Inert),
        ("no-ignore-file-case-insensitive", No, Inert),
        ("include-zero", No, Inert),
        ("no-include-zero", No, Inert),
        ("invert-match", No, Inert),
        ("no-invert-match", No, Inert),
        ("json", No, Inert),
        ("no-json", No, Inert),
        ("line-buffered", No, Inert),
        ("no-line-buffered", No, Inert),
        ("line-number", No, Inert),
        ("no-line-number", No, Inert),
        ("line-regexp", No, Inert),
        ("max-columns-preview", No, Inert),
        ("no-max-columns-preview", No, Inert),
        ("mmap", No, Inert),
        ("no-mmap", No, Inert),
        ("multiline", No, Inert),
        ("no-multiline", No, Inert),
        ("multiline-dotall", No, Inert),
        ("no-multiline-dotall", No, Inert),
        ("no-config", No, Inert),
        ("no-ignore", No, Inert),
        ("ignore", No, Inert),
        ("no-ignore-dot", No, Inert),
        ("ignore-dot", No, Inert),
        ("no-ignore-exclude", No, Inert),
        ("ignore-exclude", No, Inert),
        ("no-ignore-files", No, Inert),
        ("ignore-files", No, Inert),
        ("no-ignore-global", No, Inert),
        ("ignore-global", No, Inert),
        ("no-ignore-messages", No, Inert),
        ("ignore-messages", No, Inert),
        ("no-ignore-parent", No, Inert),
        ("ignore-parent", No, Inert),
        ("no-ignore-vcs", No, Inert),
        ("ignore-vcs", No, Inert),
        ("no-messages", No, Inert),
        ("messages", No, Inert),
        ("no-pcre2-unicode", No, Inert),
        ("pcre2-unicode", No, Inert),
        ("no-require-git", No, Inert),
        ("require-git", No, Inert),
        ("no-unicode", No, Inert),
        ("unicode", No, Inert),
        ("null", No, Inert),
        ("null-data", No, Inert),
        ("one-file-system", No, Inert),
        ("no-one-file-system", No, Inert),
        ("only-matching", No, Inert),
        ("passthru", No, Inert),
        ("passthrough", No, Inert),
        ("pcre2", No, Inert),
        ("no-pcre2", No, Inert),
        ("pcre2-version", No, Inert),
        ("no-pre", No, Inert),
        ("pretty", No, Inert),
        ("quiet", No, Inert),
        ("search-zip", No, Runs(SEARCH_ZIP)),
        ("no-search-zip", No, Inert),
        ("smart-case", No, Inert),
        ("sort-files", No, Inert),
        ("no-sort-files", No, Inert),
        ("stats", No, Inert),
        ("no-stats", No, Inert),
        ("stop-on-nonmatch", No, Inert),
        ("text", No, Inert),
        ("no-text", No, Inert),
        ("trace", No, Inert),
        ("trim", No, Inert),
        ("no-trim", No, Inert),
        ("type-list", No, Inert),
        ("unrestricted", No, Inert),
        ("version", No, Inert),
        ("vimgrep", No, Inert),
        ("with-filename", No, Inert),
        ("no-filename", No, Inert),
        ("word-regexp", No, Inert),
    ],
    digits: false,
    stop_at_operand: false,
};

/// What a less option does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LessEff {
    Inert,
    /// Its value is a file less reads (a tags file).
    Read,
    /// Its value is a file less writes (the log file).
    Write,
    /// Key bindings and settings: a lesskey file or its text.
    Code,
    /// A tag: less opens the file the tags file's line for it names.
    Tag,
}

/// less's letters: letter, takes a value, effect. `-P` (the prompt) is
/// refused by the dangers table; `+CMD` and `-k` by the mini-languages.
const LESS_SHORT: &[(char, bool, LessEff)] = &[
    ('?', false, LessEff::Inert),
    ('a', false, LessEff::Inert),
    ('A', false, LessEff::Inert),
    ('b', true, LessEff::Inert),
    ('B', false, LessEff::Inert),
    ('c', false, LessEff::Inert),
    ('C', false, LessEff::Inert),
    ('d', false, LessEff::Inert),
    ('D', true, LessEff::Inert),
    ('e', false, LessEff::Inert),
    ('E', false, LessEff::Inert),
    ('f', false, LessEff::Inert),
    ('F', false, LessEff::Inert),
    ('g', false, LessEff::Inert),
    ('G', false, LessEff::Inert),
    ('h', true, LessEff::Inert),
    ('i', false, LessEff::Inert),
    ('I', false, LessEff::Inert),
    ('j', true, LessEff::Inert),
    ('J', false, LessEff::Inert),
    ('k', true, LessEff::Code),
    ('K', false, LessEff::Inert),
    ('L', false, LessEff::Inert),
    ('m', false, LessEff::Inert),
    ('M', false, LessEff::Inert),
    ('n', false, LessEff::Inert),
    ('N', false, LessEff::Inert),
    ('o', true, LessEff::Write),
    ('O', true, LessEff::Write),
    ('p', true, LessEff::Inert),
    ('P', true, LessEff::Inert),
    ('q', false, LessEff::Inert),
    ('Q', false, LessEff::Inert),
    ('r', false, LessEff::Inert),
    ('R', false, LessEff::Inert),
    ('s', false, LessEff::Inert),
    ('S', false, LessEff::Inert),
    ('t', true, LessEff::Tag),
    ('T', true, LessEff::Read),
    ('u', false, LessEff::Inert),
    ('U', false, LessEff::Inert),
    ('V', false, LessEff::Inert),
    ('w', false, LessEff::Inert),
    ('W', false, LessEff::Inert),
    ('x', true, LessEff::Inert),
    ('X', false, LessEff::Inert),
    ('y', true, LessEff::Inert),
    ('z', true, LessEff::Inert),
    ('"', true, LessEff::Inert),
    ('~', false, LessEff::Inert),
    ('#', true, LessEff::Inert),
];

/// less's long names: name, takes a value, effect. An upper-case name is
/// the upper-case letter's option.
const LESS_LONG: &[(&str, bool, LessEff)] = &[
    ("help", false, LessEff::Inert),
    ("search-skip-screen", false, LessEff::Inert),
    ("SEARCH-SKIP-SCREEN", false, LessEff::Inert),
    ("buffers", true, LessEff::Inert),
    ("auto-buffers", false, LessEff::Inert),
    ("clear-screen", false, LessEff::Inert),
    ("CLEAR-SCREEN", false, LessEff::Inert),
    ("dumb", false, LessEff::Inert),
    ("color", true, LessEff::Inert),
    ("quit-at-eof", false, LessEff::Inert),
    ("QUIT-AT-EOF", false, LessEff::Inert),
    ("force", false, LessEff::Inert),
    ("quit-if-one-screen", false, LessEff::Inert),
    ("hilite-search", false, LessEff::Inert),
    ("HILITE-SEARCH", false, LessEff::Inert),
    ("max-back-scroll", true, LessEff::Inert),
    ("ignore-case", false, LessEff::Inert),
    ("IGNORE-CASE", false, LessEff::Inert),
    ("jump-target", true, LessEff::Inert),
    ("status-column", false, LessEff::Inert),
    ("lesskey-file", true, LessEff::Code),
    ("lesskey-src", true, LessEff::Code),
    ("lesskey-content", true, LessEff::Code),
    ("quit-on-intr", false, LessEff::Inert),
    ("no-lessopen", false, LessEff::Inert),
    ("long-prompt", false, LessEff::Inert),
    ("LONG-PROMPT", false, LessEff::Inert),
    ("line-numbers", false, LessEff::Inert),
    ("LINE-NUMBERS", false, LessEff::Inert),
    ("log-file", true, LessEff::Write),
    ("LOG-FILE", true, LessEff::Write),
    ("pattern", true, LessEff::Inert),
    ("prompt", true, LessEff::Inert),
    ("quiet", false, LessEff::Inert),
    ("QUIET", false, LessEff::Inert),
    ("silent", false, LessEff::Inert),
    ("SILENT", false, LessEff::Inert),
    ("raw-control-chars", false, LessEff::Inert),
    ("RAW-CONTROL-CHARS", false, LessEff::Inert),
    ("squeeze-blank-lines", false, LessEff::Inert),
    ("chop-long-lines", false, LessEff::Inert),
    ("tag", true, LessEff::Tag),
    ("tag-file", true, LessEff::Read),
    ("underline-special", false, LessEff::Inert),
    ("UNDERLINE-SPECIAL", false, LessEff::Inert),
    ("version", false, LessEff::Inert),
    ("hilite-unread", false, LessEff::Inert),
    ("HILITE-UNREAD", false, LessEff::Inert),
    ("tabs", true, LessEff::Inert),
    ("no-init", false, LessEff::Inert),
    ("max-forw-scroll", true, LessEff::Inert),
    ("window", true, LessEff::Inert),
    ("quotes", true, LessEff::Inert),
    ("tilde", false, LessEff::Inert),
    ("shift", true, LessEff::Inert),
    ("exit-follow-on-close", false, LessEff::Inert),
    ("file-size", false, LessEff::Inert),
    ("follow-name", false, LessEff::Inert),
    ("header", true, LessEff::Inert),
    ("incsearch", false, LessEff::Inert),
    ("intr", true, LessEff::Inert),
    ("line-num-width", true, LessEff::Inert),
    ("modelines", true, LessEff::Inert),
    ("mouse", false, LessEff::Inert),
    ("MOUSE", false, LessEff::Inert),
    ("no-edit-warn", false, LessEff::Inert),
    ("no-histdups", false, LessEff::Inert),
    ("no-keypad", false, LessEff::Inert),
    ("no-number-headers", false, LessEff::Inert),
    ("no-paste", false, LessEff::Inert),
    ("no-search-headers", false, LessEff::Inert),
    ("no-search-header-lines", false, LessEff::Inert),
    ("no-search-header-columns", false, LessEff::Inert),
    ("no-vbell", false, LessEff::Inert),
    ("proc-backspace", false, LessEff::Inert),
    ("PROC-BACKSPACE", false, LessEff::Inert),
    ("proc-return", false, LessEff::Inert),
    ("PROC-RETURN", false, LessEff::Inert),
    ("proc-tab", false, LessEff::Inert),
    ("PROC-TAB", false, LessEff::Inert),
    ("redraw-on-quit", false, LessEff::Inert),
    ("rscroll", true, LessEff::Inert),
    ("search-options", true, LessEff::Inert),
    ("show-preproc-errors", false, LessEff::Inert),
    ("status-col-width", true, LessEff::Inert),
    ("status-line", false, LessEff::Inert),
    ("use-backslash", false, LessEff::Inert),
    ("use-color", false, LessEff::Inert),
    ("wheel-lines", true, LessEff::Inert),
    ("wordwrap", false, LessEff::Inert),
];

/// The long options a less option name may be: a name of the case its
/// first letter chooses, of which it is the whole or a prefix, the rest
/// compared in any case. Every name it may be counts (an ambiguous prefix
/// is refused by less; judging each is the stricter reading).
fn less_long(name: &str) -> Vec<(&'static str, bool, LessEff)> {
    let Some(first) = name.chars().next() else {
        return Vec::new();
    };
    let upper = first.is_ascii_uppercase();
    let lower = name.to_ascii_lowercase();
    let exact: Vec<_> = LESS_LONG
        .iter()
        .filter(|(n, _, _)| n.starts_with(|c: char| c.is_ascii_uppercase()) == upper)
        .filter(|(n, _, _)| n.to_ascii_lowercase() == lower)
        .copied()
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    LESS_LONG
        .iter()
        .filter(|(n, _, _)| n.starts_with(|c: char| c.is_ascii_uppercase()) == upper)
        .filter(|(n, _, _)| n.to_ascii_lowercase().starts_with(&lower))
        .copied()
        .collect()
}

/// One option found in an argv.
struct Found<'a> {
    eff: Eff,
    value: Option<Arg>,
    word: &'a Arg,
}

/// The result of reading an argv against a table.
struct Scan<'a> {
    found: Vec<Found<'a>>,
    operands: Vec<&'a Arg>,
    /// The first word that is no option of the table.
    unknown: Option<(&'a Arg, String)>,
}

/// The long option `name` (without `--`) in `table`: exact, or the only
/// one it abbreviates.
fn long_of(table: &Table, name: &str) -> Option<(Arity, Eff)> {
    if let Some(&(_, ar, e)) = table.long.iter().find(|(n, _, _)| *n == name) {
        return Some((ar, e));
    }
    let mut hits = table.long.iter().filter(|(n, _, _)| n.starts_with(name));
    match (hits.next(), hits.next()) {
        (Some(&(_, ar, e)), None) if !name.is_empty() => Some((ar, e)),
        _ => None,
    }
}

fn value_arg(text: &str, like: &Arg) -> Arg {
    Arg::literal(text, like.span)
}

fn scan<'a>(table: &Table, argv: &'a [Arg], awk_w: bool) -> Scan<'a> {
    let mut out = Scan {
        found: Vec::new(),
        operands: Vec::new(),
        unknown: None,
    };
    let mut i = 1;
    let mut options_end = false;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        let Some(v) = a.lit() else {
            // A computed word may be any option.
            if !options_end && (a.text.starts_with(['$', '"', '\'', '`']) || a.text.contains('$')) {
                out.unknown = Some((a, "a computed word".into()));
                return out;
            }
            out.operands.push(a);
            if table.stop_at_operand {
                options_end = true;
            }
            continue;
        };
        if options_end || v == "-" || !v.starts_with('-') {
            out.operands.push(a);
            if table.stop_at_operand {
                options_end = true;
            }
            continue;
        }
        if v == "--" {
            options_end = true;
            continue;
        }
        // Long option, or awk's `-W name[=value]` (same names).
        let long = if let Some(l) = v.strip_prefix("--") {
            Some(l.to_string())
        } else if awk_w && v.starts_with("-W") {
            if v.len() > 2 {
                Some(v[2..].to_string())
            } else if let Some(n) = argv.get(i).and_then(Arg::lit) {
                i += 1;
                Some(n.to_string())
            } else {
                out.unknown = Some((a, "-W without a known name".into()));
                return out;
            }
        } else {
            None
        };
        if let Some(l) = long {
            let (name, attached) = match l.split_once('=') {
                Some((n, val)) => (n.to_string(), Some(val.to_string())),
                None => (l.clone(), None),
            };
            let Some((ar, eff)) = long_of(table, &name).filter(|_| !name.contains(',')) else {
                out.unknown = Some((a, v.to_string()));
                return out;
            };
            let value = match (ar, attached) {
                (No, Some(_)) => {
                    out.unknown = Some((a, v.to_string()));
                    return out;
                }
                (_, Some(val)) => Some(value_arg(&val, a)),
                (Required, None) => match argv.get(i) {
                    Some(n) => {
                        i += 1;
                        Some(n.clone())
                    }
                    None => None,
                },
                _ => None,
            };
            out.found.push(Found {
                eff,
                value,
                word: a,
            });
            continue;
        }
        // A cluster of short letters.
        let cluster = &v[1..];
        for (k, c) in cluster.char_indices() {
            if table.digits && c.is_ascii_digit() {
                continue;
            }
            let Some(&(_, ar, eff)) = table.short.iter().find(|(l, _, _)| *l == c) else {
                out.unknown = Some((a, format!("-{c}")));
                return out;
            };
            let rest = &cluster[k + c.len_utf8()..];
            match ar {
                No => out.found.push(Found {
                    eff,
                    value: None,
                    word: a,
                }),
                Optional => {
                    let value = (!rest.is_empty()).then(|| value_arg(rest, a));
                    out.found.push(Found {
                        eff,
                        value,
                        word: a,
                    });
                    break;
                }
                Required => {
                    let value = if rest.is_empty() {
                        let n = argv.get(i).cloned();
                        i += 1;
                        n
                    } else {
                        Some(value_arg(rest, a))
                    };
                    out.found.push(Found {
                        eff,
                        value,
                        word: a,
                    });
                    break;
                }
            }
        }
    }
    out
}

fn table_of(canon: &str) -> Option<(&'static Table, bool)> {
    Some(match canon {
        "awk" | "gawk" | "mawk" | "nawk" => (&AWK, true),
        "gzip" | "gunzip" | "zcat" | "gzcat" => (&GZIP, false),
        "bzip2" | "bunzip2" | "bzcat" => (&BZIP2, false),
        "xz" | "unxz" | "xzcat" | "lzma" | "unlzma" | "lzcat" => (&XZ, false),
        "zstd" | "unzstd" | "zstdcat" | "zstdmt" => (&ZSTD, false),
        "lz4" | "unlz4" | "lz4cat" => (&LZ4, false),
        "rg" => (&RG, false),
        _ => return None,
    })
}

/// Whether `v` is the long option `name` or an abbreviation of at least
/// `min` characters.
fn abbreviates(v: &str, name: &str, min: usize) -> bool {
    let n = v.split('=').next().unwrap_or(v);
    n.len() >= min && name.starts_with(n)
}

impl Analyzer<'_> {
    pub(crate) fn check_tool_tables(&mut self, argv: &[Arg], canon: &str) {
        if let Some((table, awk_w)) = table_of(canon) {
            self.tabled(argv, canon, table, awk_w);
            return;
        }
        match canon {
            "yq" => self.yq_split(argv),
            "bat" | "batcat" => self.bat_writes(argv, canon),
            "zless" | "zmore" | "bzless" | "bzmore" | "xzless" | "xzmore" | "lzless" | "lzmore"
            | "zstdless" => self.pager_words(argv, canon),
            "rsync" => self.rsync_merge(argv),
            "tar" | "gtar" | "bsdtar" => self.tar_substitution(argv, canon),
            "who" | "users" => self.utmp_operand(argv, canon),
            "hostname" => self.hostname_file(argv),
            "less" => self.less_options(argv),
            "xxd" => self.xxd_output(argv),
            "ptx" => self.ptx_output(argv),
            _ => {}
        }
    }

    /// less: every option by its letter or long name. less reads a
    /// cluster of letters up to one that takes a value, which is the rest
    /// of the word or the next word; a long name may be any prefix, and
    /// its first letter's case chooses the lower or upper case option
    /// (`--Log-file` is `--LOG-FILE`, `-O`), the rest in any case.
    fn less_options(&mut self, argv: &[Arg]) {
        let mut i = 1;
        // `-t TAG` (the last one) and `-T FILE`.
        let mut tag: Option<Option<Arg>> = None;
        let mut tags_file: Option<Arg> = None;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if a.text.starts_with(['$', '"', '\'', '`']) || a.text.contains('$') {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("less: the word {} is computed at run time and could be an option (a log file, a key file)", a.shown()),
                        a.span,
                        argv,
                    );
                    return;
                }
                continue;
            };
            if v == "--" {
                break;
            }
            if !v.starts_with('-') || v == "-" {
                continue;
            }
            let found: Vec<(LessEff, Option<Arg>)> = if let Some(l) = v.strip_prefix("--") {
                let (name, attached) = match l.split_once('=') {
                    Some((n, x)) => (n, Some(value_arg(x, a))),
                    None => (l, None),
                };
                let hits = less_long(name);
                if hits.is_empty() {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("less {}: an option the analysis does not model; what it reads, writes or runs is not known", clip(v)),
                        a.span,
                        argv,
                    );
                    return;
                }
                let takes = hits.iter().any(|(_, value, _)| *value);
                let value = match attached {
                    Some(x) => Some(x),
                    None if takes => {
                        i += 1;
                        argv.get(i - 1).cloned()
                    }
                    None => None,
                };
                hits.into_iter()
                    .map(|(_, _, eff)| (eff, value.clone()))
                    .collect()
            } else {
                // `-+X` resets X to its default.
                let cluster = v[1..].strip_prefix('+').unwrap_or(&v[1..]);
                let mut out = Vec::new();
                for (k, c) in cluster.char_indices() {
                    let Some(&(_, value, eff)) = LESS_SHORT.iter().find(|(l, _, _)| *l == c) else {
                        self.unmodelled(
                            DecisionCode::UnmodelledOption,
                            format!("less -{c}: an option the analysis does not model; what it reads, writes or runs is not known"),
                            a.span,
                            argv,
                        );
                        return;
                    };
                    if value {
                        let rest = &cluster[k + c.len_utf8()..];
                        let value = if rest.is_empty() {
                            i += 1;
                            argv.get(i - 1).cloned()
                        } else {
                            Some(value_arg(rest, a))
                        };
                        out.push((eff, value));
                        break;
                    }
                    out.push((eff, None));
                }
                out
            };
            let via = format!("less {}", clip(v.split('=').next().unwrap_or(v)));
            for (eff, value) in found {
                match (eff, value) {
                    (LessEff::Inert, _) => {}
                    (LessEff::Write, Some(f)) => self.check_file(&f, FileOperation::Write, argv, &via),
                    (LessEff::Read, Some(f)) => {
                        self.check_file(&f, FileOperation::Read, argv, &via);
                        tags_file = Some(f);
                    }
                    (LessEff::Code, _) => self.unmodelled(
                        DecisionCode::InlineCode,
                        format!("{via}: loads key bindings and settings (which can set the input preprocessor and run commands) the analysis does not read"),
                        a.span,
                        argv,
                    ),
                    (LessEff::Tag, value) => tag = Some(value),
                    // Without a value less reads none: nothing written.
                    (_, None) => {}
                }
            }
        }
        if let Some(t) = tag {
            self.less_tag(t, tags_file, argv);
        }
    }

    /// `less -t TAG` opens the file the tags file's line for TAG names
    /// (ctags format: `TAG<TAB>FILE<TAB>ADDRESS`): the tags file is read
    /// and each file it names for the tag is judged as a read. A tags file
    /// whose content is not seen (written earlier in the command, computed)
    /// is not modelled, nor a GNU GLOBAL one (`-T GTAGS`), for which less
    /// runs the `global` program.
    fn less_tag(&mut self, tag: Option<Arg>, tags_file: Option<Arg>, argv: &[Arg]) {
        let span = argv[0].span;
        let file = tags_file.unwrap_or_else(|| Arg::literal("tags", span));
        let ask = |s: &mut Self, why: &str| {
            s.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "less -t: less opens the file the tags file {} names for the tag; {why}",
                    file.shown()
                ),
                span,
                argv,
            );
        };
        let Some(t) = tag.as_ref().and_then(|t| t.lit()).map(str::to_string) else {
            return ask(self, "the tag is computed at run time");
        };
        let Some(name) = file.lit().map(str::to_string) else {
            return ask(self, "the tags file is computed at run time");
        };
        let base = name.rsplit('/').next().unwrap_or(&name);
        if matches!(base, "GTAGS" | "GRTAGS" | "GSYMS" | "GPATH") {
            return ask(self, "for GNU GLOBAL tags less runs the program global");
        }
        if name == "-" || name.starts_with("/dev/") || name.starts_with("/proc/") {
            return ask(self, "standard input or a device is read");
        }
        if self.was_written(&file).is_some() {
            return ask(self, "it was written earlier in the same command");
        }
        let host = self
            .resolve(&name, file.home)
            .and_then(|r| self.fs.host_path_of(&r));
        let text = match host.map(std::fs::read_to_string) {
            None => return ask(self, "its place is not known"),
            Some(Ok(text)) => text,
            // No tags file: less opens nothing.
            Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => return,
            Some(Err(_)) => return ask(self, "it cannot be read"),
        };
        let dir = name.rsplit_once('/').map(|(d, _)| format!("{d}/"));
        for line in text.lines() {
            let mut fields = line.split('\t');
            if fields.next() != Some(t.as_str()) {
                continue;
            }
            let Some(target) = fields.next().filter(|f| !f.is_empty()) else {
                continue;
            };
            // Named relative to the working directory or to the tags
            // file's: both are judged.
            let mut names = vec![target.to_string()];
            if let Some(d) = dir.as_ref().filter(|_| !target.starts_with('/')) {
                names.push(format!("{d}{target}"));
            }
            for n in names {
                let mut a = Arg::literal(&n, span);
                a.home = n.starts_with("~/");
                self.check_file(&a, FileOperation::Read, argv, "less -t (tags file)");
            }
        }
    }

    /// `xxd [options] [IN [OUT]]` truncates OUT (with `-r`, patches it).
    /// xxd reads options by their first two letters (one leading `-` of
    /// `--` dropped); `-c`, `-g`, `-o`, `-s`, `-l`, `-n` take the rest of
    /// the word unless it spells their long name (`-cols 8`), then the next
    /// word, as does `-R` alone.
    fn xxd_output(&mut self, argv: &[Arg]) {
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            let Some(w) = a.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("xxd: the word {} is computed at run time and could be an option; which word is the output file is then not known", a.shown()),
                    a.span,
                    argv,
                );
                return;
            };
            let p = if w.starts_with("--") && w.len() > 2 {
                &w[1..]
            } else {
                w
            };
            if p == "--" {
                i += 1;
                break;
            }
            if !p.starts_with('-') || p == "-" {
                break;
            }
            let rest = p.get(2..).unwrap_or("");
            let long_tail: &[&str] = match p.as_bytes().get(1) {
                Some(b'c') if rest.starts_with("apitalize") => &[],
                Some(b'c') => &["ols"],
                Some(b'g') => &["roup"],
                Some(b'o') => &["ffset"],
                Some(b's') => &["kip", "eek"],
                Some(b'l') => &["en"],
                Some(b'n') => &["ame"],
                Some(b'R') => &[""],
                _ => &[],
            };
            let next_word = !long_tail.is_empty()
                && (rest.is_empty()
                    || long_tail
                        .iter()
                        .any(|t| !t.is_empty() && rest.starts_with(t)));
            i += if next_word { 2 } else { 1 };
        }
        for out in argv.iter().skip(i + 1) {
            if out.lit() != Some("-") {
                self.check_file(out, FileOperation::Write, argv, "xxd output file");
            }
        }
    }

    /// GNU ptx `-G`/`--traditional`: `ptx -G IN OUT` writes OUT (without
    /// it every operand is an input).
    fn ptx_output(&mut self, argv: &[Arg]) {
        use super::options::{scan as scan_words, Item, Opt, Syntax};
        const SYNTAX: Syntax<'static> = Syntax::gnu(
            "FMSWbgiow",
            &[
                "break-file",
                "flag-truncation",
                "gap-size",
                "ignore-file",
                "macro-name",
                "only-file",
                "format",
                "sentence-regexp",
                "width",
                "word-regexp",
            ],
            &[
                "auto-reference",
                "ignore-case",
                "references",
                "right-side-refs",
                "traditional",
                "typeset-mode",
                "help",
                "version",
            ],
        );
        let mut traditional = false;
        let mut operands = Vec::new();
        for item in scan_words(argv, &SYNTAX) {
            match item {
                Item::Option { opt, .. } => {
                    traditional |= match opt {
                        Opt::Short(c) => c == 'G',
                        Opt::Long(n) => n == "traditional",
                        Opt::Ambiguous(all) => all.contains(&"traditional"),
                        Opt::Other(_) => false,
                    }
                }
                Item::Operand(a) => operands.push(a),
                Item::Computed(a) => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("ptx: the word {} is computed at run time and could be -G, which makes the second operand the output file", a.shown()),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
        if traditional {
            for out in operands.into_iter().skip(1) {
                if out.lit() != Some("-") {
                    self.check_file(out, FileOperation::Write, argv, "ptx -G output file");
                }
            }
        }
    }

    fn tabled(&mut self, argv: &[Arg], base: &str, table: &Table, awk_w: bool) {
        let s = scan(table, argv, awk_w);
        if let Some((a, what)) = &s.unknown {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "{base} {}: an option the analysis does not model; what it reads, writes or runs is not known",
                    clip(what)
                ),
                a.span,
                argv,
            );
        }
        for f in &s.found {
            let via = format!("{base} {}", clip(f.word.lit().unwrap_or(&f.word.text)));
            match f.eff {
                Inert | Elsewhere => {}
                Read => {
                    if let Some(v) = &f.value {
                        self.check_file(v, FileOperation::Read, argv, &via);
                    }
                }
                Write(default) => match &f.value {
                    Some(v) => self.check_file(v, FileOperation::Write, argv, &via),
                    None if !default.is_empty() => {
                        let d = Arg::literal(default, f.word.span);
                        self.check_file(&d, FileOperation::Write, argv, &via);
                    }
                    None => {}
                },
                WriteDir => {
                    if let Some(v) = &f.value {
                        self.check_file(v, FileOperation::Write, argv, &via);
                        // Files land below the directory, under the
                        // operands' names.
                        if let Some(d) = v.lit() {
                            let inside =
                                Arg::literal(&format!("{}/x", d.trim_end_matches('/')), v.span);
                            self.check_file(&inside, FileOperation::Write, argv, &via);
                        }
                    }
                }
                FileList => {
                    if let Some(v) = &f.value {
                        self.check_file(v, FileOperation::Read, argv, &via);
                    }
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{via}: (de)compresses and replaces the files named in a list; which files is not known"),
                        f.word.span,
                        argv,
                    );
                }
                Suffix => self.suffix_outputs(f.value.as_ref(), &s.operands, argv, &via, f.word),
                Runs(what) => self.unmodelled(
                    DecisionCode::DangerousFlag,
                    format!("{via}: {what}; what that runs is not judged"),
                    f.word.span,
                    argv,
                ),
            }
        }
    }

    /// `gzip -S x/../../home/.bashrc a.txt` writes `a.txtx/../../home/.bashrc`.
    fn suffix_outputs(
        &mut self,
        suffix: Option<&Arg>,
        operands: &[&Arg],
        argv: &[Arg],
        via: &str,
        word: &Arg,
    ) {
        let Some(sfx) = suffix.and_then(Arg::lit) else {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{via}: the suffix is not known, so neither is the output's name"),
                word.span,
                argv,
            );
            return;
        };
        if !sfx.contains('/') {
            return;
        }
        for op in operands {
            match op.lit() {
                Some(name) => {
                    let out = Arg::literal(&format!("{name}{sfx}"), op.span);
                    self.check_file(&out, FileOperation::Write, argv, via);
                }
                None => self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{via}: a suffix with `/` writes outside the operand's directory; the operand is not known"),
                    op.span,
                    argv,
                ),
            }
        }
    }

    /// mikefarah yq `-s EXPR`/`--split-exp EXPR` writes one file per
    /// document, named by the expression.
    fn yq_split(&mut self, argv: &[Arg]) {
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            // Short letters up to one that takes a value (`-o`, `-p`, `-I`).
            let short = v.starts_with('-')
                && !v.starts_with("--")
                && v[1..]
                    .chars()
                    .take_while(|c| !matches!(c, 'o' | 'p' | 'I'))
                    .any(|c| c == 's');
            if short || (v.starts_with("--") && abbreviates(v, "--split-exp", 4)) {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("yq {}: writes one file per document, named by an expression the analysis does not evaluate", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
        }
    }

    /// bat runs `--pager` (and `BAT_PAGER`/`PAGER`) when paging; it writes
    /// its configuration and cache in the home.
    fn bat_writes(&mut self, argv: &[Arg], base: &str) {
        let words: Vec<&str> = argv.iter().skip(1).filter_map(Arg::lit).collect();
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                break;
            }
            let what = if abbreviates(v, "--pager", 5) {
                Some("runs the pager command given")
            } else if abbreviates(v, "--generate-config-file", 4) {
                Some("writes the configuration file in the home")
            } else if abbreviates(v, "--config-file", 5)
                || abbreviates(v, "--config-dir", 10)
                || abbreviates(v, "--cache-dir", 4)
            {
                Some("names bat's own files outside the workspace")
            } else {
                None
            };
            if let Some(what) = what {
                self.unmodelled(
                    DecisionCode::DangerousFlag,
                    format!("{base} {}: {what}", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
        }
        if words.first() == Some(&"cache")
            && words
                .iter()
                .skip(1)
                .any(|w| w.starts_with('-') && *w != "-h" && *w != "--help")
        {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{base} cache: builds or clears the syntax cache in the home"),
                argv[1].span,
                argv,
            );
        }
    }

    /// zless and zmore pass their options to less or more: `+CMD` runs a
    /// command when the pager starts, `-k FILE` reads key bindings.
    fn pager_words(&mut self, argv: &[Arg], base: &str) {
        for a in argv.iter().skip(1) {
            let v = a.lit().unwrap_or(&a.text);
            if v == "--" {
                return;
            }
            let inert = matches!(
                v,
                "-N" | "-S" | "-R" | "-r" | "-i" | "-I" | "-F" | "-X" | "-n" | "-s"
            );
            if (v.starts_with('+')
                || v.starts_with('-')
                || a.lit().is_none() && v.starts_with(['$', '"', '\'']))
                && !inert
            {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} {}: passed to the pager, whose options can run commands or read key files", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
        }
    }

    /// rsync `--filter='merge FILE'` (`. FILE`, `: FILE`, `dir-merge`)
    /// reads FILE as rules.
    fn rsync_merge(&mut self, argv: &[Arg]) {
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            let rule = if let Some(l) = v.strip_prefix("--") {
                if !abbreviates(&format!("--{l}"), "--filter", 6) {
                    continue;
                }
                match l.split_once('=') {
                    Some((_, r)) => Some(value_arg(r, a)),
                    None => {
                        i += 1;
                        argv.get(i - 1).cloned()
                    }
                }
            } else if let Some(cl) = v.strip_prefix('-') {
                // Short letters up to `f`; `e`, `B`, `T` take values.
                let mut r = None;
                for (k, c) in cl.char_indices() {
                    if matches!(c, 'e' | 'B' | 'T' | 'M') {
                        break;
                    }
                    if c == 'f' {
                        let rest = &cl[k + 1..];
                        r = if rest.is_empty() {
                            i += 1;
                            argv.get(i - 1).cloned()
                        } else {
                            Some(value_arg(rest, a))
                        };
                        break;
                    }
                }
                r
            } else {
                None
            };
            let Some(rule) = rule else { continue };
            let Some(text) = rule.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    "rsync --filter: the rule is not known; a merge rule reads a file".into(),
                    rule.span,
                    argv,
                );
                continue;
            };
            let t = text.trim_start();
            let (head, file) = match t.split_once([' ', '_']) {
                Some((h, f)) => (h, f.trim()),
                None => (t, ""),
            };
            let kind = head.split(',').next().unwrap_or(head);
            let merges = matches!(kind, "merge" | "dir-merge")
                || head.starts_with('.')
                || head.starts_with(':');
            if merges && !file.is_empty() {
                let f = Arg::literal(file, rule.span);
                self.check_file(&f, FileOperation::Read, argv, "rsync merge filter");
                // A per-directory file is read in every directory of the
                // transfer; a merged file's own `merge`/`.` rules name
                // further files: followed only when its content is known.
                if kind == "dir-merge" || head.starts_with(':') {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("rsync --filter {}: reads a rules file of that name in every directory of the transfer, whose rules can merge any further file", clip(text)),
                        rule.span,
                        argv,
                    );
                } else if let Some(why) = self.rsync_merged_rules(&f) {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("rsync --filter {}: {why}", clip(text)),
                        rule.span,
                        argv,
                    );
                }
            }
        }
    }

    /// Why the rules file `f` of an rsync `merge` rule is not modelled: its
    /// content is not known (written earlier in the command without a
    /// known content) or holds a rule that merges a further file.
    fn rsync_merged_rules(&self, f: &Arg) -> Option<String> {
        let text = match self.was_written(f) {
            Some((_, Some(c))) => c,
            Some((_, None)) => {
                return Some(
                    "the rules file is written earlier in the command; its rules are not known"
                        .into(),
                )
            }
            None => {
                let path = f.lit().and_then(|v| self.resolve(v, f.home))?;
                let host = self.fs.host_path_of(&path)?;
                match std::fs::read(host) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    // No such file: rsync stops with an error.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
                    Err(_) => {
                        return Some(
                            "the rules file cannot be read to see which files its rules merge"
                                .into(),
                        )
                    }
                }
            }
        };
        let merging = text.lines().any(|l| {
            let t = l.trim_start();
            let head = t.split([' ', '_', '\t']).next().unwrap_or("");
            let kind = head.split(',').next().unwrap_or(head);
            matches!(kind, "merge" | "dir-merge") || head.starts_with(['.', ':'])
        });
        merging.then(|| "the rules file merges further rules files".into())
    }

    /// bsdtar `-s /old/new/` renames members on extraction; GNU tar reads
    /// `-s` as `--same-order`, but which tar runs is not known, so the
    /// worse reading holds.
    fn tar_substitution(&mut self, argv: &[Arg], base: &str) {
        for (k, a) in argv.iter().enumerate().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            let cluster = if let Some(c) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) {
                c
            } else if k == 1 && v.chars().all(|c| c.is_ascii_alphabetic()) {
                // Old-style first word (`tar xfs …`).
                v
            } else {
                continue;
            };
            // Letters before `s` that take a value end the cluster.
            for c in cluster.chars() {
                if matches!(
                    c,
                    'f' | 'C' | 'b' | 'T' | 'X' | 'I' | 'F' | 'g' | 'K' | 'L' | 'N' | 'V' | 'H'
                ) {
                    break;
                }
                if c == 's' {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{base} {}: bsdtar renames members by a substitution (GNU tar: same order); where extraction writes is not known", clip(v)),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
    }

    /// `who FILE`, `users FILE` read FILE as a login record file
    /// (`who am i` is two operands: the terminal's user).
    fn utmp_operand(&mut self, argv: &[Arg], base: &str) {
        let ops: Vec<&Arg> = argv
            .iter()
            .skip(1)
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-') || v == "-"))
            .collect();
        if ops.len() == 1 {
            self.check_file(ops[0], FileOperation::Read, argv, base);
        }
    }

    /// `hostname -F FILE` / `--file FILE` reads the name from FILE.
    fn hostname_file(&mut self, argv: &[Arg]) {
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else { continue };
            let file = if v == "-F" || (abbreviates(v, "--file", 4) && !v.contains('=')) {
                i += 1;
                argv.get(i - 1).cloned()
            } else if v.starts_with("--") && abbreviates(v, "--file", 4) {
                v.split_once('=').map(|(_, f)| value_arg(f, a))
            } else {
                v.strip_prefix("-F").map(|f| value_arg(f, a))
            };
            if let Some(f) = file {
                self.check_file(&f, FileOperation::Read, argv, "hostname -F");
            }
        }
    }
}
