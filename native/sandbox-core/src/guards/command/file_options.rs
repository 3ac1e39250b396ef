//! Options whose value is a file a tool reads or writes, for tools whose
//! options the file table does not list (curl's upload and cache files,
//! wget's post and log files, tar's snapshot and index files, …).

use super::normalize::Arg;
use super::options::{scan, Item, Opt, Syntax};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{self, List, Read, Write};

/// How an option's value names the file.
#[derive(Clone, Copy)]
enum Val {
    /// The value is the file.
    File(FileOperation),
    /// `@FILE` (curl `-d`): the file after `@`; other values are data.
    AtFile,
    /// `name=@FILE` or `name=<FILE` (curl `-F`).
    FormFile,
    /// The value is a configuration file that can name other files and
    /// programs: not modelled.
    Config,
    /// `@FILE` or `name@FILE` (curl `--data-urlencode`, `--url-query`,
    /// `--variable`): the file after the first `@` when no `=` precedes it.
    NameAtFile,
    /// curl `-w`: `@FILE` is read; every `%output{FILE}` is written.
    WriteOut,
    /// A list of files split at `:` (file `-m a.mgc:b.mgc`), each read.
    ColonFiles,
    /// The value is a command the tool runs (a pager).
    Runs(&'static str),
}

use Val::{AtFile, ColonFiles, Config, File, FormFile, NameAtFile, Runs, WriteOut};

type Opts = &'static [(&'static [&'static str], Val)];

static TABLE: &[(&[&str], Opts)] = &[
    (
        &["curl"],
        &[
            (
                &["-d", "--data", "--data-binary", "--json", "--data-ascii"],
                AtFile,
            ),
            (&["-F", "--form"], FormFile),
            (
                &[
                    "-T",
                    "--upload-file",
                    "--etag-compare",
                    "--cacert",
                    "--cert",
                    "--key",
                    "--netrc-file",
                    "--proxy-cacert",
                    "--crlfile",
                    "--pinnedpubkey",
                ],
                File(Read),
            ),
            (
                &[
                    "--libcurl",
                    "--etag-save",
                    "--hsts",
                    "--alt-svc",
                    "-c",
                    "--cookie-jar",
                    "--trace",
                    "--trace-ascii",
                    "--stderr",
                    "-D",
                    "--dump-header",
                    "--output-dir",
                ],
                File(Write),
            ),
            (&["-K", "--config"], Config),
            (
                &["--data-urlencode", "--url-query", "--variable"],
                NameAtFile,
            ),
            (&["-w", "--write-out"], WriteOut),
            (&["-H", "--header", "--proxy-header", "--url"], AtFile),
            (&["--ssl-sessions"], File(Write)),
        ],
    ),
    (
        &["wget", "wget2"],
        &[
            (
                &[
                    "--post-file",
                    "--body-file",
                    "-i",
                    "--input-file",
                    "--load-cookies",
                    "--ca-certificate",
                    "--certificate",
                    "--private-key",
                    "--input-metalink",
                    // wget 1.21's manual: certificates, keys, entropy, the
                    // WARC deduplication index.
                    "--ca-directory",
                    "--crl-file",
                    "--pinnedpubkey",
                    "--random-file",
                    "--egd-file",
                    "--warc-dedup",
                ],
                File(Read),
            ),
            (&["--hsts-file", "--warc-tempdir"], File(Write)),
            (
                &[
                    "--save-cookies",
                    "--rejected-log",
                    "-a",
                    "--append-output",
                    "-o",
                    "--output-file",
                    "--warc-file",
                    "-P",
                    "--directory-prefix",
                ],
                File(Write),
            ),
            (&["-e", "--execute", "--config"], Config),
        ],
    ),
    (
        &["tar", "gtar", "bsdtar"],
        &[
            (
                &["--index-file", "-g", "--listed-incremental", "--volno-file"],
                File(Write),
            ),
            (
                &[
                    "-X",
                    "--exclude-from",
                    "--add-file",
                    "-T",
                    "--files-from",
                    "--owner-map",
                    "--group-map",
                ],
                File(Read),
            ),
        ],
    ),
    // `ln -t DIR` is judged with the links it makes (files.rs, link_files).
    (
        &["cp", "mv", "install"],
        &[(&["-t", "--target-directory"], File(Write))],
    ),
    (
        &["sort"],
        &[
            (&["-T", "--temporary-directory"], File(Write)),
            (&["--random-source", "--files0-from"], File(Read)),
        ],
    ),
    (
        &["jq"],
        &[
            (&["-L"], File(List)),
            (&["--rawfile", "--slurpfile"], Config),
            (&["-f", "--from-file"], File(Read)),
        ],
    ),
    (&["yq"], &[(&["--from-file"], File(Read))]),
    // zdiff and zcmp hand their options to diff (or cmp).
    (
        &["diff", "zdiff", "zcmp"],
        &[(
            &["--from-file", "--to-file", "-X", "--exclude-from"],
            File(Read),
        )],
    ),
    // shred overwrites its operands with bytes of this file.
    (&["shred"], &[(&["--random-source"], File(Read))]),
    // A magic file's bad lines are printed in warnings; `-f` lists names.
    (
        &["file"],
        &[
            (&["-m", "--magic-file"], ColonFiles),
            (&["-f", "--files-from"], File(Read)),
        ],
    ),
    // The format file's first bad line is printed in the error.
    (&["hexdump"], &[(&["-f", "--format-file"], File(Read))]),
    (
        &["ack", "ack-grep"],
        &[
            (&["--ackrc"], File(Read)),
            (
                &["--pager"],
                Runs("runs the pager command given, with the results on its input"),
            ),
        ],
    ),
    // Name or pattern lists read from a file.
    (
        &["grep", "egrep", "fgrep"],
        &[(&["--exclude-from"], File(Read))],
    ),
    (
        &["ptx"],
        &[(
            &[
                "-i",
                "--ignore-file",
                "-o",
                "--only-file",
                "-b",
                "--break-file",
            ],
            File(Read),
        )],
    ),
    (&["tree"], &[(&["--fromfile", "--gitfile"], File(Read))]),
    (
        &["ag"],
        &[
            (&["-p", "--path-to-ignore"], File(Read)),
            (
                &["--pager"],
                Runs("runs the pager command given, with the results on its input"),
            ),
        ],
    ),
    (&["iconv"], &[(&["-o", "--output"], File(Write))]),
    // The pieces are PREFIX00, PREFIX01, …: judged by the prefix.
    (&["csplit"], &[(&["-f", "--prefix"], File(Write))]),
    // `--link-dest` hard-links files from DIR into the destination (a later
    // write there writes DIR's file): judged as a write of DIR. A relative
    // DIR is relative to the destination, which is itself judged as a
    // write, so DIR is judged from the working directory as well.
    (
        &["rsync"],
        &[
            (
                &["--early-input", "--copy-dest", "--compare-dest"],
                File(Read),
            ),
            (&["--link-dest"], File(Write)),
        ],
    ),
    (
        &["script"],
        &[(
            &[
                "-O",
                "--log-out",
                "-I",
                "--log-in",
                "-B",
                "--log-io",
                "-T",
                "--log-timing",
            ],
            File(Write),
        )],
    ),
    (&["sshpass"], &[(&["-f"], File(Read))]),
    // Its configuration.
    (&["proxychains", "proxychains4"], &[(&["-f"], File(Read))]),
    // A list of names read from a file; each one it cannot open is
    // printed in an error with the file's content.
    (&["find"], &[(&["-files0-from"], File(Read))]),
    (&["wc"], &[(&["--files0-from"], File(Read))]),
    // Argument lines read from a file (also every word after `::::`).
    (&["parallel"], &[(&["-a", "--arg-file"], File(Read))]),
    (
        &["du"],
        &[(&["--files0-from", "-X", "--exclude-from"], File(Read))],
    ),
];

/// Short option letters of a tool that take a value but are not in the
/// table: they end a cluster as the tool's getopt ends it (`tar -cf -g`
/// is `-f` with the value `-g`, `tar -cvg F` is `-g F`).
static VALUE_LETTERS: &[(&[&str], &str)] = &[
    (&["curl"], "AbCcDdEeFHKmoPQrTtUuwXxyYz"),
    (&["wget", "wget2"], "aABDeIiloOPQRtTUwXYn"),
    (&["tar", "gtar", "bsdtar"], "bCfFgHIKLNTVX"),
    (&["cp", "mv"], "St"),
    (&["install"], "gmoSt"),
    (&["sort"], "koStT"),
    (&["jq"], "fL"),
    (&["diff", "zdiff", "zcmp"], "CDFILSUWxX"),
    (&["shred"], "ns"),
    (&["file"], "eFfmP"),
    (&["hexdump"], "efns"),
    (&["iconv"], "fto"),
    (&["csplit"], "bfn"),
    (&["rsync"], "BefMT@"),
    (&["script"], "cEIOBTmo"),
    (&["sshpass"], "fdpP"),
    (&["proxychains", "proxychains4"], "f"),
    (&["du"], "BdtX"),
    (&["ag"], "ABCGgmpW"),
    (&["ptx"], "FMSWgw"),
];

/// GNU tar's old-style keys (`tar cvTf LIST ARCHIVE`): the first word,
/// without a dash, is a cluster whose value letters take the next words in
/// order. Rewritten to the dashed form.
fn tar_old_style(argv: &[Arg], values: &str) -> Option<Vec<Arg>> {
    let keys = argv.get(1)?;
    let k = keys.lit()?;
    if k.is_empty() || k.starts_with('-') {
        return None;
    }
    let mut out = vec![argv[0].clone()];
    let mut rest = argv[2..].iter();
    for c in k.chars() {
        out.push(Arg::literal(&format!("-{c}"), keys.span));
        if values.contains(c) {
            out.extend(rest.next().cloned());
        }
    }
    out.extend(rest.cloned());
    Some(out)
}

/// Tools that read their long options with getopt_long, which accepts any
/// unambiguous prefix (`diff --to-f=` is `--to-file=`).
const ABBREVIATING: &[&str] = &[
    "wget", "wget2", "tar", "gtar", "sort", "diff", "iconv", "csplit", "rsync", "cp", "mv",
    "install", "script", "du", "wc", "grep", "egrep", "fgrep", "ptx", "ag", "zdiff", "zcmp",
    "shred", "file", "hexdump", "ack", "ack-grep",
];

/// Other long options of a tool that share a prefix with its options in
/// the table, with a value, so that a prefix resolves as the tool resolves
/// it (tar's `--exclude` is not `--exclude-from`).
static SHARING: &[(&[&str], &[&str])] = &[
    (&["tar", "gtar", "bsdtar"], &["exclude", "files0-from"]),
    (
        &["grep", "egrep", "fgrep"],
        &["exclude", "exclude-dir", "file"],
    ),
    (&["diff", "zdiff", "zcmp", "du"], &["exclude"]),
];

fn table_of(base: &str) -> Option<Opts> {
    TABLE
        .iter()
        .find(|(names, _)| names.contains(&base))
        .map(|(_, o)| *o)
}

/// What `check_file_options` reads a tool's options with, derived from the
/// static tables above (see there).
struct Derived {
    opts: Opts,
    /// The letters of short options that take a value, the tool's extra
    /// value letters included.
    all_short: String,
    /// Long option names (without their dashes) that take a value.
    long: Vec<&'static str>,
    /// Every option that takes a value, as written (`-o`, `--output`).
    with_arg: Vec<&'static str>,
    /// The options of the table.
    files: Vec<&'static str>,
}

/// [`Derived`] of the tool `canon` (a name of [`TABLE`]): built once per
/// process from the static tables, which never change, instead of at every
/// command that runs the tool.
fn derived(canon: &str) -> Option<&'static Derived> {
    static ALL: std::sync::OnceLock<std::collections::HashMap<&'static str, Derived>> =
        std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = std::collections::HashMap::new();
        for (names, _) in TABLE {
            for &name in names.iter() {
                if let (false, Some(opts)) = (all.contains_key(name), table_of(name)) {
                    all.insert(name, derive(name, opts));
                }
            }
        }
        all
    })
    .get(canon)
}

