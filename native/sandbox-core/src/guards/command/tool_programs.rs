//! Programs that tools of the file table start as helpers, judged like the
//! programs `implied` finds (docs/commands.md, "Programs run implicitly"):
//!
//! - GNU tar runs the compressor of its compression options as a program
//!   found on `PATH`: `-z`/`--gzip` gzip, `-j` bzip2, `-J` xz, `-Z`
//!   compress, `--lzip`, `--lzma`, `--lzop`, `--zstd`; `-a`
//!   (`--auto-compress`) the one the archive's suffix names when it
//!   creates one.
//! - GNU diff `-l` (`--paginate`) pipes its output through `pr`.

use super::implied::Implied;
use super::long_options::{resolve, Long};
use super::minilang::{tar_words, TarWords};
use super::normalize::Arg;
use super::options::{scan, Item, Opt, Syntax};

/// The helper programs `argv` (whose basename is `base`) starts.
pub(crate) fn tool_programs(argv: &[Arg], base: &str) -> Vec<Implied> {
    match super::programs::canonical(base).as_str() {
        "tar" | "gtar" | "bsdtar" => tar_compressors(argv),
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

fn tar_compressors(argv: &[Arg]) -> Vec<Implied> {
    const WHY: &str = "tar runs the compressor of its compression option";
    let TarWords { letters, longs, .. } = tar_words(argv);
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
        let archive = letters
            .iter()
            .filter(|(c, _)| *c == 'f')
            .filter_map(|(_, v)| v.clone())
            .chain(
                longs
                    .iter()
                    .filter(|(k, _)| k == "--file")
                    .filter_map(|(_, v)| v.clone()),
            )
            .next_back();
        match archive.as_ref().map(|a| (a, a.lit())) {
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
