//! Programs that tools of the file table start as helpers, judged like the
//! programs `implied` finds (docs/commands.md, "Programs run implicitly"):
//!
//! - GNU tar runs the compressor of its compression options as a program
//!   found on `PATH`: `-z`/`--gzip` gzip, `-j` bzip2, `-J` xz, `-Z`
//!   compress, `--lzip`, `--lzma`, `--lzop`, `--zstd`; `-a`
//!   (`--auto-compress`) the one the archive's suffix names when it
//!   creates one. Reading an archive file without one, tar starts the
//!   decompressor its first bytes name (and, for a name it does not
//!   recognise, its suffix): the archive is looked at as it is when the
//!   command is checked; one written earlier in the command (or computed)
//!   may hold anything.
//! - GNU diff `-l` (`--paginate`) pipes its output through `pr`.

use super::implied::Implied;
use super::long_options::{resolve, Long};
use super::minilang::{tar_words, TarWords};
use super::normalize::Arg;
use super::options::{scan, Item, Opt, Syntax};
use super::walk::Analyzer;

/// What an archive tar reads is, for the decompressor it starts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Archive {
    /// Compressed: tar starts this program.
    Compressed(&'static str),
    /// Not compressed, a stream (tar refuses a compressed one without an
    /// option), or not there (tar fails).
    Plain,
    /// Not known: computed, or written earlier in the command.
    Unknown,
}

/// The helper programs `argv` (whose basename is `base`) starts; `archive`
/// tells what an archive file holds.
pub(crate) fn tool_programs(
    argv: &[Arg],
    base: &str,
    archive: &dyn Fn(&Arg) -> Archive,
) -> Vec<Implied> {
    match super::programs::canonical(base).as_str() {
        "tar" | "gtar" | "bsdtar" => tar_compressors(argv, archive),
        "diff" => diff_pager(argv),
        _ => Vec::new(),
    }
}

/// tar's compression options and the program each runs.
const TAR_LETTERS: &[(char, &str)] = &[
    ('z', "gzip"),
    ('j', "bzip2"),
    ('J', "xz"),
    ('Z', "compress"),
];

/// tar's long compression options (and the long options sharing a prefix
/// with them, which resolve to themselves), with the program each runs.
const TAR_LONGS: &[(&str, Option<&str>)] = &[
    ("gzip", Some("gzip")),
    ("gunzip", Some("gzip")),
    ("ungzip", Some("gzip")),
    ("bzip2", Some("bzip2")),
    ("xz", Some("xz")),
    ("lzip", Some("lzip")),
    ("lzma", Some("lzma")),
    ("lzop", Some("lzop")),
    ("zstd", Some("zstd")),
    ("compress", Some("compress")),
    ("uncompress", Some("compress")),
    ("compare", None),
    ("auto-compress", None),
];

/// The compressor GNU tar's `-a` picks for an archive name (its suffix
/// table); `None` for a name without a compression suffix.
fn by_suffix(name: &str) -> Option<&'static str> {
    let suffix = name.rsplit_once('.')?.1;
    Some(match suffix {
        "gz" | "tgz" | "taz" => "gzip",
        "Z" | "taZ" => "compress",
        "bz2" | "tbz" | "tbz2" | "tz2" => "bzip2",
        "lz" => "lzip",
        "lzma" | "tlz" => "lzma",
        "lzo" => "lzop",
        "xz" | "txz" => "xz",
        "zst" | "tzst" => "zstd",
        _ => return None,
    })
}

fn runs(program: &str, at: &Arg, certain: bool, why: &'static str) -> Implied {
    Implied {
        argv: vec![Arg::literal(program, at.span)],
        certain,
        why,
    }
}

/// The decompressor GNU tar starts for an archive beginning with `head`
/// (its signature table).
fn by_magic(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x1f\x9d", "compress"),
        (b"\x1f\x8b", "gzip"),
        (b"BZh", "bzip2"),
        (b"LZIP", "lzip"),
        (b"\xffLZMA", "lzma"),
        (b"\x5d\x00\x00", "lzma"),
        (b"\x89LZO", "lzop"),
        (b"\xfd7zXZ", "xz"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, p)| *p)
}

impl Analyzer<'_> {
    /// What the archive file `a` holds, read as tar reads it.
    pub(crate) fn archive_kind(&self, a: &Arg) -> Archive {
        use std::io::Read;
        let Some(v) = a.lit() else {
            return Archive::Unknown;
        };
        if v == "-" {
            return Archive::Plain;
        }
        if self.was_written(a).is_some() {
            return Archive::Unknown;
        }
        let Some(host) = self
            .resolve(v, a.home)
            .and_then(|p| self.fs.host_path_of(&p))
        else {
            return Archive::Unknown;
        };
        if !std::fs::metadata(&host).is_ok_and(|m| m.is_file()) {
            return Archive::Plain;
        }
        let mut head = Vec::new();
        match std::fs::File::open(&host).map(|f| f.take(6).read_to_end(&mut head)) {
            Ok(Ok(_)) => {}
            _ => return Archive::Unknown,
        }
        match by_magic(&head).or_else(|| by_suffix(v)) {
            Some(p) => Archive::Compressed(p),
            None => Archive::Plain,
        }
    }
}