fn derive(canon: &'static str, opts: Opts) -> Derived {
    let names = || opts.iter().flat_map(|(names, _)| names.iter().copied());
    let short: String = names()
        .filter(|n| n.len() == 2 && !n.starts_with("--"))
        .map(|n| &n[1..])
        .collect();
    let single_dash = canon == "find";
    let dashes = if single_dash { "-" } else { "--" };
    let long: Vec<&'static str> = names()
        .filter(|n| n.len() > 2 || single_dash)
        .filter_map(|n| n.strip_prefix(dashes))
        .chain(
            SHARING
                .iter()
                .filter(|(tools, _)| tools.contains(&canon))
                .flat_map(|(_, names)| names.iter().copied()),
        )
        .collect();
    let extra = VALUE_LETTERS
        .iter()
        .find(|(tools, _)| tools.contains(&canon))
        .map_or("", |(_, l)| *l);
    let all_short: String = short.chars().chain(extra.chars()).collect();
    let mut with_arg: Vec<String> = names().map(str::to_string).collect();
    with_arg.extend(
        SHARING
            .iter()
            .filter(|(tools, _)| tools.contains(&canon))
            .flat_map(|(_, names)| names.iter())
            .map(|n| format!("--{n}")),
    );
    with_arg.extend(extra.chars().map(|c| format!("-{c}")));
    // Built once per process and tool, kept for the process's life.
    let with_arg = with_arg
        .into_iter()
        .map(|s| &*Box::leak(s.into_boxed_str()))
        .collect();
    Derived {
        opts,
        all_short,
        long,
        with_arg,
        files: names().collect(),
    }
}

impl Analyzer<'_> {
    /// Files named by the options of the table (curl's `file:` URLs are
    /// judged by `curl_file_urls`).
    pub(crate) fn check_file_options(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        match canon.as_str() {
            "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => self.awk_argv(argv, base),
            "rg" => self.rg_files(argv),
            "cp" | "rsync" => {
                self.copied_git_dir(argv, base);
                self.check_git_dir_copies(argv, canon.as_str());
            }
            "mv" => self.check_git_dir_copies(argv, canon.as_str()),
            "csplit" => self.csplit_names(argv),
            "split" => self.split_names(argv),
            "strings" => self.response_files(argv, base),
            "parallel" => self.parallel_arg_files(argv),
            "script" | "sshpass" | "proxychains" | "proxychains4" => {
                self.check_reader_options(argv, base);
            }
            _ => {}
        }
        self.check_tool_options(argv, canon.as_str());
        self.check_tool_inputs(argv, canon.as_str());
        let Some(d) = derived(canon.as_str()) else {
            return;
        };
        let (opts, all_short, long) = (d.opts, &d.all_short, &d.long);
        let canon = canon.as_str();
        let single_dash = canon == "find";
        let dashes = if single_dash { "-" } else { "--" };
        let old_style = if matches!(canon, "tar" | "gtar" | "bsdtar") {
            tar_old_style(argv, all_short)
        } else {
            None
        };
        let argv: &[Arg] = old_style.as_deref().unwrap_or(argv);
        if !single_dash {
            // The options that take a value, so that a cluster's letters
            // are read as getopt reads them.
            let files = &d.files;
            // Other value options are not all listed: a word wholly computed
            // is left to the operand checks.
            self.computed_file_options(argv, base, &d.with_arg, false, |o| files.contains(&o));
        }
        let syntax = Syntax {
            short: if single_dash { "" } else { all_short },
            optional: "",
            // Read as getopt reads a cluster: letters up to one that takes
            // a value, which takes the rest of the word or the next word.
            clusters: true,
            long_words: true,
            long,
            long_flags: &[],
            single_dash,
            abbreviates: ABBREVIATING.contains(&canon),
            plus: None,
        };
        for item in scan(argv, &syntax) {
            let Item::Option {
                opt,
                word,
                value: Some(value),
            } = item
            else {
                continue;
            };
            let matched: Vec<String> = match opt {
                Opt::Short(c) => vec![format!("-{c}")],
                Opt::Long(n) => vec![format!("{dashes}{n}")],
                // getopt_long refuses it; read as any of them, which the
                // value would be if the tool took it.
                Opt::Ambiguous(all) => all.iter().map(|n| format!("{dashes}{n}")).collect(),
                Opt::Other(_) => continue,
            };
            let f = value.arg(word);
            let shown = word.lit().unwrap_or(&word.text);
            for (_, val) in opts
                .iter()
                .filter(|(names, _)| names.iter().any(|n| matched.iter().any(|m| m == n)))
            {
                self.option_file(&f, *val, argv, base, shown);
            }
        }
    }

    fn option_file(&mut self, f: &Arg, val: Val, argv: &[Arg], base: &str, opt: &str) {
        let via = format!("{base} {}", opt.split('=').next().unwrap_or(opt));
        match val {
            File(op) => self.check_file(f, op, argv, &via),
            AtFile | FormFile | NameAtFile | WriteOut => {
                let Some(v) = f.lit() else {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{via}: the value {} is computed at run time and may name a file to upload", f.shown()),
                        f.span,
                        argv,
                    );
                    return;
                };
                let mut files: Vec<(&str, FileOperation)> = Vec::new();
                match val {
                    AtFile => files.extend(v.strip_prefix('@').map(|p| (p, Read))),
                    FormFile => files.extend(
                        v.split_once('=')
                            .and_then(|(_, r)| r.strip_prefix('@').or_else(|| r.strip_prefix('<')))
                            .map(|r| (r.split(';').next().unwrap_or(r), Read)),
                    ),
                    NameAtFile => files.extend(
                        v.split_once('@')
                            .filter(|(name, _)| !name.contains('='))
                            .map(|(_, p)| (p, Read)),
                    ),
                    _ => {
                        if let Some(p) = v.strip_prefix('@') {
                            files.push((p, Read));
                        }
                        let mut rest = v;
                        while let Some(k) = rest.find("%output{") {
                            rest = &rest[k + 8..];
                            let end = rest.find('}').unwrap_or(rest.len());
                            files.push((rest[..end].trim_start_matches(">>"), Write));
                            rest = &rest[end..];
                        }
                    }
                }
                for (p, op) in files {
                    if p.is_empty() || p == "-" {
                        continue;
                    }
                    let mut t = Arg::literal(p, f.span);
                    t.home = p == "~" || p.starts_with("~/");
                    self.check_file(&t, op, argv, &via);
                }
            }
            ColonFiles => {
                let Some(v) = f.lit() else {
                    self.check_file(f, Read, argv, &via);
                    return;
                };
                for p in v.split(':').filter(|p| !p.is_empty()) {
                    let mut t = Arg::literal(p, f.span);
                    t.home = p == "~" || p.starts_with("~/");
                    self.check_file(&t, Read, argv, &via);
                }
            }
            Runs(what) => self.unmodelled(
                DecisionCode::DangerousFlag,
                format!("{via}: {what}; what that runs is not judged"),
                f.span,
                argv,
            ),
            Config => self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{via} {}: a configuration or file given this way can name other files and programs; it is not analysed", f.shown()),
                f.span,
                argv,
            ),
        }
    }
}