fn tar_compressors(argv: &[Arg], archive: &dyn Fn(&Arg) -> Archive) -> Vec<Implied> {
    const WHY: &str = "tar runs the compressor of its compression option";
    let words = tar_words(argv);
    let named = words.values('f', "--file");
    let TarWords { letters, longs, .. } = words;
    let names: Vec<&str> = TAR_LONGS.iter().map(|(n, _)| *n).collect();
    let mut programs: Vec<&'static str> = Vec::new();
    let mut auto = letters.iter().any(|(c, _)| *c == 'a');
    for (c, _) in &letters {
        if let Some((_, p)) = TAR_LETTERS.iter().find(|(l, _)| l == c) {
            programs.push(p);
        }
    }
    for (k, _) in &longs {
        let found: Vec<&str> = match resolve(k, &names) {
            Long::Option(n) => vec![n],
            // tar refuses an ambiguous prefix; read as each.
            Long::Ambiguous(all) => all,
            Long::Unknown => Vec::new(),
        };
        for n in found {
            auto |= n == "auto-compress";
            if let Some((_, Some(p))) = TAR_LONGS.iter().find(|(x, _)| *x == n) {
                programs.push(p);
            }
        }
    }
    let mut out: Vec<Implied> = Vec::new();
    if auto {
        match named.last().map(|a| (a, a.lit())) {
            Some((_, Some(name))) => programs.extend(by_suffix(name)),
            Some((a, None)) => out.push(Implied {
                argv: vec![Arg {
                    value: None,
                    text: "the compressor of the archive's suffix".to_string(),
                    span: a.span,
                    ..Arg::default()
                }],
                certain: false,
                why: "tar -a runs the compressor the archive's suffix names",
            }),
            None => {}
        }
    }
    // Reading (listing, extracting, comparing) an archive file without a
    // compression option: the decompressor its content names.
    let reads = letters.iter().any(|(c, _)| matches!(c, 't' | 'x' | 'd'))
        || longs.iter().any(|(k, _)| {
            matches!(
                k.as_str(),
                "--list" | "--extract" | "--get" | "--diff" | "--compare"
            )
        });
    if reads && programs.is_empty() && !auto {
        for a in &named {
            match archive(a) {
                Archive::Compressed(p) => out.push(runs(
                    p,
                    a,
                    true,
                    "tar runs the decompressor the archive's first bytes (or suffix) name",
                )),
                Archive::Unknown => out.push(Implied {
                    argv: vec![Arg {
                        value: None,
                        text: "the decompressor of the archive".to_string(),
                        span: a.span,
                        ..Arg::default()
                    }],
                    certain: false,
                    why: "tar runs the decompressor a compressed archive names, and this one is not known",
                }),
                Archive::Plain => {}
            }
        }
    }
    programs.sort_unstable();
    programs.dedup();
    out.extend(programs.into_iter().map(|p| runs(p, &argv[0], true, WHY)));
    out
}

/// GNU diff's options with a value (short letters, long names), and the
/// long options sharing a prefix with `--paginate`.
const DIFF: Syntax = Syntax::gnu(
    "CDFILSUWxX",
    &[
        "changed-group-format",
        "exclude",
        "exclude-from",
        "from-file",
        "horizon-lines",
        "ifdef",
        "ignore-matching-lines",
        "label",
        "line-format",
        "new-group-format",
        "new-line-format",
        "old-group-format",
        "old-line-format",
        "palette",
        "show-function-line",
        "starting-file",
        "tabsize",
        "to-file",
        "unchanged-group-format",
        "unchanged-line-format",
        "width",
    ],
    &["paginate", "color", "context", "unified"],
);

fn diff_pager(argv: &[Arg]) -> Vec<Implied> {
    let paginates = scan(argv, &DIFF).any(|item| {
        matches!(
            item,
            Item::Option {
                opt: Opt::Short('l') | Opt::Long("paginate"),
                ..
            }
        ) || matches!(item, Item::Option { opt: Opt::Ambiguous(ref all), .. } if all.contains(&"paginate"))
    });
    if paginates {
        vec![runs(
            "pr",
            &argv[0],
            true,
            "diff -l (--paginate) pipes its output through pr",
        )]
    } else {
        Vec::new()
    }
}