/// A csplit suffix format with its conversion (`%02d`, `%.0d`, `%x`)
/// printed two ways: empty (`%.0d` of 0) and as digits.
fn csplit_suffixes(fmt: &str) -> Vec<String> {
    let Some(k) = fmt.find('%') else {
        return vec![fmt.to_string()];
    };
    let rest = &fmt[k + 1..];
    let end = rest
        .find(|c: char| c.is_ascii_alphabetic())
        .map_or(rest.len(), |e| e + 1);
    let (head, tail) = (&fmt[..k], &rest[end..]);
    vec![format!("{head}{tail}"), format!("{head}00{tail}")]
}

/// The suffixes a splitter appends to its prefix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Suffix {
    /// Any text (a csplit `-b` format, split's `--additional-suffix`, a
    /// computed word).
    Any,
    /// csplit's piece numbers.
    Digits,
    /// split's letters or digits: `-a N` long, or by default two, widened
    /// with names that start with `z` (or `9`, `f`) once those run out.
    Split(Option<usize>),
}

impl Suffix {
    fn may_be(self, rest: &str) -> bool {
        let plain = rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        match self {
            Suffix::Any => true,
            Suffix::Digits => rest.chars().all(|c| c.is_ascii_digit()),
            Suffix::Split(Some(n)) => plain && rest.len() == n,
            Suffix::Split(None) => plain && (rest.len() <= 2 || rest.starts_with(['z', '9', 'f'])),
        }
    }
}

impl Analyzer<'_> {
    /// GNU binutils expand `@FILE` in any position (also after `--`) into
    /// the words FILE holds: FILE is read (a word it cannot open is
    /// printed in an error), and the words it adds are not known.
    fn response_files(&mut self, argv: &[Arg], base: &str) {
        for a in argv.iter().skip(1) {
            let Some(file) = a.lit().and_then(|v| v.strip_prefix('@')) else {
                continue;
            };
            let mut t = Arg::literal(file, a.span);
            t.home = file == "~" || file.starts_with("~/");
            let via = format!("{base} @FILE");
            self.check_file(&t, Read, argv, &via);
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{base} {}: a response file adds arguments that are not analysed",
                    super::normalize::clip(a.lit().unwrap_or_default())
                ),
                a.span,
                argv,
            );
        }
    }

    /// GNU parallel reads every word after `::::` (or `::::+`) as a file
    /// of arguments, up to the next separator.
    fn parallel_arg_files(&mut self, argv: &[Arg]) {
        let mut files = false;
        for a in argv.iter().skip(1) {
            match a.lit() {
                Some(v) if v.starts_with(":::") => files = v.starts_with("::::"),
                _ if files => self.check_file(a, Read, argv, "parallel ::::"),
                _ => {}
            }
        }
    }

    /// csplit names its pieces PREFIX + the suffix format printed with the
    /// piece's number: with `-b`/`--suffix-format`, each name is judged as
    /// a write (the suffix can hold `/`, `..`, or complete a protected
    /// name).
    fn csplit_names(&mut self, argv: &[Arg]) {
        const CSPLIT: Syntax<'static> = Syntax::gnu(
            "bfn",
            &["prefix", "suffix-format", "digits"],
            &[
                "keep-files",
                "elide-empty-files",
                "quiet",
                "silent",
                "suppress-matched",
            ],
        );
        let mut prefix: Option<Arg> = None;
        let mut suffix: Option<Arg> = None;
        for item in scan(argv, &CSPLIT) {
            if let Item::Option {
                opt,
                word,
                value: Some(v),
            } = item
            {
                match opt {
                    Opt::Short('f') | Opt::Long("prefix") => prefix = Some(v.arg(word)),
                    Opt::Short('b') | Opt::Long("suffix-format") => suffix = Some(v.arg(word)),
                    _ => {}
                }
            }
        }
        // The pieces are PREFIX followed by computed names: remembered as
        // written (`csplit -f Makefil … && make -f Makefil00`).
        let shape = if suffix.is_some() {
            Suffix::Any
        } else {
            Suffix::Digits
        };
        self.note_prefix_written(prefix.as_ref(), "xx", argv, "csplit", shape);
        let Some(suffix) = suffix else { return };
        let (Some(p), Some(s)) = (
            prefix.as_ref().map_or(Some("xx"), |a| a.lit()),
            suffix.lit(),
        ) else {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                "csplit: the prefix or suffix format is computed at run time and names the files written".to_string(),
                suffix.span,
                argv,
            );
            return;
        };
        for name in csplit_suffixes(s) {
            let mut t = Arg::literal(&format!("{p}{name}"), suffix.span);
            t.home = prefix.as_ref().is_some_and(|a| a.home);
            self.check_file(&t, Write, argv, "csplit -b");
        }
    }

    /// `split [INPUT [PREFIX]]`: the pieces are PREFIX (`x` by default)
    /// followed by computed suffixes.
    fn split_names(&mut self, argv: &[Arg]) {
        const SPLIT: Syntax<'static> = Syntax {
            optional: "",
            ..Syntax::gnu(
                "abCIlnt",
                &[
                    "suffix-length",
                    "bytes",
                    "line-bytes",
                    "lines",
                    "number",
                    "separator",
                    "additional-suffix",
                    "filter",
                ],
                &[
                    "numeric-suffixes",
                    "hex-suffixes",
                    "elide-empty-files",
                    "unbuffered",
                    "verbose",
                ],
            )
        };
        let operands: Vec<&Arg> = scan(argv, &SPLIT)
            .filter_map(|item| match item {
                Item::Operand(a) | Item::Computed(a) => Some(a),
                _ => None,
            })
            .collect();
        // `--additional-suffix` appends any text to the pieces' names;
        // `-a N` fixes the suffix's length, else split widens it past
        // two letters or digits with names that start with `z` or `9`.
        let mut shape = Suffix::Split(None);
        for item in scan(argv, &SPLIT) {
            match item {
                Item::Option {
                    opt: Opt::Long("additional-suffix"),
                    ..
                }
                | Item::Computed(_) => shape = Suffix::Any,
                Item::Option {
                    opt: Opt::Short('a') | Opt::Long("suffix-length"),
                    word,
                    value: Some(v),
                } if shape != Suffix::Any => {
                    shape = match v.arg(word).lit().and_then(|n| n.parse().ok()) {
                        Some(n) => Suffix::Split(Some(n)),
                        None => Suffix::Any,
                    }
                }
                _ => {}
            }
        }
        self.note_prefix_written(operands.get(1).copied(), "x", argv, "split", shape);
    }

    /// Remember the pieces a splitter writes as the names starting with
    /// its prefix (or `default` in the working directory).
    fn note_prefix_written(
        &mut self,
        prefix: Option<&Arg>,
        default: &str,
        argv: &[Arg],
        base: &str,
        shape: Suffix,
    ) {
        let (v, home) = match prefix {
            Some(a) => match a.lit() {
                Some(v) => (v.to_string(), a.home || v == "~" || v.starts_with("~/")),
                None => return,
            },
            None => (default.to_string(), false),
        };
        let Some(p) = self.resolve(&v, home) else {
            return;
        };
        // A prefix ending in `/` names the pieces inside that directory.
        let mut p = super::rules::normalize_path(&p);
        if v.ends_with('/') && !p.ends_with('/') {
            p.push('/');
        }
        // A piece may take the name of a protected entry next to the
        // prefix (`split -a1 f .git/confi` writes `.git/config`): each
        // such name is judged as written.
        let (dir, start) = p.rsplit_once('/').unwrap_or(("", p.as_str()));
        let names: Vec<String> = self
            .fs
            .protected_names()
            .iter()
            .filter(|n| {
                n.len() > start.len()
                    && n.starts_with(start)
                    && !n.contains('/')
                    && shape.may_be(&n[start.len()..])
            })
            .map(|n| format!("{dir}/{n}"))
            .collect();
        let span = prefix.map_or(argv[0].span, |a| a.span);
        for n in names {
            self.check_file(
                &Arg::literal(&n, span),
                Write,
                argv,
                &format!("{base} (a piece)"),
            );
        }
        self.note_written_prefix(p);
    }

    /// An awk program that assigns `ARGV` or `ARGC` chooses the files awk
    /// reads at run time: not modelled.
    fn awk_argv(&mut self, argv: &[Arg], base: &str) {
        if let Some(a) = argv.iter().skip(1).find(|a| {
            let t = a.lit().unwrap_or(&a.text);
            t.contains("ARGV") || t.contains("ARGC")
        }) {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!("{base}: the program uses ARGV/ARGC, which choose the files it reads at run time"),
                a.span,
                argv,
            );
        }
    }

    /// `rg --files`: every operand is a directory listed recursively (there
    /// is no pattern operand).
    fn rg_files(&mut self, argv: &[Arg]) {
        if !argv.iter().any(|a| a.is("--files")) {
            return;
        }
        for a in argv.iter().skip(1) {
            if a.lit().is_some_and(|v| v.starts_with('-')) {
                continue;
            }
            self.check_file(a, List, argv, "rg --files");
            self.check_file(a, Read, argv, "rg --files");
        }
    }

    /// `cp -r sub/.git .`, `rsync -a sub/.git .`: copying a directory named
    /// `.git` into a directory writes `DIR/.git/config`, `DIR/.git/hooks/…`.
    fn copied_git_dir(&mut self, argv: &[Arg], base: &str) {
        let ops: Vec<&Arg> = argv
            .iter()
            .skip(1)
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            .collect();
        let Some((dest, sources)) = ops.split_last() else {
            return;
        };
        let Some(d) = dest.lit() else { return };
        for s in sources {
            let Some(v) = s.lit() else { continue };
            // rsync copies the contents of `src/` (trailing slash) instead.
            if base.ends_with("rsync") && v.ends_with('/') {
                continue;
            }
            let name = v.trim_end_matches('/').rsplit('/').next().unwrap_or(v);
            if !name.eq_ignore_ascii_case(".git") {
                continue;
            }
            for entry in ["config", "hooks/pre-commit"] {
                let p = format!("{}/.git/{entry}", d.trim_end_matches('/'));
                let mut t = Arg::literal(&p, dest.span);
                t.home = dest.home;
                self.check_file(&t, Write, argv, &format!("{base} of a .git directory"));
            }
        }
    }
}

#[cfg(test)]
mod suffix_tests {
    use super::Suffix;

    /// Which names a splitter's pieces can take after the prefix.
    #[test]
    fn splitter_suffixes() {
        assert!(Suffix::Split(Some(1)).may_be("g"));
        assert!(!Suffix::Split(Some(1)).may_be("ig"));
        assert!(Suffix::Split(None).may_be("ab"));
        assert!(Suffix::Split(None).may_be("zaab"));
        assert!(!Suffix::Split(None).may_be("config"));
        assert!(!Suffix::Split(None).may_be(".git"));
        assert!(Suffix::Digits.may_be("00"));
        assert!(!Suffix::Digits.may_be("g"));
        assert!(Suffix::Any.may_be(".mk"));
    }
}
